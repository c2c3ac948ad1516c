/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/unit/wrap.h - the one pattern of the unit tests' -Wl,--wrap
 * functions: the real call, unless a test has asked for the next COUNT
 * calls to fail.  A test sets a counter (static int fake_...) to N; the
 * wrapper asks wrap_fail(&counter, ERR) first and returns its failure
 * value when that says 1, else calls __real_NAME. */
#ifndef MAILHA_TESTS_WRAP_H
#define MAILHA_TESTS_WRAP_H

#include <errno.h>

/* wrap_fail - 1 when *count is above 0: counts it down and sets errno to
 * err (0: leaves errno alone, for a call that "succeeds" short); else 0 */
static inline int
wrap_fail(int *count, int err)
{
    if (*count <= 0)
        return 0;
    (*count)--;
    if (err != 0)
        errno = err;
    return 1;
}

#endif
