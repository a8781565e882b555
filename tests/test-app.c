/* test-app.c — the running `shenbao` process: SIGKILL while typing and a
 * restart, a second launch handing its file to the first, no display
 *
 * The real `shenbao` process opens a sample draft and types one character
 * every 20 ms into a text field (the hidden SHENBAO_TEST_TYPE_INTO option,
 * through the window and the wizard's "changed" signal, so the autosaver
 * saves as it does for a person). It is killed with SIGKILL mid-typing. The
 * draft on disk must load with the command line's loader, hold a prefix of
 * what was typed, and miss at most the last second of it; a restart must
 * reopen that draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sb-autosaver.h"
#include "sb-catalog.h"
#include "sb-draft-store.h"
#include "sb-test-util.h"

#define TYPE_INTERVAL_MS 20
#define FIELD "project_name"

static const char *glyphs[] = { "申", "报", "书", "a", "1" };

typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
} App;

static void
app_start (App         *app,
           const char  *root,
           gboolean     typing,
           const char  *file)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *config = g_build_filename (root, "config", NULL);
  g_autofree char *tmp = g_build_filename (root, "tmp", NULL);
  g_autofree char *interval = g_strdup_printf ("%d", TYPE_INTERVAL_MS);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { BUILD_DIR "/app/shenbao", file, NULL };

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  /* the working folders of opened bundles, and their sweep: ours alone */
  g_assert_cmpint (g_mkdir_with_parents (tmp, 0700), ==, 0);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", tmp, TRUE);
  /* settings survive the kill: the last open draft is reopened */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "SHENBAO_TEST_REPORT", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  if (typing)
    {
      g_subprocess_launcher_setenv (launcher, "SHENBAO_TEST_TYPE_INTO", FIELD, TRUE);
      g_subprocess_launcher_setenv (launcher, "SHENBAO_TEST_TYPE_INTERVAL", interval, TRUE);
    }
  else
    g_subprocess_launcher_unsetenv (launcher, "SHENBAO_TEST_TYPE_INTO");

  app->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  app->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app->process));
}

static char *
app_read_line (App *app)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (app->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);   /* the app ended before saying what it did */
  return line;
}

static void
app_kill (App *app)
{
  g_subprocess_send_signal (app->process, SIGKILL);
  g_subprocess_wait (app->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (app->process));
  g_assert_cmpint (g_subprocess_get_term_sig (app->process), ==, SIGKILL);
  g_clear_object (&app->out);
  g_clear_object (&app->process);
}

static char *
typed_text (const char *original,
            guint       count)
{
  GString *text = g_string_new (original);

  for (guint i = 0; i < count; i++)
    g_string_append (text, glyphs[i % G_N_ELEMENTS (glyphs)]);
  return g_string_free (text, FALSE);
}

static void
test_sigkill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("shenbao-crash-XXXXXX", &error);
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DIR, "resources", "samples",
                                                        "nantong-2023-qianzhan.json", NULL);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(SbDraft) original = NULL;
  g_autoptr(SbDraft) saved = NULL;
  g_autoptr(SbDraft) after_restart = NULL;
  g_autoptr(GFile) draft_file = NULL;
  g_autofree char *line = NULL;
  g_autofree char *id = NULL;
  g_autofree char *typed_at_kill = NULL;
  const char *original_name;
  const char *saved_name;
  guint typed = 0, kept = 0;
  App app = { 0 };

  g_assert_no_error (error);
  sb_catalog_add_builtin (catalog);
  original = sb_draft_load (sample, catalog, &error);
  g_assert_no_error (error);
  original_name = sb_value_get_string (sb_draft_get_value (original, FIELD));

  /* open the sample (imported into the store) and type for ~2 s */
  app_start (&app, root, TRUE, g_file_peek_path (sample));
  line = app_read_line (&app);
  g_assert_cmpstr (line, ==, "window");
  g_free (line);
  line = app_read_line (&app);
  g_assert_true (g_str_has_prefix (line, "opened "));
  id = g_strdup (line + strlen ("opened "));
  while (typed < 2000 / TYPE_INTERVAL_MS)
    {
      g_free (line);
      line = app_read_line (&app);
      if (g_str_has_prefix (line, "typed "))
        typed = (guint) g_ascii_strtoull (line + strlen ("typed "), NULL, 10);
    }
  app_kill (&app);
  /* it may have typed one more keystroke than it reported */
  typed_at_kill = typed_text (original_name, typed + 1);

  draft_file = g_file_new_build_filename (root, "data", "shenbao", "drafts", id,
                                          SB_DRAFT_STORE_FILE_NAME, NULL);
  g_assert_true (sb_autosaver_has_crash_marker (draft_file));
  saved = sb_draft_load (draft_file, catalog, &error);
  g_assert_no_error (error);
  saved_name = sb_value_get_string (sb_draft_get_value (saved, FIELD));
  g_assert_true (g_str_has_prefix (typed_at_kill, saved_name));
  g_assert_true (g_str_has_prefix (saved_name, original_name));
  kept = g_utf8_strlen (saved_name, -1) - g_utf8_strlen (original_name, -1);
  g_test_message ("typed %u characters, %u on disk after SIGKILL", typed, kept);
  /* at most the last second is missing */
  g_assert_cmpuint (kept + 1000 / TYPE_INTERVAL_MS, >=, typed);
  g_assert_cmpuint (kept, >, 0);

  /* a restart with no arguments reopens the draft, says it was restored,
   * and leaves it intact */
  app_start (&app, root, FALSE, NULL);
  g_free (line);
  line = app_read_line (&app);
  g_assert_cmpstr (line, ==, "window");
  g_free (line);
  line = app_read_line (&app);
  g_assert_cmpstr (line, ==, "restored-after-crash");
  g_free (line);
  line = app_read_line (&app);
  g_assert_cmpstr (line + strlen ("opened "), ==, id);
  app_kill (&app);
  after_restart = sb_draft_load (draft_file, catalog, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_value_get_string (sb_draft_get_value (after_restart, FIELD)), ==, saved_name);

  sb_test_remove_tree (root);
}

/* `shenbao FILE` while Shenbao runs hands the file to the running window
 * (GApplication open) and ends at once. */
static void
test_second_launch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("shenbao-second-XXXXXX", &error);
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples",
                                              "quzhou-2020-jingzheng.json", NULL);
  g_autofree char *line = NULL;
  App first = { 0 }, second = { 0 };

  g_assert_no_error (error);
  app_start (&first, root, FALSE, NULL);
  line = app_read_line (&first);
  g_assert_cmpstr (line, ==, "window");

  app_start (&second, root, FALSE, sample);
  g_assert_true (g_subprocess_wait (second.process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (second.process));
  g_assert_cmpint (g_subprocess_get_exit_status (second.process), ==, 0);
  g_clear_object (&second.out);
  g_clear_object (&second.process);

  g_free (line);
  line = app_read_line (&first);
  g_assert_true (g_str_has_prefix (line, "opened "));
  app_kill (&first);
  sb_test_remove_tree (root);
}

/* Runs the built shenbao with XDG_DATA_HOME=data; returns its stdout. */
static char *
run_cli (const char  *data,
         const char **args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (char *) BUILD_DIR "/app/shenbao");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return out;
}

static guint
count_bundle_folders (const char *root)
{
  g_autofree char *tmp = g_build_filename (root, "tmp", NULL);
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "shenbao-bundle-");
  return n;
}

/* `shenbao BUNDLE.shenbao.json`: the window verifies the bundle and shows
 * it, signed by the key `shenbao export` reported. Killed, the app leaves
 * the bundle's private folder (with the applicant's attachments); the next
 * start removes it. */
static void
test_open_bundle (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("shenbao-bundle-app-XXXXXX", &error);
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *bundle = g_build_filename (root, "申报.shenbao.json", NULL);
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples",
                                              "quzhou-2020-jingzheng.json", NULL);
  const char *export[] = { "export", sample, "--bundle", bundle, NULL };
  g_autofree char *out = run_cli (data, export);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *line = NULL;
  g_autofree char *expected = NULL;
  App app = { 0 };

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Key fingerprint: "))
      expected = g_strdup_printf ("opened-bundle %s", lines[i] + strlen ("Key fingerprint: "));
  g_assert_nonnull (expected);
  app_start (&app, root, FALSE, bundle);
  line = app_read_line (&app);
  g_assert_cmpstr (line, ==, "window");
  g_free (line);
  line = app_read_line (&app);
  g_assert_cmpstr (line, ==, expected);
  g_assert_cmpuint (count_bundle_folders (root), ==, 1);
  app_kill (&app);
  g_assert_cmpuint (count_bundle_folders (root), ==, 1);

  app_start (&app, root, FALSE, NULL);
  g_free (line);
  line = app_read_line (&app);
  g_assert_cmpstr (line, ==, "window");
  for (guint i = 0; i < 200 && count_bundle_folders (root) > 0; i++)
    g_usleep (50000);
  g_assert_cmpuint (count_bundle_folders (root), ==, 0);
  app_kill (&app);
  sb_test_remove_tree (root);
}

static void
run_without_display (const char  *file,
                     int          expected_status,
                     const char  *expected_stderr)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { BUILD_DIR "/app/shenbao", file, NULL };

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "GDK_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected_status);
  g_assert_cmpstr (err, ==, expected_stderr);
}

/* Without a display the window says so in one line and exits with 2;
 * a file that does not exist is a command-line error. */
static void
test_no_display (void)
{
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples",
                                              "quzhou-2020-jingzheng.json", NULL);
  const char *message = "shenbao: no display: the window needs a graphical session "
                        "(the command line works without one: shenbao --help)\n";

  run_without_display (NULL, 2, message);
  run_without_display (sample, 2, message);
  run_without_display ("missing.json", 2, "shenbao: missing.json: no such file\n");
  /* a name is printed escaped: it cannot clear the screen or forge a line */
  run_without_display ("bad\033[2J\n.json", 2, "shenbao: bad\\u001B[2J\\n.json: no such file\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/sigkill-while-typing", test_sigkill);
  g_test_add_func ("/app/second-launch", test_second_launch);
  g_test_add_func ("/app/open-bundle", test_open_bundle);
  g_test_add_func ("/app/no-display", test_no_display);
  return g_test_run ();
}
