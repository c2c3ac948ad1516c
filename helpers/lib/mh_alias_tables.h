// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_tables 3h
 * SUMMARY
 *	the alias tables of a Postfix instance, and whether their
 *	databases are current
 * DESCRIPTION
 *	alias_maps (what lookups use) and alias_database (what newaliases
 *	builds) are read once through mh_pfconf (the real postconf) and
 *	merged into one list of tables.  A file-backed table has a source
 *	file and, for the indexed types, a database file whose name
 *	depends on the type: hash and btree FILE.db, lmdb FILE.lmdb, cdb
 *	FILE.cdb.  texthash tables are read directly by Postfix (no
 *	database).  Other types (nis, ldap, mysql, regexp, ...) are
 *	listed with source == NULL and skipped by the checks.  proxy:
 *	wrappers are looked through.
 */
#ifndef MH_ALIAS_TABLES_H
#define MH_ALIAS_TABLES_H

#include <stddef.h>

struct alias_table {
    char *spec;         /* as listed, e.g. "proxy:hash:/etc/aliases" */
    char *type;         /* underlying type, e.g. "hash" */
    char *source;       /* source file, or NULL (not a file table) */
    char *db;           /* database file, or NULL (none, e.g. texthash) */
    int in_maps;        /* listed in alias_maps */
    int in_database;    /* listed in alias_database */
    const char *read_from;  /* check: read the source's text from this copy, or NULL */
};

struct alias_config {
    struct alias_table *tables;
    size_t ntables;
    char *default_privs;        /* delivery user for root-owned aliases */
    char *recipient_delimiter;
    int include_commands;       /* allow_mail_to_commands has "include" */
    int include_files;          /* allow_mail_to_files has "include" */
    char errbuf[256];
};

enum alias_fresh {
    ALIAS_FRESH = 0,            /* database newer than (or as new as) source */
    ALIAS_STALE = 1,            /* source modified after the database */
    ALIAS_NO_DB = 2,            /* database file missing */
    ALIAS_NO_SOURCE = 3,        /* source file missing */
};

/* alias_config_read - read an instance's alias settings; 0 or code */
int alias_config_read(struct alias_config *cfg, const char *config_dir);

/* alias_config_set - build the table list from parameter values */
int alias_config_set(struct alias_config *cfg, const char *alias_maps,
                     const char *alias_database, const char *default_type);

/* alias_config_free - release the lists */
void alias_config_free(struct alias_config *cfg);

/* alias_db_suffix - database file suffix of TYPE, "" for none, NULL: not a file type */
const char *alias_db_suffix(const char *type);

/* alias_table_fresh - compare source and database by stat() only */
int alias_table_fresh(const struct alias_table *t, char *why, size_t whylen);

#endif
