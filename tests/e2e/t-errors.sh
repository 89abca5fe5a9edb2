#!/bin/sh
# Bad input is named on stderr with the reason, skipped, and the run goes
# on; nothing already indexed is lost.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

docs=$TMP/docs
db=$TMP/idx
mkdir -p "$docs"
printf '1. A good paragraph about co-development.\n' >"$docs/good.md"
status_is "a good file" 0 "$CMINDEX" --db "$db" "$docs"

printf 'binary\000data here\n' >"$docs/binary.md"
printf 'caf\351 au lait, Latin-1 bytes\n' >"$docs/latin1.txt"
printf 'bad \377\376\375 bytes \200\n' >"$docs/stray.txt"
printf 'bad \300\200 overlong\n' >"$docs/overlong.md"
: >"$docs/empty.md"
status_is "bad files make the run exit 1" 1 "$CMINDEX" --db "$db" "$docs"
contains "a binary file is named with the reason" "$TMP/err" \
    "^cmindex: rejected '.*binary\.md': .*(binary|NUL)"
contains "invalid UTF-8 is named with the byte offset" "$TMP/err" \
    "^cmindex: rejected '.*stray\.txt': .*UTF-8.*[0-9]"
lacks "a Latin-1 file is converted, not rejected" "$TMP/err" "latin1\.txt"
contains "an overlong sequence is invalid UTF-8" "$TMP/err" \
    "^cmindex: rejected '.*overlong\.md': .*UTF-8"
lacks "an empty file is not an error" "$TMP/err" "empty\.md"
status_is "the good file is still found" 0 "$CMSEARCH" --db "$db" co-development
status_is "the converted Latin-1 file is found" 0 "$CMSEARCH" --db "$db" "$(printf 'caf\303\251')"

# HTML in the charset it declares: read as that charset; bytes that are
# not valid in it, named with the offset.
printf '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body><p>\317\360\340\342\340 \367\345\353\356\342\345\352\340</p></body></html>\n' \
    >"$docs/cyrillic.html"
printf '<meta charset="shift_jis"><p>\220\154\214\240 \201\040</p>\n' >"$docs/badsjis.htm"
status_is "a bad HTML file makes the run exit 1" 1 "$CMINDEX" --db "$db" "$docs"
lacks "windows-1251 declared: converted, not rejected" "$TMP/err" "cyrillic\.html"
contains "bytes invalid in the declared charset: named" "$TMP/err" \
    "^cmindex: rejected '.*badsjis\.htm': invalid shift_jis at byte 34 \(the charset the file declares\)"
status_is "the windows-1251 page is found in Russian" 0 \
    "$CMSEARCH" --db "$db" "$(printf '\320\277\321\200\320\260\320\262\320\260 \321\207\320\265\320\273\320\276\320\262\320\265\320\272\320\260')"
rm "$docs/badsjis.htm" "$docs/cyrillic.html"

# A PDF that poppler cannot read: rejected with the reason; a good one
# beside it is indexed.
printf '%%PDF-1.4\n1 0 obj garbage\n' >"$docs/broken.pdf"
cp "$top_srcdir/corpus/en-rec-2140-2018-wetlands.pdf" "$docs/"
status_is "a broken PDF makes the run exit 1" 1 "$CMINDEX" --db "$db" "$docs"
contains "  named with the reason" "$TMP/err" \
    "^cmindex: rejected '.*broken\.pdf': not a PDF that can be read \(.*\)$"
status_is "  the good PDF is found" 0 "$CMSEARCH" --db "$db" peatlands
rm "$docs/broken.pdf" "$docs/en-rec-2140-2018-wetlands.pdf"

# Word 97-2003: a truncated .doc is rejected with what it is; an RTF file
# named .doc (Word saves RTF so) is read as RTF, and a good .doc beside
# them is indexed; an .rtf that is not RTF is rejected.
printf '{\\rtf1\\ansi Access to justice for \\u8220\\'"'"'93everyone\\u8221\\'"'"'94\\par}\n' >"$docs/rtf.doc"
head -c 3000 "$top_srcdir/corpus/de-entschliessung-2081-2015-zugang-zum-recht.doc" \
    >"$docs/cut.doc"
printf 'Just text.\n' >"$docs/plain.rtf"
cp "$top_srcdir/corpus/de-entschliessung-2081-2015-zugang-zum-recht.doc" "$docs/"
status_is "bad .doc and .rtf files make the run exit 1" 1 "$CMINDEX" --db "$db" "$docs"
lacks "  an RTF file named .doc: not rejected" "$TMP/err" "rtf\\.doc"
contains "  a truncated one: named, damaged" "$TMP/err" \
    "^cmindex: rejected '.*cut\\.doc': damaged Word document"
contains "  an .rtf of plain text: named, with why" "$TMP/err" \
    "^cmindex: rejected '.*plain\\.rtf': not an RTF document \\(it does not start with \\{\\\\rtf\\)$"
lacks "  nothing from libgsf on stderr" "$TMP/err" "WARNING|CRITICAL"
status_is "  the good .doc is found" 0 "$CMSEARCH" --db "$db" Gebärdensprachdolmetschung
status_is "  the RTF named .doc is found" 0 "$CMSEARCH" --db "$db" '"justice for everyone"'
rm "$docs/rtf.doc" "$docs/cut.doc" "$docs/plain.rtf" "$docs/de-entschliessung-2081-2015-zugang-zum-recht.doc"

# A file rejected by an older reader (one that read no HTML: its state has
# no "reader") is tried again by this one, though it has not changed; one
# rejected by this reader is not.  (The state is edited as text: jq would
# round its nanosecond mtime, which would make the file look changed.)
if command -v xapian-metadata >/dev/null; then
    mkdir "$TMP/old"
    printf '<p>Underwater cultural heritage, rejected long ago.</p>\n' \
        >"$TMP/old/page.html"
    "$CMINDEX" --db "$TMP/oldidx" --jobs 1 "$TMP/old" >/dev/null 2>&1
    key=$(xapian-metadata list "$TMP/oldidx" F | grep 'page\.html$')
    xapian-metadata get "$TMP/oldidx" "$key" |
        sed 's/"rejected":false,"reason":""/"rejected":true,"reason":"not read"/' \
        >"$TMP/state"
    xapian-metadata set "$TMP/oldidx" "$key" "$(cat "$TMP/state")"
    status_is "this reader's rejection: remembered" 1 \
        "$CMINDEX" --db "$TMP/oldidx" --jobs 1 "$TMP/old"
    contains "  with its reason" "$TMP/err" "page\.html': not read"
    xapian-metadata set "$TMP/oldidx" "$key" \
        "$(sed 's/,"reader":[0-9]*//' "$TMP/state")"
    status_is "an old reader's rejection: tried again" 0 \
        "$CMINDEX" --db "$TMP/oldidx" --jobs 1 --verbose "$TMP/old"
    contains "  and indexed" "$TMP/err" \
        "indexed 1 files .* 0 unchanged, 0 new, 1 changed, 0 removed, 0 rejected"
    xapian-metadata get "$TMP/oldidx" "$key" >"$TMP/state"
    contains "  its state now this reader's" "$TMP/state" \
        '"rejected":false,.*"reader":[0-9]+'
    status_is "  and it is found" 0 "$CMSEARCH" --db "$TMP/oldidx" heritage
else
    echo "# xapian-metadata missing: the old reader's rejection is not tested"
fi

# A folder with nothing cmindex reads (a spreadsheet, JSON): a warning that says
# which formats it reads and how many files it left out, exit 0, and
# nothing lost from an index that already exists.
mkdir -p "$TMP/other/sub"
printf 'PK\003\004' >"$TMP/other/report.xlsx"
printf '{"items": []}\n' >"$TMP/other/sub/feed.json"
status_is "a folder of other formats: exit 0" 0 \
    "$CMINDEX" --db "$TMP/otheridx" "$TMP/other"
contains "a warning: no document, the formats read, the files left out" \
    "$TMP/err" \
    "^cmindex: warning: no document in the given paths \(cmindex reads \.md, \.markdown, \.txt, \.text, \.html, \.htm, \.xhtml, \.pdf, \.docx, \.doc, \.odt, \.fodt and \.rtf files; 2 other files left out\)$"
status_is "into an index that has documents: exit 0" 0 \
    "$CMINDEX" --db "$db" "$TMP/other"
contains "the same warning" "$TMP/err" "^cmindex: warning: no document"
status_is "and what it had is still found" 0 \
    "$CMSEARCH" --db "$db" co-development
status_is "--quiet: exit 0" 0 "$CMINDEX" --quiet --db "$TMP/otheridx" \
    "$TMP/other"
lacks "--quiet: no warning" "$TMP/err" "warning"
printf '1. Another paragraph.\n' >"$TMP/other/sub/note.md"
status_is "a document among them: exit 0" 0 \
    "$CMINDEX" --db "$TMP/otheridx" "$TMP/other"
lacks "a document among them: no warning" "$TMP/err" "no document"

# A word over the term limit (an unspaced script without a dictionary, or
# junk) is dropped with a warning; the file is still indexed.
mkdir "$TMP/long"
awk 'BEGIN { printf "1. Short words and one very long: "; for (i = 0; i < 300; i++) printf "x"; print "." }' >"$TMP/long/l.md"
status_is "a word over the term limit: the file is indexed" 0 \
    "$CMINDEX" --db "$TMP/longidx" "$TMP/long"
contains "with a warning naming the file" "$TMP/err" \
    "^cmindex: warning: '.*l\.md': 1 words over 200 bytes were not indexed$"
status_is "its other words are found" 0 "$CMSEARCH" --db "$TMP/longidx" '"short words"'

# A file name that is not UTF-8 (Linux allows any bytes but '/' and NUL):
# indexed, found, its JSON valid; the next run knows it, and its removal.
command -v jq >/dev/null && mkdir "$TMP/names" &&
    printf '1. A paragraph on comparative zythology.\n' \
        >"$TMP/names/$(printf 'caf\351 \377').md"
if [ -d "$TMP/names" ]; then
    status_is "a file name that is not UTF-8: indexed" 0 \
        "$CMINDEX" --db "$TMP/namesidx" --verbose "$TMP/names"
    contains "  as a new file" "$TMP/err" ": 0 unchanged, 1 new, .* 0 rejected"
    "$CMSEARCH" --db "$TMP/namesidx" --format json zythology >"$TMP/names.json"
    jq -e '.hits[0].path | endswith("/caf\ufffd \ufffd.md")' "$TMP/names.json" \
        >/dev/null
    ok $? "  found; the JSON is valid, the bytes as U+FFFD"
    status_is "  the next run: unchanged" 0 \
        "$CMINDEX" --db "$TMP/namesidx" --verbose "$TMP/names"
    contains "  said" "$TMP/err" ": 1 unchanged, 0 new, 0 changed, 0 removed"
    rm "$TMP/names/"*.md
    printf '1. Another paragraph.\n' >"$TMP/names/other.md"
    status_is "  removed: the run after" 0 \
        "$CMINDEX" --db "$TMP/namesidx" --verbose "$TMP/names"
    contains "  said" "$TMP/err" ": 0 unchanged, 1 new, 0 changed, 1 removed"
    status_is "  and no longer found" 1 "$CMSEARCH" --db "$TMP/namesidx" zythology
fi

# --max-size: a file over the ceiling is rejected, named, and --quiet
# still reports it (only the summary goes).
mkdir "$TMP/big"
awk 'BEGIN { for (i = 0; i < 30000; i++) print "1. A line of text about co-development and more words." }' >"$TMP/big/big.md"
printf '1. Small.\n' >"$TMP/big/small.md"
status_is "--max-size 1: a 1.6 MB file is rejected" 1 \
    "$CMINDEX" --db "$TMP/bigidx" --max-size 1 --quiet "$TMP/big"
contains "with the size and the limit" "$TMP/err" \
    "^cmindex: rejected '.*big\.md': file too large \([0-9]+ bytes, limit 1048576\)"
lacks "--quiet: no summary line" "$TMP/err" "^cmindex: indexed"
status_is "without the ceiling it is indexed" 0 "$CMINDEX" --db "$TMP/bigidx" --verbose "$TMP/big"
contains "the rejection is retried under the new ceiling" "$TMP/err" "indexed 2 files"

status_is "a file of an unknown kind named explicitly" 1 \
    "$CMINDEX" --db "$db" /dev/null
contains "is rejected with a reason" "$TMP/err" "^cmindex: rejected '/dev/null': "

mkdir "$docs/unreadable"
printf 'secret\n' >"$docs/unreadable/x.md"
chmod 000 "$docs/unreadable/x.md"
if [ "$(id -u)" -ne 0 ]; then
    status_is "an unreadable file" 1 "$CMINDEX" --db "$db" "$docs"
    contains "is named" "$TMP/err" "x\.md': .*[Pp]ermission denied"
else
    ok 0 "# SKIP root can read any file"
fi
chmod 644 "$docs/unreadable/x.md"

ln -s loop1 "$docs/loop2.md"
ln -s loop2.md "$docs/loop1"
"$CMINDEX" --db "$db" "$docs" >"$TMP/out" 2>"$TMP/err"
ok 0 "a symlink loop does not hang or crash (exit $?)"

mkdir "$TMP/ro"
printf 'x\n' >"$TMP/ro/a.md"
status_is "an index path that cannot be created" 73 \
    "$CMINDEX" --db /proc/no/such/index "$TMP/ro"
done_testing
