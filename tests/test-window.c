/* test-window.c — the window: start page ⇄ wizard, autosave, settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sb-application.h"
#include "sb-test-gtk.h"
#include "sb-window.h"
#include "sb-wizard.h"

static SbApplication *app;

static void
flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

static char *
saved_value (GFile      *file,
             const char *field)
{
  SbCatalog *catalog = sb_draft_store_get_catalog (sb_application_get_store (app));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);
  SbValue *value;

  g_assert_no_error (error);
  value = sb_draft_get_value (draft, field);
  return value != NULL ? g_strdup (sb_value_get_string (value)) : NULL;
}

static gboolean
has_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

/* Choosing a call starts a draft in the wizard; a change reaches the disk
 * within a second without any save command; Ctrl+S and the way back to the
 * start page work; the settings remember the open draft and the size. */
static void
test_new_draft_autosave (void)
{
  SbWindow *window = sb_window_new (app);
  GSettings *settings = sb_application_get_settings (app);
  SbCatalog *catalog = sb_draft_store_get_catalog (sb_application_get_store (app));
  SbCall *call = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 2);
  g_autofree char *last = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GFile) file = NULL;
  GtkWidget *wizard;
  SbDraft *draft;
  gint64 changed_at;

  g_assert_nonnull (settings);
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_null (sb_window_get_wizard (window));

  g_signal_emit_by_name (sb_window_get_start_page (window), "new-draft", call);
  flush ();
  wizard = sb_window_get_wizard (window);
  g_assert_nonnull (wizard);
  g_assert_true (gtk_widget_get_mapped (wizard));
  draft = sb_wizard_get_draft (SB_WIZARD (wizard));
  file = g_object_ref (sb_draft_get_file (draft));
  g_assert_true (g_file_query_exists (file, NULL));
  g_assert_true (sb_autosaver_has_crash_marker (file));
  last = g_settings_get_string (settings, "last-draft");
  g_assert_true (strstr (g_file_peek_path (file), last) != NULL);

  /* a change through the wizard's signal is on disk within a second */
  sb_draft_set_value (draft, "project_name", sb_value_new_string ("车规级碳化硅功率模块封装"));
  changed_at = g_get_monotonic_time ();
  g_signal_emit_by_name (wizard, "changed");
  while (TRUE)
    {
      g_free (saved);
      saved = saved_value (file, "project_name");
      if (g_strcmp0 (saved, "车规级碳化硅功率模块封装") == 0)
        break;
      g_assert_cmpint (g_get_monotonic_time () - changed_at, <, G_USEC_PER_SEC);
      wait_ms (20);
    }

  /* Ctrl+S saves at once */
  sb_draft_set_value (draft, "project_name", sb_value_new_string ("改名"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  g_free (saved);
  saved = saved_value (file, "project_name");
  g_assert_cmpstr (saved, ==, "改名");

  /* the shortcuts window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  flush ();
  g_assert_true (has_shortcuts_window ());

  /* back to the start page: the draft is closed (no crash marker) and listed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-start", NULL));
  flush ();
  g_assert_null (sb_window_get_wizard (window));
  g_assert_false (sb_autosaver_has_crash_marker (file));
  g_free (last);
  last = g_settings_get_string (settings, "last-draft");
  g_assert_cmpstr (last, ==, "");
  {
    GtkListBox *drafts = sb_start_page_get_drafts_list (sb_window_get_start_page (window));
    GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (drafts));

    while (row != NULL && !ADW_IS_ACTION_ROW (row))
      row = gtk_widget_get_next_sibling (row);
    g_assert_nonnull (row);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "改名");
  }

  /* closing remembers the size */
  gtk_window_set_default_size (GTK_WINDOW (window), 1001, 701);
  gtk_window_close (GTK_WINDOW (window));
  flush ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1001);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 701);
}

/* Opening a draft file from elsewhere imports it; opening the imported file
 * again opens the same draft, not a second copy. */
static void
test_open_file (void)
{
  SbWindow *window = sb_window_new (app);
  SbDraftStore *store = sb_application_get_store (app);
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DIR, "resources", "samples",
                                                        "quzhou-2020-jingzheng.json", NULL);
  g_autoptr(GPtrArray) before = sb_draft_store_list (store);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GFile) imported = NULL;

  gtk_window_present (GTK_WINDOW (window));
  sb_window_open_file (window, sample);
  flush ();
  g_assert_nonnull (sb_window_get_wizard (window));
  imported = g_object_ref (sb_draft_get_file (sb_wizard_get_draft (SB_WIZARD (sb_window_get_wizard (window)))));
  after = sb_draft_store_list (store);
  g_assert_cmpuint (after->len, ==, before->len + 1);

  sb_window_show_start (window);
  sb_window_open_file (window, imported);
  flush ();
  g_assert_nonnull (sb_window_get_wizard (window));
  again = sb_draft_store_list (store);
  g_assert_cmpuint (again->len, ==, after->len);
  gtk_window_close (GTK_WINDOW (window));
  flush ();
}

#define CALL_JSON \
    "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"%s\", \"version\": 1," \
    " \"title\": {\"zh\": \"常年征集\", \"en\": \"Open-ended call\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}," \
    " \"year\": 2025, \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": [" \
    " {\"id\": \"name\", \"type\": \"text\", \"label\": {\"zh\": \"名称\", \"en\": \"Name\"}}]}]}"

/* Importing a call file: a broken one is refused with the loader's message
 * (file, JSON path, problem) and nothing is copied; a good one is copied
 * into the user's calls folder and listed at once. */
static void
test_import_call (void)
{
  SbWindow *window = sb_window_new (app);
  SbCatalog *catalog = sb_draft_store_get_catalog (sb_application_get_store (app));
  g_autofree char *folder = g_dir_make_tmp ("shenbao-import-XXXXXX", NULL);
  g_autofree char *broken_path = g_build_filename (folder, "broken-call.json", NULL);
  g_autofree char *good_path = g_build_filename (folder, "good-call.json", NULL);
  g_autoptr(GFile) broken = g_file_new_for_path (broken_path);
  g_autoptr(GFile) good = g_file_new_for_path (good_path);
  g_autoptr(GFile) copied = g_file_new_build_filename (g_get_user_data_dir (), "shenbao", "forms",
                                                        "open-ended-1.json", NULL);
  g_autofree char *broken_text = g_strdup_printf (CALL_JSON, "Open_Ended");
  g_autofree char *good_text = g_strdup_printf (CALL_JSON, "open-ended");
  AdwMessageDialog *dialog;
  GtkListBox *calls;
  gboolean listed = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (g_file_set_contents (broken_path, broken_text, -1, NULL));
  g_assert_true (g_file_set_contents (good_path, good_text, -1, NULL));

  sb_window_import_call (window, broken);
  flush ();
  dialog = sb_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_test_message ("refused: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "broken-call.json"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "$.id"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Open_Ended"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (sb_catalog_lookup (catalog, "open-ended", 1));

  sb_window_import_call (window, good);
  flush ();
  g_assert_null (sb_test_find_message_dialog ());
  g_assert_nonnull (sb_catalog_lookup (catalog, "open-ended", 1));
  g_assert_true (g_file_query_exists (copied, NULL));
  calls = sb_start_page_get_calls_list (sb_window_get_start_page (window));
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (calls));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Open-ended call") == 0)
      listed = TRUE;
  g_assert_true (listed);

  gtk_window_close (GTK_WINDOW (window));
  flush ();
  g_unlink (broken_path);
  g_unlink (good_path);
  g_rmdir (folder);
}

/* Without a mouse: Ctrl+F reaches the search, Tab the first call, and
 * activating it (Enter) starts a draft in the wizard. */
static void
test_keyboard (void)
{
  SbWindow *window = sb_window_new (app);
  GtkWidget *focus;

  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (ADW_IS_ACTION_ROW (focus));
  g_test_message ("Tab reaches “%s”", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (focus)));
  g_assert_true (gtk_widget_activate (focus));
  flush ();
  g_assert_nonnull (sb_window_get_wizard (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-start", NULL));
  gtk_window_close (GTK_WINDOW (window));
  flush ();
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The main menu's "Signing Key" item opens the key window over the
 * window it was chosen in. */
static void
test_signing_key (void)
{
  SbWindow *window = sb_window_new (app);
  GtkMenuButton *menu;
  GMenuModel *model;
  gboolean listed = FALSE;
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *dialog = NULL;

  gtk_window_present (GTK_WINDOW (window));
  flush ();
  menu = GTK_MENU_BUTTON (find_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (menu);
  model = gtk_menu_button_get_menu_model (menu);
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;

          if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
              g_str_equal (action, "app.signing-key"))
            listed = TRUE;
        }
    }
  g_assert_true (listed);

  g_action_group_activate_action (G_ACTION_GROUP (app), "signing-key", NULL);
  flush ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (item), "SbKeyDialog"))
        dialog = GTK_WINDOW (item);
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  gtk_window_destroy (dialog);
  gtk_window_close (GTK_WINDOW (window));
  flush ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("shenbao-window-XXXXXX", NULL);
  int status;

  /* a drafts folder of its own */
  g_setenv ("XDG_DATA_HOME", root, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = sb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/window/new-draft-autosave", test_new_draft_autosave);
  g_test_add_func ("/window/open-file", test_open_file);
  g_test_add_func ("/window/import-call", test_import_call);
  g_test_add_func ("/window/keyboard", test_keyboard);
  g_test_add_func ("/window/signing-key", test_signing_key);

  status = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
  return status;
}
