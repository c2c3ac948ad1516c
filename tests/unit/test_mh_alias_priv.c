// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mh_alias_priv - the privilege drop the alias check reads a list
 * owner's :include: files with (alias_become / alias_unbecome): the
 * file-system identity and the groups become the user's, a file only
 * root may read cannot be opened, and root's identity and groups come
 * back afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_priv.h"

/* groups_now - this process's supplementary groups (at most MAX), or -1 */
static int
groups_now(gid_t *v, int max)
{
    return getgroups(max, v);
}

static int
has_group(const gid_t *v, int n, gid_t g)
{
    for (int i = 0; i < n; i++) {
        if (v[i] == g) {
            return 1;
        }
    }
    return 0;
}

/* uid 0 (and any uid when not root): nothing changes */
static void
test_root_is_noop(void **state)
{
    struct alias_fsids sv;
    char why[128] = "";

    (void) state;
    assert_int_equal(alias_become(0, &sv, why, sizeof(why)), MH_OK);
    assert_int_equal(sv.switched, 0);
    assert_int_equal((uid_t) setfsuid((uid_t) -1), geteuid());
    alias_unbecome(&sv);
    assert_null(sv.groups);
}

/* a uid without a passwd entry: refused, with the reason */
static void
test_unknown_uid(void **state)
{
    struct alias_fsids sv;
    char why[128] = "";
    uid_t uid = 3999999999U;

    (void) state;
    if (geteuid() != 0) {
        skip();
    }
    while (getpwuid(uid) != NULL) {
        uid--;
    }
    assert_int_equal(alias_become(uid, &sv, why, sizeof(why)), MH_E_NOTFOUND);
    assert_non_null(strstr(why, "has no passwd entry"));
    assert_int_equal(sv.switched, 0);
    assert_int_equal((uid_t) setfsuid((uid_t) -1), 0);
}

/* nobody: its rights while switched, root's again afterwards */
static void
test_become_and_back(void **state)
{
    char path[] = "/tmp/test_mh_alias_priv.XXXXXX";
    struct passwd *pw = getpwnam("nobody");
    struct alias_fsids sv;
    char why[128] = "";
    gid_t before[256], during[256], after[256];
    int nb, nd, na, fd;

    (void) state;
    if (geteuid() != 0 || pw == NULL) {
        skip();
    }
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;

    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(fchmod(fd, 0600), 0);
    close(fd);
    nb = groups_now(before, 256);
    assert_true(nb >= 0);

    assert_int_equal(alias_become(uid, &sv, why, sizeof(why)), MH_OK);
    assert_int_equal(sv.switched, 1);
    assert_string_equal(sv.name, "nobody");
    assert_int_equal((uid_t) setfsuid((uid_t) -1), uid);
    assert_int_equal((gid_t) setfsgid((gid_t) -1), gid);
    nd = groups_now(during, 256);
    assert_true(nd >= 1);
    assert_true(has_group(during, nd, gid));
    /* root's own file, mode 0600: nobody cannot open it */
    errno = 0;
    fd = open(path, O_RDONLY);
    assert_int_equal(fd, -1);
    assert_int_equal(errno, EACCES);

    alias_unbecome(&sv);
    assert_int_equal(sv.switched, 0);
    assert_null(sv.groups);
    assert_int_equal((uid_t) setfsuid((uid_t) -1), 0);
    assert_int_equal((gid_t) setfsgid((gid_t) -1), 0);
    na = groups_now(after, 256);
    assert_int_equal(na, nb);
    for (int i = 0; i < nb; i++) {
        assert_true(has_group(after, na, before[i]));
    }
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_is_noop),
        cmocka_unit_test(test_unknown_uid),
        cmocka_unit_test(test_become_and_back),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
