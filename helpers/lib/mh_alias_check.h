// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_check 3h
 * SUMMARY
 *	check an instance's alias tables, lists and include files
 * DESCRIPTION
 *	alias_check_run() reads every file-backed alias table of a
 *	configuration (see alias_tables(3h)), parses it and its :include:
 *	files, and adds findings to a report: errors (entries postalias
 *	would drop or that cannot be read) and warnings (stale or missing
 *	databases, alias_maps/alias_database mismatch, duplicates, lists
 *	without owner-/-request, include files missing, unreadable by the
 *	delivery user or world-writable, include loops, unknown targets).
 *	Findings carry file and line.  Nothing is changed on disk.
 */
#ifndef MH_ALIAS_CHECK_H
#define MH_ALIAS_CHECK_H

#include <stddef.h>

#include "mh_alias_parse.h"
#include "mh_alias_tables.h"

/* How deep :include: files may nest before the checker stops following. */
#define ALIAS_MAX_INCLUDE_DEPTH 16
/* Files larger than this are not read. */
#define ALIAS_MAX_FILE_SIZE (512L * 1024 * 1024)
/* An include file (a list owner's) is read only up to this size, and all
 * include files of one run up to the total; each file (device and inode)
 * is read once, however many names lead to it (issue 15 #2). */
#define ALIAS_MAX_INCLUDE_SIZE (64L * 1024 * 1024)
#define ALIAS_MAX_INCLUDE_TOTAL (256L * 1024 * 1024)

#define ALIAS_CHECK_NO_ACCESS  (1 << 0)   /* skip the delivery-user open test */
#define ALIAS_CHECK_NO_ACCOUNT (1 << 1)   /* skip getpwnam() for local targets */
#define ALIAS_CHECK_NO_FRESH   (1 << 2)   /* skip the database age test */
/* only what can be an error: parse every table and include file, skip the
 * passes that can only warn (lists, targets, loops, delivery-user access);
 * what rebuild uses, since only errors stop a rebuild */
#define ALIAS_CHECK_ERRORS_ONLY (1 << 3)

struct alias_finding {
    enum alias_severity sev;
    char *file;         /* may be NULL (a configuration finding) */
    size_t line;        /* 0 when not about one line */
    char *msg;
};

struct alias_report {
    struct alias_finding *v;
    size_t n;
    size_t cap;
    size_t nerrors;
    size_t nwarnings;
    size_t nnotes;
    size_t lines;       /* physical lines read, tables and include files */
    size_t entries;     /* alias entries parsed */
    char **includes;    /* distinct include files seen, sorted */
    size_t nincludes;
};

/* alias_check_run - check everything CFG lists; 0 or -ENOMEM */
int alias_check_run(const struct alias_config *cfg, int flags, struct alias_report *rep);

/* alias_report_add - add a finding; 0 or -ENOMEM */
int alias_report_add(struct alias_report *rep, enum alias_severity sev, const char *file,
                     size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* alias_report_first_error - the first error finding, or NULL */
const struct alias_finding *alias_report_first_error(const struct alias_report *rep);

/* alias_report_free - release the findings */
void alias_report_free(struct alias_report *rep);

/* alias_read_file - read a whole regular file (at most MAX bytes); 0 or code */
int alias_read_file(const char *path, size_t max, char **buf, size_t *len,
                    char *why, size_t whylen);

#endif
