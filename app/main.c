/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sb-cli.h"
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
  textdomain (GETTEXT_PACKAGE);

  /* Commands run before any toolkit starts, so they need no display. */
  return sb_cli_run (argc, argv);
}
