/* sb-start-page.h — the calls Shenbao knows and the applicant's drafts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-draft-store.h"

G_BEGIN_DECLS

#define SB_TYPE_START_PAGE (sb_start_page_get_type ())

G_DECLARE_FINAL_TYPE (SbStartPage, sb_start_page, SB, START_PAGE, AdwBin)

GtkWidget *sb_start_page_new          (void);
void       sb_start_page_set_store    (SbStartPage  *self,
                                       SbDraftStore *store);
/* The moment deadlines are counted from; NULL: now. For tests. */
void       sb_start_page_set_now      (SbStartPage  *self,
                                       GDateTime    *now);
void       sb_start_page_reload       (SbStartPage  *self);
void       sb_start_page_focus_search (SbStartPage  *self);
void       sb_start_page_add_toast    (SbStartPage  *self,
                                       AdwToast     *toast);
GtkListBox *sb_start_page_get_calls_list  (SbStartPage *self);
GtkListBox *sb_start_page_get_drafts_list (SbStartPage *self);

G_END_DECLS
