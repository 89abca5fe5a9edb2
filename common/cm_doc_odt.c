/* cm_doc_odt.c: the OpenDocument text splitter (.odt, and the flat .fodt),
 * on libzip and libxml2.
 *
 * An .odt is a zip of XML: content.xml holds the body and the automatic
 * styles, styles.xml the named ones, meta.xml the title; a .fodt is the
 * same in one XML file.  In the body, text:h is a heading of its outline
 * level; text:p a paragraph; a table row (table:table-row) one paragraph
 * of its cells joined by " | ", as in the other splitters.  A list's first
 * paragraph of each item gets the label its list style gives ("3.",
 * "3.1.", "a)", with its prefix, suffix and the levels it displays),
 * counted per list and level, deeper levels restarting, a list that
 * continues another (text:continue-numbering, text:continue-list) going on
 * from it; bullets have none.  A note (text:note) is a footnote mark,
 * numbered in order, and its body a footnote paragraph at the end.  Tables
 * of contents and indexes (copies of the headings), tracked deletions,
 * annotations, drawings (but a text box's paragraphs, joined to the
 * paragraph it is anchored in) and hidden text (a paragraph or span whose
 * style has text:display="none", a hidden section, a text:hidden-paragraph
 * field that hides its paragraph, text:hidden-text fields) and
 * placeholders' prompts (text:placeholder) are not read.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "cm_doc_int.h"

#define KIND "OpenDocument text"
#define MAX_DEPTH 200
#define LEVELS 10

#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"

/* ---- the XML ------------------------------------------------------- */

static int
is(const xmlNode *n, const char *ns, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->name != NULL &&
           strcmp((const char *)n->name, name) == 0 && n->ns != NULL &&
           n->ns->href != NULL && strcmp((const char *)n->ns->href, ns) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *ns, const char *name)
{
    const xmlNode *c;

    for (c = n ? n->children : NULL; c != NULL; c = c->next)
        if (is(c, ns, name))
            return c;
    return NULL;
}

/* The attribute ns:name of n, or NULL; xmlFree it. */
static xmlChar *
attr(const xmlNode *n, const char *ns, const char *name)
{
    return n ? xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns)
             : NULL;
}

static long
num_attr(const xmlNode *n, const char *ns, const char *name, long dflt)
{
    xmlChar *v = attr(n, ns, name);
    char *end;
    long x = dflt;

    if (v != NULL) {
        long y = strtol((const char *)v, &end, 10);
        if (end != (const char *)v && *end == '\0' && y >= 0 &&
            y <= 1000000)
            x = y;
        xmlFree(v);
    }
    return x;
}

/* ---- list styles --------------------------------------------------- */

typedef struct {
    char fmt[16];     /* "decimal", "lowerLetter"...; "" for none */
    char prefix[16], suffix[16];
    int display;      /* levels shown, this one and those above it */
    long start;
} level;

typedef struct {
    char *name;
    level lv[LEVELS];
    long count[LEVELS]; /* LONG_MIN: not counted yet */
} lstyle;

typedef struct {
    lstyle *v;
    size_t n, cap;
} lstyles;

static void
copy_attr(const xmlNode *n, const char *ns, const char *name, char *out,
          size_t cap)
{
    xmlChar *v = attr(n, ns, name);

    out[0] = '\0';
    if (v != NULL && strlen((const char *)v) < cap)
        memcpy(out, v, strlen((const char *)v) + 1);
    xmlFree(v);
}

/* The text:list-style elements under n. */
static void
read_list_styles(cm_doci_builder *b, const xmlNode *n, lstyles *ls)
{
    const xmlNode *s, *l;

    for (s = n ? n->children : NULL; s != NULL && b->st == CM_OK;
         s = s->next) {
        lstyle *st;
        xmlChar *name;
        int k;
        if (!is(s, NS_TEXT, "list-style"))
            continue;
        if (cm_grow((void **)&ls->v, &ls->cap, ls->n, sizeof *ls->v) !=
            CM_OK) {
            b->st = CM_ENOMEM;
            return;
        }
        st = &ls->v[ls->n];
        memset(st, 0, sizeof *st);
        name = attr(s, NS_STYLE, "name");
        st->name = name ? cm_doci_dup((const char *)name,
                                      strlen((const char *)name))
                        : NULL;
        xmlFree(name);
        if (st->name == NULL) {
            if (name != NULL)
                b->st = CM_ENOMEM;
            continue;
        }
        ls->n++;
        for (k = 0; k < LEVELS; k++)
            st->count[k] = LONG_MIN;
        for (l = s->children; l != NULL; l = l->next) {
            long lvn = num_attr(l, NS_TEXT, "level", 0);
            level *lv;
            char f[16];
            if (lvn < 1 || lvn > LEVELS)
                continue;
            lv = &st->lv[lvn - 1];
            lv->start = 1;
            lv->display = 1;
            if (!is(l, NS_TEXT, "list-level-style-number"))
                continue; /* a bullet, an image: no number */
            copy_attr(l, NS_STYLE, "num-format", f, sizeof f);
            snprintf(lv->fmt, sizeof lv->fmt, "%s",
                     strcmp(f, "1") == 0   ? "decimal"
                     : strcmp(f, "a") == 0 ? "lowerLetter"
                     : strcmp(f, "A") == 0 ? "upperLetter"
                     : strcmp(f, "i") == 0 ? "lowerRoman"
                     : strcmp(f, "I") == 0 ? "upperRoman"
                                           : "");
            copy_attr(l, NS_STYLE, "num-prefix", lv->prefix,
                      sizeof lv->prefix);
            copy_attr(l, NS_STYLE, "num-suffix", lv->suffix,
                      sizeof lv->suffix);
            lv->display = (int)num_attr(l, NS_TEXT, "display-levels", 1);
            if (lv->display < 1 || lv->display > LEVELS)
                lv->display = lv->display < 1 ? 1 : LEVELS;
            lv->start = num_attr(l, NS_TEXT, "start-value", 1);
        }
    }
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const lstyle *)a)->name, ((const lstyle *)b)->name);
}

/* The list style named name (the styles sorted by sort_list_styles()). */
static lstyle *
find_list_style(lstyles *ls, const char *name)
{
    lstyle key;

    if (name == NULL || ls->n == 0)
        return NULL;
    key.name = (char *)name;
    return bsearch(&key, ls->v, ls->n, sizeof *ls->v, by_name);
}

static void
sort_list_styles(lstyles *ls)
{
    if (ls->n > 1)
        qsort(ls->v, ls->n, sizeof *ls->v, by_name);
}

/* The label of the next item of list style st at level il (0-based),
 * counting it; "" when the level has no number. */
static void
list_label(lstyle *st, int il, long start_value, char *out, size_t cap)
{
    const level *lv;
    size_t n = 0;
    int k;

    out[0] = '\0';
    if (st == NULL || il < 0 || il >= LEVELS)
        return;
    lv = &st->lv[il];
    if (start_value >= 0)
        st->count[il] = start_value;
    else if (st->count[il] == LONG_MIN)
        st->count[il] = lv->start;
    else
        st->count[il]++;
    for (k = il + 1; k < LEVELS; k++)
        st->count[k] = LONG_MIN;
    if (lv->fmt[0] == '\0')
        return;
    n = (size_t)snprintf(out, cap, "%s", lv->prefix);
    for (k = il - lv->display + 1; k <= il; k++) {
        char num[24];
        long v;
        if (k < 0)
            continue;
        v = st->count[k] == LONG_MIN ? st->lv[k].start : st->count[k];
        cm_doci_format_number(v, st->lv[k].fmt[0] ? st->lv[k].fmt
                                                   : "decimal",
                              num, sizeof num);
        if (n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s%s",
                                  k > 0 && k > il - lv->display + 1 ? "."
                                                                    : "",
                                  num);
    }
    if (n < cap)
        n += (size_t)snprintf(out + n, cap - n, "%s", lv->suffix);
    if (n >= cap)
        n = cap - 1;
    /* A label is a word: "Article 1" has its own space, "(a)" none. */
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
}

/* ---- hidden text --------------------------------------------------- */

/* A paragraph or text style that says whether its text is shown
 * (style:text-properties text:display: "none" hides it, as LibreOffice's
 * "Hidden" character attribute writes; "true" or "condition" show it). */
typedef struct {
    char *name;
    char *parent;
    int para;    /* of the family paragraph, else text */
    int display; /* 0: hidden, 1: shown, -1: not said (its parent's) */
    size_t order; /* read in this order (the automatic styles last) */
} vstyle;

typedef struct {
    vstyle *v;
    size_t n, cap;
    int any; /* a style says whether its text is shown */
} vstyles;

static void
read_vstyles(cm_doci_builder *b, const xmlNode *n, vstyles *vs)
{
    const xmlNode *s;

    for (s = n ? n->children : NULL; s != NULL && b->st == CM_OK;
         s = s->next) {
        xmlChar *fam, *name, *disp;
        vstyle *v;
        if (!is(s, NS_STYLE, "style"))
            continue;
        fam = attr(s, NS_STYLE, "family");
        name = attr(s, NS_STYLE, "name");
        if (fam == NULL || name == NULL ||
            (strcmp((const char *)fam, "paragraph") != 0 &&
             strcmp((const char *)fam, "text") != 0)) {
            xmlFree(fam);
            xmlFree(name);
            continue;
        }
        if (cm_grow((void **)&vs->v, &vs->cap, vs->n, sizeof *vs->v) !=
            CM_OK) {
            xmlFree(fam);
            xmlFree(name);
            b->st = CM_ENOMEM;
            return;
        }
        v = &vs->v[vs->n];
        v->para = strcmp((const char *)fam, "paragraph") == 0;
        v->name = cm_doci_dup((const char *)name, strlen((const char *)name));
        xmlFree(fam);
        xmlFree(name);
        name = attr(s, NS_STYLE, "parent-style-name");
        v->parent = name ? cm_doci_dup((const char *)name,
                                       strlen((const char *)name))
                         : NULL;
        xmlFree(name);
        disp = attr(child(s, NS_STYLE, "text-properties"), NS_TEXT,
                    "display");
        v->display = disp == NULL ? -1
                     : strcmp((const char *)disp, "none") == 0 ? 0 : 1;
        vs->any |= v->display >= 0;
        v->order = vs->n;
        xmlFree(disp);
        if (v->name == NULL) {
            free(v->parent);
            b->st = CM_ENOMEM;
            return;
        }
        vs->n++;
    }
}

static int
by_family_name(const void *a, const void *b)
{
    const vstyle *x = a, *y = b;
    int c = x->para != y->para ? x->para - y->para : strcmp(x->name, y->name);
    return c != 0 ? c : x->order < y->order ? -1 : x->order > y->order;
}

/* Sorted by family and name, for vstyle_find(). */
static void
sort_vstyles(vstyles *vs)
{
    if (vs->n > 1)
        qsort(vs->v, vs->n, sizeof *vs->v, by_family_name);
}

/* The style name of the family (para) read last (an automatic style
 * before a named one of the same name), or NULL. */
static const vstyle *
vstyle_find(const vstyles *vs, const char *name, int para)
{
    size_t lo = 0, hi = vs->n;

    while (lo < hi) { /* the first entry after those <= (para, name) */
        size_t mid = lo + (hi - lo) / 2;
        const vstyle *v = &vs->v[mid];
        int c = v->para != para ? v->para - para : strcmp(v->name, name);
        if (c <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && vs->v[lo - 1].para == para &&
        strcmp(vs->v[lo - 1].name, name) == 0)
        return &vs->v[lo - 1];
    return NULL;
}

static void
vstyles_free(vstyles *vs)
{
    size_t i;
    for (i = 0; i < vs->n; i++) {
        free(vs->v[i].name);
        free(vs->v[i].parent);
    }
    free(vs->v);
}

/* Whether the text of the style name (of the paragraph family, or else
 * text) is shown: 1, 0, or -1 when neither it nor the styles it derives
 * from say. */
static int
vstyle_display(const vstyles *vs, const char *name, int para)
{
    int hops, d = -1;

    for (hops = 0; name != NULL && hops < 8 && d < 0; hops++) {
        const vstyle *v = vstyle_find(vs, name, para);
        if (v == NULL)
            break;
        d = v->display;
        name = v->parent;
    }
    return d;
}

/* ---- the body ------------------------------------------------------ */

typedef struct {
    cm_doci_builder *b;
    lstyles ls;
    vstyles vs;
    int hide; /* the text being read is hidden by its paragraph's style */
    cm_doci_note_list notes;
    cm_doci_acc cur;
} octx;

/* Whether element n (a paragraph, heading or span) shows its text by its
 * own style: 1, 0, -1 when its style does not say.  A paragraph with a
 * text:hidden-paragraph field that says it is hidden is. */
static int
shows(const octx *o, const xmlNode *n)
{
    int para = is(n, NS_TEXT, "p") || is(n, NS_TEXT, "h");
    xmlChar *name;
    int d;

    if (!para && !is(n, NS_TEXT, "span"))
        return -1;
    if (para) {
        const xmlNode *c;
        for (c = n->children; c != NULL; c = c->next)
            if (is(c, NS_TEXT, "hidden-paragraph")) {
                xmlChar *h = attr(c, NS_TEXT, "is-hidden");
                int hidden = h != NULL && strcmp((const char *)h, "true") == 0;
                xmlFree(h);
                if (hidden)
                    return 0;
            }
    }
    if (!o->vs.any)
        return -1;
    name = attr(n, NS_TEXT, "style-name");
    d = vstyle_display(&o->vs, (const char *)name, para);
    xmlFree(name);
    return d;
}

static void inline_text(octx *o, cm_doci_acc *a, const xmlNode *n, int depth,
                        int marks);

/* A note's body: its paragraphs' text, joined. */
static void
add_note(octx *o, const xmlNode *body, int depth)
{
    cm_doci_acc a;
    const xmlNode *p;

    memset(&a, 0, sizeof a);
    for (p = body ? body->children : NULL; p != NULL; p = p->next) {
        inline_text(o, &a, p, depth + 1, 0);
        cm_doci_acc_space(&a);
    }
    cm_doci_note_take(o->b, &o->notes, &a);
}

/* The text of n's children into a: spans, links, fields; spaces, tabs
 * and line breaks as a space; a note as its mark (when marks). */
static void
inline_text(octx *o, cm_doci_acc *a, const xmlNode *n, int depth, int marks)
{
    const xmlNode *c;

    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content != NULL && !o->hide)
            cm_doci_acc_text(a, (const char *)n->content,
                             strlen((const char *)n->content));
        return;
    }
    if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
        return;
    if (is(n, NS_TEXT, "s") || is(n, NS_TEXT, "tab") ||
        is(n, NS_TEXT, "line-break")) {
        cm_doci_acc_space(a);
        return;
    }
    if (is(n, NS_TEXT, "hidden-text") || is(n, NS_TEXT, "hidden-paragraph") ||
        is(n, NS_TEXT, "placeholder"))
        return; /* fields: the condition's text, no text, a prompt */
    if (o->hide && is(n, NS_TEXT, "note"))
        return;
    if (is(n, NS_TEXT, "note")) {
        if (marks && o->b->n_marks < CM_DOCI_MAX_MARKS)
            o->b->marks[o->b->n_marks++] = o->notes.n + 1;
        add_note(o, child(n, NS_TEXT, "note-body"), depth);
        return;
    }
    if (is(n, NS_DRAW, "frame")) {
        /* A text box (or a caption's frame): its paragraphs joined to
         * the paragraph it is anchored in, as the Word splitters do; an
         * image, an object, none. */
        for (c = child(n, NS_DRAW, "text-box"); c != NULL; c = NULL) {
            const xmlNode *p;
            for (p = c->children; p != NULL; p = p->next) {
                cm_doci_acc_space(a);
                inline_text(o, a, p, depth + 1, marks);
            }
            cm_doci_acc_space(a);
        }
        return;
    }
    if ((n->ns != NULL && n->ns->href != NULL &&
         strcmp((const char *)n->ns->href, NS_OFFICE) == 0) ||
        is(n, NS_TEXT, "note-citation") ||
        (n->ns != NULL && n->ns->href != NULL &&
         strstr((const char *)n->ns->href, ":xmlns:drawing:") != NULL))
        return; /* annotations, other drawings */
    {
        int saved = o->hide, d = shows(o, n);
        if (d >= 0)
            o->hide = !d;
        for (c = n->children; c != NULL; c = c->next)
            inline_text(o, a, c, depth + 1, marks);
        o->hide = saved;
    }
}

static void
paragraph(octx *o, const xmlNode *p, int heading, const char *label)
{
    cm_doci_builder *b = o->b;
    cm_doci_acc *a = &o->cur;
    const xmlNode *c;

    cm_doci_acc_reset(a);
    b->n_marks = 0;
    o->hide = shows(o, p) == 0;
    for (c = p->children; c != NULL; c = c->next)
        inline_text(o, a, c, 1, 1);
    o->hide = 0;
    if (a->oom) {
        b->st = CM_ENOMEM;
        return;
    }
    /* A heading of a level past 6 is a paragraph. */
    if (a->b.len > 0)
        cm_doci_add_word_para(b, heading >= 1 && heading <= 6 ? heading : 0,
                              label, a->b.data, a->b.len);
    b->n_marks = 0;
}

static void
row(octx *o, const xmlNode *tr)
{
    cm_doci_builder *b = o->b;
    cm_doci_acc *a = &o->cur;
    const xmlNode *tc, *p;

    cm_doci_acc_reset(a);
    b->n_marks = 0;
    for (tc = tr->children; tc != NULL; tc = tc->next) {
        size_t mark = a->b.len;
        if (!is(tc, NS_TABLE, "table-cell"))
            continue;
        if (mark > 0)
            cm_doci_acc_text(a, " | ", 3);
        for (p = tc->children; p != NULL; p = p->next) {
            inline_text(o, a, p, 1, 1);
            cm_doci_acc_space(a);
        }
        cm_doci_acc_drop_blank(a, mark);
    }
    if (a->oom)
        b->st = CM_ENOMEM;
    else if (a->b.len > 0)
        cm_doci_add_para(b, "", 0, cm_doci_body_sect(b), a->b.data,
                         a->b.len);
    b->n_marks = 0;
}

static void body(octx *o, const xmlNode *n, int depth, lstyle *ls, int il);

static void
table(octx *o, const xmlNode *t, int depth)
{
    const xmlNode *c;

    for (c = t->children; c != NULL && o->b->st == CM_OK && depth < MAX_DEPTH;
         c = c->next)
        if (is(c, NS_TABLE, "table-row"))
            row(o, c);
        else if (is(c, NS_TABLE, "table-header-rows") ||
                 is(c, NS_TABLE, "table-rows") ||
                 is(c, NS_TABLE, "table-row-group"))
            table(o, c, depth + 1);
}

/* A list (at level il, 0 for the outermost) of style ls, or its own. */
static void
list(octx *o, const xmlNode *l, int depth, lstyle *ls, int il)
{
    xmlChar *name = attr(l, NS_TEXT, "style-name");
    xmlChar *cont = attr(l, NS_TEXT, "continue-numbering");
    xmlChar *cont_list = attr(l, NS_TEXT, "continue-list");
    const xmlNode *item, *c;
    lstyle *own = name ? find_list_style(&o->ls, (const char *)name) : NULL;
    int k;

    if (own != NULL)
        ls = own;
    /* A new outermost list starts its numbers again, unless it says it
     * continues the one before. */
    if (il == 0 && ls != NULL &&
        !(cont != NULL && strcmp((const char *)cont, "true") == 0) &&
        cont_list == NULL)
        for (k = 0; k < LEVELS; k++)
            ls->count[k] = LONG_MIN;
    xmlFree(name);
    xmlFree(cont);
    xmlFree(cont_list);
    for (item = l->children; item != NULL && o->b->st == CM_OK;
         item = item->next) {
        int first = 1, header = is(item, NS_TEXT, "list-header");
        long start = num_attr(item, NS_TEXT, "start-value", -1);
        if (!header && !is(item, NS_TEXT, "list-item"))
            continue;
        for (c = item->children; c != NULL && o->b->st == CM_OK;
             c = c->next) {
            char label[64];
            label[0] = '\0';
            if (is(c, NS_TEXT, "p") || is(c, NS_TEXT, "h")) {
                if (first && !header)
                    list_label(ls, il, start, label, sizeof label);
                first = 0;
                paragraph(o, c,
                          is(c, NS_TEXT, "h")
                              ? (int)num_attr(c, NS_TEXT, "outline-level", 1)
                              : 0,
                          label);
            } else if (is(c, NS_TEXT, "list")) {
                if (first && !header)
                    list_label(ls, il, start, label, sizeof label);
                first = 0;
                list(o, c, depth + 1, ls, il + 1);
            } else
                body(o, c, depth + 1, ls, il);
        }
    }
}

/* The block elements under n (a body, a section, a cell). */
static void
body(octx *o, const xmlNode *n, int depth, lstyle *ls, int il)
{
    const xmlNode *c;

    if (depth > MAX_DEPTH)
        return;
    if (is(n, NS_TEXT, "h")) {
        long lvl = num_attr(n, NS_TEXT, "outline-level", 1);
        paragraph(o, n, lvl >= 1 && lvl <= 6 ? (int)lvl : 0, "");
    } else if (is(n, NS_TEXT, "p"))
        paragraph(o, n, 0, "");
    else if (is(n, NS_TEXT, "list"))
        list(o, n, depth, NULL, 0);
    else if (is(n, NS_TABLE, "table"))
        table(o, n, depth);
    else if (is(n, NS_TEXT, "section") || is(n, NS_OFFICE, "text") ||
             is(n, NS_TEXT, "soft-page-break")) {
        xmlChar *disp = attr(n, NS_TEXT, "display");
        int hidden = disp != NULL && strcmp((const char *)disp, "none") == 0;
        xmlFree(disp);
        for (c = n->children; c != NULL && o->b->st == CM_OK && !hidden;
             c = c->next)
            body(o, c, depth + 1, ls, il);
    }
    /* else: tables of contents, indexes, tracked changes, declarations,
     * forms and drawings */
}

/* The dc:title under office:meta under root, when nothing titled the
 * document. */
static void
meta_title(cm_doci_builder *b, const xmlNode *root)
{
    const xmlNode *t = child(child(root, NS_OFFICE, "meta"), NS_DC, "title");
    xmlChar *v = t ? xmlNodeGetContent(t) : NULL;

    if (v != NULL)
        cm_doci_set_meta_title(b, (const char *)v, strlen((const char *)v));
    xmlFree(v);
}

/* Read the document whose content is root (content.xml's, or a flat
 * document's), with the styles under sty and the metadata under meta
 * (each may be root itself, or NULL). */
static void
read_doc(cm_doci_builder *b, const xmlNode *root, const xmlNode *sty,
         const xmlNode *meta)
{
    octx o;
    const xmlNode *text;
    size_t i;

    memset(&o, 0, sizeof o);
    o.b = b;
    read_list_styles(b, child(sty, NS_OFFICE, "styles"), &o.ls);
    read_list_styles(b, child(root, NS_OFFICE, "automatic-styles"), &o.ls);
    sort_list_styles(&o.ls);
    read_vstyles(b, child(sty, NS_OFFICE, "styles"), &o.vs);
    read_vstyles(b, child(root, NS_OFFICE, "automatic-styles"), &o.vs);
    sort_vstyles(&o.vs);
    text = child(child(root, NS_OFFICE, "body"), NS_OFFICE, "text");
    if (text == NULL && b->st == CM_OK) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "not an OpenDocument text (no "
                 "office:text in its body: a spreadsheet or slides?)");
    }
    if (b->st == CM_OK)
        body(&o, text, 0, NULL, 0);
    cm_doci_note_flush(b, &o.notes); /* freed, on failure too */
    if (b->st == CM_OK && b->doc->title[0] == '\0')
        meta_title(b, meta);
    for (i = 0; i < o.ls.n; i++)
        free(o.ls.v[i].name);
    free(o.ls.v);
    vstyles_free(&o.vs);
    free(o.cur.b.data);
}

void
cm_doci_parse_odt(cm_doci_builder *b, const char *data, size_t len)
{
    zip_t *z;
    xmlDocPtr content = NULL, sty = NULL, meta = NULL;
    size_t limit;

    if (len == 0)
        return;
    cm_doci_xml_init();
    if ((z = cm_doci_zip_open(b, data, len, KIND, &limit)) == NULL)
        return;
    content = cm_doci_zip_xml(b, z, "content.xml", limit, KIND);
    if (content == NULL && b->st == CM_OK) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "not an OpenDocument text (no "
                 "content.xml)");
    }
    if (b->st == CM_OK)
        sty = cm_doci_zip_xml(b, z, "styles.xml", limit, KIND);
    if (b->st == CM_OK)
        meta = cm_doci_zip_xml(b, z, "meta.xml", limit, KIND);
    if (b->st == CM_OK)
        read_doc(b, xmlDocGetRootElement(content),
                 sty ? xmlDocGetRootElement(sty) : NULL,
                 meta ? xmlDocGetRootElement(meta) : NULL);
    xmlFreeDoc(content);
    xmlFreeDoc(sty);
    xmlFreeDoc(meta);
    zip_discard(z);
}

void
cm_doci_parse_fodt(cm_doci_builder *b, const char *data, size_t len)
{
    xmlDocPtr doc;
    const xmlNode *root;

    if (len == 0)
        return;
    cm_doci_xml_init();
    doc = cm_doci_xml(b, data, len, KIND, "the file");
    if (doc == NULL)
        return;
    root = xmlDocGetRootElement(doc);
    if (!is(root, NS_OFFICE, "document")) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "not a flat OpenDocument text (no "
                 "office:document)");
    } else
        read_doc(b, root, root, root);
    xmlFreeDoc(doc);
}
