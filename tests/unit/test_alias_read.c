// SPDX-License-Identifier: GPL-2.0-or-later
/* test_alias_read - unit tests of alias_read_file (helpers/aliases/
 * alias_check.c), the read of include files and of the digest's inputs:
 * a regular file whole, an empty one, one at the size limit, and each
 * refusal with its code and reason: missing, over the limit, a directory,
 * a FIFO (refused without blocking), a symbolic link to a FIFO. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_check.h"

static char dir[] = "/tmp/mh-aliasread-XXXXXX";

/* make - DIR/NAME with TEXT; its path in PATH */
static void
make(const char *name, const char *text, char *path, size_t len)
{
    FILE *fp;

    snprintf(path, len, "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static int
setup(void **state)
{
    (void) state;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void) state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
test_read_whole(void **state)
{
    char path[256], why[512] = "";
    char *buf = NULL;
    size_t len = 99;

    (void) state;
    make("list", "ann\nben\n", path, sizeof(path));
    assert_int_equal(alias_read_file(path, 8, &buf, &len, why, sizeof(why)), MH_OK);
    assert_int_equal(len, 8);
    assert_string_equal(buf, "ann\nben\n");
    assert_string_equal(why, "");
    free(buf);

    make("empty", "", path, sizeof(path));
    assert_int_equal(alias_read_file(path, 8, &buf, &len, why, sizeof(why)), MH_OK);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    free(buf);
}

static void
test_read_refused(void **state)
{
    char path[256], want[600], why[512];
    char *buf = (char *) "untouched";
    size_t len = 99;

    (void) state;
    /* one byte over the limit */
    make("big", "ann\nben\nx", path, sizeof(path));
    assert_int_equal(alias_read_file(path, 8, &buf, &len, why, sizeof(why)), MH_E_TOOLONG);
    snprintf(want, sizeof(want), "read %s: larger than 8 bytes", path);
    assert_string_equal(why, want);
    assert_null(buf);
    assert_int_equal(len, 0);

    snprintf(path, sizeof(path), "%s/missing", dir);
    assert_int_equal(alias_read_file(path, 8, &buf, &len, why, sizeof(why)), -ENOENT);
    snprintf(want, sizeof(want), "open %s: %s", path, strerror(ENOENT));
    assert_string_equal(why, want);
    assert_null(buf);

    assert_int_equal(alias_read_file(dir, 8, &buf, &len, why, sizeof(why)), MH_E_UNSAFE);
    snprintf(want, sizeof(want), "read %s: not a regular file", dir);
    assert_string_equal(why, want);

    /* a FIFO nobody writes to: refused at once, not waited on */
    snprintf(path, sizeof(path), "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(alias_read_file(path, 8, &buf, &len, why, sizeof(why)), MH_E_UNSAFE);
    snprintf(want, sizeof(want), "read %s: not a regular file", path);
    assert_string_equal(why, want);
    snprintf(want, sizeof(want), "%s/to-fifo", dir);
    assert_int_equal(symlink(path, want), 0);
    assert_int_equal(alias_read_file(want, 8, &buf, &len, why, sizeof(why)), MH_E_UNSAFE);
    assert_null(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_whole),
        cmocka_unit_test(test_read_refused),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
