/* test_doc.c: unit tests for cm_doc (reader and paragraph splitter). */
#include "config.h"

#include "cm_buf.h"
#include "cm_doc.h"
#include "cm_lang.h"
#include "tap.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <zip.h>

#include <gsf/gsf-doc-meta-data.h>
#include <gsf/gsf-meta-names.h>
#include <gsf/gsf-msole-utils.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers -------------------------------------------------------- */

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A compact picture of a document: one "label|section|text" line per
 * paragraph; sections by their first letter (b, h, f, a). */
static char *
render(const cm_doc *d)
{
    size_t cap = 64, len = 0, i, need;
    char *s = malloc(cap);

    if (s == NULL)
        abort();
    s[0] = '\0';
    for (i = 0; i < d->n_paras; i++) {
        const cm_para *p = &d->paras[i];
        need = strlen(p->label) + strlen(p->text) + 8;
        while (len + need >= cap) {
            cap *= 2;
            s = realloc(s, cap);
            if (s == NULL)
                abort();
        }
        len += (size_t)snprintf(s + len, cap - len, "%s%s|%c|%s",
                                i ? "\n" : "", p->label,
                                cm_section_name(p->section)[0], p->text);
    }
    return s;
}

/* Every invariant of the model: strings non-NULL, ordinals 1..n, text
 * non-empty, lengths right.  Returns a reason, or NULL. */
static const char *
check_model(const cm_doc *d)
{
    size_t i;

    if (!d->path || !d->number || !d->type || !d->title || !d->date ||
        !d->lang)
        return "a document string is NULL";
    for (i = 0; i < d->n_paras; i++) {
        const cm_para *p = &d->paras[i];
        if (p->ordinal != i + 1)
            return "ordinal out of sequence";
        if (!p->label || !p->heading || !p->lang || !p->text)
            return "a paragraph string is NULL";
        if (p->text_len == 0 || strlen(p->text) != p->text_len)
            return "empty text or wrong text_len";
        if ((unsigned)p->section >= CM_SECT_LAST)
            return "bad section";
        if (p->n_refs > 0 && p->refs == NULL)
            return "refs NULL";
        {
            size_t k;
            for (k = 0; k < p->n_refs; k++)
                if (p->refs[k] == NULL || p->refs[k][0] == '\0')
                    return "an empty reference";
        }
    }
    return NULL;
}

static cm_doc *
parse(const char *src, cm_format fmt)
{
    cm_doc *d = NULL;
    char *err = NULL;
    cm_status st = cm_doc_parse("t", src, strlen(src), fmt, &d, &err);

    if (st != CM_OK) {
        diag("parse failed: %s: %s", cm_status_str(st), err ? err : "");
        free(err);
        return NULL;
    }
    return d;
}

static char *
slurp_seed(size_t *len)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    char *t = NULL, *err = NULL;
    cm_status st = CM_ENOTFOUND;

    if (top != NULL) {
        snprintf(path, sizeof path,
                 "%s/../shared/corpus/seed/doc11549.md", top);
        st = cm_doc_read_file(path, 0, &t, len, &err);
        free(err);
        err = NULL;
    }
    if (st != CM_OK)
        st = cm_doc_read_file("/work/shared/corpus/seed/doc11549.md", 0, &t,
                              len, &err);
    free(err);
    return st == CM_OK ? t : NULL;
}

/* A paragraph's refs, space-separated. */
static const char *
refs_of(const cm_para *p)
{
    static char buf[1024];
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < p->n_refs && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
                                i ? " " : "", p->refs[i]);
    return buf;
}

/* ---- the seed -------------------------------------------------------- */

static void
test_seed(void)
{
    static const char *const want[] = {
        "|b",   "|b",   "|h",   "|b",   "1.|b", "2.|b", "3.|b", "4.|b",
        "5.|b", "6.|b", "1|f",  "7.|b", "8.|b", "9.|b", "10.|b", "|h",
        "a.|a", "b.|a", "c.|a", "d.|a", "e.|a", "|a",   "2|f"};
    size_t n = 0, i, nw = sizeof want / sizeof want[0];
    char *src = slurp_seed(&n), got[64];
    cm_doc *d;
    const char *why;
    int all = 1;

    if (src == NULL) {
        diag("seed doc11549.md not found: skipping the seed tests");
        return;
    }
    d = parse(src, CM_FMT_MARKDOWN);
    free(src);
    if (!ok(d != NULL, "seed parses"))
        return;
    why = check_model(d);
    ok(why == NULL, "seed: model invariants (%s)", why ? why : "ok");
    is_int((long long)d->n_paras, (long long)nw, "seed: paragraph count");
    for (i = 0; i < d->n_paras && i < nw; i++) {
        snprintf(got, sizeof got, "%s|%c", d->paras[i].label,
                 cm_section_name(d->paras[i].section)[0]);
        if (strcmp(got, want[i]) != 0) {
            diag("paragraph %zu: got %s, want %s", i + 1, got, want[i]);
            all = 0;
        }
    }
    ok(all, "seed: (label, section) of every paragraph");
    is_str(d->title,
           "Activities of the International Organisation for Migration "
           "(IOM)",
           "seed: title");
    is_str(d->number, "Doc. 11549", "seed: number as printed");
    is_str(d->date, "2008-03-28", "seed: date");
    is_str(d->type, "reply", "seed: type reply (to a recommendation)");
    is_str(d->lang, "en", "seed: language");
    ok(d->n_langs == 1 && strcmp(d->langs[0], "en") == 0,
       "seed: languages present");
    for (i = 0, all = 1; i < d->n_paras; i++)
        if (strcmp(d->paras[i].lang, "en") != 0)
            all = 0;
    ok(all, "seed: every paragraph en");
    if (d->n_paras == nw) {
        is_str(d->paras[0].text, "Doc. 11549", "seed: bold markers gone");
        is_str(d->paras[3].text,
               "Reply to Recommendation: Recommendation 1806 (2007) "
               "Committee of Ministers",
               "seed: <sup> text dropped, hard break is a space");
        ok(strstr(d->paras[4].text,
                  "Assembly Recommendation 1806 (2007) on activities") !=
               NULL,
           "seed: 1. link text kept, escapes undone, target dropped");
        ok(strncmp(d->paras[4].text, "The Committee", 13) == 0,
           "seed: 1. text does not start with its label");
        ok(strstr(d->paras[8].text, "CM/Rec(2007)10 on co-development") !=
               NULL,
           "seed: 5. plain text");
        ok(strstr(d->paras[7].text, "These activities address, inter "
                                    "alia, issues") != NULL,
           "seed: emphasis markers removed");
        is_str(d->paras[10].text,
               "Adopted by the Committee of Ministers on 12 March 2008, at "
               "the 1021st meeting of the Ministers' Deputies.",
               "seed: footnote 1 text");
        ok(strncmp(d->paras[15].text, "Appendix \xe2\x80\x93 Comments", 21) ==
               0,
           "seed: appendix heading text");
        ok(strncmp(d->paras[16].text, "The European Committee", 22) == 0,
           "seed: a. label stripped from the text");
        ok(strstr(d->paras[16].heading, " \xe2\x80\xba Appendix") != NULL,
           "seed: appendix heading in the heading path (%s)",
           d->paras[16].heading);
        ok(strncmp(d->paras[21].text, "\xe2\x80\x9cxvi. The CDMG should", 23) ==
                   0 &&
               strstr(d->paras[21].text, "organisations.\xe2\x80\x9d") != NULL &&
               d->paras[21].text[d->paras[21].text_len - 1] != '2',
           "seed: the quotation, without its footnote mark");
        is_str(d->paras[22].text,
               "Appendix III to the meeting report (Document CDMG(2006)76).",
               "seed: footnote 2 text");
        is_str(d->paras[4].heading,
               "Activities of the International Organisation for Migration "
               "(IOM)",
               "seed: heading path of body paragraphs");
        is_str(d->paras[2].heading, "", "seed: a heading's path excludes it");
        is_str(refs_of(&d->paras[3]), "pace-rec-1806-2007 fn-1",
               "seed: type line cites the recommendation, footnote 1");
        is_str(refs_of(&d->paras[4]), "pace-rec-1806-2007",
               "seed: 1. cites Recommendation 1806 (2007)");
        is_str(refs_of(&d->paras[8]), "cm-rec-2007-9 cm-rec-2007-10",
               "seed: 5. cites CM/Rec(2007)9 and CM/Rec(2007)10");
        is_str(refs_of(&d->paras[16]), "pace-rec-1806-2007",
               "seed: a. cites the recommendation");
        is_str(refs_of(&d->paras[21]), "fn-2",
               "seed: the quotation refers to footnote 2");
        is_str(refs_of(&d->paras[5]), "", "seed: 2. cites nothing");
    }
    for (i = 0, all = 1; i < d->n_paras; i++)
        if (strstr(d->paras[i].text, "**") || strstr(d->paras[i].text, "<") ||
            strstr(d->paras[i].text, "](") || strchr(d->paras[i].text, '\\'))
            all = 0;
    ok(all, "seed: no markup left in any text");
    cm_doc_free(d);
}

/* ---- markdown samples ----------------------------------------------- */

/* A document and its picture (render()). */
typedef struct {
    const char *name, *src, *want;
} split_case;

/* Each case parsed as fmt (tag names the format in the test names). */
static void
check_cases(const split_case *c, size_t n, cm_format fmt, const char *tag)
{
    size_t i;

    for (i = 0; i < n; i++) {
        cm_doc *d = parse(c[i].src, fmt);
        char *r;
        const char *why;
        if (!ok(d != NULL, "%s %s: parses", tag, c[i].name))
            continue;
        r = render(d);
        is_str(r, c[i].want, c[i].name);
        why = check_model(d);
        if (why != NULL)
            ok(0, "%s %s: %s", tag, c[i].name, why);
        free(r);
        cm_doc_free(d);
    }
}

static const split_case md_cases[] = {
    {"empty", "", ""},
    {"only blank lines", "\n\n   \n\t\n", ""},
    {"heading without space", "##Title\n\ntext\n", "|h|Title\n|b|text"},
    {"heading with dash", "####- Right to life\n",
     "|h|Right to life"},
    {"hashes in a code block stay",
     "```\n##code\n```\n", "|b|##code"},
    {"meta line is nothing",
     "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' "
     "/>\n\n##T\n",
     "|h|T"},
    {"sup dropped", "Word<sup>12</sup> and <SUP>3</SUP>more.\n",
     "|b|Word and more."},
    {"other inline HTML dropped", "a <span class=\"x\">b</span> c<br>d\n",
     "|b|a b c d"},
    {"escapes", "\\*not em\\* \\[x\\] 1806 \\(2007\\)\n",
     "|b|*not em* [x] 1806 (2007)"},
    {"entities",
     "A &amp; B &lt;c&gt; &quot;d&quot; e&nbsp;f &#65;&#x42; &eacute;t&eacute; "
     "&rsquo; &bogus; &#0;\n",
     "|b|A & B <c> \"d\" e f AB \xc3\xa9t\xc3\xa9 \xe2\x80\x99 &bogus; "
     "\xef\xbf\xbd"},
    {"links and images",
     "[text](http://x.org/y \"t\") <http://a.b> ![alt](i.png) "
     "[ref][r]\n\n[r]: /u\n",
     "|b|text http://a.b alt ref"},
    {"emphasis and code", "*a* **b** _c_ `d  e`\n", "|b|a b c d e"},
    {"soft breaks and spaces", "  one\ntwo   three\t\nfour  \nfive\n",
     "|b|one two three four five"},
    {"ordered list labels", "3. x\n4. y\n", "3.|b|x\n4.|b|y"},
    {"paren delimiter", "5) x\n6) y\n", "5)|b|x\n6)|b|y"},
    {"numbers as printed, not counted", "1. a\n\n\n7. b\n\n8. c\n",
     "1.|b|a\n7.|b|b\n8.|b|c"},
    {"item number after emphasis", "2. **bold** start\n3. [link](x) y\n",
     "2.|b|bold start\n3.|b|link y"},
    {"nested lists",
     "- a. outer\n  - (i) inner one\n  - inner two\n- b. next\n",
     "a.|b|outer\n(i)|b|inner one\n|b|inner two\nb.|b|next"},
    {"nested ordered", "1. top\n   1. sub\n   2. sub2\n2. top2\n",
     "1.|b|top\n1.|b|sub\n2.|b|sub2\n2.|b|top2"},
    {"loose item paragraphs joined", "- first\n\n  second\n- third\n",
     "|b|first second\n|b|third"},
    {"labels", "(a) x\n\nb) y\n\nxvi. z\n\nIV. w\n\n(12)in\n",
     "(a)|b|x\nb)|b|y\nxvi.|b|z\nIV.|b|w\n(12)|b|in"},
    {"not labels",
     "e.g. this\n\nDoc. 1\n\nCM. x\n\n(2007) on\n\nvi.x\n\n"
     "\xe2\x80\x9cxvi. quoted\n",
     "|b|e.g. this\n|b|Doc. 1\n|b|CM. x\n|b|(2007) on\n|b|vi.x\n"
     "|b|\xe2\x80\x9cxvi. quoted"},
    {"label alone keeps its text", "- a.\n- (b)\n", "a.|b|a.\n(b)|b|(b)"},
    {"empty item not emitted", "1. x\n2.\n3. z\n", "1.|b|x\n3.|b|z"},
    {"blockquote", "> quoted\n> text\n\n> second\n",
     "|b|quoted text\n|b|second"},
    {"table rows",
     "| h1 | h2 |\n| --- | --- |\n| a | --- |\n| b *c* | d |\n",
     "|b|h1 | h2\n|b|a\n|b|b c | d"},
    {"footnote zone",
     "1. one\n2. two\n\n---\n\n1. note\n2. note two\n\n3. three\n\n"
     "after\n\n---\n\n3. third note\n",
     "1.|b|one\n2.|b|two\n1|f|note\n2|f|note two\n3.|b|three\n|b|after\n"
     "3|f|third note"},
    {"footnote zone ends at heading", "---\n\n1. n\n\n# H\n\n1. x\n",
     "1|f|n\n|h|H\n1.|b|x"},
    {"footnote from a labelled paragraph", "text\n\n---\n\n1\\. note\n",
     "|b|text\n1|f|note"},
    {"bold appendix opens the appendix",
     "## T\n\n1. x\n\n**Annex I**\n\n- a. y\n\n**Annex II**\n\nz\n\n## U\n\nw\n",
     "|h|T\n1.|b|x\n|h|Annex I\na.|a|y\n|h|Annex II\n|a|z\n|h|U\n|b|w"},
    {"heading appendix", "# Doc\n\n## Appendix\n\n### Part\n\nx\n\n## Next\n\ny\n",
     "|h|Doc\n|h|Appendix\n|h|Part\n|a|x\n|h|Next\n|b|y"},
    {"not an appendix", "**Appendixes are** here\n\n**Annex** is bold, this "
                        "not\n",
     "|b|Appendixes are here\n|b|Annex is bold, this not"},
    {"trailing backslash", "a\\\n", "|b|a\\"},
};

static void
test_markdown(void)
{
    check_cases(md_cases, sizeof md_cases / sizeof md_cases[0],
                CM_FMT_MARKDOWN, "md");
}

static void
test_markdown_details(void)
{
    cm_doc *d;

    d = parse("# One\n\n## Two\n\n### Three\n\nx\n\n## Four\n\ny\n",
              CM_FMT_MARKDOWN);
    if (ok(d != NULL && d->n_paras == 6, "heading path document")) {
        is_str(d->paras[3].heading,
               "One \xe2\x80\xba Two \xe2\x80\xba Three", "heading path");
        is_str(d->paras[4].heading, "One", "heading path after a pop");
        is_str(d->paras[5].heading, "One \xe2\x80\xba Four",
               "heading path after a sibling");
        is_str(d->title, "One", "title: first level-1 heading");
    }
    cm_doc_free(d);
    d = parse("### Small\n\n## Big\n\n# Bigger\n", CM_FMT_MARKDOWN);
    if (d != NULL)
        is_str(d->title, "Big", "title: first level-1 or 2 heading");
    cm_doc_free(d);
    d = parse("text only\n", CM_FMT_MARKDOWN);
    if (d != NULL)
        is_str(d->title, "", "title: none");
    cm_doc_free(d);
    d = parse("hello\n", CM_FMT_AUTO);
    if (ok(d != NULL, "AUTO with an unknown extension reads text"))
        is_str(d->path, "t", "path recorded");
    cm_doc_free(d);
}

/* md4c 0.4.8 reads past the end of "[x](y9" without a final newline and
 * crashes, or reports text beyond the end, depending on the bytes there. */
static void
test_md4c_overread(void)
{
    static const char src[] = "**b** [x](y9";
    size_t n = sizeof src - 1, i, k;
    char *buf = malloc(n + 64);
    int good = 1;

    if (buf == NULL)
        abort();
    srand(1);
    for (i = 0; i < 20000 && good; i++) {
        cm_doc *d = NULL;
        char *err = NULL;
        memcpy(buf, src, n);
        for (k = n; k < n + 64; k++)
            buf[k] = (char)(rand() & 0xff);
        if (cm_doc_parse("o", buf, n, CM_FMT_MARKDOWN, &d, &err) != CM_OK ||
            d->n_paras != 1 || strcmp(d->paras[0].text, "b [x](y9") != 0)
            good = 0;
        cm_doc_free(d);
        free(err);
    }
    ok(good, "md4c never reads past the end of the text");
    free(buf);
}

/* ---- plain text -------------------------------------------------------- */

static const struct {
    const char *name, *src, *want;
} txt_cases[] = {
    {"empty", "", ""},
    {"blank", " \n\t\n\r\n", ""},
    {"blocks", "one\ntwo\n\n\nthree\r\nfour\r\n",
     "|b|one two\n|b|three four"},
    {"sub-paragraph labels", "5.1. sub\n\n10.2.3. deep\n\n1.5 million "
     "people\n\n5.1.x not one\n\n5.1.\n", "5.1.|b|sub\n10.2.3.|b|deep\n"
     "|b|1.5 million people\n|b|5.1.x not one\n5.1.|b|5.1."},
    {"labels", "5. five\n\na. aye\n\n(a)in\n\nb) bee\n\nxvi. sixteen\n",
     "5.|b|five\na.|b|aye\n(a)|b|in\nb)|b|bee\nxvi.|b|sixteen"},
    {"article", "Article 2\nRight to life\n\nARTICLE  10bis\n\n"
                "Article 5 of the Convention says\n",
     "Article 2|b|Right to life\nARTICLE 10bis|b|ARTICLE 10bis\n"
     "|b|Article 5 of the Convention says"},
    {"markup kept in text", "**b** [x](y)\n", "|b|**b** [x](y)"},
    {"no final newline", "last", "|b|last"},
};

static void
test_text(void)
{
    size_t i;

    for (i = 0; i < sizeof txt_cases / sizeof txt_cases[0]; i++) {
        cm_doc *d = parse(txt_cases[i].src, CM_FMT_TEXT);
        char *r;
        if (!ok(d != NULL, "txt %s: parses", txt_cases[i].name))
            continue;
        r = render(d);
        is_str(r, txt_cases[i].want, txt_cases[i].name);
        free(r);
        cm_doc_free(d);
    }
}

/* ---- HTML ------------------------------------------------------------ */

static char *repeat(const char *unit, size_t times, const char *tail);

static const split_case html_cases[] = {
    {"empty", "", ""},
    {"only blanks", " \n\t\n", ""},
    {"a comment", "<!-- nothing -->", ""},
    {"paragraphs", "<p>one\ntwo</p><p>three</p>", "|b|one two\n|b|three"},
    {"no html or body", "<p>a</p>", "|b|a"},
    {"loose text", "just text", "|b|just text"},
    {"loose text beside blocks", "<div>before<p>in</p>after <b>bold</b></div>",
     "|b|before\n|b|in\n|b|after bold"},
    {"inline elements join", "<p>co-<em>develop</em>ment and <a href=x>"
     "links</a></p>", "|b|co-development and links"},
    {"a break is a space", "<p>one<br>two<br/>three</p>",
     "|b|one two three"},
    {"entities", "<p>caf&eacute; &amp; 10&nbsp;000 &#8364; &#x2019;</p>",
     "|b|caf\xC3\xA9 & 10\xC2\xA0" "000 \xE2\x82\xAC \xE2\x80\x99"},
    {"headings", "<h1>Title</h1><p>a</p><h2>Part</h2><h3>Sub</h3><p>b</p>",
     "|h|Title\n|b|a\n|h|Part\n|h|Sub\n|b|b"},
    {"labels from the text", "<p>5. five</p><p>a) aye</p>",
     "5.|b|five\na)|b|aye"},
    {"ordered list", "<ol><li>one</li><li>two</li></ol>",
     "1.|b|one\n2.|b|two"},
    {"start and value", "<ol start=\"7\"><li>seven</li><li value=\"10\">"
     "ten</li><li>eleven</li></ol>", "7.|b|seven\n10.|b|ten\n11.|b|eleven"},
    {"an item's paragraphs are one", "<ol><li><p>a</p><p>b</p></li></ol>",
     "1.|b|a b"},
    {"nested ordered lists", "<ol start=5><li>intro<ol><li>x</li><li>y</li>"
     "</ol>after</li></ol>",
     "5.|b|intro\n5.1.|b|x\n5.2.|b|y\n|b|after"},
    {"unordered list", "<ul><li>one</li><li>2. two</li></ul>",
     "|b|one\n2.|b|two"},
    {"table rows", "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td>"
     "<td></td><td>3</td></tr></table>", "|b|A | B\n|b|1 | 3"},
    {"definitions", "<dl><dt>term</dt><dd>meaning</dd></dl>",
     "|b|term\n|b|meaning"},
    {"not the document's text",
     "<head><title>T</title><style>p{}</style><script>var a='<p>x</p>';"
     "</script></head><body><nav>menu</nav><p>kept</p><form><input value=v>"
     "<select><option>o</option></select><button>b</button></form>"
     "<noscript>ns</noscript><template><p>t</p></template></body>",
     "|b|kept"},
    {"a footnote mark", "<p>text<sup>12</sup> more <sup>a</sup></p>",
     "|b|text more a"},
    {"notes after a rule", "<p>1. body</p><p>2. body</p><hr><p>1. note</p>"
     "<ol><li>second note</li></ol><p>3. body again</p>",
     "1.|b|body\n2.|b|body\n1|f|note\n1|f|second note\n3.|b|body again"},
    {"an appendix", "<h2>Appendix</h2><p>x</p><h2>Anexo</h2><p>y</p>",
     "|h|Appendix\n|a|x\n|h|Anexo\n|a|y"},
    {"broken markup", "<p>one<p>two<div><b>three</i></div><li>four",
     "|b|one\n|b|two\n|b|three\n|b|four"},
    {"unclosed everything", "<html><body><table><tr><td>a<td>b",
     "|b|a | b"},
    {"pre", "<pre>  line one\n  line two</pre>", "|b|line one line two"},
    {"cdata and processing instructions", "<p>a<?php echo 1 ?>b</p>",
     "|b|ab"},
    {"a page's main content, not the site around it",
     "<html><head><title>Doc</title></head><body><header><a>Logo</a><ul>"
     "<li>Menu</li></ul><h1>Site</h1></header><main><h1>Report</h1><p>kept"
     "</p></main><aside>Related</aside><footer>(c) 2024</footer></body>"
     "</html>",
     "|h|Report\n|b|kept"},
    {"an element of role main",
     "<div role=banner>site</div><div><div role=\" Main \"><p>kept</p>"
     "</div></div><div>other</div>",
     "|b|kept"},
    {"a main without text is not the content",
     "<main> <img src=x> </main><p>kept</p>", "|b|kept"},
    {"no main: the one article holding most of the text",
     "<div>Site name | Home | About</div><article><h1>Report</h1><p>A "
     "paragraph of the report, most of the page's text.</p></article>"
     "<div>Footer (c)</div>",
     "|h|Report\n|b|A paragraph of the report, most of the page's text."},
    {"an article beside more text is not the content",
     "<p>The document's own text, much longer than the teaser beside it."
     "</p><div><article>Teaser</article></div>",
     "|b|The document's own text, much longer than the teaser beside it.\n"
     "|b|Teaser"},
    {"the page's sidebars are not read",
     "<body><p>1. kept</p><aside><h2>Related documents</h2><ul><li>Doc. "
     "14302 Migrants</li></ul></aside><div role=complementary>News</div>"
     "<p>2. kept</p></body>",
     "1.|b|kept\n2.|b|kept"},
    {"nor its main content's",
     "<body><aside>Menu</aside><main><p>1. kept</p><aside>Most read</aside>"
     "<p>2. kept</p></main></body>",
     "1.|b|kept\n2.|b|kept"},
    {"a part's aside, and one that is a note, are read",
     "<article><p>a</p><aside>Box in the article</aside></article><section>"
     "<div role=complementary>Box in the section</div></section><aside "
     "role=doc-footnote><p>1. A footnote.</p></aside><aside "
     "epub:type=\"footnote\">Another note</aside>",
     "|b|a\n|b|Box in the article\n|b|Box in the section\n1.|b|A footnote."
     "\n|b|Another note"},
    {"several articles are not the content",
     "<article><p>one</p></article><article><p>two</p></article><p>x</p>",
     "|b|one\n|b|two\n|b|x"},
    {"a main in what is not read is not the content",
     "<nav><main>menu</main></nav><p>kept</p>", "|b|kept"},
    {"no main: the page's footer, and its header with the site's menu",
     "<body><header><a href=/>Site</a><nav><a>Home</a></nav><p>Tagline</p>"
     "</header><h1>Report</h1><p>1. kept</p><footer><p>(c) Council</p>"
     "<p>Contact</p></footer></body>",
     "|h|Report\n1.|b|kept"},
    {"a header without a menu is read: it may hold the title",
     "<header><p>Doc. 14812</p><h1>Resolution 2255</h1></header><p>1. text"
     "</p><div><header><form><input></form>Search</header></div>",
     "|b|Doc. 14812\n|h|Resolution 2255\n1.|b|text"},
    {"a part's header and footer are the part's",
     "<section><header><nav>Contents</nav>Part one</header><p>a</p>"
     "<footer>Part's note</footer></section><div role=region><footer>r"
     "</footer></div><section><aside><footer>side</footer></aside>"
     "</section>",
     "|b|Part one\n|b|a\n|b|Part's note\n|b|r\n|b|side"},
    {"hidden, and the site's parts by their roles",
     "<div role=navigation>menu</div><p hidden>h</p><p style=\"color:red; "
     "DISPLAY: none\">n</p><p style='visibility : hidden'>v</p><p style="
     "\"display:block\">shown</p><div role=contentinfo>foot</div><div "
     "role=search>find</div><p>kept</p>",
     "|b|shown\n|b|kept"},
};

static void
test_html(void)
{
    check_cases(html_cases, sizeof html_cases / sizeof html_cases[0],
                CM_FMT_HTML, "html");
}

static void
test_html_details(void)
{
    cm_doc *d;

    /* A cell whose text a note after a rule took: the row keeps what it
     * had, the note only its own text (the blank-cell test once cut the
     * buffer back to the cell's start, past its end, and the note read
     * the row's old bytes after a NUL; found by fuzz_doc). */
    d = parse("<table><tr><td>long text here</td><td><hr><p>1. x</p></td>"
              "</tr></table>", CM_FMT_HTML);
    ok(d != NULL && d->n_paras == 2 &&
           strcmp(d->paras[1].label, "1") == 0 &&
           d->paras[1].text_len == 1 && strcmp(d->paras[1].text, "x") == 0,
       "a note inside a table cell: its own text only");
    is_str(d && d->n_paras > 0 ? d->paras[0].text : "", "long text here",
           "  the row it cut short: without the cell's separator");
    cm_doc_free(d);

    d = parse("<html><head><title>Doc. 11549 | PACE</title></head><body>"
              "<p>Doc. 11549</p><p>28 March 2008</p>"
              "<h1>Activities of the IOM</h1><p>The Assembly<sup>1</sup> "
              "notes.</p></body></html>", CM_FMT_HTML);
    ok(d != NULL, "html details: parses");
    if (d != NULL) {
        is_str(d->title, "Activities of the IOM", "a heading is the title");
        is_str(d->number, "Doc. 11549", "the number");
        is_str(d->date, "2008-03-28", "the date");
        ok(d->n_paras == 4 && strcmp(refs_of(&d->paras[3]), "fn-1") == 0,
           "the footnote mark is a reference (%s)",
           d->n_paras == 4 ? refs_of(&d->paras[3]) : "");
        is_str(d->paras[3].heading, "Activities of the IOM",
               "the paragraph's heading");
    }
    cm_doc_free(d);
    d = parse("<p><sup>3</sup> A note that starts with its mark.</p>",
              CM_FMT_HTML);
    ok(d != NULL && d->n_paras == 1 &&
           strcmp(refs_of(&d->paras[0]), "fn-3") == 0,
       "a mark first in its paragraph is kept");
    cm_doc_free(d);
    d = parse("<title> Written  declaration </title><p>We, the "
              "undersigned</p>", CM_FMT_HTML);
    ok(d != NULL && strcmp(d->title, "Written declaration") == 0,
       "no heading: the <title> is the title");
    cm_doc_free(d);
    is_int(cm_doc_format_of("a/b.HTML"), CM_FMT_HTML, ".HTML");
    is_int(cm_doc_format_of("a/b.htm"), CM_FMT_HTML, ".htm");
    is_int(cm_doc_format_of("b.xhtml"), CM_FMT_HTML, ".xhtml");
    is_int(cm_doc_format_of("b.html~"), CM_FMT_AUTO, ".html~");
    {
        /* 10,000 nested elements: libxml2 builds the tree to a depth of
         * 256; what it built is read, without recursing that deep. */
        char *s = repeat("<div><span>", 10000, "deep text");
        double t0 = now();
        d = parse(s, CM_FMT_HTML);
        ok(d != NULL && check_model(d) == NULL && now() - t0 < 5,
           "10,000 levels of nesting (%.2f s)", now() - t0);
        cm_doc_free(d);
        free(s);
        s = repeat("<ol><li>x", 3000, "");
        d = parse(s, CM_FMT_HTML);
        ok(d != NULL, "3,000 nested lists");
        cm_doc_free(d);
        free(s);
    }
}

/* ---- PDF ------------------------------------------------------------- */

/* A PDF drawn with cairo: lines of text at given places, in points from
 * the top of an A4 page. */
typedef struct {
    int page;        /* from 0 */
    double x, y;     /* the baseline's start */
    double size;     /* of the type */
    const char *text;
} pdf_text;

static cairo_status_t
pdf_write(void *ctx, const unsigned char *data, unsigned int len)
{
    cm_status st = CM_OK;
    cm_buf_add(&st, ctx, data, len);
    return st == CM_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static char *
make_pdf_titled(const pdf_text *t, size_t n, const char *title, size_t *len)
{
    cm_buf b = CM_BUF_INIT(0);
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(pdf_write, &b, 595, 842);
    cairo_t *cr = cairo_create(s);
    int page = 0;
    size_t i;

    if (title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);

    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    for (i = 0; i < n; i++) {
        while (page < t[i].page) {
            cairo_show_page(cr);
            page++;
        }
        cairo_set_font_size(cr, t[i].size);
        cairo_move_to(cr, t[i].x, t[i].y);
        cairo_show_text(cr, t[i].text);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    *len = b.len;
    return b.data;
}

static char *
make_pdf(const pdf_text *t, size_t n, size_t *len)
{
    return make_pdf_titled(t, n, NULL, len);
}

static cm_doc *
parse_pdf(const pdf_text *t, size_t n, char **err)
{
    size_t len = 0;
    char *pdf = make_pdf(t, n, &len);
    cm_doc *d = NULL;

    *err = NULL;
    if (pdf == NULL || cm_doc_parse("t.pdf", pdf, len, CM_FMT_PDF, &d, err) !=
                           CM_OK)
        d = NULL;
    free(pdf);
    return d;
}

static const pdf_text pdf_report[] = {
    /* a running head and a page number on each page */
    {0, 60, 40, 8, "Doc. 14302 - Migrants as actors of co-development"},
    {0, 60, 100, 18, "Migrants as actors"},
    {0, 60, 130, 14, "Summary"},
    {0, 60, 160, 10, "1. The Assembly recalls that migration, when it is"},
    {0, 60, 172, 10, "safe, benefits countries of origin and destination"},
    {0, 60, 184, 10, "alike."},
    {0, 60, 210, 10, "2. Diaspora communities send home sums that exceed"},
    {0, 60, 222, 10, "official develop-"},
    {0, 60, 234, 10, "ment assistance, and they"},
    {0, 60, 800, 10, "1"},
    {1, 60, 40, 8, "Doc. 14302 - Migrants as actors of co-development"},
    {1, 60, 100, 10, "transfer knowledge and democratic practices."},
    {1, 60, 126, 10, "3. A third paragraph."},
    {1, 60, 138, 10, "And its second line."},
    {1, 60, 164, 14, "Appendix"},
    {1, 60, 190, 10, "4. In the appendix."},
    {1, 60, 700, 7, "1 A footnote in small type."},
    {1, 60, 800, 10, "2"},
};

/* First lines indented, paragraphs without a gap; then a hanging
 * indent. */
static const pdf_text pdf_indents[] = {
    {0, 80, 100, 10, "The first paragraph starts indented and"},
    {0, 60, 112, 10, "goes on at the margin."},
    {0, 80, 124, 10, "The second one starts indented"},
    {0, 60, 136, 10, "too."},
    {0, 60, 170, 10, "1. A hanging indent: the number at the"},
    {0, 75, 182, 10, "margin, the rest of the paragraph under"},
    {0, 75, 194, 10, "its text."},
    {0, 60, 220, 10, "2. And the next one."},
};

/* A treaty set side by side, English and French in the two cells of a
 * table's rows, as a browser prints one: poppler reads each cell in turn
 * but gives the last line of the left one and the first of the right one
 * as one line. */
static const pdf_text pdf_sides[] = {
    {0, 40, 80, 14, "Article 1"},
    {0, 40, 100, 10, "Each Party shall guarantee the right of"},
    {0, 40, 114, 10, "everyone to have access, on request, to"},
    {0, 40, 128, 10, "official documents held by public"},
    {0, 40, 142, 10, "authorities."},
    {0, 310, 80, 14, "Article 1"},
    {0, 310, 100, 10, "Chaque Partie garantit le droit de toute"},
    {0, 310, 114, 10, "personne d'acc\xC3\xA9" "der, \xC3\xA0 sa demande, aux"},
    {0, 310, 128, 10, "documents publics."},
};

static void
test_pdf(void)
{
    static const pdf_text blank[] = {{0, 60, 100, 10, " "}};
    char *err = NULL, *r;
    cm_doc *d = parse_pdf(pdf_report, sizeof pdf_report / sizeof pdf_report[0],
                          &err);

    if (!ok(d != NULL, "pdf: parses (%s)", err ? err : "ok")) {
        free(err);
        return;
    }
    r = render(d);
    is_str(r, "|h|Migrants as actors\n"
              "|h|Summary\n"
              "1.|b|The Assembly recalls that migration, when it is safe, "
              "benefits countries of origin and destination alike.\n"
              "2.|b|Diaspora communities send home sums that exceed official "
              "develop-ment assistance, and they transfer knowledge and "
              "democratic practices.\n"
              "3.|b|A third paragraph. And its second line.\n"
              "|h|Appendix\n"
              "4.|a|In the appendix.\n"
              "1|f|A footnote in small type.",
           "pdf: paragraphs, headings, heads and feet out, a page crossed");
    ok(check_model(d) == NULL, "pdf: the model holds");
    {
        /* The page each starts on: paragraph 2 goes on over the break. */
        static const unsigned want[] = {1, 1, 1, 1, 2, 2, 2, 2};
        size_t i, bad = 0;
        for (i = 0; i < d->n_paras && i < 8; i++)
            bad += d->paras[i].page != want[i];
        ok(d->n_paras == 8 && bad == 0,
           "pdf: each paragraph's page, the one it starts on");
    }
    is_str(d->title, "Migrants as actors", "pdf: the first heading titles");
    is_str(d->paras[1].heading, "Migrants as actors",
           "pdf: a smaller heading is under the bigger one");
    free(r);
    cm_doc_free(d);
    free(err);
    d = parse_pdf(pdf_sides, sizeof pdf_sides / sizeof pdf_sides[0], &err);
    r = d ? render(d) : NULL;
    is_str(r ? r : err,
           "|h|Article 1 Article 1\n"
           "|b|Each Party shall guarantee the right of everyone to have "
           "access, on request, to official documents held by public "
           "authorities.\n"
           "|b|Chaque Partie garantit le droit de toute personne "
           "d'acc\xC3\xA9" "der, \xC3\xA0 sa demande, aux documents publics.",
           "pdf: two languages side by side: each column its paragraph");
    free(r);
    cm_doc_free(d);
    free(err);
    err = NULL;

    d = parse_pdf(pdf_indents, sizeof pdf_indents / sizeof pdf_indents[0],
                  &err);
    r = d ? render(d) : NULL;
    is_str(r, "|b|The first paragraph starts indented and goes on at the "
              "margin.\n"
              "|b|The second one starts indented too.\n"
              "1.|b|A hanging indent: the number at the margin, the rest of "
              "the paragraph under its text.\n"
              "2.|b|And the next one.",
           "pdf: first-line indents and a hanging indent");
    free(r);
    cm_doc_free(d);
    free(err);
    {
        /* No heading: the PDF's Title, its control characters spaces. */
        static const pdf_text plain[] = {{0, 60, 100, 10, "We, the "
                                                          "undersigned"}};
        size_t len = 0;
        char *pdf = make_pdf_titled(plain, 1, " Written\tdeclaration\x01 "
                                    "No. 489 ", &len);
        cm_status st;
        d = NULL;
        err = NULL;
        st = pdf != NULL ? cm_doc_parse("t.pdf", pdf, len, CM_FMT_PDF, &d,
                                        &err)
                         : CM_ENOMEM;
        ok(st == CM_OK && d != NULL &&
               strcmp(d->title, "Written declaration No. 489") == 0,
           "pdf without heading: its Title (%s)", d ? d->title : "");
        cm_doc_free(d);
        free(err);
        free(pdf);
    }
    d = parse_pdf(blank, 1, &err);
    ok(d == NULL && err != NULL && strstr(err, "no text in the PDF"),
       "pdf without text: refused (%s)", err ? err : "");
    free(err);
    {
        size_t len = 0;
        char *pdf = make_pdf(pdf_report, 3, &len);
        cm_status st;
        err = NULL;
        st = cm_doc_parse("t.pdf", pdf, len / 2, CM_FMT_PDF, &d, &err);
        ok(st == CM_OK || (st == CM_EPARSE && err != NULL &&
                           strstr(err, "PDF") != NULL),
           "pdf cut in half: read or refused (%s)", err ? err : "read");
        cm_doc_free(d);
        free(err);
        err = NULL;
        free(pdf);
    }
    d = NULL;
    is_int(cm_doc_parse("t.pdf", "%PDF-1.4\ngarbage\n", 17, CM_FMT_PDF, &d,
                        &err),
           CM_EPARSE, "garbage: refused");
    ok(err != NULL && strncmp(err, "not a PDF that can be read", 26) == 0,
       "  with the reason (%s)", err ? err : "");
    free(err);
    err = NULL;
    is_int(cm_doc_parse("t.pdf", "", 0, CM_FMT_PDF, &d, &err), CM_OK,
           "an empty file: no paragraph");
    ok(d != NULL && d->n_paras == 0, "  none");
    cm_doc_free(d);
    free(err);
    is_int(cm_doc_format_of("a/B.PDF"), CM_FMT_PDF, ".PDF");
}

/* cairo keeps the fonts it drew the PDFs with, and fontconfig its
 * configuration: both let go, for the leak checker.  (fontconfig is
 * cairo's library, not linked here: FcFini is looked up.) */
static void
release_fonts(void)
{
    void (*fc_fini)(void);

    cairo_debug_reset_static_data();
    *(void **)&fc_fini = dlsym(RTLD_DEFAULT, "FcFini");
    if (fc_fini != NULL)
        fc_fini();
}

/* ---- Word (.docx) ---------------------------------------------------- */

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/" \
             "2006/main\""

typedef struct {
    const char *name, *xml;
} zip_part;

/* A zip of parts, written with libzip to a file and read back. */
static char *
make_zip(const zip_part *parts, size_t n, size_t *len)
{
    char path[] = "/tmp/cm-docx-XXXXXX.docx";
    int fd = mkstemps(path, 5), err = 0;
    zip_t *z;
    char *data = NULL, *why = NULL;
    size_t i;

    if (fd < 0)
        return NULL;
    close(fd);
    z = zip_open(path, ZIP_TRUNCATE, &err);
    for (i = 0; z != NULL && i < n; i++) {
        zip_source_t *src =
            zip_source_buffer(z, parts[i].xml, strlen(parts[i].xml), 0);
        if (src == NULL || zip_file_add(z, parts[i].name, src, 0) < 0)
            zip_source_free(src);
    }
    if (z != NULL && zip_close(z) == 0 &&
        cm_doc_read_file(path, 0, &data, len, &why) != CM_OK)
        data = NULL;
    free(why);
    unlink(path);
    return data;
}

/* The zip of parts parsed as fmt (a .docx, an .odt). */
static cm_doc *
parse_zip(const zip_part *parts, size_t n, cm_format fmt, char **err)
{
    size_t len = 0;
    char *data = make_zip(parts, n, &len);
    cm_doc *d = NULL;

    *err = NULL;
    if (data == NULL || cm_doc_parse(fmt == CM_FMT_ODT ? "t.odt" : "t.docx",
                                     data, len, fmt, &d, err) != CM_OK)
        d = NULL;
    free(data);
    return d;
}

static cm_doc *
parse_docx(const zip_part *parts, size_t n, char **err)
{
    return parse_zip(parts, n, CM_FMT_DOCX, err);
}

#define P(t) "<w:p><w:r><w:t xml:space=\"preserve\">" t "</w:t></w:r></w:p>"
#define PS(s, t) "<w:p><w:pPr><w:pStyle w:val=\"" s "\"/></w:pPr><w:r>" \
    "<w:t>" t "</w:t></w:r></w:p>"
#define PN(id, lvl, t) "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" lvl "\"/>" \
    "<w:numId w:val=\"" id "\"/></w:numPr></w:pPr><w:r><w:t>" t \
    "</w:t></w:r></w:p>"

static const char docx_body[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " W_NS "><w:body>"
    P("Doc. 14700") P("12 March 2019")
    PS("Heading1", "Protection of journalists") PS("Heading2", "Resolution")
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
    "</w:numPr></w:pPr><w:r><w:t>The Assembly recalls</w:t></w:r><w:r>"
    "<w:footnoteReference w:id=\"7\"/></w:r><w:r><w:t xml:space=\"preserve\">"
    " that journalism matters.</w:t></w:r></w:p>"
    PN("1", "0", "It calls on member states to:")
    PN("1", "1", "protect journalists;") PN("1", "1", "investigate.")
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
    "</w:numPr></w:pPr><w:r><w:t>It resolves to follow the question."
    "</w:t></w:r><w:r><w:endnoteReference w:id=\"7\"/></w:r></w:p>"
    PN("2", "0", "First of a list that starts at 5.")
    PN("3", "0", "Lettered a.") PN("3", "0", "Lettered b.")
    PN("3", "1", "Roman i.") PN("3", "1", "Roman ii.") PN("3", "0", "c again.")
    PN("4", "0", "A bullet.")
    "<w:tbl><w:tr><w:tc>" P("Country") "</w:tc><w:tc>" P("Cases")
    "</w:tc></w:tr><w:tr><w:tc>" P("Malta") "</w:tc><w:tc>" P("")
    "</w:tc><w:tc>" P("1") "</w:tc></w:tr></w:tbl>"
    "<w:p><w:r><w:t xml:space=\"preserve\">kept </w:t></w:r><w:del><w:r>"
    "<w:delText>deleted </w:delText></w:r></w:del><w:ins><w:r><w:t>inserted"
    "</w:t></w:r></w:ins><w:moveFrom w:id=\"1\"><w:r><w:t>moved away"
    "</w:t></w:r></w:moveFrom><w:moveTo w:id=\"2\"><w:r><w:t "
    "xml:space=\"preserve\"> moved</w:t></w:r></w:moveTo><w:r><w:instrText>"
    " PAGE </w:instrText></w:r><w:r>"
    "<w:tab/><w:t>tab</w:t><w:noBreakHyphen/><w:t>hyphen</w:t><w:ptab "
    "w:relativeTo=\"margin\" w:alignment=\"right\" w:leader=\"none\"/>"
    "<w:t>ptab</w:t></w:r></w:p>"
    "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
    P("Click or tap here to enter text.") "</w:sdtContent></w:sdt>"
    "<w:sdt><w:sdtPr><w:alias w:val=\"Rapporteur\"/></w:sdtPr><w:sdtContent>"
    P("Rapporteur: Ms Smith") "</w:sdtContent></w:sdt>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Filled: </w:t></w:r><w:sdt>"
    "<w:sdtPr><w:showingPlcHdr w:val=\"true\"/></w:sdtPr><w:sdtContent><w:r>"
    "<w:t>Enter a date.</w:t></w:r></w:sdtContent></w:sdt><w:sdt><w:sdtPr>"
    "<w:showingPlcHdr w:val=\"0\"/></w:sdtPr><w:sdtContent><w:r><w:t>"
    "12 March</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    PS("Heading2", "Appendix") P("In the appendix.")
    "<w:sectPr/></w:body></w:document>";

static const char docx_styles[] =
    "<w:styles " W_NS "><w:style w:type=\"paragraph\" w:styleId=\"Heading1\">"
    "<w:name w:val=\"heading 1\"/></w:style><w:style w:type=\"paragraph\" "
    "w:styleId=\"Heading2\"><w:name w:val=\"Intertitle\"/><w:basedOn "
    "w:val=\"Heading1\"/><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr>"
    "</w:style></w:styles>";

static const char docx_numbering[] =
    "<w:numbering " W_NS "><w:abstractNum w:abstractNumId=\"0\"><w:lvl "
    "w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
    "<w:lvlText w:val=\"%1.\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start "
    "w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText "
    "w:val=\"%1.%2.\"/></w:lvl></w:abstractNum><w:abstractNum "
    "w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
    "<w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"%1)\"/></w:lvl>"
    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt "
    "w:val=\"lowerRoman\"/><w:lvlText w:val=\"(%2)\"/></w:lvl>"
    "</w:abstractNum><w:abstractNum w:abstractNumId=\"2\"><w:lvl "
    "w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"o\"/>"
    "</w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId "
    "w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/>"
    "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/>"
    "</w:lvlOverride></w:num><w:num w:numId=\"3\"><w:abstractNumId "
    "w:val=\"1\"/></w:num><w:num w:numId=\"4\"><w:abstractNumId "
    "w:val=\"2\"/></w:num></w:numbering>";

static const char docx_notes[] =
    "<w:footnotes " W_NS "><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p>"
    "<w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"7\">"
    "<w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> See "
    "CM/Rec(2016)4.</w:t></w:r></w:p></w:footnote></w:footnotes>";

/* An endnote of the same id as the footnote (the parts number apart), of
 * two paragraphs. */
static const char docx_endnotes[] =
    "<w:endnotes " W_NS "><w:endnote w:type=\"separator\" w:id=\"-1\"><w:p>"
    "<w:r><w:separator/></w:r></w:p></w:endnote><w:endnote w:id=\"7\">"
    "<w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> Adopted "
    "unanimously.</w:t></w:r></w:p><w:p><w:r><w:t>By 50 votes.</w:t></w:r>"
    "</w:p></w:endnote></w:endnotes>";

static void
test_docx(void)
{
    const zip_part parts[] = {{"word/document.xml", docx_body},
                              {"word/styles.xml", docx_styles},
                              {"word/numbering.xml", docx_numbering},
                              {"word/footnotes.xml", docx_notes},
                              {"word/endnotes.xml", docx_endnotes}};
    const zip_part no_heading[] = {
        {"word/document.xml", "<w:document " W_NS "><w:body>"
         P("We, the undersigned") "</w:body></w:document>"},
        {"docProps/core.xml", "<cp:coreProperties xmlns:cp=\"urn:cp\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title> Written "
         " declaration </dc:title></cp:coreProperties>"}};
    const zip_part bad_xml[] = {{"word/document.xml", "<w:document " W_NS
                                 "><w:body><w:p>"}};
    const zip_part no_body[] = {{"word/other.xml", "<x/>"}};
    char *err = NULL, *r, *big;
    cm_doc *d = parse_docx(parts, 5, &err);

    if (!ok(d != NULL, "docx: parses (%s)", err ? err : "ok")) {
        free(err);
        return;
    }
    r = render(d);
    is_str(r, "|b|Doc. 14700\n"
              "|b|12 March 2019\n"
              "|h|Protection of journalists\n"
              "|h|Resolution\n"
              "1.|b|The Assembly recalls that journalism matters.\n"
              "2.|b|It calls on member states to:\n"
              "2.1.|b|protect journalists;\n"
              "2.2.|b|investigate.\n"
              "3.|b|It resolves to follow the question.\n"
              "5.|b|First of a list that starts at 5.\n"
              "a)|b|Lettered a.\n"
              "b)|b|Lettered b.\n"
              "(i)|b|Roman i.\n"
              "(ii)|b|Roman ii.\n"
              "c)|b|c again.\n"
              "|b|A bullet.\n"
              "|b|Country | Cases\n"
              "|b|Malta | 1\n"
              "|b|kept inserted moved tab-hyphen ptab\n"
              "|b|Rapporteur: Ms Smith\n"
              "|b|Filled: 12 March\n"
              "|h|Appendix\n"
              "|a|In the appendix.\n"
              "1|f|See CM/Rec(2016)4.\n"
              "2|f|Adopted unanimously. By 50 votes.",
           "docx: styles, numbering, tables, changes, notes, an endnote");
    ok(check_model(d) == NULL, "docx: the model holds");
    is_str(d->title, "Protection of journalists", "docx: the title");
    is_str(d->number, "Doc. 14700", "docx: the number");
    is_str(d->date, "2019-03-12", "docx: the date");
    ok(d->n_paras > 4 && strcmp(refs_of(&d->paras[4]), "fn-1") == 0,
       "docx: the note's mark, numbered by order of reference");
    ok(d->n_paras > 8 && strcmp(refs_of(&d->paras[8]), "fn-2") == 0,
       "docx: the endnote's mark follows the footnote's (%s)",
       d->n_paras > 8 ? refs_of(&d->paras[8]) : "");
    free(r);
    cm_doc_free(d);
    free(err);

    d = parse_docx(no_heading, 2, &err);
    ok(d != NULL && strcmp(d->title, "Written declaration") == 0,
       "docx without heading: core.xml's title");
    cm_doc_free(d);
    free(err);
    {
        /* A table of contents (a field over three paragraphs, a
         * hyperlink field in it) and an index (w:fldSimple): copies, not
         * text; a hyperlink outside them is read. */
        const zip_part toc[] = {{"word/document.xml",
            "<w:document " W_NS "><w:body><w:p><w:r><w:fldChar "
            "w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o "
            "&quot;1-3&quot; </w:instrText></w:r><w:r><w:fldChar "
            "w:fldCharType=\"separate\"/></w:r><w:r><w:fldChar "
            "w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>HYPERLINK "
            "\\l _Toc1</w:instrText></w:r><w:r><w:fldChar "
            "w:fldCharType=\"separate\"/></w:r><w:r><w:t>Aims</w:t><w:tab/>"
            "<w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/>"
            "</w:r></w:p>" P("Scope 2") "<w:p><w:r><w:t>Annex 3</w:t></w:r>"
            "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
            "<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>Aims"
            "</w:t></w:r></w:p>"
            "<w:p><w:r><w:t xml:space=\"preserve\">See </w:t></w:r><w:r>"
            "<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>"
            " HYPERLINK \"http://x\" </w:instrText></w:r><w:r><w:fldChar "
            "w:fldCharType=\"separate\"/></w:r><w:r><w:t>the site</w:t>"
            "</w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
            "<w:p><w:fldSimple w:instr=\" INDEX \\e \"><w:r><w:t>Water, 2"
            "</w:t></w:r></w:fldSimple></w:p>"
            "<w:p><w:fldSimple w:instr=\" DATE \"><w:r><w:t>1 May</w:t>"
            "</w:r></w:fldSimple></w:p></w:body></w:document>"}};
        d = parse_docx(toc, 1, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|h|Aims\n|b|See the site\n|b|1 May",
               "docx: a table of contents and an index are not text");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* Hidden text (w:vanish): by the run, by its character style
         * (based on a hidden one), by the paragraph's style, switched off
         * again by a run; a hidden field's characters still followed (the
         * TOC begun in a hidden run ends in one, its result not text);
         * a table cell and a note with hidden runs. */
        const zip_part hid[] = {{"word/document.xml",
            "<w:document " W_NS "><w:body><w:p><w:r><w:t xml:space="
            "\"preserve\">shown </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr>"
            "<w:t>secret </w:t><w:footnoteReference w:id=\"1\"/></w:r><w:r>"
            "<w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t xml:space="
            "\"preserve\">again </w:t></w:r><w:r><w:rPr><w:rStyle w:val="
            "\"Sub\"/></w:rPr><w:t>styled</w:t></w:r><w:r><w:t>end</w:t>"
            "</w:r><w:r><w:footnoteReference w:id=\"2\"/></w:r></w:p>"
            "<w:p><w:pPr><w:pStyle w:val=\"Hid\"/></w:pPr><w:r><w:t>a "
            "hidden paragraph</w:t></w:r></w:p>"
            "<w:p><w:pPr><w:pStyle w:val=\"Hid\"/></w:pPr><w:r><w:rPr>"
            "<w:vanish w:val=\"false\"/></w:rPr><w:t>shown in a hidden "
            "style</w:t></w:r></w:p>"
            "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="
            "\"begin\"/><w:instrText> TOC </w:instrText><w:fldChar "
            "w:fldCharType=\"separate\"/></w:r><w:r><w:t>Entry 1</w:t>"
            "</w:r><w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="
            "\"end\"/></w:r><w:r><w:t>after</w:t></w:r></w:p>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r><w:r><w:rPr>"
            "<w:vanish/></w:rPr><w:t>, hidden</w:t></w:r></w:p></w:tc><w:tc>"
            "<w:p><w:pPr><w:pStyle w:val=\"Hid\"/></w:pPr><w:r><w:t>"
            "hidden cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            "<w:p><w:r><w:t>Anchor.</w:t></w:r><w:r><mc:AlternateContent "
            "xmlns:mc=\"http://schemas.openxmlformats.org/markup-"
            "compatibility/2006\"><mc:Choice Requires=\"wps\"><w:drawing>"
            "<wp:anchor xmlns:wp=\"urn:wp\"><a:graphic xmlns:a=\"urn:a\">"
            "<a:graphicData><wps:wsp xmlns:wps=\"urn:wps\"><wps:txbx>"
            "<w:txbxContent><w:p><w:r><w:t>Boxed one</w:t></w:r></w:p><w:p>"
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r>"
            "<w:t>two</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>"
            "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
            "<mc:Fallback><w:pict><v:shape xmlns:v=\"urn:v\"><v:textbox>"
            "<w:txbxContent><w:p><w:r><w:t>Boxed one</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r></w:p>"
            "</w:body></w:document>"},
            {"word/styles.xml", "<w:styles " W_NS "><w:style w:type="
             "\"character\" w:styleId=\"Base\"><w:rPr><w:vanish/></w:rPr>"
             "</w:style><w:style w:type=\"character\" w:styleId=\"Sub\">"
             "<w:basedOn w:val=\"Base\"/></w:style><w:style w:type="
             "\"paragraph\" w:styleId=\"Hid\"><w:rPr><w:vanish/></w:rPr>"
             "</w:style></w:styles>"},
            {"word/footnotes.xml", "<w:footnotes " W_NS "><w:footnote "
             "w:id=\"1\"><w:p><w:r><w:t>Note of hidden text.</w:t></w:r>"
             "</w:p></w:footnote><w:footnote w:id=\"2\"><w:p><w:r><w:t>"
             "Note</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t> with a "
             "hidden part</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p>"
             "</w:footnote></w:footnotes>"}};
        d = parse_docx(hid, 3, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|b|shown again end\n|b|shown in a hidden style\n"
               "|b|after\n|b|cell\n|b|Anchor. Boxed one two\n1|f|Note.",
               "docx: hidden text is not read; a text box's text (not its "
               "fallback copy) joined to its paragraph");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    d = parse_docx(bad_xml, 1, &err);
    ok(d == NULL && err && strstr(err, "damaged Word document "
                                       "(word/document.xml is not "
                                       "well-formed XML)"),
       "docx of broken XML: refused (%s)", err ? err : "");
    free(err);
    d = parse_docx(no_body, 1, &err);
    ok(d == NULL && err && strstr(err, "no word/document.xml"),
       "a zip without a body: refused (%s)", err ? err : "");
    free(err);
    err = NULL;
    is_int(cm_doc_parse("t.docx", "PK\3\4 not really", 15, CM_FMT_DOCX, &d,
                        &err), CM_EPARSE, "not a zip: refused");
    ok(err && strstr(err, "not a zip file"), "  with the reason (%s)",
       err ? err : "");
    free(err);
    /* 20 MB of one byte, a few KB zipped: over 100 times the file. */
    big = malloc(20 << 20);
    if (big != NULL) {
        zip_part bomb[1] = {{"word/document.xml", big}};
        memset(big, ' ', (20 << 20) - 1);
        big[(20 << 20) - 1] = '\0';
        d = parse_docx(bomb, 1, &err);
        ok(d == NULL && err && strstr(err, "too large unpacked"),
           "a zip bomb: refused (%s)", err ? err : "");
        free(err);
        free(big);
    }
    is_int(cm_doc_format_of("a/B.DOCX"), CM_FMT_DOCX, ".DOCX");
}

/* ---- Word 97-2003 (.doc) --------------------------------------------- */

/* A .doc made here with libgsf's OLE2 writer: a FIB, the text in one
 * piece of UTF-16 (or of Windows-1252 bytes), styles whose istd i is
 * "heading i" (1-9) and istd 10 "Title", one FKP page of paragraph
 * properties and the footnotes' PlcffndTxt.  In main and notes, \r ends a
 * paragraph, \a a cell, \x13 \x14 \x15 make fields and \x02 is a note's
 * mark; props has a letter per paragraph or cell mark: n normal, 1-9 a
 * heading style, T the Title style, o outline level 1 (a heading 2) set
 * on the paragraph, c in a table, r a table row's end, and automatic
 * numbering: A and B levels 1 and 2 of a list "1." / "1.1." (its LFO
 * restarts level 1 at 4 when start4 is set), L a list "a)", X bullets;
 * paragraph styles that say what the paragraph does not: N the style
 * "Para Num" (list A's level 1), S "Para Sub" (based on it, level 2), Z
 * Para Num with the numbering taken off the paragraph (ilfo 0), H a
 * custom style of outline level 1 (a heading 2), b Heading 1 set to body
 * text on the paragraph. */
typedef struct {
    const char *main, *notes, *props, *title;
    const uint32_t *note_cps; /* PlcffndTxt's CPs, or NULL */
    size_t n_note_cps;
    int bytes;    /* 1: Windows-1252 (main is Latin-1 here); else UTF-16 */
    unsigned nfib;  /* 0: Word 97's */
    unsigned flags; /* the FIB's flags (0x0100 encrypted) */
    uint32_t ccp_extra; /* added to ccpText: text past the stream */
    int bad_clx;  /* the Clx pointed past the table stream */
    const char *stream; /* the Word stream's name, NULL: WordDocument */
    int big_sectors;    /* sectors of 4096 bytes (version 4) */
    int two_pieces;     /* the text in two pieces */
    int start4;         /* list A/B's LFO starts its first level at 4 */
    /* Text of main (ASCII) whose characters a CHPX marks deleted in
     * tracked changes (sprmCFRMarkDel) or hidden (sprmCFVanish). */
    const char *deleted, *hidden;
    /* The text box story (after the notes), cut by PlcftxbxTxt's CPs
     * (box_cps; the box reusable_box, 1-based, marked no longer used),
     * and the shapes of main's \x08 characters: PlcSpaMom gives the k-th
     * the id 1025 + k, and the main text's OfficeArt drawing gives that
     * shape the text box whose index is the digit shows[k] (by its
     * properties' lTxid, or by an OfficeArtClientTextbox for an odd k);
     * shows NULL: no drawing. */
    const char *txbx;
    const uint32_t *box_cps;
    size_t n_box_cps;
    int reusable_box;
    const char *shows;
    /* Text of main (ASCII) whose CHPX says it is shown (sprmCFVanish 0),
     * and text of the character style "Secret" (sprmCIstd 15), which
     * hides its text; props letter V: the paragraph style "Hidden" (14),
     * which hides its text, W: "Under" (16), based on it. */
    const char *shown, *styled;
} doc_spec;

static void
put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static uint32_t
u32_at(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void
put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

/* An LVL: start, number format, number text (levels as \x00-\x08). */
static size_t
put_lvl(unsigned char *p, long start, unsigned nfc, const char *text,
        size_t n)
{
    size_t i;

    memset(p, 0, 28);
    put32(p, (uint32_t)start);
    p[4] = (unsigned char)nfc;
    p[25] = 2; /* cbGrpprlPapx: two bytes of nothing, skipped */
    put16(p + 30, (unsigned)n);
    for (i = 0; i < n; i++)
        put16(p + 32 + 2 * i, (unsigned char)text[i]);
    return 32 + 2 * n;
}

/* UTF-8 s as UTF-16 units (surrogate pairs past U+FFFF) into u; the
 * count. */
static size_t
utf16(const char *s, unsigned *u, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;

    while (*p && n + 2 < cap) {
        unsigned long c = *p++;
        if (c >= 0xF0) {
            c = (c & 7) << 18 | (p[0] & 0x3Fu) << 12 | (p[1] & 0x3Fu) << 6 |
                (p[2] & 0x3Fu);
            p += 3;
        } else if (c >= 0xE0) {
            c = (c & 15) << 12 | (p[0] & 0x3Fu) << 6 | (p[1] & 0x3Fu);
            p += 2;
        } else if (c >= 0xC0) {
            c = (c & 31) << 6 | (p[0] & 0x3Fu);
            p += 1;
        }
        if (c >= 0x10000) {
            u[n++] = 0xD800 + (unsigned)((c - 0x10000) >> 10);
            u[n++] = 0xDC00 + (unsigned)((c - 0x10000) & 0x3FF);
        } else
            u[n++] = (unsigned)c;
    }
    return n;
}

static char *
make_doc(const doc_spec *sp, size_t *len)
{
    enum { TEXT_AT = 1024 };
    static unsigned char wd[16384], tb[4096];
    unsigned u[4096];
    size_t n_main, n = 0, i, t = 0, wd_n, fkp_at, clx_at, bte_at, sty_at;
    size_t marks[64], n_marks = 0, top, chpx_page = 0, n_tx = 0;
    int bytes = sp->bytes == 1 ? 1 : 2;
    GsfOutput *mem;
    GsfOutfile *ole;
    GsfOutput *s;
    char *out = NULL;

    memset(wd, 0, sizeof wd);
    memset(tb, 0, sizeof tb);
    n_main = utf16(sp->main, u, 3072);
    if (sp->notes != NULL)
        n = utf16(sp->notes, u + n_main, 4096 - n_main);
    if (sp->txbx != NULL)
        n_tx = utf16(sp->txbx, u + n_main + n, 4096 - n_main - n);
    /* The text. */
    for (i = 0; i < n_main + n + n_tx; i++) {
        if (bytes == 1)
            wd[TEXT_AT + i] = (unsigned char)u[i];
        else
            put16(wd + TEXT_AT + 2 * i, u[i]);
        if (i < n_main && (u[i] == 13 || u[i] == 7) && n_marks < 64)
            marks[n_marks++] = i;
    }
    wd_n = TEXT_AT + bytes * (n_main + n + n_tx);
    fkp_at = (wd_n + 511) / 512 * 512;
    /* The FKP: a run per paragraph mark, its PAPX from the end down. */
    {
        unsigned char *f = wd + fkp_at;
        unsigned crun = (unsigned)n_marks;
        size_t prev = 0;
        top = 511;
        f[511] = (unsigned char)crun;
        for (i = 0; i < crun; i++) {
            char k = sp->props && sp->props[i] ? sp->props[i] : 'n';
            unsigned char g[16];
            size_t gl = 2, cb;
            unsigned istd = k >= '1' && k <= '9' ? (unsigned)(k - '0')
                            : k == 'T'          ? 10
                            : k == 'N' || k == 'Z' ? 11
                            : k == 'S'          ? 12
                            : k == 'H'          ? 13
                            : k == 'V'          ? 14
                            : k == 'W'          ? 16
                            : k == 'b'          ? 1
                                                : 0;
            put16(g, istd);
            if (k == 'c' || k == 'r') {
                put16(g + gl, 0x2416);
                g[gl + 2] = 1;
                gl += 3;
            }
            if (k == 'r') {
                put16(g + gl, 0x2417);
                g[gl + 2] = 1;
                gl += 3;
            }
            if (k == 'o' || k == 'b') {
                put16(g + gl, 0x2640);
                g[gl + 2] = k == 'o' ? 1 : 9;
                gl += 3;
            }
            if (k == 'Z') {
                put16(g + gl, 0x460B);
                put16(g + gl + 2, 0);
                gl += 4;
            }
            if (k == 'A' || k == 'B' || k == 'L' || k == 'X') {
                put16(g + gl, 0x460B);
                put16(g + gl + 2, k == 'L' ? 2 : k == 'X' ? 3 : 1);
                put16(g + gl + 4, 0x260A);
                g[gl + 6] = k == 'B';
                gl += 7;
            }
            if (gl % 2 == 0)
                g[gl++] = 0; /* 2 * cb - 1 bytes */
            cb = (gl + 1) / 2;
            top = (top - (gl + 1)) & ~(size_t)1;
            f[top] = (unsigned char)cb;
            memcpy(f + top + 1, g, gl);
            put32(f + 4 * i, (uint32_t)(TEXT_AT + bytes * prev));
            f[4 * (crun + 1) + 13 * i] = (unsigned char)(top / 2);
            prev = marks[i] + 1;
        }
        put32(f + 4 * crun, (uint32_t)(TEXT_AT + bytes * prev));
        wd_n = fkp_at + 512;
    }
    if (sp->deleted != NULL || sp->hidden != NULL || sp->shown != NULL ||
        sp->styled != NULL) {
        /* An FKP page of character properties: runs cut where the deleted,
         * hidden, shown and styled texts start and end, each with its
         * CHPX. */
        const char *ranges[4] = {sp->deleted, sp->hidden, sp->shown,
                                 sp->styled};
        unsigned char *f = wd + wd_n;
        size_t cut[10], nc = 0, k, j;
        cut[nc++] = 0;
        cut[nc++] = n_main + n;
        for (k = 0; k < 4; k++)
            if (ranges[k] != NULL) {
                size_t at = (size_t)(strstr(sp->main, ranges[k]) - sp->main);
                cut[nc++] = at;
                cut[nc++] = at + strlen(ranges[k]);
            }
        for (k = 1; k < nc; k++) /* sorted */
            for (j = k; j > 0 && cut[j - 1] > cut[j]; j--) {
                size_t x = cut[j];
                cut[j] = cut[j - 1];
                cut[j - 1] = x;
            }
        /* CHPX at 500: deleted; at 504: hidden; at 496: shown; at 490:
         * of the style Secret. */
        f[500] = 3;
        put16(f + 501, 0x0800);
        f[503] = 1;
        f[504] = 3;
        put16(f + 505, 0x083C);
        f[507] = 1;
        f[496] = 3;
        put16(f + 497, 0x083C);
        f[499] = 0;
        f[490] = 4;
        put16(f + 491, 0x4A30);
        put16(f + 493, 15);
        f[511] = (unsigned char)(nc - 1);
        for (k = 0; k + 1 < nc; k++) {
            static const unsigned char rgbs[4] = {250, 252, 248, 245};
            unsigned char rgb = 0;
            for (j = 0; j < 4; j++)
                if (ranges[j] != NULL) {
                    size_t at = (size_t)(strstr(sp->main, ranges[j]) -
                                         sp->main);
                    if (cut[k] >= at && cut[k] < at + strlen(ranges[j]))
                        rgb = rgbs[j];
                }
            put32(f + 4 * k, (uint32_t)(TEXT_AT + bytes * cut[k]));
            f[4 * nc + k] = rgb;
        }
        put32(f + 4 * (nc - 1), (uint32_t)(TEXT_AT + bytes * cut[nc - 1]));
        chpx_page = wd_n / 512;
        wd_n += 512;
    }
    /* The table stream: STSH, Clx, PlcBtePapx, PlcffndTxt. */
    sty_at = t;
    put16(tb, 18);          /* cbStshi */
    put16(tb + 2, 17);      /* cstd */
    put16(tb + 4, 10);      /* cbSTDBaseInFile */
    t = 2 + 18;
    for (i = 0; i < 11; i++) {
        put16(tb + t, 10);
        put16(tb + t + 2, i == 10 ? 62 : (unsigned)i);
        t += 12;
    }
    /* Paragraph styles (stk 1) with a name and a PAPX: "Para Num" (list 1,
     * level 0), "Para Sub" based on it (level 1: its list is Para Num's),
     * "Section" (outline level 1; an odd UPX, padded). */
    for (i = 11; i < 17; i++) {
        static const char *const names[] = {"Para Num", "Para Sub",
                                            "Section",  "Hidden",
                                            "Secret",   "Under"};
        const char *nm = names[i - 11];
        size_t nl = strlen(nm), k, at = t + 2;
        unsigned char g[16];
        size_t gl = 2;
        put16(g, (unsigned)i);
        if (i == 11) {
            put16(g + gl, 0x460B);
            put16(g + gl + 2, 1);
            put16(g + gl + 4, 0x260A);
            g[gl + 6] = 0;
            gl += 7;
        } else if (i == 12) {
            put16(g + gl, 0x260A);
            g[gl + 2] = 1;
            gl += 3;
        } else if (i == 13) {
            put16(g + gl, 0x2640);
            g[gl + 2] = 1;
            gl += 3;
        }
        put16(tb + at, 0x0FFE);                        /* sti: a user's */
        put16(tb + at + 2,
              (i == 15 ? 2 : 1) | (i == 12   ? 11
                                   : i == 16 ? 14
                                   : i == 15 ? 0x0FFF
                                             : 0) << 4); /* stk, base */
        at += 10;
        put16(tb + at, (unsigned)nl);
        for (k = 0; k < nl; k++)
            put16(tb + at + 2 + 2 * k, (unsigned char)nm[k]);
        at += 2 + 2 * nl + 2;
        if (i != 15) { /* a paragraph style's PAPX */
            put16(tb + at, (unsigned)gl);
            memcpy(tb + at + 2, g, gl);
            at += 2 + gl + (gl & 1);
        }
        /* The CHPX: sprmCFVanish for Hidden and Secret, else none. */
        if (i == 14 || i == 15) {
            put16(tb + at, 3);
            put16(tb + at + 2, 0x083C);
            tb[at + 4] = 1;
            at += 6;
        } else {
            put16(tb + at, 0);
            at += 2;
        }
        put16(tb + t, (unsigned)(at - t - 2));
        t = at;
    }
    clx_at = t;
    tb[t] = 0x01; /* a Prc, skipped */
    put16(tb + t + 1, 2);
    t += 5;
    tb[t] = 0x02;
    {
        /* One piece, or two that split the text at its middle. */
        size_t np = sp->two_pieces ? 2 : 1, k;
        uint32_t cps[3] = {0, (uint32_t)(n_main + n + n_tx) / 2,
                           (uint32_t)(n_main + n + n_tx)};
        if (np == 1)
            cps[1] = cps[2];
        put32(tb + t + 1, (uint32_t)(4 + 12 * np));
        for (k = 0; k <= np; k++)
            put32(tb + t + 5 + 4 * k, cps[k]);
        for (k = 0; k < np; k++) {
            unsigned char *pcd = tb + t + 5 + 4 * (np + 1) + 8 * k;
            uint32_t fc = (uint32_t)(TEXT_AT + bytes * cps[k]);
            put16(pcd, 0);
            put32(pcd + 2, bytes == 1 ? (fc * 2) | 0x40000000u : fc);
            put16(pcd + 6, 0);
        }
        t += 1 + 4 + 4 * (np + 1) + 8 * np;
    }
    bte_at = t;
    put32(tb + t, (uint32_t)TEXT_AT);
    put32(tb + t + 4, (uint32_t)(TEXT_AT + bytes * (n_main + n)));
    put32(tb + t + 8, (uint32_t)(fkp_at / 512));
    t += 12;
    if (chpx_page != 0) { /* PlcBteChpx */
        put32(wd + 0x9A + 8 * 12, (uint32_t)t);
        put32(wd + 0x9A + 8 * 12 + 4, 12);
        put32(tb + t, (uint32_t)TEXT_AT);
        put32(tb + t + 4, (uint32_t)(TEXT_AT + bytes * (n_main + n)));
        put32(tb + t + 8, (uint32_t)chpx_page);
        t += 12;
    }
    /* The FIB. */
    put16(wd, 0xA5EC);
    put16(wd + 2, sp->nfib ? sp->nfib : 0x00C1);
    put16(wd + 0x0A, sp->flags | 0x0200);
    put16(wd + 0x20, 14);
    put16(wd + 0x3E, 22);
    put32(wd + 0x4C, (uint32_t)n_main + sp->ccp_extra);
    put32(wd + 0x50, (uint32_t)n);
    put32(wd + 0x64, (uint32_t)n_tx); /* ccpTxbx */
    if (sp->box_cps != NULL) { /* PlcftxbxTxt */
        size_t nb = sp->n_box_cps - 1;
        put32(wd + 0x9A + 8 * 56, (uint32_t)t);
        put32(wd + 0x9A + 8 * 56 + 4, (uint32_t)(4 + 26 * nb));
        for (i = 0; i <= nb; i++)
            put32(tb + t + 4 * i, sp->box_cps[i]);
        for (i = 0; i < nb; i++)
            put16(tb + t + 4 * (nb + 1) + 22 * i + 8,
                  (unsigned)(sp->reusable_box == (int)i + 1));
        t += 4 + 26 * nb;
    }
    if (sp->shows != NULL) {
        /* PlcSpaMom, then OfficeArtContent: an empty
         * OfficeArtDggContainer, the main text's drawing (0, then an
         * OfficeArtDgContainer of an OfficeArtSpgrContainer of a shape
         * container per anchor), a header's drawing (1) that shows box 1
         * too, not read. */
        size_t na = 0, k, dg, gr;
        uint32_t cps[16];
        for (i = 0; i < n_main && na < 15; i++)
            if (u[i] == 8)
                cps[na++] = (uint32_t)i;
        cps[na] = (uint32_t)n_main;
        put32(wd + 0x9A + 8 * 40, (uint32_t)t);
        put32(wd + 0x9A + 8 * 40 + 4, (uint32_t)(4 + 30 * na));
        for (k = 0; k <= na; k++)
            put32(tb + t + 4 * k, cps[k]);
        for (k = 0; k < na; k++)
            put32(tb + t + 4 * (na + 1) + 26 * k, 1025 + (uint32_t)k);
        t += 4 + 30 * na;
        put32(wd + 0x9A + 8 * 50, (uint32_t)t);
        put16(tb + t, 0xF);
        put16(tb + t + 2, 0xF000);
        put32(tb + t + 4, 0);
        t += 8;
        tb[t++] = 0;
        dg = t;
        put16(tb + t, 0xF);
        put16(tb + t + 2, 0xF002);
        gr = t + 8;
        put16(tb + gr, 0xF);
        put16(tb + gr + 2, 0xF003);
        t = gr + 8;
        for (k = 0; k < na; k++) {
            uint32_t txid = (uint32_t)(sp->shows[k] - '0' + 1) << 16;
            put16(tb + t, 0xF);
            put16(tb + t + 2, 0xF004);
            put32(tb + t + 4, 16 + 14);
            t += 8;
            put16(tb + t, 0x0002);
            put16(tb + t + 2, 0xF00A);
            put32(tb + t + 4, 8);
            put32(tb + t + 8, 1025 + (uint32_t)k);
            t += 16;
            if (k % 2 == 0) {
                put16(tb + t, 0x0013); /* one property */
                put16(tb + t + 2, 0xF00B);
                put32(tb + t + 4, 6);
                put16(tb + t + 8, 0x0080);
                put32(tb + t + 10, txid);
            } else {
                put16(tb + t, 0x0000);
                put16(tb + t + 2, 0xF00D);
                put32(tb + t + 4, 6);
                put32(tb + t + 8, txid);
            }
            t += 14;
        }
        put32(tb + gr + 4, (uint32_t)(t - gr - 8));
        put32(tb + dg + 4, (uint32_t)(t - dg - 8));
        /* The header's drawing: a shape 1025 showing box 0 (if the
         * reader took it for the main text's, box 0 would be read at the
         * first anchor). */
        tb[t++] = 1;
        put16(tb + t, 0xF);
        put16(tb + t + 2, 0xF002);
        put32(tb + t + 4, 8 + 16 + 14);
        put16(tb + t + 8, 0xF);
        put16(tb + t + 10, 0xF004);
        put32(tb + t + 12, 16 + 14);
        put16(tb + t + 16, 0x0002);
        put16(tb + t + 18, 0xF00A);
        put32(tb + t + 20, 8);
        put32(tb + t + 24, 1025);
        put16(tb + t + 32, 0x0013);
        put16(tb + t + 34, 0xF00B);
        put32(tb + t + 36, 6);
        put16(tb + t + 40, 0x0080);
        put32(tb + t + 42, 0x10000);
        t += 46;
        put32(wd + 0x9A + 8 * 50 + 4,
              (uint32_t)(t - u32_at(wd + 0x9A + 8 * 50)));
    }
    put16(wd + 0x98, 93);
    put32(wd + 0x9A + 8 * 1, (uint32_t)sty_at);
    put32(wd + 0x9A + 8 * 1 + 4, (uint32_t)(clx_at - sty_at));
    if (sp->note_cps != NULL) {
        put32(wd + 0x9A + 8 * 3, (uint32_t)t);
        put32(wd + 0x9A + 8 * 3 + 4, (uint32_t)(4 * sp->n_note_cps));
        for (i = 0; i < sp->n_note_cps; i++, t += 4)
            put32(tb + t, sp->note_cps[i]);
    }
    {
        /* PlfLst: three lists (the LVLs after the LSTFs), PlfLfo: a use
         * of each, the first with a start override. */
        size_t lst_at = t, lfo_at, k;
        put16(tb + t, 3);
        for (k = 0; k < 3; k++) {
            put32(tb + t + 2 + 28 * k, 100 + (uint32_t)k);
            tb[t + 2 + 28 * k + 26] = k == 0 ? 0 : 1; /* fSimpleList */
        }
        t += 2 + 28 * 3;
        t += put_lvl(tb + t, 1, 0, "\x00.", 2);
        t += put_lvl(tb + t, 1, 0, "\x00.\x01.", 4);
        for (k = 2; k < 9; k++)
            t += put_lvl(tb + t, 1, 0, "", 0);
        t += put_lvl(tb + t, 1, 4, "\x00)", 2);
        t += put_lvl(tb + t, 1, 23, "o", 1);
        put32(wd + 0x9A + 8 * 73, (uint32_t)lst_at);
        put32(wd + 0x9A + 8 * 73 + 4, 2 + 28 * 3);
        lfo_at = t;
        put32(tb + t, 3);
        for (k = 0; k < 3; k++) {
            put32(tb + t + 4 + 16 * k, 100 + (uint32_t)k);
            tb[t + 4 + 16 * k + 12] = k == 0 && sp->start4 ? 1 : 0;
        }
        t += 4 + 16 * 3;
        for (k = 0; k < 3; k++) {
            put32(tb + t, 0);
            t += 4;
            if (k == 0 && sp->start4) {
                put32(tb + t, 4);
                put32(tb + t + 4, 0x10); /* level 0, fStartAt */
                t += 8;
            }
        }
        put32(wd + 0x9A + 8 * 74, (uint32_t)lfo_at);
        put32(wd + 0x9A + 8 * 74 + 4, (uint32_t)(t - lfo_at));
    }
    put32(wd + 0x9A + 8 * 13, (uint32_t)bte_at);
    put32(wd + 0x9A + 8 * 13 + 4, 12);
    put32(wd + 0x9A + 8 * 33, sp->bad_clx ? 4000 : (uint32_t)clx_at);
    put32(wd + 0x9A + 8 * 33 + 4, (uint32_t)(bte_at - clx_at));

    mem = gsf_output_memory_new();
    ole = sp->big_sectors ? gsf_outfile_msole_new_full(mem, 4096, 64)
                          : gsf_outfile_msole_new(mem);
    s = gsf_outfile_new_child(ole, sp->stream ? sp->stream : "WordDocument",
                              FALSE);
    gsf_output_write(s, wd_n, wd);
    gsf_output_close(s);
    g_object_unref(s);
    s = gsf_outfile_new_child(ole, "1Table", FALSE);
    gsf_output_write(s, t, tb);
    gsf_output_close(s);
    g_object_unref(s);
    if (sp->title != NULL) {
        GsfDocMetaData *meta = gsf_doc_meta_data_new();
        GValue *v = g_new0(GValue, 1);
        g_value_init(v, G_TYPE_STRING);
        g_value_set_string(v, sp->title);
        gsf_doc_meta_data_insert(meta, g_strdup(GSF_META_NAME_TITLE), v);
        s = gsf_outfile_new_child(ole, "\005SummaryInformation", FALSE);
        gsf_doc_meta_data_write_to_msole(meta, s, FALSE);
        gsf_output_close(s);
        g_object_unref(s);
        g_object_unref(meta);
    }
    gsf_output_close(GSF_OUTPUT(ole));
    g_object_unref(ole);
    *len = (size_t)gsf_output_size(mem);
    out = malloc(*len);
    if (out != NULL)
        memcpy(out, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
               *len);
    g_object_unref(mem);
    return out;
}

static cm_doc *
parse_doc(const doc_spec *sp, char **err)
{
    size_t len = 0;
    char *data = make_doc(sp, &len);
    cm_doc *d = NULL;

    *err = NULL;
    if (data == NULL ||
        cm_doc_parse("t.doc", data, len, CM_FMT_DOC, &d, err) != CM_OK)
        d = NULL;
    free(data);
    return d;
}

static void
doc_refused(const doc_spec *sp, const char *why, const char *name)
{
    char *err = NULL;
    cm_doc *d = parse_doc(sp, &err);

    ok(d == NULL && err != NULL && strstr(err, why) != NULL, "%s (%s)", name,
       err ? err : "parsed");
    cm_doc_free(d);
    free(err);
}

static void
test_doc_word97(void)
{
    static const uint32_t note_cps[] = {0, 21, 36, 37};
    doc_spec sp = {
        "Doc. 14700\r12 March 2019\rProtection of journalists\r"
        "Resolution\r"
        "1. The Assembly\x02 recalls that journalism\xC2\xA0matters.\r"
        "2. It asks \x13 HYPERLINK \"http://x\" \x14the \x13 REF a \x14"
        "" "Committee\x15\x15 to act\x1F" "now\t(non\x1E" "breaking).\r"
        "Country\aCases\a\a"
        "Malta\a\a1\a\a"
        "Emoji \xF0\x9F\x98\x80 here\x02.\r"
        "Appendix\r"
        "In the appendix.\r",
        "\x02 See CM/Rec(2016)4.\r\x02 Second\rnote.\r\r",
        "nn1onnccrcccrn2n", NULL, note_cps, 4, 2, 0, 0, 0, 0, NULL, 0, 0, 0,
        NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
    doc_spec latin = {NULL, NULL, "Tn", NULL, NULL, 0, 1, 0, 0,
                      0,    0,    NULL, 0, 0, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
    doc_spec untitled = {"We, the undersigned\r", NULL, "n",
                         "  Written \n declaration ", NULL, 0, 2, 0, 0,
                         0, 0, NULL, 0, 0, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
    doc_spec fallback = {"A\x02 b.\rC\x02 d.\r", "\x02 One.\r\x02 Two.\r",
                         "nn", NULL, NULL, 0, 2, 0, 0, 0, 0, NULL, 0, 0, 0,
                         NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
    doc_spec bad = sp;
    char *err = NULL, *r;
    cm_doc *d;
    size_t i;

    d = parse_doc(&sp, &err);
    if (!ok(d != NULL, "doc: parses (%s)", err ? err : "ok")) {
        free(err);
        return;
    }
    r = render(d);
    is_str(r, "|b|Doc. 14700\n"
              "|b|12 March 2019\n"
              "|h|Protection of journalists\n"
              "|h|Resolution\n"
              "1.|b|The Assembly recalls that journalism matters.\n"
              "2.|b|It asks the Committee to actnow (non-breaking).\n"
              "|b|Country | Cases\n"
              "|b|Malta | 1\n"
              "|b|Emoji \xF0\x9F\x98\x80 here.\n"
              "|h|Appendix\n"
              "|a|In the appendix.\n"
              "1|f|See CM/Rec(2016)4.\n"
              "2|f|Second note.",
           "doc: styles, outline, fields, tables, notes");
    ok(check_model(d) == NULL, "doc: the model holds");
    is_str(d->title, "Protection of journalists", "doc: the title");
    is_str(d->number, "Doc. 14700", "doc: the number");
    is_str(d->date, "2019-03-12", "doc: the date");
    ok(d->n_paras > 8 && strcmp(refs_of(&d->paras[4]), "fn-1") == 0 &&
           strcmp(refs_of(&d->paras[8]), "fn-2") == 0,
       "doc: the notes' marks, numbered by order of reference");
    free(r);
    cm_doc_free(d);
    free(err);
    err = NULL;

    {
        /* The one-byte piece is written from the UTF-16 units' low
         * bytes: give it Windows-1252 bytes as code points. */
        char src[128];
        const unsigned char raw[] = "Titre\rLe \x80 et \x93guillemets\x94 "
                                    "\xE9t\xE9.\r";
        size_t k = 0;
        for (i = 0; raw[i] && k + 3 < sizeof src; i++) {
            if (raw[i] < 0x80)
                src[k++] = (char)raw[i];
            else {
                src[k++] = (char)(0xC0 | raw[i] >> 6);
                src[k++] = (char)(0x80 | (raw[i] & 0x3F));
            }
        }
        src[k] = '\0';
        latin.main = src;
        d = parse_doc(&latin, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err,
               "|h|Titre\n"
               "|b|Le \xE2\x82\xAC et \xE2\x80\x9Cguillemets\xE2\x80\x9D "
               "\xC3\xA9t\xC3\xA9.",
               "doc: Windows-1252 bytes, the Title style");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* Two pieces; fields nested past the depth tracked. */
        char deep[600];
        size_t k = 0;
        doc_spec two = {NULL, NULL, "nnn", NULL, NULL, 0, 2, 0, 0, 0, 0,
                        NULL, 0, 1, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
        k += (size_t)snprintf(deep, sizeof deep, "First paragraph.\r");
        for (i = 0; i < 70; i++)
            k += (size_t)snprintf(deep + k, sizeof deep - k, "\x13 C \x14");
        k += (size_t)snprintf(deep + k, sizeof deep - k, "res");
        for (i = 0; i < 70; i++)
            deep[k++] = '\x15';
        k += (size_t)snprintf(deep + k, sizeof deep - k,
                              "\rAfter the fields.\r");
        two.main = deep;
        d = parse_doc(&two, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err,
               "|b|First paragraph.\n|b|C C C C C C res\n"
               "|b|After the fields.",
               "doc: two pieces; 70 fields nested in results (the codes "
               "of the 6 past 64 kept)");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        doc_spec lists = {"Intro.\rOne.\rTwo.\rTwo one.\rTwo two.\r"
                          "Three.\rLetter.\rLetter.\rBullet.\rOutro.\r",
                          NULL, "nAABBALLXn", NULL, NULL, 0, 2, 0, 0, 0, 0,
                          NULL, 0, 0, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
        const char *want = "|b|Intro.\n1.|b|One.\n2.|b|Two.\n"
                           "2.1.|b|Two one.\n2.2.|b|Two two.\n3.|b|Three.\n"
                           "a)|b|Letter.\nb)|b|Letter.\n|b|Bullet.\n"
                           "|b|Outro.";
        d = parse_doc(&lists, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, want, "doc: automatic numbering");
        free(r);
        cm_doc_free(d);
        free(err);
        lists.start4 = 1;
        d = parse_doc(&lists, &err);
        r = d ? render(d) : NULL;
        ok(r && strstr(r, "4.|b|One.\n5.|b|Two.\n5.1.|b|Two one."),
           "doc: a list's start override");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* Text deleted in tracked changes and hidden text: not read. */
        doc_spec marked = {"Kept text, deleted words, more kept, a hidden "
                           "note, the end.\r",
                           NULL, "n", NULL, NULL, 0, 2, 0, 0, 0, 0, NULL,
                           0, 0, 0, "deleted words, ", "a hidden note, ",
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
        d = parse_doc(&marked, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|b|Kept text, more kept, the end.",
               "doc: deleted and hidden text is not read");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* Hidden by style: a paragraph of the style Hidden, with a run
         * shown by its own properties; a paragraph of a style based on
         * Hidden; a run of the character style Secret. */
        doc_spec styled = {"Visible, secret words, end.\rHidden para, "
                           "shown run.\rUnder hidden.\rLast.\r",
                           NULL, "nVWn", NULL, NULL, 0, 2, 0, 0, 0, 0, NULL,
                           0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, NULL,
                           "shown run.", "secret words, "};
        d = parse_doc(&styled, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|b|Visible, end.\n|b|shown run.\n|b|Last.",
               "doc: text hidden by its paragraph's or character style is "
               "not read");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* Text boxes: three and the story's last mark, the second no
         * longer used; the first shown by the shape in the first
         * paragraph, inside a field's result (its text joined to the
         * paragraph; a field it leaves open does not hide the main
         * text's), the third by the shape in a table cell (by its
         * OfficeArtClientTextbox); the second's text not read; then the
         * same without the drawing: the boxes after the main text. */
        static const uint32_t box_cps[] = {0, 34, 41, 51, 52};
        doc_spec boxes = {"Intro text \x13 REF x \x14shown\x08\x15 on.\r"
                          "A\x07\x08" "B\x07\x07" "End.\r",
                          NULL, "nccrn", NULL, NULL, 0, 2, 0, 0, 0, 0, NULL,
                          0, 0, 0, NULL, NULL,
                          "Boxed \x13 PAGE \x14" "1\x15 and \x13 SEQ\r"
                          "second\rUnused\rThird box\r\r",
                          box_cps, 5, 2, "02", NULL, NULL};
        d = parse_doc(&boxes, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|b|Intro text shown Boxed 1 and on.\n"
                            "|b|A | Third box B\n|b|End.",
               "doc: text boxes joined to the paragraphs of their shapes");
        free(r);
        cm_doc_free(d);
        free(err);
        boxes.shows = NULL;
        d = parse_doc(&boxes, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|b|Intro text shown on.\n|b|A | B\n|b|End.\n"
                            "|b|Boxed 1 and\n|b|Third box",
               "doc: text boxes without a drawing: after the main text");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* A table of contents: a field whose result is paragraphs that
         * copy the headings, with a hyperlink field in it. */
        doc_spec toc = {"\x13 TOC \\o \"1-3\" \x14\x13 HYPERLINK \\l a \x14"
                        "Aims\t1\x15\rScope\t2\x15\rAims\r"
                        "See \x13 HYPERLINK \"http://x\" \x14the site\x15.\r",
                        NULL, "nn1n", NULL, NULL, 0, 2, 0, 0, 0, 0, NULL,
                        0, 0, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
        d = parse_doc(&toc, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err, "|h|Aims\n|b|See the site.",
               "doc: a table of contents is not text");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    {
        /* Numbering and an outline level that the paragraphs' styles
         * give: Word's PAPX says only what differs from the style. */
        doc_spec bystyle = {"Aims\rOne.\rTwo.\rTwo one.\rTwo two.\r"
                            "Unnumbered.\rBy hand.\rScope\rThree.\r"
                            "Body, not a heading.\r",
                            NULL, "1NNSSZAHNb", NULL, NULL, 0, 2, 0, 0, 0,
                            0, NULL, 0, 0, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
        d = parse_doc(&bystyle, &err);
        r = d ? render(d) : NULL;
        is_str(r ? r : err,
               "|h|Aims\n1.|b|One.\n2.|b|Two.\n2.1.|b|Two one.\n"
               "2.2.|b|Two two.\n|b|Unnumbered.\n3.|b|By hand.\n"
               "|h|Scope\n4.|b|Three.\n|b|Body, not a heading.",
               "doc: numbering and outline level from the styles");
        ok(d && d->n_paras > 8 &&
               strcmp(d->paras[8].heading, "Aims \xE2\x80\xBA Scope") == 0,
           "doc: a custom style's outline level makes a heading 2 (%s)",
           d && d->n_paras > 8 ? d->paras[8].heading : "");
        free(r);
        cm_doc_free(d);
        free(err);
    }
    d = parse_doc(&untitled, &err);
    ok(d != NULL && strcmp(d->title, "Written declaration") == 0,
       "doc without heading: the summary's title (%s)",
       d ? d->title : err);
    cm_doc_free(d);
    free(err);
    d = parse_doc(&fallback, &err);
    r = d ? render(d) : NULL;
    is_str(r ? r : err, "|b|A b.\n|b|C d.\n1|f|One.\n2|f|Two.",
           "doc: notes cut at their marks without PlcffndTxt");
    free(r);
    cm_doc_free(d);
    free(err);

    bad.nfib = 0x0065;
    doc_refused(&bad, "a Word 6 or Word 95 document",
                "a Word 6/95 document: refused");
    bad = sp;
    bad.flags = 0x0100;
    doc_refused(&bad, "an encrypted Word document", "encrypted: refused");
    bad = sp;
    bad.bad_clx = 1;
    doc_refused(&bad, "damaged Word document (no piece table)",
                "a Clx past its stream: refused");
    bad = sp;
    bad.ccp_extra = 5000;
    doc_refused(&bad, "damaged Word document (text outside its stream)",
                "text past the stream: refused");
    bad = sp;
    bad.stream = "Workbook";
    doc_refused(&bad, "without a WordDocument stream",
                "an OLE2 file that is not Word: refused");
    {
        static const struct {
            const char *bytes, *why;
        } not_ole[] = {
            {"\xEF\xBB\xBF <html><body>x</body></html>",
             "an HTML or XML file named .doc"},
            {"plain words", "not an OLE2 compound file"},
            {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and then nothing",
             "its OLE2 structure is broken"}};
        for (i = 0; i < sizeof not_ole / sizeof not_ole[0]; i++) {
            err = NULL;
            d = NULL;
            is_int(cm_doc_parse("t.doc", not_ole[i].bytes,
                                strlen(not_ole[i].bytes), CM_FMT_DOC, &d,
                                &err),
                   CM_EPARSE, "not Word 97: refused");
            ok(err && strstr(err, not_ole[i].why), "  as %s (%s)",
               not_ole[i].why, err ? err : "");
            free(err);
        }
    }
    {
        const zip_part parts[] = {{"word/document.xml", docx_body}};
        size_t zlen = 0;
        char *z = make_zip(parts, 1, &zlen);
        err = NULL;
        d = NULL;
        ok(z != NULL && cm_doc_parse("t.doc", z, zlen, CM_FMT_DOC, &d,
                                     &err) == CM_OK &&
               d->n_paras > 2 && strcmp(d->paras[0].text, "Doc. 14700") == 0,
           "a .docx named .doc: read as one");
        cm_doc_free(d);
        free(err);
        free(z);
    }
    is_int(cm_doc_format_of("a/B.DOC"), CM_FMT_DOC, ".DOC");
    is_int(cm_doc_format_of("a/b.dot"), CM_FMT_AUTO, ".dot is not read");
}

/* The compound file's structure: sectors of 4096 bytes, streams past the
 * mini stream's cutoff, and chains that loop or leave the file. */
static void
test_doc_ole(void)
{
    char para[520], main[4 * 520 + 1];
    doc_spec sp = {NULL, NULL, "nnnn", NULL, NULL, 0, 2, 0,
                   0,    0,    0,      NULL, 0,    0, 0, NULL, NULL,
                  NULL, NULL, 0, 0, NULL, NULL, NULL};
    size_t len = 0, i, fat_at, dir;
    char *data, *err = NULL;
    cm_doc *d = NULL;
    uint32_t fat0;
    cm_status st;

    /* Four paragraphs of 500 characters: 4,000 bytes of UTF-16 and the
     * FIB, past the 4,096 bytes that go to the mini stream. */
    for (i = 0; i < 4; i++) {
        size_t k;
        snprintf(para, sizeof para, "%zu. Paragraph", i + 1);
        for (k = strlen(para); k < 499; k += 5)
            memcpy(para + k, " word", 5);
        para[k] = '\r';
        para[k + 1] = '\0';
        memcpy(main + i * strlen(para), para, strlen(para) + 1);
    }
    sp.main = main;
    for (i = 0; i < 2; i++) {
        sp.big_sectors = (int)i;
        d = NULL;
        err = NULL;
        data = make_doc(&sp, &len);
        st = data ? cm_doc_parse("t.doc", data, len, CM_FMT_DOC, &d, &err)
                  : CM_ENOMEM;
        ok(st == CM_OK && d->n_paras == 4 &&
               strcmp(d->paras[3].label, "4.") == 0 &&
               d->paras[3].text_len > 400,
           "a WordDocument past the mini stream, sectors of %d bytes "
           "(a file of %zu bytes: %s)",
           i ? 4096 : 512, len, err ? err : "read");
        cm_doc_free(d);
        free(err);
        free(data);
    }

    /* The directory's chain made to loop: refused, not a hang. */
    sp.big_sectors = 0;
    data = make_doc(&sp, &len);
    if (!ok(data != NULL && len > 1024, "a compound file to damage"))
        return;
    fat0 = (uint32_t)(unsigned char)data[0x4C] |
           (uint32_t)(unsigned char)data[0x4D] << 8;
    fat_at = ((size_t)fat0 + 1) * 512;
    dir = (size_t)(unsigned char)data[0x30] |
          (size_t)(unsigned char)data[0x31] << 8;
    if (fat_at + 4 * dir + 4 <= len) {
        put32((unsigned char *)data + fat_at + 4 * dir, (uint32_t)dir);
        d = NULL;
        err = NULL;
        st = cm_doc_parse("t.doc", data, len, CM_FMT_DOC, &d, &err);
        ok(st == CM_EPARSE && err &&
               strstr(err, "its OLE2 structure is broken"),
           "a directory chain that loops: refused (%s)", err ? err : "");
        cm_doc_free(d);
        free(err);
        /* Every FAT entry pointing past the file: the streams are gone. */
        for (i = 0; i < 128; i++)
            if (i != dir)
                put32((unsigned char *)data + fat_at + 4 * i, 100000);
        put32((unsigned char *)data + fat_at + 4 * dir, 0xFFFFFFFEu);
        d = NULL;
        err = NULL;
        st = cm_doc_parse("t.doc", data, len, CM_FMT_DOC, &d, &err);
        ok(st == CM_EPARSE && err,
           "chains that leave the file: refused (%s)", err ? err : "");
        cm_doc_free(d);
        free(err);
    }
    free(data);
    /* A short header. */
    data = calloc(1, 600);
    if (data != NULL) {
        memcpy(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
        data[0x1C] = (char)0xFE;
        data[0x1D] = (char)0xFF;
        data[0x1E] = 9;
        data[0x20] = 6;
        d = NULL;
        err = NULL;
        st = cm_doc_parse("t.doc", data, 600, CM_FMT_DOC, &d, &err);
        ok(st == CM_EPARSE && err &&
               strstr(err, "its OLE2 structure is broken"),
           "a header with no FAT: refused (%s)", err ? err : "");
        cm_doc_free(d);
        free(err);
        free(data);
    }
}

/* ---- OpenDocument text (.odt, .fodt) --------------------------------- */

#define ODF_NS                                                              \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "    \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "        \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "      \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "      \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "     \
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "                         \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\""

#define ODF_LISTS                                                           \
    "<text:list-style style:name=\"L1\"><text:list-level-style-number "     \
    "text:level=\"1\" style:num-format=\"1\" style:num-suffix=\".\"/>"      \
    "<text:list-level-style-number text:level=\"2\" style:num-format=\"1\" " \
    "style:num-suffix=\".\" text:display-levels=\"2\"/></text:list-style>"  \
    "<text:list-style style:name=\"L2\"><text:list-level-style-number "     \
    "text:level=\"1\" style:num-format=\"a\" style:num-suffix=\")\"/>"      \
    "<text:list-level-style-number text:level=\"2\" style:num-format=\"i\" " \
    "style:num-prefix=\"(\" style:num-suffix=\")\"/></text:list-style>"     \
    "<text:list-style style:name=\"B\"><text:list-level-style-bullet "      \
    "text:level=\"1\" text:bullet-char=\"-\"/></text:list-style>"

#define ODF_TEXT                                                            \
    "<office:text><text:tracked-changes><text:changed-region text:id=\"c\">" \
    "<text:deletion><text:p>deleted words</text:p></text:deletion>"         \
    "</text:changed-region></text:tracked-changes>"                         \
    "<text:p>Doc. 14700</text:p><text:p>12 March 2019</text:p>"             \
    "<text:table-of-content><text:index-body><text:p>Protection 1</text:p>" \
    "</text:index-body></text:table-of-content>"                            \
    "<text:h text:outline-level=\"1\">Protection of journalists</text:h>"   \
    "<text:h text:outline-level=\"2\">Resolution</text:h>"                  \
    "<text:list text:style-name=\"L1\"><text:list-item><text:p>The "        \
    "Assembly recalls<text:note text:note-class=\"footnote\">"              \
    "<text:note-citation>1</text:note-citation><text:note-body><text:p>"    \
    "See CM/Rec(2016)4.</text:p></text:note-body></text:note> that "        \
    "journalism matters.</text:p></text:list-item><text:list-item><text:p>" \
    "It calls on member states to:</text:p><text:list><text:list-item>"     \
    "<text:p>protect journalists;</text:p></text:list-item><text:list-item>" \
    "<text:p>investigate.</text:p></text:list-item></text:list>"            \
    "</text:list-item><text:list-item><text:p>It resolves<text:s "          \
    "text:c=\"3\"/>to<text:tab/>follow<office:annotation><text:p>a "        \
    "comment</text:p></office:annotation> the question.</text:p><text:p>"   \
    "A second paragraph of the item.</text:p></text:list-item></text:list>" \
    "<text:list text:style-name=\"L1\" text:continue-numbering=\"true\">"   \
    "<text:list-item><text:p>Continued.</text:p></text:list-item>"          \
    "</text:list><text:list text:style-name=\"L1\"><text:list-item "        \
    "text:start-value=\"7\"><text:p>Restarted at 7.</text:p>"               \
    "</text:list-item></text:list><text:list text:style-name=\"L2\">"       \
    "<text:list-item><text:p>Lettered a.</text:p><text:list>"               \
    "<text:list-item><text:p>Roman i.</text:p></text:list-item></text:list>" \
    "</text:list-item><text:list-item><text:p>Lettered b.</text:p>"         \
    "</text:list-item></text:list><text:list text:style-name=\"B\">"        \
    "<text:list-item><text:p>A bullet.</text:p></text:list-item></text:list>" \
    "<text:p>A <text:span>span</text:span> and <text:a xlink:href=\"x\">"   \
    "a link</text:a><draw:frame><draw:text-box><text:p>boxed</text:p>"      \
    "<text:p>twice</text:p></draw:text-box></draw:frame><draw:frame>"       \
    "<draw:image/></draw:frame>.</text:p><table:table>"                     \
    "<table:table-header-rows><table:table-row><table:table-cell><text:p>"  \
    "Country</text:p></table:table-cell><table:table-cell><text:p>Cases"    \
    "</text:p></table:table-cell></table:table-row></table:table-header-rows>" \
    "<table:table-row><table:table-cell><text:p>Malta</text:p>"             \
    "</table:table-cell><table:table-cell><text:p>---</text:p>"             \
    "</table:table-cell><table:table-cell><text:p>1</text:p><text:p>(2017)" \
    "</text:p></table:table-cell></table:table-row></table:table>"          \
    "<text:section><text:h text:outline-level=\"2\">Appendix</text:h>"      \
    "<text:p>In the appendix.</text:p></text:section></office:text>"

static const char odt_want[] =
    "|b|Doc. 14700\n"
    "|b|12 March 2019\n"
    "|h|Protection of journalists\n"
    "|h|Resolution\n"
    "1.|b|The Assembly recalls that journalism matters.\n"
    "2.|b|It calls on member states to:\n"
    "2.1.|b|protect journalists;\n"
    "2.2.|b|investigate.\n"
    "3.|b|It resolves to follow the question.\n"
    "|b|A second paragraph of the item.\n"
    "4.|b|Continued.\n"
    "7.|b|Restarted at 7.\n"
    "a)|b|Lettered a.\n"
    "(i)|b|Roman i.\n"
    "b)|b|Lettered b.\n"
    "|b|A bullet.\n"
    "|b|A span and a link boxed twice .\n"
    "|b|Country | Cases\n"
    "|b|Malta | 1 (2017)\n"
    "|h|Appendix\n"
    "|a|In the appendix.\n"
    "1|f|See CM/Rec(2016)4.";

static cm_doc *
parse_odt(const zip_part *parts, size_t n, char **err)
{
    return parse_zip(parts, n, CM_FMT_ODT, err);
}

static void
test_odt(void)
{
    const zip_part parts[] = {
        {"content.xml", "<office:document-content " ODF_NS ">"
                        "<office:automatic-styles>" ODF_LISTS
                        "</office:automatic-styles><office:body>" ODF_TEXT
                        "</office:body></office:document-content>"},
        {"styles.xml", "<office:document-styles " ODF_NS "><office:styles/>"
                       "</office:document-styles>"}};
    const zip_part untitled[] = {
        {"content.xml", "<office:document-content " ODF_NS "><office:body>"
                        "<office:text><text:p>We, the undersigned</text:p>"
                        "</office:text></office:body>"
                        "</office:document-content>"},
        {"meta.xml", "<office:document-meta " ODF_NS "><office:meta>"
                     "<dc:title> Written  declaration </dc:title>"
                     "</office:meta></office:document-meta>"}};
    const zip_part sheet[] = {
        {"content.xml", "<office:document-content " ODF_NS "><office:body>"
                        "<office:spreadsheet/></office:body>"
                        "</office:document-content>"}};
    const zip_part bad_xml[] = {{"content.xml", "<office:document-content"}};
    const zip_part no_content[] = {{"mimetype", "x"}};
    static const char flat[] =
        "<?xml version=\"1.0\"?><office:document " ODF_NS "><office:meta>"
        "<dc:title>Flat</dc:title></office:meta><office:styles>" ODF_LISTS
        "</office:styles><office:body>" ODF_TEXT
        "</office:body></office:document>";
    char *err = NULL, *r;
    cm_doc *d = parse_odt(parts, 2, &err);

    if (!ok(d != NULL, "odt: parses (%s)", err ? err : "ok")) {
        free(err);
        return;
    }
    r = render(d);
    is_str(r, odt_want,
           "odt: headings, lists, tables, notes, changes, contents");
    ok(check_model(d) == NULL, "odt: the model holds");
    is_str(d->title, "Protection of journalists", "odt: the title");
    is_str(d->number, "Doc. 14700", "odt: the number");
    is_str(d->date, "2019-03-12", "odt: the date");
    ok(d->n_paras > 4 && strcmp(refs_of(&d->paras[4]), "fn-1") == 0,
       "odt: the note's mark");
    free(r);
    cm_doc_free(d);
    free(err);

    err = NULL;
    d = NULL;
    if (cm_doc_parse("t.fodt", flat, strlen(flat), CM_FMT_FODT, &d, &err) ==
        CM_OK) {
        r = render(d);
        is_str(r, odt_want, "fodt: the same document, flat");
        free(r);
    } else
        ok(0, "fodt: parses (%s)", err ? err : "");
    cm_doc_free(d);
    free(err);

    d = parse_odt(untitled, 2, &err);
    ok(d != NULL && strcmp(d->title, "Written declaration") == 0,
       "odt without heading: meta.xml's title");
    cm_doc_free(d);
    free(err);
    {
        /* Hidden text: a span of a text style derived from a hidden one
         * (in styles.xml), a paragraph of a hidden automatic style with a
         * span that shows again, a hidden paragraph by its field, a
         * conditional text field, a hidden section, a note in a hidden
         * span; a paragraph style and a text style of the same name. */
        static const char hid[] =
            "<?xml version=\"1.0\"?><office:document " ODF_NS "><office:styles>"
            "<style:style style:name=\"HidBase\" style:family=\"text\">"
            "<style:text-properties text:display=\"none\"/></style:style>"
            "<style:style style:name=\"HidChild\" style:family=\"text\" "
            "style:parent-style-name=\"HidBase\"/><style:style style:name="
            "\"Same\" style:family=\"text\"><style:text-properties "
            "text:display=\"none\"/></style:style><style:style style:name="
            "\"Same\" style:family=\"paragraph\"/></office:styles>"
            "<office:automatic-styles><style:style style:name=\"P1\" "
            "style:family=\"paragraph\"><style:text-properties text:display="
            "\"none\"/></style:style><style:style style:name=\"T2\" "
            "style:family=\"text\"><style:text-properties text:display="
            "\"true\"/></style:style></office:automatic-styles><office:body>"
            "<office:text><text:p>shown <text:span text:style-name="
            "\"HidChild\">secret </text:span>end</text:p>"
            "<text:p text:style-name=\"P1\">hidden <text:span "
            "text:style-name=\"T2\">shown span</text:span></text:p>"
            "<text:p text:style-name=\"P1\">all hidden</text:p>"
            "<text:p>gone<text:hidden-paragraph text:condition=\"ooow:1\" "
            "text:is-hidden=\"true\"/></text:p>"
            "<text:p>kept<text:hidden-paragraph text:condition=\"ooow:0\" "
            "text:is-hidden=\"false\"/></text:p>"
            "<text:p>Date: <text:placeholder text:placeholder-type=\"text\">"
            "&lt;Enter a date&gt;</text:placeholder></text:p>"
            "<text:p>a <text:hidden-text text:condition=\"ooow:1\" "
            "text:string-value=\"cond\" text:is-hidden=\"true\">cond"
            "</text:hidden-text>b</text:p>"
            "<text:section text:name=\"S\" text:display=\"none\"><text:p>"
            "in a hidden section</text:p></text:section>"
            "<text:p text:style-name=\"Same\">note<text:span text:style-name="
            "\"Same\"><text:note><text:note-body><text:p>hidden note</text:p>"
            "</text:note-body></text:note></text:span><text:note>"
            "<text:note-body><text:p>Shown note.</text:p></text:note-body>"
            "</text:note></text:p>"
            "<table:table><table:table-row><table:table-cell><text:p>cell"
            "</text:p><text:p text:style-name=\"P1\">hidden cell</text:p>"
            "</table:table-cell></table:table-row></table:table>"
            "</office:text></office:body></office:document>";
        err = NULL;
        d = NULL;
        if (cm_doc_parse("t.fodt", hid, strlen(hid), CM_FMT_FODT, &d, &err) ==
            CM_OK) {
            r = render(d);
            is_str(r, "|b|shown end\n|b|shown span\n|b|kept\n|b|Date:\n"
                      "|b|a b\n"
                      "|b|note\n|b|cell\n1|f|Shown note.",
                   "odt: hidden text and a placeholder's prompt are not "
                   "read");
            free(r);
        } else
            ok(0, "odt with hidden text: parses (%s)", err ? err : "");
        cm_doc_free(d);
        free(err);
    }
    d = parse_odt(sheet, 1, &err);
    ok(d == NULL && err && strstr(err, "no office:text"),
       "a spreadsheet: refused (%s)", err ? err : "");
    free(err);
    d = parse_odt(bad_xml, 1, &err);
    ok(d == NULL && err && strstr(err, "damaged OpenDocument text "
                                       "(content.xml is not well-formed "
                                       "XML)"),
       "odt of broken XML: refused (%s)", err ? err : "");
    free(err);
    d = parse_odt(no_content, 1, &err);
    ok(d == NULL && err && strstr(err, "no content.xml"),
       "a zip without content.xml: refused (%s)", err ? err : "");
    free(err);
    err = NULL;
    is_int(cm_doc_parse("t.odt", "PK\3\4 no", 8, CM_FMT_ODT, &d, &err),
           CM_EPARSE, "odt not a zip: refused");
    ok(err && strstr(err, "not an OpenDocument text (not a zip file"),
       "  with the reason (%s)", err ? err : "");
    free(err);
    err = NULL;
    is_int(cm_doc_parse("t.fodt", "<html/>", 7, CM_FMT_FODT, &d, &err),
           CM_EPARSE, "fodt of other XML: refused");
    ok(err && strstr(err, "not a flat OpenDocument text"),
       "  with the reason (%s)", err ? err : "");
    free(err);
    is_int(cm_doc_format_of("a/B.ODT"), CM_FMT_ODT, ".ODT");
    is_int(cm_doc_format_of("a/b.fodt"), CM_FMT_FODT, ".fodt");
}

/* ---- API edges --------------------------------------------------------- */

static void
test_api(void)
{
    static const struct {
        const char *path;
        cm_format fmt;
    } fmts[] = {
        {"a.md", CM_FMT_MARKDOWN},      {"a/b.MD", CM_FMT_MARKDOWN},
        {"x.Markdown", CM_FMT_MARKDOWN}, {"a.txt", CM_FMT_TEXT},
        {"a.TEXT", CM_FMT_TEXT},        {"a.pdf", CM_FMT_PDF},
        {"README", CM_FMT_AUTO},        {".md", CM_FMT_AUTO},
        {"dir.md/file", CM_FMT_AUTO},   {"a.md.bak", CM_FMT_AUTO},
        {NULL, CM_FMT_AUTO},
    };
    size_t i;
    cm_doc *d = (cm_doc *)&i;
    char *err = NULL;
    cm_status st;

    for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
        is_int(cm_doc_format_of(fmts[i].path), fmts[i].fmt,
               fmts[i].path ? fmts[i].path : "(null)");
    is_str(cm_section_name(CM_SECT_BODY), "body", "section name body");
    is_str(cm_section_name(CM_SECT_HEADING), "heading", "section heading");
    is_str(cm_section_name(CM_SECT_FOOTNOTE), "footnote", "section footnote");
    is_str(cm_section_name(CM_SECT_APPENDIX), "appendix", "section appendix");
    ok(cm_section_name(CM_SECT_LAST) != NULL, "section name out of range");
    cm_doc_free(NULL);
    ok(1, "cm_doc_free(NULL)");
    st = cm_doc_parse(NULL, NULL, 0, CM_FMT_MARKDOWN, &d, &err);
    ok(st == CM_OK && d != NULL && d->n_paras == 0 && d->path[0] == '\0',
       "NULL text of length 0 is an empty document");
    cm_doc_free(d);
    d = (cm_doc *)&i;
    st = cm_doc_parse("p", NULL, 3, CM_FMT_TEXT, &d, &err);
    ok(st == CM_EINVAL && d == NULL && err != NULL, "NULL text, length 3");
    free(err);
    for (i = 0; i < 2; i++) {
        /* Unchecked input: a NUL must not cut the text short. */
        d = NULL;
        st = cm_doc_parse("n", "ab\0cd", 5, i ? CM_FMT_TEXT : CM_FMT_MARKDOWN,
                          &d, &err);
        ok(st == CM_OK && d && d->n_paras == 1 &&
               strcmp(d->paras[0].text, "ab\xef\xbf\xbd" "cd") == 0 &&
               d->paras[0].text_len == 7,
           "NUL byte becomes U+FFFD (%s)", i ? "text" : "markdown");
        cm_doc_free(d);
    }
}

/* ---- RTF ------------------------------------------------------------ */

/* As Word writes it: a font table with a Cyrillic and a Japanese font, a
 * style sheet whose headings have outline levels or only their names, the
 * document's info, a header, numbered paragraphs with their number text
 * (\listtext) and older \pntext (a bullet is no label), a footnote
 * without \*, a field, hidden and deleted text, \uN with its fallback
 * and a surrogate pair, \upr with its \ud, binary data, a table with a
 * cell of two paragraphs and a nested table. */
static const char rtf_word[] =
    "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1"
    "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}"
    "{\\f1\\fswiss\\fcharset204 Arial Cyr;}"
    "{\\f2\\fnil\\fcharset128 MS Mincho;}"
    "{\\f3\\froman\\fcharset2 Symbol;}}"
    "{\\colortbl;\\red0\\green0\\blue0;}"
    "{\\stylesheet{\\ql \\f0 Normal;}"
    "{\\s1\\ql\\outlinelevel0 \\sbasedon0 heading 1;}"
    "{\\s2\\ql \\sbasedon0 heading 2;}"
    "{\\*\\cs10 \\additive Default Paragraph Font;}}"
    "{\\info{\\title The info title}{\\author Somebody}}"
    "{\\header \\pard\\plain Running head\\par}"
    "\\pard\\plain \\s1\\outlinelevel0 Protection of journalists\\par"
    "\\pard\\plain \\s2 Resolution 2255\\par"
    "\\pard\\plain {\\listtext\\pard\\plain 1.\\tab}The Assembly"
    "{\\super\\chftn}{\\footnote\\pard\\plain {\\super\\chftn} See "
    "Doc.\\~14700.\\par Second line.}"
    " recalls {\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt "
    "its work}}{\\v  hidden}{\\deleted  deleted} \\endash  here.\\par"
    "\\pard\\plain {\\listtext\\pard\\plain 2.\\tab}It notes \\u8220\\'93"
    "quotes\\u8221\\'94, {\\uc2 \\u8212\\'97\\'97} and \\u-10179 ?\\u-8704 ?"
    " in a surrogate pair.\\par"
    "\\pard\\plain {\\pntext\\f3 \\'b7\\tab}A bullet.\\par"
    "\\pard\\plain {\\f1 \\'c4\\'ee\\'ea. 12}{\\f2  \\'93\\'fa\\'96\\'7b}"
    "{\\upr{ansi}{\\*\\ud{ text}}}\\par"
    "{\\*\\bkmkstart b1}{\\pict{\\*\\blipuid 00}\\bin4 {}{}}\\par"
    "\\trowd\\cellx100\\cellx200\\pard\\intbl Country\\cell"
    "\\pard\\intbl First\\par\\pard\\intbl second\\cell\\row"
    "\\trowd\\cellx100\\cellx200\\pard\\intbl Malta\\cell\\pard\\intbl\\itap2"
    " a\\nestcell b\\nestcell{\\*\\nesttableprops\\trowd\\nestrow}\\cell"
    "\\row\\pard After the table\\line with a line break.\\par}";

static void
test_rtf(void)
{
    cm_doc *d = NULL;
    char *err = NULL, *r;

    if (cm_doc_parse("t.rtf", rtf_word, strlen(rtf_word), CM_FMT_RTF, &d,
                     &err) != CM_OK) {
        ok(0, "rtf: parses (%s)", err ? err : "");
        free(err);
        return;
    }
    r = render(d);
    is_str(r,
           "|h|Protection of journalists\n"
           "|h|Resolution 2255\n"
           "1.|b|The Assembly recalls its work \xE2\x80\x93 here.\n"
           "2.|b|It notes \xE2\x80\x9Cquotes\xE2\x80\x9D, \xE2\x80\x94 and "
           "\xF0\x9F\x98\x80 in a surrogate pair.\n"
           "|b|A bullet.\n"
           "|b|\xD0\x94\xD0\xBE\xD0\xBA. 12 \xE6\x97\xA5\xE6\x9C\xAC text\n"
           "|b|Country | First second\n"
           "|b|Malta | a b\n"
           "|b|After the table with a line break.\n"
           "1|f|See Doc. 14700. Second line.",
           "rtf: Word's RTF: headings, labels, notes, fields, charsets, "
           "tables");
    ok(check_model(d) == NULL, "rtf: the model holds");
    ok(d->n_paras > 2 && strcmp(refs_of(&d->paras[2]), "pace-doc-14700") != 0
           && strstr(refs_of(&d->paras[2]), "fn-1") != NULL,
       "rtf: the footnote's mark (%s)",
       d->n_paras > 2 ? refs_of(&d->paras[2]) : "");
    is_str(d->title, "Protection of journalists",
           "rtf: a heading titles it, not the info");
    free(r);
    cm_doc_free(d);
    {
        static const char untitled[] =
            "{\\rtf1{\\info{\\title Written declaration}}We, the "
            "undersigned\\par}";
        if (cm_doc_parse("t.rtf", untitled, strlen(untitled), CM_FMT_RTF,
                         &d, &err) == CM_OK) {
            is_str(d->title, "Written declaration",
                   "rtf without heading: the info's title");
            cm_doc_free(d);
        } else
            ok(0, "rtf without heading (%s)", err);
        free(err);
        err = NULL;
    }
    is_int(cm_doc_parse("t.rtf", "Hello", 5, CM_FMT_RTF, &d, &err),
           CM_EPARSE, "rtf: not RTF: refused");
    ok(err && strstr(err, "not an RTF document"), "  with the reason (%s)",
       err ? err : "");
    free(err);
    err = NULL;
    {
        /* Groups nested past the bound: refused; unbalanced: read; a row
         * without its \\row. */
        static const char braces[] = "{\\rtf1 One}}}\\par Two\\par {{Three";
        static const char rows[] =
            "{\\rtf1\\trowd\\pard\\intbl A\\cell B\\cell\\pard After.\\par"
            "\\pard\\intbl C\\cell D}";
        size_t n = 5 + 600, i;
        char *deep = malloc(n + 1);
        memcpy(deep, "{\\rtf", 5);
        for (i = 5; i < n; i++)
            deep[i] = '{';
        deep[n] = '\0';
        is_int(cm_doc_parse("t.rtf", deep, n, CM_FMT_RTF, &d, &err),
               CM_EPARSE, "rtf: 600 nested groups: refused");
        ok(err && strstr(err, "nested deeper"), "  with the reason (%s)",
           err ? err : "");
        free(err);
        err = NULL;
        free(deep);
        r = NULL;
        if (cm_doc_parse("t.rtf", braces, strlen(braces), CM_FMT_RTF, &d,
                         &err) == CM_OK) {
            r = render(d);
            cm_doc_free(d);
        }
        is_str(r ? r : err, "|b|One\n|b|Two\n|b|Three",
               "rtf: stray and missing braces: the text is read");
        free(r);
        free(err);
        err = NULL;
        r = NULL;
        if (cm_doc_parse("t.rtf", rows, strlen(rows), CM_FMT_RTF, &d,
                         &err) == CM_OK) {
            r = render(d);
            cm_doc_free(d);
        }
        is_str(r ? r : err, "|b|A | B\n|b|After.\n|b|C | D",
               "rtf: rows without \\row end at the next paragraph, or at "
               "the end");
        free(r);
        free(err);
        err = NULL;
    }
    {
        /* RTF named .doc, as Word saves it: read as RTF. */
        static const char named[] = "{\\rtf1\\ansi Access to justice\\par}";
        r = NULL;
        if (cm_doc_parse("t.doc", named, strlen(named), CM_FMT_DOC, &d,
                         &err) == CM_OK) {
            r = render(d);
            cm_doc_free(d);
        }
        is_str(r ? r : err, "|b|Access to justice",
               "rtf named .doc: read as RTF");
        free(r);
        free(err);
    }
    {
        /* A table of contents and an index: fields whose results copy
         * headings and entries; a hyperlink's result is text. */
        static const char toc[] =
            "{\\rtf1{\\field{\\*\\fldinst { TOC \\\\o \"1-3\" }}{\\fldrslt "
            "{Aims\\tab 1\\par Scope\\tab 2}}}\\par"
            "\\pard\\outlinelevel0 Aims\\par\\pard See {\\field{\\*\\fldinst"
            " HYPERLINK \"http://x\"}{\\fldrslt the site}}.\\par"
            "{\\field{\\fldinst INDEX \\\\e}{\\fldrslt Water, 2}}\\par}";
        r = NULL;
        if (cm_doc_parse("t.rtf", toc, strlen(toc), CM_FMT_RTF, &d, &err) ==
            CM_OK) {
            r = render(d);
            cm_doc_free(d);
        }
        is_str(r ? r : err, "|h|Aims\n|b|See the site.",
               "rtf: a table of contents and an index are not text");
        free(r);
        free(err);
        err = NULL;
    }
    {
        /* Text boxes, as Word writes them: the shape's properties and its
         * copy for old readers (\shprslt) are not text, its \shptxt is,
         * joined to the paragraph it is anchored in (paragraphs, a
         * table, a numbered paragraph's number text inside it); a group
         * of shapes; a shape in a header is not text. */
        static const char box[] =
            "{\\rtf1{\\header {\\shp{\\*\\shpinst{\\shptxt In the header"
            "\\par}}}Page\\par}\\pard Before.\\par\\pard {\\shp{\\*\\shpinst"
            "\\shpleft0{\\sp{\\sn shapeType}{\\sv 202}}{\\shptxt \\pard\\plain "
            "{\\listtext 1.\\tab}Summary of\\\n the box\\par\\trowd\\intbl A"
            "\\cell B\\cell\\row}}{\\shprslt{\\*\\do\\dobxcolumn{\\*\\dptxbxtext"
            " Summary of\\par the box\\par}}}}The anchor.\\par"
            "{\\shpgrp{\\*\\shpinst{\\shp{\\*\\shpinst{\\shptxt Grouped\\par}}}}}"
            "Last.\\par}";
        r = NULL;
        if (cm_doc_parse("t.rtf", box, strlen(box), CM_FMT_RTF, &d, &err) ==
            CM_OK) {
            r = render(d);
            cm_doc_free(d);
        }
        is_str(r ? r : err, "|b|Before.\n"
                            "|b|Summary of the box A B The anchor.\n"
                            "|b|Grouped Last.",
               "rtf: a text box's text, joined to its paragraph");
        free(r);
        free(err);
        err = NULL;
    }
    is_int(cm_doc_format_of("a/B.RTF"), CM_FMT_RTF, ".rtf");
}

/* ---- the reader ------------------------------------------------------- */

static char tmpdir[] = "/tmp/test_doc.XXXXXX";

static const char *
write_tmp(const char *name, const char *data, size_t len)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        diag("cannot write %s", path);
        return path;
    }
    return path;
}

static const struct {
    const char *name;
    const char *bytes;
    size_t len;
    cm_status st;
    const char *msg; /* expected message, or NULL */
} utf8_cases[] = {
    {"ascii", "hello", 5, CM_OK, NULL},
    {"2-byte", "caf\xc3\xa9", 5, CM_OK, NULL},
    {"3-byte", "\xe2\x80\x99", 3, CM_OK, NULL},
    {"4-byte", "\xf0\x9f\x98\x80", 4, CM_OK, NULL},
    {"max", "\xf4\x8f\xbf\xbf", 4, CM_OK, NULL},
    {"BOM only", "\xef\xbb\xbf", 3, CM_OK, NULL},
    {"NUL", "ab\0cd", 5, CM_EPARSE, "binary file (NUL byte at offset 2)"},
    {"overlong 2", "a\xc0\x80", 3, CM_EPARSE, "invalid UTF-8 at byte 1"},
    {"overlong C1", "\xc1\xbf", 2, CM_EPARSE, "invalid UTF-8 at byte 0"},
    {"overlong 3", "ab\xe0\x80\xaf", 5, CM_EPARSE, "invalid UTF-8 at byte 2"},
    {"overlong 4", "\xf0\x8f\xbf\xbf", 4, CM_EPARSE,
     "invalid UTF-8 at byte 0"},
    {"surrogate", "x\xed\xa0\x80", 4, CM_EPARSE, "invalid UTF-8 at byte 1"},
    {"above max", "\xf4\x90\x80\x80", 4, CM_EPARSE,
     "invalid UTF-8 at byte 0"},
    {"F5", "\xf5\x80\x80\x80", 4, CM_EPARSE, "invalid UTF-8 at byte 0"},
    {"lone continuation", "abc\x80", 4, CM_EPARSE,
     "invalid UTF-8 at byte 3"},
    {"truncated", "\xe2\x82", 2, CM_EPARSE, "invalid UTF-8 at byte 0"},
    {"bad continuation", "\xe2\x28\xa1", 3, CM_EPARSE,
     "invalid UTF-8 at byte 0"},
    {"latin-1", "caf\xe9 au lait", 12, CM_EPARSE, "invalid UTF-8 at byte 3"},
    {"after BOM", "\xef\xbb\xbf\xff", 4, CM_EPARSE,
     "invalid UTF-8 at byte 3"},
};

static void
test_check_text(void)
{
    size_t i, bom = 9;
    char *err = NULL;
    cm_status st;

    for (i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        st = cm_doc_check_text(utf8_cases[i].bytes, utf8_cases[i].len, &bom,
                               &err);
        ok(st == utf8_cases[i].st, "check_text %s: %s", utf8_cases[i].name,
           cm_status_str(st));
        if (utf8_cases[i].msg != NULL)
            is_str(err, utf8_cases[i].msg, "check_text message");
        free(err);
        err = NULL;
    }
    st = cm_doc_check_text("\xef\xbb\xbfx", 4, &bom, NULL);
    ok(st == CM_OK && bom == 3, "check_text finds the BOM");
    st = cm_doc_check_text(NULL, 0, NULL, NULL);
    ok(st == CM_OK, "check_text of nothing");
}

static void
test_read_file(void)
{
    char *t = NULL, *err = NULL;
    size_t n = 99;
    cm_status st;
    const char *p;
    char path[256];

    if (mkdtemp(tmpdir) == NULL) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    p = write_tmp("plain.md", "# T\n\nx\n", 7);
    st = cm_doc_read_file(p, 0, &t, &n, &err);
    ok(st == CM_OK && n == 7 && t && strcmp(t, "# T\n\nx\n") == 0,
       "read a file");
    free(t);
    t = NULL;
    p = write_tmp("bom.txt", "\xef\xbb\xbfhi", 5);
    st = cm_doc_read_file(p, 0, &t, &n, &err);
    ok(st == CM_OK && n == 2 && t && strcmp(t, "hi") == 0, "BOM removed");
    free(t);
    t = NULL;
    p = write_tmp("empty.md", "", 0);
    st = cm_doc_read_file(p, 0, &t, &n, &err);
    ok(st == CM_OK && n == 0 && t && t[0] == '\0', "empty file");
    free(t);
    t = NULL;
    p = write_tmp("nul.md", "ab\0c", 4);
    st = cm_doc_read_file(p, 0, &t, &n, &err);
    ok(st == CM_EPARSE && t == NULL && n == 0, "NUL byte rejected");
    is_str(err, "binary file (NUL byte at offset 2)", "NUL message");
    free(err);
    p = write_tmp("bad.md", "\xef\xbb\xbf" "ab\xc3(", 7);
    st = cm_doc_read_file(p, 0, &t, &n, &err);
    ok(st == CM_EPARSE, "invalid UTF-8 rejected");
    ok(err != NULL && strncmp(err, "invalid UTF-8 at byte 5", 23) == 0,
       "UTF-8 message (file offset): %s", err ? err : "");
    free(err);
    p = write_tmp("big.md", "0123456789", 10);
    st = cm_doc_read_file(p, 9, &t, &n, &err);
    ok(st == CM_EPARSE && t == NULL, "too large rejected");
    is_str(err, "file too large (10 bytes, limit 9)", "too large message");
    free(err);
    st = cm_doc_read_file(p, 10, &t, &n, &err);
    ok(st == CM_OK && n == 10, "exactly the limit is fine");
    free(t);
    t = NULL;
    st = cm_doc_read_file(tmpdir, 0, &t, &n, &err);
    ok(st == CM_EPARSE, "directory rejected");
    is_str(err, "not a regular file", "directory message");
    free(err);
    snprintf(path, sizeof path, "%s/fifo", tmpdir);
    if (mkfifo(path, 0600) == 0) {
        st = cm_doc_read_file(path, 0, &t, &n, &err);
        ok(st == CM_EPARSE, "FIFO rejected without blocking");
        free(err);
        unlink(path);
    }
    {
        struct stat sb;
        if (stat("/dev/null", &sb) == 0 && S_ISCHR(sb.st_mode)) {
            st = cm_doc_read_file("/dev/null", 0, &t, &n, &err);
            ok(st == CM_EPARSE && t == NULL, "device rejected");
            free(err);
            free(t);
            t = NULL;
        } else
            diag("/dev/null is not a device here: device test skipped");
    }
    snprintf(path, sizeof path, "%s/missing.md", tmpdir);
    st = cm_doc_read_file(path, 0, &t, &n, &err);
    ok(st == CM_ENOTFOUND && t == NULL, "missing file is CM_ENOTFOUND");
    ok(err != NULL && strstr(err, "No such file") != NULL,
       "missing file message: %s", err ? err : "(null)");
    free(err);
    snprintf(path, sizeof path, "%s/plain.md/x", tmpdir);
    st = cm_doc_read_file(path, 0, &t, &n, &err);
    ok(st == CM_ENOTFOUND, "file under a file is CM_ENOTFOUND");
    free(err);
    st = cm_doc_read_file(NULL, 0, &t, &n, &err);
    ok(st == CM_EINVAL, "NULL path");
    free(err);
    if (getuid() != 0) {
        p = write_tmp("noread.md", "x", 1);
        chmod(p, 0);
        st = cm_doc_read_file(p, 0, &t, &n, &err);
        ok(st == CM_EIO && err && strstr(err, "ermission"),
           "unreadable file is CM_EIO");
        free(err);
    }
    /* Leave the directory clean. */
    {
        static const char *const names[] = {
            "plain.md", "bom.txt", "empty.md", "nul.md", "bad.md",
            "big.md",   "noread.md"};
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
            unlink(path);
        }
        rmdir(tmpdir);
    }
}

/* ---- size and depth ----------------------------------------------------- */

static void
test_big(void)
{
    size_t n = 20u << 20, i;
    char *s = malloc(n + 1);
    double t0, dt;
    cm_format fmts[] = {CM_FMT_MARKDOWN, CM_FMT_TEXT};
    size_t f;

    if (s == NULL)
        abort();
    for (i = 0; i < n; i++)
        s[i] = (i % 7 == 6) ? ((i % 700 == 699) ? '\n' : ' ') : 'a' + i % 7;
    s[n] = '\0';
    for (f = 0; f < 2; f++) {
        cm_doc *d = NULL;
        char *err = NULL;
        cm_status st;
        t0 = now();
        st = cm_doc_parse("big", s, n, fmts[f], &d, &err);
        dt = now() - t0;
        ok(st == CM_OK && d && d->n_paras == 1 && d->paras[0].text_len > n - 8,
           "20 MB paragraph (%s) in %.2f s", f ? "text" : "markdown", dt);
        ok(dt < 20.0, "20 MB paragraph is not quadratic");
        cm_doc_free(d);
        free(err);
    }
    free(s);
}

static char *
repeat(const char *unit, size_t times, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail), i;
    char *s = malloc(u * times + t + 1);

    if (s == NULL)
        abort();
    for (i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * times, tail, t + 1);
    return s;
}

static void
test_deep(void)
{
    static const char *const units[] = {"> ", "- ", "1. ", "* > "};
    size_t i;

    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *s = repeat(units[i], 10000, "deep text\n");
        cm_doc *d = NULL;
        char *err = NULL;
        double t0 = now();
        cm_status st = cm_doc_parse("deep", s, strlen(s), CM_FMT_MARKDOWN, &d,
                                    &err);
        ok(st == CM_OK && d != NULL && d->n_paras >= 1 &&
               strcmp(d->paras[d->n_paras - 1].text, "deep text") == 0,
           "10,000 levels of '%s' (%.2f s)", units[i], now() - t0);
        cm_doc_free(d);
        free(err);
        free(s);
    }
    {
        /* Many headings and lists: the heading stack stays bounded. */
        char *s = repeat("# a\n###### b\n- x\n  1. y\n", 5000, "");
        cm_doc *d = parse(s, CM_FMT_MARKDOWN);
        ok(d != NULL && d->n_paras == 20000 &&
               strcmp(d->paras[19999].heading,
                      "a \xe2\x80\xba b") == 0,
           "20,000 paragraphs under 10,000 headings");
        cm_doc_free(d);
        free(s);
    }
}

/* ---- the real corpus ------------------------------------------------- */

static int
has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void
corpus_dir(const char *dir, size_t *files, size_t *bytes, double *secs,
           size_t *bad, size_t *rejected, size_t *paras)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    char path[8192];
    cm_doc_opts no_lang = {CM_FMT_AUTO, NULL, NULL, 1};

    if (dh == NULL)
        return;
    while ((e = readdir(dh)) != NULL) {
        char *t = NULL, *err = NULL;
        size_t n = 0, i;
        cm_doc *d = NULL;
        cm_status st;
        double t0;
        const char *why;
        if (!has_suffix(e->d_name, ".md"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        (*files)++;
        st = cm_doc_read_file(path, 64u << 20, &t, &n, &err);
        if (st != CM_OK) {
            (*rejected)++;
            if (st != CM_EPARSE) {
                (*bad)++;
                diag("%s: %s: %s", path, cm_status_str(st), err);
            } else if (*rejected <= 5)
                diag("%s rejected: %s", path, err);
            free(err);
            continue;
        }
        t0 = now();
        /* Languages are tested in test_lang (on the bilingual treaties
         * and the UDHR); here, every file parses. */
        st = cm_doc_parse_opts(path, t, n, &no_lang, &d, &err);
        *secs += now() - t0;
        *bytes += n;
        if (st != CM_OK) {
            (*bad)++;
            diag("%s: %s", path, err);
            free(err);
            free(t);
            continue;
        }
        why = check_model(d);
        for (i = 0; why == NULL && i < d->n_paras; i++)
            if (cm_doc_check_text(d->paras[i].text, d->paras[i].text_len,
                                  NULL, NULL) != CM_OK ||
                cm_doc_check_text(d->paras[i].heading,
                                  strlen(d->paras[i].heading), NULL,
                                  NULL) != CM_OK)
                why = "invalid UTF-8 in a paragraph";
        if (why != NULL) {
            (*bad)++;
            if (*bad <= 10)
                diag("%s: %s", path, why);
        }
        *paras += d->n_paras;
        cm_doc_free(d);
        free(t);
    }
    closedir(dh);
}

static void
test_corpus(void)
{
    /* hudoc/ holds JSON feeds (metadata, no documents): not parsed. */
    static const char *const dirs[] = {"seed", "treaties", "udhr"};
    const char *top = getenv("top_srcdir");
    char base[4096];
    size_t i;
    struct stat sb;

    if (top != NULL)
        snprintf(base, sizeof base, "%s/../shared/corpus", top);
    if (top == NULL || stat(base, &sb) != 0)
        snprintf(base, sizeof base, "/work/shared/corpus");
    for (i = 0; i < 3; i++) {
        char dir[4200];
        size_t files = 0, bytes = 0, bad = 0, rejected = 0, paras = 0;
        double secs = 0;
        snprintf(dir, sizeof dir, "%s/%s", base, dirs[i]);
        if (stat(dir, &sb) != 0) {
            diag("%s absent: skipping", dir);
            continue;
        }
        corpus_dir(dir, &files, &bytes, &secs, &bad, &rejected, &paras);
        ok(files > 0 && bad == 0,
           "corpus %s: %zu files, %zu rejected as not text, %zu paragraphs, "
           "all valid", dirs[i], files, rejected, paras);
        diag("corpus %s: %.1f MB parsed in %.2f s: %.0f MB/s", dirs[i],
             (double)bytes / 1e6, secs,
             secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
    }
}

/* ---- metadata ------------------------------------------------------- */

static const struct {
    const char *text, *iso;
} dates[] = {
    {"28 March 2008", "2008-03-28"},
    {"Strasbourg, 28 March 2008", "2008-03-28"},
    {"28 mars 2008", "2008-03-28"},
    {"1er juin 1956", "1956-06-01"},
    {"le 24 octobre 1956", "1956-10-24"},
    {"14. Februar 2012", "2012-02-14"},
    {"11. März 2015", "2015-03-11"},
    {"24 giugno 2010", "2010-06-24"},
    {"28 de marzo de 2008", "2008-03-28"},
    {"de 24ste oktober 1956", "1956-10-24"},
    {"de 5e oktober 1961", "1961-10-05"},
    {"11 апреля 2016", "2016-04-11"},
    {"27 мая 2011", "2011-05-27"},
    {"10 Απριλίου 2014", "2014-04-10"},
    {"22 Μαΐου 2015", "2015-05-22"},
    {"2017 წლის 28 აპრილი", "2017-04-28"},
    {"24 stycznia 2017", "2017-01-24"},
    {"Warszawa, 3 października 2019 r.", "2019-10-03"},
    {"23. června 2017", "2017-06-23"},
    {"dne 1. září 2020", "2020-09-01"},
    {"Done at Rome this 4th day of November 1950 in English",
     "1950-11-04"},
    {"Done at Paris on the 20th day of March, 1952", "1952-03-20"},
    {"March 28, 2008", "2008-03-28"},
    {"*Warsaw, 16.V.2005*", "2005-05-16"},
    {"Strasbourg, 15.XII.1995", "1995-12-15"},
    {"28/03/2008", "2008-03-28"},
    {"28.03.2008", "2008-03-28"},
    {"2008-03-28", "2008-03-28"},
    {"31 April 2008", ""},
    {"29 February 2007", ""},
    {"29 February 2008", "2008-02-29"},
    {"28 March 1492", ""},
    {"paragraph 28 of March's report", ""},
    {"Recommendation 1806 (2007)", ""},
    {"12345 March 2008", ""},
    {"", ""},
};

static void
test_dates(void)
{
    char iso[11];
    size_t i, s = 99, e = 99;

    for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        int found = cm_doc_find_date(dates[i].text, strlen(dates[i].text),
                                     iso, NULL, NULL);
        char name[200];
        snprintf(name, sizeof name, "date: '%s'", dates[i].text);
        is_str(found ? iso : "", dates[i].iso, name);
    }
    ok(cm_doc_find_date("On 28 March 2008.", 17, iso, &s, &e) && s == 3 &&
           e == 16,
       "date: byte range");
}

static const struct {
    const char *name, *src;
    cm_format fmt;
    const char *number, *type, *date, *title;
} metas[] = {
    {"German reply",
     "**Doc. 13702**\n\n11. Februar 2015\n\n## Sprachen\n\n**Antwort auf "
     "die Empfehlung<sup>1</sup>:** Empfehlung 2052 (2014)\n\n1. Das "
     "Ministerkomitee hat.\n",
     CM_FMT_MARKDOWN, "Doc. 13702", "reply", "2015-02-11", "Sprachen"},
    {"French resolution",
     "**Doc. 13512**\n\n9 avril 2014\n\n## Les langues\n\n"
     "**Résolution<sup>1</sup> :** Résolution 1987 (2014)\n\n1. L'Assemblée."
     "\n",
     CM_FMT_MARKDOWN, "Doc. 13512", "resolution", "2014-04-09", "Les langues"},
    {"Greek recommendation",
     "**Doc. 13791**\n\n22 Μαΐου 2015\n\n## Τίτλος\n\n**Σύσταση<sup>1</sup>:**"
     " Σύσταση 2066 (2015)\n\n1. Η Συνέλευση.\n",
     CM_FMT_MARKDOWN, "Doc. 13791", "recommendation", "2015-05-22", "Τίτλος"},
    {"plain-text written declaration",
     "Doc. 12688\n\n23 June 2011\n\nEducation for democratic citizenship"
     "\n\nWritten declaration No. 489\n\n1. We, the undersigned.\n",
     CM_FMT_TEXT, "Doc. 12688", "declaration", "2011-06-23",
     "Education for democratic citizenship"},
    {"report with a summary",
     "**Doc. 13050**\n\n1 October 2012\n\n## Dialogue\n\n**Report<sup>1"
     "</sup>**  \nCommittee on Migration\n\n*Summary*\n\nText.\n",
     CM_FMT_MARKDOWN, "Doc. 13050", "report", "2012-10-01", "Dialogue"},
    {"treaty",
     "<meta charset='utf-8' />\n\n##Verdrag tot bescherming\n\n####Convention"
     " for the Protection\n\nThe Governments signatory hereto, considering "
     "the Declaration of 10th December 1948;\n\n### Article  1\n\nText.\n\n"
     "Done at Rome this 4th day of November 1950, in English and French.\n",
     CM_FMT_MARKDOWN, "", "convention", "1950-11-04",
     "Verdrag tot bescherming"},
    {"protocol dated on a line",
     "## Protocol No. 14\n\n*Strasbourg, 13.V.2004*\n\nThe member "
     "States.\n",
     CM_FMT_MARKDOWN, "", "protocol", "2004-05-13", "Protocol No. 14"},
    {"nothing to find", "Some text.\n\nMore text.\n", CM_FMT_MARKDOWN, "",
     "", "", ""},
};

static void
test_meta(void)
{
    size_t i;

    for (i = 0; i < sizeof metas / sizeof metas[0]; i++) {
        cm_doc *d = parse(metas[i].src, metas[i].fmt);
        char name[160];
        if (!ok(d != NULL, "%s parses", metas[i].name))
            continue;
        snprintf(name, sizeof name, "%s: number", metas[i].name);
        is_str(d->number, metas[i].number, name);
        snprintf(name, sizeof name, "%s: type", metas[i].name);
        is_str(d->type, metas[i].type, name);
        snprintf(name, sizeof name, "%s: date", metas[i].name);
        is_str(d->date, metas[i].date, name);
        snprintf(name, sizeof name, "%s: title", metas[i].name);
        is_str(d->title, metas[i].title, name);
        cm_doc_free(d);
    }
    ok(cm_doc_type_name("Recommandation", 14) != NULL &&
           strcmp(cm_doc_type_name("Recommandation", 14),
                  "recommendation") == 0 &&
           strcmp(cm_doc_type_name("ΨΉΦΙΣΜΑ", strlen("ΨΉΦΙΣΜΑ")),
                  "resolution") == 0 &&
           cm_doc_type_name("Recommend", 9) == NULL,
       "cm_doc_type_name");
    ok(cm_doc_type_name("RESOLUÇÃO", strlen("RESOLUÇÃO")) != NULL &&
           strcmp(cm_doc_type_name("RESOLUÇÃO", strlen("RESOLUÇÃO")),
                  "resolution") == 0 &&
           strcmp(cm_doc_type_name("Relatório", strlen("Relatório")),
                  "report") == 0,
       "cm_doc_type_name: Portuguese");
}

/* ---- encodings ------------------------------------------------------ */

static void
test_decode(void)
{
    /* "Le Comité des Ministres a pris note de la résolution, à
     * l'unanimité." in Latin-1, a few times: enough for the detector. */
    static const char latin1[] =
        "Le Comit\xe9 des Ministres a pris note de la r\xe9solution "
        "adopt\xe9" "e \xe0 l'unanimit\xe9 par l'Assembl\xe9" "e "
        "parlementaire, et il a d\xe9" "cid\xe9 de la transmettre aux "
        "gouvernements des \xc9tats membres. Le Comit\xe9 des Ministres "
        "a pris note de la r\xe9solution adopt\xe9" "e \xe0 l'unanimit\xe9"
        ".\n";
    static const char cp1252[] =
        "The Committee\x92s reply \x93on co-operation\x94 was adopted "
        "\x96 unanimously \x96 by the Ministers\x92 Deputies, who also "
        "noted the Assembly\x92s position on migration and development.\n";
    char *t = NULL, *err = NULL;
    size_t n = 0;
    cm_status st;

    st = cm_doc_decode(latin1, sizeof latin1 - 1, &t, &n, &err);
    ok(st == CM_OK && t && strstr(t, "Comit\xc3\xa9 des Ministres") &&
           strstr(t, "\xc3\xa0 l'unanimit\xc3\xa9") && strlen(t) == n,
       "Latin-1 converted to UTF-8 (%s)", err ? err : "ok");
    free(t);
    free(err);
    t = err = NULL;
    st = cm_doc_decode(cp1252, sizeof cp1252 - 1, &t, &n, &err);
    ok(st == CM_OK && t && strstr(t, "Committee\xe2\x80\x99s") &&
           strstr(t, "\xe2\x80\x9con co-operation\xe2\x80\x9d"),
       "Windows-1252 quotes converted (%s)", err ? err : "ok");
    free(t);
    free(err);
    t = err = NULL;
    st = cm_doc_decode("\xff\xfe\x00\x41", 4, &t, &n, &err);
    ok(st == CM_EPARSE && t == NULL && err &&
           strstr(err, "NUL byte at offset 2"),
       "binary rejected: %s", err ? err : "");
    free(err);
    err = NULL;
    st = cm_doc_decode("ab\x80", 3, &t, &n, &err);
    ok(st == CM_EPARSE && t == NULL && err &&
           strncmp(err, "invalid UTF-8 at byte 2", 23) == 0,
       "a stray byte is not enough to convert: %s", err ? err : "");
    free(err);
    err = NULL;
    st = cm_doc_decode("\xef\xbb\xbfok", 5, &t, &n, &err);
    ok(st == CM_OK && n == 2 && strcmp(t, "ok") == 0, "BOM dropped");
    free(t);
    t = NULL;
    st = cm_doc_decode("", 0, &t, &n, &err);
    ok(st == CM_OK && n == 0 && t && *t == '\0', "empty");
    free(t);
    is_int(cm_doc_decode("x", 1, NULL, &n, &err), CM_EINVAL, "no out");
    free(err);
}

/* Text in the charset it declares for itself. */
static const struct {
    const char *name, *src, *want, *err;
} declared[] = {
    {"KOI8-R in http-equiv",
     "<meta http-equiv=\"Content-Type\" content=\"text/html; "
     "charset=koi8-r\"><p>\xf2\xc5\xda\xcf\xcc\xc0\xc3\xc9\xd1</p>",
     "\xd0\xa0\xd0\xb5\xd0\xb7\xd0\xbe\xd0\xbb\xd1\x8e\xd1\x86\xd0"
     "\xb8\xd1\x8f", NULL}, /* Резолюция */
    {"windows-1251 in meta charset, upper case",
     "<HTML><META CHARSET='WINDOWS-1251'><p>\xcf\xf0\xe0\xe2\xe0</p>",
     "\xd0\x9f\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", NULL}, /* Права */
    {"Shift_JIS in an XML declaration",
     "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><p>\x90\x6c\x8c\xa0"
     "</p>", "\xe4\xba\xba\xe6\xa8\xa9", NULL}, /* 人権 */
    {"ISO-8859-2", "<meta charset=iso-8859-2><p>Pr\xb1wa cz\xb3owieka</p>",
     "Pr\xc4\x85wa cz\xc5\x82owieka", NULL},
    {"bytes invalid in the declared charset",
     "<meta charset=\"shift_jis\"><p>ok \x81\x20</p>", NULL,
     "invalid shift_jis at byte 32 (the charset the file declares)"},
    {"a name ICU does not know: as if none, the detector's Latin-1",
     "<meta charset=\"x-klingon\"><p>\xf2\xc5\xda</p>",
     "\xc3\xb2\xc3\x85\xc3\x9a", NULL},
    {"declared UTF-8 but not: the UTF-8 error",
     "<meta charset=utf-8><p>a\xff</p>", NULL,
     "invalid UTF-8 at byte 24"},
};

static void
test_declared(void)
{
    size_t i;

    char *late, *t = NULL, *err = NULL;
    size_t n = 0;
    cm_status st;

    for (i = 0; i < sizeof declared / sizeof declared[0]; i++) {
        const char *src = declared[i].src;
        t = err = NULL;
        st = cm_doc_decode(src, strlen(src), &t, &n, &err);
        if (declared[i].want != NULL)
            ok(st == CM_OK && t != NULL && strstr(t, declared[i].want) &&
                   strlen(t) == n,
               "%s (%s)", declared[i].name, err ? err : "decoded");
        else
            ok(st == CM_EPARSE && t == NULL && err != NULL &&
                   strncmp(err, declared[i].err, strlen(declared[i].err)) ==
                       0,
               "%s: %s", declared[i].name, err ? err : "(no error)");
        free(t);
        free(err);
    }
    /* 5,000 bytes before the <meta>: past the 4,096 looked at, so not
     * read as KOI8-R (the detector may take it for Latin-1). */
    late = repeat("<!-- padding -->", 313,
                  "<meta charset=koi8-r><p>\xf2\xc5\xda</p>");
    t = err = NULL;
    st = cm_doc_decode(late, strlen(late), &t, &n, &err);
    ok((st == CM_OK && strstr(t, "\xd0\xa0") == NULL) || st == CM_EPARSE,
       "a declaration too late is not read");
    free(t);
    free(err);
    free(late);
}

/* An Assembly text named without its year cites the text of that number
 * which the document cites with its year; another body's text of a
 * number the document never dates is not taken. */
static void
test_yearless_refs(void)
{
    cm_doc *d = parse(
        "1. The Assembly recalls its Resolution 1740 (2010) and "
        "Recommendation 1806 (2007).\n\n"
        "2. As Recommendation 1806 asked, and as Resolution 1740, "
        "paragraph 3, says, the members act.\n\n"
        "3. The UN General Assembly adopted Resolution 895, and its "
        "Resolution 1740a.\n\n"
        "4. In Recommandation 1806 the Assembly asked for more.\n",
        CM_FMT_MARKDOWN);

    if (!ok(d != NULL && d->n_paras == 4, "year-less names: four paragraphs"))
        goto out;
    is_str(refs_of(&d->paras[0]), "pace-res-1740-2010 pace-rec-1806-2007",
           "year-less names: the dated ones");
    is_str(refs_of(&d->paras[1]), "pace-rec-1806-2007 pace-res-1740-2010",
           "year-less names: cite the texts the document dates");
    is_str(refs_of(&d->paras[2]), "",
           "year-less names: not a number the document never dates");
    is_str(refs_of(&d->paras[3]), "pace-rec-1806-2007",
           "year-less names: in another language");
out:
    cm_doc_free(d);
    d = parse("Recommendation 2101 is cited here without a year.\n",
              CM_FMT_MARKDOWN);
    ok(d != NULL && d->n_paras == 1 && d->paras[0].n_refs == 0,
       "year-less names alone: no reference");
    cm_doc_free(d);
}

int
main(void)
{
    test_seed();
    test_yearless_refs();
    test_dates();
    test_meta();
    test_decode();
    test_declared();
    test_markdown();
    test_markdown_details();
    test_md4c_overread();
    test_text();
    test_html();
    test_html_details();
    test_pdf();
    test_docx();
    test_doc_word97();
    test_doc_ole();
    test_odt();
    test_rtf();
    test_api();
    test_check_text();
    test_read_file();
    test_big();
    test_deep();
    test_corpus();
    cm_lang_thread_release();
    release_fonts();
    return done_testing();
}
