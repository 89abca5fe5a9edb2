/* cm_query_words.c: query words through the analyzer.
 *
 * An unquoted word becomes its exact term or its other forms in each
 * language (cm_query_stems.c); a hyphenated compound is tried as the
 * phrase of its parts and as its joined form; a quoted phrase is exact.
 * With an index at hand, acronyms and their expansions learnt by cmindex
 * are tried too.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_query_int.h"
#include "cm_schema.h"
#include "cm_util.h"

cm_status
cm_qi_fail(cm_qi_parser *p, size_t byte_at, const char *fmt, ...)
{
    va_list ap;
    if (byte_at > p->len)
        byte_at = p->len;
    p->err->column = (unsigned)cm_utf8_columns(p->text, byte_at) + 1;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    return CM_EQUERY;
}

void
cm_qi_free_all(cm_xquery **qs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        cm_xquery_free(qs[i]);
}

cm_status
cm_qi_join(cm_xquery_op op, cm_xquery *a, cm_xquery *b, cm_xquery **out)
{
    cm_xquery *pair[2];
    cm_status st;

    if (a == NULL || b == NULL) {
        *out = a ? a : b;
        return CM_OK;
    }
    pair[0] = a;
    pair[1] = b;
    st = cm_xquery_combine(op, pair, 2, 0, out);
    cm_xquery_free(a);
    cm_xquery_free(b);
    return st;
}

cm_status
cm_qi_add_hl(cm_qi_parser *p, cm_hl_kind kind, const char *s, size_t len,
             const char *langs)
{
    size_t i;
    char *copy, *lcopy = NULL;

    if (p->negated || len == 0)
        return CM_OK;
    for (i = 0; i < p->n_hl; i++)
        if (p->hl[i].kind == kind && p->hl[i].len == len &&
            memcmp(p->hl[i].s, s, len) == 0 &&
            (langs == NULL) == (p->hl[i].langs == NULL) &&
            (langs == NULL || strcmp(langs, p->hl[i].langs) == 0))
            return CM_OK;
    if (cm_grow((void **)&p->hl, &p->cap_hl, p->n_hl, sizeof *p->hl) != CM_OK)
        return CM_ENOMEM;
    copy = cm_strndup(s, len);
    if (langs != NULL)
        lcopy = cm_strndup(langs, strlen(langs));
    if (copy == NULL || (langs != NULL && lcopy == NULL)) {
        free(copy);
        free(lcopy);
        return CM_ENOMEM;
    }
    p->hl[p->n_hl].langs = lcopy;
    p->hl[p->n_hl].s = copy;
    p->hl[p->n_hl].len = len;
    p->hl[p->n_hl].kind = kind;
    p->n_hl++;
    return CM_OK;
}

static cm_status
add_word(cm_qi_parser *p, size_t start, size_t end, const char *term,
         size_t term_len, int correctable)
{
    char *copy;
    cm_query_word *w;

    if (cm_grow((void **)&p->words, &p->cap_words, p->n_words,
             sizeof *p->words) != CM_OK)
        return CM_ENOMEM;
    copy = cm_strndup(term, term_len);
    if (copy == NULL)
        return CM_ENOMEM;
    w = &p->words[p->n_words++];
    w->start = start;
    w->end = end;
    w->term = copy;
    w->correctable = correctable;
    return CM_OK;
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

/* Whether a spelling suggestion may replace the words of text[s..e):
 * letters only, so that numbers and references are never "corrected". */
static int
correctable_text(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '/' || s[i] == '(' ||
            s[i] == '.')
            return 0;
    return 1;
}

/* Record what token t (of text[start..)) means for highlighting, spelling
 * and boosts; *boost_at gets the index of its boost term, or -1. */
static cm_status
note_token(cm_qi_parser *p, size_t start, size_t end, const cm_token *t,
           cm_qi_mode mode, int *boost_at)
{
    cm_status st = cm_qi_add_hl(
        p, t->flags & CM_TOK_PAIR ? CM_HL_PAIR : CM_HL_TERM, t->term,
        t->term_len, NULL);
    int corr;

    *boost_at = -1;
    if (st != CM_OK || (t->flags & CM_TOK_ALT))
        return st;
    /* Pairs of characters overlap: no suggestion replaces one. */
    corr = mode == CMQ_WIDE && !p->negated && !p->in_field &&
           (t->flags & CM_TOK_WORD) && !(t->flags & CM_TOK_PAIR) &&
           correctable_text(p->text + start, end - start);
    st = add_word(p, start + t->start, start + t->end, t->term, t->term_len,
                  corr);
    if (st == CM_OK && !p->negated && !p->in_field &&
        p->n_boost < CMQ_MAX_BOOST) {
        p->boost[p->n_boost] = cm_strndup(t->term, t->term_len);
        if (p->boost[p->n_boost] == NULL)
            return CM_ENOMEM;
        p->boost_in_word[p->n_boost] = 0;
        *boost_at = (int)p->n_boost;
        p->n_boost++;
        p->n_boost_wide += mode == CMQ_WIDE;
    }
    return st;
}

/* Append term (len bytes) to the space-joined key. */
static void
key_add(char *key, size_t cap, size_t *klen, const char *term, size_t len)
{
    if (*klen == (size_t)-1 || *klen + len + 2 > cap) {
        *klen = (size_t)-1; /* too long for a synonym key */
        return;
    }
    if (*klen > 0)
        key[(*klen)++] = ' ';
    memcpy(key + *klen, term, len);
    *klen += len;
    key[*klen] = '\0';
}

/* Analyze text[start..end) into toks (*n_toks of them, malloc'd); key gets
 * the non-alternative terms joined by spaces (for synonyms). */
static cm_status
collect(cm_qi_parser *p, size_t start, size_t end, cm_qi_mode mode, qtok **toks,
        size_t *n_toks, char *key, size_t key_cap, size_t *key_len)
{
    size_t cap = 0, i;
    const cm_token *t;
    cm_status st;

    *toks = NULL;
    *n_toks = 0;
    st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);
    while (st == CM_OK) {
        qtok *q;
        int boost_at;
        st = cm_tok_next(p->tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        /* The characters of a run of pairs are for the index: the query
         * has the run's pairs (or its one character, its own term).  So is
         * the word before an apostrophe and its suffix: the query has the
         * word as typed. */
        if (t->flags & (CM_TOK_ONE | CM_TOK_BASE))
            continue;
        if (++p->n_terms > CM_QUERY_MAX_TERMS) {
            st = cm_qi_fail(p, start + t->start, "too many words (at most %d)",
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
        if (!q->alt)
            key_add(key, key_cap, key_len, t->term, t->term_len);
        st = cm_xquery_term(t->term, t->term_len, 1, t->pos + 1, &q->exact);
        if (st != CM_OK)
            break;
        (*n_toks)++;
        st = note_token(p, start, end, t, mode, &boost_at);
        if (st == CM_OK && mode == CMQ_WIDE)
            st = cm_qi_stem_query(p, t, q->exact, boost_at, &q->wide);
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
alternative(const qtok *toks, size_t n, unsigned mask, unsigned slop,
            cm_xquery **seq, cm_xquery **out)
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
    if (slop > 0)
        return cm_xquery_combine(CM_XQ_NEAR, seq, m, (unsigned)m + slop, out);
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

typedef struct syn_ctx {
    cm_xquery **qs;
    size_t n, cap;
    cm_qi_parser *p;
    cm_status st;
} syn_ctx;

/* One synonym: its terms (space-separated) as a term or a phrase. */
static int
syn_one(void *vctx, const char *s, size_t len, unsigned count)
{
    syn_ctx *c = vctx;
    cm_xquery *terms[16];
    size_t n = 0, i = 0, j;

    (void)count;
    if (c->n == c->cap) /* bounded: a few expansions are plenty */
        return 1;
    while (i < len && n < 16 && c->st == CM_OK) {
        for (j = i; j < len && s[j] != ' '; j++)
            ;
        if (j > i && j - i <= CM_TOK_MAX_TERM) {
            c->st = cm_xquery_term(s + i, j - i, 1, (unsigned)n + 1,
                                   &terms[n]);
            if (c->st == CM_OK) {
                n++;
                /* Short words (of, for, the) would light up everywhere;
                 * an acronym alone is highlighted. */
                if (j - i > 3 || (i == 0 && j == len))
                    c->st = cm_qi_add_hl(c->p, CM_HL_TERM, s + i, j - i, NULL);
            }
        }
        i = j + 1;
    }
    if (n > 1)
        c->p->positional = 1;
    if (c->st == CM_OK && n > 0)
        c->st = cm_xquery_combine(n == 1 ? CM_XQ_OR : CM_XQ_PHRASE, terms, n,
                                  0, &c->qs[c->n]);
    if (c->st == CM_OK && n > 0)
        c->n++;
    cm_qi_free_all(terms, n);
    return c->st != CM_OK;
}

cm_status
cm_qi_synonyms(cm_qi_parser *p, const char *key, cm_xquery **out)
{
    cm_xquery *qs[8];
    syn_ctx c;
    cm_status st;

    *out = NULL;
    if (p->opts->db == NULL || key[0] == '\0')
        return CM_OK;
    memset(&c, 0, sizeof c);
    c.qs = qs;
    c.cap = sizeof qs / sizeof qs[0];
    c.p = p;
    st = cm_db_synonyms(p->opts->db, key, syn_one, &c);
    if (st == CM_OK)
        st = c.st;
    if (st == CM_OK && c.n > 0)
        st = cm_xquery_combine(CM_XQ_OR, qs, c.n, 0, out);
    cm_qi_free_all(qs, c.n);
    return st;
}

/* Analyze text[start..end) into its query: a word (outside quotes: with
 * its stems); a phrase for several words.  Each hyphenated compound is
 * also tried as its joined word (co-development OR codevelopment), so a
 * phrase written either way finds both spellings.  A word or phrase that
 * is an acronym or an acronym's expansion in the index also matches the
 * other form. */
cm_status
cm_qi_words(cm_qi_parser *p, size_t start, size_t end, cm_qi_mode mode,
          unsigned slop, unsigned *n_pos, cm_xquery **out)
{
    cm_xquery *alts[1u << MAX_JOINED] = {NULL}, **seq = NULL, *q = NULL;
    cm_xquery *syn = NULL;
    qtok *toks = NULL;
    char key[CM_DB_MAX_TERM + 1] = "";
    size_t n = 0, i, n_alts = 0, key_len = 0;
    unsigned compounds = 0, mask;
    cm_status st;

    *out = NULL;
    if (n_pos)
        *n_pos = 0;
    st = collect(p, start, end, mode, &toks, &n, key, sizeof key, &key_len);
    if (st != CM_OK || n == 0)
        goto out;
    for (i = 0; i < n; i++)
        compounds += toks[i].alt != 0;
    if (n_pos)
        *n_pos = (unsigned)(n - compounds);
    if (n - compounds >= 2)
        p->positional = 1;
    if (compounds > MAX_JOINED)
        compounds = MAX_JOINED;
    seq = malloc(n * sizeof *seq);
    if (seq == NULL) {
        st = CM_ENOMEM;
        goto out;
    }
    for (mask = 0; st == CM_OK && mask < 1u << compounds; mask++) {
        st = alternative(toks, n, mask, slop, seq, &alts[n_alts]);
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
    if (st == CM_OK && mode != CMQ_POS && key_len != (size_t)-1 &&
        !p->in_field)
        st = cm_qi_synonyms(p, key, &syn);
    if (st == CM_OK)
        st = cm_qi_join(CM_XQ_OR, q, syn, out);
    else
        cm_xquery_free(q);
out:
    cm_qi_free_all(alts, n_alts);
    free(seq);
    free_toks(toks, n);
    return st;
}
