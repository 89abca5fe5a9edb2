/* test_fields.c: the model's fields as index terms (cm_fields_index) and
 * field filters (cm_fields_filter). */
#include "config.h"

#include "cm_doc.h"
#include "cm_fields.h"
#include "cm_lang.h"
#include "tap.h"

typedef struct {
    char all[4096];
} terms;

static int
add_term(void *ctx, const char *s, size_t n, unsigned count)
{
    terms *t = ctx;
    size_t len = strlen(t->all);

    (void)count;
    snprintf(t->all + len, sizeof t->all - len, "%s%.*s", len ? " " : "",
             (int)n, s);
    return 0;
}

/* The field terms of paragraph p of d, indexed into a new document, in t;
 * 0 on success. */
static int
fields_of(cm_tok *tok, const cm_doc *d, const cm_para *p, terms *t)
{
    cm_xdoc *x = NULL;
    char e[256];
    int bad = cm_xdoc_new(&x) != CM_OK ||
              cm_fields_index(x, tok, d, p, "en", e, sizeof e) != CM_OK;

    memset(t, 0, sizeof *t);
    bad = bad || cm_xdoc_terms(x, add_term, t) != CM_OK;
    cm_xdoc_free(x);
    return bad;
}

/* The boolean field terms of a paragraph of the seed-like sample. */
static void
test_index(cm_tok *tok)
{
    static const char src[] =
        "**Doc. 11549**\n\n28 March 2008\n\n## Activities of the IOM\n\n"
        "**Reply to Recommendation<sup>1</sup>:** Recommendation 1806 "
        "(2007)\n\n1. The Committee of Ministers notes CM/Rec(2007)9 and "
        "ETS No. 174.\n";
    cm_doc_opts o = {CM_FMT_MARKDOWN, "en", NULL, 0};
    cm_doc *d = NULL;
    cm_xdoc *x = NULL;
    char *err = NULL, e[256];
    terms t;
    size_t i;

    if (!ok(cm_doc_parse_opts("s.md", src, strlen(src), &o, &d, &err) ==
                CM_OK,
            "sample parses"))
        return;
    for (i = 0; i < d->n_paras; i++)
        if (strcmp(d->paras[i].label, "1.") == 0)
            break;
    if (!ok(i < d->n_paras && cm_xdoc_new(&x) == CM_OK, "paragraph 1."))
        goto out;
    ok(cm_fields_index(x, tok, d, &d->paras[i], "en", e, sizeof e) == CM_OK,
       "cm_fields_index");
    memset(&t, 0, sizeof t);
    ok(cm_xdoc_terms(x, add_term, &t) == CM_OK, "terms");
    ok(strstr(t.all, "Len") && strstr(t.all, "XSECbody") &&
           strstr(t.all, "XDOC11549") && strstr(t.all, "XTYPEreply") &&
           strstr(t.all, "Y2008") && strstr(t.all, "M200803") &&
           strstr(t.all, "D20080328") && strstr(t.all, "XREFcm-rec-2007-9") &&
           strstr(t.all, "XREFets-174"),
       "language, section, number, type, date, refs terms");
    ok(strstr(t.all, "Sactivities") == NULL,
       "no title terms but on the first paragraph (%s)", t.all);
    ok(fields_of(tok, d, &d->paras[0], &t) == 0,
       "first paragraph indexed");
    ok(strstr(t.all, "Sactivities") && strstr(t.all, "Siom"),
       "the title's terms on the first paragraph (%s)", t.all);
    /* The type line: its footnote mark is not an index term. */
    ok(fields_of(tok, d, &d->paras[3], &t) == 0, "type line indexed");
    ok(strstr(t.all, "XREFpace-rec-1806-2007") &&
           strstr(t.all, "XREFfn-") == NULL,
       "a footnote mark is not indexed (%s)", t.all);
out:
    cm_xdoc_free(x);
    cm_doc_free(d);
    free(err);
}

static const struct {
    const char *field, *value;
    const char *want; /* a piece of the description, or NULL: error */
    unsigned column;  /* of the error */
} filters[] = {
    {"lang", "fr", "Lfr", 0},
    {"lang", "FR", NULL, 1},
    {"lang", "french", NULL, 1},
    {"year", "2008", "Y2008", 0},
    {"year", "08", NULL, 1},
    {"date", "2008-01-01..2008-06-30", "2008-01-01", 0},
    {"date", "2008-01..2008-06", "2008-06-30", 0},
    {"date", "2008", "2008-12-31", 0},
    {"date", "2008-01-01..", "2008-01-01", 0},
    {"date", "..2008-06-30", "2008-06-30", 0},
    {"date", "2008-13-45", NULL, 1},
    {"date", "2008-02-30", NULL, 1},
    {"date", "2008-01-01..2008-02-30", NULL, 13},
    {"date", "2009-01-01..2008-01-01", NULL, 1},
    {"date", "..", NULL, 1},
    {"doc", "11549", "XDOC11549", 0},
    {"doc", "Doc. 11549", "XDOC11549", 0},
    {"doc", "abc", NULL, 1},
    {"type", "recommendation", "XTYPErecommendation", 0},
    {"type", "Recommandation", "XTYPErecommendation", 0},
    {"type", "Empfehlung", "XTYPErecommendation", 0},
    {"type", "reply", "XTYPEreply", 0},
    {"type", "letter", NULL, 1},
    {"section", "appendix", "XSECappendix", 0},
    {"section", "footnote", "XSECfootnote", 0},
    {"section", "annex", NULL, 1},
    {"cites", "Recommendation 1806 (2007)", "XREFpace-rec-1806-2007", 0},
    {"cites", "Recommandation 1806 (2007)", "XREFpace-rec-1806-2007", 0},
    {"cites", "CM/Rec (2007) 9", "XREFcm-rec-2007-9", 0},
    {"cites", "STE n° 174", "XREFets-174", 0},
    {"cites", "migration", NULL, 1},
    {"title", "migration", "Smigration", 0},
    {"title", "international organisation", "PHRASE", 0},
    {"title", "", NULL, 1},
    {"colour", "red", NULL, 1},
};

static void
test_filters(cm_tok *tok)
{
    size_t i;

    for (i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        cm_query_error qe;
        cm_xquery *q = NULL;
        char *desc = NULL;
        cm_status st;
        memset(&qe, 0, sizeof qe);
        st = cm_fields_filter(filters[i].field, strlen(filters[i].field),
                              filters[i].value, strlen(filters[i].value),
                              tok, &q, &qe);
        if (filters[i].want == NULL)
            ok(st == CM_EQUERY && q == NULL && qe.message[0] != '\0' &&
                   qe.column == filters[i].column,
               "%s:%s is an error at column %u (%s, column %u)",
               filters[i].field, filters[i].value, filters[i].column,
               qe.message, qe.column);
        else {
            ok(st == CM_OK && q != NULL &&
                   cm_xquery_describe(q, &desc) == CM_OK &&
                   strstr(desc, filters[i].want) != NULL,
               "%s:%s -> %s", filters[i].field, filters[i].value,
               desc ? desc : cm_status_str(st));
        }
        free(desc);
        cm_xquery_free(q);
    }
    ok(cm_fields_known("cites", 5) && cm_fields_known("lang", 4) &&
           !cm_fields_known("colour", 6) && !cm_fields_known("lan", 3),
       "cm_fields_known");
    is_str(cm_fields_type_name("Résolution", strlen("Résolution")),
           "resolution", "type name, French with an accent");
    is_str(cm_fields_type_name("RESOLUTION", 10), "resolution",
           "type name, capitals");
    ok(cm_fields_type_name("Resolutions", 11) == NULL, "no plural");
}

int
main(void)
{
    cm_tok *tok = NULL;
    char *err = NULL;

    if (cm_tok_new(&tok, &err) != CM_OK) {
        diag("cm_tok_new: %s", err ? err : "?");
        free(err);
        return 1;
    }
    test_index(tok);
    test_filters(tok);
    cm_tok_free(tok);
    cm_lang_thread_release();
    return done_testing();
}
