// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	fuzz_alias_stream 1
 * SUMMARY
 *	libFuzzer target: the aliases(5) parser fed in pieces agrees with it
 *	fed the whole buffer
 * DESCRIPTION
 *	mailha-aliases check reads a table in pieces of whole lines
 *	(alias_parser_feed).  The first input byte picks where the input
 *	is cut (after every Nth newline); the rest is parsed once whole
 *	and once in those pieces.  Every callback (entry names, targets,
 *	kinds, diagnostics with their lines) is folded into a hash; the
 *	two hashes and counts must be equal.  A difference aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mh_alias_parse.h"

struct fz_sum {
    uint64_t h;
    size_t n;
};

/* fz_mix - fold N bytes of P into the sum */
static void
fz_mix(struct fz_sum *s, const void *p, size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++) {
        s->h ^= b[i];
        s->h *= 1099511628211ULL;
    }
    s->n++;
}

/* fz_entry - an entry: name, line, every target */
static void
fz_entry(void *ctx, const struct alias_entry *e)
{
    struct fz_sum *s = ctx;

    fz_mix(s, e->name, strlen(e->name) + 1);
    fz_mix(s, &e->line, sizeof(e->line));
    for (size_t i = 0; i < e->ntargets; i++) {
        fz_mix(s, &e->targets[i].kind, sizeof(e->targets[i].kind));
        fz_mix(s, e->targets[i].text, strlen(e->targets[i].text) + 1);
    }
}

/* fz_diag - a diagnostic: severity, line, text */
static void
fz_diag(void *ctx, enum alias_severity sev, size_t line, const char *msg)
{
    struct fz_sum *s = ctx;

    fz_mix(s, &sev, sizeof(sev));
    fz_mix(s, &line, sizeof(line));
    fz_mix(s, msg, strlen(msg) + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_sum whole = { 1469598103934665603ULL, 0 };
    struct fz_sum parts = { 1469598103934665603ULL, 0 };
    struct alias_parse_cb cbw = { fz_entry, NULL, fz_diag, &whole };
    struct alias_parse_cb cbp = { fz_entry, NULL, fz_diag, &parts };
    struct alias_parser *ap;
    const char *buf;
    size_t len, every, start = 0, seen = 0;

    if (size < 1) {
        return 0;
    }
    every = (size_t) (data[0] % 7) + 1;
    buf = (const char *) data + 1;
    len = size - 1;
    if (alias_parse_buf(buf, len, &cbw) != 0) {
        abort();
    }
    ap = alias_parser_new(&cbp);
    if (ap == NULL) {
        abort();
    }
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n' && ++seen % every == 0) {
            if (alias_parser_feed(ap, buf + start, i + 1 - start) != 0) {
                abort();
            }
            start = i + 1;
        }
    }
    if (alias_parser_feed(ap, buf + start, len - start) != 0
        || alias_parser_finish(ap) != 0) {
        abort();
    }
    if (whole.h != parts.h || whole.n != parts.n) {
        abort();
    }
    return 0;
}
