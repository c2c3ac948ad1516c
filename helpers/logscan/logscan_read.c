// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_lsread 3
 * SUMMARY
 *	block reader for mailha-logscan
 * SYNOPSIS
 *	#include "logscan_read.h"
 *
 *	int mh_lsread_scan(int fd, off_t start, int count_partial,
 *	                   struct mh_lsc_counts *counts, mh_lsc_line_fn fn,
 *	                   void *ctx, struct mh_lsread_result *res,
 *	                   char *why, size_t whylen)
 * DESCRIPTION
 *	One buffer of MH_LSREAD_BLOCK bytes.  After each read() the bytes
 *	up to the last '\n' are classified and the unterminated rest is
 *	moved to the front, to be completed by the next read.  A line
 *	longer than the buffer doubles it, up to MH_LSREAD_MAX.
 *
 *	A line longer than that is read on in constant memory: each
 *	buffer-full is classified and only its last MH_LSREAD_CARRY bytes
 *	(the most a token can have before its colon) are kept, so the
 *	line still counts in its worst class, as grep counts it.  With a
 *	line callback, a matching over-long line is handed over in pieces
 *	read again with pread(), each but the last with MH_LSC_MORE.
 * DIAGNOSTICS
 *	0, or -errno / MH_E_TOOLONG with the reason in why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logscan_read.h"
#include "mh_rc.h"

#define MH_LSREAD_CARRY 7       /* strlen("warning"): a token before ':' */

/* mh_lsread_long - count an over-long line [start, end) of class cls,
 * and hand it to fn in pieces read again from the file */
static int
mh_lsread_long(int fd, off_t start, off_t end, int cls, struct mh_lsc_counts *counts,
               mh_lsc_line_fn fn, void *ctx, char *why, size_t whylen)
{
    char piece[65536];

    if (cls == MH_LSC_NONE) {
        return 0;
    }
    counts->matched++;
    counts->by_class[cls]++;
    while (fn != NULL && start < end) {
        size_t want = end - start > (off_t) sizeof(piece) ? sizeof(piece) : (size_t) (end - start);
        ssize_t got = pread(fd, piece, want, start);
        int rc;

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            rc = got < 0 ? -errno : MH_E_TOOLONG;
            snprintf(why, whylen, "read a long line again at offset %lld: %s", (long long) start,
                     got < 0 ? strerror(errno) : "the file shrank");
            return rc;
        }
        start += got;
        rc = fn(ctx, piece, (size_t) got, cls | (start < end ? MH_LSC_MORE : 0));
        if (rc != 0) {
            snprintf(why, whylen, "write matching lines: %s", strerror(rc > 0 ? rc : -rc));
            return rc;
        }
    }
    return 0;
}

/* mh_lsread_scan - read from start to end of file, classify lines */
int
mh_lsread_scan(int fd, off_t start, int count_partial,
               struct mh_lsc_counts *counts, mh_lsc_line_fn fn, void *ctx,
               struct mh_lsread_result *res, char *why, size_t whylen)
{
    size_t cap = MH_LSREAD_BLOCK;
    size_t have = 0;
    off_t off = start;
    off_t long_start = 0;
    int longcls = -1;           /* in an over-long line: its worst class */
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

        if (have == cap && cap >= MH_LSREAD_MAX) {
            /* an over-long line: classify this part, keep the carry */
            int c = mh_lsc_classify_line(buf, have);

            if (longcls < 0) {
                longcls = MH_LSC_NONE;
                long_start = off - (off_t) have;
                res->long_lines++;
            }
            if (c > longcls) {
                longcls = c;
            }
            memmove(buf, buf + have - MH_LSREAD_CARRY, MH_LSREAD_CARRY);
            have = MH_LSREAD_CARRY;
        } else if (have == cap) {
            char *nbuf;

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
            size_t skip = 0;

            if (longcls >= 0) {
                /* the over-long line ends at the first '\n' */
                const char *e = memchr(buf, '\n', have);
                off_t base = off - (off_t) have;
                int c = mh_lsc_classify_line(buf, (size_t) (e - buf));

                if (c > longcls) {
                    longcls = c;
                }
                rc = mh_lsread_long(fd, long_start, base + (e - buf), longcls, counts, fn, ctx,
                                    why, whylen);
                if (rc != 0) {
                    goto done;
                }
                longcls = -1;
                skip = (size_t) (e - buf) + 1;
            }
            if (complete > skip) {
                rc = mh_lsc_scan(buf + skip, complete - 1 - skip, counts, fn, ctx);
            }
            if (rc != 0) {
                snprintf(why, whylen, "write matching lines: %s", strerror(rc > 0 ? rc : -rc));
                goto done;
            }
            memmove(buf, buf + complete, have - complete);
            have -= complete;
            res->end_off = off - (off_t) have;
        }
    }
    if (longcls >= 0) {
        /* an unterminated over-long line */
        res->partial = 1;
        if (count_partial) {
            int c = mh_lsc_classify_line(buf, have);

            rc = mh_lsread_long(fd, long_start, off, c > longcls ? c : longcls, counts, fn, ctx,
                                why, whylen);
            if (rc != 0) {
                goto done;
            }
            res->end_off = off;
        }
    } else if (have > 0) {
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
