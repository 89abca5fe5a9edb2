/* cm_status.h: status codes shared by every module of libcmsearch.
 *
 * Every fallible function returns a cm_status and hands its results back
 * through out-parameters.  CM_OK is zero.  Details of a failure are on the
 * handle (cm_db_errmsg() and friends) or in a malloc'd errmsg for
 * constructors, which have no handle yet.
 */
#ifndef CM_STATUS_H
#define CM_STATUS_H

#ifdef __cplusplus
#define CM_BEGIN_DECLS extern "C" {
#define CM_END_DECLS }
#define CM_NOEXCEPT noexcept
#else
#define CM_BEGIN_DECLS
#define CM_END_DECLS
#define CM_NOEXCEPT
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CM_MUST_CHECK __attribute__((warn_unused_result))
#define CM_EXPORT __attribute__((visibility("default")))
#else
#define CM_MUST_CHECK
#define CM_EXPORT
#endif

CM_BEGIN_DECLS

typedef enum {
    CM_OK = 0,
    CM_ENOMEM,     /* out of memory */
    CM_EINVAL,     /* invalid argument (a bug in the caller, or a term too long) */
    CM_EIO,        /* I/O error reading a file or writing the index */
    CM_EPARSE,     /* malformed or rejected document */
    CM_EQUERY,     /* bad user query: show the message to the user */
    CM_ENOTFOUND,  /* no such database, document, file or language */
    CM_ELOCKED,    /* the database is locked by another writer */
    CM_EMODIFIED,  /* the database changed under a reader: reopen, retry */
    CM_ECORRUPT,   /* the database is corrupt */
    CM_EOPEN,      /* the database could not be opened */
    CM_EVERSION,   /* the database format or schema is not ours */
    CM_ENETWORK,   /* a remote database could not be reached */
    CM_EXAPIAN,    /* any other Xapian error */
    CM_EINTERNAL,  /* a broken invariant or an unexpected exception */
    CM_STATUS_LAST /* not a status; keep last */
} cm_status;

/* A short English description of st; a static string, never NULL. */
CM_EXPORT const char *cm_status_str(cm_status st) CM_NOEXCEPT;

CM_END_DECLS

#endif
