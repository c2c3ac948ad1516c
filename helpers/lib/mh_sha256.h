// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_sha256 3h
 * SUMMARY
 *	SHA-256 (FIPS 180-4), from nettle
 * DESCRIPTION
 *	mailha compares configuration between nodes by digest.  The hash
 *	is nettle's (already on every Pacemaker node: pacemaker, gnutls,
 *	nettle); this header keeps the project's one spelling of it, with
 *	the hex form the digests are compared in.
 */
#ifndef MH_SHA256_H
#define MH_SHA256_H

#include <stddef.h>

#include <nettle/sha2.h>

#define MH_SHA256_LEN SHA256_DIGEST_SIZE
#define MH_SHA256_HEXLEN (2 * MH_SHA256_LEN + 1)

struct mh_sha256 {
    struct sha256_ctx ctx;
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
