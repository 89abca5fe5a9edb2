/* cm_index_analyze.c: a file into Xapian documents, one per paragraph,
 * with no database involved: it runs on the analysis threads, and
 * cm_index_apply() (cm_index.c) writes what it made. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_acronym.h"
#include "cm_data.h"
#include "cm_db.h"
#include "cm_doc.h"
#include "cm_fields.h"
#include "cm_index.h"
#include "cm_index_int.h"
#include "cm_schema.h"
#include "cm_strset.h"
#include "cm_util.h"

#define DEFAULT_MAX_FILE_BYTES ((size_t)64 * 1024 * 1024)
/* Shorter words are not worth suggesting as spellings. */
#define MIN_SPELLING_BYTES 3

void
cm_analysis_free(cm_analysis *a)
{
    size_t i;
    if (a == NULL)
        return;
    for (i = 0; i < a->n_xdocs; i++)
        cm_xdoc_free(a->xdocs[i]);
    free(a->xdocs);
    cm_strset_free(a->words);
    cm_strset_free(a->synonyms);
    cm_strset_free(a->tf);
    cm_strset_free(a->not_own);
    free(a->canon);
    free(a->file_key);
    free(a->reason);
    free(a);
}

cm_file_outcome
cm_analysis_outcome(const cm_analysis *a)
{
    return a->outcome;
}

unsigned
cm_analysis_nparas(const cm_analysis *a)
{
    return a->state.nparas;
}

unsigned long long
cm_analysis_bytes(const cm_analysis *a)
{
    return a->bytes;
}

unsigned
cm_analysis_skipped(const cm_analysis *a)
{
    return a->skipped;
}

const char *
cm_analysis_reason(const cm_analysis *a)
{
    return a->reason ? a->reason : "";
}

/* The paragraph's language: the model's, else the one given for the run,
 * else "". */
static const char *
para_lang(const cm_index_opts *opts, const cm_para *p)
{
    return p->lang[0] ? p->lang : opts->lang ? opts->lang : "";
}

typedef struct wdf_ctx {
    cm_xdoc *xd;
    unsigned len, weight;
    cm_status st;
} wdf_ctx;

static int
add_wdf(void *vctx, const char *s, size_t n, unsigned tf)
{
    wdf_ctx *c = vctx;
    c->st = cm_xdoc_add_term(c->xd, s, n,
                             cm_schema_wdf(tf, c->len, c->weight));
    return c->st != CM_OK;
}

/* Add "key\tvalue" to set, the key prefix + key[0..key_len) cut as a term
 * is (cm_schema_term()). */
static cm_status
add_pair(cm_strset *set, const char *prefix, const char *key, size_t key_len,
         const char *value, size_t value_len)
{
    char pair[2 * CM_DB_MAX_TERM + 2];
    size_t n = cm_schema_term(pair, CM_DB_MAX_TERM + 1, prefix, key, key_len);

    if (value_len > CM_DB_MAX_TERM)
        return CM_OK; /* longer than any term: never looked up */
    pair[n++] = '\t';
    memcpy(pair + n, value, value_len);
    return cm_strset_add(set, pair, n + value_len);
}

/* What the word t (of a paragraph in the language of the stemmer code) is
 * to its stem, as the searcher can tell from its term alone
 * (cm_schema.h). */
typedef enum {
    STEM_OTHER,   /* not its stem: a stem term */
    STEM_OWN,     /* its own stem, and its term's stem is the term: no stem
                     term, the searcher finds the term */
    STEM_NOT_OWN  /* not its stem, but its term's stem is the term (an
                     accented word: Spanish "cooperación" stems to
                     "cooper", its term "cooperacion" to itself): a stem
                     term, and the paragraph is marked unless another
                     word has the term as its own stem */
} stem_kind;

static stem_kind
kind_of(cm_tok *tok, const char *code, const cm_token *t)
{
    const char *s;
    size_t n;
    int same = t->stem_len == t->term_len &&
               memcmp(t->stem, t->term, t->term_len) == 0;
    int term_own = cm_tok_stem_term(tok, code, t->term, t->term_len, &s,
                                    &n) == CM_OK &&
                   s != NULL && n == t->term_len &&
                   memcmp(s, t->term, n) == 0;

    if (!term_own)
        return STEM_OTHER;
    return same ? STEM_OWN : STEM_NOT_OWN;
}

typedef struct mark_ctx {
    cm_xdoc *xd;
    const cm_strset *tf;
    cm_status st;
} mark_ctx;

/* A term that is its own stem only in words that are not (all its
 * occurrences STEM_NOT_OWN): Z!<term>, for the searcher to leave the
 * paragraph out when it looks for the term as a stem. */
static int
add_mark(void *vctx, const char *s, size_t n, unsigned count)
{
    mark_ctx *c = vctx;
    char term[CM_DB_MAX_TERM + 1];

    if (cm_strset_count(c->tf, s, n) != count)
        return 0;
    c->st = cm_xdoc_add_boolean_term(
        c->xd, term,
        cm_schema_term(term, sizeof term, CM_PFX_NOT_OWN, s, n));
    return c->st != CM_OK;
}

/* The words of the paragraph text, with positions, and their stems where
 * a word is not its own stem (cm_schema.h); the wdfs at the end,
 * normalised for the paragraph's length and weighed up in a heading
 * (cm_schema_wdf()), from the counts in tf.  Each word of letters goes to
 * the table of the languages of the words (cm_schema.h). */
static cm_status
add_text(cm_xdoc *xd, cm_tok *tok, const cm_para *p, const char *lang,
         cm_analysis *an, char **errmsg)
{
    const cm_token *t;
    char term[CM_DB_MAX_TERM + 1];
    size_t n;
    const char *code = cm_tok_stem_code(*lang ? lang : NULL);
    const char *lcode = *lang ? lang : CM_SYN_NO_LANG;
    size_t lcode_len = strlen(lcode);
    char zpfx[16];
    wdf_ctx c = {xd, 0, 1, CM_OK};
    mark_ctx m = {xd, an->tf, CM_OK};
    stem_kind k;
    cm_status st;

    if (code != NULL)
        cm_schema_stem_prefix(zpfx, code);
    if (p->section == CM_SECT_HEADING)
        c.weight = CM_WDF_HEADING;
    cm_strset_clear(an->tf);
    cm_strset_clear(an->not_own);
    st = cm_tok_reset(tok, p->text, p->text_len, *lang ? lang : NULL);
    while (st == CM_OK) {
        st = cm_tok_next(tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        st = cm_xdoc_add_posting(xd, t->term, t->term_len, t->pos + 1, 0);
        if (st == CM_OK)
            st = cm_strset_add(an->tf, t->term, t->term_len);
        if (!(t->flags & CM_TOK_ALT))
            c.len++;
        /* Words of letters are what spelling suggestions may offer; never
         * numbers, parts of references, or pairs of characters of a
         * script without spaces or their characters (which have no stems
         * either). */
        if (t->flags & (CM_TOK_PAIR | CM_TOK_ONE))
            continue;
        if (st == CM_OK && (t->flags & CM_TOK_WORD) &&
            !(t->flags & CM_TOK_ALT) && t->term_len >= MIN_SPELLING_BYTES)
            st = cm_strset_add(an->words, t->term, t->term_len);
        if (st == CM_OK && (t->flags & CM_TOK_WORD))
            st = add_pair(an->synonyms, CM_SYN_LANGS, t->term, t->term_len,
                          lcode, lcode_len);
        if (st == CM_OK && t->stem != NULL && code != NULL &&
            (k = kind_of(tok, code, t)) != STEM_OWN) {
            n = cm_schema_term(term, sizeof term, zpfx, t->stem,
                               t->stem_len);
            st = cm_strset_add(an->tf, term, n);
            if (st == CM_OK && k == STEM_NOT_OWN)
                st = cm_strset_add(an->not_own, t->term, t->term_len);
        }
    }
    if (st == CM_OK && cm_strset_size(an->not_own) > 0) {
        st = cm_strset_each(an->not_own, add_mark, &m);
        if (st == CM_OK)
            st = m.st;
    }
    if (st == CM_OK) {
        st = cm_strset_each(an->tf, add_wdf, &c);
        if (st == CM_OK)
            st = c.st;
    }
    if (st != CM_OK && errmsg && *errmsg == NULL)
        *errmsg = strdup(*cm_xdoc_errmsg(xd) ? cm_xdoc_errmsg(xd)
                                             : cm_tok_errmsg(tok));
    an->skipped += cm_tok_skipped(tok);
    return st;
}

/* The document data: everything a hit shows (cm_data.h). */
static char *
para_data(const cm_doc *doc, const cm_para *p, const char *lang,
          size_t *len)
{
    cm_data d;

    memset(&d, 0, sizeof d);
    d.path = doc->path;
    d.para = p->ordinal;
    d.page = p->page;
    d.label = p->label;
    d.section = cm_section_name(p->section);
    d.heading = p->heading;
    d.lang = lang;
    d.doc = doc->number;
    d.title = doc->title;
    d.date = doc->date;
    d.type = doc->type;
    d.refs = (const char *const *)p->refs;
    d.n_refs = p->n_refs;
    d.text = p->text;
    d.text_len = p->text_len;
    return cm_data_make(&d, len);
}

/* The terms of text[0..len) joined by single spaces into buf, as the
 * analyzer makes them (alternative forms left out); 0 when there are none
 * or they do not fit. */
static size_t
joined_terms(cm_tok *tok, const char *text, size_t len, char *buf,
             size_t cap)
{
    const cm_token *t;
    size_t n = 0;

    if (cm_tok_reset(tok, text, len, NULL) != CM_OK)
        return 0;
    while (cm_tok_next(tok, &t) == CM_OK && t != NULL) {
        if (t->flags & CM_TOK_ALT)
            continue;
        if (n + (n > 0) + t->term_len + 1 > cap)
            return 0;
        if (n > 0)
            buf[n++] = ' ';
        memcpy(buf + n, t->term, t->term_len);
        n += t->term_len;
    }
    buf[n] = '\0';
    return n;
}

typedef struct acr_ctx {
    cm_tok *tok;
    cm_strset *synonyms;
    cm_status st;
} acr_ctx;

/* An acronym definition: the acronym's term and the expansion's terms are
 * synonyms both ways. */
static int
add_acronym(void *vctx, const char *acr, size_t acr_len,
            const char *expansion, size_t exp_len)
{
    acr_ctx *c = vctx;
    char a[CM_DB_MAX_TERM + 1], e[CM_DB_MAX_TERM + 1];
    char pair[2 * CM_DB_MAX_TERM + 2];
    size_t na = joined_terms(c->tok, acr, acr_len, a, sizeof a);
    size_t ne = joined_terms(c->tok, expansion, exp_len, e, sizeof e);
    int n;

    if (na == 0 || ne == 0 || strchr(a, ' ') != NULL)
        return 0;
    n = snprintf(pair, sizeof pair, "%s\t%s", a, e);
    c->st = cm_strset_add(c->synonyms, pair, (size_t)n);
    if (c->st == CM_OK) {
        n = snprintf(pair, sizeof pair, "%s\t%s", e, a);
        c->st = cm_strset_add(c->synonyms, pair, (size_t)n);
    }
    return c->st != CM_OK;
}

static cm_status
build_para(const cm_index_opts *opts, cm_tok *tok, const cm_doc *doc,
           const cm_para *p, const char *file_key, cm_analysis *an,
           cm_xdoc **out, char **errmsg)
{
    acr_ctx acr = {tok, an->synonyms, CM_OK};
    const char *lang = para_lang(opts, p);
    char term[CM_DB_MAX_TERM + 1], err[256] = "";
    char *data = NULL;
    cm_xdoc *xd = NULL;
    cm_status st;

    *out = NULL;
    st = cm_xdoc_new(&xd);
    if (st != CM_OK)
        return st;
    st = cm_xdoc_add_boolean_term(
        xd, term,
        cm_schema_term(term, sizeof term, CM_PFX_FILE, file_key,
                       strlen(file_key)));
    if (st == CM_OK) {
        st = cm_fields_index(xd, tok, doc, p, lang, err, sizeof err);
        if (st != CM_OK && errmsg)
            *errmsg = strdup(err);
    }
    if (st == CM_OK)
        st = add_text(xd, tok, p, lang, an, errmsg);
    if (st == CM_OK && (st = cm_acronym_scan(p->text, p->text_len,
                                             add_acronym, &acr)) == CM_OK)
        st = acr.st;
    if (st == CM_OK)
        st = cm_xdoc_set_value(xd, CM_SLOT_FILE, file_key, strlen(file_key));
    if (st == CM_OK) {
        size_t data_len = 0;
        data = para_data(doc, p, lang, &data_len);
        st = data ? cm_xdoc_set_data(xd, data, data_len) : CM_ENOMEM;
        free(data);
    }
    if (st != CM_OK) {
        if (errmsg && *errmsg == NULL)
            *errmsg = strdup(cm_xdoc_errmsg(xd));
        cm_xdoc_free(xd);
        return st;
    }
    *out = xd;
    return CM_OK;
}

static cm_status
build_doc(const cm_index_opts *opts, cm_tok *tok, const cm_doc *doc,
          cm_analysis *a, char **errmsg)
{
    cm_status st = CM_OK;
    size_t i;

    a->xdocs = calloc(doc->n_paras ? doc->n_paras : 1, sizeof *a->xdocs);
    if (a->xdocs == NULL)
        return CM_ENOMEM;
    if ((st = cm_strset_new(&a->words)) != CM_OK ||
        (st = cm_strset_new(&a->synonyms)) != CM_OK ||
        (st = cm_strset_new(&a->tf)) != CM_OK ||
        (st = cm_strset_new(&a->not_own)) != CM_OK)
        return st;
    for (i = 0; i < doc->n_paras && st == CM_OK; i++) {
        st = build_para(opts, tok, doc, &doc->paras[i], a->file_key, a,
                        &a->xdocs[i], errmsg);
        if (st == CM_OK)
            a->n_xdocs++;
    }
    cm_strset_free(a->tf);
    cm_strset_free(a->not_own);
    a->tf = a->not_own = NULL;
    return st;
}

/* Mark a rejected, keeping the old paragraphs (if any) searchable: a file
 * that turns bad loses nothing already indexed. */
static cm_status
reject(cm_analysis *a, const char *why)
{
    a->outcome = CM_FILE_REJECTED;
    a->reason = strdup(why);
    if (a->reason == NULL)
        return CM_ENOMEM;
    a->state.rejected = 1;
    a->state.reason = a->reason;
    snprintf(a->state.hash, sizeof a->state.hash, "-");
    return CM_OK;
}

cm_status
cm_index_analyze(const cm_index_opts *opts, cm_tok *tok, const char *canon,
                 unsigned long long size, unsigned long long mtime_ns,
                 const cm_file_state *prev, cm_analysis **out, char **errmsg)
{
    size_t max = opts->max_file_bytes ? opts->max_file_bytes
                                      : DEFAULT_MAX_FILE_BYTES;
    char *text = NULL, *why = NULL;
    size_t text_len = 0;
    cm_doc *doc = NULL;
    cm_analysis *a;
    cm_status st;
    int stale;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    a = calloc(1, sizeof *a);
    if (a == NULL)
        return CM_ENOMEM;
    a->canon = strdup(canon);
    st = a->canon ? cm_schema_file_key(canon, &a->file_key) : CM_ENOMEM;
    if (st != CM_OK)
        goto out;
    a->state.path = a->canon;
    a->state.reason = "";
    a->state.size = size;
    a->state.mtime_ns = mtime_ns;
    a->state.limit = max;
    a->state.reader = CM_DOC_READER;
    a->known = prev != NULL && prev->nparas > 0;
    a->state.nparas = prev ? prev->nparas : 0;
    /* A rejection stands for the file as it was under the size ceiling
     * and the reader of that run: a new ceiling, or a reader that reads
     * more (a format, a charset), tries the file again.  A file indexed
     * by a reader that read its format otherwise is read again too. */
    stale = prev != NULL && cm_index_state_stale(prev);
    if (prev && prev->size == size && prev->mtime_ns == mtime_ns &&
        ((!prev->rejected && !stale) ||
         (prev->rejected && prev->limit == max &&
          prev->reader == CM_DOC_READER))) {
        /* As indexed (or as rejected) last time: not even read. */
        a->outcome = CM_FILE_UNCHANGED;
        if (prev->rejected) {
            a->remembered = 1;
            st = reject(a, prev->reason);
        }
        goto out;
    }
    if (cm_doc_format_of(canon) == CM_FMT_AUTO) {
        st = reject(a, "not a kind of file cmindex reads (.md, .markdown, "
                       ".txt, .text, .html, .htm, .xhtml, .pdf, .docx, "
                       ".doc, .odt, .fodt, .rtf)");
        goto out;
    }
    st = cm_doc_read_file(canon, max, &text, &text_len, &why);
    if (st == CM_OK) {
        a->bytes = text_len;
        cm_schema_hash_hex(text, text_len, a->state.hash);
        if (prev && !prev->rejected && !stale &&
            strcmp(prev->hash, a->state.hash) == 0) {
            a->outcome = CM_FILE_TOUCHED;
            goto out;
        }
        st = cm_doc_parse(canon, text, text_len, cm_doc_format_of(canon), &doc,
                          &why);
    }
    if (st == CM_ENOMEM)
        goto out;
    if (st != CM_OK) {
        st = reject(a, why ? why : cm_status_str(st));
        goto out;
    }
    a->outcome = prev && prev->nparas > 0 ? CM_FILE_CHANGED : CM_FILE_NEW;
    a->state.nparas = (unsigned)doc->n_paras;
    st = build_doc(opts, tok, doc, a, errmsg);
out:
    cm_doc_free(doc);
    free(text);
    free(why);
    if (st != CM_OK) {
        cm_analysis_free(a);
        return st;
    }
    *out = a;
    return CM_OK;
}
