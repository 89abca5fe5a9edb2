/* cm_langcount.c: how many paragraphs of each language a query matches. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_langcount.h"
#include "cm_runs.h"
#include "cm_schema.h"
#include "cm_util.h"

/* More languages than any index has (the page lists 200). */
#define MAX_LANGS 256

/* A range of docids, all paragraphs of language lang. */
typedef struct span {
    unsigned first, last;
    unsigned lang;
} span;

typedef struct counter {
    cm_lang_count langs[MAX_LANGS];
    size_t n_langs;
    span *spans;
    size_t n_spans, cap;
    unsigned seen; /* matches looked at */
    cm_status st;
} counter;

static int
add_code(void *ctx, const char *term, size_t len, unsigned freq)
{
    counter *c = ctx;

    (void)freq;
    if (len < 2 || !cm_lang_code_ok(term + 1, len - 1) ||
        c->n_langs == MAX_LANGS)
        return 0;
    memcpy(c->langs[c->n_langs].code, term + 1, len - 1);
    c->langs[c->n_langs].code[len - 1] = '\0';
    c->langs[c->n_langs++].count = 0;
    return 0;
}

typedef struct postings {
    cm_runs *r;
    cm_status st;
} postings;

static int
add_docid(void *ctx, unsigned docid)
{
    postings *p = ctx;
    p->st = cm_runs_add(p->r, docid);
    return p->st != CM_OK;
}

/* The paragraphs of language code as runs in *r: those cmindex stamped
 * for this revision, or else the L term's postings. */
static cm_status
lang_runs(cm_db *db, const char *code, cm_runs *r)
{
    char key[64], term[CM_DB_MAX_TERM + 1], *v = NULL;
    size_t vlen = 0, n;
    postings p = {r, CM_OK};
    cm_status st;

    cm_runs_clear(r);
    if (cm_db_is_local_one(db) &&
        cm_schema_runs_key(key, code, strlen(code)) &&
        cm_db_get_stamped(db, key, &v, &vlen) == CM_OK && vlen > 0 &&
        cm_runs_decode(v, vlen, r) == CM_OK) {
        free(v);
        return CM_OK;
    }
    free(v);
    cm_runs_clear(r);
    n = cm_schema_term(term, sizeof term, CM_PFX_LANG, code, strlen(code));
    st = cm_db_postlist(db, term, n, add_docid, &p);
    return st == CM_OK ? p.st : st;
}

static int
by_first(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The table of c's languages' docid ranges, by first docid. */
static cm_status
make_spans(cm_db *db, counter *c)
{
    cm_runs r = CM_RUNS_INIT;
    size_t i, j;
    cm_status st = CM_OK;

    for (i = 0; i < c->n_langs && st == CM_OK; i++) {
        st = lang_runs(db, c->langs[i].code, &r);
        for (j = 0; j < r.n && st == CM_OK; j++) {
            st = cm_grow((void **)&c->spans, &c->cap, c->n_spans,
                         sizeof *c->spans);
            if (st != CM_OK)
                break;
            c->spans[c->n_spans].first = r.first[j];
            c->spans[c->n_spans].last = r.last[j];
            c->spans[c->n_spans++].lang = (unsigned)i;
        }
    }
    cm_runs_free(&r);
    if (st == CM_OK && c->n_spans > 1)
        qsort(c->spans, c->n_spans, sizeof *c->spans, by_first);
    return st;
}

/* A match: counted for the language whose range holds it (a paragraph has
 * one L term, so the ranges are apart). */
static int
count_docid(void *ctx, unsigned docid)
{
    counter *c = ctx;
    size_t lo = 0, hi = c->n_spans;

    c->seen++;
    while (hi - lo > 1) { /* the last span with first <= docid */
        size_t mid = lo + (hi - lo) / 2;
        if (c->spans[mid].first <= docid)
            lo = mid;
        else
            hi = mid;
    }
    if (c->n_spans > 0 && c->spans[lo].first <= docid &&
        docid <= c->spans[lo].last)
        c->langs[c->spans[lo].lang].count++;
    return 0;
}

/* Most matches first; equals in code order. */
static int
by_count(const void *a, const void *b)
{
    const cm_lang_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->code, y->code);
}

cm_status
cm_lang_counts(cm_db *db, const cm_xquery *q, unsigned check,
               cm_lang_count **out, size_t *n, int *exact,
               unsigned *looked_at)
{
    counter *c = NULL;
    cm_enquire *enq = NULL;
    unsigned lo = 0, est = 0, hi = 0, docs = 0;
    size_t i, k = 0;
    cm_status st;

    *out = NULL;
    *n = 0;
    *exact = 1;
    *looked_at = 0;
    if (db == NULL || q == NULL)
        return CM_EINVAL;
    c = calloc(1, sizeof *c);
    if (c == NULL)
        return CM_ENOMEM;
    st = cm_db_allterms(db, "L", add_code, c);
    if (st == CM_OK && check == 0)
        st = cm_db_doc_count(db, &docs);
    if (st == CM_OK && c->n_langs > 0)
        st = make_spans(db, c);
    if (st == CM_OK && c->n_langs > 0)
        st = cm_enquire_new(db, &enq);
    /* No weights: a count needs none, and Xapian then skips them. */
    if (st == CM_OK && enq != NULL)
        st = cm_enquire_set_query(enq, q);
    if (st == CM_OK && enq != NULL)
        st = cm_enquire_set_bool_weight(enq);
    if (st == CM_OK && enq != NULL)
        st = cm_enquire_spy(enq, check ? check : docs, count_docid, c, &lo,
                            &est, &hi);
    /* Not all looked at: the counts are of those that were, at least
     * so many.  Xapian looks at the matches in docid order, and a
     * language's paragraphs are where its files are, so a share of the
     * first ones scaled up would mislead. */
    if (st == CM_OK && (lo != hi || c->seen != hi))
        *exact = 0;
    *looked_at = c->seen;
    for (i = 0; st == CM_OK && i < c->n_langs; i++)
        if (c->langs[i].count > 0)
            c->langs[k++] = c->langs[i];
    if (st == CM_OK && k > 0) {
        qsort(c->langs, k, sizeof c->langs[0], by_count);
        *out = malloc(k * sizeof **out);
        if (*out == NULL)
            st = CM_ENOMEM;
        else {
            memcpy(*out, c->langs, k * sizeof **out);
            *n = k;
        }
    }
    cm_enquire_free(enq);
    free(c->spans);
    free(c);
    return st;
}
