// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	drift 3h
 * SUMMARY
 *	mailha-drift internals: digest sets, comparison, the CPG client
 * DESCRIPTION
 *	A digest set is this node's view of the things that must be the
 *	same on every node of a mail cluster, one SHA-256 per item, sorted
 *	by item name.  Item names say what the item is:
 *
 *	    main.cf:NAME       a Postfix parameter (postconf -x value)
 *	    mail_version       the Postfix version
 *	    alias_file:PATH    an alias_maps source file
 *	    include:PATH       a file named by :include: in an alias source
 *	    account:NAME       a mail account's uid and gid
 *
 *	Sets travel between nodes as text (drift_set_encode), are compared
 *	item by item (drift_compare), and the findings name the item and
 *	the node.
 */
#ifndef MH_DRIFT_H
#define MH_DRIFT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mh_sha256.h"

#define DRIFT_MSG_MAGIC "mailha-drift 1"
#define DRIFT_MAX_ITEM 512          /* longest item name */
#define DRIFT_MAX_NODE 64           /* longest node name */
#define DRIFT_MAX_MSG (1024 * 1024) /* largest message we send or accept */

struct drift_item {
    char *name;
    char digest[MH_SHA256_HEXLEN];
};

struct drift_set {
    struct drift_item *items;
    size_t count;
    size_t cap;
};

/* What to collect; see mailha-drift(8) for the defaults. */
struct drift_opts {
    const char *config_dir;         /* Postfix config dir; NULL = default */
    const char *const *params;      /* main.cf parameters to compare */
    size_t nparams;
    uid_t uid_min;                  /* mail accounts: uid range */
    uid_t uid_max;
    const char *passwd_file;        /* NULL = getpwent() (NSS) */
    const char *aliases_prog;       /* mailha-aliases, if installed */
    int aliases_timeout_ms;         /* its time limit; 0: DRIFT_ALIASES_TIMEOUT_MS */
};

/* mailha-aliases digest answers in well under a second on a large alias
 * tree; one that has not answered in this long is hung (the built-in
 * module then runs instead). */
#define DRIFT_ALIASES_TIMEOUT_MS 30000

enum drift_kind {
    DRIFT_DIFFERS = 0,              /* both have it, digests differ */
    DRIFT_MISSING_HERE,             /* the peer has it, we do not */
    DRIFT_MISSING_THERE,            /* we have it, the peer does not */
};

struct drift_finding {
    char *item;
    char *node;                     /* the peer it differs from */
    enum drift_kind kind;
};

struct drift_findings {
    struct drift_finding *v;
    size_t count;
    size_t cap;
};

/* drift_digest.c */
int drift_set_add(struct drift_set *set, const char *name, const char *hexdigest);
int drift_set_add_data(struct drift_set *set, const char *name, const void *data, size_t len);
void drift_set_sort(struct drift_set *set);
const struct drift_item *drift_set_find(const struct drift_set *set, const char *name);
int drift_set_equal(const struct drift_set *a, const struct drift_set *b);
void drift_set_free(struct drift_set *set);
int drift_set_encode(const struct drift_set *set, const char *node, char **out, size_t *outlen);
int drift_set_decode(const char *msg, size_t len, struct drift_set *set,
                     char *node, size_t nodelen);
int drift_alias_sources(const char *alias_maps, char ***paths, size_t *npaths);
int drift_add_alias_file(struct drift_set *set, const char *path);
int drift_add_accounts(struct drift_set *set, const char *passwd_file,
                       uid_t uid_min, uid_t uid_max, char *why, size_t whylen);
int drift_collect(struct drift_set *set, const struct drift_opts *opts,
                  char *why, size_t whylen);
int drift_login_defs(const char *path, uid_t *uid_min, uid_t *uid_max);

/* drift_compare.c */
int drift_compare(const struct drift_set *mine, const struct drift_set *peer,
                  const char *peer_node, struct drift_findings *out);
size_t drift_findings_items(const struct drift_findings *f);
const char *drift_kind_str(enum drift_kind kind);
void drift_findings_free(struct drift_findings *f);

#endif
