#!/bin/sh
# --help, --version, bad flags, missing arguments and a missing index:
# each binary answers with the documented exit status, never a crash.
. "$(dirname "$0")/lib.sh"

for prog in "$CMINDEX" "$CMSEARCH"; do
    name=$(basename "$prog")
    status_is "$name --help exits 0" 0 "$prog" --help
    contains "$name --help names the program" "$TMP/out" "^$name - "
    contains "$name --help lists the exit statuses" "$TMP/out" "Exit status"
    status_is "$name --version exits 0" 0 "$prog" --version
    contains "$name --version prints the version" "$TMP/out" "^$name .*[0-9]+\.[0-9]+"
    status_is "$name with a bad flag exits 64" 64 "$prog" --no-such-flag
    contains "$name bad flag: hint on stderr" "$TMP/err" "Try '$name --help'"
    status_is "$name without arguments exits 64" 64 "$prog"
done

# The CGI, from a shell: --help and --version; a bad flag is a usage
# error, not a parameter.
CGI=${CMSEARCH_CGI:-$top_builddir/searcher/cmsearch.cgi}
status_is "cmsearch.cgi --help exits 0" 0 "$CGI" --help
contains "cmsearch.cgi --help names the program" "$TMP/out" "^cmsearch.cgi - "
contains "cmsearch.cgi --help lists the parameters" "$TMP/out" "sort=ORDER"
status_is "cmsearch.cgi --version exits 0" 0 "$CGI" --version
contains "cmsearch.cgi --version prints the version" "$TMP/out" "^cmsearch.cgi .*[0-9]+\.[0-9]+"
status_is "cmsearch.cgi with a bad flag exits 64" 64 "$CGI" --no-such-flag
contains "cmsearch.cgi bad flag: hint on stderr" "$TMP/err" "Try 'cmsearch.cgi --help'"
status_is "cmsearch.cgi as a CGI: --help is a parameter" 0 \
    env REQUEST_METHOD=GET QUERY_STRING= "$CGI" --help
contains "  and the page is written" "$TMP/out" '^Status: 200 OK'

status_is "cmsearch on a missing index exits 66" 66 \
    "$CMSEARCH" --db "$TMP/nothing-here" co-development
contains "missing index: a one-line message" "$TMP/err" \
    "^cmsearch: no index at '.*nothing-here': run cmindex first"
[ "$(wc -l <"$TMP/err")" -eq 1 ]; ok $? "missing index: exactly one line"

status_is "cmindex on a missing path exits 66" 66 \
    "$CMINDEX" --db "$TMP/idx" "$TMP/no-such-folder"
contains "missing path: named on stderr" "$TMP/err" \
    "cannot open '.*no-such-folder': No such file or directory"
status_is "cmsearch --limit abc exits 64" 64 "$CMSEARCH" --limit abc x
status_is "cmsearch --format xml exits 64" 64 "$CMSEARCH" --format xml x

done_testing
