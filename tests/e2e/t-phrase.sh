#!/bin/sh
# The phrase property: a span of 1 to 6 consecutive words of any paragraph,
# copied as a reader would copy it (white-space separated words with their
# punctuation, from the paragraph text as stored and shown), quoted as a
# phrase, finds that paragraph.  Over the seed, the project's corpus/, 31
# treaties (every 105th of the shared corpus) and all UDHR languages.
# Spans come from phrase_spans (a fixed random seed: the same spans on
# every run); each runs through cmsearch.  The hit rate of each corpus is
# printed; every miss must be explained:
#  - a span with no word at all (only punctuation or symbols, e.g. "-" or
#    "|"): cmsearch refuses the query (exit 65, "no words"), rightly;
#  - a span whose only word is longer than the term limit (200 bytes):
#    such words are not indexed (cm_tok skips and counts them), so the
#    query has no words either.  It happened in the UDHR in Javanese,
#    whose runs ICU has no dictionary to cut; the runs of such scripts are
#    now indexed as pairs of characters (cm_tok.h), and none is left.
# Anything else fails the test.
. "$(dirname "$0")/lib.sh"

: "${PHRASE_SPANS:=$top_builddir/tests/e2e/phrase_spans}"
command -v jq >/dev/null || skip_all "jq is not installed"
[ -x "$PHRASE_SPANS" ] || skip_all "no $PHRASE_SPANS (make check builds it)"
shared=$CM_SHARED_CORPUS

# run_corpus name spans-args... -- paths...: index the paths, generate the
# spans, search each one, and report.
run_corpus() {
    name=$1
    shift
    args=
    while [ "$1" != "--" ]; do
        args="$args $1"
        shift
    done
    shift
    db=$TMP/db-$name
    dir=$TMP/r-$name
    mkdir -p "$dir"
    if ! "$CMINDEX" --db "$db" -q "$@" >"$TMP/err" 2>&1; then
        ok 1 "$name: cmindex"
        sed 's/^/#   /' "$TMP/err" | head -5
        return
    fi
    # shellcheck disable=SC2086
    "$PHRASE_SPANS" $args "$@" >"$dir/spans.tsv" 2>"$TMP/err"
    n=0
    while IFS='	' read -r path ord span; do
        n=$((n + 1))
        "$CMSEARCH" --db "$db" --format json --limit 1000 "\"$span\"" \
            >"$dir/$n.json" 2>"$dir/$n.err"
        echo $? >"$dir/$n.rc"
        # Beyond the first 1000 hits (a very common word): page on.  The
        # total is on the JSON's third line ("total": N,).
        total=$(sed -n "3s/[^0-9]//gp" "$dir/$n.json")
        off=1000
        while [ "${total:-0}" -gt "$off" ] &&
            ! jq -e --arg p "$path" --argjson o "$ord" \
                'any(.hits[]; .path == $p and .para == $o)' "$dir/$n.json" \
                >/dev/null; do
            "$CMSEARCH" --db "$db" --format json --limit 1000 --offset "$off" \
                "\"$span\"" >"$dir/$n.json" 2>>"$dir/$n.err"
            off=$((off + 1000))
        done
    done <"$dir/spans.tsv"
    # One jq for all the answers: "n TAB path TAB para" per hit.
    for f in "$dir"/*.json; do
        [ -s "$f" ] && printf '%s\n' "$f"
    done | xargs jq -r '.hits[] | "\(input_filename)\t\(.path)\t\(.para)"' \
        2>/dev/null | sed 's|^.*/\([0-9]*\)\.json	|\1	|' >"$dir/hits.tsv"
    LC_ALL=C awk -F '\t' -v dir="$dir" -v name="$name" '
        FILENAME ~ /hits.tsv$/ { hit[$1 "\t" $2 "\t" $3] = 1; next }
        {
            n++
            if (hit[n "\t" $1 "\t" $2]) { found++; next }
            rcf = dir "/" n ".rc"; getline rc < rcf; close(rcf)
            errf = dir "/" n ".err"; err = ""; getline err < errf; close(errf)
            if (rc == 65 && err ~ /no words/) {
                nf = split($3, w, /[ \t]+/)
                for (i = 1; i <= nf; i++)
                    if (length(w[i]) > 200) {
                        if (++long <= 5)
                            printf "#   word over 200 bytes: \"%.60s...\" (para %s of %s)\n", $3, $2, $1
                        next
                    }
                if (++nowords <= 5)
                    printf "#   no words: \"%s\" (para %s of %s)\n", $3, $2, $1
                next
            }
            missed++
            if (missed <= 10)
                printf "#   miss: %s para %s: \"%s\" (exit %s) %s\n", $1, $2, $3, rc, err
        }
        END {
            printf "# %s: %d spans, %d found (%.2f%%), %d without words, %d with only a word over the term limit, %d missed\n",
                name, n, found, n ? 100 * found / n : 0, nowords, long, missed
            exit missed > 0 || n == 0
        }' "$dir/hits.tsv" "$dir/spans.tsv" >"$dir/report" 2>&1
    rc=$?
    cat "$dir/report"
    ok $rc "$name: every span finds its paragraph (or is explained)"
}

if [ -f "$shared/seed/doc11549.md" ]; then
    run_corpus seed -k 5 -- "$shared/seed/doc11549.md"
else
    echo "# no shared corpus: seed, treaties and UDHR skipped"
fi
# shellcheck disable=SC2046
run_corpus corpus -k 2 -- $(find "$top_srcdir/corpus" -type f \( -name '*.md' -o -name '*.txt' \) | sort)
if [ -d "$shared/treaties" ]; then
    # shellcheck disable=SC2046
    run_corpus treaties -p 70 -- $(ls "$shared"/treaties/*.md | awk 'NR % 105 == 1')
fi
if [ -d "$shared/udhr" ]; then
    run_corpus udhr -p 20 -- "$shared"/udhr/*.md
fi
done_testing
