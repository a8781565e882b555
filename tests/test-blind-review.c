/* test-blind-review.c — the blind review reads the attached files
 *
 * The files are written here with real tools: PDFs with cairo's PDF surface
 * (make-test-document), an encrypted one with qpdf, an image-only one whose
 * text is pixels, .docx files zipped with the zip command. The review runs
 * through the validator on the 衢州 sample, as `shenbao validate` does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sb-blind-review.h"
#include "sb-catalog.h"
#include "sb-checks.h"
#include "sb-draft.h"
#include "sb-error.h"
#include "sb-json.h"
#include "sb-validator.h"

#define UNIT "衢州氟源新材料科技有限公司"

/* a test that hangs fails: SIGALRM's default action ends the process */
#define WATCHDOG_SECONDS 60

static SbCatalog *catalog;
static char *tmp;

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static char *
path_of (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static char *
make_pdf (const char *name,
          const char *page3)
{
  char *path = path_of (name);
  const char *argv[] = { MAKE_TEST_DOCUMENT, "pdf", path, "项目可行性报告", "一、立项依据\n可熔性聚四氟乙烯管材依赖进口。",
                         page3, NULL };
  run (argv);
  return path;
}

/* A .docx put together by the zip command from its XML parts. */
static char *
make_docx_with_zip (const char *name,
                    const char *paragraph,
                    gboolean    with_document)
{
  char *path = path_of (name);
  g_autofree char *dir = path_of ("docx-parts");
  g_autofree char *word = g_build_filename (dir, "word", NULL);
  g_autofree char *rels = g_build_filename (dir, "_rels", NULL);
  g_autofree char *types = g_build_filename (dir, "[Content_Types].xml", NULL);
  g_autofree char *rel = g_build_filename (rels, ".rels", NULL);
  g_autofree char *document = g_build_filename (word, "document.xml", NULL);
  g_autofree char *xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                                          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                                          "<w:body><w:p><w:r><w:t>经费预算列表及说明</w:t></w:r></w:p>"
                                          "<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>", paragraph);
  const char *argv[] = { "sh", "-c", "cd \"$0\" && rm -f \"$1\" && zip -q -r \"$1\" .", dir, path, NULL };

  g_assert_cmpint (g_mkdir_with_parents (word, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (rels, 0700), ==, 0);
  g_assert_true (g_file_set_contents (types, "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", -1, NULL));
  g_assert_true (g_file_set_contents (rel, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>", -1, NULL));
  if (with_document)
    g_assert_true (g_file_set_contents (document, xml, -1, NULL));
  else
    g_unlink (document);
  run (argv);
  return path;
}

/* Validates the 衢州 sample with @file as its feasibility report (or its
 * budget, for a .docx). */
static GPtrArray *
validate_with (const char *slot,
               const char *file)
{
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples", "quzhou-2020-jingzheng.json", NULL);
  g_autoptr(GFile) sample_file = g_file_new_for_path (sample);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = sb_json_parse_file (sample_file, &error);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *attachments;
  JsonArray *list = json_array_new ();
  JsonObject *ref = json_object_new ();
  char *data;
  gsize length;

  g_assert_no_error (error);
  json_object_set_string_member (ref, "file", file);
  json_array_add_object_element (list, ref);
  attachments = json_object_get_object_member (json_node_get_object (root), "attachments");
  json_object_set_array_member (attachments, slot, list);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (data, length);
  draft = sb_draft_load_bytes (bytes, "blind.json", catalog, &error);
  g_assert_no_error (error);
  sb_draft_set_file (draft, sample_file);
  validator = sb_validator_new (sb_draft_get_call (draft));
  return sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
}

static GPtrArray *
blind_problems (GPtrArray *problems)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);
      if (g_str_equal (problem->code, "blind_review"))
        g_ptr_array_add (out, problem);
    }
  return out;
}

static void
test_pdf_page (void)
{
  g_autofree char *named = make_pdf ("named.pdf", "三、研究基础\n本项目由" UNIT "承担。");
  g_autofree char *clean = make_pdf ("clean.pdf", "三、研究基础\n本项目由申报单位承担。");
  g_autoptr(SbFileText) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (named);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) found = NULL;
  SbProblem *problem;

  /* the text layer is read page by page */
  text = sb_file_text_read (file, 20 * 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (text->pages->len, ==, 3);
  g_assert_true (text->paged);
  g_assert_false (sb_text_contains_normalised (g_ptr_array_index (text->pages, 1), UNIT));
  g_assert_true (sb_text_contains_normalised (g_ptr_array_index (text->pages, 2), UNIT));

  problems = validate_with ("feasibility_report", named);
  found = blind_problems (problems);
  g_assert_cmpuint (found->len, ==, 1);
  problem = g_ptr_array_index (found, 0);
  g_assert_cmpint (problem->severity, ==, SB_SEVERITY_ERROR);
  g_assert_cmpstr (problem->path, ==, "$.attachments.feasibility_report[0]");
  g_assert_nonnull (strstr (problem->message_zh, "named.pdf 第3页"));
  g_assert_nonnull (strstr (problem->message_zh, UNIT));
  g_assert_nonnull (strstr (problem->message_en, "page 3 of named.pdf"));
  g_assert_cmpstr (problem->clause, ==, "通知 四、有关事项 7");

  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&found, g_ptr_array_unref);
  problems = validate_with ("feasibility_report", clean);
  found = blind_problems (problems);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
assert_unreadable (const char *path,
                   const char *reason_en)
{
  g_autoptr(GPtrArray) problems = validate_with ("feasibility_report", path);
  g_autoptr(GPtrArray) found = blind_problems (problems);
  SbProblem *problem;

  g_assert_cmpuint (found->len, ==, 1);
  problem = g_ptr_array_index (found, 0);
  g_assert_cmpint (problem->severity, ==, SB_SEVERITY_WARNING);
  g_assert_nonnull (strstr (problem->message_en, reason_en));
  g_assert_nonnull (strstr (problem->message_zh, "无法读取"));
}

static void
test_encrypted_pdf (void)
{
  g_autofree char *named = make_pdf ("to-encrypt.pdf", "三、研究基础\n本项目由" UNIT "承担。");
  g_autofree char *encrypted = path_of ("encrypted.pdf");
  const char *argv[] = { "qpdf", "--encrypt", "user", "owner", "256", "--", named, encrypted, NULL };

  run (argv);
  assert_unreadable (encrypted, "encrypted");
}

static void
test_image_only_pdf (void)
{
  g_autofree char *scan = path_of ("scan.pdf");
  const char *argv[] = { MAKE_TEST_DOCUMENT, "image-pdf", scan, "本项目由" UNIT "承担。", NULL };

  run (argv);
  assert_unreadable (scan, "no text layer");
}

static void
test_docx (void)
{
  g_autofree char *named = make_docx_with_zip ("named.docx", "设备费由" UNIT "自筹。", TRUE);
  g_autofree char *clean = make_docx_with_zip ("clean.docx", "设备费由申报单位自筹。", TRUE);
  g_autofree char *broken = make_docx_with_zip ("broken.docx", "", FALSE);
  g_autoptr(GPtrArray) problems = validate_with ("budget_table", named);
  g_autoptr(GPtrArray) found = blind_problems (problems);
  SbProblem *problem;

  g_assert_cmpuint (found->len, ==, 1);
  problem = g_ptr_array_index (found, 0);
  g_assert_cmpint (problem->severity, ==, SB_SEVERITY_ERROR);
  g_assert_cmpstr (problem->path, ==, "$.attachments.budget_table[0]");
  g_assert_nonnull (strstr (problem->message_zh, "named.docx"));
  g_assert_null (strstr (problem->message_zh, "页"));

  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&found, g_ptr_array_unref);
  problems = validate_with ("budget_table", clean);
  found = blind_problems (problems);
  g_assert_cmpuint (found->len, ==, 0);

  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&found, g_ptr_array_unref);
  problems = validate_with ("budget_table", broken);
  found = blind_problems (problems);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((SbProblem *) g_ptr_array_index (found, 0))->severity, ==, SB_SEVERITY_WARNING);
}

/* The file name is searched too, whether or not its text can be read. */
static void
test_file_name (void)
{
  g_autofree char *path = make_pdf ("郑志远-可行性报告.pdf", "三、研究基础\n本项目由申报单位承担。");
  g_autoptr(GPtrArray) problems = validate_with ("feasibility_report", path);
  g_autoptr(GPtrArray) found = blind_problems (problems);
  SbProblem *problem;

  g_assert_cmpuint (found->len, ==, 1);
  problem = g_ptr_array_index (found, 0);
  g_assert_cmpint (problem->severity, ==, SB_SEVERITY_ERROR);
  g_assert_nonnull (strstr (problem->message_zh, "文件名"));
  g_assert_nonnull (strstr (problem->message_zh, "郑志远"));
}

/* A FIFO or a link to /dev/zero in a blind slot: the attachment checks say
 * what it is, and the blind review neither blocks on the FIFO nor reads
 * the endless device (both would hang this test until the watchdog). */
static void
assert_not_regular (const char *path)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) found = NULL;
  gboolean reported = FALSE;

  problems = validate_with ("feasibility_report", path);
  found = blind_problems (problems);
  /* nothing was read, so nothing was found and no "unreadable text" */
  g_assert_cmpuint (found->len, ==, 0);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, "attachment_missing_file") &&
          g_str_equal (problem->path, "$.attachments.feasibility_report[0]"))
        {
          g_assert_cmpint (problem->severity, ==, SB_SEVERITY_ERROR);
          g_assert_nonnull (strstr (problem->message_en, "not a regular file"));
          g_assert_nonnull (strstr (problem->message_zh, "不是普通文件"));
          reported = TRUE;
        }
    }
  g_assert_true (reported);
}

static void
test_not_regular (void)
{
  g_autofree char *fifo = path_of ("pipe.pdf");
  g_autofree char *zero = path_of ("zero.pdf");
  g_autoptr(SbFileText) text = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  alarm (WATCHDOG_SECONDS);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);

  assert_not_regular (fifo);
  assert_not_regular (zero);

  /* the reader itself refuses them with the core's error */
  file = g_file_new_for_path (zero);
  text = sb_file_text_read (file, 20 * 1024 * 1024, &error);
  g_assert_null (text);
  g_assert_true (error->domain == SB_ERROR);
  g_assert_nonnull (strstr (error->message, "not a regular file"));

  g_unlink (fifo);
  g_unlink (zero);
  alarm (0);
}

/* The text taken from one file is capped: what lies beyond is not searched,
 * and a warning says the rest was not checked. */
static void
test_text_cap (void)
{
  g_autofree char *path = path_of ("long.txt");
  g_autoptr(GString) text = g_string_sized_new (SB_FILE_TEXT_MAX_BYTES + 4096);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(SbFileText) read = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SbProblem *problem;

  while (text->len < SB_FILE_TEXT_MAX_BYTES)
    g_string_append (text, "本项目由申报单位承担。\n");
  g_string_append (text, "本项目由" UNIT "承担。\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  read = sb_file_text_read (file, 20 * 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_true (read->truncated);
  g_assert_cmpuint (read->length, <=, SB_FILE_TEXT_MAX_BYTES);
  g_assert_true (g_utf8_validate (g_ptr_array_index (read->pages, 0), -1, NULL));

  problems = validate_with ("feasibility_report", path);
  found = blind_problems (problems);
  g_assert_cmpuint (found->len, ==, 1);
  problem = g_ptr_array_index (found, 0);
  g_assert_cmpint (problem->severity, ==, SB_SEVERITY_WARNING);
  g_assert_nonnull (strstr (problem->message_en, "Only the first 1 page(s) of long.txt"));
  g_assert_nonnull (strstr (problem->message_zh, "其余部分未检查"));
  g_unlink (path);
}

static void
test_normalised (void)
{
  g_assert_true (sb_text_contains_normalised ("由衢州氟源新材料科技（衢州）有限 公司承担", "衢州氟源新材料科技(衢州)有限公司"));
  g_assert_true (sb_text_contains_normalised ("代码 91330800ma2dk7l534", "91330800MA2DK7L534"));
  g_assert_false (sb_text_contains_normalised ("衢州氟源新材料", "衢州氟源新材料科技有限公司"));
  g_assert_false (sb_text_contains_normalised ("任何文字", ""));
}

/* Blind fields of a definition, and what a definition may not say. */
static const char blind_call[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"blind\", \"version\": 1,"
  " \"title\": {\"zh\": \"测试\", \"en\": \"Test\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "  {\"id\": \"unit\", \"type\": \"text\", \"label\": {\"zh\": \"单位\", \"en\": \"Unit\"}},"
  "  {\"id\": \"summary\", \"type\": \"textarea\", \"label\": {\"zh\": \"摘要\", \"en\": \"Summary\"}}]}],"
  " \"attachments\": [{\"id\": \"report\", \"title\": {\"zh\": \"报告\", \"en\": \"Report\"}, \"citation\": {\"clause\": \"七\"}}],"
  " \"rules\": [@RULE@]}";

static SbCall *
load_blind_call (const char  *rule,
                 GError     **error)
{
  g_autoptr(GString) text = g_string_new (blind_call);
  g_autoptr(GBytes) bytes = NULL;

  g_string_replace (text, "@RULE@", rule, 1);
  bytes = g_bytes_new (text->str, text->len);
  return sb_call_new_from_bytes (bytes, "blind.json", error);
}

static void
test_blind_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = load_blind_call (
    "{\"id\": \"blind\", \"kind\": \"blind_review\", \"severity\": \"error\","
    " \"blind_review\": {\"fields\": [\"summary\"], \"attachments\": [\"report\"],"
    "  \"identities\": [{\"value\": \"unit\", \"kind\": \"organisation\"}]},"
    " \"message\": {\"zh\": \"盲审\", \"en\": \"Blind\"}, \"citation\": {\"clause\": \"七\", \"quote\": \"回避\"}}", &error);
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  draft = sb_draft_new (call);
  sb_draft_set_value (draft, "unit", sb_value_new_string ("景德镇华瓷科技有限公司"));
  sb_draft_set_value (draft, "summary", sb_value_new_string ("项目由景德镇华瓷科技 有限公司牵头。"));
  validator = sb_validator_new (call);
  problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((SbProblem *) g_ptr_array_index (problems, 0))->path, ==, "$.values.summary");
  g_assert_cmpstr (((SbProblem *) g_ptr_array_index (problems, 0))->field_id, ==, "summary");
}

static void
assert_call_rejected (const char *rule,
                      const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = load_blind_call (rule, &error);

  g_assert_null (call);
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not say “%s”", error->message, needle);
}

static void
test_definition_errors (void)
{
  assert_call_rejected ("{\"id\": \"b\", \"kind\": \"blind_review\", \"severity\": \"error\","
                        " \"blind_review\": {\"attachments\": [\"nothing\"], \"identities\": [{\"value\": \"unit\"}]},"
                        " \"message\": {\"zh\": \"盲\", \"en\": \"B\"}, \"citation\": {\"clause\": \"七\"}}",
                        "$.rules[0].blind_review.attachments[0]: the call has no attachment “nothing”");
  assert_call_rejected ("{\"id\": \"b\", \"kind\": \"blind_review\", \"severity\": \"error\","
                        " \"blind_review\": {\"identities\": [{\"value\": \"count(summary)\"}]},"
                        " \"message\": {\"zh\": \"盲\", \"en\": \"B\"}, \"citation\": {\"clause\": \"七\"}}",
                        "identities[0].value");
  assert_call_rejected ("{\"id\": \"b\", \"kind\": \"blind_review\", \"severity\": \"error\", \"check\": \"true\","
                        " \"blind_review\": {\"identities\": []},"
                        " \"message\": {\"zh\": \"盲\", \"en\": \"B\"}, \"citation\": {\"clause\": \"七\"}}",
                        "a blind review has no “check”");
  assert_call_rejected ("{\"id\": \"b\", \"severity\": \"error\", \"basis\": \"ours\", \"check\": \"true\","
                        " \"message\": {\"zh\": \"盲\", \"en\": \"B\"}}",
                        "never an error");
  assert_call_rejected ("{\"id\": \"b\", \"severity\": \"error\", \"check\": \"true\","
                        " \"message\": {\"zh\": \"盲\", \"en\": \"B\"}}",
                        "name the clause");
  assert_call_rejected ("{\"id\": \"b\", \"severity\": \"error\", \"basis\": \"mine\", \"check\": \"true\","
                        " \"message\": {\"zh\": \"盲\", \"en\": \"B\"}}",
                        "“mine” is not one of");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) forms_dir = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  forms_dir = g_file_new_build_filename (SOURCE_DIR, "forms", NULL);
  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);
  sb_catalog_add_directory (catalog, forms_dir, SB_ORIGIN_COMMAND_LINE);
  tmp = g_dir_make_tmp ("shenbao-blind-XXXXXX", NULL);

  g_test_add_func ("/blind-review/pdf-page", test_pdf_page);
  g_test_add_func ("/blind-review/encrypted-pdf", test_encrypted_pdf);
  g_test_add_func ("/blind-review/image-only-pdf", test_image_only_pdf);
  g_test_add_func ("/blind-review/docx", test_docx);
  g_test_add_func ("/blind-review/file-name", test_file_name);
  g_test_add_func ("/blind-review/not-regular", test_not_regular);
  g_test_add_func ("/blind-review/text-cap", test_text_cap);
  g_test_add_func ("/blind-review/normalised", test_normalised);
  g_test_add_func ("/blind-review/blind-field", test_blind_field);
  g_test_add_func ("/blind-review/definition-errors", test_definition_errors);

  status = g_test_run ();
  {
    const char *argv_rm[] = { "rm", "-rf", tmp, NULL };
    run (argv_rm);
  }
  g_free (tmp);
  g_object_unref (catalog);
  return status;
}
