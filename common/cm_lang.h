/* cm_lang.h: language identification (libexttextcat).
 *
 * A cm_lang holds libexttextcat's n-gram fingerprints of about 160
 * languages (Cavnar and Trenkle's method), loaded once from fpdb.conf.
 * It names the language of a text with ISO 639-1 codes ("en", "nl"), or
 * ISO 639-3 where a language has no two-letter code ("haw", "nds").
 *
 * Threads: a cm_lang is not thread-safe (cm_lang_restrict() changes it),
 * so each thread uses its own: create one per worker
 * with cm_lang_new(), or take the calling thread's with cm_lang_thread(),
 * which is created on first use and freed when the thread exits.
 */
#ifndef CM_LANG_H
#define CM_LANG_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_lang cm_lang;

/* At most this many guesses come back for one text. */
#define CM_LANG_MAX_GUESSES 5

/* Texts shorter than this many bytes are not identified: n-gram
 * statistics on a few words are noise (the caller smooths instead). */
#define CM_LANG_MIN_BYTES 40

/* Only the first this many bytes of a text are looked at (cut on a
 * character boundary): a few hundred bytes suffice for libexttextcat, and
 * the cost grows with the length. */
#define CM_LANG_MAX_BYTES 600

typedef struct cm_lang_guess {
    char code[8]; /* ISO 639-1 (or 639-3) code */
    int score;    /* libexttextcat's distance: lower is closer */
} cm_lang_guess;

/* Load the fingerprints listed in conf (a libexttextcat fpdb.conf; the
 * .lm files are looked up in its directory).  conf NULL: the environment
 * variable CMSEARCH_TEXTCAT_CONF, else the path found at configure time
 * (CM_TEXTCAT_CONF, Debian: /usr/share/libexttextcat/fpdb.conf).
 * Returns CM_OK, CM_ENOTFOUND when conf cannot be read, CM_EIO when it
 * or a fingerprint it lists is unreadable or malformed, CM_ENOMEM; on
 * failure *out is NULL and *errmsg (may be NULL) a malloc'd reason naming
 * the file. */
cm_status cm_lang_new(const char *conf, cm_lang **out,
                      char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Free l; l may be NULL. */
void cm_lang_free(cm_lang *l) CM_NOEXCEPT;

/* The calling thread's identifier, loaded from the default conf on first
 * use and freed when the thread exits (pthread key destructor; the main
 * thread's at cm_lang_thread_release() or process exit).  The statuses of
 * cm_lang_new(); a failure is not remembered (the next call retries). */
cm_status cm_lang_thread(cm_lang **out,
                         char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Free the calling thread's identifier now (tests, leak checkers). */
void cm_lang_thread_release(void) CM_NOEXCEPT;

/* The languages text[0..len) (UTF-8) may be in, closest first, in
 * g[0..cap).  Returns how many: 0 when the text is shorter than
 * CM_LANG_MIN_BYTES, has too few letters, or when more than
 * CM_LANG_MAX_GUESSES languages are equally close (within 3% of the
 * closest: too ambiguous).  Only the languages of cm_lang_restrict() are
 * considered, and of those neither Japanese for a text without kana nor
 * Korean for one without Hangul (the n-grams alone put paragraphs of
 * Traditional Chinese in Japanese). */
size_t cm_lang_identify(cm_lang *l, const char *text, size_t len,
                     cm_lang_guess *g, size_t cap) CM_NOEXCEPT;

/* The most frequent n-grams of a text that cm_lang_identify() compares
 * with each language's. */
#define CM_LANG_NGRAMS 400

/* As cm_lang_identify(), from the text's max_ngrams most frequent n-grams
 * only (0 or more than CM_LANG_NGRAMS: CM_LANG_NGRAMS).  Building the
 * text's profile is most of the cost: 100 n-grams of 160 bytes cost a
 * third of 400 of 512, enough to check that a paragraph is in the
 * language of those around it.  Too few n-grams for the text make an
 * arbitrary profile: most n-grams of a short text occur once, and
 * libexttextcat keeps any few of those (with 64 n-grams of 160 bytes, a
 * Dutch paragraph of the UDHR comes out English). */
size_t cm_lang_identify_ngrams(cm_lang *l, const char *text, size_t len,
                               size_t max_ngrams, cm_lang_guess *g,
                               size_t cap) CM_NOEXCEPT;

/* Compare texts with the languages codes[0..n_codes) alone (ISO codes as
 * cm_lang_identify() gives them), until the next call; codes NULL: with
 * every language again.  A document's paragraphs are identified among the
 * languages found in a sample of them, which is much faster than among
 * all 160. */
void cm_lang_restrict(cm_lang *l, const char *const *codes,
                      size_t n_codes) CM_NOEXCEPT;

/* Whether to make a text's profile in cm_lang.c and compare it through
 * l's table of the languages' n-grams (on, the default, when the table
 * could be built), or with libexttextcat's fp_Create() and fp_Compare():
 * the same distances, several times slower (tests compare the two). */
void cm_lang_use_table(cm_lang *l, int on) CM_NOEXCEPT;

/* The ISO code for a libexttextcat language name ("en--utf8" -> "en",
 * "zh-CN-utf8" -> "zh", "gug--utf8" -> "gn"), written to out[8].  Returns
 * out; "" when name is not of that form. */
const char *cm_lang_iso(const char *name, char out[8]) CM_NOEXCEPT;

CM_END_DECLS

#endif
