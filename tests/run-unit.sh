#!/bin/sh
# Run one unit test program, under $VALGRIND when it is set
# (make check VALGRIND=valgrind).
if [ -n "$VALGRIND" ]; then
    exec $VALGRIND --error-exitcode=1 --leak-check=full \
        --errors-for-leak-kinds=definite -q "$@"
fi
exec "$@"
