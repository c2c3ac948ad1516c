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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "wrap.h"
#include "mh_run.h"
#include "mh_sys.h"

/* read(), poll(), waitpid() and mh_sys_pidfd_open(), wrapped (the
 * Makefile links this test with -Wl,--wrap=read,--wrap=poll,
 * --wrap=waitpid,--wrap=mh_sys_pidfd_open): the real ones, but the next
 * fake_read_errno reads fail with errno fake_read_err, the next
 * fake_poll_intr polls and fake_waitpid_intr waits fail with EINTR, with
 * fake_poll_einval the next poll fails with EINVAL, and with
 * fake_no_pidfd pidfd_open fails with ENOSYS (a kernel before 5.3). */
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __wrap_read(int fd, void *buf, size_t len);
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
pid_t __real_waitpid(pid_t pid, int *status, int flags);
pid_t __wrap_waitpid(pid_t pid, int *status, int flags);
int __real_mh_sys_pidfd_open(pid_t pid);
int __wrap_mh_sys_pidfd_open(pid_t pid);
static int fake_read_errno;
static int fake_read_err;
static int fake_poll_intr;
static int fake_poll_einval;
static int fake_waitpid_intr;
static int fake_no_pidfd;

ssize_t
__wrap_read(int fd, void *buf, size_t len)
{
    if (wrap_fail(&fake_read_errno, fake_read_err))
        return -1;
    return __real_read(fd, buf, len);
}

int
__wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    if (wrap_fail(&fake_poll_intr, EINTR))
        return -1;
    if (wrap_fail(&fake_poll_einval, EINVAL))
        return -1;
    return __real_poll(fds, n, timeout);
}

pid_t
__wrap_waitpid(pid_t pid, int *status, int flags)
{
    if (wrap_fail(&fake_waitpid_intr, EINTR))
        return -1;
    return __real_waitpid(pid, status, flags);
}

int
__wrap_mh_sys_pidfd_open(pid_t pid)
{
    if (fake_no_pidfd) {
        errno = ENOSYS;
        return -1;
    }
    return __real_mh_sys_pidfd_open(pid);
}

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

/* Descriptors 0, 1 and 2 closed in turn: the pipes, the pidfd and the
 * child's /dev/null land there, and must not be taken for a standard
 * stream or an error. */
static void
test_low_descriptors(void **state)
{
    const char *both[] = { "/bin/sh", "-c", "echo out; echo err >&2", NULL };
    const char *quick[] = { "/bin/sh", "-c", "exit 4", NULL };
    const char *lingers[] = { "/bin/sh", "-c", "exec >&-; sleep 10", NULL };
    struct mh_run_opts o = { .out = MH_RUN_NULL, .err = MH_RUN_CAPTURE };
    struct mh_run_result r;
    char why[256];
    int s0, s1, s2, rc, before;
    char out[64] = "", err[64] = "";
    int status = -1, fds = -1;

    fflush(stdout);
    fflush(stderr);
    s0 = dup(STDIN_FILENO);
    s1 = dup(STDOUT_FILENO);
    s2 = dup(STDERR_FILENO);
    assert_true(s0 > 2 && s1 > 2 && s2 > 2);

    /* stdout and stderr closed: stderr's pipe is made as 1 and 2, and the
     * child's stderr must still be that pipe */
    close(STDOUT_FILENO);
    close(STDERR_FILENO);
    rc = mh_run(both, &o, &r, why, sizeof(why));
    if (rc == 0) {
        snprintf(err, sizeof(err), "%s", r.err);
        mh_run_free(&r);
    }
    dup2(s1, STDOUT_FILENO);
    dup2(s2, STDERR_FILENO);
    assert_int_equal(rc, 0);
    assert_string_equal(err, "err\n");

    /* stdout closed: the child's /dev/null opens as 1, and must not stay
     * there for its stderr once stdout is the capture pipe */
    o.out = MH_RUN_CAPTURE;
    o.err = MH_RUN_NULL;
    close(STDOUT_FILENO);
    rc = mh_run(both, &o, &r, why, sizeof(why));
    if (rc == 0) {
        snprintf(out, sizeof(out), "%s", r.out);
        mh_run_free(&r);
    }
    dup2(s1, STDOUT_FILENO);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "out\n");

    /* stdin closed: the pidfd is descriptor 0, polled and closed like any */
    o.out = MH_RUN_CAPTURE;
    o.err = MH_RUN_CAPTURE;
    o.timeout_ms = 10000;
    close(STDIN_FILENO);
    before = count_fds();
    rc = mh_run(quick, &o, &r, why, sizeof(why));
    if (rc == 0) {
        status = r.status;
        mh_run_free(&r);
        fds = count_fds();
    }
    dup2(s0, STDIN_FILENO);
    assert_int_equal(rc, 0);
    assert_int_equal(status, 4);
    assert_int_equal(fds, before);
    o.timeout_ms = 100;
    o.err = MH_RUN_NULL;        /* no pipe left open: only the pidfd waits */
    close(STDIN_FILENO);
    rc = mh_run(lingers, &o, &r, why, sizeof(why));
    dup2(s0, STDIN_FILENO);
    assert_int_equal(rc, MH_E_TIMEOUT);

    close(s0);
    close(s1);
    close(s2);
    no_zombie();
}

/* MH_RUN_INHERIT and MH_RUN_NULL for stderr: where ours goes, or discarded */
static void
test_stderr_modes(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo through >&2", NULL };
    struct mh_run_opts o = { .out = MH_RUN_NULL, .err = MH_RUN_INHERIT };
    struct mh_run_result r;
    char why[256], buf[64];
    int pfd[2], saved, rc1, rc2;
    ssize_t got1, got2;

    fflush(stderr);
    assert_int_equal(pipe2(pfd, O_NONBLOCK), 0);
    saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(pfd[1], STDERR_FILENO), STDERR_FILENO);
    close(pfd[1]);
    rc1 = mh_run(argv, &o, &r, why, sizeof(why));
    mh_run_free(&r);
    got1 = read(pfd[0], buf, sizeof(buf) - 1);
    o.err = MH_RUN_NULL;
    rc2 = mh_run(argv, &o, &r, why, sizeof(why));
    mh_run_free(&r);
    got2 = read(pfd[0], buf + 8, sizeof(buf) - 9);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(pfd[0]);
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, 0);
    assert_int_equal(got1, 8);      /* inherited: ours */
    buf[8] = '\0';
    assert_string_equal(buf, "through\n");
    assert_int_equal(got2, -1);     /* discarded: nothing */
    no_zombie();
}

/* out_despite - "echo out" run with its stdout captured succeeds although
 * the wrapper behind *FAKE (set by the caller) failed a call: the failure
 * was used up (*FAKE 0), the output is whole and WHY is left alone */
static void
out_despite(const int *fake)
{
    const char *argv[] = { "/bin/sh", "-c", "echo out", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL };
    struct mh_run_result r;
    char why[256];

    strcpy(why, "untouched");
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(*fake, 0);
    assert_string_equal(r.out, "out\n");
    assert_string_equal(why, "untouched");
    mh_run_free(&r);
}

/* A read of the pipe interrupted (EINTR) or with nothing yet (EAGAIN) is
 * retried; one that fails is the result.  WHY is left alone on success. */
static void
test_read_errors(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo out", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL };
    struct mh_run_result r;
    char why[256];
    int before = count_fds();

    fake_read_err = EINTR;
    fake_read_errno = 1;
    out_despite(&fake_read_errno);
    fake_read_err = EAGAIN;
    fake_read_errno = 1;
    out_despite(&fake_read_errno);
    fake_read_err = EIO;
    fake_read_errno = 1;
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), -EIO);
    assert_string_equal(why, "run /bin/sh: read output: Input/output error");
    assert_null(r.out);
    fake_read_errno = 0;
    assert_int_equal(count_fds(), before);
    no_zombie();
}

/* poll interrupted is retried; poll failing is the result */
static void
test_poll_errors(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo out", NULL };
    struct mh_run_opts o = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL };
    struct mh_run_result r;
    char why[256];
    int before = count_fds();

    fake_poll_intr = 2;
    out_despite(&fake_poll_intr);
    fake_poll_einval = 1;
    assert_int_equal(mh_run(argv, &o, &r, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "run /bin/sh: poll: Invalid argument");
    fake_poll_einval = 0;
    assert_int_equal(count_fds(), before);
    no_zombie();
}

/* The child reaped behind our back, an interrupted wait, no pidfd */
static void
test_wait_errors(void **state)
{
    const char *quick[] = { "/bin/sh", "-c", "exit 4", NULL };
    const char *slow[] = { "/bin/sleep", "10", NULL };
    const char *lingers[] = { "/bin/sh", "-c", "exec >&-; sleep 0.2; exit 5", NULL };
    struct mh_run_opts o = { .out = MH_RUN_NULL, .err = MH_RUN_NULL };
    struct mh_run_child c, other;
    struct mh_run_result r;
    char why[256];
    int st;

    /* an interrupted wait is waited again */
    fake_waitpid_intr = 1;
    assert_int_equal(mh_run(quick, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(fake_waitpid_intr, 0);
    assert_int_equal(r.status, 4);
    mh_run_free(&r);

    /* a child someone else reaped: the wait fails, once, with ECHILD */
    assert_int_equal(mh_run_start(&c, quick, &o, why, sizeof(why)), 0);
    assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
    assert_int_equal(mh_run_finish(&c, 0, &r, why, sizeof(why)), -ECHILD);
    assert_non_null(strstr(why, "run /bin/sh: wait: "));
    assert_null(r.out);

    /* a child that was never started (pid 0) is refused, and no other
     * child of ours is waited for in its place */
    assert_int_equal(mh_run_start(&other, quick, &o, why, sizeof(why)), 0);
    memset(&c, 0, sizeof(c));
    c.fd[0] = c.fd[1] = -1;
    assert_int_equal(mh_run_finish(&c, 0, &r, why, sizeof(why)), -ECHILD);
    assert_string_equal(why, "run program: not started");
    assert_int_equal(mh_run_finish(&other, 0, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 4);
    mh_run_free(&r);

    /* no pidfd (before Linux 5.3): the time limit polls waitpid */
    fake_no_pidfd = 1;
    o.timeout_ms = 10000;
    strcpy(why, "untouched");
    assert_int_equal(mh_run(quick, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 4);
    mh_run_free(&r);
    no_zombie();
    o.out = MH_RUN_CAPTURE;
    assert_int_equal(mh_run(lingers, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(r.status, 5);
    assert_string_equal(why, "untouched");
    mh_run_free(&r);
    no_zombie();
    fake_waitpid_intr = 1;
    assert_int_equal(mh_run(lingers, &o, &r, why, sizeof(why)), 0);
    assert_int_equal(fake_waitpid_intr, 0);
    assert_int_equal(r.status, 5);
    mh_run_free(&r);
    o.timeout_ms = 100;
    o.out = MH_RUN_NULL;        /* no pipe: only the waitpid loop sees the time */
    assert_int_equal(mh_run(slow, &o, &r, why, sizeof(why)), MH_E_TIMEOUT);
    assert_string_equal(why, "run /bin/sleep: no answer in 100 ms");
    no_zombie();
    o.timeout_ms = 2000;
    assert_int_equal(mh_run_start(&c, quick, &o, why, sizeof(why)), 0);
    assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
    assert_int_equal(mh_run_finish(&c, 0, &r, why, sizeof(why)), -ECHILD);
    assert_non_null(strstr(why, "run /bin/sh: wait: "));
    fake_no_pidfd = 0;
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
        cmocka_unit_test(test_low_descriptors),
        cmocka_unit_test(test_stderr_modes),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_poll_errors),
        cmocka_unit_test(test_wait_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
