/* test_query.c: query text -> query tree, and errors with their column. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "cm_index.h"
#include "cm_query.h"
#include "cm_query_int.h"
#include "cm_schema.h"
#include "cm_tok.h"
#include "tap.h"

/* Query trees carry stem synonyms whose exact shape depends on the
 * stemmers' version, so good queries are checked by what their description
 * must and must not contain. */
typedef struct {
    const char *query;
    const char *has[4];    /* substrings of the description, or NULL */
    const char *hasnt[2];  /* substrings it must not have */
    unsigned column;       /* for errors */
    const char *error;     /* NULL for a good query */
} row;

static const row rows[] = {
    /* A word of a script written without spaces: the phrase of its pairs
     * of characters (cm_tok.h), no stems; word* without an index too. */
    {"ꦲꦸꦩꦠ꧀ꦩ", {"ꦲꦸꦩ@1 PHRASE 3 ꦩꦠ꧀@2 PHRASE 3 ꦠ꧀ꦩ@3", NULL},
     {"Z", "ꦲꦸ@"}, 0, NULL}, /* not its characters (CM_TOK_ONE) */
    {"ꦲꦸꦩꦠ*", {"ꦲꦸꦩ@1 PHRASE 2 ꦩꦠ@2", NULL}, {"WILDCARD", NULL}, 0, NULL},
    /* Chinese and Japanese the same way, across ICU's dictionary words
     * (委员会 保护: the phrase of the pairs, not of the words). */
    {"会保护", {"会保@1 PHRASE 2 保护@2", NULL}, {"Z", "会@"}, 0, NULL},
    {"人権を守る", {"人権@1 PHRASE 4 権を@2 PHRASE 4 を守@3 PHRASE 4 守る@4",
                  NULL},
     {"Z", NULL}, 0, NULL},
    {"权", {"权@1", NULL}, {"PHRASE", NULL}, 0, NULL},
    /* An unquoted word: the exact term or its stem by each stemmer (a
     * stem term names its stemmer: it is only in paragraphs of that
     * language). */
    {"migration", {"6 * migration@1 OR (Z", "SYNONYM Zen:migrat SYNONYM",
                   "SYNONYM Zfr:migrat SYNONYM", NULL},
     {NULL}, 0, NULL},
    {"Migration  ", {"6 * migration@1 OR (Z", NULL}, {NULL}, 0, NULL},
    {"migration integration",
     {"migration@1", " AND (6 * integration@1", "Zen:integr SYNONYM", NULL}, {NULL}, 0,
     NULL},
    /* A phrase is exact: no stems; a compound is also tried joined. */
    {"\"co-development\"",
     {"(co@1 PHRASE 2 development@2) OR codevelopment@1", NULL}, {"Z"}, 0,
     NULL},
    {"co-development", {"(co@1 PHRASE 2 development@2) OR (codevelopment@1",
                        NULL}, {NULL}, 0, NULL},
    {"\"migrant minors\" IOM",
     {"(migrant@1 PHRASE 2 minors@2) AND (6 * iom@1", NULL}, {"Zmigrant"}, 0,
     NULL},
    /* Case and accents are folded as in the index. */
    {"ÉTATS", {"etats@1", NULL}, {"É", "é"}, 0, NULL},
    {"\"\" x", {"x@1", NULL}, {NULL}, 0, NULL},
    {"a\"b c\"", {"(6 * a@1", " AND (b@1 PHRASE 2 c@2)", NULL}, {NULL}, 0, NULL},
    {"\"l’homme\"", {"homme@1", NULL}, {"l’", "Z"}, 0, NULL},
    /* Errors, with the column counted in characters from 1. */
    {"\"unclosed", {NULL}, {NULL}, 1, "unclosed quote"},
    {"migration \"co-dev", {NULL}, {NULL}, 11, "unclosed quote"},
    {"états \"x", {NULL}, {NULL}, 7, "unclosed quote"},
    {"", {NULL}, {NULL}, 1, "the query has no words to search for"},
    {"  ... ,;", {NULL}, {NULL}, 1, "the query has no words to search for"},
    {"\"\"", {NULL}, {NULL}, 1, "the query has no words to search for"},

    /* Boolean operators: juxtaposition is AND; OR binds tighter than it,
     * AND tighter than OR; operators are upper case only. */
    {"a b", {"((6 * a@1 OR (Z*)) AND (6 * b@1 OR (Z*)))", NULL}, {NULL}, 0,
     NULL},
    {"a OR b", {"((6 * a@1 OR (Z*)) OR (6 * b@1 OR (Z*)))", NULL}, {NULL}, 0,
     NULL},
    {"a or b", {"(6 * or@1 OR (Z*))", " AND ", NULL}, {" OR (b"}, 0, NULL},
    {"a b OR c",
     {"((6 * a@1 OR (Z*)) AND ((6 * b@1 OR (Z*)) OR (6 * c@1 OR (Z*))))", NULL},
     {NULL}, 0, NULL},
    {"a OR b AND c",
     {"((6 * a@1 OR (Z*)) OR ((6 * b@1 OR (Z*)) AND (6 * c@1 OR (Z*))))", NULL},
     {NULL}, 0, NULL},
    {"a AND b OR c",
     {"(((6 * a@1 OR (Z*)) AND (6 * b@1 OR (Z*))) OR (6 * c@1 OR (Z*)))", NULL},
     {NULL}, 0, NULL},
    {"(a OR b) c",
     {"(((6 * a@1 OR (Z*)) OR (6 * b@1 OR (Z*))) AND (6 * c@1 OR (Z*)))", NULL},
     {NULL}, 0, NULL},
    {"(((((a)))))", {"(6 * a@1 OR (Z*))", NULL}, {" AND "}, 0, NULL},
    /* Exclusion: -word, NOT word, AND NOT, +word. */
    {"a -b", {"((6 * a@1 OR (Z*)) AND_NOT (b@1 SYNONYM Z*))", NULL}, {NULL},
     0, NULL},
    {"-b a", {"((6 * a@1 OR (Z*)) AND_NOT (b@1 SYNONYM Z*))", NULL}, {NULL},
     0, NULL},
    {"a NOT b", {"((6 * a@1 OR (Z*)) AND_NOT (b@1 SYNONYM Z*))", NULL},
     {NULL}, 0, NULL},
    {"a AND NOT b", {"((6 * a@1 OR (Z*)) AND_NOT (b@1 SYNONYM Z*))", NULL},
     {NULL}, 0, NULL},
    {"a AND -b", {"AND_NOT (b@1", NULL}, {NULL}, 0, NULL},
    {"a -(b OR c)",
     {"AND_NOT ((b@1 SYNONYM Z*) OR (c@1 SYNONYM Z*))", NULL}, {NULL}, 0,
     NULL},
    {"a -b -c", {"AND_NOT ((b@1 SYNONYM Z*) OR (c@1 SYNONYM Z*))", NULL},
     {NULL}, 0, NULL},
    {"+a b", {"((6 * a@1 OR (Z*)) AND (6 * b@1 OR (Z*)))", NULL}, {NULL}, 0,
     NULL},
    {"a - b", {"((6 * a@1 OR (Z*)) AND (6 * b@1 OR (Z*)))", NULL}, {NULL}, 0,
     NULL},
    {"a not b", {"(6 * not@1 OR (Z*))", NULL}, {"AND_NOT"}, 0, NULL},
    /* Proximity. */
    {"a NEAR b", {"(a@1 NEAR 12 b@2)", NULL}, {"Za"}, 0, NULL},
    {"a NEAR/3 b", {"(a@1 NEAR 5 b@2)", NULL}, {NULL}, 0, NULL},
    {"a NEAR b NEAR/2 c", {"(a@1 NEAR 5 b@2 NEAR 5 c@3)", NULL}, {NULL}, 0,
     NULL},
    {"a NEAR/3 \"b c\"",
     {"((a@1 NEAR 6 b@2 NEAR 6 c@3) AND (b@1 PHRASE 2 c@2))", NULL}, {NULL},
     0, NULL},
    {"\"migrant minors\"~3", {"(migrant@1 NEAR 5 minors@2)", NULL}, {"Z"}, 0,
     NULL},
    {"a near b", {"(6 * near@1 OR (Z*))", NULL}, {" NEAR "}, 0, NULL},
    /* Wildcards and exact forms. */
    {"migra*", {"WILDCARD SYNONYM migra", NULL}, {"Z"}, 0, NULL},
    {"Migra**", {"WILDCARD SYNONYM migra", NULL}, {NULL}, 0, NULL},
    {"co-dev*", {"(6 * co@1 OR (Z*)) AND WILDCARD SYNONYM dev", NULL},
     {NULL}, 0, NULL},
    {"=Migrations", {"migrations@1", NULL}, {"Z", "SYNONYM"}, 0, NULL},
    {"=états x", {"etats@1 AND (6 * x@1", NULL}, {"Zetat"}, 0, NULL},
    /* Fields: filters without weight; unknown names are words. */
    {"lang:fr migration", {"FILTER Lfr)", "Zfr:migrat", NULL}, {NULL}, 0, NULL},
    {"lang:fr", {"0 * Lfr", NULL}, {NULL}, 0, NULL},
    {"lang:\"fr\"", {"0 * Lfr", NULL}, {NULL}, 0, NULL},
    {"lang:fr OR lang:en", {"0 * (Lfr OR Len)", NULL}, {NULL}, 0, NULL},
    {"year:2008 migration", {"FILTER Y2008", NULL}, {NULL}, 0, NULL},
    {"date:2008-01..2008-06 x", {"VALUE_RANGE 0 2008-01-01 2008-06-30",
                                 NULL}, {NULL}, 0, NULL},
    {"year:2005..2010 x", {"VALUE_RANGE 0 2005-01-01 2010-12-31", NULL},
     {"Y2005"}, 0, NULL},
    {"year:2005.. x", {"VALUE_GE 0 2005-01-01", NULL}, {NULL}, 0, NULL},
    {"year:..2010 x", {"VALUE_LE 0 2010-12-31", NULL}, {NULL}, 0, NULL},
    {"doc:11549 IOM", {"FILTER XDOC11549", NULL}, {NULL}, 0, NULL},
    {"type:recommendation", {"XTYPErecommendation", NULL}, {NULL}, 0, NULL},
    {"section:appendix x", {"XSECappendix", NULL}, {NULL}, 0, NULL},
    {"title:migration", {"Smigration", NULL}, {NULL}, 0, NULL},
    {"cites:\"Recommendation 1806 (2007)\" x",
     {"XREFpace-rec-1806-2007", NULL}, {"1806@"}, 0, NULL},
    {"cites:\"Recommendation 1806\" x",
     {"WILDCARD SYNONYM XREFpace-rec-1806-", NULL}, {"1806@"}, 0, NULL},
    {"cites:pace-res-1740", {"WILDCARD SYNONYM XREFpace-res-1740-", NULL},
     {NULL}, 0, NULL},
    {"x -lang:fr", {"AND_NOT Lfr", NULL}, {NULL}, 0, NULL},
    {"foo:bar", {"foo@1 PHRASE 2 bar@2", NULL}, {NULL}, 0, NULL},
    {"Lang:fr", {"lang@1", NULL}, {"Lfr"}, 0, NULL},
    /* References and parentheses inside a word. */
    {"CM/Rec(2007)9", {"cm@1 PHRASE 4 rec@2 PHRASE 4 2007@3 PHRASE 4 9@4",
                       NULL}, {NULL}, 0, NULL},
    {"(CM/Rec(2007)9 OR x)", {"PHRASE 4 9@4) OR (6 * x@1", NULL}, {NULL}, 0,
     NULL},
    {"x (\"a b\" OR c*)", {"((a@1 PHRASE 2 b@2) OR WILDCARD SYNONYM c)",
                          NULL}, {NULL}, 0, NULL},

    /* Errors, with their column. */
    {"(a OR", {NULL}, {NULL}, 4, "nothing after OR"},
    {"(a", {NULL}, {NULL}, 1, "unclosed parenthesis"},
    {"a AND (b", {NULL}, {NULL}, 7, "unclosed parenthesis"},
    {"a )", {NULL}, {NULL}, 3, "')' without '('"},
    {"a AND", {NULL}, {NULL}, 3, "nothing after AND"},
    {"AND a", {NULL}, {NULL}, 1, "nothing before AND"},
    {"OR", {NULL}, {NULL}, 1, "nothing before OR"},
    {"a OR OR b", {NULL}, {NULL}, 3, "nothing after OR"},
    {"a NOT", {NULL}, {NULL}, 3, "nothing after NOT"},
    {"-a", {NULL}, {NULL}, 1,
     "nothing to search for: the query only excludes words"},
    {"NOT a -b", {NULL}, {NULL}, 1,
     "nothing to search for: the query only excludes words"},
    {"a OR -b", {NULL}, {NULL}, 6,
     "'-' cannot follow OR or NEAR: exclude with -word or NOT word beside "
     "the others"},
    {"NEAR/x", {NULL}, {NULL}, 1, "nothing before NEAR"},
    {"a NEAR/x b", {NULL}, {NULL}, 8,
     "NEAR/ wants a number of words, such as NEAR/5"},
    {"a NEAR/200 b", {NULL}, {NULL}, 8, "NEAR/200 is too far (at most 100)"},
    {"a NEAR", {NULL}, {NULL}, 7,
     "NEAR wants a word or a \"phrase\" on each side"},
    {"a NEAR (b)", {NULL}, {NULL}, 8,
     "NEAR wants a word or a \"phrase\" on each side"},
    {"\"a b\"~x", {NULL}, {NULL}, 7, "~ wants a number of words, such as ~5"},
    {"*", {NULL}, {NULL}, 1, "'*' wants letters before it"},
    {"date:2008-13-45", {NULL}, {NULL}, 6,
     "invalid date 2008-13-45 (use YYYY-MM-DD)"},
    {"x date:2008-01..2008-12-32", {NULL}, {NULL}, 17,
     "invalid date 2008-12-32 (use YYYY-MM-DD)"},
    {"état year:20", {NULL}, {NULL}, 11,
     "year: wants four digits, such as 2008, or a range such as "
     "2005..2010"},
    {"year:2010..2005", {NULL}, {NULL}, 6,
     "the range 2010..2005 ends before it starts"},
    {"year:..", {NULL}, {NULL}, 6,
     "year: wants four digits, such as 2008, or a range such as "
     "2005..2010"},
    {"year:2005...2010", {NULL}, {NULL}, 6,
     "year: wants four digits, such as 2008, or a range such as "
     "2005..2010"},
    {"year:05..10", {NULL}, {NULL}, 6,
     "year: wants four digits, such as 2008, or a range such as "
     "2005..2010"},
    {"lang:\"fr", {NULL}, {NULL}, 6, "unclosed quote"},
    {"title:", {NULL}, {NULL}, 7, "title: wants a value"},
    {"a \"b\" (c", {NULL}, {NULL}, 7, "unclosed parenthesis"},
};

/* Whether r starts a stem term, "Z<code>:<stem>"; *len: its length. */
static int
at_stem(const char *r, size_t *len)
{
    size_t t;

    if (*r != 'Z')
        return 0;
    t = strcspn(r, ") ");
    if (memchr(r, ':', t) == NULL)
        return 0;
    *len = t;
    return 1;
}

/* d with each run of stem terms "Z<code>:<stem> SYNONYM Z<code>:..." (one
 * per stemmer language; every one of them without an index) written
 * "Z*", in place: the tables check the shape of queries; the stems
 * themselves are checked apart. */
static char *
squash_stems(char *d)
{
    static const char syn[] = " SYNONYM ";
    char *r = d, *w = d;
    size_t len;

    while (*r) {
        if ((r == d || r[-1] == '(' || r[-1] == ' ') && at_stem(r, &len)) {
            memcpy(w, "Z*", 2);
            w += 2;
            r += len;
            while (strncmp(r, syn, sizeof syn - 1) == 0 &&
                   at_stem(r + sizeof syn - 1, &len))
                r += sizeof syn - 1 + len;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    return d;
}

/* The description of text compiled with opts ("" on failure; static),
 * stems squashed (describe_raw: as they are). */
static char *
describe_raw(cm_tok *tok, const char *text, const cm_query_opts *opts,
             cm_query **keep)
{
    static char buf[8192];
    cm_query *q = NULL;
    cm_query_error err;
    char *d = NULL;

    buf[0] = '\0';
    if (cm_query_compile(text, strlen(text), tok, opts, &q, &err) == CM_OK &&
        cm_xquery_describe(cm_query_xquery(q), &d) == CM_OK)
        snprintf(buf, sizeof buf, "%s", d);
    free(d);
    if (keep)
        *keep = q;
    else
        cm_query_free(q);
    return buf;
}

static const char *
describe(cm_tok *tok, const char *text, const cm_query_opts *opts,
         cm_query **keep)
{
    return squash_stems(describe_raw(tok, text, opts, keep));
}

static int
has_hl(const cm_query *q, cm_hl_kind kind, const char *s)
{
    size_t n, i;
    const cm_hl_term *h = cm_query_highlights(q, &n);
    for (i = 0; i < n; i++)
        if (h[i].kind == kind && strcmp(h[i].s, s) == 0)
            return 1;
    return 0;
}

static void
compile_tests(cm_tok *tok)
{
    cm_query_opts o;
    cm_query *q = NULL;
    const cm_query_word *w;
    const cm_query_wildcard *wc;
    const char *d;
    char want[128];
    size_t n, i;
    double ratio = 0;

    memset(&o, 0, sizeof o);
    o.any = 1;
    d = describe(tok, "a b", &o, NULL);
    ok(strstr(d, "(6 * a@1 OR (Z*)) OR (6 * b@1 OR (Z*))") != NULL,
       "--any: juxtaposed words are OR'ed");
    d = describe(tok, "+a b c", &o, NULL);
    ok(strstr(d, "(6 * a@1 OR (Z*)) AND_MAYBE ((6 * b@1 OR (Z*)) OR (6 * c@1") !=
           NULL, "--any: +a is required, the others add weight: %s", d);
    d = describe(tok, "a b AND c", &o, NULL);
    ok(strstr(d, "(6 * a@1 OR (Z*)) OR ((6 * b@1 OR (Z*)) AND (6 * c@1") != NULL,
       "--any: explicit AND still binds");
    d = describe(tok, "a b lang:fr", &o, NULL);
    ok(strstr(d, "FILTER Lfr") != NULL, "--any: a field still filters");

    memset(&o, 0, sizeof o);
    o.plain = 1;
    d = describe(tok, "\"unclosed (a OR NEAR/x date:2008-13-45", &o, NULL);
    ok(strstr(d, "unclosed@1") != NULL && strstr(d, "(6 * or@1") != NULL &&
           strstr(d, "near@1 PHRASE 2 x@2") != NULL,
       "plain: a malformed query read as words: %s", d);
    d = describe(tok, "() \"\" *", &o, NULL);
    is_str(d, "", "plain: no words is still no query");

    memset(&o, 0, sizeof o);
    o.rank = 1;
    d = describe(tok, "migrant minors", &o, NULL);
    ok(strstr(d, "AND_MAYBE") != NULL &&
           strstr(d, "(migrant@1 PHRASE 2 minors@2)") != NULL,
       "rank: the words as a phrase add weight: %s", d);
    ok(strstr(d, " NEAR ") == NULL, "rank: no proximity boost (its cost)");
    /* 2 on plain BM25's scale (cm_schema.h). */
    snprintf(want, sizeof want,
             "(0 * Smigrant@1 AND PostingSource(Xapian::"
             "FixedWeightPostingSource(wt=%g)))", 2.0 * CM_BM25_SCALE);
    ok(strstr(d, want) != NULL &&
           strstr(d, "(0 * Sminors@2 AND PostingSource(") != NULL,
       "rank: each title word adds a fixed weight: %s", d);
    ok(strstr(d, "XSECheading") == NULL,
       "rank: no heading filter (headings weigh through their wdfs)");
    d = describe(tok, "migration -asylum", &o, NULL);
    ok(strstr(d, "Sasylum") == NULL, "rank: excluded words add nothing");
    d = describe(tok, "migrant", &o, NULL);
    ok(strstr(d, "PHRASE") == NULL && strstr(d, "Smigrant@1") != NULL,
       "rank: one word: no phrase boost, a title boost: %s", d);
    d = describe(tok, "\"migrant minors\"", &o, NULL);
    ok(strstr(d, "AND_MAYBE") != NULL && strstr(d, "PHRASE") != NULL &&
           strstr(strstr(d, "PHRASE") + 1, "PHRASE") == NULL &&
           strstr(d, "0.5 * migrant@1") == NULL,
       "rank: a quoted phrase gets no phrase or exact boost again: %s", d);
    /* The exact form: weighed in the word's own query (one walk of its
     * postlist); the boost keeps only the words whose query does not
     * (quoted, numbers, no stem). */
    d = describe(tok, "migrant minors", &o, NULL);
    ok(strstr(d, "(6 * migrant@1 OR (Z*)) AND (6 * minors@1 OR (Z*))") !=
               NULL &&
           strstr(d, "6 * (") == NULL,
       "rank: unquoted words weigh their exact form themselves: %s", d);
    d = describe(tok, "migrant \"minors\" 1806", &o, NULL);
    ok(strstr(d, "(6 * migrant@1 OR (Z*))") != NULL &&
           strstr(d, "6 * (minors@2 OR 1806@3)") != NULL,
       "rank: a quoted word and a number get the exact-form boost: %s", d);
    d = describe(tok, "extradition OR deportation", &o, NULL);
    ok(strstr(d, "AND_MAYBE") != NULL && strstr(d, "PHRASE") == NULL,
       "rank: words OR'ed are alternatives, no phrase boost: %s", d);
    d = describe(tok, "(arbitration OR conciliation) dispute", &o, NULL);
    ok(strstr(d, "PHRASE") == NULL,
       "rank: nor when a group of alternatives is ANDed: %s", d);
    d = describe(tok, "lang:en OR lang:fr human rights", &o, NULL);
    ok(strstr(d, "(human@1 PHRASE 2 rights@2)") != NULL,
       "rank: filters OR'ed leave the words a phrase: %s", d);
    d = describe(tok, "lang:fr", &o, NULL);
    ok(strstr(d, "AND_MAYBE") == NULL, "rank: nothing to boost in a filter");
    /* The phrase boost under an AND_MAYBE of its own (OR'ed with the
     * title boosts, Xapian 1.4 weighed some paragraphs wrong), and the
     * query without it and the phrase alone, for the two passes. */
    d = describe(tok, "human rights", &o, &q);
    ok(strstr(d, "AND_MAYBE 1 * (human@1 PHRASE 2 rights@2)) AND_MAYBE") !=
           NULL,
       "rank: (main AND_MAYBE phrase) AND_MAYBE the other boosts: %s", d);
    {
        const cm_xquery *ph = NULL, *rest = cm_query_rerank(q, &ph, &ratio);
        char *rd = NULL, *pd = NULL;
        ok(rest != NULL && ph != NULL &&
               cm_xquery_describe(rest, &rd) == CM_OK &&
               cm_xquery_describe(ph, &pd) == CM_OK,
           "rerank: the query without the phrase, and the phrase");
        ok(rd != NULL && strstr(rd, "PHRASE") == NULL &&
               strstr(rd, "AND_MAYBE") != NULL && strstr(rd, "Shuman") != NULL,
           "rerank: the rest has every other boost: %s", rd ? rd : "");
        ok(pd != NULL &&
               strcmp(pd, "Query(1 * (human@1 PHRASE 2 rights@2))") == 0,
           "rerank: the phrase alone: %s", pd ? pd : "");
        ok(fabs(ratio - 1.0 / 6) < 1e-12,
           "rerank: the phrase weighs at most a sixth of the rest (%g)",
           ratio);
        free(rd);
        free(pd);
    }
    cm_query_free(q);
    q = NULL;
    {
        static const char *const none[] = {
            "rights", "extradition OR deportation", "\"human rights\"",
            "lang:fr"};
        /* Not NULL: the call must set it. */
        const cm_xquery *ph = (const cm_xquery *)&ratio;
        for (i = 0; i < sizeof none / sizeof none[0]; i++) {
            describe(tok, none[i], &o, &q);
            ok(q != NULL && cm_query_rerank(q, &ph, &ratio) == NULL &&
                   ph == NULL,
               "rerank: none for %s", none[i]);
            cm_query_free(q);
            q = NULL;
        }
    }

    /* The title boosts apart (cm_search.c, run_titles_apart()): for a
     * query that checks positions, without a phrase boost.  Without an
     * index, every word's title term is kept. */
    describe(tok, "\"human rights\"", &o, &q);
    {
        const cm_xquery *ti = NULL, *un = q ? cm_query_titles_apart(q, &ti)
                                            : NULL;
        char *ud = NULL, *td = NULL;
        int described = un != NULL && ti != NULL &&
                        cm_xquery_describe(un, &ud) == CM_OK &&
                        cm_xquery_describe(ti, &td) == CM_OK;
        ok(described,
           "titles apart: a phrase, its query without the title boosts");
        ok(ud != NULL && strstr(ud, "PHRASE") != NULL &&
               strstr(ud, "PostingSource") == NULL &&
               strstr(ud, "Shuman") == NULL,
           "titles apart: the phrase, no title boost: %s", ud ? ud : "");
        ok(td != NULL && strstr(td, "Shuman@1") != NULL &&
               strstr(td, "Srights@2") != NULL &&
               strstr(td, "PostingSource") == NULL,
           "titles apart: the title terms, OR'ed: %s", td ? td : "");
        free(ud);
        free(td);
    }
    cm_query_free(q);
    q = NULL;
    {
        /* A phrase boost (two passes instead), no positions to check, no
         * word to boost. */
        static const char *const none[] = {"human rights", "rights",
                                           "extradition OR deportation",
                                           "lang:fr"};
        const cm_xquery *ti = (const cm_xquery *)&ratio;
        for (i = 0; i < sizeof none / sizeof none[0]; i++) {
            describe(tok, none[i], &o, &q);
            ok(q != NULL && cm_query_titles_apart(q, &ti) == NULL &&
                   ti == NULL,
               "titles apart: none for %s", none[i]);
            cm_query_free(q);
            q = NULL;
        }
    }
    describe(tok, "\"human rights\" OR \"civil liberties\"", &o, &q);
    {
        /* Phrases as alternatives: no phrase boost, positions. */
        const cm_xquery *ti = NULL;
        ok(q != NULL && cm_query_titles_apart(q, &ti) != NULL,
           "titles apart: phrases OR'ed too");
    }
    cm_query_free(q);
    q = NULL;

    /* Words, for spelling suggestions. */
    describe(tok, "Migratoin \"human rigths\" -asylm 1806 CM/Rec(2007)9 "
                  "lang:fr co-developmnt",
             NULL, &q);
    w = cm_query_words(q, &n);
    ok(n >= 6, "words are recorded (%zu)", n);
    if (n >= 3) {
        is_str(w[0].term, "migratoin", "word 1 term");
        ok(w[0].start == 0 && w[0].end == 9, "word 1 range");
        ok(w[0].correctable, "an unquoted word is correctable");
        ok(!w[1].correctable, "a quoted one is not");
    }
    for (size_t k = 0; k < n; k++) {
        if (strcmp(w[k].term, "asylm") == 0)
            ok(!w[k].correctable, "an excluded word is not correctable");
        if (strcmp(w[k].term, "1806") == 0)
            ok(!w[k].correctable, "a number is not correctable");
        if (strcmp(w[k].term, "rec") == 0)
            ok(!w[k].correctable, "a reference is not correctable");
        if (strcmp(w[k].term, "developmnt") == 0)
            ok(w[k].correctable, "a compound's part is correctable");
    }
    ok(has_hl(q, CM_HL_TERM, "migratoin"), "highlight: the term");
    ok(!has_hl(q, CM_HL_TERM, "asylm"), "highlight: not an excluded word");
    cm_query_free(q);

    describe(tok, "Migrants x NEAR yy Organi*", NULL, &q);
    ok(has_hl(q, CM_HL_STEM, "migrant"), "highlight: an English stem");
    ok(has_hl(q, CM_HL_TERM, "yy"), "highlight: a NEAR operand");
    ok(has_hl(q, CM_HL_PREFIX, "organi"), "highlight: a wildcard prefix");
    wc = cm_query_wildcards(q, &n);
    ok(n == 1 && strcmp(wc[0].prefix, "organi") == 0 && wc[0].column == 20,
       "the wildcard and its column");
    cm_query_free(q);
}

typedef struct { const char *key, *value; } syn;

/* Acronyms through a real index's synonyms, as cmindex stores them. */
/* Index one document with the boolean terms terms[0..n) (L<code>s), and
 * commit; a test point fails when it cannot, naming what. */
/* Add the synonym key -> value and commit; a failed point says what. */
static void
add_syn(cm_db *db, const char *key, const char *value, const char *what)
{
    if (cm_db_add_synonym(db, key, value) != CM_OK ||
        cm_db_commit(db) != CM_OK)
        ok(0, "%s", what);
}

static void
add_doc_with(cm_db *db, const char *const *terms, size_t n, const char *what)
{
    cm_xdoc *x = NULL;
    unsigned id = 0;
    cm_status st = cm_xdoc_new(&x);
    size_t i;

    for (i = 0; st == CM_OK && i < n; i++)
        st = cm_xdoc_add_boolean_term(x, terms[i], strlen(terms[i]));
    if (st != CM_OK || cm_db_add_document(db, x, &id) != CM_OK ||
        cm_db_commit(db) != CM_OK)
        ok(0, "%s", what);
    cm_xdoc_free(x);
}

/* Index the first paragraph of the file key, titled "common", as cmindex
 * writes it (positional S term, file term, file key value); 0 on success. */
static int
add_title_doc(cm_db *db, const char *key)
{
    char pterm[64];
    cm_xdoc *x = NULL;
    unsigned id = 0;
    int n = snprintf(pterm, sizeof pterm, "P%s", key);
    int bad = n < 0 || (size_t)n >= sizeof pterm || cm_xdoc_new(&x) != CM_OK ||
              cm_xdoc_add_posting(x, "Scommon", 7, 1, 0) != CM_OK ||
              cm_xdoc_add_boolean_term(x, pterm, (size_t)n) != CM_OK ||
              cm_xdoc_set_value(x, CM_SLOT_FILE, key, strlen(key)) != CM_OK ||
              cm_db_add_document(db, x, &id) != CM_OK;
    cm_xdoc_free(x);
    return bad;
}

/* A new writable index in dir (a mkdtemp() template, filled in), or NULL
 * with a failed test point. */
static cm_db *
temp_db(char *dir)
{
    char path[64];
    cm_db *db = NULL;

    if (mkdtemp(dir) == NULL) {
        ok(0, "mkdtemp");
        return NULL;
    }
    snprintf(path, sizeof path, "%s/db", dir);
    if (cm_db_open_writable(path, CM_DB_CREATE, &db, NULL) != CM_OK) {
        ok(0, "a temporary index");
        return NULL;
    }
    return db;
}

static void
synonym_tests(cm_tok *tok)
{
    static const syn syns[] = {
        {"iom", "international organization for migration"},
        {"international organization for migration", "iom"},
        {"oim", "organisation internationale pour les migrations"},
        {"organisation internationale pour les migrations", "oim"},
    };
    char dir[] = "/tmp/test_query.XXXXXX";
    cm_db *db = NULL;
    cm_query_opts o;
    const char *d;
    size_t i;
    cm_query *q = NULL;

    if ((db = temp_db(dir)) == NULL)
        return;
    for (i = 0; i < sizeof syns / sizeof syns[0]; i++)
        if (cm_db_add_synonym(db, syns[i].key, syns[i].value) != CM_OK)
            ok(0, "add synonym %s", syns[i].key);
    if (cm_db_commit(db) != CM_OK)
        ok(0, "commit");
    memset(&o, 0, sizeof o);
    o.db = db;
    d = describe(tok, "IOM", &o, &q);
    ok(strstr(d, "(international@1 PHRASE 4 organization@2 PHRASE 4 for@3 "
                 "PHRASE 4 migration@4)") != NULL,
       "an acronym also finds its expansion: %s", d);
    ok(has_hl(q, CM_HL_TERM, "organization") && !has_hl(q, CM_HL_TERM, "for"),
       "the expansion's words are highlighted, not the small ones");
    cm_query_free(q);
    d = describe(tok, "\"International Organization for Migration\"", &o,
                 NULL);
    ok(strstr(d, "OR iom@1") != NULL, "a quoted expansion finds the acronym: %s",
       d);
    d = describe(tok, "International Organization for Migration return", &o,
                 NULL);
    ok(strstr(d, "iom@1") != NULL,
       "unquoted words that spell an expansion find the acronym: %s", d);
    ok(strstr(d, "return@1") != NULL, "and the other words stay");
    d = describe(tok, "OIM", &o, NULL);
    ok(strstr(d, "organisation@1 PHRASE 5") != NULL, "French: OIM: %s", d);
    d = describe(tok, "IOM", NULL, NULL);
    ok(strstr(d, "international") == NULL, "no index: no expansion");

    /* A title boost only for the words in a title of the index. */
    o.rank = 1;
    d = describe(tok, "\"migration policy\"", &o, &q);
    {
        const cm_xquery *ti = NULL;
        ok(strstr(d, "PostingSource") == NULL && q != NULL &&
               cm_query_titles_apart(q, &ti) == NULL,
           "no title has the words: no title boost, nothing apart: %s", d);
    }
    cm_query_free(q);
    q = NULL;
    {
        static const char *const t[] = {"Smigration"};
        add_doc_with(db, t, 1, "a title with migration");
    }
    d = describe(tok, "\"migration policy\"", &o, &q);
    {
        const cm_xquery *ti = NULL;
        char *td = NULL;
        ok(strstr(d, "Smigration") != NULL && strstr(d, "Spolicy") == NULL,
           "a title has one word: its boost only: %s", d);
        if (q != NULL && cm_query_titles_apart(q, &ti) != NULL &&
            cm_xquery_describe(ti, &td) != CM_OK)
            td = NULL;
        ok(td != NULL && strstr(td, "Smigration") != NULL &&
               strstr(td, "Spolicy") == NULL,
           "and its title term apart: %s", td ? td : "");
        free(td);
    }
    cm_query_free(q);
    q = NULL;
    o.rank = 0;

    /* Stems only of the languages the index has: none yet. */
    o.rank = 0;
    d = describe_raw(tok, "migrants", &o, NULL);
    ok(strstr(d, ":migr") == NULL, "no language indexed: no stem: %s", d);
    {
        static const char *const enfr[] = {"Len", "Lfr"};
        add_doc_with(db, enfr, 2, "a document in English and French");
    }
    d = describe_raw(tok, "migrants", &o, NULL);
    ok(strcmp(d, "Query(6 * migrants@1)") == 0,
       "English and French indexed, but none of the word's stem terms: "
       "the word alone, weighed as with them: %s", d);
    {
        /* The stem terms of "migrants" and "rights" in English and French
         * paragraphs, and a Swedish one, of a language no paragraph is
         * in. */
        static const char *const en[] = {"Len", "Zen:migrant", "Zen:right",
                                         "Zen:equivalent", "Zsv:migrant"};
        static const char *const fr[] = {"Lfr", "Zfr:migr"};
        add_doc_with(db, en, 5, "an English paragraph with stem terms");
        add_doc_with(db, fr, 2, "a French paragraph with stem terms");
    }
    d = describe_raw(tok, "migrants", &o, NULL);
    ok(strstr(d, "(6 * migrants@1 OR (Zen:migrant SYNONYM Zfr:migr))") !=
           NULL && strstr(d, "Zsv:") == NULL,
       "English and French indexed: their stems only, no filter: %s", d);
    {
        /* Highlights too: the stems of the languages indexed only. */
        cm_query *hq = NULL;
        const cm_hl_term *h;
        size_t nh = 0, i2, stems = 0, other = 0;
        (void)describe_raw(tok, "migrants", &o, &hq);
        h = hq ? cm_query_highlights(hq, &nh) : NULL;
        for (i2 = 0; i2 < nh; i2++) {
            if (h[i2].kind != CM_HL_STEM)
                continue;
            stems++;
            if (h[i2].langs == NULL) {
                other++;
                continue;
            }
            {
                char codes[64], *c, *save = NULL;
                snprintf(codes, sizeof codes, "%s", h[i2].langs);
                for (c = strtok_r(codes, " ", &save); c != NULL;
                     c = strtok_r(NULL, " ", &save))
                    other += strcmp(c, "en") != 0 && strcmp(c, "fr") != 0;
            }
        }
        ok(stems == 2 && other == 0,
           "stems highlighted in English and French paragraphs only (%zu "
           "stems, %zu for other languages)", stems, other);
        cm_query_free(hq);
    }
    d = describe_raw(tok, "migrants", NULL, NULL);
    ok(strstr(d, "Zsv:migrant") != NULL && strstr(d, "Zhu:") != NULL &&
           strstr(d, " FILTER ") == NULL,
       "no index: every stemmer: %s", d);
    ok(strstr(d, "Znb:") == NULL && strstr(d, "Znn:") == NULL &&
           strstr(d, "Zno:") != NULL,
       "Norwegian's codes share one stemmer, one term: %s", d);
    d = describe_raw(tok, "prava", NULL, NULL);
    ok(strstr(d, "Zsr:prav") != NULL && strstr(d, "Zhr:") == NULL &&
           strstr(d, "Zbs:") == NULL && strstr(d, "Zsh:") == NULL,
       "Serbian, Croatian, Bosnian and Serbo-Croatian share Serbian's "
       "stemmer, one term: %s", d);
    d = describe_raw(tok, "T\xc3\xbcrkiye'nin", NULL, NULL);
    ok(strstr(d, "turkiye'nin@1") != NULL && strstr(d, "turkiye@") == NULL,
       "a suffix after an apostrophe: the word as typed, not the word "
       "before it (the index's alternative, CM_TOK_BASE): %s", d);
    {
        /* A code that shares a stemmer (nb: Norwegian) is looked up too,
         * and names its stems by the stemmer's first code. */
        static const char *const nb[] = {"Lnb", "Zno:migrant"};
        add_doc_with(db, nb, 2, "a document in Norwegian Bokmal");
    }
    d = describe_raw(tok, "migrants", &o, NULL);
    ok(strstr(d, "Zno:") != NULL && strstr(d, "Znb:") == NULL &&
           strstr(d, "Zsv:") == NULL,
       "Bokmal indexed: the Norwegian stem, no other: %s", d);
    {
        /* Croatian text indexed: its stems are Serbian's (Zsr:), and a
         * Cyrillic query word stems to them too. */
        static const char *const hr[] = {"Lhr", "Zsr:prav"};
        add_doc_with(db, hr, 2, "a document in Croatian");
    }
    d = describe_raw(tok, "lang:hr prava", &o, NULL);
    ok(strstr(d, "Zsr:prav") != NULL && strstr(d, "Zhr:") == NULL,
       "lang:hr: Serbian's stem: %s", d);
    d = describe_raw(tok, "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", &o, NULL);
    ok(strstr(d, "Zsr:prav") != NULL,
       "the Cyrillic word finds the Latin text's stem: %s", d);

    /* A stemmer blind to the word's script adds no term (Russian on a
     * Latin word, English on a Cyrillic one). */
    {
        /* Zru:прав, the Russian stem of "права". */
        static const char *const ru[] = {
            "Lru", "Zru:\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2"};
        add_doc_with(db, ru, 2, "a document in Russian");
    }
    d = describe_raw(tok, "migrants", &o, NULL);
    ok(strstr(d, "Zen:migrant") != NULL && strstr(d, "Zru:") == NULL,
       "a Latin word: no Russian stem: %s", d);
    d = describe_raw(tok, "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", &o,
                     NULL);
    ok(strstr(d, "Zru:") != NULL && strstr(d, "Zen:") == NULL &&
           strstr(d, "Zfr:") == NULL,
       "a Cyrillic word: the Russian stem only: %s", d);

    /* A stem that is a word, its own stem, has no stem term in the index
     * (cm_schema.h): the query looks for the word itself ("right" for
     * "rights"), when the index has it (the languages of its paragraphs,
     * Z:right), kept to the paragraphs of the languages where it is that
     * stem and that hold it (English here): Russian paragraphs, or those
     * of no language, left out; so are paragraphs marked Z!right (it is
     * there only in words that are not their own stem). */
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "SYNONYM right") == NULL && strstr(d, "right@") == NULL,
       "a stem that no paragraph holds as a word: not looked for: %s", d);
    add_syn(db, "Z:right", "en", "add Z:right");
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "(6 * rights@1 OR (Zen:right SYNONYM right))") != NULL,
       "a stem that English paragraphs hold as a word: the word: %s", d);
    d = describe_raw(tok, "right", &o, NULL);
    ok(strstr(d, "SYNONYM right") == NULL,
       "the word typed is not its own other form: %s", d);
    add_syn(db, "Z:right", "ru", "add Z:right ru");
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "SYNONYM (right AND_NOT Lru))") != NULL,
       "Russian paragraphs hold it too: left out, as they are fewer than "
       "the English ones (2 against 1): %s", d);
    {
        static const char *const ru[] = {"Lru"};
        add_doc_with(db, ru, 1, "a second Russian paragraph");
        add_doc_with(db, ru, 1, "a third Russian paragraph");
    }
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "SYNONYM (right FILTER Len)") != NULL,
       "by keeping it to the English ones when there are no more of them "
       "than Russian ones (2 against 3): %s", d);
    d = describe_raw(tok, "lang:en rights", &o, NULL);
    ok(strstr(d, "SYNONYM right)") != NULL && strstr(d, "Lru") == NULL,
       "under lang:en, the word alone: %s", d);
    add_syn(db, "Z:right", CM_SYN_NO_LANG, "add Z:right -");
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "SYNONYM (right FILTER Len)") != NULL,
       "paragraphs of no language hold it: kept to the English ones, the "
       "only ones of its stem's languages that hold it: %s", d);
    {
        static const char *const mark[] = {"Len", "Z!right"};
        add_doc_with(db, mark, 2, "a paragraph marked Z!right");
    }
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "((right AND_NOT Z!right) FILTER Len)") != NULL,
       "marked paragraphs left out: %s", d);
    /* English stems "equivalentes" to "equivalent", whose own stem is
     * "equival": not its own stem, so its stem term holds it.  French
     * stems it to "equivalent" too, its own stem there, but no French
     * paragraph holds it: not looked for either. */
    add_syn(db, "Z:equivalent", "en", "add Z:equivalent");
    d = describe_raw(tok, "equivalentes", &o, NULL);
    ok(strstr(d, "Zen:equivalent") != NULL &&
           strstr(d, "SYNONYM equivalent") == NULL,
       "a stem that is not its own stem, or in no paragraph of the "
       "language it is the stem of: its stem terms only: %s", d);

    /* Under one lang: filter that the whole query is ANDed with, only
     * that language's stemmer; in doubt, every stemmer the index has. */
    {
        static const struct {
            const char *q, *want, *not;
        } lrows[] = {
            {"lang:fr migrants", "Zfr:migr", "Zen:"},
            {"migrants lang:en", "Zen:migrant", "Zfr:"},
            {"migrants +lang:en", "Zen:migrant", "Zfr:"},
            {"migrants AND lang:fr", "Zfr:migr", "Zen:"},
            {"lang:nb migrants", "Zno:migrant", "Zen:"},
            {"lang:zh migrants", "migrants@1 FILTER Lzh", "Z"},
            {"lang:fr lang:fr migrants", "Zfr:migr", "Zen:"},
            {"migrants -lang:fr", "Zen:migrant SYNONYM Zfr:migr", NULL},
            {"lang:fr migrants OR asylum", "Zen:migrant SYNONYM Zfr:migr",
             NULL},
            {"NOT lang:en migrants", "Zen:migrant SYNONYM Zfr:migr", NULL},
            {"(lang:fr migrants)", "Zen:migrant SYNONYM Zfr:migr", NULL},
            {"lang:fr lang:en migrants", "Zen:migrant SYNONYM Zfr:migr",
             NULL},
            {"\"lang:fr\" migrants", "Zen:migrant SYNONYM Zfr:migr", NULL},
        };
        for (i = 0; i < sizeof lrows / sizeof lrows[0]; i++) {
            d = describe_raw(tok, lrows[i].q, &o, NULL);
            ok(strstr(d, lrows[i].want) != NULL &&
                   (lrows[i].not == NULL || strstr(d, lrows[i].not) == NULL),
               "stems under %s: %s", lrows[i].q, d);
        }
        o.any = 1;
        d = describe_raw(tok, "lang:fr migrants", &o, NULL);
        ok(strstr(d, "Zen:migrant SYNONYM Zfr:migr") != NULL,
           "--any: every stemmer: %s", d);
        o.any = 0;
    }

    /* title: finds documents in two steps, at most CM_QUERY_MAX_TITLE_DOCS
     * of them; beyond, the query is refused. */
    {
        cm_query_error err;
        unsigned k;
        char key[32], *desc = NULL;
        for (k = 0; k < CM_QUERY_MAX_TITLE_DOCS; k++) {
            snprintf(key, sizeof key, "/d/%u.md", k);
            if (add_title_doc(db, key) != 0) {
                ok(0, "document %u with the title 'common'", k);
                break;
            }
        }
        if (cm_db_commit(db) != CM_OK)
            ok(0, "commit");
        o.rank = 0;
        ok(cm_query_compile("title:common", 12, tok, &o, &q, &err) == CM_OK,
           "title: of %u documents: allowed", CM_QUERY_MAX_TITLE_DOCS);
        ok(q != NULL &&
               cm_xquery_describe(cm_query_xquery(q), &desc) == CM_OK &&
               strstr(desc, "P/d/0.md") != NULL &&
               strstr(desc, "P/d/9999.md") != NULL,
           "as the OR of the documents' file terms");
        free(desc);
        cm_query_free(q);
        q = NULL;
        if (add_title_doc(db, "/d/x.md") != 0 || cm_db_commit(db) != CM_OK)
            ok(0, "one document more");
        is_int(cm_query_compile("title:common", 12, tok, &o, &q, &err),
               CM_EQUERY, "one document more: refused");
        ok(strstr(err.message, "give more words") != NULL && err.column == 1,
           "saying to give more words, at the field: %u: %s", err.column,
           err.message);
        cm_query_free(q);
        q = NULL;
    }
    cm_db_close(db);
    rm_rf(dir);
}

/* test_query QUERY: print the tree of QUERY (a tool while writing rows). */
static int
dump(cm_tok *tok, const char *text)
{
    cm_query_error err;
    cm_xquery *q = NULL;
    char *desc = NULL;
    if (cm_query_parse(text, strlen(text), tok, &q, &err) != CM_OK) {
        printf("error at column %u: %s\n", err.column, err.message);
        return 1;
    }
    if (cm_xquery_describe(q, &desc) == CM_OK)
        printf("%s\n", desc);
    free(desc);
    cm_xquery_free(q);
    return 0;
}

/* Add a document with terms[0..n) (boolean) to db, not committed: 1 on
 * success. */
static int
add_uncommitted(cm_db *db, const char *const *terms, size_t n)
{
    cm_xdoc *x = NULL;
    cm_status st = cm_xdoc_new(&x);
    size_t i;

    for (i = 0; st == CM_OK && i < n; i++)
        st = cm_xdoc_add_boolean_term(x, terms[i], strlen(terms[i]));
    if (st == CM_OK)
        st = cm_db_add_document(db, x, NULL);
    cm_xdoc_free(x);
    return st == CM_OK;
}

/* lang: as the runs of the language's paragraphs, where cmindex stamped
 * them for the index's revision; else, and for a word's stems kept to a
 * language (inside a SYNONYM, whose statistics a PostingSource cannot
 * give), the L term. */
static void
lang_runs_tests(cm_tok *tok)
{
    char dir[] = "/tmp/test_query.XXXXXX";
    static const char *const en[] = {"Len", "right"};
    static const char *const fr[] = {"Lfr", "right"};
    cm_db *db = NULL;
    cm_query_opts o;
    const char *d;
    int i;

    if ((db = temp_db(dir)) == NULL)
        return;
    memset(&o, 0, sizeof o);
    o.db = db;
    for (i = 0; i < 7; i++)
        add_doc_with(db, en, 2, "an English paragraph");
    d = describe(tok, "lang:en rights", &o, NULL);
    ok(strstr(d, "FILTER Len") != NULL, "no runs stamped: the L term: %s",
       d);
    /* Stamped just before a commit, as cmindex does. */
    add_doc_with(db, fr, 1, "a French paragraph");
    ok(add_uncommitted(db, en, 2) && cm_index_stamp_langs(db) == CM_OK &&
           cm_db_commit(db) == CM_OK,
       "an English paragraph, the languages stamped, commit");
    d = describe(tok, "lang:en rights", &o, NULL);
    ok(strstr(d, "FILTER PostingSource(cm_runs(en: 2 runs))") != NULL,
       "stamped for this commit: the runs: %s", d);
    add_doc_with(db, en, 2, "an English paragraph, not stamped");
    d = describe(tok, "lang:en rights", &o, NULL);
    ok(strstr(d, "FILTER Len") != NULL,
       "runs stamped for the commit before: the L term: %s", d);
    add_doc_with(db, fr, 2, "a French paragraph");
    /* en: 1-7, 9-10 and 12-14, four to a run on average. */
    ok(add_uncommitted(db, en, 2) && add_uncommitted(db, en, 2) &&
           add_uncommitted(db, en, 2) && cm_index_stamp_langs(db) == CM_OK &&
           cm_db_commit(db) == CM_OK,
       "three English paragraphs, the languages stamped, commit");
    d = describe(tok, "(lang:en OR lang:fr) rights", &o, NULL);
    ok(strstr(d, "cm_runs(en: 3 runs)") != NULL && strstr(d, "Lfr") != NULL,
       "fr's two paragraphs are two runs, not stamped: its term: %s", d);
    d = describe(tok, "rights -lang:en", &o, NULL);
    ok(strstr(d, "AND_NOT PostingSource(cm_runs(en: 3 runs))") != NULL,
       "-lang:en: the runs: %s", d);
    d = describe_raw(tok, "rights", &o, NULL);
    ok(strstr(d, "right FILTER (Len OR Lfr)") != NULL &&
           strstr(d, "cm_runs") == NULL,
       "a stem kept to its language: the L term: %s", d);
    cm_db_close(db);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
}

/* word* for a word of pairs of characters (a script written without
 * spaces, cm_tok.h): the phrase of its pairs, the last one expanded to the
 * index's pairs it begins, bounded like any word*. */
static void
pair_wildcard_tests(cm_tok *tok)
{
    char dir[] = "/tmp/test_query.XXXXXX";
    /* The pairs of "umat" with its pangkon, and a second pair that "ma ta"
     * begins (ta with a vowel sign i). */
    static const char *const umat[] = {"ꦲꦸꦩ", "ꦩꦠ꧀", "ꦩꦠꦶ"};
    cm_db *db = NULL;
    cm_query_opts o;
    cm_query *q = NULL;
    cm_query_error err;
    const char *d;
    const char *text = "ꦲꦸꦩꦠ*";
    const cm_query_wildcard *w;
    size_t n_w = 0;
    cm_status st;

    if ((db = temp_db(dir)) == NULL)
        return;
    add_doc_with(db, umat, 3, "a paragraph of Javanese pairs");
    memset(&o, 0, sizeof o);
    o.db = db;
    d = describe(tok, text, &o, &q);
    ok(strstr(d, "ꦲꦸꦩ@1 PHRASE 2 (ꦩꦠꦶ@2 OR ꦩꦠ꧀@2)") != NULL,
       "the last pair takes the pairs it begins: %s", d);
    ok(has_hl(q, CM_HL_PAIR, "ꦲꦸꦩ") && has_hl(q, CM_HL_PREFIX, "ꦩꦠ"),
       "its pairs highlight as pairs, the last as a prefix");
    w = cm_query_wildcards(q, &n_w);
    ok(n_w == 1 && w[0].max == CM_QUERY_MAX_EXPANSION,
       "the wildcard keeps the bound it was expanded under");
    cm_query_free(q);
    q = NULL;
    /* The search names the bound the query was parsed with when Xapian
     * refuses a word* (cm_search.c, wildcard_error()). */
    o.max_expansion = 5;
    ok(cm_query_compile(text, strlen(text), tok, &o, &q, &err) == CM_OK &&
           (w = cm_query_wildcards(q, &n_w)) != NULL && n_w == 1 &&
           w[0].max == 5,
       "a lower bound is the one kept");
    cm_query_free(q);
    q = NULL;
    o.max_expansion = 1;
    /* Compiled first: the arguments of ok() that print the error are
     * evaluated before the call in its condition would fill it in. */
    st = cm_query_compile(text, strlen(text), tok, &o, &q, &err);
    ok(st == CM_EQUERY && err.column == 3 &&
           strstr(err.message, "too many words") != NULL,
       "over the bound: a query error at the last pair: %u %s", err.column,
       err.message);
    cm_query_free(q);
    cm_db_close(db);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
}

/* *word and *word*: the index's spelling words that end with the word's
 * term, or contain it, as one SYNONYM, each highlighted; bounded as
 * word* is; a number or no index: the word itself. */
static void
inner_wildcard_tests(cm_tok *tok)
{
    char dir[] = "/tmp/test_query.XXXXXX";
    static const char *const words[] = {"mensenrechten", "grondrechten",
                                        "rechten", "rechtbank",
                                        "recht"};
    static const char *const para[] = {"mensenrechten"};
    cm_db *db = NULL;
    cm_query_opts o;
    cm_query *q = NULL;
    cm_query_error err;
    const char *d;
    size_t i;
    cm_status st;

    if ((db = temp_db(dir)) == NULL)
        return;
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (cm_db_add_spelling(db, words[i], 1) != CM_OK)
            ok(0, "spelling word %s", words[i]);
    add_doc_with(db, para, 1, "a paragraph with a compound");
    memset(&o, 0, sizeof o);
    o.db = db;
    d = describe(tok, "*rechten", &o, &q);
    ok(strstr(d, "grondrechten SYNONYM mensenrechten SYNONYM rechten") &&
           strstr(d, "rechtbank") == NULL,
       "*rechten: the words that end with it: %s", d);
    ok(has_hl(q, CM_HL_TERM, "mensenrechten") &&
           has_hl(q, CM_HL_TERM, "grondrechten"),
       "each highlighted");
    cm_query_free(q);
    q = NULL;
    d = describe(tok, "*RECHT*", &o, &q);
    ok(strstr(d, "grondrechten SYNONYM mensenrechten SYNONYM recht SYNONYM "
                 "rechtbank SYNONYM rechten") != NULL,
       "*recht*: those that contain it, the word folded: %s", d);
    cm_query_free(q);
    q = NULL;
    d = describe(tok, "*xyz", &o, &q);
    ok(strstr(d, "MatchNothing") || strstr(d, "Query()"),
       "no word ends with it: nothing matches: %s", d);
    cm_query_free(q);
    q = NULL;
    d = describe(tok, "*2008", &o, &q);
    ok(strstr(d, "2008@1") && !strstr(d, "SYNONYM"),
       "a number: the number itself: %s", d);
    cm_query_free(q);
    q = NULL;
    o.max_expansion = 2;
    st = cm_query_compile("a *recht*", 9, tok, &o, &q, &err);
    ok(st == CM_EQUERY && err.column == 3 &&
           strstr(err.message, "*recht* matches too many words (over 2)"),
       "over the bound: an error at the '*': %u %s", err.column,
       err.message);
    cm_query_free(q);
    q = NULL;
    st = cm_query_compile("*co-dev", 7, tok, &o, &q, &err);
    ok(st == CM_EQUERY && err.column == 1 &&
           strstr(err.message, "takes one word"),
       "two words after the '*': an error: %s", err.message);
    cm_query_free(q);
    q = NULL;
    o.db = NULL;
    d = describe(tok, "*rechten", &o, &q);
    ok(strstr(d, "rechten@1") != NULL, "without an index, the word: %s", d);
    cm_query_free(q);
    cm_db_close(db);
    rm_rf(dir);
}

int
main(int argc, char **argv)
{
    cm_tok *tok = NULL;
    cm_query_error err;
    cm_xquery *q;
    char *desc, *big;
    size_t i;
    cm_status st;

    if (cm_tok_new(&tok, NULL) != CM_OK)
        skip_all("no analyzer");
    if (argc > 1) {
        int rc = dump(tok, argv[1]);
        cm_tok_free(tok);
        return rc;
    }
    ok(cm_tok_stem_lang(CMQ_MAX_LANGS - 1) == NULL && CMQ_MAX_LANGS <= 64,
       "the query considers every stemmer language (CMQ_MAX_LANGS %d)",
       CMQ_MAX_LANGS);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        st = cm_query_parse(r->query, strlen(r->query), tok, &q, &err);
        if (r->error == NULL) {
            size_t k;
            desc = NULL;
            if (st != CM_OK || cm_xquery_describe(q, &desc) != CM_OK) {
                ok(0, "%s: status %d: %s", r->query, st, err.message);
            } else {
                /* Stem terms (with a ':') are looked for as they are,
                 * the rest in the shape with stems squashed. */
                char *raw = strdup(desc);
                for (k = 0; k < 4 && r->has[k]; k++)
                    if (!ok(strstr(strchr(r->has[k], ':') ? raw
                                                          : squash_stems(desc),
                                   r->has[k]) != NULL,
                            "%s: has %s", r->query, r->has[k]))
                        diag("%s", raw);
                free(raw);
                for (k = 0; k < 2 && r->hasnt[k]; k++)
                    if (!ok(strstr(desc, r->hasnt[k]) == NULL,
                            "%s: has no %s", r->query, r->hasnt[k]))
                        diag("%s", desc);
            }
            free(desc);
        } else {
            is_int(st, CM_EQUERY, r->query);
            ok(q == NULL, "%s: no query on error", r->query);
            is_int(err.column, r->column, "error column");
            is_str(err.message, r->error, "error message");
        }
        cm_xquery_free(q);
    }

    /* Bounds: a huge query is refused, not parsed. */
    big = malloc(CM_QUERY_MAX_BYTES + 2);
    memset(big, 'a', CM_QUERY_MAX_BYTES + 1);
    big[CM_QUERY_MAX_BYTES + 1] = '\0';
    st = cm_query_parse(big, strlen(big), tok, &q, &err);
    is_int(st, CM_EQUERY, "a query over the byte limit is refused");
    ok(strstr(err.message, "too long") != NULL, "and says it is too long");
    /* Too many words. */
    for (i = 0; i + 2 <= CM_QUERY_MAX_BYTES; i += 2) {
        big[i] = 'w';
        big[i + 1] = ' ';
    }
    big[i] = '\0';
    st = cm_query_parse(big, strlen(big), tok, &q, &err);
    is_int(st, CM_EQUERY, "a query over the word limit is refused");
    ok(strstr(err.message, "too many words") != NULL, "and says why");
    /* A NUL inside the text. */
    st = cm_query_parse("ab\0cd", 5, tok, &q, &err);
    is_int(st, CM_EQUERY, "a NUL byte is refused");
    is_int(err.column, 3, "at its column");
    /* Bounded nesting. */
    for (i = 0; i < CM_QUERY_MAX_DEPTH + 1; i++)
        big[i] = '(';
    big[i++] = 'a';
    big[i] = '\0';
    st = cm_query_parse(big, strlen(big), tok, &q, &err);
    is_int(st, CM_EQUERY, "too many nested parentheses are refused");
    is_int(err.column, CM_QUERY_MAX_DEPTH + 1, "at the first one too many");
    free(big);

    compile_tests(tok);
    synonym_tests(tok);
    lang_runs_tests(tok);
    pair_wildcard_tests(tok);
    inner_wildcard_tests(tok);
    cm_tok_free(tok);
    return done_testing();
}
