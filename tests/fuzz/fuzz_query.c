/* fuzz_query.c: libFuzzer target for the query parser and snippets.  Any
 * bytes must give a query tree or CM_EQUERY with a column inside the text,
 * never a crash; words must lie inside the text; the plain reading of a
 * malformed query must work or say "no words"; a snippet of the text
 * itself, highlighted for the query, must have its ranges inside it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_query.h"
#include "cm_snippet.h"
#include "cm_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_query(const cm_query *q, const char *text, size_t size, cm_tok *tok)
{
    const cm_query_word *w;
    const cm_hl_term *hl;
    cm_snippet *sn = NULL;
    char *desc = NULL;
    size_t n, i;

    if (cm_xquery_describe(cm_query_xquery(q), &desc) != CM_OK)
        abort();
    free(desc);
    w = cm_query_words(q, &n);
    for (i = 0; i < n; i++)
        if (w[i].start > w[i].end || w[i].end > size || w[i].term == NULL)
            abort();
    hl = cm_query_highlights(q, &n);
    if (cm_snippet_make(tok, text, size, "en", hl, n, 40, &sn) == CM_OK) {
        for (i = 0; i < sn->n_hl; i++)
            if (sn->hl[i].start >= sn->hl[i].end || sn->hl[i].end > sn->len)
                abort();
        if (strlen(sn->text) > sn->len)
            abort();
    }
    cm_snippet_free(sn);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cm_tok *tok;
    const char *text = (const char *)data;
    cm_query_opts opts;
    cm_query_error err;
    cm_query *q = NULL;
    cm_status st;
    int pass;

    if (tok == NULL && cm_tok_new(&tok, NULL) != CM_OK)
        abort();
    for (pass = 0; pass < 3; pass++) {
        memset(&opts, 0, sizeof opts);
        opts.any = pass == 1;
        opts.rank = pass != 2;
        opts.plain = pass == 2;
        st = cm_query_compile(text, size, tok, &opts, &q, &err);
        if (st == CM_OK) {
            if (q == NULL)
                abort();
            check_query(q, text, size, tok);
        } else if (st == CM_EQUERY) {
            if (q != NULL || err.column == 0 ||
                err.column > cm_utf8_columns(text, size) + 1 ||
                err.message[0] == '\0')
                abort();
        } else if (st != CM_ENOMEM) {
            abort();
        }
        cm_query_free(q);
        q = NULL;
    }
    return 0;
}
