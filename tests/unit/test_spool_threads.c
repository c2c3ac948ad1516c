// SPDX-License-Identifier: GPL-2.0-or-later
/* test_spool_threads - the audit shared between two threads reports the
 * same findings, in the same order, with the same counts, as one thread:
 * over a spool of 3000 entries of every kind (clean, orphan, drift, mode,
 * symlink, hard link, FIFO, directory, dot-lock, missing), mbox and
 * maildir. */
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
#include <unistd.h>

#include "mh_rc.h"
#include "../../helpers/spool/spool.h"

#define NACCT 3000

/* mkfile - an empty file at DIR/NAME, owned by UID, of MODE */
static void
mkfile(const char *dir, const char *name, uid_t uid, mode_t mode)
{
    char path[512];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_CREAT | O_WRONLY | O_EXCL, mode);
    assert_true(fd >= 0);
    assert_int_equal(fchown(fd, uid, (gid_t) -1), 0);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

/* fill - a hostile spool of the given format, accounts u0000.. at uid 30000.. */
static void
fill(const char *spool, enum spool_format fmt)
{
    char name[64], path[400], other[512];
    size_t i;

    for (i = 0; i < NACCT; i++) {
        snprintf(name, sizeof(name), "u%04zu", i);
        snprintf(path, sizeof(path), "%s/%s", spool, name);
        switch (i % 20) {
        case 19:
            continue;                               /* missing */
        case 18:
            assert_int_equal(symlink("/etc/passwd", path), 0);
            continue;
        case 17:
            assert_int_equal(mkfifo(path, 0600), 0);
            continue;
        default:
            break;
        }
        if (fmt == SPOOL_MBOX) {
            mkfile(spool, name, (uid_t) (30000 + i + (i % 20 == 16)), i % 20 == 15 ? 0644 : 0600);
            if (i % 20 == 14) {
                snprintf(other, sizeof(other), "%s/.hl-%s", spool, name);
                assert_int_equal(link(path, other), 0);
            }
            if (i % 20 == 13) {
                snprintf(name, sizeof(name), "u%04zu.lock", i);
                mkfile(spool, name, 0, 0600);
            }
        } else {
            assert_int_equal(mkdir(path, 0700), 0);
            snprintf(other, sizeof(other), "%s/cur", path);
            if (i % 20 != 12) {
                assert_int_equal(mkdir(other, 0700), 0);
            }
            snprintf(other, sizeof(other), "%s/new", path);
            assert_int_equal(mkdir(other, 0700), 0);
            snprintf(other, sizeof(other), "%s/tmp", path);
            assert_int_equal(mkdir(other, 0700), 0);
            assert_int_equal(chown(path, (uid_t) (30000 + i + (i % 20 == 16)), 0), 0);
            assert_int_equal(chmod(path, i % 20 == 15 ? 0755 : 0700), 0);
        }
    }
    for (i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "gone%03zu", i);
        mkfile(spool, name, 0, 0600);
    }
}

/* audit - SPOOL with THREADS; the report into REP */
static void
audit(const char *spool, const char *passwd, enum spool_format fmt, int threads,
      struct spool_report *rep)
{
    struct spool_accts accts;
    struct spool_sel sel = { 30000, 39999, NULL };
    struct spool_opts opts = { 0 };
    char why[256];

    opts.dir = spool;
    opts.format = fmt;
    opts.mode = 02775;
    opts.owner = getuid();
    opts.group = getgid();
    opts.stale_lock_time = -1;      /* every dot-lock is stale: reported */
    opts.threads = threads;
    assert_int_equal(spool_accts_load(&accts, passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(spool_audit(&opts, &accts, rep, why, sizeof(why)), MH_OK);
    spool_accts_free(&accts);
}

/* same - two reports, finding by finding */
static void
same(const struct spool_report *a, const struct spool_report *b)
{
    size_t i;

    assert_int_equal(a->n, b->n);
    assert_int_equal(a->problems, b->problems);
    assert_int_equal(a->mailboxes, b->mailboxes);
    assert_int_equal(a->locks, b->locks);
    for (i = 0; i < a->n; i++) {
        assert_int_equal(a->v[i].kind, b->v[i].kind);
        assert_string_equal(a->v[i].name, b->v[i].name);
        if (a->v[i].kind == SPOOL_F_STALE) {
            /* the age in seconds may tick between the two audits */
            assert_non_null(strstr(a->v[i].detail, " s old (stale_lock_time"));
            assert_string_equal(strstr(a->v[i].detail, " s old ("), strstr(b->v[i].detail, " s old ("));
        } else {
            assert_string_equal(a->v[i].detail, b->v[i].detail);
        }
    }
}

/* run - one format: one thread, two threads, and the default agree */
static void
run(enum spool_format fmt)
{
    char dir[] = "/tmp/mh-spoolth-XXXXXX";
    char path[512], spool[128];
    struct spool_report one = { 0 }, two = { 0 }, dflt = { 0 };
    size_t i, kinds[SPOOL_F_LAST] = { 0 };
    FILE *fp;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/passwd", dir);
    snprintf(spool, sizeof(spool), "%s/spool", dir);
    assert_int_equal(mkdir(spool, 0755), 0);
    fp = fopen(path, "w");
    assert_non_null(fp);
    for (i = 0; i < NACCT; i++) {
        fprintf(fp, "u%04zu:x:%zu:%zu::/:/bin/sh\n", i, 30000 + i, 30000 + i);
    }
    assert_int_equal(fclose(fp), 0);
    fill(spool, fmt);

    audit(spool, path, fmt, 1, &one);
    audit(spool, path, fmt, 2, &two);
    audit(spool, path, fmt, 0, &dflt);
    same(&one, &two);
    same(&one, &dflt);
    /* and the findings are the ones planted */
    for (i = 0; i < one.n; i++) {
        kinds[one.v[i].kind]++;
    }
    assert_int_equal(kinds[SPOOL_F_MISSING], NACCT / 20);
    assert_int_equal(kinds[SPOOL_F_ORPHAN], 100);
    assert_int_equal(kinds[SPOOL_F_DRIFT], NACCT / 20);
    assert_int_equal(kinds[SPOOL_F_MODE], NACCT / 20);
    if (fmt == SPOOL_MBOX) {
        assert_int_equal(kinds[SPOOL_F_STALE], NACCT / 20);
        assert_int_equal(kinds[SPOOL_F_UNSAFE], 3 * NACCT / 20);  /* symlink, FIFO, hard link */
    } else {
        assert_int_equal(kinds[SPOOL_F_INCOMPLETE], NACCT / 20);     /* no cur/ */
        assert_int_equal(kinds[SPOOL_F_UNSAFE], 2 * NACCT / 20);     /* symlink, FIFO */
    }
    spool_report_free(&one);
    spool_report_free(&two);
    spool_report_free(&dflt);
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

static void
test_threads_mbox(void **state)
{
    (void) state;
    run(SPOOL_MBOX);
}

static void
test_threads_maildir(void **state)
{
    (void) state;
    run(SPOOL_MAILDIR);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_mbox),
        cmocka_unit_test(test_threads_maildir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
