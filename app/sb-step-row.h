/* sb-step-row.h — one step in the wizard's sidebar, with its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  SB_STEP_NOT_STARTED,
  SB_STEP_IN_PROGRESS,
  SB_STEP_COMPLETE,
  SB_STEP_HAS_WARNINGS,
  SB_STEP_HAS_ERRORS,
} SbStepState;

#define SB_TYPE_STEP_ROW (sb_step_row_get_type ())

G_DECLARE_FINAL_TYPE (SbStepRow, sb_step_row, SB, STEP_ROW, GtkListBoxRow)

GtkWidget   *sb_step_row_new       (const char  *title,
                                    GtkWidget   *page);
GtkWidget   *sb_step_row_get_page  (SbStepRow   *self);
void         sb_step_row_set_state (SbStepRow   *self,
                                    SbStepState  state);
SbStepState  sb_step_row_get_state (SbStepRow   *self);
const char  *sb_step_state_to_string (SbStepState state);

G_END_DECLS
