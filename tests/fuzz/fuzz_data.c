/* fuzz_data.c: libFuzzer target for the document data reader.
 * Any bytes go through cm_data_parse(): never a crash, never a read out of
 * the input; what it reads is made again and read back the same. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cm_data *d = NULL, *e = NULL;
    char *again;
    size_t len = 0, i;
    cm_status st = cm_data_parse((const char *)data, size, &d);

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
        d->para != e->para || d->n_refs != e->n_refs ||
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
