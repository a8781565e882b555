/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sb-application.h"

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SHENBAO_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Commands run before any toolkit starts, so they need no display;
   * no arguments or a draft file open the window. */
  return sb_application_main (argc, argv);
}
