// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_logscan - libFuzzer target for mailha-logscan's line classifier.
 *
 * The fast classifier (colon search, one-byte switch, line boundaries
 * found only around a match) must agree with a naive reference that
 * splits the input into lines and looks for each "token:" with memmem:
 * same matching lines, same worst class for each, same counts.  The
 * input is also fed to the cursor parser, whose output must survive a
 * format/parse round trip, and its times to the check against now
 * (issue 15 #6: no overflow, nothing in the future or before the epoch
 * counts as recent). */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../helpers/logscan/logscan_class.h"
#include "../../helpers/logscan/logscan_cursor.h"

struct ref_state {
    const uint8_t *data;
    size_t size;
    size_t pos;                 /* where the reference looks next */
    struct mh_lsc_counts counts;
};

/* ref_classify - the naive reading of egrep '(reject|...|panic):' */
static int
ref_classify(const char *line, size_t len)
{
    static const char *const tok[MH_LSC_NCLASS] = {
        NULL, "reject:", "warning:", "error:", "fatal:", "panic:",
    };
    int worst = MH_LSC_NONE;

    for (int c = MH_LSC_REJECT; c < MH_LSC_NCLASS; c++) {
        if (memmem(line, len, tok[c], strlen(tok[c])) != NULL) {
            worst = c;
        }
    }
    return worst;
}

/* ref_next - the reference's next matching line at or after st->pos */
static int
ref_next(struct ref_state *st, const char **line, size_t *len)
{
    while (st->pos < st->size) {
        const char *s = (const char *) st->data + st->pos;
        const char *nl = memchr(s, '\n', st->size - st->pos);
        size_t l = nl != NULL ? (size_t) (nl - s) : st->size - st->pos;
        int c = ref_classify(s, l);

        st->pos += l + 1;
        if (c != MH_LSC_NONE) {
            *line = s;
            *len = l;
            return c;
        }
    }
    return MH_LSC_NONE;
}

/* check_line - each line the classifier reports is the reference's next */
static int
check_line(void *ctx, const char *line, size_t len, int cls)
{
    struct ref_state *st = ctx;
    const char *rline = NULL;
    size_t rlen = 0;
    int rcls = ref_next(st, &rline, &rlen);

    if (rcls != cls || rline != line || rlen != len) {
        abort();
    }
    st->counts.matched++;
    st->counts.by_class[cls]++;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ref_state st;
    struct mh_lsc_counts counts;
    struct mh_lscursor cur, again;
    const char *rline;
    size_t rlen;
    char text[1024];
    int len;

    memset(&st, 0, sizeof(st));
    memset(&counts, 0, sizeof(counts));
    st.data = data;
    st.size = size;
    if (mh_lsc_scan((const char *) data, size, &counts, check_line, &st) != 0) {
        abort();
    }
    /* nothing the reference matches is left over */
    if (ref_next(&st, &rline, &rlen) != MH_LSC_NONE) {
        abort();
    }
    if (memcmp(&counts, &st.counts, sizeof(counts)) != 0) {
        abort();
    }
    /* the one-line classifier agrees with the reference too */
    if (memchr(data, '\n', size) == NULL
        && mh_lsc_classify_line((const char *) data, size)
        != ref_classify((const char *) data, size)) {
        abort();
    }

    if (mh_lscursor_parse((const char *) data, size, &cur) == 0) {
        len = mh_lscursor_format(&cur, text, sizeof(text));
        if (len < 0 || mh_lscursor_parse(text, (size_t) len, &again) != 0
            || again.offset != cur.offset || again.ino != cur.ino
            || again.tail_hash != cur.tail_hash || strcmp(again.health, cur.health) != 0) {
            abort();
        }
        static const int64_t nows[] = { 0, 1764288000, INT64_MAX };
        static const long holds[] = { 0, 900, LONG_MAX };

        for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
            for (size_t j = 0; j < sizeof(holds) / sizeof(holds[0]); j++) {
                int64_t t[2] = { cur.health_since, cur.published_at };

                for (int k = 0; k < 2; k++) {
                    if (mh_lscursor_recent(t[k], nows[i], holds[j])
                        && (t[k] < 0 || t[k] > nows[i] || holds[j] == 0)) {
                        abort();
                    }
                }
            }
        }
    }
    return 0;
}
