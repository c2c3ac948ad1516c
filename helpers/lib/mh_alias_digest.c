// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	alias_digest 3
 * SUMMARY
 *	SHA-256 digest of alias sources and include files
 * SYNOPSIS
 *	#include "mh_alias_digest.h"
 *
 *	int alias_digest_config(const struct alias_config *cfg,
 *	                        char *const *includes, size_t nincludes,
 *	                        char hex[65])
 * DESCRIPTION
 *	SHA-256 from helpers/lib/mh_sha256.  Each file enters the digest as a label line,
 *	a decimal length line and its bytes, so that moving bytes from
 *	one file to the next changes the digest.
 * DIAGNOSTICS
 *	-ENOMEM; a file that cannot be read is digested as "missing".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "mh_alias_check.h"
#include "mh_alias_digest.h"

/* alias_sha256_init - start a digest */
void
alias_sha256_init(struct alias_sha256 *s)
{
    mh_sha256_init(&s->ctx);
}

/* alias_sha256_update - add bytes */
void
alias_sha256_update(struct alias_sha256 *s, const void *data, size_t len)
{
    mh_sha256_update(&s->ctx, data, len);
}

/* alias_sha256_hex - pad, finish and print */
void
alias_sha256_hex(struct alias_sha256 *s, char hex[65])
{
    mh_sha256_hex(&s->ctx, hex);
}

/* alias_digest_file - label, length and bytes of one file */
int
alias_digest_file(struct alias_sha256 *s, const char *label, const char *path, char hex[65])
{
    struct alias_sha256 one;
    char head[64];
    char why[256];
    char *buf = NULL;
    size_t len = 0;
    int rc;

    alias_sha256_update(s, label, strlen(label));
    alias_sha256_update(s, " ", 1);
    alias_sha256_update(s, path, strlen(path));
    alias_sha256_update(s, "\n", 1);
    rc = alias_read_file(path, ALIAS_MAX_FILE_SIZE, &buf, &len, why, sizeof(why));
    if (rc == -ENOMEM) {
        return rc;
    }
    if (rc != MH_OK) {
        alias_sha256_update(s, "missing\n", 8);
        if (hex != NULL) {
            snprintf(hex, 65, "missing");
        }
        return MH_OK;
    }
    snprintf(head, sizeof(head), "%zu\n", len);
    alias_sha256_update(s, head, strlen(head));
    alias_sha256_update(s, buf, len);
    if (hex != NULL) {
        alias_sha256_init(&one);
        alias_sha256_update(&one, buf, len);
        alias_sha256_hex(&one, hex);
    }
    free(buf);
    return MH_OK;
}

/* alias_digest_config - digest every source and include file */
int
alias_digest_config(const struct alias_config *cfg, char *const *includes,
                    size_t nincludes, char hex[65])
{
    struct alias_sha256 s;
    int rc = MH_OK;

    alias_sha256_init(&s);
    for (size_t i = 0; i < cfg->ntables && rc == MH_OK; i++) {
        if (cfg->tables[i].source != NULL) {
            alias_sha256_update(&s, cfg->tables[i].spec, strlen(cfg->tables[i].spec));
            rc = alias_digest_file(&s, "\ntable", cfg->tables[i].source, NULL);
        }
    }
    for (size_t i = 0; i < nincludes && rc == MH_OK; i++) {
        rc = alias_digest_file(&s, "include", includes[i], NULL);
    }
    alias_sha256_hex(&s, hex);
    return rc;
}
