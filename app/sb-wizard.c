/* sb-wizard.c — STUB of the wizard, until the wizard's own code is merged
 *
 * It implements exactly the contract of sb-wizard.h (WIZARD-INTERFACE.md)
 * so the shell builds and runs: it shows the call's title and the titles of
 * its steps, has the widget actions and signals, and changes nothing. The
 * wizard engineer's sb-wizard.c replaces this file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-problem.h"
#include "sb-wizard.h"

struct _SbWizard
{
  AdwBin    parent_instance;

  SbDraft  *draft;
  GtkStack *steps;
};

G_DEFINE_FINAL_TYPE (SbWizard, sb_wizard, ADW_TYPE_BIN)

enum {
  CHANGED,
  STEP_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sb_wizard_dispose (GObject *object)
{
  SbWizard *self = SB_WIZARD (object);

  g_clear_object (&self->draft);

  G_OBJECT_CLASS (sb_wizard_parent_class)->dispose (object);
}

static void
move (SbWizard *self,
      int       delta)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->steps);
  GtkWidget *target = delta > 0 ? gtk_widget_get_next_sibling (visible)
                                : gtk_widget_get_prev_sibling (visible);

  if (target == NULL)
    return;
  gtk_stack_set_visible_child (self->steps, target);
  g_signal_emit (self, signals[STEP_CHANGED], 0);
}

static void
next_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  move (SB_WIZARD (widget), 1);
}

static void
previous_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  move (SB_WIZARD (widget), -1);
}

static void
noop_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
}

static void
sb_wizard_class_init (SbWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_wizard_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[STEP_CHANGED] = g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_cb);
  gtk_widget_class_install_action (widget_class, "wizard.previous", NULL, previous_cb);
  gtk_widget_class_install_action (widget_class, "wizard.review", NULL, noop_cb);
  gtk_widget_class_install_action (widget_class, "wizard.search", NULL, noop_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.previous", NULL);
}

static void
sb_wizard_init (SbWizard *self)
{
}

GtkWidget *
sb_wizard_new (SbDraft *draft)
{
  SbWizard *self;
  SbCall *call;
  GArray *steps;
  gboolean chinese = sb_prefer_chinese ();
  GtkWidget *box;
  GtkWidget *title;

  g_return_val_if_fail (SB_IS_DRAFT (draft), NULL);
  g_return_val_if_fail (sb_draft_get_file (draft) != NULL, NULL);

  self = g_object_new (SB_TYPE_WIZARD, NULL);
  self->draft = g_object_ref (draft);
  call = sb_draft_get_call (draft);
  steps = sb_call_get_steps (call);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  title = gtk_label_new (sb_text_get (sb_call_get_title (call), chinese));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (GTK_BOX (box), title);

  self->steps = GTK_STACK (gtk_stack_new ());
  for (guint i = 0; i < steps->len; i++)
    {
      const SbStep *step = &g_array_index (steps, SbStep, i);
      GtkWidget *label = gtk_label_new (sb_text_get (&step->title, chinese));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "title-4");
      gtk_stack_add_named (self->steps, label, step->id);
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->steps));
  adw_bin_set_child (ADW_BIN (self), box);
  return GTK_WIDGET (self);
}

SbDraft *
sb_wizard_get_draft (SbWizard *self)
{
  g_return_val_if_fail (SB_IS_WIZARD (self), NULL);
  return self->draft;
}

gboolean
sb_wizard_focus_path (SbWizard   *self,
                      const char *json_path)
{
  g_return_val_if_fail (SB_IS_WIZARD (self), FALSE);
  return FALSE;
}
