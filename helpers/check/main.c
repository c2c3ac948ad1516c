// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-check 8
 * SUMMARY
 *	audit a Postfix configuration the way the runbook does by hand
 * SYNOPSIS
 *	mailha-check [-c CONFIG_DIR] [--format text|json]
 *	    [--expect-version X.Y[.Z]] [--ocf] [-v]
 *	mailha-check --list
 * DESCRIPTION
 *	Reads the parameters it needs through the real postconf (so that
 *	defaults and $name expansion are Postfix's), runs postconf -n once
 *	more for the warnings it prints about parameters this Postfix does
 *	not know, runs mailha-aliases check when it is installed next to
 *	this program, and reports findings: a stable id, a severity, a
 *	message and one line of advice.  doc/mailha-check.md lists them.
 *
 *	--ocf is for the postfix agent's validate-all at OCF_CHECK_LEVEL
 *	10: findings are logged instead of printed, and the first error
 *	becomes the exit reason.
 * DIAGNOSTICS
 *	Without --ocf: 0 no errors (warnings and notes allowed), 1 errors
 *	found, 64 usage, 70 could not run.  With --ocf: 0 no errors, 6 an
 *	error in the configuration, 5 an error about this node only (its
 *	Postfix version, no postconf, no main.cf here), 2 bad arguments,
 *	1 could not run.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mh_log.h"
#include "mh_pfconf.h"
#include "mh_rc.h"
#include "mh_ckfind.h"
#include "mh_ckrules.h"
#include "mh_ckrun.h"

#define MH_CK_ALIASES_TIMEOUT_MS 60000
#define MH_CK_POSTCONF_TIMEOUT_MS 30000

struct mh_ck_opts {
    const char *config_dir;
    const char *expect;
    int json;
    int format_set;
    int ocf;
};

/* mh_ck_usage - the synopsis */
static void
mh_ck_usage(void)
{
    fprintf(stderr, "usage: mailha-check [-c CONFIG_DIR] [--format text|json] "
            "[--expect-version X.Y[.Z]] [--ocf] [-v]\n"
            "       mailha-check --list\n");
}

/* mh_ck_list - every finding this program can make: id, severity, scope */
static void
mh_ck_list(void)
{
    const struct mh_ck_kind *k;
    size_t n;

    k = mh_ck_kinds(&n);
    for (size_t i = 0; i < n; i++) {
        printf("%s\t%s\t%s\t%s\n", k[i].id, mh_ck_sev_name(k[i].sev),
               k[i].scope == MH_CK_NODE ? "node" : "config", k[i].advice);
    }
}

/* mh_ck_postconf_path - the postconf mh_pfconf runs too */
static const char *
mh_ck_postconf_path(void)
{
    const char *p = getenv("MAILHA_POSTCONF");

    return p != NULL && *p != '\0' ? p : "/usr/sbin/postconf";
}

/* mh_ck_read - the parameters, with postconf's stderr out of the way */
static int
mh_ck_read(const struct mh_ck_opts *o, struct mh_pfconf *conf)
{
    const char *const *names;
    size_t n;
    int saved = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int rc;

    names = mh_ck_param_names(&n);
    /* postconf's own warnings are collected by mh_ck_postconf_n() */
    fflush(stderr);
    if (saved >= 0 && devnull >= 0) {
        dup2(devnull, STDERR_FILENO);
    }
    rc = mh_pfconf_read(conf, o->config_dir, names, n);
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    if (devnull >= 0) {
        close(devnull);
    }
    return rc;
}

/* mh_ck_postconf_n - postconf -n's warnings (unknown parameters) */
static int
mh_ck_postconf_n(const struct mh_ck_opts *o, const char *version, struct mh_ck_findings *f)
{
    const char *argv[5] = { mh_ck_postconf_path(), "-n", NULL, NULL, NULL };
    struct mh_ckrun_out out;
    char why[256];
    int rc;

    if (o->config_dir != NULL) {
        argv[1] = "-c";
        argv[2] = o->config_dir;
        argv[3] = "-n";
    }
    rc = mh_ckrun(argv, MH_CK_POSTCONF_TIMEOUT_MS, &out, why, sizeof(why));
    if (rc != 0) {
        mh_warn("%s: unknown parameters not checked", why);
        return 0;
    }
    rc = mh_ck_postconf_warnings(out.err, out.errlen, version, f);
    mh_ckrun_free(&out);
    return rc;
}

/* mh_ck_postconf_fatal - postconf refuses the files: the number of fatal lines */
static int
mh_ck_postconf_fatal(const struct mh_ck_opts *o, struct mh_ck_findings *f)
{
    const char *argv[5] = { mh_ck_postconf_path(), "-n", NULL, NULL, NULL };
    struct mh_ckrun_out out;
    char why[256];
    int n = 0;

    if (o->config_dir != NULL) {
        argv[1] = "-c";
        argv[2] = o->config_dir;
        argv[3] = "-n";
    }
    if (mh_ckrun(argv, MH_CK_POSTCONF_TIMEOUT_MS, &out, why, sizeof(why)) != 0) {
        return 0;
    }
    for (char *line = out.err, *next; line != NULL && *line != '\0'; line = next) {
        char *fatal;

        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        fatal = strstr(line, "fatal: ");
        if (fatal != NULL && mh_ck_add(f, "config.postconf-fatal", "postconf: %s",
                                       fatal + 7) == 0) {
            n++;
        }
    }
    mh_ckrun_free(&out);
    return n;
}

/* mh_ck_aliases - mailha-aliases check, when it is installed beside us */
static int
mh_ck_aliases(const struct mh_ck_opts *o, struct mh_ck_findings *f)
{
    const char *env = getenv("MAILHA_ALIASES");
    const char *argv[8];
    struct mh_ckrun_out out;
    char self[PATH_MAX], prog[PATH_MAX + 32], why[256];
    size_t k = 0;
    ssize_t len;
    int rc, n;

    if (env != NULL && *env != '\0') {
        snprintf(prog, sizeof(prog), "%s", env);
    } else {
        len = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (len < 0) {
            return mh_ck_add(f, "aliases.not-checked", "aliases: not checked (cannot find "
                             "this program's directory: %s)", strerror(errno));
        }
        self[len] = '\0';
        snprintf(prog, sizeof(prog), "%s/mailha-aliases", dirname(self));
    }
    if (access(prog, X_OK) != 0) {
        return mh_ck_add(f, "aliases.not-checked", "aliases: not checked (mailha-aliases "
                         "missing: %s)", prog);
    }
    argv[k++] = prog;
    if (o->config_dir != NULL) {
        argv[k++] = "-c";
        argv[k++] = o->config_dir;
    }
    argv[k++] = "--format";
    argv[k++] = "json";
    argv[k++] = "check";
    argv[k] = NULL;
    rc = mh_ckrun(argv, MH_CK_ALIASES_TIMEOUT_MS, &out, why, sizeof(why));
    if (rc != 0) {
        return mh_ck_add(f, "aliases.check-failed", "%s", why);
    }
    n = (out.status == MH_EXIT_OK || out.status == MH_EXIT_FINDINGS)
        ? mh_ck_aliases_json(out.out, out.outlen, f) : MH_E_CHILD;
    if (n < 0 && n != -ENOMEM) {
        const char *nl = strchr(out.err, '\n');
        int el = nl != NULL ? (int) (nl - out.err) : (int) out.errlen;

        rc = mh_ck_add(f, "aliases.check-failed", "%s check exited with %d%s%.*s", prog,
                       out.status, el > 0 ? ": " : "", el > 200 ? 200 : el, out.err);
    } else if (n == -ENOMEM) {
        rc = n;
    }
    mh_ckrun_free(&out);
    return rc;
}

/* mh_ck_log_findings - --ocf: each finding into the log once */
static void
mh_ck_log_findings(const struct mh_ck_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct mh_ck_finding *x = &f->v[i];

        if (x->sev == MH_CK_ERROR) {
            mh_err("%s: %s", x->kind->id, x->message);
        } else if (x->sev == MH_CK_WARNING) {
            mh_warn("%s: %s (%s)", x->kind->id, x->message, x->kind->advice);
        } else {
            mh_info("%s: %s", x->kind->id, x->message);
        }
    }
}

/* mh_ck_fail - could not run: the exit status for the mode */
static int
mh_ck_fail(const struct mh_ck_opts *o, int ocf_code, const char *reason)
{
    if (o->ocf) {
        mh_exit_reason("%s", reason);
        return ocf_code;
    }
    mh_err("%s", reason);
    return MH_EXIT_FAILED;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "config-dir", required_argument, NULL, 'c' },
        { "format", required_argument, NULL, 'f' },
        { "expect-version", required_argument, NULL, 'e' },
        { "ocf", no_argument, NULL, 'o' },
        { "list", no_argument, NULL, 'l' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct mh_ck_opts o;
    struct mh_ck_findings f;
    struct mh_pfconf conf;
    const struct mh_ck_finding *first;
    const char *version;
    char reason[512];
    int log_flags = 0;
    int status = MH_EXIT_OK;
    int usage_bad = 0;
    int ch, rc, cmp;

    memset(&o, 0, sizeof(o));
    memset(&f, 0, sizeof(f));
    memset(&conf, 0, sizeof(conf));
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ocf") == 0) {
            o.ocf = 1;
        }
    }
    while ((ch = getopt_long(argc, argv, "c:f:e:olvh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            o.config_dir = optarg;
            break;
        case 'f':
            o.format_set = 1;
            if (strcmp(optarg, "json") == 0) {
                o.json = 1;
            } else if (strcmp(optarg, "text") != 0) {
                usage_bad = 1;
            }
            break;
        case 'e':
            o.expect = optarg;
            if (mh_ck_version_cmp("0", optarg, &cmp) != 0) {
                usage_bad = 1;
            }
            break;
        case 'o':
            o.ocf = 1;
            break;
        case 'l':
            mh_ck_list();
            return MH_EXIT_OK;
        case 'v':
            log_flags |= MH_LOG_VERBOSE;
            break;
        case 'h':
            mh_ck_usage();
            return MH_EXIT_OK;
        default:
            usage_bad = 1;
            break;
        }
    }
    if (optind != argc) {
        usage_bad = 1;
    }
    mh_log_init("mailha-check", log_flags);
    if (usage_bad) {
        mh_ck_usage();
        if (o.ocf) {
            mh_exit_reason("mailha-check: bad arguments (--format text|json, "
                           "--expect-version X.Y[.Z])");
        }
        status = o.ocf ? MH_OCF_ERR_ARGS : MH_EXIT_USAGE;
        goto done;
    }
    if (access(mh_ck_postconf_path(), X_OK) != 0) {
        snprintf(reason, sizeof(reason), "run %s: %s", mh_ck_postconf_path(), strerror(errno));
        status = mh_ck_fail(&o, MH_OCF_ERR_INSTALLED, reason);
        goto done;
    }
    if (o.config_dir != NULL) {
        snprintf(reason, sizeof(reason), "%s/main.cf", o.config_dir);
        if (access(reason, R_OK) != 0) {
            snprintf(reason, sizeof(reason), "read %s/main.cf: %s", o.config_dir,
                     strerror(errno));
            status = mh_ck_fail(&o, MH_OCF_ERR_INSTALLED, reason);
            goto done;
        }
    }
    rc = mh_ck_read(&o, &conf);
    if (rc == MH_E_CHILD && mh_ck_postconf_fatal(&o, &f) > 0) {
        version = NULL;
        goto report;
    }
    if (rc != 0) {
        snprintf(reason, sizeof(reason), "read Postfix parameters: %s",
                 conf.errbuf[0] ? conf.errbuf : mh_rc_str(rc));
        status = mh_ck_fail(&o, MH_OCF_ERR_GENERIC, reason);
        goto done;
    }
    version = mh_pfconf_get(&conf, "mail_version");

    rc = mh_ck_rule_relay(&conf, &f);
    if (rc == 0) {
        rc = mh_ck_rule_sasl(&conf, &f);
    }
    if (rc == 0) {
        rc = mh_ck_rule_sasl_socket(&conf, &f);
    }
    if (rc == 0) {
        rc = mh_ck_rule_limits(&conf, &f);
    }
    if (rc == 0) {
        rc = mh_ck_rule_backupmx(&conf, &f);
    }
    if (rc == 0) {
        rc = mh_ck_rule_version(&conf, o.expect, &f);
    }
    if (rc == 0) {
        rc = mh_ck_postconf_n(&o, version, &f);
    }
    if (rc == 0) {
        rc = mh_ck_aliases(&o, &f);
    }
    if (rc != 0) {
        snprintf(reason, sizeof(reason), "check configuration: %s", mh_rc_str(rc));
        status = mh_ck_fail(&o, MH_OCF_ERR_GENERIC, reason);
        goto done;
    }

  report:
    if (!o.ocf || o.format_set) {
        if (o.json) {
            mh_ck_print_json(stdout, &f, o.config_dir, version);
        } else {
            mh_ck_print_text(stdout, &f, o.config_dir, version);
        }
        if (fflush(stdout) != 0) {
            status = mh_ck_fail(&o, MH_OCF_ERR_GENERIC, "write report: standard output failed");
            goto done;
        }
    }
    if (!o.ocf) {
        status = f.count[MH_CK_ERROR] > 0 ? MH_EXIT_FINDINGS : MH_EXIT_OK;
        goto done;
    }
    mh_ck_log_findings(&f);
    first = mh_ck_first(&f, MH_CK_ERROR, MH_CK_CONFIG);
    if (first != NULL) {
        mh_exit_reason("%s: %s", first->kind->id, first->message);
        status = MH_OCF_ERR_CONFIGURED;
        goto done;
    }
    first = mh_ck_first(&f, MH_CK_ERROR, MH_CK_NODE);
    if (first != NULL) {
        mh_exit_reason("%s: %s", first->kind->id, first->message);
        status = MH_OCF_ERR_INSTALLED;
    }

  done:
    mh_ck_free(&f);
    mh_pfconf_free(&conf);
    mh_log_fini();
    return status;
}
