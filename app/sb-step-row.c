/* sb-step-row.c — one step in the wizard's sidebar, with its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-step-row.h"

struct _SbStepRow
{
  GtkListBoxRow  parent_instance;

  GtkImage      *icon;
  GtkLabel      *title_label;
  GtkLabel      *state_label;

  GtkWidget     *page;
  SbStepState    state;
};

G_DEFINE_FINAL_TYPE (SbStepRow, sb_step_row, GTK_TYPE_LIST_BOX_ROW)

const char *
sb_step_state_to_string (SbStepState state)
{
  switch (state)
    {
    case SB_STEP_NOT_STARTED:
      return _("Not started");
    case SB_STEP_IN_PROGRESS:
      return _("Not complete");
    case SB_STEP_COMPLETE:
      return _("Complete");
    case SB_STEP_HAS_WARNINGS:
      return _("Has warnings");
    case SB_STEP_HAS_ERRORS:
      return _("Has errors");
    default:
      g_return_val_if_reached (NULL);
    }
}

void
sb_step_row_set_state (SbStepRow   *self,
                       SbStepState  state)
{
  static const char *const icons[] = {
    [SB_STEP_NOT_STARTED] = "content-loading-symbolic",
    [SB_STEP_IN_PROGRESS] = "document-edit-symbolic",
    [SB_STEP_COMPLETE] = "emblem-ok-symbolic",
    [SB_STEP_HAS_WARNINGS] = "dialog-warning-symbolic",
    [SB_STEP_HAS_ERRORS] = "dialog-error-symbolic",
  };
  g_autofree char *name = NULL;

  self->state = state;
  gtk_image_set_from_icon_name (self->icon, icons[state]);
  gtk_label_set_label (self->state_label, sb_step_state_to_string (state));
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");
  if (state == SB_STEP_HAS_ERRORS)
    gtk_widget_add_css_class (GTK_WIDGET (self->icon), "error");
  else if (state == SB_STEP_HAS_WARNINGS)
    gtk_widget_add_css_class (GTK_WIDGET (self->icon), "warning");
  else if (state == SB_STEP_COMPLETE)
    gtk_widget_add_css_class (GTK_WIDGET (self->icon), "success");
  name = g_strdup_printf ("%s: %s", gtk_label_get_label (self->title_label), sb_step_state_to_string (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

SbStepState
sb_step_row_get_state (SbStepRow *self)
{
  return self->state;
}

GtkWidget *
sb_step_row_get_page (SbStepRow *self)
{
  return self->page;
}

static void
sb_step_row_dispose (GObject *object)
{
  SbStepRow *self = SB_STEP_ROW (object);

  g_clear_object (&self->page);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_STEP_ROW);
  G_OBJECT_CLASS (sb_step_row_parent_class)->dispose (object);
}

static void
sb_step_row_class_init (SbStepRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sb_step_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SbStepRow, icon);
  gtk_widget_class_bind_template_child (widget_class, SbStepRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbStepRow, state_label);
}

static void
sb_step_row_init (SbStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sb_step_row_new (const char *title,
                 GtkWidget  *page)
{
  SbStepRow *self = g_object_new (SB_TYPE_STEP_ROW, NULL);

  gtk_label_set_label (self->title_label, title);
  self->page = g_object_ref (page);
  sb_step_row_set_state (self, SB_STEP_NOT_STARTED);
  return GTK_WIDGET (self);
}
