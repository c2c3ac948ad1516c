// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_tables 3
 * SUMMARY
 *	list an instance's alias tables; stat-only freshness test
 * SYNOPSIS
 *	#include "mh_alias_tables.h"
 *
 *	int alias_config_read(struct alias_config *cfg, const char *config_dir)
 *	int alias_config_set(struct alias_config *cfg, const char *alias_maps,
 *	                     const char *alias_database, const char *default_type)
 *	int alias_table_fresh(const struct alias_table *t, char *why, size_t whylen)
 * DESCRIPTION
 *	Map lists are split the way Postfix splits them: at commas and
 *	blanks, except inside {braces} (inline: tables).  A name without
 *	"type:" uses default_database_type.
 *
 *	alias_table_fresh() compares modification times with nanosecond
 *	resolution: a source edited in the same second after the
 *	database was built counts as stale (Postfix compares seconds and
 *	would miss it).  Include files are not compared: local(8) reads
 *	them at delivery time, so a change needs no rebuild.
 * DIAGNOSTICS
 *	Negative codes with the reason in cfg->errbuf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mh_pfconf.h"
#include "mh_rc.h"
#include "mh_alias_tables.h"

/* alias_db_suffix - the database suffix Postfix uses for TYPE */
const char *
alias_db_suffix(const char *type)
{
    if (strcmp(type, "hash") == 0 || strcmp(type, "btree") == 0) {
        return ".db";
    }
    if (strcmp(type, "lmdb") == 0) {
        return ".lmdb";
    }
    if (strcmp(type, "cdb") == 0) {
        return ".cdb";
    }
    if (strcmp(type, "texthash") == 0) {
        return "";
    }
    return NULL;
}

/* alias_config_find - the table with source SOURCE and TYPE, or NULL */
static struct alias_table *
alias_config_find(struct alias_config *cfg, const char *spec)
{
    for (size_t i = 0; i < cfg->ntables; i++) {
        if (strcmp(cfg->tables[i].spec, spec) == 0) {
            return &cfg->tables[i];
        }
    }
    return NULL;
}

/* alias_config_add - add or mark one table spec */
static int
alias_config_add(struct alias_config *cfg, const char *spec, const char *default_type,
                 int from_maps)
{
    struct alias_table *t, *nv;
    const char *rest = spec;
    const char *colon;
    const char *suffix;
    char *type = NULL;

    /* Postfix looks up "proxy:hash:/x" in hash:/x through proxymap. */
    if (strncmp(rest, "proxy:", 6) == 0) {
        rest += 6;
    }
    t = alias_config_find(cfg, rest);
    if (t != NULL) {
        if (from_maps) {
            t->in_maps = 1;
        } else {
            t->in_database = 1;
        }
        return MH_OK;
    }
    nv = realloc(cfg->tables, (cfg->ntables + 1) * sizeof(*nv));
    if (nv == NULL) {
        return -ENOMEM;
    }
    cfg->tables = nv;
    t = &cfg->tables[cfg->ntables];
    memset(t, 0, sizeof(*t));
    colon = strchr(rest, ':');
    if (colon == NULL || rest[0] == '/') {
        type = strdup(default_type);
        t->source = strdup(rest);
    } else {
        type = strndup(rest, (size_t) (colon - rest));
        t->source = strdup(colon + 1);
    }
    t->spec = strdup(rest);
    t->type = type;
    if (t->spec == NULL || t->type == NULL || t->source == NULL) {
        free(t->spec);
        free(t->type);
        free(t->source);
        return -ENOMEM;
    }
    cfg->ntables++;
    if (from_maps) {
        t->in_maps = 1;
    } else {
        t->in_database = 1;
    }
    suffix = alias_db_suffix(t->type);
    if (suffix == NULL || t->source[0] != '/') {
        /* not a file table: kept for the report, skipped by checks */
        free(t->source);
        t->source = NULL;
        return MH_OK;
    }
    if (*suffix != '\0') {
        size_t n = strlen(t->source) + strlen(suffix) + 1;

        t->db = malloc(n);
        if (t->db == NULL) {
            return -ENOMEM;
        }
        snprintf(t->db, n, "%s%s", t->source, suffix);
    }
    return MH_OK;
}

/* alias_config_split - add each table of a Postfix map list */
static int
alias_config_split(struct alias_config *cfg, const char *list, const char *default_type,
                   int from_maps)
{
    const char *p = list;
    int rc = MH_OK;

    while (*p != '\0' && rc == MH_OK) {
        const char *start;
        int depth = 0;
        char *spec;

        while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        start = p;
        while (*p != '\0') {
            if (*p == '{') {
                depth++;
            } else if (*p == '}' && depth > 0) {
                depth--;
            } else if (depth == 0 && (*p == ',' || *p == ' ' || *p == '\t'
                                      || *p == '\n' || *p == '\r')) {
                break;
            }
            p++;
        }
        spec = strndup(start, (size_t) (p - start));
        if (spec == NULL) {
            return -ENOMEM;
        }
        rc = alias_config_add(cfg, spec, default_type, from_maps);
        free(spec);
    }
    return rc;
}

/* alias_config_set - build the table list from parameter values */
int
alias_config_set(struct alias_config *cfg, const char *alias_maps,
                 const char *alias_database, const char *default_type)
{
    int rc;

    if (default_type == NULL || *default_type == '\0') {
        default_type = "hash";
    }
    rc = alias_config_split(cfg, alias_maps != NULL ? alias_maps : "", default_type, 1);
    if (rc == MH_OK) {
        rc = alias_config_split(cfg, alias_database != NULL ? alias_database : "",
                                default_type, 0);
    }
    return rc;
}

/* alias_has_word - WORD is an element of the comma/blank list LIST */
static int
alias_has_word(const char *list, const char *word)
{
    size_t wl = strlen(word);
    const char *p = list;

    while (p != NULL && *p != '\0') {
        p += strspn(p, ", \t");
        if (strncmp(p, word, wl) == 0 && (p[wl] == '\0' || strchr(", \t", p[wl]) != NULL)) {
            return 1;
        }
        p += strcspn(p, ", \t");
    }
    return 0;
}

/* alias_config_read - read the alias settings of one instance */
int
alias_config_read(struct alias_config *cfg, const char *config_dir)
{
    static const char *const names[] = {
        "alias_maps", "alias_database", "default_database_type", "default_privs",
        "allow_mail_to_commands", "allow_mail_to_files", "recipient_delimiter",
    };
    struct mh_pfconf conf;
    const char *v;
    int rc;

    memset(cfg, 0, sizeof(*cfg));
    rc = mh_pfconf_read(&conf, config_dir, names, sizeof(names) / sizeof(names[0]));
    if (rc != MH_OK) {
        snprintf(cfg->errbuf, sizeof(cfg->errbuf), "%s", conf.errbuf[0] ? conf.errbuf
                 : mh_rc_str(rc));
        return rc;
    }
    rc = alias_config_set(cfg, mh_pfconf_get(&conf, "alias_maps"),
                          mh_pfconf_get(&conf, "alias_database"),
                          mh_pfconf_get(&conf, "default_database_type"));
    v = mh_pfconf_get(&conf, "default_privs");
    cfg->default_privs = strdup(v != NULL && *v != '\0' ? v : "nobody");
    v = mh_pfconf_get(&conf, "recipient_delimiter");
    cfg->recipient_delimiter = strdup(v != NULL ? v : "");
    v = mh_pfconf_get(&conf, "allow_mail_to_commands");
    cfg->include_commands = v != NULL && alias_has_word(v, "include");
    v = mh_pfconf_get(&conf, "allow_mail_to_files");
    cfg->include_files = v != NULL && alias_has_word(v, "include");
    mh_pfconf_free(&conf);
    if (rc == MH_OK && (cfg->default_privs == NULL || cfg->recipient_delimiter == NULL)) {
        rc = -ENOMEM;
    }
    if (rc != MH_OK) {
        snprintf(cfg->errbuf, sizeof(cfg->errbuf), "read alias tables: %s", mh_rc_str(rc));
    }
    return rc;
}

/* alias_config_free - release the table list */
void
alias_config_free(struct alias_config *cfg)
{
    for (size_t i = 0; i < cfg->ntables; i++) {
        free(cfg->tables[i].spec);
        free(cfg->tables[i].type);
        free(cfg->tables[i].source);
        free(cfg->tables[i].db);
    }
    free(cfg->tables);
    free(cfg->default_privs);
    free(cfg->recipient_delimiter);
    memset(cfg, 0, sizeof(*cfg));
}

/* alias_newer - A was modified after B */
static int
alias_newer(const struct stat *a, const struct stat *b)
{
    if (a->st_mtim.tv_sec != b->st_mtim.tv_sec) {
        return a->st_mtim.tv_sec > b->st_mtim.tv_sec;
    }
    return a->st_mtim.tv_nsec > b->st_mtim.tv_nsec;
}

/* alias_table_fresh - stat() source and database, nothing more */
int
alias_table_fresh(const struct alias_table *t, char *why, size_t whylen)
{
    struct stat src, db;

    if (t->source == NULL) {
        snprintf(why, whylen, "%s: not a file table", t->spec);
        return ALIAS_FRESH;
    }
    if (stat(t->source, &src) != 0) {
        snprintf(why, whylen, "source %s: %s", t->source, strerror(errno));
        return ALIAS_NO_SOURCE;
    }
    if (t->db == NULL) {
        return ALIAS_FRESH;
    }
    if (stat(t->db, &db) != 0) {
        snprintf(why, whylen, "database %s: %s", t->db, strerror(errno));
        return ALIAS_NO_DB;
    }
    if (alias_newer(&src, &db)) {
        snprintf(why, whylen, "database %s is older than source file %s", t->db, t->source);
        return ALIAS_STALE;
    }
    return ALIAS_FRESH;
}
