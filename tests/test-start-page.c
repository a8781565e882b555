/* test-start-page.c — the start page as real widgets on a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sb-draft-store.h"
#include "sb-problem.h"
#include "sb-start-page.h"
#include "sb-validator.h"
#include "sb-test-gtk.h"

static SbCatalog *catalog;

typedef struct {
  char         *root;
  SbDraftStore *store;
  GtkWindow    *window;
  SbStartPage  *page;
} Fixture;

static void
flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2024-01-28T10:30:00Z", NULL);

  fixture->root = g_dir_make_tmp ("shenbao-start-XXXXXX", &error);
  g_assert_no_error (error);
  directory = g_file_new_build_filename (fixture->root, "drafts", NULL);
  fixture->store = sb_draft_store_new (directory, catalog);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 700);
  fixture->page = SB_START_PAGE (sb_start_page_new ());
  sb_start_page_set_now (fixture->page, now);
  sb_start_page_set_store (fixture->page, fixture->store);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  flush ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  flush ();
  g_assert_finalize_object (fixture->store);
  sb_test_remove_tree (fixture->root);
  g_free (fixture->root);
}

static GPtrArray *
visible_rows (GtkListBox *list)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
      g_ptr_array_add (rows, child);
  return rows;
}

static const char *
row_title (gpointer row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

/* The texts of every label under a widget, joined by "|". */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
row_text (gpointer row)
{
  GString *out = g_string_new (NULL);

  collect_labels (row, out);
  return g_string_free (out, FALSE);
}

static gpointer
find_row (GtkListBox *list,
          const char *title_part)
{
  g_autoptr(GPtrArray) rows = visible_rows (list);

  for (guint i = 0; i < rows->len; i++)
    if (strstr (row_title (rows->pdata[i]), title_part) != NULL)
      return rows->pdata[i];
  return NULL;
}

/* Every built-in call is listed with its bureau and the countdown to its
 * next deadline in Beijing time (the page's clock is fixed). */
static void
test_calls (Fixture       *fixture,
            gconstpointer  data)
{
  GtkListBox *calls = sb_start_page_get_calls_list (fixture->page);
  g_autoptr(GPtrArray) rows = visible_rows (calls);
  g_autoptr(GPtrArray) all = sb_catalog_list_calls (catalog);
  gpointer nantong = find_row (calls, "Nantong 2023");
  gpointer quzhou = find_row (calls, "Quzhou 2020");
  g_autofree char *nantong_text = NULL;
  g_autofree char *quzhou_text = NULL;

  g_assert_cmpuint (rows->len, ==, all->len);
  g_assert_nonnull (nantong);
  nantong_text = row_text (nantong);
  g_assert_nonnull (strstr (nantong_text, "3 days 5 hours left"));
  g_assert_nonnull (strstr (nantong_text, "2024-01-31 (Beijing time)"));
  g_assert_nonnull (strstr (nantong_text, "Nantong Municipal Bureau of Science and Technology"));
  g_assert_nonnull (quzhou);
  quzhou_text = row_text (quzhou);
  g_assert_nonnull (strstr (quzhou_text, "|closed|"));
  g_assert_nonnull (strstr (quzhou_text, "2020-06-28 17:00"));
}

static void
search (Fixture    *fixture,
        const char *text)
{
  GtkWidget *entry = NULL;

  /* the search entry is the page's first focusable editable */
  sb_start_page_focus_search (fixture->page);
  entry = gtk_root_get_focus (GTK_ROOT (fixture->window));
  while (entry != NULL && !GTK_IS_SEARCH_ENTRY (entry))
    entry = gtk_widget_get_parent (entry);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  flush ();
}

/* Search by name, bureau, year and programme, in either language. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GtkListBox *calls = sb_start_page_get_calls_list (fixture->page);
  struct { const char *query; guint count; const char *first; } cases[] = {
    { "衢州", 1, "Quzhou" },
    { "quzhou", 1, "Quzhou" },
    { "2022", 2, "Jingdezhen" },
    { "makerspace", 1, "Jingdezhen 2022 Science" },
    { "众创空间", 1, "Jingdezhen 2022 Science" },
    { "南通 2023", 1, "Nantong" },
    { "no such call", 0, NULL },
    { "", 4, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;

      search (fixture, cases[i].query);
      rows = visible_rows (calls);
      g_test_message ("search “%s”: %u rows", cases[i].query, rows->len);
      g_assert_cmpuint (rows->len, ==, cases[i].count);
      if (cases[i].first != NULL)
        g_assert_nonnull (strstr (row_title (rows->pdata[0]), cases[i].first));
    }
}

static guint
count_of (SbDraft    *draft,
          SbSeverity  severity)
{
  g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (draft));
  g_autoptr(GPtrArray) problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
  guint errors, warnings, infos;

  sb_problems_count (problems, &errors, &warnings, &infos);
  return severity == SB_SEVERITY_ERROR ? errors : warnings;
}

/* Saved drafts show their title, call and problem counts (the validator's),
 * and can be duplicated and deleted with an undo. */
static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  GtkListBox *drafts = sb_start_page_get_drafts_list (fixture->page);
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DIR, "resources", "samples",
                                                        "nantong-2023-qianzhan.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_import (fixture->store, sample, NULL, &error);
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_errors = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) after_delete = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  g_autoptr(GPtrArray) after_duplicate = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  guint errors;

  g_assert_no_error (error);
  id = sb_draft_store_id_for_file (fixture->store, sb_draft_get_file (draft));
  /* the guide wants more than 150万元 of R&D investment: an error */
  sb_draft_set_value (draft, "total_investment", sb_value_new_number (sb_number_from_int (1500000)));
  g_assert_true (sb_draft_save (draft, sb_draft_get_file (draft), &error));
  errors = count_of (draft, SB_SEVERITY_ERROR);
  g_assert_cmpuint (errors, >, 0);

  g_assert_cmpuint (visible_rows (drafts)->len, ==, 0);
  sb_start_page_reload (fixture->page);
  flush ();
  rows = visible_rows (drafts);
  g_assert_cmpuint (rows->len, ==, 1);
  text = row_text (rows->pdata[0]);
  expected_errors = g_strdup_printf ("|%u error%s|", errors, errors == 1 ? "" : "s");
  g_test_message ("draft row: %s", text);
  g_assert_nonnull (strstr (text, expected_errors));
  g_assert_nonnull (strstr (text, "Nantong 2023 Key R&D Programme"));
  g_assert_nonnull (strstr (text, "last edited"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "start.duplicate-draft", "s", id));
  flush ();
  after_duplicate = visible_rows (drafts);
  g_assert_cmpuint (after_duplicate->len, ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "start.delete-draft", "s", id));
  flush ();
  after_delete = visible_rows (drafts);
  g_assert_cmpuint (after_delete->len, ==, 1);
  stored = sb_draft_store_list (fixture->store);
  g_assert_cmpuint (stored->len, ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "start.undo-delete", "s", id));
  flush ();
  after_undo = visible_rows (drafts);
  g_assert_cmpuint (after_undo->len, ==, 2);
}

/* A stored draft that stops loading is shown with the loader's reason. */
static void
test_broken_draft (Fixture       *fixture,
                   gconstpointer  data)
{
  SbCall *call = sb_catalog_lookup (catalog, "quzhou-2020-jingzheng", 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_create (fixture->store, call, &error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (g_file_peek_path (sb_draft_get_file (draft)),
                                      "{\"format\": \"shenbao-draft\", \"format_version\": 7}", -1, NULL));
  sb_start_page_reload (fixture->page);
  flush ();
  rows = visible_rows (sb_start_page_get_drafts_list (fixture->page));
  g_assert_cmpuint (rows->len, ==, 1);
  text = row_text (rows->pdata[0]);
  g_test_message ("broken row: %s", text);
  g_assert_nonnull (strstr (text, "Cannot be opened: "));
  g_assert_nonnull (strstr (text, "draft.json"));
  g_assert_nonnull (strstr (text, "|cannot be opened|"));
}

/* A picture of the start page with a draft, in the test's language, under
 * the build folder (look at it: clipped or untranslated text is a defect);
 * the closed call says so in that language. */
static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DIR, "resources", "samples",
                                                        "nantong-2023-qianzhan.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_import (fixture->store, sample, NULL, &error);
  gboolean chinese = sb_prefer_chinese ();
  g_autofree char *folder = g_build_filename (BUILD_DIR, "screenshots", NULL);
  g_autofree char *path = g_strdup_printf ("%s/start-page-%s.png", folder, chinese ? "zh_CN" : "en");
  g_autoptr(GdkTexture) saved = NULL;
  g_autofree char *quzhou_text = NULL;
  GtkListBox *calls = sb_start_page_get_calls_list (fixture->page);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  sb_start_page_reload (fixture->page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  flush ();
  rows = visible_rows (calls);
  for (guint i = 0; i < rows->len; i++)
    if (strstr (row_title (rows->pdata[i]), chinese ? "衢州" : "Quzhou") != NULL)
      quzhou_text = row_text (rows->pdata[i]);
  g_assert_nonnull (quzhou_text);
  g_assert_nonnull (strstr (quzhou_text, chinese ? "|已截止|" : "|closed|"));

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  sb_test_save_png (GTK_WIDGET (fixture->window), path);
  saved = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, gtk_widget_get_width (GTK_WIDGET (fixture->window)));
  g_test_message ("saved %s", path);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* English unless the test run asks for another language */
  g_setenv ("LANGUAGE", "en", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init keeps the C locale; the page is checked in the run's */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SHENBAO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/start-page/calls", test_calls);
  ADD ("/start-page/search", test_search);
  ADD ("/start-page/drafts", test_drafts);
  ADD ("/start-page/broken-draft", test_broken_draft);
  ADD ("/start-page/screenshot", test_screenshot);
#undef ADD

  status = g_test_run ();
  g_object_unref (catalog);
  return status;
}
