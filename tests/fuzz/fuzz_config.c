/* fuzz_config.c: libFuzzer target for the configuration file parser
 * (/etc/cmsearch.conf, $CMSEARCH_CONFIG, --config: text anyone may
 * write).  Any bytes go through cm_config_parse(): never a crash; an
 * error is CM_EPARSE with a message naming the file and its line and no
 * configuration, or CM_ENOMEM; a configuration holds only values its keys
 * allow (no NUL inside, lang a code, sizes and counts in range, link
 * rules from an absolute folder to an http(s) URL or a path), its include
 * and exclude patterns can be matched, and a link made from its rules is
 * the rule's URL and the rest of the path percent-encoded. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_list(char **v, size_t n)
{
    size_t i;
    if (n > 0 && v == NULL)
        abort();
    for (i = 0; i < n; i++)
        if (v[i] == NULL || v[i][0] == '\0')
            abort();
}

/* Whether url is the link of path by the rule dir -> base. */
static int
is_link(const char *url, const char *dir, const char *base, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(dir), m = strlen(base);
    const char *p;

    if (strncmp(path, dir, n) != 0 || path[n] != '/' ||
        strncmp(url, base, m) != 0)
        return 0;
    url += m;
    for (p = path + n; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~/", c)) {
            if (*url++ != (char)c)
                return 0;
        } else if (url[0] != '%' || url[1] != hex[c >> 4] ||
                   url[2] != hex[c & 15]) {
            return 0;
        } else {
            url += 3;
        }
    }
    return *url == '\0';
}

static void
check_links(const cm_config *cfg)
{
    static const char *const paths[] = {"/srv/documents/a b.md", "/a.md",
                                        "/tmp/x/%y?z#w", "relative.md", ""};
    size_t i, j, n;

    for (i = 0; i < cfg->n_links; i++) {
        const char *d = cfg->links[i].dir, *u = cfg->links[i].url;
        n = strlen(d);
        if ((n > 0 && (d[0] != '/' || d[n - 1] == '/')))
            abort();
        n = strlen(u);
        if (n > 0 && u[0] != '/' && strncasecmp(u, "http://", 7) != 0 &&
            strncasecmp(u, "https://", 8) != 0)
            abort();
        if (n > 0 && u[n - 1] == '/')
            abort();
        for (j = 0; j < n; j++)
            if ((unsigned char)u[j] <= ' ' || u[j] == 0x7F)
                abort();
    }
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *url = cm_config_link(cfg, paths[i]);
        if (url == NULL)
            continue;
        /* Some rule's folder holds the path, and the link is that rule's
         * URL and the rest of the path encoded. */
        for (j = 0; j < cfg->n_links; j++)
            if (is_link(url, cfg->links[j].dir, cfg->links[j].url, paths[i]))
                break;
        if (j == cfg->n_links)
            abort();
        free(url);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"a.md", "drafts", ".hidden",
                                        "x.txt", ""};
    static cm_config sentinel;
    cm_config *cfg = &sentinel; /* the parser must set it */
    char *err = NULL;
    size_t i, n;
    cm_status st = cm_config_parse("fuzz.conf", (const char *)data, size,
                                   &cfg, &err);

    if (st != CM_OK) {
        if (cfg != NULL || (st != CM_EPARSE && st != CM_ENOMEM))
            abort();
        if (st == CM_EPARSE &&
            (err == NULL || strncmp(err, "fuzz.conf:", 10) != 0))
            abort();
        free(err);
        return 0;
    }
    if (cfg == NULL || err != NULL)
        abort();
    check_list(cfg->paths, cfg->n_paths);
    check_list(cfg->include, cfg->n_include);
    check_list(cfg->exclude, cfg->n_exclude);
    if (cfg->db != NULL && cfg->db[0] == '\0')
        abort();
    if (cfg->lang != NULL) {
        n = strlen(cfg->lang);
        if (n < 2 || n > 3)
            abort();
        for (i = 0; i < n; i++)
            if (cfg->lang[i] < 'a' || cfg->lang[i] > 'z')
                abort();
    }
    if (cfg->max_size_mb > 4096 || cfg->changesets > CM_MAX_CHANGESETS)
        abort();
    check_links(cfg);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        (void)cm_config_skips(cfg, names[i], 0);
        (void)cm_config_skips(cfg, names[i], 1);
    }
    cm_config_free(cfg);
    return 0;
}
