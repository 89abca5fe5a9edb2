/* cm_charset.c: Latin-1 family text to UTF-8, with ICU's detector. */
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
