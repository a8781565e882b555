/* sb-draft.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-draft.h"
#include "sb-json.h"
#include "sb-storage.h"

#define DRAFT_ERROR SB_ERROR_INVALID_DRAFT
#define FORMAT_NAME "shenbao-draft"
#define FORMAT_VERSION 1

struct _SbDraft
{
  GObject     parent_instance;

  SbCall     *call;
  GFile      *file;
  char       *display_name;
  SbValue    *values;         /* record: field id → value */
  GHashTable *attachments;    /* id → GPtrArray of SbAttachmentRef */
  GHashTable *acknowledged;   /* rule ids */
  char       *created;
  char       *modified;
  gint64      migrated_from;  /* 0: read with the version it names */
  GPtrArray  *dropped;        /* JSON paths of what the migration dropped */
  GBytes     *original;       /* the file as read, until a backup is written */
};

G_DEFINE_FINAL_TYPE (SbDraft, sb_draft, G_TYPE_OBJECT)

void
sb_attachment_ref_free (SbAttachmentRef *ref)
{
  g_free (ref->file);
  g_free (ref->sha256);
  g_free (ref);
}

static void
sb_draft_finalize (GObject *object)
{
  SbDraft *self = SB_DRAFT (object);

  g_clear_object (&self->call);
  g_clear_object (&self->file);
  g_free (self->display_name);
  g_clear_pointer (&self->values, sb_value_unref);
  g_hash_table_unref (self->attachments);
  g_hash_table_unref (self->acknowledged);
  g_free (self->created);
  g_free (self->modified);
  g_ptr_array_unref (self->dropped);
  g_clear_pointer (&self->original, g_bytes_unref);

  G_OBJECT_CLASS (sb_draft_parent_class)->finalize (object);
}

static void
sb_draft_class_init (SbDraftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_draft_finalize;
}

static void
sb_draft_init (SbDraft *self)
{
  self->values = sb_value_new_record ();
  self->attachments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  self->acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dropped = g_ptr_array_new_with_free_func (g_free);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

SbDraft *
sb_draft_new (SbCall *call)
{
  SbDraft *self = g_object_new (SB_TYPE_DRAFT, NULL);

  self->call = g_object_ref (call);
  self->display_name = g_strdup (_("(new draft)"));
  self->created = now_iso8601 ();
  return self;
}

/* Reading values: the JSON type of each value must be the one its field
 * needs; anything else is refused with the path of the value. */

typedef struct {
  SbDraft    *draft;
  const char *file;
  JsonNode   *root;
} Loader;

static gboolean
type_error (Loader      *loader,
            const char  *path,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  sb_set_error_at (error, DRAFT_ERROR, loader->file, path, _("expected %s, found %s"),
                   expected, sb_json_node_type_name (node));
  return FALSE;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static SbValue *value_from_json (Loader *loader, SbField *field, JsonNode *node, const char *path, GError **error);

static SbValue *
money_from_json (Loader      *loader,
                 JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  gint64 yuan;

  if (holds (node, G_TYPE_DOUBLE))
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, path,
                       _("money is stored as a whole number of 元 (150万元 is 1500000); found a fractional number"));
      return NULL;
    }
  if (!holds (node, G_TYPE_INT64))
    {
      type_error (loader, path, _("a whole number of 元"), node, error);
      return NULL;
    }

  yuan = json_node_get_int (node);
  if (yuan > SB_MONEY_MAX_YUAN || yuan < -SB_MONEY_MAX_YUAN)
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, path,
                       _("%" PRId64 " yuan is beyond any amount Shenbao accepts"), yuan);
      return NULL;
    }
  return sb_value_new_number (sb_number_from_int (yuan));
}

static SbValue *
decimal_from_json (Loader      *loader,
                   SbField     *field,
                   JsonNode    *node,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  SbNumber number;

  if (holds (node, G_TYPE_INT64))
    return sb_value_new_number (sb_number_from_int (json_node_get_int (node)));

  /* decimals are text, so that they survive any JSON tool exactly */
  if (!holds (node, G_TYPE_STRING))
    {
      type_error (loader, path, _("a decimal number written as text, e.g. \"500.5\""), node, error);
      return NULL;
    }
  if (!sb_number_parse_decimal (json_node_get_string (node), sb_field_get_decimals (field), &number, &local_error))
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, path, "%s", local_error->message);
      return NULL;
    }
  return sb_value_new_number (number);
}

static SbValue *
date_from_json (Loader      *loader,
                JsonNode    *node,
                const char  *path,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  SbDate date;

  if (!holds (node, G_TYPE_STRING))
    {
      type_error (loader, path, _("a date written as \"YYYY-MM-DD\""), node, error);
      return NULL;
    }
  if (!sb_date_parse (json_node_get_string (node), &date, &local_error))
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, path, "%s", local_error->message);
      return NULL;
    }
  return sb_value_new_date (date);
}

static SbValue *
choices_from_json (Loader      *loader,
                   JsonNode    *node,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(SbValue) list = sb_value_new_list ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      type_error (loader, path, _("a list of chosen values"), node, error);
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *element_path = sb_json_path_index (path, i);

      if (!holds (element, G_TYPE_STRING))
        {
          type_error (loader, element_path, _("a text"), element, error);
          return NULL;
        }
      if (!g_hash_table_add (seen, (gpointer) json_node_get_string (element)))
        {
          sb_set_error_at (error, DRAFT_ERROR, loader->file, element_path,
                           _("“%s” is chosen twice"), json_node_get_string (element));
          return NULL;
        }
      sb_value_list_append (list, sb_value_new_string (json_node_get_string (element)));
    }
  return g_steal_pointer (&list);
}

static SbValue *
record_from_json (Loader      *loader,
                  SbField     *field,
                  JsonNode    *node,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(SbValue) record = sb_value_new_record ();
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      type_error (loader, path, _("an object"), node, error);
      return NULL;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      SbField *child = sb_field_find_child (field, member);
      g_autofree char *member_path = sb_json_path_member (path, member);
      SbValue *value;

      if (child == NULL)
        {
          sb_set_error_at (error, DRAFT_ERROR, loader->file, member_path,
                           _("“%s” has no part “%s”"), sb_field_get_id (field), member);
          return NULL;
        }
      if (JSON_NODE_HOLDS_NULL (json_object_get_member (object, member)))
        continue;
      value = value_from_json (loader, child, json_object_get_member (object, member), member_path, error);
      if (value == NULL)
        return NULL;
      sb_value_record_set (record, member, value);
    }
  return g_steal_pointer (&record);
}

static SbValue *
rows_from_json (Loader      *loader,
                SbField     *field,
                JsonNode    *node,
                const char  *path,
                GError     **error)
{
  g_autoptr(SbValue) rows = sb_value_new_list ();
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      type_error (loader, path, _("a list of rows"), node, error);
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > SB_DRAFT_MAX_ROWS)
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, path, _("the table has %u rows; at most %d can be read"),
                       json_array_get_length (array), SB_DRAFT_MAX_ROWS);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *row_path = sb_json_path_index (path, i);
      SbValue *row = record_from_json (loader, field, json_array_get_element (array, i), row_path, error);

      if (row == NULL)
        return NULL;
      sb_value_list_append (rows, row);
    }
  return g_steal_pointer (&rows);
}

static SbValue *
value_from_json (Loader      *loader,
                 SbField     *field,
                 JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  switch (sb_field_get_field_type (field))
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
    case SB_FIELD_CHOICE:
      if (!holds (node, G_TYPE_STRING))
        return type_error (loader, path, _("a text"), node, error), NULL;
      return sb_value_new_string (json_node_get_string (node));
    case SB_FIELD_MONEY:
      return money_from_json (loader, node, path, error);
    case SB_FIELD_INTEGER:
      if (!holds (node, G_TYPE_INT64))
        return type_error (loader, path, _("an integer"), node, error), NULL;
      return sb_value_new_number (sb_number_from_int (json_node_get_int (node)));
    case SB_FIELD_DECIMAL:
      return decimal_from_json (loader, field, node, path, error);
    case SB_FIELD_DATE:
      return date_from_json (loader, node, path, error);
    case SB_FIELD_MULTI_CHOICE:
      return choices_from_json (loader, node, path, error);
    case SB_FIELD_YESNO:
    case SB_FIELD_DECLARATION:
      if (!holds (node, G_TYPE_BOOLEAN))
        return type_error (loader, path, _("true or false"), node, error), NULL;
      return sb_value_new_bool (json_node_get_boolean (node));
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      return record_from_json (loader, field, node, path, error);
    case SB_FIELD_TABLE:
      return rows_from_json (loader, field, node, path, error);
    }
  g_assert_not_reached ();
}

static gboolean
read_values (Loader        *loader,
             SbJsonReader  *reader,
             GError       **error)
{
  SbCall *call = loader->draft->call;
  g_autofree char *path = sb_json_reader_path (reader, "values");
  JsonNode *node = sb_json_reader_node (reader, "values");
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error (loader, path, _("an object"), node, error);

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *id = l->data;
      SbField *field = sb_call_find_field (call, id);
      JsonNode *member = json_object_get_member (object, id);
      g_autofree char *member_path = sb_json_path_member (path, id);
      SbValue *value;

      if (field == NULL)
        {
          sb_set_error_at (error, DRAFT_ERROR, loader->file, member_path,
                           _("the call “%s” has no field “%s”"), sb_call_get_id (call), id);
          return FALSE;
        }
      /* calculated values are derived, never taken from the file */
      if (sb_field_get_calculate (field) != NULL || JSON_NODE_HOLDS_NULL (member))
        continue;

      value = value_from_json (loader, field, member, member_path, error);
      if (value == NULL)
        return FALSE;
      sb_value_record_set (loader->draft->values, id, value);
    }
  return TRUE;
}

static gboolean
read_attachment_ref (Loader           *loader,
                     JsonNode         *node,
                     const char       *path,
                     SbAttachmentRef **out,
                     GError          **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_autoptr(SbAttachmentRef) ref = g_new0 (SbAttachmentRef, 1);

  ref->size = -1;
  if (!sb_json_reader_init (&reader, node, loader->file, path, DRAFT_ERROR, error) ||
      !sb_json_reader_string (&reader, "file", TRUE, &ref->file, error) ||
      !sb_json_reader_string (&reader, "sha256", FALSE, &ref->sha256, error) ||
      !sb_json_reader_int (&reader, "size", FALSE, 0, G_MAXINT64, &ref->size, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  if (ref->sha256 != NULL && !g_regex_match_simple ("^[0-9a-f]{64}$", ref->sha256, 0, 0))
    {
      g_autofree char *hash_path = sb_json_path_member (path, "sha256");
      sb_set_error_at (error, DRAFT_ERROR, loader->file, hash_path,
                       _("a SHA-256 digest is 64 lower-case hexadecimal digits"));
      return FALSE;
    }
  if (*ref->file == '\0')
    {
      g_autofree char *file_path = sb_json_path_member (path, "file");
      sb_set_error_at (error, DRAFT_ERROR, loader->file, file_path, _("the file name is empty"));
      return FALSE;
    }

  *out = g_steal_pointer (&ref);
  return TRUE;
}

static gboolean
read_attachments (Loader        *loader,
                  SbJsonReader  *reader,
                  GError       **error)
{
  g_autofree char *path = sb_json_reader_path (reader, "attachments");
  JsonNode *node = sb_json_reader_node (reader, "attachments");
  g_autoptr(GList) members = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error (loader, path, _("an object"), node, error);

  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *id = l->data;
      JsonNode *list = json_object_get_member (json_node_get_object (node), id);
      g_autofree char *list_path = sb_json_path_member (path, id);

      if (sb_call_find_attachment (loader->draft->call, id) == NULL)
        {
          sb_set_error_at (error, DRAFT_ERROR, loader->file, list_path,
                           _("the call “%s” asks for no attachment “%s”"),
                           sb_call_get_id (loader->draft->call), id);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (list))
        return type_error (loader, list_path, _("a list of files"), list, error);

      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          g_autofree char *ref_path = sb_json_path_index (list_path, i);
          SbAttachmentRef *ref = NULL;

          if (!read_attachment_ref (loader, json_array_get_element (json_node_get_array (list), i),
                                    ref_path, &ref, error))
            return FALSE;
          sb_draft_add_attachment (loader->draft, id, ref);
        }
    }
  return TRUE;
}

static gboolean
read_acknowledged (Loader        *loader,
                   SbJsonReader  *reader,
                   GError       **error)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "acknowledged");

  if (!sb_json_reader_string_array (reader, "acknowledged", &ids, error))
    return FALSE;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      if (sb_call_find_rule (loader->draft->call, ids[i]) == NULL)
        {
          g_autofree char *item_path = sb_json_path_index (path, i);
          sb_set_error_at (error, DRAFT_ERROR, loader->file, item_path,
                           _("the call “%s” has no rule “%s” to acknowledge"),
                           sb_call_get_id (loader->draft->call), ids[i]);
          return FALSE;
        }
      g_hash_table_add (loader->draft->acknowledged, g_strdup (ids[i]));
    }
  return TRUE;
}

/* Migration of a draft made with an older version of its call: whatever
 * the new version no longer has (a field, a part of a person or
 * organisation, a table column, an attachment slot, an acknowledged rule)
 * is dropped from the JSON before it is read, and listed; everything else
 * is read as it is, and checked as any draft is. */

static void
drop_member (Loader     *loader,
             JsonObject *object,
             const char *member,
             const char *path)
{
  g_ptr_array_add (loader->draft->dropped, sb_json_path_member (path, member));
  json_object_remove_member (object, member);
}

static void
migrate_record (Loader     *loader,
                SbField    *field,
                JsonObject *record,
                const char *path)
{
  g_autoptr(GList) members = json_object_get_members (record);

  for (GList *l = members; l != NULL; l = l->next)
    if (sb_field_find_child (field, l->data) == NULL)
      drop_member (loader, record, l->data, path);
}

static void
migrate_values (Loader     *loader,
                JsonObject *values)
{
  SbCall *call = loader->draft->call;
  g_autoptr(GList) members = json_object_get_members (values);

  for (GList *l = members; l != NULL; l = l->next)
    {
      SbField *field = sb_call_find_field (call, l->data);
      JsonNode *node = json_object_get_member (values, l->data);
      g_autofree char *path = sb_json_path_member ("$.values", l->data);

      if (field == NULL)
        {
          drop_member (loader, values, l->data, "$.values");
          continue;
        }
      if ((sb_field_get_field_type (field) == SB_FIELD_PERSON ||
           sb_field_get_field_type (field) == SB_FIELD_ORGANISATION) && JSON_NODE_HOLDS_OBJECT (node))
        migrate_record (loader, field, json_node_get_object (node), path);
      else if (sb_field_get_field_type (field) == SB_FIELD_TABLE && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *rows = json_node_get_array (node);
          guint n = MIN (json_array_get_length (rows), SB_DRAFT_MAX_ROWS);

          for (guint i = 0; i < n; i++)
            {
              JsonNode *row = json_array_get_element (rows, i);
              g_autofree char *row_path = sb_json_path_index (path, i);

              if (JSON_NODE_HOLDS_OBJECT (row))
                migrate_record (loader, field, json_node_get_object (row), row_path);
            }
        }
    }
}

static void
migrate (Loader *loader)
{
  JsonObject *root = json_node_get_object (loader->root);
  SbCall *call = loader->draft->call;
  JsonNode *node;

  node = json_object_get_member (root, "values");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    migrate_values (loader, json_node_get_object (node));

  node = json_object_get_member (root, "attachments");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *attachments = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (attachments);

      for (GList *l = members; l != NULL; l = l->next)
        if (sb_call_find_attachment (call, l->data) == NULL)
          drop_member (loader, attachments, l->data, "$.attachments");
    }

  node = json_object_get_member (root, "acknowledged");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *ids = json_node_get_array (node);

      for (guint i = json_array_get_length (ids); i-- > 0;)
        {
          JsonNode *element = json_array_get_element (ids, i);
          const char *id = JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
                           ? json_node_get_string (element) : NULL;

          if (id != NULL && sb_call_find_rule (call, id) == NULL)
            {
              g_ptr_array_add (loader->draft->dropped, g_strdup_printf ("$.acknowledged: %s", id));
              json_array_remove_element (ids, i);
            }
        }
    }
}

static gboolean
resolve_call (Loader        *loader,
              SbJsonReader  *reader,
              SbCatalog     *catalog,
              GError       **error)
{
  g_auto(SbJsonReader) inner = { 0 };
  g_autofree char *path = sb_json_reader_path (reader, "call");
  g_autofree char *id = NULL;
  gint64 version = 0;
  SbCall *call, *newest;

  if (!sb_json_reader_has (reader, "call"))
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, "$", _("the key “%s” is required"), "call");
      return FALSE;
    }

  if (!sb_json_reader_init (&inner, sb_json_reader_node (reader, "call"), loader->file, path, DRAFT_ERROR, error) ||
      !sb_json_reader_string (&inner, "id", TRUE, &id, error) ||
      !sb_json_reader_int (&inner, "version", TRUE, 1, G_MAXINT32, &version, error) ||
      !sb_json_reader_finish (&inner, error))
    return FALSE;

  call = sb_catalog_lookup (catalog, id, version);
  newest = sb_catalog_lookup (catalog, id, 0);
  if (call == NULL && newest != NULL && sb_call_get_version (newest) > version)
    {
      /* a draft of an older version moves to the newest one */
      loader->draft->call = g_object_ref (newest);
      loader->draft->migrated_from = version;
      migrate (loader);
      return TRUE;
    }
  if (call == NULL)
    {
      g_autofree char *versions = sb_catalog_list_versions (catalog, id);

      if (versions == NULL)
        {
          g_autoptr(GFile) folder = sb_catalog_get_user_directory ();
          g_autofree char *folder_name = g_file_get_parse_name (folder);

          g_set_error (error, SB_ERROR, SB_ERROR_UNKNOWN_CALL,
                       _("%s: %s: the draft is for the call “%s”, which this Shenbao does not have; "
                         "add its definition to %s or give it with --forms"),
                       loader->file, path, id, folder_name);
        }
      else
        g_set_error (error, SB_ERROR, SB_ERROR_CALL_VERSION,
                     _("%s: %s: the draft is for version %" PRId64 " of the call “%s”; "
                       "the versions available are %s"),
                     loader->file, path, version, id, versions);
      return FALSE;
    }

  loader->draft->call = g_object_ref (call);
  return TRUE;
}

static gboolean
read_format (Loader        *loader,
             SbJsonReader  *reader,
             GError       **error)
{
  g_autofree char *format = NULL;
  gint64 version = 0;

  if (!sb_json_reader_string (reader, "format", TRUE, &format, error))
    return FALSE;
  if (!g_str_equal (format, FORMAT_NAME))
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, "$.format",
                       _("this is not a Shenbao draft: “format” is “%s”, expected “%s”"), format, FORMAT_NAME);
      return FALSE;
    }
  if (!sb_json_reader_int (reader, "format_version", TRUE, 1, G_MAXINT32, &version, error))
    return FALSE;
  if (version != FORMAT_VERSION)
    {
      sb_set_error_at (error, DRAFT_ERROR, loader->file, "$.format_version",
                       _("draft format version %" PRId64 " is newer than this Shenbao reads (%d); "
                         "update Shenbao"), version, FORMAT_VERSION);
      return FALSE;
    }
  return TRUE;
}

SbDraft *
sb_draft_load_bytes (GBytes      *bytes,
                     const char  *display_name,
                     SbCatalog   *catalog,
                     GError     **error)
{
  g_autoptr(SbDraft) self = g_object_new (SB_TYPE_DRAFT, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_auto(SbJsonReader) reader = { 0 };
  Loader loader = { self, display_name, NULL };

  self->display_name = g_strdup (display_name);
  root = sb_json_parse_bytes (bytes, display_name, error);
  if (root == NULL)
    return NULL;
  loader.root = root;

  if (!sb_json_reader_init (&reader, root, display_name, "$", DRAFT_ERROR, error) ||
      !read_format (&loader, &reader, error) ||
      !resolve_call (&loader, &reader, catalog, error) ||
      !read_values (&loader, &reader, error) ||
      !read_attachments (&loader, &reader, error) ||
      !read_acknowledged (&loader, &reader, error) ||
      !sb_json_reader_string (&reader, "created", FALSE, &self->created, error) ||
      !sb_json_reader_string (&reader, "modified", FALSE, &self->modified, error) ||
      !sb_json_reader_finish (&reader, error))
    return NULL;

  if (self->migrated_from > 0)
    self->original = g_bytes_ref (bytes);
  return g_steal_pointer (&self);
}

SbDraft *
sb_draft_load (GFile      *file,
               SbCatalog  *catalog,
               GError    **error)
{
  g_autoptr(GBytes) bytes = sb_json_read_file (file, error);
  g_autofree char *name = g_file_get_parse_name (file);
  SbDraft *self;

  if (bytes == NULL)
    return NULL;

  self = sb_draft_load_bytes (bytes, name, catalog, error);
  if (self != NULL)
    sb_draft_set_file (self, file);
  return self;
}

/* Writing */

static void add_value_json (JsonBuilder *builder, SbField *field, const SbValue *value);

static void
add_record_json (JsonBuilder   *builder,
                 SbField       *field,
                 const SbValue *record)
{
  GPtrArray *children = sb_field_get_children (field);

  json_builder_begin_object (builder);
  for (guint i = 0; i < children->len; i++)
    {
      SbField *child = g_ptr_array_index (children, i);
      const SbValue *value = sb_value_record_get (record, sb_field_get_id (child));

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, sb_field_get_id (child));
      add_value_json (builder, child, value);
    }
  json_builder_end_object (builder);
}

static void
add_value_json (JsonBuilder   *builder,
                SbField       *field,
                const SbValue *value)
{
  switch (sb_value_get_kind (value))
    {
    case SB_VALUE_BOOL:
      json_builder_add_boolean_value (builder, sb_value_get_bool (value));
      break;
    case SB_VALUE_STRING:
      json_builder_add_string_value (builder, sb_value_get_string (value));
      break;
    case SB_VALUE_DATE:
      {
        g_autofree char *text = sb_date_format (sb_value_get_date (value));
        json_builder_add_string_value (builder, text);
      }
      break;
    case SB_VALUE_NUMBER:
      {
        SbNumber number = sb_value_get_number (value);
        gint64 integer;

        if (sb_field_get_field_type (field) != SB_FIELD_DECIMAL && sb_number_to_int (number, &integer))
          json_builder_add_int_value (builder, integer);
        else
          {
            g_autofree char *text = sb_number_format (number, sb_field_get_decimals (field));
            json_builder_add_string_value (builder, text);
          }
      }
      break;
    case SB_VALUE_LIST:
      json_builder_begin_array (builder);
      for (guint i = 0; i < sb_value_get_list (value)->len; i++)
        {
          const SbValue *item = g_ptr_array_index (sb_value_get_list (value), i);

          if (sb_field_get_field_type (field) == SB_FIELD_TABLE)
            add_record_json (builder, field, item);
          else
            add_value_json (builder, field, item);
        }
      json_builder_end_array (builder);
      break;
    case SB_VALUE_RECORD:
      add_record_json (builder, field, value);
      break;
    default:
      json_builder_add_null_value (builder);
      break;
    }
}

static void
add_attachments_json (SbDraft     *self,
                      JsonBuilder *builder)
{
  GArray *specs = sb_call_get_attachments (self->call);

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_object (builder);
  for (guint i = 0; i < specs->len; i++)
    {
      const char *id = g_array_index (specs, SbAttachmentSpec, i).id;
      GPtrArray *refs = g_hash_table_lookup (self->attachments, id);

      if (refs == NULL)
        continue;
      json_builder_set_member_name (builder, id);
      json_builder_begin_array (builder);
      for (guint j = 0; j < refs->len; j++)
        {
          SbAttachmentRef *ref = g_ptr_array_index (refs, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, ref->file);
          if (ref->sha256 != NULL)
            {
              json_builder_set_member_name (builder, "sha256");
              json_builder_add_string_value (builder, ref->sha256);
            }
          if (ref->size >= 0)
            {
              json_builder_set_member_name (builder, "size");
              json_builder_add_int_value (builder, ref->size);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

char *
sb_draft_to_data (SbDraft *self,
                  gsize   *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) acknowledged = NULL;
  GPtrArray *fields = sb_call_get_fields (self->call);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "call");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sb_call_get_id (self->call));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, sb_call_get_version (self->call));
  json_builder_end_object (builder);

  if (self->created != NULL)
    {
      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, self->created);
    }
  if (self->modified != NULL)
    {
      json_builder_set_member_name (builder, "modified");
      json_builder_add_string_value (builder, self->modified);
    }

  /* fields in the order of the form, so that a diff of two drafts reads well */
  json_builder_set_member_name (builder, "values");
  json_builder_begin_object (builder);
  for (guint i = 0; i < fields->len; i++)
    {
      SbField *field = g_ptr_array_index (fields, i);
      const SbValue *value = sb_value_record_get (self->values, sb_field_get_id (field));

      if (value == NULL || sb_field_get_calculate (field) != NULL)
        continue;
      json_builder_set_member_name (builder, sb_field_get_id (field));
      add_value_json (builder, field, value);
    }
  json_builder_end_object (builder);

  add_attachments_json (self, builder);

  json_builder_set_member_name (builder, "acknowledged");
  json_builder_begin_array (builder);
  acknowledged = g_list_sort (g_hash_table_get_keys (self->acknowledged), (GCompareFunc) g_strcmp0);
  for (GList *l = acknowledged; l != NULL; l = l->next)
    json_builder_add_string_value (builder, l->data);
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, length);
}

/* Before a migrated draft replaces the file it was read from, the original
 * is kept next to it as NAME.vN.bak (NAME.vN.2.bak, … if that name is
 * taken by other content): a backup is never overwritten. */
static gboolean
write_backup (SbDraft  *self,
              GError  **error)
{
  g_autoptr(GFile) folder = g_file_get_parent (self->file);
  g_autofree char *base = g_file_get_basename (self->file);
  gsize length;
  const char *data = g_bytes_get_data (self->original, &length);

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s.v%" G_GINT64_FORMAT ".bak", base, self->migrated_from)
                                     : g_strdup_printf ("%s.v%" G_GINT64_FORMAT ".%u.bak", base, self->migrated_from, n);
      g_autoptr(GFile) backup = folder ? g_file_get_child (folder, name) : g_file_new_for_path (name);
      g_autoptr(GBytes) existing = NULL;

      if (!g_file_query_exists (backup, NULL))
        {
          if (!sb_storage_write_atomic (backup, data, length, error))
            return FALSE;
          g_clear_pointer (&self->original, g_bytes_unref);
          return TRUE;
        }
      existing = g_file_load_bytes (backup, NULL, NULL, NULL);
      if (existing != NULL && g_bytes_equal (existing, self->original))
        {
          g_clear_pointer (&self->original, g_bytes_unref);
          return TRUE;
        }
    }
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("no free name for a backup of %s"), base);
  return FALSE;
}

gboolean
sb_draft_save (SbDraft  *self,
               GFile    *file,
               GError  **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (self->original != NULL && self->file != NULL && g_file_equal (file, self->file) &&
      !write_backup (self, error))
    return FALSE;

  g_free (self->modified);
  self->modified = now_iso8601 ();
  data = sb_draft_to_data (self, &length);

  if (!sb_storage_write_atomic (file, data, length, error))
    return FALSE;

  sb_draft_set_file (self, file);
  return TRUE;
}

/* The version of its call the draft was made with, when it was moved to a
 * newer one on load (0 otherwise), and the JSON paths of what was dropped. */
gint64
sb_draft_get_migrated_from (SbDraft *self)
{
  return self->migrated_from;
}

GPtrArray *
sb_draft_get_dropped (SbDraft *self)
{
  return self->dropped;
}

/* Sets "modified" to now, for a writer that serialises with
 * sb_draft_to_data and writes elsewhere (the autosaver's thread). */
void
sb_draft_touch (SbDraft *self)
{
  g_free (self->modified);
  self->modified = now_iso8601 ();
}

SbCall *
sb_draft_get_call (SbDraft *self)
{
  return self->call;
}

GFile *
sb_draft_get_file (SbDraft *self)
{
  return self->file;
}

/* Where the draft lives: attached files are found relative to it. */
void
sb_draft_set_file (SbDraft *self,
                   GFile   *file)
{
  if (!g_set_object (&self->file, file))
    return;
  g_free (self->display_name);
  self->display_name = file ? g_file_get_parse_name (file) : g_strdup (_("(new draft)"));
}

const char *
sb_draft_get_display_name (SbDraft *self)
{
  return self->display_name;
}

SbValue *
sb_draft_get_values (SbDraft *self)
{
  return self->values;
}

SbValue *
sb_draft_get_value (SbDraft    *self,
                    const char *field_id)
{
  return sb_value_record_get (self->values, field_id);
}

void
sb_draft_set_value (SbDraft    *self,
                    const char *field_id,
                    SbValue    *value)
{
  g_return_if_fail (sb_call_find_field (self->call, field_id) != NULL);

  if (value == NULL)
    g_hash_table_remove (sb_value_get_record (self->values), field_id);
  else
    sb_value_record_set (self->values, field_id, value);
}

GPtrArray *
sb_draft_get_attachments (SbDraft    *self,
                          const char *attachment_id)
{
  return g_hash_table_lookup (self->attachments, attachment_id);
}

GList *
sb_draft_list_attachment_ids (SbDraft *self)
{
  return g_hash_table_get_keys (self->attachments);
}

void
sb_draft_add_attachment (SbDraft         *self,
                         const char      *attachment_id,
                         SbAttachmentRef *ref)
{
  GPtrArray *refs = g_hash_table_lookup (self->attachments, attachment_id);

  if (refs == NULL)
    {
      refs = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_attachment_ref_free);
      g_hash_table_insert (self->attachments, g_strdup (attachment_id), refs);
    }
  g_ptr_array_add (refs, ref);
}

gboolean
sb_draft_is_acknowledged (SbDraft    *self,
                          const char *rule_id)
{
  return g_hash_table_contains (self->acknowledged, rule_id);
}

void
sb_draft_set_acknowledged (SbDraft    *self,
                           const char *rule_id,
                           gboolean    acknowledged)
{
  if (acknowledged)
    g_hash_table_add (self->acknowledged, g_strdup (rule_id));
  else
    g_hash_table_remove (self->acknowledged, rule_id);
}
