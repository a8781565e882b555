/* sb-bundle-bar.h — the bar above a signed bundle being read
 *
 * Says that what is shown is a signed bundle, read-only, with the key
 * fingerprint that signed it, the application digest, whether its call
 * definition is the one built into this Shenbao, and the verdict of the
 * check run now; its button ("win.copy-bundle") makes a copy to edit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-bundle.h"

G_BEGIN_DECLS

#define SB_TYPE_BUNDLE_BAR (sb_bundle_bar_get_type ())

G_DECLARE_FINAL_TYPE (SbBundleBar, sb_bundle_bar, SB, BUNDLE_BAR, GtkBox)

GtkWidget  *sb_bundle_bar_new             (GFile                *bundle,
                                           const SbBundleReport *report);
/* What the bar shows (tests). */
const char *sb_bundle_bar_get_fingerprint (SbBundleBar *self);
const char *sb_bundle_bar_get_digest      (SbBundleBar *self);
const char *sb_bundle_bar_get_definition  (SbBundleBar *self);
GtkWidget  *sb_bundle_bar_get_copy_button (SbBundleBar *self);

G_END_DECLS
