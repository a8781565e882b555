/* bench-blind-review.c — what the blind review costs, against poppler
 *
 * The reference is poppler-glib alone extracting the text of every page of
 * the same PDF, measured in the same run: the figure says how many plain
 * text extractions one validation of the 衢州 sample with that file as its
 * feasibility report costs (it reads the file, normalises the text and
 * searches it for every identity, besides all other checks of the draft).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <poppler.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-json.h"
#include "sb-validator.h"

#define SECONDS 0.5

typedef void (*Work) (gpointer data);

static double
per_second (Work     work,
            gpointer data)
{
  gint64 start, end;
  guint64 runs = 0;

  for (int i = 0; i < 5; i++)
    work (data);
  start = g_get_monotonic_time ();
  end = start + (gint64) (SECONDS * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end || runs < 20)
    {
      work (data);
      runs++;
    }
  return runs / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static void
extract (gpointer data)
{
  const char *uri = data;
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_free (poppler_page_get_text (page));
      g_object_unref (page);
    }
  g_object_unref (document);
}

typedef struct {
  SbDraft     *draft;
  SbValidator *validator;
} Bench;

static void
validate (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GPtrArray) problems = sb_validator_validate (bench->validator, bench->draft, SB_VALIDATE_FILES);

  g_assert_cmpuint (problems->len, >, 0);
}

int
main (void)
{
  g_autofree char *pdf = g_build_filename (SOURCE_DIR, "resources", "samples", "attachments",
                                           "qz-feasibility-named-p3.pdf", NULL);
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples", "quzhou-2020-jingzheng.json", NULL);
  g_autofree char *uri = g_filename_to_uri (pdf, NULL, NULL);
  g_autoptr(GFile) sample_file = g_file_new_for_path (sample);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *attachments;
  JsonArray *list = json_array_new ();
  JsonObject *ref = json_object_new ();
  Bench bench;
  double reference, measured;
  char *data;
  gsize length;

  setlocale (LC_ALL, "");
  sb_catalog_add_builtin (catalog);
  root = sb_json_parse_file (sample_file, &error);
  g_assert_no_error (error);
  json_object_set_string_member (ref, "file", pdf);
  json_array_add_object_element (list, ref);
  attachments = json_object_get_object_member (json_node_get_object (root), "attachments");
  json_object_set_array_member (attachments, "feasibility_report", list);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (data, length);
  bench.draft = sb_draft_load_bytes (bytes, "bench.json", catalog, &error);
  g_assert_no_error (error);
  sb_draft_set_file (bench.draft, sample_file);
  bench.validator = sb_validator_new (sb_draft_get_call (bench.draft));

  reference = per_second (extract, uri);
  measured = per_second (validate, &bench);
  g_print ("blind review: validating the 衢州 sample with a 3-page PDF costs %.2f poppler text extractions "
           "of that PDF (%.0f validations/s, %.0f extractions/s)\n", reference / measured, measured, reference);

  g_object_unref (bench.validator);
  g_object_unref (bench.draft);
  return 0;
}
