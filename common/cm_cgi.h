/* cm_cgi.h: the search page's request and answer (cmsearch.cgi).
 *
 * The CGI is a thin main() (searcher/cmsearch_cgi.c) over cm_search; what
 * it reads from the web and what it writes back live here, so that they
 * are tested (tests/unit/test_cgi.c) and fuzzed (tests/fuzz/fuzz_cgi.c)
 * without a web server.
 *
 * The request is a query string (application/x-www-form-urlencoded:
 * name=value pairs joined by '&', '+' for a space, %HH for a byte):
 *
 *   q       the query, in cmsearch's query language (at most
 *           CM_CGI_MAX_Q bytes of UTF-8 once decoded)
 *   page    the page of hits, from 1 (default 1)
 *   n       hits per page, 1 to CM_CGI_MAX_PER_PAGE (default 10)
 *   sort    relevance (default), date or -date
 *   bydoc   1: one paragraph per document; 0 (default)
 *   any     1: any of the words is enough; 0 (default): all
 *   lang    only paragraphs in this language (a code: en, fr); empty
 *           (default): any
 *
 * Every parameter is checked and bounded: a malformed one is refused
 * (Status 400) with a message naming it.  Unknown names are ignored (a
 * link may carry a tracker's parameters); a known one given twice is
 * refused.  The answer escapes every byte it echoes for HTML, links
 * percent-encode theirs, and the page carries no script at all (its
 * Content-Security-Policy allows none).
 */
#ifndef CM_CGI_H
#define CM_CGI_H

#include <stddef.h>
#include "cm_buf.h"
#include "cm_config.h"
#include "cm_search.h"
#include "cm_status.h"

CM_BEGIN_DECLS

#define CM_CGI_MAX_QUERY_STRING 8192 /* bytes of the raw query string */
#define CM_CGI_MAX_Q 1024            /* bytes of the decoded query */
#define CM_CGI_MAX_PER_PAGE 100
#define CM_CGI_MAX_HITS 10000 /* page * n: the deepest hit shown */

typedef struct cm_cgi_req {
    char q[CM_CGI_MAX_Q + 1]; /* the query, NUL-terminated ("" if none) */
    size_t q_len;
    unsigned page;     /* from 1 */
    unsigned per_page; /* 1 .. CM_CGI_MAX_PER_PAGE */
    cm_search_sort sort;
    int by_doc;
    int any;
    char lang[4]; /* a language code, or "" for any */
    unsigned like; /* paragraphs like this one (a docid, cm_search_opts
                      like); 0: none, the query q */
    int json;      /* format=json: the answer is JSON (cm_json.h), for
                      programs, not the page */
} cm_cgi_req;

/* Read the query string qs[0..qs_len) into *req.  CM_OK, or CM_EINVAL
 * with err[0..err_len) naming the parameter and the fault ("parameter
 * 'page': not a whole number from 1 to 1000"); *req is then the defaults
 * with what was read before the fault. */
cm_status cm_cgi_parse(const char *qs, size_t qs_len, cm_cgi_req *req,
                       char *err, size_t err_len) CM_NOEXCEPT CM_MUST_CHECK;

/* What the answer shows. */
typedef struct cm_cgi_page {
    int status;            /* HTTP status: 200, 400, 404, 405, 414, 500,
                              503 */
    const cm_cgi_req *req; /* the request (its form is shown), or NULL */
    const cm_results *res; /* the hits, or NULL */
    const char *message;   /* a message above the hits, or NULL */
    unsigned column;       /* with a query error, its column in q (from
                              1; 0: none): the query is shown marked */
    int plain;             /* res holds the query read as plain words */
    const cm_config *cfg;  /* its link rules make each hit's file name a
                              link to the document (cm_config_link), or
                              NULL */
    const char *const *langs; /* the index's languages, most paragraphs
                                 first, offered in the form */
    size_t n_langs;
} cm_cgi_page;

/* Append the whole answer to out: the CGI header lines (Status,
 * Content-Type, the security headers; Allow with 405, Retry-After with
 * 503), a blank line, then, unless head_only, the HTML page.  Sticky
 * status as cm_buf's: nothing is done once *st is not CM_OK. */
void cm_cgi_render(cm_status *st, cm_buf *out, const cm_cgi_page *pg,
                   int head_only) CM_NOEXCEPT;

/* Append s[0..n) escaped for HTML text and attribute values (& < > " '
 * as references; bytes that are not UTF-8, and C0 controls but tab and
 * newline, as U+FFFD). */
void cm_cgi_escape(cm_status *st, cm_buf *b, const char *s,
                   size_t n) CM_NOEXCEPT;

/* Append s[0..n) percent-encoded for a query string value (unreserved
 * bytes kept, a space as '+'). */
void cm_cgi_urlencode(cm_status *st, cm_buf *b, const char *s,
                      size_t n) CM_NOEXCEPT;

CM_END_DECLS

#endif
