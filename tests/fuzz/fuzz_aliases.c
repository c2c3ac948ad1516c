// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	fuzz_aliases 1
 * SUMMARY
 *	libFuzzer target for the aliases(5) and :include: parsers
 * DESCRIPTION
 *	Feeds the input to both parsers and checks what the callbacks
 *	receive: every string is terminated within a sane length, line
 *	numbers never exceed the number of lines, local names are folded
 *	to lower case.  Any crash, read overrun (ASan) or undefined
 *	behaviour (UBSan) is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mh_alias_parse.h"

struct fz_ctx {
    size_t maxline;
};

/* fz_check_target - one destination is sane */
static void
fz_check_target(const struct fz_ctx *c, size_t line, const struct alias_target *t)
{
    if (line == 0 || line > c->maxline || t->text == NULL
        || strlen(t->text) > ALIAS_MAX_LOGICAL_LINE) {
        abort();
    }
    if (t->kind == ALIAS_T_LOCAL) {
        for (const char *p = t->text; *p != '\0'; p++) {
            if (*p >= 'A' && *p <= 'Z') {
                abort();
            }
        }
    }
}

/* fz_entry - entry callback */
static void
fz_entry(void *ctx, const struct alias_entry *e)
{
    const struct fz_ctx *c = ctx;

    if (e->name == NULL || e->name[0] == '\0' || e->ntargets == 0) {
        abort();
    }
    for (size_t i = 0; i < e->ntargets; i++) {
        fz_check_target(c, e->line, &e->targets[i]);
    }
}

/* fz_target - include file callback */
static void
fz_target(void *ctx, size_t line, const struct alias_target *t)
{
    fz_check_target(ctx, line, t);
}

/* fz_diag - diagnostics carry a line within the input */
static void
fz_diag(void *ctx, enum alias_severity sev, size_t line, const char *msg)
{
    const struct fz_ctx *c = ctx;

    if (line == 0 || line > c->maxline || msg == NULL || sev > ALIAS_ERROR) {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_ctx c;
    struct alias_parse_cb cb = { fz_entry, fz_target, fz_diag, &c };

    c.maxline = 1;
    for (size_t i = 0; i < size; i++) {
        c.maxline += data[i] == '\n';
    }
    if (alias_parse_buf((const char *) data, size, &cb) != 0) {
        abort();
    }
    if (alias_parse_include_buf((const char *) data, size, &cb) != 0) {
        abort();
    }
    return 0;
}
