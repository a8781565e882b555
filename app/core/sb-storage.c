/* sb-storage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sb-error.h"
#include "sb-storage.h"

/* The rename is only durable once the directory entry is on disk too. This
 * is best effort: the new contents are already synced, and a file system
 * that cannot sync a directory (some network mounts) still has them. */
static void
sync_directory (const char *path)
{
  g_autofree char *directory = g_path_get_dirname (path);
  int fd = g_open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fsync (fd);
  g_close (fd, NULL);
}

/* Temporary file in the same directory, fsync, rename over the old file:
 * at every moment the path holds either the old or the new contents. A full
 * disk fails the write and leaves the old file as it was. Drafts hold
 * personal data (ID numbers), so only the owner can read them. */
gboolean
sb_storage_write_atomic (GFile       *file,
                         const char  *data,
                         gsize        length,
                         GError     **error)
{
  const char *path = g_file_peek_path (file);
  g_autoptr(GError) local_error = NULL;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: only local files can be saved"), uri);
      return FALSE;
    }

  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be saved: %s"),
                   path, local_error->message);
      return FALSE;
    }

  sync_directory (path);
  return TRUE;
}
