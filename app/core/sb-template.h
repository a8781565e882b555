/* sb-template.h — rule messages that show the values involved
 *
 * "研发总投入为{total_investment}，须超过150万元" renders the field's value
 * (money in 万元). Any expression can stand inside the braces; "{{" and "}}"
 * are literal braces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-expr.h"

G_BEGIN_DECLS

typedef struct _SbTemplate SbTemplate;

SbTemplate *sb_template_parse          (const char            *text,
                                        GError               **error);
gboolean    sb_template_check          (SbTemplate            *self,
                                        const SbExprResolver  *resolver,
                                        gpointer               row_table,
                                        GError               **error);
char       *sb_template_render         (SbTemplate            *self,
                                        SbEvalContext         *context,
                                        gboolean               chinese);
const char *sb_template_get_text       (SbTemplate            *self);
guint64     sb_template_get_cost       (SbTemplate            *self);
void        sb_template_free           (SbTemplate            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbTemplate, sb_template_free)

G_END_DECLS
