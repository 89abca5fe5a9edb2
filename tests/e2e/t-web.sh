#!/bin/sh
# The search page served by a real web server (lighttpd, on 127.0.0.1,
# started here and stopped by its PID) and read by a real browser
# (headless Chromium): the page and its links work through the server,
# its headers arrive, and a query holding markup stays text in the
# browser's DOM.
. "$(dirname "$0")/lib.sh"

CGI=${CMSEARCH_CGI:-$top_builddir/searcher/cmsearch.cgi}
for t in lighttpd curl; do
    command -v $t >/dev/null || skip_all "$t is not installed"
done
BROWSER=
for b in chromium chromium-browser google-chrome; do
    command -v $b >/dev/null && { BROWSER=$b; break; }
done
command -v setsid >/dev/null || skip_all "setsid is not installed"

# A long web page whose one paragraph far down a hit's link should open
# at; its script notes where the browser scrolled to (the search page has
# none: its policy forbids them).
mkdir "$TMP/long"
{
    printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    printf '<title>A long page</title></head><body><h1>A long page</h1>\n'
    i=0
    while [ $i -lt 300 ]; do
        printf '<p>Paragraph %d of the filler, about nothing in particular.</p>\n' $i
        i=$((i + 1))
    done
    printf '<p>The wreck of the Zanzibar galleon lies in forty metres of water.</p>\n'
    printf '<p>The end.</p>\n<script>addEventListener("load", function () {\n'
    printf 'setTimeout(function () { document.body.setAttribute("data-y",\n'
    printf 'String(Math.round(scrollY))); }, 500); });</script></body></html>\n'
} >"$TMP/long/long.html"
IDX=$TMP/idx
"$CMINDEX" --db "$IDX" -q "$top_srcdir/corpus" "$TMP/long" ||
    { echo "# cmindex failed"; exit 1; }
mkdir "$TMP/www"
ln -s "$CGI" "$TMP/www/search.cgi"
# The documents served beside the page, and a link rule to them (on the
# folder as given: the index stores its real path).
CORPUS=$(cd "$top_srcdir/corpus" && pwd -P)
printf 'link = %s /docs\nlink = %s /long\n' "$top_srcdir/corpus" "$TMP/long" \
    >"$TMP/cm.conf"

# The server, on a free port (the next one, three times).
srv=
for try in 0 1 2; do
    port=$((20000 + ($$ + 7907 * try) % 10000))
    cat >"$TMP/lighttpd.conf" <<EOF
server.document-root = "$TMP/www"
server.bind = "127.0.0.1"
server.port = $port
server.modules = ("mod_setenv", "mod_cgi", "mod_alias")
server.errorlog = "$TMP/lighttpd.err"
cgi.assign = (".cgi" => "")
alias.url = ("/docs/" => "$CORPUS/", "/long/" => "$TMP/long/")
mimetype.assign = (".html" => "text/html; charset=utf-8",
                   ".md" => "text/plain; charset=utf-8")
setenv.add-environment = ("CMSEARCH_DB" => "$IDX",
                          "CMSEARCH_CONFIG" => "$TMP/cm.conf")
EOF
    setsid lighttpd -D -f "$TMP/lighttpd.conf" >"$TMP/lighttpd.out" 2>&1 &
    srv=$!
    i=0
    while [ $i -lt 50 ] && kill -0 "$srv" 2>/dev/null &&
        ! curl -s -o /dev/null "http://127.0.0.1:$port/search.cgi"; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -0 "$srv" 2>/dev/null && break
    wait "$srv" 2>/dev/null
    srv=
done
if [ -z "$srv" ]; then
    sed 's/^/# /' "$TMP/lighttpd.out" "$TMP/lighttpd.err" 2>/dev/null | head
    skip_all "lighttpd did not start"
fi
stop_server() {
    kill "$srv" 2>/dev/null
    wait "$srv" 2>/dev/null
}
trap 'stop_server; rm -rf "$TMP"' EXIT
URL="http://127.0.0.1:$port/search.cgi"

# get URL: the body in $TMP/body, the headers in $TMP/head, the status in
# code.
get() {
    code=$(curl -s -D "$TMP/head" -o "$TMP/body" -w '%{http_code}' "$@")
}

get "$URL?q=co-development&n=3"
[ "$code" = 200 ]; ok $? "GET through the server: 200"
contains "the type" "$TMP/head" '^Content-Type: text/html; charset=utf-8'
contains "the policy" "$TMP/head" "^Content-Security-Policy: default-src 'none'"
contains "the hits" "$TMP/body" '<mark>co-development</mark>'
contains "three of them" "$TMP/body" '<p class="total">1–3 of '
next=$(sed -n 's/.*<a rel="next" href="\([^"]*\)".*/\1/p' "$TMP/body" |
    sed 's/&amp;/\&/g')
[ -n "$next" ]; ok $? "a next page link"
get "$URL$next"
contains "following it: the next hits" "$TMP/body" '<ol class="hits" start="4">'
# Each hit's file name links to the document, which the server serves.
doc=$(sed -n 's/.*<div class="where"><a href="\([^"#]*\)[^"]*">.*/\1/p' \
    "$TMP/body" | head -1)
case $doc in
/docs/*.md) ok 0 "a hit links to its document ($doc)" ;;
*) ok 1 "a hit links to its document (got '$doc')" ;;
esac
get "http://127.0.0.1:$port$doc"
[ "$code" = 200 ] && cmp -s "$TMP/body" "$CORPUS/${doc#/docs/}"
ok $? "following it: the document itself"
get "$URL?q=a&page=x"
[ "$code" = 400 ]; ok $? "a bad parameter: 400 through the server"
get -X POST -d q=a "$URL"
[ "$code" = 405 ]; ok $? "POST: 405 through the server"
contains "  with Allow" "$TMP/head" '^Allow: GET, HEAD'
get -I "$URL?q=co-development"
# (curl -I writes the headers where the body would go.)
[ "$code" = 200 ] && ! grep -q '<' "$TMP/body"; ok $? "HEAD: 200, no body"

# Several requests at once: each its own process, each whole.
pids=
for i in 1 2 3 4 5 6; do
    curl -s -o "$TMP/par$i" "$URL?q=migration&page=$i&n=2" &
    pids="$pids $!"
done
# Not a bare wait: the server is a child too.
for p in $pids; do
    wait "$p"
done
errors=0
for i in 1 2 3 4 5 6; do
    grep -q "<ol class=\"hits\" start=\"$((2 * i - 1))\">" "$TMP/par$i" ||
        grep -q 'No paragraph on this page' "$TMP/par$i" ||
        errors=$((errors + 1))
done
[ $errors -eq 0 ]; ok $? "six requests at once: six whole pages"

if [ -z "$BROWSER" ]; then
    echo "# no Chromium: the browser's checks are skipped"
    stop_server
    done_testing
    exit $?
fi

# dom URL: the DOM the browser built from the page, in $TMP/dom.
dom() {
    timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu \
        --disable-dev-shm-usage --no-first-run --user-data-dir="$TMP/chrome" \
        --window-size=800,600 --virtual-time-budget=3000 \
        --dump-dom "$1" >"$TMP/dom" 2>"$TMP/browser.err"
}
dom "$URL?q=co-development&n=3"
contains "the browser: the hits in the DOM" "$TMP/dom" \
    '<li>.*|<mark>co-development</mark>'
[ "$(grep -c '<mark>co-development</mark>' "$TMP/dom")" -ge 1 ]
ok $? "the browser: the highlights are elements"
contains "the browser: the query in the box" "$TMP/dom" \
    'value="co-development"'
dom "$URL?q=migration&lang=fr"
contains "the browser: the language chosen in its select, with its matches" "$TMP/dom" \
    '<option value="fr" selected="">français \(fr\) · [1-9][0-9]*</option>'
dom "$URL?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E+%22%3E%3Cb+id%3Dpwn%3E"
lacks "the browser: markup in the query makes no element" "$TMP/dom" \
    '<img|<b id="pwn"'
contains "the browser: it is shown as text" "$TMP/dom" \
    '&lt;img src=x onerror=alert\(1\)&gt;'
dom "$URL?q=%22co-development"
contains "the browser: a query error shown" "$TMP/dom" \
    'Query error at column 1: unclosed quote\.'
contains "the browser: the plain words' hits" "$TMP/dom" \
    '<mark>co-development</mark>'
# A hit's link, followed by the browser: the web page it indexed.
dom "$URL?q=patrimonio+subacu%C3%A1tico&n=1"
link=$(sed -n 's/.*<div class="where"><a href="\(\/docs\/[^"#]*\.html\)[#"].*/\1/p' \
    "$TMP/dom" | head -1)
[ -n "$link" ]; ok $? "the browser: the hit of a web page links to it"
dom "http://127.0.0.1:$port$link"
contains "the browser: following the link opens the document" "$TMP/dom" \
    '<title>Doc. 14411 | Asamblea Parlamentaria'
# A hit's link opens its page at the paragraph: a text fragment of its
# first words, which the browser scrolls to.
dom "$URL?q=zanzibar+galleon&n=1"
link=$(sed -n 's/.*<div class="where"><a href="\(\/long\/long\.html#[^"]*\)">.*/\1/p' \
    "$TMP/dom" | sed 's/&amp;/\&/g' | head -1)
case $link in
*'#:~:text=The%20wreck%20of%20the%20Zanzibar%20galleon') ok 0 "the browser: the link holds the paragraph's first words" ;;
*) ok 1 "the browser: the link holds the paragraph's first words (got '$link')" ;;
esac
dom "http://127.0.0.1:$port/long/long.html"
contains "the browser: the page alone opens at its top" "$TMP/dom" 'data-y="0"'
dom "http://127.0.0.1:$port$link"
y=$(sed -n 's/.*data-y="\([0-9]*\)".*/\1/p' "$TMP/dom" | head -1)
[ "${y:-0}" -gt 2000 ]
ok $? "the browser: following the link scrolls to the paragraph (to ${y:-none})"

stop_server
kill -0 "$srv" 2>/dev/null
[ $? -ne 0 ]; ok $? "the server stopped by its PID"
done_testing
