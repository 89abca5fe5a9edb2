/* walk.c: find the files to index under the paths given. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "cm_doc.h"
#include "cmindex_int.h"

/* Directory trees deeper than this are not walked (a guard against absurd
 * trees and loops through bind mounts). */
#define MAX_DEPTH 64

void
file_list_free(file_list *list)
{
    size_t i;
    for (i = 0; i < list->n; i++) {
        free(list->v[i].path);
        free(list->v[i].canon);
        free(list->v[i].error);
    }
    free(list->v);
    memset(list, 0, sizeof *list);
}

/* Add path to the list; error (copied) when it cannot be tried. */
static int
add_entry(file_list *list, const char *path, const struct stat *sb,
          const char *error)
{
    entry *e;
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 1024;
        entry *v = realloc(list->v, cap * sizeof *v);
        if (v == NULL)
            return EX_OSERR;
        list->v = v;
        list->cap = cap;
    }
    e = &list->v[list->n];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    if (e->path == NULL)
        return EX_OSERR;
    list->n++;
    if (error == NULL) {
        /* realpath fails for a path over PATH_MAX or a file that vanished:
         * the entry then carries the reason. */
        e->canon = realpath(path, NULL);
        if (e->canon == NULL)
            error = strerror(errno);
    }
    if (error != NULL) {
        e->error = strdup(error);
        return e->error ? 0 : EX_OSERR;
    }
    e->size = (unsigned long long)sb->st_size;
    e->mtime_ns = (unsigned long long)sb->st_mtim.tv_sec * 1000000000ull +
                  (unsigned long long)sb->st_mtim.tv_nsec;
    return 0;
}

static int walk(const char *path, int depth, const cm_config *cfg,
                file_list *list, report *rep, stats *st);

static int
walk_dir(const char *dir, int depth, const cm_config *cfg, file_list *list,
         report *rep, stats *st)
{
    struct dirent **names = NULL;
    size_t dlen = strlen(dir);
    int n, i, rc = 0;

    n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        report_rejected(rep, dir, strerror(errno));
        st->rejected++;
        return 0;
    }
    for (i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && name[0] != '.') {
            size_t len = dlen + strlen(name) + 2;
            char *child = malloc(len);
            if (child == NULL) {
                rc = EX_OSERR;
            } else {
                snprintf(child, len, "%s%s%s", dir,
                         dlen && dir[dlen - 1] == '/' ? "" : "/", name);
                rc = walk(child, depth + 1, cfg, list, rep, st);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static const char *
base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int
walk(const char *path, int depth, const cm_config *cfg, file_list *list,
     report *rep, stats *st)
{
    struct stat sb;
    int is_link;

    if (lstat(path, &sb) != 0)
        return add_entry(list, path, NULL, strerror(errno));
    is_link = S_ISLNK(sb.st_mode);
    if (is_link && stat(path, &sb) != 0) {
        /* A dangling link or a loop of links. */
        if (depth > 0 && cm_doc_format_of(path) == CM_FMT_AUTO)
            return 0;
        return add_entry(list, path, NULL, strerror(errno));
    }
    if (S_ISDIR(sb.st_mode)) {
        /* Inside a tree, links to folders are not followed, so that a link
         * loop cannot make the walk endless. */
        if (depth > 0 && (is_link || cm_config_skips(cfg, base_name(path), 1)))
            return 0;
        if (depth >= MAX_DEPTH) {
            report_rejected(rep, path, "folder nested too deeply");
            st->rejected++;
            return 0;
        }
        return walk_dir(path, depth, cfg, list, rep, st);
    }
    /* Inside folders only the formats we read are taken; a file named on
     * the command line is always tried, so its rejection is reported. */
    if (depth > 0 && cm_doc_format_of(path) == CM_FMT_AUTO) {
        st->other_formats++;
        return 0;
    }
    if (depth > 0 && cm_config_skips(cfg, base_name(path), 0))
        return 0;
    if (!S_ISREG(sb.st_mode))
        return add_entry(list, path, NULL, "not a regular file");
    return add_entry(list, path, &sb, NULL);
}

int
walk_paths(char **paths, size_t n, const cm_config *cfg, file_list *list,
           report *rep, stats *st)
{
    size_t i;
    int rc = 0;
    for (i = 0; i < n && rc == 0; i++)
        rc = walk(paths[i], 0, cfg, list, rep, st);
    return rc;
}
