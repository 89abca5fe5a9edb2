/* fuzz_config.c: libFuzzer target for the configuration file parser
 * (/etc/cmsearch.conf, $CMSEARCH_CONFIG, --config: text anyone may
 * write).  Any bytes go through cm_config_parse(): never a crash; an
 * error is CM_EPARSE with a message naming the file and its line and no
 * configuration, or CM_ENOMEM; a configuration holds only values its keys
 * allow (no NUL inside, lang a code, sizes and counts in range), and its
 * include and exclude patterns can be matched. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        (void)cm_config_skips(cfg, names[i], 0);
        (void)cm_config_skips(cfg, names[i], 1);
    }
    cm_config_free(cfg);
    return 0;
}
