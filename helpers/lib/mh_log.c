/*
 * NAME
 *	mh_log 3
 * SUMMARY
 *	libqb logging for mailha programs
 * SYNOPSIS
 *	#include "mh_log.h"
 *
 *	void mh_log_init(const char *progname, int flags)
 *	void mh_log_fini(void)
 *	void mh_exit_reason(const char *fmt, ...)
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "mh_log.h"

static int mh_log_cluster;

/* mh_log_facility - the syslog facility the cluster asked for */
static int
mh_log_facility(void)
{
    const char *name = getenv("HA_LOGFACILITY");
    int fac;

    if (name == NULL || *name == '\0') {
        name = getenv("PCMK_logfacility");
    }
    if (name == NULL || *name == '\0') {
        return LOG_DAEMON;
    }
    fac = qb_log_facility2int(name);
    return fac < 0 ? LOG_DAEMON : fac;
}

/* mh_log_init - set up stderr or syslog logging, once */
void
mh_log_init(const char *progname, int flags)
{
    const char *dbg = getenv("HA_debug");
    const char *fac_name = getenv("HA_LOGFACILITY");
    int level = LOG_INFO;

    if ((flags & MH_LOG_VERBOSE) || (dbg != NULL && strcmp(dbg, "1") == 0)) {
        level = LOG_DEBUG;
    }
    mh_log_cluster = getenv("OCF_RESKEY_crm_feature_set") != NULL;

    qb_log_init(progname, mh_log_facility(), LOG_INFO);
    qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
    qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_FALSE);
    qb_log_filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_REMOVE, QB_LOG_FILTER_FILE, "*", LOG_TRACE);
    qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_REMOVE, QB_LOG_FILTER_FILE, "*", LOG_TRACE);

    if (mh_log_cluster) {
        if (fac_name == NULL || strcasecmp(fac_name, "none") != 0) {
            qb_log_format_set(QB_LOG_SYSLOG, "%b");
            qb_log_filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
            qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_TRUE);
        }
    } else {
        if (flags & MH_LOG_QUIET) {
            level = LOG_ERR;
        }
        qb_log_format_set(QB_LOG_STDERR, "%N: %b");
        qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
        qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_TRUE);
    }
}

/* mh_log_fini - flush and close the log targets */
void
mh_log_fini(void)
{
    qb_log_fini();
}

/* mh_exit_reason - the reason line Pacemaker shows, plus an error log */
void
mh_exit_reason(const char *fmt, ...)
{
    const char *prefix = getenv("OCF_EXIT_REASON_PREFIX");
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s%s\n", prefix != NULL ? prefix : "ocf-exit-reason:", buf);
    fflush(stderr);
    if (mh_log_cluster) {
        qb_log(LOG_ERR, "%s", buf);
    }
}
