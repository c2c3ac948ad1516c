// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_auth 3h
 * SUMMARY
 *	is Dovecot's auth service (Postfix's SASL server) answering?
 * DESCRIPTION
 *	The server side of Dovecot's authentication protocol greets a
 *	client with tab-separated lines: VERSION (major 1), MECH lines,
 *	SPID, CUID, COOKIE, and DONE.  mh_auth_hs_feed() reads that
 *	handshake from any chunking of the bytes; mh_auth_probe() connects
 *	(inet:HOST:PORT or a socket path, as Postfix's smtpd_sasl_path
 *	names it), sends the client's VERSION and CPID, and reads the
 *	server's handshake by one deadline.
 */
#ifndef MH_AUTHPROBE_H
#define MH_AUTHPROBE_H

#include <stddef.h>

#define MH_AUTH_LINE_MAX 1024   /* a handshake line longer is a protocol error */
#define MH_AUTH_MECHS_MAX 256   /* mechanism names kept, space-separated */

struct mh_auth_hs {
    int version_ok;             /* VERSION 1.x seen, first */
    int done;                   /* DONE seen */
    int nmech;
    char mechs[MH_AUTH_MECHS_MAX];
    char line[MH_AUTH_LINE_MAX];
    size_t llen;
    int nlines;
};

/* mh_auth_hs_init - before the first byte */
void mh_auth_hs_init(struct mh_auth_hs *hs);

/* mh_auth_hs_feed - LEN more bytes of the server's handshake: 0 more
 * wanted, 1 done (DONE after VERSION, and at least one MECH), or
 * MH_E_PROTOCOL / MH_E_TOOLONG with WHY */
int mh_auth_hs_feed(struct mh_auth_hs *hs, const char *buf, size_t len, char *why,
                    size_t whylen);

/* mh_auth_probe - the handshake of the server at PATH by DEADLINE
 * (mh_smtp_now_ms() time): MH_OK with the mechanisms in MECHS;
 * -ECONNREFUSED when nothing listens (a missing socket too),
 * MH_E_TIMEOUT, MH_E_PROTOCOL, MH_E_CONFIG for a bad PATH, ... */
int mh_auth_probe(const char *path, long long deadline, char *mechs, size_t mechlen,
                  char *why, size_t whylen);

#endif
