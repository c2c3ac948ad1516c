// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool_lock 3
 * SUMMARY
 *	find, judge and remove stale mbox dot-locks in a mail spool
 * SYNOPSIS
 *	#include "spool.h"
 *
 *	int spool_locks(const struct spool_opts *opts, struct spool_accts *accts,
 *	                enum spool_lock_action act, struct spool_report *rep,
 *	                char *why, size_t whylen)
 *	int spool_lock_entry(const struct spool_opts *opts, struct spool_accts *accts,
 *	                     int dirfd, const char *name, size_t len,
 *	                     enum spool_lock_action act, time_t now,
 *	                     struct spool_report *rep)
 *	size_t spool_lock_name(const char *name, size_t len)
 *	int spool_parse_time(const char *s, long *secs)
 * DESCRIPTION
 *	Postfix's local(8), and the mail readers, lock an mbox USER by
 *	creating USER.lock next to it with O_EXCL.  A node that dies in
 *	the middle of a delivery leaves that file on the replicated
 *	spool; local(8) on the next node then defers mail for USER until
 *	the lock's ctime is stale_lock_time (default 500 s) old, and
 *	breaks it only when a delivery to USER is tried.
 *
 *	Only an mbox spool has dot-locks; in a maildir spool nothing is
 *	judged.  A dot-lock is judged only when USER is a selected account (one
 *	whose mailbox this spool manages).  It is stale when its status
 *	change time (ctime: nobody can set it back, unlike the mtime) is
 *	more than stale_lock_time seconds ago, as local(8) judges it.
 *	Anything that does not look like a lock some mailer made is
 *	reported as unsafe and left alone: a symbolic link, a directory
 *	or special file, a file with more than one link, a file owned by
 *	anyone but root or USER (the owners local(8) and the mail readers
 *	give it), a file longer than SPOOL_LOCK_MAX_SIZE bytes.
 *
 *	Removal (SPOOL_LOCKS_REMOVE): the file is opened O_PATH|O_NOFOLLOW
 *	relative to the spool's descriptor and checked again through that
 *	descriptor (same inode as the lstat, still one link, same owner);
 *	just before unlinkat the name is looked up once more and must
 *	still be that inode, which the open descriptor keeps from being
 *	freed and reused.  Whoever could swap the name after that last
 *	look could also have removed it: only the spool's writers can.
 *	unlinkat removes a name, never follows it, and never writes.
 * DIAGNOSTICS
 *	0 when the work could be done (findings in the report), else a
 *	negative code and, for spool_locks, a reason in WHY.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_pfconf.h"
#include "mh_rc.h"
#include "spool.h"

#define SPOOL_LOCK_SUFFIX ".lock"
#define SPOOL_LOCK_SUFFIX_LEN 5

/* spool_lock_name - "X.lock", X non-empty: the length of X */
size_t
spool_lock_name(const char *name, size_t len)
{
    if (len <= SPOOL_LOCK_SUFFIX_LEN || name[0] == '.'
        || memcmp(name + len - SPOOL_LOCK_SUFFIX_LEN, SPOOL_LOCK_SUFFIX,
                  SPOOL_LOCK_SUFFIX_LEN) != 0) {
        return 0;
    }
    return len - SPOOL_LOCK_SUFFIX_LEN;
}

/* spool_parse_time - digits and an optional s/m/h/d/w unit, as Postfix
 * writes them (mh_pfconf_time), at most 100000000 seconds */
int
spool_parse_time(const char *s, long *secs)
{
    unsigned long long v;

    if (mh_pfconf_time(s, &v) != 0 || v > 100000000ULL) {
        return MH_E_PARSE;
    }
    *secs = (long) v;
    return MH_OK;
}

/* spool_lock_remove - unlink NAME if it is still the inode judged in ST */
static int
spool_lock_remove(int dirfd, const char *name, const struct stat *st, long age,
                  long stale, struct spool_report *rep)
{
    struct stat fst, again;
    int fd, rc;

    fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return MH_OK;   /* broken by local(8) meanwhile */
        }
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "open dot-lock: %s; left alone",
                                strerror(errno));
    }
    if (fstat(fd, &fst) != 0 || fst.st_dev != st->st_dev || fst.st_ino != st->st_ino
        || !S_ISREG(fst.st_mode) || fst.st_nlink != 1 || fst.st_uid != st->st_uid) {
        rc = spool_report_add(rep, SPOOL_F_UNSAFE, name,
                              "dot-lock changed while it was checked; left alone");
        goto cleanup;
    }
    /* The descriptor pins the inode: its number cannot be reused by
     * another file before the look below. */
    if (fstatat(dirfd, name, &again, AT_SYMLINK_NOFOLLOW) != 0
        || again.st_dev != fst.st_dev || again.st_ino != fst.st_ino) {
        rc = spool_report_add(rep, SPOOL_F_UNSAFE, name,
                              "dot-lock replaced while it was checked; left alone");
        goto cleanup;
    }
    if (unlinkat(dirfd, name, 0) != 0) {
        rc = errno == ENOENT ? MH_OK
            : spool_report_add(rep, SPOOL_F_UNSAFE, name, "remove stale dot-lock: %s",
                               strerror(errno));
        goto cleanup;
    }
    rc = spool_report_add(rep, SPOOL_F_REMOVED, name,
                          "stale dot-lock removed: %ld s old (stale_lock_time %ld s), owner uid %lu",
                          age, stale, (unsigned long) fst.st_uid);

cleanup:
    close(fd);
    return rc;
}

/* spool_lock_entry - one NAME.lock: a finding, a removal, or nothing */
int
spool_lock_entry(const struct spool_opts *opts, struct spool_accts *accts, int dirfd,
                 const char *name, size_t len, enum spool_lock_action act, time_t now,
                 struct spool_report *rep)
{
    struct spool_acct *acct;
    struct stat st;
    size_t ulen;
    long age;

    ulen = spool_lock_name(name, len);
    if (ulen == 0) {
        return MH_OK;
    }
    acct = spool_accts_find_len(accts, name, ulen);
    if (acct == NULL || !acct->selected) {
        return MH_OK;       /* not a mailbox this spool manages */
    }
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
            return MH_OK;
        }
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "stat dot-lock: %s", strerror(errno));
    }
    rep->locks++;
    if (S_ISLNK(st.st_mode)) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name,
                                "symbolic link where a dot-lock should be; left alone");
    }
    if (!S_ISREG(st.st_mode)) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "%s where a dot-lock should be; left alone",
                                S_ISDIR(st.st_mode) ? "directory" : "special file");
    }
    if (st.st_nlink != 1) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name, "%lu hard links to a dot-lock; left alone",
                                (unsigned long) st.st_nlink);
    }
    if (st.st_uid != 0 && st.st_uid != acct->uid) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name,
                                "dot-lock owned by uid %lu, neither %s (uid %lu) nor root; left alone",
                                (unsigned long) st.st_uid, acct->name, (unsigned long) acct->uid);
    }
    if (st.st_size > SPOOL_LOCK_MAX_SIZE) {
        return spool_report_add(rep, SPOOL_F_UNSAFE, name,
                                "%lld bytes: too big for a dot-lock; left alone",
                                (long long) st.st_size);
    }
    age = (long) (now - st.st_ctime);
    if (age <= opts->stale_lock_time) {
        if (act == SPOOL_LOCKS_AUDIT) {
            return MH_OK;   /* a delivery in progress */
        }
        return spool_report_add(rep, SPOOL_F_LOCKED, name,
                                "in use: %ld s old, stale after %ld s", age < 0 ? 0 : age,
                                opts->stale_lock_time);
    }
    if (act != SPOOL_LOCKS_REMOVE) {
        return spool_report_add(rep, SPOOL_F_STALE, name,
                                "stale dot-lock: %ld s old (stale_lock_time %ld s), owner uid %lu; "
                                "mail to %s waits until it is broken",
                                age, opts->stale_lock_time, (unsigned long) st.st_uid, acct->name);
    }
    return spool_lock_remove(dirfd, name, &st, age, opts->stale_lock_time, rep);
}

/* spool_locks - the dot-locks of the selected accounts, in directory order */
int
spool_locks(const struct spool_opts *opts, struct spool_accts *accts,
            enum spool_lock_action act, struct spool_report *rep, char *why, size_t whylen)
{
    struct dirent *de;
    time_t now = time(NULL);
    DIR *dp;
    int dirfd, rc = MH_OK;

    /* Maildir delivery takes no dot-lock: a USER.lock there is nobody's
     * lock, and nothing to remove. */
    if (opts->format == SPOOL_MAILDIR) {
        return MH_OK;
    }
    dirfd = open(opts->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        snprintf(why, whylen, "open %s: %s", opts->dir, strerror(errno));
        return -errno;
    }
    dp = fdopendir(dirfd);
    if (dp == NULL) {
        rc = -errno;
        snprintf(why, whylen, "read %s: %s", opts->dir, strerror(errno));
        close(dirfd);
        return rc;
    }
    for (;;) {
        errno = 0;
        de = readdir(dp);
        if (de == NULL) {
            if (errno != 0) {
                rc = -errno;
                snprintf(why, whylen, "read %s: %s", opts->dir, strerror(errno));
            }
            break;
        }
        rc = spool_lock_entry(opts, accts, dirfd, de->d_name, strlen(de->d_name), act, now, rep);
        if (rc != MH_OK) {
            snprintf(why, whylen, "locks in %s: %s", opts->dir, mh_rc_str(rc));
            break;
        }
    }
    closedir(dp);
    return rc;
}
