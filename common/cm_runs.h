/* cm_runs.h: a set of document ids as runs of consecutive ids, and its
 * bytes in the index's metadata (CM_META_LANG_RUNS, cm_schema.h).
 *
 * The paragraphs of a file have consecutive ids and are mostly of one or
 * two languages, so the paragraphs of a language are a few runs: the
 * treaties' 235,483 English paragraphs are 1,599 runs.  A lang: filter
 * asks "is paragraph d English?" of each paragraph its words find; Xapian
 * answers that from the L term's postings by decoding them up to d, the
 * runs by a binary search (cm_xquery_docid_runs()).
 */
#ifndef CM_RUNS_H
#define CM_RUNS_H

#include <stddef.h>
#include "cm_buf.h"
#include "cm_status.h"

CM_BEGIN_DECLS

/* Run i is first[i]..last[i]; the runs ascend, and are apart (a run ends
 * at least two ids before the next begins). */
typedef struct cm_runs {
    unsigned *first, *last;
    size_t n, cap;
} cm_runs;

#define CM_RUNS_INIT {NULL, NULL, 0, 0}

/* Add docid, greater than every id added before (CM_EINVAL otherwise, or
 * for 0). */
cm_status cm_runs_add(cm_runs *r, unsigned docid) CM_NOEXCEPT CM_MUST_CHECK;
/* The number of ids in r. */
unsigned long long cm_runs_count(const cm_runs *r) CM_NOEXCEPT;
/* r into r | other. */
cm_status cm_runs_union(cm_runs *r,
                        const cm_runs *other) CM_NOEXCEPT CM_MUST_CHECK;
/* Append r's bytes to out: the number of runs, then for each run the gap
 * from the end of the one before (from 0 for the first) and its length
 * less one, all as LEB128 numbers. */
cm_status cm_runs_encode(const cm_runs *r,
                         cm_buf *out) CM_NOEXCEPT CM_MUST_CHECK;
/* Read s[0..len) into r: CM_ECORRUPT, r empty, for bytes that
 * cm_runs_encode() does not write (runs that touch or overlap, an id past
 * UINT_MAX, a number cut short or too long, bytes left over). */
cm_status cm_runs_decode(const char *s, size_t len,
                         cm_runs *r) CM_NOEXCEPT CM_MUST_CHECK;
/* Empty r, keeping its memory. */
void cm_runs_clear(cm_runs *r) CM_NOEXCEPT;
void cm_runs_free(cm_runs *r) CM_NOEXCEPT;

CM_END_DECLS

#endif
