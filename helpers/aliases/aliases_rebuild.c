// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_rebuild 3
 * SUMMARY
 *	build an alias database aside with postalias, then rename it
 * SYNOPSIS
 *	#include "aliases_rebuild.h"
 *
 *	int alias_rebuild_table(const char *config_dir,
 *	                        const struct alias_table *t,
 *	                        char *why, size_t whylen)
 *	int alias_rebuild_start(const char *config_dir,
 *	                        const struct alias_table *t,
 *	                        struct alias_rebuild_job *job,
 *	                        char *why, size_t whylen)
 *	int alias_rebuild_finish(struct alias_rebuild_job *job, int commit,
 *	                         char *why, size_t whylen)
 * DESCRIPTION
 *	Steps: lock the source (flock, so two rebuilds of one table run
 *	one after the other), copy it to DIR/.mailha-NAME.PID with the
 *	source's owner and mode (postalias run as root drops to the
 *	owner of its input file and gives the database the input file's
 *	mode, so the result matches what "postalias SOURCE" would make),
 *	run "postalias -c CONFIG_DIR TYPE:COPY", fsync the new database,
 *	rename it over the old one, remove the copy.
 *
 *	alias_rebuild_start() does the steps up to starting postalias and
 *	returns while it runs; alias_rebuild_finish() waits for it and
 *	either installs the database (COMMIT) or kills postalias and
 *	discards everything.  In between the caller validates job->tmp,
 *	the exact bytes postalias reads, so that validation and build
 *	run on two cores at once and what was validated is what is
 *	installed.  alias_rebuild_table() is start + finish.
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
#include <unistd.h>

#include "mh_rc.h"
#include "aliases_rebuild.h"

#define ALIAS_POSTALIAS_MSG_MAX 511     /* of postalias's stderr, for WHY */

/* alias_postalias_path - which postalias to run */
const char *
alias_postalias_path(void)
{
    const char *p = getenv("MAILHA_POSTALIAS");

    return p != NULL && *p != '\0' ? p : "/usr/sbin/postalias";
}

/*
 * alias_postalias_timeout_ms - postalias's time limit: a million-line
 * alias file builds in about a second, so ten minutes is a postalias
 * that is hung (on a lock, a full disk, a wedged NSS lookup), killed and
 * the old database kept.  MAILHA_POSTALIAS_TIMEOUT_MS sets it (tests).
 */
static int
alias_postalias_timeout_ms(void)
{
    const char *p = getenv("MAILHA_POSTALIAS_TIMEOUT_MS");
    char *end;
    long v;

    if (p != NULL && *p != '\0') {
        errno = 0;
        v = strtol(p, &end, 10);
        if (errno == 0 && *end == '\0' && v > 0 && v <= 86400000L) {
            return (int) v;
        }
    }
    return 600000;
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

/* alias_spawn_postalias - start postalias on TYPE:PATH, its stderr captured */
static int
alias_spawn_postalias(const char *config_dir, const char *type, const char *path,
                      struct alias_rebuild_job *job, char *why, size_t whylen)
{
    struct mh_run_opts opts = { .prog = alias_postalias_path(), .out = MH_RUN_NULL,
        .err = MH_RUN_CAPTURE, .max_out = ALIAS_POSTALIAS_MSG_MAX, .flags = MH_RUN_TRUNCATE,
        .timeout_ms = alias_postalias_timeout_ms() };
    const char *argv[5] = { "postalias", NULL, NULL, NULL, NULL };
    size_t k = 1;
    int rc;

    if (asprintf(&job->spec, "%s:%s", type, path) < 0) {
        job->spec = NULL;
        return -ENOMEM;
    }
    if (config_dir != NULL) {
        argv[k++] = "-c";
        argv[k++] = config_dir;
    }
    argv[k] = job->spec;
    rc = mh_run_start(&job->run, argv, &opts, why, whylen);
    if (rc == MH_OK) {
        job->pid = job->run.pid;
    }
    return rc;
}

/* alias_reap_postalias - wait for postalias, first message into WHY */
static int
alias_reap_postalias(struct alias_rebuild_job *job, int kill_it, char *why, size_t whylen)
{
    struct mh_run_result res;
    size_t mlen;
    int rc;

    if (job->pid <= 0) {
        return MH_OK;
    }
    rc = mh_run_finish(&job->run, kill_it ? SIGTERM : 0, &res, why, whylen);
    job->pid = -1;
    if (kill_it || rc != MH_OK) {
        mh_run_free(&res);
        return kill_it ? MH_OK : rc;
    }
    mlen = res.errlen;
    res.err[strcspn(res.err, "\n")] = '\0';
    if (res.status != 0) {
        snprintf(why, whylen, "postalias %s failed (%s %d)%s%s", job->spec,
                 res.signo ? "signal" : "exit", res.signo ? res.signo : res.status,
                 mlen ? ": " : "", res.err);
        rc = MH_E_CHILD;
    }
    mh_run_free(&res);
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

/* alias_rebuild_start - lock, copy aside, start postalias on the copy */
int
alias_rebuild_start(const char *config_dir, const struct alias_table *t,
                    struct alias_rebuild_job *job, char *why, size_t whylen)
{
    const char *suffix;
    char *dircopy = NULL, *basecopy = NULL;
    int tfd = -1;
    int rc = MH_OK;

    memset(job, 0, sizeof(*job));
    job->t = t;
    job->sfd = -1;
    job->pid = -1;
    if (t->source == NULL || t->db == NULL) {
        snprintf(why, whylen, "table %s has no database to build", t->spec);
        return MH_E_CONFIG;
    }
    suffix = alias_db_suffix(t->type);
    job->sfd = open(t->source, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (job->sfd < 0) {
        rc = -errno;
        snprintf(why, whylen, "open %s: %s", t->source, strerror(errno));
        goto done;
    }
    if (fstat(job->sfd, &job->src) != 0 || !S_ISREG(job->src.st_mode)) {
        snprintf(why, whylen, "open %s: not a regular file", t->source);
        rc = MH_E_UNSAFE;
        goto done;
    }
    if (flock(job->sfd, LOCK_EX) != 0) {
        rc = -errno;
        snprintf(why, whylen, "lock %s: %s", t->source, strerror(errno));
        goto done;
    }
    /* Stat again under the lock: that is the version we copy. */
    if (fstat(job->sfd, &job->src) != 0) {
        rc = -errno;
        snprintf(why, whylen, "stat %s: %s", t->source, strerror(errno));
        goto done;
    }
    dircopy = strdup(t->source);
    basecopy = strdup(t->source);
    if (dircopy == NULL || basecopy == NULL
        || asprintf(&job->tmp, "%s/.mailha-%s.%ld", dirname(dircopy), basename(basecopy),
                    (long) getpid()) < 0) {
        job->tmp = NULL;
        rc = -ENOMEM;
        goto done;
    }
    if (asprintf(&job->tmpdb, "%s%s", job->tmp, suffix) < 0) {
        job->tmpdb = NULL;
        rc = -ENOMEM;
        goto done;
    }
    /* What a killed postalias may leave beside the database: cdb writes
     * FILE.cdb.tmp and renames it (to our aside name), the others at
     * most a FILE.db-lock style lock file. */
    if (asprintf(&job->tmplock, strcmp(t->type, "cdb") == 0 ? "%s.tmp" : "%s-lock",
                 job->tmpdb) < 0) {
        job->tmplock = NULL;
        rc = -ENOMEM;
        goto done;
    }
    /* Leftovers of a killed run with our pid would make O_EXCL fail. */
    unlink(job->tmp);
    unlink(job->tmpdb);
    tfd = open(job->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               job->src.st_mode & 07777);
    if (tfd < 0) {
        rc = -errno;
        snprintf(why, whylen, "create %s: %s", job->tmp, strerror(errno));
        goto done;
    }
    if (fchown(tfd, job->src.st_uid, job->src.st_gid) != 0 && geteuid() == 0) {
        rc = -errno;
        snprintf(why, whylen, "chown %s: %s", job->tmp, strerror(errno));
        goto done;
    }
    if (fchmod(tfd, job->src.st_mode & 07777) != 0) {
        rc = -errno;
        snprintf(why, whylen, "chmod %s: %s", job->tmp, strerror(errno));
        goto done;
    }
    rc = alias_copy_fd(job->sfd, tfd);
    if (rc != MH_OK) {
        snprintf(why, whylen, "copy %s to %s: %s", t->source, job->tmp, mh_rc_str(rc));
        goto done;
    }
    if (close(tfd) != 0) {
        tfd = -1;
        rc = -errno;
        snprintf(why, whylen, "write %s: %s", job->tmp, strerror(errno));
        goto done;
    }
    tfd = -1;
    rc = alias_spawn_postalias(config_dir, t->type, job->tmp, job, why, whylen);

  done:
    if (tfd >= 0) {
        close(tfd);
    }
    free(dircopy);
    free(basecopy);
    if (rc != MH_OK) {
        char ignore[8];

        (void) alias_rebuild_finish(job, 0, ignore, sizeof(ignore));
    }
    return rc;
}

/*
 * alias_rebuild_finish - wait for postalias; with COMMIT install the
 * new database, without it discard it.  Either way remove the copy and
 * release the lock.  Safe to call on a job whose start failed.
 */
int
alias_rebuild_finish(struct alias_rebuild_job *job, int commit, char *why, size_t whylen)
{
    const struct alias_table *t = job->t;
    struct stat now;
    int rc;

    rc = alias_reap_postalias(job, !commit, why, whylen);
    if (!commit || rc != MH_OK || job->tmpdb == NULL) {
        goto done;
    }
    rc = alias_fsync_path(job->tmpdb);
    if (rc != MH_OK) {
        snprintf(why, whylen, "sync %s: %s", job->tmpdb, mh_rc_str(rc));
        goto done;
    }
    if (stat(t->source, &now) != 0 || now.st_mtim.tv_sec != job->src.st_mtim.tv_sec
        || now.st_mtim.tv_nsec != job->src.st_mtim.tv_nsec || now.st_ino != job->src.st_ino) {
        struct timespec ts[2];

        /* Built from an older version: let it look as old as that. */
        ts[0] = job->src.st_mtim;
        ts[1] = job->src.st_mtim;
        (void) utimensat(AT_FDCWD, job->tmpdb, ts, 0);
    } else {
        struct stat db;

        /* A source stamped ahead of our clock (skew, touch -d) would leave
         * the database built from it looking older than it, and stale to
         * Postfix and to us forever: it reflects that source, so give it
         * the source's time. */
        if (stat(job->tmpdb, &db) == 0
            && (db.st_mtim.tv_sec < job->src.st_mtim.tv_sec
                || (db.st_mtim.tv_sec == job->src.st_mtim.tv_sec
                    && db.st_mtim.tv_nsec < job->src.st_mtim.tv_nsec))) {
            struct timespec ts[2];

            ts[0] = job->src.st_mtim;
            ts[1] = job->src.st_mtim;
            (void) utimensat(AT_FDCWD, job->tmpdb, ts, 0);
        }
    }
    if (rename(job->tmpdb, t->db) != 0) {
        rc = -errno;
        snprintf(why, whylen, "rename %s to %s: %s", job->tmpdb, t->db, strerror(errno));
        goto done;
    }

  done:
    if (job->tmp != NULL) {
        unlink(job->tmp);
    }
    if (job->tmpdb != NULL && (rc != MH_OK || !commit)) {
        unlink(job->tmpdb);
    }
    if (job->tmplock != NULL) {
        unlink(job->tmplock);
    }
    if (job->sfd >= 0) {
        close(job->sfd);        /* releases the lock */
        job->sfd = -1;
    }
    free(job->tmp);
    free(job->tmpdb);
    free(job->tmplock);
    free(job->spec);
    job->tmp = job->tmpdb = job->tmplock = job->spec = NULL;
    return rc;
}

/* alias_rebuild_table - the whole aside-and-rename rebuild, no validation */
int
alias_rebuild_table(const char *config_dir, const struct alias_table *t,
                    char *why, size_t whylen)
{
    struct alias_rebuild_job job;
    int rc;

    rc = alias_rebuild_start(config_dir, t, &job, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    return alias_rebuild_finish(&job, 1, why, whylen);
}
