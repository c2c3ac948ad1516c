// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_report 3
 * SUMMARY
 *	the check's report: findings with file and line
 * DESCRIPTION
 *	Part of alias_check_run() (see mh_alias_check(3)); the types and
 *	the functions shared between its files are in mh_alias_ck.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_ck.h"

/* alias_report_add - record one finding */
int
alias_report_add(struct alias_report *rep, enum alias_severity sev, const char *file,
                 size_t line, const char *fmt, ...)
{
    struct alias_finding *f;
    char msg[1024];
    va_list ap;

    if (rep->n == rep->cap) {
        size_t ncap = rep->cap ? rep->cap * 2 : 32;
        struct alias_finding *nv = realloc(rep->v, ncap * sizeof(*nv));

        if (nv == NULL) {
            return -ENOMEM;
        }
        rep->v = nv;
        rep->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    f = &rep->v[rep->n];
    f->sev = sev;
    f->line = line;
    f->file = file != NULL ? strdup(file) : NULL;
    f->msg = strdup(msg);
    if (f->msg == NULL || (file != NULL && f->file == NULL)) {
        free(f->file);
        free(f->msg);
        return -ENOMEM;
    }
    rep->n++;
    if (sev == ALIAS_ERROR) {
        rep->nerrors++;
    } else if (sev == ALIAS_WARNING) {
        rep->nwarnings++;
    } else {
        rep->nnotes++;
    }
    return MH_OK;
}

/* alias_report_first_error - the first error, for an exit reason */
const struct alias_finding *
alias_report_first_error(const struct alias_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        if (rep->v[i].sev == ALIAS_ERROR) {
            return &rep->v[i];
        }
    }
    return NULL;
}

/* alias_report_free - release the findings and include list */
void
alias_report_free(struct alias_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        free(rep->v[i].file);
        free(rep->v[i].msg);
    }
    for (size_t i = 0; i < rep->nincludes; i++) {
        free(rep->includes[i]);
    }
    free(rep->includes);
    free(rep->v);
    memset(rep, 0, sizeof(*rep));
}
