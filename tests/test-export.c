/* test-export.c — the review step's export, on a real (headless) display
 *
 * Runs under Xvfb and a session bus (tests/meson.build). The export box's
 * widget actions are given the target path as their parameter (the file
 * chooser is the portal's, not ours to drive); everything else is the
 * app's own path: the warnings confirmation, the worker thread, the result
 * shown. What was written is checked with independent tools (pdftotext)
 * and with the core's bundle verifier; the digest shown must be the one
 * the bundle carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sb-application-digest.h"
#include "sb-bundle.h"
#include "sb-catalog.h"
#include "sb-draft-store.h"
#include "sb-export-box.h"
#include "sb-field-row.h"
#include "sb-key.h"
#include "sb-key-dialog.h"
#include "sb-pdf-export.h"
#include "sb-review-page.h"
#include "sb-wizard-private.h"
#include "sb-test-gtk.h"

static SbCatalog *catalog;
static char *home;

typedef struct {
  GtkWidget *window;
  SbWizard  *wizard;
  SbDraft   *draft;
  char      *folder;
} Fixture;

static void
open_sample (Fixture    *fixture,
             const char *name)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  fixture->draft = sb_draft_load (file, catalog, &error);
  g_assert_no_error (error);
  fixture->folder = g_dir_make_tmp ("shenbao-export-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->wizard = SB_WIZARD (sb_wizard_new (fixture->draft));
  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 760);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->wizard));
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->wizard)))
    g_main_context_iteration (NULL, TRUE);
  sb_test_spin (0);
}

static void
close_fixture (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  sb_test_spin (0);
  g_clear_object (&fixture->draft);
  sb_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

static SbExportBox *
go_to_review (Fixture *fixture)
{
  GtkWidget *review;

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.review", NULL);
  sb_test_spin (0);
  review = sb_test_find_descendant (GTK_WIDGET (fixture->wizard), SB_TYPE_REVIEW_PAGE);
  g_assert_nonnull (review);
  g_assert_true (gtk_widget_get_mapped (review));
  return sb_review_page_get_exporter (SB_REVIEW_PAGE (review));
}

/* Answers the dialog that offers response, when one is shown: with text
 * typed into its entry first, if given; body receives what it said.
 * Returns whether one was shown. */
static gboolean
respond (const char  *response,
         const char  *text,
         char       **body)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */
  gboolean shown = FALSE;

  sb_test_spin (0);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && !shown; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (window), response))
        {
          if (body != NULL)
            *body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)));
          if (text != NULL)
            gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (window))), text);
          adw_message_dialog_response (ADW_MESSAGE_DIALOG (window), response);
          gtk_window_destroy (GTK_WINDOW (window));
          shown = TRUE;
        }
    }
  return shown;
}

static gboolean
confirm_warnings (void)
{
  return respond ("export", NULL, NULL);
}

static void
wait_done (SbExportBox *box)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  sb_test_spin (0);
  while (sb_export_box_get_busy (box))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  sb_test_spin (0);
}

/* pdftotext's text, without line breaks and spaces (long titles wrap). */
static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  text = g_string_new (out);
  g_string_replace (text, "\n", "", 0);
  g_string_replace (text, " ", "", 0);
  g_string_replace (text, "\f", "", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Both at once: bundle first, the PDF beside it; the digest shown is the
 * bundle's and the PDF's; printing draws that PDF with the call's copies. */
static void
test_export_both (void)
{
  Fixture fixture = { 0 };
  SbExportBox *box;
  g_autofree char *pdf_path = NULL;
  g_autofree char *bundle_path = NULL;
  g_autofree char *printed_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(SbBundleReport) report = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *fingerprint = NULL;
  const SbValue *name;

  open_sample (&fixture, "nantong-2023-qianzhan.json");
  box = go_to_review (&fixture);
  g_assert_true (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.both")));
  g_assert_false (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.print")));
  g_assert_null (sb_export_box_get_digest (box));

  /* into a folder, both named after the draft: twice, the second time
   * beside the first rather than over it */
  for (guint i = 0; i < 2; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (box), "export.both", "s", fixture.folder);
      confirm_warnings ();
      wait_done (box);
    }
  {
    g_autofree char *stem = sb_draft_store_get_title (fixture.draft);
    g_autofree char *first = g_strconcat (stem, ".pdf", NULL);
    g_autofree char *second = g_strconcat (stem, " (2).pdf", NULL);
    g_autofree char *second_bundle = g_strconcat (stem, " (2).shenbao.json", NULL);
    g_autofree char *first_path = g_build_filename (fixture.folder, first, NULL);

    g_assert_cmpstr (stem, !=, "");
    g_assert_true (g_file_test (first_path, G_FILE_TEST_IS_REGULAR));
    pdf_path = g_build_filename (fixture.folder, second, NULL);
    bundle_path = g_build_filename (fixture.folder, second_bundle, NULL);
    {
      g_autoptr(GFile) second_pdf = g_file_new_for_path (pdf_path);
      g_assert_true (g_file_equal (sb_export_box_get_pdf (box), second_pdf));
    }
  }

  digest = g_strdup (sb_export_box_get_digest (box));
  fingerprint = g_strdup (sb_export_box_get_fingerprint (box));
  g_assert_nonnull (digest);
  g_assert_cmpuint (strlen (digest), ==, 64);
  g_assert_nonnull (fingerprint);
  g_assert_true (g_file_test (pdf_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (bundle_path, G_FILE_TEST_IS_REGULAR));

  /* the bundle, by the core's verifier: intact, the same digest and key */
  bundle = g_file_new_for_path (bundle_path);
  report = sb_bundle_verify (bundle, NULL, NULL);
  g_assert_cmpint (report->integrity, ==, SB_BUNDLE_INTACT);
  g_assert_cmpstr (report->application_digest, ==, digest);
  g_assert_cmpstr (report->fingerprint, ==, fingerprint);

  /* the PDF, by pdftotext: the project's name and the digest's prefix */
  name = sb_draft_get_value (fixture.draft, "project_name");
  g_assert_nonnull (name);
  text = pdf_text (pdf_path);
  g_assert_nonnull (strstr (text, sb_value_get_string (name)));
  prefix = g_strndup (digest, 16);
  g_assert_nonnull (strstr (text, prefix));

  /* printing: the call's copies (南通: 一式六份), the PDF's pages drawn */
  g_assert_true (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.print")));
  g_assert_cmpint (sb_pdf_export_copies (fixture.draft), ==, 6);
  g_assert_cmpint (gtk_print_settings_get_n_copies (sb_export_box_get_print_settings (box)), ==, 6);
  /* laid out with mirrored margins (GB/T 9704-2012 9.2): both sides, long edge */
  g_assert_true (sb_pdf_export_two_sided (fixture.draft));
  g_assert_cmpint (gtk_print_settings_get_duplex (sb_export_box_get_print_settings (box)), ==, GTK_PRINT_DUPLEX_HORIZONTAL);
  printed_path = g_build_filename (fixture.folder, "printed.pdf", NULL);
  gtk_widget_activate_action (GTK_WIDGET (box), "export.print", "s", printed_path);
  sb_test_spin (0);
  {
    g_autofree char *printed = pdf_text (printed_path);

    g_assert_nonnull (strstr (printed, sb_value_get_string (name)));
    g_assert_nonnull (strstr (printed, prefix));
  }

  sb_test_save_screenshot (fixture.window, "export-review.png");

  /* "Signing Key…" beside the fingerprint: the key window shows the same */
  gtk_widget_activate_action (GTK_WIDGET (box), "export.signing-key", NULL);
  sb_test_spin (0);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    SbKeyDialog *key_dialog = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (SB_IS_KEY_DIALOG (item))
          key_dialog = SB_KEY_DIALOG (item);
      }
    g_assert_nonnull (key_dialog);
    while (sb_key_dialog_get_busy (key_dialog))
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (sb_key_dialog_get_fingerprint (key_dialog), ==, fingerprint);
    gtk_window_destroy (GTK_WINDOW (key_dialog));
    sb_test_spin (0);
  }

  /* checked again without a change: still shown */
  _sb_wizard_check_now (fixture.wizard);
  box = go_to_review (&fixture);
  g_assert_cmpstr (sb_export_box_get_digest (box), ==, digest);

  /* an edit since: the digest shown would no longer be the draft's */
  {
    GtkWidget *row = _sb_wizard_lookup_path (fixture.wizard, "$.values.project_name");

    sb_field_row_set_text (SB_FIELD_ROW (row), "车规级碳化硅功率模块封装关键技术研发");
    _sb_wizard_check_now (fixture.wizard);
    box = go_to_review (&fixture);
    g_assert_null (sb_export_box_get_digest (box));
    g_assert_null (sb_export_box_get_pdf (box));
    g_assert_false (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.print")));
  }
  close_fixture (&fixture);
}

/* The PDF alone: no fingerprint shown, the digest still the application's. */
static void
test_export_pdf_only (void)
{
  Fixture fixture = { 0 };
  SbExportBox *box;
  g_autofree char *pdf_path = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  open_sample (&fixture, "nantong-2023-qianzhan.json");
  box = go_to_review (&fixture);
  pdf_path = g_build_filename (fixture.folder, "only.pdf", NULL);
  gtk_widget_activate_action (GTK_WIDGET (box), "export.pdf", "s", pdf_path);
  confirm_warnings ();
  wait_done (box);
  digest = sb_application_compute_digest (fixture.draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_export_box_get_digest (box), ==, digest);
  g_assert_null (sb_export_box_get_fingerprint (box));
  text = pdf_text (pdf_path);
  {
    g_autofree char *prefix = g_strndup (digest, 16);
    g_assert_nonnull (strstr (text, prefix));
  }
  close_fixture (&fixture);
}

/* An error disables every export action; nothing is written. */
static void
test_error_blocks (void)
{
  Fixture fixture = { 0 };
  SbExportBox *box;
  g_autofree char *pdf_path = NULL;
  GtkWidget *row;
  g_autofree char *original = NULL;

  open_sample (&fixture, "nantong-2023-qianzhan.json");
  original = _sb_format_value (sb_call_find_field (sb_draft_get_call (fixture.draft), "total_investment"),
                               sb_draft_get_value (fixture.draft, "total_investment"), FALSE);
  /* the R&D total at exactly 150万: an error of the call */
  row = _sb_wizard_lookup_path (fixture.wizard, "$.values.total_investment");
  g_assert_true (SB_IS_FIELD_ROW (row));
  sb_field_row_set_text (SB_FIELD_ROW (row), "150");
  _sb_wizard_check_now (fixture.wizard);
  box = go_to_review (&fixture);
  for (guint i = 0; i < 3; i++)
    {
      const char *actions[] = { "export.pdf", "export.bundle", "export.both" };

      g_assert_false (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), actions[i])));
    }
  pdf_path = g_build_filename (fixture.folder, "blocked.pdf", NULL);
  gtk_widget_activate_action (GTK_WIDGET (box), "export.pdf", "s", pdf_path);
  g_assert_false (confirm_warnings ());
  wait_done (box);
  g_assert_false (g_file_test (pdf_path, G_FILE_TEST_EXISTS));
  g_assert_null (sb_export_box_get_digest (box));

  /* fixed, the actions come back */
  sb_field_row_set_text (SB_FIELD_ROW (row), original);
  _sb_wizard_check_now (fixture.wizard);
  box = go_to_review (&fixture);
  g_assert_true (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.pdf")));
  close_fixture (&fixture);
}

/* A warning not acknowledged is listed before export and never blocks it;
 * an encrypted signing key asks for its passphrase, and a wrong one fails
 * with the core's message. */
static void
test_warnings_and_passphrase (void)
{
  const char *passphrase = "长城 long wall 2024";
  Fixture fixture = { 0 };
  SbExportBox *box;
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autoptr(GFile) key_file = sb_key_get_default_file ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle_path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *failure = NULL;
  g_autofree char *fingerprint = sb_key_get_fingerprint (key);
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(SbBundleReport) report = NULL;
  GtkWidget *row;

  g_assert_true (sb_key_save (key, key_file, passphrase, &error));
  g_assert_no_error (error);
  g_assert_true (sb_key_file_is_encrypted (key_file));

  open_sample (&fixture, "nantong-2023-qianzhan.json");
  /* a name not ending in 研发 is a warning of the guide, not an error */
  row = _sb_wizard_lookup_path (fixture.wizard, "$.values.project_name");
  sb_field_row_set_text (SB_FIELD_ROW (row), "车规级碳化硅功率模块高可靠封装关键技术研究");
  _sb_wizard_check_now (fixture.wizard);
  box = go_to_review (&fixture);
  g_assert_true (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.bundle")));
  bundle_path = g_build_filename (fixture.folder, "signed.shenbao.json", NULL);

  /* a wrong passphrase: the core's error, nothing written */
  gtk_widget_activate_action (GTK_WIDGET (box), "export.bundle", "s", bundle_path);
  g_assert_true (respond ("export", NULL, &body));
  g_assert_nonnull (strstr (body, "$.values.project_name"));
  g_assert_true (respond ("unlock", "wrong", NULL));
  wait_done (box);
  g_assert_true (respond ("close", NULL, &failure));
  g_assert_true (failure != NULL && failure[0] != '\0');
  g_test_message ("wrong passphrase: %s", failure);
  g_assert_false (g_file_test (bundle_path, G_FILE_TEST_EXISTS));
  g_assert_null (sb_export_box_get_digest (box));

  /* the right one */
  gtk_widget_activate_action (GTK_WIDGET (box), "export.bundle", "s", bundle_path);
  g_assert_true (confirm_warnings ());
  g_assert_true (respond ("unlock", passphrase, NULL));
  wait_done (box);
  g_assert_cmpstr (sb_export_box_get_fingerprint (box), ==, fingerprint);
  bundle = g_file_new_for_path (bundle_path);
  report = sb_bundle_verify (bundle, key, NULL);
  g_assert_cmpint (report->integrity, ==, SB_BUNDLE_INTACT);
  g_assert_cmpstr (report->application_digest, ==, sb_export_box_get_digest (box));
  g_assert_cmpuint (report->warnings, >=, 1);
  g_assert_cmpuint (report->errors, ==, 0);
  /* the bundle alone: nothing to open or print */
  g_assert_null (sb_export_box_get_pdf (box));
  g_assert_false (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.print")));

  g_assert_true (g_file_delete (key_file, NULL, NULL));
  close_fixture (&fixture);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SHENBAO_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* a signing key of this run's own, made by the first export */
  home = g_dir_make_tmp ("shenbao-export-home-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("XDG_DATA_HOME", home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  catalog = sb_catalog_new_default ();

  g_test_add_func ("/export/both", test_export_both);
  g_test_add_func ("/export/pdf-only", test_export_pdf_only);
  g_test_add_func ("/export/error-blocks", test_error_blocks);
  g_test_add_func ("/export/warnings-and-passphrase", test_warnings_and_passphrase);
  status = g_test_run ();
  sb_test_remove_tree (home);
  return status;
}
