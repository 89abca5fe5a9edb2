/* test_buf.c: the capped buffer and its sticky status. */
#include "config.h"

#include <stdlib.h>

#include "cm_buf.h"
#include "tap.h"

int
main(void)
{
    cm_status st = CM_OK;
    cm_buf b = CM_BUF_INIT(0);
    cm_buf small = CM_BUF_INIT(8);
    char *s;
    size_t i;

    cm_buf_adds(&st, &b, "co-");
    cm_buf_add(&st, &b, "development!", 11);
    cm_buf_addc(&st, &b, ' ');
    cm_buf_addf(&st, &b, "%u/%s", 42u, "x");
    is_int(st, CM_OK, "appends succeed");
    is_str(b.data, "co-development 42/x", "contents and NUL");
    is_int((long long)b.len, 19, "length");

    cm_buf_reset(&b);
    is_str(b.data, "", "reset empties");
    for (i = 0; i < 100000; i++)
        cm_buf_addc(&st, &b, 'a');
    ok(st == CM_OK && b.len == 100000 && b.data[b.len] == '\0',
       "grows by doubling to 100000 bytes");

    s = cm_buf_steal(&st, &b);
    ok(s != NULL && strlen(s) == 100000 && b.data == NULL && b.len == 0,
       "steal hands over the memory");
    free(s);

    /* The ceiling: 8 bytes fit, the ninth fails, and the status sticks. */
    cm_buf_adds(&st, &small, "12345678");
    is_int(st, CM_OK, "up to the ceiling");
    cm_buf_addc(&st, &small, '9');
    is_int(st, CM_EINVAL, "past the ceiling is CM_EINVAL");
    cm_buf_adds(&st, &small, "more");
    is_str(small.data, "12345678", "sticky status: later appends do nothing");
    s = cm_buf_steal(&st, &small);
    ok(s == NULL, "steal after an error gives NULL");
    cm_buf_free(&small);

    st = CM_OK;
    s = cm_buf_steal(&st, &b);
    ok(s != NULL && s[0] == '\0', "steal of an empty buffer gives \"\"");
    free(s);
    cm_buf_free(&b);
    cm_buf_free(&b);
    ok(1, "free twice is harmless");
    /* Percent-encoding: letters, digits and the kept characters as they
     * are, every other byte (a NUL, UTF-8's) as %HH. */
    st = CM_OK;
    cm_buf_add_pct(&st, &b, "Az09 a/b-c_d.e~f%\0\xC3\xA9", 20, "-/");
    s = cm_buf_steal(&st, &b);
    is_str(s, "Az09%20a/b-c%5Fd%2Ee%7Ef%25%00%C3%A9",
           "percent-encoded, keeping - and /");
    free(s);
    cm_buf_add_pct(&st, &b, "a/b", 3, "");
    s = cm_buf_steal(&st, &b);
    is_str(s, "a%2Fb", "nothing kept: / encoded too");
    free(s);
    return done_testing();
}
