/* sb-bundle-view.h — a signed bundle opened to be read, and copied to be edited
 *
 * Someone who receives a bundle (a recommending unit, or the applicant
 * again) opens it to read it: the bundle is verified and extracted
 * (sb_bundle_extract) into a private temporary folder, never into the
 * drafts folder, and its draft is loaded with the call definition the
 * bundle carries. The folder is removed when the view is closed or
 * finalized, and marked in use meanwhile: after a crash, the next view
 * opened (or the app's start) removes it (sb_work_folder_sweep). Nothing
 * here writes to the draft: editing starts from a copy in the drafts
 * folder (sb_bundle_view_copy_to_store).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-bundle.h"
#include "sb-draft-store.h"

G_BEGIN_DECLS

#define SB_BUNDLE_VIEW_SUFFIX ".shenbao.json"
/* the private folders in the temporary folder (sb-work-folder.h) */
#define SB_BUNDLE_VIEW_PREFIX "shenbao-bundle-"
/* data/shenbao-mime.xml: *.shenbao.json, a sub-class of application/json */
#define SB_BUNDLE_MIME_TYPE "application/x-shenbao-bundle"

#define SB_TYPE_BUNDLE_VIEW (sb_bundle_view_get_type ())

G_DECLARE_FINAL_TYPE (SbBundleView, sb_bundle_view, SB, BUNDLE_VIEW, GObject)

/* Whether @file is to be opened as a bundle: named *.shenbao.json, or a
 * JSON object whose first member is "format": "shenbao-bundle" (how
 * Shenbao writes bundles, whatever the file was renamed to). */
gboolean        sb_bundle_view_is_bundle       (GFile         *file);

/* Verifies @bundle (integrity: format, signature, the definition's digest,
 * every attachment's digest and size) and, only when it is intact,
 * extracts it into a new private folder under the temporary directory and
 * loads its draft. An integrity failure (malformed, wrong key, value
 * changed, definition or attachment mismatch) is SB_ERROR_INVALID_INPUT
 * whose message names the file and the first reason; a file that cannot
 * be read, or an intact bundle whose draft does not load now, is another
 * error. Nothing is left on disk.
 * Reads the whole bundle: call it from a worker thread in a window. */
SbBundleView   *sb_bundle_view_open            (GFile         *bundle,
                                                GError       **error);

GFile          *sb_bundle_view_get_file        (SbBundleView  *self);
/* The private folder the bundle was extracted into (NULL once closed). */
GFile          *sb_bundle_view_get_folder      (SbBundleView  *self);
const SbBundleReport *sb_bundle_view_get_report (SbBundleView *self);
/* The draft as the bundle holds it; its file is in the private folder. */
SbDraft        *sb_bundle_view_get_draft       (SbBundleView  *self);

/* A new draft in @store with the bundle's values, attachments and
 * acknowledgements, titled as a copy; returns its id. The store's catalog
 * must know the bundle's call: a definition it lacks is added to the
 * user's calls folder (@added_call set TRUE); one it holds with other
 * bytes under the same id and version is refused. */
char           *sb_bundle_view_copy_to_store   (SbBundleView  *self,
                                                SbDraftStore  *store,
                                                gboolean      *added_call,
                                                GError       **error);

/* Removes the private folder. Idempotent; finalize does it too. */
void            sb_bundle_view_close           (SbBundleView  *self);

G_END_DECLS
