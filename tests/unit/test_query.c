/* test_query.c: query text -> query tree, and errors with their column. */
#include "config.h"

#include "cm_query.h"
#include "tap.h"

typedef struct {
    const char *query;
    const char *tree; /* cm_xquery_describe() of the result, or NULL */
    unsigned column;  /* for errors */
    const char *error;
} row;

static const row rows[] = {
    {"migration", "Query(migration@1)", 0, NULL},
    {"Migration  ", "Query(migration@1)", 0, NULL},
    {"migration integration",
     "Query((migration@1 AND integration@1))", 0, NULL},
    {"\"co-development\"", "Query((co@1 PHRASE 2 development@2))", 0, NULL},
    {"co-development", "Query((co@1 PHRASE 2 development@2))", 0, NULL},
    {"\"migrant minors\" IOM",
     "Query(((migrant@1 PHRASE 2 minors@2) AND iom@1))", 0, NULL},
    {"ÉTATS", "Query(états@1)", 0, NULL},
    {"\"\" x", "Query(x@1)", 0, NULL},
    {"a\"b c\"", "Query((a@1 AND (b@1 PHRASE 2 c@2)))", 0, NULL},
    /* Errors, with the column counted in characters from 1. */
    {"\"unclosed", NULL, 1, "unclosed quote"},
    {"migration \"co-dev", NULL, 11, "unclosed quote"},
    {"états \"x", NULL, 7, "unclosed quote"},
    {"", NULL, 1, "the query has no words to search for"},
    {"  ... ,;", NULL, 1, "the query has no words to search for"},
    {"\"\"", NULL, 1, "the query has no words to search for"},
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
        if (r->tree) {
            desc = NULL;
            if (st == CM_OK && cm_xquery_describe(q, &desc) == CM_OK)
                is_str(desc, r->tree, r->query);
            else
                ok(0, "%s: status %d: %s", r->query, st, err.message);
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
