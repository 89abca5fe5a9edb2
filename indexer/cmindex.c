/* cmindex: index Council of Europe documents into a cmsearch index. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cm_doc.h"
#include "cm_index.h"
#include "cm_util.h"

#define PROG_NAME "cmindex"
#define PROG_DESC "index Council of Europe documents for cmsearch"

/* Directory trees deeper than this are not walked (a guard against loops
 * through bind mounts and absurd trees). */
#define MAX_DEPTH 64

typedef struct run {
    cm_index *ix;
    int verbose;
    unsigned files, paras, unchanged, added, changed, removed, rejected;
    unsigned long long bytes;
    int fatal;          /* an exit status, once the index failed */
} run;

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
    stop_requested = sig;
}

/* A language code: 2 or 3 lower-case ASCII letters. */
static int
valid_lang(const char *s)
{
    size_t n = strlen(s), i;
    if (n < 2 || n > 3)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

static void
usage(FILE *f)
{
    fprintf(f,
            PROG_NAME " - " PROG_DESC "\n"
            "\n"
            "Usage: " PROG_NAME " [OPTION]... PATH...\n"
            "\n"
            "Index the .md and .txt files under each PATH (files or "
            "directories,\n"
            "walked recursively, hidden entries skipped).  One search "
            "document is\n"
            "written per paragraph.  Files unchanged since the last run are "
            "skipped,\n"
            "changed files are replaced, and indexed files that are gone "
            "from the\n"
            "given directories are removed from the index.\n"
            "\n"
            "Options:\n"
            "  -d, --db=DIR     the index (default: $CMSEARCH_DB, else\n"
            "                   $XDG_DATA_HOME/cmsearch/index, else\n"
            "                   ~/.local/share/cmsearch/index)\n"
            "  -l, --lang=CODE  the language (ISO 639-1, e.g. en, fr) of "
            "paragraphs\n"
            "                   whose language is not known otherwise\n"
            "      --max-size=MB  reject files larger than MB megabytes "
            "(default 64)\n"
            "  -v, --verbose    print a summary line even when not on a "
            "terminal\n"
            "  -q, --quiet      print only errors\n"
            "  -h, --help       show this help and exit\n"
            "  -V, --version    show the version and exit\n"
            "\n"
            "Exit status:\n"
            "  0   success\n"
            "  1   some files were rejected (each is named on stderr)\n"
            "  64  usage error\n"
            "  66  a PATH does not exist\n"
            "  65  the index was written by an incompatible version\n"
            "  70  internal error\n"
            "  73  the index cannot be created\n"
            "  74  I/O error on the index (the last commit is intact)\n"
            "  75  the index is locked by another cmindex: try again later\n");
}

/* The exit status for a failure of the index itself. */
static int
exit_for(cm_status st)
{
    switch (st) {
    case CM_ELOCKED:
        return EX_TEMPFAIL;
    case CM_ENOTFOUND:
        return EX_NOINPUT;
    case CM_EVERSION:
        return EX_DATAERR;
    case CM_EOPEN:
        return EX_CANTCREAT;
    case CM_EIO:
    case CM_ECORRUPT:
    case CM_EXAPIAN:
    case CM_ENOMEM:
        return EX_IOERR;
    default:
        return EX_SOFTWARE;
    }
}

static void
index_one(run *r, const char *path)
{
    cm_file_outcome outcome;
    unsigned nparas = 0;
    char *reason = NULL;
    struct stat sb;
    cm_status st;

    st = cm_index_file(r->ix, path, &outcome, &nparas, &reason);
    if (st != CM_OK) {
        fprintf(stderr, PROG_NAME ": cannot index '%s': %s: %s\n", path,
                cm_status_str(st), cm_index_errmsg(r->ix));
        r->fatal = exit_for(st);
        free(reason);
        return;
    }
    r->files++;
    switch (outcome) {
    case CM_FILE_UNCHANGED:
        r->unchanged++;
        break;
    case CM_FILE_NEW:
        r->added++;
        break;
    case CM_FILE_CHANGED:
        r->changed++;
        break;
    case CM_FILE_REJECTED:
        r->rejected++;
        fprintf(stderr, PROG_NAME ": rejected '%s': %s\n", path,
                reason ? reason : "unknown reason");
        break;
    }
    if (outcome != CM_FILE_REJECTED) {
        r->paras += nparas;
        if (stat(path, &sb) == 0)
            r->bytes += (unsigned long long)sb.st_size;
    }
    free(reason);
}

static int
skip_entry(const struct dirent *e)
{
    return e->d_name[0] == '.';
}

static void walk(run *r, const char *path, int depth);

static void
walk_dir(run *r, const char *dir, int depth)
{
    struct dirent **list = NULL;
    int n, i;

    n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, PROG_NAME ": rejected '%s': %s\n", dir,
                strerror(errno));
        r->rejected++;
        return;
    }
    for (i = 0; i < n; i++) {
        if (!skip_entry(list[i]) && !r->fatal && !stop_requested) {
            size_t len = strlen(dir) + strlen(list[i]->d_name) + 2;
            char *child = malloc(len);
            if (child == NULL) {
                r->fatal = EX_OSERR;
            } else {
                snprintf(child, len, "%s%s%s", dir,
                         dir[strlen(dir) - 1] == '/' ? "" : "/",
                         list[i]->d_name);
                walk(r, child, depth + 1);
                free(child);
            }
        }
        free(list[i]);
    }
    free(list);
}

static void
walk(run *r, const char *path, int depth)
{
    struct stat sb;

    if (lstat(path, &sb) != 0) {
        fprintf(stderr, PROG_NAME ": rejected '%s': %s\n", path,
                strerror(errno));
        r->rejected++;
        return;
    }
    if (S_ISLNK(sb.st_mode) && depth > 0) {
        /* Inside a tree, follow links to files but not to directories, so
         * that a link loop cannot make the walk endless. */
        if (stat(path, &sb) != 0 || S_ISDIR(sb.st_mode))
            return;
    } else if (S_ISLNK(sb.st_mode) && stat(path, &sb) != 0) {
        fprintf(stderr, PROG_NAME ": rejected '%s': %s\n", path,
                strerror(errno));
        r->rejected++;
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        if (depth >= MAX_DEPTH) {
            fprintf(stderr, PROG_NAME ": rejected '%s': directory tree "
                    "deeper than %d levels\n", path, MAX_DEPTH);
            r->rejected++;
            return;
        }
        walk_dir(r, path, depth);
        return;
    }
    /* Inside directories only the formats we read are taken; a file named
     * on the command line is always tried, so its rejection is reported. */
    if (depth > 0 && cm_doc_format_of(path) == CM_FMT_AUTO)
        return;
    index_one(r, path);
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
summary(const run *r, double secs)
{
    fprintf(stderr,
            PROG_NAME ": indexed %u files (%u paragraphs, %.1f MB) in %.1f s: "
            "%u unchanged, %u new, %u changed, %u removed, %u rejected\n",
            r->files - r->rejected, r->paras, (double)r->bytes / 1e6, secs,
            r->unchanged, r->added, r->changed, r->removed, r->rejected);
}

/* Make the index's parent directory, so the default path works on a new
 * machine. */
static int
prepare_db_dir(const char *db)
{
    char *parent = cm_strndup(db, strlen(db));
    char *slash;
    int rc = 0;

    if (parent == NULL)
        return EX_OSERR;
    slash = strrchr(parent, '/');
    if (slash != NULL && slash != parent) {
        *slash = '\0';
        if (cm_mkdir_p(parent) != CM_OK) {
            fprintf(stderr, PROG_NAME ": cannot create '%s': %s\n", parent,
                    strerror(errno));
            rc = EX_CANTCREAT;
        }
    }
    free(parent);
    return rc;
}

/* Canonical forms of the paths given, for removing files that are gone. */
static char **
canonical_roots(char **paths, int n)
{
    char **roots = calloc((size_t)n + 1, sizeof *roots);
    int i;
    if (roots == NULL)
        return NULL;
    for (i = 0; i < n; i++)
        roots[i] = realpath(paths[i], NULL);
    return roots;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'l'},
        {"max-size", required_argument, NULL, 'm'},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    cm_index_opts ixopts = {1, NULL, 0};
    run r;
    char *db = NULL, *errmsg = NULL, **roots = NULL;
    int c, i, quiet = 0, rc = 0, nroots;
    double t0 = now();
    struct sigaction sa;
    cm_status st;

    memset(&r, 0, sizeof r);
    while ((c = getopt_long(argc, argv, "d:l:vqhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            free(db);
            db = strdup(optarg);
            break;
        case 'l':
            if (!valid_lang(optarg)) {
                fprintf(stderr, PROG_NAME ": --lang wants a language code "
                        "such as en or fr, not '%s'\n", optarg);
                free(db);
                return EX_USAGE;
            }
            ixopts.lang = optarg;
            break;
        case 'm': {
            char *end;
            unsigned long mb = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end || mb == 0 ||
                mb > 4096) {
                fprintf(stderr, PROG_NAME ": --max-size wants megabytes "
                        "from 1 to 4096, not '%s'\n", optarg);
                free(db);
                return EX_USAGE;
            }
            ixopts.max_file_bytes = (size_t)mb * 1024 * 1024;
            break;
        }
        case 'v':
            r.verbose = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            free(db);
            return 0;
        case 'V':
            printf(PROG_NAME " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
            free(db);
            return 0;
        default:
            fprintf(stderr, "Try '" PROG_NAME " --help' for more "
                    "information.\n");
            free(db);
            return EX_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, PROG_NAME ": no PATH to index\n"
                "Try '" PROG_NAME " --help' for more information.\n");
        free(db);
        return EX_USAGE;
    }
    for (i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, PROG_NAME ": cannot open '%s': %s\n", argv[i],
                    strerror(errno));
            free(db);
            return EX_NOINPUT;
        }
    }
    if (db == NULL && cm_default_db_path(&db) != CM_OK) {
        fprintf(stderr, PROG_NAME ": no index given: use --db or set "
                "CMSEARCH_DB\n");
        return EX_USAGE;
    }
    if ((rc = prepare_db_dir(db)) != 0) {
        free(db);
        return rc;
    }

    st = cm_index_open(db, &ixopts, &r.ix, &errmsg);
    if (st != CM_OK) {
        if (st == CM_ELOCKED)
            fprintf(stderr, PROG_NAME ": index %s is locked by another "
                    "cmindex\n", db);
        else
            fprintf(stderr, PROG_NAME ": cannot open index '%s': %s\n", db,
                    errmsg ? errmsg : cm_status_str(st));
        free(errmsg);
        free(db);
        return exit_for(st);
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    nroots = argc - optind;
    for (i = optind; i < argc && !r.fatal && !stop_requested; i++)
        walk(&r, argv[i], 0);

    /* Only a complete walk tells which files are gone. */
    if (!r.fatal && !stop_requested) {
        roots = canonical_roots(argv + optind, nroots);
        if (roots == NULL) {
            r.fatal = EX_OSERR;
        } else {
            st = cm_index_remove_unseen(r.ix, (const char *const *)roots,
                                        (size_t)nroots, &r.removed);
            if (st != CM_OK) {
                fprintf(stderr, PROG_NAME ": cannot remove deleted files "
                        "from the index: %s\n", cm_index_errmsg(r.ix));
                r.fatal = exit_for(st);
            }
            for (i = 0; i < nroots; i++)
                free(roots[i]);
            free(roots);
        }
    }
    st = cm_index_commit(r.ix);
    if (st != CM_OK && !r.fatal) {
        fprintf(stderr, PROG_NAME ": cannot commit to '%s': %s\n", db,
                cm_index_errmsg(r.ix));
        r.fatal = exit_for(st);
    }
    cm_index_close(r.ix);

    if (!quiet && (r.verbose || isatty(STDERR_FILENO)))
        summary(&r, now() - t0);
    if (stop_requested && !r.fatal) {
        fprintf(stderr, PROG_NAME ": stopped by signal %d after committing "
                "what was done\n", (int)stop_requested);
        rc = 128 + (int)stop_requested;
    } else if (r.fatal) {
        rc = r.fatal;
    } else {
        rc = r.rejected ? 1 : 0;
    }
    free(db);
    return rc;
}
