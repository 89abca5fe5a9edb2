/* stem_truth.c: the stem oracle of t-stems.sh.  For words picked from the
 * paragraphs of an index, compare the paragraphs that cmsearch counts for
 * the word with those that should match, found by brute force from the
 * stored paragraphs: a paragraph matches a word when it holds the word's
 * term, or when its language has a stemmer and one of its words stems
 * (with the analyzer, as cmindex stems it) to the word's stem in that
 * language (as the searcher stems the word).  That is what stem terms
 * meant when every word had one; the index leaves them out for words that
 * are their own stem (cm_schema.h), and this checks nothing was lost or
 * gained by that.
 *
 *   stem_truth [-n words] [-s seed] [-w word]... DB
 *
 * -w checks that word too (before the picked ones).
 * Words with synonyms (an acronym and its expansion, learnt by cmindex)
 * are left out: they match their synonyms too.  Prints one line per word
 * whose counts differ and a last line "N words,
 * K differ"; exits 1 when K > 0.  Words come from a fixed-seed generator,
 * so they are the same on every run. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cm_data.h"
#include "cm_db.h"
#include "cm_search.h"
#include "cm_strset.h"
#include "cm_tok.h"
#include "xorshift.h"


/* A stored paragraph: its language, its terms, its words' stems. */
typedef struct para {
    char lang[16];
    char *text;
    cm_strset *terms, *stems;
} para;

static void
die(const char *what)
{
    fprintf(stderr, "stem_truth: %s\n", what);
    exit(2);
}

/* Read every paragraph of db and analyse it as cmindex does. */
static para *
load(cm_db *db, cm_tok *tok, size_t *n_out)
{
    unsigned last = 0, id;
    para *ps;
    size_t n = 0;

    if (cm_db_last_docid(db, &last) != CM_OK)
        die("cannot read the index");
    ps = calloc(last + 1, sizeof *ps);
    if (ps == NULL)
        die("out of memory");
    for (id = 1; id <= last; id++) {
        cm_xdoc *d = NULL;
        const char *data = NULL;
        size_t len = 0;
        cm_data *o = NULL;
        const cm_token *t;
        para *p = &ps[n];

        if (cm_db_get_document(db, id, &d) != CM_OK)
            continue; /* a docid no longer used */
        if (cm_xdoc_get_data(d, &data, &len) != CM_OK ||
            cm_data_parse(data, len, &o) != CM_OK) {
            cm_xdoc_free(d);
            continue;
        }
        if ((p->text = strdup(o->text)) == NULL ||
            cm_strset_new(&p->terms) != CM_OK ||
            cm_strset_new(&p->stems) != CM_OK)
            die("out of memory");
        snprintf(p->lang, sizeof p->lang, "%s", o->lang);
        if (cm_tok_reset(tok, p->text, strlen(p->text),
                         p->lang[0] ? p->lang : NULL) != CM_OK)
            die("cm_tok_reset");
        while (cm_tok_next(tok, &t) == CM_OK && t != NULL) {
            if (cm_strset_add(p->terms, t->term, t->term_len) != CM_OK ||
                (t->stem != NULL &&
                 cm_strset_add(p->stems, t->stem, t->stem_len) != CM_OK))
                die("out of memory");
        }
        free(o);
        cm_xdoc_free(d);
        n++;
    }
    *n_out = n;
    return ps;
}

/* The one token of word[0..len) as the searcher reads it, or NULL (none,
 * or a part of it only: a compound, an elision). */
static const cm_token *
one_token(cm_tok *tok, const char *word, size_t len)
{
    const cm_token *t = NULL;

    if (cm_tok_reset(tok, word, len, NULL) != CM_OK ||
        cm_tok_next(tok, &t) != CM_OK || t == NULL ||
        !(t->flags & CM_TOK_WORD) || t->start != 0 || t->end != len)
        return NULL;
    return t;
}

/* The paragraphs of ps that should match word[0..len); (unsigned)-1 when
 * the searcher does not read it as one word. */
static unsigned
expected(cm_tok *tok, para *ps, size_t n, const char *word, size_t len)
{
    enum { MAX_LANGS = 64 };
    const cm_token *t = one_token(tok, word, len);
    char term[CM_TOK_MAX_TERM + 1];
    char langs[MAX_LANGS][16], stems[MAX_LANGS][CM_TOK_MAX_TERM + 1];
    int has[MAX_LANGS];
    size_t n_langs = 0, i, k, term_len;
    unsigned count = 0;

    if (t == NULL)
        return (unsigned)-1;
    term_len = t->term_len;
    memcpy(term, t->term, term_len);
    term[term_len] = '\0';
    for (i = 0; i < n; i++) {
        if (cm_strset_count(ps[i].terms, term, term_len) > 0) {
            count++;
            continue;
        }
        if (ps[i].lang[0] == '\0')
            continue;
        for (k = 0; k < n_langs && strcmp(langs[k], ps[i].lang) != 0; k++)
            ;
        if (k == n_langs) {
            /* The word's stem in this language, as the searcher takes it
             * (once per language). */
            const char *stem = NULL;
            size_t stem_len = 0;
            if (k == MAX_LANGS)
                die("too many languages");
            snprintf(langs[k], sizeof langs[k], "%s", ps[i].lang);
            has[k] = 0;
            t = one_token(tok, word, len);
            if (t != NULL &&
                cm_tok_stem_reads(ps[i].lang, term, term_len) &&
                cm_tok_stem(tok, t, ps[i].lang, &stem, &stem_len) == CM_OK &&
                stem != NULL) {
                memcpy(stems[k], stem, stem_len);
                stems[k][stem_len] = '\0';
                has[k] = 1;
            }
            n_langs++;
        }
        if (has[k] &&
            cm_strset_count(ps[i].stems, stems[k], strlen(stems[k])) > 0)
            count++;
    }
    return count;
}

static int
any(void *ctx, const char *s, size_t len, unsigned count)
{
    (void)s;
    (void)len;
    (void)count;
    *(int *)ctx = 1;
    return 1;
}

static int
has_synonyms(cm_db *db, const char *term)
{
    int found = 0;
    return cm_db_synonyms(db, term, any, &found) == CM_OK && found;
}

int
main(int argc, char **argv)
{
    unsigned n_words = 300, seed = 1, w, differ = 0, tried = 0;
    const char *given[16];
    size_t n_given = 0;
    cm_db *db = NULL;
    cm_tok *tok = NULL;
    para *ps;
    size_t n, i;
    int c;

    while ((c = getopt(argc, argv, "n:s:w:")) != -1) {
        if (c == 'n')
            n_words = (unsigned)strtoul(optarg, NULL, 10);
        else if (c == 's')
            seed = (unsigned)strtoul(optarg, NULL, 10);
        else if (c == 'w' && n_given < sizeof given / sizeof given[0])
            given[n_given++] = optarg;
        else
            die("usage: stem_truth [-n words] [-s seed] [-w word]... DB");
    }
    if (optind != argc - 1)
        die("usage: stem_truth [-n words] [-s seed] [-w word]... DB");
    rng ^= seed;
    if (cm_db_open(argv[optind], &db, NULL) != CM_OK)
        die("cannot open the index");
    if (cm_tok_new(&tok, NULL) != CM_OK)
        die("cannot make an analyzer");
    ps = load(db, tok, &n);
    if (n == 0)
        die("no paragraphs");
    n_words += (unsigned)n_given;
    for (w = 0; w < n_words * 4 && tried < n_words; w++) {
        const para *p = &ps[rnd((unsigned)n)];
        const cm_token *t;
        char word[CM_TOK_MAX_TERM * 4 + 1];
        size_t len, k = 0, pick;
        unsigned want, got;
        cm_search_opts o;
        cm_results *res = NULL;
        cm_query_error qerr;
        char *err = NULL;

        /* A word given, or a word of letters of the paragraph, as it is
         * written there. */
        if (w < n_given) {
            snprintf(word, sizeof word, "%s", given[w]);
            goto search;
        }
        if (cm_tok_reset(tok, p->text, strlen(p->text),
                         p->lang[0] ? p->lang : NULL) != CM_OK)
            continue;
        pick = rnd(64);
        word[0] = '\0';
        while (cm_tok_next(tok, &t) == CM_OK && t != NULL) {
            if (!(t->flags & CM_TOK_WORD) || (t->flags & CM_TOK_ALT))
                continue;
            if (k++ == pick || word[0] == '\0') {
                len = t->end - t->start;
                if (len >= sizeof word)
                    continue;
                memcpy(word, p->text + t->start, len);
                word[len] = '\0';
            }
        }
        if (word[0] == '\0')
            continue;
search:
        len = strlen(word);
        /* An acronym cmindex learnt brings its expansion along: not the
         * stems' business. */
        t = one_token(tok, word, len);
        if (t == NULL || has_synonyms(db, t->term) ||
            (want = expected(tok, ps, n, word, len)) == (unsigned)-1) {
            if (w < n_given) {
                printf("%s: not one word without synonyms\n", word);
                differ++;
                tried++;
            }
            continue;
        }
        memset(&o, 0, sizeof o);
        o.plain = 1;
        o.count_only = 1;
        /* Every other word searched with the analyzer the oracle uses
         * (cm_search_opts.tok: kept across searches, its stem cache
         * warm), the others with one of the search's own. */
        if (tried % 2 == 1)
            o.tok = tok;
        if (cm_search_run(db, word, len, &o, &res, &qerr, &err) != CM_OK) {
            printf("%s: search failed: %s\n", word, err ? err : qerr.message);
            free(err);
            differ++;
            tried++;
            continue;
        }
        got = res->total;
        cm_results_free(res);
        tried++;
        if (got != want) {
            printf("%s\t%s\tcmsearch %u, expected %u\n",
                   w < n_given ? "-" : p->lang, word, got, want);
            differ++;
        }
    }
    printf("%u words, %u differ\n", tried, differ);
    for (i = 0; i < n; i++) {
        free(ps[i].text);
        cm_strset_free(ps[i].terms);
        cm_strset_free(ps[i].stems);
    }
    free(ps);
    cm_tok_free(tok);
    cm_db_close(db);
    return differ > 0;
}
