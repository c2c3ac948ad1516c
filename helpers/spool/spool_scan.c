// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool_scan 3
 * SUMMARY
 *	audit a mail spool, create missing mailboxes, apply the mode policy
 * SYNOPSIS
 *	#include "spool.h"
 *
 *	int spool_audit(const struct spool_opts *opts, struct spool_accts *accts,
 *	                struct spool_report *rep, char *why, size_t whylen)
 *	int spool_create(const struct spool_opts *opts, struct spool_accts *accts,
 *	                 struct spool_report *rep, char *why, size_t whylen)
 *	int spool_policy(const struct spool_opts *opts, struct spool_report *rep,
 *	                 char *why, size_t whylen)
 * DESCRIPTION
 *	The spool is writable by group mail and its mailboxes by their
 *	users, so every name under it may have been planted by a hostile
 *	user between two system calls.  Hence: the spool directory is
 *	opened once and everything below is reached relative to that
 *	descriptor, never through a path; nothing follows a symlink
 *	(AT_SYMLINK_NOFOLLOW, O_NOFOLLOW); new files and directories are
 *	made with O_EXCL / mkdirat, which fail on any existing name,
 *	dangling symlink included; what was made is reopened and checked
 *	to be ours (root-owned, not a link) before its owner is changed,
 *	and owners and modes change only through descriptors (fchown,
 *	fchmod), never by name.  The audit only reads: a mailbox owned by
 *	the wrong uid is reported, never chowned, because the name->uid
 *	mapping may be what is wrong on this node.
 * DIAGNOSTICS
 *	Functions return 0 when they could do their work (findings go to
 *	the report), else a negative code and a reason in WHY.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_safeopen.h"
#include "spool.h"

/* Bytes of directory entries read per getdents64 call, at first. */
#define SPOOL_DENTS_BUF (256 * 1024)

/* Entries from which the audit shares the work between two threads. */
#define SPOOL_THREAD_MIN 2048

static const char *const spool_subdirs[] = { "cur", "new", "tmp" };

/* spool_mode_ok - never writable by everyone unless sticky */
int
spool_mode_ok(mode_t mode)
{
    /* o+w without +t: any local user may delete or replace any
     * mailbox (the runbook's chmod 777). */
    return !((mode & S_IWOTH) && !(mode & S_ISVTX));
}

/* spool_parse_mode - 3 or 4 octal digits */
int
spool_parse_mode(const char *s, mode_t *mode)
{
    size_t len = strlen(s);
    mode_t m = 0;
    size_t i;

    if (len < 3 || len > 4) {
        return MH_E_PARSE;
    }
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '7') {
            return MH_E_PARSE;
        }
        m = m * 8 + (mode_t) (s[i] - '0');
    }
    *mode = m;
    return MH_OK;
}

/* spool_parse_format - mbox or maildir */
int
spool_parse_format(const char *s, enum spool_format *fmt)
{
    if (strcmp(s, "mbox") == 0) {
        *fmt = SPOOL_MBOX;
        return MH_OK;
    }
    if (strcmp(s, "maildir") == 0) {
        *fmt = SPOOL_MAILDIR;
        return MH_OK;
    }
    return MH_E_PARSE;
}

/* spool_skip_name - dot files, dot-locks and the filesystem's own */
int
spool_skip_name(const char *name)
{
    size_t len = strlen(name);

    /* Dot names are ours (status file, queue on the volume) or
     * tools'; "user.lock" is local(8)'s dot-lock, there for a moment. */
    if (name[0] == '.' || strcmp(name, "lost+found") == 0) {
        return 1;
    }
    return len > 5 && strcmp(name + len - 5, ".lock") == 0;
}

/* spool_name_ok - an account name that can be a mailbox's name here:
 * one path component that the audit does not skip.  Audit and create
 * both ask this, so that they agree on "..", "a/b" or "evil.lock". */
int
spool_name_ok(const char *name)
{
    return name[0] != '\0' && strchr(name, '/') == NULL && !spool_skip_name(name);
}

/* spool_open_dir - the spool directory, by path (the admin's), as a descriptor */
static int
spool_open_dir(const char *dir, char *why, size_t whylen)
{
    int fd;

    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "open %s: %s", dir, strerror(errno));
        return -errno;
    }
    return fd;
}

/* spool_check_policy - the spool directory against the policy */
static int
spool_check_policy(const struct spool_opts *opts, const struct stat *st,
                   struct spool_report *rep)
{
    mode_t m = st->st_mode & 07777;
    int rc = MH_OK;

    if (!spool_mode_ok(m)) {
        rc = spool_report_add(rep, SPOOL_F_POLICY, "",
                              "mode %04o: world-writable without the sticky bit", (unsigned) m);
    } else if (m != opts->mode) {
        rc = spool_report_add(rep, SPOOL_F_POLICY, "", "mode %04o, policy %04o",
                              (unsigned) m, (unsigned) opts->mode);
    }
    if (rc == MH_OK && st->st_uid != opts->owner) {
        rc = spool_report_add(rep, SPOOL_F_POLICY, "", "owner uid %lu, policy uid %lu",
                              (unsigned long) st->st_uid, (unsigned long) opts->owner);
    }
    if (rc == MH_OK && st->st_gid != opts->group) {
        rc = spool_report_add(rep, SPOOL_F_POLICY, "", "group gid %lu, policy gid %lu",
                              (unsigned long) st->st_gid, (unsigned long) opts->group);
    }
    return rc;
}

/* spool_mbox_mode_ok - owner rw, nothing for others, no exec or set-id bits */
static int
spool_mbox_mode_ok(mode_t m)
{
    return (m & 0600) == 0600 && (m & (S_IRWXO | S_IXUSR | S_IXGRP | 07000)) == 0;
}

/* spool_maildir_mode_ok - owner rwx, no group write, nothing for others */
static int
spool_maildir_mode_ok(mode_t m)
{
    return (m & 0700) == 0700 && (m & (S_IRWXO | S_IWGRP | 07000)) == 0;
}

/* spool_audit_maildir - a maildir's cur/ new/ tmp/, reached through its descriptor */
static int
spool_audit_maildir(int dirfd, const char *name, struct spool_report *rep)
{
    struct stat st;
    size_t i;
    int fd, rc = MH_OK;

    /* O_PATH: only a handle to look inside, no read access needed;
     * O_DIRECTORY and O_NOFOLLOW make it the directory itself, never
     * a symlink swapped in since the lstat, so no fstat to check. */
    fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        /* O_DIRECTORY wins over O_NOFOLLOW: a symlink gives ENOTDIR. */
        if (errno == ELOOP
            || (errno == ENOTDIR && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
                && S_ISLNK(st.st_mode))) {
            return spool_report_add(rep, SPOOL_F_UNSAFE, name, "%s: is a symbolic link", name);
        }
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "open %s: %s", name, strerror(errno));
    }
    for (i = 0; i < 3 && rc == MH_OK; i++) {
        if (fstatat(fd, spool_subdirs[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
            rc = spool_report_add(rep, SPOOL_F_INCOMPLETE, name, "%s/: %s", spool_subdirs[i],
                                  strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            rc = spool_report_add(rep, SPOOL_F_INCOMPLETE, name, "%s/: not a directory",
                                  spool_subdirs[i]);
        }
    }
    close(fd);
    return rc;
}

/* spool_audit_entry - one name in the spool, classified from its lstat */
static int
spool_audit_entry(const struct spool_opts *opts, struct spool_accts *accts, int dirfd,
                  const char *name, size_t len, struct spool_report *rep)
{
    struct spool_acct *acct;
    struct stat st;
    mode_t m;

    /* The audit only reads and reports, so classifying by lstat
     * (fstatat with AT_SYMLINK_NOFOLLOW, relative to the spool's
     * descriptor) is enough: a name swapped after the stat changes
     * what is reported, never what is touched.  Only a maildir is
     * opened, O_NOFOLLOW, to look inside it. */
    rep->mailboxes++;
    acct = spool_accts_find_len(accts, name, len);
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            /* removed while we read the directory */
            rep->mailboxes--;
            return MH_OK;
        }
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "stat: %s", strerror(errno));
    }
    if (acct == NULL) {
        return spool_report_add(rep, SPOOL_F_ORPHAN, name, "no account of that name, owner uid %lu",
                                (unsigned long) st.st_uid);
    }
    acct->seen = 1;
    m = st.st_mode & 07777;
    /* The clean mbox, nearly every entry: nothing more to decide. */
    if (opts->format == SPOOL_MBOX && S_ISREG(st.st_mode) && st.st_nlink == 1
        && st.st_uid == acct->uid && spool_mbox_mode_ok(m)) {
        return MH_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "symbolic link where a mailbox should be");
    }
    if (opts->format == SPOOL_MBOX && !S_ISREG(st.st_mode)) {
        return spool_report_add(rep, S_ISDIR(st.st_mode) ? SPOOL_F_TYPE : SPOOL_F_UNSAFE, name,
                                "%s where an mbox file should be",
                                S_ISDIR(st.st_mode) ? "directory" : "special file");
    }
    if (opts->format == SPOOL_MAILDIR && !S_ISDIR(st.st_mode)) {
        return spool_report_add(rep, S_ISREG(st.st_mode) ? SPOOL_F_TYPE : SPOOL_F_UNSAFE, name,
                                "%s where a maildir should be",
                                S_ISREG(st.st_mode) ? "regular file" : "special file");
    }
    if (S_ISREG(st.st_mode) && st.st_nlink != 1) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "%lu hard links to a mailbox",
                                (unsigned long) st.st_nlink);
    }
    if (st.st_uid != acct->uid) {
        return spool_report_add(rep, SPOOL_F_DRIFT, name,
                                "owned by uid %lu, but %s is uid %lu on this node",
                                (unsigned long) st.st_uid, acct->name, (unsigned long) acct->uid);
    }
    if (opts->format == SPOOL_MBOX && !spool_mbox_mode_ok(m)) {
        return spool_report_add(rep, SPOOL_F_MODE, name, "mode %04o, want 0600", (unsigned) m);
    }
    if (opts->format == SPOOL_MAILDIR) {
        if (!spool_maildir_mode_ok(m)) {
            return spool_report_add(rep, SPOOL_F_MODE, name, "mode %04o, want 0700", (unsigned) m);
        }
        return spool_audit_maildir(dirfd, name, rep);
    }
    return MH_OK;
}

/* spool_audit_missing - the selected accounts no entry named, in name order */
static int
spool_audit_missing(const struct spool_opts *opts, const struct spool_accts *accts,
                    struct spool_report *rep)
{
    struct spool_acct **missing;
    size_t i, n;
    int rc = MH_OK;

    missing = spool_accts_sorted(accts, 1, 1, &n);
    if (missing == NULL) {
        return -ENOMEM;
    }
    for (i = 0; i < n && rc == MH_OK; i++) {
        if (!spool_name_ok(missing[i]->name)) {
            rc = spool_report_badname(rep, missing[i]);
            continue;
        }
        rc = spool_report_add(rep, SPOOL_F_MISSING, missing[i]->name, "no %s for uid %lu",
                              opts->format == SPOOL_MAILDIR ? "maildir" : "mbox",
                              (unsigned long) missing[i]->uid);
    }
    free(missing);
    return rc;
}

/* One share of the per-entry work: entries [from, to) of the listing. */
struct spool_part {
    const struct spool_opts *opts;
    struct spool_accts *accts;
    int dirfd;
    const char *buf;        /* the whole listing, as getdents64 gave it */
    const uint32_t *offs;   /* offset of each entry in buf */
    size_t from;
    size_t to;
    time_t now;
    struct spool_report rep;
    int rc;
};

/* spool_audit_part - classify a share of the entries into its own report */
static void *
spool_audit_part(void *arg)
{
    struct spool_part *pt = arg;
    const struct dirent64 *de;
    size_t i;
    int rc = MH_OK;

    for (i = pt->from; i < pt->to && rc == MH_OK; i++) {
        de = (const struct dirent64 *) (pt->buf + pt->offs[i]);
        if (spool_skip_name(de->d_name)) {
            /* USER.lock: local(8)'s dot-lock; one left behind by a
             * dead node blocks delivery until it is broken. */
            if (pt->opts->format == SPOOL_MBOX && de->d_name[0] != '.') {
                rc = spool_lock_entry(pt->opts, pt->accts, pt->dirfd, de->d_name,
                                      strlen(de->d_name), SPOOL_LOCKS_AUDIT, pt->now, &pt->rep);
            }
            continue;
        }
        rc = spool_audit_entry(pt->opts, pt->accts, pt->dirfd, de->d_name, strlen(de->d_name),
                               &pt->rep);
    }
    pt->rc = rc;
    return NULL;
}

/* spool_report_take - move SRC's findings to the end of DST */
static int
spool_report_take(struct spool_report *dst, struct spool_report *src)
{
    struct spool_finding *nv;
    size_t ncap;

    if (dst->n + src->n > dst->cap) {
        ncap = dst->n + src->n;
        nv = realloc(dst->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return -ENOMEM;
        }
        dst->v = nv;
        dst->cap = ncap;
    }
    if (src->n > 0) {
        memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
    }
    dst->n += src->n;
    dst->problems += src->problems;
    dst->mailboxes += src->mailboxes;
    dst->locks += src->locks;
    free(src->v);
    memset(src, 0, sizeof(*src));
    return MH_OK;
}

/* spool_list - the whole directory into *BUF, each entry's offset into *OFFS */
static int
spool_list(int dirfd, char **bufp, uint32_t **offsp, size_t *countp)
{
    char *buf = NULL, *nb;
    uint32_t *offs = NULL, *no;
    size_t cap = 0, used = 0, n = 0, ncap = 0;
    ssize_t got, off;
    const struct dirent64 *de;

    /* getdents64 straight into one growing buffer: a few system calls
     * for the whole spool, and no copy or allocation per entry. */
    for (;;) {
        if (cap - used < SPOOL_DENTS_BUF / 4) {
            if (cap > UINT32_MAX / 2) {
                free(buf);
                return -EFBIG;
            }
            cap = cap ? cap * 2 : SPOOL_DENTS_BUF;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                return -ENOMEM;
            }
            buf = nb;
        }
        got = getdents64(dirfd, buf + used, cap - used);
        if (got < 0) {
            free(buf);
            return -errno;
        }
        if (got == 0) {
            break;
        }
        used += (size_t) got;
    }
    for (off = 0; (size_t) off < used; off += de->d_reclen) {
        de = (const struct dirent64 *) (buf + off);
        if (n == ncap) {
            ncap = ncap ? ncap * 2 : 1024;
            no = realloc(offs, ncap * sizeof(*offs));
            if (no == NULL) {
                free(offs);
                free(buf);
                return -ENOMEM;
            }
            offs = no;
        }
        offs[n++] = (uint32_t) off;
    }
    *bufp = buf;
    *offsp = offs;
    *countp = n;
    return MH_OK;
}

/* spool_audit_threads - how many threads share the entries: 1 or 2 */
static int
spool_audit_threads(const struct spool_opts *opts, size_t n)
{
    cpu_set_t cpus;

    if (opts->threads == 1 || n < SPOOL_THREAD_MIN) {
        return 1;
    }
    if (opts->threads >= 2) {
        return 2;
    }
    if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0 || CPU_COUNT(&cpus) < 2) {
        return 1;
    }
    return 2;
}

/* spool_audit - policy, every entry, then the accounts without a mailbox */
int
spool_audit(const struct spool_opts *opts, struct spool_accts *accts,
            struct spool_report *rep, char *why, size_t whylen)
{
    struct spool_part part[2];
    struct stat st;
    pthread_t tid;
    char *buf = NULL;
    uint32_t *offs = NULL;
    size_t n = 0, i, nparts;
    int dirfd, rc, started = 0;

    memset(part, 0, sizeof(part));
    dirfd = spool_open_dir(opts->dir, why, whylen);
    if (dirfd < 0) {
        return dirfd;
    }
    if (fstat(dirfd, &st) != 0) {
        rc = -errno;
        snprintf(why, whylen, "stat %s: %s", opts->dir, strerror(errno));
        goto cleanup;
    }
    rc = spool_check_policy(opts, &st, rep);
    if (rc != MH_OK) {
        goto nomem;
    }
    rc = spool_list(dirfd, &buf, &offs, &n);
    if (rc != MH_OK) {
        snprintf(why, whylen, "read %s: %s", opts->dir, mh_rc_str(rc));
        goto cleanup;
    }

    /* The work per entry is one fstatat, mostly the kernel's path
     * lookup: two threads on two CPUs halve the wall time.  Each
     * classifies a contiguous half into its own report; the halves
     * are joined in listing order, so the findings and their order
     * are those of one thread.  Entries have distinct names, so no
     * account is marked seen by both. */
    nparts = (size_t) spool_audit_threads(opts, n);
    for (i = 0; i < nparts; i++) {
        part[i].opts = opts;
        part[i].accts = accts;
        part[i].dirfd = dirfd;
        part[i].buf = buf;
        part[i].offs = offs;
        part[i].from = n * i / nparts;
        part[i].to = n * (i + 1) / nparts;
        part[i].now = time(NULL);
    }
    if (nparts == 2 && pthread_create(&tid, NULL, spool_audit_part, &part[1]) == 0) {
        started = 1;
    }
    spool_audit_part(&part[0]);
    if (started) {
        pthread_join(tid, NULL);
    } else if (nparts == 2) {
        spool_audit_part(&part[1]);     /* no thread to be had: do it here */
    }
    for (i = 0; i < nparts && rc == MH_OK; i++) {
        rc = part[i].rc;
        if (rc == MH_OK) {
            rc = spool_report_take(rep, &part[i].rep);
        }
    }
    if (rc != MH_OK) {
        goto nomem;
    }
    rc = spool_audit_missing(opts, accts, rep);
    if (rc != MH_OK) {
        goto nomem;
    }
    goto cleanup;

nomem:
    snprintf(why, whylen, "audit %s: %s", opts->dir, mh_rc_str(rc));
cleanup:
    spool_report_free(&part[0].rep);
    spool_report_free(&part[1].rep);
    free(offs);
    free(buf);
    close(dirfd);
    return rc;
}

/* spool_create_mbox - an empty mbox: O_EXCL, then owner and mode by descriptor */
static int
spool_create_mbox(const struct spool_opts *opts, int dirfd, const struct spool_acct *acct,
                  struct spool_report *rep, char *why, size_t whylen)
{
    gid_t gid = opts->have_mbox_gid ? opts->mbox_gid : acct->gid;
    int fd;

    fd = mh_safe_create_at(dirfd, acct->name, O_WRONLY, 0600, why, whylen);
    if (fd < 0) {
        /* EEXIST: something (a planted symlink?) took the name since
         * we looked; it is left alone and reported. */
        return spool_report_add(rep, SPOOL_F_UNSAFE, acct->name, "%s", why);
    }
    if (fchown(fd, acct->uid, gid) != 0 || fchmod(fd, 0600) != 0) {
        snprintf(why, whylen, "chown %s/%s: %s", opts->dir, acct->name, strerror(errno));
        close(fd);
        return -EPERM;
    }
    close(fd);
    return spool_report_add(rep, SPOOL_F_CREATED, acct->name, "mbox, uid %lu gid %lu, mode 0600",
                            (unsigned long) acct->uid, (unsigned long) gid);
}

/* spool_make_subdir - mkdirat NAME in FD, reopen it as ours, hand it to the user */
static int
spool_make_subdir(int fd, const char *name, const struct spool_acct *acct, int *created,
                  char *why, size_t whylen)
{
    int sfd;

    *created = 0;
    if (mkdirat(fd, name, 0700) == 0) {
        *created = 1;
    } else if (errno != EEXIST) {
        snprintf(why, whylen, "mkdir %s: %s", name, strerror(errno));
        return -errno;
    } else {
        /* already there; audit judges what it is */
        return MH_OK;
    }
    /* Root made it, so it must still be root's: anything else was
     * swapped in by someone else between mkdirat and open. */
    sfd = mh_safe_opendir_at(fd, name, 0, NULL, why, whylen);
    if (sfd < 0) {
        return MH_E_UNSAFE;
    }
    if (fchown(sfd, acct->uid, acct->gid) != 0 || fchmod(sfd, 0700) != 0) {
        snprintf(why, whylen, "chown %s: %s", name, strerror(errno));
        close(sfd);
        return -EPERM;
    }
    close(sfd);
    return MH_OK;
}

/* spool_create_maildir - directory, cur/ new/ tmp/, then the top handed over last */
static int
spool_create_maildir(const struct spool_opts *opts, int dirfd, const struct spool_acct *acct,
                     int exists, struct spool_report *rep, char *why, size_t whylen)
{
    int fd, rc, created, made = 0;
    size_t i;

    if (!exists) {
        if (mkdirat(dirfd, acct->name, 0700) != 0) {
            return spool_report_add(rep, SPOOL_F_UNSAFE, acct->name, "mkdir: %s",
                                    strerror(errno));
        }
        fd = mh_safe_opendir_at(dirfd, acct->name, 0, NULL, why, whylen);
    } else {
        /* Completing a maildir the user already owns. */
        fd = mh_safe_opendir_at(dirfd, acct->name, acct->uid, NULL, why, whylen);
    }
    if (fd < 0) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, acct->name, "%s", why);
    }
    for (i = 0; i < 3; i++) {
        rc = spool_make_subdir(fd, spool_subdirs[i], acct, &created, why, whylen);
        if (rc != MH_OK) {
            close(fd);
            return spool_report_add(rep, SPOOL_F_UNSAFE, acct->name, "%s", why);
        }
        made += created;
    }
    if (!exists) {
        if (fchown(fd, acct->uid, acct->gid) != 0 || fchmod(fd, 0700) != 0) {
            snprintf(why, whylen, "chown %s/%s: %s", opts->dir, acct->name, strerror(errno));
            close(fd);
            return -EPERM;
        }
    }
    close(fd);
    if (!exists) {
        return spool_report_add(rep, SPOOL_F_CREATED, acct->name,
                                "maildir, uid %lu gid %lu, mode 0700",
                                (unsigned long) acct->uid, (unsigned long) acct->gid);
    }
    if (made > 0) {
        return spool_report_add(rep, SPOOL_F_FIXED, acct->name, "added %d of cur/ new/ tmp/", made);
    }
    return MH_OK;
}

/* spool_create - every selected account without a mailbox gets one */
int
spool_create(const struct spool_opts *opts, struct spool_accts *accts,
             struct spool_report *rep, char *why, size_t whylen)
{
    struct spool_acct **sel, *acct;
    struct stat st;
    size_t i, n;
    int dirfd, rc = MH_OK;

    dirfd = spool_open_dir(opts->dir, why, whylen);
    if (dirfd < 0) {
        return dirfd;
    }
    /* In name order, so that what create reports reads like a list. */
    sel = spool_accts_sorted(accts, 1, 0, &n);
    if (sel == NULL) {
        n = 0;
        rc = -ENOMEM;
    }
    for (i = 0; i < n && rc == MH_OK; i++) {
        acct = sel[i];
        if (!spool_name_ok(acct->name)) {
            rc = spool_report_badname(rep, acct);
            continue;
        }
        rep->mailboxes++;
        if (fstatat(dirfd, acct->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (opts->format == SPOOL_MAILDIR && S_ISDIR(st.st_mode) && st.st_uid == acct->uid) {
                rc = spool_create_maildir(opts, dirfd, acct, 1, rep, why, whylen);
            } else if (S_ISLNK(st.st_mode)) {
                rc = spool_report_add(rep, SPOOL_F_UNSAFE, acct->name,
                                      "symbolic link where a mailbox should be; left alone");
            }
            continue;
        }
        if (errno != ENOENT) {
            rc = spool_report_add(rep, SPOOL_F_UNSAFE, acct->name, "stat: %s", strerror(errno));
            continue;
        }
        if (opts->format == SPOOL_MBOX) {
            rc = spool_create_mbox(opts, dirfd, acct, rep, why, whylen);
        } else {
            rc = spool_create_maildir(opts, dirfd, acct, 0, rep, why, whylen);
        }
    }
    if (rc == -ENOMEM) {
        snprintf(why, whylen, "create in %s: %s", opts->dir, mh_rc_str(rc));
    }
    free(sel);
    close(dirfd);
    return rc;
}

/* spool_policy - owner, group and mode of the spool directory, by descriptor */
int
spool_policy(const struct spool_opts *opts, struct spool_report *rep, char *why, size_t whylen)
{
    struct stat st;
    int fd, rc = MH_OK;

    if (!spool_mode_ok(opts->mode)) {
        snprintf(why, whylen, "policy mode %04o is world-writable without the sticky bit",
                 (unsigned) opts->mode);
        return MH_E_CONFIG;
    }
    fd = open(opts->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "open %s: %s", opts->dir, strerror(errno));
        return -errno;
    }
    if (fstat(fd, &st) != 0) {
        rc = -errno;
        snprintf(why, whylen, "stat %s: %s", opts->dir, strerror(errno));
        goto cleanup;
    }
    if (st.st_uid != opts->owner || st.st_gid != opts->group) {
        if (fchown(fd, opts->owner, opts->group) != 0) {
            rc = -errno;
            snprintf(why, whylen, "chown %s: %s", opts->dir, strerror(errno));
            goto cleanup;
        }
        rc = spool_report_add(rep, SPOOL_F_FIXED, "", "owner %lu:%lu, was %lu:%lu",
                              (unsigned long) opts->owner, (unsigned long) opts->group,
                              (unsigned long) st.st_uid, (unsigned long) st.st_gid);
    }
    /* chown clears set-gid on some filesystems: set the mode after it. */
    if (rc == MH_OK && (st.st_mode & 07777) != opts->mode) {
        if (fchmod(fd, opts->mode) != 0) {
            rc = -errno;
            snprintf(why, whylen, "chmod %s: %s", opts->dir, strerror(errno));
            goto cleanup;
        }
        rc = spool_report_add(rep, SPOOL_F_FIXED, "", "mode %04o, was %04o",
                              (unsigned) opts->mode, (unsigned) (st.st_mode & 07777));
    } else if (rc == MH_OK && (st.st_uid != opts->owner || st.st_gid != opts->group)) {
        rc = fchmod(fd, opts->mode) == 0 ? MH_OK : -errno;
        if (rc != MH_OK) {
            snprintf(why, whylen, "chmod %s: %s", opts->dir, strerror(-rc));
        }
    }
    if (rc == -ENOMEM) {
        snprintf(why, whylen, "policy %s: %s", opts->dir, mh_rc_str(rc));
    }

cleanup:
    close(fd);
    return rc;
}
