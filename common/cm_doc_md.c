/* cm_doc_md.c: the markdown splitter, on md4c.
 *
 * md4c calls back for each block, span and run of text; this file turns
 * them into paragraphs (cm_doc.h, "Paragraphs", "Labels", "Sections").
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "cm_doc_int.h"

/* ---- HTML entities -------------------------------------------------- */

/* HTML 4 Latin-1 entity names, U+00A0 to U+00FF in order. */
static const char *const latin1_names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar",
    "sect",   "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",
    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",
    "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",
    "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",
    "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute",
    "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",
    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",
    "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute",
    "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave", "uacute",
    "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

static const struct {
    const char *name;
    unsigned cp;
} other_entities[] = {
    {"quot", 34},     {"amp", 38},      {"apos", 39},    {"lt", 60},
    {"gt", 62},       {"OElig", 338},   {"oelig", 339},  {"Scaron", 352},
    {"scaron", 353},  {"Yuml", 376},    {"ensp", 8194},  {"emsp", 8195},
    {"thinsp", 8201}, {"zwnj", 8204},   {"zwj", 8205},   {"lrm", 8206},
    {"rlm", 8207},    {"ndash", 8211},  {"mdash", 8212}, {"lsquo", 8216},
    {"rsquo", 8217},  {"sbquo", 8218},  {"ldquo", 8220}, {"rdquo", 8221},
    {"bdquo", 8222},  {"dagger", 8224}, {"Dagger", 8225}, {"bull", 8226},
    {"hellip", 8230}, {"permil", 8240}, {"lsaquo", 8249}, {"rsaquo", 8250},
    {"euro", 8364},   {"trade", 8482},  {"minus", 8722},
};

/* The code point of entity s ("&amp;", "&#39;", "&#x2019;"), or 0 when
 * it is not one we know (the reader then sees it as written). */
static unsigned long
entity_cp(const char *s, size_t n)
{
    size_t i, k;
    unsigned long cp = 0;

    if (n < 3 || s[0] != '&' || s[n - 1] != ';')
        return 0;
    s++;
    n -= 2;
    if (s[0] == '#') {
        int hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
        i = hex ? 2 : 1;
        if (i >= n || n - i > 8)
            return 0;
        for (; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            int v = is_digit(c) ? c - '0'
                    : hex && lower(c) >= 'a' && lower(c) <= 'f'
                        ? lower(c) - 'a' + 10
                        : -1;
            if (v < 0)
                return 0;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
        }
        /* cm_doci_utf8_put() turns the invalid ones into U+FFFD */
        return cp == 0 || cp > 0x10FFFF ? 0xFFFD : cp;
    }
    for (k = 0; k < 96; k++)
        if (strlen(latin1_names[k]) == n &&
            memcmp(latin1_names[k], s, n) == 0)
            return 0xA0 + k;
    for (k = 0; k < sizeof other_entities / sizeof other_entities[0]; k++)
        if (strlen(other_entities[k].name) == n &&
            memcmp(other_entities[k].name, s, n) == 0)
            return other_entities[k].cp;
    return 0;
}

/* ---- markdown ------------------------------------------------------- */

typedef enum { K_PLAIN, K_HEADING, K_ITEM, K_OLITEM, K_ROW } para_kind;

typedef struct {
    int ordered;
    unsigned next;
    char delim;
} list_state;

typedef struct {
    cm_doci_builder *b;
    cm_doci_acc cur;
    int open; /* cur holds a paragraph that is not yet added */
    para_kind kind;
    int h_level;
    unsigned ol_num;
    char ol_delim;
    int num_checked; /* ol_num was compared with the source */
    int strong;    /* depth of ** spans */
    int has_plain; /* visible text outside ** spans */
    int sup;       /* depth of <sup> tags: their text is dropped */
    unsigned long sup_num; /* the number written in the <sup>, if any */
    int sup_digits, sup_other;
    int html_block;
    size_t cell_mark;
    list_state *lists;
    size_t n_lists, cap_lists;
    const char *src; /* the markdown source */
    size_t src_len;
    cm_doci_notes notes;    /* the zone after a thematic break */
} mdctx;

static void
md_start(mdctx *m, para_kind kind)
{
    cm_doci_acc_reset(&m->cur);
    m->open = 1;
    m->kind = kind;
    m->strong = 0;
    m->has_plain = 0;
    m->sup = 0;
    m->b->n_marks = 0;
}

static void
md_heading(mdctx *m, const char *t, size_t n)
{
    cm_doci_builder *b = m->b;

    /* "####- Right to life": the dash only separates the hashes. */
    if (n > 2 && t[0] == '-' && t[1] == ' ') {
        t += 2;
        n -= 2;
    }
    cm_doci_add_heading(b, m->h_level, t, n);
    m->notes.on = 0;
}

/* A paragraph set entirely in bold that starts with an appendix word
 * stands for a heading one level below the current one. */
static void
md_pseudo_heading(mdctx *m, const char *t, size_t n)
{
    cm_doci_builder *b = m->b;
    int level = 1;

    if (b->nh > 0) {
        cm_doci_heading *top = &b->hs[b->nh - 1];
        level = top->pseudo ? top->level : top->level + 1;
    }
    if (level > CM_DOCI_PSEUDO_MAX_LEVEL)
        level = CM_DOCI_PSEUDO_MAX_LEVEL;
    cm_doci_hs_pop(b, level);
    cm_doci_add_para(b, "", 0, CM_SECT_HEADING, t, n);
    cm_doci_hs_push(b, level, t, n, 1, 1);
    m->notes.on = 0;
}

/* Footnotes: after a thematic break, a numbered paragraph is a footnote
 * unless its number continues the document's own numbering (a page break
 * in the middle of the body leaves the footnotes of the page between
 * paragraph 6 and paragraph 7).  The first paragraph that is not a
 * footnote ends the zone. */
/* "11. Februar 2015" on a line of its own is an ordered list to
 * CommonMark and a German date to a reader: it becomes a paragraph with
 * its number put back. */
static int
ol_is_date(mdctx *m, const char *t, size_t n)
{
    char buf[64], iso[11];
    size_t ds = 1, de = 0;
    int k;

    k = snprintf(buf, sizeof buf, "%u%c %.*s", m->ol_num, m->ol_delim,
                 (int)n, t);
    if (k <= 0 || (size_t)k >= sizeof buf ||
        !cm_doc_find_date(buf, (size_t)k, iso, &ds, &de) || ds != 0 ||
        de + 2 < (size_t)k)
        return 0;
    cm_doci_add_para(m->b, "", 0,
                     cm_doci_in_appendix(m->b) ? CM_SECT_APPENDIX
                                               : CM_SECT_BODY,
                     buf, (size_t)k);
    return 1;
}

static void
md_body(mdctx *m, const char *t, size_t n)
{
    cm_doci_builder *b = m->b;
    cm_section sect =
        cm_doci_body_sect(b);
    cm_doci_label li;
    char lab[32];
    int have_num = 0;
    unsigned long num = 0;

    memset(&li, 0, sizeof li);
    if (m->kind == K_OLITEM && n < 40 && ol_is_date(m, t, n))
        return;
    if (m->kind == K_OLITEM) {
        have_num = 1;
        num = m->ol_num;
    } else if (m->kind != K_ROW && cm_doci_detect_label(t, n, &li) &&
               li.numeric) {
        have_num = 1;
        num = li.num;
    }
    if (cm_doci_note(b, &m->notes, have_num, num, t, n,
                     m->kind == K_OLITEM ? 0 : li.skip))
        return;
    if (m->kind == K_OLITEM) {
        snprintf(lab, sizeof lab, "%u%c", m->ol_num, m->ol_delim);
        cm_doci_add_para(b, lab, strlen(lab), sect, t, n);
    } else if (m->kind == K_ROW)
        cm_doci_add_para(b, "", 0, sect, t, n);
    else
        cm_doci_add_labelled(b, t, n, sect);
}

/* Add the paragraph being collected, if any. */
static void
md_flush(mdctx *m)
{
    const char *t = m->cur.b.data;
    size_t n = m->cur.b.len;

    if (!m->open)
        return;
    m->open = 0;
    if (m->cur.oom)
        m->b->st = CM_ENOMEM;
    if (n == 0 || m->b->st != CM_OK) {
        m->b->n_marks = 0;
        return;
    }
    if (m->kind == K_HEADING)
        md_heading(m, t, n);
    else if (m->kind == K_PLAIN && !m->has_plain &&
             cm_doci_starts_appendix(t, n))
        md_pseudo_heading(m, t, n);
    else
        md_body(m, t, n);
}

static int
is_item(const mdctx *m)
{
    return m->open && (m->kind == K_ITEM || m->kind == K_OLITEM);
}

static int
md_push_list(mdctx *m, int ordered, const MD_BLOCK_OL_DETAIL *ol)
{
    list_state *l;

    if (m->n_lists == m->cap_lists) {
        size_t cap = m->cap_lists ? m->cap_lists * 2 : 8;
        l = realloc(m->lists, cap * sizeof *l);
        if (l == NULL) {
            m->b->st = CM_ENOMEM;
            return -1;
        }
        m->lists = l;
        m->cap_lists = cap;
    }
    l = &m->lists[m->n_lists++];
    l->ordered = ordered;
    l->next = ordered ? ol->start : 0;
    l->delim = ordered ? ol->mark_delimiter : 0;
    return 0;
}

static void
md_enter_item(mdctx *m)
{
    list_state *l = m->n_lists ? &m->lists[m->n_lists - 1] : NULL;

    md_flush(m);
    if (l != NULL && l->ordered) {
        md_start(m, K_OLITEM);
        m->ol_num = l->next++;
        m->ol_delim = l->delim == ')' ? ')' : '.';
        m->num_checked = 0;
    } else
        md_start(m, K_ITEM);
}

static int
md_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    switch (type) {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        md_flush(m);
        if (md_push_list(m, type == MD_BLOCK_OL, detail) != 0)
            return -1;
        break;
    case MD_BLOCK_LI:
        md_enter_item(m);
        break;
    case MD_BLOCK_HR:
        md_flush(m);
        m->notes.on = 1;
        break;
    case MD_BLOCK_H:
        md_flush(m);
        md_start(m, K_HEADING);
        m->h_level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
        /* The paragraphs of one list item make one cm_para. */
        if (is_item(m))
            cm_doci_acc_space(&m->cur);
        else {
            md_flush(m);
            md_start(m, K_PLAIN);
        }
        break;
    case MD_BLOCK_HTML:
        /* Not produced with MD_FLAG_NOHTMLBLOCKS; ignored if it were. */
        md_flush(m);
        m->html_block = 1;
        break;
    case MD_BLOCK_TR:
        md_flush(m);
        md_start(m, K_ROW);
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        m->cell_mark = m->cur.b.len;
        if (m->cur.b.len > 0)
            cm_doci_acc_text(&m->cur, " | ", 3);
        break;
    default: /* DOC, QUOTE, TABLE, THEAD, TBODY */
        md_flush(m);
        break;
    }
    return m->b->st == CM_OK ? 0 : -1;
}

/* Drop a table cell that is empty or only dashes: converted tables write
 * "---" for an empty cell. */
static void
md_end_cell(mdctx *m)
{
    (void)cm_doci_acc_drop_blank(&m->cur, m->cell_mark);
}

static int
md_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    (void)detail;
    switch (type) {
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
        if (!is_item(m))
            md_flush(m);
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        md_flush(m);
        if (m->n_lists > 0)
            m->n_lists--;
        break;
    case MD_BLOCK_HTML:
        m->html_block = 0;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        md_end_cell(m);
        break;
    default:
        md_flush(m);
        break;
    }
    return m->b->st == CM_OK ? 0 : -1;
}

static int
md_enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    (void)detail;
    if (type == MD_SPAN_STRONG)
        m->strong++;
    return 0;
}

static int
md_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    (void)detail;
    if (type == MD_SPAN_STRONG && m->strong > 0)
        m->strong--;
    return 0;
}

static int
tag_is(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);

    return n > k && strncasecmp(s, name, k) == 0 &&
           (s[k] == '>' || s[k] == '/' || is_ws((unsigned char)s[k]));
}

/* A <sup> that held only a number is a footnote mark: the paragraph
 * remembers it (cm_doc.h, "References"). */
static void
md_mark(mdctx *m)
{
    cm_doci_builder *b = m->b;

    if (m->sup_digits == 0 || m->sup_other ||
        b->n_marks >= CM_DOCI_MAX_MARKS)
        return;
    b->marks[b->n_marks++] = m->sup_num;
}

static void
md_sup_text(mdctx *m, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (is_digit((unsigned char)s[i]) && m->sup_digits < 6) {
            m->sup_num = m->sup_num * 10 + (unsigned long)(s[i] - '0');
            m->sup_digits++;
        } else if (!is_ws((unsigned char)s[i]))
            m->sup_other = 1;
    }
}

/* Inline HTML is dropped, but <sup> hides its text (footnote marks) and a
 * few tags separate words. */
static void
md_html(mdctx *m, const char *s, size_t n)
{
    if (tag_is(s, n, "<sup")) {
        if (m->sup++ == 0)
            m->sup_num = 0, m->sup_digits = m->sup_other = 0;
    } else if (tag_is(s, n, "</sup") && m->sup > 0) {
        if (--m->sup == 0)
            md_mark(m);
    } else if (tag_is(s, n, "<br") || tag_is(s, n, "<p") ||
             tag_is(s, n, "</p") || tag_is(s, n, "<div") ||
             tag_is(s, n, "</div") || tag_is(s, n, "<td") ||
             tag_is(s, n, "<li"))
        cm_doci_acc_space(&m->cur);
}

static void
md_visible(mdctx *m, const char *s, size_t n)
{
    size_t before = m->cur.b.len;

    cm_doci_acc_text(&m->cur, s, n);
    if (m->strong == 0 && m->cur.b.len != before)
        m->has_plain = 1;
}

/* md4c numbers the items of an ordered list from its start, but CommonMark
 * puts "1. footnote", blank lines, "7. body" into one list, and the label
 * as printed is 7.  md4c hands text as pointers into the source, so the
 * item's marker is found just before its first text on the same line,
 * past any opening emphasis or link; when it is not there (the text
 * starts on the next line), the count stands. */
static void
md_source_number(mdctx *m, const char *s)
{
    uintptr_t lo = (uintptr_t)m->src, p = (uintptr_t)s;
    const char *q, *d, *ls;
    unsigned long v = 0;

    m->num_checked = 1;
    if (p <= lo || p > lo + m->src_len)
        return;
    q = s;
    ls = m->src;
    while (q > ls && strchr(" \t*_[`~", q[-1]) != NULL && q[-1] != '\0')
        q--;
    if (q == ls || (q[-1] != '.' && q[-1] != ')'))
        return;
    d = --q;
    while (q > ls && is_digit((unsigned char)q[-1]) && d - q < 9)
        q--;
    if (q == d || (q > ls && q[-1] != ' ' && q[-1] != '\t' &&
                   q[-1] != '>' && q[-1] != '\n'))
        return;
    for (; q < d; q++)
        v = v * 10 + (unsigned long)(*q - '0');
    m->ol_num = (unsigned)v;
    m->ol_delim = *d;
    if (m->n_lists > 0)
        m->lists[m->n_lists - 1].next = m->ol_num + 1;
}

static int
md_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *userdata)
{
    mdctx *m = userdata;
    char u[4];
    unsigned long cp;

    if (m->html_block)
        return 0;
    if ((uintptr_t)s >= (uintptr_t)m->src &&
        (uintptr_t)s <= (uintptr_t)m->src + m->src_len &&
        size > m->src_len - (size_t)(s - m->src))
        size = (MD_SIZE)(m->src_len - (size_t)(s - m->src)); /* see md_copy */
    if (!m->open)
        md_start(m, K_PLAIN); /* text after a nested list in a tight item */
    if (m->kind == K_OLITEM && !m->num_checked)
        md_source_number(m, s);
    if (type == MD_TEXT_HTML) {
        md_html(m, s, size);
        return 0;
    }
    if (m->sup > 0) {
        if (type == MD_TEXT_NORMAL)
            md_sup_text(m, s, size);
        else if (type != MD_TEXT_SOFTBR)
            m->sup_other = 1;
        return 0;
    }
    switch (type) {
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
        cm_doci_acc_space(&m->cur);
        break;
    case MD_TEXT_NULLCHAR:
        md_visible(m, "\xef\xbf\xbd", 3);
        break;
    case MD_TEXT_ENTITY:
        cp = entity_cp(s, size);
        if (cp == 0xA0)
            cp = ' '; /* a no-break space reads as a space */
        if (cp == 0)
            md_visible(m, s, size);
        else
            md_visible(m, u, cm_doci_utf8_put(u, cp));
        break;
    default: /* NORMAL, CODE, LATEXMATH */
        md_visible(m, s, size);
        break;
    }
    return m->cur.oom ? -1 : 0;
}

/* md4c 0.4.8 reads past the end of its input in some unfinished
 * constructs at the very end ("[x](y" with no newline after it: the
 * fuzzer found it): depending on the byte after the buffer it crashes or
 * reports a text span reaching past the end.  With a final newline and
 * NUL bytes after it, it stays inside.  The caller's buffer need not be
 * NUL-terminated, so md4c gets a private copy; a memcpy is cheap next to
 * the parse. */
#define MD_PAD 8

static char *
md_copy(const char *text, size_t len, size_t *md_len)
{
    int nl = len > 0 && text[len - 1] == '\n';
    char *copy;

    if (len > SIZE_MAX - MD_PAD - 1)
        return NULL;
    copy = malloc(len + 1 + MD_PAD);
    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, text, len);
    *md_len = nl ? len : len + 1;
    copy[len] = '\n';
    memset(copy + len + 1, 0, MD_PAD);
    return copy;
}

void
cm_doci_parse_markdown(cm_doci_builder *b, const char *text, size_t len)
{
    mdctx m;
    MD_PARSER p;
    int rc;
    char *copy;

    memset(&m, 0, sizeof m);
    memset(&p, 0, sizeof p);
    copy = md_copy(text, len, &len);
    if (copy == NULL || len > (size_t)UINT_MAX) {
        b->st = copy == NULL ? CM_ENOMEM : CM_EPARSE;
        free(copy);
        return;
    }
    m.b = b;
    m.src = copy;
    m.src_len = len;
    p.abi_version = 0;
    /* NOHTMLBLOCKS: the treaties' first line "<meta ...>" would open an
     * HTML block; as inline HTML it is dropped and the text around tags
     * (<div>text</div>) is kept.  PERMISSIVEATXHEADERS: the treaties write
     * "##Title" and "####- Right to life" for headings; md4c applies it
     * only where a heading may start, never inside code blocks. */
    p.flags = MD_FLAG_NOHTMLBLOCKS | MD_FLAG_PERMISSIVEATXHEADERS |
              MD_FLAG_TABLES;
    p.enter_block = md_enter_block;
    p.leave_block = md_leave_block;
    p.enter_span = md_enter_span;
    p.leave_span = md_leave_span;
    p.text = md_text;
    rc = md_parse(copy, (MD_SIZE)len, &p, &m);
    md_flush(&m);
    if (m.cur.oom && b->st == CM_OK)
        b->st = CM_ENOMEM;
    if (rc != 0 && b->st == CM_OK)
        b->st = CM_EINTERNAL; /* md4c fails only when out of memory */
    free(m.cur.b.data);
    free(m.lists);
    free(copy);
}
