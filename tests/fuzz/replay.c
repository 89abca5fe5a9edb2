/* replay.c: run a fuzz target over files, without libFuzzer.
 *
 * Linked with one fuzz_*.c, it feeds each file named on the command line
 * (or each file in each directory named) to LLVMFuzzerTestOneInput and
 * prints one TAP line per input, so the seed inputs and every crash once
 * found run in make check with any compiler, under the sanitizers too.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n_tests;

static void
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (f == NULL) {
        printf("not ok %d - cannot open %s\n", ++n_tests, path);
        return;
    }
    for (;;) {
        if (len == cap) {
            unsigned char *p;
            cap = cap ? cap * 2 : 4096;
            p = realloc(buf, cap);
            if (p == NULL)
                abort();
            buf = p;
        }
        got = fread(buf + len, 1, cap - len, f);
        if (got == 0)
            break;
        len += got;
    }
    fclose(f);
    /* In a buffer of exactly len bytes, as libFuzzer passes them, so that
     * the sanitizers see a read past the end (a 4096-byte buffer hid
     * one: atoi on a date at the very end of a query). */
    {
        unsigned char *exact = malloc(len ? len : 1);
        if (exact == NULL)
            abort();
        memcpy(exact, buf, len);
        free(buf);
        buf = exact;
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    /* Reaching here is the test: a crash or a sanitizer report ends the
     * program with a failure. */
    printf("ok %d - %s\n", ++n_tests, path);
    fflush(stdout);
}

static int
cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
run_path(const char *path)
{
    struct stat sb;
    struct dirent *e;
    DIR *d;
    char **names = NULL;
    size_t n = 0, i;

    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        run_file(path);
        return;
    }
    d = opendir(path);
    if (d == NULL) {
        printf("not ok %d - cannot open %s\n", ++n_tests, path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len;
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        len = strlen(path) + strlen(e->d_name) + 2;
        if (names == NULL || (names[n] = malloc(len)) == NULL)
            abort();
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp);
    for (i = 0; i < n; i++) {
        run_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int
main(int argc, char **argv)
{
    int i;
    const char *srcdir = getenv("top_srcdir");
    char def[4096];

    if (argc > 1) {
        for (i = 1; i < argc; i++)
            run_path(argv[i]);
    } else if (srcdir != NULL) {
        /* Under make check: the target's seed folder. */
        snprintf(def, sizeof def, "%s/tests/fuzz/seeds/%s", srcdir,
                 FUZZ_SEEDS);
        run_path(def);
    }
    printf("1..%d\n", n_tests);
    return 0;
}
