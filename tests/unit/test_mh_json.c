// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_json - unit tests of helpers/lib/mh_json: quotes, backslashes,
 * control characters, DEL with and without MH_JSON_DEL, NULL as null or
 * "", UTF-8 bytes untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_json.h"

/* json_of - what mh_json_str writes for S, in a fresh string */
static char *
json_of(const char *s, int flags)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(fp);
    mh_json_str(fp, s, flags);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* expect - S under FLAGS gives WANT */
static void
expect(const char *s, int flags, const char *want)
{
    char *got = json_of(s, flags);

    assert_string_equal(got, want);
    free(got);
}

static void
test_escapes(void **state)
{
    expect("plain", 0, "\"plain\"");
    expect("", 0, "\"\"");
    expect("a\"b\\c", 0, "\"a\\\"b\\\\c\"");
    expect("tab\tnl\ncr\r\001", 0, "\"tab\\u0009nl\\u000acr\\u000d\\u0001\"");
    expect("caf\xc3\xa9", 0, "\"caf\xc3\xa9\"");
    expect("del\x7f", 0, "\"del\x7f\"");
    expect("del\x7f", MH_JSON_DEL, "\"del\\u007f\"");
    expect("\x1f\x20", MH_JSON_DEL, "\"\\u001f \"");
}

static void
test_null(void **state)
{
    expect(NULL, 0, "\"\"");
    expect(NULL, MH_JSON_DEL, "\"\"");
    expect(NULL, MH_JSON_NULL, "null");
    expect("x", MH_JSON_NULL, "\"x\"");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
