/* sb-rule.h — one rule of a call's guide, as data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-call-parts.h"
#include "sb-expr.h"
#include "sb-problem.h"
#include "sb-template.h"

G_BEGIN_DECLS

#define SB_TYPE_RULE (sb_rule_get_type ())

G_DECLARE_FINAL_TYPE (SbRule, sb_rule, SB, RULE, GObject)

/* What a rule rests on. Only a condition the call document states (CALL)
 * must cite a clause; a self-contradiction of the application
 * (CONSISTENCY) or a malformed identifier (FORMAT) may block export
 * without one; our own plausibility checks (OURS) never block. */
typedef enum {
  SB_RULE_BASIS_CALL,
  SB_RULE_BASIS_CONSISTENCY,
  SB_RULE_BASIS_FORMAT,
  SB_RULE_BASIS_OURS,
} SbRuleBasis;

typedef enum {
  SB_RULE_KIND_CHECK,          /* "check": an expression over the draft */
  SB_RULE_KIND_BLIND_REVIEW,   /* identities must not appear in blind fields and files */
} SbRuleKind;

typedef struct _SbField SbField;

typedef enum {
  SB_IDENTITY_ORGANISATION,   /* a unit's name or short form: an error when found */
  SB_IDENTITY_CODE,           /* an identifier such as the USCC: an error */
  SB_IDENTITY_PERSON,         /* a person's name: an error from 3 characters, a warning below */
} SbIdentityKind;

typedef struct {
  char           *source;
  char           *path;
  SbIdentityKind  kind;
  SbExpr         *expr;
} SbIdentity;

SbRule            *sb_rule_new_from_json   (JsonNode              *node,
                                            const char            *file,
                                            const char            *path,
                                            GError               **error);
gboolean           sb_rule_read_array      (SbJsonReader          *reader,
                                            const char            *member,
                                            GPtrArray             *out,
                                            GError               **error);
gboolean           sb_rule_compile         (SbRule                *self,
                                            const SbExprResolver  *resolver,
                                            const char            *file,
                                            gpointer               row_table,    /* SbField */
                                            GError               **error);

const char        *sb_rule_get_id          (SbRule                *self);
SbRuleKind         sb_rule_get_kind        (SbRule                *self);
SbRuleBasis        sb_rule_get_basis       (SbRule                *self);
const char        *sb_rule_basis_to_string (SbRuleBasis            basis);
GStrv              sb_rule_get_blind_field_ids      (SbRule       *self);
GStrv              sb_rule_get_blind_attachment_ids (SbRule       *self);
GPtrArray         *sb_rule_get_identities  (SbRule                *self);
const char        *sb_rule_get_path        (SbRule                *self);
SbSeverity         sb_rule_get_severity    (SbRule                *self);
SbExpr            *sb_rule_get_when        (SbRule                *self);
SbExpr            *sb_rule_get_check       (SbRule                *self);  /* NULL for a blind review */
SbTemplate        *sb_rule_get_message     (SbRule                *self,
                                            gboolean               chinese);
const SbCitation  *sb_rule_get_citation    (SbRule                *self);
GPtrArray         *sb_rule_get_fields      (SbRule                *self);
void               sb_rule_label_problem   (SbRule                *self,
                                            SbProblem             *problem);

G_END_DECLS
