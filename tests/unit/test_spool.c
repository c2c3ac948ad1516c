/* test_spool - unit tests of helpers/spool: parsing, account selection,
 * audit and create against a temporary spool, output quoting, the maps
 * parser and finding a process that holds a file of a device. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "../../helpers/spool/spool.h"

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

/* write_passwd - a passwd file with three users in 5000..5099 and one outside */
static void
write_passwd(const char *path)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs("root:x:0:0::/root:/bin/sh\n"
          "ann:x:5001:5001::/nonexistent:/usr/sbin/nologin\n"
          "ben:x:5002:5002::/nonexistent:/usr/sbin/nologin\n"
          "ann:x:5999:5999::/dup:/usr/sbin/nologin\n"
          "sys:x:100:100::/nonexistent:/usr/sbin/nologin\n", fp);
    fclose(fp);
}

static void
test_accounts(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char path[256], why[256];
    struct spool_accts accts;
    struct spool_sel sel = { 5000, 5099, NULL };
    struct spool_acct *a;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/passwd", dir);
    write_passwd(path);
    assert_int_equal(spool_accts_load(&accts, path, &sel, why, sizeof(why)), MH_OK);
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
    assert_int_equal(spool_accts_load(&accts, path, &sel, why, sizeof(why)), MH_E_NOTFOUND);
    assert_non_null(strstr(why, "mailha-no-such-group"));
    sel.group = NULL;
    assert_true(spool_accts_load(&accts, "/nonexistent/passwd", &sel, why, sizeof(why)) < 0);
    unlink(path);
    rmdir(dir);
}

static void
test_audit_create(void **state)
{
    char dir[] = "/tmp/mh-spoolut-XXXXXX";
    char path[512], spool[128], why[256];
    struct spool_accts accts;
    struct spool_report rep = { 0 };
    struct spool_sel sel = { 5000, 5099, NULL };
    struct spool_opts opts = { 0 };
    struct stat st;
    size_t i, missing = 0, orphan = 0, unsafe = 0;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/passwd", dir);
    snprintf(spool, sizeof(spool), "%s/spool", dir);
    write_passwd(path);
    assert_int_equal(mkdir(spool, 02775), 0);
    assert_int_equal(chmod(spool, 02775), 0);
    opts.dir = spool;
    opts.format = SPOOL_MBOX;
    opts.mode = 02775;
    opts.owner = getuid();
    opts.group = getgid();
    assert_int_equal(spool_accts_load(&accts, path, &sel, why, sizeof(why)), MH_OK);

    /* an orphan, and a symlink where ben's mailbox goes */
    snprintf(path, sizeof(path), "%s/gone", spool);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    snprintf(path, sizeof(path), "%s/ben", spool);
    assert_int_equal(symlink("/etc/hostname", path), 0);

    assert_int_equal(spool_audit(&opts, &accts, &rep, why, sizeof(why)), MH_OK);
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

    assert_int_equal(spool_create(&opts, &accts, &rep, why, sizeof(why)), MH_OK);
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
    opts.mode = 0777;
    assert_int_equal(spool_policy(&opts, &rep, why, sizeof(why)), MH_E_CONFIG);
    opts.mode = 02770;
    assert_int_equal(spool_policy(&opts, &rep, why, sizeof(why)), MH_OK);
    assert_int_equal(stat(spool, &st), 0);
    assert_int_equal(st.st_mode & 07777, 02770);
    spool_report_free(&rep);
    spool_accts_free(&accts);

    unlink(path);
    snprintf(path, sizeof(path), "%s/ann", spool);
    unlink(path);
    snprintf(path, sizeof(path), "%s/gone", spool);
    unlink(path);
    rmdir(spool);
    snprintf(path, sizeof(path), "%s/passwd", dir);
    unlink(path);
    rmdir(dir);
}

static void
test_quote(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(fp);
    spool_quote(fp, "a\"b\\c\nd\xff");
    fclose(fp);
    assert_string_equal(buf, "a\\\"b\\\\c\\u000ad\\u00ff");
    free(buf);
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_maps_line),
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_audit_create),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_holders),
        cmocka_unit_test(test_rwcheck),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
