/*
 * NAME
 *	mh_log 3h
 * SUMMARY
 *	libqb logging for mailha programs, set up once
 * DESCRIPTION
 *	mh_log_init() is called once from main().  Run by a person (no
 *	crm_feature_set in the environment) a program logs to stderr;
 *	under Pacemaker it logs to syslog with the facility named by
 *	HA_LOGFACILITY or PCMK_logfacility (default daemon).  MH_VERBOSE
 *	flag or HA_debug=1 lets debug messages through.
 *
 *	mh_exit_reason() writes the one line Pacemaker shows the operator:
 *	OCF_EXIT_REASON_PREFIX (default "ocf-exit-reason:") and the text,
 *	on stderr, and logs it as an error.
 */
#ifndef MH_LOG_H
#define MH_LOG_H

#include <qb/qblog.h>

#define MH_LOG_VERBOSE  (1 << 0)
#define MH_LOG_QUIET    (1 << 1)   /* stderr: errors only */

void mh_log_init(const char *progname, int flags);
void mh_log_fini(void);
void mh_exit_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define mh_err(fmt, ...)    qb_log(LOG_ERR, fmt, ##__VA_ARGS__)
#define mh_warn(fmt, ...)   qb_log(LOG_WARNING, fmt, ##__VA_ARGS__)
#define mh_notice(fmt, ...) qb_log(LOG_NOTICE, fmt, ##__VA_ARGS__)
#define mh_info(fmt, ...)   qb_log(LOG_INFO, fmt, ##__VA_ARGS__)
#define mh_debug(fmt, ...)  qb_log(LOG_DEBUG, fmt, ##__VA_ARGS__)

#endif
