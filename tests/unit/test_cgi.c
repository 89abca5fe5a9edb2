/* test_cgi.c: the search page's request parser and page (cm_cgi.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cm_cgi.h"
#include "tap.h"

/* ---- the request ---------------------------------------------------- */

typedef struct {
    const char *qs;
    cm_status st;
    const char *q;   /* with CM_OK */
    unsigned page, per_page;
    cm_search_sort sort;
    int by_doc, any;
    const char *err; /* with CM_EINVAL: a part of the message */
} parse_case;

static const parse_case parse_cases[] = {
    {"", CM_OK, "", 1, 10, CM_SORT_RELEVANCE, 0, 0, NULL},
    {"q=migration", CM_OK, "migration", 1, 10, CM_SORT_RELEVANCE, 0, 0, NULL},
    {"q=human+rights", CM_OK, "human rights", 1, 10, 0, 0, 0, NULL},
    {"q=%22human%20rights%22", CM_OK, "\"human rights\"", 1, 10, 0, 0, 0,
     NULL},
    {"q=co-development&page=3&n=25&sort=-date&bydoc=1&any=1", CM_OK,
     "co-development", 3, 25, CM_SORT_DATE_DESC, 1, 1, NULL},
    {"sort=date&q=x", CM_OK, "x", 1, 10, CM_SORT_DATE, 0, 0, NULL},
    {"sort=relevance&q=x", CM_OK, "x", 1, 10, CM_SORT_RELEVANCE, 0, 0, NULL},
    /* UTF-8, encoded or not; lower-case hex */
    {"q=%c3%a9conomie", CM_OK, "\xC3\xA9" "conomie", 1, 10, 0, 0, 0, NULL},
    {"q=\xC3\xA9t\xC3\xA9", CM_OK, "\xC3\xA9t\xC3\xA9", 1, 10, 0, 0, 0,
     NULL},
    {"q=%E4%BA%BA%E6%9D%83", CM_OK, "\xE4\xBA\xBA\xE6\x9D\x83", 1, 10, 0, 0,
     0, NULL},
    /* a pasted line break or tab is a space */
    {"q=a%0D%0Ab%09c", CM_OK, "a  b c", 1, 10, 0, 0, 0, NULL},
    /* unknown, empty and valueless parameters */
    {"utm_source=x&q=a&&=b&foo", CM_OK, "a", 1, 10, 0, 0, 0, NULL},
    {"q", CM_OK, "", 1, 10, 0, 0, 0, NULL},
    {"q=a=b", CM_OK, "a=b", 1, 10, 0, 0, 0, NULL},
    {"q=%3Cscript%3E", CM_OK, "<script>", 1, 10, 0, 0, 0, NULL},
    {"page=1000&n=10&q=a", CM_OK, "a", 1000, 10, 0, 0, 0, NULL},
    /* refused */
    {"q=a&q=b", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'q': given twice"},
    {"q=%", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'q': the '%' at byte 1 "
     "(as sent) is not followed by two hex digits"},
    {"q=a%4", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "'%' at byte 2 (as sent)"},
    {"q=%zz", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "two hex digits"},
    {"q=%00", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "a control character at byte 1"},
    {"q=ab%1B", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "control character at byte 3"},
    {"q=%7F", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "control character"},
    {"q=%FF", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'q': not UTF-8 at "
     "byte 1"},
    {"q=ab%C3", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "not UTF-8 at byte 3"},
    {"q=%C0%AF", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "not UTF-8"}, /* overlong */
    {"q=%ED%A0%80", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "not UTF-8"}, /* D800 */
    {"q=%F4%90%80%80", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "not UTF-8"},
    {"page=0&q=a", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'page': not a "
     "whole number from 1 to 10000"},
    {"page=-1", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "'page'"},
    {"page=1e3", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "'page'"},
    {"page=", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "'page'"},
    {"page=99999999999999999999", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "'page'"},
    {"n=0", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'n': not a whole "
     "number from 1 to 100"},
    {"n=101", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'n'"},
    {"page=101&n=100", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "past the 10000 first "
     "hits (at most 100 with 100 per page)"},
    {"sort=name", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "not relevance, date or "
     "-date"},
    {"bydoc=on", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'bydoc': not 0 "
     "or 1"},
    {"any=2", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'any'"},
    {"lang=f&q=a", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'lang': not a "
     "language code such as en or fr"},
    {"lang=FR", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'lang'"},
    {"lang=fren", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'lang'"},
    {"lang=e1", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'lang'"},
    {"lang=fr&lang=en", CM_EINVAL, NULL, 0, 0, 0, 0, 0, "parameter 'lang': "
     "given twice"},
    {"n=%31%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30%30"
     "%30%30%30%30%30%30%30%30%30%30", CM_EINVAL, NULL, 0, 0, 0, 0, 0,
     "too long (over 31 bytes)"},
};

static void
test_parse(void)
{
    size_t i;

    for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const parse_case *c = &parse_cases[i];
        cm_cgi_req r;
        char err[256];
        cm_status st = cm_cgi_parse(c->qs, strlen(c->qs), &r, err,
                                    sizeof err);
        if (!is_int(st, c->st, c->qs))
            continue;
        if (st == CM_OK) {
            is_str(r.q, c->q, "  q");
            is_int((long long)r.q_len, (long long)strlen(c->q), "  q_len");
            ok(r.page == c->page && r.per_page == c->per_page &&
               r.sort == c->sort && r.by_doc == c->by_doc &&
               r.any == c->any, "  options of %s", c->qs);
        } else {
            ok(strstr(err, c->err) != NULL, "  message '%s' has '%s'", err,
               c->err);
        }
    }
}

static void
test_parse_lang(void)
{
    cm_cgi_req r;
    char err[256];

    is_int(cm_cgi_parse("q=a&lang=fr", 11, &r, err, sizeof err), CM_OK,
           "lang=fr");
    is_str(r.lang, "fr", "  its code");
    is_int(cm_cgi_parse("lang=&q=a", 9, &r, err, sizeof err), CM_OK,
           "lang= (any language)");
    is_str(r.lang, "", "  no code");
    is_int(cm_cgi_parse("q=a&lang=%66%72%61", 18, &r, err, sizeof err), CM_OK,
           "lang=fra, encoded");
    is_str(r.lang, "fra", "  three letters");
    is_int(cm_cgi_parse("q=a", 3, &r, err, sizeof err), CM_OK, "no lang");
    is_str(r.lang, "", "  none");
    ok(r.like == 0, "  nor like");
    is_int(cm_cgi_parse("like=4294967295&n=3", 19, &r, err, sizeof err),
           CM_OK, "like=4294967295");
    ok(r.like == 4294967295u && r.q_len == 0 && r.per_page == 3,
       "  the document, no query");
    is_int(cm_cgi_parse("like=4294967296", 15, &r, err, sizeof err),
           CM_EINVAL, "like=4294967296");
    ok(strstr(err, "parameter 'like': not a whole number from 1 to "
                   "4294967295") != NULL, "  named: %s", err);
    is_int(cm_cgi_parse("like=0", 6, &r, err, sizeof err), CM_EINVAL,
           "like=0");
    is_int(cm_cgi_parse("like=-1", 7, &r, err, sizeof err), CM_EINVAL,
           "like=-1");
    is_int(cm_cgi_parse("like=1&like=2", 13, &r, err, sizeof err), CM_EINVAL,
           "like twice");
}

static void
test_parse_limits(void)
{
    static char qs[CM_CGI_MAX_QUERY_STRING + 8];
    cm_cgi_req r;
    char err[256];
    size_t n;

    /* the query at its ceiling, and one byte over */
    memcpy(qs, "q=", 2);
    memset(qs + 2, 'a', CM_CGI_MAX_Q);
    n = 2 + CM_CGI_MAX_Q;
    is_int(cm_cgi_parse(qs, n, &r, err, sizeof err), CM_OK, "q of 1024 bytes");
    is_int((long long)r.q_len, CM_CGI_MAX_Q, "  all of it");
    qs[n++] = 'a';
    is_int(cm_cgi_parse(qs, n, &r, err, sizeof err), CM_EINVAL,
           "q of 1025 bytes");
    is_str(err, "parameter 'q': too long (over 1024 bytes)", "  message");
    is_str(r.q, "", "  no query kept");
    /* the same bytes encoded: the decoded length counts */
    memcpy(qs, "q=", 2);
    for (n = 2; n + 3 <= 2 + 3 * 1024; n += 3)
        memcpy(qs + n, "%61", 3);
    is_int(cm_cgi_parse(qs, n, &r, err, sizeof err), CM_OK,
           "q of 1024 encoded bytes");
    /* the whole query string */
    memset(qs, 'x', CM_CGI_MAX_QUERY_STRING + 1);
    is_int(cm_cgi_parse(qs, CM_CGI_MAX_QUERY_STRING + 1, &r, err, sizeof err),
           CM_EINVAL, "query string over 8192 bytes");
    is_str(err, "query string too long (over 8192 bytes)", "  message");
    /* no query string at all, and no room for a message */
    is_int(cm_cgi_parse(NULL, 5, &r, err, sizeof err), CM_OK, "NULL string");
    is_int(cm_cgi_parse("page=x", 6, &r, NULL, 0), CM_EINVAL,
           "no room for the message");
    /* the length given, not the NUL */
    is_int(cm_cgi_parse("q=ab&page=x", 4, &r, err, sizeof err), CM_OK,
           "length given");
    is_str(r.q, "ab", "  up to it");
}

/* ---- escaping ------------------------------------------------------- */

static void
escape_is(const char *in, size_t n, const char *want, const char *name)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    cm_cgi_escape(&st, &b, in, n);
    cm_buf_addc(&st, &b, '\0');
    is_str(b.data, want, name);
    cm_buf_free(&b);
}

static void
url_is(const char *in, const char *want, const char *name)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    cm_cgi_urlencode(&st, &b, in, strlen(in));
    cm_buf_addc(&st, &b, '\0');
    is_str(b.data, want, name);
    cm_buf_free(&b);
}

static void
test_escape(void)
{
    char all[256];
    int i;
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);

    escape_is("a<b>&\"'c", 8, "a&lt;b&gt;&amp;&quot;&#39;c", "specials");
    escape_is("\xC3\xA9\xE2\x82\xAC", 5, "\xC3\xA9\xE2\x82\xAC", "UTF-8 kept");
    escape_is("a\xFF" "b", 3, "a\xEF\xBF\xBD" "b", "a stray byte");
    escape_is("a\xC3", 2, "a\xEF\xBF\xBD", "a cut character");
    escape_is("a\x01\tb\n", 5, "a\xEF\xBF\xBD\tb\n", "controls");
    escape_is("a\0b", 3, "a\xEF\xBF\xBD" "b", "a NUL");
    /* every byte: nothing that HTML reads as markup comes out bare */
    for (i = 0; i < 256; i++)
        all[i] = (char)i;
    cm_cgi_escape(&st, &b, all, 256);
    cm_buf_addc(&st, &b, '\0');
    ok(st == CM_OK && strpbrk(b.data, "<>\"'") == NULL,
       "all bytes: no < > \" ' left");
    cm_buf_free(&b);
    url_is("human rights", "human+rights", "space");
    url_is("a&b=c?d#e%f+g", "a%26b%3Dc%3Fd%23e%25f%2Bg", "reserved");
    url_is("\"<x>\"", "%22%3Cx%3E%22", "quotes and angles");
    url_is("\xC3\xA9", "%C3%A9", "UTF-8");
    url_is("AZaz09-_.~", "AZaz09-_.~", "unreserved");
}

static void
test_roundtrip(void)
{
    /* a link's query, parsed back, is the query */
    static const char *const qs[] = {
        "human rights", "\"a b\" OR c -d", "a&b=c", "100% sure+", "\xC3\xA9t\xC3\xA9",
        "lang:fr year:2008..2010", "#x?y/z"};
    size_t i;

    for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        cm_status st = CM_OK;
        cm_buf b = CM_BUF_INIT(0);
        cm_cgi_req r;
        char err[128];
        cm_buf_adds(&st, &b, "q=");
        cm_cgi_urlencode(&st, &b, qs[i], strlen(qs[i]));
        ok(st == CM_OK && cm_cgi_parse(b.data, b.len, &r, err, sizeof err) ==
                              CM_OK && strcmp(r.q, qs[i]) == 0,
           "round trip of '%s'", qs[i]);
        cm_buf_free(&b);
    }
}

/* ---- the page ------------------------------------------------------- */

static char *
render(const cm_cgi_page *pg, int head)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    cm_cgi_render(&st, &b, pg, head);
    return st == CM_OK ? cm_buf_steal(&st, &b) : NULL;
}

static cm_status
parse_all(const char *qs, cm_cgi_req *req)
{
    char err[128];
    return cm_cgi_parse(qs, strlen(qs), req, err, sizeof err);
}

static int
has(const char *page, const char *s)
{
    return page != NULL && strstr(page, s) != NULL;
}

static void
test_page(void)
{
    static const char *const refs[] = {"Recommendation 1806 (2007)"};
    cm_span hl[2] = {{4, 10}, {15, 23}};
    cm_hit hits[2];
    cm_results res;
    cm_cgi_req req;
    cm_cgi_page pg;
    char *p;

    memset(hits, 0, sizeof hits);
    hits[0].rank = 11;
    hits[0].path = "/srv/docs/doc11549.md";
    hits[0].label = "9.";
    hits[0].section = "body";
    hits[0].heading = "Conclusions";
    hits[0].text = "The return of <migrants> and co-development";
    hits[0].lang = "en";
    hits[0].doc = "Doc. 11549";
    hits[0].title = "Activities of the IOM & co";
    hits[0].date = "2008-03-28";
    hits[0].type = "report";
    hits[0].refs = refs;
    hits[0].n_refs = 1;
    hits[0].snippet = "The return of <migrants> and co-development";
    hits[0].snippet_len = strlen(hits[0].snippet);
    hits[0].highlights = hl;
    hits[0].n_highlights = 2;
    hits[0].collapsed = 3;
    hits[0].docid = 7;
    hits[1] = hits[0];
    hits[1].docid = 8;
    hits[1].rank = 12;
    hits[1].path = "/srv/docs/notes.txt";
    hits[1].doc = "";
    hits[1].label = "";
    hits[1].para = 4;
    hits[1].lang = "";
    hits[1].snippet = "";
    hits[1].snippet_len = 0;
    hits[1].text = "plain <b>text</b>";
    memset(&res, 0, sizeof res);
    res.hits = hits;
    res.n_hits = 2;
    res.total = 57;
    res.total_exact = 1;
    res.suggestion = "migration \"x\"";
    res.suggestion_total = 4;
    if (parse_all("q=retrun+%3Cb%3E&page=2&sort=-date&bydoc=1", &req) !=
        CM_OK)
        ok(0, "parse for the page");
    memset(&pg, 0, sizeof pg);
    pg.status = 200;
    pg.req = &req;
    pg.res = &res;
    p = render(&pg, 0);
    ok(p != NULL, "page rendered");
    ok(has(p, "Status: 200 OK\r\n") && has(p, "Content-Type: text/html; "
       "charset=utf-8\r\n") && has(p, "default-src 'none'") &&
       has(p, "X-Content-Type-Options: nosniff\r\n"), "headers");
    ok(has(p, "\r\n\r\n<!DOCTYPE html>"), "a blank line, then the page");
    ok(has(p, "value=\"retrun &lt;b&gt;\""), "the query in the box, escaped");
    ok(has(p, "<title>retrun &lt;b&gt; \xC2\xB7 cmsearch</title>"), "title");
    ok(!has(p, "<b>") && !has(p, "<migrants>"), "nothing echoed bare");
    ok(has(p, "<option value=\"-date\" selected>"), "sort kept");
    ok(has(p, "name=\"bydoc\" value=\"1\" checked"), "bydoc kept");
    ok(has(p, "11\xE2\x80\x93" "12 of 57 documents"), "the total");
    ok(has(p, "<ol class=\"hits\" start=\"11\">"), "numbered from 11");
    ok(has(p, "The <mark>return</mark> of &lt;<mark>migrants</mark>&gt;"),
       "highlights marked, text escaped");
    ok(has(p, "Doc. 11549 \xC2\xB6" "9 \xC2\xB7 2008-03-28 \xC2\xB7 en "
       "\xC2\xB7 Activities of the IOM &amp; co"), "the citation");
    ok(has(p, "lang=\"en\" dir=\"auto\"") || has(p, "dir=\"auto\" "
       "lang=\"en\""), "the snippet's language");
    ok(has(p, "doc11549.md, paragraph 0 \xC2\xB7 Conclusions \xC2\xB7 3 more "
       "paragraphs"), "where, without the folder");
    ok(!has(p, "/srv/docs"), "no server path");
    ok(has(p, "notes.txt \xC2\xB6#4") && has(p, "plain &lt;b&gt;text"),
       "a hit without number, label or snippet");
    ok(has(p, "Did you mean <a href=\"?q=migration+%22x%22&amp;sort=-date"
       "&amp;bydoc=1\">migration &quot;x&quot;</a>? (4 matches)"),
       "the suggestion, a link on page 1");
    ok(has(p, "<a rel=\"prev\" href=\"?q=retrun+%3Cb%3E&amp;sort=-date"
       "&amp;bydoc=1\">"), "previous page: page 1");
    ok(has(p, "<a rel=\"next\" href=\"?q=retrun+%3Cb%3E&amp;page=3&amp;"
       "sort=-date&amp;bydoc=1\">"), "next page");
    ok(has(p, "</html>\n"), "the page ends");
    ok(has(p, "<a class=\"like\" href=\"?like=7&amp;sort=-date&amp;"
           "bydoc=1\">similar paragraphs</a>") &&
           has(p, "?like=8&amp;"),
       "each hit links to the paragraphs like it");
    ok(!has(p, "class=\"words\""), "  no words of a paragraph chosen");
    ok(!has(p, "name=\"lang\""), "no language select without languages");
    ok(has(p, "<div class=\"where\">doc11549.md, paragraph"),
       "no link rule: the file name without a link");
    free(p);

    /* The index's languages offered, the one asked for selected and kept
     * in the links; a link rule: the file names link to the documents, at
     * the paragraph's first words for a text. */
    {
        static const char *const langs[] = {"en", "fr", "ka", "zz"};
        cm_config *cfg = NULL;
        char *e = NULL;
        if (cm_config_parse("t", "link = /srv/docs https://x.org/d\n", 33,
                            &cfg, &e) != CM_OK)
            ok(0, "a link rule");
        memcpy(req.lang, "fr", 3);
        pg.langs = langs;
        pg.n_langs = 4;
        pg.cfg = cfg;
        p = render(&pg, 0);
        ok(has(p, "<select name=\"lang\" aria-label=\"Language\"><option "
               "value=\"\">any language</option><option value=\"en\">"
               "English (en)</option><option value=\"fr\" selected>"
               "fran\xC3\xA7" "ais (fr)</option><option value=\"ka\">"
               "\xE1\x83\xA5\xE1\x83\x90\xE1\x83\xA0\xE1\x83\x97\xE1"
               "\x83\xA3\xE1\x83\x9A\xE1\x83\x98 (ka)</option><option "
               "value=\"zz\">zz</option></select>"),
           "the languages, each named in itself, the one asked selected");
        ok(has(p, "<a rel=\"next\" href=\"?q=retrun+%3Cb%3E&amp;page=3&amp;"
               "sort=-date&amp;bydoc=1&amp;lang=fr\">"), "lang kept in links");
        ok(has(p, "<div class=\"where\"><a href=\"https://x.org/d/"
               "doc11549.md#:~:text=The%20return%20of%20%3Cmigrants%3E%20and"
               "%20co%2Ddevelopment\">doc11549.md</a>, paragraph"),
           "a hit's file links to it, at its first words");
        ok(has(p, "<a href=\"https://x.org/d/notes.txt#:~:text=plain%20%3Cb"
               "%3Etext%3C%2Fb%3E\">notes.txt</a>"),
           "  every byte but letters, digits and ._~ encoded");
        free(p);
        memcpy(req.lang, "de", 3);
        p = render(&pg, 0);
        ok(has(p, "</option><option value=\"de\" selected>Deutsch (de)"
               "</option></select>"),
           "a language asked for that the index has not: offered too");
        free(p);
        /* The results' counts in each language (cm_search lang_counts). */
        {
            static const cm_lang_count counts[] = {{"fr", 12}, {"en", 3}};
            res.langs = counts;
            res.n_langs = 2;
            res.langs_exact = 1;
            res.langs_counted = 1;
            p = render(&pg, 0);
            ok(has(p, "English (en) \xC2\xB7 3</option>") &&
                   has(p, "ais (fr) \xC2\xB7 12</option>") &&
                   has(p, "(ka) \xC2\xB7 0</option>") &&
                   has(p, ">zz \xC2\xB7 0</option>") &&
                   has(p, "Deutsch (de) \xC2\xB7 0</option>"),
               "each language's matches, 0 for the others");
            free(p);
            res.langs_exact = 0;
            p = render(&pg, 0);
            ok(has(p, "English (en) \xC2\xB7 3+</option>") &&
                   has(p, "(ka) \xC2\xB7 0+</option>"),
               "counts of the matches looked at: at least so many");
            free(p);
            res.langs = NULL;
            res.n_langs = 0;
            res.langs_exact = 1;
            p = render(&pg, 0);
            ok(has(p, "English (en) \xC2\xB7 0</option>"),
               "counted, and none in any language: 0 each");
            free(p);
            res.langs_counted = 0;
            p = render(&pg, 0);
            ok(has(p, "English (en)</option>"),
               "not counted (a remote index): no counts");
            free(p);
            res.langs_exact = 0;
        }
        req.lang[0] = '\0';
        pg.langs = NULL;
        pg.n_langs = 0;
        pg.cfg = NULL;
        cm_config_free(cfg);
    }

    /* Paragraphs like one: its words said, the pages' links keep it. */
    req.like = 7;
    res.like_words = "asylum <seekers>";
    p = render(&pg, 0);
    ok(has(p, "(it is among them): <span class=\"words\">asylum "
           "&lt;seekers&gt;</span>"), "like: the words searched for");
    ok(has(p, "<a rel=\"next\" href=\"?like=7&amp;page=3&amp;"),
       "like: kept in the next page's link");
    free(p);
    req.like = 0;
    res.like_words = NULL;

    /* the last page: no next link; an estimate */
    req.page = 6;
    res.total_exact = 0;
    res.total = 52;
    res.suggestion = NULL;
    p = render(&pg, 0);
    ok(!has(p, "rel=\"next\"") && has(p, "rel=\"prev\""), "last page");
    ok(has(p, "51\xE2\x80\x93" "52 of about 52 documents"), "an estimate");
    ok(!has(p, "Did you mean"), "no suggestion");
    free(p);

    /* past the end */
    res.n_hits = 0;
    req.page = 9;
    p = render(&pg, 0);
    ok(has(p, "No document on this page: there are about 52."),
       "past the last page");
    free(p);
    res.total = 0;
    req.page = 1;
    req.by_doc = 0;
    p = render(&pg, 0);
    ok(has(p, "No paragraph matched."), "nothing matched");
    ok(!has(p, "<nav"), "no pages");
    free(p);

    /* a query error: the message, the column marked, plain words */
    if (parse_all("q=%22%C3%A9t%C3%A9+x", &req) != CM_OK)
        ok(0, "parse for the error page");
    pg.message = "Query error at column 1: unclosed quote.";
    pg.column = 1;
    pg.plain = 1;
    p = render(&pg, 0);
    ok(has(p, "<p class=\"error\" role=\"alert\">Query error at column 1: "
       "unclosed quote.</p>"), "the message");
    ok(has(p, "<code><mark>&quot;</mark>\xC3\xA9t\xC3\xA9 x</code>"),
       "column 1 marked");
    ok(has(p, "read as plain words"), "said to be plain words");
    free(p);
    pg.column = 3; /* a character of two bytes before it */
    p = render(&pg, 0);
    ok(has(p, "<code>&quot;\xC3\xA9<mark>t</mark>\xC3\xA9 x</code>"),
       "column 3 counted in characters");
    free(p);
    pg.column = 99;
    p = render(&pg, 0);
    ok(has(p, "\xC3\xA9 x<mark>&nbsp;</mark></code>"), "column past the end");
    free(p);

    /* refusals: no hits, the status, Allow and Retry-After */
    memset(&pg, 0, sizeof pg);
    pg.status = 405;
    pg.message = "This page answers GET requests only.";
    p = render(&pg, 0);
    ok(has(p, "Status: 405 Method Not Allowed\r\n") &&
       has(p, "Allow: GET, HEAD\r\n"), "405 with Allow");
    ok(has(p, "value=\"\""), "an empty form");
    free(p);
    pg.status = 503;
    p = render(&pg, 1);
    ok(has(p, "Status: 503 Service Unavailable\r\nContent-Type") &&
       has(p, "Retry-After: 10\r\n"), "503 with Retry-After");
    ok(p != NULL && strcmp(p + strlen(p) - 4, "\r\n\r\n") == 0,
       "HEAD: headers only");
    free(p);
    pg.status = 414;
    p = render(&pg, 1);
    ok(has(p, "Status: 414 URI Too Long\r\n"), "414");
    free(p);
    pg.status = 400;
    p = render(&pg, 1);
    ok(has(p, "Status: 400 Bad Request\r\n"), "400");
    free(p);
    pg.status = 500;
    p = render(&pg, 1);
    ok(has(p, "Status: 500 Internal Server Error\r\n"), "500");
    free(p);
}

static void
test_ceiling(void)
{
    /* a buffer with a ceiling: the page fails as a whole, never cut */
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(64);
    cm_cgi_page pg;

    memset(&pg, 0, sizeof pg);
    pg.status = 200;
    cm_cgi_render(&st, &b, &pg, 0);
    ok(st != CM_OK, "a page over the ceiling fails");
    cm_buf_free(&b);
    st = CM_ENOMEM;
    cm_cgi_render(&st, &b, &pg, 0);
    ok(st == CM_ENOMEM && b.len == 0, "sticky status: nothing done");
    cm_buf_free(&b);
}

/* format=json: the results as cmsearch --format json gives them, the
 * files without their folders; errors as {"error"}. */
static void
test_json(void)
{
    static const cm_span hl[1] = {{4, 10}};
    cm_hit hit;
    cm_results res;
    cm_cgi_req req;
    cm_cgi_page pg;
    json_t *o;
    char *p, *body;
    char err[128];

    is_int(cm_cgi_parse("q=a&format=json", 15, &req, err, sizeof err),
           CM_OK, "format=json");
    ok(req.json == 1, "  read");
    is_int(cm_cgi_parse("q=a&format=html", 15, &req, err, sizeof err),
           CM_OK, "format=html");
    ok(req.json == 0, "  read");
    is_int(cm_cgi_parse("q=a&format=xml", 14, &req, err, sizeof err),
           CM_EINVAL, "format=xml");
    ok(strstr(err, "parameter 'format': not html or json") != NULL,
       "  named: %s", err);

    memset(&hit, 0, sizeof hit);
    hit.rank = 1;
    hit.docid = 42;
    hit.para = 3;
    hit.path = "/srv/private/folders/doc\xE9.md"; /* not UTF-8 */
    hit.label = hit.section = hit.heading = hit.doc = hit.title = "";
    hit.date = hit.type = hit.lang = "";
    hit.text = "the <migrants> & co";
    hit.snippet = hit.text;
    hit.snippet_len = strlen(hit.text);
    hit.highlights = hl;
    hit.n_highlights = 1;
    memset(&res, 0, sizeof res);
    res.hits = &hit;
    res.n_hits = 1;
    res.total = res.total_lower = res.total_upper = 1;
    res.total_exact = 1;
    memset(&pg, 0, sizeof pg);
    if (cm_cgi_parse("q=migrants&format=json&n=5", 26, &req, err,
                     sizeof err) != CM_OK)
        ok(0, "parse");
    pg.status = 200;
    pg.req = &req;
    pg.res = &res;
    p = render(&pg, 0);
    ok(p != NULL && strncmp(p, "Status: 200 OK\r\nContent-Type: "
                            "application/json; charset=utf-8\r\n",
                            56) == 0,
       "JSON: its content type");
    body = p ? strstr(p, "\r\n\r\n") : NULL;
    o = body ? json_loads(body + 4, 0, NULL) : NULL;
    ok(o != NULL, "JSON: one object");
    ok(o != NULL &&
           strcmp(json_string_value(json_object_get(o, "query")),
                  "migrants") == 0 &&
           json_integer_value(json_object_get(o, "limit")) == 5 &&
           json_array_size(json_object_get(o, "hits")) == 1,
       "JSON: the query, the limit, the hits");
    {
        json_t *h = o ? json_array_get(json_object_get(o, "hits"), 0) : NULL;
        ok(h != NULL &&
               strcmp(json_string_value(json_object_get(h, "path")),
                      "doc\xEF\xBF\xBD.md") == 0 &&
               json_integer_value(json_object_get(h, "docid")) == 42 &&
               strcmp(json_string_value(json_object_get(h, "text")),
                      "the <migrants> & co") == 0,
           "JSON: a hit's file without its folders (a byte not UTF-8 as "
           "U+FFFD), its docid, its text");
    }
    json_decref(o);
    free(p);
    p = render(&pg, 1);
    ok(p != NULL && strstr(p, "\r\n\r\n") != NULL &&
           strstr(p, "\r\n\r\n")[4] == '\0',
       "JSON: HEAD, no body");
    free(p);

    /* The query read as plain words: its error beside the hits. */
    pg.column = 4;
    pg.message = "Query error at column 4: nothing after OR.";
    pg.plain = 1;
    p = render(&pg, 0);
    body = p ? strstr(p, "\r\n\r\n") : NULL;
    o = body ? json_loads(body + 4, 0, NULL) : NULL;
    ok(o != NULL &&
           json_integer_value(json_object_get(
               json_object_get(o, "query_error"), "column")) == 4 &&
           json_array_size(json_object_get(o, "hits")) == 1,
       "JSON: query_error and the plain words' hits");
    json_decref(o);
    free(p);

    /* No results: the status and {"error"}. */
    pg.res = NULL;
    pg.status = 503;
    pg.column = 0;
    pg.message = "The index is being <updated>.";
    p = render(&pg, 0);
    body = p ? strstr(p, "\r\n\r\n") : NULL;
    o = body ? json_loads(body + 4, 0, NULL) : NULL;
    ok(p != NULL && strncmp(p, "Status: 503 ", 12) == 0 &&
           strstr(p, "Retry-After: 10\r\n") != NULL && o != NULL &&
           strcmp(json_string_value(json_object_get(o, "error")),
                  "The index is being <updated>.") == 0,
       "JSON: an error, its status and message");
    json_decref(o);
    free(p);
}

int
main(void)
{
    test_parse();
    test_parse_lang();
    test_parse_limits();
    test_escape();
    test_roundtrip();
    test_page();
    test_ceiling();
    test_json();
    return done_testing();
}
