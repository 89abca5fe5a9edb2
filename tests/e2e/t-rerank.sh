#!/bin/sh
# The phrase boost in a second pass, checked against the one query: a
# query of several words ranks its first paragraphs without the boost, then
# adds the phrase's weight to those that can still reach the page
# (cm_search.c, run_two_pass()).  rerank_truth runs queries picked from the
# indexed paragraphs both ways, on several pages, and compares the hits and
# totals.  Over the project's corpus/, and where ../shared/corpus is present
# a sample of the treaties (every 40th: many paragraphs share their words,
# so the second pass has to look further down).  Shards and remote
# databases run the one query (the filter of the second pass is local): a
# sharded index and a remote one show it.  Quoted phrases, whose
# paragraphs with a word in their title are ranked apart (Xapian's own
# operators, so on shards and remote databases too), are checked the
# same way.
. "$(dirname "$0")/lib.sh"

: "${RERANK_TRUTH:=$top_builddir/tests/e2e/rerank_truth}"
[ -x "$RERANK_TRUTH" ] || skip_all "no $RERANK_TRUTH (make check builds it)"

# apart name queries: quoted phrases on the index of truth name.  A
# phrase has no phrase boost, but a paragraph with one of its words in
# its title gains the title boost, and those paragraphs are ranked apart
# from the others (cm_search.c, run_titles_apart()): the oracle checks
# that against the one query too.  Sets n_apart to the searches it counts
# as run that way.
apart() {
    "$RERANK_TRUTH" -n "$2" -p "$TMP/db-$1" >"$TMP/$1-p.out" 2>&1
    rc=$?
    tail -1 "$TMP/$1-p.out" | sed "s/^/# $1, phrases: /"
    n_apart=$(sed -n 's/.* reranked, \([0-9]*\) apart$/\1/p' \
        "$TMP/$1-p.out")
    if [ $rc -eq 0 ] && grep -q "^$2 queries, 0 differ" "$TMP/$1-p.out"
    then
        ok 0 "$1: phrases with the title boosts apart rank as the one query"
    else
        ok 1 "$1: phrases with the title boosts apart rank as the one query"
        head -20 "$TMP/$1-p.out" | sed 's/^/#   /'
    fi
}

# truth name queries [cmindex options] paths...: index the paths, run the
# oracle; print its last line; set reranked to the searches it counts as
# ranked in two passes.
truth() {
    name=$1
    n=$2
    shift 2
    status_is "$name: cmindex" 0 "$CMINDEX" --db "$TMP/db-$name" -q "$@"
    "$RERANK_TRUTH" -n "$n" "$TMP/db-$name" >"$TMP/$name.out" 2>&1
    rc=$?
    tail -1 "$TMP/$name.out" | sed "s/^/# $name: /"
    reranked=$(sed -n 's/.* differ, \([0-9]*\) reranked.*/\1/p' \
        "$TMP/$name.out")
    if [ $rc -eq 0 ] && grep -q "^$n queries, 0 differ" "$TMP/$name.out"
    then
        ok 0 "$name: two passes rank as the one query"
    else
        ok 1 "$name: two passes rank as the one query"
        head -20 "$TMP/$name.out" | sed 's/^/#   /'
    fi
}

truth corpus 150 "$top_srcdir/corpus"
# Five pages per query: most searches run in two passes (the others have
# one word left after the analyzer, or a page too deep).
ok "$([ "${reranked:-0}" -ge 300 ] && echo 0 || echo 1)" \
    "corpus: most searches ran in two passes (${reranked:-0} of 750)"

# The words as alternatives (--any): a paragraph may have some of them.
"$RERANK_TRUTH" -n 100 -a "$TMP/db-corpus" >"$TMP/any.out" 2>&1
rc=$?
tail -1 "$TMP/any.out" | sed "s/^/# any: /"
ok "$([ $rc -eq 0 ] && grep -q "^100 queries, 0 differ" "$TMP/any.out" &&
    echo 0 || echo 1)" "--any: two passes rank as the one query"

apart corpus 100
ok "$([ "${n_apart:-0}" -ge 100 ] && echo 0 || echo 1)" \
    "corpus: phrases ran with the title boosts apart (${n_apart:-0} of 500)"

truth shards 20 --shards 2 "$top_srcdir/corpus"
ok "$([ "${reranked:-1}" -eq 0 ] && echo 0 || echo 1)" \
    "shards: the one query (${reranked:-?} in two passes)"
apart shards 20

# Through the remote backend (a stub file naming xapian-tcpsrv on
# 127.0.0.1): the second pass's filter does not travel to the server, so
# the one query runs; searches that tried would fail here.
if start_remote "$TMP/db-corpus" "$TMP/remote.stub"; then
    "$RERANK_TRUTH" -n 20 "$TMP/remote.stub" >"$TMP/remote.out" 2>&1
    rc=$?
    tail -1 "$TMP/remote.out" | sed "s/^/# remote: /"
    ok "$([ $rc -eq 0 ] &&
        grep -q "^20 queries, 0 differ, 0 reranked" "$TMP/remote.out" &&
        echo 0 || echo 1)" "remote: the one query, no search failed"
    "$RERANK_TRUTH" -n 20 -p "$TMP/remote.stub" >"$TMP/remote-p.out" 2>&1
    rc=$?
    tail -1 "$TMP/remote-p.out" | sed "s/^/# remote, phrases: /"
    ok "$([ $rc -eq 0 ] && grep -q "^20 queries, 0 differ" "$TMP/remote-p.out" &&
        echo 0 || echo 1)" "remote: phrases with the title boosts apart rank as the one query"
    stop_remote
fi

shared=$CM_SHARED_CORPUS
if [ -d "$shared/treaties" ]; then
    mkdir -p "$TMP/sample"
    ls "$shared/treaties" | awk 'NR % 40 == 0' | while read -r f; do
        ln -s "$shared/treaties/$f" "$TMP/sample/t-$f"
    done
    truth shared 150 "$TMP/sample"
    apart shared 100
    ok "$([ "${n_apart:-0}" -ge 100 ] && echo 0 || echo 1)" \
        "shared: phrases ran with the title boosts apart (${n_apart:-0} of 500)"
else
    echo "# no shared corpus at $shared: no sample of real documents"
fi

done_testing
