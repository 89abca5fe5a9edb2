/* cmindex: index Council of Europe documents into a cmsearch index. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cm_db.h"
#include "cm_doc.h"
#include "cm_schema.h"
#include "cm_util.h"
#include "cmindex_int.h"

#define PROG_DESC "index Council of Europe documents for cmsearch"
/* The file, inside the index, that names the process holding the lock. */
#define PID_FILE "cmindex.pid"

typedef struct options {
    char *db;
    const char *config;
    cm_index_opts ix;
    unsigned jobs;
    int verbose, quiet, full, dry_run;
    double wait;        /* seconds to wait for the lock; < 0: forever */
    long changesets;    /* to keep for xapian-replicate; < 0: not given */
    const char *log;
} options;

static volatile int stop_requested;

static void
on_signal(int sig)
{
    stop_requested = sig;
}

double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */

static void
clear_progress(report *rep)
{
    if (rep->progress)
        fputs("\r\033[K", stderr);
}

static void
vlog_line(report *rep, const char *fmt, va_list ap)
{
    char when[32];
    time_t t = time(NULL);
    struct tm tm;

    if (rep->log == NULL)
        return;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", localtime_r(&t, &tm));
    fprintf(rep->log, "%s ", when);
    vfprintf(rep->log, fmt, ap);
    fputc('\n', rep->log);
    fflush(rep->log);
}

void
report_line(report *rep, const char *fmt, ...)
{
    va_list ap;
    clear_progress(rep);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    va_start(ap, fmt);
    vlog_line(rep, fmt, ap);
    va_end(ap);
}

void
report_rejected(report *rep, const char *path, const char *reason)
{
    report_line(rep, PROG_NAME ": rejected '%s': %s", path, reason);
}

void
report_progress(report *rep, size_t done, size_t total,
                unsigned long long bytes, unsigned long long total_bytes)
{
    static double last;
    double t = now_seconds(), secs = t - rep->t0, rate, eta;
    int bar = 24, filled;

    if (!rep->progress || (t - last < 0.1 && done < total))
        return;
    last = t;
    rate = secs > 0 ? (double)bytes / 1e6 / secs : 0;
    eta = rate > 0 ? (double)(total_bytes - bytes) / 1e6 / rate : 0;
    filled = total ? (int)((double)bar * (double)done / (double)total) : bar;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu files  %.1f/%.1f MB  %.1f MB/s  "
            "ETA %d:%02d\033[K",
            filled, "========================", bar - filled, "", done,
            total, (double)bytes / 1e6, (double)total_bytes / 1e6, rate,
            (int)eta / 60, (int)eta % 60);
}

static void
summary(report *rep, const stats *st, int to_stderr)
{
    char line[512];
    snprintf(line, sizeof line,
             "indexed %u files (%u paragraphs, %.1f MB) in %.1f s: %u "
             "unchanged, %u new, %u changed, %u removed, %u rejected",
             st->files, st->paras, (double)st->bytes / 1e6,
             now_seconds() - rep->t0, st->unchanged, st->added, st->changed,
             st->removed, st->rejected);
    clear_progress(rep);
    if (to_stderr)
        fprintf(stderr, PROG_NAME ": %s\n", line);
    if (rep->log) {
        FILE *f = rep->log;
        char when[32];
        time_t t = time(NULL);
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S",
                 localtime_r(&t, &tm));
        fprintf(f, "%s %s\n", when, line);
        fflush(f);
    }
}

/* ------------------------------------------------------------------ */
/* Usage                                                               */

static void
usage(FILE *f)
{
    fprintf(f,
        PROG_NAME " - " PROG_DESC "\n"
        "\n"
        "Usage: " PROG_NAME " [OPTION]... [PATH]...\n"
        "\n"
        "Index the .md, .txt, .html, .pdf, .docx, .doc, .odt and .rtf files\n"
        "under each PATH (files or folders, walked recursively, hidden\n"
        "entries skipped; without PATH, the configuration's paths).  One\n"
        "search document is written per paragraph.  Unchanged files are\n"
        "skipped, changed files replaced in one transaction each, and\n"
        "indexed files gone from the given folders removed.  Safe to kill:\n"
        "the next run finishes the job.\n"
        "\n"
        "Options:\n"
        "  -d, --db=DIR        the index (default: $CMSEARCH_DB, else the\n"
        "                      configuration's db, else\n"
        "                      $XDG_DATA_HOME/cmsearch/index, else\n"
        "                      ~/.local/share/cmsearch/index)\n"
        "  -c, --config=FILE   configuration file (default: "
        "$CMSEARCH_CONFIG,\n"
        "                      else " CM_CONFIG_DEFAULT_PATH " if present)\n"
        "      --full          rebuild the whole index beside the live one "
        "and\n"
        "                      swap it in atomically\n"
        "      --dry-run       say what would change, change nothing\n"
        "  -j, --jobs=N        analysis threads (default: the number of "
        "cores)\n"
        "  -w, --wait[=SECS]   wait for another cmindex to finish (forever "
        "or\n"
        "                      SECS seconds) instead of exiting with 75\n"
        "  -l, --lang=CODE     the language (ISO 639-1, e.g. en, fr) of\n"
        "                      paragraphs whose language is not known\n"
        "      --max-size=MB   reject files larger than MB megabytes "
        "(default 64)\n"
        "      --log=FILE      append the summary and every rejection to "
        "FILE\n"
        "      --shards=N      for a new index (or --full): keep it as N "
        "shards\n"
        "                      (default: write one per job, at most 4, in "
        "parallel,\n"
        "                      then merge them into one database)\n"
        "      --batch-mb=MB   commit after MB megabytes of text (default "
        "64):\n"
        "                      less is less memory and less work lost to a "
        "kill\n"
        "      --changesets=N  keep the last N changesets in the index, for\n"
        "                      xapian-replicate to send replicas only what\n"
        "                      changed (default: $XAPIAN_MAX_CHANGESETS, "
        "else\n"
        "                      the configuration's changesets, else 0)\n"
        "  -v, --verbose       print the summary line even when not on a "
        "terminal\n"
        "  -q, --quiet         print only errors\n"
        "  -h, --help          show this help and exit\n"
        "  -V, --version       show the version and exit\n"
        "\n"
        "On a terminal a progress bar is drawn and a summary line ends the\n"
        "run; from cron a successful run prints nothing.\n"
        "\n"
        "Exit status:\n"
        "  0   success\n"
        "  1   some files were rejected (each is named on stderr)\n"
        "  64  usage error\n"
        "  65  the index is not one cmindex can write: written by an\n"
        "      incompatible version (use --full), or a replica (index the\n"
        "      master); the message says which\n"
        "  66  a PATH does not exist\n"
        "  70  internal error\n"
        "  71  out of memory or threads\n"
        "  73  the index cannot be created\n"
        "  74  I/O error on the index (disk full?): the last commit is "
        "intact\n"
        "  75  the index is locked by another cmindex: try again later\n"
        "  78  the configuration file is wrong (file and line named)\n"
        "  128+N  stopped by signal N after committing what was done\n");
}

static void
usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, PROG_NAME ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '" PROG_NAME " --help' for more information.\n");
}

/* Parse the options into o; returns -1 to go on, else an exit status. */
static int
parse_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"full", no_argument, NULL, 'F'},
        {"dry-run", no_argument, NULL, 'n'},
        {"jobs", required_argument, NULL, 'j'},
        {"wait", optional_argument, NULL, 'w'},
        {"lang", required_argument, NULL, 'l'},
        {"max-size", required_argument, NULL, 'm'},
        {"log", required_argument, NULL, 'L'},
        {"batch-mb", required_argument, NULL, 'B'},
        {"shards", required_argument, NULL, 'S'},
        {"changesets", required_argument, NULL, 'C'},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    unsigned long v;
    int c;

    while ((c = getopt_long(argc, argv, "d:c:j:w::l:vqhV", longopts,
                            NULL)) != -1) {
        switch (c) {
        case 'd':
            free(o->db);
            o->db = strdup(optarg);
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'F':
            o->full = 1;
            break;
        case 'n':
            o->dry_run = 1;
            break;
        case 'j':
            if (!cm_parse_ulong(optarg, 1, 256, &v)) {
                usage_error("--jobs wants a number from 1 to 256, not '%s'",
                            optarg);
                return EX_USAGE;
            }
            o->jobs = (unsigned)v;
            break;
        case 'w':
            if (optarg == NULL) {
                o->wait = -1;
            } else if (cm_parse_ulong(optarg, 0, 86400 * 7, &v)) {
                o->wait = (double)v;
            } else {
                usage_error("--wait wants seconds, not '%s'", optarg);
                return EX_USAGE;
            }
            break;
        case 'l':
            if (!cm_lang_code_ok(optarg, strlen(optarg))) {
                usage_error("--lang wants a language code such as en or fr, "
                            "not '%s'", optarg);
                return EX_USAGE;
            }
            o->ix.lang = optarg;
            break;
        case 'm':
            if (!cm_parse_ulong(optarg, 1, 4096, &v)) {
                usage_error("--max-size wants megabytes from 1 to 4096, "
                            "not '%s'", optarg);
                return EX_USAGE;
            }
            o->ix.max_file_bytes = (size_t)v * 1024 * 1024;
            break;
        case 'L':
            o->log = optarg;
            break;
        case 'S':
            if (!cm_parse_ulong(optarg, 1, 64, &v)) {
                usage_error("--shards wants a number from 1 to 64, not '%s'",
                            optarg);
                return EX_USAGE;
            }
            o->ix.shards = (unsigned)v;
            o->ix.keep_shards = 1;
            break;
        case 'B':
            if (!cm_parse_ulong(optarg, 1, 4096, &v)) {
                usage_error("--batch-mb wants megabytes from 1 to 4096, "
                            "not '%s'", optarg);
                return EX_USAGE;
            }
            o->ix.commit_bytes = (size_t)v * 1024 * 1024;
            break;
        case 'C':
            if (!cm_parse_ulong(optarg, 0, CM_MAX_CHANGESETS, &v)) {
                usage_error("--changesets wants a number from 0 to %u, not "
                            "'%s'", CM_MAX_CHANGESETS, optarg);
                return EX_USAGE;
            }
            o->changesets = (long)v;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf(PROG_NAME " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
            return 0;
        default:
            fprintf(stderr, "Try '" PROG_NAME " --help' for more "
                    "information.\n");
            return EX_USAGE;
        }
    }
    return -1;
}

/* Options the command line left unset come from the environment and the
 * configuration file. */
static int
apply_config(options *o, const cm_config *cfg)
{
    const char *env = getenv("CMSEARCH_DB");
    if (o->db == NULL && (env == NULL || *env == '\0') && cfg->db != NULL)
        o->db = strdup(cfg->db);
    if (o->db == NULL && cm_default_db_path(&o->db) != CM_OK) {
        fprintf(stderr, PROG_NAME ": no index given: use --db or set "
                "CMSEARCH_DB\n");
        return EX_USAGE;
    }
    if (o->ix.lang == NULL && cfg->lang != NULL)
        o->ix.lang = cfg->lang;
    if (o->ix.max_file_bytes == 0 && cfg->max_size_mb)
        o->ix.max_file_bytes = cfg->max_size_mb * 1024 * 1024;
    if (o->changesets < 0) {
        const char *n = getenv("XAPIAN_MAX_CHANGESETS");
        unsigned long v;
        if (n != NULL && *n != '\0') {
            if (!cm_parse_ulong(n, 0, CM_MAX_CHANGESETS, &v)) {
                usage_error("XAPIAN_MAX_CHANGESETS wants a number from 0 to "
                            "%u, not '%s'", CM_MAX_CHANGESETS, n);
                return EX_USAGE;
            }
            o->changesets = (long)v;
        } else {
            o->changesets = cfg->changesets;
        }
    }
    if (o->jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->jobs = n > 0 && n < 64 ? (unsigned)n : 2;
    }
    /* Xapian writes one database on one thread: a new index gets a shard
     * per job, so that writing is parallel too, and the shards are merged
     * into one database at the end (merge_shards()) unless --shards asked
     * for them. */
    if (o->ix.shards == 0)
        o->ix.shards = o->jobs < 4 ? o->jobs : 4;
    return -1;
}

/* ------------------------------------------------------------------ */
/* The index: locking, waiting, rebuilding beside it                    */

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
    case CM_ENOMEM:
        return EX_OSERR;
    case CM_EINTERNAL:
    case CM_EINVAL:
        return EX_SOFTWARE;
    default:
        return EX_IOERR;
    }
}

/* Make the index's parent folder, so that the default path works on a new
 * machine. */
static int
prepare_parent(const char *db)
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

/* The pid recorded by the cmindex holding db's lock, or 0. */
static long
lock_holder(const char *db)
{
    char *path = cm_path_join(db, PID_FILE), buf[32];
    long pid = 0;
    FILE *f = path ? fopen(path, "r") : NULL;
    if (f != NULL) {
        if (fgets(buf, sizeof buf, f) != NULL)
            pid = strtol(buf, NULL, 10);
        fclose(f);
    }
    free(path);
    return pid;
}

/* Record our pid inside the index we hold the lock of. */
static void
write_pid(const char *db)
{
    char *path = cm_path_join(db, PID_FILE);
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f != NULL) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    free(path);
}

static void
remove_pid(const char *db)
{
    char *path = cm_path_join(db, PID_FILE);
    if (path)
        unlink(path);
    free(path);
}

/* Open db for writing, waiting for the lock as o->wait says. */
static int
open_index(const char *db, const options *o, const cm_index_opts *ixo,
           cm_index **out)
{
    double deadline = now_seconds() + o->wait;
    char *errmsg = NULL;
    cm_status st;

    for (;;) {
        st = cm_index_open(db, ixo, out, &errmsg);
        if (st != CM_ELOCKED || o->wait == 0 ||
            (o->wait > 0 && now_seconds() >= deadline) || stop_requested)
            break;
        free(errmsg);
        errmsg = NULL;
        usleep(200 * 1000);
    }
    if (st == CM_OK) {
        write_pid(db);
        return 0;
    }
    if (st == CM_ELOCKED) {
        long pid = lock_holder(db);
        if (pid > 0)
            fprintf(stderr, PROG_NAME ": index %s is locked by another "
                    "cmindex (pid %ld)\n", db, pid);
        else
            fprintf(stderr, PROG_NAME ": index %s is locked by another "
                    "cmindex\n", db);
    } else {
        fprintf(stderr, PROG_NAME ": cannot open index '%s': %s\n", db,
                errmsg ? errmsg : cm_status_str(st));
    }
    free(errmsg);
    return exit_for(st);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove a folder tree (an old index after a swap). */
static int
remove_tree(const char *path)
{
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Exchange the folders a and b atomically (Linux renameat2), or as two
 * renames where the filesystem can't. */
static int
swap_dirs(const char *a, const char *b)
{
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    {
        size_t n = strlen(b) + 8;
        char *tmp = malloc(n);
        int rc;
        if (tmp == NULL)
            return -1;
        snprintf(tmp, n, "%s.old", b);
        rc = rename(b, tmp);
        if (rc == 0 && (rc = rename(a, b)) == 0)
            rc = rename(tmp, a);
        free(tmp);
        return rc;
    }
}

/* Flush a rebuilt index (written without fsync) to disk before it goes
 * live. */
static int
sync_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;
    if (fd < 0)
        return -1;
    rc = syncfs(fd);
    close(fd);
    return rc;
}

/* Remove folders left by a --full or a merge that was killed:
 * "<db>.new-<pid>..." whose process is gone. */
static void
remove_stale_builds(const char *db)
{
    size_t n = strlen(db);
    char *parent = cm_strndup(db, n), *slash, *base;
    struct dirent **names = NULL;
    int k, i;

    if (parent == NULL)
        return;
    slash = strrchr(parent, '/');
    base = slash ? slash + 1 : parent;
    if (slash)
        *slash = '\0';
    k = scandir(slash ? (*parent ? parent : "/") : ".", &names, NULL, NULL);
    for (i = 0; i < k; i++) {
        const char *name = names[i]->d_name;
        size_t bl = strlen(base);
        if (strncmp(name, base, bl) == 0 && strncmp(name + bl, ".new-", 5) == 0) {
            long pid = strtol(name + bl + 5, NULL, 10);
            if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
                char *p = slash ? cm_path_join(*parent ? parent : "", name)
                                : cm_strndup(name, strlen(name));
                if (p)
                    remove_tree(p);
                free(p);
            }
        }
        free(names[i]);
    }
    free(names);
    free(parent);
}

/* Stamp the languages' paragraph counts on the merged database at path
 * (cm_index_stamp_langs()): it is a new database, which the shards' stamps
 * do not name.  Without the stamp, queries look the counts up (thirty
 * terms): a failure here costs them that, so it is not the merge's. */
static void
stamp_merged(const char *path)
{
    cm_db *w = NULL;
    char *err = NULL;

    if (cm_db_open_writable(path, 0, &w, &err) == CM_OK &&
        cm_index_stamp_langs(w) == CM_OK && cm_db_commit(w) != CM_OK) {
        /* The commit failed: nothing was stamped, nothing else lost. */
    }
    cm_db_close(w);
    free(err);
}

/* A table of the shards of the index at ctx is merged: not read again. */
static void
drop_merged(void *ctx, const char *table)
{
    cm_index_drop_cached(ctx, table);
}

/* Merge the shards written in parallel into the index at dir (when they
 * are not meant to stay: cm_index_wants_merge()) into one compacted
 * database, built in the folder dir + suffix and then swapped in for dir
 * atomically: one database searches about a third faster than shards, and
 * compaction makes it smaller.  The caller has committed everything and
 * still holds the write lock, so nothing is written meanwhile; readers see
 * the shards, then the merged database.  On failure dir is left as it was
 * (shards, whole) and the reason told. */
static int
merge_shards(const char *dir, const char *suffix, int sync, report *rep)
{
    char *err = NULL, *into;
    cm_db *db = NULL;
    struct stat sb;
    cm_status s;
    int rc = 0;

    if (!cm_index_wants_merge(dir))
        return 0;
    if ((into = malloc(strlen(dir) + strlen(suffix) + 1)) == NULL)
        return EX_OSERR;
    strcat(strcpy(into, dir), suffix);
    if (stat(into, &sb) == 0)
        remove_tree(into);
    s = cm_db_open(dir, &db, &err);
    if (s == CM_OK &&
        (s = cm_db_compact_each(db, into, drop_merged, (void *)dir)) != CM_OK)
        err = strdup(cm_db_errmsg(db));
    cm_db_close(db);
    if (s == CM_OK)
        stamp_merged(into);
    if (s != CM_OK) {
        report_line(rep, PROG_NAME ": cannot merge the shards of '%s' (the "
                    "index stays as shards): %s", dir, err ? err : "");
        rc = exit_for(s);
    } else if (sync && sync_tree(into) != 0) {
        report_line(rep, PROG_NAME ": cannot flush '%s': %s", into,
                    strerror(errno));
        rc = EX_IOERR;
    } else if (swap_dirs(into, dir) != 0) {
        report_line(rep, PROG_NAME ": cannot put '%s' in place of '%s': %s",
                    into, dir, strerror(errno));
        rc = EX_CANTCREAT;
    }
    /* After the swap into holds the shards; after a failure, a part of
     * the merged database. */
    if (stat(into, &sb) == 0)
        remove_tree(into);
    free(into);
    free(err);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

static int
cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What the walk saw: the canonical forms of the paths given and the sorted
 * canonical paths of the files found, for telling which indexed files are
 * gone or moved. */
typedef struct seen_set {
    char **roots;
    size_t n_roots;
    const char **seen;
    size_t n_seen;
} seen_set;

static void
seen_free(seen_set *ss)
{
    size_t i;
    for (i = 0; ss->roots && i < ss->n_roots; i++)
        free(ss->roots[i]);
    free(ss->roots);
    free(ss->seen);
}

static int
seen_build(seen_set *ss, char **paths, size_t n, const file_list *list)
{
    size_t i;
    memset(ss, 0, sizeof *ss);
    ss->roots = calloc(n + 1, sizeof *ss->roots);
    ss->seen = calloc(list->n + 1, sizeof *ss->seen);
    if (ss->roots == NULL || ss->seen == NULL)
        return EX_OSERR;
    ss->n_roots = n;
    for (i = 0; i < n; i++)
        ss->roots[i] = realpath(paths[i], NULL);
    for (i = 0; i < list->n; i++)
        if (list->v[i].canon)
            ss->seen[ss->n_seen++] = list->v[i].canon;
    qsort(ss->seen, ss->n_seen, sizeof *ss->seen, cmp_cstr);
    return 0;
}

/* Files at new paths whose content an indexed file that is gone had: move
 * its paragraphs instead of analysing them again.  Only a file whose size
 * matches a gone file's is read to compare hashes. */
static int
move_renamed(cm_index *ix, const cm_index_opts *opts, file_list *list,
             const seen_set *ss, report *rep, stats *st)
{
    size_t i;
    for (i = 0; i < list->n; i++) {
        entry *e = &list->v[i];
        const char *const *roots = (const char *const *)ss->roots;
        const cm_file_state *from;
        char *text = NULL, *why = NULL, hash[17];
        size_t len = 0;
        cm_status s;

        if (e->error || e->canon == NULL || cm_index_state(ix, e->canon) ||
            cm_index_find_gone(ix, roots, ss->n_roots, ss->seen, ss->n_seen,
                               e->size, NULL) == NULL)
            continue;
        if (cm_doc_read_file(e->canon, opts->max_file_bytes
                                           ? opts->max_file_bytes
                                           : (size_t)64 << 20,
                             &text, &len, &why) == CM_OK) {
            cm_schema_hash_hex(text, len, hash);
            from = cm_index_find_gone(ix, roots, ss->n_roots, ss->seen,
                                      ss->n_seen, e->size, hash);
            if (from != NULL) {
                char *old_path = strdup(from->path);
                s = old_path ? cm_index_move(ix, from, e->canon, e->size,
                                             e->mtime_ns)
                             : CM_ENOMEM;
                if (s != CM_OK) {
                    report_line(rep, PROG_NAME ": cannot move '%s' in the "
                                "index: %s", e->path, cm_index_errmsg(ix));
                    free(old_path);
                    free(text);
                    free(why);
                    return exit_for(s);
                }
                e->moved = 1;
                st->added++;
                st->removed++;
                if (rep->verbose)
                    report_line(rep, PROG_NAME ": moved '%s' to '%s' (not "
                                "analysed again)", old_path, e->path);
                free(old_path);
            }
        }
        free(text);
        free(why);
    }
    return 0;
}

static void
print_removed(void *ctx, const char *path)
{
    (void)ctx;
    printf("removed: %s\n", path);
}

/* Remove from the index the files under the paths that the walk did not
 * see. */
static int
remove_gone(cm_index *ix, const seen_set *ss, int dry_run, report *rep,
            stats *st)
{
    unsigned removed = 0;
    cm_status s = cm_index_remove_unseen(
        ix, (const char *const *)ss->roots, ss->n_roots, ss->seen,
        ss->n_seen, dry_run, dry_run ? print_removed : NULL, NULL, &removed);
    st->removed += removed;
    if (s != CM_OK) {
        report_line(rep, PROG_NAME ": cannot remove deleted files from the "
                    "index: %s", cm_index_errmsg(ix));
        return exit_for(s);
    }
    return 0;
}

/* Xapian writes a changeset at each commit while $XAPIAN_MAX_CHANGESETS
 * (read at every commit) says how many to keep: what xapian-replicate
 * sends a replica instead of the whole index.  Only commits to an index
 * that is live need them.  A new index, the shards of a first build that
 * are to be merged, and a rebuild all end as a new database (a new UUID)
 * that a replica copies whole anyway, and their changesets would write
 * every block twice: for them the variable is unset, whoever set it.
 * Called before any thread starts (setenv() is not thread-safe). */
static void
keep_changesets(const char *db, long n)
{
    char v[24];

    if (n > 0 && cm_index_is_live(db)) {
        snprintf(v, sizeof v, "%ld", n);
        setenv("XAPIAN_MAX_CHANGESETS", v, 1);
    } else {
        unsetenv("XAPIAN_MAX_CHANGESETS");
    }
}

/* Index list into the live index (or say what would change). */
static int
run_incremental(const char *db, options *o, char **paths, size_t n_paths,
                file_list *list, report *rep, stats *st)
{
    cm_index *ix = NULL;
    seen_set ss;
    int rc;

    memset(&ss, 0, sizeof ss);
    /* A merge killed midway left its folder beside the index. */
    if (!o->dry_run)
        remove_stale_builds(db);
    keep_changesets(db, o->changesets);
    rc = open_index(db, o, &o->ix, &ix);
    if (rc == EX_NOINPUT && o->dry_run) {
        /* No index yet: everything would be new. */
        o->ix.create = 0;
        rc = 0;
    }
    if (rc != 0)
        return rc;
    rc = ix ? seen_build(&ss, paths, n_paths, list) : 0;
    /* A dry run reports a move as a removal and a new file. */
    if (rc == 0 && ix != NULL && !o->dry_run)
        rc = move_renamed(ix, &o->ix, list, &ss, rep, st);
    if (rc == 0)
        rc = run_pipeline(ix, &o->ix, list, o->jobs, o->dry_run,
                          &stop_requested, rep, st);
    /* Only a complete walk tells which files are gone. */
    if (rc == 0 && !stop_requested && ix != NULL)
        rc = remove_gone(ix, &ss, o->dry_run, rep, st);
    seen_free(&ss);
    if (ix != NULL && !o->dry_run) {
        cm_status s = cm_index_commit(ix);
        if (s != CM_OK && rc == 0) {
            report_line(rep, PROG_NAME ": cannot commit to '%s': %s", db,
                        cm_index_errmsg(ix));
            rc = exit_for(s);
        }
        /* Shards written in parallel, now complete: one database, built
         * where remove_stale_builds() finds it if this run dies. */
        if (rc == 0 && !stop_requested) {
            char suffix[32];
            snprintf(suffix, sizeof suffix, ".new-%ld", (long)getpid());
            rc = merge_shards(db, suffix, 1, rep);
        }
        remove_pid(db);
    }
    cm_index_close(ix);
    return rc;
}

/* Rebuild the index beside the live one and swap it in atomically, so
 * that searches never see a half-built index. */
static int
run_full(const char *db, options *o, file_list *list, report *rep,
         stats *st)
{
    cm_index *live = NULL, *fresh = NULL;
    cm_index_opts fo = o->ix, lo = o->ix;
    struct stat sb;
    char *tmp = NULL;
    int rc = 0, have_live = stat(db, &sb) == 0;
    size_t n = strlen(db) + 32;

    remove_stale_builds(db);
    keep_changesets(db, 0);
    /* Hold the live index's lock for the whole rebuild: no incremental run
     * may write to it meanwhile.  Of whatever schema: an index that an
     * older cmindex wrote is what --full is for. */
    lo.lock_only = 1;
    if (have_live && (rc = open_index(db, o, &lo, &live)) != 0)
        return rc;
    tmp = malloc(n);
    if (tmp == NULL) {
        rc = EX_OSERR;
        goto out;
    }
    snprintf(tmp, n, "%s.new-%ld", db, (long)getpid());
    fo.create = 1;
    fo.no_sync = 1; /* one syncfs() before the swap instead */
    rc = open_index(tmp, o, &fo, &fresh);
    if (rc == 0)
        rc = run_pipeline(fresh, &fo, list, o->jobs, 0, &stop_requested, rep,
                          st);
    if (rc == 0 && stop_requested)
        rc = 128 + stop_requested;
    if (rc == 0) {
        cm_status s = cm_index_commit(fresh);
        if (s != CM_OK) {
            report_line(rep, PROG_NAME ": cannot commit to '%s': %s", tmp,
                        cm_index_errmsg(fresh));
            rc = exit_for(s);
        }
    }
    if (fresh != NULL)
        remove_pid(tmp);
    cm_index_close(fresh);
    if (rc == 0)
        rc = merge_shards(tmp, ".merge", 0, rep);
    if (rc == 0 && sync_tree(tmp) != 0) {
        report_line(rep, PROG_NAME ": cannot flush '%s': %s", tmp,
                    strerror(errno));
        rc = EX_IOERR;
    }
    if (rc == 0 && (have_live ? swap_dirs(tmp, db) : rename(tmp, db)) != 0) {
        report_line(rep, PROG_NAME ": cannot put '%s' in place of '%s': %s",
                    tmp, db, strerror(errno));
        rc = EX_CANTCREAT;
    }
    if (live != NULL)
        remove_pid(rc == 0 ? tmp : db);
    cm_index_close(live);
    /* After a swap tmp holds the old index; after a failure, the partial
     * new one.  Either way it goes; the live index is whole. */
    if (tmp != NULL && stat(tmp, &sb) == 0)
        remove_tree(tmp);
out:
    free(tmp);
    return rc;
}

static int
check_paths(char **paths, size_t n)
{
    size_t i;
    struct stat sb;
    for (i = 0; i < n; i++) {
        if (stat(paths[i], &sb) != 0) {
            fprintf(stderr, PROG_NAME ": cannot open '%s': %s\n", paths[i],
                    strerror(errno));
            return EX_NOINPUT;
        }
    }
    return 0;
}

int
main(int argc, char **argv)
{
    options o;
    report rep;
    stats st;
    file_list list;
    cm_config *cfg = NULL;
    char *errmsg = NULL, **paths;
    size_t n_paths;
    struct sigaction sa;
    int rc;

    memset(&o, 0, sizeof o);
    memset(&rep, 0, sizeof rep);
    memset(&st, 0, sizeof st);
    memset(&list, 0, sizeof list);
    o.ix.create = 1;
    o.changesets = -1;
    rep.t0 = now_seconds();

    rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        goto out;
    if (cm_config_load(o.config, &cfg, &errmsg) != CM_OK) {
        fprintf(stderr, PROG_NAME ": %s\n", errmsg ? errmsg : "no memory");
        rc = EX_CONFIG;
        goto out;
    }
    if ((rc = apply_config(&o, cfg)) >= 0)
        goto out;
    paths = optind < argc ? argv + optind : cfg->paths;
    n_paths = optind < argc ? (size_t)(argc - optind) : cfg->n_paths;
    if (n_paths == 0) {
        usage_error("no PATH to index%s", cfg->source ? " (and no path in the "
                    "configuration)" : "");
        rc = EX_USAGE;
        goto out;
    }
    if ((rc = check_paths(paths, n_paths)) != 0)
        goto out;
    if (!o.dry_run && (rc = prepare_parent(o.db)) != 0)
        goto out;
    if (o.log != NULL && (rep.log = fopen(o.log, "a")) == NULL) {
        fprintf(stderr, PROG_NAME ": cannot open log '%s': %s\n", o.log,
                strerror(errno));
        rc = EX_CANTCREAT;
        goto out;
    }
    rep.quiet = o.quiet;
    rep.verbose = o.verbose;
    rep.progress = !o.quiet && !o.dry_run && isatty(STDERR_FILENO);
    o.ix.read_only = o.dry_run;
    if (o.dry_run)
        o.ix.create = 0;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    rc = walk_paths(paths, n_paths, cfg, &list, &rep, &st);
    /* Say so when the paths hold nothing to index: a folder of PDFs, or
     * the wrong folder, would otherwise give a silent, empty index. */
    if (rc == 0 && list.n == 0 && !o.quiet)
        report_line(&rep,
                    PROG_NAME ": warning: no document in the given paths "
                    "(cmindex reads .md, .markdown, .txt, .text, .html, .htm, "
                    ".xhtml, .pdf, .docx, .doc, .odt, .fodt and .rtf files; "
                    "%u other files left out)",
                    st.other_formats);
    if (rc == 0 && o.full && !o.dry_run)
        rc = run_full(o.db, &o, &list, &rep, &st);
    else if (rc == 0)
        rc = run_incremental(o.db, &o, paths, n_paths, &list, &rep, &st);

    if (rc == 0 || rc == 1 || stop_requested)
        summary(&rep, &st, o.dry_run || (!o.quiet && (o.verbose ||
                                                      isatty(STDERR_FILENO))));
    if (stop_requested && (rc == 0 || rc == 128 + stop_requested)) {
        report_line(&rep, PROG_NAME ": stopped by signal %d after committing "
                    "what was done", (int)stop_requested);
        rc = 128 + stop_requested;
    } else if (rc == 0 && st.rejected) {
        rc = 1;
    }
out:
    if (rep.log)
        fclose(rep.log);
    file_list_free(&list);
    cm_config_free(cfg);
    free(errmsg);
    free(o.db);
    return rc < 0 ? 0 : rc;
}
