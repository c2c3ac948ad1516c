// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_clock 3
 * SUMMARY
 *	read a clock in the unit the caller counts in
 * SYNOPSIS
 *	#include "mh_clock.h"
 *
 *	long long mh_clock_read(clockid_t clk, long per_sec)
 * DESCRIPTION
 *	clock_gettime(CLK) as a count of 1/PER_SEC seconds: 1000 for
 *	milliseconds, 100 for centiseconds, 1 for seconds.  The part of a
 *	unit is dropped, never rounded up.
 * DIAGNOSTICS
 *	-1 when PER_SEC does not divide 10^9 or the clock cannot be read
 *	(an unknown clock id).
 */
#include <time.h>

#include "mh_clock.h"

#define MH_CLOCK_NS 1000000000L

/* mh_clock_read - CLK in units of 1/PER_SEC s, or -1 */
long long
mh_clock_read(clockid_t clk, long per_sec)
{
    struct timespec ts;

    if (per_sec <= 0 || per_sec > MH_CLOCK_NS || MH_CLOCK_NS % per_sec != 0) {
        return -1;
    }
    if (clock_gettime(clk, &ts) != 0) {
        return -1;
    }
    return (long long) ts.tv_sec * per_sec + ts.tv_nsec / (MH_CLOCK_NS / per_sec);
}
