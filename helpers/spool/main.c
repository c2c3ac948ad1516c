// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-spool 8
 * SUMMARY
 *	audit and repair a replicated mail spool; the mailspool agent's engine
 * SYNOPSIS
 *	mailha-spool audit|create|orphans|policy|start [--dir DIR]
 *	    [--format mbox|maildir | --config-dir DIR] [--uid-min N]
 *	    [--uid-max N] [--group GROUP] [--passwd FILE] [--mode OCTAL]
 *	    [--owner USER] [--spool-group GROUP] [--mbox-group GROUP]
 *	    [--json] [--ocf] [-v]
 *	mailha-spool holders --dir DIR [--dev MAJ:MIN] [--signal TERM|KILL]
 *	    [--json] [--ocf]
 *	mailha-spool rwcheck --dir DIR [--ocf]
 *	mailha-spool locks|start [--remove] [--stale-lock-time SECS]
 *	    [the audit options]
 * DESCRIPTION
 *	audit reports everything wrong with the spool: the directory's
 *	mode policy (never world-writable without the sticky bit),
 *	accounts without a mailbox, mailboxes whose name is no account
 *	(orphans), uid drift (a mailbox named X owned by a uid that is not
 *	X's here), wrong modes, symlinks, hard links and wrong types.
 *	create makes the missing mailboxes; orphans lists orphans only;
 *	policy applies owner, group and mode to the spool directory.
 *	start is the mailspool agent's start in one run: policy, then
 *	create, then locks (--remove to remove the stale ones), with one
 *	read of the Postfix configuration and of the accounts; with --ocf
 *	it logs what it did and left (mailboxes it could not create,
 *	dot-locks removed or left) and fails only when the policy or the
 *	mailbox creation could not run at all.
 *	holders lists (and with --signal, signals) the processes holding
 *	files on the filesystem mounted at DIR; rwcheck writes, fsyncs,
 *	reads back and removes a status file in DIR.  locks lists the mbox
 *	dot-locks (USER.lock) of the selected accounts: in use, stale
 *	(older than stale_lock_time: --stale-lock-time, else Postfix's
 *	own from --config-dir, else 500 s) or unsafe; --remove removes
 *	the stale ones that are safe to remove (see spool_lock.c).
 *	audit reports stale and unsafe dot-locks too.  --threads 1|2
 *	fixes how many threads audit uses (default: two on a spool of
 *	2048 entries or more when two CPUs are allowed, else one).
 *
 *	The format is mbox or maildir; without --format it follows the
 *	Postfix instance of --config-dir (mail_spool_directory ending in
 *	"/" means maildir).  Accounts needing a mailbox: uid in
 *	[--uid-min, --uid-max] (default UID_MIN..UID_MAX of
 *	/etc/login.defs) and, with --group, members of that group.
 * EXIT STATUS
 *	0 clean, 1 findings (or holders found), 64 usage, 70 failure;
 *	start: 1 when mailboxes could not be created (0 with --ocf).
 *	With --ocf: OCF codes (1 findings or failure, 5 missing on this
 *	node, 6 bad configuration) and an ocf-exit-reason line.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mh_json.h"
#include "mh_log.h"
#include "mh_pfconf.h"
#include "mh_rc.h"
#include "mh_safeopen.h"
#include "spool.h"

struct spool_cli {
    const char *cmd;
    const char *config_dir;
    const char *passwd;
    const char *dev;
    int json;
    int ocf;
    int sig;
    int have_format;
    int have_stale;
    int remove;
    int stale_bad;
    struct spool_opts opts;
    struct spool_sel sel;
};

/* usage - the synopsis, on stderr */
static void
usage(void)
{
    fputs("usage: mailha-spool audit|create|orphans|policy|start [--dir DIR]\n"
          "         [--format mbox|maildir | --config-dir DIR] [--uid-min N] [--uid-max N]\n"
          "         [--group GROUP] [--passwd FILE] [--mode OCTAL] [--owner USER]\n"
          "         [--spool-group GROUP] [--mbox-group GROUP] [--json] [--ocf] [-v]\n"
          "       mailha-spool holders --dir DIR [--dev MAJ:MIN] [--signal TERM|KILL] [--json]\n"
          "       mailha-spool rwcheck --dir DIR\n"
          "       mailha-spool locks|start [--remove] [--stale-lock-time SECS] [audit options]\n"
          "       (audit: --threads 1|2)\n",
          stderr);
}

/* spool_exit - the exit status for an outcome, OCF-shaped with --ocf */
static int
spool_exit(const struct spool_cli *cli, int rc, const char *reason)
{
    int code;

    if (rc == MH_OK) {
        return cli->ocf ? MH_OCF_SUCCESS : MH_EXIT_OK;
    }
    if (rc == 1) {
        code = cli->ocf ? MH_OCF_ERR_GENERIC : MH_EXIT_FINDINGS;
    } else if (rc == MH_EXIT_USAGE || rc == MH_E_CONFIG || rc == MH_E_PARSE) {
        code = cli->ocf ? MH_OCF_ERR_CONFIGURED : MH_EXIT_USAGE;
    } else if (rc == MH_E_NOTFOUND) {
        code = cli->ocf ? MH_OCF_ERR_INSTALLED : MH_EXIT_FAILED;
    } else {
        code = cli->ocf ? MH_OCF_ERR_GENERIC : MH_EXIT_FAILED;
    }
    if (cli->ocf && reason != NULL && *reason != '\0') {
        mh_exit_reason("%s", reason);
    } else if (reason != NULL && *reason != '\0' && rc != 1) {
        mh_err("%s", reason);
    }
    return code;
}

/* parse_ulong - a decimal number */
static int
parse_ulong(const char *s, unsigned long *v)
{
    char *end;

    if (*s < '0' || *s > '9') {
        return MH_E_PARSE;
    }
    errno = 0;
    *v = strtoul(s, &end, 10);
    return (*end != '\0' || errno != 0) ? MH_E_PARSE : MH_OK;
}

/* login_defs_range - UID_MIN and UID_MAX of /etc/login.defs, if set */
static void
login_defs_range(unsigned long *lo, unsigned long *hi)
{
    char line[256], key[64], why[256];
    unsigned long v;
    int rc;
    FILE *fp;

    *lo = 1000;
    *hi = 60000;
    fp = mh_fopen_file("/etc/login.defs", &rc, why, sizeof(why));
    if (fp == NULL) {
        return;
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        if (sscanf(line, " %63s %lu", key, &v) != 2) {
            continue;
        }
        if (strcmp(key, "UID_MIN") == 0) {
            *lo = v;
        } else if (strcmp(key, "UID_MAX") == 0) {
            *hi = v;
        }
    }
    fclose(fp);
}

/* lookup_gid - a group name or number */
static int
lookup_gid(const char *name, gid_t *gid, char *why, size_t whylen)
{
    struct group *gr;
    unsigned long v;

    if (parse_ulong(name, &v) == MH_OK) {
        *gid = (gid_t) v;
        return MH_OK;
    }
    gr = getgrnam(name);
    if (gr == NULL) {
        snprintf(why, whylen, "group %s: no such group on this node", name);
        return MH_E_NOTFOUND;
    }
    *gid = gr->gr_gid;
    return MH_OK;
}

/* lookup_uid - a user name or number */
static int
lookup_uid(const char *name, uid_t *uid, char *why, size_t whylen)
{
    struct passwd *pw;
    unsigned long v;

    if (parse_ulong(name, &v) == MH_OK) {
        *uid = (uid_t) v;
        return MH_OK;
    }
    pw = getpwnam(name);
    if (pw == NULL) {
        snprintf(why, whylen, "user %s: no such user on this node", name);
        return MH_E_NOTFOUND;
    }
    *uid = pw->pw_uid;
    return MH_OK;
}

/* from_postfix - what --format and --stale-lock-time left to the instance */
static int
from_postfix(struct spool_cli *cli, char *why, size_t whylen)
{
    const char *names[] = { "mail_spool_directory", "stale_lock_time" };
    struct mh_pfconf conf;
    const char *v;
    size_t len;
    int rc;

    rc = mh_pfconf_read(&conf, cli->config_dir, names, 2);
    if (rc != MH_OK) {
        snprintf(why, whylen, "read mail_spool_directory, stale_lock_time: %s", conf.errbuf);
        return rc == -ENOENT ? MH_E_NOTFOUND : rc;
    }
    if (!cli->have_format) {
        /* maildir when the instance's mail_spool_directory ends in "/" */
        v = mh_pfconf_get(&conf, "mail_spool_directory");
        len = v != NULL ? strlen(v) : 0;
        cli->opts.format = (len > 0 && v[len - 1] == '/') ? SPOOL_MAILDIR : SPOOL_MBOX;
    }
    if (!cli->have_stale) {
        v = mh_pfconf_get(&conf, "stale_lock_time");
        if (v == NULL || spool_parse_time(v, &cli->opts.stale_lock_time) != MH_OK) {
            snprintf(why, whylen, "stale_lock_time of %s: not a time value: \"%s\"",
                     cli->config_dir, v != NULL ? v : "");
            cli->stale_bad = 1;
            rc = MH_E_CONFIG;
        }
    }
    mh_pfconf_free(&conf);
    return rc;
}

/* parse_args - options into CLI; 0, or a code and a reason */
static int
parse_args(int argc, char **argv, struct spool_cli *cli, int *verbose, char *why, size_t whylen)
{
    static const struct option longopts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "config-dir", required_argument, NULL, 'c' },
        { "uid-min", required_argument, NULL, 'u' },
        { "uid-max", required_argument, NULL, 'U' },
        { "group", required_argument, NULL, 'g' },
        { "passwd", required_argument, NULL, 'p' },
        { "mode", required_argument, NULL, 'm' },
        { "owner", required_argument, NULL, 'o' },
        { "spool-group", required_argument, NULL, 'G' },
        { "mbox-group", required_argument, NULL, 'M' },
        { "dev", required_argument, NULL, 'D' },
        { "signal", required_argument, NULL, 's' },
        { "stale-lock-time", required_argument, NULL, 'T' },
        { "remove", no_argument, NULL, 'r' },
        { "threads", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' },
        { "ocf", no_argument, NULL, 'O' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *owner = "root", *sgroup = "mail", *mgroup = NULL;
    int c, rc, li = 0;

    cli->opts.dir = "/var/spool/mail";
    cli->opts.mode = 02775;
    cli->opts.stale_lock_time = 500;
    cli->sig = 0;
    login_defs_range(&cli->sel.uid_min, &cli->sel.uid_max);
    while ((c = getopt_long(argc, argv, "vh", longopts, &li)) != -1) {
        rc = MH_OK;
        switch (c) {
        case 'd':
            cli->opts.dir = optarg;
            break;
        case 'f':
            rc = spool_parse_format(optarg, &cli->opts.format);
            cli->have_format = 1;
            break;
        case 'c':
            cli->config_dir = optarg;
            break;
        case 'u':
            rc = parse_ulong(optarg, &cli->sel.uid_min);
            break;
        case 'U':
            rc = parse_ulong(optarg, &cli->sel.uid_max);
            break;
        case 'g':
            cli->sel.group = optarg;
            break;
        case 'p':
            cli->passwd = optarg;
            break;
        case 'm':
            rc = spool_parse_mode(optarg, &cli->opts.mode);
            break;
        case 'o':
            owner = optarg;
            break;
        case 'G':
            sgroup = optarg;
            break;
        case 'M':
            mgroup = optarg;
            break;
        case 'D':
            cli->dev = optarg;
            break;
        case 's':
            if (strcmp(optarg, "TERM") == 0) {
                cli->sig = SIGTERM;
            } else if (strcmp(optarg, "KILL") == 0) {
                cli->sig = SIGKILL;
            } else {
                rc = MH_E_PARSE;
            }
            break;
        case 'T':
            rc = spool_parse_time(optarg, &cli->opts.stale_lock_time);
            cli->have_stale = 1;
            break;
        case 'r':
            cli->remove = 1;
            break;
        case 't':
            if (strcmp(optarg, "1") == 0 || strcmp(optarg, "2") == 0) {
                cli->opts.threads = optarg[0] - '0';
            } else {
                rc = MH_E_PARSE;
            }
            break;
        case 'j':
            cli->json = 1;
            break;
        case 'O':
            cli->ocf = 1;
            break;
        case 'v':
            *verbose = 1;
            break;
        default:
            usage();
            snprintf(why, whylen, "usage error");
            return MH_EXIT_USAGE;
        }
        if (rc != MH_OK) {
            snprintf(why, whylen, "bad value for option --%s: \"%s\"", longopts[li].name, optarg);
            return MH_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage();
        snprintf(why, whylen, "expected one command");
        return MH_EXIT_USAGE;
    }
    cli->cmd = argv[optind];
    if (cli->sel.uid_min > cli->sel.uid_max) {
        snprintf(why, whylen, "uid range %lu..%lu is empty", cli->sel.uid_min, cli->sel.uid_max);
        return MH_EXIT_USAGE;
    }
    if (!spool_mode_ok(cli->opts.mode)) {
        snprintf(why, whylen, "mode %04o is world-writable without the sticky bit",
                 (unsigned) cli->opts.mode);
        return MH_E_CONFIG;
    }
    rc = lookup_uid(owner, &cli->opts.owner, why, whylen);
    if (rc == MH_OK) {
        rc = lookup_gid(sgroup, &cli->opts.group, why, whylen);
    }
    if (rc == MH_OK && mgroup != NULL) {
        rc = lookup_gid(mgroup, &cli->opts.mbox_gid, why, whylen);
        cli->opts.have_mbox_gid = 1;
    } else if (rc == MH_OK) {
        /* Debian: mbox files are user:mail, as local(8) makes them in a
         * set-gid mail spool; without a mail group, the user's group. */
        cli->opts.have_mbox_gid = lookup_gid("mail", &cli->opts.mbox_gid, why, whylen) == MH_OK;
        why[0] = '\0';
    }
    return rc;
}

/* cmd_holders - list or signal the processes holding the mounted DIR */
static int
cmd_holders(struct spool_cli *cli, char *why, size_t whylen)
{
    struct spool_holders hs;
    unsigned maj, min;
    dev_t dev;
    size_t i;
    int rc;

    rc = spool_mount_dev(cli->opts.dir, &dev, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    if (cli->dev != NULL) {
        if (sscanf(cli->dev, "%u:%u", &maj, &min) != 2) {
            snprintf(why, whylen, "bad value for option --dev: \"%s\"", cli->dev);
            return MH_EXIT_USAGE;
        }
        if (major(dev) != maj || minor(dev) != min) {
            snprintf(why, whylen, "%s: mounted from %u:%u, not %u:%u", cli->opts.dir,
                     major(dev), minor(dev), maj, min);
            return MH_E_CONFIG;
        }
    }
    rc = spool_holders_find("/proc", dev, &hs, why, whylen);
    if (rc != MH_OK) {
        return rc;
    }
    if (cli->sig != 0) {
        spool_holders_signal(&hs, cli->sig);
    }
    if (cli->json) {
        printf("{\"command\":\"holders\",\"dev\":\"%u:%u\",\"signal\":%d,\"holders\":[",
               major(dev), minor(dev), cli->sig);
    }
    for (i = 0; i < hs.n; i++) {
        if (cli->json) {
            printf("%s{\"pid\":%ld,\"comm\":", i ? "," : "", (long) hs.v[i].pid);
            mh_json_str(stdout, hs.v[i].comm, MH_JSON_DEL);
            printf(",\"what\":\"%s\"}", hs.v[i].what);
        } else {
            printf("%ld ", (long) hs.v[i].pid);
            mh_text_put(stdout, hs.v[i].comm);
            printf(" %s\n", hs.v[i].what);
        }
    }
    if (cli->json) {
        puts("]}");
    }
    if (hs.n > 0) {
        snprintf(why, whylen, "%zu processes hold files on %s%s", hs.n, cli->opts.dir,
                 cli->sig == SIGKILL ? " (sent KILL)" : cli->sig == SIGTERM ? " (sent TERM)" : "");
        rc = 1;
    }
    spool_holders_free(&hs);
    return rc;
}

/* summarize - the first findings, for one exit-reason line */
static void
summarize(const struct spool_report *rep, const char *verb, char *why, size_t whylen)
{
    size_t i, shown = 0, len;

    len = (size_t) snprintf(why, whylen, "%s %zu problems:", verb, rep->problems);
    for (i = 0; i < rep->n && len < whylen && shown < 4; i++) {
        if (!spool_kind_problem(rep->v[i].kind)) {
            continue;
        }
        len += (size_t) snprintf(why + len, whylen - len, "%s %s %s: %s", shown ? ";" : "",
                                 spool_kind_str(rep->v[i].kind),
                                 rep->v[i].name[0] ? rep->v[i].name : "spool",
                                 rep->v[i].detail);
        shown++;
    }
    /* hostile names must not break the one-line reason */
    for (i = 0; why[i] != '\0'; i++) {
        if ((unsigned char) why[i] < 0x20) {
            why[i] = '?';
        }
    }
}

/* cmd_spool - audit, create, orphans, policy */
static int
cmd_spool(struct spool_cli *cli, char *why, size_t whylen)
{
    struct spool_accts accts;
    struct spool_report rep;
    struct spool_report orph;
    size_t i;
    int rc;

    memset(&rep, 0, sizeof(rep));
    memset(&orph, 0, sizeof(orph));
    memset(&accts, 0, sizeof(accts));
    if (strcmp(cli->cmd, "policy") == 0) {
        rc = spool_policy(&cli->opts, &rep, why, whylen);
        if (rc == MH_OK) {
            spool_report_print(stdout, &rep, &cli->opts, cli->cmd, cli->json);
        }
        goto cleanup;
    }
    /* Postfix is asked only for what the command needs and the options
     * did not say: the format, and the stale lock age for audit/locks. */
    if (cli->config_dir != NULL
        && (!cli->have_format
            || (!cli->have_stale && strcmp(cli->cmd, "create") != 0))) {
        rc = from_postfix(cli, why, whylen);
        if (rc != MH_OK) {
            goto cleanup;
        }
    }
    rc = spool_accts_load(&accts, cli->passwd, &cli->sel, why, whylen);
    if (rc != MH_OK) {
        goto cleanup;
    }
    if (strcmp(cli->cmd, "create") == 0) {
        rc = spool_create(&cli->opts, &accts, &rep, why, whylen);
    } else if (strcmp(cli->cmd, "locks") == 0) {
        rc = spool_locks(&cli->opts, &accts, cli->remove ? SPOOL_LOCKS_REMOVE : SPOOL_LOCKS_LIST,
                         &rep, why, whylen);
    } else {
        rc = spool_audit(&cli->opts, &accts, &rep, why, whylen);
    }
    if (rc != MH_OK) {
        goto cleanup;
    }
    if (strcmp(cli->cmd, "orphans") == 0) {
        for (i = 0; i < rep.n && rc == MH_OK; i++) {
            if (rep.v[i].kind == SPOOL_F_ORPHAN) {
                rc = spool_report_add(&orph, SPOOL_F_ORPHAN, rep.v[i].name, "%s",
                                      rep.v[i].detail);
            }
        }
        orph.mailboxes = rep.mailboxes;
        spool_report_free(&rep);
        rep = orph;
        memset(&orph, 0, sizeof(orph));
        if (rc != MH_OK) {
            snprintf(why, whylen, "orphans: %s", mh_rc_str(rc));
            goto cleanup;
        }
    }
    spool_report_print(stdout, &rep, &cli->opts, cli->cmd, cli->json);
    if (rep.problems > 0) {
        summarize(&rep, cli->cmd, why, whylen);
        rc = 1;
    }

cleanup:
    spool_report_free(&rep);
    spool_report_free(&orph);
    spool_accts_free(&accts);
    return rc;
}

/* log_clean - TEXT for one log line: control characters (hostile names) as '?' */
static const char *
log_clean(const char *text, char *buf, size_t len)
{
    size_t i;

    for (i = 0; text[i] != '\0' && i + 1 < len; i++) {
        buf[i] = (unsigned char) text[i] < 0x20 ? '?' : text[i];
    }
    buf[i] = '\0';
    return buf;
}

/* start_log_locks - --ocf: each dot-lock removed or left, into the log */
static void
start_log_locks(const struct spool_report *rep, const struct spool_opts *opts)
{
    char name[512], detail[1024];
    size_t i;

    for (i = 0; i < rep->n; i++) {
        log_clean(rep->v[i].name[0] ? rep->v[i].name : opts->dir, name, sizeof(name));
        log_clean(rep->v[i].detail, detail, sizeof(detail));
        if (rep->v[i].kind == SPOOL_F_REMOVED) {
            mh_notice("%s: %s", name, detail);
        } else {
            mh_warn("dot-lock left: %s %s: %s", spool_kind_str(rep->v[i].kind), name, detail);
        }
    }
}

/* start_locks - the locks step of start: best effort, never a failure */
static void
start_locks(struct spool_cli *cli, struct spool_accts *accts, const char *stale_why)
{
    struct spool_report rep;
    char why[1024] = "";
    int rc;

    if (stale_why[0] != '\0') {
        if (cli->ocf) {
            mh_warn("stale dot-locks not looked at: %s", stale_why);
        }
        return;
    }
    memset(&rep, 0, sizeof(rep));
    rc = spool_locks(&cli->opts, accts, cli->remove ? SPOOL_LOCKS_REMOVE : SPOOL_LOCKS_LIST,
                     &rep, why, sizeof(why));
    if (rc != MH_OK) {
        if (cli->ocf) {
            mh_warn("stale dot-locks not looked at: %s", why);
        }
    } else {
        spool_report_print(stdout, &rep, &cli->opts, "locks", cli->json);
        if (cli->ocf) {
            start_log_locks(&rep, &cli->opts);
        }
    }
    spool_report_free(&rep);
}

/* cmd_start - policy, create and locks in one run (the agent's start) */
static int
cmd_start(struct spool_cli *cli, char *why, size_t whylen)
{
    struct spool_accts accts;
    struct spool_report rep;
    char stale_why[1024] = "";
    int rc, found = 0;

    memset(&rep, 0, sizeof(rep));
    memset(&accts, 0, sizeof(accts));
    rc = spool_policy(&cli->opts, &rep, why, whylen);
    if (rc != MH_OK) {
        goto cleanup;
    }
    spool_report_print(stdout, &rep, &cli->opts, "policy", cli->json);
    spool_report_free(&rep);
    /* one read of Postfix for the format and the stale lock age; a
     * maildir spool given by --format has no dot-locks to age */
    if (cli->config_dir != NULL
        && (!cli->have_format || (!cli->have_stale && cli->opts.format != SPOOL_MAILDIR))) {
        rc = from_postfix(cli, why, whylen);
        if (rc != MH_OK && !cli->stale_bad) {
            goto cleanup;
        }
        if (rc != MH_OK) {
            /* a bad stale_lock_time spoils the locks step only */
            snprintf(stale_why, sizeof(stale_why), "%s", why);
            why[0] = '\0';
        }
    }
    rc = spool_accts_load(&accts, cli->passwd, &cli->sel, why, whylen);
    if (rc == MH_OK) {
        rc = spool_create(&cli->opts, &accts, &rep, why, whylen);
    }
    if (rc != MH_OK) {
        goto cleanup;
    }
    spool_report_print(stdout, &rep, &cli->opts, "create", cli->json);
    if (rep.problems > 0) {
        summarize(&rep, "create", why, whylen);
        if (cli->ocf) {
            mh_warn("not every mailbox could be created: %s", why);
        }
        found = 1;
    }
    if (cli->opts.format != SPOOL_MAILDIR) {
        start_locks(cli, &accts, stale_why);
    }
    if (cli->ocf || !found) {
        why[0] = '\0';
        found = 0;
    }
    rc = found ? 1 : MH_OK;

cleanup:
    spool_report_free(&rep);
    spool_accts_free(&accts);
    return rc;
}

int
main(int argc, char **argv)
{
    struct spool_cli cli;
    char why[1024] = "";
    int verbose = 0;
    int rc, code, i;

    umask(077);
    memset(&cli, 0, sizeof(cli));
    /* --ocf is known before options parse, so a usage error is OCF-shaped too */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ocf") == 0) {
            cli.ocf = 1;
        }
    }
    rc = parse_args(argc, argv, &cli, &verbose, why, sizeof(why));
    mh_log_init("mailha-spool", verbose ? MH_LOG_VERBOSE : 0);
    if (rc == MH_OK) {
        if (strcmp(cli.cmd, "holders") == 0) {
            rc = cmd_holders(&cli, why, sizeof(why));
        } else if (strcmp(cli.cmd, "rwcheck") == 0) {
            rc = spool_rwcheck(cli.opts.dir, why, sizeof(why));
        } else if (strcmp(cli.cmd, "audit") == 0 || strcmp(cli.cmd, "create") == 0
                   || strcmp(cli.cmd, "orphans") == 0 || strcmp(cli.cmd, "policy") == 0
                   || strcmp(cli.cmd, "locks") == 0) {
            rc = cmd_spool(&cli, why, sizeof(why));
        } else if (strcmp(cli.cmd, "start") == 0) {
            rc = cmd_start(&cli, why, sizeof(why));
        } else {
            usage();
            snprintf(why, sizeof(why), "unknown command \"%s\"", cli.cmd);
            rc = MH_EXIT_USAGE;
        }
    }
    code = spool_exit(&cli, rc, why);
    mh_log_fini();
    return code;
}
