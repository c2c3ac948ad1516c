// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_sys 3h
 * SUMMARY
 *	process system calls newer than the oldest C library mailha builds on
 * SYNOPSIS
 *	#include "mh_sys.h"
 *
 *	int mh_sys_pidfd_open(pid_t pid)
 *	int mh_sys_pidfd_send_signal(int pidfd, int sig)
 *	void mh_sys_close_from(int lowfd)
 *	void mh_sys_close_each(int lowfd)
 * DESCRIPTION
 *	pidfd_open(2) and pidfd_send_signal(2) got glibc wrappers only in
 *	2.36 and close_range(2) in 2.34; RHEL 8 has glibc 2.28 and RHEL 9
 *	2.34.  These call the kernel directly, so the helpers build there
 *	and ask for no symbol version above GLIBC_2.34, and they fail with
 *	ENOSYS where the kernel lacks the call (RHEL 8's 4.18): callers
 *	then fall back as they would without a pidfd.
 *
 *	mh_sys_close_from closes every descriptor from LOWFD up (in a child
 *	between fork and exec: async-signal-safe, no allocation); without
 *	close_range it calls mh_sys_close_each, which closes them one by one up
 *	to the descriptor limit.
 * DIAGNOSTICS
 *	A descriptor or 0, or -1 with errno.
 */
#ifndef MH_SYS_H
#define MH_SYS_H

#include <sys/types.h>

int mh_sys_pidfd_open(pid_t pid);
int mh_sys_pidfd_send_signal(int pidfd, int sig);
void mh_sys_close_from(int lowfd);
void mh_sys_close_each(int lowfd);

#endif
