/* cm_search.h: running a query and collecting ranked paragraphs.
 *
 * Shared by cmsearch and the CGI: parse the query (cm_query), run it with
 * BM25 over the paragraphs, and hand back each hit with the fields the
 * indexer stored.  A database modified by cmindex during the search is
 * reopened and the search retried, never reported as an error.
 */
#ifndef CM_SEARCH_H
#define CM_SEARCH_H

#include <stddef.h>
#include "cm_db.h"
#include "cm_query.h"
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_search_opts {
    unsigned offset; /* skip this many hits */
    unsigned limit;  /* at most this many hits (clamped to 1000) */
} cm_search_opts;

/* One ranked paragraph.  Strings are NUL-terminated UTF-8, never NULL
 * ("" when unknown), owned by the cm_results. */
typedef struct cm_hit {
    unsigned rank;   /* 1-based rank in the whole result list */
    double score;    /* BM25 weight */
    unsigned docid;
    unsigned para;   /* ordinal of the paragraph in its file */
    const char *path, *label, *section, *heading, *text, *lang;
    const char *doc, *title, *date, *type;
    const char *const *refs;
    size_t n_refs;
} cm_hit;

typedef struct cm_results {
    cm_hit *hits;
    size_t n_hits;
    unsigned total;       /* best estimate of all matches */
    unsigned total_lower; /* bounds of the total */
    unsigned total_upper;
    void *priv;           /* owned storage; not for callers */
} cm_results;

/* Search db for query (UTF-8, query_len bytes).  On CM_EQUERY, *qerr says
 * where and why.  On other failures *errmsg is a malloc'd message.  *out is
 * freed with cm_results_free(). */
cm_status cm_search_run(cm_db *db, const char *query, size_t query_len,
                        const cm_search_opts *opts, cm_results **out,
                        cm_query_error *qerr,
                        char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

void cm_results_free(cm_results *res) CM_NOEXCEPT;

CM_END_DECLS

#endif
