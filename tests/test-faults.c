/* test-faults.c — saving a draft or exporting a bundle when the process
 * dies, the disk is full or the folder is read-only: the file on disk is
 * always the old or the new version, whole, and a failed write says why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sb-bundle.h"
#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-error.h"
#include "sb-value.h"

#define KILLS 600
#define EXPORT_KILLS 500        /* in-process exports, each killed */
#define SPAWNED_EXPORT_KILLS 100 /* `shenbao export` runs, each killed */

static SbDraft *
load_sample (SbCatalog *catalog)
{
  g_autoptr(GFile) file = g_file_new_for_path (SOURCE_DIR "/resources/samples/nantong-2023-qianzhan.json");
  g_autoptr(GError) error = NULL;
  SbDraft *draft = sb_draft_load (file, catalog, &error);

  g_assert_no_error (error);
  return draft;
}

/* Version @n of the draft: a different text, of a different length, so a
 * file cut short or mixed from two versions cannot pass for either. */
static void
set_version (SbDraft *draft,
             guint    n)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_printf (text, "版本%u：", n);
  for (guint i = 0; i < (n % 7) * 300; i++)
    g_string_append (text, "研");
  sb_draft_set_value (draft, "research_content", sb_value_new_string (text->str));
}

static char *
version_text (SbDraft *draft)
{
  const SbValue *value = sb_draft_get_value (draft, "research_content");

  return g_strdup (sb_value_get_string (value));
}

/* Files in @dir other than @keep: temporary files a killed save left. */
static guint
remove_strays (const char *dir,
               const char *keep)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint strays = 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;

      if (g_str_equal (name, keep))
        continue;
      path = g_build_filename (dir, name, NULL);
      g_unlink (path);
      strays++;
    }
  return strays;
}

static guint
count_strays (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint strays = 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    strays += g_str_has_prefix (name, ".draft.json.shenbao-save-");
  return strays;
}

static void
plant (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "{", -1, NULL));
}

static gboolean
exists (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  return g_lstat (path, &st) == 0;
}

/* After the kills, one save that gets through leaves no temporary file of
 * its own draft behind, and touches nothing else: not another file's, not
 * a link or a folder of the same name, not one a living save holds. */
static void
assert_later_save_cleans (SbDraft    *draft,
                          const char *dir,
                          const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (dir, ".draft.json.shenbao-save-DIR001", NULL);
  g_autofree char *link = g_build_filename (dir, ".draft.json.shenbao-save-LINK01", NULL);
  g_autofree char *live = g_build_filename (dir, ".draft.json.shenbao-save-LIVE01", NULL);
  int live_fd;

  /* one stale file for certain, whatever the kills left */
  plant (dir, ".draft.json.shenbao-save-OLD001");
  plant (dir, ".other.json.shenbao-save-OTHER1");
  plant (dir, ".draft.json.shenbao-save-TOOLONG");
  plant (dir, "draft.json.bak");
  plant (dir, "target");
  g_assert_cmpint (symlink ("target", link), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  plant (dir, ".draft.json.shenbao-save-LIVE01");
  live_fd = g_open (live, O_RDONLY, 0);
  g_assert_cmpint (live_fd, >=, 0);
  g_assert_cmpint (flock (live_fd, LOCK_EX), ==, 0);
  g_assert_cmpuint (count_strays (dir), >=, 5);

  set_version (draft, 1000);
  g_assert_true (sb_draft_save (draft, file, &error));
  g_assert_no_error (error);

  g_assert_false (exists (dir, ".draft.json.shenbao-save-OLD001"));
  g_assert_true (exists (dir, ".other.json.shenbao-save-OTHER1"));
  g_assert_true (exists (dir, ".draft.json.shenbao-save-TOOLONG"));
  g_assert_true (exists (dir, "draft.json.bak"));
  g_assert_true (exists (dir, ".draft.json.shenbao-save-LINK01"));
  g_assert_true (exists (dir, "target"));
  g_assert_true (exists (dir, ".draft.json.shenbao-save-DIR001"));
  g_assert_true (exists (dir, ".draft.json.shenbao-save-LIVE01"));
  /* every temporary file the killed saves left is gone: only the four
   * planted ones that are not stale temporary files of draft.json remain */
  g_assert_cmpuint (count_strays (dir), ==, 4);
  close (live_fd);
  g_unlink (link);
  g_unlink (live);
  g_rmdir (folder);
  remove_strays (dir, "draft.json");
}

static char *
make_work_dir (void)
{
  /* a memory file system when there is one: fsync costs nothing there, so
   * hundreds of saves take a moment; the atomicity is the same */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    {
      g_autofree char *template = g_strdup ("/dev/shm/shenbao-faults-XXXXXX");
      if (g_mkdtemp (template) != NULL)
        return g_steal_pointer (&template);
    }
  return g_dir_make_tmp ("shenbao-faults-XXXXXX", NULL);
}

/* A child saves version n + 1 over version n and is killed at a random
 * moment; the file is then version n or n + 1, complete. */
static void
test_killed_while_saving (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(SbDraft) draft = load_sample (catalog);
  g_autofree char *dir = make_work_dir ();
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  guint old_kept = 0, new_written = 0, strays = 0;
  guint current = 0;

  set_version (draft, current);
  g_assert_true (sb_draft_save (draft, file, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < KILLS; i++)
    {
      g_autofree char *old_bytes = NULL;
      g_autofree char *expected_old = NULL;
      g_autofree char *expected_new = NULL;
      g_autofree char *now = NULL;
      g_autoptr(SbDraft) reread = NULL;
      gsize old_length;
      int status;
      pid_t child;

      g_assert_true (g_file_get_contents (path, &old_bytes, &old_length, NULL));
      expected_old = version_text (draft);
      set_version (draft, current + 1);
      expected_new = version_text (draft);

      child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          sb_draft_save (draft, file, NULL);
          _exit (0);
        }
      g_usleep (g_rand_int_range (rand, 0, 1500));
      kill (child, SIGKILL);
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);

      /* the final name always holds a whole draft */
      reread = sb_draft_load (file, catalog, &error);
      g_assert_no_error (error);
      now = version_text (reread);
      if (g_str_equal (now, expected_old))
        {
          g_autofree char *bytes = NULL;
          gsize length;

          g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
          g_assert_cmpmem (bytes, length, old_bytes, old_length);
          set_version (draft, current);
          old_kept++;
        }
      else
        {
          g_assert_cmpstr (now, ==, expected_new);
          current++;
          new_written++;
        }
      /* left in place: the next save that gets through removes them */
      strays = MAX (strays, count_strays (dir));
    }

  g_test_message ("%u kills: old version kept %u times, new version written %u times, "
                  "at most %u temporary files left at once",
                  KILLS, old_kept, new_written, strays);
  /* the kills fell on both sides of the rename */
  g_assert_cmpuint (old_kept, >, 0);
  g_assert_cmpuint (new_written, >, 0);

  assert_later_save_cleans (draft, dir, path);
  remove_strays (dir, "draft.json");
  g_unlink (path);
  g_rmdir (dir);
}

/* A failed save: the error names the file and the reason, the old file is
 * untouched and no temporary file is left. */
static void
assert_save_fails_cleanly (SbDraft    *draft,
                           const char *dir,
                           const char *old_bytes,
                           gsize       old_length,
                           GError     *error)
{
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "could not be saved: "));
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpmem (bytes, length, old_bytes, old_length);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

/* The old draft, then a save of a draft too big for what is left. */
static void
save_old_then_big (SbDraft     *draft,
                   const char  *dir,
                   char       **old_bytes,
                   gsize       *old_length)
{
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  set_version (draft, 1);
  g_assert_true (sb_draft_save (draft, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, old_bytes, old_length, NULL));
  set_version (draft, 6);   /* 1,800 characters more */
}

/* A disk that fills up during the save: a small tmpfs, when this test may
 * mount one. */
static void
test_disk_full (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(SbDraft) draft = load_sample (catalog);
  g_autofree char *dir = g_dir_make_tmp ("shenbao-diskfull-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_bytes = NULL;
  g_autofree char *filler = NULL;
  gsize old_length;

  if (mount ("tmpfs", dir, "tmpfs", 0, "size=64k") != 0)
    {
      g_test_skip_printf ("cannot mount a tmpfs here (%s); /faults/file-size-limit covers a failing write",
                          g_strerror (errno));
      g_rmdir (dir);
      return;
    }

  save_old_then_big (draft, dir, &old_bytes, &old_length);
  /* fill what is left */
  filler = g_build_filename (dir, "filler", NULL);
  {
    FILE *f = fopen (filler, "w");
    static const char block[1024];

    while (fwrite (block, 1, sizeof block, f) == sizeof block && fflush (f) == 0)
      ;
    fclose (f);
  }
  g_assert_false (sb_draft_save (draft, file, &error));
  assert_save_fails_cleanly (draft, dir, old_bytes, old_length, error);
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_assert_cmpuint (count_files (dir), ==, 2);   /* draft.json, filler */

  g_assert_cmpint (umount (dir), ==, 0);
  g_rmdir (dir);
}

/* The same through a failing write anywhere: a file size limit in a child
 * process. */
static void
test_file_size_limit (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(SbDraft) draft = load_sample (catalog);
  g_autofree char *dir = g_dir_make_tmp ("shenbao-limit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *old_bytes = NULL;
  gsize old_length;
  int pipe_fds[2];
  int status;
  pid_t child;

  save_old_then_big (draft, dir, &old_bytes, &old_length);
  g_assert_cmpint (pipe (pipe_fds), ==, 0);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      struct rlimit limit = { old_length + 100, old_length + 100 };

      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &limit);
      if (sb_draft_save (draft, file, &error))
        _exit (3);
      if (write (pipe_fds[1], error->message, strlen (error->message)) < 0)
        _exit (4);
      _exit (0);
    }
  close (pipe_fds[1]);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  {
    char message[1024] = { 0 };
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (read (pipe_fds[0], message, sizeof message - 1), >, 0);
    error = g_error_new_literal (SB_ERROR, SB_ERROR_FAILED, message);
    assert_save_fails_cleanly (draft, dir, old_bytes, old_length, error);
    g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
  }
  close (pipe_fds[0]);
  g_assert_cmpuint (count_files (dir), ==, 1);

  g_unlink (path);
  g_rmdir (dir);
}

/* A folder that cannot be written: a read-only mount (root ignores
 * permissions), or a folder without write permission. */
static void
test_read_only_folder (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(SbDraft) draft = load_sample (catalog);
  g_autofree char *dir = g_dir_make_tmp ("shenbao-ro-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "draft.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_bytes = NULL;
  gsize old_length;
  gboolean mounted = FALSE;

  if (geteuid () == 0)
    {
      if (mount ("tmpfs", dir, "tmpfs", 0, "size=1m") != 0)
        {
          g_test_skip_printf ("running as root without the right to mount (%s)", g_strerror (errno));
          g_rmdir (dir);
          return;
        }
      mounted = TRUE;
    }

  save_old_then_big (draft, dir, &old_bytes, &old_length);
  if (mounted)
    g_assert_cmpint (mount ("tmpfs", dir, "tmpfs", MS_REMOUNT | MS_RDONLY, "size=1m"), ==, 0);
  else
    g_assert_cmpint (g_chmod (dir, 0500), ==, 0);

  g_assert_false (sb_draft_save (draft, file, &error));
  assert_save_fails_cleanly (draft, dir, old_bytes, old_length, error);
  g_assert_cmpuint (count_files (dir), ==, 1);

  if (mounted)
    g_assert_cmpint (umount (dir), ==, 0);
  else
    {
      g_chmod (dir, 0700);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Exporting a signed bundle (issue 10 "Faults"): the small example call
 * and draft of tests/bundle, copied into @dir. */
static const char *bundle_examples[] = { "example-call.json", "example-draft.json", "plan.pdf", "agreement.pdf" };

static void
copy_bundle_examples (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundle_examples); i++)
    {
      g_autofree char *from = g_build_filename (SOURCE_DIR, "tests", "bundle", bundle_examples[i], NULL);
      g_autofree char *to = g_build_filename (dir, bundle_examples[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (to, contents, length, NULL));
    }
}

static void
remove_bundle_examples (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundle_examples); i++)
    {
      g_autofree char *path = g_build_filename (dir, bundle_examples[i], NULL);
      g_unlink (path);
    }
}

static SbDraft *
load_bundle_draft (const char *dir)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autofree char *call_path = g_build_filename (dir, "example-call.json", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "example-draft.json", NULL);
  g_autoptr(GFile) call_file = g_file_new_for_path (call_path);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GError) error = NULL;
  SbDraft *draft;

  sb_catalog_add_path (catalog, call_file, SB_ORIGIN_COMMAND_LINE, &error);
  g_assert_no_error (error);
  draft = sb_draft_load (draft_file, catalog, &error);
  g_assert_no_error (error);
  return draft;
}

static char *
bundle_version_title (guint n)
{
  /* of a different length each time, like set_version() */
  g_autoptr(GString) title = g_string_new (NULL);

  g_string_printf (title, "版本%u：", n);
  for (guint i = 0; i < n % 5; i++)
    g_string_append (title, "封装");
  return g_string_free (g_steal_pointer (&title), FALSE);
}

static void
set_bundle_version (SbDraft *draft,
                    guint    n)
{
  g_autofree char *title = bundle_version_title (n);

  sb_draft_set_value (draft, "project_name", sb_value_new_string (title));
}

/* Temporary files of exports to @name that were killed:
 * ".NAME.shenbao-save-XXXXXX", left until an export gets through. Nothing
 * else may be in @dir but @name and @keep. */
static guint
count_export_strays (const char         *dir,
                     const char         *name,
                     const char *const  *keep)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strconcat (".", name, ".shenbao-save-", NULL);
  const char *entry;
  guint strays = 0;

  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      if (g_str_equal (entry, name) || g_strv_contains (keep, entry))
        continue;
      g_assert_true (g_str_has_prefix (entry, prefix));
      g_assert_cmpuint (strlen (entry), ==, strlen (prefix) + 6);
      strays++;
    }
  return strays;
}

/* After a killed export, @path holds nothing, the old bundle (same bytes),
 * or a whole new one that verifies intact with the new title. Returns
 * TRUE when it is the new one. */
static gboolean
assert_old_or_new_bundle (const char *path,
                          const char *old_bytes,
                          gsize       old_length,
                          const char *new_title,
                          SbKey      *trusted,
                          guint      *absent)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SbBundleReport) report = NULL;
  g_autofree char *bytes = NULL;
  gsize length;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* only before the first export got through */
      g_assert_null (old_bytes);
      (*absent)++;
      return FALSE;
    }
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  if (old_bytes != NULL && length == old_length && memcmp (bytes, old_bytes, length) == 0)
    return FALSE;
  report = sb_bundle_verify (file, trusted, NULL);
  if (report->integrity != SB_BUNDLE_INTACT)
    g_error ("%s after a kill: %s", path, report->reason);
  g_assert_cmpstr (report->title, ==, new_title);
  return TRUE;
}

/* A child exports version n + 1 over the bundle of version n and is
 * killed at a random moment (in-process: fork, then sb_bundle_export). */
static void
test_killed_while_exporting (void)
{
  g_autofree char *dir = make_work_dir ();
  g_autofree char *path = g_build_filename (dir, "out.shenbao.json", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autoptr(GRand) rand = g_rand_new ();
  g_autofree char *old_bytes = NULL;
  gsize old_length = 0;
  guint current = 0, absent = 0, old_kept = 0, new_written = 0, strays = 0;
  gint64 start;

  gint64 whole;

  copy_bundle_examples (dir);
  draft = load_bundle_draft (dir);
  /* the first bundle, whole, timed: the kills fall within such a time
   * (sanitizers make it several times longer) */
  {
    g_autoptr(GError) error = NULL;

    set_bundle_version (draft, current);
    whole = g_get_monotonic_time ();
    g_assert_true (sb_bundle_export (draft, key, out, NULL, NULL, &error));
    g_assert_no_error (error);
    whole = g_get_monotonic_time () - whole;
    g_assert_true (g_file_get_contents (path, &old_bytes, &old_length, NULL));
  }
  start = g_get_monotonic_time ();

  for (guint i = 0; i < EXPORT_KILLS; i++)
    {
      g_autofree char *new_title = bundle_version_title (current + 1);
      int status;
      pid_t child;

      set_bundle_version (draft, current + 1);
      child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          sb_bundle_export (draft, key, out, NULL, NULL, NULL);
          _exit (0);
        }
      g_usleep (g_rand_int_range (rand, 0, (gint32) CLAMP (whole * 5 / 4, 500, G_MAXINT32)));
      kill (child, SIGKILL);
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);

      if (assert_old_or_new_bundle (path, old_bytes, old_length, new_title, key, &absent))
        {
          g_clear_pointer (&old_bytes, g_free);
          g_assert_true (g_file_get_contents (path, &old_bytes, &old_length, NULL));
          current++;
          new_written++;
        }
      else
        old_kept++;
      /* each export that gets through removes those the killed ones left */
      strays = MAX (strays, count_export_strays (dir, "out.shenbao.json", bundle_examples));
    }

  /* a last export, not killed: no temporary file left at all */
  {
    g_autoptr(GError) error = NULL;

    set_bundle_version (draft, current + 1);
    g_assert_true (sb_bundle_export (draft, key, out, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_export_strays (dir, "out.shenbao.json", bundle_examples), ==, 0);
  }

  g_test_message ("%u killed exports (a whole one: %.2f ms) in %.1f s: old bundle kept %u, new bundle written %u; "
                  "at most %u temporary files left at once",
                  EXPORT_KILLS, whole / 1e3, (g_get_monotonic_time () - start) / 1e6, old_kept, new_written, strays);
  g_assert_cmpuint (absent, ==, 0);
  g_assert_cmpuint (old_kept, >, 0);
  g_assert_cmpuint (new_written, >, 0);

  remove_bundle_examples (dir);
  g_unlink (path);
  g_rmdir (dir);
}

/* `shenbao export --bundle` itself, killed at a random moment within the
 * time one whole run takes. */
static pid_t
spawn_export (const char *dir,
              const char *draft_path,
              const char *out_path)
{
  const char *shenbao = BUILD_DIR "/app/shenbao";
  pid_t child = fork ();

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      int null_fd = open ("/dev/null", O_WRONLY);

      if (chdir (dir) != 0)
        _exit (125);
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      execl (shenbao, shenbao, "export", "--forms", "example-call.json", draft_path,
             "--bundle", out_path, (char *) NULL);
      _exit (126);
    }
  return child;
}

static void
test_killed_while_exporting_command (void)
{
  g_autofree char *dir = make_work_dir ();
  g_autofree char *path = g_build_filename (dir, "out.shenbao.json", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "example-draft.json", NULL);
  g_autofree char *xdg = g_build_filename (dir, "xdg", NULL);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *old_bytes = NULL;
  const char *keep[G_N_ELEMENTS (bundle_examples) + 2];
  gsize old_length = 0;
  guint current = 0, absent = 0, old_kept = 0, new_written = 0, strays = 0;
  gint64 whole, start;
  int status;

  copy_bundle_examples (dir);
  for (guint i = 0; i < G_N_ELEMENTS (bundle_examples); i++)
    keep[i] = bundle_examples[i];
  keep[G_N_ELEMENTS (bundle_examples)] = "xdg";
  keep[G_N_ELEMENTS (bundle_examples) + 1] = NULL;
  draft = load_bundle_draft (dir);
  /* a signing key of its own, made by a first run that is not killed */
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  set_bundle_version (draft, current);
  g_assert_true (sb_draft_save (draft, draft_file, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_cmpint (waitpid (spawn_export (dir, draft_path, path), &status, 0), >, 0);
  whole = g_get_monotonic_time () - start;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_true (g_file_get_contents (path, &old_bytes, &old_length, NULL));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < SPAWNED_EXPORT_KILLS; i++)
    {
      g_autofree char *new_title = bundle_version_title (current + 1);
      pid_t child;

      set_bundle_version (draft, current + 1);
      g_assert_true (sb_draft_save (draft, draft_file, &error));
      g_assert_no_error (error);
      child = spawn_export (dir, draft_path, path);
      g_usleep (g_rand_int_range (rand, 0, (gint32) MIN (whole * 5 / 4, G_MAXINT32)));
      kill (child, SIGKILL);
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);

      if (assert_old_or_new_bundle (path, old_bytes, old_length, new_title, NULL, &absent))
        {
          g_clear_pointer (&old_bytes, g_free);
          g_assert_true (g_file_get_contents (path, &old_bytes, &old_length, NULL));
          current++;
          new_written++;
        }
      else
        {
          old_kept++;
          set_bundle_version (draft, current);
        }
      strays = MAX (strays, count_export_strays (dir, "out.shenbao.json", keep));
    }
  /* a last run, not killed: no temporary file left at all */
  set_bundle_version (draft, current + 1);
  g_assert_true (sb_draft_save (draft, draft_file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (spawn_export (dir, draft_path, path), &status, 0), >, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpuint (count_export_strays (dir, "out.shenbao.json", keep), ==, 0);
  g_unsetenv ("XDG_DATA_HOME");

  g_test_message ("%u killed `shenbao export` runs (a whole run: %.1f ms) in %.1f s: old bundle kept %u, "
                  "new bundle written %u; at most %u temporary files left at once",
                  SPAWNED_EXPORT_KILLS, whole / 1e3, (g_get_monotonic_time () - start) / 1e6,
                  old_kept, new_written, strays);
  g_assert_cmpuint (absent, ==, 0);
  g_assert_cmpuint (old_kept, >, 0);
  g_assert_cmpuint (new_written, >, 0);

  remove_bundle_examples (dir);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (command), ==, 0);
  }
}

/* A failed export: the error names the file and the reason, the old
 * bundle is untouched and nothing else is in @out_dir. */
static void
assert_export_fails_cleanly (const char *out_dir,
                             const char *old_bytes,
                             gsize       old_length,
                             GError     *error,
                             int         reason)
{
  g_autofree char *path = g_build_filename (out_dir, "out.shenbao.json", NULL);
  g_autofree char *expected = g_strconcat (path, ": could not be written: ", g_strerror (reason), NULL);
  g_autofree char *bytes = NULL;
  gsize length;

  /* the name the user asked for, not the temporary file's */
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpmem (bytes, length, old_bytes, old_length);
}

/* The old bundle in @out_dir, then the draft changed for the next. */
static void
export_old_bundle (SbDraft     *draft,
                   SbKey       *key,
                   const char  *out_dir,
                   char       **old_bytes,
                   gsize       *old_length)
{
  g_autofree char *path = g_build_filename (out_dir, "out.shenbao.json", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  set_bundle_version (draft, 1);
  g_assert_true (sb_bundle_export (draft, key, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, old_bytes, old_length, NULL));
  set_bundle_version (draft, 2);
}

static void
test_export_disk_full (void)
{
  g_autofree char *dir = make_work_dir ();
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *path = g_build_filename (out_dir, "out.shenbao.json", NULL);
  g_autofree char *filler = g_build_filename (out_dir, "filler", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_bytes = NULL;
  gsize old_length;

  copy_bundle_examples (dir);
  draft = load_bundle_draft (dir);
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  if (mount ("tmpfs", out_dir, "tmpfs", 0, "size=64k") != 0)
    {
      g_test_skip_printf ("cannot mount a tmpfs here (%s)", g_strerror (errno));
      remove_bundle_examples (dir);
      g_rmdir (out_dir);
      g_rmdir (dir);
      return;
    }

  export_old_bundle (draft, key, out_dir, &old_bytes, &old_length);
  {
    FILE *f = fopen (filler, "w");
    static const char block[1024];

    while (fwrite (block, 1, sizeof block, f) == sizeof block && fflush (f) == 0)
      ;
    fclose (f);
  }
  g_assert_false (sb_bundle_export (draft, key, out, NULL, NULL, &error));
  g_test_message ("disk full: %s", error->message);
  assert_export_fails_cleanly (out_dir, old_bytes, old_length, error, ENOSPC);
  g_assert_cmpuint (count_files (out_dir), ==, 2);   /* out.shenbao.json, filler */

  g_assert_cmpint (umount (out_dir), ==, 0);
  g_rmdir (out_dir);
  remove_bundle_examples (dir);
  g_rmdir (dir);
}

static void
test_export_read_only_folder (void)
{
  g_autofree char *dir = make_work_dir ();
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *path = g_build_filename (out_dir, "out.shenbao.json", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_bytes = NULL;
  gsize old_length;
  gboolean mounted = FALSE;

  copy_bundle_examples (dir);
  draft = load_bundle_draft (dir);
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  if (geteuid () == 0)
    {
      if (mount ("tmpfs", out_dir, "tmpfs", 0, "size=1m") != 0)
        {
          g_test_skip_printf ("running as root without the right to mount (%s)", g_strerror (errno));
          remove_bundle_examples (dir);
          g_rmdir (out_dir);
          g_rmdir (dir);
          return;
        }
      mounted = TRUE;
    }

  export_old_bundle (draft, key, out_dir, &old_bytes, &old_length);
  if (mounted)
    g_assert_cmpint (mount ("tmpfs", out_dir, "tmpfs", MS_REMOUNT | MS_RDONLY, "size=1m"), ==, 0);
  else
    g_assert_cmpint (g_chmod (out_dir, 0500), ==, 0);

  g_assert_false (sb_bundle_export (draft, key, out, NULL, NULL, &error));
  g_test_message ("read-only folder: %s", error->message);
  assert_export_fails_cleanly (out_dir, old_bytes, old_length, error, mounted ? EROFS : EACCES);
  g_assert_cmpuint (count_files (out_dir), ==, 1);

  if (mounted)
    g_assert_cmpint (umount (out_dir), ==, 0);
  else
    {
      g_chmod (out_dir, 0700);
      g_unlink (path);
    }
  g_rmdir (out_dir);
  remove_bundle_examples (dir);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  /* no GIO module threads: the children are forked */
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/killed-while-saving", test_killed_while_saving);
  g_test_add_func ("/faults/disk-full", test_disk_full);
  g_test_add_func ("/faults/file-size-limit", test_file_size_limit);
  g_test_add_func ("/faults/read-only-folder", test_read_only_folder);
  g_test_add_func ("/faults/killed-while-exporting", test_killed_while_exporting);
  g_test_add_func ("/faults/killed-while-exporting-command", test_killed_while_exporting_command);
  g_test_add_func ("/faults/export-disk-full", test_export_disk_full);
  g_test_add_func ("/faults/export-read-only-folder", test_export_read_only_folder);

  return g_test_run ();
}
