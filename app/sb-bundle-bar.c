/* sb-bundle-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-bundle-bar.h"

struct _SbBundleBar
{
  GtkBox     parent_instance;

  GtkLabel  *file_label;
  GtkLabel  *fingerprint_label;
  GtkLabel  *digest_label;
  GtkLabel  *definition_label;
  GtkLabel  *verdict_label;
  GtkWidget *copy_button;
};

G_DEFINE_FINAL_TYPE (SbBundleBar, sb_bundle_bar, GTK_TYPE_BOX)

static void
sb_bundle_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_BUNDLE_BAR);
  G_OBJECT_CLASS (sb_bundle_bar_parent_class)->dispose (object);
}

static void
sb_bundle_bar_class_init (SbBundleBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_bundle_bar_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sb-bundle-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SbBundleBar, file_label);
  gtk_widget_class_bind_template_child (widget_class, SbBundleBar, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, SbBundleBar, digest_label);
  gtk_widget_class_bind_template_child (widget_class, SbBundleBar, definition_label);
  gtk_widget_class_bind_template_child (widget_class, SbBundleBar, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, SbBundleBar, copy_button);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sb_bundle_bar_init (SbBundleBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static char *
verdict_text (const SbBundleReport *report)
{
  if (!report->revalidated)
    /* TRANSLATORS: %s: why the bundle's values cannot be checked now */
    return g_strdup_printf (_("not checked: %s"), report->revalidation_failure ? report->revalidation_failure : "");
  if (report->errors == 0 && report->warnings == 0)
    return g_strdup (_("no errors, no warnings (the review step lists everything)"));
  if (report->errors == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "no errors, %u warning (the review step lists it)",
                                         "no errors, %u warnings (the review step lists them)",
                                         report->warnings),
                            report->warnings);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u error now, though it had none when signed: a newer Shenbao may judge "
                                       "differently (the review step lists it)",
                                       "%u errors now, though it had none when signed: a newer Shenbao may judge "
                                       "differently (the review step lists them)",
                                       report->errors),
                          report->errors);
}

GtkWidget *
sb_bundle_bar_new (GFile                *bundle,
                   const SbBundleReport *report)
{
  SbBundleBar *self = g_object_new (SB_TYPE_BUNDLE_BAR, NULL);
  g_autofree char *name = g_file_get_parse_name (bundle);
  g_autofree char *verdict = verdict_text (report);

  gtk_label_set_label (self->file_label, name);
  gtk_label_set_label (self->fingerprint_label, report->fingerprint);
  gtk_label_set_label (self->digest_label, report->application_digest);
  gtk_label_set_label (self->definition_label,
                       report->definition_built_in
                       ? _("built into this Shenbao")
                       : _("not built in: the bundle’s own definition, used as it is"));
  if (!report->definition_built_in)
    gtk_widget_add_css_class (GTK_WIDGET (self->definition_label), "warning");
  gtk_label_set_label (self->verdict_label, verdict);
  if (report->errors > 0 || !report->revalidated)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), "error");
  return GTK_WIDGET (self);
}

const char *
sb_bundle_bar_get_fingerprint (SbBundleBar *self)
{
  return gtk_label_get_label (self->fingerprint_label);
}

const char *
sb_bundle_bar_get_digest (SbBundleBar *self)
{
  return gtk_label_get_label (self->digest_label);
}

const char *
sb_bundle_bar_get_definition (SbBundleBar *self)
{
  return gtk_label_get_label (self->definition_label);
}

GtkWidget *
sb_bundle_bar_get_copy_button (SbBundleBar *self)
{
  return self->copy_button;
}
