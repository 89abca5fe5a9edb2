#!/bin/sh
# index-bench.sh: indexing time, peak memory and index size of cmindex,
# side by side in one run with Omega's omindex (one document per file,
# positions, stems), SQLite FTS5 at paragraph granularity (one row per
# paragraph, unicode61 remove_diacritics 2) and Omega's scriptindex fed one
# document per paragraph, on the same files.
#
#   sh bench/index-bench.sh [FOLDER] [BUILD]
#
# FOLDER defaults to ../shared/corpus/treaties, BUILD to the source tree
# (where cmindex was built).  Needs xapian-omega (omindex) and python3 with
# its sqlite3 module; a peer that is missing is skipped.  The machine is
# shared and noisy: compare the ratios of one run, not seconds across runs.
# ROUNDS=n runs cmindex and omindex n times in turn (default 1) and prints
# each round's ratio; the table then shows the median round's times.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
folder=${1:-$top/../shared/corpus/treaties}
build=${2:-$top}
cmindex=$build/indexer/cmindex
work=$(mktemp -d "${TMPDIR:-/tmp}/cmbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
jobs=${JOBS:-2}
rounds=${ROUNDS:-1}

[ -d "$folder" ] || { echo "no folder $folder"; exit 1; }
[ -x "$cmindex" ] || { echo "no $cmindex: build first"; exit 1; }
mb=$(du -sLm "$folder" | cut -f1)
files=$(find -L "$folder" -name '*.md' -o -name '*.txt' | wc -l)
echo "corpus: $folder ($files files, $mb MB), $(nproc) cores, jobs=$jobs"
echo

# run NAME COMMAND...: wall seconds and peak RSS (MB) of a command.
run() {
    name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$name.out" 2>&1 ||
        { echo "$name failed:"; tail -5 "$work/$name.out"; }
    read -r secs kb <"$work/time"
    eval "t_$name=$secs"
    eval "m_$name=$((kb / 1024))"
}

have_omindex=no
command -v omindex >/dev/null && have_omindex=yes
# Each round: cmindex, then omindex, each into a new database.  The times
# and peaks of every round go to $work/rounds, a line each.
r=1
while [ "$r" -le "$rounds" ]; do
    rm -rf "$work/cm" "$work/om"
    run cmindex "$cmindex" --db "$work/cm" --jobs "$jobs" "$folder"
    t_omindex=0 m_omindex=0
    [ $have_omindex = yes ] &&
        run omindex omindex --db "$work/om" --url / --mime-type=md:text/plain "$folder"
    echo "$t_cmindex $m_cmindex $t_omindex $m_omindex" >>"$work/rounds"
    r=$((r + 1))
done
if [ "$rounds" -gt 1 ]; then
    echo "cmindex/omindex by round:" $(awk '{ printf "%.2f ", ($3 > 0 ? $1 / $3 : 0) }' "$work/rounds")
    echo
fi
# The median round by ratio (the lower middle one of an even count).
read -r t_cmindex m_cmindex t_omindex m_omindex <<EOF2
$(awk '{ print ($3 > 0 ? $1 / $3 : $1), $0 }' "$work/rounds" | sort -n |
    sed -n "$(((rounds + 1) / 2))p" | cut -d' ' -f2-)
EOF2
paras=$(sed -n 's/.*(\([0-9]*\) paragraphs.*/\1/p' "$work/cmindex.out" | tail -1)
if [ -z "$paras" ]; then
    paras=$(xapian-delve "$work/cm" | sed -n 's/^number of documents = //p')
fi
run rerun "$cmindex" --db "$work/cm" --jobs "$jobs" "$folder"
s_cmindex=$(du -sm "$work/cm" | cut -f1)
[ $have_omindex = yes ] && s_omindex=$(du -sm "$work/om" | cut -f1)

# The paragraphs the peers that index paragraphs are given: each
# blank-line separated block of the .md and .txt files, with its file and
# its number in the file.
cat >"$work/paras.py" <<'PY'
import os, re

def paras(folder):
    for root, _, names in os.walk(folder, followlinks=True):
        for name in sorted(names):
            if not name.endswith((".md", ".txt")):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                for i, para in enumerate(re.split(r"\n\s*\n", f.read())):
                    para = para.strip()
                    if para:
                        yield path, i, para
PY

have_fts5=no
if command -v python3 >/dev/null && python3 -c 'import sqlite3' 2>/dev/null; then
    have_fts5=yes
    cat >"$work/fts5.py" <<'PY'
import sqlite3, sys
from paras import paras
folder, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("CREATE VIRTUAL TABLE p USING fts5(path UNINDEXED, text, "
            "tokenize = 'unicode61 remove_diacritics 2')")
n = 0
with con:
    for path, _, para in paras(folder):
        con.execute("INSERT INTO p VALUES (?, ?)", (path, para))
        n += 1
print(n, "paragraphs")
PY
    run fts5 python3 "$work/fts5.py" "$folder" "$work/fts5.db"
    s_fts5=$(du -sm "$work/fts5.db" | cut -f1)
fi

# Omega's scriptindex fed a record per paragraph (split as FTS5's are, the
# text indexed with positions and its default English stems, the path
# stored), the issue's other peer.  Its input is written before the clock
# starts.  SCRIPTINDEX=0 leaves it out (it takes longer than the others).
have_scriptindex=no
if [ "${SCRIPTINDEX:-1}" != 0 ] && command -v scriptindex >/dev/null &&
    command -v python3 >/dev/null; then
    have_scriptindex=yes
    python3 - "$work" "$folder" >"$work/paras.si" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from paras import paras
for path, i, para in paras(sys.argv[2]):
    print("text=" + " ".join(para.split()))
    print("path=%s#%d" % (path, i))
    print()
PY
    printf 'text : index field\npath : field\n' >"$work/index.script"
    run scriptindex scriptindex "$work/si" "$work/index.script" "$work/paras.si"
    s_scriptindex=$(du -sm "$work/si" | cut -f1)
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf '%-28s %8s %8s %9s %10s\n' tool seconds "peak MB" "index MB" "cmindex/x"
printf '%-28s %8s %8s %9s %10s\n' "cmindex --jobs $jobs" "$t_cmindex" "$m_cmindex" "$s_cmindex" 1.00
[ $have_omindex = yes ] &&
    printf '%-28s %8s %8s %9s %10s\n' "omindex (doc per file)" "$t_omindex" "$m_omindex" "$s_omindex" "$(ratio "$t_cmindex" "$t_omindex")"
[ $have_fts5 = yes ] &&
    printf '%-28s %8s %8s %9s %10s\n' "FTS5 (row per paragraph)" "$t_fts5" "$m_fts5" "$s_fts5" "$(ratio "$t_cmindex" "$t_fts5")"
[ $have_scriptindex = yes ] &&
    printf '%-28s %8s %8s %9s %10s\n' "scriptindex (doc per para)" "$t_scriptindex" "$m_scriptindex" "$s_scriptindex" "$(ratio "$t_cmindex" "$t_scriptindex")"
echo
echo "cmindex: $paras paragraphs; unchanged re-run ${t_rerun} s = $(awk -v a="$t_rerun" -v b="$t_cmindex" 'BEGIN { printf "%.1f", 100 * a / b }')% of the full run"
