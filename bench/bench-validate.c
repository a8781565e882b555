/* bench-validate.c — how fast a draft is checked, against parsing it
 *
 * The reference is json-glib parsing the very same draft file, measured in
 * the same run, so the figure means the same on any machine: full
 * validation costs this many JSON parses. Memory is compared the same way:
 * the loaded draft against json-glib's tree of the same file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <malloc.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-validator.h"

#define SECONDS 1.5

typedef void (*Work) (gpointer data);

static double
per_second (Work     work,
            gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (SECONDS * G_USEC_PER_SEC);
  guint64 runs = 0;

  /* warm up caches and the allocator first */
  for (int i = 0; i < 50; i++)
    work (data);

  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () < end || runs < 100)
    {
      work (data);
      runs++;
    }
  return runs / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

typedef struct {
  GBytes      *bytes;
  SbDraft     *draft;
  SbValidator *validator;
  SbValidateFlags flags;
} Bench;

static void
parse_json (gpointer data)
{
  Bench *bench = data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *text = g_bytes_get_data (bench->bytes, &length);

  if (!json_parser_load_from_data (parser, text, length, NULL))
    g_error ("the draft does not parse");
}

static void
validate (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GPtrArray) problems = sb_validator_validate (bench->validator, bench->draft, bench->flags);

  if (problems->len > 0 && ((SbProblem *) g_ptr_array_index (problems, 0))->severity == SB_SEVERITY_ERROR)
    g_error ("the sample has errors: %s", ((SbProblem *) g_ptr_array_index (problems, 0))->message_en);
}

static char *
largest_sample (void)
{
  g_autofree char *dir_path = g_build_filename (SOURCE_DIR, "resources", "samples", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  char *best = NULL;
  goffset best_size = -1;
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      GStatBuf st;

      if (!g_str_has_suffix (name, ".json") || g_stat (path, &st) != 0 || st.st_size <= best_size)
        continue;
      best_size = st.st_size;
      g_free (best);
      best = g_steal_pointer (&path);
    }
  return best;
}

static gsize
allocated (void)
{
  struct mallinfo2 info = mallinfo2 ();
  return info.uordblks + info.hblkhd;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = largest_sample ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };

  double parses, validations, with_files;
  gsize before, draft_bytes, json_bytes;

  g_autoptr(GFile) forms = g_file_new_build_filename (SOURCE_DIR, "forms", NULL);

  setlocale (LC_ALL, "");
  sb_catalog_add_builtin (catalog);
  sb_catalog_add_directory (catalog, forms, SB_ORIGIN_COMMAND_LINE);

  bench.bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);

  before = allocated ();
  bench.draft = sb_draft_load (file, catalog, &error);
  g_assert_no_error (error);
  draft_bytes = allocated () - before;
  {
    g_autoptr(JsonParser) parser = json_parser_new_immutable ();

    before = allocated ();
    json_parser_load_from_data (parser, g_bytes_get_data (bench.bytes, NULL), g_bytes_get_size (bench.bytes), NULL);
    json_bytes = allocated () - before;
  }
  bench.validator = sb_validator_new (sb_draft_get_call (bench.draft));

  parses = per_second (parse_json, &bench);
  bench.flags = SB_VALIDATE_DEFAULT;
  validations = per_second (validate, &bench);
  bench.flags = SB_VALIDATE_FILES;
  with_files = per_second (validate, &bench);

  g_print ("draft: %s (%" G_GSIZE_FORMAT " bytes, call %s)\n", path, g_bytes_get_size (bench.bytes),
           sb_call_get_id (sb_draft_get_call (bench.draft)));
  g_print ("reference  json-glib parse of the draft       %10.0f /s\n", parses);
  g_print ("validate   rules and fields                   %10.0f /s   ratio %.2f× the parse rate   %s 10,000/s\n",
           validations, validations / parses, validations >= 10000 ? "≥" : "<");
  g_print ("validate   with attached files opened         %10.0f /s   ratio %.2f× the parse rate\n",
           with_files, with_files / parses);
  g_print ("memory     loaded draft %" G_GSIZE_FORMAT " bytes, json-glib tree %" G_GSIZE_FORMAT " bytes   ratio %.2f×\n",
           draft_bytes, json_bytes, json_bytes ? (double) draft_bytes / json_bytes : 0.0);

  g_object_unref (bench.validator);
  g_object_unref (bench.draft);
  g_bytes_unref (bench.bytes);
  return 0;
}
