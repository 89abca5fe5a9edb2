#!/bin/sh
# A second run replaces rather than duplicates; changed, shortened and
# deleted files are reflected; an unchanged re-run writes nothing.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

docs=$TMP/docs
db=$TMP/idx
mkdir -p "$docs/sub"
cat >"$docs/a.md" <<'DOC'
## Migration policy

1. The Assembly welcomes co-development programmes.
2. It recalls its earlier work on migration.
3. A third paragraph about the Euro-Mediterranean region.
DOC
printf 'Plain text paragraph about minority languages.\n\nSecond paragraph on education.\n' >"$docs/sub/b.txt"
printf 'not a document\n' >"$docs/ignored.csv"

count_hits() {
    "$CMSEARCH" --db "$db" --format json --limit 1000 "$1" | jq '.total'
}
revision() {
    index_revision "$db" | tr '\n' ' '
}

status_is "first run" 0 "$CMINDEX" --db "$db" --verbose "$docs"
contains "two files, six paragraphs (a heading is one)" "$TMP/err" "indexed 2 files \(6 paragraphs"
[ "$(count_hits co-development)" = 1 ]; ok $? "one hit for co-development"
rev1=$(revision)

status_is "second run" 0 "$CMINDEX" --db "$db" --verbose "$docs"
contains "second run: all unchanged" "$TMP/err" "2 unchanged, 0 new, 0 changed, 0 removed"
[ "$(count_hits co-development)" = 1 ]; ok $? "still one hit: replaced, not duplicated"
[ "$(revision)" = "$rev1" ]; ok $? "an unchanged re-run commits nothing (revision $rev1)"

touch -d '2001-01-01' "$docs/a.md"
status_is "touched file" 0 "$CMINDEX" --db "$db" --verbose "$docs"
contains "a touched but unchanged file is not re-indexed" "$TMP/err" "2 unchanged, 0 new, 0 changed"

cat >"$docs/a.md" <<'DOC'
## Migration policy

1. The Assembly welcomes co-development programmes.
DOC
status_is "shortened file" 0 "$CMINDEX" --db "$db" --verbose "$docs"
contains "one changed" "$TMP/err" "1 unchanged, 0 new, 1 changed, 0 removed"
[ "$(count_hits Euro-Mediterranean)" = 0 ]; ok $? "the dropped paragraph is gone"
[ "$(count_hits co-development)" = 1 ]; ok $? "the kept one is there once"

mv "$docs/sub/b.txt" "$docs/sub/c.txt"
status_is "renamed file" 0 "$CMINDEX" --db "$db" --verbose "$docs"
contains "old name removed, new name added" "$TMP/err" "1 new, 0 changed, 1 removed"
contains "a moved file is not analysed again" "$TMP/err" \
    "^cmindex: moved '.*/sub/b\.txt' to '.*/sub/c\.txt' \(not analysed again\)$"
[ "$("$CMSEARCH" --db "$db" --format json minority | jq -r '.hits[0].path')" = \
  "$(cd "$docs/sub" && pwd -P)/c.txt" ]
ok $? "the moved paragraphs carry the new path"
status_is "after a move, a re-run" 0 "$CMINDEX" --db "$db" --verbose "$docs"
contains "changes nothing" "$TMP/err" "2 unchanged, 0 new, 0 changed, 0 removed"
[ "$(count_hits minority)" = 1 ]; ok $? "the renamed file's paragraph is there once"

# Several renames at once: with shards, some moves cross from one shard to
# another.
mkdir "$docs/many"
for i in 1 2 3 4 5 6; do
    printf '1. Distinct paragraph number %s about rapporteur%s.\n' $i $i >"$docs/many/f$i.md"
done
status_is "six more files" 0 "$CMINDEX" --db "$db" "$docs"
for i in 1 2 3 4 5 6; do mv "$docs/many/f$i.md" "$docs/many/g$i.md"; done
status_is "six renames" 0 "$CMINDEX" --db "$db" --verbose "$docs"
[ "$(grep -c "^cmindex: moved " "$TMP/err")" = 6 ]; ok $? "six moves"
found=0
for i in 1 2 3 4 5 6; do
    p=$("$CMSEARCH" --db "$db" --format json "rapporteur$i" | jq -r '.hits[0].path')
    case $p in */many/g$i.md) found=$((found + 1)) ;; esac
done
[ $found = 6 ]; ok $? "each found once at its new path ($found)"
rm -r "$docs/many"

rm "$docs/sub/c.txt"
status_is "deleted file" 0 "$CMINDEX" --db "$db" --verbose "$docs"
[ "$(count_hits minority)" = 0 ]; ok $? "the deleted file's paragraphs are gone"

# Indexing another folder into the same index leaves the first alone.
mkdir "$TMP/other"
printf 'Another folder on minority rights.\n' >"$TMP/other/x.txt"
status_is "other folder" 0 "$CMINDEX" --db "$db" "$TMP/other"
[ "$(count_hits co-development)" = 1 ]; ok $? "files of the first folder stay"

# The number of analysis threads changes nothing in what is indexed.
status_is "--jobs 1" 0 "$CMINDEX" --db "$TMP/j1" --jobs 1 --shards 2 "$docs"
status_is "--jobs 3" 0 "$CMINDEX" --db "$TMP/j3" --jobs 3 --shards 2 "$docs"
for q in co-development minority paragraph; do
    a=$("$CMSEARCH" --db "$TMP/j1" --format json --limit 100 "$q" | jq -c '[.hits[] | [.path, .para, .score]]')
    b=$("$CMSEARCH" --db "$TMP/j3" --format json --limit 100 "$q" | jq -c '[.hits[] | [.path, .para, .score]]')
    [ "$a" = "$b" ]; ok $? "--jobs 1 and 3: the same hits, ranks and scores for $q"
done
status_is "--jobs 0 is a usage error" 64 "$CMINDEX" --db "$TMP/x" --jobs 0 "$docs"

# Index layout: --shards N gives a stub and N shards; one shard is a plain
# database; an existing index keeps its layout whatever --shards says.
status_is "--shards 3" 0 "$CMINDEX" --db "$TMP/three" --shards 3 "$docs"
[ "$(sed -n 's/^auto //p' "$TMP/three/XAPIANDB" | tr '\n' ' ')" = "shard0 shard1 shard2 " ]
ok $? "a stub naming three shards"
[ -f "$TMP/three/shard2/iamglass" ]; ok $? "the shards are Xapian databases"
status_is "a sharded index answers" 0 "$CMSEARCH" --db "$TMP/three" co-development
status_is "--shards 1" 0 "$CMINDEX" --db "$TMP/one" --shards 1 "$docs"
[ -f "$TMP/one/iamglass" ] && [ ! -f "$TMP/one/XAPIANDB" ]; ok $? "one shard is a plain database"
status_is "an existing index keeps its shards" 0 \
    "$CMINDEX" --db "$TMP/three" --shards 1 --verbose "$docs"
contains "and nothing changes" "$TMP/err" " 0 new, 0 changed, 0 removed"
[ -f "$TMP/three/XAPIANDB" ]; ok $? "still three shards"
status_is "--shards 0 is a usage error" 64 "$CMINDEX" --db "$TMP/x" --shards 0 "$docs"

# Without --shards, a new index is written as shards in parallel (one per
# job) and merged into one database when the run completes; --full too.
status_is "a new index, 3 jobs" 0 "$CMINDEX" --db "$TMP/merged" --jobs 3 \
    "$docs"
[ -f "$TMP/merged/iamglass" ] && [ ! -e "$TMP/merged/XAPIANDB" ] &&
    [ ! -e "$TMP/merged/shard0" ]
ok $? "merged into one database"
ls -d "$TMP"/merged.* >/dev/null 2>&1
ok $(( ! $? )) "no folder left beside it"
# The merged database is stamped with the languages' paragraph counts for
# its own UUID and revision (cmsearch.langs; the shards' stamps name the
# shards), which its searches read instead of thirty L terms: the hits
# below, compared with the shards', which have no stamp, check them.
# (xapian-metadata and xapian-delve: xapian-tools, which
# scripts/install-deps installs.)
stamped_here() {
    _id=$(xapian-delve "$1" | sed -n 's/^UUID = //p')
    _rev=$(xapian-delve "$1" | sed -n 's/^revision = //p')
    xapian-metadata get "$1" cmsearch.langs >"$TMP/langs"
    [ "$(head -1 "$TMP/langs")" = "$_id $_rev" ] &&
        grep -q '^ar=[0-9]* .* en=[1-9][0-9]* ' "$TMP/langs"
}
stamped_here "$TMP/merged"; ok $? "the merged database's own stamp"
for q in co-development minority paragraph; do
    a=$("$CMSEARCH" --db "$TMP/j3" --format json --limit 100 "$q" | jq -c '[.hits[] | [.path, .para, .score]] | sort')
    b=$("$CMSEARCH" --db "$TMP/merged" --format json --limit 100 "$q" | jq -c '[.hits[] | [.path, .para, .score]] | sort')
    [ "$a" = "$b" ]; ok $? "merged and sharded: the same hits and scores for $q"
done
status_is "a re-run of the merged index" 0 "$CMINDEX" --db "$TMP/merged" \
    --jobs 3 --verbose "$docs"
contains "changes nothing" "$TMP/err" " 0 new, 0 changed, 0 removed"
status_is "--full with 3 jobs" 0 "$CMINDEX" --db "$TMP/merged" --jobs 3 \
    --full "$docs"
[ -f "$TMP/merged/iamglass" ] && [ ! -e "$TMP/merged/XAPIANDB" ]
ok $? "--full: merged too"
stamped_here "$TMP/merged"; ok $? "--full: stamped too"
# A merge (or --full) killed midway leaves "<db>.new-<pid>": the next run
# removes it once that process is gone.
mkdir -p "$TMP/merged.new-999999/shard0"
status_is "a run beside a dead merge's folder" 0 "$CMINDEX" --db "$TMP/merged" \
    "$docs"
[ ! -e "$TMP/merged.new-999999" ]; ok $? "the dead merge's folder is removed"
grep -q '^# cmindex: keep' "$TMP/three/XAPIANDB"; ok $? "--shards: the stub says to keep them"
status_is "--full --shards 2" 0 "$CMINDEX" --db "$TMP/merged" --shards 2 \
    --full "$docs"
[ -f "$TMP/merged/XAPIANDB" ]; ok $? "--full --shards 2: shards kept"

# An index that another version of cmindex wrote (another schema) is
# refused, untouched, with the way out; cmsearch still reads it; --full,
# the way out, rebuilds it, one database or shards.
for kind in one sharded; do
    old=$TMP/old-$kind
    if [ $kind = one ]; then
        "$CMINDEX" --db "$old" "$docs" 2>/dev/null
        xapian-metadata set "$old" cmsearch.schema 1
    else
        "$CMINDEX" --db "$old" --shards 2 "$docs" 2>/dev/null
        xapian-metadata set "$old/shard1" cmsearch.schema 1
    fi
    rev_old=$(index_revision "$old" | tr '\n' ' ')
    status_is "$kind: an index of another schema is refused" 65 \
        "$CMINDEX" --db "$old" "$docs"
    contains "$kind: saying to rebuild it with --full" "$TMP/err" \
        "cannot open index .*incompatible version of cmindex; rebuild it with cmindex --full"
    [ "$(index_revision "$old" | tr '\n' ' ')" = "$rev_old" ]
    ok $? "$kind: and left as it was"
    status_is "$kind: cmsearch still reads it" 0 "$CMSEARCH" --db "$old" \
        co-development
    status_is "$kind: --full rebuilds it" 0 "$CMINDEX" --db "$old" --full \
        "$docs"
    status_is "$kind: which the next run takes" 0 "$CMINDEX" --db "$old" \
        --verbose "$docs"
    contains "$kind: as it is" "$TMP/err" " 0 new, 0 changed, 0 removed"
    [ "$(count_hits co-development)" = "$("$CMSEARCH" --db "$old" \
        --format json co-development | jq '.total')" ]
    ok $? "$kind: the same hits as the live index"
done

# A file indexed by a reader that read its format otherwise (a .doc
# before endnotes were read: reader 6) is read again, though unchanged,
# so that the index holds what a rebuild would; a markdown file indexed
# by the same old reader is not, nor is the .doc on the run after.  (The
# state is edited as text: jq would round its nanosecond mtime.)
w=$TMP/word
mkdir -p "$w"
cp "$top_srcdir/corpus/de-entschliessung-2081-2015-zugang-zum-recht.doc" \
    "$docs/a.md" "$w/"
"$CMINDEX" --db "$TMP/wordidx" --jobs 1 "$w" >/dev/null 2>&1
for f in 'zugang-zum-recht\.doc$' 'a\.md$'; do
    key=$(xapian-metadata list "$TMP/wordidx" F | grep "$f")
    xapian-metadata get "$TMP/wordidx" "$key" |
        sed 's/"reader":[0-9]*/"reader":6/' >"$TMP/state"
    xapian-metadata set "$TMP/wordidx" "$key" "$(cat "$TMP/state")"
done
status_is "an old reader's .doc: read again" 0 \
    "$CMINDEX" --db "$TMP/wordidx" --jobs 1 --verbose "$w"
contains "  the .doc only" "$TMP/err" \
    "indexed 2 files .* 1 unchanged, 0 new, 1 changed, 0 removed, 0 rejected"
key=$(xapian-metadata list "$TMP/wordidx" F | grep 'zugang-zum-recht\.doc$')
xapian-metadata get "$TMP/wordidx" "$key" >"$TMP/state"
lacks "  its state now this reader's" "$TMP/state" '"reader":6'
status_is "  then left alone" 0 \
    "$CMINDEX" --db "$TMP/wordidx" --jobs 1 --verbose "$w"
contains "  unchanged" "$TMP/err" " 2 unchanged, 0 new, 0 changed"
mv "$w/de-entschliessung-2081-2015-zugang-zum-recht.doc" "$w/moved.doc"
status_is "  moved: its paragraphs move with it" 0 \
    "$CMINDEX" --db "$TMP/wordidx" --jobs 1 --verbose "$w"
contains "  not read again" "$TMP/err" "moved '.*' to '.*moved\.doc' \(not analysed again\)"

done_testing
