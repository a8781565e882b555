/* sb-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "sb-bundle-bar.h"
#include "sb-bundle-view.h"
#include "sb-countdown.h"
#include "sb-problem.h"
#include "sb-storage.h"
#include "sb-window.h"
#include "sb-wizard.h"

struct _SbWindow
{
  AdwApplicationWindow  parent_instance;

  SbDraftStore         *store;
  GSettings            *settings;     /* may be NULL */
  SbAutosaver          *autosaver;    /* of the open draft */
  char                 *draft_id;
  GtkWidget            *wizard;
  SbBundleView         *bundle_view;  /* a signed bundle being read */
  GtkWidget            *bundle_bar;
  GCancellable         *opening;      /* while a bundle is verified */
  guint                 typing_id;    /* SHENBAO_TEST_TYPE_INTO */
  guint                 typed;
  gboolean              save_failing;  /* one message per failing streak */

  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *save_button;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  SbStartPage          *start_page;
  AdwBin               *wizard_bin;
};

G_DEFINE_FINAL_TYPE (SbWindow, sb_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (SbWindow *self)
{
  gboolean in_draft = self->autosaver != NULL;
  gboolean in_bundle = self->bundle_view != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", in_draft);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-start", in_draft || in_bundle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-bundle", in_bundle);
  gtk_widget_set_visible (self->back_button, in_draft || in_bundle);
  gtk_widget_set_visible (self->save_button, in_draft);
}

static void
toast (SbWindow   *self,
       const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
show_message (SbWindow   *self,
              const char *heading,
              const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Closing the open draft */

static void
stop_typing (SbWindow *self)
{
  g_clear_handle_id (&self->typing_id, g_source_remove);
}

/* Saves and closes the open draft. When the save fails the draft stays open
 * (the error says why) unless force: then it is dropped, and the draft on
 * disk keeps its last saved state and its crash marker. */
static gboolean
close_draft (SbWindow  *self,
             gboolean   force,
             GError   **error)
{
  stop_typing (self);
  if (self->autosaver != NULL && !sb_autosaver_close (self->autosaver, error) && !force)
    return FALSE;
  if (self->autosaver != NULL)
    g_signal_handlers_disconnect_by_data (self->autosaver, self);
  if (self->wizard != NULL)
    g_signal_handlers_disconnect_by_data (self->wizard, self);
  g_clear_object (&self->autosaver);
  g_clear_pointer (&self->draft_id, g_free);
  /* a bundle's private folder goes with its view */
  if (self->bundle_view != NULL)
    sb_bundle_view_close (self->bundle_view);
  g_clear_object (&self->bundle_view);
  self->bundle_bar = NULL;
  self->wizard = NULL;
  self->save_failing = FALSE;
  adw_bin_set_child (self->wizard_bin, NULL);
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  return TRUE;
}

/* Closes the open draft before something else is shown; FALSE (with the
 * reason on screen) when it cannot be saved. */
static gboolean
leave_draft (SbWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (close_draft (self, FALSE, &error))
    return TRUE;
  show_message (self, _("The Draft Could Not Be Saved"), error->message);
  return FALSE;
}

void
sb_window_show_start (SbWindow *self)
{
  if (!leave_draft (self))
    return;
  adw_window_title_set_title (self->window_title, _("Shenbao"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_stack_set_visible_child_name (self->stack, "start");
  sb_start_page_reload (self->start_page);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-draft", "");
  update_actions (self);
}

/* Showing a draft */

static void
wizard_changed_cb (SbWindow *self)
{
  if (self->autosaver != NULL)
    sb_autosaver_changed (self->autosaver);
}

static void
wizard_step_changed_cb (SbWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->autosaver != NULL && !sb_autosaver_save_now (self->autosaver, &error))
    toast (self, error->message);
}

static void
autosaver_failed_cb (SbWindow     *self,
                     const GError *error)
{
  /* TRANSLATORS: %s: why saving failed; the draft stays open and is tried again */
  g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

  if (self->save_failing)
    return;
  self->save_failing = TRUE;
  toast (self, text);
}

static void
autosaver_saved_cb (SbWindow *self)
{
  g_autofree char *title = NULL;
  const char *call_title;
  SbDraft *draft;

  self->save_failing = FALSE;
  if (self->wizard == NULL)
    return;
  draft = sb_wizard_get_draft (SB_WIZARD (self->wizard));
  title = sb_draft_store_get_title (draft);
  call_title = sb_text_get (sb_call_get_title (sb_draft_get_call (draft)), sb_prefer_chinese ());
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title,
                                 g_strcmp0 (title, call_title) != 0 ? call_title : NULL);
}

static void
update_banner (SbWindow *self,
               SbCall   *call)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const SbDeadline *deadline = NULL;
  SbCountdownState state = sb_countdown_get (call, now, &deadline, NULL);

  if (state == SB_COUNTDOWN_CLOSED && deadline != NULL)
    {
      g_autofree char *date = sb_date_format (deadline->date);
      /* TRANSLATORS: a banner above the wizard; %s: a date */
      g_autofree char *text = g_strdup_printf (_("This call closed on %s (Beijing time). You can still "
                                                 "prepare a draft for practice, but it cannot be "
                                                 "submitted to this call."), date);
      gtk_label_set_text (self->banner_label, text);
      gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
    }
  else
    gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void start_test_typing (SbWindow *self);

static void
show_draft (SbWindow   *self,
            SbDraft    *draft,
            const char *id)
{
  SbCall *call = sb_draft_get_call (draft);
  g_autofree char *title = sb_draft_store_get_title (draft);
  gboolean crashed = sb_autosaver_has_crash_marker (sb_draft_get_file (draft));

  self->draft_id = g_strdup (id);
  self->wizard = sb_wizard_new (draft);
  adw_bin_set_child (self->wizard_bin, self->wizard);
  self->autosaver = sb_autosaver_new (draft);
  g_signal_connect_swapped (self->wizard, "changed", G_CALLBACK (wizard_changed_cb), self);
  g_signal_connect_swapped (self->wizard, "step-changed", G_CALLBACK (wizard_step_changed_cb), self);
  g_signal_connect_swapped (self->autosaver, "failed", G_CALLBACK (autosaver_failed_cb), self);
  g_signal_connect_swapped (self->autosaver, "saved", G_CALLBACK (autosaver_saved_cb), self);

  {
    const char *call_title = sb_text_get (sb_call_get_title (call), sb_prefer_chinese ());

    adw_window_title_set_title (self->window_title, title);
    /* the call's title once, not twice */
    adw_window_title_set_subtitle (self->window_title,
                                   g_strcmp0 (title, call_title) != 0 ? call_title : NULL);
  }
  update_banner (self, call);
  gtk_stack_set_visible_child_name (self->stack, "wizard");
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-draft", id);
  update_actions (self);
  gtk_widget_grab_focus (self->wizard);

  if (crashed)
    toast (self, _("Shenbao did not close properly last time. This draft was restored "
                   "from its last automatic save."));
  if (g_getenv ("SHENBAO_TEST_REPORT") != NULL)
    {
      if (crashed)
        fprintf (stdout, "restored-after-crash\n");
      fprintf (stdout, "opened %s\n", id);
      fflush (stdout);
    }
  if (g_getenv ("SHENBAO_TEST_TYPE_INTO") != NULL)
    start_test_typing (self);
}

gboolean
sb_window_open_draft (SbWindow    *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(SbDraft) draft = NULL;

  g_return_val_if_fail (SB_IS_WINDOW (self), FALSE);

  if (self->draft_id != NULL && g_str_equal (self->draft_id, id))
    return TRUE;
  draft = sb_draft_store_load (self->store, id, error);
  if (draft == NULL || !leave_draft (self))
    return FALSE;
  show_draft (self, draft, id);
  return TRUE;
}

/* Signed bundles: read-only until copied */

static void
show_bundle (SbWindow     *self,
             SbBundleView *view)
{
  const SbBundleReport *report = sb_bundle_view_get_report (view);
  SbDraft *draft = sb_bundle_view_get_draft (view);
  g_autofree char *title = sb_draft_store_get_title (draft);
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_file_get_basename (sb_bundle_view_get_file (view));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->bundle_view = g_object_ref (view);
  self->wizard = sb_wizard_new_read_only (draft, report->fingerprint);
  self->bundle_bar = sb_bundle_bar_new (sb_bundle_view_get_file (view), report);
  gtk_widget_set_vexpand (self->wizard, TRUE);
  gtk_box_append (GTK_BOX (box), self->bundle_bar);
  gtk_box_append (GTK_BOX (box), self->wizard);
  adw_bin_set_child (self->wizard_bin, box);

  /* TRANSLATORS: the window's subtitle while a signed bundle is read; %s: its file name */
  subtitle = g_strdup_printf (_("%s (signed bundle, read-only)"), name);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "wizard");
  /* the folder is gone at the next start: nothing to reopen */
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-draft", "");
  update_actions (self);
  gtk_widget_grab_focus (self->wizard);
  if (g_getenv ("SHENBAO_TEST_REPORT") != NULL)
    {
      fprintf (stdout, "opened-bundle %s\n", report->fingerprint);
      fflush (stdout);
    }
}

static void
bundle_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  SbBundleView *view = sb_bundle_view_open (G_FILE (data), &error);

  if (view == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, g_object_unref);
}

static void
bundle_opened (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SbWindow *self = SB_WINDOW (source);
  GFile *file = g_task_get_task_data (G_TASK (result));
  g_autoptr(GCancellable) cancellable = g_object_ref (g_task_get_cancellable (G_TASK (result)));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbBundleView) view = g_task_propagate_pointer (G_TASK (result), &error);
  GApplication *application = g_application_get_default ();

  if (self->opening == cancellable)
    g_clear_object (&self->opening);
  if (application != NULL)
    g_application_release (application);
  /* the window closed meanwhile: the view (and its folder) goes */
  if (g_cancellable_is_cancelled (cancellable))
    return;
  if (view == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *body = NULL;

      if (g_error_matches (error, SB_ERROR, SB_ERROR_INVALID_INPUT))
        /* TRANSLATORS: %s: why the bundle fails its checks (names the file and the JSON path) */
        body = g_strdup_printf (_("%s\n\nThe bundle was changed after it was signed, or damaged on the way: "
                                  "nothing in it can be trusted, so nothing was opened. Ask the sender for "
                                  "the file again."), error->message);
      else
        body = g_strdup (error->message);
      show_message (self, _("This Signed Bundle Cannot Be Opened"), body);
      if (g_getenv ("SHENBAO_TEST_REPORT") != NULL)
        {
          fprintf (stdout, "refused-bundle %s\n", name);
          fflush (stdout);
        }
      return;
    }
  if (!leave_draft (self))
    return;
  show_bundle (self, view);
}

/* Verified (signature, definition, every attachment) in a worker thread,
 * then shown read-only; nothing is shown from a bundle that fails. */
void
sb_window_open_bundle (SbWindow *self,
                       GFile    *file)
{
  g_autoptr(GTask) task = NULL;
  GApplication *application = g_application_get_default ();

  g_return_if_fail (SB_IS_WINDOW (self));

  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  self->opening = g_cancellable_new ();
  /* the process stays until the worker is done, so its folder is removed */
  if (application != NULL)
    g_application_hold (application);
  task = g_task_new (self, self->opening, bundle_opened, NULL);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, bundle_thread);
}

gboolean
sb_window_is_opening (SbWindow *self)
{
  return self->opening != NULL;
}

SbBundleView *
sb_window_get_bundle_view (SbWindow *self)
{
  return self->bundle_view;
}

GtkWidget *
sb_window_get_bundle_bar (SbWindow *self)
{
  return self->bundle_bar;
}

static void
copy_bundle_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean added_call = FALSE;

  if (self->bundle_view == NULL)
    return;
  id = sb_bundle_view_copy_to_store (self->bundle_view, self->store, &added_call, &error);
  if (id == NULL)
    {
      show_message (self, _("No Copy Could Be Made"), error->message);
      return;
    }
  if (!sb_window_open_draft (self, id, &error))
    {
      show_message (self, _("This Draft Cannot Be Opened"), error->message);
      return;
    }
  toast (self, added_call
         ? _("This copy is yours to edit; the bundle’s call was added to your calls")
         : _("This copy is yours to edit; the signed bundle stays as it was"));
}

/* A draft file given on the command line or chosen in the file chooser:
 * one of the store's is opened, any other imported into the store; a
 * signed bundle is opened read-only. */
void
sb_window_open_file (SbWindow *self,
                     GFile    *file)
{
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  if (sb_bundle_view_is_bundle (file))
    {
      sb_window_open_bundle (self, file);
      return;
    }
  id = sb_draft_store_id_for_file (self->store, file);
  if (id != NULL)
    {
      if (!sb_window_open_draft (self, id, &error))
        show_message (self, _("This Draft Cannot Be Opened"), error->message);
      return;
    }

  draft = sb_draft_store_import (self->store, file, &missing, &error);
  if (draft == NULL)
    {
      show_message (self, _("This Draft Cannot Be Opened"), error->message);
      return;
    }
  id = sb_draft_store_id_for_file (self->store, sb_draft_get_file (draft));
  if (!leave_draft (self))
    return;
  show_draft (self, draft, id);

  if (missing != NULL && missing->len > 0)
    {
      g_autoptr(GString) body = g_string_new (_("The draft was copied into Shenbao’s drafts "
                                                "folder, but these attached files could not be "
                                                "reached. Add them again in the wizard:"));
      for (guint i = 0; i < missing->len; i++)
        g_string_append_printf (body, "\n• %s", (char *) g_ptr_array_index (missing, i));
      show_message (self, _("Some Attachments Are Missing"), body->str);
    }
}

/* A hidden test option: SHENBAO_TEST_TYPE_INTO=FIELD types one character
 * into that text field every SHENBAO_TEST_TYPE_INTERVAL ms (default 20)
 * and reports "typed N" on stdout, so a test can kill the running app in
 * the middle of typing. It types through the wizard's focused editable when
 * the wizard can focus the field, else straight into the draft followed by
 * the wizard's "changed" signal. */
static gboolean
type_one_cb (gpointer user_data)
{
  SbWindow *self = user_data;
  const char *field = g_getenv ("SHENBAO_TEST_TYPE_INTO");
  g_autofree char *path = g_strdup_printf ("$.values.%s", field);
  static const char *glyphs[] = { "申", "报", "书", "a", "1" };
  const char *glyph = glyphs[self->typed % G_N_ELEMENTS (glyphs)];
  GtkWidget *focus;

  if (self->wizard == NULL)
    return G_SOURCE_REMOVE;
  focus = sb_wizard_focus_path (SB_WIZARD (self->wizard), path)
          ? gtk_root_get_focus (GTK_ROOT (self)) : NULL;
  if (focus != NULL && GTK_IS_EDITABLE (focus))
    {
      int position = -1;

      gtk_editable_set_position (GTK_EDITABLE (focus), -1);
      position = gtk_editable_get_position (GTK_EDITABLE (focus));
      gtk_editable_insert_text (GTK_EDITABLE (focus), glyph, -1, &position);
    }
  else
    {
      SbDraft *draft = sb_wizard_get_draft (SB_WIZARD (self->wizard));
      SbValue *value = sb_draft_get_value (draft, field);
      const char *old = value != NULL && sb_value_get_kind (value) == SB_VALUE_STRING
                        ? sb_value_get_string (value) : "";
      g_autofree char *text = g_strconcat (old, glyph, NULL);

      sb_draft_set_value (draft, field, sb_value_new_string (text));
      g_signal_emit_by_name (self->wizard, "changed");
    }
  self->typed++;
  fprintf (stdout, "typed %u\n", self->typed);
  fflush (stdout);
  return G_SOURCE_CONTINUE;
}

static void
start_test_typing (SbWindow *self)
{
  const char *interval = g_getenv ("SHENBAO_TEST_TYPE_INTERVAL");
  guint ms = interval != NULL ? (guint) g_ascii_strtoull (interval, NULL, 10) : 20;

  stop_typing (self);
  self->typed = 0;
  self->typing_id = g_timeout_add (MAX (ms, 1), type_one_cb, self);
}

/* Start page */

static void
new_draft_cb (SbWindow *self,
              SbCall   *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = sb_draft_store_create (self->store, call, &error);
  g_autofree char *id = NULL;

  if (draft == NULL)
    {
      show_message (self, _("The Draft Could Not Be Created"), error->message);
      return;
    }
  id = sb_draft_store_id_for_file (self->store, sb_draft_get_file (draft));
  if (!leave_draft (self))
    return;
  show_draft (self, draft, id);
}

static void
open_draft_cb (SbWindow   *self,
               const char *id)
{
  g_autoptr(GError) error = NULL;

  if (!sb_window_open_draft (self, id, &error))
    show_message (self, _("This Draft Cannot Be Opened"), error->message);
}

/* File choosers: the portal's on a current GTK, GtkFileChooserNative on 4.8 */

typedef void (*FileChosen) (SbWindow *self, GFile *file);

#if GTK_CHECK_VERSION (4, 10, 0)
static void
file_dialog_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SbWindow *self = SB_WINDOW (g_object_get_data (source, "sb-window"));
  FileChosen chosen = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    chosen (self, file);
}
#else
static void
file_chooser_response (GtkNativeDialog *dialog,
                       int              response,
                       SbWindow        *self)
{
  FileChosen chosen = g_object_get_data (G_OBJECT (dialog), "sb-chosen");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      chosen (self, file);
    }
  g_object_unref (dialog);
}
#endif

/* with_bundles: drafts and signed bundles first, then bundles alone */
static void
choose_json_file (SbWindow   *self,
                  const char *title,
                  gboolean    with_bundles,
                  FileChosen  chosen)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) bundles = NULL;

  gtk_file_filter_set_name (filter, with_bundles ? _("Drafts and signed bundles") : _("JSON files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  if (with_bundles)
    {
      gtk_file_filter_add_mime_type (filter, SB_BUNDLE_MIME_TYPE);
      bundles = gtk_file_filter_new ();
      gtk_file_filter_set_name (bundles, _("Signed bundles (*.shenbao.json)"));
      gtk_file_filter_add_mime_type (bundles, SB_BUNDLE_MIME_TYPE);
      gtk_file_filter_add_pattern (bundles, "*" SB_BUNDLE_VIEW_SUFFIX);
    }
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    if (bundles != NULL)
      g_list_store_append (filters, bundles);
    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    g_object_set_data_full (G_OBJECT (dialog), "sb-window", g_object_ref (self), g_object_unref);
    gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, file_dialog_done, chosen);
  }
#else
  {
    GtkFileChooserNative *dialog =
      gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                   _("_Open"), _("_Cancel"));

    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    if (bundles != NULL)
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), bundles);
    g_object_set_data (G_OBJECT (dialog), "sb-chosen", chosen);
    g_signal_connect (dialog, "response", G_CALLBACK (file_chooser_response), self);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
#endif
}

/* A call file is checked by the loader before it is copied into the user's
 * calls folder; a broken one is refused with the loader's message (file,
 * JSON path, problem). */
void
sb_window_import_call (SbWindow *self,
                       GFile    *file)
{
  SbCatalog *catalog = sb_draft_store_get_catalog (self->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = sb_call_new_from_file (file, &error);
  g_autoptr(GFile) directory = sb_catalog_get_user_directory ();
  g_autoptr(GFile) target = NULL;
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (call == NULL)
    {
      show_message (self, _("This Call File Cannot Be Used"), error->message);
      return;
    }
  name = g_strdup_printf ("%s-%" G_GINT64_FORMAT ".json", sb_call_get_id (call),
                          sb_call_get_version (call));
  target = g_file_get_child (directory, name);
  if (!g_file_load_contents (file, NULL, &data, &length, NULL, &error) ||
      (!g_file_make_directory_with_parents (directory, NULL, NULL) &&
       !g_file_query_exists (directory, NULL)) ||
      !sb_storage_write_atomic (target, data, length, &error) ||
      !sb_catalog_add_path (catalog, target, SB_ORIGIN_USER, &error))
    {
      show_message (self, _("This Call File Cannot Be Used"),
                    error != NULL ? error->message : g_file_peek_path (directory));
      return;
    }
  sb_start_page_reload (self->start_page);
  {
    /* TRANSLATORS: %s: the title of the imported call */
    g_autofree char *text = g_strdup_printf (_("“%s” imported"),
                                             sb_text_get (sb_call_get_title (call), sb_prefer_chinese ()));
    toast (self, text);
  }
}

/* Actions */

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->autosaver == NULL)
    return;
  if (sb_autosaver_save_now (self->autosaver, &error))
    toast (self, _("Saved"));
  else
    show_message (self, _("The Draft Could Not Be Saved"), error->message);
}

static void
show_start_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sb_window_show_start (SB_WINDOW (widget));
}

static void
open_draft_file_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose_json_file (SB_WINDOW (widget), _("Open a Draft or a Signed Bundle"), TRUE, sb_window_open_file);
}

static void
import_call_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  choose_json_file (SB_WINDOW (widget), _("Import a Call File"), FALSE, sb_window_import_call);
}

/* Ctrl+F anywhere in the window: the start page's search, or the
 * wizard's own (its binding wins while the focus is inside it). */
static void
search_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);

  if (self->wizard != NULL)
    gtk_widget_activate_action (self->wizard, "wizard.search", NULL);
  else
    sb_start_page_focus_search (self->start_page);
}

/* Alt+Right and Alt+Left anywhere in the window, the header bar included
 * (where the focus is when a draft opens): the wizard's next and previous
 * step (its own bindings win while the focus is inside it). */
static void
step_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  SbWindow *self = SB_WINDOW (widget);

  if (self->wizard != NULL)
    gtk_widget_activate_action (self->wizard,
                                g_str_equal (action_name, "win.next-step") ? "wizard.next" : "wizard.previous",
                                NULL);
}

/* Built when first asked for, not with every window (GtkApplication would
 * build gtk/help-overlay.ui eagerly): the start page appears sooner. */
static void
show_help_overlay_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (overlay, GTK_WINDOW (widget));
  gtk_window_present (overlay);
}

static void
remember_and_empty (SbWindow   *self,
                    const char *draft_id)
{
  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (GTK_WINDOW (self)));
      /* reopened at the next start */
      g_settings_set_string (self->settings, "last-draft", draft_id != NULL ? draft_id : "");
    }
  sb_draft_store_empty_trash (self->store);
}

static void
close_anyway_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 SbWindow         *self)
{
  g_autofree char *id = NULL;

  if (!g_str_equal (response, "close"))
    return;
  id = g_strdup (self->draft_id);
  close_draft (self, TRUE, NULL);
  remember_and_empty (self, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
sb_window_close_request (GtkWindow *window)
{
  SbWindow *self = SB_WINDOW (window);
  g_autofree char *id = g_strdup (self->draft_id);
  g_autoptr(GError) error = NULL;

  if (!close_draft (self, FALSE, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (window, _("The Draft Could Not Be Saved"),
                                                  error->message);

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep Open"),
                                        "close", _("Close _Without Saving"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      g_signal_connect (dialog, "response", G_CALLBACK (close_anyway_cb), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  remember_and_empty (self, id);
  return GTK_WINDOW_CLASS (sb_window_parent_class)->close_request (window);
}

static void
sb_window_dispose (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  close_draft (self, TRUE, NULL);
  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_WINDOW);
  g_clear_object (&self->autosaver);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->draft_id, g_free);

  G_OBJECT_CLASS (sb_window_parent_class)->dispose (object);
}

static void
sb_window_class_init (SbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sb_window_dispose;
  window_class->close_request = sb_window_close_request;

  g_type_ensure (SB_TYPE_START_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, wizard_bin);

  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_cb);
  gtk_widget_class_install_action (widget_class, "win.show-start", NULL, show_start_cb);
  gtk_widget_class_install_action (widget_class, "win.open-draft", NULL, open_draft_file_cb);
  gtk_widget_class_install_action (widget_class, "win.import-call", NULL, import_call_cb);
  gtk_widget_class_install_action (widget_class, "win.copy-bundle", NULL, copy_bundle_cb);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_cb);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-draft", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.show-start", NULL);
  gtk_widget_class_install_action (widget_class, "win.next-step", NULL, step_cb);
  gtk_widget_class_install_action (widget_class, "win.previous-step", NULL, step_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.previous-step", NULL);
}

/* A draft or a bundle dropped onto the window opens as if chosen. */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SbWindow      *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  sb_window_open_file (self, files->data);
  g_slist_free (files);
  return TRUE;
}

static void
sb_window_init (SbWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_swapped (self->start_page, "new-draft", G_CALLBACK (new_draft_cb), self);
  g_signal_connect_swapped (self->start_page, "open-draft", G_CALLBACK (open_draft_cb), self);
  update_actions (self);
}

SbWindow *
sb_window_new (SbApplication *application)
{
  SbWindow *self = g_object_new (SB_TYPE_WINDOW, "application", application, NULL);
  GSettings *settings = sb_application_get_settings (application);

  self->store = g_object_ref (sb_application_get_store (application));
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  sb_start_page_set_store (self->start_page, self->store);
  return self;
}

SbStartPage *
sb_window_get_start_page (SbWindow *self)
{
  return self->start_page;
}

GtkWidget *
sb_window_get_wizard (SbWindow *self)
{
  return self->wizard;
}

SbAutosaver *
sb_window_get_autosaver (SbWindow *self)
{
  return self->autosaver;
}
