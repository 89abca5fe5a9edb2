/* cm_query.c: query text -> Xapian query tree, through the analyzer. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_query.h"
#include "cm_schema.h"
#include "cm_util.h"

/* The parser's state: the text, where we are, and the subqueries made so
 * far (all freed at the end; combining copies what it needs). */
typedef struct parser {
    const char *text;
    size_t len, at;
    cm_tok *tok;
    cm_query_error *err;
    cm_xquery **items; /* top-level items, AND'ed */
    size_t n_items, cap_items;
    unsigned n_terms;
} parser;

static cm_status
fail(parser *p, size_t byte_at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cm_status
fail(parser *p, size_t byte_at, const char *fmt, ...)
{
    va_list ap;
    p->err->column = (unsigned)cm_utf8_columns(p->text, byte_at) + 1;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    return CM_EQUERY;
}

static cm_status
push_item(parser *p, cm_xquery *q)
{
    if (p->n_items == p->cap_items) {
        size_t cap = p->cap_items ? p->cap_items * 2 : 8;
        cm_xquery **n = realloc(p->items, cap * sizeof *n);
        if (n == NULL) {
            cm_xquery_free(q);
            return CM_ENOMEM;
        }
        p->items = n;
        p->cap_items = cap;
    }
    p->items[p->n_items++] = q;
    return CM_OK;
}

static void
free_all(cm_xquery **qs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        cm_xquery_free(qs[i]);
}

/* Compounds of one word or phrase whose joined forms are tried (2^4
 * alternatives at most); the later ones are matched by their parts. */
#define MAX_JOINED 4

/* A token of the analysed text: its exact term query, and for a word
 * outside quotes the wider query (the term or its stems). */
typedef struct qtok {
    cm_xquery *exact, *wide;
    size_t end;  /* byte end of the token in the analysed text */
    int alt;     /* CM_TOK_ALT: a joined compound */
    size_t span; /* for an alt: how many positions it stands for */
} qtok;

/* Stems of one word grouped by value, with the languages giving each. */
typedef struct stem_group {
    char term[CM_DB_MAX_TERM + 1]; /* Z<stem> */
    size_t len;
    size_t langs[40]; /* indexes for cm_tok_stem_lang() */
    size_t n_langs;
} stem_group;

/* The OR of the L<lang> terms of the languages idx[0..n). */
static cm_status
langs_query(const size_t *idx, size_t n, cm_xquery **out)
{
    cm_xquery *langs[40] = {NULL};
    char lterm[16];
    size_t i, len;
    cm_status st = CM_OK;

    for (i = 0; st == CM_OK && i < n; i++) {
        const char *code = cm_tok_stem_lang(idx[i]);
        len = cm_schema_term(lterm, sizeof lterm, CM_PFX_LANG, code,
                             strlen(code));
        st = cm_xquery_term(lterm, len, 1, 0, &langs[i]);
    }
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_OR, langs, n, 0, out);
    free_all(langs, i);
    return st;
}

/* Z<stem>, counted only in paragraphs of a language whose stemmer gives
 * it (a French stem does not match an English word that happens to share
 * its letters): FILTER by those languages, or AND_NOT the others when
 * they are fewer, or nothing when every language agrees. */
static cm_status
group_query(const stem_group *g, size_t n_langs, cm_xquery **out)
{
    cm_xquery *pair[2] = {NULL, NULL};
    size_t others[40], n_others = 0, i, k;
    cm_status st = cm_xquery_term(g->term, g->len, 1, 0, &pair[0]);

    for (i = 0; i < n_langs && n_others < 40; i++) {
        for (k = 0; k < g->n_langs && g->langs[k] != i; k++)
            ;
        if (k == g->n_langs)
            others[n_others++] = i;
    }
    if (st == CM_OK && n_others == 0) {
        *out = pair[0];
        return CM_OK;
    }
    if (st == CM_OK && g->n_langs <= n_others)
        st = langs_query(g->langs, g->n_langs, &pair[1]);
    else if (st == CM_OK)
        st = langs_query(others, n_others, &pair[1]);
    if (st == CM_OK)
        st = cm_xquery_combine(g->n_langs <= n_others ? CM_XQ_FILTER
                                                      : CM_XQ_AND_NOT,
                               pair, 2, 0, out);
    free_all(pair, 2);
    return st;
}

/* The wide query of the word tok (current on p->tok): SYNONYM of its term
 * and its stems in every language with a stemmer, each limited to that
 * language's paragraphs.  The query's language is not known, so all are
 * tried; stems equal across languages are grouped.  *out NULL when the
 * word has no stem. */
static cm_status
stem_query(parser *p, const cm_token *tok, cm_xquery *exact, cm_xquery **out)
{
    stem_group *g = NULL;
    cm_xquery **subs = NULL;
    size_t n_g = 0, i, k, len;
    const char *stem, *code;
    cm_status st = CM_OK;

    *out = NULL;
    if (!(tok->flags & CM_TOK_WORD))
        return CM_OK;
    for (i = 0; cm_tok_stem_lang(i) != NULL; i++)
        ;
    g = calloc(i, sizeof *g);
    subs = calloc(i + 1, sizeof *subs);
    if (g == NULL || subs == NULL) {
        st = CM_ENOMEM;
        goto out;
    }
    for (i = 0; st == CM_OK && (code = cm_tok_stem_lang(i)) != NULL; i++) {
        char term[CM_DB_MAX_TERM + 1];
        st = cm_tok_stem(p->tok, tok, code, &stem, &len);
        if (st != CM_OK || stem == NULL)
            continue;
        len = cm_schema_term(term, sizeof term, CM_PFX_STEM, stem, len);
        for (k = 0; k < n_g; k++)
            if (g[k].len == len && memcmp(g[k].term, term, len) == 0)
                break;
        if (k == n_g) {
            memcpy(g[k].term, term, len + 1);
            g[k].len = len;
            n_g++;
        }
        if (g[k].n_langs < sizeof g[k].langs / sizeof g[k].langs[0])
            g[k].langs[g[k].n_langs++] = i;
    }
    if (st != CM_OK || n_g == 0)
        goto out;
    subs[0] = exact;
    for (k = 0; st == CM_OK && k < n_g; k++)
        st = group_query(&g[k], i, &subs[k + 1]);
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_SYNONYM, subs, n_g + 1, 0, out);
    free_all(subs + 1, n_g);
out:
    free(subs);
    free(g);
    return st;
}

/* Analyze text[start..end) into toks (*n_toks of them, malloc'd). */
static cm_status
collect(parser *p, size_t start, size_t end, int quoted, qtok **toks,
        size_t *n_toks)
{
    size_t cap = 0, i;
    const cm_token *t;
    cm_status st;

    *toks = NULL;
    *n_toks = 0;
    st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);
    while (st == CM_OK) {
        qtok *q;
        st = cm_tok_next(p->tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        if (++p->n_terms > CM_QUERY_MAX_TERMS) {
            st = fail(p, start + t->start, "too many words (at most %d)",
                      CM_QUERY_MAX_TERMS);
            break;
        }
        if (*n_toks == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            qtok *nt = realloc(*toks, ncap * sizeof *nt);
            if (nt == NULL) {
                st = CM_ENOMEM;
                break;
            }
            *toks = nt;
            cap = ncap;
        }
        q = &(*toks)[*n_toks];
        memset(q, 0, sizeof *q);
        q->alt = (t->flags & CM_TOK_ALT) != 0;
        q->end = t->end;
        st = cm_xquery_term(t->term, t->term_len, 1, t->pos + 1, &q->exact);
        if (st != CM_OK)
            break;
        (*n_toks)++;
        if (!quoted)
            st = stem_query(p, t, q->exact, &q->wide);
    }
    /* How many positions each joined form stands for. */
    for (i = 0; st == CM_OK && i < *n_toks; i++) {
        size_t k;
        if (!(*toks)[i].alt)
            continue;
        for (k = i + 1; k < *n_toks; k++)
            if (!(*toks)[k].alt && (*toks)[k].end <= (*toks)[i].end)
                (*toks)[i].span++;
        (*toks)[i].span++; /* the first part, before the alt */
    }
    return st;
}

/* One alternative: the positions of toks, with the joined forms chosen by
 * mask (bit j: the j-th compound as its joined word, in place of its
 * parts).  A single word (or joined word) is its wide query outside
 * quotes, else its exact term; several make a phrase. */
static cm_status
alternative(const qtok *toks, size_t n, unsigned mask, cm_xquery **seq,
            cm_xquery **out)
{
    size_t i, m = 0, skip = 0, first = 0;
    unsigned j = 0;

    for (i = 0; i < n; i++) {
        if (toks[i].alt) {
            if (j < MAX_JOINED && (mask >> j & 1) && m > 0) {
                seq[m - 1] = toks[i].exact;
                if (m == 1)
                    first = i;
                skip = toks[i].span - 1;
            }
            j++;
        } else if (skip > 0) {
            skip--;
        } else {
            if (m == 0)
                first = i;
            seq[m++] = toks[i].exact;
        }
    }
    if (m == 0)
        return CM_EINTERNAL; /* every text with tokens has a position */
    if (m == 1) {
        if (toks[first].wide != NULL)
            seq[0] = toks[first].wide;
        return cm_xquery_combine(CM_XQ_OR, seq, 1, 0, out);
    }
    return cm_xquery_combine(CM_XQ_PHRASE, seq, m, 0, out);
}

static void
free_toks(qtok *toks, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        cm_xquery_free(toks[i].wide);
        cm_xquery_free(toks[i].exact);
    }
    free(toks);
}

/* Analyze text[start..end) and append the query for it: nothing when it
 * has no words; a word (outside quotes: with its stems); a phrase for
 * several words.  Each hyphenated compound is also tried as its joined
 * word (co-development OR codevelopment), so a phrase written either way
 * finds both spellings. */
static cm_status
add_words(parser *p, size_t start, size_t end, int quoted)
{
    cm_xquery *alts[1u << MAX_JOINED] = {NULL}, **seq = NULL, *q = NULL;
    qtok *toks = NULL;
    size_t n = 0, i, n_alts = 0;
    unsigned compounds = 0, mask;
    cm_status st = collect(p, start, end, quoted, &toks, &n);

    if (st != CM_OK || n == 0)
        goto out;
    for (i = 0; i < n; i++)
        compounds += toks[i].alt != 0;
    if (compounds > MAX_JOINED)
        compounds = MAX_JOINED;
    seq = malloc(n * sizeof *seq);
    if (seq == NULL) {
        st = CM_ENOMEM;
        goto out;
    }
    for (mask = 0; st == CM_OK && mask < 1u << compounds; mask++) {
        st = alternative(toks, n, mask, seq, &alts[n_alts]);
        if (st == CM_OK)
            n_alts++;
    }
    if (st == CM_OK && n_alts == 1) {
        q = alts[0];
        alts[0] = NULL;
        n_alts = 0;
    } else if (st == CM_OK) {
        st = cm_xquery_combine(CM_XQ_OR, alts, n_alts, 0, &q);
    }
    if (st == CM_OK)
        st = push_item(p, q);
out:
    free_all(alts, n_alts);
    free(seq);
    free_toks(toks, n);
    return st;
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A quoted phrase starts at p->at (the opening quote). */
static cm_status
parse_phrase(parser *p)
{
    size_t open = p->at, end;
    const char *close = memchr(p->text + open + 1, '"', p->len - open - 1);

    if (close == NULL)
        return fail(p, open, "unclosed quote");
    end = (size_t)(close - p->text);
    p->at = end + 1;
    return add_words(p, open + 1, end, 1);
}

static cm_status
parse_word(parser *p)
{
    size_t start = p->at;
    while (p->at < p->len && !is_space(p->text[p->at]) &&
           p->text[p->at] != '"')
        p->at++;
    return add_words(p, start, p->at, 0);
}

cm_status
cm_query_parse(const char *text, size_t text_len, cm_tok *tok,
               cm_xquery **out, cm_query_error *err)
{
    parser p;
    cm_status st = CM_OK;

    *out = NULL;
    memset(err, 0, sizeof *err);
    memset(&p, 0, sizeof p);
    p.text = text;
    p.len = text_len;
    p.tok = tok;
    p.err = err;
    if (text_len > CM_QUERY_MAX_BYTES)
        return fail(&p, CM_QUERY_MAX_BYTES, "query too long (over %d bytes)",
                    CM_QUERY_MAX_BYTES);
    if (memchr(text, '\0', text_len) != NULL)
        return fail(&p, (size_t)((const char *)memchr(text, '\0', text_len) -
                                 text),
                    "NUL character in query");
    while (st == CM_OK && p.at < p.len) {
        if (is_space(text[p.at]))
            p.at++;
        else if (text[p.at] == '"')
            st = parse_phrase(&p);
        else
            st = parse_word(&p);
    }
    if (st == CM_OK && p.n_items == 0)
        st = fail(&p, 0, "the query has no words to search for");
    if (st == CM_OK && p.n_items == 1) {
        *out = p.items[0];
        p.n_items = 0;
    } else if (st == CM_OK) {
        st = cm_xquery_combine(CM_XQ_AND, p.items, p.n_items, 0, out);
    }
    free_all(p.items, p.n_items);
    free(p.items);
    return st;
}
