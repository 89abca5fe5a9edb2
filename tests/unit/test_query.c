/* test_query.c: query text -> query tree, and errors with their column. */
#include "config.h"

#include "cm_query.h"
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
    /* An unquoted word: the exact term or its stems, each stem in the
     * paragraphs of its own language. */
    {"migration", {"migration@1 SYNONYM", "Zmigrat FILTER (Len", NULL},
     {NULL}, 0, NULL},
    {"Migration  ", {"migration@1 SYNONYM", NULL}, {NULL}, 0, NULL},
    {"migration integration",
     {"migration@1", " AND (integration@1", "Zintegr", NULL}, {NULL}, 0, NULL},
    /* A phrase is exact: no stems; a compound is also tried joined. */
    {"\"co-development\"",
     {"(co@1 PHRASE 2 development@2) OR codevelopment@1", NULL}, {"Z"}, 0,
     NULL},
    {"co-development", {"(co@1 PHRASE 2 development@2) OR (codevelopment@1",
                        NULL}, {NULL}, 0, NULL},
    {"\"migrant minors\" IOM",
     {"(migrant@1 PHRASE 2 minors@2) AND (iom@1", NULL}, {"Zmigrant"}, 0,
     NULL},
    /* Case and accents are folded as in the index. */
    {"ÉTATS", {"etats@1", NULL}, {"É", "é"}, 0, NULL},
    {"\"\" x", {"x@1", NULL}, {NULL}, 0, NULL},
    {"a\"b c\"", {"(a@1", " AND (b@1 PHRASE 2 c@2)", NULL}, {NULL}, 0, NULL},
    {"\"l’homme\"", {"homme@1", NULL}, {"l’", "Z"}, 0, NULL},
    /* Errors, with the column counted in characters from 1. */
    {"\"unclosed", {NULL}, {NULL}, 1, "unclosed quote"},
    {"migration \"co-dev", {NULL}, {NULL}, 11, "unclosed quote"},
    {"états \"x", {NULL}, {NULL}, 7, "unclosed quote"},
    {"", {NULL}, {NULL}, 1, "the query has no words to search for"},
    {"  ... ,;", {NULL}, {NULL}, 1, "the query has no words to search for"},
    {"\"\"", {NULL}, {NULL}, 1, "the query has no words to search for"},
};

int
main(void)
{
    cm_tok *tok = NULL;
    cm_query_error err;
    cm_xquery *q;
    char *desc, *big;
    size_t i;
    cm_status st;

    if (cm_tok_new(&tok, NULL) != CM_OK)
        skip_all("no analyzer");
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        st = cm_query_parse(r->query, strlen(r->query), tok, &q, &err);
        if (r->error == NULL) {
            size_t k;
            desc = NULL;
            if (st != CM_OK || cm_xquery_describe(q, &desc) != CM_OK) {
                ok(0, "%s: status %d: %s", r->query, st, err.message);
            } else {
                for (k = 0; k < 4 && r->has[k]; k++)
                    if (!ok(strstr(desc, r->has[k]) != NULL, "%s: has %s",
                            r->query, r->has[k]))
                        diag("%s", desc);
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
    free(big);
    cm_tok_free(tok);
    return done_testing();
}
