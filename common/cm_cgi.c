/* cm_cgi.c: the search page's request and answer (cm_cgi.h). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "cm_cgi.h"
#include "cm_json.h"
#include "cm_util.h"

/* ---- the request ---------------------------------------------------- */

enum {
    P_Q, P_PAGE, P_N, P_SORT, P_BYDOC, P_ANY, P_LANG, P_LIKE, P_FORMAT,
    P_COUNT
};
static const char *const param_names[P_COUNT] = {
    "q", "page", "n", "sort", "bydoc", "any", "lang", "like", "format"};

static int
hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void
set_err(char *err, size_t err_len, const char *name, const char *what,
        size_t at, int with_at)
{
    if (err_len == 0)
        return;
    if (with_at)
        snprintf(err, err_len, "parameter '%s': %s at byte %zu", name, what,
                 at);
    else
        snprintf(err, err_len, "parameter '%s': %s", name, what);
}

/* Decode the form-encoded s[0..n) into out[0..cap) (NUL-terminated), as
 * UTF-8 text: a tab, a carriage return and a line feed become spaces (a
 * pasted query), other control characters are refused.  Returns its
 * length, or (size_t)-1 with err set. */
static size_t
decode_value(const char *s, size_t n, char *out, size_t cap,
             const char *name, char *err, size_t err_len)
{
    size_t i, o = 0, k;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            int hi = i + 2 < n ? hex_value((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hex_value((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                if (err_len > 0)
                    snprintf(err, err_len, "parameter '%s': the '%%' at "
                             "byte %zu (as sent) is not followed by two hex "
                             "digits", name, i + 1);
                return (size_t)-1;
            }
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        if (c == '\t' || c == '\r' || c == '\n')
            c = ' ';
        if (c < 0x20 || c == 0x7F) {
            set_err(err, err_len, name, "a control character", o + 1, 1);
            return (size_t)-1;
        }
        if (o + 1 >= cap) {
            char what[64];
            snprintf(what, sizeof what, "too long (over %zu bytes)", cap - 1);
            set_err(err, err_len, name, what, 0, 0);
            return (size_t)-1;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    for (i = 0; i < o; i += k)
        if ((k = cm_utf8_strict_len(out + i, o - i)) == 0) {
            set_err(err, err_len, name, "not UTF-8", i + 1, 1);
            return (size_t)-1;
        }
    return o;
}

static cm_status
set_number(const char *v, const char *name, unsigned long hi, unsigned *out,
           char *err, size_t err_len)
{
    unsigned long x;
    char what[64];

    if (!cm_parse_ulong(v, 1, hi, &x)) {
        snprintf(what, sizeof what, "not a whole number from 1 to %lu", hi);
        set_err(err, err_len, name, what, 0, 0);
        return CM_EINVAL;
    }
    *out = (unsigned)x;
    return CM_OK;
}

static cm_status
set_flag(const char *v, const char *name, int *out, char *err, size_t err_len)
{
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        set_err(err, err_len, name, "not 0 or 1", 0, 0);
        return CM_EINVAL;
    }
    *out = v[0] == '1';
    return CM_OK;
}

/* Set parameter p from its encoded value v[0..n). */
static cm_status
set_param(cm_cgi_req *req, int p, const char *v, size_t n, char *err,
          size_t err_len)
{
    char small[32];
    const char *name = param_names[p];

    if (p == P_Q) {
        size_t len = decode_value(v, n, req->q, sizeof req->q, name, err,
                                  err_len);
        if (len == (size_t)-1) {
            req->q[0] = '\0';
            return CM_EINVAL;
        }
        req->q_len = len;
        return CM_OK;
    }
    if (decode_value(v, n, small, sizeof small, name, err, err_len) ==
        (size_t)-1)
        return CM_EINVAL;
    switch (p) {
    case P_PAGE:
        return set_number(small, name, CM_CGI_MAX_HITS, &req->page, err,
                          err_len);
    case P_N:
        return set_number(small, name, CM_CGI_MAX_PER_PAGE, &req->per_page,
                          err, err_len);
    case P_SORT:
        if (strcmp(small, "relevance") == 0)
            req->sort = CM_SORT_RELEVANCE;
        else if (strcmp(small, "date") == 0)
            req->sort = CM_SORT_DATE;
        else if (strcmp(small, "-date") == 0)
            req->sort = CM_SORT_DATE_DESC;
        else {
            set_err(err, err_len, name, "not relevance, date or -date", 0,
                    0);
            return CM_EINVAL;
        }
        return CM_OK;
    case P_BYDOC:
        return set_flag(small, name, &req->by_doc, err, err_len);
    case P_LANG: /* empty: any language */
        if (small[0] != '\0' && !cm_lang_code_ok(small, strlen(small))) {
            set_err(err, err_len, name,
                    "not a language code such as en or fr", 0, 0);
            return CM_EINVAL;
        }
        memcpy(req->lang, small, strlen(small) + 1);
        return CM_OK;
    case P_LIKE:
        return set_number(small, name, UINT_MAX, &req->like, err, err_len);
    case P_FORMAT:
        if (strcmp(small, "html") != 0 && strcmp(small, "json") != 0) {
            set_err(err, err_len, name, "not html or json", 0, 0);
            return CM_EINVAL;
        }
        req->json = small[0] == 'j';
        return CM_OK;
    default:
        return set_flag(small, name, &req->any, err, err_len);
    }
}

cm_status
cm_cgi_parse(const char *qs, size_t qs_len, cm_cgi_req *req, char *err,
             size_t err_len)
{
    int seen[P_COUNT] = {0};
    size_t i = 0;
    cm_status st = CM_OK;

    memset(req, 0, sizeof *req);
    req->page = 1;
    req->per_page = 10;
    req->sort = CM_SORT_RELEVANCE;
    if (err_len > 0)
        err[0] = '\0';
    if (qs == NULL)
        qs_len = 0;
    if (qs_len > CM_CGI_MAX_QUERY_STRING) {
        if (err_len > 0)
            snprintf(err, err_len, "query string too long (over %d bytes)",
                     CM_CGI_MAX_QUERY_STRING);
        return CM_EINVAL;
    }
    while (i < qs_len && st == CM_OK) {
        const char *pair = qs + i, *amp = memchr(pair, '&', qs_len - i);
        size_t n = amp ? (size_t)(amp - pair) : qs_len - i;
        const char *eq = memchr(pair, '=', n);
        size_t name_len = eq ? (size_t)(eq - pair) : n;
        int p;

        i += n + 1;
        for (p = 0; p < P_COUNT; p++)
            if (strlen(param_names[p]) == name_len &&
                memcmp(param_names[p], pair, name_len) == 0)
                break;
        if (p == P_COUNT)
            continue; /* not ours (or an empty pair) */
        if (seen[p]++) {
            set_err(err, err_len, param_names[p], "given twice", 0, 0);
            return CM_EINVAL;
        }
        st = eq ? set_param(req, p, eq + 1, n - name_len - 1, err, err_len)
                : set_param(req, p, "", 0, err, err_len);
    }
    if (st == CM_OK &&
        (unsigned long)req->page * req->per_page > CM_CGI_MAX_HITS) {
        char what[96];
        snprintf(what, sizeof what, "past the %d first hits (at most %u "
                 "with %u per page)", CM_CGI_MAX_HITS,
                 CM_CGI_MAX_HITS / req->per_page, req->per_page);
        set_err(err, err_len, "page", what, 0, 0);
        st = CM_EINVAL;
    }
    return st;
}

/* ---- the answer ----------------------------------------------------- */

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

void
cm_cgi_escape(cm_status *st, cm_buf *b, const char *s, size_t n)
{
    size_t i = 0, k;

    while (i < n && *st == CM_OK) {
        unsigned char c = (unsigned char)s[i];
        const char *ref = c == '&'    ? "&amp;"
                          : c == '<'  ? "&lt;"
                          : c == '>'  ? "&gt;"
                          : c == '"'  ? "&quot;"
                          : c == '\'' ? "&#39;"
                                      : NULL;
        if (ref != NULL) {
            cm_buf_adds(st, b, ref);
            i++;
        } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
            cm_buf_adds(st, b, REPLACEMENT);
            i++;
        } else if (c < 0x80) {
            cm_buf_addc(st, b, (char)c);
            i++;
        } else if ((k = cm_utf8_strict_len(s + i, n - i)) == 0) {
            cm_buf_adds(st, b, REPLACEMENT);
            i++;
        } else {
            cm_buf_add(st, b, s + i, k);
            i += k;
        }
    }
}

void
cm_cgi_urlencode(cm_status *st, cm_buf *b, const char *s, size_t n)
{
    const char *sp;

    while ((sp = memchr(s, ' ', n)) != NULL) { /* a space is a '+' */
        cm_buf_add_pct(st, b, s, (size_t)(sp - s), "-_.~");
        cm_buf_addc(st, b, '+');
        n -= (size_t)(sp - s) + 1;
        s = sp + 1;
    }
    cm_buf_add_pct(st, b, s, n, "-_.~");
}

static const char *
reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
    }
}

static const char *const sort_values[] = {"relevance", "date", "-date"};

/* A link to the search for q[0..q_len) (or for the paragraphs like
 * paragraph like, when not 0) with req's options, on page. */
static void
add_link(cm_status *st, cm_buf *b, const cm_cgi_req *req, const char *q,
         size_t q_len, unsigned like, unsigned page)
{
    if (like != 0)
        cm_buf_addf(st, b, "?like=%u", like);
    else {
        cm_buf_adds(st, b, "?q=");
        cm_cgi_urlencode(st, b, q, q_len);
    }
    if (page > 1)
        cm_buf_addf(st, b, "&amp;page=%u", page);
    if (req->per_page != 10)
        cm_buf_addf(st, b, "&amp;n=%u", req->per_page);
    if (req->sort != CM_SORT_RELEVANCE)
        cm_buf_addf(st, b, "&amp;sort=%s", sort_values[req->sort]);
    if (req->by_doc)
        cm_buf_adds(st, b, "&amp;bydoc=1");
    if (req->any)
        cm_buf_adds(st, b, "&amp;any=1");
    if (req->lang[0] != '\0')
        cm_buf_addf(st, b, "&amp;lang=%s", req->lang);
}

/* A language's name in itself ("français"), by ICU's locale data, or
 * NULL when ICU has none (it then gives back the code). */
static const char *
endonym(const char *code, char *out, size_t cap)
{
    UChar name[64];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayLanguage(code, code, name, 64, &e), len = 0;

    if (U_FAILURE(e) || e == U_USING_DEFAULT_WARNING || n <= 0)
        return NULL;
    e = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, &len, name, n, &e);
    if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING ||
        strcmp(out, code) == 0)
        return NULL;
    return out;
}

/* One language of the select: its name in itself and its code, and with
 * the results' counts, its matches ("1203", at least "1203+"). */
static void
lang_option(cm_status *st, cm_buf *b, const char *code, int selected,
            const cm_results *res)
{
    char name[192];
    const char *n = endonym(code, name, sizeof name);
    unsigned count = 0;
    size_t i;

    cm_buf_adds(st, b, "<option value=\"");
    cm_cgi_escape(st, b, code, strlen(code));
    cm_buf_addf(st, b, "\"%s>", selected ? " selected" : "");
    if (n != NULL) {
        cm_cgi_escape(st, b, n, strlen(n));
        cm_buf_adds(st, b, " (");
    }
    cm_cgi_escape(st, b, code, strlen(code));
    if (n != NULL)
        cm_buf_adds(st, b, ")");
    if (res != NULL && res->langs_counted) {
        for (i = 0; i < res->n_langs; i++)
            if (strcmp(res->langs[i].code, code) == 0)
                count = res->langs[i].count;
        cm_buf_addf(st, b, " \xc2\xb7 %u%s", count,
                    res->langs_exact ? "" : "+");
    }
    cm_buf_adds(st, b, "</option>");
}

/* The select of languages: any, the index's, and the one asked for when
 * the index has not got it. */
static void
lang_select(cm_status *st, cm_buf *b, const cm_cgi_page *pg)
{
    const char *want = pg->req != NULL ? pg->req->lang : "";
    size_t i;
    int listed = want[0] == '\0';

    if (pg->n_langs == 0 && want[0] == '\0')
        return;
    cm_buf_adds(st, b, "<select name=\"lang\" aria-label=\"Language\">"
                "<option value=\"\">any language</option>");
    for (i = 0; i < pg->n_langs; i++) {
        int sel = strcmp(pg->langs[i], want) == 0;
        listed |= sel;
        lang_option(st, b, pg->langs[i], sel, pg->res);
    }
    if (!listed)
        lang_option(st, b, want, 1, pg->res);
    cm_buf_adds(st, b, "</select>\n");
}

static const char style[] =
    "body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;"
    "max-width:50rem;padding:0 1rem;color:#222;background:#fff}"
    "header{padding:1rem 0;border-bottom:1px solid #ddd}"
    "h1{font-size:1.2rem;margin:0 0 .5rem}h1 a{color:inherit;"
    "text-decoration:none}"
    "form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}"
    "input[type=search]{flex:1 1 20rem;font:inherit;padding:.3rem}"
    "mark{background:#fe6;color:inherit}"
    ".error{color:#a00;font-weight:600}"
    ".query mark{background:#fbb}"
    "ol.hits{padding-left:2rem}ol.hits li{margin:1rem 0}"
    ".cite{font-weight:600}.where,.total,.note{color:#555;font-size:.9rem}"
    ".snippet{margin:.2rem 0}nav a{margin-right:1rem}";

static void
page_head(cm_status *st, cm_buf *b, const cm_cgi_page *pg)
{
    const cm_cgi_req *r = pg->req;
    int s;

    cm_buf_adds(st, b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                "content=\"width=device-width, initial-scale=1\">\n<title>");
    if (r != NULL && r->q_len > 0) {
        cm_cgi_escape(st, b, r->q, r->q_len);
        cm_buf_adds(st, b, " \xC2\xB7 ");
    }
    cm_buf_addf(st, b, "cmsearch</title>\n<style>%s</style>\n</head>\n"
                "<body>\n<header>\n<h1><a href=\"?\">cmsearch</a></h1>\n"
                "<form method=\"get\" action=\"\" role=\"search\">\n"
                "<input type=\"search\" name=\"q\" maxlength=\"%d\" "
                "aria-label=\"Search\" autofocus value=\"", style,
                CM_CGI_MAX_Q);
    if (r != NULL)
        cm_cgi_escape(st, b, r->q, r->q_len);
    cm_buf_adds(st, b, "\">\n");
    lang_select(st, b, pg);
    cm_buf_adds(st, b, "<select name=\"sort\" aria-label=\"Order\">");
    for (s = 0; s < 3; s++)
        cm_buf_addf(st, b, "<option value=\"%s\"%s>%s</option>",
                    sort_values[s],
                    r != NULL && (int)r->sort == s ? " selected" : "",
                    s == 0 ? "best first" : s == 1 ? "oldest first"
                                                   : "newest first");
    cm_buf_addf(st, b, "</select>\n<label><input type=\"checkbox\" "
                "name=\"bydoc\" value=\"1\"%s> one per document</label>\n"
                "<label><input type=\"checkbox\" name=\"any\" value=\"1\"%s>"
                " any of the words</label>\n",
                r != NULL && r->by_doc ? " checked" : "",
                r != NULL && r->any ? " checked" : "");
    if (r != NULL && r->per_page != 10)
        cm_buf_addf(st, b, "<input type=\"hidden\" name=\"n\" value=\"%u\">\n",
                    r->per_page);
    cm_buf_adds(st, b, "<button type=\"submit\">Search</button>\n</form>\n"
                "</header>\n<main>\n");
}

/* The query with the character at column col (from 1) marked; past the
 * end, a mark after it. */
static void
marked_query(cm_status *st, cm_buf *b, const char *q, size_t n, unsigned col)
{
    size_t i = 0, k = 0, len;
    unsigned c = 1;

    while (i < n && c < col) {
        cm_utf8_decode(q + i, n - i, &len);
        i += len;
        c++;
    }
    if (i < n)
        cm_utf8_decode(q + i, n - i, &k);
    cm_buf_adds(st, b, "<p class=\"query\"><code>");
    cm_cgi_escape(st, b, q, i);
    cm_buf_adds(st, b, "<mark>");
    if (k > 0)
        cm_cgi_escape(st, b, q + i, k);
    else
        cm_buf_adds(st, b, "&nbsp;");
    cm_buf_adds(st, b, "</mark>");
    cm_cgi_escape(st, b, q + i + k, n - i - k);
    cm_buf_adds(st, b, "</code></p>\n");
}

/* The snippet with its highlights as <mark>, switched only at the start
 * of a character. */
static void
snippet(cm_status *st, cm_buf *b, const cm_hit *h)
{
    const char *s = h->snippet[0] ? h->snippet : h->text;
    size_t n = h->snippet[0] ? h->snippet_len : strlen(h->text), i, j;
    int on = 0, want;

    for (i = 0; i < n && *st == CM_OK; i = j) {
        want = h->snippet[0] && cm_hit_highlighted(h, i);
        if (want != on) {
            cm_buf_adds(st, b, want ? "<mark>" : "</mark>");
            on = want;
        }
        for (j = i + 1; j < n && ((unsigned char)s[j] & 0xC0) == 0x80; j++)
            ;
        cm_cgi_escape(st, b, s + i, j - i);
    }
    if (on)
        cm_buf_adds(st, b, "</mark>");
}

/* " · s", escaped, when s is not empty. */
static void
dot_field(cm_status *st, cm_buf *b, const char *s)
{
    if (s[0] != '\0') {
        cm_buf_adds(st, b, " \xC2\xB7 ");
        cm_cgi_escape(st, b, s, strlen(s));
    }
}

/* The hit's citation: its document (number, else file name), paragraph
 * label, date, language and title. */
static void
hit_cite(cm_status *st, cm_buf *b, const cm_hit *h)
{
    const char *doc = h->doc[0] ? h->doc : cm_base_name(h->path);
    size_t n = strlen(h->label);

    cm_buf_adds(st, b, "<div class=\"cite\">");
    cm_cgi_escape(st, b, doc, strlen(doc));
    if (n > 1 && h->label[n - 1] == '.')
        n--;
    cm_buf_adds(st, b, " \xC2\xB6");
    if (n > 0)
        cm_cgi_escape(st, b, h->label, n);
    else
        cm_buf_addf(st, b, "#%u", h->para);
    dot_field(st, b, h->date);
    dot_field(st, b, h->lang);
    dot_field(st, b, h->title);
    cm_buf_adds(st, b, "</div>\n");
}

/* Files a browser shows as text (HTML, plain text, markdown served as
 * text), where a text fragment can take the reader to the paragraph. */
static int
shown_as_text(const char *path)
{
    static const char *const exts[] = {".html", ".htm", ".xhtml", ".txt",
                                       ".text", ".md", ".markdown"};
    const char *dot = strrchr(path, '.');
    size_t i;

    if (dot == NULL || strchr(dot, '/') != NULL)
        return 0;
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return 1;
    return 0;
}

/* A text fragment (#:~:text=, which browsers follow to the first place
 * the words are shown and highlight) of the paragraph's first words: up to
 * FRAGMENT_WORDS whole words and FRAGMENT_BYTES bytes, within a table
 * row's first cell (the splitters join the cells with " | "), each byte but
 * letters, digits and "._~" percent-encoded (the directive's own "-", ","
 * and "&" among them).  A browser that does not find them, or knows no
 * text fragments, opens the document at its top. */
#define FRAGMENT_WORDS 6
#define FRAGMENT_BYTES 80
static void
text_fragment(cm_status *st, cm_buf *b, const char *text)
{
    const char *p = text, *w, *end = NULL, *q;
    int words = 0;

    while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
    for (w = p; *w != '\0' && words < FRAGMENT_WORDS; words++) {
        const char *e = w;
        while (*e != '\0' && *e != ' ' && *e != '\n' && *e != '\t')
            e++;
        if ((size_t)(e - p) > FRAGMENT_BYTES || (e - w == 1 && *w == '|'))
            break; /* too long, or the next cell of a table's row */
        end = e;
        while (*e == ' ' || *e == '\n' || *e == '\t')
            e++;
        w = e;
    }
    if (end == NULL)
        return;
    cm_buf_adds(st, b, "#:~:text=");
    for (;; p = q + 1) { /* a line break or tab is a space */
        for (q = p; q < end && *q != '\n' && *q != '\t'; q++)
            ;
        cm_buf_add_pct(st, b, p, (size_t)(q - p), "._~");
        if (q == end)
            break;
        cm_buf_adds(st, b, "%20");
    }
}

static void
hit_item(cm_status *st, cm_buf *b, const cm_cgi_req *r, const cm_hit *h,
         const cm_config *cfg)
{
    int by_doc = r->by_doc;
    const char *file = cm_base_name(h->path);
    char *url = cm_config_link(cfg, h->path);

    cm_buf_adds(st, b, "<li>\n");
    hit_cite(st, b, h);
    cm_buf_adds(st, b, "<p class=\"snippet\" dir=\"auto\"");
    if (h->lang[0]) {
        cm_buf_adds(st, b, " lang=\"");
        cm_cgi_escape(st, b, h->lang, strlen(h->lang));
        cm_buf_adds(st, b, "\"");
    }
    cm_buf_adds(st, b, ">");
    snippet(st, b, h);
    cm_buf_adds(st, b, "</p>\n<div class=\"where\">");
    if (url != NULL) {
        cm_buf_adds(st, b, "<a href=\"");
        cm_cgi_escape(st, b, url, strlen(url));
        if (strchr(url, '#') == NULL && shown_as_text(h->path))
            text_fragment(st, b, h->text);
        else if (strchr(url, '#') == NULL && h->page > 0)
            cm_buf_addf(st, b, "#page=%u", h->page); /* PDF viewers' */
        cm_buf_adds(st, b, "\">");
    }
    cm_cgi_escape(st, b, file, strlen(file));
    if (url != NULL)
        cm_buf_adds(st, b, "</a>");
    free(url);
    cm_buf_addf(st, b, ", paragraph %u", h->para);
    if (h->page > 0)
        cm_buf_addf(st, b, ", page %u", h->page);
    if (strcmp(h->heading, h->title) != 0)
        dot_field(st, b, h->heading);
    if (by_doc && h->collapsed > 0)
        cm_buf_addf(st, b, " \xC2\xB7 %u more paragraph%s", h->collapsed,
                    h->collapsed == 1 ? "" : "s");
    if (h->docid != 0) {
        cm_buf_adds(st, b, " \xC2\xB7 <a class=\"like\" href=\"");
        add_link(st, b, r, "", 0, h->docid, 1);
        cm_buf_adds(st, b, "\">similar paragraphs</a>");
    }
    cm_buf_adds(st, b, "</div>\n</li>\n");
}

static void
page_hits(cm_status *st, cm_buf *b, const cm_cgi_req *r,
          const cm_results *res, const cm_config *cfg)
{
    unsigned first = (r->page - 1) * r->per_page + 1, last;
    const char *unit = r->by_doc ? "document" : "paragraph";
    size_t i;

    if (res->suggestion != NULL) {
        cm_buf_adds(st, b, "<p class=\"suggest\">Did you mean <a href=\"");
        add_link(st, b, r, res->suggestion, strlen(res->suggestion), 0, 1);
        cm_buf_adds(st, b, "\">");
        cm_cgi_escape(st, b, res->suggestion, strlen(res->suggestion));
        cm_buf_addf(st, b, "</a>? (%u match%s)</p>\n", res->suggestion_total,
                    res->suggestion_total == 1 ? "" : "es");
    }
    if (res->like_words != NULL) {
        cm_buf_adds(st, b, "<p class=\"note\">Paragraphs with the words "
                    "that tell the one chosen from the others (it is among "
                    "them): <span class=\"words\">");
        cm_cgi_escape(st, b, res->like_words, strlen(res->like_words));
        cm_buf_adds(st, b, "</span></p>\n");
    }
    if (res->n_hits == 0) {
        if (first > 1 && res->total > 0)
            cm_buf_addf(st, b, "<p class=\"total\">No %s on this page: "
                        "there are %s%u.</p>\n", unit,
                        res->total_exact ? "" : "about ", res->total);
        else
            cm_buf_addf(st, b, "<p class=\"total\">No %s matched.</p>\n",
                        unit);
        return;
    }
    last = first + (unsigned)res->n_hits - 1;
    if (res->total_exact)
        cm_buf_addf(st, b, "<p class=\"total\">%u\xE2\x80\x93%u of %u %s%s"
                    "</p>\n", first, last, res->total, unit,
                    res->total == 1 ? "" : "s");
    else
        cm_buf_addf(st, b, "<p class=\"total\">%u\xE2\x80\x93%u of about %u "
                    "%ss</p>\n", first, last, res->total, unit);
    cm_buf_addf(st, b, "<ol class=\"hits\" start=\"%u\">\n", first);
    for (i = 0; i < res->n_hits && *st == CM_OK; i++)
        hit_item(st, b, r, &res->hits[i], cfg);
    cm_buf_adds(st, b, "</ol>\n");
    if (r->page > 1 || last < res->total) {
        cm_buf_adds(st, b, "<nav class=\"pages\">");
        if (r->page > 1) {
            cm_buf_adds(st, b, "<a rel=\"prev\" href=\"");
            add_link(st, b, r, r->q, r->q_len, r->like, r->page - 1);
            cm_buf_adds(st, b, "\">\xE2\x86\x90 previous</a>");
        }
        if (last < res->total &&
            (unsigned long)(r->page + 1) * r->per_page <= CM_CGI_MAX_HITS) {
            cm_buf_adds(st, b, "<a rel=\"next\" href=\"");
            add_link(st, b, r, r->q, r->q_len, r->like, r->page + 1);
            cm_buf_adds(st, b, "\">next \xE2\x86\x92</a>");
        }
        cm_buf_adds(st, b, "</nav>\n");
    }
}

/* The answer as JSON (format=json): the results as cmsearch --format json
 * gives them, the paths without their folders, and for a query read as
 * plain words its error ("query_error": {"column", "message"}); or, with
 * no results, {"error": message}. */
static void
json_body(cm_status *st, cm_buf *out, const cm_cgi_page *pg)
{
    const cm_cgi_req *r = pg->req;
    json_t *o = NULL;
    char *text;

    if (pg->res != NULL) {
        cm_search_opts op;
        memset(&op, 0, sizeof op);
        op.offset = (r->page - 1) * r->per_page;
        op.limit = r->per_page;
        op.by_doc = r->by_doc;
        o = cm_json_results(r->q, pg->res, &op, pg->cfg, 1);
        if (o != NULL && pg->column > 0 && pg->message != NULL &&
            json_object_set_new(
                o, "query_error",
                json_pack("{s:I, s:o}", "column", (json_int_t)pg->column,
                          "message",
                          cm_json_string(pg->message,
                                         strlen(pg->message)))) != 0) {
            json_decref(o);
            o = NULL;
        }
    } else {
        const char *m = pg->message != NULL ? pg->message
                                            : reason(pg->status);
        o = json_pack("{s:o}", "error", cm_json_string(m, strlen(m)));
    }
    text = o != NULL ? json_dumps(o, JSON_INDENT(2)) : NULL;
    json_decref(o);
    if (text == NULL) {
        *st = CM_ENOMEM;
        return;
    }
    cm_buf_adds(st, out, text);
    cm_buf_adds(st, out, "\n");
    free(text);
}

/* The response's header: the status, the type, the page's policy and
 * what every response says. */
static void
header(cm_status *st, cm_buf *out, const cm_cgi_page *pg, const char *type,
       const char *csp)
{
    cm_buf_addf(st, out, "Status: %d %s\r\n"
                "Content-Type: %s; charset=utf-8\r\n"
                "Content-Security-Policy: %s\r\n"
                "X-Content-Type-Options: nosniff\r\n"
                "Referrer-Policy: no-referrer\r\n"
                "Cache-Control: no-cache\r\n",
                pg->status, reason(pg->status), type, csp);
    if (pg->status == 405)
        cm_buf_adds(st, out, "Allow: GET, HEAD\r\n");
    if (pg->status == 503)
        cm_buf_adds(st, out, "Retry-After: 10\r\n");
    cm_buf_adds(st, out, "\r\n");
}

void
cm_cgi_render(cm_status *st, cm_buf *out, const cm_cgi_page *pg,
              int head_only)
{
    if (pg->req != NULL && pg->req->json) {
        header(st, out, pg, "application/json",
               "default-src 'none'; frame-ancestors 'none'");
        if (!head_only)
            json_body(st, out, pg);
        return;
    }
    header(st, out, pg, "text/html",
           "default-src 'none'; style-src 'unsafe-inline'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    if (head_only)
        return;
    page_head(st, out, pg);
    if (pg->message != NULL) {
        cm_buf_adds(st, out, "<p class=\"error\" role=\"alert\">");
        cm_cgi_escape(st, out, pg->message, strlen(pg->message));
        cm_buf_adds(st, out, "</p>\n");
    }
    if (pg->req != NULL && pg->column > 0)
        marked_query(st, out, pg->req->q, pg->req->q_len, pg->column);
    if (pg->plain && pg->res != NULL)
        cm_buf_adds(st, out, "<p class=\"note\">Below, the query read as "
                    "plain words.</p>\n");
    if (pg->req != NULL && pg->res != NULL)
        page_hits(st, out, pg->req, pg->res, pg->cfg);
    cm_buf_adds(st, out, "</main>\n</body>\n</html>\n");
}
