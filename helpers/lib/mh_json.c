// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_json 3
 * SUMMARY
 *	JSON string literals for the helpers' reports
 * SYNOPSIS
 *	#include "mh_json.h"
 *
 *	void mh_json_str(FILE *fp, const char *s, int flags)
 *	size_t mh_utf8_len(const unsigned char *s, size_t n)
 *	void mh_text_put(FILE *fp, const char *s)
 *	size_t mh_text_escape(char *out, size_t len, const char *s)
 * DESCRIPTION
 *	Writes S between double quotes, escaping '"', '\' and bytes below
 *	0x20 (\u00XX; with MH_JSON_DEL also 0x7f); a byte that does not
 *	belong to a valid UTF-8 sequence becomes \ufffd.
 *
 *	mh_text_put() and mh_text_escape() are the text reports' rule:
 *	control bytes as \xHH, nothing else changed.  A NULL S is null with
 *	MH_JSON_NULL, else "".  Write errors are the stream's, for the
 *	caller to see with ferror().
 */
#include <stdio.h>
#include <string.h>

#include "mh_json.h"

/* mh_utf8_len - a valid UTF-8 sequence's length, or 0 */
size_t
mh_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp, min;

    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

/* mh_json_str - one escaped string literal */
void
mh_json_str(FILE *fp, const char *s, int flags)
{
    const unsigned char *p, *end;

    if (s == NULL && (flags & MH_JSON_NULL)) {
        fputs("null", fp);
        return;
    }
    putc('"', fp);
    p = (const unsigned char *) s;
    end = p != NULL ? p + strlen(s) : NULL;
    while (p != NULL && p < end) {
        size_t u;

        if (*p == '"' || *p == '\\') {
            putc('\\', fp);
            putc(*p, fp);
        } else if (*p < 0x20 || (*p == 0x7f && (flags & MH_JSON_DEL))) {
            fprintf(fp, "\\u%04x", *p);
        } else if (*p >= 0x80) {
            u = mh_utf8_len(p, (size_t) (end - p));
            if (u == 0) {
                fputs("\\ufffd", fp);
            } else {
                fwrite(p, 1, u, fp);
                p += u;
                continue;
            }
        } else {
            putc(*p, fp);
        }
        p++;
    }
    putc('"', fp);
}

/* mh_text_put - control bytes as \xHH */
void
mh_text_put(FILE *fp, const char *s)
{
    for (const unsigned char *p = (const unsigned char *) s; p != NULL && *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            fprintf(fp, "\\x%02x", *p);
        } else {
            putc(*p, fp);
        }
    }
}

/* mh_text_escape - the same into a buffer */
size_t
mh_text_escape(char *out, size_t len, const char *s)
{
    size_t o = 0;

    if (len == 0) {
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *) s; p != NULL && *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            if (o + 4 >= len) {
                break;
            }
            snprintf(out + o, 5, "\\x%02x", *p);
            o += 4;
        } else {
            if (o + 1 >= len) {
                break;
            }
            out[o++] = (char) *p;
        }
    }
    out[o] = '\0';
    return o;
}
