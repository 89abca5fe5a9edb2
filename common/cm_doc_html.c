/* cm_doc_html.c: the HTML splitter, on libxml2's HTML parser.
 *
 * libxml2 builds a tree from any markup, however broken, as a browser
 * would; this file walks it and turns its blocks into paragraphs as the
 * markdown splitter does (cm_doc.h, "Paragraphs", "Labels", "Sections"):
 * a heading is a heading paragraph and opens a section; a paragraph, a
 * list item (its own paragraphs joined), a table row (its cells joined by
 * " | "), a definition, a preformatted block, and text standing loose in
 * a division are each one paragraph.  A numbered item's label is its
 * number as the list counts it ("3."); other labels come from the text.
 * A <sup> holding a number is a footnote mark.  What a reader does not
 * read as the document is left out: scripts, styles, templates, forms,
 * navigation, embedded objects, what the page hides (the hidden
 * attribute, display:none), the site's banner, navigation, footer and
 * search by their roles, and the head but for its <title>, which titles a
 * document that has no heading of level 1 or 2.  A page with a <main>
 * (or an element of role main) that holds text is read from it alone:
 * the site's header, menus, sidebars and footer around it are not the
 * document; so is one without, from its one <article> when that holds
 * more than half of its text.  Without either, the page's own <footer>,
 * and its own <header> when that holds the site's menu or search, are
 * not read (page_chrome()); nor, with or without them, an <aside> that is
 * the page's or its main content's sidebar rather than a part's note
 * (sidebar()).
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cm_doc_int.h"

/* The walk is recursive: deeper elements are read as text only (by
 * libxml2, without recursion).  libxml2 itself stops building the tree
 * at a depth of 256 (the rest of such a file is not read). */
#define MAX_DEPTH 300

typedef enum { K_PLAIN, K_HEADING, K_ITEM, K_ROW } kind;

typedef struct {
    cm_doci_builder *b;
    cm_doci_acc cur;
    int open; /* cur holds a block's text not yet added */
    kind k;
    int h_level;
    char label[64]; /* a numbered item's label, "" for another item */
    char outer[24]; /* the label of the item a list is inside ("4.") */
    int in_row;     /* a table row is being read */
    cm_doci_notes notes; /* the zone after a thematic break (<hr>) */
    cm_doci_acc title; /* the <title> */
} hctx;

static int
named(const xmlNode *n, const char *name)
{
    return n->name != NULL && strcasecmp((const char *)n->name, name) == 0;
}

static int
one_of(const xmlNode *n, const char *const *names)
{
    for (; *names != NULL; names++)
        if (named(n, *names))
            return 1;
    return 0;
}

/* Not read: not the document's text. */
static const char *const skipped[] = {
    "script", "style",  "noscript", "template", "nav",    "iframe",
    "object", "embed",  "applet",   "select",   "option", "textarea",
    "button", "input",  "svg",      "math",     "canvas", "video",
    "audio",  "map",    "title",    NULL};

/* Blocks: what they hold is a paragraph, or several. */
static const char *const blocks[] = {
    "p",       "div",     "section",    "article", "main",   "blockquote",
    "dd",      "dt",      "dl",         "pre",     "figure", "figcaption",
    "caption", "address", "aside",      "header",  "footer", "center",
    "form",    "fieldset","legend",     "table",   "thead",  "tbody",
    "tfoot",   "ul",      "ol",         "body",    "html",   "details",
    "summary", "hr",      "hgroup",     "menu",    "dir",    "frameset",
    "noframes","search",  NULL};

/* The value of n's attribute name, lower-cased, without spaces, in
 * out[cap] (cut short); 0 when n has none. */
static int
attr_squeezed(const xmlNode *n, const char *name, char *out, size_t cap)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    size_t i, k = 0;

    if (v == NULL)
        return 0;
    for (i = 0; v[i] != '\0' && k + 1 < cap; i++)
        if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
            out[k++] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
    out[k] = '\0';
    xmlFree(v);
    return 1;
}

static int page_chrome(const xmlNode *n);
static int sidebar(const xmlNode *n);

/* Not read although it is not in skipped[]: what the page does not show
 * (the hidden attribute, display:none or visibility:hidden in its style
 * attribute), and what a role says is the site's, not the document's:
 * its banner, navigation, footer (contentinfo) and search; a page's own
 * <footer> and <header> (page_chrome()). */
static int
not_text(const xmlNode *n)
{
    char v[256];

    if (n->name != NULL && (n->name[0] == 'f' || n->name[0] == 'h') &&
        (named(n, "footer") || named(n, "header")) && page_chrome(n))
        return 1;
    if (n->name != NULL && n->name[0] == 'a' && named(n, "aside") &&
        sidebar(n))
        return 1;
    if (n->properties == NULL)
        return 0; /* most elements: no attribute to look up */
    if (xmlHasProp(n, (const xmlChar *)"hidden") != NULL)
        return 1;
    if (attr_squeezed(n, "style", v, sizeof v) &&
        (strstr(v, "display:none") != NULL ||
         strstr(v, "visibility:hidden") != NULL))
        return 1;
    if (!attr_squeezed(n, "role", v, sizeof v))
        return 0;
    return strcmp(v, "banner") == 0 || strcmp(v, "navigation") == 0 ||
           strcmp(v, "contentinfo") == 0 || strcmp(v, "search") == 0 ||
           (strcmp(v, "complementary") == 0 && sidebar(n));
}

/* Whether the <aside> (or element of role complementary) n is a sidebar
 * of the page or of its main content (HTML-AAM's complementary landmark:
 * related links, other documents' titles, news), not the document: one
 * inside no article or section (nor an element of role article or region).
 * An aside inside one is that part's (a note, a box), and one that says it
 * is a note (a DPub role, doc-footnote and the like, or an EPUB type of
 * note) is the document's own. */
static int
sidebar(const xmlNode *n)
{
    static const char *const parts[] = {"article", "section", NULL};
    const xmlNode *a;
    char v[32];

    if (attr_squeezed(n, "role", v, sizeof v) && strncmp(v, "doc-", 4) == 0)
        return 0;
    if (attr_squeezed(n, "epub:type", v, sizeof v) &&
        strstr(v, "note") != NULL)
        return 0;
    for (a = n->parent; a != NULL && a->type == XML_ELEMENT_NODE;
         a = a->parent) {
        if (one_of(a, parts))
            return 0;
        if (attr_squeezed(a, "role", v, sizeof v) &&
            (strcmp(v, "article") == 0 || strcmp(v, "region") == 0))
            return 0;
    }
    return 1;
}

/* Whether n or an element under it is a site's menu or search: a <nav>,
 * a <form>, a <search>, or an element of role navigation or search. */
static int
has_menu(const xmlNode *n, int depth)
{
    const xmlNode *c;
    char v[16];

    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (named(c, "nav") || named(c, "form") || named(c, "search") ||
            (attr_squeezed(c, "role", v, sizeof v) &&
             (strcmp(v, "navigation") == 0 || strcmp(v, "search") == 0)))
            return 1;
        if (depth < MAX_DEPTH && has_menu(c, depth + 1))
            return 1;
    }
    return 0;
}

/* Whether the <header> or <footer> n is the page's, not a part's: inside
 * no article, aside, main, nav or section, nor an element of those roles
 * (HTML-AAM: then it is the page's banner or contentinfo).  The page's
 * footer (the site's address, copyright and links) is not the document;
 * its header is not either when it holds the site's menu or search, but
 * it may hold the document's own title and number: then it is read. */
static int
page_chrome(const xmlNode *n)
{
    static const char *const parts[] = {"article", "aside", "main", "nav",
                                        "section", NULL};
    static const char *const roles[] = {"article", "complementary", "main",
                                        "navigation", "region", NULL};
    const xmlNode *a;
    char v[16];
    size_t i;

    for (a = n->parent; a != NULL && a->type == XML_ELEMENT_NODE;
         a = a->parent) {
        if (one_of(a, parts))
            return 0;
        if (attr_squeezed(a, "role", v, sizeof v))
            for (i = 0; roles[i] != NULL; i++)
                if (strcmp(v, roles[i]) == 0)
                    return 0;
    }
    return named(n, "footer") || has_menu(n, 0);
}

static void
start(hctx *h, kind k)
{
    cm_doci_acc_reset(&h->cur);
    h->open = 1;
    h->k = k;
    h->label[0] = '\0';
    h->b->n_marks = 0;
}

static cm_section
body_section(const hctx *h)
{
    return cm_doci_in_appendix(h->b) ? CM_SECT_APPENDIX : CM_SECT_BODY;
}

/* A paragraph or an item: after a thematic break, a numbered one is a
 * footnote unless its number continues the document's own numbering, as
 * in markdown (cm_doc_md.c); the first that is not one ends the zone. */
static void
body(hctx *h, const char *t, size_t n)
{
    cm_doci_label li;
    unsigned long num = 0;
    int have_num = 0;

    memset(&li, 0, sizeof li);
    if (h->k == K_ITEM && h->label[0] != '\0' &&
        strchr(h->label, '.') == h->label + strlen(h->label) - 1) {
        /* "7.", not "7.2.": an item of a list that is not inside one */
        have_num = 1;
        num = strtoul(h->label, NULL, 10);
    } else if (h->k != K_ITEM && cm_doci_detect_label(t, n, &li) &&
               li.numeric) {
        have_num = 1;
        num = li.num;
    }
    if (cm_doci_note(h->b, &h->notes, have_num, num, t, n,
                     h->k == K_ITEM ? 0 : li.skip))
        return;
    if (h->k == K_ITEM && h->label[0] != '\0')
        cm_doci_add_para(h->b, h->label, strlen(h->label), body_section(h),
                         t, n);
    else
        cm_doci_add_labelled(h->b, t, n, body_section(h));
}

/* Add the block being read, if it holds text. */
static void
flush(hctx *h)
{
    const char *t = h->cur.b.data;
    size_t n = h->cur.b.len;

    if (!h->open)
        return;
    h->open = 0;
    if (h->cur.oom)
        h->b->st = CM_ENOMEM;
    if (n == 0 || h->b->st != CM_OK) {
        h->b->n_marks = 0;
        return;
    }
    if (h->k == K_HEADING) {
        cm_doci_add_heading(h->b, h->h_level, t, n);
        h->notes.on = 0;
    } else if (h->k == K_ROW) {
        /* A row cut short inside a cell (a note after a rule there) ends
         * with the cell's separator, which separates nothing. */
        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '|'))
            n--;
        if (n > 0)
            cm_doci_add_para(h->b, "", 0, body_section(h), t, n);
        else
            h->b->n_marks = 0;
    } else
        body(h, t, n);
}

static void
add_text(hctx *h, const xmlChar *s)
{
    if (s == NULL)
        return;
    if (!h->open)
        start(h, K_PLAIN); /* loose text: a paragraph of its own */
    cm_doci_acc_text(&h->cur, (const char *)s, strlen((const char *)s));
}

/* The number a list item carries: its value attribute, else the list's
 * count. */
static long
attr_number(const xmlNode *n, const char *name, long dflt)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *end;
    long x = dflt;

    if (v != NULL) {
        long y = strtol((const char *)v, &end, 10);
        if (end != (const char *)v && *end == '\0' && y > -1000000 &&
            y < 1000000)
            x = y;
        xmlFree(v);
    }
    return x;
}

static void walk(hctx *h, const xmlNode *parent, int depth, long *count);

/* All the text under n, for <title> and <sup>. */
static void
collect(cm_doci_acc *a, const xmlNode *n, int depth)
{
    for (; n != NULL && depth < MAX_DEPTH; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            cm_doci_acc_text(a, (const char *)n->content,
                             n->content ? strlen((const char *)n->content)
                                        : 0);
        else if (n->type == XML_ELEMENT_NODE)
            collect(a, n->children, depth + 1);
    }
}

/* A <sup>: a number alone in it is a footnote mark and is not read;
 * anything else is text. */
static void
sup(hctx *h, const xmlNode *n, int depth)
{
    cm_doci_acc a;
    unsigned long num = 0;
    size_t i;

    memset(&a, 0, sizeof a);
    collect(&a, n->children, depth + 1);
    for (i = 0; i < a.b.len && i < 6 && is_digit((unsigned char)a.b.data[i]);
         i++)
        num = num * 10 + (unsigned long)(a.b.data[i] - '0');
    if (a.b.len > 0 && !h->open)
        start(h, K_PLAIN); /* before the mark: start() forgets marks */
    if (a.b.len > 0 && i == a.b.len) {
        if (h->b->n_marks < CM_DOCI_MAX_MARKS)
            h->b->marks[h->b->n_marks++] = num;
    } else if (a.b.len > 0)
        cm_doci_acc_text(&h->cur, a.b.data, a.b.len);
    if (a.oom)
        h->b->st = CM_ENOMEM;
    free(a.b.data);
}

/* A list item: a paragraph of its text and its paragraphs; a list
 * inside it makes its own, numbered within the item's ("4.1.").  Text
 * after such a list is a paragraph of its own. */
static void
list_item(hctx *h, const xmlNode *n, int depth, const char *label)
{
    char outer[sizeof h->outer];

    flush(h);
    start(h, K_ITEM);
    snprintf(h->label, sizeof h->label, "%s", label);
    memcpy(outer, h->outer, sizeof outer);
    if (label[0] != '\0')
        snprintf(h->outer, sizeof h->outer, "%s", label);
    walk(h, n, depth + 1, NULL);
    flush(h);
    memcpy(h->outer, outer, sizeof outer);
}

/* A cell of a row: " | " before it, and nothing at all when it is empty
 * or only dashes (as in markdown: converted tables write "---" for an
 * empty cell). */
static void
cell(hctx *h, const xmlNode *n, int depth)
{
    size_t mark = h->cur.b.len;

    if (mark > 0)
        cm_doci_acc_text(&h->cur, " | ", 3);
    walk(h, n, depth + 1, NULL);
    if (!cm_doci_acc_drop_blank(&h->cur, mark))
        cm_doci_acc_space(&h->cur);
}

/* A table row: one paragraph of its cells. */
static void
row(hctx *h, const xmlNode *n, int depth)
{
    flush(h);
    start(h, K_ROW);
    h->in_row++;
    walk(h, n, depth + 1, NULL);
    h->in_row--;
    flush(h);
}

static void
element(hctx *h, const xmlNode *n, int depth, long *count)
{
    const char *name = (const char *)n->name;

    if (named(n, "head")) {
        const xmlNode *c;
        for (c = n->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE && named(c, "title") &&
                h->title.b.len == 0)
                collect(&h->title, c->children, depth + 1);
        return;
    }
    if (one_of(n, skipped) || not_text(n))
        return;
    if (named(n, "br") || named(n, "wbr")) {
        if (h->open)
            cm_doci_acc_space(&h->cur);
        return;
    }
    if (named(n, "sup")) {
        sup(h, n, depth);
        return;
    }
    if (name != NULL && (name[0] == 'h' || name[0] == 'H') &&
        name[1] >= '1' && name[1] <= '6' && name[2] == '\0') {
        flush(h);
        start(h, K_HEADING);
        h->h_level = name[1] - '0';
        walk(h, n, depth + 1, NULL);
        flush(h);
        return;
    }
    if (named(n, "li") && h->in_row == 0) {
        char label[64];
        label[0] = '\0';
        if (count != NULL) {
            long v = attr_number(n, "value", *count);
            snprintf(label, sizeof label, "%s%ld.", h->outer, v);
            *count = v + 1;
        }
        list_item(h, n, depth, label);
        return;
    }
    if (named(n, "tr") && h->in_row == 0) {
        row(h, n, depth);
        return;
    }
    if (named(n, "hr")) {
        flush(h);
        h->notes.on = 1;
        return;
    }
    if (named(n, "ol")) {
        long c = attr_number(n, "start", 1);
        if (h->in_row == 0)
            flush(h);
        walk(h, n, depth + 1, &c);
        if (h->in_row == 0)
            flush(h);
        return;
    }
    if (one_of(n, blocks) || named(n, "li") || named(n, "tr")) {
        /* Inside an item or a row, a block only separates words: the
         * item's paragraphs make one paragraph, as in markdown. */
        if ((h->open && h->k == K_ITEM) || h->in_row > 0) {
            if (h->open)
                cm_doci_acc_space(&h->cur);
            walk(h, n, depth + 1, NULL);
            if (h->open)
                cm_doci_acc_space(&h->cur);
            return;
        }
        flush(h);
        walk(h, n, depth + 1, NULL);
        flush(h);
        return;
    }
    if ((named(n, "td") || named(n, "th")) && h->open && h->k == K_ROW) {
        cell(h, n, depth);
        return;
    }
    walk(h, n, depth + 1, NULL); /* inline: a, span, em, b, ... */
}

static void
walk(hctx *h, const xmlNode *parent, int depth, long *count)
{
    const xmlNode *n;

    for (n = parent->children; n != NULL && h->b->st == CM_OK; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            add_text(h, n->content);
        else if (n->type == XML_ELEMENT_NODE && depth < MAX_DEPTH)
            element(h, n, depth, count);
        else if (n->type == XML_ELEMENT_NODE) {
            xmlChar *all = xmlNodeGetContent(n); /* too deep: its text */
            add_text(h, all);
            xmlFree(all);
        }
    }
}

/* The bytes of text other than white space under n that are read. */
static size_t
text_bytes(const xmlNode *n, int depth)
{
    const xmlNode *c;
    size_t k = 0;

    for (c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const xmlChar *t;
            for (t = c->content; t != NULL && *t != '\0'; t++)
                k += *t != ' ' && *t != '\t' && *t != '\n' && *t != '\r';
        } else if (c->type == XML_ELEMENT_NODE && depth < MAX_DEPTH &&
                   !named(c, "head") && !one_of(c, skipped) && !not_text(c))
            k += text_bytes(c, depth + 1);
    }
    return k;
}

/* The <article>s under n, outside what is not read and not inside one
 * another: *n_found of them, the first in *first. */
static void
find_articles(const xmlNode *n, int depth, const xmlNode **first,
              size_t *n_found)
{
    const xmlNode *c;

    for (c = n; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || named(c, "head") ||
            one_of(c, skipped) || not_text(c))
            continue;
        if (named(c, "article")) {
            if ((*n_found)++ == 0)
                *first = c;
        } else if (depth < MAX_DEPTH)
            find_articles(c->children, depth + 1, first, n_found);
    }
}

/* The page's main content: the first <main> (or element of role main)
 * outside what is not read, when it holds text; else NULL. */
static const xmlNode *
find_main(const xmlNode *n, int depth)
{
    const xmlNode *c, *m;
    char role[16];

    for (c = n; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || named(c, "head") ||
            one_of(c, skipped) || not_text(c))
            continue;
        if (named(c, "main") ||
            (attr_squeezed(c, "role", role, sizeof role) &&
             strcmp(role, "main") == 0))
            return text_bytes(c, depth) > 0 ? c : NULL;
        if (depth < MAX_DEPTH && (m = find_main(c->children, depth + 1)))
            return m;
    }
    return NULL;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init_libxml(void)
{
    xmlInitParser();
}

void
cm_doci_xml_init(void)
{
    pthread_once(&init_once, init_libxml);
}

void
cm_doci_parse_html(cm_doci_builder *b, const char *text, size_t len)
{
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
               HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT;
    htmlDocPtr doc;
    xmlNode *root;
    const xmlNode *main;
    hctx h;

#ifdef HTML_PARSE_IGNORE_ENC
    /* The reader has made the text UTF-8: a <meta charset> naming
     * another must not make libxml2 decode it again. */
    opts |= HTML_PARSE_IGNORE_ENC;
#endif
    if (len > INT_MAX) {
        b->st = CM_EPARSE;
        return;
    }
    cm_doci_xml_init();
    doc = htmlReadMemory(text, (int)len, NULL, "UTF-8", opts);
    if (doc == NULL) {
        /* Nothing libxml2 could make a tree of (an empty file): no
         * paragraph. */
        return;
    }
    memset(&h, 0, sizeof h);
    h.b = b;
    main = find_main(doc->children, 0);
    if (main == NULL) {
        /* No <main>: a page's one <article> that holds most of its text
         * is its content (not one of several, nor a teaser beside the
         * text). */
        const xmlNode *art = NULL, *html = xmlDocGetRootElement(doc);
        size_t n_art = 0;
        find_articles(doc->children, 0, &art, &n_art);
        if (n_art == 1 && html != NULL &&
            2 * text_bytes(art, 0) > text_bytes(html, 0))
            main = art;
    }
    if (main != NULL) {
        /* A page that says where its content is: that, and its title;
         * not the site's header, menus, sidebars and footer around it. */
        const xmlNode *html = xmlDocGetRootElement(doc), *c;
        for (c = html ? html->children : NULL; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE && named(c, "head"))
                element(&h, c, 1, NULL);
        element(&h, main, 0, NULL);
    } else
        for (root = doc->children; root != NULL && b->st == CM_OK;
             root = root->next) {
            if (root->type == XML_ELEMENT_NODE)
                element(&h, root, 0, NULL);
            else if (root->type == XML_TEXT_NODE)
                add_text(&h, root->content);
        }
    flush(&h);
    if (h.title.oom)
        b->st = CM_ENOMEM;
    if (b->st == CM_OK && b->doc->title[0] == '\0' && h.title.b.len > 0)
        cm_doci_set_title(b, h.title.b.data, h.title.b.len);
    free(h.cur.b.data);
    free(h.title.b.data);
    xmlFreeDoc(doc);
}
