/* sb-pdf-export.h — the printable 申报书 of a draft, as PDF
 *
 * Lays out the call definition's print template (sb-print-template.h) over
 * the draft's values with the PDF writer (sb-pdf-writer.h). Needs no display
 * and no GTK: the CLI and the app call the same function.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-draft.h"
#include "sb-pdf-writer.h"

G_BEGIN_DECLS

typedef struct {
  const char      *digest;           /* application digest, 64 hex digits; NULL: not printed */
  const char      *key_fingerprint;  /* JWK thumbprint of the signing key, when exported with a bundle */
  GDateTime       *time;             /* export time (metadata); NULL: now */
  SbPdfFontChoice  fonts;
} SbPdfExportOptions;

/* Lays out the whole 申报书. notes (may be NULL) receives SbText* remarks the
 * applicant must see, e.g. an official text this definition does not hold. */
GBytes   *sb_pdf_export_bytes   (SbDraft                  *draft,
                                 const SbPdfExportOptions *options,
                                 GPtrArray                *notes,
                                 GError                  **error);
/* Refuses while the draft has errors (the verdict of `shenbao validate`),
 * then writes the PDF atomically. */
gboolean  sb_pdf_export_file    (SbDraft                  *draft,
                                 const SbPdfExportOptions *options,
                                 GFile                    *file,
                                 GPtrArray                *notes,
                                 GError                  **error);
/* The number of paper copies the call (or the chosen programme) asks for;
 * 0 when it asks for none: the print dialog's default. */
gint64    sb_pdf_export_copies  (SbDraft                  *draft);
/* Whether the PDF is laid out for double-sided printing: the call's print
 * template mirrors the margins on even pages (GB/T 9704-2012 9.2). The
 * print dialog then defaults to duplex, long edge. */
gboolean  sb_pdf_export_two_sided (SbDraft                *draft);

G_END_DECLS
