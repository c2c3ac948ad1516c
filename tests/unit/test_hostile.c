/* test_hostile - issue 15: hostile input to the helpers' file opens.
 * A FIFO where a helper reads a file (a log cursor, the drift state,
 * a passwd or login.defs file) must be refused, not hang open(): with
 * the old code each of these calls blocked for ever (the alarm below
 * turns that hang into a failed test run). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "mh_driftstate.h"
#include "../../helpers/logscan/mh_lscursor.h"
#include "../../helpers/drift/drift.h"
#include "../../helpers/spool/spool.h"

static char dir[64];
static char fifo[128];

static int
setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/mh-hostile.XXXXXX");
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    if (mkfifo(fifo, 0600) != 0) {
        return -1;
    }
    /* a hang (the defect) ends the run instead of blocking it for ever */
    alarm(60);
    return 0;
}

static int
teardown(void **state)
{
    char path[160];

    alarm(0);
    unlink(fifo);
    snprintf(path, sizeof(path), "%s/file", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

static void
test_open_file(void **state)
{
    char why[256], path[160];
    struct stat st;
    int fd;

    fd = mh_open_file(fifo, O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    assert_non_null(strstr(why, "a FIFO, not a regular file"));
    fd = mh_open_file(fifo, O_RDONLY, 1, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    fd = mh_open_file("/dev/null", O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    assert_non_null(strstr(why, "a character device"));
    fd = mh_open_file(dir, O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    fd = mh_open_file(dir, O_RDONLY, 1, &st, why, sizeof(why));
    assert_true(fd >= 0);
    assert_true(S_ISDIR(st.st_mode));
    close(fd);
    fd = mh_open_file("/nonexistent/x", O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, -ENOENT);
    /* a regular file: open, and blocking again */
    snprintf(path, sizeof(path), "%s/file", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    close(fd);
    fd = mh_open_file(path, O_RDONLY, 0, &st, why, sizeof(why));
    assert_true(fd >= 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    close(fd);
}

static void
test_fifo_cursor(void **state)
{
    struct mh_lscursor cur;
    char why[256];

    assert_int_equal(mh_lscursor_load(fifo, &cur, why, sizeof(why)), MH_E_UNSAFE);
    assert_int_equal(cur.valid, 0);
}

static void
test_fifo_driftstate(void **state)
{
    struct mh_driftstate st;
    char why[256];

    assert_int_equal(mh_driftstate_read(fifo, &st, why, sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "a FIFO"));
    mh_driftstate_free(&st);
}

static void
test_fifo_passwd(void **state)
{
    struct drift_set set;
    struct spool_accts accts;
    struct spool_sel sel = { 1000, 60000, NULL };
    uid_t lo = 1, hi = 2;
    char why[256];

    memset(&set, 0, sizeof(set));
    assert_int_equal(drift_add_accounts(&set, fifo, 0, 60000, why, sizeof(why)), MH_E_UNSAFE);
    drift_set_free(&set);
    assert_int_equal(drift_login_defs(fifo, &lo, &hi), MH_E_UNSAFE);
    assert_int_equal(lo, 1);
    assert_int_equal(spool_accts_load(&accts, fifo, &sel, why, sizeof(why)), MH_E_UNSAFE);
    spool_accts_free(&accts);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_driftstate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_passwd, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
