/* cm_data.c: a paragraph's document data (cm_data.h). */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_data.h"

#define MAGIC "\0CM1"
#define MAGIC_PAGE "\0CM2" /* with the page after the ordinal */
#define MAGIC_LEN 4
#define N_STRINGS 9 /* path to type, in the record's order */

static size_t
varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static char *
put_varint(char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (char)(unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (char)(unsigned char)v;
    return p;
}

/* The varint at *p (before end) into *v; 0 when it runs past end. */
static int
get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t r = 0;
    unsigned shift = 0;

    while (*p < end && shift < 64) {
        unsigned char c = *(*p)++;
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return 1;
        }
        shift += 7;
    }
    return 0;
}

static const char *
or_empty(const char *s)
{
    return s ? s : "";
}

char *
cm_data_make(const cm_data *d, size_t *len)
{
    const char *s[N_STRINGS];
    size_t n[N_STRINGS], total = MAGIC_LEN, i, text_len;
    const char *text = or_empty(d->text);
    char *out, *p;

    *len = 0;
    s[0] = d->path, s[1] = d->label, s[2] = d->section, s[3] = d->heading;
    s[4] = d->lang, s[5] = d->doc, s[6] = d->title, s[7] = d->date;
    s[8] = d->type;
    for (i = 0; i < N_STRINGS; i++) {
        s[i] = or_empty(s[i]);
        n[i] = strlen(s[i]);
        total += varint_size(n[i]) + n[i];
    }
    total += varint_size(d->para) + varint_size(d->n_refs);
    if (d->page != 0)
        total += varint_size(d->page);
    for (i = 0; i < d->n_refs; i++) {
        size_t r = strlen(or_empty(d->refs[i]));
        total += varint_size(r) + r;
    }
    text_len = d->text ? d->text_len : 0;
    total += text_len;
    out = malloc(total + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, d->page != 0 ? MAGIC_PAGE : MAGIC, MAGIC_LEN);
    p = out + MAGIC_LEN;
    for (i = 0; i < N_STRINGS; i++) {
        p = put_varint(p, n[i]);
        memcpy(p, s[i], n[i]);
        p += n[i];
    }
    p = put_varint(p, d->para);
    if (d->page != 0)
        p = put_varint(p, d->page);
    p = put_varint(p, d->n_refs);
    for (i = 0; i < d->n_refs; i++) {
        const char *r = or_empty(d->refs[i]);
        size_t rl = strlen(r);
        p = put_varint(p, rl);
        memcpy(p, r, rl);
        p += rl;
    }
    memcpy(p, text, text_len);
    p += text_len;
    *p = '\0';
    *len = total;
    return out;
}

/* One block: the cm_data, the refs array, then the strings with their
 * NULs, of at most extra bytes. */
static cm_data *
block(size_t n_refs, size_t extra, char **strings)
{
    size_t head = sizeof(cm_data) + n_refs * sizeof(const char *);
    cm_data *d;

    if (n_refs > (SIZE_MAX - extra) / sizeof(const char *) / 2)
        return NULL;
    d = calloc(1, head + extra);
    if (d == NULL)
        return NULL;
    *strings = (char *)d + head;
    return d;
}

static const char *
copy(char **dst, const void *src, size_t n)
{
    char *s = *dst;
    memcpy(s, src, n);
    s[n] = '\0';
    *dst += n + 1;
    return s;
}

static cm_status
parse_record(const char *data, size_t len, int with_page, cm_data **out)
{
    const unsigned char *p = (const unsigned char *)data + MAGIC_LEN,
                        *end = (const unsigned char *)data + len, *q;
    const char **refs;
    char *strings;
    uint64_t v, para, page = 0, n_refs;
    size_t i;
    cm_data *d;

    /* A first pass checks the lengths and counts the references. */
    q = p;
    for (i = 0; i < N_STRINGS; i++) {
        if (!get_varint(&q, end, &v) || v > (uint64_t)(end - q))
            return CM_ECORRUPT;
        q += v;
    }
    if (!get_varint(&q, end, &para) || para > UINT32_MAX ||
        (with_page && (!get_varint(&q, end, &page) || page > UINT32_MAX)) ||
        !get_varint(&q, end, &n_refs) || n_refs > (uint64_t)(end - q))
        return CM_ECORRUPT;
    for (i = 0; i < n_refs; i++) {
        if (!get_varint(&q, end, &v) || v > (uint64_t)(end - q))
            return CM_ECORRUPT;
        q += v;
    }
    /* Every string gets a NUL: at most one per byte of the record's
     * lengths, which take a byte or more each. */
    d = block((size_t)n_refs, len + 1, &strings);
    if (d == NULL)
        return CM_ENOMEM;
    refs = (const char **)(d + 1);
    {
        const char **s[N_STRINGS];
        s[0] = &d->path, s[1] = &d->label, s[2] = &d->section;
        s[3] = &d->heading, s[4] = &d->lang, s[5] = &d->doc;
        s[6] = &d->title, s[7] = &d->date, s[8] = &d->type;
        for (i = 0; i < N_STRINGS; i++) {
            (void)get_varint(&p, end, &v);
            *s[i] = copy(&strings, p, (size_t)v);
            p += v;
        }
    }
    (void)get_varint(&p, end, &para);
    if (with_page)
        (void)get_varint(&p, end, &page);
    (void)get_varint(&p, end, &n_refs);
    for (i = 0; i < n_refs; i++) {
        (void)get_varint(&p, end, &v);
        refs[i] = copy(&strings, p, (size_t)v);
        p += v;
    }
    d->para = (unsigned)para;
    d->page = (unsigned)page;
    d->refs = refs;
    d->n_refs = (size_t)n_refs;
    d->text_len = (size_t)(end - p);
    d->text = copy(&strings, p, d->text_len);
    *out = d;
    return CM_OK;
}

static const char *
jfield(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* JSON data, as cmindex wrote it before: an object, or an object, a NUL
 * and the text. */
static cm_status
parse_json(const char *data, size_t len, cm_data **out)
{
    const char *nul = memchr(data, '\0', len);
    size_t meta_len = nul ? (size_t)(nul - data) : len, n, i;
    json_error_t jerr;
    json_t *o = json_loadb(data, meta_len, 0, &jerr), *refs;
    const char *text;
    size_t text_len;
    const char **r;
    char *strings;
    cm_data *d;

    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        return CM_ECORRUPT;
    }
    refs = json_object_get(o, "refs");
    n = json_array_size(refs);
    text = nul ? nul + 1 : jfield(o, "text");
    text_len = nul ? len - meta_len - 1 : strlen(text);
    /* The strings of the object are no longer than the JSON. */
    d = block(n, meta_len + text_len + 16 + n, &strings);
    if (d == NULL) {
        json_decref(o);
        return CM_ENOMEM;
    }
    r = (const char **)(d + 1);
#define JCOPY(f) (d->f = copy(&strings, jfield(o, #f), strlen(jfield(o, #f))))
    JCOPY(path);
    JCOPY(label);
    JCOPY(section);
    JCOPY(heading);
    JCOPY(lang);
    JCOPY(doc);
    JCOPY(title);
    JCOPY(date);
    JCOPY(type);
#undef JCOPY
    for (i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(refs, i));
        r[i] = copy(&strings, s ? s : "", s ? strlen(s) : 0);
    }
    d->refs = r;
    d->n_refs = n;
    d->para = (unsigned)json_integer_value(json_object_get(o, "para"));
    d->text = copy(&strings, text, text_len);
    d->text_len = text_len;
    json_decref(o);
    *out = d;
    return CM_OK;
}

cm_status
cm_data_parse(const char *data, size_t len, cm_data **out)
{
    *out = NULL;
    if (data == NULL)
        return CM_ECORRUPT;
    if (len >= MAGIC_LEN && memcmp(data, MAGIC, MAGIC_LEN) == 0)
        return parse_record(data, len, 0, out);
    if (len >= MAGIC_LEN && memcmp(data, MAGIC_PAGE, MAGIC_LEN) == 0)
        return parse_record(data, len, 1, out);
    return parse_json(data, len, out);
}
