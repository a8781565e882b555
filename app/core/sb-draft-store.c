/* sb-draft-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-draft-store.h"
#include "sb-error.h"
#include "sb-problem.h"
#include "sb-storage.h"
#include "sb-validator.h"

#define TITLE_FILE_NAME "draft.ini"
#define TRASH_NAME ".trash"
#define ATTACHMENTS_NAME "attachments"

struct _SbDraftStore
{
  GObject    parent_instance;

  GFile     *directory;
  SbCatalog *catalog;
};

G_DEFINE_FINAL_TYPE (SbDraftStore, sb_draft_store, G_TYPE_OBJECT)

void
sb_draft_entry_free (SbDraftEntry *entry)
{
  g_free (entry->id);
  g_clear_object (&entry->file);
  g_free (entry->title);
  g_clear_object (&entry->call);
  g_clear_pointer (&entry->modified, g_date_time_unref);
  g_free (entry->broken);
  g_free (entry);
}

static void
sb_draft_store_finalize (GObject *object)
{
  SbDraftStore *self = SB_DRAFT_STORE (object);

  g_clear_object (&self->directory);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (sb_draft_store_parent_class)->finalize (object);
}

static void
sb_draft_store_class_init (SbDraftStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_draft_store_finalize;
}

static void
sb_draft_store_init (SbDraftStore *self)
{
}

GFile *
sb_draft_store_get_default_directory (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "shenbao", "drafts", NULL);
}

SbDraftStore *
sb_draft_store_new (GFile     *directory,
                    SbCatalog *catalog)
{
  SbDraftStore *self = g_object_new (SB_TYPE_DRAFT_STORE, NULL);

  self->directory = g_object_ref (directory);
  self->catalog = g_object_ref (catalog);
  return self;
}

GFile *
sb_draft_store_get_directory (SbDraftStore *self)
{
  return self->directory;
}

SbCatalog *
sb_draft_store_get_catalog (SbDraftStore *self)
{
  return self->catalog;
}

/* Helpers */

static gboolean
valid_id (const char *id)
{
  return id != NULL && id[0] != '\0' && id[0] != '.' && strchr (id, '/') == NULL;
}

static GFile *
draft_folder (SbDraftStore *self,
              const char   *id)
{
  return g_file_get_child (self->directory, id);
}

static GFile *
draft_file (SbDraftStore *self,
            const char   *id)
{
  g_autoptr(GFile) folder = draft_folder (self, id);
  return g_file_get_child (folder, SB_DRAFT_STORE_FILE_NAME);
}

static gboolean
check_id (SbDraftStore  *self,
          const char    *id,
          GError       **error)
{
  g_autoptr(GFile) file = NULL;

  if (!valid_id (id))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("“%s” is not a draft"), id ? id : "");
      return FALSE;
    }
  file = draft_file (self, id);
  if (!g_file_query_exists (file, NULL))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the draft does not exist"),
                   g_file_peek_path (file));
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_directory (GFile   *directory,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_make_directory_with_parents (directory, NULL, &local_error) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    return TRUE;
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the folder cannot be created: %s"),
               g_file_peek_path (directory), local_error->message);
  return FALSE;
}

/* A new, empty folder with a fresh id. */
static char *
new_folder (SbDraftStore  *self,
            GError       **error)
{
  if (!make_directory (self->directory, error))
    return NULL;

  for (guint attempt = 0; attempt < 16; attempt++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(GFile) folder = draft_folder (self, id);
      g_autoptr(GError) local_error = NULL;

      if (g_file_make_directory (folder, NULL, &local_error))
        return g_steal_pointer (&id);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the folder cannot be created: %s"),
                       g_file_peek_path (folder), local_error->message);
          return NULL;
        }
    }
  g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: no new draft folder can be made"),
               g_file_peek_path (self->directory));
  return NULL;
}

static void
delete_recursively (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        delete_recursively (child);
    }
  g_file_delete (file, NULL, NULL);
}

/* Copies a folder, leaving out the names in skip; the caller writes those. */
static gboolean
copy_recursively (GFile        *from,
                  GFile        *to,
                  const char  **skip,
                  GError      **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  if (!make_directory (to, error))
    return FALSE;
  children = g_file_enumerate_children (from, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (children == NULL)
    return FALSE;

  while (g_file_enumerator_iterate (children, &info, &child, NULL, error))
    {
      const char *name;
      g_autoptr(GFile) target = NULL;

      if (info == NULL)
        return TRUE;
      name = g_file_info_get_name (info);
      if (skip != NULL && g_strv_contains (skip, name))
        continue;
      target = g_file_get_child (to, name);
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (!copy_recursively (child, target, NULL, error))
            return FALSE;
        }
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
               !g_file_copy (child, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
        return FALSE;
    }
  return FALSE;
}

static char *
read_title (GFile *folder)
{
  g_autoptr(GFile) file = g_file_get_child (folder, TITLE_FILE_NAME);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *title = NULL;

  if (!g_key_file_load_from_file (keys, g_file_peek_path (file), G_KEY_FILE_NONE, NULL))
    return NULL;
  title = g_key_file_get_string (keys, "Draft", "title", NULL);
  if (title == NULL || !g_utf8_validate (title, -1, NULL))
    return NULL;
  g_strstrip (title);
  return title[0] != '\0' ? g_steal_pointer (&title) : NULL;
}

static gboolean
write_title (GFile       *folder,
             const char  *title,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_get_child (folder, TITLE_FILE_NAME);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize length = 0;

  g_key_file_set_string (keys, "Draft", "title", title);
  data = g_key_file_to_data (keys, &length, NULL);
  return sb_storage_write_atomic (file, data, length, error);
}

static char *
call_title (SbCall *call)
{
  return g_strdup (sb_text_get (sb_call_get_title (call), sb_prefer_chinese ()));
}

/* A draft without a title of its own is called by its first text answer
 * of the first step (the project's name in every built-in call), else by
 * its call. */
static char *
default_title (SbDraft *draft)
{
  SbCall *call = sb_draft_get_call (draft);
  GArray *steps = sb_call_get_steps (call);

  if (steps != NULL && steps->len > 0)
    {
      GPtrArray *fields = g_array_index (steps, SbStep, 0).fields;

      for (guint i = 0; fields != NULL && i < fields->len; i++)
        {
          SbField *field = g_ptr_array_index (fields, i);
          SbValue *value;

          if (sb_field_get_field_type (field) != SB_FIELD_TEXT)
            continue;
          value = sb_draft_get_value (draft, sb_field_get_id (field));
          if (value != NULL && sb_value_get_kind (value) == SB_VALUE_STRING &&
              sb_value_get_string (value)[0] != '\0')
            return g_strdup (sb_value_get_string (value));
          break;
        }
    }
  return call_title (call);
}

/* Listing */

static SbDraftEntry *
read_entry (SbDraftStore *self,
            const char   *id)
{
  g_autoptr(SbDraftEntry) entry = g_new0 (SbDraftEntry, 1);
  g_autoptr(GFile) folder = draft_folder (self, id);
  g_autoptr(GFile) marker = g_file_get_child (folder, SB_DRAFT_STORE_MARKER_NAME);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  entry->id = g_strdup (id);
  entry->file = g_file_get_child (folder, SB_DRAFT_STORE_FILE_NAME);
  info = g_file_query_info (entry->file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    return NULL;
  entry->modified = g_file_info_get_modification_date_time (info);
  entry->unclosed = g_file_query_exists (marker, NULL);
  entry->title = read_title (folder);

  draft = sb_draft_load (entry->file, self->catalog, &error);
  if (draft == NULL)
    {
      entry->broken = g_strdup (error->message);
      if (entry->title == NULL)
        entry->title = g_strdup (id);
    }
  else
    {
      g_autoptr(SbValidator) validator = NULL;
      g_autoptr(GPtrArray) problems = NULL;

      entry->call = g_object_ref (sb_draft_get_call (draft));
      validator = sb_validator_new (entry->call);
      problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
      guint infos;

      sb_problems_count (problems, &entry->errors, &entry->warnings, &infos);
      if (entry->title == NULL)
        entry->title = default_title (draft);
    }
  return g_steal_pointer (&entry);
}

SbDraftEntry *
sb_draft_store_get_entry (SbDraftStore *self,
                          const char   *id)
{
  g_return_val_if_fail (SB_IS_DRAFT_STORE (self), NULL);

  if (!valid_id (id))
    return NULL;
  return read_entry (self, id);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const SbDraftEntry *x = *(SbDraftEntry * const *) a;
  const SbDraftEntry *y = *(SbDraftEntry * const *) b;
  int order = g_date_time_compare (y->modified, x->modified);

  return order != 0 ? order : g_strcmp0 (x->id, y->id);
}

/* Every draft of the folder, newest first; drafts that do not load are
 * listed too, with the reason. */
GPtrArray *
sb_draft_store_list (SbDraftStore *self)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_draft_entry_free);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  g_return_val_if_fail (SB_IS_DRAFT_STORE (self), entries);

  children = g_file_enumerate_children (self->directory, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (children == NULL)
    return entries;

  while (g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);
      SbDraftEntry *entry;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY || !valid_id (name))
        continue;
      entry = read_entry (self, name);
      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_newest_first);
  return entries;
}

/* The id of a draft file inside the store, or NULL for a file elsewhere. */
char *
sb_draft_store_id_for_file (SbDraftStore *self,
                            GFile        *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) grandparent = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *id = NULL;

  if (parent == NULL || g_strcmp0 (basename, SB_DRAFT_STORE_FILE_NAME) != 0)
    return NULL;
  grandparent = g_file_get_parent (parent);
  if (grandparent == NULL || !g_file_equal (grandparent, self->directory))
    return NULL;
  id = g_file_get_basename (parent);
  return valid_id (id) ? g_steal_pointer (&id) : NULL;
}

/* The title the list shows for a loaded draft of the store. */
char *
sb_draft_store_get_title (SbDraft *draft)
{
  GFile *file = sb_draft_get_file (draft);
  g_autoptr(GFile) folder = file != NULL ? g_file_get_parent (file) : NULL;
  char *title = folder != NULL ? read_title (folder) : NULL;

  return title != NULL ? title : default_title (draft);
}

/* Changing */

SbDraft *
sb_draft_store_create (SbDraftStore  *self,
                       SbCall        *call,
                       GError       **error)
{
  g_autofree char *id = new_folder (self, error);
  g_autoptr(GFile) file = NULL;
  g_autoptr(SbDraft) draft = NULL;

  if (id == NULL)
    return NULL;
  file = draft_file (self, id);
  draft = sb_draft_new (call);
  if (!sb_draft_save (draft, file, error))
    return NULL;
  return g_steal_pointer (&draft);
}

/* A draft that does not load is never written: the error says why and the
 * file stays as it is, for the applicant (or a newer Shenbao) to read. */
SbDraft *
sb_draft_store_load (SbDraftStore  *self,
                     const char    *id,
                     GError       **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (SB_IS_DRAFT_STORE (self), NULL);

  if (!check_id (self, id, error))
    return NULL;
  file = draft_file (self, id);
  return sb_draft_load (file, self->catalog, error);
}

static char *
unique_attachment_name (GFile      *folder,
                        const char *basename)
{
  g_autofree char *stem = g_strdup (basename);
  const char *dot = strrchr (basename, '.');
  const char *extension = dot != NULL && dot != basename ? dot : "";

  stem[strlen (basename) - strlen (extension)] = '\0';
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (basename)
                                     : g_strdup_printf ("%s-%u%s", stem, n, extension);
      g_autoptr(GFile) child = g_file_get_child (folder, name);

      if (!g_file_query_exists (child, NULL))
        return g_steal_pointer (&name);
    }
}

/* Copies the attachments a draft refers to next to its new file; those that
 * cannot be read (under the Flatpak the portal hands over only the draft
 * itself) are listed in missing and keep their reference. */
static gboolean
import_attachments (SbDraft    *draft,
                    GFile      *source_folder,
                    GFile      *folder,
                    GPtrArray  *missing,
                    GError    **error)
{
  g_autoptr(GFile) attachments = g_file_get_child (folder, ATTACHMENTS_NAME);
  g_autoptr(GList) ids = sb_draft_list_attachment_ids (draft);

  for (GList *l = ids; l != NULL; l = l->next)
    {
      GPtrArray *refs = sb_draft_get_attachments (draft, l->data);

      for (guint i = 0; refs != NULL && i < refs->len; i++)
        {
          SbAttachmentRef *ref = g_ptr_array_index (refs, i);
          g_autoptr(GFile) from = g_path_is_absolute (ref->file)
                                  ? g_file_new_for_path (ref->file)
                                  : g_file_resolve_relative_path (source_folder, ref->file);
          g_autofree char *basename = g_file_get_basename (from);
          g_autofree char *name = NULL;
          g_autoptr(GFile) to = NULL;

          if (g_file_query_file_type (from, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_REGULAR)
            {
              g_ptr_array_add (missing, g_strdup_printf ("%s: %s", (char *) l->data, ref->file));
              continue;
            }
          if (!make_directory (attachments, error))
            return FALSE;
          name = unique_attachment_name (attachments, basename);
          to = g_file_get_child (attachments, name);
          if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL))
            {
              g_ptr_array_add (missing, g_strdup_printf ("%s: %s", (char *) l->data, ref->file));
              continue;
            }
          g_free (ref->file);
          ref->file = g_build_filename (ATTACHMENTS_NAME, name, NULL);
        }
    }
  return TRUE;
}

/* Opening a draft from elsewhere copies it into the store, with the
 * attachments it can reach. */
SbDraft *
sb_draft_store_import (SbDraftStore  *self,
                       GFile         *file,
                       GPtrArray    **missing,
                       GError       **error)
{
  g_autoptr(SbDraft) draft = sb_draft_load (file, self->catalog, error);
  g_autoptr(GPtrArray) not_found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) source_folder = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *id = NULL;

  if (draft == NULL)
    return NULL;
  id = new_folder (self, error);
  if (id == NULL)
    return NULL;
  folder = draft_folder (self, id);
  source_folder = g_file_get_parent (file);
  target = g_file_get_child (folder, SB_DRAFT_STORE_FILE_NAME);

  if (!import_attachments (draft, source_folder, folder, not_found, error) ||
      !sb_draft_save (draft, target, error))
    {
      delete_recursively (folder);
      return NULL;
    }
  if (missing != NULL)
    *missing = g_steal_pointer (&not_found);
  return g_steal_pointer (&draft);
}

char *
sb_draft_store_duplicate (SbDraftStore  *self,
                          const char    *id,
                          GError       **error)
{
  static const char *skip[] = { SB_DRAFT_STORE_FILE_NAME, SB_DRAFT_STORE_MARKER_NAME,
                                TITLE_FILE_NAME, NULL };
  g_autoptr(SbDraftEntry) entry = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!check_id (self, id, error))
    return NULL;
  entry = read_entry (self, id);
  from = draft_folder (self, id);
  if (!g_file_load_contents (entry->file, NULL, &data, &length, NULL, error))
    return NULL;
  new_id = new_folder (self, error);
  if (new_id == NULL)
    return NULL;
  to = draft_folder (self, new_id);
  target = g_file_get_child (to, SB_DRAFT_STORE_FILE_NAME);
  /* TRANSLATORS: the title of a duplicated draft */
  title = g_strdup_printf (_("%s (copy)"), entry->title);

  /* draft.json last: a folder without it is not a draft yet */
  if (!copy_recursively (from, to, skip, error) ||
      !write_title (to, title, error) ||
      !sb_storage_write_atomic (target, data, length, error))
    {
      delete_recursively (to);
      return NULL;
    }
  return g_steal_pointer (&new_id);
}

gboolean
sb_draft_store_rename (SbDraftStore  *self,
                       const char    *id,
                       const char    *title,
                       GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *clean = NULL;

  if (!check_id (self, id, error))
    return FALSE;
  clean = g_strstrip (g_strdup (title));
  if (clean[0] == '\0' || !g_utf8_validate (clean, -1, NULL))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("A draft needs a title"));
      return FALSE;
    }
  folder = draft_folder (self, id);
  return write_title (folder, clean, error);
}

static GFile *
trash_folder (SbDraftStore *self,
              const char   *id)
{
  g_autoptr(GFile) trash = g_file_get_child (self->directory, TRASH_NAME);
  return g_file_get_child (trash, id);
}

/* Deleting moves the folder to the trash, so the undo toast can bring it
 * back; sb_draft_store_empty_trash deletes for good. */
gboolean
sb_draft_store_trash (SbDraftStore  *self,
                      const char    *id,
                      GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) trashed = NULL;
  g_autoptr(GFile) trash = NULL;

  if (!check_id (self, id, error))
    return FALSE;
  folder = draft_folder (self, id);
  trashed = trash_folder (self, id);
  trash = g_file_get_parent (trashed);
  if (!make_directory (trash, error))
    return FALSE;
  delete_recursively (trashed);
  return g_file_move (folder, trashed, G_FILE_COPY_NO_FALLBACK_FOR_MOVE, NULL, NULL, NULL, error);
}

gboolean
sb_draft_store_untrash (SbDraftStore  *self,
                        const char    *id,
                        GError       **error)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) trashed = NULL;

  if (!valid_id (id))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("“%s” is not a draft"), id ? id : "");
      return FALSE;
    }
  folder = draft_folder (self, id);
  trashed = trash_folder (self, id);
  return g_file_move (trashed, folder, G_FILE_COPY_NO_FALLBACK_FOR_MOVE, NULL, NULL, NULL, error);
}

void
sb_draft_store_empty_trash (SbDraftStore *self)
{
  g_autoptr(GFile) trash = g_file_get_child (self->directory, TRASH_NAME);

  delete_recursively (trash);
}
