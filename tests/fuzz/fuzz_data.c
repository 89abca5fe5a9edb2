/* fuzz_data.c: libFuzzer target for what the searcher reads back from the
 * index: the document data and the languages' runs.  Any bytes go through
 * cm_data_parse() and cm_runs_decode(): never a crash, never a read out of
 * the input; what they read is made again and read back the same. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_data.h"
#include "cm_runs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs read from data are apart and ascending, and written back as the
 * same bytes (the encoding has one form for each set). */
static void
runs(const uint8_t *data, size_t size)
{
    cm_runs r = CM_RUNS_INIT, back = CM_RUNS_INIT;
    cm_buf b = CM_BUF_INIT(0);
    cm_status st = cm_runs_decode((const char *)data, size, &r);
    size_t i;

    if (st != CM_OK) {
        if ((st != CM_ECORRUPT && st != CM_ENOMEM) || r.n != 0)
            abort();
        cm_runs_free(&r);
        return;
    }
    for (i = 0; i < r.n; i++)
        if (r.first[i] == 0 || r.last[i] < r.first[i] ||
            (i > 0 && r.first[i] <= r.last[i - 1] + 1ULL))
            abort();
    if (cm_runs_encode(&r, &b) != CM_OK || b.len != size ||
        memcmp(b.data, data, size) != 0 ||
        cm_runs_decode(b.data, b.len, &back) != CM_OK || back.n != r.n ||
        cm_runs_union(&back, &r) != CM_OK || back.n != r.n)
        abort();
    cm_buf_free(&b);
    cm_runs_free(&r);
    cm_runs_free(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cm_data *d = NULL, *e = NULL;
    char *again;
    size_t len = 0, i;
    cm_status st = cm_data_parse((const char *)data, size, &d);

    runs(data, size);
    if (st != CM_OK) {
        if (st != CM_ECORRUPT && st != CM_ENOMEM)
            abort();
        return 0;
    }
    again = cm_data_make(d, &len);
    if (again == NULL || cm_data_parse(again, len, &e) != CM_OK)
        abort();
    /* Strings with a NUL inside come back cut there: compare as C
     * strings, the text by its length up to the first NUL. */
    if (strcmp(d->path, e->path) != 0 || strcmp(d->title, e->title) != 0 ||
        d->para != e->para || d->page != e->page || d->n_refs != e->n_refs ||
        e->text_len != d->text_len ||
        memcmp(d->text, e->text, d->text_len) != 0)
        abort();
    for (i = 0; i < d->n_refs; i++)
        if (strcmp(d->refs[i], e->refs[i]) != 0)
            abort();
    free(again);
    free(d);
    free(e);
    return 0;
}
