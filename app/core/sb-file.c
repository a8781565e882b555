/* sb-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "sb-error.h"
#include "sb-file.h"

#define CHUNK (64 * 1024)

static gboolean
fail_errno (GError    **error,
            const char *path,
            int         saved_errno)
{
  g_autofree char *name = g_filename_display_name (path);

  if (saved_errno == ELOOP)
    g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                 _("%s: is a symbolic link; only regular files are read"), name);
  else
    g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: cannot be read: %s"), name, g_strerror (saved_errno));
  return FALSE;
}

int
sb_file_open_regular (const char   *path,
                      SbFileFlags   flags,
                      gint64       *size,
                      GError      **error)
{
  /* O_NONBLOCK: opening a FIFO must not wait for a writer */
  int open_flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  struct stat st;
  int fd;

  if (flags & SB_FILE_NO_FOLLOW)
    open_flags |= O_NOFOLLOW;

  fd = g_open (path, open_flags, 0);
  if (fd < 0)
    {
      fail_errno (error, path, errno);
      return -1;
    }

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      fail_errno (error, path, saved_errno);
      return -1;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (path);

      close (fd);
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   S_ISDIR (st.st_mode)
                   ? _("%s: is a folder, not a file")
                   : _("%s: is not a regular file (a device, a pipe or a socket); only regular files are read"),
                   name);
      return -1;
    }

  /* a regular file never blocks; reads behave as usual without the flag */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  *size = st.st_size;
  return fd;
}

/* Reads up to length bytes; returns what was read or -1. */
static gssize
read_fully (int     fd,
            guint8 *buffer,
            gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = read (fd, buffer + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }
  return done;
}

static gboolean
too_large (GError    **error,
           const char *path,
           gsize       max_bytes)
{
  g_autofree char *name = g_filename_display_name (path);

  if (max_bytes >= 1024 * 1024 && max_bytes % (1024 * 1024) == 0)
    g_set_error (error, SB_ERROR, SB_ERROR_TOO_LARGE, _("%s: the file is larger than %u MiB"),
                 name, (guint) (max_bytes / (1024 * 1024)));
  else
    g_set_error (error, SB_ERROR, SB_ERROR_TOO_LARGE, _("%s: the file is larger than %u KiB"),
                 name, (guint) (max_bytes / 1024));
  return FALSE;
}

GBytes *
sb_file_read (GFile        *file,
              gsize         max_bytes,
              SbFileFlags   flags,
              GError      **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree guint8 *data = NULL;
  gint64 size;
  gssize n;
  int fd;

  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: only local files can be read"), name);
      return NULL;
    }

  fd = sb_file_open_regular (path, flags, &size, error);
  if (fd < 0)
    return NULL;

  if (size < 0 || (guint64) size > max_bytes)
    {
      close (fd);
      too_large (error, path, max_bytes);
      return NULL;
    }

  /* one byte more than allowed: a file that grew since fstat() shows */
  data = g_malloc ((gsize) size + 1);
  n = read_fully (fd, data, (gsize) size + 1);
  if (n < 0)
    {
      int saved_errno = errno;

      close (fd);
      fail_errno (error, path, saved_errno);
      return NULL;
    }
  close (fd);

  if (n > size)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the file changed while it was read"), name);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), n);
}

gboolean
sb_file_digest (const char   *path,
                gint64        max_bytes,
                SbFileDigest *out,
                GError      **error)
{
  g_autofree guint8 *buffer = NULL;
  EVP_MD_CTX *context = NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  gint64 size, remaining;
  gboolean ok = FALSE;
  int fd;

  memset (out, 0, sizeof *out);
  fd = sb_file_open_regular (path, SB_FILE_DEFAULT, &size, error);
  if (fd < 0)
    return FALSE;

  out->size = size;
  if (size > max_bytes)
    {
      out->too_large = TRUE;
      close (fd);
      return TRUE;
    }

  context = EVP_MD_CTX_new ();
  if (context == NULL || EVP_DigestInit_ex (context, EVP_sha256 (), NULL) != 1)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("SHA-256 is not available"));
      goto out;
    }

  buffer = g_malloc (CHUNK);
  out->size = 0;
  remaining = max_bytes + 1;
  while (remaining > 0)
    {
      gssize n = read_fully (fd, buffer, MIN ((gint64) CHUNK, remaining));

      if (n < 0)
        {
          fail_errno (error, path, errno);
          goto out;
        }
      if (n == 0)
        break;
      if (out->head_length < sizeof out->head)
        {
          gsize take = MIN ((gsize) n, sizeof out->head - out->head_length);

          memcpy (out->head + out->head_length, buffer, take);
          out->head_length += take;
        }
      EVP_DigestUpdate (context, buffer, n);
      out->size += n;
      remaining -= n;
    }

  if (out->size > max_bytes)
    {
      /* it grew while it was read */
      out->too_large = TRUE;
      ok = TRUE;
      goto out;
    }

  if (EVP_DigestFinal_ex (context, digest, &digest_length) != 1)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("SHA-256 is not available"));
      goto out;
    }
  out->sha256 = g_malloc (digest_length * 2 + 1);
  for (unsigned int i = 0; i < digest_length; i++)
    g_snprintf (out->sha256 + 2 * i, 3, "%02x", digest[i]);
  ok = TRUE;

out:
  EVP_MD_CTX_free (context);
  close (fd);
  return ok;
}

void
sb_file_digest_clear (SbFileDigest *digest)
{
  g_clear_pointer (&digest->sha256, g_free);
}
