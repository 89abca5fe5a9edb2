/* cm_index.c: documents into the index, one transaction per file. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cm_buf.h"
#include "cm_db.h"
#include "cm_doc.h"
#include "cm_index.h"
#include "cm_schema.h"
#include "cm_tok.h"
#include "cm_util.h"

/* Largest file read when the caller sets no limit. */
#define DEFAULT_MAX_FILE_BYTES ((size_t)64 * 1024 * 1024)
/* Commit after this much text, so a killed run loses little work and the
 * writer's memory stays bounded. */
#define COMMIT_BYTES (32u * 1024 * 1024)

struct cm_index {
    cm_db *db;
    cm_tok *tok;
    cm_xdoc *xdoc;   /* reused for every paragraph */
    char **seen;     /* canonical paths passed to cm_index_file() */
    size_t n_seen, cap_seen;
    size_t pending_bytes;
    size_t max_file_bytes;
    char lang[16];   /* default paragraph language, or "" */
    char err[512];
};

/* What the index remembers of a file, stored as the metadata value
 * "size mtime_ns hash nparas path". */
typedef struct file_state {
    unsigned long long size;
    unsigned long long mtime_ns;
    char hash[17];
    unsigned nparas;
    const char *path; /* points into the parsed value */
} file_state;

static void
set_err(cm_index *ix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ix->err, sizeof ix->err, fmt, ap);
    va_end(ap);
}

static cm_status
db_fail(cm_index *ix, cm_status st)
{
    set_err(ix, "%s", cm_db_errmsg(ix->db));
    return st;
}

const char *
cm_index_errmsg(const cm_index *ix)
{
    return ix ? ix->err : "";
}

static cm_status
check_schema(cm_index *ix, char **errmsg)
{
    char *v = NULL;
    size_t n = 0;
    unsigned docs = 0;
    cm_status st;

    st = cm_db_get_metadata(ix->db, CM_META_SCHEMA, &v, &n);
    if (st == CM_OK && n == 0) {
        /* A new (empty) index gets our version; a non-empty one without it
         * was not written by cmindex. */
        st = cm_db_doc_count(ix->db, &docs);
        if (st == CM_OK && docs > 0)
            st = CM_EVERSION;
        else if (st == CM_OK)
            st = cm_db_set_metadata(ix->db, CM_META_SCHEMA, CM_SCHEMA_VERSION,
                                    strlen(CM_SCHEMA_VERSION));
    } else if (st == CM_OK && strcmp(v, CM_SCHEMA_VERSION) != 0) {
        st = CM_EVERSION;
    }
    if (st == CM_EVERSION && errmsg != NULL) {
        *errmsg = strdup("the index was written by an incompatible version "
                         "of cmindex; rebuild it with cmindex --full, or "
                         "remove it and index again");
    } else if (st != CM_OK && errmsg != NULL) {
        *errmsg = strdup(cm_db_errmsg(ix->db));
    }
    free(v);
    return st;
}

cm_status
cm_index_open(const char *dbpath, const cm_index_opts *opts, cm_index **out,
              char **errmsg)
{
    cm_index *ix;
    cm_status st;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return CM_ENOMEM;
    ix->max_file_bytes = opts->max_file_bytes ? opts->max_file_bytes
                                              : DEFAULT_MAX_FILE_BYTES;
    if (opts->lang != NULL)
        snprintf(ix->lang, sizeof ix->lang, "%s", opts->lang);
    st = cm_db_open_writable(dbpath, opts->create ? CM_DB_CREATE : 0,
                             &ix->db, errmsg);
    if (st != CM_OK)
        goto out;
    st = cm_tok_new(&ix->tok, errmsg);
    if (st != CM_OK)
        goto out;
    st = cm_xdoc_new(&ix->xdoc);
    if (st != CM_OK)
        goto out;
    st = check_schema(ix, errmsg);
out:
    if (st != CM_OK) {
        cm_index_close(ix);
        return st;
    }
    *out = ix;
    return CM_OK;
}

void
cm_index_close(cm_index *ix)
{
    size_t i;
    if (ix == NULL)
        return;
    cm_xdoc_free(ix->xdoc);
    cm_tok_free(ix->tok);
    cm_db_close(ix->db);
    for (i = 0; i < ix->n_seen; i++)
        free(ix->seen[i]);
    free(ix->seen);
    free(ix);
}

cm_status
cm_index_commit(cm_index *ix)
{
    cm_status st = cm_db_commit(ix->db);
    if (st != CM_OK)
        return db_fail(ix, st);
    ix->pending_bytes = 0;
    return CM_OK;
}

/* ------------------------------------------------------------------ */
/* File state                                                          */

static int
parse_state(const char *v, file_state *fs)
{
    int used = 0;
    if (sscanf(v, "%llu %llu %16s %u %n", &fs->size, &fs->mtime_ns, fs->hash,
               &fs->nparas, &used) != 4 || used == 0)
        return 0;
    fs->path = v + used;
    return 1;
}

static cm_status
state_key(const char *file_key, char *buf, size_t cap)
{
    cm_schema_term(buf, cap, CM_META_FILE, file_key, strlen(file_key));
    return CM_OK;
}

static cm_status
put_state(cm_index *ix, const char *file_key, const file_state *fs,
          const char *path)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    char key[CM_DB_MAX_TERM + 1];

    st = state_key(file_key, key, sizeof key);
    cm_buf_addf(&st, &b, "%llu %llu %s %u %s", fs->size, fs->mtime_ns,
                fs->hash, fs->nparas, path);
    if (st == CM_OK) {
        st = cm_db_set_metadata(ix->db, key, b.data, b.len);
        if (st != CM_OK)
            db_fail(ix, st);
    }
    cm_buf_free(&b);
    return st;
}

/* ------------------------------------------------------------------ */
/* Paragraphs                                                          */

static cm_status
add_prefixed(cm_index *ix, const char *prefix, const char *value, int boolean)
{
    char term[CM_DB_MAX_TERM + 1];
    size_t n;
    cm_status st;

    if (*value == '\0')
        return CM_OK;
    n = cm_schema_term(term, sizeof term, prefix, value, strlen(value));
    st = boolean ? cm_xdoc_add_boolean_term(ix->xdoc, term, n)
                 : cm_xdoc_add_term(ix->xdoc, term, n, 1);
    if (st != CM_OK)
        set_err(ix, "%s", cm_xdoc_errmsg(ix->xdoc));
    return st;
}

/* The paragraph's language: the model's, else the one given for the run,
 * else "". */
static const char *
para_lang(const cm_index *ix, const cm_para *p)
{
    return p->lang[0] ? p->lang : ix->lang;
}

/* The words of the paragraph text, with positions, and their stems. */
static cm_status
add_text(cm_index *ix, const cm_para *p)
{
    const char *lang = para_lang(ix, p);
    const cm_token *t;
    char term[CM_DB_MAX_TERM + 1];
    size_t n;
    cm_status st;

    st = cm_tok_reset(ix->tok, p->text, p->text_len, *lang ? lang : NULL);
    while (st == CM_OK) {
        st = cm_tok_next(ix->tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        st = cm_xdoc_add_posting(ix->xdoc, t->term, t->term_len, t->pos + 1,
                                 1);
        if (st == CM_OK && t->stem != NULL) {
            n = cm_schema_term(term, sizeof term, CM_PFX_STEM, t->stem,
                               t->stem_len);
            st = cm_xdoc_add_term(ix->xdoc, term, n, 1);
        }
        if (st != CM_OK)
            set_err(ix, "%s", cm_xdoc_errmsg(ix->xdoc));
    }
    if (st != CM_OK && ix->err[0] == '\0')
        set_err(ix, "%s", cm_tok_errmsg(ix->tok));
    return st;
}

/* The document data: everything a hit shows, as a JSON object. */
static char *
para_data(const cm_index *ix, const cm_doc *doc, const cm_para *p)
{
    json_t *refs = json_array(), *o;
    char *s = NULL;
    size_t i;

    if (refs == NULL)
        return NULL;
    for (i = 0; i < p->n_refs; i++)
        json_array_append_new(refs, json_string(p->refs[i]));
    o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s%, s:s, s:s, s:s, s:s, s:s, "
                  "s:o}",
                  "path", doc->path, "para", (json_int_t)p->ordinal, "label",
                  p->label, "section", cm_section_name(p->section), "heading",
                  p->heading, "text", p->text, p->text_len, "lang", para_lang(ix, p),
                  "doc", doc->number, "title", doc->title, "date", doc->date,
                  "type", doc->type, "refs", refs);
    if (o != NULL) {
        s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
    }
    return s;
}

static cm_status
index_para(cm_index *ix, const cm_doc *doc, const cm_para *p,
           const char *file_key)
{
    char idterm[CM_DB_MAX_TERM + 1], ord[16];
    char *data = NULL;
    cm_status st;
    size_t n;
    int len;

    st = cm_xdoc_clear(ix->xdoc);
    if (st != CM_OK)
        return st;
    len = snprintf(idterm, sizeof idterm, "%s%s#%u", CM_PFX_ID, file_key,
                   p->ordinal);
    if (len < 0 || (size_t)len >= sizeof idterm)
        return CM_EINTERNAL; /* the file key leaves room by construction */
    st = cm_xdoc_add_boolean_term(ix->xdoc, idterm, (size_t)len);
    if (st == CM_OK)
        st = add_prefixed(ix, CM_PFX_FILE, file_key, 1);
    if (st == CM_OK)
        st = add_prefixed(ix, CM_PFX_LANG, para_lang(ix, p), 1);
    if (st == CM_OK)
        st = add_prefixed(ix, CM_PFX_SECTION, cm_section_name(p->section), 1);
    if (st == CM_OK)
        st = add_text(ix, p);
    if (st != CM_OK)
        return st;
    n = (size_t)snprintf(ord, sizeof ord, "%08u", p->ordinal);
    st = cm_xdoc_set_value(ix->xdoc, CM_SLOT_ORDINAL, ord, n);
    if (st == CM_OK)
        st = cm_xdoc_set_value(ix->xdoc, CM_SLOT_FILE, file_key,
                               strlen(file_key));
    if (st == CM_OK && doc->date[0])
        st = cm_xdoc_set_value(ix->xdoc, CM_SLOT_DATE, doc->date,
                               strlen(doc->date));
    if (st != CM_OK)
        return st;
    data = para_data(ix, doc, p);
    if (data == NULL)
        return CM_ENOMEM;
    st = cm_xdoc_set_data(ix->xdoc, data, strlen(data));
    free(data);
    if (st == CM_OK) {
        /* write_doc() removed the file's old paragraphs, so each one is
         * new: adding skips the lookup that replacing by id would cost. */
        st = cm_db_add_document(ix->db, ix->xdoc, NULL);
        if (st != CM_OK)
            db_fail(ix, st);
    }
    return st;
}

/* Replace the file's paragraphs with doc's, atomically.  known: the index
 * has paragraphs of this file to delete first. */
static cm_status
write_doc(cm_index *ix, const cm_doc *doc, const char *file_key, int known,
          const file_state *fs, const char *path)
{
    char term[CM_DB_MAX_TERM + 1];
    cm_status st, st2;
    size_t i, n;

    st = cm_db_begin(ix->db, 0);
    if (st != CM_OK)
        return db_fail(ix, st);
    if (known) {
        n = cm_schema_term(term, sizeof term, CM_PFX_FILE, file_key,
                           strlen(file_key));
        st = cm_db_delete_documents(ix->db, term, n);
        if (st != CM_OK)
            db_fail(ix, st);
    }
    for (i = 0; i < doc->n_paras && st == CM_OK; i++)
        st = index_para(ix, doc, &doc->paras[i], file_key);
    if (st == CM_OK)
        st = put_state(ix, file_key, fs, path);
    if (st == CM_OK) {
        st = cm_db_commit_transaction(ix->db);
        if (st != CM_OK)
            db_fail(ix, st);
        return st;
    }
    /* Don't clobber the first error: cancelling only discards. */
    st2 = cm_db_cancel_transaction(ix->db);
    if (st2 != CM_OK && ix->err[0] == '\0')
        db_fail(ix, st2);
    return st;
}

static cm_status
remember_seen(cm_index *ix, const char *canon)
{
    char *copy;
    if (ix->n_seen == ix->cap_seen) {
        size_t cap = ix->cap_seen ? ix->cap_seen * 2 : 256;
        char **p = realloc(ix->seen, cap * sizeof *p);
        if (p == NULL)
            return CM_ENOMEM;
        ix->seen = p;
        ix->cap_seen = cap;
    }
    copy = strdup(canon);
    if (copy == NULL)
        return CM_ENOMEM;
    ix->seen[ix->n_seen++] = copy;
    return CM_OK;
}

/* A rejected file's reason, for the caller to print. */
static cm_status
reject(char **reason, const char *why)
{
    *reason = strdup(why);
    return *reason ? CM_OK : CM_ENOMEM;
}

/* Compare st with the stored state; *same when the file is as indexed. */
static cm_status
load_state(cm_index *ix, const char *file_key, char **value, file_state *fs,
           int *known)
{
    char key[CM_DB_MAX_TERM + 1];
    size_t n = 0;
    cm_status st;

    *known = 0;
    (void)state_key(file_key, key, sizeof key);
    st = cm_db_get_metadata(ix->db, key, value, &n);
    if (st != CM_OK)
        return db_fail(ix, st);
    if (n > 0 && parse_state(*value, fs))
        *known = 1;
    return CM_OK;
}

cm_status
cm_index_file(cm_index *ix, const char *path, cm_file_outcome *outcome,
              unsigned *nparas, char **reason)
{
    char *canon = NULL, *file_key = NULL, *text = NULL, *old = NULL;
    char *why = NULL;
    size_t text_len = 0;
    cm_doc *doc = NULL;
    file_state fs, prev;
    struct stat sb;
    int known = 0;
    cm_status st;

    *outcome = CM_FILE_REJECTED;
    *nparas = 0;
    *reason = NULL;
    ix->err[0] = '\0';
    memset(&fs, 0, sizeof fs);
    memset(&prev, 0, sizeof prev);

    canon = realpath(path, NULL);
    if (canon == NULL || stat(canon, &sb) != 0) {
        st = reject(reason, strerror(errno));
        goto out;
    }
    st = remember_seen(ix, canon);
    if (st == CM_OK)
        st = cm_schema_file_key(canon, &file_key);
    if (st == CM_OK)
        st = load_state(ix, file_key, &old, &prev, &known);
    if (st != CM_OK)
        goto out;
    fs.size = (unsigned long long)sb.st_size;
    fs.mtime_ns = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
                  (unsigned long long)sb.st_mtim.tv_nsec;
    if (known && prev.size == fs.size && prev.mtime_ns == fs.mtime_ns) {
        *outcome = CM_FILE_UNCHANGED;
        *nparas = prev.nparas;
        goto out;
    }

    st = cm_doc_read_file(canon, ix->max_file_bytes, &text, &text_len,
                          &why);
    if (st == CM_ENOMEM)
        goto out;
    if (st != CM_OK) {
        st = reject(reason, why ? why : cm_status_str(st));
        goto out;
    }
    cm_schema_hash_hex(text, text_len, fs.hash);
    if (known && strcmp(prev.hash, fs.hash) == 0) {
        /* Touched but not changed: remember the new mtime only. */
        fs.nparas = prev.nparas;
        st = put_state(ix, file_key, &fs, canon);
        *outcome = CM_FILE_UNCHANGED;
        *nparas = prev.nparas;
        goto out;
    }
    st = cm_doc_parse(canon, text, text_len, cm_doc_format_of(canon), &doc,
                      &why);
    if (st == CM_ENOMEM)
        goto out;
    if (st != CM_OK) {
        st = reject(reason, why ? why : cm_status_str(st));
        goto out;
    }
    fs.nparas = (unsigned)doc->n_paras;
    st = write_doc(ix, doc, file_key, known, &fs, canon);
    if (st != CM_OK)
        goto out;
    *outcome = known ? CM_FILE_CHANGED : CM_FILE_NEW;
    *nparas = fs.nparas;
    ix->pending_bytes += text_len;
    if (ix->pending_bytes >= COMMIT_BYTES)
        st = cm_index_commit(ix);
out:
    cm_doc_free(doc);
    free(why);
    free(text);
    free(old);
    free(file_key);
    free(canon);
    return st;
}

/* ------------------------------------------------------------------ */
/* Files that are gone                                                 */

typedef struct unseen_ctx {
    cm_index *ix;
    const char *const *roots;
    size_t n_roots;
    char **doomed; /* metadata keys to delete */
    size_t n_doomed, cap_doomed;
    cm_status st;
} unseen_ctx;

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
under_root(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (strncmp(path, root, n) != 0)
        return 0;
    return path[n] == '\0' || path[n] == '/' || (n > 0 && root[n - 1] == '/');
}

static int
collect_unseen(void *vctx, const char *key, size_t key_len, unsigned count)
{
    unseen_ctx *c = vctx;
    char *k, *v = NULL;
    size_t vlen = 0, i;
    file_state fs;
    int keep = 1;

    (void)count;
    k = cm_strndup(key, key_len);
    if (k == NULL) {
        c->st = CM_ENOMEM;
        return 1;
    }
    c->st = cm_db_get_metadata(c->ix->db, k, &v, &vlen);
    if (c->st != CM_OK) {
        free(k);
        return 1;
    }
    if (vlen > 0 && parse_state(v, &fs)) {
        for (i = 0; i < c->n_roots && keep; i++)
            if (under_root(fs.path, c->roots[i]))
                keep = bsearch(&fs.path, c->ix->seen, c->ix->n_seen,
                               sizeof(char *), cmp_str) != NULL;
    }
    free(v);
    if (keep) {
        free(k);
        return 0;
    }
    if (c->n_doomed == c->cap_doomed) {
        size_t cap = c->cap_doomed ? c->cap_doomed * 2 : 64;
        char **p = realloc(c->doomed, cap * sizeof *p);
        if (p == NULL) {
            free(k);
            c->st = CM_ENOMEM;
            return 1;
        }
        c->doomed = p;
        c->cap_doomed = cap;
    }
    c->doomed[c->n_doomed++] = k;
    return 0;
}

/* Delete the paragraphs and the state of the file whose state key is key. */
static cm_status
remove_file(cm_index *ix, const char *key)
{
    char term[CM_DB_MAX_TERM + 1];
    const char *file_key = key + strlen(CM_META_FILE);
    size_t n = cm_schema_term(term, sizeof term, CM_PFX_FILE, file_key,
                              strlen(file_key));
    cm_status st = cm_db_begin(ix->db, 0);

    if (st == CM_OK)
        st = cm_db_delete_documents(ix->db, term, n);
    if (st == CM_OK)
        st = cm_db_set_metadata(ix->db, key, "", 0);
    if (st == CM_OK)
        st = cm_db_commit_transaction(ix->db);
    if (st != CM_OK) {
        db_fail(ix, st);
        if (cm_db_cancel_transaction(ix->db) != CM_OK) {
            /* Nothing more to do: the first error is what matters. */
        }
    }
    return st;
}

cm_status
cm_index_remove_unseen(cm_index *ix, const char *const *roots, size_t n,
                       unsigned *removed)
{
    unseen_ctx c;
    cm_status st;
    size_t i;

    *removed = 0;
    memset(&c, 0, sizeof c);
    c.ix = ix;
    c.roots = roots;
    c.n_roots = n;
    qsort(ix->seen, ix->n_seen, sizeof(char *), cmp_str);
    st = cm_db_metadata_keys(ix->db, CM_META_FILE, collect_unseen, &c);
    if (st != CM_OK)
        db_fail(ix, st);
    else
        st = c.st;
    for (i = 0; i < c.n_doomed; i++) {
        if (st == CM_OK && (st = remove_file(ix, c.doomed[i])) == CM_OK)
            (*removed)++;
        free(c.doomed[i]);
    }
    free(c.doomed);
    return st;
}
