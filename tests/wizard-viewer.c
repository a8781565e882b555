/* wizard-viewer.c — opens a draft in the wizard widget, for looking at it
 *
 * A test-only program (the application window is SbWindow): run it from the
 * build folder as `tests/wizard-viewer [--focus JSON-PATH] DRAFT.json`.
 * Changes are saved back to the draft file when the window is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sb-catalog.h"
#include "sb-wizard.h"

static gboolean done;
static char *focus_path;

/* after the first frames, as a person would activate a review row */
static gboolean
focus_later (gpointer wizard)
{
  if (!sb_wizard_focus_path (SB_WIZARD (wizard), focus_path))
    g_printerr ("wizard-viewer: nothing to focus at %s\n", focus_path);
  return G_SOURCE_REMOVE;
}

static gboolean
close_request (GtkWindow *window,
               SbDraft   *draft)
{
  g_autoptr(GError) error = NULL;

  if (!sb_draft_save (draft, sb_draft_get_file (draft), &error))
    g_printerr ("%s\n", error->message);
  done = TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SHENBAO_LOCALEDIR");
  g_autoptr(SbCatalog) catalog = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *wizard;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  const char *focus = NULL;

  if (argc == 4 && g_str_equal (argv[1], "--focus"))
    {
      focus = argv[2];
      argv[1] = argv[3];
      argc = 2;
    }
  if (argc != 2)
    {
      g_printerr ("usage: wizard-viewer [--focus JSON-PATH] DRAFT.json\n");
      return 2;
    }
  g_set_prgname ("wizard-viewer");
  g_set_application_name ("wizard-viewer");
  if (!gtk_init_check ())
    {
      g_printerr ("wizard-viewer: no display\n");
      return 2;
    }
  adw_init ();

  catalog = sb_catalog_new_default ();
  file = g_file_new_for_commandline_arg (argv[1]);
  draft = sb_draft_load (file, catalog, &error);
  if (draft == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  wizard = sb_wizard_new (draft);
  adw_window_set_content (ADW_WINDOW (window), wizard);
  g_signal_connect (window, "close-request", G_CALLBACK (close_request), draft);
  gtk_window_present (GTK_WINDOW (window));
  if (focus != NULL)
    {
      focus_path = g_strdup (focus);
      g_timeout_add (500, focus_later, wizard);
    }
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
