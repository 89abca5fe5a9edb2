/* fuzz_cgi.c: libFuzzer target for the search page's request and page.
 * Any bytes as a query string go through cm_cgi_parse(): never a crash;
 * a request it accepts has a query of at most CM_CGI_MAX_Q bytes of
 * UTF-8 without control characters, options in their ranges (a language
 * code of letters), and comes
 * back the same through a link (cm_cgi_urlencode()).  Any bytes escaped
 * hold no markup character; a page made of them as query, hit and
 * message is well-formed UTF-8 with every '<' one of its own tags, and a
 * hit's link to its file (a link rule for every path) holds only what a
 * URL may: the path and the text fragment of its first words are
 * percent-encoded. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cm_cgi.h"
#include "cm_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_request(const cm_cgi_req *r)
{
    size_t i, len;

    if (r->q_len > CM_CGI_MAX_Q || strlen(r->q) != r->q_len ||
        r->page < 1 || r->per_page < 1 ||
        r->per_page > CM_CGI_MAX_PER_PAGE ||
        (unsigned long)r->page * r->per_page > CM_CGI_MAX_HITS ||
        r->sort > CM_SORT_DATE_DESC || (r->by_doc != 0 && r->by_doc != 1) ||
        (r->any != 0 && r->any != 1))
        abort();
    for (i = 0; i < r->q_len; i += len) {
        unsigned long c = cm_utf8_decode(r->q + i, r->q_len - i, &len);
        if (c < 0x20 || c == 0x7F || (c == 0xFFFD && len == 1))
            abort();
    }
    len = strlen(r->lang); /* "", or a code of 2 or 3 letters */
    if (len == 1 || len > 3)
        abort();
    for (i = 0; i < len; i++)
        if (r->lang[i] < 'a' || r->lang[i] > 'z')
            abort();
}

static void
check_roundtrip(const cm_cgi_req *r)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    cm_cgi_req back;
    char err[256];

    cm_buf_adds(&st, &b, "q=");
    cm_cgi_urlencode(&st, &b, r->q, r->q_len);
    if (st != CM_OK || cm_cgi_parse(b.data, b.len, &back, err, sizeof err) !=
                           CM_OK ||
        back.q_len != r->q_len || memcmp(back.q, r->q, r->q_len) != 0)
        abort();
    cm_buf_free(&b);
}

/* Every '<' of the page opens one of the tags the page writes. */
static void
check_page(const char *p, size_t n)
{
    static const char *const tags[] = {
        "<!DOCTYPE", "<html", "</html", "<head", "</head", "<meta", "<title",
        "</title", "<style", "</style", "<body", "</body", "<header",
        "</header", "<h1", "</h1", "<a ", "</a", "<form", "</form",
        "<input", "<select", "</select", "<option", "</option", "<label",
        "</label", "<button", "</button", "<main", "</main", "<p ", "</p",
        "<code", "</code", "<mark", "</mark", "<ol", "</ol", "<li", "</li",
        "<div", "</div", "<nav", "</nav", "<span", "</span"};
    const char *body = strstr(p, "\r\n\r\n"), *lt;
    size_t i, len;

    if (body == NULL)
        abort();
    for (i = 0; i < n; i += len)
        if (cm_utf8_decode(p + i, n - i, &len) == 0xFFFD && len == 1 &&
            memcmp(p + i, "\xEF\xBF\xBD", 3) != 0)
            abort();
    for (lt = strchr(body, '<'); lt != NULL; lt = strchr(lt + 1, '<')) {
        size_t k;
        for (k = 0; k < sizeof tags / sizeof tags[0]; k++)
            if (strncmp(lt, tags[k], strlen(tags[k])) == 0)
                break;
        if (k == sizeof tags / sizeof tags[0])
            abort();
    }
}

/* The href of the hit's file, when there is one: only characters a URL
 * holds as they are, and "%" escapes. */
static void
check_link(const char *page, size_t len)
{
    static const char open[] = "<div class=\"where\"><a href=\"";
    const char *p = memmem(page, len, open, sizeof open - 1);
    const char *end;

    if (p == NULL)
        return;
    p += sizeof open - 1;
    end = memchr(p, '"', len - (size_t)(p - page));
    if (end == NULL || strncmp(p, "/docs/", 6) != 0)
        abort();
    for (; p < end; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || strchr("%._~/#:=-", *p) != NULL))
            abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cm_config *links;
    const char *s = (const char *)data;
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    cm_cgi_req r;
    cm_cgi_page pg;
    cm_results res;
    cm_hit hit;
    cm_span hl[2];
    char err[256], *page;
    size_t i;

    if (cm_cgi_parse(s, size, &r, err, sizeof err) == CM_OK) {
        check_request(&r);
        check_roundtrip(&r);
    } else if (strlen(err) == 0)
        abort();
    cm_cgi_escape(&st, &b, s, size);
    if (st != CM_OK)
        abort();
    for (i = 0; i < b.len; i++)
        if (b.data[i] == '<' || b.data[i] == '>' || b.data[i] == '"' ||
            b.data[i] == '\'')
            abort();
    cm_buf_free(&b);

    /* A page with the bytes everywhere: query, message, hit, highlights. */
    memset(&hit, 0, sizeof hit);
    memset(&res, 0, sizeof res);
    memset(&pg, 0, sizeof pg);
    page = malloc(size + 1);
    if (page == NULL)
        return 0;
    memcpy(page, s, size);
    page[size] = '\0';
    hl[0].start = size > 0 ? data[0] % (size + 1) : 0;
    hl[0].end = size > 1 ? data[1] % (size + 1) : 0;
    hl[1].start = size / 3;
    hl[1].end = size;
    hit.path = hit.label = hit.section = hit.heading = hit.text = page;
    hit.lang = hit.doc = hit.title = hit.date = hit.type = page;
    hit.snippet = page;
    hit.snippet_len = strlen(page);
    hit.highlights = hl;
    hit.n_highlights = 2;
    hit.rank = 1;
    res.hits = &hit;
    res.n_hits = 1;
    res.total = 5000;
    res.suggestion = page;
    res.like_words = page; /* the words of a paragraph chosen */
    {
        /* Each language's count: any bytes as a code; the page's
         * parameters decide whether they were all counted. */
        static cm_lang_count counts[2];
        memset(counts, 0, sizeof counts);
        memcpy(counts[0].code, "en", 3);
        counts[0].count = (unsigned)size;
        memcpy(counts[1].code, page, size < 3 ? size : 3);
        counts[1].count = 1;
        res.langs = counts;
        res.n_langs = 2;
        res.langs_counted = 1;
        res.langs_exact = r.any;
    }
    hit.docid = size > 3 ? (unsigned)data[3] << 24 | data[0] : 0;
    pg.status = 200;
    pg.req = &r;
    pg.res = &res;
    pg.message = page;
    pg.column = size > 2 ? data[2] : 0;
    pg.plain = 1;
    if (links == NULL) {
        char *e = NULL;
        if (cm_config_parse("links", "link = / /docs\n", 15, &links, &e) !=
            CM_OK)
            abort();
    }
    pg.cfg = links;
    {
        static const char *langs[2];
        langs[0] = "en";
        langs[1] = page; /* any bytes as a language code */
        pg.langs = langs;
        pg.n_langs = 2;
    }
    cm_cgi_render(&st, &b, &pg, 0);
    if (st != CM_OK)
        abort();
    if (pg.req->json) {
        /* format=json: one JSON object after the headers. */
        const char *body = strstr(b.data, "\r\n\r\n");
        json_t *o = body ? json_loads(body + 4, 0, NULL) : NULL;
        if (o == NULL || !json_is_object(o) ||
            !json_is_array(json_object_get(o, "hits")))
            abort();
        json_decref(o);
    } else {
        check_page(b.data, b.len);
        check_link(b.data, b.len);
    }
    cm_buf_free(&b);
    free(page);
    return 0;
}
