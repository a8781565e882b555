/* sb-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-output.h"

gboolean
sb_output_is_unsafe_char (gunichar c)
{
  if (c < 0x20 || (c >= 0x7F && c < 0xA0))
    return TRUE;
  switch (c)
    {
    case 0x00AD:            /* soft hyphen */
    case 0x061C:            /* Arabic letter mark */
    case 0x180E:            /* Mongolian vowel separator */
    case 0xFEFF:            /* zero-width no-break space */
      return TRUE;
    default:
      break;
    }
  return (c >= 0x200B && c <= 0x200F) ||  /* zero-width spaces, LRM, RLM */
         (c >= 0x2028 && c <= 0x202E) ||  /* line/paragraph separators, embeddings, overrides */
         (c >= 0x2060 && c <= 0x206F) ||  /* word joiner, isolates, deprecated format controls */
         (c >= 0xFFF9 && c <= 0xFFFB);    /* interlinear annotations */
}

static void
append_escape (GString  *out,
               gunichar  c)
{
  switch (c)
    {
    case '\n': g_string_append (out, "\\n"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\t': g_string_append (out, "\\t"); break;
    default: g_string_append_printf (out, "\\u%04X", c); break;
    }
}

static char *
escape (const char *text,
        gssize      length,
        gboolean    keep_newlines)
{
  const char *p = text;
  const char *end;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (text);
  end = text + length;
  out = g_string_sized_new (length);

  while (p < end)
    {
      const char *valid_end;
      gunichar c = 0;

      /* copy the longest run of plain text at once */
      g_utf8_validate (p, end - p, &valid_end);
      while (p < valid_end)
        {
          const char *run = p;

          while (p < valid_end && !sb_output_is_unsafe_char (c = g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          g_string_append_len (out, run, p - run);
          if (p < valid_end)
            {
              if (keep_newlines && c == '\n')
                g_string_append_c (out, '\n');
              else
                append_escape (out, c);
              p = g_utf8_next_char (p);
            }
        }
      /* a byte that does not start valid UTF-8 (or a NUL inside @length) */
      if (p < end)
        {
          if (*p == '\0')
            g_string_append (out, "\\u0000");
          else
            g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
        }
    }
  return g_string_free (out, FALSE);
}

char *
sb_output_escape (const char *text,
                  gssize      length)
{
  return escape (text, length, FALSE);
}

const char *
sb_output_escape_kept (GPtrArray  *keep,
                       const char *text)
{
  char *escaped = sb_output_escape (text != NULL ? text : "", -1);

  g_ptr_array_add (keep, escaped);
  return escaped;
}

void
sb_output_write (FILE       *stream,
                 const char *text)
{
  g_autofree char *safe = escape (text, -1, TRUE);

  fwrite (safe, 1, strlen (safe), stream);
  fflush (stream);
}

void
sb_output_print (const char *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  sb_output_write (stdout, text);
}

void
sb_output_printerr (const char *format,
                    ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  sb_output_write (stderr, text);
}

static void
print_to_stdout (const char *text)
{
  sb_output_write (stdout, text);
}

static void
print_to_stderr (const char *text)
{
  sb_output_write (stderr, text);
}

void
sb_output_install (void)
{
  g_set_print_handler (print_to_stdout);
  g_set_printerr_handler (print_to_stderr);
}
