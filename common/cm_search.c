/* cm_search.c: query -> ranked paragraphs. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cm_search.h"
#include "cm_tok.h"
#include "cm_util.h"

#define MAX_LIMIT 1000
/* How often a search is retried when cmindex commits under it. */
#define MODIFIED_RETRIES 3

typedef struct priv {
    json_t **objs;        /* one parsed data object per hit */
    const char ***refs;   /* one array of reference strings per hit */
} priv;

void
cm_results_free(cm_results *res)
{
    priv *pv;
    size_t i;

    if (res == NULL)
        return;
    pv = res->priv;
    if (pv != NULL) {
        for (i = 0; i < res->n_hits; i++) {
            json_decref(pv->objs[i]);
            free(pv->refs[i]);
        }
        free(pv->objs);
        free(pv->refs);
        free(pv);
    }
    free(res->hits);
    free(res);
}

static const char *
field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Fill hit from the JSON document data the indexer stored. */
static cm_status
fill_hit(cm_hit *h, json_t *o, const char ***refs_out)
{
    json_t *refs = json_object_get(o, "refs");
    const char **refs_arr = NULL;
    size_t i, n = json_array_size(refs);

    h->para = (unsigned)json_integer_value(json_object_get(o, "para"));
    h->path = field(o, "path");
    h->label = field(o, "label");
    h->section = field(o, "section");
    h->heading = field(o, "heading");
    h->text = field(o, "text");
    h->lang = field(o, "lang");
    h->doc = field(o, "doc");
    h->title = field(o, "title");
    h->date = field(o, "date");
    h->type = field(o, "type");
    if (n > 0) {
        refs_arr = calloc(n, sizeof *refs_arr);
        if (refs_arr == NULL)
            return CM_ENOMEM;
        for (i = 0; i < n; i++) {
            const char *s = json_string_value(json_array_get(refs, i));
            refs_arr[i] = s ? s : "";
        }
    }
    h->refs = refs_arr;
    h->n_refs = n;
    *refs_out = refs_arr;
    return CM_OK;
}

static cm_status
collect(cm_mset *ms, unsigned offset, cm_results *res, char **errmsg)
{
    unsigned n = cm_mset_size(ms), i;
    priv *pv = calloc(1, sizeof *pv);
    cm_status st = CM_OK;

    res->priv = pv;
    if (pv == NULL)
        return CM_ENOMEM;
    res->hits = calloc(n ? n : 1, sizeof *res->hits);
    pv->objs = calloc(n ? n : 1, sizeof *pv->objs);
    pv->refs = calloc(n ? n : 1, sizeof *pv->refs);
    if (res->hits == NULL || pv->objs == NULL || pv->refs == NULL)
        return CM_ENOMEM;
    for (i = 0; i < n && st == CM_OK; i++) {
        cm_hit *h = &res->hits[i];
        const char *data;
        size_t data_len;
        json_error_t jerr;

        st = cm_mset_docid(ms, i, &h->docid);
        if (st == CM_OK)
            st = cm_mset_weight(ms, i, &h->score);
        if (st == CM_OK)
            st = cm_mset_data(ms, i, &data, &data_len);
        if (st != CM_OK) {
            if (errmsg)
                *errmsg = strdup(cm_mset_errmsg(ms));
            break;
        }
        h->rank = offset + i + 1;
        pv->objs[i] = json_loadb(data, data_len, 0, &jerr);
        if (pv->objs[i] == NULL || !json_is_object(pv->objs[i])) {
            /* Not written by cmindex (or damaged): show what we can. */
            json_decref(pv->objs[i]);
            pv->objs[i] = json_object();
            if (pv->objs[i] == NULL)
                return CM_ENOMEM;
        }
        res->n_hits = i + 1;
        st = fill_hit(h, pv->objs[i], &pv->refs[i]);
    }
    return st;
}

static cm_status
run_once(cm_db *db, const cm_xquery *q, unsigned offset, unsigned limit,
         cm_results **out, char **errmsg)
{
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    cm_results *res = NULL;
    unsigned lower = 0, est = 0, upper = 0;
    cm_status st;

    st = cm_enquire_new(db, &enq);
    if (st == CM_OK)
        st = cm_enquire_set_query(enq, q);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, offset, limit, offset + limit + 100,
                                 &ms);
    if (st != CM_OK) {
        if (errmsg && enq)
            *errmsg = strdup(cm_enquire_errmsg(enq));
        goto out;
    }
    st = cm_mset_totals(ms, &lower, &est, &upper);
    if (st != CM_OK)
        goto out;
    res = calloc(1, sizeof *res);
    if (res == NULL) {
        st = CM_ENOMEM;
        goto out;
    }
    res->total = est;
    res->total_lower = lower;
    res->total_upper = upper;
    st = collect(ms, offset, res, errmsg);
out:
    cm_mset_free(ms);
    cm_enquire_free(enq);
    if (st != CM_OK) {
        cm_results_free(res);
        return st;
    }
    *out = res;
    return CM_OK;
}

cm_status
cm_search_run(cm_db *db, const char *query, size_t query_len,
              const cm_search_opts *opts, cm_results **out,
              cm_query_error *qerr, char **errmsg)
{
    cm_tok *tok = NULL;
    cm_xquery *q = NULL;
    unsigned limit = opts->limit > MAX_LIMIT ? MAX_LIMIT : opts->limit;
    cm_status st;
    int tries;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    memset(qerr, 0, sizeof *qerr);
    st = cm_tok_new(&tok, errmsg);
    if (st != CM_OK)
        return st;
    st = cm_query_parse(query, query_len, tok, &q, qerr);
    for (tries = 0; st == CM_OK; tries++) {
        st = run_once(db, q, opts->offset, limit, out, errmsg);
        if (st != CM_EMODIFIED || tries == MODIFIED_RETRIES)
            break;
        /* cmindex committed during the search: read the new revision. */
        if (errmsg) {
            free(*errmsg);
            *errmsg = NULL;
        }
        st = cm_db_reopen(db);
        if (st != CM_OK && errmsg)
            *errmsg = strdup(cm_db_errmsg(db));
    }
    cm_xquery_free(q);
    cm_tok_free(tok);
    return st;
}
