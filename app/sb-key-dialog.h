/* sb-key-dialog.h — the applicant's signing key, in the app
 *
 * What `shenbao key show|export|import` does on the command line: shows
 * the key fingerprint (the RFC 7638 thumbprint every signed bundle
 * carries), where the key file is and whether a passphrase protects it;
 * makes a key before the first export if asked; saves the public key as
 * JWK or PEM (the bytes `shenbao key export` writes); imports a PKCS#8
 * key, keeping the replaced one as a backup. File work runs in a worker
 * thread.
 *
 * Widget actions: key.create, key.unlock, key.copy-fingerprint, and
 * key.export-jwk, key.export-pem, key.import, whose string parameter is a
 * path ('' asks with the file chooser).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-key.h"

G_BEGIN_DECLS

#define SB_TYPE_KEY_DIALOG (sb_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SbKeyDialog, sb_key_dialog, SB, KEY_DIALOG, AdwPreferencesWindow)

GtkWidget  *sb_key_dialog_new             (GtkWindow   *parent);

/* What the file choosers lead to, for a file already chosen. */
void        sb_key_dialog_export_public   (SbKeyDialog *self,
                                           SbKeyFormat  format,
                                           GFile       *target);
void        sb_key_dialog_import          (SbKeyDialog *self,
                                           GFile       *source);

/* What the dialog shows: the fingerprint (NULL while there is no usable
 * or unlocked key), why the key cannot be used (NULL if it can), and
 * whether a worker runs. */
const char *sb_key_dialog_get_fingerprint (SbKeyDialog *self);
const char *sb_key_dialog_get_problem     (SbKeyDialog *self);
gboolean    sb_key_dialog_get_busy        (SbKeyDialog *self);

G_END_DECLS
