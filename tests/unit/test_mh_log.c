// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_log - unit tests of helpers/lib/mh_log: the level filter (and
 * that filtered arguments are not evaluated), libqb opened only by the
 * first message that passes, its stderr format, the direct path when
 * libqb cannot be opened, cluster mode (nothing on stderr but the exit
 * reason), HA_LOGFACILITY=none, and exit-reason prefixes.  stderr is
 * redirected to a temp file and read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mh_log.h"

static int saved_fd = -1;
static char cap_path[] = "/tmp/mh-test-log.XXXXXX";
static char cap[4096];

/* cap_start - send stderr (fd 2) to an empty temp file */
static void
cap_start(void)
{
    int fd;

    fflush(stderr);
    fd = mkstemp(cap_path);
    assert_true(fd >= 0);
    saved_fd = dup(2);
    assert_true(saved_fd >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    close(fd);
}

/* cap_end - restore stderr; cap := what was written to it */
static const char *
cap_end(void)
{
    ssize_t n;
    int fd;

    fflush(stderr);
    assert_int_equal(dup2(saved_fd, 2), 2);
    close(saved_fd);
    saved_fd = -1;
    fd = open(cap_path, O_RDONLY);
    assert_true(fd >= 0);
    n = read(fd, cap, sizeof(cap) - 1);
    assert_true(n >= 0);
    cap[n] = '\0';
    close(fd);
    unlink(cap_path);
    strcpy(cap_path + strlen(cap_path) - 6, "XXXXXX");
    return cap;
}

/* setup - a person's environment, the real libqb */
static int
setup(void **state)
{
    unsetenv("OCF_RESKEY_crm_feature_set");
    unsetenv("HA_LOGFACILITY");
    unsetenv("PCMK_logfacility");
    unsetenv("HA_debug");
    unsetenv("OCF_EXIT_REASON_PREFIX");
    mh_log_qb_soname = "libqb.so.100";
    return 0;
}

static int
teardown(void **state)
{
    mh_log_fini();
    return 0;
}

static int evaluated;

/* count - an argument with a side effect */
static int
count(void)
{
    return ++evaluated;
}

static void
test_before_init(void **state)
{
    const char *out;

    evaluated = 0;
    cap_start();
    mh_err("not set up %d", count());
    out = cap_end();
    assert_string_equal(out, "");
    assert_int_equal(evaluated, 0);
    assert_string_equal(mh_log_backend(), "none");
}

static void
test_quiet_filters(void **state)
{
    const char *out;

    mh_log_init("mh-test", MH_LOG_QUIET);
    evaluated = 0;
    cap_start();
    mh_info("dropped %d", count());
    mh_warn("dropped too %d", count());
    out = cap_end();
    assert_string_equal(out, "");
    assert_int_equal(evaluated, 0);
    /* nothing logged yet: libqb not opened */
    assert_string_equal(mh_log_backend(), "none");

    cap_start();
    mh_err("open %s: %s", "/x", "gone");
    out = cap_end();
    assert_string_equal(out, "mh-test: open /x: gone\n");
    assert_string_equal(mh_log_backend(), "libqb");
}

static void
test_levels(void **state)
{
    const char *out;

    mh_log_init("mh-test", 0);
    cap_start();
    mh_debug("no debug without -v");
    mh_info("info %d", 1);
    out = cap_end();
    assert_string_equal(out, "mh-test: info 1\n");
    mh_log_fini();

    mh_log_init("mh-test", MH_LOG_VERBOSE);
    cap_start();
    mh_debug("debug %s", "on");
    out = cap_end();
    assert_string_equal(out, "mh-test: debug on\n");
    mh_log_fini();

    setenv("HA_debug", "1", 1);
    mh_log_init("mh-test", 0);
    cap_start();
    mh_debug("HA_debug=1");
    out = cap_end();
    assert_string_equal(out, "mh-test: HA_debug=1\n");
}

static void
test_direct_path(void **state)
{
    const char *out;

    mh_log_qb_soname = "libmailha-no-such-library.so.0";
    mh_log_init("mh-direct", 0);
    cap_start();
    mh_notice("written %s", "directly");
    mh_err("twice");
    out = cap_end();
    assert_string_equal(out, "mh-direct: written directly\nmh-direct: twice\n");
    assert_string_equal(mh_log_backend(), "direct");
}

static void
test_long_message(void **state)
{
    char big[2000];
    const char *out;

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    mh_log_init("mh-test", 0);
    cap_start();
    mh_err("%s", big);
    out = cap_end();
    /* truncated, as libqb truncates: one line, under 600 bytes */
    assert_true(strlen(out) > 400);
    assert_true(strlen(out) < 600);
    assert_int_equal(strncmp(out, "mh-test: xxx", 12), 0);
    assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
}

static void
test_exit_reason(void **state)
{
    const char *out;

    mh_log_init("mh-test", MH_LOG_QUIET);
    cap_start();
    mh_exit_reason("SMTP %s: %s", "127.0.0.1:25", "nothing listening");
    out = cap_end();
    assert_string_equal(out, "ocf-exit-reason:SMTP 127.0.0.1:25: nothing listening\n");
    /* not in cluster mode: the reason is not logged a second time */
    assert_string_equal(mh_log_backend(), "none");

    setenv("OCF_EXIT_REASON_PREFIX", "REASON> ", 1);
    cap_start();
    mh_exit_reason("bad %d", 2);
    out = cap_end();
    assert_string_equal(out, "REASON> bad 2\n");
}

static void
test_cluster_mode(void **state)
{
    const char *out;

    setenv("OCF_RESKEY_crm_feature_set", "3.16.2", 1);
    setenv("HA_LOGFACILITY", "local7", 1);
    mh_log_init("mh-test", 0);
    assert_int_equal(mh_log_threshold, LOG_INFO);
    cap_start();
    mh_info("to syslog, not stderr");
    mh_exit_reason("failed");
    out = cap_end();
    /* only the reason line on stderr; the messages went to syslog */
    assert_string_equal(out, "ocf-exit-reason:failed\n");
    assert_string_equal(mh_log_backend(), "libqb");
}

static void
test_cluster_none(void **state)
{
    const char *out;

    evaluated = 0;
    setenv("OCF_RESKEY_crm_feature_set", "3.16.2", 1);
    setenv("HA_LOGFACILITY", "none", 1);
    mh_log_init("mh-test", MH_LOG_VERBOSE);
    assert_int_equal(mh_log_threshold, -1);
    cap_start();
    mh_err("nowhere %d", count());
    mh_exit_reason("still shown");
    out = cap_end();
    assert_string_equal(out, "ocf-exit-reason:still shown\n");
    assert_int_equal(evaluated, 0);
    assert_string_equal(mh_log_backend(), "none");
}

static void
test_reinit(void **state)
{
    const char *out;

    /* init, log, fini, init again: libqb set up afresh, same output */
    mh_log_init("mh-one", 0);
    cap_start();
    mh_info("first");
    out = cap_end();
    assert_string_equal(out, "mh-one: first\n");
    mh_log_fini();
    assert_string_equal(mh_log_backend(), "none");
    mh_log_init("mh-two", 0);
    cap_start();
    mh_info("second");
    out = cap_end();
    assert_string_equal(out, "mh-two: second\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_before_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cluster_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cluster_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reinit, setup, teardown),
        /* last: a failed dlopen is remembered until mh_log_fini() */
        cmocka_unit_test_setup_teardown(test_direct_path, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
