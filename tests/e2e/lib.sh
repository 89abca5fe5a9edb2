# lib.sh: helpers for the end-to-end tests (TAP output).
#
# Sourced by tests/e2e/t-*.sh.  The binaries under test come from
# $CMINDEX and $CMSEARCH (set by make check), so the same scripts can test
# an installed cmsearch.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CMINDEX:=$top_builddir/indexer/cmindex}"
: "${CMSEARCH:=$top_builddir/searcher/cmsearch}"
# The real documents shared beside the project (absent in a user's clone).
: "${CM_SHARED_CORPUS:=$top_srcdir/../shared/corpus}"

tap_n=0
tap_failed=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cmsearch-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Tests never touch the user's own index.
CMSEARCH_DB="$TMP/default-index"
export CMSEARCH_DB
unset CMSEARCH_CONFIG XDG_DATA_HOME

ok() {
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $tap_n - $2"
    else
        echo "not ok $tap_n - $2"
        tap_failed=$((tap_failed + 1))
    fi
}

# check "name" command...: one test point from a command's success.
check() {
    _name=$1
    shift
    if "$@" >"$TMP/out" 2>"$TMP/err"; then
        ok 0 "$_name"
    else
        ok 1 "$_name"
        sed 's/^/#   /' "$TMP/out" "$TMP/err" | head -20
    fi
}

# status_is "name" want command...: the exit status of a command.  The
# status is compared here, never passed through (77 means SKIP to make).
status_is() {
    _name=$1
    _want=$2
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    _got=$?
    if [ "$_got" -eq "$_want" ]; then
        ok 0 "$_name"
    else
        ok 1 "$_name (exit $_got, want $_want)"
        sed 's/^/#   /' "$TMP/err" | head -10
    fi
}

# contains "name" file pattern: a grep -E test on a file.
contains() {
    if grep -Eq -- "$3" "$2"; then
        ok 0 "$1"
    else
        ok 1 "$1"
        echo "#   no /$3/ in:"
        sed 's/^/#   /' "$2" | head -20
    fi
}

lacks() {
    if grep -Eq -- "$3" "$2"; then
        ok 1 "$1"
        echo "#   unexpected /$3/ in:"
        grep -E -- "$3" "$2" | sed 's/^/#   /' | head -10
    else
        ok 0 "$1"
    fi
}

# oracle_ok label out rc want name: one test point from an oracle run
# (its output in out, its exit status rc): its last line printed after
# label; passing when it exited 0 and a line starts with want ("N words,
# 0 differ"), else its first lines shown.
oracle_ok() {
    tail -1 "$2" | sed "s/^/# $1: /"
    if [ "$3" -eq 0 ] && grep -q "^$4" "$2"; then
        ok 0 "$5"
    else
        ok 1 "$5"
        head -20 "$2" | sed 's/^/#   /'
    fi
}

# index_revision DIR: the revision of each database of an index (one line
# per shard), so that "nothing was committed" can be checked on sharded
# indexes too.  Empty when xapian-delve is missing.
index_revision() {
    command -v xapian-delve >/dev/null || return 0
    if [ -f "$1/XAPIANDB" ]; then
        for _s in $(sed -n 's/^auto //p' "$1/XAPIANDB"); do
            xapian-delve "$1/$_s" | sed -n "s/^revision = /$_s /p"
        done
    else
        xapian-delve "$1" | sed -n 's/^revision = //p'
    fi
}

# start_remote DB STUB: serve DB with xapian-tcpsrv on 127.0.0.1 and write
# STUB, a stub file naming it; srv is the server's pid (stop it with
# stop_remote).  Returns 1, with a message, when xapian-tcpsrv or setsid is
# missing or the server does not answer.
start_remote() {
    if ! command -v xapian-tcpsrv >/dev/null ||
        ! command -v setsid >/dev/null; then
        echo "# xapian-tcpsrv or setsid missing: the remote backend is skipped"
        return 1
    fi
    # A port another program holds: the next one, three times.
    for _try in 0 1 2; do
        _port=$((30000 + ($$ + 7919 * _try) % 20000))
        # It signals its whole process group when stopped: a group of its
        # own.
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$_port" --quiet \
            "$1" >/dev/null 2>&1 &
        srv=$!
        echo "remote 127.0.0.1:$_port" >"$2"
        _i=0
        while [ $_i -lt 50 ] && kill -0 "$srv" 2>/dev/null &&
            ! "$CMSEARCH" --db "$2" --count x >/dev/null 2>&1
        do
            sleep 0.1
            _i=$((_i + 1))
        done
        kill -0 "$srv" 2>/dev/null && return 0
        wait "$srv" 2>/dev/null
    done
    echo "# xapian-tcpsrv did not answer: the remote backend is skipped"
    return 1
}

stop_remote() {
    kill "$srv" 2>/dev/null
    wait "$srv" 2>/dev/null
}

skip_all() {
    echo "1..0 # SKIP $1"
    exit 0
}

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
