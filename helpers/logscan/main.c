// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mailha-logscan 8
 * SUMMARY
 *	the runbook's mail log egrep as a tool, with node health
 * SYNOPSIS
 *	mailha-logscan [--print] [--json] [--cursor FILE [--start begin|end]]
 *	    [--rotated FILE] [--attr] [--attr-name NAME]
 *	    [--thresholds SPEC] [--hold SECONDS] [--refresh SECONDS] LOGFILE
 * DESCRIPTION
 *	Counts the lines of LOGFILE that egrep '(reject|warning|error|fatal|
 *	panic):' matches, each in its most severe class, and with --print
 *	writes them to stdout exactly as grep -a would.
 *
 *	With --cursor, only the bytes added since the last run are read:
 *	a new inode (rotation) is read from 0 after the rest of the old
 *	file, when it is still there as --rotated (default LOGFILE.1); a
 *	file smaller than the cursor, or with other bytes before it, is
 *	read from 0; an unterminated last line is left for the next run.
 *
 *	With --attr the health level (green, yellow, red by --thresholds)
 *	is published as node attribute #health-mail with attrd_updater,
 *	when it changed or every --refresh seconds.  With a cursor, a
 *	level worse than this run's is kept for --hold seconds.
 *
 *	See doc/mailha-logscan.md for thresholds and exit codes.
 * DIAGNOSTICS
 *	0 done (a missing log is not an error), 64 usage, 70 could not
 *	read, save the cursor or publish the attribute.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mh_json.h"
#include "mh_log.h"
#include "mh_rc.h"
#include "mh_run.h"
#include "mh_safeopen.h"
#include "logscan_class.h"
#include "logscan_cursor.h"
#include "logscan_read.h"

#define MH_LS_DEFAULT_ATTR "#health-mail"
#define MH_LS_DEFAULT_HOLD 900
#define MH_LS_DEFAULT_REFRESH 300
#define MH_LS_ATTRD_TIMEOUT_MS 10000    /* attrd_updater answers in well under 1 s */

enum { MH_LS_GREEN, MH_LS_YELLOW, MH_LS_RED };

static const char *const mh_ls_levels[] = { "green", "yellow", "red" };

struct mh_ls_threshold {
    uint64_t count;             /* this many lines of the class, or more */
    int level;                  /* make the node this level; 0 ignores */
};

struct mh_ls_opts {
    const char *log;
    const char *cursor;
    const char *rotated;
    const char *attr_name;
    int print;
    int json;
    int attr;
    int start_end;
    long hold;
    long refresh;
    struct mh_ls_threshold th[MH_LSC_NCLASS];
};

struct mh_ls_run {
    struct mh_lsc_counts counts;
    int missing;
    int how;
    off_t from;
    off_t to;
    off_t bytes;
    off_t old_bytes;
    int partial;
    int level;
    int published;
};

/* mh_ls_usage - the synopsis, on stderr */
static void
mh_ls_usage(void)
{
    fprintf(stderr,
            "usage: mailha-logscan [--print] [--json] [--cursor FILE [--start begin|end]]\n"
            "       [--rotated FILE] [--attr] [--attr-name NAME] [--thresholds SPEC]\n"
            "       [--hold SECONDS] [--refresh SECONDS] LOGFILE\n"
            "SPEC: CLASS=N:LEVEL,... e.g. panic=1:red,fatal=1:red,error=10:yellow\n");
}

/* mh_ls_level_parse - "green"/"yellow"/"red" to a level, or -1 */
static int
mh_ls_level_parse(const char *s)
{
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, mh_ls_levels[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* mh_ls_thresholds - parse CLASS=N:LEVEL,... over the defaults */
static int
mh_ls_thresholds(struct mh_ls_threshold *th, const char *spec)
{
    char *copy = strdup(spec);
    char *save = NULL;
    int rc = 0;

    if (copy == NULL) {
        return -ENOMEM;
    }
    for (char *item = strtok_r(copy, ",", &save); item != NULL;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        char *colon, *end;
        unsigned long long n;
        int cls = -1, level;

        if (eq == NULL) {
            rc = MH_E_PARSE;
            break;
        }
        *eq = '\0';
        for (int c = MH_LSC_REJECT; c < MH_LSC_NCLASS; c++) {
            if (strcmp(item, mh_lsc_name(c)) == 0) {
                cls = c;
            }
        }
        colon = strchr(eq + 1, ':');
        if (cls < 0 || colon == NULL) {
            rc = MH_E_PARSE;
            break;
        }
        *colon = '\0';
        errno = 0;
        n = strtoull(eq + 1, &end, 10);
        level = mh_ls_level_parse(colon + 1);
        if (errno != 0 || *end != '\0' || end == eq + 1 || eq[1] == '-' || level < 0) {
            rc = MH_E_PARSE;
            break;
        }
        th[cls].count = n;
        th[cls].level = n == 0 ? MH_LS_GREEN : level;
    }
    free(copy);
    return rc;
}

/* mh_ls_seconds - a non-negative number of seconds, or -1 */
static long
mh_ls_seconds(const char *s)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        return -1;
    }
    return v;
}

/* mh_ls_level - the level this run's counts call for */
static int
mh_ls_level(const struct mh_ls_threshold *th, const struct mh_lsc_counts *counts)
{
    int level = MH_LS_GREEN;

    for (int c = MH_LSC_REJECT; c < MH_LSC_NCLASS; c++) {
        if (th[c].level > level && th[c].count > 0 && counts->by_class[c] >= th[c].count) {
            level = th[c].level;
        }
    }
    return level;
}

/* mh_ls_print_line - --print: the line as grep prints it */
static int
mh_ls_print_line(void *ctx, const char *line, size_t len, int cls)
{
    (void) ctx;
    if (fwrite_unlocked(line, 1, len, stdout) != len
        || (!(cls & MH_LSC_MORE) && putc_unlocked('\n', stdout) == EOF)) {
        return errno ? errno : EIO;
    }
    return 0;
}

/* mh_ls_attrd - run attrd_updater -n NAME -U VALUE; 0 or a code */
static int
mh_ls_attrd(const char *name, const char *value)
{
    const char *prog = getenv("MAILHA_ATTRD_UPDATER");
    /* a time limit: a hung attrd_updater must not hold the monitor */
    struct mh_run_opts opts = { .out = MH_RUN_NULL, .err = MH_RUN_INHERIT,
        .flags = MH_RUN_PATH, .timeout_ms = MH_LS_ATTRD_TIMEOUT_MS };
    const char *argv[] = { "attrd_updater", "-n", name, "-U", value, NULL };
    struct mh_run_result res;
    char why[256];
    int rc;

    if (prog != NULL && *prog != '\0') {
        argv[0] = prog;
    }
    fflush(stdout);
    rc = mh_run(argv, &opts, &res, why, sizeof(why));
    if (rc != MH_OK) {
        mh_err("%s", why);
        return rc;
    }
    if (res.status != 0) {
        mh_err("publish %s=%s: %s exited with %d", name, value, argv[0], res.status);
        rc = MH_E_CHILD;
    }
    mh_run_free(&res);
    return rc;
}

/* mh_ls_last_line_start - offset after the last '\n' before size */
static off_t
mh_ls_last_line_start(int fd, off_t size)
{
    char buf[65536];
    off_t at = size;

    while (at > 0) {
        size_t want = at > (off_t) sizeof(buf) ? sizeof(buf) : (size_t) at;
        ssize_t got = pread(fd, buf, want, at - (off_t) want);
        const char *nl;

        if (got <= 0) {
            return size;
        }
        nl = memrchr(buf, '\n', (size_t) got);
        if (nl != NULL) {
            return at - (off_t) want + (nl - buf) + 1;
        }
        at -= (off_t) want;
    }
    return 0;
}

/* mh_ls_read_rotated - the rest of the rotated file, if it is ours */
static int
mh_ls_read_rotated(const struct mh_ls_opts *o, const struct mh_lscursor *cur,
                   struct mh_ls_run *run)
{
    struct mh_lsread_result res;
    struct stat st;
    char why[256];
    int fd;
    int rc;

    fd = mh_open_file(o->rotated, O_RDONLY, 0, &st, why, sizeof(why));
    if (fd < 0) {
        mh_info("%s: the rest of the rotated log is not read", why);
        return 0;
    }
    if ((uint64_t) st.st_dev != cur->dev
        || (uint64_t) st.st_ino != cur->ino || (uint64_t) st.st_size < cur->offset) {
        mh_info("read %s: not the file the cursor was on", o->rotated);
        close(fd);
        return 0;
    }
    rc = mh_lsread_scan(fd, (off_t) cur->offset, 1, &run->counts,
                        o->print ? mh_ls_print_line : NULL, NULL, &res, why, sizeof(why));
    close(fd);
    if (rc != 0) {
        mh_err("read %s: %s", o->rotated, why);
        return rc;
    }
    run->old_bytes = res.bytes;
    return 0;
}

/* mh_ls_report - the summary, text or JSON */
static void
mh_ls_report(const struct mh_ls_opts *o, const struct mh_ls_run *run)
{
    const struct mh_lsc_counts *c = &run->counts;

    if (o->json) {
        printf("{\"log\":");
        mh_json_str(stdout, o->log, MH_JSON_DEL);
        printf(",\"missing\":%s,\"start\":\"%s\",\"from\":%lld,\"to\":%lld,"
               "\"bytes\":%lld,\"rotated_bytes\":%lld,\"partial\":%s,"
               "\"matched\":%" PRIu64 ",\"counts\":{",
               run->missing ? "true" : "false", mh_lscursor_how_name(run->how),
               (long long) run->from, (long long) run->to, (long long) run->bytes,
               (long long) run->old_bytes, run->partial ? "true" : "false", c->matched);
        for (int k = MH_LSC_PANIC; k >= MH_LSC_REJECT; k--) {
            printf("\"%s\":%" PRIu64 "%s", mh_lsc_name(k), c->by_class[k],
                   k > MH_LSC_REJECT ? "," : "");
        }
        printf("},\"health\":\"%s\",\"published\":%s}\n", mh_ls_levels[run->level],
               run->published ? "true" : "false");
        return;
    }
    printf("matched=%" PRIu64, c->matched);
    for (int k = MH_LSC_PANIC; k >= MH_LSC_REJECT; k--) {
        printf(" %s=%" PRIu64, mh_lsc_name(k), c->by_class[k]);
    }
    printf(" health=%s bytes=%lld start=%s%s\n", mh_ls_levels[run->level],
           (long long) (run->bytes + run->old_bytes), mh_lscursor_how_name(run->how),
           run->missing ? " missing=yes" : "");
}

/* mh_ls_health - this run's level, held by the cursor; publish it */
static int
mh_ls_health(const struct mh_ls_opts *o, struct mh_lscursor *cur, struct mh_ls_run *run,
             time_t now)
{
    int level = mh_ls_level(o->th, &run->counts);
    int held = cur->valid || cur->health[0] ? mh_ls_level_parse(cur->health) : -1;
    int rc = 0;

    /* times from the cursor are checked against now: a clock stepped
     * back must not hold a level for ever, nor a forged one overflow */
    if (o->cursor != NULL && held > level
        && mh_lscursor_recent(cur->health_since, now, o->hold)) {
        level = held;
    } else if (o->cursor != NULL) {
        snprintf(cur->health, sizeof(cur->health), "%s", mh_ls_levels[level]);
        cur->health_since = now;
    }
    if (o->cursor != NULL && level > MH_LS_GREEN && held == level) {
        /* still as bad: the hold runs from the latest bad run */
        if (mh_ls_level(o->th, &run->counts) == level) {
            cur->health_since = now;
        }
    }
    run->level = level;
    if (!o->attr) {
        return 0;
    }
    if (o->cursor != NULL && strcmp(cur->published, mh_ls_levels[level]) == 0
        && mh_lscursor_recent(cur->published_at, now, o->refresh)) {
        return 0;
    }
    rc = mh_ls_attrd(o->attr_name, mh_ls_levels[level]);
    if (rc == 0) {
        run->published = 1;
        snprintf(cur->published, sizeof(cur->published), "%s", mh_ls_levels[level]);
        cur->published_at = now;
    }
    return rc;
}

/* mh_ls_scan - open the log, pick the start, read, move the cursor */
static int
mh_ls_scan(const struct mh_ls_opts *o, struct mh_lscursor *cur, struct mh_ls_run *run)
{
    struct mh_lsread_result res;
    struct stat st;
    char why[256];
    off_t start = 0;
    int fd;
    int rc = 0;

    /* a FIFO, socket or device is refused; a directory fails at read() */
    fd = mh_open_file(o->log, O_RDONLY, 1, &st, why, sizeof(why));
    if (fd == -ENOENT) {
        mh_notice("%s: nothing to scan", why);
        run->missing = 1;
        run->how = cur->valid ? MH_LSCURSOR_CONTINUE : MH_LSCURSOR_FRESH;
        return 0;
    }
    if (fd < 0) {
        mh_err("%s", why);
        return fd;
    }
    if (o->cursor != NULL) {
        run->how = mh_lscursor_resume(cur, fd, &st, &start);
        if (run->how == MH_LSCURSOR_ROTATED) {
            rc = mh_ls_read_rotated(o, cur, run);
            if (rc != 0) {
                goto done;
            }
        } else if (run->how == MH_LSCURSOR_FRESH && o->start_end) {
            start = mh_ls_last_line_start(fd, st.st_size);
        }
        if (run->how != MH_LSCURSOR_CONTINUE && run->how != MH_LSCURSOR_FRESH) {
            mh_info("read %s from the start: %s", o->log, mh_lscursor_how_name(run->how));
        }
    }
    run->from = start;
    rc = mh_lsread_scan(fd, start, o->cursor == NULL, &run->counts,
                        o->print ? mh_ls_print_line : NULL, NULL, &res, why, sizeof(why));
    if (rc != 0) {
        mh_err("read %s: %s", o->log, why);
        goto done;
    }
    run->to = res.end_off;
    run->bytes = res.bytes;
    run->partial = res.partial;
    if (o->cursor != NULL) {
        rc = mh_lscursor_set(cur, fd, &st, res.end_off);
        if (rc != 0) {
            mh_err("read %s before offset %lld: %s", o->log, (long long) res.end_off,
                   mh_rc_str(rc));
        }
    }

  done:
    close(fd);
    return rc;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "print", no_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { "cursor", required_argument, NULL, 'c' },
        { "start", required_argument, NULL, 's' },
        { "rotated", required_argument, NULL, 'r' },
        { "attr", no_argument, NULL, 'a' },
        { "attr-name", required_argument, NULL, 'n' },
        { "thresholds", required_argument, NULL, 't' },
        { "hold", required_argument, NULL, 'H' },
        { "refresh", required_argument, NULL, 'R' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct mh_ls_opts o;
    struct mh_ls_run run;
    struct mh_lscursor cur;
    static char outbuf[1 << 20];
    char *rotated = NULL;
    char why[256];
    int log_flags = 0;
    int status = MH_EXIT_OK;
    int ch, rc;

    memset(&o, 0, sizeof(o));
    memset(&run, 0, sizeof(run));
    memset(&cur, 0, sizeof(cur));
    o.attr_name = MH_LS_DEFAULT_ATTR;
    o.hold = MH_LS_DEFAULT_HOLD;
    o.refresh = MH_LS_DEFAULT_REFRESH;
    o.th[MH_LSC_PANIC] = (struct mh_ls_threshold) { 1, MH_LS_RED };
    o.th[MH_LSC_FATAL] = (struct mh_ls_threshold) { 1, MH_LS_RED };
    o.th[MH_LSC_ERROR] = (struct mh_ls_threshold) { 10, MH_LS_YELLOW };

    while ((ch = getopt_long(argc, argv, "pjc:s:r:an:t:H:R:vh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            o.print = 1;
            break;
        case 'j':
            o.json = 1;
            break;
        case 'c':
            o.cursor = optarg;
            break;
        case 's':
            if (strcmp(optarg, "end") == 0) {
                o.start_end = 1;
            } else if (strcmp(optarg, "begin") != 0) {
                fprintf(stderr, "mailha-logscan: --start: begin or end, not %s\n", optarg);
                return MH_EXIT_USAGE;
            }
            break;
        case 'r':
            o.rotated = optarg;
            break;
        case 'a':
            o.attr = 1;
            break;
        case 'n':
            o.attr_name = optarg;
            break;
        case 't':
            if (mh_ls_thresholds(o.th, optarg) != 0) {
                fprintf(stderr, "mailha-logscan: --thresholds: bad SPEC %s\n", optarg);
                mh_ls_usage();
                return MH_EXIT_USAGE;
            }
            break;
        case 'H':
            o.hold = mh_ls_seconds(optarg);
            if (o.hold < 0) {
                fprintf(stderr, "mailha-logscan: --hold: not a number of seconds: %s\n", optarg);
                return MH_EXIT_USAGE;
            }
            break;
        case 'R':
            o.refresh = mh_ls_seconds(optarg);
            if (o.refresh < 0) {
                fprintf(stderr, "mailha-logscan: --refresh: not a number of seconds: %s\n",
                        optarg);
                return MH_EXIT_USAGE;
            }
            break;
        case 'v':
            log_flags |= MH_LOG_VERBOSE;
            break;
        case 'h':
            mh_ls_usage();
            return MH_EXIT_OK;
        default:
            mh_ls_usage();
            return MH_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || (o.print && o.json)) {
        mh_ls_usage();
        return MH_EXIT_USAGE;
    }
    o.log = argv[optind];
    if (o.rotated == NULL) {
        if (asprintf(&rotated, "%s.1", o.log) < 0) {
            return MH_EXIT_FAILED;
        }
        o.rotated = rotated;
    }
    mh_log_init("mailha-logscan", log_flags);
    setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

    if (o.cursor != NULL) {
        rc = mh_lscursor_load(o.cursor, &cur, why, sizeof(why));
        if (rc == MH_E_PARSE || rc == MH_E_UNSAFE) {
            /* save() renames a regular file over a FIFO or the like */
            mh_warn("%s: ignoring it, starting afresh", why);
        } else if (rc != 0 && rc != -ENOENT) {
            mh_err("%s", why);
            status = MH_EXIT_FAILED;
            goto done;
        }
    }
    if (mh_ls_scan(&o, &cur, &run) != 0) {
        status = MH_EXIT_FAILED;
        goto done;
    }
    if (mh_ls_health(&o, &cur, &run, time(NULL)) != 0) {
        status = MH_EXIT_FAILED;
    }
    if (o.cursor != NULL && cur.valid) {
        rc = mh_lscursor_save(o.cursor, &cur, why, sizeof(why));
        if (rc != 0) {
            mh_err("save cursor: %s", why);
            status = MH_EXIT_FAILED;
        }
    }
    if (!o.print) {
        mh_ls_report(&o, &run);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        mh_err("write standard output: %s", strerror(errno));
        status = MH_EXIT_FAILED;
    }

  done:
    free(rotated);
    mh_log_fini();
    return status;
}
