// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_driftstate 3
 * SUMMARY
 *	write and read mailha-drift's state file
 * SYNOPSIS
 *	#include "mh_driftstate.h"
 *
 *	int mh_driftstate_write(const char *path, const struct mh_driftstate *st)
 *	int mh_driftstate_read(const char *path, struct mh_driftstate *st,
 *	                       char *why, size_t whylen)
 * DESCRIPTION
 *	The writer creates PATH.tmp (mode 0644, O_EXCL after removing a
 *	stale one), writes, fsyncs and renames it over PATH, so a reader
 *	sees the old file or the new one, never half of one.  The reader
 *	refuses a file that is not root's (a state file anyone could have
 *	written would let them hide drift) and lines it does not know.
 * DIAGNOSTICS
 *	0, or -errno, MH_E_PARSE, MH_E_UNSAFE, MH_E_TOOLONG.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "mh_driftstate.h"

#define MH_DRIFTSTATE_MAX (4 * 1024 * 1024)

/* mh_driftstate_add_member - append a member */
int
mh_driftstate_add_member(struct mh_driftstate *st, unsigned nodeid, const char *name)
{
    struct mh_driftstate_member *nv;

    nv = realloc(st->members, (st->nmembers + 1) * sizeof(*nv));
    if (nv == NULL) {
        return -ENOMEM;
    }
    st->members = nv;
    nv[st->nmembers].nodeid = nodeid;
    snprintf(nv[st->nmembers].name, sizeof(nv[st->nmembers].name), "%s", name);
    st->nmembers++;
    return MH_OK;
}

/* mh_driftstate_add_finding - append a finding */
int
mh_driftstate_add_finding(struct mh_driftstate *st, const char *kind, const char *node,
                          const char *item)
{
    struct mh_driftstate_finding *nv;
    char *copy = strdup(item);

    if (copy == NULL) {
        return -ENOMEM;
    }
    nv = realloc(st->findings, (st->nfindings + 1) * sizeof(*nv));
    if (nv == NULL) {
        free(copy);
        return -ENOMEM;
    }
    st->findings = nv;
    snprintf(nv[st->nfindings].kind, sizeof(nv[st->nfindings].kind), "%s", kind);
    snprintf(nv[st->nfindings].node, sizeof(nv[st->nfindings].node), "%s", node);
    nv[st->nfindings].item = copy;
    st->nfindings++;
    return MH_OK;
}

/* mh_driftstate_free - release what the add functions and the parser made */
void
mh_driftstate_free(struct mh_driftstate *st)
{
    for (size_t i = 0; i < st->nfindings; i++) {
        free(st->findings[i].item);
    }
    free(st->findings);
    free(st->members);
    st->findings = NULL;
    st->members = NULL;
    st->nfindings = 0;
    st->nmembers = 0;
}

/* mh_driftstate_write - write PATH.tmp, then rename it over PATH */
int
mh_driftstate_write(const char *path, const struct mh_driftstate *st)
{
    char tmp[4096];
    FILE *fp = NULL;
    int fd = -1, rc = MH_OK;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int) sizeof(tmp)) {
        return MH_E_TOOLONG;
    }
    (void) unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -errno;
    }
    fp = fdopen(fd, "w");
    if (fp == NULL) {
        rc = -errno;
        close(fd);
        goto done;
    }
    fprintf(fp, "%s\npid %ld\njoined %d\nuptime_cs %lld\ninterval %u\nstatus %s\n"
            "nodeid %u\nnode %s\nupdated %lld\nitems %u\n",
            MH_DRIFTSTATE_MAGIC, st->pid, st->joined, st->uptime_cs, st->interval,
            st->status, st->nodeid, st->node[0] != '\0' ? st->node : "?", st->updated,
            st->items);
    if (st->reason[0] != '\0') {
        fprintf(fp, "reason %s\n", st->reason);
    }
    for (size_t i = 0; i < st->nmembers; i++) {
        fprintf(fp, "member %u %s\n", st->members[i].nodeid,
                st->members[i].name[0] != '\0' ? st->members[i].name : "?");
    }
    for (size_t i = 0; i < st->nfindings; i++) {
        fprintf(fp, "finding %s %s %s\n", st->findings[i].kind, st->findings[i].node,
                st->findings[i].item);
    }
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
        rc = -errno;
    }
    if (fclose(fp) != 0 && rc == MH_OK) {
        rc = -errno;
    }
    if (rc == MH_OK && rename(tmp, path) != 0) {
        rc = -errno;
    }

  done:
    if (rc != MH_OK) {
        (void) unlink(tmp);
    }
    return rc;
}

/* mh_driftstate_word - copy one space-free word, bounded */
static int
mh_driftstate_word(const char *src, char *dst, size_t dstlen, const char **rest)
{
    size_t n = strcspn(src, " ");

    if (n == 0 || n >= dstlen) {
        return MH_E_PARSE;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    *rest = src[n] == ' ' ? src + n + 1 : src + n;
    return MH_OK;
}

/* mh_driftstate_line - one "key value" line into ST */
static int
mh_driftstate_line(char *line, struct mh_driftstate *st)
{
    char *val = strchr(line, ' ');
    const char *rest;
    char *end;

    if (val == NULL) {
        return MH_E_PARSE;
    }
    *val++ = '\0';
    errno = 0;
    if (strcmp(line, "pid") == 0) {
        st->pid = strtol(val, &end, 10);
    } else if (strcmp(line, "joined") == 0) {
        st->joined = (int) strtol(val, &end, 10);
    } else if (strcmp(line, "uptime_cs") == 0) {
        st->uptime_cs = strtoll(val, &end, 10);
    } else if (strcmp(line, "interval") == 0) {
        st->interval = (unsigned) strtoul(val, &end, 10);
    } else if (strcmp(line, "nodeid") == 0) {
        st->nodeid = (unsigned) strtoul(val, &end, 10);
    } else if (strcmp(line, "updated") == 0) {
        st->updated = strtoll(val, &end, 10);
    } else if (strcmp(line, "items") == 0) {
        st->items = (unsigned) strtoul(val, &end, 10);
    } else if (strcmp(line, "status") == 0) {
        return mh_driftstate_word(val, st->status, sizeof(st->status), &rest) == MH_OK
            && *rest == '\0' ? MH_OK : MH_E_PARSE;
    } else if (strcmp(line, "node") == 0) {
        return mh_driftstate_word(val, st->node, sizeof(st->node), &rest) == MH_OK
            && *rest == '\0' ? MH_OK : MH_E_PARSE;
    } else if (strcmp(line, "reason") == 0) {
        snprintf(st->reason, sizeof(st->reason), "%s", val);
        return MH_OK;
    } else if (strcmp(line, "member") == 0) {
        char name[65];
        unsigned long id = strtoul(val, &end, 10);

        if (end == val || *end != ' '
            || mh_driftstate_word(end + 1, name, sizeof(name), &rest) != MH_OK || *rest != '\0') {
            return MH_E_PARSE;
        }
        return mh_driftstate_add_member(st, (unsigned) id, name);
    } else if (strcmp(line, "finding") == 0) {
        char kind[16], node[65];

        if (mh_driftstate_word(val, kind, sizeof(kind), &rest) != MH_OK
            || mh_driftstate_word(rest, node, sizeof(node), &rest) != MH_OK || *rest == '\0') {
            return MH_E_PARSE;
        }
        return mh_driftstate_add_finding(st, kind, node, rest);
    } else {
        return MH_E_PARSE;
    }
    return end != val && *end == '\0' && errno == 0 ? MH_OK : MH_E_PARSE;
}

/* mh_driftstate_parse - the whole file, already in memory */
int
mh_driftstate_parse(const char *text, struct mh_driftstate *st, char *why, size_t whylen)
{
    char *copy, *line, *next;
    size_t mlen = strlen(MH_DRIFTSTATE_MAGIC);
    int rc = MH_OK, lineno = 1;

    memset(st, 0, sizeof(*st));
    if (strncmp(text, MH_DRIFTSTATE_MAGIC, mlen) != 0 || text[mlen] != '\n') {
        snprintf(why, whylen, "not a mailha-drift state file");
        return MH_E_PARSE;
    }
    copy = strdup(text + mlen + 1);
    if (copy == NULL) {
        return -ENOMEM;
    }
    for (line = copy; *line != '\0'; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next == NULL) {
            snprintf(why, whylen, "line %d: no newline (truncated file)", lineno);
            rc = MH_E_PARSE;
            break;
        }
        *next++ = '\0';
        rc = mh_driftstate_line(line, st);
        if (rc != MH_OK) {
            snprintf(why, whylen, "line %d: cannot parse", lineno);
            break;
        }
    }
    free(copy);
    if (rc == MH_OK && st->status[0] == '\0') {
        snprintf(why, whylen, "no status line");
        rc = MH_E_PARSE;
    }
    if (rc != MH_OK) {
        mh_driftstate_free(st);
    }
    return rc;
}

/* mh_driftstate_read - open (root's file only), read, parse */
int
mh_driftstate_read(const char *path, struct mh_driftstate *st, char *why, size_t whylen)
{
    struct stat sb;
    char *buf = NULL;
    size_t len = 0;
    int fd, rc = MH_OK;

    memset(st, 0, sizeof(*st));
    /* a FIFO there must not hang mailha-status in open() */
    fd = mh_open_file(path, O_RDONLY | O_NOFOLLOW, 0, &sb, why, whylen);
    if (fd < 0) {
        return fd;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & 022) != 0) {
        snprintf(why, whylen, "read %s: not a regular file owned by root, writable only by root",
                 path);
        rc = MH_E_UNSAFE;
        goto done;
    }
    if (sb.st_size > MH_DRIFTSTATE_MAX) {
        snprintf(why, whylen, "read %s: too large", path);
        rc = MH_E_TOOLONG;
        goto done;
    }
    buf = malloc((size_t) sb.st_size + 1);
    if (buf == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    while (len < (size_t) sb.st_size) {
        ssize_t got = read(fd, buf + len, (size_t) sb.st_size - len);

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        len += (size_t) got;
    }
    buf[len] = '\0';
    rc = mh_driftstate_parse(buf, st, why, whylen);
    if (rc != MH_OK) {
        char keep[256];

        snprintf(keep, sizeof(keep), "%s", why);
        snprintf(why, whylen, "read %s: %s", path, keep);
    }

  done:
    free(buf);
    close(fd);
    return rc;
}
