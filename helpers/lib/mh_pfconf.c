// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_pfconf 3
 * SUMMARY
 *	read Postfix parameters through postconf(1)
 * SYNOPSIS
 *	#include "mh_pfconf.h"
 *
 *	int mh_pfconf_read(struct mh_pfconf *conf, const char *config_dir,
 *	                   const char *const *names, size_t n)
 *	const char *mh_pfconf_get(const struct mh_pfconf *conf, const char *name)
 *	void mh_pfconf_free(struct mh_pfconf *conf)
 * DIAGNOSTICS
 *	mh_pfconf_read() returns 0, or a negative code with the reason in
 *	conf->errbuf: -ENOENT when postconf is missing, MH_E_CHILD when it
 *	exits non-zero (an unknown config directory, say), MH_E_PARSE when
 *	its output is not "name = value", or mh_run(3)'s codes (with its
 *	reason) when postconf could not be run or said too much.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_pfconf.h"
#include "mh_rc.h"
#include "mh_run.h"

#define MH_PFCONF_MAX_OUTPUT (4 * 1024 * 1024)
#define MH_PFCONF_TIMEOUT_MS 30000     /* postconf answers in well under 1 s */

/* mh_pfconf_parse_line - split "name = value" in place */
int
mh_pfconf_parse_line(char *line, char **name, char **value)
{
    char *eq = strstr(line, " = ");
    size_t len;

    if (eq == NULL) {
        /* postconf prints "name =" for an empty value */
        len = strlen(line);
        if (len >= 2 && strcmp(line + len - 2, " =") == 0) {
            line[len - 2] = '\0';
            *name = line;
            *value = line + len - 1;
            **value = '\0';
            return line[0] != '\0' ? MH_OK : MH_E_PARSE;
        }
        return MH_E_PARSE;
    }
    *eq = '\0';
    *name = line;
    *value = eq + 3;
    return line[0] != '\0' ? MH_OK : MH_E_PARSE;
}

/* mh_pfconf_run - run postconf, collect stdout; 0 or a negative code */
static int
mh_pfconf_run(struct mh_pfconf *conf, const char *config_dir,
              const char *const *names, size_t n, char **out, size_t *outlen)
{
    const char *postconf = getenv("MAILHA_POSTCONF");
    /* a time limit: postconf blocks for ever on a FIFO as main.cf */
    struct mh_run_opts opts = { .out = MH_RUN_CAPTURE, .err = MH_RUN_INHERIT,
        .max_out = MH_PFCONF_MAX_OUTPUT, .timeout_ms = MH_PFCONF_TIMEOUT_MS };
    struct mh_run_result res;
    const char **argv = NULL;
    size_t argc = 0;
    int rc;

    if (postconf == NULL || *postconf == '\0') {
        postconf = "/usr/sbin/postconf";
    }
    argv = calloc(n + 5, sizeof(*argv));
    if (argv == NULL) {
        return -ENOMEM;
    }
    argv[argc++] = postconf;
    if (config_dir != NULL) {
        argv[argc++] = "-c";
        argv[argc++] = config_dir;
    }
    argv[argc++] = "-x";
    for (size_t i = 0; i < n; i++) {
        argv[argc++] = names[i];
    }
    argv[argc] = NULL;

    rc = mh_run(argv, &opts, &res, conf->errbuf, sizeof(conf->errbuf));
    free(argv);
    if (rc != MH_OK) {
        return rc;
    }
    if (res.status != 0) {
        snprintf(conf->errbuf, sizeof(conf->errbuf), "%s%s%s failed (exit %d)",
                 postconf, config_dir ? " -c " : "", config_dir ? config_dir : "",
                 res.status);
        mh_run_free(&res);
        return MH_E_CHILD;
    }
    *out = res.out;
    *outlen = res.outlen;
    res.out = NULL;
    mh_run_free(&res);
    return MH_OK;
}

/* mh_pfconf_read - read the named parameters of one instance */
int
mh_pfconf_read(struct mh_pfconf *conf, const char *config_dir,
               const char *const *names, size_t n)
{
    char *out = NULL;
    char *line, *next;
    size_t outlen = 0;
    int rc;

    memset(conf, 0, sizeof(*conf));
    rc = mh_pfconf_run(conf, config_dir, names, n, &out, &outlen);
    if (rc != MH_OK) {
        return rc;
    }
    conf->entries = calloc(n ? n : 1, sizeof(*conf->entries));
    if (conf->entries == NULL) {
        free(out);
        return -ENOMEM;
    }
    for (line = out; line != NULL && *line != '\0'; line = next) {
        char *name, *value;

        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (mh_pfconf_parse_line(line, &name, &value) != MH_OK) {
            snprintf(conf->errbuf, sizeof(conf->errbuf),
                     "read postconf output: not \"name = value\": %.80s", line);
            rc = MH_E_PARSE;
            break;
        }
        if (conf->count >= n) {
            break;
        }
        conf->entries[conf->count].name = strdup(name);
        conf->entries[conf->count].value = strdup(value);
        if (conf->entries[conf->count].name == NULL
            || conf->entries[conf->count].value == NULL) {
            free(conf->entries[conf->count].name);
            free(conf->entries[conf->count].value);
            rc = -ENOMEM;
            break;
        }
        conf->count++;
    }
    free(out);
    if (rc != MH_OK) {
        char keep[sizeof(conf->errbuf)];

        memcpy(keep, conf->errbuf, sizeof(keep));
        mh_pfconf_free(conf);
        memcpy(conf->errbuf, keep, sizeof(keep));
    }
    return rc;
}

/* mh_pfconf_get - look up a value read before */
const char *
mh_pfconf_get(const struct mh_pfconf *conf, const char *name)
{
    for (size_t i = 0; i < conf->count; i++) {
        if (strcmp(conf->entries[i].name, name) == 0) {
            return conf->entries[i].value;
        }
    }
    return NULL;
}

/* mh_pfconf_free - release the entries */
void
mh_pfconf_free(struct mh_pfconf *conf)
{
    for (size_t i = 0; i < conf->count; i++) {
        free(conf->entries[i].name);
        free(conf->entries[i].value);
    }
    free(conf->entries);
    memset(conf, 0, sizeof(*conf));
}

/* mh_pfconf_time - a Postfix time value (unit s, m, h, d, w; default s) */
int
mh_pfconf_time(const char *v, unsigned long long *out)
{
    unsigned long long n, mul = 1;
    char *end;

    if (!isdigit((unsigned char) v[0])) {
        return MH_E_PARSE;
    }
    errno = 0;
    n = strtoull(v, &end, 10);
    if (errno != 0) {
        return MH_E_PARSE;
    }
    if (*end != '\0') {
        switch (*end) {
        case 's':
            mul = 1;
            break;
        case 'm':
            mul = 60;
            break;
        case 'h':
            mul = 3600;
            break;
        case 'd':
            mul = 86400;
            break;
        case 'w':
            mul = 604800;
            break;
        default:
            return MH_E_PARSE;
        }
        if (end[1] != '\0') {
            return MH_E_PARSE;
        }
    }
    if (n > ~0ULL / mul) {
        return MH_E_PARSE;
    }
    *out = n * mul;
    return 0;
}
