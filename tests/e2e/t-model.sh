#!/bin/sh
# The document model end to end: index the project's corpus, and check
# that hits carry the model's fields (doc, date, type, lang, label,
# section, refs) for known paragraphs, and that the field filters find
# what they should (skipped while the query language does not parse
# fields).
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq is not installed"
corpus=$top_srcdir/corpus
[ -d "$corpus" ] || skip_all "no corpus at $corpus"

db=$TMP/idx
status_is "cmindex indexes the project corpus" 0 "$CMINDEX" --db "$db" "$corpus"

# search NAME QUERY: the JSON hits of QUERY in $TMP/hits.json.
search() {
    "$CMSEARCH" --db "$db" --format json --limit 1000 "$2" >"$TMP/hits.json" \
        2>"$TMP/err"
    _st=$?
    if [ $_st -gt 1 ]; then
        ok 1 "$1 (cmsearch exit $_st)"
        sed 's/^/#   /' "$TMP/err" | head -5
        return 1
    fi
    ok 0 "$1"
}

# has NAME JQ-FILTER: a test on $TMP/hits.json.
has() {
    if jq -e "$2" "$TMP/hits.json" >/dev/null 2>&1; then
        ok 0 "$1"
    else
        ok 1 "$1"
        jq -c '.hits[] | {path, para, label, section, lang, doc, date, type, refs}' \
            "$TMP/hits.json" 2>/dev/null | head -5 | sed 's/^/#   /'
    fi
}

skip() {
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $1 # SKIP $2"
}

# ---- an HTML document: Resolution 2190 (2017), in Spanish ---------------
search "search the HTML resolution's item 4.2" \
    '"inventarios nacionales de los yacimientos subacuaticos"'
has "item 4.2. of a nested list: Doc. 14411, body, es, resolution, 2017-10-12" \
    '.hits | any(.doc == "Doc. 14411" and .label == "4.2." and
     .section == "body" and .lang == "es" and .type == "resolution" and
     .date == "2017-10-12" and
     .title == "La protección del patrimonio cultural subacuático en Europa")'
search "search the HTML resolution's table" 'Pavlopetri Grecia'
has "a row of the annex's table, section appendix" \
    '.hits | any(.doc == "Doc. 14411" and .section == "appendix" and
     .text == "Pavlopetri | Grecia | Edad del Bronce")'
search "search its footnote" '"participación ciudadana en la protección del patrimonio"'
has "the note after the rule: footnote 2, citing CM/Rec(2016)7" \
    '.hits | any(.doc == "Doc. 14411" and .label == "2" and
     .section == "footnote" and (.refs | index("cm-rec-2016-7") != null))'
search "its menu, script and style are not text" 'analytics OR Inicio OR serif'
has "  nothing found" '.hits | all(.doc != "Doc. 14411")'
search "the site's footer around its <main> is not text" \
    '"documento de muestra escrito para el proyecto"'
has "  nothing found" '.hits | all(.doc != "Doc. 14411")'
search "the sidebar of related documents in its <main> is not text" \
    '"museos marítimos"'
has "  nothing found" '.hits | all(.doc != "Doc. 14411")'
search "its footnote mark" 'hallazgos'
has "item 2. holds the mark of note 2" \
    '.hits | any(.doc == "Doc. 14411" and .label == "2." and
     (.refs | index("fn-2") != null))'

# ---- a PDF: Recommendation 2140 (2018), printed by Chromium --------------
# (its source: tests/e2e/sources/en-rec-2140-2018-wetlands.html)
search "search the PDF's paragraph 5.2" '"restoration of drained peatlands"'
has "sub-paragraph 5.2. of Doc. 14655, body, en, recommendation, 2018-11-22" \
    '.hits | any(.doc == "Doc. 14655" and .label == "5.2." and
     .section == "body" and .lang == "en" and .type == "recommendation" and
     .date == "2018-11-22" and (.path | endswith(".pdf")) and
     (.heading | test("Recommendation$")) and
     .title == "Wetlands and migratory birds: a shared European heritage")'
search "search a PDF paragraph of many lines" \
    '"involvement of farmers, hunters, fishermen and local authorities"'
has "paragraph 4., its lines joined" \
    '.hits | any(.doc == "Doc. 14655" and .label == "4." and
     (.text | startswith("The Assembly considers that the protection")) and
     (.text | endswith("the landscape of the wetlands.")))'
search "search the PDF's appendix" 'Biebrza'
has "the appendix, under its heading" \
    '.hits | any(.doc == "Doc. 14655" and .section == "appendix" and
     (.heading | test("Appendix")))'
has "  on page 2 of the PDF" \
    '.hits | any(.doc == "Doc. 14655" and .section == "appendix" and
     .page == 2)'
search "the PDF's paragraph 5.2 again" '"restoration of drained peatlands"'
has "  on page 1" '.hits | any(.label == "5.2." and .page == 1)'
search "a markdown paragraph" '"co-development" doc:14302'
has "  has no page" '(.hits | length) > 0 and all(.hits[]; .page == null)'
search "search the PDF's note in small type" '"acting on behalf of the Assembly"'
has "footnote 1" \
    '.hits | any(.doc == "Doc. 14655" and .section == "footnote" and
     .label == "1")'
search "its running head and page numbers are not text" 'page'
has "  nothing found in it" '.hits | all(.doc != "Doc. 14655")'

# ---- a Word document: Resolution 2255 (2019), in French ----------------
# (written by tests/e2e/sources/fr-resolution-2255-2019-journalistes.py)
search "search the Word document's paragraph 3.2" '"protéger les sources"'
has "3.2. from Word's numbering: Doc. 14812, body, fr, resolution, 2019-01-24" \
    '.hits | any(.doc == "Doc. 14812" and .label == "3.2." and
     .section == "body" and .lang == "fr" and .type == "resolution" and
     .date == "2019-01-24" and (.path | endswith(".docx")) and
     (.heading | test("Résolution 2255")) and
     (.refs | index("cm-rec-2016-4") != null))'
search "a tracked deletion is not text" '"lanceurs d’alerte"'
has "  not found in it" '.hits | all(.doc != "Doc. 14812")'
search "hidden text is not text" '"chiffres à confirmer"'
has "  not found in it" '.hits | all(.doc != "Doc. 14812")'
search "the Word document's text box" '"au moins douze journalistes"'
has "  found once, in paragraph 2., where it is anchored" \
    '[.hits[] | select(.doc == "Doc. 14812")] | length == 1 and
     .[0].label == "2."'
search "the Word document's note" '"Commission de la culture, de la science"'
has "footnote 1, its mark on paragraph 1." \
    '.hits | any(.doc == "Doc. 14812" and .section == "footnote" and
     .label == "1")'
search "the Word document's table" 'Malte assassinat'
has "a row of the annex's table" \
    '.hits | any(.doc == "Doc. 14812" and .section == "appendix" and
     .text == "Malte | Enquête sur un assassinat, 2017")'

# ---- a Word 97-2003 document: Resolution 2081 (2015), in German --------
# (LibreOffice's save of tests/e2e/sources/de-entschliessung-2081-2015-
# zugang-zum-recht.fodt)
search "search the .doc's paragraph 3.2." '"in leichter Sprache"'
has "3.2. from Word's numbering: Doc. 13890, body, de, resolution, 2015-06-23" \
    '.hits | any(.doc == "Doc. 13890" and .label == "3.2." and
     .section == "body" and .lang == "de" and .type == "resolution" and
     .date == "2015-06-23" and (.path | endswith(".doc")) and
     (.heading | test("Entschließung 2081")) and
     (.title | test("Zugang zum Recht")))'
search "the .doc's hyperlink is a field: its text is read" \
    '"Internetseite der Parlamentarischen Versammlung"'
has "  paragraph 4., without the field's instructions" \
    '.hits | any(.doc == "Doc. 13890" and .label == "4." and
     (.text | test("HYPERLINK") | not))'
search "the .doc's note" '"Gleichstellung und Nichtdiskriminierung"'
has "footnote 1" \
    '.hits | any(.doc == "Doc. 13890" and .section == "footnote" and
     .label == "1")'
search "the .doc's endnote, between the footnotes" '"Europarats unterzeichnet"'
has "note 2, its two paragraphs joined" \
    '.hits | any(.doc == "Doc. 13890" and .section == "footnote" and
     .label == "2" and .text == "Das Übereinkommen wurde von allen Mitgliedstaaten des Europarats unterzeichnet. Stand: Mai 2015.")'
search "  and its mark" '"faires Verfahren für jedermann"'
has "  on paragraph 2." \
    '.hits | any(.doc == "Doc. 13890" and .label == "2." and
     (.refs | index("fn-2") != null))'
search "the footnote after it" '"Leichte Sprache"'
has "  is note 3" \
    '.hits | any(.doc == "Doc. 13890" and .section == "footnote" and
     .label == "3")'
search "the .doc's table, a cell of two paragraphs" 'Luxemburg Prozent'
has "a row of the appendix's table" \
    '.hits | any(.doc == "Doc. 13890" and .section == "appendix" and
     .text == "Luxemburg | 81 Prozent (Stand 2014)")'
search "a German stem across the .doc: Gerichtsgebäuden" 'Gerichtsgebäuden barrierefrei'
has "  finds paragraph 3.1." \
    '.hits | any(.doc == "Doc. 13890" and .label == "3.1.")'

# ---- an OpenDocument text: Resolution 2317 (2020), in Portuguese -------
# (LibreOffice's save of tests/e2e/sources/pt-resolucao-2317-2020-agua-
# potavel.fodt)
search "search the .odt's paragraph 3.2." '"renovação das redes de distribuição"'
has "3.2. from the list's numbering: Doc. 15089, body, pt, resolution, 2020-01-28" \
    '.hits | any(.doc == "Doc. 15089" and .label == "3.2." and
     .section == "body" and .lang == "pt" and .type == "resolution" and
     .date == "2020-01-28" and (.path | endswith(".odt")) and
     (.heading | test("Resolução 2317")))'
search "the .odt's table of contents is not text" '"Anexo 2"'
has "  not found in it" '.hits | all(.doc != "Doc. 15089")'
search "a tracked deletion in the .odt is not text" 'cisternas'
has "  not found in it" '.hits | all(.doc != "Doc. 15089")'
search "a comment in the .odt is not text" '"comentário interno"'
has "  not found in it" '.hits | all(.doc != "Doc. 15089")'
search "the .odt's note" '"Assuntos Sociais, Saúde e Desenvolvimento"'
has "footnote 1" \
    '.hits | any(.doc == "Doc. 15089" and .section == "footnote" and
     .label == "1")'
search "the .odt's table" 'Moldávia'
has "a row of the appendix's table" \
    '.hits | any(.doc == "Doc. 15089" and .section == "appendix" and
     .text == "Moldávia | 37 por cento")'

# ---- RTF: Resolution 2290 (2019), in Dutch ------------------------------
# (LibreOffice's save of tests/e2e/sources/nl-resolutie-2290-2019-digitale-
# kloof.fodt)
search "search the .rtf's paragraph 2.2." '"digitale vaardigheden"'
has "2.2. from its number text: Doc. 14948, body, nl, resolution, 2019-10-03" \
    '.hits | any(.doc == "Doc. 14948" and .label == "2.2." and
     .section == "body" and .lang == "nl" and .type == "resolution" and
     .date == "2019-10-03" and (.path | endswith(".rtf")) and
     (.heading | test("Resolutie 2290")) and
     (.title | test("digitale kloof")) and (.refs | index("fn-2") != null))'
search "the .rtf's hyperlink is a field: its text is read" '"website van de Vergadering"'
has "  paragraph 4., without the field's instructions" \
    '.hits | any(.doc == "Doc. 14948" and .label == "4." and
     (.text | test("HYPERLINK|pace[.]coe") | not))'
search "the .rtf's endnote" 'bibliotheekcursussen'
has "  note 2, after the footnote" \
    '.hits | any(.doc == "Doc. 14948" and .section == "footnote" and
     .label == "2")'
search "the .rtf's table, a cell of two paragraphs" '"gemiddelde van de lidstaten"'
has "  a row of the appendix's table" \
    '.hits | any(.doc == "Doc. 14948" and .section == "appendix" and
     .text == "65-74 jaar | 22 procent (gemiddelde van de lidstaten)")'
search "a Dutch stem across the .rtf: vaardigheid" 'vaardigheid bibliotheek'
has "  finds paragraph 2.2." \
    '.hits | any(.doc == "Doc. 14948" and .label == "2.2.")'
search "cites: ETS 5 in the .rtf" 'cites:"ETS nr. 5" ouderen'
has "  paragraph 3." \
    '.hits | any(.doc == "Doc. 14948" and .label == "3.")'

# ---- the reply to Recommendation 2101 (2017) --------------------------
search "search the reply's paragraph 4" '"portability of social rights"'
has "paragraph 4. of Doc. 14487, body, en, reply, 2018-01-24" \
    '.hits | any(.doc == "Doc. 14487" and .label == "4." and
     .section == "body" and .lang == "en" and .type == "reply" and
     .date == "2018-01-24" and (.title | test("co-development")))'
has "its references: the European Social Charter and the Code (ETS 163, 78)" \
    '.hits | any(.doc == "Doc. 14487" and (.refs | index("ets-163") != null))'

search "search the reply's appendix" '"Executive Committee of the North-South Centre welcomes"'
has "appendix item a., section appendix, cites the recommendation" \
    '.hits | any(.label == "a." and .section == "appendix" and
     (.refs | index("pace-rec-2101-2017") != null) and
     (.heading | test("Appendix")))'

search "search a footnote" '"Adopted by the Committee of Ministers on 17 January 2018"'
has "footnote 1 of the reply: label 1, section footnote" \
    '.hits | any(.doc == "Doc. 14487" and .label == "1" and .section == "footnote")'

search "search the reply's type line" '"Reply to Recommendation"'
has "a footnote mark is remembered as fn-1" \
    '.hits | any(.doc == "Doc. 14487" and (.refs | index("fn-1") != null))'

# ---- other languages and scripts --------------------------------------
search "search German" 'Ministerkomitee'
has "German hits: lang de, the date of '11. Februar 2015', type reply" \
    '.hits | any(.lang == "de" and .doc == "Doc. 13702" and
     .date == "2015-02-11" and .type == "reply")'
search "search Greek" 'Συνέλευση'
has "Greek hits: lang el, date from '22 Μαΐου 2015', type recommendation" \
    '.hits | any(.lang == "el" and .date == "2015-05-22" and
     .type == "recommendation")'
search "search Georgian" 'ასამბლეა'
has "Georgian hits: lang ka, date from '2017 წლის 28 აპრილი'" \
    '.hits | any(.lang == "ka" and .date == "2017-04-28" and .type == "resolution")'
search "search the bilingual declaration" 'Strasbourg'
has "bilingual file: English paragraphs en, French paragraphs fr" \
    '[.hits[] | select(.doc == "Doc. 12019") | .lang] | (index("en") != null and index("fr") != null)'
search "search the plain-text declaration" '"undersigned members"'
has "plain text: Doc. 12688, declaration, 2011-06-23, label 1." \
    '.hits | any(.doc == "Doc. 12688" and .type == "declaration" and
     .date == "2011-06-23" and .label == "1.")'

# ---- field filters ------------------------------------------------------
# Probe: does the query language parse fields yet?
"$CMSEARCH" --db "$db" --format json 'lang:fr droits' >"$TMP/probe.json" 2>&1
if [ $? -eq 0 ] && jq -e '.hits | length > 0 and all(.lang == "fr")' \
    "$TMP/probe.json" >/dev/null 2>&1; then
    search "lang:fr droits" 'lang:fr droits'
    has "lang:fr: French paragraphs only" '.hits | length > 0 and all(.lang == "fr")'
    search "year:2018" 'year:2018 Committee'
    has "year:2018: 2018 documents only" \
        '.hits | length > 0 and all(.date | startswith("2018"))'
    search "date range" 'date:2017-01-01..2017-06-30 Assembly'
    has "date:2017-01-01..2017-06-30: dates in range" \
        '.hits | length > 0 and all(.date >= "2017-01-01" and .date <= "2017-06-30")'
    search "doc:14487" 'doc:14487'
    has "doc:14487: that document only" \
        '.hits | length > 0 and all(.doc == "Doc. 14487")'
    search "type:recommendation" 'type:recommendation migrants'
    has "type:recommendation" '.hits | length > 0 and all(.type == "recommendation")'
    search "section:appendix" 'section:appendix Committee'
    has "section:appendix" '.hits | length > 0 and all(.section == "appendix")'
    search "cites" 'cites:"Recommendation 2101 (2017)"'
    has "cites:\"Recommendation 2101 (2017)\": the recommendation and its reply" \
        '[.hits[].doc] | (index("Doc. 14302") != null and index("Doc. 14487") != null)'
    status_is "date:2008-13-45 is a malformed query" 65 \
        "$CMSEARCH" --db "$db" 'date:2008-13-45'
else
    for f in lang year date doc type section cites date-error; do
        skip "field filter $f" "the query parser does not take fields yet"
    done
fi

# An Assembly text named without its year, after the document dated it.
mkdir -p "$TMP/yl"
cat >"$TMP/yl/report.md" <<'DOC'
# Migration and asylum

1. The Assembly recalls its Resolution 1740 (2010) on the situation of
migrants.

2. As Resolution 1740 asked, the member States report every year.

3. The United Nations General Assembly adopted Resolution 895 on the same
day.
DOC
status_is "year-less names: cmindex" 0 "$CMINDEX" --db "$TMP/ylidx" "$TMP/yl"
"$CMSEARCH" --db "$TMP/ylidx" --format json 'cites:"Resolution 1740 (2010)"' \
    >"$TMP/hits.json" 2>"$TMP/err"
has "year-less names: cites: finds the dated mention and the one without" \
    '[.hits[].para] | sort == [2, 3]'
has "  the hit's refs name the text" \
    'all(.hits[]; .refs | index("pace-res-1740-2010") != null)'
has "  the citation highlighted, with its year or without" \
    '[.hits[] | .snippet as $s | .highlights[] | $s[.[0]:.[1]]] | sort == ["Resolution 1740", "Resolution 1740 (2010)"]'
status_is "year-less names: not another body's undated number" 1 \
    "$CMSEARCH" --db "$TMP/ylidx" --count 'cites:"Resolution 895"'

done_testing
