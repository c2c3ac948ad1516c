// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	cpg 3
 * SUMMARY
 *	mailha-drift: join, send to, and leave a corosync CPG group
 * SYNOPSIS
 *	#include "drift_cpg.h"
 *
 *	int drift_cpg_connect(struct drift_cpg *c, char *why, size_t whylen)
 *	int drift_cpg_send(struct drift_cpg *c, const void *msg, size_t len,
 *	                   char *why, size_t whylen)
 *	void drift_cpg_disconnect(struct drift_cpg *c, int leave)
 * DESCRIPTION
 *	drift_cpg_connect() initializes libcpg, checks who may talk in the
 *	group, joins, and adds the CPG descriptor to the libqb loop.  Only
 *	CS_ERR_TRY_AGAIN is retried, a bounded number of times; any other
 *	error is returned for the owner to retry later with backoff.
 *
 *	Who may talk: corosync admits a local IPC client only if it runs
 *	as root (uid or gid 0) or is listed in corosync's uidgid
 *	configuration, and CPG delivers messages from such clients on any
 *	node.  libcpg gives the receiver only the sender's nodeid and pid,
 *	not its uid, so "only root peers" is enforced where it can be: we
 *	check that our corosync runs as root (SO_PEERCRED on the IPC
 *	socket), and read the uidgid.* keys from cmap and refuse to run if
 *	they admit anyone beyond root and the hacluster user / haclient
 *	group (pacemakerd adds the latter for its own daemons, which are
 *	trusted with the whole cluster anyway), unless allow_uidgid is
 *	set.  Every node runs the same check on itself.  Messages from a
 *	nodeid/pid that is not in the current member list are dropped.
 *
 *	The member list from the last confchg is the truth.  Our own
 *	nodeid/pid in a left list means corosync evicted us: the owner is
 *	told through lost() and rejoins.  cpg_dispatch() failing with
 *	CS_ERR_LIBRARY or CS_ERR_BAD_HANDLE means corosync went away.
 *
 *	drift_cpg_disconnect() leaves the group (when asked and still
 *	connected), then finalizes.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cmap.h>

#include "mh_log.h"
#include "mh_rc.h"
#include "drift_cpg.h"

/* drift_cpg_nap - 100 ms between try-again retries */
static void
drift_cpg_nap(void)
{
    struct timespec ts = { 0, 100 * 1000 * 1000 };

    nanosleep(&ts, NULL);
}

/* drift_cpg_owner - the struct behind a handle */
static struct drift_cpg *
drift_cpg_owner(cpg_handle_t handle)
{
    void *ctx = NULL;

    if (cpg_context_get(handle, &ctx) != CS_OK) {
        return NULL;
    }
    return ctx;
}

/* drift_cpg_deliver - libcpg: a message; members only, never ourselves */
static void
drift_cpg_deliver(cpg_handle_t handle, const struct cpg_name *group, uint32_t nodeid,
                  uint32_t pid, void *msg, size_t len)
{
    struct drift_cpg *c = drift_cpg_owner(handle);

    (void) group;
    if (c == NULL) {
        return;
    }
    if (nodeid == c->nodeid && pid == c->pid) {
        return;
    }
    if (!drift_cpg_is_member(c, nodeid, pid)) {
        mh_debug("drop message from node %u pid %u: not a member", nodeid, pid);
        return;
    }
    c->cb->deliver(c->ctx, nodeid, pid, msg, len);
}

/* drift_cpg_confchg - libcpg: the new member list */
static void
drift_cpg_confchg(cpg_handle_t handle, const struct cpg_name *group,
                  const struct cpg_address *member, size_t nmember,
                  const struct cpg_address *left, size_t nleft,
                  const struct cpg_address *joined, size_t njoined)
{
    struct drift_cpg *c = drift_cpg_owner(handle);
    struct drift_member *nv;
    int self_in = 0;

    (void) group;
    (void) joined;
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < nleft; i++) {
        mh_info("member left: node %u pid %u (reason %u)", left[i].nodeid, left[i].pid,
                left[i].reason);
        if (left[i].nodeid == c->nodeid && left[i].pid == c->pid) {
            snprintf(c->lost_why, sizeof(c->lost_why), "evicted from group %s", c->group);
        }
    }
    nv = calloc(nmember ? nmember : 1, sizeof(*nv));
    if (nv == NULL) {
        snprintf(c->lost_why, sizeof(c->lost_why), "out of memory");
        return;
    }
    for (size_t i = 0; i < nmember; i++) {
        nv[i].nodeid = member[i].nodeid;
        nv[i].pid = member[i].pid;
        if (member[i].nodeid == c->nodeid && member[i].pid == c->pid) {
            self_in = 1;
        }
    }
    free(c->members);
    c->members = nv;
    c->nmembers = nmember;
    if (!self_in && c->lost_why[0] == '\0') {
        snprintf(c->lost_why, sizeof(c->lost_why), "not in the member list of group %s",
                 c->group);
    }
    if (c->lost_why[0] == '\0') {
        c->cb->members(c->ctx, c->members, c->nmembers, njoined);
    }
}

/* drift_cpg_lose - tell the owner, once, that the connection is gone */
static void
drift_cpg_lose(struct drift_cpg *c)
{
    char why[sizeof(c->lost_why)];

    memcpy(why, c->lost_why, sizeof(why));
    c->lost_why[0] = '\0';
    /* called from the poll callback, which returns -1 so that the loop
     * drops the descriptor itself: do not delete it twice */
    c->connected = 0;
    drift_cpg_disconnect(c, 0);
    c->cb->lost(c->ctx, why);
}

/* drift_cpg_poll - libqb loop: the CPG descriptor is readable */
static int32_t
drift_cpg_poll(int32_t fd, int32_t revents, void *data)
{
    struct drift_cpg *c = data;
    cs_error_t rc;

    (void) fd;
    (void) revents;
    rc = cpg_dispatch(c->handle, CS_DISPATCH_ALL);
    if (rc != CS_OK && rc != CS_ERR_TRY_AGAIN && c->lost_why[0] == '\0') {
        snprintf(c->lost_why, sizeof(c->lost_why), "dispatch: corosync error %d", (int) rc);
    }
    if (c->lost_why[0] != '\0') {
        drift_cpg_lose(c);
        /* the descriptor is gone: ask the loop to forget it */
        return -1;
    }
    return 0;
}

/* drift_cpg_uidgid_trusted - is a cmap "uidgid.*" key one we accept? */
int
drift_cpg_uidgid_trusted(const char *key, uid_t ha_uid, gid_t ha_gid)
{
    const char *last = strrchr(key, '.');
    unsigned long id;
    char *end;

    if (last == NULL || last[1] == '\0') {
        return 0;
    }
    errno = 0;
    id = strtoul(last + 1, &end, 10);
    if (*end != '\0' || errno != 0) {
        return 0;
    }
    if (last - key >= 4 && strncmp(last - 4, ".uid", 4) == 0) {
        return id == 0 || (ha_uid != (uid_t) -1 && id == ha_uid);
    }
    if (last - key >= 4 && strncmp(last - 4, ".gid", 4) == 0) {
        return id == 0 || (ha_gid != (gid_t) -1 && id == ha_gid);
    }
    return 0;
}

/* drift_cpg_check_uidgid - refuse if corosync admits untrusted clients */
static int
drift_cpg_check_uidgid(char *why, size_t whylen)
{
    struct passwd *pw = getpwnam("hacluster");
    struct group *gr = getgrnam("haclient");
    uid_t ha_uid = pw != NULL ? pw->pw_uid : (uid_t) -1;
    gid_t ha_gid = gr != NULL ? gr->gr_gid : (gid_t) -1;
    cmap_handle_t cmap;
    cmap_iter_handle_t iter;
    char key[CMAP_KEYNAME_MAXLEN + 1];
    size_t vlen;
    cmap_value_types_t type;
    int rc = MH_OK;
    cs_error_t crc = CS_OK;

    for (int tries = 0; tries < DRIFT_CPG_TRIES; tries++) {
        crc = cmap_initialize(&cmap);
        if (crc != CS_ERR_TRY_AGAIN) {
            break;
        }
        drift_cpg_nap();
    }
    if (crc != CS_OK) {
        snprintf(why, whylen, "connect to corosync cmap: error %d", (int) crc);
        return MH_E_CHILD;
    }
    if (cmap_iter_init(cmap, "uidgid.", &iter) == CS_OK) {
        while (cmap_iter_next(cmap, iter, key, &vlen, &type) == CS_OK) {
            if (!drift_cpg_uidgid_trusted(key, ha_uid, ha_gid)) {
                snprintf(why, whylen, "corosync admits non-root CPG clients (%s): peers' "
                         "messages could not be trusted", key);
                rc = MH_E_UNSAFE;
                break;
            }
        }
        cmap_iter_finalize(cmap, iter);
    }
    cmap_finalize(cmap);
    return rc;
}

/* drift_cpg_check_root - our corosync must run as root */
static int
drift_cpg_check_root(int fd, char *why, size_t whylen)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        /* not a socket we can ask: nothing more to learn */
        return MH_OK;
    }
    if (cred.uid != 0) {
        snprintf(why, whylen, "corosync (pid %ld) runs as uid %lu, not root",
                 (long) cred.pid, (unsigned long) cred.uid);
        return MH_E_UNSAFE;
    }
    return MH_OK;
}

/* drift_cpg_connect - initialize, check, join, watch the descriptor */
int
drift_cpg_connect(struct drift_cpg *c, char *why, size_t whylen)
{
    static cpg_callbacks_t callbacks = {
        .cpg_deliver_fn = drift_cpg_deliver,
        .cpg_confchg_fn = drift_cpg_confchg,
    };
    struct cpg_name name;
    cs_error_t rc = CS_OK;
    unsigned int local = 0;
    int tries;

    c->connected = 0;
    c->lost_why[0] = '\0';
    if (!c->allow_uidgid) {
        int mrc = drift_cpg_check_uidgid(why, whylen);

        if (mrc != MH_OK) {
            return mrc;
        }
    }
    for (tries = 0; tries < DRIFT_CPG_TRIES; tries++) {
        rc = cpg_initialize(&c->handle, &callbacks);
        if (rc != CS_ERR_TRY_AGAIN) {
            break;
        }
        drift_cpg_nap();
    }
    if (rc != CS_OK) {
        snprintf(why, whylen, "connect to corosync: error %d", (int) rc);
        return MH_E_CHILD;
    }
    cpg_context_set(c->handle, c);
    if (cpg_fd_get(c->handle, &c->fd) != CS_OK) {
        snprintf(why, whylen, "connect to corosync: no descriptor");
        goto fail;
    }
    if (drift_cpg_check_root(c->fd, why, whylen) != MH_OK) {
        goto fail;
    }
    for (tries = 0; tries < DRIFT_CPG_TRIES; tries++) {
        rc = cpg_local_get(c->handle, &local);
        if (rc != CS_ERR_TRY_AGAIN) {
            break;
        }
        drift_cpg_nap();
    }
    if (rc != CS_OK) {
        snprintf(why, whylen, "ask corosync for the local nodeid: error %d", (int) rc);
        goto fail;
    }
    c->nodeid = local;
    c->pid = (uint32_t) getpid();
    memset(&name, 0, sizeof(name));
    name.length = (uint32_t) strlen(c->group);
    memcpy(name.value, c->group, name.length);
    for (tries = 0; tries < DRIFT_CPG_TRIES; tries++) {
        rc = cpg_join(c->handle, &name);
        if (rc != CS_ERR_TRY_AGAIN) {
            break;
        }
        drift_cpg_nap();
    }
    if (rc != CS_OK) {
        snprintf(why, whylen, "join group %s: error %d", c->group, (int) rc);
        goto fail;
    }
    if (qb_loop_poll_add(c->loop, QB_LOOP_MED, c->fd, POLLIN | POLLPRI, c, drift_cpg_poll) != 0) {
        snprintf(why, whylen, "watch the corosync descriptor: failed");
        cpg_leave(c->handle, &name);
        goto fail;
    }
    c->connected = 1;
    return MH_OK;

  fail:
    cpg_finalize(c->handle);
    c->handle = 0;
    return MH_E_CHILD;
}

/* drift_cpg_send - multicast in agreed order; retry only try-again */
int
drift_cpg_send(struct drift_cpg *c, const void *msg, size_t len, char *why, size_t whylen)
{
    struct iovec iov = { .iov_base = (void *) msg, .iov_len = len };
    cs_error_t rc = CS_ERR_NOT_EXIST;

    if (!c->connected) {
        snprintf(why, whylen, "send to group %s: not connected", c->group);
        return MH_E_CHILD;
    }
    for (int tries = 0; tries < DRIFT_CPG_TRIES; tries++) {
        rc = cpg_mcast_joined(c->handle, CPG_TYPE_AGREED, &iov, 1);
        if (rc != CS_ERR_TRY_AGAIN) {
            break;
        }
        drift_cpg_nap();
    }
    if (rc != CS_OK) {
        snprintf(why, whylen, "send to group %s: error %d", c->group, (int) rc);
        return MH_E_CHILD;
    }
    return MH_OK;
}

/* drift_cpg_disconnect - leave (if asked), then finalize */
void
drift_cpg_disconnect(struct drift_cpg *c, int leave)
{
    if (c->handle == 0) {
        return;
    }
    if (c->connected) {
        qb_loop_poll_del(c->loop, c->fd);
    }
    if (leave && c->connected) {
        struct cpg_name name;
        cs_error_t rc = CS_OK;

        memset(&name, 0, sizeof(name));
        name.length = (uint32_t) strlen(c->group);
        memcpy(name.value, c->group, name.length);
        for (int tries = 0; tries < DRIFT_CPG_TRIES; tries++) {
            rc = cpg_leave(c->handle, &name);
            if (rc != CS_ERR_TRY_AGAIN) {
                break;
            }
            drift_cpg_nap();
        }
        if (rc != CS_OK) {
            mh_warn("leave group %s: error %d", c->group, (int) rc);
        }
    }
    cpg_finalize(c->handle);
    c->handle = 0;
    c->connected = 0;
    free(c->members);
    c->members = NULL;
    c->nmembers = 0;
}

/* drift_cpg_is_member - in the last confchg's member list? */
int
drift_cpg_is_member(const struct drift_cpg *c, uint32_t nodeid, uint32_t pid)
{
    for (size_t i = 0; i < c->nmembers; i++) {
        if (c->members[i].nodeid == nodeid && c->members[i].pid == pid) {
            return 1;
        }
    }
    return 0;
}
