// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib - unit tests of helpers/lib: return codes, postconf reading,
 * safe opening in a directory a hostile user can write to. */
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
#include "mh_pfconf.h"
#include "mh_safeopen.h"

static void
test_rc_text(void **state)
{
    char unknown[64];

    assert_string_equal(mh_rc_str(MH_E_TIMEOUT), "timed out");
    assert_string_equal(mh_rc_str(-ENOENT), strerror(ENOENT));
    /* errno texts only for -1 .. MH_E_BASE + 1: the base itself, codes
     * past the last one and positive values are unknown */
    assert_string_equal(mh_rc_str(-1), strerror(1));
    /* (strerror's text of an unknown errno lives until its next call) */
    snprintf(unknown, sizeof(unknown), "%s", strerror(-(MH_E_BASE + 1)));
    assert_string_equal(mh_rc_str(MH_E_BASE + 1), unknown);
    assert_string_equal(mh_rc_str(MH_E_BASE), "unknown error");
    assert_string_equal(mh_rc_str(MH_E_LAST), "unknown error");
    assert_string_equal(mh_rc_str(1), "unknown error");
    assert_int_equal(mh_rc_to_ocf(MH_E_CONFIG), MH_OCF_ERR_CONFIGURED);
    assert_int_equal(mh_rc_to_ocf(-ENOENT), MH_OCF_ERR_INSTALLED);
    assert_int_equal(mh_rc_to_ocf(MH_E_TIMEOUT), MH_OCF_ERR_GENERIC);
}

static void
test_pfconf_parse_line(void **state)
{
    char a[] = "message_size_limit = 10240000";
    char b[] = "relay_domains =";
    char c[] = "garbage";
    char d[] = "x = a = b";
    char *n, *v;

    assert_int_equal(mh_pfconf_parse_line(a, &n, &v), MH_OK);
    assert_string_equal(n, "message_size_limit");
    assert_string_equal(v, "10240000");
    assert_int_equal(mh_pfconf_parse_line(b, &n, &v), MH_OK);
    assert_string_equal(n, "relay_domains");
    assert_string_equal(v, "");
    assert_int_equal(mh_pfconf_parse_line(c, &n, &v), MH_E_PARSE);
    assert_int_equal(mh_pfconf_parse_line(d, &n, &v), MH_OK);
    assert_string_equal(v, "a = b");
}

/* Against the real postconf: a private config dir, $name expansion. */
static void
test_pfconf_real_postconf(void **state)
{
    char dir[] = "/tmp/mh-pfconf-XXXXXX";
    char path[256];
    const char *names[] = { "message_size_limit", "myhostname", "myorigin" };
    struct mh_pfconf conf;
    FILE *fp;

    if (access("/usr/sbin/postconf", X_OK) != 0) {
        skip();
    }
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/main.cf", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("message_size_limit = 12345\nmyhostname = node1.example\nmyorigin = $myhostname\n", fp);
    fclose(fp);

    assert_int_equal(mh_pfconf_read(&conf, dir, names, 3), MH_OK);
    assert_int_equal(conf.count, 3);
    assert_string_equal(mh_pfconf_get(&conf, "message_size_limit"), "12345");
    assert_string_equal(mh_pfconf_get(&conf, "myorigin"), "node1.example");
    assert_null(mh_pfconf_get(&conf, "nonesuch"));
    mh_pfconf_free(&conf);

    /* a config dir that does not exist: postconf fails, we say why */
    assert_int_equal(mh_pfconf_read(&conf, "/nonexistent/mailha", names, 1), MH_E_CHILD);
    assert_non_null(strstr(conf.errbuf, "/nonexistent/mailha"));

    unlink(path);
    rmdir(dir);
}

static void
test_pfconf_missing_postconf(void **state)
{
    const char *names[] = { "mail_version" };
    struct mh_pfconf conf;

    setenv("MAILHA_POSTCONF", "/nonexistent/postconf", 1);
    assert_int_equal(mh_pfconf_read(&conf, NULL, names, 1), -ENOENT);
    assert_non_null(strstr(conf.errbuf, "/nonexistent/postconf"));
    unsetenv("MAILHA_POSTCONF");
}

/* A postconf that says more than it was asked (every parameter, as
 * postconf with no names does): only the first n lines are kept. */
static void
test_pfconf_extra_lines(void **state)
{
    char dir[] = "/tmp/mh-pfconf-XXXXXX";
    char path[256];
    const char *names[] = { "alpha", "beta" };
    struct mh_pfconf conf;
    FILE *fp;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/postconf", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("#!/bin/sh\nprintf 'alpha = 1\\nbeta = 2\\ngamma = 3\\ndelta = 4\\n'\n", fp);
    fclose(fp);
    assert_int_equal(chmod(path, 0755), 0);
    setenv("MAILHA_POSTCONF", path, 1);

    assert_int_equal(mh_pfconf_read(&conf, NULL, names, 2), MH_OK);
    assert_int_equal(conf.count, 2);
    assert_string_equal(mh_pfconf_get(&conf, "beta"), "2");
    assert_null(mh_pfconf_get(&conf, "gamma"));
    mh_pfconf_free(&conf);
    assert_int_equal(mh_pfconf_read(&conf, NULL, names, 1), MH_OK);
    assert_int_equal(conf.count, 1);
    assert_null(mh_pfconf_get(&conf, "beta"));
    mh_pfconf_free(&conf);
    assert_int_equal(mh_pfconf_read(&conf, NULL, names, 0), MH_OK);
    assert_int_equal(conf.count, 0);
    assert_null(mh_pfconf_get(&conf, "alpha"));
    mh_pfconf_free(&conf);

    unsetenv("MAILHA_POSTCONF");
    unlink(path);
    rmdir(dir);
}

/* Postfix time values: digits and at most one unit letter, the largest
 * value that fits in 64 bits and not one more; a refused value leaves
 * the output alone. */
static void
test_pfconf_time(void **state)
{
    unsigned long long v;

#define T_OK(s, want) do { v = 7; assert_int_equal(mh_pfconf_time((s), &v), 0); \
        assert_true(v == (want)); } while (0)
#define T_BAD(s) do { v = 7; assert_int_equal(mh_pfconf_time((s), &v), MH_E_PARSE); \
        assert_true(v == 7); } while (0)
    T_OK("0", 0);
    T_OK("10", 10);
    T_OK("10s", 10);
    T_OK("2m", 120);
    T_OK("3h", 10800);
    T_OK("1d", 86400);
    T_OK("2w", 1209600);
    T_BAD("");
    T_BAD("x");
    T_BAD("s");
    T_BAD("-1");
    T_BAD(" 1");
    T_BAD("+1");
    T_BAD("5x");
    T_BAD("5ss");
    T_BAD("5s ");
    T_OK("18446744073709551615", 18446744073709551615ULL);
    T_OK("18446744073709551615s", 18446744073709551615ULL);
    T_BAD("18446744073709551616");
    /* ULLONG_MAX / 60 = 307445734561825860 */
    T_OK("307445734561825860m", 307445734561825860ULL * 60);
    T_BAD("307445734561825861m");
    /* ULLONG_MAX / 604800 = 30500568904943 */
    T_OK("30500568904943w", 30500568904943ULL * 604800);
    T_BAD("30500568904944w");
#undef T_OK
#undef T_BAD
}

static void
test_safeopen(void **state)
{
    char dir[] = "/tmp/mh-safeopen-XXXXXX";
    char why[256];
    struct stat st;
    int dfd, fd;

    assert_non_null(mkdtemp(dir));
    dfd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);

    fd = mh_safe_create_at(dfd, "box", O_WRONLY, 0600, why, sizeof(why));
    assert_true(fd >= 0);
    close(fd);
    /* creating again: O_EXCL refuses */
    assert_int_equal(mh_safe_create_at(dfd, "box", O_WRONLY, 0600, why, sizeof(why)), -EEXIST);

    fd = mh_safe_open_at(dfd, "box", O_RDONLY, getuid(), &st, why, sizeof(why));
    assert_true(fd >= 0);
    assert_true(S_ISREG(st.st_mode));
    close(fd);

    /* wrong owner expected */
    assert_int_equal(mh_safe_open_at(dfd, "box", O_RDONLY, getuid() + 4242, NULL, why,
                                     sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "owned by uid"));

    /* a symlink planted where a mailbox would be */
    assert_int_equal(symlinkat("/etc/passwd", dfd, "evil"), 0);
    assert_int_equal(mh_safe_open_at(dfd, "evil", O_RDONLY, MH_ANY_UID, NULL, why,
                                     sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "symbolic link"));
    assert_true(mh_safe_create_at(dfd, "evil", O_WRONLY, 0600, why, sizeof(why)) < 0);
    /* a dangling symlink is not followed by create either */
    assert_int_equal(symlinkat("/tmp/mh-safeopen-nonexistent-target", dfd, "dangle"), 0);
    assert_int_equal(mh_safe_create_at(dfd, "dangle", O_WRONLY, 0600, why, sizeof(why)), -EEXIST);
    assert_int_equal(access("/tmp/mh-safeopen-nonexistent-target", F_OK), -1);

    /* a hard link to a mailbox */
    assert_int_equal(linkat(dfd, "box", dfd, "box2", 0), 0);
    assert_int_equal(mh_safe_open_at(dfd, "box", O_RDONLY, MH_ANY_UID, NULL, why, sizeof(why)),
                     MH_E_UNSAFE);
    assert_non_null(strstr(why, "hard links"));

    /* names with slashes or dots */
    assert_int_equal(mh_safe_open_at(dfd, "../box", O_RDONLY, MH_ANY_UID, NULL, why,
                                     sizeof(why)), -EINVAL);
    assert_int_equal(mh_safe_opendir_at(dfd, "..", MH_ANY_UID, NULL, why, sizeof(why)), -EINVAL);

    /* directories: a real one opens, a symlink to one does not */
    assert_int_equal(mkdirat(dfd, "md", 0700), 0);
    fd = mh_safe_opendir_at(dfd, "md", MH_ANY_UID, &st, why, sizeof(why));
    assert_true(fd >= 0);
    /* the descriptor is that directory, and st describes it */
    {
        struct stat fst, md;

        assert_int_equal(fstat(fd, &fst), 0);
        assert_int_equal(fstatat(dfd, "md", &md, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(fst.st_dev == md.st_dev && fst.st_ino == md.st_ino);
        assert_true(st.st_ino == md.st_ino && S_ISDIR(st.st_mode));
    }
    close(fd);
    /* a directory of another owner than expected */
    assert_int_equal(mh_safe_opendir_at(dfd, "md", getuid() + 4242, NULL, why, sizeof(why)),
                     MH_E_UNSAFE);
    assert_non_null(strstr(why, "owned by uid"));
    /* not there: the errno, not "symbolic link" */
    assert_int_equal(mh_safe_opendir_at(dfd, "nothere", MH_ANY_UID, NULL, why, sizeof(why)),
                     -ENOENT);
    assert_int_equal(mh_safe_open_at(dfd, "nothere", O_RDONLY, MH_ANY_UID, NULL, why,
                                     sizeof(why)), -ENOENT);
    /* a FIFO planted as a mailbox: not a regular file (and no hang) */
    assert_int_equal(mkfifoat(dfd, "fifo", 0600), 0);
    assert_int_equal(mh_safe_open_at(dfd, "fifo", O_RDONLY, MH_ANY_UID, NULL, why,
                                     sizeof(why)), MH_E_UNSAFE);
    assert_non_null(strstr(why, "not a regular file"));
    unlinkat(dfd, "fifo", 0);
    /* descriptor 0 closed: the first file opened gets it, and 0 is a
     * descriptor, not a failure */
    {
        int saved = dup(0);

        assert_true(saved > 0);
        close(0);
        assert_int_equal(mh_safe_create_at(dfd, "zero", O_WRONLY, 0600, why, sizeof(why)), 0);
        close(0);
        assert_int_equal(mh_safe_open_at(dfd, "zero", O_RDONLY, MH_ANY_UID, NULL, why,
                                         sizeof(why)), 0);
        close(0);
        assert_int_equal(mh_safe_opendir_at(dfd, "md", MH_ANY_UID, NULL, why, sizeof(why)), 0);
        close(0);
        assert_int_equal(dup2(saved, 0), 0);
        close(saved);
        unlinkat(dfd, "zero", 0);
    }
    assert_int_equal(symlinkat("/etc", dfd, "mdlink"), 0);
    assert_int_equal(mh_safe_opendir_at(dfd, "mdlink", MH_ANY_UID, NULL, why, sizeof(why)),
                     MH_E_UNSAFE);
    assert_non_null(strstr(why, "symbolic link"));
    /* a regular file is not a directory */
    assert_true(mh_safe_opendir_at(dfd, "box", MH_ANY_UID, NULL, why, sizeof(why)) < 0);

    unlinkat(dfd, "box", 0);
    unlinkat(dfd, "box2", 0);
    unlinkat(dfd, "evil", 0);
    unlinkat(dfd, "dangle", 0);
    unlinkat(dfd, "mdlink", 0);
    unlinkat(dfd, "md", AT_REMOVEDIR);
    close(dfd);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rc_text),
        cmocka_unit_test(test_pfconf_parse_line),
        cmocka_unit_test(test_pfconf_real_postconf),
        cmocka_unit_test(test_pfconf_missing_postconf),
        cmocka_unit_test(test_pfconf_extra_lines),
        cmocka_unit_test(test_pfconf_time),
        cmocka_unit_test(test_safeopen),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
