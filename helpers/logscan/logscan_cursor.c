// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_lscursor 3
 * SUMMARY
 *	mailha-logscan's cursor file
 * SYNOPSIS
 *	#include "logscan_cursor.h"
 *
 *	int mh_lscursor_load(const char *path, struct mh_lscursor *cur,
 *	                     char *why, size_t whylen)
 *	int mh_lscursor_save(const char *path, const struct mh_lscursor *cur,
 *	                     char *why, size_t whylen)
 *	int mh_lscursor_resume(const struct mh_lscursor *cur, int fd,
 *	                       const struct stat *st, off_t *start)
 *	int mh_lscursor_set(struct mh_lscursor *cur, int fd,
 *	                    const struct stat *st, off_t offset)
 * DESCRIPTION
 *	The file format, one key a line, unknown keys ignored:
 *
 *	    mailha-logscan-cursor 1
 *	    dev 2049
 *	    ino 131075
 *	    offset 81920
 *	    tail 64 9c4a1e0f3b2d7a65
 *	    health yellow 1764288000
 *	    published yellow 1764288000
 *
 *	A cursor that does not parse is reported to the caller, which
 *	starts afresh rather than trust it.  The file is not fsync'ed: it
 *	is written on every monitor, and the worst a power cut can do is
 *	leave an old or an empty cursor, which costs one re-read.
 * DIAGNOSTICS
 *	0 or a negative code; the reason in why.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logscan_cursor.h"
#include "mh_rc.h"
#include "mh_safeopen.h"

#define MH_LSCURSOR_MAGIC "mailha-logscan-cursor 1"
#define MH_LSCURSOR_MAX 4096

/* mh_lscursor_hash - FNV-1a, 64 bits */
uint64_t
mh_lscursor_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* mh_lscursor_level_ok - a health word we write, or empty */
static int
mh_lscursor_level_ok(const char *s)
{
    return *s == '\0' || strcmp(s, "green") == 0 || strcmp(s, "yellow") == 0
        || strcmp(s, "red") == 0;
}

/* mh_lscursor_parse_line - one "key value..." line into cur */
static int
mh_lscursor_parse_line(char *line, struct mh_lscursor *cur, int *seen)
{
    char word[16];
    unsigned long long a, b;
    long long t;
    int n;

    if (sscanf(line, "dev %llu%n", &a, &n) == 1 && line[n] == '\0') {
        cur->dev = a;
        *seen |= 1;
    } else if (sscanf(line, "ino %llu%n", &a, &n) == 1 && line[n] == '\0') {
        cur->ino = a;
        *seen |= 2;
    } else if (sscanf(line, "offset %llu%n", &a, &n) == 1 && line[n] == '\0') {
        if (a > INT64_MAX) {
            return MH_E_PARSE;
        }
        cur->offset = a;
        *seen |= 4;
    } else if (sscanf(line, "tail %llu %llx%n", &a, &b, &n) == 2 && line[n] == '\0') {
        if (a > MH_LSCURSOR_TAIL) {
            return MH_E_PARSE;
        }
        cur->tail_len = (uint32_t) a;
        cur->tail_hash = b;
        *seen |= 8;
    } else if (sscanf(line, "health %7s %lld%n", word, &t, &n) == 2 && line[n] == '\0') {
        if (!mh_lscursor_level_ok(word)) {
            return MH_E_PARSE;
        }
        memcpy(cur->health, word, sizeof(cur->health));
        cur->health_since = t;
    } else if (sscanf(line, "published %7s %lld%n", word, &t, &n) == 2 && line[n] == '\0') {
        if (!mh_lscursor_level_ok(word)) {
            return MH_E_PARSE;
        }
        memcpy(cur->published, word, sizeof(cur->published));
        cur->published_at = t;
    }
    /* anything else: a key of a later version, ignored */
    return 0;
}

/* mh_lscursor_parse - cursor text into a struct */
int
mh_lscursor_parse(const char *text, size_t len, struct mh_lscursor *cur)
{
    char line[128];
    size_t pos = 0;
    int first = 1;
    int seen = 0;

    memset(cur, 0, sizeof(*cur));
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t ll = nl != NULL ? (size_t) (nl - (text + pos)) : len - pos;

        if (ll >= sizeof(line) || memchr(text + pos, '\0', ll) != NULL) {
            memset(cur, 0, sizeof(*cur));
            return MH_E_PARSE;
        }
        memcpy(line, text + pos, ll);
        line[ll] = '\0';
        pos += ll + 1;
        if (first) {
            if (strcmp(line, MH_LSCURSOR_MAGIC) != 0) {
                return MH_E_PARSE;
            }
            first = 0;
            continue;
        }
        if (mh_lscursor_parse_line(line, cur, &seen) != 0) {
            memset(cur, 0, sizeof(*cur));
            return MH_E_PARSE;
        }
    }
    if (first || seen != 15) {
        memset(cur, 0, sizeof(*cur));
        return MH_E_PARSE;
    }
    cur->valid = 1;
    return 0;
}

/* mh_lscursor_format - the text of a cursor */
int
mh_lscursor_format(const struct mh_lscursor *cur, char *buf, size_t size)
{
    int n;

    n = snprintf(buf, size, MH_LSCURSOR_MAGIC "\ndev %" PRIu64 "\nino %" PRIu64
                 "\noffset %" PRIu64 "\ntail %" PRIu32 " %016" PRIx64 "\n",
                 cur->dev, cur->ino, cur->offset, cur->tail_len, cur->tail_hash);
    if (n > 0 && (size_t) n < size && cur->health[0] != '\0') {
        n += snprintf(buf + n, size - (size_t) n, "health %s %" PRId64 "\n",
                      cur->health, cur->health_since);
    }
    if (n > 0 && (size_t) n < size && cur->published[0] != '\0') {
        n += snprintf(buf + n, size - (size_t) n, "published %s %" PRId64 "\n",
                      cur->published, cur->published_at);
    }
    if (n < 0 || (size_t) n >= size) {
        return MH_E_TOOLONG;
    }
    return n;
}

/* mh_lscursor_load - read and parse a cursor file */
int
mh_lscursor_load(const char *path, struct mh_lscursor *cur, char *why, size_t whylen)
{
    char buf[MH_LSCURSOR_MAX];
    ssize_t got;
    size_t len = 0;
    int fd;
    int rc = 0;

    memset(cur, 0, sizeof(*cur));
    /* not a FIFO (open would hang), nor a device or a symlink */
    fd = mh_open_file(path, O_RDONLY | O_NOFOLLOW, 0, NULL, why, whylen);
    if (fd < 0) {
        return fd;
    }
    for (;;) {
        got = read(fd, buf + len, sizeof(buf) - len);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            rc = -errno;
            snprintf(why, whylen, "read cursor %s: %s", path, strerror(errno));
            goto done;
        }
        if (got == 0) {
            break;
        }
        len += (size_t) got;
        if (len == sizeof(buf)) {
            rc = MH_E_PARSE;
            snprintf(why, whylen, "read cursor %s: larger than %zu bytes", path, sizeof(buf));
            goto done;
        }
    }
    if (mh_lscursor_parse(buf, len, cur) != 0) {
        rc = MH_E_PARSE;
        snprintf(why, whylen, "read cursor %s: not a mailha-logscan cursor", path);
    }

  done:
    close(fd);
    return rc;
}

/* mh_lscursor_save - write to PATH.XXXXXX, rename over PATH */
int
mh_lscursor_save(const char *path, const struct mh_lscursor *cur, char *why, size_t whylen)
{
    char text[MH_LSCURSOR_MAX];
    char *tmp = NULL;
    size_t off = 0;
    int fd = -1;
    int len;
    int rc = 0;

    len = mh_lscursor_format(cur, text, sizeof(text));
    if (len < 0) {
        snprintf(why, whylen, "format cursor: %s", mh_rc_str(len));
        return len;
    }
    if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        rc = -ENOMEM;
        snprintf(why, whylen, "write cursor %s: %s", path, strerror(ENOMEM));
        goto done;
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        snprintf(why, whylen, "create %s: %s", tmp, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto done;
    }
    while (off < (size_t) len) {
        ssize_t put = write(fd, text + off, (size_t) len - off);

        if (put < 0 && errno == EINTR) {
            continue;
        }
        if (put < 0) {
            rc = -errno;
            snprintf(why, whylen, "write %s: %s", tmp, strerror(errno));
            goto done;
        }
        off += (size_t) put;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = -errno;
        snprintf(why, whylen, "close %s: %s", tmp, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = -errno;
        snprintf(why, whylen, "rename %s to %s: %s", tmp, path, strerror(errno));
        goto done;
    }
    free(tmp);
    tmp = NULL;

  done:
    if (fd >= 0) {
        close(fd);
    }
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    return rc;
}

/* mh_lscursor_tail - hash of up to MH_LSCURSOR_TAIL bytes before offset */
static int
mh_lscursor_tail(int fd, off_t offset, uint32_t len, uint64_t *hash)
{
    char buf[MH_LSCURSOR_TAIL];
    size_t got = 0;

    if ((off_t) len > offset) {
        return MH_E_PARSE;
    }
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, offset - (off_t) len + (off_t) got);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            return MH_E_NOTFOUND;
        }
        got += (size_t) n;
    }
    *hash = mh_lscursor_hash(buf, len);
    return 0;
}

/* mh_lscursor_resume - decide where this run starts reading */
int
mh_lscursor_resume(const struct mh_lscursor *cur, int fd, const struct stat *st, off_t *start)
{
    uint64_t h = 0;

    *start = 0;
    if (!cur->valid) {
        return MH_LSCURSOR_FRESH;
    }
    if (cur->dev != (uint64_t) st->st_dev || cur->ino != (uint64_t) st->st_ino) {
        return MH_LSCURSOR_ROTATED;
    }
    if ((uint64_t) st->st_size < cur->offset) {
        return MH_LSCURSOR_TRUNCATED;
    }
    if (mh_lscursor_tail(fd, (off_t) cur->offset, cur->tail_len, &h) != 0
        || h != cur->tail_hash) {
        return MH_LSCURSOR_REWRITTEN;
    }
    *start = (off_t) cur->offset;
    return MH_LSCURSOR_CONTINUE;
}

/* mh_lscursor_set - the file and offset reached, with its tail hash */
int
mh_lscursor_set(struct mh_lscursor *cur, int fd, const struct stat *st, off_t offset)
{
    uint32_t len = offset < MH_LSCURSOR_TAIL ? (uint32_t) offset : MH_LSCURSOR_TAIL;
    uint64_t h = 0;
    int rc;

    rc = mh_lscursor_tail(fd, offset, len, &h);
    if (rc != 0) {
        return rc;
    }
    cur->dev = (uint64_t) st->st_dev;
    cur->ino = (uint64_t) st->st_ino;
    cur->offset = (uint64_t) offset;
    cur->tail_len = len;
    cur->tail_hash = h;
    cur->valid = 1;
    return 0;
}

/* mh_lscursor_recent - t in [now - secs + 1, now], without overflow */
int
mh_lscursor_recent(int64_t t, int64_t now, long secs)
{
    if (t < 0 || now < 0 || t > now) {
        return 0;
    }
    return now - t < (int64_t) secs;
}

/* mh_lscursor_how_name - a word for the decision */
const char *
mh_lscursor_how_name(int how)
{
    switch (how) {
    case MH_LSCURSOR_FRESH:
        return "fresh";
    case MH_LSCURSOR_CONTINUE:
        return "continue";
    case MH_LSCURSOR_ROTATED:
        return "rotated";
    case MH_LSCURSOR_TRUNCATED:
        return "truncated";
    case MH_LSCURSOR_REWRITTEN:
        return "rewritten";
    default:
        return "unknown";
    }
}
