#!/bin/sh
# The analyzer's rules end to end, through cmindex and cmsearch on small
# documents: accent folding, elisions, possessives, suffixes after an
# apostrophe, hyphenated compounds, full stops inside words,
# British/American variants, stems (English, French, Dutch, Croatian and
# Serbian, with --lang), and words inside the runs of scripts written
# without spaces (Javanese, Yi), inside Korean's words, and in Chinese and
# Japanese across the words of ICU's dictionary.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq is not installed"

mkdir -p "$TMP/en" "$TMP/fr" "$TMP/xx" "$TMP/nl" "$TMP/stops" "$TMP/jv" \
    "$TMP/hr" "$TMP/sr" "$TMP/tr" "$TMP/cj"
cat >"$TMP/en/doc.md" <<'DOC'
1. The Assembly's reply on co-development was adopted.

2. Whistle-blowers in the Euro-Mediterranean area need protection.

3. The Organisation shall promote co-operation between member States.

4. The World Health Organization and its programme of work.

5. Each migrant shall have the right to an interpreter.

6. See Recommendation CM/Rec(2007)9 of the Committee of Ministers.

7. A colourful centre for the catalogue of judgements.

8. Agreements on codevelopment were signed.
DOC
cat >"$TMP/fr/doc.md" <<'DOC'
1. Le développement durable et les droits de l’homme.

2. Les migrants ont le droit d'alerte dans l'Union.

3. L'arrêt Oršuš c. Croatie concerne l'éducation.

4. Les droits de l'homme sont universels.
DOC
cat >"$TMP/xx/doc.md" <<'DOC'
1. Il Consiglio dell'Europa e la Corte.
DOC
# Texts that lack the space after a full stop (as in the Dutch treaties).
cat >"$TMP/nl/doc.md" <<'DOC'
1. De partijen zullen:

2. c.bevorderen dat er een onafhankelijke evaluatie plaatsvindt;
DOC
cat >"$TMP/stops/doc.md" <<'DOC'
1. Hazardous materials (e.g. sewage sludges) shall be listed.

2. Relations between the U.S.A. and the Council of Europe.Considering the
proposals, international co-operation.The Parties agree.
DOC
# Scripts written without spaces between words, where ICU finds no words
# in a run: "hak-hak umat manungsa" (human rights) in Javanese script,
# and a run of Yi syllables.  Korean is written with spaces, but a word
# is a noun with its particles: "The Council of Europe protects human
# rights and democracy", "Migrants' rights are guaranteed by law".
cat >"$TMP/jv/doc.md" <<'DOC'
1. ꦲꦏ꧀ꦲꦏ꧀ꦲꦸꦩꦠ꧀ꦩꦤꦸꦁꦱ꧉

2. ꃰꊿꑱꈐꊿꂷꃅ。

3. 유럽평의회는 인권과 민주주의를 보호한다.

4. 이주민의 권리는 법률로 보장된다.
DOC

# Chinese and Japanese: "The Council of Europe protects human rights and
# democracy" (Simplified Chinese, then Japanese), "Migrants' rights are
# protected by law, free from discrimination".  ICU's dictionary cuts the
# first into 欧洲 委员会 保护 人权 和 民主, so a piece such as 洲委员 is
# not a run of its words.  The fourth is the first in Traditional
# characters.
cat >"$TMP/cj/doc.md" <<'DOC'
1. 欧洲委员会保护人权和民主。

2. 移民的权利受法律保障，不受歧视。

3. 欧州評議会は人権と民主主義を守る。

4. 歐洲委員會保護人權和民主。
DOC

# Croatian in Latin script and Serbian in Cyrillic (ekavian): one
# stemmer, Serbian's, for both.  The Serbian is long enough to be told
# from Macedonian (a paragraph's own language wins over --lang).
cat >"$TMP/hr/doc.md" <<'DOC'
1. Vijeće Europe štiti ljudska prava i slobodu izražavanja.
DOC
cat >"$TMP/sr/doc.md" <<'DOC'
1. Савет Европе штити право човека на слободу мишљења и уверења, што је
већ дуго његова дужност, и брине о људским правима.
DOC
# Turkish writes a name's case endings after an apostrophe.
cat >"$TMP/tr/doc.md" <<'DOC'
1. Avrupa Konseyi'nin Bakanlar Komitesi, Türkiye'de ifade özgürlüğüne ilişkin kararı kabul etti.
DOC

db=$TMP/idx
status_is "cmindex indexes English with --lang en" 0 \
    "$CMINDEX" --db "$db" --lang en "$TMP/en"
status_is "cmindex indexes French with --lang fr" 0 \
    "$CMINDEX" --db "$db" --lang fr "$TMP/fr"
status_is "cmindex indexes text of unknown language" 0 \
    "$CMINDEX" --db "$db" "$TMP/xx"
status_is "cmindex indexes Dutch with --lang nl" 0 \
    "$CMINDEX" --db "$db" --lang nl "$TMP/nl"
status_is "cmindex indexes more English" 0 \
    "$CMINDEX" --db "$db" --lang en "$TMP/stops"
status_is "cmindex indexes Croatian with --lang hr" 0 \
    "$CMINDEX" --db "$db" --lang hr "$TMP/hr"
status_is "cmindex indexes Serbian with --lang sr" 0 \
    "$CMINDEX" --db "$db" --lang sr "$TMP/sr"
status_is "cmindex indexes Turkish with --lang tr" 0 \
    "$CMINDEX" --db "$db" --lang tr "$TMP/tr"
status_is "cmindex indexes Javanese, Yi and Korean script" 0 \
    "$CMINDEX" --db "$db" "$TMP/jv"
status_is "cmindex indexes Chinese and Japanese" 0 \
    "$CMINDEX" --db "$db" "$TMP/cj"

# finds "name" query dir label: the query's hits include the paragraph
# labelled label of the document in dir.
finds() {
    "$CMSEARCH" --db "$db" --format json --limit 100 "$2" >"$TMP/out" \
        2>"$TMP/err"
    if jq -e --arg d "/$3/doc.md" --arg l "$4" \
        'any(.hits[]; (.path | endswith($d)) and .label == $l)' \
        "$TMP/out" >/dev/null 2>&1; then
        ok 0 "$1"
    else
        ok 1 "$1"
        echo "#   query: $2 (want $3 $4)"
        jq -c '.hits[] | [.path, .label]' "$TMP/out" 2>/dev/null |
            sed 's/^/#   got: /' | head -5
        sed 's/^/#   /' "$TMP/err" | head -5
    fi
}
# misses "name" query dir label: the paragraph is not among the hits.
misses() {
    "$CMSEARCH" --db "$db" --format json --limit 100 "$2" >"$TMP/out" \
        2>"$TMP/err"
    if jq -e --arg d "/$3/doc.md" --arg l "$4" \
        'any(.hits[]; (.path | endswith($d)) and .label == $l)' \
        "$TMP/out" >/dev/null 2>&1; then
        ok 1 "$1"
        echo "#   query: $2 found $3 $4"
    else
        ok 0 "$1"
    fi
}

# Accent folding.
finds "developpement finds développement" developpement fr 1.
finds "DÉVELOPPEMENT finds développement" 'DÉVELOPPEMENT' fr 1.
finds "Orsus finds Oršuš" Orsus fr 3.
finds "Oršuš finds Oršuš" 'Oršuš' fr 3.
finds "arret finds arrêt" arret fr 3.
finds "a phrase without accents" '"arret orsus"' fr 3.

# Elisions.
finds "homme finds l’homme" homme fr 1.
finds "l'homme finds l’homme" "l'homme" fr 1.
finds "l’homme finds l'homme" 'l’homme' fr 4.
finds "the phrase \"droits de l'homme\"" "\"droits de l'homme\"" fr 1.
finds "the phrase \"droits de l’homme\"" '"droits de l’homme"' fr 4.
finds "alerte finds d'alerte" alerte fr 2.
finds "\"droit d'alerte\" as a phrase" "\"droit d'alerte\"" fr 2.
finds "europa finds dell'Europa" europa xx 1.
finds "dell’Europa finds dell'Europa" 'dell’Europa' xx 1.
finds "\"Consiglio dell'Europa\"" "\"Consiglio dell'Europa\"" xx 1.

# Possessives.
finds "Assembly finds Assembly's" Assembly en 1.
finds "Assembly's finds Assembly's" "Assembly's" en 1.
finds "Assembly’s finds Assembly's" 'Assembly’s' en 1.
finds "\"the Assembly's reply\"" "\"the Assembly's reply\"" en 1.

# Hyphenated compounds.
finds "co-development" co-development en 1.
finds "\"co-development\"" '"co-development"' en 1.
finds "\"co development\"" '"co development"' en 1.
finds "codevelopment" codevelopment en 1.
finds "development" development en 1.
finds "\"reply on codevelopment\"" '"reply on codevelopment"' en 1.
# A phrase with a hyphenated compound also finds the joined spelling
# (each compound of a query is tried both ways).  The other way round, a
# joined word inside a phrase only meets a hyphenated text when nothing
# follows it: the parts take two positions, the joined word one.
finds "\"on co-development was\"" '"on co-development was"' en 1.
finds "\"on co-development were\" finds codevelopment" \
    '"on co-development were"' en 8.
finds "co-development finds codevelopment" co-development en 8.
finds "whistleblowers" whistleblowers en 2.
finds "whistle-blowers" whistle-blowers en 2.
finds "\"whistle blowers\"" '"whistle blowers"' en 2.
finds "euromediterranean" euromediterranean en 2.
finds "Euro-Mediterranean" Euro-Mediterranean en 2.
finds "mediterranean" mediterranean en 2.
finds "CM/Rec(2007)9" 'CM/Rec(2007)9' en 6.
finds "\"CM/Rec(2007)9\"" '"CM/Rec(2007)9"' en 6.
finds "\"CM Rec 2007 9\"" '"CM Rec 2007 9"' en 6.

# Full stops between letters split a word like a hyphen, so a missing
# space after a full stop costs nothing; abbreviations also match typed
# without their stops; numbers keep theirs.
finds "bevorderen finds c.bevorderen" bevorderen nl 2.
finds "\"c bevorderen\" finds c.bevorderen" '"c bevorderen"' nl 2.
finds "c.bevorderen finds c.bevorderen" c.bevorderen nl 2.
finds "\"c.bevorderen dat\"" '"c.bevorderen dat"' nl 2.
finds "bevorder finds c.bevorderen (Dutch stem)" bevorder nl 2.
finds "e.g. finds e.g." e.g. stops 1.
finds "eg finds e.g." eg stops 1.
finds "\"(e.g. sewage sludges)\"" '"(e.g. sewage sludges)"' stops 1.
finds "usa finds U.S.A." usa stops 2.
finds "U.S.A. finds U.S.A." U.S.A. stops 2.
finds "considering finds Europe.Considering" considering stops 2.
finds "\"Council of Europe considering\"" \
    '"Council of Europe considering"' stops 2.
finds "\"Europe.Considering the proposals\"" \
    '"Europe.Considering the proposals"' stops 2.
finds "cooperation finds co-operation.The" cooperation stops 2.
finds "\"co-operation the Parties\"" '"co-operation the Parties"' stops 2.
finds "\"international co-operation.The Parties agree\"" \
    '"international co-operation.The Parties agree"' stops 2.

# House-style variants meet (through English stems).
finds "cooperation finds co-operation" cooperation en 3.
finds "co-operation finds co-operation" co-operation en 3.
finds "organization finds Organisation" organization en 3.
finds "organisation finds Organization" organisation en 4.
finds "program finds programme" program en 4.
finds "programmes finds programme" programmes en 4.
finds "colorful finds colourful" colorful en 7.
finds "center finds centre" center en 7.
finds "catalog finds catalogue" catalog en 7.
finds "judgment finds judgements" judgment en 7.

# Stems.
finds "migrants finds migrant (English)" migrants en 5.
finds "protected finds protection" protected en 2.
finds "migrant finds migrants (French)" migrant fr 2.
finds "droit finds droits (French)" droit fr 4.
finds "universel finds universels" universel fr 4.
# Phrases stay exact: no stems inside quotes.
misses "\"each migrants\" does not find \"each migrant\"" \
    '"each migrants"' en 5.
misses "\"universel\" quoted does not find universels" '"universel"' fr 4.
# A stem counts only in its own language: the French stem of "migrants"
# (migr) does not make "migration" match in English.
misses "stems do not cross languages" migrer en 5.
# Croatian, Bosnian and Serbo-Croatian stem as Serbian does, which reads
# Cyrillic as Latin and ijekavian (čovjek) as ekavian (čovek).
finds "pravo finds prava (Croatian)" pravo hr 1.
finds "a Latin word finds its Cyrillic forms" prava sr 1.
finds "a Cyrillic word finds its Latin forms" слобода hr 1.
finds "ijekavian finds ekavian" čovjeka sr 1.
misses "a Croatian word without its stem" izraz hr 1.
# A Turkish name is found without the suffix its apostrophe takes, and
# phrases run through it; a query keeps the suffix it is typed with.
finds "a Turkish name without its suffix" Türkiye tr 1.
finds "the name with its suffix, as written" "Türkiye'de" tr 1.
finds "the name with a typographic apostrophe" "Türkiye’de" tr 1.
finds "a phrase ending at a suffixed word" '"Avrupa Konseyi"' tr 1.
finds "a phrase running through it" '"Konseyi Bakanlar Komitesi"' tr 1.
misses "another suffix is another word" "Türkiye'nin" tr 1.
"$CMSEARCH" --db "$db" --format json "Türkiye" >"$TMP/out" 2>"$TMP/err"
jq -c '.hits[0].highlights' "$TMP/out" >"$TMP/hl" 2>&1
contains "the name highlights without its suffix" "$TMP/hl" '^\[\[38,46\]\]$'

# Words inside a run of a script written without spaces: a word is the
# phrase of its pairs of characters, found wherever the run holds it.
finds "a Javanese word ending a run" ꦩꦤꦸꦁꦱ jv 1.
finds "a Javanese word inside a run" ꦲꦸꦩꦠ꧀ꦩ jv 1.
finds "the whole Javanese run" ꦲꦏ꧀ꦲꦏ꧀ꦲꦸꦩꦠ꧀ꦩꦤꦸꦁꦱ jv 1.
misses "a Javanese word the run does not hold" ꦧꦁꦱ jv 1.
# "umat" typed without the pangkon (the virama) the text writes on its
# last letter: not that word, but word* takes the letter with its sign.
misses "a letter without its sign is another word" ꦲꦸꦩꦠ jv 1.
finds "word* takes the last letter with its sign" 'ꦲꦸꦩꦠ*' jv 1.
# A word of one character (a syllable: a letter with its signs) is its
# own term; each character of a run is indexed too.
finds "a Javanese syllable inside a run" ꦤꦸꦁ jv 1.
finds "the syllable that ends a run" ꦱ jv 1.
misses "a syllable the run does not hold" ꦧꦁ jv 1.
finds "a Yi word inside a run" ꑱꈐ jv 2.
finds "a Yi syllable inside a run" ꈐ jv 2.
misses "Yi syllables in another order" ꈐꑱ jv 2.
"$CMSEARCH" --db "$db" --format json "ꦲꦸꦩꦠ꧀ꦩ" >"$TMP/out" 2>"$TMP/err"
jq -c '.hits[0] | [.snippet, .highlights]' "$TMP/out" >"$TMP/hl" 2>&1
contains "the Javanese word's pairs highlight as one span" "$TMP/hl" \
    '^\["ꦲꦏ꧀ꦲꦏ꧀ꦲꦸꦩꦠ꧀ꦩꦤꦸꦁꦱ꧉",\[\[18,36\]\]\]$'
"$CMSEARCH" --db "$db" --format json "ꦤꦸꦁ" >"$TMP/out" 2>"$TMP/err"
jq -c '.hits[0].highlights' "$TMP/out" >"$TMP/hl" 2>&1
contains "a syllable inside a run highlights alone" "$TMP/hl" '^\[\[36,45\]\]$'

# Korean: a noun typed alone finds it with its particles (권리 in 권리는),
# and a part of a compound (평의회, council, in 유럽평의회는).
finds "a Korean noun with its particle" 인권 jv 3.
finds "a Korean noun with another particle" 민주주의 jv 3.
finds "a Korean noun in a compound" 평의회 jv 3.
finds "a Korean word as written" 권리는 jv 4.
misses "a Korean word the text does not hold" 교육 jv 3.
misses "Korean syllables in another order" 권인 jv 3.
finds "a Korean phrase across words" '"권리는 법률로"' jv 4.
misses "the Korean words in another order" '"법률로 권리는"' jv 4.
"$CMSEARCH" --db "$db" --format json "권리" >"$TMP/out" 2>"$TMP/err"
jq -c '.hits[0] | [.snippet, .highlights]' "$TMP/out" >"$TMP/hl" 2>&1
contains "the Korean noun highlights without its particle" "$TMP/hl" \
    '^\["이주민의 권리는 법률로 보장된다.",\[\[13,19\]\]\]$'

# Chinese and Japanese: any piece of a run, however ICU's dictionary cuts
# the text and the query into words.
finds "a Chinese word" 人权 cj 1.
finds "a Chinese piece across the dictionary's words" 会保护 cj 1.
finds "another Chinese piece across them" 洲委员 cj 1.
finds "a longer Chinese piece" 委员会保护人权 cj 1.
finds "one Chinese character inside a word" 权 cj 2.
finds "a Chinese phrase" '"保护人权"' cj 1.
misses "Chinese characters in another order" 权人 cj 1.
misses "a Chinese word the text does not hold" 教育 cj 1.
misses "a Chinese piece across a comma" 障不 cj 2.
finds "a Chinese piece after a comma" 不受歧视 cj 2.
finds "a Japanese piece across kanji and kana" 会は人 cj 3.
finds "a Japanese word" 民主主義 cj 3.
finds "a Japanese verb and its particle" を守る cj 3.
"$CMSEARCH" --db "$db" --format json "保护人权" >"$TMP/out" 2>"$TMP/err"
jq -c '.hits[0] | [.snippet, .highlights]' "$TMP/out" >"$TMP/hl" 2>&1
contains "a Chinese piece highlights as one span" "$TMP/hl" \
    '^\["欧洲委员会保护人权和民主。",\[\[15,27\]\]\]$'
# Traditional and Simplified characters are one: either finds the other.
finds "Simplified characters find Traditional ones" 保护人权 cj 4.
finds "Traditional characters find Simplified ones" 保護人權 cj 1.
finds "Traditional characters find themselves" '"委員會保護"' cj 4.
misses "folding keeps other characters apart" 保护人民 cj 4.
"$CMSEARCH" --db "$db" --format json "保护人权" >"$TMP/out" 2>"$TMP/err"
jq -c '.hits[] | select(.label == "4.") | [.snippet, .highlights]' \
    "$TMP/out" >"$TMP/hl" 2>&1
contains "Traditional text highlights for a Simplified query" "$TMP/hl" \
    '^\["歐洲委員會保護人權和民主。",\[\[15,27\]\]\]$'

done_testing
