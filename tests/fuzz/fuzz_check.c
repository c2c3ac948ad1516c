// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_check - libFuzzer target for mailha-check's parsers: the JSON
 * reader for mailha-aliases' report, postconf's warning lines and the
 * restriction-list walker.  Each must return (no crash, no leak, no
 * overread), and what they return must be consistent. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../helpers/check/mh_ckfind.h"
#include "../../helpers/check/mh_ckrules.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mh_ck_findings f;
    struct mh_ck_toks t, classes;
    char *text;
    size_t where = 0;
    int n, v;

    memset(&f, 0, sizeof(f));
    n = mh_ck_aliases_json((const char *) data, size, &f);
    if (n >= 0 && (size_t) n != f.n) {
        abort();
    }
    mh_ck_free(&f);
    if (mh_ck_postconf_warnings((const char *) data, size, "3.7.11", &f) != 0) {
        abort();
    }
    mh_ck_free(&f);

    text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    if (mh_ck_tokens(text, &t) == 0) {
        if (mh_ck_tokens("rc1 rc2", &classes) == 0) {
            v = mh_ck_verdict(&t, &classes, &where);
            if (where > t.n || (v == MH_CK_FALLS && where != t.n)
                || (v != MH_CK_FALLS && where >= t.n)) {
                abort();
            }
            mh_ck_tokens_free(&classes);
        }
        mh_ck_tokens_free(&t);
    }
    free(text);
    return 0;
}
