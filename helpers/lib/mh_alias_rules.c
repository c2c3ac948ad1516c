// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_rules 3
 * SUMMARY
 *	the rules on entries: unknown local targets, lists without owner-/-request
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
int
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
int
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
