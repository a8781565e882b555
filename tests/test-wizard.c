/* test-wizard.c — the wizard's real widgets on a real (headless) display
 *
 * Runs under Xvfb and a session bus (tests/meson.build). Every test builds an
 * SbWizard for a draft in a plain AdwWindow and works it the way a person
 * does: typing into entries, choosing options, adding table rows, attaching
 * files, activating review rows. What the wizard shows is compared with the
 * draft on disk (read back by the CLI's loader) and with the verdict of the
 * `shenbao validate` program, run as its own process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sb-attachment-slot.h"
#include "sb-catalog.h"
#include "sb-field-row.h"
#include "sb-json.h"
#include "sb-review-page.h"
#include "sb-step-page.h"
#include "sb-table-editor.h"
#include "sb-wizard-private.h"
#include "sb-test-gtk.h"

static SbCatalog *catalog;

/* Fixtures */

typedef struct {
  GtkWidget *window;
  SbWizard  *wizard;
  SbDraft   *draft;
  char      *folder;
  guint      changes;
} Fixture;

static void
count_change (SbWizard *wizard,
              Fixture  *fixture)
{
  fixture->changes++;
}

static char *
make_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *folder = g_dir_make_tmp ("shenbao-wizard-XXXXXX", &error);

  g_assert_no_error (error);
  return folder;
}

static void
open_wizard (Fixture *fixture,
             SbDraft *draft)
{
  fixture->draft = draft;
  fixture->wizard = SB_WIZARD (sb_wizard_new (draft));
  g_signal_connect (fixture->wizard, "changed", G_CALLBACK (count_change), fixture);
  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 760);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->wizard));
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->wizard)))
    g_main_context_iteration (NULL, TRUE);
  sb_test_spin (0);
}

static void
close_wizard (Fixture *fixture)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  sb_test_spin (0);
  g_clear_object (&fixture->draft);
  if (fixture->folder != NULL)
    sb_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
}

/* A new, empty draft of a call, in a folder of its own. */
static SbDraft *
new_draft (Fixture    *fixture,
           const char *call_id)
{
  SbCall *call = sb_catalog_lookup (catalog, call_id, 0);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  SbDraft *draft;

  g_assert_nonnull (call);
  fixture->folder = make_folder ();
  path = g_build_filename (fixture->folder, "draft.json", NULL);
  file = g_file_new_for_path (path);
  draft = sb_draft_new (call);
  sb_draft_set_file (draft, file);
  return draft;
}

static char *
sample_path (const char *name)
{
  return g_build_filename (SOURCE_DIR, "resources", "samples", name, NULL);
}

static SbDraft *
load_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SbDraft *draft = sb_draft_load (file, catalog, &error);

  g_assert_no_error (error);
  return draft;
}

static SbFieldRow *
row_at (Fixture    *fixture,
        const char *path)
{
  GtkWidget *widget = _sb_wizard_lookup_path (fixture->wizard, path);

  if (widget == NULL)
    g_error ("no field row for %s", path);
  g_assert_true (SB_IS_FIELD_ROW (widget));
  return SB_FIELD_ROW (widget);
}

static GPtrArray *
problems_at (Fixture    *fixture,
             const char *path)
{
  return _sb_wizard_problems_for (fixture->wizard, GTK_WIDGET (row_at (fixture, path)));
}

static gboolean
shows_problem (Fixture    *fixture,
               const char *path,
               const char *code)
{
  GPtrArray *problems = problems_at (fixture, path);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    if (g_str_equal (((SbProblem *) g_ptr_array_index (problems, i))->code, code))
      return TRUE;
  return FALSE;
}

/* Whether a visible label under widget says text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static char *
values_json (SbDraft    *draft,
             const char *member)
{
  g_autofree char *data = sb_draft_to_data (draft, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, data, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, member))
    return g_strdup ("null");
  json_generator_set_root (generator, json_object_get_member (root, member));
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* Goes to a step through the sidebar, as a person clicks it; FALSE when
 * the step is not shown. */
static gboolean
go_to_step (Fixture *fixture,
            guint    index)
{
  GtkWidget *list = sb_test_find_descendant (GTK_WIDGET (fixture->wizard), GTK_TYPE_LIST_BOX);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), index);

  g_assert_nonnull (row);
  if (!gtk_widget_get_visible (GTK_WIDGET (row)))
    return FALSE;
  g_signal_emit_by_name (list, "row-activated", row);
  return TRUE;
}

/* Filling in through the widgets */

static void fill_value (Fixture *fixture, const char *path, SbField *field, SbValue *value);

static void
type_into (Fixture       *fixture,
           SbFieldRow    *row,
           SbField       *field,
           const SbValue *value)
{
  g_autofree char *text = _sb_format_value (field, value, FALSE);

  sb_field_row_set_text (row, text);
}

static void
fill_value (Fixture    *fixture,
            const char *path,
            SbField    *field,
            SbValue    *value)
{
  SbFieldRow *row = row_at (fixture, path);

  switch (sb_field_get_field_type (field))
    {
    case SB_FIELD_CHOICE:
      if (!sb_field_row_choose (row, sb_value_get_string (value), TRUE))
        g_error ("%s: “%s” cannot be chosen", path, sb_value_get_string (value));
      break;
    case SB_FIELD_MULTI_CHOICE:
      for (guint i = 0; i < sb_value_get_list (value)->len; i++)
        g_assert_true (sb_field_row_choose (row, sb_value_get_string (g_ptr_array_index (sb_value_get_list (value), i)), TRUE));
      if (sb_value_get_list (value)->len == 0)
        {
          /* answered with nothing chosen: check and uncheck an option */
          GStrv choices = sb_field_row_list_choices (row);

          g_assert_true (sb_field_row_choose (row, choices[0], TRUE));
          g_assert_true (sb_field_row_choose (row, choices[0], FALSE));
          g_strfreev (choices);
        }
      break;
    case SB_FIELD_YESNO:
      sb_field_row_choose (row, sb_value_get_bool (value) ? "true" : "false", TRUE);
      break;
    case SB_FIELD_DECLARATION:
      sb_field_row_choose (row, "true", sb_value_get_bool (value));
      break;
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      {
        GHashTableIter iter;
        gpointer key, member;

        g_hash_table_iter_init (&iter, sb_value_get_record (value));
        while (g_hash_table_iter_next (&iter, &key, &member))
          {
            g_autofree char *member_path = sb_json_path_member (path, key);

            fill_value (fixture, member_path, sb_field_find_child (field, key), member);
          }
      }
      break;
    case SB_FIELD_TABLE:
      {
        SbTableEditor *table = SB_TABLE_EDITOR (sb_field_row_get_table (row));
        GPtrArray *rows = sb_value_get_list (value);

        for (guint i = 0; i < rows->len; i++)
          {
            g_autofree char *row_path = sb_json_path_index (path, i);
            GHashTableIter iter;
            gpointer key, cell;

            sb_table_editor_add_row (table);
            g_hash_table_iter_init (&iter, sb_value_get_record (g_ptr_array_index (rows, i)));
            while (g_hash_table_iter_next (&iter, &key, &cell))
              {
                g_autofree char *cell_path = sb_json_path_member (row_path, key);

                fill_value (fixture, cell_path, sb_field_find_child (field, key), cell);
              }
          }
      }
      break;
    default:
      type_into (fixture, row, field, value);
      break;
    }
  _sb_wizard_check_now (fixture->wizard);
}

/* Fills a new draft through the widgets with every value and file of a
 * sample, step by step, in the order of the form. */
static void
fill_like (Fixture *fixture,
           SbDraft *sample)
{
  SbCall *call = sb_draft_get_call (sample);
  GArray *steps = sb_call_get_steps (call);
  GArray *specs = sb_call_get_attachments (call);
  g_autoptr(GFile) sample_folder = g_file_get_parent (sb_draft_get_file (sample));

  for (guint i = 0; i < steps->len; i++)
    {
      SbStep *step = &g_array_index (steps, SbStep, i);

      if (!go_to_step (fixture, i))
        continue;
      for (guint j = 0; j < step->fields->len; j++)
        {
          SbField *field = g_ptr_array_index (step->fields, j);
          SbValue *value = sb_draft_get_value (sample, sb_field_get_id (field));
          g_autofree char *path = sb_json_path_member ("$.values", sb_field_get_id (field));

          if (value != NULL && sb_field_get_calculate (field) == NULL)
            fill_value (fixture, path, field, value);
        }
    }

  if (specs->len > 0)
    g_assert_true (go_to_step (fixture, steps->len));
  for (guint i = 0; i < specs->len; i++)
    {
      const SbAttachmentSpec *spec = &g_array_index (specs, SbAttachmentSpec, i);
      GPtrArray *refs = sb_draft_get_attachments (sample, spec->id);
      g_autofree char *path = sb_json_path_member ("$.attachments", spec->id);
      GtkWidget *slot = _sb_wizard_lookup_path (fixture->wizard, path);

      g_assert_true (SB_IS_ATTACHMENT_SLOT (slot));
      for (guint j = 0; refs != NULL && j < refs->len; j++)
        {
          SbAttachmentRef *ref = g_ptr_array_index (refs, j);
          g_autoptr(GFile) file = g_file_resolve_relative_path (sample_folder, ref->file);
          g_autoptr(GError) error = NULL;

          g_assert_true (sb_attachment_slot_add_file (SB_ATTACHMENT_SLOT (slot), file, &error));
          g_assert_no_error (error);
        }
    }
  for (guint i = 0; i < sb_call_get_rules (call)->len; i++)
    {
      SbRule *rule = g_ptr_array_index (sb_call_get_rules (call), i);

      if (sb_draft_is_acknowledged (sample, sb_rule_get_id (rule)))
        sb_draft_set_acknowledged (fixture->draft, sb_rule_get_id (rule), TRUE);
    }
}

static void
assert_same_draft (SbDraft *expected,
                   SbDraft *actual)
{
  const char *members[] = { "values", "attachments", "acknowledged" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *a = values_json (expected, members[i]);
      g_autofree char *b = values_json (actual, members[i]);

      g_assert_cmpstr (b, ==, a);
    }
}

/* The verdict of `shenbao validate --json`, as "severity code@path" lines */

static char *
cli_verdict (const char *draft_path)
{
  g_autofree char *shenbao = g_build_filename (BUILD_DIR, "app", "shenbao", NULL);
  const char *argv[] = { shenbao, "validate", "--json", draft_path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) lines = g_string_new (NULL);
  JsonArray *problems;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  problems = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *problem = json_array_get_object_element (problems, i);

      g_string_append_printf (lines, "%s %s@%s%s\n",
                              json_object_get_string_member (problem, "severity"),
                              json_object_get_string_member (problem, "code"),
                              json_object_get_string_member (problem, "path"),
                              json_object_has_member (problem, "acknowledged") &&
                              json_object_get_boolean_member (problem, "acknowledged") ? " acknowledged" : "");
    }
  return g_string_free (g_steal_pointer (&lines), FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static char *
sorted_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  qsort (lines, n, sizeof (char *), compare_strings);
  return g_strjoinv ("\n", lines);
}

/* Goes to the review step; its rows, in the same form as cli_verdict. */
static char *
review_verdict (Fixture *fixture)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  GtkWidget *review;
  GPtrArray *problems;
  GPtrArray *rows;

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.review", NULL);
  sb_test_spin (0);
  review = sb_test_find_descendant (GTK_WIDGET (fixture->wizard), SB_TYPE_REVIEW_PAGE);
  g_assert_nonnull (review);
  g_assert_true (gtk_widget_get_mapped (review));
  rows = sb_review_page_get_rows (SB_REVIEW_PAGE (review));
  problems = _sb_wizard_get_problems (fixture->wizard);

  g_assert_cmpuint (rows->len, ==, problems->len);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *key = sb_review_row_get_key (row);
      SbProblem *problem = NULL;

      for (guint j = 0; j < problems->len && problem == NULL; j++)
        {
          SbProblem *candidate = g_ptr_array_index (problems, j);
          g_autofree char *candidate_key = g_strdup_printf ("%s@%s", candidate->code, candidate->path);

          if (g_str_equal (candidate_key, key))
            problem = candidate;
        }
      g_assert_nonnull (problem);
      g_assert_true (gtk_widget_get_mapped (row));
      g_string_append_printf (lines, "%s %s%s\n", sb_severity_to_string (problem->severity), key,
                              problem->severity == SB_SEVERITY_WARNING && problem->acknowledged ? " acknowledged" : "");
    }
  return g_string_free (g_steal_pointer (&lines), FALSE);
}

/* Tests */

static void
test_nantong_money (void)
{
  Fixture fixture = { 0 };

  open_wizard (&fixture, new_draft (&fixture, "nantong-2023-qianzhan"));
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.total_investment"));

  /* 150 is not above 150万: the error appears once the typing stops */
  sb_field_row_set_text (row_at (&fixture, "$.values.total_investment"), "150");
  g_assert_false (shows_problem (&fixture, "$.values.total_investment", "investment_above_150"));
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_true (shows_problem (&fixture, "$.values.total_investment", "investment_above_150"));
  g_assert_true (shows_text (GTK_WIDGET (row_at (&fixture, "$.values.total_investment")), "150"));
  g_assert_true (gtk_widget_has_css_class (sb_field_row_get_editor (row_at (&fixture, "$.values.total_investment")), "error"));

  /* 150.0001万 is: gone */
  sb_field_row_set_text (row_at (&fixture, "$.values.total_investment"), "150.0001");
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_false (shows_problem (&fixture, "$.values.total_investment", "investment_above_150"));
  g_assert_false (gtk_widget_has_css_class (sb_field_row_get_editor (row_at (&fixture, "$.values.total_investment")), "error"));
  g_assert_cmpint (sb_number_compare (sb_value_get_number (sb_draft_get_value (fixture.draft, "total_investment")),
                                      sb_number_from_int (1500001), &(int) { 0 }, NULL), ==, TRUE);

  /* typed as the core's parser reads it, shown back normalised on Enter */
  sb_field_row_set_text (row_at (&fixture, "$.values.total_investment"), "1,600,000元");
  g_signal_emit_by_name (sb_field_row_get_editor (row_at (&fixture, "$.values.total_investment")), "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sb_field_row_get_editor (row_at (&fixture, "$.values.total_investment")))),
                   ==, "160");
  sb_field_row_set_text (row_at (&fixture, "$.values.subsidy"), "１００.５");
  g_signal_emit_by_name (sb_field_row_get_editor (row_at (&fixture, "$.values.subsidy")), "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sb_field_row_get_editor (row_at (&fixture, "$.values.subsidy")))),
                   ==, "100.5");
  /* the calculated self-raised funds follow at once */
  g_assert_true (shows_text (GTK_WIDGET (row_at (&fixture, "$.values.self_raised")), "59.5万元"));

  /* an amount the core cannot read is said so, and not stored */
  sb_field_row_set_text (row_at (&fixture, "$.values.subsidy"), "10.00001");
  g_assert_null (sb_draft_get_value (fixture.draft, "subsidy"));
  g_assert_true (shows_text (GTK_WIDGET (row_at (&fixture, "$.values.subsidy")), "10.00001"));

  /* empty required fields are not flagged before the review step */
  g_assert_false (shows_problem (&fixture, "$.values.project_name", "required") &&
                  shows_text (GTK_WIDGET (row_at (&fixture, "$.values.project_name")), "required"));
  g_assert_cmpuint (fixture.changes, >, 0);
  close_wizard (&fixture);
}

static void
count_step (SbWizard *wizard,
            guint    *steps)
{
  (*steps)++;
}

static void
test_navigation (void)
{
  Fixture fixture = { 0 };
  GtkWidget *next;
  GtkWidget *list;
  guint steps = 0;

  open_wizard (&fixture, new_draft (&fixture, "nantong-2023-qianzhan"));
  g_signal_connect (fixture.wizard, "step-changed", G_CALLBACK (count_step), &steps);
  next = g_object_get_data (G_OBJECT (fixture.wizard), "next-button");
  list = sb_test_find_descendant (GTK_WIDGET (fixture.wizard), GTK_TYPE_LIST_BOX);

  g_assert_true (gtk_widget_is_sensitive (next));
  g_assert_true (gtk_list_box_get_selected_row (GTK_LIST_BOX (list)) == gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.previous", NULL);
  g_assert_cmpuint (steps, ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.next", NULL);
  g_assert_cmpuint (steps, ==, 1);
  g_assert_true (gtk_list_box_get_selected_row (GTK_LIST_BOX (list)) == gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  /* the new step's first field has the focus */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture.window)),
                                         GTK_WIDGET (row_at (&fixture, "$.values.applicant"))));
  gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.previous", NULL);
  g_assert_cmpuint (steps, ==, 2);
  /* before the review step, an empty required field is not flagged */
  g_assert_true (shows_problem (&fixture, "$.values.project_name", "required"));
  g_assert_false (shows_text (GTK_WIDGET (row_at (&fixture, "$.values.project_name")),
                              sb_problem_get_message (g_ptr_array_index (problems_at (&fixture, "$.values.project_name"), 0),
                                                      sb_prefer_chinese ())));
  /* Ctrl+F: a field found by its label, in either language */
  {
    GtkWidget *search = sb_test_find_descendant (GTK_WIDGET (fixture.wizard), GTK_TYPE_SEARCH_ENTRY);

    gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.search", NULL);
    gtk_editable_set_text (GTK_EDITABLE (search), "研发总投入");
    g_signal_emit_by_name (search, "search-changed");
    g_signal_emit_by_name (search, "activate");
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture.window)),
                                           GTK_WIDGET (row_at (&fixture, "$.values.total_investment"))));
    g_assert_cmpuint (steps, ==, 3);
  }
  gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.review", NULL);
  g_assert_cmpuint (steps, ==, 4);
  g_assert_false (gtk_widget_is_sensitive (next));
  /* on review, empty required fields are flagged too */
  g_assert_true (shows_problem (&fixture, "$.values.project_name", "required"));
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.project_name"));
  g_assert_true (shows_text (GTK_WIDGET (row_at (&fixture, "$.values.project_name")),
                             sb_problem_get_message (g_ptr_array_index (problems_at (&fixture, "$.values.project_name"), 0),
                                                     sb_prefer_chinese ())));
  close_wizard (&fixture);
}

static void
test_nantong_fill (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autoptr(SbDraft) sample = load_file (path);
  g_autoptr(SbDraft) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *cli = NULL;
  g_autofree char *shown = NULL;

  open_wizard (&fixture, new_draft (&fixture, "nantong-2023-qianzhan"));
  fill_like (&fixture, sample);
  assert_same_draft (sample, fixture.draft);

  /* saved as the window does, read back by the command line's loader */
  g_assert_true (sb_draft_save (fixture.draft, sb_draft_get_file (fixture.draft), &error));
  g_assert_no_error (error);
  saved = g_file_get_path (sb_draft_get_file (fixture.draft));
  reloaded = load_file (saved);
  assert_same_draft (sample, reloaded);

  /* and the review step agrees with `shenbao validate` on it: no errors */
  cli = cli_verdict (saved);
  shown = review_verdict (&fixture);
  g_assert_cmpstr (shown, ==, cli);
  g_assert_null (strstr (shown, "error "));
  close_wizard (&fixture);
}

static void
test_relevance_keeps_values (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  SbFieldRow *joint;

  open_wizard (&fixture, load_file (path));
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.joint"));
  joint = row_at (&fixture, "$.values.joint");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row_at (&fixture, "$.values.partners"))));
  before = values_json (fixture.draft, "values");

  sb_field_row_choose (joint, "false", TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_at (&fixture, "$.values.partners"))));
  sb_field_row_choose (joint, "true", TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row_at (&fixture, "$.values.partners"))));
  after = values_json (fixture.draft, "values");
  g_assert_cmpstr (after, ==, before);
  close_wizard (&fixture);
}

static void
test_jingdezhen_table (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = sample_path ("jingdezhen-2022-keji.json");
  g_autoptr(SbDraft) sample = load_file (path);
  SbTableEditor *table;
  SbValue *rows;

  open_wizard (&fixture, new_draft (&fixture, "jingdezhen-2022-keji"));
  fill_like (&fixture, sample);
  assert_same_draft (sample, fixture.draft);

  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.members"));
  table = SB_TABLE_EDITOR (sb_field_row_get_table (row_at (&fixture, "$.values.members")));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row_at (&fixture, "$.values.members"))));
  rows = sb_draft_get_value (fixture.draft, "members");
  g_assert_cmpuint (sb_table_editor_get_n_rows (table), ==, sb_value_get_list (rows)->len);

  /* add a row, type a name, move it to the top, remove it again */
  {
    guint n = sb_table_editor_get_n_rows (table);
    g_autofree char *last = sb_json_path_index ("$.values.members", n);
    g_autofree char *cell = sb_json_path_member (last, "name");
    SbValue *first;

    sb_table_editor_add_row (table);
    g_assert_cmpuint (sb_table_editor_get_n_rows (table), ==, n + 1);
    sb_field_row_set_text (row_at (&fixture, cell), "新成员");
    for (guint i = n; i > 0; i--)
      sb_table_editor_move_row (table, i, -1);
    first = g_ptr_array_index (sb_value_get_list (sb_draft_get_value (fixture.draft, "members")), 0);
    g_assert_cmpstr (sb_value_get_string (sb_value_record_get (first, "name")), ==, "新成员");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sb_field_row_get_editor (row_at (&fixture, "$.values.members[0].name")))),
                     ==, "新成员");
    sb_table_editor_remove_row (table, 0);
    g_assert_cmpuint (sb_table_editor_get_n_rows (table), ==, n);
  }
  assert_same_draft (sample, fixture.draft);
  close_wizard (&fixture);
}

/* Only an empty table waits for the review step; one with too few rows
 * is flagged beside it at once (景德镇 协同创新体: three partners or more). */
static gboolean
shows_problem_text (Fixture    *fixture,
                    const char *path,
                    const char *code)
{
  GPtrArray *problems = problems_at (fixture, path);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, code))
        return shows_text (GTK_WIDGET (row_at (fixture, path)), sb_problem_get_message (problem, sb_prefer_chinese ()));
    }
  g_error ("%s: no “%s” problem", path, code);
}

static void
test_too_few_rows (void)
{
  Fixture fixture = { 0 };
  SbTableEditor *table;

  open_wizard (&fixture, new_draft (&fixture, "jingdezhen-2022-keji"));
  g_assert_true (sb_field_row_choose (row_at (&fixture, "$.values.programme"), "synergy", TRUE));
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.synergy_partners"));
  table = SB_TABLE_EDITOR (sb_field_row_get_table (row_at (&fixture, "$.values.synergy_partners")));
  g_assert_cmpuint (sb_table_editor_get_n_rows (table), ==, 0);

  /* 0 rows: empty, not flagged before the review step */
  g_assert_false (shows_problem_text (&fixture, "$.values.synergy_partners", "required"));

  /* 1 row of the 3 required: flagged at once */
  sb_table_editor_add_row (table);
  sb_field_row_set_text (row_at (&fixture, "$.values.synergy_partners[0].name"), "景德镇陶瓷大学");
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_true (shows_problem_text (&fixture, "$.values.synergy_partners", "min_rows"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row_at (&fixture, "$.values.synergy_partners"))));

  /* back to 0 rows: hidden again until the review step */
  sb_table_editor_remove_row (table, 0);
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_false (shows_problem (&fixture, "$.values.synergy_partners", "min_rows"));
  g_assert_false (shows_problem_text (&fixture, "$.values.synergy_partners", "required"));
  gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.review", NULL);
  /* back on the table's step (an empty table has nothing to focus) */
  sb_wizard_focus_path (fixture.wizard, "$.values.synergy_partners");
  g_assert_true (shows_problem_text (&fixture, "$.values.synergy_partners", "required"));
  close_wizard (&fixture);
}

/* What the call asks that no check can see is shown once on the review
 * step, each with its clause (南通: quotas, the portal, paper copies). */
static guint
count_rows_titled (GtkWidget  *widget,
                   const char *title,
                   GtkWidget **first)
{
  guint n = 0;

  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    {
      if (*first == NULL)
        *first = widget;
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows_titled (child, title, first);
  return n;
}

static void
test_review_notices (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autofree char *shown = NULL;
  GtkWidget *review, *row = NULL, *portal = NULL;

  open_wizard (&fixture, load_file (path));
  shown = review_verdict (&fixture);
  review = sb_test_find_descendant (GTK_WIDGET (fixture.wizard), SB_TYPE_REVIEW_PAGE);
  g_assert_cmpuint (count_rows_titled (review, "Recommendation quotas", &row), ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "通知 三、组织方式"));
  g_assert_cmpuint (count_rows_titled (review, "Online portal", &portal), ==, 1);
  /* once, however often the draft is checked again */
  _sb_wizard_check_now (fixture.wizard);
  sb_test_spin (10);
  row = NULL;
  g_assert_cmpuint (count_rows_titled (review, "Recommendation quotas", &row), ==, 1);
  close_wizard (&fixture);
}

static void
test_review_jump_and_acknowledge (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  GtkWidget *focus;
  SbFieldRow *row;
  g_autofree char *shown = NULL;

  open_wizard (&fixture, load_file (path));
  /* an error: the R&D total at exactly 150万 */
  sb_field_row_set_text (row_at (&fixture, "$.values.total_investment"), "150");
  _sb_wizard_check_now (fixture.wizard);
  shown = review_verdict (&fixture);
  g_assert_nonnull (strstr (shown, "error investment_above_150@$.values.total_investment"));

  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.total_investment"));
  row = row_at (&fixture, "$.values.total_investment");
  focus = gtk_root_get_focus (GTK_ROOT (fixture.window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (row) || gtk_widget_is_ancestor (focus, GTK_WIDGET (row)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
  /* a table cell's path goes to that cell */
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.budget_items[1].subsidy_amount"));
  focus = gtk_root_get_focus (GTK_ROOT (fixture.window));
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (row_at (&fixture, "$.values.budget_items[1].subsidy_amount"))));

  /* a field far down its page is scrolled into view */
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.self_funds_declaration"));
  for (guint i = 0; i < 3; i++)
    {
      sb_test_spin (20);
      gtk_test_widget_wait_for_draw (fixture.window);
    }
  {
    GtkWidget *target = GTK_WIDGET (row_at (&fixture, "$.values.self_funds_declaration"));
    GtkWidget *page = gtk_widget_get_ancestor (target, SB_TYPE_STEP_PAGE);
    graphene_point_t point;

    g_assert_true (gtk_widget_compute_point (target, page, &GRAPHENE_POINT_INIT (0, 0), &point));
    g_assert_cmpfloat (point.y, >=, 0);
    g_assert_cmpfloat (point.y, <, gtk_widget_get_height (page));
  }

  /* activating a review row goes to its field, as a person does it */
  {
    GtkWidget *review = sb_test_find_descendant (GTK_WIDGET (fixture.wizard), SB_TYPE_REVIEW_PAGE);
    GPtrArray *rows;
    GtkWidget *target = NULL;

    review_verdict (&fixture);
    rows = sb_review_page_get_rows (SB_REVIEW_PAGE (review));
    for (guint i = 0; i < rows->len; i++)
      if (g_str_equal (sb_review_row_get_key (g_ptr_array_index (rows, i)), "subsidy_at_most_half@$.values.subsidy"))
        target = g_ptr_array_index (rows, i);
    g_assert_nonnull (target);
    g_signal_emit_by_name (target, "activated");
    focus = gtk_root_get_focus (GTK_ROOT (fixture.window));
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (row_at (&fixture, "$.values.subsidy"))));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row_at (&fixture, "$.values.subsidy"))));
  }
  close_wizard (&fixture);
}

static void
test_acknowledge_warning (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *review;
  GtkWidget *check = NULL;
  GPtrArray *rows;
  guint changes;

  open_wizard (&fixture, load_file (path));
  /* a name not ending in 研发 is a warning of the guide, not an error */
  sb_field_row_set_text (row_at (&fixture, "$.values.project_name"), "车规级碳化硅功率模块高可靠封装关键技术研究");
  sb_test_spin (SB_WIZARD_CHECK_DELAY_MS + 100);
  g_assert_true (shows_problem (&fixture, "$.values.project_name", "name_suffix"));
  before = review_verdict (&fixture);
  g_assert_nonnull (strstr (before, "warning name_suffix@$.values.project_name\n"));
  g_assert_null (strstr (before, "error "));

  review = sb_test_find_descendant (GTK_WIDGET (fixture.wizard), SB_TYPE_REVIEW_PAGE);
  rows = sb_review_page_get_rows (SB_REVIEW_PAGE (review));
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (sb_review_row_get_key (g_ptr_array_index (rows, i)), "name_suffix@"))
      check = sb_test_find_descendant (g_ptr_array_index (rows, i), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  changes = fixture.changes;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_cmpuint (fixture.changes, >, changes);
  g_assert_true (sb_draft_is_acknowledged (fixture.draft, "name_suffix"));
  sb_test_spin (10);
  after = review_verdict (&fixture);
  g_assert_nonnull (strstr (after, "warning name_suffix@$.values.project_name acknowledged\n"));
  /* saved in the draft */
  {
    g_autofree char *acknowledged = values_json (fixture.draft, "acknowledged");

    g_assert_nonnull (strstr (acknowledged, "name_suffix"));
  }
  close_wizard (&fixture);
}

static guint
count_unnamed (GtkWidget *widget)
{
  guint unnamed = 0;
  gboolean named;

  if (GTK_IS_TEXT (widget))
    return 0;   /* the inner text of an entry: its entry is the control */
  if (GTK_IS_ENTRY (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_DROP_DOWN (widget))
    {
      named = gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
              gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
      if (!named)
        {
          g_test_message ("unnamed %s", G_OBJECT_TYPE_NAME (widget));
          unnamed++;
        }
      return unnamed;
    }
  if ((GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))) || GTK_IS_MENU_BUTTON (widget))
    {
      const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

      named = (label != NULL && *label != '\0') ||
              gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
              gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
              shows_text (widget, "");
      if (!named)
        {
          g_test_message ("unnamed %s", G_OBJECT_TYPE_NAME (widget));
          unnamed++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    unnamed += count_unnamed (child);
  return unnamed;
}

static void
test_attachment_refused (void)
{
  Fixture fixture = { 0 };
  g_autofree char *empty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fake = NULL;
  g_autofree char *good = sample_path ("attachments/nantong-legal-rep.pdf");
  g_autofree char *copies = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *slot;
  GPtrArray *refs;
  SbAttachmentRef *ref;

  open_wizard (&fixture, new_draft (&fixture, "nantong-2023-qianzhan"));
  slot = _sb_wizard_lookup_path (fixture.wizard, "$.attachments.legal_rep_proof");
  g_assert_true (SB_IS_ATTACHMENT_SLOT (slot));
  empty = g_build_filename (fixture.folder, "..", "shenbao-empty.pdf", NULL);
  text = g_build_filename (g_get_tmp_dir (), "shenbao-notes.txt", NULL);
  fake = g_build_filename (g_get_tmp_dir (), "shenbao-fake.pdf", NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "notes", -1, NULL));
  g_assert_true (g_file_set_contents (fake, "not a PDF at all", -1, NULL));

  /* each refused with the core's own message, and nothing kept */
  g_clear_object (&file);
  file = g_file_new_for_path (empty);
  g_assert_false (sb_attachment_slot_add_file (SB_ATTACHMENT_SLOT (slot), file, &error));
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);
  g_clear_object (&file);
  file = g_file_new_for_path (text);
  g_assert_false (sb_attachment_slot_add_file (SB_ATTACHMENT_SLOT (slot), file, &error));
  g_assert_nonnull (strstr (error->message, "accepted format"));
  g_clear_error (&error);
  g_clear_object (&file);
  file = g_file_new_for_path (fake);
  g_assert_false (sb_attachment_slot_add_file (SB_ATTACHMENT_SLOT (slot), file, &error));
  g_assert_nonnull (strstr (error->message, "does not contain pdf data"));
  g_clear_error (&error);
  refs = sb_draft_get_attachments (fixture.draft, "legal_rep_proof");
  g_assert_true (refs == NULL || refs->len == 0);
  copies = g_build_filename (fixture.folder, "attachments", NULL);
  {
    g_autoptr(GDir) dir = g_dir_open (copies, 0, NULL);

    g_assert_true (dir == NULL || g_dir_read_name (dir) == NULL);
  }

  /* a real PDF is copied into the draft's folder with its size and SHA-256 */
  g_clear_object (&file);
  file = g_file_new_for_path (good);
  g_assert_true (sb_attachment_slot_add_file (SB_ATTACHMENT_SLOT (slot), file, &error));
  g_assert_no_error (error);
  refs = sb_draft_get_attachments (fixture.draft, "legal_rep_proof");
  g_assert_cmpuint (refs->len, ==, 1);
  ref = g_ptr_array_index (refs, 0);
  g_assert_cmpstr (ref->file, ==, "attachments/nantong-legal-rep.pdf");
  g_assert_cmpstr (ref->sha256, ==, "d4dbcc5f50e47205429187cf5989d8950a6f2790bb8606c781672208e9a8bb0a");
  g_assert_cmpint (ref->size, ==, 622);
  {
    g_autofree char *copy = g_build_filename (fixture.folder, ref->file, NULL);

    g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  }
  g_unlink (empty);
  g_unlink (text);
  g_unlink (fake);
  close_wizard (&fixture);
}

static void
test_accessibility (void)
{
  Fixture fixture = { 0 };
  SbFieldRow *row;
  GtkWidget *editor;

  open_wizard (&fixture, new_draft (&fixture, "nantong-2023-qianzhan"));
  g_assert_true (sb_wizard_focus_path (fixture.wizard, "$.values.total_investment"));
  row = row_at (&fixture, "$.values.total_investment");
  editor = sb_field_row_get_editor (row);
  sb_field_row_set_text (row, "150");
  g_signal_emit_by_name (editor, "activate");
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  sb_field_row_set_text (row, "150.0001");
  g_signal_emit_by_name (editor, "activate");
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE);

  /* every control of every step has a name: its label */
  g_assert_cmpuint (count_unnamed (GTK_WIDGET (fixture.wizard)), ==, 0);
  close_wizard (&fixture);
}

/* Every sample and every case: the review step lists exactly what
 * `shenbao validate` reports. */

typedef struct {
  char *draft_path;   /* the draft on disk */
  char *folder;       /* to remove, or NULL */
} Subject;

static void
subject_free (Subject *subject)
{
  if (subject->folder != NULL)
    sb_test_remove_tree (subject->folder);
  g_free (subject->folder);
  g_free (subject->draft_path);
  g_free (subject);
}

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
      gboolean last = i + 1 == n;
      JsonNode *copy;

      if (JSON_NODE_HOLDS_OBJECT (value) && json_object_has_member (json_node_get_object (value), "repeat"))
        {
          JsonObject *spec = json_node_get_object (value);
          g_autoptr(GString) text = g_string_new (NULL);

          for (gint64 k = 0; k < json_object_get_int_member (spec, "times"); k++)
            g_string_append (text, json_object_get_string_member (spec, "repeat"));
          copy = json_node_init_string (json_node_alloc (), text->str);
        }
      else
        copy = json_node_copy (value);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

          if (!last)
            {
              node = json_array_get_element (array, index);
              json_node_unref (copy);
              continue;
            }
          {
            g_autoptr(JsonArray) rebuilt = json_array_new ();

            for (guint j = 0; j < json_array_get_length (array); j++)
              if (j != index)
                json_array_add_element (rebuilt, json_node_copy (json_array_get_element (array, j)));
              else if (!JSON_NODE_HOLDS_NULL (value))
                json_array_add_element (rebuilt, json_node_copy (copy));
            json_node_set_array (node, rebuilt);
          }
          json_node_unref (copy);
          continue;
        }
      if (last)
        {
          JsonObject *object = json_node_get_object (node);

          if (JSON_NODE_HOLDS_NULL (value))
            {
              if (json_object_has_member (object, parts[i]))
                json_object_remove_member (object, parts[i]);
              json_node_unref (copy);
            }
          else
            json_object_set_member (object, parts[i], copy);
        }
      else
        {
          JsonObject *object = json_node_get_object (node);

          if (!json_object_has_member (object, parts[i]))
            json_object_set_object_member (object, parts[i], json_object_new ());
          node = json_object_get_member (object, parts[i]);
          json_node_unref (copy);
        }
    }
}

/* A case's draft written next to a link to the samples' attachments, so
 * that both the wizard and the CLI check the same real files. */
static Subject *
write_case (const char *sample,
            JsonObject *set)
{
  Subject *subject = g_new0 (Subject, 1);
  g_autofree char *source = sample_path (sample);
  g_autofree char *attachments = sample_path ("attachments");
  g_autofree char *link = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;

  subject->folder = make_folder ();
  link = g_build_filename (subject->folder, "attachments", NULL);
  g_assert_cmpint (symlink (attachments, link), ==, 0);
  subject->draft_path = g_build_filename (subject->folder, "draft.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, source, &error));
  g_assert_no_error (error);
  members = set ? json_object_get_members (set) : NULL;
  for (GList *l = members; l != NULL; l = l->next)
    apply_patch (json_parser_get_root (parser), l->data, json_object_get_member (set, l->data));
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, subject->draft_path, &error));
  g_assert_no_error (error);
  return subject;
}

static void
check_subject (Subject *subject)
{
  Fixture fixture = { 0 };
  g_autofree char *cli = cli_verdict (subject->draft_path);
  g_autofree char *shown = NULL;
  g_autofree char *cli_sorted = NULL;
  g_autofree char *shown_sorted = NULL;

  open_wizard (&fixture, load_file (subject->draft_path));
  shown = review_verdict (&fixture);
  cli_sorted = sorted_lines (cli);
  shown_sorted = sorted_lines (shown);
  g_assert_cmpstr (shown_sorted, ==, cli_sorted);
  close_wizard (&fixture);
}

static void
test_samples_match_validate (void)
{
  g_autofree char *folder = g_build_filename (SOURCE_DIR, "resources", "samples", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint checked = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      Subject *subject;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_test_message ("sample %s", name);
      subject = write_case (name, NULL);
      check_subject (subject);
      subject_free (subject);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 4);
}

static void
test_cases_match_validate (void)
{
  g_autofree char *folder = g_build_filename (SOURCE_DIR, "tests", "cases", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint checked = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;
      JsonArray *cases;

      g_assert_true (json_parser_load_from_file (parser, path, NULL));
      root = json_node_get_object (json_parser_get_root (parser));
      cases = json_object_get_array_member (root, "cases");
      for (guint i = 0; i < json_array_get_length (cases); i++)
        {
          JsonObject *spec = json_array_get_object_element (cases, i);
          const char *sample = json_object_has_member (spec, "sample")
                               ? json_object_get_string_member (spec, "sample")
                               : json_object_get_string_member (root, "sample");
          Subject *subject;

          g_test_message ("case %s: %s", name, json_object_get_string_member (spec, "name"));
          subject = write_case (sample, json_object_has_member (spec, "set") ? json_object_get_object_member (spec, "set") : NULL);
          check_subject (subject);
          subject_free (subject);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 20);
}

/* Screenshots of every step of the 南通 call, in the language of the run,
 * under the build folder, for a person to look at. */
static void
test_screenshots (void)
{
  const char *base = g_getenv ("SHENBAO_SCREENSHOTS");
  g_autofree char *path = sample_path ("nantong-2023-qianzhan.json");
  g_autofree char *folder = NULL;
  Fixture fixture = { 0 };
  guint n = 0;

  if (base == NULL)
    {
      g_test_skip ("SHENBAO_SCREENSHOTS names no folder");
      return;
    }
  folder = g_build_filename (base, sb_prefer_chinese () ? "zh_CN" : "en", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);

  open_wizard (&fixture, load_file (path));
  /* one problem of each kind shows how they look */
  sb_field_row_set_text (row_at (&fixture, "$.values.total_investment"), "150");
  _sb_wizard_check_now (fixture.wizard);
  for (;;)
    {
      g_autofree char *name = g_strdup_printf ("%02u.png", ++n);
      g_autofree char *file = g_build_filename (folder, name, NULL);

      sb_test_spin (0);
      gtk_test_widget_wait_for_draw (fixture.window);
      sb_test_save_png (fixture.window, file);
      g_test_message ("saved %s", file);
      if (!gtk_widget_is_sensitive (GTK_WIDGET (g_object_get_data (G_OBJECT (fixture.wizard), "next-button"))))
        break;
      gtk_widget_activate_action (GTK_WIDGET (fixture.wizard), "wizard.next", NULL);
      g_assert_cmpuint (n, <, 50);
    }
  g_assert_cmpuint (n, >=, 7);
  close_wizard (&fixture);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SHENBAO_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  catalog = sb_catalog_new_default ();

  g_test_add_func ("/wizard/nantong-money", test_nantong_money);
  g_test_add_func ("/wizard/navigation", test_navigation);
  g_test_add_func ("/wizard/nantong-fill", test_nantong_fill);
  g_test_add_func ("/wizard/relevance-keeps-values", test_relevance_keeps_values);
  g_test_add_func ("/wizard/jingdezhen-table", test_jingdezhen_table);
  g_test_add_func ("/wizard/too-few-rows", test_too_few_rows);
  g_test_add_func ("/wizard/review-jump", test_review_jump_and_acknowledge);
  g_test_add_func ("/wizard/review-notices", test_review_notices);
  g_test_add_func ("/wizard/acknowledge-warning", test_acknowledge_warning);
  g_test_add_func ("/wizard/attachment-refused", test_attachment_refused);
  g_test_add_func ("/wizard/accessibility", test_accessibility);
  g_test_add_func ("/wizard/samples-match-validate", test_samples_match_validate);
  g_test_add_func ("/wizard/cases-match-validate", test_cases_match_validate);
  g_test_add_func ("/wizard/screenshots", test_screenshots);
  return g_test_run ();
}
