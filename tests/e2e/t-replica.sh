#!/bin/sh
# Replication with Xapian's own tools (doc/distributed.md): cmindex keeps
# changesets in a live index when asked (--changesets,
# $XAPIAN_MAX_CHANGESETS, the configuration's changesets) and none while it
# builds a new database; xapian-replicate-server, started here on
# 127.0.0.1 and stopped by its pid, serves the master's folder;
# xapian-replicate keeps a replica that cmsearch reads with the master's
# results, paragraph for paragraph.  Updates travel as changesets, a
# rebuild as a copy; cmindex refuses to write into a replica; kept shards
# are replicated one by one under a stub of our own; searches running
# while the replica is updated never fail.
. "$(dirname "$0")/lib.sh"
for t in xapian-replicate xapian-replicate-server setsid; do
    command -v $t >/dev/null || skip_all "$t is not installed (xapian-tools)"
done

docs=$TMP/docs
master=$TMP/master
db=$master/idx
replica=$TMP/replica
mkdir -p "$docs" "$master"
cp "$top_srcdir"/corpus/* "$docs"/
unset XAPIAN_MAX_CHANGESETS

srv=
stop_server() {
    if [ -n "$srv" ]; then
        kill "$srv" 2>/dev/null
        wait "$srv" 2>/dev/null
        srv=
    fi
}
trap 'stop_server; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

# replicate MASTER REPLICA: one pass of xapian-replicate (its report in
# $TMP/rep); the first call starts the server, on another port if the
# first is taken.
replicate() {
    if [ -z "$srv" ]; then
        for _try in 0 1 2; do
            port=$((30000 + ($$ + 6151 * _try + 17) % 20000))
            setsid xapian-replicate-server --interface 127.0.0.1 \
                --port "$port" "$master" >"$TMP/srv.log" 2>&1 &
            srv=$!
            _i=0
            while [ $_i -lt 50 ] && kill -0 "$srv" 2>/dev/null; do
                if xapian-replicate -h 127.0.0.1 -p "$port" -m "$1" -o -v \
                    "$2" >"$TMP/rep" 2>&1; then
                    return 0
                fi
                sleep 0.1
                _i=$((_i + 1))
            done
            stop_server
        done
        echo "# xapian-replicate-server did not answer:"
        sed 's/^/#   /' "$TMP/srv.log" "$TMP/rep" | head -10
        return 1
    fi
    xapian-replicate -h 127.0.0.1 -p "$port" -m "$1" -o -v "$2" \
        >"$TMP/rep" 2>&1
}

# The results of queries of every kind, on the index given: what a search
# host must answer as the master does.
results() {
    for q in co-development migrants 'lang:fr' 'lang:de' '"human rights"' \
        'Menschenrechte' 'section:body OR section:heading' 'migra*' \
        'type:resolution' 'year:2014..2019'; do
        echo "== $q"
        "$CMSEARCH" --db "$1" --format tsv --limit 1000 -- "$q"
        echo "exit $?"
    done
    "$CMSEARCH" --db "$1" --by-doc --sort=-date --format json migration
    "$CMSEARCH" --db "$1" --format json migarnts
}

# same "name" REPLICA [MASTER]: the replica answers as the master does.
same() {
    results "${3:-$db}" >"$TMP/want" 2>&1
    results "$2" >"$TMP/got" 2>&1
    if cmp -s "$TMP/want" "$TMP/got" && grep -q '^exit 0' "$TMP/want"; then
        ok 0 "$1"
    else
        ok 1 "$1"
        diff "$TMP/want" "$TMP/got" | head -20 | sed 's/^/#   /'
    fi
}

changesets() {
    ls "$1" | grep -c '^changes'
}

# The master: a new index keeps no changeset even when asked (a replica
# copies a new database whole).
status_is "cmindex builds the master index" 0 \
    "$CMINDEX" --db "$db" -q --changesets 20 "$docs"
[ "$(changesets "$db")" -eq 0 ]
ok $? "a new index holds no changeset (copied whole)"

if ! replicate idx "$replica"; then
    ok 1 "xapian-replicate-server answers on 127.0.0.1"
    done_testing
    exit
fi
ok 0 "xapian-replicate-server answers on 127.0.0.1 (port $port)"
contains "the first replication is a copy" "$TMP/rep" "Update complete: 1 copies"
same "the replica answers as the master (10 queries, JSON, suggestion)" \
    "$replica"

# An update: a changed, a removed and a new file.
printf '\n\n14. The Assembly notes the zanzibarian proposal.\n' \
    >>"$docs/en-rec-2101-2017-migrant-co-development.md"
rm "$docs/en-opinion-271-2009-local-democracy-participation.md"
printf '## New text\n\n1. Quokkas and co-development.\n' >"$docs/en-new.md"
status_is "cmindex --changesets 20 updates the master" 0 \
    "$CMINDEX" --db "$db" -q --changesets 20 "$docs"
[ "$(changesets "$db")" -ge 1 ]
ok $? "the update left changesets ($(changesets "$db"))"
check "replicated" replicate idx "$replica"
contains "the update travelled as changesets, not a copy" "$TMP/rep" \
    "Update complete: 0 copies, [1-9][0-9]* changesets"
[ "$("$CMSEARCH" --db "$replica" --count zanzibarian)" = 1 ] &&
    [ "$("$CMSEARCH" --db "$replica" --count quokkas)" = 1 ]
ok $? "the replica finds the changed and the new file's words"
"$CMSEARCH" --db "$replica" --format tsv --limit 1000 'local democracy' \
    >"$TMP/out" 2>&1
lacks "the removed file is gone from the replica" "$TMP/out" \
    "en-opinion-271-2009"
same "the replica answers as the master after the update" "$replica"

# $XAPIAN_MAX_CHANGESETS and the configuration say the same.
n0=$(changesets "$db")
printf '\n\n15. A paragraph on wombats.\n' >>"$docs/en-new.md"
status_is "XAPIAN_MAX_CHANGESETS=20 cmindex" 0 \
    env XAPIAN_MAX_CHANGESETS=20 "$CMINDEX" --db "$db" -q "$docs"
ls "$db" >"$TMP/ls1"
printf '\n\n16. A paragraph on numbats.\n' >>"$docs/en-new.md"
printf 'changesets = 20\n' >"$TMP/conf"
status_is "cmindex with 'changesets = 20' configured" 0 \
    "$CMINDEX" --config "$TMP/conf" --db "$db" -q "$docs"
ls "$db" >"$TMP/ls2"
[ "$(grep -c '^changes' "$TMP/ls1")" -gt "$n0" ] &&
    [ "$(grep -c '^changes' "$TMP/ls2")" -gt "$(grep -c '^changes' "$TMP/ls1")" ]
ok $? "the variable and the configuration keep changesets too"
check "replicated" replicate idx "$replica"
contains "both updates travelled as changesets" "$TMP/rep" \
    "Update complete: 0 copies, [2-9][0-9]* changesets"
[ "$("$CMSEARCH" --db "$replica" --count 'wombats OR numbats')" = 2 ]
ok $? "the replica finds both"

# Without them no changeset is written, and the replica is copied again.
ls "$db" | grep '^changes' >"$TMP/before"
printf '\n\n17. A paragraph on bilbies.\n' >>"$docs/en-new.md"
status_is "cmindex without --changesets" 0 "$CMINDEX" --db "$db" -q "$docs"
ls "$db" | grep '^changes' >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after"
ok $? "no changeset written without --changesets"
check "replicated" replicate idx "$replica"
contains "the replica is copied whole" "$TMP/rep" "Update complete: 1 copies"
same "the copied replica answers as the master" "$replica"

# A rebuild is a new database: no changeset, a copy.
status_is "cmindex --full --changesets 20" 0 \
    "$CMINDEX" --db "$db" -q --full --changesets 20 "$docs"
[ "$(changesets "$db")" -eq 0 ]
ok $? "the rebuilt index holds no changeset"
check "replicated" replicate idx "$replica"
contains "the rebuilt index is copied whole" "$TMP/rep" \
    "Update complete: 1 copies"
same "the replica answers as the rebuilt master" "$replica"

# cmindex never writes into a replica: Xapian's stub there is not ours.
ls -R "$replica" >"$TMP/ls-before"
cp "$replica/XAPIANDB" "$TMP/stub-before"
for how in "" --full; do
    status_is "cmindex $how into the replica is refused (65)" 65 \
        "$CMINDEX" --db "$replica" $how "$docs"
    contains "  and says it is a replica, to index the master" "$TMP/err" \
        "cannot open index '$replica': it is a replica that xapian-replicate keeps: run cmindex on the master index it copies"
done
ls -R "$replica" >"$TMP/ls-after"
cmp -s "$TMP/ls-before" "$TMP/ls-after" &&
    cmp -s "$TMP/stub-before" "$replica/XAPIANDB"
ok $? "the replica's files are as they were"
same "and it still answers as the master" "$replica"

# A stub of another's, or a stub file, is not written to either.
mkdir "$TMP/search-host"
printf 'auto %s\n' "$replica" >"$TMP/search-host/XAPIANDB"
status_is "cmindex into a folder with a stub it did not write (65)" 65 \
    "$CMINDEX" --db "$TMP/search-host" "$docs"
contains "  the message says so" "$TMP/err" "its stub file XAPIANDB was not written by cmindex"
status_is "cmindex --full into it (65)" 65 \
    "$CMINDEX" --db "$TMP/search-host" --full "$docs"
printf 'auto %s\n' "$replica" >"$TMP/search-host.stub"
status_is "cmindex into a stub file (65)" 65 \
    "$CMINDEX" --db "$TMP/search-host.stub" "$docs"
contains "  the message says it is a file" "$TMP/err" "it is a file: cmindex writes its index into a folder"
[ "$(ls "$TMP/search-host")" = XAPIANDB ] &&
    [ "$(cat "$TMP/search-host.stub")" = "auto $replica" ]
ok $? "neither was touched"

# Bad values are refused by name.
status_is "--changesets=x is a usage error" 64 \
    "$CMINDEX" --db "$db" --changesets=x "$docs"
status_is "XAPIAN_MAX_CHANGESETS=-1 is a usage error" 64 \
    env XAPIAN_MAX_CHANGESETS=-1 "$CMINDEX" --db "$db" "$docs"
contains "  naming the variable" "$TMP/err" "XAPIAN_MAX_CHANGESETS wants a number"
printf 'changesets = many\n' >"$TMP/bad.conf"
status_is "'changesets = many' is a configuration error (78)" 78 \
    "$CMINDEX" --config "$TMP/bad.conf" --db "$db" "$docs"
contains "  naming the file and line" "$TMP/err" "bad.conf:1: changesets wants a number"

# Searches while the replica is updated, by changesets and by copies
# (the replica's folder switched): none fails.
: >"$TMP/searches"
touch "$TMP/searching"
(
    while [ -f "$TMP/searching" ]; do
        "$CMSEARCH" --db "$replica" --format tsv co-development \
            >/dev/null 2>"$TMP/search-err"
        rc=$?
        echo "$rc" >>"$TMP/searches"
        [ "$rc" -le 1 ] || cat "$TMP/search-err" >>"$TMP/searches"
    done
) &
searcher=$!
fails=0
for i in 1 2 3 4 5 6; do
    printf '\n\n%d. Round %d of co-development.\n' $((20 + i)) "$i" \
        >>"$docs/en-new.md"
    if [ "$i" -eq 4 ]; then
        "$CMINDEX" --db "$db" -q --full "$docs" || fails=$((fails + 1))
    else
        "$CMINDEX" --db "$db" -q --changesets 20 "$docs" ||
            fails=$((fails + 1))
    fi
    replicate idx "$replica" || fails=$((fails + 1))
done
rm -f "$TMP/searching"
wait "$searcher"
[ "$fails" -eq 0 ]
ok $? "six updates and replications while searching (one a rebuild)"
n=$(grep -c . "$TMP/searches")
bad=$(grep -v '^0$' "$TMP/searches" | head -5)
[ "$n" -gt 0 ] && [ -z "$bad" ]
ok $? "no search failed while the replica changed ($n searches)"
[ -n "$bad" ] && echo "$bad" | sed 's/^/#   /'
same "the replica answers as the master after them" "$replica"

# Kept shards: each replicated on its own, searched through a stub that
# lists the replicas.
status_is "cmindex --shards 2 --changesets 20" 0 \
    "$CMINDEX" --db "$master/sh" -q --shards 2 --changesets 20 "$docs"
mkdir "$TMP/rsh"
check "shard0 replicated" replicate sh/shard0 "$TMP/rsh/shard0"
check "shard1 replicated" replicate sh/shard1 "$TMP/rsh/shard1"
printf 'auto shard0\nauto shard1\n' >"$TMP/rsh/XAPIANDB"
same "the replicated shards answer as the sharded master" "$TMP/rsh" \
    "$master/sh"
printf '\n\n30. The quolls of co-development.\n' >>"$docs/en-new.md"
printf '## Another\n\n1. Echidnas.\n' >"$docs/en-another.md"
status_is "the sharded master updated" 0 \
    "$CMINDEX" --db "$master/sh" -q --changesets 20 "$docs"
[ $(($(changesets "$master/sh/shard0") + $(changesets "$master/sh/shard1"))) -ge 1 ]
ok $? "its shards keep changesets"
check "shard0 replicated" replicate sh/shard0 "$TMP/rsh/shard0"
check "shard1 replicated" replicate sh/shard1 "$TMP/rsh/shard1"
same "the replicated shards answer as the updated master" "$TMP/rsh" \
    "$master/sh"

stop_server
done_testing
