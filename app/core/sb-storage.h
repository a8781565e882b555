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

G_END_DECLS
