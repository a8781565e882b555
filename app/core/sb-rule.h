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
const char        *sb_rule_get_path        (SbRule                *self);
SbSeverity         sb_rule_get_severity    (SbRule                *self);
SbExpr            *sb_rule_get_when        (SbRule                *self);
SbExpr            *sb_rule_get_check       (SbRule                *self);
SbTemplate        *sb_rule_get_message     (SbRule                *self,
                                            gboolean               chinese);
const SbCitation  *sb_rule_get_citation    (SbRule                *self);
GPtrArray         *sb_rule_get_fields      (SbRule                *self);

G_END_DECLS
