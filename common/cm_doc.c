/* cm_doc.c: the document builder shared by the splitters (paragraphs,
 * the heading stack, labels) and the entry point, cm_doc_parse_opts().
 *
 * The rules for labels, footnotes, appendices and headings are documented
 * in cm_doc.h, and the reasons for them here and in cm_doc_md.c.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_doc_int.h"

/* ---- messages and strings ------------------------------------------- */

void
cm_doci_set_err(char **errmsg, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    if (errmsg == NULL)
        return;
    *errmsg = NULL;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    s = malloc((size_t)n + 1);
    if (s == NULL)
        return; /* the status still says what happened */
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *errmsg = s;
}

char *
cm_doci_dup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- paragraph text -------------------------------------------------- */

static int
add_or_oom(cm_doci_acc *a, const char *s, size_t n)
{
    cm_status st = CM_OK;

    cm_buf_add(&st, &a->b, s, n);
    return st != CM_OK;
}

void
cm_doci_acc_text(cm_doci_acc *a, const char *s, size_t n)
{
    size_t i = 0, j;

    while (i < n) {
        if (is_ws((unsigned char)s[i])) {
            if (a->b.len > 0)
                a->space = 1;
            i++;
            continue;
        }
        for (j = i; j < n && s[j] != '\0' && !is_ws((unsigned char)s[j]);
             j++)
            ;
        if (a->space && add_or_oom(a, " ", 1))
            a->oom = 1;
        a->space = 0;
        if (j == i) {
            /* A NUL byte (unchecked input) would cut the C string short;
             * CommonMark's rule for it serves plain text too. */
            if (add_or_oom(a, "\xef\xbf\xbd", 3))
                a->oom = 1;
            j++;
        } else if (add_or_oom(a, s + i, j - i))
            a->oom = 1;
        i = j;
    }
}

void
cm_doci_acc_space(cm_doci_acc *a)
{
    if (a->b.len > 0)
        a->space = 1;
}

void
cm_doci_acc_reset(cm_doci_acc *a)
{
    a->b.len = 0;
    if (a->b.data != NULL)
        a->b.data[0] = '\0';
    a->space = 0;
}

size_t
cm_doci_utf8_put(char *out, unsigned long cp)
{
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- labels --------------------------------------------------------- */

/* The value of a canonical lower- or upper-case roman numeral made of
 * i, v, x, l (1..89), or 0.  "c", "d" and "m" are left out on purpose:
 * "CM", "DC" or "MC" start too many ordinary sentences. */
static int
roman_value(const char *s, size_t n)
{
    static const char *const tens[] = {"",   "x",  "xx",  "xxx", "xl",
                                       "l",  "lx", "lxx", "lxxx"};
    static const char *const units[] = {"",  "i",  "ii",  "iii", "iv",
                                        "v", "vi", "vii", "viii", "ix"};
    char canon[16];
    int v = 0, upper, prev = 0, cur;
    size_t i;

    if (n == 0 || n > 4)
        return 0;
    upper = s[0] >= 'A' && s[0] <= 'Z';
    for (i = n; i-- > 0;) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') != upper)
            return 0;
        switch (lower(c)) {
        case 'i': cur = 1; break;
        case 'v': cur = 5; break;
        case 'x': cur = 10; break;
        case 'l': cur = 50; break;
        default: return 0;
        }
        v += cur < prev ? -cur : cur;
        if (cur > prev)
            prev = cur;
    }
    if (v <= 0 || v > 89)
        return 0;
    snprintf(canon, sizeof canon, "%s%s", tens[v / 10], units[v % 10]);
    if (strlen(canon) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)canon[i])
            return 0;
    return v;
}

/* Whether text (already whitespace-normalised) starts with a paragraph
 * label: "(a)", "(iv)", "(12)" (no space needed after the parenthesis,
 * as the treaties write "(a)in defence"), or "5.", "5)", "a.", "b)",
 * "xvi." followed by a space or the end. */
int
cm_doci_detect_label(const char *t, size_t n, cm_doci_label *li)
{
    size_t k = 0, start = t[0] == '(' ? 1 : 0;
    int digits = 1, letters = 1;

    memset(li, 0, sizeof *li);
    while (start + k < n && k < 10 &&
           (is_digit((unsigned char)t[start + k]) ||
            is_alpha((unsigned char)t[start + k]))) {
        if (!is_digit((unsigned char)t[start + k]))
            digits = 0;
        if (!is_alpha((unsigned char)t[start + k]))
            letters = 0;
        k++;
    }
    if (k == 0 || start + k >= n)
        return 0;
    if (!(digits && k <= (start ? 3u : 9u)) &&
        !(letters && (k == 1 || roman_value(t + start, k) > 0)))
        return 0;
    if (start) {
        if (t[1 + k] != ')')
            return 0;
        li->len = k + 2;
    } else if (digits && t[k] == '.' && k + 1 < n &&
               is_digit((unsigned char)t[k + 1])) {
        /* "5.1.", "10.2.3.": a sub-paragraph, with its final dot (without
         * it, "1.5 million" would be a label). */
        size_t j = k, d;
        while (j + 1 < n && t[j] == '.' && is_digit((unsigned char)t[j + 1])) {
            for (d = 0; j + 1 + d < n && d < 4 &&
                        is_digit((unsigned char)t[j + 1 + d]);
                 d++)
                ;
            j += 1 + d;
        }
        if (j >= n || t[j] != '.' || (j + 1 < n && t[j + 1] != ' ') ||
            j + 1 > 24)
            return 0;
        li->len = j + 1;
    } else {
        if (t[k] != '.' && t[k] != ')')
            return 0;
        if (k + 1 < n && t[k + 1] != ' ')
            return 0;
        li->len = k + 1;
        if (digits) {
            size_t i;
            li->numeric = 1;
            for (i = 0; i < k; i++)
                li->num = li->num * 10 + (unsigned long)(t[i] - '0');
        }
    }
    li->skip = li->len;
    while (li->skip < n && t[li->skip] == ' ')
        li->skip++;
    if (li->numeric && !start) {
        /* "14. Februar 2012" is a German date, not paragraph 14. */
        char iso[11];
        size_t ds = 1;
        if (cm_doc_find_date(t, n < 64 ? n : 64, iso, &ds, NULL) && ds == 0) {
            memset(li, 0, sizeof *li);
            return 0;
        }
    }
    return 1;
}

/* The appendix words, in the languages of the corpus. */
int
cm_doci_starts_appendix(const char *t, size_t n)
{
    static const char *const words[] = {
        "appendix", "appendices", "annex",    "annexes",  "annexe",
        "bijlage",  "bijlagen",   "anhang",   "anlage",   "anexo",
        "anexos",   "allegato",   "allegati", "appendice", "appendici",
        "aneks",    "bilaga",     "bilag",    "vedlegg",  "liite"};
    size_t i, w, k;

    for (k = 0; k < n && is_alpha((unsigned char)t[k]); k++)
        ;
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        w = strlen(words[i]);
        if (w == k && strncasecmp(t, words[i], w) == 0)
            return 1;
    }
    return 0;
}

/* ---- the document under construction -------------------------------- */

char *
cm_doci_xstrdup(cm_doci_builder *b, const char *s, size_t n)
{
    char *p = cm_doci_dup(s, n);
    if (p == NULL)
        b->st = CM_ENOMEM;
    return p;
}

void
cm_doci_set_title(cm_doci_builder *b, const char *t, size_t n)
{
    char *title = cm_doci_xstrdup(b, t, n);

    if (title != NULL) {
        free(b->doc->title);
        b->doc->title = title;
    }
}

void
cm_doci_set_meta_title(cm_doci_builder *b, const char *t, size_t n)
{
    cm_doci_acc a;
    size_t i, run;

    memset(&a, 0, sizeof a);
    for (i = 0; i < n; i = run) {
        for (run = i; run < n && (unsigned char)t[run] >= 32; run++)
            ;
        cm_doci_acc_text(&a, t + i, run - i);
        if (run < n) {
            cm_doci_acc_space(&a);
            run++;
        }
    }
    if (a.oom)
        b->st = CM_ENOMEM;
    else if (a.b.len > 0)
        cm_doci_set_title(b, a.b.data, a.b.len);
    free(a.b.data);
}

int
cm_doci_note(cm_doci_builder *b, cm_doci_notes *z, int have_num,
             unsigned long num, const char *t, size_t n, size_t skip)
{
    char lab[32];

    if (z->on && have_num && !(z->last_num > 0 && num == z->last_num + 1)) {
        if (skip >= n)
            skip = 0;
        snprintf(lab, sizeof lab, "%lu", num);
        cm_doci_add_para(b, lab, strlen(lab), CM_SECT_FOOTNOTE, t + skip,
                         n - skip);
        return 1;
    }
    z->on = 0;
    if (have_num)
        z->last_num = num;
    return 0;
}

void
cm_doci_add_heading(cm_doci_builder *b, int level, const char *t, size_t n)
{
    int app = cm_doci_starts_appendix(t, n);

    cm_doci_hs_pop(b, level);
    cm_doci_add_para(b, "", 0, CM_SECT_HEADING, t, n);
    cm_doci_hs_push(b, level, t, n, app, 0);
    if (level <= 2 && b->doc->title[0] == '\0' && b->st == CM_OK)
        cm_doci_set_title(b, t, n);
}

static void
path_rebuild(cm_doci_builder *b)
{
    int i;

    cm_buf_reset(&b->path);
    cm_buf_add(&b->st, &b->path, "", 0);
    for (i = 0; i < b->nh; i++) {
        if (i > 0)
            cm_buf_adds(&b->st, &b->path, CM_DOCI_PATH_SEP);
        cm_buf_adds(&b->st, &b->path, b->hs[i].text);
    }
}

void
cm_doci_hs_pop(cm_doci_builder *b, int level)
{
    int changed = 0;

    while (b->nh > 0 && b->hs[b->nh - 1].level >= level) {
        free(b->hs[--b->nh].text);
        changed = 1;
    }
    if (changed)
        path_rebuild(b);
}

void
cm_doci_hs_push(cm_doci_builder *b, int level, const char *text, size_t len,
                int appendix, int pseudo)
{
    char *t;

    cm_doci_hs_pop(b, level);
    if (b->nh >= CM_DOCI_HMAX)
        return; /* cannot happen: levels are 1..7 and strictly increase */
    t = cm_doci_xstrdup(b, text, len);
    if (t == NULL)
        return;
    b->hs[b->nh].level = level;
    b->hs[b->nh].appendix = appendix;
    b->hs[b->nh].pseudo = pseudo;
    b->hs[b->nh].text = t;
    b->nh++;
    path_rebuild(b);
}

int
cm_doci_in_appendix(const cm_doci_builder *b)
{
    int i;

    for (i = 0; i < b->nh; i++)
        if (b->hs[i].appendix)
            return 1;
    return 0;
}

void
cm_doci_add_word_para(cm_doci_builder *b, int level, const char *label,
                      const char *t, size_t n)
{
    if (level > 0)
        cm_doci_add_heading(b, level, t, n);
    else if (label[0] != '\0')
        cm_doci_add_para(b, label, strlen(label), cm_doci_body_sect(b), t,
                         n);
    else
        cm_doci_add_labelled(b, t, n, cm_doci_body_sect(b));
}

void
cm_doci_note_take(cm_doci_builder *b, cm_doci_note_list *l, cm_doci_acc *a)
{
    if (a->oom || cm_grow((void **)&l->v, &l->cap, l->n, sizeof *l->v) !=
                      CM_OK) {
        free(a->b.data);
        memset(a, 0, sizeof *a);
        b->st = CM_ENOMEM;
        return;
    }
    l->v[l->n].text = a->b.data;
    l->v[l->n++].len = a->b.len;
    memset(a, 0, sizeof *a);
}

void
cm_doci_note_move(cm_doci_builder *b, cm_doci_note_list *to,
                  cm_doci_note_list *from, size_t i)
{
    cm_doci_acc a;

    memset(&a, 0, sizeof a);
    if (i < from->n) {
        a.b.data = from->v[i].text;
        a.b.len = from->v[i].len;
        from->v[i].text = NULL;
        from->v[i].len = 0;
    }
    cm_doci_note_take(b, to, &a);
}

void
cm_doci_note_flush(cm_doci_builder *b, cm_doci_note_list *l)
{
    size_t k;
    char lab[24];

    for (k = 0; k < l->n && b->st == CM_OK; k++)
        if (l->v[k].len > 0) {
            snprintf(lab, sizeof lab, "%zu", k + 1);
            cm_doci_add_para(b, lab, strlen(lab), CM_SECT_FOOTNOTE,
                             l->v[k].text, l->v[k].len);
        }
    for (k = 0; k < l->n; k++)
        free(l->v[k].text);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void
cm_doci_field_word_add(cm_doci_field_word *f, unsigned long c)
{
    if (f->done)
        return;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0) {
        f->done = f->n > 0;
        return;
    }
    if ((size_t)f->n + 1 < sizeof f->w && c < 0x80)
        f->w[f->n++] = (char)lower((unsigned char)c);
    else
        f->done = 1; /* longer than any verb we look for */
}

int
cm_doci_field_word_is_toc(const cm_doci_field_word *f)
{
    static const char *const verbs[] = {"toc", "index", "toa"};
    size_t i;

    for (i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (f->n == strlen(verbs[i]) && memcmp(f->w, verbs[i], f->n) == 0)
            return 1;
    return 0;
}

cm_section
cm_doci_body_sect(const cm_doci_builder *b)
{
    return cm_doci_in_appendix(b) ? CM_SECT_APPENDIX : CM_SECT_BODY;
}

size_t
cm_doci_utf16_unit(unsigned *hi, unsigned c, unsigned long out[2])
{
    size_t n = 0;

    if (*hi != 0) {
        unsigned h = *hi;
        *hi = 0;
        if (c >= 0xDC00 && c <= 0xDFFF) {
            out[0] = 0x10000UL + ((unsigned long)(h - 0xD800) << 10) +
                     (c - 0xDC00);
            return 1;
        }
        out[n++] = 0xFFFD;
    }
    if (c >= 0xD800 && c <= 0xDBFF)
        *hi = c;
    else
        out[n++] = c >= 0xDC00 && c <= 0xDFFF ? 0xFFFD : c;
    return n;
}

void
cm_doci_acc_join(cm_doci_acc *to, cm_doci_acc *a, const char *sep)
{
    if (a->oom)
        to->oom = 1;
    if (a->b.len > 0) {
        if (to->b.len > 0)
            cm_doci_acc_text(to, sep, strlen(sep));
        cm_doci_acc_text(to, a->b.data, a->b.len);
    }
    cm_doci_acc_reset(a);
}

int
cm_doci_acc_drop_blank(cm_doci_acc *a, size_t mark)
{
    size_t i;

    if (mark > a->b.len)
        return 0; /* the text was taken since (a note in the cell) */
    for (i = mark; i < a->b.len; i++)
        if (a->b.data[i] != ' ' && a->b.data[i] != '|' &&
            a->b.data[i] != '-')
            return 0;
    a->b.len = mark;
    if (a->b.data != NULL)
        a->b.data[mark] = '\0';
    a->space = 0;
    return 1;
}

/* The footnote marks seen in the paragraph become its first references,
 * "fn-N" (cm_doc.h, "References"). */
static void
add_marks(cm_doci_builder *b, cm_para *p)
{
    char key[32];
    size_t i, j;

    if (b->n_marks == 0 || b->st != CM_OK)
        goto out;
    p->refs = calloc(b->n_marks, sizeof *p->refs);
    if (p->refs == NULL) {
        b->st = CM_ENOMEM;
        goto out;
    }
    for (i = 0; i < b->n_marks; i++) {
        for (j = 0; j < i; j++)
            if (b->marks[j] == b->marks[i])
                break;
        if (j < i)
            continue; /* the same note marked twice */
        snprintf(key, sizeof key, "fn-%lu", b->marks[i]);
        p->refs[p->n_refs] = cm_doci_xstrdup(b, key, strlen(key));
        if (p->refs[p->n_refs] == NULL)
            break;
        p->n_refs++;
    }
out:
    b->n_marks = 0;
}

void
cm_doci_add_para(cm_doci_builder *b, const char *label, size_t label_len,
                 cm_section sect, const char *text, size_t text_len)
{
    cm_doc *d = b->doc;
    cm_para *p;

    if (b->st != CM_OK)
        return;
    if (d->n_paras == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        cm_para *np = cap > SIZE_MAX / sizeof *np
                          ? NULL
                          : realloc(d->paras, cap * sizeof *np);
        if (np == NULL) {
            b->st = CM_ENOMEM;
            return;
        }
        d->paras = np;
        b->cap = cap;
    }
    p = &d->paras[d->n_paras];
    memset(p, 0, sizeof *p);
    p->ordinal = (unsigned)(d->n_paras + 1);
    p->section = sect;
    p->label = cm_doci_xstrdup(b, label, label_len);
    p->heading =
        cm_doci_xstrdup(b, b->path.data ? b->path.data : "", b->path.len);
    p->lang = cm_doci_xstrdup(b, "", 0);
    p->text = cm_doci_xstrdup(b, text, text_len);
    p->text_len = text_len;
    /* Count it even when half built, so cm_doc_free() frees the parts. */
    d->n_paras++;
    add_marks(b, p);
}

void
cm_doci_format_number(long v, const char *fmt, char *out, size_t cap)
{
    static const char *const r_sym[] = {"m", "cm", "d", "cd", "c", "xc",
                                        "l", "xl", "x", "ix", "v", "iv",
                                        "i"};
    static const int r_val[] = {1000, 900, 500, 400, 100, 90, 50,
                                40,   10,  9,   5,   4,   1};
    int upper = strncmp(fmt, "upper", 5) == 0;
    size_t n = 0, i;

    out[0] = '\0';
    if (strcmp(fmt, "lowerLetter") == 0 || strcmp(fmt, "upperLetter") == 0) {
        /* a..z, then aa..zz (Word repeats the letter) */
        long reps = v > 0 ? (v - 1) / 26 + 1 : 1;
        char c = (char)((upper ? 'A' : 'a') + (v > 0 ? (v - 1) % 26 : 0));
        for (i = 0; (long)i < reps && n + 1 < cap && i < 8; i++)
            out[n++] = c;
        out[n] = '\0';
    } else if ((strcmp(fmt, "lowerRoman") == 0 ||
                strcmp(fmt, "upperRoman") == 0) && v > 0 && v < 4000) {
        for (i = 0; i < sizeof r_val / sizeof r_val[0]; i++)
            while (v >= r_val[i] && n + strlen(r_sym[i]) + 1 < cap) {
                size_t k;
                for (k = 0; r_sym[i][k]; k++)
                    out[n++] = upper ? (char)(r_sym[i][k] - 'a' + 'A')
                                     : r_sym[i][k];
                v -= r_val[i];
            }
        out[n] = '\0';
    } else
        snprintf(out, cap, "%ld", v);
}

/* Add a body-like paragraph whose label comes from its text: the label is
 * taken out of the text unless nothing would be left. */
void
cm_doci_add_labelled(cm_doci_builder *b, const char *t, size_t n,
                     cm_section sect)
{
    cm_doci_label li;

    if (cm_doci_detect_label(t, n, &li) && li.skip < n)
        cm_doci_add_para(b, t, li.len, sect, t + li.skip, n - li.skip);
    else if (li.len > 0)
        cm_doci_add_para(b, t, li.len, sect, t, n);
    else
        cm_doci_add_para(b, "", 0, sect, t, n);
}

static void
free_para(cm_para *p)
{
    size_t i;

    free(p->label);
    free(p->heading);
    free(p->lang);
    free(p->text);
    for (i = 0; i < p->n_refs; i++)
        free(p->refs[i]);
    free(p->refs);
}

void
cm_doc_free(cm_doc *doc)
{
    size_t i;

    if (doc == NULL)
        return;
    for (i = 0; i < doc->n_paras; i++)
        free_para(&doc->paras[i]);
    free(doc->paras);
    free(doc->path);
    free(doc->number);
    free(doc->type);
    free(doc->title);
    free(doc->date);
    free(doc->lang);
    for (i = 0; i < doc->n_langs; i++)
        free(doc->langs[i]);
    free(doc->langs);
    free(doc);
}

static cm_doc *
doc_new(const char *path)
{
    cm_doc *d = calloc(1, sizeof *d);

    if (d == NULL)
        return NULL;
    d->path = cm_doci_dup(path ? path : "", path ? strlen(path) : 0);
    d->number = cm_doci_dup("", 0);
    d->type = cm_doci_dup("", 0);
    d->title = cm_doci_dup("", 0);
    d->date = cm_doci_dup("", 0);
    d->lang = cm_doci_dup("", 0);
    if (!d->path || !d->number || !d->type || !d->title || !d->date ||
        !d->lang) {
        cm_doc_free(d);
        return NULL;
    }
    return d;
}

/* ---- entry point ---------------------------------------------------- */

static cm_status
split(cm_doc *d, const char *text, size_t len, cm_format fmt, char **errmsg)
{
    cm_doci_builder b;
    int i;

    memset(&b, 0, sizeof b);
    b.doc = d;
    if (fmt == CM_FMT_MARKDOWN)
        cm_doci_parse_markdown(&b, text, len);
    else if (fmt == CM_FMT_HTML)
        cm_doci_parse_html(&b, text, len);
    else if (fmt == CM_FMT_PDF)
        cm_doci_parse_pdf(&b, text, len);
    else if (fmt == CM_FMT_DOCX)
        cm_doci_parse_docx(&b, text, len);
    else if (fmt == CM_FMT_DOC)
        cm_doci_parse_doc(&b, text, len);
    else if (fmt == CM_FMT_ODT)
        cm_doci_parse_odt(&b, text, len);
    else if (fmt == CM_FMT_FODT)
        cm_doci_parse_fodt(&b, text, len);
    else if (fmt == CM_FMT_RTF)
        cm_doci_parse_rtf(&b, text, len);
    else
        cm_doci_parse_text(&b, text, len);
    for (i = 0; i < b.nh; i++)
        free(b.hs[i].text);
    cm_buf_free(&b.path);
    if (b.st != CM_OK && b.err[0] != '\0')
        cm_doci_set_err(errmsg, "%s", b.err);
    return b.st;
}

cm_status
cm_doc_parse_opts(const char *path, const char *text, size_t text_len,
                  const cm_doc_opts *opts, cm_doc **out, char **errmsg)
{
    cm_doc_opts dflt = {CM_FMT_AUTO, NULL, NULL, 0};
    cm_lang *id = NULL;
    cm_doc *d = NULL;
    cm_format fmt;
    cm_status st;

    if (errmsg != NULL)
        *errmsg = NULL;
    if (out != NULL)
        *out = NULL;
    if (opts == NULL)
        opts = &dflt;
    if (out == NULL || (text == NULL && text_len > 0)) {
        cm_doci_set_err(errmsg, "no text or no place for the document");
        return CM_EINVAL;
    }
    if (opts->lang != NULL &&
        !cm_lang_code_ok(opts->lang, strlen(opts->lang))) {
        cm_doci_set_err(errmsg, "invalid language code '%s'", opts->lang);
        return CM_EINVAL;
    }
    if (text == NULL)
        text = "";
    fmt = opts->fmt == CM_FMT_AUTO ? cm_doc_format_of(path) : opts->fmt;
    if (fmt == CM_FMT_MARKDOWN && text_len >= (size_t)UINT_MAX) {
        cm_doci_set_err(errmsg, "document too large for the markdown parser");
        return CM_EPARSE;
    }
    if (opts->lang == NULL && !opts->no_lang) {
        id = opts->langid;
        if (id == NULL) {
            st = cm_lang_thread(&id, errmsg);
            if (st != CM_OK)
                return st;
        }
    }
    d = doc_new(path);
    if (d == NULL) {
        cm_doci_set_err(errmsg, "out of memory");
        return CM_ENOMEM;
    }
    st = split(d, text, text_len, fmt, errmsg);
    if (st == CM_OK)
        st = cm_doci_meta(d, fmt);
    if (st == CM_OK)
        st = cm_doci_refs(d);
    if (st == CM_OK && (id != NULL || opts->lang != NULL))
        st = cm_doci_langs(d, id, opts->lang);
    if (st != CM_OK) {
        cm_doc_free(d);
        if (errmsg != NULL && *errmsg == NULL)
            cm_doci_set_err(errmsg, "%s", cm_status_str(st));
        return st;
    }
    *out = d;
    return CM_OK;
}

cm_status
cm_doc_parse(const char *path, const char *text, size_t text_len,
             cm_format fmt, cm_doc **out, char **errmsg)
{
    cm_doc_opts opts = {fmt, NULL, NULL, 0};

    return cm_doc_parse_opts(path, text, text_len, &opts, out, errmsg);
}
