// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_sys 3
 * SUMMARY
 *	process system calls newer than the oldest C library mailha builds on
 * SYNOPSIS
 *	See mh_sys.h.
 * DESCRIPTION
 *	Raw syscall(2) calls.  The numbers are the kernel's common ones
 *	(the same on x86_64, aarch64, ppc64le and s390x since Linux 5.1
 *	unified new system call numbers); headers older than the calls
 *	(RHEL 8's kernel-headers) do not define them, so they are given
 *	here when missing.
 */
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mh_sys.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* mh_sys_pidfd_open - a descriptor that pins PID, or -1 with errno */
int
mh_sys_pidfd_open(pid_t pid)
{
    return (int) syscall(SYS_pidfd_open, pid, 0);
}

/* mh_sys_pidfd_send_signal - SIG to the process PIDFD pins; 0 or -1 */
int
mh_sys_pidfd_send_signal(int pidfd, int sig)
{
    return (int) syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* mh_sys_close_from - close every descriptor >= LOWFD */
void
mh_sys_close_from(int lowfd)
{
    if (syscall(SYS_close_range, (unsigned) lowfd, ~0U, 0) != 0) {
        mh_sys_close_each(lowfd);
    }
}

/* mh_sys_close_each - the same without close_range: one by one up to the
 * descriptor limit (capped: a limit of "unlimited" must not mean a
 * billion close calls) */
void
mh_sys_close_each(int lowfd)
{
    struct rlimit rl;
    long fd, max = 65536;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
            && rl.rlim_cur < (rlim_t) max) {
        max = (long) rl.rlim_cur;
    }
    for (fd = lowfd; fd < max; fd++) {
        (void) close((int) fd);
    }
}
