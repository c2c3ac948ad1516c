// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_msg 3
 * SUMMARY
 *	find and remove one probe message from an mbox or a maildir
 * SYNOPSIS
 *	#include "probe_msg.h"
 *
 *	int mh_probemsg_mbox_find(const char *buf, size_t len, const char *token,
 *	                    size_t *start, size_t *end)
 *	int mh_probemsg_mbox_remove(const char *path, const char *token,
 *	                      long long deadline, char *why, size_t whylen)
 *	int mh_probemsg_maildir_remove(const char *path, const char *token,
 *	                         char *why, size_t whylen)
 *	int mh_probemsg_maildir_remove_by(const char *path, const char *token,
 *	                         long long deadline, char *why, size_t whylen)
 *	int mh_probemsg_scan_init(struct mh_probemsg_scan *sc, const char *token)
 *	int mh_probemsg_scan_feed(struct mh_probemsg_scan *sc, const char *buf,
 *	                         size_t len)
 *	int mh_probemsg_scan_end(struct mh_probemsg_scan *sc, long long *start,
 *	                         long long *end)
 *	int mh_probemsg_header_has(const char *buf, size_t len, const char *token)
 * DESCRIPTION
 *	We run as root in a spool its users can write to, so every open
 *	is of a single name relative to a directory descriptor, never
 *	follows a symlink in the last component, and refuses hard-linked
 *	files (mh_safeopen): a user must not be able to make the probe
 *	rewrite or remove some other file.  The directory part of PATH
 *	is the administrator's configuration and is followed as given
 *	(Debian's /var/mail is itself a symlink).
 *
 *	mbox: a message runs from its "From " line to the next line that
 *	starts with "From " (local(8) quotes such body lines as ">From "),
 *	or to the end of the file.  The probe message is the one whose
 *	header block (up to the first empty line) holds the line
 *	"X-Mailha-Probe: TOKEN".  mh_probemsg_mbox_remove() takes the locks
 *	local(8) takes on Debian (mailbox_delivery_lock = fcntl, dotlock):
 *	first PATH.lock created with O_EXCL, then an fcntl write lock on
 *	the mailbox; it shifts the rest of the file down over the message
 *	and truncates, in place, so the owner and mode stay as they were.
 *	A first look without locks avoids holding up deliveries while the
 *	message has not arrived.  The file is read in pieces, not mapped:
 *	a mailbox truncated by someone who ignores the locks then just
 *	ends early instead of raising SIGBUS, memory stays constant, and
 *	the deadline is checked between pieces (an 8 GB sparse mbox is
 *	given up at the deadline, not read through).
 *
 *	maildir (PATH ending in "/"): the one file in new/ or cur/ whose
 *	header block holds the token line is unlinked, after checking
 *	that the name still refers to the file that was read.  The
 *	deadline is checked for every directory entry.
 * DIAGNOSTICS
 *	MH_OK when the message was removed; MH_E_NOTFOUND when it is not
 *	there (yet), including a mailbox that does not exist yet;
 *	MH_E_UNSAFE for a symlink or hard-linked mailbox; MH_E_TIMEOUT
 *	when the locks could not be had before the deadline; a negative
 *	errno otherwise.  WHY says what.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "probe_msg.h"
#include "probe_smtp_session.h"

#define MH_PROBEMSG_HEADER_MAX  (64 * 1024)   /* header bytes read from a maildir file */
#define MH_PROBEMSG_LOCK_NAP_MS 10
#define MH_PROBEMSG_PIECE (1024 * 1024)       /* bytes read between deadline checks */

/* mh_probemsg_token_line - "X-Mailha-Probe: TOKEN" into BUF */
static size_t
mh_probemsg_token_line(char *buf, size_t len, const char *token)
{
    int n = snprintf(buf, len, "%s: %s", MH_PROBEMSG_HEADER, token);

    return n < 0 || (size_t) n >= len ? 0 : (size_t) n;
}

/* mh_probemsg_line_at - is the text at P (inside BUF..END) the line LINE? */
static int
mh_probemsg_line_at(const char *p, const char *end, const char *line, size_t ll)
{
    if ((size_t) (end - p) < ll + 1 || memcmp(p, line, ll) != 0) {
        return 0;
    }
    return p[ll] == '\n';
}

/* mh_probemsg_header_has - look for the token line in the header block */
int
mh_probemsg_header_has(const char *buf, size_t len, const char *token)
{
    char line[300];
    size_t ll = mh_probemsg_token_line(line, sizeof(line), token);
    const char *p = buf, *end = buf + len, *nl;

    if (ll == 0) {
        return 0;
    }
    while (p < end && *p != '\n') {
        if (mh_probemsg_line_at(p, end, line, ll)) {
            return 1;
        }
        nl = memchr(p, '\n', (size_t) (end - p));
        if (nl == NULL) {
            break;
        }
        p = nl + 1;
    }
    return 0;
}

/* mh_probemsg_from_before - start of the "From " line at or before POS, or -1 */
static long long
mh_probemsg_from_before(const char *buf, size_t pos)
{
    size_t i = pos;

    /* POS starts a line longer than 5 bytes, so every line start at or
     * before it has 5 readable bytes; walk back line by line. */
    for (;;) {
        if (memcmp(buf + i, "From ", 5) == 0) {
            return (long long) i;
        }
        if (i == 0) {
            return -1;
        }
        /* buf[i - 1] is the '\n' ending the previous line */
        i--;
        while (i > 0 && buf[i - 1] != '\n') {
            i--;
        }
    }
}

/* mh_probemsg_mbox_find - locate the probe message in an mbox image */
int
mh_probemsg_mbox_find(const char *buf, size_t len, const char *token, size_t *start, size_t *end)
{
    char needle[300];
    size_t nl = mh_probemsg_token_line(needle + 1, sizeof(needle) - 1, token);
    const char *hit, *p = buf, *stop = buf + len, *next;
    long long from;
    size_t hpos;

    if (nl == 0 || len == 0) {
        return MH_E_NOTFOUND;
    }
    needle[0] = '\n';
    nl++;
    while (p < stop) {
        hit = memmem(p, (size_t) (stop - p), needle, nl);
        if (hit == NULL) {
            return MH_E_NOTFOUND;
        }
        p = hit + 1;
        hpos = (size_t) (hit + 1 - buf);
        /* the whole line, not a prefix of a longer token */
        if (hpos + nl - 1 >= len || buf[hpos + nl - 1] != '\n') {
            continue;
        }
        from = mh_probemsg_from_before(buf, hpos);
        if (from < 0) {
            continue;
        }
        /* In the header block: no empty line between From_ and here. */
        if (memmem(buf + from, hpos - (size_t) from, "\n\n", 2) != NULL) {
            continue;
        }
        next = memmem(buf + hpos, len - hpos, "\nFrom ", 6);
        *start = (size_t) from;
        *end = next == NULL ? len : (size_t) (next + 1 - buf);
        return MH_OK;
    }
    return MH_E_NOTFOUND;
}

/* mh_probemsg_scan_init - the token line to look for */
int
mh_probemsg_scan_init(struct mh_probemsg_scan *sc, const char *token)
{
    memset(sc, 0, sizeof(*sc));
    sc->wl = mh_probemsg_token_line(sc->want, sizeof(sc->want), token);
    sc->msg_start = -1;
    return sc->wl == 0 ? MH_E_NOTFOUND : MH_OK;
}

/* mh_probemsg_scan_line - judge the line just ended (TERMINATED by '\n') */
static void
mh_probemsg_scan_line(struct mh_probemsg_scan *sc, int terminated)
{
    if (sc->hl >= 5 && memcmp(sc->head, "From ", 5) == 0) {
        if (sc->found) {
            sc->end = sc->line_start;
            sc->found = 2;
            return;
        }
        sc->msg_start = sc->line_start;
        sc->in_header = 1;
    } else if (sc->found) {
        return;
    } else if (terminated && sc->line_len == 0) {
        sc->in_header = 0;
    } else if (terminated && sc->in_header && sc->msg_start >= 0
               && sc->line_len == (long long) sc->wl && memcmp(sc->head, sc->want, sc->wl) == 0) {
        sc->start = sc->msg_start;
        sc->found = 1;
    }
}

/* mh_probemsg_scan_feed - lines of the next piece, as mh_probemsg_mbox_find reads them */
int
mh_probemsg_scan_feed(struct mh_probemsg_scan *sc, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;

    while (p < end && sc->found != 2) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        size_t n = (size_t) ((nl != NULL ? nl : end) - p);
        size_t room = sizeof(sc->head) - sc->hl;

        memcpy(sc->head + sc->hl, p, n < room ? n : room);
        sc->hl += n < room ? n : room;
        sc->line_len += (long long) n;
        sc->off += (long long) n;
        p += n;
        if (nl == NULL) {
            break;
        }
        mh_probemsg_scan_line(sc, 1);
        p++;
        sc->off++;
        sc->line_start = sc->off;
        sc->line_len = 0;
        sc->hl = 0;
    }
    return sc->found == 2;
}

/* mh_probemsg_scan_end - the last, unterminated line; the span */
int
mh_probemsg_scan_end(struct mh_probemsg_scan *sc, long long *start, long long *end)
{
    if (sc->found != 2 && sc->hl > 0) {
        mh_probemsg_scan_line(sc, 0);
    }
    if (sc->found == 0) {
        return MH_E_NOTFOUND;
    }
    *start = sc->start;
    *end = sc->found == 2 ? sc->end : sc->off;
    return MH_OK;
}

/* mh_probemsg_mbox_read_find - scan FD by read(), checking the deadline */
static int
mh_probemsg_mbox_read_find(int fd, const char *token, long long deadline, const char *path,
                           long long *start, long long *end, char *why, size_t whylen)
{
    struct mh_probemsg_scan sc;
    char *buf;
    int rc;

    if (mh_probemsg_scan_init(&sc, token) != MH_OK) {
        return MH_E_NOTFOUND;
    }
    buf = malloc(MH_PROBEMSG_PIECE);
    if (buf == NULL) {
        snprintf(why, whylen, "read %s: %s", path, strerror(ENOMEM));
        return -ENOMEM;
    }
    for (;;) {
        ssize_t n;

        if (mh_smtp_now_ms() >= deadline) {
            rc = MH_E_TIMEOUT;
            snprintf(why, whylen, "read %s: timed out at offset %lld (deadline)", path, sc.off);
            goto done;
        }
        n = pread(fd, buf, MH_PROBEMSG_PIECE, (off_t) sc.off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            snprintf(why, whylen, "read %s: %s", path, strerror(errno));
            goto done;
        }
        /* 0: the end, also of a file truncated meanwhile */
        if (n == 0 || mh_probemsg_scan_feed(&sc, buf, (size_t) n)) {
            break;
        }
    }
    rc = mh_probemsg_scan_end(&sc, start, end);

  done:
    free(buf);
    return rc;
}

/* mh_probemsg_nap - sleep a little, never past the deadline */
static int
mh_probemsg_nap(long long deadline)
{
    long long left = deadline - mh_smtp_now_ms();
    struct timespec ts;

    if (left <= 0) {
        return MH_E_TIMEOUT;
    }
    if (left > MH_PROBEMSG_LOCK_NAP_MS) {
        left = MH_PROBEMSG_LOCK_NAP_MS;
    }
    ts.tv_sec = 0;
    ts.tv_nsec = (long) left * 1000000L;
    nanosleep(&ts, NULL);
    return MH_OK;
}

/* mh_probemsg_split - open the directory of PATH; *base points into PATH */
static int
mh_probemsg_split(const char *path, char *dir, size_t dirlen, const char **base,
            char *why, size_t whylen)
{
    const char *slash = strrchr(path, '/');
    int fd;

    if (slash == NULL) {
        snprintf(dir, dirlen, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, dirlen, "/");
        *base = slash + 1;
    } else {
        if ((size_t) (slash - path) >= dirlen) {
            snprintf(why, whylen, "mailbox path too long: %s", path);
            return -ENAMETOOLONG;
        }
        memcpy(dir, path, (size_t) (slash - path));
        dir[slash - path] = '\0';
        *base = slash + 1;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "open %s: %s", dir, strerror(errno));
        return -errno;
    }
    return fd;
}

/*
 * mh_probemsg_shift - move [from, size) down to TO and truncate
 *
 * Deliberately not cut short at the deadline: stopped halfway, the
 * mailbox would hold the tail twice or lose it, and that is mail lost.
 * What it moves is what arrived after the probe message (delivered moments
 * before), with the mailbox locked: its cost is those bytes, not the
 * mailbox's size.
 */
static int
mh_probemsg_shift(int fd, off_t to, off_t from, off_t size, const char *path,
            char *why, size_t whylen)
{
    char buf[65536];
    ssize_t n, w;
    off_t r = from, t = to;

    while (r < size) {
        n = pread(fd, buf, sizeof(buf), r);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            snprintf(why, whylen, "read %s: %s", path, n < 0 ? strerror(errno) : "short file");
            return n < 0 ? -errno : -EIO;
        }
        w = pwrite(fd, buf, (size_t) n, t);
        if (w != n) {
            snprintf(why, whylen, "write %s: %s", path, w < 0 ? strerror(errno) : "short write");
            return w < 0 ? -errno : -EIO;
        }
        r += n;
        t += n;
    }
    if (ftruncate(fd, size - (from - to)) != 0 || fsync(fd) != 0) {
        snprintf(why, whylen, "truncate %s: %s", path, strerror(errno));
        return -errno;
    }
    return MH_OK;
}

/* mh_probemsg_mbox_locked - with the dotlock held: lock, find, cut */
static int
mh_probemsg_mbox_locked(int dirfd, const char *base, const char *path, const char *token,
                  long long deadline, char *why, size_t whylen)
{
    struct flock fl;
    struct stat st;
    long long start, end;
    int fd, rc;

    fd = mh_safe_open_at(dirfd, base, O_RDWR, MH_ANY_UID, &st, why, whylen);
    if (fd < 0) {
        return fd == -ENOENT ? MH_E_NOTFOUND : fd;
    }
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (fcntl(fd, F_SETLK, &fl) != 0) {
        if (errno != EACCES && errno != EAGAIN && errno != EINTR) {
            rc = -errno;
            snprintf(why, whylen, "lock %s: %s", path, strerror(errno));
            goto cleanup;
        }
        if (mh_probemsg_nap(deadline) != MH_OK) {
            rc = MH_E_TIMEOUT;
            snprintf(why, whylen, "lock %s: timed out", path);
            goto cleanup;
        }
    }
    /* The size may have changed between the open and the lock. */
    if (fstat(fd, &st) != 0) {
        rc = -errno;
        snprintf(why, whylen, "fstat %s: %s", path, strerror(errno));
        goto cleanup;
    }
    rc = mh_probemsg_mbox_read_find(fd, token, deadline, path, &start, &end, why, whylen);
    if (rc != MH_OK) {
        goto cleanup;
    }
    if (end > (long long) st.st_size) {
        /* grew while read, though locked: cut only what was judged */
        end = (long long) st.st_size;
    }
    rc = mh_probemsg_shift(fd, (off_t) start, (off_t) end, st.st_size, path, why, whylen);

cleanup:
    /* closing the descriptor drops the fcntl lock */
    close(fd);
    return rc;
}

/* mh_probemsg_mbox_seen - unlocked look: is the token there at all? */
static int
mh_probemsg_mbox_seen(int dirfd, const char *base, const char *path, const char *token,
                      long long deadline, char *why, size_t whylen)
{
    struct stat st;
    long long start, end;
    int fd, rc;

    fd = mh_safe_open_at(dirfd, base, O_RDONLY, MH_ANY_UID, &st, why, whylen);
    if (fd < 0) {
        return fd == -ENOENT ? MH_E_NOTFOUND : fd;
    }
    rc = mh_probemsg_mbox_read_find(fd, token, deadline, path, &start, &end, why, whylen);
    close(fd);
    return rc;
}

/* mh_probemsg_mbox_remove - find the probe message and cut it out, locked */
int
mh_probemsg_mbox_remove(const char *path, const char *token, long long deadline,
                  char *why, size_t whylen)
{
    char dir[4096], lock[512];
    const char *base;
    int dirfd, lockfd = -1, rc;

    dirfd = mh_probemsg_split(path, dir, sizeof(dir), &base, why, whylen);
    if (dirfd < 0) {
        return dirfd;
    }
    rc = mh_probemsg_mbox_seen(dirfd, base, path, token, deadline, why, whylen);
    if (rc != MH_OK) {
        goto cleanup;
    }
    if ((size_t) snprintf(lock, sizeof(lock), "%s.lock", base) >= sizeof(lock)) {
        rc = -ENAMETOOLONG;
        snprintf(why, whylen, "mailbox name too long: %s", path);
        goto cleanup;
    }
    for (;;) {
        lockfd = mh_safe_create_at(dirfd, lock, O_WRONLY, 0600, why, whylen);
        if (lockfd >= 0) {
            break;
        }
        if (lockfd != -EEXIST) {
            rc = lockfd;
            lockfd = -1;
            snprintf(why, whylen, "create %s.lock: %s", path, strerror(-rc));
            goto cleanup;
        }
        if (mh_probemsg_nap(deadline) != MH_OK) {
            rc = MH_E_TIMEOUT;
            lockfd = -1;
            snprintf(why, whylen, "lock %s.lock: timed out (held by another process)", path);
            goto cleanup;
        }
    }
    rc = mh_probemsg_mbox_locked(dirfd, base, path, token, deadline, why, whylen);
    close(lockfd);
    if (unlinkat(dirfd, lock, 0) != 0 && rc == MH_OK) {
        rc = -errno;
        snprintf(why, whylen, "remove %s.lock: %s", path, strerror(errno));
    }

cleanup:
    close(dirfd);
    return rc;
}

/* mh_probemsg_opendir - mh_safe_opendir_at, with a symlink always "unsafe" */
static int
mh_probemsg_opendir(int dirfd, const char *name, char *why, size_t whylen)
{
    struct stat st;
    int fd;

    fd = mh_safe_opendir_at(dirfd, name, MH_ANY_UID, NULL, why, whylen);
    /* O_DIRECTORY | O_NOFOLLOW on a symlink fails with ENOTDIR, not ELOOP */
    if (fd == -ENOTDIR && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
        && S_ISLNK(st.st_mode)) {
        snprintf(why, whylen, "%s: is a symbolic link", name);
        return MH_E_UNSAFE;
    }
    return fd;
}

/* mh_probemsg_maildir_scan - look through one of new/, cur/ */
static int
mh_probemsg_maildir_scan(int mdfd, const char *sub, const char *path, const char *token,
                   long long deadline, char *why, size_t whylen)
{
    char buf[MH_PROBEMSG_HEADER_MAX];
    struct stat st, again;
    struct dirent *de;
    DIR *dp = NULL;
    ssize_t n;
    size_t got;
    int dfd, fd, rc = MH_E_NOTFOUND;

    dfd = mh_probemsg_opendir(mdfd, sub, why, whylen);
    if (dfd < 0) {
        return dfd == -ENOENT ? MH_E_NOTFOUND : dfd;
    }
    dp = fdopendir(dfd);
    if (dp == NULL) {
        rc = -errno;
        snprintf(why, whylen, "opendir %s%s: %s", path, sub, strerror(errno));
        close(dfd);
        return rc;
    }
    while ((de = readdir(dp)) != NULL) {
        if (mh_smtp_now_ms() >= deadline) {
            rc = MH_E_TIMEOUT;
            snprintf(why, whylen, "read %s%s: timed out (deadline)", path, sub);
            break;
        }
        if (de->d_name[0] == '.') {
            continue;
        }
        fd = mh_safe_open_at(dfd, de->d_name, O_RDONLY, MH_ANY_UID, &st, why, whylen);
        if (fd < 0) {
            /* a message moved new/ -> cur/ by a reader, or not ours to judge */
            continue;
        }
        got = 0;
        while (got < sizeof(buf)) {
            n = read(fd, buf + got, sizeof(buf) - got);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            got += (size_t) n;
        }
        close(fd);
        if (!mh_probemsg_header_has(buf, got, token)) {
            continue;
        }
        /* Unlink only if the name still is the file we read. */
        if (fstatat(dfd, de->d_name, &again, AT_SYMLINK_NOFOLLOW) != 0
            || again.st_ino != st.st_ino || again.st_dev != st.st_dev) {
            rc = MH_E_UNSAFE;
            snprintf(why, whylen, "%s%s/%s: replaced while being read", path, sub, de->d_name);
            break;
        }
        if (unlinkat(dfd, de->d_name, 0) != 0) {
            rc = -errno;
            snprintf(why, whylen, "remove %s%s/%s: %s", path, sub, de->d_name, strerror(errno));
            break;
        }
        rc = MH_OK;
        break;
    }
    closedir(dp);
    return rc;
}

/* mh_probemsg_maildir_remove - find and unlink the probe message file */
int
mh_probemsg_maildir_remove(const char *path, const char *token, char *why, size_t whylen)
{
    return mh_probemsg_maildir_remove_by(path, token, LLONG_MAX, why, whylen);
}

/* mh_probemsg_maildir_remove_by - the same, by the deadline */
int
mh_probemsg_maildir_remove_by(const char *path, const char *token, long long deadline,
                              char *why, size_t whylen)
{
    char trimmed[4096], dir[4096];
    const char *base;
    size_t len = strlen(path);
    int dirfd, mdfd, rc;

    while (len > 1 && path[len - 1] == '/') {
        len--;
    }
    if (len >= sizeof(trimmed)) {
        snprintf(why, whylen, "maildir path too long: %s", path);
        return -ENAMETOOLONG;
    }
    memcpy(trimmed, path, len);
    trimmed[len] = '\0';
    dirfd = mh_probemsg_split(trimmed, dir, sizeof(dir), &base, why, whylen);
    if (dirfd < 0) {
        return dirfd;
    }
    mdfd = mh_probemsg_opendir(dirfd, base, why, whylen);
    close(dirfd);
    if (mdfd < 0) {
        return mdfd == -ENOENT ? MH_E_NOTFOUND : mdfd;
    }
    rc = mh_probemsg_maildir_scan(mdfd, "new", path, token, deadline, why, whylen);
    if (rc == MH_E_NOTFOUND) {
        rc = mh_probemsg_maildir_scan(mdfd, "cur", path, token, deadline, why, whylen);
    }
    close(mdfd);
    return rc;
}
