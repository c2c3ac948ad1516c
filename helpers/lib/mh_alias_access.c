// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_access 3
 * SUMMARY
 *	test that each include file can be opened by its delivery user
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

/* alias_access_as - open each include file of user UID as that user */
static int
alias_access_as(struct alias_ck *ck, uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    size_t *list = NULL, nl = 0, answers = 0;
    int pfd[2] = { -1, -1 };
    int rc = MH_OK, status = 0;
    pid_t pid;
    FILE *fp = NULL;

    list = malloc(ck->nn * sizeof(*list));
    if (list == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < ck->nn; i++) {
        if (ck->nodes[i].kind == NODE_INCLUDE && ck->nodes[i].uid == uid
            && ck->nodes[i].name[0] == '/' && ck->nodes[i].first != NODE_NONE) {
            list[nl++] = i;
        }
    }
    if (nl == 0) {
        goto done;
    }
    if (pw == NULL) {
        rc = alias_report_add(ck->rep, ALIAS_WARNING, NULL, 0,
                              "delivery user uid %lu has no passwd entry: local(8) defers"
                              " mail to include files", (unsigned long) uid);
        goto done;
    }
    if (geteuid() != 0 && geteuid() != uid) {
        rc = alias_report_add(ck->rep, ALIAS_NOTE, NULL, 0,
                              "not root: cannot test whether %s can read the include files",
                              pw->pw_name);
        goto done;
    }
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        rc = -errno;
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        rc = -errno;
        goto done;
    }
    if (pid == 0) {
        /* The child becomes the delivery user and reports one errno each. */
        close(pfd[0]);
        if (geteuid() == 0 && (initgroups(pw->pw_name, pw->pw_gid) != 0
                               || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)) {
            _exit(2);
        }
        int errs[256];
        size_t ne = 0;

        for (size_t k = 0; k < nl; k++) {
            int fd = open(ck->nodes[list[k]].name, O_RDONLY | O_NONBLOCK | O_NOCTTY);

            errs[ne++] = fd < 0 ? errno : 0;
            if (fd >= 0) {
                close(fd);
            }
            /* One write per 256 answers, not one per file. */
            if (ne == sizeof(errs) / sizeof(errs[0]) || k + 1 == nl) {
                if (write(pfd[1], errs, ne * sizeof(errs[0]))
                    != (ssize_t) (ne * sizeof(errs[0]))) {
                    _exit(3);
                }
                ne = 0;
            }
        }
        _exit(0);
    }
    close(pfd[1]);
    pfd[1] = -1;
    fp = fdopen(pfd[0], "r");
    if (fp != NULL) {
        pfd[0] = -1;
        for (size_t k = 0; k < nl && rc == MH_OK; k++) {
            int err;

            if (fread(&err, sizeof(err), 1, fp) != 1) {
                break;
            }
            answers++;
            if (err != 0) {
                struct alias_node *n = &ck->nodes[list[k]];

                rc = alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                      "include file %s is not readable by delivery user %s:"
                                      " %s (local(8) bounces the mail)", n->name,
                                      pw->pw_name, strerror(err));
            }
        }
        fclose(fp);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = -1;
            break;
        }
    }
    /* A child that could not become the user (exit 2), could not write
     * (3) or died answered for nothing it did not send: say that the
     * test was not done, never let the silence pass for "readable". */
    if (rc == MH_OK && (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0
                        || answers < nl)) {
        char how[64];

        if (status == -1) {
            snprintf(how, sizeof(how), "could not be waited for");
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
            snprintf(how, sizeof(how), "could not drop its privileges");
        } else if (WIFEXITED(status)) {
            snprintf(how, sizeof(how), "exited with %d", WEXITSTATUS(status));
        } else if (WIFSIGNALED(status)) {
            snprintf(how, sizeof(how), "was killed by signal %d", WTERMSIG(status));
        } else {
            snprintf(how, sizeof(how), "ended with status %d", status);
        }
        rc = alias_report_add(ck->rep, ALIAS_WARNING, NULL, 0,
                              "could not test whether delivery user %s can read the include"
                              " files: the test process %s after %zu of %zu answers",
                              pw->pw_name, how, answers, nl);
    }

  done:
    if (pfd[0] >= 0) {
        close(pfd[0]);
    }
    if (pfd[1] >= 0) {
        close(pfd[1]);
    }
    free(list);
    return rc;
}

/* alias_check_access - one child per delivery user */
int
alias_check_access(struct alias_ck *ck)
{
    uid_t done[16];
    size_t nd = 0;
    int rc = MH_OK;

    for (size_t i = 0; i < ck->nn && rc == MH_OK; i++) {
        uid_t uid = ck->nodes[i].uid;
        int seen = 0;

        /* root reads every file: local(8) reads with root's rights only
         * root-owned include files named in a root-owned table */
        if (ck->nodes[i].kind != NODE_INCLUDE || uid == 0) {
            continue;
        }
        for (size_t k = 0; k < nd; k++) {
            seen |= done[k] == uid;
        }
        if (seen || nd == sizeof(done) / sizeof(done[0])) {
            continue;
        }
        done[nd++] = uid;
        rc = alias_access_as(ck, uid);
    }
    return rc;
}
