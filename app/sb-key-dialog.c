/* sb-key-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-key-dialog.h"
#include "sb-passphrase-dialog.h"
#include "sb-storage.h"
#include "sb-wizard-private.h"

struct _SbKeyDialog
{
  AdwPreferencesWindow parent_instance;

  GtkWidget    *spinner;
  AdwActionRow *none_row;
  AdwActionRow *problem_row;
  GtkWidget    *fingerprint_row;
  GtkLabel     *fingerprint_label;
  GtkWidget    *copy_button;
  GtkWidget    *unlock_button;
  AdwActionRow *file_row;
  AdwActionRow *protection_row;

  GCancellable *cancellable;
  gboolean      busy;
  gboolean      exists;
  gboolean      encrypted;
  char         *fingerprint;
  char         *problem;
  GBytes       *jwk;
  GBytes       *pem;
};

G_DEFINE_FINAL_TYPE (SbKeyDialog, sb_key_dialog, ADW_TYPE_PREFERENCES_WINDOW)

/* The worker's jobs */

typedef enum {
  JOB_LOAD,          /* the user's key: state, fingerprint, public key */
  JOB_CREATE,        /* a new key, with passphrase or without */
  JOB_CHECK_IMPORT,  /* the key to import: readable, Ed25519, passphrase */
  JOB_IMPORT,        /* the key imported over the user's */
  JOB_EXPORT,        /* the public key saved */
} JobKind;

typedef struct {
  JobKind  kind;
  GFile   *file;        /* import: the source; export: the target */
  char    *passphrase;
  gboolean replace;
  GBytes  *bytes;       /* export: what is written */

  /* results */
  gboolean exists;
  gboolean encrypted;
  gboolean locked;      /* encrypted and no passphrase given */
  char    *fingerprint;
  GBytes  *jwk;
  GBytes  *pem;
  GFile   *backup;
} KeyJob;

static void
key_job_free (KeyJob *job)
{
  g_clear_object (&job->file);
  if (job->passphrase != NULL)
    memset (job->passphrase, 0, strlen (job->passphrase));
  g_free (job->passphrase);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->fingerprint);
  g_clear_pointer (&job->jwk, g_bytes_unref);
  g_clear_pointer (&job->pem, g_bytes_unref);
  g_clear_object (&job->backup);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyJob, key_job_free)

static KeyJob *
key_job_new (JobKind     kind,
             GFile      *file,
             const char *passphrase)
{
  KeyJob *job = g_new0 (KeyJob, 1);

  job->kind = kind;
  job->file = file != NULL ? g_object_ref (file) : NULL;
  job->passphrase = g_strdup (passphrase);
  return job;
}

/* Only the public parts leave the worker. */
static void
take_key (KeyJob *job,
          SbKey  *key)
{
  job->fingerprint = sb_key_get_fingerprint (key);
  job->jwk = sb_key_export_public (key, SB_KEY_FORMAT_JWK);
  job->pem = sb_key_export_public (key, SB_KEY_FORMAT_PEM);
}

static gboolean
load_user_key (KeyJob  *job,
               GError **error)
{
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autoptr(SbKey) key = NULL;

  job->exists = g_file_query_exists (file, NULL);
  if (!job->exists)
    return TRUE;
  job->encrypted = sb_key_file_is_encrypted (file);
  if (!sb_key_check_private_mode (file, error))
    return FALSE;
  if (job->encrypted && job->passphrase == NULL)
    {
      job->locked = TRUE;
      return TRUE;
    }
  key = sb_key_load_private (file, job->passphrase, TRUE, error);
  if (key == NULL)
    return FALSE;
  take_key (job, key);
  return TRUE;
}

static gboolean
check_import (KeyJob  *job,
              GError **error)
{
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autoptr(SbKey) key = NULL;

  job->exists = g_file_query_exists (file, NULL);
  job->encrypted = sb_key_file_is_encrypted (job->file);
  if (job->encrypted && job->passphrase == NULL)
    {
      job->locked = TRUE;
      return TRUE;
    }
  key = sb_key_load_private (job->file, job->passphrase, FALSE, error);
  if (key == NULL)
    return FALSE;
  take_key (job, key);
  return TRUE;
}

static void
key_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  KeyJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbKey) key = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_LOAD:
      ok = load_user_key (job, &error);
      break;
    case JOB_CREATE:
      key = sb_key_load_default (job->passphrase, TRUE, &error);
      break;
    case JOB_CHECK_IMPORT:
      ok = check_import (job, &error);
      break;
    case JOB_IMPORT:
      /* the imported key keeps its passphrase */
      key = sb_key_import (job->file, job->passphrase, job->replace, job->passphrase, &job->backup, &error);
      break;
    case JOB_EXPORT:
      ok = sb_storage_write_atomic (job->file, g_bytes_get_data (job->bytes, NULL),
                                    g_bytes_get_size (job->bytes), &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (key != NULL)
    {
      g_autoptr(GFile) file = sb_key_get_default_file ();

      take_key (job, key);
      job->exists = TRUE;
      job->encrypted = sb_key_file_is_encrypted (file);
      ok = TRUE;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* What the window shows */

static void
update_state (SbKeyDialog *self)
{
  gboolean usable = self->exists && self->problem == NULL;
  gboolean locked = usable && self->fingerprint == NULL;
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autofree char *name = g_file_get_parse_name (file);

  gtk_widget_set_visible (GTK_WIDGET (self->none_row), !self->exists);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_row), self->problem != NULL);
  adw_action_row_set_subtitle (self->problem_row, self->problem != NULL ? self->problem : "");
  gtk_widget_set_visible (self->fingerprint_row, usable);
  gtk_label_set_label (self->fingerprint_label,
                       self->fingerprint != NULL ? self->fingerprint : _("Locked: unlock the key to see it"));
  gtk_widget_set_visible (self->copy_button, self->fingerprint != NULL);
  gtk_widget_set_visible (self->unlock_button, locked);
  adw_action_row_set_subtitle (self->file_row, name);
  gtk_widget_set_visible (GTK_WIDGET (self->protection_row), usable);
  adw_action_row_set_subtitle (self->protection_row,
                               self->encrypted
                               ? _("Protected: Shenbao asks for the passphrase at every signed export")
                               : _("None: anyone who can use your account can sign with this key"));

  gtk_widget_action_set_enabled (widget, "key.create", !self->exists && !self->busy);
  gtk_widget_action_set_enabled (widget, "key.unlock", locked && !self->busy);
  gtk_widget_action_set_enabled (widget, "key.copy-fingerprint", self->fingerprint != NULL);
  gtk_widget_action_set_enabled (widget, "key.export-jwk", self->fingerprint != NULL && !self->busy);
  gtk_widget_action_set_enabled (widget, "key.export-pem", self->fingerprint != NULL && !self->busy);
  gtk_widget_action_set_enabled (widget, "key.import", !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
}

/* The state a finished job found. */
static void
apply_state (SbKeyDialog *self,
             KeyJob      *job)
{
  self->exists = job->exists;
  self->encrypted = job->encrypted;
  g_clear_pointer (&self->problem, g_free);
  g_free (self->fingerprint);
  self->fingerprint = g_steal_pointer (&job->fingerprint);
  g_clear_pointer (&self->jwk, g_bytes_unref);
  self->jwk = g_steal_pointer (&job->jwk);
  g_clear_pointer (&self->pem, g_bytes_unref);
  self->pem = g_steal_pointer (&job->pem);
}

static void
show_error (SbKeyDialog *self,
            const char  *heading,
            const char  *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toast (SbKeyDialog *self,
       const char  *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void run_job (SbKeyDialog *self,
                     KeyJob      *job);
static void ask_import_passphrase (SbKeyDialog *self,
                                   KeyJob      *job);
static void confirm_replace (SbKeyDialog *self,
                             KeyJob      *job);

static void
load_done (SbKeyDialog *self,
           KeyJob      *job,
           GError      *error)
{
  if (error != NULL && job->passphrase != NULL)
    {
      /* a wrong passphrase: the key stays locked */
      show_error (self, _("The Key Stays Locked"), error->message);
      return;
    }
  apply_state (self, job);
  if (error != NULL)
    self->problem = g_strdup (error->message);
}

static void
created (SbKeyDialog *self,
         KeyJob      *job,
         GError      *error)
{
  if (error != NULL)
    {
      show_error (self, _("No Key Was Created"), error->message);
      return;
    }
  apply_state (self, job);
  toast (self, _("Your signing key was created"));
}

static void
import_checked (SbKeyDialog *self,
                KeyJob      *job,
                GError      *error)
{
  g_autoptr(KeyJob) next = NULL;

  if (error != NULL)
    {
      show_error (self, _("The Key Was Not Imported"), error->message);
      return;
    }
  next = key_job_new (JOB_IMPORT, job->file, job->passphrase);
  next->fingerprint = g_steal_pointer (&job->fingerprint);
  if (job->locked)
    {
      next->kind = JOB_CHECK_IMPORT;
      ask_import_passphrase (self, g_steal_pointer (&next));
    }
  else if (job->exists)
    confirm_replace (self, g_steal_pointer (&next));
  else
    run_job (self, g_steal_pointer (&next));
}

static void
imported (SbKeyDialog *self,
          KeyJob      *job,
          GError      *error)
{
  if (error != NULL)
    {
      show_error (self, _("The Key Was Not Imported"), error->message);
      return;
    }
  apply_state (self, job);
  if (job->backup != NULL)
    {
      g_autofree char *name = g_file_get_basename (job->backup);
      g_autofree char *text = g_strdup_printf (_("Key imported; the old one is kept as %s"), name);

      toast (self, text);
    }
  else
    toast (self, _("Key imported"));
}

static void
exported (SbKeyDialog *self,
          KeyJob      *job,
          GError      *error)
{
  g_autofree char *name = g_file_get_parse_name (job->file);
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      show_error (self, _("The Public Key Was Not Saved"), error->message);
      return;
    }
  text = g_strdup_printf (_("Public key saved as %s"), name);
  toast (self, text);
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SbKeyDialog *self = SB_KEY_DIALOG (source);
  KeyJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;  /* the window was closed */
  self->busy = FALSE;
  switch (job->kind)
    {
    case JOB_LOAD:
      load_done (self, job, error);
      break;
    case JOB_CREATE:
      created (self, job, error);
      break;
    case JOB_CHECK_IMPORT:
      import_checked (self, job, error);
      break;
    case JOB_IMPORT:
      imported (self, job, error);
      break;
    case JOB_EXPORT:
      exported (self, job, error);
      break;
    default:
      g_assert_not_reached ();
    }
  update_state (self);
}

static void
run_job (SbKeyDialog *self,
         KeyJob      *job)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, job_done, NULL);

  self->busy = TRUE;
  update_state (self);
  g_task_set_task_data (task, job, (GDestroyNotify) key_job_free);
  g_task_run_in_thread (task, key_thread);
}

/* Passphrases and confirmations */

static void
passphrase_response (SbPassphraseDialog *dialog,
                     const char         *response,
                     SbKeyDialog        *self)
{
  KeyJob *job = g_object_steal_data (G_OBJECT (dialog), "sb-job");

  if (job == NULL)
    return;
  if (g_str_equal (response, "cancel") || !sb_passphrase_dialog_get_matches (dialog) || self->busy)
    {
      key_job_free (job);
      return;
    }
  job->passphrase = sb_passphrase_dialog_dup_passphrase (dialog);
  run_job (self, job);
}

static void
ask_passphrase (SbKeyDialog      *self,
                KeyJob           *job,
                SbPassphraseKind  kind,
                const char       *heading,
                const char       *response,
                const char       *response_label,
                const char       *body)
{
  GtkWidget *dialog = sb_passphrase_dialog_new (GTK_WINDOW (self), kind, heading, response, response_label);

  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  g_object_set_data_full (G_OBJECT (dialog), "sb-job", job, (GDestroyNotify) key_job_free);
  g_signal_connect (dialog, "response", G_CALLBACK (passphrase_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ask_import_passphrase (SbKeyDialog *self,
                       KeyJob      *job)
{
  g_autofree char *name = g_file_get_parse_name (job->file);
  g_autofree char *body = g_strdup_printf (_("%s is protected by a passphrase. After the import, your key is "
                                             "protected by the same passphrase."), name);

  ask_passphrase (self, job, SB_PASSPHRASE_UNLOCK, _("Unlock the Key to Import"), "unlock", _("_Unlock"), body);
}

static void
replace_response (AdwMessageDialog *dialog,
                  const char       *response,
                  SbKeyDialog      *self)
{
  KeyJob *job = g_object_steal_data (G_OBJECT (dialog), "sb-job");

  if (job == NULL)
    return;
  if (!g_str_equal (response, "replace") || self->busy)
    {
      key_job_free (job);
      return;
    }
  job->replace = TRUE;
  run_job (self, job);
}

static void
confirm_replace (SbKeyDialog *self,
                 KeyJob      *job)
{
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *folder_name = g_file_get_parse_name (folder);
  g_autofree char *source_name = g_file_get_parse_name (job->file);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Replace Your Signing Key?"), NULL);
  g_autoptr(GString) body = g_string_new (NULL);

  g_string_append_printf (body, _("Your key is replaced by the key in %s."), source_name);
  g_string_append (body, "\n\n");
  g_string_append (body, _("Bundles you signed with the old key keep verifying, but new bundles carry the "
                           "new fingerprint: tell whoever receives your bundles."));
  g_string_append (body, "\n\n");
  g_string_append_printf (body, _("Old fingerprint: %s"),
                          self->fingerprint != NULL ? self->fingerprint : _("(locked or unreadable)"));
  g_string_append_c (body, '\n');
  g_string_append_printf (body, _("New fingerprint: %s"), job->fingerprint);
  g_string_append (body, "\n\n");
  g_string_append_printf (body, _("The old key file is kept as a backup in %s."), folder_name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sb-job", job, (GDestroyNotify) key_job_free);
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Public functions */

void
sb_key_dialog_export_public (SbKeyDialog *self,
                             SbKeyFormat  format,
                             GFile       *target)
{
  KeyJob *job;

  g_return_if_fail (SB_IS_KEY_DIALOG (self));
  g_return_if_fail (G_IS_FILE (target));

  if (self->busy || self->fingerprint == NULL)
    return;
  job = key_job_new (JOB_EXPORT, target, NULL);
  job->bytes = g_bytes_ref (format == SB_KEY_FORMAT_JWK ? self->jwk : self->pem);
  run_job (self, job);
}

void
sb_key_dialog_import (SbKeyDialog *self,
                      GFile       *source)
{
  g_return_if_fail (SB_IS_KEY_DIALOG (self));
  g_return_if_fail (G_IS_FILE (source));

  if (self->busy)
    return;
  run_job (self, key_job_new (JOB_CHECK_IMPORT, source, NULL));
}

const char *
sb_key_dialog_get_fingerprint (SbKeyDialog *self)
{
  g_return_val_if_fail (SB_IS_KEY_DIALOG (self), NULL);

  return self->fingerprint;
}

const char *
sb_key_dialog_get_problem (SbKeyDialog *self)
{
  g_return_val_if_fail (SB_IS_KEY_DIALOG (self), NULL);

  return self->problem;
}

gboolean
sb_key_dialog_get_busy (SbKeyDialog *self)
{
  g_return_val_if_fail (SB_IS_KEY_DIALOG (self), FALSE);

  return self->busy;
}

/* File choosers (the portal's) */

typedef enum {
  CHOOSE_JWK,
  CHOOSE_PEM,
  CHOOSE_IMPORT,
} Choice;

static void
file_chosen (SbKeyDialog *self,
             Choice       choice,
             GFile       *file)
{
  if (file == NULL)
    return;
  if (choice == CHOOSE_IMPORT)
    sb_key_dialog_import (self, file);
  else
    sb_key_dialog_export_public (self, choice == CHOOSE_JWK ? SB_KEY_FORMAT_JWK : SB_KEY_FORMAT_PEM, file);
}

static void
choose_path (SbKeyDialog *self,
             Choice       choice,
             const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  file_chosen (self, choice, file);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
file_dialog_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SbKeyDialog *self = SB_KEY_DIALOG (g_object_get_data (source, "sb-dialog"));
  Choice choice = GPOINTER_TO_INT (user_data);
  g_autoptr(GFile) file = choice == CHOOSE_IMPORT
                          ? gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL)
                          : gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  file_chosen (self, choice, file);
}
#else
static void
file_chooser_response (GtkNativeDialog *dialog,
                       int              response,
                       SbKeyDialog     *self)
{
  Choice choice = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "sb-choice"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  file_chosen (self, choice, file);
  g_object_unref (dialog);
}
#endif

static void
choose_file (SbKeyDialog *self,
             Choice       choice)
{
  gboolean import = choice == CHOOSE_IMPORT;
  const char *title = import ? _("Import a Signing Key") : _("Save Your Public Key");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *prefix = g_strndup (self->fingerprint != NULL ? self->fingerprint : "", 8);
  g_autofree char *name = g_strdup_printf ("shenbao-public-key-%s.%s", prefix, choice == CHOOSE_JWK ? "jwk" : "pem");
  g_autoptr(GFile) folder = NULL;

  if (choice == CHOOSE_JWK)
    {
      gtk_file_filter_set_name (filter, _("JSON Web Keys"));
      gtk_file_filter_add_suffix (filter, "jwk");
      gtk_file_filter_add_suffix (filter, "json");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("PEM keys"));
      gtk_file_filter_add_suffix (filter, "pem");
      gtk_file_filter_add_suffix (filter, "key");
    }
  /* a key file may be named anything */
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  if (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS) != NULL)
    folder = g_file_new_for_path (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS));
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    if (import)
      g_list_store_append (filters, all);
    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    if (folder != NULL)
      gtk_file_dialog_set_initial_folder (dialog, folder);
    g_object_set_data_full (G_OBJECT (dialog), "sb-dialog", g_object_ref (self), g_object_unref);
    if (import)
      gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, file_dialog_done, GINT_TO_POINTER (choice));
    else
      {
        gtk_file_dialog_set_initial_name (dialog, name);
        gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, file_dialog_done, GINT_TO_POINTER (choice));
      }
  }
#else
  {
    GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                                import ? GTK_FILE_CHOOSER_ACTION_OPEN
                                                                : GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                import ? _("_Import") : _("_Save"),
                                                                _("_Cancel"));

    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    if (import)
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
    if (!import)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
    g_object_set_data (G_OBJECT (dialog), "sb-choice", GINT_TO_POINTER (choice));
    g_signal_connect (dialog, "response", G_CALLBACK (file_chooser_response), self);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
#endif
}

/* Actions */

static void
file_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SbKeyDialog *self = SB_KEY_DIALOG (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  Choice choice = g_str_equal (action_name, "key.import") ? CHOOSE_IMPORT
                  : g_str_equal (action_name, "key.export-jwk") ? CHOOSE_JWK : CHOOSE_PEM;

  if (path[0] != '\0')
    choose_path (self, choice, path);
  else
    choose_file (self, choice);
}

static void
create_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SbKeyDialog *self = SB_KEY_DIALOG (widget);

  if (self->busy || self->exists)
    return;
  ask_passphrase (self, key_job_new (JOB_CREATE, NULL, NULL), SB_PASSPHRASE_NEW,
                  _("Create Your Signing Key"), "create", _("_Create Key"),
                  _("You may protect the key with a passphrase: Shenbao then asks for it at every signed "
                    "export, and nobody can sign with a copy of the key file alone. Leave it empty for no "
                    "passphrase."));
}

static void
unlock_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SbKeyDialog *self = SB_KEY_DIALOG (widget);
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *body = NULL;

  if (self->busy)
    return;
  body = g_strdup_printf (_("Your key %s is protected by a passphrase. Unlock it to see its fingerprint "
                            "and to save the public key."), name);
  ask_passphrase (self, key_job_new (JOB_LOAD, NULL, NULL), SB_PASSPHRASE_UNLOCK,
                  _("Unlock Your Signing Key"), "unlock", _("_Unlock"), body);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SbKeyDialog *self = SB_KEY_DIALOG (widget);

  if (self->fingerprint == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->fingerprint);
  toast (self, _("Fingerprint copied"));
}

/* The object */

static void
sb_key_dialog_dispose (GObject *object)
{
  SbKeyDialog *self = SB_KEY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_KEY_DIALOG);
  G_OBJECT_CLASS (sb_key_dialog_parent_class)->dispose (object);
}

static void
sb_key_dialog_finalize (GObject *object)
{
  SbKeyDialog *self = SB_KEY_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->fingerprint);
  g_free (self->problem);
  g_clear_pointer (&self->jwk, g_bytes_unref);
  g_clear_pointer (&self->pem, g_bytes_unref);
  G_OBJECT_CLASS (sb_key_dialog_parent_class)->finalize (object);
}

static void
sb_key_dialog_class_init (SbKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  _sb_wizard_ensure_resources ();

  object_class->dispose = sb_key_dialog_dispose;
  object_class->finalize = sb_key_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-key-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, none_row);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, problem_row);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, SbKeyDialog, protection_row);
  gtk_widget_class_install_action (widget_class, "key.create", NULL, create_activated);
  gtk_widget_class_install_action (widget_class, "key.unlock", NULL, unlock_activated);
  gtk_widget_class_install_action (widget_class, "key.copy-fingerprint", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "key.export-jwk", "s", file_activated);
  gtk_widget_class_install_action (widget_class, "key.export-pem", "s", file_activated);
  gtk_widget_class_install_action (widget_class, "key.import", "s", file_activated);
}

static void
sb_key_dialog_init (SbKeyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_state (self);
  run_job (self, key_job_new (JOB_LOAD, NULL, NULL));
}

GtkWidget *
sb_key_dialog_new (GtkWindow *parent)
{
  return g_object_new (SB_TYPE_KEY_DIALOG,
                       "transient-for", parent,
                       NULL);
}
