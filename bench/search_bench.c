/* search_bench: in-process search latency of libcmsearch, and a dump of
 * the indexed paragraphs for the other engines of bench/search-bench.sh.
 *
 *   search_bench -d DB [-r repeats] QUERIES   QUERIES: lines "class<TAB>query"
 *       prints "class<TAB>microseconds" per run of each query (top 10, as
 *       cmsearch ranks them: BM25, boosts, no snippets or suggestions),
 *       after one untimed round of every query (the figures of a process
 *       that has searched already, as for FTS5 in search-bench.sh)
 *   search_bench -d DB --dump                 one JSON line per paragraph:
 *       {"path", "para", "lang", "text"} from the document data
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cm_data.h"
#include "cm_db.h"
#include "cm_search.h"

static double
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
dump(cm_db *db)
{
    unsigned last = 0, id;
    cm_status st = cm_db_last_docid(db, &last);

    for (id = 1; st == CM_OK && id <= last; id++) {
        cm_xdoc *d = NULL;
        const char *data;
        size_t len;
        cm_data *o = NULL;
        json_t *out;

        if (cm_db_get_document(db, id, &d) != CM_OK)
            continue;
        if (cm_xdoc_get_data(d, &data, &len) == CM_OK &&
            cm_data_parse(data, len, &o) == CM_OK) {
            out = json_pack("{s:s, s:I, s:s, s:s%}", "path", o->path, "para",
                            (json_int_t)o->para, "lang", o->lang, "text",
                            o->text, o->text_len);
            if (out != NULL) {
                json_dumpf(out, stdout, JSON_COMPACT);
                putchar('\n');
                json_decref(out);
            }
            free(o);
        }
        cm_xdoc_free(d);
    }
    return st == CM_OK ? 0 : 1;
}

static int
run(cm_db *db, const char *path, int repeats)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    cm_search_opts o;
    int round;

    if (f == NULL) {
        perror(path);
        return 1;
    }
    memset(&o, 0, sizeof o);
    o.limit = 10;
    /* One analyzer for every search, as a server would keep it. */
    if (cm_tok_new(&o.tok, NULL) != CM_OK) {
        fprintf(stderr, "search_bench: no analyzer\n");
        fclose(f);
        return 1;
    }
    /* Round 0, untimed: every query once. */
    for (round = 0; round < 2; round++) {
        rewind(f);
        while (fgets(line, sizeof line, f)) {
            char *tab = strchr(line, '\t'), *q;
            int r;
            if (tab == NULL)
                continue;
            *tab = '\0';
            q = tab + 1;
            q[strcspn(q, "\n")] = '\0';
            for (r = 0; r < (round == 0 ? 1 : repeats); r++) {
                cm_results *res = NULL;
                cm_query_error qerr;
                char *err = NULL;
                double t0 = now_us();
                cm_status st = cm_search_run(db, q, strlen(q), &o, &res,
                                             &qerr, &err);
                double t1 = now_us();
                if (round == 0)
                    ; /* the untimed round */
                else if (st != CM_OK)
                    fprintf(stderr, "search_bench: %s: %s\n", q,
                            st == CM_EQUERY ? qerr.message
                                            : cm_status_str(st));
                else
                    printf("%s\t%.1f\n", line, t1 - t0);
                cm_results_free(res);
                free(err);
            }
        }
    }
    fclose(f);
    cm_tok_free(o.tok);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *dbp = NULL, *queries = NULL;
    int i, repeats = 5, do_dump = 0, rc;
    cm_db *db = NULL;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
            dbp = argv[++i];
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dump") == 0)
            do_dump = 1;
        else
            queries = argv[i];
    }
    if (dbp == NULL || (!do_dump && queries == NULL)) {
        fprintf(stderr, "usage: search_bench -d DB [-r N] QUERIES | "
                        "search_bench -d DB --dump\n");
        return 64;
    }
    if (cm_db_open(dbp, &db, NULL) != CM_OK) {
        fprintf(stderr, "search_bench: cannot open %s\n", dbp);
        return 66;
    }
    rc = do_dump ? dump(db) : run(db, queries, repeats);
    cm_db_close(db);
    return rc;
}
