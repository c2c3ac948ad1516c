// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_driftstate 3h
 * SUMMARY
 *	the state file mailha-drift writes and others read
 * DESCRIPTION
 *	mailha-drift keeps one small text file (default
 *	/run/mailha/drift.state), replaced atomically on every change and
 *	every interval.  mailha-drift --query, mailha-status and the
 *	ocf:mailha:drift agent read it; the agent reads it with the shell's
 *	own `read`, so the simple keys come first, one per line:
 *
 *	    mailha-drift-state 1
 *	    pid PID
 *	    joined 0|1
 *	    uptime_cs CENTISECONDS-SINCE-BOOT   (when written)
 *	    interval SECONDS
 *	    status ok|drift|waiting|alone|disconnected|evicted
 *	    nodeid N
 *	    node NAME
 *	    updated EPOCH-SECONDS
 *	    items N                             (distinct items that differ)
 *	    reason TEXT                         (optional)
 *	    member NODEID NAME|?
 *	    finding KIND NODE ITEM
 */
#ifndef MH_DRIFTSTATE_H
#define MH_DRIFTSTATE_H

#include <stddef.h>

#define MH_DRIFTSTATE_MAGIC "mailha-drift-state 1"
#define MH_DRIFTSTATE_DEFAULT "/run/mailha/drift.state"

struct mh_driftstate_member {
    unsigned nodeid;
    char name[65];
};

struct mh_driftstate_finding {
    char kind[16];
    char node[65];
    char *item;
};

struct mh_driftstate {
    long pid;
    int joined;
    long long uptime_cs;
    unsigned interval;
    char status[16];
    unsigned nodeid;
    char node[65];
    long long updated;
    unsigned items;
    char reason[256];
    struct mh_driftstate_member *members;
    size_t nmembers;
    struct mh_driftstate_finding *findings;
    size_t nfindings;
};

/* mh_driftstate_write - replace PATH atomically; 0 or negative code */
int mh_driftstate_write(const char *path, const struct mh_driftstate *st);

/* mh_driftstate_read - parse PATH; 0 or negative code, reason in WHY */
int mh_driftstate_read(const char *path, struct mh_driftstate *st, char *why, size_t whylen);

/* mh_driftstate_parse - parse a buffer (NUL-terminated) */
int mh_driftstate_parse(const char *text, struct mh_driftstate *st, char *why, size_t whylen);

/* mh_driftstate_add_member / _add_finding - build a state to write */
int mh_driftstate_add_member(struct mh_driftstate *st, unsigned nodeid, const char *name);
int mh_driftstate_add_finding(struct mh_driftstate *st, const char *kind, const char *node,
                              const char *item);

/* mh_driftstate_free - release members and findings */
void mh_driftstate_free(struct mh_driftstate *st);

#endif
