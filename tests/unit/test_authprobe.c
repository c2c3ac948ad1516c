// SPDX-License-Identifier: GPL-2.0-or-later
/* test_authprobe - unit tests of helpers/probe/probe_auth: the Dovecot auth
 * handshake reader, whole and in pieces of every size, and what it refuses
 * (no VERSION first, another major version, a MECH without a name, DONE
 * without a mechanism, NUL bytes, an over-long line); mh_auth_probe against
 * a unix socket served here: a handshake, a server that closes, one that
 * says nothing (the deadline), a missing socket, a bad path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../helpers/probe/probe_auth.h"
#include "mh_rc.h"
#include "../../helpers/probe/probe_smtp_session.h"

#define GOOD "VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nMECH\tLOGIN\tplaintext\n" \
    "SPID\t123\nCUID\t7\nCOOKIE\tabc\nDONE\n"

/* feed_pieces - TEXT fed in pieces of N bytes: the last result */
static int
feed_pieces(const char *text, size_t n, struct mh_auth_hs *hs, char *why, size_t whylen)
{
    size_t len = strlen(text), off;
    int rc = 0;

    mh_auth_hs_init(hs);
    for (off = 0; off < len && rc == 0; off += n) {
        rc = mh_auth_hs_feed(hs, text + off, len - off < n ? len - off : n, why, whylen);
    }
    return rc;
}

static void
test_good_any_pieces(void **state)
{
    struct mh_auth_hs hs;
    char why[200];

    (void) state;
    for (size_t n = 1; n <= strlen(GOOD); n++) {
        assert_int_equal(feed_pieces(GOOD, n, &hs, why, sizeof(why)), 1);
        assert_string_equal(hs.mechs, "PLAIN LOGIN");
        assert_int_equal(hs.nmech, 2);
        assert_true(hs.done);
    }
    /* more bytes after DONE change nothing */
    assert_int_equal(mh_auth_hs_feed(&hs, "junk\n", 5, why, sizeof(why)), 1);
    /* not done before DONE */
    assert_int_equal(feed_pieces("VERSION\t1\t2\nMECH\tPLAIN\n", 4, &hs, why, sizeof(why)), 0);
    assert_false(hs.done);
}

static void
test_refused(void **state)
{
    static const struct {
        const char *text;
        int rc;
        const char *why;
    } cases[] = {
        { "MECH\tPLAIN\nDONE\n", MH_E_PROTOCOL, "not a Dovecot auth server" },
        { "220 smtp.example ESMTP\r\n", MH_E_PROTOCOL, "not a Dovecot auth server" },
        { "VERSION\t2\t0\nMECH\tPLAIN\nDONE\n", MH_E_PROTOCOL, "not a Dovecot auth server" },
        { "VERSION\t1\nDONE\n", MH_E_PROTOCOL, "not a Dovecot auth server" },
        { "VERSIONX\t1\t2\n", MH_E_PROTOCOL, "not a Dovecot auth server" },
        { "VERSION\t1\t2\nMECH\nDONE\n", MH_E_PROTOCOL, "without a mechanism name" },
        { "VERSION\t1\t2\nMECH\t\tx\nDONE\n", MH_E_PROTOCOL, "without a mechanism name" },
        { "VERSION\t1\t2\nSPID\t1\nDONE\n", MH_E_PROTOCOL, "offers no mechanism" },
    };
    struct mh_auth_hs hs;
    char why[200];

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (size_t n = 1; n <= 3; n++) {
            why[0] = '\0';
            assert_int_equal(feed_pieces(cases[i].text, n, &hs, why, sizeof(why)), cases[i].rc);
            assert_non_null(strstr(why, cases[i].why));
        }
    }
    /* a NUL byte */
    mh_auth_hs_init(&hs);
    assert_int_equal(mh_auth_hs_feed(&hs, "VERSION\t1\0\t2\n", 13, why, sizeof(why)),
                     MH_E_PROTOCOL);
    assert_non_null(strstr(why, "NUL"));
}

static void
test_long_line(void **state)
{
    struct mh_auth_hs hs;
    char why[200], *text;
    size_t n = MH_AUTH_LINE_MAX + 10;

    (void) state;
    text = malloc(n + 40);
    assert_non_null(text);
    strcpy(text, "VERSION\t1\t2\nMECH\t");
    memset(text + strlen(text), 'X', n);
    text[17 + n] = '\0';
    assert_int_equal(feed_pieces(text, 100, &hs, why, sizeof(why)), MH_E_TOOLONG);
    /* a line of exactly the longest length is fine */
    memset(text, 0, n + 40);
    strcpy(text, "VERSION\t1\t2\nCOOKIE\t");
    memset(text + strlen(text), 'c', MH_AUTH_LINE_MAX - 1 - strlen("COOKIE\t"));
    strcat(text, "\nMECH\tPLAIN\nDONE\n");
    assert_int_equal(feed_pieces(text, 7, &hs, why, sizeof(why)), 1);
    free(text);
}

static void
test_mechs_kept_whole(void **state)
{
    struct mh_auth_hs hs;
    char why[200], text[8192], name[64];

    (void) state;
    strcpy(text, "VERSION\t1\t2\n");
    for (int i = 0; i < 60; i++) {
        snprintf(name, sizeof(name), "MECH\tMECHANISM-%02d\n", i);
        strcat(text, name);
    }
    strcat(text, "DONE\n");
    assert_int_equal(feed_pieces(text, 9, &hs, why, sizeof(why)), 1);
    assert_int_equal(hs.nmech, 60);
    assert_true(strlen(hs.mechs) < sizeof(hs.mechs));
    /* whole names only: it ends with a full one */
    assert_int_equal(strlen(hs.mechs) % 13, 12);
}

/* serve - a child that listens on PATH and, per MODE, answers the first
 * client: 'g' the good handshake, 'c' closes, 's' says nothing */
static pid_t
serve(const char *path, char mode)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int ls, c;
    pid_t pid;
    char buf[256];

    unlink(path);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    ls = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(ls >= 0);
    assert_int_equal(bind(ls, (struct sockaddr *) &sa, sizeof(sa)), 0);
    assert_int_equal(listen(ls, 4), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        c = accept(ls, NULL, NULL);
        if (c < 0) {
            _exit(1);
        }
        if (mode == 'g') {
            /* the client's VERSION first, as Dovecot would not mind */
            if (read(c, buf, sizeof(buf)) <= 0) {
                _exit(1);
            }
            if (write(c, GOOD, strlen(GOOD)) < 0) {
                _exit(1);
            }
            sleep(1);
        } else if (mode == 's') {
            sleep(5);
        }
        close(c);
        _exit(0);
    }
    close(ls);
    return pid;
}

static void
test_probe_socket(void **state)
{
    char dir[] = "/tmp/mh-authprobe.XXXXXX", path[128], mechs[MH_AUTH_MECHS_MAX], why[400];
    pid_t pid;
    int status;
    long long t0;

    (void) state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/auth", dir);

    pid = serve(path, 'g');
    assert_int_equal(mh_auth_probe(path, mh_smtp_now_ms() + 3000, mechs, sizeof(mechs), why,
                                   sizeof(why)), MH_OK);
    assert_string_equal(mechs, "PLAIN LOGIN");
    waitpid(pid, &status, 0);

    pid = serve(path, 'c');
    assert_int_equal(mh_auth_probe(path, mh_smtp_now_ms() + 3000, mechs, sizeof(mechs), why,
                                   sizeof(why)), MH_E_PROTOCOL);
    assert_non_null(strstr(why, "closed the connection"));
    waitpid(pid, &status, 0);

    pid = serve(path, 's');
    t0 = mh_smtp_now_ms();
    assert_int_equal(mh_auth_probe(path, t0 + 300, mechs, sizeof(mechs), why, sizeof(why)),
                     MH_E_TIMEOUT);
    assert_non_null(strstr(why, "no handshake before the deadline"));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);

    unlink(path);
    assert_int_equal(mh_auth_probe(path, mh_smtp_now_ms() + 1000, mechs, sizeof(mechs), why,
                                   sizeof(why)), -ECONNREFUSED);
    assert_non_null(strstr(why, "nothing listening"));
    assert_int_equal(mh_auth_probe("private/auth", mh_smtp_now_ms() + 1000, mechs,
                                   sizeof(mechs), why, sizeof(why)), MH_E_CONFIG);
    assert_int_equal(mh_auth_probe("inet:", mh_smtp_now_ms() + 1000, mechs, sizeof(mechs), why,
                                   sizeof(why)), MH_E_CONFIG);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_any_pieces),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_mechs_kept_whole),
        cmocka_unit_test(test_probe_socket),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
