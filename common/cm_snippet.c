/* cm_snippet.c: highlighted snippets through the analyzer's offsets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_snippet.h"

/* Candidate windows examined at most (one per highlight). */
#define MAX_CANDIDATES 256
static const char ELLIPSIS[] = "\xE2\x80\xA6"; /* U+2026 */

/* Whether lang is one of the space-separated codes of langs. */
static int
lang_in(const char *lang, const char *langs)
{
    size_t n = strlen(lang);
    const char *p = langs;
    if (langs == NULL)
        return 1;
    while ((p = strstr(p, lang)) != NULL) {
        if ((p == langs || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n ? n : 1;
    }
    return 0;
}

static int
matches(const cm_token *t, const char *lang, const cm_hl_term *terms,
        size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const cm_hl_term *h = &terms[i];
        switch (h->kind) {
        case CM_HL_TERM:
            if (t->term_len == h->len && memcmp(t->term, h->s, h->len) == 0)
                return 1;
            break;
        case CM_HL_STEM:
            if (t->stem != NULL && t->stem_len == h->len &&
                memcmp(t->stem, h->s, h->len) == 0 && lang_in(lang, h->langs))
                return 1;
            break;
        case CM_HL_PREFIX:
            if (t->term_len >= h->len && memcmp(t->term, h->s, h->len) == 0)
                return 1;
            break;
        }
    }
    return 0;
}

static int
by_start(const void *a, const void *b)
{
    const cm_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* Sort and merge overlapping or touching spans in place. */
static size_t
merge(cm_span *s, size_t n)
{
    size_t i, m = 0;
    if (n == 0)
        return 0;
    qsort(s, n, sizeof *s, by_start);
    for (i = 1; i < n; i++) {
        if (s[i].start <= s[m].end) {
            if (s[i].end > s[m].end)
                s[m].end = s[i].end;
        } else {
            s[++m] = s[i];
        }
    }
    return m + 1;
}

cm_status
cm_snippet_spans(cm_tok *tok, const char *text, size_t text_len,
                 const char *lang, const cm_hl_term *terms, size_t n,
                 cm_span **spans, size_t *n_spans)
{
    cm_span *s = NULL;
    size_t cap = 0, k = 0;
    const cm_token *t;
    cm_status st;

    *spans = NULL;
    *n_spans = 0;
    st = cm_tok_reset(tok, text, text_len, lang && *lang ? lang : NULL);
    while (st == CM_OK && n > 0) {
        st = cm_tok_next(tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        if (!matches(t, lang ? lang : "", terms, n))
            continue;
        if (k == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            cm_span *ns = realloc(s, ncap * sizeof *ns);
            if (ns == NULL) {
                st = CM_ENOMEM;
                break;
            }
            s = ns;
            cap = ncap;
        }
        s[k].start = t->start;
        s[k].end = t->end;
        k++;
    }
    if (st != CM_OK) {
        free(s);
        return st;
    }
    *n_spans = merge(s, k);
    *spans = s;
    if (*n_spans == 0) {
        free(s);
        *spans = NULL;
    }
    return CM_OK;
}

static int
is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static int
is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The byte max_chars characters after from (or len). */
static size_t
advance_chars(const char *text, size_t len, size_t from, size_t chars)
{
    size_t i = from;
    while (i < len && chars > 0) {
        i++;
        while (i < len && is_cont(text[i]))
            i++;
        chars--;
    }
    return i;
}

/* The byte chars characters before from (or 0). */
static size_t
back_chars(const char *text, size_t from, size_t chars)
{
    size_t i = from;
    while (i > 0 && chars > 0) {
        i--;
        while (i > 0 && is_cont(text[i]))
            i--;
        chars--;
    }
    return i;
}

/* A window [*ws, *we) of at most max_chars characters beginning near
 * start: at a word boundary, ends cut at white space when there is some. */
static void
window_at(const char *text, size_t len, size_t start, size_t max_chars,
          size_t *ws, size_t *we)
{
    size_t s = start, e, limit;

    if (s > 0) {
        /* Begin after the white space before start, if near. */
        size_t b = s;
        while (b > 0 && !is_space(text[b - 1]) && s - b < 64)
            b--;
        if (b == 0 || is_space(text[b - 1]))
            s = b;
    }
    e = advance_chars(text, len, s, max_chars);
    if (e < len) {
        limit = e;
        while (e > s && !is_space(text[e]))
            e--;
        if (e == s)
            e = limit; /* no space (CJK): cut at a character */
    }
    while (e > s && is_space(text[e - 1]))
        e--;
    *ws = s;
    *we = e;
}

static size_t
count_inside(const cm_span *sp, size_t n, size_t s, size_t e)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        if (sp[i].start >= s && sp[i].end <= e)
            c++;
    return c;
}

/* The best window: the most highlights, the earliest on ties. */
static void
best_window(const char *text, size_t len, const cm_span *sp, size_t n,
            size_t max_chars, size_t *ws, size_t *we)
{
    size_t i, best = 0, s, e;

    window_at(text, len, 0, max_chars, ws, we);
    best = count_inside(sp, n, *ws, *we);
    for (i = 0; i < n && i < MAX_CANDIDATES; i++) {
        size_t c;
        window_at(text, len, back_chars(text, sp[i].start, max_chars / 6),
                  max_chars, &s, &e);
        c = count_inside(sp, n, s, e);
        if (c > best) {
            best = c;
            *ws = s;
            *we = e;
        }
    }
}

cm_status
cm_snippet_make(cm_tok *tok, const char *text, size_t text_len,
                const char *lang, const cm_hl_term *terms, size_t n,
                size_t max_chars, cm_snippet **out)
{
    cm_span *sp = NULL;
    size_t n_sp = 0, ws = 0, we = text_len, pre, i, k = 0;
    cm_snippet *sn = NULL;
    cm_status st;

    *out = NULL;
    if (max_chars == 0)
        max_chars = CM_SNIPPET_CHARS;
    st = cm_snippet_spans(tok, text, text_len, lang, terms, n, &sp, &n_sp);
    if (st != CM_OK)
        return st;
    while (ws < we && is_space(text[ws]))
        ws++;
    while (we > ws && is_space(text[we - 1]))
        we--;
    if (advance_chars(text, text_len, ws, max_chars) < we)
        best_window(text, text_len, sp, n_sp, max_chars, &ws, &we);
    pre = ws > 0 ? sizeof ELLIPSIS : 0; /* "…" and a space */
    sn = calloc(1, sizeof *sn);
    if (sn == NULL ||
        (sn->text = malloc(pre + (we - ws) + sizeof ELLIPSIS + 1)) == NULL ||
        (n_sp > 0 && (sn->hl = malloc(n_sp * sizeof *sn->hl)) == NULL)) {
        cm_snippet_free(sn);
        free(sp);
        return CM_ENOMEM;
    }
    if (pre) {
        memcpy(sn->text, ELLIPSIS, sizeof ELLIPSIS - 1);
        sn->text[sizeof ELLIPSIS - 1] = ' ';
    }
    memcpy(sn->text + pre, text + ws, we - ws);
    sn->len = pre + (we - ws);
    if (we < text_len) {
        sn->text[sn->len++] = ' ';
        memcpy(sn->text + sn->len, ELLIPSIS, sizeof ELLIPSIS - 1);
        sn->len += sizeof ELLIPSIS - 1;
    }
    sn->text[sn->len] = '\0';
    for (i = 0; i < n_sp; i++) {
        if (sp[i].end <= ws || sp[i].start >= we)
            continue;
        sn->hl[k].start = (sp[i].start < ws ? ws : sp[i].start) - ws + pre;
        sn->hl[k].end = (sp[i].end > we ? we : sp[i].end) - ws + pre;
        k++;
    }
    sn->n_hl = k;
    free(sp);
    *out = sn;
    return CM_OK;
}

void
cm_snippet_free(cm_snippet *s)
{
    if (s == NULL)
        return;
    free(s->text);
    free(s->hl);
    free(s);
}
