/* cmsearch: search a cmsearch index for paragraphs. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cm_buf.h"
#include "cm_config.h"
#include "cm_db.h"
#include "cm_json.h"
#include "cm_search.h"
#include "cm_util.h"

#define PROG_NAME "cmsearch"
#define PROG_DESC "search Council of Europe documents by paragraph"

#define WRAP_COLUMNS 76

typedef enum { FMT_TEXT, FMT_JSON, FMT_TSV } out_format;

/* Highlight on a terminal: bold red, as grep does. */
#define HL_ON "\033[1;31m"
#define HL_OFF "\033[0m"

static void
usage(FILE *f)
{
    fprintf(f,
            PROG_NAME " - " PROG_DESC "\n"
            "\n"
            "Usage: " PROG_NAME " [OPTION]... QUERY...\n"
            "\n"
            "Print the paragraphs that match QUERY, best first, each with the "
            "part that\nmatches and the matched words highlighted.  Several "
            "QUERY arguments are\njoined with spaces.\n"
            "\n"
            "Query language (see cmsearch(1)):\n"
            "  word word           both words (a word also finds its other "
            "forms:\n"
            "                      migrants, migration; accents and case "
            "do not matter)\n"
            "  \"a phrase\"          the words in this order, exactly\n"
            "  a OR b, a AND b     either, both (operators in capitals)\n"
            "  -word, NOT word     without the word;  +word  required "
            "(with --any)\n"
            "  ( ... )             grouping\n"
            "  a NEAR b, NEAR/n    within 10 (n) words;  \"a b\"~n  likewise\n"
            "  word*               words starting with word;  =word  "
            "this form only\n"
            "  *word, *word*       words ending with it (Menschenrechte "
            "for *rechte),\n"
            "                      or containing it\n"
            "  field:value         lang:fr year:2008 date:2008-01..2008-06 "
            "doc:11549\n"
            "                      type:recommendation section:appendix\n"
            "                      title:migration cites:\"Recommendation "
            "1806 (2007)\"\n"
            "\n"
            "Options:\n"
            "  -d, --db=DIR        the index (default: $CMSEARCH_DB, else the\n"
            "                      configuration's db, else\n"
            "                      $XDG_DATA_HOME/cmsearch/index, else\n"
            "                      ~/.local/share/cmsearch/index)\n"
            "      --config=FILE   configuration file (default: "
            "$CMSEARCH_CONFIG,\n"
            "                      else " CM_CONFIG_DEFAULT_PATH " if present)\n"
            "  -n, --limit=N       show at most N hits (default 10, at most "
            "1000)\n"
            "      --offset=N      skip the first N hits\n"
            "  -p, --page=N        show the N-th page of --limit hits\n"
            "      --any           any of the words is enough (default: all)\n"
            "      --lang=CODE     only paragraphs in this language (en, fr, "
            "...),\n"
            "                      whatever the query says\n"
            "      --by-doc        one paragraph per document, the best, with "
            "the\n"
            "                      number of its other matching paragraphs\n"
            "      --sort=ORDER    relevance (default), date (oldest first) "
            "or -date\n"
            "  -c, --count         print only the number of matches (exact)\n"
            "      --like=FILE:N   paragraphs like paragraph N of FILE (as shown:\n"
            "                      \"(paragraph N)\"): its most telling "
            "words, any\n"
            "                      of them; no QUERY\n"
            "      --lang-counts   also count the matches in each language "
            "(of the\n"
            "                      query without --lang): a line after the "
            "hits,\n"
            "                      CODE<TAB>COUNT lines after --count's, "
            "JSON\n"
            "                      \"languages\"\n"
            "      --explain       show the query as the engine runs it\n"
            "      --plain         read QUERY as plain words: no operators, "
            "quotes\n"
            "                      or fields\n"
            "  -f, --format=FMT    text (default), json or tsv\n"
            "      --color=WHEN    highlight with colour: auto (default: on a "
            "terminal,\n"
            "                      unless NO_COLOR is set), always, never\n"
            "      --no-suggest    don't look for a spelling suggestion\n"
            "  -h, --help          show this help and exit\n"
            "  -V, --version       show the version and exit\n"
            "\n"
            "Examples:\n"
            "  " PROG_NAME " co-development\n"
            "  " PROG_NAME " '\"unaccompanied migrant minors\"' --limit 3\n"
            "  " PROG_NAME " 'IOM lang:en year:2008'\n"
            "  " PROG_NAME " --by-doc --sort=-date 'migra* NEAR return'\n"
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
            "  75  the index kept changing during the search: try again\n"
            "  78  the configuration file is wrong (file and line named)\n");
}

static int
parse_uint(const char *s, unsigned max, unsigned *out)
{
    unsigned long v;
    if (!cm_parse_ulong(s, 0, max, &v))
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

/* Print text[from..to) with the highlights of h (when colour is on). */
static void
print_span(const char *text, size_t from, size_t to, const cm_hit *h,
           int color)
{
    size_t i;
    int on = 0;
    for (i = from; i < to; i++) {
        int want = color && h != NULL && cm_hit_highlighted(h, i);
        if (want != on) {
            fputs(want ? HL_ON : HL_OFF, stdout);
            on = want;
        }
        putchar(text[i] == '\n' || text[i] == '\t' ? ' ' : text[i]);
    }
    if (on)
        fputs(HL_OFF, stdout);
}

/* Print text[0..len) wrapped at WRAP_COLUMNS, each line indented. */
static void
print_wrapped(const char *text, size_t len, const cm_hit *h, int color,
              const char *indent)
{
    size_t p = 0;
    while (p < len) {
        size_t line = p, brk = 0, q = p, cols = 0;
        int have_brk = 0;
        while (q < len && cols < WRAP_COLUMNS) {
            if (text[q] == ' ' || text[q] == '\n') {
                brk = q;
                have_brk = 1;
                if (text[q] == '\n')
                    break;
            }
            if (((unsigned char)text[q] & 0xC0) != 0x80)
                cols++;
            q++;
        }
        /* Don't split a UTF-8 sequence at the margin. */
        while (q < len && ((unsigned char)text[q] & 0xC0) == 0x80)
            q++;
        if ((q >= len && !(have_brk && text[brk] == '\n')) || !have_brk)
            brk = q;
        fputs(indent, stdout);
        print_span(text, line, brk, h, color);
        putchar('\n');
        p = brk;
        while (p < len && (text[p] == ' ' || text[p] == '\n'))
            p++;
    }
}

static void
print_header(const cm_hit *h, const char *cwd)
{
    printf("%u. ", h->rank);
    if (h->doc[0])
        printf("%s", h->doc);
    else
        printf("%s", display_path(h->path, cwd));
    /* "¶9" as a paragraph is cited, for the label "9." (JSON and TSV keep
     * the label as written). */
    if (h->label[0]) {
        size_t n = strlen(h->label);
        if (n > 1 && h->label[n - 1] == '.')
            n--;
        printf(" ¶%.*s", (int)n, h->label);
    }
    else
        printf(" ¶#%u", h->para);
    if (h->date[0])
        printf(" · %s", h->date);
    if (h->lang[0])
        printf(" · %s", h->lang);
    if (h->title[0])
        printf(" · %s", h->title);
    printf("  [%.2f]\n", h->score);
}

static void
print_text(const cm_results *res, const cm_search_opts *o, const char *cwd,
           int color)
{
    size_t i;
    unsigned first = o->offset + 1;

    if (res->explain)
        printf("Query: %s\n\n", res->explain);
    if (res->like_words)
        printf("Paragraphs with its words: %s\n\n", res->like_words);
    if (res->suggestion)
        printf("Did you mean: %s  (%u matches)\n\n", res->suggestion,
               res->suggestion_total);
    for (i = 0; i < res->n_hits; i++) {
        const cm_hit *h = &res->hits[i];
        if (i > 0)
            printf("\n");
        print_header(h, cwd);
        printf("   %s (paragraph %u", display_path(h->path, cwd), h->para);
        if (h->page > 0)
            printf(", page %u", h->page);
        printf(")");
        if (o->by_doc && h->collapsed > 0)
            printf("  +%u more paragraph%s", h->collapsed,
                   h->collapsed == 1 ? "" : "s");
        printf("\n");
        if (h->snippet[0])
            print_wrapped(h->snippet, h->snippet_len, h, color, "   ");
        else
            print_wrapped(h->text, strlen(h->text), NULL, 0, "   ");
    }
    if (res->n_hits > 0)
        printf("\n");
    if (res->n_hits == 0)
        printf("No %s matched.\n", o->by_doc ? "document" : "paragraph");
    else if (res->total_exact)
        printf("%u-%u of %u %s%s\n", first,
               first + (unsigned)res->n_hits - 1, res->total,
               o->by_doc ? "document" : "paragraph",
               res->total == 1 ? "" : "s");
    else
        printf("%u-%u of about %u %s (%u to %u)\n", first,
               first + (unsigned)res->n_hits - 1, res->total,
               o->by_doc ? "documents" : "paragraphs", res->total_lower,
               res->total_upper);
    if (res->langs_counted && res->n_langs > 0) {
        printf("Paragraphs in each language%s:",
               res->langs_exact ? "" : " (at least)");
        for (i = 0; i < res->n_langs; i++)
            printf("%s %s %u", i > 0 ? "," : "", res->langs[i].code,
                   res->langs[i].count);
        printf("\n");
    }
}

/* A TSV field: tabs and line breaks become spaces. */
static void
tsv_field(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        putchar(s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

/* rank, score, doc, label, para, date, lang, path, snippet (or text). */
static void
print_tsv(const cm_results *res, const char *cwd)
{
    size_t i;
    for (i = 0; i < res->n_hits; i++) {
        const cm_hit *h = &res->hits[i];
        const char *path = display_path(h->path, cwd);
        printf("%u\t%.4f\t", h->rank, h->score);
        tsv_field(h->doc, strlen(h->doc));
        putchar('\t');
        tsv_field(h->label, strlen(h->label));
        printf("\t%u\t%s\t%s\t", h->para, h->date, h->lang);
        tsv_field(path, strlen(path));
        putchar('\t');
        if (h->snippet[0])
            tsv_field(h->snippet, h->snippet_len);
        else
            tsv_field(h->text, strlen(h->text));
        putchar('\n');
    }
}

static int
print_json(const char *query, const cm_results *res, const cm_search_opts *op,
           const cm_config *cfg)
{
    json_t *o = cm_json_results(query, res, op, cfg, 0);
    int rc = 0;

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

/* Whether to highlight with escapes: --color, else a terminal without
 * NO_COLOR (https://no-color.org: set and not empty) nor TERM=dumb. */
static int
want_color(int opt)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    if (opt >= 0)
        return opt;
    if (nc != NULL && nc[0] != '\0')
        return 0;
    if (term != NULL && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(STDOUT_FILENO);
}

enum {
    OPT_OFFSET = 256, OPT_ANY, OPT_BY_DOC, OPT_SORT, OPT_EXPLAIN, OPT_PLAIN,
    OPT_COLOR, OPT_NO_SUGGEST, OPT_CONFIG, OPT_LANG, OPT_LANG_COUNTS,
    OPT_LIKE
};

typedef struct cli {
    cm_search_opts opts;
    out_format fmt;
    int color; /* -1: auto */
    unsigned page;
    char *db_path;
    const char *config; /* --config */
    cm_config *cfg;     /* the configuration read (its link rules) */
    const char **words; /* query words that begin with a dash, past it */
    int n_words;
    char *like_file;    /* --like: the file (canonical when it exists) */
    unsigned like_para; /* and the paragraph */
} cli;

/* The query: the arguments joined with spaces, those of c->words with
 * their dash (keep_words()). */
static char *
join_args(const cli *c, char **argv, int n)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    int i, k;
    for (i = 0; i < n; i++) {
        if (i)
            cm_buf_addc(&st, &b, ' ');
        for (k = 0; k < c->n_words; k++)
            if (c->words[k] == argv[i]) {
                cm_buf_addc(&st, &b, '-');
                break;
            }
        cm_buf_adds(&st, &b, argv[i]);
    }
    return cm_buf_steal(&st, &b);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, PROG_NAME ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    return EX_USAGE;
}

/* The short options, for getopt and keep_words(). */
#define SHORT_OPTS "d:n:p:f:chV"

/* Whether arg names an output format (into *fmt). */
static int
parse_format(const char *arg, out_format *fmt)
{
    if (strcmp(arg, "text") == 0)
        *fmt = FMT_TEXT;
    else if (strcmp(arg, "json") == 0)
        *fmt = FMT_JSON;
    else if (strcmp(arg, "tsv") == 0)
        *fmt = FMT_TSV;
    else
        return 0;
    return 1;
}

/* One option; 0, an exit status, or -1 to exit 0 (--help, --version). */
/* --like=FILE:N: the file, as the index names it (its real path), and
 * the paragraph. */
static int
like_arg(cli *c, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    char *end, *path;
    unsigned long n;

    if (colon == NULL || colon == arg || colon[1] < '0' || colon[1] > '9')
        return usage_error("--like wants FILE:N, a file and the number of "
                           "one of its paragraphs, not '%s'", arg);
    errno = 0;
    n = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || errno != 0 || n == 0 || n > UINT_MAX)
        return usage_error("--like wants FILE:N, a file and the number of "
                           "one of its paragraphs, not '%s'", arg);
    path = strndup(arg, (size_t)(colon - arg));
    if (path == NULL)
        return EX_OSERR;
    free(c->like_file);
    c->like_file = realpath(path, NULL);
    if (c->like_file == NULL) /* gone since indexed: the name as given */
        c->like_file = path;
    else
        free(path);
    c->like_para = (unsigned)n;
    return 0;
}

static int
option(cli *c, int opt, const char *arg)
{
    switch (opt) {
    case 'd':
        free(c->db_path);
        c->db_path = strdup(arg);
        return c->db_path ? 0 : EX_OSERR;
    case 'n':
        return parse_uint(arg, CM_SEARCH_MAX_LIMIT, &c->opts.limit)
                   ? 0
                   : usage_error("--limit wants a number from 0 to 1000, "
                                 "not '%s'", arg);
    case OPT_OFFSET:
        return parse_uint(arg, 1000000, &c->opts.offset)
                   ? 0
                   : usage_error("--offset wants a number from 0 to "
                                 "1000000, not '%s'", arg);
    case 'p':
        return parse_uint(arg, 100000, &c->page) && c->page > 0
                   ? 0
                   : usage_error("--page wants a number from 1, not '%s'",
                                 arg);
    case 'f':
        if (!parse_format(arg, &c->fmt))
            return usage_error("unknown format '%s' (text, json or tsv)", arg);
        return 0;
    case OPT_SORT:
        if (strcmp(arg, "relevance") == 0)
            c->opts.sort = CM_SORT_RELEVANCE;
        else if (strcmp(arg, "date") == 0)
            c->opts.sort = CM_SORT_DATE;
        else if (strcmp(arg, "-date") == 0)
            c->opts.sort = CM_SORT_DATE_DESC;
        else
            return usage_error("unknown order '%s' (relevance, date or "
                               "-date)", arg);
        return 0;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0)
            c->color = -1;
        else if (strcmp(arg, "always") == 0)
            c->color = 1;
        else if (strcmp(arg, "never") == 0)
            c->color = 0;
        else
            return usage_error("--color wants auto, always or never, not "
                               "'%s'", arg);
        return 0;
    case OPT_ANY:
        c->opts.any = 1;
        return 0;
    case OPT_BY_DOC:
        c->opts.by_doc = 1;
        return 0;
    case 'c':
        c->opts.count_only = 1;
        return 0;
    case OPT_EXPLAIN:
        c->opts.explain = 1;
        return 0;
    case OPT_PLAIN:
        c->opts.plain = 1;
        return 0;
    case OPT_NO_SUGGEST:
        c->opts.suggest = 0;
        return 0;
    case OPT_CONFIG:
        c->config = arg;
        return 0;
    case OPT_LANG:
        if (!cm_lang_code_ok(arg, strlen(arg)))
            return usage_error("--lang wants a language code such as en or "
                               "fr, not '%s'", arg);
        c->opts.lang = arg;
        return 0;
    case OPT_LANG_COUNTS:
        c->opts.lang_counts = 1;
        return 0;
    case OPT_LIKE:
        return like_arg(c, arg);
    case 'h':
        usage(stdout);
        return -1;
    case 'V':
        printf(PROG_NAME " (" PACKAGE_NAME ") " PACKAGE_VERSION
               ", Xapian %s\n", cm_db_xapian_version());
        return -1;
    default:
        return EX_USAGE;
    }
}

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"limit", required_argument, NULL, 'n'},
    {"offset", required_argument, NULL, OPT_OFFSET},
    {"page", required_argument, NULL, 'p'},
    {"format", required_argument, NULL, 'f'},
    {"any", no_argument, NULL, OPT_ANY},
    {"by-doc", no_argument, NULL, OPT_BY_DOC},
    {"sort", required_argument, NULL, OPT_SORT},
    {"count", no_argument, NULL, 'c'},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"plain", no_argument, NULL, OPT_PLAIN},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"no-suggest", no_argument, NULL, OPT_NO_SUGGEST},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"lang", required_argument, NULL, OPT_LANG},
    {"lang-counts", no_argument, NULL, OPT_LANG_COUNTS},
    {"like", required_argument, NULL, OPT_LIKE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* -1 when ch is not a short option (SHORT_OPTS), else whether it takes
 * a value. */
static int
short_opt(char ch)
{
    const char *o = ch != ':' && ch != '\0' ? strchr(SHORT_OPTS, ch) : NULL;
    return o == NULL ? -1 : o[1] == ':';
}

/* Whether arg (after its dash) is a cluster of short options as getopt
 * reads it: options without a value, then at most one with its value
 * attached (digits for -n and -p, a format for -f) or in the next
 * argument (*takes_next set). */
static int
short_cluster(const char *arg, int *takes_next)
{
    const char *s;
    out_format fmt;
    int v;

    *takes_next = 0;
    for (s = arg + 1; *s != '\0'; s++) {
        if ((v = short_opt(*s)) <= 0) {
            if (v < 0)
                return 0;
            continue;
        }
        if (s[1] == '\0') {
            *takes_next = 1;
            return 1;
        }
        if (*s == 'd')
            return 1;
        if (*s == 'f')
            return parse_format(s + 1, &fmt);
        for (s++; *s != '\0'; s++)
            if (*s < '0' || *s > '9')
                return 0;
        return 1;
    }
    return 1;
}

/* Whether arg, "--name" without "=value", names (or abbreviates) a long
 * option that takes a value: the next argument is that value. */
static int
long_takes_next(const char *arg)
{
    size_t n = strlen(arg + 2), i;

    if (strchr(arg, '=') != NULL || n == 0)
        return 0;
    for (i = 0; longopts[i].name != NULL; i++)
        if (longopts[i].has_arg == required_argument &&
            strncmp(longopts[i].name, arg + 2, n) == 0)
            return 1;
    return 0;
}

/* The query's words to exclude (-protocol) among the arguments, which
 * getopt would read as options (-p rotocol): each argument of a dash and
 * two characters or more that is neither a long option, nor a cluster of
 * short options, nor an option's value, nor after "--", is made to start
 * past its dash (getopt then leaves it to the query, in its place) and
 * noted in c->words, so that join_args() gives it its dash back. */
static int
keep_words(cli *c, int argc, char **argv)
{
    int i, next;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0')
            continue;
        if (a[1] == '-') {
            i += long_takes_next(a);
            continue;
        }
        if (a[2] == '\0') { /* -x: an option, even one getopt refuses */
            i += short_opt(a[1]) == 1;
            continue;
        }
        if (short_cluster(a, &next)) {
            i += next;
            continue;
        }
        if (c->n_words == 0 &&
            (c->words = calloc((size_t)argc, sizeof *c->words)) == NULL)
            return EX_OSERR;
        argv[i]++;
        c->words[c->n_words++] = argv[i];
    }
    return 0;
}

static int
parse_args(cli *c, int argc, char **argv)
{
    int opt, rc = keep_words(c, argc, argv);

    while (rc == 0 &&
           (opt = getopt_long(argc, argv, SHORT_OPTS, longopts, NULL)) !=
               -1)
        rc = option(c, opt, optarg);
    if (rc == 0 && optind >= argc && c->like_file == NULL) {
        fprintf(stderr, PROG_NAME ": no QUERY given\n");
        rc = EX_USAGE;
    }
    if (rc == 0 && optind < argc && c->like_file != NULL)
        rc = usage_error("--like takes no QUERY ('%s')", argv[optind]);
    if (rc == 0 && c->page > 0) {
        unsigned long off = (unsigned long)(c->page - 1) * c->opts.limit;
        if (off > 1000000)
            rc = usage_error("--page%s goes beyond the millionth hit", "");
        c->opts.offset = (unsigned)off;
    }
    if (rc > 0)
        fprintf(stderr, "Try '" PROG_NAME " --help' for more "
                "information.\n");
    return rc;
}

static int
report(const char *query, const cm_results *res, const cli *c)
{
    char *cwd = getcwd(NULL, 0);
    int rc = 0;

    if (c->opts.count_only) {
        size_t i;
        printf("%u\n", res->total);
        for (i = 0; c->opts.lang_counts && i < res->n_langs; i++)
            printf("%s\t%u\n", res->langs[i].code, res->langs[i].count);
    }
    else if (c->fmt == FMT_JSON)
        rc = print_json(query, res, &c->opts, c->cfg) != 0 ? EX_OSERR : 0;
    else if (c->fmt == FMT_TSV)
        print_tsv(res, cwd);
    else
        print_text(res, &c->opts, cwd, want_color(c->color));
    free(cwd);
    if (rc == 0)
        rc = res->total > 0 ? 0 : 1;
    if (fflush(stdout) != 0 && rc <= 1) {
        fprintf(stderr, PROG_NAME ": write error: %s\n", strerror(errno));
        rc = EX_IOERR;
    }
    return rc;
}

/* The configuration (--config, else $CMSEARCH_CONFIG, else
 * /etc/cmsearch.conf when it exists), kept for its link rules, and the
 * index: --db, else $CMSEARCH_DB, else the configuration's db, else the
 * XDG default.  0 or an exit status. */
static int
resolve_db(cli *c)
{
    const char *env = getenv("CMSEARCH_DB");
    int env_set = env != NULL && *env != '\0';
    char *errmsg = NULL;

    if (cm_config_load(c->config, &c->cfg, &errmsg) != CM_OK) {
        fprintf(stderr, PROG_NAME ": %s\n", errmsg ? errmsg : "no memory");
        free(errmsg);
        return EX_CONFIG;
    }
    if (c->db_path == NULL && !env_set && c->cfg->db != NULL &&
        (c->db_path = strdup(c->cfg->db)) == NULL)
        return EX_OSERR;
    if (c->db_path == NULL && cm_default_db_path(&c->db_path) != CM_OK) {
        fprintf(stderr, PROG_NAME ": no index given: use --db or set "
                "CMSEARCH_DB\n");
        return EX_USAGE;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    cli c;
    char *query = NULL, *errmsg = NULL;
    cm_db *db = NULL;
    cm_results *res = NULL;
    cm_query_error qerr;
    cm_status st;
    int rc;

    memset(&c, 0, sizeof c);
    c.opts.limit = 10;
    c.opts.snippets = 1;
    c.opts.suggest = 1;
    c.color = -1;
    rc = parse_args(&c, argc, argv);
    if (rc != 0) {
        rc = rc < 0 ? 0 : rc;
        goto out;
    }
    if ((rc = resolve_db(&c)) != 0)
        goto out;
    query = join_args(&c, argv + optind, argc - optind);
    if (query == NULL) {
        rc = EX_OSERR;
        goto out;
    }
    st = cm_db_open(c.db_path, &db, &errmsg);
    if (st != CM_OK) {
        if (st == CM_ENOTFOUND)
            fprintf(stderr, PROG_NAME ": no index at '%s': run cmindex "
                    "first, or give --db\n", c.db_path);
        else
            fprintf(stderr, PROG_NAME ": cannot open index '%s': %s\n",
                    c.db_path, errmsg ? errmsg : cm_status_str(st));
        rc = exit_for(st);
        goto out;
    }
    if (c.like_file != NULL) {
        st = cm_search_paragraph(db, c.like_file, c.like_para, &c.opts.like);
        if (st != CM_OK) {
            if (st == CM_ENOTFOUND)
                fprintf(stderr, PROG_NAME ": the index has no paragraph %u "
                        "of '%s'\n", c.like_para, c.like_file);
            else
                fprintf(stderr, PROG_NAME ": search failed: %s\n",
                        cm_status_str(st));
            rc = st == CM_ENOTFOUND ? 1 : exit_for(st);
            goto out;
        }
    }
    st = cm_search_run(db, query, strlen(query), &c.opts, &res, &qerr,
                       &errmsg);
    if (st == CM_EQUERY) {
        fprintf(stderr, PROG_NAME ": query error at column %u: %s\n",
                qerr.column, qerr.message);
        rc = EX_DATAERR;
    } else if (st != CM_OK) {
        fprintf(stderr, PROG_NAME ": search failed: %s\n",
                errmsg && *errmsg ? errmsg : cm_status_str(st));
        rc = exit_for(st);
    } else {
        rc = report(query, res, &c);
    }
out:
    cm_results_free(res);
    cm_db_close(db);
    free(errmsg);
    free(query);
    cm_config_free(c.cfg);
    free(c.db_path);
    free(c.words);
    free(c.like_file);
    return rc;
}
