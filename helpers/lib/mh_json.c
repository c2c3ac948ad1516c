/*
 * NAME
 *	mh_json 3
 * SUMMARY
 *	JSON string literals for the helpers' reports
 * SYNOPSIS
 *	#include "mh_json.h"
 *
 *	void mh_json_str(FILE *fp, const char *s, int flags)
 * DESCRIPTION
 *	Writes S between double quotes, escaping '"', '\' and bytes below
 *	0x20 (\u00XX; with MH_JSON_DEL also 0x7f).  A NULL S is null with
 *	MH_JSON_NULL, else "".  Write errors are the stream's, for the
 *	caller to see with ferror().
 */
#include <stdio.h>

#include "mh_json.h"

/* mh_json_str - one escaped string literal */
void
mh_json_str(FILE *fp, const char *s, int flags)
{
    if (s == NULL && (flags & MH_JSON_NULL)) {
        fputs("null", fp);
        return;
    }
    putc('"', fp);
    for (const unsigned char *p = (const unsigned char *) s; p != NULL && *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            putc('\\', fp);
            putc(*p, fp);
        } else if (*p < 0x20 || (*p == 0x7f && (flags & MH_JSON_DEL))) {
            fprintf(fp, "\\u%04x", *p);
        } else {
            putc(*p, fp);
        }
    }
    putc('"', fp);
}
