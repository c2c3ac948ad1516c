// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_lsclass 3
 * SUMMARY
 *	the mail log line classifier of mailha-logscan
 * SYNOPSIS
 *	#include "logscan_class.h"
 *
 *	int mh_lsc_classify_line(const char *line, size_t len)
 *	int mh_lsc_scan(const char *buf, size_t len,
 *	                struct mh_lsc_counts *counts,
 *	                mh_lsc_line_fn fn, void *ctx)
 * DESCRIPTION
 *	Speed comes from looking at colons only: memchr() finds the next
 *	':' anywhere in the buffer (not line by line), one switch on the
 *	byte before it throws away nearly every colon of a syslog line
 *	(time stamps, "smtpd[123]:"), and a memcmp() confirms the token.
 *	Line boundaries are looked for only around a match, so lines that
 *	do not match cost nothing beyond the colon search.
 */
#include <string.h>

#include "logscan_class.h"

static const char *const mh_lsc_names[MH_LSC_NCLASS] = {
    "none", "reject", "warning", "error", "fatal", "panic",
};

/* mh_lsc_name - the class's token */
const char *
mh_lsc_name(int cls)
{
    if (cls < 0 || cls >= MH_LSC_NCLASS) {
        return "none";
    }
    return mh_lsc_names[cls];
}

/* mh_lsc_token_before - the class whose token ends just before colon */
static inline int
mh_lsc_token_before(const char *start, const char *colon)
{
    size_t room = (size_t) (colon - start);

    switch (colon[-1]) {
    case 't':
        if (room >= 6 && memcmp(colon - 6, "reject", 6) == 0) {
            return MH_LSC_REJECT;
        }
        break;
    case 'g':
        if (room >= 7 && memcmp(colon - 7, "warning", 7) == 0) {
            return MH_LSC_WARNING;
        }
        break;
    case 'r':
        if (room >= 5 && memcmp(colon - 5, "error", 5) == 0) {
            return MH_LSC_ERROR;
        }
        break;
    case 'l':
        if (room >= 5 && memcmp(colon - 5, "fatal", 5) == 0) {
            return MH_LSC_FATAL;
        }
        break;
    case 'c':
        if (room >= 5 && memcmp(colon - 5, "panic", 5) == 0) {
            return MH_LSC_PANIC;
        }
        break;
    default:
        break;
    }
    return MH_LSC_NONE;
}

/* mh_lsc_worst_from - the worst class among colons in [colon, end) */
static int
mh_lsc_worst_from(const char *line, const char *colon, const char *end, int cls)
{
    while (colon != NULL && cls != MH_LSC_PANIC) {
        int c = mh_lsc_token_before(line, colon);

        if (c > cls) {
            cls = c;
        }
        colon++;
        colon = memchr(colon, ':', (size_t) (end - colon));
    }
    return cls;
}

/* mh_lsc_classify_line - the worst class in one line */
int
mh_lsc_classify_line(const char *line, size_t len)
{
    const char *end = line + len;
    const char *colon;

    if (len == 0) {
        return MH_LSC_NONE;
    }
    colon = memchr(line + 1, ':', len - 1);
    return mh_lsc_worst_from(line, colon, end, MH_LSC_NONE);
}

/* mh_lsc_scan - count and report the matching lines of a buffer */
int
mh_lsc_scan(const char *buf, size_t len, struct mh_lsc_counts *counts,
            mh_lsc_line_fn fn, void *ctx)
{
    const char *end = buf + len;
    const char *floor = buf;     /* start of the first unreported line */
    const char *p;
    int rc = 0;

    if (len < 2) {
        return 0;
    }
    p = buf + 1;
    while (p < end) {
        const char *colon = memchr(p, ':', (size_t) (end - p));
        const char *ls, *le;
        int cls;

        if (colon == NULL) {
            break;
        }
        cls = mh_lsc_token_before(floor, colon);
        if (cls == MH_LSC_NONE) {
            p = colon + 1;
            continue;
        }
        /* A token holds no '\n', so this colon is in the line it ends. */
        ls = memrchr(floor, '\n', (size_t) (colon - floor));
        ls = ls != NULL ? ls + 1 : floor;
        le = memchr(colon, '\n', (size_t) (end - colon));
        if (le == NULL) {
            le = end;
        }
        if (colon + 1 < le) {
            cls = mh_lsc_worst_from(ls, memchr(colon + 1, ':', (size_t) (le - colon - 1)),
                                    le, cls);
        }
        counts->matched++;
        counts->by_class[cls]++;
        if (fn != NULL) {
            rc = fn(ctx, ls, (size_t) (le - ls), cls);
            if (rc != 0) {
                break;
            }
        }
        if (le == end) {
            break;
        }
        floor = le + 1;
        p = floor + 1;
    }
    return rc;
}
