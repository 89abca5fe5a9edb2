/* fuzz_query.c: libFuzzer target for the query parser.  Any bytes must give
 * a query tree or CM_EQUERY with a column inside the text, never a crash. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cm_tok *tok;
    cm_query_error err;
    cm_xquery *q = NULL;
    char *desc = NULL;
    cm_status st;

    if (tok == NULL && cm_tok_new(&tok, NULL) != CM_OK)
        abort();
    st = cm_query_parse((const char *)data, size, tok, &q, &err);
    if (st == CM_OK) {
        if (q == NULL || cm_xquery_describe(q, &desc) != CM_OK)
            abort();
        free(desc);
    } else if (st == CM_EQUERY) {
        if (q != NULL || err.column == 0 || err.column > size + 1 ||
            err.message[0] == '\0')
            abort();
    } else if (st != CM_ENOMEM) {
        abort();
    }
    cm_xquery_free(q);
    return 0;
}
