/* cm_query.h: the query language, parsed in C, shared by cmsearch and the
 * CGI.  doc/query-language.md documents it for users.
 *
 * This version understands words (all required) and "quoted phrases".  A
 * word that the analyzer splits into several terms (co-development,
 * CM/Rec(2007)9) is searched as the phrase of its parts.  Terms come from
 * the same analyzer as the index (cm_tok), so a query in any language and
 * script matches the text as it was indexed.
 */
#ifndef CM_QUERY_H
#define CM_QUERY_H

#include <stddef.h>
#include "cm_db.h"
#include "cm_status.h"
#include "cm_tok.h"

CM_BEGIN_DECLS

/* Bounds, so that no query runs away. */
#define CM_QUERY_MAX_BYTES 4096 /* longer queries are refused */
#define CM_QUERY_MAX_TERMS 256  /* terms in the whole query */

/* Where and why a query is malformed. */
typedef struct cm_query_error {
    unsigned column;   /* 1-based, in characters; 0 when not applicable */
    char message[200]; /* e.g. "unclosed quote" */
} cm_query_error;

/* Parse text[0..text_len) with the analyzer tok into a query tree (*out,
 * freed with cm_xquery_free()).  CM_EQUERY for a malformed query, with err
 * filled in; CM_ENOMEM. */
cm_status cm_query_parse(const char *text, size_t text_len, cm_tok *tok,
                         cm_xquery **out,
                         cm_query_error *err) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
