// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-probe 8
 * SUMMARY
 *	SMTP health probe for the mailha Postfix agent
 * SYNOPSIS
 *	mailha-probe [-e endpoint] [-t ms] [-H helo] [-s size] [-a [-S socket]]
 *	             [-A auth-server [-N]] [-d rcpt -m mailbox [-f from]] [-v]
 * DESCRIPTION
 *	Connects to an SMTP server (TCP over IPv4 or IPv6, or a unix
 *	socket), reads the 220 banner, sends EHLO and checks what it
 *	advertises (SIZE equal to message_size_limit, AUTH), and ends the
 *	session with QUIT.  With -d it also sends a probe message with a
 *	unique token, waits for it in the recipient's mailbox and removes
 *	exactly that message.  Everything, delivery wait included, fits
 *	in one deadline (-t) that is never exceeded.
 *
 *	With -A it first asks Dovecot's auth service (Postfix's
 *	smtpd_sasl_path: a socket path or inet:HOST:PORT) for its
 *	handshake, as every smtpd session does before its banner: when it
 *	does not answer, the reason names it instead of a banner timeout.
 *	-N checks only that.
 *
 *	The dialogue is one that smtpd never counts as an error: no
 *	unknown commands, no command before its predecessor's reply, no
 *	RSET, and QUIT at the end, also after an unexpected reply, so
 *	recurring probes never push the cluster's own address towards
 *	smtpd_soft_error_limit or smtpd_hard_error_limit.
 *
 *	See doc/mailha-probe.md for the command line.
 * DIAGNOSTICS
 *	Exit status, OCF-shaped so an agent passes it through: 0 healthy;
 *	1 unhealthy (timeout, malformed or unexpected reply, expectation
 *	not met, message not seen in time); 2 bad arguments; 7 nothing
 *	listening.  Every non-zero exit writes one exit-reason line.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "probe_auth.h"
#include "mh_log.h"
#include "mh_rc.h"
#include "probe_msg.h"
#include "probe_smtp_session.h"

#define PROBE_DEFAULT_ENDPOINT "127.0.0.1:25"
#define PROBE_DEFAULT_TIMEOUT  5000
#define PROBE_POLL_MS          20

struct probe_opts {
    const char *endpoint;
    struct mh_smtp_endpoint ep;
    long long timeout_ms;
    char helo[256];
    long long expect_size;            /* -1: not checked */
    int expect_auth;
    const char *sasl_socket;
    const char *auth_server;          /* Dovecot auth: inet:HOST:PORT or /path */
    int no_smtp;                      /* only the auth server */
    const char *rcpt;
    const char *mailbox;
    const char *from;
    char from_buf[300];
    int verbose;
};

/* probe_usage - the help text */
static void
probe_usage(FILE *fp)
{
    fputs("usage: mailha-probe [options]\n"
          "  -e, --endpoint EP     HOST:PORT, [IPV6]:PORT or unix:/path (default 127.0.0.1:25)\n"
          "  -t, --timeout MS      one total deadline for everything (default 5000)\n"
          "  -H, --helo NAME       EHLO name (default: the host name)\n"
          "  -s, --expect-size N   EHLO must advertise SIZE N (0: SIZE with no number)\n"
          "  -a, --expect-auth     EHLO must advertise AUTH\n"
          "  -S, --sasl-socket P   with -a: the SASL server socket that must exist\n"
          "  -A, --auth-server P   Dovecot's auth service (smtpd_sasl_path: inet:HOST:PORT\n"
          "                        or a socket path) must answer its handshake, checked first\n"
          "  -N, --no-smtp         with -A: check only the auth service\n"
          "  -d, --deliver RCPT    send a probe message to RCPT and see it delivered\n"
          "  -m, --mailbox PATH    with -d: RCPT's mbox, or maildir if PATH ends in /\n"
          "  -f, --from ADDR       with -d: envelope sender (default mailha-probe@HELO)\n"
          "  -v, --verbose         the SMTP transcript on stderr\n"
          "  -h, --help            this text\n"
          "exit: 0 healthy, 1 unhealthy, 2 bad arguments, 7 nothing listening\n", fp);
}

/* probe_number - a strict decimal number within [min, max] */
static int
probe_number(const char *text, long long min, long long max, long long *out)
{
    unsigned long long v;
    char *end;

    if (text[0] < '0' || text[0] > '9') {
        return -EINVAL;
    }
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > (unsigned long long) max || (long long) v < min) {
        return -EINVAL;
    }
    *out = (long long) v;
    return MH_OK;
}

/* probe_word_ok - an address or name we may put on a command line */
static int
probe_word_ok(const char *text, int allow_empty)
{
    const char *p;

    if (text[0] == '\0') {
        return allow_empty;
    }
    if (strlen(text) > 254) {
        return 0;
    }
    for (p = text; *p != '\0'; p++) {
        if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>') {
            return 0;
        }
    }
    return 1;
}

/* probe_args - parse the command line; MH_OK or -EINVAL with WHY */
static int
probe_args(int argc, char **argv, struct probe_opts *o, char *why, size_t whylen)
{
    static const struct option longopts[] = {
        {"endpoint", required_argument, NULL, 'e'},
        {"timeout", required_argument, NULL, 't'},
        {"helo", required_argument, NULL, 'H'},
        {"expect-size", required_argument, NULL, 's'},
        {"expect-auth", no_argument, NULL, 'a'},
        {"sasl-socket", required_argument, NULL, 'S'},
        {"auth-server", required_argument, NULL, 'A'},
        {"no-smtp", no_argument, NULL, 'N'},
        {"deliver", required_argument, NULL, 'd'},
        {"mailbox", required_argument, NULL, 'm'},
        {"from", required_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *helo = NULL;
    int c;

    memset(o, 0, sizeof(*o));
    o->endpoint = PROBE_DEFAULT_ENDPOINT;
    o->timeout_ms = PROBE_DEFAULT_TIMEOUT;
    o->expect_size = -1;
    opterr = 0;
    for (;;) {
        c = getopt_long(argc, argv, ":e:t:H:s:aS:A:Nd:m:f:vh", longopts, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'e':
            o->endpoint = optarg;
            break;
        case 't':
            if (probe_number(optarg, 1, 86400000, &o->timeout_ms) != MH_OK) {
                snprintf(why, whylen, "bad --timeout \"%s\": want milliseconds, 1-86400000",
                         optarg);
                return -EINVAL;
            }
            break;
        case 'H':
            helo = optarg;
            break;
        case 's':
            if (probe_number(optarg, 0, LLONG_MAX, &o->expect_size) != MH_OK) {
                snprintf(why, whylen, "bad --expect-size \"%s\": want a number of bytes", optarg);
                return -EINVAL;
            }
            break;
        case 'a':
            o->expect_auth = 1;
            break;
        case 'S':
            o->sasl_socket = optarg;
            break;
        case 'A':
            o->auth_server = optarg;
            break;
        case 'N':
            o->no_smtp = 1;
            break;
        case 'd':
            o->rcpt = optarg;
            break;
        case 'm':
            o->mailbox = optarg;
            break;
        case 'f':
            o->from = optarg;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'h':
            return 1;
        case ':':
            snprintf(why, whylen, "option %s needs a value", argv[optind - 1]);
            return -EINVAL;
        default:
            snprintf(why, whylen, "unknown option %s", argv[optind - 1]);
            return -EINVAL;
        }
    }
    if (optind < argc) {
        snprintf(why, whylen, "unexpected argument \"%s\"", argv[optind]);
        return -EINVAL;
    }
    if (mh_smtp_endpoint_parse(o->endpoint, &o->ep, why, whylen) != MH_OK) {
        return -EINVAL;
    }
    if (helo == NULL) {
        if (gethostname(o->helo, sizeof(o->helo) - 1) != 0 || o->helo[0] == '\0') {
            snprintf(o->helo, sizeof(o->helo), "localhost");
        }
    } else if (strlen(helo) >= sizeof(o->helo)) {
        snprintf(why, whylen, "bad --helo: longer than %zu bytes", sizeof(o->helo) - 1);
        return -EINVAL;
    } else {
        snprintf(o->helo, sizeof(o->helo), "%s", helo);
    }
    if (!probe_word_ok(o->helo, 0)) {
        snprintf(why, whylen, "bad --helo \"%s\": want a host name", o->helo);
        return -EINVAL;
    }
    if (o->auth_server != NULL && strncmp(o->auth_server, "inet:", 5) != 0
        && o->auth_server[0] != '/') {
        snprintf(why, whylen, "bad --auth-server \"%s\": want inet:HOST:PORT or an absolute path",
                 o->auth_server);
        return -EINVAL;
    }
    if (o->no_smtp && (o->auth_server == NULL || o->rcpt != NULL || o->expect_auth)) {
        snprintf(why, whylen, "--no-smtp needs --auth-server, and no SMTP check");
        return -EINVAL;
    }
    if (o->sasl_socket != NULL && !o->expect_auth) {
        snprintf(why, whylen, "--sasl-socket needs --expect-auth");
        return -EINVAL;
    }
    if (o->sasl_socket != NULL && o->sasl_socket[0] != '/') {
        snprintf(why, whylen, "bad --sasl-socket \"%s\": want an absolute path", o->sasl_socket);
        return -EINVAL;
    }
    if (o->rcpt == NULL) {
        if (o->mailbox != NULL || o->from != NULL) {
            snprintf(why, whylen, "--mailbox and --from need --deliver");
            return -EINVAL;
        }
        return MH_OK;
    }
    if (!probe_word_ok(o->rcpt, 0)) {
        snprintf(why, whylen, "bad --deliver \"%s\": want a mail address", o->rcpt);
        return -EINVAL;
    }
    if (o->mailbox == NULL || o->mailbox[0] != '/') {
        snprintf(why, whylen, "--deliver needs --mailbox with an absolute path");
        return -EINVAL;
    }
    if (o->from == NULL) {
        snprintf(o->from_buf, sizeof(o->from_buf), "mailha-probe@%s", o->helo);
        o->from = o->from_buf;
    } else if (!probe_word_ok(o->from, 1)) {
        snprintf(why, whylen, "bad --from \"%s\": want a mail address", o->from);
        return -EINVAL;
    }
    return MH_OK;
}

/* probe_reply_text - "NNN text" of a reply's last line, printable */
static void
probe_reply_text(const struct mh_smtp_reply *r, char *buf, size_t len)
{
    char text[200];

    mh_smtp_printable(text, sizeof(text), r->nlines > 0 ? r->lines[r->nlines - 1] : "");
    snprintf(buf, len, "%d%s%s", r->code, text[0] != '\0' ? " " : "", text);
}

/* probe_cmd - send one command (NULL: none, read a reply) and check the code */
static int
probe_cmd(struct mh_smtp_session *s, const char *cmd, const char *label, int want1, int want2,
          const struct mh_smtp_reply **reply, char *why, size_t whylen)
{
    char line[600], text[256];
    const char *what = label != NULL ? label : cmd;
    int rc;

    if (cmd != NULL) {
        if (s->verbose) {
            mh_debug("> %s", cmd);
        }
        snprintf(line, sizeof(line), "%s\r\n", cmd);
        rc = mh_smtp_session_send(s, line, strlen(line));
        if (rc != MH_OK) {
            snprintf(why, whylen, "%s: %s", what, s->why);
            return rc;
        }
    }
    rc = mh_smtp_session_reply(s, reply);
    if (rc != MH_OK) {
        snprintf(why, whylen, "%s: %s", what, s->why);
        return rc;
    }
    if ((*reply)->code != want1 && (*reply)->code != want2) {
        probe_reply_text(*reply, text, sizeof(text));
        snprintf(why, whylen, "%s: unexpected reply %s", what, text);
        return MH_E_REPLY;
    }
    return MH_OK;
}

/* probe_ehlo_check - what EHLO advertises against what was expected */
static int
probe_ehlo_check(const struct mh_smtp_reply *r, const struct probe_opts *o, char *why,
                 size_t whylen)
{
    unsigned long long size;
    const char *auth;
    int has_number, rc;

    if (o->expect_size >= 0) {
        rc = mh_smtp_ehlo_size(r, &has_number, &size);
        if (rc == MH_E_NOTFOUND) {
            snprintf(why, whylen, "EHLO does not advertise SIZE, expected %lld", o->expect_size);
            return MH_E_REPLY;
        }
        if (rc != MH_OK) {
            snprintf(why, whylen, "EHLO advertises a malformed SIZE");
            return MH_E_REPLY;
        }
        /* Postfix 3.7 with message_size_limit = 0 advertises a bare
         * "SIZE" (no limit); that is the only form 0 accepts. */
        if (o->expect_size == 0 && has_number) {
            snprintf(why, whylen, "EHLO advertises SIZE %llu, expected SIZE with no number "
                     "(no limit)", size);
            return MH_E_REPLY;
        }
        if (o->expect_size > 0 && !has_number) {
            snprintf(why, whylen, "EHLO advertises SIZE with no number, expected %lld",
                     o->expect_size);
            return MH_E_REPLY;
        }
        if (o->expect_size > 0 && size != (unsigned long long) o->expect_size) {
            snprintf(why, whylen, "EHLO advertises SIZE %llu, expected %lld", size,
                     o->expect_size);
            return MH_E_REPLY;
        }
    }
    if (o->expect_auth) {
        auth = mh_smtp_ehlo_keyword(r, "AUTH");
        if (auth == NULL) {
            snprintf(why, whylen, "EHLO does not advertise AUTH");
            return MH_E_REPLY;
        }
        if (*auth == '\0') {
            snprintf(why, whylen, "EHLO advertises AUTH with no mechanisms");
            return MH_E_REPLY;
        }
    }
    return MH_OK;
}

/* probe_token - a unique token for the probe message */
static void
probe_token(char *buf, size_t len)
{
    unsigned char rnd[12];
    struct timespec ts;
    size_t i, off;

    clock_gettime(CLOCK_REALTIME, &ts);
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t) sizeof(rnd)) {
        /* no entropy source: time and pid still make it unique here */
        memset(rnd, 0, sizeof(rnd));
    }
    off = (size_t) snprintf(buf, len, "%lld.%ld.", (long long) ts.tv_sec, (long) getpid());
    for (i = 0; i < sizeof(rnd) && off + 2 < len; i++) {
        off += (size_t) snprintf(buf + off, len - off, "%02x", rnd[i]);
    }
}

/* probe_send_message - MAIL, RCPT, DATA and the message with TOKEN */
static int
probe_send_message(struct mh_smtp_session *s, const struct probe_opts *o, const char *token,
                   char *why, size_t whylen)
{
    const struct mh_smtp_reply *r;
    char cmd[600], msg[2048], date[64];
    struct tm tm;
    time_t now = time(NULL);
    int rc, n;

    snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", o->from);
    rc = probe_cmd(s, cmd, NULL, 250, 250, &r, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", o->rcpt);
    rc = probe_cmd(s, cmd, NULL, 250, 251, &r, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    rc = probe_cmd(s, "DATA", NULL, 354, 354, &r, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    localtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
    n = snprintf(msg, sizeof(msg),
                 "Date: %s\r\n"
                 "From: <%s>\r\n"
                 "To: <%s>\r\n"
                 "Subject: mailha delivery probe\r\n"
                 "Message-ID: <%s@%s>\r\n"
                 MH_PROBEMSG_HEADER ": %s\r\n"
                 "\r\n"
                 "mailha delivery probe %s: removed by mailha-probe when it arrives.\r\n"
                 ".\r\n",
                 date, o->from[0] != '\0' ? o->from : o->from_buf, o->rcpt, token, o->helo,
                 token, token);
    if (n < 0 || (size_t) n >= sizeof(msg)) {
        snprintf(why, whylen, "DATA: probe message too long");
        return -EOVERFLOW;
    }
    if (s->verbose) {
        mh_debug("> (probe message, %d bytes, token %s)", n, token);
    }
    rc = mh_smtp_session_send(s, msg, (size_t) n);
    if (rc != MH_OK) {
        snprintf(why, whylen, "DATA: %s", s->why);
        return rc;
    }
    rc = probe_cmd(s, NULL, "end of DATA", 250, 250, &r, why, whylen);
    return rc;
}

/* probe_quit - end a session whose banner was received */
static int
probe_quit(struct mh_smtp_session *s, int after_failure)
{
    const struct mh_smtp_reply *r;
    char why[256];
    long long cap;

    if (after_failure) {
        /* A malformed stream cannot carry a clean reply any more. */
        if (s->parser.error != 0) {
            (void) mh_smtp_session_send(s, "QUIT\r\n", 6);
            return MH_OK;
        }
        /* Be brief: the reason is already known. */
        cap = mh_smtp_now_ms() + 1000;
        if (cap < s->deadline) {
            s->deadline = cap;
        }
    }
    if (probe_cmd(s, "QUIT", NULL, 221, 221, &r, why, sizeof(why)) != MH_OK && !after_failure) {
        return MH_E_REPLY;
    }
    return MH_OK;
}

/* probe_dialogue - banner, EHLO, checks, optional message, QUIT */
static int
probe_dialogue(struct mh_smtp_session *s, const struct probe_opts *o, const char *token,
               int *queued, char *why, size_t whylen)
{
    const struct mh_smtp_reply *r;
    char cmd[300];
    int rc;

    rc = mh_smtp_session_connect(s, &o->ep);
    if (rc != MH_OK) {
        snprintf(why, whylen, "%s%s", rc == -ECONNREFUSED ? "nothing listening: " : "",
                 s->why);
        return rc;
    }
    rc = probe_cmd(s, NULL, "banner", 220, 220, &r, why, whylen);
    if (rc != MH_OK) {
        /* QUIT only once a whole banner was read: before that a QUIT
         * could be taken as talking out of turn (pre-greeting). */
        if (rc == MH_E_REPLY) {
            probe_quit(s, 1);
        }
        return rc == -ECONNREFUSED ? -ECONNRESET : rc;
    }
    snprintf(cmd, sizeof(cmd), "EHLO %s", o->helo);
    rc = probe_cmd(s, cmd, NULL, 250, 250, &r, why, whylen);
    if (rc == MH_OK) {
        rc = probe_ehlo_check(r, o, why, whylen);
    }
    if (rc == MH_OK && o->rcpt != NULL) {
        rc = probe_send_message(s, o, token, why, whylen);
        *queued = rc == MH_OK;
    }
    if (rc != MH_OK) {
        probe_quit(s, 1);
        return rc;
    }
    rc = probe_quit(s, 0);
    if (rc != MH_OK) {
        snprintf(why, whylen, "QUIT: no 221 reply");
    }
    return rc;
}

/* probe_wait_delivery - see the message in the mailbox, and remove it */
static int
probe_wait_delivery(const struct probe_opts *o, const char *token, long long deadline,
                    char *why, size_t whylen)
{
    size_t len = strlen(o->mailbox);
    int maildir = len > 0 && o->mailbox[len - 1] == '/';
    struct timespec ts;
    long long left;
    int rc;

    for (;;) {
        if (maildir) {
            rc = mh_probemsg_maildir_remove_by(o->mailbox, token, deadline, why, whylen);
        } else {
            rc = mh_probemsg_mbox_remove(o->mailbox, token, deadline, why, whylen);
        }
        if (rc != MH_E_NOTFOUND) {
            return rc;
        }
        left = deadline - mh_smtp_now_ms();
        if (left <= 0) {
            snprintf(why, whylen, "probe message %s not seen in %s in time", token, o->mailbox);
            return MH_E_TIMEOUT;
        }
        if (left > PROBE_POLL_MS) {
            left = PROBE_POLL_MS;
        }
        ts.tv_sec = 0;
        ts.tv_nsec = (long) left * 1000000L;
        nanosleep(&ts, NULL);
    }
}

/* probe_sasl_check - the SASL socket must exist and be a socket */
static int
probe_sasl_check(const char *path, char *why, size_t whylen)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        snprintf(why, whylen, "SASL socket %s missing", path);
        return -ENOENT;
    }
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(why, whylen, "SASL socket %s is not a socket", path);
        return MH_E_CONFIG;
    }
    return MH_OK;
}

int
main(int argc, char **argv)
{
    static struct mh_smtp_session session;
    struct probe_opts o;
    long long start = mh_smtp_now_ms(), deadline;
    char why[700], why2[sizeof(why)], token[80] = "";
    int rc, status, queued = 0;

    rc = probe_args(argc, argv, &o, why, sizeof(why));
    if (rc == 1) {
        probe_usage(stdout);
        return MH_OCF_SUCCESS;
    }
    mh_log_init("mailha-probe", o.verbose ? MH_LOG_VERBOSE : MH_LOG_QUIET);
    if (rc != MH_OK) {
        mh_exit_reason("mailha-probe: %s", why);
        mh_log_fini();
        return MH_OCF_ERR_ARGS;
    }
    deadline = start + o.timeout_ms;
    status = MH_OCF_SUCCESS;
    if (o.auth_server != NULL) {
        /* smtpd asks the auth server first: with it gone, no session
         * gets a banner, so this names the cause */
        char mechs[MH_AUTH_MECHS_MAX];

        rc = mh_auth_probe(o.auth_server, deadline, mechs, sizeof(mechs), why, sizeof(why));
        if (rc != MH_OK) {
            mh_exit_reason("SASL %s", why);
            mh_log_fini();
            return MH_OCF_ERR_GENERIC;
        }
        mh_debug("auth server %s answers, mechanisms: %s", o.auth_server, mechs);
        if (o.no_smtp) {
            if (o.verbose) {
                printf("auth server %s: %s\n", o.auth_server, mechs);
            }
            mh_log_fini();
            return MH_OCF_SUCCESS;
        }
    }
    if (o.sasl_socket != NULL) {
        rc = probe_sasl_check(o.sasl_socket, why, sizeof(why));
        if (rc != MH_OK) {
            status = MH_OCF_ERR_GENERIC;
            goto done;
        }
    }
    if (o.rcpt != NULL) {
        probe_token(token, sizeof(token));
    }
    mh_smtp_session_init(&session, deadline, o.verbose);
    rc = probe_dialogue(&session, &o, token, &queued, why, sizeof(why));
    mh_smtp_session_close(&session);
    if (rc == -ECONNREFUSED) {
        status = MH_OCF_NOT_RUNNING;
        goto done;
    }
    if (rc != MH_OK) {
        status = MH_OCF_ERR_GENERIC;
    }
    /* A queued message is waited for and removed even when the session
     * ended badly (no 221), so the probe leaves nothing behind. */
    if (queued) {
        rc = probe_wait_delivery(&o, token, deadline, status == MH_OCF_SUCCESS ? why : why2,
                                 sizeof(why));
        if (rc != MH_OK) {
            status = MH_OCF_ERR_GENERIC;
            goto done;
        }
        mh_debug("probe message %s delivered to %s and removed", token, o.mailbox);
    }

done:
    if (status != MH_OCF_SUCCESS) {
        mh_exit_reason("SMTP %s: %s", o.endpoint, why);
    }
    mh_log_fini();
    return status;
}
