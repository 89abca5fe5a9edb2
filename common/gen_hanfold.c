/* gen_hanfold.c: writes cm_hanfold.h, the table that folds Traditional
 * Chinese characters to Simplified ones (cm_tok.c), from ICU's
 * Traditional-Simplified transliterator, when the project is built.
 *
 * Opening that transliterator compiles its rules: 45-65 ms, which a
 * search of a few milliseconds cannot pay, so the analyzer reads the
 * table this program makes of it instead.  Each ideograph of the Basic
 * Multilingual Plane is transliterated alone; those that become another
 * single character of the plane are written, in order, for a binary
 * search.  A character is folded to the end of its chain (A to B and B
 * to C: A to C), so that folding twice changes nothing; ICU maps a few
 * in a cycle (U+82CE and U+82E7 to each other), which all go to the
 * lowest of the cycle.  The table follows the ICU the project is built
 * with.
 *
 * Usage: gen_hanfold > cm_hanfold.h
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

static unsigned short to[0x10000]; /* to[c]: c's fold, or 0 */

/* Where the chain of folds from c ends: its last character, or the
 * lowest character of the cycle it enters. */
static unsigned
resolve(unsigned c)
{
    unsigned seen[32], n = 0, i, j, low;

    while (to[c] != 0 && n < 32) {
        for (i = 0; i < n; i++)
            if (seen[i] == c) {
                for (low = c, j = i; j < n; j++)
                    if (seen[j] < low)
                        low = seen[j];
                return low;
            }
        seen[n++] = c;
        c = to[c];
    }
    return c;
}

int
main(void)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar id[32], buf[16];
    UTransliterator *tr;
    unsigned n = 0, c;
    int32_t len, limit;

    u_uastrcpy(id, "Traditional-Simplified");
    tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "gen_hanfold: cannot open ICU's "
                "Traditional-Simplified transliterator: %s\n",
                u_errorName(st));
        return 1;
    }
    for (c = 0x3400; c <= 0xFFFF; c++) {
        if (!u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC) ||
            (c >= 0xD800 && c <= 0xDFFF))
            continue;
        buf[0] = (UChar)c;
        len = limit = 1;
        st = U_ZERO_ERROR;
        utrans_transUChars(tr, buf, &len, (int32_t)(sizeof buf / sizeof buf[0]),
                           0, &limit, &st);
        if (U_FAILURE(st)) {
            fprintf(stderr, "gen_hanfold: U+%04X: %s\n", c, u_errorName(st));
            utrans_close(tr);
            return 1;
        }
        if (len != 1 || buf[0] == (UChar)c || U16_IS_SURROGATE(buf[0]))
            continue;
        to[c] = buf[0];
    }
    utrans_close(tr);
    u_cleanup();
    printf("/* cm_hanfold.h: Traditional Chinese characters and their "
           "Simplified\n * forms, by ICU %s's Traditional-Simplified "
           "transliterator.\n * Written by gen_hanfold when building: "
           "do not edit. */\n", U_ICU_VERSION);
    printf("static const unsigned short cm_hanfold[][2] = {\n");
    for (c = 0x3400; c <= 0xFFFF; c++) {
        unsigned r = to[c] != 0 ? resolve(c) : c;
        if (r == c)
            continue;
        printf("    {0x%04X, 0x%04X},\n", c, r);
        n++;
    }
    printf("};\n#define CM_HANFOLD_N %u\n", n);
    if (n == 0) {
        fprintf(stderr, "gen_hanfold: ICU's transliterator folded no "
                "character\n");
        return 1;
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
