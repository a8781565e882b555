/* fuzz-bundle.c — bundle verification and canonical JSON on arbitrary bytes
 *
 * The bytes are verified as a bundle file (every verdict must come with a
 * reason, or none when intact); when they parse as JSON, their canonical
 * form must be a fixed point: canonicalising it again changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sb-bundle.h"
#include "sb-jcs.h"
#include "sb-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *path;

static void
check_canonical (const guint8 *data,
                 size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(JsonNode) node = sb_json_parse_bytes (bytes, "fuzz", NULL);
  g_autoptr(GBytes) again_bytes = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize length = 0;

  if (node == NULL || (first = sb_jcs_serialize (node, &length, NULL)) == NULL)
    return;
  again_bytes = g_bytes_new (first, length);
  again = sb_json_parse_bytes (again_bytes, "canonical", NULL);
  g_assert_nonnull (again);
  second = sb_jcs_serialize (again, NULL, NULL);
  g_assert_cmpstr (first, ==, second);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(SbBundleReport) report = NULL;

  if (path == NULL)
    {
      /* every input is a file: in memory when possible */
      if (g_getenv ("TMPDIR") == NULL && g_access ("/dev/shm", W_OK) == 0)
        g_setenv ("TMPDIR", "/dev/shm", TRUE);
      path = g_strdup_printf ("%s/fuzz-bundle-%d.json", g_get_tmp_dir (), (int) getpid ());
    }

  check_canonical (data, size);

  g_assert_true (g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  file = g_file_new_for_path (path);
  report = sb_bundle_verify (file, NULL, NULL);
  g_assert_nonnull (report);
  g_assert_true ((report->integrity == SB_BUNDLE_INTACT) == (report->reason == NULL));
  g_assert_true (report->integrity == SB_BUNDLE_INTACT || !report->revalidated);
  g_unlink (path);
  return 0;
}
