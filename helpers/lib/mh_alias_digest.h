// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_digest 3h
 * SUMMARY
 *	a stable digest of alias sources and include files
 * DESCRIPTION
 *	The digest is SHA-256 over, for each file-backed table in the
 *	order of the configuration, "table SPEC\n" and the source's
 *	length and bytes, then for each include file in sorted order
 *	"include PATH\n" and its length and bytes ("missing" when it
 *	cannot be read).  Two nodes with the same alias configuration
 *	print the same digest; databases, owners and times do not count.
 */
#ifndef MH_ALIAS_DIGEST_H
#define MH_ALIAS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "mh_alias_tables.h"
#include "mh_sha256.h"

/* The project's one SHA-256 (helpers/lib/mh_sha256), under this module's names. */
struct alias_sha256 {
    struct mh_sha256 ctx;
};

void alias_sha256_init(struct alias_sha256 *s);
void alias_sha256_update(struct alias_sha256 *s, const void *data, size_t len);
/* alias_sha256_hex - finish; HEX gets 64 hex digits and a NUL */
void alias_sha256_hex(struct alias_sha256 *s, char hex[65]);

/* alias_digest_file - add one named file (or its absence) to S; 0 or -ENOMEM */
int alias_digest_file(struct alias_sha256 *s, const char *label, const char *path,
                      char hex[65]);

/* alias_digest_config - digest of all tables and INCLUDES; 0 or code */
int alias_digest_config(const struct alias_config *cfg, char *const *includes,
                        size_t nincludes, char hex[65]);

#endif
