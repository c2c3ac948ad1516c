// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_smtp_reply 3
 * SUMMARY
 *	strict, incremental SMTP reply parser
 * SYNOPSIS
 *	#include "probe_smtp_reply.h"
 *
 *	void mh_smtp_parser_init(struct mh_smtp_parser *p)
 *	int mh_smtp_parser_feed(struct mh_smtp_parser *p, const char *buf,
 *	                     size_t len, size_t *used)
 *	const char *mh_smtp_ehlo_keyword(const struct mh_smtp_reply *r,
 *	                              const char *keyword)
 *	int mh_smtp_ehlo_size(const struct mh_smtp_reply *r, int *has_number,
 *	                   unsigned long long *size)
 *	int mh_smtp_ehlo_auth_has(const struct mh_smtp_reply *r, const char *mech)
 * DESCRIPTION
 *	A reply is one or more lines "NNN-text" followed by one final
 *	line "NNN text" or a bare "NNN" (RFC 5321 section 4.2), where NNN
 *	is a code 200-599 that is the same on every line.
 *
 *	Every line must end in CRLF.  A bare LF, or a CR that is not
 *	followed by LF, is a protocol error: Postfix always sends CRLF,
 *	so a bare LF means the peer is not the smtpd we meant to probe
 *	(or a broken proxy sits in between), and a health probe should
 *	say so rather than guess.  NUL bytes are rejected too.
 *
 *	Limits keep a hostile or broken peer from growing us: a line may
 *	hold MH_SMTP_LINE_MAX bytes (SMTP allows 512; we accept four times
 *	that) and a reply MH_SMTP_REPLY_MAX_LINES lines.
 *
 *	mh_smtp_parser_feed() consumes bytes up to the end of the first
 *	complete reply and stores in *used how many it took; bytes past
 *	that belong to the next reply and must be fed again.  After DONE
 *	the reply stays readable in p->reply until the next feed.  An
 *	error is sticky until mh_smtp_parser_init().
 * DIAGNOSTICS
 *	MH_E_PROTOCOL for malformed input, MH_E_TOOLONG for a line or
 *	reply over the limits; p->why says what.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mh_rc.h"
#include "probe_smtp_reply.h"

/* mh_smtp_parser_init - ready for the first reply */
void
mh_smtp_parser_init(struct mh_smtp_parser *p)
{
    p->reply.code = 0;
    p->reply.nlines = 0;
    p->len = 0;
    p->cr = 0;
    p->done = 0;
    p->error = 0;
    p->why[0] = '\0';
}

/* mh_smtp_parser_fail - record a sticky error */
static int
mh_smtp_parser_fail(struct mh_smtp_parser *p, int rc, const char *why)
{
    p->error = rc;
    snprintf(p->why, sizeof(p->why), "%s", why);
    return rc;
}

/* mh_smtp_parser_line - take one complete line (CRLF stripped) */
static int
mh_smtp_parser_line(struct mh_smtp_parser *p)
{
    const char *l = p->line;
    const char *text;
    int code, final;

    if (p->len < 3 || !isdigit((unsigned char) l[0]) || !isdigit((unsigned char) l[1])
        || !isdigit((unsigned char) l[2])) {
        return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "reply line does not start with a 3-digit code");
    }
    code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
    if (code < 200 || code > 599) {
        return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "reply code out of range 200-599");
    }
    if (p->len == 3) {
        final = 1;
        text = "";
    } else if (l[3] == ' ') {
        final = 1;
        text = l + 4;
    } else if (l[3] == '-') {
        final = 0;
        text = l + 4;
    } else {
        return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "reply code not followed by space, '-' or CRLF");
    }
    if (p->reply.nlines > 0 && code != p->reply.code) {
        return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "reply lines carry different codes");
    }
    if (p->reply.nlines >= MH_SMTP_REPLY_MAX_LINES) {
        return mh_smtp_parser_fail(p, MH_E_TOOLONG, "reply has too many lines");
    }
    p->reply.code = code;
    /* text is at most MH_SMTP_LINE_MAX - 4 bytes and NUL-terminated */
    memcpy(p->reply.lines[p->reply.nlines], text, strlen(text) + 1);
    p->reply.nlines++;
    p->len = 0;
    if (final) {
        p->done = 1;
        return MH_SMTP_PARSE_DONE;
    }
    return MH_SMTP_PARSE_MORE;
}

/* mh_smtp_parser_feed - consume bytes until one reply is complete */
int
mh_smtp_parser_feed(struct mh_smtp_parser *p, const char *buf, size_t len, size_t *used)
{
    size_t i;
    int rc;
    char c;

    *used = 0;
    if (p->error != 0) {
        return p->error;
    }
    if (p->done) {
        p->done = 0;
        p->reply.code = 0;
        p->reply.nlines = 0;
        p->len = 0;
        p->cr = 0;
    }
    for (i = 0; i < len; i++) {
        c = buf[i];
        if (p->cr) {
            if (c != '\n') {
                *used = i + 1;
                return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "CR not followed by LF in reply");
            }
            p->cr = 0;
            p->line[p->len] = '\0';
            rc = mh_smtp_parser_line(p);
            if (rc != MH_SMTP_PARSE_MORE) {
                *used = i + 1;
                return rc;
            }
            continue;
        }
        if (c == '\r') {
            p->cr = 1;
            continue;
        }
        if (c == '\n') {
            *used = i + 1;
            return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "bare LF (no CR) in reply");
        }
        if (c == '\0') {
            *used = i + 1;
            return mh_smtp_parser_fail(p, MH_E_PROTOCOL, "NUL byte in reply");
        }
        if (p->len >= MH_SMTP_LINE_MAX) {
            *used = i + 1;
            return mh_smtp_parser_fail(p, MH_E_TOOLONG, "reply line longer than 2048 bytes");
        }
        p->line[p->len++] = c;
    }
    *used = len;
    return MH_SMTP_PARSE_MORE;
}

/* mh_smtp_ehlo_keyword - find an EHLO extension by keyword */
const char *
mh_smtp_ehlo_keyword(const struct mh_smtp_reply *r, const char *keyword)
{
    size_t i, kl = strlen(keyword);
    const char *l;

    /* Line 0 is the greeting ("host Hello ..."), not an extension. */
    for (i = 1; i < r->nlines; i++) {
        l = r->lines[i];
        if (strncasecmp(l, keyword, kl) != 0) {
            continue;
        }
        if (l[kl] == '\0') {
            return l + kl;
        }
        if (l[kl] == ' ') {
            l += kl;
            while (*l == ' ') {
                l++;
            }
            return l;
        }
    }
    return NULL;
}

/* mh_smtp_ehlo_size - the SIZE extension and its number, if any */
int
mh_smtp_ehlo_size(const struct mh_smtp_reply *r, int *has_number, unsigned long long *size)
{
    const char *v = mh_smtp_ehlo_keyword(r, "SIZE");
    const char *s;
    unsigned long long n = 0;

    *has_number = 0;
    *size = 0;
    if (v == NULL) {
        return MH_E_NOTFOUND;
    }
    if (*v == '\0') {
        return MH_OK;
    }
    for (s = v; *s != '\0'; s++) {
        if (!isdigit((unsigned char) *s)) {
            return MH_E_PROTOCOL;
        }
        if (n > (~0ULL - 9) / 10) {
            return MH_E_PROTOCOL;
        }
        n = n * 10 + (unsigned) (*s - '0');
    }
    *has_number = 1;
    *size = n;
    return MH_OK;
}

/* mh_smtp_ehlo_auth_has - does AUTH list MECH (case-insensitive)? */
int
mh_smtp_ehlo_auth_has(const struct mh_smtp_reply *r, const char *mech)
{
    const char *v = mh_smtp_ehlo_keyword(r, "AUTH");
    size_t ml = strlen(mech), wl;

    if (v == NULL || ml == 0) {
        return 0;
    }
    while (*v != '\0') {
        while (*v == ' ') {
            v++;
        }
        wl = strcspn(v, " ");
        if (wl == ml && strncasecmp(v, mech, ml) == 0) {
            return 1;
        }
        v += wl;
    }
    return 0;
}

/* mh_smtp_printable - a bounded copy with control bytes shown as '?' */
void
mh_smtp_printable(char *dst, size_t dstlen, const char *text)
{
    size_t i;

    if (dstlen == 0) {
        return;
    }
    for (i = 0; i + 1 < dstlen && text[i] != '\0'; i++) {
        dst[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
    }
    dst[i] = '\0';
}
