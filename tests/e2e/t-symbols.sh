#!/bin/sh
# libcmsearch defines no global symbol outside the cm_ namespace: file-local
# helpers are static (STYLE.md section 2).
. "$(dirname "$0")/lib.sh"
lib=$top_builddir/common/libcmsearch.a
[ -f "$lib" ] || skip_all "no $lib"
command -v nm >/dev/null || skip_all "nm is not installed"

nm -g --defined-only "$lib" 2>/dev/null |
    awk 'NF == 3 && $2 ~ /^[TDBR]$/ { print $3 }' >"$TMP/syms"
[ -s "$TMP/syms" ]; ok $? "the library defines symbols"
grep -v '^cm_' "$TMP/syms" >"$TMP/bad"
if [ -s "$TMP/bad" ]; then
    ok 1 "every global symbol starts with cm_"
    sed 's/^/#   /' "$TMP/bad"
else
    ok 0 "every global symbol starts with cm_"
fi
done_testing
