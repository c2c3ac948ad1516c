// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-status 8
 * SUMMARY
 *	one screen for the operator of a mailha cluster
 * SYNOPSIS
 *	mailha-status [--json | --xml] [-c DIR] [--crm-mon-xml FILE]
 *	    [--drift-state FILE] [--deferred-warn N] [--no-queue] [--no-attrd]
 * DESCRIPTION
 *	Shows which node holds the mail spool (ocf:mailha:mailspool) and
 *	Postfix (ocf:mailha:postfix), every mailha resource's state and
 *	last failure with its exit reason, DRBD roles, the nodes' drift
 *	counts and this node's drift findings, the queue sizes of the
 *	Postfix instance (-c DIR) when its queue is on this node, and the
 *	#health-mail attribute of every node, then the problems found.
 *
 *	Sources: "crm_mon --output-as=xml --inactive" (or --crm-mon-xml
 *	FILE), "attrd_updater -Q -A -n #health-mail", mailha-drift's state
 *	file, and the queue directories (postconf's queue_directory).
 *	MAILHA_CRM_MON and MAILHA_ATTRD_UPDATER name other programs.
 * EXIT STATUS
 *	As a Nagios plugin: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the
 *	cluster state could not be read), 64 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "mh_driftstate.h"
#include "mh_log.h"
#include "mh_pfconf.h"
#include "mh_rc.h"
#include "mh_safeopen.h"
#include "mh_run.h"
#include "status.h"

#define ST_OUT_MAX (32 * 1024 * 1024)

/* st_run - run ARGV, collect stdout (bounded size and time) */
static int
st_run(const char *const *argv, int seconds, char **out, size_t *outlen, char *why, size_t whylen)
{
    struct mh_run_opts opts = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL,
        .max_out = ST_OUT_MAX, .timeout_ms = seconds * 1000 };
    struct mh_run_result res;
    int rc = mh_run(argv, &opts, &res, why, whylen);

    if (rc == MH_E_TIMEOUT) {
        snprintf(why, whylen, "run %s: no answer in %d s", argv[0], seconds);
    }
    if (rc != MH_OK) {
        return rc;
    }
    if (res.status != 0 && res.outlen == 0) {
        snprintf(why, whylen, "run %s: exit %d and no output", argv[0], res.status);
        mh_run_free(&res);
        return MH_E_CHILD;
    }
    *out = res.out;
    *outlen = res.outlen;
    res.out = NULL;
    mh_run_free(&res);
    return MH_OK;
}

/* st_read_file - a file (or "-" for stdin) into memory */
static int
st_read_file(const char *path, char **out, size_t *outlen, char *why, size_t whylen)
{
    int rc = MH_OK;
    FILE *fp = strcmp(path, "-") == 0 ? stdin : mh_fopen_file(path, &rc, why, whylen);
    size_t len = 0, cap = 65536;
    char *buf;

    if (fp == NULL) {
        return rc;
    }
    buf = malloc(cap);
    while (buf != NULL) {
        size_t got;

        if (cap - len < 4096) {
            char *nb = cap * 2 <= ST_OUT_MAX ? realloc(buf, cap * 2) : NULL;

            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        got = fread(buf + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0) {
            break;
        }
    }
    if (fp != stdin) {
        fclose(fp);
    }
    if (buf == NULL) {
        snprintf(why, whylen, "read %s: too large or out of memory", path);
        return MH_E_TOOLONG;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return MH_OK;
}

/* st_count_files - regular files under PARENT/NAME, through hash levels */
static long
st_count_files(int parent, const char *name, int depth)
{
    struct dirent *de;
    long n = 0;
    DIR *dir;
    int fd;

    if (depth > 4) {
        return 0;
    }
    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    dir = fdopendir(fd);
    if (dir == NULL) {
        close(fd);
        return -1;
    }
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        if (de->d_type == DT_DIR) {
            long sub = st_count_files(dirfd(dir), de->d_name, depth + 1);

            n += sub > 0 ? sub : 0;
        } else if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN) {
            n++;
        }
    }
    closedir(dir);
    return n;
}

/* st_queue_read - the four queue sizes of a Postfix instance */
static void
st_queue_read(struct st_queue *q, const char *config_dir)
{
    const char *names[] = { "queue_directory" };
    struct mh_pfconf conf;
    const char *qdir;
    int fd, rc;

    rc = mh_pfconf_read(&conf, config_dir, names, 1);
    if (rc != MH_OK) {
        snprintf(q->why, sizeof(q->why), "read queue_directory: %.200s",
                 conf.errbuf[0] != '\0' ? conf.errbuf : mh_rc_str(rc));
        return;
    }
    qdir = mh_pfconf_get(&conf, "queue_directory");
    if (qdir == NULL) {
        snprintf(q->why, sizeof(q->why), "read queue_directory: not set");
        mh_pfconf_free(&conf);
        return;
    }
    q->dir = strdup(qdir);
    mh_pfconf_free(&conf);
    if (q->dir == NULL) {
        return;
    }
    fd = open(q->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(q->why, sizeof(q->why), "open %.200s: %s", q->dir, strerror(errno));
        return;
    }
    q->active = st_count_files(fd, "active", 0);
    q->deferred = st_count_files(fd, "deferred", 0);
    q->incoming = st_count_files(fd, "incoming", 0);
    q->hold = st_count_files(fd, "hold", 0);
    close(fd);
    /* a queue Postfix has not used yet may lack some of them (hold);
     * none at all: this is not a Postfix queue, or not mounted here */
    if (q->active < 0 && q->deferred < 0 && q->incoming < 0 && q->hold < 0) {
        snprintf(q->why, sizeof(q->why), "read %.200s: no Postfix queue here", q->dir);
        return;
    }
    q->active = q->active < 0 ? 0 : q->active;
    q->deferred = q->deferred < 0 ? 0 : q->deferred;
    q->incoming = q->incoming < 0 ? 0 : q->incoming;
    q->hold = q->hold < 0 ? 0 : q->hold;
    q->known = 1;
}

/* st_health_read - #health-mail of every node, from attrd_updater */
static void
st_health_read(struct st_cluster *c)
{
    const char *prog = getenv("MAILHA_ATTRD_UPDATER");
    const char *argv[] = { prog != NULL ? prog : "/usr/sbin/attrd_updater",
        "-Q", "-A", "-n", "#health-mail", NULL };
    char *out = NULL, *line, *save = NULL;
    char why[256];
    size_t len;

    if (st_run(argv, 10, &out, &len, why, sizeof(why)) != MH_OK) {
        return;
    }
    /* lines: name="#health-mail" host="node1" value="yellow" */
    for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char host[128], value[32];
        const char *h = strstr(line, "host=\"");
        const char *v = strstr(line, "value=\"");
        struct st_node *n;

        if (h == NULL || v == NULL || sscanf(h, "host=\"%127[^\"]\"", host) != 1
            || sscanf(v, "value=\"%31[^\"]\"", value) != 1) {
            continue;
        }
        n = st_node_find(c, host);
        if (n != NULL) {
            free(n->health_mail);
            n->health_mail = strdup(value);
        }
    }
    free(out);
}

/* st_drift_read - this node's mailha-drift findings, if it runs */
static void
st_drift_read(struct st_cluster *c, const char *path)
{
    struct mh_driftstate st;
    char why[512];

    if (mh_driftstate_read(path, &st, why, sizeof(why)) != MH_OK) {
        return;
    }
    if (st.pid <= 0 || (kill((pid_t) st.pid, 0) != 0 && errno == ESRCH)) {
        mh_driftstate_free(&st);
        return;
    }
    snprintf(c->drift_status, sizeof(c->drift_status), "%s", st.status);
    snprintf(c->drift_node, sizeof(c->drift_node), "%s", st.node);
    c->drift = calloc(st.nfindings ? st.nfindings : 1, sizeof(*c->drift));
    for (size_t i = 0; c->drift != NULL && i < st.nfindings; i++) {
        c->drift[i].kind = strdup(st.findings[i].kind);
        c->drift[i].node = strdup(st.findings[i].node);
        c->drift[i].item = strdup(st.findings[i].item);
        c->ndrift++;
    }
    mh_driftstate_free(&st);
}

/* st_usage - the synopsis */
static int
st_usage(void)
{
    fprintf(stderr, "usage: mailha-status [--json | --xml] [-c DIR] [--crm-mon-xml FILE]\n"
            "         [--drift-state FILE] [--deferred-warn N] [--no-queue] [--no-attrd]\n");
    return MH_EXIT_USAGE;
}

enum {
    OPT_JSON = 256, OPT_XML, OPT_CMXML, OPT_DRIFT, OPT_DEFERRED, OPT_NOQUEUE, OPT_NOATTRD,
};

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, OPT_JSON },
        { "xml", no_argument, NULL, OPT_XML },
        { "crm-mon-xml", required_argument, NULL, OPT_CMXML },
        { "drift-state", required_argument, NULL, OPT_DRIFT },
        { "deferred-warn", required_argument, NULL, OPT_DEFERRED },
        { "no-queue", no_argument, NULL, OPT_NOQUEUE },
        { "no-attrd", no_argument, NULL, OPT_NOATTRD },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *crm_mon = getenv("MAILHA_CRM_MON");
    const char *cm_argv[] = { crm_mon != NULL ? crm_mon : "/usr/sbin/crm_mon",
        "--output-as=xml", "--inactive", NULL };
    const char *cmxml_file = NULL, *config_dir = NULL;
    const char *drift_state = MH_DRIFTSTATE_DEFAULT;
    int format = 0, queue = 1, attrd = 1, ch, rc;
    long deferred_warn = 100;
    struct st_cluster c;
    struct st_problems p;
    char why[512] = "";
    char *xml = NULL, *end;
    size_t len = 0;

    while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            config_dir = optarg;
            break;
        case OPT_JSON:
            format = 1;
            break;
        case OPT_XML:
            format = 2;
            break;
        case OPT_CMXML:
            cmxml_file = optarg;
            break;
        case OPT_DRIFT:
            drift_state = optarg;
            break;
        case OPT_DEFERRED:
            errno = 0;
            deferred_warn = strtol(optarg, &end, 10);
            if (*end != '\0' || end == optarg || errno != 0 || deferred_warn < 0) {
                fprintf(stderr, "mailha-status: bad --deferred-warn: %s\n", optarg);
                return st_usage();
            }
            break;
        case OPT_NOQUEUE:
            queue = 0;
            break;
        case OPT_NOATTRD:
            attrd = 0;
            break;
        default:
            return st_usage();
        }
    }
    if (optind != argc) {
        return st_usage();
    }
    mh_log_init("mailha-status", MH_LOG_QUIET);
    LIBXML_TEST_VERSION;

    if (cmxml_file != NULL) {
        rc = st_read_file(cmxml_file, &xml, &len, why, sizeof(why));
    } else {
        rc = st_run(cm_argv, 30, &xml, &len, why, sizeof(why));
    }
    if (rc == MH_OK) {
        rc = st_cmxml_parse(xml, len, &c, why, sizeof(why));
    }
    free(xml);
    if (rc != MH_OK) {
        printf("mailha-status: UNKNOWN: %s\n", why);
        xmlCleanupParser();
        mh_log_fini();
        return ST_UNKNOWN;
    }
    if (attrd) {
        st_health_read(&c);
    }
    st_drift_read(&c, drift_state);
    if (queue) {
        st_queue_read(&c.queue, config_dir);
    } else {
        snprintf(c.queue.why, sizeof(c.queue.why), "not read (--no-queue)");
    }
    if (st_evaluate(&c, deferred_warn, &p) != MH_OK) {
        printf("mailha-status: UNKNOWN: out of memory\n");
        st_problems_free(&p);
        st_cluster_free(&c);
        return ST_UNKNOWN;
    }
    if (format == 1) {
        st_render_json(stdout, &c, &p);
    } else if (format == 2) {
        st_render_xml(stdout, &c, &p);
    } else {
        st_render_text(stdout, &c, &p);
    }
    rc = (int) p.worst;
    st_problems_free(&p);
    st_cluster_free(&c);
    xmlCleanupParser();
    mh_log_fini();
    return rc;
}
