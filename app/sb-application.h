/* sb-application.h — the Shenbao application (one instance per session)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-draft-store.h"

G_BEGIN_DECLS

#define SB_TYPE_APPLICATION (sb_application_get_type ())

G_DECLARE_FINAL_TYPE (SbApplication, sb_application, SB, APPLICATION, AdwApplication)

SbApplication *sb_application_new          (void);
SbDraftStore  *sb_application_get_store    (SbApplication *self);
/* NULL when the schema is not installed (a build run without its data) */
GSettings     *sb_application_get_settings (SbApplication *self);
int            sb_application_main         (int            argc,
                                            char         **argv);

G_END_DECLS
