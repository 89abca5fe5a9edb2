/* pipeline.c: analysis on worker threads, one writer per shard, in list
 * order.
 *
 * Workers take the next file that needs analysis, each with its own
 * analyzer, and leave the result in the file's slot.  The calling thread
 * takes the slots in list order and hands each to the writer of its shard
 * (or, for a one-shard index, applies it itself), so every shard receives
 * its files in the same order whatever the number of threads, and the index
 * ends the same.  Workers stay at most WINDOW files and MAX_INFLIGHT bytes
 * ahead of the writers, so memory stays flat however large the corpus.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cm_lang.h"
#include "cmindex_int.h"

/* A built paragraph takes about 20 times its text in memory (Xapian's
 * term maps), so the look-ahead is kept small: the writer is the slower
 * side anyway. */
#define WINDOW 64
#define MAX_INFLIGHT ((unsigned long long)8 * 1024 * 1024)

typedef struct slot {
    cm_analysis *a;
    char *errmsg;
    cm_status st;
    int done;
} slot;

/* The files waiting for one shard's writer (indexes of slots). */
#define QUEUE 32
typedef struct shard_queue {
    size_t items[QUEUE];
    size_t head, n;
    pthread_cond_t cv;   /* items arrived, or the queue closed */
    unsigned shard;
    struct pipe_state *ps;
} shard_queue;

typedef struct pipe_state {
    pthread_mutex_t mu;
    pthread_cond_t cv_done;  /* a slot was filled */
    pthread_cond_t cv_space; /* the writer moved on */
    const cm_index_opts *opts;
    file_list *list;
    size_t *todo;            /* indexes of the entries to analyze */
    size_t n_todo;
    slot *slots;             /* one per todo item */
    size_t next;             /* next todo item for a worker */
    size_t written;          /* todo items the writer is done with */
    unsigned long long inflight;
    int stop;
    int dry_run;             /* say what would change, write nothing */
    int closed;              /* no more items for the shard writers */
    int fatal;               /* an exit status from a shard writer */
    cm_index *ix;
    report *rep;
    stats *st;
    shard_queue *queues;     /* one per shard, when there are several */
} pipe_state;

static void *
worker(void *arg)
{
    pipe_state *ps = arg;
    cm_tok *tok = NULL;
    char *errmsg = NULL;
    cm_status tst = cm_tok_new(&tok, &errmsg);

    for (;;) {
        size_t i;
        entry *e;
        slot *s;

        pthread_mutex_lock(&ps->mu);
        while (!ps->stop && ps->next < ps->n_todo &&
               (ps->next >= ps->written + WINDOW ||
                (ps->inflight >= MAX_INFLIGHT && ps->next > ps->written)))
            pthread_cond_wait(&ps->cv_space, &ps->mu);
        if (ps->stop || ps->next >= ps->n_todo) {
            pthread_mutex_unlock(&ps->mu);
            break;
        }
        i = ps->next++;
        pthread_mutex_unlock(&ps->mu);

        e = &ps->list->v[ps->todo[i]];
        s = &ps->slots[i];
        if (tst != CM_OK) {
            s->st = tst;
            s->errmsg = errmsg ? strdup(errmsg) : NULL;
        } else {
            s->st = cm_index_analyze(ps->opts, tok, e->canon, e->size,
                                     e->mtime_ns, e->prev, &s->a, &s->errmsg);
        }
        pthread_mutex_lock(&ps->mu);
        s->done = 1;
        if (s->a)
            ps->inflight += cm_analysis_bytes(s->a);
        pthread_cond_broadcast(&ps->cv_done);
        pthread_mutex_unlock(&ps->mu);
    }
    cm_tok_free(tok);
    free(errmsg);
    /* The document model made this thread a language identifier. */
    cm_lang_thread_release();
    return NULL;
}

static void
count(stats *st, const cm_analysis *a, const entry *e, report *rep)
{
    switch (cm_analysis_outcome(a)) {
    case CM_FILE_UNCHANGED:
    case CM_FILE_TOUCHED:
        st->unchanged++;
        break;
    case CM_FILE_NEW:
        st->added++;
        break;
    case CM_FILE_CHANGED:
        st->changed++;
        break;
    case CM_FILE_REJECTED:
        st->rejected++;
        report_rejected(rep, e->path, cm_analysis_reason(a));
        return;
    }
    st->files++;
    st->paras += cm_analysis_nparas(a);
    st->bytes += e->size;
}

/* --dry-run: one line on stdout per file that would change. */
static void
say_change(const cm_analysis *a, const entry *e)
{
    switch (cm_analysis_outcome(a)) {
    case CM_FILE_NEW:
        printf("new: %s\n", e->path);
        break;
    case CM_FILE_CHANGED:
        printf("changed: %s\n", e->path);
        break;
    default:
        break; /* unchanged files are not news; rejections go to stderr */
    }
}

/* Apply slot i, which is done; returns 0 or an exit status.  With several
 * shards it runs on the shard's writer thread: stats and the window are
 * shared, so they are updated under the lock. */
static int
apply_slot(pipe_state *ps, cm_index *ix, size_t i, report *rep, stats *st)
{
    entry *e = &ps->list->v[ps->todo[i]];
    slot *s = &ps->slots[i];
    unsigned long long bytes = 0;
    cm_status rc;
    int exit_rc = 0;

    if (s->st != CM_OK) {
        report_line(rep, PROG_NAME ": cannot analyze '%s': %s", e->path,
                    s->errmsg ? s->errmsg : cm_status_str(s->st));
        exit_rc = s->st == CM_ENOMEM ? EX_OSERR : EX_SOFTWARE;
    } else if (ps->dry_run) {
        bytes = cm_analysis_bytes(s->a);
        say_change(s->a, e);
        count(st, s->a, e, rep);
    } else {
        bytes = cm_analysis_bytes(s->a);
        rc = cm_index_apply(ix, s->a);
        if (rc != CM_OK) {
            report_line(rep, PROG_NAME ": cannot write '%s' to the index: "
                        "%s: %s", e->path, cm_status_str(rc),
                        cm_index_errmsg(ix));
            exit_rc = EX_IOERR;
        } else {
            pthread_mutex_lock(&ps->mu);
            count(st, s->a, e, rep);
            pthread_mutex_unlock(&ps->mu);
            if (cm_analysis_skipped(s->a) > 0)
                report_line(rep, PROG_NAME ": warning: '%s': %u words over "
                            "%d bytes were not indexed", e->path,
                            cm_analysis_skipped(s->a), CM_TOK_MAX_TERM);
        }
    }
    cm_analysis_free(s->a);
    s->a = NULL;
    free(s->errmsg);
    s->errmsg = NULL;

    pthread_mutex_lock(&ps->mu);
    ps->inflight -= bytes;
    pthread_cond_broadcast(&ps->cv_space);
    pthread_mutex_unlock(&ps->mu);
    return exit_rc;
}

/* A commit round started (cm_index_on_round()): wake the writers waiting
 * for files, so that they commit their shards now too. */
static void
wake_writers(void *arg)
{
    pipe_state *ps = arg;
    unsigned t;

    pthread_mutex_lock(&ps->mu);
    for (t = 0; t < cm_index_shards(ps->ix); t++)
        pthread_cond_signal(&ps->queues[t].cv);
    pthread_mutex_unlock(&ps->mu);
}

/* Commit q's shard in the round another shard started; returns 0 or an
 * exit status. */
static int
catch_up(pipe_state *ps, shard_queue *q)
{
    cm_status st = cm_index_catch_up(ps->ix, q->shard);

    if (st == CM_OK)
        return 0;
    report_line(ps->rep, PROG_NAME ": cannot commit to the index: %s: %s",
                cm_status_str(st), cm_index_errmsg(ps->ix));
    return EX_IOERR;
}

/* A shard's writer: applies the files queued for it, in order, and
 * commits its shard when another shard starts a commit round. */
static void *
shard_writer(void *arg)
{
    shard_queue *q = arg;
    pipe_state *ps = q->ps;

    for (;;) {
        size_t i;
        int rc, skip;

        pthread_mutex_lock(&ps->mu);
        while (q->n == 0 && !ps->closed &&
               (ps->fatal || !cm_index_behind(ps->ix, q->shard)))
            pthread_cond_wait(&q->cv, &ps->mu);
        if (q->n == 0 && !ps->closed) {
            pthread_mutex_unlock(&ps->mu);
            rc = catch_up(ps, q);
            pthread_mutex_lock(&ps->mu);
            if (rc != 0 && ps->fatal == 0)
                ps->fatal = rc;
            pthread_cond_broadcast(&ps->cv_space);
            pthread_mutex_unlock(&ps->mu);
            continue;
        }
        if (q->n == 0) {
            pthread_mutex_unlock(&ps->mu);
            break;
        }
        i = q->items[q->head];
        skip = ps->fatal != 0;
        pthread_mutex_unlock(&ps->mu);

        /* After a failure the rest is not written: the last commit stays
         * what the index holds, and the next run redoes the rest. */
        rc = skip ? 0 : apply_slot(ps, ps->ix, i, ps->rep, ps->st);

        pthread_mutex_lock(&ps->mu);
        q->head = (q->head + 1) % QUEUE;
        q->n--;
        if (rc != 0 && ps->fatal == 0)
            ps->fatal = rc;
        pthread_cond_broadcast(&ps->cv_space);
        pthread_mutex_unlock(&ps->mu);
    }
    return NULL;
}

/* Wait for slot i, then apply it here or queue it for its shard's writer;
 * returns 0 or an exit status. */
static int
write_one(pipe_state *ps, cm_index *ix, size_t i, report *rep, stats *st)
{
    slot *s = &ps->slots[i];
    shard_queue *q;
    int rc = 0;

    pthread_mutex_lock(&ps->mu);
    while (!s->done)
        pthread_cond_wait(&ps->cv_done, &ps->mu);
    pthread_mutex_unlock(&ps->mu);

    if (ps->queues == NULL) {
        rc = apply_slot(ps, ix, i, rep, st);
        pthread_mutex_lock(&ps->mu);
        ps->written = i + 1;
        pthread_cond_broadcast(&ps->cv_space);
        pthread_mutex_unlock(&ps->mu);
        return rc;
    }
    q = &ps->queues[s->a && s->st == CM_OK ? cm_index_shard_of(ix, s->a) : 0];
    pthread_mutex_lock(&ps->mu);
    while (q->n == QUEUE && !ps->fatal)
        pthread_cond_wait(&ps->cv_space, &ps->mu);
    if (ps->fatal) {
        rc = ps->fatal;
    } else {
        q->items[(q->head + q->n) % QUEUE] = i;
        q->n++;
        ps->written = i + 1;
        pthread_cond_signal(&q->cv);
        pthread_cond_broadcast(&ps->cv_space);
    }
    pthread_mutex_unlock(&ps->mu);
    return rc;
}

/* Entries whose state says they are as indexed need no thread: count them
 * here, and list the others for the workers. */
static int
plan(pipe_state *ps, report *rep, stats *st, unsigned long long *total)
{
    size_t i;
    ps->todo = malloc((ps->list->n ? ps->list->n : 1) * sizeof *ps->todo);
    if (ps->todo == NULL)
        return EX_OSERR;
    for (i = 0; i < ps->list->n; i++) {
        entry *e = &ps->list->v[i];
        const cm_file_state *p = e->prev;
        if (e->error) {
            report_rejected(rep, e->path, e->error);
            st->rejected++;
        } else if (e->moved) {
            st->files++;
            st->paras += p ? p->nparas : 0;
            st->bytes += e->size;
        } else if (p && p->size == e->size && p->mtime_ns == e->mtime_ns &&
                   !p->rejected && !cm_index_state_stale(p)) {
            st->unchanged++;
            st->files++;
            st->paras += p->nparas;
            st->bytes += e->size;
        } else {
            ps->todo[ps->n_todo++] = i;
            *total += e->size;
        }
    }
    return 0;
}

int
run_pipeline(cm_index *ix, const cm_index_opts *opts, file_list *list,
             unsigned jobs, int dry_run, volatile int *stop, report *rep,
             stats *st)
{
    pipe_state ps;
    pthread_t *threads, *writers = NULL;
    unsigned n_sh = ix && !dry_run ? cm_index_shards(ix) : 1, w_started = 0;
    unsigned long long total = 0, done_bytes = 0;
    unsigned t, started = 0;
    size_t i;
    int rc;

    memset(&ps, 0, sizeof ps);
    ps.opts = opts;
    ps.list = list;
    ps.dry_run = dry_run;
    for (i = 0; i < list->n && ix != NULL; i++)
        if (list->v[i].canon)
            list->v[i].prev = cm_index_state(ix, list->v[i].canon);
    rc = plan(&ps, rep, st, &total);
    if (rc != 0 || ps.n_todo == 0) {
        free(ps.todo);
        return rc;
    }
    ps.slots = calloc(ps.n_todo, sizeof *ps.slots);
    threads = calloc(jobs, sizeof *threads);
    if (ps.slots == NULL || threads == NULL) {
        free(ps.slots);
        free(threads);
        free(ps.todo);
        return EX_OSERR;
    }
    pthread_mutex_init(&ps.mu, NULL);
    pthread_cond_init(&ps.cv_done, NULL);
    pthread_cond_init(&ps.cv_space, NULL);
    ps.ix = ix;
    ps.rep = rep;
    ps.st = st;
    if (n_sh > 1) {
        ps.queues = calloc(n_sh, sizeof *ps.queues);
        writers = calloc(n_sh, sizeof *writers);
        if (ps.queues == NULL || writers == NULL)
            rc = EX_OSERR;
        else
            cm_index_on_round(ix, wake_writers, &ps);
        for (t = 0; t < n_sh && rc == 0; t++) {
            ps.queues[t].shard = t;
            ps.queues[t].ps = &ps;
            pthread_cond_init(&ps.queues[t].cv, NULL);
            if (pthread_create(&writers[t], NULL, shard_writer,
                               &ps.queues[t]) != 0)
                rc = EX_OSERR;
            else
                w_started++;
        }
    }
    for (t = 0; t < jobs && rc == 0; t++)
        if (pthread_create(&threads[t], NULL, worker, &ps) == 0)
            started++;
    if (started == 0)
        rc = EX_OSERR;
    for (i = 0; i < ps.n_todo && rc == 0; i++) {
        if (*stop)
            break;
        done_bytes += list->v[ps.todo[i]].size;
        rc = write_one(&ps, ix, i, rep, st);
        report_progress(rep, i + 1, ps.n_todo, done_bytes, total);
    }
    pthread_mutex_lock(&ps.mu);
    ps.stop = 1;
    ps.closed = 1;
    pthread_cond_broadcast(&ps.cv_space);
    for (t = 0; t < w_started; t++)
        pthread_cond_signal(&ps.queues[t].cv);
    pthread_mutex_unlock(&ps.mu);
    for (t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    /* The writers finish what was queued before they stop. */
    for (t = 0; t < w_started; t++) {
        pthread_join(writers[t], NULL);
        pthread_cond_destroy(&ps.queues[t].cv);
    }
    if (n_sh > 1)
        cm_index_on_round(ix, NULL, NULL); /* ps is about to go */
    if (rc == 0 && ps.fatal)
        rc = ps.fatal;
    for (i = 0; i < ps.n_todo; i++) {
        cm_analysis_free(ps.slots[i].a);
        free(ps.slots[i].errmsg);
    }
    pthread_cond_destroy(&ps.cv_space);
    pthread_cond_destroy(&ps.cv_done);
    pthread_mutex_destroy(&ps.mu);
    free(ps.slots);
    free(ps.todo);
    free(ps.queues);
    free(writers);
    free(threads);
    return rc;
}
