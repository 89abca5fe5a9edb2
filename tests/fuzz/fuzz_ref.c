/* fuzz_ref.c: libFuzzer target for the reference scanner.
 * Any bytes go through cm_ref_scan() and cm_ref_canonical(): never a
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
    st = cm_ref_canonical(s.text, size, key, sizeof key);
    if (st != CM_OK && st != CM_ENOTFOUND && st != CM_EINVAL)
        abort();
    if (st == CM_OK && key[0] == '\0')
        abort();
    return 0;
}
