// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	fuzz_auth_hs 1
 * SUMMARY
 *	libFuzzer target for the Dovecot auth handshake reader
 * DESCRIPTION
 *	The input (after its first byte) is a server's handshake as
 *	mailha-probe --auth-server reads it.  It is fed whole, and again in
 *	pieces whose size the first byte picks (1 to 16 bytes); the two
 *	must agree on the result, the mechanism list and the line count,
 *	however the bytes fall.  The mechanism list is always a
 *	NUL-terminated string inside its buffer; done implies VERSION first
 *	and a mechanism.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../helpers/probe/probe_auth.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mh_auth_hs whole, parts;
    char why1[256], why2[256];
    size_t step, off;
    int rc1, rc2 = 0;

    if (size < 1) {
        return 0;
    }
    step = (size_t) (data[0] % 16) + 1;
    data++;
    size--;
    mh_auth_hs_init(&whole);
    rc1 = mh_auth_hs_feed(&whole, (const char *) data, size, why1, sizeof(why1));
    mh_auth_hs_init(&parts);
    for (off = 0; off < size && rc2 == 0; off += step) {
        rc2 = mh_auth_hs_feed(&parts, (const char *) data + off,
                              size - off < step ? size - off : step, why2, sizeof(why2));
    }
    if (rc1 != rc2 || strcmp(whole.mechs, parts.mechs) != 0 || whole.nlines != parts.nlines
        || whole.nmech != parts.nmech) {
        abort();
    }
    if (memchr(whole.mechs, '\0', sizeof(whole.mechs)) == NULL) {
        abort();
    }
    if (whole.done && (!whole.version_ok || whole.nmech == 0)) {
        abort();
    }
    return 0;
}
