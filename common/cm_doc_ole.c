/* cm_doc_ole.c: the streams of an OLE2 compound file (the container of
 * Word 97-2003's .doc), for cm_doc_doc.c.
 *
 * A compound file is a FAT file system in one file: a 512-byte header,
 * sectors of 512 (version 3) or 4096 bytes (version 4) chained by the
 * FAT, whose own sectors the header's DIFAT (and the DIFAT sectors it
 * chains to) lists; a directory of 128-byte entries (a red-black tree
 * of each storage's children); streams under the mini stream cutoff
 * (4096 bytes) live in 64-byte sectors of the mini stream, chained by the
 * mini FAT.  [MS-CFB] describes it.
 *
 * Read here, not with libgsf: its reader leaked memory on damaged files
 * that fuzz_doc made within minutes (a directory entry, a property), and
 * an indexer run from cron reads whatever a folder holds.  Every chain is
 * bounded by the sectors the file has, so a loop ends, and every offset is
 * checked against the file.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_doc_int.h"

#define END_OF_CHAIN 0xFFFFFFFEu
#define MAX_REG_SECT 0xFFFFFFFAu
#define DIR_ENTRY 128
#define NO_STREAM 0xFFFFFFFFu
#define TREE_MAX 4096 /* directory entries walked under the root */

static uint32_t
le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static unsigned
le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The sectors of the chain from start in table fat (n entries: the FAT's
 * sectors of the file, or the mini FAT's of the mini stream), into *out,
 * up to want bytes (all of the chain when want is SIZE_MAX): 1, 0 on a
 * broken chain, -1 out of memory. */
static int
read_chain(const cm_doci_ole *o, const uint32_t *fat, size_t n, int mini,
           uint32_t start, size_t want, unsigned char **out, size_t *len)
{
    size_t size = mini ? 64 : o->sector, got = 0, hops = 0, cap;
    const unsigned char *base = mini ? o->ministream : o->data;
    size_t base_len = mini ? o->ministream_len : o->len;
    unsigned char *buf;
    uint32_t s = start;

    *out = NULL;
    *len = 0;
    cap = want != SIZE_MAX ? want : 0;
    buf = malloc(cap + 1);
    if (buf == NULL)
        return -1;
    while (s != END_OF_CHAIN && got < want) {
        size_t off = mini ? (size_t)s * 64 : ((size_t)s + 1) * o->sector;
        size_t take = size;
        if (s > MAX_REG_SECT || s >= n || ++hops > n || off > base_len ||
            base_len - off < size) {
            free(buf);
            return 0;
        }
        if (want != SIZE_MAX && take > want - got)
            take = want - got;
        if (got + take > cap) {
            unsigned char *nb = realloc(buf, 2 * cap + take + 1);
            if (nb == NULL) {
                free(buf);
                return -1;
            }
            buf = nb;
            cap = 2 * cap + take;
        }
        memcpy(buf + got, base + off, take);
        got += take;
        s = fat[s];
    }
    if (want != SIZE_MAX && got < want) {
        free(buf); /* shorter than its entry says */
        return 0;
    }
    *out = buf;
    *len = got;
    return 1;
}

/* The FAT: its sectors listed by the header's 109 DIFAT entries and the
 * DIFAT sectors chained after them. */
static int
read_fat(cm_doci_ole *o)
{
    const unsigned char *h = o->data;
    size_t n_fat = le32(h + 0x2C), per = o->sector / 4, i, k = 0;
    size_t file_sectors = o->len / o->sector;
    uint32_t difat = le32(h + 0x44);
    size_t n_difat = le32(h + 0x48), hops = 0;

    if (n_fat == 0 || n_fat > file_sectors)
        return 0;
    o->fat_n = n_fat * per;
    o->fat = malloc(o->fat_n * sizeof *o->fat);
    if (o->fat == NULL)
        return -1;
    for (i = 0; i < 109 && k < n_fat; i++, k++) {
        uint32_t s = le32(h + 0x4C + 4 * i);
        size_t off = ((size_t)s + 1) * o->sector, j;
        if (s > MAX_REG_SECT || off > o->len || o->len - off < o->sector)
            return 0;
        for (j = 0; j < per; j++)
            o->fat[k * per + j] = le32(o->data + off + 4 * j);
    }
    while (k < n_fat) {
        size_t off = ((size_t)difat + 1) * o->sector, j;
        if (difat > MAX_REG_SECT || ++hops > n_difat || off > o->len ||
            o->len - off < o->sector)
            return 0;
        for (j = 0; j + 1 < per && k < n_fat; j++, k++) {
            uint32_t s = le32(o->data + off + 4 * j);
            size_t soff = ((size_t)s + 1) * o->sector, m;
            if (s > MAX_REG_SECT || soff > o->len ||
                o->len - soff < o->sector)
                return 0;
            for (m = 0; m < per; m++)
                o->fat[k * per + m] = le32(o->data + soff + 4 * m);
        }
        difat = le32(o->data + off + 4 * (per - 1));
    }
    return 1;
}

int
cm_doci_ole_open(cm_doci_ole *o, const char *data, size_t len)
{
    const unsigned char *h = (const unsigned char *)data;
    unsigned shift;
    unsigned char *dir = NULL;
    size_t dir_len = 0;
    int r;

    memset(o, 0, sizeof *o);
    if (len < 512 ||
        memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0 ||
        le16(h + 0x1C) != 0xFFFE)
        return 0;
    shift = le16(h + 0x1E);
    if ((shift != 9 && shift != 12) || le16(h + 0x20) != 6)
        return 0;
    o->data = h;
    o->len = len;
    o->sector = (size_t)1 << shift;
    if ((r = read_fat(o)) != 1)
        goto out;
    r = read_chain(o, o->fat, o->fat_n, 0, le32(h + 0x30), SIZE_MAX, &dir,
                   &dir_len);
    if (r != 1)
        goto out;
    o->dir = dir;
    o->n_dir = dir_len / DIR_ENTRY;
    if (o->n_dir == 0 || dir[0x42] != 5) { /* the root first */
        r = 0;
        goto out;
    }
    o->cutoff = le32(h + 0x38);
    /* The mini stream (the root's stream) and its FAT, when there are. */
    if (le32(dir + 0x74) != END_OF_CHAIN && le32(dir + 0x78) > 0) {
        unsigned char *mf = NULL;
        size_t mf_len = 0;
        r = le32(dir + 0x78) > len
                ? 0
                : read_chain(o, o->fat, o->fat_n, 0, le32(dir + 0x74),
                             le32(dir + 0x78), &o->ministream,
                             &o->ministream_len);
        if (r == 1 && le32(h + 0x40) > 0)
            r = read_chain(o, o->fat, o->fat_n, 0, le32(h + 0x3C), SIZE_MAX,
                           &mf, &mf_len);
        if (r == 1) {
            size_t i;
            o->minifat_n = mf_len / 4;
            o->minifat = malloc((o->minifat_n + 1) * sizeof *o->minifat);
            if (o->minifat == NULL)
                r = -1;
            for (i = 0; r == 1 && i < o->minifat_n; i++)
                o->minifat[i] = le32(mf + 4 * i);
        }
        free(mf);
    }
out:
    if (r != 1)
        cm_doci_ole_close(o);
    return r;
}

/* Whether directory entry e is named name (ASCII; compared as [MS-CFB]
 * compares, without regard to case). */
static int
named(const unsigned char *e, const char *name)
{
    size_t n = strlen(name), nl = le16(e + 0x40), i;

    if (nl != 2 * (n + 1) || nl > 64)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned c = le16(e + 2 * i), d = (unsigned char)name[i];
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (d >= 'a' && d <= 'z')
            d -= 32;
        if (c != d)
            return 0;
    }
    return 1;
}

int
cm_doci_ole_stream(const cm_doci_ole *o, const char *name,
                   unsigned char **out, size_t *len)
{
    uint32_t stack[64], id;
    unsigned char seen[TREE_MAX / 8];
    size_t top = 0, walked = 0;

    *out = NULL;
    *len = 0;
    memset(seen, 0, sizeof seen);
    /* The root's children: a tree of left and right siblings. */
    id = le32(o->dir + 0x4C);
    if (id != NO_STREAM)
        stack[top++] = id;
    while (top > 0) {
        const unsigned char *e;
        id = stack[--top];
        if (id >= o->n_dir || id >= TREE_MAX || (seen[id / 8] >> id % 8 & 1) ||
            ++walked > TREE_MAX)
            continue;
        seen[id / 8] |= (unsigned char)(1u << id % 8);
        e = o->dir + (size_t)id * DIR_ENTRY;
        if (e[0x42] == 2 && named(e, name)) {
            uint64_t size = le32(e + 0x78);
            if (o->sector == 4096)
                size |= (uint64_t)le32(e + 0x7C) << 32;
            int r;
            if (size > o->len)
                return -2; /* larger than the file */
            if (size == 0)
                return (*out = malloc(1)) != NULL ? 1 : -1;
            if (size < o->cutoff)
                r = o->ministream == NULL
                        ? 0
                        : read_chain(o, o->minifat, o->minifat_n, 1,
                                     le32(e + 0x74), (size_t)size, out, len);
            else
                r = read_chain(o, o->fat, o->fat_n, 0, le32(e + 0x74),
                               (size_t)size, out, len);
            return r == 0 ? -2 : r;
        }
        if (top + 2 <= sizeof stack / sizeof stack[0]) {
            stack[top++] = le32(e + 0x44); /* left */
            stack[top++] = le32(e + 0x48); /* right */
        }
    }
    return 0;
}

void
cm_doci_ole_close(cm_doci_ole *o)
{
    free(o->fat);
    free(o->dir);
    free(o->ministream);
    free(o->minifat);
    memset(o, 0, sizeof *o);
}
