// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_rebuild 3h
 * SUMMARY
 *	rebuild one alias database with the real postalias, atomically
 * DESCRIPTION
 *	postalias(1) truncates a hash or btree database in place (see
 *	mkmap_open() and dict_db_open() in Postfix: DB_TRUNCATE under an
 *	exclusive lock).  A reader that does not take the lock, a reader
 *	that opened the file before, or a postalias killed half way sees
 *	an empty or partial table.  alias_rebuild_table() therefore has
 *	postalias build a database for a private copy of the source next
 *	to it, then rename()s that database over the old one: a lookup
 *	sees the old table or the new one, never a missing or partial
 *	one, and a failure leaves the old database byte for byte as it
 *	was.  Postfix daemons notice the replaced file (the old one has
 *	no links left) and reopen it.
 */
#ifndef ALIASES_REBUILD_H
#define ALIASES_REBUILD_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "mh_run.h"
#include "mh_alias_tables.h"

/* A rebuild in progress: the source locked and copied, postalias running. */
struct alias_rebuild_job {
    const struct alias_table *t;
    int sfd;            /* the source, flock()ed */
    struct stat src;    /* the source as copied */
    char *tmp;          /* the private copy postalias reads */
    char *tmpdb;        /* the database it builds */
    char *tmplock;      /* scratch file of the map type (cdb: .tmp) */
    char *spec;         /* "type:tmp" */
    pid_t pid;          /* postalias, or -1 */
    struct mh_run_child run;    /* postalias, its stderr captured */
};

/* alias_rebuild_start - lock T's source, copy it to job->tmp, start postalias on it */
int alias_rebuild_start(const char *config_dir, const struct alias_table *t,
                        struct alias_rebuild_job *job, char *why, size_t whylen);

/* alias_rebuild_finish - wait; COMMIT: rename the new database into place, else discard */
int alias_rebuild_finish(struct alias_rebuild_job *job, int commit, char *why, size_t whylen);

/* alias_rebuild_table - build T's database; 0 or a negative code + WHY */
int alias_rebuild_table(const char *config_dir, const struct alias_table *t,
                        char *why, size_t whylen);

/* alias_postalias_path - MAILHA_POSTALIAS or /usr/sbin/postalias */
const char *alias_postalias_path(void);

#endif
