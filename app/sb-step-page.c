/* sb-step-page.c — one step of the call: its fields, generated from the definition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-attachment-slot.h"
#include "sb-field-row.h"
#include "sb-json.h"
#include "sb-step-page.h"
#include "sb-wizard-private.h"

struct _SbStepPage
{
  GtkBox             parent_instance;

  GtkScrolledWindow *scrolled;
  GtkLabel          *title_label;
  GtkLabel          *description_label;
  GtkBox            *parts_box;

  int                index;
  GPtrArray         *parts;
  guint              scroll_tries;
  guint              scroll_tick;
};

G_DEFINE_FINAL_TYPE (SbStepPage, sb_step_page, GTK_TYPE_BOX)

static void
add_part (SbStepPage *self,
          GtkWidget  *part)
{
  gtk_box_append (self->parts_box, part);
  g_ptr_array_add (self->parts, part);
}

static void
build_step (SbStepPage *self,
            SbWizard   *wizard,
            SbStep     *step)
{
  const char *description = _sb_text (&step->description);

  gtk_label_set_label (self->title_label, _sb_text (&step->title));
  if (description != NULL && *description != '\0')
    {
      gtk_label_set_label (self->description_label, description);
      gtk_widget_set_visible (GTK_WIDGET (self->description_label), TRUE);
    }
  for (guint i = 0; i < step->fields->len; i++)
    {
      SbField *field = g_ptr_array_index (step->fields, i);
      g_autofree char *path = sb_json_path_member ("$.values", sb_field_get_id (field));

      add_part (self, sb_field_row_new (wizard, field, NULL, NULL, path));
    }
}

static void
build_attachments (SbStepPage *self,
                   SbWizard   *wizard)
{
  GArray *specs = sb_call_get_attachments (sb_draft_get_call (sb_wizard_get_draft (wizard)));

  gtk_label_set_label (self->title_label, _("Attachments"));
  gtk_label_set_label (self->description_label,
                       _("The documents the call asks for. Files are copied into the draft’s folder; "
                         "their size and SHA-256 are recorded so that a later change is noticed."));
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), TRUE);
  for (guint i = 0; i < specs->len; i++)
    add_part (self, sb_attachment_slot_new (wizard, &g_array_index (specs, SbAttachmentSpec, i)));
}

void
sb_step_page_update (SbStepPage *self)
{
  for (guint i = 0; i < self->parts->len; i++)
    {
      GtkWidget *part = g_ptr_array_index (self->parts, i);

      if (SB_IS_FIELD_ROW (part))
        sb_field_row_update (SB_FIELD_ROW (part));
      else
        sb_attachment_slot_update (SB_ATTACHMENT_SLOT (part));
    }
}

int
sb_step_page_get_index (SbStepPage *self)
{
  return self->index;
}

const char *
sb_step_page_get_title (SbStepPage *self)
{
  return gtk_label_get_label (self->title_label);
}

GPtrArray *
sb_step_page_get_parts (SbStepPage *self)
{
  return self->parts;
}

void
sb_step_page_scroll_to_top (SbStepPage *self)
{
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
}

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  SbStepPage *self = SB_STEP_PAGE (widget);
  GtkWidget *target = data;
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->scrolled);
  GtkWidget *content = viewport ? gtk_widget_get_first_child (viewport) : NULL;
  graphene_point_t point;

  if (content == NULL || gtk_widget_get_root (target) == NULL)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  /* not laid out yet: the next frame */
  if (gtk_widget_get_width (target) == 0 && ++self->scroll_tries < 10)
    return G_SOURCE_CONTINUE;
  if (gtk_widget_compute_point (target, content, &GRAPHENE_POINT_INIT (0, 0), &point))
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);

      /* the adjustment follows the layout a frame later */
      if (gtk_adjustment_get_upper (adjustment) < gtk_widget_get_height (content) && ++self->scroll_tries < 10)
        return G_SOURCE_CONTINUE;
      gtk_adjustment_set_value (adjustment, MAX (0, point.y - 12));
    }
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

void
sb_step_page_scroll_to (SbStepPage *self,
                        GtkWidget  *widget)
{
  /* once the page is laid out: it may have been shown just now */
  self->scroll_tries = 0;
  /* only the last jump counts */
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick, g_object_ref (widget), g_object_unref);
}

static void
sb_step_page_finalize (GObject *object)
{
  SbStepPage *self = SB_STEP_PAGE (object);

  g_ptr_array_unref (self->parts);
  G_OBJECT_CLASS (sb_step_page_parent_class)->finalize (object);
}

static void
sb_step_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_STEP_PAGE);
  G_OBJECT_CLASS (sb_step_page_parent_class)->dispose (object);
}

static void
sb_step_page_class_init (SbStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_step_page_dispose;
  object_class->finalize = sb_step_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-step-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbStepPage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, SbStepPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbStepPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, SbStepPage, parts_box);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sb_step_page_init (SbStepPage *self)
{
  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->parts = g_ptr_array_new ();
}

GtkWidget *
sb_step_page_new (SbWizard *wizard,
                  int       step_index)
{
  SbStepPage *self = g_object_new (SB_TYPE_STEP_PAGE, NULL);
  SbCall *call = sb_draft_get_call (sb_wizard_get_draft (wizard));

  self->index = step_index;
  if (step_index >= 0)
    build_step (self, wizard, &g_array_index (sb_call_get_steps (call), SbStep, step_index));
  else
    build_attachments (self, wizard);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);
  return GTK_WIDGET (self);
}
