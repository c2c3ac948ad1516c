// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_status_xml - libFuzzer target: mailha-status reads crm_mon XML that
 * may come from a file the operator names (--crm-mon-xml), so the reader,
 * the judgement and all three renderings must survive any input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mh_rc.h"
#include "../../helpers/status/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct st_cluster c;
    struct st_problems p;
    char why[256];
    FILE *sink;

    if (st_cmxml_parse((const char *) data, size, &c, why, sizeof(why)) != MH_OK) {
        return 0;
    }
    sink = fopen("/dev/null", "w");
    if (st_evaluate(&c, 10, &p) == MH_OK && sink != NULL) {
        st_render_text(sink, &c, &p);
        st_render_json(sink, &c, &p);
        st_render_xml(sink, &c, &p);
    }
    if (sink != NULL) {
        fclose(sink);
    }
    st_problems_free(&p);
    st_cluster_free(&c);
    return 0;
}
