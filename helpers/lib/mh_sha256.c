// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	mh_sha256 3
 * SUMMARY
 *	SHA-256 message digest
 * SYNOPSIS
 *	#include "mh_sha256.h"
 *
 *	void mh_sha256_init(struct mh_sha256 *ctx)
 *	void mh_sha256_update(struct mh_sha256 *ctx, const void *data, size_t len)
 *	void mh_sha256_final(struct mh_sha256 *ctx, unsigned char out[32])
 *	void mh_sha256_hex(struct mh_sha256 *ctx, char out[65])
 *	void mh_sha256_buf_hex(const void *data, size_t len, char out[65])
 * DESCRIPTION
 *	Written from FIPS 180-4; checked against its test vectors in
 *	tests/unit/test_drift.c.
 */
#include <string.h>

#include "mh_sha256.h"

static const uint32_t mh_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define MH_ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* mh_sha256_block - compress one 64-byte block into the state */
static void
mh_sha256_block(struct mh_sha256 *ctx, const unsigned char *p)
{
    uint32_t w[64];
    uint32_t a, b, c, d, e, f, g, h;

    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16
            | (uint32_t) p[4 * i + 2] << 8 | (uint32_t) p[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = MH_ROR(w[i - 15], 7) ^ MH_ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = MH_ROR(w[i - 2], 17) ^ MH_ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = ctx->h[0];
    b = ctx->h[1];
    c = ctx->h[2];
    d = ctx->h[3];
    e = ctx->h[4];
    f = ctx->h[5];
    g = ctx->h[6];
    h = ctx->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = MH_ROR(e, 6) ^ MH_ROR(e, 11) ^ MH_ROR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + s1 + ch + mh_sha256_k[i] + w[i];
        uint32_t s0 = MH_ROR(a, 2) ^ MH_ROR(a, 13) ^ MH_ROR(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + maj;

        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    ctx->h[0] += a;
    ctx->h[1] += b;
    ctx->h[2] += c;
    ctx->h[3] += d;
    ctx->h[4] += e;
    ctx->h[5] += f;
    ctx->h[6] += g;
    ctx->h[7] += h;
}

/* mh_sha256_init - the initial hash value of FIPS 180-4 5.3.3 */
void
mh_sha256_init(struct mh_sha256 *ctx)
{
    static const uint32_t iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };

    memcpy(ctx->h, iv, sizeof(iv));
    ctx->bytes = 0;
    ctx->used = 0;
}

/* mh_sha256_update - buffer input, compress every full block */
void
mh_sha256_update(struct mh_sha256 *ctx, const void *data, size_t len)
{
    const unsigned char *p = data;

    ctx->bytes += len;
    while (len > 0) {
        size_t take = sizeof(ctx->buf) - ctx->used;

        if (take > len) {
            take = len;
        }
        memcpy(ctx->buf + ctx->used, p, take);
        ctx->used += take;
        p += take;
        len -= take;
        if (ctx->used == sizeof(ctx->buf)) {
            mh_sha256_block(ctx, ctx->buf);
            ctx->used = 0;
        }
    }
}

/* mh_sha256_final - pad with 0x80, zeros and the bit length */
void
mh_sha256_final(struct mh_sha256 *ctx, unsigned char out[MH_SHA256_LEN])
{
    uint64_t bits = ctx->bytes * 8;

    ctx->buf[ctx->used++] = 0x80;
    if (ctx->used > 56) {
        memset(ctx->buf + ctx->used, 0, sizeof(ctx->buf) - ctx->used);
        mh_sha256_block(ctx, ctx->buf);
        ctx->used = 0;
    }
    memset(ctx->buf + ctx->used, 0, 56 - ctx->used);
    for (int i = 0; i < 8; i++) {
        ctx->buf[56 + i] = (unsigned char) (bits >> (56 - 8 * i));
    }
    mh_sha256_block(ctx, ctx->buf);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char) (ctx->h[i] >> 24);
        out[4 * i + 1] = (unsigned char) (ctx->h[i] >> 16);
        out[4 * i + 2] = (unsigned char) (ctx->h[i] >> 8);
        out[4 * i + 3] = (unsigned char) ctx->h[i];
    }
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
