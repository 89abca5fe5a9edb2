#!/bin/sh
# lang: reads the runs of the language's paragraphs that cmindex stamps on
# each commit (CM_META_LANG_RUNS, cm_runs.h) instead of the L term's
# postings.  A copy of the index made by xapian-compact is another
# database, on which no stamp holds: there the same queries read the L
# terms.  Both give the same hits, page after page, and the same counts.
# Over the project's corpus/ and, where ../shared/corpus is present, a
# sample of the treaties (every 25th: Dutch and English halves, so each
# language's paragraphs are runs).
. "$(dirname "$0")/lib.sh"

command -v xapian-compact >/dev/null && command -v xapian-delve >/dev/null ||
    skip_all "no xapian-compact or xapian-delve (Debian: xapian-tools)"

# same name db words: copy db; compare a query per language of the index
# and its combinations on both (words: a few words of the texts).
same() {
    name=$1
    db=$2
    words=$3
    copy="$TMP/copy-$name"
    rm -rf "$copy"
    status_is "$name: a copy by xapian-compact" 0 \
        xapian-compact -q "$db" "$copy"
    codes=$(xapian-delve -A L "$db" | sed -n 's/^All terms.*: //p' |
        tr ' ' '\n' | sed -n 's/^L\([a-z]*\)$/\1/p')
    runs=0
    for c in $codes; do
        "$CMSEARCH" --db "$db" --explain "lang:$c" >"$TMP/explain" 2>&1
        grep -q "cm_runs($c: " "$TMP/explain" && runs=$((runs + 1))
    done
    ok $((runs > 0 ? 0 : 1)) \
        "$name: $runs of the languages $(echo $codes | tr '\n' ' ')read as runs"
    "$CMSEARCH" --db "$copy" --explain "lang:en" >"$TMP/explain" 2>&1
    lacks "$name: the copy reads the L terms" "$TMP/explain" "cm_runs"
    n=0
    differ=0
    first=
    for c in $codes; do
        [ -n "$first" ] || first=$c
        for q in "lang:$c" "lang:$c $words" "-lang:$c $words" \
            "(lang:$c OR lang:$first) $words" "lang:$c ($words)"; do
            for args in "--count" "--limit 20" "--limit 20 --offset 20" \
                "--by-doc --limit 10" "--sort date --limit 10"; do
                # shellcheck disable=SC2086
                "$CMSEARCH" --db "$db" --format tsv --no-suggest $args \
                    "$q" >"$TMP/a" 2>&1
                a=$?
                # shellcheck disable=SC2086
                "$CMSEARCH" --db "$copy" --format tsv --no-suggest $args \
                    "$q" >"$TMP/b" 2>&1
                b=$?
                n=$((n + 1))
                if [ $a -ne $b ] || ! cmp -s "$TMP/a" "$TMP/b"; then
                    differ=$((differ + 1))
                    [ $differ -le 3 ] && echo "# differs: $args '$q'" &&
                        diff "$TMP/a" "$TMP/b" | head -6 | sed 's/^/#   /'
                fi
            done
        done
    done
    echo "# $name: $n searches, $differ differ"
    ok $((differ == 0 && n > 0 ? 0 : 1)) \
        "$name: the runs find what the L terms find"
}

# hoisted name db words: a word whose one form that is a word (its stem
# in a language, kept to that language's paragraphs) has its filter moved
# onto the word's stems as runs (cm_query_stems.c, hoist()) finds the
# paragraphs it finds on the copy, where the filter is the L terms' and
# stays on the form: the same count, the same paragraphs.  (Their order
# may differ where scores are within a hair: the stems' SYNONYM weighs by
# the statistics of the form without its filter.)  At least one of words
# must be moved so.
hoisted() {
    name=$1
    db=$2
    copy="$TMP/copy-$name"
    n=0
    differ=0
    moved=0
    for w in $3; do
        "$CMSEARCH" --db "$db" --explain "$w" >"$TMP/explain" 2>&1
        grep -q "cm_runs(stems: " "$TMP/explain" || continue
        moved=$((moved + 1))
        bad=0
        for d in "$db" "$copy"; do
            count=$("$CMSEARCH" --db "$d" --count "$w") || bad=1
            off=0
            : >"$TMP/hits-${d##*/}"
            while [ "$off" -lt "${count:-0}" ]; do
                "$CMSEARCH" --db "$d" --format tsv --no-suggest --limit 1000 \
                    --offset $off "$w" >"$TMP/page" || bad=1
                cut -f4,7 "$TMP/page" >>"$TMP/hits-${d##*/}"
                off=$((off + 1000))
            done
            sort -o "$TMP/hits-${d##*/}" "$TMP/hits-${d##*/}"
            [ "$(wc -l <"$TMP/hits-${d##*/}")" -eq "${count:-0}" ] || bad=1
        done
        n=$((n + 1))
        if [ $bad -ne 0 ] ||
            ! cmp -s "$TMP/hits-${db##*/}" "$TMP/hits-${copy##*/}"; then
            differ=$((differ + 1))
            [ $differ -le 3 ] && echo "# differs: '$w'" &&
                diff "$TMP/hits-${db##*/}" "$TMP/hits-${copy##*/}" |
                head -6 | sed 's/^/#   /'
        fi
    done
    echo "# $name: $moved words with their filter moved, $n compared," \
        "$differ differ"
    ok $((moved > 0 && differ == 0 ? 0 : 1)) \
        "$name: a form's filter moved onto the stems finds the same paragraphs"
}

status_is "corpus: cmindex" 0 "$CMINDEX" --db "$TMP/db-corpus" -q \
    "$top_srcdir/corpus"
same corpus "$TMP/db-corpus" "migration OR droits OR Menschenrechte"

shared=$CM_SHARED_CORPUS
if [ -d "$shared/treaties" ]; then
    mkdir -p "$TMP/sample"
    i=0
    for f in "$shared"/treaties/*.md; do
        [ $((i % 25)) -eq 0 ] && ln -s "$f" "$TMP/sample/"
        i=$((i + 1))
    done
    status_is "treaties: cmindex" 0 "$CMINDEX" --db "$TMP/db-treaties" -q \
        "$TMP/sample"
    same treaties "$TMP/db-treaties" "convention OR verdrag OR parties"
    # Kept to a language (accordance, requested...), kept out of some
    # (producten, rechten...), and kept to one moved as kept out of others
    # because a stem term is of another kept language (states, taxes).
    hoisted treaties "$TMP/db-treaties" "accordance requested within \
        referred being information producten overeenkomstig states \
        nederlanden rechten nationale landen artikelen taxes overeenkomsten \
        werken openbare bijzondere mentioned documenten fishing \
        contracting concerned"
else
    echo "# no $shared/treaties: the treaties' sample is skipped"
fi

done_testing
