/*
 * NAME
 *	alias_rebuild 3
 * SUMMARY
 *	build an alias database aside with postalias, then rename it
 * SYNOPSIS
 *	#include "alias_rebuild.h"
 *
 *	int alias_rebuild_table(const char *config_dir,
 *	                        const struct alias_table *t,
 *	                        char *why, size_t whylen)
 * DESCRIPTION
 *	Steps: lock the source (flock, so two rebuilds of one table run
 *	one after the other), copy it to DIR/.mailha-NAME.PID with the
 *	source's owner and mode (postalias run as root drops to the
 *	owner of its input file and gives the database the input file's
 *	mode, so the result matches what "postalias SOURCE" would make),
 *	run "postalias -c CONFIG_DIR TYPE:COPY", fsync the new database,
 *	rename it over the old one, remove the copy.
 *
 *	If the source changed while the database was built, the new
 *	database gets the modification time the source had when it was
 *	copied, so that the next stale test sees the newer source.
 * DIAGNOSTICS
 *	A negative code and a reason; -ENOENT when postalias is missing,
 *	MH_E_CHILD when it failed (its first message is in WHY).  Nothing
 *	is left behind on failure and the old database is not touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "alias_rebuild.h"

/* alias_postalias_path - which postalias to run */
const char *
alias_postalias_path(void)
{
    const char *p = getenv("MAILHA_POSTALIAS");

    return p != NULL && *p != '\0' ? p : "/usr/sbin/postalias";
}

/* alias_copy_fd - copy everything from IN to OUT */
static int
alias_copy_fd(int in, int out)
{
    char buf[65536];

    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        ssize_t off = 0;

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            return MH_OK;
        }
        while (off < n) {
            ssize_t w = write(out, buf + off, (size_t) (n - off));

            if (w < 0 && errno == EINTR) {
                continue;
            }
            if (w < 0) {
                return -errno;
            }
            off += w;
        }
    }
}

/* alias_run_postalias - run postalias on TYPE:PATH, first message into WHY */
static int
alias_run_postalias(const char *config_dir, const char *type, const char *path,
                    char *why, size_t whylen)
{
    const char *prog = alias_postalias_path();
    char *spec = NULL;
    char msg[512];
    size_t mlen = 0;
    int pfd[2] = { -1, -1 };
    int status = 0, rc = MH_OK;
    pid_t pid;

    if (access(prog, X_OK) != 0) {
        snprintf(why, whylen, "run %s: %s", prog, strerror(errno));
        return -ENOENT;
    }
    if (asprintf(&spec, "%s:%s", type, path) < 0) {
        return -ENOMEM;
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
        int devnull = open("/dev/null", O_RDWR);

        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
        }
        dup2(pfd[1], STDERR_FILENO);
        if (config_dir != NULL) {
            execl(prog, "postalias", "-c", config_dir, spec, (char *) NULL);
        } else {
            execl(prog, "postalias", spec, (char *) NULL);
        }
        _exit(127);
    }
    close(pfd[1]);
    pfd[1] = -1;
    for (;;) {
        char buf[1024];
        ssize_t n = read(pfd[0], buf, sizeof(buf));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (mlen < sizeof(msg) - 1) {
            size_t take = (size_t) n < sizeof(msg) - 1 - mlen ? (size_t) n
                : sizeof(msg) - 1 - mlen;

            memcpy(msg + mlen, buf, take);
            mlen += take;
        }
    }
    msg[mlen] = '\0';
    msg[strcspn(msg, "\n")] = '\0';
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        /* retry */
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(why, whylen, "postalias %s failed (%s %d)%s%s", spec,
                 WIFEXITED(status) ? "exit" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                 mlen ? ": " : "", msg);
        rc = MH_E_CHILD;
    }

  done:
    if (pfd[0] >= 0) {
        close(pfd[0]);
    }
    if (pfd[1] >= 0) {
        close(pfd[1]);
    }
    free(spec);
    return rc;
}

/* alias_fsync_path - flush a file to disk before it replaces another */
static int
alias_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = MH_OK;

    if (fd < 0) {
        return -errno;
    }
    if (fsync(fd) != 0) {
        rc = -errno;
    }
    close(fd);
    return rc;
}

/* alias_rebuild_table - the whole aside-and-rename rebuild */
int
alias_rebuild_table(const char *config_dir, const struct alias_table *t,
                    char *why, size_t whylen)
{
    const char *suffix;
    char *dircopy = NULL, *basecopy = NULL;
    char *tmp = NULL, *tmpdb = NULL, *tmplock = NULL;
    struct stat src, now;
    int sfd = -1, tfd = -1;
    int rc = MH_OK;

    if (t->source == NULL || t->db == NULL) {
        snprintf(why, whylen, "table %s has no database to build", t->spec);
        return MH_E_CONFIG;
    }
    suffix = alias_db_suffix(t->type);
    sfd = open(t->source, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (sfd < 0) {
        rc = -errno;
        snprintf(why, whylen, "open %s: %s", t->source, strerror(errno));
        goto done;
    }
    if (fstat(sfd, &src) != 0 || !S_ISREG(src.st_mode)) {
        snprintf(why, whylen, "open %s: not a regular file", t->source);
        rc = MH_E_UNSAFE;
        goto done;
    }
    if (flock(sfd, LOCK_EX) != 0) {
        rc = -errno;
        snprintf(why, whylen, "lock %s: %s", t->source, strerror(errno));
        goto done;
    }
    /* Stat again under the lock: that is the version we copy. */
    if (fstat(sfd, &src) != 0) {
        rc = -errno;
        goto done;
    }
    dircopy = strdup(t->source);
    basecopy = strdup(t->source);
    if (dircopy == NULL || basecopy == NULL
        || asprintf(&tmp, "%s/.mailha-%s.%ld", dirname(dircopy), basename(basecopy),
                    (long) getpid()) < 0) {
        tmp = NULL;
        rc = -ENOMEM;
        goto done;
    }
    if (asprintf(&tmpdb, "%s%s", tmp, suffix) < 0) {
        tmpdb = NULL;
        rc = -ENOMEM;
        goto done;
    }
    if (asprintf(&tmplock, "%s-lock", tmpdb) < 0) {
        tmplock = NULL;
        rc = -ENOMEM;
        goto done;
    }
    /* Leftovers of a killed run with our pid would make O_EXCL fail. */
    unlink(tmp);
    unlink(tmpdb);
    tfd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               src.st_mode & 07777);
    if (tfd < 0) {
        rc = -errno;
        snprintf(why, whylen, "create %s: %s", tmp, strerror(errno));
        goto done;
    }
    if (fchown(tfd, src.st_uid, src.st_gid) != 0 && geteuid() == 0) {
        rc = -errno;
        snprintf(why, whylen, "chown %s: %s", tmp, strerror(errno));
        goto done;
    }
    if (fchmod(tfd, src.st_mode & 07777) != 0) {
        rc = -errno;
        snprintf(why, whylen, "chmod %s: %s", tmp, strerror(errno));
        goto done;
    }
    rc = alias_copy_fd(sfd, tfd);
    if (rc != MH_OK) {
        snprintf(why, whylen, "copy %s to %s: %s", t->source, tmp, mh_rc_str(rc));
        goto done;
    }
    if (close(tfd) != 0) {
        tfd = -1;
        rc = -errno;
        snprintf(why, whylen, "write %s: %s", tmp, strerror(errno));
        goto done;
    }
    tfd = -1;
    rc = alias_run_postalias(config_dir, t->type, tmp, why, whylen);
    if (rc != MH_OK) {
        goto done;
    }
    rc = alias_fsync_path(tmpdb);
    if (rc != MH_OK) {
        snprintf(why, whylen, "sync %s: %s", tmpdb, mh_rc_str(rc));
        goto done;
    }
    if (stat(t->source, &now) != 0 || now.st_mtim.tv_sec != src.st_mtim.tv_sec
        || now.st_mtim.tv_nsec != src.st_mtim.tv_nsec || now.st_ino != src.st_ino) {
        struct timespec ts[2];

        /* Built from an older version: let it look as old as that. */
        ts[0] = src.st_mtim;
        ts[1] = src.st_mtim;
        (void) utimensat(AT_FDCWD, tmpdb, ts, 0);
    }
    if (rename(tmpdb, t->db) != 0) {
        rc = -errno;
        snprintf(why, whylen, "rename %s to %s: %s", tmpdb, t->db, strerror(errno));
        goto done;
    }

  done:
    if (tfd >= 0) {
        close(tfd);
    }
    if (tmp != NULL) {
        unlink(tmp);
    }
    if (tmpdb != NULL && rc != MH_OK) {
        unlink(tmpdb);
    }
    if (tmplock != NULL) {
        unlink(tmplock);
    }
    if (sfd >= 0) {
        close(sfd);     /* releases the lock */
    }
    free(tmp);
    free(tmpdb);
    free(tmplock);
    free(dircopy);
    free(basecopy);
    return rc;
}
