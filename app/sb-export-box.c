/* sb-export-box.c — the review step's export: PDF, signed bundle, print
 *
 * The same exporters as `shenbao export` (sb-pdf-export.h, sb-bundle.h):
 * with both, the bundle is written first so that the PDF's QR code carries
 * the key fingerprint beside the application digest they share. A draft
 * with errors is not exported (the actions are disabled, and the exporters
 * refuse it anyway); warnings not acknowledged are listed in a
 * confirmation, never blocking. The writing runs in a worker thread
 * (GTask) on a copy of the draft, so the window stays responsive and later
 * edits cannot reach a half-written file. Printing draws the exported
 * PDF's pages with poppler-glib, so paper and file are the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <poppler.h>

#include "sb-application-digest.h"
#include "sb-bundle.h"
#include "sb-catalog.h"
#include "sb-draft-store.h"
#include "sb-export-box.h"
#include "sb-key.h"
#include "sb-key-dialog.h"
#include "sb-passphrase-dialog.h"
#include "sb-pdf-export.h"
#include "sb-problem.h"
#include "sb-validator.h"

#define BUNDLE_SUFFIX ".shenbao.json"

struct _SbExportBox
{
  GtkBox            parent_instance;

  GtkLabel         *status_label;
  GtkWidget        *both_button;
  GtkWidget        *bundle_button;
  GtkWidget        *spinner;
  GtkWidget        *result_box;
  GtkLabel         *files_label;
  GtkLabel         *digest_label;
  GtkWidget        *fingerprint_title;
  GtkLabel         *fingerprint_label;
  GtkWidget        *key_button;
  GtkLabel         *copies_label;

  SbDraft          *draft;
  guint             errors;
  GPtrArray        *warnings;   /* char *: warnings not acknowledged, as listed */
  gboolean          busy;
  gboolean          read_only;  /* a signed bundle: the PDF only */
  char             *signer;     /* read-only: the bundle's key fingerprint */
  GFile            *pdf;        /* the last PDF written */
  char             *exported;   /* the draft as it was exported (sb_draft_to_data) */
  GtkPrintSettings *print_settings;
};

G_DEFINE_FINAL_TYPE (SbExportBox, sb_export_box, GTK_TYPE_BOX)

typedef enum {
  EXPORT_PDF    = 1 << 0,
  EXPORT_BUNDLE = 1 << 1,
} ExportWhat;

/* One export, from the action to the result. */
typedef struct {
  ExportWhat  what;
  GFile      *pdf;
  GFile      *bundle;
  char       *passphrase;
  SbDraft    *draft;          /* a copy of the wizard's draft, the worker's own */
  char       *data;           /* what was copied */
  /* results */
  char       *digest;
  char       *fingerprint;
  gboolean    key_made;
  GPtrArray  *notes;          /* char * */
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->pdf);
  g_clear_object (&job->bundle);
  if (job->passphrase != NULL)
    memset (job->passphrase, 0, strlen (job->passphrase));
  g_free (job->passphrase);
  g_clear_object (&job->draft);
  g_free (job->data);
  g_free (job->digest);
  g_free (job->fingerprint);
  g_ptr_array_unref (job->notes);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static GtkWindow *
parent_window (SbExportBox *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (SbExportBox *self,
            const char  *heading,
            const char  *message)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_state (SbExportBox *self)
{
  gboolean can_export = self->draft != NULL && self->errors == 0 && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.pdf", can_export);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.bundle", can_export && !self->read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.both", can_export && !self->read_only);
  gtk_widget_set_visible (self->both_button, !self->read_only);
  gtk_widget_set_visible (self->bundle_button, !self->read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.open", self->pdf != NULL && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.print", self->pdf != NULL && !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
}

/* The worker */

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  ExportJob *job = data;
  GError *error = NULL;

  if (job->what & EXPORT_BUNDLE)
    {
      g_autoptr(GFile) key_file = sb_key_get_default_file ();
      g_autoptr(SbKey) key = NULL;

      job->key_made = !g_file_query_exists (key_file, NULL);
      key = sb_key_load_default (job->passphrase, TRUE, &error);
      if (key == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      job->fingerprint = sb_key_get_fingerprint (key);
      if (!sb_bundle_export (job->draft, key, job->bundle, NULL, &job->digest, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (job->what & EXPORT_PDF)
    {
      SbPdfExportOptions options = { 0 };
      g_autoptr(GPtrArray) notes = g_ptr_array_new ();
      gboolean written;

      if (job->digest == NULL)
        job->digest = sb_application_compute_digest (job->draft, &error);
      if (job->digest == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      options.digest = job->digest;
      options.key_fingerprint = job->fingerprint;
      written = sb_pdf_export_file (job->draft, &options, job->pdf, notes, &error);
      for (guint i = 0; i < notes->len; i++)
        {
          SbText *note = g_ptr_array_index (notes, i);

          g_ptr_array_add (job->notes, g_strdup (sb_text_get (note, sb_prefer_chinese ())));
          sb_text_clear (note);
          g_free (note);
        }
      if (!written)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static char *
copies_text (gint64 copies)
{
  if (copies <= 0)
    return g_strdup (_("The call asks for no paper copies at application: the PDF is a record of what was entered."));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The call asks for %d paper copy; Print… starts with that count.",
                                       "The call asks for %d paper copies; Print… starts with that count.",
                                       (gulong) copies),
                          (int) copies);
}

static void
show_result (SbExportBox *self,
             ExportJob   *job)
{
  g_autoptr(GString) files = g_string_new (NULL);

  if (job->bundle != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (job->bundle);
      g_string_append_printf (files, _("Signed bundle written: %s"), name);
    }
  if (job->pdf != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (job->pdf);

      if (files->len > 0)
        g_string_append_c (files, '\n');
      g_string_append_printf (files, _("PDF written: %s"), name);
      g_set_object (&self->pdf, job->pdf);
    }
  if (job->key_made)
    {
      g_autoptr(GFile) key_file = sb_key_get_default_file ();
      g_autofree char *name = g_file_get_parse_name (key_file);

      g_string_append_c (files, '\n');
      g_string_append_printf (files, _("A signing key was made: %s"), name);
    }
  for (guint i = 0; i < job->notes->len; i++)
    {
      g_string_append_c (files, '\n');
      g_string_append (files, g_ptr_array_index (job->notes, i));
    }
  gtk_label_set_label (self->files_label, files->str);
  gtk_label_set_label (self->digest_label, job->digest);
  gtk_label_set_label (self->fingerprint_label, job->fingerprint != NULL ? job->fingerprint : "");
  gtk_widget_set_visible (self->fingerprint_title, job->fingerprint != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_label), job->fingerprint != NULL);
  /* the signer's key is not the user's own: no link to the signing key */
  gtk_widget_set_visible (self->key_button, job->fingerprint != NULL && !self->read_only);
  if (self->pdf != NULL)
    {
      g_autofree char *copies = copies_text (sb_pdf_export_copies (self->draft));
      gtk_label_set_label (self->copies_label, copies);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->copies_label), self->pdf != NULL);
  gtk_widget_set_visible (self->result_box, TRUE);
  g_free (self->exported);
  self->exported = g_strdup (job->data);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SbExportBox *self = SB_EXPORT_BOX (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    show_result (self, job);
  else
    show_error (self, _("Export Failed"), error->message);
  update_state (self);
}

/* A copy of the draft as it is now, for the worker alone. */
static SbDraft *
copy_draft (SbDraft  *draft,
            char    **data_out,
            GError  **error)
{
  gsize length = 0;
  char *data = sb_draft_to_data (draft, &length);
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  SbDraft *copy;

  if (!sb_catalog_add_call (catalog, sb_draft_get_call (draft), SB_ORIGIN_BUILTIN, error))
    {
      g_free (data);
      return NULL;
    }
  copy = sb_draft_load_bytes (bytes, sb_draft_get_display_name (draft), catalog, error);
  if (copy != NULL && sb_draft_get_file (draft) != NULL)
    sb_draft_set_file (copy, sb_draft_get_file (draft));
  *data_out = data;
  return copy;
}

static void
run_export (SbExportBox *self,
            ExportJob   *job_in)
{
  g_autoptr(ExportJob) job = job_in;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  job->draft = copy_draft (self->draft, &job->data, &error);
  if (job->draft == NULL)
    {
      show_error (self, _("Export Failed"), error->message);
      return;
    }
  self->busy = TRUE;
  update_state (self);
  task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_task_data (task, g_steal_pointer (&job), (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/* The signing key's passphrase, when the key is encrypted */

static void
passphrase_response (SbPassphraseDialog *dialog,
                     const char         *response,
                     SbExportBox        *self)
{
  ExportJob *job = g_object_steal_data (G_OBJECT (dialog), "sb-job");

  if (job == NULL)
    return;
  if (!g_str_equal (response, "unlock"))
    {
      export_job_free (job);
      return;
    }
  job->passphrase = sb_passphrase_dialog_dup_passphrase (dialog);
  run_export (self, job);
}

static void
ask_passphrase (SbExportBox *self,
                ExportJob   *job)
{
  g_autoptr(GFile) key_file = sb_key_get_default_file ();
  g_autofree char *key_name = NULL;
  GtkWidget *dialog;

  if (!(job->what & EXPORT_BUNDLE) || !sb_key_file_is_encrypted (key_file))
    {
      run_export (self, job);
      return;
    }
  key_name = g_file_get_parse_name (key_file);
  dialog = sb_passphrase_dialog_new (parent_window (self), SB_PASSPHRASE_UNLOCK, _("Unlock Your Signing Key"),
                                     "unlock", _("_Unlock and Export"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The bundle is signed with your key %s, which is protected by a passphrase."),
                                  key_name);
  g_object_set_data_full (G_OBJECT (dialog), "sb-job", job, (GDestroyNotify) export_job_free);
  g_signal_connect (dialog, "response", G_CALLBACK (passphrase_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Where to write */

/* The applicant's title of the draft, else the call's, as a file name;
 * what 0: without extension. */
static char *
default_name (SbExportBox *self,
              ExportWhat   what)
{
  g_autofree char *title = sb_draft_store_get_title (self->draft);

  g_strdelimit (title, "/\\:*?\"<>|\n\r\t", '_');
  if (what == 0)
    return g_steal_pointer (&title);
  return g_strconcat (title, what == EXPORT_BUNDLE ? BUNDLE_SUFFIX : ".pdf", NULL);
}

/* Both files in one folder (the file-chooser portal grants a folder, not
 * a file's neighbours), named after the draft; never over existing files. */
static void
set_targets_in (SbExportBox *self,
                ExportJob   *job,
                GFile       *folder)
{
  g_autofree char *stem = default_name (self, 0);

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (stem) : g_strdup_printf ("%s (%u)", stem, n);
      g_autofree char *pdf_name = g_strconcat (name, ".pdf", NULL);
      g_autofree char *bundle_name = g_strconcat (name, BUNDLE_SUFFIX, NULL);

      g_clear_object (&job->pdf);
      g_clear_object (&job->bundle);
      job->pdf = g_file_get_child (folder, pdf_name);
      job->bundle = g_file_get_child (folder, bundle_name);
      if (!g_file_query_exists (job->pdf, NULL) && !g_file_query_exists (job->bundle, NULL))
        break;
    }
}

static void
file_chosen (SbExportBox *self,
             ExportJob   *job,
             GFile       *file)
{
  if (file == NULL)
    {
      export_job_free (job);
      return;
    }
  if (job->what == EXPORT_PDF)
    job->pdf = g_object_ref (file);
  else if (job->what == EXPORT_BUNDLE)
    job->bundle = g_object_ref (file);
  else
    set_targets_in (self, job, file);
  ask_passphrase (self, job);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
file_dialog_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SbExportBox *self = SB_EXPORT_BOX (g_object_get_data (source, "sb-box"));
  ExportJob *job = user_data;
  g_autoptr(GFile) file = job->what == (EXPORT_PDF | EXPORT_BUNDLE)
                          ? gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (source), result, NULL)
                          : gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  file_chosen (self, job, file);
}
#else
static void
file_chooser_response (GtkNativeDialog *dialog,
                       int              response,
                       SbExportBox     *self)
{
  ExportJob *job = g_object_get_data (G_OBJECT (dialog), "sb-job");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  file_chosen (self, job, file);
  g_object_unref (dialog);
}
#endif

static void
choose_file (SbExportBox *self,
             ExportJob   *job)
{
  g_autofree char *name = default_name (self, job->what);
  gboolean both = job->what == (EXPORT_PDF | EXPORT_BUNDLE);
  const char *title = both ? _("Export the PDF and the Signed Bundle to a Folder")
                      : job->what == EXPORT_BUNDLE ? _("Export Signed Bundle") : _("Export PDF");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GFile *draft_file = sb_draft_get_file (self->draft);
  g_autoptr(GFile) folder = NULL;

  if (job->what == EXPORT_BUNDLE)
    {
      gtk_file_filter_set_name (filter, _("Signed bundles"));
      gtk_file_filter_add_suffix (filter, "json");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  /* the documents folder, not the draft's own folder inside the app's data */
  if (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS) != NULL)
    folder = g_file_new_for_path (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS));
  else if (draft_file != NULL)
    folder = g_file_get_parent (draft_file);
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    if (folder != NULL)
      gtk_file_dialog_set_initial_folder (dialog, folder);
    g_object_set_data_full (G_OBJECT (dialog), "sb-box", g_object_ref (self), g_object_unref);
    if (both)
      gtk_file_dialog_select_folder (dialog, parent_window (self), NULL, file_dialog_done, job);
    else
      {
        gtk_file_dialog_set_initial_name (dialog, name);
        gtk_file_dialog_set_default_filter (dialog, filter);
        gtk_file_dialog_save (dialog, parent_window (self), NULL, file_dialog_done, job);
      }
  }
#else
  {
    GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, parent_window (self),
                                                                both ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                                : GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                _("_Export"), _("_Cancel"));

    if (!both)
      {
        gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
      }
    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
    g_object_set_data (G_OBJECT (dialog), "sb-job", job);
    g_signal_connect (dialog, "response", G_CALLBACK (file_chooser_response), self);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
#endif
}

static void
choose_targets (SbExportBox *self,
                ExportJob   *job,
                const char  *path)
{
  if (path != NULL && path[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      file_chosen (self, job, file);
    }
  else
    choose_file (self, job);
}

/* Warnings not acknowledged: listed, then confirmed; they never block */

static void
warnings_response (AdwMessageDialog *dialog,
                   const char       *response,
                   SbExportBox      *self)
{
  ExportJob *job = g_object_steal_data (G_OBJECT (dialog), "sb-job");
  g_autofree char *path = g_strdup (g_object_get_data (G_OBJECT (dialog), "sb-path"));

  if (job == NULL)
    return;
  if (g_str_equal (response, "export"))
    choose_targets (self, job, path);
  else
    export_job_free (job);
}

static void
confirm_warnings (SbExportBox *self,
                  ExportJob   *job,
                  const char  *path)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                             "%u warning is not acknowledged. Warnings never block the export; "
                                             "the bundle records it as not acknowledged.",
                                             "%u warnings are not acknowledged. Warnings never block the export; "
                                             "the bundle records them as not acknowledged.",
                                             self->warnings->len),
                          self->warnings->len);
  for (guint i = 0; i < self->warnings->len; i++)
    g_string_append_printf (body, "\n\n• %s", (char *) g_ptr_array_index (self->warnings, i));
  dialog = adw_message_dialog_new (parent_window (self), _("Export With Warnings?"), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Export Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sb-job", job, (GDestroyNotify) export_job_free);
  g_object_set_data_full (G_OBJECT (dialog), "sb-path", g_strdup (path), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (warnings_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SbExportBox *self = SB_EXPORT_BOX (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  ExportJob *job;

  if (self->busy || self->errors > 0 || self->draft == NULL)
    return;
  if (self->read_only && !g_str_equal (action_name, "export.pdf"))
    return;
  job = g_new0 (ExportJob, 1);
  job->notes = g_ptr_array_new_with_free_func (g_free);
  if (g_str_equal (action_name, "export.pdf"))
    job->what = EXPORT_PDF;
  else if (g_str_equal (action_name, "export.bundle"))
    job->what = EXPORT_BUNDLE;
  else
    job->what = EXPORT_PDF | EXPORT_BUNDLE;
  /* a bundle being read: the PDF carries its verified signer's key */
  if (self->read_only)
    job->fingerprint = g_strdup (self->signer);

  if (self->warnings->len > 0)
    confirm_warnings (self, job, path);
  else
    choose_targets (self, job, path);
}

/* Open and print the PDF written */

static void
open_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SbExportBox *self = SB_EXPORT_BOX (widget);

  if (self->pdf == NULL)
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (self->pdf);

    gtk_file_launcher_launch (launcher, parent_window (self), NULL, NULL, NULL);
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (self->pdf);

    gtk_show_uri (parent_window (self), uri, GDK_CURRENT_TIME);
  }
#endif
}

static void
signing_key_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (sb_key_dialog_new (parent_window (SB_EXPORT_BOX (widget)))));
}

static gboolean
key_link_activated (SbExportBox *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "export.signing-key", NULL);
  return TRUE;
}

static void
draw_page (GtkPrintOperation *operation,
           GtkPrintContext   *context,
           int                page_number,
           PopplerDocument   *document)
{
  PopplerPage *page = poppler_document_get_page (document, page_number);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = 0, height = 0, scale;

  if (page == NULL)
    return;
  poppler_page_get_size (page, &width, &height);
  /* the whole sheet, our page box onto the paper's */
  scale = MIN (gtk_print_context_get_width (context) / width, gtk_print_context_get_height (context) / height);
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  cairo_restore (cr);
  g_object_unref (page);
}

static GtkPageSetup *
page_setup_for (PopplerDocument *document)
{
  PopplerPage *page = poppler_document_get_page (document, 0);
  GtkPageSetup *setup = gtk_page_setup_new ();
  double width = 595.28, height = 841.89;
  GtkPaperSize *paper;

  if (page != NULL)
    {
      poppler_page_get_size (page, &width, &height);
      g_object_unref (page);
    }
  paper = gtk_paper_size_new_custom ("shenbao", "PDF", width, height, GTK_UNIT_POINTS);
  /* A4 when it is A4, so the printer's own tray is used */
  if (ABS (width - 595.28) < 1 && ABS (height - 841.89) < 1)
    {
      gtk_paper_size_free (paper);
      paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
    }
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_paper_size_free (paper);
  return setup;
}

static void
print_done (GtkPrintOperation       *operation,
            GtkPrintOperationResult  result,
            SbExportBox             *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_error (self, _("Printing Failed"), error != NULL ? error->message : _("The print job failed."));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    g_set_object (&self->print_settings, gtk_print_operation_get_print_settings (operation));
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbExportBox *self = SB_EXPORT_BOX (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) document_object = NULL;
  PopplerDocument *document;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autofree char *job_name = NULL;
  GtkPrintOperationResult result;

  if (self->pdf == NULL)
    return;
  document = poppler_document_new_from_gfile (self->pdf, NULL, NULL, &error);
  document_object = G_OBJECT (document);
  if (document == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->pdf);
      g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);

      show_error (self, _("Printing Failed"), message);
      return;
    }
  job_name = g_file_get_basename (self->pdf);
  operation = gtk_print_operation_new ();
  setup = page_setup_for (document);
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_n_pages (operation, poppler_document_get_n_pages (document));
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, sb_export_box_get_print_settings (self));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page),
                         g_object_ref (document), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done), self, 0);
  if (path[0] != '\0')
    {
      /* tests, and anyone who wants the print job as a file */
      gtk_print_operation_set_export_filename (operation, path);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, parent_window (self), &error);
    }
  else
    {
      gtk_print_operation_set_allow_async (operation, TRUE);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                        parent_window (self), &error);
    }
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    show_error (self, _("Printing Failed"), error->message);
}

/* Public */

void
sb_export_box_set_problems (SbExportBox *self,
                            GPtrArray   *problems)
{
  guint errors, warnings, infos;

  g_return_if_fail (SB_IS_EXPORT_BOX (self));

  sb_problems_count (problems, &errors, &warnings, &infos);
  self->errors = errors;
  g_ptr_array_set_size (self->warnings, 0);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged)
        g_ptr_array_add (self->warnings, g_strdup_printf ("%s (%s)",
                                                          sb_problem_get_message (problem, sb_prefer_chinese ()),
                                                          problem->path));
    }
  /* what is shown must be what was exported: an edit since hides it */
  if (self->exported != NULL)
    {
      g_autofree char *now = sb_draft_to_data (self->draft, NULL);

      if (g_strcmp0 (now, self->exported) != 0)
        {
          g_clear_pointer (&self->exported, g_free);
          g_clear_object (&self->pdf);
          gtk_widget_set_visible (self->result_box, FALSE);
        }
    }
  if (errors > 0 && self->read_only)
    gtk_label_set_label (self->status_label, _("Checked now, this bundle has errors, so no PDF is made from it. "
                                               "Make a copy to correct it."));
  else if (errors > 0)
    gtk_label_set_label (self->status_label, _("Fix the errors listed below first: a draft with errors is not exported."));
  else if (self->read_only)
    gtk_label_set_label (self->status_label,
                         _("Writes the printed 申报书 (PDF) of this signed bundle, with the same application "
                           "digest and, in its QR code, the signer’s key fingerprint. The bundle itself is not "
                           "signed again: make a copy to edit and export it as your own."));
  else
    gtk_label_set_label (self->status_label,
                         _("Writes the printed 申报书 (PDF) and the signed bundle from what is entered now. "
                           "“Export Both” writes the bundle first, so that the PDF’s QR code carries your key "
                           "fingerprint beside the application digest."));
  update_state (self);
}

void
sb_export_box_set_read_only (SbExportBox *self,
                             const char  *signer)
{
  g_return_if_fail (SB_IS_EXPORT_BOX (self));

  self->read_only = TRUE;
  g_free (self->signer);
  self->signer = g_strdup (signer);
  update_state (self);
}

gboolean
sb_export_box_get_busy (SbExportBox *self)
{
  return self->busy;
}

const char *
sb_export_box_get_digest (SbExportBox *self)
{
  if (!gtk_widget_get_visible (self->result_box))
    return NULL;
  return gtk_label_get_label (self->digest_label);
}

const char *
sb_export_box_get_fingerprint (SbExportBox *self)
{
  if (!gtk_widget_get_visible (self->result_box) || !gtk_widget_get_visible (GTK_WIDGET (self->fingerprint_label)))
    return NULL;
  return gtk_label_get_label (self->fingerprint_label);
}

GFile *
sb_export_box_get_pdf (SbExportBox *self)
{
  return self->pdf;
}

GtkPrintSettings *
sb_export_box_get_print_settings (SbExportBox *self)
{
  if (self->print_settings == NULL)
    {
      gint64 copies = self->draft != NULL ? sb_pdf_export_copies (self->draft) : 0;

      self->print_settings = gtk_print_settings_new ();
      if (copies > 0)
        gtk_print_settings_set_n_copies (self->print_settings, (int) copies);
      /* the PDF mirrors its margins for double-sided printing (GB/T
       * 9704-2012 9.2): both sides, turned on the long edge, so that the
       * text blocks register; the dialog lets the user change it */
      if (self->draft != NULL && sb_pdf_export_two_sided (self->draft))
        gtk_print_settings_set_duplex (self->print_settings, GTK_PRINT_DUPLEX_HORIZONTAL);
    }
  return self->print_settings;
}

static void
sb_export_box_dispose (GObject *object)
{
  SbExportBox *self = SB_EXPORT_BOX (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_EXPORT_BOX);
  g_clear_object (&self->draft);
  g_clear_object (&self->pdf);
  g_clear_object (&self->print_settings);
  G_OBJECT_CLASS (sb_export_box_parent_class)->dispose (object);
}

static void
sb_export_box_finalize (GObject *object)
{
  g_ptr_array_unref (SB_EXPORT_BOX (object)->warnings);
  g_free (SB_EXPORT_BOX (object)->exported);
  g_free (SB_EXPORT_BOX (object)->signer);
  G_OBJECT_CLASS (sb_export_box_parent_class)->finalize (object);
}

static void
sb_export_box_class_init (SbExportBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_export_box_dispose;
  object_class->finalize = sb_export_box_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-export-box.ui");
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, status_label);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, both_button);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, bundle_button);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, result_box);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, files_label);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, digest_label);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, fingerprint_title);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, key_button);
  gtk_widget_class_bind_template_child (widget_class, SbExportBox, copies_label);
  gtk_widget_class_install_action (widget_class, "export.pdf", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "export.bundle", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "export.both", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "export.print", "s", print_activated);
  gtk_widget_class_install_action (widget_class, "export.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "export.signing-key", NULL, signing_key_activated);
  gtk_widget_class_bind_template_callback (widget_class, key_link_activated);
}

static void
sb_export_box_init (SbExportBox *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  /* nothing is exported before the full check has run */
  self->errors = G_MAXUINT;
  update_state (self);
}

GtkWidget *
sb_export_box_new (SbDraft *draft)
{
  SbExportBox *self = g_object_new (SB_TYPE_EXPORT_BOX, NULL);

  self->draft = g_object_ref (draft);
  update_state (self);
  return GTK_WIDGET (self);
}
