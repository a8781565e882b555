/* sb-cli-export.c — `shenbao export DRAFT [--bundle OUT] [--pdf OUT]`
 *
 * The bundle part lives in export_bundle(), the PDF part in sb-cli-pdf.c.
 * With both, the bundle is written first so that the PDF's QR code carries
 * the signing key's fingerprint beside the application digest both show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-bundle.h"
#include "sb-cli.h"
#include "sb-cli-pdf.h"
#include "sb-cli-private.h"
#include "sb-output.h"
#include "sb-draft.h"
#include "sb-validator.h"

gboolean
sb_cli_read_passphrase (const char  *path,
                        char       **passphrase,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  *passphrase = NULL;
  if (path == NULL)
    return TRUE;
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  /* the first line, without its line ending */
  contents[strcspn (contents, "\r\n")] = '\0';
  if (contents[0] == '\0')
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s: the passphrase file is empty"), path);
      return FALSE;
    }
  *passphrase = g_steal_pointer (&contents);
  return TRUE;
}

/* Machine-readable output is UTF-8 whatever the locale. */
void
sb_cli_write_utf8 (const char *text)
{
  fputs (text, stdout);
  fflush (stdout);
}

static void
print_problem (const SbProblem *problem)
{
  g_autofree char *path = sb_output_escape (problem->path, -1);
  g_autofree char *code = sb_output_escape (problem->code, -1);
  g_autofree char *message = sb_output_escape (sb_problem_get_message (problem, sb_prefer_chinese ()), -1);

  g_printerr ("  %s  %s  [%s]\n    %s\n",
              problem->severity == SB_SEVERITY_ERROR ? _("error") : _("warning (needs acknowledgement)"),
              path, code, message);
}

/* Refuses while the draft has errors, naming them; lists the warnings not
 * acknowledged (they never block). Returns FALSE on errors. */
static gboolean
report_problems (SbDraft   *draft,
                 GPtrArray *problems)
{
  guint errors, warnings, infos, unacknowledged = 0;
  g_autofree char *name = sb_output_escape (sb_draft_get_display_name (draft), -1);

  sb_problems_count (problems, &errors, &warnings, &infos);
  if (errors > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "shenbao export: %s has %u error; fix it before exporting:\n",
                               "shenbao export: %s has %u errors; fix them before exporting:\n", errors),
                  name, errors);
      for (guint i = 0; i < problems->len; i++)
        if (((SbProblem *) g_ptr_array_index (problems, i))->severity == SB_SEVERITY_ERROR)
          print_problem (g_ptr_array_index (problems, i));
      return FALSE;
    }
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged)
        {
          if (unacknowledged++ == 0)
            g_printerr ("%s\n", _("Warnings not acknowledged (they do not block the export; "
                                  "a bundle records them as not acknowledged):"));
          print_problem (problem);
        }
    }
  return TRUE;
}

/* Writes the bundle; @fingerprint_out receives the signing key's
 * fingerprint, for the QR code of a PDF written after it. */
static int
export_bundle (SbDraft     *draft,
               SbValidator *validator,
               GPtrArray   *problems,
               const char  *out_path,
               const char  *passphrase_file,
               char       **fingerprint_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase = NULL;
  g_autoptr(GFile) key_file = sb_key_get_default_file ();
  g_autoptr(GFile) out = g_file_new_for_commandline_arg (out_path);
  g_autoptr(SbKey) key = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *out_name = g_file_get_parse_name (out);
  gboolean existed = g_file_query_exists (key_file, NULL);

  if (!sb_cli_read_passphrase (passphrase_file, &passphrase, &error))
    {
      sb_cli_print_error ("shenbao export", error);
      return SB_EXIT_UNREADABLE;
    }
  key = sb_key_load_default (passphrase, TRUE, &error);
  if (key == NULL)
    {
      sb_cli_print_error ("shenbao export", error);
      return SB_EXIT_UNREADABLE;
    }
  fingerprint = sb_key_get_fingerprint (key);
  if (!existed)
    {
      g_autofree char *key_name = g_file_get_parse_name (key_file);
      g_print (_("A signing key was made: %s\n"), key_name);
    }

  /* each attachment must still be what validation read */
  if (!sb_bundle_export_validated (draft, key, out, validator, problems, &digest, &error))
    {
      sb_cli_print_error ("shenbao export", error);
      return SB_EXIT_UNREADABLE;
    }
  g_print (_("Bundle: %s\n"), out_name);
  g_print (_("Application digest: %s\n"), digest);
  g_print (_("Key fingerprint: %s\n"), fingerprint);
  *fingerprint_out = g_steal_pointer (&fingerprint);
  return SB_EXIT_OK;
}

int
sb_cli_run_export (int    argc,
                   char **argv)
{
  g_autofree char *bundle = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *font = NULL;
  g_autofree char *heading_font = NULL;
  g_auto(GStrv) forms = NULL;
  g_auto(GStrv) drafts = NULL;
  GOptionEntry entries[] = {
    { "bundle", 0, 0, G_OPTION_ARG_FILENAME, &bundle, N_("Write the signed bundle to FILE"), N_("FILE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the printable application to FILE"), N_("FILE") },
    { "forms", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &forms, N_("Also load call definitions from PATH"), N_("PATH") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the signing key’s passphrase from the first line of FILE"), N_("FILE") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time_text, N_("Export time recorded in the PDF (ISO 8601); the same time gives the same file"), N_("TIME") },
    { "font", 0, 0, G_OPTION_ARG_FILENAME, &font, N_("TrueType body font instead of AR PL UMing CN"), N_("FILE[:INDEX]") },
    { "heading-font", 0, 0, G_OPTION_ARG_FILENAME, &heading_font, N_("TrueType heading font instead of WenQuanYi Zen Hei"), N_("FILE[:INDEX]") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &drafts, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DRAFT — write what is handed in"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCatalog) catalog = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *fingerprint = NULL;
  int status = SB_EXIT_OK;

  g_set_prgname ("shenbao export");
  g_option_context_set_description (context,
                                    _("The bundle is signed with your key, made on the first export in "
                                      "$XDG_DATA_HOME/shenbao/keys/; with both, the bundle is written first and "
                                      "the PDF's QR code carries the key's fingerprint. A draft with errors is not "
                                      "exported (the verdict of “shenbao validate”); warnings not yet acknowledged "
                                      "are listed.\n\n"
                                      "Exit status: 0 when written, 1 when the draft has errors, "
                                      "2 when something cannot be read or written."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sb_cli_print_error ("shenbao export", error);
      return SB_EXIT_UNREADABLE;
    }
  if (drafts == NULL || g_strv_length (drafts) != 1)
    {
      g_printerr ("%s\n", _("shenbao export: give exactly one draft file"));
      return SB_EXIT_UNREADABLE;
    }
  if (bundle == NULL && pdf == NULL)
    {
      g_printerr ("%s\n", _("shenbao export: say what to write: --bundle FILE, --pdf FILE or both"));
      return SB_EXIT_UNREADABLE;
    }

  catalog = sb_cli_build_catalog (forms, &error);
  if (catalog == NULL)
    {
      sb_cli_print_error ("shenbao export", error);
      return SB_EXIT_UNREADABLE;
    }
  file = g_file_new_for_commandline_arg (drafts[0]);
  draft = sb_draft_load (file, catalog, &error);
  if (draft == NULL)
    {
      sb_cli_print_error ("shenbao export", error);
      return SB_EXIT_UNREADABLE;
    }

  validator = sb_validator_new (sb_draft_get_call (draft));
  problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
  if (!report_problems (draft, problems))
    return SB_EXIT_PROBLEMS;

  /* the bundle first, so that the PDF written next carries its key's
   * fingerprint beside the application digest they share */
  if (bundle != NULL)
    status = export_bundle (draft, validator, problems, bundle, passphrase_file, &fingerprint);
  if (status == SB_EXIT_OK && pdf != NULL)
    status = sb_cli_export_pdf (draft, pdf, time_text, font, heading_font, fingerprint);
  return status;
}
