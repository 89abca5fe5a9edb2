/* c99_header_check.c: proves that cm_db.h is plain C99.  The build
 * compiles this file with -std=c99 -pedantic -Wall -Wextra -Werror; it
 * links nothing, so only the declarations are checked. */
#include "cm_status.h"
#include "cm_db.h"

int
main(void)
{
    cm_db *db = NULL;
    cm_db_str_fn fn = NULL;
    cm_xquery_op op = CM_XQ_AND;
    (void)db;
    (void)fn;
    (void)op;
    return CM_DB_MAX_TERM == 240 ? 0 : 1;
}
