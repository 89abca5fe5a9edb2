/* cm_search.c: query -> ranked paragraphs, snippets, suggestions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_buf.h"
#include "cm_data.h"
#include "cm_schema.h"
#include "cm_search.h"
#include "cm_tok.h"
#include "cm_util.h"

/* How often a search is retried when cmindex commits under it. */
#define MODIFIED_RETRIES 3
/* Matches counted exactly beyond the page, by default. */
#define EXACT_EXTRA 200
/* The two passes of the phrase boost (run_two_pass()), for pages ending
 * at most RERANK_MAX hits down: the first RERANK_DEPTH paragraphs of the
 * first pass are looked at (Xapian weighs the first EXACT_EXTRA + n in
 * full anyway, for the total).  On the treaties the first 10 needed 11
 * to 128 of them. */
#define RERANK_MAX 100
#define RERANK_DEPTH 200
/* The title boosts apart (run_titles_apart()) for pages ending at most
 * this far down; further, the one query. */
#define TITLES_MAX 1000
/* A spelling suggestion is looked for when fewer matches than this. */
#define SUGGEST_BELOW 10
/* Edit distance of a spelling suggestion. */
#define SUGGEST_EDITS 2

typedef struct priv {
    cm_data **objs;     /* one parsed document data per hit */
    cm_snippet **snips; /* one snippet per hit, or NULL */
    char *suggestion;
    char *explain;
    char *like_words;
    cm_lang_count *langs;
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
            if (pv->objs)
                free(pv->objs[i]);
            if (pv->snips)
                cm_snippet_free(pv->snips[i]);
        }
        free(pv->objs);
        free(pv->snips);
        free(pv->suggestion);
        free(pv->explain);
        free(pv->like_words);
        free(pv->langs);
        free(pv);
    }
    free(res->hits);
    free(res);
}

/* Fill hit from the document data the indexer stored (d outlives it). */
static void
fill_hit(cm_hit *h, const cm_data *d)
{
    h->para = d->para;
    h->page = d->page;
    h->path = d->path;
    h->label = d->label;
    h->section = d->section;
    h->heading = d->heading;
    h->text = d->text;
    h->lang = d->lang;
    h->doc = d->doc;
    h->title = d->title;
    h->date = d->date;
    h->type = d->type;
    h->snippet = "";
    h->refs = d->refs;
    h->n_refs = d->n_refs;
}

int
cm_hit_highlighted(const cm_hit *h, size_t i)
{
    size_t k;
    for (k = 0; k < h->n_highlights; k++)
        if (i >= h->highlights[k].start && i < h->highlights[k].end)
            return 1;
    return 0;
}

/* The hit's snippet, made with the query's terms in its own language. */
static cm_status
make_snippet(cm_tok *tok, const cm_query *cq, const cm_search_opts *o,
             const cm_data *d, cm_hit *h, cm_snippet **out)
{
    const cm_hl_term *terms;
    size_t n;
    cm_status st;

    terms = cm_query_highlights(cq, &n);
    st = cm_snippet_make(tok, h->text, d->text_len, h->lang,
                         terms, n, o->snippet_chars, out);
    if (st != CM_OK)
        return st;
    h->snippet = (*out)->text;
    h->snippet_len = (*out)->len;
    h->highlights = (*out)->hl;
    h->n_highlights = (*out)->n_hl;
    return CM_OK;
}

/* An item of an mset (its index there), ranked by another weight
 * (run_two_pass()), or among the items of two msets (run_titles_apart():
 * ms, its mset; NULL for the hit order's). */
typedef struct ranked {
    unsigned item, docid;
    double w;
    cm_mset *ms;
} ranked;

/* Which items of an mset are the hits, in order: the i-th hit is item
 * r[i].item, of weight r[i].w and rank first + i; r NULL: the items in
 * order, as Xapian ranked them. */
typedef struct hit_order {
    const ranked *r;
    unsigned first;
} hit_order;

static cm_status
collect_hit(cm_mset *ms, const hit_order *ord, unsigned i, cm_results *res,
            char **errmsg)
{
    priv *pv = res->priv;
    cm_hit *h = &res->hits[i];
    unsigned j = ord->r ? ord->r[i].item : i;
    const char *data;
    size_t data_len;
    cm_status st;

    if (ord->r != NULL && ord->r[i].ms != NULL)
        ms = ord->r[i].ms;
    st = cm_mset_docid(ms, j, &h->docid);
    if (ord->r != NULL) {
        h->score = ord->r[i].w;
        h->rank = ord->first + i;
    } else {
        if (st == CM_OK)
            st = cm_mset_weight(ms, j, &h->score);
        if (st == CM_OK)
            st = cm_mset_rank(ms, j, &h->rank);
    }
    /* On plain BM25's scale: the index's wdfs make Xapian's weights
     * CM_BM25_SCALE times larger (cm_schema.h). */
    h->score /= CM_BM25_SCALE;
    if (st == CM_OK)
        st = cm_mset_collapse_count(ms, j, &h->collapsed);
    if (st == CM_OK)
        st = cm_mset_data(ms, j, &data, &data_len);
    if (st != CM_OK) {
        if (errmsg)
            *errmsg = strdup(cm_mset_errmsg(ms));
        return st;
    }
    h->rank++;
    st = cm_data_parse(data, data_len, &pv->objs[i]);
    if (st == CM_ECORRUPT) {
        /* Not written by cmindex (or damaged): show what we can. */
        static const cm_data none = {"", "", "", "", "", "", "", "", "",
                                     "", 0, 0, 0, NULL, 0};
        pv->objs[i] = malloc(sizeof none);
        if (pv->objs[i] == NULL)
            return CM_ENOMEM;
        *pv->objs[i] = none;
    } else if (st != CM_OK) {
        return st;
    }
    res->n_hits = i + 1;
    fill_hit(h, pv->objs[i]);
    return CM_OK;
}

static cm_status
collect(cm_mset *ms, const hit_order *ord, unsigned n, cm_tok *tok,
        const cm_query *cq, const cm_search_opts *o, cm_results *res,
        char **errmsg)
{
    unsigned i;
    priv *pv = res->priv;
    cm_status st = CM_OK;

    res->hits = calloc(n ? n : 1, sizeof *res->hits);
    pv->objs = calloc(n ? n : 1, sizeof *pv->objs);
    pv->snips = calloc(n ? n : 1, sizeof *pv->snips);
    if (res->hits == NULL || pv->objs == NULL || pv->snips == NULL)
        return CM_ENOMEM;
    for (i = 0; i < n && st == CM_OK; i++) {
        st = collect_hit(ms, ord, i, res, errmsg);
        if (st == CM_OK && o->snippets)
            st = make_snippet(tok, cq, o, pv->objs[i], &res->hits[i],
                              &pv->snips[i]);
    }
    return st;
}

/* Which wildcard went over its bound: the first whose prefix has more
 * terms than the bound it was parsed with. */
typedef struct count_ctx {
    unsigned n, max;
} count_ctx;

static int
count_term(void *vctx, const char *s, size_t len, unsigned freq)
{
    count_ctx *c = vctx;
    (void)s;
    (void)len;
    (void)freq;
    return ++c->n > c->max;
}

static cm_status
wildcard_error(cm_db *db, const cm_query *cq, cm_query_error *qerr)
{
    const cm_query_wildcard *w = NULL;
    size_t n, i;
    count_ctx c = {0, 0};

    w = cm_query_wildcards(cq, &n);
    for (i = 0; i < n; i++) {
        c.n = 0;
        c.max = w[i].max;
        if (cm_db_allterms(db, w[i].prefix, count_term, &c) == CM_OK &&
            c.n > c.max)
            break;
    }
    if (i == n)
        return CM_EXAPIAN; /* not a wildcard's fault: a plain failure */
    qerr->column = w[i].column;
    snprintf(qerr->message, sizeof qerr->message,
             CM_QUERY_WILDCARD_OVER,
             w[i].prefix, c.max);
    return CM_EQUERY;
}

/* st from a search of cq: a query error is a wildcard's over its bound,
 * said with its column in qerr. */
static cm_status
search_error(cm_db *db, const cm_query *cq, cm_status st,
             cm_query_error *qerr)
{
    size_t n_wild = 0;

    if (st == CM_EQUERY && cm_query_wildcards(cq, &n_wild) && n_wild > 0)
        return wildcard_error(db, cq, qerr);
    return st;
}

/* The enquire for q with the options. */
static cm_status
prepare(cm_db *db, const cm_xquery *q, const cm_search_opts *o,
        cm_enquire **out)
{
    cm_enquire *enq = NULL;
    cm_status st = cm_enquire_new(db, &enq);

    if (st == CM_OK)
        st = cm_enquire_set_query(enq, q);
    /* BM25 with k1 = 1, b = 1, lengths clamped at a tenth of the average:
     * paragraphs vary from a heading's few words to a treaty preamble's
     * hundreds, and Xapian's default clamp (0.5) made every paragraph
     * under half the average length tie; measured with
     * tests/e2e/t-relevance.sh (Xapian's default is k1 = 1, b = 0.5).
     * The index holds wdfs normalised for the length (cm_schema.h), so
     * Xapian runs it as b = 0 over them and never reads a document length.
     */
    if (st == CM_OK)
        st = cm_enquire_set_bm25(enq, CM_BM25_K1 * CM_WDF_UNIT, 0, 1, 0,
                                 0);
    if (st == CM_OK && o->sort != CM_SORT_RELEVANCE)
        st = cm_enquire_sort_by_value(enq, CM_SLOT_DATE,
                                      o->sort == CM_SORT_DATE_DESC);
    if (st == CM_OK && o->by_doc)
        st = cm_enquire_set_collapse_key(enq, CM_SLOT_FILE, 1);
    *out = enq;
    return st;
}

/* The phrase boost in a second pass (cm_query_rerank()).  Reading the
 * positions of every paragraph that has the words, to see whether they
 * are a phrase there, was a fifth of a query of two or three words (and
 * more of one with many matches).  So the query without the boost ranks
 * its first paragraphs (weights w, in order), and the phrase query,
 * filtered to those that can still reach the first n, adds its weight to
 * theirs: they are ordered again.  The phrase adds at most ratio * w(d)
 * to a paragraph d, and every one of the first n weighs at least w[n-1]
 * in the end: a paragraph of w(d) * (1 + ratio) < w[n-1] cannot be among
 * the first n, nor any after it.  The first n are then the one query's
 * (tests/e2e/rerank_truth.c runs both).  When the cut is not among the
 * RERANK_DEPTH first paragraphs, *done is 0 and nothing is kept, for the
 * one query to run.  On success ms[0] and r (the first cut items of
 * ms[0] in their new order) are the caller's. */

/* Hits ranked otherwise than by the one query (run_two_pass(),
 * run_titles_apart()): r, the first n in their order, items of the msets
 * (the hits are n_hits of them from the offset on), and the totals. */
typedef struct split_run {
    cm_mset *ms[2];
    ranked *r;
    unsigned n_hits;
    unsigned lo, est, hi;
    unsigned cut; /* two passes: the paragraphs the second ran on */
    int apart;    /* the title boosts ran apart */
} split_run;

static int
by_weight(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->docid < y->docid ? -1 : x->docid > y->docid; /* Xapian's */
}

static int
by_docid(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* Add to the weights of r[0..m) the phrase's:
 * "ids AND_MAYBE phrase", so that the phrase is looked for in those
 * paragraphs only.  Under a FILTER, Xapian moved the phrase on from each
 * of them to the next paragraph that had it, reading the positions of
 * every paragraph in between that had the words: twice the instructions
 * for "social security benefits". */
static cm_status
add_phrase_weights(cm_db *db, const cm_search_opts *o,
                   const cm_xquery *phrase, ranked *r, unsigned m,
                   char **errmsg)
{
    cm_xquery *pair[2] = {NULL, (cm_xquery *)phrase}, *q = NULL;
    cm_enquire *enq = NULL;
    cm_mset *ms2 = NULL;
    unsigned i, n2, *ids = malloc(m * sizeof *ids);
    cm_status st = ids == NULL ? CM_ENOMEM : CM_OK;

    for (i = 0; ids != NULL && i < m; i++)
        ids[i] = r[i].docid;
    if (st == CM_OK)
        st = cm_xquery_docids(ids, m, &pair[0]);
    free(ids);
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_AND_MAYBE, pair, 2, 0, &q);
    if (st == CM_OK)
        st = prepare(db, q, o, &enq);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, 0, m, 0, &ms2);
    if (st != CM_OK && errmsg && enq && *errmsg == NULL)
        *errmsg = strdup(cm_enquire_errmsg(enq));
    cm_xquery_free(pair[0]);
    cm_xquery_free(q);
    cm_enquire_free(enq);
    n2 = st == CM_OK ? cm_mset_size(ms2) : 0;
    qsort(r, m, sizeof *r, by_docid);
    for (i = 0; i < n2 && st == CM_OK; i++) {
        ranked key, *hit;
        double w = 0;
        st = cm_mset_docid(ms2, i, &key.docid);
        if (st == CM_OK)
            st = cm_mset_weight(ms2, i, &w);
        hit = st == CM_OK ? bsearch(&key, r, m, sizeof *r, by_docid) : NULL;
        if (hit != NULL)
            hit->w += w;
    }
    cm_mset_free(ms2);
    return st;
}

static cm_status
run_two_pass(cm_db *db, const cm_query *cq, const cm_search_opts *o,
             unsigned limit, unsigned check, split_run *tp, int *done,
             char **errmsg)
{
    const cm_xquery *phrase = NULL, *rest;
    cm_enquire *enq = NULL;
    ranked *r = NULL;
    unsigned n = o->offset + limit, m, cut, i;
    double ratio;
    cm_status st;

    *done = 0;
    memset(tp, 0, sizeof *tp);
    rest = cm_query_rerank(cq, &phrase, &ratio);
    if (rest == NULL || n == 0 || n > RERANK_MAX || !cm_db_is_local_one(db))
        return CM_OK;
    st = prepare(db, rest, o, &enq);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, 0, RERANK_DEPTH,
                                 check > RERANK_DEPTH ? check : RERANK_DEPTH,
                                 &tp->ms[0]);
    if (st != CM_OK && st != CM_EQUERY && errmsg && enq)
        *errmsg = strdup(cm_enquire_errmsg(enq));
    cm_enquire_free(enq);
    if (st == CM_OK)
        st = cm_mset_totals(tp->ms[0], &tp->lo, &tp->est, &tp->hi);
    m = st == CM_OK ? cm_mset_size(tp->ms[0]) : 0;
    if (st == CM_OK && m > 0 && (r = calloc(m, sizeof *r)) == NULL)
        st = CM_ENOMEM;
    for (i = 0; st == CM_OK && i < m; i++) {
        r[i].item = i;
        st = cm_mset_docid(tp->ms[0], i, &r[i].docid);
        if (st == CM_OK)
            st = cm_mset_weight(tp->ms[0], i, &r[i].w);
    }
    /* The cut: the first paragraph that cannot reach the first n (a hair
     * below, for rounding); all of them when they are all the matches. */
    for (cut = n; st == CM_OK && cut < m; cut++)
        if (r[cut].w * (1 + ratio) * (1 + 1e-9) < r[n - 1].w)
            break;
    if (st != CM_OK || (cut == m && m == RERANK_DEPTH))
        goto out; /* too deep: the one query */
    if (cut > m)
        cut = m;
    if (cut > 0)
        st = add_phrase_weights(db, o, phrase, r, cut, errmsg);
    if (st == CM_OK && cut > 0)
        qsort(r, cut, sizeof *r, by_weight);
    tp->r = r;
    tp->cut = cut;
    tp->n_hits = cut > o->offset ? (cut < n ? cut : n) - o->offset : 0;
    *done = st == CM_OK;
out:
    if (!*done) {
        cm_mset_free(tp->ms[0]);
        memset(tp, 0, sizeof *tp);
        free(r);
    }
    return st;
}

/* The two queries of the title boosts apart (cm_query_titles_apart()):
 * the paragraphs with none of the query's title words, weighed without
 * the boosts (*qa), and those with one, by the whole query (*qb). */
static cm_status
titles_queries(const cm_query *cq, cm_xquery **qa, cm_xquery **qb)
{
    const cm_xquery *titles = NULL, *untitled;
    cm_xquery *pair[2];
    cm_status st;

    *qa = *qb = NULL;
    untitled = cm_query_titles_apart(cq, &titles);
    if (untitled == NULL)
        return CM_OK;
    pair[0] = (cm_xquery *)untitled;
    pair[1] = (cm_xquery *)titles;
    st = cm_xquery_combine(CM_XQ_AND_NOT, pair, 2, 0, qa);
    pair[0] = (cm_xquery *)cm_query_xquery(cq);
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_FILTER, pair, 2, 0, qb);
    if (st != CM_OK) {
        cm_xquery_free(*qa);
        *qa = NULL;
    }
    return st;
}

/* The title boosts apart: a paragraph with a word of the query in its
 * title gains a fixed weight per word (cm_query.c), so the query's
 * weight can reach past what its words alone can, and Xapian, which
 * stops looking for better paragraphs once none can weigh more than its
 * n-th hit, looked much longer: a quoted phrase of common words took
 * twice the time when one of them was in titles ("de verdragsluitende
 * partijen", 3.8 against 2.1 ms).  So the paragraphs with none of the
 * title words run without the boosts (the AND_NOT leaves Xapian's bound
 * alone), those with one by the whole query (under the title terms'
 * FILTER, which drives it when the titles have fewer paragraphs than the
 * query's rarest word), and the first n of each are merged.  Disjoint, together they are the query's matches, each weighed
 * as by the one query.  On success the two msets and r, the first n of
 * both, are the caller's. */
static cm_status
run_titles_apart(cm_db *db, const cm_query *cq, const cm_search_opts *o,
                 unsigned limit, unsigned check, split_run *ta,
                 int *done, char **errmsg)
{
    cm_xquery *q[2] = {NULL, NULL};
    cm_enquire *enq = NULL;
    unsigned n = o->offset + limit, m[2] = {0, 0}, k, i, kept;
    cm_status st;

    *done = 0;
    memset(ta, 0, sizeof *ta);
    if (n == 0 || n > TITLES_MAX)
        return CM_OK;
    st = titles_queries(cq, &q[0], &q[1]);
    if (st != CM_OK || q[0] == NULL)
        return st;
    for (k = 0; k < 2 && st == CM_OK; k++) {
        unsigned lo = 0, est = 0, hi = 0;
        st = prepare(db, q[k], o, &enq);
        if (st == CM_OK)
            st = cm_enquire_get_mset(enq, 0, n, check, &ta->ms[k]);
        if (st != CM_OK && st != CM_EQUERY && errmsg && enq &&
            *errmsg == NULL)
            *errmsg = strdup(cm_enquire_errmsg(enq));
        cm_enquire_free(enq);
        enq = NULL;
        if (st == CM_OK)
            st = cm_mset_totals(ta->ms[k], &lo, &est, &hi);
        ta->lo += lo;
        ta->est += est;
        ta->hi += hi;
        m[k] = st == CM_OK ? cm_mset_size(ta->ms[k]) : 0;
    }
    cm_xquery_free(q[0]);
    cm_xquery_free(q[1]);
    if (st == CM_OK && m[0] + m[1] > 0 &&
        (ta->r = calloc(m[0] + m[1], sizeof *ta->r)) == NULL)
        st = CM_ENOMEM;
    for (k = 0, kept = 0; k < 2 && st == CM_OK; k++)
        for (i = 0; i < m[k] && st == CM_OK; i++, kept++) {
            ranked *x = &ta->r[kept];
            x->item = i;
            x->ms = ta->ms[k];
            st = cm_mset_docid(ta->ms[k], i, &x->docid);
            if (st == CM_OK)
                st = cm_mset_weight(ta->ms[k], i, &x->w);
        }
    if (st == CM_OK && kept > 0)
        qsort(ta->r, kept, sizeof *ta->r, by_weight);
    if (st == CM_OK) {
        if (kept > n)
            kept = n;
        ta->n_hits = kept > o->offset ? kept - o->offset : 0;
        ta->apart = 1;
        *done = 1;
    } else {
        cm_mset_free(ta->ms[0]);
        cm_mset_free(ta->ms[1]);
        free(ta->r);
        memset(ta, 0, sizeof *ta);
    }
    return st;
}

/* res's totals: at least lo, about est, at most hi. */
static void
set_totals(cm_results *res, unsigned lo, unsigned est, unsigned hi)
{
    res->total_lower = lo;
    res->total = est;
    res->total_upper = hi;
    res->total_exact = lo == hi;
}

/* res's totals from ms, and its hits: n items of ms in the order ord. */
static cm_status
fill_results(cm_mset *ms, const hit_order *ord, unsigned n, cm_tok *tok,
             const cm_query *cq, const cm_search_opts *o, cm_results *res,
             char **errmsg)
{
    unsigned lo, est, hi;
    cm_status st = cm_mset_totals(ms, &lo, &est, &hi);

    if (st == CM_OK) {
        set_totals(res, lo, est, hi);
        st = collect(ms, ord, n, tok, cq, o, res, errmsg);
    }
    return st;
}

static cm_status
run_once(cm_db *db, cm_tok *tok, const cm_query *cq, const cm_search_opts *o,
         cm_results *res, cm_query_error *qerr, char **errmsg)
{
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    unsigned limit = o->limit > CM_SEARCH_MAX_LIMIT ? CM_SEARCH_MAX_LIMIT
                                                    : o->limit;
    unsigned check, docs = 0;
    cm_status st;

    check = o->offset + limit + (o->exact_upto ? o->exact_upto : EXACT_EXTRA);
    if (o->count_only) {
        limit = 0;
        st = cm_db_doc_count(db, &docs);
        if (st != CM_OK)
            return st;
        check = docs;
    }
    if (o->sort == CM_SORT_RELEVANCE && !o->by_doc && !o->count_only &&
        !o->one_pass) {
        split_run sr;
        int done = 0;
        st = run_two_pass(db, cq, o, limit, check, &sr, &done, errmsg);
        if (st == CM_OK && !done)
            st = run_titles_apart(db, cq, o, limit, check, &sr, &done,
                                  errmsg);
        st = search_error(db, cq, st, qerr);
        if (st != CM_OK || done) {
            hit_order ord = {sr.r ? sr.r + o->offset : NULL, o->offset};
            if (st == CM_OK) {
                set_totals(res, sr.lo, sr.est, sr.hi);
                st = collect(sr.ms[0], &ord, sr.n_hits, tok, cq, o, res,
                             errmsg);
            }
            res->reranked = st == CM_OK ? sr.cut : 0;
            res->titles_apart = st == CM_OK && sr.apart;
            free(sr.r);
            cm_mset_free(sr.ms[0]);
            cm_mset_free(sr.ms[1]);
            return st;
        }
    }
    st = prepare(db, cm_query_xquery(cq), o, &enq);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, o->offset, limit, check, &ms);
    st = search_error(db, cq, st, qerr);
    if (st != CM_OK && st != CM_EQUERY && errmsg && enq)
        *errmsg = strdup(cm_enquire_errmsg(enq));
    if (st == CM_OK) {
        hit_order ord = {NULL, 0};
        st = fill_results(ms, &ord, cm_mset_size(ms), tok, cq, o, res,
                          errmsg);
    }
    cm_mset_free(ms);
    cm_enquire_free(enq);
    return st;
}

/* The estimated number of matches of text (0 on any failure). */
static unsigned
count_of(cm_db *db, cm_tok *tok, const char *text, size_t len,
         const cm_query_opts *qo, const cm_search_opts *o)
{
    cm_query *cq = NULL;
    cm_query_error err;
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    unsigned lo = 0, est = 0, hi = 0;
    cm_query_opts counting = *qo;

    counting.rank = 0; /* a count needs no ranking boosts */
    if (cm_query_compile(text, len, tok, &counting, &cq, &err) == CM_OK &&
        prepare(db, cm_query_xquery(cq), o, &enq) == CM_OK &&
        cm_enquire_get_mset(enq, 0, 0, EXACT_EXTRA, &ms) == CM_OK &&
        cm_mset_totals(ms, &lo, &est, &hi) == CM_OK) {
        /* est is set */
    }
    cm_mset_free(ms);
    cm_enquire_free(enq);
    cm_query_free(cq);
    return est;
}

/* "Did you mean": each correctable word replaced by the index's best
 * spelling suggestion; kept when the corrected query finds more. */
static cm_status
suggest(cm_db *db, cm_tok *tok, const char *text, size_t len,
        const cm_query *cq, const cm_query_opts *qo, const cm_search_opts *o,
        cm_results *res)
{
    const cm_query_word *w;
    size_t n, i, at = 0;
    cm_buf b = CM_BUF_INIT(CM_QUERY_MAX_BYTES * 2);
    cm_status st = CM_OK;
    int changed = 0;
    unsigned total;

    w = cm_query_words(cq, &n);
    for (i = 0; i < n && st == CM_OK; i++) {
        char *sug = NULL;
        unsigned freq = 0;
        if (!w[i].correctable || w[i].start < at)
            continue;
        /* A word of the index is not a misspelling, however rare. */
        if (cm_db_term_freq(db, w[i].term, strlen(w[i].term), &freq) !=
                CM_OK ||
            freq > 0)
            continue;
        if (cm_db_spelling_suggest(db, w[i].term, SUGGEST_EDITS, &sug) !=
                CM_OK ||
            sug[0] == '\0' || strcmp(sug, w[i].term) == 0) {
            free(sug);
            continue;
        }
        cm_buf_add(&st, &b, text + at, w[i].start - at);
        cm_buf_adds(&st, &b, sug);
        at = w[i].end;
        changed = 1;
        free(sug);
    }
    if (!changed || st != CM_OK) {
        cm_buf_free(&b);
        return st == CM_ENOMEM ? st : CM_OK;
    }
    cm_buf_add(&st, &b, text + at, len - at);
    if (st != CM_OK) {
        cm_buf_free(&b);
        return st;
    }
    total = count_of(db, tok, b.data, b.len, qo, o);
    if (total > res->total) {
        ((priv *)res->priv)->suggestion = cm_buf_steal(&st, &b);
        res->suggestion = ((priv *)res->priv)->suggestion;
        res->suggestion_total = total;
    }
    cm_buf_free(&b);
    return st;
}

static cm_status
new_results(cm_results **out)
{
    cm_results *res = calloc(1, sizeof *res);
    if (res == NULL)
        return CM_ENOMEM;
    res->priv = calloc(1, sizeof(priv));
    if (res->priv == NULL) {
        free(res);
        return CM_ENOMEM;
    }
    *out = res;
    return CM_OK;
}

/* res->explain after run_titles_apart(): its two queries. */
static cm_status
explain_titles_apart(const cm_query *cq, cm_results *res)
{
    priv *pv = res->priv;
    cm_xquery *q[2] = {NULL, NULL};
    char *d[2] = {NULL, NULL};
    cm_status st = titles_queries(cq, &q[0], &q[1]);

    if (st == CM_OK && q[0] != NULL)
        st = cm_xquery_describe(q[0], &d[0]);
    if (st == CM_OK && q[1] != NULL)
        st = cm_xquery_describe(q[1], &d[1]);
    if (st == CM_OK && d[0] != NULL && d[1] != NULL) {
        cm_buf b = CM_BUF_INIT(0);
        cm_buf_addf(&st, &b,
                    "%s\nand apart, the paragraphs with a word in their "
                    "title: %s",
                    d[0], d[1]);
        pv->explain = cm_buf_steal(&st, &b);
        cm_buf_free(&b);
    }
    cm_xquery_free(q[0]);
    cm_xquery_free(q[1]);
    free(d[0]);
    free(d[1]);
    res->explain = pv->explain;
    return st;
}

/* res->explain: the query as run, in one pass or two (run_two_pass()). */
static cm_status
explain(const cm_query *cq, cm_results *res)
{
    priv *pv = res->priv;
    const cm_xquery *phrase = NULL, *rest = NULL;
    char *d1 = NULL, *d2 = NULL;
    double ratio;
    cm_status st;

    if (res->titles_apart)
        return explain_titles_apart(cq, res);
    if (res->reranked > 0)
        rest = cm_query_rerank(cq, &phrase, &ratio);
    st = cm_xquery_describe(rest ? rest : cm_query_xquery(cq), &d1);
    if (st == CM_OK && rest != NULL)
        st = cm_xquery_describe(phrase, &d2);
    if (st == CM_OK && rest != NULL) {
        cm_buf b = CM_BUF_INIT(0);
        cm_buf_addf(&st, &b, "%s\nthen, on the first %u paragraphs: %s", d1,
                    res->reranked, d2);
        pv->explain = cm_buf_steal(&st, &b);
        cm_buf_free(&b);
        free(d1);
    } else if (st == CM_OK) {
        pv->explain = d1;
    } else {
        free(d1);
    }
    free(d2);
    res->explain = pv->explain;
    return st;
}

/* res->langs: the matches of the query in each language, as if no
 * language were asked for (a remote database: none).  Counted exactly,
 * they give the exact total of a search of paragraphs in any language,
 * which the search itself may have estimated. */
static cm_status
count_langs(cm_db *db, cm_tok *tok, const char *query, size_t query_len,
            const cm_query_opts *qo, const cm_search_opts *o,
            cm_results *res, cm_query_error *qerr)
{
    priv *pv = res->priv;
    cm_query *cq = NULL;
    cm_query_opts any = *qo;
    size_t n = 0;
    unsigned all = 0;
    cm_status st;

    if (cm_db_is_remote(db))
        return CM_OK;
    any.lang = NULL;
    any.rank = 0; /* a count needs no ranking boosts */
    st = cm_query_compile(query, query_len, tok, &any, &cq, qerr);
    if (st == CM_OK)
        st = cm_lang_counts(db, cm_query_xquery(cq), CM_SEARCH_LANG_CHECK,
                            &pv->langs, &n, &res->langs_exact, &all);
    res->langs = pv->langs;
    res->n_langs = n;
    res->langs_counted = st == CM_OK;
    if (st == CM_OK && res->langs_exact && o->lang == NULL && !o->by_doc)
        set_totals(res, all, all, all);
    cm_query_free(cq);
    return st;
}

/* Paragraphs like one: the most telling words of a paragraph. */
#define LIKE_WORDS 20

typedef struct like_ctx {
    cm_buf b;
    cm_status st;
} like_ctx;

static int
add_like_word(void *vctx, const char *s, size_t len, unsigned count)
{
    like_ctx *c = vctx;

    (void)count;
    if (c->b.len + 1 + len > CM_QUERY_MAX_BYTES)
        return 0; /* a long word left out: the query's bound */
    if (c->b.len > 0)
        cm_buf_add(&c->st, &c->b, " ", 1);
    cm_buf_add(&c->st, &c->b, s, len);
    return c->st != CM_OK;
}

/* The words of paragraph docid to look for (*out malloc'd, by spaces). */
static cm_status
like_words(cm_db *db, unsigned docid, char **out, size_t *len)
{
    like_ctx c = {CM_BUF_INIT(0), CM_OK};
    cm_status st = cm_db_like_terms(db, docid, LIKE_WORDS, add_like_word, &c);

    if (st == CM_OK)
        st = c.st;
    *len = c.b.len;
    *out = st == CM_OK ? cm_buf_steal(&st, &c.b) : NULL;
    cm_buf_free(&c.b);
    return st;
}

typedef struct para_ctx {
    cm_db *db;
    unsigned para, docid;
    cm_status st;
} para_ctx;

static int
check_para(void *vctx, unsigned docid)
{
    para_ctx *c = vctx;
    cm_xdoc *x = NULL;
    cm_data *d = NULL;
    const char *data;
    size_t len = 0;

    c->st = cm_db_get_document(c->db, docid, &x);
    if (c->st == CM_OK)
        c->st = cm_xdoc_get_data(x, &data, &len);
    if (c->st == CM_OK && cm_data_parse(data, len, &d) == CM_OK &&
        d->para == c->para)
        c->docid = docid;
    free(d);
    cm_xdoc_free(x);
    return c->st != CM_OK || c->docid != 0;
}

cm_status
cm_search_paragraph(cm_db *db, const char *canonical_path, unsigned para,
                    unsigned *docid)
{
    char term[CM_DB_MAX_TERM + 1], *key = NULL;
    para_ctx c = {db, para, 0, CM_OK};
    cm_status st;

    *docid = 0;
    if (db == NULL || canonical_path == NULL)
        return CM_EINVAL;
    st = cm_schema_file_key(canonical_path, &key);
    if (st != CM_OK)
        return st;
    st = cm_db_postlist(db, term,
                        cm_schema_term(term, sizeof term, CM_PFX_FILE, key,
                                       strlen(key)),
                        check_para, &c);
    free(key);
    if (st == CM_OK)
        st = c.st;
    if (st == CM_OK && c.docid == 0)
        st = CM_ENOTFOUND;
    *docid = c.docid;
    return st;
}

/* Compile the query and run it, both again on the database reopened when
 * cmindex commits under us: the compiled query depends on the index too
 * (the stem terms it has, the languages of its words). */
static cm_status
run_retrying(cm_db *db, cm_tok *tok, const char *query, size_t query_len,
             const cm_query_opts *qo, const cm_search_opts *o,
             cm_query **cq, cm_results **out, cm_query_error *qerr,
             char **errmsg)
{
    cm_status st;
    int tries;

    for (tries = 0;; tries++) {
        st = cm_query_compile(query, query_len, tok, qo, cq, qerr);
        if (st == CM_OK)
            st = new_results(out);
        if (st == CM_OK)
            st = run_once(db, tok, *cq, o, *out, qerr, errmsg);
        if (st == CM_OK && o->lang_counts)
            st = count_langs(db, tok, query, query_len, qo, o, *out, qerr);
        if (st == CM_OK)
            return st;
        cm_results_free(*out);
        *out = NULL;
        if ((st != CM_EMODIFIED && st != CM_EOPEN) ||
            tries == MODIFIED_RETRIES)
            return st;
        cm_query_free(*cq);
        *cq = NULL;
        memset(qerr, 0, sizeof *qerr);
        /* cmindex committed during the search (read the new revision), or
         * swapped the index and a table of the old one is gone (open the
         * new one). */
        if (errmsg) {
            free(*errmsg);
            *errmsg = NULL;
        }
        st = cm_db_reopen(db);
        if (st != CM_OK) {
            if (errmsg)
                *errmsg = strdup(cm_db_errmsg(db));
            return st;
        }
    }
}

cm_status
cm_search_run(cm_db *db, const char *query, size_t query_len,
              const cm_search_opts *opts, cm_results **out,
              cm_query_error *qerr, char **errmsg)
{
    cm_tok *tok = NULL;
    cm_query *cq = NULL;
    cm_query_opts qo;
    cm_status st;
    char *like = NULL;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    memset(qerr, 0, sizeof *qerr);
    memset(&qo, 0, sizeof qo);
    qo.any = opts->any;
    qo.plain = opts->plain;
    if (opts->like != 0) {
        st = like_words(db, opts->like, &like, &query_len);
        if (st == CM_OK && query_len == 0)
            st = CM_ENOTFOUND; /* a paragraph of no words */
        if (st != CM_OK) {
            free(like);
            if (errmsg)
                *errmsg = strdup(cm_db_errmsg(db));
            return st;
        }
        query = like;
        qo.any = 1;
        qo.plain = 1;
    }
    qo.lang = opts->lang;
    /* The boosts only order the hits: a count has none to order. */
    qo.rank = !opts->count_only;
    qo.db = db;
    if (opts->tok != NULL)
        tok = opts->tok;
    else if ((st = cm_tok_new(&tok, errmsg)) != CM_OK)
        return st;
    st = run_retrying(db, tok, query, query_len, &qo, opts, &cq, out, qerr,
                      errmsg);
    if (st == CM_OK && opts->explain)
        st = explain(cq, *out);
    if (st == CM_OK && opts->suggest && !opts->count_only && like == NULL &&
        (*out)->total < SUGGEST_BELOW)
        st = suggest(db, tok, query, query_len, cq, &qo, opts, *out);
    if (st == CM_OK && like != NULL) {
        ((priv *)(*out)->priv)->like_words = like;
        (*out)->like_words = like;
        like = NULL;
    }
    free(like);
    if (st != CM_OK) {
        cm_results_free(*out);
        *out = NULL;
    }
    cm_query_free(cq);
    if (tok != opts->tok)
        cm_tok_free(tok);
    return st;
}
