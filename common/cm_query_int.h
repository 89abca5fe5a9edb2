/* cm_query_int.h: shared between the query parser's own files:
 * cm_query.c (grammar, operators, fields, ranking boosts) and
 * cm_query_words.c (words through the analyzer: stems, compounds,
 * synonyms).  Not for other modules.
 */
#ifndef CM_QUERY_INT_H
#define CM_QUERY_INT_H

#include "cm_query.h"

/* How a run of text becomes a query. */
typedef enum {
    CMQ_WIDE,  /* an unquoted word: exact term or its stems */
    CMQ_EXACT, /* a quoted phrase or =word: exact folded terms */
    CMQ_POS    /* an operand of NEAR: exact terms, positional */
} cm_qi_mode;

/* Words whose terms feed the proximity and title boosts. */
#define CMQ_MAX_BOOST 12
/* The weight of a word's exact form against its other forms: the form
 * typed ranks above them (cm_query_words.c, cm_query.c). */
#define CMQ_W_EXACT 6.0
/* Stemmer languages (cm_tok_stem_lang() indexes) considered: all of them
 * (test_query checks), at most 64 (masks of them are 64 bits). */
#define CMQ_MAX_LANGS 48

typedef struct cm_qi_parser {
    const char *text;
    size_t len, at;
    cm_tok *tok;
    const cm_query_opts *opts;
    cm_query_error *err;
    unsigned n_terms;
    unsigned depth;
    int negated;  /* > 0 inside an excluded item: nothing to highlight */
    int in_field; /* parsing a field's value */
    /* What the text asked for, kept for the caller. */
    cm_hl_term *hl;
    size_t n_hl, cap_hl;
    cm_query_word *words;
    size_t n_words, cap_words;
    cm_query_wildcard *wild;
    size_t n_wild, cap_wild;
    char *boost[CMQ_MAX_BOOST]; /* exact terms of positive words */
    size_t n_boost;
    size_t n_boost_wide; /* how many of them unquoted (CMQ_WIDE) */
    /* Words were OR'ed with words ("a OR b"): the boost words are
     * alternatives, not a phrase to boost. */
    int alternatives;
    /* The query looks for a phrase or words near each other (quotes, a
     * hyphenated compound, NEAR, an acronym's expansion): each paragraph
     * with the words is checked for their positions. */
    int positional;
    /* boost[i]'s exact weight is in its word's own query already
     * (stem_query()): the exact-form boost leaves it out. */
    unsigned char boost_in_word[CMQ_MAX_BOOST];
    /* Paragraphs per stemmer language in opts->db (read once, when the
     * first stem is looked up; every language counts 1 without a db):
     * only the stemmers of languages the index has are tried. */
    int langs_read;
    unsigned lang_docs[CMQ_MAX_LANGS];
    /* The one language every match is in (a lang: filter the whole query
     * is ANDed with), "" when there is none: only its stemmer is tried. */
    char only_lang[4];
} cm_qi_parser;

/* Record the failure (column from the byte offset byte_at of the text)
 * and return CM_EQUERY. */
cm_status cm_qi_fail(cm_qi_parser *p, size_t byte_at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The query for the text[start..end) read in mode: *out NULL when it has
 * no word.  Several words make a phrase, or with slop > 0 a NEAR within
 * (words + slop) positions.  *n_pos (may be NULL) gets the number of
 * word positions.  Records highlights, words and boost terms. */
cm_status cm_qi_words(cm_qi_parser *p, size_t start, size_t end, cm_qi_mode mode,
                    unsigned slop, unsigned *n_pos, cm_xquery **out);


/* The wide query of the word tok, just read from p->tok: the word or its
 * other forms (cm_query_stems.c); *out NULL when it has none.  boost_at >=
 * 0: the index of its exact-form boost, which its query then carries. */
cm_status cm_qi_stem_query(cm_qi_parser *p, const cm_token *tok,
                           cm_xquery *exact, int boost_at, cm_xquery **out);

/* The synonyms of key (analyzed terms joined by single spaces) in
 * opts->db, OR'ed: a single term or a phrase each.  *out NULL when none
 * (or no db). */
cm_status cm_qi_synonyms(cm_qi_parser *p, const char *key, cm_xquery **out);

/* Append a highlight (kind, s[0..len), for a stem the languages langs or
 * NULL) unless under a negation. */
cm_status cm_qi_add_hl(cm_qi_parser *p, cm_hl_kind kind, const char *s,
                       size_t len, const char *langs);

/* The paragraphs of the n language codes as one filter of the runs
 * cmindex stamped for each (CM_META_LANG_RUNS, cm_runs.h), described as
 * "cm_runs(<label>: <n> runs)", in *q; *q NULL when one of them has no
 * runs, or the database is not one local database (the remote backend
 * cannot be sent the source). */
cm_status cm_qi_lang_runs(cm_qi_parser *p, const char *const *codes,
                          size_t n, const char *label, cm_xquery **q);

/* Free qs[0..n). */
void cm_qi_free_all(cm_xquery **qs, size_t n);

/* a op b for two optional queries: NULL when both are NULL, a copy of the
 * other when one is.  Consumes (frees) a and b. */
cm_status cm_qi_join(cm_xquery_op op, cm_xquery *a, cm_xquery *b,
                   cm_xquery **out);

#endif
