/* sb-cli-pdf.h — the PDF half of `shenbao export`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-draft.h"

G_BEGIN_DECLS

/* Writes the printable application of @draft to @out_path (atomically),
 * carrying the application digest (sb-application-digest.h) in every footer and
 * the cover's QR code, and @key_fingerprint (may be NULL) in the QR code
 * when a signed bundle is written in the same run. @time_text: the export
 * time (ISO 8601) or NULL for now; @font, @heading_font: "FILE[:INDEX]" or
 * NULL for the fontconfig defaults. The draft's errors must have been
 * refused before (the PDF exporter refuses them again). Prints the notes
 * (missing official texts), the file written and the paper copies the call
 * asks for; returns an SB_EXIT_* status. */
int sb_cli_export_pdf (SbDraft    *draft,
                       const char *out_path,
                       const char *time_text,
                       const char *font,
                       const char *heading_font,
                       const char *key_fingerprint);

G_END_DECLS
