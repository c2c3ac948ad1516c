/*
 * NAME
 *	alias_digest 3
 * SUMMARY
 *	SHA-256 digest of alias sources and include files
 * SYNOPSIS
 *	#include "alias_digest.h"
 *
 *	int alias_digest_config(const struct alias_config *cfg,
 *	                        char *const *includes, size_t nincludes,
 *	                        char hex[65])
 * DESCRIPTION
 *	SHA-256 as in FIPS 180-4, written here because the build links
 *	no crypto library.  Each file enters the digest as a label line,
 *	a decimal length line and its bytes, so that moving bytes from
 *	one file to the next changes the digest.
 * DIAGNOSTICS
 *	-ENOMEM; a file that cannot be read is digested as "missing".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "alias_check.h"
#include "alias_digest.h"

static const uint32_t alias_sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* alias_sha256_block - compress one 64-byte block */
static void
alias_sha256_block(struct alias_sha256 *s, const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, h;

    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16
            | (uint32_t) p[4 * i + 2] << 8 | (uint32_t) p[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0];
    b = s->h[1];
    c = s->h[2];
    d = s->h[3];
    e = s->h[4];
    f = s->h[5];
    g = s->h[6];
    h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g))
            + alias_sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

/* alias_sha256_init - start a digest */
void
alias_sha256_init(struct alias_sha256 *s)
{
    static const uint32_t iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };

    memset(s, 0, sizeof(*s));
    memcpy(s->h, iv, sizeof(iv));
}

/* alias_sha256_update - add bytes */
void
alias_sha256_update(struct alias_sha256 *s, const void *data, size_t len)
{
    const unsigned char *p = data;

    s->total += len;
    while (len > 0) {
        size_t take = 64 - s->used < len ? 64 - s->used : len;

        memcpy(s->buf + s->used, p, take);
        s->used += take;
        p += take;
        len -= take;
        if (s->used == 64) {
            alias_sha256_block(s, s->buf);
            s->used = 0;
        }
    }
}

/* alias_sha256_hex - pad, finish and print */
void
alias_sha256_hex(struct alias_sha256 *s, char hex[65])
{
    uint64_t bits = s->total * 8;
    unsigned char pad = 0x80, zero = 0, len[8];

    alias_sha256_update(s, &pad, 1);
    while (s->used != 56) {
        alias_sha256_update(s, &zero, 1);
    }
    for (int i = 0; i < 8; i++) {
        len[i] = (unsigned char) (bits >> (56 - 8 * i));
    }
    alias_sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
    }
}

/* alias_digest_file - label, length and bytes of one file */
int
alias_digest_file(struct alias_sha256 *s, const char *label, const char *path, char hex[65])
{
    struct alias_sha256 one;
    char head[64];
    char why[256];
    char *buf = NULL;
    size_t len = 0;
    int rc;

    alias_sha256_update(s, label, strlen(label));
    alias_sha256_update(s, " ", 1);
    alias_sha256_update(s, path, strlen(path));
    alias_sha256_update(s, "\n", 1);
    rc = alias_read_file(path, ALIAS_MAX_FILE_SIZE, &buf, &len, why, sizeof(why));
    if (rc == -ENOMEM) {
        return rc;
    }
    if (rc != MH_OK) {
        alias_sha256_update(s, "missing\n", 8);
        if (hex != NULL) {
            snprintf(hex, 65, "missing");
        }
        return MH_OK;
    }
    snprintf(head, sizeof(head), "%zu\n", len);
    alias_sha256_update(s, head, strlen(head));
    alias_sha256_update(s, buf, len);
    if (hex != NULL) {
        alias_sha256_init(&one);
        alias_sha256_update(&one, buf, len);
        alias_sha256_hex(&one, hex);
    }
    free(buf);
    return MH_OK;
}

/* alias_digest_config - digest every source and include file */
int
alias_digest_config(const struct alias_config *cfg, char *const *includes,
                    size_t nincludes, char hex[65])
{
    struct alias_sha256 s;
    int rc = MH_OK;

    alias_sha256_init(&s);
    for (size_t i = 0; i < cfg->ntables && rc == MH_OK; i++) {
        if (cfg->tables[i].source != NULL) {
            alias_sha256_update(&s, cfg->tables[i].spec, strlen(cfg->tables[i].spec));
            rc = alias_digest_file(&s, "\ntable", cfg->tables[i].source, NULL);
        }
    }
    for (size_t i = 0; i < nincludes && rc == MH_OK; i++) {
        rc = alias_digest_file(&s, "include", includes[i], NULL);
    }
    alias_sha256_hex(&s, hex);
    return rc;
}
