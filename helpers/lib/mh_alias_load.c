// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_load 3
 * SUMMARY
 *	load alias tables into the graph (parser callbacks, one table at a time)
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

static void alias_entry_commit(struct alias_ck *ck);

/* alias_cb_diag - a parser diagnostic becomes a finding */
void
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
void
alias_cb_target(void *ctx, size_t line, const struct alias_target *t)
{
    struct alias_ck *ck = ctx;

    ck->nodes[ck->cur_node].ntargets += (uint32_t) alias_add_target(ck, t->kind, t->text, line);
}

/* alias_count_lines - physical lines in BUF */
size_t
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
int
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
