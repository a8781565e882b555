/* test-bundle.c — the signed bundle: export, verify, extract, keys, and
 * interoperability with the openssl command and an independent JOSE
 * implementation (npm jose + canonicalize)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sb-application-digest.h"
#include "sb-bundle.h"
#include "sb-catalog.h"
#include "sb-jcs.h"
#include "sb-json.h"
#include "sb-validator.h"

static char *tmpdir;
static rlim_t file_size_limit;  /* of the next shenbao run, if not 0 */

/* no fsync: thousands of small files are written */
static gboolean
set_contents (const char *path,
              const char *contents,
              gssize      length,
              GError    **error)
{
  /* GLib writes over an existing file in place without truncating it here */
  g_unlink (path);
  return g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, 0644, error);
}

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

static const char *data_home;  /* XDG_DATA_HOME for the commands run; NULL: this process's */

/* in the child: files may not grow beyond file_size_limit bytes; a write
 * beyond it fails with EFBIG instead of killing the process */
static void
limit_file_size (gpointer user_data)
{
  struct rlimit limit = { file_size_limit, file_size_limit };

  (void) user_data;
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static void
run_argv (Run               *run,
          const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_cwd (launcher, tmpdir);
  if (data_home != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  if (file_size_limit != 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static void G_GNUC_NULL_TERMINATED
run_shenbao (Run *run,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) BUILD_DIR "/app/shenbao");
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  run_argv (run, (const char *const *) args->pdata);
}

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
copy_example (const char *name)
{
  g_autofree char *from = g_build_filename (SOURCE_DIR, "tests", "bundle", name, NULL);
  g_autofree char *to = in_tmp (name);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (set_contents (to, contents, length, NULL));
}

static void
write_text (const char *name,
            const char *text)
{
  g_autofree char *path = in_tmp (name);
  g_assert_true (set_contents (path, text, -1, NULL));
}

static char *
read_text (const char *name,
           gsize      *length)
{
  g_autofree char *path = in_tmp (name);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

static SbCatalog *
example_catalog (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autofree char *path = in_tmp ("example-call.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  sb_catalog_add_path (catalog, file, SB_ORIGIN_COMMAND_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sb_catalog_get_errors (catalog)->len, ==, 0);
  return g_steal_pointer (&catalog);
}

static SbDraft *
load_draft (const char *name)
{
  g_autoptr(SbCatalog) catalog = example_catalog ();
  g_autofree char *path = in_tmp (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SbDraft *draft = sb_draft_load (file, catalog, &error);

  g_assert_no_error (error);
  return draft;
}

static char *
to_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The example draft with one value replaced (by text substitution). */
static void
write_variant (const char *name,
               const char *from,
               const char *to)
{
  g_autofree char *text = read_text ("example-draft.json", NULL);
  g_autofree char *path = in_tmp (name);
  g_autoptr(GString) changed = g_string_new (text);

  g_assert_nonnull (strstr (text, from));
  g_string_replace (changed, from, to, 1);
  g_assert_true (set_contents (path, changed->str, changed->len, NULL));
}

static char *
export_in_process (SbKey      *key,
                   const char *draft_name,
                   const char *bundle_name,
                   gboolean    skip_validation)
{
  g_autoptr(SbDraft) draft = load_draft (draft_name);
  g_autofree char *path = in_tmp (bundle_name);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *digest = NULL;

  g_assert_true (sb_bundle_export (draft, key, out, skip_validation ? none : NULL, &digest, &error));
  g_assert_no_error (error);
  return digest;
}

static SbBundleReport *
verify_file (const char *name,
             SbKey      *trusted)
{
  g_autofree char *path = in_tmp (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return sb_bundle_verify (file, trusted, NULL);
}

/* Export and verify from the command line */

static void
test_export_and_verify (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) verify = { 0 };
  g_auto(Run) known = { 0 };
  g_auto(Run) as_json = { 0 };
  g_autoptr(SbDraft) draft = load_draft ("example-draft.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = sb_application_compute_digest (draft, &error);
  g_autofree char *expected = g_strdup_printf ("Application digest: %s\n", digest);
  g_autofree char *path = in_tmp ("cli.shenbao.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *result;
  GStatBuf st;

  g_assert_no_error (error);
  run_shenbao (&run, "export", "--forms", "example-call.json", "example-draft.json",
               "--bundle", "cli.shenbao.json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, expected));
  g_assert_nonnull (strstr (run.out, "Key fingerprint: "));
  /* it carries ID numbers and every attachment */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  run_shenbao (&verify, "verify", "cli.shenbao.json", NULL);
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_nonnull (strstr (verify.out, "Integrity: intact"));
  g_assert_nonnull (strstr (verify.out, "definition not built in"));
  g_assert_nonnull (strstr (verify.out, expected + 0));
  g_assert_nonnull (strstr (verify.out, "Re-validation now: 0 errors, 1 warnings"));

  /* a definition this Shenbao does not have built in */
  run_shenbao (&known, "verify", "--require-known", "cli.shenbao.json", NULL);
  g_assert_cmpint (known.status, ==, 1);
  g_assert_nonnull (strstr (known.out, "refused by --require-known"));

  run_shenbao (&as_json, "verify", "--json", "cli.shenbao.json", NULL);
  g_assert_cmpint (as_json.status, ==, 0);
  json_parser_load_from_data (parser, as_json.out, -1, &error);
  g_assert_no_error (error);
  result = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (result, "integrity"), "intact"));
  g_assert_cmpstr (json_object_get_string_member (result, "application_digest"), ==, digest);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "revalidation"), "errors"), ==, 0);
}

/* Text from the bundle (applicant, title) is printed escaped: a newline or
 * an escape sequence in a value cannot draw a line of its own. */
static void
test_verify_output_escaped (void)
{
  g_auto(Run) export = { 0 };
  g_auto(Run) verify = { 0 };

  write_variant ("hostile-draft.json", "\"示例科技有限公司\"",
                 "\"示例\\u001b[2J\\nIntegrity: intact\\u202e\"");
  run_shenbao (&export, "export", "--forms", "example-call.json", "hostile-draft.json",
               "--bundle", "hostile.shenbao.json", NULL);
  g_assert_cmpint (export.status, ==, 0);
  run_shenbao (&verify, "verify", "hostile.shenbao.json", NULL);
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_null (strchr (verify.out, '\033'));
  g_assert_null (strstr (verify.out, "\xe2\x80\xae"));
  g_assert_nonnull (strstr (verify.out, "示例\\u001B[2J\\nIntegrity: intact\\u202E"));
}

static void
test_export_refuses_errors (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *path = in_tmp ("refused.shenbao.json");
  g_autoptr(GDir) dir = NULL;
  const char *name;

  write_variant ("too-much.json", "\"subsidy\": 800000", "\"subsidy\": 1200000");
  run_shenbao (&run, "export", "--forms", "example-call.json", "too-much.json",
               "--bundle", "refused.shenbao.json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "1 error"));
  g_assert_nonnull (strstr (run.err, "$.values.subsidy  [subsidy_cap]"));
  /* nothing written, not even a temporary file */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  dir = g_dir_open (tmpdir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "refused.shenbao.json"));
}

static void
test_export_usage (void)
{
  g_auto(Run) pdf = { 0 };
  g_auto(Run) nothing = { 0 };

  run_shenbao (&pdf, "export", "--forms", "example-call.json", "example-draft.json", "--pdf", "x.pdf", NULL);
  /* the example call has no print template: said, nothing written */
  g_assert_cmpint (pdf.status, ==, 2);
  g_assert_nonnull (strstr (pdf.err, "no print template"));
  {
    g_autofree char *x = in_tmp ("x.pdf");
    g_assert_false (g_file_test (x, G_FILE_TEST_EXISTS));
  }
  run_shenbao (&nothing, "export", "--forms", "example-call.json", "example-draft.json", NULL);
  g_assert_cmpint (nothing.status, ==, 2);
  {
    g_auto(Run) itself = { 0 };
    g_autofree char *before = read_text ("example-draft.json", NULL);
    g_autofree char *after = NULL;

    run_shenbao (&itself, "export", "--forms", "example-call.json", "example-draft.json",
                 "--bundle", "example-draft.json", NULL);
    g_assert_cmpint (itself.status, ==, 2);
    g_assert_nonnull (strstr (itself.err, "the draft itself"));
    after = read_text ("example-draft.json", NULL);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_verify_exit_codes (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) changed = NULL;
  g_auto(Run) bad = { 0 };
  g_auto(Run) unreadable = { 0 };
  g_auto(Run) revalidation = { 0 };
  g_auto(Run) mixed = { 0 };

  /* intact, but the values break a rule: only export's own check stopped them */
  write_variant ("too-much.json", "\"subsidy\": 800000", "\"subsidy\": 1200000");
  g_free (export_in_process (key, "too-much.json", "errors.shenbao.json", TRUE));
  run_shenbao (&revalidation, "verify", "errors.shenbao.json", NULL);
  g_assert_cmpint (revalidation.status, ==, 3);
  g_assert_nonnull (strstr (revalidation.out, "Integrity: intact"));
  g_assert_nonnull (strstr (revalidation.out, "subsidy_cap"));

  digest = export_in_process (key, "example-draft.json", "good.shenbao.json", FALSE);
  text = read_text ("good.shenbao.json", NULL);
  changed = g_string_new (text);
  g_assert_cmpuint (g_string_replace (changed, "\"subsidy\":800000", "\"subsidy\":800001", 1), ==, 1);
  write_text ("changed.shenbao.json", changed->str);
  run_shenbao (&bad, "verify", "changed.shenbao.json", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.out, "NOT INTACT (value changed)"));

  run_shenbao (&unreadable, "verify", "no-such.shenbao.json", NULL);
  g_assert_cmpint (unreadable.status, ==, 2);

  /* one verdict per file; an integrity failure outranks the rest */
  run_shenbao (&mixed, "verify", "good.shenbao.json", "errors.shenbao.json", "no-such.shenbao.json",
               "changed.shenbao.json", NULL);
  g_assert_cmpint (mixed.status, ==, 1);
}

static SbBundleIntegrity
integrity_after (const char *text,
                 const char *from,
                 const char *to)
{
  g_autoptr(GString) changed = g_string_new (text);
  g_autoptr(SbBundleReport) report = NULL;

  g_assert_cmpuint (g_string_replace (changed, from, to, 1), ==, 1);
  write_text ("reason.shenbao.json", changed->str);
  report = verify_file ("reason.shenbao.json", NULL);
  g_assert_true ((report->reason == NULL) == (report->integrity == SB_BUNDLE_INTACT));
  if (report->reason != NULL)
    g_test_message ("%s → %s: %s", from, to, report->reason);
  return report->integrity;
}

/* Each kind of damage is named as such. */
static void
test_integrity_reasons (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "reasons.shenbao.json", FALSE);
  g_autofree char *text = read_text ("reasons.shenbao.json", NULL);
  g_autofree char *plan_sha = NULL;
  g_autofree char *plan_path = in_tmp ("plan.pdf");
  g_autoptr(GFile) plan = g_file_new_for_path (plan_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *files_key = NULL;

  g_assert_true (sb_sha256_file (plan, &plan_sha, NULL, &error));
  files_key = g_strdup_printf ("\"%s\":\"", plan_sha);

  g_assert_cmpint (integrity_after (text, "\"subsidy\":800000", "\"subsidy\":800009"), ==, SB_BUNDLE_VALUE_CHANGED);
  g_assert_cmpint (integrity_after (text, "示例科技局", "示例科学局"), ==, SB_BUNDLE_DEFINITION_MISMATCH);
  /* %PDF-1.4 becomes %PDF-1.5 */
  g_assert_cmpint (integrity_after (text, "JVBERi0xLjQK", "JVBERi0xLjUK"), ==, SB_BUNDLE_ATTACHMENT_MISMATCH);
  g_assert_cmpint (integrity_after (text, files_key,
                                    "\"0000000000000000000000000000000000000000000000000000000000000000\":\""),
                   ==, SB_BUNDLE_ATTACHMENT_MISMATCH);
  g_assert_cmpint (integrity_after (text, "{\"format\":", "{\"extra\":1,\"format\":"), ==, SB_BUNDLE_MALFORMED);
  g_assert_cmpint (integrity_after (text, "{\"format\":", "{\"format_version\":1,\"format\":"), ==, SB_BUNDLE_MALFORMED);
  g_assert_cmpint (integrity_after (text, "\"format_version\":1", "\"format_version\":2"), ==, SB_BUNDLE_MALFORMED);
  g_assert_cmpint (integrity_after (text, "\n}\n", "\n}\n{}"), ==, SB_BUNDLE_MALFORMED);
  /* whitespace between members is free */
  g_assert_cmpint (integrity_after (text, ",\n\"manifest\":", " ,\r\n\t\"manifest\" : "), ==, SB_BUNDLE_INTACT);
  /* another JSON writer may escape "/" in base64: 0xFF 0xFF 0xFF is "////" */
  {
    static const char slash_pdf[] = "%PDF-1.4\n\xff\xff\xff\n%%EOF\n";
    g_autofree char *slash_path = in_tmp ("plan-slash.pdf");
    g_autofree char *slash_digest = NULL;
    g_autofree char *slash_text = NULL;

    g_assert_true (set_contents (slash_path, slash_pdf, sizeof slash_pdf - 1, NULL));
    write_variant ("slash-draft.json", "\"plan.pdf\"", "\"plan-slash.pdf\"");
    slash_digest = export_in_process (key, "slash-draft.json", "slash.shenbao.json", FALSE);
    slash_text = read_text ("slash.shenbao.json", NULL);
    g_assert_cmpint (integrity_after (slash_text, "////", "\\/\\/\\/\\/"), ==, SB_BUNDLE_INTACT);
    g_assert_cmpint (integrity_after (slash_text, "////", "\\/\\/\\/\\n"), ==, SB_BUNDLE_MALFORMED);
  }
  g_assert_cmpuint (strlen (digest), ==, SB_SHA256_HEX_LENGTH);
}

/* "alg": "EdDSA" (before RFC 9864) is accepted: the bundle re-signed with it. */
static void
test_eddsa_accepted (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "eddsa.shenbao.json", FALSE);
  g_autofree char *path = in_tmp ("eddsa.shenbao.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) header = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(SbBundleReport) report = NULL;
  g_autofree char *header_text = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *input = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *kid = sb_key_get_fingerprint (key);
  JsonObject *root, *protected_header;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  protected_header = json_object_new ();
  json_object_set_string_member (protected_header, "alg", "EdDSA");
  json_object_set_boolean_member (protected_header, "b64", FALSE);
  json_object_set_array_member (protected_header, "crit", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (protected_header, "crit"), "b64");
  json_object_set_member (protected_header, "jwk", sb_key_to_jwk (key));
  json_object_set_string_member (protected_header, "kid", kid);
  header = json_node_init_object (json_node_alloc (), protected_header);
  json_object_unref (protected_header);
  header_text = sb_jcs_serialize (header, NULL, &error);
  g_assert_no_error (error);
  header_b64 = sb_base64url_encode (header_text, strlen (header_text));
  payload = sb_jcs_serialize (json_object_get_member (root, "manifest"), NULL, &error);
  g_assert_no_error (error);
  input = g_strconcat (header_b64, ".", payload, NULL);
  signature = sb_key_sign (key, input, strlen (input), &error);
  g_assert_no_error (error);
  signature_b64 = sb_base64url_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  json_object_set_string_member (json_object_get_object_member (root, "signature"), "protected", header_b64);
  json_object_set_string_member (json_object_get_object_member (root, "signature"), "signature", signature_b64);
  text = to_json (json_parser_get_root (parser));
  write_text ("eddsa.shenbao.json", text);

  report = verify_file ("eddsa.shenbao.json", key);
  g_assert_cmpint (report->integrity, ==, SB_BUNDLE_INTACT);
  g_assert_cmpstr (report->application_digest, ==, digest);
}

/* A built-in call: --require-known accepts it. */
static void
test_builtin_definition (void)
{
  g_autofree char *sample = g_build_filename (SOURCE_DIR, "resources", "samples", "nantong-2023-qianzhan.json", NULL);
  g_auto(Run) export = { 0 };
  g_auto(Run) verify = { 0 };

  run_shenbao (&export, "export", sample, "--bundle", "nantong.shenbao.json", NULL);
  g_assert_cmpint (export.status, ==, 0);
  run_shenbao (&verify, "verify", "--require-known", "nantong.shenbao.json", NULL);
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_nonnull (strstr (verify.out, "(definition built in)"));
}

/* Every single-byte change of the manifest, the definition or the files
 * is rejected. */
static void
test_single_byte_changes (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "small.shenbao.json", FALSE);
  g_autoptr(SbBundleReport) fresh = verify_file ("small.shenbao.json", NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  const char *starts[] = { "\"files\":{", "\"manifest\":", "\"definition\":" };
  const char *ends[] = { ",\n\"manifest\"", ",\n\"definition\"", ",\n\"signature\"" };
  guint tried = 0;

  g_assert_cmpint (fresh->integrity, ==, SB_BUNDLE_INTACT);
  g_assert_cmpstr (fresh->application_digest, ==, digest);
  text = read_text ("small.shenbao.json", &length);

  for (guint r = 0; r < G_N_ELEMENTS (starts); r++)
    {
      const char *start = strstr (text, starts[r]);
      const char *end = strstr (text, ends[r]);

      g_assert_nonnull (start);
      g_assert_nonnull (end);
      /* the member's value, every byte of it */
      for (gsize i = (start - text) + strlen (starts[r]) - (r == 0 ? 1 : 0); i < (gsize) (end - text); i++)
        {
          const guint8 flips[] = { 0x01, 0x20 };

          for (guint f = 0; f < G_N_ELEMENTS (flips); f++)
            {
              g_autofree char *copy = g_memdup2 (text, length);
              g_autoptr(SbBundleReport) report = NULL;
              g_autofree char *path = in_tmp ("flipped.shenbao.json");

              copy[i] ^= flips[f];
              g_assert_true (set_contents (path, copy, length, NULL));
              report = verify_file ("flipped.shenbao.json", NULL);
              if (report->integrity == SB_BUNDLE_INTACT)
                g_error ("a change of byte %" G_GSIZE_FORMAT " (%c→%c) went unnoticed", i, text[i], copy[i]);
              tried++;
            }
        }
    }
  g_test_message ("%u single-byte changes, all rejected", tried);
  g_assert_cmpuint (tried, >, 2000);
}

static void
test_wrong_key (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autoptr(SbKey) other = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "signed.shenbao.json", FALSE);
  g_autoptr(SbBundleReport) right = verify_file ("signed.shenbao.json", key);
  g_autoptr(SbBundleReport) wrong = verify_file ("signed.shenbao.json", other);
  g_autofree char *pem = sb_key_to_public_pem (other);
  g_autofree char *own_pem = sb_key_to_public_pem (key);
  g_auto(Run) cli_wrong = { 0 };
  g_auto(Run) cli_right = { 0 };

  g_assert_cmpint (right->integrity, ==, SB_BUNDLE_INTACT);
  g_assert_cmpstr (right->application_digest, ==, digest);
  g_assert_cmpint (wrong->integrity, ==, SB_BUNDLE_WRONG_KEY);

  write_text ("other.pem", pem);
  write_text ("own.pem", own_pem);
  {
    g_autoptr(JsonNode) jwk = sb_key_to_jwk (key);
    g_autofree char *jwk_text = to_json (jwk);
    g_auto(Run) cli_jwk = { 0 };

    write_text ("own.jwk", jwk_text);
    run_shenbao (&cli_jwk, "verify", "--key", "own.jwk", "signed.shenbao.json", NULL);
    g_assert_cmpint (cli_jwk.status, ==, 0);
  }
  run_shenbao (&cli_wrong, "verify", "--key", "other.pem", "signed.shenbao.json", NULL);
  g_assert_cmpint (cli_wrong.status, ==, 1);
  g_assert_nonnull (strstr (cli_wrong.out, "wrong key"));
  run_shenbao (&cli_right, "verify", "--key", "own.pem", "signed.shenbao.json", NULL);
  g_assert_cmpint (cli_right.status, ==, 0);
}

/* Keys */

static void
test_key_file_mode (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *path = in_tmp ("open.pem");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) loaded = NULL;
  g_autoptr(SbKey) checked = NULL;

  g_assert_true (sb_key_save (key, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (sb_key_file_is_encrypted (file));
  loaded = sb_key_load_private (file, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (sb_key_equal (key, loaded));

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  checked = sb_key_load_private (file, NULL, TRUE, &error);
  g_assert_null (checked);
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "can be read by other users"));
}

static void
test_default_key_mode_refused (void)
{
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);
  g_autofree char *fingerprint = NULL;
  g_autofree char *shown = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) after = { 0 };
  GStatBuf st;

  g_assert_no_error (error);
  fingerprint = sb_key_get_fingerprint (key);
  g_assert_cmpint (g_stat (g_file_peek_path (file), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autoptr(GFile) folder = g_file_get_parent (file);
    g_assert_cmpint (g_stat (g_file_peek_path (folder), &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

  g_assert_cmpint (g_chmod (g_file_peek_path (file), 0644), ==, 0);
  run_shenbao (&run, "export", "--forms", "example-call.json", "example-draft.json",
               "--bundle", "mode.shenbao.json", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "can be read by other users"));
  g_assert_false (g_file_test ("mode.shenbao.json", G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_chmod (g_file_peek_path (file), 0600), ==, 0);
  run_shenbao (&after, "key", "show", NULL);
  g_assert_cmpint (after.status, ==, 0);
  shown = g_strdup_printf ("Key fingerprint: %s\n", fingerprint);
  g_assert_nonnull (strstr (after.out, shown));
}

static void
test_passphrase (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *path = in_tmp ("locked.pem");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) without = NULL;
  g_autoptr(SbKey) wrong = NULL;
  g_autoptr(SbKey) right = NULL;
  g_autofree char *pem = NULL;

  g_assert_true (sb_key_save (key, file, "correct horse", &error));
  g_assert_no_error (error);
  pem = read_text ("locked.pem", NULL);
  g_assert_nonnull (strstr (pem, "BEGIN ENCRYPTED PRIVATE KEY"));
  g_assert_true (sb_key_file_is_encrypted (file));

  without = sb_key_load_private (file, NULL, TRUE, &error);
  g_assert_null (without);
  g_assert_nonnull (strstr (error->message, "--passphrase-file"));
  g_clear_error (&error);
  wrong = sb_key_load_private (file, "battery staple", TRUE, &error);
  g_assert_null (wrong);
  g_assert_nonnull (strstr (error->message, "passphrase is wrong"));
  g_clear_error (&error);
  right = sb_key_load_private (file, "correct horse", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (sb_key_equal (key, right));
}

/* A passphrase from the command line: a new key made with it, then needed. */
static void
test_passphrase_commands (void)
{
  g_autofree char *home = in_tmp ("xdg-passphrase");
  g_auto(Run) first = { 0 };
  g_auto(Run) without = { 0 };
  g_auto(Run) wrong = { 0 };
  g_auto(Run) with = { 0 };
  g_auto(Run) show = { 0 };
  g_autofree char *key_path = g_build_filename (home, "shenbao", "keys", "ed25519.pem", NULL);
  g_autoptr(GFile) key_file = g_file_new_for_path (key_path);

  write_text ("passphrase.txt", "correct horse\n");
  write_text ("wrong-passphrase.txt", "battery staple\n");
  data_home = home;
  run_shenbao (&first, "export", "--forms", "example-call.json", "example-draft.json",
               "--passphrase-file", "passphrase.txt", "--bundle", "locked-1.shenbao.json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "A signing key was made"));
  g_assert_true (sb_key_file_is_encrypted (key_file));

  run_shenbao (&without, "export", "--forms", "example-call.json", "example-draft.json",
               "--bundle", "locked-2.shenbao.json", NULL);
  g_assert_cmpint (without.status, ==, 2);
  g_assert_nonnull (strstr (without.err, "--passphrase-file"));
  run_shenbao (&wrong, "key", "show", "--passphrase-file", "wrong-passphrase.txt", NULL);
  g_assert_cmpint (wrong.status, ==, 2);
  g_assert_nonnull (strstr (wrong.err, "passphrase is wrong"));
  run_shenbao (&with, "export", "--forms", "example-call.json", "example-draft.json",
               "--passphrase-file", "passphrase.txt", "--bundle", "locked-2.shenbao.json", NULL);
  g_assert_cmpint (with.status, ==, 0);
  g_assert_null (strstr (with.out, "A signing key was made"));
  run_shenbao (&show, "key", "show", "--passphrase-file", "passphrase.txt", NULL);
  g_assert_cmpint (show.status, ==, 0);
  data_home = NULL;
}

/* A failure while writing leaves neither the bundle nor a temporary file. */
static void
test_export_failure_leaves_nothing (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *path = in_tmp ("failed.shenbao.json");
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  char *digest = NULL;
  const char *name;

  write_variant ("missing-file.json", "\"plan.pdf\"", "\"no-such-plan.pdf\"");
  draft = load_draft ("missing-file.json");
  /* validation would have refused it; here the reading fails mid-way */
  g_assert_false (sb_bundle_export (draft, key, out, none, &digest, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no-such-plan.pdf"));
  g_assert_null (digest);
  dir = g_dir_open (tmpdir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_null (strstr (name, "failed.shenbao.json"));
}

/* An attachment that changes between validation and export: the bytes
 * streamed into the bundle must be the ones validation read, whether the
 * size changes or only the content (same size, another SHA-256). */
static void
assert_export_refuses_change (SbKey       *key,
                              const char  *draft_name,
                              const char  *attachment,
                              const char  *replacement,
                              gsize        replacement_length)
{
  g_autoptr(SbDraft) draft = load_draft (draft_name);
  g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (draft));
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *attachment_path = in_tmp (attachment);
  g_autofree char *path = in_tmp ("attachment-changed.shenbao.json");
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  char *digest = NULL;
  guint errors, warnings, infos;
  const char *name;

  problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
  sb_problems_count (problems, &errors, &warnings, &infos);
  g_assert_cmpuint (errors, ==, 0);

  /* the file changes after validation read it, before export reads it */
  g_assert_true (set_contents (attachment_path, replacement, replacement_length, NULL));

  g_assert_false (sb_bundle_export_validated (draft, key, out, validator, problems, &digest, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, attachment_path));
  g_assert_nonnull (strstr (error->message, "attachment “plan”"));
  g_assert_nonnull (strstr (error->message, "changed after it was checked"));
  g_assert_null (digest);
  /* nothing under the final name, no temporary file beside it */
  dir = g_dir_open (tmpdir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_null (strstr (name, "attachment-changed.shenbao.json"));
}

static void
test_export_attachment_changed (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *plan = read_text ("plan.pdf", NULL);
  gsize length = strlen (plan);
  g_autofree char *same_size = g_strdup (plan);
  g_autofree char *longer = g_strconcat (plan, "% appended after validation\n", NULL);

  write_variant ("changing-draft.json", "\"plan.pdf\"", "\"changing-plan.pdf\"");
  /* same size, one byte different: only the SHA-256 tells */
  same_size[length - 2] ^= 0x01;
  write_text ("changing-plan.pdf", plan);
  assert_export_refuses_change (key, "changing-draft.json", "changing-plan.pdf", same_size, length);
  write_text ("changing-plan.pdf", plan);
  assert_export_refuses_change (key, "changing-draft.json", "changing-plan.pdf", longer, strlen (longer));

  /* unchanged, the same two calls export it */
  write_text ("changing-plan.pdf", plan);
  {
    g_autoptr(SbDraft) draft = load_draft ("changing-draft.json");
    g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (draft));
    g_autoptr(GPtrArray) problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
    g_autofree char *path = in_tmp ("attachment-changed.shenbao.json");
    g_autoptr(GFile) out = g_file_new_for_path (path);
    g_autoptr(GError) error = NULL;
    g_autofree char *digest = NULL;
    g_autoptr(SbBundleReport) report = NULL;

    g_assert_true (sb_bundle_export_validated (draft, key, out, validator, problems, &digest, &error));
    g_assert_no_error (error);
    report = verify_file ("attachment-changed.shenbao.json", key);
    g_assert_cmpint (report->integrity, ==, SB_BUNDLE_INTACT);
    g_unlink (path);
  }
}

/* A key made by openssl itself is imported; its public key as Shenbao
 * exports it is the one openssl derives. */
static void
test_key_commands (void)
{
  g_autofree char *key_path = in_tmp ("openssl-key.pem");
  g_autofree char *pub_path = in_tmp ("openssl-pub.pem");
  const char *genpkey[] = { "openssl", "genpkey", "-algorithm", "ed25519", "-out", key_path, NULL };
  const char *pkey[] = { "openssl", "pkey", "-in", key_path, "-pubout", "-out", pub_path, NULL };
  g_auto(Run) gen = { 0 };
  g_auto(Run) pub = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) export_pem = { 0 };
  g_auto(Run) export_jwk = { 0 };
  g_autofree char *openssl_pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) jwk_file = NULL;
  g_autoptr(SbKey) from_jwk = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *show_line = NULL;
  g_autofree char *jwk_path = in_tmp ("exported.jwk");

  run_argv (&gen, genpkey);
  g_assert_cmpint (gen.status, ==, 0);
  run_argv (&pub, pkey);
  g_assert_cmpint (pub.status, ==, 0);

  /* a key exists already (made by the tests before): import asks for --replace */
  {
    g_autoptr(SbKey) existing = sb_key_load_default (NULL, TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (sb_key_has_private (existing));
  }
  run_shenbao (&refused, "key", "import", key_path, NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "--replace"));
  run_shenbao (&import, "key", "import", "--replace", key_path, NULL);
  g_assert_cmpint (import.status, ==, 0);
  /* the replaced key is kept beside the new one, private, and is the old key */
  {
    const char *kept = strstr (import.out, "The replaced key is kept as ");
    g_autofree char *backup_path = NULL;
    g_autoptr(GFile) backup = NULL;
    g_autoptr(SbKey) old_key = NULL;
    g_autoptr(SbKey) existing = sb_key_load_default (NULL, FALSE, NULL);
    GStatBuf st;

    g_assert_nonnull (kept);
    kept += strlen ("The replaced key is kept as ");
    backup_path = g_strndup (kept, strcspn (kept, "\n"));
    g_assert_true (g_str_has_suffix (backup_path, ".bak"));
    g_assert_cmpint (g_stat (backup_path, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
    backup = g_file_new_for_path (backup_path);
    old_key = sb_key_load_private (backup, NULL, TRUE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (existing);
    g_assert_false (sb_key_equal (old_key, existing));
  }

  run_shenbao (&export_pem, "key", "export", "--format", "pem", NULL);
  g_assert_cmpint (export_pem.status, ==, 0);
  openssl_pub = read_text ("openssl-pub.pem", NULL);
  g_assert_cmpstr (export_pem.out, ==, openssl_pub);

  run_shenbao (&export_jwk, "key", "export", "--format", "jwk", NULL);
  g_assert_cmpint (export_jwk.status, ==, 0);
  g_assert_true (set_contents (jwk_path, export_jwk.out, -1, NULL));
  jwk_file = g_file_new_for_path (jwk_path);
  from_jwk = sb_key_load_public (jwk_file, &error);
  g_assert_no_error (error);
  fingerprint = sb_key_get_fingerprint (from_jwk);

  run_shenbao (&show, "key", "show", NULL);
  g_assert_cmpint (show.status, ==, 0);
  show_line = g_strdup_printf ("Key fingerprint: %s\n", fingerprint);
  g_assert_nonnull (strstr (show.out, show_line));
}

static char *
key_folder_listing (const char *home)
{
  g_autofree char *folder = g_build_filename (home, "shenbao", "keys", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* An import whose final save fails (here: the file size limit stops the
 * passphrase-protected key, while the 119-byte backup of the old one fits)
 * says so, leaves the key in use as it was and no backup of it behind. */
static void
test_key_import_save_fails (void)
{
  g_autofree char *home = in_tmp ("xdg-import-fails");
  g_autofree char *first_path = in_tmp ("import-first.pem");
  g_autofree char *second_path = in_tmp ("import-second.pem");
  const char *gen_first[] = { "openssl", "genpkey", "-algorithm", "ed25519", "-out", first_path, NULL };
  const char *gen_second[] = { "openssl", "genpkey", "-algorithm", "ed25519", "-out", second_path, NULL };
  g_autoptr(GFile) first_file = g_file_new_for_path (first_path);
  g_autoptr(GFile) key_file = g_file_new_build_filename (home, "shenbao", "keys", "ed25519.pem", NULL);
  g_autoptr(SbKey) first = NULL;
  g_autoptr(SbKey) in_use = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Run) gen1 = { 0 };
  g_auto(Run) gen2 = { 0 };
  g_auto(Run) imported = { 0 };
  g_auto(Run) failed = { 0 };
  g_auto(Run) again = { 0 };

  run_argv (&gen1, gen_first);
  g_assert_cmpint (gen1.status, ==, 0);
  run_argv (&gen2, gen_second);
  g_assert_cmpint (gen2.status, ==, 0);
  write_text ("import-passphrase.txt", "correct horse\n");
  data_home = home;
  run_shenbao (&imported, "key", "import", first_path, NULL);
  g_assert_cmpint (imported.status, ==, 0);
  before = key_folder_listing (home);

  file_size_limit = 200;
  run_shenbao (&failed, "key", "import", "--replace", "--new-passphrase-file", "import-passphrase.txt",
               second_path, NULL);
  file_size_limit = 0;
  g_test_message ("%s", failed.err);
  g_assert_cmpint (failed.status, ==, 2);
  g_assert_nonnull (strstr (failed.err, "the key in use is unchanged"));
  g_assert_nonnull (strstr (failed.err, "ed25519.pem"));
  after = key_folder_listing (home);
  g_assert_cmpstr (after, ==, before);
  first = sb_key_load_private (first_file, NULL, FALSE, &error);
  g_assert_no_error (error);
  in_use = sb_key_load_private (key_file, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (sb_key_equal (in_use, first));

  /* without the limit the same import goes through: the limit was the cause */
  run_shenbao (&again, "key", "import", "--replace", "--new-passphrase-file", "import-passphrase.txt",
               second_path, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (sb_key_file_is_encrypted (key_file));
  data_home = NULL;
}

/* RFC 7638 section 3.1's example is RSA; this checks the thumbprint of an
 * Ed25519 key (RFC 8037 appendix A.3). */
static void
test_rfc8037_thumbprint (void)
{
  const char *text = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sb_json_parse_bytes (bytes, "jwk", &error);
  g_autoptr(SbKey) key = sb_key_new_from_jwk (node, &error);
  g_autofree char *fingerprint = NULL;

  g_assert_no_error (error);
  fingerprint = sb_key_get_fingerprint (key);
  g_assert_cmpstr (fingerprint, ==, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

/* Extract */

static void
test_extract (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "extract.shenbao.json", FALSE);
  g_autofree char *folder = in_tmp ("extracted");
  g_autofree char *draft_path = g_build_filename (folder, "draft.json", NULL);
  g_autofree char *definition_path = g_build_filename (folder, "bundle-example-v1.json", NULL);
  g_autofree char *plan_path = g_build_filename (folder, "attachments", "plan", "plan.pdf", NULL);
  g_autofree char *original = NULL;
  g_autofree char *copy = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) validate = { 0 };
  g_auto(Run) tampered = { 0 };
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(GFile) definition = g_file_new_for_path (definition_path);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *extracted_digest = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) changed = NULL;

  run_shenbao (&run, "extract", "extract.shenbao.json", "extracted", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (plan_path, &copy, NULL, NULL));
  original = read_text ("plan.pdf", NULL);
  g_assert_cmpstr (copy, ==, original);
  /* the hidden value and the unneeded attachment were never in the bundle */
  text = read_text ("extracted/draft.json", NULL);
  g_assert_null (strstr (text, "hidden"));
  g_assert_null (strstr (text, "agreement"));
  g_assert_nonnull (strstr (text, "subsidy_large"));

  /* the extracted draft opens again, and is the same application */
  run_shenbao (&validate, "validate", "--forms", "extracted/bundle-example-v1.json", "extracted/draft.json", NULL);
  g_assert_cmpint (validate.status, ==, 0);
  sb_catalog_add_path (catalog, definition, SB_ORIGIN_COMMAND_LINE, &error);
  g_assert_no_error (error);
  draft = sb_draft_load (draft_file, catalog, &error);
  g_assert_no_error (error);
  extracted_digest = sb_application_compute_digest (draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (extracted_digest, ==, digest);

  /* never over an earlier extraction */
  run_shenbao (&again, "extract", "extract.shenbao.json", "extracted", NULL);
  g_assert_cmpint (again.status, ==, 2);

  /* a bundle that is not intact writes nothing */
  g_free (text);
  text = read_text ("extract.shenbao.json", NULL);
  changed = g_string_new (text);
  g_assert_cmpuint (g_string_replace (changed, "\"subsidy\":800000", "\"subsidy\":900000", 1), ==, 1);
  write_text ("extract-changed.shenbao.json", changed->str);
  run_shenbao (&tampered, "extract", "extract-changed.shenbao.json", "extracted-changed", NULL);
  g_assert_cmpint (tampered.status, ==, 1);
  g_assert_false (g_file_test ("extracted-changed/draft.json", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("extracted-changed/attachments", G_FILE_TEST_EXISTS));
}

/* Interoperability */

/* Every leaf of the manifest, changed one at a time: a new bundle file each. */
static void
collect_leaves (JsonNode  *node,
                GPtrArray *leaves)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));
      for (GList *l = members; l != NULL; l = l->next)
        collect_leaves (json_object_get_member (json_node_get_object (node), l->data), leaves);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_leaves (json_array_get_element (array, i), leaves);
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    g_ptr_array_add (leaves, node);
}

static void
change_leaf (JsonNode *leaf)
{
  GType type = json_node_get_value_type (leaf);

  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = g_strconcat (json_node_get_string (leaf), "x", NULL);
      json_node_set_string (leaf, text);
    }
  else if (type == G_TYPE_BOOLEAN)
    json_node_set_boolean (leaf, !json_node_get_boolean (leaf));
  else
    json_node_set_int (leaf, json_node_get_int (leaf) + 1);
}


/* Writes one bundle per manifest leaf, each with that leaf changed. */
static GPtrArray *
write_tampered (const char *name)
{
  g_autofree char *path = in_tmp (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *probe;
  g_autoptr(GPtrArray) leaves = g_ptr_array_new ();
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  guint count;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  probe = json_parser_get_root (parser);
  collect_leaves (json_object_get_member (json_node_get_object (probe), "manifest"), leaves);
  count = leaves->len;
  g_assert_cmpuint (count, >, 15);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(JsonParser) own_parser = json_parser_new ();
      JsonNode *root;
      g_autoptr(GPtrArray) own = g_ptr_array_new ();
      g_autofree char *text = NULL;
      char *out = g_strdup_printf ("%s/tampered-%02u.json", tmpdir, i);

      json_parser_load_from_file (own_parser, path, &error);
      g_assert_no_error (error);
      root = json_parser_get_root (own_parser);
      collect_leaves (json_object_get_member (json_node_get_object (root), "manifest"), own);
      change_leaf (g_ptr_array_index (own, i));
      text = to_json (root);
      g_assert_true (set_contents (out, text, -1, NULL));
      g_ptr_array_add (paths, out);
    }
  return paths;
}

/* The JWS signing input and the raw signature, for the openssl command. */
static void
write_openssl_inputs (const char *bundle_path,
                      const char *input_path,
                      const char *signature_path)
{
  g_autoptr(GFile) file = g_file_new_for_path (bundle_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = sb_json_parse_file (file, &error);
  JsonObject *object;
  JsonObject *signature;
  g_autofree char *payload = NULL;
  g_autofree char *input = NULL;
  g_autofree guint8 *raw = NULL;
  gsize raw_length = 0;

  g_assert_no_error (error);
  object = json_node_get_object (root);
  signature = json_object_get_object_member (object, "signature");
  payload = sb_jcs_serialize (json_object_get_member (object, "manifest"), NULL, &error);
  g_assert_no_error (error);
  input = g_strconcat (json_object_get_string_member (signature, "protected"), ".", payload, NULL);
  g_assert_true (set_contents (input_path, input, -1, NULL));
  raw = sb_base64url_decode (json_object_get_string_member (signature, "signature"), &raw_length);
  g_assert_nonnull (raw);
  g_assert_true (set_contents (signature_path, (const char *) raw, raw_length, NULL));
}

static int
openssl_verify (const char *bundle_path,
                const char *public_pem)
{
  g_autofree char *input = in_tmp ("signing-input");
  g_autofree char *signature = in_tmp ("signature.bin");
  const char *argv[] = { "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", public_pem,
                         "-rawin", "-in", input, "-sigfile", signature, NULL };
  g_auto(Run) run = { 0 };

  write_openssl_inputs (bundle_path, input, signature);
  run_argv (&run, argv);
  return run.status;
}

static void
test_openssl (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "interop.shenbao.json", FALSE);
  g_autofree char *pem = sb_key_to_public_pem (key);
  g_autofree char *pem_path = in_tmp ("interop-pub.pem");
  g_autofree char *bundle = in_tmp ("interop.shenbao.json");
  g_autoptr(GPtrArray) tampered = NULL;

  g_assert_true (set_contents (pem_path, pem, -1, NULL));
  g_assert_cmpint (openssl_verify (bundle, pem_path), ==, 0);
  g_assert_cmpuint (strlen (digest), ==, SB_SHA256_HEX_LENGTH);

  tampered = write_tampered ("interop.shenbao.json");
  for (guint i = 0; i < tampered->len; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (g_ptr_array_index (tampered, i));
      g_autoptr(SbBundleReport) report = sb_bundle_verify (file, NULL, NULL);

      g_assert_cmpint (report->integrity, !=, SB_BUNDLE_INTACT);
      g_assert_cmpint (openssl_verify (g_ptr_array_index (tampered, i), pem_path), !=, 0);
    }
}

/* npm jose and canonicalize, pinned by tests/jose/package-lock.json and
 * installed here. Missing node or npm is a failure, never a skip. */
static gboolean
install_jose (char **folder_out)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *npm = g_find_program_in_path ("npm");
  g_autofree char *folder = g_build_filename (BUILD_DIR, "tests", "jose", NULL);
  const char *files[] = { "package.json", "package-lock.json", "verify.mjs" };
  const char *argv[] = { "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (node == NULL || npm == NULL)
    {
      g_test_fail_printf ("node and npm are needed for the interoperability test (Debian: nodejs, npm)");
      return FALSE;
    }
  g_mkdir_with_parents (folder, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (SOURCE_DIR, "tests", "jose", files[i], NULL);
      g_autofree char *to = g_build_filename (folder, files[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
      g_assert_true (set_contents (to, contents, length, NULL));
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, folder);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    {
      g_test_fail_printf ("npm ci failed in %s:\n%s", folder, out);
      return FALSE;
    }
  *folder_out = g_steal_pointer (&folder);
  return TRUE;
}

static void
test_jose (void)
{
  g_autoptr(SbKey) key = sb_key_generate ();
  g_autofree char *digest = export_in_process (key, "example-draft.json", "jose.shenbao.json", FALSE);
  g_autofree char *fingerprint = sb_key_get_fingerprint (key);
  g_autofree char *folder = NULL;
  g_autofree char *script = NULL;
  g_autofree char *bundle = in_tmp ("jose.shenbao.json");
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) tampered = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(Run) fresh = { 0 };
  g_auto(Run) changed = { 0 };
  g_auto(GStrv) lines = NULL;

  if (!install_jose (&folder))
    return;
  script = g_build_filename (folder, "verify.mjs", NULL);

  {
    const char *argv[] = { "node", script, bundle, NULL };
    run_argv (&fresh, argv);
  }
  expected = g_strdup_printf ("ok %s %s\n", digest, fingerprint);
  g_assert_cmpstr (fresh.out, ==, expected);
  g_assert_cmpint (fresh.status, ==, 0);

  tampered = write_tampered ("jose.shenbao.json");
  g_ptr_array_add (args, (char *) "node");
  g_ptr_array_add (args, script);
  for (guint i = 0; i < tampered->len; i++)
    g_ptr_array_add (args, g_ptr_array_index (tampered, i));
  g_ptr_array_add (args, NULL);
  run_argv (&changed, (const char *const *) args->pdata);
  g_assert_cmpint (changed.status, ==, 1);
  lines = g_strsplit (changed.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, tampered->len + 1);
  for (guint i = 0; i < tampered->len; i++)
    if (!g_str_has_prefix (lines[i], "rejected: "))
      g_error ("jose accepted %s: %s", (char *) g_ptr_array_index (tampered, i), lines[i]);
}

/* docs/bundle.md's worked example */

static char *
doc_block (const char *doc,
           const char *marker)
{
  const char *at = strstr (doc, marker);
  const char *start, *end;

  g_assert_nonnull (at);
  start = strstr (at, "```");
  g_assert_nonnull (start);
  start = strchr (start, '\n') + 1;
  end = strstr (start, "```");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
test_worked_example (void)
{
  g_autofree char *doc_path = g_build_filename (SOURCE_DIR, "docs", "bundle.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *application_text = NULL;
  g_autofree char *canonical_text = NULL;
  g_autofree char *digest_text = NULL;
  g_autofree char *verify_text = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *computed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) application = NULL;
  g_autoptr(SbDraft) draft = load_draft ("example-draft.json");
  g_autoptr(GError) error = NULL;
  g_auto(Run) export = { 0 };
  g_auto(Run) verify = { 0 };
  g_auto(GStrv) expected_lines = NULL;
  g_auto(GStrv) actual_lines = NULL;

  g_assert_true (g_file_get_contents (doc_path, &doc, NULL, NULL));
  application_text = doc_block (doc, "<!-- example: application -->");
  canonical_text = g_strstrip (doc_block (doc, "<!-- example: canonical -->"));
  digest_text = g_strstrip (doc_block (doc, "<!-- example: digest -->"));
  verify_text = doc_block (doc, "<!-- example: verify -->");

  /* the documented object, canonicalised, is the documented line */
  bytes = g_bytes_new (application_text, strlen (application_text));
  application = sb_json_parse_bytes (bytes, "docs/bundle.md", &error);
  g_assert_no_error (error);
  canonical = sb_jcs_serialize (application, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (canonical, ==, canonical_text);
  digest = sb_sha256_hex (canonical, strlen (canonical));
  g_assert_cmpstr (digest, ==, digest_text);

  /* and it is what Shenbao makes of the example draft */
  computed = sb_application_compute_digest (draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (computed, ==, digest_text);

  /* the verify output, but for the time and the key */
  run_shenbao (&export, "export", "--forms", "example-call.json", "example-draft.json",
               "--bundle", "example.shenbao.json", NULL);
  g_assert_cmpint (export.status, ==, 0);
  run_shenbao (&verify, "verify", "example.shenbao.json", NULL);
  g_assert_cmpint (verify.status, ==, 0);
  expected_lines = g_strsplit (verify_text, "\n", -1);
  actual_lines = g_strsplit (verify.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (actual_lines), ==, g_strv_length (expected_lines));
  for (guint i = 0; expected_lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (expected_lines[i], "  Created: ") ||
          g_str_has_prefix (expected_lines[i], "  Key fingerprint: "))
        continue;
      if (i == 0)
        g_assert_true (g_str_has_suffix (actual_lines[0], expected_lines[0]));
      else
        g_assert_cmpstr (actual_lines[i], ==, expected_lines[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;
  const char *examples[] = { "example-call.json", "example-draft.json", "plan.pdf", "agreement.pdf" };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* thousands of bundles are written and verified (each verification
   * decodes into a folder of its own): in memory when possible, since a
   * disk shared by many builds makes that slow; not named like a
   * working folder (sb-work-folder.h), which a sweep would take */
  tmpdir = g_build_filename (g_access ("/dev/shm", W_OK) == 0 ? "/dev/shm" :
                             g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp",
                             "shenbao-test-bundle-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (tmpdir));
  g_assert_cmpint (g_chdir (tmpdir), ==, 0);
  /* the TMPDIR of this process and its commands, before GLib reads it:
   * the working folders go there, and their sweeps reach no one else's */
  {
    g_autofree char *work = g_build_filename (tmpdir, "tmp", NULL);

    g_assert_cmpint (g_mkdir (work, 0700), ==, 0);
    g_setenv ("TMPDIR", work, TRUE);
    g_assert_cmpstr (g_get_tmp_dir (), ==, work);
  }
  /* a key folder of our own, for this process and the commands it runs */
  xdg = in_tmp ("xdg");
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    copy_example (examples[i]);

  g_test_add_func ("/bundle/export-and-verify", test_export_and_verify);
  g_test_add_func ("/bundle/export-refuses-errors", test_export_refuses_errors);
  g_test_add_func ("/bundle/verify-output-escaped", test_verify_output_escaped);
  g_test_add_func ("/bundle/export-usage", test_export_usage);
  g_test_add_func ("/bundle/verify-exit-codes", test_verify_exit_codes);
  g_test_add_func ("/bundle/integrity-reasons", test_integrity_reasons);
  g_test_add_func ("/bundle/eddsa-accepted", test_eddsa_accepted);
  g_test_add_func ("/bundle/builtin-definition", test_builtin_definition);
  g_test_add_func ("/bundle/single-byte-changes", test_single_byte_changes);
  g_test_add_func ("/bundle/wrong-key", test_wrong_key);
  g_test_add_func ("/bundle/extract", test_extract);
  g_test_add_func ("/key/file-mode", test_key_file_mode);
  g_test_add_func ("/key/default-key-mode-refused", test_default_key_mode_refused);
  g_test_add_func ("/key/passphrase", test_passphrase);
  g_test_add_func ("/key/rfc8037-thumbprint", test_rfc8037_thumbprint);
  g_test_add_func ("/key/commands", test_key_commands);
  g_test_add_func ("/key/import-save-fails", test_key_import_save_fails);
  g_test_add_func ("/key/passphrase-commands", test_passphrase_commands);
  g_test_add_func ("/bundle/export-failure-leaves-nothing", test_export_failure_leaves_nothing);
  g_test_add_func ("/bundle/export-attachment-changed", test_export_attachment_changed);
  g_test_add_func ("/interop/openssl", test_openssl);
  g_test_add_func ("/interop/jose", test_jose);
  g_test_add_func ("/docs/worked-example", test_worked_example);

  status = g_test_run ();

  {
    const char *rm[] = { "rm", "-rf", tmpdir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (tmpdir);
  return status;
}
