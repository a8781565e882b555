/* sb-review-page.h — every problem of the draft in one list, grouped by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-export-box.h"
#include "sb-wizard.h"

G_BEGIN_DECLS

#define SB_TYPE_REVIEW_PAGE (sb_review_page_get_type ())

G_DECLARE_FINAL_TYPE (SbReviewPage, sb_review_page, SB, REVIEW_PAGE, GtkBox)

GtkWidget *sb_review_page_new          (SbWizard     *wizard);
/* Shows problems (a full check, files included). */
void       sb_review_page_set_problems (SbReviewPage *self,
                                        GPtrArray    *problems);
/* The rows shown, one per problem, in order (tests). */
GPtrArray *sb_review_page_get_rows     (SbReviewPage *self);
/* "code@path" of a row's problem (tests). */
const char *sb_review_row_get_key      (GtkWidget    *row);
/* The export section (heading and SbExportBox). */
GtkBox    *sb_review_page_get_export_box (SbReviewPage *self);
/* After sb_review_page_set_problems(): what the call asks that no check can
 * see (copies, where to submit, quotas), const SbNotice*, shown once. */
void       sb_review_page_set_notices  (SbReviewPage *self,
                                        GPtrArray    *notices);
/* Its exporter: PDF, signed bundle, print (sb-export-box.h). */
SbExportBox *sb_review_page_get_exporter (SbReviewPage *self);

G_END_DECLS
