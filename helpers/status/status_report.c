// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	report 3
 * SUMMARY
 *	mailha-status: judge the cluster, and print it three ways
 * SYNOPSIS
 *	#include "status.h"
 *
 *	int st_evaluate(const struct st_cluster *c, long deferred_warn,
 *	                struct st_problems *p)
 *	void st_render_text(FILE *fp, const struct st_cluster *c,
 *	                    const struct st_problems *p)
 *	void st_render_json(FILE *fp, ...)
 *	int st_render_xml(FILE *fp, ...)
 * DESCRIPTION
 *	st_evaluate() lists what an operator must look at:
 *
 *	CRITICAL: no DC or no quorum; an unclean node; a mailha resource
 *	failed; no active ocf:mailha:mailspool or ocf:mailha:postfix, or
 *	one active on two nodes, or the two on different nodes; a DRBD
 *	promotable clone with no Promoted instance; #health-mail red.
 *
 *	WARNING: a node offline, in standby or maintenance; failed actions
 *	in the history; a node reporting drift (mailha-drift > 0); a DRBD
 *	clone with no Unpromoted peer; #health-mail or node health
 *	yellow; more deferred mail than the threshold; no mailha resource.
 *
 *	The worst severity is the exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "mh_json.h"
#include "mh_rc.h"
#include "status.h"

#define ST_SPOOL_AGENT "ocf:mailha:mailspool"
#define ST_POSTFIX_AGENT "ocf:mailha:postfix"

/* st_problem - add one problem */
static int
st_problem(struct st_problems *p, enum st_sev sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
st_problem(struct st_problems *p, enum st_sev sev, const char *fmt, ...)
{
    struct st_problem *nv = realloc(p->v, (p->count + 1) * sizeof(*nv));
    va_list ap;
    int n;

    if (nv == NULL) {
        return -ENOMEM;
    }
    p->v = nv;
    va_start(ap, fmt);
    n = vasprintf(&nv[p->count].text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return -ENOMEM;
    }
    nv[p->count].sev = sev;
    p->count++;
    if (sev > p->worst) {
        p->worst = sev;
    }
    return MH_OK;
}

/* st_sev_str - the Nagios word */
const char *
st_sev_str(enum st_sev sev)
{
    switch (sev) {
    case ST_OK:
        return "OK";
    case ST_WARNING:
        return "WARNING";
    case ST_CRITICAL:
        return "CRITICAL";
    case ST_UNKNOWN:
        break;
    }
    return "UNKNOWN";
}

/* st_str - NULL as "" */
static const char *
st_str(const char *s)
{
    return s != NULL ? s : "";
}

/* st_is_promoted / st_is_unpromoted - either spelling of the roles */
static int
st_is_promoted(const char *role)
{
    return role != NULL && (strcmp(role, "Promoted") == 0 || strcmp(role, "Master") == 0);
}

static int
st_is_unpromoted(const char *role)
{
    return role != NULL && (strcmp(role, "Unpromoted") == 0 || strcmp(role, "Slave") == 0);
}

/* st_is_drbd - a DRBD instance: agent ocf:linbit:drbd (or any *:drbd) */
static int
st_is_drbd(const struct st_rsc *r)
{
    const char *colon = r->agent != NULL ? strrchr(r->agent, ':') : NULL;

    return r->promotable && colon != NULL && strcmp(colon + 1, "drbd") == 0;
}

/* st_last_failure - the newest failure recorded for RSC (the last one) */
const struct st_failure *
st_last_failure(const struct st_cluster *c, const char *rsc)
{
    const struct st_failure *f = NULL;

    if (c->ridx != NULL) {
        struct st_rsc_index key = { rsc, 0 };
        const struct st_rsc_index *r = bsearch(&key, c->ridx, c->nridx, sizeof(key), st_ridx_cmp);

        if (r == NULL || r->last_failure == 0 || r->last_failure > c->nfailures) {
            return NULL;
        }
        return &c->failures[r->last_failure - 1];
    }
    for (size_t i = 0; i < c->nfailures; i++) {
        if (c->failures[i].rsc != NULL && strcmp(c->failures[i].rsc, rsc) == 0) {
            f = &c->failures[i];
        }
    }
    return f;
}

/* st_drbd_cmp - DRBD instances by id, then by their place in the list */
static int
st_drbd_cmp(const void *a, const void *b, void *arg)
{
    const struct st_cluster *c = arg;
    size_t i = *(const size_t *) a, k = *(const size_t *) b;
    int d = strcmp(c->rscs[i].id, c->rscs[k].id);

    return d != 0 ? d : (i > k) - (i < k);
}

/* st_drbd_first_cmp - groups by the place of their first instance */
static int
st_drbd_first_cmp(const void *a, const void *b)
{
    size_t i = ((const size_t *) a)[0], k = ((const size_t *) b)[0];

    return (i > k) - (i < k);
}

/* st_check_drbd - per DRBD id, a Promoted and an Unpromoted instance;
 * grouped by sorting, not by a scan of all resources per resource
 * (issue 15 #10: crafted crm_mon XML made that quadratic) */
static int
st_check_drbd(const struct st_cluster *c, struct st_problems *p)
{
    size_t *idx, (*grp)[3], n = 0, ng = 0;
    int rc = MH_OK;

    idx = calloc(c->nrscs ? c->nrscs : 1, sizeof(*idx));
    grp = calloc(c->nrscs ? c->nrscs : 1, sizeof(*grp));
    if (idx == NULL || grp == NULL) {
        free(idx);
        free(grp);
        return -ENOMEM;
    }
    for (size_t i = 0; i < c->nrscs; i++) {
        if (st_is_drbd(&c->rscs[i])) {
            idx[n++] = i;
        }
    }
    qsort_r(idx, n, sizeof(*idx), st_drbd_cmp, (void *) c);
    for (size_t j = 0; j < n; j++) {
        const struct st_rsc *r = &c->rscs[idx[j]];

        if (j == 0 || strcmp(c->rscs[idx[j - 1]].id, r->id) != 0) {
            grp[ng][0] = idx[j];        /* the first instance: sorted by place */
            grp[ng][1] = 0;
            grp[ng][2] = 0;
            ng++;
        }
        if (r->active) {
            grp[ng - 1][1] += (size_t) st_is_promoted(r->role);
            grp[ng - 1][2] += (size_t) st_is_unpromoted(r->role);
        }
    }
    qsort(grp, ng, sizeof(*grp), st_drbd_first_cmp);
    for (size_t g = 0; rc == MH_OK && g < ng; g++) {
        const char *id = c->rscs[grp[g][0]].id;

        if (grp[g][1] == 0) {
            rc = st_problem(p, ST_CRITICAL, "DRBD %s has no Primary (Promoted) instance", id);
        } else if (grp[g][2] == 0) {
            rc = st_problem(p, ST_WARNING, "DRBD %s has no Secondary: the spool is not replicated",
                            id);
        }
    }
    free(idx);
    free(grp);
    return rc;
}

/* st_check_role - the spool or postfix resource: active exactly once */
static int
st_check_single(const struct st_cluster *c, const char *agent, const char *what,
                struct st_problems *p, const char **where)
{
    size_t configured = 0, active = 0;
    const char *first = NULL;
    int rc = MH_OK;

    *where = NULL;
    for (size_t i = 0; i < c->nrscs; i++) {
        const struct st_rsc *r = &c->rscs[i];

        if (r->agent == NULL || strcmp(r->agent, agent) != 0) {
            continue;
        }
        configured++;
        if (r->active && r->node != NULL) {
            if (first != NULL && strcmp(first, r->node) != 0) {
                rc = st_problem(p, ST_CRITICAL, "%s is active on two nodes: %s and %s", what,
                                first, r->node);
            }
            if (first == NULL) {
                first = r->node;
            }
            active++;
        }
    }
    if (configured > 0 && active == 0) {
        rc = st_problem(p, ST_CRITICAL, "%s (%s) is not running on any node", what, agent);
    }
    *where = first;
    return rc;
}

/* st_evaluate - every problem, and the worst severity */
int
st_evaluate(const struct st_cluster *c, long deferred_warn, struct st_problems *p)
{
    const char *spool_on = NULL, *postfix_on = NULL;
    size_t mailha = 0;
    int rc = MH_OK;

    memset(p, 0, sizeof(*p));
    if (!c->have_dc) {
        rc = st_problem(p, ST_CRITICAL, "the cluster has no DC");
    } else if (!c->quorum) {
        rc = st_problem(p, ST_CRITICAL, "this partition has no quorum");
    }
    for (size_t i = 0; rc == MH_OK && i < c->nnodes; i++) {
        const struct st_node *n = &c->nodes[i];

        if (n->unclean) {
            rc = st_problem(p, ST_CRITICAL, "node %s is unclean (waiting to be fenced)", n->name);
        } else if (!n->online) {
            rc = st_problem(p, ST_WARNING, "node %s is offline", n->name);
        } else if (n->standby) {
            rc = st_problem(p, ST_WARNING, "node %s is in standby", n->name);
        } else if (n->maintenance) {
            rc = st_problem(p, ST_WARNING, "node %s is in maintenance", n->name);
        }
        if (rc == MH_OK && n->health_mail != NULL && strcmp(n->health_mail, "green") != 0) {
            rc = st_problem(p, strcmp(n->health_mail, "red") == 0 ? ST_CRITICAL : ST_WARNING,
                            "mail log health on %s is %s", n->name, n->health_mail);
        }
        if (rc == MH_OK && n->health != NULL && strcmp(n->health, "green") != 0) {
            rc = st_problem(p, strcmp(n->health, "red") == 0 ? ST_CRITICAL : ST_WARNING,
                            "node health of %s is %s", n->name, n->health);
        }
        if (rc == MH_OK && n->drift > 0) {
            rc = st_problem(p, ST_WARNING, "node %s reports drift: %ld item%s differ%s", n->name,
                            n->drift, n->drift == 1 ? "" : "s", n->drift == 1 ? "s" : "");
        }
    }
    for (size_t i = 0; rc == MH_OK && i < c->nrscs; i++) {
        const struct st_rsc *r = &c->rscs[i];

        if (r->agent != NULL && strncmp(r->agent, "ocf:mailha:", 11) == 0) {
            mailha++;
            if (r->failed) {
                rc = st_problem(p, ST_CRITICAL, "resource %s (%s) failed%s%s", r->id, r->agent,
                                r->node != NULL ? " on " : "", st_str(r->node));
            }
        }
    }
    if (rc == MH_OK && mailha == 0) {
        rc = st_problem(p, ST_WARNING, "no mailha resources are configured");
    }
    if (rc == MH_OK) {
        rc = st_check_single(c, ST_SPOOL_AGENT, "the mail spool", p, &spool_on);
    }
    if (rc == MH_OK) {
        rc = st_check_single(c, ST_POSTFIX_AGENT, "Postfix", p, &postfix_on);
    }
    if (rc == MH_OK && spool_on != NULL && postfix_on != NULL && strcmp(spool_on, postfix_on) != 0) {
        rc = st_problem(p, ST_CRITICAL, "Postfix runs on %s but the spool is on %s", postfix_on,
                        spool_on);
    }
    /* DRBD: per promotable clone, someone Promoted, someone Unpromoted */
    if (rc == MH_OK) {
        rc = st_check_drbd(c, p);
    }
    for (size_t i = 0; rc == MH_OK && i < c->nfailures; i++) {
        const struct st_failure *f = &c->failures[i];

        rc = st_problem(p, ST_WARNING, "failed action %s on %s: %s (exit %d)%s%s%s", f->op_key,
                        st_str(f->node), f->exitstatus != NULL ? f->exitstatus : "error",
                        f->exitcode, f->exitreason != NULL && *f->exitreason ? ": \"" : "",
                        st_str(f->exitreason),
                        f->exitreason != NULL && *f->exitreason ? "\"" : "");
    }
    if (rc == MH_OK && c->queue.known && deferred_warn >= 0 && c->queue.deferred > deferred_warn) {
        rc = st_problem(p, ST_WARNING, "%ld messages deferred in %s (threshold %ld)",
                        c->queue.deferred, c->queue.dir, deferred_warn);
    }
    return rc;
}

/* st_problems_free - release the list */
void
st_problems_free(struct st_problems *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->v[i].text);
    }
    free(p->v);
    memset(p, 0, sizeof(*p));
}

/* st_where - the node a resource of AGENT is active on */
static const char *
st_where(const struct st_cluster *c, const char *agent, const char **id)
{
    for (size_t i = 0; i < c->nrscs; i++) {
        if (c->rscs[i].agent != NULL && strcmp(c->rscs[i].agent, agent) == 0) {
            *id = c->rscs[i].id;
            if (c->rscs[i].active && c->rscs[i].node != NULL) {
                return c->rscs[i].node;
            }
        }
    }
    return NULL;
}

/* st_render_text - the one screen */
void
st_render_text(FILE *fp, const struct st_cluster *c, const struct st_problems *p)
{
    const char *id = NULL, *where;

    fprintf(fp, "mailha-status: %s\n", st_sev_str(p->worst));
    fprintf(fp, "cluster: %zu node%s, DC %s, quorum %s\n", c->nnodes, c->nnodes == 1 ? "" : "s",
            c->have_dc && c->dc != NULL ? c->dc : "none", c->quorum ? "yes" : "no");
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct st_node *n = &c->nodes[i];

        fprintf(fp, "  node %-16s %s%s%s%s", n->name,
                n->unclean ? "UNCLEAN" : n->online ? "online" : "offline",
                n->standby ? ", standby" : "", n->maintenance ? ", maintenance" : "",
                n->is_dc ? ", DC" : "");
        fprintf(fp, "; log health %s", n->health_mail != NULL ? n->health_mail : "unknown");
        if (n->drift >= 0) {
            fprintf(fp, "; drift %ld", n->drift);
        }
        fprintf(fp, "\n");
    }
    where = st_where(c, ST_SPOOL_AGENT, &id);
    fprintf(fp, "spool:   %s%s%s%s\n", id != NULL ? id : "(no ocf:mailha:mailspool resource)",
            id != NULL ? " on " : "", id != NULL ? (where != NULL ? where : "NO NODE") : "", "");
    id = NULL;
    where = st_where(c, ST_POSTFIX_AGENT, &id);
    fprintf(fp, "postfix: %s%s%s\n", id != NULL ? id : "(no ocf:mailha:postfix resource)",
            id != NULL ? " on " : "", id != NULL ? (where != NULL ? where : "NO NODE") : "");
    fprintf(fp, "resources:\n");
    for (size_t i = 0; i < c->nrscs; i++) {
        const struct st_rsc *r = &c->rscs[i];
        const struct st_failure *f;
        int is_mail = r->agent != NULL && strncmp(r->agent, "ocf:mailha:", 11) == 0;

        if (!is_mail && !st_is_drbd(r)) {
            continue;
        }
        fprintf(fp, "  %-20s %-22s %s%s%s%s\n", r->id, st_str(r->agent), st_str(r->role),
                r->node != NULL ? " on " : "", st_str(r->node), r->failed ? " FAILED" : "");
        f = st_last_failure(c, r->id);
        if (f != NULL && (i == 0 || strcmp(c->rscs[i - 1].id, r->id) != 0)) {
            fprintf(fp, "    last failure: %s on %s at %s: %s (exit %d)%s%s\n", st_str(f->task),
                    st_str(f->node), st_str(f->when), st_str(f->exitstatus), f->exitcode,
                    f->exitreason != NULL && *f->exitreason ? ": " : "", st_str(f->exitreason));
        }
    }
    for (size_t i = 0; i < c->nattrs; i++) {
        if (strncmp(c->attrs[i].name, "master-", 7) == 0) {
            fprintf(fp, "drbd:    %s promotion score %s on %s\n", c->attrs[i].name + 7,
                    c->attrs[i].value, c->attrs[i].node);
        }
    }
    if (c->drift_status[0] != '\0') {
        fprintf(fp, "drift (seen from %s): %s\n", c->drift_node, c->drift_status);
        for (size_t i = 0; i < c->ndrift; i++) {
            fputs("  ", fp);
            mh_text_put(fp, c->drift[i].item);
            fprintf(fp, ": %s %s\n", c->drift[i].kind, c->drift[i].node);
        }
    } else {
        fprintf(fp, "drift: no local mailha-drift report\n");
    }
    if (c->queue.known) {
        fprintf(fp, "queue %s: active %ld, deferred %ld, incoming %ld, hold %ld\n", c->queue.dir,
                c->queue.active, c->queue.deferred, c->queue.incoming, c->queue.hold);
    } else {
        fprintf(fp, "queue: %s\n", c->queue.why[0] != '\0' ? c->queue.why : "not read");
    }
    if (p->count == 0) {
        fprintf(fp, "problems: none\n");
    } else {
        fprintf(fp, "problems:\n");
    }
    for (size_t i = 0; i < p->count; i++) {
        fprintf(fp, "  %s: %s\n", st_sev_str(p->v[i].sev), p->v[i].text);
    }
}

/* st_render_json - the same facts for scripts */
void
st_render_json(FILE *fp, const struct st_cluster *c, const struct st_problems *p)
{
    const char *id = NULL, *where;

    fprintf(fp, "{\"status\":");
    mh_json_str(fp, st_sev_str(p->worst), MH_JSON_NULL);
    fprintf(fp, ",\"code\":%d,\"dc\":", (int) p->worst);
    mh_json_str(fp, c->have_dc ? c->dc : NULL, MH_JSON_NULL);
    fprintf(fp, ",\"quorum\":%s,\"nodes\":[", c->quorum ? "true" : "false");
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct st_node *n = &c->nodes[i];

        fprintf(fp, "%s{\"name\":", i ? "," : "");
        mh_json_str(fp, n->name, MH_JSON_NULL);
        fprintf(fp, ",\"online\":%s,\"standby\":%s,\"unclean\":%s,\"maintenance\":%s,"
                "\"log_health\":", n->online ? "true" : "false", n->standby ? "true" : "false",
                n->unclean ? "true" : "false", n->maintenance ? "true" : "false");
        mh_json_str(fp, n->health_mail, MH_JSON_NULL);
        if (n->drift >= 0) {
            fprintf(fp, ",\"drift\":%ld}", n->drift);
        } else {
            fprintf(fp, ",\"drift\":null}");
        }
    }
    where = st_where(c, ST_SPOOL_AGENT, &id);
    fprintf(fp, "],\"spool\":{\"resource\":");
    mh_json_str(fp, id, MH_JSON_NULL);
    fprintf(fp, ",\"node\":");
    mh_json_str(fp, where, MH_JSON_NULL);
    id = NULL;
    where = st_where(c, ST_POSTFIX_AGENT, &id);
    fprintf(fp, "},\"postfix\":{\"resource\":");
    mh_json_str(fp, id, MH_JSON_NULL);
    fprintf(fp, ",\"node\":");
    mh_json_str(fp, where, MH_JSON_NULL);
    fprintf(fp, "},\"resources\":[");
    for (size_t i = 0, k = 0; i < c->nrscs; i++) {
        const struct st_rsc *r = &c->rscs[i];
        const struct st_failure *f;

        if (!(r->agent != NULL && strncmp(r->agent, "ocf:mailha:", 11) == 0) && !st_is_drbd(r)) {
            continue;
        }
        fprintf(fp, "%s{\"id\":", k++ ? "," : "");
        mh_json_str(fp, r->id, MH_JSON_NULL);
        fprintf(fp, ",\"agent\":");
        mh_json_str(fp, r->agent, MH_JSON_NULL);
        fprintf(fp, ",\"role\":");
        mh_json_str(fp, r->role, MH_JSON_NULL);
        fprintf(fp, ",\"node\":");
        mh_json_str(fp, r->node, MH_JSON_NULL);
        fprintf(fp, ",\"failed\":%s,\"last_failure\":", r->failed ? "true" : "false");
        f = st_last_failure(c, r->id);
        if (f == NULL) {
            fputs("null", fp);
        } else {
            fprintf(fp, "{\"task\":");
            mh_json_str(fp, f->task, MH_JSON_NULL);
            fprintf(fp, ",\"node\":");
            mh_json_str(fp, f->node, MH_JSON_NULL);
            fprintf(fp, ",\"exitcode\":%d,\"exitstatus\":", f->exitcode);
            mh_json_str(fp, f->exitstatus, MH_JSON_NULL);
            fprintf(fp, ",\"exitreason\":");
            mh_json_str(fp, f->exitreason, MH_JSON_NULL);
            fprintf(fp, "}");
        }
        fprintf(fp, "}");
    }
    fprintf(fp, "],\"drift\":{\"status\":");
    mh_json_str(fp, c->drift_status[0] != '\0' ? c->drift_status : NULL, MH_JSON_NULL);
    fprintf(fp, ",\"findings\":[");
    for (size_t i = 0; i < c->ndrift; i++) {
        fprintf(fp, "%s{\"item\":", i ? "," : "");
        mh_json_str(fp, c->drift[i].item, MH_JSON_NULL);
        fprintf(fp, ",\"kind\":");
        mh_json_str(fp, c->drift[i].kind, MH_JSON_NULL);
        fprintf(fp, ",\"node\":");
        mh_json_str(fp, c->drift[i].node, MH_JSON_NULL);
        fprintf(fp, "}");
    }
    fprintf(fp, "]},\"queue\":");
    if (c->queue.known) {
        fprintf(fp, "{\"dir\":");
        mh_json_str(fp, c->queue.dir, MH_JSON_NULL);
        fprintf(fp, ",\"active\":%ld,\"deferred\":%ld,\"incoming\":%ld,\"hold\":%ld}",
                c->queue.active, c->queue.deferred, c->queue.incoming, c->queue.hold);
    } else {
        fputs("null", fp);
    }
    fprintf(fp, ",\"problems\":[");
    for (size_t i = 0; i < p->count; i++) {
        fprintf(fp, "%s{\"severity\":", i ? "," : "");
        mh_json_str(fp, st_sev_str(p->v[i].sev), MH_JSON_NULL);
        fprintf(fp, ",\"text\":");
        mh_json_str(fp, p->v[i].text, MH_JSON_NULL);
        fprintf(fp, "}");
    }
    fprintf(fp, "]}\n");
}

/* st_xml_child - <NAME> under PARENT; NULL on allocation failure */
static xmlNode *
st_xml_child(xmlNode *parent, const char *name)
{
    return xmlNewChild(parent, NULL, (const xmlChar *) name, NULL);
}

/* st_xml_set - an attribute, skipped when VALUE is NULL */
static void
st_xml_set(xmlNode *n, const char *name, const char *value)
{
    if (n != NULL && value != NULL) {
        xmlNewProp(n, (const xmlChar *) name, (const xmlChar *) value);
    }
}

/* st_render_xml - the same facts as XML (libxml2 does the escaping) */
int
st_render_xml(FILE *fp, const struct st_cluster *c, const struct st_problems *p)
{
    xmlDoc *doc = xmlNewDoc((const xmlChar *) "1.0");
    xmlNode *root, *list, *n;
    xmlChar *out = NULL;
    char num[32];
    int len = 0;

    if (doc == NULL) {
        return -ENOMEM;
    }
    root = xmlNewNode(NULL, (const xmlChar *) "mailha-status");
    xmlDocSetRootElement(doc, root);
    st_xml_set(root, "status", st_sev_str(p->worst));
    snprintf(num, sizeof(num), "%d", (int) p->worst);
    st_xml_set(root, "code", num);
    st_xml_set(root, "dc", c->have_dc ? c->dc : NULL);
    st_xml_set(root, "quorum", c->quorum ? "true" : "false");
    list = st_xml_child(root, "nodes");
    for (size_t i = 0; list != NULL && i < c->nnodes; i++) {
        n = st_xml_child(list, "node");
        st_xml_set(n, "name", c->nodes[i].name);
        st_xml_set(n, "online", c->nodes[i].online ? "true" : "false");
        st_xml_set(n, "standby", c->nodes[i].standby ? "true" : "false");
        st_xml_set(n, "log-health", c->nodes[i].health_mail);
        if (c->nodes[i].drift >= 0) {
            snprintf(num, sizeof(num), "%ld", c->nodes[i].drift);
            st_xml_set(n, "drift", num);
        }
    }
    list = st_xml_child(root, "resources");
    for (size_t i = 0; list != NULL && i < c->nrscs; i++) {
        const struct st_rsc *r = &c->rscs[i];
        const struct st_failure *f;

        if (!(r->agent != NULL && strncmp(r->agent, "ocf:mailha:", 11) == 0) && !st_is_drbd(r)) {
            continue;
        }
        n = st_xml_child(list, "resource");
        st_xml_set(n, "id", r->id);
        st_xml_set(n, "agent", r->agent);
        st_xml_set(n, "role", r->role);
        st_xml_set(n, "node", r->node);
        st_xml_set(n, "failed", r->failed ? "true" : "false");
        f = st_last_failure(c, r->id);
        if (f != NULL && n != NULL) {
            xmlNode *fn = st_xml_child(n, "last-failure");

            st_xml_set(fn, "task", f->task);
            st_xml_set(fn, "node", f->node);
            st_xml_set(fn, "exitstatus", f->exitstatus);
            st_xml_set(fn, "exitreason", f->exitreason);
        }
    }
    list = st_xml_child(root, "drift");
    st_xml_set(list, "status", c->drift_status[0] != '\0' ? c->drift_status : NULL);
    for (size_t i = 0; list != NULL && i < c->ndrift; i++) {
        n = st_xml_child(list, "finding");
        st_xml_set(n, "item", c->drift[i].item);
        st_xml_set(n, "kind", c->drift[i].kind);
        st_xml_set(n, "node", c->drift[i].node);
    }
    if (c->queue.known) {
        n = st_xml_child(root, "queue");
        st_xml_set(n, "dir", c->queue.dir);
        snprintf(num, sizeof(num), "%ld", c->queue.active);
        st_xml_set(n, "active", num);
        snprintf(num, sizeof(num), "%ld", c->queue.deferred);
        st_xml_set(n, "deferred", num);
        snprintf(num, sizeof(num), "%ld", c->queue.incoming);
        st_xml_set(n, "incoming", num);
        snprintf(num, sizeof(num), "%ld", c->queue.hold);
        st_xml_set(n, "hold", num);
    }
    list = st_xml_child(root, "problems");
    for (size_t i = 0; list != NULL && i < p->count; i++) {
        n = xmlNewTextChild(list, NULL, (const xmlChar *) "problem",
                            (const xmlChar *) p->v[i].text);
        st_xml_set(n, "severity", st_sev_str(p->v[i].sev));
    }
    xmlDocDumpFormatMemoryEnc(doc, &out, &len, "UTF-8", 1);
    if (out != NULL) {
        fwrite(out, 1, (size_t) len, fp);
        xmlFree(out);
    }
    xmlFreeDoc(doc);
    return out != NULL ? MH_OK : -ENOMEM;
}
