/* test-jcs.c — RFC 8785 canonical JSON and the application digest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sb-application.h"
#include "sb-catalog.h"
#include "sb-jcs.h"
#include "sb-json.h"

static char *
canonical (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sb_json_parse_bytes (bytes, "test", &error);
  char *text;

  g_assert_no_error (error);
  text = sb_jcs_serialize (node, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* RFC 8785 section 3.2.3: sorting by UTF-16 code units, where the emoji
 * (a surrogate pair) sorts before U+FB33 although its code point is higher. */
static void
test_rfc8785_sorting (void)
{
  g_autofree char *text = canonical (
    "{\n"
    "  \"\\u20ac\": \"Euro Sign\",\n"
    "  \"\\r\": \"Carriage Return\",\n"
    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
    "  \"1\": \"One\",\n"
    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
    "  \"\\u0080\": \"Control\",\n"
    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
    "}");

  g_assert_cmpstr (text, ==,
                   "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
                   "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
                   "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
                   "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* RFC 8785 section 3.2.2, with integers in place of its floating-point
 * numbers (Shenbao signs integers only; those are refused below): string
 * escaping, literals, whitespace. */
static void
test_rfc8785_example_integers (void)
{
  g_autofree char *text = canonical (
    "{\n"
    "  \"numbers\": [333333333, 4, 2000, 0, -0, 9007199254740991],\n"
    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
    "  \"literals\": [null, true, false]\n"
    "}");

  g_assert_cmpstr (text, ==,
                   "{\"literals\":[null,true,false],\"numbers\":[333333333,4,2000,0,0,9007199254740991],"
                   "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

static void
test_nesting_and_escapes (void)
{
  g_autofree char *text = canonical (
    "{\"b\": {\"z\": [], \"a\": {}}, \"a\": \"\\u0001\\b\\f\\t\\u001f\\u007f \xf0\xa0\xae\xb7\", \"\": 1}");

  g_assert_cmpstr (text, ==,
                   "{\"\":1,\"a\":\"\\u0001\\b\\f\\t\\u001f\x7f \xf0\xa0\xae\xb7\",\"b\":{\"a\":{},\"z\":[]}}");
}

static void
test_refuses_inexact_numbers (void)
{
  const char *inputs[] = { "[1.5]", "{\"a\": 2e+3}", "[9007199254740992]", "[-9007199254740992]" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (inputs[i], strlen (inputs[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sb_json_parse_bytes (bytes, "test", &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = sb_jcs_serialize (node, NULL, &error);
      g_assert_null (text);
      g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT);
    }
}

static void
test_compare_names (void)
{
  g_assert_cmpint (sb_jcs_compare_names ("a", "b"), <, 0);
  g_assert_cmpint (sb_jcs_compare_names ("ab", "a"), >, 0);
  g_assert_cmpint (sb_jcs_compare_names ("", ""), ==, 0);
  /* U+1F600 (D83D DE00) before U+FB33, after U+20AC */
  g_assert_cmpint (sb_jcs_compare_names ("\xf0\x9f\x98\x80", "\xef\xac\xb3"), <, 0);
  g_assert_cmpint (sb_jcs_compare_names ("\xf0\x9f\x98\x80", "\xe2\x82\xac"), >, 0);
  /* two beyond the BMP with the same high surrogate */
  g_assert_cmpint (sb_jcs_compare_names ("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x81"), <, 0);
}

/* The application object */

static const char small_call[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"small\", \"version\": 3,"
  " \"title\": {\"zh\": \"小\", \"en\": \"Small\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "   {\"id\": \"amount\", \"type\": \"money\", \"label\": {\"zh\": \"金额\", \"en\": \"Amount\"}},"
  "   {\"id\": \"area\", \"type\": \"decimal\", \"decimals\": 2, \"label\": {\"zh\": \"面积\", \"en\": \"Area\"}},"
  "   {\"id\": \"double\", \"type\": \"money\", \"label\": {\"zh\": \"双倍\", \"en\": \"Double\"}, \"calculate\": \"amount * 2\"},"
  "   {\"id\": \"joint\", \"type\": \"yesno\", \"label\": {\"zh\": \"联合\", \"en\": \"Joint\"}},"
  "   {\"id\": \"partner\", \"type\": \"text\", \"label\": {\"zh\": \"合作方\", \"en\": \"Partner\"}, \"relevant\": \"joint\"}"
  " ]}],"
  " \"attachments\": ["
  "   {\"id\": \"plan\", \"title\": {\"zh\": \"计划\", \"en\": \"Plan\"}, \"formats\": [\"pdf\"], \"max_size_mb\": 10,"
  "    \"citation\": {\"clause\": \"一\"}},"
  "   {\"id\": \"contract\", \"title\": {\"zh\": \"合同\", \"en\": \"Contract\"}, \"formats\": [\"pdf\"], \"max_size_mb\": 10,"
  "    \"relevant\": \"joint\", \"citation\": {\"clause\": \"二\"}}"
  " ]}";

static char *tmpdir;
static SbCatalog *catalog;

static SbDraft *
small_draft (const char *joint,
             const char *partner)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"small\", \"version\": 3},"
    " \"values\": {\"amount\": 1500000, \"area\": \"12.5\", \"joint\": %s, \"partner\": \"%s\"},"
    " \"attachments\": {\"plan\": [{\"file\": \"plan.pdf\"}], \"contract\": [{\"file\": \"contract.pdf\"}]}}",
    joint, partner);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_build_filename (tmpdir, "draft.json", NULL);
  SbDraft *draft = sb_draft_load_bytes (bytes, "draft.json", catalog, &error);

  g_assert_no_error (error);
  sb_draft_set_file (draft, file);
  return draft;
}

static char *
openssl_sha256 (const char *path)
{
  const char *argv[] = { "openssl", "dgst", "-sha256", "-r", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strndup (out, 64);
}

static void
test_application_object (void)
{
  g_autoptr(SbDraft) draft = small_draft ("false", "X");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) application = sb_application_build (draft, &error);
  g_autofree char *text = NULL;
  g_autofree char *plan_path = g_build_filename (tmpdir, "plan.pdf", NULL);
  g_autofree char *plan_sha = openssl_sha256 (plan_path);
  g_autofree char *definition_path = g_build_filename (tmpdir, "small.json", NULL);
  g_autofree char *definition_sha = openssl_sha256 (definition_path);
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  text = sb_jcs_serialize (application, NULL, &error);
  g_assert_no_error (error);
  /* hidden: partner and the contract; calculated: double; decimals as text */
  expected = g_strdup_printf ("{\"attachments\":[{\"media_type\":\"application/pdf\",\"name\":\"plan.pdf\","
                              "\"sha256\":\"%s\",\"size\":20,\"slot\":\"plan\"}],"
                              "\"call\":{\"definition_sha256\":\"%s\",\"id\":\"small\",\"version\":3},"
                              "\"values\":{\"amount\":1500000,\"area\":\"12.5\",\"joint\":false}}",
                              plan_sha, definition_sha);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_application_digest (void)
{
  g_autoptr(SbDraft) hidden_x = small_draft ("false", "X");
  g_autoptr(SbDraft) hidden_y = small_draft ("false", "Y");
  g_autoptr(SbDraft) shown_x = small_draft ("true", "X");
  g_autoptr(SbDraft) shown_y = small_draft ("true", "Y");
  g_autoptr(GError) error = NULL;
  g_autofree char *a = sb_application_compute_digest (hidden_x, &error);
  g_autofree char *b = sb_application_compute_digest (hidden_y, &error);
  g_autofree char *c = sb_application_compute_digest (shown_x, &error);
  g_autofree char *d = sb_application_compute_digest (shown_y, &error);
  g_autoptr(JsonNode) application = sb_application_build (shown_x, &error);
  g_autofree char *canonical_text = NULL;
  g_autofree char *canonical_path = g_build_filename (tmpdir, "canonical.json", NULL);
  g_autofree char *independent = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (a), ==, SB_SHA256_HEX_LENGTH);
  /* a hidden value does not count; a shown one does */
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (c, !=, d);

  /* the digest is the SHA-256 of the canonical text, as openssl computes it */
  canonical_text = sb_jcs_serialize (application, &length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (canonical_text, "\"slot\":\"contract\""));
  g_assert_true (g_file_set_contents (canonical_path, canonical_text, length, NULL));
  independent = openssl_sha256 (canonical_path);
  g_assert_cmpstr (c, ==, independent);
}

static void
test_application_missing_file (void)
{
  g_autoptr(SbDraft) draft = small_draft ("true", "X");
  g_autofree char *contract = g_build_filename (tmpdir, "contract.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;

  g_assert_cmpint (g_rename (contract, "contract.pdf.moved"), ==, 0);
  digest = sb_application_compute_digest (draft, &error);
  g_assert_null (digest);
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "contract.pdf"));
  g_assert_cmpint (g_rename ("contract.pdf.moved", contract), ==, 0);
}

static void
test_media_types (void)
{
  g_assert_cmpstr (sb_application_media_type ("a.PDF"), ==, "application/pdf");
  g_assert_cmpstr (sb_application_media_type ("scan.jpeg"), ==, "image/jpeg");
  g_assert_cmpstr (sb_application_media_type ("noext"), ==, "application/octet-stream");
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *definition = NULL;
  g_autoptr(GFile) definition_file = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("shenbao-jcs-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chdir (tmpdir), ==, 0);
  write_file ("small.json", small_call);
  write_file ("plan.pdf", "%PDF-1.4 plan body\n\n");
  write_file ("contract.pdf", "%PDF-1.4 contract\n");
  catalog = sb_catalog_new ();
  definition = g_build_filename (tmpdir, "small.json", NULL);
  definition_file = g_file_new_for_path (definition);
  sb_catalog_add_path (catalog, definition_file, SB_ORIGIN_COMMAND_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sb_catalog_get_errors (catalog)->len, ==, 0);

  g_test_add_func ("/jcs/rfc8785-sorting", test_rfc8785_sorting);
  g_test_add_func ("/jcs/rfc8785-example-integers", test_rfc8785_example_integers);
  g_test_add_func ("/jcs/nesting-and-escapes", test_nesting_and_escapes);
  g_test_add_func ("/jcs/refuses-inexact-numbers", test_refuses_inexact_numbers);
  g_test_add_func ("/jcs/compare-names", test_compare_names);
  g_test_add_func ("/application/object", test_application_object);
  g_test_add_func ("/application/digest", test_application_digest);
  g_test_add_func ("/application/missing-file", test_application_missing_file);
  g_test_add_func ("/application/media-types", test_media_types);

  status = g_test_run ();

  g_object_unref (catalog);
  {
    const char *names[] = { "small.json", "plan.pdf", "contract.pdf", "canonical.json" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      g_unlink (names[i]);
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
