// SPDX-License-Identifier: GPL-2.0-or-later
/* test_status - unit tests of mailha-status's crm_mon XML reader and its
 * judgement, on the fixtures in tests/fixtures/status (one captured from a
 * real single-node cluster, one written by the real crm_mon from a CIB file
 * (double-escaped exit reasons), the rest written to crm_mon's API schema
 * and validated against api-result-2.25.rng), and on hostile input.  Run from
 * the top of the tree, as tools/check.sh does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "../../helpers/status/status.h"

#define FIX "tests/fixtures/status/"

/* load - parse a fixture into C; returns the parse code */
static int
load(const char *name, struct st_cluster *c)
{
    char path[256], why[256] = "";
    char *buf;
    long len;
    FILE *fp;
    int rc;

    snprintf(path, sizeof(path), FIX "%s", name);
    fp = fopen(path, "r");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    rewind(fp);
    buf = malloc((size_t) len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) len, fp), (size_t) len);
    fclose(fp);
    rc = st_cmxml_parse(buf, (size_t) len, c, why, sizeof(why));
    free(buf);
    return rc;
}

/* has_problem - a problem of SEV whose text contains NEEDLE */
static int
has_problem(const struct st_problems *p, enum st_sev sev, const char *needle)
{
    for (size_t i = 0; i < p->count; i++) {
        if (p->v[i].sev == sev && strstr(p->v[i].text, needle) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void
test_real_single_node(void **state)
{
    struct st_cluster c;
    struct st_problems p;
    const struct st_failure *f;

    assert_int_equal(load("single-node-failed-monitor.xml", &c), MH_OK);
    assert_int_equal(c.nnodes, 1);
    assert_true(c.have_dc);
    assert_string_equal(c.dc, "node1");
    assert_true(c.quorum);
    assert_int_equal(c.nrscs, 3);
    assert_string_equal(c.rscs[1].agent, "ocf:mailha:postfix");
    assert_string_equal(c.rscs[1].node, "node1");
    assert_int_equal(c.nodes[0].drift, 2);
    f = st_last_failure(&c, "smtp");
    assert_non_null(f);
    assert_string_equal(f->exitreason, "Simulated failure");
    assert_int_equal(f->exitcode, 1);
    assert_null(st_last_failure(&c, "spool"));
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_WARNING);
    assert_true(has_problem(&p, ST_WARNING, "node1 reports drift: 2 items"));
    assert_true(has_problem(&p, ST_WARNING, "smtp_asyncmon_0"));
    st_problems_free(&p);
    st_cluster_free(&c);
}

static void
test_drbd_standby(void **state)
{
    struct st_cluster c;
    struct st_problems p;

    assert_int_equal(load("two-node-drbd-standby.xml", &c), MH_OK);
    assert_int_equal(c.nrscs, 4);
    assert_true(c.rscs[0].promotable);
    assert_string_equal(c.rscs[0].parent, "drbd-mail-clone");
    assert_string_equal(c.rscs[2].parent, "mail");
    assert_false(c.rscs[2].promotable);
    assert_true(c.nodes[1].standby);
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_WARNING);
    assert_true(has_problem(&p, ST_WARNING, "node2 is in standby"));
    assert_true(has_problem(&p, ST_WARNING, "DRBD drbd-mail has no Secondary"));
    assert_false(has_problem(&p, ST_CRITICAL, ""));
    st_problems_free(&p);
    st_cluster_free(&c);
}

static void
test_offline_failed(void **state)
{
    struct st_cluster c;
    struct st_problems p;
    const struct st_failure *f;

    assert_int_equal(load("two-node-offline-failed.xml", &c), MH_OK);
    /* "mail-postfix_monitor_20000" belongs to mail-postfix, not to the
     * resource whose id is "mail-postfix_probe", nor the other way */
    assert_int_equal(c.nfailures, 2);
    assert_string_equal(c.failures[1].rsc, "mail-postfix");
    assert_null(st_last_failure(&c, "mail-postfix_probe"));
    f = st_last_failure(&c, "mail-spool");
    assert_non_null(f);
    assert_string_equal(f->task, "start");
    assert_int_equal(f->exitcode, 6);
    assert_non_null(strstr(f->exitreason, "wrong fs type"));
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_CRITICAL);
    assert_true(has_problem(&p, ST_CRITICAL, "mail spool (ocf:mailha:mailspool) is not running"));
    assert_true(has_problem(&p, ST_CRITICAL, "mail-postfix (ocf:mailha:postfix) failed on node1"));
    assert_true(has_problem(&p, ST_WARNING, "node2 is offline"));
    assert_true(has_problem(&p, ST_WARNING, "node1 reports drift: 3 items"));
    st_problems_free(&p);
    st_cluster_free(&c);
}

static void
test_unclean_no_quorum(void **state)
{
    struct st_cluster c;
    struct st_problems p;

    assert_int_equal(load("unclean-no-quorum.xml", &c), MH_OK);
    assert_false(c.quorum);
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_CRITICAL);
    assert_true(has_problem(&p, ST_CRITICAL, "no quorum"));
    assert_true(has_problem(&p, ST_CRITICAL, "node1 is unclean"));
    assert_true(has_problem(&p, ST_WARNING, "node health of node2 is yellow"));
    st_problems_free(&p);
    st_cluster_free(&c);
}

static void
test_not_connected(void **state)
{
    struct st_cluster c;

    assert_int_equal(load("not-connected.xml", &c), MH_E_REPLY);
}

static void
test_bad_xml(void **state)
{
    const char *lol = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<pacemaker-result><nodes><node name=\"&c;\" online=\"true\"/></nodes></pacemaker-result>";
    const char *bare = "<pacemaker-result><nodes><node/></nodes><resources><resource/>"
        "<clone><clone><resource id=\"x\"/></clone></clone></resources>"
        "<failures><failure/></failures></pacemaker-result>";
    struct st_cluster c;
    char why[256];

    assert_int_equal(st_cmxml_parse("<nodes>", 7, &c, why, sizeof(why)), MH_E_PARSE);
    assert_non_null(strstr(why, "not well-formed"));
    assert_int_equal(st_cmxml_parse("<cib/>", 6, &c, why, sizeof(why)), MH_E_PARSE);
    assert_non_null(strstr(why, "root element"));
    assert_int_equal(st_cmxml_parse("", 0, &c, why, sizeof(why)), MH_E_PARSE);
    /* crm_mon's own error, with and without its message */
    {
        const char *with = "<pacemaker-result><status code=\"102\" message=\"Not connected\"/>"
            "</pacemaker-result>";
        const char *without = "<pacemaker-result><status code=\"102\"/></pacemaker-result>";

        assert_int_equal(st_cmxml_parse(with, strlen(with), &c, why, sizeof(why)), MH_E_REPLY);
        assert_string_equal(why, "crm_mon: Not connected (code 102)");
        st_cluster_free(&c);
        assert_int_equal(st_cmxml_parse(without, strlen(without), &c, why, sizeof(why)),
                         MH_E_REPLY);
        assert_string_equal(why, "crm_mon: error (code 102)");
        st_cluster_free(&c);
    }
    /* over the size limit: refused before a byte is parsed */
    {
        size_t big = 32 * 1024 * 1024 + 1;
        char *buf = malloc(big);

        assert_non_null(buf);
        memset(buf, ' ', big);
        assert_int_equal(st_cmxml_parse(buf, big, &c, why, sizeof(why)), MH_E_TOOLONG);
        assert_non_null(strstr(why, "larger than"));
        free(buf);
    }
    /* a DOCTYPE (entity expansion) is refused outright */
    assert_int_equal(st_cmxml_parse(lol, strlen(lol), &c, why, sizeof(why)), MH_E_PARSE);
    assert_non_null(strstr(why, "DOCTYPE"));
    /* elements without the attributes that identify them are skipped */
    assert_int_equal(st_cmxml_parse(bare, strlen(bare), &c, why, sizeof(why)), MH_OK);
    assert_int_equal(c.nnodes, 0);
    assert_int_equal(c.nrscs, 1);
    assert_int_equal(c.nfailures, 0);
    st_cluster_free(&c);
}

static void
test_no_mailha(void **state)
{
    const char *xml = "<pacemaker-result><summary><current_dc present=\"true\" name=\"n1\" "
        "with_quorum=\"true\"/></summary><nodes><node name=\"n1\" online=\"true\"/></nodes>"
        "<resources><resource id=\"ip\" resource_agent=\"ocf:heartbeat:IPaddr2\" "
        "role=\"Started\" active=\"true\"><node name=\"n1\"/></resource></resources>"
        "</pacemaker-result>";
    struct st_cluster c;
    struct st_problems p;
    char why[256];

    assert_int_equal(st_cmxml_parse(xml, strlen(xml), &c, why, sizeof(why)), MH_OK);
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.worst, ST_WARNING);
    assert_true(has_problem(&p, ST_WARNING, "no mailha resources are configured"));
    st_problems_free(&p);
    st_cluster_free(&c);
}

static void
test_all_good_and_queue(void **state)
{
    const char *xml = "<pacemaker-result><summary><current_dc present=\"true\" name=\"n1\" "
        "with_quorum=\"true\"/></summary><nodes><node name=\"n1\" online=\"true\"/></nodes>"
        "<resources><resource id=\"s\" resource_agent=\"ocf:mailha:mailspool\" role=\"Started\" "
        "active=\"true\"><node name=\"n1\"/></resource><resource id=\"p\" "
        "resource_agent=\"ocf:mailha:postfix\" role=\"Started\" active=\"true\">"
        "<node name=\"n1\"/></resource></resources></pacemaker-result>";
    struct st_cluster c;
    struct st_problems p;
    char why[256];

    assert_int_equal(st_cmxml_parse(xml, strlen(xml), &c, why, sizeof(why)), MH_OK);
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_OK);
    assert_int_equal(p.count, 0);
    st_problems_free(&p);
    c.queue.known = 1;
    c.queue.dir = strdup("/q");
    c.queue.deferred = 101;
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_WARNING);
    assert_true(has_problem(&p, ST_WARNING, "101 messages deferred in /q"));
    st_problems_free(&p);
    /* the threshold itself is not over it; -1 turns the check off */
    c.queue.deferred = 100;
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.count, 0);
    st_problems_free(&p);
    c.queue.deferred = 101;
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.count, 0);
    st_problems_free(&p);
    /* the mail log health attribute: green is fine, red critical, the
     * rest a warning */
    c.nodes[0].health_mail = strdup("green");
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.count, 0);
    st_problems_free(&p);
    free(c.nodes[0].health_mail);
    c.nodes[0].health_mail = strdup("yellow");
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.worst, ST_WARNING);
    assert_true(has_problem(&p, ST_WARNING, "mail log health on n1 is yellow"));
    st_problems_free(&p);
    free(c.nodes[0].health_mail);
    c.nodes[0].health_mail = strdup("red");
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.worst, ST_CRITICAL);
    assert_true(has_problem(&p, ST_CRITICAL, "mail log health on n1 is red"));
    st_problems_free(&p);
    free(c.nodes[0].health_mail);
    c.nodes[0].health_mail = NULL;
    /* Postfix moved away from the spool */
    free(c.rscs[1].node);
    c.rscs[1].node = strdup("n2");
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.worst, ST_CRITICAL);
    assert_true(has_problem(&p, ST_CRITICAL, "Postfix runs on n2 but the spool is on n1"));
    st_problems_free(&p);
    st_cluster_free(&c);
}

/* render - one rendering (0 text, 1 JSON, 2 XML) into a malloc'ed string */
static char *
render(const struct st_cluster *c, const struct st_problems *p, int how)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(fp);
    if (how == 0) {
        st_render_text(fp, c, p);
    } else if (how == 1) {
        st_render_json(fp, c, p);
    } else {
        assert_int_equal(st_render_xml(fp, c, p), MH_OK);
    }
    assert_int_equal(fclose(fp), 0);
    assert_non_null(buf);
    return buf;
}

/* no_ctl - no control character but newline in S */
static int
no_ctl(const char *s)
{
    for (const unsigned char *q = (const unsigned char *) s; *q != '\0'; q++) {
        if ((*q < 0x20 && *q != '\n') || *q == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* decoded - st_reason_decode on a copy of IN equals WANT */
static void
decoded(const char *in, const char *want)
{
    char *s = strdup(in);

    assert_non_null(s);
    st_reason_decode(s);
    assert_string_equal(s, want);
    free(s);
}

static void
test_reason_decode(void **state)
{
    decoded("Simulated failure", "Simulated failure");
    decoded("", "");
    decoded("not &apos;soon&apos;", "not 'soon'");
    decoded("a &amp; b", "a & b");
    decoded("&lt;x&gt;", "<x>");
    decoded("say &quot;hi&quot;", "say \"hi\"");
    /* one level only */
    decoded("&amp;amp;", "&amp;");
    decoded("&amp;apos;", "&apos;");
    /* a lone &, an unknown or cut-off entity, character references stay */
    decoded("a & b", "a & b");
    decoded("&", "&");
    decoded("x&&apos;", "x&'");
    decoded("&nbsp;&copy;", "&nbsp;&copy;");
    decoded("&amp", "&amp");
    decoded("&apos", "&apos");
    decoded("&AMP;", "&AMP;");
    decoded("&#39;&#x27;&#10;", "&#39;&#x27;&#10;");
    /* control characters become spaces, entity or not */
    decoded("line1\nline2\ttab\rcr\x1b[31m\x7f", "line1 line2 tab cr [31m ");
    /* bytes above 0x7f (UTF-8) are not control characters */
    decoded("caf\xc3\xa9 &amp; \xe2\x80\x94", "caf\xc3\xa9 & \xe2\x80\x94");
    st_reason_decode(NULL);
}

static void
test_double_escaped_reasons(void **state)
{
    struct st_cluster c;
    struct st_problems p;
    const struct st_failure *f;
    char *out;

    /* written by the real crm_mon 2.1.5 from exit-reasons.cib.xml */
    assert_int_equal(load("double-escaped-reasons.xml", &c), MH_OK);
    assert_int_equal(c.nfailures, 2);
    f = st_last_failure(&c, "smtp");
    assert_non_null(f);
    assert_string_equal(f->exitreason,
                        "probe_timeout must be a positive integer (seconds), not 'soon'");
    f = st_last_failure(&c, "other");
    assert_non_null(f);
    /* crm_mon itself turned the newline into "\n" and the tab into four
     * spaces; "&amp;" in the agent's own text stays "&amp;" */
    assert_string_equal(f->exitreason,
                        "a & b, <x>, say \"hi\", &amp; stays\\nnext    tab");
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    assert_int_equal(p.worst, ST_CRITICAL);

    out = render(&c, &p, 0);
    assert_non_null(strstr(out, "last failure: start on node1 at 2026-11-27 23:10:05Z: "
                           "not configured (exit 6): probe_timeout must be a positive "
                           "integer (seconds), not 'soon'\n"));
    assert_non_null(strstr(out, "failed action other_monitor_10000 on node1: error (exit 1): "
                           "\"a & b, <x>, say \"hi\", &amp; stays\\nnext    tab\""));
    assert_null(strstr(out, "&apos;"));
    assert_null(strstr(out, "&quot;"));
    assert_null(strstr(out, "&lt;"));
    assert_true(no_ctl(out));
    free(out);

    out = render(&c, &p, 1);
    assert_non_null(strstr(out, "\"exitreason\":\"probe_timeout must be a positive integer "
                           "(seconds), not 'soon'\""));
    /* the JSON writer escapes the quotes and the backslash */
    assert_non_null(strstr(out, "a & b, <x>, say \\\"hi\\\", &amp; stays\\\\nnext    tab"));
    assert_null(strstr(out, "&apos;"));
    assert_true(no_ctl(out));
    free(out);

    out = render(&c, &p, 2);
    /* libxml2 escapes once, as it should: one level, no more (the
     * failure of "other", not a mail resource, is in a problem's text) */
    assert_non_null(strstr(out, "exitreason=\"probe_timeout must be a positive integer "
                           "(seconds), not 'soon'\""));
    assert_non_null(strstr(out, ": \"a &amp; b, &lt;x&gt;, say \"hi\", &amp;amp; stays"));
    assert_null(strstr(out, "&amp;apos;"));
    free(out);
    st_problems_free(&p);
    st_cluster_free(&c);
}

static void
test_reason_controls(void **state)
{
    /* a document (not crm_mon's) that spells control characters as
     * character references, and a lone & */
    const char *xml = "<pacemaker-result><resources><resource id=\"smtp\" "
        "resource_agent=\"ocf:mailha:postfix\" role=\"Stopped\"/></resources><failures>"
        "<failure op_key=\"smtp_start_0\" node=\"n1\" task=\"start\" exitstatus=\"error\" "
        "exitcode=\"1\" exitreason=\"one&#10;two&#13;three&#9;&amp; &amp;nbsp; four\"/>"
        "</failures></pacemaker-result>";
    struct st_cluster c;
    struct st_problems p;
    char why[256];
    char *out;

    assert_int_equal(st_cmxml_parse(xml, strlen(xml), &c, why, sizeof(why)), MH_OK);
    assert_int_equal(c.nfailures, 1);
    assert_string_equal(c.failures[0].exitreason, "one two three & &nbsp; four");
    assert_int_equal(st_evaluate(&c, 100, &p), MH_OK);
    for (int how = 0; how < 3; how++) {
        out = render(&c, &p, how);
        assert_true(no_ctl(out));
        assert_null(strstr(out, "&#10;"));
        assert_null(strstr(out, "&#xA;"));
        free(out);
    }
    st_problems_free(&p);
    st_cluster_free(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_single_node),
        cmocka_unit_test(test_drbd_standby),
        cmocka_unit_test(test_offline_failed),
        cmocka_unit_test(test_unclean_no_quorum),
        cmocka_unit_test(test_not_connected),
        cmocka_unit_test(test_bad_xml),
        cmocka_unit_test(test_all_good_and_queue),
        cmocka_unit_test(test_no_mailha),
        cmocka_unit_test(test_reason_decode),
        cmocka_unit_test(test_double_escaped_reasons),
        cmocka_unit_test(test_reason_controls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
