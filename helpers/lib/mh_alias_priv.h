// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_alias_priv 3h
 * SUMMARY
 *	read files as another user: setfsuid/setfsgid and that user's groups
 */
#ifndef MH_ALIAS_PRIV_H
#define MH_ALIAS_PRIV_H

#include <stddef.h>
#include <sys/types.h>

/* alias_fsids - the file-system identity an include file is read with */
struct alias_fsids {
    int switched;
    char name[64];              /* the user's name, for reasons */
    gid_t *groups;              /* root's own supplementary groups */
    int ngroups;
};

/* alias_become - read files as UID from now on (nothing when not root or
 * UID is 0); 0, or a negative code with WHY */
int alias_become(uid_t uid, struct alias_fsids *sv, char *why, size_t whylen);

/* alias_unbecome - root's file-system identity and groups again (aborts
 * rather than go on with another's groups) */
void alias_unbecome(struct alias_fsids *sv);

#endif
