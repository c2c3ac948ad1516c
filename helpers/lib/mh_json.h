/*
 * NAME
 *	mh_json 3h
 * SUMMARY
 *	write a string as a JSON string literal
 * DESCRIPTION
 *	The helpers' --json reports all quote strings the same way: '"'
 *	and '\' get a backslash, control characters become \u00XX, every
 *	other byte (UTF-8 included) is written as it is.  Two flags keep
 *	the reports' existing bytes: whether DEL (0x7f) is escaped too, and
 *	whether a NULL pointer is written as null or as "".
 */
#ifndef MH_JSON_H
#define MH_JSON_H

#include <stdio.h>

#define MH_JSON_DEL  (1 << 0)   /* escape 0x7f as \u007f */
#define MH_JSON_NULL (1 << 1)   /* NULL is null (without it: "") */

/* mh_json_str - S as a JSON string literal on FP */
void mh_json_str(FILE *fp, const char *s, int flags);

#endif
