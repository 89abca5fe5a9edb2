/* parse_bench.c: the document parser's speed, in MB/s.
 *
 *   make bench/parse_bench
 *   bench/parse_bench [DIR|FILE]...   (default: ../shared/corpus/treaties)
 *
 * Reads every .md/.txt file first (the reader is not timed), then parses
 * them all three times: without language identification, with it, and
 * with metadata, references and languages as the indexer runs it (the
 * same as the second; kept to show the spread).  Prints one line per run:
 * files, MB, seconds, MB/s, paragraphs.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cm_doc.h"
#include "cm_lang.h"

typedef struct {
    char *path, *text;
    size_t len;
} file;

static file *files;
static size_t n_files, cap_files;

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
add_file(const char *path)
{
    char *t = NULL, *err = NULL;
    size_t n = 0;

    if (cm_doc_format_of(path) == CM_FMT_AUTO)
        return;
    if (cm_doc_read_file(path, 0, &t, &n, &err) != CM_OK) {
        fprintf(stderr, "parse_bench: %s: %s\n", path, err ? err : "?");
        free(err);
        return;
    }
    if (n_files == cap_files) {
        cap_files = cap_files ? cap_files * 2 : 1024;
        files = realloc(files, cap_files * sizeof *files);
        if (files == NULL)
            abort();
    }
    files[n_files].path = strdup(path);
    files[n_files].text = t;
    files[n_files].len = n;
    n_files++;
}

static void
add_path(const char *path)
{
    struct stat sb;
    DIR *d;
    struct dirent *e;
    char sub[8192];

    if (stat(path, &sb) != 0) {
        fprintf(stderr, "parse_bench: %s: not found\n", path);
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        add_file(path);
        return;
    }
    d = opendir(path);
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        add_path(sub);
    }
    closedir(d);
}

static int
run(const char *name, int no_lang)
{
    cm_doc_opts o = {CM_FMT_AUTO, NULL, NULL, no_lang};
    size_t i, bytes = 0, paras = 0;
    double t0 = now(), dt;

    for (i = 0; i < n_files; i++) {
        cm_doc *d = NULL;
        char *err = NULL;
        if (cm_doc_parse_opts(files[i].path, files[i].text, files[i].len, &o,
                              &d, &err) != CM_OK) {
            fprintf(stderr, "parse_bench: %s: %s\n", files[i].path,
                    err ? err : "?");
            free(err);
            return 1;
        }
        bytes += files[i].len;
        paras += d->n_paras;
        cm_doc_free(d);
    }
    dt = now() - t0;
    printf("%-22s %6zu files %8.1f MB %7.2f s %7.1f MB/s %8zu paragraphs\n",
           name, n_files, (double)bytes / 1e6, dt,
           dt > 0 ? (double)bytes / 1e6 / dt : 0.0, paras);
    return 0;
}

int
main(int argc, char **argv)
{
    int i, rc = 0;
    const char *top = getenv("top_srcdir");
    char def[4096];

    if (argc < 2) {
        snprintf(def, sizeof def, "%s/../shared/corpus/treaties",
                 top ? top : ".");
        add_path(def);
    }
    for (i = 1; i < argc; i++)
        add_path(argv[i]);
    if (n_files == 0) {
        fprintf(stderr, "parse_bench: no .md or .txt files\n");
        return 1;
    }
    rc |= run("split+meta+refs", 1);
    rc |= run("+ languages", 0);
    rc |= run("+ languages (again)", 0);
    for (i = 0; i < (int)n_files; i++) {
        free(files[i].path);
        free(files[i].text);
    }
    free(files);
    cm_lang_thread_release();
    return rc;
}
