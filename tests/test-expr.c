/* test-expr.c — the expression language: parsing, types, exact evaluation
 *
 * Expressions are compiled against a real call definition and evaluated
 * over a real draft, both written out below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sb-call.h"
#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-expr.h"
#include "sb-regex.h"
#include "sb-template.h"

static const char definition[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"expr-test\", \"version\": 1,"
  " \"title\": {\"zh\": \"测试\", \"en\": \"Test\"}, \"bureau\": {\"zh\": \"测试局\", \"en\": \"Test bureau\"},"
  " \"year\": 2024,"
  " \"deadlines\": [{\"id\": \"online\", \"title\": {\"zh\": \"截止\", \"en\": \"Deadline\"}, \"date\": \"2024-01-31\","
  "                  \"citation\": {\"clause\": \"一\"}}],"
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "   {\"id\": \"a\", \"type\": \"money\", \"label\": {\"zh\": \"甲\", \"en\": \"A\"}},"
  "   {\"id\": \"b\", \"type\": \"money\", \"label\": {\"zh\": \"乙\", \"en\": \"B\"}},"
  "   {\"id\": \"empty\", \"type\": \"money\", \"label\": {\"zh\": \"空\", \"en\": \"Empty\"}},"
  "   {\"id\": \"n\", \"type\": \"integer\", \"label\": {\"zh\": \"数\", \"en\": \"N\"}},"
  "   {\"id\": \"zero\", \"type\": \"integer\", \"label\": {\"zh\": \"零\", \"en\": \"Zero\"}},"
  "   {\"id\": \"ratio\", \"type\": \"decimal\", \"label\": {\"zh\": \"比\", \"en\": \"Ratio\"}},"
  "   {\"id\": \"d1\", \"type\": \"date\", \"label\": {\"zh\": \"日一\", \"en\": \"D1\"}},"
  "   {\"id\": \"d2\", \"type\": \"date\", \"label\": {\"zh\": \"日二\", \"en\": \"D2\"}},"
  "   {\"id\": \"s\", \"type\": \"text\", \"label\": {\"zh\": \"文\", \"en\": \"S\"}},"
  "   {\"id\": \"flag\", \"type\": \"yesno\", \"label\": {\"zh\": \"是否\", \"en\": \"Flag\"}},"
  "   {\"id\": \"m\", \"type\": \"multi_choice\", \"label\": {\"zh\": \"多选\", \"en\": \"M\"}, \"options\": ["
  "     {\"value\": \"x\", \"label\": {\"zh\": \"选项甲\", \"en\": \"Option X\"}},"
  "     {\"value\": \"y\", \"label\": {\"zh\": \"选项乙\", \"en\": \"Option Y\"}}]},"
  "   {\"id\": \"p\", \"type\": \"person\", \"label\": {\"zh\": \"人\", \"en\": \"P\"}, \"subfields\": [\"name\", \"id_number\", \"birth_date\"]},"
  "   {\"id\": \"t\", \"type\": \"table\", \"label\": {\"zh\": \"表\", \"en\": \"T\"}, \"columns\": ["
  "     {\"id\": \"amount\", \"type\": \"money\", \"label\": {\"zh\": \"金额\", \"en\": \"Amount\"}},"
  "     {\"id\": \"name\", \"type\": \"text\", \"label\": {\"zh\": \"名称\", \"en\": \"Name\"}}]}"
  " ]}]}";

static const char draft_text[] =
  "{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"expr-test\", \"version\": 1},"
  " \"values\": {\"a\": 1500000, \"b\": 750001, \"n\": 4, \"zero\": 0, \"ratio\": \"0.25\","
  "   \"d1\": \"2019-02-28\", \"d2\": \"2024-01-31\", \"s\": \"碳化硅封装技术研发\", \"flag\": true, \"m\": [\"x\"],"
  "   \"p\": {\"name\": \"沈嘉豪\", \"id_number\": \"32060219880314251X\", \"birth_date\": \"1988-03-14\"},"
  "   \"t\": [{\"amount\": 100000, \"name\": \"甲\"}, {\"amount\": 250000}, {\"name\": \"丙\"}]}}";

static SbCall *call;
static SbDraft *draft;

static const SbValue *
lookup (gpointer field,
        gpointer user_data)
{
  return sb_draft_get_value (draft, sb_field_get_id (field));
}

static SbExpr *
compile (const char  *source,
         GError     **error)
{
  g_autoptr(SbExpr) expr = sb_expr_parse (source, error);

  if (expr == NULL || !sb_expr_check (expr, sb_call_get_resolver (call), NULL, error))
    return NULL;
  return g_steal_pointer (&expr);
}

static gboolean
evaluate (const char  *source,
          SbEval      *out,
          SbExprType  *type,
          GError     **error)
{
  g_autoptr(SbExpr) expr = compile (source, error);
  SbEvalContext context = { lookup, NULL };

  if (expr == NULL)
    return FALSE;
  if (type != NULL)
    *type = sb_expr_get_result_type (expr);
  return sb_expr_evaluate (expr, &context, out, error);
}

/* The value as the Chinese UI shows it, or "unknown". */
static char *
show (const char *source)
{
  g_autoptr(GError) error = NULL;
  SbExprType type;
  SbEval value;

  if (!evaluate (source, &value, &type, &error))
    g_error ("%s: %s", source, error->message);
  if (value.kind == SB_VALUE_NULL)
    return g_strdup ("unknown");
  return sb_eval_format (&value, type, TRUE);
}

#define assert_shows(source, expected) \
  G_STMT_START { g_autofree char *_shown = show (source); g_assert_cmpstr (_shown, ==, expected); } G_STMT_END

static void
assert_compile_error (const char *source,
                      const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbExpr) expr = compile (source, &error);

  g_assert_null (expr);
  g_assert_error (error, SB_ERROR, SB_ERROR_EXPRESSION);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: expected an error containing “%s”, got “%s”", source, fragment, error->message);
}

static void
test_money_exact (void)
{
  assert_shows ("a > 150万", "否");
  assert_shows ("a == 1500000元", "是");
  assert_shows ("a == 150.0000万", "是");
  assert_shows ("a + 1元 > 150万", "是");
  assert_shows ("b <= a * 0.5", "否");
  assert_shows ("b - 1元 <= a * 0.5", "是");
  assert_shows ("a * 0.5", "75万元");
  assert_shows ("(a + 1元) * 0.5", "75.00005万元");
  assert_shows ("a / 3", "50万元");
  assert_shows ("b / a", "0.5");
  assert_shows ("min(a * 0.6, 200万)", "90万元");
  assert_shows ("max(a, b, 1元)", "150万元");
  assert_shows ("a * ratio", "37.5万元");
  assert_shows ("round(b * 0.3)", "22.5万元");
  assert_shows ("-a + a", "0万元");
}

static void
test_unknown_values (void)
{
  assert_shows ("empty > 150万", "unknown");
  assert_shows ("empty + a", "unknown");
  assert_shows ("empty > 1元 and false", "否");
  assert_shows ("empty > 1元 or true", "是");
  assert_shows ("empty > 1元 and true", "unknown");
  assert_shows ("not (empty > 1元)", "unknown");
  assert_shows ("present(empty)", "否");
  assert_shows ("present(a)", "是");
  assert_shows ("coalesce(empty, 3元)", "0.0003万元");
  assert_shows ("if(empty > 1元, 1, 2)", "unknown");
  assert_shows ("min(empty, a)", "unknown");
}

static void
test_tables (void)
{
  assert_shows ("sum(t.amount)", "35万元");
  assert_shows ("count(t)", "3");
  assert_shows ("count(t.name)", "2");
  assert_shows ("count_if(t, t.amount > 5万)", "unknown");
  assert_shows ("present(p)", "是");
  assert_shows ("max(t.amount)", "25万元");
  assert_shows ("min(t.amount)", "10万元");
  assert_shows ("all(t, t.amount > 5万)", "unknown");
  assert_shows ("any(t, t.amount > 20万)", "是");
  assert_shows ("count_if(t, present(t.name))", "2");
  assert_shows ("all(t, present(t.name) or present(t.amount))", "是");
  assert_shows ("count(m)", "1");
  assert_shows ("contains(m, \"x\")", "是");
  assert_shows ("contains(m, \"y\")", "否");
}

static void
test_texts_and_dates (void)
{
  assert_shows ("len(s)", "9");
  assert_shows ("ends_with(s, \"研发\")", "是");
  assert_shows ("starts_with(s, \"研发\")", "否");
  assert_shows ("contains(s, \"封装\")", "是");
  assert_shows ("matches(s, \"^碳化硅.{4}研发$\")", "是");
  assert_shows ("years_between(d1, d2)", "4");
  assert_shows ("months_between(d1, d2)", "59");
  assert_shows ("days_between(date(\"2024-01-01\"), d2)", "30");
  assert_shows ("add_years(date(\"2024-02-29\"), 1)", "2025-02-28");
  assert_shows ("add_days(d2, 1)", "2024-02-01");
  assert_shows ("deadline(\"online\") == d2", "是");
  assert_shows ("year(d1)", "2019");
  assert_shows ("birth_date(p.id_number) == p.birth_date", "是");
  assert_shows ("years_between(p.birth_date, deadline(\"online\"))", "35");
  assert_shows ("id_card(p.id_number) and uscc(\"91320600MA1X2B3C4U\")", "是");
  assert_shows ("mobile(\"13812345678\") and email(\"a@b.cn\")", "是");
  assert_shows ("flag == true", "是");
  assert_shows ("s == \"碳化硅封装技术研发\" and s != \"别的\"", "是");
  assert_shows ("1 + 2 × 3 − 4 ÷ 2", "5");
  assert_shows ("a ≥ 150万 and a ≤ 150万 and a ≠ 1元", "是");
}

static void
test_type_errors (void)
{
  assert_compile_error ("a > 150", "mixes an amount of money with a plain number");
  assert_compile_error ("a + n", "mixes");
  assert_compile_error ("a * b", "cannot combine");
  assert_compile_error ("n / a", "mixes");
  assert_compile_error ("s > \"x\"", "cannot combine");
  assert_compile_error ("d1 + 1", "cannot combine");
  assert_compile_error ("a and flag", "needs a yes/no value");
  assert_compile_error ("min(a, 3)", "mixes amounts of money with plain numbers");
  assert_compile_error ("sum(a)", "sum() takes a column");
  assert_compile_error ("len(a)", "len needs a text");
  assert_compile_error ("if(flag, a, n)", "both branches");
  assert_compile_error ("p", "cannot be used as a whole");
  assert_compile_error ("nothing > 1", "there is no field “nothing”");
  assert_compile_error ("p.salary", "“p” has no part “salary”");
  assert_compile_error ("a.b", "has no parts");
  assert_compile_error ("t.price", "has no part “price”");
  assert_compile_error ("all(a, true)", "takes a table");
  assert_compile_error ("deadline(\"paper\")", "no deadline “paper”");
  assert_compile_error ("date(\"2023-02-30\")", "not a day of the calendar");
  assert_compile_error ("matches(s, \"(\")", "not a valid regular expression");
  assert_compile_error ("matches(s, s)", "pattern as a text in quotes");
  assert_compile_error ("frobnicate(a)", "no function “frobnicate”");
  assert_compile_error ("len(s, s)", "takes 1 argument, not 2");
}

static void
test_syntax_errors_have_positions (void)
{
  assert_compile_error ("a >", "line 1, column 4: the expression ends too early");
  assert_compile_error ("a +\n  * b", "line 2, column 3");
  assert_compile_error ("(a > 1元", "expected “)”");
  assert_compile_error ("a = 1元", "write “==” to compare");
  assert_compile_error ("1 < 2 < 3", "cannot be chained");
  assert_compile_error ("a > 150.00001万", "more than 4 decimal places");
  assert_compile_error ("a > 1.5元", "not a whole number of 元");
  assert_compile_error ("a > 1.万", "“1.” needs a digit after the decimal point");
  assert_compile_error ("n > 1.", "“1.” needs a digit after the decimal point");
  assert_compile_error ("n > .5", "unexpected character “.”");
  assert_compile_error ("\"open", "not closed");
  assert_compile_error ("a > 1元 $", "unexpected character “$”");
  assert_compile_error ("", "empty");
  assert_compile_error ("a b", "unexpected text after the end");
}

static void
test_depth_limits (void)
{
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GString) chain = g_string_new ("1");
  g_autoptr(GString) negations = g_string_new (NULL);

  /* 10,000 parentheses, a chain of 10,000 additions, 10,000 "not"s: an
   * error each, never a stack overflow */
  for (int i = 0; i < 10000; i++)
    g_string_append_c (nested, '(');
  g_string_append_c (nested, '1');
  for (int i = 0; i < 10000; i++)
    g_string_append_c (nested, ')');
  assert_compile_error (nested->str, "nested more than 100 levels");

  for (int i = 0; i < 10000; i++)
    g_string_append (chain, " + 1");
  assert_compile_error (chain->str, "too long: more than 1000 operations in a row");

  for (int i = 0; i < 10000; i++)
    g_string_append (negations, "not ");
  g_string_append (negations, "true");
  assert_compile_error (negations->str, "nested more than 100 levels");

  /* 100 levels of parentheses are fine, 101 are not */
  g_string_truncate (nested, 0);
  for (int i = 0; i < 100; i++)
    g_string_append_c (nested, '(');
  g_string_append (nested, "n");
  for (int i = 0; i < 100; i++)
    g_string_append_c (nested, ')');
  assert_shows (nested->str, "4");
  g_string_prepend_c (nested, '(');
  g_string_append_c (nested, ')');
  assert_compile_error (nested->str, "nested more than 100 levels");

  /* a chain of exactly 1,000 operations is fine, 1,001 are not */
  g_string_truncate (chain, 0);
  g_string_append (chain, "1");
  for (int i = 0; i < SB_EXPR_MAX_TREE_DEPTH; i++)
    g_string_append (chain, " + 1");
  assert_shows (chain->str, "1001");
  g_string_append (chain, " + 1");
  assert_compile_error (chain->str, "too long: more than 1000 operations in a row");

  /* the same with 999 "and"s and a comparison at the top */
  g_string_truncate (chain, 0);
  g_string_append (chain, "true");
  for (int i = 0; i < SB_EXPR_MAX_TREE_DEPTH - 1; i++)
    g_string_append (chain, " and true");
  g_string_prepend (chain, "(");
  g_string_append (chain, ") == true");
  assert_shows (chain->str, "是");
  g_string_prepend (chain, "(true and ");
  g_string_append (chain, ")");
  assert_compile_error (chain->str, "too long: more than 1000 operations in a row");
}

/* The evaluation budget, at the limit and one step short of it: an
 * expression evaluates with exactly the steps it needs and fails with one
 * fewer; the steps never exceed the worst case counted on load. */
static void
test_budget (void)
{
  const char *sources[] = {
    "a + b > 150万",
    "sum(t.amount) / 1元 + count(t)",
    "all(t, any(t, t.amount >= 0元) or true)",
    "count_if(t, contains(t.name, \"甲\")) + max(t.amount) / 1元",
    "if(present(s), len(s), 0) + years_between(d1, d2)",
    "matches(s, \"^(封装|技术)+$\") or contains(m, \"x\")",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbExpr) expr = compile (sources[i], &error);
      SbEvalContext context = { lookup, NULL };
      guint64 left = G_MAXUINT32, needed;
      SbEval value;

      g_assert_no_error (error);
      context.steps_left = &left;
      g_assert_true (sb_expr_evaluate (expr, &context, &value, &error));
      needed = G_MAXUINT32 - left;
      g_assert_cmpuint (needed, >, 0);
      g_assert_cmpuint (needed, <=, sb_expr_get_cost (expr));

      left = needed;
      g_assert_true (sb_expr_evaluate (expr, &context, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (left, ==, 0);

      left = needed - 1;
      g_assert_false (sb_expr_evaluate (expr, &context, &value, &error));
      g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
      g_assert_nonnull (strstr (error->message, "more than 10000000 steps of evaluation"));
      g_assert_cmpuint (left, ==, 0);
    }

  /* the worst case: sum over a column of 1,000 rows, all() over them */
  {
    g_autoptr(SbExpr) sum = compile ("sum(t.amount)", NULL);
    g_autoptr(SbExpr) nested = compile ("all(t, all(t, true))", NULL);

    g_assert_cmpuint (sb_expr_get_cost (sum), ==, 1 + 1 + SB_EXPR_MAX_LIST_ITEMS);
    g_assert_cmpuint (sb_expr_get_cost (nested), ==,
                      1 + 1 + SB_EXPR_MAX_LIST_ITEMS + SB_EXPR_MAX_LIST_ITEMS * (1 + 1 + 2 * SB_EXPR_MAX_LIST_ITEMS));
  }

  /* nesting that could exceed the budget is refused on load */
  assert_compile_error ("all(t, all(t, all(t, true)))", "could need more than 10000000 steps");
}

/* A pattern that backtracks exponentially stops at PCRE2's limit. */
static void
test_regex_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbRegex) regex = sb_regex_new ("^(a|a)*$", &error);
  g_autofree char *hostile = g_strnfill (40, 'a');
  g_autofree char *text = NULL;
  gboolean matched = FALSE;

  g_assert_no_error (error);
  g_assert_true (sb_regex_match (regex, hostile, &matched, &error));
  g_assert_true (matched);

  text = g_strconcat (hostile, "b", NULL);
  g_assert_false (sb_regex_match (regex, text, &matched, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_assert_nonnull (strstr (error->message, "needs too many steps"));
  g_clear_error (&error);

  /* a search, in UTF-8 characters */
  g_clear_pointer (&regex, sb_regex_free);
  regex = sb_regex_new ("封.技", &error);
  g_assert_true (sb_regex_match (regex, "碳化硅封装技术", &matched, &error));
  g_assert_true (matched);

  g_clear_pointer (&regex, sb_regex_free);
  regex = sb_regex_new ("a(", &error);
  g_assert_null (regex);
  g_assert_error (error, SB_ERROR, SB_ERROR_EXPRESSION);
  g_assert_nonnull (strstr (error->message, "at character 3 of the pattern"));
}

static void
assert_evaluation_error (const char *source,
                         const char *fragment)
{
  g_autoptr(GError) error = NULL;
  SbEval value;

  g_assert_false (evaluate (source, &value, NULL, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_evaluation_errors (void)
{
  assert_evaluation_error ("a / zero > 1元", "division by zero");
  assert_evaluation_error ("n / (n - 4)", "division by zero");
  assert_evaluation_error ("add_years(d1, 500)", "outside the years");
  assert_evaluation_error ("add_days(d1, 0.5) == d1", "whole number");
  /* but "false and …" never evaluates the division */
  assert_shows ("false and a / zero > 1元", "否");
}

static void
test_templates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbTemplate) message = sb_template_parse ("总投入{a}，一半为{a * 0.5}，{{不变}}，空值{empty}", &error);
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;
  SbEvalContext context = { lookup, NULL };

  g_assert_no_error (error);
  g_assert_true (sb_template_check (message, sb_call_get_resolver (call), NULL, &error));
  g_assert_no_error (error);
  zh = sb_template_render (message, &context, TRUE);
  en = sb_template_render (message, &context, FALSE);
  g_assert_cmpstr (zh, ==, "总投入150万元，一半为75万元，{不变}，空值（未填写）");
  g_assert_cmpstr (en, ==, "总投入1,500,000 yuan，一半为750,000 yuan，{不变}，空值(not filled in)");

  /* a "}" inside quoted text does not end the placeholder */
  {
    g_autoptr(SbTemplate) quoted = sb_template_parse ("{if(flag, \"{是}\", \"否\")}！", &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    g_assert_true (sb_template_check (quoted, sb_call_get_resolver (call), NULL, &error));
    text = sb_template_render (quoted, &context, TRUE);
    g_assert_cmpstr (text, ==, "{是}！");
  }

  /* a choice is shown by its label, not its stored value */
  {
    g_autoptr(SbTemplate) choices = sb_template_parse ("已选：{m}", &error);
    g_autofree char *zh_choices = NULL;
    g_autofree char *en_choices = NULL;

    g_assert_true (sb_template_check (choices, sb_call_get_resolver (call), NULL, &error));
    zh_choices = sb_template_render (choices, &context, TRUE);
    en_choices = sb_template_render (choices, &context, FALSE);
    g_assert_cmpstr (zh_choices, ==, "已选：选项甲");
    g_assert_cmpstr (en_choices, ==, "已选：Option X");
  }

  {
    g_autoptr(SbTemplate) broken = sb_template_parse ("值{a >}", &error);
    g_assert_null (broken);
    g_assert_error (error, SB_ERROR, SB_ERROR_EXPRESSION);
    g_assert_nonnull (strstr (error->message, "column 2"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GBytes) definition_bytes = g_bytes_new_static (definition, strlen (definition));
  g_autoptr(GBytes) draft_bytes = g_bytes_new_static (draft_text, strlen (draft_text));
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  call = sb_call_new_from_bytes (definition_bytes, "expr-test.json", &error);
  g_assert_no_error (error);
  g_assert_true (sb_catalog_add_call (catalog, call, SB_ORIGIN_BUILTIN, &error));
  draft = sb_draft_load_bytes (draft_bytes, "expr-test-draft.json", catalog, &error);
  g_assert_no_error (error);

  g_test_add_func ("/expr/money-exact", test_money_exact);
  g_test_add_func ("/expr/unknown-values", test_unknown_values);
  g_test_add_func ("/expr/tables", test_tables);
  g_test_add_func ("/expr/texts-and-dates", test_texts_and_dates);
  g_test_add_func ("/expr/type-errors", test_type_errors);
  g_test_add_func ("/expr/syntax-errors-have-positions", test_syntax_errors_have_positions);
  g_test_add_func ("/expr/depth-limits", test_depth_limits);
  g_test_add_func ("/expr/evaluation-errors", test_evaluation_errors);
  g_test_add_func ("/expr/templates", test_templates);
  g_test_add_func ("/expr/budget", test_budget);
  g_test_add_func ("/expr/regex-limits", test_regex_limits);

  status = g_test_run ();
  g_clear_object (&draft);
  g_clear_object (&call);
  return status;
}
