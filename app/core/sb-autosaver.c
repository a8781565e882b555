/* sb-autosaver.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "sb-autosaver.h"
#include "sb-draft-store.h"
#include "sb-error.h"
#include "sb-storage.h"

struct _SbAutosaver
{
  GObject   parent_instance;

  SbDraft  *draft;
  GFile    *file;
  GFile    *marker;
  guint     interval_ms;
  guint     timeout_id;
  gboolean  dirty;        /* changes not yet serialised */
  gboolean  in_flight;    /* a worker write is running */
  gboolean  closed;
  guint     n_writes;
  guint64   generation;   /* of the last serialisation */

  /* shared with the worker: a write older than the newest written one is
   * dropped, so a slow thread never renames stale contents over a newer
   * save_now */
  GMutex    write_lock;
  guint64   written_generation;
};

G_DEFINE_FINAL_TYPE (SbAutosaver, sb_autosaver, G_TYPE_OBJECT)

enum {
  SAVED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  GFile   *file;
  char    *data;
  gsize    length;
  guint64  generation;
} Write;

static void
write_free (Write *write)
{
  g_clear_object (&write->file);
  g_free (write->data);
  g_free (write);
}

static void
sb_autosaver_dispose (GObject *object)
{
  SbAutosaver *self = SB_AUTOSAVER (object);

  /* unsaved changes that cannot be written: the marker stays, so the next
   * start says the draft was restored from its last save */
  if (!self->closed && !sb_autosaver_close (self, NULL))
    self->closed = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (sb_autosaver_parent_class)->dispose (object);
}

static void
sb_autosaver_finalize (GObject *object)
{
  SbAutosaver *self = SB_AUTOSAVER (object);

  g_clear_object (&self->draft);
  g_clear_object (&self->file);
  g_clear_object (&self->marker);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (sb_autosaver_parent_class)->finalize (object);
}

static void
sb_autosaver_class_init (SbAutosaverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_autosaver_dispose;
  object_class->finalize = sb_autosaver_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sb_autosaver_init (SbAutosaver *self)
{
  self->interval_ms = SB_AUTOSAVER_DEFAULT_INTERVAL_MS;
  g_mutex_init (&self->write_lock);
}

static GFile *
marker_for (GFile *draft_file)
{
  g_autoptr(GFile) folder = g_file_get_parent (draft_file);
  return g_file_get_child (folder, SB_DRAFT_STORE_MARKER_NAME);
}

gboolean
sb_autosaver_has_crash_marker (GFile *draft_file)
{
  g_autoptr(GFile) marker = marker_for (draft_file);
  return g_file_query_exists (marker, NULL);
}

/* The draft must have its file (sb_draft_get_file). */
SbAutosaver *
sb_autosaver_new (SbDraft *draft)
{
  SbAutosaver *self;
  g_autofree char *pid = NULL;

  g_return_val_if_fail (SB_IS_DRAFT (draft), NULL);
  g_return_val_if_fail (sb_draft_get_file (draft) != NULL, NULL);

  self = g_object_new (SB_TYPE_AUTOSAVER, NULL);
  self->draft = g_object_ref (draft);
  self->file = g_object_ref (sb_draft_get_file (draft));
  self->marker = marker_for (self->file);
  pid = g_strdup_printf ("%d\n", (int) getpid ());
  /* best effort: without the marker only the crash notice is lost */
  sb_storage_write_atomic (self->marker, pid, strlen (pid), NULL);
  return self;
}

SbDraft *
sb_autosaver_get_draft (SbAutosaver *self)
{
  return self->draft;
}

void
sb_autosaver_set_interval (SbAutosaver *self,
                           guint        interval_ms)
{
  self->interval_ms = MAX (interval_ms, 1);
}

static Write *
serialise (SbAutosaver *self)
{
  Write *write = g_new0 (Write, 1);

  self->dirty = FALSE;
  sb_draft_touch (self->draft);
  write->file = g_object_ref (self->file);
  write->data = sb_draft_to_data (self->draft, &write->length);
  write->generation = ++self->generation;
  return write;
}

static gboolean
perform (SbAutosaver  *self,
         Write        *write,
         GError      **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->write_lock);
  if (write->generation > self->written_generation)
    {
      ok = sb_storage_write_atomic (write->file, write->data, write->length, error);
      if (ok)
        self->written_generation = write->generation;
    }
  g_mutex_unlock (&self->write_lock);
  return ok;
}

static void
write_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (perform (SB_AUTOSAVER (source), task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void arm (SbAutosaver *self);

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SbAutosaver *self = SB_AUTOSAVER (source);
  g_autoptr(GError) error = NULL;

  self->in_flight = FALSE;
  self->n_writes++;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_signal_emit (self, signals[SAVED], 0);
  else
    {
      /* tried again with the next change */
      self->dirty = TRUE;
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  if (self->dirty && !self->closed)
    arm (self);
}

static gboolean
on_timeout (gpointer user_data)
{
  SbAutosaver *self = user_data;
  g_autoptr(GTask) task = NULL;

  self->timeout_id = 0;
  if (!self->dirty || self->in_flight || self->closed)
    return G_SOURCE_REMOVE;

  self->in_flight = TRUE;
  task = g_task_new (self, NULL, write_done, NULL);
  g_task_set_source_tag (task, on_timeout);
  g_task_set_task_data (task, serialise (self), (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_in_thread);
  return G_SOURCE_REMOVE;
}

static void
arm (SbAutosaver *self)
{
  if (self->timeout_id == 0)
    self->timeout_id = g_timeout_add (self->interval_ms, on_timeout, self);
}

/* Call after every change to the draft. */
void
sb_autosaver_changed (SbAutosaver *self)
{
  g_return_if_fail (SB_IS_AUTOSAVER (self));

  if (self->closed)
    return;
  self->dirty = TRUE;
  if (!self->in_flight)
    arm (self);
}

/* Saves at once, in this thread (Ctrl+S, a step change, closing). */
gboolean
sb_autosaver_save_now (SbAutosaver  *self,
                       GError      **error)
{
  Write *write;
  gboolean ok;

  g_return_val_if_fail (SB_IS_AUTOSAVER (self), FALSE);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  write = serialise (self);
  ok = perform (self, write, error);
  write_free (write);
  self->n_writes++;
  if (ok)
    g_signal_emit (self, signals[SAVED], 0);
  else
    self->dirty = TRUE;
  return ok;
}

/* Saves what is not saved yet and removes the crash marker. When the save
 * fails the autosaver stays open (and keeps saving on changes). */
gboolean
sb_autosaver_close (SbAutosaver  *self,
                    GError      **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (SB_IS_AUTOSAVER (self), FALSE);

  if (self->closed)
    return TRUE;
  if (self->dirty || self->in_flight)
    ok = sb_autosaver_save_now (self, error);
  if (!ok)
    return FALSE;   /* still open: the caller may retry, or drop it */
  self->closed = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_file_delete (self->marker, NULL, NULL);
  return TRUE;
}

gboolean
sb_autosaver_is_dirty (SbAutosaver *self)
{
  return self->dirty;
}

guint
sb_autosaver_get_n_writes (SbAutosaver *self)
{
  return self->n_writes;
}
