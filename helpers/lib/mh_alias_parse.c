// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_parse 3
 * SUMMARY
 *	parse Postfix aliases(5) and :include: files
 * SYNOPSIS
 *	#include "mh_alias_parse.h"
 *
 *	int alias_parse_buf(const char *buf, size_t len,
 *	                    const struct alias_parse_cb *cb)
 *	int alias_parse_include_buf(const char *buf, size_t len,
 *	                            const struct alias_parse_cb *cb)
 * DESCRIPTION
 *	An aliases(5) file is a sequence of logical lines.  Blank lines
 *	and lines whose first non-blank character is '#' are ignored; a
 *	line that starts with a space or tab continues the logical line
 *	before it.  A logical line reads "name: value, value, ...".  The
 *	name may be quoted ("a b": x); it must be local (no '@', no
 *	'%').  Values are split at commas outside double quotes; each is
 *	a local name, an address with '@', a |command, a /file/name or
 *	:include:/file/name.
 *
 *	What postalias(1) would silently skip with only a warning (no
 *	colon, a comma before the colon, a non-local name) is reported
 *	here as an error, because such an entry disappears from the
 *	database and its mail bounces.
 *
 *	An :include: file holds destinations separated by commas or
 *	newlines; '#' lines are comments.
 * DIAGNOSTICS
 *	Problems go to cb->diag with a line number; the functions return
 *	0, or -ENOMEM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mh_alias_parse.h"

struct alias_pstate {
    const struct alias_parse_cb *cb;
    char *lbuf;                 /* the logical line being collected */
    size_t llen;
    size_t lcap;
    size_t lline;               /* its first physical line */
    int active;                 /* a logical line is open */
    int has_nul;
    int too_long;
    struct alias_target *tv;    /* targets of the current entry */
    size_t tn;
    size_t tcap;
};

/*
 * Fast paths (memchr and a class table instead of a byte-wise state
 * machine) apply where a segment holds no double quote; they give the
 * same results as the byte-wise code, which the unit tests check by
 * parsing the same inputs both ways.
 */
static int alias_parse_fast = 1;

#define ALIAS_C_BLANK   1
#define ALIAS_C_AT      2

static const unsigned char alias_cclass[256] = {
    ['\t'] = ALIAS_C_BLANK, ['\n'] = ALIAS_C_BLANK, ['\v'] = ALIAS_C_BLANK,
    ['\f'] = ALIAS_C_BLANK, ['\r'] = ALIAS_C_BLANK, [' '] = ALIAS_C_BLANK,
    ['@'] = ALIAS_C_AT, ['%'] = ALIAS_C_AT,
};

/* alias_parse_set_fast - use the fast paths (1, default) or not (0); returns the old value */
int
alias_parse_set_fast(int on)
{
    int old = alias_parse_fast;

    alias_parse_fast = on != 0;
    return old;
}

/* alias_kind_str - name of a destination kind */
const char *
alias_kind_str(enum alias_kind kind)
{
    switch (kind) {
    case ALIAS_T_LOCAL:
        return "local";
    case ALIAS_T_ADDRESS:
        return "address";
    case ALIAS_T_COMMAND:
        return "command";
    case ALIAS_T_FILE:
        return "file";
    case ALIAS_T_INCLUDE:
        return "include";
    }
    return "unknown";
}

/* alias_severity_str - name of a severity */
const char *
alias_severity_str(enum alias_severity sev)
{
    switch (sev) {
    case ALIAS_NOTE:
        return "note";
    case ALIAS_WARNING:
        return "warning";
    case ALIAS_ERROR:
        return "error";
    }
    return "unknown";
}

/* alias_diag - report a problem at LINE */
static void
alias_diag(struct alias_pstate *st, enum alias_severity sev, size_t line,
           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
alias_diag(struct alias_pstate *st, enum alias_severity sev, size_t line,
           const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (st->cb->diag == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st->cb->diag(st->cb->ctx, sev, line, msg);
}

/* alias_is_blank - space, tab or carriage return */
static int
alias_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* alias_lower - fold ASCII letters to lower case, in place */
static void
alias_lower(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char) (*s - 'A' + 'a');
        }
    }
}

/* alias_trim - strip blanks at both ends of [*s, *s + *len) */
static void
alias_trim(char **s, size_t *len)
{
    while (*len > 0 && alias_is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && alias_is_blank((*s)[*len - 1])) {
        (*len)--;
    }
}

/*
 * alias_unquote - remove double quotes and backslash escapes in place
 *
 * Writes the result at S (it only shrinks) and terminates it.  Sets
 * *bare_blank when a blank occurs outside quotes and *bare_at when '@'
 * or '%' does.  Returns the new length, or (size_t) -1 for an
 * unterminated quote.  NOQUOTE: the caller's fast path already knows
 * that S holds no double quote (it searched a range containing S).
 */
static size_t
alias_unquote(char *s, size_t len, int noquote, int *bare_blank, int *bare_at)
{
    size_t in, out = 0;
    int quoted = 0;

    *bare_blank = 0;
    *bare_at = 0;
    if (alias_parse_fast && (noquote || memchr(s, '"', len) == NULL)) {
        /* No quotes: nothing moves (escapes count only inside quotes). */
        unsigned acc = 0;

        for (in = 0; in < len; in++) {
            acc |= alias_cclass[(unsigned char) s[in]];
        }
        *bare_blank = (acc & ALIAS_C_BLANK) != 0;
        *bare_at = (acc & ALIAS_C_AT) != 0;
        s[len] = '\0';
        return len;
    }
    for (in = 0; in < len; in++) {
        char c = s[in];

        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted && c == '\\' && in + 1 < len) {
            s[out++] = s[++in];
            continue;
        }
        if (!quoted) {
            if (alias_is_blank(c)) {
                *bare_blank = 1;
            } else if (c == '@' || c == '%') {
                *bare_at = 1;
            }
        }
        s[out++] = c;
    }
    s[out] = '\0';
    return quoted ? (size_t) -1 : out;
}

/* alias_push_target - add one destination to the current entry */
static int
alias_push_target(struct alias_pstate *st, enum alias_kind kind, const char *text)
{
    if (st->tn == st->tcap) {
        size_t ncap = st->tcap ? st->tcap * 2 : 16;
        struct alias_target *nv = realloc(st->tv, ncap * sizeof(*nv));

        if (nv == NULL) {
            return -ENOMEM;
        }
        st->tv = nv;
        st->tcap = ncap;
    }
    st->tv[st->tn].kind = kind;
    st->tv[st->tn].text = text;
    st->tn++;
    return 0;
}

/*
 * alias_classify - unquote one destination in place and add it
 *
 * Returns 0, 1 when the element is malformed (reported), or -ENOMEM.
 */
static int
alias_classify(struct alias_pstate *st, char *s, size_t len, size_t line, int noquote)
{
    int bare_blank, bare_at;
    size_t n;
    char *t;

    n = alias_unquote(s, len, noquote, &bare_blank, &bare_at);
    if (n == (size_t) -1) {
        alias_diag(st, ALIAS_ERROR, line, "unterminated quoted string");
        return 1;
    }
    t = s;
    if (n == 0) {
        alias_diag(st, ALIAS_ERROR, line, "empty destination \"\"");
        return 1;
    }
    if (t[0] == '|') {
        if (bare_blank) {
            alias_diag(st, ALIAS_WARNING, line,
                       "command \"%.60s\" has unquoted blanks; quote the whole destination", t);
        }
        return alias_push_target(st, ALIAS_T_COMMAND, t);
    }
    if (t[0] == '/') {
        return alias_push_target(st, ALIAS_T_FILE, t);
    }
    if (n >= 9 && t[0] == ':' && strncasecmp(t, ":include:", 9) == 0) {
        char *p = t + 9;
        size_t plen = n - 9;

        alias_trim(&p, &plen);
        p[plen] = '\0';
        if (plen == 0) {
            alias_diag(st, ALIAS_ERROR, line, ":include: without a file name");
            return 1;
        }
        if (p[0] != '/') {
            alias_diag(st, ALIAS_WARNING, line,
                       ":include:%.200s is not an absolute path (local(8) bounces such mail)", p);
        }
        return alias_push_target(st, ALIAS_T_INCLUDE, p);
    }
    if (t[0] == '<' && n >= 2 && t[n - 1] == '>') {
        t[n - 1] = '\0';
        t++;
        n -= 2;
        if (n == 0) {
            alias_diag(st, ALIAS_ERROR, line, "empty destination <>");
            return 1;
        }
    }
    /* Without quotes bare_at already says whether there is an '@' or '%'. */
    if ((!noquote || bare_at) && memchr(t, '@', n) != NULL) {
        if (t[0] == '@' || t[n - 1] == '@') {
            alias_diag(st, ALIAS_ERROR, line, "malformed address \"%.200s\"", t);
            return 1;
        }
        if (bare_blank) {
            alias_diag(st, ALIAS_WARNING, line, "address \"%.200s\" has unquoted blanks", t);
        }
        return alias_push_target(st, ALIAS_T_ADDRESS, t);
    }
    if (bare_blank) {
        alias_diag(st, ALIAS_WARNING, line, "destination \"%.200s\" has unquoted blanks", t);
    }
    alias_lower(t);
    return alias_push_target(st, ALIAS_T_LOCAL, t);
}

/*
 * alias_split - split S at commas outside quotes, classify each part
 *
 * Returns 0 when every part was fine, 1 when one was malformed, or
 * -ENOMEM.
 */
static int
alias_split(struct alias_pstate *st, char *s, size_t len, size_t line)
{
    size_t start = 0, i;
    int quoted = 0;
    int bad = 0;

    if (alias_parse_fast && memchr(s, '"', len) == NULL) {
        /* No quotes: every comma splits. */
        while (start <= len) {
            const char *comma = memchr(s + start, ',', len - start);
            size_t end = comma != NULL ? (size_t) (comma - s) : len;
            char *part = s + start;
            size_t plen = end - start;
            int rc;

            alias_trim(&part, &plen);
            if (plen > 0) {
                rc = alias_classify(st, part, plen, line, 1);
                if (rc < 0) {
                    return rc;
                }
                bad |= rc;
            }
            start = end + 1;
        }
        return bad;
    }
    for (i = 0; i <= len; i++) {
        if (i < len && s[i] == '"') {
            quoted = !quoted;
        } else if (i < len && quoted && s[i] == '\\' && i + 1 < len) {
            i++;
        } else if (i == len || (!quoted && s[i] == ',')) {
            char *part = s + start;
            size_t plen = i - start;
            int rc;

            alias_trim(&part, &plen);
            if (plen > 0) {
                rc = alias_classify(st, part, plen, line, 0);
                if (rc < 0) {
                    return rc;
                }
                bad |= rc;
            }
            start = i + 1;
        }
    }
    return bad;
}

/* alias_parse_logical - parse one complete logical line */
static int
alias_parse_logical(struct alias_pstate *st)
{
    char *s = st->lbuf;
    size_t len = st->llen;
    size_t i, colon = (size_t) -1;
    int quoted = 0;
    int bare_blank, bare_at;
    char *key;
    size_t klen;
    int rc;
    const char *cp = memchr(s, ':', len);
    size_t scan = len;
    size_t region = cp != NULL ? (size_t) (cp - s) : len;

    if (alias_parse_fast && memchr(s, '"', region) == NULL) {
        /* No quote before the first ':': that colon ends the name. */
        if (memchr(s, ',', region) != NULL) {
            alias_diag(st, ALIAS_ERROR, st->lline,
                       "need name:value pair (a comma comes before the first ':')");
            return 0;
        }
        colon = cp != NULL ? region : (size_t) -1;
        scan = 0;       /* decided: skip the byte-wise scan */
    }
    for (i = 0; i < scan; i++) {
        if (s[i] == '"') {
            quoted = !quoted;
        } else if (quoted && s[i] == '\\' && i + 1 < len) {
            i++;
        } else if (!quoted && s[i] == ',') {
            alias_diag(st, ALIAS_ERROR, st->lline,
                       "need name:value pair (a comma comes before the first ':')");
            return 0;
        } else if (!quoted && s[i] == ':') {
            colon = i;
            break;
        }
    }
    if (colon == (size_t) -1) {
        alias_diag(st, ALIAS_ERROR, st->lline, quoted ? "unterminated quoted string"
                   : "need name:value pair (no ':' after the alias name)");
        return 0;
    }
    key = s;
    klen = colon;
    alias_trim(&key, &klen);
    klen = alias_unquote(key, klen, scan == 0, &bare_blank, &bare_at);
    if (klen == (size_t) -1 || klen == 0) {
        alias_diag(st, ALIAS_ERROR, st->lline, "empty alias name before ':'");
        return 0;
    }
    if (bare_at) {
        alias_diag(st, ALIAS_ERROR, st->lline,
                   "alias name \"%.200s\" must be local (no '@' or '%%')", key);
        return 0;
    }
    if (bare_blank) {
        alias_diag(st, ALIAS_ERROR, st->lline,
                   "alias name \"%.200s\" has unquoted blanks", key);
        return 0;
    }
    alias_lower(key);

    st->tn = 0;
    rc = alias_split(st, s + colon + 1, len - colon - 1, st->lline);
    if (rc != 0) {
        return rc < 0 ? rc : 0;
    }
    if (st->tn == 0) {
        alias_diag(st, ALIAS_ERROR, st->lline, "alias \"%.200s\" has no destination", key);
        return 0;
    }
    if (st->cb->entry != NULL) {
        struct alias_entry e;

        e.name = key;
        e.line = st->lline;
        e.targets = st->tv;
        e.ntargets = st->tn;
        st->cb->entry(st->cb->ctx, &e);
    }
    return 0;
}

/* alias_flush - finish the open logical line, if any */
static int
alias_flush(struct alias_pstate *st)
{
    int rc = 0;

    if (!st->active) {
        return 0;
    }
    st->active = 0;
    if (st->has_nul) {
        alias_diag(st, ALIAS_ERROR, st->lline, "NUL byte in the entry");
    } else if (st->too_long) {
        alias_diag(st, ALIAS_ERROR, st->lline, "entry longer than %d bytes",
                   ALIAS_MAX_LOGICAL_LINE);
    } else {
        st->lbuf[st->llen] = '\0';
        rc = alias_parse_logical(st);
    }
    return rc;
}

/* alias_append - add a physical line's text to the logical line */
static int
alias_append(struct alias_pstate *st, const char *p, size_t n)
{
    size_t need;

    if (st->too_long) {
        return 0;
    }
    need = st->llen + n + 2;
    if (need > ALIAS_MAX_LOGICAL_LINE) {
        st->too_long = 1;
        return 0;
    }
    if (need > st->lcap) {
        size_t ncap = st->lcap ? st->lcap : 256;
        char *nb;

        while (ncap < need) {
            ncap *= 2;
        }
        nb = realloc(st->lbuf, ncap);
        if (nb == NULL) {
            return -ENOMEM;
        }
        st->lbuf = nb;
        st->lcap = ncap;
    }
    if (st->llen > 0) {
        st->lbuf[st->llen++] = ' ';
    }
    memcpy(st->lbuf + st->llen, p, n);
    st->llen += n;
    return 0;
}

/* alias_next_line - the physical line at *pos; returns its length */
static size_t
alias_next_line(const char *buf, size_t len, size_t *pos, const char **line)
{
    const char *p = buf + *pos;
    const char *nl = memchr(p, '\n', len - *pos);
    size_t n = nl != NULL ? (size_t) (nl - p) : len - *pos;

    *line = p;
    *pos += n + (nl != NULL);
    if (n > 0 && p[n - 1] == '\r') {
        n--;
    }
    return n;
}

struct alias_parser {
    struct alias_pstate st;
    size_t lineno;
    int rc;
};

/* alias_parser_new - a parser for an aliases(5) file fed in pieces */
struct alias_parser *
alias_parser_new(const struct alias_parse_cb *cb)
{
    struct alias_parser *ap = calloc(1, sizeof(*ap));

    if (ap != NULL) {
        ap->st.cb = cb;
    }
    return ap;
}

/*
 * alias_parser_feed - parse the physical lines in BUF
 *
 * BUF holds whole lines: a piece ends after a newline, except the last
 * piece of the file.  A logical line may go on in the next piece (its
 * text is copied as it is collected).
 */
int
alias_parser_feed(struct alias_parser *ap, const char *buf, size_t len)
{
    struct alias_pstate *st = &ap->st;
    size_t pos = 0;

    while (pos < len && ap->rc == 0) {
        const char *p;
        size_t n = alias_next_line(buf, len, &pos, &p);
        size_t i = 0;
        int nul;

        ap->lineno++;
        while (i < n && (p[i] == ' ' || p[i] == '\t')) {
            i++;
        }
        if (i == n || p[i] == '#') {
            continue;
        }
        nul = memchr(p, '\0', n) != NULL;
        if (i > 0) {
            if (!st->active) {
                alias_diag(st, ALIAS_ERROR, ap->lineno,
                           "continuation line without an alias entry before it");
                continue;
            }
        } else {
            ap->rc = alias_flush(st);
            if (ap->rc != 0) {
                break;
            }
            st->active = 1;
            st->lline = ap->lineno;
            st->llen = 0;
            st->has_nul = 0;
            st->too_long = 0;
        }
        st->has_nul |= nul;
        ap->rc = alias_append(st, p + i, n - i);
    }
    return ap->rc;
}

/* alias_parser_finish - the last entry, then free; 0 or -ENOMEM */
int
alias_parser_finish(struct alias_parser *ap)
{
    int rc;

    if (ap == NULL) {
        return -ENOMEM;
    }
    rc = ap->rc;
    if (rc == 0) {
        rc = alias_flush(&ap->st);
    }
    free(ap->st.lbuf);
    free(ap->st.tv);
    free(ap);
    return rc;
}

/* alias_parse_buf - parse a whole aliases(5) file */
int
alias_parse_buf(const char *buf, size_t len, const struct alias_parse_cb *cb)
{
    struct alias_parser *ap = alias_parser_new(cb);

    if (ap == NULL) {
        return -ENOMEM;
    }
    (void) alias_parser_feed(ap, buf, len);
    return alias_parser_finish(ap);
}

/* alias_parse_include_buf - parse an :include: file */
int
alias_parse_include_buf(const char *buf, size_t len, const struct alias_parse_cb *cb)
{
    struct alias_pstate st;
    size_t pos = 0, lineno = 0;
    char *work = NULL;
    size_t wcap = 0;
    int rc = 0;

    memset(&st, 0, sizeof(st));
    st.cb = cb;
    while (pos < len && rc == 0) {
        const char *p;
        size_t n = alias_next_line(buf, len, &pos, &p);
        size_t i = 0;

        lineno++;
        while (i < n && alias_is_blank(p[i])) {
            i++;
        }
        if (i == n || p[i] == '#') {
            continue;
        }
        if (memchr(p, '\0', n) != NULL) {
            alias_diag(&st, ALIAS_ERROR, lineno, "NUL byte in the line");
            continue;
        }
        if (n > ALIAS_MAX_LOGICAL_LINE) {
            alias_diag(&st, ALIAS_ERROR, lineno, "line longer than %d bytes",
                       ALIAS_MAX_LOGICAL_LINE);
            continue;
        }
        if (n + 1 > wcap) {
            char *nw = realloc(work, n + 1);

            if (nw == NULL) {
                rc = -ENOMEM;
                break;
            }
            work = nw;
            wcap = n + 1;
        }
        memcpy(work, p, n);
        work[n] = '\0';
        st.tn = 0;
        rc = alias_split(&st, work, n, lineno);
        if (rc < 0) {
            break;
        }
        rc = 0;
        if (cb->target != NULL) {
            for (size_t k = 0; k < st.tn; k++) {
                cb->target(cb->ctx, lineno, &st.tv[k]);
            }
        }
    }
    free(work);
    free(st.tv);
    return rc;
}
