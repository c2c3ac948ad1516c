/*
 * NAME
 *	mh_lsread 3
 * SUMMARY
 *	block reader for mailha-logscan
 * SYNOPSIS
 *	#include "mh_lsread.h"
 *
 *	int mh_lsread_scan(int fd, off_t start, int count_partial,
 *	                   struct mh_lsc_counts *counts, mh_lsc_line_fn fn,
 *	                   void *ctx, struct mh_lsread_result *res,
 *	                   char *why, size_t whylen)
 * DESCRIPTION
 *	One buffer of MH_LSREAD_BLOCK bytes.  After each read() the bytes
 *	up to the last '\n' are classified and the unterminated rest is
 *	moved to the front, to be completed by the next read.  A line
 *	longer than the buffer doubles it (up to MH_LSREAD_MAX).
 * DIAGNOSTICS
 *	0, or -errno / MH_E_TOOLONG with the reason in why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mh_lsread.h"
#include "mh_rc.h"

#define MH_LSREAD_MAX ((size_t) 1 << 30)

/* mh_lsread_scan - read from start to end of file, classify lines */
int
mh_lsread_scan(int fd, off_t start, int count_partial,
               struct mh_lsc_counts *counts, mh_lsc_line_fn fn, void *ctx,
               struct mh_lsread_result *res, char *why, size_t whylen)
{
    size_t cap = MH_LSREAD_BLOCK;
    size_t have = 0;
    off_t off = start;
    char *buf = NULL;
    int rc = 0;

    memset(res, 0, sizeof(*res));
    res->end_off = start;
    if (lseek(fd, start, SEEK_SET) < 0) {
        rc = -errno;
        snprintf(why, whylen, "seek to %lld: %s", (long long) start, strerror(errno));
        goto done;
    }
    (void) posix_fadvise(fd, start, 0, POSIX_FADV_SEQUENTIAL);
    buf = malloc(cap);
    if (buf == NULL) {
        rc = -ENOMEM;
        snprintf(why, whylen, "allocate read buffer: %s", strerror(ENOMEM));
        goto done;
    }
    for (;;) {
        ssize_t got;
        const char *nl;

        if (have == cap) {
            char *nbuf;

            if (cap >= MH_LSREAD_MAX) {
                rc = MH_E_TOOLONG;
                snprintf(why, whylen, "read line at offset %lld: longer than %zu bytes",
                         (long long) res->end_off, cap);
                goto done;
            }
            nbuf = realloc(buf, cap * 2);
            if (nbuf == NULL) {
                rc = -ENOMEM;
                snprintf(why, whylen, "grow read buffer: %s", strerror(ENOMEM));
                goto done;
            }
            buf = nbuf;
            cap *= 2;
        }
        got = read(fd, buf + have, cap - have);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            rc = -errno;
            snprintf(why, whylen, "read at offset %lld: %s", (long long) off, strerror(errno));
            goto done;
        }
        if (got == 0) {
            break;
        }
        off += got;
        res->bytes += got;
        nl = memrchr(buf + have, '\n', (size_t) got);
        have += (size_t) got;
        if (nl != NULL) {
            size_t complete = (size_t) (nl - buf) + 1;

            rc = mh_lsc_scan(buf, complete - 1, counts, fn, ctx);
            if (rc != 0) {
                snprintf(why, whylen, "write matching lines: %s", strerror(rc > 0 ? rc : -rc));
                goto done;
            }
            memmove(buf, buf + complete, have - complete);
            have -= complete;
            res->end_off = off - (off_t) have;
        }
    }
    if (have > 0) {
        res->partial = 1;
        if (count_partial) {
            rc = mh_lsc_scan(buf, have, counts, fn, ctx);
            if (rc != 0) {
                snprintf(why, whylen, "write matching lines: %s", strerror(rc > 0 ? rc : -rc));
                goto done;
            }
            res->end_off = off;
        }
    }

  done:
    free(buf);
    return rc;
}
