// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_run - unit tests of helpers/lib/mh_run: exit codes, signals,
 * both streams captured at once, output over the limit (error and
 * truncation), a missing program, PATH search, the time limit with and
 * without capture pipes, start/finish with a signal, stdin from
 * /dev/null, stdout passed through, no descriptor reaching the child,
 * and no descriptor or zombie left behind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_run.h"

/* count_fds - open descriptors of this process */
static int
count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            n++;
        }
    }
    closedir(d);
    return n - 1;               /* the DIR's own */
}

/* no_zombie - no child of ours is left, reaped or not */
static void
no_zombie(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void
test_exit_and_streams(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_CAPTURE };
    struct mh_run_result r;
    char why[256];
    int before = count_fds();

    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_string_equal(r.out, "out\n");
    assert_int_equal(r.outlen, 4);
    assert_string_equal(r.err, "err\n");
    assert_int_equal(r.status, 3);
    assert_int_equal(r.signo, 0);
    mh_run_free(&r);

    /* stderr discarded, stdout not captured: both come back "" */
    o.err = MH_RUN_NULL;
    o.out = MH_RUN_NULL;
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "");
    assert_int_equal(r.status, 3);
    mh_run_free(&r);

    assert_int_equal(count_fds(), before);
    no_zombie();
}

static void
test_signal(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo partial; kill -TERM $$; sleep 5", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL };
    struct mh_run_result r;
    char why[256];

    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.signo, SIGTERM);
    assert_int_equal(r.status, 128 + SIGTERM);
    assert_string_equal(r.out, "partial\n");
    mh_run_free(&r);
    no_zombie();
}

/* Both streams far over a pipe's buffer: poll keeps the child going. */
static void
test_big_both_streams(void **state)
{
    const char *argv[] = { "/bin/sh", "-c",
        "head -c 300000 /dev/zero | tr '\\0' a; head -c 200000 /dev/zero | tr '\\0' b >&2;"
        " head -c 100000 /dev/zero | tr '\\0' c", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_CAPTURE };
    struct mh_run_result r;
    char why[256];

    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.outlen, 400000);
    assert_int_equal(r.errlen, 200000);
    assert_int_equal(strlen(r.out), 400000);
    assert_int_equal(r.out[0], 'a');
    assert_int_equal(r.out[399999], 'c');
    assert_int_equal(r.err[199999], 'b');
    assert_int_equal(r.status, 0);
    mh_run_free(&r);
    no_zombie();
}

static void
test_over_limit(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x", NULL };
    const char *exact[] = { "/bin/sh", "-c", "printf 0123456789", NULL };
    const char *endless[] = { "/usr/bin/yes", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL, .max_out = 1000 };
    struct mh_run_result r;
    char why[256];
    int before = count_fds();

    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), MH_E_TOOLONG);
    assert_non_null(strstr(why, "run /bin/sh: read output:"));
    assert_null(r.out);
    /* a program that never stops writing is killed, not waited for */
    assert_int_equal(mh_run(endless, &o, &r, why, sizeof(why)), MH_E_TOOLONG);
    no_zombie();

    /* exactly the limit is not over it */
    o.max_out = 10;
    assert_int_equal(mh_run(exact, &o, &r, why, sizeof(why)), 0);
    assert_string_equal(r.out, "0123456789");
    mh_run_free(&r);
    o.max_out = 9;
    assert_int_equal(mh_run(exact, &o, &r, why, sizeof(why)), MH_E_TOOLONG);

    /* truncation keeps the first max_out bytes and reads on to the end */
    o.max_out = 1000;
    o.flags = MH_RUN_TRUNCATE;
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.outlen, 1000);
    assert_int_equal(strlen(r.out), 1000);
    assert_int_equal(r.status, 0);
    mh_run_free(&r);

    assert_int_equal(count_fds(), before);
    no_zombie();
}

static void
test_missing(void **state)
{
    const char *none[] = { "/nonexistent/prog", NULL };
    const char *bare[] = { "mailha-no-such-program", NULL };
    char plain[] = "/tmp/mh-run-plain-XXXXXX";
    const char *notexec[] = { plain, NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_CAPTURE };
    struct mh_run_result r;
    char why[256];
    int before = count_fds();
    int fd = mkstemp(plain);            /* mode 0600: not executable */

    assert_true(fd >= 0);
    close(fd);

    assert_int_equal(mh_run(none, &o, &r, why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "run /nonexistent/prog: "));
    assert_int_equal(mh_run(notexec, &o, &r, why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "run /tmp/mh-run-plain-"));
    unlink(plain);
    /* without MH_RUN_PATH a bare name is a file in this directory */
    assert_int_equal(mh_run(bare, &o, &r, why, sizeof(why)), -ENOENT);
    /* with it, a name not on PATH (or a missing path) exits 127, as execlp */
    o.flags = MH_RUN_PATH;
    assert_int_equal(mh_run(bare, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 127);
    mh_run_free(&r);
    assert_int_equal(mh_run(none, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 127);
    mh_run_free(&r);
    assert_int_equal(count_fds(), before);
    no_zombie();
}

static void
test_path_and_prog(void **state)
{
    const char *argv[] = { "sh", "-c", "echo $0", NULL };
    const char *named[] = { "postalias-like", "-c", "echo $0", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL, .flags = MH_RUN_PATH };
    struct mh_run_result r;
    char why[256];

    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_string_equal(r.out, "sh\n");
    mh_run_free(&r);
    o.flags = 0;
    o.prog = "/bin/sh";
    assert_int_equal(mh_run(named, &o, &r, why, sizeof(why)), 0);
    assert_string_equal(r.out, "postalias-like\n");
    mh_run_free(&r);
    o.prog = "/nonexistent/sh";
    assert_int_equal(mh_run(named, &o, &r, why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "run /nonexistent/sh: "));
    no_zombie();
}

static void
test_time_limit(void **state)
{
    const char *slow[] = { "/bin/sleep", "10", NULL };
    const char *quick[] = { "/bin/sh", "-c", "exit 4", NULL };
    /* closes its stdout at once, then takes its time to exit */
    const char *lingers[] = { "/bin/sh", "-c", "exec >&-; sleep 10", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_CAPTURE, .timeout_ms = 100 };
    struct mh_run_result r;
    char why[256];
    int before = count_fds();

    assert_int_equal(mh_run(slow, &o, &r, why, sizeof(why)), MH_E_TIMEOUT);
    assert_non_null(strstr(why, "run /bin/sleep: no answer in 100 ms"));
    no_zombie();
    /* no pipes at all: the wait itself is bounded */
    o.out = o.err = MH_RUN_NULL;
    assert_int_equal(mh_run(slow, &o, &r, why, sizeof(why)), MH_E_TIMEOUT);
    no_zombie();
    o.out = MH_RUN_CAPTURE;
    assert_int_equal(mh_run(lingers, &o, &r, why, sizeof(why)), MH_E_TIMEOUT);
    no_zombie();
    /* a program that finishes in time gives its status */
    o.timeout_ms = 10000;
    assert_int_equal(mh_run(quick, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 4);
    mh_run_free(&r);
    o.out = MH_RUN_NULL;
    assert_int_equal(mh_run(quick, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 4);
    mh_run_free(&r);
    assert_int_equal(count_fds(), before);
    no_zombie();
}

/* The child gets /dev/null on stdin and none of our other descriptors. */
static void
test_child_descriptors(void **state)
{
    char script[256];
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL, .timeout_ms = 10000 };
    struct mh_run_result r;
    char why[256];
    int leak = open("/dev/null", O_RDONLY);     /* no O_CLOEXEC on purpose */
    int pfd[2];
    int saved = dup(STDIN_FILENO);

    assert_true(leak > 2);
    assert_true(saved >= 0);
    assert_int_equal(pipe(pfd), 0);             /* no O_CLOEXEC either */
    assert_int_equal(dup2(pfd[0], STDIN_FILENO), STDIN_FILENO);     /* never ends */
    snprintf(script, sizeof(script), "cat; for n in %d %d %d; do"
             " [ -e /proc/$$/fd/$n ] && echo \"open $n\"; done; echo checked",
             leak, pfd[0], pfd[1]);
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_string_equal(r.out, "checked\n");
    mh_run_free(&r);
    dup2(saved, STDIN_FILENO);
    close(saved);
    close(pfd[0]);
    close(pfd[1]);
    close(leak);
    no_zombie();
}

/* MH_RUN_INHERIT: the child writes where we do. */
static void
test_inherit(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo through", NULL };
    struct mh_run_opts o = { .out = MH_RUN_INHERIT, .err = MH_RUN_NULL };
    struct mh_run_result r;
    char why[256], buf[64];
    int pfd[2], saved;
    ssize_t got;

    fflush(stdout);
    assert_int_equal(pipe(pfd), 0);
    saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(pfd[1], STDOUT_FILENO), STDOUT_FILENO);
    close(pfd[1]);
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    assert_string_equal(r.out, "");
    mh_run_free(&r);
    got = read(pfd[0], buf, sizeof(buf) - 1);
    assert_int_equal(got, 8);
    buf[got] = '\0';
    assert_string_equal(buf, "through\n");
    close(pfd[0]);
    no_zombie();
}

/* start, then finish with a signal: the way postalias is stopped */
static void
test_start_finish_signal(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo started >&2; exec sleep 10", NULL };
    struct mh_run_opts o = { .out = MH_RUN_NULL, .err = MH_RUN_CAPTURE, .max_out = 4,
        .flags = MH_RUN_TRUNCATE };
    struct mh_run_child c;
    struct mh_run_result r;
    char why[256];
    int before = count_fds();

    assert_int_equal(mh_run_start(&c, argv, &o, why, sizeof(why)), 0);
    assert_true(c.pid > 0);
    assert_int_equal(mh_run_finish(&c, SIGTERM, &r, why, sizeof(why)), 0);
    assert_int_equal(c.pid, -1);
    assert_int_equal(r.signo, SIGTERM);
    assert_true(r.errlen <= 4);
    mh_run_free(&r);
    /* finishing twice is refused, not a wait on someone else's child */
    assert_int_equal(mh_run_finish(&c, 0, &r, why, sizeof(why)), -ECHILD);
    assert_int_equal(count_fds(), before);
    no_zombie();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_and_streams),
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_big_both_streams),
        cmocka_unit_test(test_over_limit),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_path_and_prog),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_child_descriptors),
        cmocka_unit_test(test_inherit),
        cmocka_unit_test(test_start_finish_signal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
