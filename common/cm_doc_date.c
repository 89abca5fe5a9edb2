/* cm_doc_date.c: dates as printed, in the languages of the corpus, to ISO.
 *
 * Forms (cm_doc.h, cm_doc_find_date()): day month year with a day suffix
 * ("4th", "1er", "24ste", "14.") and the English "day of"; the Spanish
 * and Portuguese "de"; month day, year; the Georgian "YYYY წლის D month";
 * day.roman.year; day/month/year and day.month.year (European order);
 * ISO.  A year is four digits from 1800 to 2199; a date that does not
 * exist is not a date.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cm_doc_int.h"

/* Month names, lower case, nominative and genitive where they differ.
 * stem: other letters may follow (Georgian declines the month). */
static const struct {
    const char *name;
    int month;
    int stem;
} months[] = {
    /* English */
    {"january", 1, 0}, {"february", 2, 0}, {"march", 3, 0},
    {"april", 4, 0}, {"may", 5, 0}, {"june", 6, 0}, {"july", 7, 0},
    {"august", 8, 0}, {"september", 9, 0}, {"october", 10, 0},
    {"november", 11, 0}, {"december", 12, 0},
    /* French */
    {"janvier", 1, 0}, {"f\xc3\xa9vrier", 2, 0}, {"fevrier", 2, 0},
    {"mars", 3, 0}, {"avril", 4, 0}, {"mai", 5, 0}, {"juin", 6, 0},
    {"juillet", 7, 0}, {"ao\xc3\xbbt", 8, 0}, {"aout", 8, 0},
    {"septembre", 9, 0}, {"octobre", 10, 0}, {"novembre", 11, 0},
    {"d\xc3\xa9" "cembre", 12, 0}, {"decembre", 12, 0},
    /* German */
    {"januar", 1, 0}, {"j\xc3\xa4nner", 1, 0}, {"februar", 2, 0},
    {"m\xc3\xa4rz", 3, 0}, {"maerz", 3, 0}, {"juni", 6, 0},
    {"juli", 7, 0}, {"oktober", 10, 0}, {"dezember", 12, 0},
    /* Italian */
    {"gennaio", 1, 0}, {"febbraio", 2, 0}, {"marzo", 3, 0},
    {"aprile", 4, 0}, {"maggio", 5, 0}, {"giugno", 6, 0},
    {"luglio", 7, 0}, {"agosto", 8, 0}, {"settembre", 9, 0},
    {"ottobre", 10, 0}, {"dicembre", 12, 0},
    /* Spanish */
    {"enero", 1, 0}, {"febrero", 2, 0}, {"abril", 4, 0}, {"mayo", 5, 0},
    {"junio", 6, 0}, {"julio", 7, 0}, {"septiembre", 9, 0},
    {"setiembre", 9, 0}, {"octubre", 10, 0}, {"noviembre", 11, 0},
    {"diciembre", 12, 0},
    /* Dutch */
    {"januari", 1, 0}, {"februari", 2, 0}, {"maart", 3, 0},
    {"mei", 5, 0}, {"augustus", 8, 0},
    /* Portuguese */
    {"janeiro", 1, 0}, {"fevereiro", 2, 0}, {"mar\xc3\xa7o", 3, 0},
    {"maio", 5, 0}, {"junho", 6, 0}, {"julho", 7, 0},
    {"setembro", 9, 0}, {"outubro", 10, 0}, {"novembro", 11, 0},
    {"dezembro", 12, 0},
    /* Russian: genitive (the form after a day), then nominative */
    {"\xd1\x8f\xd0\xbd\xd0\xb2\xd0\xb0\xd1\x80\xd1\x8f", 1, 0},
    {"\xd1\x84\xd0\xb5\xd0\xb2\xd1\x80\xd0\xb0\xd0\xbb\xd1\x8f", 2, 0},
    {"\xd0\xbc\xd0\xb0\xd1\x80\xd1\x82\xd0\xb0", 3, 0},
    {"\xd0\xb0\xd0\xbf\xd1\x80\xd0\xb5\xd0\xbb\xd1\x8f", 4, 0},
    {"\xd0\xbc\xd0\xb0\xd1\x8f", 5, 0},
    {"\xd0\xb8\xd1\x8e\xd0\xbd\xd1\x8f", 6, 0},
    {"\xd0\xb8\xd1\x8e\xd0\xbb\xd1\x8f", 7, 0},
    {"\xd0\xb0\xd0\xb2\xd0\xb3\xd1\x83\xd1\x81\xd1\x82\xd0\xb0", 8, 0},
    {"\xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 9,
     0},
    {"\xd0\xbe\xd0\xba\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 10, 0},
    {"\xd0\xbd\xd0\xbe\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 11, 0},
    {"\xd0\xb4\xd0\xb5\xd0\xba\xd0\xb0\xd0\xb1\xd1\x80\xd1\x8f", 12, 0},
    {"\xd1\x8f\xd0\xbd\xd0\xb2\xd0\xb0\xd1\x80\xd1\x8c", 1, 0},
    {"\xd1\x84\xd0\xb5\xd0\xb2\xd1\x80\xd0\xb0\xd0\xbb\xd1\x8c", 2, 0},
    {"\xd0\xbc\xd0\xb0\xd1\x80\xd1\x82", 3, 0},
    {"\xd0\xb0\xd0\xbf\xd1\x80\xd0\xb5\xd0\xbb\xd1\x8c", 4, 0},
    {"\xd0\xbc\xd0\xb0\xd0\xb9", 5, 0},
    {"\xd0\xb8\xd1\x8e\xd0\xbd\xd1\x8c", 6, 0},
    {"\xd0\xb8\xd1\x8e\xd0\xbb\xd1\x8c", 7, 0},
    {"\xd0\xb0\xd0\xb2\xd0\xb3\xd1\x83\xd1\x81\xd1\x82", 8, 0},
    {"\xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8c", 9,
     0},
    {"\xd0\xbe\xd0\xba\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8c", 10, 0},
    {"\xd0\xbd\xd0\xbe\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8c", 11, 0},
    {"\xd0\xb4\xd0\xb5\xd0\xba\xd0\xb0\xd0\xb1\xd1\x80\xd1\x8c", 12, 0},
    /* Polish: genitive, then nominative */
    {"stycznia", 1, 0}, {"lutego", 2, 0}, {"marca", 3, 0},
    {"kwietnia", 4, 0}, {"maja", 5, 0}, {"czerwca", 6, 0},
    {"lipca", 7, 0}, {"sierpnia", 8, 0}, {"września", 9, 0},
    {"października", 10, 0}, {"listopada", 11, 0}, {"grudnia", 12, 0},
    {"styczeń", 1, 0}, {"luty", 2, 0}, {"marzec", 3, 0},
    {"kwiecień", 4, 0}, {"maj", 5, 0}, {"czerwiec", 6, 0},
    {"lipiec", 7, 0}, {"sierpień", 8, 0}, {"wrzesień", 9, 0},
    {"październik", 10, 0}, {"listopad", 11, 0}, {"grudzień", 12, 0},
    /* Czech: genitive, then nominative */
    {"ledna", 1, 0}, {"února", 2, 0}, {"března", 3, 0}, {"dubna", 4, 0},
    {"května", 5, 0}, {"června", 6, 0}, {"července", 7, 0},
    {"srpna", 8, 0}, {"září", 9, 0}, {"října", 10, 0},
    {"listopadu", 11, 0}, {"prosince", 12, 0}, {"leden", 1, 0},
    {"únor", 2, 0}, {"březen", 3, 0}, {"duben", 4, 0}, {"květen", 5, 0},
    {"červen", 6, 0}, {"červenec", 7, 0}, {"srpen", 8, 0},
    {"říjen", 10, 0}, {"prosinec", 12, 0},
    /* Greek: genitive, then nominative */
    {"ιανουαρίου", 1, 0}, {"φεβρουαρίου", 2, 0}, {"μαρτίου", 3, 0},
    {"απριλίου", 4, 0}, {"μαΐου", 5, 0}, {"μαίου", 5, 0},
    {"ιουνίου", 6, 0}, {"ιουλίου", 7, 0}, {"αυγούστου", 8, 0},
    {"σεπτεμβρίου", 9, 0}, {"οκτωβρίου", 10, 0}, {"νοεμβρίου", 11, 0},
    {"δεκεμβρίου", 12, 0}, {"ιανουάριος", 1, 0}, {"φεβρουάριος", 2, 0},
    {"μάρτιος", 3, 0}, {"απρίλιος", 4, 0}, {"μάιος", 5, 0},
    {"ιούνιος", 6, 0}, {"ιούλιος", 7, 0}, {"αύγουστος", 8, 0},
    {"σεπτέμβριος", 9, 0}, {"οκτώβριος", 10, 0}, {"νοέμβριος", 11, 0},
    {"δεκέμβριος", 12, 0},
    /* Georgian: stems, the case ending follows */
    {"იანვარ", 1, 1}, {"თებერვალ", 2, 1}, {"მარტ", 3, 1},
    {"აპრილ", 4, 1}, {"მაის", 5, 1}, {"ივნის", 6, 1}, {"ივლის", 7, 1},
    {"აგვისტო", 8, 1}, {"სექტემბერ", 9, 1}, {"ოქტომბერ", 10, 1},
    {"ნოემბერ", 11, 1}, {"დეკემბერ", 12, 1},
};

static int
is_dig(const char *s, size_t n, size_t i)
{
    return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Up to max digits at s[i]: how many, their value in *v; 0 when there are
 * more than max. */
static size_t
num(const char *s, size_t n, size_t i, size_t max, int *v)
{
    size_t k = 0;

    *v = 0;
    while (is_dig(s, n, i + k)) {
        if (k == max)
            return 0;
        *v = *v * 10 + (s[i + k] - '0');
        k++;
    }
    return k;
}

static int
valid(int y, int m, int d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

static size_t
spaces(const char *s, size_t n, size_t i)
{
    for (;;) {
        if (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
            i++;
        else if (i + 1 < n && memcmp(s + i, "\xc2\xa0", 2) == 0)
            i += 2;
        else
            return i;
    }
}

/* The month named at s[i]: its number and *end, or 0. */
static int
month_at(const char *s, size_t n, size_t i, size_t *end)
{
    size_t k, m, j, len;

    for (k = 0; k < sizeof months / sizeof months[0]; k++) {
        m = cm_utf8_match_ci(s, n, i, months[k].name);
        if (m == 0)
            continue;
        j = i + m;
        if (months[k].stem)
            while (j < n && cm_doci_is_letter(cm_utf8_decode(s + j, n - j,
                                                             &len)))
                j += len;
        if (j < n && cm_doci_is_letter(cm_utf8_decode(s + j, n - j, &len)))
            continue; /* a longer word: "marsh", "maio" for "mai" */
        *end = j;
        return months[k].month;
    }
    return 0;
}

/* A four-digit year at s[i] not followed by a digit: its value, or 0. */
static int
year_at(const char *s, size_t n, size_t i, size_t *end)
{
    int y;

    if (num(s, n, i, 4, &y) != 4)
        return 0;
    *end = i + 4;
    return y;
}

/* Day suffixes, lower case: English, French, Dutch, Italian/Spanish. */
static size_t
day_suffix(const char *s, size_t n, size_t i)
{
    static const char *const sfx[] = {"st", "nd", "rd", "th", "er", "re",
                                      "ste", "de", "e", "\xc3\xa8me", "eme",
                                      "\xc2\xba", "\xc2\xb0", "o", "."};
    size_t k, m, len;

    for (k = 0; k < sizeof sfx / sizeof sfx[0]; k++) {
        m = cm_utf8_match_ci(s, n, i, sfx[k]);
        if (m > 0 && !(i + m < n && cm_doci_is_letter(cm_utf8_decode(
                                        s + i + m, n - i - m, &len))))
            return i + m;
    }
    return i;
}

/* "28 March 2008", "4th day of November 1950", "28 de marzo de 2008". */
static int
day_month_year(const char *s, size_t n, size_t i, int *y, int *m, int *d,
               size_t *end)
{
    size_t k, j, e;

    k = num(s, n, i, 2, d);
    if (k == 0)
        return 0;
    j = day_suffix(s, n, i + k);
    j = spaces(s, n, j);
    if ((e = cm_utf8_match_ci(s, n, j, "day of ")) > 0)
        j = spaces(s, n, j + e);
    else if ((e = cm_utf8_match_ci(s, n, j, "of ")) > 0 ||
             (e = cm_utf8_match_ci(s, n, j, "de ")) > 0)
        j = spaces(s, n, j + e);
    *m = month_at(s, n, j, &j);
    if (*m == 0)
        return 0;
    if (j < n && (s[j] == ',' || s[j] == '.'))
        j++;
    j = spaces(s, n, j);
    if ((e = cm_utf8_match_ci(s, n, j, "de ")) > 0 ||
        (e = cm_utf8_match_ci(s, n, j, "del ")) > 0)
        j = spaces(s, n, j + e);
    *y = year_at(s, n, j, end);
    return *y != 0;
}

/* "March 28, 2008". */
static int
month_day_year(const char *s, size_t n, size_t i, int *y, int *m, int *d,
               size_t *end)
{
    size_t j, k;

    *m = month_at(s, n, i, &j);
    if (*m == 0)
        return 0;
    j = spaces(s, n, j);
    k = num(s, n, j, 2, d);
    if (k == 0)
        return 0;
    j = day_suffix(s, n, j + k);
    if (j < n && s[j] == ',')
        j++;
    j = spaces(s, n, j);
    *y = year_at(s, n, j, end);
    return *y != 0;
}

/* "2017 წლის 28 აპრილი". */
static int
georgian(const char *s, size_t n, size_t i, int *y, int *m, int *d,
         size_t *end)
{
    static const char wlis[] = "\xe1\x83\xac\xe1\x83\x9a\xe1\x83\x98"
                               "\xe1\x83\xa1"; /* წლის */
    size_t j, k;

    *y = year_at(s, n, i, &j);
    if (*y == 0)
        return 0;
    j = spaces(s, n, j);
    if (n - j < sizeof wlis - 1 || memcmp(s + j, wlis, sizeof wlis - 1) != 0)
        return 0;
    j = spaces(s, n, j + sizeof wlis - 1);
    k = num(s, n, j, 2, d);
    if (k == 0)
        return 0;
    j = spaces(s, n, j + k);
    *m = month_at(s, n, j, end);
    return *m != 0;
}

/* "16.V.2005". */
static int
roman_month(const char *s, size_t n, size_t i, int *y, int *m, int *d,
            size_t *end)
{
    static const char *const r[] = {"XII", "XI", "X",  "IX", "VIII", "VII",
                                    "VI",  "V",  "IV", "III", "II",  "I"};
    size_t k, j, q, len;

    k = num(s, n, i, 2, d);
    if (k == 0 || i + k >= n || s[i + k] != '.')
        return 0;
    j = i + k + 1;
    for (q = 0; q < 12; q++) {
        len = strlen(r[q]);
        if (n - j > len && memcmp(s + j, r[q], len) == 0 && s[j + len] == '.')
            break;
    }
    if (q == 12)
        return 0;
    *m = 12 - (int)q;
    *y = year_at(s, n, j + len + 1, end);
    return *y != 0;
}

/* "28/03/2008", "28.03.2008", "2008-03-28". */
static int
numeric(const char *s, size_t n, size_t i, int *y, int *m, int *d,
        size_t *end)
{
    size_t k, j;
    char sep;

    if (num(s, n, i, 4, y) == 4 && i + 4 < n && s[i + 4] == '-') {
        if (num(s, n, i + 5, 2, m) != 2 || i + 7 >= n || s[i + 7] != '-' ||
            num(s, n, i + 8, 2, d) != 2)
            return 0;
        *end = i + 10;
        return 1;
    }
    k = num(s, n, i, 2, d);
    if (k == 0 || i + k >= n || (s[i + k] != '/' && s[i + k] != '.'))
        return 0;
    sep = s[i + k];
    j = i + k + 1;
    k = num(s, n, j, 2, m);
    if (k == 0 || j + k >= n || s[j + k] != sep)
        return 0;
    *y = year_at(s, n, j + k + 1, end);
    return *y != 0;
}

int
cm_doc_find_date(const char *s, size_t n, char iso[11], size_t *start,
                 size_t *end)
{
    size_t i, e = 0, len;
    int y, m, d;

    iso[0] = '\0';
    if (s == NULL)
        return 0;
    for (i = 0; i < n; i += len) {
        unsigned long c;
        (void)cm_utf8_decode(s + i, n - i, &len);
        if (i > 0) {
            size_t pl, p = i - 1;
            while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80)
                p--;
            c = cm_utf8_decode(s + p, i - p, &pl);
            if (cm_doci_is_letter(c) || (c >= '0' && c <= '9'))
                continue; /* not at the start of a word or number */
        }
        if (!(numeric(s, n, i, &y, &m, &d, &e) ||
              roman_month(s, n, i, &y, &m, &d, &e) ||
              georgian(s, n, i, &y, &m, &d, &e) ||
              day_month_year(s, n, i, &y, &m, &d, &e) ||
              month_day_year(s, n, i, &y, &m, &d, &e)))
            continue;
        if (!valid(y, m, d))
            continue;
        /* valid() bounds them: 4, 2 and 2 digits */
        snprintf(iso, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
                 (unsigned)m % 100u, (unsigned)d % 100u);
        if (start != NULL)
            *start = i;
        if (end != NULL)
            *end = e;
        return 1;
    }
    return 0;
}
