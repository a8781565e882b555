/* sb-file.h — reading what a user or a call file points at, bounded
 *
 * A path in a draft or in the forms folder can name anything: a FIFO that
 * blocks open(), /dev/zero that never ends, a 2 GB file. Only regular files
 * are read: they are opened without blocking, checked with fstat() after
 * the open (so a swapped file cannot slip in between), their size is
 * checked before anything is read, and at most limit + 1 bytes are ever
 * read, so a file that grows meanwhile is caught too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SB_FILE_DEFAULT   = 0,
  SB_FILE_NO_FOLLOW = 1 << 0,   /* refuse a symbolic link as the last part */
} SbFileFlags;

/* An open regular file; the descriptor is closed by sb_file_close(). */
int         sb_file_open_regular  (const char   *path,
                                   SbFileFlags   flags,
                                   gint64       *size,
                                   GError      **error);

/* The whole file, at most max_bytes (SB_ERROR_TOO_LARGE beyond). */
GBytes     *sb_file_read          (GFile        *file,
                                   gsize         max_bytes,
                                   SbFileFlags   flags,
                                   GError      **error);

/* Size, first bytes and SHA-256 (lower-case hex) in one read. When the
 * file is larger than max_bytes, *too_large is set, nothing is read and
 * *sha256 stays NULL. */
typedef struct {
  gint64    size;
  guint8    head[16];
  gsize     head_length;
  char     *sha256;
  gboolean  too_large;
} SbFileDigest;

gboolean    sb_file_digest        (const char   *path,
                                   gint64        max_bytes,
                                   SbFileDigest *out,
                                   GError      **error);
void        sb_file_digest_clear  (SbFileDigest *digest);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SbFileDigest, sb_file_digest_clear)

G_END_DECLS
