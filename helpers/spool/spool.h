// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool 3h
 * SUMMARY
 *	mailha-spool internals: accounts, audit, create, holders, rwcheck
 * DESCRIPTION
 *	The engine of ocf:mailha:mailspool and of the operator command
 *	mailha-spool.  Library code here returns 0 or a negative code
 *	(mh_rc.h) and a reason; only main.c decides and prints.
 *
 *	Accounts are the OS users this node knows (getpwent, or a
 *	passwd-format file), with a selection (uid range and/or group)
 *	saying which ones must have a mailbox.  A spool entry is a
 *	mailbox: a file (mbox) or a directory with cur/ new/ tmp/
 *	(maildir), named after its account.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

enum spool_format {
    SPOOL_MBOX = 0,
    SPOOL_MAILDIR = 1,
};

/* What a finding is about; spool_kind_str() names them. */
enum spool_kind {
    SPOOL_F_POLICY = 0,     /* the spool directory breaks the mode policy */
    SPOOL_F_MISSING,        /* a selected account has no mailbox */
    SPOOL_F_ORPHAN,         /* a mailbox whose name is no account here */
    SPOOL_F_DRIFT,          /* a mailbox owned by another uid than its account's */
    SPOOL_F_MODE,           /* a mailbox with a mode that is not 0600/0700 */
    SPOOL_F_UNSAFE,         /* a symlink, hard link or odd file as mailbox */
    SPOOL_F_TYPE,           /* mbox where maildir is wanted or the reverse */
    SPOOL_F_INCOMPLETE,     /* a maildir without cur/ new/ tmp/ */
    SPOOL_F_CREATED,        /* create made this mailbox (not a problem) */
    SPOOL_F_FIXED,          /* policy applied / maildir completed */
    SPOOL_F_STALE,          /* a dot-lock older than stale_lock_time */
    SPOOL_F_LOCKED,         /* a dot-lock in use (younger; not a problem) */
    SPOOL_F_REMOVED,        /* a stale dot-lock removed (not a problem) */
    SPOOL_F_LAST,
};

struct spool_acct {
    char *name;
    uid_t uid;
    gid_t gid;
    int selected;           /* must have a mailbox */
    int seen;               /* a spool entry carries its name */
    uint64_t hash;          /* of name, with the table's seed */
};

/* The accounts in the order read (the first of a duplicated name
 * only), and an open-addressing hash table over them: one lookup per
 * spool entry costs one hash and, nearly always, one strcmp. */
struct spool_accts {
    struct spool_acct *v;   /* in the order read */
    size_t n;
    size_t cap;
    uint64_t *tab;          /* index + 1 into v, hash's top bits; 0 is empty */
    size_t mask;            /* table size - 1 (a power of two) */
    uint64_t seed;          /* per process, against chosen collisions */
    char *arena;            /* the names: chunks, each linked to the one before */
    char *arena_next;
    size_t arena_left;
};

/* Which accounts must have a mailbox. */
struct spool_sel {
    unsigned long uid_min;
    unsigned long uid_max;
    const char *group;      /* NULL: no group condition */
};

struct spool_finding {
    enum spool_kind kind;
    char *name;             /* the entry or account; "" for the spool itself */
    char *detail;
};

struct spool_report {
    struct spool_finding *v;
    size_t n;
    size_t cap;
    size_t problems;        /* findings that are not CREATED/FIXED */
    size_t mailboxes;       /* entries looked at */
    size_t locks;           /* dot-locks of selected accounts looked at */
};

/* The spool and its policy. */
struct spool_opts {
    const char *dir;
    enum spool_format format;
    mode_t mode;            /* the spool directory's mode */
    uid_t owner;
    gid_t group;
    gid_t mbox_gid;         /* group of a new mbox file (Debian: mail) */
    int have_mbox_gid;
    long stale_lock_time;   /* seconds; a dot-lock older is stale (Postfix: 500) */
    int threads;            /* audit: 0 as the CPUs allow, 1 one thread, 2 two */
};

/* What spool_locks does with the dot-locks it finds. */
enum spool_lock_action {
    SPOOL_LOCKS_AUDIT = 0,  /* stale and unsafe ones are findings */
    SPOOL_LOCKS_LIST,       /* also list the ones in use */
    SPOOL_LOCKS_REMOVE,     /* list, and remove the stale safe ones */
};

/* Bytes a dot-lock may hold: Postfix writes none, liblockfile a pid. */
#define SPOOL_LOCK_MAX_SIZE 64

/* spool_accts_load - read accounts, mark the selected; 0 or code */
int spool_accts_load(struct spool_accts *accts, const char *passwd_file,
                     const struct spool_sel *sel, char *why, size_t whylen);
/* spool_accts_find - the account called NAME, or NULL */
struct spool_acct *spool_accts_find(const struct spool_accts *accts, const char *name);
/* spool_accts_find_len - the same for NAME of LEN bytes (no NUL needed) */
struct spool_acct *spool_accts_find_len(const struct spool_accts *accts, const char *name,
                                        size_t len);
/* spool_accts_sorted - the selected accounts (or all), sorted by name; free() it */
struct spool_acct **spool_accts_sorted(const struct spool_accts *accts, int selected_only,
                                       int unseen_only, size_t *count);
void spool_accts_free(struct spool_accts *accts);

/* spool_mode_ok - a spool mode the policy accepts (never o+w without +t) */
int spool_mode_ok(mode_t mode);
/* spool_parse_mode - an octal mode of 3 or 4 digits; 0 or MH_E_PARSE */
int spool_parse_mode(const char *s, mode_t *mode);
/* spool_parse_format - "mbox" or "maildir"; 0 or MH_E_PARSE */
int spool_parse_format(const char *s, enum spool_format *fmt);
/* spool_skip_name - names in a spool that are no mailbox */
int spool_skip_name(const char *name);
/* spool_name_ok - an account name a mailbox here can carry */
int spool_name_ok(const char *name);

/* spool_audit - report every finding about the spool; 0 or code */
int spool_audit(const struct spool_opts *opts, struct spool_accts *accts,
                struct spool_report *rep, char *why, size_t whylen);
/* spool_create - create the missing mailboxes of selected accounts */
int spool_create(const struct spool_opts *opts, struct spool_accts *accts,
                 struct spool_report *rep, char *why, size_t whylen);
/* spool_policy - apply the mode policy to the spool directory */
int spool_policy(const struct spool_opts *opts, struct spool_report *rep,
                 char *why, size_t whylen);

/* spool_lock_name - NAME is "X.lock" with X non-empty: the length of X, else 0 */
size_t spool_lock_name(const char *name, size_t len);
/* spool_lock_entry - judge the dot-lock NAME (of LEN bytes) in DIRFD; 0 or code */
int spool_lock_entry(const struct spool_opts *opts, struct spool_accts *accts, int dirfd,
                     const char *name, size_t len, enum spool_lock_action act, time_t now,
                     struct spool_report *rep);
/* spool_locks - every dot-lock of a selected account in the spool; 0 or code */
int spool_locks(const struct spool_opts *opts, struct spool_accts *accts,
                enum spool_lock_action act, struct spool_report *rep, char *why, size_t whylen);
/* spool_parse_time - a Postfix time value ("500s", "10m", "500"), in seconds */
int spool_parse_time(const char *s, long *secs);

/* spool_kind_problem - whether a finding of KIND counts as a problem */
int spool_kind_problem(enum spool_kind kind);

int spool_report_add(struct spool_report *rep, enum spool_kind kind,
                     const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void spool_report_free(struct spool_report *rep);
/* spool_report_badname - an account whose name no mailbox can carry */
int spool_report_badname(struct spool_report *rep, const struct spool_acct *acct);
const char *spool_kind_str(enum spool_kind kind);
/* spool_report_print - text for a person, or JSON */
void spool_report_print(FILE *fp, const struct spool_report *rep,
                        const struct spool_opts *opts, const char *verb, int json);

/* One process that holds something on the filesystem. */
struct spool_holder {
    pid_t pid;
    int pidfd;              /* pins the process found; -1 without pidfd_open */
    char comm[32];
    char what[64];          /* "fd 3", "cwd", "root", "exe", "maps" */
};

struct spool_holders {
    struct spool_holder *v;
    size_t n;
    size_t cap;
};

/* spool_maps_line_dev - the MAJ:MIN field of a /proc/PID/maps line */
int spool_maps_line_dev(const char *line, unsigned *major, unsigned *minor);
/* spool_holders_find - processes under PROCDIR holding files of DEV */
int spool_holders_find(const char *procdir, dev_t dev, struct spool_holders *hs,
                       char *why, size_t whylen);
/* spool_holders_signal - SIG to each holder found; how many were sent */
int spool_holders_signal(const struct spool_holders *hs, int sig);
void spool_holders_free(struct spool_holders *hs);
/* spool_mount_dev - DIR's device, checked to be a mount point; 0 or code */
int spool_mount_dev(const char *dir, dev_t *dev, char *why, size_t whylen);

/* spool_rwcheck - write, fsync, read back and remove a status file */
int spool_rwcheck(const char *dir, char *why, size_t whylen);

#endif
