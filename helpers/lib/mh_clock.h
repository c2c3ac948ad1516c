// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_clock 3h
 * SUMMARY
 *	read a clock in the unit the caller counts in
 * DESCRIPTION
 *	One function for the helpers' time stamps: mh_run's time limits
 *	(CLOCK_MONOTONIC in milliseconds) and mailha-drift's state file
 *	(CLOCK_BOOTTIME in centiseconds, the clock and unit of /proc/uptime,
 *	which the agents read).  The value is truncated to whole units, as
 *	the kernel does for /proc/uptime, so both sides agree.
 */
#ifndef MH_CLOCK_H
#define MH_CLOCK_H

#include <time.h>

/* mh_clock_read - CLK in units of 1/PER_SEC s (a divisor of 10^9), or -1 */
long long mh_clock_read(clockid_t clk, long per_sec);

#endif
