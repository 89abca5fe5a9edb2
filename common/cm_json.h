/* cm_json.h: search results as JSON, for cmsearch --format json and the
 * search page's format=json (the schema: doc/cmsearch.1, OUTPUT). */
#ifndef CM_JSON_H
#define CM_JSON_H

#include <jansson.h>

#include "cm_config.h"
#include "cm_search.h"

CM_BEGIN_DECLS

/* A JSON string of s[0..n), a byte that is not UTF-8 (a file name on a
 * system that allows any bytes) as U+FFFD: jansson refuses to make one
 * otherwise.  NULL when out of memory. */
json_t *cm_json_string(const char *s, size_t n) CM_NOEXCEPT;

/* The results of query as one object: query, total, total_exact, totals,
 * offset, limit, hits, suggestion, and explain, like, languages and
 * languages_exact when res has them.  Each hit's url from cfg's link
 * rules (cfg may be NULL); with base_names, a hit's path is its file's
 * name without its folders (the search page does not show the server's
 * folders).  NULL when out of memory; the caller json_decref()s it. */
json_t *cm_json_results(const char *query, const cm_results *res,
                        const cm_search_opts *opts, const cm_config *cfg,
                        int base_names) CM_NOEXCEPT;

CM_END_DECLS

#endif
