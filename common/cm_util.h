/* cm_util.h: small helpers shared by the programs. */
#ifndef CM_UTIL_H
#define CM_UTIL_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

/* The index used when none is given: $CMSEARCH_DB, else
 * $XDG_DATA_HOME/cmsearch/index, else $HOME/.local/share/cmsearch/index.
 * *out is malloc'd.  CM_ENOTFOUND when none of these variables is set. */
cm_status cm_default_db_path(char **out) CM_NOEXCEPT CM_MUST_CHECK;

/* malloc'd copy of s[0..n) with a NUL; NULL when out of memory. */
char *cm_strndup(const char *s, size_t n) CM_NOEXCEPT;

/* Make room in *arr (*cap elements of size sz, n of them used) for one
 * more, doubling (8 at first): CM_OK, or CM_ENOMEM with *arr as it was. */
cm_status cm_grow(void **arr, size_t *cap, size_t n,
                  size_t sz) CM_NOEXCEPT CM_MUST_CHECK;

/* Number of code points in the UTF-8 bytes s[0..n) (continuation bytes are
 * not counted): the column of a byte offset, less one. */
size_t cm_utf8_columns(const char *s, size_t n) CM_NOEXCEPT;

/* Parse s, all decimal digits (no sign, no blanks), as a number from lo to
 * hi into *out: 1, or 0 when it is not one. */
int cm_parse_ulong(const char *s, unsigned long lo, unsigned long hi,
                   unsigned long *out) CM_NOEXCEPT;

/* Whether s[0..n) is a language code as cmsearch takes one (lang:, --lang,
 * lang = in the configuration): 2 or 3 lower-case ASCII letters. */
int cm_lang_code_ok(const char *s, size_t n) CM_NOEXCEPT;

/* "a/b", malloc'd; NULL when out of memory. */
char *cm_path_join(const char *a, const char *b) CM_NOEXCEPT;

/* The file name of path, after its last '/' (path itself when there is
 * none or nothing after it). */
const char *cm_base_name(const char *path) CM_NOEXCEPT;

/* The length of the strict UTF-8 character at s[0..n) (no overlong
 * form, no surrogate, nothing past U+10FFFF: what jansson and browsers
 * take), or 0 when there is none there. */
size_t cm_utf8_strict_len(const char *s, size_t n) CM_NOEXCEPT;

/* Decode the UTF-8 character at s[0..n): its code point, *len its length
 * (1 for an invalid byte, which decodes as U+FFFD). */
unsigned long cm_utf8_decode(const char *s, size_t n,
                             size_t *len) CM_NOEXCEPT;

/* Lower case of a letter of ASCII, Latin-1, Latin Extended-A, Greek or
 * Cyrillic (others unchanged): enough to compare the words the document
 * model looks for (types, months, reference words) without ICU. */
unsigned long cm_fold_letter(unsigned long c) CM_NOEXCEPT;

/* cm_utf8_match_ci() past its first byte's test. */
size_t cm_utf8_match_ci_from(const char *s, size_t n, size_t i,
                             const char *word) CM_NOEXCEPT;

/* s[i..n) starts with word (lower case UTF-8) in any case (as
 * cm_fold_letter() folds): the number of bytes matched, or 0.  Callers
 * try lists of words at every word start, where the first bytes mostly
 * differ; that test is made here, inline (an ASCII byte on either side is
 * compared as is, ASCII letters lowered). */
static inline size_t
cm_utf8_match_ci(const char *s, size_t n, size_t i, const char *word)
{
    unsigned char w = (unsigned char)word[0], t;

    if (w != '\0' && i < n) {
        t = (unsigned char)s[i];
        if (t >= 'A' && t <= 'Z')
            t = (unsigned char)(t - 'A' + 'a');
        if ((w < 0x80 || t < 0x80) && t != w)
            return 0;
    }
    return cm_utf8_match_ci_from(s, n, i, word);
}

/* Create directory path and its missing parents (mode 0777 & ~umask). */
cm_status cm_mkdir_p(const char *path) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
