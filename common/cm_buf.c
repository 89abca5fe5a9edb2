/* cm_buf.c: growable byte buffer with a ceiling. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_buf.h"

void
cm_buf_reserve(cm_status *st, cm_buf *b, size_t n)
{
    size_t max = b->max ? b->max : SIZE_MAX / 2;
    size_t want, cap;
    char *p;

    if (*st != CM_OK)
        return;
    if (n > max || b->len > max - n) {
        *st = CM_EINVAL;
        return;
    }
    want = b->len + n + 1; /* room for the NUL */
    if (want <= b->cap)
        return;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = realloc(b->data, cap);
    if (p == NULL) {
        *st = CM_ENOMEM;
        return;
    }
    b->data = p;
    b->cap = cap;
}

void
cm_buf_add(cm_status *st, cm_buf *b, const void *p, size_t n)
{
    cm_buf_reserve(st, b, n);
    if (*st != CM_OK)
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
cm_buf_adds(cm_status *st, cm_buf *b, const char *s)
{
    cm_buf_add(st, b, s, strlen(s));
}

void
cm_buf_addc(cm_status *st, cm_buf *b, char c)
{
    cm_buf_add(st, b, &c, 1);
}

void
cm_buf_addf(cm_status *st, cm_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*st != CM_OK)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        *st = CM_EINVAL;
        return;
    }
    cm_buf_reserve(st, b, (size_t)n);
    if (*st != CM_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
cm_buf_reset(cm_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void
cm_buf_add_pct(cm_status *st, cm_buf *b, const char *s, size_t n,
               const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < n && *st == CM_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || (c != '\0' && strchr(keep, c))) {
            cm_buf_addc(st, b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            cm_buf_add(st, b, e, 3);
        }
    }
}

char *
cm_buf_steal(cm_status *st, cm_buf *b)
{
    char *p;

    cm_buf_reserve(st, b, 0);
    if (*st != CM_OK)
        return NULL;
    b->data[b->len] = '\0';
    p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void
cm_buf_free(cm_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
