/* cm_query_words.c: query words through the analyzer.
 *
 * An unquoted word becomes SYNONYM(exact term, its stem in each language,
 * each stem restricted to the paragraphs of its language); a hyphenated
 * compound is tried as the phrase of its parts and as its joined form; a
 * quoted phrase is exact.  With an index at hand, acronyms and their
 * expansions learnt by cmindex are tried too.
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

/* Grow *arr (of elements of size sz) to hold one more. */
static cm_status
grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    void *na;
    size_t ncap;
    if (n < *cap)
        return CM_OK;
    ncap = *cap ? *cap * 2 : 8;
    na = realloc(*arr, ncap * sz);
    if (na == NULL)
        return CM_ENOMEM;
    *arr = na;
    *cap = ncap;
    return CM_OK;
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
    if (grow((void **)&p->hl, &p->cap_hl, p->n_hl, sizeof *p->hl) != CM_OK)
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

    if (grow((void **)&p->words, &p->cap_words, p->n_words,
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
#define MAX_LANGS CMQ_MAX_LANGS

/* A token of the analysed text: its exact term query, and for a word
 * outside quotes the wider query (the term or its stems). */
typedef struct qtok {
    cm_xquery *exact, *wide;
    size_t end;  /* byte end of the token in the analysed text */
    int alt;     /* CM_TOK_ALT: a joined compound */
    size_t span; /* for an alt: how many positions it stands for */
} qtok;

/* Stems of one word grouped by value, with the languages giving each
 * (for highlighting). */
typedef struct stem_group {
    char term[CM_DB_MAX_TERM + 1]; /* the stem */
    size_t len;
    size_t langs[MAX_LANGS]; /* indexes for cm_tok_stem_lang() */
    size_t n_langs;
} stem_group;

/* Fill p->lang_docs (once): the paragraphs of each of the n_langs stemmer
 * languages in the index, from its L terms; those of codes that share a
 * stemmer (nb, nn) also count for its first code (no), the one that names
 * the stem terms.  Each code is looked up: cmindex writes only the codes
 * its model gives (two or three lower-case letters, cm_doc.c), and walking
 * the L terms instead read every chunk of their postlists (170 blocks of
 * the treaties' index, for each query). */
static void
read_langs(cm_qi_parser *p, size_t n_langs)
{
    char term[16];
    const char *code, *canon, *only;
    unsigned freq;
    size_t i, j, len;

    if (p->langs_read)
        return;
    p->langs_read = 1;
    if (n_langs > MAX_LANGS)
        n_langs = MAX_LANGS;
    memset(p->lang_docs, 0, sizeof p->lang_docs);
    only = p->only_lang[0] != '\0' ? cm_tok_stem_code(p->only_lang) : NULL;
    for (i = 0; i < n_langs; i++) {
        code = cm_tok_stem_lang(i);
        /* Under a lang: filter, the other stemmers' terms are on
         * paragraphs the filter leaves out (a language without a stemmer:
         * none left), so their languages need no lookup. */
        if (p->only_lang[0] != '\0' && cm_tok_stem_code(code) != only)
            continue;
        len = strlen(CM_PFX_LANG) + strlen(code);
        freq = 1; /* no index, or it cannot say: assume the language */
        if (p->opts->db != NULL && len < sizeof term) {
            snprintf(term, sizeof term, "%s%s", CM_PFX_LANG, code);
            if (cm_db_term_freq(p->opts->db, term, len, &freq) != CM_OK)
                freq = 1;
        }
        p->lang_docs[i] = freq;
    }
    for (i = 0; i < n_langs; i++) {
        canon = cm_tok_stem_code(cm_tok_stem_lang(i));
        for (j = 0; j < n_langs && cm_tok_stem_lang(j) != canon; j++)
            ;
        if (j < n_langs && j != i)
            p->lang_docs[j] += p->lang_docs[i];
    }
}

/* Highlight the stem of g in paragraphs of its languages (all when it
 * holds in all n_langs). */
static cm_status
stem_highlight(cm_qi_parser *p, const stem_group *g, size_t n_langs)
{
    char langs[MAX_LANGS * 4 + 1];
    size_t i, n = 0;

    if (g->n_langs == n_langs)
        return cm_qi_add_hl(p, CM_HL_STEM, g->term, g->len, NULL);
    langs[0] = '\0';
    for (i = 0; i < g->n_langs; i++) {
        const char *code = cm_tok_stem_lang(g->langs[i]);
        size_t cl = strlen(code);
        if (n + cl + 2 > sizeof langs)
            break;
        if (n > 0)
            langs[n++] = ' ';
        memcpy(langs + n, code, cl + 1);
        n += cl;
    }
    return cm_qi_add_hl(p, CM_HL_STEM, g->term, g->len, langs);
}

/* OR(exact scaled by CMQ_W_EXACT, SYNONYM of the n others). */
static cm_status
exact_or_stems(const cm_xquery *exact, cm_xquery **stems, size_t n,
               cm_xquery **out)
{
    cm_xquery *pair[2] = {NULL, NULL};
    cm_status st = cm_xquery_scale_weight(exact, CMQ_W_EXACT, &pair[0]);

    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_SYNONYM, stems, n, 0, &pair[1]);
    if (st == CM_OK)
        st = cm_xquery_combine(CM_XQ_OR, pair, 2, 0, out);
    cm_qi_free_all(pair, 2);
    return st;
}

/* The stems of a word that are words too, each its own stem ("right" for
 * "rights"): they have no stem term (cm_schema.h), so the query looks for
 * them as words. */
typedef struct form {
    char *w;
    size_t len;
    unsigned long long langs; /* bit i: the stem in cm_tok_stem_lang(i) */
} form;

typedef struct forms {
    form *f;
    size_t n, cap;
    cm_status st;
} forms;

static void
forms_free(forms *fs)
{
    size_t i;
    for (i = 0; i < fs->n; i++)
        free(fs->f[i].w);
    free(fs->f);
}

/* Add s[0..len), the stem in language lang (cm_tok_stem_lang()). */
static void
add_form(forms *fs, const char *s, size_t len, size_t lang)
{
    size_t i;

    for (i = 0; i < fs->n; i++)
        if (fs->f[i].len == len && memcmp(fs->f[i].w, s, len) == 0)
            break;
    if (i == fs->n) {
        if (grow((void **)&fs->f, &fs->cap, fs->n, sizeof *fs->f) != CM_OK ||
            (fs->f[i].w = cm_strndup(s, len)) == NULL) {
            fs->st = CM_ENOMEM;
            return;
        }
        fs->f[i].len = len;
        fs->f[i].langs = 0;
        fs->n++;
    }
    fs->f[i].langs |= 1ULL << lang;
}

/* The index of code among the stemmer languages (n_langs), or n_langs. */
static size_t
stem_lang_index(const char *code, size_t len, size_t n_langs)
{
    size_t i;
    for (i = 0; i < n_langs; i++) {
        const char *c = cm_tok_stem_lang(i);
        if (strlen(c) == len && memcmp(c, code, len) == 0)
            break;
    }
    return i;
}

/* The codes of the paragraphs that hold a form where it is not the stem
 * (Z:<word>, cm_schema.h). */
typedef struct excl {
    const form *f;
    size_t n_langs;
    char codes[MAX_LANGS][8];
    size_t n;
    int no_lang; /* it is in paragraphs of no language */
    int found;   /* it is in the index */
    unsigned long long held; /* bit i: it is in paragraphs of
                                cm_tok_stem_lang(i), where it is the stem */
} excl;

static int
add_excl(void *vctx, const char *s, size_t len, unsigned count)
{
    excl *e = vctx;
    size_t i;

    (void)count;
    e->found = 1;
    if (len == strlen(CM_SYN_NO_LANG) && memcmp(s, CM_SYN_NO_LANG, len) == 0) {
        e->no_lang = 1;
        return 0;
    }
    i = stem_lang_index(s, len, e->n_langs);
    if (i < e->n_langs && i < 64) {
        /* Norwegian's codes (nb, nn) share the first one's stemmer. */
        const char *canon = cm_tok_stem_code(cm_tok_stem_lang(i));
        size_t k = stem_lang_index(canon, strlen(canon), e->n_langs);
        if (k < 64 && (e->f->langs >> k & 1)) {
            e->held |= 1ULL << i;
            return 0; /* the word's stem there too */
        }
    }
    if (e->n < MAX_LANGS && len < sizeof e->codes[0]) {
        memcpy(e->codes[e->n], s, len);
        e->codes[e->n][len] = '\0';
        e->n++;
    }
    return 0;
}

/* The L terms OR'ed: of the codes of e that the form is found in where
 * it is not the stem (keep), or else of the languages of mask (bit i:
 * cm_tok_stem_lang(i)). */
static cm_status
lang_terms(const excl *e, unsigned long long mask, size_t n_langs,
           cm_xquery **out)
{
    cm_xquery *ls[MAX_LANGS];
    char term[16];
    size_t i, n = 0;
    cm_status st = CM_OK;

    for (i = 0; st == CM_OK && i < (e ? e->n : n_langs) && n < MAX_LANGS;
         i++) {
        const char *code = e ? e->codes[i] : cm_tok_stem_lang(i);
        if (e == NULL && (i >= 64 || !(mask >> i & 1)))
            continue;
        snprintf(term, sizeof term, "%s%s", CM_PFX_LANG, code);
        st = cm_xquery_term(term, strlen(term), 1, 0, &ls[n]);
        if (st == CM_OK)
            n++;
    }
    if (st == CM_OK && n > 0)
        st = cm_xquery_combine(CM_XQ_OR, ls, n, 0, out);
    cm_qi_free_all(ls, n);
    return st;
}

/* The languages (bit i: cm_tok_stem_lang(i)) whose stemmer gives f. */
static unsigned long long
stem_langs(const form *f, size_t n_langs)
{
    unsigned long long m = 0;
    size_t i;

    for (i = 0; i < n_langs && i < 64; i++) {
        const char *canon = cm_tok_stem_code(cm_tok_stem_lang(i));
        size_t k = stem_lang_index(canon, strlen(canon), n_langs);
        if (k < 64 && (f->langs >> k & 1))
            m |= 1ULL << i;
    }
    return m;
}

/* The paragraphs of language code in the index (p->lang_docs for a
 * stemmer's language, else its L term's frequency). */
static unsigned long long
code_docs(cm_qi_parser *p, const char *code, size_t n_langs)
{
    size_t i = stem_lang_index(code, strlen(code), n_langs);
    char term[16];
    unsigned freq = 0;

    if (i < n_langs && i < MAX_LANGS)
        return p->lang_docs[i];
    snprintf(term, sizeof term, "%s%s", CM_PFX_LANG, code);
    if (cm_db_term_freq(p->opts->db, term, strlen(term), &freq) != CM_OK)
        freq = 0;
    return freq;
}

/* The query of f, a stem of the word that is a word too ("right" for
 * "rights"), found by its term where it is its own stem (cm_schema.h):
 * its term, without the paragraphs that hold it only in words that are
 * not (Z!<term>), and kept to the languages where it is that stem when it
 * is found in others; *out NULL when it is in no paragraph.  The Italian
 * stem of "dati", "dat", is a Dutch word: kept to Italian paragraphs.
 * Xapian walks the language terms alongside the word's, so of "FILTER its
 * languages" and "AND_NOT the others where it is found" the one with
 * fewer paragraphs is taken ("dat": FILTER Lit, not AND_NOT Lnl).  Under a
 * lang: filter (only_lang) the paragraphs are all in the language the stem
 * is of. */
static cm_status
form_query(cm_qi_parser *p, const form *f, size_t n_langs, cm_xquery **out)
{
    char key[CM_DB_MAX_TERM + 1];
    excl e;
    cm_xquery *q = NULL, *pair[2] = {NULL, NULL};
    unsigned long long in = 0, out_docs = 0, keep;
    unsigned marked = 0;
    size_t i, n;
    cm_status st;

    *out = NULL;
    memset(&e, 0, sizeof e);
    e.f = f;
    e.n_langs = n_langs;
    cm_schema_term(key, sizeof key, CM_SYN_LANGS, f->w, f->len);
    st = cm_db_synonyms(p->opts->db, key, add_excl, &e);
    if (st == CM_OK && !e.found) {
        /* Not in the table: in no paragraph, or a database that does not
         * serve Xapian's synonym table (the remote backend answers none):
         * the word's languages unknown, kept to the stem's. */
        unsigned freq = 0;
        st = cm_db_term_freq(p->opts->db, f->w, f->len, &freq);
        if (st != CM_OK || freq == 0)
            return st;
    }
    if (st != CM_OK)
        return st;
    st = cm_xquery_term(f->w, f->len, 1, 0, &q);
    n = cm_schema_term(key, sizeof key, CM_PFX_NOT_OWN, f->w, f->len);
    if (st == CM_OK &&
        cm_db_term_freq(p->opts->db, key, n, &marked) == CM_OK && marked) {
        pair[0] = q;
        q = NULL;
        st = cm_xquery_term(key, n, 1, 0, &pair[1]);
        if (st == CM_OK)
            st = cm_xquery_combine(CM_XQ_AND_NOT, pair, 2, 0, &q);
        cm_qi_free_all(pair, 2);
        pair[0] = pair[1] = NULL;
    }
    if (st != CM_OK || p->only_lang[0] != '\0' ||
        (e.found && e.n == 0 && !e.no_lang)) {
        *out = q;
        return st;
    }
    /* To keep: the languages it is found in where it is the stem, or
     * where its languages are unknown, all those where it is the stem.
     * Found in none of them: no paragraph to find. */
    keep = e.found ? e.held : stem_langs(f, n_langs);
    if (keep == 0) {
        cm_xquery_free(q);
        return CM_OK;
    }
    for (i = 0; i < n_langs && i < 64 && i < MAX_LANGS; i++)
        if (keep >> i & 1)
            in += p->lang_docs[i];
    for (i = 0; i < e.n; i++)
        out_docs += code_docs(p, e.codes[i], n_langs);
    pair[0] = q;
    if (e.no_lang || !e.found || in <= out_docs) {
        /* Paragraphs of no language have no L term to leave out (nor
         * have those of unknown languages). */
        st = lang_terms(NULL, keep, n_langs, &pair[1]);
        if (st == CM_OK && pair[1] != NULL)
            st = cm_xquery_combine(CM_XQ_FILTER, pair, 2, 0, out);
    } else {
        st = lang_terms(&e, 0, n_langs, &pair[1]);
        if (st == CM_OK && pair[1] != NULL)
            st = cm_xquery_combine(CM_XQ_AND_NOT, pair, 2, 0, out);
    }
    if (st == CM_OK && *out == NULL) {
        *out = pair[0];
        pair[0] = NULL;
    }
    cm_qi_free_all(pair, 2);
    return st;
}

/* The wide query of the word tok (current on p->tok): SYNONYM of its term,
 * its stem by each stemmer of a language the index has (a stem term names
 * its stemmer, Z<code>:<stem>, written only for paragraphs of that
 * language, so a French stem never matches an English word that shares
 * its letters), and each of these stems that is a word as well, which has
 * no stem term (cm_schema.h), kept to its languages (form_query()).  The
 * query's language is not known, so all are tried.  Highlights group
 * equal stems with the languages giving them.  *out NULL when the word has
 * no stem.
 *
 * For a word of the ranking boosts (boost_at >= 0: typed, not excluded),
 * the query is instead OR(its term scaled by CMQ_W_EXACT, SYNONYM of the
 * rest): the same paragraphs, the form typed above the other forms of the
 * word, and one walk of the term's postlist instead of two (the SYNONYM's
 * and the exact-form boost's, which then leaves it out): a tenth of a
 * query of several words. */
static cm_status
stem_query(cm_qi_parser *p, const cm_token *tok, cm_xquery *exact,
           int boost_at, cm_xquery **out)
{
    stem_group *g = NULL;
    cm_xquery **subs = NULL;
    forms fs;
    size_t n_g = 0, i, k, len, n = 1, n_langs;
    const char *stem, *code;
    char zpfx[16];
    cm_status st = CM_OK;

    *out = NULL;
    memset(&fs, 0, sizeof fs);
    if (!(tok->flags & CM_TOK_WORD))
        return CM_OK;
    for (n_langs = 0; cm_tok_stem_lang(n_langs) != NULL; n_langs++)
        ;
    g = calloc(n_langs, sizeof *g);
    subs = calloc(2 * n_langs + 1, sizeof *subs);
    if (g == NULL || subs == NULL) {
        st = CM_ENOMEM;
        goto out;
    }
    read_langs(p, n_langs);
    subs[0] = exact;
    for (i = 0; st == CM_OK && i < n_langs; i++) {
        char term[CM_DB_MAX_TERM + 1];
        code = cm_tok_stem_lang(i);
        /* A language the index does not have: no paragraph to match or
         * highlight.  A stemmer blind to the word's script gives the word
         * itself, and its stem term finds nothing the exact term does
         * not. */
        if ((i < MAX_LANGS && p->lang_docs[i] == 0) ||
            !cm_tok_stem_reads(code, tok->term, tok->term_len))
            continue;
        st = cm_tok_stem(p->tok, tok, code, &stem, &len);
        if (st != CM_OK || stem == NULL)
            continue;
        /* For highlighting: equal stems together. */
        for (k = 0; k < n_g; k++)
            if (g[k].len == len && memcmp(g[k].term, stem, len) == 0)
                break;
        if (k == n_g && len < sizeof g[k].term) {
            memcpy(g[k].term, stem, len);
            g[k].term[len] = '\0';
            g[k].len = len;
            n_g++;
        }
        if (k < n_g && g[k].n_langs < MAX_LANGS)
            g[k].langs[g[k].n_langs++] = i;
        /* For matching: one term per stemmer the index has (no, nb and nn
         * share one, named by no), and the stem as a word. */
        if (cm_tok_stem_code(code) != code || i >= MAX_LANGS || i >= 64 ||
            p->lang_docs[i] == 0)
            continue;
        cm_schema_stem_prefix(zpfx, code);
        st = cm_xquery_term(term, cm_schema_term(term, sizeof term, zpfx, stem,
                                                 len),
                            1, 0, &subs[n]);
        if (st == CM_OK)
            n++;
        /* The stem as a word, where a word with that term is its own
         * stem (cm_schema.h): "right" for "rights". */
        if (st == CM_OK && p->opts->db != NULL &&
            (len != tok->term_len || memcmp(stem, tok->term, len) != 0)) {
            const char *s2;
            size_t len2;
            char copy[CM_DB_MAX_TERM + 1];
            if (len >= sizeof copy)
                continue;
            memcpy(copy, stem, len);
            st = cm_tok_stem_term(p->tok, code, copy, len, &s2, &len2);
            if (st == CM_OK && s2 != NULL && len2 == len &&
                memcmp(s2, copy, len) == 0) {
                add_form(&fs, copy, len, i);
                st = fs.st;
            }
        }
    }
    for (k = 0; st == CM_OK && k < n_g; k++)
        st = stem_highlight(p, &g[k], n_langs);
    for (k = 0; st == CM_OK && k < fs.n; k++) {
        st = form_query(p, &fs.f[k], n_langs, &subs[n]);
        if (st == CM_OK && subs[n] != NULL)
            n++;
    }
    if (st == CM_OK && n > 1 && boost_at >= 0) {
        st = exact_or_stems(exact, subs + 1, n - 1, out);
        p->boost_in_word[boost_at] = st == CM_OK;
    } else if (st == CM_OK && n > 1) {
        st = cm_xquery_combine(CM_XQ_SYNONYM, subs, n, 0, out);
    }
    cm_qi_free_all(subs + 1, n - 1);
out:
    forms_free(&fs);
    free(subs);
    free(g);
    return st;
}

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
    cm_status st = cm_qi_add_hl(p, CM_HL_TERM, t->term, t->term_len, NULL);
    int corr;

    *boost_at = -1;
    if (st != CM_OK || (t->flags & CM_TOK_ALT))
        return st;
    corr = mode == CMQ_WIDE && !p->negated && !p->in_field &&
           (t->flags & CM_TOK_WORD) &&
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
            st = stem_query(p, t, q->exact, boost_at, &q->wide);
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
