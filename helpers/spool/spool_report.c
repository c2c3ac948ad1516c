// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool_report 3
 * SUMMARY
 *	the findings of mailha-spool's commands: collected, named, printed
 * SYNOPSIS
 *	#include "spool.h"
 *
 *	int spool_report_add(struct spool_report *rep, enum spool_kind kind,
 *	                     const char *name, const char *fmt, ...)
 *	void spool_report_print(FILE *fp, const struct spool_report *rep,
 *	                        const struct spool_opts *opts, const char *verb, int json)
 *	void spool_report_free(struct spool_report *rep)
 * DESCRIPTION
 *	Shared by spool_scan.c and spool_lock.c, so that neither calls the
 *	other (no cycle between the spool files).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_json.h"
#include "mh_rc.h"
#include "spool.h"

/* spool_kind_str - the name of a finding kind, as printed and in JSON */
const char *
spool_kind_str(enum spool_kind kind)
{
    static const char *const names[SPOOL_F_LAST] = {
        "policy", "missing", "orphan", "drift", "mode", "unsafe", "type",
        "incomplete", "created", "fixed", "stale", "locked", "removed",
    };

    if ((int) kind < 0 || kind >= SPOOL_F_LAST) {
        return "unknown";
    }
    return names[kind];
}

/* spool_kind_problem - everything but what was done or is in normal use */
int
spool_kind_problem(enum spool_kind kind)
{
    return kind != SPOOL_F_CREATED && kind != SPOOL_F_FIXED && kind != SPOOL_F_LOCKED
        && kind != SPOOL_F_REMOVED;
}

/* spool_report_badname - the finding for an account spool_name_ok refuses */
int
spool_report_badname(struct spool_report *rep, const struct spool_acct *acct)
{
    return spool_report_add(rep, SPOOL_F_UNSAFE, acct->name,
                            "account name cannot name a mailbox in the spool (a dot name, a "
                            "slash, lost+found or a dot-lock's name); uid %lu has none checked "
                            "or created", (unsigned long) acct->uid);
}

/* spool_report_add - append a finding */
int
spool_report_add(struct spool_report *rep, enum spool_kind kind, const char *name,
                 const char *fmt, ...)
{
    struct spool_finding *nv;
    char buf[512];
    va_list ap;
    size_t ncap;

    if (rep->n == rep->cap) {
        ncap = rep->cap ? rep->cap * 2 : 32;
        nv = realloc(rep->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return -ENOMEM;
        }
        rep->v = nv;
        rep->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    rep->v[rep->n].kind = kind;
    rep->v[rep->n].name = strdup(name);
    rep->v[rep->n].detail = strdup(buf);
    if (rep->v[rep->n].name == NULL || rep->v[rep->n].detail == NULL) {
        free(rep->v[rep->n].name);
        free(rep->v[rep->n].detail);
        return -ENOMEM;
    }
    rep->n++;
    if (spool_kind_problem(kind)) {
        rep->problems++;
    }
    return MH_OK;
}

/* spool_report_free - release the findings */
void
spool_report_free(struct spool_report *rep)
{
    size_t i;

    for (i = 0; i < rep->n; i++) {
        free(rep->v[i].name);
        free(rep->v[i].detail);
    }
    free(rep->v);
    memset(rep, 0, sizeof(*rep));
}

/* spool_report_print - one line per finding, or one JSON object */
void
spool_report_print(FILE *fp, const struct spool_report *rep,
                   const struct spool_opts *opts, const char *verb, int json)
{
    size_t i;

    if (json) {
        /* names come from readdir: a hostile user chooses them; the
         * one quoting rule of every helper's reports (mh_json) */
        fprintf(fp, "{\"command\":\"%s\",\"spool\":", verb);
        mh_json_str(fp, opts->dir, MH_JSON_DEL);
        fprintf(fp, ",\"format\":\"%s\",\"mailboxes\":%zu,",
                opts->format == SPOOL_MAILDIR ? "maildir" : "mbox", rep->mailboxes);
        if (strcmp(verb, "locks") == 0) {
            fprintf(fp, "\"locks\":%zu,", rep->locks);
        }
        fprintf(fp, "\"problems\":%zu,\"findings\":[", rep->problems);
        for (i = 0; i < rep->n; i++) {
            fprintf(fp, "%s{\"kind\":\"%s\",\"name\":", i ? "," : "",
                    spool_kind_str(rep->v[i].kind));
            mh_json_str(fp, rep->v[i].name, MH_JSON_DEL);
            fputs(",\"detail\":", fp);
            mh_json_str(fp, rep->v[i].detail, MH_JSON_DEL);
            fputs("}", fp);
        }
        fputs("]}\n", fp);
        return;
    }
    for (i = 0; i < rep->n; i++) {
        fprintf(fp, "%-10s ", spool_kind_str(rep->v[i].kind));
        mh_text_put(fp, rep->v[i].name[0] ? rep->v[i].name : opts->dir);
        fputs(": ", fp);
        mh_text_put(fp, rep->v[i].detail);
        fputc('\n', fp);
    }
    if (strcmp(verb, "locks") == 0) {
        fprintf(fp, "%s %s: %zu dot-locks, %zu problems\n", verb, opts->dir, rep->locks,
                rep->problems);
        return;
    }
    fprintf(fp, "%s %s: %zu mailboxes, %zu problems\n", verb, opts->dir, rep->mailboxes,
            rep->problems);
}
