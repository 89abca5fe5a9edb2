/* cm_acronym.h: acronyms defined in running text.
 *
 * Finds the two ways a text defines an acronym:
 *   International Organization for Migration (IOM)
 *   IOM (International Organization for Migration)
 * and their French, German, Italian... forms (Organisation internationale
 * pour les migrations (OIM)).  The initials of the expansion must spell
 * the acronym's capital letters (ECtHR: European Court of Human Rights);
 * small words (of, for, the, on, and, de, la, le, les, du, des, et, pour,
 * ...) may be skipped, an elided article (l', d') is ignored, and a
 * hyphenated word gives the initial of its first part or of every part
 * (Euro-Mediterranean: E or EM).  Acronyms are ASCII capitals (2 to 12
 * of them, lower-case letters allowed between: ECtHR, NGOs); expansion
 * initials compare without case or Latin accents.
 *
 * cmindex stores each definition as synonyms (cm_db_add_synonym), and the
 * query parser expands an acronym to its spelled-out form and back.
 */
#ifndef CM_ACRONYM_H
#define CM_ACRONYM_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

/* Called for each definition found: acr[0..acr_len) and
 * expansion[0..exp_len) point into the scanned text.  Return 0 to go on,
 * non-zero to stop the scan (cm_acronym_scan then returns CM_OK). */
typedef int (*cm_acronym_fn)(void *ctx, const char *acr, size_t acr_len,
                             const char *expansion, size_t exp_len);

/* Scan text[0..len) (UTF-8) and call fn for each definition, in text
 * order.  CM_EINVAL when text or fn is NULL. */
cm_status cm_acronym_scan(const char *text, size_t len, cm_acronym_fn fn,
                          void *ctx) CM_NOEXCEPT CM_MUST_CHECK;

CM_END_DECLS

#endif
