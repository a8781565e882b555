/* test-bundle-open.c — a signed bundle opened in the app: read-only until copied
 *
 * Runs the real application and window on a headless display (Xvfb and a
 * session bus, tests/meson.build). The bundles are real: written by the
 * built `shenbao export --bundle` with a key of this run's own; what the
 * window shows is compared with `shenbao verify --json` and `shenbao
 * extract`, run the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sb-application.h"
#include "sb-attachment-slot.h"
#include "sb-bundle-bar.h"
#include "sb-bundle-view.h"
#include "sb-export-box.h"
#include "sb-field-row.h"
#include "sb-review-page.h"
#include "sb-step-page.h"
#include "sb-step-row.h"
#include "sb-table-editor.h"
#include "sb-window.h"
#include "sb-wizard-private.h"
#include "sb-test-gtk.h"

#define SHENBAO BUILD_DIR "/app/shenbao"

static SbApplication *app;
static char *root;        /* XDG_DATA_HOME of this run */
static char *work;        /* the bundles and what the CLI extracts */
static char *bundle_path; /* of resources/samples/nantong-2023-qianzhan.json */
static char *tmp;         /* TMPDIR of this run: the private folders go there */

/* Runs the built shenbao; returns its stdout, asserting its exit status. */
static char *
run_shenbao (int          expected,
             const char  *first,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) SHENBAO);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != expected)
    g_error ("shenbao %s: exit %d, expected %d\n%s%s", first, WEXITSTATUS (status), expected, out, err);
  return g_steal_pointer (&out);
}

static char *
export_bundle (const char *draft,
               const char *forms,
               const char *name)
{
  g_autofree char *path = g_build_filename (work, name, NULL);
  g_autofree char *out = NULL;

  if (forms != NULL)
    out = run_shenbao (0, "export", "--forms", forms, draft, "--bundle", path, NULL);
  else
    out = run_shenbao (0, "export", draft, "--bundle", path, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return g_steal_pointer (&path);
}

/* `shenbao verify --json`: a member of the bundle's entry. */
static char *
verified (const char *bundle,
          const char *member)
{
  g_autofree char *out = run_shenbao (0, "verify", "--json", bundle, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *entry;

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  entry = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  return g_strdup (json_object_get_string_member (entry, member));
}

static GPtrArray *
list_folder (const char *path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static char *
drafts_folder (void)
{
  return g_build_filename (root, "shenbao", "drafts", NULL);
}

static char *
join (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

/* Opens a file as `shenbao FILE` does (GApplication open) and waits until
 * the window has verified it. */
static SbWindow *
open_through_app (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  SbWindow *window;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = SB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  while (sb_window_is_opening (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  sb_test_spin (50);
  return window;
}

static void
close_window (SbWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  sb_test_spin (50);
}

static gboolean
shown (GtkWidget *widget,
       GtkWidget *top)
{
  for (; widget != NULL && widget != top; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

typedef struct {
  guint texts;        /* editable texts, none editable */
  guint choices;      /* check buttons and drop-downs, none sensitive */
  guint open_buttons; /* attachment files, each with an open button */
  guint tables;
  guint changers;     /* shown buttons that change something: must stay 0 */
} Census;

/* Walks every page of the wizard (all are built) and counts its controls. */
static void
take_census (GtkWidget *widget,
             GtkWidget *wizard,
             Census    *census)
{
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_SEARCH_BAR) != NULL)
    return;
  if (GTK_IS_TEXT (widget) && gtk_widget_get_ancestor (widget, SB_TYPE_FIELD_ROW) != NULL &&
      gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL)
    {
      if (gtk_editable_get_editable (GTK_EDITABLE (widget)))
        for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
          g_test_message ("editable under %s", G_OBJECT_TYPE_NAME (w));
      g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (widget)));
      census->texts++;
    }
  if (GTK_IS_TEXT_VIEW (widget))
    {
      g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (widget)));
      census->texts++;
    }
  if ((GTK_IS_CHECK_BUTTON (widget) || GTK_IS_DROP_DOWN (widget)) &&
      gtk_widget_get_ancestor (widget, SB_TYPE_FIELD_ROW) != NULL)
    {
      g_assert_false (gtk_widget_is_sensitive (widget));
      census->choices++;
    }
  if (SB_IS_TABLE_EDITOR (widget))
    census->tables++;
  if (GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget) && shown (widget, wizard) &&
      gtk_widget_is_sensitive (widget) &&
      (gtk_widget_get_ancestor (widget, SB_TYPE_TABLE_EDITOR) != NULL ||
       gtk_widget_get_ancestor (widget, SB_TYPE_ATTACHMENT_SLOT) != NULL))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if (GTK_IS_IMAGE (child) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "document-open-symbolic") == 0)
        census->open_buttons++;
      else
        {
          g_test_message ("a button that changes: %s “%s”", G_OBJECT_TYPE_NAME (widget),
                          gtk_widget_get_tooltip_text (widget));
          census->changers++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    take_census (child, wizard, census);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static char *
file_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The review's acknowledgements, read-only: no tick to toggle, the state
 * as text in the row of each warning of a rule (which Tab reaches), as the
 * signed draft has it. Returns how many such warnings there are. */
static guint
check_acknowledgements (SbWizard  *wizard,
                        GPtrArray *problems)
{
  GtkWidget *review = sb_test_find_descendant (GTK_WIDGET (wizard), SB_TYPE_REVIEW_PAGE);
  GPtrArray *rows = sb_review_page_get_rows (SB_REVIEW_PAGE (review));
  guint found = 0;

  g_assert_cmpuint (rows->len, ==, problems->len);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *key = g_object_get_data (G_OBJECT (row), "sb-key");
      SbProblem *problem = NULL;

      for (guint k = 0; k < problems->len && problem == NULL; k++)
        {
          SbProblem *candidate = g_ptr_array_index (problems, k);
          g_autofree char *candidate_key = g_strdup_printf ("%s@%s", candidate->code, candidate->path);

          if (g_strcmp0 (key, candidate_key) == 0)
            problem = candidate;
        }
      g_assert_nonnull (problem);
      g_assert_null (sb_test_find_descendant (row, GTK_TYPE_CHECK_BUTTON));
      if (problem->severity != SB_SEVERITY_WARNING ||
          sb_call_find_rule (sb_draft_get_call (sb_wizard_get_draft (wizard)), problem->code) == NULL)
        {
          /* not a rule's warning: nothing to acknowledge, nothing said */
          g_assert_false (has_label (row, _("Acknowledged")));
          g_assert_false (has_label (row, _("Not acknowledged")));
          continue;
        }
      found++;
      g_assert_true (gtk_widget_get_focusable (row));
      g_assert_true (has_label (row, problem->acknowledged ? _("Acknowledged") : _("Not acknowledged")));
      g_assert_false (has_label (row, problem->acknowledged ? _("Not acknowledged") : _("Acknowledged")));
    }
  return found;
}


static SbStepRow *
find_step_row (GtkWidget *widget,
               GtkWidget *page)
{
  if (SB_IS_STEP_ROW (widget) && sb_step_row_get_page (SB_STEP_ROW (widget)) == page)
    return SB_STEP_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SbStepRow *found = find_step_row (child, page);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_field_rows (GtkWidget *widget,
                    GPtrArray *rows)
{
  if (SB_IS_FIELD_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_field_rows (child, rows);
}

static GtkWidget *
mapped_step_page (GtkWidget *widget)
{
  if ((SB_IS_STEP_PAGE (widget) || SB_IS_REVIEW_PAGE (widget)) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mapped_step_page (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What a read-only choice, yes/no or declaration shows: its value. */
static void
check_shown_value (SbFieldRow *row)
{
  SbField *field = sb_field_row_get_field (row);
  SbValue *value = sb_field_row_get_value (row);
  GtkWidget *editor = sb_field_row_get_editor (row);
  const char *text;

  g_assert_true (GTK_IS_EDITABLE (editor));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (editor)));
  text = gtk_editable_get_text (GTK_EDITABLE (editor));
  switch (sb_field_get_field_type (field))
    {
    case SB_FIELD_CHOICE:
      if (value == NULL)
        g_assert_cmpstr (text, ==, "");
      else
        {
          const SbOption *option = sb_field_find_option (field, sb_value_get_string (value));

          g_assert_nonnull (option);
          g_assert_cmpstr (text, ==, _sb_text (&option->label));
        }
      break;
    case SB_FIELD_YESNO:
      if (value == NULL)
        g_assert_cmpstr (text, ==, "");
      else
        g_assert_cmpstr (text, ==, sb_value_get_bool (value) ? _("Yes") : _("No"));
      break;
    case SB_FIELD_DECLARATION:
      g_assert_cmpstr (text, ==, value != NULL && sb_value_get_bool (value) ? _("Confirmed") : _("Not confirmed"));
      break;
    case SB_FIELD_MULTI_CHOICE:
      for (guint i = 0; value != NULL && i < sb_value_get_list (value)->len; i++)
        {
          SbValue *item = g_ptr_array_index (sb_value_get_list (value), i);
          const SbOption *option = sb_field_find_option (field, sb_value_get_string (item));

          g_assert_nonnull (strstr (text, _sb_text (&option->label)));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Every step page in turn: Tab from the window's start to its end, and
 * every value of the page (each field, each table cell, each part of a
 * person) took the keyboard focus, in a widget that is focusable and
 * sensitive; choices show their value as text. Returns how many values
 * were reached. */
static guint
tab_through_steps (SbWindow *window,
                   SbWizard *wizard,
                   guint    *pages)
{
  guint reached = 0;

  for (*pages = 0;; (*pages)++)
    {
      GtkWidget *page = mapped_step_page (GTK_WIDGET (wizard));
      g_autoptr(GHashTable) focused = g_hash_table_new (NULL, NULL);
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      g_assert_nonnull (page);
      if (SB_IS_REVIEW_PAGE (page))
        break;
      gtk_root_set_focus (GTK_ROOT (window), NULL);
      for (guint i = 0; i < 2000 && gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD); i++)
        {
          GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

          g_assert_nonnull (focus);
          /* the window's focus chain wraps: once round is all */
          if (!g_hash_table_add (seen, focus))
            break;
          g_assert_true (gtk_widget_get_focusable (focus));
          g_assert_true (gtk_widget_get_can_focus (focus));
          g_assert_true (gtk_widget_is_sensitive (focus));
          for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
            if (SB_IS_FIELD_ROW (w))
              g_hash_table_add (focused, w);
        }
      collect_field_rows (page, rows);
      for (guint i = 0; i < rows->len; i++)
        {
          SbFieldRow *row = g_ptr_array_index (rows, i);
          SbFieldType type = sb_field_get_field_type (sb_field_row_get_field (row));

          if (!shown (GTK_WIDGET (row), page) || type == SB_FIELD_PERSON || type == SB_FIELD_ORGANISATION ||
              type == SB_FIELD_TABLE)
            continue;
          if (!g_hash_table_contains (focused, row))
            g_error ("%s: its value is not reached by Tab", sb_field_row_get_path (row));
          if (type == SB_FIELD_CHOICE || type == SB_FIELD_MULTI_CHOICE || type == SB_FIELD_YESNO ||
              type == SB_FIELD_DECLARATION)
            check_shown_value (row);
          reached++;
        }
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
      sb_test_spin (0);
    }
  for (guint i = 0; i < *pages; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.previous", NULL));
      sb_test_spin (0);
    }
  return reached;
}

/* The verdict of a check, as a step of the wizard shows it. */
static SbStepState
verdict_of (GPtrArray *problems)
{
  SbStepState state = SB_STEP_COMPLETE;

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_ERROR)
        return SB_STEP_HAS_ERRORS;
      if (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged)
        state = SB_STEP_HAS_WARNINGS;
    }
  return state;
}

/* The payload of the QR code on the PDF's first page, read back by
 * independent tools: poppler renders the page, zbar decodes it. */
static char *
read_qr (const char *pdf)
{
  g_autofree char *prefix = g_build_filename (work, "qr-page", NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *render[] = { "pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", pdf, prefix, NULL };
  const char *decode[] = { "zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png, NULL };

  g_spawn_sync (NULL, (char **) render, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pdftoppm: %s", err);
  g_clear_pointer (&err, g_free);
  g_spawn_sync (NULL, (char **) decode, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("zbarimg found no QR code: %s", err);
  g_unlink (png);
  return g_strdup (g_strstrip (out));
}

/* An intact bundle opens read-only: the bar shows the fingerprint and
 * digest `shenbao verify --json` reports; no control takes a change, an
 * edit that reaches a control anyway changes nothing and saves nothing;
 * the steps and the review (checked now) still work, the PDF can be
 * exported but the bundle is not signed again; the private folder is gone
 * once the view closes. */
static void
test_read_only (void)
{
  g_autofree char *fingerprint = verified (bundle_path, "key_fingerprint");
  g_autofree char *digest = verified (bundle_path, "application_digest");
  g_autofree char *drafts = drafts_folder ();
  g_autoptr(GPtrArray) drafts_before = list_folder (drafts);
  g_autofree char *before_names = join (g_ptr_array_ref (drafts_before));
  SbWindow *window = open_through_app (bundle_path);
  SbBundleView *view = sb_window_get_bundle_view (window);
  GtkWidget *wizard_widget = sb_window_get_wizard (window);
  SbWizard *wizard;
  SbDraft *draft;
  g_autofree char *folder = NULL;
  g_autofree char *draft_file = NULL;
  g_autofree char *on_disk = NULL;
  g_autofree char *data = NULL;
  g_autofree char *after = NULL;
  g_autofree char *name_before = NULL;
  Census census = { 0 };
  guint changed = 0, steps = 0;
  GtkWidget *row;
  SbBundleBar *bar;

  g_assert_null (sb_test_find_message_dialog ());
  g_assert_nonnull (view);
  g_assert_nonnull (wizard_widget);
  wizard = SB_WIZARD (wizard_widget);
  g_assert_true (sb_wizard_get_read_only (wizard));
  g_assert_null (sb_window_get_autosaver (window));
  draft = sb_wizard_get_draft (wizard);

  /* the bar: what verify says */
  bar = SB_BUNDLE_BAR (sb_window_get_bundle_bar (window));
  g_assert_nonnull (bar);
  g_assert_cmpstr (sb_bundle_bar_get_fingerprint (bar), ==, fingerprint);
  g_assert_cmpstr (sb_bundle_bar_get_digest (bar), ==, digest);
  g_assert_cmpstr (sb_bundle_bar_get_definition (bar), ==, _("built into this Shenbao"));
  g_assert_true (gtk_widget_get_mapped (sb_bundle_bar_get_copy_button (bar)));

  /* a private folder, not in the drafts folder */
  folder = g_file_get_path (sb_bundle_view_get_folder (view));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_false (g_str_has_prefix (folder, drafts));
  g_assert_false (g_str_has_prefix (folder, root));
  g_assert_true (g_str_has_prefix (folder, tmp));
  draft_file = g_file_get_path (sb_draft_get_file (draft));
  g_assert_true (g_str_has_prefix (draft_file, folder));
  on_disk = file_text (draft_file);
  data = sb_draft_to_data (draft, NULL);

  /* every control: shown, not changeable */
  take_census (wizard_widget, wizard_widget, &census);
  g_test_message ("%u texts, %u choices, %u attached files, %u tables", census.texts, census.choices,
                  census.open_buttons, census.tables);
  g_assert_cmpuint (census.texts, >, 10);
  g_assert_cmpuint (census.choices, >, 5);
  g_assert_cmpuint (census.tables, >, 0);
  g_assert_cmpuint (census.open_buttons, ==, 4);
  g_assert_cmpuint (census.changers, ==, 0);

  /* the review step shows the verdict of the check run now, before it is
   * visited, and says what it is: the signed application checked again */
  {
    GtkWidget *review = sb_test_find_descendant (wizard_widget, SB_TYPE_REVIEW_PAGE);
    SbStepRow *review_row = find_step_row (wizard_widget, review);
    const SbBundleReport *report = sb_bundle_view_get_report (view);

    g_assert_nonnull (review_row);
    g_assert_false (gtk_widget_get_mapped (review));
    g_assert_true (report->revalidated);
    g_test_message ("review step: %s", sb_step_state_to_string (sb_step_row_get_state (review_row)));
    g_assert_cmpint (sb_step_row_get_state (review_row), ==, verdict_of (report->problems));
    g_assert_true (has_label (review, _("The checks of the signed application, run again now with the call "
                                        "definition the bundle carries, attached files included. The "
                                        "acknowledgements are shown as they were signed and cannot be changed. "
                                        "Activate a problem to go to its field.")));
    g_assert_false (has_label (review, _("The same checks as “shenbao validate”, attached files included. "
                                         "Errors block export; warnings never do — read them and acknowledge "
                                         "them. Activate a problem to go to its field.")));
  }

  /* edits that reach the controls anyway: undone, not in the draft */
  g_signal_connect (wizard, "changed", G_CALLBACK (count_cb), &changed);
  row = _sb_wizard_lookup_path (wizard, "$.values.project_name");
  g_assert_nonnull (row);
  name_before = g_strdup (sb_value_get_string (sb_draft_get_value (draft, "project_name")));
  sb_field_row_set_text (SB_FIELD_ROW (row), "改过的名称");
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sb_field_row_get_editor (SB_FIELD_ROW (row)))), ==, name_before);
  row = _sb_wizard_lookup_path (wizard, "$.values.research_content");
  sb_field_row_set_text (SB_FIELD_ROW (row), "");
  row = _sb_wizard_lookup_path (wizard, "$.values.county");
  g_assert_nonnull (row);
  {
    g_auto(GStrv) choices = sb_field_row_list_choices (SB_FIELD_ROW (row));
    const char *now = sb_value_get_string (sb_draft_get_value (draft, "county"));

    for (guint i = 0; choices[i] != NULL; i++)
      if (!g_str_equal (choices[i], now))
        {
          sb_field_row_choose (SB_FIELD_ROW (row), choices[i], TRUE);
          break;
        }
  }
  row = _sb_wizard_lookup_path (wizard, "$.values.members");
  g_assert_nonnull (row);
  sb_table_editor_add_row (SB_TABLE_EDITOR (sb_field_row_get_table (SB_FIELD_ROW (row))));
  {
    g_autofree char *extra_path = g_build_filename (SOURCE_DIR, "tests", "bundle", "plan.pdf", NULL);
    g_autoptr(GFile) extra = g_file_new_for_path (extra_path);
    g_autoptr(GError) error = NULL;
    GtkWidget *slot = _sb_wizard_lookup_path (wizard, "$.attachments.ip_certificates");

    g_assert_nonnull (slot);
    g_assert_false (sb_attachment_slot_add_file (SB_ATTACHMENT_SLOT (slot), extra, &error));
    g_assert_nonnull (error);
  }
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  after = sb_draft_to_data (draft, NULL);
  g_assert_cmpstr (after, ==, data);
  g_assert_cmpuint (changed, ==, 0);

  /* every value is reached by the keyboard, and Tab changes nothing */
  {
    guint pages = 0;
    guint reached = tab_through_steps (window, wizard, &pages);

    g_test_message ("%u values reached by Tab on %u steps", reached, pages);
    g_assert_cmpuint (pages, >, 3);
    g_assert_cmpuint (reached, >, census.texts);
    sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
    g_free (after);
    after = sb_draft_to_data (draft, NULL);
    g_assert_cmpstr (after, ==, data);
    g_assert_cmpuint (changed, ==, 0);
  }

  /* the steps still go; the review is the check run now */
  g_signal_connect (wizard, "step-changed", G_CALLBACK (count_cb), &steps);
  g_assert_true (gtk_widget_activate_action (wizard_widget, "wizard.next", NULL));
  sb_test_spin (0);
  g_assert_cmpuint (steps, ==, 1);
  sb_test_save_screenshot (GTK_WIDGET (window), "bundle-open-step.png");
  /* nothing in the bar or the steps asks for more height than a laptop
   * has (a Chinese text wrapped at one character a line once made the
   * window grow off its screen) */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (GTK_WIDGET (window)),
                        &minimum, NULL, NULL, NULL);
    g_test_message ("the window needs %d px of height at its width", minimum);
    /* a 1366×768 laptop screen, less a top bar */
    g_assert_cmpint (minimum, <=, 700);
  }
  g_assert_true (gtk_widget_activate_action (wizard_widget, "wizard.review", NULL));
  sb_test_spin (0);
  {
    GtkWidget *review = sb_test_find_descendant (wizard_widget, SB_TYPE_REVIEW_PAGE);
    const SbBundleReport *report = sb_bundle_view_get_report (view);
    SbExportBox *box = sb_review_page_get_exporter (SB_REVIEW_PAGE (review));
    GPtrArray *rows = sb_review_page_get_rows (SB_REVIEW_PAGE (review));
    g_autofree char *pdf = g_build_filename (work, "read-only.pdf", NULL);
    Census review_census = { 0 };

    g_assert_true (gtk_widget_get_mapped (review));
    g_assert_true (report->revalidated);
    g_assert_cmpuint (rows->len, ==, report->problems->len);
    g_test_message ("%u review rows", rows->len);
    g_test_message ("%u warnings", check_acknowledgements (wizard, report->problems));
    take_census (review, wizard_widget, &review_census);

    /* the PDF: yes; the bundle again: no */
    g_assert_false (shown (sb_test_find_action_button (GTK_WIDGET (box), "export.bundle"), GTK_WIDGET (box)));
    g_assert_false (shown (sb_test_find_action_button (GTK_WIDGET (box), "export.both"), GTK_WIDGET (box)));
    {
      g_autofree char *again = g_build_filename (work, "signed-again.shenbao.json", NULL);

      gtk_widget_activate_action (GTK_WIDGET (box), "export.bundle", "s", again);
      sb_test_spin (0);
      g_assert_false (sb_export_box_get_busy (box));
      g_assert_null (sb_test_find_message_dialog ());
      g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
    }
    sb_test_save_screenshot (GTK_WIDGET (window), "bundle-open-review.png");
    g_assert_true (gtk_widget_get_sensitive (sb_test_find_action_button (GTK_WIDGET (box), "export.pdf")));
    gtk_widget_activate_action (GTK_WIDGET (box), "export.pdf", "s", pdf);
    sb_test_spin (0);
    {
      AdwMessageDialog *dialog = sb_test_find_message_dialog ();

      /* warnings not acknowledged: confirmed, never blocking */
      if (dialog != NULL && adw_message_dialog_has_response (dialog, "export"))
        {
          adw_message_dialog_response (dialog, "export");
          gtk_window_destroy (GTK_WINDOW (dialog));
        }
    }
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
    g_assert_null (sb_test_find_message_dialog ());
    g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
    /* the same application as the bundle */
    g_assert_cmpstr (sb_export_box_get_digest (box), ==, digest);
    /* and its verified signer: the QR code carries the key, as when the
     * PDF is exported with the bundle (docs/pdf.md) */
    g_assert_cmpstr (sb_export_box_get_fingerprint (box), ==, fingerprint);
    {
      g_autofree char *payload = read_qr (pdf);
      g_auto(GStrv) fields = g_strsplit (payload, ";", -1);
      const char *key = NULL, *qr_digest = NULL;

      g_test_message ("QR: %s", payload);
      g_assert_cmpstr (fields[0], ==, "SHENBAO:1");
      for (guint i = 1; fields[i] != NULL; i++)
        if (g_str_has_prefix (fields[i], "key="))
          key = fields[i] + strlen ("key=");
        else if (g_str_has_prefix (fields[i], "digest="))
          qr_digest = fields[i] + strlen ("digest=");
      g_assert_cmpstr (qr_digest, ==, digest);
      g_assert_cmpstr (key, ==, fingerprint);
    }
  }
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_free (after);
  after = sb_draft_to_data (draft, NULL);
  g_assert_cmpstr (after, ==, data);
  g_assert_cmpuint (changed, ==, 0);

  /* nothing was written: not the private copy, not the drafts folder */
  {
    g_autofree char *again = file_text (draft_file);
    g_autoptr(GPtrArray) drafts_after = list_folder (drafts);
    g_autofree char *after_names = join (g_ptr_array_ref (drafts_after));

    g_assert_cmpstr (again, ==, on_disk);
    g_assert_cmpstr (after_names, ==, before_names);
  }

  /* closing the view removes its folder */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-start", NULL));
  sb_test_spin (0);
  g_assert_null (sb_window_get_bundle_view (window));
  g_assert_null (sb_window_get_wizard (window));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  /* and so does closing the window (quitting) with it open */
  close_window (window);
  window = open_through_app (bundle_path);
  g_assert_nonnull (sb_window_get_bundle_view (window));
  g_clear_pointer (&folder, g_free);
  folder = g_file_get_path (sb_bundle_view_get_folder (sb_window_get_bundle_view (window)));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  close_window (window);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}


/* A copy of the bundle with one digit of one value changed. */
static char *
tamper (const char *bundle,
        const char *name)
{
  g_autofree char *data = NULL;
  g_autofree char *path = g_build_filename (work, name, NULL);
  gsize length = 0;
  char *manifest, *values, *digit;

  g_assert_true (g_file_get_contents (bundle, &data, &length, NULL));
  manifest = strstr (data, "\"manifest\"");
  g_assert_nonnull (manifest);
  values = strstr (manifest, "\"values\"");
  g_assert_nonnull (values);
  for (digit = values; !g_ascii_isdigit (*digit); digit++)
    ;
  *digit = *digit == '9' ? '0' : *digit + 1;
  g_assert_true (g_file_set_contents (path, data, length, NULL));
  return g_steal_pointer (&path);
}

static guint
count_private_folders (void)
{
  g_autoptr(GPtrArray) names = list_folder (tmp);

  return names->len;
}

/* One byte changed: a message names the file and the first reason, in the
 * run's language, and nothing is shown or left on disk. */
static void
test_tampered (void)
{
  g_autofree char *path = tamper (bundle_path, "改过.shenbao.json");
  g_autofree char *renamed = NULL;
  guint folders = count_private_folders ();
  SbWindow *window = open_through_app (path);
  AdwMessageDialog *dialog = sb_test_find_message_dialog ();
  const char *body;

  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s\n%s", adw_message_dialog_get_heading (dialog), body);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("This Signed Bundle Cannot Be Opened"));
  {
    /* the core's reason, in the run's language, first */
    g_autofree char *reason = g_strdup_printf (_("%s: the signature does not match the manifest: "
                                                 "a value was changed after signing"), path);

    g_assert_true (g_str_has_prefix (body, reason));
  }
  sb_test_save_screenshot (GTK_WIDGET (dialog), "bundle-open-refused.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (sb_window_get_wizard (window));
  g_assert_null (sb_window_get_bundle_view (window));
  g_assert_cmpuint (count_private_folders (), ==, folders);

  /* renamed to plain .json it is still taken for a bundle, and refused;
   * here dropped onto the window */
  renamed = g_build_filename (work, "renamed.json", NULL);
  g_assert_cmpint (g_rename (path, renamed), ==, 0);
  {
    g_autoptr(GFile) file = g_file_new_for_path (renamed);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    GSList *files = g_slist_prepend (NULL, file);
    GValue value = G_VALUE_INIT;
    gboolean dropped = FALSE, handled = FALSE;

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_TARGET (controller))
          {
            g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &handled);
            dropped = TRUE;
          }
      }
    g_value_unset (&value);
    g_slist_free (files);
    g_assert_true (dropped);
    g_assert_true (handled);
  }
  while (sb_window_is_opening (window))
    g_main_context_iteration (NULL, TRUE);
  sb_test_spin (0);
  dialog = sb_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "renamed.json"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (sb_window_get_wizard (window));
  close_window (window);
}

/* The "values" member of a draft's JSON. */
static JsonNode *
draft_values (SbDraft *draft)
{
  g_autofree char *data = sb_draft_to_data (draft, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, data, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  return json_node_copy (json_object_get_member (object, "values"));
}

/* The attachments as "slot name size sha256" lines, each file's bytes
 * checked against its digest. */
static char *
attachment_lines (SbDraft *draft)
{
  g_autoptr(GList) ids = sb_draft_list_attachment_ids (draft);
  g_autoptr(GFile) folder = g_file_get_parent (sb_draft_get_file (draft));
  g_autoptr(GString) lines = g_string_new (NULL);

  ids = g_list_sort (ids, (GCompareFunc) g_strcmp0);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      GPtrArray *refs = sb_draft_get_attachments (draft, l->data);

      for (guint i = 0; i < refs->len; i++)
        {
          SbAttachmentRef *ref = g_ptr_array_index (refs, i);
          g_autoptr(GFile) file = g_file_resolve_relative_path (folder, ref->file);
          g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
          g_autofree char *sha256 = NULL;
          g_autofree char *base = g_path_get_basename (ref->file);

          g_assert_nonnull (bytes);
          sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
          g_assert_cmpstr (sha256, ==, ref->sha256);
          g_assert_cmpint (ref->size, ==, (gint64) g_bytes_get_size (bytes));
          g_string_append_printf (lines, "%s %s %" G_GINT64_FORMAT " %s\n", (char *) l->data, base, ref->size, ref->sha256);
        }
    }
  return g_string_free (g_steal_pointer (&lines), FALSE);
}

static SbDraft *
load_extracted (const char *folder,
                const char *forms)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autofree char *path = g_build_filename (folder, "draft.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SbDraft *draft;

  sb_catalog_add_builtin (catalog);
  if (forms != NULL)
    {
      g_autoptr(GFile) definition = g_file_new_for_path (forms);

      g_assert_true (sb_catalog_add_path (catalog, definition, SB_ORIGIN_COMMAND_LINE, &error));
    }
  draft = sb_draft_load (file, catalog, &error);
  g_assert_no_error (error);
  return draft;
}

static GtkWidget *
find_draft_row (SbWindow   *window,
                const char *title)
{
  GtkListBox *drafts = sb_start_page_get_drafts_list (sb_window_get_start_page (window));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (drafts)); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

/* Make a Copy to Edit: a new draft in the drafts folder, titled as a copy,
 * opened editable, listed on the start page; its values and attachments
 * are what `shenbao extract` writes. forms: the bundle's call when it is
 * not built in (then added to the user's calls). */
static void
check_copy (const char *bundle,
            const char *forms,
            const char *extract_name)
{
  SbDraftStore *store = sb_application_get_store (app);
  g_autoptr(GPtrArray) before = sb_draft_store_list (store);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *extracted = g_build_filename (work, extract_name, NULL);
  g_autofree char *out = run_shenbao (0, "extract", bundle, extracted, NULL);
  g_autoptr(SbDraft) reference = load_extracted (extracted, forms);
  g_autoptr(JsonNode) reference_values = draft_values (reference);
  g_autofree char *reference_files = attachment_lines (reference);
  g_autoptr(JsonNode) copy_values = NULL;
  g_autofree char *copy_files = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *title = NULL;
  g_autofree char *expected_title = NULL;
  SbWindow *window = open_through_app (bundle);
  GtkWidget *wizard;
  SbDraft *copy;
  GtkWidget *row;

  g_test_message ("shenbao extract: %s", out);
  g_assert_nonnull (sb_window_get_bundle_view (window));
  folder = g_file_get_path (sb_bundle_view_get_folder (sb_window_get_bundle_view (window)));
  {
    g_autofree char *base = sb_draft_store_get_title (sb_bundle_view_get_draft (sb_window_get_bundle_view (window)));

    expected_title = g_strdup_printf (_("%s (copy of a signed bundle)"), base);
  }
  /* the button, as a person clicks it (GtkButton's activation takes 250 ms) */
  g_assert_true (gtk_widget_activate (sb_bundle_bar_get_copy_button (SB_BUNDLE_BAR (sb_window_get_bundle_bar (window)))));
  sb_test_spin (400);
  g_assert_null (sb_test_find_message_dialog ());

  /* opened, editable, saved by the autosaver; the bundle's folder gone */
  g_assert_null (sb_window_get_bundle_view (window));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  wizard = sb_window_get_wizard (window);
  g_assert_nonnull (wizard);
  g_assert_false (sb_wizard_get_read_only (SB_WIZARD (wizard)));
  g_assert_nonnull (sb_window_get_autosaver (window));
  copy = sb_wizard_get_draft (SB_WIZARD (wizard));
  {
    g_autofree char *drafts = drafts_folder ();
    g_autofree char *path = g_file_get_path (sb_draft_get_file (copy));

    g_assert_true (g_str_has_prefix (path, drafts));
  }
  title = sb_draft_store_get_title (copy);
  g_assert_cmpstr (title, ==, expected_title);
  after = sb_draft_store_list (store);
  g_assert_cmpuint (after->len, ==, before->len + 1);

  /* the same values and files as shenbao extract's */
  copy_values = draft_values (copy);
  g_assert_true (json_node_equal (copy_values, reference_values));
  copy_files = attachment_lines (copy);
  g_test_message ("attachments:\n%s", copy_files);
  g_assert_cmpstr (copy_files, ==, reference_files);

  /* editable: a change is in the draft */
  row = _sb_wizard_lookup_path (SB_WIZARD (wizard), "$.values.project_name");
  g_assert_nonnull (row);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (sb_field_row_get_editor (SB_FIELD_ROW (row)))));
  sb_field_row_set_text (SB_FIELD_ROW (row), "改过的名称");
  g_assert_cmpstr (sb_value_get_string (sb_draft_get_value (copy, "project_name")), ==, "改过的名称");

  /* listed on the start page under its title */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-start", NULL));
  sb_test_spin (0);
  g_assert_nonnull (find_draft_row (window, expected_title));
  close_window (window);
}

static void
test_copy (void)
{
  check_copy (bundle_path, NULL, "extracted");
}

/* A bundle whose call is not built in (the worked example of
 * docs/bundle.md): shown with its own definition and said so; its
 * acknowledgements cannot be changed; the copy brings its call into the
 * user's calls. */
static void
test_not_built_in (void)
{
  g_autofree char *forms = g_build_filename (SOURCE_DIR, "tests", "bundle", "example-call.json", NULL);
  g_autofree char *draft = g_build_filename (SOURCE_DIR, "tests", "bundle", "example-draft.json", NULL);
  g_autofree char *bundle = export_bundle (draft, forms, "example.shenbao.json");
  g_autofree char *fingerprint = verified (bundle, "key_fingerprint");
  g_autoptr(GFile) added = g_file_new_build_filename (root, "shenbao", "forms", "bundle-example-1.json", NULL);
  SbCatalog *catalog = sb_draft_store_get_catalog (sb_application_get_store (app));
  SbWindow *window = open_through_app (bundle);
  SbBundleBar *bar = SB_BUNDLE_BAR (sb_window_get_bundle_bar (window));
  GtkWidget *wizard = sb_window_get_wizard (window);

  g_assert_null (sb_test_find_message_dialog ());
  g_assert_nonnull (bar);
  g_assert_cmpstr (sb_bundle_bar_get_fingerprint (bar), ==, fingerprint);
  g_assert_cmpstr (sb_bundle_bar_get_definition (bar), ==,
                   _("not built in: the bundle’s own definition, used as it is"));
  g_assert_true (gtk_widget_activate_action (wizard, "wizard.review", NULL));
  sb_test_spin (0);
  g_assert_cmpuint (check_acknowledgements (SB_WIZARD (wizard),
                                            sb_bundle_view_get_report (sb_window_get_bundle_view (window))->problems), >, 0);
  sb_test_save_screenshot (GTK_WIDGET (window), "bundle-open-not-built-in.png");
  close_window (window);

  g_assert_null (sb_catalog_lookup (catalog, "bundle-example", 1));
  g_assert_false (g_file_query_exists (added, NULL));
  check_copy (bundle, forms, "extracted-example");
  g_assert_nonnull (sb_catalog_lookup (catalog, "bundle-example", 1));
  g_assert_true (g_file_query_exists (added, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples", "nantong-2023-qianzhan.json", NULL);
  int status;

  /* a temporary folder of its own, before anything asks for it (GLib
   * reads TMPDIR once) */
  tmp = g_strdup_printf ("%s/shenbao-bundle-tmp-XXXXXX", g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp");
  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_assert_cmpstr (g_get_tmp_dir (), ==, tmp);
  /* a drafts folder and a signing key of this run's own, elsewhere */
  root = g_strdup_printf ("%s-home", tmp);
  work = g_strdup_printf ("%s-work", tmp);
  g_assert_cmpint (g_mkdir (root, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (work, 0700), ==, 0);
  g_setenv ("XDG_DATA_HOME", root, TRUE);
  g_setenv ("LANGUAGE", "en", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init keeps the C locale; the window is checked in the run's */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SHENBAO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  bundle_path = export_bundle (sample, NULL, "南通 申报.shenbao.json");

  app = sb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/bundle-open/read-only", test_read_only);
  g_test_add_func ("/bundle-open/tampered", test_tampered);
  g_test_add_func ("/bundle-open/copy", test_copy);
  g_test_add_func ("/bundle-open/not-built-in", test_not_built_in);

  status = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
  /* every private folder was removed */
  g_assert_cmpuint (count_private_folders (), ==, 0);
  sb_test_remove_tree (root);
  sb_test_remove_tree (work);
  sb_test_remove_tree (tmp);
  return status;
}
