/* test-definition.c — broken call definitions and hostile JSON
 *
 * Every broken definition gets an error naming the file, the JSON path and
 * the problem; hostile input (invalid UTF-8, NUL bytes, 10 MB strings,
 * 100,000 levels of nesting, duplicate keys, 1e400) never crashes or hangs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sb-call.h"
#include "sb-catalog.h"
#include "sb-json.h"

/* A small valid definition; tests replace "@FIELDS@", "@RULES@" and
 * "@EXTRA@" to break it in one place at a time. */
static const char base[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"broken\", \"version\": 1,\n"
  " \"title\": {\"zh\": \"测试\", \"en\": \"Test\"}, \"bureau\": {\"zh\": \"测试局\", \"en\": \"Bureau\"},\n"
  " \"year\": 2024, @EXTRA@\n"
  " \"deadlines\": [{\"id\": \"online\", \"title\": {\"zh\": \"截止\", \"en\": \"Deadline\"}, \"date\": \"2024-01-31\","
  " \"citation\": {\"clause\": \"一\"}}],\n"
  " \"steps\": [{\"id\": \"main\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": [\n"
  "   {\"id\": \"total\", \"type\": \"money\", \"label\": {\"zh\": \"总投入\", \"en\": \"Total\"}},\n"
  "   {\"id\": \"subsidy\", \"type\": \"money\", \"label\": {\"zh\": \"资助\", \"en\": \"Subsidy\"}},\n"
  "   {\"id\": \"name\", \"type\": \"text\", \"label\": {\"zh\": \"名称\", \"en\": \"Name\"}}@FIELDS@\n"
  " ]}],\n"
  " \"rules\": [{\"id\": \"cap\", \"severity\": \"error\", \"check\": \"subsidy <= total * 0.5\","
  " \"message\": {\"zh\": \"超过一半\", \"en\": \"Over half\"}, \"citation\": {\"clause\": \"三\"}}@RULES@]}";

static char *
make (const char *fields,
      const char *rules,
      const char *extra)
{
  g_autoptr(GString) text = g_string_new (base);

  g_string_replace (text, "@FIELDS@", fields ? fields : "", 1);
  g_string_replace (text, "@RULES@", rules ? rules : "", 1);
  g_string_replace (text, "@EXTRA@", extra ? extra : "", 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static SbCall *
load (const char  *text,
      gssize       length,
      GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length < 0 ? strlen (text) : (gsize) length);

  return sb_call_new_from_bytes (bytes, "broken.json", error);
}

static void
assert_rejected (const char *text,
                 const char *path,
                 const char *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = load (text, -1, &error);

  g_assert_null (call);
  g_assert_nonnull (error);
  g_assert_true (error->domain == SB_ERROR);
  if (!g_str_has_prefix (error->message, "broken.json: ") ||
      (path != NULL && strstr (error->message, path) == NULL) ||
      strstr (error->message, problem) == NULL)
    g_error ("expected “broken.json: %s…%s”, got “%s”", path ? path : "", problem, error->message);
}

static void
test_base_loads (void)
{
  g_autofree char *text = make (NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = load (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sb_call_get_id (call), ==, "broken");
  g_assert_cmpuint (sb_call_get_fields (call)->len, ==, 3);
}

/* A money bound follows the money syntax of forms/README.md: blanks on
 * either side are the same amount. */
static void
test_money_bounds (void)
{
  const char *bounds[] = { "150万", " 150万", "150万 ", "\\t150万元\\u3000", "1,500,000元", "1，500，000元" };

  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      g_autofree char *field = g_strdup_printf (",{\"id\": \"x\", \"type\": \"money\", \"max\": \"%s\","
                                                " \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", bounds[i]);
      g_autofree char *text = make (field, NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SbCall) call = load (text, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (call);
    }
}

static void
test_schema_errors (void)
{
  struct {
    const char *fields, *rules, *extra, *path, *problem;
  } cases[] = {
    { NULL, NULL, "\"colour\": \"red\",", "$.colour", "unknown key “colour”" },
    /* the largest max_length and max_rows are allowed, one more is not */
    { ",{\"id\": \"x\", \"type\": \"text\", \"max_length\": 100001, \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max_length", "100001 is outside the allowed range 1–100000" },
    { ",{\"id\": \"x\", \"type\": \"table\", \"max_rows\": 1001, \"label\": {\"zh\": \"色\", \"en\": \"C\"},"
      " \"columns\": [{\"id\": \"c\", \"type\": \"text\", \"label\": {\"zh\": \"列\", \"en\": \"C\"}}]}", NULL, NULL,
      "$.steps[0].fields[3].max_rows", "1001 is outside the allowed range 1–1000" },
    { NULL, NULL, "\"paper_copies\": \"6\",", "$.paper_copies", "expected an integer, found a string" },
    { NULL, NULL, "\"paper_copies\": 6.0,", "$.paper_copies", "expected an integer, found a decimal number" },
    { ",{\"id\": \"total\", \"type\": \"money\", \"label\": {\"zh\": \"再\", \"en\": \"Again\"}}", NULL, NULL,
      "$.steps[0].fields[3]", "the field id “total” is already used at $.steps[0].fields[0]" },
    { ",{\"id\": \"x\", \"type\": \"colour\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].type", "unknown field type “colour”" },
    { ",{\"id\": \"x\", \"type\": \"text\", \"label\": {\"zh\": \"色\"}}", NULL, NULL,
      "$.steps[0].fields[3].label", "the key “en” is required" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max_length\": 5, \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max_length", "does not apply to a money field" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max\": \"100.00001万\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "4 decimal places" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max\": 100, \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "with its unit" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max\": \"100\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "with its unit, e.g. \"150万\" or \"1500000元\", not \"100\"" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max\": \"1,5万\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "“1,5万” is not an amount of money" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max\": \"①万\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "“①万” is not an amount of money" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"max\": \"1.万\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "is not an amount of money" },
    { ",{\"id\": \"x\", \"type\": \"decimal\", \"max\": \".5\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3].max", "“.5” is not a number" },
    { ",{\"id\": \"x\", \"type\": \"text\", \"label\": {\"zh\": \"色\", \"en\": \"\"}}", NULL, NULL,
      "$.steps[0].fields[3].label.en", "the text is empty" },
    { ",{\"id\": \"x\", \"type\": \"multi_choice\", \"calculate\": \"true\", \"options\": [{\"value\": \"a\","
      " \"label\": {\"zh\": \"甲\", \"en\": \"A\"}}], \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3]", "a multi_choice field cannot be calculated" },
    { ",{\"id\": \"t\", \"type\": \"table\", \"label\": {\"zh\": \"表\", \"en\": \"T\"}, \"columns\": [{\"id\": \"k\","
      " \"type\": \"choice\", \"label\": {\"zh\": \"类\", \"en\": \"K\"}, \"options\": [{\"value\": \"a\","
      " \"label\": {\"zh\": \"甲\", \"en\": \"A\"}, \"relevant\": \"this is not ) valid\"}]}]}", NULL, NULL,
      "$.steps[0].fields[3].columns[0].options[0].relevant", "line 1, column 6: unexpected text after the end" },
    { NULL, NULL, "\"guide_codes\": [{\"code\": \"1\", \"title\": {\"zh\": \"甲\", \"en\": \"A\"}, \"programme\": \"p9\"}],",
      "$.guide_codes[0].programme", "the call has no programme “p9”" },
    { ",{\"id\": \"x\", \"type\": \"text\", \"min_length\": 9, \"max_length\": 5, \"label\": {\"zh\": \"色\", \"en\": \"C\"}}",
      NULL, NULL, "$.steps[0].fields[3]", "min_length > max_length" },
    { ",{\"id\": \"x\", \"type\": \"declaration\", \"text\": {\"zh\": \"承诺\", \"en\": \"Pledge\"}, \"label\": {\"zh\": \"色\", \"en\": \"C\"}}",
      NULL, NULL, "$.steps[0].fields[3]", "a declaration must be “required”" },
    { ",{\"id\": \"x\", \"type\": \"choice\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3]", "either “options” or “options_from”" },
    { ",{\"id\": \"x\", \"type\": \"person\", \"subfields\": [\"name\", \"salary\"], \"label\": {\"zh\": \"色\", \"en\": \"C\"}}",
      NULL, NULL, "$.steps[0].fields[3].subfields[1]", "has no part “salary”" },
    { ",{\"id\": \"2x\", \"type\": \"text\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, NULL,
      "$.steps[0].fields[3]", "not a valid id" },
    { NULL, ",{\"id\": \"cap\", \"severity\": \"error\", \"check\": \"true\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"},"
      " \"citation\": {\"clause\": \"三\"}}", NULL, "$.rules[1]", "the rule id “cap” is used twice" },
    { NULL, ",{\"id\": \"r\", \"severity\": \"fatal\", \"check\": \"true\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"},"
      " \"citation\": {\"clause\": \"三\"}}", NULL, "$.rules[1].severity", "“error”, “warning” or “info”" },
    { NULL, ",{\"id\": \"r\", \"severity\": \"error\", \"check\": \"true\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"}}",
      NULL, "$.rules[1]", "name the clause of the guide" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = make (cases[i].fields, cases[i].rules, cases[i].extra);
      assert_rejected (text, cases[i].path, cases[i].problem);
    }
}

static void
test_expression_errors (void)
{
  struct {
    const char *fields, *rules, *path, *problem;
  } cases[] = {
    { NULL, ",{\"id\": \"r\", \"severity\": \"error\", \"check\": \"totl > 150万\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"},"
      " \"citation\": {\"clause\": \"三\"}}", "$.rules[1].check", "line 1, column 1: there is no field “totl”" },
    { NULL, ",{\"id\": \"r\", \"severity\": \"error\", \"check\": \"total > 150\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"},"
      " \"citation\": {\"clause\": \"三\"}}", "$.rules[1].check", "line 1, column 7: “>” mixes an amount of money" },
    { NULL, ",{\"id\": \"r\", \"severity\": \"error\", \"check\": \"total\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"},"
      " \"citation\": {\"clause\": \"三\"}}", "$.rules[1].check", "must give a yes/no value" },
    { NULL, ",{\"id\": \"r\", \"severity\": \"error\", \"check\": \"true\", \"message\": {\"zh\": \"值{totl}\", \"en\": \"A\"},"
      " \"citation\": {\"clause\": \"三\"}}", "$.rules[1].message.zh", "column 2: in “{totl}”" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"calculate\": \"name\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL,
      "$.steps[0].fields[3].calculate", "gives a text, but an amount of money is needed" },
    { ",{\"id\": \"x\", \"type\": \"money\", \"calculate\": \"y + 1元\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}},"
      " {\"id\": \"y\", \"type\": \"money\", \"calculate\": \"x - 1元\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL,
      "$.steps[0].fields[3]", "cycle (through “relevant” or “calculate”): x → y → x" },
    { ",{\"id\": \"x\", \"type\": \"text\", \"relevant\": \"present(x)\", \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL,
      "$.steps[0].fields[3]", "cycle (through “relevant” or “calculate”): x → x" },
    { ",{\"id\": \"x\", \"type\": \"text\", \"relevant\": \"deadline(\\\"paper\\\") > date(\\\"2020-01-01\\\")\","
      " \"label\": {\"zh\": \"色\", \"en\": \"C\"}}", NULL, "$.steps[0].fields[3].relevant", "no deadline “paper”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = make (cases[i].fields, cases[i].rules, NULL);
      assert_rejected (text, cases[i].path, cases[i].problem);
    }

  /* 10,000 nested parentheses in a rule: an error with its path */
  {
    g_autoptr(GString) deep = g_string_new (",{\"id\": \"r\", \"severity\": \"error\", \"check\": \"");
    g_autofree char *text = NULL;

    for (int i = 0; i < 10000; i++)
      g_string_append_c (deep, '(');
    g_string_append (deep, "true");
    for (int i = 0; i < 10000; i++)
      g_string_append_c (deep, ')');
    g_string_append (deep, "\", \"message\": {\"zh\": \"甲\", \"en\": \"A\"}, \"citation\": {\"clause\": \"三\"}}");
    text = make (NULL, deep->str, NULL);
    assert_rejected (text, "$.rules[1].check", "nested more than 100 levels");
  }
}

/* 8,000 fields (as many as fit in the largest definition file), each
 * calculated from the next: loads, in order, without exhausting the stack;
 * closing the chain into a loop is reported. */
static void
test_long_dependency_chain (void)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = NULL;
  const guint n = 8000;

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (fields, ",{\"id\": \"f%u\", \"type\": \"money\", \"label\": {\"zh\": \"甲\", \"en\": \"A\"}", i);
      if (i + 1 < n)
        g_string_append_printf (fields, ", \"calculate\": \"f%u + 1元\"", i + 1);
      g_string_append_c (fields, '}');
    }
  text = make (fields->str, NULL, NULL);
  call = load (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sb_call_get_evaluation_order (call)->len, ==, n + 3);
  g_assert_true (g_ptr_array_index (sb_call_get_evaluation_order (call), 0) == sb_call_find_field (call, "total"));

  g_string_replace (fields, "f7999\", \"type\": \"money\", \"label\": {\"zh\": \"甲\", \"en\": \"A\"}",
                    "f7999\", \"type\": \"money\", \"label\": {\"zh\": \"甲\", \"en\": \"A\"}, \"calculate\": \"f0\"", 1);
  g_free (text);
  text = make (fields->str, NULL, NULL);
  assert_rejected (text, "$.steps[0].fields[3]", "cycle (through “relevant” or “calculate”): f0 → f1 → f2");
}

static void
test_largest_allowed (void)
{
  g_autofree char *text = make (",{\"id\": \"x\", \"type\": \"text\", \"max_length\": 100000, \"label\": {\"zh\": \"色\", \"en\": \"C\"}},"
                                "{\"id\": \"t\", \"type\": \"table\", \"max_rows\": 1000, \"label\": {\"zh\": \"色\", \"en\": \"C\"},"
                                " \"columns\": [{\"id\": \"c\", \"type\": \"text\", \"label\": {\"zh\": \"列\", \"en\": \"C\"}}]}",
                                NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = load (text, -1, &error);
  gint64 min, max;

  g_assert_no_error (error);
  g_assert_true (sb_field_get_max_length (sb_call_find_field (call, "x"), &max));
  g_assert_cmpint (max, ==, SB_FIELD_MAX_LENGTH);
  g_assert_true (sb_field_get_row_limits (sb_call_find_field (call, "t"), &min, &max));
  g_assert_cmpint (max, ==, SB_FIELD_MAX_ROWS);
}

static void
test_hostile_json (void)
{
  g_autofree char *valid = make (NULL, NULL, NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("{\"format\": \"");
  g_autofree char *with_nul = g_strdup (valid);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = NULL;

  assert_rejected ("", NULL, "empty");
  assert_rejected ("   \n", NULL, "empty");
  assert_rejected ("{\"format\": \"shenbao-call\"", "$.format", "the document ends before it is complete");
  assert_rejected ("[1, 2]", "$", "expected an object, found an array");
  assert_rejected ("{\"a\": 1, \"a\": 2}", "$.a", "the key “a” appears twice");
  assert_rejected ("{\"x\": {\"k\": 1, \"k\\u0020\": 2, \"k\": 3}}", "$.x.k", "appears twice");
  assert_rejected ("{\"a\": 1e400}", "$.a", "too large to represent");
  assert_rejected ("{\"a\": 99999999999999999999}", "$.a", "outside the 64-bit range");
  assert_rejected ("{\"a\": [1, NaN]}", "$.a[1]", "expected a value");

  /* what json-glib would read leniently is refused: a second "values" in
   * single quotes or behind a comment would otherwise replace the first,
   * and 0x10, 011, 0b11 would be numbers */
  assert_rejected ("{\"a\": 1, 'a': 2}", "$", "expected a key in double quotes");
  assert_rejected ("{\"a\": 1, /* \"x\" */ \"a\": 2}", "$", "expected a key in double quotes");
  assert_rejected ("{\"a\": 0x10}", "$.a", "“0x10” is not a JSON number");
  assert_rejected ("{\"a\": 011}", "$.a", "“011” is not a JSON number");
  assert_rejected ("{\"a\": 0b11}", "$.a", "“0b11” is not a JSON number");
  assert_rejected ("{\"a\": 1.}", "$.a", "“1.” is not a JSON number");
  assert_rejected ("{\"a\": -}", "$.a", "“-” is not a JSON number");
  assert_rejected ("{\"a\": tru}", "$.a", "expected a value");
  assert_rejected ("{\"a\": 1 \"b\": 2}", "$.a", "expected “,” or “}”");
  assert_rejected ("{\"a\" 1}", "$.a", "expected “:” after the key");
  assert_rejected ("[1, 2,]", "$[2]", "unexpected “]”");
  assert_rejected ("{\"a\": 1} {}", "$", "more text after the end");
  assert_rejected ("{\"a\": 1]", "$.a", "unexpected “]”");
  assert_rejected ("{\"a\": \"x\\u0000y\"}", "$.a", "NUL character");
  assert_rejected ("{\"a\": \"\\ud800\"}", "$.a", "lone UTF-16 high surrogate");
  assert_rejected ("{\"a\": \"\xff\xfe\"}", NULL, "line 1, column 8: the file is not valid UTF-8");
  assert_rejected ("{\"format\": \"shenbao-call\", \"format_version\": 2}", "$.format_version", "not supported");
  assert_rejected ("{\"format\": \"shenbao-draft\"}", "$.format", "not a call definition");

  /* -0 is the integer zero; here it is simply out of range */
  assert_rejected ("{\"format\": \"shenbao-call\", \"format_version\": -0}", "$.format_version", "outside the allowed range");

  with_nul[10] = '\0';
  call = load (with_nul, strlen (valid), &error);
  g_assert_null (call);
  g_assert_nonnull (strstr (error->message, "NUL byte"));
  g_clear_error (&error);

  /* exactly SB_JSON_MAX_VALUES values are read (an array and its items),
   * one more is refused */
  {
    g_autoptr(GString) values = g_string_new ("[1");
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(JsonNode) node = NULL;

    for (int i = 1; i < SB_JSON_MAX_VALUES - 1; i++)
      g_string_append (values, ",1");
    g_string_append_c (values, ']');
    bytes = g_bytes_new (values->str, values->len);
    node = sb_json_parse_bytes (bytes, "values.json", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, SB_JSON_MAX_VALUES - 1);
    g_string_insert (values, 1, "1,");
    assert_rejected (values->str, "$[99999]", "more than 100000 values");
  }

  /* exactly SB_JSON_MAX_DEPTH levels are read, one more is refused */
  for (int i = 0; i < SB_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < SB_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  {
    g_autoptr(GBytes) bytes = g_bytes_new (deep->str, deep->len);
    g_autoptr(JsonNode) node = sb_json_parse_bytes (bytes, "deep.json", &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
  }
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  assert_rejected (deep->str, NULL, "nested deeper than 64 levels");
  g_string_truncate (deep, 0);

  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  assert_rejected (deep->str, NULL, "nested deeper than 64 levels");

  /* a label of exactly 64 KiB loads; one byte more is refused with its path */
  {
    g_autoptr(GString) label = g_string_new (NULL);
    g_autofree char *fields = NULL;
    g_autofree char *text = NULL;
    g_autoptr(SbCall) loaded = NULL;

    while (label->len < SB_JSON_MAX_DEFINITION_TEXT)
      g_string_append_c (label, 'a');
    fields = g_strdup_printf (",{\"id\": \"x\", \"type\": \"text\", \"label\": {\"zh\": \"%s\", \"en\": \"X\"}}", label->str);
    text = make (fields, NULL, NULL);
    loaded = load (text, -1, &error);
    g_assert_no_error (error);
    g_clear_pointer (&fields, g_free);
    g_clear_pointer (&text, g_free);

    g_string_append_c (label, 'a');
    fields = g_strdup_printf (",{\"id\": \"x\", \"type\": \"text\", \"label\": {\"zh\": \"%s\", \"en\": \"X\"}}", label->str);
    text = make (fields, NULL, NULL);
    assert_rejected (text, "$.steps[0].fields[3].label.zh", "longer than 64 KiB");
  }

  /* a definition of exactly 1 MiB loads; one byte more is refused */
  {
    g_autoptr(GString) padded = g_string_new (valid);
    g_autoptr(SbCall) loaded = NULL;

    while (padded->len < SB_CALL_MAX_FILE_BYTES)
      g_string_append_c (padded, ' ');
    loaded = load (padded->str, -1, &error);
    g_assert_no_error (error);
    g_string_append_c (padded, ' ');
    assert_rejected (padded->str, NULL, "the file is larger than 1 MiB");
  }

  /* the JSON scan reads a string of exactly 1 MiB; one byte more is refused */
  {
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(JsonNode) node = NULL;

    while (huge->len < strlen ("{\"format\": \"") + SB_JSON_MAX_STRING_BYTES)
      g_string_append_c (huge, 'a');
    g_string_append (huge, "\"}");
    bytes = g_bytes_new (huge->str, huge->len);
    node = sb_json_parse_bytes (bytes, "huge.json", &error);
    g_assert_no_error (error);
    g_assert_nonnull (node);
    g_clear_pointer (&bytes, g_bytes_unref);
    g_clear_pointer (&node, json_node_unref);

    g_string_insert_c (huge, strlen ("{\"format\": \""), 'a');
    bytes = g_bytes_new (huge->str, huge->len);
    node = sb_json_parse_bytes (bytes, "huge.json", &error);
    g_assert_null (node);
    g_assert_nonnull (strstr (error->message, "a string is longer than 1 MiB"));
    g_clear_error (&error);
  }
}

static void
test_builtin_forms_are_compiled_in (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "forms", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  const char *name;

  /* the built-in ones load without errors (and their resource is linked) */
  sb_catalog_add_builtin (catalog);
  g_assert_cmpuint (sb_catalog_get_errors (catalog)->len, ==, 0);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *resource = NULL;
      g_autofree char *file = NULL;
      g_autoptr(GBytes) compiled = NULL;
      g_autofree char *source = NULL;
      gsize length;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      resource = g_strconcat (RESOURCE_PREFIX "/forms/", name, NULL);
      compiled = g_resources_lookup_data (resource, 0, NULL);
      if (compiled == NULL)
        {
          g_test_fail_printf ("forms/%s is not listed in forms/forms.gresource.xml", name);
          continue;
        }
      file = g_build_filename (path, name, NULL);
      g_assert_true (g_file_get_contents (file, &source, &length, NULL));
      g_assert_cmpmem (source, length, g_bytes_get_data (compiled, NULL), g_bytes_get_size (compiled));
    }
}

/* Procedure the app cannot check is data: notices for the applicant and
 * the recommending unit, quotas, the summary table's header fields. */
static void
test_notices_and_quotas (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  SbCall *nantong, *quzhou, *keji;
  GArray *quotas, *notices;
  guint for_unit = 0;
  gint64 major = 0;

  sb_catalog_add_builtin (catalog);
  nantong = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 0);
  quzhou = sb_catalog_lookup (catalog, "quzhou-2020-jingzheng", 0);
  keji = sb_catalog_lookup (catalog, "jingdezhen-2022-keji", 0);

  quotas = sb_call_get_quotas (nantong);
  g_assert_cmpuint (quotas->len, ==, 3);
  g_assert_cmpint (g_array_index (quotas, SbQuota, 0).max, ==, 6);
  g_assert_cmpint (g_array_index (quotas, SbQuota, 1).max, ==, 3);
  g_assert_cmpint (g_array_index (quotas, SbQuota, 2).max, ==, -1);   /* universities: no limit */

  notices = sb_call_get_notices (nantong);
  for (guint i = 0; i < notices->len; i++)
    {
      const SbNotice *notice = &g_array_index (notices, SbNotice, i);

      g_assert_nonnull (notice->citation.clause);
      for_unit += notice->audience == SB_AUDIENCE_RECOMMENDING_UNIT;
    }
  g_assert_cmpuint (for_unit, ==, 2);   /* 项目附件审核表, 推荐汇总表 */

  /* 附件2: 重大科技攻关项目 14 in all */
  quotas = sb_call_get_quotas (quzhou);
  for (guint i = 0; i < quotas->len; i++)
    if (g_strcmp0 (g_array_index (quotas, SbQuota, i).programme, "major") == 0)
      major += g_array_index (quotas, SbQuota, i).max;
  g_assert_cmpint (major, ==, 14);
  g_assert_cmpuint (sb_call_get_summary_header (quzhou)->len, ==, 2);

  /* the 景德镇 guide defines no summary table */
  g_assert_cmpuint (sb_call_get_summary_columns (keji)->len, ==, 0);
  g_assert_nonnull (sb_call_get_source_title (keji));
}

/* A call closes at its stated hour in Beijing time, whatever the zone of
 * the machine (the test runs with TZ set to New York). */
static void
test_deadline_beijing_time (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  SbCall *quzhou, *nantong;
  const SbDeadline *online;
  g_autoptr(GDateTime) close = NULL;
  g_autoptr(GDateTime) before = g_date_time_new (utc, 2020, 6, 28, 8, 59, 59);
  g_autoptr(GDateTime) at = g_date_time_new (utc, 2020, 6, 28, 9, 0, 0);
  g_autoptr(GDateTime) day_end = g_date_time_new (utc, 2024, 1, 31, 16, 0, 0);
  g_autoptr(GDateTime) day_before = g_date_time_new (utc, 2024, 1, 31, 15, 59, 59);
  g_autofree char *text = NULL;

  g_setenv ("TZ", "America/New_York", TRUE);
  sb_catalog_add_builtin (catalog);
  quzhou = sb_catalog_lookup (catalog, "quzhou-2020-jingzheng", 0);
  nantong = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 0);
  g_assert_nonnull (quzhou);
  g_assert_nonnull (nantong);

  online = sb_call_find_deadline (quzhou, "online");
  close = sb_deadline_get_close_time (online);
  text = g_date_time_format_iso8601 (close);
  g_assert_cmpstr (text, ==, "2020-06-28T17:00:00+08");
  g_assert_false (sb_deadline_has_passed (online, before));
  g_assert_true (sb_deadline_has_passed (online, at));

  /* no hour: the deadline's whole day, to midnight in Beijing */
  online = sb_call_find_deadline (nantong, "online");
  g_assert_false (sb_deadline_has_passed (online, day_before));
  g_assert_true (sb_deadline_has_passed (online, day_end));
  g_unsetenv ("TZ");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/definition/base-loads", test_base_loads);
  g_test_add_func ("/definition/deadline-beijing-time", test_deadline_beijing_time);
  g_test_add_func ("/definition/notices-and-quotas", test_notices_and_quotas);
  g_test_add_func ("/definition/schema-errors", test_schema_errors);
  g_test_add_func ("/definition/money-bounds", test_money_bounds);
  g_test_add_func ("/definition/expression-errors", test_expression_errors);
  g_test_add_func ("/definition/long-dependency-chain", test_long_dependency_chain);
  g_test_add_func ("/definition/largest-allowed", test_largest_allowed);
  g_test_add_func ("/definition/hostile-json", test_hostile_json);
  g_test_add_func ("/definition/builtin-forms-are-compiled-in", test_builtin_forms_are_compiled_in);

  return g_test_run ();
}
