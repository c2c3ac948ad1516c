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
 *	created with O_EXCL so that nothing a group-mail user planted
 *	under that name is followed or overwritten; a stale one (a crash
 *	between create and unlink) is unlinked first, which removes the
 *	name only, never what a symlink points to.
 * DIAGNOSTICS
 *	0, or a negative code and the failed step in WHY.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "spool.h"

#define SPOOL_RW_NAME ".mailha-rwcheck"

/* spool_rwcheck - one round trip through the filesystem */
int
spool_rwcheck(const char *dir, char *why, size_t whylen)
{
    char out[128], in[128];
    struct timespec ts;
    ssize_t len, got;
    int dirfd, fd = -1, rc = MH_OK;

    dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        snprintf(why, whylen, "open %s: %s", dir, strerror(errno));
        return -errno;
    }
    if (unlinkat(dirfd, SPOOL_RW_NAME, 0) != 0 && errno != ENOENT) {
        rc = -errno;
        snprintf(why, whylen, "remove %s/%s: %s", dir, SPOOL_RW_NAME, strerror(errno));
        goto cleanup;
    }
    fd = mh_safe_create_at(dirfd, SPOOL_RW_NAME, O_RDWR, 0600, why, whylen);
    if (fd < 0) {
        rc = fd;
        goto cleanup;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    len = snprintf(out, sizeof(out), "mailha rwcheck pid %ld at %lld.%09ld\n", (long) getpid(),
                   (long long) ts.tv_sec, ts.tv_nsec);
    if (write(fd, out, (size_t) len) != len) {
        rc = errno ? -errno : -EIO;
        snprintf(why, whylen, "write %s/%s: %s", dir, SPOOL_RW_NAME, strerror(-rc));
        goto cleanup;
    }
    if (fsync(fd) != 0) {
        rc = -errno;
        snprintf(why, whylen, "fsync %s/%s: %s", dir, SPOOL_RW_NAME, strerror(errno));
        goto cleanup;
    }
    got = pread(fd, in, sizeof(in), 0);
    if (got != len || memcmp(in, out, (size_t) len) != 0) {
        rc = got < 0 ? -errno : -EIO;
        snprintf(why, whylen, "read back %s/%s: %s", dir, SPOOL_RW_NAME,
                 got < 0 ? strerror(errno) : "content differs");
        goto cleanup;
    }
    if (unlinkat(dirfd, SPOOL_RW_NAME, 0) != 0) {
        rc = -errno;
        snprintf(why, whylen, "remove %s/%s: %s", dir, SPOOL_RW_NAME, strerror(errno));
        goto cleanup;
    }

cleanup:
    if (fd >= 0) {
        close(fd);
        if (rc != MH_OK) {
            unlinkat(dirfd, SPOOL_RW_NAME, 0);
        }
    }
    close(dirfd);
    return rc;
}
