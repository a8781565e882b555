/* sb-autosaver.h — saving an open draft so that no keystroke is lost
 *
 * Throttled, not debounced: the first change after a save arms a timer and
 * later changes do not push it back, so continuous typing still saves every
 * interval (default 500 ms; with the write, well within a second). One
 * write is in flight at a time, in a worker thread, atomically (temporary
 * file, fsync, rename); a change during a write arms the next one. While
 * the draft is open a crash marker sits in its folder; closing removes it,
 * so a marker found at start means Shenbao did not stop cleanly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-draft.h"

G_BEGIN_DECLS

#define SB_TYPE_AUTOSAVER (sb_autosaver_get_type ())

G_DECLARE_FINAL_TYPE (SbAutosaver, sb_autosaver, SB, AUTOSAVER, GObject)

#define SB_AUTOSAVER_DEFAULT_INTERVAL_MS 500

SbAutosaver *sb_autosaver_new            (SbDraft      *draft);
SbDraft     *sb_autosaver_get_draft      (SbAutosaver  *self);
void         sb_autosaver_set_interval   (SbAutosaver  *self,
                                          guint         interval_ms);
void         sb_autosaver_changed        (SbAutosaver  *self);
gboolean     sb_autosaver_save_now       (SbAutosaver  *self,
                                          GError      **error);
gboolean     sb_autosaver_close          (SbAutosaver  *self,
                                          GError      **error);
gboolean     sb_autosaver_is_dirty       (SbAutosaver  *self);
guint        sb_autosaver_get_n_writes   (SbAutosaver  *self);

gboolean     sb_autosaver_has_crash_marker (GFile      *draft_file);

G_END_DECLS
