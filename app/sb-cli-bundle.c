/* sb-cli-bundle.c — `shenbao verify`, `extract` and `key`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sb-bundle.h"
#include "sb-cli.h"
#include "sb-cli-private.h"
#include "sb-output.h"

/* verify */

static int
exit_status (SbBundleReport *report,
             gboolean        require_known)
{
  if (report->integrity == SB_BUNDLE_UNREADABLE)
    return SB_EXIT_UNREADABLE;
  if (report->integrity != SB_BUNDLE_INTACT)
    return SB_EXIT_PROBLEMS;
  if (require_known && !report->definition_built_in)
    return SB_EXIT_PROBLEMS;
  if (!report->revalidated || report->errors > 0)
    return SB_EXIT_REVALIDATION;
  return SB_EXIT_OK;
}

static const char *
integrity_label (SbBundleIntegrity integrity)
{
  switch (integrity)
    {
    case SB_BUNDLE_INTACT:
      return _("intact");
    case SB_BUNDLE_UNREADABLE:
      return _("unreadable");
    case SB_BUNDLE_MALFORMED:
      return _("malformed");
    case SB_BUNDLE_WRONG_KEY:
      return _("wrong key");
    case SB_BUNDLE_VALUE_CHANGED:
      return _("value changed");
    case SB_BUNDLE_DEFINITION_MISMATCH:
      return _("definition digest mismatch");
    case SB_BUNDLE_ATTACHMENT_MISMATCH:
      return _("attachment digest or size mismatch");
    default:
      g_assert_not_reached ();
    }
}

#define safe sb_output_escape_kept

static void
print_report_text (SbBundleReport *report,
                   gboolean        require_known)
{
  gboolean chinese = sb_prefer_chinese ();
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  g_print ("%s\n", safe (keep, report->file));
  if (report->integrity != SB_BUNDLE_INTACT)
    {
      g_print (_("  Integrity: NOT INTACT (%s)\n"), integrity_label (report->integrity));
      g_print ("    %s\n", safe (keep, report->reason));
      return;
    }
  g_print ("%s\n", _("  Integrity: intact (signature, definition and attachment digests check out)"));
  g_print (_("  Call: %s, version %" PRId64 " (%s)\n"), safe (keep, report->call_id), report->call_version,
           report->definition_built_in ? _("definition built in")
                                       : require_known ? _("definition not built in: refused by --require-known")
                                                       : _("definition not built in"));
  g_print (_("  Title: %s\n"), safe (keep, report->title));
  g_print (_("  Applicant: %s\n"), safe (keep, report->applicant));
  g_print (_("  Created: %s\n"), safe (keep, report->created));
  g_print (_("  Key fingerprint: %s\n"), report->fingerprint);
  g_print (_("  Application digest: %s\n"), report->application_digest);
  if (!report->revalidated)
    {
      g_print (_("  Re-validation now: not possible: %s\n"), safe (keep, report->revalidation_failure));
      return;
    }
  g_print (_("  Re-validation now: %u errors, %u warnings\n"), report->errors, report->warnings);
  for (guint i = 0; i < report->problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (report->problems, i);

      if (problem->severity == SB_SEVERITY_INFO)
        continue;
      g_print ("    %s  %s  [%s]\n      %s\n",
               problem->severity == SB_SEVERITY_ERROR ? _("error")
                 : problem->acknowledged ? _("warning (acknowledged)") : _("warning (needs acknowledgement)"),
               safe (keep, problem->path),
               safe (keep, problem->code), safe (keep, sb_problem_get_message (problem, chinese)));
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_report_json (JsonBuilder    *builder,
                 SbBundleReport *report,
                 gboolean        require_known)
{
  json_builder_begin_object (builder);
  add_string (builder, "file", report->file);
  json_builder_set_member_name (builder, "exit_status");
  json_builder_add_int_value (builder, exit_status (report, require_known));
  json_builder_set_member_name (builder, "integrity");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "intact");
  json_builder_add_boolean_value (builder, report->integrity == SB_BUNDLE_INTACT);
  add_string (builder, "result", sb_bundle_integrity_to_string (report->integrity));
  add_string (builder, "reason", report->reason);
  json_builder_end_object (builder);
  add_string (builder, "key_fingerprint", report->fingerprint);
  add_string (builder, "application_digest", report->application_digest);
  if (report->call_id != NULL)
    {
      json_builder_set_member_name (builder, "call");
      json_builder_begin_object (builder);
      add_string (builder, "id", report->call_id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, report->call_version);
      json_builder_set_member_name (builder, "definition_built_in");
      json_builder_add_boolean_value (builder, report->definition_built_in);
      json_builder_end_object (builder);
      add_string (builder, "title", report->title);
      add_string (builder, "applicant", report->applicant);
      add_string (builder, "created", report->created);
    }
  if (report->integrity == SB_BUNDLE_INTACT)
    {
      json_builder_set_member_name (builder, "revalidation");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "done");
      json_builder_add_boolean_value (builder, report->revalidated);
      add_string (builder, "failure", report->revalidation_failure);
      json_builder_set_member_name (builder, "errors");
      json_builder_add_int_value (builder, report->errors);
      json_builder_set_member_name (builder, "warnings");
      json_builder_add_int_value (builder, report->warnings);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; report->problems != NULL && i < report->problems->len; i++)
        {
          SbProblem *problem = g_ptr_array_index (report->problems, i);

          json_builder_begin_object (builder);
          add_string (builder, "severity", sb_severity_to_string (problem->severity));
          add_string (builder, "code", problem->code);
          add_string (builder, "path", problem->path);
          json_builder_set_member_name (builder, "message");
          json_builder_begin_object (builder);
          add_string (builder, "zh", problem->message_zh);
          add_string (builder, "en", problem->message_en);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static SbKey *
load_trusted (const char  *path,
              GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    return NULL;
  file = g_file_new_for_commandline_arg (path);
  return sb_key_load_public (file, error);
}

static void
print_json_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  sb_cli_write_utf8 (text);
  sb_cli_write_utf8 ("\n");
}

int
sb_cli_run_verify (int    argc,
                   char **argv)
{
  gboolean as_json = FALSE;
  gboolean require_known = FALSE;
  g_autofree char *key_path = NULL;
  g_auto(GStrv) bundles = NULL;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_("Require the signature of this public key (PEM or JWK)"), N_("FILE") },
    { "require-known", 0, 0, G_OPTION_ARG_NONE, &require_known,
      N_("Fail when the call definition is not one built into this Shenbao"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the verdicts as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &bundles, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("BUNDLE… — check signed bundles"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) trusted = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean any_integrity = FALSE, any_unreadable = FALSE, any_revalidation = FALSE;

  g_set_prgname ("shenbao verify");
  g_option_context_set_description (context,
                                    _("Each bundle gets two verdicts: integrity (signature, digests, format) "
                                      "and re-validation now with the embedded definition.\n\n"
                                      "Exit status: 0 when all are intact and re-validate without errors; "
                                      "1 when any integrity check fails (or, with --require-known, a definition "
                                      "is not built in); 2 when a bundle cannot be read; 3 when all are intact "
                                      "but re-validation now finds errors."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sb_cli_print_error ("shenbao verify", error);
      return SB_EXIT_UNREADABLE;
    }
  if (bundles == NULL || bundles[0] == NULL)
    {
      g_printerr ("%s\n", _("shenbao verify: give at least one bundle"));
      return SB_EXIT_UNREADABLE;
    }
  if (key_path != NULL && (trusted = load_trusted (key_path, &error)) == NULL)
    {
      sb_cli_print_error ("shenbao verify", error);
      return SB_EXIT_UNREADABLE;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; bundles[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (bundles[i]);
      g_autoptr(SbBundleReport) report = sb_bundle_verify (file, trusted, NULL);

      switch (exit_status (report, require_known))
        {
        case SB_EXIT_PROBLEMS:
          any_integrity = TRUE;
          break;
        case SB_EXIT_UNREADABLE:
          any_unreadable = TRUE;
          break;
        case SB_EXIT_REVALIDATION:
          any_revalidation = TRUE;
          break;
        default:
          break;
        }
      if (as_json)
        add_report_json (builder, report, require_known);
      else
        {
          if (i > 0)
            g_print ("\n");
          print_report_text (report, require_known);
        }
    }
  json_builder_end_array (builder);
  if (as_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      print_json_node (root);
    }

  if (any_integrity)
    return SB_EXIT_PROBLEMS;
  if (any_unreadable)
    return SB_EXIT_UNREADABLE;
  if (any_revalidation)
    return SB_EXIT_REVALIDATION;
  return SB_EXIT_OK;
}

/* extract */

int
sb_cli_run_extract (int    argc,
                    char **argv)
{
  g_autofree char *key_path = NULL;
  g_auto(GStrv) args = NULL;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_("Require the signature of this public key (PEM or JWK)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("BUNDLE FOLDER — write a bundle’s draft and attachments back out"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) trusted = NULL;
  g_autoptr(SbBundleReport) report = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *folder_name = NULL;

  g_set_prgname ("shenbao extract");
  g_option_context_set_description (context,
                                    _("The bundle is verified first; nothing is written unless it is intact. "
                                      "FOLDER receives draft.json, attachments/ and the call definition.\n\n"
                                      "Exit status: 0 when written, 1 when the bundle is not intact, "
                                      "2 when something cannot be read or written, 3 when written but "
                                      "re-validation now finds errors."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sb_cli_print_error ("shenbao extract", error);
      return SB_EXIT_UNREADABLE;
    }
  if (args == NULL || g_strv_length (args) != 2)
    {
      g_printerr ("%s\n", _("shenbao extract: give a bundle and a folder"));
      return SB_EXIT_UNREADABLE;
    }
  if (key_path != NULL && (trusted = load_trusted (key_path, &error)) == NULL)
    {
      sb_cli_print_error ("shenbao extract", error);
      return SB_EXIT_UNREADABLE;
    }

  bundle = g_file_new_for_commandline_arg (args[0]);
  folder = g_file_new_for_commandline_arg (args[1]);
  folder_name = g_file_get_parse_name (folder);
  if (!sb_bundle_extract (bundle, folder, trusted, &report, &error))
    {
      sb_cli_print_error ("shenbao extract", error);
      if (report != NULL && report->integrity != SB_BUNDLE_INTACT && report->integrity != SB_BUNDLE_UNREADABLE)
        return SB_EXIT_PROBLEMS;
      return SB_EXIT_UNREADABLE;
    }
  g_print (_("Extracted into %s: draft.json, %u attachments, %s-v%" PRId64 ".json\n"),
           folder_name, report->attachments, report->call_id, report->call_version);
  g_print (_("Key fingerprint: %s\n"), report->fingerprint);
  g_print (_("Application digest: %s\n"), report->application_digest);
  if (report->errors > 0)
    {
      g_print (_("Re-validation now finds %u errors: run “shenbao validate” on the draft for details.\n"),
               report->errors);
      return SB_EXIT_REVALIDATION;
    }
  return SB_EXIT_OK;
}

/* key */

static int
key_show (const char *passphrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) key = sb_key_load_default (passphrase, FALSE, &error);
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *fingerprint = NULL;

  if (key == NULL)
    {
      sb_cli_print_error ("shenbao key", error);
      return SB_EXIT_UNREADABLE;
    }
  fingerprint = sb_key_get_fingerprint (key);
  g_print (_("Key fingerprint: %s\n"), fingerprint);
  g_print (_("Key file: %s\n"), name);
  return SB_EXIT_OK;
}

static int
key_export (const char *passphrase,
            const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) key = sb_key_load_default (passphrase, FALSE, &error);

  if (key == NULL)
    {
      sb_cli_print_error ("shenbao key", error);
      return SB_EXIT_UNREADABLE;
    }
  if (format == NULL || g_str_equal (format, "jwk"))
    {
      g_autoptr(GBytes) jwk = sb_key_export_public (key, SB_KEY_FORMAT_JWK);
      sb_cli_write_utf8 (g_bytes_get_data (jwk, NULL));
    }
  if (format == NULL || g_str_equal (format, "pem"))
    {
      g_autoptr(GBytes) pem = sb_key_export_public (key, SB_KEY_FORMAT_PEM);
      sb_cli_write_utf8 (g_bytes_get_data (pem, NULL));
    }
  return SB_EXIT_OK;
}

static int
key_import (const char *path,
            const char *passphrase,
            const char *new_passphrase,
            gboolean    replace)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = g_file_new_for_commandline_arg (path);
  g_autoptr(GFile) backup = NULL;
  g_autoptr(SbKey) key = sb_key_import (source, passphrase, replace, new_passphrase, &backup, &error);
  g_autofree char *fingerprint = NULL;

  if (key == NULL)
    {
      sb_cli_print_error ("shenbao key", error);
      return SB_EXIT_UNREADABLE;
    }
  fingerprint = sb_key_get_fingerprint (key);
  g_print (_("Imported. Key fingerprint: %s\n"), fingerprint);
  if (backup != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (backup);
      g_print (_("The replaced key is kept as %s\n"), name);
    }
  return SB_EXIT_OK;
}

int
sb_cli_run_key (int    argc,
                char **argv)
{
  g_autofree char *passphrase_file = NULL;
  g_autofree char *new_passphrase_file = NULL;
  g_autofree char *format = NULL;
  gboolean replace = FALSE;
  g_auto(GStrv) args = NULL;
  GOptionEntry entries[] = {
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Read the key’s passphrase from the first line of FILE"), N_("FILE") },
    { "new-passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &new_passphrase_file,
      N_("import: protect the imported key with the passphrase in FILE"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("export: only “jwk” or only “pem”"), N_("FORMAT") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, N_("import: replace the existing key"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("show | export | import FILE — the signing key"));
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase = NULL;
  g_autofree char *new_passphrase = NULL;
  guint n;

  g_set_prgname ("shenbao key");
  g_option_context_set_description (context,
                                    _("show: the key fingerprint (the JWK thumbprint, RFC 7638) and the key file.\n"
                                      "export: the public key as a JWK and as PEM.\n"
                                      "import FILE: use a PKCS#8 PEM Ed25519 key as your signing key."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sb_cli_print_error ("shenbao key", error);
      return SB_EXIT_UNREADABLE;
    }
  n = args != NULL ? g_strv_length (args) : 0;
  if (format != NULL && !g_str_equal (format, "jwk") && !g_str_equal (format, "pem"))
    {
      g_printerr ("%s\n", _("shenbao key: --format is “jwk” or “pem”"));
      return SB_EXIT_UNREADABLE;
    }
  if (!sb_cli_read_passphrase (passphrase_file, &passphrase, &error) ||
      !sb_cli_read_passphrase (new_passphrase_file, &new_passphrase, &error))
    {
      sb_cli_print_error ("shenbao key", error);
      return SB_EXIT_UNREADABLE;
    }
  if (n == 1 && g_str_equal (args[0], "show"))
    return key_show (passphrase);
  if (n == 1 && g_str_equal (args[0], "export"))
    return key_export (passphrase, format);
  if (n == 2 && g_str_equal (args[0], "import"))
    return key_import (args[1], passphrase, new_passphrase, replace);
  g_printerr ("%s\n", _("shenbao key: give “show”, “export” or “import FILE”"));
  return SB_EXIT_UNREADABLE;
}
