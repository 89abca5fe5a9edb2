/* cm_buf.h: a growable byte buffer with a ceiling.
 *
 * A cm_buf is always NUL-terminated once anything was added.  Appends use a
 * sticky status (SQLite's fts5_buffer.c): when *st is not CM_OK the append
 * does nothing, so a chain of appends is checked once at the end.  Growing
 * past max gives CM_EINVAL ("too big"), a failed allocation CM_ENOMEM.
 */
#ifndef CM_BUF_H
#define CM_BUF_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_buf {
    char *data;  /* NUL-terminated when len > 0 or after any append */
    size_t len;  /* bytes used, without the NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* ceiling on len; 0 means SIZE_MAX / 2 */
} cm_buf;

/* An empty buffer that may grow up to max bytes (0: no ceiling). */
#define CM_BUF_INIT(max_) {NULL, 0, 0, (max_)}

/* Make room for n more bytes. */
void cm_buf_reserve(cm_status *st, cm_buf *b, size_t n) CM_NOEXCEPT;
/* Append bytes, a NUL-terminated string, one byte. */
void cm_buf_add(cm_status *st, cm_buf *b, const void *p, size_t n) CM_NOEXCEPT;
void cm_buf_adds(cm_status *st, cm_buf *b, const char *s) CM_NOEXCEPT;
void cm_buf_addc(cm_status *st, cm_buf *b, char c) CM_NOEXCEPT;
/* Append printf-formatted text. */
void cm_buf_addf(cm_status *st, cm_buf *b, const char *fmt, ...) CM_NOEXCEPT
    __attribute__((format(printf, 3, 4)));
/* Append s[0..n) percent-encoded: each byte but ASCII letters, digits and
 * the characters of keep as %HH (upper-case hex). */
void cm_buf_add_pct(cm_status *st, cm_buf *b, const char *s, size_t n,
                    const char *keep) CM_NOEXCEPT;
/* Forget the contents, keep the memory. */
void cm_buf_reset(cm_buf *b) CM_NOEXCEPT;
/* Hand the contents to the caller (malloc'd, NUL-terminated, never NULL
 * when *st is CM_OK) and leave b empty. */
char *cm_buf_steal(cm_status *st, cm_buf *b) CM_NOEXCEPT;
/* Free the memory; b can be reused afterwards. */
void cm_buf_free(cm_buf *b) CM_NOEXCEPT;

CM_END_DECLS

#endif
