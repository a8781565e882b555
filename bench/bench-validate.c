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

/* A draft at the call's maxima has errors by design (a table at its
 * maximum can break a rule on the number of rows): they are checked all
 * the same. */
static void
validate_any (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GPtrArray) problems = sb_validator_validate (bench->validator, bench->draft, bench->flags);

  g_assert (problems != NULL);
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

/* A draft at the call's maxima, made from its sample: every free text at
 * its max_length (the sample's text repeated), every table at its max_rows
 * (the sample's rows repeated), the texts in their cells at their
 * max_length too. Texts with a format or a pattern keep their value. */
static void
fill_text (JsonObject *values,
           SbField    *field)
{
  const char *id = sb_field_get_id (field);
  g_autoptr(GString) text = NULL;
  const char *seed;
  gint64 max_length;

  if ((sb_field_get_field_type (field) != SB_FIELD_TEXT && sb_field_get_field_type (field) != SB_FIELD_TEXTAREA) ||
      !sb_field_get_max_length (field, &max_length) || sb_field_get_format (field) != SB_FORMAT_NONE ||
      sb_field_get_pattern (field) != NULL)
    return;

  seed = json_object_has_member (values, id) && JSON_NODE_HOLDS_VALUE (json_object_get_member (values, id))
         ? json_object_get_string_member (values, id) : NULL;
  if (seed == NULL || *seed == '\0')
    seed = "申报";
  text = g_string_new (NULL);
  for (gint64 n = 0; n < max_length;)
    for (const char *p = seed; *p != '\0' && n < max_length; p = g_utf8_next_char (p), n++)
      g_string_append_unichar (text, g_utf8_get_char (p));
  json_object_set_string_member (values, id, text->str);
}

static void
fill_table (JsonObject *values,
            SbField    *table)
{
  const char *id = sb_field_get_id (table);
  JsonArray *rows;
  JsonArray *filled;
  gint64 min_rows, max_rows;
  guint seed_rows;

  if (!sb_field_get_row_limits (table, &min_rows, &max_rows) || max_rows < 0 ||
      !json_object_has_member (values, id) || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (values, id)))
    return;
  rows = json_object_get_array_member (values, id);
  seed_rows = json_array_get_length (rows);
  if (seed_rows == 0)
    return;

  filled = json_array_new ();
  for (gint64 i = 0; i < max_rows; i++)
    {
      JsonNode *row = json_node_copy (json_array_get_element (rows, i % seed_rows));
      GPtrArray *columns = sb_field_get_children (table);

      for (guint c = 0; c < columns->len; c++)
        fill_text (json_node_get_object (row), g_ptr_array_index (columns, c));
      json_array_add_element (filled, row);
    }
  json_object_set_array_member (values, id, filled);
}

static char *
write_maxima (const char *sample,
              SbCatalog  *catalog,
              const char *dir)
{
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_load (file, catalog, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  JsonObject *values;
  SbCall *call;

  g_assert_no_error (error);
  call = sb_draft_get_call (draft);
  json_parser_load_from_file (parser, sample, &error);
  g_assert_no_error (error);
  values = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "values");

  for (guint i = 0; i < sb_call_get_fields (call)->len; i++)
    {
      SbField *field = g_ptr_array_index (sb_call_get_fields (call), i);

      if (sb_field_get_field_type (field) == SB_FIELD_TABLE)
        fill_table (values, field);
      else
        fill_text (values, field);
    }

  name = g_strdup_printf ("%s-maxima.json", sb_call_get_id (call));
  path = g_build_filename (dir, name, NULL);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
bench_one (const char *path,
           SbCatalog  *catalog,
           gboolean    maxima,
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
  validations = per_second (maxima ? validate_any : validate, &bench);
  bench.flags = SB_VALIDATE_FILES;
  with_files = per_second (maxima ? validate_any : validate, &bench);
  *slowest = maxima ? MIN (*slowest, validations / parses) : MIN (*slowest, validations);

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
  double slowest = G_MAXDOUBLE, lowest_ratio = G_MAXDOUBLE;
  g_autofree char *tmp_dir = g_dir_make_tmp ("shenbao-bench-XXXXXX", NULL);

  setlocale (LC_ALL, "");
  sb_catalog_add_builtin (catalog);
  sb_catalog_add_directory (catalog, forms, SB_ORIGIN_COMMAND_LINE);
  g_ptr_array_sort (samples, compare_paths);

  g_print ("Per second, on every sample draft; the reference is json-glib parsing the same file.\n");
  g_print ("%-38s %6s %9s %9s %7s %9s %7s %7s\n", "sample", "bytes", "parse/s", "check/s", "ratio",
           "+files/s", "ratio", "memory");
  for (guint i = 0; i < samples->len; i++)
    bench_one (g_ptr_array_index (samples, i), catalog, FALSE, &slowest);

  /* per call, a draft at its maxima, made from the call's own sample */
  g_print ("\nPer second, on a draft at each call's maxima (every free text at its max_length, every table at "
           "its max_rows):\n");
  g_print ("%-38s %6s %9s %9s %7s %9s %7s %7s\n", "draft", "bytes", "parse/s", "check/s", "ratio",
           "+files/s", "ratio", "memory");
  for (guint i = 0; i < samples->len; i++)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (samples, i));
      g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
      g_autofree char *maxima = NULL;

      if (sb_catalog_lookup (catalog, id, 0) == NULL)
        continue;
      maxima = write_maxima (g_ptr_array_index (samples, i), catalog, tmp_dir);
      bench_one (maxima, catalog, TRUE, &lowest_ratio);
      g_unlink (maxima);
    }
  g_rmdir (tmp_dir);

  g_print ("check/s: rules and fields; +files/s: also opening and hashing the attached files;\n"
           "memory: the loaded draft against json-glib's tree of the same file.\n");
  g_print ("slowest full validation: %.0f per second (%s 10,000)\n", slowest, slowest >= 10000 ? "≥" : "<");
  g_print ("lowest ratio at the maxima: %.2f× json-glib's parse rate of the same file (%s 1)\n",
           lowest_ratio, lowest_ratio >= 1.0 ? "≥" : "<");
  return 0;
}
