/* test_data.c: a paragraph's document data, the record (cm_data.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm_data.h"
#include "tap.h"

int
main(void)
{
    static const char text[] = "Article 3 \xe2\x80\x93 \"No one\" shall be\n"
                               "subjected to torture.";
    static const char *const refs[] = {"ets:5", "res:1996 (2014)"};
    cm_data d, *o = NULL;
    char *data, *big;
    size_t len = 0, i;

    memset(&d, 0, sizeof d);
    d.path = "/d/a.md";
    d.para = 300; /* two bytes as a varint */
    d.label = "3.";
    d.section = "body";
    d.lang = "en";
    d.title = "A title";
    d.refs = refs;
    d.n_refs = 2;
    d.text = text;
    d.text_len = sizeof text - 1;
    data = cm_data_make(&d, &len);
    ok(data != NULL && len > sizeof text && memcmp(data, "\0CM1", 4) == 0,
       "made, with its magic");
    ok(data && memcmp(data + len - (sizeof text - 1), text,
                      sizeof text - 1) == 0 && data[len] == '\0',
       "the text last, as it is");
    is_int(cm_data_parse(data, len, &o), CM_OK, "parsed");
    if (o != NULL) {
        is_str(o->path, "/d/a.md", "path");
        is_int(o->para, 300, "para");
        is_str(o->label, "3.", "label");
        is_str(o->section, "body", "section");
        is_str(o->heading, "", "an absent field is empty");
        is_str(o->lang, "en", "lang");
        is_str(o->title, "A title", "title");
        is_int((long long)o->n_refs, 2, "two references");
        ok(o->n_refs == 2 && strcmp(o->refs[0], "ets:5") == 0 &&
               strcmp(o->refs[1], "res:1996 (2014)") == 0,
           "the references");
        ok(o->text_len == sizeof text - 1 && strcmp(o->text, text) == 0,
           "the text, with its quotes and newline");
        /* What rekey_para() does: a new path, the rest as it was. */
        {
            char *again;
            size_t len2 = 0;
            cm_data *o2 = NULL;
            o->path = "/e/b.md";
            again = cm_data_make(o, &len2);
            ok(again != NULL && cm_data_parse(again, len2, &o2) == CM_OK &&
                   strcmp(o2->path, "/e/b.md") == 0 && o2->para == 300 &&
                   strcmp(o2->text, text) == 0 && o2->n_refs == 2,
               "made again from what was parsed, with a new path");
            free(o2);
            free(again);
        }
    }
    free(o);
    o = NULL;

    /* A page (a PDF's paragraph): a "\0CM2" record; without one, the
     * record is as before. */
    d.page = 130;
    {
        char *paged;
        size_t plen = 0;
        paged = cm_data_make(&d, &plen);
        ok(paged != NULL && memcmp(paged, "\0CM2", 4) == 0 &&
               plen == len + 2,
           "with a page: \\0CM2, the page's two bytes more");
        is_int(cm_data_parse(paged, plen, &o), CM_OK, "  parsed");
        ok(o != NULL && o->page == 130 && o->para == 300 &&
               o->n_refs == 2 && strcmp(o->refs[1], "res:1996 (2014)") == 0 &&
               strcmp(o->text, text) == 0,
           "  its page, and the rest as it was");
        free(o);
        o = NULL;
        {
            size_t head = plen - (sizeof text - 1), taken = 0;
            for (i = 4; paged != NULL && i < head; i++)
                if (cm_data_parse(paged, i, &o) != CM_ECORRUPT) {
                    taken++;
                    free(o);
                    o = NULL;
                }
            ok(paged != NULL && taken == 0,
               "  cut before its text: refused (%zu of %zu taken)", taken,
               head - 4);
        }
        free(paged);
    }
    d.page = 0;
    is_int(cm_data_parse(data, len, &o), CM_OK, "without a page: \\0CM1");
    ok(o != NULL && o->page == 0, "  page 0, unknown");
    free(o);
    o = NULL;

    /* Every cut of the record is refused or read within its bytes (the
     * sanitizer build checks the reads). */
    for (i = 4; data && i < len - (sizeof text - 1); i++) {
        cm_status st = cm_data_parse(data, i, &o);
        if (st != CM_ECORRUPT && st != CM_OK)
            break;
        free(o);
        o = NULL;
    }
    ok(data && i == len - (sizeof text - 1), "every cut record: refused");
    free(data);

    /* A long text and an empty one. */
    big = malloc(100000);
    if (big != NULL) {
        memset(big, 'x', 99999);
        big[99999] = '\0';
        memset(&d, 0, sizeof d);
        d.text = big;
        d.text_len = 99999;
        data = cm_data_make(&d, &len);
        ok(data && cm_data_parse(data, len, &o) == CM_OK &&
               o->text_len == 99999 && strcmp(o->text, big) == 0 &&
               strcmp(o->path, "") == 0,
           "a long text");
        free(o);
        o = NULL;
        free(data);
        free(big);
    }
    memset(&d, 0, sizeof d);
    data = cm_data_make(&d, &len);
    ok(data && cm_data_parse(data, len, &o) == CM_OK && o->text_len == 0 &&
           strcmp(o->text, "") == 0,
       "nothing at all");
    free(o);
    o = NULL;
    free(data);

    /* JSON, as cmindex wrote it before: an object, or one, a NUL and the
     * text. */
    {
        static const char old[] =
            "{\"path\":\"/x\",\"para\":4,\"text\":\"t\",\"refs\":[\"r\"]}";
        static const char mid[] = "{\"path\":\"/y\",\"para\":5}\0the text";
        ok(cm_data_parse(old, sizeof old - 1, &o) == CM_OK &&
               strcmp(o->path, "/x") == 0 && o->para == 4 &&
               strcmp(o->text, "t") == 0 && o->n_refs == 1 &&
               strcmp(o->refs[0], "r") == 0,
           "a JSON object");
        free(o);
        o = NULL;
        ok(cm_data_parse(mid, sizeof mid - 1, &o) == CM_OK &&
               strcmp(o->path, "/y") == 0 && o->para == 5 &&
               strcmp(o->text, "the text") == 0,
           "a JSON object, a NUL and the text");
        free(o);
        o = NULL;
    }

    /* Not written by cmindex, or damaged. */
    is_int(cm_data_parse("plain text", 10, &o), CM_ECORRUPT, "not JSON");
    is_int(cm_data_parse("[1,2]", 5, &o), CM_ECORRUPT, "not an object");
    is_int(cm_data_parse("", 0, &o), CM_ECORRUPT, "empty");
    is_int(cm_data_parse("\0CM1\x85", 5, &o), CM_ECORRUPT,
           "a length cut short");
    is_int(cm_data_parse("\0CM1\x7f" "abc", 8, &o), CM_ECORRUPT,
           "a length past the end");
    ok(o == NULL, "nothing made on failure");
    return done_testing();
}
