// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_smtp_session 3h
 * SUMMARY
 *	an SMTP client connection bounded by one deadline
 * DESCRIPTION
 *	Endpoint parsing, nonblocking connect (TCP over IPv4/IPv6, or a
 *	unix-domain socket), sending commands and reading replies, every
 *	wait a poll() with the time left until one absolute deadline.
 *	Functions return codes and a reason in s->why; they never exit.
 */
#ifndef MH_SMTP_SESSION_H
#define MH_SMTP_SESSION_H

#include <stddef.h>
#include <sys/un.h>

#include "probe_smtp_reply.h"

struct mh_smtp_endpoint {
    int is_unix;
    char host[256];                   /* name or address, no brackets */
    char port[64];                    /* number or service name */
    char path[sizeof(((struct sockaddr_un *) 0)->sun_path)];
};

struct mh_smtp_session {
    int fd;
    long long deadline;               /* CLOCK_MONOTONIC ms */
    int verbose;                      /* log the transcript at debug */
    char rbuf[4096];                  /* received, not yet parsed */
    size_t roff, rlen;
    struct mh_smtp_parser parser;
    char why[512];
};

/* mh_smtp_now_ms - CLOCK_MONOTONIC in milliseconds */
long long mh_smtp_now_ms(void);

/* mh_smtp_endpoint_parse - HOST:PORT, [V6]:PORT, unix:/PATH; MH_OK or -EINVAL */
int mh_smtp_endpoint_parse(const char *text, struct mh_smtp_endpoint *ep, char *why, size_t whylen);

/* mh_smtp_session_init - no connection yet; DEADLINE in mh_smtp_now_ms() time */
void mh_smtp_session_init(struct mh_smtp_session *s, long long deadline, int verbose);

/* mh_smtp_session_connect - MH_OK, -ECONNREFUSED (nothing listens), MH_E_TIMEOUT, ... */
int mh_smtp_session_connect(struct mh_smtp_session *s, const struct mh_smtp_endpoint *ep);

/* mh_smtp_session_send - send bytes (a command line with CRLF, or data) */
int mh_smtp_session_send(struct mh_smtp_session *s, const char *buf, size_t len);

/* mh_smtp_session_reply - read one whole reply; MH_OK, MH_E_TIMEOUT, ... */
int mh_smtp_session_reply(struct mh_smtp_session *s, const struct mh_smtp_reply **reply);

/* mh_smtp_session_close - close the connection, if any */
void mh_smtp_session_close(struct mh_smtp_session *s);

#endif
