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

#define SECONDS 0.4

typedef void (*Work) (gpointer data);

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

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

static GPtrArray *
list_samples (void)
{
  g_autofree char *dir_path = g_build_filename (SOURCE_DIR, "resources", "samples", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (dir_path, name, NULL));
  return paths;
}

static gssize
allocated (void)
{
  struct mallinfo2 info = mallinfo2 ();
  return info.uordblks + info.hblkhd;
}

static void
bench_one (const char *path,
           SbCatalog  *catalog,
           double     *slowest)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_path_get_basename (path);
  Bench bench = { 0 };
  double parses, validations, with_files;
  gssize before, draft_bytes, json_bytes;

  bench.bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);

  /* memory: 16 copies kept alive at once, so that the allocator's noise
   * averages out */
  {
    g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) parsers = g_ptr_array_new_with_free_func (g_object_unref);

    before = allocated ();
    for (int i = 0; i < 16; i++)
      {
        g_ptr_array_add (drafts, sb_draft_load (file, catalog, &error));
        g_assert_no_error (error);
      }
    draft_bytes = (allocated () - before) / 16;

    before = allocated ();
    for (int i = 0; i < 16; i++)
      {
        JsonParser *parser = json_parser_new_immutable ();

        json_parser_load_from_data (parser, g_bytes_get_data (bench.bytes, NULL), g_bytes_get_size (bench.bytes), NULL);
        g_ptr_array_add (parsers, parser);
      }
    json_bytes = (allocated () - before) / 16;
  }
  bench.draft = sb_draft_load (file, catalog, &error);
  g_assert_no_error (error);
  bench.validator = sb_validator_new (sb_draft_get_call (bench.draft));

  parses = per_second (parse_json, &bench);
  bench.flags = SB_VALIDATE_DEFAULT;
  validations = per_second (validate, &bench);
  bench.flags = SB_VALIDATE_FILES;
  with_files = per_second (validate, &bench);
  *slowest = MIN (*slowest, validations);

  g_print ("%-38s %6" G_GSIZE_FORMAT " %9.0f %9.0f %6.2f× %9.0f %6.2f× %6.2f×\n", name, g_bytes_get_size (bench.bytes),
           parses, validations, validations / parses, with_files, with_files / parses,
           json_bytes > 0 ? (double) draft_bytes / json_bytes : 0.0);

  g_object_unref (bench.validator);
  g_object_unref (bench.draft);
  g_bytes_unref (bench.bytes);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) forms = g_file_new_build_filename (SOURCE_DIR, "forms", NULL);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(GPtrArray) samples = list_samples ();
  double slowest = G_MAXDOUBLE;

  setlocale (LC_ALL, "");
  sb_catalog_add_builtin (catalog);
  sb_catalog_add_directory (catalog, forms, SB_ORIGIN_COMMAND_LINE);
  g_ptr_array_sort (samples, compare_paths);

  g_print ("Per second, on every sample draft; the reference is json-glib parsing the same file.\n");
  g_print ("%-38s %6s %9s %9s %7s %9s %7s %7s\n", "sample", "bytes", "parse/s", "check/s", "ratio",
           "+files/s", "ratio", "memory");
  for (guint i = 0; i < samples->len; i++)
    bench_one (g_ptr_array_index (samples, i), catalog, &slowest);

  g_print ("check/s: rules and fields; +files/s: also opening and hashing the attached files;\n"
           "memory: the loaded draft against json-glib's tree of the same file.\n");
  g_print ("slowest full validation: %.0f per second (%s 10,000)\n", slowest, slowest >= 10000 ? "≥" : "<");
  return 0;
}
