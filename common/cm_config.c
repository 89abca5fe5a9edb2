/* cm_config.c: the configuration file. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_buf.h"
#include "cm_config.h"
#include "cm_util.h"

/* Configuration files are small; anything bigger is a mistake. */
#define MAX_CONFIG_BYTES (1024 * 1024)

static cm_status
fail(char **errmsg, cm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cm_status
fail(char **errmsg, cm_status st, const char *fmt, ...)
{
    va_list ap;
    char buf[512];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (errmsg)
        *errmsg = strdup(buf);
    return st;
}

void
cm_config_free(cm_config *cfg)
{
    size_t i;
    if (cfg == NULL)
        return;
    for (i = 0; i < cfg->n_paths; i++)
        free(cfg->paths[i]);
    for (i = 0; i < cfg->n_include; i++)
        free(cfg->include[i]);
    for (i = 0; i < cfg->n_exclude; i++)
        free(cfg->exclude[i]);
    for (i = 0; i < cfg->n_links; i++) {
        free(cfg->links[i].dir);
        free(cfg->links[i].url);
    }
    free(cfg->links);
    free(cfg->paths);
    free(cfg->include);
    free(cfg->exclude);
    free(cfg->source);
    free(cfg->db);
    free(cfg->lang);
    free(cfg);
}

static cm_status
push(char ***arr, size_t *n, const char *v, size_t len)
{
    char **p = realloc(*arr, (*n + 1) * sizeof *p);
    if (p == NULL)
        return CM_ENOMEM;
    *arr = p;
    p[*n] = cm_strndup(v, len);
    if (p[*n] == NULL)
        return CM_ENOMEM;
    (*n)++;
    return CM_OK;
}

static cm_status
set_once(char **slot, const char *v, size_t len)
{
    free(*slot);
    *slot = cm_strndup(v, len);
    return *slot ? CM_OK : CM_ENOMEM;
}

static int
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One link rule, folder dir (n bytes, absolute) to url (m bytes), both
 * without their trailing slashes ("/" itself becomes ""). */
static cm_status
push_link(cm_config *cfg, const char *dir, size_t n, const char *url,
          size_t m)
{
    cm_config_link_rule *r;

    while (n > 0 && dir[n - 1] == '/')
        n--;
    while (m > 0 && url[m - 1] == '/')
        m--;
    r = realloc(cfg->links, (cfg->n_links + 1) * sizeof *r);
    if (r == NULL)
        return CM_ENOMEM;
    cfg->links = r;
    r += cfg->n_links;
    r->dir = cm_strndup(dir, n);
    r->url = cm_strndup(url, m);
    if (r->dir == NULL || r->url == NULL) {
        free(r->dir);
        free(r->url);
        return CM_ENOMEM;
    }
    cfg->n_links++;
    return CM_OK;
}

/* "link = DIR URL": the URL is the last word (a URL holds no blank), the
 * folder the rest, which may hold blanks.  A folder reached through a
 * symbolic link gets a rule for its real path too: that is the path the
 * index stores. */
static cm_status
parse_link(cm_config *cfg, const char *name, unsigned lineno,
           const char *v, const char *vend, char **errmsg)
{
    const char *url = vend, *dend;
    char *dir, *real;
    size_t ulen, written, i;
    cm_status st;

    while (url > v && !is_blank(url[-1]))
        url--;
    dend = url;
    while (dend > v && is_blank(dend[-1]))
        dend--;
    ulen = written = (size_t)(vend - url);
    while (ulen > 1 && url[ulen - 1] == '/')
        ulen--; /* as push_link() will: what is left must be a URL */
    if (dend == v)
        return fail(errmsg, CM_EPARSE,
                    "%s:%u: link wants a folder and its URL, such as "
                    "'link = /srv/documents https://example.org/docs'",
                    name, lineno);
    if (*v != '/')
        return fail(errmsg, CM_EPARSE,
                    "%s:%u: link's folder '%.*s' is not an absolute path",
                    name, lineno, (int)(dend - v), v);
    if (!((ulen > 8 && strncasecmp(url, "https://", 8) == 0) ||
          (ulen > 7 && strncasecmp(url, "http://", 7) == 0) ||
          (url[0] == '/' && (ulen == 1 || url[1] != '/'))))
        return fail(errmsg, CM_EPARSE,
                    "%s:%u: link's URL '%.*s' is neither http(s):// nor a "
                    "path on the web server starting with /",
                    name, lineno, (int)written, url);
    for (i = 0; i < ulen; i++)
        if ((unsigned char)url[i] < 0x20 || url[i] == 0x7F)
            return fail(errmsg, CM_EPARSE,
                        "%s:%u: link's URL holds a control character", name,
                        lineno);
    if ((st = push_link(cfg, v, (size_t)(dend - v), url, ulen)) != CM_OK)
        return st;
    if ((dir = cm_strndup(v, (size_t)(dend - v))) == NULL)
        return CM_ENOMEM;
    real = realpath(dir, NULL);
    if (real != NULL) {
        size_t rlen = strlen(real);
        const char *last = cfg->links[cfg->n_links - 1].dir;
        while (rlen > 0 && real[rlen - 1] == '/')
            rlen--;
        if (rlen != strlen(last) || memcmp(real, last, rlen) != 0)
            st = push_link(cfg, real, rlen, url, ulen);
    }
    free(real);
    free(dir);
    return st;
}

/* One "key = value" line (already without its newline). */
static cm_status
parse_line(cm_config *cfg, const char *name, unsigned lineno,
           const char *line, size_t len, char **errmsg)
{
    const char *eq, *k = line, *kend, *v, *vend = line + len;
    size_t klen;
    char *end;
    unsigned long num;

    while (k < vend && is_blank(*k))
        k++;
    if (k == vend || *k == '#')
        return CM_OK;
    eq = memchr(k, '=', (size_t)(vend - k));
    if (eq == NULL)
        return fail(errmsg, CM_EPARSE, "%s:%u: expected 'key = value'", name,
                    lineno);
    kend = eq;
    while (kend > k && is_blank(kend[-1]))
        kend--;
    v = eq + 1;
    while (v < vend && is_blank(*v))
        v++;
    while (vend > v && is_blank(vend[-1]))
        vend--;
    klen = (size_t)(kend - k);
    if (v == vend)
        return fail(errmsg, CM_EPARSE, "%s:%u: no value for '%.*s'", name,
                    lineno, (int)klen, k);
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(k, s, klen) == 0)
    if (KEY("db"))
        return set_once(&cfg->db, v, (size_t)(vend - v));
    if (KEY("path"))
        return push(&cfg->paths, &cfg->n_paths, v, (size_t)(vend - v));
    if (KEY("include"))
        return push(&cfg->include, &cfg->n_include, v, (size_t)(vend - v));
    if (KEY("exclude"))
        return push(&cfg->exclude, &cfg->n_exclude, v, (size_t)(vend - v));
    if (KEY("lang")) {
        if (!cm_lang_code_ok(v, (size_t)(vend - v)))
            return fail(errmsg, CM_EPARSE,
                        "%s:%u: lang wants a code such as en or fr", name,
                        lineno);
        return set_once(&cfg->lang, v, (size_t)(vend - v));
    }
    if (KEY("max_size")) {
        errno = 0;
        num = strtoul(v, &end, 10);
        if (errno || end != vend || num == 0 || num > 4096 || *v < '0' ||
            *v > '9')
            return fail(errmsg, CM_EPARSE,
                        "%s:%u: max_size wants megabytes from 1 to 4096",
                        name, lineno);
        cfg->max_size_mb = num;
        return CM_OK;
    }
    if (KEY("changesets")) {
        errno = 0;
        num = strtoul(v, &end, 10);
        if (errno || end != vend || num > CM_MAX_CHANGESETS || *v < '0' ||
            *v > '9')
            return fail(errmsg, CM_EPARSE,
                        "%s:%u: changesets wants a number from 0 to %u",
                        name, lineno, CM_MAX_CHANGESETS);
        cfg->changesets = (unsigned)num;
        return CM_OK;
    }
    if (KEY("link"))
        return parse_link(cfg, name, lineno, v, vend, errmsg);
#undef KEY
    return fail(errmsg, CM_EPARSE, "%s:%u: unknown key '%.*s'", name, lineno,
                (int)klen, k);
}

cm_status
cm_config_parse(const char *name, const char *text, size_t len,
                cm_config **out, char **errmsg)
{
    cm_config *cfg;
    const char *p = text, *end = text + len, *nl;
    unsigned lineno = 0;
    cm_status st = CM_OK;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL)
        return CM_ENOMEM;
    while (st == CM_OK && p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        lineno++;
        if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
            st = fail(errmsg, CM_EPARSE, "%s:%u: NUL byte", name, lineno);
        else
            st = parse_line(cfg, name, lineno, p, (size_t)(nl - p), errmsg);
        p = nl + 1;
    }
    if (st != CM_OK) {
        cm_config_free(cfg);
        return st;
    }
    *out = cfg;
    return CM_OK;
}

static cm_status
read_small(const char *path, char **text, size_t *len, char **errmsg)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    *text = NULL;
    if (f == NULL)
        return fail(errmsg, errno == ENOENT ? CM_ENOTFOUND : CM_EIO,
                    "cannot open '%s': %s", path, strerror(errno));
    buf = malloc(MAX_CONFIG_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return CM_ENOMEM;
    }
    n = fread(buf, 1, MAX_CONFIG_BYTES + 1, f);
    if (ferror(f) || n > MAX_CONFIG_BYTES) {
        int e = ferror(f) ? errno : EFBIG;
        fclose(f);
        free(buf);
        return fail(errmsg, CM_EIO, "cannot read '%s': %s", path,
                    strerror(e));
    }
    fclose(f);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return CM_OK;
}

cm_status
cm_config_load(const char *path, cm_config **out, char **errmsg)
{
    const char *env = getenv("CMSEARCH_CONFIG");
    char *text = NULL;
    size_t len = 0;
    cm_status st;
    int optional = 0;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    if (path == NULL && env != NULL && *env)
        path = env;
    if (path == NULL) {
        path = CM_CONFIG_DEFAULT_PATH;
        optional = 1;
    }
    st = read_small(path, &text, &len, errmsg);
    if (st == CM_ENOTFOUND && optional) {
        if (errmsg) {
            free(*errmsg);
            *errmsg = NULL;
        }
        return cm_config_parse(path, "", 0, out, errmsg);
    }
    if (st == CM_OK)
        st = cm_config_parse(path, text, len, out, errmsg);
    if (st == CM_OK && ((*out)->source = strdup(path)) == NULL) {
        cm_config_free(*out);
        *out = NULL;
        st = CM_ENOMEM;
    }
    free(text);
    return st;
}

int
cm_config_skips(const cm_config *cfg, const char *name, int is_dir)
{
    size_t i;
    for (i = 0; i < cfg->n_exclude; i++)
        if (fnmatch(cfg->exclude[i], name, 0) == 0)
            return 1;
    if (is_dir || cfg->n_include == 0)
        return 0;
    for (i = 0; i < cfg->n_include; i++)
        if (fnmatch(cfg->include[i], name, 0) == 0)
            return 0;
    return 1;
}

char *
cm_config_link(const cm_config *cfg, const char *path)
{
    size_t i, best = 0, dlen = 0, n;
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    char *out;
    int found = 0;

    if (cfg == NULL || path == NULL || path[0] != '/')
        return NULL;
    for (i = 0; i < cfg->n_links; i++) {
        n = strlen(cfg->links[i].dir);
        if (strncmp(path, cfg->links[i].dir, n) == 0 && path[n] == '/' &&
            (!found || n > dlen)) {
            best = i;
            dlen = n;
            found = 1;
        }
    }
    if (!found)
        return NULL;
    cm_buf_adds(&st, &b, cfg->links[best].url);
    cm_buf_add_pct(&st, &b, path + dlen, strlen(path + dlen), "-._~/");
    out = cm_buf_steal(&st, &b); /* NULL when out of memory */
    cm_buf_free(&b);
    return out;
}
