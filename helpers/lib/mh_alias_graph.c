// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_graph 3
 * SUMMARY
 *	the alias graph: nodes in a hash table, their targets, include loops
 * DESCRIPTION
 *	Part of alias_check_run() (see mh_alias_check(3)); the types and
 *	the functions shared between its files are in mh_alias_ck.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_ck.h"

/* alias_hash - FNV-1a over kind and name, finalized; *LEN gets strlen */
uint64_t
alias_hash(enum alias_node_kind kind, const char *name, size_t *len)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t) kind;
    const char *p;

    for (p = name; *p != '\0'; p++) {
        h ^= (unsigned char) *p;
        h *= 1099511628211ULL;
    }
    *len = (size_t) (p - name);
    /* FNV's low bits mix poorly and the table uses the low bits: finalize. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* alias_tag - the slot tag of hash H: its high half, never 0 */
uint32_t
alias_tag(uint64_t h)
{
    uint32_t tag = (uint32_t) (h >> 32);

    return tag != 0 ? tag : 1;
}

/*
 * alias_probe - the slot of the node of KIND called NAME, or the empty
 * slot where it belongs.  The table is never full (load <= 1/2).
 */
size_t
alias_probe(const struct alias_ck *ck, enum alias_node_kind kind, const char *name,
            uint64_t h, size_t len)
{
    uint32_t tag = alias_tag(h);
    size_t mask = ck->hcap - 1;
    size_t i;

    for (i = (size_t) h & mask; ck->slots[i].idx1 != 0; i = (i + 1) & mask) {
        const struct alias_node *n;

        if (ck->slots[i].tag != tag) {
            continue;
        }
        n = &ck->nodes[ck->slots[i].idx1 - 1];
        if (n->kind == kind && n->nlen == len && memcmp(n->name, name, len) == 0) {
            break;
        }
    }
    return i;
}

/* alias_lookup - the node of KIND called NAME, or ALIAS_NONE */
size_t
alias_lookup(struct alias_ck *ck, enum alias_node_kind kind, const char *name)
{
    size_t len, i;
    uint64_t h;

    if (ck->hcap == 0) {
        return ALIAS_NONE;
    }
    h = alias_hash(kind, name, &len);
    i = alias_probe(ck, kind, name, h, len);
    return ck->slots[i].idx1 != 0 ? (size_t) ck->slots[i].idx1 - 1 : ALIAS_NONE;
}

/*
 * alias_reserve - room for EXTRA more nodes without growing again
 *
 * The tables are sized once per file from its line count (an upper
 * bound of its entries), so a large file costs one allocation of each
 * array instead of a series of copies and rehashes.
 */
int
alias_reserve(struct alias_ck *ck, size_t extra)
{
    size_t want = ck->nn + extra;
    size_t hcap = ck->hcap ? ck->hcap : 1024;
    struct alias_slot *ns;
    void *nsv;
    size_t nsbytes = 0;

    if (want >= UINT32_MAX / 2) {
        return -ENOMEM;
    }
    if (want > ck->ncap) {
        size_t ncap = ck->ncap ? ck->ncap : 1024;
        void *nv = ck->nodes;

        while (ncap < want) {
            ncap *= 2;
        }
        if (alias_big_resize(&nv, &ck->nodes_bytes, ncap * sizeof(*ck->nodes)) != MH_OK) {
            return -ENOMEM;
        }
        ck->nodes = nv;
        ck->ncap = ck->nodes_bytes / sizeof(*ck->nodes);
    }
    while (want * 2 > hcap) {
        hcap *= 2;
    }
    if (hcap == ck->hcap) {
        return MH_OK;
    }
    nsv = NULL;
    if (alias_big_resize(&nsv, &nsbytes, hcap * sizeof(*ns)) != MH_OK) {
        return -ENOMEM;
    }
    ns = nsv;
    for (size_t k = 0; k < ck->nn; k++) {
        const struct alias_node *n = &ck->nodes[k];
        size_t len;
        uint64_t h = alias_hash((enum alias_node_kind) n->kind, n->name, &len);
        size_t i = (size_t) h & (hcap - 1);

        while (ns[i].idx1 != 0) {
            i = (i + 1) & (hcap - 1);
        }
        ns[i].idx1 = (uint32_t) (k + 1);
        ns[i].tag = alias_tag(h);
    }
    alias_big_free(ck->slots, ck->slots_bytes);
    ck->slots = ns;
    ck->slots_bytes = nsbytes;
    ck->hcap = hcap;
    return MH_OK;
}

/*
 * alias_find_add - the node of KIND called NAME, created when new
 *
 * *CREATED tells which; a new node has FILE and LINE and no targets.
 * Returns ALIAS_NONE only when out of memory.
 */
size_t
alias_find_add(struct alias_ck *ck, enum alias_node_kind kind, const char *name,
               const char *file, size_t line, int *created)
{
    struct alias_node *n;
    size_t i, len;
    uint64_t h;

    *created = 0;
    if (ck->nn + 1 > ck->ncap || (ck->nn + 1) * 2 > ck->hcap) {
        if (alias_reserve(ck, ck->nn + 1) != MH_OK) {
            ck->oom = 1;
            return ALIAS_NONE;
        }
    }
    h = alias_hash(kind, name, &len);
    i = alias_probe(ck, kind, name, h, len);
    if (ck->slots[i].idx1 != 0) {
        return (size_t) ck->slots[i].idx1 - 1;
    }
    n = &ck->nodes[ck->nn];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->name = alias_arena_dup(ck, name, len);
    n->nlen = (uint32_t) len;
    n->file = file;
    n->line = (uint32_t) line;
    n->first = NODE_NONE;
    n->parent = NODE_NONE;
    ck->slots[i].idx1 = (uint32_t) (ck->nn + 1);
    ck->slots[i].tag = alias_tag(h);
    *created = 1;
    return ck->nn++;
}

/* alias_reserve_targets - room for EXTRA more targets */
int
alias_reserve_targets(struct alias_ck *ck, size_t extra)
{
    void *nv = ck->tv;

    if (ck->tn + extra >= NODE_NONE) {
        return -ENOMEM;
    }
    if (alias_big_resize(&nv, &ck->tv_bytes, (ck->tn + extra) * sizeof(*ck->tv)) != MH_OK) {
        return -ENOMEM;
    }
    ck->tv = nv;
    ck->tcap = ck->tv_bytes / sizeof(*ck->tv);
    return MH_OK;
}

/* alias_add_target - remember one destination; 1 if kept, 0 if not */
int
alias_add_target(struct alias_ck *ck, enum alias_kind kind, const char *text, size_t line)
{
    if (kind == ALIAS_T_ADDRESS) {
        /* Nothing looks at an address after parsing: keep nothing. */
        return 0;
    }
    if (ck->tn == ck->tcap && alias_reserve_targets(ck, ck->tcap ? ck->tcap : 4096) != MH_OK) {
        ck->oom = 1;
        return 0;
    }
    ck->tv[ck->tn].kind = (uint32_t) kind;
    if (kind == ALIAS_T_LOCAL && ck->last_local != NULL
               && strcmp(ck->last_local, text) == 0) {
        /* Entries repeat the same few names (root, an owner): share one. */
        ck->tv[ck->tn].text = ck->last_local;
    } else {
        ck->tv[ck->tn].text = alias_arena_dup(ck, text, strlen(text));
        if (kind == ALIAS_T_LOCAL) {
            ck->last_local = ck->tv[ck->tn].text;
        }
    }
    ck->tv[ck->tn].line = (uint32_t) line;
    ck->tn++;
    return 1;
}

/* alias_edge - node that target K of node I leads to, or ALIAS_NONE */
static size_t
alias_edge(struct alias_ck *ck, size_t i, size_t k)
{
    const struct alias_tgt *t = &ck->tv[ck->nodes[i].first + k];
    size_t j;

    if (t->kind == ALIAS_T_INCLUDE) {
        return alias_lookup(ck, NODE_INCLUDE, t->text);
    }
    if (t->kind != ALIAS_T_LOCAL) {
        return ALIAS_NONE;
    }
    j = alias_lookup(ck, NODE_ALIAS, t->text);
    /* "name: name, other" delivers to the mailbox: not a loop. */
    return j == i ? ALIAS_NONE : j;
}

/* alias_parent - the loop walk's parent of node I, or ALIAS_NONE */
static size_t
alias_parent(const struct alias_ck *ck, size_t i)
{
    return ck->nodes[i].parent == NODE_NONE ? ALIAS_NONE : (size_t) ck->nodes[i].parent;
}

/* alias_report_cycle - describe the cycle that closes at node TO */
static int
alias_report_cycle(struct alias_ck *ck, size_t from, size_t to)
{
    char path[900];
    size_t used = 0, cur = from, steps = 0;
    int has_include = ck->nodes[to].kind == NODE_INCLUDE;

    /* Walk back from FROM to TO; only cycles through an include file count. */
    for (cur = from; cur != to && cur != ALIAS_NONE && steps < 1000000; steps++) {
        has_include |= ck->nodes[cur].kind == NODE_INCLUDE;
        cur = alias_parent(ck, cur);
    }
    if (!has_include) {
        return MH_OK;
    }
    used = (size_t) snprintf(path, sizeof(path), "%s%s",
                             ck->nodes[to].kind == NODE_INCLUDE ? ":include:" : "",
                             ck->nodes[to].name);
    for (cur = from, steps = 0; cur != to && cur != ALIAS_NONE && steps < 8
         && used < sizeof(path); steps++) {
        used += (size_t) snprintf(path + used, sizeof(path) - used, " <- %s%s",
                                  ck->nodes[cur].kind == NODE_INCLUDE ? ":include:" : "",
                                  ck->nodes[cur].name);
        cur = alias_parent(ck, cur);
    }
    return alias_report_add(ck->rep, ALIAS_WARNING, ck->nodes[to].kind == NODE_ALIAS
                            ? ck->nodes[to].file : ck->nodes[to].name,
                            ck->nodes[to].kind == NODE_ALIAS ? (size_t) ck->nodes[to].line : 0,
                            "include loop: %s%s", path, cur != to ? " <- ..." : "");
}

/* alias_find_loops - iterative depth-first walk; back edges are loops */
int
alias_find_loops(struct alias_ck *ck)
{
    size_t *stack = NULL;
    size_t sp = 0, reported = 0;
    int rc = MH_OK;

    stack = malloc((ck->nn + 1) * sizeof(*stack));
    if (stack == NULL) {
        return -ENOMEM;
    }
    for (size_t s = 0; s < ck->nn && rc == MH_OK; s++) {
        if (ck->nodes[s].kind != NODE_INCLUDE || ck->nodes[s].color != 0) {
            continue;
        }
        ck->nodes[s].color = 1;
        ck->nodes[s].next_edge = 0;
        ck->nodes[s].parent = NODE_NONE;
        stack[sp++] = s;
        while (sp > 0 && rc == MH_OK) {
            size_t i = stack[sp - 1];
            struct alias_node *n = &ck->nodes[i];
            size_t j;

            if (n->first == NODE_NONE || n->next_edge >= n->ntargets) {
                n->color = 2;
                sp--;
                continue;
            }
            j = alias_edge(ck, i, n->next_edge++);
            if (j == ALIAS_NONE) {
                continue;
            }
            if (ck->nodes[j].color == 1) {
                if (reported++ < 100) {
                    rc = alias_report_cycle(ck, i, j);
                }
            } else if (ck->nodes[j].color == 0) {
                ck->nodes[j].color = 1;
                ck->nodes[j].next_edge = 0;
                ck->nodes[j].parent = (uint32_t) i;
                stack[sp++] = j;
            }
        }
    }
    free(stack);
    return rc;
}
