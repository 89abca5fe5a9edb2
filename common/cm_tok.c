/* cm_tok.c: the analyzer, on ICU.  The only file that includes ICU headers.
 *
 * cm_tok_reset() converts the UTF-8 text to UTF-16 once, keeping off[],
 * which maps each UTF-16 index back to a byte offset in the input (SQLite
 * ext/fts3/fts3_icu.c keeps aOffset[] for the same reason), and hands the
 * UTF-16 to a UBRK_WORD break iterator opened once in cm_tok_new().
 * cm_tok_next() walks the boundaries; each segment whose rule status says
 * "word" (number, letter, kana, ideograph) goes to analyze_word(), which
 * turns it into token(s).  Punctuation, spaces and symbols are skipped.
 *
 * Terms are NFKC_Casefold (nfkc_cf) forms, written into buffers owned by
 * the cm_tok and reused: no allocation per token once the buffers have
 * grown to the size of the largest text.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cm_tok.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* Most tokens a single word segment can turn into.  One for now; the
 * stemming/compound issue adds parts and joined forms (CM_TOK_ALT). */
#define MAX_OUT 1

/* Buffers bigger than this are given back when a much smaller text comes,
 * so that one huge document does not pin its memory for a thread's life. */
#define SHRINK_UNITS ((size_t)1 << 20)

struct cm_tok {
    UBreakIterator *brk;     /* opened once, re-aimed by ubrk_setText() */
    const UNormalizer2 *nfc; /* NFKC_Casefold; owned by ICU, never closed */

    UChar *u16;     /* the text in UTF-16 */
    int32_t *off;   /* off[i]: byte offset of u16[i]; off[u16_len] = end */
    size_t u16_cap; /* units in u16; off has u16_cap + 1 slots */
    int32_t u16_len;
    int32_t prev; /* the last boundary returned by the break iterator */
    int done;     /* no more tokens until the next reset */

    UChar *norm;     /* the normalised UTF-16 form of one word */
    size_t norm_cap; /* in units */
    char term[CM_TOK_MAX_TERM + 1]; /* the UTF-8 term, NUL-terminated */

    unsigned pos;     /* position of the next word */
    unsigned skipped; /* words too long since the last reset */

    cm_token out[MAX_OUT]; /* tokens of the current word segment */
    unsigned n_out, i_out;

    char err[256];
};

__attribute__((format(printf, 2, 3))) static void
set_err(cm_tok *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->err, sizeof t->err, fmt, ap);
    va_end(ap);
}

static cm_status
from_icu(cm_tok *t, const char *what, UErrorCode st)
{
    set_err(t, "ICU %s: %s", what, u_errorName(st));
    return st == U_MEMORY_ALLOCATION_ERROR ? CM_ENOMEM : CM_EINTERNAL;
}

/* A malloc'd copy of msg for a constructor's errmsg, or NULL. */
static char *
dup_msg(const char *msg)
{
    size_t n = strlen(msg) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, msg, n);
    return p;
}

/* Make *buf hold at least need elements of elem bytes.  Returns 0 on
 * success, -1 when out of memory (the old buffer is kept). */
static int
grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t n;
    void *p;
    if (need <= *cap)
        return 0;
    n = *cap * 2 > need ? *cap * 2 : need;
    if (n < 64)
        n = 64;
    if (n > SIZE_MAX / elem)
        return -1;
    p = realloc(*buf, n * elem);
    if (p == NULL)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

cm_status
cm_tok_new(cm_tok **out, char **errmsg)
{
    cm_tok *t;
    UErrorCode st = U_ZERO_ERROR;
    const char *why = NULL;
    char msg[200];

    if (errmsg != NULL)
        *errmsg = NULL;
    if (out == NULL)
        return CM_EINVAL;
    *out = NULL;
    t = calloc(1, sizeof *t);
    if (t == NULL) {
        if (errmsg != NULL)
            *errmsg = dup_msg("cm_tok_new: out of memory");
        return CM_ENOMEM;
    }
    t->done = 1;

    /* "" is the root locale: language tailorings (none matter for word
     * boundaries yet) would need one iterator per language. */
    t->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_FAILURE(st)) {
        why = "ubrk_open";
        goto fail;
    }
    st = U_ZERO_ERROR;
    t->nfc = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st)) {
        why = "unorm2_getNFKCCasefoldInstance";
        goto fail;
    }
    *out = t;
    return CM_OK;

fail:
    snprintf(msg, sizeof msg, "cm_tok_new: ICU %s: %s", why, u_errorName(st));
    if (errmsg != NULL)
        *errmsg = dup_msg(msg);
    cm_tok_free(t);
    return st == U_MEMORY_ALLOCATION_ERROR ? CM_ENOMEM : CM_EINTERNAL;
}

void
cm_tok_free(cm_tok *t)
{
    if (t == NULL)
        return;
    if (t->brk != NULL)
        ubrk_close(t->brk);
    free(t->u16);
    free(t->off);
    free(t->norm);
    free(t);
}

/* Decode one UTF-8 sequence at s[0..n), n >= 1, into *cp.  Returns its
 * length, or 0 when s[0] does not start a well-formed sequence (RFC 3629:
 * no overlongs, surrogates or values above U+10FFFF). */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, k;
    uint32_t v;

    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    v = v << 6 | (s[1] & 0x3F);
    for (k = 2; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[k] & 0x3F);
    }
    *cp = v;
    return len;
}

/* Convert text[0..n) into t->u16 and fill t->off.  Decoding and the map
 * are one loop, so they cannot disagree about invalid input: each byte
 * that does not start a well-formed sequence becomes one U+FFFD covering
 * that byte alone (U+FFFD is a symbol, so it separates words).  Never more
 * UTF-16 units than bytes. */
static void
to_utf16(cm_tok *t, const unsigned char *s, size_t n)
{
    UChar *u = t->u16;
    int32_t *off = t->off;
    size_t i = 0;
    int32_t j = 0;
    uint32_t cp;
    size_t len;

    while (i < n) {
        if (s[i] < 0x80) {
            u[j] = s[i];
            off[j++] = (int32_t)i++;
            continue;
        }
        len = utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            cp = 0xFFFD;
            len = 1;
        }
        if (cp > 0xFFFF) {
            u[j] = U16_LEAD(cp);
            off[j++] = (int32_t)i;
            u[j] = U16_TRAIL(cp);
        } else {
            u[j] = (UChar)cp;
        }
        off[j++] = (int32_t)i;
        i += len;
    }
    off[j] = (int32_t)n;
    t->u16_len = j;
}

/* Make room in u16 and off for a text of n bytes (so at most n units).
 * Returns 0 on success, -1 when out of memory. */
static int
text_bufs(cm_tok *t, size_t n)
{
    size_t cap = t->u16_cap * 2 > n ? t->u16_cap * 2 : n;
    void *p;

    if (cap >= SIZE_MAX / sizeof *t->off)
        return -1;
    p = realloc(t->u16, cap * sizeof *t->u16);
    if (p == NULL)
        return -1;
    t->u16 = p;
    p = realloc(t->off, (cap + 1) * sizeof *t->off);
    if (p == NULL)
        return -1;
    t->off = p;
    t->u16_cap = cap; /* only now: both buffers hold cap */
    return 0;
}

cm_status
cm_tok_reset(cm_tok *t, const char *text, size_t text_len, const char *lang)
{
    static const UChar empty[1] = {0};
    UErrorCode st = U_ZERO_ERROR;

    if (t == NULL)
        return CM_EINVAL;
    /* @todo lang picks the stemmer and elision rules (next issue). */
    (void)lang;
    t->done = 1;
    t->u16_len = 0;
    t->prev = 0;
    t->pos = 0;
    t->skipped = 0;
    t->n_out = t->i_out = 0;
    t->err[0] = '\0';
    if (text == NULL && text_len > 0) {
        set_err(t, "cm_tok_reset: NULL text of %zu bytes", text_len);
        return CM_EINVAL;
    }
    /* ICU indexes UTF-16 with int32_t; there are never more units than
     * bytes, so this bound keeps every index and offset in range. */
    if (text_len > INT32_MAX) {
        set_err(t, "cm_tok_reset: text of %zu bytes is too long", text_len);
        return CM_EINVAL;
    }
    if (t->u16_cap > SHRINK_UNITS && text_len < t->u16_cap / 4) {
        free(t->u16);
        free(t->off);
        t->u16 = NULL;
        t->off = NULL;
        t->u16_cap = 0;
    }
    if (text_len > t->u16_cap && text_bufs(t, text_len)) {
        set_err(t, "cm_tok_reset: out of memory for %zu bytes", text_len);
        return CM_ENOMEM;
    }
    if (text_len > 0)
        to_utf16(t, (const unsigned char *)text, text_len);
    ubrk_setText(t->brk, text_len > 0 ? t->u16 : empty, t->u16_len, &st);
    if (U_FAILURE(st))
        return from_icu(t, "ubrk_setText", st);
    t->prev = ubrk_first(t->brk);
    t->done = 0;
    return CM_OK;
}

/* The normalisation buffer's capacity as ICU counts it. */
static int32_t
norm_cap(const cm_tok *t)
{
    return t->norm_cap > INT32_MAX ? INT32_MAX : (int32_t)t->norm_cap;
}

/* Fold u[0..n) into t->term.  Returns the term's length in bytes, 0 when
 * it folds to nothing, -1 when it is longer than CM_TOK_MAX_TERM, or -2
 * on an ICU error (set on t, status in *err). */
static int32_t
fold(cm_tok *t, const UChar *u, int32_t n, cm_status *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t i, len;

    /* Fast path: NFKC_Casefold of ASCII is ASCII lower case (a unit test
     * checks the two agree). */
    for (i = 0; i < n && u[i] < 0x80; i++)
        ;
    if (i == n) {
        if (n > CM_TOK_MAX_TERM)
            return -1;
        for (i = 0; i < n; i++)
            t->term[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
        t->term[n] = '\0';
        return n;
    }

    len = unorm2_normalize(t->nfc, u, n, t->norm, norm_cap(t), &st);
    /* No NUL needed here: U_STRING_NOT_TERMINATED_WARNING is fine. */
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        if (grow((void **)&t->norm, &t->norm_cap, (size_t)len,
                 sizeof *t->norm)) {
            set_err(t, "cm_tok_next: out of memory");
            *err = CM_ENOMEM;
            return -2;
        }
        st = U_ZERO_ERROR;
        len = unorm2_normalize(t->nfc, u, n, t->norm, norm_cap(t), &st);
    }
    if (U_FAILURE(st)) {
        *err = from_icu(t, "unorm2_normalize", st);
        return -2;
    }

    /* The term buffer has room for CM_TOK_MAX_TERM bytes and the NUL, so
     * anything that does not fit with its NUL is too long. */
    st = U_ZERO_ERROR;
    u_strToUTF8(t->term, (int32_t)sizeof t->term, &len, t->norm, len, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING)
        return -1;
    if (U_FAILURE(st)) {
        *err = from_icu(t, "u_strToUTF8", st);
        return -2;
    }
    return len;
}

/* Turn the word segment u16[s..e) into tokens in t->out.  This is where
 * stems, accent folding, elisions and compound parts will go. */
static cm_status
analyze_word(cm_tok *t, int32_t s, int32_t e)
{
    cm_status err = CM_OK;
    cm_token *tok;
    int32_t len = fold(t, t->u16 + s, e - s, &err);

    if (len == -2)
        return err;
    if (len == -1) {
        /* Not a position either: the query side skips it too, so a
         * phrase across it still matches. */
        t->skipped++;
        return CM_OK;
    }
    if (len == 0)
        return CM_OK;
    tok = &t->out[t->n_out++];
    tok->term = t->term;
    tok->term_len = (size_t)len;
    tok->stem = NULL;
    tok->stem_len = 0;
    tok->start = (size_t)t->off[s];
    tok->end = (size_t)t->off[e];
    tok->pos = t->pos++;
    tok->flags = 0;
    return CM_OK;
}

cm_status
cm_tok_next(cm_tok *t, const cm_token **tok)
{
    cm_status st;
    int32_t s, e;

    if (tok != NULL)
        *tok = NULL;
    if (t == NULL || tok == NULL)
        return CM_EINVAL;
    while (t->i_out == t->n_out) {
        if (t->done)
            return CM_OK;
        t->i_out = t->n_out = 0;
        e = ubrk_next(t->brk);
        if (e == UBRK_DONE) {
            t->done = 1;
            return CM_OK;
        }
        s = t->prev;
        t->prev = e;
        /* Statuses from UBRK_WORD_NONE_LIMIT up are numbers, letters,
         * kana and ideographs; below are spaces, punctuation, symbols. */
        if (ubrk_getRuleStatus(t->brk) < UBRK_WORD_NONE_LIMIT)
            continue;
        st = analyze_word(t, s, e);
        if (st != CM_OK) {
            t->done = 1;
            t->n_out = 0;
            return st;
        }
    }
    *tok = &t->out[t->i_out++];
    return CM_OK;
}

unsigned
cm_tok_skipped(const cm_tok *t)
{
    return t != NULL ? t->skipped : 0;
}

const char *
cm_tok_errmsg(const cm_tok *t)
{
    return t != NULL ? t->err : "";
}
