/* sb-cli-pdf.c — the PDF half of `shenbao export`
 *
 * Kept apart from the option parsing so that `export --bundle --pdf` can
 * write the bundle first and hand over its key fingerprint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "sb-application-digest.h"
#include "sb-cli.h"
#include "sb-cli-pdf.h"
#include "sb-pdf-export.h"
#include "sb-problem.h"

static gboolean
parse_time (const char  *text,
            GDateTime  **out,
            GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  *out = g_date_time_new_from_iso8601 (text, utc);
  if (*out == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--time: “%s” is not an ISO 8601 time such as 2024-01-20T09:42:00Z"), text);
      return FALSE;
    }
  return TRUE;
}

/* 6 → 一式六份, as calls write it */
static char *
copies_in_chinese (gint64 copies)
{
  static const char *digits[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

  if (copies <= 0 || copies > 99)
    return g_strdup_printf ("一式%" PRId64 "份", copies);
  if (copies < 10)
    return g_strdup_printf ("一式%s份", digits[copies]);
  return g_strdup_printf ("一式%s十%s份", copies >= 20 ? digits[copies / 10] : "", copies % 10 ? digits[copies % 10] : "");
}

/* The PDF half of `export`: kept apart so that --bundle can run first and
 * hand over the key fingerprint. */
int
sb_cli_export_pdf (SbDraft    *draft,
                   const char *out_path,
                   const char *time_text,
                   const char *font,
                   const char *heading_font,
                   const char *key_fingerprint)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(JsonNode) application = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GFile) out = g_file_new_for_commandline_arg (out_path);
  g_autoptr(GPtrArray) notes = g_ptr_array_new ();
  gboolean chinese = sb_prefer_chinese ();
  SbPdfExportOptions options = { 0 };
  gint64 copies;

  if (time_text != NULL && !parse_time (time_text, &time, &error))
    {
      g_printerr ("shenbao export: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }
  application = sb_application_build (draft, &error);
  if (application != NULL)
    digest = sb_application_digest (application, &error);
  if (digest == NULL)
    {
      g_printerr ("shenbao export: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }

  options.digest = digest;
  options.key_fingerprint = key_fingerprint;
  options.time = time;
  options.fonts.body = (char *) font;
  options.fonts.heading = (char *) heading_font;
  if (!sb_pdf_export_file (draft, &options, out, notes, &error))
    {
      g_printerr ("shenbao export: %s\n", error->message);
      for (guint i = 0; i < notes->len; i++)
        sb_text_clear (g_ptr_array_index (notes, i)), g_free (g_ptr_array_index (notes, i));
      return SB_EXIT_UNREADABLE;
    }
  for (guint i = 0; i < notes->len; i++)
    {
      SbText *note = g_ptr_array_index (notes, i);
      g_print (_("note: %s\n"), sb_text_get (note, chinese));
      sb_text_clear (note);
      g_free (note);
    }
  copies = sb_pdf_export_copies (draft);
  g_print (_("Wrote %s (application digest %s).\n"), out_path, digest);
  if (copies > 0)
    {
      g_autofree char *chinese_copies = copies_in_chinese (copies);
      /* TRANSLATORS: the second %s is the Chinese formula, e.g. 一式六份 */
      g_print (g_dngettext (GETTEXT_PACKAGE, "The call asks for %" PRId64 " paper copy (%s): print it %" PRId64 " time.\n",
                            "The call asks for %" PRId64 " paper copies (%s): print it %" PRId64 " times.\n", copies),
               copies, chinese_copies, copies);
      if (sb_pdf_export_two_sided (draft))
        g_print ("%s\n", _("Print on both sides, turned on the long edge: the even pages mirror the margins so that both sides’ text blocks register (GB/T 9704-2012 9.2)."));
    }
  else
    g_print ("%s\n", _("The call asks for no paper copies at application: the PDF is a record of what was entered."));
  return SB_EXIT_OK;
}

