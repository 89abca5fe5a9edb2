#!/bin/sh
# The reference sample (Doc. 11549): the foundation's promise that
# '"co-development"' returns exactly the two paragraphs that contain it.
. "$(dirname "$0")/lib.sh"

seed=$CM_SHARED_CORPUS/seed
[ -f "$seed/doc11549.md" ] || skip_all "no shared corpus at $CM_SHARED_CORPUS"
command -v jq >/dev/null || skip_all "jq is not installed"

db=$TMP/idx
status_is "cmindex indexes the seed" 0 "$CMINDEX" --db "$db" "$seed"
# cmindex has zlib store Xapian's tags rather than deflate them
# (indexer/stored_tags.c): a paragraph's text is in the data as written.
grep -aq 'CM/Rec(2007)10 on co-development' "$db/docdata.glass"
ok $? "the document data is stored, not deflated"

status_is "the phrase matches" 0 \
    "$CMSEARCH" --db "$db" --format json '"co-development"'
cp "$TMP/out" "$TMP/phrase.json"
check "JSON output parses" jq -e . "$TMP/phrase.json"
[ "$(jq '.hits | length' "$TMP/phrase.json")" = 2 ]
ok $? "exactly two hits"
[ "$(jq -c '[.hits[].label] | sort' "$TMP/phrase.json")" = '["5.","9."]' ]
ok $? "the paragraphs numbered 5 and 9"
[ "$(jq '.total' "$TMP/phrase.json")" = 2 ]
ok $? "total is 2"
[ "$(jq -r '.query' "$TMP/phrase.json")" = '"co-development"' ]
ok $? "the query is echoed"
jq -e 'all(.hits[]; (.rank|type)=="number" and (.score|type)=="number"
        and (.path|endswith("doc11549.md")) and (.para|type)=="number"
        and (.text|test("co-development")))' "$TMP/phrase.json" >/dev/null
ok $? "every hit has rank, score, path, para and the text"
jq -e '[.hits[].rank] == [1,2]' "$TMP/phrase.json" >/dev/null
ok $? "ranks are 1 and 2"
jq -e '.hits[0].score >= .hits[1].score' "$TMP/phrase.json" >/dev/null
ok $? "ranked by score"
jq -e 'all(.hits[]; .text | test("\\*|\\]\\(|<sup>") | not)' \
    "$TMP/phrase.json" >/dev/null
ok $? "texts are free of markdown syntax"

status_is "the hyphenated word alone finds the same" 0 \
    "$CMSEARCH" --db "$db" --format json co-development
[ "$(jq -c '[.hits[].label] | sort' "$TMP/out")" = '["5.","9."]' ]
ok $? "co-development unquoted: paragraphs 5 and 9"

status_is "text output" 0 "$CMSEARCH" --db "$db" '"co-development"'
contains "text output cites the label as ¶5" "$TMP/out" "Doc\. 11549 ¶5 · 2008-03-28 · en · "
contains "text output shows the file" "$TMP/out" "doc11549\.md"
contains "text output shows the paragraph" "$TMP/out" "CM/Rec\(2007\)10 on co-development"

status_is "a word of one paragraph" 0 "$CMSEARCH" --db "$db" Tangier
contains "the total in the singular" "$TMP/out" "^1-1 of 1 paragraph\$"
status_is "a word of ten" 0 "$CMSEARCH" --db "$db" migration
contains "the total in the plural" "$TMP/out" "^1-10 of 10 paragraphs\$"

status_is "a phrase that is not there exits 1" 1 \
    "$CMSEARCH" --db "$db" '"development co"'
status_is "an unclosed quote exits 65" 65 "$CMSEARCH" --db "$db" 'migration "co-dev'
contains "and points at the column" "$TMP/err" \
    "^cmsearch: query error at column 11: unclosed quote"

status_is "--limit 1 shows one hit" 0 \
    "$CMSEARCH" --db "$db" --format json --limit 1 IOM
[ "$(jq '.hits | length' "$TMP/out")" = 1 ]; ok $? "one hit with --limit 1"
total=$(jq '.total' "$TMP/out")
[ "$total" -gt 5 ]; ok $? "IOM: the total counts all matches ($total)"
status_is "--offset pages on" 0 \
    "$CMSEARCH" --db "$db" --format json --limit 1 --offset 1 IOM
[ "$(jq '.hits[0].rank' "$TMP/out")" = 2 ]; ok $? "the second page starts at rank 2"

done_testing
