#!/bin/sh
# Known-item relevance: MRR@10 of cmsearch and of SQLite FTS5's bm25 over
# the same paragraphs.  Paragraphs of a sample of ../shared/corpus/treaties
# (every 40th file: English, French, Dutch...) and the seed are indexed;
# paragraphs as cmsearch sees them are dumped (cmsearch --format json) into
# an FTS5 table (one row per paragraph, unicode61 with diacritics removed);
# for 2000 paragraphs picked with a fixed seed, a query of 3 of its
# distinctive words (among its 8 rarest words of 4 letters or more that
# occur elsewhere too), without quotes, as a person recalls them, is run
# through both; the reciprocal rank of the paragraph (0 beyond 10) is
# averaged.  cmsearch must be at least as good as FTS5, within the
# measurement's noise, on the queries whose words both tokenisers see
# alike (both figures are printed).
# RELEVANCE_EVERY (default 40), RELEVANCE_QUERIES (2000) and
# RELEVANCE_SEED change the sample.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
python3 -c 'import sqlite3; c = sqlite3.connect(":memory:");
c.execute("create virtual table t using fts5(x)")' 2>/dev/null ||
    skip_all "python3's sqlite3 has no FTS5"
[ -d "$CM_SHARED_CORPUS/treaties" ] ||
    skip_all "no shared corpus at $CM_SHARED_CORPUS"
every=${RELEVANCE_EVERY:-40}
nq=${RELEVANCE_QUERIES:-2000}
seed=${RELEVANCE_SEED:-20261129}

mkdir -p "$TMP/docs"
ls "$CM_SHARED_CORPUS/treaties" | awk -v e="$every" 'NR % e == 0' |
    while read -r f; do
        ln -s "$CM_SHARED_CORPUS/treaties/$f" "$TMP/docs/$f"
    done
ln -s "$CM_SHARED_CORPUS/seed/doc11549.md" "$TMP/docs/doc11549.md"
db=$TMP/idx
# Two jobs, so two shards whatever the machine: ties between equal scores
# go by docid, which the number of shards changes.
status_is "cmindex indexes the sample" 0 "$CMINDEX" --db "$db" --jobs 2 -q \
    "$TMP/docs"

# Every paragraph, as cmsearch stores it: a pure filter matches them all.
all='section:body OR section:heading OR section:footnote OR section:appendix'
off=0
: >"$TMP/paras.jsonl"
while :; do
    "$CMSEARCH" --db "$db" --format json --limit 1000 --offset "$off" \
        --no-suggest "$all" >"$TMP/page.json" 2>/dev/null
    n=$(jq '.hits | length' "$TMP/page.json")
    [ "${n:-0}" -gt 0 ] || break
    jq -c '.hits[] | {path, para, text}' "$TMP/page.json" >>"$TMP/paras.jsonl"
    off=$((off + 1000))
done
np=$(wc -l <"$TMP/paras.jsonl")
[ "$np" -gt 1000 ]
ok $? "paragraphs dumped: $np"

python3 - "$TMP" "$nq" "$CMSEARCH" "$db" "$seed" >"$TMP/mrr" 2>"$TMP/mrr.err" <<'PY'
import json, random, re, sqlite3, subprocess, sys
tmp, nq, cmsearch, db = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
seed = int(sys.argv[5])
# The dump comes in docid order, which depends on how many shards the
# index has (one per core by default); sort so the sample depends only on
# the corpus.
paras = sorted((json.loads(l) for l in open(tmp + "/paras.jsonl")),
               key=lambda p: (p["path"], p["para"]))
word = re.compile(r"\w+", re.UNICODE)
con = sqlite3.connect(":memory:")
con.execute("create virtual table p using fts5(path unindexed, para unindexed,"
            " text, tokenize = 'unicode61 remove_diacritics 2')")
con.executemany("insert into p values (?, ?, ?)",
                [(p["path"], p["para"], p["text"]) for p in paras])
df = {}
for p in paras:
    for w in set(w.lower() for w in word.findall(p["text"])):
        df[w] = df.get(w, 0) + 1
rng = random.Random(seed)
cands = [p for p in paras if len(word.findall(p["text"])) >= 12]
picked = []
while len(picked) < nq and cands:
    p = cands.pop(rng.randrange(len(cands)))
    ws = sorted({w.lower() for w in word.findall(p["text"])
                 if len(w) >= 4 and not w.isdigit() and df.get(w.lower(), 0) >= 2},
                key=lambda w: (df[w], w))[:8]
    if len(ws) < 3:
        continue
    picked.append((p, rng.sample(ws, 3)))
def rr(rank):
    return 1.0 / rank if rank and rank <= 10 else 0.0
def alike(text, ws):
    # Each word stands alone in the text, where ICU's word breaks and
    # FTS5's unicode61 agree: not glued by a period, colon or apostrophe
    # (c.bevorderen, Europe.The: one word for ICU, two for FTS5), nor to
    # a number by a decimal comma (0,035lt: one word for ICU, UAX #29).
    for w in ws:
        if not re.search(r"(?<![\w.:'’])(?<!\d,)" + re.escape(w) +
                         r"(?![\w.:'’])(?!,\d)", text, re.I | re.U):
            return False
    return True
mrr_cm = mrr_fts = a_cm = a_fts = 0.0
n_alike = 0
diffs = []
for p, ws in picked:
    q = " ".join(ws)
    out = subprocess.run([cmsearch, "--db", db, "--format", "json", "--limit",
                          "10", "--no-suggest", "--plain", q],
                         capture_output=True, text=True).stdout
    rank = None
    try:
        for h in json.loads(out)["hits"]:
            if h["path"] == p["path"] and h["para"] == p["para"]:
                rank = h["rank"]
                break
    except ValueError:
        pass
    mrr_cm += rr(rank)
    fq = " ".join('"%s"' % w.replace('"', '""') for w in ws)
    rows = con.execute("select path, para from p where p match ? "
                       "order by bm25(p) limit 10", (fq,)).fetchall()
    frank = None
    for i, (path, para) in enumerate(rows):
        if path == p["path"] and para == p["para"]:
            frank = i + 1
            break
    mrr_fts += rr(frank)
    if alike(p["text"], ws):
        n_alike += 1
        a_cm += rr(rank)
        a_fts += rr(frank)
        diffs.append(rr(rank) - rr(frank))
    elif rr(rank) < rr(frank):
        sys.stderr.write("%s: cmsearch %s, FTS5 %s (tokenised apart)\n"
                         % (q, rank, frank))
n = max(len(picked), 1)
na = max(n_alike, 1)
# The paired difference of reciprocal ranks and its standard error.
mean = sum(diffs) / na
var = sum((d - mean) ** 2 for d in diffs) / max(na - 1, 1)
se = (var / na) ** 0.5
print("%d %.4f %.4f %d %.4f %.4f %.4f %.4f" % (
    len(picked), mrr_cm / n, mrr_fts / n, n_alike, a_cm / na, a_fts / na,
    mean, se))
PY
read -r n mrr_cm mrr_fts na a_cm a_fts diff se <"$TMP/mrr" || true
[ "${n:-0}" -ge 50 ]
ok $? "known-item queries: ${n:-0}"
sed 's/^/#   /' "$TMP/mrr.err" | head -10
echo "# MRR@10 over $n known-item queries ($np paragraphs):" \
    "cmsearch $mrr_cm, SQLite FTS5 bm25 $mrr_fts"
echo "# ... over the $na whose words both tokenisers see alike:" \
    "cmsearch $a_cm, FTS5 $a_fts"
# The comparison holds where both engines see the same words; where ICU
# glues words that FTS5 splits (text missing spaces after periods), the
# misses are the analyzer's, listed above.  On these exact-word queries
# the two BM25s are at parity (measured over the whole sample of the
# treaties: a difference of a few 0.0001, either way depending on the
# files); what separates them per query is mostly how ties between
# identical paragraphs fall.  So the test asks that cmsearch be not worse
# beyond the measurement's noise: the paired difference of reciprocal
# ranks at least -2 standard errors.
echo "# cmsearch - FTS5: $diff (standard error $se)"
python3 -c "import sys; sys.exit(0 if float('$diff') >= -2 * float('$se') else 1)"
ok $? "cmsearch's MRR@10 ($a_cm) is at least FTS5's ($a_fts), within 2 standard errors ($se)"

done_testing
