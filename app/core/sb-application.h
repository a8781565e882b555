/* sb-application.h — what an application says, as signed and as printed
 *
 * The application object is the part of a signed bundle that identifies
 * what was handed in (docs/bundle.md, `manifest.application`):
 *
 *   {
 *     "call": { "id": "…", "version": 1, "definition_sha256": "<hex>" },
 *     "values": { <field id>: <value>, … },
 *     "attachments": [ { "slot": "…", "name": "…", "media_type": "…",
 *                        "size": 622, "sha256": "<hex>" }, … ]
 *   }
 *
 * - `definition_sha256`: SHA-256 of the exact bytes of the call definition
 *   (sb_call_get_bytes()).
 * - `values`: the values the applicant entered, of relevant top-level
 *   fields only (a hidden field's value stays in the draft, never in a
 *   bundle or a PDF); calculated fields are not stored, they follow from
 *   the definition. Encoded as in a draft (docs/draft-format.md): money
 *   as an integer number of 元, decimals as exact text, dates as
 *   "YYYY-MM-DD"; so every number is an integer.
 * - `attachments`: the files of the attachment slots that are relevant,
 *   in the order of the call's slots and, within one, of the draft;
 *   `name` is the file's base name, `media_type` follows from its
 *   extension (sb_application_media_type()), `size` and `sha256` are of
 *   the file's bytes as read now.
 *
 * The application digest is the SHA-256 (lower-case hex) of the RFC 8785
 * canonical form of that object (sb-jcs.h). The PDF prints it (its first
 * 16 hex digits on every page) and `shenbao verify` shows it, so paper and
 * bundle can be matched.
 *
 * Nothing here prints; every failure (an unreadable attachment, a number
 * canonical JSON cannot hold) is a GError in SB_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-draft.h"

G_BEGIN_DECLS

#define SB_SHA256_HEX_LENGTH 64

/* One attached file as the application lists it. */
typedef struct {
  char   *slot;        /* the call's attachment id */
  char   *name;        /* base name of the file */
  char   *media_type;
  GFile  *file;        /* resolved against the draft's folder */
  gint64  size;        /* -1 until hashed */
  char   *sha256;      /* NULL until hashed */
} SbApplicationFile;

void        sb_application_file_free       (SbApplicationFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbApplicationFile, sb_application_file_free)

/* The application object of @draft: runs the validator for relevance and
 * reads every attached file of a relevant slot once to hash it. */
JsonNode   *sb_application_build           (SbDraft     *draft,
                                            GError     **error);

/* SHA-256 (hex) of the canonical form of an application object. */
char       *sb_application_digest          (JsonNode    *application,
                                            GError     **error);

/* Both of the above: the digest the PDF prints for @draft. */
char       *sb_application_compute_digest  (SbDraft     *draft,
                                            GError     **error);

/* For writers that read each file anyway (the bundle exporter): the files
 * of the relevant slots, not yet hashed (size -1, sha256 NULL) … */
GPtrArray  *sb_application_list_files      (SbDraft     *draft);
/* … and the application object from those files once each has its size
 * and sha256 filled in. */
JsonNode   *sb_application_build_with_files (SbDraft    *draft,
                                             GPtrArray  *files,
                                             GError    **error);

/* The media type recorded for a file name: by its extension (pdf, jpg,
 * jpeg, png, ofd, zip, doc, docx, xls, xlsx, txt), else
 * "application/octet-stream". Never guessed from the content, so the
 * same file gives the same digest on every machine. */
const char *sb_application_media_type      (const char  *name);

/* Streams @file through SHA-256 (OpenSSL EVP) in 1 MiB chunks. */
gboolean    sb_sha256_file                 (GFile       *file,
                                            char       **sha256,
                                            gint64      *size,
                                            GError     **error);
/* SHA-256 of a buffer, lower-case hex. */
char       *sb_sha256_hex                  (const void  *data,
                                            gsize        length);

G_END_DECLS
