/* cm_doc_pdf.c: the PDF splitter, on poppler-glib.
 *
 * A PDF holds lines placed on pages, not paragraphs.  poppler gives each
 * page's text in reading order with a box for every character; this file
 * makes the lines back into paragraphs by their boxes, as a reader does:
 *
 * - a line of poppler's is cut where its characters move to another line
 *   (it gives the last line of a column, or of a table's cell, and the
 *   first of the next as one: two languages set side by side ran
 *   together) or across a gap wider than two lines are high (the next
 *   cell of a row: the same paragraph, after a space);
 * - a paragraph ends where the space above the next line is more than
 *   about half a line (the usual gap between paragraphs), where the next
 *   line is indented (a first line), or where the text moves up the page
 *   (a new column); it goes on across a page break when the page's last
 *   line does not end a sentence and the next page's first one starts in
 *   lower case;
 * - a paragraph whose characters are a seventh taller than the document's
 *   body text (its most common line height) makes a heading, of a level
 *   by its size among the headings';
 * - running heads and feet are left out: a line in the top or bottom
 *   eighth of a page that recurs (digits aside) on another page, and a
 *   page number alone;
 * - a word cut by a hyphen at the end of a line is joined to its end
 *   (develop-ment, which the analyzer finds as "development" too);
 * - a paragraph in smaller type that starts with a number, after the body
 *   of its page, is a footnote.
 *
 * Each paragraph keeps the page it starts on.  Labels ("5.", "a)") come
 * from the text, as in plain text; the title is
 * the first heading, else the PDF's own Title.  A PDF without any text
 * (scanned pages: cmindex does no OCR), encrypted or damaged is refused
 * with the reason.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "cm_doc_int.h"

typedef struct {
    char *text; /* UTF-8, trimmed, NUL-terminated */
    size_t len;
    double x, top, bottom, height;
    int page;
    int furniture; /* a running head or foot, or a page number */
    int same_row;  /* goes on the line before, after a wide gap */
} line;

typedef struct {
    line *v;
    size_t n, cap;
    double page_height;
    int oom;
} lines;

static void
lines_free(lines *ls)
{
    size_t i;
    for (i = 0; i < ls->n; i++)
        free(ls->v[i].text);
    free(ls->v);
}

/* s[0..n) as text we index: what is not UTF-8 as U+FFFD, a control
 * character (a glyph a font maps to U+0000, say) as a space, spaces at the
 * ends trimmed.  malloc'd, with its length in *len; NULL when out of
 * memory. */
static char *
clean_text(const char *s, size_t n, size_t *len)
{
    gchar *valid = g_utf8_make_valid(s, (gssize)n);
    size_t i, o = 0, m;
    char *out;

    if (valid == NULL)
        return NULL;
    m = strlen(valid);
    out = malloc(m + 1);
    if (out == NULL) {
        g_free(valid);
        return NULL;
    }
    for (i = 0; i < m; i++) {
        unsigned char c = (unsigned char)valid[i];
        if (c < 0x20 || c == 0x7F) {
            if (o > 0 && out[o - 1] != ' ')
                out[o++] = ' ';
        } else
            out[o++] = (char)c;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    *len = o;
    g_free(valid);
    return out;
}

static void
push_line(lines *ls, const char *s, size_t n, double x, double top,
          double bottom, double height, int page, int same_row)
{
    line *l;

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n == 0)
        return;
    if (cm_grow((void **)&ls->v, &ls->cap, ls->n, sizeof *ls->v) != CM_OK) {
        ls->oom = 1;
        return;
    }
    l = &ls->v[ls->n];
    memset(l, 0, sizeof *l);
    if ((l->text = clean_text(s, n, &l->len)) == NULL) {
        ls->oom = 1;
        return;
    }
    if (l->len == 0) {
        free(l->text);
        return;
    }
    l->x = x;
    l->top = top;
    l->bottom = bottom;
    l->height = height;
    l->page = page;
    l->same_row = same_row;
    ls->n++;
}

/* Whether character box c, after a character of the line (top, bottom,
 * h: its band and height so far) that ended at x2, starts another line:
 * 1 when it is below or above it (poppler goes on from the last line of
 * a column, or of a table's cell, to the first of the next on one line),
 * 2 when it follows on the same row across a gap wider than two lines
 * are high (the next cell of a row, a term's description: text of the
 * same paragraph, after a space that poppler may not give); else 0. */
static int
new_line_at(const PopplerRectangle *c, double x2, double top, double bottom,
            double h)
{
    double mid = (c->y1 + c->y2) / 2;

    if (mid < top || mid > bottom)
        return 1;
    return c->x1 - x2 > 2 * h ? 2 : 0;
}

/* The lines of one page, with the boxes of their characters. */
static void
page_lines(PopplerPage *pg, int page, lines *ls)
{
    char *text = poppler_page_get_text(pg);
    PopplerRectangle *r = NULL;
    guint nr = 0, ci = 0;
    const char *s, *start;
    double x = 0, top = 0, bottom = 0, h = 0, x2 = 0;
    int have = 0;     /* a box for a character of the line */
    int same_row = 0; /* the line goes on the one before it */

    if (text == NULL)
        return;
    if (!g_utf8_validate(text, -1, NULL)) {
        /* Not seen, but walked by character below: made valid, and its
         * boxes, which would no longer line up, left out. */
        char *valid = g_utf8_make_valid(text, -1);
        g_free(text);
        if ((text = valid) == NULL)
            return;
    } else if (!poppler_page_get_text_layout(pg, &r, &nr))
        nr = 0;
    for (s = start = text;; s = g_utf8_next_char(s), ci++) {
        if (*s == '\n' || *s == '\0') {
            /* Without boxes (poppler gave none), a line still counts:
             * the page's lines then make one paragraph. */
            push_line(ls, start, (size_t)(s - start), have ? x : 0,
                      have ? top : 0, have ? bottom : 0, have ? h : 0, page,
                      same_row);
            if (*s == '\0')
                break;
            start = s + 1;
            have = same_row = 0;
            continue;
        }
        if (ci < nr && *s != ' ') {
            const PopplerRectangle *c = &r[ci];
            double ch = c->y2 - c->y1;
            int k = have && ch > 0 ? new_line_at(c, x2, top, bottom, h) : 0;
            if (k != 0) {
                push_line(ls, start, (size_t)(s - start), x, top, bottom, h,
                          page, same_row);
                start = s;
                have = 0;
                same_row = k == 2;
            }
            x2 = c->x2;
            if (!have) {
                x = c->x1;
                top = c->y1;
                bottom = c->y2;
                h = ch;
                have = 1;
            } else {
                top = c->y1 < top ? c->y1 : top;
                bottom = c->y2 > bottom ? c->y2 : bottom;
                h = ch > h ? ch : h;
            }
        }
    }
    g_free(r);
    g_free(text);
}

/* Digits as '#': "Page 3 of 12" and "Page 4 of 12" are one foot. */
static int
same_but_digits(const line *a, const line *b)
{
    size_t i;

    if (a->len != b->len)
        return 0;
    for (i = 0; i < a->len; i++) {
        int da = is_digit((unsigned char)a->text[i]);
        int db = is_digit((unsigned char)b->text[i]);
        if (da != db || (!da && a->text[i] != b->text[i]))
            return 0;
    }
    return 1;
}

/* A page number alone: "3", "- 3 -", "Page 3", "3/12", "Page 3 of 12". */
static int
page_number(const line *l)
{
    size_t i, digits = 0, letters = 0;

    for (i = 0; i < l->len; i++) {
        unsigned char c = (unsigned char)l->text[i];
        if (is_digit(c))
            digits++;
        else if (is_alpha(c))
            letters++;
        else if (c != ' ' && c != '-' && c != '/' && c != '|' && c != '.')
            return 0;
    }
    return digits > 0 && digits <= 8 && letters <= 6 &&
           (letters == 0 || cm_utf8_match_ci(l->text, l->len, 0, "page") ||
            cm_utf8_match_ci(l->text, l->len, 0, "p"));
}

static int
at_edge(const lines *ls, const line *l)
{
    double margin = ls->page_height / 8;
    return ls->page_height > 0 && l->bottom > 0 &&
           (l->bottom < margin || l->top > ls->page_height - margin);
}

/* Mark the running heads and feet. */
static void
mark_furniture(lines *ls)
{
    size_t *edge, n = 0, i, j;

    if ((edge = malloc((ls->n + 1) * sizeof *edge)) == NULL) {
        ls->oom = 1;
        return;
    }
    for (i = 0; i < ls->n; i++)
        if (at_edge(ls, &ls->v[i]))
            edge[n++] = i;
    for (i = 0; i < n; i++) {
        line *l = &ls->v[edge[i]];
        if (page_number(l)) {
            l->furniture = 1;
            continue;
        }
        for (j = 0; j < n && !l->furniture; j++) {
            const line *o = &ls->v[edge[j]];
            if (o->page != l->page && same_but_digits(l, o))
                l->furniture = 1;
        }
    }
    free(edge);
}

static int
by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The body's line height: the most common, to half a point. */
static double
body_height(const lines *ls)
{
    double *h, best = 0;
    size_t i, n = 0, run, best_run = 0, k;

    if (ls->n == 0 || (h = malloc(ls->n * sizeof *h)) == NULL)
        return 0;
    for (i = 0; i < ls->n; i++)
        if (!ls->v[i].furniture)
            h[n++] = (double)(long)(ls->v[i].height * 2 + 0.5) / 2;
    qsort(h, n, sizeof *h, by_double);
    for (i = 0; i < n; i = k) {
        for (k = i; k < n && h[k] == h[i]; k++)
            ;
        run = k - i;
        if (run > best_run) {
            best_run = run;
            best = h[i];
        }
    }
    free(h);
    return best;
}

/* Whether a paragraph ends between a and b (b follows a; a_first: a is
 * its paragraph's first line). */
static int
breaks(const line *a, const line *b, int a_first)
{
    double h = a->bottom - a->top;
    size_t n = a->len;

    if (h <= 0)
        h = a->height > 0 ? a->height : 1;
    if (b->same_row && b->page == a->page)
        return 0; /* the same row of text, after a gap */
    if (b->page != a->page) {
        /* Goes on over the page only mid-sentence. */
        unsigned char last = (unsigned char)a->text[n - 1];
        unsigned char first = (unsigned char)b->text[0];
        return !((last == ',' || is_alpha(last) || last == '-') &&
                 first >= 'a' && first <= 'z');
    }
    if (b->top < a->top - h / 2)
        return 1; /* up the page: another column or block */
    if (b->top - a->bottom > h * 0.45)
        return 1; /* a gap */
    if (b->x > a->x + h * 0.9 && !a_first)
        return 1; /* an indented first line (a second line indented under
                     the first is a hanging indent) */
    if (b->height > a->height * 1.15 || a->height > b->height * 1.15)
        return 1; /* another size of type */
    return 0;
}

/* Append line l to the paragraph text in a: a hyphen cut at the end of
 * the last line joins the word. */
static void
append_line(cm_doci_acc *a, const line *l)
{
    size_t n = a->b.len;
    int cut = n >= 2 && a->b.data[n - 1] == '-' &&
              is_alpha((unsigned char)a->b.data[n - 2]) &&
              l->text[0] >= 'a' && l->text[0] <= 'z';

    if (n > 0 && !cut)
        cm_doci_acc_space(a);
    cm_doci_acc_text(a, l->text, l->len);
}

typedef struct {
    double sizes[CM_DOCI_HMAX]; /* heading sizes seen, largest first */
    int n;
} levels;

/* The level of a heading of line height h: its rank among the sizes. */
static int
level_of(levels *lv, double h)
{
    int i, k;

    for (i = 0; i < lv->n; i++)
        if (h > lv->sizes[i] - 0.5 && h < lv->sizes[i] + 0.5)
            return i + 1;
    if (lv->n < 6) {
        for (i = 0; i < lv->n && lv->sizes[i] > h; i++)
            ;
        for (k = lv->n; k > i; k--)
            lv->sizes[k] = lv->sizes[k - 1];
        lv->sizes[i] = h;
        lv->n++;
        return i + 1;
    }
    return 6;
}

/* The number a footnote starts with: a label ("1.", "1)") or, as notes
 * are printed, digits and a space ("1 See also"). */
static int
note_number(const char *t, size_t n, cm_doci_label *li)
{
    size_t i = 0;

    memset(li, 0, sizeof *li);
    if (cm_doci_detect_label(t, n, li) && li->numeric && li->skip < n)
        return 1;
    memset(li, 0, sizeof *li);
    while (i < n && i < 3 && is_digit((unsigned char)t[i]))
        li->num = li->num * 10 + (unsigned long)(t[i++] - '0');
    if (i == 0 || i >= n || t[i] != ' ')
        return 0;
    while (i < n && t[i] == ' ')
        i++;
    li->skip = i;
    return i < n;
}

/* One paragraph: lines [from, to) of ls, not furniture. */
static void
paragraph(cm_doci_builder *b, const lines *ls, const size_t *idx, size_t from,
          size_t to, double body, levels *lv, int *last_page_body)
{
    cm_doci_acc a;
    const line *first = &ls->v[idx[from]];
    size_t i, before = b->doc->n_paras;
    cm_doci_label li;

    memset(&a, 0, sizeof a);
    for (i = from; i < to; i++)
        append_line(&a, &ls->v[idx[i]]);
    if (a.oom)
        b->st = CM_ENOMEM;
    if (a.b.len == 0 || b->st != CM_OK) {
        free(a.b.data);
        return;
    }
    if (body > 0 && first->height > body * 1.15 && a.b.len < 300)
        cm_doci_add_heading(b, level_of(lv, first->height), a.b.data,
                            a.b.len);
    else if (body > 0 && first->height < body * 0.85 &&
             *last_page_body == first->page &&
             note_number(a.b.data, a.b.len, &li)) {
        char lab[32];
        snprintf(lab, sizeof lab, "%lu", li.num);
        cm_doci_add_para(b, lab, strlen(lab), CM_SECT_FOOTNOTE,
                         a.b.data + li.skip, a.b.len - li.skip);
    } else {
        cm_doci_add_labelled(b, a.b.data, a.b.len,
                             cm_doci_body_sect(b));
        if (body <= 0 || first->height >= body * 0.85)
            *last_page_body = first->page;
    }
    for (i = before; i < b->doc->n_paras; i++) /* the page it starts on */
        b->doc->paras[i].page = (unsigned)first->page + 1;
    free(a.b.data);
}

/* The paragraphs of the lines, furniture left out. */
static void
paragraphs(cm_doci_builder *b, const lines *ls)
{
    double body = body_height(ls);
    size_t *idx, n = 0, i, start = 0;
    levels lv;
    int last_page_body = -1;

    memset(&lv, 0, sizeof lv);
    if ((idx = malloc((ls->n + 1) * sizeof *idx)) == NULL) {
        b->st = CM_ENOMEM;
        return;
    }
    for (i = 0; i < ls->n; i++)
        if (!ls->v[i].furniture)
            idx[n++] = i;
    for (i = 1; i < n && b->st == CM_OK; i++)
        if (breaks(&ls->v[idx[i - 1]], &ls->v[idx[i]], i - 1 == start)) {
            paragraph(b, ls, idx, start, i, body, &lv, &last_page_body);
            start = i;
        }
    if (start < n && b->st == CM_OK)
        paragraph(b, ls, idx, start, n, body, &lv, &last_page_body);
    free(idx);
}

void
cm_doci_parse_pdf(cm_doci_builder *b, const char *data, size_t len)
{
    GBytes *bytes;
    GError *err = NULL;
    PopplerDocument *doc;
    lines ls;
    int i, n;

    memset(&ls, 0, sizeof ls);
    if (len == 0)
        return; /* an empty file: no paragraph, as for the other formats */
    bytes = g_bytes_new_static(data, len);
    doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (doc == NULL) {
        b->st = CM_EPARSE;
        if (err != NULL && err->domain == POPPLER_ERROR &&
            err->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(b->err, sizeof b->err, "encrypted PDF: it needs a "
                     "password");
        else
            snprintf(b->err, sizeof b->err, "not a PDF that can be read (%s)",
                     err != NULL ? err->message : "poppler gave no reason");
        if (err != NULL)
            g_error_free(err);
        g_bytes_unref(bytes);
        return;
    }
    n = poppler_document_get_n_pages(doc);
    for (i = 0; i < n && !ls.oom; i++) {
        PopplerPage *pg = poppler_document_get_page(doc, i);
        double w = 0, h = 0;
        if (pg == NULL)
            continue;
        poppler_page_get_size(pg, &w, &h);
        if (h > ls.page_height)
            ls.page_height = h;
        page_lines(pg, i, &ls);
        g_object_unref(pg);
    }
    if (ls.oom)
        b->st = CM_ENOMEM;
    else if (ls.n == 0) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "no text in the PDF (scanned pages? "
                 "cmindex does no OCR)");
    } else {
        mark_furniture(&ls);
        if (ls.oom)
            b->st = CM_ENOMEM;
        else
            paragraphs(b, &ls);
    }
    if (b->st == CM_OK && b->doc->title[0] == '\0') {
        gchar *title = poppler_document_get_title(doc);
        size_t tl = 0;
        char *clean = title ? clean_text(title, strlen(title), &tl) : NULL;
        if (clean != NULL)
            cm_doci_set_meta_title(b, clean, tl);
        free(clean);
        g_free(title);
    }
    lines_free(&ls);
    g_object_unref(doc);
    g_bytes_unref(bytes);
}
