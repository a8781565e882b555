/* sb-passphrase-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-passphrase-dialog.h"

struct _SbPassphraseDialog
{
  AdwMessageDialog parent_instance;

  SbPassphraseKind kind;
  char            *response;
  GtkWidget       *entry;
  GtkWidget       *repeat;
};

G_DEFINE_FINAL_TYPE (SbPassphraseDialog, sb_passphrase_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
sb_passphrase_dialog_finalize (GObject *object)
{
  SbPassphraseDialog *self = SB_PASSPHRASE_DIALOG (object);

  g_free (self->response);
  G_OBJECT_CLASS (sb_passphrase_dialog_parent_class)->finalize (object);
}

static void
sb_passphrase_dialog_class_init (SbPassphraseDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_passphrase_dialog_finalize;
}

static void
sb_passphrase_dialog_init (SbPassphraseDialog *self)
{
}

/* a plain entry: GTK 4.8's GtkPasswordEntry warns when its dialog is
 * finalized after a response */
static GtkWidget *
hidden_entry (const char *label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return entry;
}

gboolean
sb_passphrase_dialog_get_matches (SbPassphraseDialog *self)
{
  g_return_val_if_fail (SB_IS_PASSPHRASE_DIALOG (self), FALSE);

  if (self->repeat == NULL)
    return TRUE;
  return g_str_equal (gtk_editable_get_text (GTK_EDITABLE (self->entry)),
                      gtk_editable_get_text (GTK_EDITABLE (self->repeat)));
}

static void
entry_changed (SbPassphraseDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), self->response,
                                           sb_passphrase_dialog_get_matches (self));
}

static void
entry_activated (SbPassphraseDialog *self)
{
  if (!sb_passphrase_dialog_get_matches (self))
    return;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), self->response);
  gtk_window_close (GTK_WINDOW (self));
}

/* Enter in the first of two entries goes on to the second. */
static void
first_activated (SbPassphraseDialog *self)
{
  if (self->repeat != NULL)
    gtk_widget_grab_focus (self->repeat);
  else
    entry_activated (self);
}

GtkWidget *
sb_passphrase_dialog_new (GtkWindow        *parent,
                          SbPassphraseKind  kind,
                          const char       *heading,
                          const char       *response,
                          const char       *response_label)
{
  SbPassphraseDialog *self = g_object_new (SB_TYPE_PASSPHRASE_DIALOG,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           "heading", heading,
                                           NULL);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  self->kind = kind;
  self->response = g_strdup (response);
  if (kind == SB_PASSPHRASE_NEW)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

      self->entry = hidden_entry (_("New passphrase (optional)"));
      self->repeat = hidden_entry (_("Repeat the passphrase"));
      gtk_box_append (GTK_BOX (box), self->entry);
      gtk_box_append (GTK_BOX (box), self->repeat);
      adw_message_dialog_set_extra_child (dialog, box);
      g_signal_connect_swapped (self->repeat, "changed", G_CALLBACK (entry_changed), self);
      g_signal_connect_swapped (self->repeat, "activate", G_CALLBACK (entry_activated), self);
    }
  else
    {
      self->entry = hidden_entry (_("Passphrase"));
      adw_message_dialog_set_extra_child (dialog, self->entry);
    }
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (first_activated), self);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, response_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_focus (GTK_WINDOW (self), self->entry);
  return GTK_WIDGET (self);
}

char *
sb_passphrase_dialog_dup_passphrase (SbPassphraseDialog *self)
{
  const char *text;

  g_return_val_if_fail (SB_IS_PASSPHRASE_DIALOG (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  if (self->kind == SB_PASSPHRASE_NEW && text[0] == '\0')
    return NULL;
  return g_strdup (text);
}
