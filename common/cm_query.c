/* cm_query.c: the query grammar (recursive descent) -> Xapian query tree.
 * cm_query.h has the grammar; cm_query_words.c turns words into terms. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_fields.h"
#include "cm_query_int.h"
#include "cm_ref.h"
#include "cm_runs.h"
#include "cm_schema.h"
#include "cm_util.h"

struct cm_query {
    cm_xquery *xq;
    cm_xquery *rest, *phrase; /* cm_query_rerank(), or NULL */
    cm_xquery *untitled, *titles; /* cm_query_titles_apart(), or NULL */
    cm_hl_term *hl;
    size_t n_hl;
    cm_query_word *words;
    size_t n_words;
    cm_query_wildcard *wild;
    size_t n_wild;
};

/* A parsed part of the query: what it adds weight with (w), what it
 * restricts to without weight (f: field filters) and what it excludes
 * (neg).  Any may be NULL; all NULL when the part had no word. */
typedef struct node {
    cm_xquery *w, *f, *neg;
} node;

/* Ranking boosts: added weight, never a condition (AND_MAYBE). */
#define W_PHRASE 1.0 /* the query's words as a phrase */
/* Each word in the document title, a fixed weight: 2 on the scale of
 * plain BM25, which the index's wdfs make CM_BM25_SCALE times larger. */
#define W_TITLE (2.0 * CM_BM25_SCALE)

static void
node_free(node *n)
{
    cm_xquery_free(n->w);
    cm_xquery_free(n->f);
    cm_xquery_free(n->neg);
    memset(n, 0, sizeof *n);
}

static int
node_empty(const node *n)
{
    return n->w == NULL && n->f == NULL && n->neg == NULL;
}

/* The single query of n (consumed): w restricted by f, minus neg.  A node
 * with only filters has no weight; one with only exclusions has nothing
 * to search for: an error at byte at. */
static cm_status
node_fold(cm_qi_parser *p, node *n, size_t at, cm_xquery **out)
{
    cm_xquery *base = NULL;
    cm_status st = CM_OK;

    *out = NULL;
    if (n->w == NULL && n->f == NULL) {
        node_free(n);
        return cm_qi_fail(p, at, "nothing to search for: the query only "
                               "excludes words");
    }
    if (n->w != NULL) {
        st = cm_qi_join(CM_XQ_FILTER, n->w, n->f, &base);
    } else {
        st = cm_xquery_scale_weight(n->f, 0, &base);
        cm_xquery_free(n->f);
    }
    n->w = n->f = NULL;
    if (st == CM_OK)
        st = cm_qi_join(CM_XQ_AND_NOT, base, n->neg, out);
    else
        cm_xquery_free(n->neg);
    n->neg = NULL;
    return st;
}

/* a = a AND b (b consumed). */
static cm_status
node_and(node *a, node *b)
{
    cm_status st = cm_qi_join(CM_XQ_AND, a->w, b->w, &a->w);
    if (st == CM_OK)
        st = cm_qi_join(CM_XQ_AND, a->f, b->f, &a->f);
    else
        cm_xquery_free(b->f);
    if (st == CM_OK)
        st = cm_qi_join(CM_XQ_OR, a->neg, b->neg, &a->neg);
    else
        cm_xquery_free(b->neg);
    memset(b, 0, sizeof *b);
    return st;
}

/* a = a OR b (b consumed); at: the byte of the OR, for errors. */
static cm_status
node_or(cm_qi_parser *p, node *a, node *b, size_t at)
{
    cm_xquery *qa = NULL, *qb = NULL;
    cm_status st;

    if (node_empty(a) || node_empty(b)) {
        node_and(a, b); /* the side with words; joining NULLs cannot fail */
        return CM_OK;
    }
    if (a->w == NULL && a->neg == NULL && b->w == NULL && b->neg == NULL) {
        st = cm_qi_join(CM_XQ_OR, a->f, b->f, &a->f); /* filter OR filter */
        b->f = NULL;
        return st;
    }
    /* Words on both sides are alternatives: they are not a phrase. */
    if (a->w != NULL && b->w != NULL)
        p->alternatives = 1;
    st = node_fold(p, a, at, &qa);
    if (st == CM_OK)
        st = node_fold(p, b, at, &qb);
    else
        node_free(b);
    if (st == CM_OK)
        return cm_qi_join(CM_XQ_OR, qa, qb, &a->w);
    cm_xquery_free(qa);
    return st;
}

/* ------------------------------------------------------------------ */
/* Lexing                                                              */

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static void
skip_space(cm_qi_parser *p)
{
    while (p->at < p->len && is_space(p->text[p->at]))
        p->at++;
}

static int
at_end(const cm_qi_parser *p)
{
    return p->at >= p->len || p->text[p->at] == ')';
}

/* Where a word starting at byte i ends: at white space, a quote, or a ')'
 * that closes no '(' of the word itself (so CM/Rec(2007)9 is one word). */
static size_t
word_end(const cm_qi_parser *p, size_t i)
{
    unsigned depth = 0;
    for (; i < p->len && !is_space(p->text[i]) && p->text[i] != '"'; i++) {
        if (p->text[i] == '(')
            depth++;
        else if (p->text[i] == ')' && depth-- == 0)
            break;
    }
    return i;
}

/* The keyword kw (AND, OR, NOT, NEAR) at p->at, standing alone. */
static int
at_keyword(const cm_qi_parser *p, const char *kw)
{
    size_t n = strlen(kw), e;
    if (p->opts->plain || p->len - p->at < n ||
        memcmp(p->text + p->at, kw, n) != 0)
        return 0;
    e = p->at + n;
    if (strcmp(kw, "NEAR") == 0 && e < p->len && p->text[e] == '/')
        return 1;
    return e == p->len || is_space(p->text[e]) || p->text[e] == '(' ||
           p->text[e] == ')' || p->text[e] == '"';
}

static int
at_binary(const cm_qi_parser *p)
{
    return at_keyword(p, "AND") || at_keyword(p, "OR") ||
           at_keyword(p, "NEAR");
}

/* A number after NEAR/ or ~, at p->at: at most CM_QUERY_MAX_NEAR. */
static cm_status
parse_count(cm_qi_parser *p, const char *what, unsigned *out)
{
    size_t start = p->at;
    unsigned v = 0;

    while (p->at < p->len && p->text[p->at] >= '0' &&
           p->text[p->at] <= '9' && v <= CM_QUERY_MAX_NEAR)
        v = v * 10 + (unsigned)(p->text[p->at++] - '0');
    if (p->at == start || (p->at < p->len && !is_space(p->text[p->at]) &&
                           p->text[p->at] != ')' && p->text[p->at] != '('))
        return cm_qi_fail(p, start, "%s wants a number of words, such as %s5",
                        what, what);
    if (v > CM_QUERY_MAX_NEAR)
        return cm_qi_fail(p, start, "%s%u is too far (at most %d)", what, v,
                        CM_QUERY_MAX_NEAR);
    *out = v;
    return CM_OK;
}

/* ------------------------------------------------------------------ */
/* Primaries                                                           */

static cm_status parse_seq(cm_qi_parser *p, int nested, node *out);

static cm_status
parse_group(cm_qi_parser *p, node *out)
{
    size_t open = p->at;
    cm_status st;

    if (++p->depth > CM_QUERY_MAX_DEPTH)
        return cm_qi_fail(p, open, "too many nested parentheses (at most %d)",
                        CM_QUERY_MAX_DEPTH);
    p->at++;
    st = parse_seq(p, 1, out);
    if (st == CM_OK && p->at >= p->len) {
        node_free(out);
        st = cm_qi_fail(p, open, "unclosed parenthesis");
    }
    p->at++;
    p->depth--;
    return st;
}

/* The closing quote of the phrase opening at p->at. */
static cm_status
phrase_close(cm_qi_parser *p, size_t *close)
{
    const char *c = memchr(p->text + p->at + 1, '"', p->len - p->at - 1);
    if (c == NULL)
        return cm_qi_fail(p, p->at, "unclosed quote");
    *close = (size_t)(c - p->text);
    return CM_OK;
}

/* "a phrase" or "a phrase"~n (the words within n more positions, in any
 * order). */
static cm_status
parse_phrase(cm_qi_parser *p, cm_qi_mode mode, unsigned *n_pos, cm_xquery **out)
{
    size_t open = p->at, close;
    unsigned slop = 0;
    cm_status st = phrase_close(p, &close);

    if (st != CM_OK)
        return st;
    p->at = close + 1;
    if (p->at < p->len && p->text[p->at] == '~') {
        p->at++;
        st = parse_count(p, "~", &slop);
        if (st == CM_OK && slop == 0)
            slop = 1; /* "a b"~0 would be the phrase itself */
    }
    if (st == CM_OK)
        st = cm_qi_words(p, open + 1, close, mode, slop, n_pos, out);
    return st;
}

/* The words one word* may stand for under p's options. */
static unsigned
expansion_bound(const cm_qi_parser *p)
{
    return p->opts->max_expansion ? p->opts->max_expansion
                                  : CM_QUERY_MAX_EXPANSION;
}

static cm_status
add_wildcard(cm_qi_parser *p, const char *term, size_t len, size_t at)
{
    cm_query_wildcard *w;
    char *copy;

    if (p->n_wild == p->cap_wild) {
        size_t cap = p->cap_wild ? p->cap_wild * 2 : 4;
        w = realloc(p->wild, cap * sizeof *w);
        if (w == NULL)
            return CM_ENOMEM;
        p->wild = w;
        p->cap_wild = cap;
    }
    copy = cm_strndup(term, len);
    if (copy == NULL)
        return CM_ENOMEM;
    p->wild[p->n_wild].prefix = copy;
    p->wild[p->n_wild].column = (unsigned)cm_utf8_columns(p->text, at) + 1;
    p->wild[p->n_wild].max = expansion_bound(p);
    p->n_wild++;
    return cm_qi_add_hl(p, CM_HL_PREFIX, term, len, NULL);
}

typedef struct expand_ctx {
    cm_xquery **qs; /* room for max */
    size_t n, max;
    unsigned pos;
    cm_status st;
} expand_ctx;

static int
expand_one(void *vctx, const char *s, size_t len, unsigned count)
{
    expand_ctx *c = vctx;

    (void)count;
    if (c->n == c->max) {
        c->n++; /* one over the bound */
        return 1;
    }
    c->st = cm_xquery_term(s, len, 1, c->pos, &c->qs[c->n]);
    if (c->st != CM_OK)
        return 1;
    c->n++;
    return 0;
}

/* word* for a word of a script written without spaces, whose tokens are
 * overlapping pairs of characters (cm_tok.h): the phrase of its pairs
 * finds it anywhere in a run of text, so the words it begins too, but
 * its last pair may be the start of the text's (a consonant typed
 * without the vowel sign the text gives it).  So the phrase of its
 * pairs, the last one any term it begins, expanded here (Xapian 1.4
 * takes no wildcard inside a phrase) and bounded as any word* is.
 * Without an index, the phrase of its pairs. */
static cm_status
pair_wildcard(cm_qi_parser *p, size_t start, size_t end, cm_xquery **out)
{
    char last[CM_DB_MAX_TERM + 1];
    size_t n = 0, cap = 0, last_start = 0;
    unsigned max = expansion_bound(p);
    cm_xquery **seq = NULL, **grown, *q = NULL;
    expand_ctx c = {NULL, 0, max, 0, CM_OK};
    const cm_token *t;
    cm_status st;

    if (p->opts->db == NULL)
        return cm_qi_words(p, start, end, CMQ_WIDE, 0, NULL, out);
    st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);
    while (st == CM_OK && (st = cm_tok_next(p->tok, &t)) == CM_OK && t) {
        if (t->flags & CM_TOK_ALT)
            continue;
        if (++p->n_terms > CM_QUERY_MAX_TERMS) {
            st = cm_qi_fail(p, start, "too many words (at most %d)",
                            CM_QUERY_MAX_TERMS);
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            grown = realloc(seq, cap * sizeof *seq);
            if (grown == NULL) {
                st = CM_ENOMEM;
                break;
            }
            seq = grown;
        }
        st = cm_xquery_term(t->term, t->term_len, 1, t->pos + 1, &seq[n]);
        if (st != CM_OK)
            break;
        n++;
        memcpy(last, t->term, t->term_len);
        last[t->term_len] = '\0';
        last_start = t->start;
        c.pos = t->pos + 1;
        st = cm_qi_add_hl(p, CM_HL_PAIR, t->term, t->term_len, NULL);
    }
    if (st == CM_OK && n < 2)
        st = CM_EINTERNAL; /* called for two pairs or more */
    if (st == CM_OK)
        st = add_wildcard(p, last, strlen(last), start + last_start);
    if (st == CM_OK && (c.qs = malloc(max * sizeof *c.qs)) == NULL)
        st = CM_ENOMEM;
    if (st == CM_OK)
        st = cm_db_allterms(p->opts->db, last, expand_one, &c);
    if (st == CM_OK)
        st = c.st;
    if (st == CM_OK && c.n > max)
        st = cm_qi_fail(p, start + last_start, CM_QUERY_WILDCARD_OVER, last,
                        max);
    if (st == CM_OK && c.n > 0) {
        st = cm_xquery_combine(CM_XQ_OR, c.qs, c.n, 0, &q);
        if (st == CM_OK) {
            cm_xquery_free(seq[n - 1]);
            seq[n - 1] = q;
        }
    }
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_PHRASE, seq, n, 0, out);
    if (c.qs != NULL)
        cm_qi_free_all(c.qs, c.n < max ? c.n : max);
    free(c.qs);
    cm_qi_free_all(seq, n);
    free(seq);
    if (st == CM_OK)
        p->positional = 1;
    return st;
}

/* word* over text[start..end) (end at the '*'): the terms starting with
 * the last word's term; the words before it (co-dev*) are plain words;
 * a word of pairs (see pair_wildcard()) its phrase. */
static cm_status
parse_wildcard(cm_qi_parser *p, size_t start, size_t end, cm_xquery **out)
{
    const cm_token *t, *last = NULL;
    char term[CM_DB_MAX_TERM + 1];
    size_t len = 0, last_start = 0;
    int pairs = 0;
    cm_xquery *before = NULL, *wq = NULL;
    cm_status st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);

    while (st == CM_OK && (st = cm_tok_next(p->tok, &t)) == CM_OK && t) {
        if (t->flags & CM_TOK_ALT)
            continue;
        pairs |= (t->flags & CM_TOK_PAIR) != 0;
        last = t;
        last_start = t->start;
        len = t->term_len;
        memcpy(term, t->term, len);
    }
    if (st != CM_OK)
        return st;
    if (pairs)
        return pair_wildcard(p, start, end, out);
    if (last == NULL)
        return cm_qi_fail(p, end, "'*' wants letters before it");
    if (++p->n_terms > CM_QUERY_MAX_TERMS)
        return cm_qi_fail(p, start, "too many words (at most %d)",
                        CM_QUERY_MAX_TERMS);
    st = add_wildcard(p, term, len, start + last_start);
    if (st == CM_OK)
        st = cm_xquery_wildcard(term, len, expansion_bound(p), &wq);
    if (st == CM_OK && last_start > 0)
        st = cm_qi_words(p, start, start + last_start, CMQ_WIDE, 0, NULL,
                       &before);
    if (st == CM_OK)
        return cm_qi_join(CM_XQ_AND, before, wq, out);
    cm_xquery_free(wq);
    return st;
}

typedef struct inner_ctx {
    cm_qi_parser *p;
    const char *term; /* the word's term */
    size_t len;
    int infix;        /* *word*: anywhere in a word, else at its end */
    cm_xquery **qs;   /* room for max */
    size_t n, max;
    size_t seen;      /* words read */
    cm_status st;
} inner_ctx;

/* Whether the word s[0..len) ends with (or, infix, contains) c->term. */
static int
inner_match(const inner_ctx *c, const char *s, size_t len)
{
    size_t i;

    if (len < c->len)
        return 0;
    if (!c->infix)
        return memcmp(s + len - c->len, c->term, c->len) == 0;
    for (i = 0; i + c->len <= len; i++)
        if (s[i] == c->term[0] && memcmp(s + i, c->term, c->len) == 0)
            return 1;
    return 0;
}

static int
inner_one(void *vctx, const char *s, size_t len, unsigned count)
{
    inner_ctx *c = vctx;

    (void)count;
    c->seen++;
    if (!inner_match(c, s, len))
        return 0;
    if (c->n == c->max) {
        c->n++; /* one over the bound */
        return 1;
    }
    c->st = cm_xquery_term(s, len, 1, 0, &c->qs[c->n]);
    if (c->st != CM_OK)
        return 1;
    c->n++;
    c->st = cm_qi_add_hl(c->p, CM_HL_TERM, s, len, NULL);
    return c->st != CM_OK;
}

/* *word and *word* (the '*' at text[at], the word at text[start..end)):
 * the words of the index that end with the word's term, or contain it,
 * as one (SYNONYM, as word* is): the part of a compound (*rechten finds
 * mensenrechten and grondrechten) or an ending.  The words are those of
 * the index's spelling dictionary, the words of letters cmindex learns
 * (cm_index_analyze.c), read whole: a few milliseconds for the 143,000
 * of the treaties.  Bounded as word* is.  Xapian's remote backend gives
 * no such words: an error for an index that is all remote, and only the
 * local shards' words for one that is partly.  A number, Chinese or Japanese
 * (whose pieces are found inside their runs anyway), or a query without
 * an index: the word itself. */
static cm_status
parse_inner_wildcard(cm_qi_parser *p, size_t at, size_t start, size_t end,
                     int infix, cm_xquery **out)
{
    char term[CM_DB_MAX_TERM + 1];
    const cm_token *t;
    unsigned flags = 0, max = expansion_bound(p);
    size_t n = 0;
    inner_ctx c;
    cm_status st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);

    while (st == CM_OK && (st = cm_tok_next(p->tok, &t)) == CM_OK && t) {
        if (t->flags & CM_TOK_ALT)
            continue;
        if (n++ == 0) {
            memcpy(term, t->term, t->term_len);
            term[t->term_len] = '\0';
            flags = t->flags;
        }
    }
    if (st != CM_OK)
        return st;
    if (n == 0)
        return cm_qi_fail(p, at, "'*' wants letters after it");
    if (n > 1)
        return cm_qi_fail(p, at, "a '*' before a word takes one word, "
                                 "not %zu", n);
    if (!(flags & CM_TOK_WORD) || (flags & CM_TOK_PAIR) ||
        p->opts->db == NULL)
        return cm_qi_words(p, start, end, CMQ_WIDE, 0, NULL, out);
    if (++p->n_terms > CM_QUERY_MAX_TERMS)
        return cm_qi_fail(p, at, "too many words (at most %d)",
                          CM_QUERY_MAX_TERMS);
    memset(&c, 0, sizeof c);
    c.p = p;
    c.term = term;
    c.len = strlen(term);
    c.infix = infix;
    c.max = max;
    if ((c.qs = malloc(max * sizeof *c.qs)) == NULL)
        return CM_ENOMEM;
    st = cm_db_spelling_words(p->opts->db, inner_one, &c);
    if (st == CM_OK)
        st = c.st;
    if (st == CM_OK && c.n > max)
        st = cm_qi_fail(p, at, "*%s%s matches too many words (over %u): "
                        "give more letters", term, infix ? "*" : "", max);
    /* Xapian's remote backend serves no spelling words. */
    if (st == CM_OK && c.seen == 0 && !cm_db_is_local_one(p->opts->db))
        st = cm_qi_fail(p, at, "'*' before a word needs the index's list "
                        "of words, which a remote index does not give");
    if (st == CM_OK)
        st = c.n > 0 ? cm_xquery_combine(CM_XQ_SYNONYM, c.qs, c.n, 0, out)
                     : cm_xquery_match_nothing(out);
    cm_qi_free_all(c.qs, c.n < max ? c.n : max);
    free(c.qs);
    return st;
}

/* title: with an index: the title is on each document's first paragraph
 * only (cm_fields.c), so *f, which matches those, becomes the paragraphs
 * of their documents: the OR of the documents' file terms (P<file key>,
 * from the file key value), at most CM_QUERY_MAX_TITLE_DOCS. */
static cm_status
title_docs(cm_qi_parser *p, size_t at, cm_xquery **f)
{
    char term[CM_DB_MAX_TERM + 1];
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    cm_xquery **qs = NULL;
    unsigned n = 0, i, lo = 0, est = 0, hi = 0;
    const char *v;
    size_t len;
    cm_status st = cm_enquire_new(p->opts->db, &enq);

    if (st == CM_OK)
        st = cm_enquire_set_query(enq, *f);
    if (st == CM_OK)
        st = cm_enquire_set_bool_weight(enq);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, 0, CM_QUERY_MAX_TITLE_DOCS + 1,
                                 CM_QUERY_MAX_TITLE_DOCS + 1, &ms);
    if (st == CM_OK)
        st = cm_mset_totals(ms, &lo, &est, &hi);
    if (st == CM_OK && lo > CM_QUERY_MAX_TITLE_DOCS)
        st = cm_qi_fail(p, at, "title: matches over %u documents: give "
                        "more words", CM_QUERY_MAX_TITLE_DOCS);
    n = st == CM_OK ? cm_mset_size(ms) : 0;
    if (st == CM_OK && n > 0 && (qs = calloc(n, sizeof *qs)) == NULL)
        st = CM_ENOMEM;
    for (i = 0; st == CM_OK && i < n; i++) {
        st = cm_mset_value(ms, i, CM_SLOT_FILE, &v, &len);
        if (st == CM_OK)
            st = cm_xquery_term(term,
                                cm_schema_term(term, sizeof term,
                                               CM_PFX_FILE, v, len),
                                1, 0, &qs[i]);
    }
    cm_xquery_free(*f);
    *f = NULL;
    if (st == CM_OK)
        st = n > 0 ? cm_xquery_combine(CM_XQ_OR, qs, n, 0, f)
                   : cm_xquery_match_nothing(f);
    if (qs != NULL)
        cm_qi_free_all(qs, i);
    free(qs);
    cm_mset_free(ms);
    cm_enquire_free(enq);
    return st;
}

cm_status
cm_qi_lang_runs(cm_qi_parser *p, const char *const *codes, size_t n,
                const char *label, cm_xquery **q)
{
    cm_runs all = CM_RUNS_INIT, one = CM_RUNS_INIT;
    char key[64], *v;
    size_t i, vlen;
    cm_status st = CM_OK;
    int ok = 1;

    *q = NULL;
    if (p->opts->db == NULL || !cm_db_is_local_one(p->opts->db))
        return CM_OK;
    for (i = 0; i < n && ok && st == CM_OK; i++) {
        v = NULL;
        vlen = 0;
        ok = cm_schema_runs_key(key, codes[i], strlen(codes[i])) &&
             cm_db_get_stamped(p->opts->db, key, &v, &vlen) == CM_OK &&
             vlen > 0 && cm_runs_decode(v, vlen, &one) == CM_OK;
        if (ok)
            st = cm_runs_union(&all, &one);
        free(v);
    }
    if (ok && st == CM_OK)
        st = cm_xquery_docid_runs(all.first, all.last, all.n, label, q);
    cm_runs_free(&all);
    cm_runs_free(&one);
    return st;
}

/* lang:<code> as the runs of the language's paragraphs that cmindex
 * stamped (CM_META_LANG_RUNS), in place of *f, its L term: Xapian then
 * finds whether a paragraph is of the language by a binary search, where
 * it decoded the term's postings up to it ("lang:en convention" read
 * 235,483 postings of Len on the treaties).  *f stays the term when the
 * index has no runs for the code, or is not one local database (the
 * remote backend cannot be sent the source). */
static cm_status
lang_runs(cm_qi_parser *p, const char *code, size_t len, cm_xquery **f)
{
    char label[8];
    const char *codes[1] = {label};
    cm_xquery *q = NULL;
    cm_status st;

    if (len >= sizeof label)
        return CM_OK;
    snprintf(label, sizeof label, "%.*s", (int)len, code);
    st = cm_qi_lang_runs(p, codes, 1, label, &q);
    if (st == CM_OK && q != NULL) {
        cm_xquery_free(*f);
        *f = q;
    }
    return st;
}

/* field:value or field:"quoted value", the name known to cm_fields. */
static cm_status
parse_field(cm_qi_parser *p, size_t colon, node *out)
{
    size_t name = p->at, vstart = colon + 1, vend;
    cm_query_error ferr;
    cm_status st;

    if (vstart < p->len && p->text[vstart] == '"') {
        p->at = vstart;
        st = phrase_close(p, &vend);
        if (st != CM_OK)
            return st;
        vstart++;
        p->at = vend + 1;
    } else {
        vend = word_end(p, vstart);
        p->at = vend;
    }
    memset(&ferr, 0, sizeof ferr);
    st = cm_fields_filter(p->text + name, colon - name, p->text + vstart,
                          vend - vstart, p->tok, &out->f, &ferr);
    if (st == CM_EQUERY) {
        size_t col = ferr.column ? ferr.column - 1 : 0, at = vstart;
        /* ferr.column counts characters from the value's start. */
        while (col > 0 && at < vend) {
            at++;
            while (at < vend && ((unsigned char)p->text[at] & 0xC0) == 0x80)
                at++;
            col--;
        }
        return cm_qi_fail(p, at, "%s", ferr.message);
    }
    if (st == CM_OK && p->opts->db != NULL && colon - name == 5 &&
        strncmp(p->text + name, "title", 5) == 0)
        st = title_docs(p, name, &out->f);
    if (st == CM_OK && colon - name == 4 &&
        strncmp(p->text + name, "lang", 4) == 0)
        st = lang_runs(p, p->text + vstart, vend - vstart, &out->f);
    if (st == CM_OK && colon - name == 5 &&
        strncmp(p->text + name, "cites", 5) == 0) {
        /* The citation highlighted in the hits (its key, as the filter
         * took it). */
        char key[CM_REF_KEY_MAX];
        int prefix;
        if (cm_ref_query_key(p->text + vstart, vend - vstart, key, sizeof key,
                             &prefix) == CM_OK)
            st = cm_qi_add_hl(p, CM_HL_REF, key, strlen(key), NULL);
    }
    return st;
}

/* The byte of the ':' when a known field name starts at p->at. */
static size_t
field_colon(const cm_qi_parser *p)
{
    size_t i = p->at;
    while (i < p->len && p->text[i] >= 'a' && p->text[i] <= 'z')
        i++;
    if (i == p->at || i >= p->len || p->text[i] != ':' ||
        !cm_fields_known(p->text + p->at, i - p->at))
        return 0;
    return i;
}

static cm_status
parse_primary(cm_qi_parser *p, node *out)
{
    size_t start = p->at, end, colon;
    cm_status st;

    memset(out, 0, sizeof *out);
    if (at_binary(p))
        return cm_qi_fail(p, start, "nothing before %s",
                        p->text[start] == 'A'   ? "AND"
                        : p->text[start] == 'O' ? "OR"
                                                : "NEAR");
    if ((p->text[start] == '-' || p->text[start] == '+') &&
        start + 1 < p->len && !is_space(p->text[start + 1]) &&
        p->text[start + 1] != ')') {
        if (p->text[start] == '-')
            return cm_qi_fail(p, start, "'-' cannot follow OR or NEAR: "
                                        "exclude with -word or NOT word "
                                        "beside the others");
        p->at = ++start; /* +word: required, which it is here anyway */
    }
    if (p->text[start] == '(')
        return parse_group(p, out);
    if (p->text[start] == '"')
        return parse_phrase(p, CMQ_EXACT, NULL, &out->w);
    if ((colon = field_colon(p)) != 0) {
        p->in_field++;
        st = parse_field(p, colon, out);
        p->in_field--;
        return st;
    }
    if (p->text[start] == '=' && start + 1 < p->len &&
        !is_space(p->text[start + 1])) {
        p->at = end = word_end(p, start + 1);
        return cm_qi_words(p, start + 1, end, CMQ_EXACT, 0, NULL, &out->w);
    }
    p->at = end = word_end(p, start);
    if (end == start) /* a lone ')' inside a word's own parentheses */
        return cm_qi_fail(p, start, "unexpected ')'");
    if (p->text[start] == '*') {
        size_t s2 = start, e2 = end;
        while (s2 < e2 && p->text[s2] == '*')
            s2++;
        while (e2 > s2 && p->text[e2 - 1] == '*')
            e2--;
        if (e2 > s2)
            return parse_inner_wildcard(p, start, s2, e2, e2 < end,
                                        &out->w);
    }
    if (p->text[end - 1] == '*') {
        while (end > start && p->text[end - 1] == '*')
            end--;
        return parse_wildcard(p, start, end, &out->w);
    }
    return cm_qi_words(p, start, end, CMQ_WIDE, 0, NULL, &out->w);
}

/* ------------------------------------------------------------------ */
/* NEAR, AND, OR, items and sequences                                  */

/* Whether the primary at p->at (a word or a phrase) is followed by NEAR. */
static int
near_follows(cm_qi_parser *p)
{
    size_t save = p->at, e;
    int yes;

    if (p->text[p->at] == '(' || field_colon(p) != 0)
        return 0;
    if (p->text[p->at] == '"') {
        const char *c = memchr(p->text + p->at + 1, '"', p->len - p->at - 1);
        if (c == NULL)
            return 0;
        e = (size_t)(c - p->text) + 1;
        while (e < p->len && !is_space(p->text[e]))
            e++;
    } else {
        e = word_end(p, p->at);
    }
    p->at = e;
    skip_space(p);
    yes = at_keyword(p, "NEAR");
    p->at = save;
    return yes;
}

#define MAX_NEAR 16 /* terms in one NEAR */

/* The exact terms of text[start..end) appended to ops (Xapian 1.4 takes
 * only terms under NEAR); a phrase of several words is also required as
 * a phrase, in *extra. */
static cm_status
near_terms(cm_qi_parser *p, size_t start, size_t end, cm_xquery **ops,
           size_t *n, cm_xquery **extra)
{
    const cm_token *t;
    cm_xquery *ph = NULL;
    size_t first = *n;
    cm_status st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);

    while (st == CM_OK && (st = cm_tok_next(p->tok, &t)) == CM_OK && t) {
        if (t->flags & CM_TOK_ALT)
            continue;
        if (*n == MAX_NEAR || ++p->n_terms > CM_QUERY_MAX_TERMS)
            return cm_qi_fail(p, start + t->start, "too many words in NEAR "
                            "(at most %d)", MAX_NEAR);
        st = cm_xquery_term(t->term, t->term_len, 1, (unsigned)*n + 1,
                            &ops[*n]);
        if (st != CM_OK)
            break;
        (*n)++;
        st = cm_qi_add_hl(p, CM_HL_TERM, t->term, t->term_len, NULL);
    }
    if (st == CM_OK && *n - first > 1) {
        st = cm_qi_words(p, start, end, CMQ_POS, 0, NULL, &ph);
        if (st == CM_OK)
            st = cm_qi_join(CM_XQ_AND, *extra, ph, extra);
    }
    return st;
}

/* One operand of NEAR: a word or a phrase, by exact terms. */
static cm_status
near_operand(cm_qi_parser *p, cm_xquery **ops, size_t *n, cm_xquery **extra)
{
    size_t start = p->at, end, close, before = *n;
    cm_status st;

    if (at_end(p) || at_binary(p) || p->text[p->at] == '(' ||
        field_colon(p) != 0)
        return cm_qi_fail(p, start, "NEAR wants a word or a \"phrase\" on "
                                  "each side");
    if (p->text[start] == '"') {
        st = phrase_close(p, &close);
        if (st != CM_OK)
            return st;
        p->at = close + 1;
        st = near_terms(p, start + 1, close, ops, n, extra);
    } else {
        p->at = end = word_end(p, start);
        st = near_terms(p, start, end, ops, n, extra);
    }
    if (st == CM_OK && *n == before)
        st = cm_qi_fail(p, start, "NEAR wants words on both sides");
    return st;
}

/* a NEAR b NEAR/3 c: all operands within (their words + the smallest n)
 * positions, in any order. */
static cm_status
parse_near(cm_qi_parser *p, node *out)
{
    cm_xquery *ops[MAX_NEAR] = {NULL}, *extra = NULL, *nq = NULL;
    size_t n = 0;
    unsigned gap = CM_QUERY_NEAR_DEFAULT, g;
    cm_status st = CM_OK;

    memset(out, 0, sizeof *out);
    if (!near_follows(p))
        return parse_primary(p, out);
    while (st == CM_OK) {
        st = near_operand(p, ops, &n, &extra);
        if (st != CM_OK)
            break;
        skip_space(p);
        if (!at_keyword(p, "NEAR"))
            break;
        p->at += 4;
        g = CM_QUERY_NEAR_DEFAULT;
        if (p->at < p->len && p->text[p->at] == '/') {
            p->at++;
            st = parse_count(p, "NEAR/", &g);
        }
        if (g < gap)
            gap = g;
        skip_space(p);
    }
    p->positional = 1;
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_NEAR, ops, n, (unsigned)n + gap, &nq);
    cm_qi_free_all(ops, n);
    if (st == CM_OK)
        return cm_qi_join(CM_XQ_AND, nq, extra, &out->w);
    cm_xquery_free(extra);
    return st;
}

/* A '-' before a word (not a lone dash). */
static int
is_minus(const cm_qi_parser *p)
{
    return p->text[p->at] == '-' && p->at + 1 < p->len &&
           !is_space(p->text[p->at + 1]) && p->text[p->at + 1] != ')';
}

/* Fails unless an operand follows the operator word at byte kw. */
static cm_status
need_operand(cm_qi_parser *p, size_t kw, const char *name)
{
    skip_space(p);
    if (at_end(p) || at_binary(p))
        return cm_qi_fail(p, kw, "nothing after %s", name);
    return CM_OK;
}

/* Parse the operand of an exclusion (NOT x, -x, AND NOT x) into neg. */
static cm_status
parse_excluded(cm_qi_parser *p, node *into, size_t at,
               cm_status (*sub)(cm_qi_parser *, node *))
{
    node x;
    cm_xquery *q = NULL;
    cm_status st;

    p->negated++;
    st = sub(p, &x);
    p->negated--;
    if (st != CM_OK || node_empty(&x))
        return st;
    st = node_fold(p, &x, at, &q);
    if (st == CM_OK)
        st = cm_qi_join(CM_XQ_OR, into->neg, q, &into->neg);
    return st;
}

static cm_status
parse_and(cm_qi_parser *p, node *out)
{
    cm_status st = parse_near(p, out);
    node b;

    while (st == CM_OK) {
        size_t kw;
        skip_space(p);
        if (!at_keyword(p, "AND"))
            break;
        kw = p->at;
        p->at += 3;
        st = need_operand(p, kw, "AND");
        if (st == CM_OK && (at_keyword(p, "NOT") || is_minus(p))) {
            kw = p->at;
            p->at += p->text[kw] == '-' ? 1 : 3;
            st = need_operand(p, kw, "NOT");
            if (st == CM_OK)
                st = parse_excluded(p, out, kw, parse_near);
            continue;
        }
        if (st == CM_OK)
            st = parse_near(p, &b);
        if (st == CM_OK)
            st = node_and(out, &b);
    }
    if (st != CM_OK)
        node_free(out);
    return st;
}

static cm_status
parse_or(cm_qi_parser *p, node *out)
{
    cm_status st = parse_and(p, out);
    node b;

    while (st == CM_OK) {
        size_t kw;
        skip_space(p);
        if (!at_keyword(p, "OR"))
            break;
        kw = p->at;
        p->at += 2;
        st = need_operand(p, kw, "OR");
        if (st == CM_OK)
            st = parse_and(p, &b);
        if (st == CM_OK)
            st = node_or(p, out, &b, kw);
    }
    if (st != CM_OK)
        node_free(out);
    return st;
}

/* A juxtaposed item joins the sequence: required (AND, or +item with
 * --any), optional (--any), or excluded. */
static cm_status
seq_add(cm_qi_parser *p, node *acc, cm_xquery **opt, node *item, char mark,
        size_t at)
{
    cm_xquery *q = NULL;
    cm_status st;

    if (!p->opts->any || mark == '+' || item->w == NULL)
        return node_and(acc, item);
    st = node_fold(p, item, at, &q);
    if (st == CM_OK)
        st = cm_qi_join(CM_XQ_OR, *opt, q, opt);
    return st;
}

/* Consecutive plain words of a sequence, held back to look for an
 * acronym's expansion among them (International Organization for
 * Migration -> OR IOM). */
#define MAX_RUN 8

typedef struct run {
    node items[MAX_RUN];
    const char *terms[MAX_RUN];
    size_t at[MAX_RUN];
    size_t n;
} run;

/* The longest stretch from run[i] (2 words or more) whose joined terms
 * have synonyms: *len words, *syn their query; *len 0 when none. */
static cm_status
run_synonym(cm_qi_parser *p, const run *r, size_t i, size_t *len,
            cm_xquery **syn)
{
    char key[CM_DB_MAX_TERM + 1];
    size_t l, k, kl;
    cm_status st = CM_OK;

    *len = 0;
    *syn = NULL;
    for (l = r->n - i; l >= 2 && st == CM_OK; l--) {
        for (k = i, kl = 0; k < i + l; k++) {
            size_t tl = strlen(r->terms[k]);
            if (kl + tl + 2 > sizeof key)
                break;
            if (kl > 0)
                key[kl++] = ' ';
            memcpy(key + kl, r->terms[k], tl);
            kl += tl;
        }
        if (k < i + l)
            continue;
        key[kl] = '\0';
        st = cm_qi_synonyms(p, key, syn);
        if (st == CM_OK && *syn != NULL) {
            *len = l;
            break;
        }
    }
    return st;
}

/* Move the held words into the sequence, joining a stretch that spells an
 * acronym's expansion into (the words) OR (the acronym). */
static cm_status
run_flush(cm_qi_parser *p, run *r, node *acc, cm_xquery **opt)
{
    size_t i = 0, len, k;
    cm_xquery *syn = NULL;
    cm_status st = CM_OK;

    while (st == CM_OK && i < r->n) {
        st = run_synonym(p, r, i, &len, &syn);
        if (st != CM_OK)
            break;
        if (len == 0) {
            st = seq_add(p, acc, opt, &r->items[i], 0, r->at[i]);
            i++;
            continue;
        }
        for (k = i + 1; k < i + len; k++)
            if (st == CM_OK)
                st = node_and(&r->items[i], &r->items[k]);
        if (st == CM_OK)
            st = cm_qi_join(CM_XQ_OR, r->items[i].w, syn, &r->items[i].w);
        else
            cm_xquery_free(syn);
        if (st == CM_OK)
            st = seq_add(p, acc, opt, &r->items[i], 0, r->at[i]);
        i += len;
    }
    for (k = 0; k < r->n; k++)
        node_free(&r->items[k]);
    r->n = 0;
    return st;
}

static cm_status
parse_item(cm_qi_parser *p, node *acc, cm_xquery **opt, run *r)
{
    size_t at = p->at, words = p->n_words, k, end;
    char mark = 0;
    node item;
    cm_status st;

    if (at_keyword(p, "AND") || at_keyword(p, "OR"))
        return cm_qi_fail(p, at, "nothing before %s",
                          p->text[at] == 'A' ? "AND" : "OR");
    if (at_keyword(p, "NOT")) {
        p->at += 3;
        st = need_operand(p, at, "NOT");
        return st != CM_OK ? st : parse_excluded(p, acc, at, parse_or);
    }
    if ((p->text[at] == '-' || p->text[at] == '+') && at + 1 < p->len &&
        !is_space(p->text[at + 1]) && p->text[at + 1] != ')' &&
        p->text[at + 1] != '-' && p->text[at + 1] != '+') {
        mark = p->text[at];
        p->at++;
        if (mark == '-')
            return parse_excluded(p, acc, at, parse_or);
    }
    st = parse_or(p, &item);
    if (st != CM_OK || node_empty(&item))
        return st;
    /* A plain word: one word, nothing but letters and digits around. */
    end = p->at;
    while (end > at && is_space(p->text[end - 1]))
        end--;
    for (k = at; k < end && (unsigned char)p->text[k] >= 0x30 &&
                 !strchr(":*=()", p->text[k]);
         k++)
        ;
    if (p->opts->db != NULL && mark == 0 && k == end &&
        p->n_words == words + 1 && item.f == NULL && item.neg == NULL) {
        if (r->n == MAX_RUN) {
            st = seq_add(p, acc, opt, &r->items[0], 0, r->at[0]);
            memmove(r->items, r->items + 1, (MAX_RUN - 1) * sizeof *r->items);
            memmove(r->terms, r->terms + 1, (MAX_RUN - 1) * sizeof *r->terms);
            memmove(r->at, r->at + 1, (MAX_RUN - 1) * sizeof *r->at);
            r->n--;
        }
        r->items[r->n] = item;
        r->terms[r->n] = p->words[words].term;
        r->at[r->n++] = at;
        return st;
    }
    st = run_flush(p, r, acc, opt);
    if (st == CM_OK)
        st = seq_add(p, acc, opt, &item, mark, at);
    else
        node_free(&item);
    return st;
}

/* Items up to the end (or the ')' closing a group when nested). */
static cm_status
parse_seq(cm_qi_parser *p, int nested, node *out)
{
    cm_xquery *opt = NULL;
    cm_status st = CM_OK;
    run r;

    memset(out, 0, sizeof *out);
    memset(&r, 0, sizeof r);
    for (;;) {
        skip_space(p);
        if (p->at >= p->len)
            break;
        if (p->text[p->at] == ')') {
            if (nested)
                break;
            st = cm_qi_fail(p, p->at, "')' without '('");
            break;
        }
        st = parse_item(p, out, &opt, &r);
        if (st != CM_OK)
            break;
    }
    if (st == CM_OK)
        st = run_flush(p, &r, out, &opt);
    else
        run_flush(p, &r, out, &opt); /* frees; the first error stands */
    if (st == CM_OK && opt != NULL)
        st = cm_qi_join(out->w ? CM_XQ_AND_MAYBE : CM_XQ_OR, out->w, opt,
                        &out->w);
    else
        cm_xquery_free(opt);
    if (st != CM_OK)
        node_free(out);
    return st;
}

/* The fallback reading: every white-space separated chunk is words. */
static cm_status
parse_plain(cm_qi_parser *p, node *out)
{
    cm_xquery *opt = NULL;
    cm_status st = CM_OK;

    memset(out, 0, sizeof *out);
    while (st == CM_OK) {
        size_t start;
        node item = {NULL, NULL, NULL};
        while (p->at < p->len && (is_space(p->text[p->at]) ||
                                  p->text[p->at] == '"'))
            p->at++;
        if (p->at >= p->len)
            break;
        start = p->at;
        while (p->at < p->len && !is_space(p->text[p->at]) &&
               p->text[p->at] != '"')
            p->at++;
        st = cm_qi_words(p, start, p->at, CMQ_WIDE, 0, NULL, &item.w);
        if (st == CM_OK && item.w != NULL)
            st = seq_add(p, out, &opt, &item, 0, start);
    }
    if (st == CM_OK && opt != NULL)
        st = cm_qi_join(out->w ? CM_XQ_AND_MAYBE : CM_XQ_OR, out->w, opt,
                      &out->w);
    else
        cm_xquery_free(opt);
    if (st != CM_OK)
        node_free(out);
    return st;
}

/* ------------------------------------------------------------------ */
/* Ranking boosts                                                      */

/* The boost terms with prefix (NULL: none) at positions 1.., in qs
 * (p->n_boost of them). */
static cm_status
boost_terms(const cm_qi_parser *p, const char *prefix, cm_xquery **qs)
{
    char term[CM_DB_MAX_TERM + 1];
    size_t i, len;
    cm_status st = CM_OK;

    for (i = 0; st == CM_OK && i < p->n_boost; i++) {
        len = cm_schema_term(term, sizeof term, prefix ? prefix : "",
                             p->boost[i], strlen(p->boost[i]));
        st = cm_xquery_term(term, len, 1, (unsigned)i + 1, &qs[i]);
        if (st != CM_OK)
            cm_qi_free_all(qs, i);
    }
    return st;
}

/* op over the boost terms, scaled by factor, OR'ed into *acc; the terms
 * whose skip[i] is set are left out (skip may be NULL): the exact-form
 * boost skips the words whose own query weighs their exact form already
 * (cm_query_words.c's stem_query()), and keeps quoted words, numbers and
 * words with no stem. */
static cm_status
add_boost(const cm_qi_parser *p, cm_xquery_op op, double factor,
          const unsigned char *skip, cm_xquery **acc)
{
    cm_xquery *qs[CMQ_MAX_BOOST], *c = NULL, *s = NULL;
    size_t i, n = 0;
    cm_status st = boost_terms(p, NULL, qs);

    if (st != CM_OK)
        return st;
    for (i = 0; i < p->n_boost; i++) {
        if (skip != NULL && skip[i])
            cm_xquery_free(qs[i]);
        else
            qs[n++] = qs[i];
    }
    if (n > 0) {
        st = cm_xquery_combine(op, qs, n, 0, &c);
        if (st == CM_OK)
            st = cm_xquery_scale_weight(c, factor, &s);
        cm_xquery_free(c);
        if (st == CM_OK)
            st = cm_qi_join(CM_XQ_OR, *acc, s, acc);
    }
    cm_qi_free_all(qs, n);
    return st;
}

/* Whether the index has the title term of boost word i (1 without an
 * index, or when it cannot say). */
static int
has_title_term(const cm_qi_parser *p, size_t i)
{
    char term[CM_DB_MAX_TERM + 1];
    size_t len;
    unsigned freq = 1;

    if (p->opts->db == NULL)
        return 1;
    len = cm_schema_term(term, sizeof term, CM_PFX_TITLE, p->boost[i],
                         strlen(p->boost[i]));
    if (cm_db_term_freq(p->opts->db, term, len, &freq) != CM_OK)
        return 1;
    return freq > 0;
}

/* Each word found in the document's title adds W_TITLE: the title terms
 * have wdf 0 (cm_fields.c), so BM25 cannot weigh them; a fixed weight
 * per title word can.  A word in no title of the index adds nothing, and
 * is left out (as absent stem terms are: its postlist is a lookup).  With
 * titles, the title terms OR'ed as well (*titles, unless NULL), a filter
 * for the paragraphs the boost can weigh. */
static cm_status
add_title_boost(const cm_qi_parser *p, cm_xquery **acc, cm_xquery **titles)
{
    cm_xquery *qs[CMQ_MAX_BOOST], *pair[2] = {NULL, NULL}, *one = NULL;
    cm_status st = boost_terms(p, CM_PFX_TITLE, qs);
    size_t i;

    if (st != CM_OK)
        return st;
    for (i = 0; st == CM_OK && i < p->n_boost; i++) {
        if (!has_title_term(p, i))
            continue;
        if (titles != NULL) {
            /* A copy: cm_qi_join() consumes its operands. */
            cm_xquery *copy = NULL;
            st = cm_xquery_scale_weight(qs[i], 1.0, &copy);
            if (st == CM_OK)
                st = cm_qi_join(CM_XQ_OR, *titles, copy, titles);
        }
        if (st == CM_OK)
            st = cm_xquery_scale_weight(qs[i], 0.0, &pair[0]);
        if (st == CM_OK)
            st = cm_xquery_fixed_weight(W_TITLE, &pair[1]);
        if (st == CM_OK)
            st = cm_xquery_combine(CM_XQ_AND, pair, 2, 0, &one);
        cm_qi_free_all(pair, 2);
        pair[0] = pair[1] = NULL;
        if (st == CM_OK)
            st = cm_qi_join(CM_XQ_OR, *acc, one, acc);
        one = NULL;
    }
    cm_qi_free_all(qs, p->n_boost);
    return st;
}

/* The exact-form and title boosts OR'ed into *acc; the exact-form ones
 * alone in *exact and the title terms in *titles, when not NULL. */
static cm_status
add_word_boosts(const cm_qi_parser *p, cm_xquery **acc, cm_xquery **exact,
                cm_xquery **titles)
{
    cm_xquery *ex = NULL;
    cm_status st = CM_OK;

    if (p->n_boost_wide > 0)
        st = add_boost(p, CM_XQ_OR, CMQ_W_EXACT, p->boost_in_word, &ex);
    if (st == CM_OK && exact != NULL && ex != NULL)
        st = cm_xquery_copy(ex, exact);
    if (st == CM_OK) {
        st = cm_qi_join(CM_XQ_OR, *acc, ex, acc);
        ex = NULL;
    }
    cm_xquery_free(ex);
    if (st == CM_OK)
        st = add_title_boost(p, acc, titles);
    return st;
}

/* main AND_MAYBE (the words as a phrase, in their exact form, in the
 * title): weight for what people mean, never a condition.  (Headings
 * weigh more through their wdfs, cm_schema.h.)  Words OR'ed with words
 * are alternatives ("extradition OR deportation"), not a phrase: no
 * phrase boost then (it cost a boolean query its positions for nothing).
 * Each boost walks its terms' postlists alongside the query, so only
 * those that can change the order are added: the phrase and exact ones
 * need an unquoted word (a quoted phrase already is exact, and in
 * order).  A proximity boost (NEAR) cost 30-60 % on two or three words
 * and changed no known-item rank (tests/e2e/t-relevance.sh).
 *
 * The phrase boost has an AND_MAYBE of its own, (main AND_MAYBE phrase)
 * AND_MAYBE (exact OR title): OR'ed with the title boosts (a fixed weight
 * from a posting source) under one AND_MAYBE, Xapian 1.4 gave some
 * paragraphs the phrase's weight without the phrase, depending on how
 * many hits were asked for ("het van" on a sample of the treaties:
 * tests/e2e/t-rerank.sh).  With a phrase boost, also the query without it
 * (*rest) and the phrase boost alone (*phrase), for the searcher's two
 * passes (cm_query_rerank()).  Without one, for a query that checks
 * positions, also the query without its title boosts (*untitled) and the
 * title terms (*titles), for ranking the paragraphs with a title word
 * apart (cm_query_titles_apart()). */
static cm_status
add_boosts(const cm_qi_parser *p, cm_xquery **main_q, cm_xquery **rest,
           cm_xquery **phrase, cm_xquery **untitled, cm_xquery **titles)
{
    cm_xquery *b = NULL, *ph = NULL, *ex = NULL, *pair[2];
    cm_status st = CM_OK;
    int phrase_boost = p->n_boost >= 2 && p->n_boost_wide > 0 &&
                       !p->alternatives;
    /* Without a phrase boost, for a query that checks positions: the
     * query without its title boosts too (cm_query_titles_apart()). */
    int apart = !phrase_boost && p->positional;

    *rest = *phrase = *untitled = *titles = NULL;
    if (p->n_boost == 0)
        return CM_OK;
    st = add_word_boosts(p, &b, apart ? &ex : NULL, apart ? titles : NULL);
    if (st == CM_OK && phrase_boost) {
        st = add_boost(p, CM_XQ_PHRASE, W_PHRASE, NULL, &ph);
        if (st == CM_OK && ph != NULL)
            st = cm_xquery_copy(ph, phrase);
        if (st == CM_OK && b != NULL) {
            pair[0] = *main_q;
            pair[1] = b;
            st = cm_xquery_combine(CM_XQ_AND_MAYBE, pair, 2, 0, rest);
        } else if (st == CM_OK) {
            st = cm_xquery_scale_weight(*main_q, 1.0, rest);
        }
        if (st == CM_OK) {
            st = cm_qi_join(CM_XQ_AND_MAYBE, *main_q, ph, main_q);
            ph = NULL;
        }
    }
    if (st == CM_OK && apart && *titles != NULL && ex != NULL) {
        pair[0] = *main_q;
        pair[1] = ex;
        st = cm_xquery_combine(CM_XQ_AND_MAYBE, pair, 2, 0, untitled);
    } else if (st == CM_OK && apart && *titles != NULL) {
        st = cm_xquery_scale_weight(*main_q, 1.0, untitled);
    }
    if (st == CM_OK) {
        st = cm_qi_join(CM_XQ_AND_MAYBE, *main_q, b, main_q);
        b = NULL;
    }
    cm_xquery_free(b);
    cm_xquery_free(ph);
    cm_xquery_free(ex);
    if (st != CM_OK || *untitled == NULL) {
        cm_xquery_free(*untitled);
        cm_xquery_free(*titles);
        *untitled = *titles = NULL;
    }
    if (st != CM_OK) {
        cm_xquery_free(*rest);
        cm_xquery_free(*phrase);
        *rest = *phrase = NULL;
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* The API                                                             */

static void
parser_free(cm_qi_parser *p)
{
    size_t i;
    for (i = 0; i < p->n_hl; i++) {
        free((char *)p->hl[i].s);
        free((char *)p->hl[i].langs);
    }
    for (i = 0; i < p->n_words; i++)
        free((char *)p->words[i].term);
    for (i = 0; i < p->n_wild; i++)
        free((char *)p->wild[i].prefix);
    for (i = 0; i < p->n_boost; i++)
        free(p->boost[i]);
    free(p->hl);
    free(p->words);
    free(p->wild);
}

void
cm_query_free(cm_query *q)
{
    cm_qi_parser p;
    if (q == NULL)
        return;
    memset(&p, 0, sizeof p);
    p.hl = q->hl;
    p.n_hl = q->n_hl;
    p.words = q->words;
    p.n_words = q->n_words;
    p.wild = q->wild;
    p.n_wild = q->n_wild;
    parser_free(&p);
    cm_xquery_free(q->xq);
    cm_xquery_free(q->rest);
    cm_xquery_free(q->phrase);
    cm_xquery_free(q->untitled);
    cm_xquery_free(q->titles);
    free(q);
}

static cm_status
check_text(cm_qi_parser *p)
{
    const char *nul;
    if (p->len > CM_QUERY_MAX_BYTES)
        return cm_qi_fail(p, CM_QUERY_MAX_BYTES,
                        "query too long (over %d bytes)", CM_QUERY_MAX_BYTES);
    nul = memchr(p->text, '\0', p->len);
    if (nul != NULL)
        return cm_qi_fail(p, (size_t)(nul - p->text), "NUL character in query");
    return CM_OK;
}

/* The language every match of the query is in: a lang: filter at the top
 * level of a conjunction ("lang:fr convention", "convention +lang:fr"), in
 * out[4]; 0 when there is none, or when the query has OR or NOT at its top
 * level, a lang: filter excluded, in parentheses or quoted, two that
 * differ, or is read with --any or as plain words.  A lexical look ahead
 * (the parser meets the filter after the words it restricts): when in
 * doubt it says 0, and every stemmer is tried, as without it. */
static int
global_lang(const cm_qi_parser *p, char out[4])
{
    static const char field[] = "lang:";
    const size_t fl = sizeof field - 1;
    size_t i = 0, s, n, v;
    int depth = 0, found = 0;

    if (p->opts->any || p->opts->plain)
        return 0;
    while (i < p->len) {
        char c = p->text[i];
        if (c == '"') {
            for (i++; i < p->len && p->text[i] != '"'; i++)
                ;
            i++;
            continue;
        }
        if (c == '(' || c == ')' || is_space(c)) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            i++;
            continue;
        }
        for (s = i; i < p->len && !is_space(p->text[i]) &&
                    strchr("()\"", p->text[i]) == NULL;
             i++)
            ;
        n = i - s;
        if (depth == 0 && ((n == 2 && memcmp(p->text + s, "OR", 2) == 0) ||
                           (n == 3 && memcmp(p->text + s, "NOT", 3) == 0)))
            return 0;
        v = s + (p->text[s] == '+' || p->text[s] == '-');
        if (i - v < fl || memcmp(p->text + v, field, fl) != 0)
            continue;
        if (depth != 0 || p->text[s] == '-' || i - v - fl < 2 ||
            i - v - fl > 3 || (i < p->len && p->text[i] == '"'))
            return 0;
        for (v += fl; v < i; v++)
            if (p->text[v] < 'a' || p->text[v] > 'z')
                return 0;
        v = s + (p->text[s] == '+') + fl;
        if (found && (strlen(out) != i - v || memcmp(out, p->text + v, i - v)))
            return 0;
        memcpy(out, p->text + v, i - v);
        out[i - v] = '\0';
        found = 1;
    }
    return found;
}

/* The query kept to opts->lang's paragraphs: each of *q (xq, and the
 * queries without the boosts, which match the same paragraphs), when not
 * NULL, filtered as lang: filters, by the language's runs where the index
 * has them.  A code that is not one is CM_EQUERY, at column 0. */
static cm_status
filter_lang(cm_qi_parser *p, cm_xquery **const *q, size_t n)
{
    const char *code = p->opts->lang;
    size_t len = strlen(code), i;
    cm_xquery *f = NULL, *sub[2], *out;
    cm_query_error ferr;
    cm_status st;

    memset(&ferr, 0, sizeof ferr);
    st = cm_fields_filter("lang", 4, code, len, p->tok, &f, &ferr);
    if (st == CM_EQUERY)
        return cm_qi_fail(p, 0, "language filter: %s", ferr.message);
    if (st == CM_OK)
        st = lang_runs(p, code, len, &f);
    for (i = 0; i < n && st == CM_OK; i++) {
        if (*q[i] == NULL)
            continue;
        sub[0] = *q[i];
        sub[1] = f;
        st = cm_xquery_combine(CM_XQ_FILTER, sub, 2, 0, &out);
        if (st == CM_OK) {
            cm_xquery_free(*q[i]);
            *q[i] = out;
        }
    }
    cm_xquery_free(f);
    return st;
}

cm_status
cm_query_compile(const char *text, size_t text_len, cm_tok *tok,
                 const cm_query_opts *opts, cm_query **out,
                 cm_query_error *err)
{
    static const cm_query_opts defaults;
    cm_query *q = NULL;
    cm_qi_parser p;
    node top = {NULL, NULL, NULL};
    cm_xquery *xq = NULL, *rest = NULL, *phrase = NULL, *untitled = NULL;
    cm_xquery *titles = NULL;
    cm_status st;

    *out = NULL;
    memset(err, 0, sizeof *err);
    memset(&p, 0, sizeof p);
    p.text = text;
    p.len = text_len;
    p.tok = tok;
    p.err = err;
    p.opts = opts ? opts : &defaults;
    st = check_text(&p);
    if (st == CM_OK && p.opts->lang != NULL && p.opts->lang[0] != '\0') {
        /* Every match is in that language, whatever the query says. */
        snprintf(p.only_lang, sizeof p.only_lang, "%.3s", p.opts->lang);
    } else if (st == CM_OK && !global_lang(&p, p.only_lang)) {
        p.only_lang[0] = '\0';
    }
    if (st == CM_OK)
        st = p.opts->plain ? parse_plain(&p, &top) : parse_seq(&p, 0, &top);
    if (st == CM_OK && node_empty(&top))
        st = cm_qi_fail(&p, 0, "the query has no words to search for");
    if (st == CM_OK)
        st = node_fold(&p, &top, 0, &xq);
    if (st == CM_OK && p.opts->rank)
        st = add_boosts(&p, &xq, &rest, &phrase, &untitled, &titles);
    if (st == CM_OK && p.opts->lang != NULL && p.opts->lang[0] != '\0') {
        cm_xquery **const kept[] = {&xq, &rest, &untitled};
        st = filter_lang(&p, kept, 3);
    }
    if (st == CM_OK && (q = calloc(1, sizeof *q)) == NULL)
        st = CM_ENOMEM;
    if (st != CM_OK) {
        node_free(&top);
        cm_xquery_free(xq);
        cm_xquery_free(rest);
        cm_xquery_free(phrase);
        cm_xquery_free(untitled);
        cm_xquery_free(titles);
        parser_free(&p);
        if (st != CM_EQUERY)
            memset(err, 0, sizeof *err);
        return st;
    }
    q->xq = xq;
    q->rest = rest;
    q->phrase = phrase;
    q->untitled = untitled;
    q->titles = titles;
    q->hl = p.hl;
    q->n_hl = p.n_hl;
    q->words = p.words;
    q->n_words = p.n_words;
    q->wild = p.wild;
    q->n_wild = p.n_wild;
    p.hl = NULL;
    p.words = NULL;
    p.wild = NULL;
    p.n_hl = p.n_words = p.n_wild = 0;
    parser_free(&p);
    *out = q;
    return CM_OK;
}

const cm_xquery *
cm_query_xquery(const cm_query *q)
{
    return q->xq;
}

const cm_xquery *
cm_query_rerank(const cm_query *q, const cm_xquery **phrase, double *ratio)
{
    *phrase = q->phrase;
    *ratio = W_PHRASE / CMQ_W_EXACT;
    return q->phrase != NULL ? q->rest : NULL;
}

const cm_xquery *
cm_query_titles_apart(const cm_query *q, const cm_xquery **titles)
{
    *titles = q->titles;
    return q->untitled;
}

const cm_hl_term *
cm_query_highlights(const cm_query *q, size_t *n)
{
    *n = q->n_hl;
    return q->hl;
}

const cm_query_word *
cm_query_words(const cm_query *q, size_t *n)
{
    *n = q->n_words;
    return q->words;
}

const cm_query_wildcard *
cm_query_wildcards(const cm_query *q, size_t *n)
{
    *n = q->n_wild;
    return q->wild;
}

cm_status
cm_query_parse(const char *text, size_t text_len, cm_tok *tok,
               cm_xquery **out, cm_query_error *err)
{
    cm_query *q = NULL;
    cm_status st = cm_query_compile(text, text_len, tok, NULL, &q, err);

    *out = NULL;
    if (st != CM_OK)
        return st;
    st = cm_xquery_combine(CM_XQ_AND, &q->xq, 1, 0, out);
    cm_query_free(q);
    return st;
}
