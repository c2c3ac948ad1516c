// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	probe_smtp_session 3
 * SUMMARY
 *	an SMTP client connection bounded by one deadline
 * SYNOPSIS
 *	#include "probe_smtp_session.h"
 *
 *	int mh_smtp_endpoint_parse(const char *text, struct mh_smtp_endpoint *ep,
 *	                        char *why, size_t whylen)
 *	void mh_smtp_session_init(struct mh_smtp_session *s, long long deadline,
 *	                       int verbose)
 *	int mh_smtp_session_connect(struct mh_smtp_session *s,
 *	                         const struct mh_smtp_endpoint *ep)
 *	int mh_smtp_session_send(struct mh_smtp_session *s, const char *buf,
 *	                      size_t len)
 *	int mh_smtp_session_reply(struct mh_smtp_session *s,
 *	                       const struct mh_smtp_reply **reply)
 *	void mh_smtp_session_close(struct mh_smtp_session *s)
 * DESCRIPTION
 *	The caller fixes one absolute deadline; every blocking step
 *	(name lookup, connect, send, receive) waits only for the time
 *	left, so the whole session can never outlast it.  Host names are
 *	looked up with getaddrinfo_a() and gai_suspend() because a plain
 *	getaddrinfo() cannot be bounded.  Each resolved address is tried
 *	in turn, each given an equal share of the time left.
 * DIAGNOSTICS
 *	-ECONNREFUSED when nothing listens (every address refused, or a
 *	unix socket path that does not exist); MH_E_TIMEOUT when the
 *	deadline passed; MH_E_PROTOCOL / MH_E_TOOLONG from the parser or
 *	an early close; other negative errno values.  s->why says what.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mh_clock.h"
#include "mh_log.h"
#include "mh_rc.h"
#include "probe_smtp_session.h"
#include "mh_unixconn.h"

/* mh_smtp_now_ms - monotonic milliseconds */
long long
mh_smtp_now_ms(void)
{
    return mh_clock_read(CLOCK_MONOTONIC, 1000);
}

/* mh_smtp_left_ms - time left until the deadline, never negative */
static int
mh_smtp_left_ms(long long deadline)
{
    long long left = deadline - mh_smtp_now_ms();

    if (left <= 0) {
        return 0;
    }
    return left > 0x7fffffff ? 0x7fffffff : (int) left;
}

/* mh_smtp_endpoint_parse - split an endpoint into its parts */
int
mh_smtp_endpoint_parse(const char *text, struct mh_smtp_endpoint *ep, char *why, size_t whylen)
{
    const char *colon, *close, *host, *port;
    size_t hl;

    memset(ep, 0, sizeof(*ep));
    if (strncmp(text, "unix:", 5) == 0) {
        if (text[5] != '/') {
            snprintf(why, whylen, "unix socket path must be absolute: \"%s\"", text);
            return -EINVAL;
        }
        if (strlen(text + 5) >= sizeof(ep->path)) {
            snprintf(why, whylen, "unix socket path too long: \"%s\"", text);
            return -EINVAL;
        }
        ep->is_unix = 1;
        strcpy(ep->path, text + 5);
        return MH_OK;
    }
    if (text[0] == '[') {
        close = strchr(text, ']');
        if (close == NULL || close[1] != ':') {
            snprintf(why, whylen, "bad endpoint \"%s\": expected [IPV6]:PORT", text);
            return -EINVAL;
        }
        host = text + 1;
        hl = (size_t) (close - host);
        port = close + 2;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL || memchr(text, ':', (size_t) (colon - text)) != NULL) {
            snprintf(why, whylen, "bad endpoint \"%s\": expected HOST:PORT, [IPV6]:PORT "
                     "or unix:/PATH", text);
            return -EINVAL;
        }
        host = text;
        hl = (size_t) (colon - text);
        port = colon + 1;
    }
    if (hl == 0 || hl >= sizeof(ep->host) || *port == '\0' || strlen(port) >= sizeof(ep->port)
        || strpbrk(port, ":[]/ ") != NULL || memchr(host, ' ', hl) != NULL
        || memchr(host, '/', hl) != NULL) {
        snprintf(why, whylen, "bad endpoint \"%s\": empty or malformed host or port", text);
        return -EINVAL;
    }
    memcpy(ep->host, host, hl);
    ep->host[hl] = '\0';
    strcpy(ep->port, port);
    return MH_OK;
}

/* mh_smtp_session_init - set the deadline, no connection */
void
mh_smtp_session_init(struct mh_smtp_session *s, long long deadline, int verbose)
{
    s->fd = -1;
    s->deadline = deadline;
    s->verbose = verbose;
    s->roff = 0;
    s->rlen = 0;
    s->why[0] = '\0';
    mh_smtp_parser_init(&s->parser);
}

/* mh_smtp_connect_addr - one nonblocking connect, waiting at most LIMIT ms */
static int
mh_smtp_connect_addr(struct mh_smtp_session *s, int family, const struct sockaddr *sa,
                  socklen_t salen, long long limit)
{
    struct pollfd pfd;
    socklen_t elen = sizeof(int);
    int fd, rc, err = 0, left;

    fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    if (connect(fd, sa, salen) == 0) {
        s->fd = fd;
        return MH_OK;
    }
    if (errno != EINPROGRESS && errno != EAGAIN) {
        rc = -errno;
        close(fd);
        return rc;
    }
    for (;;) {
        left = mh_smtp_left_ms(limit);
        if (left == 0) {
            close(fd);
            return MH_E_TIMEOUT;
        }
        pfd.fd = fd;
        pfd.events = POLLOUT;
        pfd.revents = 0;
        rc = poll(&pfd, 1, left);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc < 0) {
            rc = -errno;
            close(fd);
            return rc;
        }
        if (rc > 0) {
            break;
        }
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) {
        err = errno;
    }
    if (err != 0) {
        close(fd);
        return -err;
    }
    s->fd = fd;
    return MH_OK;
}

/* mh_smtp_connect_unix - connect to a unix-domain socket; a full
 * listen queue is waited on until the deadline, not taken for a
 * connection in progress (connect() says EAGAIN, and nothing is) */
static int
mh_smtp_connect_unix(struct mh_smtp_session *s, const struct mh_smtp_endpoint *ep)
{
    int rc;

    rc = mh_unix_connect(ep->path, s->deadline, 1);
    if (rc >= 0) {
        s->fd = rc;
        return MH_OK;
    }
    if (rc == -ENOENT || rc == -ECONNREFUSED) {
        snprintf(s->why, sizeof(s->why), "connect: %s", strerror(-rc));
        return -ECONNREFUSED;
    }
    if (rc == MH_E_TIMEOUT) {
        snprintf(s->why, sizeof(s->why), "connect: timed out, the listen queue is full");
    } else {
        snprintf(s->why, sizeof(s->why), "connect: %s", mh_rc_str(rc));
    }
    return rc;
}

/* mh_smtp_resolve - look up host and port within the deadline */
static int
mh_smtp_resolve(struct mh_smtp_session *s, const struct mh_smtp_endpoint *ep, struct addrinfo **res)
{
    struct addrinfo hints;
    struct gaicb *req;
    struct gaicb *list[1];
    struct timespec ts;
    int rc, left;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    /* Numeric address and port: no lookup, nothing can block. */
    rc = getaddrinfo(ep->host, ep->port, &hints, res);
    if (rc == 0) {
        return MH_OK;
    }
    hints.ai_flags = AI_ADDRCONFIG;
    /* The request must outlive a lookup that cannot be cancelled, so it
     * is left allocated when the deadline passes (we exit soon after). */
    req = calloc(1, sizeof(*req) + sizeof(hints));
    if (req == NULL) {
        snprintf(s->why, sizeof(s->why), "resolve %s:%s: out of memory", ep->host, ep->port);
        return -ENOMEM;
    }
    memcpy(req + 1, &hints, sizeof(hints));
    req->ar_name = ep->host;
    req->ar_service = ep->port;
    req->ar_request = (struct addrinfo *) (req + 1);
    list[0] = req;
    rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
    if (rc != 0) {
        snprintf(s->why, sizeof(s->why), "resolve %s:%s: %s", ep->host, ep->port,
                 gai_strerror(rc));
        free(req);
        return MH_E_CONFIG;
    }
    for (;;) {
        left = mh_smtp_left_ms(s->deadline);
        if (left == 0) {
            snprintf(s->why, sizeof(s->why), "resolve %s:%s: timed out", ep->host, ep->port);
            rc = gai_cancel(req);
            if (rc == EAI_ALLDONE && req->ar_result != NULL) {
                freeaddrinfo(req->ar_result);
            }
            if (rc == EAI_CANCELED || rc == EAI_ALLDONE) {
                free(req);
            }
            return MH_E_TIMEOUT;
        }
        ts.tv_sec = left / 1000;
        ts.tv_nsec = (long) (left % 1000) * 1000000L;
        rc = gai_suspend((const struct gaicb *const *) list, 1, &ts);
        if (rc == 0 || rc == EAI_ALLDONE) {
            break;
        }
        if (rc != EAI_AGAIN && rc != EAI_INTR) {
            break;
        }
    }
    rc = gai_error(req);
    if (rc != 0) {
        snprintf(s->why, sizeof(s->why), "resolve %s:%s: %s", ep->host, ep->port,
                 gai_strerror(rc));
        free(req);
        return MH_E_CONFIG;
    }
    *res = req->ar_result;
    free(req);
    return MH_OK;
}

/* mh_smtp_session_connect - connect to the endpoint within the deadline */
int
mh_smtp_session_connect(struct mh_smtp_session *s, const struct mh_smtp_endpoint *ep)
{
    struct addrinfo *res = NULL, *ai;
    char addr[64];                    /* a numeric address */
    int rc, n, i, tried = 0, first = MH_OK;
    char first_why[sizeof(s->why)] = "";
    long long limit, now;

    if (ep->is_unix) {
        return mh_smtp_connect_unix(s, ep);
    }
    rc = mh_smtp_resolve(s, ep, &res);
    if (rc != MH_OK) {
        return rc;
    }
    for (n = 0, ai = res; ai != NULL; ai = ai->ai_next) {
        n++;
    }
    rc = MH_E_TIMEOUT;
    for (i = 0, ai = res; ai != NULL; ai = ai->ai_next, i++) {
        now = mh_smtp_now_ms();
        if (now >= s->deadline) {
            rc = MH_E_TIMEOUT;
            if (first == MH_OK) {
                first = rc;
                snprintf(first_why, sizeof(first_why), "connect: timed out");
            }
            break;
        }
        /* Later addresses still get their share of the time left. */
        limit = now + (s->deadline - now) / (n - i);
        tried++;
        rc = mh_smtp_connect_addr(s, ai->ai_family, ai->ai_addr, ai->ai_addrlen, limit);
        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0,
                        NI_NUMERICHOST) != 0) {
            strcpy(addr, "?");
        }
        if (s->verbose) {
            mh_debug("connect %s port %s: %s", addr, ep->port,
                     rc == MH_OK ? "connected" : mh_rc_str(rc));
        }
        if (rc == MH_OK) {
            break;
        }
        snprintf(s->why, sizeof(s->why), "connect %s: %s", addr,
                 rc == MH_E_TIMEOUT ? "timed out" : mh_rc_str(rc));
        if (rc != -ECONNREFUSED && first == MH_OK) {
            /* Remember the first failure that is not "nothing listens". */
            first = rc;
            memcpy(first_why, s->why, sizeof(first_why));
        }
    }
    freeaddrinfo(res);
    if (rc == MH_OK) {
        return MH_OK;
    }
    if (first != MH_OK) {
        memcpy(s->why, first_why, sizeof(first_why));
        return first;
    }
    /* Every address refused (or none was returned): nothing listens. */
    if (tried == 0) {
        snprintf(s->why, sizeof(s->why), "resolve %s:%s: no address", ep->host, ep->port);
        return MH_E_CONFIG;
    }
    return -ECONNREFUSED;
}

/* mh_smtp_session_send - write all of BUF before the deadline */
int
mh_smtp_session_send(struct mh_smtp_session *s, const char *buf, size_t len)
{
    struct pollfd pfd;
    ssize_t n;
    size_t off = 0;
    int left, rc;

    while (off < len) {
        n = send(s->fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            off += (size_t) n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            rc = -errno;
            snprintf(s->why, sizeof(s->why), "send: %s", strerror(errno));
            return rc;
        }
        left = mh_smtp_left_ms(s->deadline);
        if (left == 0) {
            snprintf(s->why, sizeof(s->why), "send: timed out");
            return MH_E_TIMEOUT;
        }
        pfd.fd = s->fd;
        pfd.events = POLLOUT;
        pfd.revents = 0;
        if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
            rc = -errno;
            snprintf(s->why, sizeof(s->why), "poll: %s", strerror(errno));
            return rc;
        }
    }
    return MH_OK;
}

/* mh_smtp_session_log - the transcript of one reply, at debug */
static void
mh_smtp_session_log(const struct mh_smtp_reply *r)
{
    char line[MH_SMTP_LINE_MAX + 1];
    size_t i;

    for (i = 0; i < r->nlines; i++) {
        mh_smtp_printable(line, sizeof(line), r->lines[i]);
        mh_debug("< %d%c%s", r->code, i + 1 < r->nlines ? '-' : ' ', line);
    }
}

/* mh_smtp_session_reply - read until one reply is complete */
int
mh_smtp_session_reply(struct mh_smtp_session *s, const struct mh_smtp_reply **reply)
{
    struct pollfd pfd;
    size_t used;
    ssize_t n;
    int rc, left;

    for (;;) {
        if (s->roff < s->rlen) {
            rc = mh_smtp_parser_feed(&s->parser, s->rbuf + s->roff, s->rlen - s->roff, &used);
            s->roff += used;
            if (rc == MH_SMTP_PARSE_DONE) {
                if (s->verbose) {
                    mh_smtp_session_log(&s->parser.reply);
                }
                *reply = &s->parser.reply;
                return MH_OK;
            }
            if (rc < 0) {
                snprintf(s->why, sizeof(s->why), "%s", s->parser.why);
                return rc;
            }
        }
        s->roff = 0;
        s->rlen = 0;
        n = recv(s->fd, s->rbuf, sizeof(s->rbuf), MSG_DONTWAIT);
        if (n > 0) {
            s->rlen = (size_t) n;
            continue;
        }
        if (n == 0) {
            snprintf(s->why, sizeof(s->why), "connection closed by the server");
            return MH_E_PROTOCOL;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            rc = -errno;
            snprintf(s->why, sizeof(s->why), "recv: %s", strerror(errno));
            return rc;
        }
        left = mh_smtp_left_ms(s->deadline);
        if (left == 0) {
            snprintf(s->why, sizeof(s->why), "timed out waiting for a reply");
            return MH_E_TIMEOUT;
        }
        pfd.fd = s->fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
            rc = -errno;
            snprintf(s->why, sizeof(s->why), "poll: %s", strerror(errno));
            return rc;
        }
    }
}

/* mh_smtp_session_close - close the connection */
void
mh_smtp_session_close(struct mh_smtp_session *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}
