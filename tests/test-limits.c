/* test-limits.c — what a user or a call file points at never hangs and
 * never fills the memory
 *
 * Each test that could hang runs under a watchdog (alarm): a hang fails the
 * test instead of blocking the suite. What is bounded is checked by counting
 * operations (bytes read, from /proc/self/io; evaluation steps), never by a
 * wall clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-file.h"
#include "sb-validator.h"

#define WATCHDOG_SECONDS 20

static char *tmp_dir;

/* A call with a bounded attachment, a pattern that backtracks
 * exponentially, and a table of up to 1,000 rows. */
#define LIMITS_CALL_HEAD \
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"limits\", \"version\": 1," \
  " \"title\": {\"zh\": \"边界\", \"en\": \"Limits\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024," \
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": [" \
  "   {\"id\": \"code\", \"type\": \"text\", \"label\": {\"zh\": \"代码\", \"en\": \"Code\"}, \"pattern\": \"^(a|a)*$\"," \
  "    \"pattern_hint\": {\"zh\": \"只含a\", \"en\": \"only a\"}}," \
  "   {\"id\": \"rows\", \"type\": \"table\", \"label\": {\"zh\": \"明细\", \"en\": \"Rows\"}, \"max_rows\": 1000, \"columns\": [" \
  "     {\"id\": \"t\", \"type\": \"text\", \"label\": {\"zh\": \"文\", \"en\": \"T\"}, \"pattern\": \"^(a|a)*$\"," \
  "      \"pattern_hint\": {\"zh\": \"只含a\", \"en\": \"only a\"}}," \
  "     {\"id\": \"v\", \"type\": \"money\", \"label\": {\"zh\": \"值\", \"en\": \"V\"}}]}" \
  " ]}]," \
  " \"attachments\": [{\"id\": \"doc\", \"title\": {\"zh\": \"文件\", \"en\": \"Document\"}, \"formats\": [\"pdf\"]," \
  "   \"max_size_mb\": 1, \"citation\": {\"clause\": \"一\"}}],"

static const char limits_call[] =
  LIMITS_CALL_HEAD
  " \"rules\": [{\"id\": \"sum\", \"severity\": \"warning\", \"check\": \"sum(rows.v) <= 1000万\","
  "   \"message\": {\"zh\": \"合计{sum(rows.v)}\", \"en\": \"Total {sum(rows.v)}\"}, \"citation\": {\"clause\": \"二\"}},"
  "  {\"id\": \"twice\", \"severity\": \"warning\","
  "   \"check\": \"all(rows, any(rows, rows.v >= 0元))\","
  "   \"message\": {\"zh\": \"甲\", \"en\": \"A\"}, \"citation\": {\"clause\": \"三\"}},"
  "  {\"id\": \"match\", \"severity\": \"warning\", \"check\": \"all(rows, not matches(rows.t, \\\"^(a|a)*$\\\"))\","
  "   \"message\": {\"zh\": \"乙\", \"en\": \"B\"}, \"citation\": {\"clause\": \"四\"}}]}";

static SbCatalog *catalog;

static void
watchdog (void)
{
  /* SIGALRM's default action ends the process: the test fails */
  alarm (WATCHDOG_SECONDS);
}

static guint64
bytes_read (void)
{
  g_autofree char *io = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/io", &io, NULL, NULL));
  line = strstr (io, "rchar: ");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("rchar: "), NULL, 10);
}

static char *
write_draft (const char *name,
             const char *values,
             const char *attachment)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *text = NULL;

  if (attachment != NULL)
    text = g_strdup_printf ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"limits\", \"version\": 1},"
                            " \"values\": {%s}, \"attachments\": {\"doc\": [{\"file\": \"%s\"}]}}", values, attachment);
  else
    text = g_strdup_printf ("{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"limits\", \"version\": 1},"
                            " \"values\": {%s}}", values);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

static guint64 last_steps;

static GPtrArray *
validate_file (const char      *path,
               SbValidateFlags  flags)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);
  g_autoptr(SbValidator) validator = NULL;
  GPtrArray *problems;

  g_assert_no_error (error);
  validator = sb_validator_new (sb_draft_get_call (draft));
  problems = sb_validator_validate (validator, draft, flags);
  /* whatever the draft, the checks stay within what the call was
   * admitted with */
  last_steps = sb_validator_get_steps (validator);
  g_assert_cmpuint (last_steps, <=, sb_call_get_cost (sb_draft_get_call (draft)));
  g_assert_cmpuint (sb_call_get_cost (sb_draft_get_call (draft)), <=, SB_EXPR_MAX_STEPS);
  return problems;
}

static SbProblem *
find (GPtrArray  *problems,
      const char *code)
{
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((SbProblem *) g_ptr_array_index (problems, i))->code, code))
      return g_ptr_array_index (problems, i);
  return NULL;
}

static guint
count (GPtrArray  *problems,
       const char *code)
{
  guint n = 0;

  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((SbProblem *) g_ptr_array_index (problems, i))->code, code))
      n++;
  return n;
}

/* An attachment that is a device, a FIFO without a writer or a folder is
 * refused at once, whether named directly or through a symbolic link. */
static void
test_attachment_not_regular (void)
{
  g_autofree char *fifo = g_build_filename (tmp_dir, "pipe.pdf", NULL);
  g_autofree char *folder = g_build_filename (tmp_dir, "folder.pdf", NULL);
  const char *targets[] = { "/dev/zero", "/dev/urandom", "/dev/null", NULL, NULL };

  watchdog ();
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  targets[3] = fifo;
  targets[4] = folder;

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    for (int through_link = 0; through_link < 2; through_link++)
      {
        g_autofree char *link = g_strdup_printf ("%s/link-%u.pdf", tmp_dir, i);
        g_autofree char *draft = NULL;
        g_autoptr(GPtrArray) problems = NULL;
        guint64 before = bytes_read ();
        SbProblem *problem;

        if (through_link)
          {
            g_unlink (link);
            g_assert_cmpint (symlink (targets[i], link), ==, 0);
          }
        /* /dev/zero itself is refused for its name already; through a
         * link named .pdf it reaches the file check */
        if (!through_link && !g_str_has_suffix (targets[i], ".pdf"))
          continue;
        draft = write_draft ("device.json", "", through_link ? link : targets[i]);
        problems = validate_file (draft, SB_VALIDATE_FILES);
        problem = find (problems, "attachment_missing_file");
        g_assert_nonnull (problem);
        g_assert_true (strstr (problem->message_en, "not a regular file") != NULL ||
                       strstr (problem->message_en, "is a folder") != NULL);
        /* the draft and the call are read, the device is not */
        g_assert_cmpuint (bytes_read () - before, <, 64 * 1024);
      }
  g_unlink (fifo);
  g_rmdir (folder);
  alarm (0);
}

/* The size comes from fstat() first: a 2 GB sparse file is refused without
 * reading it, and at most limit + 1 bytes are ever read. */
static void
test_attachment_size (void)
{
  g_autofree char *big = g_build_filename (tmp_dir, "big.pdf", NULL);
  g_autofree char *draft = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  SbFileDigest digest = { 0 };
  g_autoptr(GError) error = NULL;
  guint64 before;
  int fd;

  watchdog ();
  fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "%PDF-", 5), ==, 5);
  g_assert_cmpint (ftruncate (fd, G_GINT64_CONSTANT (2) * 1024 * 1024 * 1024), ==, 0);
  close (fd);

  before = bytes_read ();
  draft = write_draft ("big.json", "", big);
  problems = validate_file (draft, SB_VALIDATE_FILES);
  g_assert_nonnull (find (problems, "attachment_too_large"));
  g_assert_nonnull (strstr (find (problems, "attachment_too_large")->message_en, "is 2048.0 MB, over the limit of 1 MB"));
  g_assert_cmpuint (bytes_read () - before, <, 64 * 1024);

  /* at the limit: read and hashed; one byte more: too large, not read */
  fd = g_open (big, O_WRONLY | O_TRUNC, 0600);
  g_assert_cmpint (ftruncate (fd, 1024 * 1024), ==, 0);
  close (fd);
  before = bytes_read ();
  g_assert_true (sb_file_digest (big, 1024 * 1024, &digest, &error));
  g_assert_no_error (error);
  g_assert_false (digest.too_large);
  g_assert_cmpint (digest.size, ==, 1024 * 1024);
  /* 1 MiB of zeros, as `sha256sum` gives it */
  g_assert_cmpstr (digest.sha256, ==, "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58");
  g_assert_cmpuint (bytes_read () - before, <, 1024 * 1024 + 64 * 1024);
  sb_file_digest_clear (&digest);

  fd = g_open (big, O_WRONLY, 0600);
  g_assert_cmpint (ftruncate (fd, 1024 * 1024 + 1), ==, 0);
  close (fd);
  before = bytes_read ();
  g_assert_true (sb_file_digest (big, 1024 * 1024, &digest, &error));
  g_assert_true (digest.too_large);
  g_assert_null (digest.sha256);
  g_assert_cmpuint (bytes_read () - before, <, 64 * 1024);
  sb_file_digest_clear (&digest);

  /* the same for whole files (drafts, definitions) */
  {
    g_autoptr(GFile) file = g_file_new_for_path (big);
    g_autoptr(GBytes) bytes = sb_file_read (file, 1024 * 1024 + 1, SB_FILE_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (bytes), ==, 1024 * 1024 + 1);
    g_clear_pointer (&bytes, g_bytes_unref);
    bytes = sb_file_read (file, 1024 * 1024, SB_FILE_DEFAULT, &error);
    g_assert_null (bytes);
    g_assert_error (error, SB_ERROR, SB_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }
  g_unlink (big);
  alarm (0);
}

/* The forms folder: a FIFO named x.json does not block, a symbolic link
 * loop of *.json folders is not followed, at most SB_CATALOG_MAX_FILES
 * definitions are read. */
static void
test_forms_folder (void)
{
  g_autofree char *forms = g_build_filename (tmp_dir, "forms", NULL);
  g_autofree char *fifo = g_build_filename (forms, "x.json", NULL);
  g_autofree char *loop = g_build_filename (forms, "loop.json", NULL);
  g_autofree char *inner = g_build_filename (forms, "real.json", NULL);
  g_autofree char *call_file = g_build_filename (forms, "limits.json", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (forms);
  g_autoptr(SbCatalog) forms_catalog = sb_catalog_new ();
  GPtrArray *errors;
  gboolean saw_fifo = FALSE, saw_loop = FALSE;

  watchdog ();
  g_assert_cmpint (g_mkdir (forms, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* loop.json → the folder itself; real.json/ → a folder holding a link back */
  g_assert_cmpint (symlink (".", loop), ==, 0);
  g_assert_cmpint (g_mkdir (inner, 0700), ==, 0);
  {
    g_autofree char *back = g_build_filename (inner, "up.json", NULL);
    g_assert_cmpint (symlink ("..", back), ==, 0);
  }
  g_assert_true (g_file_set_contents (call_file, limits_call, -1, NULL));

  sb_catalog_add_directory (forms_catalog, folder, SB_ORIGIN_USER);
  g_assert_nonnull (sb_catalog_lookup (forms_catalog, "limits", 1));
  errors = sb_catalog_get_errors (forms_catalog);
  g_assert_cmpuint (errors->len, ==, 3);
  for (guint i = 0; i < errors->len; i++)
    {
      GError *error = g_ptr_array_index (errors, i);

      saw_fifo |= strstr (error->message, "x.json: is not a regular file") != NULL;
      saw_loop |= strstr (error->message, "loop.json: is a folder") != NULL;
    }
  g_assert_true (saw_fifo);
  g_assert_true (saw_loop);

  /* exactly SB_CATALOG_MAX_FILES definitions are read, one more is not */
  {
    g_autofree char *many = g_build_filename (tmp_dir, "many", NULL);
    g_autoptr(GFile) many_folder = g_file_new_for_path (many);

    g_assert_cmpint (g_mkdir (many, 0700), ==, 0);
    for (int i = 0; i < SB_CATALOG_MAX_FILES + 1; i++)
      {
        g_autofree char *name = g_strdup_printf ("%s/c%03d.json", many, i);
        g_assert_true (g_file_set_contents (name, "{}", -1, NULL));
      }
    for (int extra = 0; extra < 2; extra++)
      {
        g_autoptr(SbCatalog) capped = sb_catalog_new ();
        guint capped_errors = 0;

        if (extra == 0)
          {
            g_autofree char *last = g_strdup_printf ("%s/c%03d.json", many, SB_CATALOG_MAX_FILES);
            g_assert_cmpint (g_unlink (last), ==, 0);
          }
        else
          {
            g_autofree char *last = g_strdup_printf ("%s/c%03d.json", many, SB_CATALOG_MAX_FILES);
            g_assert_true (g_file_set_contents (last, "{}", -1, NULL));
          }
        sb_catalog_add_directory (capped, many_folder, SB_ORIGIN_USER);
        errors = sb_catalog_get_errors (capped);
        for (guint i = 0; i < errors->len; i++)
          if (g_error_matches (g_ptr_array_index (errors, i), SB_ERROR, SB_ERROR_TOO_LARGE))
            capped_errors++;
        g_assert_cmpuint (capped_errors, ==, extra);
        /* every file read is reported broken ("{}" is not a call) */
        g_assert_cmpuint (errors->len, ==, SB_CATALOG_MAX_FILES + extra);
      }
  }
  alarm (0);
}

/* A call whose checks could exceed the budget on a draft at its limits is
 * refused on load: three nested row functions over 1,000 rows. Two nested
 * ones fit, and a draft with 1,000 rows checks within the budget. */
static void
test_nested_row_functions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *three = g_strdup_printf ("%s \"rules\": [{\"id\": \"deep\", \"severity\": \"error\","
                                            " \"check\": \"all(rows, all(rows, all(rows, rows.v >= 0元)))\","
                                            " \"message\": {\"zh\": \"甲\", \"en\": \"A\"}, \"citation\": {\"clause\": \"一\"}}]}",
                                            LIMITS_CALL_HEAD);
  g_autoptr(GBytes) bytes = g_bytes_new (three, strlen (three));
  g_autoptr(SbCall) call = sb_call_new_from_bytes (bytes, "deep.json", &error);
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *draft = NULL;

  watchdog ();
  g_assert_null (call);
  g_assert_error (error, SB_ERROR, SB_ERROR_EXPRESSION);
  g_assert_nonnull (strstr (error->message, "deep.json: $.rules[0].check"));
  g_assert_nonnull (strstr (error->message, "could need more than 10000000 steps"));

  /* 1,000 rows, 30 a's and a b in each: the rule "twice" visits 10^6 row
   * pairs, and each pattern run hits PCRE2's limit instead of 2^30 steps */
  for (int i = 0; i < SB_DRAFT_MAX_ROWS; i++)
    g_string_append_printf (rows, "%s{\"t\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\", \"v\": 1}", i ? ", " : "");
  {
    g_autofree char *values = g_strdup_printf ("\"code\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\", \"rows\": [%s]", rows->str);
    draft = write_draft ("rows.json", values, NULL);
  }
  problems = validate_file (draft, SB_VALIDATE_DEFAULT);
  /* every cell's pattern is tried once and reported, the rule over all
   * rows stops at the first cell */
  g_assert_cmpuint (count (problems, "evaluation"), ==, SB_DRAFT_MAX_ROWS + 1 + 1);
  g_assert_nonnull (strstr (find (problems, "evaluation")->message_en, "needs too many steps"));
  g_assert_null (find (problems, "twice"));
  g_assert_null (find (problems, "sum"));
  /* all(rows, any(rows, …)) stops at the first row of each any(): some
   * 1,000 × 5 steps, plus the sum, and 1,002 pattern runs (each cell, the
   * code, the first row of the rule "match") */
  g_assert_cmpuint (last_steps, >, 5 * SB_DRAFT_MAX_ROWS + (SB_DRAFT_MAX_ROWS + 2) * SB_EXPR_REGEX_STEPS);
  g_assert_cmpuint (last_steps, <, 10 * SB_DRAFT_MAX_ROWS + (SB_DRAFT_MAX_ROWS + 2) * SB_EXPR_REGEX_STEPS);
  alarm (0);
}

/* A draft that is a FIFO or a device is refused without waiting. */
static void
test_draft_not_regular (void)
{
  g_autofree char *fifo = g_build_filename (tmp_dir, "draft-pipe.json", NULL);
  const char *paths[] = { "/dev/zero", "/dev/urandom", NULL };

  watchdog ();
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  paths[2] = fifo;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);

      g_assert_null (draft);
      g_assert_nonnull (strstr (error->message, "is not a regular file"));
    }
  g_unlink (fifo);
  alarm (0);
}

/* The budget of the whole call: rules that fit one by one but not
 * together are refused on load, with the costliest rule's path. Each
 * all(rows, all(rows, true)) costs 1 + 1 + 1,000 × (1 + 1 + 1,000 + 1,000)
 * steps; the call's patterns 100 for the code and 1,000 × 100 for the
 * column. Four fit, five do not. */
static void
test_call_budget (void)
{
  const guint64 rule = 1 + 1 + 1000 + 1000 * (1 + 1 + 1000 + 1000);
  const guint64 patterns = SB_EXPR_REGEX_STEPS + SB_EXPR_MAX_LIST_ITEMS * SB_EXPR_REGEX_STEPS;

  for (int n = 4; n <= 5; n++)
    {
      g_autoptr(GString) text = g_string_new (LIMITS_CALL_HEAD " \"rules\": [");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SbCall) call = NULL;

      for (int i = 0; i < n; i++)
        g_string_append_printf (text, "%s{\"id\": \"r%d\", \"severity\": \"warning\", \"check\": \"all(rows, all(rows, true))\","
                                " \"message\": {\"zh\": \"甲\", \"en\": \"A\"}, \"citation\": {\"clause\": \"一\"}}",
                                i ? ", " : "", i);
      g_string_append (text, "]}");
      bytes = g_bytes_new (text->str, text->len);
      call = sb_call_new_from_bytes (bytes, "budget.json", &error);
      if (n == 4)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (sb_call_get_cost (call), ==, patterns + 4 * rule);
          g_assert_cmpuint (sb_call_get_cost (call), <=, SB_EXPR_MAX_STEPS);
        }
      else
        {
          g_assert_null (call);
          g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_CALL);
          g_assert_nonnull (strstr (error->message, "budget.json: $.rules[0]: the checks of this call could need "
                                                    "10115110 steps of evaluation on a draft with tables of 1000 rows, "
                                                    "more than the 10000000 a draft may take"));
        }
    }
}

/* At most SB_CALL_MAX_RULES rules: at the limit the call loads, one more
 * is refused. */
static void
test_rules_cap (void)
{
  for (int extra = 0; extra < 2; extra++)
    {
      g_autoptr(GString) text = g_string_new (LIMITS_CALL_HEAD " \"rules\": [");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SbCall) call = NULL;

      for (int i = 0; i < SB_CALL_MAX_RULES + extra; i++)
        g_string_append_printf (text, "%s{\"id\": \"r%d\", \"severity\": \"warning\", \"check\": \"true\","
                                " \"message\": {\"zh\": \"甲\", \"en\": \"A\"}, \"citation\": {\"clause\": \"一\"}}",
                                i ? ", " : "", i);
      g_string_append (text, "]}");
      bytes = g_bytes_new (text->str, text->len);
      call = sb_call_new_from_bytes (bytes, "many.json", &error);
      if (extra == 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (sb_call_count_rules (call), ==, SB_CALL_MAX_RULES);
        }
      else
        {
          g_assert_null (call);
          g_assert_nonnull (strstr (error->message, "many.json: $.rules: the call has 2001 rules; at most 2000"));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (limits_call, strlen (limits_call));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) limits = NULL;
  g_autofree char *command = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("shenbao-limits-XXXXXX", &error);
  g_assert_no_error (error);
  catalog = sb_catalog_new ();
  limits = sb_call_new_from_bytes (bytes, "limits.json", &error);
  g_assert_no_error (error);
  g_assert_true (sb_catalog_add_call (catalog, limits, SB_ORIGIN_COMMAND_LINE, &error));

  g_test_add_func ("/limits/attachment-not-regular", test_attachment_not_regular);
  g_test_add_func ("/limits/attachment-size", test_attachment_size);
  g_test_add_func ("/limits/forms-folder", test_forms_folder);
  g_test_add_func ("/limits/nested-row-functions", test_nested_row_functions);
  g_test_add_func ("/limits/call-budget", test_call_budget);
  g_test_add_func ("/limits/rules-cap", test_rules_cap);
  g_test_add_func ("/limits/draft-not-regular", test_draft_not_regular);

  status = g_test_run ();
  g_object_unref (catalog);

  command = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (command) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (tmp_dir);
  return status;
}
