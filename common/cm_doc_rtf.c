/* cm_doc_rtf.c: the RTF splitter (.rtf, and RTF named .doc).
 *
 * RTF is text: groups in braces, control words (a backslash, letters, an
 * optional number, a space that ends it), control symbols (a backslash and
 * one other character) and the text between them.  Debian has no library
 * that reads it (unrtf is a program; LibreOffice's reader is not a
 * library), so it is read here, as the specification says, with what a
 * group changes (the destination, the characters' properties, the
 * paragraph's) undone when it closes.
 *
 * Text: characters in the document's code page (\ansicpgN, else Windows-
 * 1252) or in the charset of the font they use (\fcharsetN in the font
 * table), \'hh bytes in it, \uN UTF-16 units (surrogate pairs joined; the
 * \ucN characters after one are its fallback, skipped), \tab, \line,
 * \~ and the rest as spaces, quotes and dashes as themselves.  Hidden
 * text (\v) and deleted revisions (\deleted) are not read, nor the
 * destinations that are not the document's text: font, colour, style and
 * list tables, headers and footers, pictures, objects, shapes (but the
 * text of a text box, \shptxt, joined to the paragraph it is anchored
 * in, as the .docx splitter does; not its copy for old readers in
 * \shprslt), field instructions (a field's result is read: a hyperlink's
 * words, not its URL; nor a table of contents' or an index's, which copy
 * the headings and the index entries), comments, index and contents
 * entries, and any group that starts with \* and a destination not known
 * here.
 *
 * Structure, as in the Word splitters: \par ends a paragraph; \intbl
 * puts it in a table, where \cell ends a cell and \row the row, which is
 * one paragraph of its cells joined by " | " (a nested table's cells are
 * joined to their cell); a paragraph of outline level N (\outlinelevelN,
 * or its style's in the style sheet, or a style named "heading N") is a
 * heading of level N + 1; the number text Word writes before a numbered
 * paragraph (\listtext, or \pntext of older writers) is its label; a
 * footnote or endnote (\footnote) is a mark, numbered in order, and its
 * text a footnote paragraph at the end; \title in \info titles a
 * document no heading titled.
 *
 * Refused, with the reason: a file that does not start with {\rtf, and
 * groups nested deeper than MAX_DEPTH.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_charset.h"
#include "cm_doc_int.h"

#define MAX_DEPTH 512   /* nested groups; deeper: refused */
#define MAX_STYLES 4096 /* style numbers remembered for outline levels */
#define WORD_MAX 32     /* letters of a control word */
#define LABEL_MAX 64

/* Where the text of a group goes. */
typedef enum {
    D_TEXT,    /* the document (the body, or a note) */
    D_SKIP,    /* nowhere */
    D_FONTS,   /* the font table: charsets */
    D_STYLES,  /* the style sheet: outline levels */
    D_LABEL,   /* \listtext, \pntext: a paragraph's number */
    D_TITLE,   /* \info's \title */
    D_INFO,    /* \info: nowhere, but \title */
    D_UPR,     /* \upr: its ANSI text skipped, its \ud read */
    D_FLDINST, /* a field's instructions: their verb */
    D_SHAPE    /* a shape in the text: nowhere, but its \shptxt */
} dest;

/* What a group changes, restored when it closes. */
typedef struct {
    dest d;
    dest upr_parent;  /* under D_UPR: the destination \ud restores */
    int in_note;      /* in a footnote's text */
    int in_box;       /* in a text box's text (\shptxt), which is joined
                         to the paragraph it is anchored in */
    int toc;          /* a field whose result copies the headings */
    unsigned uc;      /* fallback characters after \uN */
    int hidden;       /* \v, \deleted */
    int deleted;
    unsigned cp;      /* the code page of its font (\fN), 0: the
                         document's */
    /* The paragraph's properties (a group may hold \pard). */
    int outline;      /* 0-8, -1 none */
    int in_table;
    int style;        /* \sN */
} gstate;

typedef struct {
    int num;       /* \fN */
    unsigned cp;   /* its code page, 0: the document's */
} font;

typedef struct {
    cm_doci_builder *b;
    const unsigned char *p, *end;
    gstate g[MAX_DEPTH + 1];
    int depth;
    unsigned ansicpg;
    font *fonts; /* sorted by number when the font table closes */
    size_t n_fonts, cap_fonts;
    signed char *style_outline; /* by style number, -1 none */
    /* The entry of the style sheet or font table being read. */
    int entry_num, entry_outline;
    unsigned entry_cp;
    char entry_name[64];
    size_t entry_name_len;
    /* Bytes in a code page, converted when something else comes. */
    unsigned char bytes[256];
    size_t n_bytes;
    unsigned bytes_cp;
    unsigned hi_surr; /* a high surrogate waiting for its pair */
    cm_doci_field_word fld; /* the verb of the field being read */
    unsigned skip;    /* fallback characters still to skip */
    /* The text being built. */
    cm_doci_acc cur, cell, row, note, title;
    int row_open;
    char label[LABEL_MAX];
    size_t label_len;
    int label_set;
    int title_done;
    cm_doci_note_list notes;
} rctx;

static gstate *
top(rctx *r)
{
    return &r->g[r->depth];
}

/* ---- characters ------------------------------------------------------ */

static void end_entry(rctx *r, dest d);

/* The accumulator text goes to now, or NULL when nowhere. */
static cm_doci_acc *
sink(rctx *r)
{
    gstate *g = top(r);

    if (g->hidden || g->deleted)
        return NULL;
    switch (g->d) {
    case D_TEXT:
        return g->in_note ? &r->note : &r->cur;
    case D_TITLE:
        return r->title_done ? NULL : &r->title;
    default:
        return NULL;
    }
}

/* One code point into the destination: text, a label, a style's or a
 * font's name. */
static void
put_cp(rctx *r, unsigned long c)
{
    gstate *g = top(r);
    cm_doci_acc *a;
    char u[4];
    size_t n;

    if (g->d == D_LABEL && !g->hidden) {
        n = cm_doci_utf8_put(u, c);
        if (r->label_len + n < sizeof r->label) {
            memcpy(r->label + r->label_len, u, n);
            r->label_len += n;
        }
        return;
    }
    if (g->d == D_FLDINST) {
        cm_doci_field_word_add(&r->fld, c);
        return;
    }
    if (g->d == D_STYLES || g->d == D_FONTS) {
        if (c == ';') /* the end of an entry */
            end_entry(r, g->d);
        else if (c < 128 && r->entry_name_len + 1 < sizeof r->entry_name)
            r->entry_name[r->entry_name_len++] = (char)c;
        return;
    }
    if ((a = sink(r)) == NULL)
        return;
    if (c == 0xA0 || c == 0x2007 || c == 0x202F || c == '\t')
        cm_doci_acc_space(a);
    else if (c >= 32)
        cm_doci_acc_text(a, u, cm_doci_utf8_put(u, c));
}

/* A UTF-16 unit: surrogate pairs joined, a lone one U+FFFD. */
static void
put_unit(rctx *r, unsigned c)
{
    unsigned long cp[2];
    size_t n = cm_doci_utf16_unit(&r->hi_surr, c, cp), i;

    for (i = 0; i < n; i++)
        put_cp(r, cp[i]);
}

/* The code page of the characters now: their font's, else the
 * document's. */
static unsigned
codepage(const rctx *r)
{
    unsigned cp = r->g[r->depth].cp;
    return cp ? cp : r->ansicpg;
}

static int
by_num(const void *a, const void *b)
{
    const font *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

/* The code page of font f (0: the document's). */
static unsigned
font_cp(const rctx *r, int f)
{
    font key;
    const font *hit;

    key.num = f;
    hit = r->n_fonts ? bsearch(&key, r->fonts, r->n_fonts, sizeof *r->fonts,
                               by_num)
                     : NULL;
    return hit ? hit->cp : 0;
}

/* The bytes held, converted from their code page. */
static void
flush_bytes(rctx *r)
{
    char cs[16], *out = NULL;
    size_t n = 0, i, k;

    if (r->n_bytes == 0)
        return;
    if (r->bytes_cp == 65001)
        snprintf(cs, sizeof cs, "UTF-8");
    else if (r->bytes_cp == 10000)
        snprintf(cs, sizeof cs, "macintosh");
    else
        snprintf(cs, sizeof cs, "cp%u", r->bytes_cp);
    if (cm_charset_convert(cs, (const char *)r->bytes, r->n_bytes, &out, &n,
                           NULL) != CM_OK &&
        cm_charset_convert("cp1252", (const char *)r->bytes, r->n_bytes,
                           &out, &n, NULL) != CM_OK) {
        out = NULL;
        n = 0;
    }
    r->n_bytes = 0;
    if (out == NULL) {
        put_cp(r, 0xFFFD);
        return;
    }
    for (i = 0; i < n; i += k)
        put_cp(r, cm_utf8_decode(out + i, n - i, &k));
    free(out);
}

/* A byte of text in the code page now: a character of the file, or one
 * written \'hh (hex, which may be an ASCII one: the second of two bytes
 * of a Japanese, Chinese or Korean character). */
static void
put_byte(rctx *r, unsigned char c, int hex)
{
    unsigned cp;

    if (c < 0x80 && !hex) {
        flush_bytes(r);
        put_unit(r, c);
        return;
    }
    cp = codepage(r);
    if (r->n_bytes > 0 && (cp != r->bytes_cp || r->n_bytes == sizeof r->bytes))
        flush_bytes(r);
    r->bytes_cp = cp;
    r->bytes[r->n_bytes++] = c;
}

/* ---- paragraphs ------------------------------------------------------ */

/* The cell's text as the row's next cell, when it is not blank. */
static void
end_cell(rctx *r)
{
    if (!cm_doci_acc_drop_blank(&r->cell, 0))
        cm_doci_acc_join(&r->row, &r->cell, " | ");
    cm_doci_acc_reset(&r->cell);
    r->row_open = 1;
    r->label_set = 0;
}

/* The row, its last cell ended, as a paragraph of its cells. */
static void
end_row(rctx *r)
{
    cm_doci_builder *b = r->b;

    end_cell(r);
    if (r->row.oom)
        b->st = CM_ENOMEM;
    else if (r->row.b.len > 0)
        cm_doci_add_para(b, "", 0, cm_doci_body_sect(b), r->row.b.data,
                         r->row.b.len);
    b->n_marks = 0;
    cm_doci_acc_reset(&r->row);
    r->row_open = 0;
}

/* The heading level (1-6) of the paragraph whose properties g holds, 0
 * when it is not one. */
static int
heading_level(const rctx *r, const gstate *g)
{
    int o = g->outline;

    if (o < 0 && r->style_outline != NULL && g->style >= 0 &&
        g->style < MAX_STYLES)
        o = r->style_outline[g->style];
    return o >= 0 && o <= 5 ? o + 1 : 0;
}

/* Whether a number text is a label: a bullet is not, nor a tab. */
static int
is_label(const char *s, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i += k) {
        unsigned long cp = cm_utf8_decode(s + i, n - i, &k);
        if ((cp < 0x80 && is_digit((unsigned char)cp)) ||
            cm_doci_is_letter(cp))
            return 1;
    }
    return 0;
}

/* The paragraph ends (\par, \sect, \page, or the end of the text). */
static void
end_para(rctx *r)
{
    cm_doci_builder *b = r->b;
    gstate *g = top(r);
    char label[LABEL_MAX];
    int level;

    flush_bytes(r);
    if (g->in_note) {
        cm_doci_acc_space(&r->note);
        return;
    }
    if (g->in_table) {
        cm_doci_acc_join(&r->cell, &r->cur, " ");
        r->row_open = 1;
        r->label_set = 0;
        return;
    }
    if (r->row_open)
        end_row(r);
    if (r->cur.oom) {
        b->st = CM_ENOMEM;
        return;
    }
    level = heading_level(r, g);
    /* The label as Word shows it, without the tab after it. */
    label[0] = '\0';
    if (r->label_set && level == 0) {
        size_t s = 0, n = r->label_len;
        while (s < n && (r->label[s] == ' ' || r->label[s] == '\t'))
            s++;
        while (n > s && (r->label[n - 1] == ' ' || r->label[n - 1] == '\t'))
            n--;
        if (is_label(r->label + s, n - s)) {
            memcpy(label, r->label + s, n - s);
            label[n - s] = '\0';
        }
    }
    if (r->cur.b.len > 0)
        cm_doci_add_word_para(b, level, label, r->cur.b.data, r->cur.b.len);
    b->n_marks = 0;
    cm_doci_acc_reset(&r->cur);
    r->label_set = 0;
}

/* ---- groups ---------------------------------------------------------- */

static void
open_group(rctx *r)
{
    flush_bytes(r);
    r->skip = 0;
    if (r->depth == MAX_DEPTH) {
        if (r->b->st == CM_OK) {
            r->b->st = CM_EPARSE;
            snprintf(r->b->err, sizeof r->b->err,
                     "damaged RTF document (groups nested deeper than %d)",
                     MAX_DEPTH);
        }
        return;
    }
    r->g[r->depth + 1] = r->g[r->depth];
    r->depth++;
}

/* Start an entry of the style sheet or the font table. */
static void
start_entry(rctx *r)
{
    r->entry_num = -1;
    r->entry_outline = -1;
    r->entry_cp = 0;
    r->entry_name_len = 0;
}

/* The entry of the style sheet or the font table just read (at its ';',
 * or when its group closes): a style's outline level (its own, else a
 * "heading N" name's), a font's code page. */
static void
end_entry(rctx *r, dest d)
{
    r->entry_name[r->entry_name_len] = '\0';
    if (d == D_STYLES && r->entry_num >= 0 && r->entry_num < MAX_STYLES) {
        int o = r->entry_outline;
        if (o < 0 && r->entry_name_len >= 9 &&
            strncasecmp(r->entry_name, "heading ", 8) == 0 &&
            r->entry_name[8] >= '1' && r->entry_name[8] <= '9')
            o = r->entry_name[8] - '1';
        if (o >= 0) {
            if (r->style_outline == NULL) {
                r->style_outline = malloc(MAX_STYLES);
                if (r->style_outline == NULL) {
                    r->b->st = CM_ENOMEM;
                    start_entry(r);
                    return;
                }
                memset(r->style_outline, -1, MAX_STYLES);
            }
            r->style_outline[r->entry_num] = (signed char)o;
        }
    } else if (d == D_FONTS && r->entry_num >= 0) {
        if (cm_grow((void **)&r->fonts, &r->cap_fonts, r->n_fonts,
                    sizeof *r->fonts) != CM_OK) {
            r->b->st = CM_ENOMEM;
            start_entry(r);
            return;
        }
        r->fonts[r->n_fonts].num = r->entry_num;
        r->fonts[r->n_fonts++].cp = r->entry_cp;
    }
    start_entry(r);
}

static void
close_group(rctx *r)
{
    dest was = top(r)->d;
    int note = top(r)->in_note;

    flush_bytes(r);
    r->skip = 0;
    if (r->depth == 0)
        return; /* a stray brace: the text goes on */
    r->depth--;
    if ((was == D_STYLES || was == D_FONTS) && top(r)->d == was)
        end_entry(r, was); /* an entry's group, inside the table's */
    if (was == D_FONTS && top(r)->d != D_FONTS && r->n_fonts > 1)
        qsort(r->fonts, r->n_fonts, sizeof *r->fonts, by_num);
    if (was == D_FLDINST && top(r)->d != D_FLDINST)
        top(r)->toc = cm_doci_field_word_is_toc(&r->fld);
    if (was == D_LABEL && top(r)->d != D_LABEL)
        r->label_set = 1;
    if (was == D_TITLE && top(r)->d != D_TITLE)
        r->title_done = 1; /* the first \title only */
    if (note && !top(r)->in_note)
        cm_doci_note_take(r->b, &r->notes, &r->note);
}


/* ---- control words --------------------------------------------------- */

static const char *const skipped[] = {
    "annotation", "atnauthor", "atndate", "atnicn", "atnid", "atnparent",
    "atnref", "atntime", "atrfend", "atrfstart", "author", "bkmkend",
    "bkmkstart", "buptim", "category", "colortbl", "comment", "company",
    "creatim", "datafield", "do", "doccomm", "docvar", "falt",
    "footer", "footerf", "footerl", "footerr", "formfield", "ftncn",
    "ftnsep", "ftnsepc", "aftncn", "aftnsep", "aftnsepc", "generator",
    "header", "headerf", "headerl", "headerr", "hlinkbase", "keywords",
    "listoverridetable", "listtable", "manager", "nonesttables", "object",
    "objdata", "operator", "panose", "pict", "pn", "pntxta", "pntxtb",
    "printim", "private", "revtbl", "revtim", "rsidtbl", "shppict",
    "nonshppict", "shprslt", "sp", "subject", "tc", "tcn", "template", "txe",
    "userprops", "xe", "xmlnstbl", "themedata", "colorschememapping",
    "datastore", "latentstyles", "pgdsctbl", "mmathPr", "fchars", "lchars",
    "password", "passwordhash", "wgrffmtfilter", "factoidname",
};

static int
is_skipped(const char *w)
{
    size_t i;

    for (i = 0; i < sizeof skipped / sizeof *skipped; i++)
        if (strcmp(w, skipped[i]) == 0)
            return 1;
    return 0;
}

/* The code page of a font charset (\fcharsetN); 0: the document's. */
static unsigned
charset_cp(long n)
{
    switch (n) {
    case 77: return 10000;
    case 128: return 932;
    case 129: return 949;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    case 255: return 850;
    default: return 0;
    }
}

/* Control word w, with its number when has (else n is 0); star: it came
 * after \*. */
static void
control_word(rctx *r, const char *w, int has, long n, int star)
{
    gstate *g = top(r);

    /* Destinations. */
    if (strcmp(w, "fonttbl") == 0) {
        g->d = D_FONTS;
        start_entry(r);
    } else if (strcmp(w, "stylesheet") == 0) {
        g->d = D_STYLES;
        start_entry(r);
    } else if (strcmp(w, "info") == 0)
        g->d = D_INFO;
    else if (strcmp(w, "title") == 0)
        g->d = g->d == D_INFO ? D_TITLE : D_SKIP;
    else if (strcmp(w, "shp") == 0 || strcmp(w, "shpgrp") == 0)
        g->d = g->d == D_TEXT || g->d == D_SHAPE ? D_SHAPE : D_SKIP;
    else if (strcmp(w, "shpinst") == 0 && g->d == D_SHAPE)
        ; /* the shape's instructions: its text box's text in them */
    else if (strcmp(w, "shptxt") == 0) {
        if (g->d == D_SHAPE) {
            g->d = D_TEXT;
            g->in_box = 1;
            flush_bytes(r);
            put_cp(r, ' ');
        } else
            g->d = D_SKIP;
    } else if (strcmp(w, "listtext") == 0 || strcmp(w, "pntext") == 0) {
        g->d = g->d == D_TEXT && !g->in_note && !g->in_box ? D_LABEL
                                                           : D_SKIP;
        r->label_len = 0;
    } else if (strcmp(w, "footnote") == 0) {
        if (g->d != D_TEXT || g->in_note) {
            g->d = D_SKIP; /* a note in a note, or outside the text */
            return;
        }
        flush_bytes(r);
        if (r->b->n_marks < CM_DOCI_MAX_MARKS)
            r->b->marks[r->b->n_marks++] = r->notes.n + 1;
        g->in_note = 1;
        g->hidden = g->deleted = 0;
        g->in_table = 0;
        cm_doci_acc_reset(&r->note);
    } else if (strcmp(w, "upr") == 0) {
        g->upr_parent = g->d;
        g->d = D_UPR;
    } else if (strcmp(w, "ud") == 0)
        g->d = g->d == D_UPR ? g->upr_parent : g->d;
    else if (strcmp(w, "fldinst") == 0) {
        if (g->d == D_TEXT) {
            g->d = D_FLDINST;
            memset(&r->fld, 0, sizeof r->fld);
        } else
            g->d = D_SKIP;
    } else if (strcmp(w, "fldrslt") == 0) {
        /* A field's result is text, unless it copies the headings or
         * the index entries (TOC, INDEX, TOA). */
        if (g->toc)
            g->d = D_SKIP;
    }
    else if (is_skipped(w) || (star && g->d != D_FONTS && g->d != D_STYLES))
        g->d = D_SKIP; /* not known after \*: not text */
    /* Inside the tables. */
    else if (g->d == D_FONTS || g->d == D_STYLES) {
        if ((strcmp(w, "f") == 0 && g->d == D_FONTS) ||
            (strcmp(w, "s") == 0 && g->d == D_STYLES))
            r->entry_num = has ? (int)n : 0;
        else if (strcmp(w, "fcharset") == 0 && r->entry_cp == 0)
            r->entry_cp = charset_cp(n);
        else if (strcmp(w, "cpg") == 0 && n > 0 && n < 100000)
            r->entry_cp = (unsigned)n;
        else if (strcmp(w, "outlinelevel") == 0)
            r->entry_outline = n >= 0 && n <= 8 ? (int)n : -1;
    }
    /* The document's code page. */
    else if (strcmp(w, "ansicpg") == 0 && n > 0 && n < 100000)
        r->ansicpg = (unsigned)n;
    else if (strcmp(w, "mac") == 0)
        r->ansicpg = 10000;
    else if (strcmp(w, "pc") == 0)
        r->ansicpg = 437;
    else if (strcmp(w, "pca") == 0)
        r->ansicpg = 850;
    /* Characters' properties. */
    else if (strcmp(w, "uc") == 0)
        g->uc = n >= 0 && n <= 16 ? (unsigned)n : 1;
    else if (strcmp(w, "v") == 0)
        g->hidden = !has || n != 0;
    else if (strcmp(w, "deleted") == 0)
        g->deleted = !has || n != 0;
    else if (strcmp(w, "plain") == 0)
        g->hidden = g->deleted = 0;
    else if (strcmp(w, "f") == 0) {
        flush_bytes(r);
        g->cp = font_cp(r, has ? (int)n : 0);
    }
    /* The paragraph's properties. */
    else if (strcmp(w, "pard") == 0) {
        g->outline = -1;
        g->in_table = 0;
        g->style = 0;
    } else if (strcmp(w, "outlinelevel") == 0)
        g->outline = n >= 0 && n <= 8 ? (int)n : -1;
    else if (strcmp(w, "intbl") == 0)
        g->in_table = 1;
    else if (strcmp(w, "itap") == 0)
        g->in_table = n > 0;
    else if (strcmp(w, "s") == 0)
        g->style = has ? (int)n : 0;
    /* Characters. */
    else if (strcmp(w, "u") == 0) {
        flush_bytes(r);
        put_unit(r, (unsigned)(n < 0 ? n + 65536 : n) & 0xFFFF);
        r->skip = g->uc;
    } else if (g->d != D_TEXT && g->d != D_LABEL && g->d != D_TITLE)
        ; /* no structure in a skipped group or a table */
    else if (strcmp(w, "par") == 0 || strcmp(w, "sect") == 0 ||
             strcmp(w, "page") == 0) {
        if (g->d == D_TEXT && !g->in_box)
            end_para(r);
        else {
            flush_bytes(r);
            put_cp(r, ' ');
        }
    } else if ((strcmp(w, "cell") == 0 || strcmp(w, "row") == 0) &&
               (g->d != D_TEXT || g->in_box)) {
        flush_bytes(r);
        put_cp(r, ' ');
    } else if (strcmp(w, "cell") == 0 || strcmp(w, "row") == 0) {
        flush_bytes(r);
        if (g->in_note)
            put_cp(r, ' ');
        else {
            /* The paragraph being built ends the cell. */
            cm_doci_acc_join(&r->cell, &r->cur, " ");
            if (w[0] == 'c')
                end_cell(r);
            else
                end_row(r);
        }
    } else if (strcmp(w, "tab") == 0 || strcmp(w, "line") == 0 ||
               strcmp(w, "nestcell") == 0 || strcmp(w, "nestrow") == 0 ||
               strcmp(w, "emspace") == 0 || strcmp(w, "enspace") == 0 ||
               strcmp(w, "qmspace") == 0) {
        flush_bytes(r);
        put_cp(r, ' ');
    } else {
        static const struct {
            const char *w;
            unsigned long c;
        } chars[] = {{"emdash", 0x2014}, {"endash", 0x2013},
                     {"bullet", 0x2022}, {"lquote", 0x2018},
                     {"rquote", 0x2019}, {"ldblquote", 0x201C},
                     {"rdblquote", 0x201D}};
        size_t i;
        for (i = 0; i < sizeof chars / sizeof *chars; i++)
            if (strcmp(w, chars[i].w) == 0) {
                flush_bytes(r);
                put_cp(r, chars[i].c);
                break;
            }
    }
}

/* ---- the scanner ----------------------------------------------------- */

static int
is_hex(unsigned char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* A fallback character after \uN: 1 when the one at r->p was skipped. */
static int
skip_fallback(rctx *r)
{
    const unsigned char *p = r->p;

    if (r->skip == 0 || p >= r->end || *p == '{' || *p == '}')
        return 0;
    if (*p == '\\' && p + 1 < r->end) {
        if (p[1] == '\'') {
            p += 2;
            if (p < r->end && is_hex(*p))
                p++;
            if (p < r->end && is_hex(*p))
                p++;
        } else if (is_alpha(p[1]))
            return 0; /* a control word ends the fallback */
        else
            p += 2;
    } else if (*p == '\r' || *p == '\n') {
        r->p++;
        return 1; /* not a character */
    } else
        p++;
    r->p = p;
    r->skip--;
    return 1;
}

static int
hexval(unsigned char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void
scan(rctx *r)
{
    int star = 0;

    while (r->p < r->end && r->b->st == CM_OK) {
        unsigned char c = *r->p;
        if (skip_fallback(r))
            continue;
        if (c == '{') {
            r->p++;
            open_group(r);
            star = 0;
        } else if (c == '}') {
            r->p++;
            close_group(r);
            star = 0;
        } else if (c == '\\' && r->p + 1 < r->end) {
            unsigned char s = r->p[1];
            if (is_alpha(s)) {
                char w[WORD_MAX + 1];
                r->skip = 0; /* a control word ends a \uN's fallback */
                size_t n = 0;
                long v = 0;
                int has = 0, neg = 0, digits = 0;
                r->p++;
                while (r->p < r->end && is_alpha(*r->p)) {
                    if (n < WORD_MAX)
                        w[n++] = (char)*r->p;
                    r->p++;
                }
                w[n] = '\0';
                if (r->p < r->end && *r->p == '-' && r->p + 1 < r->end &&
                    is_digit(r->p[1])) {
                    neg = 1;
                    r->p++;
                }
                while (r->p < r->end && is_digit(*r->p)) {
                    if (digits++ < 10)
                        v = v * 10 + (*r->p - '0');
                    r->p++;
                    has = 1;
                }
                if (neg)
                    v = -v;
                if (r->p < r->end && *r->p == ' ')
                    r->p++; /* the space that ends it */
                if (strcmp(w, "bin") == 0) {
                    /* Binary data: v bytes, not text. */
                    size_t left = (size_t)(r->end - r->p);
                    r->p += v > 0 && (unsigned long)v < left ? (size_t)v
                                                             : (v > 0 ? left
                                                                      : 0);
                } else
                    control_word(r, w, has, v, star);
                star = 0;
            } else if (s == '\'') {
                r->p += 2;
                if (r->p + 1 < r->end && is_hex(r->p[0]) &&
                    is_hex(r->p[1])) {
                    put_byte(r,
                             (unsigned char)(hexval(r->p[0]) << 4 |
                                             hexval(r->p[1])),
                             1);
                    r->p += 2;
                }
            } else {
                r->p += 2;
                if (s == '*')
                    star = 1;
                else if (s == '\\' || s == '{' || s == '}')
                    put_byte(r, s, 0);
                else if (s == '~')
                    put_cp(r, 0xA0);
                else if (s == '_')
                    put_cp(r, '-');
                else if ((s == '\r' || s == '\n') && top(r)->d == D_TEXT &&
                         !top(r)->in_box)
                    end_para(r); /* \par */
                else if (s == '\r' || s == '\n')
                    put_cp(r, ' ');
                else if (s == '\t')
                    put_cp(r, ' ');
                /* \- (an optional hyphen), \| and \: are not text */
            }
        } else if (c == '\\') {
            r->p++; /* a lone backslash at the end */
        } else {
            r->p++;
            if (c == '\r' || c == '\n' || c == 0)
                continue; /* line breaks of the file are not text */
            put_byte(r, c == '\t' ? ' ' : c, 0);
        }
    }
    flush_bytes(r);
}

void
cm_doci_parse_rtf(cm_doci_builder *b, const char *data, size_t len)
{
    rctx *r;
    size_t i = 0;

    if (len == 0)
        return;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && is_ws((unsigned char)data[i]))
        i++;
    if (len - i < 5 || memcmp(data + i, "{\\rtf", 5) != 0) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err,
                 "not an RTF document (it does not start with {\\rtf)");
        return;
    }
    if ((r = calloc(1, sizeof *r)) == NULL) {
        b->st = CM_ENOMEM;
        return;
    }
    r->b = b;
    r->p = (const unsigned char *)data + i;
    r->end = (const unsigned char *)data + len;
    r->ansicpg = 1252;
    r->g[0].d = D_TEXT;
    r->g[0].uc = 1;
    r->g[0].outline = -1;
    r->entry_num = -1;
    scan(r);
    if (b->st == CM_OK) {
        /* What the text ends with, without its \par. */
        while (r->depth > 0 && top(r)->in_note)
            close_group(r);
        r->g[r->depth].in_table = 0;
        if (r->row_open) { /* the text ends in a cell */
            cm_doci_acc_join(&r->cell, &r->cur, " ");
            end_row(r);
        }
        end_para(r);
    }
    cm_doci_note_flush(b, &r->notes); /* freed, on failure too */
    if (b->st == CM_OK && b->doc->title[0] == '\0' && r->title.b.len > 0 &&
        !r->title.oom)
        cm_doci_set_meta_title(b, r->title.b.data, r->title.b.len);
    free(r->cur.b.data);
    free(r->cell.b.data);
    free(r->row.b.data);
    free(r->note.b.data);
    free(r->title.b.data);
    free(r->fonts);
    free(r->style_outline);
    free(r);
}
