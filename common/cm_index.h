/* cm_index.h: writing documents into the index.
 *
 * A cm_index is one writable database plus what the indexer needs around
 * it: an analyzer, the schema check, and the state of every indexed file
 * (kept in the database's metadata, so a copy of the index directory is a
 * complete backup).  Each file's paragraphs change inside one transaction.
 */
#ifndef CM_INDEX_H
#define CM_INDEX_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_index cm_index;

typedef enum {
    CM_FILE_UNCHANGED = 0, /* size, mtime or content as indexed: skipped */
    CM_FILE_NEW,           /* indexed for the first time */
    CM_FILE_CHANGED,       /* its paragraphs were replaced */
    CM_FILE_REJECTED       /* not indexed; the reason says why */
} cm_file_outcome;

/* Open the index at dbpath for writing, as opts say.  An index written with another schema version is refused with
 * CM_EVERSION and a message saying to rebuild.  CM_ELOCKED when another
 * writer holds it, CM_ENOTFOUND when missing and !create.  *errmsg: as for
 * cm_db_open_writable(). */
typedef struct cm_index_opts {
    int create;           /* create the index when it does not exist */
    const char *lang;     /* language of paragraphs the model leaves
                             unknown (ISO 639-1), or NULL */
    size_t max_file_bytes; /* larger files are rejected; 0: 64 MiB */
} cm_index_opts;

cm_status cm_index_open(const char *dbpath, const cm_index_opts *opts,
                        cm_index **out,
                        char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Index one file.  Bad files are not an error of the run: they give CM_OK
 * with *outcome CM_FILE_REJECTED and *reason a malloc'd text (the caller
 * frees it; NULL otherwise).  *nparas gets the file's paragraph count.
 * Other statuses are failures of the index (see cm_index_errmsg()) after
 * which the last commit is intact. */
cm_status cm_index_file(cm_index *ix, const char *path,
                        cm_file_outcome *outcome, unsigned *nparas,
                        char **reason) CM_NOEXCEPT CM_MUST_CHECK;

/* Delete the paragraphs of every indexed file that lies under one of the
 * n canonical directory or file paths in roots and was not passed to
 * cm_index_file() since the index was opened.  *removed gets the number of
 * files removed. */
cm_status cm_index_remove_unseen(cm_index *ix, const char *const *roots,
                                 size_t n,
                                 unsigned *removed) CM_NOEXCEPT CM_MUST_CHECK;

/* Commit what was indexed so far. */
cm_status cm_index_commit(cm_index *ix) CM_NOEXCEPT CM_MUST_CHECK;

/* The last error's text ("" when none), valid until the next call. */
const char *cm_index_errmsg(const cm_index *ix) CM_NOEXCEPT;

/* Commit and close.  Errors while closing are ignored: call
 * cm_index_commit() first to see them. */
void cm_index_close(cm_index *ix) CM_NOEXCEPT;

CM_END_DECLS

#endif
