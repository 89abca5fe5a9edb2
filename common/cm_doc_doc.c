/* cm_doc_doc.c: the Word 97-2003 splitter (.doc).
 *
 * A .doc is an OLE2 compound file (cm_doc_ole.c reads it) whose WordDocument
 * stream starts with the FIB, the table of where everything is.  The text
 * is a run of characters numbered by CP, stored in pieces (the Clx's piece
 * table, in the table stream "0Table" or "1Table") of UTF-16 or of
 * Windows-1252 bytes; the main story comes first, then the footnotes'.
 * In it, 13 ends a paragraph, 7 a table cell (and, on a paragraph marked
 * as a row's end, the row), 12 a page or section, 19/20/21 open a field,
 * start its result and close it (the instructions between 19 and 20 are
 * not text, nor the result of a table of contents or an index, which
 * copies the headings), 2 is an automatically numbered footnote or
 * endnote reference.  Characters that tracked changes deleted, or hidden
 * ones, are not text (the CHPX of PlcBteChpx's FKP pages; hidden by their
 * own properties, else by their character style, else by their
 * paragraph's style, the CHPX of each style's UPXs).  A text box's
 * text (the text box story, after the endnotes', cut by PlcftxbxTxt) is
 * joined to the paragraph its shape is anchored in: the shape's character
 * (8) at a CP of PlcSpaMom, whose shape id leads, in the main text's
 * OfficeArt drawing (DggInfo), to the box (its lTxid); a box no anchor
 * shows is a paragraph after the main text.
 *
 * Each paragraph's properties (its style, outline level, whether it is in
 * a table or ends a row) are in the PAPX of the FKP page that covers its
 * paragraph mark (PlcBtePapx); a paragraph is a heading by its outline
 * level (its own or its style's: body text is none) or else by its
 * style's built-in identifier (sti 1-9, "heading 1".."heading 9", whatever
 * it is called in the document's language; 62, "Title").
 * As in the .docx splitter, a heading opens a section, a table row is one
 * paragraph of its cells joined by " | ", other paragraphs take labels
 * from their text, and footnote references are marks numbered in order,
 * the notes footnote paragraphs at the end.  The summary's Title titles a
 * document no heading titled.  A paragraph numbered by Word's automatic
 * numbering (its list, LFO, and level; the list's levels, LST and LVL, in
 * PlfLst and PlfLfo) gets the label Word shows ("5.", "5.1.", "a)"),
 * counted as Word counts: per list, a level restarting when a higher one
 * moves on.  A paragraph's outline level and numbering are its own or
 * else its style's (and the styles that one is based on): Word's "List
 * Number" and a template's numbered-paragraph style number paragraphs that
 * say nothing of lists themselves.
 *
 * Refused, with the reason: a file that is not OLE2 (an HTML file named
 * .doc is named as such), an OLE2 file without a WordDocument stream
 * (Excel, PowerPoint), Word 6 and 95 files, encrypted ones, and a FIB or
 * piece table pointing outside its streams.  A .docx named .doc is read
 * as one, and RTF named .doc (Word saves it so) as RTF.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_charset.h"
#include "cm_doc_int.h"

#define FIB_IDENT 0xA5EC
#define NFIB_WORD97 0x00C0 /* Word 97 (0xC1; its betas 0xC0) and later;
                              Word 6 and 95 are 0x65-0x68 */
#define FIELD_DEPTH 64     /* nested fields tracked (deeper: kept) */
#define STI_TITLE 62
#define NO_OUTLINE (-1)    /* body text */
#define OUTLINE_UNSET (-2) /* not said: the style's */
#define STYLE_HOPS 16      /* styles based on styles, followed this far */
#define LEVELS 9
#define MAX_LISTS 4096

/* ---- little-endian reads within bounds ----------------------------- */

static unsigned
u16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* ---- the structures ------------------------------------------------ */

typedef struct {
    uint32_t cp0, cp1; /* the CPs it holds */
    uint32_t fc;       /* the byte offset of its first character */
    int bytes;         /* 1: Windows-1252 bytes; 2: UTF-16LE */
} piece;

/* Paragraph properties as a PAPX (or a style's UPX) sets them. */
typedef struct {
    int istd;    /* style, -1 when not given */
    int outline; /* outline level 0-8, NO_OUTLINE, or OUTLINE_UNSET */
    int in_table;
    int ttp;  /* the mark ends a table row */
    int ilfo; /* automatic numbering: the list (1-based LFO), 0 for none,
                 -1 when not given */
    int ilvl; /* and its level, -1 when not given */
} pprops;

#define PPROPS_NONE {-1, OUTLINE_UNSET, 0, 0, -1, -1}

/* A style of the STSH: its built-in identifier, the style it is based on,
 * for a paragraph style the properties its UPX sets, and whether its
 * character properties hide the text (sprmCFVanish). */
typedef struct {
    unsigned sti;
    unsigned base; /* istdBase; 0x0FFF for none */
    pprops pp;
    int vanish;    /* 1 hidden, 0 shown, -1 not said (its base's) */
} dstyle;

/* A level of a list (LVL): where it starts, its number format (nfc) and
 * its number text, whose characters 0-8 stand for the levels' numbers. */
typedef struct {
    long start;
    unsigned nfc;
    int legal;      /* every level's number in digits */
    int no_restart; /* not restarted by a higher level */
    unsigned short text[32];
    size_t n_text;
} lvl;

typedef struct {
    uint32_t lsid;
    lvl lv[LEVELS];
} lst;

/* A list as paragraphs use it (LFO): its LST, start overrides, counts. */
typedef struct {
    uint32_t lsid;
    const lst *l;          /* its LST, once looked up */
    int looked_up;
    long start_at[LEVELS]; /* LONG_MIN: the level's own start */
    long count[LEVELS];    /* LONG_MIN: not counted yet */
} lfo;

typedef struct {
    uint32_t fc0, fc1; /* the paragraph marks it covers */
    pprops pp;
} prun;

/* Characters [fc0, fc1) that are not text (hide 1: deleted in tracked
 * changes, sprmCFRMarkDel, or hidden, sprmCFVanish, by their own
 * properties or their character style) or that are, whatever their
 * paragraph's style says (hide 0). */
typedef struct {
    uint32_t fc0, fc1;
    int hide;
} hrun;

/* A text box's text in the text box story (PlcftxbxTxt), in CPs. */
typedef struct {
    uint32_t cp0, cp1; /* empty: a box that is no longer used */
    int read;
} tbox;

/* A shape anchored in the main text (PlcSpaMom), and the text box it
 * shows (the lTxid of its OfficeArt properties: the box's index in
 * PlcftxbxTxt plus one, times 65536, plus its place in a chain of
 * linked boxes). */
typedef struct {
    uint32_t key; /* the anchor's CP; the shape's id */
    uint32_t val; /* the shape's id; its lTxid */
} pair32;

typedef struct {
    cm_doci_builder *b;
    unsigned char *wd; /* the WordDocument stream */
    size_t wd_n;
    unsigned char *tb; /* the table stream */
    size_t tb_n;
    piece *pcs;
    size_t n_pcs, cap_pcs;
    prun *runs;
    size_t n_runs, cap_runs;
    hrun *hidden; /* in FC order */
    size_t n_hidden, cap_hidden, at_hidden;
    int para_vanish; /* a paragraph style hides its text */
    dstyle *styles; /* by istd */
    size_t n_styles;
    lst *lsts;
    size_t n_lsts;
    lfo *lfos;
    size_t n_lfos;
    /* The main story as it is read. */
    cm_doci_acc cur, cell, row;
    int row_open;      /* a table row has begun */
    /* Open fields: 1 in their instructions, 0 in their result, 2 in the
     * result of a table of contents or an index (not text). */
    int field[FIELD_DEPTH];
    cm_doci_field_word inst[FIELD_DEPTH]; /* their instructions' verb */
    int n_field;       /* open fields (their count past FIELD_DEPTH too) */
    int in_code;       /* open fields that are in their instructions */
    int in_toc;        /* open fields in a copy of the headings */
    unsigned hi_surr;  /* a high surrogate waiting for its pair */
    unsigned long n_refs;
    /* The CPs of the footnotes' and the endnotes' references (PlcffndRef,
     * PlcfendRef), sorted: with endnotes, a reference's number is its
     * rank among both. */
    uint32_t *fref, *eref;
    size_t n_fref, n_eref;
    cm_doci_note_list notes; /* the notes' text, in order */
    tbox *boxes;       /* the text boxes, by index */
    size_t n_boxes;
    pair32 *anchors;   /* CP -> shape id, sorted by CP */
    size_t n_anchors;
    pair32 *shape_tx;  /* shape id -> lTxid, sorted by id */
    size_t n_shape_tx;
} dctx;

static void
fail(dctx *d, const char *why)
{
    if (d->b->st == CM_OK) {
        d->b->st = CM_EPARSE;
        snprintf(d->b->err, sizeof d->b->err, "%s", why);
    }
}

/* The FIB's fc/lcb pair i (FibRgFcLcb97 numbering), or 0 when the FIB
 * has no such pair or it points outside the table stream. */
static int
fclcb(const dctx *d, size_t base, unsigned count, unsigned i, uint32_t *fc,
      uint32_t *lcb)
{
    size_t at = base + 8 * (size_t)i;

    *fc = *lcb = 0;
    if (i >= count || at + 8 > d->wd_n)
        return 0;
    *fc = u32(d->wd + at);
    *lcb = u32(d->wd + at + 4);
    if (*lcb == 0 || *fc > d->tb_n || *lcb > d->tb_n - *fc)
        return 0;
    return 1;
}

/* ---- the piece table ----------------------------------------------- */

static int
by_cp(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    return x->cp0 < y->cp0 ? -1 : x->cp0 > y->cp0;
}

/* The pieces (Clx), in CP order, overlaps dropped, for char_at()'s
 * binary search. */
static int
read_pieces(dctx *d, uint32_t fc, uint32_t lcb)
{
    size_t p = fc, end = (size_t)fc + lcb, n, i;
    const unsigned char *t = d->tb;

    while (p < end && t[p] == 0x01) { /* Prc: formatting, skipped */
        if (p + 3 > end)
            return 0;
        p += 3 + u16(t + p + 1);
    }
    if (p + 5 > end || t[p] != 0x02)
        return 0;
    n = u32(t + p + 1);
    p += 5;
    if (n < 4 || n > end - p || (n - 4) % 12 != 0)
        return 0;
    n = (n - 4) / 12;
    for (i = 0; i < n; i++) {
        const unsigned char *cp = t + p + 4 * i;
        const unsigned char *pcd = t + p + 4 * (n + 1) + 8 * i;
        uint32_t cp0 = u32(cp), cp1 = u32(cp + 4), f = u32(pcd + 2);
        piece *pc;
        if (cp1 <= cp0)
            continue;
        if (cm_grow((void **)&d->pcs, &d->cap_pcs, d->n_pcs, sizeof *d->pcs)
            != CM_OK) {
            d->b->st = CM_ENOMEM;
            return 1;
        }
        pc = &d->pcs[d->n_pcs++];
        pc->cp0 = cp0;
        pc->cp1 = cp1;
        pc->bytes = f & 0x40000000u ? 1 : 2;
        pc->fc = pc->bytes == 1 ? (f & 0x3FFFFFFFu) / 2 : f;
    }
    if (d->n_pcs > 1) {
        size_t k = 0;
        qsort(d->pcs, d->n_pcs, sizeof *d->pcs, by_cp);
        for (i = 1; i < d->n_pcs; i++)
            if (d->pcs[i].cp0 >= d->pcs[k].cp1)
                d->pcs[++k] = d->pcs[i];
        d->n_pcs = k + 1;
    }
    return 1;
}

/* ---- paragraph properties ------------------------------------------ */

/* The size of the operand of sprm op at g[p..len), or 0 when it does not
 * fit. */
static size_t
sprm_size(const unsigned char *g, size_t p, size_t len, unsigned op)
{
    size_t size;

    switch (op >> 13) {
    case 0:
    case 1:
        size = 1;
        break;
    case 2:
    case 4:
    case 5:
        size = 2;
        break;
    case 3:
        size = 4;
        break;
    case 7:
        size = 3;
        break;
    default: /* 6: the operand says its size */
        if (op == 0xD608 || op == 0xD606) { /* sprmTDefTable(10) */
            if (p + 2 > len)
                return 0;
            size = u16(g + p) + 1;
        } else {
            if (p + 1 > len)
                return 0;
            size = 1u + g[p];
        }
        break;
    }
    return size <= len - p ? size : 0;
}

/* The properties a grpprl of len bytes at g sets (istd first). */
static void
read_papx(const unsigned char *g, size_t len, pprops *pp)
{
    size_t p = 2;

    if (len < 2)
        return;
    pp->istd = (int)u16(g);
    while (p + 2 <= len) {
        unsigned op = u16(g + p);
        size_t size;
        p += 2;
        if ((size = sprm_size(g, p, len, op)) == 0)
            return;
        if (op == 0x2640) /* sprmPOutLvl (9: body text) */
            pp->outline = g[p] <= 8 ? g[p] : NO_OUTLINE;
        else if (op == 0x2416) /* sprmPFInTable */
            pp->in_table = g[p] != 0;
        else if (op == 0x2417) /* sprmPFTtp */
            pp->ttp = g[p] != 0;
        else if (op == 0x460B) /* sprmPIlfo */
            pp->ilfo = (int)u16(g + p);
        else if (op == 0x260A) /* sprmPIlvl */
            pp->ilvl = g[p];
        p += size;
    }
}

/* The FKP pages a PlcBte lists (PlcBtePapx, PlcBteChpx: n + 1 FCs, then
 * n page numbers; lcb bytes at fc): their count. */
static size_t
fkp_count(uint32_t lcb)
{
    return lcb < 12 || (lcb - 4) % 8 != 0 ? 0 : (lcb - 4) / 8;
}

/* Page i of the n a PlcBte at fc lists: its 512 bytes, and *crun its runs
 * (each an FC, and after the FCs an entry of esize bytes); NULL when it
 * is not in the stream or its runs do not fit in it. */
static const unsigned char *
fkp_page(const dctx *d, uint32_t fc, size_t n, size_t i, size_t esize,
         unsigned *crun)
{
    size_t pn = u32(d->tb + fc + 4 * (n + 1) + 4 * i) & 0x3FFFFFu;
    const unsigned char *fkp;

    if ((uint64_t)pn * 512 + 512 > d->wd_n)
        return NULL;
    fkp = d->wd + pn * 512;
    *crun = fkp[511];
    return 4 * (*crun + 1) + esize * *crun > 511 ? NULL : fkp;
}

/* The FKP pages of paragraph properties (PlcBtePapx). */
static void
read_fkps(dctx *d, uint32_t fc, uint32_t lcb)
{
    size_t n = fkp_count(lcb), i, j;

    for (i = 0; i < n && d->b->st == CM_OK; i++) {
        unsigned crun;
        const unsigned char *fkp = fkp_page(d, fc, n, i, 13, &crun);
        if (fkp == NULL)
            continue;
        for (j = 0; j < crun; j++) {
            unsigned boff = fkp[4 * (crun + 1) + 13 * j];
            pprops pp = PPROPS_NONE;
            prun *r;
            if (boff != 0) {
                size_t o = 2 * (size_t)boff, start, len;
                if (o >= 511)
                    continue;
                if (fkp[o] != 0) {
                    start = o + 1;
                    len = 2 * (size_t)fkp[o] - 1;
                } else {
                    if (o + 1 >= 511)
                        continue;
                    start = o + 2;
                    len = 2 * (size_t)fkp[o + 1];
                }
                if (start > 511 || len > 511 - start)
                    len = start > 511 ? 0 : 511 - start;
                read_papx(fkp + start, len, &pp);
            }
            if (cm_grow((void **)&d->runs, &d->cap_runs, d->n_runs,
                        sizeof *d->runs) != CM_OK) {
                d->b->st = CM_ENOMEM;
                return;
            }
            r = &d->runs[d->n_runs++];
            r->fc0 = u32(fkp + 4 * j);
            r->fc1 = u32(fkp + 4 * (j + 1));
            r->pp = pp;
        }
    }
}

static int
by_fc0(const void *a, const void *b)
{
    const hrun *x = a, *y = b;
    return x->fc0 < y->fc0 ? -1 : x->fc0 > y->fc0;
}

/* What a CHPX's grpprl (len bytes at g) says of its characters: *del 1
 * when deleted (sprmCFRMarkDel); *vanish 1 when hidden (sprmCFVanish on:
 * 1, or 0x81, the opposite of the style's, taken as hidden), 0 when shown
 * (0), -1 when it does not say (or 0x80: as the style); *istd its
 * character style (sprmCIstd), or -1. */
static void
chpx_props(const unsigned char *g, size_t len, int *del, int *vanish,
           int *istd)
{
    size_t p = 0, size;

    *del = 0;
    *vanish = *istd = -1;
    while (p + 2 <= len) {
        unsigned op = u16(g + p);
        p += 2;
        if ((size = sprm_size(g, p, len, op)) == 0)
            return;
        if (op == 0x0800 && (g[p] == 1 || g[p] == 0x81))
            *del = 1;
        else if (op == 0x083C)
            *vanish = g[p] == 1 || g[p] == 0x81 ? 1 : g[p] == 0 ? 0 : -1;
        else if (op == 0x4A30 && size >= 2)
            *istd = (int)u16(g + p);
        p += size;
    }
}

/* Whether style istd, or the nearest style it is based on that says,
 * hides its text: 1, 0, or -1 when none says. */
static int
style_vanish(const dctx *d, int istd)
{
    size_t at = istd >= 0 ? (size_t)istd : d->n_styles;
    int hops;

    for (hops = 0; at < d->n_styles && hops < STYLE_HOPS; hops++) {
        if (d->styles[at].vanish >= 0)
            return d->styles[at].vanish;
        at = d->styles[at].base;
    }
    return -1;
}

/* The FKP pages of character properties (PlcBteChpx): the runs of
 * characters that are not text. */
static void
read_chpx(dctx *d, uint32_t fc, uint32_t lcb)
{
    size_t n = fkp_count(lcb), i, j;

    for (i = 0; i < n && d->b->st == CM_OK; i++) {
        unsigned crun;
        const unsigned char *fkp = fkp_page(d, fc, n, i, 1, &crun);
        if (fkp == NULL)
            continue;
        for (j = 0; j < crun; j++) {
            size_t o = 2 * (size_t)fkp[4 * (crun + 1) + j];
            hrun *h;
            int del = 0, vanish = -1, istd = -1;
            if (o != 0 && o < 511 && fkp[o] <= 511 - o - 1)
                chpx_props(fkp + o + 1, fkp[o], &del, &vanish, &istd);
            if (vanish < 0)
                vanish = style_vanish(d, istd);
            /* Kept: what is hidden, and what is shown where a paragraph's
             * style may hide it. */
            if (!del && vanish != 1 && !(vanish == 0 && d->para_vanish))
                continue;
            if (cm_grow((void **)&d->hidden, &d->cap_hidden, d->n_hidden,
                        sizeof *d->hidden) != CM_OK) {
                d->b->st = CM_ENOMEM;
                return;
            }
            h = &d->hidden[d->n_hidden++];
            h->fc0 = u32(fkp + 4 * j);
            h->fc1 = u32(fkp + 4 * (j + 1));
            h->hide = del || vanish == 1;
        }
    }
    /* In FC order for hidden_at(), whatever the file says. */
    if (d->n_hidden > 1)
        qsort(d->hidden, d->n_hidden, sizeof *d->hidden, by_fc0);
}

/* Whether the character at fc is deleted or hidden.  The text is read in
 * order, so the run last found is tried first. */
static pprops props_at(const dctx *d, uint32_t fc);

/* Whether the character at fc is not text: deleted or hidden, by its own
 * properties, its character style or its paragraph's style.  The text is
 * read in order, so the run last found is tried first. */
static int
hidden_at(dctx *d, uint32_t fc)
{
    size_t lo = 0, hi = d->n_hidden, i = d->at_hidden;

    if (i < d->n_hidden && d->hidden[i].fc0 <= fc && fc < d->hidden[i].fc1)
        return d->hidden[i].hide;
    while (lo < hi) { /* the first run ending past fc */
        size_t mid = lo + (hi - lo) / 2;
        if (d->hidden[mid].fc1 <= fc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->n_hidden && d->hidden[lo].fc0 <= fc) {
        d->at_hidden = lo;
        return d->hidden[lo].hide;
    }
    if (d->para_vanish) {
        pprops pp = props_at(d, fc);
        return style_vanish(d, pp.istd) == 1;
    }
    return 0;
}

/* hidden_at(), when anything may be hidden. */
static int
is_hidden(dctx *d, uint32_t fc)
{
    return (d->n_hidden > 0 || d->para_vanish) && hidden_at(d, fc);
}

/* The styles (the STSH): an Stshi, then each style's STD after its
 * length.  An STD is a StdfBase (sti; stk, the kind, and istdBase), more
 * of it in later versions (cbSTDBaseInFile says how much), the name (a
 * count, UTF-16 characters and a NUL), then the UPXs, each after its
 * length and padded to an even one: a paragraph style's are its PAPX
 * (istd, then sprms) and its CHPX, a character style's its CHPX. */
static void
read_styles(dctx *d, uint32_t fc, uint32_t lcb)
{
    size_t p, end = (size_t)fc + lcb, i, cstd, cb_base;

    if (lcb < 6)
        return;
    cstd = u16(d->tb + fc + 2);
    cb_base = u16(d->tb + fc + 4);
    p = fc + 2 + u16(d->tb + fc);
    if (cstd == 0 ||
        (d->styles = calloc(cstd, sizeof *d->styles)) == NULL) {
        if (cstd != 0)
            d->b->st = CM_ENOMEM;
        return;
    }
    d->n_styles = cstd;
    for (i = 0; i < cstd; i++) {
        dstyle *s = &d->styles[i];
        pprops none = PPROPS_NONE;
        size_t cb, q, stop;
        unsigned stk;
        s->sti = 0x0FFE; /* an empty slot */
        s->base = 0x0FFF;
        s->pp = none;
        s->vanish = -1;
        if (p + 2 > end)
            continue;
        cb = u16(d->tb + p);
        p += 2;
        if (cb > end - p) {
            p = end;
            continue;
        }
        q = p;
        stop = p + cb;
        p = stop;
        if (cb >= 2)
            s->sti = u16(d->tb + q) & 0x0FFF;
        if (cb < 4)
            continue;
        s->base = u16(d->tb + q + 2) >> 4;
        stk = u16(d->tb + q + 2) & 0xF;
        if ((stk != 1 && stk != 2) || cb_base < 4 || cb_base > cb - 2)
            continue; /* not a paragraph or character style, or no name */
        q += cb_base;
        q += 2 + 2 * (size_t)u16(d->tb + q) + 2; /* the name and its NUL */
        if (q + 2 > stop)
            continue;
        cb = u16(d->tb + q);
        if (cb > stop - q - 2)
            continue;
        if (stk == 1) { /* the PAPX, then the CHPX */
            read_papx(d->tb + q + 2, cb, &s->pp);
            q += 2 + cb + (cb & 1);
            if (q + 2 > stop)
                continue;
            cb = u16(d->tb + q);
            if (cb > stop - q - 2)
                continue;
        }
        {
            int del, istd;
            chpx_props(d->tb + q + 2, cb, &del, &s->vanish, &istd);
        }
    }
    /* A style that hides its text: paragraphs of it, or of a style based
     * on it, may be hidden (a character style's runs are found hidden
     * when read_chpx() reads them). */
    for (i = 0; i < cstd; i++)
        if (d->styles[i].vanish == 1)
            d->para_vanish = 1;
}

/* pp with what it does not say taken from its style and the styles that
 * one is based on; its outline is then NO_OUTLINE or a level, or
 * OUTLINE_UNSET when no style said either, and its list and level are
 * numbers (0 for none). */
static pprops
resolve(const dctx *d, const pprops *pp)
{
    pprops r = *pp;
    size_t at = pp->istd >= 0 ? (size_t)pp->istd : d->n_styles;
    int hops;

    for (hops = 0; at < d->n_styles && hops < STYLE_HOPS; hops++) {
        const pprops *s = &d->styles[at].pp;
        if (r.outline == OUTLINE_UNSET)
            r.outline = s->outline;
        if (r.ilfo < 0)
            r.ilfo = s->ilfo;
        if (r.ilvl < 0)
            r.ilvl = s->ilvl;
        at = d->styles[at].base;
    }
    if (r.ilfo < 0)
        r.ilfo = 0;
    if (r.ilvl < 0)
        r.ilvl = 0;
    return r;
}

/* The LVL at tb[*p..end) into lv (NULL: skipped); *p moves past it.  0
 * when it does not fit. */
static int
read_lvl(const dctx *d, size_t *p, size_t end, lvl *lv)
{
    const unsigned char *t = d->tb + *p;
    size_t size, cch, i;

    if (end - *p < 30)
        return 0;
    size = 28 + (size_t)t[24] + t[25]; /* LVLF, grpprlPapx, grpprlChpx */
    if (end - *p < size + 2)
        return 0;
    cch = u16(t + size);
    if (cch > (end - *p - size - 2) / 2)
        return 0;
    if (lv != NULL) {
        lv->start = (long)(int32_t)u32(t);
        lv->nfc = t[4];
        lv->legal = (t[5] >> 2) & 1;
        lv->no_restart = (t[5] >> 3) & 1;
        lv->n_text = cch < 32 ? cch : 32;
        for (i = 0; i < lv->n_text; i++)
            lv->text[i] = (unsigned short)u16(t + size + 2 + 2 * i);
    }
    *p += size + 2 + 2 * cch;
    return 1;
}

/* The lists (PlfLst and the LVLs after it) and their uses (PlfLfo). */
static void
read_lists(dctx *d, uint32_t fc_lst, uint32_t lcb_lst, uint32_t fc_lfo,
           uint32_t lcb_lfo)
{
    size_t n, i, k, p, end = d->tb_n;

    if (lcb_lst >= 2) {
        n = (size_t)(int16_t)u16(d->tb + fc_lst);
        if (n > MAX_LISTS || n > (end - fc_lst - 2) / 28)
            return;
        if (n > 0 && (d->lsts = calloc(n, sizeof *d->lsts)) == NULL) {
            d->b->st = CM_ENOMEM;
            return;
        }
        p = fc_lst + 2 + 28 * n; /* the LVLs follow the LSTFs */
        for (i = 0; i < n; i++) {
            const unsigned char *f = d->tb + fc_lst + 2 + 28 * i;
            size_t levels = f[26] & 1 ? 1 : LEVELS; /* fSimpleList */
            d->lsts[i].lsid = u32(f);
            for (k = 0; k < levels; k++)
                if (!read_lvl(d, &p, end, &d->lsts[i].lv[k]))
                    break;
            d->n_lsts = i + 1;
            if (k < levels)
                break;
        }
    }
    if (lcb_lfo >= 4) {
        n = u32(d->tb + fc_lfo);
        if (n > MAX_LISTS || n > (end - fc_lfo - 4) / 16)
            return;
        if (n > 0 && (d->lfos = calloc(n, sizeof *d->lfos)) == NULL) {
            d->b->st = CM_ENOMEM;
            return;
        }
        d->n_lfos = n;
        for (i = 0; i < n; i++) {
            d->lfos[i].lsid = u32(d->tb + fc_lfo + 4 + 16 * i);
            for (k = 0; k < LEVELS; k++)
                d->lfos[i].start_at[k] = d->lfos[i].count[k] = LONG_MIN;
        }
        /* The LFOData after them: a CP, then the overrides. */
        p = fc_lfo + 4 + 16 * n;
        for (i = 0; i < n; i++) {
            unsigned levels = d->tb[fc_lfo + 4 + 16 * i + 12];
            if (end - p < 4)
                return;
            p += 4;
            for (k = 0; k < levels; k++) {
                uint32_t flags;
                if (end - p < 8)
                    return;
                flags = u32(d->tb + p + 4);
                if ((flags & 0x10) && (flags & 0xF) < LEVELS) /* fStartAt */
                    d->lfos[i].start_at[flags & 0xF] =
                        (long)(int32_t)u32(d->tb + p);
                p += 8;
                if ((flags & 0x20) && !read_lvl(d, &p, end, NULL))
                    return; /* fFormatting: an LVL of its own */
            }
        }
    }
}

/* The label Word shows for a paragraph of list pp->ilfo at level
 * pp->ilvl, counting it; "" for a bullet or no numbering. */
static void
list_label(dctx *d, const pprops *pp, char *out, size_t cap)
{
    static const char *const fmts[] = {"decimal", "upperRoman",
                                       "lowerRoman", "upperLetter",
                                       "lowerLetter"};
    lfo *f;
    const lst *l = NULL;
    const lvl *lv;
    size_t i, n = 0;
    int k, il = pp->ilvl;

    out[0] = '\0';
    if (pp->ilfo <= 0 || (size_t)pp->ilfo > d->n_lfos || il < 0 ||
        il >= LEVELS)
        return;
    f = &d->lfos[pp->ilfo - 1];
    if (!f->looked_up) {
        for (i = 0; i < d->n_lsts && f->l == NULL; i++)
            if (d->lsts[i].lsid == f->lsid)
                f->l = &d->lsts[i];
        f->looked_up = 1;
    }
    if ((l = f->l) == NULL)
        return;
    lv = &l->lv[il];
    if (f->count[il] == LONG_MIN)
        f->count[il] = f->start_at[il] != LONG_MIN ? f->start_at[il]
                                                   : lv->start;
    else
        f->count[il]++;
    for (k = il + 1; k < LEVELS; k++)
        if (!l->lv[k].no_restart)
            f->count[k] = LONG_MIN; /* a deeper level starts again */
    if (lv->nfc == 23 || lv->nfc == 255) /* a bullet, no number */
        return;
    for (i = 0; i < lv->n_text && n + 1 < cap; i++) {
        unsigned c = lv->text[i];
        if (c < LEVELS) {
            const lvl *rl = &l->lv[c];
            long v = f->count[c] == LONG_MIN ? rl->start : f->count[c];
            char num[24];
            const char *fmt = rl->nfc < 5 && !lv->legal ? fmts[rl->nfc]
                                                         : "decimal";
            if (rl->nfc == 22 && v >= 0 && v < 10) /* leading zero */
                snprintf(num, sizeof num, "0%ld", v);
            else
                cm_doci_format_number(v, fmt, num, sizeof num);
            if (n + strlen(num) + 1 < cap) {
                memcpy(out + n, num, strlen(num));
                n += strlen(num);
            }
        } else if (c >= 32 && n + 5 < cap)
            n += cm_doci_utf8_put(out + n,
                                  c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c);
    }
    out[n] = '\0';
    /* A label is a word: "Article 1" has its own space, "(a)" none. */
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
}

/* The properties of the paragraph whose mark is at fc. */
static pprops
props_at(const dctx *d, uint32_t fc)
{
    pprops none = PPROPS_NONE;
    size_t lo = 0, hi = d->n_runs;

    /* The runs come in file order, which is FC order. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->runs[mid].fc1 <= fc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->n_runs && d->runs[lo].fc0 <= fc && fc < d->runs[lo].fc1)
        return d->runs[lo].pp;
    return none;
}

/* The heading level (1-6) of a paragraph (resolved), 0 when it is not
 * one: its outline level, else its style's built-in identifier. */
static int
heading_level(const dctx *d, const pprops *pp)
{
    int level = 0;

    if (pp->outline >= 0)
        level = pp->outline + 1;
    else if (pp->outline == OUTLINE_UNSET && pp->istd >= 0 &&
             (size_t)pp->istd < d->n_styles) {
        unsigned sti = d->styles[pp->istd].sti;
        if (sti >= 1 && sti <= 9)
            level = (int)sti;
        else if (sti == STI_TITLE)
            level = 1;
    }
    return level <= 6 ? level : 0;
}

/* ---- the text ------------------------------------------------------ */

/* Windows-1252's 0x80-0x9F (0: undefined, read as U+FFFD). */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static void
put_cp(cm_doci_acc *a, unsigned long c)
{
    char u[4];

    if (c == 0xA0 || c == 0x2007 || c == 0x202F)
        cm_doci_acc_space(a);
    else
        cm_doci_acc_text(a, u, cm_doci_utf8_put(u, c));
}

/* Text that is not a control character: into the paragraph, unless in a
 * field's instructions. */
static void
text_char(dctx *d, cm_doci_acc *a, unsigned c)
{
    unsigned long cp[2];
    size_t n, i;

    if (d->in_code > 0) {
        if (d->n_field > 0 && d->n_field <= FIELD_DEPTH &&
            d->field[d->n_field - 1] == 1)
            cm_doci_field_word_add(&d->inst[d->n_field - 1], c);
        return;
    }
    if (d->in_toc > 0)
        return;
    n = cm_doci_utf16_unit(&d->hi_surr, c, cp);
    for (i = 0; i < n; i++)
        put_cp(a, cp[i]);
}

/* The field characters: 19 begin, 20 separate, 21 end. */
static void
field_char(dctx *d, unsigned c)
{
    if (c == 19) {
        /* Past FIELD_DEPTH a field is not tracked: its code is kept as
         * text rather than the rest of the document lost. */
        if (d->n_field < FIELD_DEPTH) {
            d->field[d->n_field] = 1;
            memset(&d->inst[d->n_field], 0, sizeof d->inst[0]);
            d->in_code++;
        }
        d->n_field++;
    } else if (d->n_field > 0) {
        int top = d->n_field - 1;
        int code = top < FIELD_DEPTH ? d->field[top] : 0;
        if (c == 20 && code == 1) {
            /* The result: text, unless it copies the headings or the
             * index entries (TOC, INDEX, TOA). */
            d->in_code--;
            if (cm_doci_field_word_is_toc(&d->inst[top])) {
                d->field[top] = 2;
                d->in_toc++;
            } else
                d->field[top] = 0;
        } else if (c == 21) {
            d->in_code -= code == 1;
            d->in_toc -= code == 2;
            d->n_field--;
        }
    }
}

static void
emit(dctx *d, cm_doci_acc *a, const pprops *pp)
{
    cm_doci_builder *b = d->b;
    char label[64];
    int level;

    if (a->oom) {
        b->st = CM_ENOMEM;
        return;
    }
    if (a->b.len == 0) {
        b->n_marks = 0;
        return;
    }
    level = pp ? heading_level(d, pp) : 0;
    label[0] = '\0';
    if (pp != NULL && level == 0)
        list_label(d, pp, label, sizeof label);
    if (pp == NULL) /* a table row: not labelled by its text */
        cm_doci_add_para(b, "", 0, cm_doci_body_sect(b), a->b.data,
                         a->b.len);
    else
        cm_doci_add_word_para(b, level, label, a->b.data, a->b.len);
    b->n_marks = 0;
}

/* The cell's text as the row's next cell (nothing when it is blank). */
static void
end_cell(dctx *d)
{
    if (!cm_doci_acc_drop_blank(&d->cell, 0))
        cm_doci_acc_join(&d->row, &d->cell, " | ");
    cm_doci_acc_reset(&d->cell);
}

static void
end_row(dctx *d)
{
    end_cell(d);
    emit(d, &d->row, NULL);
    cm_doci_acc_reset(&d->row);
    d->row_open = 0;
}

/* A paragraph, cell or row mark (13, 7, 12) at fc. */
static void
mark(dctx *d, unsigned c, uint32_t fc)
{
    pprops own = props_at(d, fc), pp = resolve(d, &own);
    int table = pp.in_table || pp.ttp || (c == 7 && d->n_runs == 0);

    d->hi_surr = 0;
    if (!table) {
        if (d->row_open)
            end_row(d);
        emit(d, &d->cur, &pp);
        cm_doci_acc_reset(&d->cur);
        return;
    }
    d->row_open = 1;
    if (c == 7 && pp.ttp) {
        cm_doci_acc_join(&d->cell, &d->cur, " ");
        end_row(d);
    } else if (c == 7) {
        cm_doci_acc_join(&d->cell, &d->cur, " ");
        end_cell(d);
    } else
        cm_doci_acc_join(&d->cell, &d->cur, " ");
}

/* The CPs in a[0..n) below cp. */
static size_t
count_below(const uint32_t *a, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The number of the note whose reference is at cp: the next when the
 * document has no endnotes (footnotes are numbered in order), else its
 * rank among the footnotes' and endnotes' references; 0 when cp is
 * neither's. */
static unsigned long
note_number(dctx *d, uint32_t cp)
{
    size_t i, j;

    if (d->n_eref == 0)
        return ++d->n_refs;
    i = count_below(d->fref, d->n_fref, cp);
    j = count_below(d->eref, d->n_eref, cp);
    if ((i < d->n_fref && d->fref[i] == cp) ||
        (j < d->n_eref && d->eref[j] == cp))
        return (unsigned long)(i + j) + 1;
    return 0;
}

/* ---- text boxes ------------------------------------------------------ */

static int char_at(const dctx *d, uint32_t cp, size_t *at, unsigned *c,
                   uint32_t *fc);

static int
by_key(const void *a, const void *b)
{
    const pair32 *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* The entry of key in v (sorted by key), or NULL when it has none. */
static const pair32 *
find_key(const pair32 *v, size_t n, uint32_t key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].key == key ? &v[lo] : NULL;
}

/* The text boxes of the story [base, base + ccp): where PlcftxbxTxt (fc,
 * lcb: n + 1 CPs, then n FTXBXS of 22 bytes) says each begins, those it
 * says are no longer used (fReusable) left empty; without it, the story
 * as one box. */
static void
read_boxes(dctx *d, uint32_t base, uint32_t ccp, uint32_t fc, uint32_t lcb)
{
    size_t n = lcb >= 30 && (lcb - 4) % 26 == 0 ? (lcb - 4) / 26 : 0, i;

    if (ccp == 0 || (uint64_t)base + ccp > UINT32_MAX)
        return;
    if ((d->boxes = calloc(n > 0 ? n : 1, sizeof *d->boxes)) == NULL) {
        d->b->st = CM_ENOMEM;
        return;
    }
    if (n == 0) {
        d->boxes[0].cp0 = base;
        d->boxes[0].cp1 = base + ccp;
        d->n_boxes = 1;
        return;
    }
    d->n_boxes = n;
    for (i = 0; i < n; i++) {
        uint32_t a = u32(d->tb + fc + 4 * i), z = u32(d->tb + fc + 4 * i + 4);
        unsigned reusable = u16(d->tb + fc + 4 * (n + 1) + 22 * i + 8);
        if (a < z && z <= ccp && !reusable) {
            d->boxes[i].cp0 = base + a;
            d->boxes[i].cp1 = base + z;
        }
    }
}

/* The shapes anchored in the main text: PlcSpaMom (n + 1 CPs, then n
 * FSPAs of 26 bytes, the shape's id first). */
static void
read_anchors(dctx *d, uint32_t fc, uint32_t lcb)
{
    size_t n = lcb >= 34 && (lcb - 4) % 30 == 0 ? (lcb - 4) / 30 : 0, i;

    if (n == 0)
        return;
    if ((d->anchors = malloc(n * sizeof *d->anchors)) == NULL) {
        d->b->st = CM_ENOMEM;
        return;
    }
    for (i = 0; i < n; i++) {
        d->anchors[i].key = u32(d->tb + fc + 4 * i);
        d->anchors[i].val = u32(d->tb + fc + 4 * (n + 1) + 26 * i);
    }
    d->n_anchors = n;
    qsort(d->anchors, n, sizeof *d->anchors, by_key);
}

#define ART_DEPTH 16 /* nested OfficeArt containers followed */

/* The OfficeArt records in tb[o, end) (a container's children): each
 * shape's (OfficeArtSpContainer, 0xF004) id (OfficeArtFSP, 0xF00A) and
 * the text box it shows: the lTxid property (0x0080) of its
 * OfficeArtFOPT (0xF00B), or its OfficeArtClientTextbox (0xF00D). */
static void
art_records(dctx *d, size_t o, size_t end, int depth, size_t *cap)
{
    uint32_t spid = 0, txid = 0;
    int has_spid = 0;

    while (o + 8 <= end && d->b->st == CM_OK) {
        unsigned ver_inst = u16(d->tb + o), type = u16(d->tb + o + 2);
        uint32_t len = u32(d->tb + o + 4);
        size_t data = o + 8;
        if (len > end - data)
            break;
        if ((ver_inst & 0xF) == 0xF) {
            if (depth < ART_DEPTH)
                art_records(d, data, data + len, depth + 1, cap);
        } else if (type == 0xF00A && len >= 4) {
            spid = u32(d->tb + data);
            has_spid = 1;
        } else if (type == 0xF00B) {
            size_t k, nprops = ver_inst >> 4;
            for (k = 0; k < nprops && 6 * k + 6 <= len; k++)
                if ((u16(d->tb + data + 6 * k) & 0x3FFF) == 0x0080)
                    txid = u32(d->tb + data + 6 * k + 2);
        } else if (type == 0xF00D && len >= 4 && txid == 0)
            txid = u32(d->tb + data);
        o = data + len;
    }
    if (has_spid && txid >= 0x10000) {
        if (cm_grow((void **)&d->shape_tx, cap, d->n_shape_tx,
                    sizeof *d->shape_tx) != CM_OK) {
            d->b->st = CM_ENOMEM;
            return;
        }
        d->shape_tx[d->n_shape_tx].key = spid;
        d->shape_tx[d->n_shape_tx++].val = txid;
    }
}

/* The main text's drawings in OfficeArtContent (DggInfo: fc, lcb): an
 * OfficeArtDggContainer, then drawings, each a byte saying whose (0: the
 * main text's, 1: the headers') and an OfficeArtDgContainer. */
static void
read_shapes(dctx *d, uint32_t fc, uint32_t lcb)
{
    size_t o = fc, end = (size_t)fc + lcb, cap = 0;

    if (lcb < 8 || u16(d->tb + o + 2) != 0xF000 ||
        u32(d->tb + o + 4) > end - o - 8)
        return;
    o += 8 + u32(d->tb + o + 4);
    while (o + 9 <= end && d->b->st == CM_OK) {
        unsigned whose = d->tb[o];
        uint32_t len = u32(d->tb + o + 5);
        if (len > end - o - 9)
            break;
        if (whose == 0)
            art_records(d, o + 1, o + 9 + len, 0, &cap);
        o += 9 + len;
    }
    if (d->n_shape_tx > 1)
        qsort(d->shape_tx, d->n_shape_tx, sizeof *d->shape_tx, by_key);
}

/* The text of the story [cp0, cp1) (a note's, a text box's) into a, its
 * paragraphs, cells and breaks as spaces, with fields of its own. */
static void
story_text(dctx *d, cm_doci_acc *a, uint32_t cp0, uint32_t cp1)
{
    size_t at = 0;
    uint32_t cp, fc;
    unsigned c;

    d->n_field = d->in_code = d->in_toc = 0;
    d->hi_surr = 0;
    for (cp = cp0; cp < cp1; cp++) {
        if (!char_at(d, cp, &at, &c, &fc))
            break;
        if (c == 19 || c == 20 || c == 21)
            field_char(d, c);
        else if (c == 13 || c == 7 || c == 12 || c == 9 || c == 11)
            cm_doci_acc_space(a);
        else if (is_hidden(d, fc))
            continue; /* deleted or hidden */
        else if (c == 30)
            text_char(d, a, '-');
        else if (c >= 32)
            text_char(d, a, c);
    }
}

/* The text of box k into a, its paragraphs joined by spaces; the main
 * story's field state kept for it. */
static void
box_text(dctx *d, cm_doci_acc *a, size_t k)
{
    int field[FIELD_DEPTH];
    cm_doci_field_word inst[FIELD_DEPTH];
    int n_field = d->n_field, in_code = d->in_code, in_toc = d->in_toc;
    unsigned hi_surr = d->hi_surr;

    d->boxes[k].read = 1;
    memcpy(field, d->field, sizeof field);
    memcpy(inst, d->inst, sizeof inst);
    cm_doci_acc_space(a);
    story_text(d, a, d->boxes[k].cp0, d->boxes[k].cp1);
    cm_doci_acc_space(a);
    memcpy(d->field, field, sizeof field);
    memcpy(d->inst, inst, sizeof inst);
    d->n_field = n_field;
    d->in_code = in_code;
    d->in_toc = in_toc;
    d->hi_surr = hi_surr;
}

/* The drawn object at cp: when it is a text box not read yet, its text
 * into the paragraph it is anchored in (as the .docx splitter reads it). */
static void
box_at(dctx *d, uint32_t cp)
{
    const pair32 *a = find_key(d->anchors, d->n_anchors, cp);
    const pair32 *s = a ? find_key(d->shape_tx, d->n_shape_tx, a->val) : NULL;
    size_t k;

    if (s == NULL)
        return;
    k = (s->val >> 16) - 1;
    if (k < d->n_boxes && !d->boxes[k].read)
        box_text(d, &d->cur, k);
}

/* The text boxes no anchor in the main text showed (a drawing not read,
 * or none), each a paragraph after the main text. */
static void
unread_boxes(dctx *d)
{
    size_t k;

    for (k = 0; k < d->n_boxes && d->b->st == CM_OK; k++)
        if (!d->boxes[k].read && d->boxes[k].cp1 > d->boxes[k].cp0) {
            cm_doci_acc_reset(&d->cur);
            box_text(d, &d->cur, k);
            emit(d, &d->cur, NULL);
            cm_doci_acc_reset(&d->cur);
        }
}

/* One character of the main story, at cp and fc. */
static void
main_char(dctx *d, unsigned c, uint32_t cp, uint32_t fc)
{
    cm_doci_builder *b = d->b;

    switch (c) {
    case 13:
    case 7:
    case 12:
        if (d->in_code == 0 || c != 12)
            mark(d, c, fc);
        break;
    case 19:
    case 20:
    case 21:
        field_char(d, c);
        break;
    case 8: /* a drawn object: a text box's text, when it shows one */
        if (d->in_code == 0 && d->in_toc == 0 && d->n_boxes > 0)
            box_at(d, cp);
        break;
    case 2: /* an automatically numbered note reference */
        if (d->in_code == 0) {
            unsigned long num = note_number(d, cp);
            if (num > 0 && b->n_marks < CM_DOCI_MAX_MARKS)
                b->marks[b->n_marks++] = num;
        }
        break;
    case 9:
    case 11:
    case 14:
        if (d->in_code == 0)
            cm_doci_acc_space(&d->cur);
        break;
    case 30: /* non-breaking hyphen */
        if (!is_hidden(d, fc))
            text_char(d, &d->cur, '-');
        break;
    default:
        if (c >= 32 && !is_hidden(d, fc))
            text_char(d, &d->cur, c);
        /* else: deleted or hidden text, pictures (1, 8), annotation
         * marks (5), optional hyphens (31) and the rest are not text */
        break;
    }
}

/* The character at cp (and its fc): 1, or 0 when cp is in no piece or
 * past the stream.  *at is the piece to start looking from. */
static int
char_at(const dctx *d, uint32_t cp, size_t *at, unsigned *c, uint32_t *fc)
{
    size_t i = *at;
    const piece *pc;
    uint64_t off;

    if (i >= d->n_pcs || cp < d->pcs[i].cp0 || cp >= d->pcs[i].cp1) {
        /* The next piece, as the text is read in order; else a search. */
        if (i + 1 < d->n_pcs && cp >= d->pcs[i + 1].cp0 &&
            cp < d->pcs[i + 1].cp1)
            i++;
        else {
            size_t lo = 0, hi = d->n_pcs;
            while (lo < hi) { /* the first piece ending past cp */
                size_t mid = lo + (hi - lo) / 2;
                if (d->pcs[mid].cp1 <= cp)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            i = lo < d->n_pcs && cp >= d->pcs[lo].cp0 ? lo : d->n_pcs;
        }
    }
    if (i >= d->n_pcs)
        return 0;
    *at = i;
    pc = &d->pcs[i];
    off = (uint64_t)pc->fc + (uint64_t)(cp - pc->cp0) * (unsigned)pc->bytes;
    if (off + (unsigned)pc->bytes > d->wd_n)
        return 0;
    *fc = (uint32_t)off;
    if (pc->bytes == 2)
        *c = u16(d->wd + off);
    else {
        unsigned byte = d->wd[off];
        *c = byte >= 0x80 && byte < 0xA0
                 ? (cp1252_hi[byte - 0x80] ? cp1252_hi[byte - 0x80] : 0xFFFD)
                 : byte;
    }
    return 1;
}

static void
read_main(dctx *d, uint32_t ccp)
{
    size_t at = 0;
    uint32_t cp, fc = 0;
    unsigned c;

    for (cp = 0; cp < ccp && d->b->st == CM_OK; cp++) {
        if (!char_at(d, cp, &at, &c, &fc)) {
            fail(d, "damaged Word document (text outside its stream)");
            return;
        }
        main_char(d, c, cp, fc);
    }
    /* A last paragraph without its mark. */
    if (d->b->st == CM_OK) {
        pprops none = PPROPS_NONE;
        if (d->row_open)
            end_row(d);
        emit(d, &d->cur, &none);
        cm_doci_acc_reset(&d->cur);
    }
}

/* The story [cp0, cp1) of a note: its text, paragraphs joined, the next
 * of l. */
static void
read_note(dctx *d, cm_doci_note_list *l, uint32_t cp0, uint32_t cp1)
{
    cm_doci_acc a;

    memset(&a, 0, sizeof a);
    story_text(d, &a, cp0, cp1);
    cm_doci_note_take(d->b, l, &a);
}

/* The notes of a story (the footnotes', the endnotes') into l: the story
 * [base, base + ccp) cut where its PLC (PlcffndTxt, PlcfendTxt; fc and
 * lcb) says each note begins, else at each reference mark (2) that begins
 * a note. */
static void
read_notes(dctx *d, cm_doci_note_list *l, uint32_t base, uint32_t ccp,
           uint32_t fc, uint32_t lcb)
{
    uint32_t prev = 0, cp;
    size_t i, n = lcb / 4, at = 0;
    unsigned c;
    uint32_t f;

    if (ccp == 0)
        return;
    if (n >= 2) {
        for (i = 1; i < n && d->b->st == CM_OK; i++) {
            uint32_t a = u32(d->tb + fc + 4 * (i - 1));
            uint32_t z = u32(d->tb + fc + 4 * i);
            if (a >= z || z > ccp)
                break;
            read_note(d, l, base + a, base + z);
        }
        return;
    }
    for (cp = 0; cp < ccp && d->b->st == CM_OK; cp++) {
        if (!char_at(d, base + cp, &at, &c, &f))
            break; /* the pieces end: so does the story */
        if (c == 2 && cp > prev) {
            read_note(d, l, base + prev, base + cp);
            prev = cp;
        }
    }
    if (d->b->st == CM_OK && cp > prev)
        read_note(d, l, base + prev, base + cp);
}

static int
by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The CPs of a PLC of references (PlcffndRef, PlcfendRef: n + 1 CPs,
 * then n FRDs of 2 bytes), the n first, sorted; NULL and 0 for none. */
static uint32_t *
read_refs(dctx *d, uint32_t fc, uint32_t lcb, size_t *n)
{
    uint32_t *v;
    size_t i;

    *n = 0;
    if (lcb < 10 || (lcb - 4) % 6 != 0)
        return NULL;
    if ((v = malloc((lcb - 4) / 6 * sizeof *v)) == NULL) {
        d->b->st = CM_ENOMEM;
        return NULL;
    }
    *n = (lcb - 4) / 6;
    for (i = 0; i < *n; i++)
        v[i] = u32(d->tb + fc + 4 * i);
    qsort(v, *n, sizeof *v, by_u32);
    return v;
}

/* With endnotes, the footnotes (f) and the endnotes (e) into d->notes in
 * the order of their references, then those no reference points at. */
static void
merge_notes(dctx *d, cm_doci_note_list *f, cm_doci_note_list *e)
{
    size_t i = 0, j = 0;

    while (d->b->st == CM_OK && (i < d->n_fref || j < d->n_eref)) {
        if (j >= d->n_eref || (i < d->n_fref && d->fref[i] < d->eref[j]))
            cm_doci_note_move(d->b, &d->notes, f, i++);
        else
            cm_doci_note_move(d->b, &d->notes, e, j++);
    }
    for (; d->b->st == CM_OK && i < f->n; i++)
        cm_doci_note_move(d->b, &d->notes, f, i);
    for (; d->b->st == CM_OK && j < e->n; j++)
        cm_doci_note_move(d->b, &d->notes, e, j);
}

/* ---- the compound file --------------------------------------------- */

/* The title of the summary information (an OLE property set: its first
 * section's property 2, in the codepage of its property 1), when no
 * heading gave one. */
static void
summary_title(cm_doci_builder *b, const cm_doci_ole *ole)
{
    unsigned char *ps = NULL;
    size_t n = 0, sec, count, i, at_title = 0;
    unsigned codepage = 1252;
    char cs[16], *utf8 = NULL;
    size_t ulen = 0;

    if (cm_doci_ole_stream(ole, "\005SummaryInformation", &ps, &n) != 1 ||
        n < 48 ||
        u16(ps) != 0xFFFE || u32(ps + 24) < 1 || (sec = u32(ps + 44)) > n ||
        n - sec < 8) {
        free(ps);
        return;
    }
    count = u32(ps + sec + 4);
    for (i = 0; i < count && i < (n - sec - 8) / 8; i++) {
        size_t id = u32(ps + sec + 8 + 8 * i);
        size_t off = u32(ps + sec + 12 + 8 * i);
        if (off > n - sec || n - sec - off < 8)
            continue;
        off += sec;
        if (id == 1 && u16(ps + off) == 2) /* VT_I2 */
            codepage = u16(ps + off + 4);
        else if (id == 2)
            at_title = off;
    }
    if (at_title != 0) {
        unsigned type = u16(ps + at_title);
        size_t len = u32(ps + at_title + 4), room = n - at_title - 8;
        const char *v = (const char *)ps + at_title + 8;
        if (type == 0x1F) { /* VT_LPWSTR: UTF-16 characters */
            if (len <= room / 2 &&
                cm_charset_convert("UTF-16LE", v, 2 * len, &utf8, &ulen,
                                   NULL) != CM_OK)
                utf8 = NULL;
        } else if (type == 0x1E && len <= room) { /* VT_LPSTR */
            if (codepage == 65001)
                snprintf(cs, sizeof cs, "UTF-8");
            else if (codepage == 1200)
                snprintf(cs, sizeof cs, "UTF-16LE");
            else
                snprintf(cs, sizeof cs, "cp%u", codepage);
            if (cm_charset_convert(cs, v, len, &utf8, &ulen, NULL) != CM_OK)
                utf8 = NULL;
        }
    }
    if (utf8 != NULL) /* the string ends at its NUL */
        cm_doci_set_meta_title(b, utf8, strnlen(utf8, ulen));
    free(utf8);
    free(ps);
}

/* Where data's first character is, past a BOM and white space. */
static size_t
first_char(const char *data, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' ||
                       data[i] == '\r' || data[i] == '\n'))
        i++;
    return i;
}

static int
is_rtf(const char *data, size_t len)
{
    size_t i = first_char(data, len);
    return len - i >= 5 && memcmp(data + i, "{\\rtf", 5) == 0;
}

/* Why data is not an OLE2 file, by what it looks like. */
static const char *
not_ole(const char *data, size_t len)
{
    size_t i = first_char(data, len);

    if (i < len && data[i] == '<')
        return "an HTML or XML file named .doc (rename it .html)";
    return "not a Word 97-2003 document (not an OLE2 compound file)";
}

static void
parse_word(dctx *d, const cm_doci_ole *ole)
{
    const unsigned char *w;
    unsigned flags, nfib, csw, cslw, cfclcb;
    size_t lw, fclcb_base;
    uint32_t ccp_text, ccp_ftn, fc, lcb;
    uint64_t edn_at = 0;
    uint32_t ccp_edn = 0, ccp_txbx = 0;

    int r = cm_doci_ole_stream(ole, "WordDocument", &d->wd, &d->wd_n);

    if (r != 1) {
        if (r == -1)
            d->b->st = CM_ENOMEM;
        fail(d, r == 0 ? "not a Word document (an OLE2 file without a "
                         "WordDocument stream: Excel or PowerPoint?)"
                       : "damaged Word document (its WordDocument stream "
                         "is cut short)");
        return;
    }
    w = d->wd;
    if (d->wd_n < 0x22 || u16(w) != FIB_IDENT) {
        fail(d, "damaged Word document (no FIB at the start of "
                "WordDocument)");
        return;
    }
    nfib = u16(w + 2);
    flags = u16(w + 0x0A);
    if (nfib < NFIB_WORD97) {
        fail(d, "a Word 6 or Word 95 document (cmindex reads Word 97 and "
                "later: save it as .docx)");
        return;
    }
    if (flags & 0x0100) {
        fail(d, "an encrypted Word document (password-protected)");
        return;
    }
    r = cm_doci_ole_stream(ole, flags & 0x0200 ? "1Table" : "0Table", &d->tb,
                           &d->tb_n);
    if (r != 1) {
        if (r == -1)
            d->b->st = CM_ENOMEM;
        fail(d, "damaged Word document (no table stream)");
        return;
    }
    /* FibBase (32 bytes), csw and FibRgW, cslw and FibRgLw, cbRgFcLcb and
     * FibRgFcLcb. */
    csw = u16(w + 0x20);
    lw = 0x22 + 2 * (size_t)csw;
    if (lw + 2 > d->wd_n) {
        fail(d, "damaged Word document (FIB cut short)");
        return;
    }
    cslw = u16(w + lw);
    lw += 2;
    fclcb_base = lw + 4 * (size_t)cslw;
    if (cslw < 5 || fclcb_base + 2 > d->wd_n) {
        fail(d, "damaged Word document (FIB cut short)");
        return;
    }
    ccp_text = u32(w + lw + 12);
    ccp_ftn = u32(w + lw + 16);
    if (cslw >= 9) { /* the endnotes follow headers, macros, comments */
        edn_at = (uint64_t)ccp_text + ccp_ftn + u32(w + lw + 20) +
                 u32(w + lw + 24) + u32(w + lw + 28);
        ccp_edn = u32(w + lw + 32);
        if (cslw >= 10) /* the text boxes follow the endnotes */
            ccp_txbx = u32(w + lw + 36);
    }
    cfclcb = u16(w + fclcb_base);
    fclcb_base += 2;
    if (!fclcb(d, fclcb_base, cfclcb, 33, &fc, &lcb) ||
        !read_pieces(d, fc, lcb)) {
        if (d->b->st == CM_OK)
            fail(d, "damaged Word document (no piece table)");
        return;
    }
    if (fclcb(d, fclcb_base, cfclcb, 1, &fc, &lcb))
        read_styles(d, fc, lcb);
    if (d->b->st == CM_OK && fclcb(d, fclcb_base, cfclcb, 13, &fc, &lcb))
        read_fkps(d, fc, lcb);
    if (d->b->st == CM_OK && fclcb(d, fclcb_base, cfclcb, 12, &fc, &lcb))
        read_chpx(d, fc, lcb);
    if (d->b->st == CM_OK) {
        uint32_t fc2, lcb2;
        if (!fclcb(d, fclcb_base, cfclcb, 73, &fc, &lcb))
            fc = lcb = 0;
        if (!fclcb(d, fclcb_base, cfclcb, 74, &fc2, &lcb2))
            fc2 = lcb2 = 0;
        read_lists(d, fc, lcb, fc2, lcb2);
    }
    if (ccp_edn > 0 && edn_at + ccp_edn <= UINT32_MAX &&
        fclcb(d, fclcb_base, cfclcb, 46, &fc, &lcb))
        d->eref = read_refs(d, fc, lcb, &d->n_eref);
    if (d->n_eref > 0 && fclcb(d, fclcb_base, cfclcb, 2, &fc, &lcb))
        d->fref = read_refs(d, fc, lcb, &d->n_fref);
    if (d->b->st == CM_OK && ccp_txbx > 0 &&
        edn_at + ccp_edn + ccp_txbx <= UINT32_MAX) {
        if (!fclcb(d, fclcb_base, cfclcb, 56, &fc, &lcb))
            fc = lcb = 0;
        read_boxes(d, (uint32_t)(edn_at + ccp_edn), ccp_txbx, fc, lcb);
        if (d->b->st == CM_OK && fclcb(d, fclcb_base, cfclcb, 40, &fc, &lcb))
            read_anchors(d, fc, lcb);
        if (d->b->st == CM_OK && fclcb(d, fclcb_base, cfclcb, 50, &fc, &lcb))
            read_shapes(d, fc, lcb);
    }
    if (d->b->st == CM_OK)
        read_main(d, ccp_text);
    if (d->b->st == CM_OK)
        unread_boxes(d);
    {
        cm_doci_note_list fl, el;
        memset(&fl, 0, sizeof fl);
        memset(&el, 0, sizeof el);
        if (d->b->st == CM_OK && ccp_ftn > 0 &&
            ccp_text <= UINT32_MAX - ccp_ftn) {
            if (!fclcb(d, fclcb_base, cfclcb, 3, &fc, &lcb))
                fc = lcb = 0;
            read_notes(d, d->n_eref > 0 ? &fl : &d->notes, ccp_text,
                       ccp_ftn, fc, lcb);
        }
        if (d->b->st == CM_OK && d->n_eref > 0) {
            if (!fclcb(d, fclcb_base, cfclcb, 47, &fc, &lcb))
                fc = lcb = 0;
            read_notes(d, &el, (uint32_t)edn_at, ccp_edn, fc, lcb);
            merge_notes(d, &fl, &el);
        }
        /* Freed: merge_notes() moved every note (or b->st is set). */
        cm_doci_note_flush(d->b, &fl);
        cm_doci_note_flush(d->b, &el);
    }
    cm_doci_note_flush(d->b, &d->notes);
    if (d->b->st == CM_OK && d->b->doc->title[0] == '\0')
        summary_title(d->b, ole);
}

void
cm_doci_parse_doc(cm_doci_builder *b, const char *data, size_t len)
{
    cm_doci_ole ole;
    dctx d;
    int r;

    if (len == 0)
        return;
    if (len >= 4 && memcmp(data, "PK\003\004", 4) == 0) {
        cm_doci_parse_docx(b, data, len); /* a .docx named .doc */
        return;
    }
    if (is_rtf(data, len)) {
        cm_doci_parse_rtf(b, data, len); /* Word saves RTF as .doc too */
        return;
    }
    if (len < 8 || memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0) {
        b->st = CM_EPARSE;
        snprintf(b->err, sizeof b->err, "%s", not_ole(data, len));
        return;
    }
    r = cm_doci_ole_open(&ole, data, len);
    if (r != 1) {
        b->st = r == -1 ? CM_ENOMEM : CM_EPARSE;
        if (r == 0)
            snprintf(b->err, sizeof b->err,
                     "damaged Word document (its OLE2 structure is broken)");
        return;
    }
    memset(&d, 0, sizeof d);
    d.b = b;
    parse_word(&d, &ole);
    cm_doci_note_flush(b, &d.notes); /* freed, on failure too */
    free(d.cur.b.data);
    free(d.cell.b.data);
    free(d.row.b.data);
    free(d.pcs);
    free(d.runs);
    free(d.hidden);
    free(d.styles);
    free(d.fref);
    free(d.eref);
    free(d.lsts);
    free(d.lfos);
    free(d.boxes);
    free(d.anchors);
    free(d.shape_tx);
    free(d.wd);
    free(d.tb);
    cm_doci_ole_close(&ole);
}
