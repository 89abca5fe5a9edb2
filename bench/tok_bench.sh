#!/bin/sh
# tok_bench.sh: analyzer throughput (MB/s and tokens/s per core) on English,
# French, Russian and Chinese text from the shared corpus.
#
#   make bench/tok_bench            # in the build directory
#   sh /path/to/bench/tok_bench.sh [build-dir] [corpus-dir]
#
# English: the English-only treaties (about 7.7 MB); French: the
# French-only treaties (about 1 MB); Russian: the Russian UDHR; Chinese:
# the simplified and traditional Chinese UDHR.  The small texts are
# repeated so that each run lasts a fraction of a second or more.  Each
# language runs three times and the best run counts (the machine is
# shared).
build=$(cd "${1:-.}" && pwd)
corpus=${2:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}
bench=$build/bench/tok_bench
[ -x "$bench" ] || { echo "tok_bench.sh: build $bench first (make bench/tok_bench)" >&2; exit 64; }
[ -d "$corpus" ] || { echo "tok_bench.sh: no corpus at $corpus" >&2; exit 66; }
cd "$corpus" || exit 66
en=$(awk -F, 'NR > 1 && $4 == "en" && $5 == "en" { print "treaties/" $1 ".md" }' treaties-manifest.csv)
fr=$(awk -F, 'NR > 1 && $4 == "fr" && $5 == "fr" { print "treaties/" $1 ".md" }' treaties-manifest.csv)
best() { # name lang repeats files...
    name=$1 lang=$2 reps=$3
    shift 3
    for i in 1 2 3; do
        "$bench" -n "$name" -l "$lang" -r "$reps" "$@"
    done | awk '{ for (i = 1; i <= NF; i++) if ($i == "MB/s") v = $(i - 1); if (v + 0 > b) { b = v + 0; l = $0 } } END { print l }'
}
best English en 3 $en
best French fr 20 $fr
best Russian ru 300 udhr/rus.md
best Chinese zh 300 udhr/cmn_hans.md udhr/cmn_hant.md
