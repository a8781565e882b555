#pragma once
#include <adwaita.h>
#include "sb-draft.h"
G_BEGIN_DECLS
#define SB_TYPE_WIZARD (sb_wizard_get_type ())
G_DECLARE_FINAL_TYPE (SbWizard, sb_wizard, SB, WIZARD, AdwBin)
/* draft: a loaded draft whose GFile (sb_draft_get_file) is set; its folder is the
 * draft's own folder, where attachments are copied. The call is sb_draft_get_call. */
GtkWidget *sb_wizard_new        (SbDraft  *draft);
/* The same draft shown read-only (the "read-only" property, construct-only):
 * every field, table, attachment and acknowledgement shows its value and
 * takes no change; "changed" is never emitted; the steps, the search and
 * the review (a full check now) still work, and the PDF can be exported.
 * signer (the "signer" property, may be NULL): the key fingerprint (kid) of
 * the verified bundle the draft comes from; the exported PDF's QR code
 * carries it as `key=`, as it does when exported with a bundle. */
GtkWidget *sb_wizard_new_read_only (SbDraft *draft, const char *signer);
gboolean   sb_wizard_get_read_only (SbWizard *self);
SbDraft   *sb_wizard_get_draft  (SbWizard *self);
/* Focuses the field/cell of a problem path such as "$.values.total_investment". */
gboolean   sb_wizard_focus_path (SbWizard *self, const char *json_path);
G_END_DECLS
