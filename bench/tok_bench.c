/* tok_bench.c: analyzer throughput.  Reads the files named on the command
 * line into one buffer, tokenises it paragraph by paragraph (blank-line
 * separated, as the indexer will) several times, with the stemmer of
 * lang, and prints MB/s and tokens/s (every token the indexer gets,
 * joined compounds included) and how many of them have a stem.
 *
 *   tok_bench [-r repeats] [-l lang] [-n name] file...
 *
 * bench/tok_bench.sh runs it on English, French, Russian and Chinese text.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cm_tok.h"

static char *
slurp_all(int argc, char **argv, size_t *len)
{
    char *buf = NULL, *p;
    size_t cap = 0, n;
    int i;
    FILE *f;

    *len = 0;
    for (i = 0; i < argc; i++) {
        f = fopen(argv[i], "rb");
        if (f == NULL) {
            fprintf(stderr, "tok_bench: cannot open '%s'\n", argv[i]);
            continue;
        }
        for (;;) {
            if (cap - *len < 65536) {
                cap = cap ? cap * 2 : 1 << 20;
                p = realloc(buf, cap);
                if (p == NULL) {
                    fclose(f);
                    free(buf);
                    return NULL;
                }
                buf = p;
            }
            n = fread(buf + *len, 1, cap - *len, f);
            *len += n;
            if (n == 0)
                break;
        }
        fclose(f);
    }
    return buf;
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    cm_tok *t = NULL;
    char *msg = NULL, *text;
    const cm_token *k;
    size_t len, tokens = 0, stems = 0, start, end;
    int r, repeats = 3, first = 1;
    const char *lang = NULL, *name = NULL;
    double t0, secs;

    while (argc > first + 1 && argv[first][0] == '-') {
        if (strcmp(argv[first], "-r") == 0)
            repeats = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "-l") == 0)
            lang = argv[first + 1];
        else if (strcmp(argv[first], "-n") == 0)
            name = argv[first + 1];
        else
            break;
        first += 2;
    }
    if (argc <= first || repeats < 1) {
        fprintf(stderr,
                "usage: tok_bench [-r repeats] [-l lang] [-n name] file...\n");
        return 64;
    }
    text = slurp_all(argc - first, argv + first, &len);
    if (text == NULL || cm_tok_new(&t, &msg) != CM_OK) {
        fprintf(stderr, "tok_bench: %s\n", msg ? msg : "out of memory");
        return 70;
    }
    t0 = now();
    for (r = 0; r < repeats; r++) {
        for (start = 0; start < len; start = end) {
            const char *p = start + 2 <= len
                                ? memmem(text + start, len - start, "\n\n", 2)
                                : NULL;
            end = p ? (size_t)(p - text) + 2 : len;
            if (cm_tok_reset(t, text + start, end - start, lang) != CM_OK)
                return 70;
            while (cm_tok_next(t, &k) == CM_OK && k != NULL) {
                tokens++;
                stems += k->stem != NULL;
            }
        }
    }
    secs = now() - t0;
    printf("%-8s %-4s %7.2f MB x %-4d %6.2f s %7.1f MB/s %6.2f M tokens/s"
           " (%zu tokens, %zu stems per pass)\n",
           name ? name : "text", lang ? lang : "-", (double)len / 1e6,
           repeats, secs, (double)len * repeats / 1e6 / secs,
           (double)tokens / 1e6 / secs, tokens / (size_t)repeats,
           stems / (size_t)repeats);
    cm_tok_free(t);
    free(text);
    return 0;
}
