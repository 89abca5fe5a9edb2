/* rerank_truth.c: the oracle of t-rerank.sh.  cmsearch ranks a query of
 * several words with its phrase boost in a second pass over the first
 * paragraphs of the query without it (cm_search.c, run_two_pass()); the
 * one query with the boost (cm_search_opts.one_pass) is the reference.
 * For queries made of words picked from the indexed paragraphs, run
 * both, on several pages, and compare the hits (paragraph and weight at
 * each rank) and the totals.
 *
 *   rerank_truth [-n queries] [-a] [-p] DB
 *
 * -a: the words are alternatives (cm_search_opts.any, cmsearch --any).
 * -p: the words are quoted, a phrase: no phrase boost then, but when a
 * word is in a title of the index, the title boosts run apart
 * (cm_search.c, run_titles_apart()), which is checked the same way.
 * A query is two to four words of a paragraph, one after the other (so
 * that the phrase is found) or every other one (so that it mostly is not).
 * Weights are equal when within a billionth (the two add the same numbers
 * in another order), and two paragraphs may swap ranks when their weights
 * are.  An exact total must be the same; an estimated one may differ, but
 * the two ranges must overlap.  Prints one line per query that differs
 * and a last line "N queries, K differ, R reranked, T apart" (R:
 * searches the second pass ranked; T: searches with the title boosts
 * apart); exits 1 when K > 0.  Queries come from a
 * fixed-seed generator, so they are the same on every run. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cm_data.h"
#include "cm_db.h"
#include "cm_search.h"
#include "cm_tok.h"
#include "xorshift.h"

#define MAX_WORDS 4

static void
die(const char *what)
{
    fprintf(stderr, "rerank_truth: %s\n", what);
    exit(2);
}

/* The text of paragraph id, malloc'd, or NULL. */
static char *
text_of(cm_db *db, unsigned id)
{
    cm_xdoc *d = NULL;
    const char *data = NULL;
    size_t len = 0;
    cm_data *o = NULL;
    char *text = NULL;

    if (cm_db_get_document(db, id, &d) != CM_OK)
        return NULL;
    if (cm_xdoc_get_data(d, &data, &len) == CM_OK &&
        cm_data_parse(data, len, &o) == CM_OK)
        text = strdup(o->text);
    free(o);
    cm_xdoc_free(d);
    return text;
}

/* A query of 2 to MAX_WORDS words of text, from a random word on, every
 * step-th word; 0 when the text has too few. */
static int
pick_query(cm_tok *tok, const char *text, unsigned step, int quote, char *q,
           size_t cap)
{
    const cm_token *t;
    size_t starts[512], ends[512], n = 0, first, k, len = 0;
    unsigned want = 2 + rnd(MAX_WORDS - 1);

    if (cm_tok_reset(tok, text, strlen(text), NULL) != CM_OK)
        return 0;
    while (n < 512 && cm_tok_next(tok, &t) == CM_OK && t != NULL) {
        if (!(t->flags & CM_TOK_WORD) || (t->flags & CM_TOK_ALT))
            continue;
        starts[n] = t->start;
        ends[n] = t->end;
        n++;
    }
    if (n < want * step)
        return 0;
    first = rnd((unsigned)(n - (want - 1) * step));
    q[0] = '\0';
    if (quote)
        q[len++] = '"';
    for (k = 0; k < want; k++) {
        size_t i = first + k * step, wl = ends[i] - starts[i];
        if (len + wl + 3 > cap)
            return 0;
        if (k > 0)
            q[len++] = ' ';
        memcpy(q + len, text + starts[i], wl);
        len += wl;
        q[len] = '\0';
    }
    if (quote) {
        q[len++] = '"';
        q[len] = '\0';
    }
    return 1;
}

static int
near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Whether the hits of a (the two passes) are those of b (the one query):
 * at each rank the same weight, and the same paragraph unless its weight
 * ties with a neighbour's. */
static int
same(const cm_results *a, const cm_results *b, char *why, size_t cap)
{
    size_t i;

    /* An exact total is the same; estimates may differ (the first pass
     * asks Xapian for more paragraphs, which sees more of them), but both
     * hold the number of matches. */
    if (a->n_hits != b->n_hits ||
        (b->total_exact && (!a->total_exact || a->total != b->total)) ||
        a->total_lower > b->total_upper || b->total_lower > a->total_upper ||
        a->total < a->total_lower || a->total > a->total_upper) {
        snprintf(why, cap, "%zu hits of %u (%u..%u), one query %zu of %u "
                 "(%u..%u)", a->n_hits, a->total, a->total_lower,
                 a->total_upper, b->n_hits, b->total, b->total_lower,
                 b->total_upper);
        return 0;
    }
    for (i = 0; i < a->n_hits; i++) {
        const cm_hit *x = &a->hits[i], *y = &b->hits[i];
        int tie = (i > 0 && near(y->score, b->hits[i - 1].score)) ||
                  (i + 1 < b->n_hits && near(y->score, b->hits[i + 1].score));
        if (!near(x->score, y->score) || x->rank != y->rank ||
            (x->docid != y->docid && !tie)) {
            snprintf(why, cap, "rank %u: paragraph %u weight %.9g, one "
                     "query paragraph %u weight %.9g", y->rank, x->docid,
                     x->score, y->docid, y->score);
            return 0;
        }
    }
    return 1;
}

int
main(int argc, char **argv)
{
    static const struct {
        unsigned offset, limit;
    } pages[] = {{0, 10}, {0, 1}, {7, 5}, {0, 40}, {90, 10}};
    unsigned n_queries = 100, last = 0, tried = 0, differ = 0, reranked = 0;
    unsigned apart = 0;
    int any = 0, quote = 0;
    cm_db *db = NULL;
    cm_tok *tok = NULL;
    char q[512], why[256];
    int c;

    while ((c = getopt(argc, argv, "n:ap")) != -1) {
        if (c == 'n')
            n_queries = (unsigned)strtoul(optarg, NULL, 10);
        else if (c == 'a')
            any = 1;
        else if (c == 'p')
            quote = 1;
        else
            die("usage: rerank_truth [-n queries] [-a] [-p] DB");
    }
    if (optind + 1 != argc)
        die("usage: rerank_truth [-n queries] [-a] [-p] DB");
    if (cm_db_open(argv[optind], &db, NULL) != CM_OK)
        die("cannot open the index");
    if (cm_tok_new(&tok, NULL) != CM_OK)
        die("no analyzer");
    if (cm_db_last_docid(db, &last) != CM_OK || last == 0)
        die("an empty index");
    while (tried < n_queries) {
        char *text = text_of(db, 1 + rnd(last));
        unsigned step = 1 + rnd(2);
        size_t p;
        if (text == NULL)
            continue;
        if (!pick_query(tok, text, step, quote, q, sizeof q)) {
            free(text);
            continue;
        }
        free(text);
        tried++;
        for (p = 0; p < sizeof pages / sizeof pages[0]; p++) {
            cm_search_opts o;
            cm_results *two = NULL, *one = NULL;
            cm_query_error qerr;
            char *err = NULL;
            memset(&o, 0, sizeof o);
            o.offset = pages[p].offset;
            o.limit = pages[p].limit;
            o.any = any;
            o.tok = tok;
            if (cm_search_run(db, q, strlen(q), &o, &two, &qerr, &err) !=
                CM_OK) {
                printf("%s: search failed: %s\n", q, err ? err : qerr.message);
                free(err);
                differ++;
                break;
            }
            o.one_pass = 1;
            if (cm_search_run(db, q, strlen(q), &o, &one, &qerr, &err) !=
                CM_OK) {
                printf("%s: one query failed: %s\n", q,
                       err ? err : qerr.message);
                free(err);
                cm_results_free(two);
                differ++;
                break;
            }
            reranked += two->reranked > 0;
            apart += two->titles_apart != 0;
            if (one->reranked || one->titles_apart ||
                !same(two, one, why, sizeof why)) {
                printf("%s\t(offset %u, limit %u)\t%s\n", q, o.offset,
                       o.limit,
                       one->reranked || one->titles_apart
                           ? "one_pass ran in two"
                           : why);
                differ++;
                p = sizeof pages / sizeof pages[0];
            }
            cm_results_free(two);
            cm_results_free(one);
        }
    }
    printf("%u queries, %u differ, %u reranked, %u apart\n", tried, differ,
           reranked, apart);
    cm_tok_free(tok);
    cm_db_close(db);
    return differ > 0;
}
