/* test-cli.c — the shenbao command, run as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include <glib/gstdio.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-validator.h"

#define SAMPLE SOURCE_DIR "/resources/samples/nantong-2023-qianzhan.json"

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
          JsonArray *deadlines = json_object_get_array_member (call, "deadlines");
          JsonObject *online = NULL;

          for (guint j = 0; j < json_array_get_length (deadlines); j++)
            if (g_str_equal (json_object_get_string_member (json_array_get_object_element (deadlines, j), "id"), "online"))
              online = json_array_get_object_element (deadlines, j);
          g_assert_nonnull (online);
          g_assert_cmpstr (json_object_get_string_member (online, "date"), ==, "2024-01-31");
          g_assert_true (json_object_has_member (online, "time"));
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (online, "title"), "zh"), !=, "");
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (call, "bureau"), "zh"), ==,
                           "南通市科学技术局、南通市财政局");
          g_assert_true (json_object_has_member (call, "programmes"));
        }
    }
  g_assert_true (nantong);
  /* a deadline's time is kept, not only its date */
  g_assert_nonnull (strstr (run.out, "\"time\" : \"17:00\""));
  g_assert_null (strstr (run.out, "\"deadlines\" : {}"));
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
  g_string_replace (text, "\"version\": 2,", "\"version\": 3,", 1);
  copy = g_build_filename (forms, "nantong-v3.json", NULL);
  g_assert_true (g_file_set_contents (copy, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (broken, "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"x\"}", -1, NULL));

  run_shenbao (&run, env, "calls", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "nantong-2023-qianzhan  version 3  (user folder)"));
  g_assert_nonnull (strstr (run.out, "nantong-2023-qianzhan  version 2  (built in)"));
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


/* Hostile input: the command runs with a watchdog and gives back bytes,
 * whatever they are. */
typedef struct {
  int     status;      /* exit status; -1 when killed */
  GBytes *out;
  GBytes *err;
} RawRun;

static void
raw_run_clear (RawRun *run)
{
  g_clear_pointer (&run->out, g_bytes_unref);
  g_clear_pointer (&run->err, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RawRun, raw_run_clear)

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RawRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
}

static gboolean
watchdog (gpointer user_data)
{
  g_subprocess_force_exit (user_data);
  return G_SOURCE_REMOVE;
}

static void
run_raw (RawRun            *run,
         const char *const *env,
         const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  guint timer;

  g_ptr_array_add (args, (char *) BUILD_DIR "/app/shenbao");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_subprocess_launcher_set_cwd (launcher, SOURCE_DIR);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  /* a generous bound: every case here takes well under a second */
  timer = g_timeout_add_seconds (60, watchdog, process);
  g_subprocess_communicate_async (process, NULL, NULL, communicated, run);
  while (run->out == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  g_subprocess_wait (process, NULL, NULL);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* What a terminal must never receive from Shenbao: anything that is not
 * UTF-8, a control character other than the newline, a bidi control, a
 * line separator. (Listed here, not taken from sb-output, so a gap there
 * shows.) */
static void
assert_terminal_safe (GBytes     *bytes,
                      const char *what)
{
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  const char *end;

  if (length == 0)
    return;
  if (!g_utf8_validate_len (text, length, &end))
    g_error ("%s: not UTF-8 at byte %" G_GSIZE_FORMAT, what, (gsize) (end - text));
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean bad = (c < 0x20 && c != '\n') || (c >= 0x7F && c < 0xA0) ||
                     c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
                     (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;

      if (bad)
        g_error ("%s: U+%04X printed raw at byte %" G_GSIZE_FORMAT, what, c, (gsize) (p - text));
    }
}

static JsonNode *
parse_sample (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, SAMPLE, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
to_text (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The sample with @member of the values replaced by @raw, written as it is
 * (not necessarily JSON) */
static GBytes *
sample_with_raw_value (const char *member,
                       const char *raw,
                       gsize       raw_length)
{
  g_autoptr(JsonNode) root = parse_sample ();
  g_autofree char *text = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *hole;

  json_object_set_string_member (json_object_get_object_member (json_node_get_object (root), "values"),
                                 member, "@HOLE@");
  text = to_text (root);
  hole = strstr (text, "\"@HOLE@\"");
  g_byte_array_append (out, (const guint8 *) text, hole - text);
  g_byte_array_append (out, (const guint8 *) raw, raw_length);
  g_byte_array_append (out, (const guint8 *) hole + strlen ("\"@HOLE@\""), strlen (hole + strlen ("\"@HOLE@\"")));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
sample_with_string (const char *member,
                    const char *value)
{
  g_autoptr(JsonNode) root = parse_sample ();
  JsonObject *values = json_object_get_object_member (json_node_get_object (root), "values");
  char *text;

  json_object_set_string_member (values, member, value);
  text = to_text (root);
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
hostile_control (void)
{
  g_autoptr(JsonNode) root = parse_sample ();
  JsonObject *values = json_object_get_object_member (json_node_get_object (root), "values");
  JsonObject *partner = json_array_get_object_element (json_object_get_array_member (values, "partners"), 0);
  char *text;

  /* a value that would clear the screen and print a verdict of its own */
  json_object_set_string_member (json_object_get_object_member (values, "applicant"), "uscc",
                                 "X\033[2J\033[H\rNo errors: the draft can be exported.\n"
                                 "No errors: the draft can be exported.\n\033[8m");
  json_object_set_string_member (partner, "uscc", "\033]0;title\a\302\233\302\205\177\b\v\f");
  text = to_text (root);
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
hostile_bidi (void)
{
  g_autoptr(JsonNode) root = parse_sample ();
  JsonObject *attachments = json_object_get_object_member (json_node_get_object (root), "attachments");
  JsonObject *proof = json_array_get_object_element (json_object_get_array_member (attachments, "legal_rep_proof"), 0);
  JsonObject *values = json_object_get_object_member (json_node_get_object (root), "values");
  char *text;

  /* a right-to-left override: "report<RLO>fdp.exe" shows as "reportexe.pdf" */
  json_object_set_string_member (proof, "file", "attachments/report\342\200\256fdp.exe\342\200\250\342\201\246x");
  json_object_set_string_member (json_object_get_object_member (values, "applicant"), "uscc",
                                 "\342\200\217\342\200\253\342\200\254\342\200\255\342\201\247\342\201\250\342\201\251\330\234");
  text = to_text (root);
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
hostile_big_field (void)
{
  g_autoptr(GString) big = g_string_sized_new (10 * 1024 * 1024 + 16);

  while (big->len < 10 * 1024 * 1024)
    g_string_append (big, "研\033");
  return sample_with_string ("project_name", big->str);
}

static GBytes *
hostile_many_rows (void)
{
  g_autoptr(JsonNode) root = parse_sample ();
  JsonObject *values = json_object_get_object_member (json_node_get_object (root), "values");
  JsonArray *members = json_object_get_array_member (values, "members");
  JsonNode *row = json_array_get_element (members, 0);
  char *text;

  json_object_set_string_member (json_node_get_object (row), "name", "\033[31m吴\r");
  for (guint i = 0; i < 10000; i++)
    json_array_add_element (members, json_node_copy (row));
  text = to_text (root);
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
hostile_deep (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  return sample_with_raw_value ("project_name", deep->str, deep->len);
}

static GBytes *
hostile_duplicate (void)
{
  static const char raw[] = "\"a\", \"project_name\": \"\\u001b[2J\"";
  return sample_with_raw_value ("project_name", raw, strlen (raw));
}

static GBytes *
hostile_invalid_utf8 (void)
{
  static const char raw[] = "\"\377\376\033[2J\300\200\355\240\200\"";
  return sample_with_raw_value ("project_name", raw, strlen (raw));
}

static GBytes *
hostile_escaped_nul (void)
{
  static const char raw[] = "\"name\\u0000\\u001b[2J\\u202e\"";
  return sample_with_raw_value ("project_name", raw, strlen (raw));
}

static GBytes *
hostile_raw_nul (void)
{
  static const char raw[] = "\"name\0\033[2J\"";
  return sample_with_raw_value ("project_name", raw, sizeof raw - 1);
}

typedef struct {
  const char *name;
  GBytes   *(*make) (void);
  int         status;   /* expected exit status of validate */
} Hostile;

static const Hostile hostile_drafts[] = {
  { "control-characters", hostile_control, 1 },
  { "bidi", hostile_bidi, 1 },
  { "10-mb-field", hostile_big_field, -2 },      /* refused or an error: either way, said safely */
  { "10000-rows", hostile_many_rows, -2 },
  { "deep-nesting", hostile_deep, 2 },
  { "duplicate-keys", hostile_duplicate, 2 },
  { "invalid-utf8", hostile_invalid_utf8, 2 },
  { "escaped-nul", hostile_escaped_nul, -2 },
  { "raw-nul", hostile_raw_nul, 2 },
};

static void
check_hostile (gconstpointer data)
{
  const Hostile *hostile = data;
  g_autoptr(GBytes) draft = hostile->make ();
  g_autofree char *dir = g_dir_make_tmp ("shenbao-hostile-XXXXXX", NULL);
  /* the draft's own name is hostile too */
  g_autofree char *path = g_build_filename (dir, "draft\033[2J\342\200\256.json", NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (draft, NULL), g_bytes_get_size (draft), NULL));

  for (guint json = 0; json < 2; json++)
    {
      const char *argv[] = { "validate", json ? "--json" : "--no-files", json ? "--no-files" : path,
                             json ? path : NULL, NULL };
      g_auto(RawRun) run = { 0 };
      g_autofree char *out_name = g_strdup_printf ("%s%s stdout", hostile->name, json ? " --json" : "");
      g_autofree char *err_name = g_strdup_printf ("%s%s stderr", hostile->name, json ? " --json" : "");
      gsize out_length;
      const char *out;

      run_raw (&run, NULL, argv);
      g_assert_cmpint (run.status, >=, 0);
      if (hostile->status >= 0)
        g_assert_cmpint (run.status, ==, hostile->status);
      else
        g_assert_cmpint (run.status, >=, 1);
      assert_terminal_safe (run.out, out_name);
      assert_terminal_safe (run.err, err_name);

      /* bounded: no value is repeated whole into the output */
      g_assert_cmpuint (g_bytes_get_size (run.out) + g_bytes_get_size (run.err), <, 8 * 1024 * 1024);

      out = g_bytes_get_data (run.out, &out_length);
      if (run.status == 2)
        {
          g_assert_cmpuint (out_length, ==, 0);
          g_assert_cmpuint (g_bytes_get_size (run.err), >, 0);
        }
      else if (json)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          g_assert_true (json_parser_load_from_data (parser, out, out_length, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_autofree char *text = g_strndup (out, out_length);
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

          /* the verdict is said once, by Shenbao */
          for (guint i = 0; lines[i] != NULL; i++)
            g_assert_false (g_str_has_prefix (lines[i], "No errors"));
        }
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* A definition of the user's own is text from outside too. */
static void
test_hostile_definition (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "evil\033[2J.json", NULL);
  g_autofree char *nantong = NULL;
  g_autoptr(GString) text = NULL;
  const char *argv[] = { "calls", "--forms", path, NULL };
  g_auto(RawRun) run = { 0 };

  g_assert_true (g_file_get_contents (SOURCE_DIR "/forms/nantong-2023-qianzhan.json", &nantong, NULL, NULL));
  text = g_string_new (nantong);
  g_assert_cmpuint (g_string_replace (text, "\"version\": 2,", "\"version\": 7,", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (text, "Nantong 2023", "\\u001b[2J\\r\\u202eNantong", 0), >=, 1);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

  run_raw (&run, NULL, argv);
  g_assert_cmpint (run.status, ==, 0);
  assert_terminal_safe (run.out, "calls stdout");
  assert_terminal_safe (run.err, "calls stderr");
  {
    g_autofree char *out = g_strndup (g_bytes_get_data (run.out, NULL), g_bytes_get_size (run.out));

    g_assert_nonnull (strstr (out, "\\u001B[2J\\r\\u202ENantong"));
    g_assert_nonnull (strstr (out, "evil"));
  }

  /* and a broken one: its error quotes the file name */
  g_assert_true (g_file_set_contents (path, "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"a\033b\"}", -1, NULL));
  {
    g_auto(RawRun) broken = { 0 };

    run_raw (&broken, NULL, argv);
    g_assert_cmpint (broken.status, ==, 2);
    assert_terminal_safe (broken.err, "broken definition stderr");
  }

  g_unlink (path);
  g_rmdir (dir);
}

/* Every locale: the same bytes from --json, UTF-8 in the text (never "?"),
 * no decimal comma. */
static const char *const locales[] = { "C", "C.UTF-8", "zh_CN.UTF-8", "de_DE.UTF-8" };

static char *
make_locale_fixture (void)
{
  g_autofree char *base = g_dir_make_tmp ("shenbao-locale-XXXXXX", NULL);
  char *dir = g_build_filename (base, "申报", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "草稿.json", NULL);
  g_autofree char *big = g_build_filename (dir, "big.pdf", NULL);
  g_autoptr(JsonNode) root = parse_sample ();
  JsonObject *object = json_node_get_object (root);
  JsonObject *values = json_object_get_object_member (object, "values");
  JsonObject *proof = json_array_get_object_element (
      json_object_get_array_member (json_object_get_object_member (object, "attachments"), "legal_rep_proof"), 0);
  g_autofree char *text = NULL;
  int fd;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  json_object_set_int_member (values, "total_investment", 1500000);
  json_object_set_string_member (proof, "file", "big.pdf");
  text = to_text (root);
  g_assert_true (g_file_set_contents (draft_path, text, -1, NULL));

  /* 21.5 MiB, over the 20 MB limit: a sparse file */
  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 21 * 1048576 + 524288), ==, 0);
  g_close (fd, NULL);
  return dir;
}

static void
remove_locale_fixture (char *dir)
{
  g_autofree char *draft_path = g_build_filename (dir, "草稿.json", NULL);
  g_autofree char *big = g_build_filename (dir, "big.pdf", NULL);
  g_autofree char *base = g_path_get_dirname (dir);

  g_unlink (draft_path);
  g_unlink (big);
  g_rmdir (dir);
  g_rmdir (base);
  g_free (dir);
}

static void
test_locales (void)
{
  g_autofree char *dir = make_locale_fixture ();
  g_autofree char *draft_path = g_build_filename (dir, "草稿.json", NULL);
  g_autoptr(GBytes) validate_json = NULL;
  g_autoptr(GBytes) calls_json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    if (setlocale (LC_ALL, locales[i]) == NULL)
      {
        g_test_fail_printf ("the %s locale is not installed: run tools/install-deps --tests", locales[i]);
        return;
      }
  setlocale (LC_ALL, "");

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      const char *env[] = { "LC_ALL", locales[i], "LANG", locales[i], NULL };
      const char *validate_argv[] = { "validate", "--json", draft_path, NULL };
      const char *calls_argv[] = { "calls", "--json", NULL };
      const char *text_argv[] = { "validate", draft_path, NULL };
      g_auto(RawRun) validate = { 0 };
      g_auto(RawRun) calls = { 0 };
      g_auto(RawRun) text = { 0 };
      g_autofree char *out = NULL;
      g_autoptr(GRegex) decimal_comma = g_regex_new ("[0-9],[0-9] ?MB", 0, 0, NULL);

      run_raw (&validate, env, validate_argv);
      g_assert_cmpint (validate.status, ==, 1);
      run_raw (&calls, env, calls_argv);
      g_assert_cmpint (calls.status, ==, 0);
      if (validate_json == NULL)
        {
          validate_json = g_bytes_ref (validate.out);
          calls_json = g_bytes_ref (calls.out);
        }
      else
        {
          g_assert_true (g_bytes_equal (validate.out, validate_json));
          g_assert_true (g_bytes_equal (calls.out, calls_json));
        }

      run_raw (&text, env, text_argv);
      g_assert_cmpint (text.status, ==, 1);
      assert_terminal_safe (text.out, locales[i]);
      out = g_strndup (g_bytes_get_data (text.out, NULL), g_bytes_get_size (text.out));
      /* every character arrives, in every locale */
      g_assert_nonnull (strstr (out, "申报/草稿.json"));
      g_assert_nonnull (strstr (out, "申报本计划项目研发总投入不得少于150万元（不含）"));
      g_assert_null (strchr (out, '?'));
      g_assert_false (g_regex_match (decimal_comma, out, 0, NULL));
      g_assert_nonnull (strstr (out, "attachment_too_large"));
      if (g_str_has_prefix (locales[i], "zh_CN"))
        g_assert_nonnull (strstr (out, "错误"));
    }
  {
    g_autofree char *json = g_strndup (g_bytes_get_data (validate_json, NULL), g_bytes_get_size (validate_json));
    g_autoptr(GRegex) decimal_comma = g_regex_new ("[0-9],[0-9] ?MB", 0, 0, NULL);

    g_assert_nonnull (strstr (json, "attachment_too_large"));
    g_assert_nonnull (strstr (json, "草稿.json"));
    g_assert_false (g_regex_match (decimal_comma, json, 0, NULL));
  }

  /* the core itself, in a process left in the German locale (as a GUI
   * toolkit leaves it) */
  {
    g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
    g_autoptr(GFile) file = g_file_new_for_path (draft_path);
    g_autoptr(SbDraft) draft = NULL;
    g_autoptr(SbValidator) validator = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GError) error = NULL;
    gboolean seen = FALSE;

    g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
    draft = sb_draft_load (file, catalog, &error);
    g_assert_no_error (error);
    validator = sb_validator_new (sb_draft_get_call (draft));
    problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
    for (guint i = 0; i < problems->len; i++)
      {
        SbProblem *problem = g_ptr_array_index (problems, i);

        if (!g_str_equal (problem->code, "attachment_too_large"))
          continue;
        seen = TRUE;
        g_assert_nonnull (strstr (problem->message_en, " is 21.5 MB, over the limit of 20 MB."));
        g_assert_nonnull (strstr (problem->message_zh, " 为 21.5 MB，"));
      }
    g_assert_true (seen);
    setlocale (LC_ALL, "");
  }

  remove_locale_fixture (g_steal_pointer (&dir));
}

/* The command line as a new user meets it. */
static void
test_usage (void)
{
  /* X11 with no server to talk to, never a Wayland socket found by default;
   * GTK's own allocations of a failed start are not ours to report */
  const char *no_display[] = { "GDK_BACKEND", "x11", "DISPLAY", "", "WAYLAND_DISPLAY", "",
                               "ASAN_OPTIONS", "detect_leaks=0", NULL };
  g_auto(Run) help = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) extra = { 0 };
  g_auto(Run) extra_calls = { 0 };
  g_auto(Run) version = { 0 };
  g_auto(Run) bad_option = { 0 };

  run_shenbao (&help, NULL, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--version"));
  g_assert_nonnull (strstr (help.out, "validate"));
  g_assert_cmpstr (help.err, ==, "");

  {
    g_auto(Run) command_help = { 0 };

    run_shenbao (&command_help, NULL, "validate", "--help", NULL);
    g_assert_cmpint (command_help.status, ==, 0);
    g_assert_nonnull (strstr (command_help.out, "--no-files"));
    g_assert_cmpstr (command_help.err, ==, "");
  }

  run_shenbao (&version, NULL, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "shenbao "));

  /* no arguments open the window: without a display, one line and exit 2 */
  run_shenbao (&none, no_display, NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpstr (none.out, ==, "");
  g_assert_nonnull (strstr (none.err, "no display"));
  g_assert_cmpint (strchr (none.err, '\n') - none.err + 1, ==, strlen (none.err));

  run_shenbao (&unknown, NULL, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_cmpstr (unknown.out, ==, "");
  g_assert_nonnull (strstr (unknown.err, "unknown command “frobnicate”"));

  run_shenbao (&extra, NULL, "--version", "extra", NULL);
  g_assert_cmpint (extra.status, ==, 2);
  g_assert_cmpstr (extra.out, ==, "");
  g_assert_nonnull (strstr (extra.err, "unexpected argument “extra”"));

  run_shenbao (&extra_calls, NULL, "calls", "extra", NULL);
  g_assert_cmpint (extra_calls.status, ==, 2);
  g_assert_cmpstr (extra_calls.out, ==, "");
  g_assert_nonnull (strstr (extra_calls.err, "unexpected argument “extra”"));

  run_shenbao (&bad_option, NULL, "validate", "--frob", SAMPLE, NULL);
  g_assert_cmpint (bad_option.status, ==, 2);
  g_assert_cmpstr (bad_option.out, ==, "");
  g_assert_nonnull (strstr (bad_option.err, "--frob"));
}

/* Errors block export, warnings never do; the ones not yet acknowledged
 * are listed, and a citation goes with every problem of a cited field. */
static void
test_verdict (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-cli-XXXXXX", NULL);
  g_autofree char *warning_path = NULL;
  g_autofree char *cell_path = NULL;
  g_auto(Run) warned = { 0 };
  g_auto(Run) cell = { 0 };
  g_autoptr(JsonNode) root = parse_sample ();
  JsonObject *values = json_object_get_object_member (json_node_get_object (root), "values");
  g_autofree char *text = NULL;

  /* a cell of a cited table: the problem carries the citation */
  json_object_set_string_member (json_array_get_object_element (json_object_get_array_member (values, "partners"), 0),
                                 "uscc", "123");
  json_object_set_string_member (json_object_get_object_member (values, "pi"), "id_number", "123");
  text = to_text (root);
  cell_path = g_build_filename (dir, "cell.json", NULL);
  g_assert_true (g_file_set_contents (cell_path, text, -1, NULL));
  run_shenbao (&cell, NULL, "validate", "--json", "--no-files", cell_path, NULL);
  g_assert_cmpint (cell.status, ==, 1);
  g_assert_nonnull (strstr (cell.out, "\"path\" : \"$.values.partners[0].uscc\""));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *problems;
    guint seen = 0;

    g_assert_true (json_parser_load_from_data (parser, cell.out, -1, NULL));
    problems = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "problems");
    for (guint i = 0; i < json_array_get_length (problems); i++)
      {
        JsonObject *problem = json_array_get_object_element (problems, i);

        const char *problem_path = json_object_get_string_member (problem, "path");

        if (!g_str_equal (problem_path, "$.values.partners[0].uscc") && !g_str_equal (problem_path, "$.values.pi.id_number"))
          continue;
        seen++;
        g_assert_true (json_object_has_member (problem, "citation"));
      }
    g_assert_cmpuint (seen, ==, 2);
  }

  /* a warning only: exported all the same, and listed */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *warned_text = NULL;
    g_autofree char *warned_text_pending = NULL;
    JsonObject *jiebang;
    g_auto(Run) acknowledged = { 0 };

    g_assert_true (json_parser_load_from_file (parser, SOURCE_DIR "/resources/samples/jingdezhen-2022-jiebang.json", NULL));
    jiebang = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "values");
    json_object_set_string_member (jiebang, "industry", "other");
    json_object_set_string_member (jiebang, "industry_other", "新能源");
    warned_text = to_text (json_parser_get_root (parser));
    warning_path = g_build_filename (dir, "warned.json", NULL);
    g_assert_true (g_file_set_contents (warning_path, warned_text, -1, NULL));

    run_shenbao (&warned, NULL, "validate", "--no-files", warning_path, NULL);
    g_assert_cmpint (warned.status, ==, 0);
    g_assert_nonnull (strstr (warned.out, "0 errors, 1 warning (0 acknowledged)"));
    g_assert_nonnull (strstr (warned.out, "\nNo errors in the values; the attached files were not checked (--no-files).\n"
                                          "1 warning not yet acknowledged:\n    $.values.industry  [industry_priority]\n"));
    g_assert_null (strstr (warned.out, "can be exported"));

    warned_text_pending = g_strdup (warned_text);

    /* acknowledged, it is no longer listed */
    json_array_add_string_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                 "acknowledged"), "industry_priority");
    g_free (warned_text);
    warned_text = to_text (json_parser_get_root (parser));
    g_assert_true (g_file_set_contents (warning_path, warned_text, -1, NULL));
    run_shenbao (&acknowledged, NULL, "validate", "--no-files", warning_path, NULL);
    g_assert_cmpint (acknowledged.status, ==, 0);
    g_assert_nonnull (strstr (acknowledged.out, "0 errors, 1 warning (1 acknowledged)"));
    g_assert_null (strstr (acknowledged.out, "can be exported"));
    g_assert_true (g_str_has_suffix (acknowledged.out, "\nNo errors in the values; the attached files were not checked (--no-files).\n"));

    /* with its files (they are next to the sample) */
    {
      g_autofree char *attachments = g_build_filename (dir, "attachments", NULL);
      g_autoptr(GDir) listing = g_dir_open (SOURCE_DIR "/resources/samples/attachments", 0, NULL);
      g_auto(Run) with_files = { 0 };
      g_auto(Run) with_files_pending = { 0 };
      const char *name;

      g_assert_cmpint (g_mkdir (attachments, 0700), ==, 0);
      while ((name = g_dir_read_name (listing)) != NULL)
        {
          g_autofree char *from = g_build_filename (SOURCE_DIR "/resources/samples/attachments", name, NULL);
          g_autofree char *to = g_build_filename (attachments, name, NULL);
          g_autofree char *bytes = NULL;
          gsize length;

          g_assert_true (g_file_get_contents (from, &bytes, &length, NULL));
          g_assert_true (g_file_set_contents (to, bytes, length, NULL));
        }
      run_shenbao (&with_files, NULL, "validate", warning_path, NULL);
      g_assert_cmpint (with_files.status, ==, 0);
      g_assert_true (g_str_has_suffix (with_files.out, "\nNo errors: the draft can be exported.\n"));

      g_assert_true (g_file_set_contents (warning_path, warned_text_pending, -1, NULL));
      run_shenbao (&with_files_pending, NULL, "validate", warning_path, NULL);
      g_assert_cmpint (with_files_pending.status, ==, 0);
      g_assert_true (g_str_has_suffix (with_files_pending.out, "\nNo errors. 1 warning not yet acknowledged:\n"
                                                              "    $.values.industry  [industry_priority]\n"));

      {
        g_autoptr(GDir) copies = g_dir_open (attachments, 0, NULL);

        while ((name = g_dir_read_name (copies)) != NULL)
          {
            g_autofree char *file = g_build_filename (attachments, name, NULL);
            g_unlink (file);
          }
      }
      g_rmdir (attachments);
    }
  }

  g_unlink (cell_path);
  g_unlink (warning_path);
  g_rmdir (dir);
}

/* One language per run: where gettext translates nothing (the C locale,
 * whatever LANGUAGE says), the messages are English too. */
static void
test_one_language (void)
{
  const char *env[] = { "LANGUAGE", "zh_CN", "LC_ALL", "C", NULL };
  g_autofree char *dir = g_dir_make_tmp ("shenbao-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp_draft (dir, "draft.json", "\"degree\": \"doctorate\"", "\"degree\": \"master\"");
  g_auto(Run) run = { 0 };

  run_shenbao (&run, env, "validate", "--no-files", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\nerror  $.values.pi  [pi_doctorate]\n    The principal investigator must hold a doctorate.\n"));
  g_assert_null (strstr (run.out, "项目负责人须有博士及以上学历。"));

  g_unlink (path);
  g_rmdir (dir);
}

/* A definition in the user folder that replaces a built-in one is named,
 * and said on stderr. */
static void
test_override_named (void)
{
  g_autofree char *home = g_dir_make_tmp ("shenbao-home-XXXXXX", NULL);
  g_autofree char *forms = g_build_filename (home, "shenbao", "forms", NULL);
  g_autofree char *copy = g_build_filename (forms, "mine.json", NULL);
  g_autofree char *nantong = NULL;
  g_autofree char *shenbao_dir = g_build_filename (home, "shenbao", NULL);
  const char *env[] = { "XDG_DATA_HOME", home, NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) json = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (forms, 0700), ==, 0);
  g_assert_true (g_file_get_contents (SOURCE_DIR "/forms/nantong-2023-qianzhan.json", &nantong, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, nantong, -1, NULL));

  run_shenbao (&run, env, "validate", "--no-files", SAMPLE, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Definition: "));
  g_assert_nonnull (strstr (run.out, "mine.json (user folder)"));
  g_assert_nonnull (strstr (run.err, "mine.json replaces the built-in definition of “nantong-2023-qianzhan” version 2"));

  run_shenbao (&json, env, "validate", "--json", "--no-files", SAMPLE, NULL);
  g_assert_nonnull (strstr (json.out, "\"origin\" : \"user\""));
  g_assert_nonnull (strstr (json.out, "mine.json\""));

  g_unlink (copy);
  g_rmdir (forms);
  g_rmdir (shenbao_dir);
  g_rmdir (home);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static JsonObject *
find_by_id (JsonArray  *array,
            const char *member,
            const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, member), id))
        return object;
    }
  return NULL;
}

/* The call's notices — procedure Shenbao cannot check — follow the
 * problems once, under a heading, escaped like all text from outside; only
 * the applicant's, only those that apply to the draft. */
static void
test_notices (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-notices-XXXXXX", NULL);
  g_autofree char *forms = g_build_filename (dir, "nantong.json", NULL);
  g_autofree char *nantong = NULL;
  g_autoptr(GString) text = NULL;
  const char *english[] = { "LC_ALL", "C.UTF-8", "LANG", "C.UTF-8", NULL };
  const char *chinese[] = { "LANGUAGE", "zh_CN", "LANG", "zh_CN.UTF-8", "LC_ALL", "zh_CN.UTF-8", NULL };
  const char *argv[] = { "validate", "--no-files", "--forms", forms, SAMPLE, NULL };
  g_auto(RawRun) run = { 0 };
  g_auto(Run) zh = { 0 };
  g_autofree char *out = NULL;
  const char *heading = "Also required by the call (Shenbao cannot check these):";

  g_assert_true (g_file_get_contents (SOURCE_DIR "/forms/nantong-2023-qianzhan.json", &nantong, NULL, NULL));
  text = g_string_new (nantong);
  g_assert_cmpuint (g_string_replace (text, "\"Recommendation quotas\"", "\"\\u001b[2JRecommendation quotas\\u202e\"", 0), ==, 1);
  g_assert_true (g_file_set_contents (forms, text->str, -1, NULL));

  run_raw (&run, english, argv);
  g_assert_cmpint (run.status, ==, 0);
  assert_terminal_safe (run.out, "notices stdout");
  out = g_strndup (g_bytes_get_data (run.out, NULL), g_bytes_get_size (run.out));
  g_assert_cmpuint (count_occurrences (out, heading), ==, 1);
  /* after the problems, before the counts and the verdict, the last line */
  g_assert_true (strstr (out, heading) > strstr (out, "Call: "));
  g_assert_true (strstr (out, heading) < strstr (out, "0 errors, "));
  g_assert_true (g_str_has_suffix (out, "\nNo errors in the values; the attached files were not checked (--no-files).\n"));
  g_assert_nonnull (strstr (out, "\\u001B[2JRecommendation quotas\\u202E"));
  g_assert_nonnull (strstr (out, "  Online portal\n    Register on the "));
  g_assert_nonnull (strstr (out, "    Guide: 通知 五、（一）1: "));
  g_assert_cmpuint (count_occurrences (out, "Online portal"), ==, 1);
  /* the recommending unit's own procedure is not the applicant's */
  g_assert_null (strstr (out, "Attachment review form"));

  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_fail_printf ("the zh_CN.UTF-8 locale is not installed: run tools/install-deps --tests");
      return;
    }
  setlocale (LC_ALL, "");
  run_shenbao (&zh, chinese, "validate", "--no-files", SAMPLE, NULL);
  g_assert_cmpint (zh.status, ==, 0);
  g_assert_cmpuint (count_occurrences (zh.out, "申报通知另有以下要求（本软件无法检查）："), ==, 1);
  g_assert_nonnull (strstr (zh.out, "  推荐名额\n    主管部门推荐名额有限"));
  g_assert_null (strstr (zh.out, heading));

  g_unlink (forms);
  g_rmdir (dir);
}

/* --json: the notices in both languages, and each problem's basis where
 * its rule is not a rule of the call. */
static void
test_notices_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp_draft (dir, "draft.json", "\"subsidy\": 1000000", "\"subsidy\": 900000");
  g_auto(Run) run = { 0 };
  g_auto(Run) keji = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *notice, *problem;
  JsonArray *notices, *problems;

  run_shenbao (&run, NULL, "validate", "--json", "--no-files", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  notices = json_object_get_array_member (root, "notices");
  notice = find_by_id (notices, "id", "recommendation_quota");
  g_assert_nonnull (notice);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (notice, "title"), "zh"), ==, "推荐名额");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (notice, "title"), "en"), ==,
                   "Recommendation quotas");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (notice, "text"), "zh"),
                                   "主管部门推荐名额有限"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (notice, "citation"), "clause"), !=, "");
  g_assert_null (find_by_id (notices, "id", "attachment_review_form"));

  problems = json_object_get_array_member (root, "problems");
  problem = find_by_id (problems, "code", "budget_subsidy_matches");
  g_assert_nonnull (problem);
  g_assert_cmpstr (json_object_get_string_member (problem, "basis"), ==, "consistency");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *other = json_array_get_object_element (problems, i);

      /* a rule of the call cites its clause and has no basis */
      if (json_object_has_member (other, "basis"))
        g_assert_cmpstr (json_object_get_string_member (other, "basis"), !=, "call");
    }

  /* a notice for some programmes only: 工业 gets paper_copies, not the
   * academic level of agriculture and social development */
  run_shenbao (&keji, NULL, "validate", "--json", "--no-files", "resources/samples/jingdezhen-2022-keji-gongye.json", NULL);
  g_assert_true (json_parser_load_from_data (parser, keji.out, -1, &error));
  g_assert_no_error (error);
  notices = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "notices");
  g_assert_nonnull (find_by_id (notices, "id", "paper_copies"));
  g_assert_null (find_by_id (notices, "id", "pi_academic_level"));

  g_unlink (path);
  g_rmdir (dir);
}

/* A call definition with the given deadlines (JSON array members). */
static void
write_deadline_call (const char *dir,
                     const char *id,
                     const char *deadlines)
{
  g_autofree char *name = g_strdup_printf ("%s.json", id);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"%s\", \"version\": 1,"
    " \"title\": {\"zh\": \"时区\", \"en\": \"Time zones\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2026,"
    " \"deadlines\": [%s],"
    " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
    "  {\"id\": \"unit\", \"type\": \"text\", \"label\": {\"zh\": \"单位\", \"en\": \"Unit\"}}]}]}", id, deadlines);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static char *
deadline_json (const char *id,
               GDateTime  *at,
               gboolean    with_time)
{
  g_autofree char *date = g_date_time_format (at, "%Y-%m-%d");
  g_autofree char *time = g_date_time_format (at, "%H:%M");

  return g_strdup_printf ("{\"id\": \"%s\", \"title\": {\"zh\": \"%s\", \"en\": \"%s\"}, \"date\": \"%s\"%s%s%s,"
                          " \"citation\": {\"clause\": \"一\"}}",
                          id, id, id, date, with_time ? ", \"time\": \"" : "", with_time ? time : "",
                          with_time ? "\"" : "");
}

static gboolean
deadline_passed (JsonArray  *calls,
                 const char *call_id,
                 const char *deadline_id)
{
  JsonObject *call = find_by_id (calls, "id", call_id);
  JsonObject *deadline = find_by_id (json_object_get_array_member (call, "deadlines"), "id", deadline_id);

  g_assert_nonnull (deadline);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (deadline, "closes_at"), "+08:00"));
  return json_object_get_boolean_member (deadline, "passed");
}

/* A deadline passes at its hour in Beijing, whatever the machine's time
 * zone: an hour ago in Beijing is passed in New York too (where that hour
 * has not yet come on the local clock), an hour ahead is still open on
 * Kiritimati (whose clock is past it), and a day without an hour lasts to
 * its Beijing midnight. `calls` and `calls --json` say the same. */
static void
test_calls_deadlines (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-deadlines-XXXXXX", NULL);
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (beijing);
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) hour_ahead = g_date_time_add_hours (now, 1);
  g_autofree char *past = deadline_json ("past", hour_ago, TRUE);
  g_autofree char *soon = deadline_json ("soon", hour_ahead, TRUE);
  g_autofree char *today = deadline_json ("today", now, FALSE);
  g_autofree char *open_deadlines = g_strdup_printf ("%s, %s, %s", past, soon, today);
  static const char *const zones[] = { "America/New_York", "Pacific/Kiritimati", "UTC" };

  write_deadline_call (dir, "tz-open", open_deadlines);
  write_deadline_call (dir, "tz-closed", past);

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      const char *env[] = { "TZ", zones[i], "LC_ALL", "C.UTF-8", NULL };
      const char *json_argv[] = { "calls", "--json", "--forms", dir, NULL };
      const char *text_argv[] = { "calls", "--forms", dir, NULL };
      g_auto(RawRun) json = { 0 };
      g_auto(RawRun) text = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *soon_line = NULL;
      JsonArray *calls;

      run_raw (&json, env, json_argv);
      g_assert_cmpint (json.status, ==, 0);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (json.out, NULL), g_bytes_get_size (json.out), &error));
      g_assert_no_error (error);
      calls = json_node_get_array (json_parser_get_root (parser));
      g_assert_true (deadline_passed (calls, "tz-open", "past"));
      g_assert_false (deadline_passed (calls, "tz-open", "soon"));
      g_assert_false (deadline_passed (calls, "tz-open", "today"));
      g_assert_true (deadline_passed (calls, "tz-closed", "past"));
      g_assert_true (json_object_get_boolean_member (find_by_id (calls, "id", "tz-open"), "open"));
      g_assert_false (json_object_get_boolean_member (find_by_id (calls, "id", "tz-closed"), "open"));
      /* the built-in calls of past years are closed */
      g_assert_false (json_object_get_boolean_member (find_by_id (calls, "id", "nantong-2023-qianzhan"), "open"));

      run_raw (&text, env, text_argv);
      g_assert_cmpint (text.status, ==, 0);
      out = g_strndup (g_bytes_get_data (text.out, NULL), g_bytes_get_size (text.out));
      {
        g_autofree char *date = g_date_time_format (hour_ago, "%Y-%m-%d %H:%M");
        g_autofree char *line = g_strdup_printf ("    past: %s (passed)\n", date);

        g_assert_cmpuint (count_occurrences (out, line), ==, 2);
      }
      {
        g_autofree char *date = g_date_time_format (hour_ahead, "%Y-%m-%d %H:%M");

        soon_line = g_strdup_printf ("    soon: %s (not yet passed)\n", date);
        g_assert_nonnull (strstr (out, soon_line));
      }
      {
        g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
        g_autofree char *line = g_strdup_printf ("    today: %s (not yet passed)\n", date);

        g_assert_nonnull (strstr (out, line));
      }
      g_assert_nonnull (strstr (out, "    Open: next deadline "));
      g_assert_cmpuint (count_occurrences (out, "    Open: next deadline "), ==, 1);
      g_assert_nonnull (strstr (out, "Closed: every deadline has passed (Beijing time)."));
    }

  {
    g_autofree char *open_path = g_build_filename (dir, "tz-open.json", NULL);
    g_autofree char *closed_path = g_build_filename (dir, "tz-closed.json", NULL);

    g_unlink (open_path);
    g_unlink (closed_path);
  }
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
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/one-language", test_one_language);
  g_test_add_func ("/cli/verdict", test_verdict);
  g_test_add_func ("/cli/override-named", test_override_named);
  g_test_add_func ("/cli/locales", test_locales);
  g_test_add_func ("/cli/hostile-definition", test_hostile_definition);
  g_test_add_func ("/cli/notices", test_notices);
  g_test_add_func ("/cli/notices-json", test_notices_json);
  g_test_add_func ("/cli/calls-deadlines", test_calls_deadlines);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_drafts); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cli/hostile/%s", hostile_drafts[i].name);
      g_test_add_data_func (name, &hostile_drafts[i], check_hostile);
    }

  return g_test_run ();
}
