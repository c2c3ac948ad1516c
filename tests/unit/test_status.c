/* test_status - unit tests of mailha-status's crm_mon XML reader and its
 * judgement, on the fixtures in tests/fixtures/status (one captured from a
 * real single-node cluster, the rest written to crm_mon's API schema and
 * validated against api-result-2.25.rng), and on hostile input.  Run from
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
    /* Postfix moved away from the spool */
    free(c.rscs[1].node);
    c.rscs[1].node = strdup("n2");
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    assert_int_equal(p.worst, ST_CRITICAL);
    assert_true(has_problem(&p, ST_CRITICAL, "Postfix runs on n2 but the spool is on n1"));
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
