/* cm_acronym.c: acronym definitions in running text (see cm_acronym.h). */
#include "config.h"

#include <string.h>

#include "cm_acronym.h"

#define MAX_INITIALS 12
#define MAX_WORDS 32
#define MAX_PARTS 4
#define MAX_INNER 200 /* bytes of an expansion inside parentheses */

/* A word of the expansion: the initials of its hyphenated parts. */
typedef struct word {
    size_t start, end;
    char init[MAX_PARTS]; /* lower-case ASCII initials; 0 for none */
    size_t n_parts;
    int small; /* may be skipped */
} word;

static const char *const small_words[] = {
    "of",  "for", "the", "on",   "and", "in",  "to",  "a",   "an",
    "de",  "la",  "le",  "les",  "du",  "des", "et",  "pour", "sur",
    "en",  "au",  "aux", "und",  "der", "die", "das", "des", "fur",
    "für", "von", "zur", "zum",  "del", "della", "dei", "di", "e",
    "per", "y",   "el",  "los",  "las", "da",  "do",  "dos", "das",
};

static int
is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
static int
is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

/* The ASCII letter a word starting at s[0..n) begins with, lower case,
 * with Latin-1 accents dropped; 0 when it begins with something else. */
static char
initial(const char *s, size_t n)
{
    static const char latin1[] = /* U+00C0..U+00FF, by base letter */
        "aaaaaaaceeeeiiiidnooooo\0ouuuuyt\0aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    unsigned char c0 = (unsigned char)s[0];
    if (is_upper(s[0]))
        return (char)(s[0] - 'A' + 'a');
    if (is_lower(s[0]))
        return s[0];
    if (n >= 2 && c0 == 0xC3) {
        unsigned char c1 = (unsigned char)s[1];
        if (c1 >= 0x80 && c1 <= 0xBF)
            return latin1[c1 - 0x80];
    }
    return 0;
}

static int
is_small(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < sizeof small_words / sizeof small_words[0]; i++) {
        size_t k, m = strlen(small_words[i]);
        if (m != n)
            continue;
        for (k = 0; k < n; k++)
            if ((is_upper(s[k]) ? s[k] - 'A' + 'a' : s[k]) !=
                small_words[i][k])
                break;
        if (k == n)
            return 1;
    }
    return 0;
}

/* The initials of acr[0..n) (its capitals, lower case) in out; 0 when it
 * is not an acronym. */
static size_t
acronym_initials(const char *acr, size_t n, char *out)
{
    size_t i, k = 0, lower = 0;
    if (n < 2 || n > 2 * MAX_INITIALS || !is_upper(acr[0]))
        return 0;
    for (i = 0; i < n; i++) {
        if (is_upper(acr[i])) {
            if (k == MAX_INITIALS)
                return 0;
            out[k++] = (char)(acr[i] - 'A' + 'a');
        } else if (is_lower(acr[i])) {
            lower++;
        } else {
            return 0;
        }
    }
    return k >= 2 && lower <= k ? k : 0;
}

static int
is_word_byte(char c)
{
    return (unsigned char)c >= 0x80 || is_upper(c) || is_lower(c) ||
           (c >= '0' && c <= '9') || c == '-' || c == '\'';
}

/* Fill w from the word text[s..e): hyphenated parts, elision. */
static void
make_word(const char *text, size_t s, size_t e, word *w)
{
    size_t i, part;
    w->start = s;
    w->end = e;
    w->n_parts = 0;
    /* l'Europe, d'alerte: the initial is the word's after the article. */
    for (i = s + 1; i < e && i < s + 4; i++) {
        if (text[i] == '\'') {
            s = i + 1;
            break;
        }
        if (i + 2 < e && memcmp(text + i, "\xE2\x80\x99", 3) == 0) {
            s = i + 3; /* U+2019 */
            break;
        }
    }
    w->start = s; /* the expansion starts after an elided article */
    w->small = is_small(text + s, e - s);
    for (part = s; part < e && w->n_parts < MAX_PARTS;) {
        w->init[w->n_parts++] = initial(text + part, e - part);
        while (part < e && text[part] != '-')
            part++;
        while (part < e && text[part] == '-')
            part++;
    }
}

/* Memoised match of words[wi..nw) against initials[k..n). */
static int
match(const word *w, size_t wi, size_t nw, const char *ini, size_t k,
      size_t n, unsigned char fail[MAX_WORDS + 1][MAX_INITIALS + 1])
{
    size_t p;
    if (wi == nw)
        return k == n;
    if (fail[wi][k])
        return 0;
    if (w[wi].small && match(w, wi + 1, nw, ini, k, n, fail))
        return 1;
    if (k < n && w[wi].init[0] == ini[k] &&
        match(w, wi + 1, nw, ini, k + 1, n, fail))
        return 1;
    if (w[wi].n_parts > 1 && k + w[wi].n_parts <= n) {
        for (p = 0; p < w[wi].n_parts && w[wi].init[p] == ini[k + p]; p++)
            ;
        if (p == w[wi].n_parts &&
            match(w, wi + 1, nw, ini, k + p, n, fail))
            return 1;
    }
    fail[wi][k] = 1;
    return 0;
}

/* Whether words[s..nw) spell ini[0..n), the first one not skipped. */
static int
spells(const word *w, size_t s, size_t nw, const char *ini, size_t n)
{
    unsigned char fail[MAX_WORDS + 1][MAX_INITIALS + 1];
    if (w[s].init[0] != ini[0])
        return 0;
    memset(fail, 0, sizeof fail);
    return match(w, s, nw, ini, 0, n, fail);
}

/* The words of text[from..to), at most MAX_WORDS; 0 when something other
 * than words and spaces is in between (a comma, a period). */
static size_t
split_words(const char *text, size_t from, size_t to, word *w)
{
    size_t i = from, n = 0;
    while (i < to) {
        size_t s;
        if (text[i] == ' ' || text[i] == '\n' || text[i] == '\t') {
            i++;
            continue;
        }
        if (!is_word_byte(text[i]) || n == MAX_WORDS)
            return 0;
        s = i;
        while (i < to && is_word_byte(text[i]))
            i++;
        make_word(text, s, i, &w[n++]);
    }
    return n;
}

/* "Expansion (ACR)": the closest start of the words before open that
 * spell the acronym. */
static int
before_paren(const char *text, size_t open, const char *ini, size_t n,
             size_t *es, size_t *ee)
{
    word w[MAX_WORDS];
    size_t from = open, nw, s, words = 0;

    /* Back to the previous punctuation, at most 2n + 4 words. */
    while (from > 0 && words <= 2 * n + 4) {
        char c = text[from - 1];
        if (c == ' ' || c == '\n' || c == '\t') {
            from--;
            continue;
        }
        if (!is_word_byte(c))
            break;
        while (from > 0 && is_word_byte(text[from - 1]))
            from--;
        words++;
    }
    if (words > 2 * n + 4 || words > MAX_WORDS) {
        /* Skip the word cut in half: start after the next space. */
        while (from < open && text[from] != ' ')
            from++;
    }
    nw = split_words(text, from, open, w);
    for (s = nw; s-- > 0;) {
        if (nw - s < (n + MAX_PARTS - 1) / MAX_PARTS)
            continue;
        if (spells(w, s, nw, ini, n)) {
            *es = w[s].start;
            *ee = w[nw - 1].end;
            return 1;
        }
    }
    return 0;
}

/* "ACR (Expansion)": every word inside the parentheses spells it. */
static int
inside_paren(const char *text, size_t in_s, size_t in_e, const char *ini,
             size_t n)
{
    word w[MAX_WORDS];
    size_t nw = split_words(text, in_s, in_e, w);
    return nw > 0 && spells(w, 0, nw, ini, n);
}

cm_status
cm_acronym_scan(const char *text, size_t len, cm_acronym_fn fn, void *ctx)
{
    size_t i;
    char ini[MAX_INITIALS];

    if (text == NULL || fn == NULL)
        return CM_EINVAL;
    for (i = 0; i < len; i++) {
        const char *close;
        size_t in_s, in_e, n, es, ee, a;

        if (text[i] != '(')
            continue;
        in_s = i + 1;
        close = memchr(text + in_s, ')',
                       len - in_s < MAX_INNER ? len - in_s : MAX_INNER);
        if (close == NULL)
            continue;
        in_e = (size_t)(close - text);
        /* Expansion (ACR) */
        n = acronym_initials(text + in_s, in_e - in_s, ini);
        if (n > 0 && before_paren(text, i, ini, n, &es, &ee)) {
            if (fn(ctx, text + in_s, in_e - in_s, text + es, ee - es))
                return CM_OK;
            continue;
        }
        /* ACR (Expansion) */
        a = i;
        while (a > 0 && text[a - 1] == ' ')
            a--;
        ee = a;
        while (a > 0 && (is_upper(text[a - 1]) || is_lower(text[a - 1])))
            a--;
        if (a > 0 && is_word_byte(text[a - 1]))
            continue;
        n = acronym_initials(text + a, ee - a, ini);
        if (n > 0 && inside_paren(text, in_s, in_e, ini, n) &&
            fn(ctx, text + a, ee - a, text + in_s, in_e - in_s))
            return CM_OK;
    }
    return CM_OK;
}
