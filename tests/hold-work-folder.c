/* hold-work-folder.c — makes a private working folder (sb-work-folder.h)
 * with an attachment in it, prints its path and holds it until its
 * standard input closes: test-work-folder kills it with SIGKILL meanwhile.
 *
 * Usage: hold-work-folder PARENT PREFIX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include <glib.h>

#include "sb-work-folder.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SbWorkFolder) work = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *scan = NULL;
  char byte;

  if (argc != 3)
    {
      fprintf (stderr, "usage: hold-work-folder PARENT PREFIX\n");
      return 2;
    }
  work = sb_work_folder_new (argv[1], argv[2], &error);
  if (work == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  inner = g_build_filename (sb_work_folder_get_path (work), "attachments", "id", NULL);
  scan = g_build_filename (inner, "id-scan.pdf", NULL);
  if (g_mkdir_with_parents (inner, 0700) != 0 ||
      !g_file_set_contents (scan, "%PDF-1.4\n% an ID card scan\n%%EOF\n", -1, &error))
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "mkdir failed");
      return 1;
    }
  printf ("%s\n", sb_work_folder_get_path (work));
  fflush (stdout);
  while (read (STDIN_FILENO, &byte, 1) > 0)
    ;
  return 0;
}
