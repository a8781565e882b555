/* sb-regex.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <glib/gi18n-lib.h>

#include "sb-error.h"
#include "sb-regex.h"

struct _SbRegex
{
  pcre2_code          *code;
  pcre2_match_context *context;
  pcre2_match_data    *data;
};

SbRegex *
sb_regex_new (const char  *pattern,
              GError     **error)
{
  g_autoptr(SbRegex) self = g_new0 (SbRegex, 1);
  int code = 0;
  PCRE2_SIZE offset = 0;

  self->code = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &offset, NULL);
  if (self->code == NULL)
    {
      PCRE2_UCHAR message[256];

      pcre2_get_error_message (code, message, sizeof message);
      g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("%s (at character %u of the pattern)"),
                   (const char *) message, (guint) g_utf8_strlen (pattern, MIN (offset, strlen (pattern))) + 1);
      return NULL;
    }
  self->context = pcre2_match_context_create (NULL);
  self->data = pcre2_match_data_create (1, NULL);
  if (self->context == NULL || self->data == NULL)
    g_error ("out of memory");
  pcre2_set_match_limit (self->context, SB_REGEX_MATCH_LIMIT);
  pcre2_set_depth_limit (self->context, SB_REGEX_DEPTH_LIMIT);
  return g_steal_pointer (&self);
}

void
sb_regex_free (SbRegex *self)
{
  if (self == NULL)
    return;
  pcre2_match_data_free (self->data);
  pcre2_match_context_free (self->context);
  pcre2_code_free (self->code);
  g_free (self);
}

gboolean
sb_regex_match (SbRegex     *self,
                const char  *subject,
                gboolean    *matched,
                GError     **error)
{
  int rc = pcre2_match (self->code, (PCRE2_SPTR) subject, strlen (subject), 0, 0,
                        self->data, self->context);

  if (rc >= 0)
    {
      *matched = TRUE;
      return TRUE;
    }
  if (rc == PCRE2_ERROR_NOMATCH)
    {
      *matched = FALSE;
      return TRUE;
    }

  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
    g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION,
                 _("the pattern needs too many steps to check this text (more than %d); "
                   "the call definition's pattern must be simplified"), SB_REGEX_MATCH_LIMIT);
  else
    {
      PCRE2_UCHAR message[256];

      pcre2_get_error_message (rc, message, sizeof message);
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("the pattern could not be matched: %s"),
                   (const char *) message);
    }
  return FALSE;
}
