/* test-migration.c — drafts of an older version of their call move to the
 * newest version on load
 *
 * The v1 drafts in tests/migration/ are the samples as they were under
 * version 1 of each call. Each migrates, drops exactly what version 2 no
 * longer has (and says so), and then validates as the v2 sample does.
 * Saving over the original first keeps it as a backup, never overwritten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-json.h"
#include "sb-validator.h"

static SbCatalog *catalog;

typedef struct {
  const char *call;
  const char *dropped[4];
} Migration;

static const Migration migrations[] = {
  { "nantong-2023-qianzhan", { NULL } },
  { "quzhou-2020-jingzheng", { "$.values.feasibility_summary", "$.values.budget_explanation", NULL } },
  { "jingdezhen-2022-jiebang", { "$.values.support", NULL } },
  { "jingdezhen-2022-keji", { NULL } },
};

static SbDraft *
load_from (const char *path,
           const char *folder_of)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) place = g_file_new_for_path (folder_of);
  g_autoptr(GError) error = NULL;
  SbDraft *draft = sb_draft_load (file, catalog, &error);

  g_assert_no_error (error);
  /* attachments are found relative to the samples */
  sb_draft_set_file (draft, place);
  return draft;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The problems as "severity code path", sorted, without the migration note. */
static char *
summary (SbDraft *draft)
{
  g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (draft));
  g_autoptr(GPtrArray) problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (!g_str_equal (problem->code, "draft_migrated"))
        g_ptr_array_add (lines, g_strdup_printf ("%s %s %s", sb_severity_to_string (problem->severity),
                                                 problem->code, problem->path));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_migrates (gconstpointer data)
{
  const Migration *m = data;
  g_autofree char *name = g_strdup_printf ("%s-v1.json", m->call);
  g_autofree char *v1 = g_build_filename (SOURCE_DIR, "tests", "migration", name, NULL);
  g_autofree char *sample_name = g_strdup_printf ("%s.json", m->call);
  g_autofree char *v2 = g_build_filename (SOURCE_DIR, "resources", "samples", sample_name, NULL);
  g_autoptr(SbDraft) old = load_from (v1, v2);
  g_autoptr(SbDraft) current = load_from (v2, v2);
  g_autofree char *old_problems = NULL;
  g_autofree char *current_problems = NULL;
  GPtrArray *dropped = sb_draft_get_dropped (old);
  guint expected = 0;

  g_assert_cmpint (sb_draft_get_migrated_from (old), ==, 1);
  g_assert_cmpint (sb_call_get_version (sb_draft_get_call (old)), ==, 2);
  g_assert_cmpint (sb_draft_get_migrated_from (current), ==, 0);

  while (m->dropped[expected] != NULL)
    expected++;
  g_assert_cmpuint (dropped->len, ==, expected);
  for (guint i = 0; i < expected; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (dropped, m->dropped[i], g_str_equal, NULL));

  old_problems = summary (old);
  current_problems = summary (current);
  g_assert_cmpstr (old_problems, ==, current_problems);

  /* the migration is reported once, as a note */
  {
    g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (old));
    g_autoptr(GPtrArray) problems = sb_validator_validate (validator, old, SB_VALIDATE_DEFAULT);
    guint notes = 0;

    for (guint i = 0; i < problems->len; i++)
      {
        SbProblem *problem = g_ptr_array_index (problems, i);

        if (!g_str_equal (problem->code, "draft_migrated"))
          continue;
        notes++;
        g_assert_cmpint (problem->severity, ==, SB_SEVERITY_INFO);
        for (guint j = 0; j < expected; j++)
          g_assert_nonnull (strstr (problem->message_en, m->dropped[j]));
      }
    g_assert_cmpuint (notes, ==, 1);
  }
}

/* A dropped acknowledgement of a rule that is gone is listed too. */
static void
test_acknowledged_dropped (void)
{
  g_autofree char *v1 = g_build_filename (SOURCE_DIR, "tests", "migration", "quzhou-2020-jingzheng-v1.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = NULL;

  g_assert_true (g_file_get_contents (v1, &text, NULL, NULL));
  edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, "\"acknowledged\": []", "\"acknowledged\": [\"blind_summary_pi\"]", 1), ==, 1);
  bytes = g_bytes_new (edited->str, edited->len);
  draft = sb_draft_load_bytes (bytes, "ack.json", catalog, &error);
  g_assert_no_error (error);
  g_assert_true (g_ptr_array_find_with_equal_func (sb_draft_get_dropped (draft), "$.acknowledged: blind_summary_pi",
                                                   g_str_equal, NULL));
  g_assert_false (sb_draft_is_acknowledged (draft, "blind_summary_pi"));
}

/* Parts of a person, table columns and attachment slots the new version no
 * longer has are dropped as well, each listed with its path. */
static void
test_nested_dropped (void)
{
  static const char definition[] =
    "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"moving\", \"version\": 2,"
    " \"title\": {\"zh\": \"测试\", \"en\": \"Test\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
    " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
    "  {\"id\": \"pi\", \"type\": \"person\", \"label\": {\"zh\": \"负责人\", \"en\": \"PI\"}, \"subfields\": [\"name\"]},"
    "  {\"id\": \"rows\", \"type\": \"table\", \"label\": {\"zh\": \"表\", \"en\": \"Rows\"},"
    "   \"columns\": [{\"id\": \"v\", \"type\": \"text\", \"label\": {\"zh\": \"值\", \"en\": \"V\"}}]}]}]}";
  static const char draft_text[] =
    "{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"moving\", \"version\": 1},"
    " \"values\": {\"pi\": {\"name\": \"沈嘉豪\", \"phone\": \"0513-1234567\"},"
    "  \"rows\": [{\"v\": \"a\", \"w\": \"b\"}, {\"v\": \"c\"}], \"gone\": 3},"
    " \"attachments\": {\"old_slot\": [{\"file\": \"x.pdf\"}]}}";
  g_autoptr(SbCatalog) own = sb_catalog_new ();
  g_autoptr(GBytes) call_bytes = g_bytes_new_static (definition, sizeof definition - 1);
  g_autoptr(GBytes) draft_bytes = g_bytes_new_static (draft_text, sizeof draft_text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = sb_call_new_from_bytes (call_bytes, "moving.json", &error);
  g_autoptr(SbDraft) draft = NULL;
  GPtrArray *dropped;
  const char *expected[] = { "$.values.pi.phone", "$.values.rows[0].w", "$.values.gone", "$.attachments.old_slot" };

  g_assert_no_error (error);
  g_assert_true (sb_catalog_add_call (own, call, SB_ORIGIN_COMMAND_LINE, &error));
  draft = sb_draft_load_bytes (draft_bytes, "moving-draft.json", own, &error);
  g_assert_no_error (error);
  dropped = sb_draft_get_dropped (draft);
  g_assert_cmpuint (dropped->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!g_ptr_array_find_with_equal_func (dropped, expected[i], g_str_equal, NULL))
      g_error ("%s was not listed as dropped", expected[i]);
  g_assert_cmpstr (sb_value_get_string (sb_value_record_get (sb_draft_get_value (draft, "pi"), "name")), ==, "沈嘉豪");
}

static void
test_backup (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-migration-XXXXXX", NULL);
  g_autofree char *v1 = g_build_filename (SOURCE_DIR, "tests", "migration", "jingdezhen-2022-jiebang-v1.json", NULL);
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *backup = g_build_filename (dir, "draft.json.v1.bak", NULL);
  g_autofree char *second = g_build_filename (dir, "draft.json.v1.2.bak", NULL);
  g_autofree char *original = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (v1, &original, &length, NULL));

  /* a file of that name with other content is never overwritten */
  g_assert_true (g_file_set_contents (path, original, length, NULL));
  g_assert_true (g_file_set_contents (backup, "someone else's backup", -1, NULL));
  {
    g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);

    g_assert_no_error (error);
    g_assert_true (sb_draft_save (draft, file, &error));
    g_assert_no_error (error);
    /* saving again writes no second backup */
    g_assert_true (sb_draft_save (draft, file, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (backup, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "someone else's backup");
  g_clear_pointer (&kept, g_free);
  g_assert_true (g_file_get_contents (second, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, original);

  /* the saved draft is of version 2 and loads without migrating */
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"version\" : 2"));
  g_assert_null (strstr (saved, "\"support\""));
  {
    g_autoptr(SbDraft) again = sb_draft_load (file, catalog, &error);

    g_assert_no_error (error);
    g_assert_cmpint (sb_draft_get_migrated_from (again), ==, 0);
  }

  g_unlink (path);
  g_unlink (backup);
  g_unlink (second);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) forms_dir = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  forms_dir = g_file_new_build_filename (SOURCE_DIR, "forms", NULL);
  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);
  sb_catalog_add_directory (catalog, forms_dir, SB_ORIGIN_COMMAND_LINE);

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/migration/v1-to-v2/%s", migrations[i].call);
      g_test_add_data_func (path, &migrations[i], test_migrates);
    }
  g_test_add_func ("/migration/acknowledged-dropped", test_acknowledged_dropped);
  g_test_add_func ("/migration/nested-dropped", test_nested_dropped);
  g_test_add_func ("/migration/backup", test_backup);

  status = g_test_run ();
  g_object_unref (catalog);
  return status;
}
