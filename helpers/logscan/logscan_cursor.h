// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_lscursor 3h
 * SUMMARY
 *	where mailha-logscan stopped reading a log, kept between runs
 * DESCRIPTION
 *	A cursor names the log file by device and inode, the offset after
 *	the last complete line read, and a hash of up to MH_LSCURSOR_TAIL
 *	bytes before that offset: a log truncated and written again past
 *	the old offset has other bytes there, so it is read from the
 *	start instead of from the middle of a line.  It also keeps the
 *	last health level (and when it was first reached) and the last
 *	value published to the cluster (and when).
 *
 *	The file is text, one "key value" a line, written to a temporary
 *	file in the same directory and renamed over the old one.
 */
#ifndef MH_LSCURSOR_H
#define MH_LSCURSOR_H


#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>

#define MH_LSCURSOR_TAIL 64

struct mh_lscursor {
    int valid;                  /* read from a file, and sane */
    uint64_t dev;
    uint64_t ino;
    uint64_t offset;
    uint32_t tail_len;
    uint64_t tail_hash;
    char health[8];             /* green, yellow, red or "" */
    int64_t health_since;       /* wall clock seconds */
    char published[8];          /* value last given to attrd_updater */
    int64_t published_at;
};

enum mh_lscursor_how {
    MH_LSCURSOR_FRESH,          /* no cursor: start per caller's choice */
    MH_LSCURSOR_CONTINUE,       /* same file, read on from offset */
    MH_LSCURSOR_ROTATED,        /* another inode: start from 0 */
    MH_LSCURSOR_TRUNCATED,      /* smaller than offset: start from 0 */
    MH_LSCURSOR_REWRITTEN,      /* other bytes before offset: from 0 */
};

/* mh_lscursor_hash - FNV-1a 64 of a byte string */
uint64_t mh_lscursor_hash(const void *data, size_t len);

/* mh_lscursor_parse - parse cursor text; 0 or MH_E_PARSE */
int mh_lscursor_parse(const char *text, size_t len, struct mh_lscursor *cur);

/* mh_lscursor_format - cursor text into buf; length or MH_E_TOOLONG */
int mh_lscursor_format(const struct mh_lscursor *cur, char *buf, size_t size);

/* mh_lscursor_load - read a cursor file; -ENOENT when there is none */
int mh_lscursor_load(const char *path, struct mh_lscursor *cur, char *why, size_t whylen);

/* mh_lscursor_save - write a cursor file atomically (temp + rename) */
int mh_lscursor_save(const char *path, const struct mh_lscursor *cur, char *why, size_t whylen);

/* mh_lscursor_resume - where to start reading fd (stat st) */
int mh_lscursor_resume(const struct mh_lscursor *cur, int fd, const struct stat *st,
                       off_t *start);

/* mh_lscursor_set - record file, offset and the tail hash read from fd */
int mh_lscursor_set(struct mh_lscursor *cur, int fd, const struct stat *st, off_t offset);

/* mh_lscursor_recent - 1 if t is a time not after now and less than
 * secs before it; a time in the future (clock stepped back) or before
 * the epoch is never recent */
int mh_lscursor_recent(int64_t t, int64_t now, long secs);

/* mh_lscursor_how_name - "continue", "rotated", ... */
const char *mh_lscursor_how_name(int how);

#endif
