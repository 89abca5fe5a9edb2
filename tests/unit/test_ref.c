/* test_ref.c: references to Council of Europe texts and their keys. */
#include "config.h"

#include "cm_ref.h"
#include "cm_util.h"
#include "tap.h"

typedef struct {
    char keys[512];
    size_t n;
    size_t last_start, last_end;
} collected;

static int
collect(void *ctx, const cm_ref_match *m)
{
    collected *c = ctx;
    size_t len = strlen(c->keys);

    snprintf(c->keys + len, sizeof c->keys - len, "%s%s", len ? " " : "",
             m->key);
    c->n++;
    c->last_start = m->start;
    c->last_end = m->end;
    return 0;
}

/* Every key the scanner finds in text, space-separated. */
static const char *
scan(const char *text)
{
    static collected c;

    memset(&c, 0, sizeof c);
    if (cm_ref_scan(text, strlen(text), collect, &c) != CM_OK)
        return "(error)";
    return c.keys;
}

static const struct {
    const char *text, *want;
} scans[] = {
    /* Parliamentary Assembly texts, in the languages of the corpus */
    {"Recommendation 1806 (2007)", "pace-rec-1806-2007"},
    {"Recommandation 1806 (2007)", "pace-rec-1806-2007"},
    {"Assembly [Recommendation 1806 (2007)] on", "pace-rec-1806-2007"},
    {"Resolution 1740 (2010) and Résolution 1740 (2010)",
     "pace-res-1740-2010 pace-res-1740-2010"},
    {"Empfehlung 2052 (2014)", "pace-rec-2052-2014"},
    {"Entschließung 1899 (2012)", "pace-res-1899-2012"},
    {"Raccomandazione 1925 (2010)", "pace-rec-1925-2010"},
    {"Рекомендации 2052 (2014)", "pace-rec-2052-2014"},
    {"Резолюция 1823 (2011)", "pace-res-1823-2011"},
    {"Ψήφισμα 1996 (2014)", "pace-res-1996-2014"},
    {"Σύσταση 2066 (2015)", "pace-rec-2066-2015"},
    {"რეზოლუცია 2158 (2017)", "pace-res-2158-2017"},
    {"Opinion 271 (2009)", "pace-op-271-2009"},
    {"Avis n° 299 (2018)", "pace-op-299-2018"},
    {"Recommendation 1806(2007)", "pace-rec-1806-2007"},
    {"Resolution 1740", ""}, /* no year: not taken */
    {"Recommendations 1806 (2007) and 1807 (2007)", "pace-rec-1806-2007"},
    {"Doc. 13050", "pace-doc-13050"},
    {"Doc 13050, Document 11549", "pace-doc-13050 pace-doc-11549"},
    {"Document CDMG(2006)76", ""},
    {"doc. 12", ""},
    /* Committee of Ministers */
    {"CM/Rec(2007)9", "cm-rec-2007-9"},
    {"CM/Rec (2007) 9", "cm-rec-2007-9"},
    {"Recommendation CM/Rec(2007)9 on", "cm-rec-2007-9"},
    {"Recommendations CM/Rec(2007)9 on x and CM/Rec(2007)10 on y",
     "cm-rec-2007-9 cm-rec-2007-10"},
    {"Rec(2000)26", "cm-rec-2000-26"},
    {"CM/Res(2008)2", "cm-res-2008-2"},
    {"Recommendation No. R (99) 15", "cm-rec-1999-15"},
    {"Record(2000)26", ""},
    /* treaties */
    {"ETS No. 174", "ets-174"},
    {"CETS No. 197", "ets-197"},
    {"STE n° 174", "ets-174"},
    {"CETS n°197", "ets-197"},
    {"STCE no. 210", "ets-210"},
    {"(ETS No. 5)", "ets-5"},
    {"SEV Nr. 5", "ets-5"},
    {"ETSY No. 5", ""},
    /* Court judgments */
    {"Oršuš and Others v. Croatia", "echr-orsus-v-croatia"},
    {"Orsus v. Croatia", "echr-orsus-v-croatia"},
    {"See Handyside v. the United Kingdom, judgment",
     "echr-handyside-v-united-kingdom"},
    {"Wingrove c. Royaume-Uni", "echr-wingrove-v-royaume-uni"},
    {"in Soering v. United Kingdom.", "echr-soering-v-united-kingdom"},
    {"the plaintiff v. the defendant", ""},
    {"Ivanov v. Россия", ""},
    {"", ""},
    {"v. c. ETS n° Doc. Rec( CM/Rec(2007", ""},
};

static const struct {
    const char *text, *want; /* want NULL: CM_ENOTFOUND */
} canon[] = {
    {"Recommendation 1806 (2007)", "pace-rec-1806-2007"},
    {"Recommandation 1806 (2007)", "pace-rec-1806-2007"},
    {" \"CM/Rec (2007) 9\" ", "cm-rec-2007-9"},
    {"CM/Rec(2007)9", "cm-rec-2007-9"},
    {"STE n° 174", "ets-174"},
    {"Doc. 11549", "pace-doc-11549"},
    {"Orsus and Others v. Croatia", "echr-orsus-v-croatia"},
    {"pace-rec-1806-2007", "pace-rec-1806-2007"},
    {"ets-5", "ets-5"},
    {"Recommendation 1806 (2007) and CM/Rec(2007)9", NULL},
    {"the Recommendation 1806 (2007)", NULL},
    {"migration", NULL},
    {"", NULL},
    {"fn-1", NULL},
};

/* cm_ref_scan_yearless(): the year-less names too, as prefixes. */
static const struct {
    const char *text, *want;
} yearless[] = {
    {"as Recommendation 1806 asked", "pace-rec-1806-"},
    {"Recommendation 1806 (2007) and Resolution 1740.",
     "pace-rec-1806-2007 pace-res-1740-"},
    {"Resolution 895, adopted", "pace-res-895-"},
    {"Resolution 1740a", ""},
    {"Resolution 17401234", ""},
    {"Resolution 1740", "pace-res-1740-"},
    {"Resolution 1740 (20", "pace-res-1740-"},
    {"Recommendation 1806Ã©", ""},
    {"CM/Rec(2007)9 and Doc. 11549", "cm-rec-2007-9 pace-doc-11549"},
};

/* cm_ref_query_key(): a query's cites: value, the year optional for a
 * PACE text (then a prefix). */
static const struct {
    const char *text;
    const char *want; /* NULL: not a reference */
    int prefix;
} qkeys[] = {
    {"Recommendation 1806 (2007)", "pace-rec-1806-2007", 0},
    {"Recommendation 1806", "pace-rec-1806-", 1},
    {"\"Recommandation n\xc2\xb0 1806\" ", "pace-rec-1806-", 1},
    {"Resolution 1740.", "pace-res-1740-", 1},
    {"Empfehlung 2052", "pace-rec-2052-", 1},
    {"\xd1\x80\xd0\xb5\xd0\xb7\xd0\xbe\xd0\xbb\xd1\x8e\xd1\x86\xd0\xb8\xd1\x8f 1823",
     "pace-res-1823-", 1},
    {"Opinion 271", "pace-op-271-", 1},
    {"pace-rec-1806", "pace-rec-1806-", 1},
    {"pace-rec-1806-2007", "pace-rec-1806-2007", 0},
    {"CM/Rec(2007)9", "cm-rec-2007-9", 0},
    {"Doc. 11549", "pace-doc-11549", 0},
    {"Recommendation 1806 (2007", NULL, 0},
    {"Recommendation 1806 of", NULL, 0},
    {"Recommendation", NULL, 0},
    {"Recommendation 123456", NULL, 0},
    {"Recommendation 0", NULL, 0},
    {"the Recommendation 1806", NULL, 0},
    {"pace-rec-123456", "pace-rec-123456", 0},
    {"ETS-5", "ets-5", 0},
    {"PACE-Rec-1806", "pace-rec-1806-", 1},
    {"\"CM-REC-2007-9\"", "cm-rec-2007-9", 0},
    {"ETS-", NULL, 0},
    {"", NULL, 0},
};

/* cm_utf8_match_ci(), which the reference, date and type words are
 * matched with: case folded as cm_fold_letter() folds, accents kept. */
static const struct {
    const char *text;
    size_t at;
    const char *word;
    size_t matched;
} matches[] = {
    {"Recommendation 1234", 0, "recommendation", 14},
    {"RECOMMENDATION", 0, "recommendation", 14},
    {"see Resolution", 4, "resolution", 10},
    {"see Resolution", 3, "resolution", 0},
    {"R\xc3\xa9solution", 0, "r\xc3\xa9solution", 11},
    {"R\xc3\x89SOLUTION", 0, "r\xc3\xa9solution", 11},
    {"Resolution", 0, "r\xc3\xa9solution", 0},
    {"R\xc3\xa9solution", 0, "resolution", 0},
    {"\xd0\xa0\xd0\x95\xd0\x97\xd0\x9e\xd0\x9b\xd0\xae\xd0\xa6\xd0\x98\xd0\xaf",
     0, "\xd1\x80\xd0\xb5\xd0\xb7\xd0\xbe\xd0\xbb\xd1\x8e\xd1\x86\xd0\xb8", 16},
    {"\xce\xa3\xce\x8e\xce\xa3\xce\xa4\xce\x91\xce\xa3\xce\x97", 0,
     "\xcf\x83\xcf\x8d\xcf\x83\xcf\x84\xce\xb1\xcf\x83\xce\xb7", 14},
    {"Reso", 0, "resolution", 0},
    {"", 0, "avis", 0},
    {"\xff\xfe", 0, "\xc3\xa9", 0},
    {"avis", 0, "", 0},
};

int
main(void)
{
    char key[CM_REF_KEY_MAX], small[4];
    collected c;
    size_t i;

    for (i = 0; i < sizeof matches / sizeof matches[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "match_ci row %zu", i);
        is_int((long long)cm_utf8_match_ci(matches[i].text,
                                           strlen(matches[i].text),
                                           matches[i].at, matches[i].word),
               (long long)matches[i].matched, name);
    }
    for (i = 0; i < sizeof scans / sizeof scans[0]; i++) {
        char name[160];
        snprintf(name, sizeof name, "scan: %s", scans[i].text);
        is_str(scan(scans[i].text), scans[i].want, name);
    }
    for (i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        char name[160];
        cm_status st = cm_ref_canonical(canon[i].text, strlen(canon[i].text),
                                        key, sizeof key);
        snprintf(name, sizeof name, "canonical: '%s'", canon[i].text);
        if (canon[i].want == NULL)
            is_int(st, CM_ENOTFOUND, name);
        else
            ok(st == CM_OK && strcmp(key, canon[i].want) == 0, "%s -> %s",
               name, st == CM_OK ? key : cm_status_str(st));
    }
    for (i = 0; i < sizeof yearless / sizeof yearless[0]; i++) {
        char name[160];
        memset(&c, 0, sizeof c);
        snprintf(name, sizeof name, "scan, year-less: %s", yearless[i].text);
        is_str(cm_ref_scan_yearless(yearless[i].text,
                                    strlen(yearless[i].text), collect,
                                    &c) == CM_OK ? c.keys : "(error)",
               yearless[i].want, name);
    }
    for (i = 0; i < sizeof qkeys / sizeof qkeys[0]; i++) {
        char name[160];
        int prefix = -1;
        cm_status st = cm_ref_query_key(qkeys[i].text, strlen(qkeys[i].text),
                                        key, sizeof key, &prefix);
        snprintf(name, sizeof name, "query key: '%s'", qkeys[i].text);
        if (qkeys[i].want == NULL)
            is_int(st, CM_ENOTFOUND, name);
        else
            ok(st == CM_OK && strcmp(key, qkeys[i].want) == 0 &&
                   prefix == qkeys[i].prefix,
               "%s -> %s%s", name, st == CM_OK ? key : cm_status_str(st),
               prefix == 1 ? " (a prefix)" : "");
    }
    {
        int prefix;
        is_int(cm_ref_query_key("Recommendation 1806", 19, small,
                                sizeof small, &prefix),
               CM_EINVAL, "a prefix that does not fit");
        is_int(cm_ref_query_key("Doc. 1", 6, key, sizeof key, NULL),
               CM_EINVAL, "no prefix flag");
    }
    /* Byte ranges. */
    memset(&c, 0, sizeof c);
    ok(cm_ref_scan("see Doc. 13050.", 15, collect, &c) == CM_OK &&
           c.n == 1 && c.last_start == 4 && c.last_end == 14,
       "byte range of a match");
    memset(&c, 0, sizeof c);
    ok(cm_ref_scan("X and Orsus and Others v. Croatia", 33, collect, &c) ==
               CM_OK &&
           c.n == 1 && c.last_start == 6 && c.last_end == 33,
       "a judgment starts at its first name");
    /* The text need not be NUL-terminated: a cut reference is none. */
    memset(&c, 0, sizeof c);
    ok(cm_ref_scan("CM/Rec(2007)9", 10, collect, &c) == CM_OK && c.n == 0,
       "a reference cut by len is not found");
    is_int(cm_ref_scan(NULL, 0, collect, &c), CM_OK, "empty NULL text");
    is_int(cm_ref_scan(NULL, 3, collect, &c), CM_EINVAL, "NULL text");
    is_int(cm_ref_canonical("Doc. 13050", 10, small, sizeof small),
           CM_EINVAL, "a key that does not fit");
    return done_testing();
}
