/* sb-attachment-slot.h — the files given for one attachment of the call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-call-parts.h"
#include "sb-wizard.h"

G_BEGIN_DECLS

#define SB_TYPE_ATTACHMENT_SLOT (sb_attachment_slot_get_type ())

G_DECLARE_FINAL_TYPE (SbAttachmentSlot, sb_attachment_slot, SB, ATTACHMENT_SLOT, GtkBox)

GtkWidget              *sb_attachment_slot_new      (SbWizard               *wizard,
                                                     const SbAttachmentSpec *spec);
const SbAttachmentSpec *sb_attachment_slot_get_spec (SbAttachmentSlot       *self);
void                    sb_attachment_slot_update   (SbAttachmentSlot       *self);
/* Copies file into the draft's folder and records it, unless the core's
 * file checks refuse it: then nothing is kept and error has their message. */
gboolean                sb_attachment_slot_add_file (SbAttachmentSlot       *self,
                                                     GFile                  *file,
                                                     GError                **error);

G_END_DECLS
