/* cm_snippet.c: highlighted snippets through the analyzer's offsets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_ref.h"
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

/* 1 when t's term is one of the query's terms or starts with a
 * wildcard's prefix, 2 when it is only one of a word's pairs of
 * characters (CM_HL_PAIR), 0 when neither. */
static int
matches_term(const cm_token *t, const cm_hl_term *terms, size_t n)
{
    size_t i;
    int pair = 0;
    for (i = 0; i < n; i++) {
        const cm_hl_term *h = &terms[i];
        if (h->kind == CM_HL_TERM && t->term_len == h->len &&
            memcmp(t->term, h->s, h->len) == 0)
            return 1;
        if (h->kind == CM_HL_PREFIX && t->term_len >= h->len &&
            memcmp(t->term, h->s, h->len) == 0)
            return 1;
        if (h->kind == CM_HL_PAIR && t->term_len == h->len &&
            memcmp(t->term, h->s, h->len) == 0)
            pair = 2;
    }
    return pair;
}

static cm_status add_span(cm_span **s, size_t *k, size_t *cap,
                          size_t start, size_t end);

/* CM_HL_REF: whether a citation of key (a prefix "pace-rec-1806-" when
 * named without its year) is the one of the query's q. */
static int
ref_matches(const char *key, const char *q, size_t qlen)
{
    size_t kn = strlen(key), k;

    if (kn == qlen && memcmp(key, q, qlen) == 0)
        return 1;
    if (qlen > 0 && q[qlen - 1] == '-') /* any year */
        return kn > qlen && memcmp(key, q, qlen) == 0;
    if (kn > 0 && key[kn - 1] == '-' && qlen == kn + 4 &&
        memcmp(key, q, kn) == 0) { /* named without the query's year */
        for (k = kn; k < qlen; k++)
            if (q[k] < '0' || q[k] > '9')
                return 0;
        return 1;
    }
    return 0;
}

typedef struct {
    const cm_hl_term *terms;
    size_t n;
    cm_span **s;
    size_t *k, *cap;
    cm_status st;
} ref_ctx;

static int
on_ref(void *vctx, const cm_ref_match *m)
{
    ref_ctx *c = vctx;
    size_t i;

    for (i = 0; i < c->n; i++)
        if (c->terms[i].kind == CM_HL_REF &&
            ref_matches(m->key, c->terms[i].s, c->terms[i].len)) {
            c->st = add_span(c->s, c->k, c->cap, m->start, m->end);
            break;
        }
    return c->st != CM_OK;
}

/* The citations of text that the query's CM_HL_REF terms name. */
static cm_status
ref_spans(const char *text, size_t len, const cm_hl_term *terms, size_t n,
          cm_span **s, size_t *k, size_t *cap)
{
    ref_ctx c = {terms, n, s, k, cap, CM_OK};
    size_t i;
    cm_status st;

    for (i = 0; i < n && terms[i].kind != CM_HL_REF; i++)
        ;
    if (i == n)
        return CM_OK;
    st = cm_ref_scan_yearless(text, len, on_ref, &c);
    return st != CM_OK ? st : c.st;
}

/* Append [start, end) to the spans s (*k of *cap). */
static cm_status
add_span(cm_span **s, size_t *k, size_t *cap, size_t start, size_t end)
{
    if (*k == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        cm_span *ns = realloc(*s, ncap * sizeof *ns);
        if (ns == NULL)
            return CM_ENOMEM;
        *s = ns;
        *cap = ncap;
    }
    (*s)[*k].start = start;
    (*s)[*k].end = end;
    (*k)++;
    return CM_OK;
}

/* The bytes of the UTF-8 character that s[0..n) begins with. */
static size_t
initial_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return k < n ? k : n;
}

/* The query's stems that hold in the paragraph's language (stems[n]),
 * and whether its stemmer keeps a word's initial. */
typedef struct para_stems {
    const cm_hl_term **s;
    size_t n;
    int keeps_initial;
} para_stems;

/* Whether token t of a paragraph in lang has one of ps's stems.  The
 * stemmer runs only for a word that can have one: when it keeps the
 * initial, a word that shares it with one of them.  Stemming every word
 * was half of the highlighter's time in a fresh cmsearch (190 of 350 us
 * for "protection of minorities"). */
static cm_status
matches_stem(cm_tok *tok, const cm_token *t, const char *lang,
             const para_stems *ps, int *yes)
{
    const char *stem;
    size_t i, k, stem_len;
    unsigned char c = (unsigned char)t->term[0];
    cm_status st;

    *yes = 0;
    if (ps->n == 0 || !(t->flags & CM_TOK_WORD) || t->term_len == 0)
        return CM_OK;
    if (ps->keeps_initial && ((c >= 'a' && c <= 'z') || c >= 0x80)) {
        k = initial_len(t->term, t->term_len);
        for (i = 0; i < ps->n; i++)
            if (ps->s[i]->len >= k && memcmp(ps->s[i]->s, t->term, k) == 0)
                break;
        if (i == ps->n)
            return CM_OK;
    }
    st = cm_tok_stem(tok, t, lang, &stem, &stem_len);
    if (st != CM_OK || stem == NULL)
        return st;
    for (i = 0; i < ps->n; i++)
        if (ps->s[i]->len == stem_len &&
            memcmp(ps->s[i]->s, stem, stem_len) == 0) {
            *yes = 1;
            break;
        }
    return CM_OK;
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
    cm_span *s = NULL, held = {0, 0};
    size_t cap = 0, k = 0, i, prev_end = 0;
    const cm_token *t;
    para_stems ps = {NULL, 0, 0};
    cm_status st;
    int yes, hit, prev_hit = 0, have_held = 0, beside;

    *spans = NULL;
    *n_spans = 0;
    if (lang != NULL && *lang == '\0')
        lang = NULL;
    /* No stems from the analyzer: matches_stem() asks for those it needs. */
    st = cm_tok_reset(tok, text, text_len, NULL);
    if (st == CM_OK && lang != NULL && cm_tok_stem_code(lang) != NULL) {
        for (i = 0; i < n; i++)
            if (terms[i].kind == CM_HL_STEM && lang_in(lang, terms[i].langs))
                ps.n++;
        if (ps.n > 0 && (ps.s = malloc(ps.n * sizeof *ps.s)) == NULL)
            st = CM_ENOMEM;
        ps.n = 0;
        for (i = 0; st == CM_OK && i < n; i++)
            if (terms[i].kind == CM_HL_STEM && lang_in(lang, terms[i].langs))
                ps.s[ps.n++] = &terms[i];
        ps.keeps_initial = cm_tok_stem_keeps_initial(lang);
    }
    /* A token that matches only as a pair of characters of a query word
     * (CM_HL_PAIR) is highlighted only beside another match in its run:
     * held until the next token says. */
    while (st == CM_OK && n > 0) {
        st = cm_tok_next(tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        hit = matches_term(t, terms, n);
        if (hit == 0) {
            st = matches_stem(tok, t, lang, &ps, &yes);
            if (st != CM_OK)
                break;
            hit = yes;
        }
        if (t->flags & CM_TOK_ALT) {
            if (hit)
                st = add_span(&s, &k, &cap, t->start, t->end);
            continue;
        }
        beside = (t->flags & CM_TOK_PAIR) && t->start < prev_end && prev_hit;
        prev_end = t->end;
        prev_hit = hit != 0;
        if (hit == 0) {
            have_held = 0;
            continue;
        }
        if (hit == 2 && !beside) {
            held.start = t->start;
            held.end = t->end;
            have_held = 1;
            continue;
        }
        if (beside && have_held)
            st = add_span(&s, &k, &cap, held.start, held.end);
        have_held = 0;
        if (st == CM_OK)
            st = add_span(&s, &k, &cap, t->start, t->end);
    }
    free(ps.s);
    if (st == CM_OK)
        st = ref_spans(text, text_len, terms, n, &s, &k, &cap);
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
