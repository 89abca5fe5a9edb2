/* cm_ref.c: finding citations of Council of Europe texts, and their keys.
 *
 * The scanner looks at each word start for, in order:
 *   CM texts      "CM/Rec(2007)9", "CM/Rec (2007) 9", "CM/Res(2008)2",
 *                 the older "Rec(2000)26", "Res(2008)2", and "No. R (99)
 *                 15" (the R series, 19YY)             cm-rec-2007-9
 *   treaties      "ETS No. 174", "CETS n° 197", "STE n° 174", "STCE
 *                 no. 210", "SEV Nr. 5"                ets-174
 *   PACE texts    a type word in one of the corpus's languages, an
 *                 optional "No."/"n°", the number, the year in brackets:
 *                 "Recommendation 1806 (2007)", "Recommandation 1806
 *                 (2007)", "Empfehlung 2052 (2014)", "Рекомендации 2052
 *                 (2014)"                              pace-rec-1806-2007
 *                 (pace-res-N-Y for resolutions, pace-op-N-Y for
 *                 opinions); the year is required, so "Resolution 1740"
 *                 alone is not a reference, except to
 *                 cm_ref_scan_yearless(), which gives it as the prefix
 *                 pace-res-1740- for its caller to resolve
 *   documents     "Doc. 13050", "Doc 13050", "Document 13050" (4 to 6
 *                 digits)                              pace-doc-13050
 * and, around each " v. " or " c. ", a Court judgment: up to three
 * capitalised words before it (after dropping "and Others"/"et autres"
 * and a leading "See", "Case", "Affaire", ...), optionally "the"/"la"
 * after it, and up to three capitalised words: "Oršuš and Others v.
 * Croatia" -> echr-orsus-v-croatia.  Names are folded to ASCII lower
 * case; a name with letters that do not fold (Cyrillic) is not taken.
 * This is deliberately conservative: a sentence that merely contains
 * " v. " between capitalised words is rare in these texts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cm_ref.h"
#include "cm_util.h"

/* ---- UTF-8 and case (cm_utf8_decode, cm_fold_letter: cm_util.h) ------ */

static int
is_letter(unsigned long c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x52F) ||
           (c >= 0x10A0 && c <= 0x10FF);
}

static int
is_upper(unsigned long c)
{
    if (c >= 0x100 && c <= 0x17F) /* Latin Extended-A: pairs, upper even */
        return c != 0x138 && c != 0x149 &&
               ((c <= 0x137 || c >= 0x179) ? c % 2 == 0 : c % 2 == 1);
    return is_letter(c) && cm_fold_letter(c) != c;
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A space: ASCII, no-break (U+00A0), thin and narrow no-break (U+2009,
 * U+202F).  Its length, or 0. */
static size_t
space_at(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n'))
        return 1;
    if (n >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)
        return 2;
    if (n >= 3 && (memcmp(s, "\xe2\x80\xaf", 3) == 0 ||
                   memcmp(s, "\xe2\x80\x89", 3) == 0))
        return 3;
    return 0;
}

static size_t
skip_spaces(const char *s, size_t n, size_t i)
{
    size_t k;

    while (i < n && (k = space_at(s + i, n - i)) > 0)
        i += k;
    return i;
}

/* Whether a word may start at s[i]: the character before it is not a
 * letter or digit. */
static int
word_start(const char *s, size_t i)
{
    size_t j = i, len;
    unsigned long c;

    if (i == 0)
        return 1;
    while (j > 0 && i - j < 4 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
        j--;
    if (j > 0)
        j--;
    c = cm_utf8_decode(s + j, i - j, &len);
    return !is_letter(c) && !is_digit((char)c);
}

/* Digits at s[i..n): how many (up to max + 1, so that too long shows),
 * their value in *v. */
static size_t
digits(const char *s, size_t n, size_t i, size_t max, unsigned long *v)
{
    size_t k = 0;

    *v = 0;
    while (i + k < n && is_digit(s[i + k]) && k <= max) {
        *v = *v * 10 + (unsigned long)(s[i + k] - '0');
        k++;
    }
    return k;
}

/* A number marker: "No.", "No", "no.", "n°", "nº", "N°", "Nr.", "n.",
 * "№", followed by a number (or "R" of the R series); returns where the
 * number starts, or i when there is no marker. */
static size_t
number_mark(const char *s, size_t n, size_t i)
{
    static const char *const marks[] = {"no.", "nr.", "n\xc2\xb0",
                                        "n\xc2\xba", "n.", "no", "nr",
                                        "\xe2\x84\x96"};
    size_t k, m, j;

    for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        m = cm_utf8_match_ci(s, n, i, marks[k]);
        if (m == 0)
            continue;
        j = skip_spaces(s, n, i + m);
        if (j == i + m && (s[j - 1] == 'o' || s[j - 1] == 'r' ||
                           s[j - 1] == 'O' || s[j - 1] == 'R'))
            continue; /* "No5", "nobody": not a marker */
        if (j < n && (is_digit(s[j]) || s[j] == 'R'))
            return j;
    }
    return i;
}

/* ---- the matchers ------------------------------------------------------ */

typedef struct {
    size_t end;
    char key[CM_REF_KEY_MAX];
} found;

/* "(2007)9", " (2007) 9" after "Rec"/"Res": year and number. */
static size_t
cm_tail(const char *s, size_t n, size_t i, unsigned long *year,
        unsigned long *num)
{
    size_t k;

    i = skip_spaces(s, n, i);
    if (i >= n || s[i] != '(')
        return 0;
    k = digits(s, n, i + 1, 4, year);
    if (k != 4 || i + 5 >= n || s[i + 5] != ')')
        return 0;
    i = skip_spaces(s, n, i + 6);
    k = digits(s, n, i, 3, num);
    if (k == 0 || k > 3 || *num == 0)
        return 0;
    return i + k;
}

static int
match_cm(const char *s, size_t n, size_t i, found *f)
{
    unsigned long y, num;
    size_t j = i, e;
    const char *kind;

    if (n - i >= 3 && memcmp(s + i, "CM/", 3) == 0)
        j += 3;
    if (n - j < 3)
        return 0;
    if (memcmp(s + j, "Rec", 3) == 0)
        kind = "rec";
    else if (memcmp(s + j, "Res", 3) == 0)
        kind = "res";
    else
        return 0;
    e = cm_tail(s, n, j + 3, &y, &num);
    if (e == 0 || y < 1949 || y > 2199)
        return 0;
    f->end = e;
    snprintf(f->key, sizeof f->key, "cm-%s-%lu-%lu", kind, y, num);
    return 1;
}

/* "R (99) 15" after a number marker: the Committee of Ministers'
 * recommendations before 2000. */
static int
match_r_series(const char *s, size_t n, size_t i, found *f)
{
    unsigned long y, num;
    size_t j, k;

    if (i >= n || s[i] != 'R')
        return 0;
    j = skip_spaces(s, n, i + 1);
    if (j >= n || s[j] != '(')
        return 0;
    k = digits(s, n, j + 1, 2, &y);
    if (k != 2 || j + 3 >= n || s[j + 3] != ')')
        return 0;
    j = skip_spaces(s, n, j + 4);
    k = digits(s, n, j, 3, &num);
    if (k == 0 || k > 3)
        return 0;
    f->end = j + k;
    snprintf(f->key, sizeof f->key, "cm-rec-19%02lu-%lu", y, num);
    return 1;
}

static int
match_treaty(const char *s, size_t n, size_t i, found *f)
{
    static const char *const series[] = {"CETS", "ETS", "STCE", "STE",
                                         "SEV",  "SKEV"};
    unsigned long num;
    size_t k, m, j;

    for (k = 0; k < sizeof series / sizeof series[0]; k++) {
        m = strlen(series[k]);
        if (n - i < m || memcmp(s + i, series[k], m) != 0)
            continue;
        if (space_at(s + i + m, n - i - m) == 0)
            return 0;
        j = skip_spaces(s, n, i + m);
        j = number_mark(s, n, j);
        m = digits(s, n, j, 3, &num);
        if (m == 0 || m > 3 || num == 0 ||
            (j + m < n && (is_digit(s[j + m]))))
            return 0;
        f->end = j + m;
        snprintf(f->key, sizeof f->key, "ets-%lu", num);
        return 1;
    }
    return 0;
}

/* Type words (lower case, stems where the word declines) of PACE texts. */
static const struct {
    const char *word;
    const char *kind;
} pace_words[] = {
    {"recommendation", "rec"}, {"recommandation", "rec"},
    {"empfehlung", "rec"},     {"raccomandazione", "rec"},
    {"recomendación", "rec"},  {"recomendacion", "rec"},
    {"recomendação", "rec"},   {"aanbeveling", "rec"},
    {"рекомендаци", "rec"},    {"σύσταση", "rec"},
    {"σύστασ", "rec"},         {"რეკომენდაცი", "rec"},
    {"resolution", "res"},     {"résolution", "res"},
    {"entschließung", "res"},  {"entschliessung", "res"},
    {"risoluzione", "res"},    {"resolución", "res"},
    {"resolucion", "res"},     {"resolução", "res"},
    {"resolutie", "res"},      {"резолюци", "res"},
    {"ψήφισμα", "res"},        {"ψηφίσματ", "res"},
    {"რეზოლუცი", "res"},       {"opinion", "op"},
    {"avis", "op"},            {"stellungnahme", "op"},
    {"parere", "op"},          {"dictamen", "op"},
    {"advies", "op"},          {"заключени", "op"},
    {"γνώμη", "op"},
};

/* Letters that may follow a stem: declension endings, a plural. */
static size_t
word_rest(const char *s, size_t n, size_t i)
{
    size_t j = i, len, k = 0;

    while (j < n && k < 6 && is_letter(cm_utf8_decode(s + j, n - j, &len))) {
        j += len;
        k++;
    }
    return j;
}

/* A PACE text at i: its type word, number and year.  With no_year (a
 * query's value, or a scan for cm_ref_scan_yearless()), the year may be
 * missing, the number then ending at the end of the text or before a
 * character that is neither a digit nor a letter: f->key is then the
 * prefix of the keys of every year, "pace-rec-1806-". */
static int
pace_text(const char *s, size_t n, size_t i, int no_year, found *f)
{
    unsigned long num, y;
    size_t k, m, j, d;

    for (k = 0; k < sizeof pace_words / sizeof pace_words[0]; k++) {
        m = cm_utf8_match_ci(s, n, i, pace_words[k].word);
        if (m > 0)
            break;
    }
    if (k == sizeof pace_words / sizeof pace_words[0])
        return 0;
    j = word_rest(s, n, i + m);
    if (space_at(s + j, n - j) == 0)
        return 0;
    j = number_mark(s, n, skip_spaces(s, n, j));
    d = digits(s, n, j, 5, &num);
    if (d == 0 || d > 5 || num == 0)
        return 0;
    m = j + d; /* after the number */
    j = skip_spaces(s, n, m);
    if (j + 6 > n || s[j] != '(' || digits(s, n, j + 1, 4, &y) != 4 ||
        s[j + 5] != ')' || y < 1949 || y > 2199) {
        if (!no_year || (m < n && (is_digit(s[m]) ||
                                   is_letter(cm_utf8_decode(s + m, n - m,
                                                            &d)))))
            return 0;
        f->end = m;
        snprintf(f->key, sizeof f->key, "pace-%s-%lu-", pace_words[k].kind,
                 num);
        return 1;
    }
    f->end = j + 6;
    snprintf(f->key, sizeof f->key, "pace-%s-%lu-%lu", pace_words[k].kind,
             num, y);
    return 1;
}

static int
match_doc(const char *s, size_t n, size_t i, found *f)
{
    static const char *const words[] = {"doc.", "document", "doc"};
    unsigned long num;
    size_t k, m, j, d;

    for (k = 0; k < sizeof words / sizeof words[0]; k++) {
        m = cm_utf8_match_ci(s, n, i, words[k]);
        if (m == 0)
            continue;
        if (space_at(s + i + m, n - i - m) == 0)
            continue;
        j = skip_spaces(s, n, i + m);
        j = number_mark(s, n, j);
        d = digits(s, n, j, 6, &num);
        if (d < 4 || d > 6)
            return 0;
        f->end = j + d;
        snprintf(f->key, sizeof f->key, "pace-doc-%lu", num);
        return 1;
    }
    return 0;
}

/* ---- Court judgments ---------------------------------------------------- */

/* ASCII for a Latin letter with diacritics (lower case), or NULL. */
static const char *
ascii_of(unsigned long c)
{
    static const char latin1[] = /* U+00C0..U+00FF, lower-cased */
        "aaaaaaaceeeeiiii" "dnooooo ouuuuyts"
        "aaaaaaaceeeeiiii" "dnooooo ouuuuyty";
    static char one[2];
    static const struct {
        unsigned long cp;
        const char *s;
    } ext[] = {
        {0x106, "c"}, {0x107, "c"}, {0x10C, "c"}, {0x10D, "c"},
        {0x110, "d"}, {0x111, "d"}, {0x10E, "d"}, {0x10F, "d"},
        {0x11A, "e"}, {0x11B, "e"}, {0x118, "e"}, {0x119, "e"},
        {0x11E, "g"}, {0x11F, "g"}, {0x130, "i"}, {0x131, "i"},
        {0x141, "l"}, {0x142, "l"}, {0x143, "n"}, {0x144, "n"},
        {0x147, "n"}, {0x148, "n"}, {0x150, "o"}, {0x151, "o"},
        {0x158, "r"}, {0x159, "r"}, {0x15A, "s"}, {0x15B, "s"},
        {0x15E, "s"}, {0x15F, "s"}, {0x160, "s"}, {0x161, "s"},
        {0x162, "t"}, {0x163, "t"}, {0x164, "t"}, {0x165, "t"},
        {0x16E, "u"}, {0x16F, "u"}, {0x170, "u"}, {0x171, "u"},
        {0x179, "z"}, {0x17A, "z"}, {0x17B, "z"}, {0x17C, "z"},
        {0x17D, "z"}, {0x17E, "z"}, {0x100, "a"}, {0x101, "a"},
        {0x104, "a"}, {0x105, "a"}, {0x112, "e"}, {0x113, "e"},
        {0x12A, "i"}, {0x12B, "i"}, {0x14C, "o"}, {0x14D, "o"},
        {0x16A, "u"}, {0x16B, "u"}, {0x152, "oe"}, {0x153, "oe"},
    };
    size_t k;

    if (c >= 0xC0 && c <= 0xFF && latin1[c - 0xC0] != ' ') {
        if (c == 0xDF)
            return "ss";
        if (c == 0xC6 || c == 0xE6)
            return "ae";
        one[0] = latin1[c - 0xC0];
        one[1] = '\0';
        return one;
    }
    for (k = 0; k < sizeof ext / sizeof ext[0]; k++)
        if (ext[k].cp == c)
            return ext[k].s;
    return NULL;
}

/* Append the word s[a..b) folded to ASCII lower case to key; 0 when a
 * letter does not fold or the key is full. */
static int
fold_word(char *key, size_t *kn, const char *s, size_t a, size_t b)
{
    size_t len;

    if (*kn > 0) {
        if (*kn + 1 >= CM_REF_KEY_MAX)
            return 0;
        key[(*kn)++] = '-';
    }
    while (a < b) {
        unsigned long c = cm_utf8_decode(s + a, b - a, &len);
        const char *t;
        char one[2];
        if (c < 0x80) {
            one[0] = (char)cm_fold_letter(c);
            one[1] = '\0';
            if (c == '\'' || c == '-')
                one[0] = c == '-' ? '-' : '\0';
            t = one;
        } else if (c == 0x2019)
            t = "";
        else if ((t = ascii_of(c)) == NULL)
            return 0;
        if (*kn + strlen(t) + 1 >= CM_REF_KEY_MAX)
            return 0;
        memcpy(key + *kn, t, strlen(t));
        *kn += strlen(t);
        a += len;
    }
    key[*kn] = '\0';
    return 1;
}

/* A name word: letters, inner hyphens and apostrophes, starting with a
 * capital.  Its end, or 0. */
static size_t
name_word(const char *s, size_t n, size_t i)
{
    size_t j = i, len;
    unsigned long c = cm_utf8_decode(s + i, n - i, &len);

    if (!is_upper(c))
        return 0;
    j += len;
    while (j < n) {
        c = cm_utf8_decode(s + j, n - j, &len);
        if (is_letter(c))
            j += len;
        else if ((c == '-' || c == '\'' || c == 0x2019) && j + len < n &&
                 is_letter(cm_utf8_decode(s + j + len, n - j - len, &len)))
            j += c == 0x2019 ? 3 : 1;
        else
            break;
    }
    return j;
}

/* The start of the word that ends at s[e] (e is just past it), or e. */
static size_t
word_back(const char *s, size_t e)
{
    size_t i = e, len;

    while (i > 0) {
        size_t j = i - 1;
        while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80 && i - j < 4)
            j--;
        unsigned long c = cm_utf8_decode(s + j, i - j, &len);
        if (is_letter(c) || c == '-' || c == '\'' || c == 0x2019)
            i = j;
        else
            break;
    }
    while (i < e && (s[i] == '-' || s[i] == '\''))
        i++;
    return i;
}

static int
is_one_of(const char *s, size_t a, size_t b, const char *const *words)
{
    size_t k;

    for (k = 0; words[k] != NULL; k++)
        if (strlen(words[k]) == b - a && memcmp(s + a, words[k], b - a) == 0)
            return 1;
    return 0;
}

/* The judgment around " v. " / " c. " at s[i] (the space before it). */
static int
match_court(const char *s, size_t n, size_t i, size_t *start, found *f)
{
    static const char *const lead[] = {
        "See", "Cf", "Case", "Cases", "The", "In", "Also", "Judgment",
        "Affaire", "Arr\xc3\xaat", "Voir", "Dans", "Le", "La", "Les",
        "Decision", "D\xc3\xa9" "cision", "Application", NULL};
    static const char *const others[] = {"Others", "others", "autres",
                                         "Autres", NULL};
    static const char *const article[] = {"the", "la", "le", NULL};
    size_t ws[3], we[3], nw = 0, e = i, a, b, k, kn = 0, j, right = 0;
    char key[CM_REF_KEY_MAX];

    /* Left: up to three capitalised words, "and Others" dropped. */
    a = word_back(s, e);
    if (a < e && is_one_of(s, a, e, others) && a >= 1 && s[a - 1] == ' ') {
        b = word_back(s, a - 1);
        if (b < a - 1 && (is_one_of(s, b, a - 1, (const char *const[]){
                                        "and", "et", NULL})))
            e = b > 0 && s[b - 1] == ' ' ? b - 1 : b;
        else
            return 0;
    }
    while (nw < 3) {
        a = word_back(s, e);
        if (a == e || name_word(s, n, a) != e)
            break;
        ws[nw] = a;
        we[nw] = e;
        nw++;
        if (a == 0 || s[a - 1] != ' ')
            break;
        e = a - 1;
    }
    while (nw > 0 && is_one_of(s, ws[nw - 1], we[nw - 1], lead))
        nw--;
    if (nw == 0)
        return 0;
    /* Right: "v. " or "c. ", an optional article, capitalised words. */
    j = i + 4;
    for (k = 0; article[k] != NULL; k++) {
        size_t m = strlen(article[k]);
        if (n - j > m && memcmp(s + j, article[k], m) == 0 && s[j + m] == ' ')
            j += m + 1;
    }
    key[0] = '\0';
    kn = 0;
    if (!fold_word(key, &kn, "echr", 0, 4))
        return 0;
    for (k = nw; k-- > 0;)
        if (!fold_word(key, &kn, s, ws[k], we[k]))
            return 0;
    if (!fold_word(key, &kn, "v", 0, 1))
        return 0;
    for (k = 0; k < 3; k++) {
        b = name_word(s, n, j);
        if (b == 0)
            break;
        if (!fold_word(key, &kn, s, j, b))
            return 0;
        right = b;
        if (b + 1 < n && s[b] == ' ')
            j = b + 1;
        else
            break;
    }
    if (right == 0)
        return 0;
    *start = ws[nw - 1];
    f->end = right;
    memcpy(f->key, key, kn + 1);
    return 1;
}

/* ---- the scan ----------------------------------------------------------- */

/* Whether a reference may start with byte c: the first letters of the
 * words above, in either case, and any non-ASCII lead byte (Cyrillic,
 * Greek, Georgian words).  Most words are passed over at this test. */
static int
may_start(char c)
{
    switch ((unsigned char)c) {
    case 'a': case 'c': case 'd': case 'e': case 'o': case 'p': case 'r':
    case 's': case 'n': case 'A': case 'C': case 'D': case 'E': case 'O':
    case 'P': case 'R': case 'S': case 'N':
        return 1;
    default:
        return (unsigned char)c >= 0xC0;
    }
}

static cm_status
scan(const char *text, size_t len, int yearless, cm_ref_fn fn, void *ctx)
{
    size_t i = 0, last_end = 0, start, r;
    cm_ref_match m;
    found f;

    if (fn == NULL || (text == NULL && len > 0))
        return CM_EINVAL;
    while (i < len) {
        int hit = 0;
        start = i;
        if (i + 4 <= len && text[i] == ' ' &&
            (text[i + 1] == 'v' || text[i + 1] == 'c') &&
            text[i + 2] == '.' && text[i + 3] == ' ' &&
            match_court(text, len, i, &start, &f) && start >= last_end)
            hit = 1;
        else if (may_start(text[i]) && word_start(text, i)) {
            r = number_mark(text, len, i); /* "No. R (99) 15" */
            hit = (r != i && match_r_series(text, len, r, &f)) ||
                  match_cm(text, len, i, &f) ||
                  match_treaty(text, len, i, &f) ||
                  pace_text(text, len, i, yearless, &f) ||
                  match_doc(text, len, i, &f);
        }
        if (hit) {
            m.start = start;
            m.end = f.end;
            memcpy(m.key, f.key, sizeof m.key);
            if (fn(ctx, &m) != 0)
                return CM_OK;
            last_end = f.end;
            i = f.end;
            continue;
        }
        i++;
    }
    return CM_OK;
}

cm_status
cm_ref_scan(const char *text, size_t len, cm_ref_fn fn, void *ctx)
{
    return scan(text, len, 0, fn, ctx);
}

cm_status
cm_ref_scan_yearless(const char *text, size_t len, cm_ref_fn fn, void *ctx)
{
    return scan(text, len, 1, fn, ctx);
}

/* ---- one reference ------------------------------------------------------ */

typedef struct {
    size_t n;
    size_t start, end;
    char key[CM_REF_KEY_MAX];
} one;

static int
take_one(void *ctx, const cm_ref_match *m)
{
    one *o = ctx;

    if (o->n++ == 0) {
        o->start = m->start;
        o->end = m->end;
        memcpy(o->key, m->key, sizeof o->key);
    }
    return o->n > 1;
}

/* Whether text is already a key: [a-z0-9-] with a known prefix. */
static int
is_key(const char *s, size_t n)
{
    static const char *const prefixes[] = {"pace-", "cm-", "ets-", "echr-"};
    size_t k;

    if (n == 0 || n >= CM_REF_KEY_MAX)
        return 0;
    for (k = 0; k < n; k++)
        if (!((s[k] >= 'a' && s[k] <= 'z') || is_digit(s[k]) || s[k] == '-'))
            return 0;
    for (k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
        if (n > strlen(prefixes[k]) &&
            memcmp(s, prefixes[k], strlen(prefixes[k])) == 0)
            return 1;
    return 0;
}

cm_status
cm_ref_canonical(const char *text, size_t len, char *key, size_t key_cap)
{
    one o;
    cm_status st;
    size_t a = 0, b = len, k;
    char buf[512];

    if (key == NULL || key_cap == 0 || (text == NULL && len > 0))
        return CM_EINVAL;
    key[0] = '\0';
    while (a < b && (text[a] == ' ' || text[a] == '"'))
        a++;
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '"' ||
                     text[b - 1] == '.' || text[b - 1] == ','))
        b--;
    if (is_key(text + a, b - a)) {
        if (b - a >= key_cap)
            return CM_EINVAL;
        memcpy(key, text + a, b - a);
        key[b - a] = '\0';
        return CM_OK;
    }
    if (b - a >= sizeof buf)
        return CM_ENOTFOUND;
    memcpy(buf, text + a, b - a);
    k = b - a;
    memset(&o, 0, sizeof o);
    st = cm_ref_scan(buf, k, take_one, &o);
    if (st != CM_OK)
        return st;
    if (o.n != 1 || o.start != 0 || o.end != k)
        return CM_ENOTFOUND;
    if (strlen(o.key) >= key_cap)
        return CM_EINVAL;
    memcpy(key, o.key, strlen(o.key) + 1);
    return CM_OK;
}

/* A key "pace-rec-1806" (a PACE text's key without its year): 1. */
static int
yearless_key(const char *s, size_t n)
{
    static const char *const kinds[] = {"pace-rec-", "pace-res-",
                                        "pace-op-"};
    size_t k, l, d;

    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        l = strlen(kinds[k]);
        if (n > l && memcmp(s, kinds[k], l) == 0) {
            for (d = l; d < n && is_digit(s[d]); d++)
                ;
            return d == n && n - l <= 5;
        }
    }
    return 0;
}

cm_status
cm_ref_query_key(const char *text, size_t len, char *key, size_t key_cap,
                 int *prefix)
{
    cm_status st;
    found f;
    size_t a = 0, b = len, kn;

    if (prefix == NULL)
        return CM_EINVAL;
    *prefix = 0;
    st = cm_ref_canonical(text, len, key, key_cap);
    if (st == CM_ENOTFOUND && len < CM_REF_KEY_MAX) {
        /* A key typed in capitals: "ETS-5", "PACE-REC-1806". */
        char low[CM_REF_KEY_MAX];
        size_t k;
        for (k = 0; k < len; k++)
            low[k] = text[k] >= 'A' && text[k] <= 'Z' ? (char)(text[k] + 32)
                                                     : text[k];
        st = cm_ref_canonical(low, len, key, key_cap);
    }
    if (st == CM_OK && yearless_key(key, strlen(key))) {
        kn = strlen(key);
        if (kn + 2 > key_cap)
            return CM_EINVAL;
        key[kn] = '-';
        key[kn + 1] = '\0';
        *prefix = 1;
    }
    if (st != CM_ENOTFOUND)
        return st;
    /* The same trimming as cm_ref_canonical()'s. */
    while (a < b && (text[a] == ' ' || text[a] == '"'))
        a++;
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '"' ||
                     text[b - 1] == '.' || text[b - 1] == ','))
        b--;
    memset(&f, 0, sizeof f);
    if (b == a || !pace_text(text + a, b - a, 0, 1, &f) || f.end != b - a ||
        f.key[strlen(f.key) - 1] != '-')
        return CM_ENOTFOUND;
    if (strlen(f.key) >= key_cap)
        return CM_EINVAL;
    memcpy(key, f.key, strlen(f.key) + 1);
    *prefix = 1;
    return CM_OK;
}
