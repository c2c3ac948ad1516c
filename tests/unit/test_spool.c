// SPDX-License-Identifier: GPL-2.0-or-later
/* test_spool - unit tests of helpers/spool: parsing, account selection,
 * audit and create against a temporary spool, output quoting, the maps
 * parser and finding a process that holds a file of a device; the
 * passwd-file parser and the accounts' hash table, group members, every
 * finding kind of the audit with its order, and a spool bigger than one
 * getdents64 buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "../../helpers/spool/spool.h"
#include "spool_fixture.h"

/* getrandom() and pread(), wrapped (the Makefile links this test with
 * -Wl,--wrap=getrandom,--wrap=pread): the real ones unless a test sets
 * fake_random or fake_pread.  fake_random 1 draws the bytes 0 0 0 0 0 0 0
 * N on its Nth call (counted from 0), 2 fails with ENOSYS; with
 * fake_close0 the first draw closes descriptor 0, so that the next open
 * gets it.  fake_pread 1 reads nothing (a file that lost its content). */
ssize_t __real_getrandom(void *buf, size_t len, unsigned flags);
ssize_t __wrap_getrandom(void *buf, size_t len, unsigned flags);
ssize_t __real_pread(int fd, void *buf, size_t len, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off);
static int fake_random;
static int fake_random_calls;
static int fake_close0;
static int fake_pread;

ssize_t
__wrap_getrandom(void *buf, size_t len, unsigned flags)
{
    if (fake_random == 0) {
        return __real_getrandom(buf, len, flags);
    }
    if (fake_close0 && fake_random_calls == 0) {
        close(0);
    }
    if (fake_random == 2) {
        fake_random_calls++;
        errno = ENOSYS;
        return -1;
    }
    memset(buf, 0, len);
    ((unsigned char *) buf)[len - 1] = (unsigned char) fake_random_calls++;
    return (ssize_t) len;
}

ssize_t
__wrap_pread(int fd, void *buf, size_t len, off_t off)
{
    if (fake_pread == 0) {
        return __real_pread(fd, buf, len, off);
    }
    return 0;
}

static void
test_parse(void **state)
{
    enum spool_format f;
    mode_t m;

    assert_int_equal(spool_parse_mode("2775", &m), MH_OK);
    assert_int_equal(m, 02775);
    assert_int_equal(spool_parse_mode("755", &m), MH_OK);
    assert_int_equal(m, 0755);
    assert_int_equal(spool_parse_mode("0789", &m), MH_E_PARSE);
    assert_int_equal(spool_parse_mode("12", &m), MH_E_PARSE);
    assert_int_equal(spool_parse_mode("12345", &m), MH_E_PARSE);
    assert_int_equal(spool_parse_format("maildir", &f), MH_OK);
    assert_int_equal(f, SPOOL_MAILDIR);
    assert_int_equal(spool_parse_format("Maildir", &f), MH_E_PARSE);
    assert_true(spool_mode_ok(02775));
    assert_true(spool_mode_ok(01777));
    assert_false(spool_mode_ok(0777));
    assert_false(spool_mode_ok(0772));
    assert_true(spool_skip_name("lost+found"));
    assert_true(spool_skip_name(".mailha-rwcheck"));
    assert_true(spool_skip_name("bob.lock"));
    assert_true(spool_skip_name(".lock"));
    assert_false(spool_skip_name("bob"));
}

static void
test_maps_line(void **state)
{
    unsigned maj = 0, min = 0;

    assert_int_equal(spool_maps_line_dev("7f00-7f10 r--p 00000000 07:1a 1234   /x/y\n",
                                         &maj, &min), MH_OK);
    assert_int_equal(maj, 7);
    assert_int_equal(min, 26);
    assert_int_equal(spool_maps_line_dev("7f00-7f10 rw-p 00000000 00:00 0\n", &maj, &min),
                     MH_OK);
    assert_int_equal(maj, 0);
    assert_int_equal(spool_maps_line_dev("7f00-7f10 r--p 00000000", &maj, &min), MH_E_PARSE);
    assert_int_equal(spool_maps_line_dev("a b c zz:01 1", &maj, &min), MH_E_PARSE);
    assert_int_equal(spool_maps_line_dev("a b c 01:zz 1", &maj, &min), MH_E_PARSE);
    assert_int_equal(spool_maps_line_dev("", &maj, &min), MH_E_PARSE);
}

/* three users in 5000..5099 (one name twice) and one outside */
static const char passwd_three[] =
    "root:x:0:0::/root:/bin/sh\n"
    "ann:x:5001:5001::/nonexistent:/usr/sbin/nologin\n"
    "ben:x:5002:5002::/nonexistent:/usr/sbin/nologin\n"
    "ann:x:5999:5999::/dup:/usr/sbin/nologin\n"
    "sys:x:100:100::/nonexistent:/usr/sbin/nologin\n";

static void
test_accounts(void **state)
{
    char why[256];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_sel sel = { 5000, 5099, NULL };
    struct spool_acct *a;

    sf_passwd(&fx, passwd_three);
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(accts.n, 4);
    a = spool_accts_find(&accts, "ann");
    assert_non_null(a);
    /* the first of a duplicated name wins, as for getpwnam */
    assert_int_equal(a->uid, 5001);
    assert_true(a->selected);
    assert_false(spool_accts_find(&accts, "sys")->selected);
    assert_null(spool_accts_find(&accts, "nobody-here"));
    spool_accts_free(&accts);

    sel.group = "mailha-no-such-group";
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_E_NOTFOUND);
    assert_non_null(strstr(why, "mailha-no-such-group"));
    sel.group = NULL;
    assert_true(spool_accts_load(&accts, "/nonexistent/passwd", &sel, why, sizeof(why)) < 0);
    sf_done(&fx);
}

static void
test_audit_create(void **state)
{
    char path[512], why[256];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_report rep = { 0 };
    struct spool_sel sel = { 5000, 5099, NULL };
    const char *spool;
    struct stat st;
    size_t i, missing = 0, orphan = 0, unsafe = 0;

    sf_passwd(&fx, passwd_three);
    sf_spool(&fx, 02775, SPOOL_MBOX, 02775);
    spool = fx.spool;
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);

    /* an orphan, and a symlink where ben's mailbox goes */
    snprintf(path, sizeof(path), "%s/gone", spool);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    snprintf(path, sizeof(path), "%s/ben", spool);
    assert_int_equal(symlink("/etc/hostname", path), 0);

    assert_int_equal(spool_audit(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
    for (i = 0; i < rep.n; i++) {
        missing += rep.v[i].kind == SPOOL_F_MISSING;
        orphan += rep.v[i].kind == SPOOL_F_ORPHAN;
        unsafe += rep.v[i].kind == SPOOL_F_UNSAFE;
    }
    assert_int_equal(missing, 1);      /* ann */
    assert_int_equal(orphan, 1);       /* gone */
    assert_int_equal(unsafe, 1);       /* ben's symlink */
    assert_int_equal(rep.problems, 3);
    spool_report_free(&rep);

    assert_int_equal(spool_create(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
    snprintf(path, sizeof(path), "%s/ann", spool);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_uid, 5001);
    assert_int_equal(st.st_mode & 07777, 0600);
    /* the symlink is still a symlink, its target untouched */
    snprintf(path, sizeof(path), "%s/ben", spool);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    spool_report_free(&rep);

    /* a policy that would make the spool world-writable is refused */
    fx.opts.mode = 0777;
    assert_int_equal(spool_policy(&fx.opts, &rep, why, sizeof(why)), MH_E_CONFIG);
    fx.opts.mode = 02770;
    assert_int_equal(spool_policy(&fx.opts, &rep, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(spool, &st), 0);
    assert_int_equal(st.st_mode & 07777, 02770);
    spool_report_free(&rep);

    /* descriptor 0 closed: the spool's directory gets it, and that is a
     * descriptor like any other */
    {
        int saved = dup(0);

        assert_true(saved > 0);
        close(0);
        assert_int_equal(spool_audit(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
        assert_int_equal(rep.problems, 2);     /* gone, ben's symlink */
        spool_report_free(&rep);
        assert_int_equal(spool_create(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
        spool_report_free(&rep);
        assert_int_equal(spool_policy(&fx.opts, &rep, why, sizeof(why)), MH_OK);
        spool_report_free(&rep);
        assert_int_equal(dup2(saved, 0), 0);
        close(saved);
    }
    spool_accts_free(&accts);
    sf_done(&fx);
}

static void
test_quote(void **state)
{
    struct spool_report rep = { 0 };
    struct spool_opts opts = { .dir = "/s" };
    char *buf = NULL;
    size_t len = 0;
    FILE *fp;

    (void) state;
    /* the report quotes names by the one rule (mh_json): UTF-8 kept,
     * a byte outside it U+FFFD in JSON; control bytes \u00XX in JSON,
     * \xHH in text; other bytes as they are in text */
    assert_int_equal(spool_report_add(&rep, SPOOL_F_ORPHAN, "a\"b\\c\nd\xff\xc3\xa9\x7f", "x"), 0);
    fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    spool_report_print(fp, &rep, &opts, "orphans", 1);
    fclose(fp);
    assert_non_null(strstr(buf, "\"name\":\"a\\\"b\\\\c\\u000ad\\ufffd\xc3\xa9\\u007f\",\"detail\":\"x\"}"));
    free(buf);
    buf = NULL;
    fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    spool_report_print(fp, &rep, &opts, "orphans", 0);
    fclose(fp);
    assert_non_null(strstr(buf, " a\"b\\c\\x0ad\xff\xc3\xa9\\x7f: x\n"));
    free(buf);
    spool_report_free(&rep);
}

static void
test_holders(void **state)
{
    char path[] = "/tmp/mh-spoolut-holder-XXXXXX";
    char why[256];
    struct spool_holders hs;
    struct stat st;
    int fds[2], fd, found = 0;
    size_t i;
    pid_t child;
    char c;

    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(pipe(fds), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        /* hold the file open, tell the parent, wait to be killed */
        if (write(fds[1], "x", 1) != 1) {
            _exit(1);
        }
        pause();
        _exit(0);
    }
    close(fd);
    close(fds[1]);
    assert_int_equal(read(fds[0], &c, 1), 1);
    assert_int_equal(spool_holders_find("/proc", st.st_dev, &hs, why, sizeof(why)), MH_OK);
    for (i = 0; i < hs.n; i++) {
        assert_true(hs.v[i].pid != getpid());
        if (hs.v[i].pid == child) {
            found = 1;
        }
    }
    assert_true(found);
    assert_true(spool_holders_signal(&hs, 0) >= 1);
    spool_holders_free(&hs);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    close(fds[0]);
    unlink(path);

    /* not a mount point: refused, never "the parent's filesystem" */
    assert_int_equal(spool_mount_dev("/tmp/..", &st.st_dev, why, sizeof(why)) == MH_OK
                     || spool_mount_dev("/", &st.st_dev, why, sizeof(why)) == MH_E_CONFIG, 1);
    assert_int_equal(spool_mount_dev("relative", &st.st_dev, why, sizeof(why)), MH_E_CONFIG);
}

static void
test_rwcheck(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char path[256], why[256];

    assert_non_null(mkdtemp(dir));
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), MH_OK);
    snprintf(path, sizeof(path), "%s/.mailha-rwcheck", dir);
    assert_int_equal(access(path, F_OK), -1);
    rmdir(dir);
    assert_true(spool_rwcheck(dir, why, sizeof(why)) < 0);
    assert_non_null(strstr(why, dir));
}

/* rw_entries - how many names DIR holds, besides . and .. */
static int
rw_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

/* rw_take - create the status file name the Nth fake draw gives */
static void
rw_take(const char *dir, int n)
{
    char path[256];
    int fd;

    snprintf(path, sizeof(path), "%s/.mailha-rwcheck.00000000000000%02x", dir, n);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "mine\n", 5), 5);
    close(fd);
}

/* rw_mine - the file rw_take made is still there, unchanged */
static int
rw_mine(const char *dir, int n)
{
    char path[256], buf[16];
    ssize_t got;
    int fd;

    snprintf(path, sizeof(path), "%s/.mailha-rwcheck.00000000000000%02x", dir, n);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        return 0;
    }
    got = read(fd, buf, sizeof(buf));
    close(fd);
    return got == 5 && memcmp(buf, "mine\n", 5) == 0;
}

/* A check that passes leaves nothing behind, says nothing in WHY and
 * returns 0 whatever errno held when it was called. */
static void
test_rwcheck_clean(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char why[256] = "untouched";

    assert_non_null(mkdtemp(dir));
    errno = EBADMSG;
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), MH_OK);
    assert_string_equal(why, "untouched");
    assert_int_equal(rw_entries(dir), 0);
    errno = 0;
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), MH_OK);
    assert_string_equal(why, "untouched");
    assert_int_equal(rw_entries(dir), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* Descriptor 0 is a descriptor like any other: a helper started with
 * stdin closed gets it for the directory, or for the status file. */
static void
test_rwcheck_low_fds(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char why[256] = "untouched";
    int saved, rc;

    assert_non_null(mkdtemp(dir));
    saved = dup(0);
    assert_true(saved > 0);

    /* the directory on 0 */
    close(0);
    errno = EBADMSG;
    rc = spool_rwcheck(dir, why, sizeof(why));
    assert_int_equal(dup2(saved, 0), 0);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(why, "untouched");
    assert_int_equal(rw_entries(dir), 0);

    /* the status file on 0 (closed after the directory was opened), and
     * closed again when the check is done */
    fake_random = 1;
    fake_random_calls = 0;
    fake_close0 = 1;
    errno = EBADMSG;
    rc = spool_rwcheck(dir, why, sizeof(why));
    fake_close0 = 0;
    fake_random = 0;
    assert_int_equal(fcntl(0, F_GETFD), -1);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(why, "untouched");
    assert_int_equal(fake_random_calls, 1);
    assert_int_equal(rw_entries(dir), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* A name already taken is another draw, never opened or removed; after
 * 8 taken names the check fails with EEXIST. */
static void
test_rwcheck_names(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char why[256];

    assert_non_null(mkdtemp(dir));
    for (int n = 0; n < 3; n++) {
        rw_take(dir, n);
    }
    fake_random = 1;
    fake_random_calls = 0;
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), MH_OK);
    assert_int_equal(fake_random_calls, 4);
    assert_int_equal(rw_entries(dir), 3);
    for (int n = 3; n < 8; n++) {
        rw_take(dir, n);
    }
    fake_random_calls = 0;
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), -EEXIST);
    fake_random = 0;
    assert_int_equal(fake_random_calls, 8);
    assert_int_equal(rw_entries(dir), 8);
    for (int n = 0; n < 8; n++) {
        char path[256];

        assert_true(rw_mine(dir, n));
        snprintf(path, sizeof(path), "%s/.mailha-rwcheck.00000000000000%02x", dir, n);
        unlink(path);
    }
    assert_int_equal(rmdir(dir), 0);
}

/* Each failed step is reported with its own code and removes the status
 * file: no random bytes, a write past RLIMIT_FSIZE, a file that reads
 * back empty. */
static void
test_rwcheck_fails(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char why[256];
    struct rlimit old, zero;
    void (*oldxfsz)(int);

    assert_non_null(mkdtemp(dir));

    fake_random = 2;
    fake_random_calls = 0;
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), -EIO);
    fake_random = 0;
    assert_non_null(strstr(why, "getrandom"));
    assert_int_equal(rw_entries(dir), 0);

    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    zero = old;
    zero.rlim_cur = 0;
    oldxfsz = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &zero), 0);
    errno = 0;
    assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), -EFBIG);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, oldxfsz);
    assert_non_null(strstr(why, "write"));
    assert_int_equal(rw_entries(dir), 0);

    fake_pread = 1;
    for (int e = 0; e < 2; e++) {
        errno = e ? EBADMSG : 0;
        assert_int_equal(spool_rwcheck(dir, why, sizeof(why)), -EIO);
        assert_non_null(strstr(why, "content differs"));
        assert_int_equal(rw_entries(dir), 0);
    }
    fake_pread = 0;
    assert_int_equal(rmdir(dir), 0);
}

static void
test_passwd_lines(void **state)
{
    char why[256];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_sel sel = { 5000, 5099, NULL };
    struct spool_acct *a;

    /* what nss_files accepts, and what it skips */
    sf_passwd(&fx,
              "# a comment:x:5000:5000::/:/bin/sh\n"
              "\n"
              "   indented:x:5003:5003::/:/bin/sh\n"
              "short:x:5004:5004\n"
              "+nis:x:5005:5005::/:/bin/sh\n"
              "-gone:x:5006:5006::/:/bin/sh\n"
              "badid:x:50x7:5007::/:/bin/sh\n"
              "noid:x::5008::/:/bin/sh\n"
              "huge:x:4294967296:5009::/:/bin/sh\n"
              "nogid:x:5010\n"
              ":x:5011:5011::/:/bin/sh\n"
              "maxid:x:4294967295:5012::/:/bin/sh\n"
              "last:x:5013:5013::/:/bin/sh");         /* no final newline */
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(accts.n, 4);
    a = spool_accts_find(&accts, "indented");
    assert_non_null(a);
    assert_int_equal(a->uid, 5003);
    assert_true(a->selected);
    a = spool_accts_find(&accts, "short");
    assert_non_null(a);
    assert_int_equal(a->gid, 5004);
    a = spool_accts_find(&accts, "maxid");
    assert_non_null(a);
    assert_int_equal(a->uid, 4294967295U);
    assert_false(a->selected);
    assert_non_null(spool_accts_find(&accts, "last"));
    assert_null(spool_accts_find(&accts, "+nis"));
    assert_null(spool_accts_find(&accts, "nis"));
    assert_null(spool_accts_find(&accts, "-gone"));
    assert_null(spool_accts_find(&accts, "badid"));
    assert_null(spool_accts_find(&accts, "noid"));
    assert_null(spool_accts_find(&accts, "huge"));
    assert_null(spool_accts_find(&accts, "nogid"));
    assert_null(spool_accts_find(&accts, ""));
    assert_null(spool_accts_find(&accts, "# a comment"));
    spool_accts_free(&accts);

    /* an empty file: no accounts, lookups still answer */
    sf_write_file(fx.passwd, "");
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(accts.n, 0);
    assert_null(spool_accts_find(&accts, "anyone"));
    spool_accts_free(&accts);
    sf_done(&fx);
}

static void
test_accounts_table(void **state)
{
    char why[256], name[32];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_sel sel = { 20000, 29999, NULL };
    struct spool_acct **v, *a;
    size_t i, n;
    FILE *fp;

    sf_passwd(&fx, NULL);
    fp = fopen(fx.passwd, "w");
    assert_non_null(fp);
    /* 20000 accounts written in descending name order, half selected,
     * then every tenth again with another uid (the first must win) */
    for (i = 20000; i > 0; i--) {
        fprintf(fp, "user%05zu:x:%zu:100::/:/bin/sh\n", i - 1, 10000 + 2 * (i - 1));
    }
    for (i = 0; i < 20000; i += 10) {
        fprintf(fp, "user%05zu:x:7:7::/dup:/bin/sh\n", i);
    }
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(accts.n, 20000);
    for (i = 0; i < 20000; i++) {
        snprintf(name, sizeof(name), "user%05zu", i);
        a = spool_accts_find(&accts, name);
        assert_non_null(a);
        assert_string_equal(a->name, name);
        assert_int_equal(a->uid, 10000 + 2 * i);
        assert_int_equal(a->selected, a->uid >= 20000 && a->uid <= 29999);
    }
    /* by length: a directory entry is not NUL-terminated where we look */
    a = spool_accts_find_len(&accts, "user00042-and-more", 9);
    assert_non_null(a);
    assert_string_equal(a->name, "user00042");
    assert_null(spool_accts_find_len(&accts, "user00042", 8));
    assert_null(spool_accts_find(&accts, "user0004"));
    assert_null(spool_accts_find(&accts, "user000420"));
    assert_null(spool_accts_find(&accts, "user20000"));

    /* sorted views: the selected ones, then those not yet seen */
    v = spool_accts_sorted(&accts, 1, 0, &n);
    assert_non_null(v);
    assert_int_equal(n, 5000);
    for (i = 1; i < n; i++) {
        assert_true(strcmp(v[i - 1]->name, v[i]->name) < 0);
        assert_true(v[i]->selected);
    }
    free(v);
    for (i = 0; i < accts.n; i++) {
        accts.v[i].seen = accts.v[i].uid % 4 == 0;
    }
    v = spool_accts_sorted(&accts, 1, 1, &n);
    assert_non_null(v);
    assert_int_equal(n, 2500);
    for (i = 0; i < n; i++) {
        assert_false(v[i]->seen);
    }
    free(v);
    v = spool_accts_sorted(&accts, 0, 0, &n);
    assert_non_null(v);
    assert_int_equal(n, 20000);
    assert_string_equal(v[0]->name, "user00000");
    assert_string_equal(v[n - 1]->name, "user19999");
    free(v);
    spool_accts_free(&accts);
    sf_done(&fx);
}

static void
test_group_members(void **state)
{
    char why[256], text[1024];
    char gname[64], member[64];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_sel sel = { 5000, 5099, NULL };
    struct group *gr;
    gid_t gid = 0;

    /* a group of this node with a listed member */
    member[0] = '\0';
    setgrent();
    while ((gr = getgrent()) != NULL) {
        if (gr->gr_mem[0] != NULL && strlen(gr->gr_name) < sizeof(gname)
            && strlen(gr->gr_mem[0]) < sizeof(member)) {
            snprintf(gname, sizeof(gname), "%s", gr->gr_name);
            snprintf(member, sizeof(member), "%s", gr->gr_mem[0]);
            gid = gr->gr_gid;
            break;
        }
    }
    endgrent();
    if (member[0] == '\0') {
        print_message("no group with listed members on this node\n");
        skip();
    }
    /* the member by listing, one by primary group, one in neither, one
     * member outside the uid range */
    snprintf(text, sizeof(text),
             "%s:x:5001:%lu::/:/bin/sh\n"
             "primary:x:5002:%lu::/:/bin/sh\n"
             "other:x:5003:%lu::/:/bin/sh\n",
             member, (unsigned long) gid + 1, (unsigned long) gid, (unsigned long) gid + 1);
    sf_passwd(&fx, text);
    sel.group = gname;
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(accts.n, 3);
    assert_true(spool_accts_find(&accts, member)->selected);
    assert_true(spool_accts_find(&accts, "primary")->selected);
    assert_false(spool_accts_find(&accts, "other")->selected);
    spool_accts_free(&accts);
    sel.uid_min = 5002;
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_false(spool_accts_find(&accts, member)->selected);
    assert_true(spool_accts_find(&accts, "primary")->selected);
    spool_accts_free(&accts);
    sf_done(&fx);
}

/* make_mbox - an empty SPOOL/NAME owned by UID and group mail (8), with MODE */
static void
make_mbox(const char *spool, const char *name, uid_t uid, mode_t mode)
{
    sf_make_file(spool, name, uid, 8, mode, 0);
}

static void
test_audit_kinds(void **state)
{
    char path[512], path2[512], why[256];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_report rep = { 0 };
    struct spool_sel sel = { 6000, 6099, NULL };
    const char *spool, *d;
    size_t i, first_missing;

    sf_passwd(&fx,
              "zoe:x:6009:6009::/:/bin/sh\n"
              "ok:x:6001:6001::/:/bin/sh\n"
              "drifted:x:6002:6002::/:/bin/sh\n"
              "loose:x:6003:6003::/:/bin/sh\n"
              "linked:x:6004:6004::/:/bin/sh\n"
              "sym:x:6005:6005::/:/bin/sh\n"
              "adir:x:6006:6006::/:/bin/sh\n"
              "fifo:x:6007:6007::/:/bin/sh\n"
              "exec:x:6008:6008::/:/bin/sh\n"
              "mia:x:6010:6010::/:/bin/sh\n"
              "abe:x:6011:6011::/:/bin/sh\n");
    sf_spool(&fx, 0777, SPOOL_MBOX, 02775);
    spool = fx.spool;
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);

    make_mbox(spool, "ok", 6001, 0600);
    make_mbox(spool, "drifted", 6099, 0600);
    make_mbox(spool, "loose", 6003, 0644);
    make_mbox(spool, "exec", 6008, 0700);
    make_mbox(spool, "linked", 6004, 0600);
    snprintf(path, sizeof(path), "%s/linked", spool);
    snprintf(path2, sizeof(path2), "%s/elsewhere", fx.dir);
    assert_int_equal(link(path, path2), 0);
    snprintf(path, sizeof(path), "%s/sym", spool);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    snprintf(path, sizeof(path), "%s/adir", spool);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/fifo", spool);
    assert_int_equal(mkfifo(path, 0600), 0);
    make_mbox(spool, "stray", 6050, 0600);
    /* not mailboxes: skipped, never reported or counted */
    make_mbox(spool, ".hidden", 0, 0666);
    make_mbox(spool, "ok.lock", 0, 0666);
    snprintf(path, sizeof(path), "%s/lost+found", spool);
    assert_int_equal(mkdir(path, 0700), 0);

    assert_int_equal(spool_audit(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
    assert_int_equal(rep.mailboxes, 9);
    assert_non_null(strstr(sf_find(&rep, SPOOL_F_POLICY, ""), "world-writable"));
    assert_null(sf_find(&rep, SPOOL_F_MODE, "ok"));
    d = sf_find(&rep, SPOOL_F_DRIFT, "drifted");
    assert_non_null(d);
    assert_string_equal(d, "owned by uid 6099, but drifted is uid 6002 on this node");
    assert_string_equal(sf_find(&rep, SPOOL_F_MODE, "loose"), "mode 0644, want 0600");
    assert_string_equal(sf_find(&rep, SPOOL_F_MODE, "exec"), "mode 0700, want 0600");
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "linked"), "2 hard links to a mailbox");
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "sym"),
                        "symbolic link where a mailbox should be");
    assert_string_equal(sf_find(&rep, SPOOL_F_TYPE, "adir"), "directory where an mbox file should be");
    assert_string_equal(sf_find(&rep, SPOOL_F_UNSAFE, "fifo"),
                        "special file where an mbox file should be");
    assert_string_equal(sf_find(&rep, SPOOL_F_ORPHAN, "stray"),
                        "no account of that name, owner uid 6050");
    /* the missing ones come last, in name order, whatever the passwd order */
    for (first_missing = 0; first_missing < rep.n; first_missing++) {
        if (rep.v[first_missing].kind == SPOOL_F_MISSING) {
            break;
        }
    }
    assert_int_equal(rep.n - first_missing, 3);
    assert_string_equal(rep.v[first_missing].name, "abe");
    assert_string_equal(rep.v[first_missing + 1].name, "mia");
    assert_string_equal(rep.v[first_missing + 2].name, "zoe");
    assert_string_equal(rep.v[first_missing].detail, "no mbox for uid 6011");
    assert_int_equal(rep.problems, rep.n);
    assert_int_equal(rep.n, 1 + 8 + 3);
    for (i = 0; i < rep.n; i++) {
        assert_true(rep.v[i].name[0] != '.' && strcmp(rep.v[i].name, "lost+found") != 0
                    && strcmp(rep.v[i].name, "ok.lock") != 0);
    }
    spool_report_free(&rep);
    /* the audit changed nothing */
    snprintf(path, sizeof(path), "%s/drifted", spool);
    {
        struct stat st;

        assert_int_equal(lstat(path, &st), 0);
        assert_int_equal(st.st_uid, 6099);
    }
    spool_accts_free(&accts);
    sf_done(&fx);
}

static void
test_audit_maildir(void **state)
{
    char path[512], why[256];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_report rep = { 0 };
    struct spool_sel sel = { 0, 0, NULL };

    sf_passwd(&fx, "full:x:0:0::/:/bin/sh\npart:x:0:0::/:/bin/sh\nwide:x:0:0::/:/bin/sh\n"
              "file:x:0:0::/:/bin/sh\n");
    /* not set-gid: the maildirs would inherit the bit, a mode finding */
    sf_spool(&fx, 0775, SPOOL_MAILDIR, 0775);
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    snprintf(path, sizeof(path), "cd '%s' && mkdir -m 700 -p full/cur full/new full/tmp "
             "part/cur wide/cur wide/new wide/tmp && touch part/new "
             "&& chmod 700 full part && chmod 750 wide && touch file", fx.spool);
    assert_int_equal(system(path), 0);
    assert_int_equal(spool_audit(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
    assert_int_equal(rep.mailboxes, 4);
    assert_string_equal(sf_find(&rep, SPOOL_F_INCOMPLETE, "part"), "new/: not a directory");
    assert_int_equal(rep.problems, 3);
    assert_null(sf_find(&rep, SPOOL_F_INCOMPLETE, "full"));
    assert_null(sf_find(&rep, SPOOL_F_MODE, "wide"));
    assert_string_equal(sf_find(&rep, SPOOL_F_TYPE, "file"), "regular file where a maildir should be");
    {
        size_t i, tmp = 0;

        for (i = 0; i < rep.n; i++) {
            tmp += rep.v[i].kind == SPOOL_F_INCOMPLETE && strcmp(rep.v[i].name, "part") == 0
                && strstr(rep.v[i].detail, "tmp/: No such file") != NULL;
        }
        assert_int_equal(tmp, 1);
    }
    spool_report_free(&rep);
    spool_accts_free(&accts);
    sf_done(&fx);
}

static void
test_audit_big(void **state)
{
    char why[256], name[160];
    struct spool_fixture fx;
    struct spool_accts accts;
    struct spool_report rep = { 0 };
    struct spool_sel sel = { 0, 0, NULL };
    const char *spool;
    size_t i, n = 4000;
    FILE *fp;

    /* 4000 names of 120 bytes: several getdents64 buffers' worth */
    sf_passwd(&fx, NULL);
    sf_spool(&fx, 02775, SPOOL_MBOX, 02775);
    spool = fx.spool;
    fp = fopen(fx.passwd, "w");
    assert_non_null(fp);
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "%0120zu", i);
        fprintf(fp, "%s:x:0:0::/:/bin/sh\n", name);
        /* every 1000th is left out: it must be reported missing */
        if (i % 1000 != 999) {
            make_mbox(spool, name, 0, 0600);
        }
    }
    assert_int_equal(fclose(fp), 0);
    make_mbox(spool, "orphan-among-many", 0, 0600);
    assert_int_equal(spool_accts_load(&accts, fx.passwd, &sel, why, sizeof(why)), MH_OK);
    assert_int_equal(spool_audit(&fx.opts, &accts, &rep, why, sizeof(why)), MH_OK);
    assert_int_equal(rep.mailboxes, n - 4 + 1);
    assert_int_equal(rep.problems, 5);
    assert_non_null(sf_find(&rep, SPOOL_F_ORPHAN, "orphan-among-many"));
    snprintf(name, sizeof(name), "%0120zu", (size_t) 2999);
    assert_non_null(sf_find(&rep, SPOOL_F_MISSING, name));
    spool_report_free(&rep);
    spool_accts_free(&accts);
    sf_done(&fx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_maps_line),
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_passwd_lines),
        cmocka_unit_test(test_accounts_table),
        cmocka_unit_test(test_group_members),
        cmocka_unit_test(test_audit_create),
        cmocka_unit_test(test_audit_kinds),
        cmocka_unit_test(test_audit_maildir),
        cmocka_unit_test(test_audit_big),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_holders),
        cmocka_unit_test(test_rwcheck),
        cmocka_unit_test(test_rwcheck_clean),
        cmocka_unit_test(test_rwcheck_low_fds),
        cmocka_unit_test(test_rwcheck_names),
        cmocka_unit_test(test_rwcheck_fails),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
