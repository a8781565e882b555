/* fuzz-draft.c — the draft loader and the validator on arbitrary bytes
 *
 * Drafts are read against the built-in calls; one that loads is validated
 * (without opening attached files) and written back out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-validator.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static SbCatalog *catalog;

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  if (catalog == NULL)
    {
      catalog = sb_catalog_new ();
      sb_catalog_add_builtin (catalog);
    }

  draft = sb_draft_load_bytes (bytes, "fuzz-draft.json", catalog, &error);
  g_assert_true ((draft == NULL) != (error == NULL));
  if (draft == NULL)
    return 0;

  validator = sb_validator_new (sb_draft_get_call (draft));
  problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
  g_assert_nonnull (problems);
  g_free (sb_draft_to_data (draft, NULL));
  return 0;
}
