/* fuzz_lang.c: libFuzzer target for the language identifier.
 * Any bytes are identified twice: from cm_lang.c's own n-gram profile
 * through its table, and from libexttextcat's fp_Create() and
 * fp_Compare() (cm_lang_use_table(l, 0)).  The two must name the same
 * languages with the same scores.  The first byte chooses how: among all
 * the languages, a few, or one (its score is then its distance), and
 * from how many n-grams. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cm_lang *lang;

static size_t
identify(int table, const char *text, size_t len, size_t ngrams,
         cm_lang_guess *g)
{
    cm_lang_use_table(lang, table);
    return cm_lang_identify_ngrams(lang, text, len, ngrams, g,
                                   CM_LANG_MAX_GUESSES);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const some[] = {"en", "fr", "nl", "de", "ru", "el",
                                       "ar", "zh"};
    static const size_t ngrams[] = {0, 100, 7, 1};
    cm_lang_guess a[CM_LANG_MAX_GUESSES], b[CM_LANG_MAX_GUESSES];
    size_t n, m, k;
    unsigned how;

    if (lang == NULL && cm_lang_new(NULL, &lang, NULL) != CM_OK)
        abort();
    if (size == 0)
        return 0;
    how = data[0];
    /* Among all the languages is slow through fp_Compare(): one input in
     * eight. */
    if ((how & 7) == 0)
        cm_lang_restrict(lang, NULL, 0);
    else
        cm_lang_restrict(lang, &some[(how >> 3) & 7],
                         1 + (how & 1) * (7 - ((how >> 3) & 7)));
    n = identify(1, (const char *)data + 1, size - 1, ngrams[(how >> 6) & 3],
                 a);
    m = identify(0, (const char *)data + 1, size - 1, ngrams[(how >> 6) & 3],
                 b);
    if (n != m)
        abort();
    for (k = 0; k < n; k++)
        if (strcmp(a[k].code, b[k].code) != 0 || a[k].score != b[k].score)
            abort();
    return 0;
}
