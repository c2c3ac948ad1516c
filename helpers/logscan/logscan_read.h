// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_lsread 3h
 * SUMMARY
 *	read a mail log from an offset in large blocks and classify it
 * DESCRIPTION
 *	mh_lsread_scan() reads fd from start to end of file with large
 *	read() calls into one buffer (grown only for a line longer than
 *	the buffer: no allocation per line), and hands complete lines to
 *	mh_lsc_scan().  An unterminated last line is counted only when
 *	the caller asks (a finished file, or grep compatibility); else it
 *	is left for the next run and *end_off stays before it.
 */
#ifndef MH_LSREAD_H
#define MH_LSREAD_H


#include <stdint.h>
#include <sys/types.h>

#include "logscan_class.h"

#define MH_LSREAD_BLOCK (256 * 1024)
#define MH_LSREAD_MAX ((size_t) 4 * MH_LSREAD_BLOCK)  /* longer lines: in pieces */

struct mh_lsread_result {
    off_t end_off;          /* offset after the last line counted */
    off_t bytes;            /* bytes read */
    int partial;            /* an unterminated last line was seen */
    uint64_t long_lines;    /* lines over the buffer's limit, read in pieces */
};

/* mh_lsread_scan - classify fd's lines from start; 0 or negative code */
int mh_lsread_scan(int fd, off_t start, int count_partial,
                   struct mh_lsc_counts *counts, mh_lsc_line_fn fn, void *ctx,
                   struct mh_lsread_result *res, char *why, size_t whylen);

#endif
