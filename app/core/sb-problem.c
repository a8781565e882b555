/* sb-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "sb-problem.h"

G_DEFINE_BOXED_TYPE (SbProblem, sb_problem, sb_problem_copy, sb_problem_free)

SbProblem *
sb_problem_new (SbSeverity  severity,
                const char *code,
                const char *path,
                const char *field_id)
{
  SbProblem *problem = g_new0 (SbProblem, 1);

  problem->severity = severity;
  problem->code = g_strdup (code);
  problem->path = g_strdup (path);
  problem->field_id = g_strdup (field_id);
  return problem;
}

SbProblem *
sb_problem_copy (const SbProblem *problem)
{
  SbProblem *copy = sb_problem_new (problem->severity, problem->code, problem->path, problem->field_id);

  copy->message_zh = g_strdup (problem->message_zh);
  copy->message_en = g_strdup (problem->message_en);
  copy->clause = g_strdup (problem->clause);
  copy->quote = g_strdup (problem->quote);
  copy->acknowledged = problem->acknowledged;
  copy->basis = g_strdup (problem->basis);
  return copy;
}

void
sb_problem_free (SbProblem *problem)
{
  g_free (problem->code);
  g_free (problem->path);
  g_free (problem->field_id);
  g_free (problem->message_zh);
  g_free (problem->message_en);
  g_free (problem->clause);
  g_free (problem->quote);
  g_free (problem->basis);
  g_free (problem);
}

const char *
sb_problem_get_message (const SbProblem *problem,
                        gboolean         chinese)
{
  return chinese ? problem->message_zh : problem->message_en;
}

const char *
sb_severity_to_string (SbSeverity severity)
{
  switch (severity)
    {
    case SB_SEVERITY_ERROR: return "error";
    case SB_SEVERITY_WARNING: return "warning";
    default: return "info";
    }
}

gboolean
sb_severity_from_string (const char *text,
                         SbSeverity *out)
{
  if (g_str_equal (text, "error"))
    *out = SB_SEVERITY_ERROR;
  else if (g_str_equal (text, "warning"))
    *out = SB_SEVERITY_WARNING;
  else if (g_str_equal (text, "info"))
    *out = SB_SEVERITY_INFO;
  else
    return FALSE;
  return TRUE;
}

gboolean
sb_prefer_chinese (void)
{
  const char *const *languages = g_get_language_names ();
  const char *messages = setlocale (LC_MESSAGES, NULL);

  /* in the C locale (or one that is not installed, which leaves C) gettext
   * translates nothing, whatever LANGUAGE says: neither do the messages,
   * so that a line is never half Chinese, half English */
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    return FALSE;

  for (guint i = 0; languages[i] != NULL; i++)
    {
      if (g_str_has_prefix (languages[i], "zh"))
        return TRUE;
      if (g_str_has_prefix (languages[i], "en") || g_str_equal (languages[i], "C"))
        return FALSE;
    }
  return FALSE;
}
