/* cm_doc_int.h: what the files of the document module share.
 *
 * cm_doc.c        the builder (paragraphs, heading stack), labels, the
 *                 entry point cm_doc_parse_opts()
 * cm_doc_read.c   the reader: a file to checked UTF-8 text, charsets
 * cm_doc_md.c     the markdown splitter (md4c)
 * cm_doc_html.c   the HTML splitter (libxml2)
 * cm_doc_pdf.c    the PDF splitter (poppler-glib)
 * cm_doc_docx.c   the Word splitter (libzip, libxml2)
 * cm_doc_doc.c    the Word 97-2003 splitter (cm_doc_ole.c: OLE2)
 * cm_doc_odt.c    the OpenDocument text splitter (libzip, libxml2)
 * cm_doc_rtf.c    the RTF splitter
 * cm_doc_text.c   the plain-text splitter
 * cm_doc_meta.c   metadata: number, type, title, date; references
 * cm_doc_date.c   dates written out in many languages
 * cm_doc_lang.c   languages of the paragraphs and of the document
 * cm_doc_names.c  section and type names, UTF-8 case matching (no
 *                 parser dependencies: cmsearch links it alone)
 *
 * Nothing here is part of the public API; the names shared between the
 * files start with cm_doci_ (the symbol check wants cm_ on every global).
 */
#ifndef CM_DOC_INT_H
#define CM_DOC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cm_buf.h"
#include "cm_doc.h"
#include "cm_util.h"
#include "cm_lang.h"

/* The heading stack holds levels 1..6 and one pseudo level for an
 * appendix announced by a bold paragraph, so it never needs more. */
#define CM_DOCI_HMAX 8
#define CM_DOCI_PSEUDO_MAX_LEVEL 7
#define CM_DOCI_PATH_SEP " \xe2\x80\xba " /* " › " */
/* Footnote marks remembered for one paragraph; more are dropped. */
#define CM_DOCI_MAX_MARKS 32

static inline int
is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static inline int
is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline unsigned char
lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* A letter of the Latin, Greek, Cyrillic, Armenian or Georgian scripts. */
int cm_doci_is_letter(unsigned long c);

/* *errmsg = a malloc'd message (left NULL when memory ran out); errmsg
 * may be NULL. */
void cm_doci_set_err(char **errmsg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* malloc'd copy of s[0..n) with a NUL, or NULL. */
char *cm_doci_dup(const char *s, size_t n);

/* Append code point cp as UTF-8 to out (4 bytes of room); NUL,
 * surrogates and values past U+10FFFF become U+FFFD.  Returns the length. */
size_t cm_doci_utf8_put(char *out, unsigned long cp);

/* UTF-16 unit c, after *hi (a high surrogate waiting for its pair, or 0):
 * the code points it completes into out, 0, 1 or 2 of them (a surrogate
 * without its pair is U+FFFD); their count.  The .doc and RTF splitters'
 * text. */
size_t cm_doci_utf16_unit(unsigned *hi, unsigned c, unsigned long out[2]);

/* Paragraph text under construction.  Runs of ASCII whitespace become one
 * space and leading and trailing whitespace is dropped as the text
 * arrives, so no second pass is needed. */
typedef struct {
    cm_buf b;
    int space; /* a space is owed before the next visible byte */
    int oom;
} cm_doci_acc;

void cm_doci_acc_text(cm_doci_acc *a, const char *s, size_t n);
void cm_doci_acc_space(cm_doci_acc *a);
void cm_doci_acc_reset(cm_doci_acc *a);
/* Append a's text to to, after sep when to has some; a is reset (the .doc
 * and RTF splitters' cells and rows). */
void cm_doci_acc_join(cm_doci_acc *to, cm_doci_acc *a, const char *sep);

typedef struct {
    size_t len;        /* bytes of the label at the start of the text */
    size_t skip;       /* bytes to drop from the text: label and spaces */
    int numeric;       /* "N." or "N)" */
    unsigned long num; /* its value when numeric */
} cm_doci_label;

/* Whether text (already whitespace-normalised) starts with a paragraph
 * label (cm_doc.h, "Labels"). */
int cm_doci_detect_label(const char *t, size_t n, cm_doci_label *li);
/* Whether t starts with an appendix word (Appendix, Annex, Bijlage...). */
int cm_doci_starts_appendix(const char *t, size_t n);

typedef struct {
    int level;
    int appendix; /* this heading opens an appendix */
    int pseudo;   /* a bold paragraph standing in for a heading */
    char *text;
} cm_doci_heading;

typedef struct {
    cm_doc *doc;
    size_t cap;
    cm_status st;
    cm_doci_heading hs[CM_DOCI_HMAX];
    int nh;
    cm_buf path; /* the heading path, joined */
    /* Footnote marks (<sup>N</sup>) seen in the paragraph being built;
     * the next add_para() takes them. */
    unsigned long marks[CM_DOCI_MAX_MARKS];
    size_t n_marks;
    char err[160]; /* why st is not CM_OK, when a splitter can say */
} cm_doci_builder;

char *cm_doci_xstrdup(cm_doci_builder *b, const char *s, size_t n);
void cm_doci_hs_pop(cm_doci_builder *b, int level);
void cm_doci_hs_push(cm_doci_builder *b, int level, const char *text,
                     size_t len, int appendix, int pseudo);
int cm_doci_in_appendix(const cm_doci_builder *b);
/* The section of a body-like paragraph: CM_SECT_APPENDIX in an appendix,
 * else CM_SECT_BODY. */
cm_section cm_doci_body_sect(const cm_doci_builder *b);
/* A table cell: when a's text from mark on is only spaces, bars and
 * dashes (an empty cell, a markdown rule), it is cut off at mark and 1
 * returned; else 0 (and when a holds less than mark bytes: what the cell
 * began after was taken). */
int cm_doci_acc_drop_blank(cm_doci_acc *a, size_t mark);
void cm_doci_add_para(cm_doci_builder *b, const char *label,
                      size_t label_len, cm_section sect, const char *text,
                      size_t text_len);
/* A heading of level (1..6): its paragraph, and the heading stack (an
 * appendix word opens an appendix); the first of level 1 or 2 titles the
 * document when nothing has. */
void cm_doci_add_heading(cm_doci_builder *b, int level, const char *t,
                         size_t n);
/* The document's title becomes t[0..n) (CM_ENOMEM on b). */
void cm_doci_set_title(cm_doci_builder *b, const char *t, size_t n);
/* The document's title from its metadata, t[0..n) (UTF-8): control
 * characters as spaces, spaces collapsed and trimmed; when nothing is
 * left the title stays as it was (CM_ENOMEM on b). */
void cm_doci_set_meta_title(cm_doci_builder *b, const char *t, size_t n);
/* The footnote zone after a thematic break (cm_doc.h, "Sections"). */
typedef struct {
    int on;                 /* after a break, until a paragraph that is not
                               a note (or a heading: set on to 0) */
    unsigned long last_num; /* the last paragraph number outside notes */
} cm_doci_notes;

/* A paragraph numbered num (when have_num) whose text past its label is
 * t[skip..n): in the zone, a footnote unless num continues the body's
 * numbering (a page's notes between paragraphs 6 and 7): added as one,
 * labelled num, and 1 returned.  Otherwise 0: the zone ends and num is
 * remembered, and the caller adds the paragraph. */
int cm_doci_note(cm_doci_builder *b, cm_doci_notes *z, int have_num,
                 unsigned long num, const char *t, size_t n, size_t skip);
/* A paragraph of a Word document: a heading of level (1-6), else a body
 * or appendix paragraph labelled label (Word's numbering) or, when label
 * is "", by its text. */
void cm_doci_add_word_para(cm_doci_builder *b, int level, const char *label,
                           const char *t, size_t n);
/* Footnotes in the order of their references, added at the end of the
 * document as footnote paragraphs labelled 1..n (the .doc and .odt
 * splitters). */
typedef struct {
    struct cm_doci_note_text {
        char *text;
        size_t len;
    } *v;
    size_t n, cap;
} cm_doci_note_list;

/* a's text becomes the next note (a is left empty); sets b->st to
 * CM_ENOMEM when memory ran out (then or while a was filled). */
void cm_doci_note_take(cm_doci_builder *b, cm_doci_note_list *l,
                       cm_doci_acc *a);
/* from's note i (taken from it) becomes to's next, or an empty one when
 * from has no note i. */
void cm_doci_note_move(cm_doci_builder *b, cm_doci_note_list *to,
                       cm_doci_note_list *from, size_t i);
/* The non-empty notes as footnote paragraphs; then l is freed. */
void cm_doci_note_flush(cm_doci_builder *b, cm_doci_note_list *l);
/* A body-like paragraph whose label comes from its text. */
void cm_doci_add_labelled(cm_doci_builder *b, const char *t, size_t n,
                          cm_section sect);

/* v as a Word list level's format writes it ("decimal", "lowerLetter",
 * "upperRoman"...: a..z then aa.., i, ii..; anything else in digits), into
 * out[0..cap) (the .docx and .doc splitters). */
void cm_doci_format_number(long v, const char *fmt, char *out, size_t cap);

/* The verb of a Word field's instructions (" TOC \\o "1-3" " -> TOC),
 * read a character at a time (the Word and RTF splitters): a field that
 * copies the headings or the index entries (TOC, INDEX, TOA) has a
 * result that is not text of the document. */
typedef struct {
    char w[8];
    unsigned char n;
    unsigned char done; /* the verb has ended */
} cm_doci_field_word;

void cm_doci_field_word_add(cm_doci_field_word *f, unsigned long c);
int cm_doci_field_word_is_toc(const cm_doci_field_word *f);

/* The splitters: fill b->doc, leave b->st != CM_OK on failure. */
void cm_doci_parse_markdown(cm_doci_builder *b, const char *text,
                            size_t len);
void cm_doci_parse_text(cm_doci_builder *b, const char *text, size_t len);
void cm_doci_parse_html(cm_doci_builder *b, const char *text, size_t len);
/* data[0..len): the PDF file's bytes, not text. */
void cm_doci_parse_pdf(cm_doci_builder *b, const char *data, size_t len);
/* data[0..len): the .docx file's bytes (a zip). */
void cm_doci_parse_docx(cm_doci_builder *b, const char *data, size_t len);
/* data[0..len): the .doc file's bytes (an OLE2 compound file). */
void cm_doci_parse_doc(cm_doci_builder *b, const char *data, size_t len);
/* data[0..len): the .odt file's bytes (a zip), the .fodt's (XML). */
void cm_doci_parse_odt(cm_doci_builder *b, const char *data, size_t len);
void cm_doci_parse_fodt(cm_doci_builder *b, const char *data, size_t len);
/* data[0..len): the .rtf file's bytes. */
void cm_doci_parse_rtf(cm_doci_builder *b, const char *data, size_t len);
/* An OLE2 compound file's streams (cm_doc_ole.c).  data stays the
 * caller's while the structure is used. */
typedef struct {
    const unsigned char *data;
    size_t len, sector, cutoff;
    uint32_t *fat, *minifat;
    size_t fat_n, minifat_n;
    unsigned char *dir, *ministream;
    size_t n_dir, ministream_len;
} cm_doci_ole;

/* 1 when data is a compound file whose FAT and directory read, 0 when it
 * is not one or they are broken, -1 out of memory. */
int cm_doci_ole_open(cm_doci_ole *o, const char *data, size_t len);
/* The stream name (a child of the root storage, named without regard to
 * case), read whole into *out (malloc'd): 1; 0 when there is none; -1
 * out of memory; -2 when its sectors are not in the file. */
int cm_doci_ole_stream(const cm_doci_ole *o, const char *name,
                       unsigned char **out, size_t *len);
void cm_doci_ole_close(cm_doci_ole *o);

/* Zipped XML documents (.docx, .odt), in cm_doc_docx.c; kind names the
 * document in messages ("Word document").  A member is read up to limit
 * bytes, set by cm_doci_zip_open() from the file's size (a zip bomb is
 * refused with the reason).  Each returns NULL with b->st set on failure;
 * cm_doci_zip_xml() NULL without it when the member is absent. */
struct zip *cm_doci_zip_open(cm_doci_builder *b, const char *data,
                             size_t len, const char *kind, size_t *limit);
struct _xmlDoc *cm_doci_zip_xml(cm_doci_builder *b, struct zip *z,
                                const char *name, size_t limit,
                                const char *kind);
/* buf[0..len) parsed as XML (name: what it is, for the message). */
struct _xmlDoc *cm_doci_xml(cm_doci_builder *b, const char *buf, size_t len,
                            const char *kind, const char *name);

/* libxml2's one initialisation, before threads use it (cm_doc_html.c). */
void cm_doci_xml_init(void);

/* Metadata of a split document: number, type, title (plain text: from
 * the front matter), date; and each paragraph's references.  CM_ENOMEM. */
cm_status cm_doci_meta(cm_doc *d, cm_format fmt);
cm_status cm_doci_refs(cm_doc *d);

/* Languages: each paragraph's, the document's main one and the list of
 * those present.  force: an ISO code for every paragraph, or NULL to
 * identify them with id.  CM_ENOMEM. */
cm_status cm_doci_langs(cm_doc *d, cm_lang *id, const char *force);

#endif
