/* test_lang.c: language identification (cm_lang) and the languages of
 * the document model (cm_doc_lang.c), on samples and on the shared
 * corpus: the bilingual treaties and the UDHR in many languages. */
#include "config.h"

#include "cm_doc.h"
#include "cm_lang.h"
#include "tap.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- helpers ---------------------------------------------------------- */

static char base[4096];

/* The shared corpus: $top_srcdir/../shared/corpus, else /work/shared/corpus. */
static int
corpus_base(void)
{
    const char *top = getenv("top_srcdir");
    struct stat sb;

    if (top != NULL) {
        snprintf(base, sizeof base, "%s/../shared/corpus", top);
        if (stat(base, &sb) == 0)
            return 1;
    }
    snprintf(base, sizeof base, "/work/shared/corpus");
    return stat(base, &sb) == 0;
}

static cm_doc *
parse_file(const char *path)
{
    char *t = NULL, *err = NULL;
    size_t n = 0;
    cm_doc *d = NULL;

    if (cm_doc_read_file(path, 0, &t, &n, &err) != CM_OK ||
        cm_doc_parse(path, t, n, CM_FMT_AUTO, &d, &err) != CM_OK) {
        diag("%s: %s", path, err ? err : "?");
        d = NULL;
    }
    free(err);
    free(t);
    return d;
}

static const char *
top_guess(cm_lang *l, const char *text)
{
    static cm_lang_guess g[CM_LANG_MAX_GUESSES];
    size_t n = cm_lang_identify(l, text, strlen(text), g, 5);
    return n > 0 ? g[0].code : "";
}

/* ---- units ------------------------------------------------------------ */

static void
test_iso(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"en--utf8", "en"},   {"zh-CN-utf8", "zh"}, {"haw-utf8", "haw"},
        {"az-cyrillic-utf8", "az"}, {"gug--utf8", "gn"},
        {"emk-Latn-utf8", "emk"}, {"", ""}, {"x", ""}, {"abcd--utf8", ""},
        {"EN--utf8", ""},
    };
    char out[8];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        is_str(cm_lang_iso(cases[i].in, out), cases[i].want, cases[i].in);
}

static const struct {
    const char *lang, *text;
} samples[] = {
    {"en", "The Committee of Ministers has noted with interest the "
           "recommendation of the Parliamentary Assembly on migration."},
    {"fr", "Le Comité des Ministres a pris note avec intérêt de la "
           "recommandation de l'Assemblée parlementaire sur les migrations."},
    {"de", "Das Ministerkomitee hat die Empfehlung der Parlamentarischen "
           "Versammlung über die Migration mit Interesse zur Kenntnis "
           "genommen."},
    {"nl", "Het Comité van Ministers heeft met belangstelling kennis "
           "genomen van de aanbeveling van de Parlementaire Vergadering."},
    {"it", "Il Comitato dei Ministri ha preso atto con interesse della "
           "raccomandazione dell'Assemblea parlamentare sulle migrazioni."},
    {"ru", "Комитет министров с интересом принял к сведению рекомендацию "
           "Парламентской ассамблеи о миграции и развитии."},
    {"el", "Η Επιτροπή Υπουργών έλαβε υπόψη με ενδιαφέρον τη σύσταση της "
           "Κοινοβουλευτικής Συνέλευσης για τη μετανάστευση."},
    {"ka", "მინისტრთა კომიტეტმა ინტერესით მიიღო ცნობად საპარლამენტო "
           "ასამბლეის რეკომენდაცია მიგრაციის შესახებ."},
};

static void
test_identify(void)
{
    cm_lang *l = NULL, *t = NULL;
    char *err = NULL;
    cm_lang_guess g[5];
    const char *only_en[] = {"en"};
    size_t i;

    if (!ok(cm_lang_new(NULL, &l, &err) == CM_OK && l != NULL,
            "the default fingerprints load (%s)", err ? err : "ok")) {
        free(err);
        return;
    }
    for (i = 0; i < sizeof samples / sizeof samples[0]; i++)
        is_str(top_guess(l, samples[i].text), samples[i].lang,
               samples[i].lang);
    is_int((long long)cm_lang_identify(l, "Article 2", 9, g, 5), 0,
           "a short text is not identified");
    is_int((long long)cm_lang_identify(l, "1234567890 1234567890 "
                                          "1234567890 1234567890 12345",
                                       49, g, 5),
           0, "digits are not identified");
    cm_lang_restrict(l, only_en, 1);
    is_str(top_guess(l, samples[1].text), "en",
           "restricted to en, French text gets en");
    cm_lang_restrict(l, NULL, 0);
    is_str(top_guess(l, samples[1].text), "fr", "unrestricted again");
    ok(cm_lang_thread(&t, &err) == CM_OK && t != NULL,
       "the thread's identifier");
    {
        cm_lang *t2 = NULL;
        ok(cm_lang_thread(&t2, &err) == CM_OK && t2 == t,
           "the same one on the second call");
    }
    cm_lang_thread_release();
    cm_lang_free(l);
    cm_lang_free(NULL);
    l = NULL;
    is_int(cm_lang_new("/nonexistent/fpdb.conf", &l, &err), CM_ENOTFOUND,
           "missing conf: CM_ENOTFOUND");
    ok(l == NULL && err != NULL && strstr(err, "/nonexistent/fpdb.conf"),
       "the message names the file (%s)", err ? err : "");
    free(err);
}

static void *
thread_main(void *arg)
{
    size_t i, bad = 0;
    (void)arg;
    for (i = 0; i < 20; i++) {
        cm_doc *d = NULL;
        char *err = NULL;
        const char *s = samples[i % 8].text;
        if (cm_doc_parse("t.txt", s, strlen(s), CM_FMT_TEXT, &d, &err) !=
                CM_OK ||
            strcmp(d->lang, samples[i % 8].lang) != 0)
            bad++;
        cm_doc_free(d);
        free(err);
    }
    return (void *)bad;
}

static void
test_threads(void)
{
    pthread_t th[4];
    size_t i, bad = 0;
    void *r;

    for (i = 0; i < 4; i++)
        if (pthread_create(&th[i], NULL, thread_main, NULL) != 0)
            abort();
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], &r);
        bad += (size_t)r;
    }
    is_int((long long)bad, 0, "4 threads parse with their own identifiers");
}

/* ---- the model's languages ---------------------------------------------- */

static void
test_model(void)
{
    static const char bi[] =
        "# Title\n\nThe Committee of Ministers has noted with interest the "
        "recommendation of the Parliamentary Assembly on the activities of "
        "the International Organization for Migration.\n\n## Article 2\n\n"
        "It has transmitted the recommendation to the member states and to "
        "the European Committee on Migration for information and "
        "comments.\n\n## Version française\n\nLe Comité des Ministres a pris "
        "note avec intérêt de la recommandation de l'Assemblée "
        "parlementaire sur les activités de l'Organisation internationale "
        "pour les migrations.\n\n## Article 2\n\nIl a transmis la "
        "recommandation aux gouvernements des États membres et au Comité "
        "européen sur les migrations, pour information et commentaires.\n";
    static const char *const want[] = {"en", "en", "en", "en",
                                       "fr", "fr", "fr", "fr"};
    cm_doc_opts o = {CM_FMT_MARKDOWN, "de", NULL, 0};
    cm_doc *d = NULL;
    char *err = NULL;
    size_t i;
    int all = 1;

    if (!ok(cm_doc_parse("bi.md", bi, strlen(bi), CM_FMT_MARKDOWN, &d,
                         &err) == CM_OK,
            "bilingual sample parses"))
        return;
    for (i = 0; i < d->n_paras && i < 8; i++)
        if (strcmp(d->paras[i].lang, want[i]) != 0) {
            diag("paragraph %zu (%s): %s", i + 1, d->paras[i].text,
                 d->paras[i].lang);
            all = 0;
        }
    ok(all && d->n_paras == 8,
       "short headings take the language of what follows them");
    ok(d->n_langs == 2 && strcmp(d->langs[0], d->lang) == 0,
       "two languages present, the main one first (%s)", d->lang);
    cm_doc_free(d);
    d = NULL;
    ok(cm_doc_parse_opts("bi.md", bi, strlen(bi), &o, &d, &err) == CM_OK &&
           strcmp(d->paras[0].lang, "de") == 0 &&
           strcmp(d->paras[7].lang, "de") == 0 &&
           strcmp(d->lang, "de") == 0 && d->n_langs == 1,
       "a forced language goes on every paragraph");
    cm_doc_free(d);
    d = NULL;
    o.lang = "EN";
    is_int(cm_doc_parse_opts("bi.md", bi, strlen(bi), &o, &d, &err),
           CM_EINVAL, "forced language must be a code");
    free(err);
    err = NULL;
    o.lang = NULL;
    o.no_lang = 1;
    ok(cm_doc_parse_opts("bi.md", bi, strlen(bi), &o, &d, &err) == CM_OK &&
           d->paras[0].lang[0] == '\0' && d->lang[0] == '\0' &&
           d->n_langs == 0,
       "no_lang leaves languages empty");
    cm_doc_free(d);
}

/* ---- the bilingual treaties --------------------------------------------- */

/* One CSV field at *p (RFC 4180 quotes), copied to out; *p moves past it
 * and its comma.  0 at the end of the line. */
static int
csv_field(const char **p, char *out, size_t cap)
{
    const char *s = *p;
    size_t n = 0;

    if (*s == '\n' || *s == '\0')
        return 0;
    if (*s == '"') {
        s++;
        while (*s && !(*s == '"' && s[1] != '"')) {
            if (*s == '"')
                s++;
            if (n + 1 < cap)
                out[n++] = *s;
            s++;
        }
        if (*s == '"')
            s++;
    } else
        while (*s && *s != ',' && *s != '\n') {
            if (n + 1 < cap)
                out[n++] = *s;
            s++;
        }
    out[n] = '\0';
    if (*s == ',')
        s++;
    *p = s;
    return 1;
}

/* Heading text equal to the title, ignoring case and runs of spaces. */
static int
same_title(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a == ' ' && *b == ' ') {
            while (*a == ' ')
                a++;
            while (*b == ' ')
                b++;
            continue;
        }
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
    while (*a == ' ')
        a++;
    while (*b == ' ')
        b++;
    return *a == *b;
}

/* The treaties whose manifest says "en+nl" hold the authentic English
 * text and then the Dutch translation.  The Dutch half starts where the
 * Dutch title (the manifest's title_nl) appears as a heading for the
 * second time: the file's first heading is that title, then comes the
 * English text under its own title, then the Dutch text under the Dutch
 * title again.  Files where the title does not appear twice (the Dutch
 * half starts under another heading, in capitals, or not at all) are
 * left out and counted.  The test wants at least 95% of the paragraphs
 * of each half, over all the files, in the half's language. */
static void
test_treaties(void)
{
    char path[8192], line[1 << 16], f[16][2048];
    FILE *csv;
    size_t files = 0, skipped = 0, en_n = 0, en_ok = 0, nl_n = 0, nl_ok = 0;
    size_t bad_files = 0;

    snprintf(path, sizeof path, "%s/treaties-manifest.csv", base);
    csv = fopen(path, "r");
    if (csv == NULL) {
        diag("%s absent: skipping the treaties", path);
        return;
    }
    if (fgets(line, sizeof line, csv) == NULL) {
        fclose(csv);
        return;
    }
    while (fgets(line, sizeof line, csv) != NULL) {
        const char *p = line;
        size_t nf = 0, i, seen = 0, boundary = 0, fe = 0, fen = 0, fnl = 0,
               fnn = 0;
        cm_doc *d;
        while (nf < 16 && csv_field(&p, f[nf], sizeof f[nf]))
            nf++;
        if (nf < 11 || strcmp(f[4], "en+nl") != 0)
            continue;
        snprintf(path, sizeof path, "%s/treaties/%s.md", base, f[0]);
        d = parse_file(path);
        if (d == NULL) {
            skipped++;
            continue;
        }
        for (i = 0; i < d->n_paras && boundary == 0; i++)
            if (d->paras[i].section == CM_SECT_HEADING &&
                same_title(d->paras[i].text, f[8]) && seen++ == 1)
                boundary = i;
        if (boundary == 0) {
            skipped++;
            cm_doc_free(d);
            continue;
        }
        files++;
        for (i = 0; i < d->n_paras; i++) {
            const char *want = i < boundary ? "en" : "nl";
            int good = strcmp(d->paras[i].lang, want) == 0;
            if (i < boundary)
                fen++, fe += good;
            else
                fnn++, fnl += good;
        }
        en_n += fen;
        en_ok += fe;
        nl_n += fnn;
        nl_ok += fnl;
        if (fe * 100 < fen * 95 || fnl * 100 < fnn * 95) {
            if (++bad_files <= 10)
                diag("%s: en half %zu/%zu, nl half %zu/%zu", f[0], fe, fen,
                     fnl, fnn);
        }
        cm_doc_free(d);
    }
    fclose(csv);
    diag("en+nl treaties: %zu files compared, %zu without a second Dutch "
         "title (not compared), %zu under 95%% in a half", files, skipped,
         bad_files);
    ok(files > 0 && en_ok * 100 >= en_n * 95,
       "treaties, English halves: %zu/%zu paragraphs en (%.2f%%)", en_ok,
       en_n, en_n ? 100.0 * (double)en_ok / (double)en_n : 0.0);
    ok(files > 0 && nl_ok * 100 >= nl_n * 95,
       "treaties, Dutch halves: %zu/%zu paragraphs nl (%.2f%%)", nl_ok,
       nl_n, nl_n ? 100.0 * (double)nl_ok / (double)nl_n : 0.0);
}

/* ---- the UDHR ------------------------------------------------------------ */

/* Files whose script libexttextcat has no fingerprint for, though it
 * knows the language (its fingerprint is of another script): not
 * compared. */
static const char *const other_script[] = {
    "mn-Mong",  /* Mongolian script; the fingerprint is Cyrillic */
    "sa-Gran",  /* Grantha; the fingerprint is Devanagari */
    "tl-Tglg",  /* Baybayin; the fingerprint is Latin */
    "tzm-Tfng", /* Tifinagh; the fingerprint is Latin */
    "vi-Hani",  /* Chữ Nôm; the fingerprint is Latin */
    "tk-Cyrl",  /* Cyrillic Turkmen; the fingerprint is Latin */
    "ug-Latn",  /* Latin Uyghur; the fingerprint is Arabic script */
    "bs-Cyrl",  /* Cyrillic Bosnian; the fingerprint is Latin */
    NULL};

/* Pairs that count as a match: languages so close that people confuse
 * them, or one language under two codes. */
static const struct {
    const char *file_lang, *detected;
} close_pairs[] = {
    {"sr", "sh"}, {"sr", "hr"}, {"sr", "bs"}, {"hr", "sh"}, {"hr", "bs"},
    {"bs", "sh"}, {"bs", "hr"}, {"da", "nb"}, {"da", "nn"}, {"nb", "da"},
    {"nb", "nn"}, {"nn", "nb"}, {"no", "nb"}, {"no", "nn"},
    {"el", "grc"}, /* polytonic Greek has ancient Greek's letters */
    {"qu", "qxa"}, /* Quechua and Chimborazo Quichua */
};

/* Misses we know of, with the reason. */
static const struct {
    const char *file, *detected, *why;
} known_misses[] = {
    {"udhr/068.md", "ht", "Welche, a Lorraine dialect of French far from "
                          "the standard; libexttextcat has no model"},
    {"udhr/auv.md", "fr", "Auvergnat Occitan; the oc model is Languedocien"},
    {"udhr/bel.md", "uk", "Belarusian and Ukrainian share most n-grams; "
                          "the be model is small"},
};

static int
listed(const char *const *list, const char *s)
{
    size_t k;
    for (k = 0; list[k] != NULL; k++)
        if (strcmp(list[k], s) == 0)
            return 1;
    return 0;
}

static void
test_udhr(void)
{
    char path[8192], primary[16], out[8];
    json_t *idx, *e;
    json_error_t jerr;
    cm_lang *l = NULL;
    char *err = NULL;
    size_t i, k, n = 0, match = 0, close = 0, excluded = 0, unlisted = 0;

    snprintf(path, sizeof path, "%s/udhr-index.json", base);
    idx = json_load_file(path, 0, &jerr);
    if (idx == NULL) {
        diag("%s absent: skipping the UDHR", path);
        return;
    }
    if (cm_lang_new(NULL, &l, &err) != CM_OK) {
        ok(0, "fingerprints: %s", err);
        free(err);
        json_decref(idx);
        return;
    }
    json_array_foreach(idx, i, e) {
        const char *bcp = json_string_value(json_object_get(e, "bcp47"));
        const char *file = json_string_value(json_object_get(e, "file"));
        cm_doc_opts o = {CM_FMT_AUTO, NULL, l, 0};
        size_t known = 0, len;
        cm_doc *d = NULL;
        char *t = NULL;
        if (bcp == NULL || file == NULL)
            continue;
        len = strcspn(bcp, "-");
        snprintf(primary, sizeof primary, "%.*s", (int)len, bcp);
        /* Does libexttextcat know the language?  Identify its own name. */
        cm_lang_restrict(l, NULL, 0);
        {
            const char *codes[1] = {primary};
            cm_lang_restrict(l, codes, 1);
            known = cm_lang_identify(l, samples[0].text,
                                     strlen(samples[0].text),
                                     (cm_lang_guess[5]){0}, 5);
            cm_lang_restrict(l, NULL, 0);
        }
        if (known == 0)
            continue; /* not a language libexttextcat knows */
        if (listed(other_script, bcp)) {
            excluded++;
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", base, file);
        if (cm_doc_read_file(path, 0, &t, &len, &err) != CM_OK ||
            cm_doc_parse_opts(path, t, len, &o, &d, &err) != CM_OK) {
            diag("%s: %s", path, err ? err : "?");
            free(err);
            err = NULL;
            free(t);
            n++;
            unlisted++;
            continue;
        }
        n++;
        snprintf(out, sizeof out, "%s", d->lang);
        if (strcmp(out, primary) == 0)
            match++;
        else {
            int c = 0;
            for (k = 0; k < sizeof close_pairs / sizeof close_pairs[0]; k++)
                if (strcmp(close_pairs[k].file_lang, primary) == 0 &&
                    strcmp(close_pairs[k].detected, out) == 0)
                    c = 1;
            if (c)
                close++;
            else {
                for (k = 0; k < sizeof known_misses / sizeof known_misses[0];
                     k++)
                    if (strcmp(known_misses[k].file, file) == 0)
                        break;
                if (k == sizeof known_misses / sizeof known_misses[0]) {
                    unlisted++;
                    diag("unlisted miss: %s (%s) detected as '%s'", file,
                         bcp, out);
                } else
                    diag("known miss: %s (%s) detected as '%s': %s", file,
                         bcp, out, known_misses[k].why);
            }
        }
        cm_doc_free(d);
        free(t);
    }
    cm_lang_free(l);
    json_decref(idx);
    diag("UDHR: %zu files in languages libexttextcat knows, %zu more in a "
         "script it has no fingerprint for", n, excluded);
    ok(n > 0 && (match + close) * 100 >= n * 95,
       "UDHR: %zu/%zu match, %zu of them as a close pair (%.1f%%)",
       match + close, n, close,
       n ? 100.0 * (double)(match + close) / (double)n : 0.0);
    is_int((long long)unlisted, 0, "UDHR: every miss is listed with a reason");
}

int
main(void)
{
    test_iso();
    test_identify();
    test_threads();
    test_model();
    if (!corpus_base())
        diag("no shared corpus (../shared/corpus): skipping its tests");
    else {
        test_treaties();
        test_udhr();
    }
    cm_lang_thread_release();
    return done_testing();
}
