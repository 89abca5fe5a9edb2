/* cm_doc.h: the CoE document model, and the reader that builds it.
 *
 * A document is a file split into paragraphs, the unit of retrieval.  The
 * structs are public and read-only for callers: the indexer, the searcher
 * and the CGI all use this one model.  Every string in them is a
 * NUL-terminated, malloc'd UTF-8 string owned by the cm_doc (never NULL;
 * "" when unknown), freed by cm_doc_free().
 */
#ifndef CM_DOC_H
#define CM_DOC_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef enum {
    CM_SECT_BODY = 0,
    CM_SECT_HEADING,
    CM_SECT_FOOTNOTE,
    CM_SECT_APPENDIX,
    CM_SECT_LAST /* not a section; keep last */
} cm_section;

/* "body", "heading", "footnote", "appendix"; static, never NULL. */
const char *cm_section_name(cm_section s) CM_NOEXCEPT;

/* How the splitter reads a document.
 *
 * Paragraphs.  Markdown (md4c, CommonMark with tables): each heading,
 * paragraph, list item, code block and table row is one cm_para; the
 * paragraphs of one list item are joined into one, and a nested list
 * ends its parent item's paragraph (each nested item is its own).  The
 * text is what a reader sees: emphasis markers, link targets and inline
 * HTML tags dropped (link text kept), escapes undone, entities decoded
 * (numeric ones and the HTML 4 named ones; "&nbsp;" becomes a space;
 * unknown names stay as written), the text inside <sup>...</sup> dropped
 * (footnote marks), runs of ASCII whitespace collapsed to one space and
 * trimmed.  Empty paragraphs are not emitted.  The treaties' headings
 * without a space ("##Title", "####- Right to life") are headings (the
 * dash after the hashes is dropped), and their first line <meta ...> is
 * inline HTML, so it yields nothing.  Plain text: blank-line separated
 * blocks, lines joined with a space.
 *
 * Labels.  An ordered list item is labelled with its number as printed
 * and its delimiter ("7.", "5)"); the number is not part of its text.
 * Any other paragraph or item whose text starts with "5." or "5)" (up to
 * nine digits), "5.1." or "10.2.3." (a sub-paragraph: its final dot is
 * needed), "a.", "b)" (one ASCII letter), "xvi." (a roman numeral of
 * i, v, x, l up to 4 letters, one case), each followed by a space or the
 * end, or "(a)", "(iv)", "(12)" (no space needed), takes that label and
 * the label and its spaces are removed from the text, unless nothing
 * would remain (then the text keeps it).  A label after an opening quote
 * mark is part of a quotation and not taken.  In plain text, a block
 * whose first line is only "Article N" (N up to 4 digits, an optional
 * suffix such as "bis") is labelled "Article N" and its text is the
 * rest of the block (the label itself when there is no rest).  Headings
 * and table rows have no label.
 *
 * Sections (markdown).  Headings are CM_SECT_HEADING and make the
 * heading path: a stack by level, joined with " › "; a paragraph's
 * heading is the path above it (for a heading, its ancestors).  A
 * paragraph set entirely in bold whose first word is Appendix, Annex(e),
 * Bijlage or Anhang/Anlage counts as a heading one level below the
 * current one (the next such paragraph replaces it, as a sibling).  A heading that starts with one of those words opens an
 * appendix: the paragraphs under it are CM_SECT_APPENDIX until a heading
 * of its level or above.  After a thematic break ("---") comes a footnote
 * zone: a numbered paragraph there (ordered item or "N." label) is
 * CM_SECT_FOOTNOTE labelled "N" (no dot), unless N is one more than the
 * last number used outside footnotes, which shows the body resuming
 * after a page's footnotes.  The zone ends at the first paragraph that is
 * not a footnote and at any heading.  Plain text has only body paragraphs.
 * HTML (cm_doc_html.c) has markdown's sections from its elements (h1-h6,
 * p, li, tr, <hr> before notes); a PDF (cm_doc_pdf.c) has headings by the
 * size of their type, footnotes in smaller type, and appendices.
 *
 * Metadata (cm_doc_meta.c), from the front matter: the paragraphs before
 * the first labelled body paragraph, at most the first eight.
 *  - number: a front-matter paragraph that is only "Doc. 11549" (also
 *    "Doc 11549", "Document 11549"), as printed.
 *  - type: a front-matter paragraph that starts with a type word
 *    (cm_doc_type_name(): English, French, German, Italian, Spanish,
 *    Dutch, Russian, Greek, Georgian); "Reply to", "Réponse à", "Antwort
 *    auf"... give "reply"; "Written declaration" gives "declaration".
 *    Failing that, the first type word among the first words of the title
 *    or of the first headings (the treaties: "Protocol to the
 *    Convention..." is a protocol, "Verdrag ..." a convention; any treaty
 *    (agreement, charter, treaty, statute) counts as a convention).
 *  - title: the text of the first level-1 or level-2 heading; in plain
 *    text, the first front-matter paragraph that is not the number, the
 *    date or the type line.
 *  - date: ISO YYYY-MM-DD from the first front-matter paragraph that is a
 *    date (cm_doc_find_date(), optionally after a place: "Strasbourg, 28
 *    March 2008"); failing that, from the first paragraph that starts
 *    with "Done at", "Fait à", "Gedaan te", "Geschehen zu", "Fatto a",
 *    "Hecho en" or is a short line ending in a date ("Warsaw, 16.V.2005"),
 *    which is how treaties are dated.
 *
 * References (cm_doc_meta.c).  Each paragraph's refs are the canonical
 * keys (cm_ref.h) of the references cm_ref_scan() finds in its text, in
 * order, without repeats, followed by "fn-N" for each footnote mark
 * <sup>N</sup> in it (markdown only): the mark is not part of the text
 * but the paragraph remembers that it refers to footnote N (the footnote
 * is the paragraph of the same document with section footnote and label
 * "N").  "fn-" keys are local to the document; the index leaves them out.
 *
 * Languages (cm_doc_lang.c).  Each paragraph's lang is identified with
 * libexttextcat (cm_lang.h) and smoothed: paragraphs too short to
 * identify (headings, "Article 2", short items) take the language of
 * their neighbours (the previous identified paragraph, or the next one
 * for a heading, which belongs with what follows); an identified
 * paragraph whose neighbours on both sides agree on another language
 * that is among its own close candidates takes theirs; where the
 * identifier hesitates, a language already present in the document wins.
 * doc->lang is the language of most of the text, doc->langs every
 * language that holds at least 10% of it (or is the main one), most text
 * first.  With a forced language (cm_doc_opts.lang) every paragraph and
 * the document get it, and the identifier is not used.
 */
typedef struct cm_para {
    unsigned ordinal;   /* 1-based position of the paragraph in the document */
    char *label;        /* as printed: "5.", "c.", "(a)", footnote "1", or "" */
    cm_section section;
    char *heading;      /* the heading path above it ("A › B"), or "" */
    char *lang;         /* ISO 639-1 code, or "" when unknown */
    char *text;         /* the text as a reader sees it: markup removed */
    size_t text_len;
    char **refs;        /* canonical keys of the references it cites */
    size_t n_refs;
    unsigned page;      /* the page it starts on, from 1, where the format
                           has pages (PDF); 0 elsewhere */
} cm_para;

typedef struct cm_doc {
    char *path;   /* source path as given */
    char *number; /* document number as printed ("Doc. 11549"), or "" */
    char *type;   /* "recommendation", "reply", ... or "" */
    char *title;  /* or "" */
    char *date;   /* ISO YYYY-MM-DD, or "" */
    char *lang;   /* main language, or "" */
    cm_para *paras;
    size_t n_paras;
    char **langs; /* the languages present, most text first */
    size_t n_langs;
} cm_doc;

/* The reader's version, kept with each file's state in the index: a
 * rejection is retried by a reader of another version, and a file indexed
 * by a reader older than cm_doc_reader_since() of its format is read
 * again.  1: markdown and text in UTF-8 or Latin-1; 2: HTML, and text in
 * the charset it declares; 3: PDF; 4: Word (.docx); 5: Word 97-2003
 * (.doc); 6: OpenDocument text (.odt, .fodt); 7: Word's endnotes (.doc,
 * .docx), and numbering and outline levels from a .doc's styles; 8: RTF
 * (.rtf, and RTF named .doc), Word's tables of contents and indexes not
 * read (.doc, .docx), nor a .doc's deleted and hidden text; 9: text
 * boxes read (.doc, .docx's spacing, .odt, .fodt, .rtf), hidden text not
 * read (.docx, .odt, .fodt; a .doc's hidden by its styles), an HTML page
 * read from its <main>, without what it hides or the site's landmarks;
 * 10: an HTML page without <main> or <article> read without its own
 * footer, nor its own header when that holds the site's menu; 11: an
 * HTML page's sidebars (<aside> outside an article or section) not read;
 * 12: a PDF's paragraphs know their page. */
#define CM_DOC_READER 12

/* Input formats. */
typedef enum {
    CM_FMT_AUTO = 0, /* from the file name's extension */
    CM_FMT_MARKDOWN, /* .md, .markdown */
    CM_FMT_TEXT,     /* .txt, .text */
    CM_FMT_HTML,     /* .html, .htm, .xhtml */
    CM_FMT_PDF,      /* .pdf: the text given to the parser is the file's
                        bytes (cm_doc_read_file() does not decode them) */
    CM_FMT_DOCX,     /* .docx (Word): bytes too */
    CM_FMT_DOC,      /* .doc (Word 97-2003): bytes too */
    CM_FMT_ODT,      /* .odt (OpenDocument text): bytes too */
    CM_FMT_FODT,     /* .fodt (flat OpenDocument text): bytes too */
    CM_FMT_RTF       /* .rtf: bytes too (it says its code page) */
} cm_format;

/* The format of path by its extension (any case); CM_FMT_AUTO when not
 * one we read, when it has none, or when path is NULL. */
cm_format cm_doc_format_of(const char *path) CM_NOEXCEPT;

/* The first reader version (CM_DOC_READER) that reads files of fmt as
 * this one does: files indexed by an older one are read again, so that an
 * index kept up to date run after run holds what a rebuild would.  0 for
 * formats read the same since the index kept reader versions. */
unsigned cm_doc_reader_since(cm_format fmt) CM_NOEXCEPT;

/* Check that buf (len bytes, NUL termination not needed) is text we index:
 * no NUL byte, strict UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF).  *skip_bom (may be NULL) is set to 3 when buf starts
 * with a UTF-8 BOM, else 0.  Returns CM_OK, or CM_EPARSE with *errmsg
 * (may be NULL) set to a malloc'd reason with a 0-based byte offset into
 * buf: "binary file (NUL byte at offset N)", "invalid UTF-8 at byte N";
 * CM_EINVAL when buf is NULL and len is not 0. */
cm_status cm_doc_check_text(const char *buf, size_t len, size_t *skip_bom,
                            char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* The reader's checks on bytes in memory, with its conversion: *text is
 * buf as a malloc'd NUL-terminated UTF-8 string (BOM dropped), or buf
 * converted from Latin-1/Windows-1252 when it is not UTF-8 and ICU's
 * detector is confident of that (cm_charset.h).  CM_EPARSE when it is
 * neither, with the reason and byte offset of cm_doc_check_text() and
 * the detector's guess ("invalid UTF-8 at byte 12 (not converted: looks
 * like ISO-8859-2, confidence 10%)"); CM_ENOMEM; CM_EINVAL when text is
 * NULL, or buf is NULL and len is not 0.  On failure *text is NULL and
 * *text_len (text_len may be NULL) 0. */
cm_status cm_doc_decode(const char *buf, size_t len, char **text,
                        size_t *text_len,
                        char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Read the file at path, at most max_bytes (0: no limit), into a malloc'd
 * NUL-terminated buffer, checking that it is text we can index: UTF-8
 * (a BOM is dropped), no NUL bytes, or Latin-1/Windows-1252 converted
 * to UTF-8 (cm_doc_decode()).  On failure returns CM_ENOTFOUND or
 * CM_EIO (with errno's text) or CM_EPARSE (not text, not UTF-8, too big)
 * and sets *errmsg to a malloc'd reason without the path, e.g.
 * "invalid UTF-8 at byte 1234".
 *
 * Details: *text is freed by the caller with free(); *text_len (text_len
 * may be NULL) excludes the terminating NUL.  CM_ENOTFOUND when the path
 * or a directory on it does not exist; CM_EPARSE "not a regular file"
 * for directories, devices and FIFOs (opened without blocking), "file
 * too large (N bytes, limit M)", and the messages of
 * cm_doc_check_text() (offsets count from the start of the file, BOM
 * included); CM_ENOMEM; CM_EINVAL when path or text is NULL.  On
 * failure *text is NULL and *text_len 0.  *errmsg may be NULL when
 * memory ran out. */
cm_status cm_doc_read_file(const char *path, size_t max_bytes, char **text,
                           size_t *text_len,
                           char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Split text (UTF-8, text_len bytes) in format fmt into a document.  path
 * is recorded as the source path.  *out is freed with cm_doc_free().  On
 * failure *out is NULL and *errmsg a malloc'd reason.
 *
 * Details: text need not be NUL-terminated and may be NULL when text_len
 * is 0 (an empty document: zero paragraphs, CM_OK).  Any bytes are
 * accepted without crashing (a NUL byte becomes U+FFFD), but the texts
 * are valid UTF-8 only if the input is (cm_doc_check_text()).  CM_FMT_AUTO takes the format from
 * path's extension and reads an unknown one as plain text.  Languages are
 * identified with the calling thread's identifier (cm_lang_thread()); to
 * choose the identifier, force a language or skip identification, use
 * cm_doc_parse_opts().  path may be NULL (recorded as "").  Returns CM_OK, CM_ENOMEM, CM_EINVAL (out NULL,
 * or text NULL with text_len > 0), CM_EPARSE (markdown over 4 GiB, more
 * than md4c can address), CM_EINTERNAL (md4c failed). */
cm_status cm_doc_parse(const char *path, const char *text, size_t text_len,
                       cm_format fmt, cm_doc **out,
                       char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* How cm_doc_parse_opts() reads a document.  A zeroed struct (or NULL)
 * means: format from the path, languages identified with the calling
 * thread's own identifier. */
typedef struct cm_lang cm_lang;
typedef struct cm_doc_opts {
    cm_format fmt;      /* CM_FMT_AUTO: from the path's extension */
    const char *lang;   /* ISO code forced on every paragraph, or NULL */
    cm_lang *langid;    /* the identifier to use (cm_lang.h), or NULL for
                         * the calling thread's (cm_lang_thread()); one
                         * identifier must not be used by two threads at
                         * once */
    int no_lang;        /* 1: identify no language (langs stay "") */
} cm_doc_opts;

/* cm_doc_parse() with options; opts may be NULL.  Also returns CM_EINVAL
 * for a forced language that is not 2 or 3 lower-case ASCII letters, and
 * the statuses of cm_lang_thread() when the identifier cannot be loaded
 * (CM_ENOTFOUND, CM_EIO, with the fingerprint file's path in *errmsg). */
cm_status cm_doc_parse_opts(const char *path, const char *text,
                            size_t text_len, const cm_doc_opts *opts,
                            cm_doc **out,
                            char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* The first date written in text[0..len) (UTF-8), as ISO "YYYY-MM-DD" in
 * iso[11]: "28 March 2008", "28 mars 2008", "1er juin 1956", "14. Februar
 * 2012", "24 giugno 2010", "11 апреля 2016", "22 Μαΐου 2015", "2017 წლის
 * 28 აპრილი", "this 4th day of November 1950", "the 20th day of March,
 * 1952", "March 28, 2008", "16.V.2005", "28/03/2008" and "28.03.2008"
 * (day first), "2008-03-28"; month names in English, French, German,
 * Italian, Spanish, Dutch, Portuguese, Russian, Greek and Georgian, any
 * case; years 1800..2199; impossible dates (31 April) are skipped.
 * *start and *end (may be NULL) get its byte range.  1 when found, else
 * 0. */
int cm_doc_find_date(const char *text, size_t len, char iso[11],
                     size_t *start, size_t *end) CM_NOEXCEPT;

/* The canonical document type for a type word as written ("Recommandation",
 * "Empfehlung", "Σύσταση" -> "recommendation"; any case), or NULL.  The
 * types: reply, recommendation, resolution, report, opinion, convention,
 * protocol, declaration, other. */
const char *cm_doc_type_name(const char *word, size_t len) CM_NOEXCEPT;

/* Free doc and everything in it; doc may be NULL. */
void cm_doc_free(cm_doc *doc) CM_NOEXCEPT;

CM_END_DECLS

#endif
