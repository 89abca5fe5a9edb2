/* cm_ref.h: references to Council of Europe texts.
 *
 * Finds citations in text and gives each one canonical key, so that
 * "Recommendation 1806 (2007)" and "Recommandation 1806 (2007)" are the same
 * reference, and "CM/Rec(2007)9" matches "CM/Rec (2007) 9".  The indexer
 * stores the keys (XREF terms); cites:"..." in a query is turned into a key
 * by the same function, so both sides agree.
 *
 * Keys are short lower-case ASCII strings (at most CM_REF_KEY_MAX - 1
 * bytes), for example:
 *   pace-rec-1806-2007   Parliamentary Assembly Recommendation 1806 (2007)
 *   pace-res-1740-2010   Parliamentary Assembly Resolution 1740 (2010)
 *   pace-doc-13050       Doc. 13050
 *   cm-rec-2007-9        CM/Rec(2007)9, and the older Rec(2000)26 series
 *   cm-res-2008-2        CM/Res(2008)2
 *   ets-174              ETS No. 174, CETS No. 197 (ets-197), STE n° 174
 *   echr-orsus-v-croatia  a Court judgment "X v. Y" / "X c. Y" (folded)
 */
#ifndef CM_REF_H
#define CM_REF_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

#define CM_REF_KEY_MAX 96

typedef struct cm_ref_match {
    size_t start, end;        /* byte range of the citation in the text */
    char key[CM_REF_KEY_MAX]; /* its canonical key */
} cm_ref_match;

/* Return non-zero to stop the scan. */
typedef int (*cm_ref_fn)(void *ctx, const cm_ref_match *m);

/* Call fn for each reference found in text[0..len) (UTF-8), in order. */
cm_status cm_ref_scan(const char *text, size_t len, cm_ref_fn fn,
                      void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* As cm_ref_scan(), and an Assembly text named without its year
 * ("Recommendation 1806", "Resolution 895,") too, with the prefix that
 * its keys of every year share as its key ("pace-rec-1806-").  The
 * scanner cannot tell such a mention from another body's text of that
 * number (a UN resolution): the caller decides, as cm_doc does by taking
 * only the numbers that the same document cites with their year. */
cm_status cm_ref_scan_yearless(const char *text, size_t len, cm_ref_fn fn,
                               void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* The canonical key of the reference that text[0..len) is, e.g. for a
 * query's cites: value.  CM_ENOTFOUND when it is not a reference we know. */
cm_status cm_ref_canonical(const char *text, size_t len, char *key,
                           size_t key_cap) CM_NOEXCEPT CM_MUST_CHECK;

/* For a query's cites: value: as cm_ref_canonical(), and a PACE text
 * named without its year ("Recommendation 1806", or the key
 * "pace-rec-1806") gives the prefix its keys of every year share,
 * "pace-rec-1806-", with *prefix set (PACE numbers texts across years,
 * so the prefix names one text; the scanner, which has no such cue that a
 * number is a text's, never takes a citation without its year). */
cm_status cm_ref_query_key(const char *text, size_t len, char *key,
                           size_t key_cap,
                           int *prefix) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
