/* cm_langcount.h: how many paragraphs of each language a query matches.
 *
 * A search page that offers a language filter says how many hits each
 * language would give ("français (fr) · 1203").  A paragraph's language is
 * its L term; one pass over the matches asks each one's language of a
 * table of docid ranges, made from the runs cmindex stamps for each
 * language (CM_META_LANG_RUNS), or from the L term's postings where there
 * are none (a language of scattered paragraphs, several shards).
 */
#ifndef CM_LANGCOUNT_H
#define CM_LANGCOUNT_H

#include <stddef.h>
#include "cm_db.h"
#include "cm_status.h"

CM_BEGIN_DECLS

/* The matches in one language. */
typedef struct cm_lang_count {
    char code[4];   /* the language's code, as lang: takes it */
    unsigned count; /* its matching paragraphs */
} cm_lang_count;

/* The matches of q in each language of db that has some, most first
 * (equal counts in code order), in *out (malloc'd, the caller frees it;
 * NULL when *n is 0).  Xapian looks at check matches at least (0: every
 * one); when there are more, it may stop there, and *exact is 0: each
 * count is then of the matches looked at, a lower bound (the first ones
 * by docid, which is by file: no sample to scale up).  Paragraphs of no
 * language are not counted.  *looked_at: the matches looked at, of any
 * language (with *exact, all the matches).  A remote database cannot be
 * counted: CM_EXAPIAN, as cm_enquire_spy(). */
cm_status cm_lang_counts(cm_db *db, const cm_xquery *q, unsigned check,
                         cm_lang_count **out, size_t *n, int *exact,
                         unsigned *looked_at) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
