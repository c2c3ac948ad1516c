// SPDX-License-Identifier: GPL-2.0-or-later
/* test_spool_lock - unit tests of helpers/spool/spool_lock.c: Postfix time
 * values, dot-lock names, and the judgement of every kind of USER.lock
 * (in use, stale, removed, and each unsafe kind left alone) in a
 * temporary spool, with the clock passed in instead of slept through. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mh_rc.h"
#include "../../helpers/spool/spool.h"
#include "spool_fixture.h"

static void
test_parse_time(void **state)
{
    long v = -1;

    (void) state;
    assert_int_equal(spool_parse_time("500s", &v), MH_OK);
    assert_int_equal(v, 500);
    assert_int_equal(spool_parse_time("500", &v), MH_OK);
    assert_int_equal(v, 500);
    assert_int_equal(spool_parse_time("0", &v), MH_OK);
    assert_int_equal(v, 0);
    assert_int_equal(spool_parse_time("10m", &v), MH_OK);
    assert_int_equal(v, 600);
    assert_int_equal(spool_parse_time("2h", &v), MH_OK);
    assert_int_equal(v, 7200);
    assert_int_equal(spool_parse_time("1d", &v), MH_OK);
    assert_int_equal(v, 86400);
    assert_int_equal(spool_parse_time("1w", &v), MH_OK);
    assert_int_equal(v, 604800);
    assert_int_equal(spool_parse_time("", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time("s", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time("-1", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time("5x", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time("5ss", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time(" 5", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time("99999999999999999999", &v), MH_E_PARSE);
    assert_int_equal(spool_parse_time("100000000w", &v), MH_E_PARSE);
}

static void
test_lock_name(void **state)
{
    (void) state;
    assert_int_equal(spool_lock_name("bob.lock", 8), 3);
    assert_int_equal(spool_lock_name("a.lock", 6), 1);
    assert_int_equal(spool_lock_name(".lock", 5), 0);
    assert_int_equal(spool_lock_name(".bob.lock", 9), 0);
    assert_int_equal(spool_lock_name("bob.lck", 7), 0);
    assert_int_equal(spool_lock_name("bob", 3), 0);
    assert_int_equal(spool_lock_name("bob.lock.x", 10), 0);
}

/* touch - a new file NAME in DIR of SIZE bytes, owned by UID */
static void
touch(const char *dir, const char *name, uid_t uid, size_t size)
{
    sf_make_file(dir, name, uid, (gid_t) -1, 0644, size);
}

static void
test_lock_entries(void **state)
{
    char path[512], text[256], other[512], why[256];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_report rep = { 0 };
    struct spool_sel sel = { 0, 0, NULL };
    struct spool_opts opts;
    uid_t me = getuid();
    const char *spool, *d;
    int dirfd;
    time_t now;

    (void) state;
    /* "me" is this process's uid and the only selected account */
    snprintf(text, sizeof(text), "me:x:%lu:%lu::/:/bin/sh\nother:x:%lu:0::/:/bin/sh\n",
             (unsigned long) me, (unsigned long) getgid(), (unsigned long) me + 1);
    sf_passwd(&fx, text);
    sel.uid_min = me;
    sel.uid_max = me;
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    sf_spool(&fx, 0755, SPOOL_MBOX, 0755);
    spool = fx.spool;
    opts = fx.opts;
    opts.stale_lock_time = 500;
    dirfd = open(spool, O_RDONLY | O_DIRECTORY);
    assert_true(dirfd >= 0);

    touch(spool, "me.lock", me, 0);
    touch(spool, "other.lock", me, 0);      /* not selected: never judged */
    touch(spool, "nobody.lock", me, 0);     /* no account */
    now = time(NULL);

    /* young: nothing for the audit, "locked" for a listing, kept by remove */
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_AUDIT, now,
                                      &rep), MH_OK);
    assert_int_equal(rep.n, 0);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE, now,
                                      &rep), MH_OK);
    d = sf_find(&rep, SPOOL_F_LOCKED, "me.lock");
    assert_non_null(d);
    assert_non_null(strstr(d, "stale after 500 s"));
    assert_int_equal(rep.problems, 0);
    snprintf(path, sizeof(path), "%s/me.lock", spool);
    assert_int_equal(access(path, F_OK), 0);
    /* a clock behind the lock's (skew between nodes): in use, age 0 */
    spool_report_free(&rep);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_LIST,
                                      now - 100, &rep), MH_OK);
    assert_string_equal(sf_find(&rep, SPOOL_F_LOCKED, "me.lock"),
                        "in use: 0 s old, stale after 500 s");
    spool_report_free(&rep);

    /* 1000 s later: stale in the audit, removed by remove */
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_AUDIT,
                                      now + 1000, &rep), MH_OK);
    d = sf_find(&rep, SPOOL_F_STALE, "me.lock");
    assert_non_null(d);
    assert_non_null(strstr(d, "(stale_lock_time 500 s)"));
    assert_int_equal(rep.problems, 1);
    assert_int_equal(access(path, F_OK), 0);
    spool_report_free(&rep);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "other.lock", 10, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "nobody.lock", 11, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_int_equal(rep.n, 0);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_non_null(sf_find(&rep, SPOOL_F_REMOVED, "me.lock"));
    assert_int_equal(rep.problems, 0);
    assert_int_equal(access(path, F_OK), -1);
    /* gone meanwhile: nothing to say */
    spool_report_free(&rep);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_int_equal(rep.n, 0);

    /* unsafe kinds, each left in place */
    assert_int_equal(symlink("/etc/hostname", path), 0);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "me.lock"),
                        "symbolic link where a dot-lock should be; left alone");
    assert_int_equal(unlink(path), 0);
    spool_report_free(&rep);

    touch(spool, "me.lock", me, 65);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "me.lock"),
                        "65 bytes: too big for a dot-lock; left alone");
    assert_int_equal(unlink(path), 0);
    spool_report_free(&rep);

    touch(spool, "me.lock", me, SPOOL_LOCK_MAX_SIZE);
    snprintf(other, sizeof(other), "%s/hardlink", fx.dir);
    assert_int_equal(link(path, other), 0);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "me.lock"),
                        "2 hard links to a dot-lock; left alone");
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(unlink(other), 0);
    spool_report_free(&rep);
    /* one link again, at the size limit: removed */
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_non_null(sf_find(&rep, SPOOL_F_REMOVED, "me.lock"));
    spool_report_free(&rep);

    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                      now + 1000, &rep), MH_OK);
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "me.lock"),
                        "directory where a dot-lock should be; left alone");
    assert_int_equal(rmdir(path), 0);
    spool_report_free(&rep);

    if (me == 0) {
        /* owned by someone else than the user or root */
        touch(spool, "me.lock", 4242, 0);
        assert_int_equal(spool_lock_entry(&opts, &accts, dirfd, "me.lock", 7, SPOOL_LOCKS_REMOVE,
                                          now + 1000, &rep), MH_OK);
        d = sf_find(&rep, SPOOL_F_UNSAFE, "me.lock");
        assert_non_null(d);
        assert_non_null(strstr(d, "owned by uid 4242"));
        assert_int_equal(access(path, F_OK), 0);
        assert_int_equal(unlink(path), 0);
        spool_report_free(&rep);
    }

    /* the walk over the directory: only the selected account's lock */
    touch(spool, "me.lock", me, 0);
    opts.stale_lock_time = 0;
    sleep(1);
    assert_int_equal(spool_locks(&opts, &accts, SPOOL_LOCKS_REMOVE, &rep, why, sizeof(why)), MH_OK);
    assert_int_equal(rep.n, 1);
    assert_non_null(sf_find(&rep, SPOOL_F_REMOVED, "me.lock"));
    spool_report_free(&rep);
    opts.dir = "/nonexistent/mh-spool";
    assert_true(spool_locks(&opts, &accts, SPOOL_LOCKS_LIST, &rep, why, sizeof(why)) < 0);
    assert_non_null(strstr(why, "open /nonexistent/mh-spool"));

    close(dirfd);
    spool_accts_free(&accts);
    sf_done(&fx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_lock_name),
        cmocka_unit_test(test_lock_entries),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
