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
#include "sb-cli-private.h"
#include "sb-draft.h"
#include "sb-output.h"
#include "sb-validator.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static int run_validate (int argc, char **argv);
static int run_calls (int argc, char **argv);

static const Command commands[] = {
  { "validate", run_validate, N_("Check a draft against its call’s rules") },
  { "calls", run_calls, N_("List the calls this Shenbao can prepare applications for") },
  { "export", sb_cli_run_export, N_("Write the signed bundle and the printable application (PDF) of a draft") },
  { "verify", sb_cli_run_verify, N_("Check signed bundles and re-validate them") },
  { "extract", sb_cli_run_extract, N_("Write a bundle’s draft and attachments back out") },
  { "key", sb_cli_run_key, N_("Show, export or import the signing key") },
};

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n\n", _("Usage: shenbao COMMAND [OPTION…]"));
  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, "\n%s\n", _("Options:"));
  g_string_append_printf (text, "  %-10s %s\n", "--help", _("Show this help"));
  g_string_append_printf (text, "  %-10s %s\n", "--version", _("Show the version of Shenbao"));
  g_string_append_printf (text, "\n%s\n", _("Run “shenbao COMMAND --help” for the options of a command."));
  sb_output_write (stream, text->str);
}

/* Untrusted text (a value, a file name, a message that quotes them) made
 * safe to print; the copy lives as long as @keep. */
#define safe sb_output_escape_kept

void
sb_cli_print_error (const char   *command,
                    const GError *error)
{
  g_autofree char *message = sb_output_escape (error->message, -1);

  g_printerr ("%s: %s\n", command, message);
}

/* A command line that cannot be understood: exit status 2, on stderr. */
static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("%s: %s\n", command, message);
  g_printerr (_("Run “%s --help” for its options.\n"), command);
  return SB_EXIT_UNREADABLE;
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
    {
      g_autofree char *message = sb_output_escape (((GError *) g_ptr_array_index (errors, i))->message, -1);

      g_printerr (_("warning: a call definition was not loaded: %s\n"), message);
    }
}

/* A definition of the user's own replacing a built-in one changes every
 * verdict: never silently. */
static void
warn_overrides (SbCatalog *catalog)
{
  g_autoptr(GPtrArray) calls = sb_catalog_list_calls (catalog);

  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      SbCall *builtin = sb_catalog_get_overridden (catalog, call);
      g_autofree char *file = NULL;
      g_autofree char *id = NULL;

      if (builtin == NULL)
        continue;
      file = sb_output_escape (sb_call_get_file_name (call), -1);
      id = sb_output_escape (sb_call_get_id (call), -1);
      /* TRANSLATORS: "warning: FILE replaces the built-in definition of “ID” version 1" */
      g_printerr (_("warning: %s replaces the built-in definition of “%s” version %" PRId64 "\n"),
                  file, id, sb_call_get_version (call));
    }
}

SbCatalog *
sb_cli_build_catalog (GStrv    forms,
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
  warn_overrides (catalog);
  return g_steal_pointer (&catalog);
}

static const char *origin_names[] = { N_("built in"), N_("user folder"), N_("command line") };
static const char *origin_ids[] = { "builtin", "user", "command-line" };

static const char *
severity_label (const SbProblem *problem)
{
  switch (problem->severity)
    {
    case SB_SEVERITY_ERROR:
      return _("error");
    case SB_SEVERITY_WARNING:
      return problem->acknowledged ? _("warning (acknowledged)") : _("warning (not yet acknowledged)");
    default:
      return _("note");
    }
}

/* The verdict, the same for the command line, the wizard, the PDF and the
 * bundle: errors block export, warnings never do; the warnings not yet
 * acknowledged are listed. */
static void
print_verdict (GPtrArray *problems,
               guint      errors,
               gboolean   files_checked)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  guint pending = 0;

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      pending += problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged;
    }

  if (errors > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "The draft cannot be exported until its %u error is corrected.\n",
                            "The draft cannot be exported until its %u errors are corrected.\n", errors),
               errors);
      return;
    }
  if (!files_checked)
    /* with --no-files nothing is known about the attachments: export
     * checks them */
    g_print ("%s\n", _("No errors in the values; the attached files were not checked (--no-files)."));
  else if (pending == 0)
    {
      g_print ("%s\n", _("No errors: the draft can be exported."));
      return;
    }
  if (pending == 0)
    return;
  if (files_checked)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "No errors. %u warning not yet acknowledged:\n",
                          "No errors. %u warnings not yet acknowledged:\n", pending),
             pending);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u warning not yet acknowledged:\n",
                          "%u warnings not yet acknowledged:\n", pending),
             pending);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged)
        g_print ("    %s  [%s]\n", safe (keep, problem->path), safe (keep, problem->code));
    }
}

/* The procedure the app cannot check (copies, where to submit, quotas),
 * once, after the problems. */
static void
print_notices_text (GPtrArray *notices)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  gboolean chinese = sb_prefer_chinese ();

  if (notices->len == 0)
    return;
  g_print ("%s\n", _("Also required by the call (Shenbao cannot check these):"));
  for (guint i = 0; i < notices->len; i++)
    {
      const SbNotice *notice = g_ptr_array_index (notices, i);

      g_print ("  %s\n", safe (keep, sb_text_get (&notice->title, chinese)));
      g_print ("    %s\n", safe (keep, sb_text_get (&notice->text, chinese)));
      if (notice->citation.clause != NULL && notice->citation.quote != NULL)
        g_print (_("    Guide: %s: “%s”\n"), safe (keep, notice->citation.clause), safe (keep, notice->citation.quote));
      else if (notice->citation.clause != NULL)
        g_print (_("    Guide: %s\n"), safe (keep, notice->citation.clause));
    }
}

static void
print_problems_text (SbCatalog *catalog,
                     SbDraft   *draft,
                     GPtrArray *problems,
                     GPtrArray *notices,
                     gboolean   files_checked)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  SbCall *call = sb_draft_get_call (draft);
  gboolean chinese = sb_prefer_chinese ();
  SbOrigin origin = sb_catalog_get_origin (catalog, call);
  guint errors, warnings, infos, acknowledged = 0;
  g_autofree char *errors_text = NULL;
  g_autofree char *warnings_text = NULL;
  g_autofree char *notes_text = NULL;

  g_print (_("Draft: %s\n"), safe (keep, sb_draft_get_display_name (draft)));
  g_print (_("Call: %s (%s, version %" PRId64 ")\n"),
           safe (keep, sb_text_get (sb_call_get_title (call), chinese)), safe (keep, sb_call_get_id (call)),
           sb_call_get_version (call));
  if (origin != SB_ORIGIN_BUILTIN)
    /* TRANSLATORS: "Definition: /home/gu/forms/nantong.json (user folder)" */
    g_print (_("Definition: %s (%s)\n"), safe (keep, sb_call_get_file_name (call)), _(origin_names[origin]));
  g_print ("\n");

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      g_print ("%s  %s  [%s]\n", severity_label (problem), safe (keep, problem->path), safe (keep, problem->code));
      g_print ("    %s\n", safe (keep, sb_problem_get_message (problem, chinese)));
      if (problem->clause != NULL && problem->quote != NULL)
        g_print (_("    Guide: %s: “%s”\n"), safe (keep, problem->clause), safe (keep, problem->quote));
      else if (problem->clause != NULL)
        g_print (_("    Guide: %s\n"), safe (keep, problem->clause));
      acknowledged += problem->acknowledged;
    }

  /* after the problems, before the counts: the verdict stays the last line */
  if (problems->len > 0 && notices->len > 0)
    g_print ("\n");
  print_notices_text (notices);
  sb_problems_count (problems, &errors, &warnings, &infos);
  if (problems->len > 0 || notices->len > 0)
    g_print ("\n");
  errors_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
  warnings_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  notes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes", infos), infos);
  /* TRANSLATORS: "2 errors, 1 warning (1 acknowledged), 0 notes." */
  g_print (_("%s, %s (%u acknowledged), %s.\n"), errors_text, warnings_text, acknowledged, notes_text);
  print_verdict (problems, errors, files_checked);
}

static void
add_text_member (JsonBuilder  *builder,
                 const char   *name,
                 const SbText *text)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "zh");
  json_builder_add_string_value (builder, text->zh);
  json_builder_set_member_name (builder, "en");
  json_builder_add_string_value (builder, text->en);
  json_builder_end_object (builder);
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
  /* JSON escapes control characters itself; the bytes go out as they are */
  sb_output_print ("%s\n", text);
}

static void
add_citation_member (JsonBuilder      *builder,
                     const char       *clause,
                     const char       *quote)
{
  if (clause == NULL)
    return;
  json_builder_set_member_name (builder, "citation");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "clause");
  json_builder_add_string_value (builder, clause);
  if (quote != NULL)
    {
      json_builder_set_member_name (builder, "quote");
      json_builder_add_string_value (builder, quote);
    }
  json_builder_end_object (builder);
}

static void
add_notices (JsonBuilder *builder,
             GPtrArray   *notices)
{
  json_builder_set_member_name (builder, "notices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notices->len; i++)
    {
      const SbNotice *notice = g_ptr_array_index (notices, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, notice->id);
      add_text_member (builder, "title", &notice->title);
      add_text_member (builder, "text", &notice->text);
      add_citation_member (builder, notice->citation.clause, notice->citation.quote);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_problems_json (SbCatalog *catalog,
                     SbDraft   *draft,
                     GPtrArray *problems,
                     GPtrArray *notices,
                     gboolean   files_checked)
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
  json_builder_set_member_name (builder, "origin");
  json_builder_add_string_value (builder, origin_ids[sb_catalog_get_origin (catalog, call)]);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, sb_call_get_file_name (call));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, errors == 0);
  json_builder_set_member_name (builder, "files_checked");
  json_builder_add_boolean_value (builder, files_checked);
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
      add_citation_member (builder, problem->clause, problem->quote);
      if (problem->basis != NULL)
        {
          json_builder_set_member_name (builder, "basis");
          json_builder_add_string_value (builder, problem->basis);
        }
      if (problem->severity == SB_SEVERITY_WARNING)
        {
          json_builder_set_member_name (builder, "acknowledged");
          json_builder_add_boolean_value (builder, problem->acknowledged);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_notices (builder, notices);
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
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GFile) file = NULL;
  guint errors, warnings, infos;

  g_set_prgname ("shenbao validate");
  g_option_context_set_description (context,
                                    _("Exit status: 0 when the draft has no errors, 1 when it has errors, "
                                      "2 when it cannot be read."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message = sb_output_escape (error->message, -1);
      return usage_error ("shenbao validate", message);
    }
  if (drafts == NULL || g_strv_length (drafts) != 1)
    return usage_error ("shenbao validate", _("give exactly one draft file"));

  catalog = sb_cli_build_catalog (forms, &error);
  if (catalog == NULL)
    {
      sb_cli_print_error ("shenbao validate", error);
      return SB_EXIT_UNREADABLE;
    }

  file = g_file_new_for_commandline_arg (drafts[0]);
  draft = sb_draft_load (file, catalog, &error);
  if (draft == NULL)
    {
      sb_cli_print_error ("shenbao validate", error);
      return SB_EXIT_UNREADABLE;
    }

  validator = sb_validator_new (sb_draft_get_call (draft));
  problems = sb_validator_validate (validator, draft, skip_files ? SB_VALIDATE_DEFAULT : SB_VALIDATE_FILES);
  notices = sb_validator_get_notices (validator, SB_AUDIENCE_APPLICANT);
  if (as_json)
    print_problems_json (catalog, draft, problems, notices, !skip_files);
  else
    print_problems_text (catalog, draft, problems, notices, !skip_files);

  sb_problems_count (problems, &errors, &warnings, &infos);
  return errors > 0 ? SB_EXIT_PROBLEMS : SB_EXIT_OK;
}

/* Open while one of its deadlines has not passed; a deadline passes at its
 * stated hour (or the end of its day) in Beijing time, whatever the
 * machine's time zone (sb_deadline_has_passed). The next deadline is
 * returned, NULL when every one has passed or the call states none. */
static const SbDeadline *
next_deadline (SbCall    *call,
               GDateTime *now)
{
  GArray *deadlines = sb_call_get_deadlines (call);
  const SbDeadline *next = NULL;
  g_autoptr(GDateTime) next_close = NULL;

  for (guint j = 0; j < deadlines->len; j++)
    {
      const SbDeadline *deadline = &g_array_index (deadlines, SbDeadline, j);
      g_autoptr(GDateTime) close = sb_deadline_get_close_time (deadline);

      if (sb_deadline_has_passed (deadline, now))
        continue;
      if (next == NULL || g_date_time_compare (close, next_close) < 0)
        {
          next = deadline;
          g_clear_pointer (&next_close, g_date_time_unref);
          next_close = g_date_time_ref (close);
        }
    }
  return next;
}

static char *
deadline_when (const SbDeadline *deadline)
{
  g_autofree char *date = sb_date_format (deadline->date);

  return deadline->time ? g_strdup_printf ("%s %s", date, deadline->time) : g_strdup (date);
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
                  GPtrArray *calls,
                  GDateTime *now)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  gboolean chinese = sb_prefer_chinese ();

  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      GArray *deadlines = sb_call_get_deadlines (call);
      SbOrigin origin = sb_catalog_get_origin (catalog, call);

      /* TRANSLATORS: "ID  version 1  (built in)" */
      g_print (_("%s  version %" PRId64 "  (%s)\n"), safe (keep, sb_call_get_id (call)),
               sb_call_get_version (call), _(origin_names[origin]));
      g_print ("    %s\n", safe (keep, sb_text_get (sb_call_get_title (call), chinese)));
      g_print ("    %s\n", safe (keep, sb_text_get (sb_call_get_bureau (call), chinese)));
      for (guint j = 0; j < deadlines->len; j++)
        {
          const SbDeadline *deadline = &g_array_index (deadlines, SbDeadline, j);
          g_autofree char *when = deadline_when (deadline);

          /* TRANSLATORS: a deadline: "TITLE: 2024-01-31 17:00 (passed)" */
          g_print (_("    %s: %s %s\n"), safe (keep, sb_text_get (&deadline->title, chinese)), safe (keep, when),
                   sb_deadline_has_passed (deadline, now) ? _("(passed)") : _("(not yet passed)"));
        }
      if (deadlines->len > 0)
        {
          const SbDeadline *next = next_deadline (call, now);
          g_autofree char *when = next ? deadline_when (next) : NULL;

          if (next != NULL)
            /* TRANSLATORS: "    Open: next deadline TITLE, 2024-01-31 17:00 Beijing time" */
            g_print (_("    Open: next deadline %s, %s Beijing time\n"),
                     safe (keep, sb_text_get (&next->title, chinese)), safe (keep, when));
          else
            g_print ("    %s\n", _("Closed: every deadline has passed (Beijing time)."));
        }
      if (origin != SB_ORIGIN_BUILTIN)
        /* TRANSLATORS: "    from /home/gu/forms/nantong.json" */
        g_print (_("    from %s\n"), safe (keep, sb_call_get_file_name (call)));
      print_template_report (call);
    }
  if (calls->len == 0)
    g_print ("%s\n", _("No calls are available."));
}

static void
add_deadlines (JsonBuilder *builder,
               SbCall      *call,
               GDateTime   *now)
{
  GArray *deadlines = sb_call_get_deadlines (call);

  json_builder_set_member_name (builder, "deadlines");
  json_builder_begin_array (builder);
  for (guint j = 0; j < deadlines->len; j++)
    {
      const SbDeadline *deadline = &g_array_index (deadlines, SbDeadline, j);
      g_autofree char *date = sb_date_format (deadline->date);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, deadline->id);
      add_text_member (builder, "title", &deadline->title);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      json_builder_set_member_name (builder, "time");
      if (deadline->time != NULL)
        json_builder_add_string_value (builder, deadline->time);
      else
        json_builder_add_null_value (builder);
      {
        g_autoptr(GDateTime) close = sb_deadline_get_close_time (deadline);
        g_autofree char *closes_at = g_date_time_format (close, "%Y-%m-%dT%H:%M:%S%:z");

        json_builder_set_member_name (builder, "closes_at");
        json_builder_add_string_value (builder, closes_at);
      }
      json_builder_set_member_name (builder, "passed");
      json_builder_add_boolean_value (builder, sb_deadline_has_passed (deadline, now));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_programmes (JsonBuilder *builder,
                SbCall      *call)
{
  GArray *programmes = sb_call_get_programmes (call);

  json_builder_set_member_name (builder, "programmes");
  json_builder_begin_array (builder);
  for (guint j = 0; programmes != NULL && j < programmes->len; j++)
    {
      const SbProgramme *programme = &g_array_index (programmes, SbProgramme, j);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, programme->id);
      add_text_member (builder, "title", &programme->title);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_calls_json (SbCatalog *catalog,
                  GPtrArray *calls,
                  GDateTime *now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, sb_call_get_id (call));
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, sb_call_get_version (call));
      add_text_member (builder, "title", sb_call_get_title (call));
      add_text_member (builder, "bureau", sb_call_get_bureau (call));
      json_builder_set_member_name (builder, "year");
      json_builder_add_int_value (builder, sb_call_get_year (call));
      json_builder_set_member_name (builder, "origin");
      json_builder_add_string_value (builder, origin_ids[sb_catalog_get_origin (catalog, call)]);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, sb_call_get_file_name (call));
      add_programmes (builder, call);
      add_deadlines (builder, call, now);
      json_builder_set_member_name (builder, "open");
      if (sb_call_get_deadlines (call)->len == 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_boolean_value (builder, next_deadline (call, now) != NULL);
      if (sb_call_get_print_template (call) != NULL)
        {
          g_auto(GStrv) omitted = sb_print_template_list_omitted (sb_call_get_print_template (call), call);

          json_builder_set_member_name (builder, "print_omits");
          json_builder_begin_array (builder);
          for (guint k = 0; omitted[k] != NULL; k++)
            json_builder_add_string_value (builder, omitted[k]);
          json_builder_end_array (builder);
        }
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
  g_autoptr(GDateTime) now = NULL;

  g_set_prgname ("shenbao calls");
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message = sb_output_escape (error->message, -1);
      return usage_error ("shenbao calls", message);
    }
  if (argc > 1)
    {
      g_autofree char *argument = sb_output_escape (argv[1], -1);
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argument);
      return usage_error ("shenbao calls", message);
    }

  catalog = sb_cli_build_catalog (forms, &error);
  if (catalog == NULL)
    {
      sb_cli_print_error ("shenbao calls", error);
      return SB_EXIT_UNREADABLE;
    }

  calls = sb_catalog_list_calls (catalog);
  now = g_date_time_new_now_utc ();
  if (as_json)
    print_calls_json (catalog, calls, now);
  else
    print_calls_text (catalog, calls, now);
  return sb_catalog_get_errors (catalog)->len > 0 ? SB_EXIT_PROBLEMS : SB_EXIT_OK;
}

int
sb_cli_run (int    argc,
            char **argv)
{
  if (argc < 2)
    {
      /* the wizard takes this over when it lands */
      g_printerr ("%s\n", _("shenbao: the application window is not available in this build; "
                            "use a command (see “shenbao --help”)."));
      return SB_EXIT_UNREADABLE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "--version"))
    {
      if (argc > 2)
        {
          g_autofree char *argument = sb_output_escape (argv[2], -1);
          g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argument);
          return usage_error ("shenbao", message);
        }
      if (g_str_equal (argv[1], "--version"))
        g_print ("shenbao %s\n", PACKAGE_VERSION);
      else
        print_usage (stdout);
      return SB_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  {
    g_autofree char *name = sb_output_escape (argv[1], -1);

    g_printerr (_("shenbao: unknown command “%s”\n\n"), name);
  }
  print_usage (stderr);
  return SB_EXIT_UNREADABLE;
}
