// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_priv 3
 * SUMMARY
 *	read files with another user's file-system rights (the privilege drop)
 * SYNOPSIS
 *	#include "mh_alias_priv.h"
 *
 *	int alias_become(uid_t uid, struct alias_fsids *sv, char *why, size_t whylen)
 *	void alias_unbecome(struct alias_fsids *sv)
 * DESCRIPTION
 *	Used by the alias check to read a user's :include: file with that
 *	user's rights, as local(8) does (see doc/security.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_priv.h"

/*
 * alias_become - read files as UID from now on (setfsuid/setfsgid and
 * UID's groups), as local(8) reads an include file with the rights of
 * its includer: a list owner's file naming /etc/shadow, or a symlink to
 * it, must not be read (nor quoted) by this root process.  Nothing to
 * do when not root or UID is root.  0, or a negative code with WHY.
 */
int
alias_become(uid_t uid, struct alias_fsids *sv, char *why, size_t whylen)
{
    struct passwd *pw;
    gid_t *list = NULL;
    int n = 32;

    memset(sv, 0, sizeof(*sv));
    if (geteuid() != 0 || uid == 0) {
        return MH_OK;
    }
    pw = getpwuid(uid);
    if (pw == NULL) {
        snprintf(why, whylen, "delivery user uid %lu has no passwd entry",
                 (unsigned long) uid);
        return MH_E_NOTFOUND;
    }
    for (;;) {
        gid_t *nl = realloc(list, (size_t) n * sizeof(*list));
        int want = n;

        if (nl == NULL) {
            free(list);
            return -ENOMEM;
        }
        list = nl;
        if (getgrouplist(pw->pw_name, pw->pw_gid, list, &want) >= 0) {
            n = want;
            break;
        }
        if (want <= n) {
            want = n * 2;
        }
        n = want;
    }
    sv->ngroups = getgroups(0, NULL);
    sv->groups = calloc(sv->ngroups > 0 ? (size_t) sv->ngroups : 1, sizeof(*sv->groups));
    if (sv->groups == NULL || sv->ngroups < 0
        || getgroups(sv->ngroups, sv->groups) != sv->ngroups) {
        free(list);
        free(sv->groups);
        sv->groups = NULL;
        snprintf(why, whylen, "getgroups: %s", strerror(errno ? errno : ENOMEM));
        return -EPERM;
    }
    if (setgroups((size_t) n, list) != 0) {
        snprintf(why, whylen, "setgroups for %s: %s", pw->pw_name, strerror(errno));
        free(list);
        free(sv->groups);
        sv->groups = NULL;
        return -EPERM;
    }
    free(list);
    sv->switched = 1;
    snprintf(sv->name, sizeof(sv->name), "%s", pw->pw_name);
    setfsgid(pw->pw_gid);
    setfsuid(uid);
    /* setfsuid() does not report failure: ask what it is now */
    if ((uid_t) setfsuid((uid_t) -1) != uid || (gid_t) setfsgid((gid_t) -1) != pw->pw_gid) {
        snprintf(why, whylen, "setfsuid to %s failed", pw->pw_name);
        return -EPERM;
    }
    return MH_OK;
}

/* alias_unbecome - root's file-system identity again */
void
alias_unbecome(struct alias_fsids *sv)
{
    if (sv->switched) {
        setfsuid(0);
        setfsgid(0);
        if (setgroups((size_t) sv->ngroups, sv->groups) != 0) {
            abort();            /* never go on with another's groups */
        }
    }
    free(sv->groups);
    sv->groups = NULL;
    sv->switched = 0;
}
