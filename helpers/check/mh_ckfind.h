// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_ckfind 3h
 * SUMMARY
 *	mailha-check findings: stable ids, severities, advice, reports
 * DESCRIPTION
 *	Every finding mailha-check can make is a row of one table (id,
 *	severity, scope, one line of advice): the id is stable, scripts
 *	match on it.  A finding adds a message with the specifics (the
 *	parameter values) to its row.
 *
 *	Scope says whether a finding is about the configuration (the same
 *	on every node that shares it: an --ocf error is OCF_ERR_CONFIGURED)
 *	or about this node (the Postfix installed here, a socket that
 *	should be here: an --ocf error is OCF_ERR_INSTALLED).
 */
#ifndef MH_CKFIND_H
#define MH_CKFIND_H

#include <stdio.h>
#include <stddef.h>


enum mh_ck_sev {
    MH_CK_INFO = 0,
    MH_CK_WARNING,
    MH_CK_ERROR,
};

enum mh_ck_scope {
    MH_CK_CONFIG = 0,
    MH_CK_NODE,
};

struct mh_ck_kind {
    const char *id;
    int sev;
    int scope;
    const char *advice;
};

struct mh_ck_finding {
    const struct mh_ck_kind *kind;
    int sev;                    /* the kind's, unless a rule lowered it */
    char *message;
};

struct mh_ck_findings {
    struct mh_ck_finding *v;
    size_t n;
    size_t cap;
    size_t count[3];            /* by severity */
};

/* mh_ck_kind_find - the table row of an id, or NULL */
const struct mh_ck_kind *mh_ck_kind_find(const char *id);

/* mh_ck_kinds - the whole table, for documentation and tests */
const struct mh_ck_kind *mh_ck_kinds(size_t *n);

/* mh_ck_add - add a finding of kind id; 0, -ENOMEM or -ENOENT (bad id) */
int mh_ck_add(struct mh_ck_findings *f, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* mh_ck_add_sev - the same with another severity than the kind's */
int mh_ck_add_sev(struct mh_ck_findings *f, const char *id, int sev,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* mh_ck_has - the first finding of an id, or NULL */
const struct mh_ck_finding *mh_ck_has(const struct mh_ck_findings *f, const char *id);

/* mh_ck_first - the first finding of at least severity sev (and scope, or -1) */
const struct mh_ck_finding *mh_ck_first(const struct mh_ck_findings *f, int sev,
                                        int scope);

/* mh_ck_sev_name - "error", "warning", "info" */
const char *mh_ck_sev_name(int sev);

/* mh_ck_print_text - the report for a person */
void mh_ck_print_text(FILE *fp, const struct mh_ck_findings *f, const char *config_dir,
                      const char *version);

/* mh_ck_print_json - the report for a script */
void mh_ck_print_json(FILE *fp, const struct mh_ck_findings *f, const char *config_dir,
                      const char *version);


/* mh_ck_free - release the findings */
void mh_ck_free(struct mh_ck_findings *f);

#endif
