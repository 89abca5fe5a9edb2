/* cm_doc_text.c: the plain-text splitter: blank-line separated blocks,
 * lines joined with a space, labels from the text alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_doc_int.h"

/* ---- plain text ----------------------------------------------------- */

/* "Article 12", "ARTICLE 2bis" alone on a line: the length of the label
 * it makes once its spaces are normalised, written to out. */
static size_t
article_label(const char *s, size_t n, char *out, size_t out_size)
{
    size_t i = 7, d0, d, e;

    while (n > 0 && is_ws((unsigned char)s[n - 1]))
        n--;
    while (n > 0 && is_ws((unsigned char)*s)) {
        s++;
        n--;
    }
    if (n < 9 || strncasecmp(s, "article", 7) != 0 ||
        !is_ws((unsigned char)s[7]))
        return 0;
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    d0 = i;
    while (i < n && is_digit((unsigned char)s[i]))
        i++;
    d = i - d0;
    while (i < n && i - d0 - d < 6 && is_alpha((unsigned char)s[i]))
        i++;
    e = i;
    if (i < n && s[i] == '.')
        i++;
    if (d == 0 || d > 4 || i != n || 8 + (e - d0) >= out_size)
        return 0;
    memcpy(out, s, 7);
    out[7] = ' ';
    memcpy(out + 8, s + d0, e - d0);
    return 8 + (e - d0);
}

static void
text_block(cm_doci_builder *b, cm_doci_acc *a, const char *art, size_t art_len)
{
    if (a->oom)
        b->st = CM_ENOMEM;
    if (art_len > 0) {
        if (a->b.len > 0)
            cm_doci_add_para(b, art, art_len, CM_SECT_BODY, a->b.data,
                             a->b.len);
        else
            cm_doci_add_para(b, art, art_len, CM_SECT_BODY, art, art_len);
    } else if (a->b.len > 0)
        cm_doci_add_labelled(b, a->b.data, a->b.len, CM_SECT_BODY);
    cm_doci_acc_reset(a);
}

void
cm_doci_parse_text(cm_doci_builder *b, const char *t, size_t n)
{
    cm_doci_acc a;
    char art[32];
    size_t art_len = 0, i = 0, e, k;
    int in_block = 0;

    memset(&a, 0, sizeof a);
    while (i <= n && b->st == CM_OK) {
        const char *nl = i < n ? memchr(t + i, '\n', n - i) : NULL;
        e = nl ? (size_t)(nl - t) : n;
        for (k = i; k < e && is_ws((unsigned char)t[k]); k++)
            ;
        if (k == e) { /* a blank line, or the end */
            if (in_block)
                text_block(b, &a, art, art_len);
            in_block = 0;
        } else if (!in_block) {
            in_block = 1;
            art_len = article_label(t + i, e - i, art, sizeof art);
            if (art_len == 0)
                cm_doci_acc_text(&a, t + i, e - i);
        } else {
            cm_doci_acc_space(&a);
            cm_doci_acc_text(&a, t + i, e - i);
        }
        i = e + 1;
    }
    if (in_block && b->st == CM_OK)
        text_block(b, &a, art, art_len); /* no newline at the end */
    free(a.b.data);
}
