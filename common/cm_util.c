/* cm_util.c: small helpers shared by the programs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cm_buf.h"
#include "cm_util.h"

char *
cm_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

cm_status
cm_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    void *na;
    size_t ncap;

    if (n < *cap)
        return CM_OK;
    ncap = *cap ? *cap * 2 : 8;
    na = realloc(*arr, ncap * sz);
    if (na == NULL)
        return CM_ENOMEM;
    *arr = na;
    *cap = ncap;
    return CM_OK;
}

cm_status
cm_default_db_path(char **out)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    const char *v;

    *out = NULL;
    if ((v = getenv("CMSEARCH_DB")) != NULL && *v) {
        cm_buf_adds(&st, &b, v);
    } else if ((v = getenv("XDG_DATA_HOME")) != NULL && *v == '/') {
        cm_buf_adds(&st, &b, v);
        cm_buf_adds(&st, &b, "/cmsearch/index");
    } else if ((v = getenv("HOME")) != NULL && *v) {
        cm_buf_adds(&st, &b, v);
        cm_buf_adds(&st, &b, "/.local/share/cmsearch/index");
    } else {
        return CM_ENOTFOUND;
    }
    *out = cm_buf_steal(&st, &b);
    cm_buf_free(&b);
    return st;
}

int
cm_lang_code_ok(const char *s, size_t n)
{
    size_t i;

    if (n < 2 || n > 3)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

int
cm_parse_ulong(const char *s, unsigned long lo, unsigned long hi,
               unsigned long *out)
{
    char *end;
    unsigned long v;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

const char *
cm_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

char *
cm_path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

size_t
cm_utf8_columns(const char *s, size_t n)
{
    size_t i, cols = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            cols++;
    return cols;
}

cm_status
cm_mkdir_p(const char *path)
{
    char *p = cm_strndup(path, strlen(path));
    char *q;
    cm_status st = CM_OK;

    if (p == NULL)
        return CM_ENOMEM;
    for (q = p + 1; ; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                st = CM_EIO;
                break;
            }
            *q = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return st;
}

unsigned long
cm_utf8_decode(const char *s, size_t n, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp;
    size_t k, i;

    *len = 1;
    if (n == 0)
        return 0;
    if (u[0] < 0x80)
        return u[0];
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        k = 2, cp = u[0] & 0x1F;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF)
        k = 3, cp = u[0] & 0x0F;
    else if (u[0] >= 0xF0 && u[0] <= 0xF4)
        k = 4, cp = u[0] & 0x07;
    else
        return 0xFFFD;
    if (n < k)
        return 0xFFFD;
    for (i = 1; i < k; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = cp << 6 | (u[i] & 0x3F);
    }
    *len = k;
    return cp;
}

size_t
cm_utf8_strict_len(const char *s, size_t n)
{
    size_t len;
    unsigned long cp;

    if (n == 0)
        return 0;
    if ((unsigned char)s[0] < 0x80)
        return 1;
    cp = cm_utf8_decode(s, n, &len);
    if (len == 1 || (len == 3 && (cp < 0x800 || (cp >= 0xD800 &&
                                                 cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

unsigned long
cm_fold_letter(unsigned long c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (c >= 0x100 && c <= 0x137 && c % 2 == 0)
        return c + 1;
    switch (c) {
    case 0x386: return 0x3AC;
    case 0x388: return 0x3AD;
    case 0x389: return 0x3AE;
    case 0x38A: return 0x3AF;
    case 0x38C: return 0x3CC;
    case 0x38E: return 0x3CD;
    case 0x38F: return 0x3CE;
    }
    return c;
}

size_t
cm_utf8_match_ci_from(const char *s, size_t n, size_t i, const char *word)
{
    size_t j = i, k = 0, wn = 0, a, b;

    /* Callers try a list of words at every word start, so a mismatch is
     * the common case: an ASCII byte on either side is compared as is
     * (cm_fold_letter() maps ASCII to ASCII and nothing else to it), and
     * only two multibyte letters are decoded. */
    while (word[k] != '\0') {
        unsigned char wb = (unsigned char)word[k], tb;
        unsigned long cw, ct;
        if (j >= n)
            return 0;
        tb = (unsigned char)s[j];
        if (wb < 0x80 || tb < 0x80) {
            if (tb >= 'A' && tb <= 'Z')
                tb = (unsigned char)(tb - 'A' + 'a');
            if (tb != wb)
                return 0;
            j++;
            k++;
            continue;
        }
        if (wn == 0)
            wn = k + strlen(word + k);
        cw = cm_utf8_decode(word + k, wn - k, &b);
        ct = cm_utf8_decode(s + j, n - j, &a);
        if (cm_fold_letter(ct) != cw)
            return 0;
        j += a;
        k += b;
    }
    return j - i;
}
