/* sb-table-editor.c — the rows of a table field: add, remove, move
 *
 * Each row is a frame holding one field row per column; buttons move it up
 * or down and remove it (never drag only). The limits of the definition
 * (min_rows, max_rows) are enforced by the buttons; the row rules' problems
 * are shown on their row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-field-row.h"
#include "sb-json.h"
#include "sb-table-editor.h"
#include "sb-wizard-private.h"

struct _SbTableEditor
{
  GtkBox      parent_instance;

  GtkBox     *rows_box;
  GtkButton  *add_button;
  GtkLabel   *limits_label;

  SbWizard   *wizard;
  SbField    *table;
  char       *path;
  GPtrArray  *frames;    /* GtkWidget per row */
  GPtrArray  *problem_boxes;
  GPtrArray  *cells;     /* GPtrArray of SbFieldRow per row */
};

G_DEFINE_FINAL_TYPE (SbTableEditor, sb_table_editor, GTK_TYPE_BOX)

static SbValue *
get_rows (SbTableEditor *self,
          gboolean       create)
{
  SbDraft *draft = sb_wizard_get_draft (self->wizard);
  SbValue *rows = sb_draft_get_value (draft, sb_field_get_id (self->table));

  if ((rows == NULL || sb_value_get_kind (rows) != SB_VALUE_LIST) && create)
    {
      rows = sb_value_new_list ();
      sb_draft_set_value (draft, sb_field_get_id (self->table), rows);
    }
  return rows != NULL && sb_value_get_kind (rows) == SB_VALUE_LIST ? rows : NULL;
}

guint
sb_table_editor_get_n_rows (SbTableEditor *self)
{
  SbValue *rows = get_rows (self, FALSE);

  return rows ? sb_value_get_list (rows)->len : 0;
}

static void rebuild (SbTableEditor *self);

static void
focus_row_button (SbTableEditor *self,
                  guint          index,
                  const char    *name)
{
  GtkWidget *frame;
  GtkWidget *button;

  if (index >= self->frames->len)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->add_button));
      return;
    }
  frame = g_ptr_array_index (self->frames, index);
  button = g_object_get_data (G_OBJECT (frame), name);
  if (button != NULL && gtk_widget_get_sensitive (button))
    {
      gtk_widget_grab_focus (button);
      return;
    }
  gtk_widget_child_focus (frame, GTK_DIR_TAB_FORWARD);
}

static void
rows_changed (SbTableEditor *self,
              guint          focus_index,
              const char    *focus_name)
{
  rebuild (self);
  _sb_wizard_value_changed (self->wizard, TRUE);
  _sb_wizard_check_now (self->wizard);
  focus_row_button (self, focus_index, focus_name);
}

void
sb_table_editor_add_row (SbTableEditor *self)
{
  SbValue *rows;

  if (_sb_wizard_read_only (self->wizard))
    return;
  rows = get_rows (self, TRUE);

  sb_value_list_append (rows, sb_value_new_record ());
  rebuild (self);
  _sb_wizard_value_changed (self->wizard, TRUE);
  _sb_wizard_check_now (self->wizard);
  gtk_widget_child_focus (g_ptr_array_index (self->frames, self->frames->len - 1), GTK_DIR_TAB_FORWARD);
}

void
sb_table_editor_remove_row (SbTableEditor *self,
                            guint          row)
{
  GtkWidget *frame = g_ptr_array_index (self->frames, row);

  g_return_if_fail (row < self->frames->len);
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (frame), "remove"), "clicked");
}

void
sb_table_editor_move_row (SbTableEditor *self,
                          guint          row,
                          int            delta)
{
  GtkWidget *frame = g_ptr_array_index (self->frames, row);

  g_return_if_fail (row < self->frames->len);
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (frame), delta < 0 ? "up" : "down"), "clicked");
}

static guint
row_of_button (SbTableEditor *self,
               GtkWidget     *button)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "row"));
}

static void
remove_clicked (GtkWidget     *button,
                SbTableEditor *self)
{
  GPtrArray *list;
  guint index = row_of_button (self, button);

  if (_sb_wizard_read_only (self->wizard))
    return;
  list = sb_value_get_list (get_rows (self, TRUE));
  g_return_if_fail (index < list->len);
  g_ptr_array_remove_index (list, index);
  rows_changed (self, index < list->len ? index : index - 1, "remove");
}

static void
move (SbTableEditor *self,
      guint          index,
      int            delta,
      const char    *focus_name)
{
  GPtrArray *list;
  guint other = index + delta;
  gpointer swap;

  if (_sb_wizard_read_only (self->wizard))
    return;
  list = sb_value_get_list (get_rows (self, TRUE));
  g_return_if_fail (index < list->len && other < list->len);
  swap = list->pdata[index];
  list->pdata[index] = list->pdata[other];
  list->pdata[other] = swap;
  rows_changed (self, other, focus_name);
}

static void
up_clicked (GtkWidget     *button,
            SbTableEditor *self)
{
  move (self, row_of_button (self, button), -1, "up");
}

static void
down_clicked (GtkWidget     *button,
              SbTableEditor *self)
{
  move (self, row_of_button (self, button), 1, "down");
}

static GtkWidget *
row_button (SbTableEditor *self,
            GtkWidget     *frame,
            guint          index,
            const char    *name,
            const char    *icon,
            const char    *label,
            GCallback      callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "row", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (frame), name, button);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
build_row (SbTableEditor *self,
           SbValue       *row,
           guint          index,
           guint          n_rows)
{
  g_autofree char *row_path = sb_json_path_index (self->path, index);
  g_autofree char *title = g_strdup_printf (_("Row %u"), index + 1);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *problems = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GPtrArray *columns = sb_field_get_children (self->table);
  GPtrArray *cells = g_ptr_array_new ();
  gint64 min_rows = 0, max_rows = G_MAXINT64;
  GtkWidget *button;

  sb_field_get_row_limits (self->table, &min_rows, &max_rows);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_frame_set_child (GTK_FRAME (frame), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (frame), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (header), heading);

  button = row_button (self, frame, index, "up", "go-up-symbolic", _("Move row up"), G_CALLBACK (up_clicked));
  gtk_widget_set_sensitive (button, index > 0);
  gtk_box_append (GTK_BOX (header), button);
  button = row_button (self, frame, index, "down", "go-down-symbolic", _("Move row down"), G_CALLBACK (down_clicked));
  gtk_widget_set_sensitive (button, index + 1 < n_rows);
  gtk_box_append (GTK_BOX (header), button);
  button = row_button (self, frame, index, "remove", "user-trash-symbolic", _("Remove row"), G_CALLBACK (remove_clicked));
  gtk_widget_set_sensitive (button, (gint64) n_rows > min_rows);
  gtk_box_append (GTK_BOX (header), button);
  /* read-only: the rows as they are, no buttons to change them */
  if (_sb_wizard_read_only (self->wizard))
    for (GtkWidget *child = gtk_widget_get_next_sibling (heading); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      gtk_widget_set_visible (child, FALSE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), problems);

  for (guint i = 0; columns != NULL && i < columns->len; i++)
    {
      SbField *column = g_ptr_array_index (columns, i);
      g_autofree char *cell_path = sb_json_path_member (row_path, sb_field_get_id (column));
      GtkWidget *cell = sb_field_row_new (self->wizard, column, NULL, row, cell_path);

      gtk_box_append (GTK_BOX (box), cell);
      g_ptr_array_add (cells, cell);
    }

  _sb_wizard_register_path (self->wizard, row_path, frame);
  g_ptr_array_add (self->problem_boxes, problems);
  g_ptr_array_add (self->cells, cells);
  return frame;
}

static void
clear_rows (SbTableEditor *self)
{
  for (guint i = 0; i < self->frames->len; i++)
    {
      GtkWidget *frame = g_ptr_array_index (self->frames, i);
      g_autofree char *row_path = sb_json_path_index (self->path, i);

      if (self->wizard != NULL)
        _sb_wizard_unregister_path (self->wizard, row_path, frame);
      gtk_box_remove (self->rows_box, frame);
    }
  g_ptr_array_set_size (self->frames, 0);
  g_ptr_array_set_size (self->problem_boxes, 0);
  g_ptr_array_set_size (self->cells, 0);
}

static void
rebuild (SbTableEditor *self)
{
  SbValue *rows = get_rows (self, FALSE);
  GPtrArray *list = rows ? sb_value_get_list (rows) : NULL;
  guint n = list ? list->len : 0;
  gint64 min_rows = 0, max_rows = G_MAXINT64;

  clear_rows (self);
  for (guint i = 0; i < n; i++)
    {
      SbValue *row = g_ptr_array_index (list, i);
      GtkWidget *frame;

      if (sb_value_get_kind (row) != SB_VALUE_RECORD)
        continue;
      frame = build_row (self, row, i, n);
      gtk_box_append (self->rows_box, frame);
      g_ptr_array_add (self->frames, frame);
    }

  sb_field_get_row_limits (self->table, &min_rows, &max_rows);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), (gint64) n < max_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), !_sb_wizard_read_only (self->wizard));
  if (max_rows < G_MAXINT64 && min_rows > 0)
    {
      g_autofree char *text = g_strdup_printf (_("%u rows; at least %u, at most %u"),
                                              n, (guint) MIN (min_rows, G_MAXUINT), (guint) MIN (max_rows, G_MAXUINT));
      gtk_label_set_label (self->limits_label, text);
    }
  else if (max_rows < G_MAXINT64)
    {
      g_autofree char *text = g_strdup_printf (_("%u rows; at most %u"), n, (guint) MIN (max_rows, G_MAXUINT));
      gtk_label_set_label (self->limits_label, text);
    }
  else if (min_rows > 0)
    {
      g_autofree char *text = g_strdup_printf (_("%u rows; at least %u"), n, (guint) MIN (min_rows, G_MAXUINT));
      gtk_label_set_label (self->limits_label, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("%u rows"), n);
      gtk_label_set_label (self->limits_label, text);
    }
}

void
sb_table_editor_update (SbTableEditor *self)
{
  if (self->frames->len != sb_table_editor_get_n_rows (self))
    rebuild (self);
  for (guint i = 0; i < self->frames->len; i++)
    {
      GtkWidget *frame = g_ptr_array_index (self->frames, i);
      GPtrArray *cells = g_ptr_array_index (self->cells, i);
      SbSeverity worst = SB_SEVERITY_INFO;
      const char *message;

      message = _sb_show_problems (g_ptr_array_index (self->problem_boxes, i),
                                   _sb_wizard_problems_for (self->wizard, frame), self->wizard, &worst);
      gtk_accessible_update_state (GTK_ACCESSIBLE (frame), GTK_ACCESSIBLE_STATE_INVALID,
                                   message != NULL && worst == SB_SEVERITY_ERROR
                                   ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
      for (guint j = 0; j < cells->len; j++)
        sb_field_row_update (g_ptr_array_index (cells, j));
    }
}

GtkWidget *
sb_table_editor_get_cell (SbTableEditor *self,
                          guint          row,
                          const char    *column)
{
  GPtrArray *cells;

  if (row >= self->cells->len)
    return NULL;
  cells = g_ptr_array_index (self->cells, row);
  for (guint i = 0; i < cells->len; i++)
    if (g_str_equal (sb_field_get_id (sb_field_row_get_field (g_ptr_array_index (cells, i))), column))
      return g_ptr_array_index (cells, i);
  return NULL;
}

static void
sb_table_editor_dispose (GObject *object)
{
  SbTableEditor *self = SB_TABLE_EDITOR (object);

  if (self->frames != NULL)
    clear_rows (self);
  self->wizard = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_TABLE_EDITOR);
  G_OBJECT_CLASS (sb_table_editor_parent_class)->dispose (object);
}

static void
sb_table_editor_finalize (GObject *object)
{
  SbTableEditor *self = SB_TABLE_EDITOR (object);

  g_clear_object (&self->table);
  g_free (self->path);
  g_ptr_array_unref (self->frames);
  g_ptr_array_unref (self->problem_boxes);
  g_ptr_array_unref (self->cells);
  G_OBJECT_CLASS (sb_table_editor_parent_class)->finalize (object);
}

static void
sb_table_editor_class_init (SbTableEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_table_editor_dispose;
  object_class->finalize = sb_table_editor_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/shenbao/Shenbao/wizard/sb-table-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SbTableEditor, rows_box);
  gtk_widget_class_bind_template_child (widget_class, SbTableEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, SbTableEditor, limits_label);
  gtk_widget_class_bind_template_callback_full (widget_class, "add_row", G_CALLBACK (sb_table_editor_add_row));
}

static void
sb_table_editor_init (SbTableEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->frames = g_ptr_array_new ();
  self->problem_boxes = g_ptr_array_new ();
  self->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

GtkWidget *
sb_table_editor_new (SbWizard   *wizard,
                     SbField    *table,
                     const char *path)
{
  SbTableEditor *self = g_object_new (SB_TYPE_TABLE_EDITOR, NULL);

  self->wizard = wizard;
  self->table = g_object_ref (table);
  self->path = g_strdup (path);
  rebuild (self);
  return GTK_WIDGET (self);
}
