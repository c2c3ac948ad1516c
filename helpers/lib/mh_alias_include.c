// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_include 3
 * SUMMARY
 *	follow :include: files: each file once, as its delivery user reads it
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
int
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
int
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

/* alias_cmp_str - qsort helper */
static int
alias_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* alias_list_includes - the sorted list of include files seen */
int
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
