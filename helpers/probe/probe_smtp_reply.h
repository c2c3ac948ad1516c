// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_smtp_reply 3h
 * SUMMARY
 *	strict, incremental SMTP reply parser (no I/O)
 * DESCRIPTION
 *	The parser is fed bytes as they arrive, in any chunking, and says
 *	when one whole reply (one or more lines) is complete.  It never
 *	touches a socket, so unit tests and the fuzz target drive it with
 *	plain buffers.  See probe_smtp_reply.c for the grammar it accepts.
 */
#ifndef MH_SMTP_REPLY_H
#define MH_SMTP_REPLY_H

#include <stddef.h>

#define MH_SMTP_LINE_MAX         2048    /* bytes of one line, CRLF excluded */
#define MH_SMTP_REPLY_MAX_LINES  64      /* lines of one reply */

/* What mh_smtp_parser_feed() says. */
#define MH_SMTP_PARSE_MORE  0            /* need more bytes */
#define MH_SMTP_PARSE_DONE  1            /* one reply complete in ->reply */

struct mh_smtp_reply {
    int code;                         /* e.g. 250 */
    size_t nlines;
    /* text of each line, after "NNN-" / "NNN "; NUL-terminated */
    char lines[MH_SMTP_REPLY_MAX_LINES][MH_SMTP_LINE_MAX + 1];
};

struct mh_smtp_parser {
    struct mh_smtp_reply reply;          /* the reply being / just parsed */
    char line[MH_SMTP_LINE_MAX + 1];     /* the line being received */
    size_t len;                       /* bytes in line */
    int cr;                           /* last byte was CR */
    int done;                         /* reply complete; next feed restarts */
    int error;                        /* sticky: 0 or a negative MH_E_* code */
    char why[128];                    /* reason of the error */
};

/* mh_smtp_parser_init - ready for the first reply */
void mh_smtp_parser_init(struct mh_smtp_parser *p);

/* mh_smtp_parser_feed - consume bytes; MORE, DONE or a negative MH_E_* code */
int mh_smtp_parser_feed(struct mh_smtp_parser *p, const char *buf, size_t len, size_t *used);

/* mh_smtp_ehlo_keyword - parameters of an EHLO keyword ("" if none), or NULL */
const char *mh_smtp_ehlo_keyword(const struct mh_smtp_reply *r, const char *keyword);

/* mh_smtp_ehlo_size - SIZE: MH_OK (*has_number, *size), MH_E_NOTFOUND, MH_E_PROTOCOL */
int mh_smtp_ehlo_size(const struct mh_smtp_reply *r, int *has_number, unsigned long long *size);

/* mh_smtp_ehlo_auth_has - true when AUTH lists mechanism MECH */
int mh_smtp_ehlo_auth_has(const struct mh_smtp_reply *r, const char *mech);

/* mh_smtp_printable - copy TEXT for a log line: controls as '?', bounded */
void mh_smtp_printable(char *dst, size_t dstlen, const char *text);

#endif
