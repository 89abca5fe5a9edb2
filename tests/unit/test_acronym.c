/* test_acronym.c: acronym definitions found in running text. */
#include "config.h"

#include "cm_acronym.h"
#include "tap.h"

typedef struct {
    const char *text;
    const char *want; /* "ACR=expansion" pairs joined with '|' */
} row;

static const row rows[] = {
    {"the International Organization for Migration (IOM) said",
     "IOM=International Organization for Migration"},
    {"Activities of the International Organisation for Migration (IOM)",
     "IOM=International Organisation for Migration"},
    {"IOM (International Organization for Migration) said",
     "IOM=International Organization for Migration"},
    {"l’Organisation internationale pour les migrations (OIM) a",
     "OIM=Organisation internationale pour les migrations"},
    {"The European Court of Human Rights (ECtHR) held",
     "ECtHR=European Court of Human Rights"},
    {"The European Committee on Migration (CDMG) takes note",
     ""}, /* French initials: not a definition by its words */
    {"non-governmental organisations (NGOs) and",
     "NGOs=non-governmental organisations"},
    {"the Euro-Mediterranean Partnership (EMP) and",
     "EMP=Euro-Mediterranean Partnership"},
    {"the Parliamentary Assembly of the Council of Europe (PACE) adopted",
     "PACE=Parliamentary Assembly of the Council of Europe"},
    {"Recommendation 1806 (2007) on", ""},
    {"Protocol No. 14 (XIV) and", ""},
    {"(IOM) at the start", ""},
    {"the Council of Europe (CoE) and the European Union (EU).",
     "CoE=Council of Europe|EU=European Union"},
    /* Not made of initials: GRoupe d'Etats contre la COrruption. */
    {"Groupe d'États contre la corruption (GRECO)", ""},
    {"le Conseil de l'Europe (CdE) et", "CdE=Conseil de l'Europe"},
    {"Égalité des Chances (EC) et", "EC=Égalité des Chances"},
    {"World Health Organization (WHO)", "WHO=World Health Organization"},
    {"a (B) c", ""},
    {"the office (UNHCR", ""},
    {"good (GOOD) thing", ""},
};

typedef struct {
    char buf[512];
} acc;

static int
collect(void *ctx, const char *a, size_t al, const char *e, size_t el)
{
    acc *c = ctx;
    size_t n = strlen(c->buf);
    snprintf(c->buf + n, sizeof c->buf - n, "%s%.*s=%.*s", n ? "|" : "",
             (int)al, a, (int)el, e);
    return 0;
}

static int
stop(void *ctx, const char *a, size_t al, const char *e, size_t el)
{
    (void)a;
    (void)al;
    (void)e;
    (void)el;
    ++*(int *)ctx;
    return 1;
}

int
main(void)
{
    size_t i;
    int calls = 0;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        acc c;
        c.buf[0] = '\0';
        ok(cm_acronym_scan(rows[i].text, strlen(rows[i].text), collect, &c) ==
               CM_OK,
           "scan: %s", rows[i].text);
        is_str(c.buf, rows[i].want, rows[i].text);
    }
    ok(cm_acronym_scan("the Council of Europe (CoE) and the European Union "
                       "(EU).",
                       60, stop, &calls) == CM_OK &&
           calls == 1,
       "a non-zero return stops the scan");
    is_int(cm_acronym_scan(NULL, 0, collect, NULL), CM_EINVAL, "NULL text");
    ok(cm_acronym_scan("", 0, stop, &calls) == CM_OK, "empty text");
    return done_testing();
}
