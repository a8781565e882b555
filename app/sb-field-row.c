/* sb-field-row.c — one field of a step: label, help, its editor, its problems
 *
 * The editor is chosen by the field's type (forms/README.md). What is typed
 * goes into the draft at once, parsed by the core (money by sb_money_parse,
 * so exactly what `shenbao validate` accepts); the problems shown come from
 * the core's validator, through the wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-field-row.h"
#include "sb-json.h"
#include "sb-table-editor.h"
#include "sb-wizard-private.h"

struct _SbFieldRow
{
  GtkBox       parent_instance;

  GtkLabel    *title_label;
  GtkLabel    *required_label;
  GtkLabel    *calc_badge;
  GtkLabel    *help_label;
  GtkBox      *editor_box;
  GtkLabel    *counter_label;
  GtkBox      *problems_box;

  SbWizard    *wizard;       /* not owned: the wizard outlives its rows */
  SbField     *field;
  SbFieldRow  *parent_row;
  SbValue     *row;          /* a table row's record, owned */
  char        *path;

  GtkWidget   *editor;       /* takes the focus */
  GtkWidget   *entry;
  GtkLabel    *calc_label;
  GtkTextBuffer *buffer;
  GtkDropDown *dropdown;
  GPtrArray   *dropdown_values;   /* char*, index 0 is "not chosen" (NULL) */
  GPtrArray   *checks;            /* GtkCheckButton per option */
  GtkCheckButton *yes;
  GtkCheckButton *no;
  GtkCheckButton *confirm;
  GtkWidget   *table;
  GPtrArray   *children;          /* SbFieldRow */
  GtkWidget   *date_button;
  GtkLabel    *local_error;       /* what the core's parser said about the text */
  GtkWidget   *shown_entry;       /* read-only: a choice's value as text */
  gboolean     updating;
};

G_DEFINE_FINAL_TYPE (SbFieldRow, sb_field_row, GTK_TYPE_BOX)

static gboolean
is_top_level (SbFieldRow *self)
{
  return self->parent_row == NULL && self->row == NULL;
}

/* Values */

SbValue *
sb_field_row_get_value (SbFieldRow *self)
{
  const char *id = sb_field_get_id (self->field);
  SbDraft *draft = sb_wizard_get_draft (self->wizard);

  if (self->row != NULL)
    return sb_value_record_get (self->row, id);
  if (self->parent_row != NULL)
    {
      SbValue *parent = sb_field_row_get_value (self->parent_row);

      if (parent == NULL || sb_value_get_kind (parent) != SB_VALUE_RECORD)
        return NULL;
      return sb_value_record_get (parent, id);
    }
  return sb_draft_get_value (draft, id);
}

/* Takes value (NULL: unanswered). */
static void
store_value (SbFieldRow *self,
             SbValue    *value)
{
  const char *id = sb_field_get_id (self->field);

  if (self->row != NULL)
    {
      if (value == NULL)
        g_hash_table_remove (sb_value_get_record (self->row), id);
      else
        sb_value_record_set (self->row, id, value);
    }
  else if (self->parent_row != NULL)
    {
      SbValue *parent = sb_field_row_get_value (self->parent_row);

      if (parent == NULL || sb_value_get_kind (parent) != SB_VALUE_RECORD)
        {
          if (value == NULL)
            return;
          parent = sb_value_new_record ();
          store_value (self->parent_row, parent);
        }
      if (value == NULL)
        g_hash_table_remove (sb_value_get_record (parent), id);
      else
        sb_value_record_set (parent, id, value);
    }
  else
    sb_draft_set_value (sb_wizard_get_draft (self->wizard), id, value);
}

static void show_value (SbFieldRow *self);
static void set_local_error (SbFieldRow *self, const char *message);
static void fill_dropdown (SbFieldRow *self);
static void show_chosen (SbFieldRow *self);

static void
set_value (SbFieldRow *self,
           SbValue    *value,
           gboolean    at_once)
{
  if (_sb_wizard_read_only (self->wizard))
    {
      /* a change that reached the editor anyway is undone */
      if (value != NULL)
        sb_value_unref (value);
      set_local_error (self, NULL);
      show_value (self);
      if (self->dropdown != NULL)
        fill_dropdown (self);
      return;
    }
  store_value (self, value);
  _sb_wizard_value_changed (self->wizard, at_once);
}

static void
set_local_error (SbFieldRow *self,
                 const char *message)
{
  gtk_label_set_label (self->local_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->local_error), message != NULL);
}

/* Text and numbers typed into an entry */

static void
update_counter (SbFieldRow *self,
                const char *text)
{
  gint64 max = 0;

  if (!sb_field_get_max_length (self->field, &max))
    return;
  {
    g_autofree char *counter = g_strdup_printf ("%ld / %" G_GINT64_FORMAT, g_utf8_strlen (text, -1), max);

    gtk_label_set_label (self->counter_label, counter);
    gtk_widget_set_visible (GTK_WIDGET (self->counter_label), TRUE);
  }
}

/* Parses what is typed with the core's parsers; NULL with message when it
 * cannot be read, NULL without one when empty. */
static SbValue *
parse_text (SbFieldRow  *self,
            const char  *text,
            char       **message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  SbNumber number;
  SbDate date;
  gint64 integer;

  *message = NULL;
  switch (sb_field_get_field_type (self->field))
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
      return *text == '\0' ? NULL : sb_value_new_string (text);
    default:
      break;
    }

  if (*stripped == '\0')
    return NULL;

  switch (sb_field_get_field_type (self->field))
    {
    case SB_FIELD_MONEY:
      if (sb_money_parse (stripped, sb_field_get_unit (self->field), &integer, &error))
        return sb_value_new_number (sb_number_from_int (integer));
      break;
    case SB_FIELD_INTEGER:
      if (sb_number_parse_decimal (stripped, 0, &number, &error))
        return sb_value_new_number (number);
      break;
    case SB_FIELD_DECIMAL:
      if (sb_number_parse_decimal (stripped, sb_field_get_decimals (self->field), &number, &error))
        return sb_value_new_number (number);
      break;
    case SB_FIELD_DATE:
      if (sb_date_parse (stripped, &date, &error))
        return sb_value_new_date (date);
      break;
    default:
      g_assert_not_reached ();
    }
  *message = g_strdup (error->message);
  return NULL;
}

static void
entry_changed (SbFieldRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *message = NULL;
  SbValue *value;

  if (self->updating)
    return;
  value = parse_text (self, text, &message);
  set_local_error (self, message);
  update_counter (self, text);
  set_value (self, value, FALSE);
}

/* Shows the value back as the core reads it: 1,500,000元 becomes 150万元. */
static void
normalise_entry (SbFieldRow *self)
{
  g_autofree char *shown = NULL;
  SbValue *value;

  if (gtk_widget_get_visible (GTK_WIDGET (self->local_error)))
    return;
  value = sb_field_row_get_value (self);
  switch (sb_field_get_field_type (self->field))
    {
    case SB_FIELD_MONEY:
    case SB_FIELD_INTEGER:
    case SB_FIELD_DECIMAL:
    case SB_FIELD_DATE:
      shown = _sb_format_value (self->field, value, FALSE);
      break;
    default:
      return;
    }
  if (shown != NULL && !g_str_equal (shown, gtk_editable_get_text (GTK_EDITABLE (self->entry))))
    {
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->entry), shown);
      self->updating = FALSE;
    }
}

static void
entry_activated (SbFieldRow *self)
{
  normalise_entry (self);
  _sb_wizard_check_now (self->wizard);
}

static void
focus_left (GtkEventControllerFocus *controller,
            SbFieldRow              *self)
{
  if (self->entry != NULL)
    normalise_entry (self);
  _sb_wizard_check_now (self->wizard);
}

static void
watch_focus (SbFieldRow *self,
             GtkWidget  *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "leave", G_CALLBACK (focus_left), self);
  gtk_widget_add_controller (widget, focus);
}

static void
label_editor (SbFieldRow *self,
              GtkWidget  *editor)
{
  gtk_accessible_update_relation (GTK_ACCESSIBLE (editor),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);
  /* the button inside a drop-down is what takes the focus: GTK 4.8 leaves
   * it unnamed (its class name is what a screen reader gets) */
  if (GTK_IS_DROP_DOWN (editor) && gtk_widget_get_first_child (editor) != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (gtk_widget_get_first_child (editor)),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                    -1);
  if (gtk_widget_get_visible (GTK_WIDGET (self->help_label)))
    gtk_accessible_update_relation (GTK_ACCESSIBLE (editor),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->help_label, NULL,
                                    -1);
}

static const char *
placeholder_for (SbFieldRow *self)
{
  switch (sb_field_get_field_type (self->field))
    {
    case SB_FIELD_MONEY:
      return sb_field_get_unit (self->field) == SB_MONEY_UNIT_WAN
             ? _("Amount in 万元 (10,000 yuan), e.g. 150 or 150.5")
             : _("Amount in 元, e.g. 1500000");
    case SB_FIELD_DATE:
      return _("YYYY-MM-DD");
    case SB_FIELD_INTEGER:
      return _("A whole number");
    case SB_FIELD_DECIMAL:
      return _("A number");
    default:
      return NULL;
    }
}

static void
day_selected (GtkCalendar *calendar,
              SbFieldRow  *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  _sb_wizard_check_now (self->wizard);
}

/* The calendar opens on the date typed, when there is one. */
static void
calendar_shown (GtkWidget  *popover,
                SbFieldRow *self)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (GTK_POPOVER (popover)));
  SbValue *value = sb_field_row_get_value (self);
  int year, month, day;

  if (value == NULL || sb_value_get_kind (value) != SB_VALUE_DATE)
    return;
  sb_date_to_ymd (sb_value_get_date (value), &year, &month, &day);
  {
    g_autoptr(GDateTime) date = g_date_time_new_utc (year, month, day, 0, 0, 0);

    if (date != NULL)
      {
        g_signal_handlers_block_by_func (calendar, day_selected, self);
        gtk_calendar_select_day (calendar, date);
        g_signal_handlers_unblock_by_func (calendar, day_selected, self);
      }
  }
}

static void
build_entry (SbFieldRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  SbFieldType type = sb_field_get_field_type (self->field);
  const char *hint = placeholder_for (self);

  self->entry = gtk_entry_new ();
  gtk_widget_set_hexpand (self->entry, TRUE);
  if (hint != NULL)
    gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), hint);
  if (type == SB_FIELD_MONEY || type == SB_FIELD_INTEGER || type == SB_FIELD_DECIMAL)
    gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_NUMBER);
  if (type == SB_FIELD_TEXT)
    {
      switch (sb_field_get_format (self->field))
        {
        case SB_FORMAT_MOBILE:
          gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_PHONE);
          break;
        case SB_FORMAT_EMAIL:
          gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_EMAIL);
          break;
        default:
          break;
        }
    }
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activated), self);
  watch_focus (self, self->entry);
  gtk_box_append (GTK_BOX (box), self->entry);

  if (type == SB_FIELD_MONEY)
    {
      gboolean wan = sb_field_get_unit (self->field) == SB_MONEY_UNIT_WAN;
      /* the unit as the form prints it, whatever the language; read out
       * in the user's */
      const char *printed = wan ? "万元" : "元";
      const char *said = wan ? _("10,000 yuan") : _("yuan");
      GtkWidget *unit = gtk_label_new (printed);

      gtk_accessible_update_property (GTK_ACCESSIBLE (unit), GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
      if (!g_str_equal (said, printed))
        gtk_widget_set_tooltip_text (unit, said);
      gtk_widget_add_css_class (unit, "dim-label");
      gtk_box_append (GTK_BOX (box), unit);
    }
  else if (type == SB_FIELD_DATE)
    {
      GtkWidget *button = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *calendar = gtk_calendar_new ();

      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
      gtk_widget_set_tooltip_text (button, _("Choose a date"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a date"), -1);
      gtk_popover_set_child (GTK_POPOVER (popover), calendar);
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
      g_signal_connect (calendar, "day-selected", G_CALLBACK (day_selected), self);
      g_signal_connect (popover, "show", G_CALLBACK (calendar_shown), self);
      gtk_box_append (GTK_BOX (box), button);
      self->date_button = button;
    }

  self->editor = self->entry;
  gtk_box_append (self->editor_box, box);
}

static void
buffer_changed (SbFieldRow *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->updating)
    return;
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
  update_counter (self, text);
  set_value (self, *text ? sb_value_new_string (text) : NULL, FALSE);
}

static void
build_textarea (SbFieldRow *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 96);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  self->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (buffer_changed), self);
  watch_focus (self, view);
  self->editor = view;
  gtk_box_append (self->editor_box, scrolled);
}

/* Choices */

static const char *
option_label (const SbOption *option)
{
  const char *label = _sb_text (&option->label);

  return label != NULL ? label : option->value;
}

static gboolean
option_available (SbFieldRow     *self,
                  const SbOption *option)
{
  /* option conditions read top-level fields; unknown keeps it offered,
   * as the validator refuses an option only when it is ruled out */
  return sb_validator_check_condition (_sb_wizard_get_validator (self->wizard), option->relevant, TRUE);
}

static void
dropdown_selected (SbFieldRow *self)
{
  guint index = gtk_drop_down_get_selected (self->dropdown);
  const char *value;

  if (self->updating)
    return;
  value = index < self->dropdown_values->len ? g_ptr_array_index (self->dropdown_values, index) : NULL;
  set_value (self, value ? sb_value_new_string (value) : NULL, TRUE);
}

/* The options offered: the available ones, and the one chosen even when it
 * is no longer available (its problem says why). */
static void
fill_dropdown (SbFieldRow *self)
{
  GArray *options = sb_field_get_options (self->field);
  SbValue *value = sb_field_row_get_value (self);
  const char *chosen = value && sb_value_get_kind (value) == SB_VALUE_STRING ? sb_value_get_string (value) : NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;
  gboolean same = TRUE;

  gtk_string_list_append (labels, _("(not chosen)"));
  g_ptr_array_add (values, NULL);
  for (guint i = 0; options != NULL && i < options->len; i++)
    {
      const SbOption *option = &g_array_index (options, SbOption, i);
      gboolean is_chosen = chosen != NULL && g_str_equal (chosen, option->value);

      if (!is_chosen && !option_available (self, option))
        continue;
      if (is_chosen)
        selected = values->len;
      gtk_string_list_append (labels, option_label (option));
      g_ptr_array_add (values, g_strdup (option->value));
    }
  if (chosen != NULL && selected == 0)
    {
      /* not an option at all: shown as typed, its problem says so */
      selected = values->len;
      gtk_string_list_append (labels, chosen);
      g_ptr_array_add (values, g_strdup (chosen));
    }

  if (self->dropdown_values != NULL && self->dropdown_values->len == values->len)
    for (guint i = 1; i < values->len && same; i++)
      same = g_str_equal (g_ptr_array_index (values, i), g_ptr_array_index (self->dropdown_values, i));
  else
    same = FALSE;

  self->updating = TRUE;
  if (!same)
    {
      g_clear_pointer (&self->dropdown_values, g_ptr_array_unref);
      self->dropdown_values = g_steal_pointer (&values);
      gtk_drop_down_set_model (self->dropdown, G_LIST_MODEL (labels));
    }
  if (gtk_drop_down_get_selected (self->dropdown) != selected)
    gtk_drop_down_set_selected (self->dropdown, selected);
  self->updating = FALSE;
}

/* Option labels can be long (a guide's direction, a kind of base): they
 * wrap instead of being cut off. */
static void
setup_option (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 70);
  gtk_list_item_set_child (item, label);
}

static void
bind_option (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  GtkStringObject *option = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (option));
}

static void
build_choice (SbFieldRow *self)
{
  g_autoptr(GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_option), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_option), NULL);
  self->dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_drop_down_set_factory (self->dropdown, factory);
  gtk_drop_down_set_expression (self->dropdown, expression);
  if (sb_field_get_options (self->field)->len > 12)
    gtk_drop_down_set_enable_search (self->dropdown, TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->dropdown), GTK_ALIGN_START);
  fill_dropdown (self);
  g_signal_connect_swapped (self->dropdown, "notify::selected", G_CALLBACK (dropdown_selected), self);
  self->editor = GTK_WIDGET (self->dropdown);
  gtk_box_append (self->editor_box, self->editor);
}

static void
check_toggled (SbFieldRow *self)
{
  GArray *options = sb_field_get_options (self->field);
  SbValue *old = sb_field_row_get_value (self);
  SbValue *list;

  if (self->updating)
    return;
  list = sb_value_new_list ();
  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      sb_value_list_append (list, sb_value_new_string (g_array_index (options, SbOption, i).value));
  /* values the definition does not offer stay as they were */
  for (guint i = 0; old != NULL && sb_value_get_kind (old) == SB_VALUE_LIST && i < sb_value_get_list (old)->len; i++)
    {
      SbValue *item = g_ptr_array_index (sb_value_get_list (old), i);

      if (sb_field_find_option (self->field, sb_value_get_string (item)) == NULL)
        sb_value_list_append (list, sb_value_ref (item));
    }
  set_value (self, list, TRUE);
}

static gboolean
list_contains (SbValue    *list,
               const char *value)
{
  if (list == NULL || sb_value_get_kind (list) != SB_VALUE_LIST)
    return FALSE;
  for (guint i = 0; i < sb_value_get_list (list)->len; i++)
    {
      SbValue *item = g_ptr_array_index (sb_value_get_list (list), i);

      if (sb_value_get_kind (item) == SB_VALUE_STRING && g_str_equal (sb_value_get_string (item), value))
        return TRUE;
    }
  return FALSE;
}

static void
build_multi_choice (SbFieldRow *self)
{
  GArray *options = sb_field_get_options (self->field);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  self->checks = g_ptr_array_new ();
  for (guint i = 0; i < options->len; i++)
    {
      const SbOption *option = &g_array_index (options, SbOption, i);
      GtkWidget *check = gtk_check_button_new_with_label (option_label (option));
      GtkWidget *label = gtk_check_button_get_child (GTK_CHECK_BUTTON (check));

      if (GTK_IS_LABEL (label))
        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (check_toggled), self);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), check);
      g_ptr_array_add (self->checks, check);
    }
  self->editor = options->len > 0 ? g_ptr_array_index (self->checks, 0) : flow;
  gtk_box_append (self->editor_box, flow);
}

static void
yesno_toggled (SbFieldRow *self)
{
  if (self->updating)
    return;
  if (gtk_check_button_get_active (self->yes))
    set_value (self, sb_value_new_bool (TRUE), TRUE);
  else if (gtk_check_button_get_active (self->no))
    set_value (self, sb_value_new_bool (FALSE), TRUE);
}

static void
build_yesno (SbFieldRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);

  self->yes = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_Yes")));
  self->no = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_No")));
  gtk_check_button_set_group (self->no, self->yes);
  g_signal_connect_swapped (self->yes, "toggled", G_CALLBACK (yesno_toggled), self);
  g_signal_connect_swapped (self->no, "toggled", G_CALLBACK (yesno_toggled), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->yes));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->no));
  self->editor = GTK_WIDGET (self->yes);
  gtk_box_append (self->editor_box, box);
}

static void
confirm_toggled (SbFieldRow *self)
{
  if (self->updating)
    return;
  set_value (self, gtk_check_button_get_active (self->confirm) ? sb_value_new_bool (TRUE) : NULL, TRUE);
}

static void
build_declaration (SbFieldRow *self)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *text = gtk_label_new (_sb_text (sb_field_get_text (self->field)));

  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_margin_start (text, 12);
  gtk_widget_set_margin_end (text, 12);
  gtk_widget_set_margin_top (text, 8);
  gtk_widget_set_margin_bottom (text, 8);
  gtk_widget_set_focusable (text, FALSE);
  /* nor does Tab go into it: a selectable label that cannot take the focus
   * would keep it where it is */
  gtk_widget_set_can_focus (text, FALSE);
  gtk_frame_set_child (GTK_FRAME (frame), text);
  gtk_box_append (self->editor_box, frame);

  self->confirm = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("I _confirm this declaration")));
  g_signal_connect_swapped (self->confirm, "toggled", G_CALLBACK (confirm_toggled), self);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->confirm),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, text, NULL,
                                  -1);
  self->editor = GTK_WIDGET (self->confirm);
  gtk_box_append (self->editor_box, self->editor);
}

static void
build_record (SbFieldRow *self)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GPtrArray *parts = sb_field_get_children (self->field);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_frame_set_child (GTK_FRAME (frame), box);
  self->children = g_ptr_array_new ();
  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      SbField *part = g_ptr_array_index (parts, i);
      g_autofree char *path = sb_json_path_member (self->path, sb_field_get_id (part));
      GtkWidget *row = sb_field_row_new (self->wizard, part, self, NULL, path);

      gtk_box_append (GTK_BOX (box), row);
      g_ptr_array_add (self->children, row);
    }
  self->editor = self->children->len > 0 ? g_ptr_array_index (self->children, 0) : frame;
  gtk_box_append (self->editor_box, frame);
}

static void
build_calculated (SbFieldRow *self)
{
  self->calc_label = GTK_LABEL (gtk_label_new (_("not yet computable")));
  gtk_label_set_xalign (self->calc_label, 0);
  gtk_label_set_selectable (self->calc_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->calc_label), "title-4");
  gtk_widget_add_css_class (GTK_WIDGET (self->calc_label), "numeric");
  gtk_widget_set_visible (GTK_WIDGET (self->calc_badge), TRUE);
  gtk_box_append (self->editor_box, GTK_WIDGET (self->calc_label));
}

/* Shows the draft's value in the editor (when built, and after rows move). */
static void
show_value (SbFieldRow *self)
{
  SbValue *value = sb_field_row_get_value (self);

  self->updating = TRUE;
  switch (sb_field_get_field_type (self->field))
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
    case SB_FIELD_MONEY:
    case SB_FIELD_INTEGER:
    case SB_FIELD_DECIMAL:
    case SB_FIELD_DATE:
      {
        g_autofree char *text = value ? _sb_format_value (self->field, value, FALSE) : g_strdup ("");

        if (self->buffer != NULL)
          gtk_text_buffer_set_text (self->buffer, text ? text : "", -1);
        else if (self->entry != NULL)
          gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
        if (self->entry != NULL || self->buffer != NULL)
          update_counter (self, text ? text : "");
      }
      break;
    case SB_FIELD_MULTI_CHOICE:
      {
        GArray *options = sb_field_get_options (self->field);

        for (guint i = 0; i < self->checks->len; i++)
          gtk_check_button_set_active (g_ptr_array_index (self->checks, i),
                                       list_contains (value, g_array_index (options, SbOption, i).value));
      }
      break;
    case SB_FIELD_YESNO:
      if (value != NULL && sb_value_get_kind (value) == SB_VALUE_BOOL)
        gtk_check_button_set_active (sb_value_get_bool (value) ? self->yes : self->no, TRUE);
      break;
    case SB_FIELD_DECLARATION:
      gtk_check_button_set_active (self->confirm,
                                   value != NULL && sb_value_get_kind (value) == SB_VALUE_BOOL && sb_value_get_bool (value));
      break;
    default:
      break;
    }
  if (self->shown_entry != NULL)
    show_chosen (self);
  self->updating = FALSE;
}

/* Read-only: what a choice, multiple choice, yes/no or declaration holds,
 * as text; NULL when nothing is chosen. */
static char *
chosen_text (SbFieldRow *self)
{
  SbValue *value = sb_field_row_get_value (self);

  if (value == NULL)
    return NULL;
  switch (sb_field_get_field_type (self->field))
    {
    case SB_FIELD_CHOICE:
      if (sb_value_get_kind (value) == SB_VALUE_STRING)
        {
          const SbOption *option = sb_field_find_option (self->field, sb_value_get_string (value));

          return g_strdup (option != NULL ? option_label (option) : sb_value_get_string (value));
        }
      return NULL;
    case SB_FIELD_MULTI_CHOICE:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        if (sb_value_get_kind (value) != SB_VALUE_LIST)
          return NULL;
        for (guint i = 0; i < sb_value_get_list (value)->len; i++)
          {
            SbValue *item = g_ptr_array_index (sb_value_get_list (value), i);
            const SbOption *option;

            if (sb_value_get_kind (item) != SB_VALUE_STRING)
              continue;
            option = sb_field_find_option (self->field, sb_value_get_string (item));
            if (text->len > 0)
              /* TRANSLATORS: between the chosen options of a multiple choice, shown read-only */
              g_string_append (text, _(", "));
            g_string_append (text, option != NULL ? option_label (option) : sb_value_get_string (item));
          }
        return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
      }
    case SB_FIELD_YESNO:
      if (sb_value_get_kind (value) == SB_VALUE_BOOL)
        return g_strdup (sb_value_get_bool (value) ? _("Yes") : _("No"));
      return NULL;
    case SB_FIELD_DECLARATION:
      return g_strdup (sb_value_get_kind (value) == SB_VALUE_BOOL && sb_value_get_bool (value)
                       ? _("Confirmed") : _("Not confirmed"));
    default:
      return NULL;
    }
}

static void
show_chosen (SbFieldRow *self)
{
  g_autofree char *text = chosen_text (self);

  gtk_editable_set_text (GTK_EDITABLE (self->shown_entry), text != NULL ? text : "");
}

/* Read-only: choices, yes/no and declarations are shown as a text that
 * takes the focus and can be selected and copied, never changed, so that
 * keyboard and screen-reader users reach the value (an insensitive control
 * is skipped by Tab); the controls themselves are hidden. */
static void
show_choice_as_text (SbFieldRow *self)
{
  GtkWidget *control = NULL;

  if (self->dropdown != NULL)
    control = GTK_WIDGET (self->dropdown);
  else if (self->yes != NULL)
    control = gtk_widget_get_parent (GTK_WIDGET (self->yes));
  else if (self->confirm != NULL)
    control = GTK_WIDGET (self->confirm);
  else if (self->checks != NULL)
    control = self->checks->len > 0 ? gtk_widget_get_ancestor (g_ptr_array_index (self->checks, 0), GTK_TYPE_FLOW_BOX)
                                    : self->editor;
  if (control == NULL || gtk_widget_get_parent (control) != GTK_WIDGET (self->editor_box))
    return;
  gtk_widget_set_visible (control, FALSE);
  /* nor does the focus go into it (a radio group would keep it) */
  gtk_widget_set_can_focus (control, FALSE);
  self->shown_entry = gtk_entry_new ();
  gtk_editable_set_editable (GTK_EDITABLE (self->shown_entry), FALSE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->shown_entry), _("(not chosen)"));
  gtk_widget_set_hexpand (self->shown_entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->shown_entry), GTK_ACCESSIBLE_PROPERTY_READ_ONLY, TRUE, -1);
  if (control == GTK_WIDGET (self->confirm))
    {
      /* the declaration's text, as for the check button */
      GtkWidget *frame = gtk_widget_get_prev_sibling (control);

      if (GTK_IS_FRAME (frame))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (self->shown_entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                        gtk_frame_get_child (GTK_FRAME (frame)), NULL, -1);
    }
  gtk_box_insert_child_after (self->editor_box, self->shown_entry, control);
  self->editor = self->shown_entry;
  show_chosen (self);
}

/* Read-only (a signed bundle being read): texts stay selectable, so they
 * can be copied; nothing else reacts. */
static void
make_read_only (SbFieldRow *self)
{
  GtkWidget *insensitive[] = {
    self->date_button, GTK_WIDGET (self->dropdown), GTK_WIDGET (self->yes), GTK_WIDGET (self->no),
    GTK_WIDGET (self->confirm),
  };

  if (self->entry != NULL)
    {
      gtk_editable_set_editable (GTK_EDITABLE (self->entry), FALSE);
      gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_READ_ONLY, TRUE, -1);
    }
  if (self->buffer != NULL)
    {
      gtk_text_view_set_editable (GTK_TEXT_VIEW (self->editor), FALSE);
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->editor), FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor), GTK_ACCESSIBLE_PROPERTY_READ_ONLY, TRUE, -1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (insensitive); i++)
    if (insensitive[i] != NULL)
      gtk_widget_set_sensitive (insensitive[i], FALSE);
  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->checks, i), FALSE);
  show_choice_as_text (self);
}

static void
build (SbFieldRow *self)
{
  SbFieldType type = sb_field_get_field_type (self->field);
  const SbText *help = sb_field_get_help (self->field);
  const char *help_text = _sb_text (help);

  gtk_label_set_label (self->title_label, _sb_text (sb_field_get_label (self->field)));
  gtk_widget_set_visible (GTK_WIDGET (self->required_label),
                          sb_field_get_required (self->field) && sb_field_get_calculate (self->field) == NULL);
  if (help_text != NULL && *help_text != '\0')
    {
      gtk_label_set_label (self->help_label, help_text);
      gtk_widget_set_visible (GTK_WIDGET (self->help_label), TRUE);
    }
  if (type == SB_FIELD_PERSON || type == SB_FIELD_ORGANISATION || type == SB_FIELD_TABLE)
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading"),
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "title-4");

  self->local_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->local_error, 0);
  gtk_label_set_wrap (self->local_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->local_error), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->local_error), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->local_error), FALSE);

  if (sb_field_get_calculate (self->field) != NULL)
    build_calculated (self);
  else
    switch (type)
      {
      case SB_FIELD_TEXT:
      case SB_FIELD_MONEY:
      case SB_FIELD_INTEGER:
      case SB_FIELD_DECIMAL:
      case SB_FIELD_DATE:
        build_entry (self);
        break;
      case SB_FIELD_TEXTAREA:
        build_textarea (self);
        break;
      case SB_FIELD_CHOICE:
        build_choice (self);
        break;
      case SB_FIELD_MULTI_CHOICE:
        build_multi_choice (self);
        break;
      case SB_FIELD_YESNO:
        build_yesno (self);
        break;
      case SB_FIELD_DECLARATION:
        build_declaration (self);
        break;
      case SB_FIELD_PERSON:
      case SB_FIELD_ORGANISATION:
        build_record (self);
        break;
      case SB_FIELD_TABLE:
        self->table = sb_table_editor_new (self->wizard, self->field, self->path);
        self->editor = self->table;
        gtk_box_append (self->editor_box, self->table);
        break;
      }
  gtk_box_append (self->editor_box, GTK_WIDGET (self->local_error));
  if (_sb_wizard_read_only (self->wizard))
    make_read_only (self);

  if (self->editor != NULL && !SB_IS_FIELD_ROW (self->editor) && self->table == NULL)
    {
      gtk_label_set_mnemonic_widget (self->title_label, self->editor);
      label_editor (self, self->editor);
    }
  show_value (self);
}

/* Updates after a check */

static void
update_choice_availability (SbFieldRow *self)
{
  GArray *options = sb_field_get_options (self->field);
  SbValue *value = sb_field_row_get_value (self);

  self->updating = TRUE;
  for (guint i = 0; i < self->checks->len; i++)
    {
      const SbOption *option = &g_array_index (options, SbOption, i);
      GtkWidget *check = g_ptr_array_index (self->checks, i);
      gboolean available = option_available (self, option);

      /* a chosen option stays changeable: unchecking is how it is fixed */
      gtk_widget_set_sensitive (check, !_sb_wizard_read_only (self->wizard) &&
                                       (available || list_contains (value, option->value)));
      gtk_widget_set_tooltip_text (check, available ? NULL : _("Not available with the answers given"));
    }
  self->updating = FALSE;
}

void
sb_field_row_update (SbFieldRow *self)
{
  SbValidator *validator = _sb_wizard_get_validator (self->wizard);
  GPtrArray *problems = _sb_wizard_problems_for (self->wizard, GTK_WIDGET (self));
  const char *message;
  SbSeverity worst = SB_SEVERITY_INFO;

  if (is_top_level (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), sb_validator_is_relevant (validator, self->field));
      if (self->calc_label != NULL)
        {
          const SbValue *value = sb_validator_get_value (validator, self->field);
          g_autofree char *shown = value ? _sb_format_value (self->field, value, TRUE) : NULL;

          gtk_label_set_label (self->calc_label, shown ? shown : _("not yet computable"));
        }
      if (self->dropdown != NULL && !gtk_widget_has_focus (GTK_WIDGET (self->dropdown)))
        fill_dropdown (self);
      if (self->checks != NULL)
        update_choice_availability (self);
    }

  message = _sb_show_problems (self->problems_box, problems, self->wizard, &worst);
  /* a table or a group shows its problems as text; its parts are marked */
  if (self->editor != NULL && !SB_IS_FIELD_ROW (self->editor) && self->table == NULL && self->children == NULL)
    _sb_mark_invalid (self->editor, message, worst);
  if (self->entry != NULL && self->entry != self->editor)
    _sb_mark_invalid (self->entry, message, worst);

  for (guint i = 0; self->children != NULL && i < self->children->len; i++)
    sb_field_row_update (g_ptr_array_index (self->children, i));
  if (self->table != NULL)
    sb_table_editor_update (SB_TABLE_EDITOR (self->table));
}

gboolean
sb_field_row_focus (SbFieldRow *self)
{
  if (self->editor == NULL)
    return gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
  if (SB_IS_FIELD_ROW (self->editor))
    return sb_field_row_focus (SB_FIELD_ROW (self->editor));
  if (self->table != NULL)
    return gtk_widget_child_focus (self->table, GTK_DIR_TAB_FORWARD);
  return gtk_widget_grab_focus (self->editor);
}

void
sb_field_row_set_text (SbFieldRow *self,
                       const char *text)
{
  if (self->buffer != NULL)
    gtk_text_buffer_set_text (self->buffer, text, -1);
  else if (self->entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  else
    g_return_if_reached ();
}

GStrv
sb_field_row_list_choices (SbFieldRow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GArray *options = sb_field_get_options (self->field);

  if (self->dropdown_values != NULL)
    for (guint i = 1; i < self->dropdown_values->len; i++)
      g_strv_builder_add (builder, g_ptr_array_index (self->dropdown_values, i));
  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    if (gtk_widget_get_sensitive (g_ptr_array_index (self->checks, i)))
      g_strv_builder_add (builder, g_array_index (options, SbOption, i).value);
  return g_strv_builder_end (builder);
}

gboolean
sb_field_row_choose (SbFieldRow *self,
                     const char *value,
                     gboolean    chosen)
{
  if (self->dropdown != NULL)
    {
      for (guint i = 1; i < self->dropdown_values->len; i++)
        if (g_str_equal (g_ptr_array_index (self->dropdown_values, i), value))
          {
            gtk_drop_down_set_selected (self->dropdown, chosen ? i : 0);
            return TRUE;
          }
      return FALSE;
    }
  if (self->checks != NULL)
    {
      GArray *options = sb_field_get_options (self->field);

      for (guint i = 0; i < self->checks->len; i++)
        if (g_str_equal (g_array_index (options, SbOption, i).value, value))
          {
            GtkWidget *check = g_ptr_array_index (self->checks, i);

            if (!gtk_widget_get_sensitive (check))
              return FALSE;
            gtk_check_button_set_active (GTK_CHECK_BUTTON (check), chosen);
            return TRUE;
          }
      return FALSE;
    }
  if (self->yes != NULL)
    {
      gboolean yes = g_str_equal (value, "true");

      gtk_check_button_set_active (yes ? self->yes : self->no, TRUE);
      return TRUE;
    }
  if (self->confirm != NULL)
    {
      gtk_check_button_set_active (self->confirm, chosen);
      return TRUE;
    }
  return FALSE;
}

GtkWidget *
sb_field_row_get_table (SbFieldRow *self)
{
  return self->table;
}

SbField *
sb_field_row_get_field (SbFieldRow *self)
{
  return self->field;
}

const char *
sb_field_row_get_path (SbFieldRow *self)
{
  return self->path;
}

GtkWidget *
sb_field_row_get_editor (SbFieldRow *self)
{
  return self->editor;
}

/* GObject */

static void
sb_field_row_dispose (GObject *object)
{
  SbFieldRow *self = SB_FIELD_ROW (object);

  if (self->wizard != NULL && self->path != NULL)
    _sb_wizard_unregister_path (self->wizard, self->path, GTK_WIDGET (self));
  self->wizard = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_FIELD_ROW);
  G_OBJECT_CLASS (sb_field_row_parent_class)->dispose (object);
}

static void
sb_field_row_finalize (GObject *object)
{
  SbFieldRow *self = SB_FIELD_ROW (object);

  g_clear_object (&self->field);
  g_clear_pointer (&self->row, sb_value_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->dropdown_values, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  G_OBJECT_CLASS (sb_field_row_parent_class)->finalize (object);
}

static void
sb_field_row_class_init (SbFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_field_row_dispose;
  object_class->finalize = sb_field_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, required_label);
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, calc_badge);
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, help_label);
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, editor_box);
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, counter_label);
  gtk_widget_class_bind_template_child (widget_class, SbFieldRow, problems_box);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sb_field_row_init (SbFieldRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sb_field_row_new (SbWizard   *wizard,
                  SbField    *field,
                  SbFieldRow *parent,
                  SbValue    *row,
                  const char *path)
{
  SbFieldRow *self = g_object_new (SB_TYPE_FIELD_ROW, NULL);

  self->wizard = wizard;
  self->field = g_object_ref (field);
  self->parent_row = parent;
  self->row = row ? sb_value_ref (row) : NULL;
  self->path = g_strdup (path);
  build (self);
  _sb_wizard_register_path (wizard, path, GTK_WIDGET (self));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);
  return GTK_WIDGET (self);
}
