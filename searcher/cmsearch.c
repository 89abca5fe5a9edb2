/* cmsearch: search a cmsearch index for paragraphs. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cm_buf.h"
#include "cm_db.h"
#include "cm_search.h"
#include "cm_util.h"

#define PROG_NAME "cmsearch"
#define PROG_DESC "search Council of Europe documents by paragraph"

#define WRAP_COLUMNS 76

typedef enum { FMT_TEXT, FMT_JSON } out_format;

static void
usage(FILE *f)
{
    fprintf(f,
            PROG_NAME " - " PROG_DESC "\n"
            "\n"
            "Usage: " PROG_NAME " [OPTION]... QUERY...\n"
            "\n"
            "Print the paragraphs that match QUERY, best first.  The words "
            "of the\n"
            "query are all required; \"quoted words\" must appear as a "
            "phrase, and a\n"
            "hyphenated word such as co-development is a phrase of its "
            "parts.\n"
            "Several QUERY arguments are joined with spaces.\n"
            "\n"
            "Options:\n"
            "  -d, --db=DIR        the index (default: $CMSEARCH_DB, else\n"
            "                      $XDG_DATA_HOME/cmsearch/index, else\n"
            "                      ~/.local/share/cmsearch/index)\n"
            "  -n, --limit=N       show at most N hits (default 10, at most "
            "1000)\n"
            "      --offset=N      skip the first N hits\n"
            "  -f, --format=FMT    text (default) or json\n"
            "  -h, --help          show this help and exit\n"
            "  -V, --version       show the version and exit\n"
            "\n"
            "Examples:\n"
            "  " PROG_NAME " co-development\n"
            "  " PROG_NAME " '\"unaccompanied migrant minors\"' --limit 3\n"
            "  " PROG_NAME " --format json migration integration\n"
            "\n"
            "Exit status:\n"
            "  0   something matched\n"
            "  1   nothing matched\n"
            "  64  usage error\n"
            "  65  malformed query (the message points at the column)\n"
            "  66  no index: run cmindex first\n"
            "  70  internal error\n"
            "  74  the index cannot be read\n"
            "  75  the index kept changing during the search: try again\n");
}

static int
parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v;
    errno = 0;
    if (*s < '0' || *s > '9')
        return 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return 0;
    *out = (unsigned)v;
    return 1;
}

/* The path as the user would type it: relative when under the current
 * directory. */
static const char *
display_path(const char *path, const char *cwd)
{
    size_t n = cwd ? strlen(cwd) : 0;
    if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* Print text wrapped at WRAP_COLUMNS, each line indented by indent. */
static void
print_wrapped(const char *text, const char *indent)
{
    const char *p = text;
    while (*p) {
        const char *line = p, *brk = NULL, *q = p;
        size_t cols = 0;
        while (*q && cols < WRAP_COLUMNS) {
            if (*q == ' ')
                brk = q;
            if (((unsigned char)*q & 0xC0) != 0x80)
                cols++;
            q++;
        }
        /* Don't split a UTF-8 sequence at the margin. */
        while (*q && ((unsigned char)*q & 0xC0) == 0x80)
            q++;
        if (*q == '\0' || brk == NULL)
            brk = q;
        printf("%s%.*s\n", indent, (int)(brk - line), line);
        p = brk;
        while (*p == ' ')
            p++;
    }
}

static void
print_text(const cm_results *res, const char *cwd)
{
    size_t i;
    for (i = 0; i < res->n_hits; i++) {
        const cm_hit *h = &res->hits[i];
        if (i > 0)
            printf("\n");
        printf("%u. ", h->rank);
        if (h->doc[0])
            printf("%s", h->doc);
        else
            printf("%s", display_path(h->path, cwd));
        if (h->label[0])
            printf(" ¶%s", h->label);
        else
            printf(" ¶#%u", h->para);
        if (h->date[0])
            printf(" · %s", h->date);
        if (h->lang[0])
            printf(" · %s", h->lang);
        if (h->title[0])
            printf(" · %s", h->title);
        printf("  [%.2f]\n", h->score);
        if (h->doc[0])
            printf("   %s (paragraph %u)\n", display_path(h->path, cwd),
                   h->para);
        print_wrapped(h->text, "   ");
    }
}

static int
print_json(const char *query, const cm_results *res)
{
    json_t *hits = json_array(), *o;
    size_t i, j;
    int rc = 0;

    if (hits == NULL)
        return -1;
    for (i = 0; i < res->n_hits; i++) {
        const cm_hit *h = &res->hits[i];
        json_t *refs = json_array();
        for (j = 0; refs && j < h->n_refs; j++)
            json_array_append_new(refs, json_string(h->refs[j]));
        o = json_pack("{s:I, s:f, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, "
                      "s:s, s:s, s:s, s:o*}",
                      "rank", (json_int_t)h->rank, "score", h->score, "path",
                      h->path, "para", (json_int_t)h->para, "label", h->label,
                      "section", h->section, "heading", h->heading, "text",
                      h->text, "lang", h->lang, "doc", h->doc, "title",
                      h->title, "date", h->date, "type", h->type, "refs",
                      refs);
        if (o == NULL || json_array_append_new(hits, o) != 0) {
            json_decref(hits);
            return -1;
        }
    }
    o = json_pack("{s:s, s:I, s:b, s:o}", "query", query, "total",
                  (json_int_t)res->total, "total_exact",
                  res->total_lower == res->total_upper, "hits", hits);
    if (o == NULL)
        return -1;
    if (json_dumpf(o, stdout, JSON_INDENT(2)) != 0)
        rc = -1;
    printf("\n");
    json_decref(o);
    return rc;
}

/* Exit status for a failure to open or read the index. */
static int
exit_for(cm_status st)
{
    switch (st) {
    case CM_ENOTFOUND:
        return EX_NOINPUT;
    case CM_EQUERY:
        return EX_DATAERR;
    case CM_EMODIFIED:
    case CM_ELOCKED:
        return EX_TEMPFAIL;
    case CM_EINTERNAL:
    case CM_EINVAL:
        return EX_SOFTWARE;
    default:
        return EX_IOERR;
    }
}

static char *
join_args(char **argv, int n)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    int i;
    for (i = 0; i < n; i++) {
        if (i)
            cm_buf_addc(&st, &b, ' ');
        cm_buf_adds(&st, &b, argv[i]);
    }
    return cm_buf_steal(&st, &b);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    cm_search_opts opts = {0, 10};
    out_format fmt = FMT_TEXT;
    char *db_path = NULL, *query = NULL, *errmsg = NULL, *cwd = NULL;
    cm_db *db = NULL;
    cm_results *res = NULL;
    cm_query_error qerr;
    cm_status st;
    int c, rc = 0;

    while ((c = getopt_long(argc, argv, "d:n:f:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            free(db_path);
            db_path = strdup(optarg);
            break;
        case 'n':
            if (!parse_uint(optarg, 1000, &opts.limit)) {
                fprintf(stderr, PROG_NAME ": --limit wants a number from 0 "
                        "to 1000, not '%s'\n", optarg);
                rc = EX_USAGE;
            }
            break;
        case 'o':
            if (!parse_uint(optarg, 1000000, &opts.offset)) {
                fprintf(stderr, PROG_NAME ": --offset wants a number from 0 "
                        "to 1000000, not '%s'\n", optarg);
                rc = EX_USAGE;
            }
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0) {
                fmt = FMT_TEXT;
            } else if (strcmp(optarg, "json") == 0) {
                fmt = FMT_JSON;
            } else {
                fprintf(stderr, PROG_NAME ": unknown format '%s' (text or "
                        "json)\n", optarg);
                rc = EX_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            free(db_path);
            return 0;
        case 'V':
            printf(PROG_NAME " (" PACKAGE_NAME ") " PACKAGE_VERSION
                   ", Xapian %s\n", cm_db_xapian_version());
            free(db_path);
            return 0;
        default:
            rc = EX_USAGE;
            break;
        }
        if (rc)
            break;
    }
    if (rc == 0 && optind >= argc) {
        fprintf(stderr, PROG_NAME ": no QUERY given\n");
        rc = EX_USAGE;
    }
    if (rc) {
        fprintf(stderr, "Try '" PROG_NAME " --help' for more "
                "information.\n");
        free(db_path);
        return rc;
    }
    if (db_path == NULL && cm_default_db_path(&db_path) != CM_OK) {
        fprintf(stderr, PROG_NAME ": no index given: use --db or set "
                "CMSEARCH_DB\n");
        return EX_USAGE;
    }
    query = join_args(argv + optind, argc - optind);
    if (query == NULL) {
        rc = EX_OSERR;
        goto out;
    }

    st = cm_db_open(db_path, &db, &errmsg);
    if (st != CM_OK) {
        if (st == CM_ENOTFOUND)
            fprintf(stderr, PROG_NAME ": no index at '%s': run cmindex "
                    "first, or give --db\n", db_path);
        else
            fprintf(stderr, PROG_NAME ": cannot open index '%s': %s\n",
                    db_path, errmsg ? errmsg : cm_status_str(st));
        rc = exit_for(st);
        goto out;
    }
    st = cm_search_run(db, query, strlen(query), &opts, &res, &qerr,
                       &errmsg);
    if (st == CM_EQUERY) {
        fprintf(stderr, PROG_NAME ": query error at column %u: %s\n",
                qerr.column, qerr.message);
        rc = EX_DATAERR;
        goto out;
    }
    if (st != CM_OK) {
        fprintf(stderr, PROG_NAME ": search failed: %s\n",
                errmsg && *errmsg ? errmsg : cm_status_str(st));
        rc = exit_for(st);
        goto out;
    }
    cwd = getcwd(NULL, 0);
    if (fmt == FMT_JSON) {
        if (print_json(query, res) != 0)
            rc = EX_OSERR;
    } else {
        print_text(res, cwd);
    }
    if (rc == 0)
        rc = res->total > 0 ? 0 : 1;
    if (fflush(stdout) != 0 && rc <= 1) {
        fprintf(stderr, PROG_NAME ": write error: %s\n", strerror(errno));
        rc = EX_IOERR;
    }
out:
    cm_results_free(res);
    cm_db_close(db);
    free(cwd);
    free(errmsg);
    free(query);
    free(db_path);
    return rc;
}
