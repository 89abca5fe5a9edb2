/* cm_runs.c: sets of document ids as runs of consecutive ids. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_runs.h"

static cm_status
grow(cm_runs *r)
{
    size_t cap;
    unsigned *f, *l;

    if (r->n < r->cap)
        return CM_OK;
    cap = r->cap ? 2 * r->cap : 16;
    if (cap > SIZE_MAX / sizeof *f)
        return CM_ENOMEM;
    f = realloc(r->first, cap * sizeof *f);
    if (f == NULL)
        return CM_ENOMEM;
    r->first = f;
    l = realloc(r->last, cap * sizeof *l);
    if (l == NULL)
        return CM_ENOMEM;
    r->last = l;
    r->cap = cap;
    return CM_OK;
}

/* Append the run a..b, after every run of r and apart from them. */
static cm_status
push(cm_runs *r, unsigned a, unsigned b)
{
    cm_status st = grow(r);
    if (st != CM_OK)
        return st;
    r->first[r->n] = a;
    r->last[r->n] = b;
    r->n++;
    return CM_OK;
}

cm_status
cm_runs_add(cm_runs *r, unsigned docid)
{
    if (r == NULL || docid == 0 || (r->n > 0 && docid <= r->last[r->n - 1]))
        return CM_EINVAL;
    if (r->n > 0 && docid == r->last[r->n - 1] + 1) {
        r->last[r->n - 1] = docid;
        return CM_OK;
    }
    return push(r, docid, docid);
}

unsigned long long
cm_runs_count(const cm_runs *r)
{
    unsigned long long n = 0;
    size_t i;

    for (i = 0; r != NULL && i < r->n; i++)
        n += (unsigned long long)r->last[i] - r->first[i] + 1;
    return n;
}

/* Append a..b to out, merged with its last run when they overlap or
 * touch; runs are given by ascending first id. */
static cm_status
merge_push(cm_runs *out, unsigned a, unsigned b)
{
    if (out->n > 0 &&
        (unsigned long long)a <= (unsigned long long)out->last[out->n - 1] + 1) {
        if (b > out->last[out->n - 1])
            out->last[out->n - 1] = b;
        return CM_OK;
    }
    return push(out, a, b);
}

cm_status
cm_runs_union(cm_runs *r, const cm_runs *other)
{
    cm_runs out = CM_RUNS_INIT;
    size_t i = 0, j = 0;
    cm_status st = CM_OK;

    if (r == NULL || other == NULL)
        return CM_EINVAL;
    if (other->n == 0)
        return CM_OK;
    while (st == CM_OK && (i < r->n || j < other->n)) {
        if (j == other->n ||
            (i < r->n && r->first[i] <= other->first[j])) {
            st = merge_push(&out, r->first[i], r->last[i]);
            i++;
        } else {
            st = merge_push(&out, other->first[j], other->last[j]);
            j++;
        }
    }
    if (st != CM_OK) {
        cm_runs_free(&out);
        return st;
    }
    cm_runs_free(r);
    *r = out;
    return CM_OK;
}

static void
put_num(cm_status *st, cm_buf *out, unsigned long long v)
{
    unsigned char b[10];
    size_t n = 0;

    do {
        b[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            b[n] |= 0x80;
        n++;
    } while (v);
    cm_buf_add(st, out, b, n);
}

cm_status
cm_runs_encode(const cm_runs *r, cm_buf *out)
{
    cm_status st = CM_OK;
    unsigned prev = 0;
    size_t i;

    if (r == NULL || out == NULL)
        return CM_EINVAL;
    put_num(&st, out, r->n);
    for (i = 0; i < r->n && st == CM_OK; i++) {
        put_num(&st, out, (unsigned long long)r->first[i] - prev);
        put_num(&st, out, (unsigned long long)r->last[i] - r->first[i]);
        prev = r->last[i];
    }
    return st;
}

/* The LEB128 number at s[*at..len) into *v: 0 when cut short, over 64
 * bits, or written longer than it needs (cm_runs_encode() writes each
 * number one way). */
static int
get_num(const unsigned char *s, size_t len, size_t *at,
        unsigned long long *v)
{
    unsigned shift = 0;

    *v = 0;
    while (*at < len && shift < 64) {
        unsigned char c = s[(*at)++];
        if (shift == 63 && (c & 0x7e))
            return 0;
        *v |= (unsigned long long)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return c != 0 || shift == 0; /* no byte of zeros ends it */
        shift += 7;
    }
    return 0;
}

cm_status
cm_runs_decode(const char *s, size_t len, cm_runs *r)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long long n, gap, span, a, b, prev = 0;
    size_t at = 0, i;
    cm_status st = CM_OK;

    if (r == NULL || (s == NULL && len > 0))
        return CM_EINVAL;
    cm_runs_clear(r);
    if (!get_num(u, len, &at, &n) || n > (len - at) / 2)
        st = CM_ECORRUPT; /* a run takes two bytes at least */
    for (i = 0; st == CM_OK && i < n; i++) {
        if (!get_num(u, len, &at, &gap) || !get_num(u, len, &at, &span)) {
            st = CM_ECORRUPT;
            break;
        }
        /* The first id is 1 or more; a run starts two past the one
         * before, or it would be part of it. */
        if (gap < (i == 0 ? 1u : 2u) || gap > UINT_MAX - prev ||
            span > UINT_MAX - (prev + gap)) {
            st = CM_ECORRUPT;
            break;
        }
        a = prev + gap;
        b = a + span;
        st = push(r, (unsigned)a, (unsigned)b);
        prev = b;
    }
    if (st == CM_OK && at != len)
        st = CM_ECORRUPT;
    if (st != CM_OK)
        cm_runs_clear(r);
    return st;
}

void
cm_runs_clear(cm_runs *r)
{
    if (r != NULL)
        r->n = 0;
}

void
cm_runs_free(cm_runs *r)
{
    if (r == NULL)
        return;
    free(r->first);
    free(r->last);
    r->first = r->last = NULL;
    r->n = r->cap = 0;
}
