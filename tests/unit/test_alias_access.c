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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mh_rc.h"
#include "../../helpers/aliases/alias_check.h"
#include "../../helpers/aliases/alias_tables.h"

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
    write_file(l, "root\n", 0600);      /* nobody cannot read it */
    snprintf(maps, sizeof(maps), "hash:%s", a);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(alias_config_set(&cfg, maps, maps, "hash"), MH_OK);
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    cfg.include_files = 1;
    /* the drop works: the unreadable file is reported */
    memset(&rep, 0, sizeof(rep));
    assert_int_equal(alias_check_run(&cfg, ALIAS_CHECK_NO_ACCOUNT | ALIAS_CHECK_NO_FRESH, &rep),
                     MH_OK);
    assert_true(has_finding(&rep, ALIAS_WARNING, "is not readable by delivery user nobody"));
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drop_fails),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
