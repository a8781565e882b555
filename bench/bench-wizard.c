/* bench-wizard.c — a keystroke in a money field of the largest call, and memory
 *
 * The largest built-in call (景德镇 科技计划, the most steps, fields and
 * attachments) is filled from its sample and then taken to its maxima: every
 * table at its max_rows, every limited text at its max_length. In its
 * wizard, a money field is typed into; measured is the work from the end of
 * the debounce to the updated problem list (validation without files plus
 * the widgets' update), and to the next frame on screen. The references,
 * measured in the same run: a full check of the same draft with its files,
 * in this process and as `shenbao validate` run as a program.
 *
 * Then every step is visited and the peak RSS printed against the 150 MB
 * budget and against a plain window measured first.
 *
 * Needs a display: bench/run starts Xvfb when there is none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/resource.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sb-catalog.h"
#include "sb-field-row.h"
#include "sb-json.h"
#include "sb-wizard-private.h"

#define CALL_ID "jingdezhen-2022-keji"
#define SAMPLE "jingdezhen-2022-keji.json"
#define KEYSTROKES 41

static gint64
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static SbValue *
long_text (gint64 length)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gint64 i = 0; i < length; i++)
    g_string_append (text, "研");
  return sb_value_new_string (text->str);
}

/* Every table at its max_rows (copies of its first row, or empty rows),
 * every limited text at its max_length. */
static void
take_to_maxima (SbDraft *draft)
{
  GPtrArray *fields = sb_call_get_fields (sb_draft_get_call (draft));

  for (guint i = 0; i < fields->len; i++)
    {
      SbField *field = g_ptr_array_index (fields, i);
      SbFieldType type = sb_field_get_field_type (field);
      gint64 max = 0, min_rows = 0, max_rows = 0;

      if (sb_field_get_calculate (field) != NULL)
        continue;
      if ((type == SB_FIELD_TEXT || type == SB_FIELD_TEXTAREA) && sb_field_get_max_length (field, &max) &&
          sb_field_get_format (field) == SB_FORMAT_NONE && sb_field_get_pattern (field) == NULL &&
          sb_draft_get_value (draft, sb_field_get_id (field)) != NULL)
        sb_draft_set_value (draft, sb_field_get_id (field), long_text (MIN (max, 3000)));
      else if (type == SB_FIELD_TABLE && sb_field_get_row_limits (field, &min_rows, &max_rows) && max_rows < 1000)
        {
          SbValue *rows = sb_draft_get_value (draft, sb_field_get_id (field));
          SbValue *first;

          if (rows == NULL)
            continue;
          first = sb_value_get_list (rows)->len > 0 ? g_ptr_array_index (sb_value_get_list (rows), 0) : NULL;
          while (sb_value_get_list (rows)->len < (guint) max_rows)
            {
              SbValue *row = sb_value_new_record ();

              if (first != NULL)
                {
                  GHashTableIter iter;
                  gpointer key, cell;

                  g_hash_table_iter_init (&iter, sb_value_get_record (first));
                  while (g_hash_table_iter_next (&iter, &key, &cell))
                    sb_value_record_set (row, key, sb_value_ref (cell));
                }
              sb_value_list_append (rows, row);
            }
        }
    }
}

static SbFieldRow *
first_money_row (SbWizard *wizard,
                 SbDraft  *draft)
{
  GPtrArray *fields = sb_call_get_fields (sb_draft_get_call (draft));

  for (guint i = 0; i < fields->len; i++)
    {
      SbField *field = g_ptr_array_index (fields, i);
      g_autofree char *path = sb_json_path_member ("$.values", sb_field_get_id (field));
      GtkWidget *row;

      if (sb_field_get_field_type (field) != SB_FIELD_MONEY || sb_field_get_calculate (field) != NULL ||
          sb_field_get_parent (field) != NULL)
        continue;
      row = _sb_wizard_lookup_path (wizard, path);
      if (row != NULL && gtk_widget_get_mapped (row))
        return SB_FIELD_ROW (row);
    }
  return NULL;
}

static double
run_cli (const char *draft_path)
{
  g_autofree char *shenbao = g_build_filename (BUILD_DIR, "app", "shenbao", NULL);
  const char *argv[] = { shenbao, "validate", draft_path, NULL };
  double start = now_ms ();

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, NULL);
  return now_ms () - start;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SbCatalog) catalog = NULL;
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples", SAMPLE, NULL);
  g_autofree char *folder = NULL;
  g_autofree char *draft_path = NULL;
  g_autofree char *link = NULL;
  g_autofree char *attachments = g_build_filename (SOURCE_DIR, "resources", "samples", "attachments", NULL);
  g_autoptr(GFile) sample_file = g_file_new_for_path (sample);
  g_autoptr(GFile) draft_file = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *plain;
  SbWizard *wizard;
  SbFieldRow *money;
  double work[KEYSTROKES], frame[KEYSTROKES], validate[KEYSTROKES], cli[9];
  gint64 rss_plain, rss_wizard;
  guint steps = 1;

  setlocale (LC_ALL, "");
  if (!gtk_init_check ())
    {
      g_printerr ("bench-wizard: no display; run it through bench/run, which starts one\n");
      return 77;
    }
  adw_init ();

  /* the reference for memory: a plain window, drawn */
  plain = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (plain), gtk_label_new ("Shenbao"));
  gtk_window_present (GTK_WINDOW (plain));
  gtk_test_widget_wait_for_draw (plain);
  rss_plain = peak_rss_kb ();

  catalog = sb_catalog_new_default ();
  draft = sb_draft_load (sample_file, catalog, &error);
  g_assert_no_error (error);
  take_to_maxima (draft);

  /* on disk, beside the samples' files, for `shenbao validate` */
  folder = g_dir_make_tmp ("shenbao-bench-XXXXXX", &error);
  g_assert_no_error (error);
  link = g_build_filename (folder, "attachments", NULL);
  g_assert_cmpint (symlink (attachments, link), ==, 0);
  draft_path = g_build_filename (folder, "draft.json", NULL);
  draft_file = g_file_new_for_path (draft_path);
  g_assert_true (sb_draft_save (draft, draft_file, &error));
  g_assert_no_error (error);

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  wizard = SB_WIZARD (sb_wizard_new (draft));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  /* go to the first step with a money field */
  while ((money = first_money_row (wizard, draft)) == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
      drain ();
      gtk_test_widget_wait_for_draw (window);
      g_assert_cmpuint (++steps, <, 30);
    }
  gtk_widget_grab_focus (sb_field_row_get_editor (money));

  validator = sb_validator_new (sb_draft_get_call (draft));
  for (guint i = 0; i < KEYSTROKES; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", 100 + (i % 2 ? 50 : 60) + i);
      double start, checked;

      sb_field_row_set_text (money, text);     /* typed: the debounce is armed */
      start = now_ms ();
      _sb_wizard_check_now (wizard);           /* the debounce ends */
      checked = now_ms ();
      gtk_test_widget_wait_for_draw (window);  /* on screen */
      work[i] = checked - start;
      frame[i] = now_ms () - start;

      start = now_ms ();
      g_ptr_array_unref (sb_validator_validate (validator, draft, SB_VALIDATE_FILES));
      validate[i] = now_ms () - start;
    }
  {
    double start = now_ms (), core;

    for (guint i = 0; i < KEYSTROKES; i++)
      g_ptr_array_unref (sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT));
    core = (now_ms () - start) / KEYSTROKES;
    g_assert_true (sb_draft_save (draft, draft_file, &error));
    for (guint i = 0; i < G_N_ELEMENTS (cli); i++)
      cli[i] = run_cli (draft_path);

    g_print ("call %s at its maxima (%s), money field %s\n", CALL_ID, SAMPLE,
             sb_field_get_id (sb_field_row_get_field (money)));
    g_print ("keystroke, end of debounce to problems updated: median %.2f ms "
             "(of which the core's check without files %.2f ms, the wizard's own work %.2f ms)\n",
             median (work, KEYSTROKES), core, median (work, KEYSTROKES) - core);
    g_print ("keystroke, end of debounce to the next frame on screen: median %.2f ms (budget 16 ms: %.2fx)\n",
             median (frame, KEYSTROKES), median (frame, KEYSTROKES) / 16.0);
    g_print ("full check with files, same draft, in process: median %.2f ms; keystroke/full check %.2fx\n",
             median (validate, KEYSTROKES), median (work, KEYSTROKES) / median (validate, KEYSTROKES));
    g_print ("`shenbao validate` as a program, same draft: median %.2f ms; keystroke/validate %.2fx\n",
             median (cli, G_N_ELEMENTS (cli)), median (work, KEYSTROKES) / median (cli, G_N_ELEMENTS (cli)));
  }

  /* every step visited */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.previous", NULL);
  for (guint i = 0; i < 40; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
      drain ();
      gtk_test_widget_wait_for_draw (window);
    }
  rss_wizard = peak_rss_kb ();
  g_print ("peak RSS, every step visited: %.1f MB (budget 150 MB: %.2fx; a plain window: %.1f MB, %.2fx)\n",
           rss_wizard / 1024.0, rss_wizard / 1024.0 / 150.0, rss_plain / 1024.0,
           (double) rss_wizard / (double) rss_plain);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (plain));
  g_unlink (draft_path);
  g_unlink (link);
  g_rmdir (folder);
  return 0;
}
