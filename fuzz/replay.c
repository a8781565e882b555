/* replay.c — runs a fuzz target over its corpus without libFuzzer
 *
 * In the normal build every input ever found interesting, and every crash
 * a fuzzer found (kept as a regression), is replayed as a test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
main (int    argc,
      char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        g_error ("%s: cannot open the corpus", argv[i]);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize length;

          if (g_file_test (path, G_FILE_TEST_IS_DIR))
            continue;
          if (!g_file_get_contents (path, &contents, &length, NULL))
            g_error ("%s: cannot be read", path);
          LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
          count++;
        }
    }

  g_print ("1..1\nok 1 replayed %u inputs\n", count);
  return 0;
}
