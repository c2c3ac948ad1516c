// SPDX-License-Identifier: GPL-2.0-or-later
/* test_alias_access - issue 15: alias_access, the only privilege drop in
 * the project, must look at how its child ended.  setgid() is replaced
 * here (the executable's definition wins over libc's) by one that fails,
 * as a drop can fail; the old check then read no answers, ignored the
 * child's exit status and reported nothing: every include file looked
 * readable by the delivery user. */
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
#include <sys/syscall.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_check.h"
#include "mh_alias_tables.h"

static int fail_setgid;

int
setgid(gid_t gid)
{
    (void) gid;
    if (fail_setgid) {
        errno = EPERM;
        return -1;
    }
    return (int) syscall(SYS_setgid, gid);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    assert_int_equal(chmod(path, mode), 0);
}

static int
has_finding(const struct alias_report *rep, enum alias_severity sev, const char *part)
{
    for (size_t i = 0; i < rep->n; i++) {
        if (rep->v[i].sev == sev && strstr(rep->v[i].msg, part) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void
test_drop_fails(void **state)
{
    char dir[] = "/tmp/mh-alacc-XXXXXX";
    char a[128], l[128], text[512], maps[200];
    struct alias_config cfg;
    struct alias_report rep;

    if (geteuid() != 0) {
        skip();
    }
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    snprintf(a, sizeof(a), "%s/aliases", dir);
    snprintf(l, sizeof(l), "%s/secret", dir);
    snprintf(text, sizeof(text), "root: admin@example.org\nlist: :include:%s\n"
             "owner-list: root\nlist-request: root\n", l);
    write_file(a, text, 0644);
    write_file(l, "root\n", 0644);
    /* a list owner's file: read with its owner's rights (local(8)) */
    assert_int_equal(chown(l, 65534, 65534), 0);
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    cfg.include_files = 1;
    /* the drop works: the file is readable, nothing to say */
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCOUNT | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_false(has_finding(&rep, ALIAS_WARNING, "could not test"));
    assert_false(has_finding(&rep, ALIAS_WARNING, "is not readable by delivery user"));
    alias_report_free(&rep);
    /* the drop fails: said so, and no file is called readable or not */
    memset(&rep, 0, sizeof(rep));
    fail_setgid = 1;
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCOUNT | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_true(has_finding(&rep, ALIAS_WARNING, "could not test whether delivery user nobody "
                            "can read the include files"));
    assert_false(has_finding(&rep, ALIAS_WARNING, "is not readable by delivery user"));
    alias_report_free(&rep);
    alias_config_free(&cfg);
    unlink(l);
    unlink(a);
    rmdir(dir);
}

/* issue 15 #1: include files are read with the rights local(8) uses: a
 * root-owned table's include file as root when root owns it, as its owner
 * otherwise, and whatever it includes with those rights; a list owner
 * cannot make this root process read a root-only file for them (named in
 * their list, or through a symlink), and no line of a file that is not
 * world-readable is ever quoted in a finding */
static void
test_include_rights(void **state)
{
    char dir[] = "/tmp/mh-alacc-XXXXXX";
    char a[128], l[128], l2[128], link[128], own[128], text[1024], maps[200];
    struct alias_config cfg;
    struct alias_report rep;

    if (geteuid() != 0) {
        skip();
    }
    fail_setgid = 0;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    snprintf(a, sizeof(a), "%s/aliases", dir);
    snprintf(l, sizeof(l), "%s/secret", dir);
    snprintf(link, sizeof(link), "%s/list", dir);
    snprintf(own, sizeof(own), "%s/owned", dir);
    snprintf(text, sizeof(text), "root: admin@example.org\nlist: :include:%s\n"
             "owner-list: root\nlist-request: root\nother: :include:%s\n"
             "owner-other: root\nother-request: root\nusers: :include:%s\n"
             "owner-users: root\nusers-request: root\n", l, link, own);
    write_file(a, text, 0644);
    write_file(l, "password = hunter2\nroot\n", 0600);
    assert_int_equal(symlink(l, link), 0);
    /* a list owned by a user (nobody), naming another root-only file
     * (each include file is checked once, with the rights of the first
     * reference: this one has only this one) */
    snprintf(l2, sizeof(l2), "%s/secret2", dir);
    write_file(l2, "password = hunter2\nroot\n", 0600);
    snprintf(text, sizeof(text), "root\n:include:%s\n", l2);
    write_file(own, text, 0644);
    assert_int_equal(chown(own, 65534, 65534), 0);
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCOUNT | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    for (size_t i = 0; i < rep.n; i++) {
        assert_null(strstr(rep.v[i].msg, "hunter2"));
        assert_null(strstr(rep.v[i].msg, "password"));
    }
    /* root-owned, named in the root-owned table: local(8) reads it as
     * root, so it is read, but its bad line is only pointed at */
    assert_true(has_finding(&rep, ALIAS_WARNING, "a line local(8) cannot use (not shown: the"
                            " file is not world-readable)"));
    assert_false(has_finding(&rep, ALIAS_WARNING, "secret is not readable by delivery user"));
    /* named in nobody's list: read with nobody's rights, which cannot */
    assert_true(has_finding(&rep, ALIAS_WARNING, "is not readable by delivery user nobody:"
                            " Permission denied"));
    alias_report_free(&rep);
    /* world-readable: read and checked, its line quoted as before */
    assert_int_equal(chmod(l, 0644), 0);
    assert_int_equal(chmod(l2, 0644), 0);
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCOUNT | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_true(has_finding(&rep, ALIAS_WARNING, "has unquoted blanks"));
    assert_false(has_finding(&rep, ALIAS_WARNING, "is not readable by delivery user"));
    alias_report_free(&rep);
    alias_config_free(&cfg);
    unlink(own);
    unlink(l2);
    unlink(link);
    unlink(l);
    unlink(a);
    rmdir(dir);
}

/* issue 15 #2: an error in a list file (a NUL byte) is a warning: it
 * does not stop the alias database (rebuild runs ERRORS_ONLY) */
static void
test_list_error_not_fatal(void **state)
{
    char dir[] = "/tmp/mh-alacc-XXXXXX";
    char a[128], l[128], text[512], maps[200];
    struct alias_config cfg;
    struct alias_report rep;
    FILE *fp;

    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    snprintf(a, sizeof(a), "%s/aliases", dir);
    snprintf(l, sizeof(l), "%s/list", dir);
    snprintf(text, sizeof(text), "root: admin@example.org\nlist: :include:%s\n"
             "owner-list: root\nlist-request: root\n", l);
    write_file(a, text, 0644);
    fp = fopen(l, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite("root\nbad\0byte\n", 1, 15, fp), 15);
    fclose(fp);
    assert_int_equal(chmod(l, 0644), 0);
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_ERRORS_ONLY | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_int_equal(rep.nerrors, 0);
    assert_true(has_finding(&rep, ALIAS_WARNING, "NUL byte"));
    assert_true(has_finding(&rep, ALIAS_WARNING, "the alias database is not affected"));
    alias_report_free(&rep);
    alias_config_free(&cfg);
    unlink(l);
    unlink(a);
    rmdir(dir);
}

/* count - findings whose message holds PART */
static size_t
count(const struct alias_report *rep, const char *part)
{
    size_t n = 0;

    for (size_t i = 0; i < rep->n; i++) {
        n += strstr(rep->v[i].msg, part) != NULL;
    }
    return n;
}

/* issue 15 #2: each include file (device and inode) is read once, one
 * is read only up to ALIAS_MAX_INCLUDE_SIZE, all of a run up to
 * ALIAS_MAX_INCLUDE_TOTAL (20 symlinks to one 500 MB sparse file took
 * 63 s and 516 MB) */
static void
test_include_budget(void **state)
{
    char dir[] = "/tmp/mh-alacc-XXXXXX";
    char a[128], l[160], text[16384], maps[200];
    struct alias_config cfg;
    struct alias_report rep;
    size_t off = 0;
    int fd;

    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    snprintf(a, sizeof(a), "%s/aliases", dir);
    snprintf(l, sizeof(l), "%s/list", dir);
    write_file(l, "root\nx y\n", 0644);
    off += (size_t) snprintf(text + off, sizeof(text) - off, "root: admin@example.org\n");
    for (int i = 0; i < 20; i++) {
        char link[160];

        snprintf(link, sizeof(link), "%s/link%d", dir, i);
        assert_int_equal(symlink(l, link), 0);
        off += (size_t) snprintf(text + off, sizeof(text) - off, "l%d: :include:%s\n"
                                 "owner-l%d: root\nl%d-request: root\n", i, link, i, i);
    }
    /* a sparse file over the per-file limit */
    snprintf(l, sizeof(l), "%s/huge", dir);
    fd = open(l, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, ALIAS_MAX_INCLUDE_SIZE + 1), 0);
    close(fd);
    off += (size_t) snprintf(text + off, sizeof(text) - off, "huge: :include:%s\n"
                             "owner-huge: root\nhuge-request: root\n", l);
    /* five files under it, over the total */
    for (int i = 0; i < 5; i++) {
        snprintf(l, sizeof(l), "%s/big%d", dir, i);
        fd = open(l, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "root\n", 5), 5);
        assert_int_equal(ftruncate(fd, ALIAS_MAX_INCLUDE_TOTAL / 4 - 1024), 0);
        close(fd);
        off += (size_t) snprintf(text + off, sizeof(text) - off, "big%d: :include:%s\n"
                                 "owner-big%d: root\nbig%d-request: root\n", i, l, i, i);
    }
    assert_true(off < sizeof(text));
    write_file(a, text, 0644);
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCOUNT | ALIAS_CHECK_NO_FRESH
                                     | ALIAS_CHECK_NO_ACCESS, &rep), MH_OK);
    /* the list, read once: its one bad line reported once */
    assert_int_equal(count(&rep, "has unquoted blanks"), 1);
    assert_int_equal(count(&rep, "larger than 67108864 bytes, not read"), 1);
    assert_int_equal(count(&rep, "(at most 268435456 in all)"), 1);
    alias_report_free(&rep);
    alias_config_free(&cfg);
    for (int i = 0; i < 20; i++) {
        snprintf(l, sizeof(l), "%s/link%d", dir, i);
        unlink(l);
    }
    for (int i = 0; i < 5; i++) {
        snprintf(l, sizeof(l), "%s/big%d", dir, i);
        unlink(l);
    }
    snprintf(l, sizeof(l), "%s/huge", dir);
    unlink(l);
    snprintf(l, sizeof(l), "%s/list", dir);
    unlink(l);
    unlink(a);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drop_fails),
        cmocka_unit_test(test_include_rights),
        cmocka_unit_test(test_list_error_not_fatal),
        cmocka_unit_test(test_include_budget),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
