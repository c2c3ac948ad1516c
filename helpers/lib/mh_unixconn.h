// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_unixconn 3h
 * SUMMARY
 *	connect to a unix-domain stream socket within a deadline
 * DESCRIPTION
 *	A non-blocking connect() to a unix socket whose listen queue is
 *	full fails at once with EAGAIN: nothing is "in progress", and the
 *	socket stays unconnected.  A blocking one waits for room for ever.
 *	mh_unix_connect() waits for room at most until the deadline (a
 *	blocking connect() bounded by SO_SNDTIMEO) and tells a queue that
 *	stayed full apart from other failures.
 */
#ifndef MH_UNIXCONN_H
#define MH_UNIXCONN_H

/* mh_unix_connect - connect to PATH by the CLOCK_MONOTONIC ms deadline;
 * a descriptor (O_NONBLOCK if nonblock), or MH_E_TIMEOUT when the
 * listen queue stayed full, -ENAMETOOLONG, or another -errno */
int mh_unix_connect(const char *path, long long deadline_ms, int nonblock);

#endif
