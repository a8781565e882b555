/* test-memory.c — validation stays within about 10× its input in memory
 *
 * Issue 10: whatever a draft or a call definition holds, within the caps
 * (SB_JSON_MAX_BYTES for a draft, SB_CALL_MAX_FILE_BYTES for a definition),
 * `shenbao validate` must not need more than about ten times the size of
 * what it reads. Measured on the built command: the peak resident set of
 * the child (wait4), less that of validating a tiny draft (the program,
 * its libraries, the built-in calls: about 3 MiB more than `shenbao
 * --version`, which is printed too), against the sizes of the files given.
 * Skipped under AddressSanitizer, whose shadow memory is not ours.
 *
 * The files are written in pieces so that this process stays small: a
 * child's peak also counts what it shared with its parent before exec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sb-call.h"
#include "sb-json.h"

#define FACTOR 10

#if defined(__SANITIZE_ADDRESS__)
# define SB_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define SB_ASAN 1
# endif
#endif
#ifdef SB_ASAN
static const gboolean under_asan = TRUE;
#else
static const gboolean under_asan = FALSE;
#endif

static gboolean
skip_under_asan (void)
{
  if (under_asan)
    g_test_skip ("built with AddressSanitizer: its shadow memory and quarantine are not the program's");
  return under_asan;
}

static char *tmp_dir;

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* Runs the built shenbao with @args; returns its peak RSS in bytes. */
static gint64
peak_rss_of (const char *const *args,
             int                 expected_status)
{
  const char *shenbao = BUILD_DIR "/app/shenbao";
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  struct rusage usage;
  int status;
  pid_t child;

  g_ptr_array_add (argv, (char *) shenbao);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      int null_fd = open ("/dev/null", O_WRONLY);

      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      execv (shenbao, (char **) argv->pdata);
      _exit (126);
    }
  g_assert_cmpint (wait4 (child, &status, 0, &usage), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, expected_status);
  return (gint64) usage.ru_maxrss * 1024;
}

/* The smallest of a few runs: what the program needs without the input. */
static gint64
smallest_rss_of (const char *const *args)
{
  gint64 smallest = -1;

  for (int i = 0; i < 3; i++)
    {
      gint64 rss = peak_rss_of (args, 0);
      smallest = smallest < 0 ? rss : MIN (smallest, rss);
    }
  return smallest;
}

/* `shenbao --version`: the program and its libraries */
static gint64
version_rss (void)
{
  static gint64 rss = -1;
  const char *args[] = { "--version", NULL };

  if (rss < 0)
    rss = smallest_rss_of (args);
  return rss;
}

/* validating a draft of 482 bytes against a definition of 2 KB: the
 * above, and what validate needs whatever the input (the built-in calls,
 * the locale, the output) */
static gint64
tiny_validate_rss (void)
{
  static gint64 rss = -1;
  const char *args[] = { "validate", "--no-files", "--forms", SOURCE_DIR "/tests/bundle/example-call.json",
                         SOURCE_DIR "/tests/bundle/example-draft.json", NULL };

  if (rss < 0)
    rss = smallest_rss_of (args);
  return rss;
}

static void
assert_within_factor (const char *what,
                      const char *call_path,
                      const char *draft_path)
{
  const char *args[] = { "validate", "--no-files", "--forms", call_path, draft_path, NULL };
  gint64 input = file_size (call_path) + file_size (draft_path);
  gint64 version = version_rss ();
  gint64 tiny = tiny_validate_rss ();
  gint64 peak = peak_rss_of (args, 0);

  g_test_message ("%s: input %.2f MiB (definition %.2f MiB, draft %.2f MiB); peak RSS %.1f MiB; "
                  "over `shenbao --version` (%.1f MiB): %.1f MiB = %.2f x the input; "
                  "over validating a tiny draft (%.1f MiB): %.1f MiB = %.2f x the input (goal <= %d)",
                  what, input / 1048576.0, file_size (call_path) / 1048576.0, file_size (draft_path) / 1048576.0,
                  peak / 1048576.0, version / 1048576.0, (peak - version) / 1048576.0,
                  (double) (peak - version) / input, tiny / 1048576.0, (peak - tiny) / 1048576.0,
                  (double) (peak - tiny) / input, FACTOR);
  g_assert_cmpint (peak - tiny, <=, FACTOR * input);
}

/* A call with one table of up to 1,000 rows of long texts. */
static const char table_call[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"memory-table\", \"version\": 1,"
  " \"title\": {\"zh\": \"内存\", \"en\": \"Memory\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "   {\"id\": \"rows\", \"type\": \"table\", \"label\": {\"zh\": \"明细\", \"en\": \"Rows\"}, \"max_rows\": 1000,"
  "    \"columns\": ["
  "     {\"id\": \"t\", \"type\": \"text\", \"label\": {\"zh\": \"说明\", \"en\": \"Text\"}, \"max_length\": 10000},"
  "     {\"id\": \"v\", \"type\": \"money\", \"label\": {\"zh\": \"金额\", \"en\": \"Amount\"}}]}]}],"
  " \"rules\": [{\"id\": \"sum\", \"severity\": \"warning\", \"check\": \"sum(rows.v) <= 1000万\","
  "   \"message\": {\"zh\": \"合计{sum(rows.v)}\", \"en\": \"Total {sum(rows.v)}\"}, \"citation\": {\"clause\": \"一\"}}]}";

/* A draft of 1,000 rows of 2,700 characters each (8.1 MB, just under the
 * 8 MiB a draft may have). */
static void
test_draft_near_cap (void)
{
  g_autofree char *call_path = in_tmp ("memory-table.json");
  g_autofree char *draft_path = in_tmp ("big-draft.json");
  g_autoptr(GString) row_text = g_string_new (NULL);
  FILE *f;

  if (skip_under_asan ())
    return;
  g_assert_true (g_file_set_contents (call_path, table_call, -1, NULL));
  for (int i = 0; i < 2700; i++)
    g_string_append (row_text, "研");
  f = fopen (draft_path, "w");
  g_assert_nonnull (f);
  fputs ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"memory-table\", \"version\": 1},"
         " \"values\": {\"rows\": [", f);
  for (int i = 0; i < 1000; i++)
    fprintf (f, "%s\n{\"t\": \"%s\", \"v\": %d}", i ? "," : "", row_text->str, i);
  fputs ("]}}\n", f);
  g_assert_cmpint (fclose (f), ==, 0);
  g_assert_cmpint (file_size (draft_path), >, SB_JSON_MAX_BYTES * 95 / 100);
  g_assert_cmpint (file_size (draft_path), <=, SB_JSON_MAX_BYTES);

  assert_within_factor ("draft near the cap", call_path, draft_path);
}

/* A definition just under 1 MiB, as dense in JSON values as the built-in
 * calls (about 50 bytes a value): 500 text fields with long help texts
 * and 1,200 rules. */
static void
test_definition_near_cap (void)
{
  g_autofree char *call_path = in_tmp ("memory-call.json");
  g_autofree char *draft_path = in_tmp ("small-draft.json");
  g_autoptr(GString) help = g_string_new (NULL);
  gint64 size = 0;
  int fields = 0;
  FILE *f;

  if (skip_under_asan ())
    return;
  for (int i = 0; i < 90; i++)
    g_string_append (help, "填写说明");
  f = fopen (call_path, "w");
  g_assert_nonnull (f);
  fputs ("{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"memory-call\", \"version\": 1,"
         " \"title\": {\"zh\": \"内存\", \"en\": \"Memory\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"},"
         " \"year\": 2024, \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": [", f);
  for (fields = 0; fields < 500; fields++)
    fprintf (f, "%s\n{\"id\": \"f%d\", \"type\": \"text\", \"label\": {\"zh\": \"字段%d\", \"en\": \"Field %d\"},"
             " \"max_length\": 200, \"help\": {\"zh\": \"%s\", \"en\": \"Fill in field %d as the call says.\"}}",
             fields ? "," : "", fields, fields, fields, help->str, fields);
  fputs ("]}],\n \"rules\": [", f);
  for (int i = 0; i < 1200; i++)
    fprintf (f, "%s\n{\"id\": \"r%d\", \"severity\": \"warning\", \"check\": \"f%d != \\\"x\\\"\","
             " \"message\": {\"zh\": \"字段%d填写有误，请按申报指南第%d条的要求重新填写\","
             " \"en\": \"Field %d is not filled in as clause %d of the guide requires; fill it in again\"},"
             " \"citation\": {\"clause\": \"申报指南第%d条\"}}",
             i ? "," : "", i, i % fields, i % fields, i, i % fields, i, i);
  fputs ("]}\n", f);
  g_assert_cmpint (fclose (f), ==, 0);
  size = file_size (call_path);
  g_test_message ("definition: %" G_GINT64_FORMAT " bytes", size);
  g_assert_cmpint (size, >, SB_CALL_MAX_FILE_BYTES * 90 / 100);
  g_assert_cmpint (size, <=, SB_CALL_MAX_FILE_BYTES);

  g_assert_true (g_file_set_contents (draft_path,
                                      "{\"format\": \"shenbao-draft\", \"format_version\": 1,"
                                      " \"call\": {\"id\": \"memory-call\", \"version\": 1},"
                                      " \"values\": {\"f0\": \"一\", \"f1\": \"x\"}}", -1, NULL));
  assert_within_factor ("definition near the cap", call_path, draft_path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("shenbao-memory-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/memory/draft-near-cap", test_draft_near_cap);
  g_test_add_func ("/memory/definition-near-cap", test_definition_near_cap);

  status = g_test_run ();
  command = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (command) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  return status;
}
