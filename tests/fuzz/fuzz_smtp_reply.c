// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	fuzz_smtp_reply 1
 * SUMMARY
 *	libFuzzer target for the SMTP reply parser
 * DESCRIPTION
 *	The first input byte seeds the chunking; the rest is what a peer
 *	sends.  The bytes are parsed twice: once in a single feed, once
 *	cut into pseudo-random chunks of 1-16 bytes.  Both must give the
 *	same sequence of replies (code, line count, text) and end in the
 *	same state, every reply must be within the limits, and the EHLO
 *	helpers must cope with whatever was parsed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "../../helpers/probe/probe_smtp_reply.h"

#define FUZZ_MAX_REPLIES 64

struct fuzz_result {
    size_t n;
    int code[FUZZ_MAX_REPLIES];
    size_t nlines[FUZZ_MAX_REPLIES];
    unsigned long sum[FUZZ_MAX_REPLIES];
    int end;                           /* last rc: MORE or an error */
};

static struct mh_smtp_parser parser;

/* fuzz_check - invariants of one complete reply; a text checksum */
static unsigned long
fuzz_check(const struct mh_smtp_reply *r)
{
    unsigned long sum = 0;
    unsigned long long size;
    size_t i, j, len;
    int has;

    if (r->code < 200 || r->code > 599 || r->nlines < 1 || r->nlines > MH_SMTP_REPLY_MAX_LINES) {
        abort();
    }
    for (i = 0; i < r->nlines; i++) {
        len = strlen(r->lines[i]);
        if (len > MH_SMTP_LINE_MAX) {
            abort();
        }
        for (j = 0; j < len; j++) {
            if (r->lines[i][j] == '\r' || r->lines[i][j] == '\n') {
                abort();
            }
            sum = sum * 31 + (unsigned char) r->lines[i][j];
        }
        sum = sum * 31 + '\n';
    }
    (void) mh_smtp_ehlo_size(r, &has, &size);
    (void) mh_smtp_ehlo_keyword(r, "AUTH");
    (void) mh_smtp_ehlo_auth_has(r, "PLAIN");
    return sum;
}

/* fuzz_run - parse DATA in chunks from SEED (0: all at once) */
static void
fuzz_run(const uint8_t *data, size_t size, unsigned seed, struct fuzz_result *res)
{
    size_t off = 0, chunk, used;
    int rc = MH_SMTP_PARSE_MORE;

    memset(res, 0, sizeof(*res));
    mh_smtp_parser_init(&parser);
    while (off < size) {
        chunk = size - off;
        if (seed != 0) {
            seed = seed * 1103515245u + 12345u;
            chunk = 1 + (seed >> 16) % 16;
            if (chunk > size - off) {
                chunk = size - off;
            }
        }
        rc = mh_smtp_parser_feed(&parser, (const char *) data + off, chunk, &used);
        if (used > chunk || (rc == MH_SMTP_PARSE_MORE && used != chunk)) {
            abort();
        }
        off += used;
        if (rc == MH_SMTP_PARSE_DONE) {
            if (res->n < FUZZ_MAX_REPLIES) {
                res->code[res->n] = parser.reply.code;
                res->nlines[res->n] = parser.reply.nlines;
                res->sum[res->n] = fuzz_check(&parser.reply);
                res->n++;
            }
            rc = MH_SMTP_PARSE_MORE;
            continue;
        }
        if (rc < 0) {
            if (parser.why[0] == '\0' || (rc != MH_E_PROTOCOL && rc != MH_E_TOOLONG)) {
                abort();
            }
            break;
        }
    }
    res->end = rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_result whole, chunked;
    unsigned seed;

    if (size < 1) {
        return 0;
    }
    seed = data[0] | 1u;
    fuzz_run(data + 1, size - 1, 0, &whole);
    fuzz_run(data + 1, size - 1, seed, &chunked);
    if (whole.n != chunked.n || whole.end != chunked.end
        || memcmp(whole.code, chunked.code, sizeof(whole.code)) != 0
        || memcmp(whole.nlines, chunked.nlines, sizeof(whole.nlines)) != 0
        || memcmp(whole.sum, chunked.sum, sizeof(whole.sum)) != 0) {
        abort();
    }
    return 0;
}
