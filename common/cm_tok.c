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
 * A word segment followed by a hyphen and another word segment (no space)
 * starts a compound: its parts are gathered (one segment may be pushed
 * back when the look-ahead finds no part) and analysed together, so that
 * the joined form can be queued after the first part.  A word segment
 * with a full stop between letters ("c.bevorderen", "e.g") is cut into
 * pieces at its full stops (the rest waits in t->rest); the pieces form
 * a group of parts in the same way, joined without the stops.
 *
 * Terms are NFKC_Casefold (nfkc_cf) forms, then accent-folded, and
 * Traditional Chinese characters folded to Simplified ones (cm_hanfold.h,
 * made from ICU's transliterator when building); the rules are described
 * in cm_tok.h.  They are written into buffers owned by the
 * cm_tok and reused: no allocation per token once the buffers have grown
 * to the size of the largest text and each language's stemmer is open.
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

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/udata.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "cm_hanfold.h"

/* Parts of one hyphenated compound or word cut at full stops; a longer
 * chain starts a new one after the eighth part. */
#define MAX_PARTS 8
/* Tokens one word segment or compound can turn into: its parts and the
 * joined form. */
#define MAX_OUT (MAX_PARTS + 1)
#define TERM_CAP (CM_TOK_MAX_TERM + 1)

/* Buffers bigger than this are given back when a much smaller text comes,
 * so that one huge document does not pin its memory for a thread's life. */
#define SHRINK_UNITS ((size_t)1 << 20)

/* Snowball algorithms in libstemmer 2.x, and the ISO 639-1 codes that
 * select them.  A missing algorithm (an older libstemmer) gives no stems.
 * The first code of an algorithm names its stem terms (cm_tok_stem_code():
 * Zno: for no, nb and nn).  Serbian's stemmer reads Croatian, Bosnian and
 * Serbo-Croatian (hr, bs, sh) as well: it is built on a Croatian stemmer
 * and takes Cyrillic to Latin and ijekavian to ekavian (čovjek, čovek and
 * човек all stem to covek), so the four languages, in either script,
 * share their stems.
 *
 * The languages after them have no Snowball stemmer (nor any other in
 * Debian that is usable: bench/README.md, stops 26 and 27), and are
 * inflected: a word's stem is its first PREFIX_LEN letters (truncation),
 * which brings a word's other forms where it would bring none (wolność,
 * wolności, wolnością; svoboda, svobody, svobodě).  Measured against
 * Hunspell's stems over the UDHR's words: 48-69% of a word's other forms
 * found, 58-78% of the words it brings being such forms, in Czech, Slovak,
 * Slovenian, Bulgarian, Latvian and Belarusian (German's Snowball stemmer:
 * 83% and 82%, Russian's 91% and 84%); Estonian, 46% and 39%, is left
 * without.  Polish, Ukrainian and Macedonian, which the UDHR here lacks or
 * Debian has no dictionary for, go as their neighbours. */
static const char *const algos[] = {
    "arabic",     "armenian",   "basque",    "catalan",   "danish",
    "dutch",      "english",    "finnish",   "french",    "german",
    "greek",      "hindi",      "hungarian", "indonesian", "irish",
    "italian",    "lithuanian", "nepali",    "norwegian", "portuguese",
    "romanian",   "russian",    "serbian",   "spanish",   "swedish",
    "tamil",      "turkish",    "yiddish",
    /* Truncated (FIRST_PREFIX on). */
    "polish",     "czech",      "slovak",    "slovenian", "bulgarian",
    "ukrainian",  "latvian",    "macedonian", "belarusian",
};
#define N_ALGOS (sizeof algos / sizeof algos[0])
#define ALGO_ENGLISH 6
#define ALGO_GREEK 10
#define FIRST_PREFIX 28
#define PREFIX_LEN 6 /* letters (code points) */

static const struct {
    char code[3];
    unsigned char algo; /* index in algos[] */
} codes[] = {
    {"ar", 0},  {"hy", 1},  {"eu", 2},  {"ca", 3},  {"da", 4},  {"nl", 5},
    {"en", 6},  {"fi", 7},  {"fr", 8},  {"de", 9},  {"el", 10}, {"hi", 11},
    {"hu", 12}, {"id", 13}, {"ga", 14}, {"it", 15}, {"lt", 16}, {"ne", 17},
    {"no", 18}, {"nb", 18}, {"nn", 18}, {"pt", 19}, {"ro", 20}, {"ru", 21},
    {"sr", 22}, {"es", 23}, {"sv", 24}, {"ta", 25}, {"tr", 26}, {"yi", 27},
    {"bs", 22}, {"hr", 22}, {"sh", 22},
    {"pl", 28}, {"cs", 29}, {"sk", 30}, {"sl", 31}, {"bg", 32}, {"uk", 33},
    {"lv", 34}, {"mk", 35}, {"be", 36},
};
#define N_CODES (sizeof codes / sizeof codes[0])

/* The stem cache: direct-mapped, keyed by (stemmer, word); words longer
 * than CACHE_WORD bytes bypass it.  Word frequencies are Zipfian, so most
 * words of a text hit it and the Snowball stemmer (the analyzer's most
 * expensive step) runs once per distinct word. */
#define CACHE_SLOTS 4096 /* a power of 2 */
#define CACHE_WORD 32
/* The cache starts small (17 KiB) and takes its full size (260 KiB) after
 * this many stems that were not in it: a query and its snippets stem a
 * few hundred words, of which the small one saves the repeated (a fresh
 * cmsearch's snippets ran Snowball 186 times for "social security
 * benefits", half as often with it), and touching the full one's pages
 * cost cmsearch a hundred page faults, a fifth of its own
 * (bench/README.md). */
#define CACHE_SMALL 256 /* a power of 2 */
#define CACHE_AFTER 2048
typedef struct cache_ent {
    unsigned char algo; /* algos[] index + 1; 0: empty */
    unsigned char word_len;
    signed char stem_len; /* -1: no stem */
    char word[CACHE_WORD];
    char stem[CACHE_WORD];
} cache_ent;

/* One segment of the break iterator: [s, e) in UTF-16 units. */
typedef struct seg {
    int32_t s, e, status;
} seg;

/* One queued token and the buffers its strings live in. */
typedef struct slot slot;
struct slot {
    cm_token tok;
    const char *word; /* case-folded, accents kept: the stemmer's input */
    size_t word_len;  /* 0: too long to stem */
    char term[TERM_CAP];
    char wbuf[TERM_CAP]; /* word, when it differs from term */
    char stem[TERM_CAP];
    int32_t base_s, base_e; /* the word before an apostrophe and its
                               suffix (apos_base()), or base_e 0 */
};

struct cm_tok {
    UBreakIterator *brk;     /* opened once, re-aimed by ubrk_setText() */
    UDataMemory *brk_rules;  /* its rules, when read by open_word_break() */
    const UNormalizer2 *nfc; /* NFKC_Casefold; owned by ICU, never closed */
    const UNormalizer2 *nfd; /* NFD, for accent folding; owned by ICU */
    const UNormalizer2 *cmp; /* NFC, to recompose kept marks; owned by ICU */

    UChar *u16;     /* the text in UTF-16 */
    int32_t *off;   /* off[i]: byte offset of u16[i]; off[u16_len] = end */
    size_t u16_cap; /* units in u16; off has u16_cap + 1 slots */
    int32_t u16_len;
    int32_t prev; /* the last boundary returned by the break iterator */
    int done;     /* no more tokens until the next reset */
    seg back;     /* a segment read ahead and pushed back */
    int have_back;
    seg rest;     /* what follows a full stop in the last word segment */
    int have_rest;
    /* A word segment of a script written without spaces (continuous()),
     * [cont_s, cont_e): its pairs of grapheme clusters are the tokens;
     * [cont_a, cont_b) is the cluster that starts the next one. */
    int32_t cont_s, cont_a, cont_b, cont_e, cont_status;
    int have_cont;
    int32_t pair_mid;    /* where the pair cut_pair() gave has its second
                            cluster, or -1 (a run of one cluster) */
    int pair_last;       /* that pair ends its run */
    UBreakIterator *chr; /* grapheme clusters, opened on first use */
    int chr_on_text;     /* chr is set on this text */

    UChar *norm;     /* the normalised UTF-16 form of one word */
    size_t norm_cap; /* in units */
    UChar *fold;     /* its accent-folded form */
    size_t fold_cap;
    UChar stem16[4 * TERM_CAP]; /* a stem in UTF-16, and folded */
    UChar stemf[4 * TERM_CAP];
    char variant[TERM_CAP + 4]; /* English stemmer input */
    char qstem[TERM_CAP];       /* cm_tok_stem()'s result */
    char tstem[TERM_CAP];       /* cm_tok_stem_term()'s result */

    int algo; /* the text's stemmer (index in algos[]), or -1 */
    struct sb_stemmer *stemmer[N_ALGOS]; /* opened on first use */
    unsigned char no_stemmer[N_ALGOS];   /* sb_stemmer_new() failed */
    cache_ent *cache; /* CACHE_SMALL slots, then CACHE_SLOTS (stem_word()) */
    unsigned n_uncached;                 /* stems the small cache missed */
    size_t cache_mask;                   /* its slots - 1 */

    unsigned pos;     /* position of the next word */
    unsigned skipped; /* words too long since the last reset */

    slot out[MAX_OUT];         /* tokens of the current word or compound */
    unsigned order[MAX_OUT];   /* the queue: indexes into out */
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

/* The word break iterator of the root locale ("": language tailorings,
 * none of which matter for word boundaries yet, would need one iterator
 * per language).  ubrk_open(UBRK_WORD, "") finds the rules' name, "word",
 * in the root resource bundle of ICU's brkitr data before reading them:
 * reading them by that name directly (udata, the iterator built from the
 * binary rules ICU ships) takes a fifth of a fresh cmsearch's analyzer
 * setup less.  Kept in *rules while the iterator lives; ubrk_open() when
 * the data is not there or not break rules (their header: magic 0xB1A0,
 * a format version, then the length). */
static UBreakIterator *
open_word_break(UDataMemory **rules, UErrorCode *st)
{
    UErrorCode e = U_ZERO_ERROR;
    UDataMemory *d;
    const uint8_t *m;
    uint32_t magic, len;
    UBreakIterator *b;

    *rules = NULL;
    d = udata_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "brk",
                   "word", &e);
    if (U_SUCCESS(e) && (m = udata_getMemory(d)) != NULL) {
        memcpy(&magic, m, sizeof magic);
        memcpy(&len, m + 8, sizeof len);
        if (magic == 0xB1A0 && len <= INT32_MAX) {
            b = ubrk_openBinaryRules(m, (int32_t)len, NULL, 0, &e);
            if (U_SUCCESS(e)) {
                *rules = d;
                return b;
            }
        }
    }
    if (d != NULL)
        udata_close(d);
    return ubrk_open(UBRK_WORD, "", NULL, 0, st);
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

    t->brk = open_word_break(&t->brk_rules, &st);
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
    t->nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st)) {
        why = "unorm2_getNFDInstance";
        goto fail;
    }
    t->cmp = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        why = "unorm2_getNFCInstance";
        goto fail;
    }
    t->algo = -1;
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
    size_t i;
    if (t == NULL)
        return;
    if (t->brk != NULL)
        ubrk_close(t->brk);
    if (t->brk_rules != NULL)
        udata_close(t->brk_rules);
    if (t->chr != NULL)
        ubrk_close(t->chr);
    for (i = 0; i < N_ALGOS; i++)
        if (t->stemmer[i] != NULL)
            sb_stemmer_delete(t->stemmer[i]);
    free(t->u16);
    free(t->off);
    free(t->norm);
    free(t->fold);
    free(t->cache);
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

/* The stemmer (index in algos[]) for lang: an ISO 639-1 code, maybe
 * with a region ("en-GB", "pt_BR"), or an algorithm name; -1 for none. */
static int
find_algo(const char *lang)
{
    size_t i, n;
    if (lang == NULL)
        return -1;
    n = strcspn(lang, "-_");
    if (n == 2) {
        char c0 = (char)(lang[0] | 0x20), c1 = (char)(lang[1] | 0x20);
        for (i = 0; i < N_CODES; i++)
            if (codes[i].code[0] == c0 && codes[i].code[1] == c1)
                return codes[i].algo;
        return -1;
    }
    for (i = 0; i < N_ALGOS; i++)
        if (strlen(algos[i]) == n && strncmp(algos[i], lang, n) == 0)
            return (int)i;
    return -1;
}

cm_status
cm_tok_reset(cm_tok *t, const char *text, size_t text_len, const char *lang)
{
    static const UChar empty[1] = {0};
    UErrorCode st = U_ZERO_ERROR;

    if (t == NULL)
        return CM_EINVAL;
    t->algo = find_algo(lang);
    t->done = 1;
    t->have_back = 0;
    t->have_rest = 0;
    t->have_cont = 0;
    t->chr_on_text = 0;
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

/* ------------------------------------------------------------------ */
/* Accent folding                                                      */

/* A buffer's capacity as ICU counts it. */
static int32_t
icu_cap(size_t cap)
{
    return cap > INT32_MAX ? INT32_MAX : (int32_t)cap;
}

static int
is_apos(UChar32 c)
{
    return c == 0x27 || c == 0x2019 || c == 0x02BC || c == 0xFF07;
}

static int
is_hyphen(UChar c)
{
    return c == 0x2D || c == 0x2010 || c == 0x2011;
}

/* A full stop, or a form of it that NFKC turns into one (one dot leader,
 * small, full-width), so that every spelling of "e.g" gives the same
 * terms.  Not the middle dot U+00B7: it belongs inside Catalan words (the
 * l-dot-l of col.legi). */
static int
is_stop(UChar c)
{
    return c == 0x2E || c == 0x2024 || c == 0xFE52 || c == 0xFF0E;
}

/* Whether the mark (Mn) after base goes.  Latin and Greek lose all their
 * marks.  Cyrillic keeps the marks that make letters (short i, yi, gje,
 * short u) and loses only stress accents on vowels and the diaeresis of
 * yo, which Russian text mostly leaves out.  Other scripts keep them all:
 * there marks are letters or vowels (kana dakuten, Devanagari matras). */
static int
strip_mark(UChar32 base, UChar32 mark)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc;

    if (base < 0x80)
        return base >= 'a' && base <= 'z';
    sc = uscript_getScript(base, &st);
    if (U_FAILURE(st))
        return 0;
    if (sc == USCRIPT_LATIN || sc == USCRIPT_GREEK)
        return 1;
    if (sc != USCRIPT_CYRILLIC)
        return 0;
    if (mark == 0x0308)
        return base == 0x0435;
    if (mark != 0x0301 && mark != 0x0300)
        return 0;
    switch (base) {
    case 0x0430: case 0x0435: case 0x0438: case 0x043E: case 0x0443:
    case 0x044B: case 0x044D: case 0x044E: case 0x044F: case 0x0451:
    case 0x0454: case 0x0456: case 0x0457:
        return 1; /* a e i o u y e yu ya yo ye i yi: stress accents */
    default:
        return 0;
    }
}

/* Letters that do not decompose but that people type without their
 * stroke, and the oe/ae ligatures (oeuvre/œuvre). */
static const char *
special_fold(UChar32 c)
{
    switch (c) {
    case 0x0142: return "l"; /* l with stroke */
    case 0x00F8: return "o"; /* o with stroke */
    case 0x0111: return "d"; /* d with stroke */
    case 0x0127: return "h"; /* h with stroke */
    case 0x0167: return "t"; /* t with stroke */
    case 0x0131: return "i"; /* dotless i */
    case 0x0153: return "oe";
    case 0x00E6: return "ae";
    default: return NULL;
    }
}

/* The Simplified form of the Traditional Chinese character c, or c.
 * NFKC has already made the compatibility ideographs unified ones. */
static UChar
han_simplified(UChar c)
{
    size_t lo = 0, hi = CM_HANFOLD_N;

    if (c < cm_hanfold[0][0] || c > cm_hanfold[CM_HANFOLD_N - 1][0])
        return c;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cm_hanfold[mid][0] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < CM_HANFOLD_N && cm_hanfold[lo][0] == c ? cm_hanfold[lo][1]
                                                       : c;
}

/* Characters that may decompose into a Latin, Greek or Cyrillic letter and
 * marks (NFKC_Casefold output is composed and lower case). */
static int
maybe_decomposes(UChar32 c)
{
    return (c >= 0xC0 && c < 0x530) || (c >= 0x1E00 && c < 0x2000);
}

/* Fold the marks of u[0..n) into o, which has room for 4 * n units.
 * Returns the length of the result. */
static int32_t
fold_marks(const cm_tok *t, const UChar *u, int32_t n, UChar *o)
{
    int32_t i = 0, j = 0, k, dl;
    UChar32 c, b, base = 0, m;
    UChar d[16];
    const char *sp;

    while (i < n) {
        U16_NEXT(u, i, n, c);
        if (c < 0x80) {
            o[j++] = (UChar)c;
            base = c;
            continue;
        }
        if ((sp = special_fold(c)) != NULL) {
            while (*sp)
                o[j++] = (UChar)*sp++;
            base = o[j - 1];
            continue;
        }
        if (u_charType(c) == U_NON_SPACING_MARK) {
            if (base == 0 || !strip_mark(base, c))
                U16_APPEND_UNSAFE(o, j, c);
            continue;
        }
        if (maybe_decomposes(c)) {
            UErrorCode st = U_ZERO_ERROR;
            dl = unorm2_getDecomposition(t->nfd, c, d, 16, &st);
            if (U_SUCCESS(st) && dl > 1) {
                int stripped = 0;
                k = 0;
                U16_NEXT(d, k, dl, b);
                while (k < dl) {
                    U16_NEXT(d, k, dl, m);
                    if (strip_mark(b, m))
                        stripped = 1;
                }
                if (stripped) {
                    /* The base, recomposed with the marks it keeps. */
                    k = 0;
                    U16_NEXT(d, k, dl, b);
                    while (k < dl) {
                        U16_NEXT(d, k, dl, m);
                        if (strip_mark(b, m))
                            continue;
                        c = unorm2_composePair(t->cmp, b, m);
                        if (c >= 0) {
                            b = c;
                        } else {
                            U16_APPEND_UNSAFE(o, j, b);
                            b = m;
                        }
                    }
                    U16_APPEND_UNSAFE(o, j, b);
                    base = b;
                    continue;
                }
            }
        }
        U16_APPEND_UNSAFE(o, j, c);
        base = c;
    }
    return j;
}

/* Convert u[0..n) to UTF-8 in out (TERM_CAP bytes).  Returns the length,
 * -1 when it does not fit CM_TOK_MAX_TERM bytes, -2 on an ICU error. */
static int32_t
to_term(cm_tok *t, const UChar *u, int32_t n, char *out, cm_status *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t len;

    /* out has room for CM_TOK_MAX_TERM bytes and the NUL, so anything that
     * does not fit with its NUL is too long. */
    u_strToUTF8(out, TERM_CAP, &len, u, n, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING)
        return -1;
    if (U_FAILURE(st)) {
        *err = from_icu(t, "u_strToUTF8", st);
        return -2;
    }
    return len;
}

/* Fold u[0..n) into sl: sl->term (the matching form) and sl->word (the
 * case-folded form with its accents, for the stemmer).  Returns the term's
 * length, 0 when it folds to nothing, -1 when it is longer than
 * CM_TOK_MAX_TERM, or -2 on an ICU error (set on t, status in *err). */
static int32_t
fold(cm_tok *t, const UChar *u, int32_t n, slot *sl, cm_status *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t i, len, flen, wlen;

    /* Fast path: NFKC_Casefold of ASCII is ASCII lower case (a unit test
     * checks the two agree), and ASCII has no marks. */
    for (i = 0; i < n && u[i] < 0x80; i++)
        ;
    if (i == n) {
        if (n > CM_TOK_MAX_TERM)
            return -1;
        for (i = 0; i < n; i++)
            sl->term[i] =
                (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
        sl->term[n] = '\0';
        sl->word = sl->term;
        sl->word_len = (size_t)n;
        return n;
    }

    len = unorm2_normalize(t->nfc, u, n, t->norm, icu_cap(t->norm_cap), &st);
    /* No NUL needed here: U_STRING_NOT_TERMINATED_WARNING is fine. */
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        if (grow((void **)&t->norm, &t->norm_cap, (size_t)len,
                 sizeof *t->norm)) {
            set_err(t, "cm_tok_next: out of memory");
            *err = CM_ENOMEM;
            return -2;
        }
        st = U_ZERO_ERROR;
        len = unorm2_normalize(t->nfc, u, n, t->norm, icu_cap(t->norm_cap),
                               &st);
    }
    if (U_FAILURE(st)) {
        *err = from_icu(t, "unorm2_normalize", st);
        return -2;
    }
    for (i = 0; i < len; i++) {
        if (t->norm[i] == 0x2019 || t->norm[i] == 0x02BC)
            t->norm[i] = 0x27;
        else if (t->norm[i] >= 0x3400)
            t->norm[i] = han_simplified(t->norm[i]);
    }
    if (grow((void **)&t->fold, &t->fold_cap, 4 * (size_t)len + 4,
             sizeof *t->fold)) {
        set_err(t, "cm_tok_next: out of memory");
        *err = CM_ENOMEM;
        return -2;
    }
    flen = fold_marks(t, t->norm, len, t->fold);
    i = to_term(t, t->fold, flen, sl->term, err);
    if (i < 0)
        return i;
    if (flen == len && memcmp(t->fold, t->norm, (size_t)len * 2) == 0) {
        sl->word = sl->term;
        sl->word_len = (size_t)i;
        return i;
    }
    wlen = to_term(t, t->norm, len, sl->wbuf, err);
    if (wlen == -2)
        return -2;
    sl->word = sl->wbuf;
    sl->word_len = wlen > 0 ? (size_t)wlen : 0;
    return i;
}

/* ------------------------------------------------------------------ */
/* Stems                                                               */

/* English suffix rules: British spelling -> American, for the stemmer's
 * input only.  min is the least number of bytes before the suffix; ise
 * marks the -ise family, which spares -vise (revise/revision) and -cise
 * except -icise (precise/precision, but criticise). */
/* A rule with the lengths of its strings. */
#define EN_RULE(from, to, min, ise) \
    {from, to, sizeof from - 1, sizeof to - 1, min, ise}

static const struct {
    const char *from, *to;
    unsigned char from_len, to_len, min, ise;
} en_rules[] = {
    EN_RULE("isational", "izational", 3, 1),
    EN_RULE("isations", "izations", 3, 1),
    EN_RULE("isation", "ization", 3, 1),
    EN_RULE("isements", "izements", 3, 1),
    EN_RULE("isement", "izement", 3, 1),
    EN_RULE("isable", "izable", 3, 1),
    EN_RULE("ising", "izing", 3, 1),
    EN_RULE("ised", "ized", 3, 1),
    EN_RULE("isers", "izers", 3, 1),
    EN_RULE("iser", "izer", 3, 1),
    EN_RULE("ises", "izes", 3, 1),
    EN_RULE("ise", "ize", 3, 1),
    EN_RULE("ysing", "yzing", 3, 0),
    EN_RULE("ysed", "yzed", 3, 0),
    EN_RULE("yses", "yzes", 3, 0),
    EN_RULE("yser", "yzer", 3, 0),
    EN_RULE("yse", "yze", 3, 0),
    EN_RULE("ourites", "orites", 3, 0),
    EN_RULE("ourite", "orite", 3, 0),
    EN_RULE("ourable", "orable", 3, 0),
    EN_RULE("ourably", "orably", 3, 0),
    EN_RULE("ourful", "orful", 3, 0),
    EN_RULE("ourless", "orless", 3, 0),
    EN_RULE("ourhood", "orhood", 3, 0),
    EN_RULE("ouring", "oring", 3, 0),
    EN_RULE("ourers", "orers", 3, 0),
    EN_RULE("ourer", "orer", 3, 0),
    EN_RULE("oured", "ored", 3, 0),
    EN_RULE("ours", "ors", 3, 0),
    EN_RULE("our", "or", 3, 0),
    EN_RULE("tres", "ters", 2, 0),
    EN_RULE("tred", "tered", 2, 0),
    EN_RULE("tre", "ter", 2, 0),
    EN_RULE("bres", "bers", 2, 0),
    EN_RULE("bre", "ber", 2, 0),
    EN_RULE("ammes", "ams", 2, 0),
    EN_RULE("amme", "am", 2, 0),
    EN_RULE("oguing", "oging", 3, 0),
    EN_RULE("ogued", "oged", 3, 0),
    EN_RULE("ogues", "ogs", 3, 0),
    EN_RULE("ogue", "og", 3, 0),
    EN_RULE("dgements", "dgments", 1, 0),
    EN_RULE("dgement", "dgment", 1, 0),
};

/* Words spelled -ise, never -ize, by the part before "ise", w[0..n):
 * after a vowel (raise, noise, cruise), -vise (revise/revision), -cise but
 * -icise (precise/precision, but criticise), -wise, -prise, -franchise,
 * and a short list (advertise/advertisement must keep one stem). */
static int
ise_only(const char *w, size_t n)
{
    static const char *const words[] = {
        "advert", "chast",  "comprom", "dem",   "desp",   "expert",
        "merchand", "prem", "prom",    "surm",  "treat",  "parad",
        "chem",   "mort",   "rem",     "exerc", "inc",    "exc",
    };
    size_t i;
    char c = w[n - 1];

    if (strchr("aeiouy", c) != NULL || c == 'v' ||
        (c == 'c' && (n < 2 || w[n - 2] != 'i')) || c == 'w' ||
        (n >= 2 && memcmp(w + n - 2, "pr", 2) == 0) ||
        (n >= 6 && memcmp(w + n - 6, "franch", 6) == 0))
        return 1;
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
            return 1;
    return 0;
}

size_t
cm_tok_en_variant(const char *w, size_t n, char *out)
{
    size_t i, fl, tl, keep;

    for (i = 0; i < sizeof en_rules / sizeof en_rules[0]; i++) {
        fl = en_rules[i].from_len;
        if (n < fl + en_rules[i].min || w[n - 1] != en_rules[i].from[fl - 1] ||
            memcmp(w + n - fl, en_rules[i].from, fl) != 0)
            continue;
        keep = n - fl;
        if (en_rules[i].ise && ise_only(w, keep))
            break;
        tl = en_rules[i].to_len;
        memmove(out, w, keep);
        memcpy(out + keep, en_rules[i].to, tl);
        return keep + tl;
    }
    memmove(out, w, n);
    return n;
}

/* The stemmer for algos[a], opened on first use; NULL when libstemmer has
 * no such algorithm (or could not allocate it: then there are no stems,
 * which only costs recall). */
static struct sb_stemmer *
stemmer(cm_tok *t, int a)
{
    if (t->stemmer[a] == NULL && !t->no_stemmer[a]) {
        t->stemmer[a] = sb_stemmer_new(algos[a], "UTF_8");
        if (t->stemmer[a] == NULL)
            t->no_stemmer[a] = 1;
    }
    return t->stemmer[a];
}

static int reads_word(int a, const char *term, size_t len);

/* Stem word[0..n) with algos[a] into out (TERM_CAP), accent-folded.
 * Returns the stem's length, -1 when there is none, -2 on error.  A word
 * of a script the algorithm does not read has none: the algorithm would
 * give the word itself, whose term finds nothing the exact term does not
 * (and the searcher never asks for it, cm_tok_stem_reads()).  Checked
 * here, so once per distinct word through the cache. */
static int32_t
stem_uncached(cm_tok *t, int a, const char *word, size_t n, char *out,
          cm_status *err)
{
    struct sb_stemmer *sb = a < FIRST_PREFIX ? stemmer(t, a) : NULL;
    const sb_symbol *r;
    UErrorCode st = U_ZERO_ERROR;
    int32_t len, i, ulen;
    UChar32 c;

    if ((sb == NULL && a < FIRST_PREFIX) || n == 0 || n > INT32_MAX ||
        !reads_word(a, word, n))
        return -1;
    if (a >= FIRST_PREFIX) {
        /* The first PREFIX_LEN letters; a shorter word is its own stem. */
        for (i = 0, len = 0; i < (int32_t)n && len < PREFIX_LEN; len++)
            U8_NEXT(word, i, (int32_t)n, c);
        r = (const sb_symbol *)word;
        len = i;
    } else {
        if (a == ALGO_ENGLISH) {
            n = cm_tok_en_variant(word, n, t->variant);
            word = t->variant;
        }
        r = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)n);
        if (r == NULL) {
            set_err(t, "cm_tok_next: out of memory in the stemmer");
            *err = CM_ENOMEM;
            return -2;
        }
        len = sb_stemmer_length(sb);
    }
    if (len <= 0 || len > CM_TOK_MAX_TERM)
        return -1;
    for (i = 0; i < len && r[i] < 0x80; i++)
        ;
    if (i == len) {
        memcpy(out, r, (size_t)len);
        out[len] = '\0';
        return len;
    }
    u_strFromUTF8(t->stem16, TERM_CAP, &ulen, (const char *)r, len, &st);
    if (U_FAILURE(st))
        return -1; /* not valid UTF-8: no stem rather than a bad one */
    ulen = fold_marks(t, t->stem16, ulen, t->stemf);
    len = to_term(t, t->stemf, ulen, out, err);
    return len == -2 ? -2 : len;
}

/* stem_uncached() through the cache. */
static int32_t
stem_word(cm_tok *t, int a, const char *word, size_t n, char *out,
          cm_status *err)
{
    uint32_t h = 2166136261u ^ (uint32_t)a;
    cache_ent *ce;
    int32_t len;
    size_t i;

    if (n == 0 || n > CACHE_WORD)
        return stem_uncached(t, a, word, n, out, err);
    if (t->cache == NULL || t->n_uncached == CACHE_AFTER) {
        /* The small cache first, the full one after CACHE_AFTER stems (the
         * small one's entries are dropped: they come back). */
        size_t slots = t->cache == NULL ? CACHE_SMALL : CACHE_SLOTS;
        cache_ent *c = calloc(slots, sizeof *c);
        if (c == NULL)
            return stem_uncached(t, a, word, n, out, err);
        free(t->cache);
        t->cache = c;
        t->cache_mask = slots - 1;
        t->n_uncached += slots == CACHE_SLOTS;
    }
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)word[i]) * 16777619u;
    ce = &t->cache[(h ^ h >> 15) & t->cache_mask];
    if (ce->algo == a + 1 && ce->word_len == n &&
        memcmp(ce->word, word, n) == 0) {
        if (ce->stem_len < 0)
            return -1;
        memcpy(out, ce->stem, (size_t)ce->stem_len);
        out[ce->stem_len] = '\0';
        return ce->stem_len;
    }
    len = stem_uncached(t, a, word, n, out, err);
    if (len == -2)
        return -2;
    if (t->n_uncached < CACHE_AFTER)
        t->n_uncached++;
    if (len > CACHE_WORD) {
        ce->algo = 0;
        return len;
    }
    ce->algo = (unsigned char)(a + 1);
    ce->word_len = (unsigned char)n;
    memcpy(ce->word, word, n);
    ce->stem_len = (signed char)len;
    if (len > 0)
        memcpy(ce->stem, out, (size_t)len);
    return len;
}

/* ------------------------------------------------------------------ */
/* Words                                                               */

static int32_t stem_slot(cm_tok *t, int a, const slot *sl, char *out,
                         cm_status *err);

static int
is_word(int32_t status)
{
    /* Statuses from UBRK_WORD_NONE_LIMIT up are numbers, letters, kana
     * and ideographs; below are spaces, punctuation, symbols. */
    return status >= UBRK_WORD_NONE_LIMIT;
}

static int
is_letters(int32_t status)
{
    return status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT;
}

static int
is_number(int32_t status)
{
    return status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT;
}

/* The next segment of the text, or 0 at the end. */
static int
next_seg(cm_tok *t, seg *sg)
{
    int32_t e;
    if (t->have_back) {
        *sg = t->back;
        t->have_back = 0;
        return 1;
    }
    e = ubrk_next(t->brk);
    if (e == UBRK_DONE)
        return 0;
    sg->s = t->prev;
    sg->e = e;
    sg->status = ubrk_getRuleStatus(t->brk);
    t->prev = e;
    return 1;
}

/* The first full stop in u16[s..e) with a character on each side and no
 * digit beside it, or -1.  UAX #29 (WB6, WB7) keeps letters joined by a
 * full stop in one word, but real texts drop the space after one
 * ("c.bevorderen", "Europe.Considering"); between digits (WB11, WB12:
 * 3.14, 1.000,50) it belongs to a number. */
static int32_t
find_stop(const cm_tok *t, int32_t s, int32_t e)
{
    const UChar *u = t->u16;
    int32_t i;

    /* Called on every word: letters (above U+002E) cost one comparison. */
    for (i = s + 1; i < e - 1; i++)
        if (u[i] <= 0x2E ? u[i] == 0x2E : u[i] >= 0x2024 && is_stop(u[i]))
            if (!u_isdigit(u[i - 1]) && !u_isdigit(u[i + 1]))
                return i;
    return -1;
}

/* Cut the word segment sg at its first full stop between letters: sg
 * keeps what comes before, t->rest gets what follows. */
static void
cut_at_stop(cm_tok *t, seg *sg)
{
    int32_t d = find_stop(t, sg->s, sg->e);

    if (d < 0)
        return;
    t->rest = *sg;
    t->rest.s = d + 1;
    t->have_rest = 1;
    sg->e = d;
}

/* The next segment or piece of a cut word segment, or 0 at the end. */
static int
next_piece(cm_tok *t, seg *sg)
{
    if (t->have_rest) {
        *sg = t->rest;
        t->have_rest = 0;
    } else if (!next_seg(t, sg)) {
        return 0;
    }
    if (is_word(sg->status))
        cut_at_stop(t, sg);
    return 1;
}

/* After parts[0], the pieces of its word segment that follow full stops
 * (e.g, u.s.a).  A hyphen binds closer than a full stop: a last piece
 * followed by a hyphen is left to start a compound (Europe.Co-operation:
 * europe, then co-operation).  Returns the number of parts. */
static size_t
gather_stops(cm_tok *t, seg *parts)
{
    size_t n = 1;

    while (n < MAX_PARTS && t->have_rest) {
        seg r = t->rest;
        int32_t d = find_stop(t, r.s, r.e);
        if (d < 0 && r.e + 1 < t->u16_len && is_hyphen(t->u16[r.e]))
            break;
        t->have_rest = 0;
        if (d >= 0) {
            t->rest.s = d + 1;
            t->have_rest = 1;
            r.e = d;
        }
        parts[n++] = r;
    }
    return n;
}

/* After parts[0], the parts of a hyphenated compound: word, hyphen, word,
 * with nothing between; the last part may be the first piece of a word
 * segment cut at a full stop (co-operation.The: co, operation; then the
 * next call gives "the").  Returns the number of parts. */
static size_t
gather_compound(cm_tok *t, seg *parts)
{
    size_t n = 1;
    seg h, w;

    while (n < MAX_PARTS) {
        int32_t e = parts[n - 1].e;
        if (e + 1 >= t->u16_len || !is_hyphen(t->u16[e]))
            break;
        if (!next_seg(t, &h))
            break;
        if (h.s != e || h.e != e + 1 || is_word(h.status)) {
            t->back = h;
            t->have_back = 1;
            break;
        }
        if (!next_seg(t, &w))
            break;
        if (w.s != h.e || !is_word(w.status)) {
            t->back = w; /* the hyphen alone is punctuation: dropped */
            t->have_back = 1;
            break;
        }
        cut_at_stop(t, &w);
        parts[n++] = w;
    }
    return n;
}

/* The script of the character at u16[s] (of u16[s..e)), or
 * USCRIPT_INVALID_CODE. */
static UScriptCode
script_at(const cm_tok *t, int32_t s, int32_t e)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc;
    UChar32 c;

    U16_NEXT(t->u16, s, e, c);
    sc = uscript_getScript(c, &err);
    return U_SUCCESS(err) ? sc : USCRIPT_INVALID_CODE;
}

/* Whether a segment that starts with a character of script sc is Chinese
 * or Japanese. */
static int
cj_script(UScriptCode sc)
{
    return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA ||
           sc == USCRIPT_KATAKANA;
}

/* Whether the word segment sg is of a script written without spaces
 * between words that ICU's word break iterator has no dictionary for:
 * it returns a whole run of such text, up to a space or a punctuation
 * mark, as one word (65 characters on average in the UDHR in Javanese,
 * where 59 such words were too long to index at all, and 23 in Yi).
 * Thai, Lao, Khmer and Burmese have dictionaries and come as words;
 * Tibetan comes as syllables (cut at its tsheg), Ethiopic as words (cut
 * at its wordspace), Tai Viet and Vai are written with spaces.  Korean,
 * written with spaces, is taken as well (below), and so are Chinese and
 * Japanese, whose dictionary words are joined into runs again (2, for
 * cj_run()).  The script is that of the segment's first character. */
static int
continuous(const cm_tok *t, const seg *sg)
{
    int32_t i = sg->s;

    /* Hangul's conjoining jamo (U+1100-U+11FF) and Tai Le (U+1950) are
     * the first of them: most text costs this test.  Numbers in their
     * digits stay whole, as numbers do elsewhere. */
    if (t->u16[i] < 0x1100 || (t->u16[i] >= 0x1200 && t->u16[i] < 0x1950) ||
        is_number(sg->status))
        return 0;
    switch (script_at(t, i, sg->e)) {
    /* Chinese and Japanese: ICU's dictionary words, each its own segment,
     * but a piece of text typed in a query is cut its own way ("jie ren
     * quan" of "shi-jie ren-quan", a word the dictionary lacks): 20 and 17
     * of 40 random pieces of the UDHR in Simplified Chinese and Japanese
     * were found, 12 in Traditional Chinese.  As runs of pairs, all. */
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
        return 2;
    case USCRIPT_BALINESE:
    case USCRIPT_BATAK:
    case USCRIPT_BUGINESE:
    case USCRIPT_CHAM:
    /* Korean is written with spaces, but a word is a noun with its
     * particles and endings (gwon-ri-reul, "the right" as an object), so
     * a noun typed alone would find only the words that are the noun
     * alone.  Its pairs of syllables find it in any of them (the bigrams
     * of Lucene's CJK analyzer). */
    case USCRIPT_HANGUL:
    case USCRIPT_JAVANESE:
    case USCRIPT_LANNA: /* Tai Tham */
    case USCRIPT_MAKASAR:
    case USCRIPT_NEW_TAI_LUE:
    case USCRIPT_REJANG:
    case USCRIPT_SUNDANESE:
    case USCRIPT_TAI_LE:
    case USCRIPT_YI:
        return 1;
    default:
        return 0;
    }
}

/* Extend sg, a word segment of Chinese or Japanese (continuous() gave
 * 2), over the word segments of Chinese or Japanese that follow it with
 * no gap: ICU's dictionary words, back into the run they were cut from.
 * Numbers in digits end it, as punctuation and spaces do.  The first
 * segment that does not belong is pushed back. */
static void
cj_run(cm_tok *t, seg *sg)
{
    seg w;

    if (t->have_rest)
        return; /* sg was cut at a full stop: the rest comes next */
    while (next_seg(t, &w)) {
        if (w.s != sg->e || !is_word(w.status) || is_number(w.status) ||
            !cj_script(script_at(t, w.s, w.e))) {
            t->back = w;
            t->have_back = 1;
            return;
        }
        sg->e = w.e;
    }
}

/* The end of the grapheme cluster that starts at i, at most t->cont_e. */
static int32_t
grapheme_end(cm_tok *t, int32_t i)
{
    int32_t e = ubrk_following(t->chr, i);
    return e == UBRK_DONE || e > t->cont_e ? t->cont_e : e;
}

/* Start the pairs of grapheme clusters of the continuous segment sg
 * (continuous()): cut_pair() gives them, one a token. */
static cm_status
start_pairs(cm_tok *t, const seg *sg)
{
    UErrorCode st = U_ZERO_ERROR;

    if (t->chr == NULL) {
        t->chr = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &st);
        if (U_FAILURE(st)) {
            t->chr = NULL;
            return from_icu(t, "ubrk_open(UBRK_CHARACTER)", st);
        }
    }
    if (!t->chr_on_text) {
        ubrk_setText(t->chr, t->u16, t->u16_len, &st);
        if (U_FAILURE(st))
            return from_icu(t, "ubrk_setText", st);
        t->chr_on_text = 1;
    }
    t->cont_e = sg->e;
    t->cont_s = t->cont_a = sg->s;
    t->cont_b = grapheme_end(t, sg->s);
    t->cont_status = sg->status;
    t->have_cont = 1;
    return CM_OK;
}

/* The next pair of grapheme clusters of the segment start_pairs() began
 * (its only cluster when it has one) into *sg: overlapping pairs, each
 * starting at the second cluster of the one before, the way Lucene's CJK
 * bigram filter indexes Chinese.  A word of the script typed in a query
 * becomes the phrase of its pairs, and finds the word inside a run. */
static void
cut_pair(cm_tok *t, seg *sg)
{
    int32_t c = t->cont_b < t->cont_e ? grapheme_end(t, t->cont_b)
                                      : t->cont_e;

    t->pair_mid = t->cont_b < t->cont_e ? t->cont_b : -1;
    t->pair_last = c >= t->cont_e;
    sg->s = t->cont_a;
    sg->e = c;
    sg->status = t->cont_status;
    t->cont_a = t->cont_b;
    t->cont_b = c;
    if (c >= t->cont_e)
        t->have_cont = 0;
}

static int32_t analyze_part(cm_tok *t, const seg *sg, slot *sl,
                            cm_status *err);

/* After the pair sg just queued (out[0]), its first cluster, and its
 * second when it ends the run, as CM_TOK_ONE alternatives at its
 * position (out[1], out[2]). */
static cm_status
add_ones(cm_tok *t, const seg *sg)
{
    seg one[2];
    cm_status err = CM_OK;
    size_t k, n = t->pair_last ? 2 : 1;

    one[0] = one[1] = *sg;
    one[0].e = one[1].s = t->pair_mid;
    for (k = 0; k < n; k++) {
        slot *sl = &t->out[1 + k];
        int32_t len = analyze_part(t, &one[k], sl, &err);
        if (len == -2)
            return err;
        if (len <= 0)
            continue; /* too long: not a term, as any word */
        sl->word = NULL;
        sl->word_len = 0;
        sl->tok.pos = t->out[0].tok.pos;
        sl->tok.flags |= CM_TOK_ALT | CM_TOK_ONE;
        t->order[t->n_out++] = 1 + (unsigned)k;
    }
    return CM_OK;
}

/* Elided articles and pronouns (French, Italian, Catalan), lower case. */
static const char *const elisions[] = {
    "l",   "d",    "j",    "m",    "t",    "s",     "n",      "c",
    "qu",  "v",    "un",   "gl",   "all",  "dall",  "dell",   "nell",
    "sull", "coll", "pell", "agl", "dagl", "degl",  "negl",   "sugl",
    "jusqu", "lorsqu", "puisqu", "quoiqu",
};

/* Move *s past elided articles: l'homme, dell'Europa, qu'il. */
static void
skip_elision(const cm_tok *t, int32_t *s, int32_t e)
{
    const UChar *u = t->u16;
    char low[8];
    int32_t a, k;
    size_t i;

    for (;;) {
        for (a = *s; a < e && a - *s < 7 && !is_apos(u[a]); a++)
            ;
        if (a == *s || a >= e - 1 || a - *s >= 7 || !is_apos(u[a]))
            return;
        for (k = *s; k < a; k++) {
            UChar c = u[k] | 0x20;
            if (c < 'a' || c > 'z')
                return;
            low[k - *s] = (char)c;
        }
        low[a - *s] = '\0';
        for (i = 0; i < sizeof elisions / sizeof elisions[0]; i++)
            if (strcmp(low, elisions[i]) == 0)
                break;
        if (i == sizeof elisions / sizeof elisions[0])
            return;
        *s = a + 1;
    }
}

/* The end of the word before an apostrophe in the letters u16[s..e), when
 * what follows it is a suffix (cm_tok.h): at least two letters before
 * it, one to seven after, no other apostrophe, the word in Latin script
 * (Ukrainian and Belarusian write an apostrophe inside words: сім'я is
 * "family", сім "seven").  0 for none. */
static int32_t
apos_base(const cm_tok *t, int32_t s, int32_t e)
{
    int32_t a, i;

    for (a = s; a < e && !is_apos(t->u16[a]); a++)
        ;
    if (a == e || a - s < 2 || e - a - 1 < 1 || e - a - 1 > 7)
        return 0;
    for (i = a + 1; i < e; i++)
        if (is_apos(t->u16[i]))
            return 0;
    return script_at(t, s, a) == USCRIPT_LATIN ? a : 0;
}

/* Analyse the word segment sg into sl.  Returns the term's length, 0 when
 * nothing is left, -1 when it is too long, -2 on an error (*err). */
static int32_t
analyze_part(cm_tok *t, const seg *sg, slot *sl, cm_status *err)
{
    int32_t s = sg->s, e = sg->e, len;
    int letters = is_letters(sg->status);

    sl->base_e = 0;
    if (letters) {
        skip_elision(t, &s, e);
        /* A trailing 's: the Assembly's, foto's. */
        if (e - s >= 3 && (t->u16[e - 1] | 0x20) == 's' &&
            is_apos(t->u16[e - 2]))
            e -= 2;
        sl->base_s = s;
        sl->base_e = apos_base(t, s, e);
    }
    len = fold(t, t->u16 + s, e - s, sl, err);
    sl->tok.term = sl->term;
    sl->tok.term_len = len > 0 ? (size_t)len : 0;
    sl->tok.stem = NULL;
    sl->tok.stem_len = 0;
    sl->tok.start = (size_t)t->off[s];
    sl->tok.end = (size_t)t->off[e];
    sl->tok.flags = letters ? CM_TOK_WORD : 0;
    return len;
}

/* The joined form of the n parts in out[0..n) into out[n].  Returns 1 when
 * there is one (every part has a term, one is letters, it fits). */
static int
join_parts(cm_tok *t, size_t n)
{
    slot *j = &t->out[n];
    size_t k, tl = 0, wl = 0;
    unsigned flags = CM_TOK_WORD;
    int letters = 0, words = 1;

    for (k = 0; k < n; k++) {
        const slot *p = &t->out[k];
        if (p->tok.term_len == 0)
            return 0;
        if (p->tok.flags & CM_TOK_WORD)
            letters = 1;
        else
            flags = 0;
        tl += p->tok.term_len;
        wl += p->word_len;
        if (p->word_len == 0)
            words = 0;
    }
    if (!letters || tl > CM_TOK_MAX_TERM)
        return 0;
    for (tl = wl = 0, k = 0; k < n; k++) {
        const slot *p = &t->out[k];
        memcpy(j->term + tl, p->term, p->tok.term_len);
        tl += p->tok.term_len;
        if (words && wl + p->word_len <= CM_TOK_MAX_TERM) {
            memcpy(j->wbuf + wl, p->word, p->word_len);
            wl += p->word_len;
        } else {
            words = 0;
        }
    }
    j->term[tl] = '\0';
    j->wbuf[words ? wl : 0] = '\0';
    j->word = j->wbuf;
    j->word_len = words ? wl : 0;
    j->tok.term = j->term;
    j->tok.term_len = tl;
    j->tok.stem = NULL;
    j->tok.stem_len = 0;
    j->tok.start = t->out[0].tok.start;
    j->tok.end = t->out[n - 1].tok.end;
    j->tok.flags = CM_TOK_ALT | flags;
    return 1;
}

/* Turn the word segment or compound parts[0..n) into tokens queued in
 * t->out: part 1, the joined form, part 2, ... part n. */
static cm_status
analyze(cm_tok *t, const seg *parts, size_t n)
{
    cm_status err = CM_OK;
    int32_t len;
    size_t k;
    int joined;

    for (k = 0; k < n; k++) {
        len = analyze_part(t, &parts[k], &t->out[k], &err);
        if (len == -2)
            return err;
        /* Too long: not a position either; the query side skips it too,
         * so a phrase across it still matches. */
        if (len == -1)
            t->skipped++;
    }
    joined = n > 1 && join_parts(t, n);
    for (k = 0; k < n; k++) {
        if (t->out[k].tok.term_len == 0)
            continue;
        t->out[k].tok.pos = t->pos++;
        t->order[t->n_out++] = (unsigned)k;
        if (k == 0 && joined) {
            t->out[n].tok.pos = t->out[0].tok.pos;
            t->order[t->n_out++] = (unsigned)n;
        }
    }
    /* A word with a suffix after an apostrophe (not a part of a
     * compound): the word before it too, at its position. */
    if (n == 1 && t->out[0].tok.term_len > 0 && t->out[0].base_e > 0) {
        seg b = {t->out[0].base_s, t->out[0].base_e, parts[0].status};
        slot *sl = &t->out[1];
        len = analyze_part(t, &b, sl, &err);
        if (len == -2)
            return err;
        if (len > 0) {
            sl->tok.pos = t->out[0].tok.pos;
            sl->tok.flags |= CM_TOK_ALT | CM_TOK_BASE;
            t->order[t->n_out++] = 1;
        }
    }
    if (t->algo < 0)
        return CM_OK;
    for (k = 0; k < t->n_out; k++) {
        slot *sl = &t->out[t->order[k]];
        if (!(sl->tok.flags & CM_TOK_WORD))
            continue;
        len = stem_slot(t, t->algo, sl, sl->stem, &err);
        if (len == -2)
            return err;
        if (len > 0) {
            sl->tok.stem = sl->stem;
            sl->tok.stem_len = (size_t)len;
        }
    }
    return CM_OK;
}

/* The stem of the token in sl with algos[a].  The stemmer sees the word
 * with its accents, except the Greek one: it knows only the monotonic
 * tonos, which it removes itself, so polytonic words would stay unstemmed;
 * it gets the folded term. */
static int32_t
stem_slot(cm_tok *t, int a, const slot *sl, char *out, cm_status *err)
{
    if (a == ALGO_GREEK)
        return stem_word(t, a, sl->term, sl->tok.term_len, out, err);
    return stem_word(t, a, sl->word, sl->word_len, out, err);
}

cm_status
cm_tok_next(cm_tok *t, const cm_token **tok)
{
    seg parts[MAX_PARTS];
    cm_status st;
    size_t n;
    int c;

    if (tok != NULL)
        *tok = NULL;
    if (t == NULL || tok == NULL)
        return CM_EINVAL;
    while (t->i_out == t->n_out) {
        if (t->done)
            return CM_OK;
        t->i_out = t->n_out = 0;
        t->pair_mid = -1;
        if (t->have_cont) {
            cut_pair(t, &parts[0]);
            n = 1;
        } else if (!next_piece(t, &parts[0])) {
            t->done = 1;
            return CM_OK;
        } else if (!is_word(parts[0].status)) {
            continue;
        } else if ((c = continuous(t, &parts[0])) != 0) {
            if (c == 2)
                cj_run(t, &parts[0]);
            st = start_pairs(t, &parts[0]);
            if (st != CM_OK) {
                t->done = 1;
                return st;
            }
            continue;
        } else {
            n = t->have_rest ? gather_stops(t, parts)
                             : gather_compound(t, parts);
        }
        st = analyze(t, parts, n);
        if (st != CM_OK) {
            t->done = 1;
            t->n_out = 0;
            return st;
        }
        /* A pair overlaps another unless it is its run's only one. */
        if (t->pair_mid >= 0 && t->n_out == 1) {
            if (parts[0].s > t->cont_s || !t->pair_last)
                t->out[t->order[0]].tok.flags |= CM_TOK_PAIR;
            st = add_ones(t, &parts[0]);
        }
        if (st != CM_OK) {
            t->done = 1;
            t->n_out = 0;
            return st;
        }
    }
    *tok = &t->out[t->order[t->i_out++]].tok;
    return CM_OK;
}

cm_status
cm_tok_stem(cm_tok *t, const cm_token *tok, const char *lang,
            const char **stem, size_t *stem_len)
{
    cm_status err = CM_OK;
    const slot *sl = NULL;
    int32_t len;
    size_t k;
    int a;

    if (stem != NULL)
        *stem = NULL;
    if (stem_len != NULL)
        *stem_len = 0;
    if (t == NULL || tok == NULL || stem == NULL || stem_len == NULL)
        return CM_EINVAL;
    for (k = 0; k < MAX_OUT; k++)
        if (tok == &t->out[k].tok)
            sl = &t->out[k];
    if (sl == NULL) {
        set_err(t, "cm_tok_stem: not a token of this analyzer");
        return CM_EINVAL;
    }
    a = find_algo(lang);
    if (a < 0 || !(tok->flags & CM_TOK_WORD))
        return CM_OK;
    len = stem_slot(t, a, sl, t->qstem, &err);
    if (len == -2)
        return err;
    if (len > 0) {
        *stem = t->qstem;
        *stem_len = (size_t)len;
    }
    return CM_OK;
}

cm_status
cm_tok_stem_term(cm_tok *t, const char *lang, const char *term, size_t len,
                 const char **stem, size_t *stem_len)
{
    cm_status err = CM_OK;
    int32_t n;
    int a;

    if (stem != NULL)
        *stem = NULL;
    if (stem_len != NULL)
        *stem_len = 0;
    if (t == NULL || term == NULL || stem == NULL || stem_len == NULL)
        return CM_EINVAL;
    a = find_algo(lang);
    if (a < 0)
        return CM_OK;
    n = stem_word(t, a, term, len, t->tstem, &err);
    if (n == -2)
        return err;
    if (n > 0) {
        *stem = t->tstem;
        *stem_len = (size_t)n;
    }
    return CM_OK;
}

const char *
cm_tok_stem_lang(size_t i)
{
    return i < N_CODES ? codes[i].code : NULL;
}

/* The scripts Snowball algorithm a reads: it leaves words of any other
 * script as they are (checked over the 218,000 distinct words of the UDHR
 * in 520 languages and of treaties: no change with any algorithm). */
static int
algo_reads(int a, UScriptCode s)
{
    static const struct {
        const char *algo;
        UScriptCode s1, s2;
    } own[] = {
        {"arabic", USCRIPT_ARABIC, USCRIPT_ARABIC},
        {"armenian", USCRIPT_ARMENIAN, USCRIPT_ARMENIAN},
        {"greek", USCRIPT_GREEK, USCRIPT_GREEK},
        {"hindi", USCRIPT_DEVANAGARI, USCRIPT_DEVANAGARI},
        {"nepali", USCRIPT_DEVANAGARI, USCRIPT_DEVANAGARI},
        {"russian", USCRIPT_CYRILLIC, USCRIPT_CYRILLIC},
        {"serbian", USCRIPT_CYRILLIC, USCRIPT_LATIN},
        {"tamil", USCRIPT_TAMIL, USCRIPT_TAMIL},
        {"yiddish", USCRIPT_HEBREW, USCRIPT_HEBREW},
        {"bulgarian", USCRIPT_CYRILLIC, USCRIPT_CYRILLIC},
        {"ukrainian", USCRIPT_CYRILLIC, USCRIPT_CYRILLIC},
        {"macedonian", USCRIPT_CYRILLIC, USCRIPT_CYRILLIC},
        {"belarusian", USCRIPT_CYRILLIC, USCRIPT_CYRILLIC},
    };
    size_t i;

    for (i = 0; i < sizeof own / sizeof own[0]; i++)
        if (algos[a][0] == own[i].algo[0] &&
            strcmp(algos[a], own[i].algo) == 0)
            return s == own[i].s1 || s == own[i].s2;
    return s == USCRIPT_LATIN;
}

/* Whether algos[a] reads the word term[0..len): see cm_tok_stem_reads(). */
static int
reads_word(int a, const char *term, size_t len)
{
    UScriptCode word = USCRIPT_INVALID_CODE, s;
    UErrorCode err = U_ZERO_ERROR;
    int32_t i = 0, n = (int32_t)len;
    UChar32 c;

    if (a < 0 || term == NULL || len == 0 || len > INT32_MAX)
        return 1;
    /* ASCII, the most of it: letters are Latin, the rest Common. */
    for (i = 0; i < n && (unsigned char)term[i] < 0x80; i++)
        if (!((term[i] >= 'a' && term[i] <= 'z') ||
              (term[i] >= 'A' && term[i] <= 'Z')))
            return 1;
    if (i == n)
        return algo_reads(a, USCRIPT_LATIN);
    i = 0;
    while (i < n) {
        U8_NEXT(term, i, n, c);
        if (c < 0)
            return 1;
        s = uscript_getScript(c, &err);
        if (U_FAILURE(err) || s == USCRIPT_COMMON)
            return 1;
        if (s == USCRIPT_INHERITED)
            continue; /* a combining mark: its base letter's script */
        if (word != USCRIPT_INVALID_CODE && s != word)
            return 1;
        word = s;
    }
    return word == USCRIPT_INVALID_CODE || algo_reads(a, word);
}

int
cm_tok_stem_reads(const char *lang, const char *term, size_t len)
{
    return reads_word(find_algo(lang), term, len);
}

int
cm_tok_stem_keeps_initial(const char *lang)
{
    /* Measured on every word of the UDHR's 520 languages and a tenth of
     * the treaties, through each stemmer (test_tok checks it again). */
    static const char *const changes[] = {
        "arabic", "indonesian", "irish", "lithuanian",
        "serbian", "tamil", "turkish", "yiddish",
    };
    int a = find_algo(lang);
    size_t i;

    if (a < 0)
        return 0;
    for (i = 0; i < sizeof changes / sizeof changes[0]; i++)
        if (strcmp(algos[a], changes[i]) == 0)
            return 0;
    return 1;
}

const char *
cm_tok_stem_code(const char *lang)
{
    int a = find_algo(lang);
    size_t i;

    for (i = 0; a >= 0 && i < N_CODES; i++)
        if (codes[i].algo == a)
            return codes[i].code;
    return NULL;
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
