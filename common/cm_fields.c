/* cm_fields.c: the document model's fields as terms, values and filters. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_fields.h"
#include "cm_ref.h"
#include "cm_schema.h"
#include "cm_util.h"

/* cites:"Recommendation 1806": the keys of one number in every year that
 * the index has (one text; a bound all the same). */
#define CITES_MAX_YEARS 100

/* ------------------------------------------------------------------ */
/* Document types                                                      */

/* The type words of every language the model knows (cm_doc.h): the
 * parser and the type: filter share one table. */
const char *
cm_fields_type_name(const char *word, size_t len)
{
    return cm_doc_type_name(word, len);
}

/* ------------------------------------------------------------------ */
/* Indexing                                                            */

static cm_status
add_bool(cm_xdoc *xdoc, const char *prefix, const char *value, size_t len,
         char *err, size_t errlen)
{
    char term[CM_DB_MAX_TERM + 1];
    size_t n;
    cm_status st;

    if (len == 0)
        return CM_OK;
    n = cm_schema_term(term, sizeof term, prefix, value, len);
    st = cm_xdoc_add_boolean_term(xdoc, term, n);
    if (st != CM_OK)
        snprintf(err, errlen, "%s", cm_xdoc_errmsg(xdoc));
    return st;
}

/* The digits of a document number as printed ("Doc. 11549" -> "11549"). */
static size_t
number_digits(const char *number, char *out, size_t cap)
{
    size_t n = 0;
    for (; *number && n + 1 < cap; number++)
        if (*number >= '0' && *number <= '9')
            out[n++] = *number;
    out[n] = '\0';
    return n;
}

static int
is_iso_date(const char *d)
{
    size_t i;
    for (i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : d[i] < '0' || d[i] > '9')
            return 0;
    return d[10] == '\0';
}

static cm_status
add_date(cm_xdoc *xdoc, const char *date, char *err, size_t errlen)
{
    char compact[9];
    cm_status st;

    if (!is_iso_date(date))
        return CM_OK;
    memcpy(compact, date, 4);
    memcpy(compact + 4, date + 5, 2);
    memcpy(compact + 6, date + 8, 2);
    compact[8] = '\0';
    st = add_bool(xdoc, CM_PFX_YEAR, compact, 4, err, errlen);
    if (st == CM_OK)
        st = add_bool(xdoc, CM_PFX_MONTH, compact, 6, err, errlen);
    if (st == CM_OK)
        st = add_bool(xdoc, CM_PFX_DATE, compact, 8, err, errlen);
    if (st == CM_OK) {
        st = cm_xdoc_set_value(xdoc, CM_SLOT_DATE, date, 10);
        if (st != CM_OK)
            snprintf(err, errlen, "%s", cm_xdoc_errmsg(xdoc));
    }
    return st;
}

/* Title words with their positions, under the S prefix, so that title:
 * takes words and phrases.  Their wdf stays 0: BM25 weighs only the
 * paragraph's own words, and the title boost weighs these by other means
 * (a fixed weight per word, see cm_query.c). */
static cm_status
add_title(cm_xdoc *xdoc, cm_tok *tok, const char *title, const char *lang,
          char *err, size_t errlen)
{
    char term[CM_DB_MAX_TERM + 1];
    const cm_token *t;
    size_t n;
    cm_status st;

    st = cm_tok_reset(tok, title, strlen(title), *lang ? lang : NULL);
    while (st == CM_OK) {
        st = cm_tok_next(tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        n = cm_schema_term(term, sizeof term, CM_PFX_TITLE, t->term,
                           t->term_len);
        st = cm_xdoc_add_posting(xdoc, term, n, t->pos + 1, 0);
        if (st != CM_OK)
            snprintf(err, errlen, "%s", cm_xdoc_errmsg(xdoc));
    }
    if (st != CM_OK && *err == '\0')
        snprintf(err, errlen, "%s", cm_tok_errmsg(tok));
    return st;
}

cm_status
cm_fields_index(cm_xdoc *xdoc, cm_tok *tok, const cm_doc *doc,
                const cm_para *p, const char *lang, char *err, size_t errlen)
{
    const char *section = cm_section_name(p->section);
    char digits[32];
    cm_status st;
    size_t i;

    *err = '\0';
    st = add_bool(xdoc, CM_PFX_LANG, lang, strlen(lang), err, errlen);
    if (st == CM_OK)
        st = add_bool(xdoc, CM_PFX_SECTION, section, strlen(section), err,
                      errlen);
    if (st == CM_OK)
        st = add_bool(xdoc, CM_PFX_DOCNUM, digits,
                      number_digits(doc->number, digits, sizeof digits), err,
                      errlen);
    if (st == CM_OK)
        st = add_bool(xdoc, CM_PFX_TYPE, doc->type, strlen(doc->type), err,
                      errlen);
    if (st == CM_OK)
        st = add_date(xdoc, doc->date, err, errlen);
    for (i = 0; i < p->n_refs && st == CM_OK; i++) {
        /* "fn-N" (a footnote mark) means something only inside its
         * document: it is in the hit's refs, not in the index. */
        if (strncmp(p->refs[i], "fn-", 3) == 0)
            continue;
        st = add_bool(xdoc, CM_PFX_REF, p->refs[i], strlen(p->refs[i]), err,
                      errlen);
    }
    /* The title once per document, on its first paragraph: written on
     * every paragraph, it cost a sixth of the indexing time and a fifth
     * of the index; title: finds the documents by it, then their
     * paragraphs (cm_query.c). */
    if (st == CM_OK && doc->title[0] && p == &doc->paras[0])
        st = add_title(xdoc, tok, doc->title, lang, err, errlen);
    return st;
}

/* ------------------------------------------------------------------ */
/* Filters                                                             */

static const char *const field_names[] = {
    "lang", "year", "date", "doc", "type", "section", "title", "cites",
};

int
cm_fields_known(const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (strlen(field_names[i]) == len && memcmp(field_names[i], name,
                                                    len) == 0)
            return 1;
    return 0;
}

static cm_status
bad(cm_query_error *err, size_t column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cm_status
bad(cm_query_error *err, size_t column, const char *fmt, ...)
{
    va_list ap;
    err->column = (unsigned)column;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return CM_EQUERY;
}

static cm_status
term_query(const char *prefix, const char *value, size_t len,
           cm_xquery **out)
{
    char term[CM_DB_MAX_TERM + 1];
    size_t n = cm_schema_term(term, sizeof term, prefix, value, len);
    return cm_xquery_term(term, n, 1, 0, out);
}

static int
all_digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static int
days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Parse YYYY, YYYY-MM or YYYY-MM-DD into the first (hi == 0) or last
 * (hi != 0) day it covers, as "YYYY-MM-DD" in out[11].  0 when malformed or
 * not a real date. */
static int
parse_date(const char *s, size_t n, int hi, char out[11])
{
    int y, m = hi ? 12 : 1, d;
    if (n != 4 && n != 7 && n != 10)
        return 0;
    if (!all_digits(s, 4))
        return 0;
    /* Not atoi: s is not NUL-terminated (a query's bytes). */
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    if (y < 0 || y > 9999) /* four digits: cannot be, but says so to gcc */
        return 0;
    if (n >= 7) {
        if (s[4] != '-' || !all_digits(s + 5, 2))
            return 0;
        m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return 0;
    }
    d = hi ? days_in_month(y, m) : 1;
    if (n == 10) {
        if (s[7] != '-' || !all_digits(s + 8, 2))
            return 0;
        d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > days_in_month(y, m))
            return 0;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 1;
}

/* date:A..B, date:A.., date:..B, date:A (a day, month or year). */
static cm_status
date_filter(const char *v, size_t n, cm_xquery **out, cm_query_error *err)
{
    const char *dots = NULL;
    char lo[11], hi[11];
    size_t i, alen, blen;

    for (i = 0; i + 1 < n; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    alen = dots ? (size_t)(dots - v) : n;
    blen = dots ? n - alen - 2 : 0;
    if (alen == 0 && blen == 0)
        return bad(err, 1, "date: wants a date or a range A..B");
    if (alen > 0 && !parse_date(v, alen, 0, lo))
        return bad(err, 1, "invalid date %.*s (use YYYY-MM-DD)", (int)alen,
                   v);
    if (dots == NULL && !parse_date(v, alen, 1, hi))
        return bad(err, 1, "invalid date %.*s (use YYYY-MM-DD)", (int)alen,
                   v);
    if (dots != NULL && blen > 0 && !parse_date(dots + 2, blen, 1, hi))
        return bad(err, alen + 3, "invalid date %.*s (use YYYY-MM-DD)",
                   (int)blen, dots + 2);
    if (alen > 0 && (dots == NULL || blen > 0) && strcmp(lo, hi) > 0)
        return bad(err, 1, "the range %.*s ends before it starts", (int)n,
                   v);
    return cm_xquery_value_range(CM_SLOT_DATE, alen ? lo : NULL,
                                 dots == NULL || blen ? hi : NULL, out);
}

/* year:2008 (its Y term), or a range of years 2005..2010, 2005..,
 * ..2010: the dates from the first day of the one to the last of the
 * other (date_filter()). */
static cm_status
year_filter(const char *v, size_t n, cm_xquery **out, cm_query_error *err)
{
    size_t a = 0;

    if (n == 4 && all_digits(v, 4))
        return term_query(CM_PFX_YEAR, v, n, out);
    while (a < n && v[a] >= '0' && v[a] <= '9')
        a++;
    if ((a == 0 || a == 4) && n - a >= 2 && v[a] == '.' && v[a + 1] == '.' &&
        n > 2 && (n - a - 2 == 0 || (n - a - 2 == 4 && all_digits(v + a + 2, 4))))
        return date_filter(v, n, out, err);
    return bad(err, 1, "year: wants four digits, such as 2008, or a range "
               "such as 2005..2010");
}

static cm_status
title_filter(const char *v, size_t n, cm_tok *tok, cm_xquery **out,
             cm_query_error *err)
{
    cm_xquery *subs[64];
    size_t k = 0, i;
    const cm_token *t;
    char term[CM_DB_MAX_TERM + 1];
    cm_status st;

    st = cm_tok_reset(tok, v, n, NULL);
    while (st == CM_OK) {
        st = cm_tok_next(tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        if (t->flags & CM_TOK_ALT)
            continue;
        if (k == sizeof subs / sizeof subs[0]) {
            st = bad(err, t->start + 1, "too many words in title:");
            break;
        }
        st = cm_xquery_term(term,
                            cm_schema_term(term, sizeof term, CM_PFX_TITLE,
                                           t->term, t->term_len),
                            1, t->pos + 1, &subs[k]);
        if (st == CM_OK)
            k++;
    }
    if (st == CM_OK && k == 0)
        st = bad(err, 1, "title: wants a word");
    if (st == CM_OK)
        st = k == 1 ? cm_xquery_combine(CM_XQ_AND, subs, 1, 0, out)
                    : cm_xquery_combine(CM_XQ_PHRASE, subs, k, 0, out);
    for (i = 0; i < k; i++)
        cm_xquery_free(subs[i]);
    return st;
}

cm_status
cm_fields_filter(const char *field, size_t field_len, const char *value,
                 size_t value_len, cm_tok *tok, cm_xquery **out,
                 cm_query_error *err)
{
    char key[CM_REF_KEY_MAX];
    const char *name;
    size_t i;

    *out = NULL;
#define IS(s) (field_len == sizeof(s) - 1 && memcmp(field, s, field_len) == 0)
    if (value_len == 0)
        return bad(err, 1, "%.*s: wants a value", (int)field_len, field);
    if (IS("lang")) {
        if (!cm_lang_code_ok(value, value_len))
            return bad(err, 1, "lang: wants a language code such as en or fr");
        return term_query(CM_PFX_LANG, value, value_len, out);
    }
    if (IS("year"))
        return year_filter(value, value_len, out, err);
    if (IS("date"))
        return date_filter(value, value_len, out, err);
    if (IS("doc")) {
        /* doc:11549, doc:"Doc. 11549" */
        char digits[32];
        size_t n;
        if (value_len >= sizeof digits)
            return bad(err, 1, "doc: wants a document number");
        memcpy(digits, value, value_len);
        digits[value_len] = '\0';
        n = number_digits(digits, key, sizeof key);
        if (n == 0)
            return bad(err, 1, "doc: wants a document number");
        return term_query(CM_PFX_DOCNUM, key, n, out);
    }
    if (IS("type")) {
        name = cm_fields_type_name(value, value_len);
        if (name == NULL)
            return bad(err, 1, "unknown type '%.*s' (reply, recommendation, "
                       "resolution, report, opinion, convention, protocol, "
                       "declaration, other)", (int)value_len, value);
        return term_query(CM_PFX_TYPE, name, strlen(name), out);
    }
    if (IS("section")) {
        for (i = 0; i < CM_SECT_LAST; i++) {
            name = cm_section_name((cm_section)i);
            if (strlen(name) == value_len &&
                memcmp(name, value, value_len) == 0)
                return term_query(CM_PFX_SECTION, name, value_len, out);
        }
        return bad(err, 1, "unknown section '%.*s' (body, heading, footnote, "
                   "appendix)", (int)value_len, value);
    }
    if (IS("title"))
        return title_filter(value, value_len, tok, out, err);
    if (IS("cites")) {
        int prefix;
        if (cm_ref_query_key(value, value_len, key, sizeof key, &prefix) !=
            CM_OK)
            return bad(err, 1, "'%.*s' is not a reference this version "
                       "knows (e.g. Recommendation 1806 (2007), "
                       "CM/Rec(2007)9, ETS No. 5)", (int)value_len, value);
        if (prefix) { /* the text of every year: one, in practice */
            char term[CM_DB_MAX_TERM + 1];
            size_t n = cm_schema_term(term, sizeof term, CM_PFX_REF, key,
                                      strlen(key));
            return cm_xquery_wildcard(term, n, CITES_MAX_YEARS, out);
        }
        return term_query(CM_PFX_REF, key, strlen(key), out);
    }
#undef IS
    return bad(err, 1, "unknown field '%.*s'", (int)field_len, field);
}
