// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_safeopen 3
 * SUMMARY
 *	open spool files safely
 * SYNOPSIS
 *	#include "mh_safeopen.h"
 *
 *	int mh_safe_open_at(int dirfd, const char *name, int flags,
 *	                    uid_t want_uid, struct stat *st,
 *	                    char *why, size_t whylen)
 *	int mh_safe_create_at(int dirfd, const char *name, int flags,
 *	                      mode_t mode, char *why, size_t whylen)
 *	int mh_safe_opendir_at(int dirfd, const char *name, uid_t want_uid,
 *	                       struct stat *st, char *why, size_t whylen)
 *	int mh_open_file(const char *path, int flags, int dir_ok,
 *	                 struct stat *st, char *why, size_t whylen)
 *	FILE *mh_fopen_file(const char *path, int *rc, char *why,
 *	                    size_t whylen)
 * DESCRIPTION
 *	NAME must be a single path component: a slash in it would let
 *	an intermediate symlink redirect the open.
 *
 *	mh_open_file() opens a path the caller reads (a log, a cursor, a
 *	state or passwd file) with O_NONBLOCK, so that a FIFO put there
 *	cannot hang open(), and refuses anything but a regular file (a
 *	directory too, with dir_ok: its read() then fails with EISDIR).
 *	The descriptor is blocking again when it is returned.
 *	mh_fopen_file() is the same as a stdio stream.
 * DIAGNOSTICS
 *	A negative errno, or MH_E_UNSAFE when the file is there but
 *	fails a check (not a regular file, hard-linked, wrong owner);
 *	WHY says which.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mh_safeopen.h"
#include "mh_rc.h"

/* mh_safe_name - one component, not "." or ".." */
static int
mh_safe_name(const char *name, char *why, size_t whylen)
{
    if (name[0] == '\0' || strchr(name, '/') != NULL
        || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        snprintf(why, whylen, "not a plain file name: \"%s\"", name);
        return -EINVAL;
    }
    return MH_OK;
}

/* mh_safe_check - what was opened is what the caller may touch */
static int
mh_safe_check(int fd, const char *name, int want_dir, uid_t want_uid,
              struct stat *st, char *why, size_t whylen)
{
    struct stat sb;

    if (fstat(fd, &sb) != 0) {
        snprintf(why, whylen, "fstat %s: %s", name, strerror(errno));
        return -errno;
    }
    if (want_dir ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode)) {
        snprintf(why, whylen, "%s: not a %s", name, want_dir ? "directory" : "regular file");
        return MH_E_UNSAFE;
    }
    /* A second link to a mailbox lets its owner make us write or chown
     * a file elsewhere (another user's mailbox, /etc/shadow). */
    if (!want_dir && sb.st_nlink != 1) {
        snprintf(why, whylen, "%s: has %lu hard links", name, (unsigned long) sb.st_nlink);
        return MH_E_UNSAFE;
    }
    if (want_uid != MH_ANY_UID && sb.st_uid != want_uid) {
        snprintf(why, whylen, "%s: owned by uid %lu, expected %lu", name,
                 (unsigned long) sb.st_uid, (unsigned long) want_uid);
        return MH_E_UNSAFE;
    }
    if (st != NULL) {
        *st = sb;
    }
    return MH_OK;
}

/* mh_safe_open_at - open an existing file, checked after open */
int
mh_safe_open_at(int dirfd, const char *name, int flags, uid_t want_uid,
                struct stat *st, char *why, size_t whylen)
{
    int fd, rc;

    rc = mh_safe_name(name, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    /* O_NONBLOCK: a FIFO planted under the name must not hang us. */
    fd = openat(dirfd, name, (flags & ~(O_CREAT | O_EXCL)) | O_NOFOLLOW | O_CLOEXEC
                | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        rc = -errno;
        if (errno == ELOOP) {
            snprintf(why, whylen, "%s: is a symbolic link", name);
            return MH_E_UNSAFE;
        }
        snprintf(why, whylen, "open %s: %s", name, strerror(errno));
        return rc;
    }
    rc = mh_safe_check(fd, name, 0, want_uid, st, why, whylen);
    if (rc != MH_OK) {
        close(fd);
        return rc;
    }
    if (!(flags & O_NONBLOCK)) {
        int fl = fcntl(fd, F_GETFL);

        if (fl >= 0) {
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        }
    }
    return fd;
}

/* mh_safe_create_at - create a new file; an existing name is an error */
int
mh_safe_create_at(int dirfd, const char *name, int flags, mode_t mode,
                  char *why, size_t whylen)
{
    int fd, rc;

    rc = mh_safe_name(name, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    /* O_EXCL never follows a symlink, dangling or not. */
    fd = openat(dirfd, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
                mode);
    if (fd < 0) {
        rc = -errno;
        snprintf(why, whylen, "create %s: %s", name, strerror(errno));
        return rc;
    }
    return fd;
}

/* mh_safe_opendir_at - open a directory, refusing a symlink */
int
mh_safe_opendir_at(int dirfd, const char *name, uid_t want_uid,
                   struct stat *st, char *why, size_t whylen)
{
    int fd, rc;

    rc = mh_safe_name(name, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        struct stat lst;

        rc = -errno;
        /* O_DIRECTORY wins over O_NOFOLLOW: a symlink gives ENOTDIR. */
        if (errno == ELOOP
            || (errno == ENOTDIR && fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0
                && S_ISLNK(lst.st_mode))) {
            snprintf(why, whylen, "%s: is a symbolic link", name);
            return MH_E_UNSAFE;
        }
        snprintf(why, whylen, "open %s: %s", name, strerror(errno));
        return rc;
    }
    rc = mh_safe_check(fd, name, 1, want_uid, st, why, whylen);
    if (rc != MH_OK) {
        close(fd);
        return rc;
    }
    return fd;
}

/* mh_file_type - a word for a file type, for reasons */
static const char *
mh_file_type(mode_t mode)
{
    if (S_ISFIFO(mode)) {
        return "a FIFO";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    return "not a regular file";
}

/* mh_open_file - open a path to read; no FIFO, device or socket */
int
mh_open_file(const char *path, int flags, int dir_ok, struct stat *st, char *why,
             size_t whylen)
{
    struct stat sb;
    int fd, fl, rc;

    fd = open(path, (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        snprintf(why, whylen, "open %s: %s", path, strerror(errno));
        return rc;
    }
    if (fstat(fd, &sb) != 0) {
        rc = -errno;
        snprintf(why, whylen, "stat %s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if (!S_ISREG(sb.st_mode) && !(dir_ok && S_ISDIR(sb.st_mode))) {
        snprintf(why, whylen, "open %s: %s, not a regular file", path, mh_file_type(sb.st_mode));
        close(fd);
        return MH_E_UNSAFE;
    }
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        rc = -errno;
        snprintf(why, whylen, "fcntl %s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if (st != NULL) {
        *st = sb;
    }
    return fd;
}

/* mh_fopen_file - mh_open_file() as a read-only stdio stream */
FILE *
mh_fopen_file(const char *path, int *rc, char *why, size_t whylen)
{
    FILE *fp;
    int fd;

    fd = mh_open_file(path, O_RDONLY, 0, NULL, why, whylen);
    if (fd < 0) {
        *rc = fd;
        return NULL;
    }
    fp = fdopen(fd, "r");
    if (fp == NULL) {
        *rc = -errno;
        snprintf(why, whylen, "open %s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    *rc = MH_OK;
    return fp;
}
