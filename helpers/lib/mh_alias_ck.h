// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_ck 3h
 * SUMMARY
 *	the alias checker's own types and the functions its files share
 * DESCRIPTION
 *	Not an interface: only the mh_alias_*.c files of the check
 *	(see mh_alias_check(3)) include it.
 */
#ifndef MH_ALIAS_CK_H
#define MH_ALIAS_CK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "mh_alias_check.h"
#include "mh_alias_priv.h"

enum alias_node_kind {
    NODE_ALIAS,
    NODE_INCLUDE,
    NODE_ACCOUNT,       /* cache of getpwnam() answers */
};

/*
 * The arrays below are touched once per entry and page faults (the
 * kernel zeroing fresh pages) were a quarter of the check's time, so
 * they are kept small: 32-bit indexes and line numbers (files are at
 * most ALIAS_MAX_FILE_SIZE bytes; counts are bounded in the reserve
 * functions), no stored hash (recomputed on the one rehash per file),
 * and no record at all for address targets, which nothing looks at
 * after parsing.
 */
struct alias_tgt {
    const char *text;
    uint32_t kind;          /* enum alias_kind; never ALIAS_T_ADDRESS */
    uint32_t line;
};

#define NODE_NONE UINT32_MAX

struct alias_node {
    const char *name;       /* alias name, include path, account name */
    const char *file;       /* where defined (alias) or first referenced (include) */
    uint32_t nlen;          /* strlen(name) */
    uint32_t line;
    uint32_t first;         /* first target in ck->tv, or NODE_NONE */
    uint32_t ntargets;      /* targets kept (addresses are not) */
    uint32_t next_edge;     /* loop walk: next target to follow */
    uint32_t parent;        /* loop walk: node we came from, or NODE_NONE */
    uid_t uid;              /* include files: the rights local(8) reads it with */
    unsigned char kind;     /* enum alias_node_kind */
    unsigned char hidden;   /* include: not world-readable, its content never quoted */
    unsigned char depth;    /* include nesting depth (<= ALIAS_MAX_INCLUDE_DEPTH) */
    unsigned char exists;   /* account: getpwnam() found it */
    unsigned char color;    /* loop walk: 0 white, 1 on stack, 2 done */
};

/* One hash slot: node index + 1 (0: empty) and 32 more bits of its hash. */
struct alias_slot {
    uint32_t idx1;
    uint32_t tag;
};

struct alias_arena {
    char *chunk;
    size_t used;
    size_t size;
    char **chunks;          /* mappings of alias_big_resize() */
    size_t *sizes;
    size_t nchunks;
};

struct alias_ck {
    const struct alias_config *cfg;
    struct alias_report *rep;
    int flags;
    struct alias_arena arena;
    struct alias_node *nodes;
    size_t nn;
    size_t ncap;
    size_t nodes_bytes;
    struct alias_slot *slots;   /* open addressing, linear probing */
    size_t slots_bytes;
    size_t hcap;                /* a power of two, at least twice nn */
    const char *memo_name;  /* last local target found to exist */
    const char *last_local; /* last local target copied into the arena */
    struct alias_tgt *tv;
    size_t tv_bytes;
    size_t tn;
    size_t tcap;
    const char *cur_file;   /* file being parsed */
    size_t cur_node;        /* include node being parsed */
    uid_t cur_uid;          /* delivery user of the table being parsed */
    int oom;
    /* The entry whose hash-table insert waits for its slot to be fetched. */
    int pending;
    const char *p_name;     /* arena copy */
    size_t p_len;
    uint64_t p_hash;
    size_t p_line;
    size_t p_first;         /* its targets: ck->tv[p_first .. tn) */
    /* Include files read so far, by device and inode: node index + 1 */
    struct alias_inode *inodes;
    size_t icap;                /* a power of two, or 0 */
    size_t ni;
    uint64_t include_bytes;     /* read from include files in this run */
};

struct alias_inode {
    dev_t dev;
    ino_t ino;
    size_t node1;               /* 0: free slot */
};

#define ALIAS_NONE ((size_t) -1)

int alias_big_resize(void **p, size_t *bytes, size_t need);
void alias_big_free(void *p, size_t bytes);
const char *alias_arena_dup(struct alias_ck *ck, const char *s, size_t n);
void alias_arena_free(struct alias_arena *a);
int alias_open_regular(const char *path, size_t max, struct stat *st, char *why, size_t whylen);
ssize_t alias_read_some(int fd, const char *path, char *buf, size_t want, char *why, size_t whylen);
uint64_t alias_hash(enum alias_node_kind kind, const char *name, size_t *len);
uint32_t alias_tag(uint64_t h);
size_t alias_probe(const struct alias_ck *ck, enum alias_node_kind kind, const char *name,
                    uint64_t h, size_t len);
size_t alias_lookup(struct alias_ck *ck, enum alias_node_kind kind, const char *name);
int alias_reserve(struct alias_ck *ck, size_t extra);
size_t alias_find_add(struct alias_ck *ck, enum alias_node_kind kind, const char *name,
                      const char *file, size_t line, int *created);
int alias_reserve_targets(struct alias_ck *ck, size_t extra);
int alias_add_target(struct alias_ck *ck, enum alias_kind kind, const char *text, size_t line);
int alias_find_loops(struct alias_ck *ck);
void alias_cb_diag(void *ctx, enum alias_severity sev, size_t line, const char *msg);
void alias_cb_target(void *ctx, size_t line, const struct alias_target *t);
size_t alias_count_lines(const char *buf, size_t len);
int alias_check_table(struct alias_ck *ck, const struct alias_table *t);
int alias_read_include(struct alias_ck *ck, size_t idx);
int alias_collect_includes(struct alias_ck *ck);
int alias_list_includes(struct alias_ck *ck);
int alias_check_access(struct alias_ck *ck);
int alias_check_targets(struct alias_ck *ck);
int alias_check_lists(struct alias_ck *ck);

#endif
