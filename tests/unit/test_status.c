/* test_status.c: every status has a distinct description. */
#include "config.h"

#include "cm_status.h"
#include "tap.h"

int
main(void)
{
    int i, j;

    is_str(cm_status_str(CM_OK), "success", "CM_OK");
    is_str(cm_status_str(CM_ELOCKED), "database locked by another writer",
           "CM_ELOCKED");
    for (i = 0; i < CM_STATUS_LAST; i++) {
        const char *s = cm_status_str((cm_status)i);
        ok(s != NULL && *s && strcmp(s, "unknown status") != 0,
           "status %d has a description", i);
        for (j = 0; j < i; j++)
            if (strcmp(s, cm_status_str((cm_status)j)) == 0)
                ok(0, "status %d and %d share a description", i, j);
    }
    is_str(cm_status_str(CM_STATUS_LAST), "unknown status", "past the end");
    is_str(cm_status_str((cm_status)-1), "unknown status", "negative");
    return done_testing();
}
