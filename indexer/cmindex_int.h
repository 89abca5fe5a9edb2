/* cmindex_int.h: what the parts of cmindex share (walk.c, pipeline.c,
 * cmindex.c). */
#ifndef CMINDEX_INT_H
#define CMINDEX_INT_H

#include <stddef.h>
#include <stdio.h>

#include "cm_config.h"
#include "cm_index.h"

#define PROG_NAME "cmindex"

/* One file found by the walk. */
typedef struct entry {
    char *path;  /* as found (for messages) */
    char *canon; /* canonical path, or NULL when it could not be resolved */
    unsigned long long size, mtime_ns;
    const cm_file_state *prev; /* what the index knows of it, or NULL */
    char *error;               /* why it can't even be tried, or NULL */
    int moved;                 /* its paragraphs were moved from a path
                                  that is gone: nothing to analyze */
} entry;

typedef struct file_list {
    entry *v;
    size_t n, cap;
} file_list;

/* Counters for the summary line. */
typedef struct stats {
    unsigned files, paras, unchanged, added, changed, removed, rejected;
    unsigned long long bytes;
    unsigned other_formats; /* files in folders of formats not read */
} stats;

/* Reporting: rejected files and errors go to stderr and the log. */
typedef struct report {
    FILE *log;       /* --log FILE, or NULL */
    int quiet;
    int verbose;     /* also name moved files */
    int progress;    /* draw a progress bar on stderr */
    double t0;
} report;

/* Walk each path (files and folders) into list, skipping what cfg
 * excludes.  Files inside folders are taken only in the formats we read
 * (the others are counted in st->other_formats).
 * Returns 0, or an exit status for a failure of the program itself. */
int walk_paths(char **paths, size_t n, const cm_config *cfg, file_list *list,
               report *rep, stats *st);
void file_list_free(file_list *list);

/* Analyze the files of list that need it on jobs threads and write them
 * with ix, in list order (with dry_run, print what would change instead;
 * ix may then be NULL, an index that does not exist yet).  stop points to a flag set by signal handlers.
 * Returns 0, or an exit status. */
int run_pipeline(cm_index *ix, const cm_index_opts *opts, file_list *list,
                 unsigned jobs, int dry_run, volatile int *stop, report *rep,
                 stats *st);

void report_rejected(report *rep, const char *path, const char *reason);
void report_line(report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void report_progress(report *rep, size_t done, size_t total,
                     unsigned long long bytes, unsigned long long total_bytes);
double now_seconds(void);

#endif
