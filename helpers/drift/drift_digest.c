// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	digest 3
 * SUMMARY
 *	mailha-drift: this node's digest set, and its wire form
 * SYNOPSIS
 *	#include "drift.h"
 *
 *	int drift_collect(struct drift_set *set, const struct drift_opts *opts,
 *	                  char *why, size_t whylen)
 *	int drift_set_encode(const struct drift_set *set, const char *node,
 *	                     char **out, size_t *outlen)
 *	int drift_set_decode(const char *msg, size_t len, struct drift_set *set,
 *	                     char *node, size_t nodelen)
 * DESCRIPTION
 *	drift_collect() reads the configured main.cf parameters and
 *	mail_version through postconf (mh_pfconf), hashes each alias_maps
 *	source file and every file those name with :include: (or takes the
 *	per-file digests from "mailha-aliases -c DIR -v digest" when that
 *	program is installed and answers in its documented form), and
 *	hashes "uid:gid" of every account in the uid range.
 *
 *	The wire form is text: a magic line, "node NAME", then one
 *	"HEXDIGEST<tab>ITEM" line per item.  drift_set_decode() is strict:
 *	the message comes from another node and anything it does not
 *	expect is refused whole.
 * DIAGNOSTICS
 *	0, or a negative code: MH_E_PROTOCOL for a malformed message,
 *	MH_E_TOOLONG over the limits, a code from mh_pfconf, -errno.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_pfconf.h"
#include "mh_rc.h"
#include "mh_safeopen.h"
#include "mh_run.h"
#include "drift.h"

#define DRIFT_MAX_FILE (64 * 1024 * 1024)
#define DRIFT_INCLUDE_DEPTH 4
#define DRIFT_ALIASES_OUT_MAX (64 * 1024 * 1024)   /* mailha-aliases digest output */

/* drift_name_ok - an item name we can put on one wire line */
static int
drift_name_ok(const char *name)
{
    size_t len = strlen(name);

    if (len == 0 || len > DRIFT_MAX_ITEM) {
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *) name; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* drift_hex_ok - 64 lower-case hex digits */
static int
drift_hex_ok(const char *hex, size_t len)
{
    if (len != MH_SHA256_HEXLEN - 1) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char) hex[i]) && !(hex[i] >= 'a' && hex[i] <= 'f')) {
            return 0;
        }
    }
    return 1;
}

/* drift_set_add - append an item with a ready digest */
int
drift_set_add(struct drift_set *set, const char *name, const char *hexdigest)
{
    char *copy;

    if (!drift_name_ok(name) || !drift_hex_ok(hexdigest, strlen(hexdigest))) {
        return MH_E_PARSE;
    }
    if (set->count == set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 32;
        struct drift_item *nv = realloc(set->items, ncap * sizeof(*nv));

        if (nv == NULL) {
            return -ENOMEM;
        }
        set->items = nv;
        set->cap = ncap;
    }
    copy = strdup(name);
    if (copy == NULL) {
        return -ENOMEM;
    }
    set->items[set->count].name = copy;
    memcpy(set->items[set->count].digest, hexdigest, MH_SHA256_HEXLEN);
    set->count++;
    return MH_OK;
}

/* drift_set_add_data - append an item, hashing its data */
int
drift_set_add_data(struct drift_set *set, const char *name, const void *data, size_t len)
{
    char hex[MH_SHA256_HEXLEN];

    mh_sha256_buf_hex(data, len, hex);
    return drift_set_add(set, name, hex);
}

/* drift_item_cmp - qsort order: by name */
static int
drift_item_cmp(const void *a, const void *b)
{
    return strcmp(((const struct drift_item *) a)->name, ((const struct drift_item *) b)->name);
}

/* drift_set_sort - sort by name, keep the first of duplicates */
void
drift_set_sort(struct drift_set *set)
{
    size_t out = 0;

    if (set->count == 0) {
        return;
    }
    qsort(set->items, set->count, sizeof(*set->items), drift_item_cmp);
    for (size_t i = 1; i < set->count; i++) {
        if (strcmp(set->items[i].name, set->items[out].name) == 0) {
            free(set->items[i].name);
            continue;
        }
        set->items[++out] = set->items[i];
    }
    set->count = out + 1;
}

/* drift_set_find - binary search in a sorted set */
const struct drift_item *
drift_set_find(const struct drift_set *set, const char *name)
{
    struct drift_item key = { .name = (char *) name };

    if (set->count == 0) {
        return NULL;
    }
    return bsearch(&key, set->items, set->count, sizeof(*set->items), drift_item_cmp);
}

/* drift_set_equal - same items with the same digests (both sorted) */
int
drift_set_equal(const struct drift_set *a, const struct drift_set *b)
{
    if (a->count != b->count) {
        return 0;
    }
    for (size_t i = 0; i < a->count; i++) {
        if (strcmp(a->items[i].name, b->items[i].name) != 0
            || strcmp(a->items[i].digest, b->items[i].digest) != 0) {
            return 0;
        }
    }
    return 1;
}

/* drift_set_free - release the items */
void
drift_set_free(struct drift_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].name);
    }
    free(set->items);
    memset(set, 0, sizeof(*set));
}

/* drift_node_ok - a node name: letters, digits, dot, dash, underscore */
static int
drift_node_ok(const char *node, size_t len)
{
    if (len == 0 || len > DRIFT_MAX_NODE) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) node[i];

        if (!isalnum(c) && c != '.' && c != '-' && c != '_') {
            return 0;
        }
    }
    return 1;
}

/* drift_set_encode - the wire form of a set */
int
drift_set_encode(const struct drift_set *set, const char *node, char **out, size_t *outlen)
{
    size_t need, len = 0;
    char *buf;

    if (!drift_node_ok(node, strlen(node))) {
        return MH_E_CONFIG;
    }
    need = sizeof(DRIFT_MSG_MAGIC) + 6 + strlen(node) + 1;
    for (size_t i = 0; i < set->count; i++) {
        need += MH_SHA256_HEXLEN + strlen(set->items[i].name) + 1;
    }
    if (need > DRIFT_MAX_MSG) {
        return MH_E_TOOLONG;
    }
    buf = malloc(need + 1);
    if (buf == NULL) {
        return -ENOMEM;
    }
    len += (size_t) sprintf(buf, "%s\nnode %s\n", DRIFT_MSG_MAGIC, node);
    for (size_t i = 0; i < set->count; i++) {
        len += (size_t) sprintf(buf + len, "%s\t%s\n", set->items[i].digest, set->items[i].name);
    }
    *out = buf;
    *outlen = len;
    return MH_OK;
}

/* drift_set_decode - parse a peer's message; all or nothing */
int
drift_set_decode(const char *msg, size_t len, struct drift_set *set, char *node, size_t nodelen)
{
    const char *p = msg, *end = msg + len, *nl;
    size_t mlen = strlen(DRIFT_MSG_MAGIC);
    char name[DRIFT_MAX_ITEM + 1];
    char hex[MH_SHA256_HEXLEN];
    int rc = MH_OK;

    memset(set, 0, sizeof(*set));
    if (len > DRIFT_MAX_MSG) {
        return MH_E_TOOLONG;
    }
    if (len == 0 || memchr(msg, '\0', len) != NULL || msg[len - 1] != '\n') {
        return MH_E_PROTOCOL;
    }
    if (len < mlen + 1 || memcmp(p, DRIFT_MSG_MAGIC, mlen) != 0 || p[mlen] != '\n') {
        return MH_E_PROTOCOL;
    }
    p += mlen + 1;
    nl = memchr(p, '\n', (size_t) (end - p));
    if (nl == NULL || nl - p < 6 || memcmp(p, "node ", 5) != 0
        || !drift_node_ok(p + 5, (size_t) (nl - p - 5)) || (size_t) (nl - p - 5) >= nodelen) {
        return MH_E_PROTOCOL;
    }
    memcpy(node, p + 5, (size_t) (nl - p - 5));
    node[nl - p - 5] = '\0';
    for (p = nl + 1; p < end; p = nl + 1) {
        const char *tab;
        size_t nlen;

        nl = memchr(p, '\n', (size_t) (end - p));
        tab = memchr(p, '\t', (size_t) (nl - p));
        if (tab == NULL || !drift_hex_ok(p, (size_t) (tab - p))) {
            rc = MH_E_PROTOCOL;
            break;
        }
        nlen = (size_t) (nl - tab - 1);
        if (nlen == 0 || nlen > DRIFT_MAX_ITEM) {
            rc = MH_E_PROTOCOL;
            break;
        }
        memcpy(hex, p, MH_SHA256_HEXLEN - 1);
        hex[MH_SHA256_HEXLEN - 1] = '\0';
        memcpy(name, tab + 1, nlen);
        name[nlen] = '\0';
        rc = drift_set_add(set, name, hex);
        if (rc != MH_OK) {
            rc = rc == MH_E_PARSE ? MH_E_PROTOCOL : rc;
            break;
        }
    }
    if (rc != MH_OK) {
        drift_set_free(set);
        return rc;
    }
    drift_set_sort(set);
    return MH_OK;
}

/* drift_read_file - whole file into memory; -ENOENT when absent */
static int
drift_read_file(const char *path, char **out, size_t *outlen)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0;
    int fd, rc = MH_OK;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) != 0) {
        rc = -errno;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = MH_E_UNSAFE;
        goto done;
    }
    if (st.st_size > DRIFT_MAX_FILE) {
        rc = MH_E_TOOLONG;
        goto done;
    }
    buf = malloc((size_t) st.st_size + 1);
    if (buf == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    while (len < (size_t) st.st_size) {
        ssize_t got = read(fd, buf + len, (size_t) st.st_size - len);

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            rc = -errno;
            goto done;
        }
        if (got == 0) {
            break;
        }
        len += (size_t) got;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    buf = NULL;

  done:
    free(buf);
    close(fd);
    return rc;
}

/* drift_alias_sources - the source files named by an alias_maps value */
int
drift_alias_sources(const char *alias_maps, char ***paths, size_t *npaths)
{
    static const char *const file_types[] = {
        "hash", "btree", "dbm", "sdbm", "lmdb", "cdb", "texthash", "regexp", "pcre", "cidr",
    };
    char *copy = strdup(alias_maps), *save = NULL, *tok;
    char **v = NULL;
    size_t n = 0;
    int rc = MH_OK;

    *paths = NULL;
    *npaths = 0;
    if (copy == NULL) {
        return -ENOMEM;
    }
    for (tok = strtok_r(copy, ", \t\n", &save); tok != NULL; tok = strtok_r(NULL, ", \t\n", &save)) {
        char *colon, **nv;
        int known = 0;

        while (strncmp(tok, "proxy:", 6) == 0) {
            tok += 6;
        }
        colon = strchr(tok, ':');
        if (colon == NULL || colon[1] != '/') {
            continue;
        }
        for (size_t i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++) {
            if ((size_t) (colon - tok) == strlen(file_types[i])
                && strncmp(tok, file_types[i], strlen(file_types[i])) == 0) {
                known = 1;
            }
        }
        if (!known) {
            continue;
        }
        for (size_t i = 0; i < n && known; i++) {
            if (strcmp(v[i], colon + 1) == 0) {
                known = 0;
            }
        }
        if (!known) {
            continue;
        }
        nv = realloc(v, (n + 1) * sizeof(*v));
        if (nv == NULL) {
            rc = -ENOMEM;
            break;
        }
        v = nv;
        v[n] = strdup(colon + 1);
        if (v[n] == NULL) {
            rc = -ENOMEM;
            break;
        }
        n++;
    }
    free(copy);
    if (rc != MH_OK) {
        for (size_t i = 0; i < n; i++) {
            free(v[i]);
        }
        free(v);
        return rc;
    }
    *paths = v;
    *npaths = n;
    return MH_OK;
}

/* drift_add_file - one file's item; a missing file has its own digest */
static int
drift_add_file(struct drift_set *set, const char *prefix, const char *path, int depth);

/* drift_add_includes - items for the :include: files a file names */
static int
drift_add_includes(struct drift_set *set, const char *text, int depth)
{
    const char *p = text;
    int rc = MH_OK;

    while (rc == MH_OK && (p = strstr(p, ":include:")) != NULL) {
        const char *start = p + 9, *stop;
        const char *bol = p;
        char path[DRIFT_MAX_ITEM];

        /* a commented-out line names nothing */
        while (bol > text && bol[-1] != '\n') {
            bol--;
        }
        while (*bol == ' ' || *bol == '\t') {
            bol++;
        }
        p = start;
        if (*bol == '#') {
            continue;
        }
        stop = start;
        while (*stop != '\0' && *stop != ',' && *stop != '"' && !isspace((unsigned char) *stop)) {
            stop++;
        }
        if (*start != '/' || (size_t) (stop - start) >= sizeof(path)) {
            continue;
        }
        memcpy(path, start, (size_t) (stop - start));
        path[stop - start] = '\0';
        rc = drift_add_file(set, "include:", path, depth + 1);
    }
    return rc;
}

static int
drift_add_file(struct drift_set *set, const char *prefix, const char *path, int depth)
{
    char item[DRIFT_MAX_ITEM + 1];
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (snprintf(item, sizeof(item), "%s%s", prefix, path) >= (int) sizeof(item)) {
        return MH_OK;
    }
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->items[i].name, item) == 0) {
            return MH_OK;
        }
    }
    rc = drift_read_file(path, &text, &len);
    if (rc != MH_OK) {
        char what[64];

        /* absent, unreadable or not a file: a digest of why, so a node
         * that has the file and one that has not differ */
        snprintf(what, sizeof(what), "\001unreadable: %s", mh_rc_str(rc));
        return drift_set_add_data(set, item, what, strlen(what));
    }
    rc = drift_set_add_data(set, item, text, len);
    if (rc == MH_OK && depth < DRIFT_INCLUDE_DEPTH) {
        rc = drift_add_includes(set, text, depth);
    }
    free(text);
    return rc;
}

/* drift_add_alias_file - an alias source and the files it includes */
int
drift_add_alias_file(struct drift_set *set, const char *path)
{
    return drift_add_file(set, "alias_file:", path, 0);
}

/* drift_add_account - "account:NAME" = digest of "uid:gid" */
static int
drift_add_account(struct drift_set *set, const char *name, uid_t uid, gid_t gid)
{
    char item[DRIFT_MAX_ITEM + 1];
    char val[64];

    if (snprintf(item, sizeof(item), "account:%s", name) >= (int) sizeof(item)) {
        return MH_OK;
    }
    snprintf(val, sizeof(val), "%lu:%lu", (unsigned long) uid, (unsigned long) gid);
    return drift_set_add_data(set, item, val, strlen(val));
}

/* drift_add_accounts - every account with UID_MIN <= uid <= UID_MAX */
int
drift_add_accounts(struct drift_set *set, const char *passwd_file,
                   uid_t uid_min, uid_t uid_max, char *why, size_t whylen)
{
    struct passwd *pw;
    FILE *fp = NULL;
    int rc = MH_OK;

    if (passwd_file != NULL) {
        fp = mh_fopen_file(passwd_file, &rc, why, whylen);
        if (fp == NULL) {
            return rc;
        }
    } else {
        setpwent();
    }
    for (;;) {
        errno = 0;
        pw = fp != NULL ? fgetpwent(fp) : getpwent();
        if (pw == NULL) {
            break;
        }
        if (pw->pw_uid < uid_min || pw->pw_uid > uid_max) {
            continue;
        }
        rc = drift_add_account(set, pw->pw_name, pw->pw_uid, pw->pw_gid);
        if (rc != MH_OK) {
            break;
        }
    }
    if (fp != NULL) {
        fclose(fp);
    } else {
        endpwent();
    }
    return rc;
}

/* drift_login_defs - UID_MIN and UID_MAX from login.defs(5), if set */
int
drift_login_defs(const char *path, uid_t *uid_min, uid_t *uid_max)
{
    char line[256], why[256];
    int rc = MH_OK;
    FILE *fp = mh_fopen_file(path, &rc, why, sizeof(why));

    if (fp == NULL) {
        return rc;
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        char key[32];
        unsigned long val;

        if (sscanf(line, " %31s %lu", key, &val) != 2) {
            continue;
        }
        if (strcmp(key, "UID_MIN") == 0) {
            *uid_min = (uid_t) val;
        } else if (strcmp(key, "UID_MAX") == 0) {
            *uid_max = (uid_t) val;
        }
    }
    fclose(fp);
    return MH_OK;
}

/* drift_is_source - PATH one of the alias_maps source files? */
static int
drift_is_source(const char *path, char *const *sources, size_t nsources)
{
    for (size_t i = 0; i < nsources; i++) {
        if (strcmp(sources[i], path) == 0) {
            return 1;
        }
    }
    return 0;
}

/* drift_aliases_line - one "HEX PATH" (or "missing PATH") line */
static int
drift_aliases_line(struct drift_set *got, char *line, char *const *sources, size_t nsources)
{
    char item[DRIFT_MAX_ITEM + 1];
    char *sp = strchr(line, ' ');

    if (sp == NULL || sp[1] != '/') {
        return MH_E_PARSE;
    }
    *sp = '\0';
    if (snprintf(item, sizeof(item), "%s%s", drift_is_source(sp + 1, sources, nsources)
                 ? "alias_file:" : "include:", sp + 1) >= (int) sizeof(item)) {
        return MH_OK;
    }
    if (strcmp(line, "missing") == 0) {
        const char *what = "\001unreadable: missing";

        return drift_set_add_data(got, item, what, strlen(what));
    }
    return drift_set_add(got, item, line);
}

/*
 * drift_aliases_prog - alias digests from "mailha-aliases -c DIR -v digest",
 * which prints "sha256:TOTAL" then one "HEX PATH" line per source and
 * include file (plain SHA-256 of the content, as here; "missing" for a
 * file it cannot read).  Items get the same names as the built-in module
 * (alias_file: for the alias_maps sources, include: for the rest), so
 * nodes with and without the program compare alike.  MH_OK if it
 * answered in that form; anything else and the caller falls back.
 */
static int
drift_aliases_prog(struct drift_set *set, const char *prog, const char *config_dir,
                   int timeout_ms, char *const *sources, size_t nsources)
{
    const char *argv[] = { prog, "-c", config_dir != NULL ? config_dir : "/etc/postfix",
        "-v", "digest", NULL };
    struct mh_run_opts opts = { .out = MH_RUN_CAPTURE, .err = MH_RUN_NULL,
        .max_out = DRIFT_ALIASES_OUT_MAX,
        .timeout_ms = timeout_ms > 0 ? timeout_ms : DRIFT_ALIASES_TIMEOUT_MS };
    struct mh_run_result res;
    struct drift_set got = { 0 };
    char line[DRIFT_MAX_ITEM + 128];
    char why[256];
    int rc = MH_OK, first = 1;

    if (prog == NULL || access(prog, X_OK) != 0) {
        return MH_E_NOTFOUND;
    }
    rc = mh_run(argv, &opts, &res, why, sizeof(why));
    if (rc != MH_OK) {
        return rc;
    }
    /* Lines as fgets() into line[] would give them: a longer one in pieces. */
    for (size_t at = 0; at < res.outlen;) {
        size_t take = 0;

        while (at + take < res.outlen && take < sizeof(line) - 1) {
            if (res.out[at + take++] == '\n') {
                break;
            }
        }
        memcpy(line, res.out + at, take);
        line[take] = '\0';
        at += take;
        line[strcspn(line, "\n")] = '\0';
        if (rc != MH_OK) {
            continue;
        }
        if (first) {
            rc = strncmp(line, "sha256:", 7) == 0 ? MH_OK : MH_E_PARSE;
            first = 0;
            continue;
        }
        rc = drift_aliases_line(&got, line, sources, nsources);
        rc = rc == MH_OK ? MH_OK : MH_E_PARSE;
    }
    if (rc == MH_OK && (first || res.status != 0)) {
        rc = MH_E_CHILD;
    }
    mh_run_free(&res);
    for (size_t i = 0; rc == MH_OK && i < got.count; i++) {
        rc = drift_set_add(set, got.items[i].name, got.items[i].digest);
    }
    drift_set_free(&got);
    return rc;
}

/* drift_or_empty - NULL as "" */
static const char *
drift_or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* drift_collect - this node's whole digest set, sorted */
int
drift_collect(struct drift_set *set, const struct drift_opts *opts, char *why, size_t whylen)
{
    struct mh_pfconf conf;
    const char **names;
    char item[DRIFT_MAX_ITEM + 1];
    char **paths = NULL;
    size_t n = 0, npaths = 0;
    char *alias_maps = NULL;
    int rc;

    memset(set, 0, sizeof(*set));
    names = calloc(opts->nparams + 3, sizeof(*names));
    if (names == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < opts->nparams; i++) {
        names[n++] = opts->params[i];
    }
    names[n++] = "mail_version";
    names[n++] = "alias_maps";
    names[n++] = "alias_database";
    rc = mh_pfconf_read(&conf, opts->config_dir, names, n);
    free(names);
    if (rc != MH_OK) {
        snprintf(why, whylen, "read Postfix parameters: %s",
                 conf.errbuf[0] != '\0' ? conf.errbuf : mh_rc_str(rc));
        return rc;
    }
    for (size_t i = 0; rc == MH_OK && i < opts->nparams; i++) {
        const char *v = mh_pfconf_get(&conf, opts->params[i]);

        snprintf(item, sizeof(item), "main.cf:%s", opts->params[i]);
        /* an unknown parameter has no line: hash that fact */
        rc = v != NULL ? drift_set_add_data(set, item, v, strlen(v))
            : drift_set_add_data(set, item, "\001unset", 6);
    }
    if (rc == MH_OK && mh_pfconf_get(&conf, "mail_version") != NULL) {
        const char *v = mh_pfconf_get(&conf, "mail_version");

        rc = drift_set_add_data(set, "mail_version", v, strlen(v));
    }
    /* the tables local(8) reads and the ones newaliases builds */
    if (rc == MH_OK && asprintf(&alias_maps, "%s, %s", drift_or_empty(mh_pfconf_get(&conf, "alias_maps")),
                                drift_or_empty(mh_pfconf_get(&conf, "alias_database"))) < 0) {
        alias_maps = NULL;
        rc = -ENOMEM;
    }
    if (rc == MH_OK) {
        rc = drift_alias_sources(alias_maps, &paths, &npaths);
    }
    free(alias_maps);
    if (rc == MH_OK && drift_aliases_prog(set, opts->aliases_prog, opts->config_dir,
                                          opts->aliases_timeout_ms, paths, npaths) != MH_OK) {
        for (size_t i = 0; rc == MH_OK && i < npaths; i++) {
            rc = drift_add_alias_file(set, paths[i]);
        }
    }
    for (size_t i = 0; i < npaths; i++) {
        free(paths[i]);
    }
    free(paths);
    mh_pfconf_free(&conf);
    if (rc == MH_OK) {
        rc = drift_add_accounts(set, opts->passwd_file, opts->uid_min, opts->uid_max, why, whylen);
    } else {
        snprintf(why, whylen, "collect digests: %s", mh_rc_str(rc));
    }
    if (rc != MH_OK) {
        drift_set_free(set);
        return rc;
    }
    drift_set_sort(set);
    return MH_OK;
}
