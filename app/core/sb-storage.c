/* sb-storage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
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

/* The temporary file of a save of NAME is ".NAME.shenbao-save-XXXXXX" in
 * the same folder: hidden, and recognisably ours. */
#define TEMP_INFIX ".shenbao-save-"
#define TEMP_RANDOM "XXXXXX"

static char *
temp_prefix (const char *basename)
{
  return g_strconcat (".", basename, TEMP_INFIX, NULL);
}

static gboolean
is_temp_name (const char *name,
              const char *prefix)
{
  const char *rest;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;
  rest = name + strlen (prefix);
  if (strlen (rest) != strlen (TEMP_RANDOM))
    return FALSE;
  for (; *rest != '\0'; rest++)
    if (!g_ascii_isalnum (*rest))
      return FALSE;
  return TRUE;
}

/* Removes one temporary file a killed save of the same file left: only a
 * regular file of ours (never followed if a link), and only when no save
 * holds it any more (a living save keeps an flock on its temporary file;
 * the kernel drops it when the process dies). */
static void
remove_if_stale (int         directory_fd,
                 const char *name)
{
  struct stat st;
  int fd = openat (directory_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

  if (fd < 0)
    return;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == getuid () &&
      flock (fd, LOCK_EX | LOCK_NB) == 0)
    unlinkat (directory_fd, name, 0);
  close (fd);
}

static void
remove_stale_temps (const char *path)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *prefix = temp_prefix (basename);
  DIR *listing;
  struct dirent *entry;
  int fd = g_open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  listing = fdopendir (fd);
  if (listing == NULL)
    {
      close (fd);
      return;
    }
  while ((entry = readdir (listing)) != NULL)
    if (is_temp_name (entry->d_name, prefix))
      remove_if_stale (dirfd (listing), entry->d_name);
  closedir (listing);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

static gboolean
save_failed (GError    **error,
             const char *path,
             int         saved_errno)
{
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be saved: %s"),
               path, g_strerror (saved_errno));
  return FALSE;
}

/* Temporary file in the same directory, fsync, rename over the old file:
 * at every moment the path holds either the old or the new contents. A full
 * disk fails the write and leaves the old file as it was. Drafts hold
 * personal data (ID numbers), so only the owner can read them. A save that
 * was killed leaves its temporary file; the next successful save of the
 * same file removes it. */
static gboolean
write_file (GFile       *file,
            const char  *data,
            gsize        length,
            gboolean     exclusive,
            GError     **error)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *directory = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *temp = NULL;
  int fd;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: only local files can be saved"), uri);
      return FALSE;
    }

  directory = g_path_get_dirname (path);
  basename = g_path_get_basename (path);
  prefix = temp_prefix (basename);
  temp = g_strconcat (directory, G_DIR_SEPARATOR_S, prefix, TEMP_RANDOM, NULL);

  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return save_failed (error, path, errno);

  /* held until the rename: a save running meanwhile leaves this file be */
  if (flock (fd, LOCK_EX) != 0 || !write_all (fd, data, length) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temp);
      return save_failed (error, path, saved_errno);
    }

  /* link() never replaces a file: the exclusive variant fails instead */
  if (exclusive ? link (temp, path) != 0 : g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temp);
      if (saved_errno == EEXIST)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("%s: exists already"), path);
          return FALSE;
        }
      return save_failed (error, path, saved_errno);
    }
  if (exclusive)
    g_unlink (temp);
  close (fd);

  sync_directory (path);
  remove_stale_temps (path);
  return TRUE;
}

gboolean
sb_storage_write_atomic (GFile       *file,
                         const char  *data,
                         gsize        length,
                         GError     **error)
{
  return write_file (file, data, length, FALSE, error);
}

gboolean
sb_storage_create_atomic (GFile       *file,
                          const char  *data,
                          gsize        length,
                          GError     **error)
{
  return write_file (file, data, length, TRUE, error);
}

int
sb_storage_open_temporary (const char  *path,
                           char       **temporary)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *prefix = temp_prefix (basename);
  g_autofree char *temp = g_strconcat (directory, G_DIR_SEPARATOR_S, prefix, TEMP_RANDOM, NULL);
  int fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    return -1;
  /* held until the writer closes it, after the rename */
  if (flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temp);
      errno = saved_errno;
      return -1;
    }
  *temporary = g_steal_pointer (&temp);
  return fd;
}

void
sb_storage_finish (const char *path)
{
  sync_directory (path);
  remove_stale_temps (path);
}
