/* cm_doc_lang.c: the language of each paragraph and of the document.
 *
 * libexttextcat (cm_lang.h) guesses from character n-grams, which needs
 * text: a heading such as "Article 2" or "Right to life" is noise to it,
 * and on a short paragraph it hesitates between close languages.  A guess
 * costs the n-gram profile of the text and its comparison with the
 * languages': 19 us for 512 bytes among a document's three languages,
 * 31 us among all 160, 5.6 us for a probe below (bench/README.md, stop
 * 17; libexttextcat's own profile and fp_Compare() took 89 us for the
 * first).  So:
 *
 *  0. a sample of up to SAMPLE paragraphs spread over the document (the
 *     long ones, else any) is identified among all the languages
 *     libexttextcat knows; every language they guess is a candidate.
 *     When they all guess the same language, the document is in it and
 *     the steps below are skipped;
 *  1. the paragraphs of IDENT_MIN_BYTES or more (the eligible ones) are
 *     identified among the candidates (a handful of languages instead of
 *     160), sparsely, because documents are runs: a bilingual treaty is a
 *     long run of English, then one of Dutch.  A walk identifies the first
 *     eligible paragraph, then the one STEP eligible paragraphs further
 *     (a paragraph of the sample before it is a stop too, identified
 *     already), and so on to the last; STEP doubles from MIN_STEP up to
 *     MAX_STEP while consecutive stops agree and falls back to MIN_STEP
 *     when they don't.  Two stops agree when each has a single guess, the
 *     same: where libexttextcat hesitates between close languages (es
 *     and ast) every paragraph is identified, since the document's
 *     language is their vote;
 *   - between two stops that agree, each paragraph takes their guess,
 *     but one of LONG bytes or more is probed first: identified from a
 *     coarse profile (PROBE_NGRAMS n-grams of its first PROBE_BYTES, under
 *     a third of the cost), and identified in full unless the probe puts
 *     the stops' language first.  So a long paragraph in another of the
 *     document's languages alone in a run is found (a quotation, letters
 *     and their translations in turn), as when every paragraph was
 *     identified, while a shorter one takes the run's language, which
 *     step 4 would have given it;
 *   - between two stops that disagree, the eligible paragraph halfway is
 *     identified and each half is handled the same way, down to
 *     neighbours: that finds where a translation starts;
 *  1b. a long paragraph identified among the candidates whose nearest
 *     eligible neighbours with guesses agree (as stops do) on a language
 *     that it does not guess first, or that a probe found it is not in
 *     and it hesitates on, is identified again among all languages: a
 *     quotation in a language the sample did not meet (a German letter
 *     in a Dutch treaty), which the candidates explain badly (an Italian
 *     paragraph among English and French ones gets "en" then "fr").  One
 *     they rank like the run (a German paragraph among English and French
 *     ones is nearest English) is not found, as before step 1 was
 *     sparse;
 *  2. the languages present are those that win on long paragraphs (at
 *     least LONG bytes) holding at least 10% of their text, where a
 *     paragraph is won by the one of its guesses that the most text has
 *     first: one that hesitates between close languages counts for the
 *     document's (the UDHR's Catalan, Portuguese and Tagalog had a fifth
 *     of their paragraphs in Occitan, Galician and Hiligaynon; on the
 *     treaties, Scots went from 96 paragraphs to 4, the rest English);
 *  3. a paragraph takes the first of its guesses that is present; a long
 *     one with none present keeps its best guess (a quotation in another
 *     language); a short one stays undecided;
 *  4. a decided paragraph shorter than LONG whose decided neighbours on
 *     both sides agree on another present language takes theirs, and so
 *     does a long one when that language is among its guesses (a
 *     paragraph does not switch language alone in the middle of a run);
 *  5. an undecided paragraph takes its neighbours' language: the one
 *     before it, or for a heading the one after it (a heading belongs
 *     with what follows, which matters where a translation starts), or
 *     the other one when only one exists; the document's main language
 *     when there is none.
 *
 * On the treaties (3,251 files), 2,017 documents get to step 1: of their
 * 242,385 eligible paragraphs, 29,598 (one in eight) are identified in
 * full, 144,514 long ones are probed, 169 identified again among all
 * languages.  Identification takes about half the time it took when
 * every eligible paragraph was identified (bench/README.md), as
 * accurately; step 0 (four profiles compared with 160 languages per
 * document) is now half of what is left.  Tried and left out:
 *  - IDENT_BYTES 256, a quarter cheaper: the UDHR in Spanish comes out
 *    Asturian (a close call that the whole 512 bytes settle);
 *  - the coarse profile for every identification: it puts the right
 *    language first for 97.7% of long treaty paragraphs, the full one for
 *    99.3%;
 *  - no probes (a third faster again): nine in ten long paragraphs alone
 *    in another of the document's languages are lost, and alternating
 *    letters take one language;
 *  - comparing first the language that won last, so that the others'
 *    comparisons stop at the threshold sooner: 1% (a wrong language of
 *    the same script reaches it late).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_doc_int.h"

#define LONG 200
#define MAX_PRESENT 8
/* Paragraphs identified among all languages to find the candidates. */
#define SAMPLE 4
#define IDENT_BYTES 512
#define IDENT_MIN_BYTES 120
#define MAX_CANDIDATES 16
/* Step 1's walk. */
#define MIN_STEP 2
#define MAX_STEP 16
#define PROBE_BYTES 160
#define PROBE_NGRAMS 100

/* How a paragraph got its guesses (step 1). */
enum {
    GUESS_NONE, GUESS_SOME, GUESS_MISS, GUESS_ALL, GUESS_RUN, GUESS_LONE
};

typedef struct {
    cm_lang_guess g[CM_LANG_MAX_GUESSES];
    size_t n;       /* guesses */
    int how;        /* GUESS_NONE: not identified; GUESS_SOME: among the
                     * candidates; GUESS_MISS: the same, after a probe
                     * that did not put its run's language first;
                     * GUESS_ALL: among all languages; GUESS_RUN: its
                     * run's (copied); GUESS_LONE: to identify again
                     * among all languages (step 1b) */
    char lang[8];   /* decided language, or "" */
    char smooth[8]; /* step 4's decision */
} para_guess;

typedef struct {
    char code[8];
    size_t weight;
} tally;

static size_t
tally_add(tally *t, size_t nt, size_t cap, const char *code, size_t w)
{
    size_t i;

    for (i = 0; i < nt; i++)
        if (strcmp(t[i].code, code) == 0) {
            t[i].weight += w;
            return nt;
        }
    if (nt == cap)
        return nt;
    snprintf(t[nt].code, sizeof t[nt].code, "%s", code);
    t[nt].weight = w;
    return nt + 1;
}

static int
by_weight(const void *a, const void *b)
{
    const tally *x = a, *y = b;

    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return strcmp(x->code, y->code);
}

static int
is_present(const tally *t, size_t nt, const char *code)
{
    size_t i;

    for (i = 0; i < nt; i++)
        if (strcmp(t[i].code, code) == 0)
            return 1;
    return 0;
}

static int
among(const para_guess *p, const char *code)
{
    size_t k;

    for (k = 0; k < p->n; k++)
        if (strcmp(p->g[k].code, code) == 0)
            return 1;
    return 0;
}

/* The rank in first[0..nf) (most text first) of the best-ranked of p's
 * guesses, or nf. */
static size_t
best_ranked(const para_guess *p, const tally *first, size_t nf)
{
    size_t r, k;

    for (r = 0; r < nf; r++)
        for (k = 0; k < p->n; k++)
            if (strcmp(first[r].code, p->g[k].code) == 0)
                return r;
    return nf;
}

/* Step 2: the languages present, most text first, in t[0..return).  Each
 * paragraph's text counts for its first guess, then again for the guess
 * of it that has the most text so counted: a paragraph that hesitates
 * between close languages (es and ast, pt and gl) counts for the one the
 * document is in, which is then alone present, where counting first
 * guesses made both present and the paragraphs alternate between them. */
static size_t
present_langs(const cm_doc *d, const para_guess *pg, tally *t, size_t cap,
              size_t min_len)
{
    tally first[64], all[64];
    size_t nf = 0, na = 0, i, r, total = 0, np = 0;

    for (i = 0; i < d->n_paras; i++)
        if (pg[i].n > 0 && d->paras[i].text_len >= min_len)
            nf = tally_add(first, nf, 64, pg[i].g[0].code,
                           d->paras[i].text_len);
    qsort(first, nf, sizeof first[0], by_weight);
    for (i = 0; i < d->n_paras; i++) {
        if (pg[i].n == 0 || d->paras[i].text_len < min_len)
            continue;
        r = best_ranked(&pg[i], first, nf);
        na = tally_add(all, na, 64, r < nf ? first[r].code : pg[i].g[0].code,
                       d->paras[i].text_len);
    }
    for (i = 0; i < na; i++)
        total += all[i].weight;
    qsort(all, na, sizeof all[0], by_weight);
    for (i = 0; i < na && np < cap; i++)
        if (i == 0 || all[i].weight * 10 >= total)
            t[np++] = all[i];
    return np;
}

/* The nearest decided paragraph before (dir -1) or after (dir 1) i. */
static const char *
neighbour(const para_guess *pg, size_t n, size_t i, int dir)
{
    size_t j = i;

    for (;;) {
        if (dir < 0 ? j == 0 : j + 1 >= n)
            return NULL;
        j = dir < 0 ? j - 1 : j + 1;
        if (pg[j].lang[0] != '\0')
            return pg[j].lang;
    }
}

static void
decide(const cm_doc *d, para_guess *pg, const tally *t, size_t nt)
{
    size_t i, k;

    for (i = 0; i < d->n_paras; i++) {
        para_guess *p = &pg[i];
        p->lang[0] = '\0';
        for (k = 0; k < p->n; k++)
            if (is_present(t, nt, p->g[k].code)) {
                memcpy(p->lang, p->g[k].code, sizeof p->lang);
                break;
            }
        if (p->lang[0] == '\0' && p->n > 0 && d->paras[i].text_len >= LONG)
            memcpy(p->lang, p->g[0].code, sizeof p->lang);
    }
    /* Step 4, from the decisions of step 3 only: the new ones must not
     * feed each other. */
    for (i = 0; i < d->n_paras; i++) {
        const char *a, *b;
        para_guess *p = &pg[i];
        memcpy(p->smooth, p->lang, sizeof p->smooth);
        if (p->lang[0] == '\0')
            continue;
        a = neighbour(pg, d->n_paras, i, -1);
        b = neighbour(pg, d->n_paras, i, 1);
        if (a != NULL && b != NULL && strcmp(a, b) == 0 &&
            strcmp(a, p->lang) != 0 && is_present(t, nt, a) &&
            (d->paras[i].text_len < LONG || among(p, a)))
            memcpy(p->smooth, a, sizeof p->smooth);
    }
    for (i = 0; i < d->n_paras; i++)
        memcpy(pg[i].lang, pg[i].smooth, sizeof pg[i].lang);
}

/* How much of a paragraph is given to the identifier, at most max bytes:
 * the n-gram profile it builds costs in proportion to the text, and the
 * first IDENT_BYTES say the language as well as the rest.  Cut at a
 * character boundary. */
static size_t
ident_len(const cm_para *p, size_t max)
{
    size_t n = p->text_len;
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)p->text[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Step 0: identify a sample among all languages and restrict id to the
 * languages it guesses; the sampled paragraphs that step 1 would
 * identify keep their guesses in pg (among the candidates they would be
 * the same).  Returns the number of candidates (0: nothing to go on).
 * *one gets the language when every sampled paragraph's best guess was
 * that language (a document in one language), else "". */
static size_t
candidates(const cm_doc *d, cm_lang *id, para_guess *pg, char one[8])
{
    char codes[MAX_CANDIDATES][8];
    const char *ptrs[MAX_CANDIDATES];
    cm_lang_guess g[CM_LANG_MAX_GUESSES];
    size_t i, k, j, n_long = 0, n_any = 0, min_len, total, step_i, nc = 0;
    size_t ng;

    for (i = 0; i < d->n_paras; i++) {
        if (d->paras[i].text_len >= LONG)
            n_long++;
        if (d->paras[i].text_len >= CM_LANG_MIN_BYTES)
            n_any++;
    }
    min_len = n_long > 0 ? LONG : CM_LANG_MIN_BYTES;
    total = n_long > 0 ? n_long : n_any;
    cm_lang_restrict(id, NULL, 0);
    /* The k-th of SAMPLE picks is the (k * total / SAMPLE)-th eligible
     * paragraph, so the sample spans the document. */
    for (i = 0, j = 0, k = 0; i < d->n_paras && k < SAMPLE && k < total;
         i++) {
        if (d->paras[i].text_len < min_len)
            continue;
        step_i = total <= SAMPLE ? j : k * total / SAMPLE;
        if (j++ != step_i)
            continue;
        k++;
        ng = cm_lang_identify(id, d->paras[i].text,
                              ident_len(&d->paras[i], IDENT_BYTES), g,
                              CM_LANG_MAX_GUESSES);
        if (ng > 0 && k == 1)
            snprintf(one, 8, "%s", g[0].code);
        else if (ng == 0 || strcmp(one, g[0].code) != 0)
            one[0] = '\0';
        if (ng > 0 && d->paras[i].text_len >= IDENT_MIN_BYTES) {
            memcpy(pg[i].g, g, ng * sizeof g[0]);
            pg[i].n = ng;
            pg[i].how = GUESS_ALL;
        }
        for (size_t q = 0; q < ng; q++) {
            size_t c;
            for (c = 0; c < nc; c++)
                if (strcmp(codes[c], g[q].code) == 0)
                    break;
            if (c == nc && nc < MAX_CANDIDATES)
                memcpy(codes[nc++], g[q].code, sizeof codes[0]);
        }
    }
    for (i = 0; i < nc; i++)
        ptrs[i] = codes[i];
    if (nc > 0)
        cm_lang_restrict(id, ptrs, nc);
    return nc;
}

/* ---- step 1: the walk --------------------------------------------------- */

typedef struct {
    const cm_doc *d;
    cm_lang *id;
    para_guess *pg;
    const size_t *el; /* the eligible paragraphs, el[0..ne) */
    size_t ne;
} walk;

/* Identify the k-th eligible paragraph among the candidates, unless it
 * has guesses already. */
static void
identify(walk *w, size_t k)
{
    const cm_para *p = &w->d->paras[w->el[k]];
    para_guess *q = &w->pg[w->el[k]];

    if (q->how != GUESS_NONE)
        return;
    q->n = cm_lang_identify(w->id, p->text, ident_len(p, IDENT_BYTES), q->g,
                            CM_LANG_MAX_GUESSES);
    q->how = GUESS_SOME;
}

/* Two stops agree: a single guess each, the same. */
static int
agree(const para_guess *a, const para_guess *b)
{
    return a->n == 1 && b->n == 1 && strcmp(a->g[0].code, b->g[0].code) == 0;
}

/* The probe: does a coarse profile of p's first PROBE_BYTES put code
 * first? */
static int
probe_fits(walk *w, const cm_para *p, const char *code)
{
    cm_lang_guess g[CM_LANG_MAX_GUESSES];
    size_t n = cm_lang_identify_ngrams(w->id, p->text,
                                       ident_len(p, PROBE_BYTES),
                                       PROBE_NGRAMS, g, CM_LANG_MAX_GUESSES);

    return n > 0 && strcmp(g[0].code, code) == 0;
}

/* The eligible paragraphs strictly between the stops a and b (identified
 * both). */
static void
fill(walk *w, size_t a, size_t b)
{
    const para_guess *run = &w->pg[w->el[a]];
    size_t k, m;

    if (b - a < 2)
        return;
    if (!agree(run, &w->pg[w->el[b]])) {
        m = a + (b - a) / 2;
        identify(w, m);
        fill(w, a, m);
        fill(w, m, b);
        return;
    }
    for (k = a + 1; k < b; k++) {
        const cm_para *p = &w->d->paras[w->el[k]];
        para_guess *q = &w->pg[w->el[k]];
        if (q->how != GUESS_NONE)
            continue;
        if (p->text_len >= LONG && !probe_fits(w, p, run->g[0].code)) {
            identify(w, k);
            q->how = GUESS_MISS;
            continue;
        }
        memcpy(q->g, run->g, sizeof q->g);
        q->n = run->n;
        q->how = GUESS_RUN;
    }
}

/* Step 1b: mark the long paragraphs identified among the candidates
 * whose nearest neighbours with guesses agree on a language that the
 * paragraph does not guess first, or that a probe found it is not in
 * and it hesitates on; return how many. */
static size_t
mark_lone(walk *w)
{
    size_t k, prev = SIZE_MAX, next = 0, n = 0;

    for (k = 0; k < w->ne; k++) {
        para_guess *q = &w->pg[w->el[k]];
        const para_guess *before, *after;
        if (k > 0 && w->pg[w->el[k - 1]].n > 0)
            prev = k - 1;
        if ((q->how != GUESS_SOME && q->how != GUESS_MISS) || q->n == 0 ||
            w->d->paras[w->el[k]].text_len < LONG || prev == SIZE_MAX)
            continue;
        if (next <= k)
            for (next = k + 1; next < w->ne; next++)
                if (w->pg[w->el[next]].n > 0)
                    break;
        if (next == w->ne)
            break;
        before = &w->pg[w->el[prev]];
        after = &w->pg[w->el[next]];
        if (agree(before, after) &&
            (strcmp(q->g[0].code, before->g[0].code) != 0 ||
             (q->how == GUESS_MISS && q->n > 1))) {
            q->how = GUESS_LONE;
            n++;
        }
    }
    return n;
}

/* Step 1.  id is restricted to the candidates; el: room for n_paras. */
static void
identify_paras(const cm_doc *d, cm_lang *id, para_guess *pg, size_t *el)
{
    walk w = {d, id, pg, el, 0};
    size_t i, a, b, k, step = MIN_STEP;

    for (i = 0; i < d->n_paras; i++)
        if (d->paras[i].text_len >= IDENT_MIN_BYTES)
            el[w.ne++] = i;
    if (w.ne == 0)
        return;
    identify(&w, 0);
    for (a = 0; a + 1 < w.ne; a = b) {
        b = a + step < w.ne - 1 ? a + step : w.ne - 1;
        for (k = a + 1; k < b; k++)
            if (pg[el[k]].how != GUESS_NONE) {
                b = k; /* a paragraph of the sample: a free stop */
                break;
            }
        identify(&w, b);
        if (agree(&pg[el[a]], &pg[el[b]]))
            step = step < MAX_STEP / 2 ? step * 2 : MAX_STEP;
        else
            step = MIN_STEP;
        fill(&w, a, b);
    }
    if (mark_lone(&w) == 0)
        return;
    cm_lang_restrict(id, NULL, 0);
    for (k = 0; k < w.ne; k++)
        if (pg[el[k]].how == GUESS_LONE) {
            const cm_para *p = &d->paras[el[k]];
            pg[el[k]].n = cm_lang_identify(id, p->text,
                                           ident_len(p, IDENT_BYTES),
                                           pg[el[k]].g, CM_LANG_MAX_GUESSES);
            pg[el[k]].how = GUESS_ALL;
        }
}

static cm_status
set_lang(char **field, const char *code)
{
    char *p = cm_doci_dup(code, strlen(code));

    if (p == NULL)
        return CM_ENOMEM;
    free(*field);
    *field = p;
    return CM_OK;
}

/* doc->lang and doc->langs from the paragraphs' languages. */
static cm_status
doc_langs(cm_doc *d)
{
    tally t[64];
    size_t nt = 0, i, total = 0, keep = 0;

    for (i = 0; i < d->n_paras; i++)
        if (d->paras[i].lang[0] != '\0')
            nt = tally_add(t, nt, 64, d->paras[i].lang,
                           d->paras[i].text_len);
    if (nt == 0)
        return CM_OK;
    qsort(t, nt, sizeof t[0], by_weight);
    for (i = 0; i < nt; i++)
        total += t[i].weight;
    d->langs = calloc(nt, sizeof *d->langs);
    if (d->langs == NULL)
        return CM_ENOMEM;
    for (i = 0; i < nt && keep < MAX_PRESENT; i++) {
        if (i > 0 && t[i].weight * 10 < total)
            break;
        d->langs[keep] = cm_doci_dup(t[i].code, strlen(t[i].code));
        if (d->langs[keep] == NULL)
            return CM_ENOMEM;
        d->n_langs = ++keep;
    }
    return set_lang(&d->lang, t[0].code);
}

cm_status
cm_doci_langs(cm_doc *d, cm_lang *id, const char *force)
{
    para_guess *pg;
    tally t[MAX_PRESENT];
    size_t nt, i, nc;
    char one[8] = "";
    cm_status st = CM_OK;

    if (force != NULL) {
        for (i = 0; i < d->n_paras && st == CM_OK; i++)
            st = set_lang(&d->paras[i].lang, force);
        return st == CM_OK ? doc_langs(d) : st;
    }
    if (d->n_paras == 0)
        return CM_OK;
    pg = calloc(d->n_paras, sizeof *pg);
    if (pg == NULL)
        return CM_ENOMEM;
    nc = candidates(d, id, pg, one);
    if (nc > 0 && one[0] != '\0') {
        cm_lang_restrict(id, NULL, 0);
        /* Every sampled paragraph said the same language: the document is
         * in it, and identifying each paragraph (the costly part) would
         * only turn short ones into noise.  A short quotation in another
         * language takes the document's. */
        for (i = 0; i < d->n_paras && st == CM_OK; i++)
            st = set_lang(&d->paras[i].lang, one);
        free(pg);
        return st == CM_OK ? doc_langs(d) : st;
    }
    if (nc > 0) {
        /* candidates() left the identifier restricted to them.  Short
         * paragraphs are not identified: they take their neighbours'
         * language (step 5), which is what identifying them would mostly
         * give, at a fraction of the cost. */
        size_t *el = malloc(d->n_paras * sizeof *el);
        if (el == NULL) {
            cm_lang_restrict(id, NULL, 0);
            free(pg);
            return CM_ENOMEM;
        }
        identify_paras(d, id, pg, el);
        free(el);
        cm_lang_restrict(id, NULL, 0);
    }
    nt = present_langs(d, pg, t, MAX_PRESENT, LONG);
    if (nt == 0)
        nt = present_langs(d, pg, t, MAX_PRESENT, 0);
    decide(d, pg, t, nt);
    /* Step 5. */
    for (i = 0; i < d->n_paras && st == CM_OK; i++) {
        const char *a, *b, *l = pg[i].lang;
        if (l[0] == '\0') {
            a = neighbour(pg, d->n_paras, i, -1);
            b = neighbour(pg, d->n_paras, i, 1);
            if (d->paras[i].section == CM_SECT_HEADING && b != NULL)
                l = b;
            else
                l = a != NULL ? a : b != NULL ? b : nt > 0 ? t[0].code : "";
        }
        st = set_lang(&d->paras[i].lang, l);
        /* Decided now: the next undecided paragraph follows it (the
         * number and date lines under "Version française"). */
        if (pg[i].lang[0] == '\0' && *l != '\0')
            snprintf(pg[i].lang, sizeof pg[i].lang, "%s", l);
    }
    free(pg);
    return st == CM_OK ? doc_langs(d) : st;
}
