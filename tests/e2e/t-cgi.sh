#!/bin/sh
# cmsearch.cgi run as a web server runs it (REQUEST_METHOD, QUERY_STRING)
# on an index of the project's corpus: the hits are cmsearch's, every
# echoed byte is escaped, a malformed query gets its message and the
# results of its plain words, hostile parameters a 400 naming them, and
# a missing or misconfigured index a page that says so without leaking
# its path (which goes to stderr, the server's log).
. "$(dirname "$0")/lib.sh"

CGI=${CMSEARCH_CGI:-$top_builddir/searcher/cmsearch.cgi}
IDX=$TMP/idx
"$CMINDEX" --db "$IDX" -q "$top_srcdir/corpus" ||
    { echo "# cmindex failed"; exit 1; }

# cgi METHOD QUERY_STRING: the answer in $TMP/page, stderr in $TMP/log,
# the exit status in rc, the status line's code in code.
cgi() {
    env CMSEARCH_DB="${DB-$IDX}" REQUEST_METHOD="$1" QUERY_STRING="$2" \
        "$CGI" >"$TMP/page" 2>"$TMP/log"
    rc=$?
    code=$(sed -n '1s/^Status: \([0-9]*\) .*/\1/p' "$TMP/page" | tr -d '\r')
}
code_is() {
    if [ "$code" = "$2" ] && [ "$rc" -eq 0 ]; then
        ok 0 "$1"
    else
        ok 1 "$1 (status '$code', exit $rc, want $2)"
        sed 's/^/#   /' "$TMP/page" "$TMP/log" | head -20
    fi
}
# The hits of the page as "file paragraph" lines.
hits_of() {
    sed -n 's/^<div class="where">\([^,]*\), paragraph \([0-9]*\).*/\1 \2/p' \
        "$TMP/page"
}

# ---- a search ---------------------------------------------------------
cgi GET 'q=co-development'
code_is "GET co-development: 200" 200
contains "a CGI header block, then the page" "$TMP/page" '^<!DOCTYPE html>'
contains "Content-Type with the charset" "$TMP/page" \
    '^Content-Type: text/html; charset=utf-8'
contains "no script allowed" "$TMP/page" "^Content-Security-Policy: default-src 'none'"
contains "nosniff" "$TMP/page" '^X-Content-Type-Options: nosniff'
contains "the words highlighted" "$TMP/page" '<mark>co-development</mark>'
contains "a citation: document, paragraph, date, language" "$TMP/page" \
    '<div class="cite">Doc\. [0-9]+ ¶[^ ]+ · 20[0-9-]+ · en · '
contains "the total" "$TMP/page" '<p class="total">1–10 of [0-9]+ paragraphs</p>'
lacks "no server path on the page" "$TMP/page" "$top_srcdir"
hits_of >"$TMP/cgi-hits"
"$CMSEARCH" --db "$IDX" --format tsv co-development |
    awk -F '\t' '{ n = split($8, p, "/"); print p[n], $5 }' >"$TMP/cli-hits"
if [ -s "$TMP/cgi-hits" ] && cmp -s "$TMP/cgi-hits" "$TMP/cli-hits"; then
    ok 0 "the same hits, in the same order, as cmsearch"
else
    ok 1 "the same hits, in the same order, as cmsearch"
    diff "$TMP/cli-hits" "$TMP/cgi-hits" | sed 's/^/#   /' | head
fi

cgi GET 'q=d%C3%A9veloppement&n=3'
contains "French: the accented query decoded" "$TMP/page" \
    'value="développement"'
contains "French: a French paragraph, with its language" "$TMP/page" \
    '<p class="snippet" dir="auto" lang="fr">'

cgi GET 'q=migrtion'
contains "a misspelling: did you mean, as a link" "$TMP/page" \
    'Did you mean <a href="\?q=migration">migration</a>\?'

# ---- pages, order, one per document -------------------------------------
cgi GET 'q=co-development&n=2&page=2'
code_is "page 2 of 2 per page: 200" 200
contains "numbered from 3" "$TMP/page" '<ol class="hits" start="3">'
contains "previous page link" "$TMP/page" \
    '<a rel="prev" href="\?q=co-development&amp;n=2">'
contains "next page link" "$TMP/page" \
    '<a rel="next" href="\?q=co-development&amp;page=3&amp;n=2">'
contains "the page size kept in the form" "$TMP/page" \
    '<input type="hidden" name="n" value="2">'
sed -n 3,4p "$TMP/cli-hits" >"$TMP/want"
hits_of >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got"; ok $? "page 2 holds cmsearch's hits 3 and 4"

cgi GET 'q=migrants&bydoc=1&sort=-date'
contains "one per document: the others counted" "$TMP/page" \
    'more paragraphs? · '
contains "the order kept in the form" "$TMP/page" \
    '<option value="-date" selected>'
sed -n 's/^<div class="cite">[^·]*· \(20[0-9-]*\) .*/\1/p' "$TMP/page" \
    >"$TMP/dates"
sort -r "$TMP/dates" | cmp -s - "$TMP/dates" && [ -s "$TMP/dates" ]
ok $? "sort=-date: newest first"

# ---- one language --------------------------------------------------------
cgi GET 'q=migration&lang=fr&n=50'
code_is "lang=fr: 200" 200
sed -n 's/^<div class="cite">[^·]*· [^·]*· \([a-z]*\) ·.*/\1/p;
         s/^<div class="cite">[^·]*· \([a-z][a-z]\) ·.*/\1/p' "$TMP/page" |
    sort -u >"$TMP/langs"
[ "$(cat "$TMP/langs")" = fr ]
ok $? "lang=fr: French paragraphs only ($(tr '\n' ' ' <"$TMP/langs"))"
total=$(sed -n 's/.*<p class="total">1–[0-9]* of \([0-9]*\) paragraphs\{0,1\}<.*/\1/p' \
    "$TMP/page")
[ "$total" = "$("$CMSEARCH" --db "$IDX" --count 'migration lang:fr')" ]
ok $? "  as many as 'migration lang:fr' ($total)"
contains "  the index's languages offered, French selected" "$TMP/page" \
    '<select name="lang" aria-label="Language"><option value="">any language</option><option value="en">English \(en\) · [0-9]+</option>.*<option value="fr" selected>français \(fr\) · [0-9]+</option>.*<option value="ka">ქართული \(ka\) · [0-9]+</option>'
# Each language's count: the query's matches in it, whichever is selected.
sed 's/<option/\n<option/g' "$TMP/page" |
    sed -n 's/^<option value="\([a-z]*\)"[^>]*>[^<]* · \([0-9]*\)<.*/\1 \2/p' \
    >"$TMP/counts"
right=0
while read -r lc n; do
    [ "$("$CMSEARCH" --db "$IDX" --count "migration lang:$lc")" = "$n" ] ||
        { right=1; echo "#   $lc: $n"; }
done <"$TMP/counts"
[ "$(wc -l <"$TMP/counts")" -ge 5 ] && [ "$(grep -c ' [1-9]' "$TMP/counts")" -ge 2 ]
ok $((right + $?)) "  each language with its matches, as 'migration lang:CODE' ($(grep ' [1-9]' "$TMP/counts" | tr '\n' ' '))"
cgi GET 'q=migration&lang=fr&n=2'
contains "  kept in the next page's link" "$TMP/page" \
    '<a rel="next" href="\?q=migration&amp;page=2&amp;n=2&amp;lang=fr">'
cgi GET 'q=migration&lang=zu'
code_is "a language the index has not: 200" 200
contains "  nothing found" "$TMP/page" 'No paragraph matched\.'
contains "  and offered, selected" "$TMP/page" '<option value="zu" selected>'
cgi GET 'q=migration&lang=french'
code_is "lang=french: 400" 400
contains "  naming it" "$TMP/page" "parameter &#39;lang&#39;: not a language code|parameter 'lang': not a language code"
cgi GET ''
contains "the empty form offers the index's languages" "$TMP/page" \
    '<option value="de">Deutsch \(de\)</option>'
lacks "  without counts" "$TMP/page" '</option>.* · [0-9]'

# --- Similar paragraphs: each hit's link ------------------------------
cgi GET 'q=co-development&n=1'
like=$(sed -n 's/.*<a class="like" href="?like=\([0-9]*\)[^"]*">similar paragraphs<.*/\1/p' "$TMP/page" | head -1)
where=$(sed -n 's/^<div class="where">\([^,]*, paragraph [0-9]*\).*/\1/p' "$TMP/page" | head -1)
[ -n "$like" ] && [ -n "$where" ]
ok $? "each hit links to the paragraphs like it (like=$like, $where)"
cgi GET "like=$like&n=3"
code_is "like=$like: 200" 200
contains "  the words searched for" "$TMP/page" \
    '<p class="note">Paragraphs with the words that tell the one chosen from the others \(it is among them\): <span class="words">[^<]+</span>'
grep -q "^<div class=\"where\">$where[ ·<]" "$TMP/page"
ok $? "  the paragraph itself among the first three"
contains "  the next page's link keeps it" "$TMP/page" \
    "<a rel=\"next\" href=\"\\?like=$like&amp;page=2&amp;n=3\">"
cgi GET 'like=4294967295'
code_is "like= a paragraph the index has not: 404" 404
contains "  said" "$TMP/page" 'That paragraph is no longer in the index'
cgi GET 'like=x1'
code_is "like=x1: 400" 400

# --- format=json: the results for programs -----------------------------
if command -v jq >/dev/null; then
    cgi GET 'q=migration&n=3&format=json'
    code_is "format=json: 200" 200
    contains "  as JSON" "$TMP/page" '^Content-Type: application/json; charset=utf-8'
    sed '1,/^\r*$/d' "$TMP/page" >"$TMP/page.json"
    jq -e --argjson n "$("$CMSEARCH" --db "$IDX" --count migration)" \
        '.total == $n and (.hits | length) == 3 and
         all(.hits[]; (.path | contains("/") | not) and .docid > 0 and
             (.highlights | length) > 0) and (.languages | length) > 0' \
        "$TMP/page.json" >/dev/null
    ok $? "  the total as cmsearch --count, three hits, their files without folders, the counts per language"
    id=$(jq '.hits[0].docid' "$TMP/page.json")
    cgi GET "like=$id&format=json&n=3"
    sed '1,/^\r*$/d' "$TMP/page" >"$TMP/page.json"
    jq -e --argjson id "$id" '(.like | length) > 0 and any(.hits[]; .docid == $id)' \
        "$TMP/page.json" >/dev/null
    ok $? "  a hit's docid as like=: its words, the paragraph among the hits"
    cgi GET 'q=(migration+OR&format=json'
    sed '1,/^\r*$/d' "$TMP/page" >"$TMP/page.json"
    jq -e '.query_error.column == 12 and .total > 0' "$TMP/page.json" >/dev/null
    ok $? "  a malformed query: its error's column, the plain words' hits"
    cgi GET 'format=json'
    code_is "  no query: 400" 400
    sed '1,/^\r*$/d' "$TMP/page" >"$TMP/page.json"
    jq -e '.error | test("no query")' "$TMP/page.json" >/dev/null
    ok $? "  said in JSON"
    cgi GET 'format=json&page=x'
    code_is "  a bad parameter: 400" 400
    sed '1,/^\r*$/d' "$TMP/page" >"$TMP/page.json"
    jq -e '.error | test("parameter .page.")' "$TMP/page.json" >/dev/null
    ok $? "  named in JSON"
    cgi GET 'format=yaml&q=x'
    code_is "format=yaml: 400" 400
fi

cgi GET 'q=zzzyyyxxx'
code_is "nothing found: still 200" 200
contains "nothing found: said" "$TMP/page" 'No paragraph matched\.'

cgi GET ''
code_is "no query: the form" 200
contains "no query: an empty box" "$TMP/page" 'autofocus value=""'
lacks "no query: no hits" "$TMP/page" '<ol'

# ---- a malformed query --------------------------------------------------
cgi GET 'q=%22co-development'
code_is "unclosed quote: 200, with the plain words' hits" 200
contains "the error and its column" "$TMP/page" \
    'role="alert">Query error at column 1: unclosed quote\.</p>'
contains "the column marked in the query" "$TMP/page" \
    '<code><mark>&quot;</mark>co-development</code>'
contains "the query read as plain words" "$TMP/page" 'read as plain words'
contains "  and its hits" "$TMP/page" '<mark>co-development</mark>'
cgi GET 'q=migration+date%3A2008-13-45'
contains "a bad date: its column" "$TMP/page" 'Query error at column 16: invalid date 2008-13-45'

# ---- hostile input ------------------------------------------------------
cgi GET 'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27&n=1'
code_is "markup in the query: 200" 200
lacks "  never echoed as markup" "$TMP/page" '<script|alert\(1\)<'
contains "  but escaped" "$TMP/page" \
    'value="&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&#39;"'
cgi GET 'q=%22%3E%3Cimg+src%3Dx%3E'
lacks "an attribute break-out escaped" "$TMP/page" '<img'
cgi GET 'q=%FFabc'
code_is "bytes that are not UTF-8: 400" 400
contains "  the parameter named" "$TMP/page" \
    "parameter &#39;q&#39;: not UTF-8 at byte 1"
cgi GET 'q=a%00b'
code_is "a NUL: 400" 400
cgi GET 'q=%zz'
code_is "a broken %-escape: 400" 400
cgi GET 'q=a&page=0'
code_is "page=0: 400" 400
contains "  the range given" "$TMP/page" "parameter &#39;page&#39;: not a whole number from 1 to 10000"
cgi GET 'q=a&n=1000'
code_is "n=1000: 400" 400
cgi GET 'q=a&page=5000&n=100'
code_is "past 10000 hits: 400" 400
cgi GET 'q=a&q=b'
code_is "q twice: 400" 400
cgi GET 'q=a&sort=%3Cx%3E'
code_is "an unknown order: 400" 400
cgi GET 'q=a&utm_source=mail&x='
code_is "unknown parameters ignored" 200
long=$(head -c 1100 /dev/zero | tr '\0' 'a')
cgi GET "q=$long"
code_is "a query over 1024 bytes: 400" 400
contains "  said" "$TMP/page" 'too long \(over 1024 bytes\)'
long=$(head -c 9000 /dev/zero | tr '\0' 'a')
cgi GET "x=$long"
code_is "a query string over 8192 bytes: 414" 414
cgi POST 'q=a'
code_is "POST: 405" 405
contains "  with Allow" "$TMP/page" '^Allow: GET, HEAD'
cgi HEAD 'q=co-development'
code_is "HEAD: 200" 200
[ "$(grep -c '<' "$TMP/page")" -eq 0 ]; ok $? "HEAD: headers only"
tail -c 4 "$TMP/page" | od -An -c | grep -q '\\r  *\\n  *\\r  *\\n'
ok $? "HEAD: ends with the blank line"
# Deep nesting and many words are the query parser's limits: a message.
deep=$(printf '%0.s(' $(seq 40))
cgi GET "q=$deep"
code_is "40 parentheses: 200" 200
contains "  a query error" "$TMP/page" 'Query error at column'

# ---- the index ---------------------------------------------------------
DB="$TMP/no-index" cgi GET 'q=a'
code_is "no index: 503" 503
contains "  Retry-After" "$TMP/page" '^Retry-After: '
lacks "  the path not on the page" "$TMP/page" 'no-index'
contains "  but in the log" "$TMP/log" "cmsearch.cgi: cannot open index '.*no-index'"
# The configuration file's db, when the server sets no CMSEARCH_DB.
printf 'db = %s\n' "$IDX" >"$TMP/cm.conf"
env -u CMSEARCH_DB CMSEARCH_CONFIG="$TMP/cm.conf" REQUEST_METHOD=GET \
    QUERY_STRING='q=co-development' "$CGI" >"$TMP/page" 2>"$TMP/log"
contains "the configuration's db" "$TMP/page" '<mark>co-development</mark>'
printf 'path = /srv\n' >"$TMP/cm.conf"
env -u CMSEARCH_DB CMSEARCH_CONFIG="$TMP/cm.conf" REQUEST_METHOD=GET \
    QUERY_STRING='q=a' "$CGI" >"$TMP/page" 2>"$TMP/log"
contains "no db configured: 500" "$TMP/page" '^Status: 500 '
contains "  the log says where to set it" "$TMP/log" 'no index: set CMSEARCH_DB'
printf 'colour = blue\n' >"$TMP/cm.conf"
env -u CMSEARCH_DB CMSEARCH_CONFIG="$TMP/cm.conf" REQUEST_METHOD=GET \
    QUERY_STRING='q=a' "$CGI" >"$TMP/page" 2>"$TMP/log"
contains "a broken configuration: 500" "$TMP/page" '^Status: 500 '
contains "  the log names file and line" "$TMP/log" 'cm\.conf:1: '
lacks "  the page does not" "$TMP/page" 'cm\.conf'

# ---- links to the documents ----------------------------------------------
# cgi_conf QUERY_STRING: a GET with the configuration $TMP/cm.conf too.
cgi_conf() {
    env CMSEARCH_DB="$IDX" CMSEARCH_CONFIG="$TMP/cm.conf" REQUEST_METHOD=GET \
        QUERY_STRING="$1" "$CGI" >"$TMP/page" 2>"$TMP/log"
}
cgi GET 'q=co-development&n=3'
lacks "no link rule: file names without links" "$TMP/page" \
    '<div class="where"><a'
# The rule on the folder as given, with a slash after it; the index stores
# the real path.  The URL's ampersand is escaped in the attribute.
printf 'link = %s/  https://docs.example.org/a&b/\nlink = /elsewhere /x\n' \
    "$top_srcdir/corpus" >"$TMP/cm.conf"
cgi_conf 'q=co-development&n=3'
contains "a link rule: each hit's file links to the document, at the paragraph's first words" "$TMP/page" \
    '<div class="where"><a href="https://docs\.example\.org/a&amp;b/en-[a-z0-9-]*\.md#:~:text=[A-Za-z0-9%._~]+">en-[a-z0-9-]*\.md</a>, paragraph [0-9]+'
[ "$(grep -c '<div class="where"><a href=' "$TMP/page")" -eq 3 ]
ok $? "  on all three hits"
printf 'link = %s javascript:alert(1)\n' "$top_srcdir/corpus" >"$TMP/cm.conf"
cgi_conf 'q=co-development'
contains "a link to a script is refused: 500" "$TMP/page" '^Status: 500 '
contains "  the log names file and line" "$TMP/log" \
    "cm\\.conf:1: link's URL 'javascript:alert\\(1\\)' is neither"
lacks "  no such link on the page" "$TMP/page" 'javascript'
# The text fragment: whole words, the directive's own characters encoded,
# none for a file a browser does not show as text.
printf 'link = %s /docs\n' "$top_srcdir/corpus" >"$TMP/cm.conf"
cgi_conf 'q=%22actors+of+co-development%22+doc:14302&n=1'
contains "  a heading's first six words, - and : encoded" "$TMP/page" \
    'href="/docs/en-rec-2101-[^"]*\.md#:~:text=Migrants%20as%20actors%20of%20co%2Ddevelopment%3A%20making"'
cgi_conf 'q=Vasa&n=1'
contains "  a table row's first cell" "$TMP/page" \
    'href="/docs/es-[^"]*\.html#:~:text=Vasa"'
cgi_conf 'q=wetlands&n=1'
contains "  a PDF: its page for the viewer, and said" "$TMP/page" \
    'href="/docs/en-rec-2140-2018-wetlands\.pdf#page=[12]">en-rec-2140-2018-wetlands\.pdf</a>, paragraph [0-9]+, page [12]'
cgi_conf 'q=Biebrza&n=1'
contains "  the appendix's paragraph on page 2" "$TMP/page" \
    'wetlands\.pdf#page=2">[^<]*</a>, paragraph [0-9]+, page 2'

# ---- from a shell ------------------------------------------------------
env -u REQUEST_METHOD CMSEARCH_DB="$IDX" "$CGI" q='co-development' n=1 \
    >"$TMP/page" 2>"$TMP/log"
contains "from a shell: NAME=VALUE arguments" "$TMP/page" \
    '<p class="total">1–1 of [0-9]+ paragraphs</p>'
env -u REQUEST_METHOD CMSEARCH_DB="$IDX" "$CGI" 'q=a&b' >"$TMP/page" 2>&1
contains "from a shell: a value taken as typed" "$TMP/page" 'value="a&amp;b"'

done_testing
