/* test_data.c: a paragraph's document data, the fields then the text. */
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
    json_t *fields = json_pack("{s:s, s:i}", "path", "/d/a.md", "para", 7);
    json_t *o;
    char *data;
    size_t len = 0, n;

    data = cm_data_make(fields, text, sizeof text - 1, &len);
    ok(data != NULL, "made");
    n = data ? strlen(data) : 0;
    is_str(data, "{\"path\":\"/d/a.md\",\"para\":7}",
           "the fields first, as compact JSON");
    ok(data && len == n + 1 + sizeof text - 1 &&
           memcmp(data + n + 1, text, sizeof text - 1) == 0 &&
           data[len] == '\0',
       "then a NUL and the text as it is (NUL-terminated too)");
    ok(json_object_get(fields, "text") == NULL, "the fields left unchanged");

    o = data ? cm_data_parse(data, len) : NULL;
    ok(o != NULL, "parsed");
    is_str(json_string_value(json_object_get(o, "text")), text,
           "the text, with its quotes and newline");
    is_str(json_string_value(json_object_get(o, "path")), "/d/a.md",
           "a field");
    is_int(json_integer_value(json_object_get(o, "para")), 7, "another");
    json_decref(o);
    free(data);

    data = cm_data_make(fields, "", 0, &len);
    o = data ? cm_data_parse(data, len) : NULL;
    ok(o != NULL &&
           strcmp(json_string_value(json_object_get(o, "text")), "") == 0,
       "an empty text");
    json_decref(o);
    free(data);

    /* One JSON object, as older indexes hold it. */
    {
        static const char old[] = "{\"path\":\"/x\",\"text\":\"t\"}";
        o = cm_data_parse(old, sizeof old - 1);
    }
    ok(o != NULL &&
           strcmp(json_string_value(json_object_get(o, "text")), "t") == 0,
       "an older layout, all JSON, read as it is");
    json_decref(o);

    /* Not written by cmindex, or damaged. */
    ok(cm_data_parse("plain text", 10) == NULL, "not JSON: NULL");
    ok(cm_data_parse("[1,2]", 5) == NULL, "not an object: NULL");
    ok(cm_data_parse("{\"a\":1}\0\xff\xfe", 10) == NULL,
       "a text that is not UTF-8: NULL");
    ok(cm_data_parse("", 0) == NULL, "empty: NULL");

    json_decref(fields);
    return done_testing();
}
