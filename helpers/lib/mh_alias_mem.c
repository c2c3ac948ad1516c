// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_mem 3
 * SUMMARY
 *	the checker's memory: large arrays mapped on their own, the string arena
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
int
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
void
alias_big_free(void *p, size_t bytes)
{
    if (p != NULL) {
        munmap(p, bytes);
    }
}

/* alias_arena_dup - copy N bytes of S into the arena, terminated */
const char *
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
void
alias_arena_free(struct alias_arena *a)
{
    for (size_t i = 0; i < a->nchunks; i++) {
        alias_big_free(a->chunks[i], a->sizes[i]);
    }
    free(a->chunks);
    free(a->sizes);
    memset(a, 0, sizeof(*a));
}
