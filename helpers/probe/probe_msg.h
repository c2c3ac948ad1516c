// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_msg 3h
 * SUMMARY
 *	find and remove one probe message from an mbox or a maildir
 * DESCRIPTION
 *	The delivery probe sends a message carrying a unique token in an
 *	"X-Mailha-Probe: TOKEN" header, then waits for it in the
 *	recipient's mailbox and removes exactly that message, and nothing
 *	else.  These functions do one look each; the caller loops until
 *	its deadline.
 */
#ifndef MH_PROBEMSG_H
#define MH_PROBEMSG_H

#include <stddef.h>

#define MH_PROBEMSG_HEADER "X-Mailha-Probe"

/* mh_probemsg_mbox_find - the span [start, end) of the message with TOKEN */
int mh_probemsg_mbox_find(const char *buf, size_t len, const char *token,
                    size_t *start, size_t *end);

/* The mbox scanner: fed the file in pieces of any size, it keeps only
 * the first bytes of the current line, so a mailbox is read in
 * constant memory, by read() (no mapping a truncation could turn into
 * SIGBUS), and the caller can check its deadline between pieces. */
struct mh_probemsg_scan {
    char want[300];             /* the token line */
    size_t wl;
    char head[304];             /* first bytes of the current line */
    size_t hl;
    long long off;              /* offset of the next byte fed */
    long long line_start;
    long long line_len;
    long long msg_start;        /* the current From_ line, or -1 */
    int in_header;
    int found;                  /* 1: start known; 2: end known too */
    long long start, end;
};

/* mh_probemsg_scan_init - 0, or MH_E_NOTFOUND for an impossible token */
int mh_probemsg_scan_init(struct mh_probemsg_scan *sc, const char *token);

/* mh_probemsg_scan_feed - the next LEN bytes; 1 when the span is known */
int mh_probemsg_scan_feed(struct mh_probemsg_scan *sc, const char *buf, size_t len);

/* mh_probemsg_scan_end - end of input; MH_OK with the span, or MH_E_NOTFOUND */
int mh_probemsg_scan_end(struct mh_probemsg_scan *sc, long long *start, long long *end);

/* mh_probemsg_mbox_remove - remove the message under Postfix's locks */
int mh_probemsg_mbox_remove(const char *path, const char *token, long long deadline,
                      char *why, size_t whylen);

/* mh_probemsg_maildir_remove - unlink the one file in new/ or cur/ with TOKEN */
int mh_probemsg_maildir_remove(const char *path, const char *token, char *why, size_t whylen);

/* mh_probemsg_maildir_remove_by - the same, MH_E_TIMEOUT past DEADLINE
 * (CLOCK_MONOTONIC ms), checked for every directory entry */
int mh_probemsg_maildir_remove_by(const char *path, const char *token, long long deadline,
                                  char *why, size_t whylen);

/* mh_probemsg_header_has - true when the header block of BUF has the token line */
int mh_probemsg_header_has(const char *buf, size_t len, const char *token);

#endif
