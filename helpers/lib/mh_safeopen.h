// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_safeopen 3h
 * SUMMARY
 *	open files in directories that other users can write to
 * DESCRIPTION
 *	The mail spool is writable by its users (mailbox files, maildirs),
 *	so a root helper that opens a name there could be sent elsewhere
 *	by a symlink, or made to change a file it does not own through a
 *	hard link.  These functions open relative to a directory
 *	descriptor, never follow a symlink in the last component, refuse
 *	hard-linked regular files, and check the owner of what they opened
 *	against what the caller expected.  They return a reason instead
 *	of deciding for the caller.
 */
#ifndef MH_SAFEOPEN_H
#define MH_SAFEOPEN_H

#include <stdio.h>
#include <sys/types.h>
#include <sys/stat.h>

#define MH_ANY_UID ((uid_t) -1)

/* mh_safe_open_at - open an existing regular file; fd or negative code */
int mh_safe_open_at(int dirfd, const char *name, int flags, uid_t want_uid,
                    struct stat *st, char *why, size_t whylen);

/* mh_safe_create_at - create a new regular file (O_EXCL); fd or code */
int mh_safe_create_at(int dirfd, const char *name, int flags, mode_t mode,
                      char *why, size_t whylen);

/* mh_safe_opendir_at - open a directory, not through a symlink */
int mh_safe_opendir_at(int dirfd, const char *name, uid_t want_uid,
                       struct stat *st, char *why, size_t whylen);

/* mh_open_file - open a path to read without hanging on a FIFO;
 * a regular file only (or a directory, with dir_ok); fd or code */
int mh_open_file(const char *path, int flags, int dir_ok, struct stat *st, char *why,
                 size_t whylen);

/* mh_fopen_file - the same as a stream; NULL with *rc and why set */
FILE *mh_fopen_file(const char *path, int *rc, char *why, size_t whylen);

#endif
