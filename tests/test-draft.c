/* test-draft.c — drafts: strict loading, exact saving, bad input, full disks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-json.h"
#include "sb-storage.h"
#include "sb-validator.h"
#include "sb-test-util.h"

static SbCatalog *catalog;

/* A tiny call with the edge cases the built-in ones do not have. */
static const char edge_call[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"edge\", \"version\": 2,"
  " \"title\": {\"zh\": \"边界\", \"en\": \"Edge\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "   {\"id\": \"amount\", \"type\": \"money\", \"label\": {\"zh\": \"金额\", \"en\": \"Amount\"}},"
  "   {\"id\": \"parts\", \"type\": \"integer\", \"label\": {\"zh\": \"份数\", \"en\": \"Parts\"}},"
  "   {\"id\": \"share\", \"type\": \"money\", \"label\": {\"zh\": \"每份\", \"en\": \"Share\"}, \"calculate\": \"amount / parts\","
  "    \"max\": \"100万\"},"
  "   {\"id\": \"region\", \"type\": \"text\", \"label\": {\"zh\": \"地区\", \"en\": \"Region\"}},"
  "   {\"id\": \"town\", \"type\": \"choice\", \"label\": {\"zh\": \"城镇\", \"en\": \"Town\"}, \"options\": ["
  "     {\"value\": \"a\", \"label\": {\"zh\": \"甲镇\", \"en\": \"A\"}, \"relevant\": \"region == \\\"north\\\"\"}]},"
  "   {\"id\": \"area\", \"type\": \"decimal\", \"label\": {\"zh\": \"面积\", \"en\": \"Area\"}, \"min\": \"500\"},"
  "   {\"id\": \"day\", \"type\": \"date\", \"label\": {\"zh\": \"日期\", \"en\": \"Day\"}},"
  "   {\"id\": \"summary\", \"type\": \"textarea\", \"label\": {\"zh\": \"概述\", \"en\": \"Summary\"}, \"max_length\": 500},"
  "   {\"id\": \"rows\", \"type\": \"table\", \"label\": {\"zh\": \"明细\", \"en\": \"Rows\"}, \"max_rows\": 100, \"columns\": ["
  "     {\"id\": \"v\", \"type\": \"money\", \"label\": {\"zh\": \"值\", \"en\": \"V\"}, \"required\": true}]}"
  " ]}],"
  " \"rules\": [{\"id\": \"per_part\", \"severity\": \"error\", \"check\": \"amount / parts >= 1元\","
  "   \"message\": {\"zh\": \"每份不足1元\", \"en\": \"Less than 1 yuan a part\"}, \"citation\": {\"clause\": \"一\"}},"
  "  {\"id\": \"big_sum\", \"severity\": \"warning\", \"check\": \"sum(rows.v) <= 1000万\","
  "   \"message\": {\"zh\": \"合计{sum(rows.v)}\", \"en\": \"Total {sum(rows.v)}\"}, \"citation\": {\"clause\": \"二\"}}]}";

static char *
sample_path (const char *name)
{
  return g_build_filename (SOURCE_DIR, "resources", "samples", name, NULL);
}

static char *
edge_draft (const char *values)
{
  return g_strdup_printf ("{\"format\": \"shenbao-draft\", \"format_version\": 1,"
                          " \"call\": {\"id\": \"edge\", \"version\": 2}, \"values\": {%s}}", values);
}

static SbDraft *
load_text (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return sb_draft_load_bytes (bytes, "draft.json", catalog, error);
}

static void
assert_draft_rejected (const char *text,
                       int         code,
                       const char *path,
                       const char *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = load_text (text, &error);

  g_assert_null (draft);
  g_assert_error (error, SB_ERROR, code);
  if (!g_str_has_prefix (error->message, "draft.json: ") ||
      (path != NULL && strstr (error->message, path) == NULL) || strstr (error->message, problem) == NULL)
    g_error ("expected “draft.json: %s…%s”, got “%s”", path ? path : "", problem, error->message);
}

static GPtrArray *
validate_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = load_text (text, &error);
  g_autoptr(SbValidator) validator = NULL;

  g_assert_no_error (error);
  validator = sb_validator_new (sb_draft_get_call (draft));
  return sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
}

static SbProblem *
find (GPtrArray  *problems,
      const char *code)
{
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((SbProblem *) g_ptr_array_index (problems, i))->code, code))
      return g_ptr_array_index (problems, i);
  return NULL;
}

static void
test_rejects_bad_drafts (void)
{
  g_autofree char *money_fraction = edge_draft ("\"amount\": 1500000.5");
  g_autofree char *money_huge = edge_draft ("\"amount\": 1e400");
  g_autofree char *money_beyond = edge_draft ("\"amount\": 9000000000000000000");
  g_autofree char *money_text = edge_draft ("\"amount\": \"150万\"");
  g_autofree char *bad_date = edge_draft ("\"day\": \"2023-02-30\"");
  g_autofree char *loose_date = edge_draft ("\"day\": \"2023/2/3\"");
  g_autofree char *decimal_float = edge_draft ("\"area\": 500.5");
  g_autofree char *decimal_digits = edge_draft ("\"area\": \"500.123\"");
  g_autofree char *unknown_field = edge_draft ("\"colour\": \"red\"");
  g_autofree char *unknown_column = edge_draft ("\"rows\": [{\"v\": 1, \"w\": 2}]");
  g_autofree char *row_not_object = edge_draft ("\"rows\": [1]");
  g_autofree char *duplicate = edge_draft ("\"amount\": 1, \"amount\": 2");

  assert_draft_rejected (money_fraction, SB_ERROR_INVALID_DRAFT, "$.values.amount", "whole number of 元");
  assert_draft_rejected (money_huge, SB_ERROR_PARSE, "$.values.amount", "too large to represent");
  assert_draft_rejected (money_beyond, SB_ERROR_INVALID_DRAFT, "$.values.amount", "beyond any amount");
  assert_draft_rejected (money_text, SB_ERROR_INVALID_DRAFT, "$.values.amount", "expected a whole number of 元, found a string");
  assert_draft_rejected (bad_date, SB_ERROR_INVALID_DRAFT, "$.values.day", "not a day of the calendar");
  assert_draft_rejected (loose_date, SB_ERROR_INVALID_DRAFT, "$.values.day", "YYYY-MM-DD");
  assert_draft_rejected (decimal_float, SB_ERROR_INVALID_DRAFT, "$.values.area", "written as text");
  assert_draft_rejected (decimal_digits, SB_ERROR_INVALID_DRAFT, "$.values.area", "more than 2 decimal places");
  assert_draft_rejected (unknown_field, SB_ERROR_INVALID_DRAFT, "$.values.colour", "has no field “colour”");
  assert_draft_rejected (unknown_column, SB_ERROR_INVALID_DRAFT, "$.values.rows[0].w", "has no part “w”");
  assert_draft_rejected (row_not_object, SB_ERROR_INVALID_DRAFT, "$.values.rows[0]", "expected an object");
  assert_draft_rejected (duplicate, SB_ERROR_PARSE, "$.values.amount", "appears twice");

  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"nowhere\", \"version\": 1}}",
                         SB_ERROR_UNKNOWN_CALL, "$.call", "“nowhere”, which this Shenbao does not have");
  /* an older version migrates (test-migration); a newer one is refused */
  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"edge\", \"version\": 3}}",
                         SB_ERROR_CALL_VERSION, "$.call", "version 3 of the call “edge”; the versions available are 2");
  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"format_version\": 1}",
                         SB_ERROR_INVALID_DRAFT, "$", "the key “call” is required");
  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"format_version\": 7, \"call\": {\"id\": \"edge\", \"version\": 2}}",
                         SB_ERROR_INVALID_DRAFT, "$.format_version", "update Shenbao");
  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"edge\", \"version\": 2},"
                         " \"acknowledged\": [\"no_such_rule\"]}",
                         SB_ERROR_INVALID_DRAFT, "$.acknowledged[0]", "no rule “no_such_rule”");
  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"edge\", \"version\": 2},"
                         " \"attachments\": {\"x\": []}}",
                         SB_ERROR_INVALID_DRAFT, "$.attachments.x", "asks for no attachment “x”");
}

/* The same guard as for definitions stands in front of every draft. */
static void
test_hostile_json (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"format\": \"shenbao-draft\", \"x\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GBytes) nul = g_bytes_new ("{\"format\": \"shenbao-draft\"\0}", 27);

  assert_draft_rejected ("{\"format\": \"shenbao-\xc3\x28\" \"draft\"}", SB_ERROR_PARSE, NULL, "not valid UTF-8");
  assert_draft_rejected ("{\"format\": \"shenbao-draft\", \"values\": {\"a\": \"\\u0000\"}}",
                         SB_ERROR_PARSE, "$.values.a", "NUL character");
  assert_draft_rejected ("{\"format\": NaN}", SB_ERROR_PARSE, "$.format", "expected a value");
  assert_draft_rejected ("", SB_ERROR_PARSE, NULL, "the file is empty");

  draft = sb_draft_load_bytes (nul, "draft.json", catalog, &error);
  g_assert_null (draft);
  g_assert_error (error, SB_ERROR, SB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "NUL byte"));

  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  assert_draft_rejected (deep->str, SB_ERROR_PARSE, "$.x", "nested deeper than 64 levels");
}

static void
test_defined_results (void)
{
  g_autofree char *zero_parts = edge_draft ("\"amount\": 100, \"parts\": 0");
  g_autofree char *negative_zero = edge_draft ("\"amount\": -0, \"parts\": 1");
  g_autofree char *small_area = edge_draft ("\"area\": \"499.99\"");
  g_autoptr(GPtrArray) problems = NULL;
  SbProblem *problem;

  /* dividing by zero blocks export with a clear error, in the rule and in
   * the calculated field; it never guesses a verdict */
  problems = validate_text (zero_parts);
  problem = find (problems, "evaluation");
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->severity, ==, SB_SEVERITY_ERROR);
  g_assert_nonnull (strstr (problem->message_en, "division by zero"));
  g_assert_nonnull (strstr (problem->message_zh, "division by zero"));
  g_assert_null (find (problems, "per_part"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* -0 is zero */
  problems = validate_text (negative_zero);
  g_assert_nonnull (find (problems, "per_part"));
  g_assert_null (find (problems, "min"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  problems = validate_text (small_area);
  problem = find (problems, "min");
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->path, ==, "$.values.area");
  g_assert_nonnull (strstr (problem->message_zh, "不得小于500，现为499.99"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* a calculated value is held to its bounds */
  {
    g_autofree char *big_share = edge_draft ("\"amount\": 3000006, \"parts\": 3");

    problems = validate_text (big_share);
    problem = find (problems, "max");
    g_assert_nonnull (problem);
    g_assert_cmpstr (problem->path, ==, "$.values.share");
    g_assert_nonnull (strstr (problem->message_zh, "不得超过100万元，现为100.0002万元"));
    g_clear_pointer (&problems, g_ptr_array_unref);
  }

  /* an option is ruled out only once the answer it depends on is known */
  {
    g_autofree char *undecided = edge_draft ("\"town\": \"a\"");
    g_autofree char *ruled_out = edge_draft ("\"town\": \"a\", \"region\": \"south\"");

    problems = validate_text (undecided);
    g_assert_null (find (problems, "choice_unavailable"));
    g_clear_pointer (&problems, g_ptr_array_unref);
    problems = validate_text (ruled_out);
    g_assert_nonnull (find (problems, "choice_unavailable"));
  }
}

static void
test_huge_inputs (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) rows = g_string_new ("\"rows\": [");
  g_autofree char *draft = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  SbProblem *problem;

  /* a text of exactly the longest string a draft may hold (1 MiB) where
   * 500 characters are allowed: loaded, counted in characters */
  for (int i = 0; i < SB_JSON_MAX_STRING_BYTES / 3; i++)
    g_string_append (text, "字");
  while (text->len < SB_JSON_MAX_STRING_BYTES)
    g_string_append_c (text, 'a');
  g_assert_cmpuint (text->len, ==, SB_JSON_MAX_STRING_BYTES);
  draft = g_strdup_printf ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"edge\", \"version\": 2},"
                           " \"values\": {\"summary\": \"%s\"}}", text->str);
  problems = validate_text (draft);
  problem = find (problems, "max_length");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message_zh, "现有349526个字"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&draft, g_free);

  /* one byte more: refused with the limit */
  g_string_append_c (text, 'a');
  draft = g_strdup_printf ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"edge\", \"version\": 2},"
                           " \"values\": {\"summary\": \"%s\"}}", text->str);
  assert_draft_rejected (draft, SB_ERROR_PARSE, NULL, "a string is longer than 1 MiB");
  g_clear_pointer (&draft, g_free);

  /* the most rows a table may have (1,000) where 100 are allowed: loaded,
   * and the sum is still exact */
  for (int i = 0; i < SB_DRAFT_MAX_ROWS; i++)
    g_string_append_printf (rows, "%s{\"v\": 10010}", i ? ", " : "");
  {
    g_autofree char *values = g_strdup_printf ("%s]", rows->str);

    draft = edge_draft (values);
  }
  problems = validate_text (draft);
  problem = find (problems, "max_rows");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message_en, "it has 1000"));
  problem = find (problems, "big_sum");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message_zh, "合计1001万元"));
  g_clear_pointer (&draft, g_free);

  /* one row more: refused with the limit */
  g_string_append (rows, ", {\"v\": 1}]");
  draft = edge_draft (rows->str);
  assert_draft_rejected (draft, SB_ERROR_INVALID_DRAFT, "$.values.rows", "the table has 1001 rows; at most 1000");
  g_clear_pointer (&draft, g_free);

  /* a file of exactly the largest size is read; one byte more is not */
  {
    g_autoptr(GString) padded = g_string_new ("{\"format\": \"shenbao-draft\", \"format_version\": 1,"
                                              " \"call\": {\"id\": \"edge\", \"version\": 2}, \"values\": {}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(SbDraft) loaded = NULL;

    while (padded->len < SB_JSON_MAX_BYTES)
      g_string_append_c (padded, ' ');
    loaded = load_text (padded->str, &error);
    g_assert_no_error (error);
    g_assert_nonnull (loaded);
    g_string_append_c (padded, ' ');
    assert_draft_rejected (padded->str, SB_ERROR_TOO_LARGE, NULL, "at most 8 MiB can be read");
  }
}

static void
test_round_trip (void)
{
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);
  g_autofree char *dir = g_dir_make_tmp ("shenbao-draft-XXXXXX", NULL);
  g_autofree char *copy_path = g_build_filename (dir, "copy.json", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(SbDraft) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (sb_draft_save (draft, copy, &error));
  g_assert_no_error (error);

  /* drafts hold ID numbers: only the owner reads them */
  g_assert_cmpint (g_stat (copy_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = sb_draft_load (copy, catalog, &error);
  g_assert_no_error (error);
  first = sb_draft_to_data (draft, NULL);
  second = sb_draft_to_data (again, NULL);
  g_assert_cmpstr (first, ==, second);

  /* the calculated values are never stored */
  g_assert_null (strstr (second, "self_raised"));
  g_assert_nonnull (strstr (second, "\"total_investment\" : 3200000"));

  g_unlink (copy_path);
  g_rmdir (dir);
}

/* The file system refuses to grow the file (as a full disk does): the save
 * fails with a clear error and the draft on disk is the old one, whole. */
static void
test_full_disk_keeps_old_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-full-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *sample = sample_path ("nantong-2023-qianzhan.json");

  if (g_test_subprocess ())
    {
      g_autoptr(GFile) sample_file = g_file_new_for_path (sample);
      g_autoptr(GFile) file = g_file_new_for_path (g_getenv ("SHENBAO_TEST_TARGET"));
      g_autoptr(GError) error = NULL;
      g_autoptr(SbDraft) draft = sb_draft_load (sample_file, catalog, &error);
      struct rlimit limit = { 1024, 1024 };

      g_assert_no_error (error);
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (sb_draft_save (draft, file, &error));
      g_printerr ("%s\n", error->message);
      return;
    }

  g_assert_true (g_file_set_contents (path, "{\"old\": \"contents\"}", -1, NULL));
  g_setenv ("SHENBAO_TEST_TARGET", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*draft.json: could not be saved*");

  {
    g_autofree char *contents = NULL;
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint files = 0;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "{\"old\": \"contents\"}");

    /* and no temporary file is left behind */
    while (g_dir_read_name (listing) != NULL)
      files++;
    g_assert_cmpuint (files, ==, 1);
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_unwritable_folder (void)
{
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) target = g_file_new_for_path ("/proc/shenbao-cannot-write-here.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);

  g_assert_no_error (error);
  g_assert_false (sb_draft_save (draft, target, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/proc/shenbao-cannot-write-here.json: could not be saved"));
}

/* A file that must be new (a key's backup) is never replaced, and a
 * refused write leaves neither a changed file nor a temporary one. */
static void
test_create_never_replaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("shenbao-create-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  guint entries = 0;

  g_assert_no_error (error);
  path = g_build_filename (folder, "ed25519.pem.bak", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (sb_storage_create_atomic (file, "first", 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_false (sb_storage_create_atomic (file, "second", 6, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "first");

  dir = g_dir_open (folder, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    entries++;
  g_assert_cmpuint (entries, ==, 1);
  sb_test_remove_tree (folder);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (edge_call, strlen (edge_call));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) edge = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);
  edge = sb_call_new_from_bytes (bytes, "edge.json", &error);
  g_assert_no_error (error);
  g_assert_true (sb_catalog_add_call (catalog, edge, SB_ORIGIN_COMMAND_LINE, &error));

  g_test_add_func ("/draft/rejects-bad-drafts", test_rejects_bad_drafts);
  g_test_add_func ("/draft/hostile-json", test_hostile_json);
  g_test_add_func ("/draft/defined-results", test_defined_results);
  g_test_add_func ("/draft/huge-inputs", test_huge_inputs);
  g_test_add_func ("/draft/round-trip", test_round_trip);
  g_test_add_func ("/draft/full-disk-keeps-old-file", test_full_disk_keeps_old_file);
  g_test_add_func ("/draft/unwritable-folder", test_unwritable_folder);
  g_test_add_func ("/draft/create-never-replaces", test_create_never_replaces);

  status = g_test_run ();
  g_object_unref (catalog);
  return status;
}
