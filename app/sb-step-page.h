/* sb-step-page.h — one step of the call: its fields, generated from the definition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-call.h"
#include "sb-wizard.h"

G_BEGIN_DECLS

#define SB_TYPE_STEP_PAGE (sb_step_page_get_type ())

G_DECLARE_FINAL_TYPE (SbStepPage, sb_step_page, SB, STEP_PAGE, GtkBox)

/* step_index: the call's step, or -1 for the attachments page. */
GtkWidget  *sb_step_page_new        (SbWizard    *wizard,
                                     int          step_index);
int         sb_step_page_get_index  (SbStepPage  *self);
const char *sb_step_page_get_title  (SbStepPage  *self);
void        sb_step_page_update     (SbStepPage  *self);
/* The field rows (SbFieldRow) and attachment slots of the page. */
GPtrArray  *sb_step_page_get_parts  (SbStepPage  *self);
void        sb_step_page_scroll_to_top (SbStepPage *self);
/* Brings widget into view once the page is laid out. */
void        sb_step_page_scroll_to  (SbStepPage  *self,
                                     GtkWidget   *widget);

G_END_DECLS
