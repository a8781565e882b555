/* bench-pdf.c — the printed 申报书 against LibreOffice on the same content
 *
 * Exports the largest sample draft to PDF, then writes the same content
 * (every part's title, every field's label and value, the tables) as HTML
 * in the same fonts and has LibreOffice convert it
 * (`soffice --headless --convert-to pdf`), both measured in this run: the
 * figures are the ratios of time and file size. LibreOffice is not a
 * dependency: without `soffice` on the PATH (Debian:
 * libreoffice-writer-nogui) the comparison is skipped. Both files embed
 * the same glyph outlines, which are most of either file: why the size
 * target of half LibreOffice's cannot be met with these fonts is in
 * docs/pdf.md ("File size").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sb-application-digest.h"
#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-pdf-export.h"
#include "sb-validator.h"

#define RUNS 5

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static char *
largest_sample (void)
{
  g_autofree char *dir_path = g_build_filename (SOURCE_DIR, "resources", "samples", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  char *best = NULL;
  goffset best_size = -1;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      GStatBuf st;

      if (g_str_has_suffix (name, ".json") && g_stat (path, &st) == 0 && st.st_size > best_size)
        {
          best_size = st.st_size;
          g_free (best);
          best = g_steal_pointer (&path);
        }
    }
  return best;
}

static void
html_escape_append (GString    *out,
                    const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

static void
html_value (GString       *out,
            SbField       *field,
            const SbValue *value)
{
  if (value == NULL || sb_value_is_empty (value))
    {
      g_string_append (out, "无");
      return;
    }
  switch (sb_value_get_kind (value))
    {
    case SB_VALUE_STRING:
      if (sb_field_get_field_type (field) == SB_FIELD_CHOICE)
        {
          const SbOption *option = sb_field_find_option (field, sb_value_get_string (value));
          html_escape_append (out, option ? option->label.zh : sb_value_get_string (value));
        }
      else
        html_escape_append (out, sb_value_get_string (value));
      break;
    case SB_VALUE_NUMBER:
      {
        gint64 n = 0;
        sb_number_to_int (sb_value_get_number (value), &n);
        if (sb_field_get_field_type (field) == SB_FIELD_MONEY)
          {
            g_autofree char *text = sb_money_format_wan (n);
            g_string_append (out, text);
          }
        else
          g_string_append_printf (out, "%" G_GINT64_FORMAT, n);
      }
      break;
    case SB_VALUE_DATE:
      {
        int y, m, d;
        sb_date_to_ymd (sb_value_get_date (value), &y, &m, &d);
        g_string_append_printf (out, "%d年%d月%d日", y, m, d);
      }
      break;
    case SB_VALUE_BOOL:
      g_string_append (out, sb_value_get_bool (value) ? "是" : "否");
      break;
    case SB_VALUE_RECORD:
      for (guint i = 0; i < sb_field_get_children (field)->len; i++)
        {
          SbField *child = g_ptr_array_index (sb_field_get_children (field), i);
          g_string_append_printf (out, "%s：", sb_field_get_label (child)->zh);
          html_value (out, child, sb_value_record_get (value, sb_field_get_id (child)));
          g_string_append (out, "<br>");
        }
      break;
    case SB_VALUE_LIST:
      if (sb_field_get_field_type (field) == SB_FIELD_TABLE)
        {
          GPtrArray *rows = sb_value_get_list (value);
          GPtrArray *columns = sb_field_get_children (field);

          g_string_append (out, "<table border=1><thead><tr>");
          for (guint c = 0; c < columns->len; c++)
            g_string_append_printf (out, "<th>%s</th>", sb_field_get_label (g_ptr_array_index (columns, c))->zh);
          g_string_append (out, "</tr></thead>");
          for (guint r = 0; r < rows->len; r++)
            {
              g_string_append (out, "<tr>");
              for (guint c = 0; c < columns->len; c++)
                {
                  SbField *column = g_ptr_array_index (columns, c);
                  g_string_append (out, "<td>");
                  html_value (out, column, sb_value_record_get (g_ptr_array_index (rows, r), sb_field_get_id (column)));
                  g_string_append (out, "</td>");
                }
              g_string_append (out, "</tr>");
            }
          g_string_append (out, "</table>");
        }
      else
        for (guint i = 0; i < sb_value_get_list (value)->len; i++)
          {
            const char *item = sb_value_get_string (g_ptr_array_index (sb_value_get_list (value), i));
            const SbOption *option = sb_field_find_option (field, item);
            g_string_append_printf (out, "%s%s", i ? "、" : "", option ? option->label.zh : item);
          }
      break;
    default:
      break;
    }
}

/* the same content as the PDF: parts, every relevant field, tables */
static char *
equivalent_html (SbDraft *draft)
{
  SbCall *call = sb_draft_get_call (draft);
  g_autoptr(SbValidator) validator = sb_validator_new (call);
  g_ptr_array_unref (sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT));
  GPtrArray *parts = sb_print_template_get_parts (sb_call_get_print_template (call));
  GArray *steps = sb_call_get_steps (call);
  GString *out = g_string_new ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                               "<style>@page { size: A4; margin: 37mm 26mm 35mm 28mm }"
                               "body { font-family: 'AR PL UMing CN'; font-size: 12pt }"
                               "h1, h2, th { font-family: 'WenQuanYi Zen Hei' }"
                               "table { border-collapse: collapse; width: 100% }</style></head><body>");

  for (guint p = 0; p < parts->len; p++)
    {
      SbPrintPart *part = g_ptr_array_index (parts, p);
      g_string_append_printf (out, "<h1 style=\"page-break-before: always\">%s</h1>", part->title.zh);
    }
  for (guint s = 0; s < steps->len; s++)
    {
      SbStep *step = &g_array_index (steps, SbStep, s);

      g_string_append_printf (out, "<h2>%s</h2><table border=1>", step->title.zh);
      for (guint i = 0; i < step->fields->len; i++)
        {
          SbField *field = g_ptr_array_index (step->fields, i);

          if (!sb_validator_is_relevant (validator, field))
            continue;
          g_string_append_printf (out, "<tr><th>%s</th><td>", sb_field_get_label (field)->zh);
          html_value (out, field, sb_validator_get_value (validator, field));
          g_string_append (out, "</td></tr>");
        }
      g_string_append (out, "</table>");
    }
  g_string_append (out, "</body></html>");
  return g_string_free (out, FALSE);
}

/* the very characters of our PDF (pdftotext, page by page), so that both
 * files embed the same glyphs: the fair comparison of file sizes */
static char *
text_html (GBytes     *pdf,
           const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "ours.pdf", NULL);
  g_autofree char *text = NULL;
  const char *args[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  GString *out = g_string_new ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                               "<style>@page { size: A4; margin: 37mm 26mm 35mm 28mm }"
                               "body { font-family: 'AR PL UMing CN'; font-size: 12pt }</style></head><body><div>");
  g_auto(GStrv) lines = NULL;

  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL);
  if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &text, NULL, NULL, NULL))
    return g_string_free (out, TRUE);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (line[0] == '\f')
        {
          g_string_append (out, "</div><div style=\"page-break-before: always\">");
          line++;
        }
      if (line[0] == '\0')
        continue;
      g_string_append (out, "<p>");
      html_escape_append (out, line);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "</div></body></html>");
  return g_string_free (out, FALSE);
}

static gboolean
convert (const char *soffice,
         const char *dir,
         const char *html_path,
         const char *html,
         GArray     *times)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (html_path, html, -1, NULL);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *profile = g_strdup_printf ("-env:UserInstallation=file://%s/lo-profile", dir);
      const char *args[] = { soffice, profile, "--headless", "--convert-to", "pdf:writer_web_pdf_Export",
                             "--outdir", dir, html_path, NULL };
      gint64 start = g_get_monotonic_time ();
      int status = 0;
      double seconds;

      if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, NULL, NULL, &status, &error))
        return FALSE;
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (i > 0)   /* the first run creates LibreOffice's profile */
        g_array_append_val (times, seconds);
    }
  return TRUE;
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_double);
  return g_array_index (times, double, times->len / 2);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sample = largest_sample ();
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = g_dir_make_tmp ("shenbao-bench-pdf-XXXXXX", NULL);
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = g_date_time_new (utc, 2024, 1, 20, 9, 42, 0);
  SbPdfExportOptions options = { 0 };
  gsize our_size = 0;
  g_autoptr(GBytes) last = NULL;
  GStatBuf st;

  setlocale (LC_ALL, "");
  file = g_file_new_for_path (sample);
  draft = sb_draft_load (file, catalog, &error);
  if (draft == NULL)
    g_error ("%s", error->message);
  options.digest = "00dd6c2302f601aa2244fa7311b117e7a7add37a73cb6637d4554b4ee1aff7cf";
  options.time = time;

  for (int i = 0; i < RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) bytes = sb_pdf_export_bytes (draft, &options, NULL, &error);
      double seconds = (g_get_monotonic_time () - start) / 1e6;

      if (bytes == NULL)
        g_error ("%s", error->message);
      our_size = g_bytes_get_size (bytes);
      g_clear_pointer (&last, g_bytes_unref);
      last = g_bytes_ref (bytes);
      g_array_append_val (ours, seconds);
    }
  g_print ("sample: %s\n", sample);
  g_print ("shenbao export --pdf: %.3f s (median of %d), %" G_GSIZE_FORMAT " bytes\n", median (ours), RUNS, our_size);

  if (soffice == NULL)
    {
      g_print ("LibreOffice (soffice) is not installed: no comparison (Debian: libreoffice-writer-nogui)\n");
      return 0;
    }
  {
    const struct { const char *what, *file; char *html; } inputs[] = {
      { "the draft's fields as HTML tables", "fields.html", equivalent_html (draft) },
      { "the text of our PDF as HTML paragraphs (same glyphs)", "text.html", text_html (last, dir) },
    };

    for (guint k = 0; k < G_N_ELEMENTS (inputs); k++)
      {
        g_autofree char *path = g_build_filename (dir, inputs[k].file, NULL);
        g_autofree char *base = g_strndup (inputs[k].file, strlen (inputs[k].file) - 5);
        g_autofree char *out_pdf = g_strdup_printf ("%s/%s.pdf", dir, base);
        g_autoptr(GArray) lo_times = g_array_new (FALSE, FALSE, sizeof (double));

        if (!convert (soffice, dir, path, inputs[k].html, lo_times) || g_stat (out_pdf, &st) != 0)
          {
            g_print ("LibreOffice wrote no PDF for %s\n", inputs[k].what);
            return 1;
          }
        g_print ("soffice --convert-to pdf, %s: %.3f s (median of %u), %" G_GINT64_FORMAT " bytes\n",
                 inputs[k].what, median (lo_times), lo_times->len, (gint64) st.st_size);
        g_print ("  time ratio ours/LibreOffice: %.4f (target ≤ 0.05)\n", median (ours) / median (lo_times));
        g_print ("  size ratio ours/LibreOffice: %.3f (target ≤ 0.5)\n", (double) our_size / st.st_size);
        g_free (inputs[k].html);
      }
  }
  if (g_getenv ("SHENBAO_BENCH_KEEP") != NULL)
    g_print ("files kept in %s\n", dir);
  else
    {
    const char *rm[] = { "rm", "-rf", dir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}
