/* cm_schema.c: building the terms and keys of the index schema. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "cm_db.h"
#include "cm_schema.h"

unsigned long long
cm_schema_hash64(const void *p, size_t n)
{
    return (unsigned long long)XXH3_64bits(p, n);
}

void
cm_schema_hash_hex(const void *p, size_t n, char out[17])
{
    snprintf(out, 17, "%016llx", cm_schema_hash64(p, n));
}

/* Length of the longest prefix of s[0..n) that is at most max bytes and
 * does not cut a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

size_t
cm_schema_term(char *buf, size_t cap, const char *prefix, const char *value,
               size_t value_len)
{
    size_t plen = strlen(prefix);
    size_t room = CM_DB_MAX_TERM < cap - 1 ? CM_DB_MAX_TERM : cap - 1;
    size_t keep;
    char hex[17];

    if (plen >= room)
        plen = room;
    memcpy(buf, prefix, plen);
    if (plen + value_len <= room) {
        memcpy(buf + plen, value, value_len);
        buf[plen + value_len] = '\0';
        return plen + value_len;
    }
    /* Too long for a term: keep a readable prefix and make it unique with a
     * hash of the whole value ("...#" + 16 hex digits). */
    keep = utf8_cut(value, value_len, room - plen - 17);
    memcpy(buf + plen, value, keep);
    cm_schema_hash_hex(value, value_len, hex);
    buf[plen + keep] = '#';
    memcpy(buf + plen + keep + 1, hex, 16);
    buf[plen + keep + 17] = '\0';
    return plen + keep + 17;
}

unsigned
cm_schema_wdf(unsigned tf, unsigned len, unsigned weight)
{
    double l = len < CM_WDF_MIN_LEN ? CM_WDF_MIN_LEN : (double)len;
    double w = (double)tf * weight * CM_WDF_UNIT * CM_WDF_REF_LEN / l + 0.5;
    /* Xapian's wdf is 32 bits; tf is at most the paragraph's words. */
    if (w >= 4294967295.0)
        return 4294967295u;
    return w < 1.0 ? 1u : (unsigned)w;
}

void
cm_schema_stem_prefix(char out[16], const char *code)
{
    /* What snprintf("%s%.8s:") writes, without its cost: a query builds one
     * per language and word. */
    size_t p = strlen(CM_PFX_STEM), n = strnlen(code, 8);

    memcpy(out, CM_PFX_STEM, p);
    memcpy(out + p, code, n);
    out[p + n] = ':';
    out[p + n + 1] = '\0';
}

int
cm_schema_runs_key(char out[64], const char *code, size_t len)
{
    size_t pl = strlen(CM_META_LANG_RUNS);

    if (len >= 64 - pl)
        return 0;
    memcpy(out, CM_META_LANG_RUNS, pl);
    memcpy(out + pl, code, len);
    out[pl + len] = '\0';
    return 1;
}

cm_status
cm_schema_file_key(const char *canonical_path, char **out)
{
    /* Leave room for the longest prefix that is put before a file key
     * (Q...#ordinal and metadata F...). */
    char buf[CM_DB_MAX_TERM + 1];
    size_t n;

    *out = NULL;
    n = cm_schema_term(buf, CM_DB_MAX_TERM - 16, "", canonical_path,
                       strlen(canonical_path));
    *out = malloc(n + 1);
    if (*out == NULL)
        return CM_ENOMEM;
    memcpy(*out, buf, n + 1);
    return CM_OK;
}
