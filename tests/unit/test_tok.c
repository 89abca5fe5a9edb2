/* test_tok.c: the analyzer: word boundaries, NFKC case folding, byte
 * offsets and positions, invalid UTF-8, limits, accent folding, elisions,
 * possessives, hyphenated compounds, stems and English variants, and real
 * text from the shared corpus (skipped with a message when it is absent). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/udata.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "cm_hanfold.h"
#include "cm_tok.h"
#include "tap.h"

#define OUT_MAX 8192

static char *slurp_corpus(const char *rel, size_t *len);
typedef void (*udhr_fn)(void *ctx, const char *name, char *text, size_t len);
static long each_udhr(unsigned every, udhr_fn fn, void *ctx);

/* Tokenise text[0..len) in language lang and write "term@start-end" for
 * each token ("+term@start-end" for an alternative, CM_TOK_ALT), separated
 * by spaces, into out.  Also checks the invariants every tokenisation must
 * keep: positions count from 0 without gaps, byte ranges are non-empty,
 * inside the text and increasing; an alternative follows a token, shares
 * its position and its start, and ends at or after it; term_len is the
 * string's length; a stem is set only with a language and only on a word.
 * Returns the number of tokens that are not alternatives, or -1 (with a
 * diag) when something is wrong. */
static long
run_lang(cm_tok *t, const char *text, size_t len, const char *lang,
         char *out, size_t out_cap)
{
    const cm_token *k;
    cm_status st;
    size_t used = 0, prev_end = 0, prev_start = 0;
    long n = 0;
    int bad = 0;

    if (out != NULL && out_cap > 0)
        out[0] = '\0';
    st = cm_tok_reset(t, text, len, lang);
    if (st != CM_OK) {
        diag("reset: %s: %s", cm_status_str(st), cm_tok_errmsg(t));
        return -1;
    }
    for (;;) {
        int alt, wrong;
        st = cm_tok_next(t, &k);
        if (st != CM_OK) {
            diag("next: %s: %s", cm_status_str(st), cm_tok_errmsg(t));
            return -1;
        }
        if (k == NULL)
            break;
        alt = (k->flags & CM_TOK_ALT) != 0;
        wrong = k->start >= k->end || k->end > len ||
                k->term_len != strlen(k->term) || k->term_len == 0 ||
                k->term_len > CM_TOK_MAX_TERM ||
                (k->flags & ~(unsigned)(CM_TOK_ALT | CM_TOK_WORD |
                                        CM_TOK_PAIR | CM_TOK_ONE |
                                        CM_TOK_BASE)) != 0 ||
                (k->stem != NULL &&
                 (lang == NULL || !(k->flags & CM_TOK_WORD) ||
                  k->stem_len != strlen(k->stem) || k->stem_len == 0));
        /* A character of the pair, or the word before an apostrophe and
         * its suffix: inside the token before. */
        if (alt && (k->flags & (CM_TOK_ONE | CM_TOK_BASE)))
            wrong |= n == 0 || k->pos != (unsigned)(n - 1) ||
                     k->start < prev_start || k->end > prev_end ||
                     ((k->flags & CM_TOK_BASE) &&
                      (k->start != prev_start || k->end >= prev_end));
        else if (alt)
            wrong |= n == 0 || k->pos != (unsigned)(n - 1) ||
                     k->start != prev_start || k->end < prev_end;
        else /* a pair of a script without spaces overlaps the one before */
            wrong |= k->pos != (unsigned)n ||
                     (k->start < prev_end &&
                      (!(k->flags & CM_TOK_PAIR) || k->start <= prev_start));
        if (wrong && bad++ < 5)
            diag("bad token %ld '%s' pos %u [%zu,%zu) flags %u after %zu "
                 "of %zu", n, k->term, k->pos, k->start, k->end, k->flags,
                 prev_end, len);
        if (!alt) {
            prev_end = k->end;
            prev_start = k->start;
            n++;
        }
        if (out != NULL && used < out_cap) {
            int w = snprintf(out + used, out_cap - used, "%s%s%s@%zu-%zu",
                             used ? " " : "", alt ? "+" : "", k->term,
                             k->start, k->end);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    /* The end is sticky. */
    st = cm_tok_next(t, &k);
    if (st != CM_OK || k != NULL) {
        diag("next after the end did not return NULL");
        bad++;
    }
    return bad ? -1 : n;
}

static long
run(cm_tok *t, const char *text, size_t len, char *out, size_t out_cap)
{
    return run_lang(t, text, len, NULL, out, out_cap);
}

static long
runs(cm_tok *t, const char *text, char *out)
{
    return run(t, text, strlen(text), out, OUT_MAX);
}

/* {input, expected "term@start-end ..."}: what ICU's root word rules and
 * NFKC_Casefold give.  Some rows record behaviour to revisit in the next
 * issue (elisions, accent folding), marked "for now". */
static const struct {
    const char *name, *in, *want;
} cases[] = {
    {"English sentence", "The Committee of Ministers' reply, 28 March 2008.",
     "the@0-3 committee@4-13 of@14-16 ministers@17-26 reply@28-33 "
     "28@35-37 march@38-43 2008@44-48"},
    {"possessive 's is dropped", "the Assembly's reply",
     "the@0-3 assembly@4-12 reply@15-20"},
    {"typographic apostrophe too", "the Assembly\xe2\x80\x99s reply",
     "the@0-3 assembly@4-12 reply@17-22"},
    {"French elisions are dropped", "l'homme et l\xe2\x80\x99\xc3\xa9tat",
     "homme@2-7 et@8-10 etat@15-20"},
    {"quotes around a word", "'quoted' \"word\" \xc2\xabmot\xc2\xbb",
     "quoted@1-7 word@10-14 mot@18-21"},
    {"hyphen splits and joins", "co-development",
     "co@0-2 +codevelopment@0-14 development@3-14"},
    {"hyphens and dashes",
     "well-being \xe2\x80\x94 non\xe2\x80\x90state",
     "well@0-4 +wellbeing@0-10 being@5-10 non@15-18 +nonstate@15-26 "
     "state@21-26"},
    {"numbers", "Article 10 \xc2\xa7 2, 1,000 and 3.14 or 10.000,50; 1st",
     "article@0-7 10@8-10 2@14-15 1,000@17-22 and@23-26 3.14@27-31 "
     "or@32-34 10.000,50@35-44 1st@46-49"},
    {"abbreviations split at their full stops, underscore stays",
     "e.g. U.S.A. foo_bar",
     "e@0-1 +eg@0-3 g@2-3 u@5-6 +usa@5-10 s@7-8 a@9-10 foo_bar@12-19"},
    {"a missing space after a full stop", "c.bevorderen Europe.Considering",
     "c@0-1 +cbevorderen@0-12 bevorderen@2-12 europe@13-19 "
     "+europeconsidering@13-31 considering@20-31"},
    {"full stops in numbers stay", "3.14 1.000,50 a1.5",
     "3.14@0-4 1.000,50@5-13 a1.5@14-18"},
    {"full-width, small full stop and one dot leader split too",
     "\xef\xbd\x85\xef\xbc\x8e\xef\xbd\x87 a\xef\xb9\x92" "b "
     "a\xe2\x80\xa4" "b",
     "e@0-3 +eg@0-9 g@6-9 a@10-11 +ab@10-15 b@14-15 a@16-17 +ab@16-21 "
     "b@20-21"},
    {"a full stop after a compound", "co-operation.The",
     "co@0-2 +cooperation@0-12 operation@3-12 the@13-16"},
    {"colon splits in the root locale", "a:b", "a@0-1 b@2-3"},
    {"accents folded, upper case folded", "\xc3\x89TATS membres",
     "etats@0-6 membres@7-14"},
    {"sharp s folds to ss", "Stra\xc3\x9f" "e", "strasse@0-7"},
    {"final sigma folds to sigma", "\xce\xa3\xce\x9f\xce\xa6\xce\x9f\xce\xa3",
     "\xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x83@0-10"},
    {"dotted capital I: the combining dot is folded away",
     "\xc4\xb0stanbul", "istanbul@0-9"},
    {"fi ligature", "\xef\xac\x81nance", "finance@0-8"},
    {"full-width letters", "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc@0-9"},
    {"full-width digits", "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x90\xef\xbc\x98",
     "2008@0-12"},
    {"Russian", "\xd0\x9f\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0 "
                "\xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba\xd0"
                "\xb0.",
     "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0@0-10 "
     "\xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba\xd0\xb0@11-27"},
    {"Greek with accent", "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9"
                          "\xce\xba\xce\xac",
     "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xb1@0-16"},
    {"Arabic", "\xd8\xad\xd9\x82\xd9\x88\xd9\x82 \xd8\xa7\xd9\x84\xd8\xa5"
               "\xd9\x86\xd8\xb3\xd8\xa7\xd9\x86",
     "\xd8\xad\xd9\x82\xd9\x88\xd9\x82@0-8 \xd8\xa7\xd9\x84\xd8\xa5\xd9\x86"
     "\xd8\xb3\xd8\xa7\xd9\x86@9-23"},
    {"Katakana: the pairs of a run, and its characters",
     "\xe3\x82\xab\xe3\x82\xbf\xe3\x82\xab\xe3\x83\x8a",
     "\xe3\x82\xab\xe3\x82\xbf@0-6 +\xe3\x82\xab@0-3 "
     "\xe3\x82\xbf\xe3\x82\xab@3-9 +\xe3\x82\xbf@3-6 "
     "\xe3\x82\xab\xe3\x83\x8a@6-12 +\xe3\x82\xab@6-9 +\xe3\x83\x8a@9-12"},
    {"half-width katakana folds to full width", "\xef\xbd\xb6\xef\xbe\x80",
     "\xe3\x82\xab\xe3\x82\xbf@0-6 +\xe3\x82\xab@0-3 "
     "+\xe3\x82\xbf@3-6"},
    {"Traditional Chinese folds to Simplified", "\xe4\xba\xba\xe6\xac\x8a",
     "\xe4\xba\xba\xe6\x9d\x83@0-6 +\xe4\xba\xba@0-3 +\xe6\x9d\x83@3-6"},
    {"ICU's cycle of two characters folds to one of them",
     "\xe8\x8b\xa7\xe8\x8b\x8e",
     "\xe8\x8b\x8e\xe8\x8b\x8e@0-6 +\xe8\x8b\x8e@0-3 +\xe8\x8b\x8e@3-6"},
    {"soft hyphen inside a word", "Ver\xc2\xadtrag", "vertrag@0-9"},
    {"soft hyphens at the edges", "\xc2\xad" "ab\xc2\xad", "ab@2-6"},
    {"ZWJ inside a word", "a\xe2\x80\x8d" "b", "ab@0-5"},
    {"ZWNJ inside a word", "a\xe2\x80\x8c" "b", "ab@0-5"},
    {"word joiner inside a word", "a\xe2\x81\xa0" "b", "ab@0-5"},
    {"zero-width space splits", "a\xe2\x80\x8b" "b", "a@0-1 b@4-5"},
    {"sub/superscripts are not letters", "x\xc2\xb2 H\xe2\x82\x82O",
     "x@0-1 h@4-5 o@8-9"},
    {"symbols are not words", "\xe2\x91\xa0 \xc2\xbc \xe2\x82\xac 5 % $ +",
     "5@11-12"},
    {"empty", "", ""},
    {"only punctuation", " ..., \xe2\x80\x94 !? \xc2\xab\xc2\xbb () [] ", ""},
    {"NUL-free control characters", "a\tb\nc\rd", "a@0-1 b@2-3 c@4-5 d@6-7"},
    /* Invalid UTF-8: each bad byte is one U+FFFD, a separator. */
    {"stray byte", "abc\xff" "def", "abc@0-3 def@4-7"},
    {"lone continuation bytes", "ab\x80\x80" "cd", "ab@0-2 cd@4-6"},
    {"truncated sequence", "ab\xe2\x82" "cd", "ab@0-2 cd@4-6"},
    {"overlong NUL", "ab\xc0\x80" "cd", "ab@0-2 cd@4-6"},
    {"encoded surrogate", "ab\xed\xa0\x80" "cd", "ab@0-2 cd@5-7"},
    {"above U+10FFFF", "ab\xf4\x90\x80\x80" "cd", "ab@0-2 cd@6-8"},
    {"truncated at the end", "ab \xf0\x9f\x98", "ab@0-2"},
    {"bad byte inside accented word", "caf\xc3\xa9\xc3" "s",
     "cafe@0-5 s@6-7"},
    {"Latin-1 text", "caf\xe9 na\xefve", "caf@0-3 na@5-7 ve@8-10"},
    {"astral letters keep offsets", "\xf0\x9d\x90\x80" "b c",
     "ab@0-5 c@6-7"},
};

static void
test_table(cm_tok *t)
{
    char out[OUT_MAX];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long n = runs(t, cases[i].in, out);
        ok(n >= 0, "%s: invariants", cases[i].name);
        is_str(out, cases[i].want, cases[i].name);
    }
}

/* The terms of text in lang, as "term", "term|stem" (when the stem is not
 * the term) and "+alt" for alternatives, separated by spaces. */
static void
terms(cm_tok *t, const char *text, const char *lang, char *out, size_t cap)
{
    const cm_token *k;
    size_t used = 0;

    out[0] = '\0';
    if (run_lang(t, text, strlen(text), lang, NULL, 0) < 0 ||
        cm_tok_reset(t, text, strlen(text), lang) != CM_OK) {
        snprintf(out, cap, "(invariants broken)");
        return;
    }
    while (cm_tok_next(t, &k) == CM_OK && k != NULL && used < cap) {
        int stem = k->stem != NULL && strcmp(k->stem, k->term) != 0;
        int w = snprintf(out + used, cap - used, "%s%s%s%s%s",
                         used ? " " : "", k->flags & CM_TOK_ALT ? "+" : "",
                         k->term, stem ? "|" : "", stem ? k->stem : "");
        used += w > 0 ? (size_t)w : 0;
    }
}

/* {rule, language, input, expected terms}: each rule of cm_tok.h. */
static const struct {
    const char *name, *lang, *in, *want;
} rules[] = {
    /* Accent folding. */
    {"Latin accents", NULL, "Or\xc5\xa1u\xc5\xa1 d\xc3\xa9veloppement",
     "orsus developpement"},
    {"decomposed accents", NULL, "de\xcc\x81ja\xcc\x80", "deja"},
    {"letters with a stroke, ligatures", NULL,
     "\xc5\x81\xc3\xb3\x64\xc5\xba \xc5\x93uvre \xc3\x86r\xc3\xb8 "
     "\xc4\x90uro",
     "lodz oeuvre aero duro"},
    {"Vietnamese", NULL, "Vi\xe1\xbb\x87t", "viet"},
    {"Turkish dotted and dotless i", NULL,
     "\xc4\xb0stanbul \xc4\xb1\xc4\xb1", "istanbul ii"},
    {"Greek tonos and breathings", NULL,
     "\xe1\xbc\x88\xce\xb8\xe1\xbf\x86\xce\xbd\xce\xb1\xce\xb9 "
     "\xce\x95\xce\x9b\xce\x9b\xce\x97\xce\x9d\xce\x99\xce\x9a\xce\x86",
     "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1\xce\xb9 "
     "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xb1"},
    {"Cyrillic yo and stress accents fold", NULL,
     "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0 \xd0\x81\xd0\xb6 "
     "\xd0\xbc\xd0\xbe\xd0\xbb\xd0\xbe\xd0\xba\xd0\xbe\xcc\x81",
     "\xd0\xb5\xd0\xbb\xd0\xba\xd0\xb0 \xd0\xb5\xd0\xb6 "
     "\xd0\xbc\xd0\xbe\xd0\xbb\xd0\xbe\xd0\xba\xd0\xbe"},
    {"Cyrillic letters made with marks stay", NULL,
     "\xd0\xb9\xd0\xbe\xd0\xb3\xd1\x83\xd1\x80\xd1\x82 "
     "\xd1\x97\xd0\xb6\xd0\xb0\xd0\xba \xd1\x93\xd0\xb0\xd0\xb2\xd0\xbe\xd0"
     "\xbb \xd1\x9e",
     "\xd0\xb9\xd0\xbe\xd0\xb3\xd1\x83\xd1\x80\xd1\x82 "
     "\xd1\x97\xd0\xb6\xd0\xb0\xd0\xba \xd1\x93\xd0\xb0\xd0\xb2\xd0\xbe\xd0"
     "\xbb \xd1\x9e"},
    {"voiced kana stay", NULL, "\xe3\x81\x8c \xe3\x82\xac \xe3\x81\xb1",
     "\xe3\x81\x8c \xe3\x82\xac \xe3\x81\xb1"},
    {"decomposed voiced kana recompose", NULL, "\xe3\x81\x8b\xe3\x82\x99",
     "\xe3\x81\x8c"},
    {"Devanagari vowel signs stay", NULL,
     "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5"
     "\x80",
     "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5"
     "\x80"},
    {"Arabic harakat stay", NULL,
     "\xd9\x85\xd9\x8e\xd8\xb1\xd9\x92\xd8\xad\xd9\x8e\xd8\xa8\xd9\x8b\xd8"
     "\xa7",
     "\xd9\x85\xd9\x8e\xd8\xb1\xd9\x92\xd8\xad\xd9\x8e\xd8\xa8\xd9\x8b\xd8"
     "\xa7"},
    {"Hebrew points stay", NULL,
     "\xd7\xa9\xd6\xb8\xd7\x81\xd7\x9c\xd7\x95\xd6\xb9\xd7\x9d",
     "\xd7\xa9\xd6\xb8\xd7\x81\xd7\x9c\xd7\x95\xd6\xb9\xd7\x9d"},
    /* Elisions and possessives. */
    {"French elisions", NULL,
     "l'homme L\xe2\x80\x99" "Europe d'alerte qu'il jusqu'\xc3\xa0 "
     "QU\xe2\x80\x99" "ELLE",
     "homme europe alerte il a elle"},
    {"Italian elisions", NULL,
     "dell'Europa all'ONU nell'ambito sull'uso un'altra degl'Italiani",
     "europa onu ambito uso altra italiani"},
    {"Catalan elisions", NULL, "s\xe2\x80\x99ha l\xe2\x80\x99" "aspiraci"
     "\xc3\xb3 d\xe2\x80\x99" "expressi\xc3\xb3",
     "ha aspiracio expressio"},
    {"other apostrophes stay in the word, the letters before a suffix "
     "follow it", NULL,
     "aujourd'hui don't O\xe2\x80\x99" "Brien rock'n'roll",
     "aujourd'hui +aujourd don't +don o'brien rock'n'roll"},
    {"Turkish suffixes after an apostrophe", NULL,
     "T\xc3\xbcrkiye'nin Avrupa Konseyi\xe2\x80\x99nde A\xc4\xb0HM'ye",
     "turkiye'nin +turkiye avrupa konseyi'nde +konseyi aihm'ye +aihm"},
    {"an apostrophe inside a Ukrainian word: no suffix", NULL,
     "\xd1\x81\xd1\x96\xd0\xbc'\xd1\x8f",
     "\xd1\x81\xd1\x96\xd0\xbc'\xd1\x8f"},
    {"possessives", NULL, "Assembly's Assembly\xe2\x80\x99s ASSEMBLY'S it's",
     "assembly assembly assembly it"},
    {"Dutch plural with apostrophe", NULL, "foto's", "foto"},
    {"plural possessive: ICU drops the apostrophe", NULL, "Ministers' reply",
     "ministers reply"},
    /* Compounds. */
    {"compounds", NULL, "Euro-Mediterranean whistle-blowers",
     "euro +euromediterranean mediterranean whistle +whistleblowers "
     "blowers"},
    {"CM/Rec is a phrase of its parts", NULL, "CM/Rec(2007)9",
     "cm rec 2007 9"},
    {"letters and digits join", NULL, "COVID-19", "covid +covid19 19"},
    {"numbers alone do not join", NULL, "2007-2008", "2007 2008"},
    {"many parts", NULL, "state-of-the-art",
     "state +stateoftheart of the art"},
    {"nine parts: eight join", NULL, "a-b-c-d-e-f-g-h-i",
     "a +abcdefgh b c d e f g h i"},
    {"spaced or trailing hyphens do not join", NULL, "a - b c- d -e",
     "a b c d e"},
    {"en dash does not join", NULL, "a\xe2\x80\x93" "b", "a b"},
    {"non-breaking hyphen joins", NULL, "a\xe2\x80\x91" "b", "a +ab b"},
    {"elision inside a compound", NULL,
     "l'euro-m\xc3\xa9" "diterran\xc3\xa9" "e",
     "euro +euromediterranee mediterranee"},
    {"French compound with elision", NULL, "c'est-\xc3\xa0-dire",
     "est +estadire a dire"},
    /* Full stops inside words. */
    {"full stop between letters", NULL, "c.bevorderen e.g. u.s.a.",
     "c +cbevorderen bevorderen e +eg g u +usa s a"},
    {"full stops between digits stay", NULL, "3.14 1.000,50 10.5a",
     "3.14 1.000,50 10.5a"},
    {"a number and a word", NULL, "Art.5 1a.b", "art 5 1a +1ab b"},
    {"nine pieces: eight join", NULL, "a.b.c.d.e.f.g.h.i",
     "a +abcdefgh b c d e f g h i"},
    {"sentence run together", NULL, "Europe.Considering law.The",
     "europe +europeconsidering considering law +lawthe the"},
    {"a hyphen binds closer than a full stop", NULL,
     "co-operation.The Europe.Co-operation a.b-c.d",
     "co +cooperation operation the europe co +cooperation operation "
     "a b +bc c d"},
    {"possessive and elision before a full stop", NULL,
     "Assembly's.The l'homme.Le",
     "assembly +assemblythe the homme +hommele le"},
    {"mixed scripts", NULL,
     "Europe.\xd0\x95\xd0\xb2\xd1\x80\xd0\xbe\xd0\xbf\xd0\xb0 "
     "\xce\xb1.\xce\xb2",
     "europe +europe\xd0\xb5\xd0\xb2\xd1\x80\xd0\xbe\xd0\xbf\xd0\xb0 "
     "\xd0\xb5\xd0\xb2\xd1\x80\xd0\xbe\xd0\xbf\xd0\xb0 "
     "\xce\xb1 +\xce\xb1\xce\xb2 \xce\xb2"},
    {"the Catalan middle dot is not a full stop", NULL,
     "col\xc2\xb7legi", "col\xc2\xb7legi"},
    {"stems of the pieces", "en", "Europe.Considering",
     "europe|europ +europeconsidering|europeconsid considering|consid"},
    /* Stems. */
    {"English stems", "en", "migrants organisations Developing",
     "migrants|migrant organisations|organ developing|develop"},
    {"French stems see the accents", "fr", "D\xc3\xa9veloppements",
     "developpements|developp"},
    {"German stems", "de", "Menschenrechte",
     "menschenrechte|menschenrecht"},
    {"Russian stems", "ru",
     "\xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba\xd0\xb0",
     "\xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba\xd0\xb0|"
     "\xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba"},
    {"numbers and ideographs have no stem", "en",
     "2008 \xe4\xba\xba\xe6\xb0\x91",
     "2008 \xe4\xba\xba\xe6\xb0\x91 +\xe4\xba\xba +\xe6\xb0\x91"},
    {"compound stems", "en", "co-operation",
     "co +cooperation|cooper operation|oper"},
    {"no stemmer for the language", "xx", "migrants", "migrants"},
    {"a region subtag", "en-GB", "migrants", "migrants|migrant"},
    {"a stemmer's name", "english", "migrants", "migrants|migrant"},
    {"upper-case code", "EN", "migrants", "migrants|migrant"},
};

static void
test_rules(cm_tok *t)
{
    char out[OUT_MAX];
    size_t i;

    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        char name[160];
        terms(t, rules[i].in, rules[i].lang, out, sizeof out);
        snprintf(name, sizeof name, "rule: %s", rules[i].name);
        is_str(out, rules[i].want, name);
    }
}

/* British and American spellings share an English stem; and the rule
 * keeps together what the stemmer groups (revise/revision). */
static void
test_variants(cm_tok *t, cm_tok *t2)
{
    static const char *const pairs[][2] = {
        {"organisation", "organization"}, {"Organisations", "organizations"},
        {"organised", "organized"},       {"organising", "organizing"},
        {"realise", "realize"},           {"criticise", "criticize"},
        {"analyse", "analyze"},           {"analysed", "analyzed"},
        {"colour", "color"},              {"colours", "colors"},
        {"behaviour", "behavior"},        {"honourable", "honorable"},
        {"labour", "labor"},              {"favourite", "favorite"},
        {"centre", "center"},             {"centres", "centers"},
        {"metre", "meter"},               {"fibre", "fiber"},
        {"programme", "program"},         {"programmes", "programs"},
        {"catalogue", "catalog"},         {"dialogues", "dialogs"},
        {"judgement", "judgment"},        {"acknowledgements",
                                           "acknowledgments"},
        {"co-operation", "cooperation"},  {"revise", "revision"},
        {"precise", "precision"},         {"advertise", "advertisement"},
        {"exercise", "exercises"},        {"four", "four"},
    };
    static const struct {
        const char *in, *want;
    } direct[] = {
        {"organisation", "organization"}, {"realise", "realize"},
        {"revise", "revise"},             {"precise", "precise"},
        {"criticise", "criticize"},       {"rise", "rise"},
        {"arise", "arise"},               {"four", "four"},
        {"hour", "hour"},                 {"flour", "flour"},
        {"honour", "honor"},              {"metre", "meter"},
        {"programmes", "programs"},       {"vogue", "vogue"},
        {"catalogued", "cataloged"},      {"judgements", "judgments"},
        {"", ""},                         {"ise", "ise"},
    };
    const cm_token *k, *k2;
    char a[CM_TOK_MAX_TERM + 1], out[64];
    size_t i, n;

    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *s1 = pairs[i][0], *s2 = pairs[i][1];
        a[0] = '\0';
        /* The last non-alternative token's... the joined form for a
         * compound: its stem is the one to compare. */
        if (cm_tok_reset(t, s1, strlen(s1), "en") == CM_OK)
            while (cm_tok_next(t, &k) == CM_OK && k != NULL)
                if (k->stem != NULL &&
                    ((k->flags & CM_TOK_ALT) || strchr(s1, '-') == NULL))
                    snprintf(a, sizeof a, "%s", k->stem);
        k2 = NULL;
        if (cm_tok_reset(t2, s2, strlen(s2), "en") != CM_OK ||
            cm_tok_next(t2, &k2) != CM_OK)
            k2 = NULL;
        ok(k2 != NULL && k2->stem != NULL && strcmp(a, k2->stem) == 0,
           "variant: %s and %s share the stem '%s' ('%s')", s1, s2, a,
           k2 && k2->stem ? k2->stem : "");
    }
    for (i = 0; i < sizeof direct / sizeof direct[0]; i++) {
        n = cm_tok_en_variant(direct[i].in, strlen(direct[i].in), out);
        char name[80];
        out[n] = '\0';
        snprintf(name, sizeof name, "cm_tok_en_variant(%s)", direct[i].in);
        is_str(out, direct[i].want, name);
    }
}

/* cm_tok_stem(): a token stemmed in another language, for queries. */
static void
test_stem_api(cm_tok *t, cm_tok *t2)
{
    const cm_token *k = NULL, *k2 = NULL;
    const char *stem = (const char *)1;
    size_t len = 1, i;
    int found_en = 0;

    ok(cm_tok_reset(t, "migrants 2008", 13, NULL) == CM_OK &&
           cm_tok_next(t, &k) == CM_OK && k != NULL && k->stem == NULL,
       "no language: no stem");
    is_int(cm_tok_stem(t, k, "en", &stem, &len), CM_OK, "stem as en");
    ok(stem != NULL && len == 7 && strcmp(stem, "migrant") == 0,
       "migrants -> migrant");
    is_int(cm_tok_stem(t, k, "fr", &stem, &len), CM_OK, "stem as fr");
    ok(stem != NULL && strcmp(stem, "migr") == 0, "migrants -> migr in fr");
    is_int(cm_tok_stem(t, k, "xx", &stem, &len), CM_OK, "unknown language");
    ok(stem == NULL && len == 0, "gives no stem");
    is_int(cm_tok_stem(t, k, NULL, &stem, &len), CM_OK, "NULL language");
    ok(stem == NULL, "gives no stem");
    ok(cm_tok_reset(t2, "x", 1, NULL) == CM_OK &&
           cm_tok_next(t2, &k2) == CM_OK && k2 != NULL,
       "a token of another analyzer");
    is_int(cm_tok_stem(t, k2, "en", &stem, &len), CM_EINVAL,
           "is CM_EINVAL");
    ok(cm_tok_next(t, &k) == CM_OK && k != NULL &&
           cm_tok_stem(t, k, "en", &stem, &len) == CM_OK && stem == NULL,
       "a number has no stem");
    is_int(cm_tok_stem(NULL, k, "en", &stem, &len), CM_EINVAL, "NULL t");
    ok(cm_tok_reset(t, "D\xc3\xa9veloppements", 16, NULL) == CM_OK &&
           cm_tok_next(t, &k) == CM_OK && k != NULL &&
           cm_tok_stem(t, k, "fr", &stem, &len) == CM_OK && stem != NULL &&
           strcmp(stem, "developp") == 0,
       "the stemmer sees the accents, the stem is folded");
    for (i = 0; cm_tok_stem_lang(i) != NULL; i++)
        if (strcmp(cm_tok_stem_lang(i), "en") == 0)
            found_en = 1;
    ok(i >= 20 && found_en, "%zu stemmer languages, en among them", i);
    ok(strcmp(cm_tok_stem_code("hr"), "sr") == 0 &&
           strcmp(cm_tok_stem_code("bs"), "sr") == 0 &&
           strcmp(cm_tok_stem_code("sh"), "sr") == 0 &&
           strcmp(cm_tok_stem_code("sr"), "sr") == 0,
       "hr, bs and sh stem as sr, and name their stems by it");
    ok(cm_tok_stem_term(t, "hr", "covjek", 6, &stem, &len) == CM_OK &&
           stem != NULL && strcmp(stem, "covek") == 0,
       "stem_term: Croatian covjek -> covek, as Serbian covek");

    /* cm_tok_stem_term(): a term (folded) stemmed as the indexer stems a
     * word, which tells the searcher whether a word is its own stem. */
    ok(cm_tok_stem_term(t, "en", "rights", 6, &stem, &len) == CM_OK &&
           stem != NULL && len == 5 && strcmp(stem, "right") == 0,
       "stem_term: rights -> right");
    ok(cm_tok_stem_term(t, "en", "right", 5, &stem, &len) == CM_OK &&
           stem != NULL && strcmp(stem, "right") == 0,
       "stem_term: right is its own stem");
    ok(cm_tok_stem_term(t, "en", "equivalent", 10, &stem, &len) == CM_OK &&
           stem != NULL && strcmp(stem, "equival") == 0,
       "stem_term: equivalent is not (equival)");
    /* Accents change what a stemmer does: the folded term of
     * "cooperación" is its own stem, the word is not. */
    ok(cm_tok_reset(t, "cooperaci\xc3\xb3n", 12, "es") == CM_OK &&
           cm_tok_next(t, &k) == CM_OK && k != NULL && k->stem != NULL &&
           strcmp(k->stem, "cooper") == 0 &&
           cm_tok_stem_term(t, "es", k->term, k->term_len, &stem, &len) ==
               CM_OK &&
           stem != NULL && strcmp(stem, "cooperacion") == 0,
       "stem_term: cooperación stems to cooper, its term to itself");
    is_int(cm_tok_stem_term(t, "xx", "rights", 6, &stem, &len), CM_OK,
           "stem_term: unknown language");
    ok(stem == NULL && len == 0, "gives no stem");
    is_int(cm_tok_stem_term(NULL, "en", "x", 1, &stem, &len), CM_EINVAL,
           "stem_term: NULL t");
}

/* {file, language, a phrase of that file, expected terms}: the rules on
 * real text, in twenty-one languages and their scripts. */
static const struct {
    const char *file, *lang, *in, *want;
} real[] = {
    {"udhr/fra.md", "fr", "droits de l\xe2\x80\x99homme",
     "droits|droit de homme|homm"},
    {"udhr/fra.md", "fr", "Consid\xc3\xa9rant que la m\xc3\xa9" "connaissance",
     "considerant|consider que la meconnaissance|meconnaiss"},
    {"udhr/ita.md", "it", "la coscienza dell'umanit\xc3\xa0",
     "la coscienza|coscienz umanita|uman"},
    {"udhr/cat.md", "ca", "s\xe2\x80\x99ha proclamat com l\xe2\x80\x99"
     "aspiraci\xc3\xb3",
     "ha proclamat|proclam com aspiracio|asp"},
    {"udhr/spa.md", "es", "los derechos humanos",
     "los derechos|derech humanos|human"},
    {"udhr/por_PT.md", "pt", "dos direitos humanos",
     "dos direitos|direit humanos|human"},
    {"udhr/deu_1996.md", "de", "der angeborenen W\xc3\xbcrde",
     "der angeborenen|angebor wurde|wurd"},
    {"udhr/nld.md", "nl", "de rechten van de mens",
     "de rechten|recht van de mens|men"},
    {"udhr/swe.md", "sv", "de m\xc3\xa4nskliga r\xc3\xa4ttigheterna",
     "de manskliga|mansk rattigheterna|ratt"},
    /* Czech, Bulgarian and Latvian have no Snowball stemmer: a word of
     * over six letters has its first six as its stem. */
    {"udhr/ces.md", "cs", "p\xc5\x99irozen\xc3\xa9 d\xc5\xafstojnosti",
     "prirozene|priroz dustojnosti|dustoj"},
    {"udhr/bul.md", "bg", "\xd0\xbd\xd0\xb0 \xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x82\xd0\xb0 "
     "\xd0\xbd\xd0\xb0 \xd1\x87\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba\xd0\xb0",
     "\xd0\xbd\xd0\xb0 \xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x82\xd0\xb0|"
     "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0\xd1\x82 \xd0\xbd\xd0\xb0 "
     "\xd1\x87\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba\xd0\xb0"},
    {"udhr/041.md", "lv", "br\xc4\xab""v\xc4\xab""bas, taisn\xc4\xab""guma",
     "brivibas|brivib taisniguma|taisni"},
    {"udhr/rus.md", "ru",
     "\xd0\xbd\xd0\xb5\xd0\xbe\xd1\x82\xd1\x8a\xd0\xb5\xd0\xbc\xd0\xbb"
     "\xd0\xb5\xd0\xbc\xd1\x8b\xd1\x85 \xd0\xbf\xd1\x80\xd0\xb0\xd0"
     "\xb2",
     "\xd0\xbd\xd0\xb5\xd0\xbe\xd1\x82\xd1\x8a\xd0\xb5\xd0\xbc\xd0\xbb"
     "\xd0\xb5\xd0\xbc\xd1\x8b\xd1\x85|\xd0\xbd\xd0\xb5\xd0\xbe\xd1"
     "\x82\xd1\x8a\xd0\xb5\xd0\xbc\xd0\xbb\xd0\xb5\xd0\xbc \xd0\xbf"
     "\xd1\x80\xd0\xb0\xd0\xb2"},
    /* Serbian's stemmer for Croatian, Bosnian and Serbo-Croatian too, in
     * Latin and Cyrillic alike (ljudsk, prav), ijekavian as ekavian. */
    {"udhr/hrv.md", "hr", "sva prava i slobode",
     "sva prava|prav i slobode|slobod"},
    {"udhr/bos_latn.md", "bs", "osnovna prava",
     "osnovna|osnovn prava|prav"},
    {"udhr/srp_cyrl.md", "sr",
     "\xd1\x99\xd1\x83\xd0\xb4\xd1\x81\xd0\xba\xd0\xb8\xd1\x85 "
     "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0",
     "\xd1\x99\xd1\x83\xd0\xb4\xd1\x81\xd0\xba\xd0\xb8\xd1\x85|ljudsk "
     "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0|prav"},
    {"udhr/cnr.md", "sh", "\xc4\x8dovjekove", "covjekove|covekov"},
    {"udhr/mkd.md", NULL, "\xd0\xbd\xd0\xb5\xd0\xbe\xd1\x82\xd1\x83\xd1\x93"
     "\xd0\xb8\xd0\xb2\xd0\xb8",
     "\xd0\xbd\xd0\xb5\xd0\xbe\xd1\x82\xd1\x83\xd1\x93\xd0\xb8\xd0\xb2\xd0"
     "\xb8"},
    {"udhr/ell_polytonic.md", "el",
     "\xe1\xbc\x95\xce\xbd\xce\xb1 \xce\xba\xce\xb1\xce\xb8\xce\xb5"
     "\xcf\x83\xcf\x84\xe1\xbd\xbc\xcf\x82",
     "\xce\xb5\xce\xbd\xce\xb1|\xce\xb5\xce\xbd \xce\xba\xce\xb1\xce"
     "\xb8\xce\xb5\xcf\x83\xcf\x84\xcf\x89\xcf\x83|\xce\xba\xce\xb1"
     "\xce\xb8\xce\xb5\xcf\x83\xcf\x84"},
    {"udhr/arb.md", "ar",
     "\xd8\xad\xd9\x82\xd9\x88\xd9\x82 \xd8\xa7\xd9\x84\xd8\xa5\xd9"
     "\x86\xd8\xb3\xd8\xa7\xd9\x86",
     "\xd8\xad\xd9\x82\xd9\x88\xd9\x82 \xd8\xa7\xd9\x84\xd8\xa5\xd9"
     "\x86\xd8\xb3\xd8\xa7\xd9\x86|\xd8\xa7\xd9\x86\xd8\xb3"},
    {"udhr/hin.md", "hi",
     "\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xb7\xe0\xa5\x8d\xe0\xa4\x9f\xe0"
     "\xa5\x8d\xe0\xa4\xb0\xe0\xa5\x8b\xe0\xa4\x82 \xe0\xa4\x95\xe0"
     "\xa5\x87 \xe0\xa4\xac\xe0\xa5\x80\xe0\xa4\x9a",
     "\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xb7\xe0\xa5\x8d\xe0\xa4\x9f\xe0"
     "\xa5\x8d\xe0\xa4\xb0\xe0\xa5\x8b\xe0\xa4\x82|\xe0\xa4\xb0\xe0"
     "\xa4\xbe\xe0\xa4\xb7\xe0\xa5\x8d\xe0\xa4\x9f\xe0\xa5\x8d\xe0\xa4"
     "\xb0 \xe0\xa4\x95\xe0\xa5\x87|\xe0\xa4\x95 \xe0\xa4\xac\xe0\xa5"
     "\x80\xe0\xa4\x9a"},
    {"udhr/jpn_tokyo.md", "ja",
     "\xe6\xa8\xa9\xe5\x88\xa9\xe3\x81\x8c\xe3\x81\x82\xe3\x82\x8b",
     "\xe6\xa8\xa9\xe5\x88\xa9 +\xe6\xa8\xa9 "
     "\xe5\x88\xa9\xe3\x81\x8c +\xe5\x88\xa9 "
     "\xe3\x81\x8c\xe3\x81\x82 +\xe3\x81\x8c "
     "\xe3\x81\x82\xe3\x82\x8b +\xe3\x81\x82 +\xe3\x82\x8b"},
    {"udhr/cmn_hans.md", "zh",
     "\xe4\xba\xba\xe4\xba\xba\xe6\x9c\x89\xe6\x9d\x83",
     "\xe4\xba\xba\xe4\xba\xba +\xe4\xba\xba "
     "\xe4\xba\xba\xe6\x9c\x89 +\xe4\xba\xba "
     "\xe6\x9c\x89\xe6\x9d\x83 +\xe6\x9c\x89 +\xe6\x9d\x83"},
    /* The same in Traditional Chinese: the same terms. */
    {"udhr/cmn_hant.md", "zh",
     "\xe4\xba\xba\xe4\xba\xba\xe6\x9c\x89\xe6\xac\x8a",
     "\xe4\xba\xba\xe4\xba\xba +\xe4\xba\xba "
     "\xe4\xba\xba\xe6\x9c\x89 +\xe4\xba\xba "
     "\xe6\x9c\x89\xe6\x9d\x83 +\xe6\x9c\x89 +\xe6\x9d\x83"},
    {"treaties/BWBV0001000.md", "en", "Everyone's right",
     "everyone|everyon right"},
    {"treaties/BWBV0001002.md", "en", "international co-operation",
     "international|intern co +cooperation|cooper operation|oper"},
    {"treaties/BWBV0001000.md", "en", "organisation of which",
     "organisation|organ of which"},
    {"treaties/BWBV0001244.md", "fr", "c'est-\xc3\xa0-dire",
     "est +estadire|estadir a dire|dir"},
    {"treaties/BWBV0001054.md", "nl", "c.bevorderen dat",
     "c +cbevorderen|cbevorder bevorderen|bevorder dat"},
    {"treaties/BWBV0001068.md", "en", "term-hospitalization.It is",
     "term +termhospitalization|termhospit hospitalization|hospit it is"},
    {"treaties/BWBV0001001.md", "en", "ratification.The instruments",
     "ratification|ratif +ratificationthe|ratificationth the "
     "instruments|instrument"},
};

static void
test_real(cm_tok *t)
{
    char out[OUT_MAX];
    size_t i, len;

    for (i = 0; i < sizeof real / sizeof real[0]; i++) {
        char *text = slurp_corpus(real[i].file, &len);
        if (text == NULL) {
            diag("%s: absent, skipped", real[i].file);
            continue;
        }
        ok(strstr(text, real[i].in) != NULL, "%s has '%s'", real[i].file,
           real[i].in);
        free(text);
        char name[200];
        terms(t, real[i].in, real[i].lang, out, sizeof out);
        snprintf(name, sizeof name, "%s (%s): %s", real[i].file,
                 real[i].lang ? real[i].lang : "-", real[i].in);
        is_str(out, real[i].want, name);
    }
}

/* NFKC_Casefold is idempotent: each term, tokenised again, is one token
 * equal to itself. */
static void
test_idempotent(cm_tok *t, cm_tok *t2)
{
    char out[OUT_MAX];
    const cm_token *k;
    size_t i;
    int bad = 0;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cm_tok_reset(t, cases[i].in, strlen(cases[i].in), NULL) != CM_OK)
            bad++;
        while (cm_tok_next(t, &k) == CM_OK && k != NULL) {
            char want[CM_TOK_MAX_TERM + 32];
            snprintf(want, sizeof want, "%s@0-%zu", k->term, k->term_len);
            /* Terms that fold into several words (U+FDFA) are not words. */
            if (strchr(k->term, ' ') != NULL)
                continue;
            /* The word before an apostrophe and a suffix follows. */
            if (runs(t2, k->term, out) != 1 ||
                strncmp(out, want, strlen(want)) != 0 ||
                (out[strlen(want)] != '\0' &&
                 strncmp(out + strlen(want), " +", 2) != 0)) {
                if (bad++ < 5)
                    diag("'%s' gave '%s'", k->term, out);
            }
        }
    }
    is_int(bad, 0, "every term tokenises to itself");
}

/* The ASCII fast path must agree with the normalizer: a trailing soft
 * hyphen (part of the word, folded away) sends a word down the slow path
 * without changing its term. */
static void
test_ascii_fast_path(cm_tok *t)
{
    static const char *const words[] = {
        "Hello_World", "3.14", "O'NEILL", "a1B2c3", "x_9", "1.000,50",
    };
    char out1[OUT_MAX], out2[OUT_MAX], in[64];
    const char *at;
    int c, bad = 0;
    size_t i;

    for (c = 1; c < 0x80; c++) {
        snprintf(in, sizeof in, "%c", c);
        if (runs(t, in, out1) < 0)
            bad++;
        snprintf(in, sizeof in, "%c\xc2\xad", c);
        if (runs(t, in, out2) < 0)
            bad++;
        /* Compare the terms (the ranges differ by the soft hyphen). */
        at = strchr(out1, '@');
        if (out1[0] != '\0' || out2[0] != '\0') {
            size_t tl = at != NULL ? (size_t)(at - out1) : 0;
            if (at == NULL || strncmp(out2, out1, tl) != 0 ||
                out2[tl] != '@') {
                if (bad++ < 5)
                    diag("0x%02x: fast '%s' slow '%s'", c, out1, out2);
            }
        }
        if (((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             (c >= '0' && c <= '9')) &&
            out1[0] == '\0')
            bad++;
    }
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        char want[128];
        size_t j, n = strlen(words[i]);
        snprintf(in, sizeof in, "%s\xc2\xad", words[i]);
        if (runs(t, in, out2) != 1)
            bad++;
        for (j = 0; j < n; j++)
            want[j] = (char)(words[i][j] >= 'A' && words[i][j] <= 'Z'
                                 ? words[i][j] + 32
                                 : words[i][j]);
        snprintf(want + n, sizeof want - n, "@0-%zu", n + 2);
        if (strcmp(out2, want) != 0 && bad++ < 5)
            diag("'%s': got '%s' want '%s'", words[i], out2, want);
    }
    is_int(bad, 0, "ASCII fast path equals NFKC_Casefold");
}

/* Scripts written without spaces that ICU has no dictionary for: a run
 * becomes its overlapping pairs of grapheme clusters (cm_tok.h). */
static void
test_pairs(cm_tok *t)
{
    /* "umat manungsa" (humankind) in Javanese script, as one run: six
     * clusters (ha+u, ma, ta+pangkon, ma, na+u+cecak, sa). */
    static const char jav[] =
        "\xea\xa6\xb2\xea\xa6\xb8\xea\xa6\xa9\xea\xa6\xa0\xea\xa7\x80"
        "\xea\xa6\xa9\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81\xea\xa6\xb1";
    char out[OUT_MAX], in[256];

    is_int(runs(t, jav, out), 5, "Javanese: a run of 6 clusters, 5 pairs");
    is_str(out,
           "\xea\xa6\xb2\xea\xa6\xb8\xea\xa6\xa9@0-9 "
           "+\xea\xa6\xb2\xea\xa6\xb8@0-6 "
           "\xea\xa6\xa9\xea\xa6\xa0\xea\xa7\x80@6-15 +\xea\xa6\xa9@6-9 "
           "\xea\xa6\xa0\xea\xa7\x80\xea\xa6\xa9@9-18 "
           "+\xea\xa6\xa0\xea\xa7\x80@9-15 "
           "\xea\xa6\xa9\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81@15-27 "
           "+\xea\xa6\xa9@15-18 "
           "\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81\xea\xa6\xb1@18-30 "
           "+\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81@18-27 +\xea\xa6\xb1@27-30",
           "Javanese: each pair with its range, at its own position, then "
           "the character it begins (and the last) as an alternative");
    runs(t, "\xea\xa6\xb2\xea\xa6\xb8 abc", out);
    is_str(out, "\xea\xa6\xb2\xea\xa6\xb8@0-6 abc@7-10",
           "a run of one cluster is that cluster; Latin after it is a word");
    /* Javanese digits 1948: a number stays whole. */
    runs(t, "\xea\xa7\x91\xea\xa7\x99\xea\xa7\x94\xea\xa7\x98", out);
    is_str(out, "\xea\xa7\x91\xea\xa7\x99\xea\xa7\x94\xea\xa7\x98@0-12",
           "Javanese digits stay one number");
    /* Yi, three syllables; a zero-width space cuts a Javanese run. */
    runs(t, "\xea\x83\xb0\xea\x8a\xbf\xea\x91\xb1", out);
    is_str(out,
           "\xea\x83\xb0\xea\x8a\xbf@0-6 +\xea\x83\xb0@0-3 "
           "\xea\x8a\xbf\xea\x91\xb1@3-9 +\xea\x8a\xbf@3-6 +\xea\x91\xb1@6-9",
           "Yi: pairs of syllables, and the syllables");
    snprintf(in, sizeof in, "%.9s\xe2\x80\x8b%s", jav, jav + 9);
    runs(t, in, out);
    is_str(out,
           "\xea\xa6\xb2\xea\xa6\xb8\xea\xa6\xa9@0-9 "
           "+\xea\xa6\xb2\xea\xa6\xb8@0-6 +\xea\xa6\xa9@6-9 "
           "\xea\xa6\xa0\xea\xa7\x80\xea\xa6\xa9@12-21 "
           "+\xea\xa6\xa0\xea\xa7\x80@12-18 "
           "\xea\xa6\xa9\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81@18-30 "
           "+\xea\xa6\xa9@18-21 "
           "\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81\xea\xa6\xb1@21-33 "
           "+\xea\xa6\xa4\xea\xa6\xb8\xea\xa6\x81@21-30 +\xea\xa6\xb1@30-33",
           "a zero-width space ends a run");
    /* The pairs of a run of three clusters or more say so; a run of two
     * is one token, as a word is. */
    {
        const cm_token *k;
        int pairs = 0, others = 0;
        if (cm_tok_reset(t, jav, strlen(jav), NULL) == CM_OK)
            while (cm_tok_next(t, &k) == CM_OK && k != NULL)
                pairs += (k->flags & CM_TOK_PAIR) != 0;
        if (cm_tok_reset(t, jav, 9, NULL) == CM_OK) /* ha+u, ma */
            while (cm_tok_next(t, &k) == CM_OK && k != NULL)
                others += (k->flags & CM_TOK_PAIR) != 0;
        ok(pairs == 5 && others == 0,
           "CM_TOK_PAIR on the 5 pairs of a run of 6, not on a run of 2");
    }
    /* Korean: a word is a noun with its particles (권리를, the right as an
     * object), so its syllables pair up as a run's clusters do, and the
     * noun typed alone (권리) is its first pair.  A word of two syllables
     * is one token. */
    runs(t, "\xea\xb6\x8c\xeb\xa6\xac\xeb\xa5\xbc "
            "\xec\x9d\xb8\xea\xb6\x8c",
         out);
    is_str(out,
           "\xea\xb6\x8c\xeb\xa6\xac@0-6 +\xea\xb6\x8c@0-3 "
           "\xeb\xa6\xac\xeb\xa5\xbc@3-9 +\xeb\xa6\xac@3-6 "
           "+\xeb\xa5\xbc@6-9 "
           "\xec\x9d\xb8\xea\xb6\x8c@10-16 +\xec\x9d\xb8@10-13 "
           "+\xea\xb6\x8c@13-16",
           "Korean: pairs of syllables, and the syllables");
    /* The same word in conjoining jamo (NFD, from U+1100): a syllable of
     * three jamo is one cluster, and the terms are the composed ones. */
    runs(t,
         "\xe1\x84\x80\xe1\x85\xaf\xe1\x86\xab"
         "\xe1\x84\x85\xe1\x85\xb5",
         out);
    is_str(out,
           "\xea\xb6\x8c\xeb\xa6\xac@0-15 +\xea\xb6\x8c@0-9 "
           "+\xeb\xa6\xac@9-15",
           "Korean in jamo: the syllables as clusters, the terms composed");
    /* Digits and Latin letters are not Hangul: 제1조 (Article 1) is three
     * words, as ICU cuts it. */
    runs(t, "\xec\xa0\x9c" "1" "\xec\xa1\xb0 UN", out);
    is_str(out, "\xec\xa0\x9c@0-3 1@3-4 \xec\xa1\xb0@4-7 un@8-10",
           "Korean beside digits and Latin: each its own word");
    /* Chinese and Japanese: the dictionary's words joined into a run
     * ("ren quan" and "xuan yan" are words of it, "quan xuan" is not). A
     * number in digits, punctuation and Latin letters end a run; a
     * Japanese run goes across kanji and kana. */
    {
        static const struct {
            const char *name, *in, *want;
        } cj[] = {
            {"Chinese: one run of pairs across the dictionary's words",
             "\xe4\xba\xba\xe6\x9d\x83\xe5\xae\xa3\xe8\xa8\x80",
             "\xe4\xba\xba\xe6\x9d\x83@0-6 +\xe4\xba\xba@0-3 "
             "\xe6\x9d\x83\xe5\xae\xa3@3-9 +\xe6\x9d\x83@3-6 "
             "\xe5\xae\xa3\xe8\xa8\x80@6-12 +\xe5\xae\xa3@6-9 "
             "+\xe8\xa8\x80@9-12"},
            {"Chinese: digits are a number beside one-character runs",
             "\xe7\xac\xac" "1" "\xe6\x9d\xa1",
             "\xe7\xac\xac@0-3 1@3-4 \xe6\x9d\xa1@4-7"},
            {"Chinese: punctuation ends a run",
             "\xe4\xba\xba\xe6\x9d\x83\xef\xbc\x8c\xe5\xae\xa3\xe8\xa8\x80",
             "\xe4\xba\xba\xe6\x9d\x83@0-6 +\xe4\xba\xba@0-3 +\xe6\x9d\x83@3-6 "
             "\xe5\xae\xa3\xe8\xa8\x80@9-15 +\xe5\xae\xa3@9-12 "
             "+\xe8\xa8\x80@12-15"},
            {"Chinese: Latin letters end a run",
             "ICU\xe7\x9a\x84\xe5\x88\x86\xe8\xaf\x8d",
             "icu@0-3 \xe7\x9a\x84\xe5\x88\x86@3-9 +\xe7\x9a\x84@3-6 "
             "\xe5\x88\x86\xe8\xaf\x8d@6-12 +\xe5\x88\x86@6-9 "
             "+\xe8\xaf\x8d@9-12"},
            {"Japanese: a run across kanji and kana",
             "\xe4\xba\xba\xe6\xa8\xa9\xe3\x82\x92\xe6\x9c\x89\xe3\x81\x99"
             "\xe3\x82\x8b",
             "\xe4\xba\xba\xe6\xa8\xa9@0-6 +\xe4\xba\xba@0-3 "
             "\xe6\xa8\xa9\xe3\x82\x92@3-9 +\xe6\xa8\xa9@3-6 "
             "\xe3\x82\x92\xe6\x9c\x89@6-12 +\xe3\x82\x92@6-9 "
             "\xe6\x9c\x89\xe3\x81\x99@9-15 +\xe6\x9c\x89@9-12 "
             "\xe3\x81\x99\xe3\x82\x8b@12-18 +\xe3\x81\x99@12-15 "
             "+\xe3\x82\x8b@15-18"},
        };
        size_t i;
        for (i = 0; i < sizeof cj / sizeof cj[0]; i++) {
            runs(t, cj[i].in, out);
            is_str(out, cj[i].want, cj[i].name);
        }
    }
    /* Latin and Cyrillic are as before: no pairs. */
    runs(t, "human rights \xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", out);
    is_str(out,
           "human@0-5 rights@6-12 "
           "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0@13-23",
           "other scripts keep their words");
}

/* The UDHR in Javanese, Yi and Tai Tham (runs of up to 65 characters
 * between spaces), Korean, Chinese (Simplified and Traditional) and
 * Japanese: nothing is too long to index any more, each pair's
 * range alone gives that pair, and any run of consecutive pairs, its text
 * analysed alone, gives those same pairs (the phrase a query makes of a
 * word typed from the middle of a run). */
typedef struct pair_run {
    cm_tok *t, *t2;
    long files, pairs, spans, bad;
} pair_run;

static void
pairs_udhr(void *ctx, const char *name, char *text, size_t len)
{
    static const char *const want[] = {
        "udhr/jav_java.md", "udhr/iii.md",      "udhr/kkh_lana.md",
        "udhr/kor.md",      "udhr/cmn_hans.md", "udhr/cmn_hant.md",
        "udhr/jpn_tokyo.md"};
    enum { MAXT = 16384 };
    static size_t start[MAXT], end[MAXT];
    static char term[MAXT][64];
    pair_run *u = ctx;
    size_t i, j, m, n = 0, k;
    const cm_token *tk;
    int hit = 0;

    for (i = 0; i < sizeof want / sizeof want[0]; i++)
        hit |= strcmp(name, want[i]) == 0;
    if (!hit || cm_tok_reset(u->t, text, len, NULL) != CM_OK) {
        free(text);
        return;
    }
    u->files++;
    while (n < MAXT && cm_tok_next(u->t, &tk) == CM_OK && tk != NULL) {
        if (tk->flags & CM_TOK_ALT)
            continue;
        start[n] = tk->start;
        end[n] = tk->end;
        snprintf(term[n], sizeof term[n], "%s", tk->term);
        n++;
    }
    if ((n == MAXT || cm_tok_skipped(u->t) != 0) && u->bad++ < 5)
        diag("%s: %zu tokens, %u words too long", name, n,
             cm_tok_skipped(u->t));
    for (i = 0; i + 1 < n; i++) {
        int32_t at = 0;
        UChar32 c;
        if (start[i + 1] >= end[i])
            continue; /* not a pair followed by the next of its run */
        u->pairs++;
        /* A cluster that is a vowel sign alone (Tai Tham's AA, which
         * Unicode leaves out of the letter's cluster) starts no word. */
        U8_NEXT(text + start[i], at, (int32_t)(len - start[i]), c);
        if (U_GET_GC_MASK(c) & U_GC_M_MASK)
            continue;
        /* m consecutive pairs from i, m = 1..5, while they overlap. */
        for (m = 1; m <= 5 && i + m <= n; m++) {
            if (m > 1 && start[i + m - 1] >= end[i + m - 2])
                break;
            if (cm_tok_reset(u->t2, text + start[i],
                             end[i + m - 1] - start[i], NULL) != CM_OK)
                break;
            u->spans++;
            for (k = 0, j = i;
                 cm_tok_next(u->t2, &tk) == CM_OK && tk != NULL;) {
                if (tk->flags & CM_TOK_ALT)
                    continue; /* its characters */
                if (j >= i + m || strcmp(tk->term, term[j]) != 0)
                    break;
                k++;
                j++;
            }
            if ((k != m || tk != NULL) && u->bad++ < 5)
                diag("%s: the %zu pairs from token %zu (%s) alone give %zu",
                     name, m, i, term[i], k);
        }
    }
    free(text);
}

static void
test_pairs_udhr(cm_tok *t, cm_tok *t2)
{
    pair_run u = {t, t2, 0, 0, 0, 0};
    long files = each_udhr(1, pairs_udhr, &u);

    if (files < 0)
        return;
    ok(u.files == 7 && u.pairs > 1000 && u.bad == 0,
       "UDHR in Javanese, Yi, Tai Tham, Korean, Chinese, Japanese: %ld "
       "files, %ld pairs, %ld runs of 1-5 pairs give the same pairs alone",
       u.files, u.pairs, u.spans);
}

static void
test_long_words(cm_tok *t)
{
    char buf[1200], out[OUT_MAX];
    size_t i;

    memset(buf, 'a', CM_TOK_MAX_TERM);
    buf[CM_TOK_MAX_TERM] = '\0';
    is_int(runs(t, buf, out), 1, "a word of CM_TOK_MAX_TERM bytes is kept");
    is_int(cm_tok_skipped(t), 0, "nothing skipped");

    memcpy(buf, "short ", 6);
    memset(buf + 6, 'A', CM_TOK_MAX_TERM + 1);
    memcpy(buf + 6 + CM_TOK_MAX_TERM + 1, " next", 6);
    is_int(runs(t, buf, out), 2, "a word of CM_TOK_MAX_TERM + 1 is skipped");
    is_str(out, "short@0-5 next@208-212",
           "the words around it keep their ranges and close positions");
    is_int(cm_tok_skipped(t), 1, "and counted");

    /* Non-ASCII: 100 Cyrillic zhe are 200 bytes, 101 are 202 (accented
     * Latin letters would fold to one byte each). */
    for (i = 0; i < 101; i++)
        memcpy(buf + 2 * i, "\xd0\x96", 2);
    buf[200] = '\0';
    is_int(runs(t, buf, out), 1, "200 bytes of Cyrillic letters are kept");
    memcpy(buf + 200, "\xd0\x96", 3);
    is_int(runs(t, buf, out), 0, "202 bytes are skipped");
    is_int(cm_tok_skipped(t), 1, "and counted");

    /* The limit is on the term, not the text: ignorables fold away. */
    memset(buf, 'a', CM_TOK_MAX_TERM);
    memcpy(buf + CM_TOK_MAX_TERM, "\xc2\xad\xc2\xad", 5);
    is_int(runs(t, buf, out), 1, "soft hyphens do not count");

    /* Ligatures that expand past the first normalisation buffer. */
    for (i = 0; i < 60; i++)
        memcpy(buf + 3 * i, "\xef\xac\x83", 3); /* U+FB03 ffi */
    buf[180] = '\0';
    is_int(runs(t, buf, out), 1, "60 ffi ligatures fold to 180 bytes");
    ok(strncmp(out, "ffiffiffi", 9) == 0 && strstr(out, "@0-180") != NULL,
       "as ffi...ffi@0-180");
    for (i = 60; i < 100; i++)
        memcpy(buf + 3 * i, "\xef\xac\x83", 3);
    buf[300] = '\0';
    is_int(runs(t, buf, out), 0, "100 fold to 300 bytes: skipped");
    is_int(cm_tok_skipped(t), 1, "and counted");

    /* Several long words in one text, and a reset clears the count. */
    memset(buf, 'x', sizeof buf - 1);
    buf[sizeof buf - 1] = '\0';
    buf[300] = buf[600] = ' ';
    is_int(runs(t, buf, out), 0, "three long words: no tokens");
    is_int(cm_tok_skipped(t), 3, "three skipped");
    is_int(runs(t, "ok", out), 1, "next text");
    is_int(cm_tok_skipped(t), 0, "reset clears the count");
}

/* Chinese, Japanese and Thai have no spaces: ICU segments them with
 * dictionaries, whose exact cuts depend on the ICU version, so check the
 * shape: Thai's words, and Chinese and Japanese as runs of pairs whatever
 * the dictionary's words were. */
static void
test_dictionary(cm_tok *t)
{
    /* Thai: "phasa thai pen phasa" (the Thai language is a language). */
    static const char thai[] =
        "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84"
        "\xe0\xb8\x97\xe0\xb8\xa2\xe0\xb9\x80\xe0\xb8\x9b\xe0\xb9\x87"
        "\xe0\xb8\x99\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2";
    /* Chinese and Japanese: ICU's dictionary cuts them into words, which
     * are joined back into runs, and a run becomes its pairs.  (No
     * Traditional character here: its term would be another.) */
    static const struct {
        const char *name, *in;
        long chars;
    } cj[] = {
        {"Chinese",
         "\xe4\xb8\xad\xe5\x8d\x8e\xe4\xba\xba\xe6\xb0\x91\xe5\x85\xb1"
         "\xe5\x92\x8c\xe5\x9b\xbd", 7},
        {"Japanese",
         "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe5\xa4\xa7\xe5\xad\xa6"
         "\xe3\x81\xa7\xe3\x81\x99", 7},
    };
    char out[OUT_MAX], cat[OUT_MAX];
    const cm_token *k;
    size_t i, len = strlen(thai), used = 0, prev = 0;
    int contiguous = 1;
    long n = runs(t, thai, out);

    ok(n >= 3, "Thai: segmented into %ld words", n);
    diag("Thai: %s", out);
    if (cm_tok_reset(t, thai, len, NULL) != CM_OK)
        contiguous = 0;
    while (cm_tok_next(t, &k) == CM_OK && k != NULL) {
        if (k->start != prev)
            contiguous = 0;
        prev = k->end;
        memcpy(cat + used, k->term, k->term_len);
        used += k->term_len;
    }
    cat[used] = '\0';
    ok(contiguous && prev == len, "Thai: words cover the text");
    is_str(cat, thai, "Thai terms are the text");

    for (i = 0; i < sizeof cj / sizeof cj[0]; i++) {
        long pairs = 0, step_ok = 1;
        size_t last_start = 0;
        len = strlen(cj[i].in);
        used = 0;
        if (cm_tok_reset(t, cj[i].in, len, NULL) != CM_OK)
            step_ok = 0;
        while (cm_tok_next(t, &k) == CM_OK && k != NULL) {
            if (k->flags & CM_TOK_ALT) {
                /* The characters, in order, make the text. */
                if (!(k->flags & CM_TOK_ONE) || k->start != used ||
                    k->end != used + k->term_len)
                    step_ok = 0;
                memcpy(cat + used, k->term, k->term_len);
                used += k->term_len;
                continue;
            }
            /* Each pair begins where the one before has its second
             * character, and is two characters (of 3 bytes here). */
            if ((pairs > 0 && k->start != last_start + 3) ||
                k->end != k->start + 6 || !(k->flags & CM_TOK_PAIR))
                step_ok = 0;
            last_start = k->start;
            pairs++;
        }
        cat[used] = '\0';
        ok(step_ok && pairs == cj[i].chars - 1,
           "%s: one run of %ld characters, %ld overlapping pairs",
           cj[i].name, cj[i].chars, pairs);
        ok(strcmp(cat, cj[i].in) == 0, "%s: its characters are the text",
           cj[i].name);
    }
}

/* The Traditional-to-Simplified table that gen_hanfold made from ICU's
 * transliterator: in order, large, folding once is enough, and each
 * Traditional character alone is its Simplified form's term (a Simplified
 * character its own). */
static void
test_hanfold(cm_tok *t)
{
    char in[8], want[8], out[OUT_MAX];
    size_t i, bad = 0, len, wlen;
    int sorted = 1, once = 1;

    for (i = 0; i < CM_HANFOLD_N; i++) {
        size_t lo = 0, hi = CM_HANFOLD_N;
        if (i > 0 && cm_hanfold[i - 1][0] >= cm_hanfold[i][0])
            sorted = 0;
        while (lo < hi) { /* is the fold itself folded? */
            size_t mid = lo + (hi - lo) / 2;
            if (cm_hanfold[mid][0] < cm_hanfold[i][1])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < CM_HANFOLD_N && cm_hanfold[lo][0] == cm_hanfold[i][1])
            once = 0;
    }
    ok(sorted && CM_HANFOLD_N > 2000,
       "the table: %u Traditional characters, in order", CM_HANFOLD_N);
    ok(once, "no character is folded to one that folds again");
    for (i = 0; i < CM_HANFOLD_N; i++) {
        len = wlen = 0;
        U8_APPEND_UNSAFE(in, len, cm_hanfold[i][0]);
        in[len] = '\0';
        U8_APPEND_UNSAFE(want, wlen, cm_hanfold[i][1]);
        memcpy(want + wlen, "@0-", 3);
        snprintf(want + wlen + 3, sizeof want - wlen - 3, "%zu", len);
        runs(t, in, out);
        if (strcmp(out, want) != 0 && bad++ < 3)
            diag("U+%04X gives '%s', not '%s'", cm_hanfold[i][0], out, want);
        len = 0;
        U8_APPEND_UNSAFE(in, len, cm_hanfold[i][1]);
        in[len] = '\0';
        runs(t, in, out);
        if ((strncmp(out, in, len) != 0 || out[len] != '@') && bad++ < 3)
            diag("U+%04X, a Simplified form, gives '%s'", cm_hanfold[i][1],
                 out);
    }
    ok(bad == 0, "each Traditional character alone gives its Simplified "
                 "form, which gives itself");
}

/* A 3 MB text: positions and offsets monotone, the expected count; then
 * a small text, which gives the big buffers back. */
static void
test_big(cm_tok *t)
{
    static const char unit[] = "The Assembly\xe2\x80\x99s r\xc3\xa9solution, "
                               "n\xc2\xb0 1806 (2007); \xce\xb4\xce\xaf\xce"
                               "\xba\xce\xb7 \xe4\xba\xba\xe6\xb0\x91 ";
    size_t ulen = sizeof unit - 1, reps = (3 << 20) / ulen, i;
    char *big = malloc(reps * ulen + 1);
    long per, n;

    if (big == NULL) {
        ok(0, "malloc 3 MB");
        return;
    }
    for (i = 0; i < reps; i++)
        memcpy(big + i * ulen, unit, ulen);
    big[reps * ulen] = '\0';
    per = runs(t, unit, NULL);
    n = run(t, big, reps * ulen, NULL, 0);
    ok(per > 0 && n == per * (long)reps,
       "3 MB: %ld tokens, %ld per repeat, monotone", n, per);
    /* And again on the same buffers. */
    n = run(t, big, reps * ulen, NULL, 0);
    ok(n == per * (long)reps, "3 MB again on reused buffers");
    /* A small text after a big one (buffers are kept or shrunk). */
    is_int(runs(t, "after", NULL), 1, "small text after a big one");
    free(big);
}

static void
test_reuse(cm_tok *t)
{
    static const char *const texts[] = {
        "The Committee of Ministers' reply", "", "\xe4\xb8\xad\xe5\x8d\x8e",
        ("abc\xff" "def"), "\xce\xa3\xce\x9f\xce\xa6\xce\x9f\xce\xa3 x",
    };
    char first[5][OUT_MAX], out[OUT_MAX];
    int i, bad = 0;

    for (i = 0; i < 5; i++)
        if (runs(t, texts[i], first[i]) < 0)
            bad++;
    for (i = 0; i < 5000; i++) {
        if (runs(t, texts[i % 5], out) < 0 || strcmp(out, first[i % 5]) != 0)
            bad++;
    }
    is_int(bad, 0, "5000 resets of one cm_tok give the same tokens");

    /* A reset in the middle of a text starts over. */
    {
        const cm_token *k;
        int good = cm_tok_reset(t, "one two three", 13, NULL) == CM_OK &&
                   cm_tok_next(t, &k) == CM_OK && k != NULL &&
                   cm_tok_reset(t, "four five", 9, NULL) == CM_OK &&
                   cm_tok_next(t, &k) == CM_OK && k != NULL &&
                   strcmp(k->term, "four") == 0 && k->pos == 0;
        ok(good, "a reset mid-text starts over");
    }
}

static void
test_errors(void)
{
    cm_tok *t = (cm_tok *)1;
    const cm_token *k = (const cm_token *)1;
    char *msg = (char *)1;
    static const char small[] = "abc";

    is_int(cm_tok_new(NULL, &msg), CM_EINVAL, "new(NULL) is CM_EINVAL");
    ok(msg == NULL, "and no message to free");
    is_int(cm_tok_new(&t, NULL), CM_OK, "new without errmsg");
    is_str(cm_tok_errmsg(t), "", "no error yet");
    is_int(cm_tok_next(t, &k), CM_OK, "next before any reset");
    ok(k == NULL, "gives no token");

    is_int(cm_tok_reset(NULL, "a", 1, NULL), CM_EINVAL, "reset(NULL)");
    is_int(cm_tok_reset(t, NULL, 3, NULL), CM_EINVAL, "NULL text, length 3");
    ok(cm_tok_errmsg(t)[0] != '\0', "message: %s", cm_tok_errmsg(t));
    is_int(cm_tok_reset(t, NULL, 0, NULL), CM_OK, "NULL text, length 0");
    is_str(cm_tok_errmsg(t), "", "a good call clears the message");
    k = (const cm_token *)1;
    ok(cm_tok_next(t, &k) == CM_OK && k == NULL, "which is empty");

    /* Only the length is looked at: text is never read. */
    is_int(cm_tok_reset(t, small, (size_t)INT32_MAX + 1, NULL), CM_EINVAL,
           "a text over INT32_MAX bytes is CM_EINVAL");
    ok(strstr(cm_tok_errmsg(t), "too long") != NULL, "message: %s",
       cm_tok_errmsg(t));
    k = (const cm_token *)1;
    ok(cm_tok_next(t, &k) == CM_OK && k == NULL, "then no tokens");

    k = (const cm_token *)1;
    is_int(cm_tok_next(NULL, &k), CM_EINVAL, "next(NULL)");
    ok(k == NULL, "sets *tok to NULL");
    is_int(cm_tok_next(t, NULL), CM_EINVAL, "next(t, NULL)");
    is_int(cm_tok_skipped(NULL), 0, "skipped(NULL)");
    is_str(cm_tok_errmsg(NULL), "", "errmsg(NULL)");
    cm_tok_free(t);
    cm_tok_free(NULL);
    ok(1, "cm_tok_free(NULL)");
}

/* The shared corpus, from the source tree or the default location. */
static char *
slurp_corpus(const char *rel, size_t *len)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    FILE *f = NULL;
    char *buf = NULL;
    long size;

    if (top != NULL) {
        snprintf(path, sizeof path, "%s/../shared/corpus/%s", top, rel);
        f = fopen(path, "rb");
    }
    if (f == NULL) {
        snprintf(path, sizeof path, "/work/shared/corpus/%s", rel);
        f = fopen(path, "rb");
    }
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))) {
        *len = fread(buf, 1, (size_t)size, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

/* Each token's byte range, analysed alone, gives back exactly its term:
 * the range is the word and the term is its folded form (the test cannot
 * call ICU itself).  An alternative's range (a whole compound) gives the
 * same alternative; a character of a run (CM_TOK_ONE) or the word before
 * an apostrophe and a suffix (CM_TOK_BASE) alone is a word (or, for a
 * character, nothing), and those a token gives besides are not counted.  With a
 * language, each token keeps its stem. */
static int
same_alone(cm_tok *t2, const char *text, const cm_token *k, const char *lang)
{
    const cm_token *k2;
    size_t n = k->end - k->start;
    int found = 0, count = 0;
    unsigned alt = k->flags & (CM_TOK_ONE | CM_TOK_BASE)
                       ? 0
                       : k->flags & CM_TOK_ALT;

    if (cm_tok_reset(t2, text + k->start, n, lang) != CM_OK)
        return 0;
    while (cm_tok_next(t2, &k2) == CM_OK && k2 != NULL) {
        if (k2->flags & (CM_TOK_ONE | CM_TOK_BASE))
            continue;
        count++;
        if ((k2->flags & CM_TOK_ALT) != alt)
            continue;
        if (strcmp(k2->term, k->term) == 0 && k2->start == 0 &&
            k2->end == n && (k->stem == NULL) == (k2->stem == NULL) &&
            (k->stem == NULL || strcmp(k->stem, k2->stem) == 0))
            found = 1;
    }
    /* A character of a run that alone is no word (Japanese's iteration
     * mark, which repeats the ideograph before it) is a term no query
     * asks for. */
    if (count == 0 && (k->flags & CM_TOK_ONE))
        return 1;
    return found && (count == 1 || alt);
}

static long
check_ranges(cm_tok *t, cm_tok *t2, const char *text, size_t len,
             const char *lang, long *n)
{
    const cm_token *k;
    long bad = 0;

    *n = 0;
    if (run_lang(t, text, len, lang, NULL, 0) < 0)
        return 1;
    if (cm_tok_reset(t, text, len, lang) != CM_OK)
        return 1;
    while (cm_tok_next(t, &k) == CM_OK && k != NULL) {
        (*n)++;
        if (!same_alone(t2, text, k, lang) && bad++ < 3)
            diag("range [%zu,%zu) '%.*s' does not give '%s' alone", k->start,
                 k->end, (int)(k->end - k->start), text + k->start, k->term);
    }
    return bad;
}

static void
test_corpus(cm_tok *t, cm_tok *t2)
{
    /* Latin, Cyrillic, Greek, Arabic, Devanagari, Hangul, and the
     * dictionary-segmented scripts: a Chinese, Japanese or Thai word cut
     * from its sentence is still cut the same way. */
    static const struct {
        const char *file, *lang;
    } files[] = {
        {"udhr/eng.md", "en"},       {"udhr/fra.md", "fr"},
        {"udhr/deu_1996.md", "de"},  {"udhr/nld.md", "nl"},
        {"udhr/ita.md", "it"},       {"udhr/rus.md", "ru"},
        {"udhr/ell_polytonic.md", "el"}, {"udhr/arb.md", "ar"},
        {"udhr/hin.md", "hi"},       {"udhr/kor.md", NULL},
        {"udhr/cmn_hans.md", NULL},  {"udhr/cmn_hant.md", NULL},
        {"udhr/jpn_tokyo.md", NULL}, {"udhr/tha.md", NULL},
        {"udhr/spa.md", "es"},       {"udhr/cat.md", "ca"},
        {"udhr/swe.md", "sv"},       {"udhr/por_PT.md", "pt"},
        {"udhr/mkd.md", NULL},       {"udhr/vie.md", NULL},
        {"seed/doc11549.md", "en"},
    };
    size_t i, len;
    char *text;
    long n, bad;

    text = slurp_corpus("udhr/eng.md", &len);
    if (text == NULL) {
        diag("shared corpus not found: corpus checks skipped");
        return;
    }
    free(text);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        text = slurp_corpus(files[i].file, &len);
        if (text == NULL) {
            diag("%s: absent, skipped", files[i].file);
            continue;
        }
        bad = check_ranges(t, t2, text, len, NULL, &n);
        ok(n > 0 && bad == 0,
           "%s: %ld tokens, each range alone gives its term", files[i].file,
           n);
        if (files[i].lang != NULL) {
            bad = check_ranges(t, t2, text, len, files[i].lang, &n);
            ok(n > 0 && bad == 0, "%s as %s: each range alone gives its "
               "term and stem", files[i].file, files[i].lang);
        }
        free(text);
    }
}

/* Call fn(ctx, name, text, len) for every every-th file of the shared
 * corpus's UDHR (1: all of them; text is the caller's to keep or free).
 * Returns the files read, or -1 with a diag when the index is absent. */

static long
each_udhr(unsigned every, udhr_fn fn, void *ctx)
{
    char *index, *p, *q, *text, name[256];
    size_t len;
    long files = 0, k = 0;

    index = slurp_corpus("udhr-index.json", &len);
    if (index == NULL) {
        diag("udhr-index.json not found: skipped");
        return -1;
    }
    for (p = index; (p = strstr(p, "\"file\": \"")) != NULL; k++) {
        p += 9;
        q = strchr(p, '"');
        if (q == NULL || (size_t)(q - p) >= sizeof name)
            break;
        if (k % every != 0)
            continue;
        memcpy(name, p, (size_t)(q - p));
        name[q - p] = '\0';
        text = slurp_corpus(name, &len);
        if (text == NULL)
            continue;
        files++;
        fn(ctx, name, text, len);
    }
    free(index);
    return files;
}

/* Every UDHR translation (520 languages and scripts): invariants only. */
typedef struct udhr_run {
    cm_tok *t;
    long tokens, bad;
} udhr_run;

static void
run_udhr(void *ctx, const char *name, char *text, size_t len)
{
    udhr_run *u = ctx;
    long n = run(u->t, text, len, NULL, 0);
    if (n < 0) {
        if (u->bad++ < 5)
            diag("%s: invariants broken", name);
    } else {
        u->tokens += n;
    }
    free(text);
}

static void
test_all_udhr(cm_tok *t)
{
    udhr_run u = {t, 0, 0};
    long files = each_udhr(1, run_udhr, &u);

    if (files >= 0)
        ok(files > 0 && u.bad == 0,
           "UDHR: %ld files, %ld tokens, invariants hold", files, u.tokens);
}

/* Whether the boundaries and rule statuses of a and b agree over
 * text[0..len) (UTF-8). */
static int
same_breaks(UBreakIterator *a, UBreakIterator *b, const char *text,
            size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar *u;
    int32_t n = 0, x, y;
    int same = 1;

    u_strFromUTF8WithSub(NULL, 0, &n, text, (int32_t)len, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    u = malloc(((size_t)n + 1) * sizeof *u);
    if (u == NULL)
        return 0;
    u_strFromUTF8WithSub(u, n + 1, &n, text, (int32_t)len, 0xFFFD, NULL, &st);
    ubrk_setText(a, u, n, &st);
    ubrk_setText(b, u, n, &st);
    if (U_FAILURE(st))
        same = 0;
    for (x = ubrk_first(a), y = ubrk_first(b); same && x != UBRK_DONE;
         x = ubrk_next(a), y = ubrk_next(b))
        same = x == y && ubrk_getRuleStatus(a) == ubrk_getRuleStatus(b);
    same = same && y == UBRK_DONE;
    free(u);
    return same;
}

typedef struct breaks_run {
    UBreakIterator *ref, *fast;
    long differ;
} breaks_run;

static void
breaks_udhr(void *ctx, const char *name, char *text, size_t len)
{
    breaks_run *b = ctx;
    if (!same_breaks(b->ref, b->fast, text, len) && b->differ++ < 5)
        diag("%s: word breaks differ", name);
    free(text);
}

/* cm_tok_new() builds its word break iterator from ICU's "word" break
 * rules read directly (cm_tok.c, open_word_break()), for the time
 * ubrk_open(UBRK_WORD, "") spends finding them by locale: both must
 * break every script alike, dictionaries (Thai, Chinese) included. */
static void
test_word_rules(void)
{
    static const char *const texts[] = {
        "Co-development: the Council's 2008 report (Doc. 11549), \xc2\xa7 3.1, "
        "e.g. l'Assembl\xc3\xa9\x65 parlementaire; 1,234.5 km\xc2\xb2 \xe2\x80\x94 "
        "don't, U.S.A., x@y.org, #hashtag \xf0\x9f\x98\x80!",
        "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1 \xd0\xa0\xd0\xbe\xd1\x81"
        "\xd1\x81\xd0\xb8\xd1\x8f \xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a"
        "\xd8\xa9 \xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa",
        "\xe4\xb8\xad\xe5\x8d\x8e\xe4\xba\xba\xe6\xb0\x91\xe5\x85\xb1\xe5\x92\x8c"
        "\xe5\x9b\xbd \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86"
        "\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88 \xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9"
        "\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2",
    };
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *ref, *fast = NULL;
    UDataMemory *d;
    const uint8_t *m = NULL;
    uint32_t len = 0;
    size_t i;
    long files;
    breaks_run b = {NULL, NULL, 0};

    ref = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    d = udata_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "brk",
                   "word", &st);
    if (U_SUCCESS(st) && (m = udata_getMemory(d)) != NULL) {
        memcpy(&len, m + 8, sizeof len);
        fast = ubrk_openBinaryRules(m, (int32_t)len, NULL, 0, &st);
    }
    if (!ok(U_SUCCESS(st) && ref != NULL && fast != NULL,
            "ICU's word break rules read directly (%u bytes): %s", len,
            u_errorName(st))) {
        ubrk_close(ref);
        udata_close(d);
        return;
    }
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        ok(same_breaks(ref, fast, texts[i], strlen(texts[i])),
           "word breaks as ubrk_open(UBRK_WORD, \"\"): sample %zu", i);
    b.ref = ref;
    b.fast = fast;
    files = each_udhr(4, breaks_udhr, &b);
    if (files >= 0)
        ok(files > 0 && b.differ == 0,
           "UDHR: %ld files (every 4th) break alike both ways", files);
    ubrk_close(fast);
    ubrk_close(ref);
    udata_close(d);
}

/* Over real text in many scripts (every 20th UDHR file): the stem that a
 * stemmer blind to a word's script gives (libstemmer itself, on the
 * word's term: the stemmers expect lower case, and Yiddish's makes
 * "NERAL" of "General"), analysed again, is the word's own term, so a stem term
 * would only be on paragraphs with that term; and the analyzer gives no
 * stem there. */
typedef struct reads_run {
    cm_tok *t, *t2;
    struct sb_stemmer *sb[64];
    long checked, bad, given;
} reads_run;

static void
reads_udhr(void *ctx, const char *name, char *text, size_t len)
{
    reads_run *u = ctx;
    const cm_token *tok, *again;
    const char *code, *stem;
    size_t i, n;

    if (cm_tok_reset(u->t, text, len, NULL) != CM_OK) {
        free(text);
        return;
    }
    while (cm_tok_next(u->t, &tok) == CM_OK && tok != NULL) {
        if (!(tok->flags & CM_TOK_WORD) || (tok->flags & CM_TOK_ALT))
            continue;
        for (i = 0; (code = cm_tok_stem_lang(i)) != NULL && i < 64; i++) {
            const sb_symbol *r;
            if (u->sb[i] == NULL ||
                cm_tok_stem_reads(code, tok->term, tok->term_len))
                continue;
            if (cm_tok_stem(u->t, tok, code, &stem, &n) == CM_OK &&
                stem != NULL)
                u->given++;
            r = sb_stemmer_stem(u->sb[i], (const sb_symbol *)tok->term,
                                (int)tok->term_len);
            if (r == NULL)
                continue;
            u->checked++;
            n = (size_t)sb_stemmer_length(u->sb[i]);
            if (cm_tok_reset(u->t2, (const char *)r, n, NULL) != CM_OK ||
                cm_tok_next(u->t2, &again) != CM_OK || again == NULL ||
                again->term_len != tok->term_len ||
                memcmp(again->term, tok->term, tok->term_len) != 0) {
                if (u->bad++ < 5)
                    diag("%s: %s stems %.*s to %.*s", name, code,
                         (int)tok->term_len, tok->term, (int)n,
                         (const char *)r);
            }
        }
    }
    free(text);
}

static void
test_stem_reads_udhr(cm_tok *t, cm_tok *t2)
{
    reads_run u;
    size_t i;
    long files;

    memset(&u, 0, sizeof u);
    u.t = t;
    u.t2 = t2;
    for (i = 0; cm_tok_stem_lang(i) != NULL && i < 64; i++)
        if (cm_tok_stem_code(cm_tok_stem_lang(i)) == cm_tok_stem_lang(i))
            u.sb[i] = sb_stemmer_new(cm_tok_stem_lang(i), NULL);
    files = each_udhr(20, reads_udhr, &u);
    if (files >= 0) {
        ok(files > 0 && u.checked > 0 && u.bad == 0,
           "UDHR: %ld files, %ld stems by blind stemmers, all the word "
           "itself",
           files, u.checked);
        ok(u.given == 0, "and the analyzer gives none of them (%ld given)",
           u.given);
    }
    for (i = 0; i < 64; i++)
        if (u.sb[i] != NULL)
            sb_stemmer_delete(u.sb[i]);
}

/* Which stemmers read which words: a stemmer blind to a word's script
 * gives it back as it is. */
static void
test_stem_reads(void)
{
    static const struct {
        const char *lang, *term;
        int reads;
    } rows[] = {
        {"en", "convention", 1},
        {"ru", "convention", 0},
        {"ar", "convention", 0},
        {"el", "convention", 0},
        {"sr", "convention", 1},  /* Serbian reads Latin and Cyrillic */
        {"ru", "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", 1}, /* права */
        {"sr", "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", 1},
        {"en", "\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0", 0},
        {"fr", "\xce\xb4\xce\xb9\xce\xba\xce\xb1\xce\xb9\xcf\x8e\xce\xbc\xce\xb1\xcf\x84\xce\xb1", 0}, /* δικαιώματα */
        {"el", "\xce\xb4\xce\xb9\xce\xba\xce\xb1\xce\xb9\xcf\x8e\xce\xbc\xce\xb1\xcf\x84\xce\xb1", 1},
        {"ru", "pe\xcc\x82" "che", 0},  /* a combining mark: its letter's script */
        {"ru", "col\xc2\xb7legi", 1}, /* a middle dot: not only letters */
        {"ru", "article12", 1},         /* digits */
        {"ru", "\xd0\xbfrava", 1},    /* mixed scripts */
        {"ru", "", 1},
        {"xx", "convention", 1},        /* no such stemmer */
        {"ru", "\xff", 1},             /* not UTF-8 */
    };
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ok(cm_tok_stem_reads(rows[i].lang, rows[i].term,
                             strlen(rows[i].term)) == rows[i].reads,
           "stem_reads(%s, row %zu): %d", rows[i].lang, i, rows[i].reads);
    is_int(cm_tok_stem_reads(NULL, "convention", 10), 1, "stem_reads NULL lang");
    is_int(cm_tok_stem_reads("ru", NULL, 3), 1, "stem_reads NULL term");
}

/* cm_tok_stem_keeps_initial(): every word of a quarter of the UDHR files,
 * through each stemmer that claims to keep the initial, has a stem that
 * begins with its term's first character when that is a-z or not ASCII
 * (what the snippet highlighter relies on to stem only the words that
 * share an initial with a query stem).  u->tokens counts the stems. */
static void
initial_udhr(void *ctx, const char *name, char *text, size_t len)
{
    udhr_run *u = ctx;
    const cm_token *tok;
    const char *code, *stem;
    size_t i, n, k;
    unsigned char c;

    if (cm_tok_reset(u->t, text, len, NULL) != CM_OK) {
        free(text);
        return;
    }
    while (cm_tok_next(u->t, &tok) == CM_OK && tok != NULL) {
        c = (unsigned char)tok->term[0];
        if (!(tok->flags & CM_TOK_WORD) ||
            !((c >= 'a' && c <= 'z') || c >= 0x80))
            continue;
        k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        for (i = 0; (code = cm_tok_stem_lang(i)) != NULL; i++) {
            if (!cm_tok_stem_keeps_initial(code) ||
                cm_tok_stem(u->t, tok, code, &stem, &n) != CM_OK ||
                stem == NULL)
                continue;
            u->tokens++;
            if (n < k || memcmp(stem, tok->term, k) != 0) {
                if (u->bad++ < 5)
                    diag("%s: %s stems %.*s to %.*s", name, code,
                         (int)tok->term_len, tok->term, (int)n, stem);
            }
        }
    }
    free(text);
}

static void
test_keeps_initial(cm_tok *t)
{
    static const struct {
        const char *lang;
        int keeps;
    } rows[] = {
        {"en", 1}, {"fr", 1}, {"nl", 1}, {"de", 1}, {"ru", 1}, {"el", 1},
        {"nb", 1}, {"en-GB", 1}, {"ar", 0}, {"id", 0}, {"ga", 0},
        {"lt", 0}, {"sr", 0}, {"ta", 0}, {"tr", 0}, {"yi", 0}, {"xx", 0},
        {"", 0},
    };
    const char *stem;
    const cm_token *tok;
    size_t i, n;
    udhr_run u;
    long files;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ok(cm_tok_stem_keeps_initial(rows[i].lang) == rows[i].keeps,
           "keeps_initial(%s): %d", rows[i].lang, rows[i].keeps);
    is_int(cm_tok_stem_keeps_initial(NULL), 0, "keeps_initial(NULL)");
    /* Why the exceptions: Irish drops the mutation of an initial. */
    stem = NULL;
    n = 0;
    if (cm_tok_reset(t, "ngue", 4, NULL) == CM_OK &&
        cm_tok_next(t, &tok) == CM_OK && tok != NULL &&
        cm_tok_stem(t, tok, "ga", &stem, &n) != CM_OK)
        stem = NULL;
    ok(stem != NULL && n > 0 && stem[0] != 'n', "Irish stems ngue to %.*s",
       (int)n, stem ? stem : "");

    memset(&u, 0, sizeof u);
    u.t = t;
    files = each_udhr(4, initial_udhr, &u);
    if (files >= 0)
        ok(files > 0 && u.tokens > 0 && u.bad == 0,
           "UDHR: %ld files, %ld stems by stemmers that keep the initial, "
           "%ld of another",
           files, u.tokens, u.bad);
}

/* The i-th word of test_stem_cache(), in w (32 bytes); its length. */
static size_t
cache_word(size_t i, char *w)
{
    static const char *const ends[] = {"", "s", "ing", "ed", "ation",
                                        "ness", "ly", "ise"};
    int len = snprintf(w, 32, "%c%c%c%s", 'a' + (int)(i % 26),
                       'a' + (int)(i / 26 % 26), 'a' + (int)(i / 676 % 26),
                       ends[i % 8]);
    return len > 0 ? (size_t)len : 0;
}

/* The stem cache: small from the first stem, full after 2048 that were
 * not in it (cm_tok.c).  Words made to collide in the small one, stemmed
 * by one analyzer through both sizes and again, get the stems a fresh
 * analyzer gives each one alone. */
static void
test_stem_cache(void)
{
    enum { N = 3000 };
    char (*stems)[64] = calloc(N, sizeof *stems);
    cm_tok *t = NULL, *one = NULL;
    size_t i, bad = 0, round;

    if (stems == NULL || cm_tok_new(&t, NULL) != CM_OK) {
        ok(0, "stem cache: setup");
        free(stems);
        return;
    }
    for (round = 0; round < 2; round++)
        for (i = 0; i < N; i++) {
            char w[32];
            const char *s = NULL;
            size_t n = 0, len = cache_word(i, w);
            if (cm_tok_stem_term(t, "en", w, len, &s, &n) != CM_OK) {
                bad++;
                continue;
            }
            if (round == 0) {
                snprintf(stems[i], sizeof stems[i], "%.*s", (int)n,
                         s ? s : "-");
                continue;
            }
            if (strncmp(stems[i], s ? s : "-", 63) != 0 ||
                strlen(stems[i]) != (s ? n : 1))
                bad++;
        }
    ok(bad == 0, "stem cache: %d words twice, the same stems (%zu differ)",
       N, bad);
    /* Against a fresh analyzer for a sample. */
    for (i = 0, bad = 0; i < N; i += 97) {
        char w[32];
        const char *s = NULL;
        size_t n = 0, len = cache_word(i, w);
        if (cm_tok_new(&one, NULL) != CM_OK ||
            cm_tok_stem_term(one, "en", w, len, &s, &n) != CM_OK ||
            strncmp(stems[i], s ? s : "-", 63) != 0)
            bad++;
        cm_tok_free(one);
        one = NULL;
    }
    ok(bad == 0, "stem cache: as a fresh analyzer stems them (%zu differ)",
       bad);
    cm_tok_free(t);
    free(stems);
}

int
main(void)
{
    cm_tok *t = NULL, *t2 = NULL;
    char *msg = NULL;

    if (cm_tok_new(&t, &msg) != CM_OK || cm_tok_new(&t2, &msg) != CM_OK) {
        printf("Bail out! cm_tok_new: %s\n", msg ? msg : "?");
        free(msg);
        cm_tok_free(t);
        return 99;
    }
    ok(msg == NULL, "cm_tok_new leaves errmsg NULL on success");
    test_table(t);
    test_rules(t);
    test_variants(t, t2);
    test_stem_api(t, t2);
    test_stem_reads();
    test_real(t);
    test_idempotent(t, t2);
    test_ascii_fast_path(t);
    test_long_words(t);
    test_pairs(t);
    test_pairs_udhr(t, t2);
    test_dictionary(t);
    test_hanfold(t);
    test_big(t);
    test_reuse(t);
    test_errors();
    test_corpus(t, t2);
    test_all_udhr(t);
    test_word_rules();
    test_stem_reads_udhr(t, t2);
    test_keeps_initial(t);
    test_stem_cache();
    cm_tok_free(t2);
    cm_tok_free(t);
    return done_testing();
}
