/* cm_fields.h: the document model's fields in the index.
 *
 * One place knows how each field of a paragraph (language, section,
 * document number, type, date, title, cited references) becomes terms and
 * values, and what a field filter in a query (lang:fr, year:2008,
 * date:2008-01-01..2008-06-30, doc:11549, type:recommendation,
 * section:appendix, title:migration, cites:"Recommendation 1806 (2007)")
 * means.  The indexer and the query parser both call it, so they agree.
 */
#ifndef CM_FIELDS_H
#define CM_FIELDS_H

#include <stddef.h>
#include "cm_db.h"
#include "cm_doc.h"
#include "cm_query.h"
#include "cm_status.h"
#include "cm_tok.h"

CM_BEGIN_DECLS

/* Add the field terms and values of paragraph p of doc to xdoc.  lang is
 * the paragraph's language as indexed ("" when unknown).  tok analyzes the
 * title.  On failure err (errlen bytes) holds the reason. */
cm_status cm_fields_index(cm_xdoc *xdoc, cm_tok *tok, const cm_doc *doc,
                          const cm_para *p, const char *lang, char *err,
                          size_t errlen) CM_NOEXCEPT CM_MUST_CHECK;

/* 1 when name[0..len) is a field the query language filters on. */
int cm_fields_known(const char *name, size_t len) CM_NOEXCEPT;

/* The filter for field:value.  value is the text after the colon (without
 * quotes when it was quoted).  CM_EQUERY for a malformed value, with
 * err->column counted from 1 at the start of value and err->message saying
 * what is wrong (e.g. "invalid date 2008-13-45"). */
cm_status cm_fields_filter(const char *field, size_t field_len,
                           const char *value, size_t value_len, cm_tok *tok,
                           cm_xquery **out,
                           cm_query_error *err) CM_NOEXCEPT CM_MUST_CHECK;

/* The canonical type name for a document type as written in any language
 * the model knows ("Recommandation", "Empfehlung" -> "recommendation"), or
 * NULL when unknown: cm_doc_type_name(). */
const char *cm_fields_type_name(const char *word, size_t len) CM_NOEXCEPT;

CM_END_DECLS

#endif
