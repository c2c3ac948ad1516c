// SPDX-License-Identifier: GPL-2.0-or-later
/* test_drift - unit tests of mailha-drift's modules: SHA-256 against the
 * FIPS 180-4 vectors, digest sets and their wire form (including hostile
 * messages), comparison, alias sources and :include: files, accounts,
 * the state file, the uidgid trust rule, and collection through the real
 * postconf on a private config directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "wrap.h"
#include "mh_clock.h"
#include "mh_sha256.h"
#include "mh_driftstate.h"
#include "../../helpers/drift/drift.h"
#include "../../helpers/drift/drift_cpg.h"

/* read() and fclose(), wrapped (the Makefile links this test with
 * -Wl,--wrap=read,--wrap=fclose): the real ones, but the next
 * fake_read_intr reads fail with EINTR and the next fake_read_zero reads
 * return 0 (the file shrank since its stat), and with fake_fclose_eio the
 * next fclose closes and then fails with EIO (an NFS server that refused
 * the data at close). */
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __wrap_read(int fd, void *buf, size_t len);
int __real_fclose(FILE *fp);
int __wrap_fclose(FILE *fp);
static int fake_read_intr;
static int fake_read_zero;
static int fake_fclose_eio;

ssize_t
__wrap_read(int fd, void *buf, size_t len)
{
    if (wrap_fail(&fake_read_intr, EINTR))
        return -1;
    if (wrap_fail(&fake_read_zero, 0))
        return 0;
    return __real_read(fd, buf, len);
}

int
__wrap_fclose(FILE *fp)
{
    int rc = __real_fclose(fp);

    if (wrap_fail(&fake_fclose_eio, EIO))
        return EOF;
    return rc;
}

static const char *const sha_empty =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* write_file - create PATH with TEXT */
static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void
test_sha256_vectors(void **state)
{
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[MH_SHA256_HEXLEN];
    struct mh_sha256 ctx;
    char *million;

    mh_sha256_buf_hex("", 0, hex);
    assert_string_equal(hex, sha_empty);
    mh_sha256_buf_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    mh_sha256_buf_hex(two_blocks, strlen(two_blocks), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* the same fed in odd pieces */
    mh_sha256_init(&ctx);
    for (size_t i = 0; i < strlen(two_blocks); i += 7) {
        size_t n = strlen(two_blocks) - i < 7 ? strlen(two_blocks) - i : 7;

        mh_sha256_update(&ctx, two_blocks + i, n);
    }
    mh_sha256_hex(&ctx, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    mh_sha256_buf_hex(million, 1000000, hex);
    free(million);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_set_sort_find_equal(void **state)
{
    struct drift_set a = { 0 }, b = { 0 };

    assert_int_equal(drift_set_add_data(&a, "main.cf:relayhost", "", 0), MH_OK);
    assert_int_equal(drift_set_add_data(&a, "account:bob", "1000:1000", 9), MH_OK);
    assert_int_equal(drift_set_add_data(&a, "account:bob", "9:9", 3), MH_OK);
    assert_int_equal(drift_set_add(&a, "bad\tname", sha_empty), MH_E_PARSE);
    assert_int_equal(drift_set_add(&a, "", sha_empty), MH_E_PARSE);
    assert_int_equal(drift_set_add(&a, "x", "ABC"), MH_E_PARSE);
    drift_set_sort(&a);
    assert_int_equal(a.count, 2);
    assert_string_equal(a.items[0].name, "account:bob");
    assert_non_null(drift_set_find(&a, "main.cf:relayhost"));
    assert_string_equal(drift_set_find(&a, "main.cf:relayhost")->digest, sha_empty);
    assert_null(drift_set_find(&a, "main.cf:nothing"));
    assert_int_equal(drift_set_add_data(&b, "main.cf:relayhost", "", 0), MH_OK);
    assert_int_equal(drift_set_add_data(&b, "account:bob", "1000:1000", 9), MH_OK);
    drift_set_sort(&b);
    assert_true(drift_set_equal(&a, &b));
    drift_set_free(&b);
    assert_int_equal(drift_set_add_data(&b, "main.cf:relayhost", "x", 1), MH_OK);
    assert_int_equal(drift_set_add_data(&b, "account:bob", "1000:1000", 9), MH_OK);
    drift_set_sort(&b);
    assert_false(drift_set_equal(&a, &b));
    drift_set_free(&a);
    drift_set_free(&b);
}

static void
test_wire_roundtrip(void **state)
{
    struct drift_set a = { 0 }, b;
    char node[DRIFT_MAX_NODE + 1];
    char *msg;
    size_t len;

    assert_int_equal(drift_set_add_data(&a, "alias_file:/etc/my aliases", "x", 1), MH_OK);
    assert_int_equal(drift_set_add_data(&a, "mail_version", "3.7.11", 6), MH_OK);
    drift_set_sort(&a);
    assert_int_equal(drift_set_encode(&a, "node-1.example", &msg, &len), MH_OK);
    assert_int_equal(drift_set_decode(msg, len, &b, node, sizeof(node)), MH_OK);
    assert_string_equal(node, "node-1.example");
    assert_true(drift_set_equal(&a, &b));
    free(msg);
    drift_set_free(&b);
    /* a node name that could not be sent back on one line */
    assert_int_equal(drift_set_encode(&a, "bad node", &msg, &len), MH_E_CONFIG);
    drift_set_free(&a);
}

/* decode_rc - decode a C string message */
static int
decode_rc(const char *msg, size_t len)
{
    struct drift_set s;
    char node[DRIFT_MAX_NODE + 1];
    int rc = drift_set_decode(msg, len, &s, node, sizeof(node));

    if (rc == MH_OK) {
        drift_set_free(&s);
    }
    return rc;
}

static void
test_wire_hostile(void **state)
{
    const char *h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    char buf[512];
    char nul[] = "mailha-drift 1\nnode a\n\0x";

    snprintf(buf, sizeof(buf), "mailha-drift 1\nnode a\n%s\tx\n", h);
    assert_int_equal(decode_rc(buf, strlen(buf)), MH_OK);
    /* no trailing newline */
    assert_int_equal(decode_rc(buf, strlen(buf) - 1), MH_E_PROTOCOL);
    assert_int_equal(decode_rc("", 0), MH_E_PROTOCOL);
    assert_int_equal(decode_rc("mailha-drift 2\nnode a\n", 22), MH_E_PROTOCOL);
    assert_int_equal(decode_rc("mailha-drift 1\nnode a/b\n", 24), MH_E_PROTOCOL);
    assert_int_equal(decode_rc("mailha-drift 1\nnode \n", 21), MH_E_PROTOCOL);
    assert_int_equal(decode_rc(nul, sizeof(nul) - 1), MH_E_PROTOCOL);
    snprintf(buf, sizeof(buf), "mailha-drift 1\nnode a\n%.63s\tx\n", h);
    assert_int_equal(decode_rc(buf, strlen(buf)), MH_E_PROTOCOL);
    snprintf(buf, sizeof(buf), "mailha-drift 1\nnode a\nE3%s\tx\n", h + 2);
    assert_int_equal(decode_rc(buf, strlen(buf)), MH_E_PROTOCOL);
    snprintf(buf, sizeof(buf), "mailha-drift 1\nnode a\n%s x\n", h);
    assert_int_equal(decode_rc(buf, strlen(buf)), MH_E_PROTOCOL);
    snprintf(buf, sizeof(buf), "mailha-drift 1\nnode a\n%s\t\n", h);
    assert_int_equal(decode_rc(buf, strlen(buf)), MH_E_PROTOCOL);
    snprintf(buf, sizeof(buf), "mailha-drift 1\nnode a\n%s\tx\001y\n", h);
    assert_int_equal(decode_rc(buf, strlen(buf)), MH_E_PROTOCOL);
    assert_int_equal(decode_rc(buf, DRIFT_MAX_MSG + 1), MH_E_TOOLONG);
}

static void
test_compare(void **state)
{
    struct drift_set mine = { 0 }, peer = { 0 };
    struct drift_findings f = { 0 };

    drift_set_add_data(&mine, "account:bob", "1000:1000", 9);
    drift_set_add_data(&mine, "account:carol", "1001:1001", 9);
    drift_set_add_data(&mine, "main.cf:relayhost", "", 0);
    drift_set_add_data(&peer, "account:bob", "1002:1000", 9);
    drift_set_add_data(&peer, "main.cf:relayhost", "", 0);
    drift_set_add_data(&peer, "mail_version", "3.7", 3);
    drift_set_sort(&mine);
    drift_set_sort(&peer);
    assert_int_equal(drift_compare(&mine, &peer, "node2", &f), MH_OK);
    assert_int_equal(f.count, 3);
    assert_string_equal(f.v[0].item, "account:bob");
    assert_int_equal(f.v[0].kind, DRIFT_DIFFERS);
    assert_string_equal(f.v[0].node, "node2");
    assert_string_equal(f.v[1].item, "account:carol");
    assert_int_equal(f.v[1].kind, DRIFT_MISSING_THERE);
    assert_string_equal(f.v[2].item, "mail_version");
    assert_int_equal(f.v[2].kind, DRIFT_MISSING_HERE);
    /* the same item against a second peer counts once */
    assert_int_equal(drift_compare(&mine, &peer, "node3", &f), MH_OK);
    assert_int_equal(f.count, 6);
    assert_int_equal(drift_findings_items(&f), 3);
    assert_string_equal(drift_kind_str(DRIFT_MISSING_HERE), "missing-here");
    drift_findings_free(&f);
    /* identical sets: nothing */
    assert_int_equal(drift_compare(&mine, &mine, "self", &f), MH_OK);
    assert_int_equal(f.count, 0);
    assert_int_equal(drift_findings_items(&f), 0);
    drift_findings_free(&f);
    drift_set_free(&mine);
    drift_set_free(&peer);
}

static void
test_alias_sources(void **state)
{
    char **p;
    size_t n;

    assert_int_equal(drift_alias_sources("hash:/etc/aliases, proxy:lmdb:/etc/postfix/a2 "
                                         "nis:mail.aliases ldap:/etc/postfix/ldap.cf "
                                         "texthash:/etc/postfix/t,regexp:relative",
                                         &p, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_string_equal(p[0], "/etc/aliases");
    assert_string_equal(p[1], "/etc/postfix/a2");
    assert_string_equal(p[2], "/etc/postfix/t");
    for (size_t i = 0; i < n; i++) {
        free(p[i]);
    }
    free(p);
    /* alias_maps and alias_database usually name the same file: once */
    assert_int_equal(drift_alias_sources("hash:/etc/aliases, hash:/etc/aliases", &p, &n), MH_OK);
    assert_int_equal(n, 1);
    free(p[0]);
    free(p);
    assert_int_equal(drift_alias_sources("", &p, &n), MH_OK);
    assert_int_equal(n, 0);
    free(p);
}

static void
test_alias_includes(void **state)
{
    char dir[] = "/tmp/mh-drift-XXXXXX";
    char aliases[256], list[256], nested[256], text[1024], item[300];
    struct drift_set a = { 0 }, b = { 0 };
    const struct drift_item *it;

    assert_non_null(mkdtemp(dir));
    snprintf(aliases, sizeof(aliases), "%s/aliases", dir);
    snprintf(list, sizeof(list), "%s/list", dir);
    snprintf(nested, sizeof(nested), "%s/nested", dir);
    snprintf(text, sizeof(text),
             "# staff: :include:%s/commented\npostmaster: root\n"
             "staff: :include:%s, bob\nghost: \":include:%s/absent\"\n", dir, list, dir);
    write_file(aliases, text);
    snprintf(text, sizeof(text), "alice\n:include:%s\n", nested);
    write_file(list, text);
    write_file(nested, "");
    assert_int_equal(drift_add_alias_file(&a, aliases), MH_OK);
    drift_set_sort(&a);
    assert_int_equal(a.count, 4);
    snprintf(item, sizeof(item), "include:%s", nested);
    it = drift_set_find(&a, item);
    assert_non_null(it);
    assert_string_equal(it->digest, sha_empty);
    snprintf(item, sizeof(item), "include:%s/absent", dir);
    it = drift_set_find(&a, item);
    assert_non_null(it);
    assert_string_not_equal(it->digest, sha_empty);
    snprintf(item, sizeof(item), "include:%s/commented", dir);
    assert_null(drift_set_find(&a, item));
    /* a list edit changes the include item only */
    write_file(list, "alice\ncarol\n");
    assert_int_equal(drift_add_alias_file(&b, aliases), MH_OK);
    drift_set_sort(&b);
    snprintf(item, sizeof(item), "alias_file:%s", aliases);
    assert_string_equal(drift_set_find(&a, item)->digest, drift_set_find(&b, item)->digest);
    snprintf(item, sizeof(item), "include:%s", list);
    assert_string_not_equal(drift_set_find(&a, item)->digest, drift_set_find(&b, item)->digest);
    drift_set_free(&a);
    drift_set_free(&b);
    unlink(aliases);
    unlink(list);
    unlink(nested);
    rmdir(dir);
}

static void
test_accounts_and_login_defs(void **state)
{
    char path[] = "/tmp/mh-drift-pw-XXXXXX";
    struct drift_set s = { 0 };
    char why[256] = "";
    uid_t lo = 1, hi = 2;
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    write_file(path, "root:x:0:0:root:/root:/bin/sh\nbob:x:1000:100::/home/bob:/bin/sh\n"
               "carol:x:1001:1001::/home/carol:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
    assert_int_equal(drift_add_accounts(&s, path, 1000, 60000, why, sizeof(why)), MH_OK);
    drift_set_sort(&s);
    assert_int_equal(s.count, 2);
    assert_non_null(drift_set_find(&s, "account:bob"));
    assert_null(drift_set_find(&s, "account:root"));
    drift_set_free(&s);
    assert_int_equal(drift_add_accounts(&s, "/nonexistent/passwd", 0, 10, why, sizeof(why)),
                     -ENOENT);
    assert_non_null(strstr(why, "open /nonexistent/passwd"));
    write_file(path, "# comment\nUID_MIN   2000\nUID_MAX\t3000\nGID_MIN 5\n");
    assert_int_equal(drift_login_defs(path, &lo, &hi), MH_OK);
    assert_int_equal(lo, 2000);
    assert_int_equal(hi, 3000);
    assert_int_equal(drift_login_defs("/nonexistent/login.defs", &lo, &hi), -ENOENT);
    unlink(path);
}

static void
test_uidgid_trust(void **state)
{
    assert_true(drift_cpg_uidgid_trusted("uidgid.uid.0", 110, 115));
    assert_true(drift_cpg_uidgid_trusted("uidgid.gid.115", 110, 115));
    assert_true(drift_cpg_uidgid_trusted("uidgid.config.uid.110", 110, 115));
    assert_false(drift_cpg_uidgid_trusted("uidgid.uid.1000", 110, 115));
    assert_false(drift_cpg_uidgid_trusted("uidgid.gid.100", 110, 115));
    assert_false(drift_cpg_uidgid_trusted("uidgid.gid.", 110, 115));
    assert_false(drift_cpg_uidgid_trusted("uidgid.gid.12x", 110, 115));
    assert_false(drift_cpg_uidgid_trusted("uidgid.foo.0", 110, 115));
    assert_false(drift_cpg_uidgid_trusted("uidgid.gid.115", 110, (gid_t) -1));
}

static void
test_state_roundtrip(void **state)
{
    char dir[] = "/tmp/mh-drift-st-XXXXXX";
    char path[256], why[256] = "";
    struct mh_driftstate st, back;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/drift.state", dir);
    memset(&st, 0, sizeof(st));
    st.pid = 42;
    st.joined = 1;
    st.uptime_cs = 12345;
    st.interval = 10;
    snprintf(st.status, sizeof(st.status), "drift");
    st.nodeid = 1;
    snprintf(st.node, sizeof(st.node), "node1");
    st.items = 1;
    assert_int_equal(mh_driftstate_add_member(&st, 1, "node1"), MH_OK);
    assert_int_equal(mh_driftstate_add_member(&st, 2, "node2"), MH_OK);
    assert_int_equal(mh_driftstate_add_finding(&st, "differs", "node2",
                                               "alias_file:/etc/my aliases"), MH_OK);
    assert_int_equal(mh_driftstate_write(path, &st), MH_OK);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_OK);
    assert_int_equal(back.pid, 42);
    assert_string_equal(back.status, "drift");
    assert_int_equal(back.nmembers, 2);
    assert_string_equal(back.members[1].name, "node2");
    assert_int_equal(back.nfindings, 1);
    assert_string_equal(back.findings[0].item, "alias_file:/etc/my aliases");
    mh_driftstate_free(&back);
    /* anyone could have written it: refused */
    chmod(path, 0666);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_UNSAFE);
    unlink(path);
    mh_driftstate_free(&st);
    assert_int_equal(mh_driftstate_parse("garbage\n", &back, why, sizeof(why)), MH_E_PARSE);
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1\npid x\n", &back, why,
                                         sizeof(why)), MH_E_PARSE);
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1\npid 1\n", &back, why,
                                         sizeof(why)), MH_E_PARSE);
    assert_string_equal(why, "no status line");
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1\nstatus ok", &back, why,
                                         sizeof(why)), MH_E_PARSE);
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1\nfinding differs node2\n"
                                         "status ok\n", &back, why, sizeof(why)), MH_E_PARSE);
    rmdir(dir);
}

/* state_parse - parse the magic line, "status ok" and EXTRA; the state is
 * freed unless KEEP is given */
static int
state_parse(const char *extra, struct mh_driftstate *keep)
{
    struct mh_driftstate st;
    char text[1024], why[256] = "";
    int rc;

    snprintf(text, sizeof(text), "mailha-drift-state 1\nstatus ok\n%s", extra);
    rc = mh_driftstate_parse(text, &st, why, sizeof(why));
    if (rc != MH_OK) {
        /* a refused file leaves nothing to free */
        assert_int_equal(st.nmembers, 0);
        assert_int_equal(st.nfindings, 0);
        assert_null(st.members);
        assert_null(st.findings);
        assert_true(strstr(why, "line ") == why);
    }
    if (keep != NULL) {
        *keep = st;
    } else {
        mh_driftstate_free(&st);
    }
    return rc;
}

/* Every key of the format into its field, and each way a line is wrong:
 * no value, trailing bytes, out of range, words too long (one byte more
 * than the field holds), an unknown key. */
static void
test_state_lines(void **state)
{
    struct mh_driftstate st;
    char line[256], why[256];
    char w15[16], w16[17], w64[65], w65[66];

    assert_int_equal(state_parse("pid 42\njoined 1\nuptime_cs 12345678901\ninterval 10\n"
                                 "nodeid 3\nnode n3\nupdated 1764288000\nitems 2\n"
                                 "reason no quorum here\nmember 3 n3\nmember 4 ?\n"
                                 "finding differs n4 relayhost: a b\n", &st), MH_OK);
    assert_int_equal(st.pid, 42);
    assert_int_equal(st.joined, 1);
    assert_true(st.uptime_cs == 12345678901LL);
    assert_int_equal(st.interval, 10);
    assert_int_equal(st.nodeid, 3);
    assert_string_equal(st.node, "n3");
    assert_true(st.updated == 1764288000LL);
    assert_int_equal(st.items, 2);
    assert_string_equal(st.status, "ok");
    assert_string_equal(st.reason, "no quorum here");
    assert_int_equal(st.nmembers, 2);
    assert_int_equal(st.members[0].nodeid, 3);
    assert_string_equal(st.members[0].name, "n3");
    assert_string_equal(st.members[1].name, "?");
    assert_int_equal(st.nfindings, 1);
    assert_string_equal(st.findings[0].kind, "differs");
    assert_string_equal(st.findings[0].node, "n4");
    assert_string_equal(st.findings[0].item, "relayhost: a b");
    mh_driftstate_free(&st);

    /* numbers: none, trailing bytes, out of range */
    assert_int_equal(state_parse("pid \n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("pid 1x\n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("uptime_cs 99999999999999999999\n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("updated 99999999999999999999\n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nnodeid x\n", NULL), MH_E_PARSE);
    /* a line without a value, an unknown key */
    assert_int_equal(state_parse("member 1 a\nitems\n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\ncolour blue\n", NULL), MH_E_PARSE);

    /* words: empty, trailing bytes, one byte too long */
    memset(w15, 'k', 15);
    w15[15] = '\0';
    memset(w16, 'k', 16);
    w16[16] = '\0';
    memset(w64, 'n', 64);
    w64[64] = '\0';
    memset(w65, 'n', 65);
    w65[65] = '\0';
    assert_int_equal(state_parse("status \n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("status ok late\n", NULL), MH_E_PARSE);
    snprintf(line, sizeof(line), "status %s\n", w15);
    assert_int_equal(state_parse(line, &st), MH_OK);
    assert_string_equal(st.status, w15);
    mh_driftstate_free(&st);
    snprintf(line, sizeof(line), "status %s\n", w16);
    assert_int_equal(state_parse(line, NULL), MH_E_PARSE);
    snprintf(line, sizeof(line), "node %s\n", w64);
    assert_int_equal(state_parse(line, &st), MH_OK);
    assert_string_equal(st.node, w64);
    mh_driftstate_free(&st);
    snprintf(line, sizeof(line), "member 1 a\nnode %s\n", w65);
    assert_int_equal(state_parse(line, NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nnode a b\n", NULL), MH_E_PARSE);
    snprintf(line, sizeof(line), "member 1 %s\n", w64);
    assert_int_equal(state_parse(line, &st), MH_OK);
    assert_string_equal(st.members[0].name, w64);
    mh_driftstate_free(&st);
    snprintf(line, sizeof(line), "member 1 a\nmember 2 %s\n", w65);
    assert_int_equal(state_parse(line, NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nmember x b\n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nmember 2b\n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nmember 2 \n", NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nmember 2 b c\n", NULL), MH_E_PARSE);
    snprintf(line, sizeof(line), "finding %s %s item\n", w15, w64);
    assert_int_equal(state_parse(line, &st), MH_OK);
    assert_string_equal(st.findings[0].kind, w15);
    assert_string_equal(st.findings[0].node, w64);
    assert_string_equal(st.findings[0].item, "item");
    mh_driftstate_free(&st);
    snprintf(line, sizeof(line), "member 1 a\nfinding %s n item\n", w16);
    assert_int_equal(state_parse(line, NULL), MH_E_PARSE);
    snprintf(line, sizeof(line), "member 1 a\nfinding k %s item\n", w65);
    assert_int_equal(state_parse(line, NULL), MH_E_PARSE);
    assert_int_equal(state_parse("member 1 a\nfinding differs\n", NULL), MH_E_PARSE);

    /* the magic line, exactly */
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1x\nstatus ok\n", &st, why,
                                         sizeof(why)), MH_E_PARSE);
    assert_string_equal(why, "not a mailha-drift state file");
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 2\nstatus ok\n", &st, why,
                                         sizeof(why)), MH_E_PARSE);
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1\nstatus ok\n", &st, why,
                                         sizeof(why)), MH_OK);
    mh_driftstate_free(&st);
    /* the line number of the bad line */
    assert_int_equal(mh_driftstate_parse("mailha-drift-state 1\nstatus ok\npid 1\nbad\n", &st,
                                         why, sizeof(why)), MH_E_PARSE);
    assert_string_equal(why, "line 4: cannot parse");
}

/* state_file - a state file at PATH, written by mh_driftstate_write */
static void
state_file(const char *path, long pid)
{
    struct mh_driftstate st;

    memset(&st, 0, sizeof(st));
    st.pid = pid;
    snprintf(st.status, sizeof(st.status), "ok");
    assert_int_equal(mh_driftstate_write(path, &st), MH_OK);
}

/* state_entries - how many names DIR holds, besides . and .. */
static int
state_entries(const char *dir)
{
    char cmd[300];
    FILE *fp;
    int n = -1;

    snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
    fp = popen(cmd, "r");
    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "%d", &n), 1);
    pclose(fp);
    return n;
}

/* What the writer puts for empty fields, the paths it refuses, and each
 * failed step: the old file stays, the temporary file goes. */
static void
test_state_write(void **state)
{
    char dir[] = "/tmp/mh-drift-st-XXXXXX";
    char path[4200], why[256] = "";
    char *text;
    struct mh_driftstate st, back;
    struct rlimit old, zero;
    void (*oldxfsz)(int);
    FILE *fp;
    size_t len;
    int saved, rc;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/drift.state", dir);

    /* an empty node and member name are written as "?", an empty
     * reason not at all; a reason is written */
    memset(&st, 0, sizeof(st));
    snprintf(st.status, sizeof(st.status), "alone");
    assert_int_equal(mh_driftstate_add_member(&st, 7, ""), MH_OK);
    assert_int_equal(mh_driftstate_write(path, &st), MH_OK);
    fp = fopen(path, "r");
    assert_non_null(fp);
    text = calloc(1, 4096);
    assert_non_null(text);
    len = fread(text, 1, 4095, fp);
    fclose(fp);
    assert_true(len > 0);
    assert_non_null(strstr(text, "\nnode ?\n"));
    assert_non_null(strstr(text, "\nmember 7 ?\n"));
    assert_null(strstr(text, "reason"));
    free(text);
    snprintf(st.node, sizeof(st.node), "node1");
    snprintf(st.reason, sizeof(st.reason), "one node left");
    assert_int_equal(mh_driftstate_write(path, &st), MH_OK);
    mh_driftstate_free(&st);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_OK);
    assert_string_equal(back.node, "node1");
    assert_string_equal(back.reason, "one node left");
    assert_string_equal(back.members[0].name, "?");
    mh_driftstate_free(&back);

    /* PATH.tmp must fit in 4096 bytes with its '\0': 4092 bytes of path
     * do not (and a component that long could not be created anyway) */
    memset(path, 'a', 4092);
    memcpy(path, "/tmp/", 5);
    path[4092] = '\0';
    memset(&st, 0, sizeof(st));
    snprintf(st.status, sizeof(st.status), "ok");
    assert_int_equal(mh_driftstate_write(path, &st), MH_E_TOOLONG);
    path[4091] = '\0';
    assert_int_equal(mh_driftstate_write(path, &st), -ENAMETOOLONG);
    snprintf(path, sizeof(path), "%s/no/such/drift.state", dir);
    assert_int_equal(mh_driftstate_write(path, &st), -ENOENT);

    /* written and read with descriptor 0 free */
    snprintf(path, sizeof(path), "%s/drift.state", dir);
    saved = dup(0);
    assert_true(saved > 0);
    close(0);
    st.pid = 5;
    rc = mh_driftstate_write(path, &st);
    assert_int_equal(fcntl(0, F_GETFD), -1);
    if (rc == MH_OK) {
        rc = mh_driftstate_read(path, &back, why, sizeof(why));
        assert_int_equal(fcntl(0, F_GETFD), -1);
    }
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    assert_int_equal(rc, MH_OK);
    assert_int_equal(back.pid, 5);
    mh_driftstate_free(&back);

    /* the data refused (RLIMIT_FSIZE), or refused at close */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    zero = old;
    zero.rlim_cur = 0;
    oldxfsz = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &zero), 0);
    st.pid = 6;
    rc = mh_driftstate_write(path, &st);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, oldxfsz);
    assert_int_equal(rc, -EFBIG);
    assert_int_equal(state_entries(dir), 1);
    fake_fclose_eio = 1;
    rc = mh_driftstate_write(path, &st);
    fake_fclose_eio = 0;
    assert_int_equal(rc, -EIO);
    assert_int_equal(state_entries(dir), 1);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_OK);
    assert_int_equal(back.pid, 5);
    mh_driftstate_free(&back);

    /* the rename refused (a directory there) */
    unlink(path);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path + strlen(path), 16, "/x");
    state_file(path, 8);
    path[strlen(path) - 2] = '\0';
    assert_true(mh_driftstate_write(path, &st) < 0);
    assert_int_equal(state_entries(dir), 1);
    snprintf(path + strlen(path), 16, "/x");
    unlink(path);
    path[strlen(path) - 2] = '\0';
    rmdir(path);
    rmdir(dir);
}

/* The reader: root's file only, not group- or other-writable, at most
 * 4 MiB, read again after EINTR, and a file that shrank after its stat
 * is read as far as it goes. */
static void
test_state_read(void **state)
{
    char dir[] = "/tmp/mh-drift-st-XXXXXX";
    char path[256], why[256] = "";
    struct mh_driftstate back;
    int fd;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/drift.state", dir);
    state_file(path, 9);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_OK);
    mh_driftstate_free(&back);
    chmod(path, 0664);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_UNSAFE);
    chmod(path, 0646);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, path));
    chmod(path, 0644);
    if (geteuid() == 0) {
        assert_int_equal(chown(path, 65534, 0), 0);
        assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_UNSAFE);
        assert_int_equal(chown(path, 0, 0), 0);
    }

    fake_read_intr = 1;
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_OK);
    assert_int_equal(fake_read_intr, 0);
    assert_int_equal(back.pid, 9);
    mh_driftstate_free(&back);
    /* interrupted, then nothing: the end (errno still says EINTR) */
    fake_read_intr = 1;
    fake_read_zero = 1;
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_PARSE);
    fake_read_zero = 0;
    assert_non_null(strstr(why, "not a mailha-drift state file"));
    assert_true(strncmp(why, "read ", 5) == 0 && strstr(why, path) == why + 5);
    /* a file read well leaves WHY alone */
    snprintf(why, sizeof(why), "untouched");
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_OK);
    assert_string_equal(why, "untouched");
    mh_driftstate_free(&back);

    /* 4 MiB is read (and is no state file), one byte more is refused */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 4 * 1024 * 1024), 0);
    close(fd);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_PARSE);
    fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 4 * 1024 * 1024 + 1), 0);
    close(fd);
    assert_int_equal(mh_driftstate_read(path, &back, why, sizeof(why)), MH_E_TOOLONG);
    assert_non_null(strstr(why, "too large"));
    unlink(path);
    rmdir(dir);
}

/* Through the real postconf, on a private config directory. */
static void
test_collect_real_postconf(void **state)
{
    char dir[] = "/tmp/mh-drift-pf-XXXXXX";
    char path[256], text[512], why[512] = "";
    const char *params[] = { "relayhost", "no_such_parameter_x" };
    struct drift_opts o = { 0 };
    struct drift_set a, b;
    char item[300];

    if (access("/usr/sbin/postconf", X_OK) != 0) {
        skip();
    }
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/aliases", dir);
    write_file(path, "postmaster: root\n");
    snprintf(path, sizeof(path), "%s/passwd", dir);
    write_file(path, "bob:x:1500:1500::/:/bin/sh\n");
    snprintf(path, sizeof(path), "%s/main.cf", dir);
    snprintf(text, sizeof(text), "alias_maps = hash:%s/aliases\nrelayhost = [mx.example]\n", dir);
    write_file(path, text);
    snprintf(path, sizeof(path), "%s/passwd", dir);
    o.config_dir = dir;
    o.params = params;
    o.nparams = 2;
    o.uid_min = 1000;
    o.uid_max = 2000;
    o.passwd_file = path;
    assert_int_equal(drift_collect(&a, &o, why, sizeof(why)), MH_OK);
    assert_non_null(drift_set_find(&a, "main.cf:relayhost"));
    assert_non_null(drift_set_find(&a, "main.cf:no_such_parameter_x"));
    assert_non_null(drift_set_find(&a, "mail_version"));
    assert_non_null(drift_set_find(&a, "account:bob"));
    snprintf(item, sizeof(item), "alias_file:%s/aliases", dir);
    assert_non_null(drift_set_find(&a, item));
    /* change the parameter: only that item moves */
    snprintf(path, sizeof(path), "%s/main.cf", dir);
    snprintf(text, sizeof(text), "alias_maps = hash:%s/aliases\nrelayhost = [mx2.example]\n", dir);
    write_file(path, text);
    snprintf(path, sizeof(path), "%s/passwd", dir);
    assert_int_equal(drift_collect(&b, &o, why, sizeof(why)), MH_OK);
    assert_string_not_equal(drift_set_find(&a, "main.cf:relayhost")->digest,
                            drift_set_find(&b, "main.cf:relayhost")->digest);
    assert_string_equal(drift_set_find(&a, "account:bob")->digest,
                        drift_set_find(&b, "account:bob")->digest);
    drift_set_free(&a);
    drift_set_free(&b);
    /* mailha-aliases, when built: the same items and digests as the
     * built-in module, includes too */
    snprintf(path, sizeof(path), "%s/aliases", dir);
    snprintf(text, sizeof(text), "postmaster: root\nstaff: :include:%s/list\n", dir);
    write_file(path, text);
    snprintf(path, sizeof(path), "%s/list", dir);
    write_file(path, "alice\n");
    snprintf(path, sizeof(path), "%s/passwd", dir);
    if (access("build/bin/mailha-aliases", X_OK) == 0) {
        o.aliases_prog = "build/bin/mailha-aliases";
        assert_int_equal(drift_collect(&a, &o, why, sizeof(why)), MH_OK);
        o.aliases_prog = NULL;
        assert_int_equal(drift_collect(&b, &o, why, sizeof(why)), MH_OK);
        snprintf(item, sizeof(item), "include:%s/list", dir);
        assert_non_null(drift_set_find(&a, item));
        assert_true(drift_set_equal(&a, &b));
        drift_set_free(&a);
        drift_set_free(&b);
    }
    /* a program that never answers: killed at its time limit, and the
     * built-in module runs (without the limit this waits 600 s) */
    {
        char hang[300];
        long long t0 = mh_clock_read(CLOCK_MONOTONIC, 1000);

        snprintf(hang, sizeof(hang), "%s/hang", dir);
        write_file(hang, "#!/bin/sh\nexec sleep 600\n");
        assert_int_equal(chmod(hang, 0755), 0);
        o.aliases_prog = hang;
        o.aliases_timeout_ms = 300;
        assert_int_equal(drift_collect(&a, &o, why, sizeof(why)), MH_OK);
        assert_true(mh_clock_read(CLOCK_MONOTONIC, 1000) - t0 < 60000);
        snprintf(item, sizeof(item), "include:%s/list", dir);
        assert_non_null(drift_set_find(&a, item));
        drift_set_free(&a);
        o.aliases_timeout_ms = 0;
    }
    /* a program that answers in another form: the built-in module runs */
    o.aliases_prog = "/bin/true";
    assert_int_equal(drift_collect(&a, &o, why, sizeof(why)), MH_OK);
    snprintf(item, sizeof(item), "include:%s/list", dir);
    assert_non_null(drift_set_find(&a, item));
    drift_set_free(&a);
    o.aliases_prog = NULL;
    /* a config directory that is not one */
    o.config_dir = "/nonexistent/postfix";
    assert_int_not_equal(drift_collect(&a, &o, why, sizeof(why)), MH_OK);
    assert_non_null(strstr(why, "read Postfix parameters"));
    snprintf(path, sizeof(path), "rm -rf %s", dir);
    assert_int_equal(system(path), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_set_sort_find_equal),
        cmocka_unit_test(test_wire_roundtrip),
        cmocka_unit_test(test_wire_hostile),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_alias_sources),
        cmocka_unit_test(test_alias_includes),
        cmocka_unit_test(test_accounts_and_login_defs),
        cmocka_unit_test(test_uidgid_trust),
        cmocka_unit_test(test_state_roundtrip),
        cmocka_unit_test(test_state_lines),
        cmocka_unit_test(test_state_write),
        cmocka_unit_test(test_state_read),
        cmocka_unit_test(test_collect_real_postconf),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
