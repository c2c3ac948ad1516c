// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	status 3h
 * SUMMARY
 *	mailha-status internals: the cluster as crm_mon reports it, the
 *	mail-specific facts, the problems found, and the renderings
 * DESCRIPTION
 *	st_cmxml_parse() turns "crm_mon --output-as=xml" into a struct
 *	st_cluster; st_evaluate() adds one st_problem per thing an
 *	operator should look at, each with a severity; st_render_*()
 *	print the one screen, JSON or XML.  Severities follow Nagios:
 *	0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
#ifndef MH_STATUS_H
#define MH_STATUS_H

#include <stddef.h>
#include <stdio.h>

enum st_sev {
    ST_OK = 0,
    ST_WARNING = 1,
    ST_CRITICAL = 2,
    ST_UNKNOWN = 3,
};

struct st_node {
    char *name;
    int online;
    int standby;
    int maintenance;
    int unclean;
    int shutdown;
    int pending;
    int is_dc;
    char *health;               /* crm_mon's node health, if given */
    char *health_mail;          /* the #health-mail attribute (attrd) */
    long drift;                 /* node attribute mailha-drift, -1 unset */
};

struct st_rsc {
    char *id;
    char *agent;                /* "ocf:mailha:postfix" */
    char *role;
    char *parent;               /* clone or group id, or NULL */
    int promotable;             /* inside a multi_state clone */
    int active;
    int failed;
    int managed;
    char *node;                 /* where it is active, or NULL */
};

struct st_rsc_index {
    const char *id;             /* points into rscs[].id */
    size_t last_failure;        /* failures[last_failure - 1], or 0 */
};

struct st_attr {
    char *node;
    char *name;
    char *value;
};

struct st_failure {
    char *op_key;               /* RSC_TASK_INTERVAL */
    char *rsc;                  /* the resource it belongs to, if known */
    char *node;
    char *task;
    char *exitstatus;
    char *exitreason;
    int exitcode;
    char *when;
};

struct st_drift_item {
    char *kind;
    char *node;
    char *item;
};

struct st_queue {
    int known;
    char *dir;
    long active, deferred, incoming, hold;
    char why[256];
};

struct st_cluster {
    int have_dc;
    char *dc;
    int quorum;
    long nodes_configured;
    struct st_node *nodes;
    size_t nnodes;
    struct st_rsc *rscs;
    size_t nrscs;
    struct st_attr *attrs;
    size_t nattrs;
    struct st_failure *failures;
    size_t nfailures;
    /* resource ids, sorted and unique, each with its last failure (an
     * index into failures plus one; 0: none): lookups in log time, not
     * failures x resources (issue 15 #10) */
    struct st_rsc_index *ridx;
    size_t nridx;
    /* filled in by main from other sources */
    char drift_status[16];      /* local mailha-drift state, "" if none */
    char drift_node[65];
    struct st_drift_item *drift;
    size_t ndrift;
    struct st_queue queue;
};

struct st_problem {
    enum st_sev sev;
    char *text;
};

struct st_problems {
    struct st_problem *v;
    size_t count;
    enum st_sev worst;
};

/* status_cmxml.c */
int st_cmxml_parse(const char *buf, size_t len, struct st_cluster *c, char *why, size_t whylen);
void st_cluster_free(struct st_cluster *c);
struct st_node *st_node_find(struct st_cluster *c, const char *name);
void st_reason_decode(char *s);

/* status_report.c */
int st_evaluate(const struct st_cluster *c, long deferred_warn, struct st_problems *p);
void st_problems_free(struct st_problems *p);
const char *st_sev_str(enum st_sev sev);
const struct st_failure *st_last_failure(const struct st_cluster *c, const char *rsc);
/* st_ridx_cmp - the order of struct st_rsc_index, by id */
int st_ridx_cmp(const void *a, const void *b);
void st_render_text(FILE *fp, const struct st_cluster *c, const struct st_problems *p);
void st_render_json(FILE *fp, const struct st_cluster *c, const struct st_problems *p);
int st_render_xml(FILE *fp, const struct st_cluster *c, const struct st_problems *p);

#endif
