// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_read 3
 * SUMMARY
 *	read a whole regular alias or include file, bounded
 * DESCRIPTION
 *	Part of alias_check_run() (see mh_alias_check(3)); the types and
 *	the functions shared between its files are in mh_alias_ck.h.
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
#include "mh_alias_ck.h"

/*
 * alias_open_regular - open PATH for reading, a regular file of at most
 * MAX bytes (*ST gets its status); the descriptor, or a negative code
 * with the reason in WHY
 *
 * O_NONBLOCK: a FIFO planted where a table or include file should be
 * must not hang the check in open(); it is refused after fstat().
 */
int
alias_open_regular(const char *path, size_t max, struct stat *st, char *why, size_t whylen)
{
    int fd, rc;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        snprintf(why, whylen, "open %s: %s", path, strerror(errno));
        return rc;
    }
    if (fstat(fd, st) != 0) {
        rc = -errno;
        snprintf(why, whylen, "stat %s: %s", path, strerror(errno));
    } else if (!S_ISREG(st->st_mode)) {
        snprintf(why, whylen, "read %s: not a regular file", path);
        rc = MH_E_UNSAFE;
    } else if ((size_t) st->st_size > max) {
        snprintf(why, whylen, "read %s: larger than %zu bytes", path, max);
        rc = MH_E_TOOLONG;
    } else {
        return fd;
    }
    close(fd);
    return rc;
}

/*
 * alias_read_some - read up to WANT bytes of PATH from FD into BUF, again
 * when interrupted; the count (0 at end of file), or -errno with the
 * reason in WHY
 */
ssize_t
alias_read_some(int fd, const char *path, char *buf, size_t want, char *why, size_t whylen)
{
    ssize_t n;
    int err;

    do {
        n = read(fd, buf, want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        err = errno;
        snprintf(why, whylen, "read %s: %s", path, strerror(err));
        return -err;
    }
    return n;
}

/* alias_read_file - read a regular file whole, without blocking on a FIFO */
int
alias_read_file(const char *path, size_t max, char **buf, size_t *len,
                char *why, size_t whylen)
{
    struct stat st;
    char *b = NULL;
    size_t got = 0;
    int fd, rc = MH_OK;

    *buf = NULL;
    *len = 0;
    fd = alias_open_regular(path, max, &st, why, whylen);
    if (fd < 0) {
        return fd;
    }
    b = malloc((size_t) st.st_size + 1);
    if (b == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    /* The file may grow while we read: take what stat() saw. */
    while (got < (size_t) st.st_size) {
        ssize_t n = alias_read_some(fd, path, b + got, (size_t) st.st_size - got, why, whylen);

        if (n < 0) {
            rc = (int) n;
            goto done;
        }
        if (n == 0) {
            break;
        }
        got += (size_t) n;
    }
    b[got] = '\0';
    *buf = b;
    *len = got;
    b = NULL;

  done:
    free(b);
    close(fd);
    return rc;
}
