/* sb-bundle-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-bundle-view.h"
#include "sb-error.h"
#include "sb-storage.h"
#include "sb-work-folder.h"

/* how far into a file its first member is looked for */
#define SNIFF_BYTES 4096

struct _SbBundleView
{
  GObject         parent_instance;

  GFile          *file;
  SbWorkFolder   *work;      /* held while the view is open */
  GFile          *folder;    /* its path */
  SbBundleReport *report;
  SbCatalog      *catalog;   /* the bundle's own call, nothing else */
  SbDraft        *draft;
};

G_DEFINE_FINAL_TYPE (SbBundleView, sb_bundle_view, G_TYPE_OBJECT)

void
sb_bundle_view_close (SbBundleView *self)
{
  g_return_if_fail (SB_IS_BUNDLE_VIEW (self));

  g_clear_pointer (&self->work, sb_work_folder_free);
  g_clear_object (&self->folder);
}

static void
sb_bundle_view_finalize (GObject *object)
{
  SbBundleView *self = SB_BUNDLE_VIEW (object);

  sb_bundle_view_close (self);
  g_clear_object (&self->file);
  g_clear_pointer (&self->report, sb_bundle_report_free);
  g_clear_object (&self->draft);
  g_clear_object (&self->catalog);
  G_OBJECT_CLASS (sb_bundle_view_parent_class)->finalize (object);
}

static void
sb_bundle_view_class_init (SbBundleViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_bundle_view_finalize;
}

static void
sb_bundle_view_init (SbBundleView *self)
{
}

gboolean
sb_bundle_view_is_bundle (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GRegex) regex = NULL;
  char head[SNIFF_BYTES + 1];
  gsize length = 0;

  if (name != NULL && g_str_has_suffix (name, SB_BUNDLE_VIEW_SUFFIX))
    return TRUE;
  /* called on the main thread: a FIFO or a device would block it */
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_REGULAR)
    return FALSE;
  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, SNIFF_BYTES, &length, NULL, NULL))
    return FALSE;
  head[length] = '\0';
  regex = g_regex_new ("^\\xef?\\xbb?\\xbf?[ \\t\\r\\n]*\\{[ \\t\\r\\n]*\"format\"[ \\t\\r\\n]*:[ \\t\\r\\n]*\""
                       SB_BUNDLE_FORMAT "\"", G_REGEX_RAW, 0, NULL);
  return g_regex_match_full (regex, head, length, 0, 0, NULL, NULL);
}

SbBundleView *
sb_bundle_view_open (GFile   *bundle,
                     GError **error)
{
  g_autoptr(SbBundleView) self = g_object_new (SB_TYPE_BUNDLE_VIEW, NULL);
  g_autofree char *definition_name = NULL;
  g_autoptr(GFile) definition = NULL;
  g_autoptr(GFile) draft_file = NULL;

  g_return_val_if_fail (G_IS_FILE (bundle), NULL);

  self->file = g_object_ref (bundle);
  /* private (0700), outside the drafts folder; removed on failure by
   * finalize, and after a crash by the next sweep */
  sb_work_folder_sweep (g_get_tmp_dir (), SB_BUNDLE_VIEW_PREFIX);
  self->work = sb_work_folder_new (g_get_tmp_dir (), SB_BUNDLE_VIEW_PREFIX, error);
  if (self->work == NULL)
    return NULL;
  self->folder = g_file_new_for_path (sb_work_folder_get_path (self->work));

  if (!sb_bundle_extract (bundle, self->folder, NULL, &self->report, error))
    {
      /* SB_ERROR_INVALID_INPUT only for a failed check: not for a file
       * that cannot be read, nor for an intact bundle whose draft does
       * not open now */
      if (error != NULL && *error != NULL && (*error)->domain == SB_ERROR &&
          (self->report == NULL || self->report->integrity == SB_BUNDLE_INTACT ||
           self->report->integrity == SB_BUNDLE_UNREADABLE))
        (*error)->code = SB_ERROR_FAILED;
      return NULL;
    }

  definition_name = g_strdup_printf ("%s-v%" PRId64 ".json", self->report->call_id, self->report->call_version);
  definition = g_file_get_child (self->folder, definition_name);
  draft_file = g_file_get_child (self->folder, SB_DRAFT_STORE_FILE_NAME);
  self->catalog = sb_catalog_new ();
  if (!sb_catalog_add_path (self->catalog, definition, SB_ORIGIN_COMMAND_LINE, error))
    return NULL;
  self->draft = sb_draft_load (draft_file, self->catalog, error);
  if (self->draft == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

GFile *
sb_bundle_view_get_file (SbBundleView *self)
{
  g_return_val_if_fail (SB_IS_BUNDLE_VIEW (self), NULL);
  return self->file;
}

GFile *
sb_bundle_view_get_folder (SbBundleView *self)
{
  g_return_val_if_fail (SB_IS_BUNDLE_VIEW (self), NULL);
  return self->folder;
}

const SbBundleReport *
sb_bundle_view_get_report (SbBundleView *self)
{
  g_return_val_if_fail (SB_IS_BUNDLE_VIEW (self), NULL);
  return self->report;
}

SbDraft *
sb_bundle_view_get_draft (SbBundleView *self)
{
  g_return_val_if_fail (SB_IS_BUNDLE_VIEW (self), NULL);
  return self->draft;
}

/* The store's catalog gets the bundle's call when it lacks it: the
 * definition goes into the user's calls folder, as an imported call. */
static gboolean
ensure_call (SbBundleView *self,
             SbCatalog    *catalog,
             gboolean     *added,
             GError      **error)
{
  SbCall *call = sb_draft_get_call (self->draft);
  GBytes *bytes = sb_call_get_bytes (call);
  SbCall *known = sb_catalog_lookup (catalog, sb_call_get_id (call), sb_call_get_version (call));
  g_autoptr(GFile) directory = sb_catalog_get_user_directory ();
  g_autofree char *name = g_strdup_printf ("%s-%" G_GINT64_FORMAT ".json", sb_call_get_id (call),
                                           sb_call_get_version (call));
  g_autoptr(GFile) target = g_file_get_child (directory, name);
  g_autoptr(GError) local_error = NULL;

  *added = FALSE;
  if (known != NULL)
    {
      if (g_bytes_equal (sb_call_get_bytes (known), bytes))
        return TRUE;
      g_set_error (error, SB_ERROR, SB_ERROR_CALL_VERSION,
                   /* TRANSLATORS: %s: the bundle; %s: a call's id, then its version */
                   _("%s: the call “%s” version %" PRId64 " in this bundle differs from the one "
                     "Shenbao has under the same version; a copy would be checked against other rules, "
                     "so none is made"),
                   self->report->file, sb_call_get_id (call), sb_call_get_version (call));
      return FALSE;
    }
  if (g_file_query_exists (target, NULL))
    {
      g_autofree char *shown = g_file_get_parse_name (target);

      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: exists already and does not load as this bundle’s call; move it away first"), shown);
      return FALSE;
    }
  if ((!g_file_make_directory_with_parents (directory, NULL, &local_error) &&
       !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!sb_storage_write_atomic (target, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;
  if (!sb_catalog_add_path (catalog, target, SB_ORIGIN_USER, error))
    {
      /* not left behind to block the next attempt */
      g_file_delete (target, NULL, NULL);
      return FALSE;
    }
  *added = TRUE;
  return TRUE;
}

char *
sb_bundle_view_copy_to_store (SbBundleView  *self,
                              SbDraftStore  *store,
                              gboolean      *added_call,
                              GError       **error)
{
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(SbDraft) copy = NULL;
  g_autofree char *id = NULL;
  g_autofree char *base = NULL;
  g_autofree char *title = NULL;
  gboolean added = FALSE;

  g_return_val_if_fail (SB_IS_BUNDLE_VIEW (self), NULL);
  g_return_val_if_fail (SB_IS_DRAFT_STORE (store), NULL);

  if (added_call != NULL)
    *added_call = FALSE;
  if (self->folder == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the bundle is closed"), self->report->file);
      return NULL;
    }
  if (!ensure_call (self, sb_draft_store_get_catalog (store), &added, error))
    return NULL;
  if (added_call != NULL)
    *added_call = added;

  copy = sb_draft_store_import (store, sb_draft_get_file (self->draft), &missing, error);
  if (copy == NULL)
    return NULL;
  id = sb_draft_store_id_for_file (store, sb_draft_get_file (copy));
  if (missing != NULL && missing->len > 0)
    {
      /* cannot happen with a verified extraction; never a copy without its files */
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: could not be copied"),
                   (char *) g_ptr_array_index (missing, 0));
      sb_draft_store_trash (store, id, NULL);
      return NULL;
    }
  base = sb_draft_store_get_title (self->draft);
  /* TRANSLATORS: the title of a draft made from a signed bundle; %s: the bundle's title */
  title = g_strdup_printf (_("%s (copy of a signed bundle)"), base);
  if (!sb_draft_store_rename (store, id, title, error))
    {
      sb_draft_store_trash (store, id, NULL);
      return NULL;
    }
  return g_steal_pointer (&id);
}
