/* sb-table-editor.h — the rows of a table field: add, remove, move
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-field.h"
#include "sb-wizard.h"

G_BEGIN_DECLS

#define SB_TYPE_TABLE_EDITOR (sb_table_editor_get_type ())

G_DECLARE_FINAL_TYPE (SbTableEditor, sb_table_editor, SB, TABLE_EDITOR, GtkBox)

GtkWidget *sb_table_editor_new        (SbWizard      *wizard,
                                       SbField       *table,
                                       const char    *path);
void       sb_table_editor_update     (SbTableEditor *self);
guint      sb_table_editor_get_n_rows (SbTableEditor *self);
/* What the row buttons do (tests drive them too). */
void       sb_table_editor_add_row    (SbTableEditor *self);
void       sb_table_editor_remove_row (SbTableEditor *self,
                                       guint          row);
void       sb_table_editor_move_row   (SbTableEditor *self,
                                       guint          row,
                                       int            delta);
/* The cell editor row of a column in a row (tests), or NULL. */
GtkWidget *sb_table_editor_get_cell   (SbTableEditor *self,
                                       guint          row,
                                       const char    *column);

G_END_DECLS
