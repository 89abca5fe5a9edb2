/* phrase_spans.c: the span generator of t-phrase.sh.  For each file named
 * on the command line (parsed as cmindex parses it), pick spans of 1 to 6
 * consecutive words of each paragraph's text, as a reader would copy them
 * (words are separated by white space and keep their punctuation), and
 * print one line per span: "canonical-path TAB ordinal TAB span".
 *
 *   phrase_spans [-s seed] [-k spans-per-paragraph] [-p permille] file...
 *
 * -p keeps each paragraph with that probability (per thousand), to sample
 * big corpora.  The random numbers come from a fixed-seed generator, so
 * the spans are the same on every run and machine.  A double quote inside
 * a span would end the query's phrase, so quotes are dropped from spans
 * (a reader cannot search for one inside a phrase either). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_doc.h"
#include "xorshift.h"


static int
space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* The byte ranges of the white-space separated words of text[0..n). */
static size_t
words(const char *text, size_t n, size_t *ws, size_t *we, size_t cap)
{
    size_t i = 0, k = 0;
    while (i < n && k < cap) {
        while (i < n && space(text[i]))
            i++;
        if (i == n)
            break;
        ws[k] = i;
        while (i < n && !space(text[i]))
            i++;
        we[k++] = i;
    }
    return k;
}

static void
print_span(const char *path, unsigned ordinal, const char *s, size_t n)
{
    size_t i;
    printf("%s\t%u\t", path, ordinal);
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            continue;
        putchar(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
    putchar('\n');
}

int
main(int argc, char **argv)
{
    static size_t ws[100000], we[100000];
    unsigned per = 1, permille = 1000;
    int i = 1, rc = 0;

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-s") == 0)
            rng ^= strtoull(argv[i + 1], NULL, 10) * 0x9E3779B97F4A7C15ull;
        else if (strcmp(argv[i], "-k") == 0)
            per = (unsigned)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-p") == 0)
            permille = (unsigned)atoi(argv[i + 1]);
        else
            break;
    }
    for (; i < argc; i++) {
        char *canon = realpath(argv[i], NULL), *text = NULL, *why = NULL;
        size_t len = 0, p, nw;
        cm_doc *doc = NULL;
        unsigned k;

        if (canon == NULL ||
            cm_doc_read_file(canon, (size_t)64 << 20, &text, &len, &why) !=
                CM_OK ||
            cm_doc_parse(canon, text, len, cm_doc_format_of(canon), &doc,
                         &why) != CM_OK) {
            fprintf(stderr, "phrase_spans: %s: %s\n", argv[i],
                    why ? why : "cannot read");
            rc = 1;
        }
        for (p = 0; doc != NULL && p < doc->n_paras; p++) {
            const cm_para *pa = &doc->paras[p];
            if (rnd(1000) >= permille)
                continue;
            nw = words(pa->text, pa->text_len, ws, we, 100000);
            for (k = 0; k < per && nw > 0; k++) {
                size_t w0 = rnd((unsigned)nw), m = 1 + rnd(6);
                if (w0 + m > nw)
                    m = nw - w0;
                print_span(canon, pa->ordinal, pa->text + ws[w0],
                           we[w0 + m - 1] - ws[w0]);
            }
        }
        cm_doc_free(doc);
        free(why);
        free(text);
        free(canon);
    }
    return rc;
}
