#!/bin/sh
# Stems, checked against an oracle: for words picked from the indexed
# paragraphs (as written there, accents and case kept), the paragraphs
# cmsearch counts are exactly those holding the word's term or, in a
# language with a stemmer, a word of the same stem (stem_truth recomputes
# these from the stored paragraphs with the analyzer).  The index writes no
# stem term for a word that is its own stem and finds it at query time
# instead (cm_schema.h): this shows that it finds no more and no less.
# Over the project's corpus/, and where ../shared/corpus is present a
# sample of the treaties (every 60th, bilingual ones among them) and of the
# UDHR (every 13th language).
. "$(dirname "$0")/lib.sh"

: "${STEM_TRUTH:=$top_builddir/tests/e2e/stem_truth}"
[ -x "$STEM_TRUTH" ] || skip_all "no $STEM_TRUTH (make check builds it)"

# oracle name words given db: run the oracle on words picked and the words
# given (space-separated).
oracle() {
    name=$1
    picked=$2
    words=$2
    given=
    for g in $3; do
        given="$given -w $g"
        words=$((words + 1))
    done
    # shellcheck disable=SC2086
    "$STEM_TRUTH" -n "$picked" $given "$4" >"$TMP/$name.out" 2>&1
    oracle_ok "$name" "$TMP/$name.out" $? "$words words, 0 differ" \
        "$name: every word's paragraphs are those of its stem"
}

# truth name words given [cmindex options] paths...: index the paths, run
# the oracle.
truth() {
    name=$1
    picked=$2
    given=$3
    shift 3
    status_is "$name: cmindex" 0 "$CMINDEX" --db "$TMP/db-$name" -q "$@"
    oracle "$name" "$picked" "$given" "$TMP/db-$name"
}

truth corpus 300 "" "$top_srcdir/corpus"
# Kept as two shards: each has its own table of the words' languages,
# which Xapian merges when it reads them.
truth shards 300 "" --shards 2 "$top_srcdir/corpus"

# Through the remote backend (xapian-tcpsrv on 127.0.0.1, stopped by its
# pid), which serves no synonym table, so no word's languages: the stems
# that are words are kept to their stems' languages instead.
if start_remote "$TMP/db-corpus" "$TMP/remote.stub"; then
    oracle remote 150 "" "$TMP/remote.stub"
    stop_remote
fi

# Accented words whose folded term stems to itself while they do not:
# French "confèrent" (they confer) stems to "confer", its term
# "conferent" to itself, the French stem of "conference".  A paragraph
# holding only "confèrent" must not be found by "conference" through it
# (the index marks it, cm_schema.h); one holding "conférent" too must.
mkdir -p "$TMP/marks"
cat >"$TMP/marks/a.md" <<'MD'
Les droits que leur confèrent les traités internationaux restent acquis aux
personnes qui résident sur le territoire des États membres du Conseil.
MD
cat >"$TMP/marks/b.md" <<'MD'
Les pouvoirs que leur confèrent les lois, et ceux qui conférent aux
autorités locales une compétence propre, sont exercés par les communes.
MD
cat >"$TMP/marks/c.md" <<'MD'
La conférence des ministres européens réunie à Strasbourg adopte la
résolution suivante sur la coopération entre les autorités locales.
MD
truth marks 20 "conference Conférence conferences conferent" "$TMP/marks"

shared=$CM_SHARED_CORPUS
if [ -d "$shared/treaties" ] && [ -d "$shared/udhr" ]; then
    mkdir -p "$TMP/sample"
    ls "$shared/treaties" | awk 'NR % 60 == 0' | while read -r f; do
        ln -s "$shared/treaties/$f" "$TMP/sample/t-$f"
    done
    ls "$shared/udhr" | awk 'NR % 13 == 0' | while read -r f; do
        ln -s "$shared/udhr/$f" "$TMP/sample/u-$f"
    done
    truth shared 600 "" "$TMP/sample"
else
    echo "# no shared corpus at $shared: no sample of real documents"
fi

done_testing
