/* sb-bundle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "sb-application-digest.h"
#include "sb-bundle.h"
#include "sb-jcs.h"
#include "sb-json.h"
#include "sb-storage.h"
#include "sb-validator.h"
#include "sb-work-folder.h"

#define CHUNK (3 * 256 * 1024)          /* a multiple of 3: base64 without carry */
#define READ_BUFFER (1024 * 1024)
#define BUNDLE_ERROR SB_ERROR_INVALID_INPUT
/* no call allows an attachment over 200 MB (max_size_mb ≤ 200): a bigger
 * `files` entry, or more than ten of them, is refused before it fills the
 * disk */
#define MAX_FILE_BYTES (G_GINT64_CONSTANT (200) * 1024 * 1024)
#define MAX_FILES_BYTES (10 * MAX_FILE_BYTES)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

void
sb_bundle_report_free (SbBundleReport *report)
{
  g_free (report->file);
  g_free (report->reason);
  g_free (report->fingerprint);
  g_free (report->application_digest);
  g_free (report->call_id);
  g_free (report->title);
  g_free (report->applicant);
  g_free (report->created);
  g_free (report->revalidation_failure);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

const char *
sb_bundle_integrity_to_string (SbBundleIntegrity integrity)
{
  static const char *names[] = {
    "intact", "unreadable", "malformed", "wrong-key", "value-changed",
    "definition-mismatch", "attachment-mismatch",
  };

  return names[integrity];
}

static char *
hex_of (const guint8 *digest,
        guint         length)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_malloc (length * 2 + 1);

  for (guint i = 0; i < length; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xF];
    }
  hex[length * 2] = '\0';
  return hex;
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != SB_SHA256_HEX_LENGTH)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/* base64 (RFC 4648 section 4, with padding), written and read strictly */

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* the two characters of each 12-bit value: half the look-ups */
static char pair_table[4096][2];

static void
init_pair_table (void)
{
  for (guint v = 0; v < 4096; v++)
    {
      pair_table[v][0] = alphabet[v >> 6];
      pair_table[v][1] = alphabet[v & 63];
    }
}

static gsize
base64_encode (const guint8 *in,
               gsize         length,
               char         *out)
{
  static gsize initialised = 0;
  gsize o = 0, i = 0;

  if (g_once_init_enter (&initialised))
    {
      init_pair_table ();
      g_once_init_leave (&initialised, 1);
    }
  for (; i + 3 <= length; i += 3, o += 4)
    {
      guint32 v = ((guint32) in[i] << 16) | ((guint32) in[i + 1] << 8) | in[i + 2];

      memcpy (out + o, pair_table[v >> 12], 2);
      memcpy (out + o + 2, pair_table[v & 0xFFF], 2);
    }
  if (length - i == 1)
    {
      guint32 v = in[i] << 16;
      out[o++] = alphabet[v >> 18];
      out[o++] = alphabet[(v >> 12) & 63];
      out[o++] = '=';
      out[o++] = '=';
    }
  else if (length - i == 2)
    {
      guint32 v = (in[i] << 16) | (in[i + 1] << 8);
      out[o++] = alphabet[v >> 18];
      out[o++] = alphabet[(v >> 12) & 63];
      out[o++] = alphabet[(v >> 6) & 63];
      out[o++] = '=';
    }
  return o;
}

/* Export */

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
record_string (SbDraft    *draft,
               const char *field_id,
               const char *member)
{
  const SbValue *value = sb_draft_get_value (draft, field_id);

  if (value != NULL && member != NULL && sb_value_get_kind (value) == SB_VALUE_RECORD)
    value = sb_value_record_get (value, member);
  if (value != NULL && sb_value_get_kind (value) == SB_VALUE_STRING)
    return sb_value_get_string (value);
  return "";
}

static JsonNode *
build_manifest (SbDraft    *draft,
                JsonNode   *application,
                GPtrArray  *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = now_rfc3339 ();
  guint errors, warnings, infos;

  sb_problems_count (problems, &errors, &warnings, &infos);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "application");
  json_builder_add_value (builder, json_node_copy (application));
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  /* for listing: the calls' own names for these (see docs/bundle.md) */
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, record_string (draft, "project_name", NULL));
  json_builder_set_member_name (builder, "applicant");
  json_builder_add_string_value (builder, record_string (draft, "applicant", "name"));
  json_builder_set_member_name (builder, "validation");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_add_int_value (builder, errors);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity != SB_SEVERITY_WARNING)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, problem->code);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, problem->path);
      json_builder_set_member_name (builder, "acknowledged");
      json_builder_add_boolean_value (builder, problem->acknowledged);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
protected_header (SbKey *key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *kid = sb_key_get_fingerprint (key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "alg");
  json_builder_add_string_value (builder, "Ed25519");
  json_builder_set_member_name (builder, "b64");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "crit");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "b64");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "jwk");
  json_builder_add_value (builder, sb_key_to_jwk (key));
  json_builder_set_member_name (builder, "kid");
  json_builder_add_string_value (builder, kid);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The JWS signing input of RFC 7515 section 5.1 with RFC 7797's unencoded
 * payload: ASCII(BASE64URL(protected)) || "." || payload. */
static GByteArray *
signing_input (const char *protected_b64,
               const char *payload,
               gsize       payload_length)
{
  GByteArray *input = g_byte_array_sized_new (strlen (protected_b64) + 1 + payload_length);

  g_byte_array_append (input, (const guint8 *) protected_b64, strlen (protected_b64));
  g_byte_array_append (input, (const guint8 *) ".", 1);
  g_byte_array_append (input, (const guint8 *) payload, payload_length);
  return input;
}

static JsonNode *
sign_manifest (SbKey       *key,
               const char  *payload,
               gsize        payload_length,
               GError     **error)
{
  g_autoptr(JsonNode) header = protected_header (key);
  g_autofree char *header_text = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autoptr(GByteArray) input = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gsize header_length = 0;

  header_text = sb_jcs_serialize (header, &header_length, error);
  if (header_text == NULL)
    return NULL;
  header_b64 = sb_base64url_encode (header_text, header_length);
  input = signing_input (header_b64, payload, payload_length);
  signature = sb_key_sign (key, input->data, input->len, error);
  if (signature == NULL)
    return NULL;
  signature_b64 = sb_base64url_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protected");
  json_builder_add_string_value (builder, header_b64);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, signature_b64);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

typedef struct {
  FILE       *out;
  const char *path;     /* the final name, for messages: the temporary one means nothing to the user */
  GError    **error;
  gboolean    failed;
} Writer;

static void
write_bytes (Writer     *writer,
             const void *data,
             gsize       length)
{
  if (writer->failed || length == 0)
    return;
  if (fwrite (data, 1, length, writer->out) != length)
    {
      int saved = errno;
      writer->failed = TRUE;
      g_set_error (writer->error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be written: %s"),
                   writer->path, g_strerror (saved));
    }
}

static void
write_text (Writer     *writer,
            const char *text)
{
  write_bytes (writer, text, strlen (text));
}

static gboolean
write_json (Writer    *writer,
            JsonNode  *node)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!sb_jcs_append (text, node, writer->failed ? NULL : writer->error))
    {
      writer->failed = TRUE;
      return FALSE;
    }
  write_bytes (writer, text->str, text->len);
  return !writer->failed;
}

/* Streams one attachment into the bundle as base64, hashing what it reads. */
static gboolean
write_file_base64 (Writer             *writer,
                   SbApplicationFile  *file,
                   guint8             *buffer,
                   char               *encoded)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read (file->file, NULL, &local_error);
  g_autoptr(EVP_MD_CTX) context = EVP_MD_CTX_new ();
  g_autofree char *name = g_file_get_parse_name (file->file);
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  gint64 total = 0;
  gsize n = 0;

  if (stream == NULL)
    {
      g_set_error (writer->error, SB_ERROR, SB_ERROR_FAILED, _("%s: cannot be read: %s"), name, local_error->message);
      return FALSE;
    }
  EVP_DigestInit_ex (context, EVP_sha256 (), NULL);
  do
    {
      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, CHUNK, &n, NULL, &local_error))
        {
          g_set_error (writer->error, SB_ERROR, SB_ERROR_FAILED, _("%s: cannot be read: %s"), name, local_error->message);
          return FALSE;
        }
      EVP_DigestUpdate (context, buffer, n);
      total += n;
      write_bytes (writer, encoded, base64_encode (buffer, n, encoded));
    }
  while (n == CHUNK && !writer->failed);
  EVP_DigestFinal_ex (context, digest, &digest_length);
  file->sha256 = hex_of (digest, digest_length);
  file->size = total;
  return !writer->failed;
}

/* What the file must still be when it is streamed: what validation read
 * (@validator), else what the draft recorded on attaching, else what it
 * hashes to just before (size -1: not known). */
static gboolean
expected_digest (SbApplicationFile  *file,
                 SbValidator        *validator,
                 char              **sha256,
                 gint64             *size,
                 GError            **error)
{
  const char *seen = NULL;

  *size = -1;
  if (validator != NULL && sb_validator_get_file_digest (validator, file->file, size, &seen))
    {
      *sha256 = g_strdup (seen);
      return TRUE;
    }
  if (file->recorded_sha256 != NULL && is_sha256_hex (file->recorded_sha256))
    {
      *sha256 = g_strdup (file->recorded_sha256);
      *size = file->recorded_size;
      return TRUE;
    }
  return sb_sha256_file (file->file, sha256, NULL, error);
}

/* The file read while it was written must be the one checked before:
 * else the bundle would carry content validation never saw. */
static gboolean
check_unchanged (SbApplicationFile  *file,
                 const char         *expected,
                 gint64              expected_size,
                 GError            **error)
{
  g_autofree char *name = NULL;

  if (g_str_equal (file->sha256, expected) && (expected_size < 0 || file->size == expected_size))
    return TRUE;
  name = g_file_get_parse_name (file->file);
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
               _("%s (attachment “%s”): the file changed after it was checked (its size or SHA-256 "
                 "differs); nothing was written, export again"), name, file->slot);
  return FALSE;
}

/* files first, so that each is read once while it is written: its key,
 * the SHA-256, is what validation read (or the draft recorded, or it
 * hashed to just before), and what streaming hashes must match it */
static gboolean
write_files (Writer      *writer,
             GPtrArray   *files,
             SbValidator *validator)
{
  g_autoptr(GHashTable) written = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint8 *buffer = g_malloc (CHUNK);
  g_autofree char *encoded = g_malloc (CHUNK / 3 * 4);
  gboolean first = TRUE;

  write_text (writer, "\"files\":{");
  for (guint i = 0; i < files->len; i++)
    {
      SbApplicationFile *file = g_ptr_array_index (files, i);
      g_autofree char *key = NULL;
      gint64 size = -1;

      if (!expected_digest (file, validator, &key, &size, writer->error))
        return FALSE;

      if (g_hash_table_contains (written, key))
        {
          if (!sb_sha256_file (file->file, &file->sha256, &file->size, writer->error) ||
              !check_unchanged (file, key, size, writer->error))
            return FALSE;
          continue;
        }
      write_text (writer, first ? "\n\"" : ",\n\"");
      write_text (writer, key);
      write_text (writer, "\":\"");
      if (!write_file_base64 (writer, file, buffer, encoded) ||
          !check_unchanged (file, key, size, writer->error))
        return FALSE;
      write_text (writer, "\"");
      g_hash_table_add (written, file->sha256);
      first = FALSE;
    }
  write_text (writer, "}");
  return !writer->failed;
}

static gboolean
write_rest (Writer    *writer,
            SbDraft   *draft,
            SbKey     *key,
            GPtrArray *files,
            GPtrArray *problems,
            char     **application_digest)
{
  SbCall *call = sb_draft_get_call (draft);
  GBytes *definition_bytes = sb_call_get_bytes (call);
  g_autoptr(JsonNode) application = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(JsonNode) signature = NULL;
  g_autoptr(JsonNode) definition = json_node_new (JSON_NODE_VALUE);
  g_autofree char *payload = NULL;
  g_autofree char *definition_text = NULL;
  gsize payload_length = 0;

  application = sb_application_build_with_files (draft, files, writer->error);
  if (application == NULL)
    return FALSE;
  manifest = build_manifest (draft, application, problems);
  payload = sb_jcs_serialize (manifest, &payload_length, writer->error);
  if (payload == NULL)
    return FALSE;
  signature = sign_manifest (key, payload, payload_length, writer->error);
  if (signature == NULL)
    return FALSE;

  definition_text = g_strndup (g_bytes_get_data (definition_bytes, NULL), g_bytes_get_size (definition_bytes));
  json_node_set_string (definition, definition_text);

  write_text (writer, ",\n\"manifest\":");
  write_bytes (writer, payload, payload_length);
  write_text (writer, ",\n\"definition\":");
  write_json (writer, definition);
  write_text (writer, ",\n\"signature\":");
  write_json (writer, signature);
  write_text (writer, "\n}\n");

  if (!writer->failed && application_digest != NULL)
    *application_digest = sb_application_digest (application, writer->error);
  return !writer->failed;
}

gboolean
sb_bundle_export (SbDraft    *draft,
                  SbKey      *key,
                  GFile      *out,
                  GPtrArray  *problems,
                  char      **application_digest,
                  GError    **error)
{
  return sb_bundle_export_validated (draft, key, out, NULL, problems, application_digest, error);
}

gboolean
sb_bundle_export_validated (SbDraft      *draft,
                            SbKey        *key,
                            GFile        *out,
                            SbValidator  *validator,
                            GPtrArray    *problems,
                            char        **application_digest,
                            GError      **error)
{
  g_autoptr(SbValidator) own_validator = NULL;
  g_autoptr(GPtrArray) own_problems = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *temporary = NULL;
  const char *path = g_file_peek_path (out);
  guint errors, warnings, infos;
  Writer writer = { NULL, NULL, error, FALSE };
  int fd;
  gboolean ok;

  g_return_val_if_fail (sb_key_has_private (key), FALSE);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (out);
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: only local files can be written"), uri);
      return FALSE;
    }

  if (sb_draft_get_file (draft) != NULL && g_file_equal (out, sb_draft_get_file (draft)))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: this is the draft itself; write the bundle to another file"), path);
      return FALSE;
    }

  g_return_val_if_fail (validator == NULL || problems != NULL, FALSE);
  if (problems == NULL)
    {
      validator = own_validator = sb_validator_new (sb_draft_get_call (draft));
      problems = own_problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
    }
  sb_problems_count (problems, &errors, &warnings, &infos);
  if (errors > 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_DRAFT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: the draft has %u error; it cannot be exported until it is fixed",
                                "%s: the draft has %u errors; it cannot be exported until they are fixed", errors),
                   sb_draft_get_display_name (draft), errors);
      return FALSE;
    }

  files = sb_application_list_files (draft);

  /* never a partial file under the final name: a temporary file next to
   * it (locked and named as a draft's save, so that the next export
   * removes one a killed export left), synced, then renamed over it */
  fd = sb_storage_open_temporary (path, &temporary);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be written: %s"), path, g_strerror (saved));
      return FALSE;
    }
  writer.out = fdopen (fd, "w");
  writer.path = path;
  setvbuf (writer.out, NULL, _IOFBF, READ_BUFFER);

  write_text (&writer, "{\"format\":\"" SB_BUNDLE_FORMAT "\",\"format_version\":1,\n");
  ok = write_files (&writer, files, validator) &&
       write_rest (&writer, draft, key, files, problems, application_digest);

  if (ok && (fflush (writer.out) != 0 || fsync (fileno (writer.out)) != 0))
    {
      int saved = errno;
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be written: %s"), path, g_strerror (saved));
      ok = FALSE;
    }
  /* renamed while still open: the lock keeps another export from taking
   * it for a stale one; everything is flushed, so closing cannot fail to
   * write */
  if (ok && g_rename (temporary, path) != 0)
    {
      int saved = errno;
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be written: %s"), path, g_strerror (saved));
      ok = FALSE;
    }
  fclose (writer.out);
  if (!ok)
    {
      g_unlink (temporary);
      if (application_digest != NULL)
        g_clear_pointer (application_digest, g_free);
      return FALSE;
    }
  sb_storage_finish (path);
  return TRUE;
}

/* Reading: one pass over the file. `files` entries are decoded and hashed
 * in chunks (and written out when a folder is given); every other member
 * is captured as text and parsed strictly. */

typedef struct {
  char       *sha256;     /* computed */
  gint64      size;
} Blob;

static void
blob_free (Blob *blob)
{
  g_free (blob->sha256);
  g_free (blob);
}

typedef struct {
  FILE        *in;
  const char  *name;
  guint8      *buffer;
  gsize        length;
  gsize        position;
  gint64       offset;
  int          read_errno;
  gboolean     eof;

  const char  *blob_folder;   /* decoded files go here as SHA256 names; NULL: hash only */
  gint64       files_bytes;   /* decoded so far */
  GHashTable  *blobs;         /* key → Blob */
  JsonNode    *members[5];    /* format, format_version, manifest, definition, signature */
  gsize        budget;        /* what captured members may still take */

  SbBundleIntegrity failure;
  char        *reason;
} Scanner;

static const char *member_names[] = { "format", "format_version", "manifest", "definition", "signature" };
enum { M_FORMAT, M_FORMAT_VERSION, M_MANIFEST, M_DEFINITION, M_SIGNATURE };

static gboolean G_GNUC_PRINTF (2, 3)
fail (Scanner    *scanner,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (scanner->failure != SB_BUNDLE_INTACT)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (scanner->read_errno != 0)
    {
      scanner->failure = SB_BUNDLE_UNREADABLE;
      /* TRANSLATORS: "FILE: cannot be read: REASON" */
      scanner->reason = g_strdup_printf (_("%s: cannot be read: %s"), scanner->name, g_strerror (scanner->read_errno));
    }
  else
    {
      scanner->failure = SB_BUNDLE_MALFORMED;
      /* TRANSLATORS: "FILE: byte 1234: what is wrong" */
      scanner->reason = g_strdup_printf (_("%s: byte %" PRId64 ": %s"), scanner->name, scanner->offset, message);
    }
  return FALSE;
}

static gboolean
fill (Scanner *scanner)
{
  if (scanner->position < scanner->length)
    return TRUE;
  if (scanner->eof)
    return FALSE;
  scanner->length = fread (scanner->buffer, 1, READ_BUFFER, scanner->in);
  scanner->position = 0;
  if (scanner->length == 0)
    {
      if (ferror (scanner->in))
        scanner->read_errno = errno != 0 ? errno : EIO;
      scanner->eof = TRUE;
      return FALSE;
    }
  return TRUE;
}

static int
peek (Scanner *scanner)
{
  return fill (scanner) ? scanner->buffer[scanner->position] : -1;
}

static int
advance (Scanner *scanner)
{
  int c = peek (scanner);

  if (c >= 0)
    {
      scanner->position++;
      scanner->offset++;
    }
  return c;
}

static int
skip_space (Scanner *scanner)
{
  int c;

  while ((c = peek (scanner)) == ' ' || c == '\t' || c == '\n' || c == '\r')
    advance (scanner);
  return c;
}

static gboolean
expect (Scanner *scanner,
        char     wanted)
{
  if (skip_space (scanner) != wanted)
    return fail (scanner, _("expected “%c”"), wanted);
  advance (scanner);
  return TRUE;
}

/* the rest of a string whose opening quote is already in @out */
static gboolean
capture_string_rest (Scanner *scanner,
                     GString *out,
                     gsize    limit)
{
  for (;;)
    {
      int c = advance (scanner);

      if (c < 0)
        return fail (scanner, "%s", _("the file ends inside a string"));
      g_string_append_c (out, (char) c);
      if (c == '"')
        return TRUE;
      if (c == '\\')
        {
          c = advance (scanner);
          if (c < 0)
            return fail (scanner, "%s", _("the file ends inside a string"));
          g_string_append_c (out, (char) c);
        }
      if (out->len > limit)
        return fail (scanner, "%s", _("the bundle’s manifest, definition and signature are too large"));
    }
}

static gboolean
capture_value (Scanner *scanner,
               GString *out)
{
  int c = skip_space (scanner);
  guint depth = 0;

  if (c == '"' || c == '{' || c == '[')
    {
      do
        {
          c = advance (scanner);
          if (c < 0)
            return fail (scanner, "%s", _("the file ends inside a value"));
          g_string_append_c (out, (char) c);
          if (c == '"')
            {
              if (!capture_string_rest (scanner, out, scanner->budget))
                return FALSE;
            }
          else if (c == '{' || c == '[')
            {
              if (++depth > SB_JSON_MAX_DEPTH)
                return fail (scanner, "%s", _("nested too deeply"));
            }
          else if (c == '}' || c == ']')
            depth--;
          if (out->len > scanner->budget)
            return fail (scanner, "%s", _("the bundle’s manifest, definition and signature are too large"));
        }
      while (depth > 0);
      return TRUE;
    }

  while ((c = peek (scanner)) >= 0 && c != ',' && c != '}' && c != ']' &&
         c != ' ' && c != '\t' && c != '\n' && c != '\r')
    {
      g_string_append_c (out, (char) advance (scanner));
      if (out->len > 64)
        return fail (scanner, "%s", _("not a JSON value"));
    }
  if (out->len == 0)
    return fail (scanner, "%s", _("a value is missing"));
  return TRUE;
}

static JsonNode *
parse_captured (Scanner    *scanner,
                GString    *text,
                const char *path)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text->str, text->len);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("%s %s", scanner->name, path);
  JsonNode *node = sb_json_parse_bytes (bytes, where, &error);

  if (node == NULL)
    {
      scanner->failure = SB_BUNDLE_MALFORMED;
      scanner->reason = g_strdup (error->message);
    }
  return node;
}

static char *
read_name (Scanner *scanner)
{
  g_autoptr(GString) raw = g_string_new ("\"");
  g_autoptr(JsonNode) node = NULL;

  if (skip_space (scanner) != '"')
    {
      fail (scanner, "%s", _("expected a member name"));
      return NULL;
    }
  advance (scanner);
  if (!capture_string_rest (scanner, raw, 4096))
    return NULL;
  node = parse_captured (scanner, raw, "$");
  if (node == NULL)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* Decoding one `files` value */

typedef struct {
  EVP_MD_CTX *context;
  FILE       *out;
  guint8     *buffer;       /* decoded bytes not yet hashed */
  gsize       length;
  gint64      total;
  guint32     quantum;
  guint       count;        /* characters in quantum */
  guint       padding;
  gboolean    write_failed;
} Decoder;

static gint8 decode_table[256];

static void
init_decode_table (void)
{
  memset (decode_table, -1, sizeof decode_table);
  for (guint i = 0; i < 64; i++)
    decode_table[(guint8) alphabet[i]] = (gint8) i;
}

static void
decoder_flush (Decoder *decoder)
{
  EVP_DigestUpdate (decoder->context, decoder->buffer, decoder->length);
  if (decoder->out != NULL && !decoder->write_failed &&
      fwrite (decoder->buffer, 1, decoder->length, decoder->out) != decoder->length)
    decoder->write_failed = TRUE;
  decoder->total += decoder->length;
  decoder->length = 0;
}

/* Decodes whole quanta of @text while they are all in the alphabet, as
 * many as fit in the buffer; returns the characters used. Local pointers
 * in a loop of its own: the compiler need not reload the decoder's fields
 * after each byte it stores (3× faster than byte by byte through them). */
static gsize
decode_run (Decoder      *decoder,
            const guint8 *text,
            gsize         n)
{
  guint8 *out;
  gsize quanta, q;

  if (decoder->length + 3 > READ_BUFFER)
    decoder_flush (decoder);
  quanta = MIN (n / 4, (READ_BUFFER - decoder->length) / 3);
  out = decoder->buffer + decoder->length;
  for (q = 0; q < quanta; q++, text += 4, out += 3)
    {
      int a = decode_table[text[0]], b = decode_table[text[1]];
      int c = decode_table[text[2]], d = decode_table[text[3]];
      guint32 v;

      if ((a | b | c | d) < 0)
        break;
      v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6) | (guint32) d;
      out[0] = v >> 16;
      out[1] = (v >> 8) & 0xFF;
      out[2] = v & 0xFF;
    }
  decoder->length += 3 * q;
  return 4 * q;
}

/* Returns FALSE on a character outside the alphabet or after padding. */
static gboolean
decoder_feed (Decoder      *decoder,
              const guint8 *text,
              gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      int v;

      if (decoder->padding > 0)
        {
          if (text[i] != '=' || decoder->count == 0)
            return FALSE;
          decoder->padding++;
          decoder->count++;
          if (decoder->count == 4)
            decoder->count = 0;
          continue;
        }
      /* fast path: a run of whole quanta */
      if (decoder->count == 0 && n - i >= 4)
        {
          gsize done = decode_run (decoder, text + i, n - i);

          if (done > 0)
            {
              i += done - 1;   /* and the loop's one */
              continue;
            }
        }
      if (text[i] == '=')
        {
          /* "xx==" or "xxx=": the unused bits must be zero (one encoding per content) */
          if (decoder->count < 2)
            return FALSE;
          if (decoder->count == 2 && (decoder->quantum & 0xF) != 0)
            return FALSE;
          if (decoder->count == 3 && (decoder->quantum & 0x3) != 0)
            return FALSE;
          if (decoder->length + 2 > READ_BUFFER)
            decoder_flush (decoder);
          if (decoder->count == 2)
            decoder->buffer[decoder->length++] = (decoder->quantum >> 4) & 0xFF;
          else
            {
              decoder->buffer[decoder->length++] = (decoder->quantum >> 10) & 0xFF;
              decoder->buffer[decoder->length++] = (decoder->quantum >> 2) & 0xFF;
            }
          decoder->padding = 1;
          decoder->count++;
          if (decoder->count == 4)
            decoder->count = 0;
          continue;
        }
      v = decode_table[text[i]];
      if (v < 0)
        return FALSE;
      decoder->quantum = (decoder->quantum << 6) | (guint32) v;
      if (++decoder->count == 4)
        {
          if (decoder->length + 3 > READ_BUFFER)
            decoder_flush (decoder);
          decoder->buffer[decoder->length++] = (decoder->quantum >> 16) & 0xFF;
          decoder->buffer[decoder->length++] = (decoder->quantum >> 8) & 0xFF;
          decoder->buffer[decoder->length++] = decoder->quantum & 0xFF;
          decoder->count = 0;
          decoder->quantum = 0;
        }
    }
  return TRUE;
}

static gboolean
read_file_entry (Scanner    *scanner,
                 const char *key,
                 guint8     *decoded)
{
  g_autoptr(EVP_MD_CTX) context = EVP_MD_CTX_new ();
  g_autofree char *out_path = NULL;
  Decoder decoder = { context, NULL, decoded, 0 };
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  Blob *blob;

  if (!expect (scanner, '"'))
    return FALSE;
  EVP_DigestInit_ex (context, EVP_sha256 (), NULL);
  if (scanner->blob_folder != NULL)
    {
      out_path = g_build_filename (scanner->blob_folder, key, NULL);
      decoder.out = fopen (out_path, "wbx");
      if (decoder.out == NULL)
        decoder.write_failed = TRUE;
    }

  for (;;)
    {
      gsize start, end;

      if (!fill (scanner))
        {
          if (decoder.out != NULL)
            fclose (decoder.out);
          return fail (scanner, "%s", _("the file ends inside a string"));
        }
      {
        const guint8 *from = scanner->buffer + scanner->position;
        gsize left = scanner->length - scanner->position;
        const guint8 *quote = memchr (from, '"', left);
        const guint8 *backslash = memchr (from, '\\', quote != NULL ? (gsize) (quote - from) : left);

        start = scanner->position;
        end = backslash != NULL ? (gsize) (backslash - scanner->buffer)
            : quote != NULL ? (gsize) (quote - scanner->buffer) : scanner->length;
      }
      if (!decoder_feed (&decoder, scanner->buffer + start, end - start))
        {
          if (decoder.out != NULL)
            fclose (decoder.out);
          return fail (scanner, _("files.%s: not valid base64"), key);
        }
      scanner->offset += end - start;
      scanner->position = end;
      if (decoder.total > MAX_FILE_BYTES || scanner->files_bytes + decoder.total > MAX_FILES_BYTES)
        {
          if (decoder.out != NULL)
            fclose (decoder.out);
          return fail (scanner, _("files.%s: larger than any call allows"), key);
        }
      if (end == scanner->length)
        continue;
      if (scanner->buffer[end] == '"')
        {
          advance (scanner);
          break;
        }
      advance (scanner);  /* "\/" is the one escape base64 can meet */
      if (advance (scanner) != '/' || !decoder_feed (&decoder, (const guint8 *) "/", 1))
        {
          if (decoder.out != NULL)
            fclose (decoder.out);
          return fail (scanner, _("files.%s: not valid base64"), key);
        }
    }
  decoder_flush (&decoder);
  if (decoder.out != NULL && fclose (decoder.out) != 0)
    decoder.write_failed = TRUE;
  if (decoder.count != 0)
    return fail (scanner, _("files.%s: not valid base64 (its length is not a multiple of 4)"), key);
  if (decoder.write_failed)
    {
      scanner->failure = SB_BUNDLE_UNREADABLE;
      scanner->reason = g_strdup_printf (_("%s: could not be written: %s"), out_path, g_strerror (errno));
      return FALSE;
    }

  scanner->files_bytes += decoder.total;
  EVP_DigestFinal_ex (context, digest, &digest_length);
  blob = g_new0 (Blob, 1);
  blob->sha256 = hex_of (digest, digest_length);
  blob->size = decoder.total;
  g_hash_table_insert (scanner->blobs, g_strdup (key), blob);
  return TRUE;
}

static gboolean
read_files (Scanner *scanner)
{
  g_autofree guint8 *decoded = g_malloc (READ_BUFFER);
  int c;

  if (!expect (scanner, '{'))
    return FALSE;
  if (skip_space (scanner) == '}')
    {
      advance (scanner);
      return TRUE;
    }
  for (;;)
    {
      g_autofree char *key = read_name (scanner);

      if (key == NULL)
        return FALSE;
      if (!is_sha256_hex (key))
        return fail (scanner, _("files: “%s” is not a SHA-256 in lower-case hex"), key);
      if (g_hash_table_contains (scanner->blobs, key))
        return fail (scanner, _("files: “%s” appears twice"), key);
      if (!expect (scanner, ':') || !read_file_entry (scanner, key, decoded))
        return FALSE;
      c = skip_space (scanner);
      advance (scanner);
      if (c == '}')
        return TRUE;
      if (c != ',')
        return fail (scanner, "%s", _("expected “,” or “}”"));
    }
}

static gboolean
scan (Scanner *scanner)
{
  gboolean seen_files = FALSE;
  int c;

  if (!expect (scanner, '{'))
    return FALSE;
  for (;;)
    {
      g_autofree char *name = read_name (scanner);
      int index = -1;

      if (name == NULL)
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (member_names); i++)
        if (g_str_equal (name, member_names[i]))
          index = i;
      if (!expect (scanner, ':'))
        return FALSE;

      if (g_str_equal (name, "files"))
        {
          if (seen_files)
            return fail (scanner, "%s", _("the member “files” appears twice"));
          seen_files = TRUE;
          if (!read_files (scanner))
            return FALSE;
        }
      else if (index < 0)
        return fail (scanner, _("a bundle has no member “%s”"), name);
      else if (scanner->members[index] != NULL)
        return fail (scanner, _("the member “%s” appears twice"), name);
      else
        {
          g_autoptr(GString) text = g_string_new (NULL);
          g_autofree char *path = g_strconcat ("$.", name, NULL);

          if (!capture_value (scanner, text))
            return FALSE;
          scanner->budget -= MIN (scanner->budget, text->len);
          scanner->members[index] = parse_captured (scanner, text, path);
          if (scanner->members[index] == NULL)
            return FALSE;
        }

      c = skip_space (scanner);
      advance (scanner);
      if (c == '}')
        break;
      if (c != ',')
        return fail (scanner, "%s", _("expected “,” or “}”"));
    }
  if (skip_space (scanner) >= 0)
    return fail (scanner, "%s", _("text after the end of the bundle"));
  if (scanner->read_errno != 0)
    return fail (scanner, "%s", "");
  if (!seen_files)
    return fail (scanner, _("the member “%s” is missing"), "files");
  for (guint i = 0; i < G_N_ELEMENTS (member_names); i++)
    if (scanner->members[i] == NULL)
      return fail (scanner, _("the member “%s” is missing"), member_names[i]);
  return TRUE;
}

/* Integrity */

typedef struct {
  char   *slot;
  char   *name;
  char   *sha256;
  gint64  size;
} Listed;

static void
listed_free (Listed *listed)
{
  g_free (listed->slot);
  g_free (listed->name);
  g_free (listed->sha256);
  g_free (listed);
}

typedef struct {
  JsonNode   *application;  /* borrowed from the manifest */
  GPtrArray  *listed;       /* Listed */
  GBytes     *definition;
  char       *definition_sha256;
  GStrv       acknowledged;
} Contents;

static void
contents_clear (Contents *contents)
{
  g_clear_pointer (&contents->listed, g_ptr_array_unref);
  g_clear_pointer (&contents->definition, g_bytes_unref);
  g_clear_pointer (&contents->definition_sha256, g_free);
  g_clear_pointer (&contents->acknowledged, g_strfreev);
}

static gboolean
set_failure (SbBundleReport    *report,
             SbBundleIntegrity  integrity,
             char              *reason)
{
  report->integrity = integrity;
  report->reason = reason;
  return FALSE;
}

static gboolean
malformed (SbBundleReport *report,
           GError         *error)
{
  return set_failure (report, SB_BUNDLE_MALFORMED, g_strdup (error->message));
}

static gboolean
safe_name (const char *name)
{
  return name[0] != '\0' && name[0] != '.' && strchr (name, '/') == NULL && strchr (name, '\\') == NULL &&
         strlen (name) <= 255;
}

static gboolean
read_attachment_list (SbBundleReport *report,
                      JsonArray      *array,
                      Contents       *contents)
{
  contents->listed = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.manifest.application.attachments[%u]", i);
      g_auto(SbJsonReader) reader = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *media_type = NULL;
      Listed *listed = g_new0 (Listed, 1);

      g_ptr_array_add (contents->listed, listed);
      if (!sb_json_reader_init (&reader, json_array_get_element (array, i), report->file, path, BUNDLE_ERROR, &error) ||
          !sb_json_reader_string (&reader, "slot", TRUE, &listed->slot, &error) ||
          !sb_json_reader_string (&reader, "name", TRUE, &listed->name, &error) ||
          !sb_json_reader_string (&reader, "media_type", TRUE, &media_type, &error) ||
          !sb_json_reader_int (&reader, "size", TRUE, 0, G_MAXINT64, &listed->size, &error) ||
          !sb_json_reader_string (&reader, "sha256", TRUE, &listed->sha256, &error) ||
          !sb_json_reader_finish (&reader, &error))
        return malformed (report, error);
      if (!is_sha256_hex (listed->sha256) || !safe_name (listed->name) || !safe_name (listed->slot))
        return set_failure (report, SB_BUNDLE_MALFORMED,
                            g_strdup_printf (_("%s: %s: not a plain file name and a SHA-256 in lower-case hex"),
                                             report->file, path));
    }
  return TRUE;
}

static gboolean
read_manifest (SbBundleReport *report,
               JsonNode       *manifest,
               Contents       *contents)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_auto(SbJsonReader) application = { 0 };
  g_auto(SbJsonReader) call = { 0 };
  g_auto(SbJsonReader) validation = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) acknowledged = g_strv_builder_new ();
  g_autofree char *definition_sha256 = NULL;
  JsonArray *attachments = NULL;
  JsonArray *warnings = NULL;
  JsonNode *values;
  gint64 errors = 0;

  if (!sb_json_reader_init (&reader, manifest, report->file, "$.manifest", BUNDLE_ERROR, &error) ||
      !sb_json_reader_string (&reader, "created", TRUE, &report->created, &error) ||
      !sb_json_reader_string (&reader, "title", TRUE, &report->title, &error) ||
      !sb_json_reader_string (&reader, "applicant", TRUE, &report->applicant, &error) ||
      !sb_json_reader_init (&application, sb_json_reader_node (&reader, "application"), report->file,
                            "$.manifest.application", BUNDLE_ERROR, &error) ||
      !sb_json_reader_init (&call, sb_json_reader_node (&application, "call"), report->file,
                            "$.manifest.application.call", BUNDLE_ERROR, &error) ||
      !sb_json_reader_string (&call, "id", TRUE, &report->call_id, &error) ||
      !sb_json_reader_int (&call, "version", TRUE, 1, G_MAXINT32, &report->call_version, &error) ||
      !sb_json_reader_string (&call, "definition_sha256", TRUE, &definition_sha256, &error) ||
      !sb_json_reader_finish (&call, &error) ||
      !sb_json_reader_array (&application, "attachments", TRUE, &attachments, &error) ||
      !sb_json_reader_init (&validation, sb_json_reader_node (&reader, "validation"), report->file,
                            "$.manifest.validation", BUNDLE_ERROR, &error) ||
      !sb_json_reader_int (&validation, "errors", TRUE, 0, 0, &errors, &error) ||
      !sb_json_reader_array (&validation, "warnings", TRUE, &warnings, &error) ||
      !sb_json_reader_finish (&validation, &error))
    return malformed (report, error);

  /* values are read by the draft loader, against the definition */
  values = sb_json_reader_node (&application, "values");
  if (values == NULL || !JSON_NODE_HOLDS_OBJECT (values))
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: %s: expected an object"), report->file, "$.manifest.application.values"));
  if (!sb_json_reader_finish (&application, &error))
    return malformed (report, error);
  if (!sb_json_reader_finish (&reader, &error))
    return malformed (report, error);
  if (!is_sha256_hex (definition_sha256))
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: %s: not a SHA-256 in lower-case hex"), report->file,
                                         "$.manifest.application.call.definition_sha256"));

  for (guint i = 0; i < json_array_get_length (warnings); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.manifest.validation.warnings[%u]", i);
      g_auto(SbJsonReader) warning = { 0 };
      g_autofree char *code = NULL;
      g_autofree char *problem_path = NULL;
      gboolean was_acknowledged = FALSE;

      if (!sb_json_reader_init (&warning, json_array_get_element (warnings, i), report->file, path, BUNDLE_ERROR, &error) ||
          !sb_json_reader_string (&warning, "code", TRUE, &code, &error) ||
          !sb_json_reader_string (&warning, "path", TRUE, &problem_path, &error) ||
          !sb_json_reader_bool (&warning, "acknowledged", &was_acknowledged, &error) ||
          !sb_json_reader_finish (&warning, &error))
        return malformed (report, error);
      if (was_acknowledged)
        g_strv_builder_add (acknowledged, code);
    }

  contents->application = sb_json_reader_node (&reader, "application");
  contents->acknowledged = g_strv_builder_end (acknowledged);
  if (!read_attachment_list (report, attachments, contents))
    return FALSE;
  report->attachments = contents->listed->len;
  contents->definition_sha256 = g_steal_pointer (&definition_sha256);
  return TRUE;
}

static gboolean
check_format (SbBundleReport *report,
              Scanner        *scanner)
{
  JsonNode *format = scanner->members[M_FORMAT];
  JsonNode *version = scanner->members[M_FORMAT_VERSION];

  if (!JSON_NODE_HOLDS_VALUE (format) || json_node_get_value_type (format) != G_TYPE_STRING ||
      !g_str_equal (json_node_get_string (format), SB_BUNDLE_FORMAT))
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: $.format: this is not a Shenbao bundle (expected “%s”)"),
                                         report->file, SB_BUNDLE_FORMAT));
  if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != SB_BUNDLE_FORMAT_VERSION)
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: $.format_version: this Shenbao reads bundles of version %d only; "
                                           "a newer bundle needs a newer Shenbao"),
                                         report->file, SB_BUNDLE_FORMAT_VERSION));
  if (!JSON_NODE_HOLDS_VALUE (scanner->members[M_DEFINITION]) ||
      json_node_get_value_type (scanner->members[M_DEFINITION]) != G_TYPE_STRING)
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: %s: expected a string"), report->file, "$.definition"));
  return TRUE;
}

static gboolean
check_signature (SbBundleReport *report,
                 JsonNode       *signature,
                 JsonNode       *manifest,
                 SbKey          *trusted)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_auto(SbJsonReader) header = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *protected_b64 = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree guint8 *header_bytes = NULL;
  g_autofree guint8 *signature_bytes = NULL;
  g_autoptr(JsonNode) header_node = NULL;
  g_autoptr(GBytes) header_data = NULL;
  g_autofree char *alg = NULL;
  g_autofree char *kid = NULL;
  g_auto(GStrv) crit = NULL;
  g_autoptr(SbKey) key = NULL;
  g_autofree char *thumbprint = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GByteArray) input = NULL;
  gsize header_length = 0, signature_length = 0, payload_length = 0;
  gboolean b64 = TRUE;

  if (!sb_json_reader_init (&reader, signature, report->file, "$.signature", BUNDLE_ERROR, &error) ||
      !sb_json_reader_string (&reader, "protected", TRUE, &protected_b64, &error) ||
      !sb_json_reader_string (&reader, "signature", TRUE, &signature_b64, &error) ||
      !sb_json_reader_finish (&reader, &error))
    return malformed (report, error);

  header_bytes = sb_base64url_decode (protected_b64, &header_length);
  signature_bytes = sb_base64url_decode (signature_b64, &signature_length);
  if (header_bytes == NULL || signature_bytes == NULL)
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: %s: not base64url"), report->file, "$.signature"));
  header_data = g_bytes_new (header_bytes, header_length);
  header_node = sb_json_parse_bytes (header_data, "protected header", &error);
  if (header_node == NULL)
    return malformed (report, error);
  if (!sb_json_reader_init (&header, header_node, report->file, "$.signature.protected", BUNDLE_ERROR, &error) ||
      !sb_json_reader_string (&header, "alg", TRUE, &alg, &error) ||
      !sb_json_reader_bool (&header, "b64", &b64, &error) ||
      !sb_json_reader_string_array (&header, "crit", &crit, &error) ||
      !sb_json_reader_string (&header, "kid", TRUE, &kid, &error))
    return malformed (report, error);
  key = sb_key_new_from_jwk (sb_json_reader_node (&header, "jwk"), &error);
  if (key == NULL)
    {
      g_prefix_error (&error, _("%s: %s: "), report->file, "$.signature.protected.jwk");
      return malformed (report, error);
    }
  if (!sb_json_reader_finish (&header, &error))
    return malformed (report, error);
  /* RFC 9864 fully specified "Ed25519"; the older "EdDSA" names the same here */
  if (!g_str_equal (alg, "Ed25519") && !g_str_equal (alg, "EdDSA"))
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: $.signature.protected.alg: “%s” is not Ed25519"), report->file, alg));
  if (b64 || crit == NULL || g_strv_length (crit) != 1 || !g_str_equal (crit[0], "b64"))
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: $.signature.protected: the payload must be unencoded "
                                           "(“b64”: false, “crit”: [“b64”])"), report->file));
  thumbprint = sb_key_get_fingerprint (key);
  if (!g_str_equal (thumbprint, kid))
    return set_failure (report, SB_BUNDLE_MALFORMED,
                        g_strdup_printf (_("%s: $.signature.protected.kid: “%s” is not the fingerprint of the key "
                                           "in “jwk” (%s)"), report->file, kid, thumbprint));
  report->fingerprint = g_strdup (thumbprint);

  if (trusted != NULL && !sb_key_equal (trusted, key))
    {
      g_autofree char *expected = sb_key_get_fingerprint (trusted);
      return set_failure (report, SB_BUNDLE_WRONG_KEY,
                          g_strdup_printf (_("%s: signed with the key %s, not with the required key %s"),
                                           report->file, thumbprint, expected));
    }

  payload = sb_jcs_serialize (manifest, &payload_length, &error);
  if (payload == NULL)
    return set_failure (report, SB_BUNDLE_VALUE_CHANGED,
                        g_strdup_printf (_("%s: $.manifest: %s; it cannot have been signed like this"),
                                         report->file, error->message));
  input = signing_input (protected_b64, payload, payload_length);
  if (!sb_key_verify (key, input->data, input->len, signature_bytes, signature_length))
    return set_failure (report, SB_BUNDLE_VALUE_CHANGED,
                        g_strdup_printf (_("%s: the signature does not match the manifest: "
                                           "a value was changed after signing"), report->file));
  return TRUE;
}

static gboolean
check_definition (SbBundleReport *report,
                  JsonNode       *definition,
                  Contents       *contents)
{
  const char *text = json_node_get_string (definition);
  g_autofree char *digest = sb_sha256_hex (text, strlen (text));

  if (!g_str_equal (digest, contents->definition_sha256))
    return set_failure (report, SB_BUNDLE_DEFINITION_MISMATCH,
                        g_strdup_printf (_("%s: $.definition: its SHA-256 is %s, the manifest names %s"),
                                         report->file, digest, contents->definition_sha256));
  contents->definition = g_bytes_new (text, strlen (text));
  return TRUE;
}

static gboolean
check_files (SbBundleReport *report,
             GHashTable     *blobs,
             Contents       *contents)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < contents->listed->len; i++)
    {
      Listed *listed = g_ptr_array_index (contents->listed, i);
      Blob *blob = g_hash_table_lookup (blobs, listed->sha256);

      if (blob == NULL)
        return set_failure (report, SB_BUNDLE_ATTACHMENT_MISMATCH,
                            g_strdup_printf (_("%s: $.manifest.application.attachments[%u]: the file %s "
                                               "(SHA-256 %s) is not in the bundle"),
                                             report->file, i, listed->name, listed->sha256));
      if (!g_str_equal (blob->sha256, listed->sha256))
        return set_failure (report, SB_BUNDLE_ATTACHMENT_MISMATCH,
                            g_strdup_printf (_("%s: $.files.%s: the contents of %s were changed "
                                               "(their SHA-256 is now %s)"),
                                             report->file, listed->sha256, listed->name, blob->sha256));
      if (blob->size != listed->size)
        return set_failure (report, SB_BUNDLE_ATTACHMENT_MISMATCH,
                            g_strdup_printf (_("%s: $.files.%s: %s has %" PRId64 " bytes, the manifest says %" PRId64),
                                             report->file, listed->sha256, listed->name, blob->size, listed->size));
      g_hash_table_add (used, listed->sha256);
    }

  g_hash_table_iter_init (&iter, blobs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (used, key))
      return set_failure (report, SB_BUNDLE_ATTACHMENT_MISMATCH,
                          g_strdup_printf (_("%s: $.files.%s: a file the manifest does not list"),
                                           report->file, (const char *) key));
  return TRUE;
}

/* Re-validation: the draft as it was, in a folder, with the embedded definition */

static gboolean
link_or_copy (const char  *from,
              const char  *to,
              GError     **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;

  if (link (from, to) == 0)
    return TRUE;
  source = g_file_new_for_path (from);
  target = g_file_new_for_path (to);
  return g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error);
}

/* Lays out WORK/attachments/SLOT/NAME from WORK/blobs and returns the
 * draft's text. */
static char *
draft_text (const char  *work,
            SbCall      *call,
            JsonNode    *application,
            Contents    *contents,
            GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  JsonObject *object = json_node_get_object (application);

  for (guint i = 0; i < contents->listed->len; i++)
    {
      Listed *listed = g_ptr_array_index (contents->listed, i);
      GPtrArray *in_slot = g_hash_table_lookup (slots, listed->slot);
      g_autofree char *folder = g_build_filename (work, "attachments", listed->slot, NULL);
      g_autofree char *blob = g_build_filename (work, "blobs", listed->sha256, NULL);
      g_autofree char *name = g_strdup (listed->name);
      g_autofree char *target = NULL;

      if (in_slot == NULL)
        {
          in_slot = g_ptr_array_new ();
          g_hash_table_insert (slots, g_strdup (listed->slot), in_slot);
          g_ptr_array_add (order, listed->slot);
        }
      g_ptr_array_add (in_slot, listed);
      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the folder cannot be made: %s"),
                       folder, g_strerror (saved));
          return NULL;
        }
      target = g_build_filename (folder, name, NULL);
      for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
        {
          g_free (name);
          g_free (target);
          name = g_strdup_printf ("%u-%s", n, listed->name);
          target = g_build_filename (folder, name, NULL);
        }
      if (!link_or_copy (blob, target, error))
        return NULL;
      g_free (listed->name);
      listed->name = g_steal_pointer (&name);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "shenbao-draft");
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "call");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sb_call_get_id (call));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, sb_call_get_version (call));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "values");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (object, "values")));
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_object (builder);
  for (guint i = 0; i < order->len; i++)
    {
      GPtrArray *in_slot = g_hash_table_lookup (slots, g_ptr_array_index (order, i));

      json_builder_set_member_name (builder, g_ptr_array_index (order, i));
      json_builder_begin_array (builder);
      for (guint j = 0; j < in_slot->len; j++)
        {
          Listed *listed = g_ptr_array_index (in_slot, j);
          g_autofree char *file = g_strconcat ("attachments/", listed->slot, "/", listed->name, NULL);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, file);
          json_builder_set_member_name (builder, "sha256");
          json_builder_add_string_value (builder, listed->sha256);
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, listed->size);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "acknowledged");
  json_builder_begin_array (builder);
  for (guint i = 0; contents->acknowledged[i] != NULL; i++)
    {
      gboolean earlier = FALSE;

      for (guint j = 0; j < i; j++)
        earlier |= g_str_equal (contents->acknowledged[j], contents->acknowledged[i]);
      if (!earlier && sb_call_find_rule (call, contents->acknowledged[i]) != NULL)
        json_builder_add_string_value (builder, contents->acknowledged[i]);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static SbDraft *
revalidate (SbBundleReport *report,
            const char     *work,
            Contents       *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *definition_name = g_strdup_printf ("%s $.definition", report->file);
  g_autoptr(SbCall) call = sb_call_new_from_bytes (contents->definition, definition_name, &error);
  g_autoptr(SbCatalog) builtin = sb_catalog_new ();
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autofree char *text = NULL;
  g_autofree char *draft_path = g_build_filename (work, "draft.json", NULL);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display_name = g_strdup_printf ("%s $.manifest.application", report->file);
  SbCall *known;
  gsize length;
  guint infos;

  if (call == NULL)
    {
      report->revalidation_failure = g_strdup (error->message);
      return NULL;
    }
  sb_catalog_add_builtin (builtin);
  known = sb_catalog_lookup (builtin, sb_call_get_id (call), sb_call_get_version (call));
  report->definition_built_in = known != NULL && g_bytes_equal (sb_call_get_bytes (known), contents->definition);

  if (!g_str_equal (sb_call_get_id (call), report->call_id) || sb_call_get_version (call) != report->call_version)
    {
      report->revalidation_failure =
        g_strdup_printf (_("%s: $.definition is the call “%s” version %" PRId64 ", the manifest names “%s” version %" PRId64),
                         report->file, sb_call_get_id (call), sb_call_get_version (call),
                         report->call_id, report->call_version);
      return NULL;
    }

  if (!sb_catalog_add_call (catalog, call, SB_ORIGIN_COMMAND_LINE, &error))
    {
      report->revalidation_failure = g_strdup (error->message);
      return NULL;
    }
  text = draft_text (work, call, contents->application, contents, &error);
  if (text == NULL)
    {
      report->revalidation_failure = g_strdup (error->message);
      return NULL;
    }
  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  draft = sb_draft_load_bytes (bytes, display_name, catalog, &error);
  if (draft == NULL)
    {
      report->revalidation_failure = g_strdup (error->message);
      return NULL;
    }
  sb_draft_set_file (draft, draft_file);
  validator = sb_validator_new (call);
  report->problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
  sb_problems_count (report->problems, &report->errors, &report->warnings, &infos);
  report->revalidated = TRUE;
  return g_steal_pointer (&draft);
}

/* Verify and extract */

static SbBundleReport *
inspect (GFile       *bundle,
         SbKey       *trusted,
         const char  *work,
         SbDraft    **draft_out)
{
  SbBundleReport *report = g_new0 (SbBundleReport, 1);
  g_autofree char *blobs = g_build_filename (work, "blobs", NULL);
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GHashTable) blob_table = NULL;
  const char *path = g_file_peek_path (bundle);
  Contents contents = { 0 };
  Scanner scanner = { 0 };
  g_autoptr(SbDraft) draft = NULL;
  FILE *in;

  report->file = g_file_get_parse_name (bundle);
  in = path != NULL ? fopen (path, "rb") : NULL;
  if (in == NULL)
    {
      int saved = path != NULL ? errno : ENOENT;
      report->integrity = SB_BUNDLE_UNREADABLE;
      report->reason = g_strdup_printf (_("%s: cannot be read: %s"), report->file, g_strerror (saved));
      return report;
    }
  if (g_mkdir_with_parents (blobs, 0700) != 0)
    {
      int saved = errno;
      fclose (in);
      report->integrity = SB_BUNDLE_UNREADABLE;
      report->reason = g_strdup_printf (_("%s: the folder cannot be made: %s"), blobs, g_strerror (saved));
      return report;
    }

  if (decode_table[0] == 0)
    init_decode_table ();
  buffer = g_malloc (READ_BUFFER);
  blob_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) blob_free);
  scanner.in = in;
  scanner.name = report->file;
  scanner.buffer = buffer;
  scanner.blob_folder = blobs;
  scanner.blobs = blob_table;
  scanner.budget = SB_JSON_MAX_BYTES;

  if (!scan (&scanner))
    {
      report->integrity = scanner.failure != SB_BUNDLE_INTACT ? scanner.failure : SB_BUNDLE_MALFORMED;
      report->reason = g_steal_pointer (&scanner.reason);
    }
  fclose (in);

  if (report->integrity == SB_BUNDLE_INTACT &&
      check_format (report, &scanner) &&
      read_manifest (report, scanner.members[M_MANIFEST], &contents) &&
      check_signature (report, scanner.members[M_SIGNATURE], scanner.members[M_MANIFEST], trusted) &&
      check_definition (report, scanner.members[M_DEFINITION], &contents) &&
      check_files (report, blob_table, &contents))
    {
      g_autoptr(GError) error = NULL;

      report->application_digest = sb_application_digest (contents.application, &error);
      draft = revalidate (report, work, &contents);
    }

  for (guint i = 0; i < G_N_ELEMENTS (scanner.members); i++)
    g_clear_pointer (&scanner.members[i], json_node_unref);
  g_free (scanner.reason);
  contents_clear (&contents);
  if (draft_out != NULL)
    *draft_out = g_steal_pointer (&draft);
  return report;
}

SbBundleReport *
sb_bundle_verify (GFile        *bundle,
                  SbKey        *trusted,
                  GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbWorkFolder) work = NULL;
  SbBundleReport *report;

  sb_work_folder_sweep (g_get_tmp_dir (), SB_BUNDLE_VERIFY_PREFIX);
  work = sb_work_folder_new (g_get_tmp_dir (), SB_BUNDLE_VERIFY_PREFIX, &error);
  if (work == NULL)
    {
      report = g_new0 (SbBundleReport, 1);
      report->file = g_file_get_parse_name (bundle);
      report->integrity = SB_BUNDLE_UNREADABLE;
      report->reason = g_strdup (error->message);
      return report;
    }
  /* removed on return, whatever the verdict */
  return inspect (bundle, trusted, sb_work_folder_get_path (work), NULL);
}

static gboolean
write_definition (GFile       *directory,
                  SbDraft     *draft,
                  GError     **error)
{
  SbCall *call = sb_draft_get_call (draft);
  GBytes *bytes = sb_call_get_bytes (call);
  g_autofree char *name = g_strdup_printf ("%s-v%" PRId64 ".json", sb_call_get_id (call), sb_call_get_version (call));
  g_autoptr(GFile) file = g_file_get_child (directory, name);
  g_autoptr(GBytes) existing = NULL;

  /* a definition of that name already there: the same bytes are fine,
   * anything else is not overwritten */
  if (g_file_query_exists (file, NULL))
    {
      g_autofree char *shown = g_file_get_parse_name (file);

      existing = g_file_load_bytes (file, NULL, NULL, NULL);
      if (existing != NULL && g_bytes_equal (existing, bytes))
        return TRUE;
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: exists already with other contents; extract into an empty folder"), shown);
      return FALSE;
    }
  return sb_storage_write_atomic (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

gboolean
sb_bundle_extract (GFile            *bundle,
                   GFile            *directory,
                   SbKey            *trusted,
                   SbBundleReport  **report_out,
                   GError          **error)
{
  const char *folder = g_file_peek_path (directory);
  g_autofree char *draft_path = NULL;
  g_autofree char *attachments_path = NULL;
  g_autoptr(SbWorkFolder) work = NULL;
  g_autofree char *work_attachments = NULL;
  g_autoptr(SbBundleReport) report = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GFile) draft_file = NULL;
  gboolean ok = FALSE;

  if (folder == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, "%s", _("only local folders can be written"));
      return FALSE;
    }
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the folder cannot be made: %s"), folder, g_strerror (saved));
      return FALSE;
    }
  /* what an extraction into this folder that was killed left */
  sb_work_folder_sweep (folder, SB_BUNDLE_EXTRACT_PREFIX);
  draft_path = g_build_filename (folder, "draft.json", NULL);
  attachments_path = g_build_filename (folder, "attachments", NULL);
  if (g_file_test (draft_path, G_FILE_TEST_EXISTS) || g_file_test (attachments_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: holds a draft.json or an attachments folder already; extract into an empty folder"), folder);
      return FALSE;
    }

  work = sb_work_folder_new (folder, SB_BUNDLE_EXTRACT_PREFIX, error);
  if (work == NULL)
    return FALSE;

  report = inspect (bundle, trusted, sb_work_folder_get_path (work), &draft);
  if (report->integrity != SB_BUNDLE_INTACT)
    g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s", report->reason);
  else if (draft == NULL)
    g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("%s: cannot be opened as a draft now: %s"),
                 report->file, report->revalidation_failure);
  else
    {
      gboolean moved = FALSE;

      work_attachments = g_build_filename (sb_work_folder_get_path (work), "attachments", NULL);
      draft_file = g_file_new_for_path (draft_path);

      if (write_definition (directory, draft, error))
        {
          moved = !g_file_test (work_attachments, G_FILE_TEST_IS_DIR) ||
                  g_rename (work_attachments, attachments_path) == 0;
          if (!moved)
            {
              int saved = errno;
              g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be written: %s"),
                           attachments_path, g_strerror (saved));
            }
        }
      ok = moved && sb_draft_save (draft, draft_file, error);
    }

  g_clear_pointer (&work, sb_work_folder_free);
  if (report_out != NULL)
    *report_out = g_steal_pointer (&report);
  return ok;
}
