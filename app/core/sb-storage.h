/* sb-storage.h — writing user data so that a crash never costs a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean sb_storage_write_atomic (GFile       *file,
                                  const char  *data,
                                  gsize        length,
                                  GError     **error);

/* The same for a file that must not exist yet: it appears whole or not at
 * all, and fails with G_IO_ERROR_EXISTS if @file exists (never replaced). */
gboolean sb_storage_create_atomic (GFile       *file,
                                   const char  *data,
                                   gsize        length,
                                   GError     **error);

/* For writers that stream (the bundle export): a temporary file beside
 * @path, named and locked as sb_storage_write_atomic() does (mode 0600),
 * or -1 with errno set. The writer syncs it, renames it over @path, then
 * closes it (the lock goes with the descriptor: close after the rename)
 * or unlinks it on failure … */
int      sb_storage_open_temporary (const char  *path,
                                    char       **temporary);
/* … and after the rename: syncs the folder, and removes the temporary
 * files that killed writes of @path left. */
void     sb_storage_finish         (const char  *path);

/* Removes a private working folder and everything below it, never
 * following a symbolic link out of it. */

G_END_DECLS
