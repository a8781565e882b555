/* sb-value.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sb-value.h"

struct _SbValue {
  SbValueKind kind;
  union {
    gboolean    boolean;
    SbNumber    number;
    SbDate      date;
    GPtrArray  *list;
    GHashTable *record;
    struct {
      char  *text;
      glong  length;   /* in characters, counted once: texts can be megabytes */
    } string;
  };
};

G_DEFINE_BOXED_TYPE (SbValue, sb_value, sb_value_ref, sb_value_unref)

static void
sb_value_clear (SbValue *value)
{
  switch (value->kind)
    {
    case SB_VALUE_STRING:
      g_free (value->string.text);
      break;
    case SB_VALUE_LIST:
      g_ptr_array_unref (value->list);
      break;
    case SB_VALUE_RECORD:
      g_hash_table_unref (value->record);
      break;
    default:
      break;
    }
}

static SbValue *
sb_value_alloc (SbValueKind kind)
{
  SbValue *value = g_rc_box_new0 (SbValue);

  value->kind = kind;
  return value;
}

SbValue *
sb_value_ref (SbValue *value)
{
  return g_rc_box_acquire (value);
}

void
sb_value_unref (SbValue *value)
{
  g_rc_box_release_full (value, (GDestroyNotify) sb_value_clear);
}

SbValue *
sb_value_new_null (void)
{
  return sb_value_alloc (SB_VALUE_NULL);
}

SbValue *
sb_value_new_bool (gboolean boolean)
{
  SbValue *value = sb_value_alloc (SB_VALUE_BOOL);

  value->boolean = !!boolean;
  return value;
}

SbValue *
sb_value_new_number (SbNumber number)
{
  SbValue *value = sb_value_alloc (SB_VALUE_NUMBER);

  value->number = number;
  return value;
}

SbValue *
sb_value_new_string (const char *text)
{
  SbValue *value = sb_value_alloc (SB_VALUE_STRING);

  value->string.text = g_strdup (text);
  value->string.length = g_utf8_strlen (text, -1);
  return value;
}

SbValue *
sb_value_new_date (SbDate date)
{
  SbValue *value = sb_value_alloc (SB_VALUE_DATE);

  value->date = date;
  return value;
}

SbValue *
sb_value_new_list (void)
{
  SbValue *value = sb_value_alloc (SB_VALUE_LIST);

  value->list = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_value_unref);
  return value;
}

SbValue *
sb_value_new_record (void)
{
  SbValue *value = sb_value_alloc (SB_VALUE_RECORD);

  value->record = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) sb_value_unref);
  return value;
}

SbValueKind
sb_value_get_kind (const SbValue *value)
{
  return value == NULL ? SB_VALUE_NULL : value->kind;
}

gboolean
sb_value_get_bool (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_BOOL, FALSE);
  return value->boolean;
}

SbNumber
sb_value_get_number (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_NUMBER, sb_number_from_int (0));
  return value->number;
}

const char *
sb_value_get_string (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_STRING, NULL);
  return value->string.text;
}

glong
sb_value_get_length (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_STRING, 0);
  return value->string.length;
}

SbDate
sb_value_get_date (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_DATE, 0);
  return value->date;
}

GPtrArray *
sb_value_get_list (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_LIST, NULL);
  return value->list;
}

void
sb_value_list_append (SbValue *list,
                      SbValue *item)
{
  g_return_if_fail (list->kind == SB_VALUE_LIST);
  g_ptr_array_add (list->list, item);
}

SbValue *
sb_value_record_get (const SbValue *record,
                     const char    *member)
{
  if (record == NULL || record->kind != SB_VALUE_RECORD)
    return NULL;
  return g_hash_table_lookup (record->record, member);
}

void
sb_value_record_set (SbValue    *record,
                     const char *member,
                     SbValue    *value)
{
  g_return_if_fail (record->kind == SB_VALUE_RECORD);
  g_hash_table_replace (record->record, g_strdup (member), value);
}

GHashTable *
sb_value_get_record (const SbValue *value)
{
  g_return_val_if_fail (value->kind == SB_VALUE_RECORD, NULL);
  return value->record;
}

/* What "required" means: no answer, an empty or blank text, no choice in a
 * list, a record with nothing filled. */
gboolean
sb_value_is_empty (const SbValue *value)
{
  if (value == NULL)
    return TRUE;

  switch (value->kind)
    {
    case SB_VALUE_NULL:
      return TRUE;
    case SB_VALUE_STRING:
      for (const char *p = value->string.text; *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          return FALSE;
      return TRUE;
    case SB_VALUE_LIST:
      return value->list->len == 0;
    case SB_VALUE_RECORD:
      {
        GHashTableIter iter;
        gpointer member;

        g_hash_table_iter_init (&iter, value->record);
        while (g_hash_table_iter_next (&iter, NULL, &member))
          if (!sb_value_is_empty (member))
            return FALSE;
        return TRUE;
      }
    default:
      return FALSE;
    }
}
