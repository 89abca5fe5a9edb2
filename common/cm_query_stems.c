/* cm_query_stems.c: the stems of a query word.
 *
 * An unquoted word also finds the other forms of it in each language the
 * index has: its stem terms (Z<code>:<stem>), and its stems that are words
 * themselves, which have no stem term (cm_schema.h, "Stems"), kept to the
 * paragraphs where they are that stem.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_query_int.h"
#include "cm_schema.h"
#include "cm_util.h"

#define MAX_LANGS CMQ_MAX_LANGS

/* Stems of one word grouped by value, with the languages giving each
 * (for highlighting). */
typedef struct stem_group {
    char term[CM_DB_MAX_TERM + 1]; /* the stem */
    size_t len;
    size_t langs[MAX_LANGS]; /* indexes for cm_tok_stem_lang() */
    size_t n_langs;
} stem_group;

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

/* The index of the code that names the stemmer of cm_tok_stem_lang(i):
 * i itself, but for Norwegian's nb and nn, no's. */
static size_t
canon_index(size_t i, size_t n_langs)
{
    const char *canon = cm_tok_stem_code(cm_tok_stem_lang(i));
    return stem_lang_index(canon, strlen(canon), n_langs);
}

/* The language term of code (L<code>, as cm_fields.c writes it) in
 * term[CM_DB_MAX_TERM + 1]; its length. */
static size_t
lang_term(char *term, const char *code)
{
    return cm_schema_term(term, CM_DB_MAX_TERM + 1, CM_PFX_LANG, code,
                          strlen(code));
}

/* The count of code in stamp, the languages' paragraph counts that
 * cmindex keeps (CM_META_LANGS: "ar=0 hy=0 ... en=2153 ..."): 1 and *freq
 * set when it has the code. */
static int
stamped_count(const char *stamp, const char *code, unsigned *freq)
{
    size_t len = strlen(code);
    const char *s;
    char *end;
    unsigned long v;

    for (s = stamp; s != NULL && *s != '\0'; s = strchr(s, ' ')) {
        if (*s == ' ')
            s++;
        if (strncmp(s, code, len) == 0 && s[len] == '=') {
            v = strtoul(s + len + 1, &end, 10);
            if (end == s + len + 1 || (*end != ' ' && *end != '\0') ||
                v > UINT_MAX)
                return 0;
            *freq = (unsigned)v;
            return 1;
        }
    }
    return 0;
}

/* Fill p->lang_docs (once): the paragraphs of each of the n_langs stemmer
 * languages in the index, from the counts cmindex stamped for its last
 * commit, or else from its L terms; those of codes that share a stemmer
 * (nb, nn) also count for its first code (no), the one that names the
 * stem terms.  Each code is looked up: cmindex writes only the codes its
 * model gives (two or three lower-case letters, cm_doc.c), and walking
 * the L terms instead read every chunk of their postlists (170 blocks of
 * the treaties' index, for each query).  The stamp saves a fresh process
 * the thirty lookups (55 us of a search of 3 ms). */
static void
read_langs(cm_qi_parser *p, size_t n_langs)
{
    char term[CM_DB_MAX_TERM + 1], *stamp = NULL;
    const char *code, *only;
    unsigned freq;
    size_t i, j, len, slen = 0;

    if (p->langs_read)
        return;
    p->langs_read = 1;
    if (n_langs > MAX_LANGS)
        n_langs = MAX_LANGS;
    memset(p->lang_docs, 0, sizeof p->lang_docs);
    only = p->only_lang[0] != '\0' ? cm_tok_stem_code(p->only_lang) : NULL;
    if (p->opts->db != NULL &&
        cm_db_get_stamped(p->opts->db, CM_META_LANGS, &stamp, &slen) != CM_OK)
        stamp = NULL; /* none given on failure */
    for (i = 0; i < n_langs; i++) {
        code = cm_tok_stem_lang(i);
        /* Under a lang: filter, the other stemmers' terms are on
         * paragraphs the filter leaves out (a language without a stemmer:
         * none left), so their languages need no lookup. */
        if (p->only_lang[0] != '\0' && cm_tok_stem_code(code) != only)
            continue;
        freq = 1; /* no index, or it cannot say: assume the language */
        if (p->opts->db != NULL && !stamped_count(stamp, code, &freq)) {
            len = lang_term(term, code);
            if (cm_db_term_freq(p->opts->db, term, len, &freq) != CM_OK)
                freq = 1;
        }
        p->lang_docs[i] = freq;
    }
    free(stamp);
    for (i = 0; i < n_langs; i++) {
        j = canon_index(i, n_langs);
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

/* OR(exact scaled by CMQ_W_EXACT, SYNONYM of the n others, or syn when
 * it is given). */
static cm_status
exact_or_stems(const cm_xquery *exact, cm_xquery **stems, size_t n,
               const cm_xquery *syn, cm_xquery **out)
{
    cm_xquery *pair[2] = {NULL, NULL};
    cm_status st = cm_xquery_scale_weight(exact, CMQ_W_EXACT, &pair[0]);

    if (st == CM_OK && syn != NULL)
        st = cm_xquery_copy(syn, &pair[1]);
    else if (st == CM_OK)
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
        if (cm_grow((void **)&fs->f, &fs->cap, fs->n, sizeof *fs->f) != CM_OK ||
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

/* The codes of the paragraphs that hold a form where it is not the stem
 * (Z:<word>, cm_schema.h). */
typedef struct excl {
    const form *f;
    size_t n_langs;
    char codes[MAX_LANGS][8];
    size_t n;
    int no_lang; /* it is in paragraphs of no language */
    int found;   /* it is in the index */
    int lost;    /* a code not kept in codes (too many, too long) */
    unsigned long long held; /* bit i: it is in paragraphs of
                                cm_tok_stem_lang(i), where it is the stem */
} excl;

/* The language filter form_query() puts on a form, for
 * cm_qi_stem_query() to put on the word's stems as a whole instead
 * (hoist()). */
typedef struct {
    int kind;                /* 0: none; 1: kept to keep; 2: not in codes */
    unsigned long long keep; /* bit i: cm_tok_stem_lang(i) */
    char codes[MAX_LANGS][8]; /* where it is found and is not the stem */
    size_t n;
    int codes_say; /* not in codes is the same as kept to keep */
    cm_xquery *bare; /* the form without its filter */
} form_filter;

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
        size_t k = canon_index(i, e->n_langs);
        if (k < 64 && (e->f->langs >> k & 1)) {
            e->held |= 1ULL << i;
            return 0; /* the word's stem there too */
        }
    }
    if (e->n < MAX_LANGS && len < sizeof e->codes[0]) {
        memcpy(e->codes[e->n], s, len);
        e->codes[e->n][len] = '\0';
        e->n++;
    } else
        e->lost = 1;
    return 0;
}

/* The L terms OR'ed: of the codes of e that the form is found in where
 * it is not the stem (keep), or else of the languages of mask (bit i:
 * cm_tok_stem_lang(i)).  Always the terms, never the languages' runs that
 * lang: reads (cm_query.c, lang_runs()): these are inside the word's
 * SYNONYM, whose weight Xapian estimates from the statistics of every
 * term under it, which a PostingSource does not give. */
static cm_status
lang_terms(const excl *e, unsigned long long mask, size_t n_langs,
           cm_xquery **out)
{
    cm_xquery *ls[MAX_LANGS];
    char term[CM_DB_MAX_TERM + 1];
    size_t i, n = 0;
    cm_status st = CM_OK;

    for (i = 0; st == CM_OK && i < (e ? e->n : n_langs) && n < MAX_LANGS;
         i++) {
        const char *code = e ? e->codes[i] : cm_tok_stem_lang(i);
        if (e == NULL && (i >= 64 || !(mask >> i & 1)))
            continue;
        st = cm_xquery_term(term, lang_term(term, code), 1, 0, &ls[n]);
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
        size_t k = canon_index(i, n_langs);
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
    char term[CM_DB_MAX_TERM + 1];
    unsigned freq = 0;

    if (i < n_langs && i < MAX_LANGS)
        return p->lang_docs[i];
    if (cm_db_term_freq(p->opts->db, term, lang_term(term, code), &freq) !=
        CM_OK)
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
form_query(cm_qi_parser *p, const form *f, size_t n_langs, cm_xquery **out,
           form_filter *ff)
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
        if (st == CM_OK && pair[1] != NULL && ff != NULL) {
            ff->kind = 1;
            ff->keep = keep;
            ff->codes_say = e.found && !e.no_lang && !e.lost;
            ff->n = e.n;
            memcpy(ff->codes, e.codes, sizeof ff->codes);
        }
    } else {
        st = lang_terms(&e, 0, n_langs, &pair[1]);
        if (st == CM_OK && pair[1] != NULL)
            st = cm_xquery_combine(CM_XQ_AND_NOT, pair, 2, 0, out);
        if (st == CM_OK && pair[1] != NULL && ff != NULL) {
            ff->kind = 2;
            ff->codes_say = !e.lost;
            ff->n = e.n;
            memcpy(ff->codes, e.codes, sizeof ff->codes);
        }
    }
    if (st == CM_OK && ff != NULL && ff->kind != 0 &&
        cm_xquery_copy(pair[0], &ff->bare) != CM_OK)
        ff->kind = 0; /* the filter stays on the form */
    if (st == CM_OK && *out == NULL) {
        *out = pair[0];
        pair[0] = NULL;
    }
    cm_qi_free_all(pair, 2);
    return st;
}

/* The query of a stem term (len bytes) in *out, or NULL when the index
 * does not have the term (*pruned set then): Xapian opens a postlist for
 * each term of a query, found or not, and a word's stems in the ten or so
 * languages of an index are mostly absent ("human": Zen:human, Znl:human
 * and Zfr:human of ten).  A lookup costs less than the postlist (a tenth
 * of a query of two words in-process; as a process, 50 of its 370 page
 * faults were for the absent terms' cursors). */
static cm_status
stem_term(cm_qi_parser *p, const char *term, size_t len, cm_xquery **out,
          int *pruned)
{
    unsigned freq = 1;
    cm_status st = CM_OK;

    *out = NULL;
    if (p->opts->db != NULL)
        st = cm_db_term_freq(p->opts->db, term, len, &freq);
    if (st != CM_OK)
        return st;
    if (freq == 0) {
        *pruned = 1;
        return CM_OK;
    }
    return cm_xquery_term(term, len, 1, 0, out);
}

/* The language filter of a word's one form (ff), put on the SYNONYM of
 * the word's stems (n, the form's bare in place of it) rather than on the
 * form alone, as a filter of runs: the same paragraphs when every stem
 * term is of a language the filter keeps (zmask: bit i,
 * cm_tok_stem_lang(i), for the stem terms' languages), since a stem term
 * is only in paragraphs of its language.  A form kept to its languages is
 * as well one kept out of those where it is found and is not the stem,
 * when it is in no paragraph of no language (form_query()): that filter
 * moves when the one keeping it cannot ("taxes": Zen:tax, Zfr:tax and the
 * word tax kept to English, which moves as "not Dutch").  Xapian finds
 * whether a paragraph is in the runs by a binary search where it decoded
 * the L terms' postings up to it (a SYNONYM cannot hold the runs' source,
 * whose statistics Xapian cannot estimate its weight from, cm_query.c).
 * "(6 * fishing OR (Zen:fish SYNONYM (fish FILTER Len)))" becomes "(6 *
 * fishing OR ((Zen:fish SYNONYM fish) FILTER runs of en))".  *syn NULL
 * when the filter cannot move (a stem term of a language it leaves out, a
 * language without stamped runs). */
static cm_status
hoist(cm_qi_parser *p, const form_filter *ff, unsigned long long zmask,
      size_t n_langs, cm_xquery **stems, size_t n, cm_xquery **syn)
{
    const char *codes[MAX_LANGS];
    cm_xquery *pair[2] = {NULL, NULL};
    size_t i, j, nc = 0;
    int kind = 1;
    cm_status st;

    *syn = NULL;
    if (ff->kind == 1 && (zmask & ~ff->keep) == 0) {
        for (i = 0; i < n_langs && i < 64 && i < MAX_LANGS; i++)
            if ((ff->keep >> i & 1) && p->lang_docs[i] > 0)
                codes[nc++] = cm_tok_stem_lang(i);
    } else if (!ff->codes_say) {
        return CM_OK;
    } else {
        kind = 2;
        for (i = 0; i < ff->n && nc < MAX_LANGS; i++) {
            for (j = 0; j < n_langs && j < 64; j++)
                if ((zmask >> j & 1) &&
                    strcmp(cm_tok_stem_lang(j), ff->codes[i]) == 0)
                    return CM_OK; /* a stem term in a language left out */
            codes[nc++] = ff->codes[i];
        }
    }
    if (nc == 0)
        return CM_OK;
    st = cm_qi_lang_runs(p, codes, nc, "stems", &pair[1]);
    if (st != CM_OK || pair[1] == NULL)
        return st;
    st = cm_xquery_combine(CM_XQ_SYNONYM, stems, n, 0, &pair[0]);
    if (st == CM_OK)
        st = cm_xquery_combine(kind == 1 ? CM_XQ_FILTER : CM_XQ_AND_NOT,
                               pair, 2, 0, syn);
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
cm_status
cm_qi_stem_query(cm_qi_parser *p, const cm_token *tok, cm_xquery *exact,
                 int boost_at, cm_xquery **out)
{
    stem_group *g = NULL;
    cm_xquery **subs = NULL, *syn = NULL;
    forms fs;
    form_filter ff;
    size_t n_g = 0, i, k, len, n = 1, n_langs, zlen;
    unsigned long long zmask = 0; /* the stem terms' languages */
    size_t n_forms = 0, at_form = 0;
    int pruned = 0;
    const char *stem, *code;
    char zpfx[16];
    cm_status st = CM_OK;

    *out = NULL;
    memset(&fs, 0, sizeof fs);
    if (!(tok->flags & CM_TOK_WORD))
        return CM_OK;
    for (n_langs = 0; cm_tok_stem_lang(n_langs) != NULL; n_langs++)
        ;
    /* Not zeroed: a group is set when made (calloc cleared 20 KB a word). */
    g = malloc(n_langs * sizeof *g);
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
            g[k].n_langs = 0;
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
        zlen = cm_schema_term(term, sizeof term, zpfx, stem, len);
        st = stem_term(p, term, zlen, &subs[n], &pruned);
        if (st == CM_OK && subs[n] != NULL) {
            size_t j;
            for (j = 0; j < n_langs && j < 64; j++)
                if (cm_tok_stem_code(cm_tok_stem_lang(j)) == code)
                    zmask |= 1ULL << j; /* nb and nn for no */
            n++;
        }
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
    memset(&ff, 0, sizeof ff);
    for (k = 0; st == CM_OK && k < fs.n; k++) {
        form_filter one;
        memset(&one, 0, sizeof one);
        st = form_query(p, &fs.f[k], n_langs, &subs[n], &one);
        if (st == CM_OK && subs[n] != NULL) {
            n_forms++;
            at_form = n;
            cm_xquery_free(ff.bare);
            ff = one; /* the last form's, used when it is the only one */
            n++;
        } else
            cm_xquery_free(one.bare);
    }
    /* The filter of a word's one form may move onto its stems as a whole
     * (hoist()); of several forms, each keeps its own. */
    if (st == CM_OK && n_forms == 1 && ff.kind != 0 && boost_at >= 0) {
        cm_xquery *filtered = subs[at_form];
        subs[at_form] = ff.bare;
        st = hoist(p, &ff, zmask, n_langs, subs + 1, n - 1, &syn);
        subs[at_form] = filtered;
    }
    cm_xquery_free(ff.bare);
    if (st == CM_OK && n > 1 && boost_at >= 0) {
        st = exact_or_stems(exact, subs + 1, n - 1, syn, out);
        p->boost_in_word[boost_at] = st == CM_OK;
    } else if (st == CM_OK && pruned && boost_at >= 0) {
        /* Every stem term left out as absent: weighed as when they were
         * there, matching nothing. */
        st = cm_xquery_scale_weight(exact, CMQ_W_EXACT, out);
        p->boost_in_word[boost_at] = st == CM_OK;
    } else if (st == CM_OK && n > 1) {
        st = cm_xquery_combine(CM_XQ_SYNONYM, subs, n, 0, out);
    }
    cm_qi_free_all(subs + 1, n - 1);
    cm_xquery_free(syn);
out:
    forms_free(&fs);
    free(subs);
    free(g);
    return st;
}
