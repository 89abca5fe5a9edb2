/* cm_doc_lang.c: the language of each paragraph and of the document.
 *
 * libexttextcat (cm_lang.h) guesses from character n-grams, which needs
 * text: a heading such as "Article 2" or "Right to life" is noise to it,
 * and on a short paragraph it hesitates between close languages.  So:
 *
 *  0. a sample of up to SAMPLE paragraphs spread over the document (the
 *     long ones, else any) is identified among all the languages
 *     libexttextcat knows; every language they guess is a candidate;
 *  1. every paragraph of CM_LANG_MIN_BYTES or more is identified among
 *     the candidates (up to CM_LANG_MAX_GUESSES, closest first): a
 *     handful of languages instead of 160 makes this fast;
 *  2. the languages present are those that win on long paragraphs (at
 *     least LONG bytes) holding at least 10% of their text;
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
 */
#include "config.h"

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

typedef struct {
    cm_lang_guess g[CM_LANG_MAX_GUESSES];
    size_t n;       /* guesses */
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

/* Step 2: the languages present, most text first, in t[0..return). */
static size_t
present_langs(const cm_doc *d, const para_guess *pg, tally *t, size_t cap,
              size_t min_len)
{
    tally all[64];
    size_t na = 0, i, total = 0, np = 0;

    for (i = 0; i < d->n_paras; i++)
        if (pg[i].n > 0 && d->paras[i].text_len >= min_len)
            na = tally_add(all, na, 64, pg[i].g[0].code,
                           d->paras[i].text_len);
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

/* Step 0: identify a sample among all languages and restrict id to what
 * it guesses.  Returns the number of candidates (0: nothing to go on). */
/* The candidates from a sample of the document.  *one gets the language
 * when every sampled paragraph's best guess was that language (a document
 * in one language), else "". */
/* How much of a paragraph is given to the identifier: the n-gram profile
 * it builds costs in proportion to the text, and the first IDENT_BYTES
 * say the language as well as the rest.  Cut at a character boundary. */
static size_t
ident_len(const cm_para *p)
{
    size_t n = p->text_len;
    if (n <= IDENT_BYTES)
        return n;
    n = IDENT_BYTES;
    while (n > 0 && ((unsigned char)p->text[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static size_t
candidates(const cm_doc *d, cm_lang *id, char one[8])
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
                              ident_len(&d->paras[i]), g,
                              CM_LANG_MAX_GUESSES);
        if (ng > 0 && k == 1)
            snprintf(one, 8, "%s", g[0].code);
        else if (ng == 0 || strcmp(one, g[0].code) != 0)
            one[0] = '\0';
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
    nc = candidates(d, id, one);
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
        for (i = 0; i < d->n_paras; i++)
            if (d->paras[i].text_len >= IDENT_MIN_BYTES)
                pg[i].n = cm_lang_identify(id, d->paras[i].text,
                                           ident_len(&d->paras[i]), pg[i].g,
                                           CM_LANG_MAX_GUESSES);
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
