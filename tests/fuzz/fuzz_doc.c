/* fuzz_doc.c: libFuzzer target for the document reader and splitter.
 * Any bytes go through the text check, the reader's decoding (charset
 * detection and conversion) and the nine parsers (PDF: poppler's, then
 * ours on its lines; .docx and .odt: libzip and libxml2's, then ours;
 * .fodt: libxml2's, then ours; .doc: our OLE2 reader, then ours on the
 * FIB, pieces and FKPs; RTF: ours), with metadata, references and
 * languages: never a crash; when the check accepts the bytes (and for any
 * bytes read as a PDF, a .doc, an OpenDocument text or RTF), every string
 * of the document is
 * valid UTF-8, every paragraph non-empty and numbered 1..n; a decoded
 * text is valid UTF-8; every reference key is non-empty [a-z0-9-]; a
 * date is YYYY-MM-DD. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
valid(const char *s, size_t len)
{
    return cm_doc_check_text(s, len, NULL, NULL) == CM_OK;
}

static void
check_doc(const cm_doc *d, int utf8)
{
    size_t i;

    if (!d->path || !d->number || !d->type || !d->title || !d->date ||
        !d->lang)
        abort();
    if (utf8 && !valid(d->title, strlen(d->title)))
        abort();
    if (d->date[0] != '\0' &&
        (strlen(d->date) != 10 || d->date[4] != '-' || d->date[7] != '-'))
        abort();
    if (d->n_langs > 0 && (d->langs == NULL || strcmp(d->langs[0],
                                                      d->lang) != 0))
        abort();
    for (i = 0; i < d->n_paras; i++) {
        const cm_para *p = &d->paras[i];
        if (p->ordinal != i + 1 || !p->label || !p->heading || !p->lang ||
            !p->text || p->text_len == 0 || strlen(p->text) != p->text_len ||
            (unsigned)p->section >= CM_SECT_LAST)
            abort();
        /* Collapsed and trimmed. */
        if (p->text[0] == ' ' || p->text[p->text_len - 1] == ' ' ||
            strstr(p->text, "  ") != NULL || strchr(p->text, '\n') != NULL)
            abort();
        for (size_t k = 0; k < p->n_refs; k++) {
            const char *r = p->refs[k];
            if (r == NULL || *r == '\0' ||
                strspn(r, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                    strlen(r))
                abort();
        }
        if (!valid(p->lang, strlen(p->lang)) || strlen(p->lang) > 7)
            abort();
        if (utf8 && (!valid(p->text, p->text_len) ||
                     !valid(p->label, strlen(p->label)) ||
                     !valid(p->heading, strlen(p->heading))))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const cm_format fmts[] = {CM_FMT_MARKDOWN, CM_FMT_TEXT,
                                     CM_FMT_HTML, CM_FMT_PDF, CM_FMT_DOCX,
                                     CM_FMT_DOC,      CM_FMT_ODT,
                                     CM_FMT_FODT,     CM_FMT_RTF};
    const char *text = (const char *)data;
    char *err = NULL;
    size_t bom = 0, i;
    int utf8;
    cm_status st;

    {
        char *dec = NULL;
        size_t dlen = 0;
        err = NULL;
        st = cm_doc_decode(text, size, &dec, &dlen, &err);
        if (st == CM_OK && (dec == NULL || !valid(dec, dlen)))
            abort();
        if (st != CM_OK && (dec != NULL || (st != CM_EPARSE &&
                                            st != CM_ENOMEM)))
            abort();
        free(dec);
        free(err);
        err = NULL;
    }
    st = cm_doc_check_text(text, size, &bom, &err);
    if (st != CM_OK && (st != CM_EPARSE || err == NULL))
        abort();
    free(err);
    utf8 = st == CM_OK;
    if (utf8) {
        text += bom;
        size -= bom;
    }
    for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        cm_doc *d = NULL;
        err = NULL;
        st = cm_doc_parse("fuzz", text, size, fmts[i], &d, &err);
        if (st == CM_OK)
            /* A PDF's, a .doc's, an OpenDocument text's or an RTF's is
             * made valid UTF-8 whatever the bytes. */
            check_doc(d, utf8 || fmts[i] == CM_FMT_PDF ||
                             fmts[i] == CM_FMT_DOC || fmts[i] == CM_FMT_ODT ||
                             fmts[i] == CM_FMT_FODT || fmts[i] == CM_FMT_RTF);
        else if (d != NULL ||
                 (st != CM_ENOMEM &&
                  !((fmts[i] == CM_FMT_PDF || fmts[i] == CM_FMT_DOCX ||
                     fmts[i] == CM_FMT_DOC || fmts[i] == CM_FMT_ODT ||
                     fmts[i] == CM_FMT_FODT || fmts[i] == CM_FMT_RTF) &&
                    st == CM_EPARSE && err)))
            abort(); /* only binary and XML formats may be refused, with
                        why */
        cm_doc_free(d);
        free(err);
    }
    return 0;
}
