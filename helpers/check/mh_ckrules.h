// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_ckrules 3h
 * SUMMARY
 *	the checks of mailha-check, over parameters postconf has read
 * DESCRIPTION
 *	Each mh_ck_rule_*() reads parameter values (as postconf -x gave
 *	them: defaults applied, $names expanded) from a struct mh_pfconf
 *	and adds findings.  Only mh_ck_rule_sasl_socket() looks at the
 *	file system (the Dovecot auth socket); the rest is pure, and so
 *	are the parsers of postconf's warnings and of mailha-aliases'
 *	JSON report.
 */
#ifndef MH_CKRULES_H
#define MH_CKRULES_H

#include <stddef.h>

#include "mh_pfconf.h"
#include "mh_ckfind.h"

/* What one restriction list does for mail to a foreign destination. */
enum mh_ck_verdict {
    MH_CK_PROTECTS,             /* reaches reject_unauth_destination & co */
    MH_CK_PERMITS,              /* an unconditional permit comes first */
    MH_CK_FALLS,                /* ends (or is empty) without either */
    MH_CK_OPAQUE,               /* a restriction class comes first */
};

struct mh_ck_toks {
    char *buf;
    char **v;
    size_t n;
};

/* mh_ck_param_names - the parameters the rules read */
const char *const *mh_ck_param_names(size_t *n);

/* mh_ck_tokens - split a restriction list; 0 or -ENOMEM */
int mh_ck_tokens(const char *value, struct mh_ck_toks *t);

/* mh_ck_tokens_free - release what mh_ck_tokens allocated */
void mh_ck_tokens_free(struct mh_ck_toks *t);

/* mh_ck_verdict - walk one list; *where := the index that decided (n if none) */
int mh_ck_verdict(const struct mh_ck_toks *t, const struct mh_ck_toks *classes,
                  size_t *where);

/* mh_ck_version_cmp - compare "3.7.11" with "3.7" over the second's parts */
int mh_ck_version_cmp(const char *have, const char *want, int *cmp);

/* mh_ck_rule_relay - open relay */
int mh_ck_rule_relay(const struct mh_pfconf *c, struct mh_ck_findings *f);

/* mh_ck_rule_sasl - SMTP AUTH settings (not the socket) */
int mh_ck_rule_sasl(const struct mh_pfconf *c, struct mh_ck_findings *f);

/* mh_ck_rule_sasl_socket - the Dovecot auth socket exists and answers */
int mh_ck_rule_sasl_socket(const struct mh_pfconf *c, struct mh_ck_findings *f);

/* mh_ck_rule_limits - size, recipient, line and error-throttling limits */
int mh_ck_rule_limits(const struct mh_pfconf *c, struct mh_ck_findings *f);

/* mh_ck_rule_backupmx - relay_domains without relay_recipient_maps */
int mh_ck_rule_backupmx(const struct mh_pfconf *c, struct mh_ck_findings *f);

/* mh_ck_rule_version - mail_version vs expect (may be NULL), compatibility_level */
int mh_ck_rule_version(const struct mh_pfconf *c, const char *expect,
                       struct mh_ck_findings *f);

/* mh_ck_postconf_warnings - findings from postconf -n's stderr */
int mh_ck_postconf_warnings(const char *err, size_t len, const char *version,
                            struct mh_ck_findings *f);

/* mh_ck_aliases_json - findings from mailha-aliases check --format json;
 * the number of findings, or MH_E_PARSE */
int mh_ck_aliases_json(const char *json, size_t len, struct mh_ck_findings *f);

#endif
