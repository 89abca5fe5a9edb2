/* cm_charset.h: converting text that is not UTF-8.
 *
 * Real folders hold Latin-1 and Windows-1252 files.  ICU's charset
 * detector (ucsdet) names the charset of such bytes with a confidence; we
 * convert only the Latin-1 family (ISO-8859-1, ISO-8859-15,
 * windows-1252), and only when the detector is confident, because a
 * wrong guess would index garbage.  Everything else is left to the caller
 * to reject.  A charset the text declares for itself (HTML, XML) is not a
 * guess: cm_charset_convert() takes any that ICU knows.
 */
#ifndef CM_CHARSET_H
#define CM_CHARSET_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

/* The detector's confidence (0..100) below which we do not convert. */
#define CM_CHARSET_MIN_CONFIDENCE 20

/* Convert buf[0..len) to UTF-8 when ICU detects a Latin-1 family charset
 * with confidence >= CM_CHARSET_MIN_CONFIDENCE.  On CM_OK, *out is a
 * malloc'd NUL-terminated UTF-8 string (freed by the caller) of *out_len
 * bytes.  name (name_cap bytes, may be NULL) receives the detected
 * charset ("windows-1252"), or "" when none; *confidence (may be NULL) its
 * confidence, or 0.  Returns CM_ENOTFOUND when the bytes are not a
 * charset we convert or the detector is not confident, CM_EPARSE when a
 * byte has no Unicode mapping, CM_EINVAL when len exceeds INT32_MAX or buf
 * is NULL, CM_ENOMEM.  On failure *out is NULL and *out_len 0. */
cm_status cm_charset_to_utf8(const char *buf, size_t len, char **out,
                             size_t *out_len, char *name, size_t name_cap,
                             int *confidence) CM_NOEXCEPT CM_MUST_CHECK;

/* The charset buf[0..len) declares for itself in its first 4096 bytes:
 * an HTML <meta charset="X"> or <meta http-equiv="Content-Type"
 * content="text/html; charset=X">, or an XML declaration's
 * encoding="X".  1 with the name in name[0..name_cap) (at most 39
 * characters of [A-Za-z0-9._:-]), else 0. */
int cm_charset_declared(const char *buf, size_t len, char *name,
                        size_t name_cap) CM_NOEXCEPT;

/* Convert buf[0..len) from charset (a name or alias ICU knows:
 * "windows-1251", "koi8-r", "Shift_JIS", "GBK") to UTF-8, refusing any
 * byte sequence that is not valid in it.  On CM_OK, *out is a malloc'd
 * NUL-terminated string (freed by the caller) of *out_len bytes.
 * CM_ENOTFOUND: ICU has no such charset; CM_EPARSE: the bytes are not
 * valid in it, *bad (may be NULL) the offset of the first that is not;
 * CM_EINVAL: len over INT32_MAX / 4, or buf or charset NULL; CM_ENOMEM.
 * On failure *out is NULL and *out_len 0. */
cm_status cm_charset_convert(const char *charset, const char *buf,
                             size_t len, char **out, size_t *out_len,
                             size_t *bad) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
