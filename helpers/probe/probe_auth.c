// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_auth 3
 * SUMMARY
 *	probe Dovecot's auth service the way Postfix's smtpd talks to it
 * SYNOPSIS
 *	#include "probe_auth.h"
 *
 *	void mh_auth_hs_init(struct mh_auth_hs *hs)
 *	int mh_auth_hs_feed(struct mh_auth_hs *hs, const char *buf, size_t len,
 *	                    char *why, size_t whylen)
 *	int mh_auth_probe(const char *path, long long deadline, char *mechs,
 *	                  size_t mechlen, char *why, size_t whylen)
 * DESCRIPTION
 *	With smtpd_sasl_type = dovecot, every smtpd session starts by
 *	connecting to smtpd_sasl_path and reading the auth server's
 *	handshake; when nothing answers there, the session sends no
 *	banner, so the node takes no mail.  mh_auth_probe() does what
 *	smtpd does first: connect (a socket path, or inet:HOST:PORT),
 *	send "VERSION\t1\t2" and "CPID\t<pid>", and read the server's
 *	lines up to DONE, all by one deadline.  The server's first line
 *	must be VERSION with major version 1; MECH lines name the
 *	mechanisms, at least one is needed; other lines (SPID, CUID,
 *	COOKIE, and any the protocol adds) are skipped.  A line is at
 *	most MH_AUTH_LINE_MAX bytes.
 * DIAGNOSTICS
 *	mh_auth_hs_feed: 0 (more), 1 (done), MH_E_PROTOCOL, MH_E_TOOLONG.
 *	mh_auth_probe: MH_OK; -ECONNREFUSED (nothing listens, a missing
 *	socket too); MH_E_TIMEOUT; MH_E_PROTOCOL (the peer is not a
 *	Dovecot auth server, or closed early); MH_E_CONFIG (bad path).
 *	WHY says what, with the path.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_auth.h"
#include "mh_rc.h"
#include "probe_smtp_session.h"

/* mh_auth_hs_init - an empty handshake */
void
mh_auth_hs_init(struct mh_auth_hs *hs)
{
    memset(hs, 0, sizeof(*hs));
}

/* mh_auth_hs_field - the first tab-separated field of LINE is NAME */
static int
mh_auth_hs_field(const char *line, const char *name)
{
    size_t n = strlen(name);

    return strncmp(line, name, n) == 0 && (line[n] == '\t' || line[n] == '\0');
}

/* mh_auth_hs_line - judge one whole line (without its newline) */
static int
mh_auth_hs_line(struct mh_auth_hs *hs, char *line, char *why, size_t whylen)
{
    hs->nlines++;
    if (!hs->version_ok) {
        /* VERSION <TAB> major <TAB> minor; major 1 is the protocol */
        if (!mh_auth_hs_field(line, "VERSION") || strncmp(line + 7, "\t1\t", 3) != 0) {
            snprintf(why, whylen, "not a Dovecot auth server (its first line is not VERSION 1)");
            return MH_E_PROTOCOL;
        }
        hs->version_ok = 1;
        return 0;
    }
    if (mh_auth_hs_field(line, "MECH")) {
        const char *name = line[4] == '\t' ? line + 5 : "";
        size_t nl = strcspn(name, "\t"), have = strlen(hs->mechs);

        if (nl == 0) {
            snprintf(why, whylen, "a MECH line without a mechanism name");
            return MH_E_PROTOCOL;
        }
        hs->nmech++;
        /* keep what fits, whole names only */
        if (have + (have > 0) + nl < sizeof(hs->mechs)) {
            if (have > 0) {
                hs->mechs[have++] = ' ';
            }
            memcpy(hs->mechs + have, name, nl);
            hs->mechs[have + nl] = '\0';
        }
        return 0;
    }
    if (mh_auth_hs_field(line, "DONE")) {
        if (hs->nmech == 0) {
            snprintf(why, whylen, "the auth server offers no mechanism");
            return MH_E_PROTOCOL;
        }
        hs->done = 1;
        return 1;
    }
    return 0;
}

/* mh_auth_hs_feed - more bytes of the handshake */
int
mh_auth_hs_feed(struct mh_auth_hs *hs, const char *buf, size_t len, char *why, size_t whylen)
{
    size_t i;
    int rc;

    if (hs->done) {
        return 1;
    }
    for (i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            hs->line[hs->llen] = '\0';
            rc = mh_auth_hs_line(hs, hs->line, why, whylen);
            hs->llen = 0;
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        if (buf[i] == '\0') {
            snprintf(why, whylen, "a NUL byte in the auth server's handshake");
            return MH_E_PROTOCOL;
        }
        if (hs->llen + 1 >= sizeof(hs->line)) {
            snprintf(why, whylen, "a handshake line over %d bytes", MH_AUTH_LINE_MAX - 1);
            return MH_E_TOOLONG;
        }
        hs->line[hs->llen++] = buf[i];
    }
    return 0;
}

/* mh_auth_endpoint - smtpd_sasl_path as an endpoint: inet:HOST:PORT or /PATH */
static int
mh_auth_endpoint(const char *path, struct mh_smtp_endpoint *ep, char *why, size_t whylen)
{
    char text[sizeof(ep->path) + 8];

    if (strncmp(path, "inet:", 5) == 0) {
        if (snprintf(text, sizeof(text), "%s", path + 5) >= (int) sizeof(text)) {
            snprintf(why, whylen, "auth server address too long");
            return MH_E_CONFIG;
        }
    } else if (path[0] == '/') {
        if (snprintf(text, sizeof(text), "unix:%s", path) >= (int) sizeof(text)) {
            snprintf(why, whylen, "auth socket path too long");
            return MH_E_CONFIG;
        }
    } else {
        snprintf(why, whylen, "want inet:HOST:PORT or an absolute socket path");
        return MH_E_CONFIG;
    }
    return mh_smtp_endpoint_parse(text, ep, why, whylen) == MH_OK ? MH_OK : MH_E_CONFIG;
}

/* mh_auth_probe - connect, greet, read the handshake, by the deadline */
int
mh_auth_probe(const char *path, long long deadline, char *mechs, size_t mechlen, char *why,
              size_t whylen)
{
    static struct mh_smtp_session s;
    struct mh_smtp_endpoint ep;
    struct mh_auth_hs hs;
    struct pollfd pfd;
    char greet[64], buf[4096], what[200] = "";
    long long left;
    ssize_t n;
    int rc;

    if (mechlen > 0) {
        mechs[0] = '\0';
    }
    rc = mh_auth_endpoint(path, &ep, what, sizeof(what));
    if (rc != MH_OK) {
        snprintf(why, whylen, "auth server %s: %s", path, what);
        return rc;
    }
    mh_smtp_session_init(&s, deadline, 0);
    rc = mh_smtp_session_connect(&s, &ep);
    if (rc != MH_OK) {
        snprintf(why, whylen, "auth server %s: %s", path,
                 rc == -ECONNREFUSED ? "nothing listening" : s.why);
        mh_smtp_session_close(&s);
        return rc;
    }
    snprintf(greet, sizeof(greet), "VERSION\t1\t2\nCPID\t%ld\n", (long) getpid());
    rc = mh_smtp_session_send(&s, greet, strlen(greet));
    if (rc != MH_OK) {
        snprintf(why, whylen, "auth server %s: %s", path, s.why);
        mh_smtp_session_close(&s);
        return rc;
    }
    mh_auth_hs_init(&hs);
    for (;;) {
        left = deadline - mh_smtp_now_ms();
        if (left <= 0) {
            snprintf(why, whylen, "auth server %s: no handshake before the deadline (%d lines)",
                     path, hs.nlines);
            rc = MH_E_TIMEOUT;
            break;
        }
        pfd.fd = s.fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, left > 0x7fffffff ? 0x7fffffff : (int) left) < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = -errno;
            snprintf(why, whylen, "auth server %s: poll: %s", path, strerror(errno));
            break;
        }
        if (pfd.revents == 0) {
            continue;
        }
        n = recv(s.fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
            continue;
        }
        if (n < 0 && errno != ECONNRESET) {
            rc = -errno;
            snprintf(why, whylen, "auth server %s: recv: %s", path, strerror(errno));
            break;
        }
        if (n <= 0) {
            /* an end of file, or a reset: it left without its handshake */
            snprintf(why, whylen, "auth server %s: closed the connection in its handshake",
                     path);
            rc = MH_E_PROTOCOL;
            break;
        }
        rc = mh_auth_hs_feed(&hs, buf, (size_t) n, what, sizeof(what));
        if (rc == 1) {
            if (mechlen > 0) {
                snprintf(mechs, mechlen, "%s", hs.mechs);
            }
            rc = MH_OK;
            break;
        }
        if (rc != 0) {
            snprintf(why, whylen, "auth server %s: %s", path, what);
            break;
        }
    }
    mh_smtp_session_close(&s);
    return rc;
}
