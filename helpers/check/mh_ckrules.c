// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_ckrules 3
 * SUMMARY
 *	mailha-check's rules
 * SYNOPSIS
 *	#include "mh_ckrules.h"
 * DESCRIPTION
 *	Open relay.  Postfix applies smtpd_relay_restrictions, then
 *	smtpd_recipient_restrictions, to every RCPT TO; mail is relayed
 *	when neither rejects it.  So the configuration is an open relay
 *	when neither list reaches reject_unauth_destination (or
 *	defer_unauth_destination, reject, defer, defer_if_permit) before an
 *	unconditional "permit" or its own end.  Conditional permits
 *	(permit_mynetworks, permit_sasl_authenticated, an access table)
 *	only let trusted clients through and do not count.  An empty
 *	smtpd_relay_restrictions leaves relay control to the recipient
 *	restrictions.  "warn_if_reject X" only logs what X would reject.
 *	A restriction class (smtpd_restriction_classes) is a list we do
 *	not read: a list that reaches one before deciding is "opaque".
 *
 *	Lookup-table and DNS-list restrictions take the next token as
 *	their argument; it is skipped, and so is a "{ ... }" group.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mh_clock.h"
#include "mh_ckrules.h"
#include "mh_rc.h"
#include "mh_unixconn.h"

/* Bounds of the "absurd value" findings; see doc/mailha-check.md. */
#define MH_CK_SASL_CONNECT_MS 5000       /* waiting for room in auth's queue */
#define MH_CK_SLEEP_MAX 10              /* seconds of smtpd_error_sleep_time */
#define MH_CK_RCPT_MIN 100              /* RFC 5321 4.5.3.1.8 */
#define MH_CK_RCPT_MAX 100000
#define MH_CK_LINE_MIN 1000             /* RFC 5321 4.5.3.1.6 */
#define MH_CK_LINE_MAX (16 * 1024 * 1024)

static const char *const mh_ck_names[] = {
    "smtpd_relay_restrictions", "smtpd_recipient_restrictions", "smtpd_restriction_classes",
    "smtpd_sasl_auth_enable", "smtpd_sasl_type", "smtpd_sasl_path",
    "smtpd_sasl_security_options", "broken_sasl_auth_clients", "queue_directory",
    "message_size_limit", "mailbox_size_limit", "smtpd_soft_error_limit",
    "smtpd_hard_error_limit", "smtpd_error_sleep_time", "smtpd_recipient_limit",
    "line_length_limit", "relay_domains", "mydestination", "relay_recipient_maps",
    "mail_version", "compatibility_level",
};

/* mh_ck_param_names - what main() asks postconf for */
const char *const *
mh_ck_param_names(size_t *n)
{
    *n = sizeof(mh_ck_names) / sizeof(mh_ck_names[0]);
    return mh_ck_names;
}

/* mh_ck_get - a value, "" when postconf did not give one */
static const char *
mh_ck_get(const struct mh_pfconf *c, const char *name)
{
    const char *v = mh_pfconf_get(c, name);

    return v != NULL ? v : "";
}

/* mh_ck_is_yes - Postfix's true booleans */
static int
mh_ck_is_yes(const char *v)
{
    return strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0;
}

/* mh_ck_tokens - split on commas and white space; "{...}" is one token */
int
mh_ck_tokens(const char *value, struct mh_ck_toks *t)
{
    size_t len = strlen(value);
    char *p;

    memset(t, 0, sizeof(*t));
    t->buf = strdup(value);
    t->v = calloc(len / 2 + 2, sizeof(*t->v));
    if (t->buf == NULL || t->v == NULL) {
        mh_ck_tokens_free(t);
        return -ENOMEM;
    }
    p = t->buf;
    while (*p != '\0') {
        while (*p == ',' || isspace((unsigned char) *p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        t->v[t->n++] = p;
        if (*p == '{') {
            int depth = 0;

            while (*p != '\0') {
                if (*p == '{') {
                    depth++;
                } else if (*p == '}' && --depth == 0) {
                    p++;
                    break;
                }
                p++;
            }
        } else {
            while (*p != '\0' && *p != ',' && !isspace((unsigned char) *p)) {
                p++;
            }
        }
        if (*p != '\0') {
            *p++ = '\0';
        }
    }
    return 0;
}

/* mh_ck_tokens_free - release a token list */
void
mh_ck_tokens_free(struct mh_ck_toks *t)
{
    free(t->buf);
    free(t->v);
    memset(t, 0, sizeof(*t));
}

/* mh_ck_in - token is one of the list's tokens (case-insensitive) */
static int
mh_ck_in(const struct mh_ck_toks *t, const char *tok)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcasecmp(t->v[i], tok) == 0) {
            return 1;
        }
    }
    return 0;
}

/* mh_ck_takes_arg - restrictions whose next token is their table/domain */
static int
mh_ck_takes_arg(const char *tok)
{
    static const char *const prefixes[] = {
        "check_", "reject_rbl_client", "reject_rhsbl_", "permit_dnswl_client",
        "permit_rhswl_client", "reject_dnsbl",
    };

    if (strcmp(tok, "check_relay_domains") == 0) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        if (strncmp(tok, prefixes[i], strlen(prefixes[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/* mh_ck_protects - restrictions that stop mail to foreign destinations */
static int
mh_ck_protects(const char *tok)
{
    static const char *const words[] = {
        "reject_unauth_destination", "defer_unauth_destination", "reject", "defer",
        "defer_if_permit", "check_relay_domains",
    };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(tok, words[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* mh_ck_any_protects - the list names a relay-stopping restriction at all */
static int
mh_ck_any_protects(const struct mh_ck_toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (mh_ck_protects(t->v[i])) {
            return 1;
        }
    }
    return 0;
}

/* mh_ck_verdict - what one list does for a stranger relaying */
int
mh_ck_verdict(const struct mh_ck_toks *t, const struct mh_ck_toks *classes, size_t *where)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *tok = t->v[i];

        *where = i;
        if (tok[0] == '{') {
            continue;
        }
        if (strcmp(tok, "warn_if_reject") == 0) {
            i++;                /* the next one only logs */
            if (i < t->n && mh_ck_takes_arg(t->v[i])) {
                i++;
            }
            continue;
        }
        if (mh_ck_protects(tok)) {
            return MH_CK_PROTECTS;
        }
        if (strcmp(tok, "permit") == 0) {
            return MH_CK_PERMITS;
        }
        if (classes != NULL && mh_ck_in(classes, tok)) {
            return MH_CK_OPAQUE;
        }
        if (mh_ck_takes_arg(tok)) {
            i++;
        }
    }
    *where = t->n;
    return MH_CK_FALLS;
}

/* mh_ck_describe - a few words on a verdict, for messages */
static void
mh_ck_describe(char *buf, size_t size, const char *name, const struct mh_ck_toks *t, int v)
{
    switch (v) {
    case MH_CK_PERMITS:
        snprintf(buf, size, "%s permits unconditionally (\"permit\") first", name);
        break;
    case MH_CK_FALLS:
        if (t->n == 0) {
            snprintf(buf, size, "%s is empty", name);
        } else {
            snprintf(buf, size, "%s ends without rejecting", name);
        }
        break;
    default:
        snprintf(buf, size, "%s", name);
        break;
    }
}

/* mh_ck_rule_relay - both lists let a stranger relay: error */
int
mh_ck_rule_relay(const struct mh_pfconf *c, struct mh_ck_findings *f)
{
    struct mh_ck_toks relay, rcpt, classes;
    size_t wr = 0, wc = 0;
    int vr, vc;
    int rc = 0;

    if (mh_ck_tokens(mh_ck_get(c, "smtpd_relay_restrictions"), &relay) != 0) {
        return -ENOMEM;
    }
    if (mh_ck_tokens(mh_ck_get(c, "smtpd_recipient_restrictions"), &rcpt) != 0) {
        mh_ck_tokens_free(&relay);
        return -ENOMEM;
    }
    if (mh_ck_tokens(mh_ck_get(c, "smtpd_restriction_classes"), &classes) != 0) {
        mh_ck_tokens_free(&relay);
        mh_ck_tokens_free(&rcpt);
        return -ENOMEM;
    }
    vr = mh_ck_verdict(&relay, &classes, &wr);
    vc = mh_ck_verdict(&rcpt, &classes, &wc);
    if (vr == MH_CK_PROTECTS || vc == MH_CK_PROTECTS) {
        goto done;
    }
    if (vr == MH_CK_OPAQUE || vc == MH_CK_OPAQUE) {
        if (vr == MH_CK_OPAQUE) {
            rc = mh_ck_add(f, "relay.class-opaque", "cannot see inside class %s, which "
                           "decides relaying in smtpd_relay_restrictions", relay.v[wr]);
        }
        if (rc == 0 && vc == MH_CK_OPAQUE) {
            rc = mh_ck_add(f, "relay.class-opaque", "cannot see inside class %s, which "
                           "decides relaying in smtpd_recipient_restrictions", rcpt.v[wc]);
        }
        goto done;
    }
    {
        char a[128], b[128];

        mh_ck_describe(a, sizeof(a), "smtpd_relay_restrictions", &relay, vr);
        mh_ck_describe(b, sizeof(b), "smtpd_recipient_restrictions", &rcpt, vc);
        rc = mh_ck_add(f, "relay.open", "open relay: %s and %s, so mail from anyone "
                       "to any domain is accepted%s", a, b,
                       mh_ck_any_protects(&relay) || mh_ck_any_protects(&rcpt) ? ""
                       : " (or, with no reject_unauth_destination anywhere, smtpd "
                       "refuses to run)");
    }

  done:
    mh_ck_tokens_free(&relay);
    mh_ck_tokens_free(&rcpt);
    mh_ck_tokens_free(&classes);
    return rc;
}

/* mh_ck_sasl_before - permit_sasl_authenticated comes before index end */
static int
mh_ck_sasl_before(const struct mh_ck_toks *t, size_t end)
{
    for (size_t i = 0; i < end && i < t->n; i++) {
        if (strcmp(t->v[i], "permit_sasl_authenticated") == 0 || strcmp(t->v[i], "permit") == 0) {
            return 1;
        }
    }
    return 0;
}

/* mh_ck_rule_sasl - AUTH offered: it must let clients relay, no anonymous */
int
mh_ck_rule_sasl(const struct mh_pfconf *c, struct mh_ck_findings *f)
{
    struct mh_ck_toks relay, rcpt, opts;
    size_t wr = 0, wc = 0;
    int rc = 0;

    if (!mh_ck_is_yes(mh_ck_get(c, "smtpd_sasl_auth_enable"))) {
        return 0;
    }
    if (mh_ck_tokens(mh_ck_get(c, "smtpd_relay_restrictions"), &relay) != 0) {
        return -ENOMEM;
    }
    if (mh_ck_tokens(mh_ck_get(c, "smtpd_recipient_restrictions"), &rcpt) != 0) {
        mh_ck_tokens_free(&relay);
        return -ENOMEM;
    }
    if (mh_ck_tokens(mh_ck_get(c, "smtpd_sasl_security_options"), &opts) != 0) {
        mh_ck_tokens_free(&relay);
        mh_ck_tokens_free(&rcpt);
        return -ENOMEM;
    }
    /* Authenticated clients relay only if every list that rejects
     * strangers lets them through first. */
    if (mh_ck_verdict(&relay, NULL, &wr) == MH_CK_PROTECTS && !mh_ck_sasl_before(&relay, wr)) {
        rc = mh_ck_add(f, "sasl.no-permit", "smtpd_sasl_auth_enable = yes, but "
                       "smtpd_relay_restrictions reaches %s before permit_sasl_authenticated: "
                       "authenticated clients cannot relay", relay.v[wr]);
    } else if (mh_ck_verdict(&rcpt, NULL, &wc) == MH_CK_PROTECTS
               && !mh_ck_sasl_before(&rcpt, wc)) {
        rc = mh_ck_add(f, "sasl.no-permit", "smtpd_sasl_auth_enable = yes, but "
                       "smtpd_recipient_restrictions reaches %s before "
                       "permit_sasl_authenticated: authenticated clients cannot relay",
                       rcpt.v[wc]);
    }
    if (rc == 0 && !mh_ck_in(&opts, "noanonymous")) {
        rc = mh_ck_add(f, "sasl.anonymous", "smtpd_sasl_security_options = %s allows "
                       "anonymous SASL mechanisms", mh_ck_get(c, "smtpd_sasl_security_options"));
    }
    if (rc == 0 && mh_ck_is_yes(mh_ck_get(c, "broken_sasl_auth_clients"))) {
        rc = mh_ck_add(f, "sasl.broken-clients", "broken_sasl_auth_clients = yes: AUTH is "
                       "also announced the old way (AUTH=)");
    }
    mh_ck_tokens_free(&relay);
    mh_ck_tokens_free(&rcpt);
    mh_ck_tokens_free(&opts);
    return rc;
}

/* mh_ck_rule_sasl_socket - Dovecot's auth socket: there, and answering */
int
mh_ck_rule_sasl_socket(const struct mh_pfconf *c, struct mh_ck_findings *f)
{
    const char *path = mh_ck_get(c, "smtpd_sasl_path");
    const char *queue = mh_ck_get(c, "queue_directory");
    struct sockaddr_un sun;
    struct stat st;
    char full[4096];
    int fd, rc = 0;

    if (!mh_ck_is_yes(mh_ck_get(c, "smtpd_sasl_auth_enable"))
        || strcmp(mh_ck_get(c, "smtpd_sasl_type"), "dovecot") != 0) {
        return 0;
    }
    if (strncmp(path, "inet:", 5) == 0) {
        return 0;               /* a TCP service: not ours to probe */
    }
    if (strncmp(path, "unix:", 5) == 0) {
        path += 5;
    }
    if (*path == '\0') {
        return mh_ck_add(f, "sasl.socket-missing", "smtpd_sasl_type = dovecot with an "
                         "empty smtpd_sasl_path");
    }
    /* smtpd talks to Dovecot from the queue directory (its chroot). */
    if (path[0] == '/') {
        snprintf(full, sizeof(full), "%s", path);
    } else {
        snprintf(full, sizeof(full), "%s/%s", queue, path);
    }
    if (stat(full, &st) != 0) {
        return mh_ck_add(f, "sasl.socket-missing", "stat %s (smtpd_sasl_path = %s): %s", full,
                         mh_ck_get(c, "smtpd_sasl_path"), strerror(errno));
    }
    if (!S_ISSOCK(st.st_mode)) {
        return mh_ck_add(f, "sasl.socket-missing", "%s (smtpd_sasl_path = %s) is not a socket",
                         full, mh_ck_get(c, "smtpd_sasl_path"));
    }
    if (strlen(full) >= sizeof(sun.sun_path)) {
        return 0;               /* exists; too long a path to connect() by name */
    }
    /* bounded: a blocking connect() waits for ever when the listen
     * queue is full (Dovecot's auth stuck, or someone filling it) */
    fd = mh_unix_connect(full, mh_clock_read(CLOCK_MONOTONIC, 1000) + MH_CK_SASL_CONNECT_MS, 0);
    if (fd == MH_E_TIMEOUT) {
        return mh_ck_add(f, "sasl.socket-dead", "connect %s: timed out, its listen queue "
                         "stayed full for %d s", full, MH_CK_SASL_CONNECT_MS / 1000);
    }
    if (fd < 0) {
        return mh_ck_add(f, "sasl.socket-dead", "connect %s: %s", full, mh_rc_str(fd));
    }
    close(fd);
    return rc;
}

/* mh_ck_number - a Postfix integer parameter; 0 or MH_E_PARSE */
static int
mh_ck_number(const char *v, unsigned long long *out)
{
    char *end;

    if (!isdigit((unsigned char) v[0])) {
        return MH_E_PARSE;
    }
    errno = 0;
    *out = strtoull(v, &end, 10);
    return errno == 0 && *end == '\0' ? 0 : MH_E_PARSE;
}

/* mh_ck_num_param - read a number parameter or add config.bad-value */
static int
mh_ck_num_param(const struct mh_pfconf *c, const char *name, int is_time,
                unsigned long long *out, int *ok, struct mh_ck_findings *f)
{
    const char *v = mh_ck_get(c, name);

    *ok = (is_time ? mh_pfconf_time(v, out) : mh_ck_number(v, out)) == 0;
    if (!*ok) {
        return mh_ck_add(f, "config.bad-value", "%s = %s is not %s", name, v,
                         is_time ? "a time (number with unit s, m, h, d or w)" : "a number");
    }
    return 0;
}

/* mh_ck_rule_limits - inbound limits and error throttling */
int
mh_ck_rule_limits(const struct mh_pfconf *c, struct mh_ck_findings *f)
{
    unsigned long long msg = 0, mbox = 0, soft = 0, hard = 0, sleep = 0, rcpt = 0, line = 0;
    int okm, okb, oks, okh, okz, okr, okl;
    int rc = 0;

    rc |= mh_ck_num_param(c, "message_size_limit", 0, &msg, &okm, f);
    rc |= mh_ck_num_param(c, "mailbox_size_limit", 0, &mbox, &okb, f);
    rc |= mh_ck_num_param(c, "smtpd_soft_error_limit", 0, &soft, &oks, f);
    rc |= mh_ck_num_param(c, "smtpd_hard_error_limit", 0, &hard, &okh, f);
    rc |= mh_ck_num_param(c, "smtpd_error_sleep_time", 1, &sleep, &okz, f);
    rc |= mh_ck_num_param(c, "smtpd_recipient_limit", 0, &rcpt, &okr, f);
    rc |= mh_ck_num_param(c, "line_length_limit", 0, &line, &okl, f);
    if (rc != 0) {
        return -ENOMEM;
    }
    if (okm && okb && msg != 0 && mbox != 0 && msg > mbox) {
        rc |= mh_ck_add(f, "limits.message-gt-mailbox", "message_size_limit = %llu is larger "
                        "than mailbox_size_limit = %llu", msg, mbox);
    }
    if (okm && msg == 0) {
        rc |= mh_ck_add(f, "limits.message-unlimited", "message_size_limit = 0");
    }
    if (oks && okh && soft >= hard) {
        rc |= mh_ck_add(f, "limits.soft-ge-hard", "smtpd_soft_error_limit = %llu is not "
                        "below smtpd_hard_error_limit = %llu: the error delay never starts "
                        "before the client is cut off", soft, hard);
    }
    if (okz && sleep > MH_CK_SLEEP_MAX) {
        rc |= mh_ck_add(f, "limits.error-sleep-long", "smtpd_error_sleep_time = %s "
                        "(%llu s) is over %d s", mh_ck_get(c, "smtpd_error_sleep_time"),
                        sleep, MH_CK_SLEEP_MAX);
    }
    if (okr && (rcpt < MH_CK_RCPT_MIN || rcpt > MH_CK_RCPT_MAX)) {
        rc |= mh_ck_add(f, "limits.recipient-limit", "smtpd_recipient_limit = %llu is %s",
                        rcpt, rcpt < MH_CK_RCPT_MIN ? "below 100, the least RFC 5321 allows"
                        : "absurdly high (over 100000)");
    }
    if (okl && (line < MH_CK_LINE_MIN || line > MH_CK_LINE_MAX)) {
        rc |= mh_ck_add(f, "limits.line-length", "line_length_limit = %llu is %s", line,
                        line < MH_CK_LINE_MIN ? "below RFC 5321's 1000"
                        : "absurdly high (over 16 MiB)");
    }
    return rc != 0 ? -ENOMEM : 0;
}

/* mh_ck_rule_backupmx - a backup MX that accepts mail for anyone */
int
mh_ck_rule_backupmx(const struct mh_pfconf *c, struct mh_ck_findings *f)
{
    struct mh_ck_toks relay, dest;
    size_t foreign = 0;
    int rc = 0;

    if (mh_ck_tokens(mh_ck_get(c, "relay_domains"), &relay) != 0) {
        return -ENOMEM;
    }
    if (mh_ck_tokens(mh_ck_get(c, "mydestination"), &dest) != 0) {
        mh_ck_tokens_free(&relay);
        return -ENOMEM;
    }
    for (size_t i = 0; i < relay.n; i++) {
        const char *d = relay.v[i];

        /* a table or a file: its domains are not ours to list */
        if (strchr(d, ':') != NULL || d[0] == '/' || d[0] == '{' || !mh_ck_in(&dest, d)) {
            foreign++;
        }
    }
    /* relay_domains = $mydestination is the pre-3.0 default, not a backup MX */
    if (foreign == 0 && relay.n == dest.n) {
        goto done;
    }
    for (size_t i = 0; i < relay.n && rc == 0; i++) {
        const char *d = relay.v[i];

        if (strchr(d, ':') == NULL && d[0] != '/' && d[0] != '{' && mh_ck_in(&dest, d)) {
            rc = mh_ck_add(f, "backupmx.relay-is-local", "%s is in both relay_domains and "
                           "mydestination", d);
        }
    }
    if (rc == 0 && foreign > 0 && mh_ck_get(c, "relay_recipient_maps")[0] == '\0') {
        rc = mh_ck_add(f, "backupmx.no-relay-recipient-maps", "relay_domains = %s is set "
                       "and relay_recipient_maps is empty",
                       mh_ck_get(c, "relay_domains"));
    }

  done:
    mh_ck_tokens_free(&relay);
    mh_ck_tokens_free(&dest);
    return rc;
}

/* mh_ck_version_cmp - compare have and want over want's parts */
int
mh_ck_version_cmp(const char *have, const char *want, int *cmp)
{
    const char *h = have, *w = want;

    *cmp = 0;
    if (!isdigit((unsigned char) *w) || !isdigit((unsigned char) *h)) {
        return MH_E_PARSE;
    }
    while (*w != '\0') {
        unsigned long hv = 0, wv = 0;
        char *end;

        if (!isdigit((unsigned char) *w)) {
            return MH_E_PARSE;
        }
        errno = 0;
        wv = strtoul(w, &end, 10);
        if (errno != 0 || (*end != '\0' && *end != '.') || end - w > 6) {
            return MH_E_PARSE;
        }
        w = *end == '.' ? end + 1 : end;
        if (*end == '.' && *w == '\0') {
            return MH_E_PARSE;
        }
        if (isdigit((unsigned char) *h)) {
            hv = strtoul(h, &end, 10);
            h = *end == '.' ? end + 1 : end;
        }
        if (hv != wv) {
            *cmp = hv < wv ? -1 : 1;
            return 0;
        }
    }
    return 0;
}

/* mh_ck_rule_version - the expected Postfix, and config for a newer one */
int
mh_ck_rule_version(const struct mh_pfconf *c, const char *expect, struct mh_ck_findings *f)
{
    const char *have = mh_ck_get(c, "mail_version");
    const char *compat = mh_ck_get(c, "compatibility_level");
    int cmp = 0;
    int rc = 0;

    if (expect != NULL && (mh_ck_version_cmp(have, expect, &cmp) != 0 || cmp != 0)) {
        rc = mh_ck_add(f, "version.mismatch", "mail_version = %s, expected %s",
                       *have ? have : "(none)", expect);
    }
    /* compatibility_level names the Postfix version whose defaults the
     * configuration wants: higher than this Postfix, it needs a newer one. */
    if (rc == 0 && *compat != '\0' && mh_ck_version_cmp(have, compat, &cmp) == 0 && cmp < 0) {
        rc = mh_ck_add(f, "version.config-newer", "compatibility_level = %s is above this "
                       "node's Postfix %s", compat, have);
    }
    return rc;
}

/* mh_ck_postconf_warnings - "postconf: warning: ..." lines into findings */
int
mh_ck_postconf_warnings(const char *err, size_t len, const char *version,
                        struct mh_ck_findings *f)
{
    static const char tag[] = "warning: ";
    static const char unused[] = "unused parameter: ";
    size_t pos = 0;
    int rc = 0;

    while (pos < len && rc == 0) {
        const char *s = err + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t ll = nl != NULL ? (size_t) (nl - s) : len - pos;
        const char *w = memmem(s, ll, tag, sizeof(tag) - 1);

        pos += ll + 1;
        if (w == NULL) {
            continue;
        }
        w += sizeof(tag) - 1;
        {
            int wl = (int) (ll - (size_t) (w - s));
            const char *u = memmem(w, (size_t) wl, unused, sizeof(unused) - 1);

            if (u != NULL) {
                const char *p = u + sizeof(unused) - 1;
                int pl = (int) (ll - (size_t) (p - s));
                const char *eq = memchr(p, '=', (size_t) pl);
                int nl_name = eq != NULL ? (int) (eq - p) : pl;

                rc = mh_ck_add(f, "config.unused-parameter", "%.*s: parameter %.*s is "
                               "unknown to Postfix %s", (int) (u - w) - 2 > 0 ? (int) (u - w) - 2
                               : 0, w, nl_name, p, version && *version ? version : "");
            } else {
                rc = mh_ck_add(f, "config.postconf-warning", "postconf: %.*s", wl, w);
            }
        }
    }
    return rc;
}

/* JSON, just enough to read mailha-aliases' report. */
struct mh_ck_json {
    const char *p;
    const char *end;
    int depth;
    int found;
    struct mh_ck_findings *f;
};

/* mh_ck_json_ws - skip white space */
static void
mh_ck_json_ws(struct mh_ck_json *j)
{
    while (j->p < j->end && isspace((unsigned char) *j->p)) {
        j->p++;
    }
}

/* mh_ck_json_string - a string into out (truncated, NUL-terminated) */
static int
mh_ck_json_string(struct mh_ck_json *j, char *out, size_t size)
{
    size_t n = 0;

    if (j->p >= j->end || *j->p != '"') {
        return MH_E_PARSE;
    }
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        char ch = *j->p++;

        if ((unsigned char) ch < 0x20) {
            return MH_E_PARSE;
        }
        if (ch == '\\') {
            if (j->p >= j->end) {
                return MH_E_PARSE;
            }
            ch = *j->p++;
            switch (ch) {
            case 'n':
            case 't':
            case 'r':
            case 'b':
            case 'f':
                ch = ' ';
                break;
            case 'u':
                for (int k = 0; k < 4; k++) {
                    if (j->p >= j->end || !isxdigit((unsigned char) *j->p)) {
                        return MH_E_PARSE;
                    }
                    j->p++;
                }
                ch = '?';
                break;
            case '"':
            case '\\':
            case '/':
                break;
            default:
                return MH_E_PARSE;
            }
        }
        if (out != NULL && n + 1 < size) {
            out[n++] = ch;
        }
    }
    if (j->p >= j->end) {
        return MH_E_PARSE;
    }
    j->p++;
    if (out != NULL) {
        out[n] = '\0';
    }
    return 0;
}

/* mh_ck_copy - copy a string, cut to fit */
static void
mh_ck_copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int mh_ck_json_value(struct mh_ck_json *j, char *str, size_t size, long long *num);

/* mh_ck_json_object - an object; a finding when it has severity + message */
static int
mh_ck_json_object(struct mh_ck_json *j)
{
    char key[32], sev[16] = "", msg[512] = "", file[256] = "", val[512];
    long long line = 0, num;
    int first = 1;

    j->p++;
    for (;;) {
        mh_ck_json_ws(j);
        if (j->p < j->end && *j->p == '}' && first) {
            j->p++;
            break;
        }
        if (mh_ck_json_string(j, key, sizeof(key)) != 0) {
            return MH_E_PARSE;
        }
        mh_ck_json_ws(j);
        if (j->p >= j->end || *j->p != ':') {
            return MH_E_PARSE;
        }
        j->p++;
        val[0] = '\0';
        num = 0;
        if (mh_ck_json_value(j, val, sizeof(val), &num) != 0) {
            return MH_E_PARSE;
        }
        if (strcmp(key, "severity") == 0) {
            mh_ck_copy(sev, sizeof(sev), val);
        } else if (strcmp(key, "message") == 0) {
            mh_ck_copy(msg, sizeof(msg), val);
        } else if (strcmp(key, "file") == 0) {
            mh_ck_copy(file, sizeof(file), val);
        } else if (strcmp(key, "line") == 0) {
            line = num;
        }
        first = 0;
        mh_ck_json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            break;
        }
        return MH_E_PARSE;
    }
    if (sev[0] != '\0' && msg[0] != '\0') {
        const char *id = strcmp(sev, "error") == 0 ? "aliases.error"
            : strcmp(sev, "note") == 0 || strcmp(sev, "info") == 0 ? "aliases.note"
            : "aliases.warning";
        int rc;

        if (file[0] != '\0' && line > 0) {
            rc = mh_ck_add(j->f, id, "%s:%lld: %s", file, line, msg);
        } else if (file[0] != '\0') {
            rc = mh_ck_add(j->f, id, "%s: %s", file, msg);
        } else {
            rc = mh_ck_add(j->f, id, "%s", msg);
        }
        if (rc != 0) {
            return rc;
        }
        j->found++;
    }
    return 0;
}

/* mh_ck_json_value - any value; a string into str, a number into num */
static int
mh_ck_json_value(struct mh_ck_json *j, char *str, size_t size, long long *num)
{
    int rc = 0;

    mh_ck_json_ws(j);
    if (j->p >= j->end) {
        return MH_E_PARSE;
    }
    if (++j->depth > 32) {
        return MH_E_PARSE;
    }
    switch (*j->p) {
    case '"':
        rc = mh_ck_json_string(j, str, size);
        break;
    case '{':
        rc = mh_ck_json_object(j);
        break;
    case '[':
        j->p++;
        mh_ck_json_ws(j);
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            break;
        }
        for (;;) {
            rc = mh_ck_json_value(j, NULL, 0, NULL);
            if (rc != 0) {
                break;
            }
            mh_ck_json_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == ']') {
                j->p++;
                break;
            }
            rc = MH_E_PARSE;
            break;
        }
        break;
    default:
        if (*j->p == '-' || isdigit((unsigned char) *j->p)) {
            long long v = 0;
            int neg = *j->p == '-';

            if (neg) {
                j->p++;
            }
            if (j->p >= j->end || !isdigit((unsigned char) *j->p)) {
                rc = MH_E_PARSE;
                break;
            }
            while (j->p < j->end && isdigit((unsigned char) *j->p)) {
                if (v < 100000000000LL) {
                    v = v * 10 + (*j->p - '0');
                }
                j->p++;
            }
            while (j->p < j->end && (isdigit((unsigned char) *j->p) || *j->p == '.'
                                     || *j->p == 'e' || *j->p == 'E' || *j->p == '+'
                                     || *j->p == '-')) {
                j->p++;
            }
            if (num != NULL) {
                *num = neg ? -v : v;
            }
        } else if ((size_t) (j->end - j->p) >= 4 && memcmp(j->p, "true", 4) == 0) {
            j->p += 4;
        } else if ((size_t) (j->end - j->p) >= 5 && memcmp(j->p, "false", 5) == 0) {
            j->p += 5;
        } else if ((size_t) (j->end - j->p) >= 4 && memcmp(j->p, "null", 4) == 0) {
            j->p += 4;
        } else {
            rc = MH_E_PARSE;
        }
        break;
    }
    j->depth--;
    return rc;
}

/* mh_ck_aliases_json - every {severity, message} object is a finding */
int
mh_ck_aliases_json(const char *json, size_t len, struct mh_ck_findings *f)
{
    struct mh_ck_json j;
    int rc;

    memset(&j, 0, sizeof(j));
    j.p = json;
    j.end = json + len;
    j.f = f;
    rc = mh_ck_json_value(&j, NULL, 0, NULL);
    if (rc != 0) {
        return rc;
    }
    mh_ck_json_ws(&j);
    if (j.p != j.end) {
        return MH_E_PARSE;
    }
    return j.found;
}
