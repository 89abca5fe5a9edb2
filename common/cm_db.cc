/* cm_db.cc: the Xapian C shim; the contract is in cm_db.h.
 *
 * This is the only file of the project that includes <xapian.h>.  Every
 * extern "C" function is noexcept and wraps its body in try/catch (...):
 * from_exception() rethrows the exception in flight and turns it into a
 * cm_status, writing the text into the fixed buffer of the handle, so that
 * nothing in a catch block allocates.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include <xapian.h>

/* The programs are built with -fvisibility=hidden; the shim's entry points
 * are public API like cm_status_str(), so they keep default visibility. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC visibility push(default)
#endif
#include "cm_db.h"
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC visibility pop
#endif

/* Room for "DatabaseOpeningError: " and a message naming a long path. */
#define ERRLEN 512
/* Openings again of an index swapped while it was being opened. */
#define OPEN_RETRIES 5
/* Term frequencies kept by a read-only handle, at most. */
#define FREQ_CACHE 4096

struct cm_db {
    /* The read handle; for a writable database it shares wdb's internals. */
    Xapian::Database db;
    Xapian::WritableDatabase wdb;
    bool writable = false;
    bool remote = false;
    bool stub_remote = false; /* a stub file that lists a remote shard */
    /* Term frequencies read (read-only handles): the revision read does
     * not change until reopen, and a query looks up the same terms again
     * (the languages' paragraph counts, every query). */
    std::unordered_map<std::string, unsigned> freqs;
    /* Stamped metadata read (read-only handles), until reopen. */
    std::unordered_map<std::string, std::string> stamps;
    /* Writable: something was written since the last commit (or the
     * opening); at the start of the open transaction. */
    bool changed = false, changed_before = false;
    bool flushed = false; /* the open transaction commits when ended */
    std::string path; /* opened read-only by path: to open again */
    char err[ERRLEN] = "";
};

struct cm_xdoc {
    Xapian::Document doc;
    /* Copies handed out by get_data/get_value: Xapian returns strings by
     * value, and the header promises pointers that outlive the call. */
    std::string data;
    std::map<unsigned, std::string> values;
    char err[ERRLEN] = "";
};

struct cm_xquery {
    Xapian::Query q;
};

struct cm_enquire {
    Xapian::Enquire enq;
    size_t n_dbs; /* the databases searched together (shards) */
    char err[ERRLEN] = "";
    explicit cm_enquire(const Xapian::Database &db)
        : enq(db), n_dbs(db.size())
    {
    }
};

struct cm_mset {
    Xapian::MSet mset;
    /* A handle on the search session, for the matching terms. */
    Xapian::Enquire enq;
    /* Documents fetched so far, and the strings handed out from them; both
     * maps are node based, so the pointers stay valid until cm_mset_free. */
    std::map<unsigned, Xapian::Document> docs;
    std::map<unsigned, std::string> data;
    std::map<std::pair<unsigned, unsigned>, std::string> values;
    mutable char err[ERRLEN] = "";
    cm_mset(const Xapian::MSet &m, const Xapian::Enquire &e)
        : mset(m), enq(e)
    {
    }
};

struct cm_stem {
    Xapian::Stem stem;
    std::string out;
    explicit cm_stem(const std::string &lang) : stem(lang) {}
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static void
put_text(char *buf, const char *text) noexcept
{
    if (buf)
        snprintf(buf, ERRLEN, "%s", text);
}

static cm_status
put_error(char *buf, const Xapian::Error &e, cm_status st) noexcept
{
    /* get_error_string() is the errno text behind an I/O failure ("No
     * space left on device"), which is what a user needs to see. */
    const char *why = e.get_error_string();
    if (buf && why && *why)
        snprintf(buf, ERRLEN, "%s: %s (%s)", e.get_type(), e.get_msg().c_str(),
                 why);
    else if (buf)
        snprintf(buf, ERRLEN, "%s: %s", e.get_type(), e.get_msg().c_str());
    return st;
}

/* Only call from inside a catch block.  Subclasses come before their
 * bases: DatabaseVersionError and DatabaseNotFoundError are kinds of
 * DatabaseOpeningError, which with the lock, modified and corrupt errors is
 * a kind of DatabaseError. */
static cm_status
map_exception(char *buf) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return put_error(buf, e, CM_ELOCKED);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return put_error(buf, e, CM_EMODIFIED);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return put_error(buf, e, CM_ECORRUPT);
    } catch (const Xapian::DatabaseVersionError &e) {
        return put_error(buf, e, CM_EVERSION);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return put_error(buf, e, CM_ENOTFOUND);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return put_error(buf, e, CM_EOPEN);
    } catch (const Xapian::NetworkError &e) {
        return put_error(buf, e, CM_ENETWORK);
    } catch (const Xapian::DocNotFoundError &e) {
        return put_error(buf, e, CM_ENOTFOUND);
    } catch (const Xapian::InvalidArgumentError &e) {
        return put_error(buf, e, CM_EINVAL);
    } catch (const Xapian::InvalidOperationError &e) {
        return put_error(buf, e, CM_EINVAL);
    } catch (const Xapian::WildcardError &e) {
        return put_error(buf, e, CM_EQUERY);
    } catch (const Xapian::QueryParserError &e) {
        return put_error(buf, e, CM_EQUERY);
    } catch (const Xapian::DatabaseError &e) {
        return put_error(buf, e, CM_EIO);
    } catch (const Xapian::Error &e) {
        return put_error(buf, e, CM_EXAPIAN);
    } catch (const std::bad_alloc &) {
        put_text(buf, "out of memory");
        return CM_ENOMEM;
    } catch (const std::exception &e) {
        put_text(buf, e.what());
        return CM_EINTERNAL;
    } catch (...) {
        put_text(buf, "unknown exception");
        return CM_EINTERNAL;
    }
}

template <typename H>
static cm_status
from_exception(const H *h) noexcept
{
    return map_exception(h ? const_cast<char *>(h->err) : nullptr);
}

/* Runs fn for handle h: clears h's error first, and maps an exception
 * onto h.  Every entry point that touches Xapian goes through here. */
template <typename H, typename F>
static cm_status
guarded(H *h, F fn) noexcept
{
    if (!h)
        return CM_EINVAL;
    h->err[0] = '\0';
    try {
        fn();
        return CM_OK;
    } catch (...) {
        return from_exception(h);
    }
}

/* A refused argument: the text goes on the handle (when there is one). */
template <typename H>
static cm_status
invalid(const H *h, const char *why) noexcept
{
    if (h)
        put_text(const_cast<char *>(h->err), why);
    return CM_EINVAL;
}

/* Checks a term (or word, or prefix when may_be_empty) before it reaches
 * Xapian.  An empty term is refused because Xapian reads it as "every
 * document": delete_documents("") would empty the database. */
template <typename H>
static cm_status
check_term(const H *h, const char *term, size_t term_len,
           bool may_be_empty = false) noexcept
{
    if (!term && term_len > 0)
        return invalid(h, "NULL term");
    if (term_len == 0 && !may_be_empty)
        return invalid(h, "empty term");
    if (term_len > CM_DB_MAX_TERM)
        return invalid(h, "term longer than CM_DB_MAX_TERM bytes");
    return CM_OK;
}

template <typename H>
static cm_status
check_cstr_term(const H *h, const char *term) noexcept
{
    if (!term)
        return invalid(h, "NULL term");
    return check_term(h, term, strlen(term));
}

/* A malloc'd copy of s, NUL-terminated, for the caller to free(). */
static char *
dup_string(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* Hands a constructor's error text to its caller ("" means success). */
static void
give_errmsg(char **errmsg, const char *text) noexcept
{
    if (!errmsg)
        return;
    *errmsg = text[0] != '\0' ? strdup(text) : nullptr;
}

template <typename T>
static cm_status
refuse_new(T **out, char **errmsg, const char *why) noexcept
{
    if (out)
        *out = nullptr;
    give_errmsg(errmsg, why);
    return CM_EINVAL;
}

static Xapian::WritableDatabase &
writer(cm_db *db)
{
    if (!db->writable)
        throw Xapian::InvalidOperationError("database opened read-only");
    return db->wdb;
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */

/* Makes a handle and runs open on it; on failure *out is NULL and
 * *errmsg says why. */
template <typename F>
static cm_status
new_db(cm_db **out, char **errmsg, F open) noexcept
{
    char text[ERRLEN] = "";
    cm_status st = CM_OK;
    *out = nullptr;
    try {
        std::unique_ptr<cm_db> h(new cm_db());
        open(*h);
        *out = h.release();
    } catch (...) {
        st = map_exception(text);
    }
    give_errmsg(errmsg, text);
    return st;
}

/* The identity of what is at path now (0 when nothing is). */
static ino_t
inode_at(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Xapian::Database(path), opened again when the index was swapped under
 * us: cmindex replaces an index whole (the shards of a first build merged
 * into one database, a --full rebuild) by exchanging two folders with
 * renameat2(), and a reader that read the stub just before can then look
 * for a shard that is gone.  What is at path has changed then, and a new
 * opening finds the new index; an index that is broken (nothing changed)
 * is reported at once. */
static Xapian::Database
open_path(const char *path)
{
    for (int tries = 0;; tries++) {
        ino_t before = inode_at(path);
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseVersionError &) {
            throw;
        } catch (const Xapian::DatabaseOpeningError &) {
            if (tries == OPEN_RETRIES || inode_at(path) == before)
                throw;
        }
    }
}

/* Whether path is a stub file, or a folder with a stub file XAPIANDB,
 * with a line for a remote shard ("remote host:port", "remote :ssh ..."). */
static bool
lists_remote(const char *path)
{
    struct stat sb;
    std::string file(path);
    if (stat(path, &sb) != 0)
        return false;
    if (S_ISDIR(sb.st_mode)) {
        file += "/XAPIANDB";
        if (stat(file.c_str(), &sb) != 0)
            return false;
    }
    if (!S_ISREG(sb.st_mode))
        return false;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        size_t i = line.find_first_not_of(" \t");
        if (i != std::string::npos && line.compare(i, 6, "remote") == 0)
            return true;
    }
    return false;
}

extern "C" cm_status
cm_db_open(const char *path, cm_db **out, char **errmsg) noexcept
{
    if (!path || !out)
        return refuse_new(out, errmsg, "NULL path or out");
    return new_db(out, errmsg, [path](cm_db &h) {
        h.db = open_path(path);
        h.path = path;
        h.stub_remote = lists_remote(path);
    });
}

extern "C" cm_status
cm_db_open_shards(const char *const *paths, size_t n, cm_db **out,
                  char **errmsg) noexcept
{
    if (!paths || n == 0 || !out)
        return refuse_new(out, errmsg, "NULL paths or out, or no shard");
    for (size_t i = 0; i < n; i++)
        if (!paths[i])
            return refuse_new(out, errmsg, "NULL shard path");
    return new_db(out, errmsg, [paths, n](cm_db &h) {
        for (size_t i = 0; i < n; i++)
            h.db.add_database(Xapian::Database(paths[i]));
    });
}

extern "C" cm_status
cm_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                  cm_db **out, char **errmsg) noexcept
{
    if (!host || !out || port == 0 || port > 65535)
        return refuse_new(out, errmsg, "NULL host or out, or bad port");
    /* Xapian reads a timeout of 0 as "wait forever"; ours means default. */
    unsigned ms = timeout_ms ? timeout_ms : 10000;
    return new_db(out, errmsg, [host, port, ms](cm_db &h) {
        h.db = Xapian::Remote::open(host, port, ms, ms);
        h.remote = true;
    });
}

static int
writable_action(unsigned flags)
{
    int action = Xapian::DB_OPEN;
    if (flags & CM_DB_OVERWRITE)
        action = Xapian::DB_CREATE_OR_OVERWRITE;
    else if (flags & CM_DB_CREATE)
        action = Xapian::DB_CREATE_OR_OPEN;
    if (flags & CM_DB_WAIT_LOCK)
        action |= Xapian::DB_RETRY_LOCK;
    if (flags & CM_DB_NO_SYNC)
        action |= Xapian::DB_NO_SYNC;
    /* Only consulted when a database is created. */
    return action | Xapian::DB_BACKEND_GLASS;
}

/* Glass merges the postings and positions it holds into its tables every
 * XAPIAN_FLUSH_THRESHOLD documents (10,000 when unset), commit or not,
 * and reads the variable when a database is opened for writing.  Every
 * posting looks its term up in the held changes (a map keyed by term,
 * each with a map from document id), and at 10,000 paragraphs those maps
 * cost more than merging ten times as often into tables that are still
 * small: building the treaties took 105 -> 91 CPU-s of user time for 10
 * -> 16 of system time, 64 -> 59 s (bench/README.md, "Stop 16").  Into
 * a large database each merge touches blocks all over it, and there
 * Xapian's default is faster (adding 800 files to 1,600: 12.4-12.9 s
 * against 13.5-13.8 s), so only a database filled from empty gets it. */
static Xapian::WritableDatabase
open_bulk(const char *path, int action)
{
    if (getenv("XAPIAN_FLUSH_THRESHOLD") != nullptr)
        return Xapian::WritableDatabase(path, action);
    setenv("XAPIAN_FLUSH_THRESHOLD", CM_DB_BULK_FLUSH, 1);
    try {
        Xapian::WritableDatabase w(path, action);
        unsetenv("XAPIAN_FLUSH_THRESHOLD");
        return w;
    } catch (...) {
        unsetenv("XAPIAN_FLUSH_THRESHOLD");
        throw;
    }
}

extern "C" cm_status
cm_db_open_writable(const char *path, unsigned flags, cm_db **out,
                    char **errmsg) noexcept
{
    const unsigned known = CM_DB_CREATE | CM_DB_OVERWRITE | CM_DB_WAIT_LOCK |
                           CM_DB_NO_SYNC | CM_DB_BULK;
    if (!path || !out || (flags & ~known))
        return refuse_new(out, errmsg, "NULL path or out, or unknown flag");
    int action = writable_action(flags);
    bool bulk = (flags & CM_DB_BULK) != 0;
    return new_db(out, errmsg, [path, action, bulk](cm_db &h) {
        h.wdb = bulk ? open_bulk(path, action)
                     : Xapian::WritableDatabase(path, action);
        h.db = h.wdb;
        h.writable = true;
    });
}

extern "C" void
cm_db_close(cm_db *db) noexcept
{
    if (!db)
        return;
    if (db->writable) {
        /* Xapian's close() aborts an open transaction and otherwise
         * commits; the header tells callers to commit first to see errors,
         * so a failure here is dropped on purpose. */
        try {
            db->wdb.close();
        } catch (...) {
        }
    }
    delete db;
}

extern "C" const char *
cm_db_errmsg(const cm_db *db) noexcept
{
    return db ? db->err : "";
}

extern "C" int
cm_db_is_writable(const cm_db *db) noexcept
{
    return db && db->writable ? 1 : 0;
}

extern "C" cm_status
cm_db_reopen(cm_db *db) noexcept
{
    return guarded(db, [db] {
        if (db->writable)
            return;
        db->freqs.clear();
        db->stamps.clear();
        try {
            db->db.reopen();
        } catch (const Xapian::DatabaseOpeningError &) {
            /* The index was swapped (see open_path()): a table of the old
             * one is gone.  Open what is there now. */
            if (db->path.empty())
                throw;
            db->db = open_path(db->path.c_str());
        }
    });
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */

/* Runs a call that needs a writable database, mapping its failure; one
 * that writes (writes: the default) marks the database changed, even when
 * it fails part way. */
template <typename F>
static cm_status
on_writer(cm_db *db, F fn, bool writes = true) noexcept
{
    return guarded(db, [db, &fn, writes] {
        Xapian::WritableDatabase &w = writer(db);
        if (writes)
            db->changed = true;
        fn(w);
    });
}

extern "C" cm_status
cm_db_commit(cm_db *db) noexcept
{
    return on_writer(
        db,
        [db](Xapian::WritableDatabase &w) {
            w.commit();
            db->changed = false;
        },
        false);
}

extern "C" cm_status
cm_db_begin(cm_db *db, int flushed) noexcept
{
    return on_writer(
        db,
        [db, flushed](Xapian::WritableDatabase &w) {
            w.begin_transaction(flushed != 0);
            /* A flushed one first commits what is pending. */
            db->flushed = flushed != 0;
            if (db->flushed)
                db->changed = false;
            db->changed_before = db->changed;
        },
        false);
}

extern "C" cm_status
cm_db_commit_transaction(cm_db *db) noexcept
{
    return on_writer(
        db,
        [db](Xapian::WritableDatabase &w) {
            w.commit_transaction();
            if (db->flushed)
                db->changed = false;
        },
        false);
}

extern "C" cm_status
cm_db_cancel_transaction(cm_db *db) noexcept
{
    return on_writer(
        db,
        [db](Xapian::WritableDatabase &w) {
            w.cancel_transaction();
            db->changed = db->changed_before;
        },
        false);
}

extern "C" int
cm_db_has_changes(const cm_db *db) noexcept
{
    return db && db->writable && db->changed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Documents                                                           */

extern "C" cm_status
cm_xdoc_new(cm_xdoc **out) noexcept
{
    if (!out)
        return CM_EINVAL;
    *out = nullptr;
    try {
        *out = new cm_xdoc();
        return CM_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

extern "C" void
cm_xdoc_free(cm_xdoc *doc) noexcept
{
    delete doc;
}

extern "C" const char *
cm_xdoc_errmsg(const cm_xdoc *doc) noexcept
{
    return doc ? doc->err : "";
}

/* Hands each string of [it, end) to fn with count(it) until fn returns
 * nonzero: the loop of every function that lists terms, words or keys. */
template <typename Count>
static void
each_string(Xapian::TermIterator it, const Xapian::TermIterator &end,
            cm_db_str_fn fn, void *ctx, Count count)
{
    for (; it != end; ++it) {
        const std::string &s = *it;
        if (fn(ctx, s.data(), s.size(), count(it)) != 0)
            break;
    }
}

static unsigned
termfreq_of(const Xapian::TermIterator &t)
{
    return t.get_termfreq();
}

static unsigned
no_count(const Xapian::TermIterator &)
{
    return 0;
}

/* Runs a call on doc->doc, mapping its failure. */
template <typename F>
static cm_status
on_doc(cm_xdoc *doc, F fn) noexcept
{
    return guarded(doc, [doc, &fn] { fn(doc->doc); });
}

extern "C" cm_status
cm_xdoc_clear(cm_xdoc *doc) noexcept
{
    return on_doc(doc, [doc](Xapian::Document &d) {
        d = Xapian::Document();
        doc->data.clear();
        doc->values.clear();
    });
}

extern "C" cm_status
cm_xdoc_add_posting(cm_xdoc *doc, const char *term, size_t term_len,
                    unsigned pos, unsigned wdfinc) noexcept
{
    cm_status st = check_term(doc, term, term_len);
    if (st != CM_OK)
        return st;
    return on_doc(doc, [=](Xapian::Document &d) {
        d.add_posting(std::string(term, term_len), pos, wdfinc);
    });
}

extern "C" cm_status
cm_xdoc_add_term(cm_xdoc *doc, const char *term, size_t term_len,
                 unsigned wdfinc) noexcept
{
    cm_status st = check_term(doc, term, term_len);
    if (st != CM_OK)
        return st;
    return on_doc(doc, [=](Xapian::Document &d) {
        d.add_term(std::string(term, term_len), wdfinc);
    });
}

extern "C" cm_status
cm_xdoc_add_boolean_term(cm_xdoc *doc, const char *term,
                         size_t term_len) noexcept
{
    cm_status st = check_term(doc, term, term_len);
    if (st != CM_OK)
        return st;
    return on_doc(doc, [=](Xapian::Document &d) {
        d.add_boolean_term(std::string(term, term_len));
    });
}

extern "C" cm_status
cm_xdoc_remove_term(cm_xdoc *doc, const char *term, size_t term_len) noexcept
{
    cm_status st = check_term(doc, term, term_len);
    if (st != CM_OK)
        return st;
    /* Xapian throws InvalidArgumentError for a term the document lacks;
     * that maps to CM_EINVAL, which the header promises as CM_ENOTFOUND. */
    st = on_doc(doc, [=](Xapian::Document &d) {
        d.remove_term(std::string(term, term_len));
    });
    return st == CM_EINVAL ? CM_ENOTFOUND : st;
}

extern "C" cm_status
cm_xdoc_set_value(cm_xdoc *doc, unsigned slot, const char *val,
                  size_t val_len) noexcept
{
    if (!val && val_len > 0)
        return invalid(doc, "NULL value");
    return on_doc(doc, [=](Xapian::Document &d) {
        d.add_value(slot, val_len ? std::string(val, val_len) : std::string());
    });
}

extern "C" cm_status
cm_xdoc_get_value(cm_xdoc *doc, unsigned slot, const char **val,
                  size_t *val_len) noexcept
{
    if (val)
        *val = nullptr;
    if (val_len)
        *val_len = 0;
    if (!val || !val_len)
        return invalid(doc, "NULL out-pointer");
    return on_doc(doc, [=](Xapian::Document &d) {
        std::string &v = doc->values[slot];
        v = d.get_value(slot);
        *val = v.c_str();
        *val_len = v.size();
    });
}

extern "C" cm_status
cm_xdoc_set_data(cm_xdoc *doc, const char *data, size_t data_len) noexcept
{
    if (!data && data_len > 0)
        return invalid(doc, "NULL data");
    return on_doc(doc, [=](Xapian::Document &d) {
        d.set_data(data_len ? std::string(data, data_len) : std::string());
    });
}

extern "C" cm_status
cm_xdoc_get_data(cm_xdoc *doc, const char **data, size_t *data_len) noexcept
{
    if (data)
        *data = nullptr;
    if (data_len)
        *data_len = 0;
    if (!data || !data_len)
        return invalid(doc, "NULL out-pointer");
    return on_doc(doc, [=](Xapian::Document &d) {
        doc->data = d.get_data();
        *data = doc->data.c_str();
        *data_len = doc->data.size();
    });
}

extern "C" cm_status
cm_xdoc_terms(cm_xdoc *doc, cm_db_str_fn fn, void *ctx) noexcept
{
    if (!fn)
        return invalid(doc, "NULL callback");
    return on_doc(doc, [=](Xapian::Document &d) {
        each_string(d.termlist_begin(), d.termlist_end(), fn, ctx,
                    [](const Xapian::TermIterator &t) -> unsigned {
                        return t.get_wdf();
                    });
    });
}

extern "C" cm_status
cm_xdoc_term_count(cm_xdoc *doc, unsigned *count) noexcept
{
    if (count)
        *count = 0;
    if (!count)
        return invalid(doc, "NULL out-pointer");
    return on_doc(doc,
                  [=](Xapian::Document &d) { *count = d.termlist_count(); });
}

extern "C" cm_status
cm_db_add_document(cm_db *db, const cm_xdoc *doc, unsigned *docid) noexcept
{
    if (docid)
        *docid = 0;
    if (!doc)
        return invalid(db, "NULL document");
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        Xapian::docid id = w.add_document(doc->doc);
        if (docid)
            *docid = id;
    });
}

extern "C" cm_status
cm_db_replace_document(cm_db *db, const char *idterm, size_t idterm_len,
                       const cm_xdoc *doc, unsigned *docid) noexcept
{
    if (docid)
        *docid = 0;
    cm_status st = check_term(db, idterm, idterm_len);
    if (st != CM_OK)
        return st;
    if (!doc)
        return invalid(db, "NULL document");
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        std::string id(idterm, idterm_len);
        Xapian::docid got = w.replace_document(id, doc->doc);
        if (docid)
            *docid = got;
    });
}

extern "C" cm_status
cm_db_delete_documents(cm_db *db, const char *term, size_t term_len) noexcept
{
    cm_status st = check_term(db, term, term_len);
    if (st != CM_OK)
        return st;
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        w.delete_document(std::string(term, term_len));
    });
}

extern "C" cm_status
cm_db_delete_docid(cm_db *db, unsigned docid) noexcept
{
    return on_writer(db, [docid](Xapian::WritableDatabase &w) {
        w.delete_document(docid);
    });
}

/* Runs a read-only call on db->db, mapping its failure. */
template <typename F>
static cm_status
on_reader(cm_db *db, F fn) noexcept
{
    return guarded(db, [db, &fn] { fn(db->db); });
}

extern "C" cm_status
cm_db_get_document(cm_db *db, unsigned docid, cm_xdoc **out) noexcept
{
    if (out)
        *out = nullptr;
    if (!out)
        return invalid(db, "NULL out-pointer");
    return on_reader(db, [=](Xapian::Database &d) {
        std::unique_ptr<cm_xdoc> x(new cm_xdoc());
        x->doc = d.get_document(docid);
        *out = x.release();
    });
}

/* ------------------------------------------------------------------ */
/* Statistics and iteration                                            */

/* Xapian reports each table twice: with an empty status when it starts
 * on it, and with another ("Reduced by ...", "doesn't exist") when it is
 * done with it. */
class TableWatch : public Xapian::Compactor {
  public:
    TableWatch(cm_db_table_fn fn, void *ctx) : fn_(fn), ctx_(ctx) {}
    void
    set_status(const std::string &table, const std::string &status) override
    {
        if (fn_ != nullptr && !status.empty())
            fn_(ctx_, table.c_str());
    }

  private:
    cm_db_table_fn fn_;
    void *ctx_;
};

extern "C" cm_status
cm_db_compact_each(cm_db *db, const char *dst, cm_db_table_fn merged,
                   void *ctx) noexcept
{
    if (!dst)
        return invalid(db, "NULL destination");
    return on_reader(db, [=](Xapian::Database &d) {
        TableWatch watch(merged, ctx);
        d.compact(dst, Xapian::Compactor::FULL, 0, watch);
    });
}

extern "C" cm_status
cm_db_compact(cm_db *db, const char *dst) noexcept
{
    return cm_db_compact_each(db, dst, nullptr, nullptr);
}

extern "C" cm_status
cm_db_doc_count(cm_db *db, unsigned *count) noexcept
{
    if (count)
        *count = 0;
    if (!count)
        return invalid(db, "NULL out-pointer");
    return on_reader(db,
                     [=](Xapian::Database &d) { *count = d.get_doccount(); });
}

extern "C" cm_status
cm_db_last_docid(cm_db *db, unsigned *docid) noexcept
{
    if (docid)
        *docid = 0;
    if (!docid)
        return invalid(db, "NULL out-pointer");
    return on_reader(db,
                     [=](Xapian::Database &d) { *docid = d.get_lastdocid(); });
}

extern "C" cm_status
cm_db_term_freq(cm_db *db, const char *term, size_t term_len,
                unsigned *freq) noexcept
{
    if (freq)
        *freq = 0;
    if (!freq)
        return invalid(db, "NULL out-pointer");
    cm_status st = check_term(db, term, term_len);
    if (st != CM_OK)
        return st;
    return on_reader(db, [=](Xapian::Database &d) {
        std::string t(term, term_len);
        if (db->writable) {
            *freq = d.get_termfreq(t);
            return;
        }
        auto it = db->freqs.find(t);
        if (it != db->freqs.end()) {
            *freq = it->second;
            return;
        }
        *freq = d.get_termfreq(t);
        if (db->freqs.size() >= FREQ_CACHE)
            db->freqs.clear();
        db->freqs.emplace(std::move(t), *freq);
    });
}

extern "C" cm_status
cm_db_collection_freq(cm_db *db, const char *term, size_t term_len,
                      unsigned long long *freq) noexcept
{
    if (freq)
        *freq = 0;
    if (!freq)
        return invalid(db, "NULL out-pointer");
    cm_status st = check_term(db, term, term_len);
    if (st != CM_OK)
        return st;
    return on_reader(db, [=](Xapian::Database &d) {
        *freq = d.get_collection_freq(std::string(term, term_len));
    });
}

extern "C" cm_status
cm_db_total_length(cm_db *db, unsigned long long *len) noexcept
{
    if (len)
        *len = 0;
    if (!len)
        return invalid(db, "NULL out-pointer");
    return on_reader(db, [=](Xapian::Database &d) {
        *len = d.get_total_length();
    });
}

extern "C" cm_status
cm_db_revision(cm_db *db, unsigned long long *rev) noexcept
{
    if (rev)
        *rev = 0;
    if (!rev)
        return invalid(db, "NULL out-pointer");
    if (db && db->remote)
        return invalid(db, "no revision for a remote database");
    /* Xapian refuses several shards with InvalidOperationError. */
    return on_reader(db,
                     [=](Xapian::Database &d) { *rev = d.get_revision(); });
}

extern "C" cm_status
cm_db_postlist(cm_db *db, const char *term, size_t term_len,
               cm_db_docid_fn fn, void *ctx) noexcept
{
    if (!fn)
        return invalid(db, "NULL callback");
    cm_status st = check_term(db, term, term_len);
    if (st != CM_OK)
        return st;
    return on_reader(db, [=](Xapian::Database &d) {
        std::string t(term, term_len);
        for (auto p = d.postlist_begin(t); p != d.postlist_end(t); ++p)
            if (fn(ctx, *p) != 0)
                break;
    });
}

extern "C" cm_status
cm_db_allterms(cm_db *db, const char *prefix, cm_db_str_fn fn,
               void *ctx) noexcept
{
    if (!fn)
        return invalid(db, "NULL callback");
    return on_reader(db, [=](Xapian::Database &d) {
        std::string pfx(prefix ? prefix : "");
        each_string(d.allterms_begin(pfx), d.allterms_end(pfx), fn, ctx,
                    termfreq_of);
    });
}

/* ------------------------------------------------------------------ */
/* Metadata                                                            */

extern "C" cm_status
cm_db_get_metadata(cm_db *db, const char *key, char **value,
                   size_t *value_len) noexcept
{
    if (value)
        *value = nullptr;
    if (value_len)
        *value_len = 0;
    if (!key || !value || !value_len)
        return invalid(db, "NULL key or out-pointer");
    return on_reader(db, [=](Xapian::Database &d) {
        std::string v = d.get_metadata(key);
        *value = dup_string(v);
        *value_len = v.size();
    });
}

extern "C" cm_status
cm_db_set_metadata(cm_db *db, const char *key, const char *value,
                   size_t value_len) noexcept
{
    if (!key || (!value && value_len > 0))
        return invalid(db, "NULL key or value");
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        w.set_metadata(key, value_len ? std::string(value, value_len)
                                      : std::string());
    });
}

extern "C" cm_status
cm_db_metadata_keys(cm_db *db, const char *prefix, cm_db_str_fn fn,
                    void *ctx) noexcept
{
    if (!fn)
        return invalid(db, "NULL callback");
    return on_reader(db, [=](Xapian::Database &d) {
        std::string pfx(prefix ? prefix : "");
        each_string(d.metadata_keys_begin(pfx), d.metadata_keys_end(pfx), fn,
                    ctx, no_count);
    });
}

/* A stamp: the database's UUID and a revision.  Xapian gives a database
 * a new UUID when it is created (a compaction's too) and the revision
 * counts its commits, so a stamp names one commit of one database. */
static std::string
stamp_of(const std::string &uuid, Xapian::rev rev)
{
    return uuid + ' ' + std::to_string(rev) + '\n';
}

extern "C" cm_status
cm_db_set_stamped(cm_db *db, const char *key, const char *value,
                  size_t value_len) noexcept
{
    if (!key || !*key || (!value && value_len > 0))
        return invalid(db, "NULL key or value");
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        std::string v = stamp_of(w.get_uuid(), w.get_revision() + 1);
        v.append(value ? value : "", value_len);
        w.set_metadata(key, v);
    });
}

/* The value under key when its stamp is that of d's revision, else "". */
static std::string
stamped_value(Xapian::Database &d, const char *key)
{
    std::string v = d.get_metadata(key), stamp;
    try {
        stamp = stamp_of(d.get_uuid(), d.get_revision());
    } catch (const Xapian::InvalidOperationError &) {
        return std::string(); /* several shards: no one revision */
    }
    if (v.compare(0, stamp.size(), stamp) != 0)
        return std::string();
    return v.substr(stamp.size());
}

extern "C" cm_status
cm_db_get_stamped(cm_db *db, const char *key, char **value,
                  size_t *value_len) noexcept
{
    if (value)
        *value = nullptr;
    if (value_len)
        *value_len = 0;
    if (!key || !*key || !value || !value_len)
        return invalid(db, "NULL key or out-pointer");
    /* Pending changes are not at the stamped commit. */
    if (db && (db->remote || db->stub_remote || db->changed))
        return CM_OK;
    return on_reader(db, [=](Xapian::Database &d) {
        std::string v;
        auto it = db->stamps.find(key);
        if (it != db->stamps.end()) {
            v = it->second;
        } else {
            v = stamped_value(d, key);
            if (!db->writable)
                db->stamps.emplace(key, v);
        }
        if (!v.empty()) {
            *value = dup_string(v);
            *value_len = v.size();
        }
    });
}

/* ------------------------------------------------------------------ */
/* Spelling and synonyms                                               */

extern "C" cm_status
cm_db_add_spelling(cm_db *db, const char *word, unsigned freqinc) noexcept
{
    cm_status st = check_cstr_term(db, word);
    if (st != CM_OK)
        return st;
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        w.add_spelling(word, freqinc);
    });
}

extern "C" cm_status
cm_db_remove_spelling(cm_db *db, const char *word, unsigned freqdec) noexcept
{
    cm_status st = check_cstr_term(db, word);
    if (st != CM_OK)
        return st;
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        w.remove_spelling(word, freqdec);
    });
}

extern "C" cm_status
cm_db_spelling_suggest(cm_db *db, const char *word, unsigned max_edit,
                       char **out) noexcept
{
    if (out)
        *out = nullptr;
    if (!out)
        return invalid(db, "NULL out-pointer");
    cm_status st = check_cstr_term(db, word);
    if (st != CM_OK)
        return st;
    return on_reader(db, [=](Xapian::Database &d) {
        *out = dup_string(d.get_spelling_suggestion(word, max_edit));
    });
}

extern "C" cm_status
cm_db_spelling_words(cm_db *db, cm_db_str_fn fn, void *ctx) noexcept
{
    if (!fn)
        return invalid(db, "NULL callback");
    return on_reader(db, [=](Xapian::Database &d) {
        each_string(d.spellings_begin(), d.spellings_end(), fn, ctx,
                    termfreq_of);
    });
}

extern "C" cm_status
cm_db_add_synonym(cm_db *db, const char *term, const char *synonym) noexcept
{
    cm_status st = check_cstr_term(db, term);
    if (st == CM_OK)
        st = check_cstr_term(db, synonym);
    if (st != CM_OK)
        return st;
    return on_writer(db, [=](Xapian::WritableDatabase &w) {
        w.add_synonym(term, synonym);
    });
}

extern "C" cm_status
cm_db_clear_synonyms(cm_db *db, const char *term) noexcept
{
    cm_status st = check_cstr_term(db, term);
    if (st != CM_OK)
        return st;
    return on_writer(
        db, [=](Xapian::WritableDatabase &w) { w.clear_synonyms(term); });
}

extern "C" cm_status
cm_db_synonyms(cm_db *db, const char *term, cm_db_str_fn fn,
               void *ctx) noexcept
{
    if (!fn)
        return invalid(db, "NULL callback");
    cm_status st = check_cstr_term(db, term);
    if (st != CM_OK)
        return st;
    return on_reader(db, [=](Xapian::Database &d) {
        std::string t(term);
        each_string(d.synonyms_begin(t), d.synonyms_end(t), fn, ctx,
                    no_count);
    });
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* Wraps a freshly built query in a handle. */
template <typename F>
static cm_status
new_query(cm_xquery **out, F build) noexcept
{
    if (!out)
        return CM_EINVAL;
    *out = nullptr;
    try {
        std::unique_ptr<cm_xquery> h(new cm_xquery());
        h->q = build();
        *out = h.release();
        return CM_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

extern "C" cm_status
cm_xquery_term(const char *term, size_t term_len, unsigned wqf, unsigned pos,
               cm_xquery **out) noexcept
{
    cm_status st = check_term<cm_db>(nullptr, term, term_len);
    if (st != CM_OK) {
        if (out)
            *out = nullptr;
        return st;
    }
    return new_query(out, [=] {
        return Xapian::Query(std::string(term, term_len), wqf, pos);
    });
}

extern "C" cm_status
cm_xquery_match_all(cm_xquery **out) noexcept
{
    return new_query(out, [] { return Xapian::Query::MatchAll; });
}

extern "C" cm_status
cm_xquery_match_nothing(cm_xquery **out) noexcept
{
    return new_query(out, [] { return Xapian::Query::MatchNothing; });
}

extern "C" cm_status
cm_xquery_combine(cm_xquery_op op, cm_xquery *const *subs, size_t n,
                  unsigned window, cm_xquery **out) noexcept
{
    static const Xapian::Query::op xop[CM_XQ_MAX_OP] = {
        Xapian::Query::OP_AND,       Xapian::Query::OP_OR,
        Xapian::Query::OP_AND_NOT,   Xapian::Query::OP_AND_MAYBE,
        Xapian::Query::OP_FILTER,    Xapian::Query::OP_SYNONYM,
        Xapian::Query::OP_PHRASE,    Xapian::Query::OP_NEAR,
    };
    bool bad = (unsigned)op >= CM_XQ_MAX_OP || !subs || n == 0;
    for (size_t i = 0; !bad && i < n; i++)
        bad = subs[i] == nullptr;
    if (bad) {
        if (out)
            *out = nullptr;
        return CM_EINVAL;
    }
    /* Only PHRASE and NEAR have a window; Xapian ignores it elsewhere. */
    return new_query(out, [=] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        return Xapian::Query(xop[op], v.begin(), v.end(), window);
    });
}

extern "C" cm_status
cm_xquery_wildcard(const char *prefix, size_t prefix_len,
                   unsigned max_expansion, cm_xquery **out) noexcept
{
    cm_status st = check_term<cm_db>(nullptr, prefix, prefix_len, true);
    if (st != CM_OK) {
        if (out)
            *out = nullptr;
        return st;
    }
    /* LIMIT_ERROR makes the search throw WildcardError (CM_EQUERY) rather
     * than silently dropping terms. */
    return new_query(out, [=] {
        return Xapian::Query(Xapian::Query::OP_WILDCARD,
                             std::string(prefix, prefix_len), max_expansion,
                             Xapian::Query::WILDCARD_LIMIT_ERROR,
                             Xapian::Query::OP_SYNONYM);
    });
}

extern "C" cm_status
cm_xquery_value_range(unsigned slot, const char *lo, const char *hi,
                      cm_xquery **out) noexcept
{
    return new_query(out, [=] {
        if (lo && hi)
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
        if (hi)
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        /* Xapian reads ">= \"\"" as every document, even those without a
         * value; every value (never empty) is >= "\0". */
        const std::string any(1, '\0');
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
                             lo && *lo ? std::string(lo) : any);
    });
}

extern "C" cm_status
cm_xquery_copy(const cm_xquery *q, cm_xquery **out) noexcept
{
    if (!q) {
        if (out)
            *out = nullptr;
        return CM_EINVAL;
    }
    return new_query(out, [=] { return q->q; });
}

extern "C" cm_status
cm_xquery_scale_weight(const cm_xquery *q, double factor,
                       cm_xquery **out) noexcept
{
    /* Written so that NaN is refused too. */
    if (!q || !(factor >= 0.0) || std::isinf(factor)) {
        if (out)
            *out = nullptr;
        return CM_EINVAL;
    }
    return new_query(out, [=] {
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
    });
}

extern "C" cm_status
cm_xquery_fixed_weight(double weight, cm_xquery **out) noexcept
{
    if (!(weight >= 0.0) || std::isinf(weight)) {
        if (out)
            *out = nullptr;
        return CM_EINVAL;
    }
    return new_query(out, [=] {
        /* release(): the query owns the source from here on. */
        auto *src = new Xapian::FixedWeightPostingSource(weight);
        return Xapian::Query(src->release());
    });
}

namespace {

/* The documents of a list of docids, with no weight: the filter of the
 * searcher's second pass (cm_search.c).  For one local database: it has
 * no clone() for shards and no serialise() for the remote backend. */
class DocidSource : public Xapian::PostingSource {
    std::vector<Xapian::docid> ids;
    size_t i = 0;
    bool started = false;

  public:
    explicit DocidSource(std::vector<Xapian::docid> v) : ids(std::move(v))
    {
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return ids.size(); }
    Xapian::doccount get_termfreq_max() const override { return ids.size(); }
    Xapian::docid get_docid() const override { return ids[i]; }
    bool at_end() const override { return started && i >= ids.size(); }
    void next(double) override
    {
        if (started)
            i++;
        started = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started = true;
        i = std::lower_bound(ids.begin() + i, ids.end(), did) - ids.begin();
    }
    void init(const Xapian::Database &db) override
    {
        i = 0;
        started = false;
        /* Past the last document: none to find. */
        ids.erase(std::upper_bound(ids.begin(), ids.end(), db.get_lastdocid()),
                  ids.end());
    }
    std::string get_description() const override
    {
        return "cm_docids(" + std::to_string(ids.size()) + ")";
    }
};

} // namespace

extern "C" cm_status
cm_xquery_docids(const unsigned *ids, size_t n, cm_xquery **out) noexcept
{
    if (!ids && n > 0) {
        if (out)
            *out = nullptr;
        return CM_EINVAL;
    }
    return new_query(out, [=] {
        std::vector<Xapian::docid> v(ids, ids + n);
        /* release(): the query owns the source from here on. */
        auto *src = new DocidSource(std::move(v));
        return Xapian::Query(src->release());
    });
}

namespace {

/* The documents of runs of consecutive docids, with no weight: a
 * language's paragraphs (cm_runs.h).  A run is [first, last]; the runs
 * ascend and are apart.  skip_to() finds its run by a binary search from
 * the current one.  Like DocidSource, for one local database. */
class RunsSource : public Xapian::PostingSource {
    std::vector<Xapian::docid> first, last;
    std::string label;
    Xapian::doccount count = 0;
    size_t i = 0;
    Xapian::docid cur = 0;
    bool started = false;

    void count_ids()
    {
        count = 0;
        for (size_t k = 0; k < first.size(); k++)
            count += last[k] - first[k] + 1;
    }

  public:
    RunsSource(std::vector<Xapian::docid> f, std::vector<Xapian::docid> l,
               std::string name)
        : first(std::move(f)), last(std::move(l)), label(std::move(name))
    {
        count_ids();
    }
    Xapian::doccount get_termfreq_min() const override { return count; }
    Xapian::doccount get_termfreq_est() const override { return count; }
    Xapian::doccount get_termfreq_max() const override { return count; }
    Xapian::docid get_docid() const override { return cur; }
    bool at_end() const override { return started && i >= first.size(); }
    void next(double) override
    {
        if (!started) {
            started = true;
            i = 0;
        } else if (i < first.size() && cur < last[i]) {
            cur++;
            return;
        } else {
            i++;
        }
        cur = i < first.size() ? first[i] : 0;
    }
    void skip_to(Xapian::docid did, double) override
    {
        if (!started) {
            started = true;
            i = 0;
            cur = first.empty() ? 0 : first[0];
        }
        if (i >= first.size() || did <= cur)
            return;
        /* The first run from here that ends at did or after. */
        i = std::lower_bound(last.begin() + i, last.end(), did) -
            last.begin();
        cur = i < first.size() ? std::max(did, first[i]) : 0;
    }
    void init(const Xapian::Database &db) override
    {
        i = 0;
        cur = 0;
        started = false;
        /* Past the last document: none to find. */
        Xapian::docid end = db.get_lastdocid();
        size_t k = std::upper_bound(first.begin(), first.end(), end) -
                   first.begin();
        first.resize(k);
        last.resize(k);
        if (k > 0 && last[k - 1] > end)
            last[k - 1] = end;
        count_ids();
    }
    std::string get_description() const override
    {
        return "cm_runs(" + label + ": " + std::to_string(first.size()) +
               " runs)";
    }
};

} // namespace

extern "C" cm_status
cm_xquery_docid_runs(const unsigned *first, const unsigned *last, size_t n,
                     const char *label, cm_xquery **out) noexcept
{
    size_t k;

    for (k = 0; first && last && k < n; k++)
        if (first[k] == 0 || last[k] < first[k] ||
            (k > 0 && first[k] <= last[k - 1] + 1ULL))
            break;
    if ((!first || !last) ? n > 0 : k < n) {
        if (out)
            *out = nullptr;
        return CM_EINVAL;
    }
    return new_query(out, [=] {
        std::vector<Xapian::docid> f(first, first + n), l(last, last + n);
        /* release(): the query owns the source from here on. */
        auto *src = new RunsSource(std::move(f), std::move(l),
                                   label ? label : "");
        return Xapian::Query(src->release());
    });
}

extern "C" int
cm_db_is_local_one(const cm_db *db) noexcept
{
    return db && !db->remote && !db->stub_remote && db->db.size() == 1;
}

extern "C" int
cm_db_is_remote(const cm_db *db) noexcept
{
    return db && (db->remote || db->stub_remote);
}

extern "C" cm_status
cm_xquery_describe(const cm_xquery *q, char **out) noexcept
{
    if (out)
        *out = nullptr;
    if (!q || !out)
        return CM_EINVAL;
    try {
        *out = dup_string(q->q.get_description());
        return CM_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

extern "C" int
cm_xquery_is_empty(const cm_xquery *q) noexcept
{
    /* No query at all matches nothing as well. */
    return !q || q->q.empty() ? 1 : 0;
}

extern "C" void
cm_xquery_free(cm_xquery *q) noexcept
{
    delete q;
}

/* ------------------------------------------------------------------ */
/* Searching                                                           */

extern "C" cm_status
cm_enquire_new(cm_db *db, cm_enquire **out) noexcept
{
    if (out)
        *out = nullptr;
    if (!out)
        return invalid(db, "NULL out-pointer");
    return on_reader(db, [=](Xapian::Database &d) {
        *out = new cm_enquire(d);
    });
}

extern "C" void
cm_enquire_free(cm_enquire *enq) noexcept
{
    delete enq;
}

extern "C" const char *
cm_enquire_errmsg(const cm_enquire *enq) noexcept
{
    return enq ? enq->err : "";
}

/* Runs a call on enq->enq, mapping its failure. */
template <typename F>
static cm_status
on_enquire(cm_enquire *enq, F fn) noexcept
{
    return guarded(enq, [enq, &fn] { fn(enq->enq); });
}

extern "C" cm_status
cm_enquire_set_query(cm_enquire *enq, const cm_xquery *q) noexcept
{
    if (!q)
        return invalid(enq, "NULL query");
    return on_enquire(enq, [q](Xapian::Enquire &e) { e.set_query(q->q); });
}

extern "C" cm_status
cm_enquire_set_bm25(cm_enquire *enq, double k1, double k2, double k3,
                    double b, double min_normlen) noexcept
{
    /* Xapian clamps out-of-range parameters but would let NaN through. */
    if (std::isnan(k1) || std::isnan(k2) || std::isnan(k3) || std::isnan(b) ||
        std::isnan(min_normlen))
        return invalid(enq, "NaN BM25 parameter");
    return on_enquire(enq, [=](Xapian::Enquire &e) {
        e.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    });
}

extern "C" cm_status
cm_enquire_set_bool_weight(cm_enquire *enq) noexcept
{
    return on_enquire(enq, [](Xapian::Enquire &e) {
        e.set_weighting_scheme(Xapian::BoolWeight());
    });
}

extern "C" cm_status
cm_enquire_sort_by_relevance(cm_enquire *enq) noexcept
{
    return on_enquire(enq,
                      [](Xapian::Enquire &e) { e.set_sort_by_relevance(); });
}

extern "C" cm_status
cm_enquire_sort_by_value(cm_enquire *enq, unsigned slot, int reverse) noexcept
{
    return on_enquire(enq, [=](Xapian::Enquire &e) {
        e.set_sort_by_value_then_relevance(slot, reverse != 0);
    });
}

extern "C" cm_status
cm_enquire_set_collapse_key(cm_enquire *enq, unsigned slot,
                            unsigned max) noexcept
{
    if (max == 0)
        return invalid(enq, "collapse max must be at least 1");
    return on_enquire(enq, [=](Xapian::Enquire &e) {
        e.set_collapse_key(slot, max);
    });
}

extern "C" cm_status
cm_enquire_get_mset(cm_enquire *enq, unsigned offset, unsigned limit,
                    unsigned check_at_least, cm_mset **out) noexcept
{
    if (out)
        *out = nullptr;
    if (!out)
        return invalid(enq, "NULL out-pointer");
    return on_enquire(enq, [=](Xapian::Enquire &e) {
        Xapian::MSet m = e.get_mset(offset, limit, check_at_least);
        *out = new cm_mset(m, e);
    });
}

namespace {
/* The words of the text: a term without a prefix (cm_schema.h). */
class WordsOnly : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &t) const override
    {
        return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z');
    }
};
} // namespace

extern "C" cm_status
cm_db_like_terms(cm_db *db, unsigned docid, unsigned max, cm_db_str_fn fn,
                 void *ctx) noexcept
{
    if (!fn)
        return invalid(db, "NULL callback");
    if (docid == 0)
        return invalid(db, "document id 0");
    return on_reader(db, [=](Xapian::Database &d) {
        /* A missing document is found missing here, not as an empty
         * expand set. */
        (void)d.get_document(docid);
        Xapian::Enquire e(d);
        Xapian::RSet r;
        r.add_document(docid);
        WordsOnly words;
        Xapian::ESet es = e.get_eset(max, r, &words);
        for (auto i = es.begin(); i != es.end(); ++i) {
            const std::string &t = *i;
            if (fn(ctx, t.data(), t.size(), 0) != 0)
                break;
        }
    });
}

namespace {
/* Hands each document Xapian looks at to a C callback (by its id: the
 * document itself is not read). */
class DocidSpy : public Xapian::MatchSpy {
    cm_db_docid_fn fn;
    void *ctx;

  public:
    DocidSpy(cm_db_docid_fn f, void *c) : fn(f), ctx(c) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        (void)fn(ctx, doc.get_docid());
    }
};
} // namespace

/* Over shards, Xapian 1.4 hands a MatchSpy each document as its shard
 * reads it, numbered in that shard (Document::get_docid()), not in the
 * database they make together; the matches themselves are then read from
 * an MSet of up to check_at_least of them, in docid order. */
extern "C" cm_status
cm_enquire_spy(cm_enquire *enq, unsigned check_at_least, cm_db_docid_fn fn,
               void *ctx, unsigned *lower, unsigned *estimated,
               unsigned *upper) noexcept
{
    if (!fn)
        return invalid(enq, "NULL callback");
    size_t n_dbs = enq ? enq->n_dbs : 1;
    return on_enquire(enq, [=](Xapian::Enquire &e) {
        DocidSpy spy(fn, ctx);
        Xapian::MSet m;
        if (n_dbs > 1) {
            e.set_docid_order(Xapian::Enquire::ASCENDING);
            m = e.get_mset(0, check_at_least, check_at_least);
            for (auto i = m.begin(); i != m.end(); ++i)
                (void)fn(ctx, *i);
        } else {
            e.add_matchspy(&spy);
            try {
                m = e.get_mset(0, 0, check_at_least);
            } catch (...) {
                e.clear_matchspies();
                throw;
            }
            e.clear_matchspies();
        }
        if (lower)
            *lower = m.get_matches_lower_bound();
        if (estimated)
            *estimated = m.get_matches_estimated();
        if (upper)
            *upper = m.get_matches_upper_bound();
    });
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

extern "C" void
cm_mset_free(cm_mset *ms) noexcept
{
    delete ms;
}

extern "C" const char *
cm_mset_errmsg(const cm_mset *ms) noexcept
{
    return ms ? ms->err : "";
}

extern "C" unsigned
cm_mset_size(const cm_mset *ms) noexcept
{
    return ms ? ms->mset.size() : 0;
}

extern "C" cm_status
cm_mset_totals(const cm_mset *ms, unsigned *lower, unsigned *estimated,
               unsigned *upper) noexcept
{
    unsigned *outs[] = {lower, estimated, upper};
    for (unsigned *p : outs)
        if (p)
            *p = 0;
    if (!ms || !lower || !estimated || !upper)
        return invalid(ms, "NULL out-pointer");
    ms->err[0] = '\0';
    /* These read numbers the MSet already holds: nothing can throw. */
    *lower = ms->mset.get_matches_lower_bound();
    *estimated = ms->mset.get_matches_estimated();
    *upper = ms->mset.get_matches_upper_bound();
    return CM_OK;
}

/* Runs fn on the i-th match of ms, after checking i and the out-pointer
 * (which the caller has already zeroed). */
template <typename F>
static cm_status
on_match(const cm_mset *ms, unsigned i, const void *out, F fn) noexcept
{
    if (!ms || !out)
        return invalid(ms, "NULL out-pointer");
    if (i >= ms->mset.size())
        return invalid(ms, "match index past the end of the page");
    return guarded(ms, [ms, i, &fn] { fn(ms->mset[i]); });
}

extern "C" cm_status
cm_mset_docid(const cm_mset *ms, unsigned i, unsigned *docid) noexcept
{
    if (docid)
        *docid = 0;
    return on_match(ms, i, docid,
                    [=](const Xapian::MSetIterator &m) { *docid = *m; });
}

extern "C" cm_status
cm_mset_rank(const cm_mset *ms, unsigned i, unsigned *rank) noexcept
{
    if (rank)
        *rank = 0;
    return on_match(ms, i, rank, [=](const Xapian::MSetIterator &m) {
        *rank = m.get_rank();
    });
}

extern "C" cm_status
cm_mset_weight(const cm_mset *ms, unsigned i, double *weight) noexcept
{
    if (weight)
        *weight = 0.0;
    return on_match(ms, i, weight, [=](const Xapian::MSetIterator &m) {
        *weight = m.get_weight();
    });
}

extern "C" cm_status
cm_mset_collapse_count(const cm_mset *ms, unsigned i,
                       unsigned *count) noexcept
{
    if (count)
        *count = 0;
    return on_match(ms, i, count, [=](const Xapian::MSetIterator &m) {
        *count = m.get_collapse_count();
    });
}

/* The document of match i, fetched once and kept for the strings handed
 * out from it. */
static const Xapian::Document &
match_doc(cm_mset *ms, unsigned i, const Xapian::MSetIterator &m)
{
    auto it = ms->docs.find(i);
    if (it == ms->docs.end())
        it = ms->docs.emplace(i, m.get_document()).first;
    return it->second;
}

extern "C" cm_status
cm_mset_data(cm_mset *ms, unsigned i, const char **data,
             size_t *data_len) noexcept
{
    if (data)
        *data = nullptr;
    if (data_len)
        *data_len = 0;
    const void *both = data && data_len ? data : nullptr;
    return on_match(ms, i, both, [=](const Xapian::MSetIterator &m) {
        auto it = ms->data.find(i);
        if (it == ms->data.end())
            it = ms->data.emplace(i, match_doc(ms, i, m).get_data()).first;
        *data = it->second.c_str();
        *data_len = it->second.size();
    });
}

extern "C" cm_status
cm_mset_value(cm_mset *ms, unsigned i, unsigned slot, const char **val,
              size_t *val_len) noexcept
{
    if (val)
        *val = nullptr;
    if (val_len)
        *val_len = 0;
    const void *both = val && val_len ? val : nullptr;
    return on_match(ms, i, both, [=](const Xapian::MSetIterator &m) {
        auto key = std::make_pair(i, slot);
        auto it = ms->values.find(key);
        if (it == ms->values.end()) {
            std::string v = match_doc(ms, i, m).get_value(slot);
            it = ms->values.emplace(key, std::move(v)).first;
        }
        *val = it->second.c_str();
        *val_len = it->second.size();
    });
}

extern "C" cm_status
cm_mset_matching_terms(cm_mset *ms, unsigned i, cm_db_str_fn fn,
                       void *ctx) noexcept
{
    const void *have = reinterpret_cast<const void *>(fn);
    return on_match(ms, i, have, [=](const Xapian::MSetIterator &m) {
        each_string(ms->enq.get_matching_terms_begin(m),
                    ms->enq.get_matching_terms_end(m), fn, ctx, no_count);
    });
}

/* ------------------------------------------------------------------ */
/* Stemmers                                                            */

extern "C" cm_status
cm_stem_new(const char *lang, cm_stem **out, char **errmsg) noexcept
{
    if (!lang || !out)
        return refuse_new(out, errmsg, "NULL lang or out");
    char text[ERRLEN] = "";
    cm_status st = CM_OK;
    *out = nullptr;
    try {
        *out = new cm_stem(lang);
    } catch (const Xapian::InvalidArgumentError &e) {
        /* Xapian's way of saying it has no stemmer for lang. */
        st = put_error(text, e, CM_ENOTFOUND);
    } catch (...) {
        st = map_exception(text);
    }
    give_errmsg(errmsg, text);
    return st;
}

extern "C" void
cm_stem_free(cm_stem *st) noexcept
{
    delete st;
}

extern "C" cm_status
cm_stem_apply(cm_stem *st, const char *word, size_t word_len,
              const char **out, size_t *out_len) noexcept
{
    if (out)
        *out = nullptr;
    if (out_len)
        *out_len = 0;
    if (!st || (!word && word_len > 0) || !out || !out_len)
        return CM_EINVAL;
    try {
        st->out = st->stem(std::string(word ? word : "", word_len));
        *out = st->out.c_str();
        *out_len = st->out.size();
        return CM_OK;
    } catch (...) {
        return map_exception(nullptr);
    }
}

extern "C" const char *
cm_stem_languages(void) noexcept
{
    try {
        /* Built once; a failed build is retried by the next call. */
        static const std::string langs =
            Xapian::Stem::get_available_languages();
        return langs.c_str();
    } catch (...) {
        return "";
    }
}

extern "C" const char *
cm_db_xapian_version(void) noexcept
{
    return Xapian::version_string();
}
