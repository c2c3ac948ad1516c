// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool_rw 3
 * SUMMARY
 *	prove a mounted spool takes writes: write, fsync, read back, remove
 * SYNOPSIS
 *	#include "spool.h"
 *
 *	int spool_rwcheck(const char *dir, char *why, size_t whylen)
 * DESCRIPTION
 *	A filesystem can be mounted and still refuse writes (remounted
 *	read-only after an I/O error, full, or a DRBD device that lost
 *	its disk).  The status file is a dot name, which the audit skips,
 *	".mailha-rwcheck." and 16 random hex digits, created with O_EXCL:
 *	in a 1777 spool any user can create any fixed name (a directory
 *	there made every check fail, and the name travels with the
 *	volume), but not guess this one; nothing found under a name is
 *	followed, overwritten or removed, a name taken is just another
 *	draw.  A crash between create and unlink leaves one small file.
 * DIAGNOSTICS
 *	0, or a negative code and the failed step in WHY.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "spool.h"

#define SPOOL_RW_PREFIX ".mailha-rwcheck."
#define SPOOL_RW_TRIES 8

/* spool_rw_create - a new status file under a random name */
static int
spool_rw_create(int dirfd, char *name, size_t namelen, char *why, size_t whylen)
{
    unsigned char r[8];
    int fd = -EEXIST;

    for (int t = 0; t < SPOOL_RW_TRIES && fd == -EEXIST; t++) {
        if (getrandom(r, sizeof(r), 0) != (ssize_t) sizeof(r)) {
            snprintf(why, whylen, "getrandom: %s", strerror(errno));
            return -EIO;
        }
        snprintf(name, namelen, SPOOL_RW_PREFIX "%02x%02x%02x%02x%02x%02x%02x%02x",
                 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
        fd = mh_safe_create_at(dirfd, name, O_RDWR, 0600, why, whylen);
    }
    return fd;
}

/* spool_rwcheck - one round trip through the filesystem */
int
spool_rwcheck(const char *dir, char *why, size_t whylen)
{
    char out[128], in[128], name[64];
    struct timespec ts;
    ssize_t len, got;
    int dirfd, fd = -1, rc = MH_OK;

    dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        snprintf(why, whylen, "open %s: %s", dir, strerror(errno));
        return -errno;
    }
    fd = spool_rw_create(dirfd, name, sizeof(name), why, whylen);
    if (fd < 0) {
        rc = fd;
        fd = -1;
        goto cleanup;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    len = snprintf(out, sizeof(out), "mailha rwcheck pid %ld at %lld.%09ld\n", (long) getpid(),
                   (long long) ts.tv_sec, ts.tv_nsec);
    if (write(fd, out, (size_t) len) != len) {
        rc = errno ? -errno : -EIO;
        snprintf(why, whylen, "write %s/%s: %s", dir, name, strerror(-rc));
        goto cleanup;
    }
    if (fsync(fd) != 0) {
        rc = -errno;
        snprintf(why, whylen, "fsync %s/%s: %s", dir, name, strerror(errno));
        goto cleanup;
    }
    got = pread(fd, in, sizeof(in), 0);
    if (got != len || memcmp(in, out, (size_t) len) != 0) {
        rc = got < 0 ? -errno : -EIO;
        snprintf(why, whylen, "read back %s/%s: %s", dir, name,
                 got < 0 ? strerror(errno) : "content differs");
        goto cleanup;
    }
    if (unlinkat(dirfd, name, 0) != 0) {
        rc = -errno;
        snprintf(why, whylen, "remove %s/%s: %s", dir, name, strerror(errno));
        goto cleanup;
    }

cleanup:
    if (fd >= 0) {
        close(fd);
        if (rc != MH_OK) {
            unlinkat(dirfd, name, 0);
        }
    }
    close(dirfd);
    return rc;
}
