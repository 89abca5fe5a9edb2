/* cm_search.h: running a query and collecting ranked paragraphs.
 *
 * Shared by cmsearch and the CGI: parse the query (cm_query), run it with
 * BM25 over the paragraphs (phrase, exact-form, title and heading matches
 * weighted up), and hand back each hit with the fields the indexer stored,
 * a highlighted snippet and, when the query finds little, a spelling
 * suggestion that finds more.  A database modified by cmindex during the
 * search is reopened and the search retried, never reported as an error.
 */
#ifndef CM_SEARCH_H
#define CM_SEARCH_H

#include <stddef.h>
#include "cm_db.h"
#include "cm_langcount.h"
#include "cm_query.h"
#include "cm_snippet.h"
#include "cm_status.h"

CM_BEGIN_DECLS

#define CM_SEARCH_MAX_LIMIT 1000
/* Matches looked at for the counts per language (lang_counts). */
#define CM_SEARCH_LANG_CHECK 100000

typedef enum {
    CM_SORT_RELEVANCE, /* best first (the default) */
    CM_SORT_DATE,      /* oldest document first, then relevance */
    CM_SORT_DATE_DESC  /* newest document first, then relevance */
} cm_search_sort;

typedef struct cm_search_opts {
    unsigned offset; /* skip this many hits */
    unsigned limit;  /* at most this many hits (clamped to 1000) */
    int any;         /* juxtaposed words: any of them (default: all) */
    const char *lang; /* only paragraphs of this language (a code, as
                         lang:), whatever the query says; NULL: any */
    int plain;       /* read the query as plain words (cm_query_opts) */
    int by_doc;      /* one hit per document, the best paragraph */
    cm_search_sort sort;
    int count_only;  /* count every match exactly; no hits */
    int snippets;    /* make a highlighted snippet per hit */
    size_t snippet_chars; /* 0: CM_SNIPPET_CHARS */
    int suggest;     /* look for a spelling suggestion */
    int explain;     /* keep the description of the query run */
    unsigned exact_upto; /* count matches exactly up to this many beyond
                            the page (0: 200); beyond, an estimate */
    int one_pass;    /* run the one query, with the phrase and title
                        boosts in it (the reference that the two passes
                        and the title boosts apart are tested against;
                        slower) */
    unsigned like;   /* paragraphs like this one (a docid): its words
                        that best tell it from the others, any of them,
                        as plain words (the paragraph itself among them,
                        mostly first); the query text is not read.  0:
                        none */
    int lang_counts; /* count the matches in each language
                        (cm_results.langs) of the query as if lang were
                        NULL: what each language would give */
    cm_tok *tok;     /* the analyzer to use, kept by the caller; NULL: one
                        for this search.  A caller running many searches
                        keeps its stem cache and word breaker (a tenth of
                        a two-word search in-process) */
} cm_search_opts;

/* One ranked paragraph.  Strings are NUL-terminated UTF-8, never NULL
 * ("" when unknown), owned by the cm_results. */
typedef struct cm_hit {
    unsigned rank;   /* 1-based rank in the whole result list */
    double score;    /* BM25 weight, with the boosts, on plain BM25's scale */
    unsigned docid;
    unsigned para;   /* ordinal of the paragraph in its file */
    unsigned page;   /* the page it starts on (a PDF's), from 1; 0: none */
    const char *path, *label, *section, *heading, *text, *lang;
    const char *doc, *title, *date, *type;
    const char *const *refs;
    size_t n_refs;
    unsigned collapsed;  /* with by_doc: other matching paragraphs of the
                            document (a lower bound) */
    const char *snippet; /* with snippets: the matching part ("" else) */
    size_t snippet_len;
    const cm_span *highlights; /* byte ranges in snippet */
    size_t n_highlights;
} cm_hit;

typedef struct cm_results {
    cm_hit *hits;
    size_t n_hits;
    unsigned total;       /* best estimate of all matches */
    unsigned total_lower; /* bounds of the total */
    unsigned total_upper;
    int total_exact;      /* lower == upper */
    const char *suggestion; /* "did you mean": a corrected query text that
                               finds more, or NULL */
    unsigned suggestion_total; /* its estimated matches */
    const char *explain;  /* with explain: the query as run, else NULL */
    const char *like_words; /* with like: the words searched for, by
                               spaces, else NULL */
    unsigned reranked;    /* the phrase boost ran as a second pass over
                             the first reranked paragraphs (cm_search.c);
                             0: one pass (or the first found nothing, so
                             no second ran) */
    int titles_apart;     /* the paragraphs with a word of the query in
                             their title ran apart from the others
                             (cm_search.c, run_titles_apart()) */
    int langs_counted;    /* lang_counts did count (not over a remote
                             index) */
    const cm_lang_count *langs; /* then the languages with matches, most
                                   first (cm_lang_counts()) */
    size_t n_langs;
    int langs_exact;      /* every match counted; else the counts are
                             of the first CM_SEARCH_LANG_CHECK or more
                             looked at: at least so many */
    void *priv;           /* owned storage; not for callers */
} cm_results;

/* Search db for query (UTF-8, query_len bytes).  On CM_EQUERY, *qerr says
 * where and why (a malformed query, or a word* over its expansion bound).
 * On other failures *errmsg is a malloc'd message.  *out is freed with
 * cm_results_free(). */
/* The paragraph para (its ordinal, from 1) of the file at
 * canonical_path, as a document id in *docid; CM_ENOTFOUND when the index
 * has no such paragraph. */
cm_status cm_search_paragraph(cm_db *db, const char *canonical_path,
                              unsigned para,
                              unsigned *docid) CM_NOEXCEPT CM_MUST_CHECK;

cm_status cm_search_run(cm_db *db, const char *query, size_t query_len,
                        const cm_search_opts *opts, cm_results **out,
                        cm_query_error *qerr,
                        char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

void cm_results_free(cm_results *res) CM_NOEXCEPT;

/* Whether byte i of h's snippet lies in one of its highlights (the text
 * and the page mark it). */
int cm_hit_highlighted(const cm_hit *h, size_t i) CM_NOEXCEPT;

CM_END_DECLS

#endif
