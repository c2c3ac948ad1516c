// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_run 3h
 * SUMMARY
 *	run a program with an argv (no shell) and capture its output
 * DESCRIPTION
 *	The one way the helpers run another program: postconf, postalias,
 *	attrd_updater, crm_mon, mailha-aliases.  Standard input is always
 *	/dev/null; standard output and standard error are each discarded,
 *	captured (up to a size limit) or passed through.  An optional time
 *	limit kills the program when it passes.  The child is reaped on
 *	every path and no descriptor of ours reaches it or stays open.
 *
 *	mh_run() does the whole job; mh_run_start() and mh_run_finish()
 *	split it for callers that do other work while the program runs.
 */
#ifndef MH_RUN_H
#define MH_RUN_H

#include <stddef.h>
#include <sys/types.h>

/* What becomes of the child's stdout or stderr. */
#define MH_RUN_NULL     0       /* /dev/null */
#define MH_RUN_CAPTURE  1       /* into the result, up to max_out bytes */
#define MH_RUN_INHERIT  2       /* ours */

/* Flags. */
#define MH_RUN_PATH     (1 << 0)    /* as execvp: search PATH, exit 127 if not found */
#define MH_RUN_TRUNCATE (1 << 1)    /* past max_out, drop the rest (no error) */

#define MH_RUN_MAX_DEFAULT (4 * 1024 * 1024)

struct mh_run_opts {
    const char *prog;           /* the file to execute; NULL: argv[0] */
    int out;                    /* MH_RUN_NULL, MH_RUN_CAPTURE, MH_RUN_INHERIT */
    int err;                    /* likewise */
    size_t max_out;             /* per captured stream; 0: MH_RUN_MAX_DEFAULT */
    int timeout_ms;             /* 0: no time limit */
    int flags;                  /* MH_RUN_PATH | MH_RUN_TRUNCATE */
};

struct mh_run_result {
    char *out;                  /* NUL-terminated, "" when not captured */
    size_t outlen;
    char *err;                  /* likewise */
    size_t errlen;
    int status;                 /* exit code, or 128 + signal */
    int signo;                  /* the signal that ended it, or 0 */
};

struct mh_run_child {
    pid_t pid;                  /* -1 when none is running */
    int fd[2];                  /* read ends of the capture pipes, or -1 */
    const char *name;           /* for messages */
    struct mh_run_opts opts;
    long long deadline_ms;      /* CLOCK_MONOTONIC; 0 without a time limit */
};

/* mh_run - run argv and wait for it; 0 when it ran, whatever its exit */
int mh_run(const char *const *argv, const struct mh_run_opts *opts,
           struct mh_run_result *res, char *why, size_t whylen);

/* mh_run_start - start argv; 0 or a negative code (nothing left over) */
int mh_run_start(struct mh_run_child *child, const char *const *argv,
                 const struct mh_run_opts *opts, char *why, size_t whylen);

/* mh_run_finish - collect output and reap; signo (if not 0) sent first */
int mh_run_finish(struct mh_run_child *child, int signo,
                  struct mh_run_result *res, char *why, size_t whylen);

/* mh_run_free - release the captured output */
void mh_run_free(struct mh_run_result *res);

#endif
