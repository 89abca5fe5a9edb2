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
 * nine digits), "a.", "b)" (one ASCII letter), "xvi." (a roman numeral of
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
 *
 * Metadata.  title is the text of the first level-1 or level-2 heading;
 * number, type, date and lang, and each paragraph's lang and refs, are
 * not filled in yet ("", and refs NULL with n_refs 0).
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
} cm_doc;

/* Input formats. */
typedef enum {
    CM_FMT_AUTO = 0, /* from the file name's extension */
    CM_FMT_MARKDOWN, /* .md, .markdown */
    CM_FMT_TEXT      /* .txt, .text */
} cm_format;

/* The format of path by its extension (any case); CM_FMT_AUTO when not
 * one we read, when it has none, or when path is NULL. */
cm_format cm_doc_format_of(const char *path) CM_NOEXCEPT;

/* Check that buf (len bytes, NUL termination not needed) is text we index:
 * no NUL byte, strict UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF).  *skip_bom (may be NULL) is set to 3 when buf starts
 * with a UTF-8 BOM, else 0.  Returns CM_OK, or CM_EPARSE with *errmsg
 * (may be NULL) set to a malloc'd reason with a 0-based byte offset into
 * buf: "binary file (NUL byte at offset N)", "invalid UTF-8 at byte N";
 * CM_EINVAL when buf is NULL and len is not 0. */
cm_status cm_doc_check_text(const char *buf, size_t len, size_t *skip_bom,
                            char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Read the file at path, at most max_bytes (0: no limit), into a malloc'd
 * NUL-terminated buffer, checking that it is text we can index: UTF-8
 * (a BOM is dropped), no NUL bytes.  On failure returns CM_ENOTFOUND or
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
 * path's extension and reads an unknown one as plain text.  path may be
 * NULL (recorded as "").  Returns CM_OK, CM_ENOMEM, CM_EINVAL (out NULL,
 * or text NULL with text_len > 0), CM_EPARSE (markdown over 4 GiB, more
 * than md4c can address), CM_EINTERNAL (md4c failed). */
cm_status cm_doc_parse(const char *path, const char *text, size_t text_len,
                       cm_format fmt, cm_doc **out,
                       char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Free doc and everything in it; doc may be NULL. */
void cm_doc_free(cm_doc *doc) CM_NOEXCEPT;

CM_END_DECLS

#endif
