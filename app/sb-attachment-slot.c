/* sb-attachment-slot.c — the files given for one attachment of the call
 *
 * A file is chosen through the file-chooser portal, copied into the draft's
 * own folder (attachments/), and recorded with its size and SHA-256. Before
 * it is accepted the core's validator checks it exactly as `shenbao
 * validate` does (format, empty, size, content); a refused file is removed
 * again and the validator's message shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-attachment-slot.h"
#include "sb-error.h"
#include "sb-json.h"
#include "sb-wizard-private.h"

struct _SbAttachmentSlot
{
  GtkBox                  parent_instance;

  GtkLabel               *title_label;
  GtkLabel               *required_label;
  GtkLabel               *description_label;
  GtkLabel               *rules_label;
  GtkBox                 *files_box;
  GtkButton              *add_button;
  GtkLabel               *refused_label;
  GtkBox                 *problems_box;

  SbWizard               *wizard;
  const SbAttachmentSpec *spec;
  char                   *path;
  GtkNativeDialog        *chooser;
  guint                   n_shown;
};

G_DEFINE_FINAL_TYPE (SbAttachmentSlot, sb_attachment_slot, GTK_TYPE_BOX)

static GPtrArray *
get_refs (SbAttachmentSlot *self)
{
  return sb_draft_get_attachments (sb_wizard_get_draft (self->wizard), self->spec->id);
}

static GFile *
draft_folder (SbAttachmentSlot *self)
{
  GFile *file = sb_draft_get_file (sb_wizard_get_draft (self->wizard));

  return file != NULL ? g_file_get_parent (file) : g_file_new_for_path (g_get_tmp_dir ());
}

static void rebuild_files (SbAttachmentSlot *self);

static void
remove_clicked (GtkWidget        *button,
                SbAttachmentSlot *self)
{
  GPtrArray *refs = get_refs (self);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  g_return_if_fail (refs != NULL && index < refs->len);
  g_return_if_fail (!_sb_wizard_read_only (self->wizard));
  /* the copy stays in the folder: an undo, or another draft, may want it */
  g_ptr_array_remove_index (refs, index);
  rebuild_files (self);
  _sb_wizard_value_changed (self->wizard, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_button));
}

/* Read-only: a file is opened to be read (the default viewer), not removed. */
static void
open_clicked (GtkWidget        *button,
              SbAttachmentSlot *self)
{
  GPtrArray *refs = get_refs (self);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) file = NULL;
  GtkRoot *root = gtk_widget_get_root (button);
  SbAttachmentRef *ref;

  g_return_if_fail (refs != NULL && index < refs->len);
  ref = g_ptr_array_index (refs, index);
  folder = draft_folder (self);
  file = g_path_is_absolute (ref->file) ? g_file_new_for_path (ref->file)
                                        : g_file_resolve_relative_path (folder, ref->file);
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

    gtk_file_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL, NULL);
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (file);

    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  }
#endif
}

static void
rebuild_files (SbAttachmentSlot *self)
{
  gboolean read_only = _sb_wizard_read_only (self->wizard);
  GPtrArray *refs = get_refs (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->files_box))) != NULL)
    gtk_box_remove (self->files_box, child);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      SbAttachmentRef *ref = g_ptr_array_index (refs, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      g_autofree char *base = g_path_get_basename (ref->file);
      g_autofree char *size = ref->size >= 0 ? g_format_size (ref->size) : g_strdup (_("size not recorded"));
      g_autofree char *text = g_strdup_printf ("%s (%s)", base, size);
      /* TRANSLATORS: %s: an attached file's name */
      g_autofree char *remove_label = g_strdup_printf (read_only ? _("Open %s") : _("Remove %s"), base);
      GtkWidget *icon = gtk_image_new_from_icon_name ("text-x-generic-symbolic");
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *button = gtk_button_new_from_icon_name (read_only ? "document-open-symbolic" : "user-trash-symbolic");

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, ref->sha256 ? ref->sha256 : NULL);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, remove_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", read_only ? G_CALLBACK (open_clicked) : G_CALLBACK (remove_clicked), self);
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), button);
      gtk_box_append (self->files_box, row);
    }
  self->n_shown = refs ? refs->len : 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            self->spec->multiple || refs == NULL || refs->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), !read_only);
}

static char *
hash_file (GFile   *file,
           gint64  *size,
           GError **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buffer[65536];
  gssize n;

  if (stream == NULL)
    return NULL;
  *size = 0;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL, error)) > 0)
    {
      g_checksum_update (checksum, buffer, n);
      *size += n;
    }
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

/* attachments/NAME, or NAME-2, NAME-3… when taken */
static GFile *
free_destination (GFile      *folder,
                  const char *name,
                  char      **relative)
{
  g_autoptr(GFile) dir = g_file_get_child (folder, "attachments");
  const char *dot = strrchr (name, '.');
  g_autofree char *stem = dot ? g_strndup (name, dot - name) : g_strdup (name);

  for (guint i = 1; ; i++)
    {
      g_autofree char *candidate = i == 1 ? g_strdup (name)
                                          : g_strdup_printf ("%s-%u%s", stem, i, dot ? dot : "");
      GFile *file = g_file_get_child (dir, candidate);

      if (!g_file_query_exists (file, NULL))
        {
          *relative = g_build_filename ("attachments", candidate, NULL);
          return file;
        }
      g_object_unref (file);
    }
}

gboolean
sb_attachment_slot_add_file (SbAttachmentSlot *self,
                             GFile            *file,
                             GError          **error)
{
  g_autoptr(GFile) folder = draft_folder (self);
  g_autoptr(GFile) attachments = g_file_get_child (folder, "attachments");
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *relative = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *path = NULL;
  SbAttachmentRef *ref;
  GPtrArray *refs;
  gint64 size = 0;
  char *sha256;

  if (_sb_wizard_read_only (self->wizard))
    {
      g_set_error_literal (error, SB_ERROR, SB_ERROR_FAILED,
                           _("A signed bundle is read-only: make a copy to edit it"));
      return FALSE;
    }
  if (!g_file_make_directory_with_parents (attachments, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  destination = free_destination (folder, name, &relative);
  if (!g_file_copy (file, destination, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    return FALSE;
  sha256 = hash_file (destination, &size, error);
  if (sha256 == NULL)
    {
      g_file_delete (destination, NULL, NULL);
      return FALSE;
    }

  ref = g_new0 (SbAttachmentRef, 1);
  ref->file = g_strdup (relative);
  ref->sha256 = sha256;
  ref->size = size;
  sb_draft_add_attachment (sb_wizard_get_draft (self->wizard), self->spec->id, ref);
  refs = get_refs (self);

  /* the core's file checks decide, with their own message */
  problems = sb_validator_validate (_sb_wizard_get_validator (self->wizard),
                                    sb_wizard_get_draft (self->wizard), SB_VALIDATE_FILES);
  path = sb_json_path_index (self->path, refs->len - 1);
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_ERROR && g_str_equal (problem->path, path))
        {
          g_set_error_literal (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                               sb_problem_get_message (problem, _sb_chinese ()));
          g_ptr_array_remove_index (refs, refs->len - 1);
          g_file_delete (destination, NULL, NULL);
          _sb_wizard_check_now (self->wizard);
          return FALSE;
        }
    }

  rebuild_files (self);
  _sb_wizard_value_changed (self->wizard, TRUE);
  _sb_wizard_check_now (self->wizard);
  return TRUE;
}

static void
show_refused (SbAttachmentSlot *self,
              const char       *message)
{
  gtk_label_set_label (self->refused_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->refused_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
add_chosen (SbAttachmentSlot *self,
            GFile            *file)
{
  g_autoptr(GError) error = NULL;

  if (sb_attachment_slot_add_file (self, file, &error))
    show_refused (self, NULL);
  else
    show_refused (self, error->message);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
dialog_opened (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(SbAttachmentSlot) self = data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL && self->wizard != NULL)
    add_chosen (self, file);
}
#else
static void
chooser_response (GtkNativeDialog  *dialog,
                  int               response,
                  SbAttachmentSlot *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        add_chosen (self, file);
    }
  g_clear_object (&self->chooser);
}

#endif

static GtkFileFilter *
make_filter (SbAttachmentSlot *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  g_autofree char *formats = g_strjoinv (", ", self->spec->formats);

  gtk_file_filter_set_name (filter, formats);
  for (guint i = 0; self->spec->formats[i] != NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("*.%s", self->spec->formats[i]);
      g_autofree char *upper = g_ascii_strup (pattern, -1);

      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_filter_add_pattern (filter, upper);
    }
  return filter;
}

static void
add_clicked (SbAttachmentSlot *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = make_filter (self);
  g_autofree char *title = g_strdup_printf (_("Attach %s"), _sb_text (&self->spec->title));

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_accept_label (dialog, _("_Attach"));
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_open (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                          dialog_opened, g_object_ref (self));
  }
#else
  /* GtkFileChooserNative goes through the file-chooser portal on 4.8 */
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                  _("_Attach"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (self->chooser);
#endif
}

void
sb_attachment_slot_update (SbAttachmentSlot *self)
{
  SbValidator *validator = _sb_wizard_get_validator (self->wizard);
  SbSeverity worst = SB_SEVERITY_INFO;
  const char *message;
  gboolean relevant = sb_validator_check_condition (validator, self->spec->relevant, FALSE);
  GPtrArray *refs = get_refs (self);

  /* a slot that is not needed is shown only while it still holds files */
  gtk_widget_set_visible (GTK_WIDGET (self), relevant || (refs != NULL && refs->len > 0));
  if ((refs ? refs->len : 0) != self->n_shown)
    rebuild_files (self);
  message = _sb_show_problems (self->problems_box, _sb_wizard_problems_for (self->wizard, GTK_WIDGET (self)),
                               self->wizard, &worst);
  _sb_mark_invalid (GTK_WIDGET (self->add_button), message, worst);
}

const SbAttachmentSpec *
sb_attachment_slot_get_spec (SbAttachmentSlot *self)
{
  return self->spec;
}

static void
sb_attachment_slot_dispose (GObject *object)
{
  SbAttachmentSlot *self = SB_ATTACHMENT_SLOT (object);

  if (self->wizard != NULL)
    _sb_wizard_unregister_path (self->wizard, self->path, GTK_WIDGET (self));
  self->wizard = NULL;
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_ATTACHMENT_SLOT);
  G_OBJECT_CLASS (sb_attachment_slot_parent_class)->dispose (object);
}

static void
sb_attachment_slot_finalize (GObject *object)
{
  g_free (SB_ATTACHMENT_SLOT (object)->path);
  G_OBJECT_CLASS (sb_attachment_slot_parent_class)->finalize (object);
}

static void
sb_attachment_slot_class_init (SbAttachmentSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_attachment_slot_dispose;
  object_class->finalize = sb_attachment_slot_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-attachment-slot.ui");
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, required_label);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, description_label);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, rules_label);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, files_box);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, add_button);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, refused_label);
  gtk_widget_class_bind_template_child (widget_class, SbAttachmentSlot, problems_box);
  gtk_widget_class_bind_template_callback_full (widget_class, "add_clicked", G_CALLBACK (add_clicked));
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sb_attachment_slot_init (SbAttachmentSlot *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sb_attachment_slot_new (SbWizard               *wizard,
                        const SbAttachmentSpec *spec)
{
  SbAttachmentSlot *self = g_object_new (SB_TYPE_ATTACHMENT_SLOT, NULL);
  const char *description = _sb_text (&spec->description);
  g_autofree char *formats = g_strjoinv (", ", spec->formats);
  g_autofree char *rules = NULL;

  self->wizard = wizard;
  self->spec = spec;
  self->path = sb_json_path_member ("$.attachments", spec->id);
  gtk_label_set_label (self->title_label, _sb_text (&spec->title));
  gtk_widget_set_visible (GTK_WIDGET (self->required_label), spec->required);
  if (description != NULL && *description != '\0')
    {
      gtk_label_set_label (self->description_label, description);
      gtk_widget_set_visible (GTK_WIDGET (self->description_label), TRUE);
    }
  rules = g_strdup_printf (spec->multiple ? _("Formats: %s; at most %d MB each; several files allowed")
                                          : _("Formats: %s; at most %d MB; one file"),
                           formats, (int) MIN (spec->max_size_mb, G_MAXINT));
  gtk_label_set_label (self->rules_label, rules);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->rules_label, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);
  rebuild_files (self);
  _sb_wizard_register_path (wizard, self->path, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
