#!/bin/sh
# search-bench.sh: search latency per query class, cmsearch side by side
# with Xapian's quest and SQLite FTS5, on the same paragraphs.
#
#   sh bench/search-bench.sh [build-dir] [corpus-dir] [work-dir]
#
# Defaults: the current directory as build dir, ../shared/corpus/treaties,
# /tmp/cmsearch-bench.  The work dir
# keeps the three indexes between runs (delete it to rebuild them).
#
# Classes: one word, several words (AND), phrase, boolean, field filter
# (lang:en), wildcard (prefix*).  Top 10 each.  Figures: median and p95
# in milliseconds,
#  - in-process: bench/search_bench (libcmsearch: parse, BM25 with the
#    ranking boosts, hits' data; no snippets or suggestions), and FTS5
#    through Python's sqlite3 (MATCH ... ORDER BY bm25 LIMIT 10);
#  - whole process: cmsearch --format tsv (snippets included), quest (its
#    QueryParser, default operator AND, on a scriptindex index of the same
#    paragraphs with positions) and the sqlite3 command line.
set -e
build=${1:-.}
corpus=${2:-$(dirname "$0")/../../shared/corpus/treaties}
work=${3:-/tmp/cmsearch-bench}
reps=${REPEATS:-10}
mkdir -p "$work"
build=$(cd "$build" && pwd)
CMINDEX=$build/indexer/cmindex
CMSEARCH=$build/searcher/cmsearch
BENCH=$build/bench/search_bench
# An EXTRA_PROGRAMS binary: "make" leaves an old one as it is, which once
# measured a searcher that was not the one built.  Bring it up to date.
make -s -C "$build" bench/search_bench >/dev/null ||
    { echo "cannot build $BENCH" >&2; exit 1; }
for t in quest scriptindex sqlite3 python3; do
    command -v $t >/dev/null || { echo "$t is not installed" >&2; exit 1; }
done

if [ ! -d "$work/cm" ]; then
    echo "indexing $corpus with cmindex..." >&2
    /usr/bin/time -f "cmindex: %e s, %M KB" "$CMINDEX" --db "$work/cm" -q \
        "$corpus"
fi
[ -s "$work/paras.jsonl" ] || "$BENCH" -d "$work/cm" --dump >"$work/paras.jsonl"
echo "paragraphs: $(wc -l <"$work/paras.jsonl")" >&2

if [ ! -s "$work/fts.db" ]; then
    echo "building FTS5..." >&2
    python3 - "$work" <<'PY'
import json, sqlite3, sys
w = sys.argv[1]
con = sqlite3.connect(w + "/fts.db")
con.execute("create virtual table p using fts5(path unindexed, para unindexed,"
            " lang unindexed, text, tokenize='unicode61 remove_diacritics 2')")
with open(w + "/paras.jsonl") as f:
    con.executemany("insert into p values (?, ?, ?, ?)",
                    ((d["path"], d["para"], d["lang"], d["text"])
                     for d in map(json.loads, f)))
con.commit()
PY
fi
if [ ! -d "$work/xapian" ]; then
    echo "building the quest index with scriptindex..." >&2
    printf 'text : index field\nlang : boolean=L\npath : field\n' \
        >"$work/index.script"
    python3 - "$work" <<'PY' | scriptindex "$work/xapian" "$work/index.script" >/dev/null
import json, sys
w = sys.argv[1]
for line in open(w + "/paras.jsonl"):
    d = json.loads(line)
    t = " ".join(d["text"].split())
    print("text=" + t)
    print("lang=" + (d["lang"] or "xx"))
    print("path=%s#%s" % (d["path"], d["para"]))
    print()
PY
fi

# The queries: class<TAB>cmsearch query<TAB>quest query<TAB>FTS5 MATCH
# <TAB>FTS5 lang filter.
cat >"$work/queries.tsv" <<'Q'
word	convention	convention	convention	
word	verdrag	verdrag	verdrag	
word	arbitration	arbitration	arbitration	
word	minorities	minorities	minorities	
word	pêche	pêche	pêche	
words	human rights	human rights	human rights	
words	territory contracting party	territory contracting party	territory contracting party	
words	social security benefits	social security benefits	social security benefits	
words	verdrag inwerkingtreding	verdrag inwerkingtreding	verdrag inwerkingtreding	
words	fishing vessels	fishing vessels	fishing vessels	
phrase	"human rights"	"human rights"	"human rights"	
phrase	"contracting parties"	"contracting parties"	"contracting parties"	
phrase	"european convention on human rights"	"european convention on human rights"	"european convention on human rights"	
phrase	"de verdragsluitende partijen"	"de verdragsluitende partijen"	"de verdragsluitende partijen"	
phrase	"social security"	"social security"	"social security"	
boolean	(arbitration OR conciliation) dispute	(arbitration OR conciliation) AND dispute	(arbitration OR conciliation) AND dispute	
boolean	convention -protocol	convention NOT protocol	convention NOT protocol	
boolean	extradition OR deportation	extradition OR deportation	extradition OR deportation	
boolean	(pêche OR fishing) AND vessels	(pêche OR fishing) AND vessels	(pêche OR fishing) AND vessels	
boolean	taxes NOT income	taxes NOT income	taxes NOT income	
field	lang:en convention	lang:en convention	convention	en
field	lang:fr convention	lang:fr convention	convention	fr
field	lang:nl verdrag	lang:nl verdrag	verdrag	nl
field	lang:en human rights	lang:en human rights	human rights	en
field	lang:en arbitration	lang:en arbitration	arbitration	en
wildcard	arbitr*	arbitr*	arbitr*	
wildcard	extradit*	extradit*	extradit*	
wildcard	minorit*	minorit*	minorit*	
wildcard	vessel*	vessel*	vessel*	
wildcard	pollut*	pollut*	pollut*	
Q

# In-process cmsearch.
cut -f1,2 "$work/queries.tsv" >"$work/cm-queries.tsv"
"$BENCH" -d "$work/cm" -r "$reps" "$work/cm-queries.tsv" \
    >"$work/t-cm-in.tsv"
# In-process FTS5, and the three whole-process runs.
python3 - "$work" "$reps" "$CMSEARCH" <<'PY'
import sqlite3, subprocess, sys, time
w, reps, cmsearch = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(w + "/fts.db")
qs = [l.rstrip("\n").split("\t") for l in open(w + "/queries.tsv")]
def sql(m, lang):
    s = "select path, para from p where p match '%s'" % m.replace("'", "''")
    if lang:
        s += " and lang = '%s'" % lang
    return s + " order by bm25(p) limit 10"
# One untimed round first, as search_bench does: the in-process figures
# are those of a process that has searched already (a server, the CGI's
# FastCGI successor), not of its first search.
for cls, _, _, m, lang in qs:
    con.execute(sql(m, lang)).fetchall()
with open(w + "/t-fts-in.tsv", "w") as out:
    for cls, _, _, m, lang in qs:
        for r in range(reps):
            t0 = time.perf_counter()
            con.execute(sql(m, lang)).fetchall()
            out.write("%s\t%.1f\n" % (cls, (time.perf_counter() - t0) * 1e6))
def proc(argv):
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1e6
files = {k: open(w + "/t-%s-proc.tsv" % k, "w")
         for k in ("cm", "quest", "sqlite3")}
for cls, cq, qq, m, lang in qs:
    for r in range(reps):
        files["cm"].write("%s\t%.1f\n" % (cls, proc(
            [cmsearch, "--db", w + "/cm", "--format", "tsv", "--no-suggest",
             cq])))
        files["quest"].write("%s\t%.1f\n" % (cls, proc(
            ["quest", "-d", w + "/xapian", "-m", "10", "-o", "and", "-s",
             "none", "-b", "lang:L", "-f", "boolean,phrase,lovehate,wildcard",
             qq])))
        files["sqlite3"].write("%s\t%.1f\n" % (cls, proc(
            ["sqlite3", w + "/fts.db", sql(m, lang)])))
PY

# The table: median and p95 per class and engine.
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
cols = [("cm-in", "cmsearch in-process"), ("fts-in", "FTS5 in-process"),
        ("cm-proc", "cmsearch process"), ("quest-proc", "quest process"),
        ("sqlite3-proc", "sqlite3 process")]
data = {}
for k, _ in cols:
    for line in open("%s/t-%s.tsv" % (w, k)):
        cls, us = line.split("\t")
        data.setdefault((k, cls), []).append(float(us) / 1000)
def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
classes = ["word", "words", "phrase", "boolean", "field", "wildcard"]
print("| class | " + " | ".join(n for _, n in cols) + " |")
print("|---|" + "---|" * len(cols))
for c in classes:
    cells = []
    for k, _ in cols:
        xs = data.get((k, c), [])
        cells.append("%.2f / %.2f" % (q(xs, .5), q(xs, .95)) if xs else "-")
    print("| %s | %s |" % (c, " | ".join(cells)))
print("\nmilliseconds, median / p95")
PY
