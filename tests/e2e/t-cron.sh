#!/bin/sh
# cmindex as cron runs it: one writer at a time, safe to kill at any
# moment, searches never see an error, --full swaps atomically, --dry-run
# writes nothing, configuration and log files, a full disk.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

docs=$TMP/docs
db=$TMP/idx

# A generated corpus big enough for a run to last a few seconds: 240
# markdown files of 30 numbered paragraphs each, words drawn from a fixed
# vocabulary with a fixed seed (so every run of the test is the same).
gen_corpus() {
    mkdir -p "$1"
    awk -v dir="$1" -v nfiles="$2" 'BEGIN {
        srand(42)
        split("migration council assembly rights minority language europe " \
              "co-development protection children online democracy court " \
              "judgment recommendation resolution member states dialogue " \
              "report committee ministers treaty convention protocol " \
              "article paragraph whistle-blowers trafficking education", w, " ")
        nw = 0; for (k in w) nw++
        for (f = 0; f < nfiles; f++) {
            file = sprintf("%s/doc%04d.md", dir, f)
            printf "## Document %d\n\n", f > file
            for (p = 1; p <= 30; p++) {
                line = sprintf("%d. Paragraph %d of document %d:", p, p, f)
                for (i = 0; i < 120; i++)
                    line = line " " w[int(rand() * nw) + 1] (i % 17 == 16 ? "." : "")
                print line > file
            }
            close(file)
        }
    }'
}

# The set of (file, paragraph) hits of a query, order aside: all of them,
# page after page (a cut at a limit would depend on how ties are ordered,
# which document ids decide).
hits() {
    _off=0
    while :; do
        "$CMSEARCH" --db "$1" --format json --limit 1000 --offset "$_off" \
            "$2" | jq -r '.hits[] | "\(.path | sub(".*/"; "")) \(.para)"' \
            >"$TMP/page"
        cat "$TMP/page"
        [ "$(wc -l <"$TMP/page")" -eq 1000 ] || break
        _off=$((_off + 1000))
    done | sort
}
doc_count() {
    xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'
}

gen_corpus "$docs" 240
status_is "a clean build" 0 "$CMINDEX" --db "$TMP/clean" "$docs"
for q in migration '"member states"' co-development 'court judgment'; do
    hits "$TMP/clean" "$q" >"$TMP/clean.$(echo "$q" | tr -dc a-z)"
done
clean_docs=$(doc_count "$TMP/clean")

# --- one writer --------------------------------------------------------
rm -rf "$db"
"$CMINDEX" --db "$db" --batch-mb 1 "$docs" 2>"$TMP/first.err" &
first=$!
i=0
while [ ! -f "$db/cmindex.pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
# Freeze the first so that it surely holds the lock for what follows.
kill -STOP $first
status_is "a second cmindex exits 75 at once" 75 "$CMINDEX" --db "$db" "$docs"
contains "and names the lock holder" "$TMP/err" \
    "^cmindex: index .*/idx is locked by another cmindex \(pid $first\)$"
start=$(date +%s)
status_is "--wait=1 gives up after a second" 75 "$CMINDEX" --db "$db" --wait=1 "$docs"
[ $(( $(date +%s) - start )) -le 4 ]; ok $? "and does not hang"
kill -CONT $first

# Searches while the first commits batch after batch: results or nothing,
# never an error.
errors=0 n=0
while kill -0 $first 2>/dev/null; do
    "$CMSEARCH" --db "$db" --format json migration >/dev/null 2>"$TMP/s.err"
    rc=$?
    n=$((n + 1))
    if [ $rc -gt 1 ] && [ $rc -ne 66 ]; then
        errors=$((errors + 1))
        sed 's/^/#   /' "$TMP/s.err"
    fi
done
wait $first
ok $? "the first cmindex succeeds"
[ $errors -eq 0 ]; ok $? "$n searches during the commits: no error"
status_is "--wait succeeds once the lock is free" 0 "$CMINDEX" --db "$db" --wait "$docs"
[ ! -f "$db/cmindex.pid" ]; ok $? "the pid file goes with the lock"

# --- killed at any moment ----------------------------------------------
# Killed while a new index's databases were being created, before Xapian
# wrote their version file: tables and no "iamglass" (Xapian then takes
# the folder for a database it cannot open).  The next run creates them
# over; a folder of other files is not touched.
for killed in shard0 shard1; do
    rm -rf "$db"
    mkdir -p "$db/shard0" "$db/$killed"
    [ $killed = shard1 ] && "$CMINDEX" --db "$TMP/one" --shards 1 \
        "$docs/doc0000.md" 2>/dev/null && rm -rf "$db/shard0" &&
        cp -r "$TMP/one" "$db/shard0"
    : >"$db/$killed/postlist.glass"
    : >"$db/$killed/termlist.glass"
    : >"$db/$killed/flintlock"
    status_is "a creation killed in $killed: the next run finishes the job" 0 \
        "$CMINDEX" --db "$db" "$docs"
    [ "$(doc_count "$db")" = "$clean_docs" ]
    ok $? "  as a clean build"
done
mkdir -p "$TMP/notdb"
printf 'keep me\n' >"$TMP/notdb/notes.txt"
"$CMINDEX" --db "$TMP/notdb" --shards 1 "$docs/doc0000.md" >/dev/null 2>&1
[ "$(cat "$TMP/notdb/notes.txt")" = "keep me" ]
ok $? "an index made in a folder of other files leaves them be"

for delay in 0.1 0.4 0.8 1.5 2.5; do
    rm -rf "$db"
    "$CMINDEX" --db "$db" --batch-mb 1 "$docs" 2>/dev/null &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    # The index exists once its stub or Xapian's version file does; a
    # folder killed before then holds no commit (cmsearch says there is no
    # index, 66), and the next run must still finish the job.
    if [ -f "$db/XAPIANDB" ] || [ -f "$db/iamglass" ]; then
        "$CMSEARCH" --db "$db" migration >/dev/null 2>"$TMP/err"
        rc=$?
        [ $rc -le 1 ]; ok $? "SIGKILL after ${delay}s: the index opens (exit $rc)"
    else
        ok 0 "SIGKILL after ${delay}s: killed before the index existed"
    fi
    status_is "SIGKILL after ${delay}s: the next run finishes the job" 0 \
        "$CMINDEX" --db "$db" "$docs"
    same=0
    for q in migration '"member states"' co-development 'court judgment'; do
        hits "$db" "$q" | cmp -s - "$TMP/clean.$(echo "$q" | tr -dc a-z)" || same=1
    done
    [ $same -eq 0 ] && [ "$(doc_count "$db")" = "$clean_docs" ]
    ok $? "SIGKILL after ${delay}s: same paragraphs and results as a clean build"
    [ -f "$db/iamglass" ] && [ ! -e "$db/XAPIANDB" ]
    ok $? "SIGKILL after ${delay}s: one database, as a clean build"
done

# --- SIGTERM stops cleanly ---------------------------------------------
rm -rf "$db"
"$CMINDEX" --db "$db" --batch-mb 1 "$docs" 2>"$TMP/term.err" &
pid=$!
sleep 0.8
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || [ $rc -eq 0 ]; ok $? "SIGTERM: exit 143 (or 0 if it had finished): $rc"
if [ $rc -eq 143 ]; then
    contains "SIGTERM: says it stopped after committing" "$TMP/term.err" \
        "stopped by signal 15 after committing"
else
    ok 0 "# SKIP the run ended before the signal"
fi
status_is "SIGTERM: the next run completes" 0 "$CMINDEX" --db "$db" "$docs"
[ "$(doc_count "$db")" = "$clean_docs" ]; ok $? "SIGTERM: all paragraphs in the end"

# --- --dry-run, --log --------------------------------------------------
rev() { index_revision "$db" | tr '\n' ' '; }
r0=$(rev)
echo "1. A new paragraph on co-development." >"$docs/new.md"
printf '\n1. Changed.\n' >>"$docs/doc0001.md"
mv "$docs/doc0002.md" "$TMP/doc0002.md"
status_is "--dry-run" 0 "$CMINDEX" --db "$db" --dry-run "$docs"
contains "--dry-run names the new file" "$TMP/out" "^new: .*new\.md$"
contains "--dry-run names the changed file" "$TMP/out" "^changed: .*doc0001\.md$"
contains "--dry-run names the removed file" "$TMP/out" "^removed: .*doc0002\.md$"
[ "$(rev)" = "$r0" ]; ok $? "--dry-run writes nothing (revision $r0)"
status_is "--log" 0 "$CMINDEX" --db "$db" --log "$TMP/cmindex.log" "$docs"
[ ! -s "$TMP/err" ]; ok $? "silent on stderr when not on a terminal"
contains "the log has the summary" "$TMP/cmindex.log" \
    "^[0-9T:-]+ indexed 240 files .* 238 unchanged, 1 new, 1 changed, 1 removed, 0 rejected$"
mv "$TMP/doc0002.md" "$docs/"

# --- --full ------------------------------------------------------------
status_is "--full rebuilds" 0 "$CMINDEX" --db "$db" --full --verbose "$docs"
contains "--full indexes everything anew" "$TMP/err" "0 unchanged, 241 new"
ls -d "$TMP"/idx.* 2>/dev/null >"$TMP/left"
[ ! -s "$TMP/left" ]; ok $? "--full leaves nothing beside the index"
[ "$(hits "$db" co-development | wc -l)" -gt 0 ]; ok $? "the rebuilt index answers"
"$CMINDEX" --db "$db" --full "$docs" 2>/dev/null &
pid=$!
errors=0
while kill -0 $pid 2>/dev/null; do
    "$CMSEARCH" --db "$db" migration >/dev/null 2>"$TMP/s.err"
    [ $? -le 1 ] || { errors=$((errors + 1)); sed 's/^/#   /' "$TMP/s.err"; }
done
wait $pid
ok $? "a second --full"
[ $errors -eq 0 ]; ok $? "searches during --full and its swap: no error"

# --- configuration -----------------------------------------------------
cat >"$TMP/cmsearch.conf" <<EOF
# test configuration
db = $TMP/confidx
path = $docs
exclude = doc00*
EOF
status_is "db and paths from \$CMSEARCH_CONFIG" 0 \
    env CMSEARCH_CONFIG="$TMP/cmsearch.conf" CMSEARCH_DB= "$CMINDEX" --verbose
contains "exclude patterns apply" "$TMP/err" "indexed 141 files"
status_is "a broken configuration" 78 \
    "$CMINDEX" --config /dev/null/nothing "$docs"
printf 'colour = blue\n' >"$TMP/bad.conf"
status_is "an unknown key exits 78" 78 "$CMINDEX" --config "$TMP/bad.conf" "$docs"
contains "and names the file and line" "$TMP/err" "bad\.conf:1: unknown key 'colour'"
# cmsearch reads the same file for its index.
status_is "cmsearch: the index from \$CMSEARCH_CONFIG" 0 \
    env CMSEARCH_CONFIG="$TMP/cmsearch.conf" CMSEARCH_DB= "$CMSEARCH" --count \
    migration
contains "  its paragraphs found" "$TMP/out" '^[1-9][0-9]*$'
status_is "cmsearch: from --config" 0 env CMSEARCH_DB= "$CMSEARCH" \
    --config "$TMP/cmsearch.conf" --count migration
status_is "cmsearch: \$CMSEARCH_DB wins over the file" 66 \
    env CMSEARCH_DB="$TMP/none" "$CMSEARCH" --config "$TMP/cmsearch.conf" x
status_is "cmsearch: --db wins over both" 1 env CMSEARCH_DB="$TMP/none" \
    "$CMSEARCH" --db "$TMP/confidx" --config "$TMP/cmsearch.conf" zzzqqq
status_is "cmsearch: a broken configuration exits 78" 78 \
    "$CMSEARCH" --config "$TMP/bad.conf" x
contains "  and names the file and line" "$TMP/err" "bad\.conf:1: unknown key 'colour'"

# --- a full disk -------------------------------------------------------
mkdir "$TMP/small"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=3m tmpfs "$TMP/small" 2>/dev/null; then
    mkdir "$TMP/few"
    cp "$docs/doc000"[0-4].md "$TMP/few/"
    status_is "a first run fits" 0 "$CMINDEX" --db "$TMP/small/idx" "$TMP/few"
    status_is "disk full: exit 74" 74 "$CMINDEX" --db "$TMP/small/idx" --batch-mb 1 "$docs"
    contains "disk full: the reason on stderr" "$TMP/err" "(No space left|space)"
    status_is "disk full: the last commit is intact" 0 \
        "$CMSEARCH" --db "$TMP/small/idx" '"Paragraph 3 of document 2"'
    umount "$TMP/small"
else
    ok 0 "# SKIP cannot mount a small tmpfs here (needs root)"
fi

done_testing
