// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	cpg 3h
 * SUMMARY
 *	mailha-drift: the corosync CPG client, on a libqb main loop
 * DESCRIPTION
 *	One connection to one closed process group.  Callbacks run from
 *	cpg_dispatch(); anything that must finalize the handle (eviction,
 *	a lost connection) is only flagged there and reported to the
 *	owner after dispatch returns, through the lost() callback.
 */
#ifndef MH_DRIFT_CPG_H
#define MH_DRIFT_CPG_H

#include <stddef.h>
#include <stdint.h>

#include <corosync/cpg.h>
#include <qb/qbloop.h>

#define DRIFT_CPG_TRIES 50          /* CS_ERR_TRY_AGAIN: 50 x 100 ms at most */

struct drift_member {
    uint32_t nodeid;
    uint32_t pid;
};

struct drift_cpg_cb {
    /* a message from a current member other than ourselves */
    void (*deliver)(void *ctx, uint32_t nodeid, uint32_t pid, const void *msg, size_t len);
    /* the new member list (ourselves included); joined > 0 if anyone joined */
    void (*members)(void *ctx, const struct drift_member *m, size_t n, size_t joined);
    /* the connection is gone (why says how); the owner reconnects */
    void (*lost)(void *ctx, const char *why);
};

struct drift_cpg {
    cpg_handle_t handle;
    int connected;
    int fd;
    uint32_t nodeid;
    uint32_t pid;
    char group[CPG_MAX_NAME_LENGTH];
    qb_loop_t *loop;
    const struct drift_cpg_cb *cb;
    void *ctx;
    int allow_uidgid;               /* accept non-root CPG clients in corosync */
    struct drift_member *members;   /* the last confchg's list: the truth */
    size_t nmembers;
    char lost_why[256];             /* set in a callback, acted on after */
};

int drift_cpg_connect(struct drift_cpg *c, char *why, size_t whylen);
int drift_cpg_send(struct drift_cpg *c, const void *msg, size_t len, char *why, size_t whylen);
void drift_cpg_disconnect(struct drift_cpg *c, int leave);
int drift_cpg_is_member(const struct drift_cpg *c, uint32_t nodeid, uint32_t pid);
int drift_cpg_uidgid_trusted(const char *key, uid_t ha_uid, gid_t ha_gid);

#endif
