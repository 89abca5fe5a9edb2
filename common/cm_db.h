/* cm_db.h: a thin C API over the parts of Xapian that cmsearch uses.
 *
 * This header names no C++ type and compiles as C99.  The implementation,
 * cm_db.cc, is the only C++ file of the project and the only one that
 * includes <xapian.h>.  No exception crosses this boundary: every entry
 * point catches everything and returns a cm_status.
 *
 * Conventions:
 *  - Handles are opaque.  Every _free()/_close() accepts NULL.
 *  - Functions that fail set their out-pointers to NULL (or 0).
 *  - The text of the last error is on the handle the call was made on
 *    (cm_db_errmsg, cm_enquire_errmsg, cm_mset_errmsg, cm_xdoc_errmsg) and
 *    stays valid until the next call on that handle.  Constructors without a
 *    handle take char **errmsg: on failure *errmsg is a malloc'd message the
 *    caller frees (or NULL when out of memory); on success it is NULL.
 *    errmsg itself may be NULL when the caller does not want the text.
 *  - Terms are byte strings (UTF-8 by convention) with an explicit length;
 *    a term longer than CM_DB_MAX_TERM bytes is refused with CM_EINVAL before
 *    it reaches Xapian, and so is an empty term (Xapian reads "" as "every
 *    document": deleting by "" would empty the database).
 *  - Statuses that any call on a database may return beyond those listed:
 *    CM_ENOMEM, CM_EXAPIAN, CM_EINTERNAL; calls that read it also
 *    CM_EMODIFIED, CM_ECORRUPT and CM_EIO, and on a remote one CM_ENETWORK.
 *
 * Error mapping: DatabaseNotFoundError -> CM_ENOTFOUND; DatabaseLockError ->
 * CM_ELOCKED; DatabaseModifiedError -> CM_EMODIFIED; DatabaseCorruptError ->
 * CM_ECORRUPT; DatabaseVersionError -> CM_EVERSION; DatabaseOpeningError ->
 * CM_EOPEN; NetworkError -> CM_ENETWORK; InvalidArgumentError and
 * InvalidOperationError -> CM_EINVAL; DocNotFoundError -> CM_ENOTFOUND;
 * QueryParserError and WildcardError -> CM_EQUERY; DatabaseError and other
 * I/O failures -> CM_EIO; std::bad_alloc -> CM_ENOMEM; any other Xapian::Error
 * -> CM_EXAPIAN; anything else -> CM_EINTERNAL.
 */
#ifndef CM_DB_H
#define CM_DB_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

/* Glass allows 245 bytes per term; we keep a margin like omega's hashterm. */
#define CM_DB_MAX_TERM 240

typedef struct cm_db cm_db;           /* a database, read-only or writable */
typedef struct cm_xdoc cm_xdoc;       /* one Xapian document */
typedef struct cm_xquery cm_xquery;   /* one node of a query tree */
typedef struct cm_enquire cm_enquire; /* a search session on a database */
typedef struct cm_mset cm_mset;       /* one page of ranked results */
typedef struct cm_stem cm_stem;       /* a Snowball stemmer */

/* Callbacks used to iterate.  Return 0 to go on, non-zero to stop early (the
 * iterating function then returns CM_OK).  The strings passed are valid only
 * during the call and are not NUL-terminated unless stated. */
typedef int (*cm_db_str_fn)(void *ctx, const char *s, size_t s_len,
                            unsigned count);
typedef int (*cm_db_docid_fn)(void *ctx, unsigned docid);

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */

/* Flags for cm_db_open_writable(). */
#define CM_DB_CREATE 0x01    /* create the database if it does not exist */
#define CM_DB_OVERWRITE 0x02 /* create, replacing any existing database */
#define CM_DB_WAIT_LOCK 0x04 /* block until the write lock is free */
#define CM_DB_NO_SYNC 0x08   /* don't fsync on commit (full rebuilds) */
/* A database filled from empty: Xapian merges the changes it holds into
 * its tables every CM_DB_BULK_FLUSH documents instead of its default
 * 10,000 (XAPIAN_FLUSH_THRESHOLD, which the environment can still set).
 * The open sets that variable for the moment it takes, so open with it
 * while no other thread reads the environment. */
#define CM_DB_BULK 0x10
#define CM_DB_BULK_FLUSH "1000"

/* Open a database read-only.  path is a database directory or a stub file
 * listing shards (local and remote).  An index swapped by cmindex while it
 * is being opened (what is at path changed) is opened again.  Returns
 * CM_ENOTFOUND when nothing is there, CM_EOPEN, CM_ECORRUPT or CM_EVERSION
 * when it can't be read, CM_EINVAL when path is NULL.  The caller frees
 * *out with cm_db_close(). */
cm_status cm_db_open(const char *path, cm_db **out,
                     char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Write db (all of its shards, read-only or writable) as one new, fully
 * compacted database in the directory dst, which must not exist or be
 * empty: the way a parallel build ends up as one database that searches
 * faster.  Document ids are renumbered (shard after shard); terms,
 * postings, values, data, metadata, spelling and synonyms are kept.
 * Statuses as for the other calls on db; the error text on db. */
cm_status cm_db_compact(cm_db *db, const char *dst) CM_NOEXCEPT CM_MUST_CHECK;

/* Called by cm_db_compact_each() when Xapian is done with one of its
 * tables ("postlist", "docdata", "termlist", "position", "spelling",
 * "synonym", in that order, also one that no source has): written to dst,
 * the sources' copies of it are not read again. */
typedef void (*cm_db_table_fn)(void *ctx, const char *table);

/* cm_db_compact(), with merged(ctx, table) called as each table is done
 * (merged may be NULL). */
cm_status cm_db_compact_each(cm_db *db, const char *dst,
                             cm_db_table_fn merged,
                             void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* Open n local databases (directories or stub files) as one read-only
 * database, searched together.  n must be at least 1.  Statuses as for
 * cm_db_open(). */
cm_status cm_db_open_shards(const char *const *paths, size_t n, cm_db **out,
                            char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Open a remote database served by xapian-tcpsrv at host:port, read-only.
 * timeout_ms bounds connecting and each later operation (0: Xapian's
 * default).  CM_ENETWORK when the server can't be reached. */
cm_status cm_db_open_remote(const char *host, unsigned port,
                            unsigned timeout_ms, cm_db **out,
                            char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Open a database for writing (CM_DB_* flags).  Without CM_DB_CREATE or
 * CM_DB_OVERWRITE a missing database is CM_ENOTFOUND.  When another writer
 * holds the lock: CM_ELOCKED at once, or wait with CM_DB_WAIT_LOCK. */
cm_status cm_db_open_writable(const char *path, unsigned flags, cm_db **out,
                              char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Close and free.  A writable database commits pending changes that are not
 * inside a transaction; changes inside an open transaction are discarded.
 * Errors while closing are ignored: call cm_db_commit() first to see them. */
void cm_db_close(cm_db *db) CM_NOEXCEPT;

/* The text of the last error on db ("" when none).  Valid until the next
 * call on db. */
const char *cm_db_errmsg(const cm_db *db) CM_NOEXCEPT;

/* 1 when db was opened writable, 0 otherwise. */
int cm_db_is_writable(const cm_db *db) CM_NOEXCEPT;

/* Read-only databases: move to the latest committed revision (the remedy
 * for CM_EMODIFIED); one opened by path whose index was swapped (a table
 * gone: CM_EOPEN) is opened again from the path.  On a writable database
 * it does nothing. */
cm_status cm_db_reopen(cm_db *db) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Transactions (writable databases; otherwise CM_EINVAL)              */

/* Commit pending changes made outside a transaction. */
cm_status cm_db_commit(cm_db *db) CM_NOEXCEPT CM_MUST_CHECK;
/* Start a transaction; flushed != 0 makes it commit on its own when ended,
 * so that it is atomic on disk.  Nested transactions are CM_EINVAL. */
cm_status cm_db_begin(cm_db *db, int flushed) CM_NOEXCEPT CM_MUST_CHECK;
/* End the open transaction, keeping its changes. */
cm_status cm_db_commit_transaction(cm_db *db) CM_NOEXCEPT CM_MUST_CHECK;
/* End the open transaction, discarding its changes. */
cm_status cm_db_cancel_transaction(cm_db *db) CM_NOEXCEPT CM_MUST_CHECK;
/* 1 when a writable database has changes that the next commit will
 * write: something written since the last commit or the opening (changes
 * of a cancelled transaction do not count), 0 otherwise. */
int cm_db_has_changes(const cm_db *db) CM_NOEXCEPT;

/* ------------------------------------------------------------------ */
/* Documents                                                           */

/* A new empty document, freed with cm_xdoc_free(). */
cm_status cm_xdoc_new(cm_xdoc **out) CM_NOEXCEPT CM_MUST_CHECK;
void cm_xdoc_free(cm_xdoc *doc) CM_NOEXCEPT;
/* Remove all terms, values and data, so the handle can be reused. */
cm_status cm_xdoc_clear(cm_xdoc *doc) CM_NOEXCEPT CM_MUST_CHECK;
const char *cm_xdoc_errmsg(const cm_xdoc *doc) CM_NOEXCEPT;

/* Add term at word position pos (positions start at 1 by Xapian's habit,
 * but any value is allowed), raising its wdf by wdfinc. */
cm_status cm_xdoc_add_posting(cm_xdoc *doc, const char *term, size_t term_len,
                              unsigned pos,
                              unsigned wdfinc) CM_NOEXCEPT CM_MUST_CHECK;
/* Add term without a position, raising its wdf by wdfinc. */
cm_status cm_xdoc_add_term(cm_xdoc *doc, const char *term, size_t term_len,
                           unsigned wdfinc) CM_NOEXCEPT CM_MUST_CHECK;
/* Add a term that does not count towards the document length or weight
 * (wdf 0): filters, unique ids. */
cm_status cm_xdoc_add_boolean_term(cm_xdoc *doc, const char *term,
                                   size_t term_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Remove term and all its positions from doc; CM_ENOTFOUND when doc does
 * not have it. */
cm_status cm_xdoc_remove_term(cm_xdoc *doc, const char *term,
                              size_t term_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Set value slot to val (an empty val removes it). */
cm_status cm_xdoc_set_value(cm_xdoc *doc, unsigned slot, const char *val,
                            size_t val_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Read value slot; *val points into doc, valid until doc changes or is
 * freed; "" with *val_len 0 when unset. */
cm_status cm_xdoc_get_value(cm_xdoc *doc, unsigned slot, const char **val,
                            size_t *val_len) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_xdoc_set_data(cm_xdoc *doc, const char *data,
                           size_t data_len) CM_NOEXCEPT CM_MUST_CHECK;
/* *data points into doc, valid until doc changes or is freed, and is
 * NUL-terminated. */
cm_status cm_xdoc_get_data(cm_xdoc *doc, const char **data,
                           size_t *data_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, term, term_len, wdf) for each term of doc in sorted order. */
cm_status cm_xdoc_terms(cm_xdoc *doc, cm_db_str_fn fn,
                        void *ctx) CM_NOEXCEPT CM_MUST_CHECK;
/* Number of distinct terms in doc. */
cm_status cm_xdoc_term_count(cm_xdoc *doc,
                             unsigned *count) CM_NOEXCEPT CM_MUST_CHECK;

/* Add doc as a new document; *docid (may be NULL) gets its id. */
cm_status cm_db_add_document(cm_db *db, const cm_xdoc *doc,
                             unsigned *docid) CM_NOEXCEPT CM_MUST_CHECK;
/* Replace the documents indexed by the unique term idterm with doc (add it
 * when there is none).  doc should itself contain idterm. */
cm_status cm_db_replace_document(cm_db *db, const char *idterm,
                                 size_t idterm_len, const cm_xdoc *doc,
                                 unsigned *docid) CM_NOEXCEPT CM_MUST_CHECK;
/* Delete every document indexed by term (nothing to delete is CM_OK). */
cm_status cm_db_delete_documents(cm_db *db, const char *term,
                                 size_t term_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Delete one document by id; CM_ENOTFOUND when there is none. */
cm_status cm_db_delete_docid(cm_db *db,
                             unsigned docid) CM_NOEXCEPT CM_MUST_CHECK;
/* Fetch document docid; CM_ENOTFOUND when there is none.  The caller frees
 * *out with cm_xdoc_free(). */
cm_status cm_db_get_document(cm_db *db, unsigned docid,
                             cm_xdoc **out) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Statistics and iteration                                            */

cm_status cm_db_doc_count(cm_db *db, unsigned *count) CM_NOEXCEPT CM_MUST_CHECK;
/* Whether db is one local database: no shards, nothing remote. */
int cm_db_is_local_one(const cm_db *db) CM_NOEXCEPT;
/* Whether db, or one of its shards, is served by xapian-tcpsrv. */
int cm_db_is_remote(const cm_db *db) CM_NOEXCEPT;
cm_status cm_db_last_docid(cm_db *db,
                           unsigned *docid) CM_NOEXCEPT CM_MUST_CHECK;
/* Number of documents containing term (0 when none).  A read-only handle
 * keeps the numbers it read (those of its revision) until
 * cm_db_reopen(). */
cm_status cm_db_term_freq(cm_db *db, const char *term, size_t term_len,
                          unsigned *freq) CM_NOEXCEPT CM_MUST_CHECK;
/* Total occurrences (sum of wdf) of term in the database. */
cm_status cm_db_collection_freq(cm_db *db, const char *term, size_t term_len,
                                unsigned long long *freq) CM_NOEXCEPT
    CM_MUST_CHECK;
/* Total length of all documents (sum of wdf of non-boolean terms). */
cm_status cm_db_total_length(cm_db *db, unsigned long long *len) CM_NOEXCEPT
    CM_MUST_CHECK;
/* The revision of a single local database (CM_EINVAL for several shards or
 * a remote database). */
cm_status cm_db_revision(cm_db *db,
                         unsigned long long *rev) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, docid) for each document containing term, in docid order. */
cm_status cm_db_postlist(cm_db *db, const char *term, size_t term_len,
                         cm_db_docid_fn fn,
                         void *ctx) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, term, term_len, termfreq) for each term starting with prefix
 * (NULL or "" for all), in sorted order. */
cm_status cm_db_allterms(cm_db *db, const char *prefix, cm_db_str_fn fn,
                         void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Metadata: user key/value pairs stored inside the database           */

/* *value is a malloc'd, NUL-terminated copy the caller frees ("" when the
 * key is unset).  Keys are non-empty. */
cm_status cm_db_get_metadata(cm_db *db, const char *key, char **value,
                             size_t *value_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Set key to value; an empty value removes the key.  Writable only. */
cm_status cm_db_set_metadata(cm_db *db, const char *key, const char *value,
                             size_t value_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, key, key_len, 0) for each metadata key starting with prefix
 * (NULL or "" for all), in sorted order. */
cm_status cm_db_metadata_keys(cm_db *db, const char *prefix, cm_db_str_fn fn,
                              void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* Metadata that describes the database as of one commit: what is derived
 * from its contents, kept beside them.  cm_db_set_stamped() stores value
 * under key for the next commit, stamped with the database's UUID and the
 * revision that commit makes: call it just before cm_db_commit(), when
 * there are changes to commit (cm_db_has_changes()).  cm_db_get_stamped()
 * gives it back (*value malloc'd, NUL-terminated) only while the database
 * is at that commit; otherwise *value is NULL and *value_len 0: another
 * commit since, a compaction, several shards or a remote one (an empty
 * value is none).  A read-only handle keeps what it read until
 * cm_db_reopen(). */
cm_status cm_db_set_stamped(cm_db *db, const char *key, const char *value,
                            size_t value_len) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_db_get_stamped(cm_db *db, const char *key, char **value,
                            size_t *value_len) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Spelling and synonyms                                               */

/* Add word to the spelling dictionary (freqinc: how much more frequent). */
cm_status cm_db_add_spelling(cm_db *db, const char *word,
                             unsigned freqinc) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_db_remove_spelling(cm_db *db, const char *word,
                                unsigned freqdec) CM_NOEXCEPT CM_MUST_CHECK;
/* The best suggestion for word within max_edit edits (*out malloc'd, ""
 * when there is none). */
cm_status cm_db_spelling_suggest(cm_db *db, const char *word,
                                 unsigned max_edit,
                                 char **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, word, len, frequency) for each word of the spelling
 * dictionary, in sorted order, until fn returns nonzero.  A remote
 * database has none to give. */
cm_status cm_db_spelling_words(cm_db *db, cm_db_str_fn fn,
                               void *ctx) CM_NOEXCEPT CM_MUST_CHECK;
/* Record synonym as a synonym of term (term may be a space-separated
 * phrase). */
cm_status cm_db_add_synonym(cm_db *db, const char *term,
                            const char *synonym) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_db_clear_synonyms(cm_db *db,
                               const char *term) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, synonym, len, 0) for each synonym of term. */
cm_status cm_db_synonyms(cm_db *db, const char *term, cm_db_str_fn fn,
                         void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Queries: immutable trees.  Combining functions copy what they need from
 * their arguments (Xapian queries are reference counted), so every node the
 * caller made is freed by the caller with cm_xquery_free(), in any order.
 * Queries are independent of any database.                            */

typedef enum {
    CM_XQ_AND,       /* all subqueries */
    CM_XQ_OR,        /* any subquery */
    CM_XQ_AND_NOT,   /* the first, none of the others */
    CM_XQ_AND_MAYBE, /* the first; the others only add weight */
    CM_XQ_FILTER,    /* the first, restricted by the others (no weight) */
    CM_XQ_SYNONYM,   /* any subquery, weighted as one term */
    CM_XQ_PHRASE,    /* in order, within window positions (0: exact) */
    CM_XQ_NEAR,      /* any order, within window positions (0: n) */
    CM_XQ_MAX_OP
} cm_xquery_op;

/* A term (wqf: within-query frequency, normally 1; pos: query position, 0
 * when irrelevant). */
cm_status cm_xquery_term(const char *term, size_t term_len, unsigned wqf,
                         unsigned pos,
                         cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Every document, or no document. */
cm_status cm_xquery_match_all(cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_xquery_match_nothing(cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Combine n >= 1 subqueries with op; window is used by PHRASE and NEAR. */
cm_status cm_xquery_combine(cm_xquery_op op, cm_xquery *const *subs, size_t n,
                            unsigned window,
                            cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Terms starting with prefix, OR'ed as a synonym.  More than max_expansion
 * (0: unlimited) terms makes the search fail with CM_EQUERY. */
cm_status cm_xquery_wildcard(const char *prefix, size_t prefix_len,
                             unsigned max_expansion,
                             cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Documents whose value in slot lies in [lo, hi] (string order); lo or hi
 * NULL means unbounded on that side. */
cm_status cm_xquery_value_range(unsigned slot, const char *lo, const char *hi,
                                cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Another handle on q, the same query (Xapian shares it). */
cm_status cm_xquery_copy(const cm_xquery *q,
                         cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* q with its weight multiplied by factor (>= 0). */
cm_status cm_xquery_scale_weight(const cm_xquery *q, double factor,
                                 cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* Every document, each with the same weight (>= 0, finite): AND it with a
 * query to give that query's matches a constant weight whatever their
 * wdf (a boost on terms indexed with wdf 0, say). */
cm_status cm_xquery_fixed_weight(double weight,
                                 cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* The documents ids[0..n) (docids of documents of the database, in any
 * order; those past the last are left out), with no weight: a filter.
 * Only for a database of cm_db_is_local_one(). */
cm_status cm_xquery_docids(const unsigned *ids, size_t n,
                           cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;
/* The documents first[i]..last[i] for i < n (runs that ascend and are
 * apart, cm_runs.h; CM_EINVAL otherwise), with no weight: a filter that
 * moves to a document by a binary search, where a boolean term's
 * postlist decodes its postings up to it.  Described as
 * "cm_runs(<label>: <n> runs)".  Only for a database of
 * cm_db_is_local_one(). */
cm_status cm_xquery_docid_runs(const unsigned *first, const unsigned *last,
                               size_t n, const char *label,
                               cm_xquery **out) CM_NOEXCEPT CM_MUST_CHECK;

/* Xapian's description of q (*out malloc'd), for --explain and tests. */
cm_status cm_xquery_describe(const cm_xquery *q,
                             char **out) CM_NOEXCEPT CM_MUST_CHECK;
/* 1 when q matches nothing by construction (an empty query, or NULL). */
int cm_xquery_is_empty(const cm_xquery *q) CM_NOEXCEPT;
void cm_xquery_free(cm_xquery *q) CM_NOEXCEPT;

/* ------------------------------------------------------------------ */
/* Searching                                                           */

/* A search session on db, which must outlive it.  Freed with
 * cm_enquire_free(). */
cm_status cm_enquire_new(cm_db *db, cm_enquire **out) CM_NOEXCEPT CM_MUST_CHECK;
void cm_enquire_free(cm_enquire *enq) CM_NOEXCEPT;
const char *cm_enquire_errmsg(const cm_enquire *enq) CM_NOEXCEPT;
cm_status cm_enquire_set_query(cm_enquire *enq,
                               const cm_xquery *q) CM_NOEXCEPT CM_MUST_CHECK;
/* BM25 with the given parameters (Xapian's defaults: 1, 0, 1, 0.5, 0.5). */
cm_status cm_enquire_set_bm25(cm_enquire *enq, double k1, double k2, double k3,
                              double b,
                              double min_normlen) CM_NOEXCEPT CM_MUST_CHECK;
/* Weight every match 0 (pure boolean filtering). */
cm_status cm_enquire_set_bool_weight(cm_enquire *enq) CM_NOEXCEPT CM_MUST_CHECK;
/* Sort by relevance (the default). */
cm_status cm_enquire_sort_by_relevance(cm_enquire *enq) CM_NOEXCEPT
    CM_MUST_CHECK;
/* Sort by the string in value slot (ascending, or descending when reverse),
 * ties broken by relevance. */
cm_status cm_enquire_sort_by_value(cm_enquire *enq, unsigned slot,
                                   int reverse) CM_NOEXCEPT CM_MUST_CHECK;
/* Keep at most max (>= 1) matches per distinct value of slot. */
cm_status cm_enquire_set_collapse_key(cm_enquire *enq, unsigned slot,
                                      unsigned max) CM_NOEXCEPT CM_MUST_CHECK;
/* Run the search: matches offset .. offset+limit-1, counting at least
 * check_at_least matches exactly.  CM_EMODIFIED: reopen the database and
 * retry; CM_EQUERY: e.g. a wildcard over its expansion limit.  The caller
 * frees *out with cm_mset_free(); enq and its database must outlive it. */
cm_status cm_enquire_get_mset(cm_enquire *enq, unsigned offset, unsigned limit,
                              unsigned check_at_least,
                              cm_mset **out) CM_NOEXCEPT CM_MUST_CHECK;

/* The words that best tell document docid from the others (Xapian's
 * expand set, the document as its one relevant document), best first:
 * fn(ctx, term, term_len, 0) for at most max of them, until fn returns
 * nonzero.  Only terms without a prefix (not starting with an ASCII
 * capital): the words of the text, not its stems or metadata.
 * CM_ENOTFOUND when there is no such document. */
cm_status cm_db_like_terms(cm_db *db, unsigned docid, unsigned max,
                           cm_db_str_fn fn,
                           void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* Count the matches as cm_enquire_get_mset(enq, 0, 0, check_at_least)
 * does, calling fn(ctx, docid) for each document Xapian looks at on the
 * way (its MatchSpy): with check_at_least at least the number of matches,
 * each match once; otherwise at least check_at_least of them (over
 * shards, exactly the first check_at_least by docid, and enq keeps that
 * order).  fn's return is ignored.  *lower, *estimated and *upper as cm_mset_totals().
 * A remote database cannot be sent fn: CM_EXAPIAN. */
cm_status cm_enquire_spy(cm_enquire *enq, unsigned check_at_least,
                         cm_db_docid_fn fn, void *ctx, unsigned *lower,
                         unsigned *estimated,
                         unsigned *upper) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Results                                                             */

void cm_mset_free(cm_mset *ms) CM_NOEXCEPT;
const char *cm_mset_errmsg(const cm_mset *ms) CM_NOEXCEPT;
/* Number of matches in this page. */
unsigned cm_mset_size(const cm_mset *ms) CM_NOEXCEPT;
/* Bounds and estimate of the total number of matches. */
cm_status cm_mset_totals(const cm_mset *ms, unsigned *lower,
                         unsigned *estimated,
                         unsigned *upper) CM_NOEXCEPT CM_MUST_CHECK;
/* For the i-th match of the page (0-based; CM_EINVAL past the end): */
cm_status cm_mset_docid(const cm_mset *ms, unsigned i,
                        unsigned *docid) CM_NOEXCEPT CM_MUST_CHECK;
/* Rank in the whole result list, 0-based (offset + i). */
cm_status cm_mset_rank(const cm_mset *ms, unsigned i,
                       unsigned *rank) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_mset_weight(const cm_mset *ms, unsigned i,
                         double *weight) CM_NOEXCEPT CM_MUST_CHECK;
/* How many other matches the collapse key removed for this one. */
cm_status cm_mset_collapse_count(const cm_mset *ms, unsigned i,
                                 unsigned *count) CM_NOEXCEPT CM_MUST_CHECK;
/* The match's data and values; *data / *val point into ms (NUL-terminated)
 * and stay valid until ms is freed.  CM_EMODIFIED as for get_mset. */
cm_status cm_mset_data(cm_mset *ms, unsigned i, const char **data,
                       size_t *data_len) CM_NOEXCEPT CM_MUST_CHECK;
cm_status cm_mset_value(cm_mset *ms, unsigned i, unsigned slot,
                        const char **val,
                        size_t *val_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Call fn(ctx, term, len, 0) for each query term the match contains. */
cm_status cm_mset_matching_terms(cm_mset *ms, unsigned i, cm_db_str_fn fn,
                                 void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Stemmers (Xapian's Snowball stemmers)                               */

/* A stemmer for lang: a language name or ISO 639 code Xapian knows ("en",
 * "english", "fr", ...).  CM_ENOTFOUND for an unknown language.  Freed with
 * cm_stem_free(). */
cm_status cm_stem_new(const char *lang, cm_stem **out,
                      char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;
void cm_stem_free(cm_stem *st) CM_NOEXCEPT;
/* Stem word; *out points into st, NUL-terminated, valid until the next call
 * on st. */
cm_status cm_stem_apply(cm_stem *st, const char *word, size_t word_len,
                        const char **out,
                        size_t *out_len) CM_NOEXCEPT CM_MUST_CHECK;
/* Space-separated list of the languages available (static string). */
const char *cm_stem_languages(void) CM_NOEXCEPT;

/* The Xapian library version ("1.4.22"), a static string. */
const char *cm_db_xapian_version(void) CM_NOEXCEPT;

CM_END_DECLS

#endif
