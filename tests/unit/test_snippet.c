/* test_snippet.c: highlights through the analyzer's offsets, and the
 * choice of the window. */
#include "config.h"

#include "cm_query.h"
#include "cm_snippet.h"
#include "cm_util.h"
#include "tap.h"

typedef struct {
    const char *text, *lang, *query;
    const char *want; /* the highlighted parts, joined with '|' */
} row;

static const row rows[] = {
    /* Exact terms, case and accents folded. */
    {"The Assembly recalls its Recommendation.", "en", "assembly",
     "Assembly"},
    {"Les États membres et les etats tiers.", "fr", "ETATS", "États|etats"},
    /* Stems in the paragraph's language. */
    {"Migrants and a migrant's rights; migration.", "en", "migrant",
     "Migrants|migrant"}, /* the 's is not the word */
    {"Права человека и свободы.", "ru", "человек", "человека"},
    {"Οι μετανάστες και τα δικαιώματα.", "el", "μετανάστες", "μετανάστες"},
    /* A stemmer that changes a word's initial (Irish drops the eclipsis
     * of gcain; English an apostrophe before a letter, U+02BC folded to
     * U+0027) still has its stems highlighted. */
    {"Ar an gc\xc3\xa1in agus an ch\xc3\xa1in.", "ga", "c\xc3\xa1in",
     "gc\xc3\xa1in|ch\xc3\xa1in"},
    {"Wn \xca\xbc" "aldo and aldo.", "en", "aldo", "\xca\xbc" "aldo|aldo"},
    /* Elisions: the word after the apostrophe. */
    {"Les droits de l’homme et d'alerte.", "fr", "homme alerte",
     "homme|alerte"},
    /* Compounds: the joined form covers the whole compound; a part only
     * itself. */
    {"Policies of co-development work.", "en", "codevelopment",
     "co-development"},
    {"Policies of co-development work.", "en", "development", "development"},
    {"Policies of co-development work.", "en", "co-development",
     "co-development"},
    /* Phrases, wildcards, exact forms. */
    {"Unaccompanied migrant minors in Europe.", "en",
     "\"unaccompanied migrant\"", "Unaccompanied|migrant"},
    {"The Organisation and organic food.", "en", "organi*",
     "Organisation|organic"},
    {"Migrations and migration.", "en", "=migration", "migration"},
    /* Excluded words are not highlighted. */
    {"Migration and asylum.", "en", "migration -asylum", "Migration"},
    /* No stem for an unknown language: exact terms only. */
    {"Migrants and migrant.", "", "migrant", "migrant"},
    /* CJK, segmented by ICU. */
    {"世界人权宣言是联合国大会通过的", "zh", "人权", "人权"},
    /* Javanese, a run without spaces, as pairs of characters: a word's
     * pairs highlight where they stand together, not one alone (the run
     * begins with the word's second pair, and the short run after it is
     * that pair too); a word of one pair wherever it is. */
    {"ꦩꦠ꧀ꦲꦸꦩꦠ꧀ꦩꦤꦸꦁꦱ ꦩꦠ꧀", "", "ꦲꦸꦩꦠ꧀ꦩ", "ꦲꦸꦩꦠ꧀ꦩ"},
    {"ꦩꦠ꧀ꦲꦸꦩꦠ꧀ꦩꦤꦸꦁꦱ ꦩꦠ꧀", "", "ꦩꦠ꧀", "ꦩꦠ꧀|ꦩꦠ꧀|ꦩꦠ꧀"},
    /* cites: the whole citation, in any of its forms; with or without
     * the query's year, the text's number named without one; not another
     * text of that number. */
    {"See Recommendation 1806 (2007); as Recommendation 1806 asked, and "
     "Resolution 1806 (2007).", "en", "cites:\"Recommendation 1806 (2007)\"",
     "Recommendation 1806 (2007)|Recommendation 1806"},
    {"Recommandation 1806 (2007) et Recommendation 1806 (2008).", "fr",
     "cites:\"Recommendation 1806\"",
     "Recommandation 1806 (2007)|Recommendation 1806 (2008)"},
    {"CM/Rec (2007) 9 and ETS No. 5.", "en", "cites:CM/Rec(2007)9",
     "CM/Rec (2007) 9"},
    {"CM/Rec (2007) 9 and ETS No. 5.", "en", "-cites:\"ETS 5\" rec",
     "Rec"},
    /* Both: the one-pair word touches the other's pairs. */
    {"ꦩꦠ꧀ꦲꦸꦩꦠ꧀ꦩꦤꦸꦁꦱ ꦩꦠ꧀", "", "\"ꦲꦸꦩꦠ꧀ꦩ ꦩꦠ꧀\"", "ꦩꦠ꧀ꦲꦸꦩꦠ꧀ꦩ|ꦩꦠ꧀"},
};

/* The highlighted parts of s, joined with '|'. */
static void
parts(const cm_snippet *s, char *out, size_t cap)
{
    size_t i, n = 0;
    out[0] = '\0';
    for (i = 0; i < s->n_hl && n + 2 < cap; i++) {
        size_t len = s->hl[i].end - s->hl[i].start;
        if (n + len + 2 >= cap)
            break;
        if (i > 0)
            out[n++] = '|';
        memcpy(out + n, s->text + s->hl[i].start, len);
        n += len;
        out[n] = '\0';
    }
}

static cm_status
snip(cm_tok *tok, const char *text, const char *lang, const char *query,
     size_t max, cm_snippet **out)
{
    cm_query *q = NULL;
    cm_query_error err;
    const cm_hl_term *t;
    size_t n;
    cm_status st = cm_query_compile(query, strlen(query), tok, NULL, &q, &err);

    *out = NULL;
    if (st != CM_OK)
        return st;
    t = cm_query_highlights(q, &n);
    st = cm_snippet_make(tok, text, strlen(text), lang, t, n, max, out);
    cm_query_free(q);
    return st;
}

int
main(void)
{
    cm_tok *tok = NULL;
    cm_snippet *s = NULL;
    char got[512], *big;
    size_t i, k;
    cm_status st;

    if (cm_tok_new(&tok, NULL) != CM_OK)
        skip_all("no analyzer");
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        st = snip(tok, r->text, r->lang, r->query, 0, &s);
        if (!ok(st == CM_OK, "%s / %s: snippet", r->text, r->query)) {
            continue;
        }
        parts(s, got, sizeof got);
        is_str(got, r->want, r->query);
        is_str(s->text, r->text, "a short paragraph is whole");
        cm_snippet_free(s);
    }

    /* A long paragraph: the window goes to the matches, cut at words,
     * with ellipses, and the offsets follow. */
    big = malloc(4096);
    big[0] = '\0';
    for (k = 0; k < 40; k++)
        strcat(big, "Lorem ipsum dolor sit amet consectetur. ");
    strcat(big, "The Committee of Ministers replied on co-development. ");
    for (k = 0; k < 40; k++)
        strcat(big, "Sed do eiusmod tempor incididunt labore. ");
    st = snip(tok, big, "en", "committee ministers", 120, &s);
    ok(st == CM_OK, "a long paragraph");
    if (st == CM_OK) {
        parts(s, got, sizeof got);
        is_str(got, "Committee|Ministers", "its matches are in the window");
        ok(strncmp(s->text, "\xE2\x80\xA6 ", 4) == 0, "cut at the start: …");
        ok(s->len >= 8 && strcmp(s->text + s->len - 4, " \xE2\x80\xA6") == 0,
           "cut at the end: …");
        ok(cm_utf8_columns(s->text, s->len) <= 120 + 4,
           "at most the length asked for (%zu characters)",
           cm_utf8_columns(s->text, s->len));
        ok(strstr(s->text, " ipsum") != NULL || strstr(s->text, " amet") ||
               strstr(s->text, "Lorem"),
           "some context before the match");
        ok(s->text[4] != ' ', "cut at a word boundary: %.20s", s->text);
        cm_snippet_free(s);
    }
    /* Nothing matches: the beginning of the paragraph. */
    st = snip(tok, big, "en", "zzzz", 60, &s);
    ok(st == CM_OK && s->n_hl == 0 && strncmp(s->text, "Lorem", 5) == 0,
       "no match: the start of the paragraph");
    cm_snippet_free(s);
    free(big);

    /* The spans of a whole text. */
    {
        cm_span *sp = NULL;
        size_t n = 0;
        cm_hl_term t = {"rights", 6, CM_HL_TERM, NULL};
        const char *text = "rights, Rights and RIGHTS";
        st = cm_snippet_spans(tok, text, strlen(text), "en", &t, 1, &sp, &n);
        ok(st == CM_OK && n == 3 && sp[0].start == 0 && sp[1].start == 8 &&
               sp[2].start == 19 && sp[2].end == 25,
           "cm_snippet_spans: byte ranges of every match");
        free(sp);
        st = cm_snippet_spans(tok, text, strlen(text), "en", &t, 0, &sp, &n);
        ok(st == CM_OK && n == 0 && sp == NULL, "no terms: no spans");
    }
    cm_snippet_free(NULL);
    cm_tok_free(tok);
    return done_testing();
}
