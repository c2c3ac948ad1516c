// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool_fixture 3h
 * SUMMARY
 *	a temporary passwd file and mail spool for the spool unit tests
 * SYNOPSIS
 *	#include "spool_fixture.h"
 *
 *	void sf_passwd(struct spool_fixture *fx, const char *text)
 *	void sf_spool(struct spool_fixture *fx, mode_t dir_mode,
 *	              enum spool_format format, mode_t policy_mode)
 *	void sf_done(struct spool_fixture *fx)
 *	void sf_write_file(const char *path, const char *text)
 *	void sf_make_file(const char *dir, const char *name, uid_t uid,
 *	                  gid_t gid, mode_t mode, size_t size)
 *	const char *sf_find(const struct spool_report *rep,
 *	                    enum spool_kind kind, const char *name)
 * DESCRIPTION
 *	The set-up test_spool.c and test_spool_lock.c share: sf_passwd()
 *	makes a directory under /tmp and the passwd file TEXT in it
 *	(NULL: the caller writes fx->passwd itself); sf_spool() adds the
 *	spool directory "spool" there with DIR_MODE, whatever the umask,
 *	and points fx->opts at it with FORMAT and the policy POLICY_MODE,
 *	owned by this process's uid and gid.  sf_done() removes the whole
 *	directory.
 *
 *	The Makefile links one .c file into each unit test, so the shared
 *	part lives here as static inline functions.  Every failure fails
 *	the running test (cmocka assertions): cmocka.h comes first.
 */
#ifndef SPOOL_FIXTURE_H
#define SPOOL_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../helpers/spool/spool.h"

struct spool_fixture {
    char dir[32];               /* the temporary directory */
    char passwd[64];            /* DIR/passwd */
    char spool[64];             /* DIR/spool, after sf_spool() */
    struct spool_opts opts;     /* dir, format, mode, owner, group set */
};

/* sf_write_file - PATH with TEXT, or fail the test */
static inline void
sf_write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* sf_passwd - a fresh temporary directory with the passwd file TEXT */
static inline void
sf_passwd(struct spool_fixture *fx, const char *text)
{
    memset(fx, 0, sizeof(*fx));
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/mh-spoolut-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->passwd, sizeof(fx->passwd), "%s/passwd", fx->dir);
    if (text != NULL) {
        sf_write_file(fx->passwd, text);
    }
}

/* sf_spool - the spool directory with DIR_MODE, and the options for it */
static inline void
sf_spool(struct spool_fixture *fx, mode_t dir_mode, enum spool_format format,
         mode_t policy_mode)
{
    snprintf(fx->spool, sizeof(fx->spool), "%s/spool", fx->dir);
    assert_int_equal(mkdir(fx->spool, 0700), 0);
    /* chmod, not mkdir's mode: the umask must not decide the test */
    assert_int_equal(chmod(fx->spool, dir_mode), 0);
    fx->opts.dir = fx->spool;
    fx->opts.format = format;
    fx->opts.mode = policy_mode;
    fx->opts.owner = getuid();
    fx->opts.group = getgid();
}

/* sf_done - remove the temporary directory and all in it */
static inline void
sf_done(struct spool_fixture *fx)
{
    char cmd[64];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
}

/*
 * sf_make_file - DIR/NAME, new, with SIZE bytes, owned by UID and GID
 * ((gid_t) -1: unchanged) and with MODE
 */
static inline void
sf_make_file(const char *dir, const char *name, uid_t uid, gid_t gid, mode_t mode,
             size_t size)
{
    char path[512];
    char buf[256];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_true(size <= sizeof(buf));
    memset(buf, 'x', sizeof(buf));
    assert_int_equal(write(fd, buf, size), (ssize_t) size);
    if (uid != getuid() || gid != (gid_t) -1) {
        assert_int_equal(fchown(fd, uid, gid), 0);
    }
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

/* sf_find - the detail of the finding KIND about NAME, or NULL */
static inline const char *
sf_find(const struct spool_report *rep, enum spool_kind kind, const char *name)
{
    size_t i;

    for (i = 0; i < rep->n; i++) {
        if (rep->v[i].kind == kind && strcmp(rep->v[i].name, name) == 0) {
            return rep->v[i].detail;
        }
    }
    return NULL;
}

#endif
