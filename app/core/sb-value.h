/* sb-value.h — one typed value of a draft
 *
 * A draft's values are a tree of SbValue: scalars, lists (multi-choice
 * answers, table rows) and records (a person, an organisation, a table row).
 * Money is an integer number of 元 held as an SbNumber.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-date.h"
#include "sb-number.h"

G_BEGIN_DECLS

#define SB_TYPE_VALUE (sb_value_get_type ())

typedef enum {
  SB_VALUE_NULL,
  SB_VALUE_BOOL,
  SB_VALUE_NUMBER,
  SB_VALUE_STRING,
  SB_VALUE_DATE,
  SB_VALUE_LIST,
  SB_VALUE_RECORD,
} SbValueKind;

typedef struct _SbValue SbValue;

GType        sb_value_get_type      (void) G_GNUC_CONST;

SbValue     *sb_value_new_null      (void);
SbValue     *sb_value_new_bool      (gboolean     value);
SbValue     *sb_value_new_number    (SbNumber     value);
SbValue     *sb_value_new_string    (const char  *value);
SbValue     *sb_value_new_date      (SbDate       value);
SbValue     *sb_value_new_list      (void);
SbValue     *sb_value_new_record    (void);

SbValue     *sb_value_ref           (SbValue     *value);
void         sb_value_unref         (SbValue     *value);

SbValueKind  sb_value_get_kind      (const SbValue *value);
gboolean     sb_value_get_bool      (const SbValue *value);
SbNumber     sb_value_get_number    (const SbValue *value);
const char  *sb_value_get_string    (const SbValue *value);
glong        sb_value_get_length    (const SbValue *value);
SbDate       sb_value_get_date      (const SbValue *value);

GPtrArray   *sb_value_get_list      (const SbValue *value);
void         sb_value_list_append   (SbValue     *list,
                                     SbValue     *item);

SbValue     *sb_value_record_get    (const SbValue *record,
                                     const char    *member);
void         sb_value_record_set    (SbValue     *record,
                                     const char  *member,
                                     SbValue     *value);
GHashTable  *sb_value_get_record    (const SbValue *value);

gboolean     sb_value_is_empty      (const SbValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbValue, sb_value_unref)

G_END_DECLS
