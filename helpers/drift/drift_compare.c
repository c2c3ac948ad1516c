// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	compare 3
 * SUMMARY
 *	mailha-drift: compare this node's digest set with a peer's
 * SYNOPSIS
 *	#include "drift.h"
 *
 *	int drift_compare(const struct drift_set *mine, const struct drift_set *peer,
 *	                  const char *peer_node, struct drift_findings *out)
 *	size_t drift_findings_items(const struct drift_findings *f)
 * DESCRIPTION
 *	drift_compare() walks both sorted sets once and appends a finding
 *	for every item whose digest differs, or that one side lacks, each
 *	naming the item and the peer.  drift_findings_items() counts the
 *	distinct items among findings (an item that differs from two peers
 *	counts once): the number published as the node attribute.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mh_rc.h"
#include "drift.h"

/* drift_finding_add - append one finding */
static int
drift_finding_add(struct drift_findings *out, const char *item, const char *node,
                  enum drift_kind kind)
{
    struct drift_finding *f;

    if (out->count == out->cap) {
        size_t ncap = out->cap ? out->cap * 2 : 16;
        struct drift_finding *nv = realloc(out->v, ncap * sizeof(*nv));

        if (nv == NULL) {
            return -ENOMEM;
        }
        out->v = nv;
        out->cap = ncap;
    }
    f = &out->v[out->count];
    f->item = strdup(item);
    f->node = strdup(node);
    f->kind = kind;
    if (f->item == NULL || f->node == NULL) {
        free(f->item);
        free(f->node);
        return -ENOMEM;
    }
    out->count++;
    return MH_OK;
}

/* drift_compare - merge-walk two sorted sets */
int
drift_compare(const struct drift_set *mine, const struct drift_set *peer,
              const char *peer_node, struct drift_findings *out)
{
    size_t i = 0, j = 0;
    int rc = MH_OK;

    while (rc == MH_OK && (i < mine->count || j < peer->count)) {
        int cmp;

        if (i == mine->count) {
            cmp = 1;
        } else if (j == peer->count) {
            cmp = -1;
        } else {
            cmp = strcmp(mine->items[i].name, peer->items[j].name);
        }
        if (cmp < 0) {
            rc = drift_finding_add(out, mine->items[i].name, peer_node, DRIFT_MISSING_THERE);
            i++;
        } else if (cmp > 0) {
            rc = drift_finding_add(out, peer->items[j].name, peer_node, DRIFT_MISSING_HERE);
            j++;
        } else {
            if (strcmp(mine->items[i].digest, peer->items[j].digest) != 0) {
                rc = drift_finding_add(out, mine->items[i].name, peer_node, DRIFT_DIFFERS);
            }
            i++;
            j++;
        }
    }
    return rc;
}

/* drift_findings_items - distinct items among the findings */
size_t
drift_findings_items(const struct drift_findings *f)
{
    size_t n = 0;

    for (size_t i = 0; i < f->count; i++) {
        size_t k;

        for (k = 0; k < i; k++) {
            if (strcmp(f->v[k].item, f->v[i].item) == 0) {
                break;
            }
        }
        if (k == i) {
            n++;
        }
    }
    return n;
}

/* drift_kind_str - the word used in the state file and reports */
const char *
drift_kind_str(enum drift_kind kind)
{
    switch (kind) {
    case DRIFT_DIFFERS:
        return "differs";
    case DRIFT_MISSING_HERE:
        return "missing-here";
    case DRIFT_MISSING_THERE:
        return "missing-there";
    }
    return "unknown";
}

/* drift_findings_free - release the findings */
void
drift_findings_free(struct drift_findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->v[i].item);
        free(f->v[i].node);
    }
    free(f->v);
    memset(f, 0, sizeof(*f));
}
