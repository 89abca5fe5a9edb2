/* cm_lang.c: language identification on libexttextcat. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fingerprint.h>

#include "cm_lang.h"

#ifndef CM_TEXTCAT_CONF
#define CM_TEXTCAT_CONF "/usr/share/libexttextcat/fpdb.conf"
#endif

/* libexttextcat's constants (constants.h, not installed): a language
 * is a candidate when its distance is within 3% of the best; more than
 * five candidates is no answer; profiles hold 400 n-grams. */
#define THRESHOLD 1.03
#define MAX_NGRAMS CM_LANG_NGRAMS
/* libexttextcat's distance for an n-gram of the text that a language's
 * profile lacks (MAXOUTOFPLACE). */
#define OUT_OF_PLACE 400
/* libexttextcat's n-grams: 1 to 5 characters (MAXNGRAMSYMBOL), the
 * heap-and-table's buckets (TABLEPOW 13). */
#define GRAM_CHARS 5
#define BUCKET_MASK 8191u
/* The text's profile (see text_profile()): the prepared text is at most
 * CM_LANG_MAX_BYTES + 2 bytes, and each byte starts at most GRAM_CHARS
 * n-grams; the counting table has room for four times that, a power of
 * two. */
#define PREP_MAX (CM_LANG_MAX_BYTES + 3)
#define GRAMS_MAX (GRAM_CHARS * PREP_MAX)
#define SLOT_BITS 14
#define SLOTS (1u << SLOT_BITS)

/* We use libexttextcat's language profiles (fp_Read()) rather than
 * textcat_ClassifyFull(), which compares a text with all 160 languages
 * every time: cm_lang_restrict() lets a caller that knows the candidate
 * languages (those of the document) compare with those alone, which is
 * where the parser's time went (75% in fp_Compare).  A text's profile is
 * made here (text_profile()), the same as fp_Create()'s, and compared
 * through the table below; cm_lang_use_table(l, 0) makes and compares it
 * with libexttextcat's fp_Create() and fp_Compare() instead, which tests
 * check this against. */
typedef struct {
    void *fp;
    char code[8];
    unsigned needs; /* SCRIPT_*: a text without it is not in the language */
} lang_fp;

/* Letters that a language's writing never goes without: Japanese prose
 * has kana among its kanji, and Korean is written in Hangul.  The
 * n-grams do not see it: the Japanese fingerprint is mostly kanji, and a
 * paragraph of Traditional Chinese (or Cantonese) came out Japanese, one
 * in six of the UDHR's. */
#define SCRIPT_KANA 1u
#define SCRIPT_HANGUL 2u

static const struct {
    const char *code;
    unsigned needs;
} writing[] = {{"ja", SCRIPT_KANA}, {"ko", SCRIPT_HANGUL}};

/* The SCRIPT_* letters text[0..n) (UTF-8) has.  Both are in the
 * three-byte range of UTF-8. */
static unsigned
scripts_of(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned found = 0;
    size_t i;

    for (i = 0; i + 2 < n; i++) {
        uint32_t cp;
        if ((s[i] & 0xF0) != 0xE0)
            continue;
        cp = (uint32_t)(s[i] & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 |
             (uint32_t)(s[i + 2] & 0x3F);
        if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F))
            found |= SCRIPT_KANA; /* hiragana, katakana, half-width kana */
        else if ((cp >= 0xAC00 && cp <= 0xD7A3) ||
                 (cp >= 0x1100 && cp <= 0x11FF) ||
                 (cp >= 0x3130 && cp <= 0x318F))
            found |= SCRIPT_HANGUL; /* syllables, jamo, compatibility jamo */
        i += 2;
    }
    return found;
}

/* The table: fp_Compare() merges a text's profile with one language's
 * (their n-grams sorted alike, about 3 us), so among all 160 languages
 * the comparisons cost four times the text's profile, for each of the
 * paragraphs cm_doc_lang.c samples from each document.  The distance it
 * computes is the sum, over the text's n-grams, of the difference between
 * the n-gram's rank in the text and in the language (the order fp_Print()
 * lists a profile in), or OUT_OF_PLACE where the language lacks it.  So
 * the languages' profiles are also kept as one table from each n-gram to
 * the languages having it with its rank there, and the text's n-grams are
 * looked up once for all the languages compared: the same distances.
 * Among a document's few languages, the table of those alone (build_sub())
 * spares the languages that are not compared. */
typedef struct {
    unsigned short lang, rank;
} gram_at;

/* An n-gram of the text being profiled: prep[off .. off + bytes), seen
 * cnt times; hash is libexttextcat's simplehash() of it. */
typedef struct {
    uint32_t hash, cnt;
    uint16_t off, slot; /* slot: its place in profile_scratch.slot */
    uint8_t bytes;
} gram_count;

/* Scratch for text_profile(), one per identifier (so per thread). */
typedef struct {
    char prep[PREP_MAX + 1];
    gram_count grams[GRAMS_MAX];
    uint16_t slot[SLOTS];       /* index + 1 in grams, 0: free */
    uint16_t order[GRAMS_MAX];  /* the order of libexttextcat's table */
    uint16_t tmp[GRAMS_MAX];
    uint32_t heap[MAX_NGRAMS];  /* count << 16 | index in grams */
    uint16_t rank[MAX_NGRAMS];  /* the profile: grams in rank order */
} profile_scratch;

struct cm_lang {
    lang_fp *langs;
    size_t n;
    unsigned char *on; /* on[i]: language i is compared */
    size_t n_on;
    unsigned needs_on; /* the SCRIPT_* that the languages compared need */
    int no_table;      /* cm_lang_use_table(l, 0) */
    int table_ok;      /* the table is built and gives the distances */
    /* n-gram -> its group: an open-addressing table keyed by the
     * n-gram's libexttextcat hash, which text_profile() has computed
     * already; a slot holds group + 1, 0 when free.  Group g's n-gram is
     * gram_text + gram_off[g], NUL-terminated. */
    uint32_t *gram_slot;
    unsigned gram_bits;
    uint32_t *gram_hash;
    uint32_t *gram_off;
    char *gram_text;
    size_t *group;     /* group g: at[group[g] .. group[g + 1]) */
    gram_at *at;
    size_t n_groups;
    size_t n_coded;    /* the languages with an ISO code */
    /* The table of the languages compared alone, when they are not all
     * those with a code (sub_group like group), rebuilt on the first
     * text after cm_lang_restrict() changed them (sub_stale): a document's
     * paragraphs are compared with its few languages. */
    size_t *sub_group;
    gram_at *sub_at;
    int sub_stale;
    int *dist;         /* per language: the distance being summed */
    unsigned *found;   /* per language: the text's n-grams it has */
    profile_scratch *ps;
};

__attribute__((format(printf, 2, 3))) static void
set_err(char **errmsg, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (errmsg == NULL)
        return;
    *errmsg = NULL;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || (*errmsg = malloc((size_t)n + 1)) == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(*errmsg, (size_t)n + 1, fmt, ap);
    va_end(ap);
}

typedef struct {
    char file[512];
    char name[64];
} conf_line;

/* Read conf's "file name" lines, with file made absolute (prefix: conf's
 * directory), into *lines. */
static cm_status
read_conf(FILE *f, const char *prefix, conf_line **lines, size_t *n)
{
    char buf[1024], file[256], name[64];
    conf_line *l = NULL, *nl;
    size_t cap = 0;
    char *hash;

    *n = 0;
    while (fgets(buf, sizeof buf, f) != NULL) {
        if ((hash = strchr(buf, '#')) != NULL)
            *hash = '\0';
        if (sscanf(buf, "%255s %63s", file, name) != 2)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            nl = realloc(l, cap * sizeof *l);
            if (nl == NULL) {
                free(l);
                return CM_ENOMEM;
            }
            l = nl;
        }
        if (snprintf(l[*n].file, sizeof l[*n].file, "%s%s",
                     file[0] == '/' ? "" : prefix, file) >=
            (int)sizeof l[*n].file)
            continue;
        snprintf(l[*n].name, sizeof l[*n].name, "%s", name);
        (*n)++;
    }
    *lines = l;
    return CM_OK;
}

/* ---- the table --------------------------------------------------------- */

/* The n-grams of the profile fp in rank order, a line each (fp_Print()),
 * in a malloc'd buffer of *len bytes; NULL when out of memory. */
static char *
profile_lines(void *fp, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);

    if (m == NULL)
        return NULL;
    fp_Print(fp, m);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The end of the line starting at s: its newline, or end. */
static char *
line_end(char *s, char *end)
{
    char *nl = memchr(s, '\n', (size_t)(end - s));
    return nl != NULL ? nl : end;
}

typedef struct {
    char gram[32]; /* libexttextcat's are at most 20 bytes */
    gram_at at;
} gram_entry;

static int
by_gram(const void *a, const void *b)
{
    const gram_entry *x = a, *y = b;
    int c = strcmp(x->gram, y->gram);

    return c != 0 ? c : (int)x->at.lang - (int)y->at.lang;
}

/* The bytes of the character at q (q[0] not NUL), as libexttextcat
 * counts them: its first byte says how many (1 below 0xC0, then 2, 3, 4),
 * cut at the end of the text. */
static size_t
char_bytes(const char *q)
{
    unsigned char c = (unsigned char)q[0];
    size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, k = 1;

    while (k < n && q[k] != '\0')
        k++;
    return k;
}

/* libexttextcat's simplehash() of the n-gram s (NUL-terminated): its
 * characters times 13, then 31 times the hash plus each byte (a char, as
 * the library reads it). */
static uint32_t
gram_hash(const char *s)
{
    uint32_t h, k = 0;
    size_t i;

    for (i = 0; s[i] != '\0'; i += char_bytes(s + i))
        k++;
    h = k * 13u;
    for (i = 0; s[i] != '\0'; i++)
        h = h * 31u + (uint32_t)(int)s[i];
    return h;
}

/* The slot to probe first for hash h in an open-addressing table of
 * 2^bits slots: the top bits of h times 2^32 / golden ratio. */
static size_t
home_slot(uint32_t h, unsigned bits)
{
    return (h * 2654435761u) >> (32 - bits);
}

/* The slot of l's n-gram table to probe first for hash h. */
static size_t
gram_home(const cm_lang *l, uint32_t h)
{
    return home_slot(h, l->gram_bits);
}

/* The group + 1 of the n-gram s[0..n) of hash h, 0 when no language has
 * it. */
static size_t
find_gram(const cm_lang *l, uint32_t h, const char *s, size_t n)
{
    size_t mask = ((size_t)1 << l->gram_bits) - 1, i = gram_home(l, h);

    for (;; i = (i + 1) & mask) {
        uint32_t g = l->gram_slot[i];
        const char *t;
        if (g == 0)
            return 0;
        t = l->gram_text + l->gram_off[g - 1];
        if (l->gram_hash[g - 1] == h && strncmp(t, s, n) == 0 && t[n] == '\0')
            return g;
    }
}

/* Build l's table from its languages' profiles.  A profile that has an
 * n-gram twice (not one of libexttextcat's) leaves the table unused:
 * which of the two fp_Compare() pairs with the text's is not defined. */
static cm_status
build_table(cm_lang *l)
{
    gram_entry *e = NULL;
    size_t n = 0, cap = 0, i, k, g = 0, len, n_groups = 0, text = 0;
    cm_status st = CM_OK;

    for (i = 0; st == CM_OK && i < l->n; i++) {
        char *lines = profile_lines(l->langs[i].fp, &len), *s, *end;
        unsigned rank = 0;
        if (lines == NULL)
            st = CM_ENOMEM;
        for (s = lines; st == CM_OK && s < lines + len; s = end + 1) {
            end = line_end(s, lines + len);
            if (n == cap) {
                gram_entry *ne = realloc(e, (cap = cap ? 2 * cap : 65536) *
                                                sizeof *e);
                if (ne == NULL) {
                    st = CM_ENOMEM;
                    break;
                }
                e = ne;
            }
            if ((size_t)(end - s) < sizeof e[n].gram && end > s) {
                memcpy(e[n].gram, s, (size_t)(end - s));
                e[n].gram[end - s] = '\0';
                e[n].at.lang = (unsigned short)i;
                e[n].at.rank = (unsigned short)rank;
                n++;
            }
            rank++;
        }
        free(lines);
    }
    if (st == CM_OK) {
        qsort(e, n, sizeof *e, by_gram);
        l->group = malloc((n + 1) * sizeof *l->group);
        l->at = malloc((n ? n : 1) * sizeof *l->at);
        l->dist = calloc(l->n ? l->n : 1, sizeof *l->dist);
        l->found = calloc(l->n ? l->n : 1, sizeof *l->found);
        for (k = 0; k < n; k++)
            if (k == 0 || strcmp(e[k].gram, e[k - 1].gram) != 0) {
                n_groups++;
                text += strlen(e[k].gram) + 1;
            }
        for (l->gram_bits = 4; ((size_t)1 << l->gram_bits) < 2 * n_groups;)
            l->gram_bits++;
        l->gram_slot = calloc((size_t)1 << l->gram_bits,
                              sizeof *l->gram_slot);
        l->gram_hash = malloc((n_groups + 1) * sizeof *l->gram_hash);
        l->gram_off = malloc((n_groups + 1) * sizeof *l->gram_off);
        l->gram_text = malloc(text ? text : 1);
        if (l->group == NULL || l->at == NULL || l->dist == NULL ||
            l->found == NULL || l->gram_slot == NULL ||
            l->gram_hash == NULL || l->gram_off == NULL ||
            l->gram_text == NULL)
            st = CM_ENOMEM;
    }
    l->table_ok = st == CM_OK;
    for (k = 0, text = 0; st == CM_OK && k < n; k++) {
        if (k == 0 || strcmp(e[k].gram, e[k - 1].gram) != 0) {
            size_t m = strlen(e[k].gram) + 1,
                   mask = ((size_t)1 << l->gram_bits) - 1, s;
            uint32_t h = gram_hash(e[k].gram);
            l->group[g] = k;
            memcpy(l->gram_text + text, e[k].gram, m);
            l->gram_off[g] = (uint32_t)text;
            l->gram_hash[g] = h;
            text += m;
            for (s = gram_home(l, h); l->gram_slot[s] != 0; s = (s + 1) & mask)
                ;
            l->gram_slot[s] = (uint32_t)++g;
        } else if (e[k].at.lang == e[k - 1].at.lang) {
            l->table_ok = 0;
        }
        l->at[k] = e[k].at;
    }
    if (st == CM_OK) {
        l->group[g] = n;
        l->n_groups = g;
        l->sub_group = malloc((g + 1) * sizeof *l->sub_group);
        l->sub_at = malloc((n ? n : 1) * sizeof *l->sub_at);
        if (l->sub_group == NULL || l->sub_at == NULL)
            st = CM_ENOMEM;
    }
    if (st != CM_OK)
        l->table_ok = 0;
    free(e);
    return st;
}

/* The table of the languages compared, when they are not all. */
static void
build_sub(cm_lang *l)
{
    size_t g, k, n = 0;

    for (g = 0; g < l->n_groups; g++) {
        l->sub_group[g] = n;
        for (k = l->group[g]; k < l->group[g + 1]; k++)
            if (l->on[l->at[k].lang])
                l->sub_at[n++] = l->at[k];
    }
    l->sub_group[g] = n;
    l->sub_stale = 0;
}

/* ---- the text's profile ------------------------------------------------- */

/* fp_Create() builds a text's profile in a table of 8,192 buckets that
 * it allocates, clears and walks for every text, then sorts the profile
 * twice (fp_Create() by n-gram, fp_Print() back by rank): 512 bytes among
 * a document's three languages took 89 us that way, 21 us this way
 * (bench/README.md, stop 17).  text_profile() makes the same profile,
 * n-gram for n-gram and rank for rank, from the same steps over reused
 * memory:
 *  - the text prepared as prepbuffer() does: each run of spaces and
 *    digits (isspace(), isdigit(), in the process's locale) becomes one
 *    '_', the text starts with '_', and ends with one when it ended in a
 *    run or filled its room (its length + 1);
 *  - from each character on, the n-grams of 1 to 5 characters, stopping
 *    after one that ends in '_', counted;
 *  - the most frequent max_ngrams of them chosen by libexttextcat's heap
 *    (a min-heap of max_ngrams; the n-grams go in in its table's order:
 *    by bucket, simplehash() & 8191, and in a bucket the latest first; one
 *    as frequent as the least frequent in the heap replaces it), which
 *    decides between n-grams as frequent as each other, and ranked by
 *    taking them out of the heap least frequent first, as fp_Create()
 *    does (its sift-down on taking one out includes the slot just
 *    emptied).
 * A character is what libexttextcat takes for one: its first byte says
 * how many bytes (1 below 0xC0, then 2, 3, 4), cut at the end of the
 * text.  test_lang.c checks the distances it gives against fp_Create()'s
 * on texts of many languages and scripts, and invalid UTF-8. */

/* A byte libexttextcat squeezes (INVALID()). */
static int
squeezed(char c)
{
    return isspace((unsigned char)c) || isdigit((unsigned char)c);
}

/* The prepared text of src[0..n) (NUL-terminated at n) in d; returns
 * its length. */
static size_t
prepare(const char *src, size_t n, char *d)
{
    size_t i = 0, w = 0, lim = n + 1;
    int end_mark = 1;

    for (;;) {
        while (squeezed(src[i]))
            i++;
        if (src[i] == '\0')
            break;
        d[w++] = '_';
        if (w == lim) {
            end_mark = 0;
            break;
        }
        do
            d[w++] = src[i++];
        while (w < lim && src[i] != '\0' && !squeezed(src[i]));
        if (w == lim)
            break;
        if (src[i] == '\0') {
            end_mark = 0;
            break;
        }
    }
    if (end_mark)
        d[w++] = '_';
    d[w] = '\0';
    return w;
}

/* Count the n-gram prep[off .. off + bytes) with libexttextcat's hash
 * h; *ng: the distinct n-grams so far. */
static void
count_gram(profile_scratch *ps, size_t off, size_t bytes, uint32_t h,
           size_t *ng)
{
    size_t s = home_slot(h, SLOT_BITS);
    gram_count *g;

    for (;; s = (s + 1) & (SLOTS - 1)) {
        if (ps->slot[s] == 0)
            break;
        g = &ps->grams[ps->slot[s] - 1];
        if (g->hash == h && g->bytes == bytes &&
            memcmp(ps->prep + g->off, ps->prep + off, bytes) == 0) {
            g->cnt++;
            return;
        }
    }
    g = &ps->grams[*ng];
    g->hash = h;
    g->cnt = 1;
    g->off = (uint16_t)off;
    g->bytes = (uint8_t)bytes;
    g->slot = (uint16_t)s;
    ps->slot[s] = (uint16_t)++*ng;
}

/* Heap steps of libexttextcat's fingerprint.c (which swaps entries
 * where these move the one being placed last), on entries of
 * ps->heap; CNT() is what they compare. */
#define CNT(e) ((e) >> 16)

static void
sift_up(uint32_t *hp, size_t child)
{
    uint32_t e = hp[child];

    while (child > 0) {
        size_t parent = (child - 1) / 2;
        if (CNT(hp[parent]) <= CNT(e))
            break;
        hp[child] = hp[parent];
        child = parent;
    }
    hp[child] = e;
}

static void
sift_down(uint32_t *hp, size_t size)
{
    uint32_t e = hp[0];
    size_t parent = 0, child = 1;

    while (child < size) {
        if (child + 1 < size && CNT(hp[child]) > CNT(hp[child + 1]))
            child++;
        if (CNT(e) <= CNT(hp[child]))
            break;
        hp[parent] = hp[child];
        parent = child;
        child = 2 * parent + 1;
    }
    hp[parent] = e;
}

/* The profile of text[0..len) (NUL-terminated at len): its max_ngrams
 * most frequent n-grams in ps->rank[0..return), most frequent first,
 * each an index into ps->grams (its bytes in ps->prep). */
static size_t
text_profile(profile_scratch *ps, const char *text, size_t len,
             size_t max_ngrams)
{
    const char *prep = ps->prep;
    size_t ng = 0, p = 0, q, k, i, size = 0, cnt[128];

    prepare(text, len, ps->prep);
    /* Count, as utfcreatengramtable() does. */
    for (;;) {
        uint32_t poly = 0, pw = 1;
        size_t b;
        for (q = p, k = 1;; k++) {
            b = char_bytes(prep + q);
            for (i = 0; i < b; i++) {
                poly = poly * 31u + (uint32_t)(int)prep[q + i];
                pw *= 31u;
            }
            count_gram(ps, p, q + b - p, (uint32_t)k * 13u * pw + poly, &ng);
            if (k > 1 && prep[q] == '_')
                break;
            q += b;
            if (prep[q] == '\0')
                goto counted;
            if (k == GRAM_CHARS)
                break;
        }
        p += char_bytes(prep + p);
    }
counted:
    /* The table's order: by bucket, and in a bucket the latest first (a
     * stable radix sort of the n-grams, latest first, by bucket). */
    for (i = 0; i < ng; i++)
        ps->tmp[i] = (uint16_t)(ng - 1 - i);
    memset(cnt, 0, sizeof cnt);
    for (i = 0; i < ng; i++)
        cnt[ps->grams[i].hash & 127u]++;
    for (i = 0, k = 0; i < 128; i++) {
        size_t c = cnt[i];
        cnt[i] = k;
        k += c;
    }
    for (i = 0; i < ng; i++)
        ps->order[cnt[ps->grams[ps->tmp[i]].hash & 127u]++] = ps->tmp[i];
    memset(cnt, 0, sizeof cnt);
    for (i = 0; i < ng; i++)
        cnt[(ps->grams[i].hash & BUCKET_MASK) >> 7]++;
    for (i = 0, k = 0; i < 64; i++) {
        size_t c = cnt[i];
        cnt[i] = k;
        k += c;
    }
    for (i = 0; i < ng; i++) {
        uint16_t x = ps->order[i];
        ps->tmp[cnt[(ps->grams[x].hash & BUCKET_MASK) >> 7]++] = x;
    }
    /* The heap, as table2heap() fills it. */
    for (i = 0; i < ng; i++) {
        uint16_t x = ps->tmp[i];
        uint32_t e = ps->grams[x].cnt << 16 | x;
        ps->slot[ps->grams[x].slot] = 0; /* free for the next text */
        if (size < max_ngrams) {
            ps->heap[size] = e;
            sift_up(ps->heap, size++);
        } else if (CNT(e) >= CNT(ps->heap[0])) {
            /* As frequent as the least: it takes its place, where the
             * sift-down would leave it (most n-grams occur once). */
            int same = CNT(e) == CNT(ps->heap[0]);
            ps->heap[0] = e;
            if (!same)
                sift_down(ps->heap, size);
        }
    }
    /* Out of it least frequent first, into ranks size - 1 .. 0. */
    for (k = size; k > 0; k--) {
        ps->rank[k - 1] = (uint16_t)(ps->heap[0] & 0xFFFF);
        ps->heap[0] = ps->heap[k - 1];
        sift_down(ps->heap, k);
    }
    return size;
}

/* The distances of the profile ps->rank[0..nu) from the languages
 * compared, in l->dist: those fp_Compare() gives without a cut-off. */
static void
table_distances(cm_lang *l, const profile_scratch *ps, size_t nu)
{
    const size_t *group = l->group;
    const gram_at *at = l->at;
    size_t i, k, r, g;

    if (l->n_on < l->n_coded) {
        if (l->sub_stale)
            build_sub(l);
        group = l->sub_group;
        at = l->sub_at;
    }
    memset(l->dist, 0, l->n * sizeof *l->dist);
    memset(l->found, 0, l->n * sizeof *l->found);
    for (r = 0; r < nu; r++) {
        const gram_count *gc = &ps->grams[ps->rank[r]];
        g = find_gram(l, gc->hash, ps->prep + gc->off, gc->bytes);
        for (k = g > 0 ? group[g - 1] : 0; g > 0 && k < group[g]; k++) {
            const gram_at *a = &at[k];
            int d = (int)a->rank - (int)r;
            l->dist[a->lang] += d < 0 ? -d : d;
            l->found[a->lang]++;
        }
    }
    for (i = 0; i < l->n; i++)
        l->dist[i] += (int)(nu - l->found[i]) * OUT_OF_PLACE;
}

/* Load the fingerprints conf lists into l. */
static cm_status
load(cm_lang *l, FILE *f, const char *conf, char **errmsg)
{
    char prefix[4096];
    const char *slash = strrchr(conf, '/');
    conf_line *lines = NULL;
    size_t n = 0, i, w;
    cm_status st;

    if (slash == NULL)
        prefix[0] = '\0';
    else
        snprintf(prefix, sizeof prefix, "%.*s/", (int)(slash - conf), conf);
    st = read_conf(f, prefix, &lines, &n);
    if (st == CM_OK && n == 0) {
        set_err(errmsg, "language identifier: no fingerprint listed in %s",
                conf);
        st = CM_EIO;
    }
    if (st == CM_OK && ((l->langs = calloc(n, sizeof *l->langs)) == NULL ||
                        (l->on = calloc(n, 1)) == NULL))
        st = CM_ENOMEM;
    for (i = 0; st == CM_OK && i < n; i++) {
        lang_fp *g = &l->langs[l->n];
        g->fp = fp_Init(lines[i].name);
        if (g->fp == NULL) {
            st = CM_ENOMEM;
            break;
        }
        l->n++;
        if (fp_Read(g->fp, lines[i].file, MAX_NGRAMS) == 0) {
            set_err(errmsg, "language identifier: cannot read %s (listed "
                    "in %s)", lines[i].file, conf);
            st = CM_EIO;
            break;
        }
        cm_lang_iso(lines[i].name, g->code);
        for (w = 0; w < sizeof writing / sizeof writing[0]; w++)
            if (strcmp(g->code, writing[w].code) == 0)
                g->needs = writing[w].needs;
    }
    if (st == CM_OK) {
        cm_lang_restrict(l, NULL, 0); /* every language with a code */
        l->n_coded = l->n_on;
        st = build_table(l);
    }
    if (st == CM_OK && (l->ps = malloc(sizeof *l->ps)) == NULL)
        st = CM_ENOMEM;
    if (st == CM_OK)
        memset(l->ps->slot, 0, sizeof l->ps->slot);
    if (st == CM_ENOMEM && errmsg != NULL && *errmsg == NULL)
        set_err(errmsg, "out of memory");
    free(lines);
    return st;
}

cm_status
cm_lang_new(const char *conf, cm_lang **out, char **errmsg)
{
    cm_status st;
    cm_lang *l;
    FILE *f;

    if (errmsg != NULL)
        *errmsg = NULL;
    *out = NULL;
    if (conf == NULL)
        conf = getenv("CMSEARCH_TEXTCAT_CONF");
    if (conf == NULL || *conf == '\0')
        conf = CM_TEXTCAT_CONF;
    f = fopen(conf, "r");
    if (f == NULL) {
        int e = errno;
        set_err(errmsg, "language identifier: cannot read %s: %s (install "
                "the Debian package libexttextcat-data)", conf,
                strerror(e));
        return e == ENOENT ? CM_ENOTFOUND : CM_EIO;
    }
    l = calloc(1, sizeof *l);
    if (l == NULL) {
        fclose(f);
        set_err(errmsg, "out of memory");
        return CM_ENOMEM;
    }
    st = load(l, f, conf, errmsg);
    fclose(f);
    if (st != CM_OK) {
        cm_lang_free(l);
        return st;
    }
    *out = l;
    return CM_OK;
}

void
cm_lang_free(cm_lang *l)
{
    size_t i;

    if (l == NULL)
        return;
    for (i = 0; i < l->n; i++)
        fp_Done(l->langs[i].fp);
    free(l->langs);
    free(l->on);
    free(l->gram_slot);
    free(l->gram_hash);
    free(l->gram_off);
    free(l->gram_text);
    free(l->group);
    free(l->at);
    free(l->dist);
    free(l->found);
    free(l->sub_group);
    free(l->sub_at);
    free(l->ps);
    free(l);
}

void
cm_lang_use_table(cm_lang *l, int on)
{
    l->no_table = !on;
}

void
cm_lang_restrict(cm_lang *l, const char *const *codes, size_t n_codes)
{
    size_t i, k;

    l->n_on = 0;
    l->needs_on = 0;
    for (i = 0; i < l->n; i++) {
        l->on[i] = codes == NULL && l->langs[i].code[0] != '\0';
        for (k = 0; codes != NULL && k < n_codes; k++)
            if (strcmp(codes[k], l->langs[i].code) == 0)
                l->on[i] = 1;
        l->n_on += l->on[i];
        if (l->on[i])
            l->needs_on |= l->langs[i].needs;
    }
    l->sub_stale = 1;
}

/* ---- one identifier per thread --------------------------------------- */

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static int thread_key_ok;

static void
thread_dtor(void *p)
{
    cm_lang_free(p);
}

static void
thread_init(void)
{
    thread_key_ok = pthread_key_create(&thread_key, thread_dtor) == 0;
}

cm_status
cm_lang_thread(cm_lang **out, char **errmsg)
{
    cm_lang *l;
    cm_status st;

    *out = NULL;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (pthread_once(&thread_once, thread_init) != 0 || !thread_key_ok) {
        set_err(errmsg, "language identifier: no thread key");
        return CM_EINTERNAL;
    }
    l = pthread_getspecific(thread_key);
    if (l == NULL) {
        st = cm_lang_new(NULL, &l, errmsg);
        if (st != CM_OK)
            return st;
        if (pthread_setspecific(thread_key, l) != 0) {
            cm_lang_free(l);
            set_err(errmsg, "out of memory");
            return CM_ENOMEM;
        }
    }
    *out = l;
    return CM_OK;
}

void
cm_lang_thread_release(void)
{
    cm_lang *l;

    if (pthread_once(&thread_once, thread_init) != 0 || !thread_key_ok)
        return;
    l = pthread_getspecific(thread_key);
    if (l != NULL && pthread_setspecific(thread_key, NULL) == 0)
        cm_lang_free(l);
}

/* ---- names ------------------------------------------------------------ */

/* libexttextcat names a few languages by an ISO 639-3 code that has a
 * 639-1 equivalent for the macrolanguage, which the rest of cmsearch
 * (stemmers, lang:) knows. */
static const struct {
    const char *from, *to;
} iso_alias[] = {
    {"gug", "gn"}, /* Paraguayan Guaraní */
    {"quz", "qu"}, /* Cusco Quechua */
    {"plt", "mg"}, /* Plateau Malagasy */
    {"ckb", "ku"}, /* Central Kurdish */
};

const char *
cm_lang_iso(const char *name, char out[8])
{
    size_t n = 0, i;

    while (n < 4 && name[n] >= 'a' && name[n] <= 'z')
        n++;
    out[0] = '\0';
    if (n < 2 || n > 3 || (name[n] != '-' && name[n] != '\0'))
        return out;
    memcpy(out, name, n);
    out[n] = '\0';
    for (i = 0; i < sizeof iso_alias / sizeof iso_alias[0]; i++)
        if (strcmp(out, iso_alias[i].from) == 0)
            snprintf(out, 8, "%s", iso_alias[i].to);
    return out;
}

/* ---- identifying ------------------------------------------------------- */

/* Bytes that are letters: ASCII letters and every byte of a non-ASCII
 * character (digits, punctuation and spaces tell nothing). */
static size_t
letter_bytes(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            k++;
    }
    return k;
}

typedef struct {
    int score;
    size_t lang;
} scored;

static int
by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;

    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->lang < y->lang ? -1 : x->lang > y->lang;
}

size_t
cm_lang_identify(cm_lang *l, const char *text, size_t len, cm_lang_guess *g,
                 size_t cap)
{
    return cm_lang_identify_ngrams(l, text, len, MAX_NGRAMS, g, cap);
}

size_t
cm_lang_identify_ngrams(cm_lang *l, const char *text, size_t len,
                        size_t max_ngrams, cm_lang_guess *g, size_t cap)
{
    scored best[CM_LANG_MAX_GUESSES + 1];
    char buf[CM_LANG_MAX_BYTES + 1];
    size_t nb = 0, i, k, out = 0, nu;
    int threshold = INT_MAX, score, table;
    unsigned scripts;
    void *unknown;

    if (l == NULL || text == NULL || cap == 0 || len < CM_LANG_MIN_BYTES)
        return 0;
    if (max_ngrams == 0 || max_ngrams > MAX_NGRAMS)
        max_ngrams = MAX_NGRAMS;
    if (len > CM_LANG_MAX_BYTES) {
        len = CM_LANG_MAX_BYTES;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* not in the middle of a character */
    }
    if (letter_bytes(text, len) < CM_LANG_MIN_BYTES / 2)
        return 0;
    /* fp_Create() reads its text up to a NUL, not up to len: it stops
     * when it has len bytes once runs of spaces and digits are squeezed
     * to one, so it reads on past len (past the buffer when text is not
     * NUL-terminated).  Give it exactly text[0..len). */
    memcpy(buf, text, len);
    buf[len] = '\0';
    /* Only a comparison with Japanese or Korean looks at the scripts. */
    scripts = l->needs_on != 0 ? scripts_of(buf, len) : 0;
    table = l->table_ok && !l->no_table;
    unknown = NULL;
    if (table) {
        nu = text_profile(l->ps, buf, len, max_ngrams);
        table_distances(l, l->ps, nu);
    } else {
        if ((unknown = fp_Init(NULL)) == NULL)
            return 0;
        fp_SetProperty(unknown, TCPROP_UTF8AWARE, TC_TRUE);
        if (fp_Create(unknown, buf, (uint4)len, (uint4)max_ngrams) == 0) {
            fp_Done(unknown);
            return 0;
        }
    }
    /* Keep the best CM_LANG_MAX_GUESSES + 1 within the threshold, which
     * tightens as better languages come: fp_Compare() stops early past
     * it, and gives INT_MAX when it does. */
    for (i = 0; i < l->n; i++) {
        if (!l->on[i] || (l->langs[i].needs & ~scripts) != 0)
            continue;
        if (table)
            score = l->dist[i] > threshold ? INT_MAX : l->dist[i];
        else
            score = fp_Compare(l->langs[i].fp, unknown, threshold);
        if (score >= threshold)
            continue;
        if ((double)score * THRESHOLD < (double)threshold)
            threshold = (int)((double)score * THRESHOLD);
        if (nb < CM_LANG_MAX_GUESSES + 1)
            nb++;
        else if (score >= best[nb - 1].score)
            continue;
        best[nb - 1].score = score;
        best[nb - 1].lang = i;
        qsort(best, nb, sizeof best[0], by_score);
    }
    if (unknown != NULL)
        fp_Done(unknown);
    while (nb > 0 && best[nb - 1].score >= threshold)
        nb--;
    if (nb > CM_LANG_MAX_GUESSES)
        return 0; /* too many equally close: no answer */
    for (i = 0; i < nb && out < cap; i++) {
        const char *code = l->langs[best[i].lang].code;
        for (k = 0; k < out; k++)
            if (strcmp(g[k].code, code) == 0)
                break; /* zh-CN and zh-TW are both zh */
        if (k < out)
            continue;
        snprintf(g[out].code, sizeof g[out].code, "%s", code);
        g[out].score = best[i].score;
        out++;
    }
    return out;
}
