// SPDX-License-Identifier: GPL-2.0-or-later
/* test_probe - unit tests of mailha-probe's parts: the SMTP reply parser,
 * EHLO keyword extraction, endpoint parsing, and removing the probe
 * message from an mbox or a maildir (on temp files, as a hostile user
 * would arrange them). */
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
#include "../../helpers/probe/probe_smtp_reply.h"
#include "../../helpers/probe/probe_smtp_session.h"
#include "../../helpers/probe/probe_msg.h"

static struct mh_smtp_parser *P;

/* setup/teardown - the parser is too big for the stack */
static int
setup(void **state)
{
    P = calloc(1, sizeof(*P));
    return P == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    free(P);
    P = NULL;
    return 0;
}

/* feed_all - feed TEXT (LEN bytes) in one go; returns the parser's answer */
static int
feed_all(const char *text, size_t len, size_t *used)
{
    mh_smtp_parser_init(P);
    return mh_smtp_parser_feed(P, text, len, used);
}

static void
test_reply_single(void **state)
{
    const char *t = "220 mx.example ESMTP Postfix\r\n";
    size_t used;

    assert_int_equal(feed_all(t, strlen(t), &used), MH_SMTP_PARSE_DONE);
    assert_int_equal(used, strlen(t));
    assert_int_equal(P->reply.code, 220);
    assert_int_equal(P->reply.nlines, 1);
    assert_string_equal(P->reply.lines[0], "mx.example ESMTP Postfix");

    /* a bare code is a complete final line */
    assert_int_equal(feed_all("250\r\n", 5, &used), MH_SMTP_PARSE_DONE);
    assert_int_equal(P->reply.code, 250);
    assert_string_equal(P->reply.lines[0], "");

    /* no CRLF yet: needs more, consumed everything */
    assert_int_equal(feed_all("250 ok", 6, &used), MH_SMTP_PARSE_MORE);
    assert_int_equal(used, 6);
}

static void
test_reply_multi(void **state)
{
    const char *t = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 CHUNKING\r\n"
                    "221 2.0.0 Bye\r\n";
    size_t used, first;

    assert_int_equal(feed_all(t, strlen(t), &used), MH_SMTP_PARSE_DONE);
    first = used;
    assert_int_equal(P->reply.code, 250);
    assert_int_equal(P->reply.nlines, 4);
    assert_string_equal(P->reply.lines[2], "SIZE 10240000");
    assert_string_equal(P->reply.lines[3], "CHUNKING");
    /* the bytes after the first reply are the next reply */
    assert_int_equal(first, strlen(t) - strlen("221 2.0.0 Bye\r\n"));
    assert_int_equal(mh_smtp_parser_feed(P, t + first, strlen(t) - first, &used),
                     MH_SMTP_PARSE_DONE);
    assert_int_equal(P->reply.code, 221);
    assert_int_equal(P->reply.nlines, 1);
}

static void
test_reply_bad(void **state)
{
    static const struct {
        const char *text;
        int rc;
    } cases[] = {
        {"250-a\r\n251 b\r\n", MH_E_PROTOCOL},      /* mixed codes */
        {"250 ok\n", MH_E_PROTOCOL},                 /* bare LF */
        {"250-a\n250 b\r\n", MH_E_PROTOCOL},         /* bare LF mid reply */
        {"250 o\rk\r\n", MH_E_PROTOCOL},             /* CR without LF */
        {"25 ok\r\n", MH_E_PROTOCOL},                /* two digits */
        {"2x0 ok\r\n", MH_E_PROTOCOL},               /* not a digit */
        {"\r\n", MH_E_PROTOCOL},                     /* empty line */
        {"250+ok\r\n", MH_E_PROTOCOL},               /* bad separator */
        {"199 ok\r\n", MH_E_PROTOCOL},               /* code too low */
        {"600 ok\r\n", MH_E_PROTOCOL},               /* code too high */
        {"250 o\0k\r\n", MH_E_PROTOCOL},             /* NUL byte */
    };
    size_t i, used, len;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        len = strlen(cases[i].text);
        if (i == 10) {
            len = 9;
        }
        assert_int_equal(feed_all(cases[i].text, len, &used), cases[i].rc);
        assert_true(P->why[0] != '\0');
        /* sticky until init */
        assert_int_equal(mh_smtp_parser_feed(P, "250 ok\r\n", 8, &used), cases[i].rc);
    }
}

static void
test_reply_limits(void **state)
{
    char *buf = malloc(MH_SMTP_LINE_MAX + 16);
    char many[(MH_SMTP_REPLY_MAX_LINES + 1) * 8 + 1];
    size_t used, i, off;

    assert_non_null(buf);
    /* exactly MH_SMTP_LINE_MAX bytes before CRLF: accepted */
    memcpy(buf, "250 ", 4);
    memset(buf + 4, 'x', MH_SMTP_LINE_MAX - 4);
    memcpy(buf + MH_SMTP_LINE_MAX, "\r\n", 2);
    assert_int_equal(feed_all(buf, MH_SMTP_LINE_MAX + 2, &used), MH_SMTP_PARSE_DONE);
    assert_int_equal(strlen(P->reply.lines[0]), MH_SMTP_LINE_MAX - 4);
    /* one more byte: too long, detected before the CRLF arrives */
    memset(buf + 4, 'x', MH_SMTP_LINE_MAX - 3);
    assert_int_equal(feed_all(buf, MH_SMTP_LINE_MAX + 1, &used), MH_E_TOOLONG);
    free(buf);

    /* MH_SMTP_REPLY_MAX_LINES lines: accepted; one more: too many */
    off = 0;
    for (i = 0; i + 1 < MH_SMTP_REPLY_MAX_LINES; i++) {
        off += (size_t) sprintf(many + off, "250-xx\r\n");
    }
    off += (size_t) sprintf(many + off, "250 xx\r\n");
    assert_int_equal(feed_all(many, off, &used), MH_SMTP_PARSE_DONE);
    assert_int_equal(P->reply.nlines, MH_SMTP_REPLY_MAX_LINES);
    off = 0;
    for (i = 0; i < MH_SMTP_REPLY_MAX_LINES; i++) {
        off += (size_t) sprintf(many + off, "250-xx\r\n");
    }
    off += (size_t) sprintf(many + off, "250 xx\r\n");
    assert_int_equal(feed_all(many, off, &used), MH_E_TOOLONG);
}

/* Every split of a multi-line reply into two reads, and one byte per
 * read, give the same reply as one read. */
static void
test_reply_split(void **state)
{
    const char *t = "250-mx.example\r\n250-SIZE 0\r\n250-AUTH PLAIN LOGIN\r\n250 DSN\r\n";
    size_t len = strlen(t), cut, used, i;
    int rc;

    for (cut = 0; cut <= len; cut++) {
        mh_smtp_parser_init(P);
        rc = mh_smtp_parser_feed(P, t, cut, &used);
        if (cut < len) {
            assert_int_equal(rc, MH_SMTP_PARSE_MORE);
            assert_int_equal(used, cut);
            rc = mh_smtp_parser_feed(P, t + cut, len - cut, &used);
            assert_int_equal(used, len - cut);
        }
        assert_int_equal(rc, MH_SMTP_PARSE_DONE);
        assert_int_equal(P->reply.code, 250);
        assert_int_equal(P->reply.nlines, 4);
        assert_string_equal(P->reply.lines[2], "AUTH PLAIN LOGIN");
    }
    mh_smtp_parser_init(P);
    for (i = 0; i < len; i++) {
        rc = mh_smtp_parser_feed(P, t + i, 1, &used);
        assert_int_equal(used, 1);
        assert_int_equal(rc, i + 1 == len ? MH_SMTP_PARSE_DONE : MH_SMTP_PARSE_MORE);
    }
    assert_string_equal(P->reply.lines[3], "DSN");
    /* a CR at the end of one read and LF at the start of the next */
    mh_smtp_parser_init(P);
    assert_int_equal(mh_smtp_parser_feed(P, "250 a\r", 6, &used), MH_SMTP_PARSE_MORE);
    assert_int_equal(mh_smtp_parser_feed(P, "x", 1, &used), MH_E_PROTOCOL);
}

/* parse_reply - parse a whole reply into P */
static const struct mh_smtp_reply *
parse_reply(const char *t)
{
    size_t used;

    assert_int_equal(feed_all(t, strlen(t), &used), MH_SMTP_PARSE_DONE);
    return &P->reply;
}

static void
test_ehlo_keywords(void **state)
{
    const struct mh_smtp_reply *r;
    unsigned long long size;
    int has;

    r = parse_reply("250-SIZE.example\r\n250-PIPELINING\r\n250-size 10240000\r\n"
                    "250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n250 8BITMIME\r\n");
    /* the greeting line is never taken for a keyword */
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_OK);
    assert_true(has);
    assert_int_equal(size, 10240000);
    assert_string_equal(mh_smtp_ehlo_keyword(r, "AUTH"), "PLAIN LOGIN");
    assert_true(mh_smtp_ehlo_auth_has(r, "plain"));
    assert_true(mh_smtp_ehlo_auth_has(r, "LOGIN"));
    assert_false(mh_smtp_ehlo_auth_has(r, "CRAM-MD5"));
    assert_false(mh_smtp_ehlo_auth_has(r, "PLAI"));
    assert_string_equal(mh_smtp_ehlo_keyword(r, "PIPELINING"), "");
    assert_null(mh_smtp_ehlo_keyword(r, "PIPE"));
    assert_null(mh_smtp_ehlo_keyword(r, "STARTTLS"));

    /* Postfix 3.7 with message_size_limit = 0: a bare SIZE */
    r = parse_reply("250-mx\r\n250-SIZE\r\n250 DSN\r\n");
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_OK);
    assert_false(has);
    assert_null(mh_smtp_ehlo_keyword(r, "AUTH"));

    r = parse_reply("250-mx\r\n250-SIZE 12x\r\n250 DSN\r\n");
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_E_PROTOCOL);
    r = parse_reply("250-mx\r\n250-SIZE 99999999999999999999999\r\n250 DSN\r\n");
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_E_PROTOCOL);
    r = parse_reply("250-mx\r\n250-SIZE 0\r\n250 AUTH\r\n");
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_OK);
    assert_true(has);
    assert_int_equal(size, 0);
    assert_string_equal(mh_smtp_ehlo_keyword(r, "AUTH"), "");
    assert_false(mh_smtp_ehlo_auth_has(r, "PLAIN"));
    r = parse_reply("250 mx only\r\n");
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_E_NOTFOUND);
    /* the largest SIZE the overflow guard lets through */
    r = parse_reply("250-mx\r\n250 SIZE 18446744073709551609\r\n");
    assert_int_equal(mh_smtp_ehlo_size(r, &has, &size), MH_OK);
    assert_true(size == 18446744073709551609ULL);
    /* the ends of the reply code range */
    r = parse_reply("200 ok\r\n");
    assert_int_equal(r->code, 200);
    r = parse_reply("599 last\r\n");
    assert_int_equal(r->code, 599);
}

static void
test_printable(void **state)
{
    char buf[8];

    mh_smtp_printable(buf, sizeof(buf), "a\tb\x1b" "cdefgh");
    assert_string_equal(buf, "a?b?cde");
    /* space and '~' are printable, DEL is not */
    mh_smtp_printable(buf, sizeof(buf), "a b~\x7f");
    assert_string_equal(buf, "a b~?");
}

static void
test_endpoint(void **state)
{
    struct mh_smtp_endpoint ep;
    char why[256];
    static const char *bad[] = {
        "127.0.0.1", "::1:25", "[::1]25", "[::1]", ":25", "host:", "unix:relative",
        "a b:25", "host:2/5", "[::1]:",
    };
    size_t i;

    assert_int_equal(mh_smtp_endpoint_parse("127.0.0.1:2525", &ep, why, sizeof(why)), MH_OK);
    assert_false(ep.is_unix);
    assert_string_equal(ep.host, "127.0.0.1");
    assert_string_equal(ep.port, "2525");
    assert_int_equal(mh_smtp_endpoint_parse("[::1]:smtp", &ep, why, sizeof(why)), MH_OK);
    assert_string_equal(ep.host, "::1");
    assert_string_equal(ep.port, "smtp");
    assert_int_equal(mh_smtp_endpoint_parse("mx.example:25", &ep, why, sizeof(why)), MH_OK);
    assert_string_equal(ep.host, "mx.example");
    assert_int_equal(mh_smtp_endpoint_parse("unix:/run/smtp.sock", &ep, why, sizeof(why)),
                     MH_OK);
    assert_true(ep.is_unix);
    assert_string_equal(ep.path, "/run/smtp.sock");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why[0] = '\0';
        assert_int_equal(mh_smtp_endpoint_parse(bad[i], &ep, why, sizeof(why)), -EINVAL);
        assert_true(why[0] != '\0');
    }
}

/* The mbox tests: a spool directory with a few messages. */
#define TOKEN "1700000000.42.0123456789abcdef01234567"
#define MSG_A "From alice@example  Mon Jan  1 00:00:00 2024\nSubject: a\n\nbody a\n>From quoted\n\n"
#define MSG_B "From bob@example  Mon Jan  1 00:00:01 2024\nSubject: b\n" \
    "X-Note: " MH_PROBEMSG_HEADER ": " TOKEN "\n\nbody b mentions\n" \
    MH_PROBEMSG_HEADER ": " TOKEN "\n\n"
#define MSG_P "From mailha-probe@node1  Mon Jan  1 00:00:02 2024\nReturn-Path: <x>\n" \
    "Subject: mailha delivery probe\n" MH_PROBEMSG_HEADER ": " TOKEN "\n\nprobe body\n\n"
#define MSG_Q "From mailha-probe@node1  Mon Jan  1 00:00:03 2024\n" \
    MH_PROBEMSG_HEADER ": " TOKEN "0\n\nanother probe, longer token\n\n"

static char spool[64];
static char mbox[128];

static int
setup_spool(void **state)
{
    strcpy(spool, "/tmp/mh-test-probe-XXXXXX");
    if (mkdtemp(spool) == NULL) {
        return -1;
    }
    snprintf(mbox, sizeof(mbox), "%s/user", spool);
    return setup(state);
}

static int
teardown_spool(void **state)
{
    char cmd[160];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", spool);
    if (system(cmd) != 0) {
        return -1;
    }
    return teardown(state);
}

/* write_file - PATH := TEXT */
static void
write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* read_file - the contents of PATH (static buffer) */
static const char *
read_file(const char *path)
{
    static char buf[8192];
    FILE *fp = fopen(path, "r");
    size_t n;

    assert_non_null(fp);
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* remove_case - BEFORE with the probe, AFTER what must be left */
static void
remove_case(const char *before, const char *after)
{
    char why[512] = "";
    char lock[160];
    struct stat st;

    write_file(mbox, before);
    assert_int_equal(chown(mbox, 12345, 8), 0);
    assert_int_equal(chmod(mbox, 0620), 0);
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 2000, why,
                                             sizeof(why)), MH_OK);
    assert_string_equal(read_file(mbox), after);
    /* in place: owner and mode as they were; the dotlock is gone */
    assert_int_equal(stat(mbox, &st), 0);
    assert_int_equal(st.st_uid, 12345);
    assert_int_equal(st.st_gid, 8);
    assert_int_equal(st.st_mode & 07777, 0620);
    snprintf(lock, sizeof(lock), "%s.lock", mbox);
    assert_int_equal(access(lock, F_OK), -1);
}

static void
test_mbox_positions(void **state)
{
    remove_case(MSG_P MSG_A MSG_B, MSG_A MSG_B);       /* first */
    remove_case(MSG_A MSG_P MSG_B, MSG_A MSG_B);       /* middle */
    remove_case(MSG_A MSG_B MSG_P, MSG_A MSG_B);       /* last */
    remove_case(MSG_P, "");                            /* only */
    remove_case(MSG_Q MSG_P MSG_Q, MSG_Q MSG_Q);       /* longer token is another */
}

static void
test_mbox_absent(void **state)
{
    char why[512] = "";

    /* token only in a body, in a longer token, in another header: not ours */
    write_file(mbox, MSG_A MSG_B MSG_Q);
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 2000, why,
                                             sizeof(why)), MH_E_NOTFOUND);
    assert_string_equal(read_file(mbox), MSG_A MSG_B MSG_Q);
    /* empty, and not there at all (not delivered yet) */
    write_file(mbox, "");
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 2000, why,
                                             sizeof(why)), MH_E_NOTFOUND);
    assert_int_equal(unlink(mbox), 0);
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 2000, why,
                                             sizeof(why)), MH_E_NOTFOUND);
}

static void
test_mbox_find(void **state)
{
    const char *m = MSG_A MSG_P MSG_B;
    size_t start, end;

    assert_int_equal(mh_probemsg_mbox_find(m, strlen(m), TOKEN, &start, &end), MH_OK);
    assert_int_equal(start, strlen(MSG_A));
    assert_int_equal(end, strlen(MSG_A MSG_P));
    /* a file that does not start with a From_ line has no message */
    m = "Subject: x\n" MH_PROBEMSG_HEADER ": " TOKEN "\n\n";
    assert_int_equal(mh_probemsg_mbox_find(m, strlen(m), TOKEN, &start, &end), MH_E_NOTFOUND);
    /* token line at the very end with no newline: not a whole line */
    m = "From x\n" MH_PROBEMSG_HEADER ": " TOKEN;
    assert_int_equal(mh_probemsg_mbox_find(m, strlen(m), TOKEN, &start, &end), MH_E_NOTFOUND);
}

static void
test_mbox_unsafe(void **state)
{
    char why[512] = "", other[160], lock[160];
    int fd;

    /* a symlink to some other file: refused, the target untouched */
    snprintf(other, sizeof(other), "%s/victim", spool);
    write_file(other, MSG_P);
    assert_int_equal(symlink(other, mbox), 0);
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 2000, why,
                                             sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "symbolic link"));
    assert_string_equal(read_file(other), MSG_P);
    assert_int_equal(unlink(mbox), 0);

    /* a hard link to some other file: refused */
    assert_int_equal(link(other, mbox), 0);
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 2000, why,
                                             sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "hard links"));
    assert_string_equal(read_file(other), MSG_P);
    assert_int_equal(unlink(mbox), 0);

    /* a dotlock held by someone else: wait, then give up at the deadline */
    write_file(mbox, MSG_A MSG_P);
    snprintf(lock, sizeof(lock), "%s.lock", mbox);
    fd = open(lock, O_CREAT | O_EXCL | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(mh_probemsg_mbox_remove(mbox, TOKEN, mh_smtp_now_ms() + 100, why,
                                             sizeof(why)), MH_E_TIMEOUT);
    assert_string_equal(read_file(mbox), MSG_A MSG_P);
    assert_int_equal(access(lock, F_OK), 0);    /* not ours: left alone */
    assert_int_equal(unlink(lock), 0);
    assert_int_equal(unlink(mbox), 0);
}

static void
test_maildir(void **state)
{
    char md[160], path[256], why[512] = "";
    const char *probe = "Return-Path: <x>\nSubject: mailha delivery probe\n"
                        MH_PROBEMSG_HEADER ": " TOKEN "\n\nbody\n";
    const char *other = "Subject: hello\n\n" MH_PROBEMSG_HEADER ": " TOKEN "\n";

    snprintf(md, sizeof(md), "%s/md/", spool);
    assert_int_equal(mkdir(md, 0700), 0);
    /* no new/ or cur/ yet: not found, not an error */
    assert_int_equal(mh_probemsg_maildir_remove(md, TOKEN, why, sizeof(why)), MH_E_NOTFOUND);
    snprintf(path, sizeof(path), "%snew", md);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%scur", md);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%snew/1.a.host", md);
    write_file(path, other);
    snprintf(path, sizeof(path), "%scur/2.b.host:2,S", md);
    write_file(path, other);
    assert_int_equal(mh_probemsg_maildir_remove(md, TOKEN, why, sizeof(why)), MH_E_NOTFOUND);

    /* the probe in cur/: removed, the others stay as they were */
    snprintf(path, sizeof(path), "%scur/3.c.host:2,", md);
    write_file(path, probe);
    assert_int_equal(mh_probemsg_maildir_remove(md, TOKEN, why, sizeof(why)), MH_OK);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof(path), "%snew/1.a.host", md);
    assert_string_equal(read_file(path), other);
    snprintf(path, sizeof(path), "%scur/2.b.host:2,S", md);
    assert_string_equal(read_file(path), other);

    /* a symlink in new/ pointing at a probe-looking file elsewhere: not followed */
    snprintf(path, sizeof(path), "%s/outside", spool);
    write_file(path, probe);
    snprintf(md, sizeof(md), "%s/md/new/4.d.host", spool);
    assert_int_equal(symlink(path, md), 0);
    snprintf(md, sizeof(md), "%s/md/", spool);
    assert_int_equal(mh_probemsg_maildir_remove(md, TOKEN, why, sizeof(why)), MH_E_NOTFOUND);
    assert_string_equal(read_file(path), probe);

    /* the maildir itself a symlink: refused */
    snprintf(md, sizeof(md), "%s/md2", spool);
    snprintf(path, sizeof(path), "%s/md", spool);
    assert_int_equal(symlink(path, md), 0);
    snprintf(md, sizeof(md), "%s/md2/", spool);
    assert_int_equal(mh_probemsg_maildir_remove(md, TOKEN, why, sizeof(why)), MH_E_UNSAFE);
}

/* test_fd0_closed - with descriptor 0 closed, the first file opened gets
 * it: 0 is a descriptor like any other, not a failure */
static void
test_fd0_closed(void **state)
{
    char md[160], path[256], why[512] = "";
    int saved = dup(0);

    assert_true(saved > 0);
    assert_int_equal(close(0), 0);
    remove_case(MSG_A MSG_P MSG_B, MSG_A MSG_B);
    snprintf(md, sizeof(md), "%s/md/", spool);
    assert_int_equal(mkdir(md, 0700), 0);
    snprintf(path, sizeof(path), "%snew", md);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%snew/1.a.host", md);
    write_file(path, "Subject: x\n" MH_PROBEMSG_HEADER ": " TOKEN "\n\nbody\n");
    assert_int_equal(mh_probemsg_maildir_remove(md, TOKEN, why, sizeof(why)), MH_OK);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reply_single, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_multi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ehlo_keywords, setup, teardown),
        cmocka_unit_test(test_printable),
        cmocka_unit_test(test_endpoint),
        cmocka_unit_test_setup_teardown(test_mbox_positions, setup_spool, teardown_spool),
        cmocka_unit_test_setup_teardown(test_mbox_absent, setup_spool, teardown_spool),
        cmocka_unit_test(test_mbox_find),
        cmocka_unit_test_setup_teardown(test_mbox_unsafe, setup_spool, teardown_spool),
        cmocka_unit_test_setup_teardown(test_maildir, setup_spool, teardown_spool),
        cmocka_unit_test_setup_teardown(test_fd0_closed, setup_spool, teardown_spool),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
