/* test-cli.c — the shenbao command, run as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include <glib/gstdio.h>

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_shenbao (Run               *run,
             const char *const *env,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) BUILD_DIR "/app/shenbao");
  va_start (ap, env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_subprocess_launcher_set_cwd (launcher, SOURCE_DIR);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static void
test_validate_sample (void)
{
  g_auto(Run) run = { 0 };

  run_shenbao (&run, NULL, "validate", "resources/samples/nantong-2023-qianzhan.json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "0 errors, 0 warnings (0 acknowledged), 0 notes."));
  g_assert_nonnull (strstr (run.out, "No errors: the draft can be exported."));
  g_assert_cmpstr (run.err, ==, "");
}

static char *
write_temp_draft (const char *dir,
                  const char *name,
                  const char *from,
                  const char *to)
{
  g_autofree char *sample = NULL;
  g_autoptr(GString) text = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_get_contents (SOURCE_DIR "/resources/samples/nantong-2023-qianzhan.json", &sample, NULL, NULL));
  text = g_string_new (sample);
  if (from != NULL)
    g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return path;
}

static void
test_validate_errors_as_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp_draft (dir, "draft.json", "\"total_investment\": 3200000", "\"total_investment\": 1500000");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *problems;
  gboolean seen = FALSE;

  /* attachments are not next to this copy: skip opening them */
  run_shenbao (&run, NULL, "validate", "--json", "--no-files", path, NULL);
  g_assert_cmpint (run.status, ==, 1);

  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "valid"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "call"), "id"), ==,
                   "nantong-2023-qianzhan");
  problems = json_object_get_array_member (root, "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *problem = json_array_get_object_element (problems, i);

      if (!g_str_equal (json_object_get_string_member (problem, "code"), "investment_above_150"))
        continue;
      seen = TRUE;
      g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (problem, "path"), ==, "$.values.total_investment");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (problem, "message"), "zh"), ==,
                       "项目研发总投入须超过150万元（不含150万元），现为150万元。");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (problem, "citation"), "clause"), ==,
                       "通知 三、组织方式");
    }
  g_assert_true (seen);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_validate_unreadable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-cli-XXXXXX", NULL);
  g_autofree char *broken = write_temp_draft (dir, "broken.json", "\"start_date\": \"2024-03-01\"",
                                              "\"start_date\": \"2024-02-30\"");
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_auto(Run) run1 = { 0 };
  g_auto(Run) run2 = { 0 };
  g_auto(Run) run3 = { 0 };

  run_shenbao (&run1, NULL, "validate", broken, NULL);
  g_assert_cmpint (run1.status, ==, 2);
  g_assert_nonnull (strstr (run1.err, "broken.json: $.values.start_date: “2024-02-30” is not a day of the calendar"));
  g_assert_cmpstr (run1.out, ==, "");

  run_shenbao (&run2, NULL, "validate", missing, NULL);
  g_assert_cmpint (run2.status, ==, 2);
  g_assert_nonnull (strstr (run2.err, "missing.json: cannot be read"));

  run_shenbao (&run3, NULL, "validate", NULL);
  g_assert_cmpint (run3.status, ==, 2);
  g_assert_nonnull (strstr (run3.err, "give exactly one draft file"));

  /* an endless device is refused without reading it all */
  {
    g_auto(Run) run4 = { 0 };

    run_shenbao (&run4, NULL, "validate", "/dev/zero", NULL);
    g_assert_cmpint (run4.status, ==, 2);
    g_assert_nonnull (strstr (run4.err, "/dev/zero: is not a regular file"));
  }

  g_unlink (broken);
  g_rmdir (dir);
}

static void
test_calls (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *calls;
  gboolean nantong = FALSE;

  run_shenbao (&run, NULL, "calls", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  calls = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (calls), >=, 1);
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);

      g_assert_cmpstr (json_object_get_string_member (call, "origin"), ==, "builtin");
      if (g_str_equal (json_object_get_string_member (call, "id"), "nantong-2023-qianzhan"))
        {
          nantong = TRUE;
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (call, "deadlines"), "online"),
                           ==, "2024-01-31");
        }
    }
  g_assert_true (nantong);
}

/* A user's own definition in their data folder is listed; a broken one is
 * reported on stderr with its file and path, and the others still load. */
static void
test_user_folder (void)
{
  g_autofree char *home = g_dir_make_tmp ("shenbao-home-XXXXXX", NULL);
  g_autofree char *forms = g_build_filename (home, "shenbao", "forms", NULL);
  g_autofree char *nantong = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *broken = g_build_filename (forms, "broken.json", NULL);
  g_autoptr(GString) text = NULL;
  const char *env[] = { "XDG_DATA_HOME", home, NULL };
  g_auto(Run) run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (forms, 0700), ==, 0);
  g_assert_true (g_file_get_contents (SOURCE_DIR "/forms/nantong-2023-qianzhan.json", &nantong, NULL, NULL));
  text = g_string_new (nantong);
  g_string_replace (text, "\"version\": 1,", "\"version\": 2,", 1);
  copy = g_build_filename (forms, "nantong-v2.json", NULL);
  g_assert_true (g_file_set_contents (copy, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (broken, "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"x\"}", -1, NULL));

  run_shenbao (&run, env, "calls", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "nantong-2023-qianzhan  version 2  (user folder)"));
  g_assert_nonnull (strstr (run.out, "nantong-2023-qianzhan  version 1  (built in)"));
  g_assert_nonnull (strstr (run.err, "broken.json: $: the key “version” is required"));

  g_unlink (copy);
  g_unlink (broken);
  g_rmdir (forms);
  {
    g_autofree char *shenbao = g_build_filename (home, "shenbao", NULL);
    g_rmdir (shenbao);
  }
  g_rmdir (home);
}

/* A definition given with --forms must load; otherwise nothing is checked
 * (the built-in one of the same id would silently stand in). */
static void
test_broken_forms_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-forms-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "nantong.json", NULL);
  g_auto(Run) run = { 0 };

  g_assert_true (g_file_set_contents (broken, "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"nantong-2023-qianzhan\"}",
                                      -1, NULL));
  run_shenbao (&run, NULL, "validate", "--forms", dir, "resources/samples/nantong-2023-qianzhan.json", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "nantong.json: $: the key “version” is required"));
  g_assert_cmpstr (run.out, ==, "");

  g_unlink (broken);
  g_rmdir (dir);
}

static void
test_chinese (void)
{
  const char *env[] = { "LANGUAGE", "zh_CN", "LANG", "zh_CN.UTF-8", "LC_ALL", "zh_CN.UTF-8", NULL };
  g_autofree char *dir = g_dir_make_tmp ("shenbao-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp_draft (dir, "draft.json", "\"degree\": \"doctorate\"", "\"degree\": \"master\"");
  g_auto(Run) run = { 0 };

  /* most users run Shenbao in Chinese: a machine that cannot show it must
   * not pass this test quietly */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_fail_printf ("the zh_CN.UTF-8 locale is not installed: run tools/install-deps --tests");
      return;
    }
  setlocale (LC_ALL, "");

  run_shenbao (&run, env, "validate", "--no-files", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "项目负责人须有博士及以上学历。"));
  g_assert_nonnull (strstr (run.out, "错误"));
  g_assert_nonnull (strstr (run.out, "依据：通知 二、申报条件 2：“项目负责人有博士及以上学历”"));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/validate-sample", test_validate_sample);
  g_test_add_func ("/cli/validate-errors-as-json", test_validate_errors_as_json);
  g_test_add_func ("/cli/validate-unreadable", test_validate_unreadable);
  g_test_add_func ("/cli/calls", test_calls);
  g_test_add_func ("/cli/user-folder", test_user_folder);
  g_test_add_func ("/cli/broken-forms-folder", test_broken_forms_folder);
  g_test_add_func ("/cli/chinese", test_chinese);

  return g_test_run ();
}
