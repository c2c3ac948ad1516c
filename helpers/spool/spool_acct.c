/*
 * NAME
 *	spool_acct 3
 * SUMMARY
 *	mail accounts of this node, and which must have a mailbox
 * SYNOPSIS
 *	#include "spool.h"
 *
 *	int spool_accts_load(struct spool_accts *accts, const char *passwd_file,
 *	                     const struct spool_sel *sel, char *why, size_t whylen)
 *	struct spool_acct *spool_accts_find(const struct spool_accts *accts,
 *	                                    const char *name)
 *	void spool_accts_free(struct spool_accts *accts)
 * DESCRIPTION
 *	A mail account is an OS user.  Every user this node knows is
 *	loaded (the whole passwd database through getpwent(3), so NSS
 *	sources count, or a passwd-format file, e.g. another node's, to
 *	compare the two), because a mailbox named after any user is not
 *	an orphan.  The selection marks the users that must have a
 *	mailbox: uid in [uid_min, uid_max], and, when a group is named,
 *	a member of it (primary group or listed member).
 * DIAGNOSTICS
 *	-ENOMEM; MH_E_NOTFOUND when the group does not exist here;
 *	a negative errno when the passwd file cannot be read.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "spool.h"

/* spool_acct_cmp - order accounts by name, for bsearch */
static int
spool_acct_cmp(const void *a, const void *b)
{
    const struct spool_acct *x = a;
    const struct spool_acct *y = b;

    return strcmp(x->name, y->name);
}

/* spool_acct_cmp_seq - by name, then in the order read */
static int
spool_acct_cmp_seq(const void *a, const void *b)
{
    const struct spool_acct *x = a;
    const struct spool_acct *y = b;
    int c = strcmp(x->name, y->name);

    if (c != 0) {
        return c;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* spool_in_list - NAME is one of the NULL-terminated LIST */
static int
spool_in_list(char **list, const char *name)
{
    size_t i;

    if (list == NULL) {
        return 0;
    }
    for (i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* spool_list_dup - copy a group's member list (getpwent reuses getgrnam's buffer) */
static char **
spool_list_dup(char **list)
{
    char **copy;
    size_t n = 0, i;

    while (list != NULL && list[n] != NULL) {
        n++;
    }
    copy = calloc(n + 1, sizeof(*copy));
    if (copy == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        copy[i] = strdup(list[i]);
        if (copy[i] == NULL) {
            while (i > 0) {
                free(copy[--i]);
            }
            free(copy);
            return NULL;
        }
    }
    return copy;
}

/* spool_list_free - free what spool_list_dup made */
static void
spool_list_free(char **list)
{
    size_t i;

    if (list == NULL) {
        return;
    }
    for (i = 0; list[i] != NULL; i++) {
        free(list[i]);
    }
    free(list);
}

/* spool_accts_add - append one user */
static int
spool_accts_add(struct spool_accts *accts, const struct passwd *pw, int selected)
{
    struct spool_acct *nv;
    size_t ncap;

    if (accts->n == accts->cap) {
        ncap = accts->cap ? accts->cap * 2 : 64;
        nv = realloc(accts->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return -ENOMEM;
        }
        accts->v = nv;
        accts->cap = ncap;
    }
    accts->v[accts->n].name = strdup(pw->pw_name);
    if (accts->v[accts->n].name == NULL) {
        return -ENOMEM;
    }
    accts->v[accts->n].uid = pw->pw_uid;
    accts->v[accts->n].gid = pw->pw_gid;
    accts->v[accts->n].selected = selected;
    accts->v[accts->n].seen = 0;
    accts->v[accts->n].seq = accts->n;
    accts->n++;
    return MH_OK;
}

/* spool_accts_load - every user, the selected ones marked */
int
spool_accts_load(struct spool_accts *accts, const char *passwd_file,
                 const struct spool_sel *sel, char *why, size_t whylen)
{
    struct passwd *pw;
    struct group *gr;
    char **members = NULL;
    gid_t gid = 0;
    FILE *fp = NULL;
    size_t i, j;
    int rc = MH_OK;
    int selected;

    memset(accts, 0, sizeof(*accts));
    if (sel->group != NULL) {
        errno = 0;
        gr = getgrnam(sel->group);
        if (gr == NULL) {
            snprintf(why, whylen, "group %s: %s", sel->group,
                     errno ? strerror(errno) : "no such group on this node");
            rc = MH_E_NOTFOUND;
            goto cleanup;
        }
        gid = gr->gr_gid;
        members = spool_list_dup(gr->gr_mem);
        if (members == NULL) {
            rc = -ENOMEM;
            snprintf(why, whylen, "load accounts: %s", strerror(ENOMEM));
            goto cleanup;
        }
    }
    if (passwd_file != NULL) {
        fp = fopen(passwd_file, "re");
        if (fp == NULL) {
            rc = -errno;
            snprintf(why, whylen, "open %s: %s", passwd_file, strerror(errno));
            goto cleanup;
        }
    } else {
        setpwent();
    }
    for (;;) {
        errno = 0;
        pw = fp != NULL ? fgetpwent(fp) : getpwent();
        if (pw == NULL) {
            break;
        }
        selected = pw->pw_uid >= sel->uid_min && pw->pw_uid <= sel->uid_max;
        if (selected && sel->group != NULL) {
            selected = pw->pw_gid == gid || spool_in_list(members, pw->pw_name);
        }
        rc = spool_accts_add(accts, pw, selected);
        if (rc != MH_OK) {
            snprintf(why, whylen, "load accounts: %s", mh_rc_str(rc));
            goto cleanup;
        }
    }
    qsort(accts->v, accts->n, sizeof(*accts->v), spool_acct_cmp_seq);
    /* The first entry of a duplicated name wins, as for getpwnam(3). */
    for (i = 0, j = 0; i < accts->n; i++) {
        if (j > 0 && strcmp(accts->v[j - 1].name, accts->v[i].name) == 0) {
            free(accts->v[i].name);
            continue;
        }
        accts->v[j++] = accts->v[i];
    }
    accts->n = j;

cleanup:
    if (fp != NULL) {
        fclose(fp);
    } else if (passwd_file == NULL) {
        endpwent();
    }
    spool_list_free(members);
    if (rc != MH_OK) {
        spool_accts_free(accts);
    }
    return rc;
}

/* spool_accts_find - binary search by name */
struct spool_acct *
spool_accts_find(const struct spool_accts *accts, const char *name)
{
    struct spool_acct key;

    if (accts->n == 0) {
        return NULL;
    }
    key.name = (char *) name;
    return bsearch(&key, accts->v, accts->n, sizeof(*accts->v), spool_acct_cmp);
}

/* spool_accts_free - release the accounts */
void
spool_accts_free(struct spool_accts *accts)
{
    size_t i;

    for (i = 0; i < accts->n; i++) {
        free(accts->v[i].name);
    }
    free(accts->v);
    memset(accts, 0, sizeof(*accts));
}
