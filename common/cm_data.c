/* cm_data.c: a paragraph's document data (cm_data.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_data.h"

char *
cm_data_make(const json_t *fields, const char *text, size_t text_len,
             size_t *len)
{
    char *meta = json_dumps(fields, JSON_COMPACT), *out = NULL;
    size_t n;

    *len = 0;
    if (meta == NULL)
        return NULL;
    n = strlen(meta);
    out = malloc(n + 1 + text_len + 1);
    if (out != NULL) {
        memcpy(out, meta, n + 1); /* with its NUL: the separator */
        memcpy(out + n + 1, text, text_len);
        out[n + 1 + text_len] = '\0';
        *len = n + 1 + text_len;
    }
    free(meta);
    return out;
}

json_t *
cm_data_parse(const char *data, size_t len)
{
    const char *nul = memchr(data, '\0', len);
    size_t meta_len = nul ? (size_t)(nul - data) : len;
    json_error_t jerr;
    json_t *o = json_loadb(data, meta_len, 0, &jerr), *text;

    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    if (nul == NULL)
        return o;
    text = json_stringn(nul + 1, len - meta_len - 1);
    if (text == NULL || json_object_set_new(o, "text", text) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
