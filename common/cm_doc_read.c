/* cm_doc_read.c: the document reader: a file to checked UTF-8 text.
 *
 * Bytes are accepted as text when they hold no NUL and are strict UTF-8;
 * otherwise they are converted from the charset they declare for
 * themselves (an HTML <meta charset>, an XML declaration: windows-1251,
 * KOI8-R, Shift_JIS, ...) when ICU knows it, or else when ICU's detector
 * is confident that they are Latin-1 or Windows-1252 (cm_charset.h);
 * anything else is rejected with the byte offset of the first invalid
 * sequence.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cm_charset.h"
#include "cm_doc_int.h"

/* ---- UTF-8 ---------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (Unicode 15, table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, k;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return len;
}

cm_status
cm_doc_check_text(const char *buf, size_t len, size_t *skip_bom,
                  char **errmsg)
{
    const unsigned char *s = (const unsigned char *)buf;
    const char *nul;
    size_t i = 0, k;

    if (skip_bom != NULL)
        *skip_bom = 0;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (len == 0)
        return CM_OK;
    if (buf == NULL) {
        cm_doci_set_err(errmsg, "no text");
        return CM_EINVAL;
    }
    nul = memchr(buf, '\0', len);
    if (nul != NULL) {
        cm_doci_set_err(errmsg, "binary file (NUL byte at offset %zu)",
                (size_t)(nul - buf));
        return CM_EPARSE;
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    if (skip_bom != NULL)
        *skip_bom = i;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(s + i, len - i);
        if (k == 0) {
            cm_doci_set_err(errmsg, "invalid UTF-8 at byte %zu", i);
            return CM_EPARSE;
        }
        i += k;
    }
    return CM_OK;
}
/* ---- bytes to text ------------------------------------------------- */

/* Convert buf from the charset it declares (cm_charset_declared()):
 * CM_OK with *out, CM_EPARSE with *errmsg when its bytes are not valid in
 * it, CM_ENOMEM, or CM_ENOTFOUND when it declares none that ICU knows
 * (other than UTF-8, which it is not). */
static cm_status
decode_declared(const char *buf, size_t len, char **out, size_t *out_len,
                char **errmsg)
{
    char cs[64];
    size_t bad = 0;
    cm_status st;

    if (!cm_charset_declared(buf, len, cs, sizeof cs) ||
        strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0)
        return CM_ENOTFOUND;
    st = cm_charset_convert(cs, buf, len, out, out_len, &bad);
    if (st == CM_EPARSE)
        cm_doci_set_err(errmsg, "invalid %s at byte %zu (the charset the "
                        "file declares)", cs, bad);
    return st == CM_EINVAL ? CM_ENOTFOUND : st;
}

cm_status
cm_doc_decode(const char *buf, size_t len, char **text, size_t *text_len,
              char **errmsg)
{
    char cs[64], *conv = NULL, *first = NULL;
    size_t bom = 0, n = 0;
    int conf = 0, declared = 0;
    cm_status st;

    if (text != NULL)
        *text = NULL;
    if (text_len != NULL)
        *text_len = 0;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (text == NULL || (buf == NULL && len > 0)) {
        cm_doci_set_err(errmsg, "no text or no place for it");
        return CM_EINVAL;
    }
    st = cm_doc_check_text(buf, len, &bom, &first);
    if (st == CM_OK) {
        *text = cm_doci_dup(buf + bom, len - bom);
        if (*text == NULL) {
            cm_doci_set_err(errmsg, "out of memory");
            return CM_ENOMEM;
        }
        if (text_len != NULL)
            *text_len = len - bom;
        return CM_OK;
    }
    if (st != CM_EPARSE || memchr(buf, '\0', len) != NULL) {
        if (errmsg != NULL)
            *errmsg = first;
        else
            free(first);
        return st;
    }
    /* Not UTF-8: the charset the text declares, when ICU knows it; else
     * a Latin-1 family file when the detector is sure of it; otherwise the
     * first invalid byte is the reason. */
    st = decode_declared(buf, len, &conv, &n, errmsg);
    if (st == CM_ENOTFOUND)
        st = cm_charset_to_utf8(buf, len, &conv, &n, cs, sizeof cs, &conf);
    else
        declared = 1;
    if (st == CM_OK) {
        free(first);
        *text = conv;
        if (text_len != NULL)
            *text_len = n;
        return CM_OK;
    }
    if (st == CM_ENOMEM) {
        free(first);
        cm_doci_set_err(errmsg, "out of memory");
        return CM_ENOMEM;
    }
    if (declared) { /* its message is set */
        free(first);
        return CM_EPARSE;
    }
    if (cs[0] != '\0')
        cm_doci_set_err(errmsg, "%s (not converted: looks like %s, "
                        "confidence %d%%)", first ? first : "invalid UTF-8",
                        cs, conf);
    else
        cm_doci_set_err(errmsg, "%s", first ? first : "invalid UTF-8");
    free(first);
    return CM_EPARSE;
}

/* ---- reading files -------------------------------------------------- */

static cm_status
slurp_fd(int fd, size_t size_hint, size_t max_bytes, cm_buf *b,
         char **errmsg)
{
    cm_status st = CM_OK;
    ssize_t n;

    cm_buf_reserve(&st, b, size_hint + 1);
    if (st != CM_OK)
        return CM_ENOMEM;
    for (;;) {
        if (b->cap - b->len < 2)
            cm_buf_reserve(&st, b, b->cap);
        if (st != CM_OK)
            return CM_ENOMEM;
        n = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cm_doci_set_err(errmsg, "%s", strerror(errno));
            return CM_EIO;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        if (max_bytes != 0 && b->len > max_bytes) {
            /* The file grew after fstat(). */
            cm_doci_set_err(errmsg, "file too large (%zu bytes, limit %zu)",
                            b->len, max_bytes);
            return CM_EPARSE;
        }
    }
    b->data[b->len] = '\0';
    return CM_OK;
}

cm_status
cm_doc_read_file(const char *path, size_t max_bytes, char **text,
                 size_t *text_len, char **errmsg)
{
    cm_status st = CM_OK;
    struct stat sb;
    cm_buf b = CM_BUF_INIT(0);
    cm_format fmt;
    int fd = -1;

    if (text != NULL)
        *text = NULL;
    if (text_len != NULL)
        *text_len = 0;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (path == NULL || text == NULL) {
        cm_doci_set_err(errmsg, "no path or no place for the text");
        return CM_EINVAL;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it makes no
     * difference to the regular files we go on to read. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        cm_doci_set_err(errmsg, "%s", strerror(e));
        return e == ENOENT || e == ENOTDIR ? CM_ENOTFOUND : CM_EIO;
    }
    if (fstat(fd, &sb) != 0) {
        cm_doci_set_err(errmsg, "%s", strerror(errno));
        st = CM_EIO;
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        cm_doci_set_err(errmsg, "not a regular file");
        st = CM_EPARSE;
        goto out;
    }
    if (sb.st_size < 0 || (uintmax_t)sb.st_size >= SIZE_MAX / 2 ||
        (max_bytes != 0 && (uintmax_t)sb.st_size > max_bytes)) {
        cm_doci_set_err(errmsg, "file too large (%jd bytes, limit %zu)",
                        (intmax_t)sb.st_size, max_bytes);
        st = CM_EPARSE;
        goto out;
    }
    st = slurp_fd(fd, (size_t)sb.st_size, max_bytes, &b, errmsg);
    if (st != CM_OK)
        goto out;
    fmt = cm_doc_format_of(path);
    if (fmt == CM_FMT_PDF || fmt == CM_FMT_DOCX || fmt == CM_FMT_DOC ||
        fmt == CM_FMT_ODT || fmt == CM_FMT_FODT || fmt == CM_FMT_RTF) {
        /* Bytes for poppler, libzip, the OLE2 reader, libxml2 (which
         * reads the encoding an XML file declares) or the RTF splitter
         * (RTF says its code page): not text to decode. */
        *text = b.data;
        if (text_len != NULL)
            *text_len = b.len;
        b.data = NULL;
        goto out;
    }
    st = cm_doc_decode(b.data, b.len, text, text_len, errmsg);
out:
    free(b.data);
    close(fd);
    if (st == CM_ENOMEM && errmsg != NULL && *errmsg == NULL)
        cm_doci_set_err(errmsg, "out of memory");
    return st;
}

unsigned
cm_doc_reader_since(cm_format fmt)
{
    switch (fmt) {
    case CM_FMT_DOC:
    case CM_FMT_DOCX:
    case CM_FMT_ODT:
    case CM_FMT_FODT:
    case CM_FMT_RTF:
        return 9;
    case CM_FMT_HTML:
        return 11;
    case CM_FMT_PDF:
        return 12;
    default:
        return 0;
    }
}

cm_format
cm_doc_format_of(const char *path)
{
    static const struct {
        const char *ext;
        cm_format fmt;
    } exts[] = {{"md", CM_FMT_MARKDOWN},
                {"markdown", CM_FMT_MARKDOWN},
                {"txt", CM_FMT_TEXT},
                {"text", CM_FMT_TEXT},
                {"html", CM_FMT_HTML},
                {"htm", CM_FMT_HTML},
                {"xhtml", CM_FMT_HTML},
                {"pdf", CM_FMT_PDF},
                {"docx", CM_FMT_DOCX},
                {"doc", CM_FMT_DOC},
                {"odt", CM_FMT_ODT},
                {"fodt", CM_FMT_FODT},
                {"rtf", CM_FMT_RTF}};
    const char *slash, *dot;
    size_t i;

    if (path == NULL)
        return CM_FMT_AUTO;
    slash = strrchr(path, '/');
    dot = strrchr(slash ? slash : path, '.');
    if (dot == NULL || dot == path || (slash && dot == slash + 1))
        return CM_FMT_AUTO; /* no extension, or a dot file */
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i].ext) == 0)
            return exts[i].fmt;
    return CM_FMT_AUTO;
}
