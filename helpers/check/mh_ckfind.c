// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_ckfind 3
 * SUMMARY
 *	the finding table and report writers of mailha-check
 * SYNOPSIS
 *	#include "mh_json.h"
#include "mh_ckfind.h"
 *
 *	int mh_ck_add(struct mh_ck_findings *f, const char *id,
 *	              const char *fmt, ...)
 *	void mh_ck_print_text(FILE *fp, const struct mh_ck_findings *f,
 *	                      const char *config_dir, const char *version)
 *	void mh_ck_print_json(FILE *fp, const struct mh_ck_findings *f,
 *	                      const char *config_dir, const char *version)
 * DESCRIPTION
 *	The table below is the list of findings documented in
 *	doc/mailha-check.md; a test keeps the two in step.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_json.h"
#include "mh_ckfind.h"

static const struct mh_ck_kind mh_ck_table[] = {
    { "relay.open", MH_CK_ERROR, MH_CK_CONFIG,
      "put reject_unauth_destination before any unconditional permit in "
      "smtpd_relay_restrictions (or smtpd_recipient_restrictions)" },
    { "relay.class-opaque", MH_CK_INFO, MH_CK_CONFIG,
      "relay control goes through a restriction class; review that class by hand" },
    { "sasl.socket-missing", MH_CK_WARNING, MH_CK_NODE,
      "start Dovecot with an auth unix_listener at that path (10-master.conf), "
      "or correct smtpd_sasl_path" },
    { "sasl.socket-dead", MH_CK_WARNING, MH_CK_NODE,
      "the auth socket exists but nobody answers: start or restart Dovecot's auth service" },
    { "sasl.no-permit", MH_CK_WARNING, MH_CK_CONFIG,
      "add permit_sasl_authenticated before reject_unauth_destination in "
      "smtpd_relay_restrictions" },
    { "sasl.anonymous", MH_CK_WARNING, MH_CK_CONFIG,
      "add noanonymous to smtpd_sasl_security_options" },
    { "sasl.broken-clients", MH_CK_INFO, MH_CK_CONFIG,
      "broken_sasl_auth_clients is only for very old Microsoft clients (AUTH=); "
      "set it to no unless you need them" },
    { "limits.message-gt-mailbox", MH_CK_ERROR, MH_CK_CONFIG,
      "make mailbox_size_limit at least message_size_limit, or 0 for no limit: "
      "Postfix refuses to deliver otherwise" },
    { "limits.message-unlimited", MH_CK_INFO, MH_CK_CONFIG,
      "message_size_limit = 0 accepts messages of any size; set a limit "
      "(Postfix's default is 10240000)" },
    { "limits.soft-ge-hard", MH_CK_WARNING, MH_CK_CONFIG,
      "set smtpd_soft_error_limit below smtpd_hard_error_limit (defaults 10 and 20)" },
    { "limits.error-sleep-long", MH_CK_WARNING, MH_CK_CONFIG,
      "keep smtpd_error_sleep_time to a few seconds (default 1s): long sleeps tie up "
      "smtpd processes" },
    { "limits.recipient-limit", MH_CK_WARNING, MH_CK_CONFIG,
      "keep smtpd_recipient_limit between 100 (RFC 5321's minimum) and a few "
      "thousand (default 1000)" },
    { "limits.line-length", MH_CK_WARNING, MH_CK_CONFIG,
      "keep line_length_limit at 1000 (RFC 5321) or more and within a few MB (default 2048)" },
    { "config.bad-value", MH_CK_ERROR, MH_CK_CONFIG,
      "correct the value: Postfix stops with a fatal error on a malformed number or time" },
    { "config.postconf-fatal", MH_CK_ERROR, MH_CK_CONFIG,
      "correct main.cf or master.cf where postconf points: Postfix will not start" },
    { "config.unused-parameter", MH_CK_WARNING, MH_CK_CONFIG,
      "correct the name, or remove it; if it is a newer Postfix's parameter, upgrade "
      "Postfix on every node" },
    { "config.postconf-warning", MH_CK_WARNING, MH_CK_CONFIG,
      "run postconf -n for this config directory and correct what it warns about" },
    { "backupmx.no-relay-recipient-maps", MH_CK_WARNING, MH_CK_CONFIG,
      "list the valid recipients of relay_domains in relay_recipient_maps, or mail for "
      "unknown users is accepted and bounced later (backscatter)" },
    { "backupmx.relay-is-local", MH_CK_WARNING, MH_CK_CONFIG,
      "a domain belongs in relay_domains or in mydestination, not both" },
    { "version.mismatch", MH_CK_ERROR, MH_CK_NODE,
      "install the Postfix version the cluster expects on this node, or change "
      "the expected version" },
    { "version.config-newer", MH_CK_ERROR, MH_CK_NODE,
      "the configuration asks for a newer Postfix than this node runs: upgrade Postfix "
      "or lower compatibility_level" },
    { "aliases.error", MH_CK_ERROR, MH_CK_CONFIG,
      "run mailha-aliases check for this config directory and correct the alias file" },
    { "aliases.warning", MH_CK_WARNING, MH_CK_CONFIG,
      "run mailha-aliases check for this config directory; rebuild with mailha-aliases "
      "rebuild" },
    { "aliases.note", MH_CK_INFO, MH_CK_CONFIG,
      "see mailha-aliases check for this config directory" },
    { "aliases.not-checked", MH_CK_INFO, MH_CK_NODE,
      "install mailha-aliases next to mailha-check to include the alias checks" },
    { "aliases.check-failed", MH_CK_WARNING, MH_CK_NODE,
      "run mailha-aliases check by hand to see why it failed" },
};

#define MH_CK_NKINDS (sizeof(mh_ck_table) / sizeof(mh_ck_table[0]))

/* mh_ck_kinds - the table */
const struct mh_ck_kind *
mh_ck_kinds(size_t *n)
{
    *n = MH_CK_NKINDS;
    return mh_ck_table;
}

/* mh_ck_kind_find - look an id up */
const struct mh_ck_kind *
mh_ck_kind_find(const char *id)
{
    for (size_t i = 0; i < MH_CK_NKINDS; i++) {
        if (strcmp(mh_ck_table[i].id, id) == 0) {
            return &mh_ck_table[i];
        }
    }
    return NULL;
}

/* mh_ck_sev_name - a severity's word */
const char *
mh_ck_sev_name(int sev)
{
    switch (sev) {
    case MH_CK_ERROR:
        return "error";
    case MH_CK_WARNING:
        return "warning";
    default:
        return "info";
    }
}

/* mh_ck_vadd - add a finding with a formatted message */
static int
mh_ck_vadd(struct mh_ck_findings *f, const char *id, int sev, const char *fmt, va_list ap)
{
    const struct mh_ck_kind *kind = mh_ck_kind_find(id);
    char *msg = NULL;

    if (kind == NULL) {
        return -ENOENT;
    }
    if (sev < 0) {
        sev = kind->sev;
    }
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 16;
        struct mh_ck_finding *nv = realloc(f->v, ncap * sizeof(*nv));

        if (nv == NULL) {
            return -ENOMEM;
        }
        f->v = nv;
        f->cap = ncap;
    }
    if (vasprintf(&msg, fmt, ap) < 0) {
        return -ENOMEM;
    }
    f->v[f->n].kind = kind;
    f->v[f->n].sev = sev;
    f->v[f->n].message = msg;
    f->n++;
    f->count[sev]++;
    return 0;
}

/* mh_ck_add - add a finding at its kind's severity */
int
mh_ck_add(struct mh_ck_findings *f, const char *id, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = mh_ck_vadd(f, id, -1, fmt, ap);
    va_end(ap);
    return rc;
}

/* mh_ck_add_sev - add a finding at another severity */
int
mh_ck_add_sev(struct mh_ck_findings *f, const char *id, int sev, const char *fmt, ...)
{
    va_list ap;
    int rc;

    if (sev < MH_CK_INFO || sev > MH_CK_ERROR) {
        return -EINVAL;
    }
    va_start(ap, fmt);
    rc = mh_ck_vadd(f, id, sev, fmt, ap);
    va_end(ap);
    return rc;
}

/* mh_ck_has - the first finding of an id */
const struct mh_ck_finding *
mh_ck_has(const struct mh_ck_findings *f, const char *id)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->v[i].kind->id, id) == 0) {
            return &f->v[i];
        }
    }
    return NULL;
}

/* mh_ck_first - the first finding at least this severe, of a scope */
const struct mh_ck_finding *
mh_ck_first(const struct mh_ck_findings *f, int sev, int scope)
{
    for (size_t i = 0; i < f->n; i++) {
        if (f->v[i].sev >= sev && (scope < 0 || f->v[i].kind->scope == scope)) {
            return &f->v[i];
        }
    }
    return NULL;
}

/* mh_ck_print_text - one block per finding, most severe first */
void
mh_ck_print_text(FILE *fp, const struct mh_ck_findings *f, const char *config_dir,
                 const char *version)
{
    /* messages quote Postfix's words and file content: the one escaping
     * rule of text reports (mh_text_put) */
    fputs("mailha-check: ", fp);
    mh_text_put(fp, config_dir ? config_dir : "/etc/postfix");
    fputs(" (Postfix ", fp);
    mh_text_put(fp, version ? version : "unknown");
    fputs(")\n", fp);
    for (int sev = MH_CK_ERROR; sev >= MH_CK_INFO; sev--) {
        for (size_t i = 0; i < f->n; i++) {
            if (f->v[i].sev != sev) {
                continue;
            }
            fprintf(fp, "%-7s %s: ", mh_ck_sev_name(sev), f->v[i].kind->id);
            mh_text_put(fp, f->v[i].message);
            fprintf(fp, "\n        advice: %s\n", f->v[i].kind->advice);
        }
    }
    fprintf(fp, "%zu errors, %zu warnings, %zu notes\n", f->count[MH_CK_ERROR],
            f->count[MH_CK_WARNING], f->count[MH_CK_INFO]);
}

/* mh_ck_print_json - one object: totals and the findings in order */
void
mh_ck_print_json(FILE *fp, const struct mh_ck_findings *f, const char *config_dir,
                 const char *version)
{
    fprintf(fp, "{\"config_dir\":");
    mh_json_str(fp, config_dir ? config_dir : "/etc/postfix", MH_JSON_DEL);
    fprintf(fp, ",\"mail_version\":");
    if (version != NULL) {
        mh_json_str(fp, version, MH_JSON_DEL);
    } else {
        fprintf(fp, "null");
    }
    fprintf(fp, ",\"errors\":%zu,\"warnings\":%zu,\"notes\":%zu,\"findings\":[",
            f->count[MH_CK_ERROR], f->count[MH_CK_WARNING], f->count[MH_CK_INFO]);
    for (size_t i = 0; i < f->n; i++) {
        fprintf(fp, "%s{\"id\":\"%s\",\"severity\":\"%s\",\"scope\":\"%s\",\"message\":",
                i ? "," : "", f->v[i].kind->id, mh_ck_sev_name(f->v[i].sev),
                f->v[i].kind->scope == MH_CK_NODE ? "node" : "config");
        mh_json_str(fp, f->v[i].message, MH_JSON_DEL);
        fprintf(fp, ",\"advice\":");
        mh_json_str(fp, f->v[i].kind->advice, MH_JSON_DEL);
        fprintf(fp, "}");
    }
    fprintf(fp, "]}\n");
}

/* mh_ck_free - release the findings */
void
mh_ck_free(struct mh_ck_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].message);
    }
    free(f->v);
    memset(f, 0, sizeof(*f));
}
