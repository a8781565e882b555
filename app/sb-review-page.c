/* sb-review-page.c — every problem of the draft in one list, grouped by step
 *
 * The list is exactly the validator's full check (files included), the one
 * `shenbao validate` runs: nothing added, nothing left out. Activating a
 * problem takes the applicant to its field, the way libadwaita's
 * preferences search does; a warning can be acknowledged where it is listed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-export-box.h"
#include "sb-review-page.h"
#include "sb-wizard-private.h"

struct _SbReviewPage
{
  GtkBox      parent_instance;

  GtkLabel   *title_label;
  GtkImage   *verdict_icon;
  GtkLabel   *verdict_label;
  GtkLabel   *counts_label;
  GtkLabel   *caption_label;
  GtkBox     *export_box;
  GtkWidget  *exporter;
  GtkBox     *groups_box;

  SbWizard   *wizard;
  GPtrArray  *rows;
};

G_DEFINE_FINAL_TYPE (SbReviewPage, sb_review_page, GTK_TYPE_BOX)

typedef struct {
  int        order;    /* step index; -2 the whole draft, G_MAXINT attachments */
  char      *title;
  GPtrArray *problems; /* borrowed SbProblem */
} Group;

static void
group_free (Group *group)
{
  g_free (group->title);
  g_ptr_array_unref (group->problems);
  g_free (group);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const Group *ga = *(const Group **) a, *gb = *(const Group **) b;

  return ga->order < gb->order ? -1 : ga->order > gb->order;
}

static void
place_problem (SbReviewPage *self,
               GHashTable   *by_order,
               GPtrArray    *groups,
               SbProblem    *problem)
{
  SbCall *call = sb_draft_get_call (sb_wizard_get_draft (self->wizard));
  SbField *field = problem->field_id ? sb_call_find_field (call, problem->field_id) : NULL;
  int order;
  Group *group;

  if (field != NULL && sb_field_get_step (field) >= 0)
    order = sb_field_get_step (field);
  else if (g_str_has_prefix (problem->path, "$.attachments"))
    order = G_MAXINT;
  else
    order = -2;

  group = g_hash_table_lookup (by_order, GINT_TO_POINTER (order));
  if (group == NULL)
    {
      group = g_new0 (Group, 1);
      group->order = order;
      group->problems = g_ptr_array_new ();
      if (order >= 0 && order != G_MAXINT)
        group->title = g_strdup (_sb_text (&g_array_index (sb_call_get_steps (call), SbStep, order).title));
      else if (order == G_MAXINT)
        group->title = g_strdup (_("Attachments"));
      else
        group->title = g_strdup (_("The whole application"));
      g_hash_table_insert (by_order, GINT_TO_POINTER (order), group);
      g_ptr_array_add (groups, group);
    }
  g_ptr_array_add (group->problems, problem);
}

static void
row_activated (AdwActionRow *row,
               SbReviewPage *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "sb-path");

  sb_wizard_focus_path (self->wizard, path);
}

static void
acknowledge_toggled (GtkCheckButton *check,
                     SbReviewPage   *self)
{
  const char *rule = g_object_get_data (G_OBJECT (check), "sb-rule");

  _sb_wizard_set_acknowledged (self->wizard, rule, gtk_check_button_get_active (check));
}

static const char *
severity_icon (SbSeverity severity)
{
  switch (severity)
    {
    case SB_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case SB_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_name (SbSeverity severity)
{
  switch (severity)
    {
    case SB_SEVERITY_ERROR:
      return _("Error");
    case SB_SEVERITY_WARNING:
      return _("Warning");
    default:
      return _("Note");
    }
}

static GtkWidget *
problem_row (SbReviewPage *self,
             SbProblem    *problem)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (problem->severity));
  const char *message = sb_problem_get_message (problem, _sb_chinese ());
  g_autofree char *title = g_markup_escape_text (message, -1);
  g_autofree char *subtitle = NULL;
  g_autofree char *where = NULL;
  gboolean acknowledgeable;

  if (problem->clause != NULL)
    where = g_strdup_printf ("%s · %s · %s", severity_name (problem->severity), problem->clause, problem->path);
  else
    where = g_strdup_printf ("%s · %s", severity_name (problem->severity), problem->path);
  subtitle = g_markup_escape_text (where, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (problem->severity == SB_SEVERITY_ERROR)
    gtk_widget_add_css_class (icon, "error");
  else if (problem->severity == SB_SEVERITY_WARNING)
    gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  severity_name (problem->severity), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  /* a warning of a rule the call states; our own checks' warnings cannot be acknowledged */
  acknowledgeable = problem->severity == SB_SEVERITY_WARNING &&
                    sb_call_find_rule (sb_draft_get_call (sb_wizard_get_draft (self->wizard)), problem->code) != NULL;

  if (acknowledgeable && _sb_wizard_read_only (self->wizard))
    {
      /* a signed application's acknowledgements are read, not changed: as
       * text in the row, which Tab reaches, not as a greyed-out tick */
      GtkWidget *state = gtk_label_new (problem->acknowledged ? _("Acknowledged") : _("Not acknowledged"));

      gtk_widget_add_css_class (state, problem->acknowledged ? "dim-label" : "warning");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
  else if (acknowledgeable)
    {
      GtkWidget *check = gtk_check_button_new_with_label (_("Acknowledged"));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), problem->acknowledged);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (check), "sb-rule", g_strdup (problem->code), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (acknowledge_toggled), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
    }
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data_full (G_OBJECT (row), "sb-path", g_strdup (problem->path), g_free);
  g_object_set_data_full (G_OBJECT (row), "sb-key", g_strdup_printf ("%s@%s", problem->code, problem->path), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (row_activated), self);
  return row;
}

void
sb_review_page_set_problems (SbReviewPage *self,
                             GPtrArray    *problems)
{
  g_autoptr(GHashTable) by_order = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_autofree char *counts = NULL;
  guint errors, warnings, infos, acknowledged = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);
  g_ptr_array_set_size (self->rows, 0);

  sb_problems_count (problems, &errors, &warnings, &infos);
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "success");
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_WARNING && problem->acknowledged)
        acknowledged++;
      place_problem (self, by_order, groups, problem);
    }
  g_ptr_array_sort (groups, compare_groups);

  if (errors > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Export is blocked by %u error.",
                                                            "Export is blocked by %u errors.", errors), errors);
      gtk_label_set_label (self->verdict_label, text);
      gtk_image_set_from_icon_name (self->verdict_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), "error");
    }
  else if (warnings > acknowledged)
    {
      if (_sb_wizard_read_only (self->wizard))
        gtk_label_set_label (self->verdict_label, _("No errors: a PDF can be made of this application. "
                                                    "Some warnings were not acknowledged when it was signed."));
      else
        gtk_label_set_label (self->verdict_label, _("No errors: this application can be exported. "
                                                    "Some warnings are not yet acknowledged."));
      gtk_image_set_from_icon_name (self->verdict_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), "warning");
    }
  else
    {
      gtk_label_set_label (self->verdict_label, _("No errors: this application can be exported."));
      gtk_image_set_from_icon_name (self->verdict_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), "success");
    }
  counts = g_strdup_printf (_("Errors: %u · Warnings: %u (acknowledged: %u) · Notes: %u"),
                            errors, warnings, acknowledged, infos);
  gtk_label_set_label (self->counts_label, counts);
  sb_export_box_set_problems (SB_EXPORT_BOX (self->exporter), problems);

  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      GtkWidget *heading = gtk_label_new (group->title);
      GtkWidget *list = gtk_list_box_new ();

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_widget_add_css_class (heading, "heading");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
      for (guint j = 0; j < group->problems->len; j++)
        {
          GtkWidget *row = problem_row (self, g_ptr_array_index (group->problems, j));

          gtk_list_box_append (GTK_LIST_BOX (list), row);
          g_ptr_array_add (self->rows, row);
        }
      gtk_box_append (self->groups_box, heading);
      gtk_box_append (self->groups_box, list);
      gtk_widget_set_margin_bottom (list, 6);
    }
}

static GtkWidget *
notice_row (const SbNotice *notice)
{
  gboolean chinese = _sb_chinese ();
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_markup_escape_text (sb_text_get (&notice->title, chinese), -1);
  g_autofree char *text = g_markup_escape_text (sb_text_get (&notice->text, chinese), -1);
  g_autofree char *clause = g_markup_escape_text (notice->citation.clause != NULL ? notice->citation.clause : "", -1);
  g_autofree char *subtitle = *clause != '\0' ? g_strdup_printf ("%s\n%s", text, clause) : g_strdup (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-information-symbolic"));
  return row;
}

void
sb_review_page_set_notices (SbReviewPage *self,
                            GPtrArray    *notices)
{
  GtkWidget *heading, *list;

  g_return_if_fail (SB_IS_REVIEW_PAGE (self));

  if (notices == NULL || notices->len == 0)
    return;
  heading = gtk_label_new (_("Also required by the call (Shenbao cannot check these)"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  for (guint i = 0; i < notices->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), notice_row (g_ptr_array_index (notices, i)));
  gtk_box_append (self->groups_box, heading);
  gtk_box_append (self->groups_box, list);
}

GPtrArray *
sb_review_page_get_rows (SbReviewPage *self)
{
  return self->rows;
}

const char *
sb_review_row_get_key (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "sb-key");
}

GtkBox *
sb_review_page_get_export_box (SbReviewPage *self)
{
  return self->export_box;
}

SbExportBox *
sb_review_page_get_exporter (SbReviewPage *self)
{
  return SB_EXPORT_BOX (self->exporter);
}

static void
sb_review_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_REVIEW_PAGE);
  G_OBJECT_CLASS (sb_review_page_parent_class)->dispose (object);
}

static void
sb_review_page_finalize (GObject *object)
{
  g_ptr_array_unref (SB_REVIEW_PAGE (object)->rows);
  G_OBJECT_CLASS (sb_review_page_parent_class)->finalize (object);
}

static void
sb_review_page_class_init (SbReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_review_page_dispose;
  object_class->finalize = sb_review_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, caption_label);
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, export_box);
  gtk_widget_class_bind_template_child (widget_class, SbReviewPage, groups_box);
}

static void
sb_review_page_init (SbReviewPage *self)
{
  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

GtkWidget *
sb_review_page_new (SbWizard *wizard)
{
  SbReviewPage *self = g_object_new (SB_TYPE_REVIEW_PAGE, NULL);

  self->wizard = wizard;
  self->exporter = sb_export_box_new (sb_wizard_get_draft (wizard));
  if (_sb_wizard_read_only (wizard))
    gtk_label_set_label (self->caption_label,
                         _("The checks of the signed application, run again now with the call definition the "
                           "bundle carries, attached files included. The acknowledgements are shown as they "
                           "were signed and cannot be changed. Activate a problem to go to its field."));
  if (_sb_wizard_read_only (wizard))
    sb_export_box_set_read_only (SB_EXPORT_BOX (self->exporter), _sb_wizard_get_signer (wizard));
  gtk_box_append (self->export_box, self->exporter);
  return GTK_WIDGET (self);
}
