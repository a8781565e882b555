/* sb-field-row.h — one field of a step: label, help, its editor, its problems
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-field.h"
#include "sb-value.h"
#include "sb-wizard.h"

G_BEGIN_DECLS

#define SB_TYPE_FIELD_ROW (sb_field_row_get_type ())

G_DECLARE_FINAL_TYPE (SbFieldRow, sb_field_row, SB, FIELD_ROW, GtkBox)

/* A top-level field (parent and row NULL), a part of a person or
 * organisation (parent: its row), or a cell of a table row (row: the row's
 * record). path: the JSON path of its value in the draft. */
GtkWidget  *sb_field_row_new        (SbWizard    *wizard,
                                     SbField     *field,
                                     SbFieldRow  *parent,
                                     SbValue     *row,
                                     const char  *path);
SbField    *sb_field_row_get_field  (SbFieldRow  *self);
const char *sb_field_row_get_path   (SbFieldRow  *self);
SbValue    *sb_field_row_get_value  (SbFieldRow  *self);
/* The widget a person types into (NULL for a calculated field). */
GtkWidget  *sb_field_row_get_editor (SbFieldRow  *self);
/* Problems, relevance, calculated value and options, after a check. */
void        sb_field_row_update     (SbFieldRow  *self);
gboolean    sb_field_row_focus      (SbFieldRow  *self);
/* What the editor shows, as a person would type it (tests). */
void        sb_field_row_set_text   (SbFieldRow  *self,
                                     const char  *text);
/* Choices (tests): the option values selectable now. */
GStrv       sb_field_row_list_choices (SbFieldRow *self);
gboolean    sb_field_row_choose     (SbFieldRow  *self,
                                     const char  *value,
                                     gboolean     chosen);
GtkWidget  *sb_field_row_get_table  (SbFieldRow  *self);

G_END_DECLS
