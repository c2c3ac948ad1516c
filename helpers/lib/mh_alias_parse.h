// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_parse 3h
 * SUMMARY
 *	Postfix aliases(5) and :include: file parser
 * DESCRIPTION
 *	The parser works on a buffer in memory and knows nothing of
 *	files, tables or Postfix's configuration: it hands every entry
 *	and every diagnostic to the caller's callbacks.  It never
 *	crashes, never loops and never reads past the buffer, whatever
 *	the input (NUL bytes, lines of any length, unbalanced quotes).
 *
 *	An entry's pointers are valid only during the callback.
 */
#ifndef MH_ALIAS_PARSE_H
#define MH_ALIAS_PARSE_H

#include <stddef.h>

/* A logical line longer than this is an error (the entry is skipped). */
#define ALIAS_MAX_LOGICAL_LINE (1024 * 1024)

enum alias_kind {
    ALIAS_T_LOCAL,      /* a local name: an alias or an account */
    ALIAS_T_ADDRESS,    /* user@domain */
    ALIAS_T_COMMAND,    /* |command */
    ALIAS_T_FILE,       /* /file/name */
    ALIAS_T_INCLUDE,    /* :include:/file/name (text is the path) */
};

enum alias_severity {
    ALIAS_NOTE,
    ALIAS_WARNING,
    ALIAS_ERROR,        /* postalias would drop or mangle the entry */
};

struct alias_target {
    enum alias_kind kind;
    const char *text;   /* unquoted; local names folded to lower case */
};

struct alias_entry {
    const char *name;   /* unquoted, folded to lower case */
    size_t line;        /* first physical line of the entry */
    const struct alias_target *targets;
    size_t ntargets;
};

struct alias_parse_cb {
    /* entry - one well-formed alias entry */
    void (*entry)(void *ctx, const struct alias_entry *entry);
    /* target - one destination of an :include: file */
    void (*target)(void *ctx, size_t line, const struct alias_target *target);
    /* diag - a problem at LINE */
    void (*diag)(void *ctx, enum alias_severity sev, size_t line, const char *msg);
    void *ctx;
};

/* alias_parse_buf - parse an aliases(5) file held in BUF; 0 or -ENOMEM */
int alias_parse_buf(const char *buf, size_t len, const struct alias_parse_cb *cb);

/* A parser fed an aliases(5) file in pieces of whole lines (for large
 * files read in chunks); alias_parse_buf() is new + one feed + finish. */
struct alias_parser;

/* alias_parser_new - NULL when out of memory */
struct alias_parser *alias_parser_new(const struct alias_parse_cb *cb);

/* alias_parser_feed - whole physical lines (the last piece may lack its newline) */
int alias_parser_feed(struct alias_parser *ap, const char *buf, size_t len);

/* alias_parser_finish - end of file: the last entry; frees AP; 0 or -ENOMEM */
int alias_parser_finish(struct alias_parser *ap);

/* alias_parse_include_buf - parse an :include: file held in BUF */
int alias_parse_include_buf(const char *buf, size_t len, const struct alias_parse_cb *cb);

/* alias_parse_set_fast - fast paths on (default) or off, for tests; returns the old value */
int alias_parse_set_fast(int on);

/* alias_kind_str - "local", "address", "command", "file", "include" */
const char *alias_kind_str(enum alias_kind kind);

/* alias_severity_str - "note", "warning", "error" */
const char *alias_severity_str(enum alias_severity sev);

#endif
