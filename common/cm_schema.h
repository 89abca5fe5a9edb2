/* cm_schema.h: the index schema, in one place.
 *
 * One Xapian document per paragraph.  Prefixes follow Xapian Omega's
 * conventions where one exists; X... are ours.  doc/schema.md describes the
 * same thing for people; change both together.
 */
#ifndef CM_SCHEMA_H
#define CM_SCHEMA_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

/* Bump when the index layout changes incompatibly; cmindex refuses an index
 * with another version and says to rebuild. */
#define CM_SCHEMA_VERSION "8"

/* Metadata keys. */
#define CM_META_SCHEMA "cmsearch.schema" /* CM_SCHEMA_VERSION */
#define CM_META_FILE "F"                 /* F<file key> -> file state */
/* The paragraphs of each stemmer language, "<code>=<count>" for every
 * code of cm_tok_stem_lang() separated by spaces ("ar=0 ... en=2153 ..."):
 * the L terms' frequencies, stamped (cm_db_set_stamped()) at each commit
 * that changes the index and after a merge; a query reads them instead of
 * looking up thirty terms.  Not part of the schema: an index without it,
 * or whose stamp is stale, is read as before. */
#define CM_META_LANGS "cmsearch.langs"
/* The paragraphs of a language as runs of consecutive docids
 * (cm_runs.h): "cmsearch.lruns.<code>", stamped like CM_META_LANGS, for
 * each L term whose paragraphs are runs of four on average and take at
 * most CM_LANG_RUNS_MAX bytes; a query keeps a word to a language with
 * them (cm_xquery_docid_runs()) instead of the L term's postings.  Not
 * part of the schema either: without them, or stale, the L term. */
#define CM_META_LANG_RUNS "cmsearch.lruns."
#define CM_LANG_RUNS_MAX 65536

/* Term prefixes. */
#define CM_PFX_ID "Q"        /* Q<file key>#<ordinal>: no longer written
                                (cm_index.c's old_id_term()) */
#define CM_PFX_FILE "P"      /* the source file: P<file key> (boolean) */
#define CM_PFX_LANG "L"      /* paragraph language: Len (boolean) */
#define CM_PFX_YEAR "Y"      /* Y2008 (boolean) */
#define CM_PFX_MONTH "M"     /* M200803 (boolean) */
#define CM_PFX_DATE "D"      /* D20080328 (boolean) */
#define CM_PFX_TITLE "S"     /* words of the document title (positional) */
#define CM_PFX_DOCNUM "XDOC" /* document number digits: XDOC11549 */
#define CM_PFX_TYPE "XTYPE"  /* document type: XTYPErecommendation */
#define CM_PFX_SECTION "XSEC" /* paragraph section: XSECfootnote */
#define CM_PFX_REF "XREF"    /* canonical key of a cited reference */

/* Within-document frequencies are normalised for the paragraph's length
 * when it is indexed, so that BM25 needs no document lengths at query time
 * (looking them up was half the time of a query on a common word):
 *
 *   wdf = max(1, round(tf * CM_WDF_UNIT * CM_WDF_REF_LEN / max(len, CM_WDF_MIN_LEN)))
 *         (times CM_WDF_HEADING in a heading)
 *
 * for each word and stem term, tf its occurrences, len the paragraph's
 * words; a heading's words count CM_WDF_HEADING times (what weighs the
 * words of headings above those of the body, with no work at query time:
 * the query-time boost, a filter on the headings, cost a third of a
 * query).  BM25 with b = 0 and k1 * CM_WDF_UNIT over these wdfs ranks as
 * BM25 with b = 1 over the raw counts, with CM_WDF_REF_LEN words as the
 * average length and CM_WDF_MIN_LEN as the shortest length counted
 * (cm_search.c), up to rounding; its weights are larger by
 * CM_BM25_SCALE. */
#define CM_WDF_UNIT 64
#define CM_WDF_REF_LEN 32
#define CM_WDF_MIN_LEN 3.2
#define CM_WDF_HEADING 2
#define CM_BM25_K1 1.0
#define CM_BM25_SCALE \
    ((CM_BM25_K1 * CM_WDF_UNIT + 1) / (CM_BM25_K1 + 1))

/* The wdf of a term occurring tf times in a paragraph of len words, each
 * occurrence counting weight times (1, or CM_WDF_HEADING). */
unsigned cm_schema_wdf(unsigned tf, unsigned len,
                       unsigned weight) CM_NOEXCEPT;

/* Stems: Z<stemmer code>:<stem> (no positions), written for the words of
 * a paragraph of the stemmer's language that are not their own stem
 * ("migrations", "migrated": Zen:migrat; "rights": Zen:right).  A word
 * that is its own stem ("right", and the function words) has none, which
 * leaves 44% of the stem postings of the treaties: the searcher looks for
 * a stem that is a word as that word, kept to the paragraphs where it is
 * that stem with what cmindex writes beside:
 *
 *   Z:<word>   in Xapian's synonym table (merged over shards and by
 *              compaction): the languages (paragraph codes, "-" for none)
 *              of the paragraphs holding the word: Z:dat -> nl, fr.  The
 *              Italian stem of "dati" is "dat", a Dutch word: the searcher
 *              keeps "dat" to Italian and French paragraphs.
 *   Z!<term>   a boolean term on a paragraph that holds the term only in
 *              words that are not their own stem although the term is (an
 *              accented word: French "confèrent" stems to "confer", its
 *              term "conferent" to itself, the French stem of
 *              "conference"): the searcher leaves it out.
 *
 * Whether a word is its own stem is decided on its term, which is all the
 * searcher has: its stem is its term, and so is its term's. */
#define CM_PFX_STEM "Z"       /* Z<code>:<stem> (no positions) */
#define CM_PFX_NOT_OWN "Z!"   /* Z!<term>: the paragraph holds the term
                                 only in words that are not their own stem
                                 (boolean) */
#define CM_SYN_LANGS "Z:"     /* Z:<word> -> language codes */
#define CM_SYN_NO_LANG "-"    /* the code of a paragraph of no language */

/* Value slots. */
#define CM_SLOT_DATE 0    /* YYYY-MM-DD of the document, sorts by date */
#define CM_SLOT_FILE 1    /* file key: collapse to one hit per document */

/* The key that names a source file in the index: its canonical path when
 * that fits in a term, else a prefix of it and a hash of the whole path.
 * *out is malloc'd. */
cm_status cm_schema_file_key(const char *canonical_path, char **out)
    CM_NOEXCEPT CM_MUST_CHECK;

/* Write prefix + value into buf (size cap), cutting value so that the term
 * fits CM_DB_MAX_TERM bytes: a long value is shortened to a prefix and a
 * hash of the whole value, so distinct values stay distinct.  Returns the
 * term's length. */
size_t cm_schema_term(char *buf, size_t cap, const char *prefix,
                      const char *value, size_t value_len) CM_NOEXCEPT;

/* The prefix of the stem terms of the stemmer named code (see
 * cm_tok_stem_code()), "Z<code>:", in out[16]; a stem term is this prefix
 * and the stem, written with cm_schema_term().  Keyed by the stemmer, a
 * stem matches only words of paragraphs of its language, without a
 * language filter at query time. */
void cm_schema_stem_prefix(char out[16], const char *code) CM_NOEXCEPT;

/* The metadata key of the runs of language code[0..len)
 * (CM_META_LANG_RUNS + code) in out[64]; 0 when the code does not fit
 * (cmindex writes codes of two or three letters). */
int cm_schema_runs_key(char out[64], const char *code, size_t len) CM_NOEXCEPT;

/* 64-bit hash (XXH3) of p[0..n). */
unsigned long long cm_schema_hash64(const void *p, size_t n) CM_NOEXCEPT;

/* 64-bit content hash (XXH3) of p[0..n), as 16 hex digits in out[17]. */
void cm_schema_hash_hex(const void *p, size_t n, char out[17]) CM_NOEXCEPT;

CM_END_DECLS

#endif
