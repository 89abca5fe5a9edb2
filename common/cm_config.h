/* cm_config.h: the configuration file shared by cmindex, cmsearch and the
 * CGI.
 *
 * Lines of "key = value"; blank lines and lines starting with # are
 * ignored; keys that may repeat (path, include, exclude) accumulate.
 *
 *   db = /var/lib/cmsearch/index   the index
 *   path = /srv/documents          a folder or file to index (repeatable)
 *   include = *.md                 only files whose name matches (repeatable)
 *   exclude = drafts               skip files and folders whose name
 *                                  matches (repeatable; fnmatch patterns)
 *   lang = en                      language of paragraphs not otherwise known
 *   max_size = 64                  largest file indexed, in megabytes
 *   changesets = 10                changesets cmindex keeps in the index
 *                                  for xapian-replicate (0: none)
 *   link = /srv/documents https://example.org/docs
 *                                  where the documents under a folder are
 *                                  on the web (repeatable): the search
 *                                  page links each hit there, and
 *                                  cmsearch's JSON gives its "url"
 *
 * Where it is read from: the file given (--config), else $CMSEARCH_CONFIG,
 * else /etc/cmsearch.conf when it exists.  Command-line options win over
 * $CMSEARCH_DB, which wins over the file.
 */
#ifndef CM_CONFIG_H
#define CM_CONFIG_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

#define CM_CONFIG_DEFAULT_PATH "/etc/cmsearch.conf"
/* The most changesets an index may keep (the changesets key, cmindex's
 * --changesets and $XAPIAN_MAX_CHANGESETS). */
#define CM_MAX_CHANGESETS 100000u

/* A link rule: the documents under dir are on the web at url. */
typedef struct cm_config_link_rule {
    char *dir; /* absolute, without its trailing slash ("/" is "") */
    char *url; /* without its trailing slash */
} cm_config_link_rule;

typedef struct cm_config {
    char *source;   /* the file read, or NULL when none */
    char *db;       /* or NULL */
    char **paths;   /* n_paths folders or files to index */
    size_t n_paths;
    char **include; /* fnmatch patterns on file names */
    size_t n_include;
    char **exclude; /* fnmatch patterns on file and folder names */
    size_t n_exclude;
    char *lang;     /* or NULL */
    size_t max_size_mb; /* 0 when not set */
    unsigned changesets; /* 0 when not set */
    cm_config_link_rule *links; /* n_links link rules */
    size_t n_links;
} cm_config;

/* Load the configuration: from path when it is not NULL (it must exist),
 * else from $CMSEARCH_CONFIG (must exist when set), else from
 * CM_CONFIG_DEFAULT_PATH when it exists.  No file at all is not an error:
 * *out is then an empty configuration.  On error (CM_ENOTFOUND, CM_EIO,
 * CM_EPARSE) *errmsg is a malloc'd message naming the file and the line,
 * e.g. "/etc/cmsearch.conf:3: unknown key 'colour'".  *out is freed with
 * cm_config_free(). */
cm_status cm_config_load(const char *path, cm_config **out,
                         char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* Parse configuration text (for tests and for cm_config_load); name is
 * used in messages. */
cm_status cm_config_parse(const char *name, const char *text, size_t len,
                          cm_config **out,
                          char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;

/* 1 when the file or folder name (the last path component) is excluded, or
 * when it is a file (is_dir == 0) and include patterns exist but none
 * matches it. */
int cm_config_skips(const cm_config *cfg, const char *name,
                    int is_dir) CM_NOEXCEPT;

/* The URL of the document at path (an absolute path as the index stores
 * it), by the link rule of the longest folder holding it: the rule's URL,
 * then the rest of the path with every byte but letters, digits, "-._~"
 * and "/" percent-encoded.  A malloc'd string, or NULL when no rule
 * applies (or out of memory). */
char *cm_config_link(const cm_config *cfg, const char *path) CM_NOEXCEPT;

void cm_config_free(cm_config *cfg) CM_NOEXCEPT;

CM_END_DECLS

#endif
