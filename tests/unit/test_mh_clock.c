// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_clock - unit tests of helpers/lib/mh_clock: each unit agrees
 * with clock_gettime read before and after, seconds, milliseconds and
 * centiseconds agree with one another, CLOCK_BOOTTIME in centiseconds
 * is what /proc/uptime says, and a unit that does not divide 10^9 or an
 * unknown clock gives -1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <time.h>

#include "mh_clock.h"

/* ns_now - CLK in nanoseconds, straight from clock_gettime */
static long long
ns_now(clockid_t clk)
{
    struct timespec ts;

    assert_int_equal(clock_gettime(clk, &ts), 0);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* check_unit - one reading of CLK in 1/PER_SEC s lies between two direct ones */
static void
check_unit(clockid_t clk, long per_sec)
{
    long long unit_ns = 1000000000LL / per_sec;
    long long before = ns_now(clk);
    long long v = mh_clock_read(clk, per_sec);
    long long after = ns_now(clk);

    assert_true(v >= 0);
    assert_true(v >= before / unit_ns);
    assert_true(v <= after / unit_ns);
}

static void
test_units(void **state)
{
    long long s, ms, cs, s2;

    (void) state;
    check_unit(CLOCK_MONOTONIC, 1000);
    check_unit(CLOCK_MONOTONIC, 1);
    check_unit(CLOCK_BOOTTIME, 100);
    check_unit(CLOCK_REALTIME, 1000000000L);
    /* read in order: each coarser reading bounds the finer one */
    s = mh_clock_read(CLOCK_MONOTONIC, 1);
    ms = mh_clock_read(CLOCK_MONOTONIC, 1000);
    cs = mh_clock_read(CLOCK_MONOTONIC, 100);
    s2 = mh_clock_read(CLOCK_MONOTONIC, 1);
    assert_true(s <= ms / 1000);
    assert_true(ms / 10 <= cs);
    assert_true(cs / 100 <= s2);
}

/* uptime_cs - /proc/uptime's first field in centiseconds */
static long long
uptime_cs(void)
{
    FILE *fp = fopen("/proc/uptime", "r");
    unsigned long long sec = 0, frac = 0;

    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "%llu.%2llu", &sec, &frac), 2);
    fclose(fp);
    return (long long) (sec * 100 + frac);
}

static void
test_uptime(void **state)
{
    long long before, v, after;

    (void) state;
    /* the agents' clock: what mailha-drift writes is what they compare with */
    before = uptime_cs();
    v = mh_clock_read(CLOCK_BOOTTIME, 100);
    after = uptime_cs();
    assert_true(before <= v);
    assert_true(v <= after);
}

static void
test_refused(void **state)
{
    (void) state;
    assert_int_equal(mh_clock_read(CLOCK_MONOTONIC, 0), -1);
    assert_int_equal(mh_clock_read(CLOCK_MONOTONIC, -1000), -1);
    assert_int_equal(mh_clock_read(CLOCK_MONOTONIC, 3), -1);
    assert_int_equal(mh_clock_read(CLOCK_MONOTONIC, 2000000000L), -1);
    assert_int_equal(mh_clock_read((clockid_t) 12345, 1000), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_uptime),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
