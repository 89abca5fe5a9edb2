/* test_langcount.c: the matches of a query in each language. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../e2e/xorshift.h"
#include "cm_db.h"
#include "cm_langcount.h"
#include "cm_runs.h"
#include "cm_schema.h"
#include "tap.h"

#define MAX_DOCS 2000
static const char *const codes[] = {"en", "fr", "nl", "sco", ""};
#define N_CODES 5

/* One index's paragraphs, by docid from 1: language (an index of codes)
 * and whether it holds the word w. */
typedef struct layout {
    unsigned char lang[MAX_DOCS + 1];
    unsigned char w[MAX_DOCS + 1];
    unsigned n;
} layout;

/* n paragraphs in files of 1 to 40, each file mostly of one language. */
static void
make_layout(layout *l, unsigned n)
{
    unsigned d = 1, lang = 0, left = 0;

    l->n = n;
    for (d = 1; d <= n; d++) {
        if (left == 0) {
            lang = rnd(N_CODES);
            left = 1 + rnd(40);
        }
        left--;
        /* A bilingual file: now and then the other language. */
        l->lang[d] = rnd(7) == 0 ? (lang + 1) % N_CODES : lang;
        l->w[d] = rnd(3) == 0;
    }
}

static int
add_docs(cm_db *db, const layout *l, unsigned from)
{
    char term[16];
    unsigned d;

    for (d = from; d <= l->n; d++) {
        cm_xdoc *x = NULL;
        unsigned id = 0;
        int bad = cm_xdoc_new(&x) != CM_OK ||
                  cm_xdoc_add_boolean_term(x, "x", 1) != CM_OK;
        if (!bad && *codes[l->lang[d]] != '\0') {
            int n = snprintf(term, sizeof term, "L%s", codes[l->lang[d]]);
            bad = cm_xdoc_add_boolean_term(x, term, (size_t)n) != CM_OK;
        }
        if (!bad && l->w[d])
            bad = cm_xdoc_add_boolean_term(x, "w", 1) != CM_OK;
        bad = bad || cm_db_add_document(db, x, &id) != CM_OK || id != d;
        cm_xdoc_free(x);
        if (bad)
            return -1;
    }
    return 0;
}

/* Stamp the runs of code's paragraphs (garbage bytes when bad). */
static int
stamp_runs(cm_db *db, const layout *l, unsigned code, int bad)
{
    cm_runs r = CM_RUNS_INIT;
    cm_buf b = CM_BUF_INIT(0);
    cm_status st = CM_OK;
    char key[64];
    unsigned d;
    int rc;

    for (d = 1; d <= l->n && st == CM_OK; d++)
        if (l->lang[d] == code)
            st = cm_runs_add(&r, d);
    if (st == CM_OK)
        st = cm_runs_encode(&r, &b);
    if (st == CM_OK && bad)
        cm_buf_adds(&st, &b, "\x05"); /* bytes left over */
    rc = st != CM_OK ||
         !cm_schema_runs_key(key, codes[code], strlen(codes[code])) ||
         cm_db_set_stamped(db, key, b.data, b.len) != CM_OK;
    cm_runs_free(&r);
    cm_buf_free(&b);
    return rc;
}

/* The paragraphs of l of language code that hold w. */
static unsigned
expected(const layout *l, unsigned code)
{
    unsigned d, n = 0;
    for (d = 1; d <= l->n; d++)
        n += l->w[d] && l->lang[d] == code;
    return n;
}

/* Check counts of "w" on db against the languages of layouts ls[0..nl). */
static void
check_exact(cm_db *db, const layout *ls, size_t nl, const char *what)
{
    cm_xquery *q = NULL;
    cm_lang_count *c = NULL;
    size_t n = 0, i, j, k;
    unsigned all = 0, matches = 0, prev = ~0u;
    int exact = 0, right = 1;

    if (cm_xquery_term("w", 1, 1, 0, &q) != CM_OK ||
        cm_lang_counts(db, q, 0, &c, &n, &exact, &all) != CM_OK) {
        ok(0, "%s: counted", what);
        cm_xquery_free(q);
        return;
    }
    for (k = 0; k < nl; k++)
        for (i = 1; i <= ls[k].n; i++)
            matches += ls[k].w[i];
    ok(exact, "%s: exact", what);
    ok(all == matches, "%s: every match looked at (%u of %u)", what, all,
       matches);
    for (j = 0; j + 1 < N_CODES; j++) {
        unsigned want = 0, got = 0;
        for (k = 0; k < nl; k++)
            want += expected(&ls[k], (unsigned)j);
        for (i = 0; i < n; i++)
            if (strcmp(c[i].code, codes[j]) == 0)
                got = c[i].count;
        if (got != want) {
            diag("%s: %s %u, want %u", what, codes[j], got, want);
            right = 0;
        }
    }
    for (i = 0; i < n; i++) {
        right &= c[i].count > 0 && c[i].count <= prev;
        prev = c[i].count;
    }
    ok(right, "%s: each language's count, most first, none at 0", what);
    free(c);
    cm_xquery_free(q);
}

int
main(void)
{
    char dir[] = "/tmp/test_langcount.XXXXXX", path[2][96];
    layout *l = calloc(3, sizeof *l);
    cm_db *w = NULL, *r = NULL;
    cm_xquery *q = NULL;
    cm_lang_count *c = NULL;
    size_t n = 0, i;
    unsigned all = 0, sum = 0;
    int exact = 1, under = 1;

    if (l == NULL || mkdtemp(dir) == NULL)
        return ok(0, "setup"), done_testing();
    snprintf(path[0], sizeof path[0], "%s/one", dir);
    snprintf(path[1], sizeof path[1], "%s/two", dir);

    /* One database: runs stamped for en, and for nl spoilt; fr, sco from
     * their postings. */
    make_layout(&l[0], 1500);
    ok(cm_db_open_writable(path[0], CM_DB_CREATE, &w, NULL) == CM_OK &&
           add_docs(w, &l[0], 1) == 0 && stamp_runs(w, &l[0], 0, 0) == 0 &&
           stamp_runs(w, &l[0], 2, 1) == 0 && cm_db_commit(w) == CM_OK,
       "an index of 1500 paragraphs, runs stamped");
    cm_db_close(w);
    w = NULL;
    ok(cm_db_open(path[0], &r, NULL) == CM_OK, "opened");
    check_exact(r, &l[0], 1, "runs and postings");

    /* Fewer looked at than match: at most the true counts. */
    if (cm_xquery_term("w", 1, 1, 0, &q) == CM_OK &&
        cm_lang_counts(r, q, 10, &c, &n, &exact, &all) == CM_OK) {
        ok(!exact, "10 looked at: not exact");
        ok(all >= 10 && all <= 500, "10 looked at: %u", all);
        for (i = 0; i < n; i++) {
            size_t j;
            for (j = 0; j < N_CODES; j++)
                if (strcmp(codes[j], c[i].code) == 0)
                    under &= c[i].count <= expected(&l[0], (unsigned)j);
            sum += c[i].count;
        }
        ok(under && sum <= all, "10 looked at: lower bounds");
    } else {
        ok(0, "10 looked at: counted");
    }
    free(c);
    c = NULL;
    cm_xquery_free(q);
    q = NULL;
    cm_db_close(r);
    r = NULL;

    /* A commit since: the stamps name another revision. */
    l[0].n = 1700;
    make_layout(&l[2], 200);
    memcpy(l[0].lang + 1501, l[2].lang + 1, 200);
    memcpy(l[0].w + 1501, l[2].w + 1, 200);
    ok(cm_db_open_writable(path[0], 0, &w, NULL) == CM_OK &&
           add_docs(w, &l[0], 1501) == 0 && cm_db_commit(w) == CM_OK,
       "200 paragraphs more");
    cm_db_close(w);
    w = NULL;
    ok(cm_db_open(path[0], &r, NULL) == CM_OK, "opened again");
    check_exact(r, &l[0], 1, "stale runs");
    cm_db_close(r);
    r = NULL;

    /* Two shards: their docids interleave. */
    make_layout(&l[1], 900);
    ok(cm_db_open_writable(path[1], CM_DB_CREATE, &w, NULL) == CM_OK &&
           add_docs(w, &l[1], 1) == 0 && stamp_runs(w, &l[1], 0, 0) == 0 &&
           cm_db_commit(w) == CM_OK,
       "a second index of 900");
    cm_db_close(w);
    w = NULL;
    {
        const char *const paths[2] = {path[0], path[1]};
        ok(cm_db_open_shards(paths, 2, &r, NULL) == CM_OK,
           "both as shards");
    }
    check_exact(r, l, 2, "two shards");
    cm_db_close(r);
    r = NULL;

    /* No languages at all. */
    snprintf(path[1], sizeof path[1], "%s/none", dir);
    memset(l[1].lang, N_CODES - 1, sizeof l[1].lang);
    ok(cm_db_open_writable(path[1], CM_DB_CREATE, &w, NULL) == CM_OK &&
           add_docs(w, &l[1], 1) == 0 && cm_db_commit(w) == CM_OK,
       "an index of paragraphs of no language");
    if (cm_xquery_term("w", 1, 1, 0, &q) == CM_OK &&
        cm_lang_counts(w, q, 0, &c, &n, &exact, &all) == CM_OK) {
        ok(n == 0 && c == NULL && exact, "no language: no counts, exact");
    } else {
        ok(0, "no language: counted");
    }
    is_int(cm_lang_counts(w, NULL, 0, &c, &n, &exact, &all), CM_EINVAL,
           "no query: CM_EINVAL");
    cm_xquery_free(q);
    cm_db_close(w);

    rm_rf(dir);
    free(l);
    return done_testing();
}
