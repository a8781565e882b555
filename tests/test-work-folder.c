/* test-work-folder.c — private working folders never outlive a crash
 *
 * A working folder (sb-work-folder.h) is held by the process that made it;
 * here that process is real (tests/hold-work-folder.c, or `shenbao verify`
 * and `shenbao extract` on a big bundle) and is killed with SIGKILL. The
 * sweep then removes what it left, and nothing else: not a folder a living
 * process holds, not what a symbolic link points to, not a name or a file
 * that only looks like ours, not another user's folder.
 *
 * Everything happens below a folder of this test's own, which is also the
 * TMPDIR of this process and of the commands it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sb-bundle-view.h"
#include "sb-bundle.h"
#include "sb-catalog.h"
#include "sb-key.h"
#include "sb-test-util.h"
#include "sb-work-folder.h"

#define PREFIX "shenbao-verify-"
/* an attachment of the big bundle: under the slot's 10 MB */
#define BIG_BYTES (9 * 1024 * 1024)

static char *root;   /* this test's own folder */
static char *tmp;    /* root/tmp: TMPDIR */

static char *
new_parent (void)
{
  g_autofree char *parent = g_build_filename (root, "parent-XXXXXX", NULL);

  g_assert_nonnull (g_mkdtemp (parent));
  return g_steal_pointer (&parent);
}

static guint
count_prefixed (const char *parent,
                const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, prefix);
  return n;
}

static gboolean
is_folder (const char *path)
{
  struct stat st;

  return g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A folder a killed process would have left: the name of one, unheld. */
static char *
make_stale (const char *parent,
            const char *prefix)
{
  g_autofree char *path = g_strconcat (parent, G_DIR_SEPARATOR_S, prefix, "XXXXXX", NULL);
  g_autofree char *inner = NULL;
  g_autofree char *file = NULL;

  g_assert_nonnull (g_mkdtemp (path));
  inner = g_build_filename (path, "blobs", "sub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (inner, 0700), ==, 0);
  file = g_build_filename (inner, "financial-statement.pdf", NULL);
  write_file (file, "%PDF-1.4\n%%EOF\n");
  return g_steal_pointer (&path);
}

/* tests/hold-work-folder: a process that makes a working folder and holds it */

typedef struct {
  GSubprocess *process;
  char        *path;
} Holder;

static void
holder_start (Holder     *holder,
              const char *parent,
              const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  const char *argv[] = { HOLD_WORK_FOLDER, parent, prefix, NULL };

  holder->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder->process));
  holder->path = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (holder->path);
  g_assert_true (is_folder (holder->path));
}

static void
holder_kill (Holder *holder)
{
  g_subprocess_send_signal (holder->process, SIGKILL);
  g_assert_true (g_subprocess_wait (holder->process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_signaled (holder->process));
  g_assert_cmpint (g_subprocess_get_term_sig (holder->process), ==, SIGKILL);
  g_clear_object (&holder->process);
  g_clear_pointer (&holder->path, g_free);
}

/* closes its input: it removes its folder and ends */
static void
holder_release (Holder *holder)
{
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (holder->process), NULL, NULL));
  g_assert_true (g_subprocess_wait_check (holder->process, NULL, NULL));
  g_assert_false (g_file_test (holder->path, G_FILE_TEST_EXISTS));
  g_clear_object (&holder->process);
  g_clear_pointer (&holder->path, g_free);
}

/* Killed, its folder stays with the attachment in it; the sweep removes
 * it. While the holder lives, the sweep leaves it. */
static void
test_killed_holder (void)
{
  g_autofree char *parent = new_parent ();
  g_autofree char *path = NULL;
  g_autofree char *scan = NULL;
  Holder holder = { 0 };

  holder_start (&holder, parent, PREFIX);
  path = g_strdup (holder.path);
  scan = g_build_filename (path, "attachments", "id", "id-scan.pdf", NULL);
  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 0);
  g_assert_true (g_file_test (scan, G_FILE_TEST_IS_REGULAR));

  holder_kill (&holder);
  g_assert_true (g_file_test (scan, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (parent, ""), ==, 0);
  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 0);
  g_rmdir (parent);
}

/* Held by a living process, or by this one: kept; freed: gone. */
static void
test_held_kept (void)
{
  g_autofree char *parent = new_parent ();
  g_autofree char *stale = make_stale (parent, PREFIX);
  g_autoptr(GError) error = NULL;
  SbWorkFolder *own = sb_work_folder_new (parent, PREFIX, &error);
  g_autofree char *own_path = NULL;
  g_autofree char *own_file = NULL;
  struct stat st;
  Holder holder = { 0 };

  g_assert_no_error (error);
  own_path = g_strdup (sb_work_folder_get_path (own));
  g_assert_true (g_str_has_prefix (own_path, parent));
  g_assert_cmpint (g_stat (own_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  own_file = g_build_filename (own_path, "draft.json", NULL);
  write_file (own_file, "{}");
  holder_start (&holder, parent, PREFIX);

  /* only the unheld one goes */
  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 1);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (own_file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (is_folder (holder.path));
  g_assert_cmpuint (count_prefixed (parent, PREFIX), ==, 2);

  holder_release (&holder);
  sb_work_folder_free (own);
  g_assert_false (g_file_test (own_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (parent, ""), ==, 0);
  g_rmdir (parent);
}

/* A link named like a working folder is not followed: what it points to
 * survives, and so does the link (it is not a folder of ours). Inside a
 * stale folder, a link is removed as a link, never followed. */
static void
test_symlinks_not_followed (void)
{
  g_autofree char *parent = new_parent ();
  g_autofree char *target = new_parent ();
  g_autofree char *precious = g_build_filename (target, "id-scan.pdf", NULL);
  g_autofree char *link = g_build_filename (parent, PREFIX "Link01", NULL);
  g_autofree char *file_link = g_build_filename (parent, PREFIX "Link02", NULL);
  g_autofree char *stale = make_stale (parent, PREFIX);
  g_autofree char *inner_link = g_build_filename (stale, "blobs", "elsewhere", NULL);
  g_autofree char *inner_file_link = g_build_filename (stale, "blobs", "sub", "scan", NULL);

  write_file (precious, "keep me");
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (symlink (precious, file_link), ==, 0);
  g_assert_cmpint (symlink (target, inner_link), ==, 0);
  g_assert_cmpint (symlink (precious, inner_file_link), ==, 0);

  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 1);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (file_link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (precious, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_prefixed (target, ""), ==, 1);

  /* nor does a working folder that is freed follow a link in it */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbWorkFolder) work = sb_work_folder_new (parent, PREFIX, &error);
    g_autofree char *inside = NULL;

    g_assert_no_error (error);
    inside = g_build_filename (sb_work_folder_get_path (work), "attachments", NULL);
    g_assert_cmpint (symlink (target, inside), ==, 0);
  }
  g_assert_true (g_file_test (precious, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_prefixed (parent, ""), ==, 2);

  sb_test_remove_tree (parent);
  sb_test_remove_tree (target);
}

/* Other names are untouched, even unheld folders: another prefix, another
 * length, other characters; so are a regular file and a FIFO named like a
 * working folder (the FIFO is not opened: nothing blocks). */
static void
test_other_names (void)
{
  g_autofree char *parent = new_parent ();
  const char *folders[] = { "shenbao-verify-abc", "shenbao-verify-abcdefg", "shenbao-verify-ab-def",
                            "shenbao-verify-ab.def", "shenbao-bundle-abcdef", "xshenbao-verify-abcdef",
                            "shenbao-verify-", "Shenbao-verify-abcdef" };
  g_autofree char *file = g_build_filename (parent, PREFIX "File01", NULL);
  g_autofree char *fifo = g_build_filename (parent, PREFIX "Fifo01", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (parent, folders[i], NULL);
      g_autofree char *inner = g_build_filename (path, "kept", NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      write_file (inner, "kept");
    }
  write_file (file, "a file, not a folder");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *inner = g_build_filename (parent, folders[i], "kept", NULL);

      g_assert_true (g_file_test (inner, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (fifo, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (parent, ""), ==, G_N_ELEMENTS (folders) + 2);

  /* a parent that does not exist, or is a file: nothing, no error */
  g_assert_cmpuint (sb_work_folder_sweep (file, PREFIX), ==, 0);
  {
    g_autofree char *missing = g_build_filename (parent, "missing", NULL);

    g_assert_cmpuint (sb_work_folder_sweep (missing, PREFIX), ==, 0);
  }
  sb_test_remove_tree (parent);
}

/* Another user's folder is never removed (run as root, which can make
 * one; otherwise the kernel refuses us anyway). */
static void
test_other_user (void)
{
  g_autofree char *parent = NULL;
  g_autofree char *stale = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("only root can give a folder to another user");
      return;
    }
  parent = new_parent ();
  stale = make_stale (parent, PREFIX);
  g_assert_cmpint (chown (stale, 65534, 65534), ==, 0);
  g_assert_cmpuint (sb_work_folder_sweep (parent, PREFIX), ==, 0);
  g_assert_true (is_folder (stale));
  sb_test_remove_tree (parent);
}

/* Three sweeps at once, while folders are made, used and freed: every
 * stale folder is removed (once: a second sweep finds it gone or locked),
 * every held one survives. A folder being made may be taken between its
 * mkdtemp and its lock; its maker then makes another. */

#define STALE 150
#define MADE 150

static const char *race_parent;

static gpointer
sweep_thread (gpointer data)
{
  return GUINT_TO_POINTER (sb_work_folder_sweep (race_parent, PREFIX));
}

static gpointer
make_thread (gpointer data)
{
  for (guint i = 0; i < MADE; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbWorkFolder) work = sb_work_folder_new (race_parent, PREFIX, &error);
      g_autofree char *file = NULL;

      g_assert_no_error (error);
      file = g_build_filename (sb_work_folder_get_path (work), "draft.json", NULL);
      write_file (file, "{}");
      g_thread_yield ();
      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    }
  return NULL;
}

static void
test_concurrent_sweeps (void)
{
  g_autofree char *parent = new_parent ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbWorkFolder) held = sb_work_folder_new (parent, PREFIX, &error);
  GThread *sweeps[3];
  GThread *maker;
  guint removed = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < STALE; i++)
    g_free (make_stale (parent, PREFIX));
  race_parent = parent;
  maker = g_thread_new ("make", make_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sweeps); i++)
    sweeps[i] = g_thread_new ("sweep", sweep_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sweeps); i++)
    removed += GPOINTER_TO_UINT (g_thread_join (sweeps[i]));
  g_thread_join (maker);

  g_assert_cmpuint (removed, >=, STALE);
  g_assert_cmpuint (removed, <=, STALE + MADE);
  g_assert_true (is_folder (sb_work_folder_get_path (held)));
  g_assert_cmpuint (count_prefixed (parent, ""), ==, 1);
  g_clear_pointer (&held, sb_work_folder_free);
  g_assert_cmpuint (count_prefixed (parent, ""), ==, 0);
  g_rmdir (parent);
}

/* End to end: the real commands on a big bundle, killed mid-way */

static char *small_bundle;
static char *big_bundle;

static void
copy_example (const char *name,
              const char *folder)
{
  g_autofree char *from = g_build_filename (SOURCE_DIR, "tests", "bundle", name, NULL);
  g_autofree char *to = g_build_filename (folder, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

static char *
export_bundle (SbKey      *key,
               gsize       plan_bytes,
               const char *name)
{
  g_autofree char *folder = new_parent ();
  g_autofree char *call_path = g_build_filename (folder, "example-call.json", NULL);
  g_autofree char *draft_path = g_build_filename (folder, "example-draft.json", NULL);
  g_autofree char *plan_path = g_build_filename (folder, "plan.pdf", NULL);
  g_autofree char *out_path = g_build_filename (root, name, NULL);
  g_autoptr(GFile) call_file = g_file_new_for_path (call_path);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  copy_example ("example-call.json", folder);
  copy_example ("example-draft.json", folder);
  copy_example ("plan.pdf", folder);
  copy_example ("agreement.pdf", folder);
  if (plan_bytes > 0)
    {
      g_autoptr(GString) plan = g_string_new ("%PDF-1.4\n");
      g_autoptr(GRand) rand = g_rand_new_with_seed (7);

      /* a comment of random letters: base64 cannot shrink it */
      g_string_append_c (plan, '%');
      while (plan->len < plan_bytes)
        g_string_append_c (plan, 'a' + g_rand_int_range (rand, 0, 26));
      g_string_append (plan, "\n%%EOF\n");
      g_assert_true (g_file_set_contents (plan_path, plan->str, plan->len, NULL));
    }
  sb_catalog_add_path (catalog, call_file, SB_ORIGIN_COMMAND_LINE, &error);
  g_assert_no_error (error);
  draft = sb_draft_load (draft_file, catalog, &error);
  g_assert_no_error (error);
  g_assert_true (sb_bundle_export (draft, key, out, NULL, NULL, &error));
  g_assert_no_error (error);
  sb_test_remove_tree (folder);
  return g_steal_pointer (&out_path);
}

static void
make_bundles (void)
{
  g_autoptr(SbKey) key = NULL;

  if (small_bundle != NULL)
    return;
  key = sb_key_generate ();
  small_bundle = export_bundle (key, 0, "small.shenbao.json");
  big_bundle = export_bundle (key, BIG_BYTES, "big.shenbao.json");
}

static int
run_shenbao (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) BUILD_DIR "/app/shenbao");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* Runs the command until its working folder (PREFIX… in @watched) holds
 * something, then kills it: TRUE if it was killed there, FALSE if it was
 * done before. */
static gboolean
kill_mid_way (const char *const *args,
              const char        *watched,
              const char        *prefix)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean seen = FALSE;

  g_ptr_array_add (argv, (char *) BUILD_DIR "/app/shenbao");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  while (!seen && g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GDir) dir = g_dir_open (watched, 0, NULL);
      const char *name;

      while (dir != NULL && !seen && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, prefix))
          {
            g_autofree char *blobs = g_build_filename (watched, name, "blobs", NULL);
            g_autoptr(GDir) inner = g_dir_open (blobs, 0, NULL);

            seen = inner != NULL && g_dir_read_name (inner) != NULL;
          }
      if (!seen)
        g_usleep (500);
    }
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_test_message ("shenbao %s: %s", args[0],
                  !g_subprocess_get_if_signaled (process) ? "done before it was killed"
                  : seen ? "killed while its working folder held data" : "killed before its working folder held data");
  return g_subprocess_get_if_signaled (process) && seen;
}

/* `shenbao verify` killed while it decodes a big bundle leaves its folder
 * with part of the attachments; the next `shenbao verify` removes it and
 * leaves nothing. */
static void
test_verify_killed (void)
{
  const char *big[] = { "verify", NULL, NULL };
  const char *small[] = { "verify", NULL, NULL };
  guint attempts = 0;

  make_bundles ();
  big[1] = big_bundle;
  small[1] = small_bundle;
  while (!kill_mid_way (big, tmp, PREFIX))
    g_assert_cmpuint (++attempts, <, 5);
  g_assert_cmpuint (count_prefixed (tmp, PREFIX), ==, 1);

  g_assert_cmpint (run_shenbao (small), ==, 0);
  g_assert_cmpuint (count_prefixed (tmp, "shenbao-"), ==, 0);
}

/* `shenbao extract` killed mid-way leaves its hidden folder in the
 * destination; the next extraction there removes it, and works. */
static void
test_extract_killed (void)
{
  const char *big[] = { "extract", NULL, NULL, NULL };
  const char *small[] = { "extract", NULL, NULL, NULL };
  g_autofree char *destination = NULL;
  g_autofree char *draft = NULL;
  guint attempts = 0;

  make_bundles ();
  big[1] = big_bundle;
  small[1] = small_bundle;
  for (;;)
    {
      g_autofree char *attachments = NULL;

      g_free (destination);
      destination = new_parent ();
      big[2] = destination;
      attachments = g_build_filename (destination, "attachments", NULL);
      /* killed before the end, where the attachments are moved out */
      if (kill_mid_way (big, destination, SB_BUNDLE_EXTRACT_PREFIX) &&
          !g_file_test (attachments, G_FILE_TEST_EXISTS))
        break;
      g_assert_cmpuint (++attempts, <, 5);
    }
  g_assert_cmpuint (count_prefixed (destination, SB_BUNDLE_EXTRACT_PREFIX), ==, 1);
  g_assert_cmpuint (count_prefixed (tmp, "shenbao-"), ==, 0);

  small[2] = destination;
  g_assert_cmpint (run_shenbao (small), ==, 0);
  draft = g_build_filename (destination, "draft.json", NULL);
  g_assert_true (g_file_test (draft, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_prefixed (destination, SB_BUNDLE_EXTRACT_PREFIX), ==, 0);
  g_assert_cmpuint (count_prefixed (destination, "."), ==, 0);
  sb_test_remove_tree (destination);
}

/* A bundle opened to be read: the folder a killed Shenbao left goes, the
 * one another running Shenbao holds stays; closed, nothing of ours is left. */
static void
test_view_open (void)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(SbBundleView) view = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stale = NULL;
  Holder killed = { 0 };
  Holder running = { 0 };

  make_bundles ();
  file = g_file_new_for_path (small_bundle);
  holder_start (&killed, tmp, SB_BUNDLE_VIEW_PREFIX);
  stale = g_strdup (killed.path);
  holder_kill (&killed);
  holder_start (&running, tmp, SB_BUNDLE_VIEW_PREFIX);
  g_assert_cmpuint (count_prefixed (tmp, SB_BUNDLE_VIEW_PREFIX), ==, 2);

  view = sb_bundle_view_open (file, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (is_folder (running.path));
  g_assert_cmpuint (count_prefixed (tmp, SB_BUNDLE_VIEW_PREFIX), ==, 2);

  sb_bundle_view_close (view);
  holder_release (&running);
  g_assert_cmpuint (count_prefixed (tmp, "shenbao-"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* a folder of our own, TMPDIR too, set before GLib reads TMPDIR */
  root = g_build_filename (g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp",
                           "shenbao-work-folder-test-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (root));
  tmp = g_build_filename (root, "tmp", NULL);
  g_assert_cmpint (g_mkdir (tmp, 0700), ==, 0);
  g_setenv ("TMPDIR", tmp, TRUE);
  g_assert_cmpstr (g_get_tmp_dir (), ==, tmp);

  g_test_add_func ("/work-folder/killed-holder", test_killed_holder);
  g_test_add_func ("/work-folder/held-kept", test_held_kept);
  g_test_add_func ("/work-folder/symlinks-not-followed", test_symlinks_not_followed);
  g_test_add_func ("/work-folder/other-names", test_other_names);
  g_test_add_func ("/work-folder/other-user", test_other_user);
  g_test_add_func ("/work-folder/concurrent-sweeps", test_concurrent_sweeps);
  g_test_add_func ("/work-folder/verify-killed", test_verify_killed);
  g_test_add_func ("/work-folder/extract-killed", test_extract_killed);
  g_test_add_func ("/work-folder/view-open", test_view_open);
  status = g_test_run ();

  sb_test_remove_tree (root);
  g_free (small_bundle);
  g_free (big_bundle);
  g_free (tmp);
  g_free (root);
  return status;
}
