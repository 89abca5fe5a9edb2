/* cm_index.h: writing documents into the index.
 *
 * Indexing a file has two steps, so that the expensive one can run on
 * worker threads while one thread writes:
 *
 *  - cm_index_analyze() reads the file, hashes it, parses it and builds one
 *    Xapian document per paragraph.  It touches no database and is safe to
 *    run on several threads at once, each with its own cm_tok.
 *  - cm_index_apply() writes the result into the index: a file's
 *    paragraphs change inside one transaction, so a search never sees half
 *    of them, and the file's state (size, mtime, content hash) is stored
 *    with them, in the index's metadata.  One thread at a time.
 *
 * What the index knows of each file is loaded when it is opened, so that
 * deciding what changed costs no database access.
 *
 * An index is one Xapian database, or a folder of shards that Xapian opens
 * as one through the stub file XAPIANDB inside it ("auto shard0", ...).
 * Shards are written in parallel, each by its own thread; a file always
 * lives in the shard its path hashes to, with its state, so each shard is
 * consistent on its own and a file's paragraphs still change atomically.
 */
#ifndef CM_INDEX_H
#define CM_INDEX_H

#include <stddef.h>
#include <sys/types.h>
#include "cm_db.h"
#include "cm_status.h"
#include "cm_tok.h"

CM_BEGIN_DECLS

typedef struct cm_index cm_index;
typedef struct cm_analysis cm_analysis;

/* In an index of several shards, the Xapian stub file that lists them. */
#define CM_INDEX_STUB "XAPIANDB"

typedef enum {
    CM_FILE_UNCHANGED = 0, /* size and mtime as indexed: not even read */
    CM_FILE_TOUCHED,       /* mtime changed, content did not: state only */
    CM_FILE_NEW,           /* indexed for the first time */
    CM_FILE_CHANGED,       /* its paragraphs are replaced */
    CM_FILE_REJECTED       /* not indexed; the reason says why */
} cm_file_outcome;

/* What the index remembers of a file.  Rejected files are remembered too,
 * so that they are retried only when they change. */
typedef struct cm_file_state {
    unsigned long long size;
    unsigned long long mtime_ns;
    char hash[17];      /* XXH3 of the content, 16 hex digits, or "-" */
    unsigned nparas;    /* paragraphs indexed */
    int rejected;       /* 1: the file was rejected; reason holds why */
    const char *reason; /* for rejected files, else "" */
    unsigned long long limit; /* the size ceiling of the run that stored it:
                                 a rejection is retried under another */
    unsigned reader;    /* CM_DOC_READER of the run that stored it (0
                           before there was one): a rejection is retried
                           by a reader that reads more, an indexed file
                           by one that reads its format otherwise
                           (cm_index_state_stale()) */
    const char *path;   /* canonical path */
    int moved;          /* moved to another path during this run */
} cm_file_state;

typedef struct cm_index_opts {
    int create;            /* create the index when it does not exist */
    int read_only;         /* open it only to read the file states (a dry
                              run); apply and commit then fail */
    int no_sync;           /* don't fsync on commit (a rebuild syncs once at
                              the end itself) */
    const char *lang;      /* language of paragraphs the model leaves
                              unknown (ISO 639-1), or NULL */
    size_t max_file_bytes; /* larger files are rejected; 0: 64 MiB */
    size_t commit_bytes;   /* commit after this much text (per shard);
                              0: 64 MiB */
    unsigned shards;       /* for a new index: how many shards to write in
                              parallel (0 or 1: one plain database) */
    int keep_shards;       /* for a new index: the shards are meant to stay
                              (the stub says so); else they are written in
                              parallel only to be merged at the end */
    int lock_only;         /* open an existing index only to hold its
                              writer's lock while a rebuild replaces it
                              (cmindex --full): any schema version, no file
                              states; nothing is written to it */
} cm_index_opts;

/* Stamp the paragraph counts of the stemmer languages on db, a writable
 * database, for its next commit (CM_META_LANGS), and the runs of each
 * language's paragraphs (CM_META_LANG_RUNS): cm_index_commit() does
 * before each commit that writes, cmindex after merging shards. */
cm_status cm_index_stamp_langs(cm_db *db) CM_NOEXCEPT CM_MUST_CHECK;

/* 1 when the index at dbpath is shards that its writer means to merge
 * into one database (written without keep_shards), 0 when it is one
 * database, shards meant to stay, or not an index. */
int cm_index_wants_merge(const char *dbpath) CM_NOEXCEPT;

/* 1 when dbpath holds an index that searches read as it is: one database,
 * or shards meant to stay; 0 for none, or shards still to be merged. */
int cm_index_is_live(const char *dbpath) CM_NOEXCEPT;

/* Drop the pages of Xapian's table (its name: "docdata") in each shard of
 * the index at dbpath from the page cache, once a merge has read them
 * (cm_db_compact_each()): the shards are deleted after it, and their
 * pages would otherwise push the pages other programs use (the live
 * index's, for its searches) out of the cache, and leave the merged
 * database's to take memory of their own.  Advice to the kernel: pages
 * not yet written out stay until they are. */
void cm_index_drop_cached(const char *dbpath, const char *table) CM_NOEXCEPT;

/* Open the index at dbpath for writing, as opts say, and load the state of
 * every indexed file.  An index written with another schema version is
 * refused with CM_EVERSION and a message saying to rebuild.  CM_ELOCKED
 * when another writer holds it, CM_ENOTFOUND when missing and !create.
 * *errmsg: as for cm_db_open_writable().  opts must outlive the index. */
cm_status cm_index_open(const char *dbpath, const cm_index_opts *opts,
                        cm_index **out,
                        char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* The stored state of the file at canonical path canon, or NULL when the
 * index does not know it.  Valid until the index is closed.  Read-only:
 * safe to call from analysis threads while no cm_index_apply() runs... and
 * while it runs, since apply never changes the loaded states. */
const cm_file_state *cm_index_state(const cm_index *ix,
                                    const char *canon) CM_NOEXCEPT;

/* Analyze the file at canonical path canon, whose stat gave size and
 * mtime_ns, against its previous state prev (NULL when new).  Does
 * not touch the database: call it from any thread, with a cm_tok of that
 * thread's own.  Bad files are not a failure: they give CM_OK and an
 * analysis whose outcome is CM_FILE_REJECTED.  Failures (CM_ENOMEM, ...)
 * set *errmsg.  *out is freed with cm_analysis_free(), or handed to
 * cm_index_apply(). */
cm_status cm_index_analyze(const cm_index_opts *opts, cm_tok *tok,
                           const char *canon, unsigned long long size,
                           unsigned long long mtime_ns,
                           const cm_file_state *prev, cm_analysis **out,
                           char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* The outcome, paragraph count, byte size and (for rejected files) reason
 * of an analysis; the reason is valid as long as a. */
cm_file_outcome cm_analysis_outcome(const cm_analysis *a) CM_NOEXCEPT;
unsigned cm_analysis_nparas(const cm_analysis *a) CM_NOEXCEPT;
unsigned long long cm_analysis_bytes(const cm_analysis *a) CM_NOEXCEPT;
const char *cm_analysis_reason(const cm_analysis *a) CM_NOEXCEPT;
/* Words of the file too long to be terms (over CM_TOK_MAX_TERM bytes, such
 * as a run of an unspaced script the break iterator has no dictionary
 * for): they are not indexed, and the caller should say so. */
unsigned cm_analysis_skipped(const cm_analysis *a) CM_NOEXCEPT;
void cm_analysis_free(cm_analysis *a) CM_NOEXCEPT;

/* Number of shards of the index (1 for a plain database). */
unsigned cm_index_shards(const cm_index *ix) CM_NOEXCEPT;

/* The shard an analysis is written to. */
unsigned cm_index_shard_of(const cm_index *ix,
                           const cm_analysis *a) CM_NOEXCEPT;

/* Write an analysis into its shard (nothing for CM_FILE_UNCHANGED), and
 * commit that shard when enough was written since its last commit.  Calls
 * for different shards may run at the same time on different threads;
 * calls for one shard must not.  Failures are failures of the index (see
 * cm_index_errmsg()), after which the last commit is intact.  The analysis
 * stays the caller's.
 *
 * With several shards, commits go in rounds: the shard whose batch fills
 * starts one, calls the cm_index_on_round() function, and commits; every
 * other shard whose batch (what it wrote since its last commit) began
 * before the round is then behind (cm_index_behind()) and commits at the
 * end of its next cm_index_apply(), or in cm_index_catch_up(), which a
 * writer waiting for files calls when it is told of the round.  So the
 * shards commit together, in parallel, and their batches end together. */
cm_status cm_index_apply(cm_index *ix,
                         const cm_analysis *a) CM_NOEXCEPT CM_MUST_CHECK;

/* fn(ctx) is called, on the thread of the shard that starts it, when a
 * commit round starts (before that shard commits).  Set it before any
 * cm_index_apply(). */
void cm_index_on_round(cm_index *ix, void (*fn)(void *ctx),
                       void *ctx) CM_NOEXCEPT;

/* Whether shard i has a batch that began before the last round started:
 * it should commit (cm_index_catch_up()).  Only the thread that writes
 * shard i may ask. */
int cm_index_behind(const cm_index *ix, unsigned i) CM_NOEXCEPT;

/* Commit shard i if it is behind; CM_OK when it is not.  Only the thread
 * that writes shard i may call it. */
cm_status cm_index_catch_up(cm_index *ix, unsigned i) CM_NOEXCEPT CM_MUST_CHECK;

/* Delete the paragraphs and state of every indexed file under one of the n
 * canonical paths in roots that is not in seen (n_seen canonical paths,
 * sorted with strcmp).  *removed gets the number of files removed.  With
 * dry_run, count (and report through fn, when not NULL) without
 * deleting. */
cm_status cm_index_remove_unseen(cm_index *ix, const char *const *roots,
                                 size_t n, const char *const *seen,
                                 size_t n_seen, int dry_run,
                                 void (*fn)(void *ctx, const char *path),
                                 void *ctx,
                                 unsigned *removed) CM_NOEXCEPT CM_MUST_CHECK;

/* Move the paragraphs of the indexed file whose state is from (a file that
 * is gone from its path) to the file at canonical path to, which has the
 * same content: nothing is analysed again, only the file's id, path and
 * key change in its paragraphs, and its state moves with them.  Call it
 * before the paragraphs of any file are applied (it may read one shard and
 * write another).  from must come from cm_index_find_gone() or
 * cm_index_state(); it is invalid afterwards, as is every state pointer
 * taken before the call. */
cm_status cm_index_move(cm_index *ix, const cm_file_state *from,
                        const char *to, unsigned long long size,
                        unsigned long long mtime_ns) CM_NOEXCEPT CM_MUST_CHECK;

/* 1 when fs is an indexed file's whose paragraphs a reader that reads its
 * format otherwise made (cm_doc_reader_since()): to be read again even
 * though the file has not changed, so that the index holds what a rebuild
 * would. */
int cm_index_state_stale(const cm_file_state *fs) CM_NOEXCEPT;

/* The state of an indexed file under one of the n canonical paths roots
 * whose size is size and content hash is hash (NULL: any), and that is not
 * in seen (a sorted list of n_seen canonical paths): a file that may have
 * moved.  NULL when there is none. */
const cm_file_state *cm_index_find_gone(const cm_index *ix,
                                        const char *const *roots, size_t n,
                                        const char *const *seen,
                                        size_t n_seen,
                                        unsigned long long size,
                                        const char *hash) CM_NOEXCEPT;

/* Commit what was written so far, in every shard. */
cm_status cm_index_commit(cm_index *ix) CM_NOEXCEPT CM_MUST_CHECK;

/* The last error's text ("" when none), valid until the next call. */
const char *cm_index_errmsg(const cm_index *ix) CM_NOEXCEPT;

/* Commit and close.  Errors while closing are ignored: call
 * cm_index_commit() first to see them. */
void cm_index_close(cm_index *ix) CM_NOEXCEPT;

CM_END_DECLS

#endif
