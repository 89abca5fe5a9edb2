/* cmsearch.cgi: the search page, a CGI program (RFC 3875).
 *
 * A web server runs it once per request with REQUEST_METHOD and
 * QUERY_STRING set; it answers GET and HEAD.  Run from a shell without
 * REQUEST_METHOD, its arguments are the parameters, NAME=VALUE each, as
 * typed (cmsearch.cgi q='human rights' page=2), as omega's CGI does.
 *
 * The index: $CMSEARCH_DB (the web server's configuration sets it), else
 * the db of the configuration file ($CMSEARCH_CONFIG, else
 * /etc/cmsearch.conf), whose link rules make each hit's file name a link
 * to the document.  A visitor sees what went wrong in words; the
 * details (file names, Xapian's messages) go to stderr, the server's
 * error log, and never to the page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_buf.h"
#include "cm_cgi.h"
#include "cm_config.h"
#include "cm_db.h"
#include "cm_search.h"
#include "cm_util.h"

#define PROG_NAME "cmsearch.cgi"
#define PROG_DESC "the search page, a CGI program"

static void
usage(void)
{
    printf(PROG_NAME " - " PROG_DESC "\n"
           "\n"
           "Usage: a web server runs it, with REQUEST_METHOD and QUERY_STRING\n"
           "       " PROG_NAME " [NAME=VALUE]...   from a shell\n"
           "\n"
           "Answers GET and HEAD with the search page: the hits of the query q\n"
           "in cmsearch's query language, a page at a time.  From a shell, the\n"
           "arguments are the parameters, each value as typed, and it prints\n"
           "the answer (CGI headers, then the page).\n"
           "\n"
           "Parameters:\n"
           "  q=QUERY        the query (at most %d bytes)\n"
           "  page=N         the page of hits, from 1\n"
           "  n=N            hits per page, 1 to %d (default 10)\n"
           "  sort=ORDER     relevance (default), date or -date\n"
           "  bydoc=1        one paragraph per document\n"
           "  any=1          any of the words is enough\n"
           "  lang=CODE      only paragraphs in this language (en, fr, ...)\n"
           "  like=ID        paragraphs like this one (a hit's \"similar\n"
           "                 paragraphs\" link) instead of q\n"
           "  format=json    the results as JSON (cmsearch --format json's,\n"
           "                 files without their folders), for programs\n"
           "\n"
           "The index: $CMSEARCH_DB, else the db of the configuration file\n"
           "($CMSEARCH_CONFIG, else " CM_CONFIG_DEFAULT_PATH "), whose link\n"
           "rules (link = FOLDER URL) link each hit to its document.  See\n"
           "doc/cgi.md.\n"
           "\n"
           "Exit status: 0 when a page was written (whatever its HTTP status),\n"
           "64 for a bad option, 70 when no page could be made, 74 when it\n"
           "could not be written.\n",
           CM_CGI_MAX_Q, CM_CGI_MAX_PER_PAGE);
}

/* The query string of a run from a shell: each argument NAME=VALUE, the
 * value taken as typed. */
static char *
args_query_string(int argc, char **argv)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(CM_CGI_MAX_QUERY_STRING * 3);
    int i;

    for (i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (i > 1)
            cm_buf_addc(&st, &b, '&');
        cm_cgi_urlencode(&st, &b, argv[i], n);
        if (eq != NULL) {
            cm_buf_addc(&st, &b, '=');
            cm_cgi_urlencode(&st, &b, eq + 1, strlen(eq + 1));
        }
    }
    if (st != CM_OK) {
        cm_buf_free(&b);
        return NULL;
    }
    return cm_buf_steal(&st, &b);
}

/* The configuration (its link rules, and the index when $CMSEARCH_DB does
 * not name one), or NULL with the reason on stderr. */
static cm_config *
load_config(void)
{
    cm_config *cfg = NULL;
    char *errmsg = NULL;

    if (cm_config_load(NULL, &cfg, &errmsg) != CM_OK) {
        fprintf(stderr, PROG_NAME ": %s\n", errmsg ? errmsg : "no memory");
        free(errmsg);
        return NULL;
    }
    return cfg;
}

/* The index's path: $CMSEARCH_DB, else the configuration's db, else NULL
 * with the reason on stderr. */
static const char *
db_path(const cm_config *cfg)
{
    const char *env = getenv("CMSEARCH_DB");

    if (env != NULL && *env != '\0')
        return env;
    if (cfg->db != NULL)
        return cfg->db;
    fprintf(stderr, PROG_NAME ": no index: set CMSEARCH_DB in the web "
            "server's configuration, or db in %s\n",
            cfg->source ? cfg->source : CM_CONFIG_DEFAULT_PATH);
    return NULL;
}

/* The languages of the index, most paragraphs first (its L terms). */
#define MAX_LANGS 200
typedef struct lang {
    char code[4];
    unsigned count; /* its paragraphs */
} lang;
typedef struct langs {
    lang v[MAX_LANGS];
    const char *list[MAX_LANGS]; /* their codes, for the page */
    size_t n;
} langs;

static int
add_lang(void *ctx, const char *term, size_t len, unsigned count)
{
    langs *l = ctx;

    if (len < 1 || !cm_lang_code_ok(term + 1, len - 1) || l->n == MAX_LANGS)
        return 0;
    memcpy(l->v[l->n].code, term + 1, len - 1);
    l->v[l->n].code[len - 1] = '\0';
    l->v[l->n++].count = count;
    return 0;
}

/* Most paragraphs first; equals in code order, as the index lists them. */
static int
by_count(const void *a, const void *b)
{
    const lang *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* The index's languages into pg (none when they cannot be read: the form
 * is shown without them). */
static void
index_langs(cm_db *db, langs *l, cm_cgi_page *pg)
{
    size_t i;

    l->n = 0;
    if (cm_db_allterms(db, "L", add_lang, l) != CM_OK)
        return;
    qsort(l->v, l->n, sizeof l->v[0], by_count);
    for (i = 0; i < l->n; i++)
        l->list[i] = l->v[i].code;
    pg->langs = l->list;
    pg->n_langs = l->n;
}

/* Search for the request, once as written and, when that is a malformed
 * query, again as plain words; fill pg (res freed by the caller). */
static void
search(cm_db *db, const cm_cgi_req *req, cm_cgi_page *pg,
       cm_results **res, char *msg, size_t msg_len)
{
    cm_search_opts o;
    cm_query_error qerr;
    char *errmsg = NULL;
    cm_status st;

    memset(&o, 0, sizeof o);
    o.offset = (req->page - 1) * req->per_page;
    o.limit = req->per_page;
    o.any = req->any;
    o.by_doc = req->by_doc;
    o.sort = req->sort;
    o.lang = req->lang[0] != '\0' ? req->lang : NULL;
    o.snippets = 1;
    o.suggest = 1;
    o.lang_counts = pg->n_langs > 0; /* for the select */
    o.like = req->like;
    st = cm_search_run(db, req->q, req->q_len, &o, res, &qerr, &errmsg);
    if (st == CM_EQUERY) {
        snprintf(msg, msg_len, "Query error at column %u: %s.",
                 qerr.column, qerr.message);
        pg->message = msg;
        pg->column = qerr.column;
        o.plain = 1;
        o.suggest = 0;
        free(errmsg);
        errmsg = NULL;
        st = cm_search_run(db, req->q, req->q_len, &o, res, &qerr, &errmsg);
        pg->plain = st == CM_OK;
        if (st == CM_EQUERY) /* plain words fail only on the limits */
            st = CM_OK;
    }
    if (st == CM_OK) {
        pg->res = *res;
        free(errmsg);
        return;
    }
    if (st == CM_ENOTFOUND && req->like != 0) {
        /* A link from before the index changed. */
        free(errmsg);
        pg->status = 404;
        pg->message = "That paragraph is no longer in the index: search "
                      "for it again.";
        return;
    }
    fprintf(stderr, PROG_NAME ": search failed: %s\n",
            errmsg && *errmsg ? errmsg : cm_status_str(st));
    free(errmsg);
    pg->column = 0;
    pg->plain = 0;
    if (st == CM_EMODIFIED || st == CM_ELOCKED) {
        pg->status = 503;
        pg->message = "The index is being updated: please try again in a "
                      "moment.";
    } else {
        pg->status = 500;
        pg->message = "The search failed; the details are in the server's "
                      "log.";
    }
}

/* Answer the request; its status. */
static int
answer(const char *method, const char *qs, cm_buf *out, cm_status *st)
{
    cm_cgi_req req;
    cm_cgi_page pg;
    cm_results *res = NULL;
    cm_db *db = NULL;
    cm_config *cfg = NULL;
    const char *path = NULL;
    static langs l; /* 3 KB: not on the stack */
    char err[256], msg[512], *errmsg = NULL;
    int head = strcmp(method, "HEAD") == 0;
    size_t qs_len = strlen(qs);

    memset(&pg, 0, sizeof pg);
    pg.status = 200;
    if (!head && strcmp(method, "GET") != 0) {
        pg.status = 405;
        pg.message = "This page answers GET requests only.";
        goto render;
    }
    if (cm_cgi_parse(qs, qs_len, &req, err, sizeof err) != CM_OK) {
        pg.status = qs_len > CM_CGI_MAX_QUERY_STRING ? 414 : 400;
        pg.req = &req;
        pg.message = err;
        goto render;
    }
    pg.req = &req;
    if (req.q_len == 0 && req.like == 0 && req.json) {
        pg.status = 400;
        pg.message = "no query: give q, or like";
        goto render;
    }
    if (req.q_len == 0 && req.like == 0) {
        /* The empty form, with the index's languages when it opens. */
        const char *env = getenv("CMSEARCH_DB");
        if (env != NULL && *env != '\0')
            path = env;
        else if ((cfg = load_config()) != NULL)
            path = cfg->db;
        if (path != NULL && cm_db_open(path, &db, &errmsg) == CM_OK)
            index_langs(db, &l, &pg);
        goto render;
    }
    if ((cfg = load_config()) == NULL || (path = db_path(cfg)) == NULL) {
        pg.status = 500;
        pg.message = "The search is not set up: the details are in the "
                     "server's log.";
        goto render;
    }
    if (cm_db_open(path, &db, &errmsg) != CM_OK) {
        fprintf(stderr, PROG_NAME ": cannot open index '%s': %s\n", path,
                errmsg ? errmsg : "no memory");
        pg.status = 503;
        pg.message = "The index cannot be opened (it may not be built "
                     "yet): the details are in the server's log.";
        goto render;
    }
    pg.cfg = cfg;
    index_langs(db, &l, &pg);
    search(db, &req, &pg, &res, msg, sizeof msg);
render:
    cm_cgi_render(st, out, &pg, head);
    cm_results_free(res);
    cm_db_close(db);
    cm_config_free(cfg);
    free(errmsg);
    return pg.status;
}

int
main(int argc, char **argv)
{
    const char *method = getenv("REQUEST_METHOD");
    const char *qs = getenv("QUERY_STRING");
    char *args = NULL;
    cm_buf out = CM_BUF_INIT(0);
    cm_status st = CM_OK;
    int rc = 0;

    if (method == NULL && argc > 1 && argv[1][0] == '-') {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            usage();
            return 0;
        }
        if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
            printf(PROG_NAME " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
            return 0;
        }
        fprintf(stderr, PROG_NAME ": unknown option '%s'\nTry '" PROG_NAME
                " --help' for more information.\n", argv[1]);
        return 64;
    }
    if (method == NULL) {
        method = "GET";
        qs = args = args_query_string(argc, argv);
        if (qs == NULL) {
            fprintf(stderr, PROG_NAME ": out of memory\n");
            return 70;
        }
    }
    answer(method, qs != NULL ? qs : "", &out, &st);
    if (st != CM_OK) {
        fprintf(stderr, PROG_NAME ": cannot make the page: %s\n",
                cm_status_str(st));
        fputs("Status: 500 Internal Server Error\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n\r\n"
              "The page could not be made.\n", stdout);
        rc = 70;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len ||
               fflush(stdout) != 0) {
        rc = 74; /* the client went away */
    }
    cm_buf_free(&out);
    free(args);
    return rc;
}
