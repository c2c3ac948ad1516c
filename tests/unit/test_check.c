// SPDX-License-Identifier: GPL-2.0-or-later
/* test_check - unit tests of mailha-check's modules: restriction lists
 * (tokens, the relay walk), the rules over hand-made parameter sets,
 * version comparison, postconf's warnings, mailha-aliases' JSON, the
 * finding table and the program runner. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "../../helpers/check/mh_ckfind.h"
#include "../../helpers/check/mh_ckrules.h"
#include "../../helpers/check/mh_ckrun.h"

/* conf_of - a parameter set from "name", "value", ... NULL */
static struct mh_pfconf
conf_of(struct mh_pfconf_entry *e, const char *const *kv)
{
    struct mh_pfconf c;
    size_t n = 0;

    memset(&c, 0, sizeof(c));
    for (; kv[2 * n] != NULL; n++) {
        e[n].name = (char *) kv[2 * n];
        e[n].value = (char *) kv[2 * n + 1];
    }
    c.entries = e;
    c.count = n;
    return c;
}

/* ids - the finding ids, space separated */
static const char *
ids(const struct mh_ck_findings *f)
{
    static char buf[1024];

    buf[0] = '\0';
    for (size_t i = 0; i < f->n; i++) {
        if (i) {
            strcat(buf, " ");
        }
        strcat(buf, f->v[i].kind->id);
    }
    return buf;
}

static void
test_tokens(void **state)
{
    struct mh_ck_toks t;

    assert_int_equal(mh_ck_tokens("  permit_mynetworks,permit_sasl_authenticated ,\n\t"
                                  "check_policy_service { inet:127.0.0.1:9, timeout=10s },"
                                  "reject_unauth_destination", &t), 0);
    assert_int_equal(t.n, 5);
    assert_string_equal(t.v[0], "permit_mynetworks");
    assert_string_equal(t.v[1], "permit_sasl_authenticated");
    assert_string_equal(t.v[2], "check_policy_service");
    assert_string_equal(t.v[3], "{ inet:127.0.0.1:9, timeout=10s }");
    assert_string_equal(t.v[4], "reject_unauth_destination");
    mh_ck_tokens_free(&t);
    assert_int_equal(mh_ck_tokens("", &t), 0);
    assert_int_equal(t.n, 0);
    mh_ck_tokens_free(&t);
    assert_int_equal(mh_ck_tokens("{ unclosed, brace", &t), 0);
    assert_int_equal(t.n, 1);
    mh_ck_tokens_free(&t);
}

/* verdict - walk a list with classes */
static int
verdict(const char *list, const char *classes, size_t *where)
{
    struct mh_ck_toks t, c;
    int v;

    assert_int_equal(mh_ck_tokens(list, &t), 0);
    assert_int_equal(mh_ck_tokens(classes, &c), 0);
    v = mh_ck_verdict(&t, &c, where);
    mh_ck_tokens_free(&t);
    mh_ck_tokens_free(&c);
    return v;
}

static void
test_verdict(void **state)
{
    size_t w;

    assert_int_equal(verdict("permit_mynetworks, reject_unauth_destination", "", &w),
                     MH_CK_PROTECTS);
    assert_int_equal(w, 1);
    assert_int_equal(verdict("permit_mynetworks, defer_unauth_destination", "", &w),
                     MH_CK_PROTECTS);
    assert_int_equal(verdict("permit_mynetworks, reject", "", &w), MH_CK_PROTECTS);
    assert_int_equal(verdict("permit, reject_unauth_destination", "", &w), MH_CK_PERMITS);
    assert_int_equal(w, 0);
    assert_int_equal(verdict("", "", &w), MH_CK_FALLS);
    assert_int_equal(verdict("permit_mynetworks, permit_sasl_authenticated", "", &w),
                     MH_CK_FALLS);
    assert_int_equal(w, 2);
    /* warn_if_reject turns the next restriction into a log line */
    assert_int_equal(verdict("warn_if_reject reject_unauth_destination", "", &w), MH_CK_FALLS);
    assert_int_equal(verdict("warn_if_reject reject_unauth_destination, reject", "", &w),
                     MH_CK_PROTECTS);
    /* a table argument named like a restriction is still an argument */
    assert_int_equal(verdict("check_client_access permit, reject_unauth_destination", "", &w),
                     MH_CK_PROTECTS);
    assert_int_equal(verdict("reject_rbl_client permit, permit", "", &w), MH_CK_PERMITS);
    assert_int_equal(w, 2);
    /* a class before the decision */
    assert_int_equal(verdict("permit_mynetworks, myclass, reject_unauth_destination",
                             "myclass other", &w), MH_CK_OPAQUE);
    assert_int_equal(w, 1);
    assert_int_equal(verdict("reject_unauth_destination, myclass", "myclass", &w),
                     MH_CK_PROTECTS);
}

static void
test_rule_relay(void **state)
{
    struct mh_pfconf_entry e[8];
    struct mh_ck_findings f;
    struct mh_pfconf c;

    memset(&f, 0, sizeof(f));
    c = conf_of(e, (const char *const[]) {
        "smtpd_relay_restrictions", "",
        "smtpd_recipient_restrictions", "permit_mynetworks, reject_unauth_destination",
        NULL });
    assert_int_equal(mh_ck_rule_relay(&c, &f), 0);
    assert_string_equal(ids(&f), "");

    c = conf_of(e, (const char *const[]) {
        "smtpd_relay_restrictions", "permit_mynetworks, permit",
        "smtpd_recipient_restrictions", "",
        NULL });
    assert_int_equal(mh_ck_rule_relay(&c, &f), 0);
    assert_string_equal(ids(&f), "relay.open");
    assert_non_null(strstr(f.v[0].message, "smtpd_relay_restrictions permits unconditionally"));
    assert_non_null(strstr(f.v[0].message, "smtpd refuses to run"));
    assert_int_equal(f.v[0].sev, MH_CK_ERROR);
    mh_ck_free(&f);

    c = conf_of(e, (const char *const[]) {
        "smtpd_relay_restrictions", "permit_mynetworks, rc1",
        "smtpd_recipient_restrictions", "rc2",
        "smtpd_restriction_classes", "rc1, rc2",
        NULL });
    assert_int_equal(mh_ck_rule_relay(&c, &f), 0);
    assert_string_equal(ids(&f), "relay.class-opaque relay.class-opaque");
    assert_non_null(strstr(f.v[0].message, "class rc1"));
    assert_non_null(strstr(f.v[1].message, "class rc2"));
    mh_ck_free(&f);
}

static void
test_rule_sasl(void **state)
{
    struct mh_pfconf_entry e[8];
    struct mh_ck_findings f;
    struct mh_pfconf c;

    memset(&f, 0, sizeof(f));
    /* off: nothing to say */
    c = conf_of(e, (const char *const[]) {
        "smtpd_sasl_auth_enable", "no", "smtpd_sasl_security_options", "",
        "broken_sasl_auth_clients", "yes", NULL });
    assert_int_equal(mh_ck_rule_sasl(&c, &f), 0);
    assert_int_equal(mh_ck_rule_sasl_socket(&c, &f), 0);
    assert_int_equal(f.n, 0);

    /* the runbook's setup with relay restrictions that reject first */
    c = conf_of(e, (const char *const[]) {
        "smtpd_sasl_auth_enable", "yes",
        "smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination",
        "smtpd_recipient_restrictions",
        "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination",
        "smtpd_sasl_security_options", "noanonymous",
        "broken_sasl_auth_clients", "yes", NULL });
    assert_int_equal(mh_ck_rule_sasl(&c, &f), 0);
    assert_string_equal(ids(&f), "sasl.no-permit sasl.broken-clients");
    assert_non_null(strstr(f.v[0].message, "smtpd_relay_restrictions reaches "
                           "reject_unauth_destination"));
    mh_ck_free(&f);

    c = conf_of(e, (const char *const[]) {
        "smtpd_sasl_auth_enable", "YES",
        "smtpd_relay_restrictions", "permit_sasl_authenticated, reject_unauth_destination",
        "smtpd_recipient_restrictions", "",
        "smtpd_sasl_security_options", "noplaintext",
        "broken_sasl_auth_clients", "no", NULL });
    assert_int_equal(mh_ck_rule_sasl(&c, &f), 0);
    assert_string_equal(ids(&f), "sasl.anonymous");
    mh_ck_free(&f);

    /* the socket: inet is skipped, a missing unix path is found */
    c = conf_of(e, (const char *const[]) {
        "smtpd_sasl_auth_enable", "yes", "smtpd_sasl_type", "dovecot",
        "smtpd_sasl_path", "inet:127.0.0.1:1", "queue_directory", "/nonexistent", NULL });
    assert_int_equal(mh_ck_rule_sasl_socket(&c, &f), 0);
    assert_int_equal(f.n, 0);
    c = conf_of(e, (const char *const[]) {
        "smtpd_sasl_auth_enable", "yes", "smtpd_sasl_type", "dovecot",
        "smtpd_sasl_path", "unix:private/auth", "queue_directory", "/nonexistent/q", NULL });
    assert_int_equal(mh_ck_rule_sasl_socket(&c, &f), 0);
    assert_string_equal(ids(&f), "sasl.socket-missing");
    assert_non_null(strstr(f.v[0].message, "stat /nonexistent/q/private/auth"));
    mh_ck_free(&f);
    /* cyrus: its path is an application name, not a socket */
    c = conf_of(e, (const char *const[]) {
        "smtpd_sasl_auth_enable", "yes", "smtpd_sasl_type", "cyrus",
        "smtpd_sasl_path", "smtpd", NULL });
    assert_int_equal(mh_ck_rule_sasl_socket(&c, &f), 0);
    assert_int_equal(f.n, 0);
}

static void
test_rule_limits(void **state)
{
    struct mh_pfconf_entry e[8];
    struct mh_ck_findings f;
    struct mh_pfconf c;

    memset(&f, 0, sizeof(f));
    /* Postfix's defaults: nothing */
    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "10240000", "mailbox_size_limit", "51200000",
        "smtpd_soft_error_limit", "10", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "1s", "smtpd_recipient_limit", "1000",
        "line_length_limit", "2048", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_int_equal(f.n, 0);

    /* every value at its bound is still fine: message = mailbox, soft one
     * below hard, 10 s of sleep, 100 and 100000 recipients, 1000 and
     * 16 MiB line length */
    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "51200000", "mailbox_size_limit", "51200000",
        "smtpd_soft_error_limit", "19", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "10s", "smtpd_recipient_limit", "100",
        "line_length_limit", "1000", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_int_equal(f.n, 0);
    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "10240000", "mailbox_size_limit", "51200000",
        "smtpd_soft_error_limit", "10", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "1s", "smtpd_recipient_limit", "100000",
        "line_length_limit", "16777216", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_int_equal(f.n, 0);
    /* and one past each bound is a finding */
    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "51200001", "mailbox_size_limit", "51200000",
        "smtpd_soft_error_limit", "20", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "11s", "smtpd_recipient_limit", "99",
        "line_length_limit", "999", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_string_equal(ids(&f), "limits.message-gt-mailbox limits.soft-ge-hard "
                        "limits.error-sleep-long limits.recipient-limit limits.line-length");
    mh_ck_free(&f);
    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "10240000", "mailbox_size_limit", "51200000",
        "smtpd_soft_error_limit", "10", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "1s", "smtpd_recipient_limit", "100001",
        "line_length_limit", "16777217", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_string_equal(ids(&f), "limits.recipient-limit limits.line-length");
    mh_ck_free(&f);

    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "99", "mailbox_size_limit", "98",
        "smtpd_soft_error_limit", "30", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "2h", "smtpd_recipient_limit", "1000001",
        "line_length_limit", "10", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_string_equal(ids(&f), "limits.message-gt-mailbox limits.soft-ge-hard "
                        "limits.error-sleep-long limits.recipient-limit limits.line-length");
    mh_ck_free(&f);

    /* malformed: one bad-value each, and no comparison made with them */
    c = conf_of(e, (const char *const[]) {
        "message_size_limit", "-5", "mailbox_size_limit", "",
        "smtpd_soft_error_limit", "10x", "smtpd_hard_error_limit", "20",
        "smtpd_error_sleep_time", "1y", "smtpd_recipient_limit", "99999999999999999999999",
        "line_length_limit", "2048", NULL });
    assert_int_equal(mh_ck_rule_limits(&c, &f), 0);
    assert_string_equal(ids(&f), "config.bad-value config.bad-value config.bad-value "
                        "config.bad-value config.bad-value");
    mh_ck_free(&f);
}

static void
test_rule_backupmx(void **state)
{
    struct mh_pfconf_entry e[8];
    struct mh_ck_findings f;
    struct mh_pfconf c;

    memset(&f, 0, sizeof(f));
    c = conf_of(e, (const char *const[]) {
        "relay_domains", "", "mydestination", "a.example", "relay_recipient_maps", "", NULL });
    assert_int_equal(mh_ck_rule_backupmx(&c, &f), 0);
    assert_int_equal(f.n, 0);
    c = conf_of(e, (const char *const[]) {
        "relay_domains", "a.example, localhost", "mydestination", "a.example localhost",
        "relay_recipient_maps", "", NULL });
    assert_int_equal(mh_ck_rule_backupmx(&c, &f), 0);
    assert_int_equal(f.n, 0);
    c = conf_of(e, (const char *const[]) {
        "relay_domains", "hash:/etc/postfix/relay", "mydestination", "a.example",
        "relay_recipient_maps", "", NULL });
    assert_int_equal(mh_ck_rule_backupmx(&c, &f), 0);
    assert_string_equal(ids(&f), "backupmx.no-relay-recipient-maps");
    mh_ck_free(&f);
    c = conf_of(e, (const char *const[]) {
        "relay_domains", "A.example b.example", "mydestination", "a.example",
        "relay_recipient_maps", "hash:/x", NULL });
    assert_int_equal(mh_ck_rule_backupmx(&c, &f), 0);
    assert_string_equal(ids(&f), "backupmx.relay-is-local");
    mh_ck_free(&f);
}

static void
test_version(void **state)
{
    struct mh_pfconf_entry e[4];
    struct mh_ck_findings f;
    struct mh_pfconf c;
    int cmp;

    assert_int_equal(mh_ck_version_cmp("3.7.11", "3.7", &cmp), 0);
    assert_int_equal(cmp, 0);
    assert_int_equal(mh_ck_version_cmp("3.7.11", "3.7.11", &cmp), 0);
    assert_int_equal(cmp, 0);
    assert_int_equal(mh_ck_version_cmp("3.7.11", "3.7.2", &cmp), 0);
    assert_int_equal(cmp, 1);
    assert_int_equal(mh_ck_version_cmp("3.7.11", "3.10", &cmp), 0);
    assert_int_equal(cmp, -1);
    assert_int_equal(mh_ck_version_cmp("2.10.1", "3", &cmp), 0);
    assert_int_equal(cmp, -1);
    assert_int_equal(mh_ck_version_cmp("3.8-20230101", "3.8", &cmp), 0);
    assert_int_equal(cmp, 0);
    assert_int_equal(mh_ck_version_cmp("3.7", "3.7.1", &cmp), 0);
    assert_int_equal(cmp, -1);
    assert_int_equal(mh_ck_version_cmp("3.7.11", "x", &cmp), MH_E_PARSE);
    assert_int_equal(mh_ck_version_cmp("3.7.11", "3.", &cmp), MH_E_PARSE);
    assert_int_equal(mh_ck_version_cmp("3.7.11", "3..1", &cmp), MH_E_PARSE);
    assert_int_equal(mh_ck_version_cmp("", "3", &cmp), MH_E_PARSE);

    memset(&f, 0, sizeof(f));
    c = conf_of(e, (const char *const[]) {
        "mail_version", "3.7.11", "compatibility_level", "3.6", NULL });
    assert_int_equal(mh_ck_rule_version(&c, NULL, &f), 0);
    assert_int_equal(mh_ck_rule_version(&c, "3.7", &f), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(mh_ck_rule_version(&c, "2.10.1", &f), 0);
    assert_string_equal(ids(&f), "version.mismatch");
    mh_ck_free(&f);
    c = conf_of(e, (const char *const[]) {
        "mail_version", "3.7.11", "compatibility_level", "3.9", NULL });
    assert_int_equal(mh_ck_rule_version(&c, NULL, &f), 0);
    assert_string_equal(ids(&f), "version.config-newer");
    mh_ck_free(&f);
}

static void
test_postconf_warnings(void **state)
{
    static const char err[] =
        "postconf: warning: /etc/x/main.cf: unused parameter: foo_bar=1\n"
        "postconf: warning: /etc/x/main.cf: undefined parameter: nope\n"
        "something else entirely\n"
        "postconf: warning: unused parameter: =";
    struct mh_ck_findings f;

    memset(&f, 0, sizeof(f));
    assert_int_equal(mh_ck_postconf_warnings(err, sizeof(err) - 1, "3.7.11", &f), 0);
    assert_string_equal(ids(&f), "config.unused-parameter config.postconf-warning "
                        "config.unused-parameter");
    assert_string_equal(f.v[0].message, "/etc/x/main.cf: parameter foo_bar is unknown to "
                        "Postfix 3.7.11");
    assert_string_equal(f.v[1].message, "postconf: /etc/x/main.cf: undefined parameter: nope");
    mh_ck_free(&f);
    assert_int_equal(mh_ck_postconf_warnings("", 0, NULL, &f), 0);
    assert_int_equal(f.n, 0);
}

/* aliases_json - mh_ck_aliases_json on an exact-size heap copy, so that a
 * read past the end is caught (under AddressSanitizer) */
static int
aliases_json(const char *s, size_t len, struct mh_ck_findings *f)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, s, len);
    rc = mh_ck_aliases_json(copy, len, f);
    free(copy);
    return rc;
}

static void
test_aliases_json(void **state)
{
    static const char good[] =
        "{\"tables\":[{\"spec\":\"hash:/etc/aliases\",\"alias_maps\":true}],"
        "\"findings\":[{\"severity\":\"error\",\"file\":\"/etc/aliases\",\"line\":7,"
        "\"message\":\"need name:value \\\"pair\\\"\"},"
        "{\"severity\":\"warning\",\"file\":null,\"line\":0,\"message\":\"stale\\u00e9\"},"
        "{\"severity\":\"note\",\"file\":\"/etc/x\",\"line\":0,\"message\":\"skipped\"}],"
        "\"errors\":1,\"warnings\":1,\"notes\":1,\"ratio\":-1.5e3}";
    struct mh_ck_findings f;

    memset(&f, 0, sizeof(f));
    assert_int_equal(aliases_json(good, sizeof(good) - 1, &f), 3);
    assert_string_equal(ids(&f), "aliases.error aliases.warning aliases.note");
    assert_string_equal(f.v[0].message, "/etc/aliases:7: need name:value \"pair\"");
    assert_string_equal(f.v[1].message, "stale?");
    assert_string_equal(f.v[2].message, "/etc/x: skipped");
    mh_ck_free(&f);

#define BAD(s) assert_int_equal(aliases_json((s), sizeof(s) - 1, &f), MH_E_PARSE)
    BAD("");
    BAD("{");
    BAD("{\"a\":}");
    BAD("{\"a\":1,}");
    BAD("[1 2]");
    BAD("\"unterminated");
    BAD("{\"a\":\"\\q\"}");
    BAD("{} trailing");
    BAD("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
    /* 33 levels are too deep; 32 are fine (below) */
    BAD("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
    BAD("{1:2}");
    BAD("{\"a\":1 \"b\":2}");
    BAD("{\"a\":1");
    BAD("[1,");
    BAD("{\"a\":-");
    BAD("[1");
    BAD("{\"a\":1");
    BAD("{xa\":1}");
#undef BAD
    assert_int_equal(aliases_json("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 64, &f), 0);
    /* a number ends where its digits end, also at the end of the input */
    assert_int_equal(aliases_json("[12]", 4, &f), 0);
    assert_int_equal(aliases_json("7", 1, &f), 0);
    /* numbers past 10^11 stop growing (a line number that large is noise) */
    {
        static const char big[] =
            "{\"findings\":[{\"severity\":\"error\",\"file\":\"/f\",\"line\":1000000000000,"
            "\"message\":\"m\"}]}";

        assert_int_equal(aliases_json(big, sizeof(big) - 1, &f), 1);
        assert_string_equal(f.v[0].message, "/f:100000000000: m");
    }
    mh_ck_free(&f);
    assert_int_equal(aliases_json("[]", 2, &f), 0);
    assert_int_equal(aliases_json(" {\"findings\":[]} ", 17, &f), 0);
}

static void
test_table(void **state)
{
    struct mh_ck_findings f;
    const struct mh_ck_kind *k;
    size_t n;

    memset(&f, 0, sizeof(f));
    k = mh_ck_kinds(&n);
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(strchr(k[i].id, '.'));
        assert_true(strlen(k[i].advice) > 10);
        assert_ptr_equal(mh_ck_kind_find(k[i].id), &k[i]);
        for (size_t j = i + 1; j < n; j++) {
            assert_string_not_equal(k[i].id, k[j].id);
        }
    }
    assert_int_equal(mh_ck_add(&f, "no.such-id", "x"), -ENOENT);
    assert_int_equal(mh_ck_add_sev(&f, "relay.open", 7, "x"), -EINVAL);
    assert_int_equal(mh_ck_add(&f, "sasl.anonymous", "w %d", 1), 0);
    assert_int_equal(mh_ck_add_sev(&f, "relay.open", MH_CK_INFO, "lowered"), 0);
    assert_int_equal(mh_ck_add(&f, "version.mismatch", "node"), 0);
    assert_int_equal(f.count[MH_CK_WARNING], 1);
    assert_int_equal(f.count[MH_CK_INFO], 1);
    assert_null(mh_ck_first(&f, MH_CK_ERROR, MH_CK_CONFIG));
    assert_string_equal(mh_ck_first(&f, MH_CK_ERROR, MH_CK_NODE)->message, "node");
    assert_string_equal(mh_ck_first(&f, MH_CK_WARNING, -1)->message, "w 1");
    assert_non_null(mh_ck_has(&f, "relay.open"));
    assert_null(mh_ck_has(&f, "relay.class-opaque"));
    /* both ends of the severity range are allowed */
    assert_int_equal(mh_ck_add_sev(&f, "relay.open", MH_CK_ERROR, "top"), 0);
    assert_int_equal(mh_ck_add_sev(&f, "relay.open", -1, "x"), -EINVAL);
    assert_int_equal(f.count[MH_CK_ERROR], 2);
    /* an empty message is a message */
    assert_int_equal(mh_ck_add(&f, "sasl.broken-clients", "%s", ""), 0);
    assert_string_equal(f.v[f.n - 1].message, "");
    /* a message quoting a file's control bytes (an escape sequence, a
     * line end) is escaped in the text report, as everywhere */
    assert_int_equal(mh_ck_add(&f, "sasl.broken-clients", "%s", "a\033[2Jb\nc"), 0);
    {
        char *out = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&out, &len);

        /* text: most severe first, each severity in the order found */
        assert_non_null(fp);
        mh_ck_print_text(fp, &f, "/etc/pf", NULL);
        assert_int_equal(fclose(fp), 0);
        assert_non_null(strstr(out, "mailha-check: /etc/pf (Postfix unknown)\n"
                                    "error   version.mismatch: node\n"));
        assert_non_null(strstr(out, "error   relay.open: top\n"));
        assert_true(strstr(out, "relay.open: top") < strstr(out, "warning sasl.anonymous: w 1"));
        assert_true(strstr(out, "warning sasl.anonymous: w 1")
                    < strstr(out, "info    relay.open: lowered"));
        assert_non_null(strstr(out, "\n2 errors, 1 warnings, 3 notes\n"));
        assert_non_null(strstr(out, ": a\\x1b[2Jb\\x0ac\n"));
        assert_null(strchr(out, '\033'));
        free(out);
        /* JSON: in the order found, scope from the finding's kind */
        out = NULL;
        fp = open_memstream(&out, &len);
        assert_non_null(fp);
        mh_ck_print_json(fp, &f, NULL, "3.7.11");
        assert_int_equal(fclose(fp), 0);
        assert_non_null(strstr(out, "\"mail_version\":\"3.7.11\""));
        assert_non_null(strstr(out, "{\"id\":\"sasl.anonymous\",\"severity\":\"warning\","
                                    "\"scope\":\"config\""));
        assert_non_null(strstr(out, "{\"id\":\"version.mismatch\",\"severity\":\"error\","
                                    "\"scope\":\"node\""));
        assert_non_null(strstr(out, "\"message\":\"top\""));
        assert_non_null(strstr(out, "\"errors\":2,\"warnings\":1,\"notes\":3,"));
        free(out);
        out = NULL;
        fp = open_memstream(&out, &len);
        assert_non_null(fp);
        mh_ck_print_json(fp, &f, NULL, NULL);
        assert_int_equal(fclose(fp), 0);
        assert_non_null(strstr(out, "\"mail_version\":null"));
        free(out);
    }
    mh_ck_free(&f);
}

static void
test_run(void **state)
{
    const char *echo[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };
    const char *slow[] = { "/bin/sleep", "10", NULL };
    const char *none[] = { "/nonexistent/prog", NULL };
    struct mh_ckrun_out o;
    char why[256];

    assert_int_equal(mh_ckrun(echo, 10000, &o, why, sizeof(why)), 0);
    assert_string_equal(o.out, "out\n");
    assert_string_equal(o.err, "err\n");
    assert_int_equal(o.status, 3);
    mh_ckrun_free(&o);
    assert_int_equal(mh_ckrun(slow, 100, &o, why, sizeof(why)), MH_E_TIMEOUT);
    assert_non_null(strstr(why, "no answer in 100 ms"));
    assert_int_equal(mh_ckrun(none, 100, &o, why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "run /nonexistent/prog"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_verdict),
        cmocka_unit_test(test_rule_relay),
        cmocka_unit_test(test_rule_sasl),
        cmocka_unit_test(test_rule_limits),
        cmocka_unit_test(test_rule_backupmx),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_postconf_warnings),
        cmocka_unit_test(test_aliases_json),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_run),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
