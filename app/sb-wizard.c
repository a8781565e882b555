/* sb-wizard.c — walks an applicant through one call, generated from its definition
 *
 * The wizard holds no form state of its own: the draft (SbDraft) is the
 * model, the core's validator (SbValidator) decides every problem, and the
 * parts — one step page per step of the call, an attachments page, the
 * review page — only show them. Live checks run the validator without
 * opening files, debounced while typing and at once when a field is left;
 * the review step runs the full check, files included, so that it never
 * shows a verdict `shenbao validate` would not give.
 *
 * The wizard never saves: it emits "changed" after every change and
 * "step-changed" when the visible step changes, and the window saves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-attachment-slot.h"
#include "sb-json.h"
#include "sb-field-row.h"
#include "sb-review-page.h"
#include "sb-step-page.h"
#include "sb-step-row.h"
#include "sb-wizard-private.h"

/* from the generated resource file */
void sb_wizard_register_resource (void);

struct _SbWizard
{
  AdwBin           parent_instance;

  GtkListBox      *steps_list;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkLabel        *search_result;
  GtkStack        *stack;
  GtkButton       *back_button;
  GtkButton       *next_button;
  GtkLabel        *position_label;

  SbDraft         *draft;
  SbValidator     *validator;
  GPtrArray       *problems;            /* of the last check */
  GHashTable      *paths;               /* JSON path → widget */
  GHashTable      *problems_by_widget;  /* widget → GPtrArray of borrowed SbProblem */
  GPtrArray       *pages;               /* step pages, attachments, review */
  GPtrArray       *rows;                /* SbStepRow, one per page */
  GtkWidget       *review;
  guint            current;
  guint            check_source;
  gboolean         shows_empty;
  gboolean         with_files;
  gboolean         read_only;
  char            *signer;     /* read-only: the bundle's key fingerprint */
  GtkWidget       *search_target;
};

G_DEFINE_FINAL_TYPE (SbWizard, sb_wizard, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  SIGNAL_STEP_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_READ_ONLY,
  PROP_SIGNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers shared with the parts */

gboolean
_sb_chinese (void)
{
  return sb_prefer_chinese ();
}

const char *
_sb_text (const SbText *text)
{
  return sb_text_get (text, _sb_chinese ());
}

/* Empty fields are flagged only from the review step on. A table or a
 * multiple choice is empty with no row or choice at all; one with too few
 * is flagged at once, like any other problem. */
gboolean
_sb_problem_is_of_empty (SbWizard        *wizard,
                         const SbProblem *problem)
{
  static const char *const codes[] = {
    "required", "declaration", "attachment_required", NULL
  };
  g_autofree char *top_path = NULL;

  if (g_strv_contains (codes, problem->code))
    return TRUE;
  if (g_strcmp0 (problem->code, "min_rows") != 0 && g_strcmp0 (problem->code, "min_choices") != 0)
    return FALSE;
  /* the validator checks an empty list only for a top-level field */
  if (problem->field_id == NULL)
    return FALSE;
  top_path = sb_json_path_member ("$.values", problem->field_id);
  return g_strcmp0 (problem->path, top_path) == 0 &&
         sb_value_is_empty (sb_draft_get_value (wizard->draft, problem->field_id));
}

const char *
_sb_show_problems (GtkBox      *box,
                   GPtrArray   *problems,
                   SbWizard    *wizard,
                   SbSeverity  *worst)
{
  const char *first = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  *worst = SB_SEVERITY_INFO;

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);
      const char *message = sb_problem_get_message (problem, _sb_chinese ());
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (!wizard->shows_empty && _sb_problem_is_of_empty (wizard, problem))
        continue;
      if (problem->clause != NULL)
        text = g_strdup_printf (_("%s (%s)"), message, problem->clause);
      else
        text = g_strdup (message);
      if (problem->severity == SB_SEVERITY_WARNING && problem->acknowledged)
        {
          g_autofree char *plain = g_steal_pointer (&text);

          text = g_strdup_printf (_("%s — acknowledged"), plain);
        }
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_focusable (label, FALSE);
      gtk_widget_add_css_class (label, "caption");
      if (problem->severity == SB_SEVERITY_ERROR)
        gtk_widget_add_css_class (label, "error");
      else if (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged)
        gtk_widget_add_css_class (label, "warning");
      else
        gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (box, label);

      if (problem->severity == SB_SEVERITY_WARNING && problem->acknowledged)
        continue;
      if (first == NULL || problem->severity < *worst)
        *worst = problem->severity;
      if (first == NULL)
        first = message;
    }
  return first;
}

void
_sb_mark_invalid (GtkWidget   *widget,
                  const char  *message,
                  SbSeverity   severity)
{
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "warning");
  if (message != NULL && severity == SB_SEVERITY_ERROR)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      if (message != NULL && severity == SB_SEVERITY_WARNING)
        gtk_widget_add_css_class (widget, "warning");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_FALSE, -1);
    }
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static char *
format_money (SbField *field,
              gint64   yuan,
              gboolean with_unit)
{
  SbNumber wan;

  if (with_unit)
    return sb_field_get_unit (field) == SB_MONEY_UNIT_YUAN ? sb_money_format_yuan (yuan) : sb_money_format_wan (yuan);
  if (sb_field_get_unit (field) == SB_MONEY_UNIT_YUAN)
    return g_strdup_printf ("%" G_GINT64_FORMAT, yuan);
  sb_number_make (yuan, 10000, &wan, NULL);
  return sb_number_format (wan, 4);
}

char *
_sb_format_value (SbField       *field,
                  const SbValue *value,
                  gboolean       with_unit)
{
  gint64 integer;

  if (value == NULL)
    return NULL;
  switch (sb_value_get_kind (value))
    {
    case SB_VALUE_STRING:
      if (with_unit && sb_field_get_field_type (field) == SB_FIELD_CHOICE)
        {
          const SbOption *option = sb_field_find_option (field, sb_value_get_string (value));

          if (option != NULL)
            return g_strdup (_sb_text (&option->label));
        }
      return g_strdup (sb_value_get_string (value));
    case SB_VALUE_NUMBER:
      if (sb_field_get_field_type (field) == SB_FIELD_MONEY && sb_number_to_int (sb_value_get_number (value), &integer))
        return format_money (field, integer, with_unit);
      return sb_number_format (sb_value_get_number (value),
                               sb_field_get_field_type (field) == SB_FIELD_DECIMAL ? sb_field_get_decimals (field) : 4);
    case SB_VALUE_DATE:
      return sb_date_format (sb_value_get_date (value));
    case SB_VALUE_BOOL:
      return g_strdup (sb_value_get_bool (value) ? _("Yes") : _("No"));
    default:
      return NULL;
    }
}

/* The parts' registry of paths */

void
_sb_wizard_register_path (SbWizard   *self,
                          const char *path,
                          GtkWidget  *widget)
{
  g_hash_table_replace (self->paths, g_strdup (path), widget);
}

void
_sb_wizard_unregister_path (SbWizard   *self,
                            const char *path,
                            GtkWidget  *widget)
{
  if (self->paths != NULL && g_hash_table_lookup (self->paths, path) == widget)
    g_hash_table_remove (self->paths, path);
  if (self->problems_by_widget != NULL)
    g_hash_table_remove (self->problems_by_widget, widget);
}

/* The registered widget of a path or of its nearest ancestor:
 * $.values.budget[2].amount, then $.values.budget[2], then $.values.budget. */
static GtkWidget *
widget_for_path (SbWizard   *self,
                 const char *path)
{
  g_autofree char *prefix = g_strdup (path);

  while (prefix[0] != '\0')
    {
      GtkWidget *widget = g_hash_table_lookup (self->paths, prefix);
      char *cut;

      if (widget != NULL)
        return widget;
      cut = MAX (strrchr (prefix, '.'), strrchr (prefix, '['));
      if (cut == NULL || cut == prefix)
        break;
      *cut = '\0';
    }
  return NULL;
}

GtkWidget *
_sb_wizard_lookup_path (SbWizard   *self,
                        const char *path)
{
  return g_hash_table_lookup (self->paths, path);
}

GPtrArray *
_sb_wizard_problems_for (SbWizard  *self,
                         GtkWidget *widget)
{
  return g_hash_table_lookup (self->problems_by_widget, widget);
}

SbValidator *
_sb_wizard_get_validator (SbWizard *self)
{
  return self->validator;
}

GPtrArray *
_sb_wizard_get_problems (SbWizard *self)
{
  return self->problems;
}

gboolean
_sb_wizard_shows_empty (SbWizard *self)
{
  return self->shows_empty;
}

gboolean
_sb_wizard_read_only (SbWizard *self)
{
  return self->read_only;
}

const char *
_sb_wizard_get_signer (SbWizard *self)
{
  return self->signer;
}

/* Checking */

static gboolean
field_answered (SbDraft *draft,
                SbField *field)
{
  SbValue *value = sb_draft_get_value (draft, sb_field_get_id (field));

  return value != NULL && !sb_value_is_empty (value);
}

static int
step_of_problem (SbWizard  *self,
                 SbProblem *problem)
{
  SbField *field = problem->field_id ? sb_call_find_field (sb_draft_get_call (self->draft), problem->field_id) : NULL;

  if (field != NULL)
    return sb_field_get_step (field);
  if (g_str_has_prefix (problem->path, "$.attachments"))
    return -1;
  return -2;
}

static SbStepState
page_state (SbWizard  *self,
            GtkWidget *page)
{
  int index = SB_IS_STEP_PAGE (page) ? sb_step_page_get_index (SB_STEP_PAGE (page)) : -3;
  gboolean errors = FALSE, warnings = FALSE, unfinished = FALSE, answered = FALSE;

  for (guint i = 0; i < self->problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (self->problems, i);

      if (index != -3 && step_of_problem (self, problem) != index)
        continue;
      if (problem->severity == SB_SEVERITY_ERROR)
        {
          if (self->shows_empty || !_sb_problem_is_of_empty (self, problem))
            errors = TRUE;
          unfinished = TRUE;
        }
      else if (problem->severity == SB_SEVERITY_WARNING && !problem->acknowledged)
        warnings = TRUE;
    }

  if (index >= 0)
    {
      SbStep *step = &g_array_index (sb_call_get_steps (sb_draft_get_call (self->draft)), SbStep, index);

      for (guint i = 0; i < step->fields->len && !answered; i++)
        answered = field_answered (self->draft, g_ptr_array_index (step->fields, i));
    }
  else if (index == -1)
    {
      g_autoptr(GList) ids = sb_draft_list_attachment_ids (self->draft);

      for (GList *l = ids; l != NULL && !answered; l = l->next)
        answered = sb_draft_get_attachments (self->draft, l->data)->len > 0;
    }
  else
    answered = self->shows_empty;

  if (errors)
    return SB_STEP_HAS_ERRORS;
  if (warnings)
    return SB_STEP_HAS_WARNINGS;
  if (!answered)
    return SB_STEP_NOT_STARTED;
  return unfinished ? SB_STEP_IN_PROGRESS : SB_STEP_COMPLETE;
}

static void
distribute_problems (SbWizard *self)
{
  g_hash_table_remove_all (self->problems_by_widget);
  for (guint i = 0; i < self->problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (self->problems, i);
      GtkWidget *widget = widget_for_path (self, problem->path);
      GPtrArray *list;

      if (widget == NULL)
        continue;
      list = g_hash_table_lookup (self->problems_by_widget, widget);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->problems_by_widget, widget, list);
        }
      g_ptr_array_add (list, problem);
    }
}

static gboolean
page_is_shown (SbWizard *self,
               guint     index)
{
  return gtk_widget_get_visible (g_ptr_array_index (self->rows, index));
}

static void
update_navigation (SbWizard *self)
{
  gboolean has_previous = FALSE, has_next = FALSE;
  guint position = 0, shown = 0;

  for (guint i = 0; i < self->pages->len; i++)
    {
      if (!page_is_shown (self, i))
        continue;
      shown++;
      if (i < self->current)
        has_previous = TRUE;
      else if (i > self->current)
        has_next = TRUE;
      if (i == self->current)
        position = shown;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.previous", has_previous);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", has_next);
  {
    g_autofree char *text = g_strdup_printf (_("Step %u of %u"), position, shown);

    gtk_label_set_label (self->position_label, text);
  }
}

static void
refresh (SbWizard *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = sb_validator_validate (self->validator, self->draft,
                                          self->with_files ? SB_VALIDATE_FILES : SB_VALIDATE_DEFAULT);
  distribute_problems (self);

  for (guint i = 0; i < self->pages->len; i++)
    {
      GtkWidget *page = g_ptr_array_index (self->pages, i);
      SbStepRow *row = g_ptr_array_index (self->rows, i);

      if (SB_IS_STEP_PAGE (page))
        {
          int index = sb_step_page_get_index (SB_STEP_PAGE (page));

          if (index >= 0)
            gtk_widget_set_visible (GTK_WIDGET (row), sb_validator_is_step_shown (self->validator, index));
          /* the other pages are brought up to date when they are shown */
          if (i == self->current)
            sb_step_page_update (SB_STEP_PAGE (page));
        }
      sb_step_row_set_state (row, page_state (self, page));
    }
  if (self->with_files)
    {
      g_autoptr(GPtrArray) notices = sb_validator_get_notices (self->validator, SB_AUDIENCE_APPLICANT);

      sb_review_page_set_problems (SB_REVIEW_PAGE (self->review), self->problems);
      sb_review_page_set_notices (SB_REVIEW_PAGE (self->review), notices);
    }
  update_navigation (self);
}

static gboolean
check_timeout (gpointer data)
{
  SbWizard *self = data;

  self->check_source = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

void
_sb_wizard_check_now (SbWizard *self)
{
  if (self->check_source != 0)
    refresh (self);
}

void
_sb_wizard_value_changed (SbWizard *self,
                          gboolean  at_once)
{
  /* the parts take no change when read-only: nothing to save */
  if (!self->read_only)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (at_once)
    refresh (self);
  else
    {
      g_clear_handle_id (&self->check_source, g_source_remove);
      self->check_source = g_timeout_add (SB_WIZARD_CHECK_DELAY_MS, check_timeout, self);
    }
}

void
_sb_wizard_set_acknowledged (SbWizard   *self,
                             const char *rule_id,
                             gboolean    acknowledged)
{
  if (self->read_only)
    {
      /* the list shows the draft's acknowledgements again */
      g_clear_handle_id (&self->check_source, g_source_remove);
      self->check_source = g_idle_add (check_timeout, self);
      return;
    }
  sb_draft_set_acknowledged (self->draft, rule_id, acknowledged);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  /* the review list is being used: update it after this toggle returns */
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_idle_add (check_timeout, self);
}

/* Navigation */

static void
show_page (SbWizard *self,
           guint     index)
{
  GtkWidget *page = g_ptr_array_index (self->pages, index);
  gboolean changed = index != self->current;

  self->current = index;
  /* read-only: the signed application's full check, its verdict on every
   * step (the review's too) from the start */
  self->with_files = self->read_only || page == self->review;
  if (page == self->review)
    self->shows_empty = TRUE;
  gtk_stack_set_visible_child (self->stack, page);
  gtk_list_box_select_row (self->steps_list, g_ptr_array_index (self->rows, index));
  if (SB_IS_STEP_PAGE (page))
    sb_step_page_scroll_to_top (SB_STEP_PAGE (page));
  refresh (self);
  if (changed)
    g_signal_emit (self, signals[SIGNAL_STEP_CHANGED], 0);
}

static void
go (SbWizard *self,
    int       direction)
{
  for (int i = (int) self->current + direction; i >= 0 && i < (int) self->pages->len; i += direction)
    if (page_is_shown (self, i))
      {
        GtkWidget *page;

        _sb_wizard_check_now (self);
        show_page (self, i);
        page = g_ptr_array_index (self->pages, i);
        gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
        return;
      }
}

static void
next_activated (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  go (SB_WIZARD (widget), 1);
}

static void
previous_activated (GtkWidget  *widget,
                    const char *action,
                    GVariant   *parameter)
{
  go (SB_WIZARD (widget), -1);
}

static void
review_activated (GtkWidget  *widget,
                  const char *action,
                  GVariant   *parameter)
{
  SbWizard *self = SB_WIZARD (widget);

  _sb_wizard_check_now (self);
  show_page (self, self->pages->len - 1);
}

static void
search_activated_action (GtkWidget  *widget,
                         const char *action,
                         GVariant   *parameter)
{
  SbWizard *self = SB_WIZARD (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
step_activated (SbWizard  *self,
                GtkListBoxRow *row)
{
  guint index;

  if (g_ptr_array_find (self->rows, row, &index) && index != self->current)
    {
      _sb_wizard_check_now (self);
      show_page (self, index);
    }
}

static guint
page_of_widget (SbWizard  *self,
                GtkWidget *widget)
{
  for (guint i = 0; i < self->pages->len; i++)
    if (gtk_widget_is_ancestor (widget, g_ptr_array_index (self->pages, i)))
      return i;
  return G_MAXUINT;
}

static gboolean
focus_widget (SbWizard  *self,
              GtkWidget *widget)
{
  guint page = page_of_widget (self, widget);
  GtkRoot *root;

  if (page == G_MAXUINT || !page_is_shown (self, page))
    return FALSE;
  if (page != self->current)
    show_page (self, page);
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
  if (SB_IS_STEP_PAGE (g_ptr_array_index (self->pages, page)))
    sb_step_page_scroll_to (g_ptr_array_index (self->pages, page), widget);
  if (SB_IS_FIELD_ROW (widget))
    return sb_field_row_focus (SB_FIELD_ROW (widget));
  return gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD);
}

gboolean
sb_wizard_focus_path (SbWizard   *self,
                      const char *json_path)
{
  GtkWidget *widget;

  g_return_val_if_fail (SB_IS_WIZARD (self), FALSE);
  g_return_val_if_fail (json_path != NULL, FALSE);

  widget = widget_for_path (self, json_path);
  return widget != NULL && focus_widget (self, widget);
}

/* Search: Ctrl+F finds a field by its label, in either language */

static gboolean
label_matches (SbField    *field,
               const char *needle)
{
  const SbText *label = sb_field_get_label (field);
  g_autofree char *zh = label->zh ? g_utf8_casefold (label->zh, -1) : NULL;
  g_autofree char *en = label->en ? g_utf8_casefold (label->en, -1) : NULL;

  return (zh != NULL && strstr (zh, needle) != NULL) || (en != NULL && strstr (en, needle) != NULL);
}

static void
search_changed (SbWizard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);

  self->search_target = NULL;
  if (*needle != '\0')
    for (guint i = 0; i < self->pages->len && self->search_target == NULL; i++)
      {
        GtkWidget *page = g_ptr_array_index (self->pages, i);
        GPtrArray *parts;

        if (!SB_IS_STEP_PAGE (page) || !page_is_shown (self, i))
          continue;
        parts = sb_step_page_get_parts (SB_STEP_PAGE (page));
        for (guint j = 0; j < parts->len; j++)
          {
            GtkWidget *part = g_ptr_array_index (parts, j);

            if (SB_IS_FIELD_ROW (part) &&
                sb_validator_is_relevant (self->validator, sb_field_row_get_field (SB_FIELD_ROW (part))) &&
                label_matches (sb_field_row_get_field (SB_FIELD_ROW (part)), needle))
              {
                self->search_target = part;
                break;
              }
          }
      }

  if (*needle == '\0')
    gtk_widget_set_visible (GTK_WIDGET (self->search_result), FALSE);
  else
    {
      g_autofree char *result = NULL;

      if (self->search_target != NULL)
        {
          GtkWidget *page = g_ptr_array_index (self->pages, page_of_widget (self, self->search_target));

          result = g_strdup_printf (_("%s — in “%s”; press Enter to go there"),
                                    _sb_text (sb_field_get_label (sb_field_row_get_field (SB_FIELD_ROW (self->search_target)))),
                                    sb_step_page_get_title (SB_STEP_PAGE (page)));
        }
      else
        result = g_strdup (_("No field matches"));
      gtk_label_set_label (self->search_result, result);
      gtk_widget_set_visible (GTK_WIDGET (self->search_result), TRUE);
    }
}

static void
search_activated (SbWizard *self)
{
  /* Enter typed within the entry's search delay: the text is searched now */
  search_changed (self);
  if (self->search_target != NULL)
    {
      GtkWidget *target = self->search_target;

      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->search_result), FALSE);
      focus_widget (self, target);
    }
}

/* Building */

static void
add_page (SbWizard   *self,
          GtkWidget  *page,
          const char *title)
{
  GtkWidget *row = sb_step_row_new (title, page);

  gtk_stack_add_child (self->stack, page);
  gtk_list_box_append (self->steps_list, row);
  g_ptr_array_add (self->pages, page);
  g_ptr_array_add (self->rows, row);
}

static void
build (SbWizard *self)
{
  SbCall *call = sb_draft_get_call (self->draft);
  GArray *steps = sb_call_get_steps (call);

  for (guint i = 0; i < steps->len; i++)
    {
      GtkWidget *page = sb_step_page_new (self, (int) i);

      add_page (self, page, sb_step_page_get_title (SB_STEP_PAGE (page)));
    }
  if (sb_call_get_attachments (call)->len > 0)
    add_page (self, sb_step_page_new (self, -1), _("Attachments"));
  self->review = sb_review_page_new (self);
  add_page (self, self->review, _("Review"));
  show_page (self, 0);
}

SbDraft *
sb_wizard_get_draft (SbWizard *self)
{
  g_return_val_if_fail (SB_IS_WIZARD (self), NULL);
  return self->draft;
}

static void
sb_wizard_dispose (GObject *object)
{
  SbWizard *self = SB_WIZARD (object);

  g_clear_handle_id (&self->check_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_WIZARD);
  g_clear_pointer (&self->paths, g_hash_table_unref);
  g_clear_pointer (&self->problems_by_widget, g_hash_table_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (sb_wizard_parent_class)->dispose (object);
}

static void
sb_wizard_finalize (GObject *object)
{
  SbWizard *self = SB_WIZARD (object);

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->validator);
  g_clear_object (&self->draft);
  g_clear_pointer (&self->signer, g_free);
  G_OBJECT_CLASS (sb_wizard_parent_class)->finalize (object);
}

/* The wizard's templates (sb-key-dialog.ui too: the app's menu opens it
 * before any wizard exists), registered once. */
void
_sb_wizard_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      sb_wizard_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static void
sb_wizard_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbWizard *self = SB_WIZARD (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_SIGNER:
      g_value_set_string (value, self->signer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_wizard_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SbWizard *self = SB_WIZARD (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      self->read_only = g_value_get_boolean (value);
      break;
    case PROP_SIGNER:
      self->signer = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_wizard_class_init (SbWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  _sb_wizard_ensure_resources ();

  object_class->dispose = sb_wizard_dispose;
  object_class->finalize = sb_wizard_finalize;
  object_class->get_property = sb_wizard_get_property;
  object_class->set_property = sb_wizard_set_property;

  /* the parts are built read-only or not: fixed when the wizard is made */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* read-only: the key fingerprint (kid) of the bundle's verified signer,
   * which the PDF's QR code carries */
  properties[PROP_SIGNER] =
    g_param_spec_string ("signer", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STEP_CHANGED] = g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, SbWizard, steps_list);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, search_result);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, SbWizard, position_label);
  gtk_widget_class_bind_template_callback (widget_class, step_activated);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, search_activated);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "wizard.previous", NULL, previous_activated);
  gtk_widget_class_install_action (widget_class, "wizard.review", NULL, review_activated);
  gtk_widget_class_install_action (widget_class, "wizard.search", NULL, search_activated_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "wizard.search", NULL);
}

static void
sb_wizard_init (SbWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problems_by_widget = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->pages = g_ptr_array_new ();
  self->rows = g_ptr_array_new ();
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* for the widget tests */
  g_object_set_data (G_OBJECT (self), "next-button", self->next_button);
}

static GtkWidget *
new_wizard (SbDraft    *draft,
            gboolean    read_only,
            const char *signer)
{
  SbWizard *self = g_object_new (SB_TYPE_WIZARD, "read-only", read_only, "signer", signer, NULL);

  self->draft = g_object_ref (draft);
  self->validator = sb_validator_new (sb_draft_get_call (draft));
  self->shows_empty = read_only;
  build (self);
  return GTK_WIDGET (self);
}

GtkWidget *
sb_wizard_new (SbDraft *draft)
{
  g_return_val_if_fail (SB_IS_DRAFT (draft), NULL);
  return new_wizard (draft, FALSE, NULL);
}

GtkWidget *
sb_wizard_new_read_only (SbDraft    *draft,
                         const char *signer)
{
  g_return_val_if_fail (SB_IS_DRAFT (draft), NULL);
  return new_wizard (draft, TRUE, signer);
}

gboolean
sb_wizard_get_read_only (SbWizard *self)
{
  g_return_val_if_fail (SB_IS_WIZARD (self), FALSE);
  return self->read_only;
}
