// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drift_query.c - mailha-drift --query: read the daemon's state file and
 * print which item differs from which node (moved out of main.c)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mh_clock.h"
#include "mh_driftstate.h"
#include "mh_rc.h"
#include "drift_query.h"

/* drift_query - print the state file; exit code per EXIT STATUS */
int
drift_query(const char *path)
{
    struct mh_driftstate st;
    char why[512];
    long long age;
    int rc;

    rc = mh_driftstate_read(path, &st, why, sizeof(why));
    if (rc != MH_OK) {
        printf("mailha-drift: not running (%s)\n", why);
        return DRIFT_QUERY_DOWN;
    }
    if (st.pid <= 0 || (kill((pid_t) st.pid, 0) != 0 && errno == ESRCH)) {
        printf("mailha-drift: not running (pid %ld is gone)\n", st.pid);
        mh_driftstate_free(&st);
        return DRIFT_QUERY_DOWN;
    }
    age = (mh_clock_read(CLOCK_BOOTTIME, 100) - st.uptime_cs) / 100;
    if (age > 3 * (long long) st.interval + 10) {
        printf("mailha-drift: stale state (%lld s old, pid %ld)\n", age, st.pid);
        mh_driftstate_free(&st);
        return DRIFT_QUERY_DOWN;
    }
    printf("mailha-drift on %s (nodeid %u): %s", st.node, st.nodeid, st.status);
    if (st.items > 0) {
        printf(", %u item%s differ%s", st.items, st.items == 1 ? "" : "s",
               st.items == 1 ? "s" : "");
    }
    printf("\nmembers:");
    for (size_t i = 0; i < st.nmembers; i++) {
        printf(" %s(%u)", st.members[i].name, st.members[i].nodeid);
    }
    printf("\n");
    if (st.reason[0] != '\0') {
        printf("reason: %s\n", st.reason);
    }
    for (size_t i = 0; i < st.nfindings; i++) {
        const char *k = st.findings[i].kind;

        if (strcmp(k, "missing-here") == 0) {
            printf("%s: only on %s, not on %s\n", st.findings[i].item, st.findings[i].node, st.node);
        } else if (strcmp(k, "missing-there") == 0) {
            printf("%s: only on %s, not on %s\n", st.findings[i].item, st.node, st.findings[i].node);
        } else {
            printf("%s: differs between %s and %s\n", st.findings[i].item, st.node,
                   st.findings[i].node);
        }
    }
    if (strcmp(st.status, "drift") == 0) {
        rc = DRIFT_QUERY_DRIFT;
    } else if (strcmp(st.status, "ok") == 0 || strcmp(st.status, "alone") == 0) {
        rc = DRIFT_QUERY_OK;
    } else {
        rc = DRIFT_QUERY_NOTIN;
    }
    mh_driftstate_free(&st);
    return rc;
}
