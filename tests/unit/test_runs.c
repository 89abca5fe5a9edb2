/* test_runs.c: document ids as runs, and their bytes. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "../e2e/xorshift.h"
#include "cm_runs.h"
#include "tap.h"


/* 1 when r holds exactly the ids marked in set[0..n) (set[d] for id d). */
static int
holds(const cm_runs *r, const unsigned char *set, unsigned n)
{
    unsigned d;
    size_t i = 0;

    for (d = 1; d < n; d++) {
        while (i < r->n && r->last[i] < d)
            i++;
        if ((i < r->n && r->first[i] <= d) != (set[d] != 0))
            return 0;
    }
    for (i = 0; i < r->n; i++)
        if (r->first[i] > r->last[i] || r->last[i] >= n ||
            (i > 0 && r->first[i] <= r->last[i - 1] + 1))
            return 0;
    return 1;
}

static void
test_add(void)
{
    cm_runs r = CM_RUNS_INIT;
    static const unsigned ids[] = {3, 4, 5, 7, 9, 10, 100};

    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (cm_runs_add(&r, ids[i]) != CM_OK)
            break;
    is_int((long long)r.n, 4, "add: 3-5, 7, 9-10, 100 are four runs");
    ok(r.n == 4 && r.first[0] == 3 && r.last[0] == 5 && r.first[1] == 7 &&
           r.last[1] == 7 && r.first[2] == 9 && r.last[2] == 10 &&
           r.first[3] == 100 && r.last[3] == 100,
       "add: the runs' ends");
    is_int((long long)cm_runs_count(&r), 7, "count: seven ids");
    is_int(cm_runs_add(&r, 100), CM_EINVAL, "add: not past the last id");
    is_int(cm_runs_add(&r, 50), CM_EINVAL, "add: before the last id");
    is_int(cm_runs_add(NULL, 5), CM_EINVAL, "add: no runs");
    cm_runs_clear(&r);
    is_int(cm_runs_add(&r, 0), CM_EINVAL, "add: 0 is no document");
    is_int(cm_runs_add(&r, UINT_MAX), CM_OK, "add: the last id there is");
    is_int((long long)r.n, 1, "add: one run");
    cm_runs_free(&r);
}

/* Random sets, dense and sparse: encode, decode, union. */
static void
test_random(void)
{
    enum { N = 5000 };
    static unsigned char a[N], b[N], u[N];
    int round, good_codec = 1, good_union = 1, good_holds = 1;

    for (round = 0; round < 200; round++) {
        cm_runs ra = CM_RUNS_INIT, rb = CM_RUNS_INIT, back = CM_RUNS_INIT;
        cm_buf buf = CM_BUF_INIT(0);
        cm_status st = CM_OK;
        unsigned d, pa = 1 + rnd(40), pb = 1 + rnd(40);

        for (d = 1; d < N; d++) {
            /* Runs: keep the last state most of the time. */
            a[d] = d > 1 && rnd(pa) ? a[d - 1] : (unsigned char)rnd(2);
            b[d] = rnd(pb) == 0;
            u[d] = a[d] | b[d];
            if (a[d] && st == CM_OK)
                st = cm_runs_add(&ra, d);
            if (b[d] && st == CM_OK)
                st = cm_runs_add(&rb, d);
        }
        if (st != CM_OK || !holds(&ra, a, N) || !holds(&rb, b, N))
            good_holds = 0;
        if (st == CM_OK)
            st = cm_runs_encode(&ra, &buf);
        if (st == CM_OK)
            st = cm_runs_decode(buf.data, buf.len, &back);
        if (st != CM_OK || !holds(&back, a, N))
            good_codec = 0;
        if (st == CM_OK)
            st = cm_runs_union(&ra, &rb);
        if (st != CM_OK || !holds(&ra, u, N))
            good_union = 0;
        cm_buf_free(&buf);
        cm_runs_free(&ra);
        cm_runs_free(&rb);
        cm_runs_free(&back);
    }
    ok(good_holds, "random: the runs of 200 sets hold their ids");
    ok(good_codec, "random: their bytes read back the same");
    ok(good_union, "random: the union of two holds the ids of either");
}

/* Bytes cm_runs_encode() does not write. */
static void
test_corrupt(void)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *why;
    } bad[] = {
        {"", 0, "no bytes"},
        {"\x01", 1, "a run announced, none there"},
        {"\x01\x00\x00", 3, "a first id of 0"},
        {"\x02\x01\x01\x01\x00", 5, "a run that touches the one before"},
        {"\x01\x01", 2, "a run cut short"},
        {"\x01\x01\x00\x00", 4, "a byte left over"},
        {"\x01\x80", 2, "a number cut short"},
        {"\x01\x80\x80\x80\x80\x10\x00", 7, "an id past UINT_MAX"},
        {"\x01\x01\xff\xff\xff\xff\x0f", 7, "a run past UINT_MAX"},
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10,
         "more runs than the bytes hold"},
        {"\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00", 12,
         "a number over 64 bits"},
        {"\x01\x81\x00\x00", 4, "a number longer than it needs"},
        {"\x80\x00", 2, "no runs, written long"},
    };
    cm_runs r = CM_RUNS_INIT;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        is_int(cm_runs_decode(bad[i].bytes, bad[i].len, &r), CM_ECORRUPT,
               bad[i].why);
        is_int((long long)r.n, 0, "  and no runs");
    }
    is_int(cm_runs_decode("\x00", 1, &r), CM_OK, "no runs is a set");
    is_int(cm_runs_decode("\x01\x01\x00", 3, &r), CM_OK, "the id 1");
    ok(r.n == 1 && r.first[0] == 1 && r.last[0] == 1, "  is one run of 1");
    is_int(cm_runs_decode("\x01\xff\xff\xff\xff\x0f\x00", 7, &r), CM_OK,
           "the id UINT_MAX");
    ok(r.n == 1 && r.first[0] == UINT_MAX, "  is one run of UINT_MAX");
    is_int(cm_runs_decode(NULL, 1, &r), CM_EINVAL, "no bytes given");
    cm_runs_free(&r);
}

int
main(void)
{
    test_add();
    test_random();
    test_corrupt();
    return done_testing();
}
