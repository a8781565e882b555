/* sb-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sb-catalog.h"
#include "sb-cli.h"
#include "sb-cli-pdf.h"
#include "sb-draft.h"
#include "sb-validator.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static int run_validate (int argc, char **argv);
static int run_calls (int argc, char **argv);
static int run_export (int argc, char **argv);

static const Command commands[] = {
  { "validate", run_validate, N_("Check a draft against its call’s rules") },
  { "calls", run_calls, N_("List the calls this Shenbao can prepare applications for") },
  { "export", run_export, N_("Write the printable application (PDF) of a draft") },
};

static void
print_usage (void)
{
  g_print ("%s\n\n", _("Usage: shenbao COMMAND [OPTION…]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_print ("\n%s\n", _("Run “shenbao COMMAND --help” for the options of a command."));
}

gboolean
sb_cli_handles (int    argc,
                char **argv)
{
  if (argc < 2)
    return FALSE;
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "--version"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return TRUE;
  return FALSE;
}

static void
warn_catalog_errors (SbCatalog *catalog)
{
  GPtrArray *errors = sb_catalog_get_errors (catalog);

  for (guint i = 0; i < errors->len; i++)
    g_printerr (_("warning: a call definition was not loaded: %s\n"),
                ((GError *) g_ptr_array_index (errors, i))->message);
}

static SbCatalog *
build_catalog (GStrv    forms,
               GError **error)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();

  for (guint i = 0; forms != NULL && forms[i] != NULL; i++)
    {
      g_autoptr(GFile) path = g_file_new_for_commandline_arg (forms[i]);

      if (!g_file_query_exists (path, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s: no such file or folder"), forms[i]);
          return NULL;
        }
      guint errors_before = sb_catalog_get_errors (catalog)->len;

      if (!sb_catalog_add_path (catalog, path, SB_ORIGIN_COMMAND_LINE, error))
        return NULL;

      /* a definition asked for by name must load: checking against the
       * built-in one instead would be silently wrong */
      if (sb_catalog_get_errors (catalog)->len > errors_before)
        {
          g_propagate_error (error, g_error_copy (g_ptr_array_index (sb_catalog_get_errors (catalog), errors_before)));
          return NULL;
        }
    }
  warn_catalog_errors (catalog);
  return g_steal_pointer (&catalog);
}

static const char *
severity_label (const SbProblem *problem)
{
  switch (problem->severity)
    {
    case SB_SEVERITY_ERROR:
      return _("error");
    case SB_SEVERITY_WARNING:
      return problem->acknowledged ? _("warning (acknowledged)") : _("warning (needs acknowledgement)");
    default:
      return _("note");
    }
}

static void
print_problems_text (SbDraft   *draft,
                     GPtrArray *problems)
{
  SbCall *call = sb_draft_get_call (draft);
  gboolean chinese = sb_prefer_chinese ();
  guint errors, warnings, infos, acknowledged = 0;
  g_autofree char *errors_text = NULL;
  g_autofree char *warnings_text = NULL;
  g_autofree char *notes_text = NULL;

  g_print (_("Draft: %s\n"), sb_draft_get_display_name (draft));
  g_print (_("Call: %s (%s, version %" PRId64 ")\n\n"),
           sb_text_get (sb_call_get_title (call), chinese), sb_call_get_id (call), sb_call_get_version (call));

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      g_print ("%s  %s  [%s]\n", severity_label (problem), problem->path, problem->code);
      g_print ("    %s\n", sb_problem_get_message (problem, chinese));
      if (problem->clause != NULL && problem->quote != NULL)
        g_print (_("    Guide: %s: “%s”\n"), problem->clause, problem->quote);
      else if (problem->clause != NULL)
        g_print (_("    Guide: %s\n"), problem->clause);
      acknowledged += problem->acknowledged;
    }

  sb_problems_count (problems, &errors, &warnings, &infos);
  if (problems->len > 0)
    g_print ("\n");
  errors_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
  warnings_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  notes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes", infos), infos);
  /* TRANSLATORS: "2 errors, 1 warning (1 acknowledged), 0 notes." */
  g_print (_("%s, %s (%u acknowledged), %s.\n"), errors_text, warnings_text, acknowledged, notes_text);
  if (errors == 0)
    g_print ("%s\n", _("No errors: the draft can be exported."));
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_problems_json (SbDraft   *draft,
                     GPtrArray *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  SbCall *call = sb_draft_get_call (draft);
  guint errors, warnings, infos;

  sb_problems_count (problems, &errors, &warnings, &infos);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "draft");
  json_builder_add_string_value (builder, sb_draft_get_display_name (draft));
  json_builder_set_member_name (builder, "call");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sb_call_get_id (call));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, sb_call_get_version (call));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, errors == 0);
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_int_value (builder, errors);
  json_builder_set_member_name (builder, "warning");
  json_builder_add_int_value (builder, warnings);
  json_builder_set_member_name (builder, "info");
  json_builder_add_int_value (builder, infos);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, sb_severity_to_string (problem->severity));
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, problem->code);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, problem->path);
      if (problem->field_id != NULL)
        {
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, problem->field_id);
        }
      json_builder_set_member_name (builder, "message");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "zh");
      json_builder_add_string_value (builder, problem->message_zh);
      json_builder_set_member_name (builder, "en");
      json_builder_add_string_value (builder, problem->message_en);
      json_builder_end_object (builder);
      if (problem->clause != NULL)
        {
          json_builder_set_member_name (builder, "citation");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "clause");
          json_builder_add_string_value (builder, problem->clause);
          if (problem->quote != NULL)
            {
              json_builder_set_member_name (builder, "quote");
              json_builder_add_string_value (builder, problem->quote);
            }
          json_builder_end_object (builder);
        }
      if (problem->severity == SB_SEVERITY_WARNING)
        {
          json_builder_set_member_name (builder, "acknowledged");
          json_builder_add_boolean_value (builder, problem->acknowledged);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  print_json (builder);
}

static int
run_validate (int    argc,
              char **argv)
{
  gboolean as_json = FALSE;
  gboolean skip_files = FALSE;
  g_auto(GStrv) forms = NULL;
  g_auto(GStrv) drafts = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the problems as JSON"), NULL },
    { "forms", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &forms, N_("Also load call definitions from PATH"), N_("PATH") },
    { "no-files", 0, 0, G_OPTION_ARG_NONE, &skip_files, N_("Do not open attached files"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &drafts, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DRAFT — check a draft against its call’s rules"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCatalog) catalog = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  guint errors, warnings, infos;

  g_set_prgname ("shenbao validate");
  g_option_context_set_description (context,
                                    _("Exit status: 0 when the draft has no errors, 1 when it has errors, "
                                      "2 when it cannot be read."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shenbao validate: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }
  if (drafts == NULL || g_strv_length (drafts) != 1)
    {
      g_printerr ("%s\n", _("shenbao validate: give exactly one draft file"));
      return SB_EXIT_UNREADABLE;
    }

  catalog = build_catalog (forms, &error);
  if (catalog == NULL)
    {
      g_printerr ("shenbao validate: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }

  file = g_file_new_for_commandline_arg (drafts[0]);
  draft = sb_draft_load (file, catalog, &error);
  if (draft == NULL)
    {
      g_printerr ("shenbao validate: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }

  validator = sb_validator_new (sb_draft_get_call (draft));
  problems = sb_validator_validate (validator, draft, skip_files ? SB_VALIDATE_DEFAULT : SB_VALIDATE_FILES);
  if (as_json)
    print_problems_json (draft, problems);
  else
    print_problems_text (draft, problems);

  sb_problems_count (problems, &errors, &warnings, &infos);
  return errors > 0 ? SB_EXIT_PROBLEMS : SB_EXIT_OK;
}

/* Nothing typed may be left off paper: say which fields a call's print
 * template does not print */
static void
print_template_report (SbCall *call)
{
  SbPrintTemplate *template = sb_call_get_print_template (call);
  g_auto(GStrv) omitted = NULL;
  g_autofree char *list = NULL;

  if (template == NULL)
    {
      g_print ("    %s\n", _("No print template: the application cannot be exported as PDF."));
      return;
    }
  omitted = sb_print_template_list_omitted (template, call);
  if (omitted[0] == NULL)
    return;
  list = g_strjoinv (", ", omitted);
  g_print (_("    The print template does not print these fields: %s\n"), list);
}

static void
print_calls_text (SbCatalog *catalog,
                  GPtrArray *calls)
{
  gboolean chinese = sb_prefer_chinese ();
  static const char *origins[] = { N_("built in"), N_("user folder"), N_("command line") };

  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      GArray *deadlines = sb_call_get_deadlines (call);

      /* TRANSLATORS: "ID  version 1  (built in)" */
      g_print (_("%s  version %" PRId64 "  (%s)\n"), sb_call_get_id (call),
               sb_call_get_version (call), _(origins[sb_catalog_get_origin (catalog, call)]));
      g_print ("    %s\n", sb_text_get (sb_call_get_title (call), chinese));
      g_print ("    %s\n", sb_text_get (sb_call_get_bureau (call), chinese));
      for (guint j = 0; j < deadlines->len; j++)
        {
          const SbDeadline *deadline = &g_array_index (deadlines, SbDeadline, j);
          g_autofree char *date = sb_date_format (deadline->date);

          g_autofree char *when = deadline->time ? g_strdup_printf ("%s %s", date, deadline->time) : g_strdup (date);

          /* TRANSLATORS: a deadline: "TITLE: 2024-01-31 17:00" */
          g_print (_("    %s: %s\n"), sb_text_get (&deadline->title, chinese), when);
        }
      print_template_report (call);
    }
  if (calls->len == 0)
    g_print ("%s\n", _("No calls are available."));
}

static void
print_calls_json (SbCatalog *catalog,
                  GPtrArray *calls)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  static const char *origins[] = { "builtin", "user", "command-line" };

  json_builder_begin_array (builder);
  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      GArray *deadlines = sb_call_get_deadlines (call);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, sb_call_get_id (call));
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, sb_call_get_version (call));
      json_builder_set_member_name (builder, "title");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "zh");
      json_builder_add_string_value (builder, sb_call_get_title (call)->zh);
      json_builder_set_member_name (builder, "en");
      json_builder_add_string_value (builder, sb_call_get_title (call)->en);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "year");
      json_builder_add_int_value (builder, sb_call_get_year (call));
      json_builder_set_member_name (builder, "origin");
      json_builder_add_string_value (builder, origins[sb_catalog_get_origin (catalog, call)]);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, sb_call_get_file_name (call));
      if (sb_call_get_print_template (call) != NULL)
        {
          g_auto(GStrv) omitted = sb_print_template_list_omitted (sb_call_get_print_template (call), call);

          json_builder_set_member_name (builder, "print_omits");
          json_builder_begin_array (builder);
          for (guint k = 0; omitted[k] != NULL; k++)
            json_builder_add_string_value (builder, omitted[k]);
          json_builder_end_array (builder);
        }
      json_builder_set_member_name (builder, "deadlines");
      json_builder_begin_object (builder);
      for (guint j = 0; j < deadlines->len; j++)
        {
          const SbDeadline *deadline = &g_array_index (deadlines, SbDeadline, j);
          g_autofree char *date = sb_date_format (deadline->date);

          json_builder_set_member_name (builder, deadline->id);
          json_builder_add_string_value (builder, date);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  print_json (builder);
}

static int
run_calls (int    argc,
           char **argv)
{
  gboolean as_json = FALSE;
  g_auto(GStrv) forms = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the list as JSON"), NULL },
    { "forms", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &forms, N_("Also load call definitions from PATH"), N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the calls this Shenbao knows"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCatalog) catalog = NULL;
  g_autoptr(GPtrArray) calls = NULL;

  g_set_prgname ("shenbao calls");
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shenbao calls: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }

  catalog = build_catalog (forms, &error);
  if (catalog == NULL)
    {
      g_printerr ("shenbao calls: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }

  calls = sb_catalog_list_calls (catalog);
  if (as_json)
    print_calls_json (catalog, calls);
  else
    print_calls_text (catalog, calls);
  return sb_catalog_get_errors (catalog)->len > 0 ? SB_EXIT_PROBLEMS : SB_EXIT_OK;
}

/* Export */

static int
run_export (int    argc,
            char **argv)
{
  g_autofree char *pdf = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *font = NULL;
  g_autofree char *heading_font = NULL;
  g_auto(GStrv) forms = NULL;
  g_auto(GStrv) drafts = NULL;
  GOptionEntry entries[] = {
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the printable application to FILE"), N_("FILE") },
    { "forms", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &forms, N_("Also load call definitions from PATH"), N_("PATH") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time_text, N_("Export time recorded in the PDF (ISO 8601); the same time gives the same file"), N_("TIME") },
    { "font", 0, 0, G_OPTION_ARG_FILENAME, &font, N_("TrueType body font instead of AR PL UMing CN"), N_("FILE[:INDEX]") },
    { "heading-font", 0, 0, G_OPTION_ARG_FILENAME, &heading_font, N_("TrueType heading font instead of WenQuanYi Zen Hei"), N_("FILE[:INDEX]") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &drafts, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DRAFT — write what the call asks to be handed in"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCatalog) catalog = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean chinese = sb_prefer_chinese ();
  guint errors, warnings, infos;

  g_set_prgname ("shenbao export");
  g_option_context_set_description (context,
                                    _("A draft with errors is not exported (the verdict of “shenbao validate”); "
                                      "warnings not yet acknowledged are listed. Exit status: 0 when written, "
                                      "1 when the draft has errors, 2 when it cannot be read or written."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shenbao export: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }
  if (drafts == NULL || g_strv_length (drafts) != 1)
    {
      g_printerr ("%s\n", _("shenbao export: give exactly one draft file"));
      return SB_EXIT_UNREADABLE;
    }
  if (pdf == NULL)
    {
      g_printerr ("%s\n", _("shenbao export: say what to write, e.g. --pdf OUT.pdf"));
      return SB_EXIT_UNREADABLE;
    }

  catalog = build_catalog (forms, &error);
  if (catalog == NULL)
    {
      g_printerr ("shenbao export: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }
  file = g_file_new_for_commandline_arg (drafts[0]);
  draft = sb_draft_load (file, catalog, &error);
  if (draft == NULL)
    {
      g_printerr ("shenbao export: %s\n", error->message);
      return SB_EXIT_UNREADABLE;
    }

  validator = sb_validator_new (sb_draft_get_call (draft));
  problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
  sb_problems_count (problems, &errors, &warnings, &infos);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_ERROR ||
          (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged))
        {
          g_printerr ("%s  %s  [%s]\n", severity_label (problem), problem->path, problem->code);
          g_printerr ("    %s\n", sb_problem_get_message (problem, chinese));
        }
    }
  if (errors > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "shenbao export: the draft has %u error; nothing was written\n",
                               "shenbao export: the draft has %u errors; nothing was written\n", errors), errors);
      return SB_EXIT_PROBLEMS;
    }

  return sb_cli_export_pdf (draft, pdf, time_text, font, heading_font, NULL);
}

int
sb_cli_run (int    argc,
            char **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage ();
      return argc < 2 ? SB_EXIT_UNREADABLE : SB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("shenbao %s\n", PACKAGE_VERSION);
      return SB_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("shenbao: unknown command “%s”\n"), argv[1]);
  print_usage ();
  return SB_EXIT_UNREADABLE;
}
