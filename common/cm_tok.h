/* cm_tok.h: the analyzer.  Text becomes terms here and nowhere else: the
 * indexer, the query parser and the snippet highlighter all call it, so a
 * phrase copied from any paragraph finds that paragraph.
 *
 * Built on ICU: word boundaries from a UBRK_WORD break iterator (which also
 * segments Thai, Lao, Khmer and Burmese; Chinese and Japanese it cuts
 * into words which are joined again, below), NFKC case folding
 * (nfkc_cf).  Only word-like segments (letters, ideographs, kana,
 * numbers) become tokens.
 *
 * Every token carries its byte range in the original UTF-8 text, so that
 * snippets highlight without tokenising again, and its word position.
 *
 * The rules, applied alike whatever the language (the query side does not
 * know the language, and both sides must give the same terms and
 * positions):
 *
 * - Accent folding: a term is the NFKC_Casefold form with the combining
 *   marks (Mn) of Latin and Greek letters removed (e with acute -> e, s with
 *   caron -> s, Greek tonos and breathings); in Cyrillic only stress accents
 *   on vowels and the diaeresis of yo (yo -> ie), so that short i, Ukrainian
 *   yi and Macedonian gje stay letters.  Other scripts keep their marks
 *   (Japanese voiced kana, Devanagari vowel signs, Arabic harakat).  The
 *   letters l-stroke, o-stroke, d-stroke, h-stroke, t-stroke and dotless i
 *   fold to l, o, d, h, t, i; oe and ae ligatures to "oe", "ae".
 *   Apostrophes U+2019 and U+02BC become U+0027.
 * - Traditional Chinese characters fold to their Simplified forms (ren
 *   quan: the character quan with the wood radical becomes the simplified
 *   quan), one character for one, by the table gen_hanfold makes from
 *   ICU's Traditional-Simplified transliterator when the project is built
 *   (cm_hanfold.h): a text in either script finds the other.  Japanese
 *   kanji that are Traditional forms fold too, on both sides alike; the
 *   transliterator maps a few different Traditional characters to one
 *   Simplified character (hair and to send out both to fa), which then
 *   find each other.
 * - Elisions: l', d', qu', j', m', t', s', n', c', jusqu', lorsqu',
 *   puisqu', quoiqu', dell', nell', all', dall', sull', coll', pell', un',
 *   gl', v', ... (French, Italian, Catalan) before a word are dropped: the
 *   article is not a term and takes no position; the token's range is the
 *   word after the apostrophe.  A trailing 's (possessive, or a Dutch
 *   plural such as foto's) is dropped too.
 * - Suffixes after an apostrophe: Turkish and Azerbaijani write a proper
 *   name's case endings after one (Türkiye'nin, AİHM'ye, Avrupa
 *   Konseyi'nde).  A word of Latin letters with one apostrophe inside,
 *   at least two letters before it and one to seven after, stays one
 *   token (türkiye'nin), and the letters before the apostrophe follow it
 *   as a CM_TOK_BASE alternative at its position (türkiye), with their
 *   stem.  English contractions get one too (can't: can), and O'Neill,
 *   with one letter before, none.
 * - Hyphenated compounds (U+002D, U+2010, U+2011 between two word segments
 *   with no space, at least one part made of letters): each part is a
 *   token at its own position, and the joined form (co-development ->
 *   codevelopment) is a CM_TOK_ALT token at the first part's position whose
 *   range covers the whole compound.  Tokens come as part 1, joined, part
 *   2, ..., part n.
 * - Full stops inside a word (U+002E and its NFKC forms U+2024, U+FE52,
 *   U+FF0E, between two characters that are not digits): ICU keeps
 *   "c.bevorderen", "Europe.Considering", "e.g" and "u.s.a" as one word,
 *   but texts often lack the space after a full stop.  The word is split
 *   like a compound: each piece a token at its own position, the joined
 *   form without the stops (eg, usa, cbevorderen) a CM_TOK_ALT token at
 *   the first piece's position.  Numbers keep theirs (3.14, 1.000,50).  A
 *   hyphen binds closer: co-operation.The is the compound co-operation,
 *   then "the"; Europe.Co-operation is "europe", then the compound.  A
 *   group has at most eight pieces, like a compound.
 * - Scripts written without spaces between words that ICU has no
 *   dictionary for (Javanese, Balinese, Sundanese, Buginese, Makasar,
 *   Batak, Rejang, Cham, Tai Tham, New Tai Lue, Tai Le, Yi): ICU gives a
 *   whole run of text, up to a space or punctuation, as one word.  Such a
 *   word segment (of letters; numbers stay whole) becomes its overlapping
 *   pairs of grapheme clusters, each a token at its own position with the
 *   byte range of its pair (a run of one cluster: that cluster).  A word
 *   typed in a query becomes the phrase of its pairs and so is found
 *   anywhere inside a run; word* takes any pair its last pair begins
 *   (cm_query.c).  Each character of a run of two or more is also a
 *   CM_TOK_ONE alternative at the position of the pair it begins (the
 *   last at the last pair's), so that a word of one character, which is
 *   its own term, is found inside a run too.  Korean (Hangul) is
 *   taken the same way: it is written with spaces, but a word is a noun
 *   with its particles (gwon-ri-reul, "the right" as an object), so the
 *   noun typed alone (gwon-ri) is found as the first pair of that word.
 *   Chinese and Japanese (Han, Hiragana, Katakana) too: ICU's dictionary
 *   cuts them into words, but a piece of text typed in a query is cut
 *   its own way (a piece that ends inside a dictionary word, or a word
 *   the dictionary lacks) and its words were then not the text's.  The
 *   dictionary words that follow each other without a gap are joined
 *   into one run first, and the run goes as above, so any piece of it,
 *   down to one character, is found inside it.  Thai, Lao, Khmer and
 *   Burmese come as words from ICU's dictionaries.
 * - Stems: with a language that has a Snowball stemmer (libstemmer), each
 *   token of letters gets a stem: the stemmer sees the case-folded word
 *   with its accents, and the stem is then accent-folded like a term.  In
 *   English the stemmer's input first has British spellings mapped to
 *   American ones by suffix rules (see cm_tok_en_variant()), so that
 *   organisation/organization, colour/color, centre/center,
 *   programme/program, catalogue/catalog and judgement/judgment share a
 *   stem; terms stay as written.  Polish, Czech, Slovak, Slovenian,
 *   Bulgarian, Ukrainian, Latvian, Macedonian and Belarusian, which have
 *   no Snowball stemmer, take a word's first six letters as its stem
 *   (truncation: cm_tok.c says what it finds).
 */
#ifndef CM_TOK_H
#define CM_TOK_H

#include <stddef.h>
#include "cm_status.h"

CM_BEGIN_DECLS

typedef struct cm_tok cm_tok;

/* Token flags. */
#define CM_TOK_ALT 0x01 /* an alternative form at the same position as the
                           previous token (e.g. a joined compound), not a
                           word of its own: index it, never phrase it; its
                           range covers all the words it stands for */
#define CM_TOK_WORD 0x02 /* made of letters (not a number, an ideograph or
                           kana): it can have a stem */
#define CM_TOK_PAIR 0x04 /* one of the overlapping pairs of characters of
                           a run of three or more of a script written
                           without spaces (a run of two is one token, as
                           a word is) */
#define CM_TOK_ONE 0x08  /* with CM_TOK_ALT: one character of such a run
                           (of two or more), after the pair it begins, at
                           its position (the run's last character after
                           the last pair, at its position too), for a
                           query word of one character; a query's own
                           analysis skips these */
#define CM_TOK_BASE 0x10 /* with CM_TOK_ALT: the word before an apostrophe
                           and a suffix of Latin letters (Turkish
                           Türkiye'nin, Avrupa Konseyi'nde: türkiye,
                           konseyi), at the word's position, so that the
                           name typed alone finds it; a query's own
                           analysis skips these, as it does CM_TOK_ONE */

typedef struct cm_token {
    const char *term; /* the matching form: NUL-terminated UTF-8 */
    size_t term_len;
    const char *stem; /* its stem in the text's language, or NULL */
    size_t stem_len;
    size_t start;     /* byte range [start, end) of the word in the input */
    size_t end;
    unsigned pos;     /* word position, from 0; ALT tokens share it */
    unsigned flags;   /* CM_TOK_* */
} cm_token;

/* A new analyzer.  One per thread; it is not thread-safe.  On failure *out
 * is NULL and *errmsg (if errmsg is not NULL) a malloc'd message. */
cm_status cm_tok_new(cm_tok **out, char **errmsg) CM_NOEXCEPT CM_MUST_CHECK;
void cm_tok_free(cm_tok *t) CM_NOEXCEPT;

/* Start tokenising text[0..text_len) (UTF-8; invalid sequences are treated
 * as separators).  lang is an ISO 639-1 code ("en", "fr") or NULL for
 * unknown; it selects the stemmer and language rules.  text must stay valid
 * and unchanged until the last cm_tok_next() call.  Returns CM_EINVAL for a
 * text over 2^31 bytes, CM_ENOMEM. */
cm_status cm_tok_reset(cm_tok *t, const char *text, size_t text_len,
                       const char *lang) CM_NOEXCEPT CM_MUST_CHECK;

/* The next token, or *tok = NULL at the end.  *tok and the strings in it
 * point into t and stay valid until the next call on t.  Terms longer than
 * CM_TOK_MAX_TERM bytes are skipped (they could not be indexed). */
cm_status cm_tok_next(cm_tok *t,
                      const cm_token **tok) CM_NOEXCEPT CM_MUST_CHECK;

/* Number of tokens skipped because they were too long since the last
 * reset (so that callers can warn). */
unsigned cm_tok_skipped(const cm_tok *t) CM_NOEXCEPT;

/* The last error on t ("" when none). */
const char *cm_tok_errmsg(const cm_tok *t) CM_NOEXCEPT;

/* Stem tok, a token just returned by cm_tok_next(t, ...) and still valid,
 * as a word of language lang (see cm_tok_reset()), the way the indexer
 * stems text of that language: for the query side, which does not know
 * the language of the text it looks for.  *stem is NULL when lang has no
 * stemmer or tok is not a word (no CM_TOK_WORD); else it points into t,
 * valid until the next call on t.  CM_EINVAL when tok is not t's. */
cm_status cm_tok_stem(cm_tok *t, const cm_token *tok, const char *lang,
                      const char **stem,
                      size_t *stem_len) CM_NOEXCEPT CM_MUST_CHECK;

/* Stem term[0..len), a term as cm_tok_next() makes them (case and accents
 * folded), by lang's stemmer, through the same cache: *stem NULL when lang
 * has no stemmer or it gives none; else it points into t, valid until the
 * next call of this function on t.  A word is its own stem or not as its
 * term is (cm_schema.h). */
cm_status cm_tok_stem_term(cm_tok *t, const char *lang, const char *term,
                           size_t len, const char **stem,
                           size_t *stem_len) CM_NOEXCEPT CM_MUST_CHECK;

/* The i-th language code (ISO 639-1) with a stemmer, from 0, or NULL past
 * the last.  Several codes may share a stemmer (no, nb, nn). */
const char *cm_tok_stem_lang(size_t i) CM_NOEXCEPT;

/* The code that names lang's stemmer (lang as for cm_tok_reset(): "nb",
 * "en-GB", "english"): the first of cm_tok_stem_lang()'s codes with that
 * stemmer ("no", "en", "en"); NULL when lang has none.  Stem terms are
 * keyed by it, so that the indexer and the query agree. */
const char *cm_tok_stem_code(const char *lang) CM_NOEXCEPT;

/* 0 when the stemmer of lang certainly gives the term[0..len) back as it
 * is: all its letters are of one script that the stemmer does not read (a
 * Latin word for the Russian stemmer, a Cyrillic one for the English
 * stemmer).  Its stem term then only finds paragraphs that have the term
 * itself.  1 otherwise: a script it reads, mixed scripts, or other signs
 * than letters and marks (Catalan's stemmer rewrites a middle dot). */
int cm_tok_stem_reads(const char *lang, const char *term,
                      size_t len) CM_NOEXCEPT;

/* 1 when the stem that lang's stemmer gives a word whose term begins
 * with a letter a-z or a non-ASCII character begins with that same
 * character (both folded), so that a word cannot have a stem of another
 * initial: the snippet highlighter stems only the words that share one
 * with a query stem.  0 for no stemmer, and for the stemmers that remove
 * prefixes (Arabic articles, Indonesian me-, di-, ber-, Irish initial
 * mutations, Tamil, Yiddish ge-), rewrite the script (Serbian: Cyrillic to
 * Latin) or the last letter of a stem that may be all of it (Turkish
 * b -> p, Lithuanian c-caron -> t).  English removes a leading apostrophe:
 * the reason for "a letter". */
int cm_tok_stem_keeps_initial(const char *lang) CM_NOEXCEPT;

/* The English variant rule on its own, for tests: write into out (room for
 * n + 3 bytes) the word w[0..n) (lower case) with a British suffix spelled
 * the American way (organise, -isation, -yse, -our, -tre, -bre, -amme,
 * -ogue, -dgement, and their inflections, after a stem of at least 2 or 3
 * letters) and return its length; w unchanged when no rule applies. */
size_t cm_tok_en_variant(const char *w, size_t n, char *out) CM_NOEXCEPT;

/* Longest term emitted, in bytes; leaves room for a prefix within
 * CM_DB_MAX_TERM. */
#define CM_TOK_MAX_TERM 200

CM_END_DECLS

#endif
