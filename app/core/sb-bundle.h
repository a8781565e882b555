/* sb-bundle.h — the signed JSON bundle: export, verify, extract
 *
 * One JSON file (docs/bundle.md) that proves which call and rules an
 * application was checked against, what was entered, which files were
 * attached, and that none of it changed after signing: `manifest` (see
 * sb-application.h for its `application`), `definition` (the exact call
 * definition), `files` (attachments, base64, keyed by SHA-256) and
 * `signature`, a flattened JWS with a detached, unencoded payload (RFC
 * 7797), Ed25519, over the RFC 8785 canonical form of `manifest`.
 *
 * Attachments are streamed both ways: export writes each file's base64
 * while hashing it, verification decodes and hashes each `files` entry in
 * chunks; only the manifest, the definition and the signature are held in
 * memory (together at most SB_JSON_MAX_BYTES).
 *
 * Nothing here prints. Failures of the operation itself are GErrors;
 * what verification finds is an SbBundleReport.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-key.h"
#include "sb-validator.h"

G_BEGIN_DECLS

#define SB_BUNDLE_FORMAT "shenbao-bundle"
#define SB_BUNDLE_FORMAT_VERSION 1

/* The first integrity failure found, in the order they are checked. */
typedef enum {
  SB_BUNDLE_INTACT,
  SB_BUNDLE_UNREADABLE,            /* the file cannot be opened or read */
  SB_BUNDLE_MALFORMED,             /* not a bundle, or a member is missing or wrong */
  SB_BUNDLE_WRONG_KEY,             /* signed by a key other than the one required */
  SB_BUNDLE_VALUE_CHANGED,         /* the signature does not match the manifest */
  SB_BUNDLE_DEFINITION_MISMATCH,   /* the definition is not the one the manifest names */
  SB_BUNDLE_ATTACHMENT_MISMATCH,   /* a file's digest or size is not the manifest's */
} SbBundleIntegrity;

typedef struct {
  char              *file;                 /* display name of the bundle */
  SbBundleIntegrity  integrity;
  char              *reason;               /* why not intact, naming the JSON path; NULL when intact */

  /* known once the manifest is read (NULL otherwise) */
  char              *fingerprint;          /* kid: RFC 7638 thumbprint of the signing key */
  char              *application_digest;
  char              *call_id;
  gint64             call_version;
  char              *title;
  char              *applicant;
  char              *created;
  guint              attachments;

  /* re-validation now, with the embedded definition (only when intact) */
  gboolean           revalidated;
  gboolean           definition_built_in;  /* identical to this Shenbao's built-in definition */
  char              *revalidation_failure; /* the definition or values do not load now; NULL otherwise */
  GPtrArray         *problems;             /* SbProblem, when revalidated */
  guint              errors;
  guint              warnings;
} SbBundleReport;

void            sb_bundle_report_free       (SbBundleReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbBundleReport, sb_bundle_report_free)

const char     *sb_bundle_integrity_to_string (SbBundleIntegrity integrity);

/* Writes the bundle of @draft to @out atomically (mode 0600: it carries ID
 * numbers and every attachment), signed with @key. @problems: the result
 * of sb_validator_validate (@draft, SB_VALIDATE_FILES), or NULL to
 * validate here; any error refuses the export (SB_ERROR_INVALID_DRAFT).
 * @application_digest (may be NULL) receives the application digest. */
gboolean        sb_bundle_export            (SbDraft      *draft,
                                             SbKey        *key,
                                             GFile        *out,
                                             GPtrArray    *problems,
                                             char        **application_digest,
                                             GError      **error);

/* The same, with the @validator that returned @problems (validated with
 * SB_VALIDATE_FILES): each attachment streamed into the bundle must have
 * the size and SHA-256 that validation read, else the export fails naming
 * the slot and the file, and nothing is written. sb_bundle_export() with
 * @problems NULL does this with a validator of its own. */
gboolean        sb_bundle_export_validated  (SbDraft      *draft,
                                             SbKey        *key,
                                             GFile        *out,
                                             SbValidator  *validator,
                                             GPtrArray    *problems,
                                             char        **application_digest,
                                             GError      **error);

/* The private working folders (sb-work-folder.h) of a verification, in
 * the temporary folder, and of an extraction, in its destination: each
 * sweeps the ones a killed process left before it makes its own. */
#define SB_BUNDLE_VERIFY_PREFIX "shenbao-verify-"
#define SB_BUNDLE_EXTRACT_PREFIX ".shenbao-extract-"

/* Checks @bundle: format, signature (with @trusted, if given, the key it
 * must be signed with), the definition's digest, every file's digest and
 * size; when intact, re-validates it with the embedded definition.
 * Returns a report (never NULL). */
SbBundleReport *sb_bundle_verify            (GFile        *bundle,
                                             SbKey        *trusted,
                                             GCancellable *cancellable);

/* Verifies @bundle and, when intact, writes into @directory the draft
 * (draft.json), its attachments (attachments/SLOT/NAME) and the call
 * definition (CALL-vVERSION.json, exact bytes), so that
 * `shenbao validate --forms DIR/CALL-vVERSION.json DIR/draft.json` opens
 * it again. Refuses when @directory already holds any of these. The
 * report (may be NULL) says what was found; a bundle that is not intact
 * is an error too and nothing is written. */
gboolean        sb_bundle_extract           (GFile        *bundle,
                                             GFile        *directory,
                                             SbKey        *trusted,
                                             SbBundleReport **report,
                                             GError      **error);

G_END_DECLS
