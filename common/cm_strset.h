/* cm_strset.h: a set of byte strings with a count each, for collecting the
 * distinct words of a file (spelling data) and its acronym definitions.
 *
 * Open addressing over an arena: one allocation per growth, none per
 * string, so that adding a word seen before costs a hash and a compare.
 */
#ifndef CM_STRSET_H
#define CM_STRSET_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_strset cm_strset;

/* Callback for cm_strset_each(): non-zero stops the walk. */
typedef int (*cm_strset_fn)(void *ctx, const char *s, size_t len,
                            unsigned count);

cm_status cm_strset_new(cm_strset **out) CM_NOEXCEPT CM_MUST_CHECK;
void cm_strset_free(cm_strset *set) CM_NOEXCEPT;
/* Add s[0..len) once more (its count goes up by one). */
cm_status cm_strset_add(cm_strset *set, const char *s,
                        size_t len) CM_NOEXCEPT CM_MUST_CHECK;
/* Add s[0..len) count times more (the count saturates at UINT_MAX). */
cm_status cm_strset_add_count(cm_strset *set, const char *s, size_t len,
                              unsigned count) CM_NOEXCEPT CM_MUST_CHECK;
/* Empty the set, keeping its memory (a set grown large is made small
 * again). */
void cm_strset_clear(cm_strset *set) CM_NOEXCEPT;
/* The count of s[0..len), 0 when it is not in the set. */
unsigned cm_strset_count(const cm_strset *set, const char *s,
                         size_t len) CM_NOEXCEPT;
/* Number of distinct strings. */
size_t cm_strset_size(const cm_strset *set) CM_NOEXCEPT;
/* Call fn for each string (NUL-terminated, in no particular order). */
cm_status cm_strset_each(const cm_strset *set, cm_strset_fn fn,
                         void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
