/* sb-jcs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-jcs.h"

/* UTF-16 order differs from code point (and UTF-8 byte) order only where a
 * character beyond the BMP (a surrogate pair, D800–DFFF) meets one in
 * E000–FFFF: compare code points, mapping those beyond the BMP to their
 * high surrogate first. */
static gunichar2
first_unit (gunichar c)
{
  return c >= 0x10000 ? (gunichar2) (0xD800 + ((c - 0x10000) >> 10)) : (gunichar2) c;
}

static gunichar2
second_unit (gunichar c)
{
  return (gunichar2) (0xDC00 + ((c - 0x10000) & 0x3FF));
}

int
sb_jcs_compare_names (const char *a,
                      const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      gunichar ca = g_utf8_get_char (a);
      gunichar cb = g_utf8_get_char (b);
      gunichar2 ua, ub;

      if (ca == cb)
        {
          a = g_utf8_next_char (a);
          b = g_utf8_next_char (b);
          continue;
        }
      ua = first_unit (ca);
      ub = first_unit (cb);
      if (ua != ub)
        return ua < ub ? -1 : 1;
      /* same high surrogate: both beyond the BMP */
      ua = second_unit (ca);
      ub = second_unit (cb);
      return ua < ub ? -1 : 1;
    }
  if (*a == '\0' && *b == '\0')
    return 0;
  return *a == '\0' ? -1 : 1;
}

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return sb_jcs_compare_names (*(const char **) a, *(const char **) b);
}

static gboolean
append_value (GString   *out,
              JsonNode  *node,
              GError   **error)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s", _("a string is not valid UTF-8"));
          return FALSE;
        }
      append_string (out, text);
    }
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value > SB_JCS_MAX_SAFE_INTEGER || value < -SB_JCS_MAX_SAFE_INTEGER)
        {
          g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                       _("the integer %" PRId64 " is beyond ±2^53, which canonical JSON cannot hold exactly"), value);
          return FALSE;
        }
      g_string_append_printf (out, "%" PRId64, value);
    }
  else
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s",
                   _("a number is not an integer; signed data holds integers only"));
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_jcs_append (GString   *out,
               JsonNode  *node,
               GError   **error)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;

    case JSON_NODE_VALUE:
      return append_value (out, node, error);

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!sb_jcs_append (out, json_array_get_element (array, i), error))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          {
            if (!g_utf8_validate (l->data, -1, NULL))
              {
                g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s", _("a member name is not valid UTF-8"));
                return FALSE;
              }
            g_ptr_array_add (names, l->data);
          }
        g_ptr_array_sort (names, compare_members);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            append_string (out, name);
            g_string_append_c (out, ':');
            if (!sb_jcs_append (out, json_object_get_member (object, name), error))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return TRUE;
      }
    }
  g_assert_not_reached ();
}

char *
sb_jcs_serialize (JsonNode  *node,
                  gsize     *length,
                  GError   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!sb_jcs_append (out, node, error))
    return NULL;
  if (length != NULL)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
