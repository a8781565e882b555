/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sb-application.h"
#include "sb-output.h"

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SHENBAO_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* numbers in messages and JSON are written the same in every locale:
   * never a decimal comma */
  setlocale (LC_NUMERIC, "C");
  /* UTF-8 out whatever the locale's charset, never "?" */
  sb_output_install ();
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* The C library's and GLib's own texts ("Error opening file …: No such
   * file or directory") end up inside problems, which carry a Chinese and
   * an English text whatever the locale: keep them the same in every
   * locale, so that the English text is English and --json is the same
   * bytes everywhere. (GOption's headings stay English with them.) */
  bindtextdomain ("libc", "/nonexistent");
  /* GLib binds its domain when it first translates a text: let it (any
   * translated size will do), then point it where there is nothing */
  g_free (g_format_size (2000));
  bindtextdomain ("glib20", "/nonexistent");
  textdomain (GETTEXT_PACKAGE);

  /* Commands run before any toolkit starts, so they need no display;
   * no arguments or a draft file open the window. */
  return sb_application_main (argc, argv);
}
