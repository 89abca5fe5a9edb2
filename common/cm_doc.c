/* cm_doc.c: the document reader (a file to checked UTF-8 text) and the
 * paragraph splitter (markdown through md4c, and plain text).
 *
 * The splitter turns blocks into paragraphs and paragraphs into cm_para
 * records; the rules for labels, footnotes, appendices and headings are
 * documented in cm_doc.h, and the reasons for them here.
 */
#include "config.h"

#include "cm_doc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <md4c.h>

/* The heading stack holds levels 1..6 and one pseudo level for an
 * appendix announced by a bold paragraph, so it never needs more. */
#define HMAX 8
#define PSEUDO_MAX_LEVEL 7
#define PATH_SEP " \xe2\x80\xba " /* " › " */

/* ---- messages and growing buffers ----------------------------------- */

__attribute__((format(printf, 2, 3))) static void
set_err(char **errmsg, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    if (errmsg == NULL)
        return;
    *errmsg = NULL;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    s = malloc((size_t)n + 1);
    if (s == NULL)
        return; /* the status still says what happened */
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *errmsg = s;
}

/* A NUL-terminated byte buffer that grows by doubling, so appending n
 * bytes in any number of pieces costs O(n) in total. */
typedef struct {
    char *data;
    size_t len, cap;
} sbuf;

static int
sb_grow(sbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (p == NULL)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

static int
sb_put(sbuf *b, const char *s, size_t n)
{
    if (sb_grow(b, n) != 0)
        return -1;
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static char *
dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int
is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int
is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static unsigned char
lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Paragraph text under construction.  Runs of ASCII whitespace become one
 * space and leading and trailing whitespace is dropped as the text
 * arrives, so no second pass is needed. */
typedef struct {
    sbuf b;
    int space; /* a space is owed before the next visible byte */
    int oom;
} acc;

static void
acc_text(acc *a, const char *s, size_t n)
{
    size_t i = 0, j;

    while (i < n) {
        if (is_ws((unsigned char)s[i])) {
            if (a->b.len > 0)
                a->space = 1;
            i++;
            continue;
        }
        for (j = i; j < n && s[j] != '\0' && !is_ws((unsigned char)s[j]);
             j++)
            ;
        if (a->space && sb_put(&a->b, " ", 1) != 0)
            a->oom = 1;
        a->space = 0;
        if (j == i) {
            /* A NUL byte (unchecked input) would cut the C string short;
             * CommonMark's rule for it serves plain text too. */
            if (sb_put(&a->b, "\xef\xbf\xbd", 3) != 0)
                a->oom = 1;
            j++;
        } else if (sb_put(&a->b, s + i, j - i) != 0)
            a->oom = 1;
        i = j;
    }
}

static void
acc_space(acc *a)
{
    if (a->b.len > 0)
        a->space = 1;
}

static void
acc_reset(acc *a)
{
    a->b.len = 0;
    if (a->b.data != NULL)
        a->b.data[0] = '\0';
    a->space = 0;
}

/* ---- UTF-8 ---------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (Unicode 15, table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, k;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return len;
}

cm_status
cm_doc_check_text(const char *buf, size_t len, size_t *skip_bom,
                  char **errmsg)
{
    const unsigned char *s = (const unsigned char *)buf;
    const char *nul;
    size_t i = 0, k;

    if (skip_bom != NULL)
        *skip_bom = 0;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (len == 0)
        return CM_OK;
    if (buf == NULL) {
        set_err(errmsg, "no text");
        return CM_EINVAL;
    }
    nul = memchr(buf, '\0', len);
    if (nul != NULL) {
        set_err(errmsg, "binary file (NUL byte at offset %zu)",
                (size_t)(nul - buf));
        return CM_EPARSE;
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    if (skip_bom != NULL)
        *skip_bom = i;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(s + i, len - i);
        if (k == 0) {
            set_err(errmsg, "invalid UTF-8 at byte %zu", i);
            return CM_EPARSE;
        }
        i += k;
    }
    return CM_OK;
}

static size_t
utf8_put(char *out, unsigned long cp)
{
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- reading files -------------------------------------------------- */

static cm_status
slurp_fd(int fd, size_t size_hint, size_t max_bytes, sbuf *b, char **errmsg)
{
    ssize_t n;

    if (sb_grow(b, size_hint + 1) != 0)
        return CM_ENOMEM;
    for (;;) {
        if (b->cap - b->len < 2 && sb_grow(b, b->cap) != 0)
            return CM_ENOMEM;
        n = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            set_err(errmsg, "%s", strerror(errno));
            return CM_EIO;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        if (max_bytes != 0 && b->len > max_bytes) {
            /* The file grew after fstat(). */
            set_err(errmsg, "file too large (%zu bytes, limit %zu)", b->len,
                    max_bytes);
            return CM_EPARSE;
        }
    }
    b->data[b->len] = '\0';
    return CM_OK;
}

cm_status
cm_doc_read_file(const char *path, size_t max_bytes, char **text,
                 size_t *text_len, char **errmsg)
{
    cm_status st = CM_OK;
    struct stat sb;
    sbuf b = {0};
    size_t bom = 0;
    int fd = -1;

    if (text != NULL)
        *text = NULL;
    if (text_len != NULL)
        *text_len = 0;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (path == NULL || text == NULL) {
        set_err(errmsg, "no path or no place for the text");
        return CM_EINVAL;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it makes no
     * difference to the regular files we go on to read. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        set_err(errmsg, "%s", strerror(e));
        return e == ENOENT || e == ENOTDIR ? CM_ENOTFOUND : CM_EIO;
    }
    if (fstat(fd, &sb) != 0) {
        set_err(errmsg, "%s", strerror(errno));
        st = CM_EIO;
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        set_err(errmsg, "not a regular file");
        st = CM_EPARSE;
        goto out;
    }
    if (sb.st_size < 0 || (uintmax_t)sb.st_size >= SIZE_MAX / 2 ||
        (max_bytes != 0 && (uintmax_t)sb.st_size > max_bytes)) {
        set_err(errmsg, "file too large (%jd bytes, limit %zu)",
                (intmax_t)sb.st_size, max_bytes);
        st = CM_EPARSE;
        goto out;
    }
    st = slurp_fd(fd, (size_t)sb.st_size, max_bytes, &b, errmsg);
    if (st != CM_OK)
        goto out;
    st = cm_doc_check_text(b.data, b.len, &bom, errmsg);
    if (st != CM_OK)
        goto out;
    if (bom > 0) {
        memmove(b.data, b.data + bom, b.len - bom + 1);
        b.len -= bom;
    }
    *text = b.data;
    if (text_len != NULL)
        *text_len = b.len;
    b.data = NULL;
out:
    free(b.data);
    close(fd);
    if (st == CM_ENOMEM && errmsg != NULL && *errmsg == NULL)
        set_err(errmsg, "out of memory");
    return st;
}

cm_format
cm_doc_format_of(const char *path)
{
    static const struct {
        const char *ext;
        cm_format fmt;
    } exts[] = {{"md", CM_FMT_MARKDOWN},
                {"markdown", CM_FMT_MARKDOWN},
                {"txt", CM_FMT_TEXT},
                {"text", CM_FMT_TEXT}};
    const char *slash, *dot;
    size_t i;

    if (path == NULL)
        return CM_FMT_AUTO;
    slash = strrchr(path, '/');
    dot = strrchr(slash ? slash : path, '.');
    if (dot == NULL || dot == path || (slash && dot == slash + 1))
        return CM_FMT_AUTO; /* no extension, or a dot file */
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i].ext) == 0)
            return exts[i].fmt;
    return CM_FMT_AUTO;
}

const char *
cm_section_name(cm_section s)
{
    static const char *const names[] = {
        [CM_SECT_BODY] = "body",
        [CM_SECT_HEADING] = "heading",
        [CM_SECT_FOOTNOTE] = "footnote",
        [CM_SECT_APPENDIX] = "appendix",
    };
    if ((unsigned)s >= CM_SECT_LAST)
        return "unknown";
    return names[s];
}

/* ---- labels --------------------------------------------------------- */

/* The value of a canonical lower- or upper-case roman numeral made of
 * i, v, x, l (1..89), or 0.  "c", "d" and "m" are left out on purpose:
 * "CM", "DC" or "MC" start too many ordinary sentences. */
static int
roman_value(const char *s, size_t n)
{
    static const char *const tens[] = {"",   "x",  "xx",  "xxx", "xl",
                                       "l",  "lx", "lxx", "lxxx"};
    static const char *const units[] = {"",  "i",  "ii",  "iii", "iv",
                                        "v", "vi", "vii", "viii", "ix"};
    char canon[16];
    int v = 0, upper, prev = 0, cur;
    size_t i;

    if (n == 0 || n > 4)
        return 0;
    upper = s[0] >= 'A' && s[0] <= 'Z';
    for (i = n; i-- > 0;) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') != upper)
            return 0;
        switch (lower(c)) {
        case 'i': cur = 1; break;
        case 'v': cur = 5; break;
        case 'x': cur = 10; break;
        case 'l': cur = 50; break;
        default: return 0;
        }
        v += cur < prev ? -cur : cur;
        if (cur > prev)
            prev = cur;
    }
    if (v <= 0 || v > 89)
        return 0;
    snprintf(canon, sizeof canon, "%s%s", tens[v / 10], units[v % 10]);
    if (strlen(canon) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)canon[i])
            return 0;
    return v;
}

typedef struct {
    size_t len;        /* bytes of the label at the start of the text */
    size_t skip;       /* bytes to drop from the text: label and spaces */
    int numeric;       /* "N." or "N)" */
    unsigned long num; /* its value when numeric */
} label_info;

/* Whether text (already whitespace-normalised) starts with a paragraph
 * label: "(a)", "(iv)", "(12)" (no space needed after the parenthesis,
 * as the treaties write "(a)in defence"), or "5.", "5)", "a.", "b)",
 * "xvi." followed by a space or the end. */
static int
detect_label(const char *t, size_t n, label_info *li)
{
    size_t k = 0, start = t[0] == '(' ? 1 : 0;
    int digits = 1, letters = 1;

    memset(li, 0, sizeof *li);
    while (start + k < n && k < 10 &&
           (is_digit((unsigned char)t[start + k]) ||
            is_alpha((unsigned char)t[start + k]))) {
        if (!is_digit((unsigned char)t[start + k]))
            digits = 0;
        if (!is_alpha((unsigned char)t[start + k]))
            letters = 0;
        k++;
    }
    if (k == 0 || start + k >= n)
        return 0;
    if (!(digits && k <= (start ? 3u : 9u)) &&
        !(letters && (k == 1 || roman_value(t + start, k) > 0)))
        return 0;
    if (start) {
        if (t[1 + k] != ')')
            return 0;
        li->len = k + 2;
    } else {
        if (t[k] != '.' && t[k] != ')')
            return 0;
        if (k + 1 < n && t[k + 1] != ' ')
            return 0;
        li->len = k + 1;
        if (digits) {
            size_t i;
            li->numeric = 1;
            for (i = 0; i < k; i++)
                li->num = li->num * 10 + (unsigned long)(t[i] - '0');
        }
    }
    li->skip = li->len;
    while (li->skip < n && t[li->skip] == ' ')
        li->skip++;
    return 1;
}

/* The appendix words, in the languages of the corpus. */
static int
starts_appendix(const char *t, size_t n)
{
    static const char *const words[] = {
        "appendix", "appendices", "annex", "annexes", "annexe", "bijlage",
        "bijlagen", "anhang",     "anlage"};
    size_t i, w, k;

    for (k = 0; k < n && is_alpha((unsigned char)t[k]); k++)
        ;
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        w = strlen(words[i]);
        if (w == k && strncasecmp(t, words[i], w) == 0)
            return 1;
    }
    return 0;
}

/* ---- the document under construction -------------------------------- */

typedef struct {
    int level;
    int appendix; /* this heading opens an appendix */
    int pseudo;   /* a bold paragraph standing in for a heading */
    char *text;
} heading;

typedef struct {
    cm_doc *doc;
    size_t cap;
    cm_status st;
    heading hs[HMAX];
    int nh;
    sbuf path; /* the heading path, joined */
} builder;

static char *
xstrdup(builder *b, const char *s, size_t n)
{
    char *p = dup_n(s, n);
    if (p == NULL)
        b->st = CM_ENOMEM;
    return p;
}

static void
path_rebuild(builder *b)
{
    int i;

    b->path.len = 0;
    if (sb_put(&b->path, "", 0) != 0)
        b->st = CM_ENOMEM;
    for (i = 0; i < b->nh; i++) {
        if ((i > 0 && sb_put(&b->path, PATH_SEP, strlen(PATH_SEP)) != 0) ||
            sb_put(&b->path, b->hs[i].text, strlen(b->hs[i].text)) != 0)
            b->st = CM_ENOMEM;
    }
}

static void
hs_pop(builder *b, int level)
{
    int changed = 0;

    while (b->nh > 0 && b->hs[b->nh - 1].level >= level) {
        free(b->hs[--b->nh].text);
        changed = 1;
    }
    if (changed)
        path_rebuild(b);
}

static void
hs_push(builder *b, int level, const char *text, size_t len, int appendix,
        int pseudo)
{
    char *t;

    hs_pop(b, level);
    if (b->nh >= HMAX)
        return; /* cannot happen: levels are 1..7 and strictly increase */
    t = xstrdup(b, text, len);
    if (t == NULL)
        return;
    b->hs[b->nh].level = level;
    b->hs[b->nh].appendix = appendix;
    b->hs[b->nh].pseudo = pseudo;
    b->hs[b->nh].text = t;
    b->nh++;
    path_rebuild(b);
}

static int
in_appendix(const builder *b)
{
    int i;

    for (i = 0; i < b->nh; i++)
        if (b->hs[i].appendix)
            return 1;
    return 0;
}

static void
add_para(builder *b, const char *label, size_t label_len, cm_section sect,
         const char *text, size_t text_len)
{
    cm_doc *d = b->doc;
    cm_para *p;

    if (b->st != CM_OK)
        return;
    if (d->n_paras == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        cm_para *np = cap > SIZE_MAX / sizeof *np
                          ? NULL
                          : realloc(d->paras, cap * sizeof *np);
        if (np == NULL) {
            b->st = CM_ENOMEM;
            return;
        }
        d->paras = np;
        b->cap = cap;
    }
    p = &d->paras[d->n_paras];
    memset(p, 0, sizeof *p);
    p->ordinal = (unsigned)(d->n_paras + 1);
    p->section = sect;
    p->label = xstrdup(b, label, label_len);
    p->heading = xstrdup(b, b->path.data ? b->path.data : "", b->path.len);
    p->lang = xstrdup(b, "", 0);
    p->text = xstrdup(b, text, text_len);
    p->text_len = text_len;
    /* Count it even when half built, so cm_doc_free() frees the parts. */
    d->n_paras++;
}

/* Add a body-like paragraph whose label comes from its text: the label is
 * taken out of the text unless nothing would be left. */
static void
add_labelled(builder *b, const char *t, size_t n, cm_section sect)
{
    label_info li;

    if (detect_label(t, n, &li) && li.skip < n)
        add_para(b, t, li.len, sect, t + li.skip, n - li.skip);
    else if (li.len > 0)
        add_para(b, t, li.len, sect, t, n);
    else
        add_para(b, "", 0, sect, t, n);
}

static void
free_para(cm_para *p)
{
    size_t i;

    free(p->label);
    free(p->heading);
    free(p->lang);
    free(p->text);
    for (i = 0; i < p->n_refs; i++)
        free(p->refs[i]);
    free(p->refs);
}

void
cm_doc_free(cm_doc *doc)
{
    size_t i;

    if (doc == NULL)
        return;
    for (i = 0; i < doc->n_paras; i++)
        free_para(&doc->paras[i]);
    free(doc->paras);
    free(doc->path);
    free(doc->number);
    free(doc->type);
    free(doc->title);
    free(doc->date);
    free(doc->lang);
    free(doc);
}

static cm_doc *
doc_new(const char *path)
{
    cm_doc *d = calloc(1, sizeof *d);

    if (d == NULL)
        return NULL;
    d->path = dup_n(path ? path : "", path ? strlen(path) : 0);
    d->number = dup_n("", 0);
    d->type = dup_n("", 0);
    d->title = dup_n("", 0);
    d->date = dup_n("", 0);
    d->lang = dup_n("", 0);
    if (!d->path || !d->number || !d->type || !d->title || !d->date ||
        !d->lang) {
        cm_doc_free(d);
        return NULL;
    }
    return d;
}

/* ---- HTML entities -------------------------------------------------- */

/* HTML 4 Latin-1 entity names, U+00A0 to U+00FF in order. */
static const char *const latin1_names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar",
    "sect",   "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",
    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",
    "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",
    "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",
    "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute",
    "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",
    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",
    "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute",
    "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave", "uacute",
    "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

static const struct {
    const char *name;
    unsigned cp;
} other_entities[] = {
    {"quot", 34},     {"amp", 38},      {"apos", 39},    {"lt", 60},
    {"gt", 62},       {"OElig", 338},   {"oelig", 339},  {"Scaron", 352},
    {"scaron", 353},  {"Yuml", 376},    {"ensp", 8194},  {"emsp", 8195},
    {"thinsp", 8201}, {"zwnj", 8204},   {"zwj", 8205},   {"lrm", 8206},
    {"rlm", 8207},    {"ndash", 8211},  {"mdash", 8212}, {"lsquo", 8216},
    {"rsquo", 8217},  {"sbquo", 8218},  {"ldquo", 8220}, {"rdquo", 8221},
    {"bdquo", 8222},  {"dagger", 8224}, {"Dagger", 8225}, {"bull", 8226},
    {"hellip", 8230}, {"permil", 8240}, {"lsaquo", 8249}, {"rsaquo", 8250},
    {"euro", 8364},   {"trade", 8482},  {"minus", 8722},
};

/* The code point of entity s ("&amp;", "&#39;", "&#x2019;"), or 0 when
 * it is not one we know (the reader then sees it as written). */
static unsigned long
entity_cp(const char *s, size_t n)
{
    size_t i, k;
    unsigned long cp = 0;

    if (n < 3 || s[0] != '&' || s[n - 1] != ';')
        return 0;
    s++;
    n -= 2;
    if (s[0] == '#') {
        int hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
        i = hex ? 2 : 1;
        if (i >= n || n - i > 8)
            return 0;
        for (; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            int v = is_digit(c) ? c - '0'
                    : hex && lower(c) >= 'a' && lower(c) <= 'f'
                        ? lower(c) - 'a' + 10
                        : -1;
            if (v < 0)
                return 0;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
        }
        /* utf8_put() turns the invalid ones into U+FFFD */
        return cp == 0 || cp > 0x10FFFF ? 0xFFFD : cp;
    }
    for (k = 0; k < 96; k++)
        if (strlen(latin1_names[k]) == n &&
            memcmp(latin1_names[k], s, n) == 0)
            return 0xA0 + k;
    for (k = 0; k < sizeof other_entities / sizeof other_entities[0]; k++)
        if (strlen(other_entities[k].name) == n &&
            memcmp(other_entities[k].name, s, n) == 0)
            return other_entities[k].cp;
    return 0;
}

/* ---- markdown ------------------------------------------------------- */

typedef enum { K_PLAIN, K_HEADING, K_ITEM, K_OLITEM, K_ROW } para_kind;

typedef struct {
    int ordered;
    unsigned next;
    char delim;
} list_state;

typedef struct {
    builder *b;
    acc cur;
    int open; /* cur holds a paragraph that is not yet added */
    para_kind kind;
    int h_level;
    unsigned ol_num;
    char ol_delim;
    int num_checked; /* ol_num was compared with the source */
    int strong;    /* depth of ** spans */
    int has_plain; /* visible text outside ** spans */
    int sup;       /* depth of <sup> tags: their text is dropped */
    int html_block;
    size_t cell_mark;
    list_state *lists;
    size_t n_lists, cap_lists;
    const char *src; /* the markdown source */
    size_t src_len;
    int fn_zone;            /* after a thematic break */
    unsigned long last_num; /* last non-footnote paragraph number */
} mdctx;

static void
md_start(mdctx *m, para_kind kind)
{
    acc_reset(&m->cur);
    m->open = 1;
    m->kind = kind;
    m->strong = 0;
    m->has_plain = 0;
    m->sup = 0;
}

static void
md_heading(mdctx *m, const char *t, size_t n)
{
    builder *b = m->b;
    int app;

    /* "####- Right to life": the dash only separates the hashes. */
    if (n > 2 && t[0] == '-' && t[1] == ' ') {
        t += 2;
        n -= 2;
    }
    app = starts_appendix(t, n);
    hs_pop(b, m->h_level);
    add_para(b, "", 0, CM_SECT_HEADING, t, n);
    hs_push(b, m->h_level, t, n, app, 0);
    if (m->h_level <= 2 && b->doc->title[0] == '\0' && b->st == CM_OK) {
        char *title = xstrdup(b, t, n);
        if (title != NULL) {
            free(b->doc->title);
            b->doc->title = title;
        }
    }
    m->fn_zone = 0;
}

/* A paragraph set entirely in bold that starts with an appendix word
 * stands for a heading one level below the current one. */
static void
md_pseudo_heading(mdctx *m, const char *t, size_t n)
{
    builder *b = m->b;
    int level = 1;

    if (b->nh > 0) {
        heading *top = &b->hs[b->nh - 1];
        level = top->pseudo ? top->level : top->level + 1;
    }
    if (level > PSEUDO_MAX_LEVEL)
        level = PSEUDO_MAX_LEVEL;
    hs_pop(b, level);
    add_para(b, "", 0, CM_SECT_HEADING, t, n);
    hs_push(b, level, t, n, 1, 1);
    m->fn_zone = 0;
}

/* Footnotes: after a thematic break, a numbered paragraph is a footnote
 * unless its number continues the document's own numbering (a page break
 * in the middle of the body leaves the footnotes of the page between
 * paragraph 6 and paragraph 7).  The first paragraph that is not a
 * footnote ends the zone. */
static void
md_body(mdctx *m, const char *t, size_t n)
{
    builder *b = m->b;
    cm_section sect = in_appendix(b) ? CM_SECT_APPENDIX : CM_SECT_BODY;
    label_info li;
    char lab[32];
    int have_num = 0;
    unsigned long num = 0;

    memset(&li, 0, sizeof li);
    if (m->kind == K_OLITEM) {
        have_num = 1;
        num = m->ol_num;
    } else if (m->kind != K_ROW && detect_label(t, n, &li) && li.numeric) {
        have_num = 1;
        num = li.num;
    }
    if (m->fn_zone && have_num && !(m->last_num > 0 && num == m->last_num + 1)) {
        size_t skip = m->kind == K_OLITEM ? 0 : li.skip;
        if (skip >= n)
            skip = 0;
        snprintf(lab, sizeof lab, "%lu", num);
        add_para(b, lab, strlen(lab), CM_SECT_FOOTNOTE, t + skip, n - skip);
        return;
    }
    m->fn_zone = 0;
    if (have_num)
        m->last_num = num;
    if (m->kind == K_OLITEM) {
        snprintf(lab, sizeof lab, "%u%c", m->ol_num, m->ol_delim);
        add_para(b, lab, strlen(lab), sect, t, n);
    } else if (m->kind == K_ROW)
        add_para(b, "", 0, sect, t, n);
    else
        add_labelled(b, t, n, sect);
}

/* Add the paragraph being collected, if any. */
static void
md_flush(mdctx *m)
{
    const char *t = m->cur.b.data;
    size_t n = m->cur.b.len;

    if (!m->open)
        return;
    m->open = 0;
    if (m->cur.oom)
        m->b->st = CM_ENOMEM;
    if (n == 0 || m->b->st != CM_OK)
        return;
    if (m->kind == K_HEADING)
        md_heading(m, t, n);
    else if (m->kind == K_PLAIN && !m->has_plain && starts_appendix(t, n))
        md_pseudo_heading(m, t, n);
    else
        md_body(m, t, n);
}

static int
is_item(const mdctx *m)
{
    return m->open && (m->kind == K_ITEM || m->kind == K_OLITEM);
}

static int
md_push_list(mdctx *m, int ordered, const MD_BLOCK_OL_DETAIL *ol)
{
    list_state *l;

    if (m->n_lists == m->cap_lists) {
        size_t cap = m->cap_lists ? m->cap_lists * 2 : 8;
        l = realloc(m->lists, cap * sizeof *l);
        if (l == NULL) {
            m->b->st = CM_ENOMEM;
            return -1;
        }
        m->lists = l;
        m->cap_lists = cap;
    }
    l = &m->lists[m->n_lists++];
    l->ordered = ordered;
    l->next = ordered ? ol->start : 0;
    l->delim = ordered ? ol->mark_delimiter : 0;
    return 0;
}

static void
md_enter_item(mdctx *m)
{
    list_state *l = m->n_lists ? &m->lists[m->n_lists - 1] : NULL;

    md_flush(m);
    if (l != NULL && l->ordered) {
        md_start(m, K_OLITEM);
        m->ol_num = l->next++;
        m->ol_delim = l->delim == ')' ? ')' : '.';
        m->num_checked = 0;
    } else
        md_start(m, K_ITEM);
}

static int
md_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    switch (type) {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        md_flush(m);
        if (md_push_list(m, type == MD_BLOCK_OL, detail) != 0)
            return -1;
        break;
    case MD_BLOCK_LI:
        md_enter_item(m);
        break;
    case MD_BLOCK_HR:
        md_flush(m);
        m->fn_zone = 1;
        break;
    case MD_BLOCK_H:
        md_flush(m);
        md_start(m, K_HEADING);
        m->h_level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
        /* The paragraphs of one list item make one cm_para. */
        if (is_item(m))
            acc_space(&m->cur);
        else {
            md_flush(m);
            md_start(m, K_PLAIN);
        }
        break;
    case MD_BLOCK_HTML:
        /* Not produced with MD_FLAG_NOHTMLBLOCKS; ignored if it were. */
        md_flush(m);
        m->html_block = 1;
        break;
    case MD_BLOCK_TR:
        md_flush(m);
        md_start(m, K_ROW);
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        m->cell_mark = m->cur.b.len;
        if (m->cur.b.len > 0)
            acc_text(&m->cur, " | ", 3);
        break;
    default: /* DOC, QUOTE, TABLE, THEAD, TBODY */
        md_flush(m);
        break;
    }
    return m->b->st == CM_OK ? 0 : -1;
}

/* Drop a table cell that is empty or only dashes: converted tables write
 * "---" for an empty cell. */
static void
md_end_cell(mdctx *m)
{
    acc *a = &m->cur;
    size_t i;

    for (i = m->cell_mark; i < a->b.len; i++)
        if (a->b.data[i] != ' ' && a->b.data[i] != '|' &&
            a->b.data[i] != '-')
            return;
    a->b.len = m->cell_mark;
    if (a->b.data != NULL)
        a->b.data[a->b.len] = '\0';
    a->space = 0;
}

static int
md_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    (void)detail;
    switch (type) {
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
        if (!is_item(m))
            md_flush(m);
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        md_flush(m);
        if (m->n_lists > 0)
            m->n_lists--;
        break;
    case MD_BLOCK_HTML:
        m->html_block = 0;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        md_end_cell(m);
        break;
    default:
        md_flush(m);
        break;
    }
    return m->b->st == CM_OK ? 0 : -1;
}

static int
md_enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    (void)detail;
    if (type == MD_SPAN_STRONG)
        m->strong++;
    return 0;
}

static int
md_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    mdctx *m = userdata;

    (void)detail;
    if (type == MD_SPAN_STRONG && m->strong > 0)
        m->strong--;
    return 0;
}

static int
tag_is(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);

    return n > k && strncasecmp(s, name, k) == 0 &&
           (s[k] == '>' || s[k] == '/' || is_ws((unsigned char)s[k]));
}

/* Inline HTML is dropped, but <sup> hides its text (footnote marks) and a
 * few tags separate words. */
static void
md_html(mdctx *m, const char *s, size_t n)
{
    if (tag_is(s, n, "<sup"))
        m->sup++;
    else if (tag_is(s, n, "</sup") && m->sup > 0)
        m->sup--;
    else if (tag_is(s, n, "<br") || tag_is(s, n, "<p") ||
             tag_is(s, n, "</p") || tag_is(s, n, "<div") ||
             tag_is(s, n, "</div") || tag_is(s, n, "<td") ||
             tag_is(s, n, "<li"))
        acc_space(&m->cur);
}

static void
md_visible(mdctx *m, const char *s, size_t n)
{
    size_t before = m->cur.b.len;

    acc_text(&m->cur, s, n);
    if (m->strong == 0 && m->cur.b.len != before)
        m->has_plain = 1;
}

/* md4c numbers the items of an ordered list from its start, but CommonMark
 * puts "1. footnote", blank lines, "7. body" into one list, and the label
 * as printed is 7.  md4c hands text as pointers into the source, so the
 * item's marker is found just before its first text on the same line,
 * past any opening emphasis or link; when it is not there (the text
 * starts on the next line), the count stands. */
static void
md_source_number(mdctx *m, const char *s)
{
    uintptr_t lo = (uintptr_t)m->src, p = (uintptr_t)s;
    const char *q, *d, *ls;
    unsigned long v = 0;

    m->num_checked = 1;
    if (p <= lo || p > lo + m->src_len)
        return;
    q = s;
    ls = m->src;
    while (q > ls && strchr(" \t*_[`~", q[-1]) != NULL && q[-1] != '\0')
        q--;
    if (q == ls || (q[-1] != '.' && q[-1] != ')'))
        return;
    d = --q;
    while (q > ls && is_digit((unsigned char)q[-1]) && d - q < 9)
        q--;
    if (q == d || (q > ls && q[-1] != ' ' && q[-1] != '\t' &&
                   q[-1] != '>' && q[-1] != '\n'))
        return;
    for (; q < d; q++)
        v = v * 10 + (unsigned long)(*q - '0');
    m->ol_num = (unsigned)v;
    m->ol_delim = *d;
    if (m->n_lists > 0)
        m->lists[m->n_lists - 1].next = m->ol_num + 1;
}

static int
md_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *userdata)
{
    mdctx *m = userdata;
    char u[4];
    unsigned long cp;

    if (m->html_block)
        return 0;
    if ((uintptr_t)s >= (uintptr_t)m->src &&
        (uintptr_t)s <= (uintptr_t)m->src + m->src_len &&
        size > m->src_len - (size_t)(s - m->src))
        size = (MD_SIZE)(m->src_len - (size_t)(s - m->src)); /* see md_copy */
    if (!m->open)
        md_start(m, K_PLAIN); /* text after a nested list in a tight item */
    if (m->kind == K_OLITEM && !m->num_checked)
        md_source_number(m, s);
    if (type == MD_TEXT_HTML) {
        md_html(m, s, size);
        return 0;
    }
    if (m->sup > 0)
        return 0;
    switch (type) {
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
        acc_space(&m->cur);
        break;
    case MD_TEXT_NULLCHAR:
        md_visible(m, "\xef\xbf\xbd", 3);
        break;
    case MD_TEXT_ENTITY:
        cp = entity_cp(s, size);
        if (cp == 0xA0)
            cp = ' '; /* a no-break space reads as a space */
        if (cp == 0)
            md_visible(m, s, size);
        else
            md_visible(m, u, utf8_put(u, cp));
        break;
    default: /* NORMAL, CODE, LATEXMATH */
        md_visible(m, s, size);
        break;
    }
    return m->cur.oom ? -1 : 0;
}

/* md4c 0.4.8 reads past the end of its input in some unfinished
 * constructs at the very end ("[x](y" with no newline after it: the
 * fuzzer found it): depending on the byte after the buffer it crashes or
 * reports a text span reaching past the end.  With a final newline and
 * NUL bytes after it, it stays inside.  The caller's buffer need not be
 * NUL-terminated, so md4c gets a private copy; a memcpy is cheap next to
 * the parse. */
#define MD_PAD 8

static char *
md_copy(const char *text, size_t len, size_t *md_len)
{
    int nl = len > 0 && text[len - 1] == '\n';
    char *copy;

    if (len > SIZE_MAX - MD_PAD - 1)
        return NULL;
    copy = malloc(len + 1 + MD_PAD);
    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, text, len);
    *md_len = nl ? len : len + 1;
    copy[len] = '\n';
    memset(copy + len + 1, 0, MD_PAD);
    return copy;
}

static void
parse_markdown(builder *b, const char *text, size_t len)
{
    mdctx m;
    MD_PARSER p;
    int rc;
    char *copy;

    memset(&m, 0, sizeof m);
    memset(&p, 0, sizeof p);
    copy = md_copy(text, len, &len);
    if (copy == NULL || len > (size_t)UINT_MAX) {
        b->st = copy == NULL ? CM_ENOMEM : CM_EPARSE;
        free(copy);
        return;
    }
    m.b = b;
    m.src = copy;
    m.src_len = len;
    p.abi_version = 0;
    /* NOHTMLBLOCKS: the treaties' first line "<meta ...>" would open an
     * HTML block; as inline HTML it is dropped and the text around tags
     * (<div>text</div>) is kept.  PERMISSIVEATXHEADERS: the treaties write
     * "##Title" and "####- Right to life" for headings; md4c applies it
     * only where a heading may start, never inside code blocks. */
    p.flags = MD_FLAG_NOHTMLBLOCKS | MD_FLAG_PERMISSIVEATXHEADERS |
              MD_FLAG_TABLES;
    p.enter_block = md_enter_block;
    p.leave_block = md_leave_block;
    p.enter_span = md_enter_span;
    p.leave_span = md_leave_span;
    p.text = md_text;
    rc = md_parse(copy, (MD_SIZE)len, &p, &m);
    md_flush(&m);
    if (m.cur.oom && b->st == CM_OK)
        b->st = CM_ENOMEM;
    if (rc != 0 && b->st == CM_OK)
        b->st = CM_EINTERNAL; /* md4c fails only when out of memory */
    free(m.cur.b.data);
    free(m.lists);
    free(copy);
}

/* ---- plain text ----------------------------------------------------- */

/* "Article 12", "ARTICLE 2bis" alone on a line: the length of the label
 * it makes once its spaces are normalised, written to out. */
static size_t
article_label(const char *s, size_t n, char *out, size_t out_size)
{
    size_t i = 7, d0, d, e;

    while (n > 0 && is_ws((unsigned char)s[n - 1]))
        n--;
    while (n > 0 && is_ws((unsigned char)*s)) {
        s++;
        n--;
    }
    if (n < 9 || strncasecmp(s, "article", 7) != 0 || !is_ws((unsigned char)s[7]))
        return 0;
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    d0 = i;
    while (i < n && is_digit((unsigned char)s[i]))
        i++;
    d = i - d0;
    while (i < n && i - d0 - d < 6 && is_alpha((unsigned char)s[i]))
        i++;
    e = i;
    if (i < n && s[i] == '.')
        i++;
    if (d == 0 || d > 4 || i != n || 8 + (e - d0) >= out_size)
        return 0;
    memcpy(out, s, 7);
    out[7] = ' ';
    memcpy(out + 8, s + d0, e - d0);
    return 8 + (e - d0);
}

static void
text_block(builder *b, acc *a, const char *art, size_t art_len)
{
    if (a->oom)
        b->st = CM_ENOMEM;
    if (art_len > 0) {
        if (a->b.len > 0)
            add_para(b, art, art_len, CM_SECT_BODY, a->b.data, a->b.len);
        else
            add_para(b, art, art_len, CM_SECT_BODY, art, art_len);
    } else if (a->b.len > 0)
        add_labelled(b, a->b.data, a->b.len, CM_SECT_BODY);
    acc_reset(a);
}

static void
parse_text(builder *b, const char *t, size_t n)
{
    acc a;
    char art[32];
    size_t art_len = 0, i = 0, e, k;
    int in_block = 0;

    memset(&a, 0, sizeof a);
    while (i <= n && b->st == CM_OK) {
        const char *nl = i < n ? memchr(t + i, '\n', n - i) : NULL;
        e = nl ? (size_t)(nl - t) : n;
        for (k = i; k < e && is_ws((unsigned char)t[k]); k++)
            ;
        if (k == e) { /* a blank line, or the end */
            if (in_block)
                text_block(b, &a, art, art_len);
            in_block = 0;
        } else if (!in_block) {
            in_block = 1;
            art_len = article_label(t + i, e - i, art, sizeof art);
            if (art_len == 0)
                acc_text(&a, t + i, e - i);
        } else {
            acc_space(&a);
            acc_text(&a, t + i, e - i);
        }
        i = e + 1;
    }
    if (in_block && b->st == CM_OK)
        text_block(b, &a, art, art_len); /* no newline at the end */
    free(a.b.data);
}

/* ---- entry point ---------------------------------------------------- */

cm_status
cm_doc_parse(const char *path, const char *text, size_t text_len,
             cm_format fmt, cm_doc **out, char **errmsg)
{
    builder b;
    int i;

    if (errmsg != NULL)
        *errmsg = NULL;
    if (out == NULL || (text == NULL && text_len > 0)) {
        if (out != NULL)
            *out = NULL;
        set_err(errmsg, "no text or no place for the document");
        return CM_EINVAL;
    }
    *out = NULL;
    if (text == NULL)
        text = "";
    if (fmt == CM_FMT_AUTO)
        fmt = cm_doc_format_of(path);
    if (fmt == CM_FMT_MARKDOWN && text_len >= (size_t)UINT_MAX) {
        set_err(errmsg, "document too large for the markdown parser");
        return CM_EPARSE;
    }
    memset(&b, 0, sizeof b);
    b.doc = doc_new(path);
    if (b.doc == NULL) {
        set_err(errmsg, "out of memory");
        return CM_ENOMEM;
    }
    if (fmt == CM_FMT_MARKDOWN)
        parse_markdown(&b, text, text_len);
    else
        parse_text(&b, text, text_len);
    for (i = 0; i < b.nh; i++)
        free(b.hs[i].text);
    free(b.path.data);
    if (b.st != CM_OK) {
        cm_doc_free(b.doc);
        set_err(errmsg, "%s", cm_status_str(b.st));
        return b.st;
    }
    *out = b.doc;
    return CM_OK;
}
