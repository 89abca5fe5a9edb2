/* cm_data.h: a paragraph's document data, what a hit shows.
 *
 * A record (doc/schema.md): the 4 bytes "\0CM1"; then path, label,
 * section, heading, lang, doc, title, date and type, each as its length
 * (a LEB128 varint) and its bytes; the paragraph's ordinal and the number
 * of references as varints, each reference as a length and its bytes; and
 * the text, the rest, as it is.  A paragraph whose page is known (a PDF's)
 * is a "\0CM2" record: the same with the page, a varint, after the
 * ordinal.  It was a JSON object: jansson spent about
 * 200 instructions per byte on it, 14% of a query in a long-running
 * searcher and a tenth of a whole cmsearch process.  Data that is a JSON
 * object (schema 3 and before), or one followed by a NUL and the text, is
 * read too.
 */
#ifndef CM_DATA_H
#define CM_DATA_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_data {
    /* NUL-terminated strings, "" when absent. */
    const char *path, *label, *section, *heading, *lang, *doc, *title,
        *date, *type, *text;
    size_t text_len;
    unsigned para; /* the paragraph's ordinal in its file */
    unsigned page; /* the page it starts on, from 1 (a PDF's); 0: unknown */
    const char *const *refs;
    size_t n_refs;
} cm_data;

/* The record of d: malloc'd, its length in *len; NULL when out of memory.
 * NULL strings are written as "". */
char *cm_data_make(const cm_data *d, size_t *len) CM_NOEXCEPT;

/* Parse data[0..len) into *out, one malloc'd block holding the strings
 * (freed with free()).  CM_ECORRUPT when it is not a record nor JSON data
 * as cmindex wrote it; CM_ENOMEM. */
cm_status cm_data_parse(const char *data, size_t len,
                        cm_data **out) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
