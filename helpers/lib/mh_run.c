// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_run 3
 * SUMMARY
 *	run a program and capture its output
 * SYNOPSIS
 *	#include "mh_run.h"
 *
 *	int mh_run(const char *const *argv, const struct mh_run_opts *opts,
 *	           struct mh_run_result *res, char *why, size_t whylen)
 *	int mh_run_start(struct mh_run_child *child, const char *const *argv,
 *	                 const struct mh_run_opts *opts, char *why, size_t whylen)
 *	int mh_run_finish(struct mh_run_child *child, int signo,
 *	                  struct mh_run_result *res, char *why, size_t whylen)
 *	void mh_run_free(struct mh_run_result *res)
 * DESCRIPTION
 *	fork + execv (execvp with MH_RUN_PATH), stdin from /dev/null,
 *	stdout and stderr as opts says.  The child closes every descriptor
 *	above 2 before exec.  The parent reads both capture pipes with
 *	poll() so that neither can fill up and block the child, until both
 *	are at end of file; with a time limit it also waits (on a pidfd)
 *	for the child to exit, and kills it with SIGKILL when the limit
 *	passes.  Without MH_RUN_PATH a program that is not executable is
 *	refused before the fork; with it (as execvp) nothing is checked
 *	before, and a program that cannot be executed exits 127.
 * DIAGNOSTICS
 *	0 when the program ran, whatever its exit status (res->status);
 *	-ENOENT when it is not executable, MH_E_TIMEOUT, MH_E_TOOLONG (a
 *	captured stream over max_out without MH_RUN_TRUNCATE), -ENOMEM or
 *	another -errno; the reason, "run PROG: ...", in why.  The child is
 *	reaped and every descriptor closed whatever the result.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mh_clock.h"
#include "mh_rc.h"
#include "mh_run.h"
#include "mh_sys.h"

struct mh_run_buf {
    char *data;
    size_t len;
    size_t cap;
};

/* mh_run_high_fd - move a close-on-exec descriptor above 2; fd or -errno */
static int
mh_run_high_fd(int fd)
{
    int high;

    if (fd > STDERR_FILENO) {
        return fd;
    }
    high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (high < 0) {
        high = -errno;
    }
    close(fd);
    return high;
}

/* mh_run_exec - in the child: set up descriptors, exec; never returns */
static void
mh_run_exec(const char *prog, const char *const *argv, const struct mh_run_opts *o,
            int outfd, int errfd)
{
    int nul = open("/dev/null", O_RDWR);

    if (nul >= 0 && nul <= STDERR_FILENO) {
        nul = fcntl(nul, F_DUPFD, STDERR_FILENO + 1);
    }
    if (nul >= 0) {
        dup2(nul, STDIN_FILENO);
    }
    if (o->out == MH_RUN_CAPTURE) {
        dup2(outfd, STDOUT_FILENO);
    } else if (o->out == MH_RUN_NULL && nul >= 0) {
        dup2(nul, STDOUT_FILENO);
    }
    if (o->err == MH_RUN_CAPTURE) {
        dup2(errfd, STDERR_FILENO);
    } else if (o->err == MH_RUN_NULL && nul >= 0) {
        dup2(nul, STDERR_FILENO);
    }
    mh_sys_close_from(STDERR_FILENO + 1);
    if (o->flags & MH_RUN_PATH) {
        execvp(prog, (char *const *) argv);
    } else {
        execv(prog, (char *const *) argv);
    }
    _exit(127);
}

/* mh_run_start - check, make the pipes, fork and exec */
int
mh_run_start(struct mh_run_child *child, const char *const *argv,
             const struct mh_run_opts *opts, char *why, size_t whylen)
{
    int pipes[2][2] = { { -1, -1 }, { -1, -1 } };
    int want[2] = { opts->out == MH_RUN_CAPTURE, opts->err == MH_RUN_CAPTURE };
    int rc = MH_OK;
    pid_t pid;

    memset(child, 0, sizeof(*child));
    child->pid = -1;
    child->fd[0] = child->fd[1] = -1;
    child->opts = *opts;
    child->name = opts->prog != NULL ? opts->prog : argv[0];
    if (child->opts.max_out == 0) {
        child->opts.max_out = MH_RUN_MAX_DEFAULT;
    }
    if (!(opts->flags & MH_RUN_PATH) && access(child->name, X_OK) != 0) {
        snprintf(why, whylen, "run %s: %s", child->name, strerror(errno));
        return -ENOENT;
    }
    for (int i = 0; i < 2; i++) {
        if (!want[i]) {
            continue;
        }
        if (pipe2(pipes[i], O_CLOEXEC) != 0) {
            rc = -errno;
            snprintf(why, whylen, "run %s: pipe: %s", child->name, strerror(errno));
            goto done;
        }
        for (int end = 0; end < 2; end++) {
            pipes[i][end] = mh_run_high_fd(pipes[i][end]);
            if (pipes[i][end] < 0) {
                rc = pipes[i][end];
                snprintf(why, whylen, "run %s: pipe: %s", child->name, strerror(-rc));
                goto done;
            }
        }
    }
    pid = fork();
    if (pid < 0) {
        rc = -errno;
        snprintf(why, whylen, "run %s: fork: %s", child->name, strerror(errno));
        goto done;
    }
    if (pid == 0) {
        mh_run_exec(child->name, argv, opts, pipes[0][1], pipes[1][1]);
    }
    child->pid = pid;
    if (opts->timeout_ms > 0) {
        child->deadline_ms = mh_clock_read(CLOCK_MONOTONIC, 1000) + opts->timeout_ms;
    }
    for (int i = 0; i < 2; i++) {
        child->fd[i] = pipes[i][0];
        pipes[i][0] = -1;
    }

  done:
    for (int i = 0; i < 2; i++) {
        for (int end = 0; end < 2; end++) {
            if (pipes[i][end] >= 0) {
                close(pipes[i][end]);
            }
        }
    }
    return rc;
}

/* mh_run_fill - read what a pipe has; 1 at EOF, 0 more to come, or a code */
static int
mh_run_fill(int fd, struct mh_run_buf *b, size_t max, int truncate)
{
    char scratch[4096];
    ssize_t got;

    if (b->len >= max) {
        got = read(fd, scratch, sizeof(scratch));
        if (got > 0) {
            return truncate ? 0 : MH_E_TOOLONG;
        }
    } else {
        if (b->cap - b->len < 4096 + 1 && b->cap < max + 1) {
            size_t ncap = b->cap ? b->cap * 2 : 8192;
            char *nd;

            if (ncap > max + 1) {
                ncap = max + 1;
            }
            nd = realloc(b->data, ncap);
            if (nd == NULL) {
                return -ENOMEM;
            }
            b->data = nd;
            b->cap = ncap;
        }
        got = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (got > 0) {
            b->len += (size_t) got;
            return 0;
        }
    }
    if (got < 0) {
        return errno == EINTR || errno == EAGAIN ? 0 : -errno;
    }
    return 1;
}

/* mh_run_pidfd - a descriptor that polls readable when pid exits, or -1 */
static int
mh_run_pidfd(pid_t pid)
{
    return mh_sys_pidfd_open(pid);
}

/* mh_run_finish - read the capture pipes to the end, reap the child */
int
mh_run_finish(struct mh_run_child *child, int signo, struct mh_run_result *res,
              char *why, size_t whylen)
{
    struct mh_run_buf bufs[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
    int truncate = (child->opts.flags & MH_RUN_TRUNCATE) != 0;
    int timed = child->deadline_ms != 0;
    int pidfd = -1, exited = 0, reaped = 0;
    int status = 0;
    int rc = MH_OK;

    memset(res, 0, sizeof(*res));
    if (child->pid <= 0) {
        snprintf(why, whylen, "run %s: not started", child->name ? child->name : "program");
        return -ECHILD;
    }
    if (signo != 0) {
        (void) kill(child->pid, signo);
    }
    if (timed) {
        pidfd = mh_run_pidfd(child->pid);
    }
    while (rc == MH_OK && (child->fd[0] >= 0 || child->fd[1] >= 0 || (pidfd >= 0 && !exited))) {
        struct pollfd pfd[3];
        int map[3];
        int nfds = 0, n, wait_ms = -1;

        for (int i = 0; i < 2; i++) {
            if (child->fd[i] >= 0) {
                pfd[nfds].fd = child->fd[i];
                pfd[nfds].events = POLLIN;
                pfd[nfds].revents = 0;
                map[nfds++] = i;
            }
        }
        if (pidfd >= 0 && !exited) {
            pfd[nfds].fd = pidfd;
            pfd[nfds].events = POLLIN;
            pfd[nfds].revents = 0;
            map[nfds++] = 2;
        }
        if (timed) {
            long long left = child->deadline_ms - mh_clock_read(CLOCK_MONOTONIC, 1000);

            if (left <= 0) {
                rc = MH_E_TIMEOUT;
                snprintf(why, whylen, "run %s: no answer in %d ms", child->name,
                         child->opts.timeout_ms);
                break;
            }
            wait_ms = left > 0x7fffffff ? 0x7fffffff : (int) left;
        }
        n = poll(pfd, (nfds_t) nfds, wait_ms);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            snprintf(why, whylen, "run %s: poll: %s", child->name, strerror(errno));
            break;
        }
        for (int k = 0; k < nfds && rc == MH_OK; k++) {
            int i = map[k];
            int r;

            if (pfd[k].revents == 0) {
                continue;
            }
            if (i == 2) {
                exited = 1;
                continue;
            }
            r = mh_run_fill(child->fd[i], &bufs[i], child->opts.max_out, truncate);
            if (r < 0) {
                rc = r;
                snprintf(why, whylen, "run %s: read output: %s", child->name, mh_rc_str(r));
            } else if (r == 1) {
                close(child->fd[i]);
                child->fd[i] = -1;
            }
        }
    }
    /* A time limit but no pidfd: look every 10 ms. */
    while (rc == MH_OK && timed && pidfd < 0 && !reaped) {
        pid_t got = waitpid(child->pid, &status, WNOHANG);
        struct timespec ts = { 0, 10 * 1000 * 1000 };

        if (got == child->pid) {
            reaped = 1;
            break;
        }
        if (got < 0 && errno != EINTR) {
            rc = -errno;
            snprintf(why, whylen, "run %s: wait: %s", child->name, strerror(errno));
            break;
        }
        if (mh_clock_read(CLOCK_MONOTONIC, 1000) >= child->deadline_ms) {
            rc = MH_E_TIMEOUT;
            snprintf(why, whylen, "run %s: no answer in %d ms", child->name,
                     child->opts.timeout_ms);
            break;
        }
        nanosleep(&ts, NULL);
    }
    if (!reaped) {
        if (rc != MH_OK) {
            (void) kill(child->pid, SIGKILL);
        }
        while (waitpid(child->pid, &status, 0) < 0) {
            if (errno != EINTR) {
                if (rc == MH_OK) {
                    rc = -errno;
                    snprintf(why, whylen, "run %s: wait: %s", child->name, strerror(errno));
                }
                break;
            }
        }
    }
    child->pid = -1;
    if (rc == MH_OK) {
        res->signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + res->signo;
        for (int i = 0; i < 2; i++) {
            if (bufs[i].data == NULL) {
                bufs[i].data = malloc(1);
                if (bufs[i].data == NULL) {
                    rc = -ENOMEM;
                    snprintf(why, whylen, "run %s: %s", child->name, strerror(ENOMEM));
                    goto done;
                }
            }
            bufs[i].data[bufs[i].len] = '\0';
        }
        res->out = bufs[0].data;
        res->outlen = bufs[0].len;
        res->err = bufs[1].data;
        res->errlen = bufs[1].len;
        bufs[0].data = bufs[1].data = NULL;
    }

  done:
    for (int i = 0; i < 2; i++) {
        if (child->fd[i] >= 0) {
            close(child->fd[i]);
            child->fd[i] = -1;
        }
        free(bufs[i].data);
    }
    if (pidfd >= 0) {
        close(pidfd);
    }
    if (rc != MH_OK) {
        memset(res, 0, sizeof(*res));
    }
    return rc;
}

/* mh_run - start and finish in one */
int
mh_run(const char *const *argv, const struct mh_run_opts *opts,
       struct mh_run_result *res, char *why, size_t whylen)
{
    struct mh_run_child child;
    int rc;

    memset(res, 0, sizeof(*res));
    rc = mh_run_start(&child, argv, opts, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    return mh_run_finish(&child, 0, res, why, whylen);
}

/* mh_run_free - release the output */
void
mh_run_free(struct mh_run_result *res)
{
    free(res->out);
    free(res->err);
    memset(res, 0, sizeof(*res));
}
