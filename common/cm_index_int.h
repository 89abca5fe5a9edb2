/* cm_index_int.h: what the analysis (cm_index_analyze.c, any thread) hands
 * to the writer (cm_index.c). */
#ifndef CM_INDEX_INT_H
#define CM_INDEX_INT_H

#include "cm_db.h"
#include "cm_index.h"
#include "cm_strset.h"

struct cm_analysis {
    cm_file_outcome outcome;
    int remembered;      /* a rejection the index already knows */
    int known;           /* the index holds paragraphs of this file */
    char *canon;
    char *file_key;
    char *reason;        /* rejected: why */
    cm_file_state state; /* to store; path and reason point into this */
    cm_xdoc **xdocs;     /* one per paragraph */
    size_t n_xdocs;
    cm_strset *words;    /* distinct words, for spelling suggestions */
    cm_strset *synonyms; /* "key\tsynonym" pairs: acronym definitions and
                            the words' languages (Z:<word>, cm_schema.h) */
    cm_strset *tf;       /* a paragraph's term counts, while building */
    cm_strset *not_own;  /* its terms of STEM_NOT_OWN words, while
                            building (cm_index_analyze.c) */
    unsigned skipped;    /* words too long to be terms, not indexed */
    unsigned long long bytes;
};

#endif
