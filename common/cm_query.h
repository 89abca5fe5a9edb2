/* cm_query.h: the query language, parsed in C, shared by cmsearch and the
 * CGI.  doc/query-language.md documents it for users.
 *
 * Grammar (recursive descent; the implicit operator between juxtaposed
 * items binds loosest, then AND, then OR, then NEAR):
 *
 *   query   := seq
 *   seq     := item+                  juxtaposed: AND (OR with opts->any)
 *   item    := ('+' | '-' | 'NOT') or_expr | or_expr
 *   or_expr := and_expr ('OR' and_expr)*
 *   and_expr:= near_expr ('AND' ['NOT'] near_expr)*
 *   near_expr := primary (('NEAR' | 'NEAR/n') primary)*
 *   primary := '(' seq ')' | '"' words '"' ['~' n] | field ':' value
 *            | '=' word | word ['*'] | word
 *
 * Operators are upper case; in lower case they are words.  A field name
 * that cm_fields_known() does not know is read as words.  Words go through
 * the analyzer (cm_tok), the same as the index: an unquoted word matches
 * its exact (folded) term or its stem in each language, restricted to
 * paragraphs of that language; a word the analyzer splits (co-development,
 * CM/Rec(2007)9) is a phrase of its parts, a compound also its joined
 * form; a quoted phrase and =word match exact folded terms only.
 */
#ifndef CM_QUERY_H
#define CM_QUERY_H

#include <stddef.h>
#include "cm_db.h"
#include "cm_snippet.h"
#include "cm_status.h"
#include "cm_tok.h"

CM_BEGIN_DECLS

/* Bounds, so that no query runs away. */
#define CM_QUERY_MAX_BYTES 4096   /* longer queries are refused */
#define CM_QUERY_MAX_TERMS 256    /* terms in the whole query */
#define CM_QUERY_MAX_DEPTH 32     /* nested parentheses */
#define CM_QUERY_MAX_EXPANSION 200 /* words one word* may stand for */
/* The error of a word* over its bound: the prefix, the bound. */
#define CM_QUERY_WILDCARD_OVER \
    "%s* matches too many words (over %u): give more letters"
#define CM_QUERY_MAX_TITLE_DOCS 10000 /* documents one title: may match */
#define CM_QUERY_MAX_NEAR 100     /* the n of NEAR/n and "phrase"~n */
#define CM_QUERY_NEAR_DEFAULT 10  /* NEAR without /n */

/* Where and why a query is malformed. */
typedef struct cm_query_error {
    unsigned column;   /* 1-based, in characters; 0 when not applicable */
    char message[200]; /* e.g. "unclosed quote" */
} cm_query_error;

typedef struct cm_query_opts {
    int any;                /* juxtaposed items are OR'ed (--any) */
    int plain;              /* read the text as plain words: no operator,
                               quote, field or wildcard (the fallback for a
                               malformed query) */
    int rank;               /* add the ranking boosts (phrase/proximity of
                               the words, title and heading words) */
    unsigned max_expansion; /* for word*; 0: CM_QUERY_MAX_EXPANSION */
    cm_db *db;              /* synonyms (acronyms) from this index; NULL:
                               none */
    const char *lang;       /* keep the matches to the paragraphs of this
                               language (a code, as lang:), whatever the
                               query says; NULL or "": no such filter */
} cm_query_opts;

/* A word of the query text, for spelling suggestions. */
typedef struct cm_query_word {
    size_t start, end;  /* byte range in the query text */
    const char *term;   /* its analyzed term (NUL-terminated) */
    int correctable;    /* letters only, unquoted, not a field value, a
                           wildcard, =word, an excluded word nor part of a
                           reference: a spelling suggestion may replace it */
} cm_query_word;

/* A wildcard of the query, to explain an expansion over the bound. */
typedef struct cm_query_wildcard {
    const char *prefix; /* folded prefix (NUL-terminated) */
    unsigned column;    /* 1-based column of the word in the text */
    unsigned max;       /* the words it may stand for (the bound used) */
} cm_query_wildcard;

typedef struct cm_query cm_query;

/* Parse text[0..text_len) with the analyzer tok.  opts may be NULL (all
 * zero).  *out is freed with cm_query_free().  CM_EQUERY for a malformed
 * query, with err filled in (column within the text); CM_ENOMEM; with
 * opts->db, the statuses of its lookups (cm_db_synonyms(),
 * cm_db_term_freq()). */
cm_status cm_query_compile(const char *text, size_t text_len, cm_tok *tok,
                           const cm_query_opts *opts, cm_query **out,
                           cm_query_error *err) CM_NOEXCEPT CM_MUST_CHECK;

void cm_query_free(cm_query *q) CM_NOEXCEPT;

/* The query tree to run (owned by q). */
const cm_xquery *cm_query_xquery(const cm_query *q) CM_NOEXCEPT;

/* For ranking in two passes: the query without its phrase boost,
 * returned (it matches the same paragraphs as the whole query), and the
 * phrase boost alone in *phrase, whose weight in a paragraph is at most
 * *ratio times the paragraph's weight by the query without it (the
 * phrase's words are weighed there in their exact form, 1 / *ratio times
 * as much).  NULL when the query has no phrase boost.  Owned by q. */
const cm_xquery *cm_query_rerank(const cm_query *q, const cm_xquery **phrase,
                                 double *ratio) CM_NOEXCEPT;

/* For ranking the paragraphs with a word of the query in their title
 * apart: the query without its title boosts, returned, and in *titles
 * the title terms of its words that the index has, OR'ed.  The query
 * weighs a paragraph that has none of them as the query without the
 * boosts does, and matches the same paragraphs.  Only for a query that
 * checks positions (a phrase, NEAR), which the title boosts slowed down
 * (cm_search.c, run_titles_apart()); NULL otherwise, when the query has
 * no title boost (none of its words in a title of the index) or has a
 * phrase boost (cm_query_rerank()).  Owned by q. */
const cm_xquery *cm_query_titles_apart(const cm_query *q,
                                       const cm_xquery **titles) CM_NOEXCEPT;

/* The terms to highlight (positive words, their stems, wildcard prefixes,
 * acronym expansions), owned by q. */
const cm_hl_term *cm_query_highlights(const cm_query *q,
                                      size_t *n) CM_NOEXCEPT;

/* The words of the text, in order, owned by q. */
const cm_query_word *cm_query_words(const cm_query *q, size_t *n) CM_NOEXCEPT;

/* The wildcards of the text, in order, owned by q. */
const cm_query_wildcard *cm_query_wildcards(const cm_query *q,
                                            size_t *n) CM_NOEXCEPT;

/* Shorthand: parse with default options (no boosts, no synonyms) and hand
 * back a copy of the tree (*out freed with cm_xquery_free()). */
cm_status cm_query_parse(const char *text, size_t text_len, cm_tok *tok,
                         cm_xquery **out,
                         cm_query_error *err) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
