/* cm_snippet.h: the matching part of a paragraph, with the matched words
 * highlighted.
 *
 * The paragraph is analyzed with the same analyzer (cm_tok) as at indexing
 * time, in the paragraph's language, and a token is highlighted when its
 * term, or its stem in that language, is among the query's terms or stems
 * (or starts with a wildcard's prefix).  Highlights are byte ranges taken
 * from the analyzer's offsets, so stems, folded accents, elided articles
 * and compound parts highlight correctly in every script.
 */
#ifndef CM_SNIPPET_H
#define CM_SNIPPET_H

#include <stddef.h>
#include "cm_status.h"
#include "cm_tok.h"

CM_BEGIN_DECLS

/* What a query term matches in a paragraph. */
typedef enum {
    CM_HL_TERM,   /* a token whose term is s */
    CM_HL_STEM,   /* a token whose stem (paragraph's language) is s */
    CM_HL_PREFIX, /* a token whose term starts with s (word*) */
    CM_HL_PAIR,   /* a token whose term is s, one of the overlapping pairs
                     of characters of a word of a script written without
                     spaces (CM_TOK_PAIR): only beside a pair that
                     matches too, as the word's pairs are */
    CM_HL_REF     /* a citation (cm_ref.h) whose key is s; s ending in '-'
                     (an Assembly text of any year, "pace-rec-1806-"):
                     whose key starts with s; and the text's number named
                     without its year ("Recommendation 1806") for either:
                     the whole citation, not a token */
} cm_hl_kind;

typedef struct cm_hl_term {
    const char *s; /* NUL-terminated, folded as the analyzer folds */
    size_t len;
    cm_hl_kind kind;
    const char *langs; /* CM_HL_STEM: the paragraph languages it holds in,
                          space-separated ISO 639-1 codes; NULL: all */
} cm_hl_term;

/* A byte range [start, end). */
typedef struct cm_span {
    size_t start, end;
} cm_span;

/* A snippet: text (NUL-terminated UTF-8, len bytes) and the highlighted
 * ranges in it, sorted and disjoint.  Cut ends are marked with an
 * ellipsis ("…") inside text. */
typedef struct cm_snippet {
    char *text;
    size_t len;
    cm_span *hl;
    size_t n_hl;
} cm_snippet;

/* Default snippet length, in characters. */
#define CM_SNIPPET_CHARS 240

/* Highlight text[0..text_len) (a paragraph in language lang, an ISO 639-1
 * code or NULL/"" when unknown) for the n query terms, and cut it to the
 * part of at most max_chars characters (0: CM_SNIPPET_CHARS) with the most
 * matches, at word boundaries.  tok is the caller's analyzer (its state is
 * reset).  *out is freed with cm_snippet_free().  CM_ENOMEM, or the
 * analyzer's status. */
cm_status cm_snippet_make(cm_tok *tok, const char *text, size_t text_len,
                          const char *lang, const cm_hl_term *terms,
                          size_t n, size_t max_chars,
                          cm_snippet **out) CM_NOEXCEPT CM_MUST_CHECK;

/* The highlighted ranges of the whole text, without cutting: *spans is
 * malloc'd (NULL when none), sorted and disjoint. */
cm_status cm_snippet_spans(cm_tok *tok, const char *text, size_t text_len,
                           const char *lang, const cm_hl_term *terms,
                           size_t n, cm_span **spans,
                           size_t *n_spans) CM_NOEXCEPT CM_MUST_CHECK;

void cm_snippet_free(cm_snippet *s) CM_NOEXCEPT;

CM_END_DECLS

#endif
