/* cm_query.c: query text -> Xapian query tree, through the analyzer. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_query.h"
#include "cm_schema.h"
#include "cm_util.h"

/* The parser's state: the text, where we are, and the subqueries made so
 * far (all freed at the end; combining copies what it needs). */
typedef struct parser {
    const char *text;
    size_t len, at;
    cm_tok *tok;
    cm_query_error *err;
    cm_xquery **items; /* top-level items, AND'ed */
    size_t n_items, cap_items;
    unsigned n_terms;
} parser;

static cm_status
fail(parser *p, size_t byte_at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cm_status
fail(parser *p, size_t byte_at, const char *fmt, ...)
{
    va_list ap;
    p->err->column = (unsigned)cm_utf8_columns(p->text, byte_at) + 1;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    return CM_EQUERY;
}

static cm_status
push_item(parser *p, cm_xquery *q)
{
    if (p->n_items == p->cap_items) {
        size_t cap = p->cap_items ? p->cap_items * 2 : 8;
        cm_xquery **n = realloc(p->items, cap * sizeof *n);
        if (n == NULL) {
            cm_xquery_free(q);
            return CM_ENOMEM;
        }
        p->items = n;
        p->cap_items = cap;
    }
    p->items[p->n_items++] = q;
    return CM_OK;
}

static void
free_all(cm_xquery **qs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        cm_xquery_free(qs[i]);
}

/* One position of a phrase: the term, or the OR of the term and its
 * alternatives (a joined compound). */
typedef struct slot {
    cm_xquery *subs[4];
    size_t n;
} slot;

static cm_status
slot_query(slot *s, cm_xquery **out)
{
    if (s->n == 1) {
        *out = s->subs[0];
        s->n = 0;
        return CM_OK;
    }
    return cm_xquery_combine(CM_XQ_OR, s->subs, s->n, 0, out);
}

/* Analyze text[start..end) and append the query for it: nothing when it
 * has no words, a term for one word, a phrase for several. */
static cm_status
add_words(parser *p, size_t start, size_t end)
{
    cm_xquery **pos = NULL, *q = NULL;
    size_t n_pos = 0, cap_pos = 0;
    slot cur = {{NULL}, 0};
    const cm_token *t;
    cm_status st;

    st = cm_tok_reset(p->tok, p->text + start, end - start, NULL);
    while (st == CM_OK) {
        st = cm_tok_next(p->tok, &t);
        if (st != CM_OK || t == NULL)
            break;
        if (++p->n_terms > CM_QUERY_MAX_TERMS) {
            st = fail(p, start + t->start, "too many words (at most %d)",
                      CM_QUERY_MAX_TERMS);
            break;
        }
        if (!(t->flags & CM_TOK_ALT) && cur.n > 0) {
            if (n_pos == cap_pos) {
                size_t cap = cap_pos ? cap_pos * 2 : 8;
                cm_xquery **np = realloc(pos, cap * sizeof *np);
                if (np == NULL) {
                    st = CM_ENOMEM;
                    break;
                }
                pos = np;
                cap_pos = cap;
            }
            st = slot_query(&cur, &pos[n_pos]);
            free_all(cur.subs, cur.n);
            cur.n = 0;
            if (st != CM_OK)
                break;
            n_pos++;
        }
        if (cur.n == sizeof cur.subs / sizeof cur.subs[0])
            continue; /* more alternatives than we keep: the first suffice */
        st = cm_xquery_term(t->term, t->term_len, 1, t->pos + 1,
                            &cur.subs[cur.n]);
        if (st == CM_OK)
            cur.n++;
    }
    if (st == CM_OK && cur.n > 0) {
        if (n_pos == cap_pos) {
            cm_xquery **np = realloc(pos, (cap_pos + 1) * sizeof *np);
            if (np == NULL)
                st = CM_ENOMEM;
            else
                pos = np;
        }
        if (st == CM_OK && (st = slot_query(&cur, &pos[n_pos])) == CM_OK)
            n_pos++;
    }
    free_all(cur.subs, cur.n);
    if (st == CM_OK && n_pos == 1) {
        st = push_item(p, pos[0]);
        n_pos = 0;
    } else if (st == CM_OK && n_pos > 1) {
        st = cm_xquery_combine(CM_XQ_PHRASE, pos, n_pos, 0, &q);
        if (st == CM_OK)
            st = push_item(p, q);
    }
    free_all(pos, n_pos);
    free(pos);
    return st;
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A quoted phrase starts at p->at (the opening quote). */
static cm_status
parse_phrase(parser *p)
{
    size_t open = p->at, end;
    const char *close = memchr(p->text + open + 1, '"', p->len - open - 1);

    if (close == NULL)
        return fail(p, open, "unclosed quote");
    end = (size_t)(close - p->text);
    p->at = end + 1;
    return add_words(p, open + 1, end);
}

static cm_status
parse_word(parser *p)
{
    size_t start = p->at;
    while (p->at < p->len && !is_space(p->text[p->at]) &&
           p->text[p->at] != '"')
        p->at++;
    return add_words(p, start, p->at);
}

cm_status
cm_query_parse(const char *text, size_t text_len, cm_tok *tok,
               cm_xquery **out, cm_query_error *err)
{
    parser p;
    cm_status st = CM_OK;

    *out = NULL;
    memset(err, 0, sizeof *err);
    memset(&p, 0, sizeof p);
    p.text = text;
    p.len = text_len;
    p.tok = tok;
    p.err = err;
    if (text_len > CM_QUERY_MAX_BYTES)
        return fail(&p, CM_QUERY_MAX_BYTES, "query too long (over %d bytes)",
                    CM_QUERY_MAX_BYTES);
    if (memchr(text, '\0', text_len) != NULL)
        return fail(&p, (size_t)((const char *)memchr(text, '\0', text_len) -
                                 text),
                    "NUL character in query");
    while (st == CM_OK && p.at < p.len) {
        if (is_space(text[p.at]))
            p.at++;
        else if (text[p.at] == '"')
            st = parse_phrase(&p);
        else
            st = parse_word(&p);
    }
    if (st == CM_OK && p.n_items == 0)
        st = fail(&p, 0, "the query has no words to search for");
    if (st == CM_OK && p.n_items == 1) {
        *out = p.items[0];
        p.n_items = 0;
    } else if (st == CM_OK) {
        st = cm_xquery_combine(CM_XQ_AND, p.items, p.n_items, 0, out);
    }
    free_all(p.items, p.n_items);
    free(p.items);
    return st;
}
