/* sb-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-error.h"

G_DEFINE_QUARK (sb-error-quark, sb_error)

static char *
location_prefix (const char *file,
                 const char *json_path)
{
  /* TRANSLATORS: where a problem is: "FILE: JSON-PATH: " */
  if (file != NULL && json_path != NULL && *json_path != '\0')
    return g_strdup_printf (_("%s: %s: "), file, json_path);
  /* TRANSLATORS: where a problem is: "FILE: " or "JSON-PATH: " */
  if (file != NULL)
    return g_strdup_printf (_("%s: "), file);
  if (json_path != NULL && *json_path != '\0')
    return g_strdup_printf (_("%s: "), json_path);
  return g_strdup ("");
}

/* Every message a user sees names the file and the JSON path first, so that
 * "where" is never left to guessing. */
void
sb_set_error_at (GError     **error,
                 SbError      code,
                 const char  *file,
                 const char  *json_path,
                 const char  *format,
                 ...)
{
  g_autofree char *prefix = NULL;
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  prefix = location_prefix (file, json_path);
  g_set_error (error, SB_ERROR, code, "%s%s", prefix, message);
}

void
sb_prefix_error_at (GError    **error,
                    const char *file,
                    const char *json_path)
{
  g_autofree char *prefix = NULL;

  if (error == NULL || *error == NULL)
    return;

  prefix = location_prefix (file, json_path);
  g_prefix_error (error, "%s", prefix);
}
