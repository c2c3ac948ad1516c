// SPDX-License-Identifier: GPL-2.0-or-later
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
 *	struct spool_acct *spool_accts_find_len(const struct spool_accts *accts,
 *	                                        const char *name, size_t len)
 *	struct spool_acct **spool_accts_sorted(const struct spool_accts *accts,
 *	                                       int selected_only, int unseen_only,
 *	                                       size_t *count)
 *	void spool_accts_free(struct spool_accts *accts)
 * DESCRIPTION
 *	A mail account is an OS user.  Every user this node knows is
 *	loaded (the whole passwd database through getpwent(3), so NSS
 *	sources count, or a passwd-format file, e.g. another node's, to
 *	compare the two), because a mailbox named after any user is not
 *	an orphan.  The selection marks the users that must have a
 *	mailbox: uid in [uid_min, uid_max], and, when a group is named,
 *	a member of it (primary group or listed member).
 *
 *	The audit looks up every spool entry by name, so the accounts
 *	are kept in an open-addressing hash table (FNV-1a with a
 *	per-process seed from AT_RANDOM, so that names cannot be chosen
 *	to collide): loading is linear and each lookup costs one hash
 *	and one strcmp.  The order read is kept (the first of a
 *	duplicated name wins, as for getpwnam(3)); spool_accts_sorted()
 *	gives name order where output needs it.
 *
 *	A passwd file is parsed here rather than with fgetpwent(3),
 *	which asks the kernel for the file position before every line
 *	(one lseek per account).  Lines are read as nss_files reads
 *	them: leading blanks skipped, empty and "#" lines ignored, a
 *	line whose uid or gid is not a number skipped.  NIS compat
 *	lines ("+name", "-name") name no account and are skipped.
 * DIAGNOSTICS
 *	-ENOMEM; MH_E_NOTFOUND when the group does not exist here;
 *	a negative errno when the passwd file cannot be read.
 */
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "spool.h"

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

/* A table slot: index + 1 into the accounts (low half), hash's top half. */
#define SPOOL_TAB_INDEX 0xffffffffULL
#define SPOOL_TAB_TAG   (~SPOOL_TAB_INDEX)

/* Bytes of account names per arena chunk. */
#define SPOOL_ARENA_CHUNK (64 * 1024)

/* spool_acct_hash - FNV-1a over LEN bytes of NAME, seeded, then mixed */
static uint64_t
spool_acct_hash(uint64_t seed, const char *name, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char) name[i];
        h *= 0x100000001b3ULL;
    }
    /* FNV's low bits mix poorly; the table index uses them. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* spool_acct_seed - 8 of the kernel's 16 random bytes for this process */
static uint64_t
spool_acct_seed(void)
{
    const unsigned char *r = (const unsigned char *) getauxval(AT_RANDOM);
    uint64_t seed = 0;
    size_t i;

    if (r == NULL) {
        return 0x9e3779b97f4a7c15ULL;
    }
    for (i = 0; i < 8; i++) {
        seed = (seed << 8) | r[i + 8];
    }
    return seed;
}

/* spool_acct_cmp_name - order account pointers by name */
static int
spool_acct_cmp_name(const void *a, const void *b)
{
    const struct spool_acct *const *x = a;
    const struct spool_acct *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

/* spool_accts_slot - the slot holding NAME, or the empty slot where it would go */
static size_t
spool_accts_slot(const struct spool_accts *accts, const char *name, size_t len, uint64_t h)
{
    const struct spool_acct *a;
    size_t i = (size_t) h & accts->mask;
    uint64_t tag = h & SPOOL_TAB_TAG;

    /* The slot carries the hash's top bits: a probe past another
     * name touches neither that account nor its string. */
    while (accts->tab[i] != 0) {
        if ((accts->tab[i] & SPOOL_TAB_TAG) == tag) {
            a = &accts->v[(accts->tab[i] & SPOOL_TAB_INDEX) - 1];
            if (strncmp(a->name, name, len) == 0 && a->name[len] == '\0') {
                break;
            }
        }
        i = (i + 1) & accts->mask;
    }
    return i;
}

/* spool_accts_index - table over the accounts read; later duplicates dropped */
static int
spool_accts_index(struct spool_accts *accts)
{
    size_t size = 16, i, j, slot;

    while (size < 2 * accts->n) {
        size *= 2;
    }
    if (accts->n > UINT32_MAX - 1) {
        return -ENOMEM;
    }
    accts->tab = calloc(size, sizeof(*accts->tab));
    if (accts->tab == NULL) {
        return -ENOMEM;
    }
    accts->mask = size - 1;
    accts->seed = spool_acct_seed();
    /* Compacts in place: the table only ever points below j. */
    for (i = 0, j = 0; i < accts->n; i++) {
        struct spool_acct a = accts->v[i];

        a.hash = spool_acct_hash(accts->seed, a.name, strlen(a.name));
        slot = spool_accts_slot(accts, a.name, strlen(a.name), a.hash);
        if (accts->tab[slot] != 0) {
            continue;                   /* its name stays in the arena */
        }
        accts->v[j] = a;
        accts->tab[slot] = (a.hash & SPOOL_TAB_TAG) | (uint64_t) (j + 1);
        j++;
    }
    accts->n = j;
    return MH_OK;
}

/* spool_accts_strdup - a copy of NAME in the accounts' arena */
static char *
spool_accts_strdup(struct spool_accts *accts, const char *name)
{
    size_t len = strlen(name) + 1;
    size_t size;
    char *chunk, *copy;

    /* One malloc per 64 KiB of names instead of one per account;
     * each chunk starts with a pointer to the one before. */
    if (len > accts->arena_left) {
        size = len + sizeof(char *) > SPOOL_ARENA_CHUNK ? len + sizeof(char *) : SPOOL_ARENA_CHUNK;
        chunk = malloc(size);
        if (chunk == NULL) {
            return NULL;
        }
        memcpy(chunk, &accts->arena, sizeof(char *));
        accts->arena = chunk;
        accts->arena_next = chunk + sizeof(char *);
        accts->arena_left = size - sizeof(char *);
    }
    copy = accts->arena_next;
    memcpy(copy, name, len);
    accts->arena_next += len;
    accts->arena_left -= len;
    return copy;
}

/* spool_accts_add - append one user */
static int
spool_accts_add(struct spool_accts *accts, const char *name, uid_t uid, gid_t gid, int selected)
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
    accts->v[accts->n].name = spool_accts_strdup(accts, name);
    if (accts->v[accts->n].name == NULL) {
        return -ENOMEM;
    }
    accts->v[accts->n].uid = uid;
    accts->v[accts->n].gid = gid;
    accts->v[accts->n].selected = selected;
    accts->v[accts->n].seen = 0;
    accts->v[accts->n].hash = 0;
    accts->n++;
    return MH_OK;
}

/* spool_pw_number - a decimal uid or gid field ending at ':' or the end */
static int
spool_pw_number(char **pp, unsigned long *v)
{
    unsigned long n = 0;
    char *p = *pp;

    if (*p < '0' || *p > '9') {
        return 0;
    }
    /* Digits only, at most 32 bits: what a uid_t or gid_t can hold. */
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (unsigned long) (*p - '0');
        if (n > 0xffffffffUL) {
            return 0;
        }
    }
    if (*p != ':' && *p != '\0') {
        return 0;
    }
    *v = n;
    *pp = *p == ':' ? p + 1 : p;
    return 1;
}

/* spool_pw_line - name, uid and gid of one passwd line; 0 to skip the line */
static int
spool_pw_line(char *line, const char **name, uid_t *uid, gid_t *gid)
{
    unsigned long u, g;
    char *p = line, *colon;

    p[strcspn(p, "\n")] = '\0';
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '\0' || *p == '#' || *p == '+' || *p == '-') {
        return 0;
    }
    colon = strchr(p, ':');
    if (colon == NULL || colon == p) {
        return 0;
    }
    *colon = '\0';
    *name = p;
    p = strchr(colon + 1, ':');         /* skip the password field */
    if (p == NULL) {
        return 0;
    }
    p++;
    if (!spool_pw_number(&p, &u) || !spool_pw_number(&p, &g)) {
        return 0;
    }
    *uid = (uid_t) u;
    *gid = (gid_t) g;
    return 1;
}

/* spool_sel_mark - 1 selected, 2 in range but group membership still open, 0 not */
static int
spool_sel_mark(const struct spool_sel *sel, uid_t uid, gid_t gid, gid_t group_gid)
{
    if (uid < sel->uid_min || uid > sel->uid_max) {
        return 0;
    }
    if (sel->group == NULL || gid == group_gid) {
        return 1;
    }
    return 2;
}

/* spool_accts_read_file - every account of a passwd-format file */
static int
spool_accts_read_file(struct spool_accts *accts, const char *path, const struct spool_sel *sel,
                      gid_t group_gid, char *why, size_t whylen)
{
    char *line = NULL;
    size_t cap = 0;
    const char *name;
    uid_t uid;
    gid_t gid;
    FILE *fp;
    int rc = MH_OK;

    fp = mh_fopen_file(path, &rc, why, whylen);
    if (fp == NULL) {
        return rc;
    }
    while (getline(&line, &cap, fp) >= 0) {
        if (!spool_pw_line(line, &name, &uid, &gid)) {
            continue;
        }
        rc = spool_accts_add(accts, name, uid, gid, spool_sel_mark(sel, uid, gid, group_gid));
        if (rc != MH_OK) {
            snprintf(why, whylen, "load accounts: %s", mh_rc_str(rc));
            goto cleanup;
        }
    }
    if (ferror(fp)) {
        rc = -EIO;
        snprintf(why, whylen, "read %s: %s", path, strerror(EIO));
    }

cleanup:
    free(line);
    fclose(fp);
    return rc;
}

/* spool_accts_read_nss - every account getpwent(3) gives */
static int
spool_accts_read_nss(struct spool_accts *accts, const struct spool_sel *sel, gid_t group_gid,
                     char *why, size_t whylen)
{
    struct passwd *pw;
    int rc = MH_OK;

    setpwent();
    for (;;) {
        pw = getpwent();
        if (pw == NULL) {
            break;
        }
        rc = spool_accts_add(accts, pw->pw_name, pw->pw_uid, pw->pw_gid,
                             spool_sel_mark(sel, pw->pw_uid, pw->pw_gid, group_gid));
        if (rc != MH_OK) {
            snprintf(why, whylen, "load accounts: %s", mh_rc_str(rc));
            break;
        }
    }
    endpwent();
    return rc;
}

/* spool_accts_load - every user, the selected ones marked */
int
spool_accts_load(struct spool_accts *accts, const char *passwd_file,
                 const struct spool_sel *sel, char *why, size_t whylen)
{
    struct spool_acct *a;
    struct group *gr;
    char **members = NULL;
    gid_t gid = 0;
    size_t i;
    int rc = MH_OK;

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
        /* getpwent may reuse getgrnam's static buffer */
        members = spool_list_dup(gr->gr_mem);
        if (members == NULL) {
            rc = -ENOMEM;
            snprintf(why, whylen, "load accounts: %s", strerror(ENOMEM));
            goto cleanup;
        }
    }
    if (passwd_file != NULL) {
        rc = spool_accts_read_file(accts, passwd_file, sel, gid, why, whylen);
    } else {
        rc = spool_accts_read_nss(accts, sel, gid, why, whylen);
    }
    if (rc != MH_OK) {
        goto cleanup;
    }
    rc = spool_accts_index(accts);
    if (rc != MH_OK) {
        snprintf(why, whylen, "load accounts: %s", mh_rc_str(rc));
        goto cleanup;
    }
    /* Listed members: one lookup per member, not a list walk per user. */
    for (i = 0; members != NULL && members[i] != NULL; i++) {
        a = spool_accts_find(accts, members[i]);
        if (a != NULL && a->selected == 2) {
            a->selected = 1;
        }
    }
    for (i = 0; i < accts->n; i++) {
        accts->v[i].selected = accts->v[i].selected == 1;
    }

cleanup:
    spool_list_free(members);
    if (rc != MH_OK) {
        spool_accts_free(accts);
    }
    return rc;
}

/* spool_accts_find_len - hash lookup of LEN bytes of NAME */
struct spool_acct *
spool_accts_find_len(const struct spool_accts *accts, const char *name, size_t len)
{
    size_t slot;

    if (accts->tab == NULL) {
        return NULL;
    }
    slot = spool_accts_slot(accts, name, len, spool_acct_hash(accts->seed, name, len));
    return accts->tab[slot] ? &accts->v[(accts->tab[slot] & SPOOL_TAB_INDEX) - 1] : NULL;
}

/* spool_accts_find - hash lookup by name */
struct spool_acct *
spool_accts_find(const struct spool_accts *accts, const char *name)
{
    return spool_accts_find_len(accts, name, strlen(name));
}

/* spool_accts_sorted - pointers to the accounts wanted, in name order */
struct spool_acct **
spool_accts_sorted(const struct spool_accts *accts, int selected_only, int unseen_only,
                   size_t *count)
{
    struct spool_acct **v;
    size_t i, n = 0;

    v = malloc((accts->n + 1) * sizeof(*v));
    if (v == NULL) {
        return NULL;
    }
    for (i = 0; i < accts->n; i++) {
        if ((selected_only && !accts->v[i].selected) || (unseen_only && accts->v[i].seen)) {
            continue;
        }
        v[n++] = &accts->v[i];
    }
    qsort(v, n, sizeof(*v), spool_acct_cmp_name);
    *count = n;
    return v;
}

/* spool_accts_free - release the accounts */
void
spool_accts_free(struct spool_accts *accts)
{
    char *chunk, *prev;

    for (chunk = accts->arena; chunk != NULL; chunk = prev) {
        memcpy(&prev, chunk, sizeof(char *));
        free(chunk);
    }
    free(accts->v);
    free(accts->tab);
    memset(accts, 0, sizeof(*accts));
}
