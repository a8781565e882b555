/* sb-field.h — one question of a call's forms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-call-parts.h"
#include "sb-expr.h"
#include "sb-number.h"
#include "sb-regex.h"

G_BEGIN_DECLS

/* Where a call states no length, a text is still bounded so that a draft at
 * the call's maxima prints: one technical limit per kind of text, ours, a
 * warning (problem code "technical_limit"), never a rule of the call. */
#define SB_TEXT_LIMIT 200        /* characters of a "text" field */
#define SB_TEXTAREA_LIMIT 10000  /* characters of a "textarea" field */

#define SB_TYPE_FIELD (sb_field_get_type ())

/* the largest max_length and max_rows a definition may set; also the most
 * rows a draft's table may have */
#define SB_FIELD_MAX_LENGTH 100000
#define SB_FIELD_MAX_ROWS 1000

G_DECLARE_FINAL_TYPE (SbField, sb_field, SB, FIELD, GObject)

typedef enum {
  SB_FIELD_TEXT,
  SB_FIELD_TEXTAREA,
  SB_FIELD_MONEY,
  SB_FIELD_INTEGER,
  SB_FIELD_DECIMAL,
  SB_FIELD_DATE,
  SB_FIELD_CHOICE,
  SB_FIELD_MULTI_CHOICE,
  SB_FIELD_YESNO,
  SB_FIELD_DECLARATION,
  SB_FIELD_PERSON,
  SB_FIELD_ORGANISATION,
  SB_FIELD_TABLE,
} SbFieldType;

typedef enum {
  SB_FORMAT_NONE,
  SB_FORMAT_USCC,
  SB_FORMAT_ID_CARD,
  SB_FORMAT_MOBILE,
  SB_FORMAT_EMAIL,
} SbFormat;

typedef struct _SbRule SbRule;

SbField            *sb_field_new_from_json     (JsonNode     *node,
                                                const char   *file,
                                                const char   *path,
                                                gboolean      is_column,
                                                GError      **error);
gboolean            sb_field_compile           (SbField                *self,
                                                const SbExprResolver   *resolver,
                                                const char             *file,
                                                GArray                 *programmes,
                                                GArray                 *guide_codes,
                                                GError                **error);

const char         *sb_field_get_id            (SbField      *self);
const char         *sb_field_get_path          (SbField      *self);
SbFieldType         sb_field_get_field_type    (SbField      *self);
SbExprType          sb_field_get_expr_type     (SbField      *self);
const SbText       *sb_field_get_label         (SbField      *self);
const SbText       *sb_field_get_help          (SbField      *self);
const SbText       *sb_field_get_text          (SbField      *self);
const SbCitation   *sb_field_get_citation      (SbField      *self);
gboolean            sb_field_get_required      (SbField      *self);
SbExpr             *sb_field_get_relevant      (SbField      *self);
SbExpr             *sb_field_get_calculate     (SbField      *self);
gboolean            sb_field_get_min_length    (SbField      *self,
                                                gint64       *out);
gboolean            sb_field_get_max_length    (SbField      *self,
                                                gint64       *out);
gboolean            sb_field_get_min           (SbField      *self,
                                                SbNumber     *out);
gboolean            sb_field_get_max           (SbField      *self,
                                                SbNumber     *out);
SbFormat            sb_field_get_format        (SbField      *self);
SbRegex            *sb_field_get_pattern       (SbField      *self);
const SbText       *sb_field_get_pattern_hint  (SbField      *self);
SbMoneyUnit         sb_field_get_unit          (SbField      *self);
guint               sb_field_get_decimals      (SbField      *self);
GArray             *sb_field_get_options       (SbField      *self);
const SbOption     *sb_field_find_option       (SbField      *self,
                                                const char   *value);
gboolean            sb_field_get_choice_limits (SbField      *self,
                                                gint64       *min,
                                                gint64       *max);
GPtrArray          *sb_field_get_children      (SbField      *self);
SbField            *sb_field_find_child        (SbField      *self,
                                                const char   *id);
gboolean            sb_field_get_row_limits    (SbField      *self,
                                                gint64       *min,
                                                gint64       *max);
GPtrArray          *sb_field_get_row_rules     (SbField      *self);
SbField            *sb_field_get_parent        (SbField      *self);
int                 sb_field_get_index         (SbField      *self);
void                sb_field_set_index         (SbField      *self,
                                                int           index);
int                 sb_field_get_step          (SbField      *self);
void                sb_field_set_step          (SbField      *self,
                                                int           step);

SbExprType          sb_field_type_to_expr_type (SbFieldType   type);
const char         *sb_field_type_to_string    (SbFieldType   type);

G_END_DECLS
