/* test_config.c: the configuration file: keys, repeats, errors with the
 * file and line, and where it is looked for. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "cm_config.h"
#include "tap.h"

typedef struct {
    const char *text;
    const char *error; /* NULL when it parses */
} row;

static const row bad[] = {
    {"colour = blue\n", "t.conf:1: unknown key 'colour'"},
    {"# fine\n\njust words\n", "t.conf:3: expected 'key = value'"},
    {"db =   \n", "t.conf:1: no value for 'db'"},
    {"lang = English\n", "t.conf:1: lang wants a code such as en or fr"},
    {"max_size = 0\n", "t.conf:1: max_size wants megabytes from 1 to 4096"},
    {"max_size = 12x\n", "t.conf:1: max_size wants megabytes from 1 to 4096"},
    {"max_size = -3\n", "t.conf:1: max_size wants megabytes from 1 to 4096"},
    {"changesets = many\n",
     "t.conf:1: changesets wants a number from 0 to 100000"},
    {"changesets = 100001\n",
     "t.conf:1: changesets wants a number from 0 to 100000"},
    {"changesets = -1\n",
     "t.conf:1: changesets wants a number from 0 to 100000"},
};

int
main(void)
{
    static const char good[] =
        "# cmsearch configuration\n"
        "db = /var/lib/cmsearch/index\n"
        "  path = /srv/documents  \n"
        "path=/srv/more docs\r\n"
        "include = *.md\n"
        "include = *.txt\n"
        "exclude = drafts\n"
        "lang = fr\n"
        "max_size = 12\n"
        "changesets = 100000\n";
    cm_config *cfg = NULL;
    char *err = NULL, tmpl[] = "/tmp/cmconfXXXXXX";
    size_t i;
    int fd;

    is_int(cm_config_parse("t.conf", good, sizeof good - 1, &cfg, &err), CM_OK,
           "a full configuration parses");
    is_str(cfg->db, "/var/lib/cmsearch/index", "db");
    is_int((long long)cfg->n_paths, 2, "path repeats");
    is_str(cfg->paths[0], "/srv/documents", "blanks around values go");
    is_str(cfg->paths[1], "/srv/more docs", "inner blanks and CR stay/go");
    is_str(cfg->lang, "fr", "lang");
    is_int((long long)cfg->max_size_mb, 12, "max_size");
    is_int((long long)cfg->changesets, 100000, "changesets");
    ok(!cm_config_skips(cfg, "a.md", 0), "included by *.md");
    ok(!cm_config_skips(cfg, "a.txt", 0), "included by *.txt");
    ok(cm_config_skips(cfg, "a.html", 0), "not included");
    ok(cm_config_skips(cfg, "drafts", 1), "excluded folder");
    ok(!cm_config_skips(cfg, "final", 1), "folders are not subject to include");
    cm_config_free(cfg);

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg = NULL;
        err = NULL;
        is_int(cm_config_parse("t.conf", bad[i].text, strlen(bad[i].text),
                               &cfg, &err),
               CM_EPARSE, bad[i].text);
        ok(cfg == NULL, "no configuration on error");
        is_str(err, bad[i].error, "the message names the file and line");
        free(err);
    }
    is_int(cm_config_parse("t.conf", "db = x\0y", 8, &cfg, &err), CM_EPARSE,
           "a NUL byte is refused");
    free(err);

    /* Where it is looked for. */
    is_int(cm_config_load("/no/such/file.conf", &cfg, &err), CM_ENOTFOUND,
           "an explicit file must exist");
    ok(err && strstr(err, "/no/such/file.conf"), "and the message names it");
    free(err);
    setenv("CMSEARCH_CONFIG", "/no/such/env.conf", 1);
    is_int(cm_config_load(NULL, &cfg, &err), CM_ENOTFOUND,
           "$CMSEARCH_CONFIG must exist when set");
    free(err);
    fd = mkstemp(tmpl);
    ok(fd >= 0 && write(fd, "db = /x\n", 8) == 8, "a temporary file");
    close(fd);
    setenv("CMSEARCH_CONFIG", tmpl, 1);
    is_int(cm_config_load(NULL, &cfg, &err), CM_OK, "read from $CMSEARCH_CONFIG");
    is_str(cfg ? cfg->db : NULL, "/x", "its value");
    is_str(cfg ? cfg->source : NULL, tmpl, "and its source");
    cm_config_free(cfg);
    unsetenv("CMSEARCH_CONFIG");
    is_int(cm_config_load(tmpl, &cfg, &err), CM_OK, "read from --config");
    cm_config_free(cfg);
    unlink(tmpl);
    cm_config_free(NULL);
    return done_testing();
}
