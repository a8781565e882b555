/* sb-window.h — the main window: the start page, or one draft in the wizard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-application.h"
#include "sb-autosaver.h"
#include "sb-bundle-view.h"
#include "sb-start-page.h"

G_BEGIN_DECLS

#define SB_TYPE_WINDOW (sb_window_get_type ())

G_DECLARE_FINAL_TYPE (SbWindow, sb_window, SB, WINDOW, AdwApplicationWindow)

SbWindow    *sb_window_new            (SbApplication  *application);
gboolean     sb_window_open_draft     (SbWindow       *self,
                                       const char     *id,
                                       GError        **error);
void         sb_window_open_file      (SbWindow       *self,
                                       GFile          *file);
void         sb_window_import_call    (SbWindow       *self,
                                       GFile          *file);
/* Verifies a signed bundle in a worker thread, then shows it read-only
 * (an integrity failure: a message naming the file and the reason, and
 * nothing shown). sb_window_open_file does this for any bundle. */
void         sb_window_open_bundle    (SbWindow       *self,
                                       GFile          *file);
/* While a bundle is being verified (tests wait on this). */
gboolean     sb_window_is_opening     (SbWindow       *self);
/* The bundle being read and the bar above it (NULL otherwise). */
SbBundleView *sb_window_get_bundle_view (SbWindow     *self);
GtkWidget   *sb_window_get_bundle_bar (SbWindow       *self);
void         sb_window_show_start     (SbWindow       *self);
SbStartPage *sb_window_get_start_page (SbWindow       *self);
GtkWidget   *sb_window_get_wizard     (SbWindow       *self);
SbAutosaver *sb_window_get_autosaver  (SbWindow       *self);

G_END_DECLS
