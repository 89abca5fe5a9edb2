/* cm_data.h: a paragraph's document data, what a hit shows.
 *
 * The fields (path, para, label, section, heading, lang, doc, title, date,
 * type, refs) as a compact JSON object, a NUL byte, then the paragraph's
 * text as it is (doc/schema.md).  JSON never holds a raw NUL, and the text
 * kept out of it is neither escaped by the indexer nor scanned by the
 * searcher's JSON parser: parsing the data of ten hits was a tenth of a
 * whole cmsearch process.
 */
#ifndef CM_DATA_H
#define CM_DATA_H

#include <jansson.h>
#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

/* The data of fields (an object without "text", left unchanged) and
 * text[0..text_len): malloc'd, its length in *len; NULL when out of
 * memory. */
char *cm_data_make(const json_t *fields, const char *text, size_t text_len,
                   size_t *len) CM_NOEXCEPT;

/* The fields of data[0..len) as an object, with the text as "text"; data
 * that is one JSON object (an older layout) is read as it is.  NULL when
 * it is neither (not written by cmindex, or damaged). */
json_t *cm_data_parse(const char *data, size_t len) CM_NOEXCEPT;

CM_END_DECLS

#endif
