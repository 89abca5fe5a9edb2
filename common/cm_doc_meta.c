/* cm_doc_meta.c: a document's number, type, title and date, and each
 * paragraph's references (rules in cm_doc.h, "Metadata", "References"). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_doc_int.h"
#include "cm_ref.h"

/* The front matter is at most this many paragraphs. */
#define FRONT_MAX 8
/* A date line holds at most this many bytes besides the date (a place). */
#define DATE_LINE_EXTRA 40
#define DATE_LINE_MAX 120
/* A "Done at" paragraph is searched for its date in this many bytes. */
#define DONE_AT_MAX 400

/* ---- document types -------------------------------------------------- */

/* The end of the word at t[i] (letters only). */
static size_t
word_end(const char *t, size_t n, size_t i)
{
    size_t len;

    while (i < n && cm_doci_is_letter(cm_utf8_decode(t + i, n - i, &len)))
        i += len;
    return i;
}

static size_t
next_word(const char *t, size_t n, size_t i)
{
    size_t len;

    while (i < n && !cm_doci_is_letter(cm_utf8_decode(t + i, n - i, &len)))
        i += len;
    return i;
}

/* The type of a type line: "Reply to Recommendation: ...", "Résolution
 * 1987 (2014)", "Written declaration No. 489"; NULL when it is not one. */
static const char *
type_line(const char *t, size_t n)
{
    /* "\303\251crite" is "écrite" (octal: a hex escape would swallow the
     * "c" that follows). */
    static const char *const written[] = {"written", "\303\251crite",
                                          "schriftliche", "scritta",
                                          "escrita", "schriftelijke"};
    const char *ty;
    size_t e = word_end(t, n, 0), a, b, k;

    if (e == 0)
        return NULL;
    ty = cm_doc_type_name(t, e);
    a = next_word(t, n, e);
    b = word_end(t, n, a);
    for (k = 0; ty == NULL && k < sizeof written / sizeof written[0]; k++)
        if (cm_utf8_match_ci(t, e, 0, written[k]) == e)
            ty = cm_doc_type_name(t + a, b - a);
    /* "Déclaration écrite" */
    return ty;
}

static int
front_end(const cm_doc *d)
{
    size_t i;

    for (i = 0; i < d->n_paras && i < FRONT_MAX; i++)
        if (d->paras[i].label[0] != '\0')
            break;
    return (int)i;
}

/* "Doc. 11549", "Doc 11549", "Document 11549". */
static int
is_number(const char *t, size_t n)
{
    static const char *const words[] = {"doc.", "document", "doc"};
    size_t k, m, i, dg = 0;

    for (k = 0; k < sizeof words / sizeof words[0]; k++) {
        m = cm_utf8_match_ci(t, n, 0, words[k]);
        if (m == 0)
            continue;
        i = m;
        while (i < n && t[i] == ' ')
            i++;
        if (i == m && t[m - 1] != '.')
            continue;
        while (i + dg < n && is_digit((unsigned char)t[i + dg]))
            dg++;
        return dg >= 3 && dg <= 7 && i + dg == n;
    }
    return 0;
}

static int
set_str(char **field, const char *s, size_t n)
{
    char *p = cm_doci_dup(s, n);

    if (p == NULL)
        return -1;
    free(*field);
    *field = p;
    return 0;
}

/* The type from the first words of a title or heading. */
static const char *
type_of_title(const char *t, size_t n)
{
    size_t a = 0, b, w;
    const char *ty;

    for (w = 0; w < 4; w++) {
        a = next_word(t, n, a);
        b = word_end(t, n, a);
        if (a == b)
            break;
        ty = cm_doc_type_name(t + a, b - a);
        if (ty != NULL)
            return ty;
        a = b;
    }
    return NULL;
}

static const char *const done_at[] = {
    "done at", "fait \xc3\xa0", "gedaan te", "geschehen zu", "fatto a",
    "hecho en", "done in", "signed at", "feito em", NULL};

/* A paragraph that dates the document from within its text: a treaty's
 * "Done at ..." or a short line ending in a date ("Warsaw, 16.V.2005"). */
static int
dating_para(const cm_para *p, char iso[11])
{
    size_t s, e, k, m;

    for (k = 0; done_at[k] != NULL; k++) {
        m = cm_utf8_match_ci(p->text, p->text_len, 0, done_at[k]);
        if (m > 0)
            return cm_doc_find_date(p->text,
                                    p->text_len < DONE_AT_MAX ? p->text_len
                                                              : DONE_AT_MAX,
                                    iso, NULL, NULL);
    }
    if (p->text_len < 60 &&
        cm_doc_find_date(p->text, p->text_len, iso, &s, &e) &&
        p->text_len - e <= 2)
        return 1;
    return 0;
}

cm_status
cm_doci_meta(cm_doc *d, cm_format fmt)
{
    int front = front_end(d), have_type = 0, have_date = 0, have_num = 0;
    const char *ty;
    char iso[11];
    size_t i, s, e;
    int title_para = -1;

    for (i = 0; i < (size_t)front; i++) {
        const cm_para *p = &d->paras[i];
        if (p->section == CM_SECT_HEADING)
            continue;
        if (!have_num && is_number(p->text, p->text_len)) {
            if (set_str(&d->number, p->text, p->text_len) != 0)
                return CM_ENOMEM;
            have_num = 1;
            continue;
        }
        /* A date line is a date and a place: short (and a long
         * paragraph is not searched for one). */
        if (!have_date && p->text_len <= DATE_LINE_MAX &&
            cm_doc_find_date(p->text, p->text_len, iso, &s, &e) &&
            p->text_len - (e - s) <= DATE_LINE_EXTRA) {
            if (set_str(&d->date, iso, 10) != 0)
                return CM_ENOMEM;
            have_date = 1;
            continue;
        }
        if (!have_type && p->text_len < 300 &&
            (ty = type_line(p->text, p->text_len)) != NULL) {
            if (set_str(&d->type, ty, strlen(ty)) != 0)
                return CM_ENOMEM;
            have_type = 1;
            continue;
        }
        if (fmt == CM_FMT_TEXT && title_para < 0 && p->text_len < 300)
            title_para = (int)i; /* plain text: the title line */
    }
    if (d->title[0] == '\0' && title_para >= 0 &&
        set_str(&d->title, d->paras[title_para].text,
                d->paras[title_para].text_len) != 0)
        return CM_ENOMEM;
    if (!have_type) {
        ty = type_of_title(d->title, strlen(d->title));
        for (i = 0; ty == NULL && i < d->n_paras && i < FRONT_MAX; i++)
            if (d->paras[i].section == CM_SECT_HEADING)
                ty = type_of_title(d->paras[i].text, d->paras[i].text_len);
        if (ty != NULL && set_str(&d->type, ty, strlen(ty)) != 0)
            return CM_ENOMEM;
    }
    for (i = 0; !have_date && i < d->n_paras; i++)
        if (dating_para(&d->paras[i], iso)) {
            if (set_str(&d->date, iso, 10) != 0)
                return CM_ENOMEM;
            have_date = 1;
        }
    return CM_OK;
}

/* ---- references ------------------------------------------------------- */

typedef struct {
    char **keys;
    size_t n, cap;
    int oom;
} keylist;

static int
has_key(const keylist *l, const char *k)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->keys[i], k) == 0)
            return 1;
    return 0;
}

static int
push_key(keylist *l, const char *k)
{
    char *c;

    if (has_key(l, k))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        char **nk = realloc(l->keys, cap * sizeof *nk);
        if (nk == NULL)
            return -1;
        l->keys = nk;
        l->cap = cap;
    }
    c = cm_doci_dup(k, strlen(k));
    if (c == NULL)
        return -1;
    l->keys[l->n++] = c;
    return 0;
}

/* What a paragraph's scan gathers: its keys, and the prefixes of the
 * Assembly texts it names without their year ("Recommendation 1806":
 * "pace-rec-1806-"), resolved once the whole document is read
 * (yearless_refs()). */
typedef struct {
    keylist keys, prefixes;
} scanned;

static int
on_ref(void *ctx, const cm_ref_match *m)
{
    scanned *sc = ctx;
    size_t kn = strlen(m->key);
    keylist *l = kn > 0 && m->key[kn - 1] == '-' ? &sc->prefixes : &sc->keys;

    if (push_key(l, m->key) != 0) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

static void
keylist_free(keylist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->keys[i]);
    free(l->keys);
    l->keys = NULL;
    l->n = l->cap = 0;
}

/* The paragraph's refs: what the scanner finds, then its footnote marks;
 * the year-less names' prefixes in *prefixes. */
static cm_status
para_refs(cm_para *p, keylist *prefixes)
{
    scanned sc;
    keylist l;
    cm_status st;
    size_t i;

    memset(&sc, 0, sizeof sc);
    st = cm_ref_scan_yearless(p->text, p->text_len, on_ref, &sc);
    if (st == CM_OK && (sc.keys.oom || sc.prefixes.oom))
        st = CM_ENOMEM;
    *prefixes = sc.prefixes;
    l = sc.keys;
    for (i = 0; st == CM_OK && i < p->n_refs; i++)
        if (push_key(&l, p->refs[i]) != 0)
            st = CM_ENOMEM;
    if (st != CM_OK) {
        for (i = 0; i < l.n; i++)
            free(l.keys[i]);
        free(l.keys);
        return st;
    }
    for (i = 0; i < p->n_refs; i++)
        free(p->refs[i]);
    free(p->refs);
    p->refs = l.keys;
    p->n_refs = l.n;
    return CM_OK;
}

/* Whether key is prefix followed by a year: "pace-rec-1806-2007" for
 * "pace-rec-1806-". */
static int
key_of_prefix(const char *key, const char *prefix)
{
    size_t n = strlen(prefix), k;

    if (strncmp(key, prefix, n) != 0 || strlen(key) != n + 4)
        return 0;
    for (k = n; k < n + 4; k++)
        if (key[k] < '0' || key[k] > '9')
            return 0;
    return 1;
}

static int
by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A paragraph's year-less names of Assembly texts: "Recommendation 1806"
 * cites the text that the same document cites as "Recommendation 1806
 * (2007)" somewhere (the usual way of a report: the year at the first
 * mention).  A number the document never gives with a year stays
 * unresolved: "Resolution 895" of another body.  The document's keys are
 * sorted once and each name is looked up there: a key with the prefix
 * sorts right after it. */
static cm_status
yearless_refs(cm_doc *d, keylist *prefixes)
{
    const char **dated;
    size_t i, j, n = 0, lo, hi, mid;
    cm_status st = CM_OK;

    for (i = 0; i < d->n_paras; i++)
        n += d->paras[i].n_refs;
    if (n == 0)
        return CM_OK;
    dated = malloc(n * sizeof *dated);
    if (dated == NULL)
        return CM_ENOMEM;
    n = 0;
    for (i = 0; i < d->n_paras; i++)
        for (j = 0; j < d->paras[i].n_refs; j++)
            if (strncmp(d->paras[i].refs[j], "pace-", 5) == 0)
                dated[n++] = d->paras[i].refs[j];
    qsort(dated, n, sizeof *dated, by_str);
    for (i = 0; st == CM_OK && i < d->n_paras; i++) {
        cm_para *p = &d->paras[i];
        for (j = 0; st == CM_OK && j < prefixes[i].n; j++) {
            const char *pre = prefixes[i].keys[j];
            for (lo = 0, hi = n; lo < hi;) {
                mid = lo + (hi - lo) / 2;
                if (strcmp(dated[mid], pre) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < n && key_of_prefix(dated[lo], pre)) {
                /* push_key() may move the array: p's refs are l's.  The
                 * keys themselves stay where they are (dated[] holds
                 * them). */
                keylist l = {p->refs, p->n_refs, p->n_refs, 0};
                if (push_key(&l, dated[lo]) != 0)
                    st = CM_ENOMEM;
                p->refs = l.keys;
                p->n_refs = l.n;
            }
        }
    }
    free(dated);
    return st;
}

cm_status
cm_doci_refs(cm_doc *d)
{
    cm_status st = CM_OK;
    keylist *prefixes;
    size_t i, n_pre = 0;

    prefixes = calloc(d->n_paras ? d->n_paras : 1, sizeof *prefixes);
    if (prefixes == NULL)
        return CM_ENOMEM;
    for (i = 0; st == CM_OK && i < d->n_paras; i++) {
        st = para_refs(&d->paras[i], &prefixes[i]);
        n_pre += prefixes[i].n;
    }
    if (st == CM_OK && n_pre > 0)
        st = yearless_refs(d, prefixes);
    for (i = 0; i < d->n_paras; i++)
        keylist_free(&prefixes[i]);
    free(prefixes);
    return st;
}
