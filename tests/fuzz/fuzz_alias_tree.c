// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	fuzz_alias_tree 1
 * SUMMARY
 *	libFuzzer target for mailha-aliases' check of include trees
 * DESCRIPTION
 *	The input is up to four files separated by the byte 0x1e: an alias
 *	table, then include files f1, f2, f3 in a private directory; "@N"
 *	in any of them becomes ":include:DIR/fN" (f4 is a symlink to f1),
 *	so the fuzzer builds trees, loops, shared files and deep nests.
 *	The whole check runs on them (no delivery-user child).  Besides
 *	memory errors (ASan, UBSan), issue 15's rules are checked: an error
 *	is only ever reported against the table (a list file's problems are
 *	warnings), include files are listed once each, and no finding is
 *	longer than a bounded quote allows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mh_rc.h"
#include "mh_alias_check.h"
#include "mh_alias_tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fz_dir[64];

/* fz_cleanup - the private directory, at exit */
static void
fz_cleanup(void)
{
    static const char *const names[] = { "aliases", "f1", "f2", "f3", "f4" };
    char path[128];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", fz_dir, names[i]);
        unlink(path);
    }
    rmdir(fz_dir);
}

/* fz_write - one file, "@N" expanded to ":include:DIR/fN" */
static void
fz_write(const char *path, const uint8_t *p, size_t n)
{
    FILE *fp = fopen(path, "w");

    if (fp == NULL) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '@' && i + 1 < n && p[i + 1] >= '1' && p[i + 1] <= '4') {
            fprintf(fp, ":include:%s/f%c", fz_dir, p[i + 1]);
            i++;
        } else {
            putc(p[i], fp);
        }
    }
    fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alias_config cfg;
    struct alias_report rep;
    char path[128], table[128], maps[160];
    size_t start = 0;
    int k = 0;

    if (fz_dir[0] == '\0') {
        char link[128];

        snprintf(fz_dir, sizeof(fz_dir), "/tmp/mh-fz-tree.%ld", (long) getpid());
        mkdir(fz_dir, 0755);
        snprintf(path, sizeof(path), "%s/f1", fz_dir);
        snprintf(link, sizeof(link), "%s/f4", fz_dir);
        unlink(link);
        if (symlink(path, link) != 0) {
            abort();
        }
        atexit(fz_cleanup);
    }
    snprintf(table, sizeof(table), "%s/aliases", fz_dir);
    for (k = 0; k < 4; k++) {
        const uint8_t *sep = start < size ? memchr(data + start, 0x1e, size - start) : NULL;
        size_t end = sep != NULL ? (size_t) (sep - data) : size;

        if (k == 0) {
            snprintf(path, sizeof(path), "%s", table);
        } else {
            snprintf(path, sizeof(path), "%s/f%d", fz_dir, k);
        }
        fz_write(path, data + (start < size ? start : size), start < size ? end - start : 0);
        start = end + 1;
    }
    snprintf(maps, sizeof(maps), "hash:%s", table);
    memset(&cfg, 0, sizeof(cfg));
    if (alias_config_set(&cfg, maps, maps, "hash") != MH_OK) {
        abort();
    }
    cfg.default_privs = strdup("nobody");
    cfg.recipient_delimiter = strdup("+");
    cfg.include_files = 1;
    memset(&rep, 0, sizeof(rep));
    if (alias_check_run(&cfg, ALIAS_CHECK_NO_ACCESS | ALIAS_CHECK_NO_ACCOUNT
                        | ALIAS_CHECK_NO_FRESH, &rep) != MH_OK) {
        abort();
    }
    for (size_t i = 0; i < rep.n; i++) {
        const struct alias_finding *f = &rep.v[i];

        /* a list file's problems never stop the database */
        if (f->sev == ALIAS_ERROR && f->file != NULL && strcmp(f->file, table) != 0) {
            abort();
        }
        if (strlen(f->msg) > 4096) {
            abort();
        }
    }
    for (size_t i = 1; i < rep.nincludes; i++) {
        if (strcmp(rep.includes[i - 1], rep.includes[i]) >= 0) {
            abort();
        }
    }
    alias_report_free(&rep);
    alias_config_free(&cfg);
    return 0;
}
