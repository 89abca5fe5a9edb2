/* test_index.c: analysis outcomes, one transaction per file, remembered
 * states and rejections, removal of files that are gone, and the schema
 * check, against real temporary indexes. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cm_data.h"
#include "cm_db.h"
#include "cm_index.h"
#include "cm_runs.h"
#include "cm_schema.h"
#include "tap.h"

static char tmpdir[] = "/tmp/cmindex-test-XXXXXX";

/* A path in the temporary folder, malloc'd. */
static char *
tpath(const char *name)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *b = malloc(n);
    if (b == NULL)
        abort();
    snprintf(b, n, "%s/%s", tmpdir, name);
    return b;
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0)
        abort();
}

/* Analyze path for ix without applying it (NULL on failure). */
static cm_analysis *
analyze(cm_index *ix, const cm_index_opts *opts, cm_tok *tok,
        const char *path)
{
    struct stat sb;
    char *canon = realpath(path, NULL), *err = NULL;
    cm_analysis *a = NULL;

    if (canon == NULL || stat(canon, &sb) != 0 ||
        cm_index_analyze(opts, tok, canon, (unsigned long long)sb.st_size,
                         (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
                             (unsigned long long)sb.st_mtim.tv_nsec,
                         cm_index_state(ix, canon), &a, &err) != CM_OK) {
        diag("analyze %s: %s", path, err ? err : "?");
        cm_analysis_free(a);
        a = NULL;
    }
    free(err);
    free(canon);
    return a;
}

/* Analyze path against what ix knows, apply it, return the outcome. */
static cm_file_outcome
index_one(cm_index *ix, const cm_index_opts *opts, cm_tok *tok,
          const char *path, unsigned *nparas, char *reason, size_t cap)
{
    cm_analysis *a = analyze(ix, opts, tok, path);
    cm_file_outcome out = CM_FILE_REJECTED;

    if (a == NULL)
        ok(0, "analyze %s", path);
    else if (cm_index_apply(ix, a) != CM_OK)
        ok(0, "apply %s: %s", path, cm_index_errmsg(ix));
    if (a) {
        out = cm_analysis_outcome(a);
        *nparas = cm_analysis_nparas(a);
        snprintf(reason, cap, "%s", cm_analysis_reason(a));
    }
    cm_analysis_free(a);
    return out;
}

/* Open the index at dbp, index the file path, commit and close: the
 * file's outcome (CM_FILE_REJECTED when the index did not open). */
static cm_file_outcome
index_file(const char *dbp, const cm_index_opts *opts, cm_tok *tok,
           const char *path)
{
    cm_index *ix = NULL;
    char *err = NULL, reason[256];
    unsigned n = 0;
    cm_file_outcome out = CM_FILE_REJECTED;

    if (is_int(cm_index_open(dbp, opts, &ix, &err), CM_OK, "reopen")) {
        out = index_one(ix, opts, tok, path, &n, reason, sizeof reason);
        is_int(cm_index_commit(ix), CM_OK, "commit");
        cm_index_close(ix);
    }
    free(err);
    return out;
}

static int
collect_syn(void *ctx, const char *s, size_t len, unsigned count)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    (void)count;
    if (n + len + 2 < 256) {
        memcpy(buf + n, s, len);
        buf[n + len] = '|';
        buf[n + len + 1] = '\0';
    }
    return 0;
}

static int
first_docid(void *ctx, unsigned docid)
{
    *(unsigned *)ctx = docid;
    return 1;
}

/* The wdf of each of a paragraph's terms, as "term=wdf " in order. */
static int
collect_wdf(void *ctx, const char *s, size_t len, unsigned wdf)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    if (wdf > 0)
        snprintf(buf + n, 512 - n, "%.*s=%u ", (int)len, s, wdf);
    return 0;
}

/* Every term of a paragraph, as " term" in order, then " ". */
static int
collect_all(void *ctx, const char *s, size_t len, unsigned wdf)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    (void)wdf;
    snprintf(buf + n, 2048 - n, "%s%.*s ", n == 0 ? " " : "", (int)len, s);
    return 0;
}

/* The first paragraph holding the term word, in *xd (freed by the
 * caller, NULL on failure); 0 on success. */
static int
para_of(cm_db *db, const char *word, cm_xdoc **xd)
{
    unsigned id = 0;

    *xd = NULL;
    return cm_db_postlist(db, word, strlen(word), first_docid, &id) !=
               CM_OK ||
           id == 0 || cm_db_get_document(db, id, xd) != CM_OK;
}

/* The wdfs of the first paragraph holding the term word, as collect_wdf()
 * writes them into got[512]; 0 on success. */
static int
wdfs_of(cm_db *db, const char *word, char *got)
{
    cm_xdoc *xd = NULL;
    int bad;

    got[0] = '\0';
    bad = para_of(db, word, &xd) != 0 ||
          cm_xdoc_terms(xd, collect_wdf, got) != CM_OK;
    cm_xdoc_free(xd);
    return bad;
}

/* A paragraph's id and file terms (Q..., P...), as "term " in order. */
static int
collect_ids(void *ctx, const char *s, size_t len, unsigned wdf)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    (void)wdf;
    if (len > 0 && (s[0] == 'Q' || s[0] == 'P'))
        snprintf(buf + n, 1024 - n, "%.*s ", (int)len, s);
    return 0;
}

static unsigned
docs(const char *dbpath)
{
    cm_db *db = NULL;
    unsigned n = 0;
    if (cm_db_open(dbpath, &db, NULL) != CM_OK ||
        cm_db_doc_count(db, &n) != CM_OK)
        n = ~0u;
    cm_db_close(db);
    return n;
}

/* Whether the languages' paragraph counts stamped on the index at dbpath
 * (CM_META_LANGS) are there for its revision and equal its L terms'
 * frequencies, for every stemmer language. */
static int
langs_stamped(const char *dbpath)
{
    cm_db *db = NULL;
    char *v = NULL, want[64], term[16];
    const char *code;
    size_t n = 0, i;
    unsigned f;
    int good = 0;

    if (cm_db_open(dbpath, &db, NULL) == CM_OK &&
        cm_db_get_stamped(db, CM_META_LANGS, &v, &n) == CM_OK && v) {
        good = 1;
        for (i = 0; good && (code = cm_tok_stem_lang(i)) != NULL; i++) {
            snprintf(term, sizeof term, "%s%s", CM_PFX_LANG, code);
            good = cm_db_term_freq(db, term, strlen(term), &f) == CM_OK;
            snprintf(want, sizeof want, "%s=%u", code, f);
            /* Each "code=count" is a whole item of the list. */
            {
                const char *at = strstr(v, want);
                size_t wl = strlen(want);
                good = good && at != NULL && (at == v || at[-1] == ' ') &&
                       (at[wl] == ' ' || at[wl] == '\0');
            }
            if (!good)
                diag("%s not in the stamp '%s'", want, v);
        }
    }
    free(v);
    cm_db_close(db);
    return good;
}

static int
runs_add(void *ctx, unsigned docid)
{
    return cm_runs_add(ctx, docid) != CM_OK;
}

typedef struct runs_check {
    cm_db *db;
    int good;
    unsigned keys; /* runs stamped */
} runs_check;

/* One L term: its runs stamped (CM_META_LANG_RUNS) and equal to its
 * postings when they are four paragraphs long on average, else none. */
static int
check_code_runs(void *vctx, const char *t, size_t len, unsigned count)
{
    runs_check *c = vctx;
    cm_runs want = CM_RUNS_INIT, got = CM_RUNS_INIT;
    char key[64], *v = NULL;
    size_t n = 0, i;
    int same;

    (void)count;
    snprintf(key, sizeof key, "%s%.*s", CM_META_LANG_RUNS, (int)len - 1,
             t + 1);
    if (cm_db_postlist(c->db, t, len, runs_add, &want) != CM_OK ||
        cm_db_get_stamped(c->db, key, &v, &n) != CM_OK) {
        c->good = 0;
    } else if (cm_runs_count(&want) < 4 * want.n) {
        free(v);
        v = NULL;
        if (cm_db_get_metadata(c->db, key, &v, &n) != CM_OK || n > 0) {
            diag("%s: %zu runs of %llu paragraphs stamped", key, want.n,
                 cm_runs_count(&want));
            c->good = 0;
        }
    } else {
        same = v != NULL && cm_runs_decode(v, n, &got) == CM_OK &&
               got.n == want.n;
        for (i = 0; same && i < got.n; i++)
            same = got.first[i] == want.first[i] &&
                   got.last[i] == want.last[i];
        if (!same)
            diag("%s: not the %zu runs of the L term", key, want.n);
        c->good = c->good && same;
        c->keys++;
    }
    free(v);
    cm_runs_free(&want);
    cm_runs_free(&got);
    return 0;
}

/* A runs key of no L term. */
static int
check_key_term(void *vctx, const char *key, size_t len, unsigned count)
{
    runs_check *c = vctx;
    char term[64];
    unsigned f = 0;
    size_t pl = strlen(CM_META_LANG_RUNS);

    (void)count;
    snprintf(term, sizeof term, "%s%.*s", CM_PFX_LANG, (int)(len - pl),
             key + pl);
    if (cm_db_term_freq(c->db, term, strlen(term), &f) != CM_OK || f == 0) {
        diag("%.*s stays, without its term", (int)len, key);
        c->good = 0;
    }
    return 0;
}

/* Whether the runs of the languages' paragraphs stamped on the index at
 * dbpath are those of its L terms, for its revision; *keys: how many are
 * stamped. */
static int
runs_stamped(const char *dbpath, unsigned *keys)
{
    runs_check c = {NULL, 1, 0};

    if (cm_db_open(dbpath, &c.db, NULL) != CM_OK ||
        cm_db_allterms(c.db, CM_PFX_LANG, check_code_runs, &c) != CM_OK ||
        cm_db_metadata_keys(c.db, CM_META_LANG_RUNS, check_key_term, &c) !=
            CM_OK)
        c.good = 0;
    cm_db_close(c.db);
    *keys = c.keys;
    return c.good;
}

/* Add a document of language code (its L term) to w. */
static int
add_lang_doc(cm_db *w, const char *code)
{
    char term[16];
    cm_xdoc *doc = NULL;
    int bad;

    snprintf(term, sizeof term, "%s%s", CM_PFX_LANG, code);
    bad = cm_xdoc_new(&doc) != CM_OK ||
          cm_xdoc_add_boolean_term(doc, term, strlen(term)) != CM_OK ||
          cm_db_add_document(w, doc, NULL) != CM_OK;
    cm_xdoc_free(doc);
    return bad;
}

/* cm_index_stamp_langs() stamps the runs of each language's paragraphs:
 * those long enough to be worth reading, and removes those of a
 * language that is gone. */
static void
test_stamp_runs(void)
{
    char *p = tpath("runs");
    cm_db *w = NULL;
    unsigned keys = 0, i;
    int bad;

    bad = cm_db_open_writable(p, CM_DB_CREATE, &w, NULL) != CM_OK;
    /* en: 1-8 and 13-20; fr: 9-12; xx and yy by turns after. */
    for (i = 1; !bad && i <= 20; i++)
        bad = add_lang_doc(w, i >= 9 && i <= 12 ? "fr" : "en");
    for (i = 21; !bad && i <= 40; i++)
        bad = add_lang_doc(w, i % 2 ? "xx" : "yy");
    bad = bad || cm_index_stamp_langs(w) != CM_OK || cm_db_commit(w) != CM_OK;
    ok(!bad, "an index of en, fr, xx and yy paragraphs, stamped");
    ok(runs_stamped(p, &keys), "the runs are the L terms'");
    is_int(keys, 2, "en's and fr's: xx and yy are a run per paragraph");
    {
        char term[] = CM_PFX_LANG "fr";
        bad = cm_db_delete_documents(w, term, strlen(term)) != CM_OK ||
              add_lang_doc(w, "de") != 0 ||
              cm_index_stamp_langs(w) != CM_OK || cm_db_commit(w) != CM_OK;
    }
    ok(!bad, "fr's paragraphs deleted, one de paragraph added");
    ok(runs_stamped(p, &keys), "the runs are the L terms', fr's gone");
    is_int(keys, 1, "en's alone: de's one paragraph is one run");
    cm_db_close(w);
    free(p);
}

static void
count_round(void *ctx)
{
    (*(unsigned *)ctx)++;
}

/* The paragraphs committed in shard i of the index at dbp. */
static unsigned
shard_docs(const char *dbp, unsigned i)
{
    char path[512];

    snprintf(path, sizeof path, "%s/shard%u", dbp, i);
    return docs(path);
}

/* With several shards, batches are committed in rounds: the shard whose
 * batch fills starts one, and every shard that has written since its last
 * commit commits in it, either at the end of its next apply or when its
 * writer catches up. */
static void
test_rounds(cm_tok *tok)
{
    cm_index_opts o = {.create = 1, .lang = "en", .shards = 2,
                       .keep_shards = 1, .commit_bytes = (size_t)1 << 30};
    char *dbp = tpath("rounds"), name[32];
    cm_analysis *by[2][3] = {{NULL}};
    unsigned have[2] = {0, 0}, rounds = 0, k, x, y;
    cm_index *ix = NULL;
    char *err = NULL;

    if (!is_int(cm_index_open(dbp, &o, &ix, &err), CM_OK,
                "a new index of two shards")) {
        diag("%s", err ? err : "?");
        free(err);
        free(dbp);
        return;
    }
    cm_index_on_round(ix, count_round, &rounds);
    /* Three files for each shard (a file's shard is its path's hash). */
    for (k = 0; k < 64 && (have[0] < 3 || have[1] < 3); k++) {
        char *path, text[64];
        cm_analysis *a;
        snprintf(name, sizeof name, "round%u.md", k);
        snprintf(text, sizeof text, "1. Paragraph %u on fisheries.\n", k);
        path = tpath(name);
        write_file(path, text);
        a = analyze(ix, &o, tok, path);
        free(path);
        if (a == NULL)
            break;
        x = cm_index_shard_of(ix, a);
        if (have[x] < 3)
            by[x][have[x]++] = a;
        else
            cm_analysis_free(a);
    }
    if (ok(have[0] == 3 && have[1] == 3, "three files for each shard")) {
        x = cm_index_shard_of(ix, by[0][0]);
        y = 1 - x;
        is_int(cm_index_apply(ix, by[y][0]), CM_OK, "a file for one shard");
        ok(!cm_index_behind(ix, y), "no round yet: its shard is not behind");
        is_int(shard_docs(dbp, y), 0, "nor committed");

        o.commit_bytes = 1;
        is_int(cm_index_apply(ix, by[x][0]), CM_OK,
               "a file that fills the other shard's batch");
        is_int(rounds, 1, "starts a round, and says so");
        is_int(shard_docs(dbp, x), 1, "its shard is committed");
        ok(cm_index_behind(ix, y), "the first shard is behind");
        is_int(shard_docs(dbp, y), 0, "and not committed yet");
        is_int(cm_index_catch_up(ix, y), CM_OK, "it catches up");
        ok(!cm_index_behind(ix, y), "and is no longer behind");
        is_int(shard_docs(dbp, y), 1, "its file committed in the round");
        is_int(cm_index_catch_up(ix, y), CM_OK,
               "catching up again does nothing");

        is_int(cm_index_apply(ix, by[x][1]), CM_OK, "another full batch");
        is_int(rounds, 2, "a second round");
        ok(!cm_index_behind(ix, y),
           "a shard that wrote nothing since its commit is not behind");

        o.commit_bytes = (size_t)1 << 30;
        is_int(cm_index_apply(ix, by[y][1]), CM_OK, "a file for the first");
        o.commit_bytes = 1;
        is_int(cm_index_apply(ix, by[x][2]), CM_OK, "a third round");
        ok(cm_index_behind(ix, y), "the first shard is behind again");
        o.commit_bytes = (size_t)1 << 30;
        is_int(cm_index_apply(ix, by[y][2]), CM_OK,
               "its next file, with room in its batch");
        ok(!cm_index_behind(ix, y), "commits at the end of that apply");
        is_int(shard_docs(dbp, y), 3, "its three files committed");
        is_int(shard_docs(dbp, x), 3, "and the other shard's three");
        is_int(rounds, 3, "no round of its own");
    }
    for (k = 0; k < 3; k++) {
        cm_analysis_free(by[0][k]);
        cm_analysis_free(by[1][k]);
    }
    is_int(cm_index_commit(ix), CM_OK, "commit");
    cm_index_close(ix);
    free(dbp);
}

/* The pages of path in the page cache, -1 when that cannot be told. */
static long
resident_pages(const char *path)
{
    struct stat sb;
    long page = sysconf(_SC_PAGESIZE), n = -1, i, pages;
    int fd = open(path, O_RDONLY);
    unsigned char *vec = NULL;
    void *map = MAP_FAILED;

    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0 && page > 0) {
        pages = (long)((sb.st_size + page - 1) / page);
        map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
        vec = malloc((size_t)pages);
        if (map != MAP_FAILED && vec != NULL &&
            mincore(map, (size_t)sb.st_size, vec) == 0)
            for (n = 0, i = 0; i < pages; i++)
                n += vec[i] & 1;
        if (map != MAP_FAILED)
            munmap(map, (size_t)sb.st_size);
    }
    free(vec);
    if (fd >= 0)
        close(fd);
    return n;
}

/* Read path whole, so that its pages are cached. */
static void
read_all(const char *path)
{
    char buf[8192];
    int fd = open(path, O_RDONLY);
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
        ;
    if (fd >= 0)
        close(fd);
}

/* cm_index_drop_cached() drops one table of every shard from the page
 * cache (the shards of test_rounds(), committed and synced), and no
 * other table. */
static void
test_drop_cached(void)
{
    char *dbp = tpath("rounds"), *doc0 = tpath("rounds/shard0/docdata.glass");
    char *doc1 = tpath("rounds/shard1/docdata.glass");
    char *post0 = tpath("rounds/shard0/postlist.glass");
    struct statfs fs;

    read_all(doc0);
    read_all(doc1);
    read_all(post0);
    if (statfs(tmpdir, &fs) != 0 || fs.f_type == TMPFS_MAGIC ||
        fs.f_type == RAMFS_MAGIC) {
        /* There the pages are the files: never dropped. */
        diag("%s is in memory: page cache test skipped", tmpdir);
    } else if (resident_pages(doc0) <= 0 || resident_pages(doc1) <= 0) {
        diag("the page cache cannot be read here: page cache test skipped");
    } else {
        cm_index_drop_cached(dbp, "docdata");
        is_int(resident_pages(doc0), 0, "a merged table's pages dropped");
        is_int(resident_pages(doc1), 0, "in every shard");
        /* A table or an index that is not there: nothing dropped. */
        cm_index_drop_cached(dbp, "nosuchtable");
        cm_index_drop_cached(tmpdir, "postlist");
        ok(resident_pages(post0) > 0, "the other tables' kept");
    }
    free(post0);
    free(doc1);
    free(doc0);
    free(dbp);
}

int
main(void)
{
    cm_index_opts opts = {.create = 1, .lang = "en"};
    cm_index_opts ro = {.read_only = 1};
    cm_index *ix = NULL;
    cm_tok *tok = NULL;
    cm_db *db = NULL;
    char *err = NULL, reason[256];
    char *dbp, *a, *b, *bad;
    const char *roots[1], *seen[1];
    unsigned n = 0, removed = 0;

    if (mkdtemp(tmpdir) == NULL || cm_tok_new(&tok, NULL) != CM_OK)
        skip_all("no temporary folder or analyzer");
    dbp = tpath("db");
    a = tpath("a.md");
    write_file(a, "## Title\n\n1. First paragraph.\n2. Second paragraph.\n");
    b = tpath("b.txt");
    write_file(b, "Plain text.\n\nAnother one.\n");
    bad = tpath("bad.md");
    write_file(bad, "bad \xff byte\n");

    is_int(cm_index_open(dbp, &opts, &ix, &err), CM_OK, "a new index");
    is_int(index_one(ix, &opts, tok, a, &n, reason, sizeof reason),
           CM_FILE_NEW, "a new file");
    is_int(n, 3, "its paragraphs (a heading is one)");
    is_int(index_one(ix, &opts, tok, b, &n, reason, sizeof reason),
           CM_FILE_NEW, "a text file");
    is_int(index_one(ix, &opts, tok, bad, &n, reason, sizeof reason),
           CM_FILE_REJECTED, "invalid UTF-8 is rejected");
    ok(strstr(reason, "UTF-8") != NULL, "with the reason: %s", reason);
    is_int(cm_index_commit(ix), CM_OK, "commit");
    cm_index_close(ix);
    is_int(docs(dbp), 5, "five paragraphs in the index");
    ok(langs_stamped(dbp), "the languages' paragraph counts are stamped");
    ok(runs_stamped(dbp, &n), "the runs of the languages' paragraphs");
    ok(n >= 1, "  stamped (%u)", n);

    /* A second opening knows every file, the rejected one included. */
    ix = NULL;
    is_int(cm_index_open(dbp, &opts, &ix, &err), CM_OK, "reopen");
    {
        char *canon = realpath(bad, NULL);
        const cm_file_state *fs = cm_index_state(ix, canon);
        ok(fs != NULL && fs->rejected && strstr(fs->reason, "UTF-8"),
           "the rejection is remembered with its reason");
        free(canon);
    }
    is_int(index_one(ix, &opts, tok, a, &n, reason, sizeof reason),
           CM_FILE_UNCHANGED, "an unchanged file");
    is_int(index_one(ix, &opts, tok, bad, &n, reason, sizeof reason),
           CM_FILE_REJECTED, "an unchanged bad file is still rejected");
    {
        struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
        ok(utimensat(AT_FDCWD, a, ts, 0) == 0, "touch a.md");
    }
    is_int(index_one(ix, &opts, tok, a, &n, reason, sizeof reason),
           CM_FILE_TOUCHED, "a touched file is not re-indexed");
    write_file(a, "1. Only one paragraph now.\n");
    is_int(index_one(ix, &opts, tok, a, &n, reason, sizeof reason),
           CM_FILE_CHANGED, "a changed file");
    is_int(n, 1, "with its new paragraph count");
    write_file(bad, "now good\n");
    is_int(index_one(ix, &opts, tok, bad, &n, reason, sizeof reason),
           CM_FILE_NEW, "a fixed file is indexed");
    is_int(cm_index_commit(ix), CM_OK, "commit");
    is_int(docs(dbp), 4, "1 + 2 + 1 paragraphs");

    /* b.txt is gone from the folder. */
    roots[0] = realpath(tmpdir, NULL);
    seen[0] = realpath(a, NULL);
    is_int(cm_index_remove_unseen(ix, roots, 1, seen, 1, 1, NULL, NULL,
                                  &removed),
           CM_OK, "dry run of removals");
    is_int(removed, 2, "b.txt and bad.md would go");
    is_int(docs(dbp), 4, "a dry run removes nothing");
    is_int(cm_index_remove_unseen(ix, roots, 1, seen, 1, 0, NULL, NULL,
                                  &removed),
           CM_OK, "removals");
    is_int(cm_index_commit(ix), CM_OK, "commit");
    is_int(docs(dbp), 1, "only a.md's paragraph is left");
    ok(langs_stamped(dbp), "stamped again after the removals");
    ok(runs_stamped(dbp, &n), "the runs too");
    {
        unsigned long long r1 = 0, r2 = 1;
        cm_db *rd = NULL;
        if (cm_db_open(dbp, &rd, NULL) != CM_OK ||
            cm_db_revision(rd, &r1) != CM_OK)
            r1 = 0;
        cm_db_close(rd);
        is_int(cm_index_commit(ix), CM_OK, "commit with nothing to write");
        rd = NULL;
        if (cm_db_open(dbp, &rd, NULL) != CM_OK ||
            cm_db_revision(rd, &r2) != CM_OK)
            r2 = 1;
        cm_db_close(rd);
        ok(r1 == r2, "nothing to write: no new revision, no stamp (%llu, %llu)",
           r1, r2);
    }
    free((char *)roots[0]);
    free((char *)seen[0]);

    /* One writer at a time. */
    {
        cm_index *second = NULL;
        is_int(cm_index_open(dbp, &opts, &second, &err), CM_ELOCKED,
               "a second writer is refused");
        ok(second == NULL, "and gets no index");
        free(err);
        err = NULL;
    }
    cm_index_close(ix);

    /* Read-only (--dry-run): the states load, nothing can be written. */
    ix = NULL;
    is_int(cm_index_open(dbp, &ro, &ix, &err), CM_OK, "read-only open");
    {
        char *canon = realpath(a, NULL);
        ok(ix && canon && cm_index_state(ix, canon) != NULL,
           "states load read-only");
        free(canon);
    }
    cm_index_close(ix);
    ix = NULL;
    {
        char *none = tpath("none");
        is_int(cm_index_open(none, &ro, &ix, &err), CM_ENOTFOUND,
               "read-only open of a missing index");
        free(none);
    }
    free(err);
    err = NULL;

    /* What the searcher learns: acronyms both ways, words for spelling. */
    {
        char *c = tpath("acr.md");
        struct strs { char buf[256]; } got = {""};
        char *sugg = NULL;
        write_file(c, "1. The International Organization for Migration "
                      "(IOM) helps migrants.\n");
        is_int(index_file(dbp, &opts, tok, c), CM_FILE_NEW,
               "a file defining an acronym");
        ok(cm_db_open(dbp, &db, NULL) == CM_OK, "open to read");
        is_int(cm_db_synonyms(db, "iom", collect_syn, got.buf), CM_OK,
               "synonyms of the acronym");
        is_str(got.buf, "international organization for migration|",
               "the acronym means its expansion");
        got.buf[0] = '\0';
        is_int(cm_db_synonyms(db, "international organization for migration",
                              collect_syn, got.buf),
               CM_OK, "synonyms of the expansion");
        is_str(got.buf, "iom|", "and the expansion the acronym");
        is_int(cm_db_spelling_suggest(db, "migrents", 2, &sugg), CM_OK,
               "spelling suggestion");
        is_str(sugg, "migrants", "from the indexed words");
        free(sugg);
        cm_db_close(db);
        db = NULL;
        free(c);
    }

    /* The spelling words of a batch are given to Xapian at its commit,
     * or when the index is closed without one (closing commits the
     * paragraphs, so their words must go with them). */
    {
        char *e = tpath("e.md"), *f = tpath("f.md"), *sugg = NULL;
        ix = NULL;
        write_file(e, "1. Seafarers are protected.\n");
        write_file(f, "1. Fisheries are regulated.\n");
        if (is_int(cm_index_open(dbp, &opts, &ix, &err), CM_OK, "reopen")) {
            is_int(index_one(ix, &opts, tok, e, &n, reason, sizeof reason),
                   CM_FILE_NEW, "a first file of a batch");
            is_int(index_one(ix, &opts, tok, f, &n, reason, sizeof reason),
                   CM_FILE_NEW, "a second one");
            cm_index_close(ix);
        }
        ix = NULL;
        ok(cm_db_open(dbp, &db, NULL) == CM_OK, "open to read");
        is_int(cm_db_spelling_suggest(db, "seafarars", 2, &sugg), CM_OK,
               "spelling suggestion");
        is_str(sugg, "seafarers", "a word of the first file, closed uncommitted");
        free(sugg);
        sugg = NULL;
        is_int(cm_db_spelling_suggest(db, "fisherias", 2, &sugg), CM_OK,
               "spelling suggestion");
        is_str(sugg, "fisheries", "a word of the second file");
        free(sugg);
        cm_db_close(db);
        db = NULL;
        free(e);
        free(f);
    }

    /* The wdfs are normalised for the paragraph's length (cm_schema.h):
     * three words, one of them twice. */
    {
        char *d = tpath("d.md");
        char got[512] = "", want[512];
        write_file(d, "## Fishing vessels\n\nMigrants help migrants.\n");
        is_int(index_file(dbp, &opts, tok, d), CM_FILE_NEW,
               "a paragraph with a repeated word");
        ok(cm_db_open(dbp, &db, NULL) == CM_OK &&
               wdfs_of(db, "help", got) == 0,
           "its terms read back");
        snprintf(want, sizeof want, "Zen:migrant=%u help=%u migrants=%u ",
                 cm_schema_wdf(2, 3, 1), cm_schema_wdf(1, 3, 1),
                 cm_schema_wdf(2, 3, 1));
        is_str(got, want,
               "words and stems: wdf from count and length; no stem term "
               "for 'help', its own stem");
        ok(wdfs_of(db, "vessels", got) == 0, "the heading's terms read back");
        snprintf(want, sizeof want, "Zen:fish=%u Zen:vessel=%u fishing=%u "
                 "vessels=%u ", cm_schema_wdf(1, 2, CM_WDF_HEADING),
                 cm_schema_wdf(1, 2, CM_WDF_HEADING),
                 cm_schema_wdf(1, 2, CM_WDF_HEADING),
                 cm_schema_wdf(1, 2, CM_WDF_HEADING));
        is_str(got, want, "a heading's wdfs count CM_WDF_HEADING times");
        cm_db_close(db);
        db = NULL;
        free(d);
    }

    /* A word that is its own stem has no stem term (cm_schema.h); the
     * synonym table says which languages' paragraphs hold each word
     * (Z:<word>).  An accented word whose folded term stems to itself
     * while the word does not (Spanish "cooperación" stems to "cooper",
     * "cooperacion" to itself) gets its stem term and marks its paragraph
     * Z!<term>, unless a word there is that term as its own stem. */
    {
        char *s1 = tpath("es1.md"), *s2 = tpath("es2.md");
        char got[2048] = "";
        char langs[256] = "";
        cm_xdoc *xd = NULL;
        /* Long enough to be told from Asturian. */
        write_file(s1, "La cooperación internacional entre los Estados "
                       "miembros del Consejo de Europa es necesaria para "
                       "proteger los derechos humanos de todas las personas "
                       "que viven en su territorio, y también para "
                       "garantizar que las instituciones democráticas "
                       "funcionen correctamente.\n");
        write_file(s2, "Los Estados miembros del Consejo de Europa promueven "
                       "la cooperacion, escrita sin acento, y también la "
                       "cooperación escrita con acento, en todas las "
                       "regiones del continente y en las instituciones que "
                       "están a su cargo.\n");
        is_int(index_file(dbp, &opts, tok, s1), CM_FILE_NEW,
               "a Spanish paragraph");
        is_int(index_file(dbp, &opts, tok, s2), CM_FILE_NEW, "another");
        ok(cm_db_open(dbp, &db, NULL) == CM_OK &&
               para_of(db, "necesaria", &xd) == 0 &&
               cm_xdoc_terms(xd, collect_all, got) == CM_OK,
           "the first one's terms read back");
        ok(strstr(got, " Zes:cooper ") != NULL &&
               strstr(got, " Z!cooperacion ") != NULL,
           "cooperación: its stem term and the mark: %s", got);
        ok(strstr(got, " entre ") != NULL && strstr(got, "Zes:entre") == NULL,
           "entre, its own stem: no stem term");
        cm_xdoc_free(xd);
        xd = NULL;
        got[0] = '\0';
        ok(para_of(db, "acento", &xd) == 0 &&
               cm_xdoc_terms(xd, collect_all, got) == CM_OK,
           "the second one's terms read back");
        ok(strstr(got, " Zes:cooper ") != NULL &&
               strstr(got, "Z!cooperacion") == NULL,
           "cooperacion there is its own stem: no mark: %s", got);
        cm_xdoc_free(xd);
        ok(cm_db_synonyms(db, "Z:cooperacion", collect_syn, langs) ==
                   CM_OK &&
               strcmp(langs, "es|") == 0,
           "the word's languages: %s", langs);
        cm_db_close(db);
        db = NULL;
        free(s1);
        free(s2);
    }

    /* Indexes before stop 10 gave each paragraph an id term,
     * Q<file key>#<ordinal>: none is written now, and a move drops an
     * old one with the old path in it. */
    {
        char *g = tpath("g.md"), *h = tpath("h.md"), *cg, *ch, *key = NULL;
        char term[CM_DB_MAX_TERM + 1], pterm[CM_DB_MAX_TERM + 1];
        char got[1024] = "", want[1024];
        const char *data = NULL;
        size_t dlen = 0, plen;
        int tlen;
        cm_xdoc *xd = NULL;
        struct stat sb;
        write_file(g, "1. Lighthouses guide seafarers home.\n");
        is_int(index_file(dbp, &opts, tok, g), CM_FILE_NEW, "a file to move");
        cg = realpath(g, NULL);
        ok(cg != NULL && cm_schema_file_key(cg, &key) == CM_OK &&
               cm_db_open_writable(dbp, 0, &db, NULL) == CM_OK &&
               para_of(db, "lighthouses", &xd) == 0 &&
               cm_xdoc_terms(xd, collect_ids, got) == CM_OK &&
               cm_xdoc_get_data(xd, &data, &dlen) == CM_OK,
           "its paragraph read back");
        plen = cm_schema_term(pterm, sizeof pterm, CM_PFX_FILE, key,
                              strlen(key));
        snprintf(want, sizeof want, "%s ", pterm);
        is_str(got, want, "a new paragraph has its file term, no id term");
        {
            cm_data *o = NULL;
            tlen = snprintf(term, sizeof term, "%s%s#%u", CM_PFX_ID, key,
                            data && cm_data_parse(data, dlen, &o) == CM_OK
                                ? o->para
                                : 0u);
            free(o);
        }
        ok(xd != NULL &&
               cm_xdoc_add_boolean_term(xd, term, (size_t)tlen) == CM_OK &&
               cm_db_replace_document(db, pterm, plen, xd, NULL) == CM_OK &&
               cm_db_commit(db) == CM_OK,
           "given an id term, as an older cmindex wrote it");
        cm_xdoc_free(xd);
        xd = NULL;
        cm_db_close(db);
        db = NULL;
        ix = NULL;
        ok(rename(g, h) == 0 && stat(h, &sb) == 0 &&
               (ch = realpath(h, NULL)) != NULL,
           "the file is renamed");
        if (is_int(cm_index_open(dbp, &opts, &ix, &err), CM_OK, "reopen")) {
            is_int(cm_index_move(ix, cm_index_state(ix, cg), ch,
                                 (unsigned long long)sb.st_size,
                                 (unsigned long long)sb.st_mtim.tv_sec *
                                         1000000000ull +
                                     (unsigned long long)sb.st_mtim.tv_nsec),
                   CM_OK, "moved");
            is_int(cm_index_commit(ix), CM_OK, "commit");
            cm_index_close(ix);
        }
        ix = NULL;
        free(key);
        key = NULL;
        got[0] = '\0';
        ok(cm_schema_file_key(ch, &key) == CM_OK &&
               cm_db_open(dbp, &db, NULL) == CM_OK &&
               para_of(db, "lighthouses", &xd) == 0 &&
               cm_xdoc_terms(xd, collect_ids, got) == CM_OK,
           "the moved paragraph read back");
        cm_schema_term(pterm, sizeof pterm, CM_PFX_FILE, key, strlen(key));
        snprintf(want, sizeof want, "%s ", pterm);
        is_str(got, want, "its new file term, and the old id term gone");
        {
            /* The data: the new path, the text as it was (cm_data.h). */
            cm_data *o = NULL;
            data = NULL;
            dlen = 0;
            ok(cm_xdoc_get_data(xd, &data, &dlen) == CM_OK &&
                   cm_data_parse(data, dlen, &o) == CM_OK &&
                   strcmp(o->path, ch) == 0 &&
                   strcmp(o->text, "Lighthouses guide seafarers home.") == 0,
               "its data: the new path, the same text");
            free(o);
        }
        cm_xdoc_free(xd);
        cm_db_close(db);
        db = NULL;
        free(key);
        free(cg);
        free(ch);
        free(g);
        free(h);
    }

    /* cm_schema_wdf(): 64 per occurrence at 32 words, the length clamped
     * at 3.2 words, never 0. */
    is_int(cm_schema_wdf(1, 32, 1), 64, "wdf at the reference length");
    is_int(cm_schema_wdf(2, 32, 1), 128,
           "twice the occurrences, twice the wdf");
    is_int(cm_schema_wdf(1, 64, 1), 32, "twice the length, half the wdf");
    is_int(cm_schema_wdf(1, 1, 1), 640, "a one-word paragraph counts 3.2");
    is_int(cm_schema_wdf(1, 3, 1), 640, "so does a three-word one");
    is_int(cm_schema_wdf(1, 1000000, 1), 1, "a huge paragraph: 1, never 0");
    is_int(cm_schema_wdf(1, 32, CM_WDF_HEADING), 64 * CM_WDF_HEADING,
           "a heading's words weigh more");

    test_rounds(tok);
    test_drop_cached();
    test_stamp_runs();

    /* An index of another schema version is refused with advice. */
    if (!ok(cm_db_open_writable(dbp, 0, &db, &err) == CM_OK &&
                cm_db_set_metadata(db, CM_META_SCHEMA, "999", 3) == CM_OK &&
                cm_db_commit(db) == CM_OK,
            "mark the index as another version"))
        diag("%s", err ? err : cm_db_errmsg(db));
    free(err);
    err = NULL;
    cm_db_close(db);
    ix = NULL;
    is_int(cm_index_open(dbp, &opts, &ix, &err), CM_EVERSION,
           "another schema version is refused");
    ok(err && strstr(err, "--full"), "and the message says to rebuild");
    free(err);

    cm_tok_free(tok);
    free(dbp);
    free(a);
    free(b);
    free(bad);
    rm_rf(tmpdir);
    return done_testing();
}
