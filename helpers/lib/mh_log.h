// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_log 3h
 * SUMMARY
 *	libqb logging for mailha programs, set up once, loaded when used
 * DESCRIPTION
 *	mh_log_init() is called once from main().  Run by a person (no
 *	crm_feature_set in the environment) a program logs to stderr;
 *	under Pacemaker it logs to syslog with the facility named by
 *	HA_LOGFACILITY or PCMK_logfacility (default daemon).  MH_VERBOSE
 *	flag or HA_debug=1 lets debug messages through.
 *
 *	The messages go through libqb's logging, but libqb is opened
 *	(dlopen) only when the first message passes the level filter: a
 *	program that has nothing to say, like a healthy mailha-probe, does
 *	not pay for loading libqb and the libraries it needs (libsystemd,
 *	libgcrypt, liblzma, libzstd, liblz4) at every start.  Should
 *	libqb not load, the same lines go to stderr or syslog(3) directly
 *	(libqb's own formats: "NAME: text" on stderr, the text in syslog
 *	with openlog(NAME, LOG_PID, facility)).
 *
 *	mh_exit_reason() writes the one line Pacemaker shows the operator:
 *	OCF_EXIT_REASON_PREFIX (default "ocf-exit-reason:") and the text,
 *	on stderr, and logs it as an error.
 *
 *	The arguments of a message below the threshold are not evaluated.
 */
#ifndef MH_LOG_H
#define MH_LOG_H

#include <syslog.h>

#define MH_LOG_VERBOSE  (1 << 0)
#define MH_LOG_QUIET    (1 << 1)   /* stderr: errors only */

/* Messages with a priority above this are dropped (-1: not set up). */
extern int mh_log_threshold;

void mh_log_init(const char *progname, int flags);
void mh_log_fini(void);
void mh_exit_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mh_log_msg - one message (use the mh_err() ... mh_debug() macros) */
void mh_log_msg(int prio, const char *func, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* mh_log_backend - "none", "libqb" or "direct": what carried the messages */
const char *mh_log_backend(void);

/* The libqb to open; tests point it elsewhere to see the direct path. */
extern const char *mh_log_qb_soname;

#define mh_log_at(prio, fmt, ...) \
    do { \
        if ((prio) <= mh_log_threshold) { \
            mh_log_msg((prio), __func__, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
        } \
    } while (0)

#define mh_err(fmt, ...)    mh_log_at(LOG_ERR, fmt, ##__VA_ARGS__)
#define mh_warn(fmt, ...)   mh_log_at(LOG_WARNING, fmt, ##__VA_ARGS__)
#define mh_notice(fmt, ...) mh_log_at(LOG_NOTICE, fmt, ##__VA_ARGS__)
#define mh_info(fmt, ...)   mh_log_at(LOG_INFO, fmt, ##__VA_ARGS__)
#define mh_debug(fmt, ...)  mh_log_at(LOG_DEBUG, fmt, ##__VA_ARGS__)

#endif
