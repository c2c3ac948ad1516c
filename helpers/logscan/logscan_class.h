// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_lsclass 3h
 * SUMMARY
 *	classify mail log lines like egrep '(reject|warning|error|fatal|panic):'
 * DESCRIPTION
 *	A line matches when it contains one of the five tokens followed
 *	by a colon anywhere, byte for byte, as grep -a does in the C
 *	locale: "xerror:" matches, "Error:" does not, NUL bytes and other
 *	binary garbage are just bytes.  Lines end at '\n' only.
 *
 *	A matching line counts once, in the most severe class it holds:
 *	panic > fatal > error > warning > reject.
 *
 *	The code is pure: no I/O, no allocation.
 */
#ifndef MH_LSCLASS_H
#define MH_LSCLASS_H


#include <stddef.h>
#include <stdint.h>

enum mh_lsc_class {
    MH_LSC_NONE = 0,
    MH_LSC_REJECT,
    MH_LSC_WARNING,
    MH_LSC_ERROR,
    MH_LSC_FATAL,
    MH_LSC_PANIC,
    MH_LSC_NCLASS,
};

struct mh_lsc_counts {
    uint64_t matched;                   /* matching lines, as grep -c */
    uint64_t by_class[MH_LSC_NCLASS];   /* each line in its worst class */
};

/* MH_LSC_MORE - or'ed into cls: a piece of an over-long line, more follows */
#define MH_LSC_MORE 0x100

/* mh_lsc_line_fn - called for each matching line (without its '\n');
 * an over-long line comes in pieces, all but the last with MH_LSC_MORE */
typedef int (*mh_lsc_line_fn)(void *ctx, const char *line, size_t len, int cls);

/* mh_lsc_name - "panic", "fatal", ... for a class */
const char *mh_lsc_name(int cls);

/* mh_lsc_classify_line - the worst class in one line, or MH_LSC_NONE */
int mh_lsc_classify_line(const char *line, size_t len);

/*
 * mh_lsc_scan - count (and hand to fn, when not NULL) the matching lines
 * in buf[0..len).  Every line must be complete: a line ends at '\n' or at
 * the end of the buffer.  Returns 0, or the first non-zero value fn
 * returned (the scan stops there).
 */
int mh_lsc_scan(const char *buf, size_t len, struct mh_lsc_counts *counts,
                mh_lsc_line_fn fn, void *ctx);

#endif
