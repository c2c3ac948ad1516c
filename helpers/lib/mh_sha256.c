// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_sha256 3
 * SUMMARY
 *	SHA-256 message digest (nettle's)
 * SYNOPSIS
 *	#include "mh_sha256.h"
 *
 *	void mh_sha256_init(struct mh_sha256 *ctx)
 *	void mh_sha256_update(struct mh_sha256 *ctx, const void *data, size_t len)
 *	void mh_sha256_final(struct mh_sha256 *ctx, unsigned char out[32])
 *	void mh_sha256_hex(struct mh_sha256 *ctx, char out[65])
 *	void mh_sha256_buf_hex(const void *data, size_t len, char out[65])
 * DESCRIPTION
 *	A thin layer over nettle's sha256_init/_update/_digest, adding
 *	the lower-case hex form.  FIPS 180-4's test vectors are checked in
 *	tests/unit/test_drift.c and tests/unit/test_aliases.c.
 */
#include "mh_sha256.h"

/* mh_sha256_init - the initial hash value of FIPS 180-4 5.3.3 */
void
mh_sha256_init(struct mh_sha256 *ctx)
{
    sha256_init(&ctx->ctx);
}

/* mh_sha256_update - hash LEN more bytes */
void
mh_sha256_update(struct mh_sha256 *ctx, const void *data, size_t len)
{
    if (len > 0) {
        sha256_update(&ctx->ctx, len, data);
    }
}

/* mh_sha256_final - finish; nettle's digest also resets the context */
void
mh_sha256_final(struct mh_sha256 *ctx, unsigned char out[MH_SHA256_LEN])
{
    sha256_digest(&ctx->ctx, MH_SHA256_LEN, out);
}

/* mh_sha256_hex - finish and print as hex */
void
mh_sha256_hex(struct mh_sha256 *ctx, char out[MH_SHA256_HEXLEN])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[MH_SHA256_LEN];

    mh_sha256_final(ctx, md);
    for (int i = 0; i < MH_SHA256_LEN; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * MH_SHA256_LEN] = '\0';
}

/* mh_sha256_buf_hex - digest of one buffer, as hex */
void
mh_sha256_buf_hex(const void *data, size_t len, char out[MH_SHA256_HEXLEN])
{
    struct mh_sha256 ctx;

    mh_sha256_init(&ctx);
    mh_sha256_update(&ctx, data, len);
    mh_sha256_hex(&ctx, out);
}
