/* sb-validator.h — every check of a call, run over a draft
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-call.h"
#include "sb-draft.h"
#include "sb-problem.h"

G_BEGIN_DECLS

#define SB_TYPE_VALIDATOR (sb_validator_get_type ())

G_DECLARE_FINAL_TYPE (SbValidator, sb_validator, SB, VALIDATOR, GObject)

typedef enum {
  SB_VALIDATE_DEFAULT = 0,
  SB_VALIDATE_FILES   = 1 << 0,  /* open attached files: existence, size, format, digest */
} SbValidateFlags;

SbValidator    *sb_validator_new                 (SbCall           *call);
GPtrArray      *sb_validator_validate            (SbValidator      *self,
                                                  SbDraft          *draft,
                                                  SbValidateFlags   flags);
const SbValue  *sb_validator_get_value           (SbValidator      *self,
                                                  SbField          *field);
gboolean        sb_validator_is_relevant         (SbValidator      *self,
                                                  SbField          *field);
/* After sb_validator_validate(): the notices for @audience (procedure the
 * app cannot check) that apply to the draft, in the call's order; const
 * SbNotice*, owned by the call. */
GPtrArray      *sb_validator_get_notices         (SbValidator      *self,
                                                  SbAudience        audience);
/* After a run, over the same draft: whether a step is shown, and the verdict
 * of a condition (an option's or attachment's `relevant`), unknown_result
 * when it cannot be decided yet. */
gboolean        sb_validator_is_step_shown       (SbValidator      *self,
                                                  guint             step_index);
gboolean        sb_validator_check_condition     (SbValidator      *self,
                                                  SbExpr           *condition,
                                                  gboolean          unknown_result);

void            sb_problems_count                (GPtrArray        *problems,
                                                  guint            *errors,
                                                  guint            *warnings,
                                                  guint            *infos);

/* After sb_validator_validate (…, SB_VALIDATE_FILES): the size and
 * SHA-256 (lower-case hex, owned by @self) of the attached @file as that
 * validation read it; FALSE when it did not read the file whole (missing,
 * unreadable, over its size limit, or validated without files). Writers
 * that read the file again (the bundle export) compare against this. */
gboolean        sb_validator_get_file_digest     (SbValidator      *self,
                                                  GFile            *file,
                                                  gint64           *size,
                                                  const char      **sha256);

/* evaluation steps the last validation spent (at most SB_EXPR_MAX_STEPS) */
guint64         sb_validator_get_steps        (SbValidator     *self);

G_END_DECLS
