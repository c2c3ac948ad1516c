// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_ckrun 3h
 * SUMMARY
 *	run a program, collect its stdout, stderr and exit status
 * DESCRIPTION
 *	For the second postconf run (postconf -n, whose warnings on stderr
 *	name parameters this Postfix does not know) and for mailha-aliases.
 *	Output is capped at MH_CKRUN_MAX bytes per stream; a program still
 *	running after timeout_ms is killed.
 */
#ifndef MH_CKRUN_H
#define MH_CKRUN_H

#include <stddef.h>


#define MH_CKRUN_MAX (4 * 1024 * 1024)

struct mh_ckrun_out {
    char *out;                  /* NUL-terminated */
    size_t outlen;
    char *err;                  /* NUL-terminated */
    size_t errlen;
    int status;                 /* exit code, or 128 + signal */
};

/* mh_ckrun - run argv[0] (a path) with argv; 0 or a negative code */
int mh_ckrun(const char *const *argv, int timeout_ms, struct mh_ckrun_out *o,
             char *why, size_t whylen);

/* mh_ckrun_free - release the collected output */
void mh_ckrun_free(struct mh_ckrun_out *o);

#endif
