/* sb-test-util.c — helpers the tests share: the main loop and scratch folders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-test-util.h"

#include <glib/gstdio.h>

void
sb_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
sb_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        sb_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
