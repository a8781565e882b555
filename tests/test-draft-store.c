/* test-draft-store.c — the drafts folder and the autosaver, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sb-autosaver.h"
#include "sb-catalog.h"
#include "sb-draft-store.h"
#include "sb-validator.h"
#include "sb-test-util.h"

static SbCatalog *catalog;

typedef struct {
  char         *root;
  GFile        *directory;
  SbDraftStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("shenbao-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->directory = g_file_new_build_filename (fixture->root, "drafts", NULL);
  fixture->store = sb_draft_store_new (fixture->directory, catalog);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_object_unref (fixture->directory);
  sb_test_remove_tree (fixture->root);
  g_free (fixture->root);
}

static GFile *
sample (const char *name)
{
  return g_file_new_build_filename (SOURCE_DIR, "resources", "samples", name, NULL);
}

static char *
read_text (GFile *file)
{
  char *data = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &data, NULL, NULL, NULL));
  return data;
}

static guint
count_problems (SbDraft    *draft,
                SbSeverity  severity)
{
  g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (draft));
  g_autoptr(GPtrArray) problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
  guint errors, warnings, infos;

  sb_problems_count (problems, &errors, &warnings, &infos);
  return severity == SB_SEVERITY_ERROR ? errors : warnings;
}

/* Importing the sample copies the draft and every attachment it names into
 * a folder of its own; the copy loads and says what the original says. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) source = sample ("jingdezhen-2022-jiebang.json");
  g_autoptr(SbDraft) original = sb_draft_load (source, catalog, NULL);
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_import (fixture->store, source, &missing, &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *id = NULL;
  g_autoptr(SbDraft) reloaded = NULL;
  g_autoptr(GFile) copied = NULL;
  g_autoptr(GFile) folder = NULL;
  SbDraftEntry *entry;
  GPtrArray *refs;
  SbAttachmentRef *ref;

  g_assert_no_error (error);
  g_assert_nonnull (original);
  g_assert_cmpuint (missing->len, ==, 0);
  id = sb_draft_store_id_for_file (fixture->store, sb_draft_get_file (draft));
  g_assert_nonnull (id);
  g_assert_null (sb_draft_store_id_for_file (fixture->store, source));

  refs = sb_draft_get_attachments (draft, "sealed_form");
  g_assert_nonnull (refs);
  ref = g_ptr_array_index (refs, 0);
  g_assert_cmpstr (ref->file, ==, "attachments/jdz-jb-sealed-form.pdf");
  folder = g_file_get_parent (sb_draft_get_file (draft));
  copied = g_file_resolve_relative_path (folder, ref->file);
  g_assert_true (g_file_query_exists (copied, NULL));

  /* the copy is checked exactly like the original, files included */
  reloaded = sb_draft_store_load (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_problems (reloaded, SB_SEVERITY_ERROR), ==,
                    count_problems (original, SB_SEVERITY_ERROR));
  g_assert_cmpuint (count_problems (reloaded, SB_SEVERITY_WARNING), ==,
                    count_problems (original, SB_SEVERITY_WARNING));
  {
    g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (reloaded));
    g_autoptr(GPtrArray) problems = sb_validator_validate (validator, reloaded, SB_VALIDATE_FILES);
    g_autoptr(SbValidator) validator2 = sb_validator_new (sb_draft_get_call (original));
    g_autoptr(GPtrArray) problems2 = sb_validator_validate (validator2, original, SB_VALIDATE_FILES);
    g_assert_cmpuint (problems->len, ==, problems2->len);
  }

  entries = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->id, ==, id);
  g_assert_null (entry->broken);
  g_assert_nonnull (entry->call);
  g_assert_cmpstr (sb_call_get_id (entry->call), ==, "jingdezhen-2022-jiebang");
  g_assert_cmpuint (entry->errors, ==, count_problems (original, SB_SEVERITY_ERROR));
  g_assert_false (entry->unclosed);
}

/* A draft whose attachments are out of reach (as under the Flatpak, where
 * the portal hands over the draft file alone) imports with them listed. */
static void
test_import_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) source = sample ("jingdezhen-2022-jiebang.json");
  g_autofree char *text = read_text (source);
  g_autofree char *lonely = g_build_filename (fixture->root, "lonely.json", NULL);
  g_autoptr(GFile) lonely_file = g_file_new_for_path (lonely);
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = NULL;

  g_assert_true (g_file_set_contents (lonely, text, -1, NULL));
  draft = sb_draft_store_import (fixture->store, lonely_file, &missing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->len, ==, 2);
  g_ptr_array_add (missing, NULL);
  g_assert_true (g_strv_contains ((const char * const *) missing->pdata,
                                  "sealed_form: attachments/jdz-jb-sealed-form.pdf"));
  g_assert_true (g_strv_contains ((const char * const *) missing->pdata,
                                  "supporting_documents: attachments/jdz-jb-test-report.pdf"));
}

/* A file that is not a draft is refused with the loader's error, and
 * nothing is left behind in the store. */
static void
test_import_broken (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  SbDraft *draft;

  g_assert_true (g_file_set_contents (path, "{\"format\": \"shenbao-draft\", \"format_version\": 1,"
                                      " \"call\": {\"id\": \"nantong-2023-qianzhan\", \"version\": 99}}", -1, NULL));
  draft = sb_draft_store_import (fixture->store, file, NULL, &error);
  g_assert_null (draft);
  g_assert_error (error, SB_ERROR, SB_ERROR_CALL_VERSION);
  g_assert_nonnull (strstr (error->message, "broken.json"));
  entries = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* A stored draft that stops loading (edited by hand) is listed with the
 * reason and its file is never touched. */
static void
test_broken_kept (Fixture       *fixture,
                  gconstpointer  data)
{
  SbCall *call = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_create (fixture->store, call, &error);
  g_autofree char *id = sb_draft_store_id_for_file (fixture->store, sb_draft_get_file (draft));
  const char *path = g_file_peek_path (sb_draft_get_file (draft));
  const char *hand_edited = "{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": "
                            "{\"id\": \"nantong-2023-qianzhan\", \"version\": 2}, \"values\": {\"nope\": 1}}";
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *after = NULL;
  SbDraft *again;
  SbDraftEntry *entry;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, hand_edited, -1, NULL));
  entries = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_nonnull (entry->broken);
  g_assert_nonnull (strstr (entry->broken, "$.values.nope"));
  g_assert_null (entry->call);

  again = sb_draft_store_load (fixture->store, id, &error);
  g_assert_null (again);
  g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_DRAFT);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, hand_edited);
}

static void
test_duplicate_rename_trash (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GFile) source = sample ("nantong-2023-qianzhan.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_import (fixture->store, source, NULL, &error);
  g_autofree char *id = sb_draft_store_id_for_file (fixture->store, sb_draft_get_file (draft));
  g_autofree char *copy = NULL;
  g_autoptr(SbDraftEntry) renamed = NULL;
  g_autoptr(SbDraftEntry) copied = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) after_trash = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  g_autofree char *original_text = read_text (sb_draft_get_file (draft));
  g_autofree char *copy_text = NULL;

  g_assert_no_error (error);
  g_assert_true (sb_draft_store_rename (fixture->store, id, "  芯源 SiC 模块  ", &error));
  g_assert_no_error (error);
  renamed = sb_draft_store_get_entry (fixture->store, id);
  g_assert_cmpstr (renamed->title, ==, "芯源 SiC 模块");
  g_assert_false (sb_draft_store_rename (fixture->store, id, "   ", &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  copy = sb_draft_store_duplicate (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy, !=, id);
  copied = sb_draft_store_get_entry (fixture->store, copy);
  g_assert_cmpstr (copied->title, ==, "芯源 SiC 模块 (copy)");
  copy_text = read_text (copied->file);
  g_assert_cmpstr (copy_text, ==, original_text);
  entries = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);

  g_assert_true (sb_draft_store_trash (fixture->store, id, &error));
  g_assert_no_error (error);
  after_trash = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (after_trash->len, ==, 1);
  g_assert_true (sb_draft_store_untrash (fixture->store, id, &error));
  g_assert_no_error (error);
  after_undo = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (after_undo->len, ==, 2);

  g_assert_true (sb_draft_store_trash (fixture->store, id, &error));
  sb_draft_store_empty_trash (fixture->store);
  g_assert_false (sb_draft_store_untrash (fixture->store, id, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sb_draft_store_rename (fixture->store, "../x", "t", &error));
  g_assert_nonnull (error);
}

/* Autosaver */

typedef struct {
  GMainLoop *loop;
  guint      saved;
} Waiter;

static void
on_saved (SbAutosaver *saver,
          Waiter      *waiter)
{
  waiter->saved++;
  g_main_loop_quit (waiter->loop);
}

static gboolean
on_give_up (gpointer data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

static SbValue *
text_value (const char *text)
{
  return sb_value_new_string (text);
}

static char *
saved_project_name (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);
  SbValue *value;

  g_assert_no_error (error);
  value = sb_draft_get_value (draft, "project_name");
  return value != NULL ? g_strdup (sb_value_get_string (value)) : NULL;
}

/* Continuous typing still saves: the throttle is not pushed back by later
 * changes, and what is on disk is at most one interval old. */
static void
test_autosaver_throttle (Fixture       *fixture,
                         gconstpointer  data)
{
  SbCall *call = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_create (fixture->store, call, &error);
  g_autoptr(SbAutosaver) saver = NULL;
  g_autoptr(GString) typed = g_string_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Waiter waiter = { loop, 0 };
  gint64 start;
  guint give_up;
  GFile *file;

  g_assert_no_error (error);
  file = sb_draft_get_file (draft);
  saver = sb_autosaver_new (draft);
  g_assert_true (sb_autosaver_has_crash_marker (file));
  sb_autosaver_set_interval (saver, 100);
  g_signal_connect (saver, "saved", G_CALLBACK (on_saved), &waiter);

  /* type every 10 ms for 600 ms: saves must happen while typing goes on */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 600 * 1000)
    {
      g_string_append (typed, "字");
      sb_draft_set_value (draft, "project_name", text_value (typed->str));
      sb_autosaver_changed (saver);
      g_usleep (10 * 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (waiter.saved, >=, 2);
  g_assert_true (sb_autosaver_is_dirty (saver) || waiter.saved > 0);

  /* the last change reaches the disk by itself */
  give_up = g_timeout_add_seconds (5, on_give_up, NULL);
  while (sb_autosaver_is_dirty (saver) || waiter.saved == 0)
    g_main_loop_run (loop);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autofree char *saved = NULL;
    /* a write may still be in flight: wait for it */
    while (TRUE)
      {
        g_free (saved);
        saved = saved_project_name (file);
        if (g_strcmp0 (saved, typed->str) == 0)
          break;
        g_main_loop_run (loop);
      }
    g_assert_cmpstr (saved, ==, typed->str);
  }
  g_source_remove (give_up);

  /* closing saves and removes the marker */
  g_string_append (typed, "终");
  sb_draft_set_value (draft, "project_name", text_value (typed->str));
  sb_autosaver_changed (saver);
  g_assert_true (sb_autosaver_close (saver, &error));
  g_assert_no_error (error);
  g_assert_false (sb_autosaver_has_crash_marker (file));
  {
    g_autofree char *saved = saved_project_name (file);
    g_assert_cmpstr (saved, ==, typed->str);
  }
}

/* A write that fails (the disk is full: a file size limit) reports it and
 * leaves the last good file in place; the next save tries again. */
static void
test_autosaver_failure (Fixture       *fixture,
                        gconstpointer  data)
{
  SbCall *call = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_create (fixture->store, call, &error);
  g_autoptr(SbAutosaver) saver = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *saved = NULL;
  struct rlimit old_limit, limit;
  g_autoptr(GString) longer = g_string_new (NULL);

  g_assert_no_error (error);
  saver = sb_autosaver_new (draft);
  before = read_text (sb_draft_get_file (draft));
  for (guint i = 0; i < 200; i++)
    g_string_append (longer, "新");
  sb_draft_set_value (draft, "project_name", text_value (longer->str));

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = strlen (before);
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (sb_autosaver_save_now (saver, &error));
  g_clear_error (&error);
  /* closing cannot save either: the draft stays open, marker and all */
  g_assert_false (sb_autosaver_close (saver, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  g_assert_true (sb_autosaver_has_crash_marker (sb_draft_get_file (draft)));
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "draft.json"));
  g_clear_error (&error);
  g_assert_true (sb_autosaver_is_dirty (saver));
  after = read_text (sb_draft_get_file (draft));
  g_assert_cmpstr (after, ==, before);

  g_assert_true (sb_autosaver_close (saver, &error));
  g_assert_no_error (error);
  g_assert_false (sb_autosaver_has_crash_marker (sb_draft_get_file (draft)));
  saved = saved_project_name (sb_draft_get_file (draft));
  g_assert_cmpstr (saved, ==, longer->str);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/store/import", test_import);
  ADD ("/store/import-missing", test_import_missing);
  ADD ("/store/import-broken", test_import_broken);
  ADD ("/store/broken-kept", test_broken_kept);
  ADD ("/store/duplicate-rename-trash", test_duplicate_rename_trash);
  ADD ("/autosaver/throttle", test_autosaver_throttle);
  ADD ("/autosaver/failure", test_autosaver_failure);
#undef ADD

  status = g_test_run ();
  g_object_unref (catalog);
  return status;
}
