// SPDX-License-Identifier: GPL-2.0-or-later
/* test_hostile - issue 15: hostile input to the helpers' file opens.
 * A FIFO where a helper reads a file (a log cursor, the drift state,
 * a passwd or login.defs file) must be refused, not hang open(): with
 * the old code each of these calls blocked for ever (the alarm below
 * turns that hang into a failed test run). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "mh_driftstate.h"
#include "../../helpers/probe/probe_smtp_session.h"
#include "mh_unixconn.h"
#include "mh_clock.h"
#include "../../helpers/probe/probe_msg.h"
#include "mh_json.h"
#include "mh_log.h"
#include <signal.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <dirent.h>
#include "../../helpers/logscan/logscan_cursor.h"
#include "../../helpers/drift/drift.h"
#include "../../helpers/spool/spool.h"
#include "../../helpers/status/status.h"

static char dir[64];
static char fifo[128];

/* The probe's clock, wrapped (the Makefile links this test with
 * -Wl,--wrap=mh_smtp_now_ms): the real one unless a test sets
 * fake_clock, then a clock that moves 1 ms each time it is read, so a
 * deadline passes after a known number of reads on any machine. */
long long __real_mh_smtp_now_ms(void);
long long __wrap_mh_smtp_now_ms(void);
static long long fake_clock;    /* 0: the real clock */
static long long fake_reads;

long long
__wrap_mh_smtp_now_ms(void)
{
    if (fake_clock == 0) {
        return __real_mh_smtp_now_ms();
    }
    fake_reads++;
    return fake_clock++;
}

static int
setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/mh-hostile.XXXXXX");
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    if (mkfifo(fifo, 0600) != 0) {
        return -1;
    }
    /* a hang (the defect) ends the run instead of blocking it for ever */
    alarm(60);
    return 0;
}

static int
teardown(void **state)
{
    char path[160];

    alarm(0);
    unlink(fifo);
    snprintf(path, sizeof(path), "%s/file", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

static void
test_open_file(void **state)
{
    char why[256], path[160];
    struct stat st;
    int fd;

    fd = mh_open_file(fifo, O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    assert_non_null(strstr(why, "a FIFO, not a regular file"));
    fd = mh_open_file(fifo, O_RDONLY, 1, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    fd = mh_open_file("/dev/null", O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    assert_non_null(strstr(why, "a character device"));
    fd = mh_open_file(dir, O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, MH_E_UNSAFE);
    fd = mh_open_file(dir, O_RDONLY, 1, &st, why, sizeof(why));
    assert_true(fd >= 0);
    assert_true(S_ISDIR(st.st_mode));
    close(fd);
    fd = mh_open_file("/nonexistent/x", O_RDONLY, 0, NULL, why, sizeof(why));
    assert_int_equal(fd, -ENOENT);
    /* a regular file: open, and blocking again */
    snprintf(path, sizeof(path), "%s/file", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    close(fd);
    fd = mh_open_file(path, O_RDONLY, 0, &st, why, sizeof(why));
    assert_true(fd >= 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    close(fd);
}

static void
test_fifo_cursor(void **state)
{
    struct mh_lscursor cur;
    char why[256];

    assert_int_equal(mh_lscursor_load(fifo, &cur, why, sizeof(why)), MH_E_UNSAFE);
    assert_int_equal(cur.valid, 0);
}

static void
test_fifo_driftstate(void **state)
{
    struct mh_driftstate st;
    char why[256];

    assert_int_equal(mh_driftstate_read(fifo, &st, why, sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "a FIFO"));
    mh_driftstate_free(&st);
}

static void
test_fifo_passwd(void **state)
{
    struct drift_set set;
    struct spool_accts accts;
    struct spool_sel sel = { 1000, 60000, NULL };
    uid_t lo = 1, hi = 2;
    char why[256];

    memset(&set, 0, sizeof(set));
    assert_int_equal(drift_add_accounts(&set, fifo, 0, 60000, why, sizeof(why)), MH_E_UNSAFE);
    drift_set_free(&set);
    assert_int_equal(drift_login_defs(fifo, &lo, &hi), MH_E_UNSAFE);
    assert_int_equal(lo, 1);
    assert_int_equal(spool_accts_load(&accts, fifo, &sel, why, sizeof(why)), MH_E_UNSAFE);
    spool_accts_free(&accts);
}

/* full_queue - a unix socket listening with a full queue; its fd and
 * the client fds holding the queue (closed by the caller) */
static int
full_queue(const char *path, int *held, int nheld)
{
    struct sockaddr_un sun;
    int lfd, i;

    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof(sun.sun_path));
    memcpy(sun.sun_path, path, strlen(path) + 1);
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(lfd >= 0);
    assert_int_equal(bind(lfd, (struct sockaddr *) &sun, sizeof(sun)), 0);
    assert_int_equal(listen(lfd, 0), 0);
    for (i = 0; i < nheld; i++) {
        held[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (connect(held[i], (struct sockaddr *) &sun, sizeof(sun)) != 0) {
            assert_int_equal(errno, EAGAIN);
            close(held[i]);
            held[i] = -1;
            break;
        }
    }
    assert_true(i < nheld);
    return lfd;
}

/* issue 15 #11: EAGAIN from connect() to a unix socket is a full queue,
 * not a connection in progress (the probe took it for connected and
 * failed later with "banner: recv: Invalid argument") */
static void
test_unix_full_queue(void **state)
{
    struct mh_smtp_endpoint ep;
    struct mh_smtp_session s;
    char path[160], why[256];
    int held[64], lfd, fd, i;

    for (i = 0; i < 64; i++) {
        held[i] = -1;
    }
    snprintf(path, sizeof(path), "%s/sock", dir);
    lfd = full_queue(path, held, 64);
    snprintf(why, sizeof(why), "unix:%s", path);
    assert_int_equal(mh_smtp_endpoint_parse(why, &ep, why, sizeof(why)), MH_OK);
    mh_smtp_session_init(&s, mh_clock_read(CLOCK_MONOTONIC, 1000) + 200, 0);
    assert_int_equal(mh_smtp_session_connect(&s, &ep), MH_E_TIMEOUT);
    assert_string_equal(s.why, "connect: timed out, the listen queue is full");
    assert_int_equal(s.fd, -1);
    /* the bounded connect: a full queue times out, room connects */
    fd = mh_unix_connect(path, mh_clock_read(CLOCK_MONOTONIC, 1000) + 100, 0);
    assert_int_equal(fd, MH_E_TIMEOUT);
    fd = accept(lfd, NULL, NULL);
    assert_true(fd >= 0);
    close(fd);
    fd = mh_unix_connect(path, mh_clock_read(CLOCK_MONOTONIC, 1000) + 10000, 1);
    assert_true(fd >= 0);
    assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
    close(fd);
    assert_int_equal(mh_unix_connect("/nonexistent/sock", mh_clock_read(CLOCK_MONOTONIC, 1000)
                                     + 1000, 0), -ENOENT);
    for (i = 0; i < 64 && held[i] >= 0; i++) {
        close(held[i]);
    }
    close(lfd);
    unlink(path);
}

/* issue 15 #3: a user's directory (or file, or symlink) under the old
 * fixed name must not make rwcheck fail, nor be touched by it */
static void
test_rwcheck_planted(void **state)
{
    char path[160], why[256];
    struct dirent *de;
    DIR *dp;
    int n = 0;

    snprintf(path, sizeof(path), "%s/.mailha-rwcheck", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), MH_OK);
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), MH_OK);
    /* the planted directory is still there; nothing else is left */
    dp = opendir(dir);
    assert_non_null(dp);
    while ((de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            assert_true(strcmp(de->d_name, ".mailha-rwcheck") == 0 || strcmp(de->d_name, "fifo") == 0);
            n++;
        }
    }
    closedir(dp);
    assert_int_equal(n, 2);
    assert_int_equal(rmdir(path), 0);
}

/* issue 15 #13: one rule for names a mailbox can carry, for audit and
 * create alike */
static void
test_spool_names(void **state)
{
    assert_true(spool_name_ok("alice"));
    assert_true(spool_name_ok("a.b"));
    assert_true(spool_name_ok("lock"));
    assert_false(spool_name_ok(""));
    assert_false(spool_name_ok("."));
    assert_false(spool_name_ok(".."));
    assert_false(spool_name_ok("../../x"));
    assert_false(spool_name_ok("a/b"));
    assert_false(spool_name_ok(".hidden"));
    assert_false(spool_name_ok("evil.lock"));
    assert_false(spool_name_ok("lost+found"));
}

#define TOKEN "0123456789abcdef"

/* scan_split - the streaming scanner fed in pieces of STEP bytes */
static int
scan_split(const char *buf, size_t len, size_t step, long long *start, long long *end)
{
    struct mh_probemsg_scan sc;
    size_t off = 0;

    assert_int_equal(mh_probemsg_scan_init(&sc, TOKEN), MH_OK);
    while (off < len) {
        size_t n = len - off < step ? len - off : step;

        if (mh_probemsg_scan_feed(&sc, buf + off, n)) {
            break;
        }
        off += n;
    }
    return mh_probemsg_scan_end(&sc, start, end);
}

/* issues 15 #4/#5: the mbox is read in pieces, not mapped; the scanner
 * finds what mh_probemsg_mbox_find finds, however the pieces fall */
static void
test_probemsg_scan(void **state)
{
    static const char *const boxes[] = {
        "From a\nX-Mailha-Probe: " TOKEN "\n\nbody\nFrom b\nx\n",
        "From a\nSubject: x\n\nX-Mailha-Probe: " TOKEN "\nFrom b\nX-Mailha-Probe: " TOKEN "\n\n",
        "From a\nX-Mailha-Probe: " TOKEN "x\n\nFrom b\nX-Mailha-Probe: " TOKEN,
        "X-Mailha-Probe: " TOKEN "\nFrom a\n\n",
        "From a\nX-Mailha-Probe: " TOKEN "\n\n>From x\nFrom",
        "From a\nX-Mailha-Probe: " TOKEN "\n\nFrom ",
        "",
        "\n\nFrom \nX-Mailha-Probe: " TOKEN "\n",
    };

    for (size_t b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
        size_t len = strlen(boxes[b]), ws = 0, we = 0;
        int want = mh_probemsg_mbox_find(boxes[b], len, TOKEN, &ws, &we);

        for (size_t step = 1; step <= len + 1; step++) {
            long long s0 = -1, e0 = -1;
            int got = scan_split(boxes[b], len, step, &s0, &e0);

            assert_int_equal(got, want);
            if (want == MH_OK) {
                assert_int_equal(s0, (long long) ws);
                assert_int_equal(e0, (long long) we);
            }
        }
    }
}

/* issue 15 #4: another process truncating the mbox while the probe
 * looks must not kill it with SIGBUS (the old code mapped the file) */
static void
test_probemsg_shrinks(void **state)
{
    char path[160], why[256];
    pid_t child;
    int fd, status, i;

    snprintf(path, sizeof(path), "%s/mbox", dir);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "From a\n", 7), 7);
    close(fd);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        /* a user's program, ignoring the locks */
        int cfd = open(path, O_RDWR);

        for (;;) {
            if (ftruncate(cfd, 7) != 0 || ftruncate(cfd, 64 * 1024 * 1024) != 0) {
                _exit(1);
            }
        }
    }
    /* the old code died of SIGBUS within 2000 looks here */
    for (i = 0; i < 2000; i++) {
        int rc = mh_probemsg_mbox_remove(path, TOKEN,
                                         mh_clock_read(CLOCK_MONOTONIC, 1000) + 10000, why,
                                         sizeof(why));

        assert_int_equal(rc, MH_E_NOTFOUND);
    }
    kill(child, SIGKILL);
    assert_int_equal(waitpid(child, &status, 0), child);
    unlink(path);
}

/* issue 15 #5: the deadline is checked while the mbox is read: a
 * sparse 1 GB mailbox with a deadline already near is given up */
static void
test_probemsg_mbox_deadline(void **state)
{
    char path[160], why[256];
    int fd;

    snprintf(path, sizeof(path), "%s/mbox", dir);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "From a\n", 7), 7);
    assert_int_equal(ftruncate(fd, 1024LL * 1024 * 1024), 0);
    close(fd);
    assert_int_equal(mh_probemsg_mbox_remove(path, TOKEN, mh_clock_read(CLOCK_MONOTONIC, 1000) + 5,
                                             why, sizeof(why)), MH_E_TIMEOUT);
    assert_non_null(strstr(why, "timed out"));
    unlink(path);
}

/* issue 15 #5: and for every maildir entry */
static void
test_probemsg_maildir_deadline(void **state)
{
    char md[160], path[200], why[256];
    int fd;

    snprintf(md, sizeof(md), "%s/Maildir", dir);
    assert_int_equal(mkdir(md, 0700), 0);
    snprintf(path, sizeof(path), "%s/new", md);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/cur", md);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/cur/1.x", md);
    fd = open(path, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    snprintf(path, sizeof(path), "%s/", md);
    assert_int_equal(mh_probemsg_maildir_remove_by(path, TOKEN, mh_clock_read(CLOCK_MONOTONIC, 1000)
                                                   - 1, why, sizeof(why)), MH_E_TIMEOUT);
    assert_int_equal(mh_probemsg_maildir_remove_by(path, TOKEN, mh_clock_read(CLOCK_MONOTONIC, 1000)
                                                   + 10000, why, sizeof(why)), MH_E_NOTFOUND);
    snprintf(path, sizeof(path), "%s/cur/1.x", md);
    unlink(path);
    snprintf(path, sizeof(path), "%s/cur", md);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/new", md);
    rmdir(path);
    rmdir(md);
}

/* issue 15 #5: the deadline passes in the middle of a maildir's cur/
 * (before, the scan read every entry whatever the time: 30,000 files
 * with -t 300 took 1.7 s): with a clock that moves 1 ms per read and
 * 100 ms left, a scan of 400 entries stops after about 100 of them */
static void
test_probemsg_maildir_midscan(void **state)
{
    char md[160], path[240], why[256];
    int fd, rc;

    snprintf(md, sizeof(md), "%s/Maildir", dir);
    assert_int_equal(mkdir(md, 0700), 0);
    snprintf(path, sizeof(path), "%s/new", md);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/cur", md);
    assert_int_equal(mkdir(path, 0700), 0);
    for (int i = 0; i < 400; i++) {
        snprintf(path, sizeof(path), "%s/cur/%d.x:2,S", md, i);
        fd = open(path, O_WRONLY | O_CREAT, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "Subject: not the probe\n\nx\n", 26), 26);
        close(fd);
    }
    snprintf(path, sizeof(path), "%s/", md);
    fake_clock = 1000000;
    fake_reads = 0;
    rc = mh_probemsg_maildir_remove_by(path, TOKEN, fake_clock + 100, why, sizeof(why));
    fake_clock = 0;
    assert_int_equal(rc, MH_E_TIMEOUT);
    assert_non_null(strstr(why, "cur: timed out"));
    assert_true(fake_reads >= 100 && fake_reads < 110);
    /* with time enough the same scan reads every entry and finds none */
    fake_clock = 1000000;
    fake_reads = 0;
    rc = mh_probemsg_maildir_remove_by(path, TOKEN, fake_clock + 100000, why, sizeof(why));
    fake_clock = 0;
    assert_int_equal(rc, MH_E_NOTFOUND);
    assert_true(fake_reads >= 400);
    for (int i = 0; i < 400; i++) {
        snprintf(path, sizeof(path), "%s/cur/%d.x:2,S", md, i);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/cur", md);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/new", md);
    rmdir(path);
    rmdir(md);
}

/* issue 15 #10: a failure's resource and a resource's last failure are
 * looked up in an index (the old scans were failures x resources; 100k
 * resources with 60k failures took 54 s); the answers are the same:
 * the longest id followed by "_", the last failure, DRBD groups */
static void
test_status_index(void **state)
{
    enum { R = 3000 };
    struct st_cluster c;
    struct st_problems p;
    const struct st_failure *f;
    char *xml, why[256];
    size_t cap = 1024 * 1024, len = 0;

    xml = malloc(cap);
    assert_non_null(xml);
#define ADD(...) (len += (size_t) snprintf(xml + len, cap - len, __VA_ARGS__))
    ADD("<pacemaker-result><resources>");
    ADD("<resource id=\"a\" active=\"false\"/><resource id=\"a_b\" active=\"false\"/>"
        "<resource id=\"a_b_c\" active=\"false\"/>");
    ADD("<clone id=\"dc\" multi_state=\"true\">"
        "<resource id=\"d1\" resource_agent=\"ocf:linbit:drbd\" role=\"Promoted\" active=\"true\"/>"
        "<resource id=\"d2\" resource_agent=\"ocf:linbit:drbd\" role=\"Unpromoted\" active=\"true\"/>"
        "<resource id=\"d1\" resource_agent=\"ocf:linbit:drbd\" role=\"Promoted\" active=\"true\"/>"
        "<resource id=\"d2\" resource_agent=\"ocf:linbit:drbd\" role=\"Unpromoted\" active=\"true\"/>"
        "</clone>");
    for (int i = 0; i < R; i++) {
        ADD("<resource id=\"r_%d\" active=\"false\"/>", i);
    }
    ADD("</resources><failures>");
    ADD("<failure op_key=\"a_b_c_monitor_10000\" task=\"monitor\"/>");
    ADD("<failure op_key=\"a_b_x_start_0\" task=\"start\"/>");
    ADD("<failure op_key=\"a_b_stop_0\" task=\"stop\"/>");
    ADD("<failure op_key=\"zz_start_0\" task=\"start\"/>");
    ADD("<failure op_key=\"_start_0\" task=\"start\"/>");
    for (int i = 0; i < R; i++) {
        ADD("<failure op_key=\"r_%d_monitor_%d\" task=\"t%d\"/>", i % 100, i, i);
    }
    ADD("</failures></pacemaker-result>");
#undef ADD
    assert_true(len < cap);
    assert_int_equal(st_cmxml_parse(xml, len, &c, why, sizeof(why)), MH_OK);
    assert_string_equal(c.failures[0].rsc, "a_b_c");
    assert_string_equal(c.failures[1].rsc, "a_b");
    assert_string_equal(c.failures[2].rsc, "a_b");
    assert_null(c.failures[3].rsc);
    assert_null(c.failures[4].rsc);
    f = st_last_failure(&c, "a_b");
    assert_non_null(f);
    assert_string_equal(f->task, "stop");
    assert_null(st_last_failure(&c, "a"));
    assert_null(st_last_failure(&c, "zz"));
    assert_null(st_last_failure(&c, "r_100"));
    for (int i = 0; i < 100; i++) {
        char id[32], task[32];

        snprintf(id, sizeof(id), "r_%d", i);
        snprintf(task, sizeof(task), "t%d", (R - 1) / 100 * 100 + i < R ? (R - 1) / 100 * 100 + i
                 : (R - 1) / 100 * 100 + i - 100);
        f = st_last_failure(&c, id);
        assert_non_null(f);
        assert_string_equal(f->task, task);
    }
    /* d1: two Promoted, no Unpromoted; d2 the other way, in list order */
    assert_int_equal(st_evaluate(&c, -1, &p), MH_OK);
    {
        size_t d1 = p.count, d2 = p.count, n = 0;

        for (size_t i = 0; i < p.count; i++) {
            if (strstr(p.v[i].text, "DRBD d1 has no Secondary") != NULL) {
                d1 = i;
            }
            if (strstr(p.v[i].text, "DRBD d2 has no Primary") != NULL) {
                d2 = i;
            }
            n += strncmp(p.v[i].text, "DRBD ", 5) == 0;
        }
        assert_int_equal(n, 2);
        assert_true(d1 < d2 && d2 < p.count);
    }
    st_problems_free(&p);
    st_cluster_free(&c);
    free(xml);
}

/* json_of - S through mh_json_str, as a string */
static char *
json_of(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(fp);
    mh_json_str(fp, s, 0);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* issue 15 #12: JSON is valid UTF-8 whatever the bytes; text reports
 * and exit reasons carry no raw control byte */
static void
test_escaping(void **state)
{
    static const struct { const char *in, *want; } j[] = {
        { "bad\xffname", "\"bad\\ufffdname\"" },
        { "\xc0\x80", "\"\\ufffd\\ufffd\"" },                 /* overlong NUL */
        { "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },    /* a surrogate */
        { "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
        { "cut\xe2\x82", "\"cut\\ufffd\\ufffd\"" },
        { "\xe2\x82\xac \xf0\x9f\x93\xa7 caf\xc3\xa9", "\"\xe2\x82\xac \xf0\x9f\x93\xa7 caf\xc3\xa9\"" },
        { "\x1b[2J\r", "\"\\u001b[2J\\u000d\"" },
    };
    char out[16], line[256];
    char *got;
    FILE *saved;
    int fd;

    for (size_t i = 0; i < sizeof(j) / sizeof(j[0]); i++) {
        got = json_of(j[i].in);
        assert_string_equal(got, j[i].want);
        for (size_t k = 0; got[k] != '\0';) {
            size_t u = mh_utf8_len((const unsigned char *) got + k, strlen(got + k));

            assert_true(u > 0);
            k += u;
        }
        free(got);
    }
    assert_int_equal(mh_text_escape(line, sizeof(line), "ev\x1b[2Kil\r\n\x7f."), 24);
    assert_string_equal(line, "ev\\x1b[2Kil\\x0d\\x0a\\x7f.");
    /* never a cut escape */
    assert_int_equal(mh_text_escape(out, 6, "ab\x1b"), 2);
    assert_string_equal(out, "ab");
    /* the exit reason: one line, escaped */
    snprintf(line, sizeof(line), "%s/stderr", dir);
    fd = open(line, O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    fflush(stderr);
    saved = fdopen(dup(2), "w");
    assert_non_null(saved);
    dup2(fd, 2);
    unsetenv("OCF_EXIT_REASON_PREFIX");
    mh_exit_reason("alias \"%s\" has no destination", "ev\x1b[2Kil\r\nx");
    fflush(stderr);
    dup2(fileno(saved), 2);
    fclose(saved);
    memset(line, 0, sizeof(line));
    assert_true(pread(fd, line, sizeof(line) - 1, 0) > 0);
    close(fd);
    assert_string_equal(line, "ocf-exit-reason:alias \"ev\\x1b[2Kil\\x0d\\x0ax\" has no destination\n");
    snprintf(line, sizeof(line), "%s/stderr", dir);
    unlink(line);
}

/* issue 15 #12 in mailha-status: a drift item (an include path a list
 * owner may have written) is escaped in the text report */
static void
test_status_text_escaped(void **state)
{
    struct st_cluster c;
    struct st_problems p;
    struct st_drift_item item;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp;

    memset(&c, 0, sizeof(c));
    memset(&p, 0, sizeof(p));
    memset(&item, 0, sizeof(item));
    item.item = (char *) "include:/srv/lists/x\x1b[2K\ry";
    item.kind = (char *) "differs";
    item.node = (char *) "node2";
    c.drift = &item;
    c.ndrift = 1;
    snprintf(c.drift_status, sizeof(c.drift_status), "drift");
    snprintf(c.drift_node, sizeof(c.drift_node), "node1");
    fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    st_render_text(fp, &c, &p);
    assert_int_equal(fclose(fp), 0);
    assert_null(memchr(buf, '\x1b', len));
    assert_null(memchr(buf, '\r', len));
    assert_non_null(strstr(buf, "include:/srv/lists/x\\x1b[2K\\x0dy: differs node2"));
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_driftstate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_passwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unix_full_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rwcheck_planted, setup, teardown),
        cmocka_unit_test(test_spool_names),
        cmocka_unit_test(test_probemsg_scan),
        cmocka_unit_test(test_status_index),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test(test_status_text_escaped),
        cmocka_unit_test_setup_teardown(test_probemsg_shrinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probemsg_mbox_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probemsg_maildir_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probemsg_maildir_midscan, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
