/* test-calls.c — every rule of every built-in call, at its boundary
 *
 * The cases are data, in tests/cases/<call>.json: each starts from the
 * call's complete sample draft (resources/samples/<call>.json), changes a
 * few values, validates with the real attached files, and states which
 * problems must and must not appear. Every rule of a call needs at least one
 * case where it fails and one where it holds, or this test fails.
 *
 * Case file:
 *   { "call": ID, "sample": FILE,
 *     "cases": [ { "name": TEXT,
 *                  "set": { "values.total_investment": 1500000, … },
 *                  "expect": ["rule_id", "code@$.values.path", …],
 *                  "expect_not": ["rule_id", …],
 *                  "errors": N,
 *                  "computed": { "pay_first": 500001, "due": "2024-03-01" },
 *                  "acknowledged": ["rule_id"],           (reported, and marked acknowledged)
 *                  "sample": FILE } ] }       (optional: another sample to start from)
 * A "set" key is a dotted path into the draft (numbers index arrays); null
 * removes the member; {"repeat": "字", "times": 500} makes a long text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-json.h"
#include "sb-rule.h"
#include "sb-validator.h"

typedef struct {
  char      *call_id;
  char      *sample;
  JsonNode  *spec;
  char      *name;
} Case;

static SbCatalog *catalog;

static void
case_free (Case *c)
{
  g_free (c->call_id);
  g_free (c->sample);
  json_node_unref (c->spec);
  g_free (c->name);
  g_free (c);
}

static JsonNode *
expand_value (JsonNode *value)
{
  if (JSON_NODE_HOLDS_OBJECT (value) &&
      json_object_has_member (json_node_get_object (value), "repeat"))
    {
      JsonObject *spec = json_node_get_object (value);
      const char *unit = json_object_get_string_member (spec, "repeat");
      gint64 times = json_object_get_int_member (spec, "times");
      g_autoptr(GString) text = g_string_new (NULL);

      for (gint64 i = 0; i < times; i++)
        g_string_append (text, unit);
      return json_node_init_string (json_node_alloc (), text->str);
    }
  return json_node_copy (value);
}

/* Sets (or with null removes) the member at a dotted path of the draft. */
static void
apply_patch (JsonNode   *root,
             const char *path,
             JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n; i++)
    {
      const char *part = parts[i];
      gboolean last = i + 1 == n;

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint) g_ascii_strtoull (part, NULL, 10);

          g_assert_cmpuint (index, <, json_array_get_length (array));
          if (last && JSON_NODE_HOLDS_NULL (value))
            json_array_remove_element (array, index);
          else if (last)
            {
              /* replace in place: remove and re-add keeps order only at the end,
               * so rebuild the array */
              g_autoptr(JsonArray) rebuilt = json_array_new ();
              for (guint j = 0; j < json_array_get_length (array); j++)
                json_array_add_element (rebuilt, j == index ? expand_value (value)
                                                            : json_node_copy (json_array_get_element (array, j)));
              json_node_set_array (node, rebuilt);
            }
          else
            node = json_array_get_element (array, index);
          continue;
        }

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      if (last)
        {
          JsonObject *object = json_node_get_object (node);

          if (JSON_NODE_HOLDS_NULL (value))
            {
              if (json_object_has_member (object, part))
                json_object_remove_member (object, part);
            }
          else
            json_object_set_member (object, part, expand_value (value));
        }
      else
        {
          JsonObject *object = json_node_get_object (node);

          if (!json_object_has_member (object, part))
            json_object_set_object_member (object, part, json_object_new ());
          node = json_object_get_member (object, part);
        }
    }
}

static GPtrArray *
validate_case (Case         *c,
               SbDraft     **out_draft,
               SbValidator **out_validator)
{
  g_autofree char *sample_path = g_build_filename (SOURCE_DIR, "resources", "samples", c->sample, NULL);
  g_autoptr(GFile) sample_file = g_file_new_for_path (sample_path);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *set;
  SbDraft *draft;
  gsize length;

  root = sb_json_parse_file (sample_file, &error);
  g_assert_no_error (error);

  set = json_object_has_member (json_node_get_object (c->spec), "set")
        ? json_object_get_object_member (json_node_get_object (c->spec), "set") : NULL;
  if (set != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (set);

      for (GList *l = members; l != NULL; l = l->next)
        apply_patch (root, l->data, json_object_get_member (set, l->data));
    }

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (g_steal_pointer (&data), length);

  draft = sb_draft_load_bytes (bytes, c->name, catalog, &error);
  g_assert_no_error (error);
  sb_draft_set_file (draft, sample_file);

  validator = sb_validator_new (sb_draft_get_call (draft));
  *out_draft = draft;
  if (out_validator != NULL)
    *out_validator = g_object_ref (validator);
  return sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *expectation)
{
  g_auto(GStrv) parts = g_strsplit (expectation, "@", 2);

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, parts[0]) && (parts[1] == NULL || g_str_equal (problem->path, parts[1])))
        return TRUE;
    }
  return FALSE;
}

static char *
describe (GPtrArray *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);
      g_string_append_printf (out, "\n  %s %s %s: %s", sb_severity_to_string (problem->severity),
                              problem->code, problem->path, problem->message_zh);
    }
  return g_string_free (out, FALSE);
}

/* Calculated values, as a draft would store them: integers (money in 元),
 * texts and dates as strings, decimals as exact text. */
static void
check_computed (Case        *c,
                SbDraft     *draft,
                SbValidator *validator,
                JsonObject  *computed)
{
  g_autoptr(GList) members = json_object_get_members (computed);

  for (GList *l = members; l != NULL; l = l->next)
    {
      SbField *field = sb_call_find_field (sb_draft_get_call (draft), l->data);
      JsonNode *expected = json_object_get_member (computed, l->data);
      const SbValue *value;
      g_autofree char *actual = NULL;
      g_autofree char *wanted = NULL;

      if (field == NULL)
        {
          g_test_fail_printf ("%s: no field “%s”", c->name, (const char *) l->data);
          continue;
        }
      value = sb_validator_get_value (validator, field);
      if (value == NULL)
        actual = g_strdup ("null");
      else if (sb_value_get_kind (value) == SB_VALUE_NUMBER)
        actual = sb_number_format (sb_value_get_number (value), 8);
      else if (sb_value_get_kind (value) == SB_VALUE_DATE)
        actual = sb_date_format (sb_value_get_date (value));
      else if (sb_value_get_kind (value) == SB_VALUE_STRING)
        actual = g_strdup (sb_value_get_string (value));
      else if (sb_value_get_kind (value) == SB_VALUE_BOOL)
        actual = g_strdup (sb_value_get_bool (value) ? "true" : "false");
      else
        actual = g_strdup ("?");

      if (JSON_NODE_HOLDS_NULL (expected))
        wanted = g_strdup ("null");
      else if (json_node_get_value_type (expected) == G_TYPE_INT64)
        wanted = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (expected));
      else if (json_node_get_value_type (expected) == G_TYPE_BOOLEAN)
        wanted = g_strdup (json_node_get_boolean (expected) ? "true" : "false");
      else
        wanted = g_strdup (json_node_get_string (expected));

      if (!g_str_equal (actual, wanted))
        g_test_fail_printf ("%s: %s is %s, expected %s", c->name, (const char *) l->data, actual, wanted);
    }
}

static void
run_case (gconstpointer data)
{
  Case *c = (Case *) data;
  JsonObject *spec = json_node_get_object (c->spec);
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = validate_case (c, &draft, &validator);
  g_autofree char *found = describe (problems);
  JsonArray *expect = json_object_has_member (spec, "expect") ? json_object_get_array_member (spec, "expect") : NULL;
  JsonArray *expect_not = json_object_has_member (spec, "expect_not") ? json_object_get_array_member (spec, "expect_not") : NULL;

  for (guint i = 0; expect != NULL && i < json_array_get_length (expect); i++)
    {
      const char *code = json_array_get_string_element (expect, i);

      if (!has_problem (problems, code))
        g_test_fail_printf ("%s: expected “%s”; found:%s", c->name, code, found);
    }

  for (guint i = 0; expect_not != NULL && i < json_array_get_length (expect_not); i++)
    {
      const char *code = json_array_get_string_element (expect_not, i);

      if (has_problem (problems, code))
        g_test_fail_printf ("%s: did not expect “%s”; found:%s", c->name, code, found);
    }

  if (json_object_has_member (spec, "errors"))
    {
      guint errors, warnings, infos;

      sb_problems_count (problems, &errors, &warnings, &infos);
      if (errors != json_object_get_int_member (spec, "errors"))
        g_test_fail_printf ("%s: expected %" G_GINT64_FORMAT " errors, found %u:%s", c->name,
                 json_object_get_int_member (spec, "errors"), errors, found);
    }

  if (json_object_has_member (spec, "acknowledged"))
    {
      JsonArray *acknowledged = json_object_get_array_member (spec, "acknowledged");

      for (guint i = 0; i < json_array_get_length (acknowledged); i++)
        {
          const char *code = json_array_get_string_element (acknowledged, i);
          gboolean marked = FALSE;

          for (guint j = 0; j < problems->len; j++)
            {
              SbProblem *problem = g_ptr_array_index (problems, j);
              marked |= g_str_equal (problem->code, code) && problem->acknowledged;
            }
          if (!marked)
            g_test_fail_printf ("%s: “%s” should be reported as acknowledged; found:%s", c->name, code, found);
        }
    }

  if (json_object_has_member (spec, "computed"))
    check_computed (c, draft, validator, json_object_get_object_member (spec, "computed"));

  /* every message shows in both languages; a problem of a rule that is not
   * a condition of the call says what it rests on */
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);
      SbRule *rule = sb_call_find_rule (sb_draft_get_call (draft), problem->code);

      if (rule != NULL && sb_rule_get_basis (rule) != SB_RULE_BASIS_CALL)
        {
          g_assert_cmpstr (problem->basis, ==, sb_rule_basis_to_string (sb_rule_get_basis (rule)));
          g_assert_nonnull (strstr (problem->message_en, sb_rule_get_basis (rule) == SB_RULE_BASIS_OURS
                                                         ? "not a rule of the call" : " check"));
        }
      else if (rule != NULL)
        g_assert_null (problem->basis);

      g_assert_nonnull (problem->message_zh);
      g_assert_nonnull (problem->message_en);
      g_assert_cmpstr (problem->message_zh, !=, "");
      g_assert_cmpstr (problem->message_en, !=, "");
    }
}

static void
collect_expectations (JsonArray  *cases,
                      const char *member,
                      GHashTable *out)
{
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *spec = json_array_get_object_element (cases, i);
      JsonArray *codes;

      if (!json_object_has_member (spec, member))
        continue;
      codes = json_object_get_array_member (spec, member);
      for (guint j = 0; j < json_array_get_length (codes); j++)
        {
          g_auto(GStrv) parts = g_strsplit (json_array_get_string_element (codes, j), "@", 2);
          g_hash_table_add (out, g_strdup (parts[0]));
        }
    }
}

static void
check_rule_coverage (gconstpointer data)
{
  JsonNode *file = (JsonNode *) data;
  JsonObject *object = json_node_get_object (file);
  SbCall *call = sb_catalog_lookup (catalog, json_object_get_string_member (object, "call"), 0);
  JsonArray *cases = json_object_get_array_member (object, "cases");
  g_autoptr(GHashTable) failing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) passing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  GPtrArray *fields;

  g_assert_nonnull (call);
  collect_expectations (cases, "expect", failing);
  collect_expectations (cases, "expect_not", passing);

  g_ptr_array_extend (rules, sb_call_get_rules (call), NULL, NULL);
  fields = sb_call_get_fields (call);
  for (guint i = 0; i < fields->len; i++)
    g_ptr_array_extend (rules, sb_field_get_row_rules (g_ptr_array_index (fields, i)), NULL, NULL);

  for (guint i = 0; i < rules->len; i++)
    {
      const char *id = sb_rule_get_id (g_ptr_array_index (rules, i));

      if (!g_hash_table_contains (failing, id))
        g_string_append_printf (missing, " %s (no failing case)", id);
      if (!g_hash_table_contains (passing, id))
        g_string_append_printf (missing, " %s (no passing case)", id);
    }

  if (missing->len > 0)
    g_test_fail_printf ("%s: rules without a boundary case:%s", sb_call_get_id (call), missing->str);
}

static void
check_sample_is_clean (gconstpointer data)
{
  Case *c = (Case *) data;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GPtrArray) problems = validate_case (c, &draft, NULL);
  g_autofree char *found = describe (problems);
  guint errors, warnings, infos;

  sb_problems_count (problems, &errors, &warnings, &infos);
  if (errors != 0 || warnings != 0)
    g_test_fail_printf ("the sample %s should pass without errors or warnings:%s", c->sample, found);
}

static void
add_case_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = sb_json_parse_file (file, &error);
  JsonObject *object;
  JsonArray *cases;
  const char *call_id;
  g_autofree char *test_path = NULL;
  g_autoptr(GPtrArray) samples = NULL;

  g_assert_no_error (error);
  object = json_node_get_object (root);
  call_id = json_object_get_string_member (object, "call");
  cases = json_object_get_array_member (object, "cases");

  test_path = g_strdup_printf ("/calls/%s/rule-coverage", call_id);
  g_test_add_data_func_full (test_path, json_node_ref (root), check_rule_coverage, (GDestroyNotify) json_node_unref);

  /* the main sample, and any other sample a case starts from, passes clean */
  samples = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (samples, g_strdup (json_object_get_string_member (object, "sample")));
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *spec = json_array_get_object_element (cases, i);

      if (json_object_has_member (spec, "sample") &&
          !g_ptr_array_find_with_equal_func (samples, json_object_get_string_member (spec, "sample"), g_str_equal, NULL))
        g_ptr_array_add (samples, g_strdup (json_object_get_string_member (spec, "sample")));
    }
  for (guint i = 0; i < samples->len; i++)
    {
      Case *sample_case = g_new0 (Case, 1);
      g_autofree char *sample_path = NULL;

      sample_case->call_id = g_strdup (call_id);
      sample_case->sample = g_strdup (g_ptr_array_index (samples, i));
      sample_case->spec = json_node_init_object (json_node_alloc (), json_object_new ());
      sample_case->name = g_strdup_printf ("sample %s", sample_case->sample);
      sample_path = g_strdup_printf ("/calls/%s/sample-is-clean/%u", call_id, i + 1);
      g_test_add_data_func_full (sample_path, sample_case, check_sample_is_clean, (GDestroyNotify) case_free);
    }

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      Case *c = g_new0 (Case, 1);
      JsonObject *spec = json_array_get_object_element (cases, i);
      g_autofree char *case_path = NULL;

      c->call_id = g_strdup (call_id);
      c->sample = g_strdup (json_object_get_string_member (json_object_has_member (spec, "sample") ? spec : object,
                                                          "sample"));
      c->spec = json_node_copy (json_array_get_element (cases, i));
      c->name = g_strdup_printf ("%s: %s", call_id, json_object_get_string_member (spec, "name"));
      case_path = g_strdup_printf ("/calls/%s/case-%03u", call_id, i + 1);
      g_test_add_data_func_full (case_path, c, run_case, (GDestroyNotify) case_free);
    }
}

static void
test_every_call_has_cases (void)
{
  g_autoptr(GPtrArray) calls = sb_catalog_list_calls (catalog);

  g_assert_cmpuint (sb_catalog_get_errors (catalog)->len, ==, 0);
  g_assert_cmpuint (calls->len, >=, 1);
  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      g_autofree char *name = g_strdup_printf ("%s.json", sb_call_get_id (call));
      g_autofree char *path = g_build_filename (SOURCE_DIR, "tests", "cases", name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_test_fail_printf ("the built-in call %s has no cases in tests/cases/%s", sb_call_get_id (call), name);
    }
}

/* "An error means the bureau will reject this": every error rule of every
 * call cites the clause it enforces (with its words), or is labelled as a
 * consistency or format check; a check of our own is never an error. */
static void
test_every_error_is_grounded (void)
{
  g_autoptr(GPtrArray) calls = sb_catalog_list_calls (catalog);
  guint checked = 0;

  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      g_autoptr(GPtrArray) rules = g_ptr_array_new ();
      GPtrArray *fields = sb_call_get_fields (call);

      g_ptr_array_extend (rules, sb_call_get_rules (call), NULL, NULL);
      for (guint j = 0; j < fields->len; j++)
        g_ptr_array_extend (rules, sb_field_get_row_rules (g_ptr_array_index (fields, j)), NULL, NULL);

      for (guint j = 0; j < rules->len; j++)
        {
          SbRule *rule = g_ptr_array_index (rules, j);
          const SbCitation *citation = sb_rule_get_citation (rule);
          SbRuleBasis basis = sb_rule_get_basis (rule);
          gboolean cited = citation->clause != NULL && *citation->clause != '\0' &&
                           citation->quote != NULL && *citation->quote != '\0';

          if (sb_rule_get_severity (rule) != SB_SEVERITY_ERROR)
            continue;
          checked++;
          if (basis == SB_RULE_BASIS_OURS)
            g_test_fail_printf ("%s: the error %s is labelled as our own check", sb_call_get_id (call),
                                sb_rule_get_id (rule));
          else if (basis == SB_RULE_BASIS_CALL && !cited)
            g_test_fail_printf ("%s: the error %s cites no clause with its words and is not labelled as a "
                                "consistency or format check", sb_call_get_id (call), sb_rule_get_id (rule));
        }
    }
  g_assert_cmpuint (checked, >, 0);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cases_dir = g_build_filename (SOURCE_DIR, "tests", "cases", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) forms_dir = NULL;
  const char *name;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* the built-in definitions, overridden by the source tree's forms/ so that
   * a definition being written is tested before it is compiled in;
   * test-catalog checks that the two are the same files */
  forms_dir = g_file_new_build_filename (SOURCE_DIR, "forms", NULL);
  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);
  sb_catalog_add_directory (catalog, forms_dir, SB_ORIGIN_COMMAND_LINE);

  g_test_add_func ("/calls/every-call-has-cases", test_every_call_has_cases);
  g_test_add_func ("/calls/every-error-is-grounded", test_every_error_is_grounded);

  dir = g_dir_open (cases_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (cases_dir, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    add_case_file (g_ptr_array_index (names, i));

  status = g_test_run ();
  g_object_unref (catalog);
  return status;
}
