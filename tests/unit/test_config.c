/* test_config.c: the configuration file: keys, repeats, errors with the
 * file and line, and where it is looked for. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    {"link = https://example.org/docs\n",
     "t.conf:1: link wants a folder and its URL, such as "
     "'link = /srv/documents https://example.org/docs'"},
    {"link = srv/docs https://example.org/docs\n",
     "t.conf:1: link's folder 'srv/docs' is not an absolute path"},
    {"link = /srv/docs javascript:alert(1)\n",
     "t.conf:1: link's URL 'javascript:alert(1)' is neither http(s):// nor "
     "a path on the web server starting with /"},
    {"link = /srv/docs docs/\n",
     "t.conf:1: link's URL 'docs/' is neither http(s):// nor "
     "a path on the web server starting with /"},
    {"link = /srv/docs https://\n",
     "t.conf:1: link's URL 'https://' is neither http(s):// nor "
     "a path on the web server starting with /"},
    {"link = /srv/docs http:///\n",
     "t.conf:1: link's URL 'http:///' is neither http(s):// nor "
     "a path on the web server starting with /"},
    {"link = /srv/docs //elsewhere.example/docs\n",
     "t.conf:1: link's URL '//elsewhere.example/docs' is neither http(s):// "
     "nor a path on the web server starting with /"},
    {"link = /srv/docs https://x/\001\n",
     "t.conf:1: link's URL holds a control character"},
};

/* Link rules: which one applies, and how the rest of the path is
 * written. */
typedef struct {
    const char *path;
    const char *url; /* NULL: no rule applies */
} link_row;

static const link_row links[] = {
    {"/srv/documents/doc11549.md", "https://example.org/docs/doc11549.md"},
    {"/srv/documents/2008/a b#c?d%e&f.md",
     "https://example.org/docs/2008/a%20b%23c%3Fd%25e%26f.md"},
    {"/srv/documents/fr/d\xC3\xA9" "cision.md",
     "https://example.org/docs/fr/d%C3%A9cision.md"},
    {"/srv/documents/pace/texts/x.md", "/pace/x.md"}, /* the longest */
    {"/srv/documents-old/x.md", NULL}, /* not a folder boundary */
    {"/srv/documents", NULL},          /* the folder itself */
    {"/srv/more docs/y.pdf", "http://files.example.org/y.pdf"},
    {"/elsewhere/z.md", NULL},
    {"relative/z.md", NULL},
    {"", NULL},
};

static void
test_links(void)
{
    static const char text[] =
        "link = /srv/documents/ https://example.org/docs/\n"
        "link = /srv/documents/pace/texts  /pace\n"
        "link =  /srv/more docs   http://files.example.org \n";
    cm_config *cfg = NULL, *root = NULL;
    char *err = NULL, *url;
    size_t i;

    is_int(cm_config_parse("t.conf", text, sizeof text - 1, &cfg, &err), CM_OK,
           "link rules parse");
    is_int((long long)cfg->n_links, 3, "link repeats");
    is_str(cfg->links[0].dir, "/srv/documents", "the folder's slash goes");
    is_str(cfg->links[0].url, "https://example.org/docs", "the URL's too");
    is_str(cfg->links[2].dir, "/srv/more docs", "a folder may hold blanks");
    for (i = 0; i < sizeof links / sizeof links[0]; i++) {
        url = cm_config_link(cfg, links[i].path);
        if (links[i].url == NULL)
            ok(url == NULL, "no link for '%s'", links[i].path);
        else
            ok(url != NULL && strcmp(url, links[i].url) == 0,
               "the link of '%s': '%s'", links[i].path, url ? url : "none");
        free(url);
    }
    ok(cm_config_link(NULL, "/srv/documents/a.md") == NULL,
       "no configuration, no link");
    cm_config_free(cfg);

    is_int(cm_config_parse("t.conf", "link = / /files/\n", 16, &root, &err),
           CM_OK, "a rule for the whole file system");
    url = cm_config_link(root, "/srv/a.md");
    is_str(url, "/files/srv/a.md", "its link");
    free(url);
    cm_config_free(root);

    /* A folder reached through a symbolic link: the index stores real
     * paths. */
    {
        char dir[] = "/tmp/cmlinkXXXXXX", real[64], sym[80], conf[200];
        if (mkdtemp(dir) == NULL) {
            ok(0, "a temporary folder");
            return;
        }
        snprintf(real, sizeof real, "%s/real", dir);
        snprintf(sym, sizeof sym, "%s/sym", dir);
        ok(mkdir(real, 0700) == 0 && symlink(real, sym) == 0,
           "a folder and a symbolic link to it");
        snprintf(conf, sizeof conf, "link = %s https://example.org/d\n", sym);
        is_int(cm_config_parse("t.conf", conf, strlen(conf), &cfg, &err),
               CM_OK, "a rule on the symbolic link");
        snprintf(conf, sizeof conf, "%s/a.md", real);
        url = cm_config_link(cfg, conf);
        is_str(url, "https://example.org/d/a.md",
               "applies to the real path");
        free(url);
        cm_config_free(cfg);
        unlink(sym);
        rmdir(real);
        rmdir(dir);
    }
}

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
    test_links();
    return done_testing();
}
