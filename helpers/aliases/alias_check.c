// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_check 3
 * SUMMARY
 *	check alias tables, mailing lists and :include: files
 * SYNOPSIS
 *	#include "alias_check.h"
 *
 *	int alias_check_run(const struct alias_config *cfg, int flags,
 *	                    struct alias_report *rep)
 * DESCRIPTION
 *	The tables are read in alias_maps order, as lookups use them:
 *	for a name defined twice the first definition wins (postalias
 *	keeps the first of a file; the first table answers a lookup).
 *
 *	Include files are read at delivery time by local(8) (see
 *	deliver_include() in Postfix's src/local/include.c), so they
 *	need no database rebuild when they change; they are checked the
 *	way local(8) treats them: a missing or non-regular file, or one
 *	with world write permission, makes it bounce the mail.  local(8)
 *	opens them with the delivery rights of the alias: the owner of
 *	the alias database, or default_privs when root owns it.  The
 *	readability test therefore opens each include file in a child
 *	process running as that user, one child per user.
 *
 *	Include loops are cycles in the graph alias -> include file ->
 *	listed alias -> ...; the walk is iterative, so no input depth
 *	can exhaust the stack.  Nesting of include files is followed up
 *	to ALIAS_MAX_INCLUDE_DEPTH.
 * DIAGNOSTICS
 *	Problems are findings in the report; the function fails only
 *	for lack of memory.
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
#include "alias_check.h"

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

/*
 * alias_big_resize - grow a large zeroed array mapped on its own
 *
 * The node, slot and target arrays of a 100k-entry table are tens of
 * megabytes that are all touched once: with 4 KiB pages that is
 * thousands of page faults, which cost more than the parsing.  These
 * arrays are mapped separately with transparent huge pages requested
 * (a hint; the kernel may ignore it).  *P (of *BYTES bytes, or NULL)
 * becomes a mapping of at least NEED bytes holding the old contents.
 */
static int
alias_big_resize(void **p, size_t *bytes, size_t need)
{
    const size_t huge = 2 * 1024 * 1024;
    size_t size = need <= huge ? (need + 4095) & ~(size_t) 4095 : (need + huge - 1) & ~(huge - 1);
    void *np;

    if (need <= *bytes) {
        return MH_OK;
    }
    if (size >= huge) {
        /* Huge pages only back 2 MiB-aligned ranges: map more, trim to alignment. */
        char *raw = mmap(NULL, size + huge, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        size_t head;

        if (raw == MAP_FAILED) {
            return -ENOMEM;
        }
        head = (huge - ((uintptr_t) raw & (huge - 1))) & (huge - 1);
        if (head > 0) {
            munmap(raw, head);
        }
        if (huge - head > 0) {
            munmap(raw + head + size, huge - head);
        }
        np = raw + head;
        (void) madvise(np, size, MADV_HUGEPAGE);
    } else {
        np = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (np == MAP_FAILED) {
            return -ENOMEM;
        }
    }
    if (*p != NULL) {
        memcpy(np, *p, *bytes);
        munmap(*p, *bytes);
    }
    *p = np;
    *bytes = size;
    return MH_OK;
}

/* alias_big_free - unmap an array of alias_big_resize() */
static void
alias_big_free(void *p, size_t bytes)
{
    if (p != NULL) {
        munmap(p, bytes);
    }
}

/* alias_arena_dup - copy N bytes of S into the arena, terminated */
static const char *
alias_arena_dup(struct alias_ck *ck, const char *s, size_t n)
{
    struct alias_arena *a = &ck->arena;
    char *p;

    if (a->chunk == NULL || a->size - a->used < n + 1) {
        /* 2 MiB chunks: one huge-page fault each instead of 512. */
        size_t sz = n + 1 > 2 * 1024 * 1024 ? n + 1 : 2 * 1024 * 1024;
        char **nc = realloc(a->chunks, (a->nchunks + 1) * sizeof(*nc));
        size_t *ns;
        void *m = NULL;
        size_t mbytes = 0;

        if (nc == NULL) {
            ck->oom = 1;
            return "";
        }
        a->chunks = nc;
        ns = realloc(a->sizes, (a->nchunks + 1) * sizeof(*ns));
        if (ns == NULL) {
            ck->oom = 1;
            return "";
        }
        a->sizes = ns;
        if (alias_big_resize(&m, &mbytes, sz) != MH_OK) {
            ck->oom = 1;
            return "";
        }
        a->chunk = m;
        a->chunks[a->nchunks] = a->chunk;
        a->sizes[a->nchunks++] = mbytes;
        a->size = mbytes;
        a->used = 0;
    }
    p = a->chunk + a->used;
    memcpy(p, s, n);
    p[n] = '\0';
    a->used += n + 1;
    return p;
}

/* alias_arena_free - release every chunk */
static void
alias_arena_free(struct alias_arena *a)
{
    for (size_t i = 0; i < a->nchunks; i++) {
        alias_big_free(a->chunks[i], a->sizes[i]);
    }
    free(a->chunks);
    free(a->sizes);
    memset(a, 0, sizeof(*a));
}

/* alias_report_add - record one finding */
int
alias_report_add(struct alias_report *rep, enum alias_severity sev, const char *file,
                 size_t line, const char *fmt, ...)
{
    struct alias_finding *f;
    char msg[1024];
    va_list ap;

    if (rep->n == rep->cap) {
        size_t ncap = rep->cap ? rep->cap * 2 : 32;
        struct alias_finding *nv = realloc(rep->v, ncap * sizeof(*nv));

        if (nv == NULL) {
            return -ENOMEM;
        }
        rep->v = nv;
        rep->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    f = &rep->v[rep->n];
    f->sev = sev;
    f->line = line;
    f->file = file != NULL ? strdup(file) : NULL;
    f->msg = strdup(msg);
    if (f->msg == NULL || (file != NULL && f->file == NULL)) {
        free(f->file);
        free(f->msg);
        return -ENOMEM;
    }
    rep->n++;
    if (sev == ALIAS_ERROR) {
        rep->nerrors++;
    } else if (sev == ALIAS_WARNING) {
        rep->nwarnings++;
    } else {
        rep->nnotes++;
    }
    return MH_OK;
}

/* alias_report_first_error - the first error, for an exit reason */
const struct alias_finding *
alias_report_first_error(const struct alias_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        if (rep->v[i].sev == ALIAS_ERROR) {
            return &rep->v[i];
        }
    }
    return NULL;
}

/* alias_report_free - release the findings and include list */
void
alias_report_free(struct alias_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        free(rep->v[i].file);
        free(rep->v[i].msg);
    }
    for (size_t i = 0; i < rep->nincludes; i++) {
        free(rep->includes[i]);
    }
    free(rep->includes);
    free(rep->v);
    memset(rep, 0, sizeof(*rep));
}

/*
 * alias_open_regular - open PATH for reading, a regular file of at most
 * MAX bytes (*ST gets its status); the descriptor, or a negative code
 * with the reason in WHY
 *
 * O_NONBLOCK: a FIFO planted where a table or include file should be
 * must not hang the check in open(); it is refused after fstat().
 */
static int
alias_open_regular(const char *path, size_t max, struct stat *st, char *why, size_t whylen)
{
    int fd, rc;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        snprintf(why, whylen, "open %s: %s", path, strerror(errno));
        return rc;
    }
    if (fstat(fd, st) != 0) {
        rc = -errno;
        snprintf(why, whylen, "stat %s: %s", path, strerror(errno));
    } else if (!S_ISREG(st->st_mode)) {
        snprintf(why, whylen, "read %s: not a regular file", path);
        rc = MH_E_UNSAFE;
    } else if ((size_t) st->st_size > max) {
        snprintf(why, whylen, "read %s: larger than %zu bytes", path, max);
        rc = MH_E_TOOLONG;
    } else {
        return fd;
    }
    close(fd);
    return rc;
}

/*
 * alias_read_some - read up to WANT bytes of PATH from FD into BUF, again
 * when interrupted; the count (0 at end of file), or -errno with the
 * reason in WHY
 */
static ssize_t
alias_read_some(int fd, const char *path, char *buf, size_t want, char *why, size_t whylen)
{
    ssize_t n;
    int err;

    do {
        n = read(fd, buf, want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        err = errno;
        snprintf(why, whylen, "read %s: %s", path, strerror(err));
        return -err;
    }
    return n;
}

/* alias_read_file - read a regular file whole, without blocking on a FIFO */
int
alias_read_file(const char *path, size_t max, char **buf, size_t *len,
                char *why, size_t whylen)
{
    struct stat st;
    char *b = NULL;
    size_t got = 0;
    int fd, rc = MH_OK;

    *buf = NULL;
    *len = 0;
    fd = alias_open_regular(path, max, &st, why, whylen);
    if (fd < 0) {
        return fd;
    }
    b = malloc((size_t) st.st_size + 1);
    if (b == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    /* The file may grow while we read: take what stat() saw. */
    while (got < (size_t) st.st_size) {
        ssize_t n = alias_read_some(fd, path, b + got, (size_t) st.st_size - got, why, whylen);

        if (n < 0) {
            rc = (int) n;
            goto done;
        }
        if (n == 0) {
            break;
        }
        got += (size_t) n;
    }
    b[got] = '\0';
    *buf = b;
    *len = got;
    b = NULL;

  done:
    free(b);
    close(fd);
    return rc;
}

/* alias_hash - FNV-1a over kind and name, finalized; *LEN gets strlen */
static uint64_t
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
static uint32_t
alias_tag(uint64_t h)
{
    uint32_t tag = (uint32_t) (h >> 32);

    return tag != 0 ? tag : 1;
}

/*
 * alias_probe - the slot of the node of KIND called NAME, or the empty
 * slot where it belongs.  The table is never full (load <= 1/2).
 */
static size_t
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
static size_t
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
static int
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
static size_t
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
static int
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
static int
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

static void alias_entry_commit(struct alias_ck *ck);

/* alias_cb_diag - a parser diagnostic becomes a finding */
static void
alias_cb_diag(void *ctx, enum alias_severity sev, size_t line, const char *msg)
{
    struct alias_ck *ck = ctx;

    alias_entry_commit(ck);     /* its findings come first */
    /* A file that is not world-readable may hold what its owner keeps
     * private (or be /etc/shadow behind a symlink): say which line, never
     * what is on it. */
    if (ck->cur_node != ALIAS_NONE && ck->nodes[ck->cur_node].hidden) {
        msg = "a line local(8) cannot use (not shown: the file is not world-readable)";
    }
    /* A list file is read by local(8) at delivery time, not by
     * postalias: its errors bounce that list's mail, they must not stop
     * the alias database being built (a list owner could block every
     * rebuild, and a postfix start, with one NUL byte). */
    if (ck->cur_node != ALIAS_NONE && sev == ALIAS_ERROR) {
        if (alias_report_add(ck->rep, ALIAS_WARNING, ck->cur_file, line,
                             "%s (in a list file: mail to the list bounces; the alias"
                             " database is not affected)", msg) != MH_OK) {
            ck->oom = 1;
        }
        return;
    }
    if (alias_report_add(ck->rep, sev, ck->cur_file, line, "%s", msg) != MH_OK) {
        ck->oom = 1;
    }
}

/*
 * alias_entry_commit - insert the pending entry into the hash table
 *
 * A new name becomes a node owning the targets added for it; a name seen
 * before is a duplicate (the first wins): reported, its targets dropped.
 */
static void
alias_entry_commit(struct alias_ck *ck)
{
    struct alias_node *n;
    size_t i;

    if (!ck->pending) {
        return;
    }
    ck->pending = 0;
    i = alias_probe(ck, NODE_ALIAS, ck->p_name, ck->p_hash, ck->p_len);
    if (ck->slots[i].idx1 != 0) {
        n = &ck->nodes[ck->slots[i].idx1 - 1];
        ck->tn = ck->p_first;
        if (alias_report_add(ck->rep, ALIAS_WARNING, ck->cur_file, ck->p_line,
                             "duplicate alias \"%s\" (first defined at %s:%zu, which wins)",
                             ck->p_name, n->file, (size_t) n->line) != MH_OK) {
            ck->oom = 1;
        }
        return;
    }
    n = &ck->nodes[ck->nn];
    memset(n, 0, sizeof(*n));
    n->kind = NODE_ALIAS;
    n->name = ck->p_name;
    n->nlen = (uint32_t) ck->p_len;
    n->file = ck->cur_file;
    n->line = (uint32_t) ck->p_line;
    n->first = (uint32_t) ck->p_first;
    n->ntargets = (uint32_t) (ck->tn - ck->p_first);
    n->uid = ck->cur_uid;
    n->parent = NODE_NONE;
    ck->slots[i].idx1 = (uint32_t) (ck->nn + 1);
    ck->slots[i].tag = alias_tag(ck->p_hash);
    ck->nn++;
}

/*
 * alias_cb_entry - one alias entry of a table
 *
 * The hash-table insert is one cache miss at a random slot per entry.
 * It is done one entry late: this entry's slot is prefetched now and
 * probed when the next entry (or diagnostic, or the end of the table)
 * arrives, so that the miss overlaps the parsing of the next line.
 * Findings keep their order: everything that reports commits first.
 */
static void
alias_cb_entry(void *ctx, const struct alias_entry *e)
{
    struct alias_ck *ck = ctx;
    size_t len;
    uint64_t h;

    alias_entry_commit(ck);
    ck->rep->entries++;
    if (ck->nn + 1 > ck->ncap || (ck->nn + 1) * 2 > ck->hcap) {
        if (alias_reserve(ck, ck->nn + 1) != MH_OK) {
            ck->oom = 1;
            return;
        }
    }
    h = alias_hash(NODE_ALIAS, e->name, &len);
    __builtin_prefetch(&ck->slots[(size_t) h & (ck->hcap - 1)]);
    ck->p_name = alias_arena_dup(ck, e->name, len);
    ck->p_len = len;
    ck->p_hash = h;
    ck->p_line = e->line;
    ck->p_first = ck->tn;
    for (size_t i = 0; i < e->ntargets; i++) {
        (void) alias_add_target(ck, e->targets[i].kind, e->targets[i].text, e->line);
    }
    ck->pending = !ck->oom;
}

/* alias_cb_target - one destination of the include file being read */
static void
alias_cb_target(void *ctx, size_t line, const struct alias_target *t)
{
    struct alias_ck *ck = ctx;

    ck->nodes[ck->cur_node].ntargets += (uint32_t) alias_add_target(ck, t->kind, t->text, line);
}

/* alias_count_lines - physical lines in BUF */
static size_t
alias_count_lines(const char *buf, size_t len)
{
    size_t n = 0;
    const char *p = buf, *end = buf + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));

        n++;
        if (nl == NULL) {
            break;
        }
        p = nl + 1;
    }
    return n;
}

/*
 * alias_delivery_uid - the rights local(8) opens a table's include files
 * with: the table's owner (its database's, else its source's), root
 * included.  (Deliveries to files and commands of a root-owned table run
 * as default_privs, but an include file named there is opened as root,
 * then read with its own owner's rights when that is not root: see
 * alias_read_include.)
 */
static uid_t
alias_delivery_uid(const struct alias_ck *ck, const struct alias_table *t)
{
    struct stat st;

    (void) ck;
    if ((t->db == NULL || stat(t->db, &st) != 0) && stat(t->source, &st) != 0) {
        st.st_uid = 0;
    }
    return st.st_uid;
}

/*
 * alias_stream_table - read and parse an alias table in pieces
 *
 * The table is read ALIAS_READ_CHUNK bytes at a time into one reused
 * buffer and fed to the parser in whole lines, instead of whole into
 * fresh memory: on the tested VM the kernel zeroing the pages of a
 * many-megabyte buffer cost more than parsing it.  The node and hash
 * tables are sized once, from the first piece's line count scaled to
 * the file size (an estimate; they still grow if it falls short).
 * Counts the physical lines into the report.  Reasons in WHY.
 */
#define ALIAS_READ_CHUNK (256 * 1024)

static int
alias_stream_table(struct alias_ck *ck, const char *path, const struct alias_parse_cb *cb,
                   char *why, size_t whylen)
{
    struct alias_parser *ap = NULL;
    struct stat st;
    char *buf = NULL;
    size_t cap = ALIAS_READ_CHUNK, have = 0, left;
    int fd, rc = MH_OK, sized = 0;

    fd = alias_open_regular(path, ALIAS_MAX_FILE_SIZE, &st, why, whylen);
    if (fd < 0) {
        return fd;
    }
    buf = malloc(cap);
    ap = alias_parser_new(cb);
    if (buf == NULL || ap == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    /* The file may grow while we read: take what stat() saw. */
    left = (size_t) st.st_size;
    for (;;) {
        size_t cut, nlines;
        ssize_t n = 0;
        int eof;

        if (left > 0) {
            if (have == cap) {
                /* One line longer than the buffer: make room for it. */
                char *nb = realloc(buf, cap * 2);

                if (nb == NULL) {
                    rc = -ENOMEM;
                    goto done;
                }
                buf = nb;
                cap *= 2;
            }
            n = alias_read_some(fd, path, buf + have, cap - have < left ? cap - have : left,
                                why, whylen);
            if (n < 0) {
                rc = (int) n;
                goto done;
            }
            have += (size_t) n;
            left -= (size_t) n;
        }
        eof = left == 0 || n == 0;
        if (eof) {
            cut = have;
        } else {
            const char *nl = memrchr(buf, '\n', have);

            if (nl == NULL) {
                continue;               /* no whole line yet: read more */
            }
            cut = (size_t) (nl - buf) + 1;
        }
        nlines = alias_count_lines(buf, cut);
        ck->rep->lines += nlines;
        if (!sized) {
            /* At most one entry a line: size the node and hash tables once. */
            size_t est = nlines;

            if (!eof && cut > 0) {
                est = (size_t) ((double) nlines * (double) st.st_size / (double) cut) + 64;
            }
            if (alias_reserve(ck, est) != MH_OK || alias_reserve_targets(ck, 2 * est) != MH_OK) {
                rc = -ENOMEM;
                goto done;
            }
            sized = 1;
        }
        rc = alias_parser_feed(ap, buf, cut);
        if (rc != MH_OK) {
            goto done;
        }
        memmove(buf, buf + cut, have - cut);
        have -= cut;
        if (eof && have == 0) {
            break;
        }
    }

  done:
    if (ap != NULL) {
        int frc = alias_parser_finish(ap);

        if (rc == MH_OK) {
            rc = frc;
        }
    }
    free(buf);
    close(fd);
    return rc;
}

/* alias_check_table - freshness, coverage and contents of one table */
static int
alias_check_table(struct alias_ck *ck, const struct alias_table *t)
{
    struct alias_parse_cb cb = { alias_cb_entry, NULL, alias_cb_diag, ck };
    char why[512];
    int rc;

    if (t->source == NULL) {
        return alias_report_add(ck->rep, ALIAS_NOTE, NULL, 0,
                                "skipped table %s: not a local file table", t->spec);
    }
    ck->cur_file = alias_arena_dup(ck, t->source, strlen(t->source));
    if (t->in_maps && !t->in_database) {
        rc = alias_report_add(ck->rep, ALIAS_WARNING, t->source, 0,
                              "table %s is in alias_maps but not in alias_database:"
                              " newaliases does not rebuild it", t->spec);
    } else if (!t->in_maps && t->in_database) {
        rc = alias_report_add(ck->rep, ALIAS_WARNING, t->source, 0,
                              "table %s is in alias_database but not in alias_maps:"
                              " it is built but never used for lookups", t->spec);
    } else {
        rc = MH_OK;
    }
    if (rc != MH_OK) {
        return rc;
    }
    if (!(ck->flags & ALIAS_CHECK_NO_FRESH)) {
        switch (alias_table_fresh(t, why, sizeof(why))) {
        case ALIAS_STALE:
            rc = alias_report_add(ck->rep, ALIAS_WARNING, t->source, 0, "%s", why);
            break;
        case ALIAS_NO_DB:
            rc = alias_report_add(ck->rep, ALIAS_WARNING, t->source, 0,
                                  "%s: lookups in %s fail", why, t->spec);
            break;
        default:
            break;
        }
        if (rc != MH_OK) {
            return rc;
        }
    }
    /* A rebuild has us read its private copy: what is checked is what is built. */
    ck->cur_uid = alias_delivery_uid(ck, t);
    rc = alias_stream_table(ck, t->read_from != NULL ? t->read_from : t->source, &cb,
                            why, sizeof(why));
    alias_entry_commit(ck);
    if (rc == -ENOMEM || rc == MH_OK) {
        return rc;
    }
    return alias_report_add(ck->rep, ALIAS_ERROR, t->source, 0, "%s", why);
}

/* alias_include_ref - the include node for PATH, created on first use */
static size_t
alias_include_ref(struct alias_ck *ck, const char *path, const char *file, size_t line,
                  int depth, uid_t uid)
{
    int created;
    size_t idx = alias_find_add(ck, NODE_INCLUDE, path, file, line, &created);

    if (idx != ALIAS_NONE && created) {
        ck->nodes[idx].depth = (unsigned char) depth;
        ck->nodes[idx].uid = uid;
        ck->nodes[idx].ntargets = 0;
        ck->nodes[idx].first = NODE_NONE;
    }
    return idx;
}

/* alias_fsids - the file-system identity an include file is read with */
struct alias_fsids {
    int switched;
    char name[64];              /* the user's name, for reasons */
    gid_t *groups;              /* root's own supplementary groups */
    int ngroups;
};

/*
 * alias_become - read files as UID from now on (setfsuid/setfsgid and
 * UID's groups), as local(8) reads an include file with the rights of
 * its includer: a list owner's file naming /etc/shadow, or a symlink to
 * it, must not be read (nor quoted) by this root process.  Nothing to
 * do when not root or UID is root.  0, or a negative code with WHY.
 */
static int
alias_become(uid_t uid, struct alias_fsids *sv, char *why, size_t whylen)
{
    struct passwd *pw;
    gid_t *list = NULL;
    int n = 32;

    memset(sv, 0, sizeof(*sv));
    if (geteuid() != 0 || uid == 0) {
        return MH_OK;
    }
    pw = getpwuid(uid);
    if (pw == NULL) {
        snprintf(why, whylen, "delivery user uid %lu has no passwd entry",
                 (unsigned long) uid);
        return MH_E_NOTFOUND;
    }
    for (;;) {
        gid_t *nl = realloc(list, (size_t) n * sizeof(*list));
        int want = n;

        if (nl == NULL) {
            free(list);
            return -ENOMEM;
        }
        list = nl;
        if (getgrouplist(pw->pw_name, pw->pw_gid, list, &want) >= 0) {
            n = want;
            break;
        }
        if (want <= n) {
            want = n * 2;
        }
        n = want;
    }
    sv->ngroups = getgroups(0, NULL);
    sv->groups = calloc(sv->ngroups > 0 ? (size_t) sv->ngroups : 1, sizeof(*sv->groups));
    if (sv->groups == NULL || sv->ngroups < 0
        || getgroups(sv->ngroups, sv->groups) != sv->ngroups) {
        free(list);
        free(sv->groups);
        sv->groups = NULL;
        snprintf(why, whylen, "getgroups: %s", strerror(errno ? errno : ENOMEM));
        return -EPERM;
    }
    if (setgroups((size_t) n, list) != 0) {
        snprintf(why, whylen, "setgroups for %s: %s", pw->pw_name, strerror(errno));
        free(list);
        free(sv->groups);
        sv->groups = NULL;
        return -EPERM;
    }
    free(list);
    sv->switched = 1;
    snprintf(sv->name, sizeof(sv->name), "%s", pw->pw_name);
    setfsgid(pw->pw_gid);
    setfsuid(uid);
    /* setfsuid() does not report failure: ask what it is now */
    if ((uid_t) setfsuid((uid_t) -1) != uid || (gid_t) setfsgid((gid_t) -1) != pw->pw_gid) {
        snprintf(why, whylen, "setfsuid to %s failed", pw->pw_name);
        return -EPERM;
    }
    return MH_OK;
}

/* alias_unbecome - root's file-system identity again */
static void
alias_unbecome(struct alias_fsids *sv)
{
    if (sv->switched) {
        setfsuid(0);
        setfsgid(0);
        if (setgroups((size_t) sv->ngroups, sv->groups) != 0) {
            abort();            /* never go on with another's groups */
        }
    }
    free(sv->groups);
    sv->groups = NULL;
    sv->switched = 0;
}

/* alias_inode_slot - the slot of (DEV, INO): its own, or a free one */
static struct alias_inode *
alias_inode_slot(struct alias_ck *ck, dev_t dev, ino_t ino)
{
    size_t i = (size_t) ((uint64_t) ino * 0x9e3779b97f4a7c15ULL ^ (uint64_t) dev) & (ck->icap - 1);

    while (ck->inodes[i].node1 != 0 && (ck->inodes[i].dev != dev || ck->inodes[i].ino != ino)) {
        i = (i + 1) & (ck->icap - 1);
    }
    return &ck->inodes[i];
}

/* alias_inode_find - the node that read (DEV, INO) before, or ALIAS_NONE */
static size_t
alias_inode_find(struct alias_ck *ck, dev_t dev, ino_t ino)
{
    struct alias_inode *e;

    if (ck->icap == 0) {
        return ALIAS_NONE;
    }
    e = alias_inode_slot(ck, dev, ino);
    return e->node1 != 0 ? e->node1 - 1 : ALIAS_NONE;
}

/* alias_inode_add - remember that node IDX read (DEV, INO); 0 or -ENOMEM */
static int
alias_inode_add(struct alias_ck *ck, dev_t dev, ino_t ino, size_t idx)
{
    if ((ck->ni + 1) * 2 > ck->icap) {
        size_t ncap = ck->icap ? ck->icap * 2 : 64;
        struct alias_inode *old = ck->inodes;
        size_t ocap = ck->icap;

        ck->inodes = calloc(ncap, sizeof(*ck->inodes));
        if (ck->inodes == NULL) {
            ck->inodes = old;
            return -ENOMEM;
        }
        ck->icap = ncap;
        for (size_t i = 0; i < ocap; i++) {
            if (old[i].node1 != 0) {
                *alias_inode_slot(ck, old[i].dev, old[i].ino) = old[i];
            }
        }
        free(old);
    }
    *alias_inode_slot(ck, dev, ino) = (struct alias_inode) { dev, ino, idx + 1 };
    ck->ni++;
    return MH_OK;
}

/* alias_read_include - stat, read and parse one include file */
static int
alias_read_include(struct alias_ck *ck, size_t idx)
{
    struct alias_parse_cb cb = { NULL, alias_cb_target, alias_cb_diag, ck };
    struct alias_node *n = &ck->nodes[idx];
    const char *path = n->name;
    struct alias_fsids ids;
    struct stat st;
    char why[512];
    char *buf = NULL;
    size_t len = 0;
    int rc, readrc = MH_OK, switched;

    if (path[0] != '/') {
        return MH_OK;   /* reported by the parser */
    }
    /* with the includer's rights: what it cannot read is not read here
     * (not for the digest, NO_ACCESS: it hashes what root sees, and
     * quotes nothing) */
    rc = (ck->flags & ALIAS_CHECK_NO_ACCESS) ? (memset(&ids, 0, sizeof(ids)), MH_OK)
        : alias_become(n->uid, &ids, why, sizeof(why));
    if (rc == -ENOMEM) {
        alias_unbecome(&ids);
        return rc;
    }
    if (rc != MH_OK) {
        alias_unbecome(&ids);
        return alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                "include file %s not read: %s", path, why);
    }
    rc = stat(path, &st) != 0 ? -errno : MH_OK;
    /* local(8): an include file reached with root's rights (a root-owned
     * table) is read with its owner's rights when that is not root, and
     * so is everything it includes; a list owner cannot make root read a
     * file for them.  A file reached with a user's rights stays read
     * with those.  (One include node per path: a path named from places
     * with different rights is checked with its first reference's.) */
    if (rc == MH_OK && !(ck->flags & ALIAS_CHECK_NO_ACCESS) && n->uid == 0
        && st.st_uid != 0) {
        alias_unbecome(&ids);
        n->uid = st.st_uid;
        rc = alias_become(n->uid, &ids, why, sizeof(why));
        if (rc == -ENOMEM) {
            alias_unbecome(&ids);
            return rc;
        }
        if (rc != MH_OK) {
            alias_unbecome(&ids);
            return alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                    "include file %s not read: %s", path, why);
        }
        rc = stat(path, &st) != 0 ? -errno : MH_OK;
    }
    if (rc == MH_OK) {
        n->hidden = !(st.st_mode & S_IROTH);
    }
    if (rc == MH_OK && S_ISREG(st.st_mode)) {
        size_t prev = alias_inode_find(ck, st.st_dev, st.st_ino);

        if (prev != ALIAS_NONE && ck->nodes[prev].uid == n->uid) {
            /* another name of a file read already with the same rights
             * (as local(8) skips "include UID PATH" seen): its targets,
             * no read; with other rights it is read again, as they allow */
            alias_unbecome(&ids);
            n->first = ck->nodes[prev].first;
            n->ntargets = ck->nodes[prev].ntargets;
            return MH_OK;
        }
        if ((uint64_t) st.st_size > ALIAS_MAX_INCLUDE_SIZE) {
            snprintf(why, sizeof(why), "include file %s: larger than %ld bytes, not read",
                     path, ALIAS_MAX_INCLUDE_SIZE);
            readrc = MH_E_TOOLONG;
        } else if (ck->include_bytes + (uint64_t) st.st_size > ALIAS_MAX_INCLUDE_TOTAL) {
            snprintf(why, sizeof(why), "include file %s: not read, the include files read"
                     " so far hold %llu bytes (at most %ld in all)", path,
                     (unsigned long long) ck->include_bytes, ALIAS_MAX_INCLUDE_TOTAL);
            readrc = MH_E_TOOLONG;
        } else {
            readrc = alias_read_file(path, ALIAS_MAX_INCLUDE_SIZE, &buf, &len, why, sizeof(why));
        }
    }
    switched = ids.switched;
    alias_unbecome(&ids);
    if (rc != MH_OK) {
        return alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                "include file %s: %s (local(8) bounces the mail)",
                                path, strerror(-rc));
    }
    if (!S_ISREG(st.st_mode)) {
        return alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                "include file %s is not a regular file"
                                " (local(8) bounces the mail)", path);
    }
    if (st.st_mode & S_IWOTH) {
        rc = alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                              "include file %s is world-writable: anyone can add"
                              " recipients, and local(8) bounces the mail", path);
        if (rc != MH_OK) {
            free(buf);
            return rc;
        }
    }
    rc = readrc;
    if (rc != MH_OK) {
        free(buf);
        if (rc == -ENOMEM) {
            return rc;
        }
        if (switched && rc == -EACCES) {
            return alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                    "include file %s is not readable by delivery user %s: %s"
                                    " (local(8) bounces the mail)", path, ids.name,
                                    strerror(EACCES));
        }
        return alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line, "%s", why);
    }
    ck->include_bytes += len;
    if (alias_inode_add(ck, st.st_dev, st.st_ino, idx) != MH_OK) {
        free(buf);
        return -ENOMEM;
    }
    ck->rep->lines += alias_count_lines(buf, len);
    ck->cur_file = n->name;
    ck->cur_node = idx;
    ck->nodes[idx].first = (uint32_t) ck->tn;
    rc = alias_parse_include_buf(buf, len, &cb);
    free(buf);
    return rc;
}

/* alias_collect_includes - find and read include files, breadth first */
static int
alias_collect_includes(struct alias_ck *ck)
{
    size_t nalias = ck->nn;
    int rc = MH_OK;

    /* Seed from the aliases: every :include: target. */
    for (size_t a = 0; a < nalias && !ck->oom; a++) {
        if (ck->nodes[a].kind != NODE_ALIAS) {
            continue;
        }
        for (size_t k = 0; k < ck->nodes[a].ntargets; k++) {
            struct alias_tgt *t = &ck->tv[ck->nodes[a].first + k];

            if (t->kind == ALIAS_T_INCLUDE) {
                alias_include_ref(ck, t->text, ck->nodes[a].file, t->line, 1,
                                  ck->nodes[a].uid);
            }
        }
    }
    /* Nodes appended while reading are read in turn: a queue. */
    for (size_t i = nalias; i < ck->nn && rc == MH_OK && !ck->oom; i++) {
        size_t first;

        if (ck->nodes[i].kind != NODE_INCLUDE) {
            continue;
        }
        rc = alias_read_include(ck, i);
        if (rc != MH_OK || ck->nodes[i].first == NODE_NONE) {
            continue;
        }
        first = ck->nodes[i].first;
        for (size_t k = 0; k < ck->nodes[i].ntargets; k++) {
            struct alias_tgt *t = &ck->tv[first + k];
            int depth = ck->nodes[i].depth;

            if (ck->nodes[i].hidden) {
                /* what a private file names is its owner's: said by line,
                 * and the include files it names are not followed (their
                 * names would be quoted in every finding about them) */
                if (t->kind == ALIAS_T_INCLUDE) {
                    rc = alias_report_add(ck->rep, ALIAS_NOTE, ck->nodes[i].name, t->line,
                                          "an include file named here is not checked"
                                          " (not shown: this file is not world-readable)");
                } else if ((t->kind == ALIAS_T_COMMAND && !ck->cfg->include_commands)
                           || (t->kind == ALIAS_T_FILE && !ck->cfg->include_files)) {
                    rc = alias_report_add(ck->rep, ALIAS_WARNING, ck->nodes[i].name, t->line,
                                          "a %s destination: allow_mail_to_%s does not list"
                                          " \"include\", so it bounces (not shown: this file"
                                          " is not world-readable)",
                                          t->kind == ALIAS_T_COMMAND ? "command" : "file",
                                          t->kind == ALIAS_T_COMMAND ? "commands" : "files");
                }
            } else if (t->kind == ALIAS_T_COMMAND && !ck->cfg->include_commands) {
                rc = alias_report_add(ck->rep, ALIAS_WARNING, ck->nodes[i].name, t->line,
                                      "command %.80s in an include file: allow_mail_to_commands"
                                      " does not list \"include\", so it bounces", t->text);
            } else if (t->kind == ALIAS_T_FILE && !ck->cfg->include_files) {
                rc = alias_report_add(ck->rep, ALIAS_WARNING, ck->nodes[i].name, t->line,
                                      "file %.80s in an include file: allow_mail_to_files"
                                      " does not list \"include\", so it bounces", t->text);
            } else if (t->kind == ALIAS_T_INCLUDE) {
                if (alias_lookup(ck, NODE_INCLUDE, t->text) != ALIAS_NONE) {
                    continue;   /* seen: a loop is found by the walk */
                }
                if (depth >= ALIAS_MAX_INCLUDE_DEPTH) {
                    rc = alias_report_add(ck->rep, ALIAS_WARNING, ck->nodes[i].name, t->line,
                                          "include files nest deeper than %d; not following"
                                          " %.200s", ALIAS_MAX_INCLUDE_DEPTH, t->text);
                    continue;
                }
                alias_include_ref(ck, t->text, ck->nodes[i].name, t->line, depth + 1,
                                  ck->nodes[i].uid);
            }
        }
    }
    return ck->oom ? -ENOMEM : rc;
}

/* alias_base_name - a local name without its address extension */
static const char *
alias_base_name(struct alias_ck *ck, const char *name, char *buf, size_t buflen)
{
    const char *delims = ck->cfg->recipient_delimiter;
    size_t n;

    if (delims == NULL || *delims == '\0') {
        return name;
    }
    n = strcspn(name, delims);
    if (name[n] == '\0' || n == 0 || n >= buflen) {
        return name;
    }
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

/* alias_account_exists - getpwnam(), answered once per name */
static int
alias_account_exists(struct alias_ck *ck, const char *name)
{
    int created;
    size_t idx = alias_find_add(ck, NODE_ACCOUNT, name, NULL, 0, &created);

    if (idx == ALIAS_NONE) {
        return 1;
    }
    if (created) {
        ck->nodes[idx].exists = getpwnam(name) != NULL;
    }
    return ck->nodes[idx].exists;
}

/* alias_check_targets - local names must be aliases or accounts */
static int
alias_check_targets(struct alias_ck *ck)
{
    size_t nn = ck->nn;
    int rc = MH_OK;

    for (size_t i = 0; i < nn && rc == MH_OK; i++) {
        if (ck->nodes[i].kind == NODE_ACCOUNT || ck->nodes[i].first == NODE_NONE) {
            continue;
        }
        for (size_t k = 0; k < ck->nodes[i].ntargets && rc == MH_OK; k++) {
            const struct alias_tgt *t = &ck->tv[ck->nodes[i].first + k];
            char base[256];
            const char *name;

            if (t->kind != ALIAS_T_LOCAL) {
                continue;
            }
            /* Lists repeat the same few names (root, the owner): memo. */
            if (ck->memo_name != NULL
                && (ck->memo_name == t->text || strcmp(ck->memo_name, t->text) == 0)) {
                continue;
            }
            name = alias_base_name(ck, t->text, base, sizeof(base));
            if (alias_lookup(ck, NODE_ALIAS, t->text) != ALIAS_NONE
                || (name != t->text && alias_lookup(ck, NODE_ALIAS, name) != ALIAS_NONE)) {
                continue;
            }
            if ((ck->flags & ALIAS_CHECK_NO_ACCOUNT) || alias_account_exists(ck, name)) {
                ck->memo_name = t->text;
                continue;
            }
            if (ck->nodes[i].kind == NODE_INCLUDE && ck->nodes[i].hidden) {
                rc = alias_report_add(ck->rep, ALIAS_WARNING, ck->nodes[i].name, t->line,
                                      "a destination is neither an alias, a local account nor"
                                      " an address (not shown: this file is not"
                                      " world-readable)");
                continue;
            }
            rc = alias_report_add(ck->rep, ALIAS_WARNING,
                                  ck->nodes[i].kind == NODE_ALIAS ? ck->nodes[i].file
                                  : ck->nodes[i].name, t->line,
                                  "destination \"%.200s\" is neither an alias, a local"
                                  " account nor an address", t->text);
        }
    }
    return rc;
}

/* alias_check_lists - a list (alias with :include:) needs owner-/-request */
static int
alias_check_lists(struct alias_ck *ck)
{
    int rc = MH_OK;

    for (size_t i = 0; i < ck->nn && rc == MH_OK; i++) {
        const struct alias_node *n = &ck->nodes[i];
        char name[1024];
        int is_list = 0;

        if (n->kind != NODE_ALIAS) {
            continue;
        }
        for (size_t k = 0; k < n->ntargets; k++) {
            if (ck->tv[n->first + k].kind == ALIAS_T_INCLUDE) {
                is_list = 1;
                break;
            }
        }
        if (!is_list || strncmp(n->name, "owner-", 6) == 0) {
            continue;
        }
        snprintf(name, sizeof(name), "owner-%s", n->name);
        if (alias_lookup(ck, NODE_ALIAS, name) == ALIAS_NONE) {
            rc = alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                  "list \"%s\" has no owner-%s alias (bounces go to"
                                  " the sender)", n->name, n->name);
        }
        snprintf(name, sizeof(name), "%s-request", n->name);
        if (rc == MH_OK && alias_lookup(ck, NODE_ALIAS, name) == ALIAS_NONE) {
            rc = alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                  "list \"%s\" has no %s-request alias", n->name, n->name);
        }
    }
    return rc;
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
static int
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

/* alias_access_as - open each include file of user UID as that user */
static int
alias_access_as(struct alias_ck *ck, uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    size_t *list = NULL, nl = 0, answers = 0;
    int pfd[2] = { -1, -1 };
    int rc = MH_OK, status = 0;
    pid_t pid;
    FILE *fp = NULL;

    list = malloc(ck->nn * sizeof(*list));
    if (list == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < ck->nn; i++) {
        if (ck->nodes[i].kind == NODE_INCLUDE && ck->nodes[i].uid == uid
            && ck->nodes[i].name[0] == '/' && ck->nodes[i].first != NODE_NONE) {
            list[nl++] = i;
        }
    }
    if (nl == 0) {
        goto done;
    }
    if (pw == NULL) {
        rc = alias_report_add(ck->rep, ALIAS_WARNING, NULL, 0,
                              "delivery user uid %lu has no passwd entry: local(8) defers"
                              " mail to include files", (unsigned long) uid);
        goto done;
    }
    if (geteuid() != 0 && geteuid() != uid) {
        rc = alias_report_add(ck->rep, ALIAS_NOTE, NULL, 0,
                              "not root: cannot test whether %s can read the include files",
                              pw->pw_name);
        goto done;
    }
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        rc = -errno;
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        rc = -errno;
        goto done;
    }
    if (pid == 0) {
        /* The child becomes the delivery user and reports one errno each. */
        close(pfd[0]);
        if (geteuid() == 0 && (initgroups(pw->pw_name, pw->pw_gid) != 0
                               || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)) {
            _exit(2);
        }
        int errs[256];
        size_t ne = 0;

        for (size_t k = 0; k < nl; k++) {
            int fd = open(ck->nodes[list[k]].name, O_RDONLY | O_NONBLOCK | O_NOCTTY);

            errs[ne++] = fd < 0 ? errno : 0;
            if (fd >= 0) {
                close(fd);
            }
            /* One write per 256 answers, not one per file. */
            if (ne == sizeof(errs) / sizeof(errs[0]) || k + 1 == nl) {
                if (write(pfd[1], errs, ne * sizeof(errs[0]))
                    != (ssize_t) (ne * sizeof(errs[0]))) {
                    _exit(3);
                }
                ne = 0;
            }
        }
        _exit(0);
    }
    close(pfd[1]);
    pfd[1] = -1;
    fp = fdopen(pfd[0], "r");
    if (fp != NULL) {
        pfd[0] = -1;
        for (size_t k = 0; k < nl && rc == MH_OK; k++) {
            int err;

            if (fread(&err, sizeof(err), 1, fp) != 1) {
                break;
            }
            answers++;
            if (err != 0) {
                struct alias_node *n = &ck->nodes[list[k]];

                rc = alias_report_add(ck->rep, ALIAS_WARNING, n->file, n->line,
                                      "include file %s is not readable by delivery user %s:"
                                      " %s (local(8) bounces the mail)", n->name,
                                      pw->pw_name, strerror(err));
            }
        }
        fclose(fp);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = -1;
            break;
        }
    }
    /* A child that could not become the user (exit 2), could not write
     * (3) or died answered for nothing it did not send: say that the
     * test was not done, never let the silence pass for "readable". */
    if (rc == MH_OK && (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0
                        || answers < nl)) {
        char how[64];

        if (status == -1) {
            snprintf(how, sizeof(how), "could not be waited for");
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
            snprintf(how, sizeof(how), "could not drop its privileges");
        } else if (WIFEXITED(status)) {
            snprintf(how, sizeof(how), "exited with %d", WEXITSTATUS(status));
        } else if (WIFSIGNALED(status)) {
            snprintf(how, sizeof(how), "was killed by signal %d", WTERMSIG(status));
        } else {
            snprintf(how, sizeof(how), "ended with status %d", status);
        }
        rc = alias_report_add(ck->rep, ALIAS_WARNING, NULL, 0,
                              "could not test whether delivery user %s can read the include"
                              " files: the test process %s after %zu of %zu answers",
                              pw->pw_name, how, answers, nl);
    }

  done:
    if (pfd[0] >= 0) {
        close(pfd[0]);
    }
    if (pfd[1] >= 0) {
        close(pfd[1]);
    }
    free(list);
    return rc;
}

/* alias_check_access - one child per delivery user */
static int
alias_check_access(struct alias_ck *ck)
{
    uid_t done[16];
    size_t nd = 0;
    int rc = MH_OK;

    for (size_t i = 0; i < ck->nn && rc == MH_OK; i++) {
        uid_t uid = ck->nodes[i].uid;
        int seen = 0;

        /* root reads every file: local(8) reads with root's rights only
         * root-owned include files named in a root-owned table */
        if (ck->nodes[i].kind != NODE_INCLUDE || uid == 0) {
            continue;
        }
        for (size_t k = 0; k < nd; k++) {
            seen |= done[k] == uid;
        }
        if (seen || nd == sizeof(done) / sizeof(done[0])) {
            continue;
        }
        done[nd++] = uid;
        rc = alias_access_as(ck, uid);
    }
    return rc;
}

/* alias_cmp_str - qsort helper */
static int
alias_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* alias_list_includes - the sorted list of include files seen */
static int
alias_list_includes(struct alias_ck *ck)
{
    struct alias_report *rep = ck->rep;
    size_t n = 0;

    for (size_t i = 0; i < ck->nn; i++) {
        n += ck->nodes[i].kind == NODE_INCLUDE;
    }
    if (n == 0) {
        return MH_OK;
    }
    rep->includes = calloc(n, sizeof(*rep->includes));
    if (rep->includes == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < ck->nn; i++) {
        if (ck->nodes[i].kind == NODE_INCLUDE) {
            rep->includes[rep->nincludes] = strdup(ck->nodes[i].name);
            if (rep->includes[rep->nincludes] == NULL) {
                return -ENOMEM;
            }
            rep->nincludes++;
        }
    }
    qsort(rep->includes, rep->nincludes, sizeof(*rep->includes), alias_cmp_str);
    return MH_OK;
}

/* alias_check_run - the whole check */
int
alias_check_run(const struct alias_config *cfg, int flags, struct alias_report *rep)
{
    struct alias_ck ck;
    int rc = MH_OK;

    memset(&ck, 0, sizeof(ck));
    ck.cfg = cfg;
    ck.rep = rep;
    ck.flags = flags;
    ck.cur_node = ALIAS_NONE;

    if (cfg->ntables == 0) {
        rc = alias_report_add(rep, ALIAS_WARNING, NULL, 0,
                              "alias_maps and alias_database are empty: no aliases");
    }
    /* alias_maps order first: that is the lookup order. */
    for (int pass = 0; pass < 2 && rc == MH_OK; pass++) {
        for (size_t i = 0; i < cfg->ntables && rc == MH_OK; i++) {
            if ((pass == 0) == (cfg->tables[i].in_maps != 0)) {
                rc = alias_check_table(&ck, &cfg->tables[i]);
            }
        }
    }
    if (rc == MH_OK) {
        rc = alias_collect_includes(&ck);
    }
    /* The passes below can only warn. */
    if (rc == MH_OK && !(flags & ALIAS_CHECK_ERRORS_ONLY)) {
        rc = alias_check_lists(&ck);
    }
    if (rc == MH_OK && !(flags & ALIAS_CHECK_ERRORS_ONLY)) {
        rc = alias_check_targets(&ck);
    }
    if (rc == MH_OK && !(flags & ALIAS_CHECK_ERRORS_ONLY)) {
        rc = alias_find_loops(&ck);
    }
    if (rc == MH_OK && !(flags & (ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_ERRORS_ONLY))) {
        rc = alias_check_access(&ck);
    }
    if (rc == MH_OK) {
        rc = alias_list_includes(&ck);
    }
    if (rc == MH_OK && ck.oom) {
        rc = -ENOMEM;
    }
    alias_arena_free(&ck.arena);
    free(ck.inodes);
    alias_big_free(ck.nodes, ck.nodes_bytes);
    alias_big_free(ck.slots, ck.slots_bytes);
    alias_big_free(ck.tv, ck.tv_bytes);
    return rc;
}
