// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_sha256 3h
 * SUMMARY
 *	SHA-256 (FIPS 180-4), small and self-contained
 * DESCRIPTION
 *	mailha compares configuration between nodes by digest.  None of
 *	the libraries already linked (libqb, libxml2, corosync) export a
 *	hash, so this is a compact implementation written from the
 *	standard.  Not constant-time: it hashes configuration, not secrets.
 */
#ifndef MH_SHA256_H
#define MH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MH_SHA256_LEN 32
#define MH_SHA256_HEXLEN (2 * MH_SHA256_LEN + 1)

struct mh_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char buf[64];
    size_t used;
};

/* mh_sha256_init - start a digest */
void mh_sha256_init(struct mh_sha256 *ctx);

/* mh_sha256_update - hash LEN more bytes */
void mh_sha256_update(struct mh_sha256 *ctx, const void *data, size_t len);

/* mh_sha256_final - finish; OUT gets 32 bytes */
void mh_sha256_final(struct mh_sha256 *ctx, unsigned char out[MH_SHA256_LEN]);

/* mh_sha256_hex - finish into 64 lower-case hex digits and a NUL */
void mh_sha256_hex(struct mh_sha256 *ctx, char out[MH_SHA256_HEXLEN]);

/* mh_sha256_buf_hex - the hex digest of one buffer */
void mh_sha256_buf_hex(const void *data, size_t len, char out[MH_SHA256_HEXLEN]);

#endif
