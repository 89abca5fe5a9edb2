/* fuzz_ref.c: libFuzzer target for the reference scanner.
 * Any bytes go through cm_ref_scan(), cm_ref_scan_yearless(),
 * cm_ref_canonical() and cm_ref_query_key(): never a
 * crash; every match lies inside the text, in order, without overlap,
 * with a non-empty key of [a-z0-9-] that cm_ref_canonical() takes back
 * unchanged. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *text;
    size_t len, last_end, n;
} state;

static int
check(void *ctx, const cm_ref_match *m)
{
    state *s = ctx;
    char key[CM_REF_KEY_MAX];
    size_t i, kn = strnlen(m->key, sizeof m->key);

    if (m->start >= m->end || m->end > s->len || m->start < s->last_end ||
        kn == 0 || kn >= sizeof m->key)
        abort();
    for (i = 0; i < kn; i++)
        if (!((m->key[i] >= 'a' && m->key[i] <= 'z') ||
              (m->key[i] >= '0' && m->key[i] <= '9') || m->key[i] == '-'))
            abort();
    if (cm_ref_canonical(m->key, kn, key, sizeof key) != CM_OK ||
        strcmp(key, m->key) != 0)
        abort();
    s->last_end = m->end;
    s->n++;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    state s = {(const char *)data, size, 0, 0};
    char key[CM_REF_KEY_MAX];
    cm_status st;

    if (cm_ref_scan(s.text, size, check, &s) != CM_OK)
        abort();
    {
        /* With the year-less names: the same invariants, at least as many
         * matches (a prefix key "pace-rec-1806-" is a key too). */
        state y = {(const char *)data, size, 0, 0};
        if (cm_ref_scan_yearless(y.text, size, check, &y) != CM_OK ||
            y.n < s.n)
            abort();
    }
    st = cm_ref_canonical(s.text, size, key, sizeof key);
    if (st != CM_OK && st != CM_ENOTFOUND && st != CM_EINVAL)
        abort();
    if (st == CM_OK && key[0] == '\0')
        abort();
    {
        /* A query's key: the same, or a PACE text's prefix ending in '-'. */
        char qkey[CM_REF_KEY_MAX];
        int prefix = -1;
        cm_status qst = cm_ref_query_key(s.text, size, qkey, sizeof qkey,
                                         &prefix);
        size_t qn = qst == CM_OK ? strlen(qkey) : 0;
        if (qst != CM_OK && qst != CM_ENOTFOUND && qst != CM_EINVAL)
            abort();
        if (qst == CM_OK && (prefix < 0 || prefix > 1 || qn == 0 ||
                             (prefix && (qkey[qn - 1] != '-' ||
                                         strncmp(qkey, "pace-", 5) != 0))))
            abort();
        if (st == CM_OK && (qst != CM_OK ||
                            (!prefix && strcmp(key, qkey) != 0)))
            abort();
    }
    return 0;
}
