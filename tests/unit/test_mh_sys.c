// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_sys - unit tests of helpers/lib/mh_sys: a pidfd pins a child
 * (readable when it exits, a signal through it ends it, no pidfd for a
 * pid that is gone), and both ways of closing descriptors leave 0-2 open
 * and close everything above the bound, in a forked child as mh_run
 * uses them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_sys.h"

/* child_pause - a child that waits to be killed */
static pid_t
child_pause(void)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        for (;;) {
            pause();
        }
    }
    return pid;
}

static void
test_pidfd_signal(void **state)
{
    struct pollfd pfd;
    int status, fd;
    pid_t pid;

    (void) state;
    pid = child_pause();
    fd = mh_sys_pidfd_open(pid);
    assert_true(fd >= 0);
    pfd.fd = fd;
    pfd.events = POLLIN;
    /* alive: not readable */
    assert_int_equal(poll(&pfd, 1, 0), 0);
    assert_int_equal(mh_sys_pidfd_send_signal(fd, SIGTERM), 0);
    /* readable once it has exited, before it is reaped */
    assert_int_equal(poll(&pfd, 1, 5000), 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    close(fd);
    /* a pid that is gone: no descriptor */
    errno = 0;
    assert_int_equal(mh_sys_pidfd_open(pid), -1);
    assert_int_equal(errno, ESRCH);
}

/* closed_in_child - fork, open descriptors 3.., run CLOSER(LOW) and report
 * which survive: exit 0 when 0-2 and those below LOW are open and every
 * one from LOW up is closed */
static int
closed_in_child(void (*closer)(int), int low)
{
    int status, fd, fds[8], i, bad = 0;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        for (i = 0; i < 8; i++) {
            fds[i] = open("/dev/null", O_RDONLY);
        }
        /* one far up, as a program with many files could have */
        fd = fcntl(fds[0], F_DUPFD, 900);
        closer(low);
        for (i = 0; i < 3; i++) {
            bad |= fcntl(i, F_GETFD) < 0;
        }
        for (i = 0; i < 8; i++) {
            if (fds[i] < 0) {
                bad = 1;
            } else if (fds[i] < low) {
                bad |= fcntl(fds[i], F_GETFD) < 0;
            } else {
                bad |= fcntl(fds[i], F_GETFD) >= 0;
            }
        }
        bad |= fd < 0 || fcntl(fd, F_GETFD) >= 0;
        _exit(bad);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void
test_close_from(void **state)
{
    (void) state;
    assert_int_equal(closed_in_child(mh_sys_close_from, 3), 0);
    assert_int_equal(closed_in_child(mh_sys_close_from, 6), 0);
}

static void
test_close_each(void **state)
{
    (void) state;
    assert_int_equal(closed_in_child(mh_sys_close_each, 3), 0);
    assert_int_equal(closed_in_child(mh_sys_close_each, 6), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pidfd_signal),
        cmocka_unit_test(test_close_from),
        cmocka_unit_test(test_close_each),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
