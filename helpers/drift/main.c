// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-drift 8
 * SUMMARY
 *	compare mail configuration across the nodes of a corosync cluster
 * SYNOPSIS
 *	mailha-drift [options]            (the daemon, in the foreground)
 *	mailha-drift --query [--state FILE]
 *	mailha-drift --digest [options]   (print this node's digests)
 * DESCRIPTION
 *	The daemon joins the CPG group "mailha-drift", publishes this
 *	node's digest set (see drift(3h)) when it joins, when anyone
 *	joins, and whenever the set changes (checked every --interval
 *	seconds, and at once on SIGHUP), compares it with every member's,
 *	and writes the findings to the state file.  With --attrd it
 *	publishes the number of differing items as the node attribute
 *	mailha-drift, and with --health also "#health-mailha-drift"
 *	yellow (drift) or green.  SIGTERM or SIGINT: leave, finalize,
 *	remove the state file, exit 0.
 *
 *	--query prints the state: which item differs from which node.
 * OPTIONS
 *	-c DIR            Postfix config directory (default: postconf's)
 *	--params LIST     main.cf parameters to compare (comma-separated)
 *	--uid-min N, --uid-max N   mail accounts (default: login.defs)
 *	--passwd FILE     read accounts from FILE instead of NSS
 *	--state FILE      default /run/mailha/drift.state
 *	--group NAME      CPG group (default mailha-drift)
 *	--node NAME       this node's name (default: the host name)
 *	--interval SECS   recheck period (default 10)
 *	--attrd           publish node attributes with attrd_updater
 *	--attribute NAME  default mailha-drift
 *	--health          also set a #health attribute (--health-attribute)
 *	--allow-uidgid    run even if corosync admits non-root clients
 *	-v                verbose
 * EXIT STATUS
 *	Daemon: 0 after a clean stop, 64 usage, 70 could not start.
 *	--query: 0 no drift, 1 drift, 2 running but not comparing (not in
 *	the group, or waiting for a peer), 3 not running, state stale or
 *	unreadable.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <qb/qbloop.h>

#include "mh_clock.h"
#include "mh_driftstate.h"
#include "mh_log.h"
#include "mh_rc.h"
#include "mh_run.h"
#include "drift.h"
#include "drift_query.h"
#include "drift_cpg.h"

#define DRIFT_BACKOFF_MIN_MS 250
#define DRIFT_BACKOFF_MAX_MS 8000

/*
 * The main.cf parameters compared by default: what decides where mail
 * goes and who may send it.  Node-specific ones (myhostname, mydomain,
 * myorigin, mydestination with its $myhostname, inet_interfaces,
 * mynetworks, proxy_interfaces, smtp_bind_address) are left out.
 */
static const char *const drift_default_params[] = {
    "alias_maps", "alias_database", "virtual_alias_maps", "virtual_alias_domains",
    "virtual_mailbox_domains", "virtual_mailbox_maps", "transport_maps", "relay_domains",
    "relayhost", "local_recipient_maps", "local_transport", "mailbox_transport",
    "mailbox_command", "home_mailbox", "mail_spool_directory", "mailbox_size_limit",
    "message_size_limit", "recipient_delimiter", "queue_directory", "smtpd_relay_restrictions",
    "smtpd_recipient_restrictions", "smtpd_sasl_auth_enable", "smtpd_sasl_type",
    "smtpd_sasl_path", "smtpd_tls_security_level", "allow_mail_to_commands",
    "allow_mail_to_files", "compatibility_level",
};

struct drift_peer {
    uint32_t nodeid;
    uint32_t pid;
    char node[DRIFT_MAX_NODE + 1];
    int have;
    struct drift_set set;
};

struct drift_daemon {
    struct drift_opts opts;
    const char *state_path;
    const char *attribute;
    const char *health_attribute;
    const char *attrd_prog;
    int attrd;
    int health;
    unsigned interval;
    char node[DRIFT_MAX_NODE + 1];
    qb_loop_t *loop;
    struct drift_cpg cpg;
    struct drift_set mine;
    int have_mine;
    struct drift_peer *peers;
    size_t npeers;
    struct drift_findings findings;
    char status[16];
    char reason[256];
    long published;                 /* last attribute value, -1 none */
    unsigned backoff_ms;
    qb_loop_timer_handle tick;
    qb_loop_timer_handle retry;
};

/* drift_peer_name - a peer's node name, or "nodeid N" before it spoke */
static const char *
drift_peer_name(const struct drift_peer *p, char *buf, size_t len)
{
    if (p->have) {
        return p->node;
    }
    snprintf(buf, len, "node%u", p->nodeid);
    return buf;
}

/* drift_write_state - the state file, from what we know now */
static void
drift_write_state(struct drift_daemon *d)
{
    struct mh_driftstate st;
    char buf[DRIFT_MAX_NODE + 16];
    int rc = MH_OK;

    memset(&st, 0, sizeof(st));
    st.pid = (long) getpid();
    st.joined = d->cpg.connected;
    /* centiseconds since boot: /proc/uptime, what the agent compares with */
    st.uptime_cs = mh_clock_read(CLOCK_BOOTTIME, 100);
    st.interval = d->interval;
    snprintf(st.status, sizeof(st.status), "%s", d->status);
    st.nodeid = d->cpg.nodeid;
    snprintf(st.node, sizeof(st.node), "%s", d->node);
    st.updated = (long long) time(NULL);
    st.items = (unsigned) drift_findings_items(&d->findings);
    snprintf(st.reason, sizeof(st.reason), "%s", d->reason);
    if (d->cpg.connected) {
        rc = mh_driftstate_add_member(&st, d->cpg.nodeid, d->node);
    }
    for (size_t i = 0; rc == MH_OK && i < d->npeers; i++) {
        rc = mh_driftstate_add_member(&st, d->peers[i].nodeid,
                                      drift_peer_name(&d->peers[i], buf, sizeof(buf)));
    }
    for (size_t i = 0; rc == MH_OK && i < d->findings.count; i++) {
        rc = mh_driftstate_add_finding(&st, drift_kind_str(d->findings.v[i].kind),
                                       d->findings.v[i].node, d->findings.v[i].item);
    }
    if (rc == MH_OK) {
        rc = mh_driftstate_write(d->state_path, &st);
    }
    if (rc != MH_OK) {
        mh_err("write %s: %s", d->state_path, mh_rc_str(rc));
    }
    mh_driftstate_free(&st);
}

/* drift_run - run a program with a bounded wait; its exit code or -1 */
static int
drift_run(const char *const *argv, int seconds)
{
    struct mh_run_opts opts = { .out = MH_RUN_NULL, .err = MH_RUN_INHERIT,
        .timeout_ms = seconds * 1000 };
    struct mh_run_result res;
    char why[256];
    int rc = mh_run(argv, &opts, &res, why, sizeof(why));

    if (rc == -ENOENT) {
        return 127;             /* as the exec in the child would say */
    }
    if (rc != MH_OK) {
        return -1;
    }
    rc = res.signo != 0 ? -1 : res.status;
    mh_run_free(&res);
    return rc;
}

/* drift_attrd - set (value) or delete (NULL) one node attribute */
static void
drift_attrd(struct drift_daemon *d, const char *name, const char *value)
{
    const char *argv[] = { d->attrd_prog, "-n", name, value ? "-U" : "-D", value, NULL };
    int rc = drift_run(argv, 10);

    if (rc != 0) {
        mh_warn("update node attribute %s: %s exit %d", name, d->attrd_prog, rc);
    }
}

/* drift_publish_attrs - node attributes, when the count changed */
static void
drift_publish_attrs(struct drift_daemon *d)
{
    long n = (long) drift_findings_items(&d->findings);
    char val[32];

    if (!d->attrd || n == d->published) {
        return;
    }
    snprintf(val, sizeof(val), "%ld", n);
    drift_attrd(d, d->attribute, val);
    if (d->health) {
        drift_attrd(d, d->health_attribute, n > 0 ? "yellow" : "green");
    }
    d->published = n;
}

/* drift_evaluate - findings and status from the current data */
static void
drift_evaluate(struct drift_daemon *d)
{
    struct drift_findings f = { 0 };
    int waiting = 0, rc = MH_OK;
    size_t before = drift_findings_items(&d->findings);

    for (size_t i = 0; rc == MH_OK && i < d->npeers; i++) {
        if (!d->peers[i].have || !d->have_mine) {
            waiting = 1;
            continue;
        }
        rc = drift_compare(&d->mine, &d->peers[i].set, d->peers[i].node, &f);
    }
    if (rc != MH_OK) {
        mh_err("compare digests: %s", mh_rc_str(rc));
    }
    drift_findings_free(&d->findings);
    d->findings = f;
    if (!d->cpg.connected) {
        snprintf(d->status, sizeof(d->status), "%s",
                 strncmp(d->reason, "evicted", 7) == 0 ? "evicted" : "disconnected");
    } else if (f.count > 0) {
        snprintf(d->status, sizeof(d->status), "drift");
    } else if (waiting) {
        snprintf(d->status, sizeof(d->status), "waiting");
    } else if (d->npeers == 0) {
        snprintf(d->status, sizeof(d->status), "alone");
    } else {
        snprintf(d->status, sizeof(d->status), "ok");
    }
    if (drift_findings_items(&f) != before) {
        if (f.count == 0) {
            mh_notice("no drift");
        }
        for (size_t i = 0; i < f.count; i++) {
            mh_warn("drift: %s %s on %s", f.v[i].item, drift_kind_str(f.v[i].kind), f.v[i].node);
        }
    }
    drift_write_state(d);
    if (d->cpg.connected) {
        drift_publish_attrs(d);
    }
}

/* drift_publish - send our digest set to the group */
static void
drift_publish(struct drift_daemon *d)
{
    char why[256];
    char *msg = NULL;
    size_t len = 0;
    int rc;

    if (!d->have_mine || !d->cpg.connected) {
        return;
    }
    rc = drift_set_encode(&d->mine, d->node, &msg, &len);
    if (rc == MH_OK) {
        rc = drift_cpg_send(&d->cpg, msg, len, why, sizeof(why));
        if (rc != MH_OK) {
            mh_warn("%s", why);
        }
    } else {
        mh_err("encode digests: %s", mh_rc_str(rc));
    }
    free(msg);
}

/* drift_recollect - new digests; publish if they changed */
static void
drift_recollect(struct drift_daemon *d)
{
    struct drift_set set;
    char why[512] = "";
    int rc = drift_collect(&set, &d->opts, why, sizeof(why));

    if (rc != MH_OK) {
        mh_err("%s", why);
        snprintf(d->reason, sizeof(d->reason), "%.250s", why);
        return;
    }
    if (d->have_mine && drift_set_equal(&set, &d->mine)) {
        drift_set_free(&set);
        return;
    }
    drift_set_free(&d->mine);
    d->mine = set;
    d->have_mine = 1;
    mh_info("digests: %zu items", set.count);
    drift_publish(d);
    drift_evaluate(d);
}

static void drift_connect(struct drift_daemon *d);

/* drift_retry_fn - loop timer: try to join again */
static void
drift_retry_fn(void *data)
{
    drift_connect(data);
}

/* drift_schedule_retry - reconnect later, with doubling backoff */
static void
drift_schedule_retry(struct drift_daemon *d)
{
    qb_loop_timer_add(d->loop, QB_LOOP_MED, (uint64_t) d->backoff_ms * 1000000ULL, d,
                      drift_retry_fn, &d->retry);
    d->backoff_ms *= 2;
    if (d->backoff_ms > DRIFT_BACKOFF_MAX_MS) {
        d->backoff_ms = DRIFT_BACKOFF_MAX_MS;
    }
}

/* drift_forget_peers - no group, no peers */
static void
drift_forget_peers(struct drift_daemon *d)
{
    for (size_t i = 0; i < d->npeers; i++) {
        drift_set_free(&d->peers[i].set);
    }
    free(d->peers);
    d->peers = NULL;
    d->npeers = 0;
}

/* drift_connect - join the group, or schedule another try */
static void
drift_connect(struct drift_daemon *d)
{
    char why[256];

    if (drift_cpg_connect(&d->cpg, why, sizeof(why)) != MH_OK) {
        if (strcmp(why, d->reason) != 0) {
            mh_warn("%s; retrying", why);
        }
        snprintf(d->reason, sizeof(d->reason), "%s", why);
        drift_evaluate(d);
        drift_schedule_retry(d);
        return;
    }
    mh_notice("joined group %s as node %u (%s)", d->cpg.group, d->cpg.nodeid, d->node);
    d->reason[0] = '\0';
    d->backoff_ms = DRIFT_BACKOFF_MIN_MS;
    drift_publish(d);
    drift_evaluate(d);
}

/* drift_on_members - confchg: the member list replaces our peer list */
static void
drift_on_members(void *ctx, const struct drift_member *m, size_t n, size_t joined)
{
    struct drift_daemon *d = ctx;
    struct drift_peer *np = calloc(n ? n : 1, sizeof(*np));
    size_t k = 0;

    if (np == NULL) {
        mh_err("track members: out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (m[i].nodeid == d->cpg.nodeid && m[i].pid == d->cpg.pid) {
            continue;
        }
        np[k].nodeid = m[i].nodeid;
        np[k].pid = m[i].pid;
        for (size_t j = 0; j < d->npeers; j++) {
            if (d->peers[j].nodeid == m[i].nodeid && d->peers[j].pid == m[i].pid) {
                np[k] = d->peers[j];
                memset(&d->peers[j].set, 0, sizeof(d->peers[j].set));
            }
        }
        k++;
    }
    drift_forget_peers(d);
    d->peers = np;
    d->npeers = k;
    mh_info("group %s: %zu members", d->cpg.group, n);
    if (joined > 0) {
        /* newcomers know nothing yet: everyone speaks again */
        drift_publish(d);
    }
    drift_evaluate(d);
}

/* drift_on_deliver - a peer's digest set */
static void
drift_on_deliver(void *ctx, uint32_t nodeid, uint32_t pid, const void *msg, size_t len)
{
    struct drift_daemon *d = ctx;
    char node[DRIFT_MAX_NODE + 1];
    struct drift_set set;
    int rc;

    rc = drift_set_decode(msg, len, &set, node, sizeof(node));
    if (rc != MH_OK) {
        mh_warn("read message from node %u pid %u: %s", nodeid, pid, mh_rc_str(rc));
        return;
    }
    for (size_t i = 0; i < d->npeers; i++) {
        if (d->peers[i].nodeid == nodeid && d->peers[i].pid == pid) {
            drift_set_free(&d->peers[i].set);
            d->peers[i].set = set;
            d->peers[i].have = 1;
            snprintf(d->peers[i].node, sizeof(d->peers[i].node), "%s", node);
            drift_evaluate(d);
            return;
        }
    }
    drift_set_free(&set);
}

/* drift_on_lost - evicted, or corosync went away: rejoin with backoff */
static void
drift_on_lost(void *ctx, const char *why)
{
    struct drift_daemon *d = ctx;

    mh_warn("lost group %s: %s; rejoining", d->cpg.group, why);
    snprintf(d->reason, sizeof(d->reason), "%s", why);
    drift_forget_peers(d);
    drift_evaluate(d);
    d->backoff_ms = DRIFT_BACKOFF_MIN_MS;
    drift_schedule_retry(d);
}

/* drift_tick_fn - every interval: recheck our digests, refresh state */
static void
drift_tick_fn(void *data)
{
    struct drift_daemon *d = data;

    drift_recollect(d);
    drift_write_state(d);
    qb_loop_timer_add(d->loop, QB_LOOP_LOW, (uint64_t) d->interval * 1000000000ULL, d,
                      drift_tick_fn, &d->tick);
}

/* drift_sig_stop - SIGTERM/SIGINT: stop the loop */
static int32_t
drift_sig_stop(int32_t sig, void *data)
{
    struct drift_daemon *d = data;

    mh_notice("signal %d: leaving group", sig);
    qb_loop_stop(d->loop);
    return 0;
}

/* drift_sig_hup - SIGHUP: recheck now */
static int32_t
drift_sig_hup(int32_t sig, void *data)
{
    (void) sig;
    drift_recollect(data);
    return 0;
}

/* drift_split_params - "a,b c" into a NULL-free array */
static int
drift_split_params(char *list, const char ***out, size_t *n)
{
    const char **v = NULL;
    char *save = NULL;

    *n = 0;
    for (char *t = strtok_r(list, ", \t", &save); t != NULL; t = strtok_r(NULL, ", \t", &save)) {
        const char **nv = realloc(v, (*n + 1) * sizeof(*v));

        if (nv == NULL) {
            free(v);
            return -ENOMEM;
        }
        v = nv;
        v[(*n)++] = t;
    }
    *out = v;
    return MH_OK;
}

/* drift_usage - the synopsis, on stderr */
static int
drift_usage(void)
{
    fprintf(stderr, "usage: mailha-drift [-c DIR] [--params LIST] [--uid-min N] [--uid-max N]\n"
            "         [--passwd FILE] [--state FILE] [--group NAME] [--node NAME]\n"
            "         [--interval SECS] [--attrd [--attribute NAME] [--health]\n"
            "         [--health-attribute NAME]] [--allow-uidgid] [-v]\n"
            "       mailha-drift --query [--state FILE]\n"
            "       mailha-drift --digest [-c DIR] [...]\n");
    return MH_EXIT_USAGE;
}

/* drift_lock - one daemon per state file */
static int
drift_lock(const char *state_path, char *why, size_t whylen)
{
    char path[PATH_MAX];
    int fd;

    snprintf(path, sizeof(path), "%s.lock", state_path);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(why, whylen, "open %.300s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(why, whylen, "lock %.300s: another mailha-drift runs", path);
        close(fd);
        return -1;
    }
    return fd;
}

enum {
    OPT_PARAMS = 256, OPT_UIDMIN, OPT_UIDMAX, OPT_PASSWD, OPT_STATE, OPT_GROUP, OPT_NODE,
    OPT_INTERVAL, OPT_ATTRD, OPT_ATTRIBUTE, OPT_HEALTH, OPT_HEALTHATTR, OPT_QUERY,
    OPT_DIGEST, OPT_ALLOWUG,
};

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "params", required_argument, NULL, OPT_PARAMS },
        { "uid-min", required_argument, NULL, OPT_UIDMIN },
        { "uid-max", required_argument, NULL, OPT_UIDMAX },
        { "passwd", required_argument, NULL, OPT_PASSWD },
        { "state", required_argument, NULL, OPT_STATE },
        { "group", required_argument, NULL, OPT_GROUP },
        { "node", required_argument, NULL, OPT_NODE },
        { "interval", required_argument, NULL, OPT_INTERVAL },
        { "attrd", no_argument, NULL, OPT_ATTRD },
        { "attribute", required_argument, NULL, OPT_ATTRIBUTE },
        { "health", no_argument, NULL, OPT_HEALTH },
        { "health-attribute", required_argument, NULL, OPT_HEALTHATTR },
        { "query", no_argument, NULL, OPT_QUERY },
        { "digest", no_argument, NULL, OPT_DIGEST },
        { "allow-uidgid", no_argument, NULL, OPT_ALLOWUG },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static struct drift_daemon d;
    static const struct drift_cpg_cb cb = {
        .deliver = drift_on_deliver,
        .members = drift_on_members,
        .lost = drift_on_lost,
    };
    const char *sbindir = getenv("MAILHA_SBINDIR");
    char aliases_prog[PATH_MAX];
    char *params_arg = NULL;
    const char **params = NULL;
    const char *group = "mailha-drift";
    int query = 0, digest = 0, verbose = 0, lockfd = -1, ch;
    int status = MH_EXIT_OK;
    long long uid_min = -1, uid_max = -1;
    char why[512] = "";
    struct utsname un;
    char *end;

    umask(022);
    d.state_path = MH_DRIFTSTATE_DEFAULT;
    d.attribute = "mailha-drift";
    d.health_attribute = "#health-mailha-drift";
    d.attrd_prog = getenv("MAILHA_ATTRD_UPDATER") ? getenv("MAILHA_ATTRD_UPDATER")
        : "/usr/sbin/attrd_updater";
    d.interval = 10;
    d.published = -1;
    d.backoff_ms = DRIFT_BACKOFF_MIN_MS;
    while ((ch = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            d.opts.config_dir = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case OPT_PARAMS:
            params_arg = optarg;
            break;
        case OPT_UIDMIN:
        case OPT_UIDMAX:
            errno = 0;
            if (ch == OPT_UIDMIN) {
                uid_min = strtoll(optarg, &end, 10);
            } else {
                uid_max = strtoll(optarg, &end, 10);
            }
            if (*end != '\0' || errno != 0 || end == optarg) {
                fprintf(stderr, "mailha-drift: bad uid: %s\n", optarg);
                return drift_usage();
            }
            break;
        case OPT_PASSWD:
            d.opts.passwd_file = optarg;
            break;
        case OPT_STATE:
            d.state_path = optarg;
            break;
        case OPT_GROUP:
            group = optarg;
            break;
        case OPT_NODE:
            snprintf(d.node, sizeof(d.node), "%s", optarg);
            break;
        case OPT_INTERVAL:
            errno = 0;
            d.interval = (unsigned) strtoul(optarg, &end, 10);
            if (*end != '\0' || errno != 0 || d.interval == 0 || d.interval > 3600) {
                fprintf(stderr, "mailha-drift: bad interval: %s\n", optarg);
                return drift_usage();
            }
            break;
        case OPT_ATTRD:
            d.attrd = 1;
            break;
        case OPT_ATTRIBUTE:
            d.attribute = optarg;
            break;
        case OPT_HEALTH:
            d.health = 1;
            break;
        case OPT_HEALTHATTR:
            d.health_attribute = optarg;
            break;
        case OPT_QUERY:
            query = 1;
            break;
        case OPT_DIGEST:
            digest = 1;
            break;
        case OPT_ALLOWUG:
            d.cpg.allow_uidgid = 1;
            break;
        default:
            return drift_usage();
        }
    }
    if (optind != argc) {
        return drift_usage();
    }
    mh_log_init("mailha-drift", verbose ? MH_LOG_VERBOSE : 0);
    if (query) {
        status = drift_query(d.state_path);
        goto done;
    }

    /* what to compare */
    if (params_arg != NULL) {
        size_t n = 0;

        if (drift_split_params(params_arg, &params, &n) != MH_OK) {
            status = MH_EXIT_FAILED;
            goto done;
        }
        d.opts.params = params;
        d.opts.nparams = n;
    } else {
        d.opts.params = drift_default_params;
        d.opts.nparams = sizeof(drift_default_params) / sizeof(drift_default_params[0]);
    }
    d.opts.uid_min = 1000;
    d.opts.uid_max = 60000;
    (void) drift_login_defs("/etc/login.defs", &d.opts.uid_min, &d.opts.uid_max);
    if (uid_min >= 0) {
        d.opts.uid_min = (uid_t) uid_min;
    }
    if (uid_max >= 0) {
        d.opts.uid_max = (uid_t) uid_max;
    }
    snprintf(aliases_prog, sizeof(aliases_prog), "%s/mailha-aliases",
             sbindir != NULL && *sbindir != '\0' ? sbindir : "/usr/sbin");
    d.opts.aliases_prog = aliases_prog;

    if (digest) {
        struct drift_set set;

        if (drift_collect(&set, &d.opts, why, sizeof(why)) != MH_OK) {
            mh_err("%s", why);
            status = MH_EXIT_FAILED;
            goto done;
        }
        for (size_t i = 0; i < set.count; i++) {
            printf("%s %s\n", set.items[i].digest, set.items[i].name);
        }
        drift_set_free(&set);
        goto done;
    }

    /* the daemon */
    if (d.node[0] == '\0') {
        if (uname(&un) != 0) {
            mh_err("read host name: %s", strerror(errno));
            status = MH_EXIT_FAILED;
            goto done;
        }
        snprintf(d.node, sizeof(d.node), "%s", un.nodename);
    }
    if (strlen(group) >= sizeof(d.cpg.group)) {
        mh_err("group name too long: %s", group);
        status = MH_EXIT_USAGE;
        goto done;
    }
    snprintf(d.cpg.group, sizeof(d.cpg.group), "%s", group);
    {
        char *slash = strrchr(d.state_path, '/');

        /* /run/mailha by default: create it, root's only */
        if (slash != NULL && slash != d.state_path) {
            char dir[PATH_MAX];

            snprintf(dir, sizeof(dir), "%.*s", (int) (slash - d.state_path), d.state_path);
            (void) mkdir(dir, 0755);
        }
    }
    lockfd = drift_lock(d.state_path, why, sizeof(why));
    if (lockfd < 0) {
        mh_err("%s", why);
        status = MH_EXIT_FAILED;
        goto done;
    }
    signal(SIGPIPE, SIG_IGN);
    d.loop = qb_loop_create();
    if (d.loop == NULL) {
        mh_err("create main loop: failed");
        status = MH_EXIT_FAILED;
        goto done;
    }
    d.cpg.loop = d.loop;
    d.cpg.cb = &cb;
    d.cpg.ctx = &d;
    qb_loop_signal_add(d.loop, QB_LOOP_HIGH, SIGTERM, &d, drift_sig_stop, NULL);
    qb_loop_signal_add(d.loop, QB_LOOP_HIGH, SIGINT, &d, drift_sig_stop, NULL);
    qb_loop_signal_add(d.loop, QB_LOOP_HIGH, SIGHUP, &d, drift_sig_hup, NULL);
    snprintf(d.status, sizeof(d.status), "disconnected");
    drift_recollect(&d);
    drift_connect(&d);
    qb_loop_timer_add(d.loop, QB_LOOP_LOW, (uint64_t) d.interval * 1000000000ULL, &d,
                      drift_tick_fn, &d.tick);
    qb_loop_run(d.loop);

    drift_cpg_disconnect(&d.cpg, 1);
    if (d.attrd && d.published >= 0) {
        drift_attrd(&d, d.attribute, NULL);
        if (d.health) {
            drift_attrd(&d, d.health_attribute, NULL);
        }
    }
    (void) unlink(d.state_path);
    mh_notice("stopped");

  done:
    if (d.loop != NULL) {
        qb_loop_destroy(d.loop);
    }
    drift_forget_peers(&d);
    drift_findings_free(&d.findings);
    drift_set_free(&d.mine);
    free(params);
    if (lockfd >= 0) {
        close(lockfd);
    }
    mh_log_fini();
    return status;
}
