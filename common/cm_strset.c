/* cm_strset.c: a counted string set on an arena. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_schema.h"
#include "cm_strset.h"

typedef struct slot {
    size_t off;      /* offset of the string in the arena, + 1; 0: empty */
    size_t len;
    unsigned long long hash;
    unsigned count;
} slot;

struct cm_strset {
    slot *slots;
    size_t cap, n;   /* cap is a power of two */
    char *arena;
    size_t used, size;
};

cm_status
cm_strset_new(cm_strset **out)
{
    cm_strset *set = calloc(1, sizeof *set);
    *out = NULL;
    if (set == NULL)
        return CM_ENOMEM;
    set->cap = 64;
    set->slots = calloc(set->cap, sizeof *set->slots);
    if (set->slots == NULL) {
        free(set);
        return CM_ENOMEM;
    }
    *out = set;
    return CM_OK;
}

void
cm_strset_free(cm_strset *set)
{
    if (set == NULL)
        return;
    free(set->slots);
    free(set->arena);
    free(set);
}

void
cm_strset_clear(cm_strset *set)
{
    slot *small;

    if (set->cap > 1024 && (small = calloc(64, sizeof *small)) != NULL) {
        free(set->slots);
        set->slots = small;
        set->cap = 64;
    } else {
        memset(set->slots, 0, set->cap * sizeof *set->slots);
    }
    set->n = 0;
    set->used = 0;
}

size_t
cm_strset_size(const cm_strset *set)
{
    return set->n;
}

static cm_status
grow(cm_strset *set)
{
    size_t cap = set->cap * 2, i, j;
    slot *v = calloc(cap, sizeof *v);
    if (v == NULL)
        return CM_ENOMEM;
    for (i = 0; i < set->cap; i++) {
        if (set->slots[i].off == 0)
            continue;
        for (j = set->slots[i].hash & (cap - 1); v[j].off; j = (j + 1) & (cap - 1))
            ;
        v[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = v;
    set->cap = cap;
    return CM_OK;
}

static cm_status
store(cm_strset *set, const char *s, size_t len, size_t *off)
{
    if (set->used + len + 1 > set->size) {
        size_t size = set->size ? set->size * 2 : 4096;
        char *a;
        while (size < set->used + len + 1)
            size *= 2;
        a = realloc(set->arena, size);
        if (a == NULL)
            return CM_ENOMEM;
        set->arena = a;
        set->size = size;
    }
    memcpy(set->arena + set->used, s, len);
    set->arena[set->used + len] = '\0';
    *off = set->used + 1;
    set->used += len + 1;
    return CM_OK;
}

cm_status
cm_strset_add(cm_strset *set, const char *s, size_t len)
{
    return cm_strset_add_count(set, s, len, 1);
}

cm_status
cm_strset_add_count(cm_strset *set, const char *s, size_t len,
                    unsigned count)
{
    unsigned long long h = cm_schema_hash64(s, len);
    size_t i;
    cm_status st;

    for (i = h & (set->cap - 1); set->slots[i].off; i = (i + 1) & (set->cap - 1)) {
        slot *sl = &set->slots[i];
        if (sl->hash == h && sl->len == len &&
            memcmp(set->arena + sl->off - 1, s, len) == 0) {
            sl->count = count > UINT_MAX - sl->count ? UINT_MAX
                                                     : sl->count + count;
            return CM_OK;
        }
    }
    /* Keep the table at most half full, so probes stay short. */
    if ((set->n + 1) * 2 > set->cap) {
        if ((st = grow(set)) != CM_OK)
            return st;
        for (i = h & (set->cap - 1); set->slots[i].off; i = (i + 1) & (set->cap - 1))
            ;
    }
    st = store(set, s, len, &set->slots[i].off);
    if (st != CM_OK)
        return st;
    set->slots[i].len = len;
    set->slots[i].hash = h;
    set->slots[i].count = count;
    set->n++;
    return CM_OK;
}

unsigned
cm_strset_count(const cm_strset *set, const char *s, size_t len)
{
    unsigned long long h = cm_schema_hash64(s, len);
    size_t mask = set->cap - 1, i;

    for (i = h & mask; set->slots[i].off; i = (i + 1) & mask) {
        const slot *sl = &set->slots[i];
        if (sl->hash == h && sl->len == len &&
            memcmp(set->arena + sl->off - 1, s, len) == 0)
            return sl->count;
    }
    return 0;
}

cm_status
cm_strset_each(const cm_strset *set, cm_strset_fn fn, void *ctx)
{
    size_t i;
    for (i = 0; i < set->cap; i++) {
        const slot *sl = &set->slots[i];
        if (sl->off && fn(ctx, set->arena + sl->off - 1, sl->len, sl->count))
            break;
    }
    return CM_OK;
}
