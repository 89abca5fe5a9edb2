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

# oracle label out queries "what" [rerank_truth options] db: run the
# oracle into out, print its last line, check that nothing differed; set
# reranked and n_apart to the searches it counts as ranked in two passes
# and with the title boosts apart.
oracle() {
    label=$1
    out=$2
    n=$3
    what=$4
    shift 4
    "$RERANK_TRUTH" -n "$n" "$@" >"$out" 2>&1
    oracle_ok "$label" "$out" $? "$n queries, 0 differ" \
        "$label: $what rank as the one query"
    reranked=$(sed -n 's/.* differ, \([0-9]*\) reranked.*/\1/p' "$out")
    n_apart=$(sed -n 's/.* reranked, \([0-9]*\) apart$/\1/p' "$out")
}

# truth name queries [cmindex options] paths...: index the paths and run
# the oracle on queries of words.
truth() {
    name=$1
    n=$2
    shift 2
    status_is "$name: cmindex" 0 "$CMINDEX" --db "$TMP/db-$name" -q "$@"
    oracle "$name" "$TMP/$name.out" "$n" "two passes" "$TMP/db-$name"
}

# apart name queries: quoted phrases on the index of truth name.  A
# phrase has no phrase boost, but a paragraph with one of its words in
# its title gains the title boost, and those paragraphs are ranked apart
# from the others (cm_search.c, run_titles_apart()): the oracle checks
# that against the one query too.
apart() {
    oracle "$1, phrases" "$TMP/$1-p.out" "$2" \
        "phrases with the title boosts apart" -p "$TMP/db-$1"
}

truth corpus 150 "$top_srcdir/corpus"
# Five pages per query: most searches run in two passes (the others have
# one word left after the analyzer, or a page too deep).
ok "$([ "${reranked:-0}" -ge 300 ] && echo 0 || echo 1)" \
    "corpus: most searches ran in two passes (${reranked:-0} of 750)"

# The words as alternatives (--any): a paragraph may have some of them.
oracle --any "$TMP/any.out" 100 "two passes" -a "$TMP/db-corpus"

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
    oracle remote "$TMP/remote.out" 20 "searches" "$TMP/remote.stub"
    ok "$([ "${reranked:-1}" -eq 0 ] && echo 0 || echo 1)" \
        "remote: the one query, no search failed (${reranked:-?} in two passes)"
    oracle "remote, phrases" "$TMP/remote-p.out" 20 \
        "phrases with the title boosts apart" -p "$TMP/remote.stub"
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
