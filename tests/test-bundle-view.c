/* test-bundle-view.c — a signed bundle opened to be read, and copied (no display)
 *
 * Bundles of the worked example (tests/bundle/, docs/bundle.md), written by
 * the core's exporter with a fresh key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sb-bundle-view.h"
#include "sb-error.h"
#include "sb-test-util.h"

static char *folder;  /* this run's files */

static SbCatalog *
example_catalog (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "tests", "bundle", "example-call.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SbCatalog *catalog = sb_catalog_new ();

  g_assert_true (sb_catalog_add_path (catalog, file, SB_ORIGIN_COMMAND_LINE, &error));
  g_assert_no_error (error);
  return catalog;
}

/* The worked example, exported to folder/NAME. */
static GFile *
example_bundle (const char *name)
{
  g_autoptr(SbCatalog) catalog = example_catalog ();
  g_autofree char *draft_path = g_build_filename (SOURCE_DIR, "tests", "bundle", "example-draft.json", NULL);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (draft_file, catalog, &error);
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *path = g_build_filename (folder, name, NULL);
  GFile *bundle = g_file_new_for_path (path);

  g_assert_no_error (error);
  g_assert_true (sb_bundle_export (draft, key, bundle, NULL, NULL, &error));
  g_assert_no_error (error);
  return bundle;
}

static GFile *
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_file_new_for_path (path);
}

/* A bundle is known by its name, or by its first member whatever its name;
 * a draft (even one whose values mention the format) is not one. */
static void
test_is_bundle (void)
{
  g_autoptr(GFile) bundle = example_bundle ("any-name.json");
  g_autoptr(GFile) named = write_file ("x.shenbao.json", "not even JSON");
  g_autoptr(GFile) spaced = write_file ("spaced.json", "\xef\xbb\xbf\n { \"format\" :\n\"shenbao-bundle\", \"files\": {}}");
  g_autoptr(GFile) draft = write_file ("draft.json",
                                       "{\"format\": \"shenbao-draft\", \"values\": {\"x\": \"shenbao-bundle\"}}");
  g_autoptr(GFile) later = write_file ("later.json", "{\"files\": {}, \"format\": \"shenbao-bundle\"}");
  g_autoptr(GFile) missing = g_file_new_build_filename (folder, "missing.json", NULL);
  g_autofree char *sample_path = g_build_filename (SOURCE_DIR, "resources", "samples", "nantong-2023-qianzhan.json", NULL);
  g_autoptr(GFile) sample = g_file_new_for_path (sample_path);

  g_assert_true (sb_bundle_view_is_bundle (bundle));
  g_assert_true (sb_bundle_view_is_bundle (named));
  g_assert_true (sb_bundle_view_is_bundle (spaced));
  g_assert_false (sb_bundle_view_is_bundle (draft));
  g_assert_false (sb_bundle_view_is_bundle (later));
  g_assert_false (sb_bundle_view_is_bundle (missing));
  g_assert_false (sb_bundle_view_is_bundle (sample));
}

/* Opened: the draft and its call from the bundle, in a private folder that
 * closing removes; nothing of it is written by the view. */
static void
test_open_close (void)
{
  g_autoptr(GFile) bundle = example_bundle ("open.shenbao.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbBundleView) view = sb_bundle_view_open (bundle, &error);
  g_autofree char *path = NULL;
  const SbBundleReport *report;
  SbDraft *draft;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_nonnull (view);
  report = sb_bundle_view_get_report (view);
  g_assert_cmpint (report->integrity, ==, SB_BUNDLE_INTACT);
  g_assert_false (report->definition_built_in);
  /* the worked example's digest (docs/bundle.md) */
  g_assert_cmpstr (report->application_digest, ==, "2efd431ed866418c4e9d4b91a9dbaddcb9aaa8331f461cc5c5309276803dc8c0");
  draft = sb_bundle_view_get_draft (view);
  g_assert_cmpstr (sb_call_get_id (sb_draft_get_call (draft)), ==, "bundle-example");
  g_assert_cmpstr (sb_value_get_string (sb_draft_get_value (draft, "project_name")), ==, "高可靠封装关键技术研发 𠮷");
  /* the hidden field stays out of the bundle */
  g_assert_null (sb_draft_get_value (draft, "partner"));
  g_assert_cmpuint (sb_draft_get_attachments (draft, "plan")->len, ==, 1);

  path = g_file_get_path (sb_bundle_view_get_folder (view));
  g_assert_true (g_str_has_prefix (path, g_get_tmp_dir ()));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  sb_bundle_view_close (view);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (sb_bundle_view_get_folder (view));
  sb_bundle_view_close (view);

  /* finalizing removes it too */
  g_clear_object (&view);
  view = sb_bundle_view_open (bundle, &error);
  g_assert_no_error (error);
  g_free (path);
  path = g_file_get_path (sb_bundle_view_get_folder (view));
  g_clear_object (&view);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static guint
count_private_folders (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "shenbao-bundle-") && strlen (name) == strlen ("shenbao-bundle-XXXXXX");
  return n;
}

/* Every single change of a digit in the manifest is refused, naming the
 * file; nothing stays on disk. */
static void
test_tampered (void)
{
  g_autoptr(GFile) bundle = example_bundle ("changed.shenbao.json");
  g_autofree char *path = g_file_get_path (bundle);
  g_autofree char *data = NULL;
  gsize length = 0;
  guint before = count_private_folders ();
  char *values;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  values = strstr (strstr (data, "\"manifest\""), "\"subsidy\"");
  g_assert_nonnull (values);
  for (; !g_ascii_isdigit (*values); values++)
    ;
  *values = *values == '1' ? '2' : '1';
  g_assert_true (g_file_set_contents (path, data, length, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbBundleView) view = sb_bundle_view_open (bundle, &error);

    g_assert_null (view);
    g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, path));
    g_test_message ("%s", error->message);
  }
  g_assert_cmpuint (count_private_folders (), ==, before);

  /* a file that is not there is not a failed check */
  {
    g_autoptr(GFile) missing = g_file_new_build_filename (folder, "missing.shenbao.json", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SbBundleView) view = sb_bundle_view_open (missing, &error);

    g_assert_null (view);
    g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "missing.shenbao.json"));
  }
  g_assert_cmpuint (count_private_folders (), ==, before);
}

/* The copy: a new draft of the store, titled as a copy, with the bundle's
 * values and files; the call it lacked is added to the user's calls; a
 * different definition under the same id and version is refused. */
static void
test_copy (void)
{
  g_autoptr(GFile) bundle = example_bundle ("copy.shenbao.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbBundleView) view = sb_bundle_view_open (bundle, &error);
  g_autoptr(GFile) drafts = g_file_new_build_filename (folder, "drafts", NULL);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(SbDraftStore) store = sb_draft_store_new (drafts, catalog);
  g_autoptr(SbDraft) copy = NULL;
  g_autoptr(GFile) added = g_file_new_build_filename (g_get_user_data_dir (), "shenbao", "forms", "bundle-example-1.json", NULL);
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  gboolean added_call = FALSE;

  g_assert_no_error (error);
  id = sb_bundle_view_copy_to_store (view, store, &added_call, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_true (added_call);
  g_assert_true (g_file_query_exists (added, NULL));
  copy = sb_draft_store_load (store, id, &error);
  g_assert_no_error (error);
  title = sb_draft_store_get_title (copy);
  g_assert_cmpstr (title, ==, "高可靠封装关键技术研发 𠮷 (copy of a signed bundle)");
  g_assert_cmpstr (sb_value_get_string (sb_draft_get_value (copy, "project_name")), ==,
                   sb_value_get_string (sb_draft_get_value (sb_bundle_view_get_draft (view), "project_name")));
  g_assert_true (sb_draft_is_acknowledged (copy, "subsidy_large"));
  {
    SbAttachmentRef *ref = g_ptr_array_index (sb_draft_get_attachments (copy, "plan"), 0);
    g_autoptr(GFile) parent = g_file_get_parent (sb_draft_get_file (copy));
    g_autoptr(GFile) file = g_file_resolve_relative_path (parent, ref->file);
    g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
    g_autofree char *sha256 = NULL;

    g_assert_no_error (error);
    sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    g_assert_cmpstr (sha256, ==, "74fef0dc411920250f99bf816fd244a79ceb9861ca3d466842dcfa04f7e88a82");
  }

  /* a second copy: the call is known now */
  g_free (id);
  id = sb_bundle_view_copy_to_store (view, store, &added_call, &error);
  g_assert_no_error (error);
  g_assert_false (added_call);
  {
    g_autoptr(GPtrArray) entries = sb_draft_store_list (store);

    g_assert_cmpuint (entries->len, ==, 2);
  }

  /* another definition under the same id and version: refused */
  {
    g_autofree char *path = g_build_filename (SOURCE_DIR, "tests", "bundle", "example-call.json", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GFile) other_file = NULL;
    g_autoptr(SbCatalog) other = sb_catalog_new ();
    g_autoptr(GFile) other_drafts = g_file_new_build_filename (folder, "other-drafts", NULL);
    g_autoptr(SbDraftStore) other_store = sb_draft_store_new (other_drafts, other);
    g_autofree char *none = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    other_file = write_file ("other-call.json", text);
    {
      /* the same call with one more space: other bytes */
      g_autofree char *changed = g_strconcat (text, " ", NULL);
      g_autofree char *other_path = g_file_get_path (other_file);

      g_assert_true (g_file_set_contents (other_path, changed, -1, NULL));
    }
    g_assert_true (sb_catalog_add_path (other, other_file, SB_ORIGIN_USER, &error));
    g_assert_no_error (error);
    none = sb_bundle_view_copy_to_store (view, other_store, &added_call, &error);
    g_assert_null (none);
    g_assert_error (error, SB_ERROR, SB_ERROR_CALL_VERSION);
    g_test_message ("%s", error->message);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  /* a temporary folder of its own, set before GLib reads TMPDIR */
  folder = g_strdup_printf ("%s/shenbao-view-test-XXXXXX", g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp");
  g_assert_nonnull (g_mkdtemp (folder));
  g_setenv ("TMPDIR", folder, TRUE);
  g_assert_cmpstr (g_get_tmp_dir (), ==, folder);
  home = g_build_filename (folder, "home", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bundle-view/is-bundle", test_is_bundle);
  g_test_add_func ("/bundle-view/open-close", test_open_close);
  g_test_add_func ("/bundle-view/tampered", test_tampered);
  g_test_add_func ("/bundle-view/copy", test_copy);
  status = g_test_run ();
  sb_test_remove_tree (folder);
  g_free (folder);
  return status;
}
