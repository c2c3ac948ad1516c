// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_sha256 - unit tests of helpers/lib/mh_sha256 over nettle: the
 * digests are the ones the former hand-written SHA-256 gave (drift and
 * alias digests are compared across nodes, so a node built before the
 * change and one built after must agree), whatever the input's length
 * and however it is fed.  The FIPS 180-4 vectors are in test_drift.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mh_sha256.h"

#define PATTERN_LEN 300000

static unsigned char pattern[PATTERN_LEN];

/* fill - the fixed input: byte i is i * 131 + i / 128, modulo 256 */
static int
fill(void **state)
{
    (void) state;
    for (size_t i = 0; i < PATTERN_LEN; i++) {
        pattern[i] = (unsigned char) (i * 131 + (i >> 7));
    }
    return 0;
}

/* The digest of the text "N HEX\n" for N = 0..299, HEX the digest of the
 * pattern's first N bytes: lengths around every block boundary and the
 * padding's two cases (the length fits in the last block, or not).  The
 * value is sha256sum(1) of that text as the hand-written implementation
 * printed it (commit c8c0459). */
static void
test_same_as_before_every_length(void **state)
{
    struct mh_sha256 all;
    char hex[MH_SHA256_HEXLEN], line[96];

    (void) state;
    mh_sha256_init(&all);
    for (size_t n = 0; n < 300; n++) {
        mh_sha256_buf_hex(pattern, n, hex);
        snprintf(line, sizeof(line), "%zu %s\n", n, hex);
        mh_sha256_update(&all, line, strlen(line));
    }
    mh_sha256_hex(&all, hex);
    assert_string_equal(hex, "cd00a97447320438b84cd3a4078916a04c03920fa85dcd0b98a5247b55d987c7");
}

/* The whole pattern, in one piece and in pieces of 7 (as before) */
static void
test_same_as_before_pieces(void **state)
{
    const char *before = "4be186698bfd109321030b54c77dc788d59e2a45342bf4484b639bc87a05265d";
    struct mh_sha256 ctx;
    char hex[MH_SHA256_HEXLEN];

    (void) state;
    mh_sha256_buf_hex(pattern, PATTERN_LEN, hex);
    assert_string_equal(hex, before);
    mh_sha256_init(&ctx);
    for (size_t i = 0; i < PATTERN_LEN; i += 7) {
        mh_sha256_update(&ctx, pattern + i, PATTERN_LEN - i < 7 ? PATTERN_LEN - i : 7);
        mh_sha256_update(&ctx, pattern, 0);
    }
    mh_sha256_hex(&ctx, hex);
    assert_string_equal(hex, before);
}

/* mh_sha256_final gives the raw bytes the hex form spells */
static void
test_final_raw(void **state)
{
    static const unsigned char abc[MH_SHA256_LEN] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    struct mh_sha256 ctx;
    unsigned char md[MH_SHA256_LEN];

    (void) state;
    mh_sha256_init(&ctx);
    mh_sha256_update(&ctx, "abc", 3);
    mh_sha256_final(&ctx, md);
    assert_memory_equal(md, abc, MH_SHA256_LEN);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_before_every_length),
        cmocka_unit_test(test_same_as_before_pieces),
        cmocka_unit_test(test_final_raw),
    };

    return cmocka_run_group_tests(tests, fill, NULL);
}
