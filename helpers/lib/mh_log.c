// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_log 3
 * SUMMARY
 *	libqb logging for mailha programs, opened on the first message
 * SYNOPSIS
 *	#include "mh_log.h"
 *
 *	void mh_log_init(const char *progname, int flags)
 *	void mh_log_fini(void)
 *	void mh_exit_reason(const char *fmt, ...)
 *	void mh_log_msg(int prio, const char *func, const char *file,
 *	                int line, const char *fmt, ...)
 * DESCRIPTION
 *	mh_log_init() only decides: target (stderr or syslog), threshold
 *	and facility, from the flags and the environment.  No library is
 *	touched until a message passes the threshold; then libqb is opened
 *	with dlopen() and set up exactly as before (one target, "%N: %b"
 *	on stderr, "%b" in syslog, a filter at the threshold), and every
 *	message goes through qb_log_from_external_source().
 *
 *	This keeps libqb (and what it links: libsystemd, libgcrypt,
 *	liblzma, libzstd, liblz4) out of a program's start-up: a program
 *	that logs nothing never loads it.  A program that links libqb for
 *	other reasons (mailha-drift's main loop) gets the copy already
 *	in memory.
 *
 *	If libqb cannot be opened, messages are written directly, in the
 *	same formats: "NAME: text" to stderr, or syslog(3) after
 *	openlog(NAME, LOG_PID, facility).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <qb/qblog.h>

#include "mh_json.h"
#include "mh_log.h"

#define MH_LOG_TO_NONE   0
#define MH_LOG_TO_STDERR 1
#define MH_LOG_TO_SYSLOG 2

#define MH_QB_UNTRIED    0
#define MH_QB_LOADED     1
#define MH_QB_FAILED     2

int mh_log_threshold = -1;
const char *mh_log_qb_soname = "libqb.so.100";

static int mh_log_cluster;
static int mh_log_to;
static int mh_log_fac = LOG_DAEMON;
static char mh_log_name[64];
static int mh_log_direct_open;        /* direct path: openlog() done */

/* libqb, reached through dlopen(): the prototypes come from qblog.h. */
static struct {
    int state;
    void *handle;
    __typeof__(qb_log_init) *init;
    __typeof__(qb_log_fini) *fini;
    __typeof__(qb_log_ctl) *ctl;
    __typeof__(qb_log_filter_ctl) *filter_ctl;
    __typeof__(qb_log_format_set) *format_set;
    __typeof__(qb_log_from_external_source) *log;
} mh_qb;

/* mh_log_facility - the syslog facility the cluster asked for */
static int
mh_log_facility(void)
{
    static const struct {
        const char *name;
        int value;
    } names[] = {
        {"auth", LOG_AUTH}, {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
        {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP}, {"kern", LOG_KERN},
        {"lpr", LOG_LPR}, {"mail", LOG_MAIL}, {"news", LOG_NEWS},
        {"syslog", LOG_SYSLOG}, {"user", LOG_USER}, {"uucp", LOG_UUCP},
        {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
        {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
        {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    };
    const char *name = getenv("HA_LOGFACILITY");
    size_t i;

    if (name == NULL || *name == '\0') {
        name = getenv("PCMK_logfacility");
    }
    if (name == NULL || *name == '\0') {
        return LOG_DAEMON;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            return names[i].value;
        }
    }
    return LOG_DAEMON;
}

/* mh_log_init - decide target, threshold and facility; loads nothing */
void
mh_log_init(const char *progname, int flags)
{
    const char *dbg = getenv("HA_debug");
    const char *fac_name = getenv("HA_LOGFACILITY");
    int level = LOG_INFO;

    if ((flags & MH_LOG_VERBOSE) || (dbg != NULL && strcmp(dbg, "1") == 0)) {
        level = LOG_DEBUG;
    }
    snprintf(mh_log_name, sizeof(mh_log_name), "%s", progname);
    mh_log_cluster = getenv("OCF_RESKEY_crm_feature_set") != NULL;
    mh_log_fac = mh_log_facility();
    mh_log_to = MH_LOG_TO_NONE;
    mh_log_threshold = -1;

    if (mh_log_cluster) {
        if (fac_name == NULL || strcasecmp(fac_name, "none") != 0) {
            mh_log_to = MH_LOG_TO_SYSLOG;
            mh_log_threshold = level;
        }
    } else {
        if (flags & MH_LOG_QUIET) {
            level = LOG_ERR;
        }
        mh_log_to = MH_LOG_TO_STDERR;
        mh_log_threshold = level;
    }
}

/* mh_log_qb_open - open and set up libqb once; MH_QB_LOADED or MH_QB_FAILED */
static int
mh_log_qb_open(void)
{
    int32_t target;

    if (mh_qb.state != MH_QB_UNTRIED) {
        return mh_qb.state;
    }
    mh_qb.state = MH_QB_FAILED;
    mh_qb.handle = dlopen(mh_log_qb_soname, RTLD_NOW | RTLD_LOCAL);
    if (mh_qb.handle == NULL) {
        return mh_qb.state;
    }
    *(void **) &mh_qb.init = dlsym(mh_qb.handle, "qb_log_init");
    *(void **) &mh_qb.fini = dlsym(mh_qb.handle, "qb_log_fini");
    *(void **) &mh_qb.ctl = dlsym(mh_qb.handle, "qb_log_ctl");
    *(void **) &mh_qb.filter_ctl = dlsym(mh_qb.handle, "qb_log_filter_ctl");
    *(void **) &mh_qb.format_set = dlsym(mh_qb.handle, "qb_log_format_set");
    *(void **) &mh_qb.log = dlsym(mh_qb.handle, "qb_log_from_external_source");
    if (mh_qb.init == NULL || mh_qb.fini == NULL || mh_qb.ctl == NULL
            || mh_qb.filter_ctl == NULL || mh_qb.format_set == NULL || mh_qb.log == NULL) {
        dlclose(mh_qb.handle);
        mh_qb.handle = NULL;
        return mh_qb.state;
    }
    target = mh_log_to == MH_LOG_TO_SYSLOG ? QB_LOG_SYSLOG : QB_LOG_STDERR;
    mh_qb.init(mh_log_name, mh_log_fac, LOG_INFO);
    mh_qb.ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
    mh_qb.ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_FALSE);
    mh_qb.filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_REMOVE, QB_LOG_FILTER_FILE, "*", LOG_TRACE);
    mh_qb.filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_REMOVE, QB_LOG_FILTER_FILE, "*", LOG_TRACE);
    mh_qb.format_set(target, target == QB_LOG_SYSLOG ? "%b" : "%N: %b");
    mh_qb.filter_ctl(target, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*",
                     (uint8_t) mh_log_threshold);
    mh_qb.ctl(target, QB_LOG_CONF_ENABLED, QB_TRUE);
    mh_qb.state = MH_QB_LOADED;
    return mh_qb.state;
}

/* mh_log_direct - write one message without libqb, in libqb's formats */
static void
mh_log_direct(int prio, const char *text)
{
    if (mh_log_to == MH_LOG_TO_SYSLOG) {
        if (!mh_log_direct_open) {
            openlog(mh_log_name, LOG_PID, mh_log_fac);
            mh_log_direct_open = 1;
        }
        syslog(prio, "%s", text);
    } else {
        fprintf(stderr, "%s: %s\n", mh_log_name, text);
        fflush(stderr);
    }
}

/* mh_log_msg - format one message and hand it to libqb (or write it) */
void
mh_log_msg(int prio, const char *func, const char *file, int line, const char *fmt, ...)
{
    char raw[QB_LOG_MAX_LEN], buf[QB_LOG_MAX_LEN];
    va_list ap;

    if (prio > mh_log_threshold || mh_log_to == MH_LOG_TO_NONE) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    /* the one escaping rule: a message quoting a file stays one line */
    mh_text_escape(buf, sizeof(buf), raw);
    if (mh_log_qb_open() == MH_QB_LOADED) {
        mh_qb.log(func, file, "%s", (uint8_t) prio, (uint32_t) line, 0, buf);
    } else {
        mh_log_direct(prio, buf);
    }
}

/* mh_log_backend - what carried the messages so far */
const char *
mh_log_backend(void)
{
    if (mh_qb.state == MH_QB_LOADED) {
        return "libqb";
    }
    if (mh_qb.state == MH_QB_FAILED) {
        return "direct";
    }
    return "none";
}

/* mh_log_fini - flush and close the log target, if one was opened */
void
mh_log_fini(void)
{
    if (mh_qb.state == MH_QB_LOADED) {
        mh_qb.fini();
        /* libqb stays mapped: its atexit handlers may still run. */
    }
    if (mh_log_direct_open) {
        closelog();
        mh_log_direct_open = 0;
    }
    mh_qb.state = MH_QB_UNTRIED;
    mh_log_threshold = -1;
    mh_log_to = MH_LOG_TO_NONE;
}

/* mh_exit_reason - the reason line Pacemaker shows, plus an error log */
void
mh_exit_reason(const char *fmt, ...)
{
    const char *prefix = getenv("OCF_EXIT_REASON_PREFIX");
    char raw[1024], buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    /* one line, whatever a file put into the reason: no CR, ESC, LF */
    mh_text_escape(buf, sizeof(buf), raw);
    fprintf(stderr, "%s%s\n", prefix != NULL ? prefix : "ocf-exit-reason:", buf);
    fflush(stderr);
    if (mh_log_cluster) {
        mh_log_at(LOG_ERR, "%s", buf);
    }
}
