/* cm_doc_docx.c: the Word splitter (.docx), on libzip and libxml2.
 *
 * A .docx is a zip of XML parts: word/document.xml holds the body,
 * word/styles.xml the styles, word/numbering.xml the automatic numbering,
 * word/footnotes.xml and word/endnotes.xml the notes, docProps/core.xml
 * the title.  Each paragraph (w:p) of the body is a paragraph; a table row
 * (w:tr) is one, its cells joined by " | ".  A paragraph whose style (or
 * its own properties) gives an outline level, as Word's "Heading 1"..
 * "Heading 6" and "Title" do, is a heading.  A paragraph numbered by
 * Word's automatic numbering gets the label Word shows ("5.", "5.1.",
 * "a)"), counted as Word counts: per list, a level's count restarting
 * when a higher level moves on; other labels come from the text.  A
 * footnote or endnote reference is a footnote mark, numbered in the order
 * of the references (footnotes and endnotes in one sequence, as in the
 * .doc and .odt splitters), and the notes are footnote paragraphs at the
 * end.  Deleted text of tracked changes (and text moved away, read where
 * it was moved to), a content control's placeholder text, hidden text
 * (w:vanish, by the run, its character style or its paragraph's style),
 * field codes, the results of tables of contents and indexes (copies of
 * the headings and entries) and the fallback copies of drawings are not
 * read.
 *
 * A zip member is read up to 100 times the file's size (and 256 MB): a
 * zip bomb is refused with the reason, as are a file that is not a zip
 * (an encrypted document is not one) and damaged XML.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "cm_doc_int.h"

#define MEMBER_MAX ((size_t)256 << 20)
#define MAX_DEPTH 200
#define WORD "Word document"
#define LEVELS 9

/* ---- the zip ------------------------------------------------------- */

/* The member name of z, read whole into *out (NUL-terminated); 1 when
 * read, 0 when absent, -1 with b->err set (kind names the document). */
static int
member(cm_doci_builder *b, zip_t *z, const char *name, size_t limit,
       const char *kind, char **out, size_t *len)
{
    zip_stat_t st;
    zip_file_t *f;
    char *buf;
    size_t n = 0;
    zip_int64_t got;

    *out = NULL;
    *len = 0;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0)
        return 0;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > limit) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "%s: %s too large unpacked (over "
                 "%zu bytes): a zip bomb?", kind, name, limit);
        return -1;
    }
    if ((buf = malloc((size_t)st.size + 1)) == NULL) {
        b->st = CM_ENOMEM;
        return -1;
    }
    if ((f = zip_fopen(z, name, 0)) == NULL) {
        free(buf);
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "damaged %s (%s: %s)", kind, name,
                 zip_strerror(z));
        return -1;
    }
    while (n < (size_t)st.size &&
           (got = zip_fread(f, buf + n, (zip_uint64_t)st.size - n)) > 0)
        n += (size_t)got;
    zip_fclose(f);
    if (n != (size_t)st.size) {
        free(buf);
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "damaged %s (%s cannot be "
                 "unpacked)", kind, name);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 1;
}

xmlDocPtr
cm_doci_xml(cm_doci_builder *b, const char *buf, size_t len,
            const char *kind, const char *name)
{
    xmlDocPtr doc;

    if (len > INT_MAX) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "%s: %s too large", kind, name);
        return NULL;
    }
    doc = xmlReadMemory(buf, (int)len, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (doc == NULL) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "damaged %s (%s is not well-formed "
                 "XML)", kind, name);
    }
    return doc;
}

xmlDocPtr
cm_doci_zip_xml(cm_doci_builder *b, zip_t *z, const char *name,
                size_t limit, const char *kind)
{
    char *buf;
    size_t len;
    xmlDocPtr doc;
    int r = member(b, z, name, limit, kind, &buf, &len);

    if (r <= 0)
        return NULL;
    doc = cm_doci_xml(b, buf, len, kind, name);
    free(buf);
    return doc;
}

zip_t *
cm_doci_zip_open(cm_doci_builder *b, const char *data, size_t len,
                 const char *kind, size_t *limit)
{
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *z;

    *limit = len > MEMBER_MAX / 100 ? MEMBER_MAX : len * 100 + (1 << 20);
    zip_error_init(&zerr);
    src = zip_source_buffer_create(data, len, 0, &zerr);
    z = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    if (z == NULL) {
        if (src != NULL)
            zip_source_free(src);
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "not %s %s (not a zip file; an "
                 "encrypted document is not one)",
                 strchr("AEIOU", kind[0]) ? "an" : "a", kind);
    }
    zip_error_fini(&zerr);
    return z;
}

/* ---- WordprocessingML ---------------------------------------------- */

/* An element of the main namespace (transitional or strict) named name. */
static int
is_w(const xmlNode *n, const char *name)
{
    const char *href;

    if (n == NULL || n->type != XML_ELEMENT_NODE || n->name == NULL ||
        strcmp((const char *)n->name, name) != 0 || n->ns == NULL)
        return 0;
    href = (const char *)n->ns->href;
    return href != NULL &&
           (strcmp(href, "http://schemas.openxmlformats.org/"
                         "wordprocessingml/2006/main") == 0 ||
            strcmp(href, "http://purl.oclc.org/ooxml/wordprocessingml/"
                         "main") == 0);
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
    const xmlNode *c;

    for (c = n ? n->children : NULL; c != NULL; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

/* The w:val (or another w: attribute) of n, or NULL; xmlFree it. */
static xmlChar *
w_attr(const xmlNode *n, const char *name)
{
    xmlAttr *a;

    for (a = n ? n->properties : NULL; a != NULL; a = a->next)
        if (a->name != NULL && strcmp((const char *)a->name, name) == 0 &&
            a->ns != NULL)
            return xmlNodeGetContent((xmlNode *)a);
    return NULL;
}

static long
w_num(const xmlNode *n, const char *name, long dflt)
{
    xmlChar *v = w_attr(n, name);
    char *end;
    long x = dflt;

    if (v != NULL) {
        long y = strtol((const char *)v, &end, 10);
        if (end != (const char *)v && *end == '\0' && y >= -1000000 &&
            y <= 1000000)
            x = y;
        xmlFree(v);
    }
    return x;
}

/* A property that is on or off (w:vanish, w:b...): 1 when n is given
 * with no w:val or a true one, 0 when its w:val is false, -1 when n is
 * NULL (not given). */
static int
on_off(const xmlNode *n)
{
    xmlChar *v;
    int on;

    if (n == NULL)
        return -1;
    v = w_attr(n, "val");
    on = v == NULL || !(strcmp((const char *)v, "0") == 0 ||
                        strcmp((const char *)v, "false") == 0 ||
                        strcmp((const char *)v, "off") == 0);
    xmlFree(v);
    return on;
}

/* ---- styles -------------------------------------------------------- */

typedef struct {
    char *id;
    char *based_on;
    int outline;  /* 0..8, or -1 */
    long num_id;  /* its numbering, or -1 */
    int ilvl;
    int vanish;   /* its text hidden: 1, shown: 0, not said: -1 */
} style;

typedef struct {
    style *v;
    size_t n, cap;
} styles;

static void
styles_free(styles *ss)
{
    size_t i;
    for (i = 0; i < ss->n; i++) {
        free(ss->v[i].id);
        free(ss->v[i].based_on);
    }
    free(ss->v);
}

static char *
xdup(xmlChar *x)
{
    char *s = x ? strdup((const char *)x) : NULL;
    xmlFree(x);
    return s;
}

/* "heading 3" -> 2, "Title" -> 0, else -1. */
static int
outline_of_name(const char *name)
{
    if (name == NULL)
        return -1;
    if (strncasecmp(name, "heading ", 8) == 0 && name[8] >= '1' &&
        name[8] <= '9' && name[9] == '\0')
        return name[8] - '1';
    if (strcasecmp(name, "title") == 0)
        return 0;
    return -1;
}

static void
read_styles(cm_doci_builder *b, xmlDocPtr doc, styles *ss)
{
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL, *s;

    for (s = root ? root->children : NULL; s != NULL && b->st == CM_OK;
         s = s->next) {
        const xmlNode *ppr, *np;
        style *st;
        char *name;
        if (!is_w(s, "style"))
            continue;
        if (cm_grow((void **)&ss->v, &ss->cap, ss->n, sizeof *ss->v) !=
            CM_OK) {
            b->st = CM_ENOMEM;
            return;
        }
        st = &ss->v[ss->n];
        memset(st, 0, sizeof *st);
        st->id = xdup(w_attr(s, "styleId"));
        if (st->id == NULL)
            continue;
        st->based_on = xdup(w_attr(child(s, "basedOn"), "val"));
        name = xdup(w_attr(child(s, "name"), "val"));
        st->outline = outline_of_name(name);
        free(name);
        ppr = child(s, "pPr");
        if (child(ppr, "outlineLvl") != NULL)
            st->outline = (int)w_num(child(ppr, "outlineLvl"), "val", 9);
        st->vanish = on_off(child(child(s, "rPr"), "vanish"));
        st->num_id = -1;
        if ((np = child(ppr, "numPr")) != NULL) {
            st->num_id = w_num(child(np, "numId"), "val", -1);
            st->ilvl = (int)w_num(child(np, "ilvl"), "val", 0);
        }
        ss->n++;
    }
}

static const style *
find_style(const styles *ss, const char *id)
{
    size_t i;
    for (i = 0; id != NULL && i < ss->n; i++)
        if (strcmp(ss->v[i].id, id) == 0)
            return &ss->v[i];
    return NULL;
}

/* Whether the style named by the w:val of n (a w:pStyle, a w:rStyle), or
 * the nearest style it is based on that says so, hides its text: 1, 0,
 * or -1 when none says. */
static int
style_vanish(const styles *ss, const xmlNode *n)
{
    xmlChar *id = w_attr(n, "val");
    const style *s = find_style(ss, (const char *)id);
    int hops, v = -1;

    for (hops = 0; s != NULL && hops < 8 && v < 0; hops++) {
        v = s->vanish;
        s = find_style(ss, s->based_on);
    }
    xmlFree(id);
    return v;
}

/* ---- numbering ----------------------------------------------------- */

typedef struct {
    long start;
    char fmt[16];   /* decimal, lowerLetter, upperRoman, bullet, ... */
    char text[32];  /* "%1.%2." */
} level;

typedef struct {
    long id;
    level lv[LEVELS];
} abstract;

typedef struct {
    long id;
    long abstract_id;
    long start_override[LEVELS]; /* or LONG_MIN */
    long count[LEVELS];          /* the last number given; LONG_MIN: none */
} list;

typedef struct {
    abstract *a;
    size_t na, cap_a;
    list *l;
    size_t nl, cap_l;
} numbering;

static void
numbering_free(numbering *nb)
{
    free(nb->a);
    free(nb->l);
}

static void
read_level(const xmlNode *lvl, level *out)
{
    xmlChar *v;

    out->start = w_num(child(lvl, "start"), "val", 1);
    v = w_attr(child(lvl, "numFmt"), "val");
    snprintf(out->fmt, sizeof out->fmt, "%s", v ? (const char *)v : "decimal");
    xmlFree(v);
    v = w_attr(child(lvl, "lvlText"), "val");
    snprintf(out->text, sizeof out->text, "%s", v ? (const char *)v : "");
    xmlFree(v);
}

static void
read_numbering(cm_doci_builder *b, xmlDocPtr doc, numbering *nb)
{
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL, *e, *c;
    int k;

    for (e = root ? root->children : NULL; e != NULL && b->st == CM_OK;
         e = e->next) {
        if (is_w(e, "abstractNum")) {
            abstract *a;
            if (cm_grow((void **)&nb->a, &nb->cap_a, nb->na,
                        sizeof *nb->a) != CM_OK) {
                b->st = CM_ENOMEM;
                return;
            }
            a = &nb->a[nb->na++];
            memset(a, 0, sizeof *a);
            a->id = w_num(e, "abstractNumId", -1);
            for (k = 0; k < LEVELS; k++) {
                a->lv[k].start = 1;
                snprintf(a->lv[k].fmt, sizeof a->lv[k].fmt, "decimal");
            }
            for (c = e->children; c != NULL; c = c->next) {
                long il = w_num(c, "ilvl", -1);
                if (is_w(c, "lvl") && il >= 0 && il < LEVELS)
                    read_level(c, &a->lv[il]);
            }
        } else if (is_w(e, "num")) {
            list *l;
            if (cm_grow((void **)&nb->l, &nb->cap_l, nb->nl,
                        sizeof *nb->l) != CM_OK) {
                b->st = CM_ENOMEM;
                return;
            }
            l = &nb->l[nb->nl++];
            l->id = w_num(e, "numId", -1);
            l->abstract_id = w_num(child(e, "abstractNumId"), "val", -1);
            for (k = 0; k < LEVELS; k++) {
                l->start_override[k] = LONG_MIN;
                l->count[k] = LONG_MIN;
            }
            for (c = e->children; c != NULL; c = c->next) {
                long il = w_num(c, "ilvl", -1);
                const xmlNode *so = child(c, "startOverride");
                if (is_w(c, "lvlOverride") && il >= 0 && il < LEVELS &&
                    so != NULL)
                    l->start_override[il] = w_num(so, "val", 1);
            }
        }
    }
}

/* The label Word shows for a paragraph of list num_id at level ilvl,
 * counting it; "" for a bullet or no numbering. */
static void
number_label(numbering *nb, long num_id, int ilvl, char *out, size_t cap)
{
    list *l = NULL;
    abstract *a = NULL;
    const level *lv;
    size_t i, n = 0;
    int k;

    out[0] = '\0';
    if (num_id <= 0 || ilvl < 0 || ilvl >= LEVELS)
        return;
    for (i = 0; i < nb->nl && l == NULL; i++)
        if (nb->l[i].id == num_id)
            l = &nb->l[i];
    for (i = 0; l != NULL && i < nb->na && a == NULL; i++)
        if (nb->a[i].id == l->abstract_id)
            a = &nb->a[i];
    if (a == NULL)
        return;
    lv = &a->lv[ilvl];
    if (l->count[ilvl] == LONG_MIN)
        l->count[ilvl] = (l->start_override[ilvl] != LONG_MIN
                              ? l->start_override[ilvl]
                              : lv->start);
    else
        l->count[ilvl]++;
    for (k = ilvl + 1; k < LEVELS; k++)
        l->count[k] = LONG_MIN; /* a deeper level starts again */
    if (strcmp(lv->fmt, "bullet") == 0 || strcmp(lv->fmt, "none") == 0)
        return;
    /* "%1.%2.": each %N the count of level N-1 in that level's format */
    for (i = 0; lv->text[i] != '\0' && n + 1 < cap; i++) {
        if (lv->text[i] == '%' && lv->text[i + 1] >= '1' &&
            lv->text[i + 1] <= '9') {
            int ref = lv->text[i + 1] - '1';
            long v = l->count[ref] == LONG_MIN ? a->lv[ref].start
                                               : l->count[ref];
            char num[24];
            cm_doci_format_number(v, a->lv[ref].fmt, num, sizeof num);
            if (n + strlen(num) + 1 < cap) {
                memcpy(out + n, num, strlen(num));
                n += strlen(num);
            }
            i++;
        } else
            out[n++] = lv->text[i];
    }
    out[n] = '\0';
    /* A label is a word: "Article 1" has its own space, "(a)" none. */
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
}

/* ---- notes --------------------------------------------------------- */

/* A note's key: its id (within a million: w_num()), and whether it is an
 * endnote (the two parts number their notes apart). */
static long
note_key(long id, int end)
{
    return 2 * id + (end ? 1 : 0);
}

typedef struct {
    long id; /* note_key() */
    char *text;
    size_t len;
} note;

typedef struct {
    note *v;
    size_t n, cap;
    long order[1024]; /* note keys in the order of their references */
    size_t n_order;
} notes;

/* ---- the body ------------------------------------------------------ */

#define FIELD_DEPTH 64 /* nested fields tracked (deeper: read) */

typedef struct {
    cm_doci_builder *b;
    styles ss;
    numbering nb;
    notes fn;
    cm_doci_acc cur;
    /* Open fields (w:fldChar begin, separate, end, which may span
     * paragraphs): 1 in their instructions, 0 in their result, 2 in the
     * result of a table of contents or an index, which is not text. */
    int field[FIELD_DEPTH];
    cm_doci_field_word verb[FIELD_DEPTH];
    int n_field; /* past FIELD_DEPTH too */
    int in_toc;
    int para_vanish; /* the paragraph's style hides its text (1, 0, -1) */
} dctx;

/* A w:fldChar of type begin, separate or end. */
static void
field_char(dctx *d, const xmlNode *c)
{
    xmlChar *type = w_attr(c, "fldCharType");
    int top = d->n_field - 1;

    if (type == NULL)
        return;
    if (strcmp((const char *)type, "begin") == 0) {
        if (d->n_field < FIELD_DEPTH) {
            d->field[d->n_field] = 1;
            memset(&d->verb[d->n_field], 0, sizeof d->verb[0]);
        }
        d->n_field++;
    } else if (strcmp((const char *)type, "separate") == 0 && top >= 0 &&
               top < FIELD_DEPTH && d->field[top] == 1) {
        d->field[top] = cm_doci_field_word_is_toc(&d->verb[top]) ? 2 : 0;
        d->in_toc += d->field[top] == 2;
    } else if (strcmp((const char *)type, "end") == 0 && top >= 0) {
        if (top < FIELD_DEPTH)
            d->in_toc -= d->field[top] == 2;
        d->n_field--;
    }
    xmlFree(type);
}

/* The verb of instructions s (of a w:instrText or a w:fldSimple). */
static void
field_verb(cm_doci_field_word *f, const xmlChar *s)
{
    for (; s != NULL && *s != '\0'; s++)
        cm_doci_field_word_add(f, *s);
}

/* The instructions of the innermost open field, c (a w:instrText). */
static void
field_instr(dctx *d, const xmlNode *c)
{
    int top = d->n_field - 1;

    if (top >= 0 && top < FIELD_DEPTH && d->field[top] == 1) {
        xmlChar *t = xmlNodeGetContent(c);
        field_verb(&d->verb[top], t);
        xmlFree(t);
    }
}

/* Whether run r is hidden text (w:vanish, "Hidden" in Word's font
 * dialog): by its own properties, else by its character style, else by
 * its paragraph's style. */
static int
run_hidden(const dctx *d, const xmlNode *r)
{
    const xmlNode *rpr = child(r, "rPr");
    int v = on_off(child(rpr, "vanish"));

    if (v < 0)
        v = style_vanish(&d->ss, child(rpr, "rStyle"));
    if (v < 0)
        v = d->para_vanish;
    return v > 0;
}

/* A content control (w:sdt) that shows its placeholder ("Click or tap
 * here to enter text."): the template's prompt, not the document's
 * text. */
static int
placeholder(const xmlNode *sdt)
{
    return is_w(sdt, "sdt") &&
           on_off(child(child(sdt, "sdtPr"), "showingPlcHdr")) > 0;
}

/* The paragraph style of p hides its text (1, 0, -1). */
static int
para_vanish(const dctx *d, const xmlNode *p)
{
    return style_vanish(&d->ss, child(child(p, "pPr"), "pStyle"));
}

/* The text under n into a (runs, tabs, breaks), footnote references as
 * marks.  Hidden runs are not read, but their field characters are
 * followed (a field may begin or end in one). */
static void
runs(dctx *d, cm_doci_acc *a, const xmlNode *n, int depth, int marks)
{
    const xmlNode *c, *fc;

    for (c = n->children; c != NULL && depth < MAX_DEPTH; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (placeholder(c))
            continue;
        if (is_w(c, "r") && run_hidden(d, c)) {
            for (fc = c->children; fc != NULL; fc = fc->next)
                if (is_w(fc, "fldChar"))
                    field_char(d, fc);
                else if (is_w(fc, "instrText"))
                    field_instr(d, fc);
        } else if (is_w(c, "fldChar"))
            field_char(d, c);
        else if (is_w(c, "instrText"))
            field_instr(d, c);
        else if (is_w(c, "fldSimple")) {
            /* A field in one element: its result is its children. */
            cm_doci_field_word f;
            xmlChar *instr = w_attr(c, "instr");
            memset(&f, 0, sizeof f);
            field_verb(&f, instr);
            xmlFree(instr);
            if (!cm_doci_field_word_is_toc(&f))
                runs(d, a, c, depth + 1, marks);
        } else if (d->in_toc > 0 &&
                   (is_w(c, "t") || is_w(c, "footnoteReference") ||
                    is_w(c, "endnoteReference")))
            continue; /* a copy of the headings */
        else if (is_w(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t != NULL)
                cm_doci_acc_text(a, (const char *)t, strlen((const char *)t));
            xmlFree(t);
        } else if (is_w(c, "tab") || is_w(c, "ptab") || is_w(c, "br") ||
                   is_w(c, "cr"))
            cm_doci_acc_space(a);
        else if (is_w(c, "noBreakHyphen"))
            cm_doci_acc_text(a, "-", 1);
        else if (is_w(c, "footnoteReference") ||
                 is_w(c, "endnoteReference")) {
            long id = note_key(w_num(c, "id", -1),
                               is_w(c, "endnoteReference"));
            size_t k;
            for (k = 0; k < d->fn.n_order && d->fn.order[k] != id; k++)
                ;
            if (k == d->fn.n_order &&
                d->fn.n_order < sizeof d->fn.order / sizeof d->fn.order[0])
                d->fn.order[d->fn.n_order++] = id;
            if (marks && k < d->fn.n_order &&
                d->b->n_marks < CM_DOCI_MAX_MARKS)
                d->b->marks[d->b->n_marks++] = (unsigned long)k + 1;
        } else if (is_w(c, "del") || is_w(c, "delText") ||
                   is_w(c, "moveFrom") ||
                   is_w(c, "instrText") || is_w(c, "pPr") ||
                   is_w(c, "rPr") || is_w(c, "footnoteRef") ||
                   is_w(c, "endnoteRef") ||
                   (c->name != NULL &&
                    strcmp((const char *)c->name, "Fallback") == 0))
            continue; /* deleted (or moved away: the text is where it
                       * was moved to, w:moveTo), a field code,
                       * properties, a copy */
        else if (is_w(c, "p")) { /* a note's, a cell's, a text box's */
            int saved = d->para_vanish;
            d->para_vanish = para_vanish(d, c);
            cm_doci_acc_space(a); /* apart from the text before it */
            runs(d, a, c, depth + 1, marks);
            d->para_vanish = saved;
            cm_doci_acc_space(a);
        } else
            runs(d, a, c, depth + 1, marks); /* r, hyperlink, ins, sdt... */
    }
}

/* The outline level and numbering of paragraph p, from its properties
 * and its style (and the styles it is based on). */
static void
para_props(dctx *d, const xmlNode *p, int *outline, long *num_id, int *ilvl)
{
    const xmlNode *ppr = child(p, "pPr"), *np;
    xmlChar *sid = w_attr(child(ppr, "pStyle"), "val");
    const style *s = find_style(&d->ss, (const char *)sid);
    int hops;

    *outline = -1;
    *num_id = -1;
    *ilvl = 0;
    for (hops = 0; s != NULL && hops < 8; hops++) {
        if (*outline < 0 && s->outline >= 0)
            *outline = s->outline;
        if (*num_id < 0 && s->num_id >= 0) {
            *num_id = s->num_id;
            *ilvl = s->ilvl;
        }
        s = find_style(&d->ss, s->based_on);
    }
    xmlFree(sid);
    if (child(ppr, "outlineLvl") != NULL)
        *outline = (int)w_num(child(ppr, "outlineLvl"), "val", 9);
    if ((np = child(ppr, "numPr")) != NULL) {
        long id = w_num(child(np, "numId"), "val", -1);
        if (id >= 0) {
            *num_id = id;
            *ilvl = (int)w_num(child(np, "ilvl"), "val", 0);
        } else if (child(np, "ilvl") != NULL)
            *ilvl = (int)w_num(child(np, "ilvl"), "val", 0);
    }
}

static void
paragraph(dctx *d, const xmlNode *p)
{
    cm_doci_builder *b = d->b;
    cm_doci_acc *a = &d->cur;
    int outline, ilvl;
    long num_id;
    char label[64];

    cm_doci_acc_reset(a);
    b->n_marks = 0;
    d->para_vanish = para_vanish(d, p);
    runs(d, a, p, 0, 1);
    d->para_vanish = -1;
    if (a->oom) {
        b->st = CM_ENOMEM;
        return;
    }
    para_props(d, p, &outline, &num_id, &ilvl);
    label[0] = '\0';
    if (outline < 0 || outline > 5)
        number_label(&d->nb, num_id, ilvl, label, sizeof label);
    if (a->b.len == 0) {
        b->n_marks = 0;
        return;
    }
    cm_doci_add_word_para(b, outline >= 0 && outline <= 5 ? outline + 1 : 0,
                          label, a->b.data, a->b.len);
}

/* A table row: the text of its cells, joined by " | ", empty ones left
 * out. */
static void
row(dctx *d, const xmlNode *tr)
{
    cm_doci_builder *b = d->b;
    cm_doci_acc *a = &d->cur;
    const xmlNode *tc;

    cm_doci_acc_reset(a);
    b->n_marks = 0;
    for (tc = tr->children; tc != NULL; tc = tc->next) {
        size_t mark = a->b.len;
        if (!is_w(tc, "tc"))
            continue;
        if (mark > 0)
            cm_doci_acc_text(a, " | ", 3);
        runs(d, a, tc, 0, 1);
        if (!cm_doci_acc_drop_blank(a, mark))
            cm_doci_acc_space(a);
    }
    if (a->oom)
        b->st = CM_ENOMEM;
    else if (a->b.len > 0)
        cm_doci_add_para(b, "", 0,
                         cm_doci_body_sect(b),
                         a->b.data, a->b.len);
}

static void
body(dctx *d, const xmlNode *n, int depth)
{
    const xmlNode *c;

    for (c = n->children; c != NULL && d->b->st == CM_OK && depth < MAX_DEPTH;
         c = c->next) {
        if (is_w(c, "p"))
            paragraph(d, c);
        else if (is_w(c, "tbl")) {
            const xmlNode *tr;
            for (tr = c->children; tr != NULL && d->b->st == CM_OK;
                 tr = tr->next)
                if (is_w(tr, "tr"))
                    row(d, tr);
        } else if ((is_w(c, "sdt") && !placeholder(c)) ||
                   is_w(c, "sdtContent") || is_w(c, "customXml") ||
                   is_w(c, "ins") || is_w(c, "moveTo"))
            body(d, c, depth + 1); /* not del, moveFrom */
    }
}

/* The notes' text, by key: the footnotes of word/footnotes.xml, or the
 * endnotes (end) of word/endnotes.xml. */
static void
read_notes(dctx *d, xmlDocPtr doc, int end)
{
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL, *f;

    for (f = root ? root->children : NULL; f != NULL && d->b->st == CM_OK;
         f = f->next) {
        xmlChar *type;
        cm_doci_acc a;
        note *nt;
        if (!is_w(f, end ? "endnote" : "footnote"))
            continue;
        type = w_attr(f, "type");
        if (type != NULL && strcmp((const char *)type, "normal") != 0) {
            xmlFree(type); /* a separator */
            continue;
        }
        xmlFree(type);
        if (cm_grow((void **)&d->fn.v, &d->fn.cap, d->fn.n,
                    sizeof *d->fn.v) != CM_OK) {
            d->b->st = CM_ENOMEM;
            return;
        }
        memset(&a, 0, sizeof a);
        runs(d, &a, f, 0, 0);
        nt = &d->fn.v[d->fn.n++];
        nt->id = note_key(w_num(f, "id", -1), end);
        nt->text = a.b.data;
        nt->len = a.b.len;
        if (a.oom)
            d->b->st = CM_ENOMEM;
    }
}

/* The notes referred to, as footnote paragraphs numbered in the order of
 * their references. */
static void
add_notes(dctx *d)
{
    size_t k, i;
    char lab[24];

    for (k = 0; k < d->fn.n_order && d->b->st == CM_OK; k++)
        for (i = 0; i < d->fn.n; i++)
            if (d->fn.v[i].id == d->fn.order[k] && d->fn.v[i].len > 0) {
                snprintf(lab, sizeof lab, "%zu", k + 1);
                cm_doci_add_para(d->b, lab, strlen(lab), CM_SECT_FOOTNOTE,
                                 d->fn.v[i].text, d->fn.v[i].len);
                break;
            }
}

/* The title of docProps/core.xml, when no heading gave one. */
static void
core_title(cm_doci_builder *b, xmlDocPtr core)
{
    const xmlNode *root = core ? xmlDocGetRootElement(core) : NULL, *c;

    for (c = root ? root->children : NULL; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->name != NULL &&
            strcmp((const char *)c->name, "title") == 0) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t != NULL)
                cm_doci_set_meta_title(b, (const char *)t,
                                       strlen((const char *)t));
            xmlFree(t);
            return;
        }
}

void
cm_doci_parse_docx(cm_doci_builder *b, const char *data, size_t len)
{
    zip_t *z;
    xmlDocPtr doc = NULL, sty = NULL, num = NULL, fns = NULL, ens = NULL;
    xmlDocPtr core = NULL;
    size_t limit;
    const xmlNode *bd;
    dctx d;
    size_t i;

    if (len == 0)
        return;
    cm_doci_xml_init();
    if ((z = cm_doci_zip_open(b, data, len, WORD, &limit)) == NULL)
        return;
    memset(&d, 0, sizeof d);
    d.b = b;
    d.para_vanish = -1;
    doc = cm_doci_zip_xml(b, z, "word/document.xml", limit, WORD);
    if (doc == NULL && b->st == CM_OK) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "not a Word document (no "
                 "word/document.xml)");
    }
    if (b->st == CM_OK)
        sty = cm_doci_zip_xml(b, z, "word/styles.xml", limit, WORD);
    if (b->st == CM_OK)
        num = cm_doci_zip_xml(b, z, "word/numbering.xml", limit, WORD);
    if (b->st == CM_OK)
        fns = cm_doci_zip_xml(b, z, "word/footnotes.xml", limit, WORD);
    if (b->st == CM_OK)
        ens = cm_doci_zip_xml(b, z, "word/endnotes.xml", limit, WORD);
    if (b->st == CM_OK)
        core = cm_doci_zip_xml(b, z, "docProps/core.xml", limit, WORD);
    if (b->st == CM_OK) {
        read_styles(b, sty, &d.ss);
        read_numbering(b, num, &d.nb);
    }
    bd = child(doc ? xmlDocGetRootElement(doc) : NULL, "body");
    if (b->st == CM_OK && bd != NULL)
        body(&d, bd, 0);
    if (b->st == CM_OK)
        read_notes(&d, fns, 0);
    if (b->st == CM_OK)
        read_notes(&d, ens, 1);
    if (b->st == CM_OK)
        add_notes(&d);
    if (b->st == CM_OK && b->doc->title[0] == '\0')
        core_title(b, core);
    for (i = 0; i < d.fn.n; i++)
        free(d.fn.v[i].text);
    free(d.fn.v);
    free(d.cur.b.data);
    styles_free(&d.ss);
    numbering_free(&d.nb);
    xmlFreeDoc(doc);
    xmlFreeDoc(sty);
    xmlFreeDoc(num);
    xmlFreeDoc(fns);
    xmlFreeDoc(ens);
    xmlFreeDoc(core);
    zip_discard(z);
}
