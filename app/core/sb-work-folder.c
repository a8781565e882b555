/* sb-work-folder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sb-error.h"
#include "sb-work-folder.h"

/* what g_mkdtemp() replaces: six letters or digits */
#define RANDOM_PART "XXXXXX"
/* a folder of ours is a few levels deep; deeper ones are left */
#define MAX_DEPTH 32
/* names a sweep took away between the mkdtemp and the lock */
#define ATTEMPTS 16

struct _SbWorkFolder
{
  char *path;
  int   fd;    /* the folder itself, flock(LOCK_EX) held */
};

static gboolean
is_work_name (const char *name,
              const char *prefix)
{
  const char *rest;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;
  rest = name + strlen (prefix);
  if (strlen (rest) != strlen (RANDOM_PART))
    return FALSE;
  for (; *rest != '\0'; rest++)
    if (!g_ascii_isalnum (*rest))
      return FALSE;
  return TRUE;
}

/* A folder by name, never through a symbolic link, never blocking (a FIFO
 * named like one is refused by O_DIRECTORY before it is opened). */
static int
open_folder (int         parent_fd,
             const char *name)
{
  return openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

/* Whether @name in @parent_fd still is the folder open as @fd: another
 * sweep may have removed it meanwhile, and a new one taken its name. */
static gboolean
is_same_folder (int         parent_fd,
                const char *name,
                int         fd)
{
  struct stat held;
  struct stat named;

  return fstat (fd, &held) == 0 && held.st_nlink > 0 &&
         fstatat (parent_fd, name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

/* Removes everything below the folder open as @fd. A symbolic link is
 * removed as a name; a sub-folder is entered through its own descriptor,
 * so nothing outside is ever reached. What cannot be removed stays. */
static void
remove_contents (int   fd,
                 guint depth)
{
  int listing_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  struct dirent *entry;
  DIR *listing;

  if (listing_fd < 0)
    return;
  listing = fdopendir (listing_fd);
  if (listing == NULL)
    {
      close (listing_fd);
      return;
    }
  while ((entry = readdir (listing)) != NULL)
    if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0)
      g_ptr_array_add (names, g_strdup (entry->d_name));
  closedir (listing);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      int child;

      if (unlinkat (fd, name, 0) == 0 || errno != EISDIR || depth >= MAX_DEPTH)
        continue;
      child = open_folder (fd, name);
      if (child < 0)
        continue;
      remove_contents (child, depth + 1);
      close (child);
      unlinkat (fd, name, AT_REMOVEDIR);
    }
}

SbWorkFolder *
sb_work_folder_new (const char  *parent,
                    const char  *prefix,
                    GError     **error)
{
  g_autofree char *template = NULL;
  int saved = EAGAIN;
  int parent_fd;

  g_return_val_if_fail (parent != NULL, NULL);
  g_return_val_if_fail (prefix != NULL && strchr (prefix, G_DIR_SEPARATOR) == NULL, NULL);

  template = g_strconcat (prefix, RANDOM_PART, NULL);
  parent_fd = g_open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  for (guint i = 0; parent_fd >= 0 && i < ATTEMPTS; i++)
    {
      g_autofree char *path = g_build_filename (parent, template, NULL);
      const char *name = path + strlen (path) - strlen (template);
      SbWorkFolder *self;
      int fd;

      if (g_mkdtemp_full (path, 0700) == NULL)
        {
          saved = errno;
          break;
        }
      fd = open_folder (parent_fd, name);
      if (fd < 0)
        continue;   /* a sweep took it already */
      /* EWOULDBLOCK: a sweep holds it and is removing it. Another
       * failure: no locks here; the folder serves unmarked, and no sweep
       * can take it either */
      if ((flock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) ||
          !is_same_folder (parent_fd, name, fd))
        {
          close (fd);
          continue;
        }
      close (parent_fd);
      self = g_new0 (SbWorkFolder, 1);
      self->path = g_steal_pointer (&path);
      self->fd = fd;
      return self;
    }
  if (parent_fd < 0)
    saved = errno;
  else
    close (parent_fd);

  {
    g_autofree char *shown = g_build_filename (parent, template, NULL);

    g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the folder cannot be made: %s"),
                 shown, g_strerror (saved));
  }
  return NULL;
}

const char *
sb_work_folder_get_path (SbWorkFolder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

void
sb_work_folder_free (SbWorkFolder *self)
{
  struct stat held;
  struct stat named;

  if (self == NULL)
    return;
  remove_contents (self->fd, 0);
  /* still ours under that name: then the name goes, with the mark held */
  if (fstat (self->fd, &held) == 0 && g_lstat (self->path, &named) == 0 &&
      held.st_dev == named.st_dev && held.st_ino == named.st_ino)
    g_rmdir (self->path);
  close (self->fd);
  g_free (self->path);
  g_free (self);
}

/* Removes one folder if it is the user's and no process holds it; the
 * lock is held while it goes, so that a second sweep leaves it be. */
static gboolean
remove_if_stale (int         parent_fd,
                 const char *name)
{
  struct stat st;
  gboolean removed = FALSE;
  int fd = open_folder (parent_fd, name);

  /* a symbolic link (ELOOP), a file (ENOTDIR), gone (ENOENT), another
   * user's private folder (EACCES) */
  if (fd < 0)
    return FALSE;
  /* flock locks belong to an open file description: a folder this very
   * process holds refuses this second descriptor too */
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode) && st.st_uid == geteuid () &&
      flock (fd, LOCK_EX | LOCK_NB) == 0 && is_same_folder (parent_fd, name, fd))
    {
      remove_contents (fd, 0);
      removed = unlinkat (parent_fd, name, AT_REMOVEDIR) == 0;
    }
  close (fd);
  return removed;
}

guint
sb_work_folder_sweep (const char *parent,
                      const char *prefix)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  struct dirent *entry;
  guint removed = 0;
  DIR *listing;
  int parent_fd;

  g_return_val_if_fail (parent != NULL, 0);
  g_return_val_if_fail (prefix != NULL && *prefix != '\0', 0);

  parent_fd = g_open (parent, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC, 0);
  if (parent_fd < 0)
    return 0;
  listing = fdopendir (parent_fd);
  if (listing == NULL)
    {
      close (parent_fd);
      return 0;
    }
  while ((entry = readdir (listing)) != NULL)
    if (is_work_name (entry->d_name, prefix))
      g_ptr_array_add (names, g_strdup (entry->d_name));
  for (guint i = 0; i < names->len; i++)
    removed += remove_if_stale (dirfd (listing), g_ptr_array_index (names, i));
  closedir (listing);
  return removed;
}
