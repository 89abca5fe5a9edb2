/* cm_util.c: small helpers shared by the programs. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cm_buf.h"
#include "cm_util.h"

char *
cm_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

cm_status
cm_default_db_path(char **out)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    const char *v;

    *out = NULL;
    if ((v = getenv("CMSEARCH_DB")) != NULL && *v) {
        cm_buf_adds(&st, &b, v);
    } else if ((v = getenv("XDG_DATA_HOME")) != NULL && *v == '/') {
        cm_buf_adds(&st, &b, v);
        cm_buf_adds(&st, &b, "/cmsearch/index");
    } else if ((v = getenv("HOME")) != NULL && *v) {
        cm_buf_adds(&st, &b, v);
        cm_buf_adds(&st, &b, "/.local/share/cmsearch/index");
    } else {
        return CM_ENOTFOUND;
    }
    *out = cm_buf_steal(&st, &b);
    cm_buf_free(&b);
    return st;
}

size_t
cm_utf8_columns(const char *s, size_t n)
{
    size_t i, cols = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            cols++;
    return cols;
}

cm_status
cm_mkdir_p(const char *path)
{
    char *p = cm_strndup(path, strlen(path));
    char *q;
    cm_status st = CM_OK;

    if (p == NULL)
        return CM_ENOMEM;
    for (q = p + 1; ; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                st = CM_EIO;
                break;
            }
            *q = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return st;
}
