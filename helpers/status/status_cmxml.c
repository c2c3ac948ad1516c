// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAME
 *	cmxml 3
 * SUMMARY
 *	mailha-status: read "crm_mon --output-as=xml" with libxml2
 * SYNOPSIS
 *	#include "status.h"
 *
 *	int st_cmxml_parse(const char *buf, size_t len, struct st_cluster *c,
 *	                   char *why, size_t whylen)
 *	void st_cluster_free(struct st_cluster *c)
 *	void st_reason_decode(char *s)
 * DESCRIPTION
 *	Reads the elements of Pacemaker's crm_mon API schema (crm_mon.rng,
 *	api-result-2.x) that matter for a mail cluster: summary (DC,
 *	quorum), nodes, resources (nested in clones and groups; a
 *	multi_state clone marks its instances promotable), node_attributes
 *	and failures.  Unknown elements and attributes are ignored, so a
 *	newer Pacemaker's additions do no harm.  The input may come from a
 *	file the operator names, so it is parsed without network access,
 *	within a size limit, and a document with a DOCTYPE (crm_mon never
 *	writes one; its entities could expand) is refused.
 *
 *	Pacemaker 2.1's crm_mon escapes a failure's exit reason before
 *	libxml2 escapes it again, so once libxml2 has read the attribute
 *	it still holds "not &apos;soon&apos;".  st_reason_decode() undoes
 *	that one extra level in place: the five predefined entities
 *	(&amp; &lt; &gt; &quot; &apos;), once, and nothing else (crm_mon
 *	writes no character references at that level; "&amp;amp;" becomes
 *	"&amp;", a lone "&" or an unknown entity stays).  Any control
 *	character left in the text (a newline or tab the document spelled
 *	as a character reference) becomes a space: the reason goes to
 *	terminals and, escaped again, to JSON and XML.
 * DIAGNOSTICS
 *	0, or MH_E_PARSE (not XML, not crm_mon's), MH_E_REPLY (crm_mon
 *	reported an error in its <status>), MH_E_TOOLONG, -ENOMEM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mh_rc.h"
#include "status.h"

#define ST_XML_MAX (32 * 1024 * 1024)

/* st_name_is - element named NAME? */
static int
st_name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0;
}

/* st_prop - an attribute's value, malloc'ed, or NULL */
static char *
st_prop(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *) name);
    char *copy;

    if (v == NULL) {
        return NULL;
    }
    copy = strdup((const char *) v);
    xmlFree(v);
    return copy;
}

/* st_bool - an xsd:boolean attribute; absent is false */
static int
st_bool(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *) name);
    int yes;

    if (v == NULL) {
        return 0;
    }
    yes = strcmp((const char *) v, "true") == 0 || strcmp((const char *) v, "1") == 0;
    xmlFree(v);
    return yes;
}

/* st_long - an integer attribute, DFLT when absent or not a number */
static long
st_long(const xmlNode *n, const char *name, long dflt)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *) name);
    char *end;
    long val;

    if (v == NULL) {
        return dflt;
    }
    errno = 0;
    val = strtol((const char *) v, &end, 10);
    if (end == (char *) v || *end != '\0' || errno != 0) {
        val = dflt;
    }
    xmlFree(v);
    return val;
}

/* st_reason_decode - one level of predefined entities; no control chars */
void
st_reason_decode(char *s)
{
    static const struct {
        const char *name;
        size_t len;
        char ch;
    } ent[] = {
        {"&amp;", 5, '&'},
        {"&lt;", 4, '<'},
        {"&gt;", 4, '>'},
        {"&quot;", 6, '"'},
        {"&apos;", 6, '\''},
    };
    char *in = s;
    char *out = s;

    if (s == NULL) {
        return;
    }
    while (*in != '\0') {
        unsigned char ch = (unsigned char) *in;
        size_t i;

        if (ch == '&') {
            for (i = 0; i < sizeof(ent) / sizeof(ent[0]); i++) {
                if (strncmp(in, ent[i].name, ent[i].len) == 0) {
                    break;
                }
            }
            if (i < sizeof(ent) / sizeof(ent[0])) {
                *out++ = ent[i].ch;
                in += ent[i].len;
                continue;
            }
        }
        *out++ = (ch < 0x20 || ch == 0x7f) ? ' ' : (char) ch;
        in++;
    }
    *out = '\0';
}

/* st_grow - make room for one more element in an array */
static int
st_grow(void **v, size_t count, size_t size)
{
    void *nv = realloc(*v, (count + 1) * size);

    if (nv == NULL) {
        return -ENOMEM;
    }
    memset((char *) nv + count * size, 0, size);
    *v = nv;
    return MH_OK;
}

/* st_node_find - a node by name */
struct st_node *
st_node_find(struct st_cluster *c, const char *name)
{
    for (size_t i = 0; i < c->nnodes; i++) {
        if (strcmp(c->nodes[i].name, name) == 0) {
            return &c->nodes[i];
        }
    }
    return NULL;
}

/* st_parse_nodes - <nodes><node .../></nodes> */
static int
st_parse_nodes(const xmlNode *parent, struct st_cluster *c)
{
    for (const xmlNode *n = parent->children; n != NULL; n = n->next) {
        struct st_node *node;

        if (!st_name_is(n, "node")) {
            continue;
        }
        if (st_grow((void **) &c->nodes, c->nnodes, sizeof(*c->nodes)) != MH_OK) {
            return -ENOMEM;
        }
        node = &c->nodes[c->nnodes];
        node->name = st_prop(n, "name");
        if (node->name == NULL) {
            continue;
        }
        c->nnodes++;
        node->online = st_bool(n, "online");
        node->standby = st_bool(n, "standby");
        node->maintenance = st_bool(n, "maintenance");
        node->unclean = st_bool(n, "unclean");
        node->shutdown = st_bool(n, "shutdown");
        node->pending = st_bool(n, "pending");
        node->is_dc = st_bool(n, "is_dc");
        node->health = st_prop(n, "health");
        node->drift = -1;
    }
    return MH_OK;
}

/* st_parse_resources - resources, recursing into clones and groups */
static int
st_parse_resources(const xmlNode *parent, struct st_cluster *c, const char *owner,
                   int promotable, int depth)
{
    int rc = MH_OK;

    if (depth > 8) {
        return MH_OK;
    }
    for (const xmlNode *n = parent->children; rc == MH_OK && n != NULL; n = n->next) {
        struct st_rsc *r;
        char *id;

        if (st_name_is(n, "clone") || st_name_is(n, "group") || st_name_is(n, "bundle")
            || st_name_is(n, "replica")) {
            id = st_prop(n, "id");
            rc = st_parse_resources(n, c, id != NULL ? id : owner,
                                    promotable || st_bool(n, "multi_state"), depth + 1);
            free(id);
            continue;
        }
        if (!st_name_is(n, "resource")) {
            continue;
        }
        if (st_grow((void **) &c->rscs, c->nrscs, sizeof(*c->rscs)) != MH_OK) {
            return -ENOMEM;
        }
        r = &c->rscs[c->nrscs];
        r->id = st_prop(n, "id");
        if (r->id == NULL) {
            continue;
        }
        c->nrscs++;
        r->agent = st_prop(n, "resource_agent");
        r->role = st_prop(n, "role");
        r->parent = owner != NULL ? strdup(owner) : NULL;
        r->promotable = promotable;
        r->active = st_bool(n, "active");
        r->failed = st_bool(n, "failed");
        r->managed = st_bool(n, "managed");
        for (const xmlNode *k = n->children; k != NULL; k = k->next) {
            if (st_name_is(k, "node")) {
                r->node = st_prop(k, "name");
                break;
            }
        }
    }
    return rc;
}

/* st_parse_attrs - <node_attributes><node name><attribute .../> */
static int
st_parse_attrs(const xmlNode *parent, struct st_cluster *c)
{
    for (const xmlNode *n = parent->children; n != NULL; n = n->next) {
        char *node;

        if (!st_name_is(n, "node")) {
            continue;
        }
        node = st_prop(n, "name");
        if (node == NULL) {
            continue;
        }
        for (const xmlNode *a = n->children; a != NULL; a = a->next) {
            struct st_attr *at;

            if (!st_name_is(a, "attribute")) {
                continue;
            }
            if (st_grow((void **) &c->attrs, c->nattrs, sizeof(*c->attrs)) != MH_OK) {
                free(node);
                return -ENOMEM;
            }
            at = &c->attrs[c->nattrs];
            at->name = st_prop(a, "name");
            at->value = st_prop(a, "value");
            if (at->name == NULL || at->value == NULL) {
                free(at->name);
                free(at->value);
                continue;
            }
            at->node = strdup(node);
            c->nattrs++;
            if (strcmp(at->name, "mailha-drift") == 0 && st_node_find(c, node) != NULL) {
                char *end;
                long v = strtol(at->value, &end, 10);

                st_node_find(c, node)->drift = (*end == '\0' && end != at->value) ? v : -1;
            }
        }
        free(node);
    }
    return MH_OK;
}

/* st_ridx_cmp - order of the resource index (and bsearch by key) */
int
st_ridx_cmp(const void *a, const void *b)
{
    return strcmp(((const struct st_rsc_index *) a)->id, ((const struct st_rsc_index *) b)->id);
}

/* st_ridx_build - the sorted, unique resource ids */
static int
st_ridx_build(struct st_cluster *c)
{
    size_t n = 0;

    free(c->ridx);
    c->ridx = NULL;
    c->nridx = 0;
    if (c->nrscs == 0) {
        return MH_OK;
    }
    c->ridx = calloc(c->nrscs, sizeof(*c->ridx));
    if (c->ridx == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < c->nrscs; i++) {
        c->ridx[i].id = c->rscs[i].id;
    }
    qsort(c->ridx, c->nrscs, sizeof(*c->ridx), st_ridx_cmp);
    for (size_t i = 0; i < c->nrscs; i++) {
        if (n == 0 || strcmp(c->ridx[n - 1].id, c->ridx[i].id) != 0) {
            c->ridx[n++] = c->ridx[i];
        }
    }
    c->nridx = n;
    return MH_OK;
}

/* st_ridx_find - the index entry of resource ID (LEN bytes), or NULL */
static struct st_rsc_index *
st_ridx_find(const struct st_cluster *c, const char *id, size_t len)
{
    size_t lo = 0, hi = c->nridx;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = c->ridx[mid].id;
        int d = strncmp(k, id, len);

        if (d == 0 && k[len] != '\0') {
            d = 1;              /* k is longer: it sorts after id */
        }
        if (d == 0) {
            return &c->ridx[mid];
        }
        if (d < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* st_failure_rsc - the resource an op_key belongs to: the longest id
 * that, followed by "_", starts it (ids may themselves contain "_");
 * each "_" of the op_key, from the last, is looked up in the index */
static struct st_rsc_index *
st_failure_rsc(const struct st_cluster *c, const char *op_key)
{
    for (const char *u = strrchr(op_key, '_'); u != NULL && u > op_key;) {
        struct st_rsc_index *r = st_ridx_find(c, op_key, (size_t) (u - op_key));

        if (r != NULL) {
            return r;
        }
        do {
            u--;
        } while (u > op_key && *u != '_');
    }
    return NULL;
}

/* st_parse_failures - <failures><failure .../></failures> */
static int
st_parse_failures(const xmlNode *parent, struct st_cluster *c)
{
    if (c->ridx == NULL && st_ridx_build(c) != MH_OK) {
        return -ENOMEM;
    }
    for (const xmlNode *n = parent->children; n != NULL; n = n->next) {
        struct st_failure *f;
        struct st_rsc_index *r;

        if (!st_name_is(n, "failure")) {
            continue;
        }
        if (st_grow((void **) &c->failures, c->nfailures, sizeof(*c->failures)) != MH_OK) {
            return -ENOMEM;
        }
        f = &c->failures[c->nfailures];
        f->op_key = st_prop(n, "op_key");
        if (f->op_key == NULL) {
            continue;
        }
        c->nfailures++;
        r = st_failure_rsc(c, f->op_key);
        f->rsc = r != NULL ? strdup(r->id) : NULL;
        if (r != NULL) {
            r->last_failure = c->nfailures;
        }
        f->node = st_prop(n, "node");
        f->task = st_prop(n, "task");
        f->exitstatus = st_prop(n, "exitstatus");
        f->exitreason = st_prop(n, "exitreason");
        st_reason_decode(f->exitreason);
        f->exitcode = (int) st_long(n, "exitcode", -1);
        f->when = st_prop(n, "last-rc-change");
    }
    return MH_OK;
}

/* st_cmxml_parse - the whole document */
int
st_cmxml_parse(const char *buf, size_t len, struct st_cluster *c, char *why, size_t whylen)
{
    xmlDoc *doc = NULL;
    xmlNode *root, *n;
    int rc = MH_OK;

    memset(c, 0, sizeof(*c));
    if (len > ST_XML_MAX) {
        snprintf(why, whylen, "read crm_mon XML: larger than %d bytes", ST_XML_MAX);
        return MH_E_TOOLONG;
    }
    doc = xmlReadMemory(buf, (int) len, "crm_mon.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL) {
        snprintf(why, whylen, "read crm_mon XML: not well-formed XML");
        return MH_E_PARSE;
    }
    /* crm_mon never writes a DTD; one here could only be there to make
     * entity expansion do harm */
    if (doc->intSubset != NULL || doc->extSubset != NULL) {
        snprintf(why, whylen, "read crm_mon XML: a DOCTYPE is not expected");
        rc = MH_E_PARSE;
        goto done;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || (!st_name_is(root, "pacemaker-result") && !st_name_is(root, "crm_mon"))) {
        snprintf(why, whylen, "read crm_mon XML: root element is not <pacemaker-result>");
        rc = MH_E_PARSE;
        goto done;
    }
    /* the node list first: attributes refer to nodes */
    for (n = root->children; rc == MH_OK && n != NULL; n = n->next) {
        if (st_name_is(n, "nodes")) {
            rc = st_parse_nodes(n, c);
        } else if (st_name_is(n, "resources")) {
            rc = st_parse_resources(n, c, NULL, 0, 0);
        }
    }
    for (n = root->children; rc == MH_OK && n != NULL; n = n->next) {
        if (st_name_is(n, "summary")) {
            for (xmlNode *s = n->children; s != NULL; s = s->next) {
                if (st_name_is(s, "current_dc")) {
                    c->have_dc = st_bool(s, "present");
                    free(c->dc);
                    c->dc = st_prop(s, "name");
                    c->quorum = st_bool(s, "with_quorum");
                } else if (st_name_is(s, "nodes_configured")) {
                    c->nodes_configured = st_long(s, "number", 0);
                }
            }
        } else if (st_name_is(n, "node_attributes")) {
            rc = st_parse_attrs(n, c);
        } else if (st_name_is(n, "failures")) {
            rc = st_parse_failures(n, c);
        } else if (st_name_is(n, "status")) {
            long code = st_long(n, "code", 0);

            if (code != 0) {
                char *msg = st_prop(n, "message");

                snprintf(why, whylen, "crm_mon: %s (code %ld)", msg != NULL ? msg : "error",
                         code);
                free(msg);
                rc = MH_E_REPLY;
            }
        }
    }

  done:
    xmlFreeDoc(doc);
    if (rc != MH_OK) {
        st_cluster_free(c);
    }
    return rc;
}

/* st_cluster_free - release everything parse and main filled in */
void
st_cluster_free(struct st_cluster *c)
{
    for (size_t i = 0; i < c->nnodes; i++) {
        free(c->nodes[i].name);
        free(c->nodes[i].health);
        free(c->nodes[i].health_mail);
    }
    for (size_t i = 0; i < c->nrscs; i++) {
        free(c->rscs[i].id);
        free(c->rscs[i].agent);
        free(c->rscs[i].role);
        free(c->rscs[i].parent);
        free(c->rscs[i].node);
    }
    for (size_t i = 0; i < c->nattrs; i++) {
        free(c->attrs[i].node);
        free(c->attrs[i].name);
        free(c->attrs[i].value);
    }
    for (size_t i = 0; i < c->nfailures; i++) {
        free(c->failures[i].op_key);
        free(c->failures[i].rsc);
        free(c->failures[i].node);
        free(c->failures[i].task);
        free(c->failures[i].exitstatus);
        free(c->failures[i].exitreason);
        free(c->failures[i].when);
    }
    for (size_t i = 0; i < c->ndrift; i++) {
        free(c->drift[i].kind);
        free(c->drift[i].node);
        free(c->drift[i].item);
    }
    free(c->nodes);
    free(c->rscs);
    free(c->attrs);
    free(c->failures);
    free(c->ridx);
    free(c->drift);
    free(c->dc);
    free(c->queue.dir);
    memset(c, 0, sizeof(*c));
}
