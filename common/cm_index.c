/* cm_index.c: files into the index: one transaction per file, on the
 * writer's thread of its shard, after the analysis (cm_index_analyze.c,
 * any thread); files that are gone or moved. */
#include "config.h"

#include <ctype.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cm_buf.h"
#include "cm_data.h"
#include "cm_db.h"
#include "cm_doc.h"
#include "cm_index.h"
#include "cm_index_int.h"
#include "cm_json.h"
#include "cm_runs.h"
#include "cm_schema.h"
#include "cm_strset.h"
#include "cm_tok.h"
#include "cm_util.h"

#define DEFAULT_COMMIT_BYTES ((size_t)64 * 1024 * 1024)

/* The shards' names in a sharded index's folder (beside CM_INDEX_STUB). */
#define SHARD_FMT "shard%u"
/* The stub line of shards meant to stay (cmindex --shards). */
#define KEEP_LINE "# cmindex: keep these shards\n"
#define MAX_SHARDS 64

/* One database of the index.  Only the thread writing a shard touches it. */
typedef struct shard {
    cm_db *db;
    char *path;
    size_t pending_bytes; /* text written since the last commit */
    unsigned long round;  /* the commit round it last committed in */
    /* What the files written since the last commit taught (add_learnt):
     * given to Xapian once per batch, at the commit. */
    cm_strset *spelling; /* word -> occurrences */
    cm_strset *synonyms; /* "term\tsynonym" pairs */
    char err[512];
} shard;

struct cm_index {
    shard *sh;
    unsigned n_sh;
    const cm_index_opts *opts;
    cm_file_state *states; /* loaded at open, sorted by path */
    size_t n_states;
    char err[512];         /* errors of the index as a whole */
    /* Commit rounds: the shards' batches are committed together (see
     * cm_index_apply()).  round counts the rounds started; on_round is
     * told of each. */
    atomic_ulong round;
    void (*on_round)(void *ctx);
    void *on_round_ctx;
};


static cm_status
sh_fail(shard *sh, cm_status st)
{
    snprintf(sh->err, sizeof sh->err, "%s", cm_db_errmsg(sh->db));
    return st;
}

const char *
cm_index_errmsg(const cm_index *ix)
{
    unsigned i;
    if (ix == NULL)
        return "";
    if (ix->err[0])
        return ix->err;
    for (i = 0; i < ix->n_sh; i++)
        if (ix->sh[i].err[0])
            return ix->sh[i].err;
    return "";
}

unsigned
cm_index_shards(const cm_index *ix)
{
    return ix->n_sh;
}

/* A file always lives in the shard its key hashes to. */
static unsigned
shard_for(const cm_index *ix, const char *file_key)
{
    return ix->n_sh < 2 ? 0
                        : (unsigned)(cm_schema_hash64(file_key,
                                                      strlen(file_key)) %
                                     ix->n_sh);
}

/* ------------------------------------------------------------------ */
/* File states: a JSON object per file in the metadata                 */

static void
state_clear(cm_file_state *fs)
{
    free((char *)fs->path);
    free((char *)fs->reason);
}

/* The bytes of path_hex into a malloc'd string; NULL when it is not an
 * even number of hex digits, or holds a NUL. */
static char *
unhex(const char *hex)
{
    size_t n = strlen(hex), i;
    char *p;

    if (n % 2 != 0 || (p = malloc(n / 2 + 1)) == NULL)
        return NULL;
    for (i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || v == 0 ||
            !isxdigit((unsigned char)hex[2 * i]) ||
            !isxdigit((unsigned char)hex[2 * i + 1])) {
            free(p);
            return NULL;
        }
        p[i] = (char)v;
    }
    p[n / 2] = '\0';
    return p;
}

/* Parse a stored state; 0 when it is not one of ours. */
static int
state_parse(const char *v, size_t len, cm_file_state *fs)
{
    json_error_t jerr;
    json_t *o = json_loadb(v, len, 0, &jerr);
    const char *path, *hash, *reason, *hex;
    json_int_t size = 0, mtime = 0, nparas = 0, limit = 0, reader = 0;
    int rejected = 0, ok;

    memset(fs, 0, sizeof *fs);
    if (o == NULL)
        return 0;
    ok = json_unpack(o, "{s:s, s:I, s:I, s:s, s:I, s:b, s:s, s?I, s?I}",
                     "path", &path, "size", &size, "mtime_ns", &mtime, "hash",
                     &hash, "nparas", &nparas, "rejected", &rejected,
                     "reason", &reason, "limit", &limit, "reader",
                     &reader) == 0;
    if (ok) {
        fs->size = (unsigned long long)size;
        fs->mtime_ns = (unsigned long long)mtime;
        snprintf(fs->hash, sizeof fs->hash, "%s", hash);
        fs->nparas = (unsigned)nparas;
        fs->rejected = rejected;
        fs->limit = (unsigned long long)limit;
        fs->reader = reader > 0 && reader < 1000000 ? (unsigned)reader : 0;
        hex = json_string_value(json_object_get(o, "path_hex"));
        fs->path = hex != NULL ? unhex(hex) : strdup(path);
        fs->reason = strdup(reason);
        ok = fs->path != NULL && fs->reason != NULL;
        if (!ok)
            state_clear(fs);
    }
    json_decref(o);
    return ok;
}

/* A path that is not UTF-8 (a file name is any bytes) is kept as
 * path_hex, its bytes in hex, beside a path for people with U+FFFD for
 * those bytes: the state must name the file as it is, to find it gone. */
static char *
state_dump(const cm_file_state *fs)
{
    json_t *utf8 = json_string(fs->path);
    json_t *o = json_pack("{s:o, s:I, s:I, s:s, s:I, s:b, s:o, s:I, s:I}",
                          "path",
                          cm_json_string(fs->path, strlen(fs->path)),
                          "size", (json_int_t)fs->size, "mtime_ns",
                          (json_int_t)fs->mtime_ns, "hash", fs->hash,
                          "nparas", (json_int_t)fs->nparas, "rejected",
                          fs->rejected, "reason",
                          cm_json_string(fs->reason, strlen(fs->reason)),
                          "limit", (json_int_t)fs->limit, "reader",
                          (json_int_t)fs->reader);
    char *s = NULL, *hex = NULL;
    size_t i, n = strlen(fs->path);

    if (o != NULL && utf8 == NULL && (hex = malloc(2 * n + 1)) != NULL) {
        for (i = 0; i < n; i++)
            snprintf(hex + 2 * i, 3, "%02x", (unsigned char)fs->path[i]);
        if (json_object_set_new(o, "path_hex", json_string(hex)) != 0) {
            json_decref(o);
            o = NULL;
        }
    } else if (o != NULL && utf8 == NULL) {
        json_decref(o);
        o = NULL;
    }
    s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    json_decref(utf8);
    free(hex);
    return s;
}

static size_t
state_key(const char *file_key, char *buf, size_t cap)
{
    return cm_schema_term(buf, cap, CM_META_FILE, file_key, strlen(file_key));
}

static cm_status
put_state(shard *sh, const char *file_key, const cm_file_state *fs)
{
    char key[CM_DB_MAX_TERM + 1];
    char *v = state_dump(fs);
    cm_status st;

    if (v == NULL)
        return CM_ENOMEM;
    state_key(file_key, key, sizeof key);
    st = cm_db_set_metadata(sh->db, key, v, strlen(v));
    free(v);
    return st == CM_OK ? CM_OK : sh_fail(sh, st);
}

static int
cmp_state(const void *a, const void *b)
{
    return strcmp(((const cm_file_state *)a)->path,
                  ((const cm_file_state *)b)->path);
}

typedef struct load_ctx {
    cm_index *ix;
    shard *sh;
    size_t cap;
    cm_status st;
} load_ctx;

static int
load_one(void *vctx, const char *key, size_t key_len, unsigned count)
{
    load_ctx *c = vctx;
    cm_index *ix = c->ix;
    char *k = cm_strndup(key, key_len), *v = NULL;
    size_t vlen = 0;
    cm_file_state fs;

    (void)count;
    if (k == NULL) {
        c->st = CM_ENOMEM;
        return 1;
    }
    c->st = cm_db_get_metadata(c->sh->db, k, &v, &vlen);
    free(k);
    if (c->st != CM_OK) {
        sh_fail(c->sh, c->st);
        return 1;
    }
    if (vlen > 0 && state_parse(v, vlen, &fs)) {
        if (ix->n_states == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 256;
            cm_file_state *p = realloc(ix->states, cap * sizeof *p);
            if (p == NULL) {
                state_clear(&fs);
                free(v);
                c->st = CM_ENOMEM;
                return 1;
            }
            ix->states = p;
            c->cap = cap;
        }
        ix->states[ix->n_states++] = fs;
    }
    free(v);
    return 0;
}

static cm_status
load_states(cm_index *ix)
{
    load_ctx c = {ix, NULL, 0, CM_OK};
    cm_status st = CM_OK;
    unsigned i;

    for (i = 0; i < ix->n_sh && st == CM_OK && c.st == CM_OK; i++) {
        c.sh = &ix->sh[i];
        st = cm_db_metadata_keys(c.sh->db, CM_META_FILE, load_one, &c);
        if (st != CM_OK)
            sh_fail(c.sh, st);
    }
    if (st != CM_OK)
        return st;
    if (c.st != CM_OK)
        return c.st;
    if (ix->n_states > 1)
        qsort(ix->states, ix->n_states, sizeof *ix->states, cmp_state);
    return CM_OK;
}

const cm_file_state *
cm_index_state(const cm_index *ix, const char *canon)
{
    cm_file_state key;
    memset(&key, 0, sizeof key);
    key.path = canon;
    if (ix->n_states == 0)
        return NULL;
    return bsearch(&key, ix->states, ix->n_states, sizeof key, cmp_state);
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */

static cm_status
check_schema(cm_index *ix, shard *sh, char **errmsg)
{
    char *v = NULL;
    size_t n = 0;
    unsigned docs = 0;
    cm_status st;

    st = cm_db_get_metadata(sh->db, CM_META_SCHEMA, &v, &n);
    if (st == CM_OK && n == 0) {
        /* A new (empty) index gets our version; a non-empty one without it
         * was not written by cmindex. */
        st = cm_db_doc_count(sh->db, &docs);
        if (st == CM_OK && docs > 0)
            st = CM_EVERSION;
        else if (st == CM_OK && !ix->opts->read_only)
            st = cm_db_set_metadata(sh->db, CM_META_SCHEMA, CM_SCHEMA_VERSION,
                                    strlen(CM_SCHEMA_VERSION));
    } else if (st == CM_OK && strcmp(v, CM_SCHEMA_VERSION) != 0) {
        st = CM_EVERSION;
    }
    if (st == CM_EVERSION && errmsg != NULL)
        *errmsg = strdup("the index was written by an incompatible version "
                         "of cmindex; rebuild it with cmindex --full");
    else if (st != CM_OK && errmsg != NULL)
        *errmsg = strdup(cm_db_errmsg(sh->db));
    free(v);
    return st;
}

static int
exists(const char *dir, const char *name)
{
    char *p = cm_path_join(dir, name);
    struct stat sb;
    int r = p != NULL && stat(p, &sb) == 0;
    free(p);
    return r;
}

/* 1 when line is a shard's line of the stub, "auto NAME" with NAME a
 * folder beside it (write_stub()), its name then in name. */
static int
shard_line(const char *line, char name[64])
{
    return sscanf(line, "auto %63[^/\n]", name) == 1;
}

/* The first line of the stub that xapian-replicate keeps in a replica's
 * folder (Xapian's REPLICA_STUB_BANNER, whatever its version). */
#define REPLICA_BANNER "# Automatically generated by Xapian::DatabaseReplica"

/* Read the shard names of the stub in dbpath.  Each line is a shard's
 * (shard_line()); we write the stub, so anything else is not an index of
 * ours, and is never written to: a replica (the master's changes would
 * no longer apply to it, and the next replication undoes ours), or a stub
 * someone wrote to search several databases together. */
static cm_status
read_stub(cm_index *ix, const char *dbpath, char **errmsg)
{
    char *stub = cm_path_join(dbpath, CM_INDEX_STUB), line[256], name[64];
    FILE *f = stub ? fopen(stub, "r") : NULL;
    cm_status st = CM_OK;

    if (f == NULL) {
        free(stub);
        return stub ? CM_EIO : CM_ENOMEM;
    }
    while (st == CM_OK && fgets(line, sizeof line, f) != NULL) {
        if (strcmp(line, KEEP_LINE) == 0)
            continue;
        if (strncmp(line, REPLICA_BANNER, strlen(REPLICA_BANNER)) == 0) {
            st = CM_EVERSION;
            if (errmsg)
                *errmsg = strdup("it is a replica that xapian-replicate "
                                 "keeps: run cmindex on the master index it "
                                 "copies");
            break;
        }
        if (!shard_line(line, name) || ix->n_sh == MAX_SHARDS) {
            st = CM_EVERSION;
            if (errmsg)
                *errmsg = strdup("its stub file XAPIANDB was not written by "
                                 "cmindex (a list of databases to search "
                                 "together?): cmindex writes only an index "
                                 "of its own; give --db another folder");
            break;
        }
        ix->sh[ix->n_sh].path = cm_path_join(dbpath, name);
        if (ix->sh[ix->n_sh].path == NULL)
            st = CM_ENOMEM;
        else
            ix->n_sh++;
    }
    fclose(f);
    free(stub);
    return st;
}

int
cm_index_wants_merge(const char *dbpath)
{
    char *stub = cm_path_join(dbpath, CM_INDEX_STUB), line[256];
    FILE *f = stub ? fopen(stub, "r") : NULL;
    int shards = 0, keep = 0;

    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        keep |= strcmp(line, KEEP_LINE) == 0;
        shards += strncmp(line, "auto ", 5) == 0;
    }
    if (f != NULL)
        fclose(f);
    free(stub);
    return shards > 1 && !keep;
}

int
cm_index_is_live(const char *dbpath)
{
    return exists(dbpath, "iamglass") ||
           (exists(dbpath, CM_INDEX_STUB) && !cm_index_wants_merge(dbpath));
}

void
cm_index_drop_cached(const char *dbpath, const char *table)
{
    char *stub = cm_path_join(dbpath, CM_INDEX_STUB), line[256], name[64];
    char file[80];
    FILE *f = stub ? fopen(stub, "r") : NULL;

    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        char *path;
        int fd;
        if (!shard_line(line, name) ||
            snprintf(file, sizeof file, "%s/%s.glass", name, table) >=
                (int)sizeof file ||
            (path = cm_path_join(dbpath, file)) == NULL)
            continue;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            /* Advice: nothing to report when it is not taken. */
            (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            close(fd);
        }
        free(path);
    }
    if (f != NULL)
        fclose(f);
    free(stub);
}

/* Write the stub that makes Xapian open the shards as one database, via a
 * temporary file and a rename, so that readers see all of it or none.
 * Shards meant to stay say so in a comment line (Xapian skips it). */
static cm_status
write_stub(const char *dbpath, unsigned n, int keep)
{
    char *stub = cm_path_join(dbpath, CM_INDEX_STUB);
    char *tmp = cm_path_join(dbpath, CM_INDEX_STUB ".tmp");
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    cm_status st = CM_OK;
    unsigned i;

    if (f == NULL) {
        st = stub && tmp ? CM_EIO : CM_ENOMEM;
    } else {
        if (keep)
            fputs(KEEP_LINE, f);
        for (i = 0; i < n; i++)
            fprintf(f, "auto " SHARD_FMT "\n", i);
        if (fflush(f) != 0 || fsync(fileno(f)) != 0)
            st = CM_EIO;
        if (fclose(f) != 0)
            st = CM_EIO;
        if (st == CM_OK && rename(tmp, stub) != 0)
            st = CM_EIO;
    }
    free(stub);
    free(tmp);
    return st;
}

/* Decide the shards of the index at dbpath: the stub's, the one database
 * that is there, or (for a new index) opts->shards new ones. */
static cm_status
plan_shards(cm_index *ix, const char *dbpath, int *fresh, char **errmsg)
{
    unsigned n = ix->opts->shards, i;
    char name[32];
    struct stat sb;

    *fresh = 0;
    if (stat(dbpath, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        if (errmsg)
            *errmsg = strdup("it is a file: cmindex writes its index into "
                             "a folder (give --db a folder; a stub file "
                             "listing databases is for searching)");
        return CM_EVERSION;
    }
    if (exists(dbpath, CM_INDEX_STUB))
        return read_stub(ix, dbpath, errmsg);
    if (exists(dbpath, "iamglass") || n < 2 || ix->opts->read_only ||
        !ix->opts->create) {
        ix->sh[0].path = strdup(dbpath);
        ix->n_sh = 1;
        return ix->sh[0].path ? CM_OK : CM_ENOMEM;
    }
    if (n > MAX_SHARDS)
        n = MAX_SHARDS;
    if (cm_mkdir_p(dbpath) != CM_OK) {
        if (errmsg)
            *errmsg = strdup(strerror(errno));
        return CM_EOPEN;
    }
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof name, SHARD_FMT, i);
        ix->sh[i].path = cm_path_join(dbpath, name);
        if (ix->sh[i].path == NULL)
            return CM_ENOMEM;
        ix->n_sh++;
    }
    *fresh = 1;
    return CM_OK;
}

cm_status
cm_index_open(const char *dbpath, const cm_index_opts *opts, cm_index **out,
              char **errmsg)
{
    unsigned flags = (opts->create ? CM_DB_CREATE : 0) |
                     (opts->no_sync ? CM_DB_NO_SYNC : 0);
    cm_index *ix;
    cm_status st;
    unsigned i;
    int fresh = 0;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    ix = calloc(1, sizeof *ix);
    if (ix != NULL)
        atomic_init(&ix->round, 0);
    if (ix == NULL || (ix->sh = calloc(MAX_SHARDS, sizeof *ix->sh)) == NULL) {
        free(ix);
        return CM_ENOMEM;
    }
    ix->opts = opts;
    st = plan_shards(ix, dbpath, &fresh, errmsg);
    /* Shards are locked in order, so two writers cannot each hold some.
     * One not there yet is filled from empty (CM_DB_BULK).  A folder
     * without Xapian's version file is one whose creation was killed
     * (the version file comes last): no commit is in it, and Xapian would
     * take its tables for a database and fail to open it, run after run.
     * It is created over (Xapian takes its lock first); a folder without
     * Xapian's files in it is not touched. */
    for (i = 0; i < ix->n_sh && st == CM_OK; i++) {
        shard *sh = &ix->sh[i];
        int fresh_sh = !exists(sh->path, "iamglass");
        int killed = fresh_sh && (exists(sh->path, "postlist.glass") ||
                                  exists(sh->path, "termlist.glass") ||
                                  exists(sh->path, "v.tmp"));
        if (opts->read_only)
            st = cm_db_open(sh->path, &sh->db, errmsg);
        else
            st = cm_db_open_writable(
                sh->path,
                flags | (fresh_sh ? CM_DB_BULK : 0) |
                    (killed && opts->create ? CM_DB_OVERWRITE : 0),
                &sh->db, errmsg);
        /* A rebuild replaces an index of any version (the message of
         * check_schema() says to rebuild). */
        if (st == CM_OK && !opts->lock_only)
            st = check_schema(ix, sh, errmsg);
    }
    /* The stub last: until it exists readers see no index, never part. */
    if (st == CM_OK && fresh &&
        (st = write_stub(dbpath, ix->n_sh, opts->keep_shards)) != CM_OK &&
        errmsg)
        *errmsg = strdup(strerror(errno));
    if (st == CM_OK && !opts->lock_only && (st = load_states(ix)) != CM_OK &&
        errmsg && *errmsg == NULL)
        *errmsg = strdup(cm_index_errmsg(ix)[0] ? cm_index_errmsg(ix)
                                                : cm_status_str(st));
    if (st != CM_OK) {
        cm_index_close(ix);
        return st;
    }
    *out = ix;
    return CM_OK;
}

static cm_status learn_pending(shard *sh);

void
cm_index_close(cm_index *ix)
{
    size_t i;
    if (ix == NULL)
        return;
    for (i = 0; i < ix->n_sh; i++) {
        /* Closing commits what was written since the last commit (Xapian
         * does, cm_db_close()): what those files taught goes with them,
         * or it would be lost for good, as the files are not read again
         * while unchanged. */
        if (ix->sh[i].db != NULL && learn_pending(&ix->sh[i]) != CM_OK) {
            /* Suggestions only: the paragraphs are what must not be lost. */
        }
        cm_db_close(ix->sh[i].db);
        free(ix->sh[i].path);
        cm_strset_free(ix->sh[i].spelling);
        cm_strset_free(ix->sh[i].synonyms);
    }
    free(ix->sh);
    for (i = 0; i < ix->n_states; i++)
        state_clear(&ix->states[i]);
    free(ix->states);
    free(ix);
}

typedef struct learn_ctx {
    shard *sh;
    cm_status st;
} learn_ctx;

static int
add_spelling(void *vctx, const char *s, size_t len, unsigned count)
{
    learn_ctx *c = vctx;
    (void)len;
    c->st = cm_db_add_spelling(c->sh->db, s, count);
    return c->st != CM_OK;
}

static int
add_synonym(void *vctx, const char *s, size_t len, unsigned count)
{
    learn_ctx *c = vctx;
    char pair[2 * CM_DB_MAX_TERM + 2], *tab;
    (void)count;
    if (len >= sizeof pair)
        return 0;
    memcpy(pair, s, len + 1);
    tab = strchr(pair, '\t');
    if (tab == NULL)
        return 0;
    *tab = '\0';
    c->st = cm_db_add_synonym(c->sh->db, pair, tab + 1);
    return c->st != CM_OK;
}

typedef struct gather_ctx {
    cm_strset *to;
    cm_status st;
} gather_ctx;

static int
gather(void *vctx, const char *s, size_t len, unsigned count)
{
    gather_ctx *c = vctx;
    c->st = cm_strset_add_count(c->to, s, len, count);
    return c->st != CM_OK;
}

/* Add what the set from holds to the set *to (made when NULL). */
static cm_status
gather_into(cm_strset **to, const cm_strset *from)
{
    gather_ctx c = {NULL, CM_OK};
    cm_status st;
    if (from == NULL || cm_strset_size(from) == 0)
        return CM_OK;
    if (*to == NULL && (st = cm_strset_new(to)) != CM_OK)
        return st;
    c.to = *to;
    st = cm_strset_each(from, gather, &c);
    return st == CM_OK ? c.st : st;
}

/* What the searcher learns from a file: its words for spelling
 * suggestions, its acronym definitions as synonyms, the languages of its
 * words (Z:<word>, cm_schema.h).  They are gathered
 * over the files of a batch and given to Xapian at the commit
 * (learn_pending()): a word of a thousand files costs one add_spelling
 * (a lookup in the spelling table) instead of a thousand, which was a
 * fifth of the analysis's CPU.  Xapian merges both over the shards when
 * it reads them.  Neither is taken back when the file goes: a suggestion
 * is only offered when it finds more, and an acronym stays a fair
 * synonym. */
static cm_status
add_learnt(shard *sh, const cm_analysis *a)
{
    cm_status st = gather_into(&sh->spelling, a->words);
    if (st == CM_OK)
        st = gather_into(&sh->synonyms, a->synonyms);
    if (st != CM_OK)
        snprintf(sh->err, sizeof sh->err, "%s", cm_status_str(st));
    return st;
}

/* A string of a set, with its length and count. */
typedef struct entry {
    const char *s;
    size_t len;
    unsigned count;
} entry;

typedef struct list_ctx {
    entry *e;
    size_t n;
} list_ctx;

static int
list_one(void *vctx, const char *s, size_t len, unsigned count)
{
    list_ctx *c = vctx;
    c->e[c->n].s = s;
    c->e[c->n].len = len;
    c->e[c->n].count = count;
    c->n++;
    return 0;
}

static int
by_str(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->s, ((const entry *)b)->s);
}

/* fn(c, ...) for each string of set, in byte order: Xapian looks each up
 * in its table (a word in the spelling table, a key in the synonym
 * table), and in order those lookups walk its B-tree forwards instead of
 * all over it.  The synonym table also reads and writes a key's entry
 * when the key changes, so each key's pairs go together. */
static cm_status
each_sorted(const cm_strset *set, cm_strset_fn fn, learn_ctx *c)
{
    list_ctx l = {NULL, 0};
    size_t i;
    cm_status st;

    l.e = malloc((cm_strset_size(set) + 1) * sizeof *l.e);
    if (l.e == NULL)
        return CM_ENOMEM;
    st = cm_strset_each(set, list_one, &l);
    if (st == CM_OK)
        qsort(l.e, l.n, sizeof *l.e, by_str);
    for (i = 0; st == CM_OK && i < l.n; i++)
        if (fn(c, l.e[i].s, l.e[i].len, l.e[i].count) != 0)
            break;
    free(l.e);
    return st;
}

/* Give Xapian what the batch taught, to be committed with its files. */
static cm_status
learn_pending(shard *sh)
{
    learn_ctx c = {sh, CM_OK};
    cm_status st = CM_OK;
    if (sh->spelling != NULL)
        st = each_sorted(sh->spelling, add_spelling, &c);
    if (st == CM_OK && c.st == CM_OK && sh->synonyms != NULL)
        st = each_sorted(sh->synonyms, add_synonym, &c);
    if (st == CM_OK)
        st = c.st;
    cm_strset_free(sh->spelling);
    cm_strset_free(sh->synonyms);
    sh->spelling = sh->synonyms = NULL;
    return st;
}

/* The codes of the index's L terms, each counted its paragraphs. */
static int
add_code(void *vctx, const char *s, size_t len, unsigned count)
{
    cm_strset *codes = vctx;
    size_t pl = strlen(CM_PFX_LANG);

    return len > pl && count > 0 &&
           cm_strset_add_count(codes, s + pl, len - pl, count) != CM_OK;
}

static int
add_docid(void *vctx, unsigned docid)
{
    return cm_runs_add(vctx, docid) != CM_OK;
}

typedef struct runs_ctx {
    cm_db *db;
    cm_runs runs;
    cm_buf bytes;
    cm_status st;
} runs_ctx;

/* Stamp the runs of the paragraphs of language code (an L term of the
 * index), or remove them when they are too many to be worth reading. */
static int
stamp_code_runs(void *vctx, const char *code, size_t len, unsigned count)
{
    runs_ctx *c = vctx;
    char term[CM_DB_MAX_TERM + 1], key[64];
    size_t n = cm_schema_term(term, sizeof term, CM_PFX_LANG, code, len);
    unsigned long long ids;

    (void)count;
    if (!cm_schema_runs_key(key, code, len))
        return 0; /* not a code cmindex writes */
    cm_runs_clear(&c->runs);
    cm_buf_reset(&c->bytes);
    c->st = cm_db_postlist(c->db, term, n, add_docid, &c->runs);
    ids = cm_runs_count(&c->runs);
    if (c->st == CM_OK && ids >= 4 * (unsigned long long)c->runs.n)
        c->st = cm_runs_encode(&c->runs, &c->bytes);
    if (c->st == CM_OK && c->bytes.len > 0 &&
        c->bytes.len <= CM_LANG_RUNS_MAX)
        c->st = cm_db_set_stamped(c->db, key, c->bytes.data, c->bytes.len);
    else if (c->st == CM_OK)
        c->st = cm_db_set_metadata(c->db, key, NULL, 0);
    return c->st != CM_OK;
}

typedef struct gone_ctx {
    const cm_strset *codes;
    cm_strset *gone;
    cm_status st;
} gone_ctx;

/* A runs key of a language the index no longer has. */
static int
note_gone(void *vctx, const char *key, size_t len, unsigned count)
{
    gone_ctx *g = vctx;
    size_t pl = strlen(CM_META_LANG_RUNS);

    (void)count;
    if (len >= pl && cm_strset_count(g->codes, key + pl, len - pl) == 0)
        g->st = cm_strset_add(g->gone, key, len);
    return g->st != CM_OK;
}

typedef struct remove_ctx {
    cm_db *db;
    cm_status st;
} remove_ctx;

static int
remove_key(void *vctx, const char *key, size_t len, unsigned count)
{
    remove_ctx *r = vctx;

    (void)len;
    (void)count;
    r->st = cm_db_set_metadata(r->db, key, NULL, 0);
    return r->st != CM_OK;
}

/* Stamp the runs of every language of db (codes: its L terms', from
 * add_code()) (CM_META_LANG_RUNS), and remove those of languages it no
 * longer has. */
static cm_status
stamp_runs(cm_db *db, const cm_strset *codes)
{
    runs_ctx c = {db, CM_RUNS_INIT, CM_BUF_INIT(0), CM_OK};
    gone_ctx g = {codes, NULL, CM_OK};
    remove_ctx r = {db, CM_OK};
    cm_status st = cm_strset_new(&g.gone);

    if (st == CM_OK)
        st = cm_strset_each(codes, stamp_code_runs, &c);
    if (st == CM_OK)
        st = c.st;
    if (st == CM_OK)
        st = cm_db_metadata_keys(db, CM_META_LANG_RUNS, note_gone, &g);
    if (st == CM_OK)
        st = g.st;
    if (st == CM_OK)
        st = cm_strset_each(g.gone, remove_key, &r);
    if (st == CM_OK)
        st = r.st;
    cm_runs_free(&c.runs);
    cm_buf_free(&c.bytes);
    cm_strset_free(g.gone);
    return st;
}

cm_status
cm_index_stamp_langs(cm_db *db)
{
    cm_buf v = CM_BUF_INIT(0);
    cm_strset *codes = NULL; /* each L term's code, its frequency */
    const char *code;
    size_t i;
    cm_status st = cm_strset_new(&codes);

    if (st == CM_OK)
        st = cm_db_allterms(db, CM_PFX_LANG, add_code, codes);
    for (i = 0; st == CM_OK && (code = cm_tok_stem_lang(i)) != NULL; i++)
        cm_buf_addf(&st, &v, "%s%s=%u", i > 0 ? " " : "", code,
                    cm_strset_count(codes, code, strlen(code)));
    if (st == CM_OK)
        st = cm_db_set_stamped(db, CM_META_LANGS, v.data, v.len);
    cm_buf_free(&v);
    if (st == CM_OK)
        st = stamp_runs(db, codes);
    cm_strset_free(codes);
    return st;
}

/* Commit a shard's batch, with what the searcher learns from it and, when
 * the commit writes, the languages' paragraph counts. */
static cm_status
commit_shard(shard *sh)
{
    cm_status st = learn_pending(sh);
    if (st == CM_OK && cm_db_has_changes(sh->db))
        st = cm_index_stamp_langs(sh->db);
    if (st == CM_OK)
        st = cm_db_commit(sh->db);
    if (st != CM_OK)
        return sh_fail(sh, st);
    sh->pending_bytes = 0;
    return CM_OK;
}

typedef struct commit_job {
    shard *sh;
    cm_status st;
} commit_job;

static void *
commit_thread(void *v)
{
    commit_job *j = v;
    j->st = commit_shard(j->sh);
    return NULL;
}

/* Each shard is committed on a thread of its own when there are several:
 * a commit is where Xapian writes the batch's postings into its tables
 * (and cmindex its spelling data and words' languages), work that the
 * shards' writers did in parallel until then; one after the other on
 * the main thread, the last commit of a run over a quarter of the
 * treaties (one batch) was 7% of its CPU. */
cm_status
cm_index_commit(cm_index *ix)
{
    commit_job *jobs = NULL;
    pthread_t *tids = NULL;
    cm_status st = CM_OK;
    unsigned i, started = 0;

    if (ix->n_sh > 1) {
        jobs = calloc(ix->n_sh, sizeof *jobs);
        tids = calloc(ix->n_sh, sizeof *tids);
    }
    /* Every shard gets its chance even when one fails; one that gets no
     * thread (or a single database) is committed here. */
    for (i = 0; i < ix->n_sh; i++) {
        if (jobs != NULL && tids != NULL) {
            jobs[i].sh = &ix->sh[i];
            if (pthread_create(&tids[started], NULL, commit_thread,
                               &jobs[i]) == 0) {
                started++;
                continue;
            }
            jobs[i].sh = NULL;
        }
        {
            cm_status st2 = commit_shard(&ix->sh[i]);
            if (st2 != CM_OK && st == CM_OK)
                st = st2;
        }
    }
    for (i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    for (i = 0; jobs != NULL && i < ix->n_sh; i++)
        if (jobs[i].sh != NULL && jobs[i].st != CM_OK && st == CM_OK)
            st = jobs[i].st;
    free(jobs);
    free(tids);
    return st;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static cm_status
delete_file_paras(shard *sh, const char *file_key)
{
    char term[CM_DB_MAX_TERM + 1];
    size_t n = cm_schema_term(term, sizeof term, CM_PFX_FILE, file_key,
                              strlen(file_key));
    cm_status st = cm_db_delete_documents(sh->db, term, n);
    return st == CM_OK ? CM_OK : sh_fail(sh, st);
}

/* Replace the file's paragraphs with a's, and store its state, in one
 * transaction. */
static cm_status
write_paras(shard *sh, const cm_analysis *a)
{
    cm_status st;
    size_t i;

    st = cm_db_begin(sh->db, 0);
    if (st != CM_OK)
        return sh_fail(sh, st);
    if (a->known)
        st = delete_file_paras(sh, a->file_key);
    for (i = 0; i < a->n_xdocs && st == CM_OK; i++) {
        /* The old paragraphs are gone, so each one is new: adding skips
         * the lookup that replacing by id would cost. */
        st = cm_db_add_document(sh->db, a->xdocs[i], NULL);
        if (st != CM_OK)
            sh_fail(sh, st);
    }
    if (st == CM_OK)
        st = put_state(sh, a->file_key, &a->state);
    if (st == CM_OK) {
        st = cm_db_commit_transaction(sh->db);
        if (st != CM_OK)
            return sh_fail(sh, st);
        /* Only what was written teaches. */
        return add_learnt(sh, a);
    }
    if (cm_db_cancel_transaction(sh->db) != CM_OK) {
        /* The first error is the one to report; cancelling only discards
         * changes that were never committed. */
    }
    return st;
}

unsigned
cm_index_shard_of(const cm_index *ix, const cm_analysis *a)
{
    return shard_for(ix, a->file_key);
}

cm_status
cm_index_apply(cm_index *ix, const cm_analysis *a)
{
    size_t commit = ix->opts->commit_bytes ? ix->opts->commit_bytes
                                           : DEFAULT_COMMIT_BYTES;
    shard *sh = &ix->sh[shard_for(ix, a->file_key)];
    cm_status st = CM_OK;

    sh->err[0] = '\0';
    switch (a->outcome) {
    case CM_FILE_UNCHANGED:
        return CM_OK;
    case CM_FILE_REJECTED:
        if (a->remembered)
            return CM_OK;
        /* Remember the rejection with the file's new size and mtime, so it
         * is retried only when it changes; its old paragraphs stay. */
        st = put_state(sh, a->file_key, &a->state);
        break;
    case CM_FILE_TOUCHED:
        st = put_state(sh, a->file_key, &a->state);
        break;
    case CM_FILE_NEW:
    case CM_FILE_CHANGED:
        /* A batch starts: the rounds before it are none of its business. */
        if (sh->pending_bytes == 0)
            sh->round = atomic_load(&ix->round);
        st = write_paras(sh, a);
        sh->pending_bytes += a->bytes;
        break;
    }
    if (st == CM_OK && sh->pending_bytes >= commit) {
        /* With several shards, a round: every shard commits now, this one
         * here and the others on their own threads, instead of each
         * holding up the run alone when its batch fills (a commit is a
         * second or more in which the files of the other shards wait
         * too). */
        if (ix->n_sh > 1) {
            sh->round = atomic_fetch_add(&ix->round, 1) + 1;
            if (ix->on_round != NULL)
                ix->on_round(ix->on_round_ctx);
        }
        st = commit_shard(sh);
    } else if (st == CM_OK) {
        st = cm_index_catch_up(ix, (unsigned)(sh - ix->sh));
    }
    return st;
}

void
cm_index_on_round(cm_index *ix, void (*fn)(void *ctx), void *ctx)
{
    ix->on_round = fn;
    ix->on_round_ctx = ctx;
}

int
cm_index_behind(const cm_index *ix, unsigned i)
{
    return i < ix->n_sh && ix->sh[i].pending_bytes > 0 &&
           ix->sh[i].round != atomic_load(&ix->round);
}

cm_status
cm_index_catch_up(cm_index *ix, unsigned i)
{
    if (!cm_index_behind(ix, i))
        return CM_OK;
    ix->sh[i].round = atomic_load(&ix->round);
    return commit_shard(&ix->sh[i]);
}

/* ------------------------------------------------------------------ */
/* Files that are gone                                                 */

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

/* Delete the paragraphs and the state of the file with state fs. */
static cm_status
remove_file(cm_index *ix, const cm_file_state *fs)
{
    char key[CM_DB_MAX_TERM + 1];
    char *file_key = NULL;
    cm_status st = cm_schema_file_key(fs->path, &file_key);
    shard *sh;

    if (st != CM_OK)
        return st;
    sh = &ix->sh[shard_for(ix, file_key)];
    if ((st = cm_db_begin(sh->db, 0)) != CM_OK) {
        sh_fail(sh, st);
    } else {
        st = delete_file_paras(sh, file_key);
        if (st == CM_OK) {
            state_key(file_key, key, sizeof key);
            st = cm_db_set_metadata(sh->db, key, "", 0);
        }
        if (st == CM_OK)
            st = cm_db_commit_transaction(sh->db);
        if (st != CM_OK) {
            if (sh->err[0] == '\0')
                sh_fail(sh, st);
            if (cm_db_cancel_transaction(sh->db) != CM_OK) {
                /* Nothing more to do: the first error is what matters. */
            }
        }
    }
    free(file_key);
    return st;
}

/* ------------------------------------------------------------------ */
/* Files that moved                                                    */

int
cm_index_state_stale(const cm_file_state *fs)
{
    return !fs->rejected &&
           fs->reader < cm_doc_reader_since(cm_doc_format_of(fs->path));
}

const cm_file_state *
cm_index_find_gone(const cm_index *ix, const char *const *roots, size_t n,
                   const char *const *seen, size_t n_seen,
                   unsigned long long size, const char *hash)
{
    size_t i, r;
    for (i = 0; i < ix->n_states; i++) {
        const cm_file_state *fs = &ix->states[i];
        int under = 0;
        /* Not a stale one: that is read again. */
        if (fs->rejected || fs->moved || fs->size != size ||
            (hash != NULL && strcmp(fs->hash, hash) != 0) ||
            cm_index_state_stale(fs))
            continue;
        for (r = 0; r < n && !under; r++)
            under = roots[r] != NULL && under_root(fs->path, roots[r]);
        if (under && bsearch(&fs->path, seen, n_seen, sizeof *seen,
                             cmp_str) == NULL)
            return fs;
    }
    return NULL;
}

typedef struct docids {
    unsigned *v;
    size_t n, cap;
} docids;

static int
collect_docid(void *ctx, unsigned docid)
{
    docids *d = ctx;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        unsigned *v = realloc(d->v, cap * sizeof *v);
        if (v == NULL)
            return 1;
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = docid;
    return 0;
}

/* The id term that indexes before stop 10 gave each paragraph,
 * Q<file key>#<ordinal> (cm_schema.h), in term[CM_DB_MAX_TERM + 1]: its
 * length, or -1 when it does not fit.  Nothing looked paragraphs up by it
 * (a file's paragraphs go by its P term), and 688,389 unique terms cost
 * 2% of the indexing time and 4% of the index on the treaties, so no
 * paragraph gets one now; a moved paragraph loses its old one. */
static int
old_id_term(char *term, const char *file_key, unsigned ordinal)
{
    int len = snprintf(term, CM_DB_MAX_TERM + 1, "%s%s#%u", CM_PFX_ID,
                       file_key, ordinal);
    return len < 0 || len > CM_DB_MAX_TERM ? -1 : len;
}

/* Paragraph xd of the file old_key, rewritten as a paragraph of the file
 * to (key new_key): its file term, its collapse key and the path in its
 * data (and an id term of an older index dropped). */
static cm_status
rekey_para(cm_xdoc *xd, const char *old_key, const char *new_key,
           const char *to)
{
    char term[CM_DB_MAX_TERM + 1], *data = NULL;
    const char *d;
    size_t dlen;
    cm_data *o = NULL;
    cm_status st;
    int len;

    st = cm_xdoc_get_data(xd, &d, &dlen);
    if (st != CM_OK)
        return st;
    st = cm_data_parse(d, dlen, &o);
    if (st != CM_OK)
        return st == CM_ENOMEM ? st : CM_ECORRUPT; /* not cmindex's */
    len = old_id_term(term, old_key, o->para);
    st = len < 0 ? CM_OK : cm_xdoc_remove_term(xd, term, (size_t)len);
    if (st == CM_ENOTFOUND)
        st = CM_OK;
    if (st == CM_OK)
        st = cm_xdoc_remove_term(
            xd, term,
            cm_schema_term(term, sizeof term, CM_PFX_FILE, old_key,
                           strlen(old_key)));
    if (st == CM_OK)
        st = cm_xdoc_add_boolean_term(
            xd, term,
            cm_schema_term(term, sizeof term, CM_PFX_FILE, new_key,
                           strlen(new_key)));
    if (st == CM_OK)
        st = cm_xdoc_set_value(xd, CM_SLOT_FILE, new_key, strlen(new_key));
    if (st == CM_OK) {
        o->path = to;
        data = cm_data_make(o, &dlen);
        st = data ? cm_xdoc_set_data(xd, data, dlen) : CM_ENOMEM;
    }
    free(data);
    free(o);
    return st;
}

/* Copy the paragraphs (ids) of old_key from shard a to shard b as
 * paragraphs of the file to. */
static cm_status
copy_paras(shard *a, shard *b, const docids *ids, const char *old_key,
           const char *new_key, const char *to)
{
    cm_status st = CM_OK;
    size_t i;

    for (i = 0; i < ids->n && st == CM_OK; i++) {
        cm_xdoc *xd = NULL;
        st = cm_db_get_document(a->db, ids->v[i], &xd);
        if (st != CM_OK) {
            sh_fail(a, st);
            break;
        }
        st = rekey_para(xd, old_key, new_key, to);
        if (st != CM_OK)
            snprintf(b->err, sizeof b->err, "%s", cm_xdoc_errmsg(xd));
        else if ((st = cm_db_add_document(b->db, xd, NULL)) != CM_OK)
            sh_fail(b, st);
        cm_xdoc_free(xd);
    }
    return st;
}

/* Forget file_key in shard sh: its paragraphs and its state. */
static cm_status
drop_file(shard *sh, const char *file_key)
{
    char key[CM_DB_MAX_TERM + 1];
    cm_status st = delete_file_paras(sh, file_key);
    if (st == CM_OK) {
        state_key(file_key, key, sizeof key);
        st = cm_db_set_metadata(sh->db, key, "", 0);
        if (st != CM_OK)
            sh_fail(sh, st);
    }
    return st;
}

/* Add a loaded state for a file that was just moved in, keeping the array
 * sorted, so that the rest of the run sees it as indexed. */
static cm_status
insert_state(cm_index *ix, const cm_file_state *fs)
{
    cm_file_state *v = realloc(ix->states, (ix->n_states + 1) * sizeof *v);
    size_t at = 0;
    if (v == NULL)
        return CM_ENOMEM;
    ix->states = v;
    while (at < ix->n_states && strcmp(v[at].path, fs->path) < 0)
        at++;
    memmove(v + at + 1, v + at, (ix->n_states - at) * sizeof *v);
    v[at] = *fs;
    v[at].path = strdup(fs->path);
    v[at].reason = strdup("");
    ix->n_states++;
    return v[at].path && v[at].reason ? CM_OK : CM_ENOMEM;
}

cm_status
cm_index_move(cm_index *ix, const cm_file_state *from, const char *to,
              unsigned long long size, unsigned long long mtime_ns)
{
    char *old_key = NULL, *new_key = NULL, term[CM_DB_MAX_TERM + 1];
    docids ids = {NULL, 0, 0};
    cm_file_state fs = *from;
    shard *a, *b;
    cm_status st;

    st = cm_schema_file_key(from->path, &old_key);
    if (st == CM_OK)
        st = cm_schema_file_key(to, &new_key);
    if (st != CM_OK)
        goto out;
    a = &ix->sh[shard_for(ix, old_key)];
    b = &ix->sh[shard_for(ix, new_key)];
    st = cm_db_postlist(a->db, term,
                        cm_schema_term(term, sizeof term, CM_PFX_FILE,
                                       old_key, strlen(old_key)),
                        collect_docid, &ids);
    if (st != CM_OK) {
        sh_fail(a, st);
        goto out;
    }
    fs.path = to;
    fs.size = size;
    fs.mtime_ns = mtime_ns;
    /* The copy and the new state in one transaction; the old file goes in
     * a second one (the same when both live in one shard).  Killed between
     * the two, the next run finds the old path gone and removes it. */
    if ((st = cm_db_begin(b->db, 0)) != CM_OK) {
        sh_fail(b, st);
        goto out;
    }
    st = copy_paras(a, b, &ids, old_key, new_key, to);
    if (st == CM_OK)
        st = put_state(b, new_key, &fs);
    if (st == CM_OK && a == b)
        st = drop_file(a, old_key);
    if (st == CM_OK && (st = cm_db_commit_transaction(b->db)) != CM_OK)
        sh_fail(b, st);
    if (st != CM_OK) {
        if (cm_db_cancel_transaction(b->db) != CM_OK) {
            /* The first error is the one to report. */
        }
        goto out;
    }
    if (a != b)
        st = drop_file(a, old_key);
    if (st == CM_OK) {
        /* from is one of ours; mark it before insert_state() may move the
         * array it lives in. */
        ((cm_file_state *)from)->moved = 1;
        st = insert_state(ix, &fs);
    }
out:
    free(ids.v);
    free(old_key);
    free(new_key);
    return st;
}

cm_status
cm_index_remove_unseen(cm_index *ix, const char *const *roots, size_t n,
                       const char *const *seen, size_t n_seen, int dry_run,
                       void (*fn)(void *ctx, const char *path), void *ctx,
                       unsigned *removed)
{
    cm_status st = CM_OK;
    size_t i, r;

    *removed = 0;
    for (i = 0; i < ix->n_states && st == CM_OK; i++) {
        const cm_file_state *fs = &ix->states[i];
        int under = 0;
        for (r = 0; r < n && !under; r++)
            under = roots[r] != NULL && under_root(fs->path, roots[r]);
        if (!under || fs->moved ||
            bsearch(&fs->path, seen, n_seen, sizeof *seen, cmp_str) != NULL)
            continue;
        if (fn != NULL)
            fn(ctx, fs->path);
        if (!dry_run)
            st = remove_file(ix, fs);
        if (st == CM_OK)
            (*removed)++;
    }
    return st;
}
