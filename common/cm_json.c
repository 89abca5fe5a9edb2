/* cm_json.c: search results as JSON (cm_json.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_json.h"
#include "cm_util.h"

json_t *
cm_json_string(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    char *fixed, *o;
    size_t i, len;

    if (j != NULL || s == NULL)
        return j;
    if (n > ((size_t)-1) / 3 || (fixed = malloc(n * 3 + 1)) == NULL)
        return NULL;
    for (i = 0, o = fixed; i < n; i += len) {
        if ((len = cm_utf8_strict_len(s + i, n - i)) == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            len = 1;
        } else {
            memcpy(o, s + i, len);
            o += len;
        }
    }
    j = json_stringn(fixed, (size_t)(o - fixed));
    free(fixed);
    return j;
}

/* o[key] = the string s (NUL-terminated); 0, or -1 when out of memory. */
static int
set_str(json_t *o, const char *key, const char *s)
{
    return json_object_set_new(o, key, cm_json_string(s, strlen(s)));
}

static json_t *
json_hit(const cm_hit *h, int by_doc, const cm_config *cfg, int base_names)
{
    char *url = cm_config_link(cfg, h->path);
    json_t *refs = json_array(), *hl = json_array(), *o = json_object();
    size_t j;
    int bad = refs == NULL || hl == NULL || o == NULL;

    for (j = 0; !bad && j < h->n_refs; j++)
        bad = json_array_append_new(refs, cm_json_string(h->refs[j],
                                               strlen(h->refs[j]))) != 0;
    for (j = 0; !bad && j < h->n_highlights; j++)
        bad = json_array_append_new(
                  hl, json_pack("[I, I]", (json_int_t)h->highlights[j].start,
                                (json_int_t)h->highlights[j].end)) != 0;
    if (!bad)
        bad = json_object_set_new(o, "rank", json_integer(h->rank)) != 0 ||
              json_object_set_new(o, "score", json_real(h->score)) != 0 ||
              set_str(o, "path",
                      base_names ? cm_base_name(h->path) : h->path) != 0 ||
              json_object_set_new(o, "para", json_integer(h->para)) != 0 ||
              set_str(o, "label", h->label) != 0 ||
              set_str(o, "section", h->section) != 0 ||
              set_str(o, "heading", h->heading) != 0 ||
              set_str(o, "text", h->text) != 0 ||
              set_str(o, "lang", h->lang) != 0 ||
              set_str(o, "doc", h->doc) != 0 ||
              set_str(o, "title", h->title) != 0 ||
              set_str(o, "date", h->date) != 0 ||
              set_str(o, "type", h->type) != 0 ||
              json_object_set(o, "refs", refs) != 0 ||
              json_object_set_new(o, "snippet",
                                  cm_json_string(h->snippet, h->snippet_len)) != 0 ||
              json_object_set(o, "highlights", hl) != 0 ||
              json_object_set_new(o, "docid", json_integer(h->docid)) != 0;
    if (!bad && by_doc)
        bad = json_object_set_new(o, "collapsed",
                                  json_integer(h->collapsed)) != 0;
    if (!bad && url != NULL)
        bad = set_str(o, "url", url) != 0;
    if (!bad)
        bad = json_object_set_new(o, "page", h->page > 0
                                                 ? json_integer(h->page)
                                                 : json_null()) != 0;
    free(url);
    json_decref(refs);
    json_decref(hl);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* o's "languages" ([{"lang", "count"}, ...], most first) and
 * "languages_exact"; 0, or -1 when out of memory. */
static int
json_langs(json_t *o, const cm_results *res)
{
    json_t *a = json_array(), *l;
    size_t i;

    if (a == NULL)
        return -1;
    for (i = 0; i < res->n_langs; i++) {
        l = json_pack("{s:o, s:I}", "lang",
                      cm_json_string(res->langs[i].code,
                                     strlen(res->langs[i].code)),
                      "count", (json_int_t)res->langs[i].count);
        if (l == NULL || json_array_append_new(a, l) != 0) {
            json_decref(a);
            return -1;
        }
    }
    if (json_object_set_new(o, "languages", a) != 0)
        return -1;
    return json_object_set_new(o, "languages_exact",
                               json_boolean(res->langs_exact));
}

json_t *
cm_json_results(const char *query, const cm_results *res,
                const cm_search_opts *op, const cm_config *cfg,
                int base_names)
{
    json_t *hits = json_array(), *o;
    size_t i;
    int bad = 0;

    if (hits == NULL)
        return NULL;
    for (i = 0; i < res->n_hits; i++) {
        o = json_hit(&res->hits[i], op->by_doc, cfg, base_names);
        if (o == NULL || json_array_append_new(hits, o) != 0) {
            json_decref(hits);
            return NULL;
        }
    }
    o = json_pack("{s:o, s:I, s:b, s:{s:I, s:I}, s:I, s:I, s:o}", "query",
                  cm_json_string(query, strlen(query)), "total",
                  (json_int_t)res->total, "total_exact",
                  res->total_exact, "totals", "lower",
                  (json_int_t)res->total_lower, "upper",
                  (json_int_t)res->total_upper, "offset",
                  (json_int_t)op->offset, "limit", (json_int_t)op->limit,
                  "hits", hits);
    if (o == NULL)
        return NULL;
    if (res->suggestion) {
        bad |= set_str(o, "suggestion", res->suggestion);
        bad |= json_object_set_new(o, "suggestion_total",
                                   json_integer(res->suggestion_total));
    } else {
        bad |= json_object_set_new(o, "suggestion", json_null());
    }
    if (res->explain)
        bad |= set_str(o, "explain", res->explain);
    if (res->like_words)
        bad |= set_str(o, "like", res->like_words);
    if (res->langs_counted)
        bad |= json_langs(o, res);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
