/* cm_status.c: descriptions of the status codes. */
#include "cm_status.h"

const char *
cm_status_str(cm_status st)
{
    static const char *const names[] = {
        [CM_OK] = "success",
        [CM_ENOMEM] = "out of memory",
        [CM_EINVAL] = "invalid argument",
        [CM_EIO] = "input/output error",
        [CM_EPARSE] = "malformed document",
        [CM_EQUERY] = "malformed query",
        [CM_ENOTFOUND] = "not found",
        [CM_ELOCKED] = "database locked by another writer",
        [CM_EMODIFIED] = "database modified during the operation",
        [CM_ECORRUPT] = "database corrupt",
        [CM_EOPEN] = "database cannot be opened",
        [CM_EVERSION] = "database version not supported",
        [CM_ENETWORK] = "network error",
        [CM_EXAPIAN] = "search engine error",
        [CM_EINTERNAL] = "internal error",
    };
    if ((unsigned)st >= CM_STATUS_LAST || names[st] == 0)
        return "unknown status";
    return names[st];
}
