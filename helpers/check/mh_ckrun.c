// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_ckrun 3
 * SUMMARY
 *	run a program and capture both output streams
 * SYNOPSIS
 *	#include "mh_ckrun.h"
 *
 *	int mh_ckrun(const char *const *argv, int timeout_ms,
 *	             struct mh_ckrun_out *o, char *why, size_t whylen)
 * DESCRIPTION
 *	mailha-check's way of calling mh_run(3): stdout and stderr both
 *	captured (MH_CKRUN_MAX bytes each), a time limit.
 * DIAGNOSTICS
 *	0 when the program ran (whatever its exit status), -ENOENT when
 *	it is not executable, MH_E_TIMEOUT, MH_E_TOOLONG, or -errno.
 */
#include <string.h>

#include "mh_ckrun.h"
#include "mh_run.h"

/* mh_ckrun - run a program, collect its output */
int
mh_ckrun(const char *const *argv, int timeout_ms, struct mh_ckrun_out *o,
         char *why, size_t whylen)
{
    struct mh_run_opts opts = { .out = MH_RUN_CAPTURE, .err = MH_RUN_CAPTURE,
        .max_out = MH_CKRUN_MAX, .timeout_ms = timeout_ms };
    struct mh_run_result res;
    int rc;

    memset(o, 0, sizeof(*o));
    rc = mh_run(argv, &opts, &res, why, whylen);
    if (rc == 0) {
        o->out = res.out;
        o->outlen = res.outlen;
        o->err = res.err;
        o->errlen = res.errlen;
        o->status = res.status;
    }
    return rc;
}

/* mh_ckrun_free - release the output */
void
mh_ckrun_free(struct mh_ckrun_out *o)
{
    struct mh_run_result res = { .out = o->out, .err = o->err };

    mh_run_free(&res);
    memset(o, 0, sizeof(*o));
}
