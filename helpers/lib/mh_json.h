// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_json 3h
 * SUMMARY
 *	write a string as a JSON string literal
 * DESCRIPTION
 *	The helpers' --json reports all quote strings the same way: '"'
 *	and '\' get a backslash, control characters become \u00XX, valid
 *	UTF-8 is written as it is, and each byte that is not part of a
 *	valid UTF-8 sequence becomes \ufffd, so the report is always valid
 *	JSON (RFC 8259 wants UTF-8).  Two flags keep
 *	the reports' existing bytes: whether DEL (0x7f) is escaped too, and
 *	whether a NULL pointer is written as null or as "".
 */
#ifndef MH_JSON_H
#define MH_JSON_H

#include <stdio.h>

#define MH_JSON_DEL  (1 << 0)   /* escape 0x7f as \u007f */
#define MH_JSON_NULL (1 << 1)   /* NULL is null (without it: "") */

/* mh_json_str - S as a JSON string literal on FP */
void mh_json_str(FILE *fp, const char *s, int flags);

/* mh_utf8_len - length of the valid UTF-8 sequence at S (N bytes
 * left), or 0 when S does not start one (overlong, surrogate, beyond
 * U+10FFFF, truncated, or a stray continuation byte) */
size_t mh_utf8_len(const unsigned char *s, size_t n);

/* The one escaping rule of text reports and exit-reason lines: a
 * control byte (below 0x20, and 0x7f) becomes \xHH, so text from a
 * file (an alias name, a list owner's line) cannot move the cursor,
 * end a line or rewrite the operator's terminal; other bytes stay. */

/* mh_text_put - S on FP, escaped */
void mh_text_put(FILE *fp, const char *s);

/* mh_text_escape - S escaped into OUT (LEN bytes, NUL-terminated,
 * never a cut escape); the length written */
size_t mh_text_escape(char *out, size_t len, const char *s);

#endif
