// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_check 3
 * SUMMARY
 *	check alias tables, mailing lists and :include: files
 * SYNOPSIS
 *	#include "mh_alias_check.h"
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
#include "mh_alias_ck.h"

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
