// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	fuzz_spool_parse 1
 * SUMMARY
 *	libFuzzer target for mailha-spool's small parsers
 * DESCRIPTION
 *	The input is given, NUL-terminated, to the Postfix time value
 *	parser (stale_lock_time), the mode parser, the dot-lock name test
 *	and the name quoting.  Invariants: a parsed time is within
 *	0..100000000 s and only digits with at most one unit letter
 *	parse; a parsed mode fits 07777; a dot-lock name's account part
 *	is a proper prefix followed by ".lock"; the name as the reports
 *	quote it (mh_json_str, the one rule of every helper's JSON) is
 *	one string literal: no control byte or DEL, no unescaped quote
 *	inside, and valid UTF-8 throughout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_json.h"
#include "mh_rc.h"
#include "../../helpers/spool/spool.h"

/* fuzz_quote_check - the quoted NAME is one JSON string literal, valid UTF-8 */
static void
fuzz_quote_check(const char *name)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *fp;

    fp = open_memstream(&buf, &len);
    if (fp == NULL) {
        return;
    }
    mh_json_str(fp, name, MH_JSON_DEL);
    fclose(fp);
    if (len < 2 || buf[0] != '"' || buf[len - 1] != '"') {
        abort();
    }
    for (i = 1; i < len - 1;) {
        const unsigned char c = (unsigned char) buf[i];
        size_t u;

        if (c < 0x20 || c == 0x7f || c == '"') {
            abort();
        }
        if (c == '\\') {
            i += 2;     /* an escape: its next byte is ASCII */
            continue;
        }
        u = mh_utf8_len((const unsigned char *) buf + i, len - 1 - i);
        if (u == 0) {
            abort();
        }
        i += u;
    }
    if (i != len - 1) {
        abort();
    }
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    long secs;
    mode_t mode;
    size_t n, len;

    s = malloc(size + 1);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    len = strlen(s);
    if (spool_parse_time(s, &secs) == MH_OK) {
        if (secs < 0 || secs > 100000000L || len == 0 || s[0] < '0' || s[0] > '9') {
            abort();
        }
    }
    if (spool_parse_mode(s, &mode) == MH_OK && (mode & ~07777) != 0) {
        abort();
    }
    n = spool_lock_name(s, len);
    if (n != 0 && (n + 5 != len || strcmp(s + n, ".lock") != 0 || s[0] == '.')) {
        abort();
    }
    fuzz_quote_check(s);
    free(s);
    return 0;
}
