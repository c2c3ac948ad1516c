// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-aliases 8
 * SUMMARY
 *	check, rebuild and digest Postfix alias tables and mailing lists
 * SYNOPSIS
 *	mailha-aliases [-c config_dir] [--ocf] [--format text|json]
 *	               [-q] [-v] [--force] check|rebuild|digest|stale|tables
 * DESCRIPTION
 *	Reads alias_maps and alias_database of the Postfix instance in
 *	config_dir (default: the default instance) through postconf, then:
 *
 *	check	parses every file-backed alias table and its :include:
 *		files and lists the findings, "file:line: severity: text".
 *	rebuild	validates, then rebuilds each missing or stale database
 *		(all of them with --force) with postalias, aside and
 *		renamed into place.  An error leaves every database as it
 *		was.
 *	digest	prints a SHA-256 digest of the alias sources and include
 *		files, the same on nodes with the same alias setup.
 *	stale	compares source and database of each table by stat()
 *		only; no parsing.
 *	tables	prints "type source database" per indexed file table
 *		(what the agent caches for its fork-free monitor).
 *
 *	--ocf makes the exit status an OCF code and prints an exit reason
 *	line ("ocf-exit-reason:...") on failure: 0 success, 1 a syntax
 *	error or any other failure on this node, 5 postconf or postalias
 *	not installed.  A broken alias file is node-local (each node has
 *	its own /etc/postfix), so it is 1, not 6: 6 would ban the clone
 *	from every node, including those whose files are fine.
 * EXIT STATUS
 *	Without --ocf: 0 clean; 1 findings (check), stale tables (stale),
 *	or validation errors (rebuild, nothing built); 64 usage; 70 the
 *	work could not be done.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_json.h"
#include "mh_log.h"
#include "mh_rc.h"
#include "mh_alias_check.h"
#include "mh_alias_digest.h"
#include "aliases_rebuild.h"
#include "mh_alias_tables.h"

struct alias_opts {
    const char *config_dir;
    const char *command;
    int ocf;
    int json;
    int quiet;
    int verbose;
    int force;
};

/* usage - explain, exit with the usage code */
static int
usage(const struct alias_opts *o, const char *why)
{
    fprintf(stderr, "mailha-aliases: %s\n"
            "usage: mailha-aliases [-c config_dir] [--ocf] [--format text|json] [-q] [-v]"
            " [--force] check|rebuild|digest|stale|tables\n", why);
    return o->ocf ? MH_OCF_ERR_ARGS : MH_EXIT_USAGE;
}

/* fail - report a failure once, return the exit status for RC */
static int
fail(const struct alias_opts *o, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(const struct alias_opts *o, int rc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (o->ocf) {
        mh_exit_reason("%s", msg);
        return rc == -ENOENT ? MH_OCF_ERR_INSTALLED : MH_OCF_ERR_GENERIC;
    }
    mh_err("%s", msg);
    return MH_EXIT_FAILED;
}

/* print_finding_text - one finding as "file:line: severity: text";
 * control bytes from the files (an alias name, a list's line) escaped */
static void
print_finding_text(const struct alias_finding *f)
{
    if (f->file != NULL) {
        mh_text_put(stdout, f->file);
        if (f->line > 0) {
            printf(":%zu", f->line);
        }
    } else {
        fputs("mailha-aliases", stdout);
    }
    printf(": %s: ", alias_severity_str(f->sev));
    mh_text_put(stdout, f->msg);
    putchar('\n');
}

/* print_report - findings in the chosen format */
static void
print_report(const struct alias_opts *o, const struct alias_config *cfg,
             const struct alias_report *rep)
{
    if (o->json) {
        printf("{\"tables\":[");
        for (size_t i = 0; i < cfg->ntables; i++) {
            const struct alias_table *t = &cfg->tables[i];

            printf("%s{\"spec\":", i ? "," : "");
            mh_json_str(stdout, t->spec, 0);
            printf(",\"type\":");
            mh_json_str(stdout, t->type, 0);
            printf(",\"source\":");
            if (t->source != NULL) {
                mh_json_str(stdout, t->source, 0);
            } else {
                printf("null");
            }
            printf(",\"database\":");
            if (t->db != NULL) {
                mh_json_str(stdout, t->db, 0);
            } else {
                printf("null");
            }
            printf(",\"alias_maps\":%s,\"alias_database\":%s}",
                   t->in_maps ? "true" : "false", t->in_database ? "true" : "false");
        }
        printf("],\"findings\":[");
        for (size_t i = 0, k = 0; i < rep->n; i++) {
            const struct alias_finding *f = &rep->v[i];

            if (o->quiet && f->sev != ALIAS_ERROR) {
                continue;
            }
            printf("%s{\"severity\":\"%s\",\"file\":", k++ ? "," : "",
                   alias_severity_str(f->sev));
            if (f->file != NULL) {
                mh_json_str(stdout, f->file, 0);
            } else {
                printf("null");
            }
            printf(",\"line\":%zu,\"message\":", f->line);
            mh_json_str(stdout, f->msg, 0);
            printf("}");
        }
        printf("],\"errors\":%zu,\"warnings\":%zu,\"notes\":%zu,\"lines\":%zu,"
               "\"entries\":%zu,\"include_files\":%zu}\n", rep->nerrors, rep->nwarnings,
               rep->nnotes, rep->lines, rep->entries, rep->nincludes);
        return;
    }
    for (size_t i = 0; i < rep->n; i++) {
        if (o->quiet && rep->v[i].sev != ALIAS_ERROR) {
            continue;
        }
        if (!o->verbose && rep->v[i].sev == ALIAS_NOTE) {
            continue;
        }
        print_finding_text(&rep->v[i]);
    }
    if (o->verbose) {
        printf("check: %zu errors, %zu warnings, %zu notes; %zu entries, %zu include files,"
               " %zu lines\n", rep->nerrors, rep->nwarnings, rep->nnotes, rep->entries,
               rep->nincludes, rep->lines);
    }
}

/* reason_of - "file:line: text" of a finding, for an exit reason */
static void
reason_of(const struct alias_finding *f, char *buf, size_t len)
{
    if (f->file != NULL && f->line > 0) {
        snprintf(buf, len, "%s:%zu: %s", f->file, f->line, f->msg);
    } else if (f->file != NULL) {
        snprintf(buf, len, "%s: %s", f->file, f->msg);
    } else {
        snprintf(buf, len, "%s", f->msg);
    }
}

/* cmd_check - the check command */
static int
cmd_check(const struct alias_opts *o, const struct alias_config *cfg)
{
    struct alias_report rep;
    const struct alias_finding *f;
    char reason[1200];
    int rc, status;

    memset(&rep, 0, sizeof(rep));
    rc = alias_check_run(cfg, 0, &rep);
    if (rc != MH_OK) {
        alias_report_free(&rep);
        return fail(o, rc, "check alias tables: %s", mh_rc_str(rc));
    }
    print_report(o, cfg, &rep);
    f = alias_report_first_error(&rep);
    if (o->ocf) {
        status = MH_OCF_SUCCESS;
        if (f != NULL) {
            reason_of(f, reason, sizeof(reason));
            mh_exit_reason("%s", reason);
            status = MH_OCF_ERR_GENERIC;
        }
    } else {
        status = rep.nerrors + rep.nwarnings > 0 ? MH_EXIT_FINDINGS : MH_EXIT_OK;
    }
    alias_report_free(&rep);
    return status;
}

/*
 * cmd_rebuild - validate everything while postalias builds aside
 *
 * Each table that needs it is copied aside and postalias starts on
 * the copy; meanwhile the checker validates every table, reading the
 * copies for those being rebuilt.  Only when validation finds no
 * error are the new databases renamed into place; otherwise they are
 * discarded and every database stays as it was.
 */
static int
cmd_rebuild(const struct alias_opts *o, const struct alias_config *cfg)
{
    struct alias_report rep;
    struct alias_config vcfg;
    struct alias_rebuild_job *jobs = NULL;
    struct alias_table *vtables = NULL;
    const struct alias_finding *f;
    char reason[1200];
    char why[600];
    int rc = MH_OK, status = o->ocf ? MH_OCF_SUCCESS : MH_EXIT_OK;
    size_t nj = 0, built = 0, k;

    memset(&rep, 0, sizeof(rep));
    vcfg = *cfg;
    if (cfg->ntables > 0) {
        jobs = calloc(cfg->ntables, sizeof(*jobs));
        vtables = calloc(cfg->ntables, sizeof(*vtables));
        if (jobs == NULL || vtables == NULL) {
            status = fail(o, -ENOMEM, "rebuild alias databases: %s", mh_rc_str(-ENOMEM));
            goto done;
        }
        memcpy(vtables, cfg->tables, cfg->ntables * sizeof(*vtables));
        vcfg.tables = vtables;
    }
    for (size_t i = 0; i < cfg->ntables; i++) {
        const struct alias_table *t = &cfg->tables[i];

        if (t->source == NULL || t->db == NULL) {
            continue;
        }
        if (alias_table_fresh(t, why, sizeof(why)) == ALIAS_FRESH && !o->force) {
            continue;
        }
        rc = alias_rebuild_start(o->config_dir, t, &jobs[nj], why, sizeof(why));
        if (rc != MH_OK) {
            status = fail(o, rc, "rebuild %s: %s", t->spec, why);
            goto done;
        }
        vtables[i].read_from = jobs[nj].tmp;
        nj++;
    }
    /* Only errors stop a rebuild, and only they are shown: skip the
     * passes that can only warn (check reports those). */
    rc = alias_check_run(&vcfg, ALIAS_CHECK_NO_FRESH | ALIAS_CHECK_ERRORS_ONLY, &rep);
    if (rc != MH_OK) {
        status = fail(o, rc, "check alias tables: %s", mh_rc_str(rc));
        goto done;
    }
    f = alias_report_first_error(&rep);
    if (f != NULL) {
        struct alias_opts eo = *o;

        eo.quiet = 1;
        print_report(&eo, cfg, &rep);
        reason_of(f, reason, sizeof(reason));
        if (o->ocf) {
            mh_exit_reason("%s (alias databases left unchanged)", reason);
            status = MH_OCF_ERR_GENERIC;
        } else {
            mh_err("rebuild alias databases: %s (databases left unchanged)", reason);
            status = MH_EXIT_FINDINGS;
        }
        goto done;
    }
    for (k = 0; k < nj; k++) {
        const struct alias_table *t = jobs[k].t;

        rc = alias_rebuild_finish(&jobs[k], 1, why, sizeof(why));
        if (rc != MH_OK) {
            status = fail(o, rc, "rebuild %s: %s", t->spec, why);
            goto done;
        }
        built++;
        if (o->ocf) {
            mh_notice("rebuilt %s", t->spec);
        } else if (!o->quiet && !o->json) {
            printf("rebuilt %s\n", t->spec);
        }
    }
    if (o->json) {
        printf("{\"rebuilt\":%zu}\n", built);
    }

  done:
    /* Whatever was started and not installed is discarded. */
    for (k = built; k < nj; k++) {
        (void) alias_rebuild_finish(&jobs[k], 0, why, sizeof(why));
    }
    alias_report_free(&rep);
    free(vtables);
    free(jobs);
    return status;
}

/* cmd_stale - stat() only: which databases are missing or stale */
static int
cmd_stale(const struct alias_opts *o, const struct alias_config *cfg)
{
    char why[600], first[600] = "";
    size_t nstale = 0;

    if (o->json) {
        printf("{\"stale\":[");
    }
    for (size_t i = 0; i < cfg->ntables; i++) {
        const struct alias_table *t = &cfg->tables[i];
        int fresh;

        if (t->source == NULL || t->db == NULL) {
            continue;
        }
        fresh = alias_table_fresh(t, why, sizeof(why));
        if (fresh == ALIAS_FRESH) {
            continue;
        }
        if (nstale++ == 0) {
            snprintf(first, sizeof(first), "%s", why);
        }
        if (o->json) {
            printf("%s{\"table\":", nstale > 1 ? "," : "");
            mh_json_str(stdout, t->spec, 0);
            printf(",\"state\":\"%s\",\"reason\":", fresh == ALIAS_STALE ? "stale"
                   : fresh == ALIAS_NO_DB ? "missing" : "no-source");
            mh_json_str(stdout, why, 0);
            printf("}");
        } else if (!o->quiet) {
            printf("%s: %s\n", fresh == ALIAS_STALE ? "stale" : fresh == ALIAS_NO_DB
                   ? "missing" : "no-source", why);
        }
    }
    if (o->json) {
        printf("]}\n");
    }
    if (nstale == 0) {
        return MH_EXIT_OK;
    }
    if (o->ocf) {
        mh_exit_reason("%s", first);
        return MH_OCF_ERR_GENERIC;
    }
    return MH_EXIT_FINDINGS;
}

/* cmd_tables - one "type source database" line per indexed table */
static int
cmd_tables(const struct alias_opts *o, const struct alias_config *cfg)
{
    (void) o;
    for (size_t i = 0; i < cfg->ntables; i++) {
        const struct alias_table *t = &cfg->tables[i];

        if (t->source != NULL && t->db != NULL) {
            printf("%s %s %s\n", t->type, t->source, t->db);
        }
    }
    return MH_EXIT_OK;
}

/* cmd_digest - the digest of sources and include files */
static int
cmd_digest(const struct alias_opts *o, const struct alias_config *cfg)
{
    struct alias_report rep;
    struct alias_sha256 scratch;
    char hex[65], one[65];
    int rc;

    memset(&rep, 0, sizeof(rep));
    rc = alias_check_run(cfg, ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_NO_ACCOUNT
                         | ALIAS_CHECK_NO_FRESH, &rep);
    if (rc == MH_OK) {
        rc = alias_digest_config(cfg, rep.includes, rep.nincludes, hex);
    }
    if (rc != MH_OK) {
        alias_report_free(&rep);
        return fail(o, rc, "digest alias tables: %s", mh_rc_str(rc));
    }
    if (o->json) {
        printf("{\"digest\":\"sha256:%s\",\"files\":[", hex);
    } else {
        printf("sha256:%s\n", hex);
    }
    for (size_t i = 0, k = 0; i < cfg->ntables + rep.nincludes; i++) {
        const char *path = i < cfg->ntables ? cfg->tables[i].source
            : rep.includes[i - cfg->ntables];

        if (path == NULL || (!o->verbose && !o->json)) {
            continue;
        }
        alias_sha256_init(&scratch);
        if (alias_digest_file(&scratch, "", path, one) != MH_OK) {
            continue;
        }
        if (o->json) {
            printf("%s{\"path\":", k++ ? "," : "");
            mh_json_str(stdout, path, 0);
            printf(",\"sha256\":\"%s\"}", one);
        } else {
            /* a list owner names include files: a line end in a name
             * would forge a "HEX PATH" line for mailha-drift */
            printf("%s ", one);
            mh_text_put(stdout, path);
            putchar('\n');
        }
    }
    if (o->json) {
        printf("]}\n");
    }
    alias_report_free(&rep);
    return o->ocf ? MH_OCF_SUCCESS : MH_EXIT_OK;
}

/* parse_args - options anywhere, one command */
static int
parse_args(int argc, char **argv, struct alias_opts *o, const char **why)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "ocf", no_argument, NULL, 'O' },
        { "format", required_argument, NULL, 'F' },
        { "force", no_argument, NULL, 'f' },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    int ch;

    /* --ocf decides how usage errors exit: look for it first. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ocf") == 0) {
            o->ocf = 1;
        }
    }
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "c:fqv", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            o->config_dir = *optarg != '\0' ? optarg : NULL;
            break;
        case 'O':
            o->ocf = 1;
            break;
        case 'F':
            if (strcmp(optarg, "json") == 0) {
                o->json = 1;
            } else if (strcmp(optarg, "text") != 0) {
                *why = "--format must be text or json";
                return -1;
            }
            break;
        case 'f':
            o->force = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'v':
            o->verbose = 1;
            break;
        default:
            *why = "unknown option or missing argument";
            return -1;
        }
    }
    if (optind != argc - 1) {
        *why = optind >= argc ? "no command given" : "exactly one command expected";
        return -1;
    }
    o->command = argv[optind];
    return 0;
}

int
main(int argc, char **argv)
{
    struct alias_opts o;
    struct alias_config cfg;
    const char *why = NULL;
    struct stat st;
    int status, rc;

    umask(022);
    memset(&o, 0, sizeof(o));
    if (parse_args(argc, argv, &o, &why) != 0) {
        return usage(&o, why);
    }
    mh_log_init("mailha-aliases", (o.verbose ? MH_LOG_VERBOSE : 0)
                | (o.quiet ? MH_LOG_QUIET : 0));
    if (strcmp(o.command, "check") != 0 && strcmp(o.command, "rebuild") != 0
        && strcmp(o.command, "digest") != 0 && strcmp(o.command, "stale") != 0
        && strcmp(o.command, "tables") != 0) {
        status = usage(&o, "unknown command");
        goto out;
    }
    if (o.config_dir != NULL && stat(o.config_dir, &st) != 0) {
        status = fail(&o, o.ocf ? -ENOENT : -errno, "open config directory %s: %s",
                      o.config_dir, strerror(errno));
        goto out;
    }
    rc = alias_config_read(&cfg, o.config_dir);
    if (rc != MH_OK) {
        status = fail(&o, rc, "read alias_maps: %s", cfg.errbuf);
        goto out;
    }
    if (strcmp(o.command, "check") == 0) {
        status = cmd_check(&o, &cfg);
    } else if (strcmp(o.command, "rebuild") == 0) {
        status = cmd_rebuild(&o, &cfg);
    } else if (strcmp(o.command, "digest") == 0) {
        status = cmd_digest(&o, &cfg);
    } else if (strcmp(o.command, "stale") == 0) {
        status = cmd_stale(&o, &cfg);
    } else {
        status = cmd_tables(&o, &cfg);
    }
    alias_config_free(&cfg);

  out:
    fflush(stdout);
    mh_log_fini();
    return status;
}
