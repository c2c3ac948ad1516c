// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_probemsg - libFuzzer target for mailha-probe's mbox scanner.
 *
 * mailha-probe -d reads a mailbox its user can write anything into, in
 * pieces (issue 15 #4/#5: no mapping, the deadline checked between
 * pieces).  The streaming scanner, fed the input in pieces of a size
 * taken from the first byte, must find exactly the span the in-memory
 * mh_probemsg_mbox_find() finds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "../../helpers/probe/probe_msg.h"

#define TOKEN "0123456789abcdef"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mh_probemsg_scan sc;
    size_t step, off = 0, ws = 0, we = 0;
    long long gs = -1, ge = -1;
    const char *buf;
    int want, got;

    if (size < 1) {
        return 0;
    }
    step = (size_t) data[0] % 64 + 1;
    buf = (const char *) data + 1;
    size--;
    want = mh_probemsg_mbox_find(buf, size, TOKEN, &ws, &we);
    if (mh_probemsg_scan_init(&sc, TOKEN) != MH_OK) {
        abort();
    }
    while (off < size) {
        size_t n = size - off < step ? size - off : step;

        if (mh_probemsg_scan_feed(&sc, buf + off, n)) {
            break;
        }
        off += n;
    }
    got = mh_probemsg_scan_end(&sc, &gs, &ge);
    if (got != want) {
        abort();
    }
    if (want == MH_OK && (gs != (long long) ws || ge != (long long) we)) {
        abort();
    }
    return 0;
}
