/* test_strset.c: the counted string set. */
#include "config.h"

#include <limits.h>

#include "cm_strset.h"
#include "tap.h"

static int
sum(void *ctx, const char *s, size_t len, unsigned count)
{
    unsigned long *t = ctx;
    ok(strlen(s) == len, "NUL-terminated: %s", len < 20 ? s : "(long)");
    t[0] += count;
    t[1]++;
    return 0;
}

/* Sums counts without a test point per string; totals[2] counts words
 * whose count is not 2. */
static int
count_quietly(void *ctx, const char *s, size_t len, unsigned count)
{
    unsigned long *t = ctx;
    (void)s;
    (void)len;
    t[0] += count;
    t[1]++;
    if (count != 2)
        t[2]++;
    return 0;
}

static int
stop_at_first(void *ctx, const char *s, size_t len, unsigned count)
{
    (void)s;
    (void)len;
    (void)count;
    (*(int *)ctx)++;
    return 1;
}

int
main(void)
{
    cm_strset *set = NULL;
    unsigned long totals[3] = {0, 0, 0};
    char word[32];
    int i, calls = 0;

    is_int(cm_strset_new(&set), CM_OK, "new");
    is_int(cm_strset_add(set, "migration", 9), CM_OK, "add");
    is_int(cm_strset_add(set, "migration", 9), CM_OK, "add again");
    is_int(cm_strset_add(set, "migrat", 6), CM_OK, "a prefix is another word");
    is_int(cm_strset_add(set, "", 0), CM_OK, "the empty string");
    is_int((long long)cm_strset_size(set), 3, "three distinct strings");
    is_int(cm_strset_count(set, "migration", 9), 2, "count: added twice");
    is_int(cm_strset_count(set, "migrat", 6), 1, "count: once");
    is_int(cm_strset_count(set, "migra", 5), 0, "count: never added");
    is_int(cm_strset_count(set, "migrations", 9), 2,
           "count of the first 9 bytes");
    is_int(cm_strset_each(set, sum, totals), CM_OK, "each");
    is_int((long long)totals[0], 4, "four additions counted");
    is_int((long long)totals[1], 3, "three strings visited");
    cm_strset_free(set);

    /* Growth: 10000 words, each added twice, keep their counts. */
    is_int(cm_strset_new(&set), CM_OK, "new");
    for (i = 0; i < 20000; i++) {
        int n = snprintf(word, sizeof word, "w%d", i % 10000);
        if (cm_strset_add(set, word, (size_t)n) != CM_OK)
            break;
    }
    is_int((long long)cm_strset_size(set), 10000, "10000 distinct after growth");
    is_int(cm_strset_count(set, "w9999", 5), 2, "counted after growth");
    totals[0] = totals[1] = 0;
    is_int(cm_strset_each(set, count_quietly, totals), CM_OK, "each");
    ok(totals[0] == 20000 && totals[1] == 10000 && totals[2] == 0,
       "every word twice, no word lost");
    is_int(cm_strset_each(set, stop_at_first, &calls), CM_OK, "stop early");
    is_int(calls, 1, "stopped after one");

    /* Cleared (a large set is made small again), then used again. */
    cm_strset_clear(set);
    is_int((long long)cm_strset_size(set), 0, "cleared: empty");
    calls = 0;
    is_int(cm_strset_each(set, stop_at_first, &calls), CM_OK, "each");
    is_int(calls, 0, "cleared: nothing visited");
    for (i = 0; i < 300; i++) {
        int n = snprintf(word, sizeof word, "v%d", i % 100);
        if (cm_strset_add(set, word, (size_t)n) != CM_OK)
            break;
    }
    totals[0] = totals[1] = totals[2] = 0;
    is_int(cm_strset_each(set, count_quietly, totals), CM_OK, "each");
    ok(totals[0] == 300 && totals[1] == 100 && cm_strset_size(set) == 100,
       "after clear: 100 words, 3 times each");
    cm_strset_clear(set);
    is_int(cm_strset_add(set, "w1", 2), CM_OK, "add after a small clear");
    totals[0] = totals[1] = 0;
    is_int(cm_strset_each(set, sum, totals), CM_OK, "each");
    ok(totals[0] == 1 && totals[1] == 1, "only the new word, counted once");
    cm_strset_free(set);

    /* Counts added at once (a batch's spelling gathered from its files),
     * saturating rather than wrapping. */
    is_int(cm_strset_new(&set), CM_OK, "new");
    is_int(cm_strset_add_count(set, "rights", 6, 40), CM_OK, "add 40");
    is_int(cm_strset_add_count(set, "rights", 6, 2), CM_OK, "add 2 more");
    is_int(cm_strset_add(set, "rights", 6), CM_OK, "and one");
    totals[0] = totals[1] = 0;
    is_int(cm_strset_each(set, sum, totals), CM_OK, "each");
    ok(totals[0] == 43 && totals[1] == 1, "one word counted 43 times");
    is_int(cm_strset_add_count(set, "rights", 6, UINT_MAX - 10), CM_OK,
           "add near the limit");
    is_int(cm_strset_add_count(set, "rights", 6, 100), CM_OK,
           "add past the limit");
    totals[0] = totals[1] = 0;
    is_int(cm_strset_each(set, sum, totals), CM_OK, "each");
    ok(totals[0] == UINT_MAX, "the count stops at UINT_MAX");
    cm_strset_free(set);
    cm_strset_free(NULL);
    return done_testing();
}
