/* sb-passphrase-dialog.h — asks for a signing key's passphrase
 *
 * An AdwMessageDialog with a hidden-text entry: UNLOCK asks for the
 * passphrase of an existing key (the entry is the dialog's extra child);
 * NEW asks for a new, optional one twice (a box of two entries), and its
 * response is enabled only while both agree. Enter in an entry gives the
 * accepting response.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  SB_PASSPHRASE_UNLOCK,
  SB_PASSPHRASE_NEW,
} SbPassphraseKind;

#define SB_TYPE_PASSPHRASE_DIALOG (sb_passphrase_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SbPassphraseDialog, sb_passphrase_dialog, SB, PASSPHRASE_DIALOG, AdwMessageDialog)

/* @response: the accepting response's id ("cancel" is the other one). */
GtkWidget  *sb_passphrase_dialog_new            (GtkWindow          *parent,
                                                 SbPassphraseKind    kind,
                                                 const char         *heading,
                                                 const char         *response,
                                                 const char         *response_label);

/* What was typed; for NEW, NULL when empty (no passphrase). */
char       *sb_passphrase_dialog_dup_passphrase (SbPassphraseDialog *self);

/* Whether the entries agree (always TRUE for UNLOCK). */
gboolean    sb_passphrase_dialog_get_matches    (SbPassphraseDialog *self);

G_END_DECLS
