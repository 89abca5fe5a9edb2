/* test_db.c: unit tests of the Xapian shim (cm_db.h) on real temporary
 * databases, failures included: missing, locked, corrupt, modified under a
 * reader, remote over TCP (when xapian-tcpsrv is installed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
/* For mkdtemp, nftw, pwrite and friends when built without config.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cm_db.h"
#include "tap.h"

static char tmpdir[PATH_MAX];

/* A non-NULL pointer stored into out-parameters before a call, so that a
 * test can see the call reset them. */
static char junk;
#define JUNK ((void *)&junk)

/* --------------------------------------------------------------------- */
/* Helpers                                                                */

static const char *
tpath(char *buf, size_t n, const char *name)
{
    int len = snprintf(buf, n, "%s/%s", tmpdir, name);
    if (len < 0 || (size_t)len >= n)
        abort(); /* mkdtemp paths are short: never happens */
    return buf;
}

static int
write_file(const char *p, const char *text, size_t len)
{
    FILE *f = fopen(p, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(text, 1, len, f);
    return fclose(f) == 0 && put == len ? 0 : -1;
}

static int
contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

/* Collects strings from a cm_db_str_fn as "a|b|c". */
struct strs {
    char buf[2048];
    unsigned n;
    unsigned stop_after; /* 0: never stop */
    unsigned long long sum;
};

static int
collect_str(void *ctx, const char *s, size_t len, unsigned count)
{
    struct strs *c = ctx;
    size_t used = strlen(c->buf);
    snprintf(c->buf + used, sizeof c->buf - used, "%s%.*s", c->n ? "|" : "",
             (int)len, s);
    c->n++;
    c->sum += count;
    return c->stop_after && c->n >= c->stop_after;
}

struct ids {
    unsigned id[64];
    unsigned n;
    unsigned stop_after;
};

static int
collect_id(void *ctx, unsigned docid)
{
    struct ids *c = ctx;
    if (c->n < 64)
        c->id[c->n] = docid;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

/* The corpus: one document per row, words indexed with positions. */
struct row {
    const char *id, *text, *date, *key, *data;
};

static const struct row corpus[] = {
    {"Q1", "the quick brown fox jumps over the lazy dog", "2001-05-01",
     "docA", "para 1"},
    {"Q2", "the lazy dog sleeps all day", "2003-01-15", "docA", "para 2"},
    {"Q3", "a quick brown dog", "1999-12-31", "docA", "para 3"},
    {"Q4", "brown fox and brown bear", "2010-07-07", "docB", "para 4"},
    {"Q5", "fox hunting is banned", "2005-03-03", "docB", "para 5"},
    {"Q6", "co development aid and development cooperation", "2008-08-08",
     "docC", "para 6"},
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

/* Fills doc from r: id and key as boolean terms, words with positions,
 * date in slot 0, key in slot 1, data.  Returns the number of words. */
static unsigned
fill_doc(cm_xdoc *doc, const struct row *r)
{
    char key[64];
    unsigned pos = 0;
    int bad = 0;
    const char *w = r->text;
    bad |= cm_xdoc_add_boolean_term(doc, r->id, strlen(r->id)) != CM_OK;
    snprintf(key, sizeof key, "XKEY%s", r->key);
    bad |= cm_xdoc_add_boolean_term(doc, key, strlen(key)) != CM_OK;
    while (*w) {
        size_t len = strcspn(w, " ");
        bad |= cm_xdoc_add_posting(doc, w, len, ++pos, 1) != CM_OK;
        w += len;
        w += *w == ' ';
    }
    bad |= cm_xdoc_set_value(doc, 0, r->date, strlen(r->date)) != CM_OK;
    bad |= cm_xdoc_set_value(doc, 1, r->key, strlen(r->key)) != CM_OK;
    bad |= cm_xdoc_set_data(doc, r->data, strlen(r->data)) != CM_OK;
    if (bad)
        diag("fill_doc failed for %s", r->id);
    return pos;
}

/* Creates a database at p holding corpus rows [from, to). */
static int
build_db(const char *p, size_t from, size_t to)
{
    cm_db *db = NULL;
    cm_xdoc *doc = NULL;
    int ret = -1;
    if (cm_db_open_writable(p, CM_DB_OVERWRITE | CM_DB_NO_SYNC, &db, NULL) !=
        CM_OK)
        goto out;
    if (cm_xdoc_new(&doc) != CM_OK)
        goto out;
    for (size_t i = from; i < to; i++) {
        if (cm_xdoc_clear(doc) != CM_OK)
            goto out;
        fill_doc(doc, &corpus[i]);
        if (cm_db_add_document(db, doc, NULL) != CM_OK)
            goto out;
    }
    ret = cm_db_commit(db) == CM_OK ? 0 : -1;
out:
    cm_xdoc_free(doc);
    cm_db_close(db);
    if (ret != 0)
        diag("could not build %s", p);
    return ret;
}

/* Runs q on db and returns the mset (NULL on failure, with a diag). */
static cm_mset *
search(cm_db *db, const cm_xquery *q, unsigned offset, unsigned limit)
{
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    cm_status st = cm_enquire_new(db, &enq);
    if (st == CM_OK)
        st = cm_enquire_set_query(enq, q);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, offset, limit, 100, &ms);
    if (st != CM_OK)
        diag("search failed: %s %s", cm_status_str(st),
             enq ? cm_enquire_errmsg(enq) : cm_db_errmsg(db));
    /* The mset keeps what it needs of the search session. */
    cm_enquire_free(enq);
    return ms;
}

/* Number of matches of q on db, or -1. */
static int
count(cm_db *db, const cm_xquery *q)
{
    cm_mset *ms = search(db, q, 0, 100);
    int n = ms ? (int)cm_mset_size(ms) : -1;
    cm_mset_free(ms);
    return n;
}

static cm_xquery *
term(const char *t)
{
    cm_xquery *q = NULL;
    if (cm_xquery_term(t, strlen(t), 1, 0, &q) != CM_OK)
        diag("cm_xquery_term(%s) failed", t);
    return q;
}

/* Combines two fresh term queries with op; the caller frees the result. */
static cm_xquery *
pair(cm_xquery_op op, const char *a, const char *b, unsigned window)
{
    cm_xquery *sub[2] = {term(a), term(b)};
    cm_xquery *q = NULL;
    if (cm_xquery_combine(op, sub, 2, window, &q) != CM_OK)
        diag("combine %d %s %s failed", (int)op, a, b);
    cm_xquery_free(sub[0]);
    cm_xquery_free(sub[1]);
    return q;
}

/* Docids of the page as "3,1,2". */
static const char *
docids(const cm_mset *ms, char *buf, size_t n)
{
    buf[0] = '\0';
    for (unsigned i = 0; ms && i < cm_mset_size(ms); i++) {
        unsigned id = 0;
        size_t used = strlen(buf);
        if (cm_mset_docid(ms, i, &id) != CM_OK)
            return "error";
        snprintf(buf + used, n - used, "%s%u", i ? "," : "", id);
    }
    return buf;
}

/* --------------------------------------------------------------------- */
/* Tests                                                                  */

static void
test_version(void)
{
    const char *v = cm_db_xapian_version();
    ok(v && v[0] >= '1' && strchr(v, '.') != NULL, "xapian version '%s'",
       v ? v : "(null)");
    ok(contains(cm_stem_languages(), "english") &&
           contains(cm_stem_languages(), "french"),
       "stem languages list english and french");
}

/* Every function refuses NULL handles and out-pointers, resets the
 * out-pointers it was given, and every _free accepts NULL. */
static void
test_null_args(void)
{
    cm_db *db = JUNK;
    cm_xdoc *doc = JUNK;
    cm_xquery *q = JUNK;
    cm_enquire *enq = JUNK;
    cm_stem *stem = JUNK;
    char *msg = JUNK, *open_msg = NULL;
    unsigned u = 7;
    unsigned long long ull = 7;
    struct {
        const char *name;
        cm_status st;
    } rows[] = {
        {"open NULL path", cm_db_open(NULL, &db, &open_msg)},
        {"open NULL out", cm_db_open("/nonexistent", NULL, NULL)},
        {"open_shards n=0", cm_db_open_shards(NULL, 0, &db, NULL)},
        {"open_remote NULL host", cm_db_open_remote(NULL, 1, 0, &db, NULL)},
        {"open_remote port 0",
         cm_db_open_remote("127.0.0.1", 0, 0, &db, NULL)},
        {"open_remote port 65536",
         cm_db_open_remote("127.0.0.1", 65536, 0, &db, NULL)},
        {"open_writable NULL path", cm_db_open_writable(NULL, 0, &db, NULL)},
        {"open_writable bad flag",
         cm_db_open_writable("/nonexistent", 0x100, &db, NULL)},
        {"reopen NULL", cm_db_reopen(NULL)},
        {"commit NULL", cm_db_commit(NULL)},
        {"begin NULL", cm_db_begin(NULL, 0)},
        {"commit_transaction NULL", cm_db_commit_transaction(NULL)},
        {"cancel_transaction NULL", cm_db_cancel_transaction(NULL)},
        {"xdoc_new NULL", cm_xdoc_new(NULL)},
        {"xdoc_clear NULL", cm_xdoc_clear(NULL)},
        {"xdoc_add_term NULL doc", cm_xdoc_add_term(NULL, "a", 1, 1)},
        {"xdoc_term_count NULL", cm_xdoc_term_count(NULL, &u)},
        {"add_document NULL db", cm_db_add_document(NULL, NULL, &u)},
        {"delete_docid NULL", cm_db_delete_docid(NULL, 1)},
        {"get_document NULL", cm_db_get_document(NULL, 1, &doc)},
        {"doc_count NULL", cm_db_doc_count(NULL, &u)},
        {"last_docid NULL", cm_db_last_docid(NULL, &u)},
        {"total_length NULL", cm_db_total_length(NULL, &ull)},
        {"revision NULL", cm_db_revision(NULL, &ull)},
        {"allterms NULL", cm_db_allterms(NULL, NULL, collect_str, NULL)},
        {"metadata_keys NULL", cm_db_metadata_keys(NULL, NULL, collect_str,
                                                   NULL)},
        {"spelling_suggest NULL", cm_db_spelling_suggest(NULL, "a", 1, &msg)},
        {"spelling_words NULL", cm_db_spelling_words(NULL, collect_str,
                                                     NULL)},
        {"xquery_term NULL out", cm_xquery_term("a", 1, 1, 0, NULL)},
        {"xquery_match_all NULL", cm_xquery_match_all(NULL)},
        {"xquery_match_nothing NULL", cm_xquery_match_nothing(NULL)},
        {"xquery_combine NULL subs",
         cm_xquery_combine(CM_XQ_AND, NULL, 1, 0, &q)},
        {"xquery_wildcard NULL prefix", cm_xquery_wildcard(NULL, 2, 0, &q)},
        {"xquery_value_range NULL out",
         cm_xquery_value_range(0, "a", "b", NULL)},
        {"xquery_scale_weight NULL q", cm_xquery_scale_weight(NULL, 1, &q)},
        {"xquery_copy NULL q", cm_xquery_copy(NULL, &q)},
        {"xquery_describe NULL", cm_xquery_describe(NULL, &msg)},
        {"enquire_new NULL db", cm_enquire_new(NULL, &enq)},
        {"enquire_set_query NULL", cm_enquire_set_query(NULL, NULL)},
        {"enquire_set_bm25 NULL", cm_enquire_set_bm25(NULL, 1, 0, 1, .5, .5)},
        {"enquire_set_bool_weight NULL", cm_enquire_set_bool_weight(NULL)},
        {"enquire_sort_by_relevance NULL", cm_enquire_sort_by_relevance(NULL)},
        {"enquire_sort_by_value NULL", cm_enquire_sort_by_value(NULL, 0, 0)},
        {"enquire_set_collapse_key NULL",
         cm_enquire_set_collapse_key(NULL, 0, 1)},
        {"enquire_get_mset NULL", cm_enquire_get_mset(NULL, 0, 1, 0, NULL)},
        {"mset_totals NULL", cm_mset_totals(NULL, &u, &u, &u)},
        {"mset_docid NULL", cm_mset_docid(NULL, 0, &u)},
        {"mset_rank NULL", cm_mset_rank(NULL, 0, &u)},
        {"mset_collapse_count NULL", cm_mset_collapse_count(NULL, 0, &u)},
        {"mset_matching_terms NULL",
         cm_mset_matching_terms(NULL, 0, collect_str, NULL)},
        {"stem_new NULL lang", cm_stem_new(NULL, &stem, NULL)},
        {"stem_apply NULL", cm_stem_apply(NULL, "a", 1, NULL, NULL)},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        is_int(rows[i].st, CM_EINVAL, rows[i].name);
    ok(db == NULL && doc == NULL && q == NULL && enq == NULL && stem == NULL,
       "out-pointers reset to NULL");
    ok(u == 0 && ull == 0, "numeric out-pointers reset to 0");
    ok(msg == NULL, "string out-pointers reset to NULL");
    ok(open_msg != NULL, "refused open: errmsg '%s'",
       open_msg ? open_msg : "(null)");
    free(open_msg);

    cm_db_close(NULL);
    cm_xdoc_free(NULL);
    cm_xquery_free(NULL);
    cm_enquire_free(NULL);
    cm_mset_free(NULL);
    cm_stem_free(NULL);
    ok(1, "every _free and cm_db_close accept NULL");
    is_str(cm_db_errmsg(NULL), "", "cm_db_errmsg(NULL)");
    is_str(cm_xdoc_errmsg(NULL), "", "cm_xdoc_errmsg(NULL)");
    is_str(cm_enquire_errmsg(NULL), "", "cm_enquire_errmsg(NULL)");
    is_str(cm_mset_errmsg(NULL), "", "cm_mset_errmsg(NULL)");
    is_int(cm_db_is_writable(NULL), 0, "cm_db_is_writable(NULL)");
    is_int(cm_mset_size(NULL), 0, "cm_mset_size(NULL)");
    is_int(cm_xquery_is_empty(NULL), 1, "cm_xquery_is_empty(NULL)");
}

static void
test_xdoc(void)
{
    cm_xdoc *doc = NULL;
    const char *s = JUNK;
    size_t len = 99;
    unsigned n = 99;
    char big[CM_DB_MAX_TERM + 2];
    struct strs got = {.n = 0};

    is_int(cm_xdoc_new(&doc), CM_OK, "xdoc_new");
    is_int(cm_xdoc_add_posting(doc, "alpha", 5, 1, 1), CM_OK, "add_posting");
    is_int(cm_xdoc_add_posting(doc, "alpha", 5, 7, 1), CM_OK, "add_posting 2");
    is_int(cm_xdoc_add_term(doc, "beta", 4, 3), CM_OK, "add_term wdf 3");
    is_int(cm_xdoc_add_boolean_term(doc, "Qx", 2), CM_OK, "add_boolean_term");
    is_int(cm_xdoc_term_count(doc, &n), CM_OK, "term_count");
    is_int(n, 3, "three distinct terms");
    is_int(cm_xdoc_terms(doc, collect_str, &got), CM_OK, "xdoc_terms");
    is_str(got.buf, "Qx|alpha|beta", "terms in sorted order");
    is_int((long long)got.sum, 5, "wdfs 0 + 2 + 3");
    memset(&got, 0, sizeof got);
    got.stop_after = 1;
    is_int(cm_xdoc_terms(doc, collect_str, &got), CM_OK, "terms stop early");
    is_str(got.buf, "Qx", "stopped after the first term");
    is_int(cm_xdoc_add_boolean_term(doc, "Qgone", 5), CM_OK, "another term");
    is_int(cm_xdoc_remove_term(doc, "Qgone", 5), CM_OK, "remove_term");
    is_int(cm_xdoc_remove_term(doc, "Qgone", 5), CM_ENOTFOUND,
           "remove_term of a missing term");
    is_int(cm_xdoc_remove_term(doc, "", 0), CM_EINVAL, "remove_term \"\"");
    is_int(cm_xdoc_term_count(doc, &n), CM_OK, "term_count after removal");
    is_int(n, 3, "back to three terms");

    is_int(cm_xdoc_set_value(doc, 3, "v3", 2), CM_OK, "set_value");
    is_int(cm_xdoc_get_value(doc, 3, &s, &len), CM_OK, "get_value");
    ok(len == 2 && strcmp(s, "v3") == 0, "value read back");
    is_int(cm_xdoc_get_value(doc, 4, &s, &len), CM_OK, "get unset value");
    ok(s && s[0] == '\0' && len == 0, "unset value is \"\"");
    is_int(cm_xdoc_set_value(doc, 3, NULL, 0), CM_OK, "empty value removes");
    is_int(cm_xdoc_get_value(doc, 3, &s, &len), CM_OK, "get removed value");
    is_int((long long)len, 0, "removed value is empty");
    is_int(cm_xdoc_set_value(doc, 3, NULL, 1), CM_EINVAL, "NULL value, len 1");
    is_int(cm_xdoc_get_value(doc, 3, NULL, &len), CM_EINVAL, "get NULL val");

    is_int(cm_xdoc_set_data(doc, "da\0ta", 5), CM_OK, "set_data with NUL");
    is_int(cm_xdoc_get_data(doc, &s, &len), CM_OK, "get_data");
    ok(len == 5 && memcmp(s, "da\0ta", 6) == 0, "data and its terminator");
    s = JUNK;
    is_int(cm_xdoc_get_data(doc, &s, NULL), CM_EINVAL, "get_data NULL len");
    ok(s == NULL, "get_data resets *data on failure");

    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = '\0';
    is_int(cm_xdoc_add_term(doc, big, CM_DB_MAX_TERM, 1), CM_OK,
           "term of CM_DB_MAX_TERM bytes");
    is_int(cm_xdoc_add_term(doc, big, CM_DB_MAX_TERM + 1, 1), CM_EINVAL,
           "term of CM_DB_MAX_TERM + 1 bytes");
    ok(contains(cm_xdoc_errmsg(doc), "CM_DB_MAX_TERM"), "errmsg: %s",
       cm_xdoc_errmsg(doc));
    is_int(cm_xdoc_add_term(doc, "", 0, 1), CM_EINVAL, "empty term");
    is_int(cm_xdoc_add_posting(doc, NULL, 3, 1, 1), CM_EINVAL, "NULL term");
    is_int(cm_xdoc_terms(doc, NULL, NULL), CM_EINVAL, "terms NULL fn");
    is_int(cm_xdoc_term_count(doc, NULL), CM_EINVAL, "term_count NULL");
    is_int(cm_xdoc_term_count(doc, &n), CM_OK, "term_count again");
    is_str(cm_xdoc_errmsg(doc), "", "errmsg cleared by a good call");
    is_int(n, 4, "four terms with the long one");

    is_int(cm_xdoc_clear(doc), CM_OK, "xdoc_clear");
    is_int(cm_xdoc_term_count(doc, &n), CM_OK, "term_count after clear");
    is_int(n, 0, "no terms after clear");
    is_int(cm_xdoc_get_data(doc, &s, &len), CM_OK, "data after clear");
    is_int((long long)len, 0, "no data after clear");
    cm_xdoc_free(doc);
}

/* Every function taking a term refuses one over CM_DB_MAX_TERM. */
static void
test_long_terms(cm_db *w)
{
    char big[CM_DB_MAX_TERM + 2];
    cm_xdoc *doc = NULL;
    cm_xquery *q = JUNK, *q2 = JUNK;
    char *s = JUNK;
    unsigned u = 9;
    unsigned long long ull = 9;
    struct strs got = {.n = 0};
    struct ids ids = {.n = 0};
    memset(big, 'y', sizeof big);
    big[sizeof big - 1] = '\0';
    if (cm_xdoc_new(&doc) != CM_OK)
        diag("xdoc_new failed");
    struct {
        const char *name;
        cm_status st;
    } rows[] = {
        {"xdoc_add_posting", cm_xdoc_add_posting(doc, big, 241, 1, 1)},
        {"xdoc_add_boolean_term", cm_xdoc_add_boolean_term(doc, big, 241)},
        {"replace_document", cm_db_replace_document(w, big, 241, doc, &u)},
        {"delete_documents", cm_db_delete_documents(w, big, 241)},
        {"term_freq", cm_db_term_freq(w, big, 241, &u)},
        {"collection_freq", cm_db_collection_freq(w, big, 241, &ull)},
        {"postlist", cm_db_postlist(w, big, 241, collect_id, &ids)},
        {"add_spelling", cm_db_add_spelling(w, big, 1)},
        {"remove_spelling", cm_db_remove_spelling(w, big, 1)},
        {"spelling_suggest", cm_db_spelling_suggest(w, big, 2, &s)},
        {"add_synonym term", cm_db_add_synonym(w, big, "x")},
        {"add_synonym synonym", cm_db_add_synonym(w, "x", big)},
        {"clear_synonyms", cm_db_clear_synonyms(w, big)},
        {"synonyms", cm_db_synonyms(w, big, collect_str, &got)},
        {"xquery_term", cm_xquery_term(big, 241, 1, 0, &q)},
        {"xquery_wildcard", cm_xquery_wildcard(big, 241, 0, &q2)},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        is_int(rows[i].st, CM_EINVAL, rows[i].name);
    ok(q == NULL && q2 == NULL && s == NULL && u == 0 && ull == 0,
       "long terms: out-pointers reset");
    ok(got.n == 0 && ids.n == 0, "long terms: no callback made");
    is_int(cm_db_delete_documents(w, "", 0), CM_EINVAL,
           "empty term never deletes every document");
    ok(contains(cm_db_errmsg(w), "empty"), "errmsg: %s", cm_db_errmsg(w));
    cm_xdoc_free(doc);
}

static void
test_open_failures(void)
{
    char p[PATH_MAX], q[PATH_MAX];
    cm_db *db = JUNK;
    char *msg = NULL;
    tpath(p, sizeof p, "missing");
    is_int(cm_db_open(p, &db, &msg), CM_ENOTFOUND, "open missing db");
    ok(db == NULL, "missing: *out is NULL");
    ok(contains(msg, "DatabaseNotFoundError"), "missing: errmsg '%s'",
       msg ? msg : "(null)");
    free(msg);
    msg = JUNK;
    is_int(cm_db_open_writable(p, 0, &db, &msg), CM_ENOTFOUND,
           "open_writable missing db without CM_DB_CREATE");
    ok(db == NULL && msg != NULL && msg != JUNK, "errmsg set, *out NULL");
    free(msg);
    msg = JUNK;
    is_int(cm_db_open(p, &db, NULL), CM_ENOTFOUND, "errmsg may be NULL");

    tpath(p, sizeof p, "emptydir");
    if (mkdir(p, 0700) != 0)
        diag("mkdir %s failed", p);
    is_int(cm_db_open(p, &db, NULL), CM_ENOTFOUND, "open an empty directory");

    tpath(p, sizeof p, "badstub");
    if (write_file(p, "hi\n", 3) != 0)
        diag("cannot write %s", p);
    is_int(cm_db_open(p, &db, &msg), CM_EOPEN, "open a bad stub file");
    ok(contains(msg, "DatabaseOpeningError"), "bad stub: errmsg '%s'",
       msg ? msg : "(null)");
    free(msg);

    tpath(p, sizeof p, "w");
    is_int(cm_db_open_shards((const char *const[]){p, NULL}, 2, &db, &msg),
           CM_EINVAL, "open_shards with a NULL path");
    free(msg);
    tpath(q, sizeof q, "missing");
    is_int(cm_db_open_shards((const char *const[]){p, q}, 2, &db, NULL),
           CM_ENOTFOUND, "open_shards with a missing shard");
    ok(db == NULL, "open_shards: *out is NULL");
}

/* Damages a fresh copy of the corpus in a table of ways and checks the
 * status Xapian's error maps to, at open or at the first read.  Each row
 * is what Xapian 1.4.22 was seen to do: a missing termlist only shows when
 * a termlist is read (FeatureUnavailableError, so CM_EXAPIAN). */
static void
test_corrupt(void)
{
    static const struct {
        const char *name, *file;
        int how; /* 0: fill with 'X', 1: remove, 2: truncate, 3: zero,
                  * 4: change the version byte */
        cm_status at_open, at_read;
    } cases[] = {
        {"garbage iamglass", "iamglass", 0, CM_ECORRUPT, CM_OK},
        {"newer format version", "iamglass", 4, CM_EVERSION, CM_OK},
        {"no iamglass", "iamglass", 1, CM_ENOTFOUND, CM_OK},
        {"no postlist.glass", "postlist.glass", 1, CM_EOPEN, CM_OK},
        {"zeroed postlist.glass", "postlist.glass", 3, CM_ECORRUPT, CM_OK},
        {"empty postlist.glass", "postlist.glass", 2, CM_EIO, CM_OK},
        {"zeroed docdata.glass", "docdata.glass", 3, CM_ECORRUPT, CM_OK},
        {"zeroed termlist.glass", "termlist.glass", 3, CM_ECORRUPT, CM_OK},
        {"no termlist.glass", "termlist.glass", 1, CM_OK, CM_EXAPIAN},
    };
    char dir[PATH_MAX], p[PATH_MAX + 32];
    tpath(dir, sizeof dir, "corrupt");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_db *db = JUNK;
        char *msg = NULL;
        unsigned nterms = 0;
        char block[8192];
        if (build_db(dir, 0, NCORPUS) != 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, cases[i].file);
        switch (cases[i].how) {
        case 0:
            memset(block, 'X', 200);
            (void)!write_file(p, block, 200);
            break;
        case 1:
            (void)!unlink(p);
            break;
        case 2:
            (void)!truncate(p, 0);
            break;
        case 3:
            memset(block, 0, sizeof block);
            (void)!write_file(p, block, sizeof block);
            break;
        case 4: {
            /* The version follows the 14-byte magic "\x0f\x0dXapian Glass". */
            int fd = open(p, O_WRONLY);
            (void)!pwrite(fd, "\x7f", 1, 14);
            close(fd);
            break;
        }
        }
        cm_status st = cm_db_open(dir, &db, &msg);
        is_int(st, cases[i].at_open, cases[i].name);
        if (st != CM_OK) {
            ok(db == NULL && msg && msg[0], "%s: errmsg '%s'", cases[i].name,
               msg ? msg : "(null)");
        } else {
            /* Glass reads a document's termlist lazily. */
            cm_xdoc *doc = NULL;
            const char *text;
            st = cm_db_get_document(db, 1, &doc);
            text = cm_db_errmsg(db);
            if (st == CM_OK) {
                st = cm_xdoc_term_count(doc, &nterms);
                text = cm_xdoc_errmsg(doc);
            }
            is_int(st, cases[i].at_read, "reading a termlist after damage");
            ok(text[0] != '\0', "%s: errmsg '%s'", cases[i].name, text);
            cm_xdoc_free(doc);
        }
        free(msg);
        cm_db_close(db == JUNK ? NULL : db);
    }
    rm_rf(dir);
}

/* Bytes in the postlist table of the database at p (0 if none). */
static long long
postlist_bytes(const char *p)
{
    char f[PATH_MAX];
    struct stat sb;
    snprintf(f, sizeof f, "%s/postlist.glass", p);
    return stat(f, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* n documents of one term each added to the database at p, opened with
 * flags, and not committed: the bytes its postlist table then holds. */
static long long
bytes_before_commit(const char *p, unsigned flags, unsigned n)
{
    cm_db *db = NULL;
    cm_xdoc *doc = NULL;
    long long bytes = -1;
    char term[32];
    unsigned i;

    if (cm_db_open_writable(p, CM_DB_OVERWRITE | flags, &db, NULL) != CM_OK ||
        cm_xdoc_new(&doc) != CM_OK)
        goto out;
    for (i = 0; i < n; i++) {
        int len = snprintf(term, sizeof term, "w%u", i);
        if (cm_xdoc_clear(doc) != CM_OK ||
            cm_xdoc_add_posting(doc, term, (size_t)len, 1, 1) != CM_OK ||
            cm_db_add_document(db, doc, NULL) != CM_OK)
            goto out;
    }
    bytes = postlist_bytes(p);
out:
    cm_xdoc_free(doc);
    cm_db_close(db);
    return bytes;
}

/* CM_DB_BULK: Xapian merges what it holds into the tables every 1,000
 * documents (the tables grow before any commit), the environment is left
 * as it was, and a threshold the environment sets stands. */
static void
test_bulk(void)
{
    char p[PATH_MAX], q[PATH_MAX];
    const char *v;
    cm_db *db = JUNK;
    long long plain, bulk;

    tpath(p, sizeof p, "bulk");
    tpath(q, sizeof q, "plain");
    unsetenv("XAPIAN_FLUSH_THRESHOLD");
    bulk = bytes_before_commit(p, CM_DB_BULK, 1500);
    plain = bytes_before_commit(q, 0, 1500);
    ok(bulk > plain && plain >= 0,
       "bulk: 1,500 documents reach the tables before a commit (%lld bytes, "
       "%lld without)", bulk, plain);
    ok(getenv("XAPIAN_FLUSH_THRESHOLD") == NULL,
       "bulk: the environment is left as it was");
    is_int(cm_db_open_writable("/nonexistent/bulk", CM_DB_BULK, &db, NULL),
           CM_ENOTFOUND, "bulk: a failed open fails as without");
    ok(getenv("XAPIAN_FLUSH_THRESHOLD") == NULL,
       "bulk: a failed open leaves the environment as it was");
    setenv("XAPIAN_FLUSH_THRESHOLD", "100000", 1);
    bulk = bytes_before_commit(p, CM_DB_BULK, 1500);
    v = getenv("XAPIAN_FLUSH_THRESHOLD");
    ok(v != NULL && strcmp(v, "100000") == 0,
       "bulk: a threshold in the environment is kept");
    ok(bulk >= 0 && bulk <= plain,
       "bulk: and it stands (%lld bytes before a commit)", bulk);
    unsetenv("XAPIAN_FLUSH_THRESHOLD");
}

static void
test_lock(void)
{
    char p[PATH_MAX];
    cm_db *w = NULL, *w2 = JUNK;
    char *msg = NULL;
    int fds[2];
    char c;
    tpath(p, sizeof p, "locked");
    is_int(cm_db_open_writable(p, CM_DB_CREATE, &w, &msg), CM_OK,
           "create a database");
    ok(msg == NULL, "errmsg NULL on success");
    is_int(cm_db_open_writable(p, CM_DB_CREATE, &w2, &msg), CM_ELOCKED,
           "second writer in the same process is locked out");
    ok(w2 == NULL && contains(msg, "DatabaseLockError"), "lock errmsg '%s'",
       msg ? msg : "(null)");
    free(msg);
    cm_db_close(w);

    /* A child holds the lock for a while: a plain open fails at once, a
     * CM_DB_WAIT_LOCK open succeeds when the child lets go. */
    if (pipe(fds) != 0) {
        diag("pipe failed");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        cm_db *cw = NULL;
        close(fds[0]);
        cm_status st = cm_db_open_writable(p, 0, &cw, NULL);
        (void)!write(fds[1], st == CM_OK ? "y" : "n", 1);
        struct timespec ts = {0, 300 * 1000 * 1000};
        nanosleep(&ts, NULL);
        cm_db_close(cw);
        _exit(0);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], &c, 1) != 1 || c != 'y') {
        diag("child could not take the lock");
        close(fds[0]);
        return;
    }
    close(fds[0]);
    is_int(cm_db_open_writable(p, 0, &w2, NULL), CM_ELOCKED,
           "locked by another process");
    is_int(cm_db_open_writable(p, CM_DB_WAIT_LOCK, &w2, NULL), CM_OK,
           "CM_DB_WAIT_LOCK waits for the lock");
    cm_db_close(w2);
    int wst = 0;
    ok(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst), "child exited");
}

/* Fetching, replacing and deleting documents on the writable w (which
 * holds the corpus at revision rev1), then a read-only handle on p. */
static void
test_documents(cm_db *w, const char *p, unsigned long long rev1)
{
    cm_db *r = NULL;
    cm_xdoc *doc = NULL, *got = JUNK;
    unsigned id = 0, u = 0;
    unsigned long long ull = 0, rev2 = 0;
    const char *s = NULL;
    size_t len = 0;
    if (cm_xdoc_new(&doc) != CM_OK)
        return;
    /* Documents back out. */
    is_int(cm_db_get_document(w, 2, &got), CM_OK, "get_document");
    is_int(cm_xdoc_get_data(got, &s, &len), CM_OK, "its data");
    is_str(s, "para 2", "data of document 2");
    is_int(cm_xdoc_get_value(got, 0, &s, &len), CM_OK, "its value");
    is_str(s, "2003-01-15", "value of document 2");
    cm_xdoc_free(got);
    got = JUNK;
    is_int(cm_db_get_document(w, 99, &got), CM_ENOTFOUND, "no document 99");
    ok(got == NULL && contains(cm_db_errmsg(w), "DocNotFoundError"),
       "get_document: *out NULL, errmsg '%s'", cm_db_errmsg(w));
    is_int(cm_db_get_document(w, 0, &got), CM_EINVAL, "docid 0 is invalid");
    is_int(cm_db_get_document(w, 1, NULL), CM_EINVAL, "get_document NULL out");

    /* Replacing and deleting. */
    (void)!cm_xdoc_add_boolean_term(doc, "Q2", 2);
    (void)!cm_xdoc_set_data(doc, "new 2", 5);
    is_int(cm_db_replace_document(w, "Q2", 2, doc, &id), CM_OK, "replace");
    is_int(id, 2, "replace keeps docid 2");
    is_int(cm_db_get_document(w, 2, &got), CM_OK, "get replaced");
    (void)!cm_xdoc_get_data(got, &s, &len);
    is_str(s, "new 2", "replaced data");
    cm_xdoc_free(got);
    is_int(cm_xdoc_clear(doc), CM_OK, "clear");
    (void)!cm_xdoc_add_boolean_term(doc, "Q7", 2);
    is_int(cm_db_replace_document(w, "Q7", 2, doc, &id), CM_OK,
           "replace a new id adds");
    is_int(id, 7, "new docid 7");
    is_int(cm_db_replace_document(w, "Q8", 2, NULL, &id), CM_EINVAL,
           "replace NULL doc");
    is_int(cm_db_delete_documents(w, "Q7", 2), CM_OK, "delete_documents");
    is_int(cm_db_delete_documents(w, "nothing", 7), CM_OK,
           "delete_documents of nothing");
    is_int(cm_db_delete_docid(w, 7), CM_ENOTFOUND, "deleted docid 7 is gone");
    is_int(cm_db_add_document(w, NULL, &id), CM_EINVAL, "add NULL doc");
    is_int(cm_db_delete_docid(w, 6), CM_OK, "delete_docid");
    is_int(cm_db_get_document(w, 6, &got), CM_ENOTFOUND, "6 is deleted");
    is_int(cm_db_commit(w), CM_OK, "commit");
    is_int(cm_db_revision(w, &rev2), CM_OK, "revision again");
    ok(rev2 > rev1, "revision grows: %llu > %llu", rev2, rev1);
    is_int(cm_db_doc_count(w, &u), CM_OK, "doc_count");
    is_int(u, NCORPUS - 1, "five documents left");
    cm_xdoc_free(doc);
    doc = NULL;

    /* A read-only handle refuses writes. */
    is_int(cm_db_open(p, &r, NULL), CM_OK, "open read-only");
    is_int(cm_db_is_writable(r), 0, "not writable");
    is_int(cm_db_add_document(r, NULL, NULL), CM_EINVAL, "add on read-only");
    if (cm_xdoc_new(&doc) == CM_OK) {
        (void)!cm_xdoc_add_term(doc, "x", 1, 1);
        is_int(cm_db_add_document(r, doc, &id), CM_EINVAL,
               "add a document on read-only");
        ok(id == 0 && contains(cm_db_errmsg(r), "read-only"),
           "errmsg '%s'", cm_db_errmsg(r));
        cm_xdoc_free(doc);
    }
    is_int(cm_db_delete_docid(r, 1), CM_EINVAL, "delete on read-only");
    is_int(cm_db_commit(r), CM_EINVAL, "commit on read-only");
    is_int(cm_db_reopen(r), CM_OK, "reopen read-only");
    is_int(cm_db_reopen(w), CM_OK, "reopen writable does nothing");
    is_int(cm_db_revision(r, &ull), CM_OK, "revision read-only");
    is_int((long long)ull, (long long)rev2, "reader sees the last revision");
    cm_db_close(r);
}

static void
test_write_read(const char *p)
{
    cm_db *w = NULL;
    cm_xdoc *doc = NULL;
    unsigned id = 0, u = 0;
    unsigned long long ull = 0, rev1 = 0;
    struct ids ids = {.n = 0};
    struct strs strs = {.n = 0};
    unsigned words = 0;

    is_int(cm_db_open_writable(p, CM_DB_CREATE | CM_DB_NO_SYNC, &w, NULL),
           CM_OK, "open_writable CM_DB_CREATE");
    is_int(cm_db_is_writable(w), 1, "is_writable");
    if (cm_xdoc_new(&doc) != CM_OK) {
        cm_db_close(w);
        return;
    }
    for (size_t i = 0; i < NCORPUS; i++) {
        is_int(cm_xdoc_clear(doc), CM_OK, "clear for reuse");
        words += fill_doc(doc, &corpus[i]);
        is_int(cm_db_add_document(w, doc, &id), CM_OK, "add_document");
        is_int(id, (long long)i + 1, "docids count from 1");
    }
    is_int(cm_db_commit(w), CM_OK, "commit");
    is_int(cm_db_revision(w, &rev1), CM_OK, "revision");
    ok(rev1 >= 1, "revision %llu after a commit", rev1);

    is_int(cm_db_doc_count(w, &u), CM_OK, "doc_count");
    is_int(u, NCORPUS, "six documents");
    is_int(cm_db_last_docid(w, &u), CM_OK, "last_docid");
    is_int(u, NCORPUS, "last docid 6");
    is_int(cm_db_term_freq(w, "brown", 5, &u), CM_OK, "term_freq");
    is_int(u, 3, "brown in three documents");
    is_int(cm_db_term_freq(w, "absent", 6, &u), CM_OK, "term_freq absent");
    is_int(u, 0, "absent term: 0");
    is_int(cm_db_collection_freq(w, "brown", 5, &ull), CM_OK,
           "collection_freq");
    is_int((long long)ull, 4, "brown occurs four times");
    is_int(cm_db_total_length(w, &ull), CM_OK, "total_length");
    is_int((long long)ull, words, "total length = words indexed");

    is_int(cm_db_postlist(w, "brown", 5, collect_id, &ids), CM_OK, "postlist");
    ok(ids.n == 3 && ids.id[0] == 1 && ids.id[1] == 3 && ids.id[2] == 4,
       "brown postlist 1,3,4");
    memset(&ids, 0, sizeof ids);
    ids.stop_after = 1;
    is_int(cm_db_postlist(w, "brown", 5, collect_id, &ids), CM_OK,
           "postlist stopped early");
    is_int(ids.n, 1, "one docid before stopping");
    is_int(cm_db_postlist(w, "brown", 5, NULL, NULL), CM_EINVAL,
           "postlist NULL fn");
    is_int(cm_db_allterms(w, "Q", collect_str, &strs), CM_OK, "allterms Q");
    is_str(strs.buf, "Q1|Q2|Q3|Q4|Q5|Q6", "id terms in order");
    is_int((long long)strs.sum, 6, "each id term in one document");
    memset(&strs, 0, sizeof strs);
    is_int(cm_db_allterms(w, NULL, collect_str, &strs), CM_OK, "allterms all");
    ok(strs.n > 20, "all terms: %u", strs.n);
    memset(&strs, 0, sizeof strs);
    strs.stop_after = 2;
    is_int(cm_db_allterms(w, "", collect_str, &strs), CM_OK, "allterms stop");
    is_int(strs.n, 2, "two terms before stopping");
    is_int(cm_db_allterms(w, "", NULL, NULL), CM_EINVAL, "allterms NULL fn");
    cm_xdoc_free(doc);
    test_documents(w, p, rev1);
    cm_db_close(w);
}

/* Adds a document holding only the boolean term id. */
static cm_status
add_id(cm_db *w, const char *id)
{
    cm_xdoc *doc = NULL;
    cm_status st = cm_xdoc_new(&doc);
    if (st == CM_OK)
        st = cm_xdoc_add_boolean_term(doc, id, strlen(id));
    if (st == CM_OK)
        st = cm_db_add_document(w, doc, NULL);
    cm_xdoc_free(doc);
    return st;
}

static unsigned
freq_of(cm_db *db, const char *t)
{
    unsigned f = 0;
    if (cm_db_term_freq(db, t, strlen(t), &f) != CM_OK)
        diag("term_freq(%s): %s", t, cm_db_errmsg(db));
    return f;
}

/* Add a document with the term t and commit; 0 on success. */
static int
add_with(cm_db *w, const char *t)
{
    cm_xdoc *doc = NULL;
    int bad = cm_xdoc_new(&doc) != CM_OK ||
              cm_xdoc_add_term(doc, t, strlen(t), 1) != CM_OK ||
              cm_db_add_document(w, doc, NULL) != CM_OK ||
              cm_db_commit(w) != CM_OK;
    cm_xdoc_free(doc);
    return bad;
}

/* A read-only handle keeps the term frequencies it read (those of its
 * revision) until it is reopened; a writable one reads them each time. */
static void
test_freq_cache(void)
{
    char p[PATH_MAX];
    cm_db *w = NULL, *r = NULL;

    tpath(p, sizeof p, "freqs");
    if (cm_db_open_writable(p, CM_DB_CREATE, &w, NULL) != CM_OK ||
        add_with(w, "once") != 0 || cm_db_open(p, &r, NULL) != CM_OK) {
        ok(0, "build %s", p);
        cm_db_close(w);
        return;
    }
    is_int(freq_of(r, "once"), 1, "reader: one document");
    is_int(add_with(w, "once"), 0, "writer adds another");
    is_int(freq_of(w, "once"), 2, "writer: two");
    is_int(freq_of(r, "once"), 1, "reader: still its revision's one");
    is_int(cm_db_reopen(r), CM_OK, "reopen");
    is_int(freq_of(r, "once"), 2, "reopened: two");
    is_int(freq_of(r, "never"), 0, "an absent term");
    is_int(add_with(w, "never"), 0, "writer adds it");
    is_int(cm_db_reopen(r), CM_OK, "reopen");
    is_int(freq_of(r, "never"), 1, "reopened: found");
    cm_db_close(r);
    cm_db_close(w);
}

/* The stamped value under key ("" for none, "?" on failure), freed. */
static const char *
stamped(cm_db *db, const char *key)
{
    static char buf[64];
    char *v = NULL;
    size_t n = 0;
    cm_status st = cm_db_get_stamped(db, key, &v, &n);
    if (st != CM_OK)
        snprintf(buf, sizeof buf, "?%s", cm_status_str(st));
    else
        snprintf(buf, sizeof buf, "%s", v ? v : "");
    if ((v == NULL) != (n == 0))
        snprintf(buf, sizeof buf, "?length %zu", n);
    free(v);
    return buf;
}

/* What a commit changes (cm_db_has_changes()), and metadata stamped for a
 * commit: given back while the database is at that commit, not after
 * another one, on a compaction, over shards or before the commit. */
/* The words that tell a document from the others: its own rare words
 * first, never a prefixed term; a missing document is CM_ENOTFOUND. */
typedef struct like_words {
    char w[8][32];
    size_t n;
} like_words;

static int
add_like(void *ctx, const char *s, size_t len, unsigned count)
{
    like_words *l = ctx;
    (void)count;
    if (l->n < 8 && len < sizeof l->w[0]) {
        memcpy(l->w[l->n], s, len);
        l->w[l->n++][len] = '\0';
    }
    return 0;
}

static void
test_like_terms(void)
{
    static const char *const texts[] = {
        "the convention shall enter into force",
        "the convention shall be open for signature",
        "the protocol shall enter into force",
        "asylum seekers and refugees the",
    };
    char p[PATH_MAX];
    cm_db *w = NULL;
    like_words l;
    size_t i, k;
    int prefixed = 0, has_asylum = 0, has_the = 0;

    tpath(p, sizeof p, "like");
    if (cm_db_open_writable(p, CM_DB_CREATE, &w, NULL) != CM_OK) {
        ok(0, "create %s", p);
        return;
    }
    for (i = 0; i < 4; i++) {
        cm_xdoc *x = NULL;
        char copy[64], *tok, *save = NULL;
        unsigned pos = 1, id = 0;
        int bad = cm_xdoc_new(&x) != CM_OK ||
                  cm_xdoc_add_boolean_term(x, "Len", 3) != CM_OK ||
                  cm_xdoc_add_term(x, "Zen:asyl", 8, 1) != CM_OK;
        snprintf(copy, sizeof copy, "%s", texts[i]);
        for (tok = strtok_r(copy, " ", &save); tok != NULL && !bad;
             tok = strtok_r(NULL, " ", &save))
            bad = cm_xdoc_add_posting(x, tok, strlen(tok), pos++, 1) !=
                  CM_OK;
        if (bad || cm_db_add_document(w, x, &id) != CM_OK)
            ok(0, "add document %zu", i);
        cm_xdoc_free(x);
    }
    is_int(cm_db_commit(w), CM_OK, "like: four documents");
    memset(&l, 0, sizeof l);
    is_int(cm_db_like_terms(w, 4, 8, add_like, &l), CM_OK,
           "like: the terms of document 4");
    for (k = 0; k < l.n; k++) {
        prefixed |= l.w[k][0] >= 'A' && l.w[k][0] <= 'Z';
        has_asylum |= strcmp(l.w[k], "asylum") == 0;
        has_the |= strcmp(l.w[k], "the") == 0 && k == 0;
    }
    ok(l.n >= 3 && has_asylum && !has_the && !prefixed,
       "like: its own words, rare ones before common ones, no prefixed "
       "term (%zu: %s %s ...)", l.n, l.n > 0 ? l.w[0] : "",
       l.n > 1 ? l.w[1] : "");
    memset(&l, 0, sizeof l);
    is_int(cm_db_like_terms(w, 2, 2, add_like, &l), CM_OK,
           "like: at most max");
    ok(l.n == 2, "  two of them");
    is_int(cm_db_like_terms(w, 99, 8, add_like, &l), CM_ENOTFOUND,
           "like: no such document");
    is_int(cm_db_like_terms(w, 0, 8, add_like, &l), CM_EINVAL,
           "like: document 0");
    cm_db_close(w);
}

static void
test_stamped(void)
{
    char p[PATH_MAX], c[PATH_MAX], stub[PATH_MAX];
    static const char two[] = "auto stamped\nauto stamped-compact\n";
    cm_db *w = NULL, *r = NULL, *x = NULL;

    tpath(p, sizeof p, "stamped");
    tpath(c, sizeof c, "stamped-compact");
    tpath(stub, sizeof stub, "stamped.stub");
    if (cm_db_open_writable(p, CM_DB_CREATE, &w, NULL) != CM_OK) {
        ok(0, "create %s", p);
        return;
    }
    is_int(cm_db_has_changes(w), 0, "changes: none after opening");
    is_int(add_id(w, "Qs1"), CM_OK, "add a document");
    is_int(cm_db_has_changes(w), 1, "changes: the document");
    is_int(cm_db_set_stamped(w, "k", "v1", 2), CM_OK, "stamp v1");
    is_str(stamped(w, "k"), "", "not given before its commit");
    is_int(cm_db_commit(w), CM_OK, "commit");
    is_int(cm_db_has_changes(w), 0, "changes: none after the commit");
    is_str(stamped(w, "k"), "v1", "writer: v1 at its commit");
    if (cm_db_open(p, &r, NULL) != CM_OK) {
        ok(0, "open %s", p);
        cm_db_close(w);
        return;
    }
    is_str(stamped(r, "k"), "v1", "reader: v1");
    is_str(stamped(r, "other"), "", "reader: a key never stamped");

    is_int(cm_db_begin(w, 0), CM_OK, "begin");
    is_int(add_id(w, "Qs2"), CM_OK, "add in it");
    is_int(cm_db_has_changes(w), 1, "changes: in the transaction");
    is_int(cm_db_cancel_transaction(w), CM_OK, "cancel it");
    is_int(cm_db_has_changes(w), 0, "changes: none once cancelled");
    is_int(cm_db_begin(w, 0), CM_OK, "begin unflushed");
    is_int(add_id(w, "Qs3"), CM_OK, "add in it");
    is_int(cm_db_commit_transaction(w), CM_OK, "end it");
    is_int(cm_db_has_changes(w), 1, "changes: an unflushed transaction's");
    is_str(stamped(w, "k"), "", "writer: not at the stamped commit");
    is_int(cm_db_commit(w), CM_OK, "commit without a stamp");
    is_int(cm_db_begin(w, 1), CM_OK, "begin flushed");
    is_int(add_id(w, "Qs4"), CM_OK, "add in it");
    is_int(cm_db_commit_transaction(w), CM_OK, "end it");
    is_int(cm_db_has_changes(w), 0, "changes: none, the transaction committed");

    is_str(stamped(r, "k"), "v1", "reader: still at its revision");
    is_int(cm_db_reopen(r), CM_OK, "reopen");
    is_str(stamped(r, "k"), "", "reopened: the stamp is stale");

    is_int(add_id(w, "Qs5"), CM_OK, "add a document");
    is_int(cm_db_set_stamped(w, "k", "v2", 2), CM_OK, "stamp v2");
    is_int(cm_db_commit(w), CM_OK, "commit");
    is_int(cm_db_reopen(r), CM_OK, "reopen");
    is_str(stamped(r, "k"), "v2", "reopened: v2");

    is_int(cm_db_compact(r, c), CM_OK, "compact");
    if (cm_db_open(c, &x, NULL) == CM_OK) {
        is_str(stamped(x, "k"), "", "a compaction is another database");
        cm_db_close(x);
        x = NULL;
    }
    if (write_file(stub, two, sizeof two - 1) == 0 &&
        cm_db_open(stub, &x, NULL) == CM_OK) {
        is_str(stamped(x, "k"), "", "two shards: no stamp, no error");
        cm_db_close(x);
    } else {
        ok(0, "open %s", stub);
    }

    is_int(cm_db_set_stamped(w, "k", "", 0), CM_OK, "stamp an empty value");
    is_int(cm_db_commit(w), CM_OK, "commit");
    is_str(stamped(w, "k"), "", "empty: none");
    is_int(cm_db_get_stamped(w, NULL, NULL, NULL), CM_EINVAL, "NULL key");
    is_int(cm_db_set_stamped(w, "", "v", 1), CM_EINVAL, "empty key");
    is_int(cm_db_set_stamped(r, "k", "v", 1), CM_EINVAL, "read-only: refused");
    cm_db_close(r);
    cm_db_close(w);
}

static void
test_transactions(const char *p)
{
    cm_db *w = NULL, *r = NULL;
    if (cm_db_open_writable(p, 0, &w, NULL) != CM_OK) {
        ok(0, "open %s for transactions", p);
        return;
    }
    is_int(cm_db_begin(w, 1), CM_OK, "begin a flushed transaction");
    is_int(add_id(w, "Qt1"), CM_OK, "add inside it");
    is_int(cm_db_begin(w, 0), CM_EINVAL, "nested transaction");
    ok(contains(cm_db_errmsg(w), "InvalidOperationError"), "errmsg '%s'",
       cm_db_errmsg(w));
    is_int(cm_db_commit(w), CM_EINVAL, "commit inside a transaction");
    is_int(cm_db_commit_transaction(w), CM_OK, "commit_transaction");
    is_int(freq_of(w, "Qt1"), 1, "committed transaction's document is there");
    if (cm_db_open(p, &r, NULL) == CM_OK) {
        is_int(freq_of(r, "Qt1"), 1, "flushed transaction is on disk");
        cm_db_close(r);
    }

    is_int(cm_db_begin(w, 0), CM_OK, "begin");
    is_int(add_id(w, "Qt2"), CM_OK, "add inside it");
    is_int(cm_db_cancel_transaction(w), CM_OK, "cancel_transaction");
    is_int(freq_of(w, "Qt2"), 0, "cancelled transaction's document is gone");
    is_int(cm_db_commit_transaction(w), CM_EINVAL, "commit with none open");
    is_int(cm_db_cancel_transaction(w), CM_EINVAL, "cancel with none open");

    /* Unflushed: kept by the transaction, written by close's commit. */
    is_int(cm_db_begin(w, 0), CM_OK, "begin unflushed");
    is_int(add_id(w, "Qt3"), CM_OK, "add Qt3");
    is_int(cm_db_commit_transaction(w), CM_OK, "end it");
    /* Left open at close: discarded. */
    is_int(cm_db_begin(w, 1), CM_OK, "begin, left open");
    is_int(add_id(w, "Qt4"), CM_OK, "add Qt4");
    cm_db_close(w);
    if (cm_db_open(p, &r, NULL) != CM_OK) {
        ok(0, "reopen after close");
        return;
    }
    is_int(freq_of(r, "Qt3"), 1,
           "close commits changes outside a transaction");
    is_int(freq_of(r, "Qt4"), 0, "close discards an open transaction");
    is_int(cm_db_begin(r, 0), CM_EINVAL, "begin on read-only");
    is_int(cm_db_commit_transaction(r), CM_EINVAL, "commit_txn on read-only");
    is_int(cm_db_cancel_transaction(r), CM_EINVAL, "cancel_txn on read-only");
    cm_db_close(r);
}

static void
test_metadata(const char *p)
{
    cm_db *w = NULL, *r = NULL;
    char *v = JUNK;
    size_t len = 9;
    struct strs keys = {.n = 0};
    if (cm_db_open_writable(p, 0, &w, NULL) != CM_OK) {
        ok(0, "open %s for metadata", p);
        return;
    }
    is_int(cm_db_set_metadata(w, "schema", "3", 1), CM_OK, "set_metadata");
    is_int(cm_db_set_metadata(w, "file:b", "2", 1), CM_OK, "set file:b");
    is_int(cm_db_set_metadata(w, "file:a", "1\0x", 3), CM_OK, "set file:a");
    is_int(cm_db_set_metadata(w, "gone", "x", 1), CM_OK, "set gone");
    is_int(cm_db_set_metadata(w, "gone", NULL, 0), CM_OK, "empty removes");
    is_int(cm_db_set_metadata(w, "", "x", 1), CM_EINVAL, "empty key");
    is_int(cm_db_set_metadata(w, NULL, "x", 1), CM_EINVAL, "NULL key");
    is_int(cm_db_set_metadata(w, "k", NULL, 1), CM_EINVAL, "NULL value");
    is_int(cm_db_commit(w), CM_OK, "commit metadata");
    cm_db_close(w);

    if (cm_db_open(p, &r, NULL) != CM_OK) {
        ok(0, "open %s read-only", p);
        return;
    }
    is_int(cm_db_get_metadata(r, "schema", &v, &len), CM_OK, "get_metadata");
    ok(v && len == 1 && strcmp(v, "3") == 0, "schema is 3");
    free(v);
    is_int(cm_db_get_metadata(r, "file:a", &v, &len), CM_OK, "get file:a");
    ok(v && len == 3 && memcmp(v, "1\0x", 4) == 0, "binary value, terminated");
    free(v);
    is_int(cm_db_get_metadata(r, "unset", &v, &len), CM_OK, "get unset key");
    ok(v && v[0] == '\0' && len == 0, "unset key is \"\"");
    free(v);
    v = JUNK;
    len = 9;
    is_int(cm_db_get_metadata(r, "", &v, &len), CM_EINVAL, "get empty key");
    ok(v == NULL && len == 0, "get_metadata: out-pointers reset");
    is_int(cm_db_metadata_keys(r, "file:", collect_str, &keys), CM_OK,
           "metadata_keys file:");
    is_str(keys.buf, "file:a|file:b", "file keys in order");
    memset(&keys, 0, sizeof keys);
    is_int(cm_db_metadata_keys(r, NULL, collect_str, &keys), CM_OK,
           "metadata_keys all");
    is_str(keys.buf, "file:a|file:b|schema", "all keys, the removed one gone");
    memset(&keys, 0, sizeof keys);
    keys.stop_after = 1;
    is_int(cm_db_metadata_keys(r, "", collect_str, &keys), CM_OK,
           "metadata_keys stop");
    is_int(keys.n, 1, "stopped after one key");
    is_int(cm_db_metadata_keys(r, "", NULL, NULL), CM_EINVAL, "NULL fn");
    is_int(cm_db_set_metadata(r, "k", "v", 1), CM_EINVAL, "set on read-only");
    cm_db_close(r);
}

static void
test_spelling_synonyms(const char *p)
{
    cm_db *w = NULL, *r = NULL;
    char *s = JUNK;
    struct strs syn = {.n = 0};
    if (cm_db_open_writable(p, 0, &w, NULL) != CM_OK) {
        ok(0, "open %s for spelling", p);
        return;
    }
    is_int(cm_db_add_spelling(w, "development", 3), CM_OK, "add_spelling");
    is_int(cm_db_add_spelling(w, "cooperation", 1), CM_OK, "add_spelling 2");
    is_int(cm_db_add_spelling(w, "", 1), CM_EINVAL, "add empty spelling");
    is_int(cm_db_add_spelling(w, NULL, 1), CM_EINVAL, "add NULL spelling");
    is_int(cm_db_add_synonym(w, "car", "automobile"), CM_OK, "add_synonym");
    is_int(cm_db_add_synonym(w, "car", "motor car"), CM_OK, "add_synonym 2");
    is_int(cm_db_add_synonym(w, "dog", "hound"), CM_OK, "add_synonym 3");
    is_int(cm_db_add_synonym(w, "car", NULL), CM_EINVAL, "NULL synonym");
    is_int(cm_db_commit(w), CM_OK, "commit");

    is_int(cm_db_open(p, &r, NULL), CM_OK, "open read-only");
    is_int(cm_db_spelling_suggest(r, "developmnt", 2, &s), CM_OK, "suggest");
    is_str(s, "development", "suggestion within 2 edits");
    free(s);
    is_int(cm_db_spelling_suggest(r, "zzzzzzzzz", 2, &s), CM_OK, "no match");
    is_str(s, "", "no suggestion is \"\"");
    free(s);
    s = JUNK;
    is_int(cm_db_spelling_suggest(r, "x", 2, NULL), CM_EINVAL, "NULL out");
    is_int(cm_db_spelling_suggest(r, NULL, 2, &s), CM_EINVAL, "NULL word");
    ok(s == NULL, "suggest: *out reset");
    is_int(cm_db_spelling_words(r, collect_str, &syn), CM_OK,
           "spelling_words");
    is_str(syn.buf, "cooperation|development", "spelling words in order");
    is_int((long long)syn.sum, 4, "with their frequencies");
    memset(&syn, 0, sizeof syn);
    syn.stop_after = 1;
    is_int(cm_db_spelling_words(r, collect_str, &syn), CM_OK,
           "spelling_words stopped");
    is_int(syn.n, 1, "one word before stopping");
    is_int(cm_db_spelling_words(r, NULL, NULL), CM_EINVAL,
           "spelling_words NULL fn");
    memset(&syn, 0, sizeof syn);
    is_int(cm_db_synonyms(r, "car", collect_str, &syn), CM_OK, "synonyms");
    is_str(syn.buf, "automobile|motor car", "synonyms of car in order");
    is_int(cm_db_synonyms(r, "car", NULL, NULL), CM_EINVAL, "NULL fn");
    is_int(cm_db_add_spelling(r, "x", 1), CM_EINVAL, "add_spelling read-only");
    is_int(cm_db_add_synonym(r, "x", "y"), CM_EINVAL, "add_synonym read-only");
    is_int(cm_db_clear_synonyms(r, "x"), CM_EINVAL, "clear read-only");
    is_int(cm_db_remove_spelling(r, "x", 1), CM_EINVAL, "remove read-only");

    is_int(cm_db_remove_spelling(w, "development", 3), CM_OK,
           "remove_spelling");
    is_int(cm_db_clear_synonyms(w, "car"), CM_OK, "clear_synonyms");
    is_int(cm_db_commit(w), CM_OK, "commit removals");
    is_int(cm_db_reopen(r), CM_OK, "reopen reader");
    is_int(cm_db_spelling_suggest(r, "developmnt", 2, &s), CM_OK, "suggest");
    is_str(s, "", "removed word no longer suggested");
    free(s);
    memset(&syn, 0, sizeof syn);
    is_int(cm_db_spelling_words(r, collect_str, &syn), CM_OK,
           "spelling_words after the removal");
    is_str(syn.buf, "cooperation", "the removed word is gone");
    memset(&syn, 0, sizeof syn);
    is_int(cm_db_synonyms(r, "car", collect_str, &syn), CM_OK, "synonyms");
    is_int(syn.n, 0, "synonyms of car cleared");
    memset(&syn, 0, sizeof syn);
    is_int(cm_db_synonyms(r, "dog", collect_str, &syn), CM_OK, "synonyms dog");
    is_str(syn.buf, "hound", "other synonyms kept");
    cm_db_close(r);
    cm_db_close(w);
}

static void
test_stem(void)
{
    static const struct {
        const char *lang, *word, *stem;
    } cases[] = {
        {"en", "running", "run"},
        {"english", "development", "develop"},
        {"fr", "continuellement", "continuel"},
        {"french", "nationales", "national"},
        {"de", "häuser", "haus"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_stem *st = NULL;
        char *msg = JUNK;
        const char *out = NULL;
        size_t len = 0;
        if (!is_int(cm_stem_new(cases[i].lang, &st, &msg), CM_OK,
                    cases[i].lang))
            continue;
        ok(msg == NULL, "stem_new: errmsg NULL on success");
        is_int(cm_stem_apply(st, cases[i].word, strlen(cases[i].word), &out,
                             &len),
               CM_OK, "stem_apply");
        is_str(out, cases[i].stem, cases[i].word);
        is_int((long long)len, (long long)strlen(cases[i].stem),
               "stem length");
        cm_stem_free(st);
    }
    cm_stem *st = JUNK;
    char *msg = NULL;
    const char *out = JUNK;
    size_t len = 5;
    is_int(cm_stem_new("klingon", &st, &msg), CM_ENOTFOUND,
           "unknown language");
    ok(st == NULL && contains(msg, "klingon"), "unknown: errmsg '%s'",
       msg ? msg : "(null)");
    free(msg);
    if (cm_stem_new("en", &st, NULL) != CM_OK)
        return;
    is_int(cm_stem_apply(st, NULL, 3, &out, &len), CM_EINVAL, "NULL word");
    ok(out == NULL && len == 0, "stem_apply: out-pointers reset");
    is_int(cm_stem_apply(st, NULL, 0, &out, &len), CM_OK, "empty word");
    ok(out && out[0] == '\0' && len == 0, "empty word stems to \"\"");
    cm_stem_free(st);
}

/* Each operator, table-driven: a pair of terms and the expected matches. */
static void
test_query_ops(cm_db *db)
{
    static const struct {
        cm_xquery_op op;
        const char *a, *b;
        unsigned window;
        const char *ids; /* docids by relevance, or NULL: count only */
        int n;
    } cases[] = {
        {CM_XQ_AND, "brown", "fox", 0, NULL, 2},
        {CM_XQ_OR, "lazy", "bear", 0, NULL, 3},
        {CM_XQ_AND_NOT, "brown", "dog", 0, "4", 1},
        {CM_XQ_AND_MAYBE, "fox", "lazy", 0, NULL, 3},
        {CM_XQ_FILTER, "dog", "XKEYdocA", 0, NULL, 3},
        {CM_XQ_FILTER, "brown", "Q4", 0, "4", 1},
        {CM_XQ_SYNONYM, "fox", "bear", 0, NULL, 3},
        {CM_XQ_PHRASE, "quick", "brown", 0, NULL, 2},
        {CM_XQ_PHRASE, "brown", "quick", 0, NULL, 0},
        {CM_XQ_PHRASE, "brown", "dog", 0, "3", 1},
        {CM_XQ_PHRASE, "quick", "fox", 3, "1", 1},
        {CM_XQ_NEAR, "brown", "quick", 0, NULL, 2},
        {CM_XQ_NEAR, "dog", "fox", 6, "1", 1},
        {CM_XQ_NEAR, "dog", "fox", 5, NULL, 0},
    };
    char buf[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_xquery *q = pair(cases[i].op, cases[i].a, cases[i].b,
                            cases[i].window);
        cm_mset *ms = q ? search(db, q, 0, 10) : NULL;
        char name[96];
        snprintf(name, sizeof name, "op %d (%s, %s, window %u)",
                 (int)cases[i].op, cases[i].a, cases[i].b, cases[i].window);
        is_int(ms ? (int)cm_mset_size(ms) : -1, cases[i].n, name);
        if (cases[i].ids)
            is_str(docids(ms, buf, sizeof buf), cases[i].ids, name);
        cm_mset_free(ms);
        cm_xquery_free(q);
    }

    /* AND_MAYBE: the optional term raises document 1 to the top. */
    cm_xquery *q = pair(CM_XQ_AND_MAYBE, "fox", "lazy", 0);
    cm_mset *ms = search(db, q, 0, 10);
    unsigned id = 0;
    is_int(cm_mset_docid(ms, 0, &id), CM_OK, "and_maybe top docid");
    is_int(id, 1, "document with both terms first");
    cm_mset_free(ms);
    cm_xquery_free(q);
}

static void
test_query_misc(cm_db *db)
{
    cm_xquery *q = JUNK, *sub[3] = {NULL, NULL, NULL};
    char *desc = JUNK;
    /* Wildcard "d" expands to day, development and dog: four documents. */
    static const struct {
        const char *prefix;
        unsigned max;
        cm_status st;
        int n;
    } wild[] = {
        {"d", 0, CM_OK, 4},         {"d", 3, CM_OK, 4},
        {"d", 2, CM_EQUERY, -1},    {"bro", 1, CM_OK, 3},
        {"zzz", 0, CM_OK, 0},
    };
    for (size_t i = 0; i < sizeof wild / sizeof wild[0]; i++) {
        cm_enquire *enq = NULL;
        cm_mset *ms = JUNK;
        char name[64];
        snprintf(name, sizeof name, "wildcard %s* max %u", wild[i].prefix,
                 wild[i].max);
        if (!is_int(cm_xquery_wildcard(wild[i].prefix, strlen(wild[i].prefix),
                                       wild[i].max, &q),
                    CM_OK, name))
            continue;
        if (cm_enquire_new(db, &enq) != CM_OK ||
            cm_enquire_set_query(enq, q) != CM_OK)
            diag("enquire setup failed");
        is_int(cm_enquire_get_mset(enq, 0, 10, 0, &ms), wild[i].st, name);
        if (wild[i].st == CM_OK)
            is_int(ms ? (int)cm_mset_size(ms) : -1, wild[i].n, name);
        else
            ok(ms == NULL && contains(cm_enquire_errmsg(enq), "WildcardError"),
               "expansion limit: errmsg '%s'", cm_enquire_errmsg(enq));
        cm_mset_free(ms == JUNK ? NULL : ms);
        cm_enquire_free(enq);
        cm_xquery_free(q);
    }

    /* Value ranges on the dates in slot 0. */
    static const struct {
        const char *lo, *hi;
        int n;
    } ranges[] = {
        {"2001-01-01", "2005-12-31", 3}, {NULL, "2000", 1},
        {"2008", NULL, 2},               {NULL, NULL, 6},
        {"2020", "2030", 0},             {"2005-03-03", "2005-03-03", 1},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        char name[96];
        snprintf(name, sizeof name, "value range [%s, %s]",
                 ranges[i].lo ? ranges[i].lo : "-",
                 ranges[i].hi ? ranges[i].hi : "-");
        if (!is_int(cm_xquery_value_range(0, ranges[i].lo, ranges[i].hi, &q),
                    CM_OK, name))
            continue;
        is_int(count(db, q), ranges[i].n, name);
        cm_xquery_free(q);
    }
    is_int(cm_xquery_value_range(5, NULL, NULL, &q), CM_OK, "range on slot 5");
    is_int(count(db, q), 0, "no document has slot 5");
    cm_xquery_free(q);
    is_int(cm_xquery_value_range(1, "", NULL, &q), CM_OK, "range [\"\", -]");
    is_int(count(db, q), 6, "every document has slot 1");
    cm_xquery_free(q);

    /* match_all, match_nothing, describe, is_empty. */
    is_int(cm_xquery_match_all(&q), CM_OK, "match_all");
    is_int(count(db, q), 6, "match_all matches every document");
    is_int(cm_xquery_is_empty(q), 0, "match_all is not empty");
    cm_xquery_free(q);
    is_int(cm_xquery_match_nothing(&q), CM_OK, "match_nothing");
    is_int(count(db, q), 0, "match_nothing matches none");
    is_int(cm_xquery_is_empty(q), 1, "match_nothing is empty");
    cm_xquery_free(q);
    q = pair(CM_XQ_AND, "brown", "fox", 0);
    is_int(cm_xquery_describe(q, &desc), CM_OK, "describe");
    is_str(desc, "Query((brown AND fox))", "description");
    free(desc);
    desc = JUNK;
    is_int(cm_xquery_describe(q, NULL), CM_EINVAL, "describe NULL out");
    cm_xquery_free(q);
    q = JUNK;

    /* Bad combinations. */
    sub[0] = term("brown");
    sub[1] = term("fox");
    is_int(cm_xquery_combine(CM_XQ_AND, sub, 0, 0, &q), CM_EINVAL,
           "combine zero subqueries");
    ok(q == NULL, "combine: *out reset");
    is_int(cm_xquery_combine(CM_XQ_MAX_OP, sub, 2, 0, &q), CM_EINVAL,
           "combine with a bad op");
    is_int(cm_xquery_combine(CM_XQ_OR, sub, 3, 0, &q), CM_EINVAL,
           "combine with a NULL subquery");
    is_int(cm_xquery_combine(CM_XQ_OR, sub, 1, 0, &q), CM_OK,
           "combine one subquery");
    is_int(count(db, q), 3, "OR of one term");
    cm_xquery_free(q);
    /* The combined query survives its parts, freed in any order. */
    is_int(cm_xquery_combine(CM_XQ_OR, sub, 2, 0, &q), CM_OK, "combine");
    cm_xquery_free(sub[0]);
    cm_xquery_free(sub[1]);
    is_int(count(db, q), 4, "combined query outlives its parts");
    cm_xquery_free(q);
    is_int(cm_xquery_term("", 0, 1, 0, &q), CM_EINVAL, "empty query term");
    is_int(cm_xquery_term("fox", 3, 2, 1, &q), CM_OK, "term wqf 2, pos 1");
    is_int(count(db, q), 3, "fox matches three");
    cm_xquery_free(q);
}

static void
test_scale_weight(cm_db *db)
{
    cm_xquery *q = term("brown"), *s2 = JUNK, *s0 = NULL;
    double w1 = 0, w2 = 0, w0 = -1;
    cm_mset *ms = search(db, q, 0, 1);
    is_int(cm_mset_weight(ms, 0, &w1), CM_OK, "weight of top match");
    ok(w1 > 0, "BM25 weight %g > 0", w1);
    cm_mset_free(ms);
    is_int(cm_xquery_scale_weight(q, 2.0, &s2), CM_OK, "scale_weight 2");
    ms = search(db, s2, 0, 1);
    is_int(cm_mset_weight(ms, 0, &w2), CM_OK, "scaled weight");
    ok(fabs(w2 - 2 * w1) < 1e-9, "weight doubled: %g = 2 * %g", w2, w1);
    cm_mset_free(ms);
    is_int(cm_xquery_scale_weight(q, 0.0, &s0), CM_OK, "scale_weight 0");
    ms = search(db, s0, 0, 10);
    is_int(cm_mset_size(ms), 3, "scaled by 0 still matches");
    is_int(cm_mset_weight(ms, 0, &w0), CM_OK, "zero weight");
    ok(w0 == 0.0, "weight scaled to 0");
    cm_mset_free(ms);
    cm_xquery_free(s2);
    s2 = JUNK;
    is_int(cm_xquery_scale_weight(q, -1.0, &s2), CM_EINVAL, "negative factor");
    ok(s2 == NULL, "scale_weight: *out reset");
    is_int(cm_xquery_scale_weight(q, NAN, &s2), CM_EINVAL, "NaN factor");
    cm_xquery_free(s0);
    cm_xquery_free(q);
}

/* A copy is the same query, and outlives the original. */
static void
test_copy(cm_db *db)
{
    cm_xquery *q = term("brown"), *c = NULL;
    char *d1 = NULL, *d2 = NULL;
    double w1 = 0, w2 = -1;
    cm_mset *ms = search(db, q, 0, 1);

    is_int(cm_mset_weight(ms, 0, &w1), CM_OK, "weight of the original");
    cm_mset_free(ms);
    is_int(cm_xquery_copy(q, &c), CM_OK, "copy");
    is_int(cm_xquery_describe(q, &d1), CM_OK, "describe the original");
    cm_xquery_free(q);
    is_int(cm_xquery_describe(c, &d2), CM_OK, "describe the copy");
    ok(d1 && d2 && strcmp(d1, d2) == 0, "the copy is the same query: %s",
       d2 ? d2 : "(null)");
    ms = search(db, c, 0, 10);
    is_int(cm_mset_size(ms), 3, "the copy matches as the original did");
    is_int(cm_mset_weight(ms, 0, &w2), CM_OK, "its top weight");
    ok(w2 == w1, "with the same weight (%g, %g)", w2, w1);
    cm_mset_free(ms);
    cm_xquery_free(c);
    free(d1);
    free(d2);
}

static void
test_fixed_weight(cm_db *db)
{
    cm_xquery *q = term("brown"), *f = JUNK, *sub[2], *a = NULL;
    double w = 0, w_last = 0;
    cm_mset *ms;

    is_int(cm_xquery_fixed_weight(2.5, &f), CM_OK, "fixed_weight 2.5");
    ms = search(db, f, 0, 10);
    is_int(cm_mset_size(ms), 6, "fixed_weight alone matches every document");
    is_int(cm_mset_weight(ms, 0, &w), CM_OK, "its weight");
    ok(fabs(w - 2.5) < 1e-9, "every document weighs 2.5 (%g)", w);
    cm_mset_free(ms);
    /* brown as a filter (weight 0) AND the fixed weight: a constant. */
    sub[0] = NULL;
    is_int(cm_xquery_scale_weight(q, 0.0, &sub[0]), CM_OK, "brown * 0");
    sub[1] = f;
    is_int(cm_xquery_combine(CM_XQ_AND, sub, 2, 0, &a), CM_OK,
           "brown * 0 AND fixed");
    ms = search(db, a, 0, 10);
    is_int(cm_mset_size(ms), 3, "matches brown's three");
    is_int(cm_mset_weight(ms, 0, &w), CM_OK, "first weight");
    is_int(cm_mset_weight(ms, 2, &w_last), CM_OK, "last weight");
    ok(fabs(w - 2.5) < 1e-9 && fabs(w_last - 2.5) < 1e-9,
       "each weighs the fixed 2.5 (%g, %g)", w, w_last);
    cm_mset_free(ms);
    cm_xquery_free(a);
    cm_xquery_free(sub[0]);
    cm_xquery_free(f);
    f = JUNK;
    is_int(cm_xquery_fixed_weight(-1.0, &f), CM_EINVAL, "negative weight");
    ok(f == NULL, "fixed_weight: *out reset");
    is_int(cm_xquery_fixed_weight(INFINITY, &f), CM_EINVAL, "infinite weight");
    is_int(cm_xquery_fixed_weight(1.0, NULL), CM_EINVAL, "NULL out");
    cm_xquery_free(q);
}

/* The docid filter of the searcher's second pass. */
static void
test_docids(cm_db *db)
{
    static const unsigned ids[] = {5, 2, 99, 2, 4};
    cm_xquery *q = term("brown"), *d = JUNK, *sub[2], *f = NULL;
    unsigned first = 0, second = 0;
    double w = 0;
    cm_mset *ms;

    ok(cm_db_is_local_one(db), "one local database");
    is_int(cm_xquery_docids(ids, 5, &d), CM_OK,
           "docids, unsorted, repeated, one past the last");
    ms = search(db, d, 0, 10);
    is_int(cm_mset_size(ms), 3, "matches documents 2, 4 and 5");
    is_int(cm_mset_docid(ms, 0, &first), CM_OK, "first docid");
    is_int(cm_mset_weight(ms, 0, &w), CM_OK, "its weight");
    ok(first == 2 && w == 0.0, "in docid order, weight 0 (%u, %g)", first, w);
    cm_mset_free(ms);
    sub[0] = q;
    sub[1] = d;
    is_int(cm_xquery_combine(CM_XQ_FILTER, sub, 2, 0, &f), CM_OK,
           "brown FILTER docids");
    ms = search(db, f, 0, 10);
    is_int(cm_mset_size(ms), 1, "brown's one document among them");
    is_int(cm_mset_docid(ms, 0, &second), CM_OK, "which");
    ok(second == 2 || second == 4 || second == 5, "one of them (%u)", second);
    is_int(cm_mset_weight(ms, 0, &w), CM_OK, "its weight");
    ok(w > 0, "brown's BM25 weight %g", w);
    cm_mset_free(ms);
    cm_xquery_free(f);
    cm_xquery_free(d);
    is_int(cm_xquery_docids(NULL, 0, &d), CM_OK, "no docids");
    is_int(count(db, d), 0, "match nothing");
    cm_xquery_free(d);
    d = JUNK;
    is_int(cm_xquery_docids(NULL, 2, &d), CM_EINVAL, "NULL docids");
    ok(d == NULL, "docids: *out reset");
    cm_xquery_free(q);
}

/* The docids of q's matches in Xapian's order (by weight, then docid; up
 * to max) into ids, and their weights into ws; the count, or -1 on
 * failure. */
static int
matches(cm_db *db, const cm_xquery *q, unsigned *ids, double *ws, int max)
{
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    int n = -1, i;
    cm_status st = cm_enquire_new(db, &enq);

    if (st == CM_OK)
        st = cm_enquire_set_query(enq, q);
    if (st == CM_OK)
        st = cm_enquire_get_mset(enq, 0, (unsigned)max, 0, &ms);
    if (st == CM_OK) {
        n = (int)cm_mset_size(ms);
        for (i = 0; i < n; i++)
            if (cm_mset_docid(ms, (unsigned)i, &ids[i]) != CM_OK ||
                cm_mset_weight(ms, (unsigned)i, &ws[i]) != CM_OK)
                n = -1;
    } else {
        diag("search failed: %s %s", cm_status_str(st),
             enq ? cm_enquire_errmsg(enq) : cm_db_errmsg(db));
    }
    cm_mset_free(ms);
    cm_enquire_free(enq);
    return n;
}

/* cm_xquery_docid_runs(): the same documents, in every use of a filter,
 * as the boolean term it stands for, and the same weights. */
static void
test_runs_source(void)
{
    enum { N = 3000, RUNS = 400 };
    static unsigned first[RUNS], last[RUNS], ids1[N], ids2[N];
    static double ws1[N], ws2[N];
    static const char *const words[] = {"rare", "some", "many"};
    static const unsigned every[] = {97, 7, 2};
    char p[PATH_MAX], *d = NULL;
    cm_db *w = NULL, *db = NULL;
    cm_xquery *runs = NULL, *lang = NULL;
    unsigned i, n_runs = 0, in = 0;
    int bad = 0, same = 1, k, cases = 0;
    uint64_t x = 12345;

    tpath(p, sizeof p, "runs");
    bad = cm_db_open_writable(p, CM_DB_CREATE, &w, NULL) != CM_OK;
    for (i = 1; !bad && i <= N; i++) {
        cm_xdoc *doc = NULL;
        size_t j;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* Runs of the language: switch one time in 8. */
        if (x % 8 == 0)
            in = !in;
        bad = cm_xdoc_new(&doc) != CM_OK;
        for (j = 0; !bad && j < 3; j++)
            if ((x >> (8 + j * 8)) % every[j] == 0)
                bad = cm_xdoc_add_term(doc, words[j], strlen(words[j]),
                                       1 + (unsigned)(x >> 40) % 5) != CM_OK;
        if (!bad && in) {
            bad = cm_xdoc_add_boolean_term(doc, "Lxx", 3) != CM_OK;
            if (n_runs > 0 && last[n_runs - 1] == i - 1)
                last[n_runs - 1] = i;
            else if (n_runs < RUNS)
                first[n_runs] = last[n_runs] = i, n_runs++;
            else
                bad = 1;
        }
        bad = bad || cm_db_add_document(w, doc, NULL) != CM_OK;
        cm_xdoc_free(doc);
    }
    bad = bad || cm_db_commit(w) != CM_OK || cm_db_open(p, &db, NULL) != CM_OK;
    cm_db_close(w);
    if (!ok(!bad, "an index of %d documents, the language in %u runs", N,
            n_runs)) {
        cm_db_close(db);
        return;
    }
    is_int(cm_xquery_docid_runs(first, last, n_runs, "xx", &runs), CM_OK,
           "runs");
    is_int(cm_xquery_describe(runs, &d), CM_OK, "described");
    ok(d && strstr(d, "cm_runs(xx: ") != NULL, "as cm_runs: %s", d ? d : "");
    free(d);
    lang = term("Lxx");
    /* Alone, and each use of a filter with rare, some and many words:
     * Xapian moves the source by next() and skip_to() and check(). */
    for (k = 0; k < 1 + 3 * 4; k++) {
        cm_xquery *sub[2], *qa = NULL, *qb = NULL, *wq;
        static const cm_xquery_op ops[] = {CM_XQ_FILTER, CM_XQ_AND_NOT,
                                           CM_XQ_AND, CM_XQ_OR};
        int na, nb, j;
        if (k == 0) {
            qa = runs;
            qb = lang;
        } else {
            wq = term(words[(k - 1) / 4]);
            sub[0] = wq;
            sub[1] = runs;
            if (cm_xquery_combine(ops[(k - 1) % 4], sub, 2, 0, &qa) != CM_OK)
                qa = NULL;
            sub[1] = lang;
            if (cm_xquery_combine(ops[(k - 1) % 4], sub, 2, 0, &qb) != CM_OK)
                qb = NULL;
            cm_xquery_free(wq);
        }
        na = qa ? matches(db, qa, ids1, ws1, N) : -1;
        nb = qb ? matches(db, qb, ids2, ws2, N) : -2;
        if (na != nb || na < 0)
            same = 0, diag("case %d: %d against %d matches", k, na, nb);
        for (j = 0; same && j < na; j++)
            if (ids1[j] != ids2[j] || ws1[j] != ws2[j]) {
                same = 0;
                diag("case %d: match %d: %u (%g) against %u (%g)", k, j,
                     ids1[j], ws1[j], ids2[j], ws2[j]);
            }
        cases += na > 0;
        if (k > 0) {
            cm_xquery_free(qa);
            cm_xquery_free(qb);
        }
    }
    ok(same, "alone, FILTER, AND_NOT, AND and OR with three words: the "
             "term's matches and weights");
    ok(cases >= 12, "each matched something (%d of 13)", cases);
    /* The runs a writer stamps may reach past the last document of an
     * older revision: those are left out. */
    if (last[n_runs - 1] == N) {
        last[n_runs - 1] = N + 50;
    } else if (n_runs < RUNS) {
        first[n_runs] = last[n_runs - 1] + 2 > N + 1 ? last[n_runs - 1] + 2
                                                      : N + 1;
        last[n_runs] = N + 50;
        n_runs++;
    }
    cm_xquery_free(runs);
    runs = NULL;
    is_int(cm_xquery_docid_runs(first, last, n_runs, "xx", &runs), CM_OK,
           "a run past the last document");
    is_int(matches(db, runs, ids1, ws1, N), (long long)freq_of(db, "Lxx"),
           "ends at the last document");
    cm_xquery_free(runs);
    runs = JUNK;
    first[1] = last[0] + 1;
    is_int(cm_xquery_docid_runs(first, last, n_runs, "xx", &runs),
           CM_EINVAL, "runs that touch");
    ok(runs == NULL, "  *out reset");
    first[1] = last[0];
    is_int(cm_xquery_docid_runs(first, last, n_runs, "xx", &runs),
           CM_EINVAL, "runs that overlap");
    first[0] = 0;
    is_int(cm_xquery_docid_runs(first, last, 1, NULL, &runs), CM_EINVAL,
           "a run from docid 0");
    is_int(cm_xquery_docid_runs(NULL, last, 1, NULL, &runs), CM_EINVAL,
           "NULL runs");
    is_int(cm_xquery_docid_runs(NULL, NULL, 0, NULL, &runs), CM_OK,
           "no runs");
    is_int(count(db, runs), 0, "  match nothing");
    cm_xquery_free(runs);
    cm_xquery_free(lang);
    cm_db_close(db);
}

static void
test_enquire_page(cm_db *db)
{
    cm_enquire *enq = NULL;
    cm_xquery *all = NULL;
    cm_mset *ms = JUNK;
    char buf[128];
    unsigned lo = 9, est = 9, hi = 9, u = 9;
    double w = -1;
    const char *s = JUNK;
    size_t len = 9;

    if (cm_xquery_match_all(&all) != CM_OK ||
        cm_enquire_new(db, &enq) != CM_OK) {
        ok(0, "enquire setup");
        return;
    }
    is_int(cm_enquire_get_mset(enq, 0, 10, 0, &ms), CM_OK,
           "get_mset with no query");
    is_int(cm_mset_size(ms), 0, "no query, no matches");
    cm_mset_free(ms);
    is_int(cm_enquire_set_query(enq, NULL), CM_EINVAL, "set_query NULL");
    is_int(cm_enquire_set_query(enq, all), CM_OK, "set_query");

    /* Sorting by date, both ways. */
    is_int(cm_enquire_sort_by_value(enq, 0, 0), CM_OK, "sort_by_value");
    is_int(cm_enquire_get_mset(enq, 0, 10, 10, &ms), CM_OK, "get_mset");
    is_str(docids(ms, buf, sizeof buf), "3,1,2,5,6,4", "ascending dates");
    cm_mset_free(ms);
    is_int(cm_enquire_sort_by_value(enq, 0, 1), CM_OK, "sort reversed");
    is_int(cm_enquire_get_mset(enq, 0, 10, 10, &ms), CM_OK, "get_mset");
    is_str(docids(ms, buf, sizeof buf), "4,6,5,2,1,3", "descending dates");
    cm_mset_free(ms);

    /* A page: offset 2, limit 2, exact totals. */
    is_int(cm_enquire_sort_by_value(enq, 0, 0), CM_OK, "sort ascending");
    is_int(cm_enquire_get_mset(enq, 2, 2, 10, &ms), CM_OK, "get_mset page");
    is_str(docids(ms, buf, sizeof buf), "2,5", "offset 2, limit 2");
    is_int(cm_mset_rank(ms, 1, &u), CM_OK, "rank");
    is_int(u, 3, "rank counts from the first match");
    is_int(cm_mset_totals(ms, &lo, &est, &hi), CM_OK, "totals");
    ok(lo == 6 && est == 6 && hi == 6, "totals %u %u %u", lo, est, hi);
    is_int(cm_mset_totals(ms, &lo, NULL, &hi), CM_EINVAL, "totals NULL out");
    ok(lo == 0 && hi == 0, "totals reset on failure");
    is_int(cm_mset_data(ms, 1, &s, &len), CM_OK, "data");
    is_str(s, "para 5", "data of the second match");
    const char *first = s;
    is_int(cm_mset_value(ms, 1, 1, &s, &len), CM_OK, "value");
    ok(len == 4 && strcmp(s, "docB") == 0, "value slot 1 of the match");
    is_int(cm_mset_value(ms, 0, 0, &s, &len), CM_OK, "value slot 0");
    is_str(s, "2003-01-15", "date of the first match");
    is_int(cm_mset_value(ms, 0, 9, &s, &len), CM_OK, "unset slot");
    ok(s && len == 0, "unset slot is \"\"");
    is_int(cm_mset_data(ms, 1, &s, &len), CM_OK, "data again");
    ok(s == first, "data pointer stable until cm_mset_free");
    s = JUNK;
    len = 9;
    is_int(cm_mset_data(ms, 2, &s, &len), CM_EINVAL, "data past the end");
    ok(s == NULL && len == 0, "data: out-pointers reset");
    ok(contains(cm_mset_errmsg(ms), "past the end"), "mset errmsg '%s'",
       cm_mset_errmsg(ms));
    u = 9;
    is_int(cm_mset_docid(ms, 2, &u), CM_EINVAL, "docid past the end");
    is_int(u, 0, "docid reset");
    w = -1;
    is_int(cm_mset_weight(ms, 5, &w), CM_EINVAL, "weight past the end");
    ok(w == 0.0, "weight reset");
    is_int(cm_mset_value(ms, 0, 0, NULL, &len), CM_EINVAL, "value NULL out");
    is_int(cm_mset_matching_terms(ms, 0, NULL, NULL), CM_EINVAL,
           "matching_terms NULL fn");
    cm_mset_free(ms);

    /* limit 0: totals only. */
    is_int(cm_enquire_get_mset(enq, 0, 0, 10, &ms), CM_OK, "limit 0");
    is_int(cm_mset_size(ms), 0, "empty page");
    is_int(cm_mset_totals(ms, &lo, &est, &hi), CM_OK, "totals of limit 0");
    is_int(lo, 6, "still counted");
    cm_mset_free(ms);
    /* Offset past the end. */
    is_int(cm_enquire_get_mset(enq, 50, 10, 0, &ms), CM_OK, "offset 50");
    is_int(cm_mset_size(ms), 0, "nothing past the end");
    cm_mset_free(ms);
    cm_enquire_free(enq);
    cm_xquery_free(all);
}

/* Collapse: one match per document key, counting the others. */
static void
test_collapse(cm_db *db)
{
    cm_enquire *enq = NULL;
    cm_xquery *all = NULL;
    cm_mset *ms = NULL;
    unsigned u = 9;
    size_t len = 0;
    if (cm_xquery_match_all(&all) != CM_OK ||
        cm_enquire_new(db, &enq) != CM_OK ||
        cm_enquire_set_query(enq, all) != CM_OK ||
        cm_enquire_sort_by_value(enq, 0, 0) != CM_OK) {
        ok(0, "enquire setup");
        cm_enquire_free(enq);
        cm_xquery_free(all);
        return;
    }
    is_int(cm_enquire_set_collapse_key(enq, 1, 0), CM_EINVAL,
           "collapse max 0");
    is_int(cm_enquire_set_collapse_key(enq, 1, 1), CM_OK, "collapse key");
    is_int(cm_enquire_get_mset(enq, 0, 10, 10, &ms), CM_OK, "get_mset");
    is_int(cm_mset_size(ms), 3, "one match per key");
    unsigned total = 0;
    for (unsigned i = 0; i < cm_mset_size(ms); i++) {
        const char *key = NULL;
        is_int(cm_mset_collapse_count(ms, i, &u), CM_OK, "collapse_count");
        (void)!cm_mset_value(ms, i, 1, &key, &len);
        is_int(u, strcmp(key, "docA") == 0 ? 2 : strcmp(key, "docB") == 0,
               key);
        total += u;
    }
    is_int(total, 3, "collapsed away three matches");
    cm_mset_free(ms);
    is_int(cm_enquire_set_collapse_key(enq, 1, 2), CM_OK, "collapse max 2");
    is_int(cm_enquire_get_mset(enq, 0, 10, 10, &ms), CM_OK, "get_mset");
    is_int(cm_mset_size(ms), 5, "two matches per key");
    cm_mset_free(ms);
    cm_enquire_free(enq);
    cm_xquery_free(all);
}

/* Relevance order, matching terms, weighting schemes. */
static void
test_relevance(cm_db *db)
{
    cm_enquire *enq = NULL;
    cm_mset *ms = NULL;
    unsigned u = 9;
    double w = -1;
    struct strs terms = {.n = 0};
    cm_xquery *q = pair(CM_XQ_OR, "fox", "lazy", 0);
    if (cm_enquire_new(db, &enq) != CM_OK ||
        cm_enquire_set_query(enq, q) != CM_OK) {
        ok(0, "enquire setup");
        cm_enquire_free(enq);
        cm_xquery_free(q);
        return;
    }
    is_int(cm_enquire_sort_by_relevance(enq), CM_OK, "sort_by_relevance");
    is_int(cm_enquire_get_mset(enq, 0, 10, 0, &ms), CM_OK, "get_mset");
    is_int(cm_mset_docid(ms, 0, &u), CM_OK, "top docid");
    is_int(u, 1, "document 1 has both terms");
    is_int(cm_mset_matching_terms(ms, 0, collect_str, &terms), CM_OK,
           "matching_terms");
    is_str(terms.buf, "fox|lazy", "both query terms match document 1");
    memset(&terms, 0, sizeof terms);
    terms.stop_after = 1;
    is_int(cm_mset_matching_terms(ms, 0, collect_str, &terms), CM_OK,
           "matching_terms stop");
    is_int(terms.n, 1, "stopped after one");
    double prev = 1e300;
    int sorted = 1;
    for (unsigned i = 0; i < cm_mset_size(ms); i++) {
        (void)!cm_mset_weight(ms, i, &w);
        sorted &= w <= prev && w > 0;
        prev = w;
    }
    ok(sorted, "weights positive and decreasing");
    cm_mset_free(ms);
    is_int(cm_enquire_set_bm25(enq, 1.2, 0, 1, 0.75, 0.5), CM_OK, "set_bm25");
    is_int(cm_enquire_get_mset(enq, 0, 10, 0, &ms), CM_OK, "get_mset bm25");
    is_int(cm_mset_size(ms), 4, "same matches with other BM25 parameters");
    cm_mset_free(ms);
    is_int(cm_enquire_set_bm25(enq, NAN, 0, 1, 0.75, 0.5), CM_EINVAL,
           "NaN BM25 parameter");
    is_int(cm_enquire_set_bool_weight(enq), CM_OK, "set_bool_weight");
    is_int(cm_enquire_get_mset(enq, 0, 10, 0, &ms), CM_OK, "get_mset bool");
    w = -1;
    is_int(cm_mset_weight(ms, 0, &w), CM_OK, "bool weight");
    ok(w == 0.0 && cm_mset_size(ms) == 4, "boolean weighting: 0, 4 matches");
    cm_mset_free(ms);
    ms = JUNK;
    is_int(cm_enquire_get_mset(enq, 0, 10, 0, NULL), CM_EINVAL,
           "get_mset NULL out");
    cm_enquire_free(enq);
    cm_xquery_free(q);
    is_int(cm_enquire_new(db, NULL), CM_EINVAL, "enquire_new NULL out");
}

/* cm_db_table_fn: the tables in the order told, in ctx. */
static void
note_table(void *ctx, const char *table)
{
    char *order = ctx;
    size_t n = strlen(order);
    snprintf(order + n, 128 - n, " %s", table);
}

static void
test_shards(void)
{
    char s1[PATH_MAX], s2[PATH_MAX], stub[PATH_MAX];
    cm_db *db = NULL;
    unsigned u = 0;
    unsigned long long rev = 9;
    tpath(s1, sizeof s1, "shard1");
    tpath(s2, sizeof s2, "shard2");
    tpath(stub, sizeof stub, "both.stub");
    if (build_db(s1, 0, 3) != 0 || build_db(s2, 3, NCORPUS) != 0)
        return;
    /* Relative paths in a stub file are relative to the stub's folder. */
    static const char text[] = "# two shards\nauto shard1\nglass shard2\n";
    if (write_file(stub, text, sizeof text - 1) != 0)
        diag("cannot write %s", stub);

    is_int(cm_db_open(stub, &db, NULL), CM_OK, "open a stub of two shards");
    ok(!cm_db_is_local_one(db), "two shards are not one database");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count over shards");
    is_int(u, NCORPUS, "both shards counted");
    is_int(freq_of(db, "brown"), 3, "term_freq over shards");
    cm_xquery *q = term("brown");
    is_int(count(db, q), 3, "search over the stub");
    is_int(cm_db_revision(db, &rev), CM_EINVAL, "no single revision");
    ok(rev == 0, "revision reset");
    cm_db_close(db);

    const char *const paths[] = {s1, s2, stub};
    is_int(cm_db_open_shards(paths, 2, &db, NULL), CM_OK, "open_shards");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count");
    is_int(u, NCORPUS, "open_shards: six documents");
    is_int(count(db, q), 3, "search over open_shards");
    cm_db_close(db);
    is_int(cm_db_open_shards(paths, 3, &db, NULL), CM_OK,
           "open_shards with a stub among them");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count");
    is_int(u, 2 * NCORPUS, "stub's shards added");
    cm_db_close(db);
    is_int(cm_db_open_shards(paths, 1, &db, NULL), CM_OK, "one shard");
    ok(cm_db_is_local_one(db), "one shard is one database");
    is_int(cm_db_revision(db, &rev), CM_OK, "one shard has a revision");
    cm_db_close(db);

    /* Compaction: the stub's two shards as one database. */
    char one[PATH_MAX];
    tpath(one, sizeof one, "merged");
    is_int(cm_db_open(stub, &db, NULL), CM_OK, "open the stub again");
    is_int(cm_db_compact(db, one), CM_OK, "compact two shards into one");
    is_int(cm_db_compact(db, NULL), CM_EINVAL, "compact to NULL");
    {
        char again[PATH_MAX], order[128] = "";
        tpath(again, sizeof again, "merged-again");
        is_int(cm_db_compact_each(db, again, note_table, order), CM_OK,
               "compact, told of each table");
        is_str(order, " postlist docdata termlist position spelling synonym",
               "every table, once it is written, in Xapian's order");
        is_int(cm_db_compact_each(db, NULL, note_table, order), CM_EINVAL,
               "compact_each to NULL");
    }
    is_int(cm_db_compact(NULL, one), CM_EINVAL, "compact NULL db");
    cm_db_close(db);
    db = NULL;
    is_int(cm_db_open(one, &db, NULL), CM_OK, "open the merged database");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count");
    is_int(u, NCORPUS, "every document of both shards");
    is_int(freq_of(db, "brown"), 3, "term_freq kept");
    is_int(count(db, q), 3, "the same search, the same matches");
    is_int(cm_db_revision(db, &rev), CM_OK, "one database: one revision");
    cm_db_close(db);

    /* An index of shards swapped for one database under a reader, as
     * cmindex does when a first build ends: the reader's reopen finds the
     * shards gone and opens what is there now. */
    char live[PATH_MAX], old[PATH_MAX], sub[PATH_MAX];
    static const char stub2[] = "auto s0\nauto s1\n";
    tpath(live, sizeof live, "live");
    tpath(old, sizeof old, "live.old");
    if (mkdir(live, 0777) != 0 ||
        write_file(tpath(sub, sizeof sub, "live/XAPIANDB"), stub2,
                   sizeof stub2 - 1) != 0 ||
        build_db(tpath(sub, sizeof sub, "live/s0"), 0, 2) != 0 ||
        build_db(tpath(sub, sizeof sub, "live/s1"), 2, 3) != 0)
        diag("cannot build %s", live);
    is_int(cm_db_open(live, &db, NULL), CM_OK, "open an index of shards");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count");
    is_int(u, 3, "three documents in its shards");
    if (rename(live, old) != 0 || rename(one, live) != 0)
        diag("cannot swap %s", live);
    rm_rf(old);
    is_int(cm_db_reopen(db), CM_OK, "reopen after the swap");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count");
    is_int(u, NCORPUS, "the new index, all of its documents");
    is_int(count(db, q), 3, "and its matches");
    cm_db_close(db);

    /* One database swapped for another (cmindex --full): the same. */
    tpath(one, sizeof one, "full");
    if (build_db(one, 0, 2) != 0)
        diag("cannot build %s", one);
    is_int(cm_db_open(live, &db, NULL), CM_OK, "open the live index");
    if (rename(live, old) != 0 || rename(one, live) != 0)
        diag("cannot swap %s", live);
    rm_rf(old);
    is_int(cm_db_reopen(db), CM_OK, "reopen after a --full swap");
    is_int(cm_db_doc_count(db, &u), CM_OK, "doc_count");
    is_int(u, 2, "the rebuilt index, its two documents");
    is_int(count(db, q), 2, "and its matches");
    cm_db_close(db);
    cm_xquery_free(q);
}

/* Writes n documents: "hello", "t<j>", "r<round>" and 200 bytes of data. */
static int
write_round(cm_db *w, unsigned n, unsigned round)
{
    cm_xdoc *doc = NULL;
    char t[32], data[201];
    int ret = -1;
    if (cm_xdoc_new(&doc) != CM_OK)
        return -1;
    memset(data, 'a' + (int)round % 26, 200);
    for (unsigned j = 0; j < n; j++) {
        int len = snprintf(t, sizeof t, "t%u", j);
        if (cm_xdoc_clear(doc) != CM_OK ||
            cm_xdoc_add_term(doc, "hello", 5, 1) != CM_OK ||
            cm_xdoc_add_term(doc, t, (size_t)len, 1) != CM_OK)
            goto out;
        len = snprintf(t, sizeof t, "r%u", round);
        if (cm_xdoc_add_term(doc, t, (size_t)len, 1) != CM_OK ||
            cm_xdoc_set_data(doc, data, 200) != CM_OK)
            goto out;
        len = snprintf(t, sizeof t, "Q%u", j);
        if (cm_xdoc_add_boolean_term(doc, t, (size_t)len) != CM_OK ||
            cm_db_replace_document(w, t, (size_t)len, doc, NULL) != CM_OK)
            goto out;
    }
    ret = cm_db_commit(w) == CM_OK ? 0 : -1;
out:
    cm_xdoc_free(doc);
    return ret;
}

/* A reader whose revision the writer has overwritten gets CM_EMODIFIED
 * (glass keeps only the last two revisions' blocks), and reopen cures it. */
static void
test_modified(void)
{
    enum { N = 600, ROUNDS = 3 };
    char p[PATH_MAX];
    cm_db *w = NULL, *r = NULL;
    cm_mset *ms = NULL;
    struct ids ids = {.n = 0};
    const char *s = NULL;
    size_t len = 0;
    tpath(p, sizeof p, "modified");
    if (cm_db_open_writable(p, CM_DB_CREATE | CM_DB_NO_SYNC, &w, NULL) !=
            CM_OK ||
        write_round(w, N, 0) != 0) {
        ok(0, "build %s", p);
        cm_db_close(w);
        return;
    }
    is_int(cm_db_open(p, &r, NULL), CM_OK, "open a reader");
    cm_xquery *q = term("hello");
    ms = search(r, q, 0, 5);
    ok(ms != NULL, "reader searches revision 1");
    for (unsigned round = 1; round <= ROUNDS; round++)
        if (write_round(w, N, round) != 0)
            diag("write round %u failed", round);

    cm_status st = cm_db_postlist(r, "hello", 5, collect_id, &ids);
    is_int(st, CM_EMODIFIED, "stale reader: postlist");
    ok(contains(cm_db_errmsg(r), "DatabaseModifiedError"), "errmsg '%s'",
       cm_db_errmsg(r));
    st = cm_mset_data(ms, 4, &s, &len);
    ok(st == CM_OK || st == CM_EMODIFIED, "stale mset data: %s",
       cm_status_str(st));
    if (st == CM_EMODIFIED)
        ok(s == NULL && contains(cm_mset_errmsg(ms), "Modified"),
           "mset errmsg '%s'", cm_mset_errmsg(ms));
    cm_mset_free(ms);
    ms = JUNK;
    cm_enquire *enq = NULL;
    if (cm_enquire_new(r, &enq) == CM_OK &&
        cm_enquire_set_query(enq, q) == CM_OK) {
        is_int(cm_enquire_get_mset(enq, 0, 5, 0, &ms), CM_EMODIFIED,
               "stale reader: get_mset");
        ok(ms == NULL && contains(cm_enquire_errmsg(enq), "Modified"),
           "get_mset: *out NULL, errmsg '%s'", cm_enquire_errmsg(enq));
    }
    cm_enquire_free(enq);

    is_int(cm_db_reopen(r), CM_OK, "reopen");
    memset(&ids, 0, sizeof ids);
    is_int(cm_db_postlist(r, "hello", 5, collect_id, &ids), CM_OK,
           "postlist after reopen");
    is_int(ids.n, N, "every document after reopen");
    ms = search(r, q, 0, 5);
    is_int(cm_mset_data(ms, 4, &s, &len), CM_OK, "mset data after reopen");
    ok(len == 200 && s[0] == 'a' + ROUNDS, "data of the last round");
    cm_mset_free(ms);
    cm_xquery_free(q);
    cm_db_close(r);
    cm_db_close(w);
}

/* A free TCP port on 127.0.0.1 (0 on failure).  With keep != NULL the
 * socket stays bound but not listening, so connecting is refused. */
static unsigned
free_port(int *keep)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port = 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        port = ntohs(a.sin_port);
    if (keep && fd >= 0)
        *keep = fd;
    else if (fd >= 0)
        close(fd);
    return port;
}

static int
find_in_path(const char *prog, char *out, size_t n)
{
    const char *path = getenv("PATH");
    while (path && *path) {
        size_t len = strcspn(path, ":");
        snprintf(out, n, "%.*s/%s", (int)len, path, prog);
        if (len > 0 && access(out, X_OK) == 0)
            return 0;
        path += len + (path[len] == ':');
    }
    return -1;
}

static pid_t
start_tcpsrv(const char *prog, unsigned port, const char *dbpath)
{
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%u", port);
    pid_t pid = fork();
    if (pid == 0) {
        /* xapian-tcpsrv answers SIGTERM by signalling its whole process
         * group, so it gets a group of its own. */
        int fd = open("/dev/null", O_RDWR);
        setpgid(0, 0);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(prog, prog, "--interface", "127.0.0.1", "--port", portstr,
              "--quiet", dbpath, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        setpgid(pid, pid);
    return pid;
}

static void
test_remote(const char *corpus_path)
{
    char prog[PATH_MAX];
    cm_db *db = JUNK;
    char *msg = NULL;
    int keep = -1;
    unsigned port = free_port(&keep);
    is_int(cm_db_open_remote("127.0.0.1", port, 2000, &db, &msg), CM_ENETWORK,
           "nobody listening: CM_ENETWORK");
    ok(db == NULL && contains(msg, "NetworkError"), "errmsg '%s'",
       msg ? msg : "(null)");
    free(msg);
    if (keep >= 0)
        close(keep);

    if (find_in_path("xapian-tcpsrv", prog, sizeof prog) != 0) {
        diag("xapian-tcpsrv not found in PATH: remote tests skipped");
        return;
    }
    port = free_port(NULL);
    pid_t pid = start_tcpsrv(prog, port, corpus_path);
    if (pid < 0) {
        diag("fork failed: remote tests skipped");
        return;
    }
    /* Wait for the server to listen: up to 5 seconds. */
    cm_status st = CM_ENETWORK;
    for (int i = 0; i < 100 && st == CM_ENETWORK; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        st = cm_db_open_remote("127.0.0.1", port, 0, &db, NULL);
        if (st == CM_ENETWORK)
            nanosleep(&ts, NULL);
    }
    is_int(st, CM_OK, "open_remote");
    if (st == CM_OK) {
        unsigned u = 0;
        unsigned long long rev = 9;
        const char *s = NULL;
        size_t len = 0;
        is_int(cm_db_is_writable(db), 0, "remote is read-only");
        ok(!cm_db_is_local_one(db), "remote is not local");
        is_int(cm_db_doc_count(db, &u), CM_OK, "remote doc_count");
        is_int(u, NCORPUS, "six documents served");
        cm_xquery *q = pair(CM_XQ_AND, "brown", "fox", 0);
        cm_mset *ms = search(db, q, 0, 10);
        is_int(cm_mset_size(ms), 2, "remote search");
        is_int(cm_mset_data(ms, 0, &s, &len), CM_OK, "remote data");
        ok(s && strncmp(s, "para ", 5) == 0, "remote data '%s'", s ? s : "");
        cm_mset_free(ms);
        cm_xquery_free(q);
        /* The title boost's fixed weight (a posting source) travels to the
         * server, which knows it by name. */
        {
            cm_xquery *sub[2] = {term("brown"), NULL}, *a = NULL;
            double w = 0;
            is_int(cm_xquery_fixed_weight(2.5, &sub[1]), CM_OK,
                   "fixed weight for the remote");
            is_int(cm_xquery_combine(CM_XQ_AND, sub, 2, 0, &a), CM_OK,
                   "brown AND fixed weight");
            ms = search(db, a, 0, 10);
            is_int(cm_mset_size(ms), 3, "remote: brown's three");
            is_int(cm_mset_weight(ms, 0, &w), CM_OK, "remote weight");
            ok(w > 2.5, "remote: BM25 plus the fixed 2.5 (%g)", w);
            cm_mset_free(ms);
            cm_xquery_free(a);
            cm_xquery_free(sub[0]);
            cm_xquery_free(sub[1]);
        }
        is_int(cm_db_revision(db, &rev), CM_EINVAL, "no remote revision");
        is_int(cm_db_reopen(db), CM_OK, "remote reopen");
        is_int(cm_db_add_document(db, NULL, NULL), CM_EINVAL,
               "remote is not writable");
        cm_db_close(db);
    }
    kill(pid, SIGTERM);
    int wst = 0;
    ok(waitpid(pid, &wst, 0) == pid, "xapian-tcpsrv stopped");
}

int
main(void)
{
    const char *base = getenv("TMPDIR");
    char corpus_path[PATH_MAX], w_path[PATH_MAX];
    cm_db *db = NULL;
    snprintf(tmpdir, sizeof tmpdir, "%s/test_db.XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir))
        skip_all("cannot make a temporary directory");
    /* A killed server must not take the test down with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);

    test_version();
    test_null_args();
    test_xdoc();
    test_open_failures();
    test_corrupt();
    test_bulk();
    test_lock();
    tpath(w_path, sizeof w_path, "w");
    test_write_read(w_path);
    if (cm_db_open_writable(w_path, 0, &db, NULL) == CM_OK) {
        test_long_terms(db);
        cm_db_close(db);
    }
    test_transactions(w_path);
    test_freq_cache();
    test_stamped();
    test_like_terms();
    test_runs_source();
    test_metadata(w_path);
    test_spelling_synonyms(w_path);
    test_stem();

    tpath(corpus_path, sizeof corpus_path, "corpus");
    if (build_db(corpus_path, 0, NCORPUS) == 0 &&
        cm_db_open(corpus_path, &db, NULL) == CM_OK) {
        test_query_ops(db);
        test_query_misc(db);
        test_scale_weight(db);
        test_copy(db);
        test_fixed_weight(db);
        test_docids(db);
        test_enquire_page(db);
        test_collapse(db);
        test_relevance(db);
        cm_db_close(db);
    } else {
        ok(0, "corpus database");
    }
    test_shards();
    test_modified();
    test_remote(corpus_path);

    rm_rf(tmpdir);
    return done_testing();
}
