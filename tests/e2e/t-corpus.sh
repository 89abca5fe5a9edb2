#!/bin/sh
# The project's own corpus/: the quick start indexes it and finds
# co-development; every language in it is searchable by its own words.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

corpus=$top_srcdir/corpus
db=$TMP/idx
status_is "cmindex indexes corpus/" 0 "$CMINDEX" --db "$db" --verbose "$corpus"
contains "one summary line" "$TMP/err" \
    "^cmindex: indexed [0-9]+ files \([0-9]+ paragraphs, [0-9.]+ MB\) in [0-9.]+ s: 0 unchanged, [0-9]+ new, 0 changed, 0 removed, 0 rejected$"
nfiles=$(find "$corpus" -name '*.md' ! -name README.md -o -name '*.txt' | wc -l)
[ "$nfiles" -ge 12 ]; ok $? "corpus/ has at least 12 documents ($nfiles)"

status_is "co-development is found" 0 \
    "$CMSEARCH" --db "$db" --format json --limit 100 co-development
n=$(jq '.hits | length' "$TMP/out")
[ "$n" -ge 3 ]; ok $? "in at least three paragraphs ($n)"
jq -e 'all(.hits[]; .text | ascii_downcase | test("co-development"))' \
    "$TMP/out" >/dev/null
ok $? "every hit contains co-development"
docs=$(jq '[.hits[].path] | unique | length' "$TMP/out")
[ "$docs" -ge 3 ]; ok $? "from at least three documents ($docs)"

# Words in several languages and scripts, each must find a paragraph that
# contains it as written.
for w in migration migrations Migration droits Menschenrechte diritti \
         права δικαιώματα dziennikarzy vzdělávání; do
    "$CMSEARCH" --db "$db" --format json --limit 1 "$w" >"$TMP/w.json" 2>"$TMP/err"
    rc=$?
    if [ $rc -eq 1 ]; then
        ok 0 "# SKIP '$w' not in the corpus"
        continue
    fi
    [ $rc -eq 0 ] && jq -e --arg w "$w" '.hits[0].text | test($w; "i")' \
        "$TMP/w.json" >/dev/null
    ok $? "'$w' finds a paragraph that contains it"
done

# Polish and Czech have no Snowball stemmer: a word's first six letters
# stand for its forms (cm_tok.c), so the form typed finds the others.
pl=pl-rezolucja-2141-2017-wolnosc-mediow.md
cs=cs-doporuceni-2098-2017-vzdelavani-romu.md
"$CMSEARCH" --db "$db" --format json --limit 100 'wolności' >"$TMP/out"
jq -e --arg f "$pl" 'any(.hits[]; (.path | endswith($f)) and .label == "1."
    and (.text | test("wolność")) and (.text | test("wolności") | not))' \
    "$TMP/out" >/dev/null
ok $? "Polish: 'wolności' finds paragraph 1., which says 'wolność'"
jq -e '.hits[0].text | test("wolności")' "$TMP/out" >/dev/null
ok $? "  the form typed ranks first"
"$CMSEARCH" --db "$db" --format json --limit 100 '=wolności' >"$TMP/out"
jq -e 'all(.hits[]; .text | test("wolności"; "i"))' "$TMP/out" >/dev/null
ok $? "  '=wolności' finds that form only"
"$CMSEARCH" --db "$db" --format json --limit 100 'segregace' >"$TMP/out"
jq -e --arg f "$cs" 'any(.hits[]; (.path | endswith($f)) and .label == "4."
    and (.text | test("segregaci")))' "$TMP/out" >/dev/null
ok $? "Czech: 'segregace' finds 4., which says 'segregaci'"
"$CMSEARCH" --db "$db" --explain 'segregace' >"$TMP/out"
contains "  through the Czech stem term" "$TMP/out" "Zcs:segreg"

status_is "the quick-start search prints text" 0 \
    env CMSEARCH_DB="$db" "$CMSEARCH" co-development
contains "a ranked list" "$TMP/out" "^1\. "

done_testing
