/* sb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <openssl/evp.h>

#include "sb-application.h"
#include "sb-expr.h"
#include "sb-jcs.h"
#include "sb-validator.h"

#define HASH_CHUNK (1024 * 1024)

void
sb_application_file_free (SbApplicationFile *file)
{
  g_free (file->slot);
  g_free (file->name);
  g_free (file->media_type);
  g_clear_object (&file->file);
  g_free (file->sha256);
  g_free (file);
}

/* Hashing */

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

char *
sb_sha256_hex (const void *data,
               gsize       length)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;

  if (!EVP_Digest (data, length, digest, &digest_length, EVP_sha256 (), NULL))
    g_error ("SHA-256 is not available from OpenSSL");
  return hex_of (digest, digest_length);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

gboolean
sb_sha256_file (GFile   *file,
                char   **sha256,
                gint64  *size,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &local_error);
  g_autoptr(EVP_MD_CTX) context = EVP_MD_CTX_new ();
  g_autofree guint8 *buffer = NULL;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  gint64 total = 0;
  gssize n;

  if (stream == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: cannot be read: %s"), name, local_error->message);
      return FALSE;
    }
  if (context == NULL || !EVP_DigestInit_ex (context, EVP_sha256 (), NULL))
    g_error ("SHA-256 is not available from OpenSSL");

  buffer = g_malloc (HASH_CHUNK);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, HASH_CHUNK, NULL, &local_error)) > 0)
    {
      EVP_DigestUpdate (context, buffer, n);
      total += n;
    }
  if (n < 0)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: cannot be read: %s"), name, local_error->message);
      return FALSE;
    }
  EVP_DigestFinal_ex (context, digest, &digest_length);
  *sha256 = hex_of (digest, digest_length);
  if (size != NULL)
    *size = total;
  return TRUE;
}

/* Media types */

static const struct {
  const char *extension;
  const char *media_type;
} media_types[] = {
  { "pdf", "application/pdf" },
  { "jpg", "image/jpeg" },
  { "jpeg", "image/jpeg" },
  { "png", "image/png" },
  { "ofd", "application/ofd" },
  { "zip", "application/zip" },
  { "doc", "application/msword" },
  { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
  { "xls", "application/vnd.ms-excel" },
  { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { "txt", "text/plain" },
};

const char *
sb_application_media_type (const char *name)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *extension = g_ascii_strdown (dot != NULL ? dot + 1 : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (media_types); i++)
    if (g_str_equal (media_types[i].extension, extension))
      return media_types[i].media_type;
  return "application/octet-stream";
}

/* Relevance */

static const SbValue *
lookup_field (gpointer field,
              gpointer user_data)
{
  return sb_validator_get_value (user_data, field);
}

/* As the validator decides it: an unknown or failing condition hides. */
static gboolean
slot_is_relevant (SbValidator            *validator,
                  const SbAttachmentSpec *spec)
{
  g_autoptr(GError) error = NULL;
  SbEvalContext context = { 0 };
  SbEval result;

  if (spec->relevant == NULL)
    return TRUE;
  context.lookup = lookup_field;
  context.user_data = validator;
  if (!sb_expr_evaluate (spec->relevant, &context, &result, &error))
    return FALSE;
  return result.kind == SB_VALUE_BOOL && result.boolean;
}

static SbValidator *
validated (SbDraft *draft)
{
  SbValidator *validator = sb_validator_new (sb_draft_get_call (draft));
  g_autoptr(GPtrArray) problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);

  return validator;
}

static GFile *
resolve_file (SbDraft    *draft,
              const char *name)
{
  GFile *draft_file = sb_draft_get_file (draft);
  g_autoptr(GFile) folder = NULL;

  if (g_path_is_absolute (name))
    return g_file_new_for_path (name);
  if (draft_file != NULL && (folder = g_file_get_parent (draft_file)) != NULL)
    return g_file_resolve_relative_path (folder, name);
  return g_file_new_for_path (name);
}

static GPtrArray *
list_files (SbDraft     *draft,
            SbValidator *validator)
{
  GArray *specs = sb_call_get_attachments (sb_draft_get_call (draft));
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_application_file_free);

  for (guint i = 0; i < specs->len; i++)
    {
      const SbAttachmentSpec *spec = &g_array_index (specs, SbAttachmentSpec, i);
      GPtrArray *refs = sb_draft_get_attachments (draft, spec->id);

      if (refs == NULL || !slot_is_relevant (validator, spec))
        continue;
      for (guint j = 0; j < refs->len; j++)
        {
          SbAttachmentRef *ref = g_ptr_array_index (refs, j);
          SbApplicationFile *file = g_new0 (SbApplicationFile, 1);

          file->slot = g_strdup (spec->id);
          file->name = g_path_get_basename (ref->file);
          file->media_type = g_strdup (sb_application_media_type (file->name));
          file->file = resolve_file (draft, ref->file);
          file->size = -1;
          g_ptr_array_add (files, file);
        }
    }
  return files;
}

GPtrArray *
sb_application_list_files (SbDraft *draft)
{
  g_autoptr(SbValidator) validator = validated (draft);

  return list_files (draft, validator);
}

/* Values, encoded as a draft stores them */

static JsonNode *value_to_json (SbField *field, const SbValue *value);

static JsonNode *
record_to_json (SbField       *field,
                const SbValue *record)
{
  GPtrArray *children = sb_field_get_children (field);
  JsonObject *object = json_object_new ();
  JsonNode *node;

  for (guint i = 0; i < children->len; i++)
    {
      SbField *child = g_ptr_array_index (children, i);
      const SbValue *value = sb_value_record_get (record, sb_field_get_id (child));

      if (value == NULL || sb_value_get_kind (value) == SB_VALUE_NULL)
        continue;
      json_object_set_member (object, sb_field_get_id (child), value_to_json (child, value));
    }
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

static JsonNode *
value_to_json (SbField       *field,
               const SbValue *value)
{
  JsonNode *node = json_node_alloc ();

  switch (sb_value_get_kind (value))
    {
    case SB_VALUE_BOOL:
      return json_node_init_boolean (node, sb_value_get_bool (value));
    case SB_VALUE_STRING:
      return json_node_init_string (node, sb_value_get_string (value));
    case SB_VALUE_DATE:
      {
        g_autofree char *text = sb_date_format (sb_value_get_date (value));
        return json_node_init_string (node, text);
      }
    case SB_VALUE_NUMBER:
      {
        SbNumber number = sb_value_get_number (value);
        gint64 integer;

        if (sb_field_get_field_type (field) != SB_FIELD_DECIMAL && sb_number_to_int (number, &integer))
          return json_node_init_int (node, integer);
        else
          {
            g_autofree char *text = sb_number_format (number, sb_field_get_decimals (field));
            return json_node_init_string (node, text);
          }
      }
    case SB_VALUE_LIST:
      {
        JsonArray *array = json_array_new ();
        GPtrArray *items = sb_value_get_list (value);

        for (guint i = 0; i < items->len; i++)
          {
            const SbValue *item = g_ptr_array_index (items, i);

            if (sb_field_get_field_type (field) == SB_FIELD_TABLE)
              json_array_add_element (array, record_to_json (field, item));
            else
              json_array_add_element (array, value_to_json (field, item));
          }
        json_node_free (node);
        {
          JsonNode *list = json_node_alloc ();
          json_node_init_array (list, array);
          json_array_unref (array);
          return list;
        }
      }
    case SB_VALUE_RECORD:
      json_node_free (node);
      return record_to_json (field, value);
    default:
      return json_node_init_null (node);
    }
}

static JsonNode *
values_to_json (SbDraft     *draft,
                SbValidator *validator)
{
  GPtrArray *fields = sb_call_get_fields (sb_draft_get_call (draft));
  JsonObject *object = json_object_new ();
  JsonNode *node;

  for (guint i = 0; i < fields->len; i++)
    {
      SbField *field = g_ptr_array_index (fields, i);
      const SbValue *value = sb_draft_get_value (draft, sb_field_get_id (field));

      if (value == NULL || sb_value_get_kind (value) == SB_VALUE_NULL ||
          sb_field_get_calculate (field) != NULL || !sb_validator_is_relevant (validator, field))
        continue;
      json_object_set_member (object, sb_field_get_id (field), value_to_json (field, value));
    }
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/* The object */

static JsonNode *
build (SbDraft     *draft,
       SbValidator *validator,
       GPtrArray   *files,
       GError     **error)
{
  SbCall *call = sb_draft_get_call (draft);
  GBytes *definition = sb_call_get_bytes (call);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *definition_sha256 = NULL;
  JsonNode *values;

  definition_sha256 = sb_sha256_hex (g_bytes_get_data (definition, NULL), g_bytes_get_size (definition));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "call");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sb_call_get_id (call));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, sb_call_get_version (call));
  json_builder_set_member_name (builder, "definition_sha256");
  json_builder_add_string_value (builder, definition_sha256);
  json_builder_end_object (builder);

  values = values_to_json (draft, validator);
  json_builder_set_member_name (builder, "values");
  json_builder_add_value (builder, values);

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      SbApplicationFile *file = g_ptr_array_index (files, i);

      if (file->sha256 == NULL || file->size < 0)
        {
          g_set_error (error, SB_ERROR, SB_ERROR_FAILED, "internal error: %s was not hashed", file->name);
          return NULL;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "slot");
      json_builder_add_string_value (builder, file->slot);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, file->name);
      json_builder_set_member_name (builder, "media_type");
      json_builder_add_string_value (builder, file->media_type);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, file->size);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, file->sha256);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
sb_application_build_with_files (SbDraft    *draft,
                                 GPtrArray  *files,
                                 GError    **error)
{
  g_autoptr(SbValidator) validator = validated (draft);

  return build (draft, validator, files, error);
}

JsonNode *
sb_application_build (SbDraft  *draft,
                      GError  **error)
{
  g_autoptr(SbValidator) validator = validated (draft);
  g_autoptr(GPtrArray) files = list_files (draft, validator);

  for (guint i = 0; i < files->len; i++)
    {
      SbApplicationFile *file = g_ptr_array_index (files, i);

      if (!sb_sha256_file (file->file, &file->sha256, &file->size, error))
        return NULL;
    }
  return build (draft, validator, files, error);
}

char *
sb_application_digest (JsonNode  *application,
                       GError   **error)
{
  gsize length = 0;
  g_autofree char *canonical = sb_jcs_serialize (application, &length, error);

  if (canonical == NULL)
    return NULL;
  return sb_sha256_hex (canonical, length);
}

char *
sb_application_compute_digest (SbDraft  *draft,
                               GError  **error)
{
  g_autoptr(JsonNode) application = sb_application_build (draft, error);

  if (application == NULL)
    return NULL;
  return sb_application_digest (application, error);
}
