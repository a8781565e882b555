/* sb-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "sb-catalog.h"
#include "sb-forms-resources.h"

#define FORMS_PATH RESOURCE_PREFIX "/forms/"

typedef struct {
  SbCall   *call;
  SbOrigin  origin;
  SbCall   *overridden;   /* the built-in definition this one replaces, or NULL */
} Entry;

struct _SbCatalog
{
  GObject    parent_instance;

  GArray    *entries;   /* Entry */
  GPtrArray *errors;    /* GError */
};

G_DEFINE_FINAL_TYPE (SbCatalog, sb_catalog, G_TYPE_OBJECT)

static void
entry_clear (Entry *entry)
{
  g_clear_object (&entry->call);
  g_clear_object (&entry->overridden);
}

static void
sb_catalog_finalize (GObject *object)
{
  SbCatalog *self = SB_CATALOG (object);

  g_array_unref (self->entries);
  g_ptr_array_unref (self->errors);

  G_OBJECT_CLASS (sb_catalog_parent_class)->finalize (object);
}

static void
sb_catalog_class_init (SbCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_catalog_finalize;
}

static void
sb_catalog_init (SbCatalog *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
}

SbCatalog *
sb_catalog_new (void)
{
  return g_object_new (SB_TYPE_CATALOG, NULL);
}

GFile *
sb_catalog_get_user_directory (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "shenbao", "forms", NULL);
}

SbCatalog *
sb_catalog_new_default (void)
{
  SbCatalog *self = sb_catalog_new ();
  g_autoptr(GFile) user_directory = sb_catalog_get_user_directory ();

  sb_catalog_add_builtin (self);
  if (g_file_query_exists (user_directory, NULL))
    sb_catalog_add_directory (self, user_directory, SB_ORIGIN_USER);
  return self;
}

gboolean
sb_catalog_add_call (SbCatalog  *self,
                     SbCall     *call,
                     SbOrigin    origin,
                     GError    **error)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (!g_str_equal (sb_call_get_id (entry->call), sb_call_get_id (call)) ||
          sb_call_get_version (entry->call) != sb_call_get_version (call))
        continue;

      if (entry->origin == origin)
        {
          g_set_error (error, SB_ERROR, SB_ERROR_INVALID_CALL,
                       _("%s: the call “%s” version %" PRId64 " is already defined in %s"),
                       sb_call_get_file_name (call), sb_call_get_id (call), sb_call_get_version (call),
                       sb_call_get_file_name (entry->call));
          return FALSE;
        }
      if (origin > entry->origin)
        {
          if (entry->origin == SB_ORIGIN_BUILTIN)
            g_set_object (&entry->overridden, entry->call);
          g_set_object (&entry->call, call);
          entry->origin = origin;
        }
      else if (origin == SB_ORIGIN_BUILTIN && entry->overridden == NULL)
        g_set_object (&entry->overridden, call);
      return TRUE;
    }

  {
    Entry entry = { g_object_ref (call), origin, NULL };
    g_array_append_val (self->entries, entry);
  }
  return TRUE;
}

static void
keep_error (SbCatalog *self,
            GError    *error)
{
  g_ptr_array_add (self->errors, error);
}

void
sb_catalog_add_builtin (SbCatalog *self)
{
  g_autoptr(GResource) resource = g_resource_ref (sb_forms_get_resource ());
  g_auto(GStrv) names = g_resource_enumerate_children (resource, FORMS_PATH, 0, NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (FORMS_PATH, names[i], NULL);
      g_autofree char *display = g_strconcat ("resource://", path, NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SbCall) call = NULL;
      GError *error = NULL;

      if (!g_str_has_suffix (names[i], ".json"))
        continue;

      bytes = g_resource_lookup_data (resource, path, 0, &error);
      if (bytes != NULL)
        call = sb_call_new_from_bytes (bytes, display, &error);
      if (call == NULL || !sb_catalog_add_call (self, call, SB_ORIGIN_BUILTIN, &error))
        keep_error (self, g_steal_pointer (&error));
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Only the folder itself is read, never a folder inside it (so a symlink
 * loop of "*.json" folders cannot make the walk explode), at most
 * SB_CATALOG_MAX_FILES definitions, each a regular file of at most
 * SB_CALL_MAX_FILE_BYTES (a FIFO named x.json is refused, not waited on). */
void
sb_catalog_add_directory (SbCatalog *self,
                          GFile     *directory,
                          SbOrigin   origin)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  enumerator = g_file_enumerate_children (directory, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  if (enumerator == NULL)
    {
      keep_error (self, error);
      return;
    }

  for (;;)
    {
      GFileInfo *info = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, NULL, &error))
        {
          keep_error (self, error);
          break;
        }
      if (info == NULL)
        break;
      if (!g_str_has_suffix (g_file_info_get_name (info), ".json"))
        continue;
      if (names->len == SB_CATALOG_MAX_FILES)
        {
          g_autofree char *shown = g_file_get_parse_name (directory);

          keep_error (self, g_error_new (SB_ERROR, SB_ERROR_TOO_LARGE,
                                         _("%s: more than %d call definitions; the rest are not read"),
                                         shown, SB_CATALOG_MAX_FILES));
          break;
        }
      g_ptr_array_add (names, g_strdup (g_file_info_get_name (info)));
    }

  /* a stable order, so that a duplicate is always reported on the same file */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GFile) file = g_file_get_child (directory, g_ptr_array_index (names, i));
      g_autoptr(SbCall) call = NULL;
      GError *file_error = NULL;

      call = sb_call_new_from_file (file, &file_error);
      if (call == NULL || !sb_catalog_add_call (self, call, origin, &file_error))
        keep_error (self, file_error);
    }
}

gboolean
sb_catalog_add_path (SbCatalog  *self,
                     GFile      *path,
                     SbOrigin    origin,
                     GError    **error)
{
  g_autoptr(SbCall) call = NULL;

  if (g_file_query_file_type (path, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      /* the folder's broken files are kept with the catalog's errors */
      sb_catalog_add_directory (self, path, origin);
      return TRUE;
    }

  call = sb_call_new_from_file (path, error);
  return call != NULL && sb_catalog_add_call (self, call, origin, error);
}

SbCall *
sb_catalog_lookup (SbCatalog  *self,
                   const char *id,
                   gint64      version)
{
  SbCall *best = NULL;

  for (guint i = 0; i < self->entries->len; i++)
    {
      SbCall *call = g_array_index (self->entries, Entry, i).call;

      if (!g_str_equal (sb_call_get_id (call), id))
        continue;
      if (version > 0 && sb_call_get_version (call) == version)
        return call;
      if (version <= 0 && (best == NULL || sb_call_get_version (call) > sb_call_get_version (best)))
        best = call;
    }
  return best;
}

static int
compare_calls (gconstpointer a,
               gconstpointer b)
{
  SbCall *call_a = *(SbCall **) a, *call_b = *(SbCall **) b;
  int order = g_strcmp0 (sb_call_get_id (call_a), sb_call_get_id (call_b));

  if (order != 0)
    return order;
  return sb_call_get_version (call_a) < sb_call_get_version (call_b) ? -1 : 1;
}

GPtrArray *
sb_catalog_list_calls (SbCatalog *self)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (calls, g_object_ref (g_array_index (self->entries, Entry, i).call));
  g_ptr_array_sort (calls, compare_calls);
  return calls;
}

/* "1, 3": the versions of a call on hand, or NULL when there is none. */
char *
sb_catalog_list_versions (SbCatalog  *self,
                          const char *id)
{
  g_autoptr(GPtrArray) calls = sb_catalog_list_calls (self);
  g_autoptr(GString) versions = g_string_new (NULL);

  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);

      if (g_str_equal (sb_call_get_id (call), id))
        g_string_append_printf (versions, "%s%" G_GINT64_FORMAT, versions->len ? ", " : "", sb_call_get_version (call));
    }
  return versions->len > 0 ? g_string_free (g_steal_pointer (&versions), FALSE) : NULL;
}

SbOrigin
sb_catalog_get_origin (SbCatalog *self,
                       SbCall    *call)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, Entry, i).call == call)
      return g_array_index (self->entries, Entry, i).origin;
  return SB_ORIGIN_BUILTIN;
}

SbCall *
sb_catalog_get_overridden (SbCatalog *self,
                           SbCall    *call)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, Entry, i).call == call)
      return g_array_index (self->entries, Entry, i).overridden;
  return NULL;
}

GPtrArray *
sb_catalog_get_errors (SbCatalog *self)
{
  return self->errors;
}
