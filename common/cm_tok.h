/* cm_tok.h: the analyzer.  Text becomes terms here and nowhere else: the
 * indexer, the query parser and the snippet highlighter all call it, so a
 * phrase copied from any paragraph finds that paragraph.
 *
 * Built on ICU: word boundaries from a UBRK_WORD break iterator (which also
 * segments Chinese, Japanese and Thai), NFKC case folding (nfkc_cf).  Only
 * word-like segments (letters, ideographs, kana, numbers) become tokens.
 *
 * Every token carries its byte range in the original UTF-8 text, so that
 * snippets highlight without tokenising again, and its word position.
 */
#ifndef CM_TOK_H
#define CM_TOK_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_tok cm_tok;

/* Token flags. */
#define CM_TOK_ALT 0x01 /* an alternative form at the same position as the
                           previous token (e.g. a joined compound), not a
                           word of its own: index it, never phrase it */

typedef struct cm_token {
    const char *term; /* the matching form: NUL-terminated UTF-8 */
    size_t term_len;
    const char *stem; /* its stem in the text's language, or NULL */
    size_t stem_len;
    size_t start;     /* byte range [start, end) of the word in the input */
    size_t end;
    unsigned pos;     /* word position, from 0; ALT tokens share it */
    unsigned flags;   /* CM_TOK_* */
} cm_token;

/* A new analyzer.  One per thread; it is not thread-safe.  On failure *out
 * is NULL and *errmsg (if errmsg is not NULL) a malloc'd message. */
cm_status cm_tok_new(cm_tok **out, char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;
void cm_tok_free(cm_tok *t) CM_NOEXCEPT;

/* Start tokenising text[0..text_len) (UTF-8; invalid sequences are treated
 * as separators).  lang is an ISO 639-1 code ("en", "fr") or NULL for
 * unknown; it selects the stemmer and language rules.  text must stay valid
 * and unchanged until the last cm_tok_next() call.  Returns CM_EINVAL for a
 * text over 2^31 bytes, CM_ENOMEM. */
cm_status cm_tok_reset(cm_tok *t, const char *text, size_t text_len,
                       const char *lang) CM_NOEXCEPT CM_MUST_CHECK;

/* The next token, or *tok = NULL at the end.  *tok and the strings in it
 * point into t and stay valid until the next call on t.  Terms longer than
 * CM_TOK_MAX_TERM bytes are skipped (they could not be indexed). */
cm_status cm_tok_next(cm_tok *t,
                      const cm_token **tok) CM_NOEXCEPT CM_MUST_CHECK;

/* Number of tokens skipped because they were too long since the last
 * reset (so that callers can warn). */
unsigned cm_tok_skipped(const cm_tok *t) CM_NOEXCEPT;

/* The last error on t ("" when none). */
const char *cm_tok_errmsg(const cm_tok *t) CM_NOEXCEPT;

/* Longest term emitted, in bytes; leaves room for a prefix within
 * CM_DB_MAX_TERM. */
#define CM_TOK_MAX_TERM 200

CM_END_DECLS

#endif
