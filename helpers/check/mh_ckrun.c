/*
 * NAME
 *	mh_ckrun 3
 * SUMMARY
 *	run a program and capture both output streams
 * SYNOPSIS
 *	#include "mh_ckrun.h"
 *
 *	int mh_ckrun(const char *const *argv, int timeout_ms,
 *	             struct mh_ckrun_out *o, char *why, size_t whylen)
 * DESCRIPTION
 *	fork + execv with stdin from /dev/null; poll() reads both pipes
 *	so that neither can fill up and block the child.
 * DIAGNOSTICS
 *	0 when the program ran (whatever its exit status), -ENOENT when
 *	it is not executable, MH_E_TIMEOUT, MH_E_TOOLONG, or -errno.
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

#include "mh_ckrun.h"
#include "mh_rc.h"

struct mh_ckrun_buf {
    char *data;
    size_t len;
    size_t cap;
};

/* mh_ckrun_now_ms - a monotonic clock in ms */
static long long
mh_ckrun_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* mh_ckrun_fill - read what a pipe has; 1 at EOF, 0 more to come, or code */
static int
mh_ckrun_fill(int fd, struct mh_ckrun_buf *b)
{
    ssize_t got;

    if (b->cap - b->len < 4096) {
        size_t ncap = b->cap ? b->cap * 2 : 8192;
        char *nd;

        if (ncap > MH_CKRUN_MAX + 8192) {
            return MH_E_TOOLONG;
        }
        nd = realloc(b->data, ncap);
        if (nd == NULL) {
            return -ENOMEM;
        }
        b->data = nd;
        b->cap = ncap;
    }
    got = read(fd, b->data + b->len, b->cap - b->len - 1);
    if (got < 0) {
        return errno == EINTR || errno == EAGAIN ? 0 : -errno;
    }
    if (got == 0) {
        return 1;
    }
    b->len += (size_t) got;
    b->data[b->len] = '\0';
    return 0;
}

/* mh_ckrun - run a program, collect its output */
int
mh_ckrun(const char *const *argv, int timeout_ms, struct mh_ckrun_out *o,
         char *why, size_t whylen)
{
    struct mh_ckrun_buf bufs[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
    int out[2] = { -1, -1 }, err[2] = { -1, -1 };
    long long deadline = mh_ckrun_now_ms() + timeout_ms;
    int open_fds = 2;
    int status = 0;
    int rc = 0;
    pid_t pid = -1;

    memset(o, 0, sizeof(*o));
    if (access(argv[0], X_OK) != 0) {
        rc = -errno;
        snprintf(why, whylen, "run %s: %s", argv[0], strerror(errno));
        return rc;
    }
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        rc = -errno;
        snprintf(why, whylen, "run %s: pipe: %s", argv[0], strerror(errno));
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        rc = -errno;
        snprintf(why, whylen, "run %s: fork: %s", argv[0], strerror(errno));
        goto done;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);

        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
        }
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        execv(argv[0], (char *const *) argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out[1] = err[1] = -1;

    while (open_fds > 0 && rc == 0) {
        struct pollfd pfd[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
        long long left = deadline - mh_ckrun_now_ms();
        int n;

        if (left <= 0) {
            rc = MH_E_TIMEOUT;
            snprintf(why, whylen, "run %s: no answer in %d ms", argv[0], timeout_ms);
            break;
        }
        n = poll(pfd, 2, (int) left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            snprintf(why, whylen, "run %s: poll: %s", argv[0], strerror(errno));
            break;
        }
        for (int i = 0; i < 2; i++) {
            int *fdp = i == 0 ? &out[0] : &err[0];
            int r;

            if (*fdp < 0 || pfd[i].revents == 0) {
                continue;
            }
            r = mh_ckrun_fill(*fdp, &bufs[i]);
            if (r < 0) {
                rc = r;
                snprintf(why, whylen, "run %s: read output: %s", argv[0], mh_rc_str(r));
                break;
            }
            if (r == 1) {
                close(*fdp);
                *fdp = -1;
                open_fds--;
            }
        }
    }
    if (rc != 0) {
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        /* again */
    }
    if (rc == 0) {
        o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        for (int i = 0; i < 2; i++) {
            if (bufs[i].data == NULL) {
                bufs[i].data = calloc(1, 1);
                if (bufs[i].data == NULL) {
                    rc = -ENOMEM;
                    snprintf(why, whylen, "run %s: %s", argv[0], strerror(ENOMEM));
                    goto done;
                }
            }
        }
        o->out = bufs[0].data;
        o->outlen = bufs[0].len;
        o->err = bufs[1].data;
        o->errlen = bufs[1].len;
        bufs[0].data = bufs[1].data = NULL;
    }

  done:
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0) {
            close(out[i]);
        }
        if (err[i] >= 0) {
            close(err[i]);
        }
        free(bufs[i].data);
    }
    return rc;
}

/* mh_ckrun_free - release the output */
void
mh_ckrun_free(struct mh_ckrun_out *o)
{
    free(o->out);
    free(o->err);
    memset(o, 0, sizeof(*o));
}
