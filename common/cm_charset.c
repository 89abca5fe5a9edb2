/* cm_charset.c: text that is not UTF-8 to UTF-8: Latin-1 family text,
 * with ICU's detector, and text in the charset it declares. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "cm_charset.h"

/* The charsets we convert, and the converter used for each: ISO-8859-1
 * is read as windows-1252, which only adds printable characters in
 * 0x80..0x9F (where ISO-8859-1 has C1 controls nobody writes), as the
 * WHATWG encoding standard does. */
static const struct {
    const char *detected, *converter;
} latin[] = {
    {"ISO-8859-1", "windows-1252"},
    {"windows-1252", "windows-1252"},
    {"ISO-8859-15", "ISO-8859-15"},
};

static const char *
converter_for(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof latin / sizeof latin[0]; i++)
        if (strcasecmp(name, latin[i].detected) == 0)
            return latin[i].converter;
    return NULL;
}

/* Detect the charset of buf: *conv the converter to use, or NULL. */
static cm_status
detect(const char *buf, size_t len, const char **conv, char *name,
       size_t name_cap, int *confidence)
{
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det;
    const UCharsetMatch *m;
    const char *nm = NULL;
    int conf = 0;

    *conv = NULL;
    det = ucsdet_open(&err);
    if (U_FAILURE(err))
        return CM_ENOMEM;
    err = U_ZERO_ERROR;
    ucsdet_setText(det, buf, (int32_t)len, &err);
    if (U_SUCCESS(err)) {
        err = U_ZERO_ERROR;
        m = ucsdet_detect(det, &err);
        if (U_SUCCESS(err) && m != NULL) {
            err = U_ZERO_ERROR;
            nm = ucsdet_getName(m, &err);
            if (U_FAILURE(err))
                nm = NULL;
            err = U_ZERO_ERROR;
            conf = ucsdet_getConfidence(m, &err);
            if (U_FAILURE(err))
                conf = 0;
        }
    }
    if (name != NULL && name_cap > 0)
        snprintf(name, name_cap, "%s", nm ? nm : "");
    if (confidence != NULL)
        *confidence = conf;
    if (nm != NULL && conf >= CM_CHARSET_MIN_CONFIDENCE)
        *conv = converter_for(nm);
    ucsdet_close(det);
    return CM_OK;
}

cm_status
cm_charset_to_utf8(const char *buf, size_t len, char **out, size_t *out_len,
                   char *name, size_t name_cap, int *confidence)
{
    UErrorCode err = U_ZERO_ERROR;
    const char *conv = NULL;
    int32_t n;
    size_t cap;
    char *u;
    cm_status st;

    *out = NULL;
    *out_len = 0;
    if (name != NULL && name_cap > 0)
        name[0] = '\0';
    if (confidence != NULL)
        *confidence = 0;
    /* A Latin-1 byte becomes at most 3 UTF-8 bytes (the euro sign). */
    if ((buf == NULL && len > 0) || len > INT32_MAX / 3 - 1)
        return CM_EINVAL;
    st = detect(buf, len, &conv, name, name_cap, confidence);
    if (st != CM_OK)
        return st;
    if (conv == NULL)
        return CM_ENOTFOUND;
    cap = len * 3 + 1;
    u = malloc(cap);
    if (u == NULL)
        return CM_ENOMEM;
    n = ucnv_convert("UTF-8", conv, u, (int32_t)cap, buf, (int32_t)len,
                     &err);
    if (U_FAILURE(err) || n < 0 || (size_t)n >= cap) {
        free(u);
        return err == U_MEMORY_ALLOCATION_ERROR ? CM_ENOMEM : CM_EPARSE;
    }
    u[n] = '\0';
    *out = u;
    *out_len = (size_t)n;
    return CM_OK;
}

/* ---- a declared charset --------------------------------------------- */

#define DECLARED_SCAN 4096

static int
lower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Where word (lower case) starts in s[from..to), case aside, or to. */
static size_t
find_ci(const char *s, size_t from, size_t to, const char *word)
{
    size_t w = strlen(word), i, k;

    for (i = from; i + w <= to; i++) {
        for (k = 0; k < w && lower_ascii((unsigned char)s[i + k]) == word[k];
             k++)
            ;
        if (k == w)
            return i;
    }
    return to;
}

/* The name after s[i] (spaces, '=', spaces, a quote), into name. */
static int
name_after(const char *s, size_t i, size_t to, char *name, size_t cap)
{
    size_t n = 0;

    while (i < to && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                      s[i] == '\r'))
        i++;
    if (i >= to || s[i] != '=')
        return 0;
    i++;
    while (i < to && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' ||
                      s[i] == '\''))
        i++;
    for (; i < to && n + 1 < cap && n < 39; i++, n++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
              c == '-'))
            break;
        name[n] = (char)c;
    }
    if (cap > 0)
        name[n < cap ? n : cap - 1] = '\0';
    return n > 0;
}

int
cm_charset_declared(const char *buf, size_t len, char *name, size_t name_cap)
{
    size_t to = len < DECLARED_SCAN ? len : DECLARED_SCAN, i, end, at;

    if (buf == NULL || name == NULL || name_cap == 0)
        return 0;
    name[0] = '\0';
    /* <?xml version="1.0" encoding="X"?>, at the start */
    if (to >= 5 && memcmp(buf, "<?xml", 5) == 0) {
        end = find_ci(buf, 5, to, "?>");
        at = find_ci(buf, 5, end, "encoding");
        if (at < end && name_after(buf, at + 8, end, name, name_cap))
            return 1;
    }
    for (i = find_ci(buf, 0, to, "<meta"); i < to;
         i = find_ci(buf, i + 5, to, "<meta")) {
        end = find_ci(buf, i, to, ">");
        at = find_ci(buf, i, end, "charset");
        if (at < end && name_after(buf, at + 7, end, name, name_cap))
            return 1;
    }
    return 0;
}

cm_status
cm_charset_convert(const char *charset, const char *buf, size_t len,
                   char **out, size_t *out_len, size_t *bad)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *from = NULL, *to = NULL;
    const char *src;
    char *u = NULL, *dst;
    size_t cap;
    cm_status st = CM_OK;

    *out = NULL;
    *out_len = 0;
    if (bad != NULL)
        *bad = 0;
    /* A byte becomes at most 4 UTF-8 bytes (a character past the BMP). */
    if (charset == NULL || (buf == NULL && len > 0) ||
        len > INT32_MAX / 4 - 1)
        return CM_EINVAL;
    from = ucnv_open(charset, &err);
    if (U_FAILURE(err))
        return err == U_MEMORY_ALLOCATION_ERROR ? CM_ENOMEM : CM_ENOTFOUND;
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL,
                        &err);
    to = ucnv_open("UTF-8", &err);
    cap = len * 4 + 1;
    if (U_SUCCESS(err) && (u = malloc(cap)) == NULL)
        st = CM_ENOMEM;
    if (U_FAILURE(err))
        st = err == U_MEMORY_ALLOCATION_ERROR ? CM_ENOMEM : CM_EINVAL;
    if (st == CM_OK) {
        src = buf;
        dst = u;
        ucnv_convertEx(to, from, &dst, u + cap - 1, &src, buf + len, NULL,
                       NULL, NULL, NULL, 1, 1, &err);
        if (U_FAILURE(err)) {
            /* The source stops just past the sequence that failed. */
            int8_t n = 8;
            char seq[8];
            UErrorCode e2 = U_ZERO_ERROR;
            ucnv_getInvalidChars(from, seq, &n, &e2);
            if (bad != NULL)
                *bad = (size_t)(src - buf) -
                       (U_SUCCESS(e2) && n > 0 ? (size_t)n : 0);
            st = err == U_MEMORY_ALLOCATION_ERROR ? CM_ENOMEM : CM_EPARSE;
        } else {
            *dst = '\0';
            *out = u;
            *out_len = (size_t)(dst - u);
            u = NULL;
        }
    }
    free(u);
    ucnv_close(to);
    ucnv_close(from);
    return st;
}
