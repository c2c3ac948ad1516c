// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	spool_proc 3
 * SUMMARY
 *	find the processes that hold files on one mounted filesystem
 * SYNOPSIS
 *	#include "spool.h"
 *
 *	int spool_mount_dev(const char *dir, dev_t *dev, char *why, size_t whylen)
 *	int spool_holders_find(const char *procdir, dev_t dev,
 *	                       struct spool_holders *hs, char *why, size_t whylen)
 *	int spool_maps_line_dev(const char *line, unsigned *major, unsigned *minor)
 *	int spool_holders_signal(const struct spool_holders *hs, int sig)
 *	void spool_holders_free(struct spool_holders *hs)
 * DESCRIPTION
 *	Stopping the spool must end the processes using it and no
 *	others.  "fuser -m PATH" trusts PATH to name the filesystem: on a
 *	directory that is not (or no longer) a mount point, or a bind
 *	mount of /, it names the root filesystem and every process on the
 *	machine is killed.  Here the filesystem is a device number, taken
 *	from a directory that must be a mount point (its device differs
 *	from its parent's), and a process holds it when one of its open
 *	files, its cwd, root or executable, or one of its file mappings
 *	lives on that device.
 *
 *	Each process is pinned with pidfd_open(2) before it is inspected,
 *	so a signal sent later through that descriptor reaches the process
 *	that was found holding the filesystem, never a newcomer that
 *	reused its pid.  Processes in other PID namespaces are not in our
 *	/proc and are never seen, so never signalled.
 * DIAGNOSTICS
 *	0, or a negative code with a reason (MH_E_CONFIG: not a mount
 *	point; MH_E_PARSE: a maps line that does not parse).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_sys.h"
#include "spool.h"

/* spool_mount_dev - DIR must be the top of a mount; its st_dev */
int
spool_mount_dev(const char *dir, dev_t *dev, char *why, size_t whylen)
{
    char parent[4096];
    struct stat st, pst;

    if (dir[0] != '/' || strcmp(dir, "/") == 0) {
        snprintf(why, whylen, "%s: not an absolute path below /", dir);
        return MH_E_CONFIG;
    }
    if (snprintf(parent, sizeof(parent), "%s/..", dir) >= (int) sizeof(parent)) {
        snprintf(why, whylen, "%s: path too long", dir);
        return MH_E_TOOLONG;
    }
    if (stat(dir, &st) != 0 || stat(parent, &pst) != 0) {
        snprintf(why, whylen, "stat %s: %s", dir, strerror(errno));
        return -errno;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "%s: not a directory", dir);
        return MH_E_CONFIG;
    }
    /* Same device as the parent: not a mount point (or a bind mount
     * within one filesystem) - its device is not "the spool's". */
    if (st.st_dev == pst.st_dev) {
        snprintf(why, whylen, "%s: not a mount point", dir);
        return MH_E_CONFIG;
    }
    *dev = st.st_dev;
    return MH_OK;
}

/* spool_maps_line_dev - the device field of one /proc/PID/maps line */
int
spool_maps_line_dev(const char *line, unsigned *major, unsigned *minor)
{
    const char *p = line;
    unsigned long maj = 0, min = 0;
    int field, digits;

    /* "start-end perms offset MAJ:MIN inode path": skip three fields */
    for (field = 0; field < 3; field++) {
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0' || *p == '\n') {
            return MH_E_PARSE;
        }
        while (*p != '\0' && *p != ' ' && *p != '\n') {
            p++;
        }
    }
    while (*p == ' ') {
        p++;
    }
    for (digits = 0; isxdigit((unsigned char) *p) && digits < 8; digits++, p++) {
        maj = maj * 16 + (unsigned long) (isdigit((unsigned char) *p) ? *p - '0'
                                          : (tolower((unsigned char) *p) - 'a' + 10));
    }
    if (digits == 0 || *p != ':') {
        return MH_E_PARSE;
    }
    p++;
    for (digits = 0; isxdigit((unsigned char) *p) && digits < 8; digits++, p++) {
        min = min * 16 + (unsigned long) (isdigit((unsigned char) *p) ? *p - '0'
                                          : (tolower((unsigned char) *p) - 'a' + 10));
    }
    if (digits == 0 || (*p != ' ' && *p != '\0' && *p != '\n')) {
        return MH_E_PARSE;
    }
    *major = (unsigned) maj;
    *minor = (unsigned) min;
    return MH_OK;
}

/* spool_on_dev - PATH (a /proc magic link) resolves to a file of DEV */
static int
spool_on_dev(const char *path, dev_t dev)
{
    struct stat st;

    return stat(path, &st) == 0 && st.st_dev == dev;
}

/* spool_maps_on_dev - a file mapping of PID lives on DEV */
static int
spool_maps_on_dev(const char *pdir, dev_t dev)
{
    char path[640];
    char line[4352];
    unsigned maj, min;
    FILE *fp;
    int found = 0;

    snprintf(path, sizeof(path), "%s/maps", pdir);
    fp = fopen(path, "re");
    if (fp == NULL) {
        return 0;
    }
    while (!found && fgets(line, sizeof(line), fp) != NULL) {
        if (spool_maps_line_dev(line, &maj, &min) == MH_OK
            && maj == major(dev) && min == minor(dev) && (maj | min) != 0) {
            found = 1;
        }
    }
    fclose(fp);
    return found;
}

/* spool_holds - what of PDIR is on DEV, in WHAT; 0 when nothing */
static int
spool_holds(const char *pdir, dev_t dev, char *what, size_t whatlen)
{
    static const char *const links[] = { "cwd", "root", "exe" };
    char path[640];
    struct dirent *de;
    DIR *dp;
    size_t i;
    int found = 0;

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", pdir, links[i]);
        if (spool_on_dev(path, dev)) {
            snprintf(what, whatlen, "%s", links[i]);
            return 1;
        }
    }
    snprintf(path, sizeof(path), "%s/fd", pdir);
    dp = opendir(path);
    if (dp != NULL) {
        while (!found && (de = readdir(dp)) != NULL) {
            if (de->d_name[0] == '.') {
                continue;
            }
            snprintf(path, sizeof(path), "%s/fd/%s", pdir, de->d_name);
            if (spool_on_dev(path, dev)) {
                snprintf(what, whatlen, "fd %.20s", de->d_name);
                found = 1;
            }
        }
        closedir(dp);
    }
    if (!found && spool_maps_on_dev(pdir, dev)) {
        snprintf(what, whatlen, "maps");
        found = 1;
    }
    return found;
}

/* spool_holders_add - append one holder */
static int
spool_holders_add(struct spool_holders *hs, pid_t pid, int pidfd, const char *pdir,
                  const char *what)
{
    struct spool_holder *nv, *h;
    char path[640];
    size_t ncap, len;
    FILE *fp;

    if (hs->n == hs->cap) {
        ncap = hs->cap ? hs->cap * 2 : 16;
        nv = realloc(hs->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return -ENOMEM;
        }
        hs->v = nv;
        hs->cap = ncap;
    }
    h = &hs->v[hs->n++];
    memset(h, 0, sizeof(*h));
    h->pid = pid;
    h->pidfd = pidfd;
    snprintf(h->what, sizeof(h->what), "%s", what);
    snprintf(path, sizeof(path), "%s/comm", pdir);
    fp = fopen(path, "re");
    if (fp != NULL) {
        if (fgets(h->comm, sizeof(h->comm), fp) != NULL) {
            len = strlen(h->comm);
            if (len > 0 && h->comm[len - 1] == '\n') {
                h->comm[len - 1] = '\0';
            }
        }
        fclose(fp);
    }
    return MH_OK;
}

/* spool_holders_find - scan PROCDIR for processes holding DEV */
int
spool_holders_find(const char *procdir, dev_t dev, struct spool_holders *hs,
                   char *why, size_t whylen)
{
    char pdir[256];
    char what[64];
    struct dirent *de;
    DIR *dp;
    pid_t pid, self = getpid();
    char *end;
    long v;
    int pidfd, rc = MH_OK;

    memset(hs, 0, sizeof(*hs));
    dp = opendir(procdir);
    if (dp == NULL) {
        snprintf(why, whylen, "open %s: %s", procdir, strerror(errno));
        return -errno;
    }
    while ((de = readdir(dp)) != NULL) {
        errno = 0;
        v = strtol(de->d_name, &end, 10);
        if (*end != '\0' || v <= 0 || errno != 0) {
            continue;
        }
        pid = (pid_t) v;
        /* ourselves; and PID 1, the node's init, which is never ours to end */
        if (pid == self || pid == 1) {
            continue;
        }
        pidfd = mh_sys_pidfd_open(pid);
        if (pidfd < 0 && errno == ESRCH) {
            continue;
        }
        if (snprintf(pdir, sizeof(pdir), "%s/%ld", procdir, (long) pid) >= (int) sizeof(pdir)) {
            if (pidfd >= 0) {
                close(pidfd);
            }
            continue;
        }
        if (!spool_holds(pdir, dev, what, sizeof(what))) {
            if (pidfd >= 0) {
                close(pidfd);
            }
            continue;
        }
        rc = spool_holders_add(hs, pid, pidfd, pdir, what);
        if (rc != MH_OK) {
            if (pidfd >= 0) {
                close(pidfd);
            }
            snprintf(why, whylen, "scan %s: %s", procdir, mh_rc_str(rc));
            break;
        }
    }
    closedir(dp);
    if (rc != MH_OK) {
        spool_holders_free(hs);
    }
    return rc;
}

/* spool_holders_signal - send SIG to every holder, through its pidfd */
int
spool_holders_signal(const struct spool_holders *hs, int sig)
{
    size_t i;
    int sent = 0;

    for (i = 0; i < hs->n; i++) {
        if (hs->v[i].pidfd >= 0) {
            if (mh_sys_pidfd_send_signal(hs->v[i].pidfd, sig) == 0) {
                sent++;
            }
        } else if (kill(hs->v[i].pid, sig) == 0) {
            sent++;
        }
    }
    return sent;
}

/* spool_holders_free - close the pidfds, free the list */
void
spool_holders_free(struct spool_holders *hs)
{
    size_t i;

    for (i = 0; i < hs->n; i++) {
        if (hs->v[i].pidfd >= 0) {
            close(hs->v[i].pidfd);
        }
    }
    free(hs->v);
    memset(hs, 0, sizeof(*hs));
}
