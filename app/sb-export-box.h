/* sb-export-box.h — the review step's export: PDF, signed bundle, print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-draft.h"

G_BEGIN_DECLS

#define SB_TYPE_EXPORT_BOX (sb_export_box_get_type ())

G_DECLARE_FINAL_TYPE (SbExportBox, sb_export_box, SB, EXPORT_BOX, GtkBox)

/* Widget actions, each with a string parameter: a path to write to, or ""
 * to ask with a file chooser (or, for print, to show the print dialog):
 *   export.pdf     the printable 申报书
 *   export.bundle  the signed bundle
 *   export.both    the bundle, then the PDF carrying its key fingerprint;
 *                  the path is a folder (the chooser asks for one), where
 *                  TITLE.pdf and TITLE.shenbao.json are written, TITLE the
 *                  draft's title, with " (2)"… rather than replace a file
 *   export.print   the last exported PDF's pages through GtkPrintOperation;
 *                  a path exports the print job there as PDF instead
 *   export.open    (no parameter) the last exported PDF in the default viewer */
GtkWidget        *sb_export_box_new                (SbDraft     *draft);
/* For a signed bundle being read (sb_wizard_new_read_only): only the PDF
 * is exported, and printed; a bundle is never signed again as it is.
 * signer (may be NULL): the verified bundle's key fingerprint, which the
 * PDF's QR code then carries (`key=`) and the box shows after export. */
void              sb_export_box_set_read_only      (SbExportBox *self,
                                                    const char  *signer);
/* The full check's problems: errors disable the export actions; warnings
 * not acknowledged are listed for confirmation before export. */
void              sb_export_box_set_problems       (SbExportBox *self,
                                                    GPtrArray   *problems);
/* While an export runs in its worker thread (tests wait on this). */
gboolean          sb_export_box_get_busy           (SbExportBox *self);
/* What the box shows after an export (NULL before): the application digest,
 * the key fingerprint (bundles only), the PDF written. */
const char       *sb_export_box_get_digest         (SbExportBox *self);
const char       *sb_export_box_get_fingerprint    (SbExportBox *self);
GFile            *sb_export_box_get_pdf            (SbExportBox *self);
/* The settings the print dialog opens with: the call's copy count. */
GtkPrintSettings *sb_export_box_get_print_settings (SbExportBox *self);

G_END_DECLS
