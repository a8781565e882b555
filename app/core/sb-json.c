/* sb-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-file.h"
#include "sb-json.h"


typedef enum { FRAME_OBJECT, FRAME_ARRAY } FrameKind;

typedef struct {
  FrameKind   kind;
  guint       index;
  char       *key;
  GHashTable *keys;
  gboolean    expect_key;
} Frame;

/* What the grammar allows next. */
typedef enum {
  EXPECT_VALUE,
  EXPECT_VALUE_OR_CLOSE,   /* just after "[" */
  EXPECT_KEY,              /* after "," in an object */
  EXPECT_KEY_OR_CLOSE,     /* just after "{" */
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE,
  EXPECT_END,
} Expect;

typedef struct {
  const char *data;
  gsize       length;
  gsize       pos;
  guint       line;
  guint       column;
  const char *name;
  Frame       frames[SB_JSON_MAX_DEPTH + 1];
  guint       depth;
  Expect      expect;
  guint       values;
} Scan;

char *
sb_json_path_member (const char *parent,
                     const char *member)
{
  gboolean plain = member[0] != '\0' && !g_ascii_isdigit (member[0]);

  for (const char *p = member; plain && *p; p++)
    plain = g_ascii_isalnum (*p) || *p == '_';

  if (plain)
    return g_strdup_printf ("%s.%s", parent, member);
  else
    {
      g_autoptr(GString) quoted = g_string_new (parent);

      g_string_append (quoted, "[\"");
      for (const char *p = member; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (quoted, '\\');
          g_string_append_c (quoted, *p);
        }
      g_string_append (quoted, "\"]");
      return g_string_free (g_steal_pointer (&quoted), FALSE);
    }
}

char *
sb_json_path_index (const char *parent,
                    guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

const char *
sb_json_node_type_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true/false");
    case G_TYPE_INT64:
      return _("an integer");
    default:
      return _("a decimal number");
    }
}

static char *
scan_path (Scan *scan)
{
  g_autofree char *path = g_strdup ("$");

  for (guint i = 0; i < scan->depth; i++)
    {
      Frame *frame = &scan->frames[i];
      char *next = NULL;

      if (frame->kind == FRAME_ARRAY)
        next = sb_json_path_index (path, frame->index);
      else if (frame->key != NULL)
        next = sb_json_path_member (path, frame->key);
      else
        continue;
      g_free (path);
      path = next;
    }

  return g_steal_pointer (&path);
}

static gboolean
scan_fail (Scan        *scan,
           GError     **error,
           const char  *format,
           ...) G_GNUC_PRINTF (3, 4);

static gboolean
scan_fail (Scan        *scan,
           GError     **error,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  g_autofree char *path = scan_path (scan);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* TRANSLATORS: "line 3, column 7 (at $.values.name): <problem>" */
  g_set_error (error, SB_ERROR, SB_ERROR_PARSE, _("%s: line %u, column %u (at %s): %s"),
               scan->name, scan->line, scan->column, path, message);
  return FALSE;
}

static void
scan_advance (Scan *scan,
              gsize n)
{
  for (gsize i = 0; i < n && scan->pos < scan->length; i++)
    {
      guchar c = scan->data[scan->pos++];

      if (c == '\n')
        {
          scan->line++;
          scan->column = 1;
        }
      else if ((c & 0xC0) != 0x80)
        scan->column++;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
scan_unicode_escape (Scan     *scan,
                     gsize     at,
                     gunichar *out)
{
  gunichar value = 0;

  if (at + 4 > scan->length)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_value (scan->data[at + i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  *out = value;
  return TRUE;
}

/* Reads a string token; returns its decoded text when @decoded is not NULL. */
static gboolean
scan_string (Scan     *scan,
             GString  *decoded,
             GError  **error)
{
  gsize start = scan->pos;

  scan_advance (scan, 1);
  while (scan->pos < scan->length)
    {
      char c = scan->data[scan->pos];

      if (c == '"')
        {
          scan_advance (scan, 1);
          return TRUE;
        }
      /* bytes as written, escapes included, between the quotes */
      if (scan->pos - (start + 1) >= SB_JSON_MAX_STRING_BYTES)
        return scan_fail (scan, error, _("a string is longer than %d MiB"),
                          SB_JSON_MAX_STRING_BYTES / (1024 * 1024));
      if ((guchar) c < 0x20)
        return scan_fail (scan, error, _("a control character inside a string must be escaped"));
      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, c);
          scan_advance (scan, 1);
          continue;
        }

      if (scan->pos + 1 >= scan->length)
        break;
      c = scan->data[scan->pos + 1];
      if (c == 'u')
        {
          gunichar ch;

          if (!scan_unicode_escape (scan, scan->pos + 2, &ch))
            return scan_fail (scan, error, _("“\\u” must be followed by four hexadecimal digits"));
          if (ch == 0)
            return scan_fail (scan, error, _("the string contains a NUL character (\\u0000)"));
          if (ch >= 0xDC00 && ch <= 0xDFFF)
            return scan_fail (scan, error, _("the string contains a lone UTF-16 low surrogate"));
          if (ch >= 0xD800 && ch <= 0xDBFF)
            {
              gunichar low;

              if (scan->pos + 12 <= scan->length &&
                  scan->data[scan->pos + 6] == '\\' && scan->data[scan->pos + 7] == 'u' &&
                  scan_unicode_escape (scan, scan->pos + 8, &low) &&
                  low >= 0xDC00 && low <= 0xDFFF)
                {
                  ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
                  scan_advance (scan, 6);
                }
              else
                return scan_fail (scan, error, _("the string contains a lone UTF-16 high surrogate"));
            }
          if (decoded != NULL)
            g_string_append_unichar (decoded, ch);
          scan_advance (scan, 6);
          continue;
        }

      if (decoded != NULL)
        {
          switch (c)
            {
            case 'n': g_string_append_c (decoded, '\n'); break;
            case 't': g_string_append_c (decoded, '\t'); break;
            case 'r': g_string_append_c (decoded, '\r'); break;
            case 'b': g_string_append_c (decoded, '\b'); break;
            case 'f': g_string_append_c (decoded, '\f'); break;
            default: g_string_append_c (decoded, c); break;
            }
        }
      scan_advance (scan, 2);
    }

  return scan_fail (scan, error, _("a string is not terminated"));
}

static gboolean
is_delimiter (Scan *scan)
{
  char c;

  if (scan->pos >= scan->length)
    return TRUE;
  c = scan->data[scan->pos];
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}';
}

static gboolean
skip_digits (Scan *scan)
{
  gsize start = scan->pos;

  while (scan->pos < scan->length && g_ascii_isdigit (scan->data[scan->pos]))
    scan->pos++;
  return scan->pos > start;
}

/* RFC 8259 numbers only: json-glib would also take 0x10, 011 and 0b11, and
 * wrap integers beyond 64 bits. */
static gboolean
scan_number (Scan    *scan,
             GError **error)
{
  gsize start = scan->pos;
  gboolean integral = TRUE;
  gboolean ok = TRUE;
  g_autofree char *token = NULL;

  if (scan->data[scan->pos] == '-')
    scan->pos++;
  if (scan->pos < scan->length && scan->data[scan->pos] == '0')
    scan->pos++;
  else
    ok = skip_digits (scan);
  if (ok && scan->pos < scan->length && scan->data[scan->pos] == '.')
    {
      integral = FALSE;
      scan->pos++;
      ok = skip_digits (scan);
    }
  if (ok && scan->pos < scan->length && (scan->data[scan->pos] == 'e' || scan->data[scan->pos] == 'E'))
    {
      integral = FALSE;
      scan->pos++;
      if (scan->pos < scan->length && (scan->data[scan->pos] == '+' || scan->data[scan->pos] == '-'))
        scan->pos++;
      ok = skip_digits (scan);
    }

  token = g_strndup (scan->data + start, scan->pos - start);
  scan->pos = start;
  if (!ok || !is_delimiter (&(Scan) { .data = scan->data, .length = scan->length, .pos = start + strlen (token) }))
    {
      gsize end = start;

      while (end < scan->length && !is_delimiter (&(Scan) { .data = scan->data, .length = scan->length, .pos = end }))
        end++;
      g_free (token);
      token = g_strndup (scan->data + start, MIN (end - start, 40));
      return scan_fail (scan, error, _("“%s” is not a JSON number"), token);
    }
  if (strlen (token) > 400)
    return scan_fail (scan, error, _("the number %.20s… has too many digits"), token);

  if (integral)
    {
      if (!g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, NULL, NULL))
        return scan_fail (scan, error, _("the integer %s is outside the 64-bit range"), token);
    }
  else if (!isfinite (g_ascii_strtod (token, NULL)))
    return scan_fail (scan, error, _("the number %s is too large to represent"), token);

  scan_advance (scan, strlen (token));
  return TRUE;
}

static gboolean
scan_literal (Scan    *scan,
              GError **error)
{
  static const char *const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize n = strlen (literals[i]);

      if (scan->pos + n <= scan->length && memcmp (scan->data + scan->pos, literals[i], n) == 0 &&
          is_delimiter (&(Scan) { .data = scan->data, .length = scan->length, .pos = scan->pos + n }))
        {
          scan_advance (scan, n);
          return TRUE;
        }
    }
  return scan_fail (scan, error, _("expected a value: a string in double quotes, a number, an object, an array, "
                                   "true, false or null"));
}

static void
value_done (Scan *scan)
{
  scan->expect = scan->depth == 0 ? EXPECT_END : EXPECT_COMMA_OR_CLOSE;
}

static gboolean
expecting_value (Scan *scan)
{
  return scan->expect == EXPECT_VALUE || scan->expect == EXPECT_VALUE_OR_CLOSE;
}

static gboolean
scan_open (Scan      *scan,
           FrameKind  kind,
           GError   **error)
{
  Frame *frame;

  if (scan->depth >= SB_JSON_MAX_DEPTH)
    return scan_fail (scan, error, _("nested deeper than %d levels"), SB_JSON_MAX_DEPTH);

  frame = &scan->frames[scan->depth++];
  frame->kind = kind;
  frame->index = 0;
  frame->key = NULL;
  frame->keys = kind == FRAME_OBJECT ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL;
  scan->expect = kind == FRAME_OBJECT ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
  scan_advance (scan, 1);
  return TRUE;
}

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->keys, g_hash_table_unref);
  frame->key = NULL;
}

static gboolean
scan_close (Scan      *scan,
            FrameKind  kind,
            GError   **error)
{
  gboolean may_close = scan->expect == EXPECT_COMMA_OR_CLOSE ||
                       (kind == FRAME_OBJECT && scan->expect == EXPECT_KEY_OR_CLOSE) ||
                       (kind == FRAME_ARRAY && scan->expect == EXPECT_VALUE_OR_CLOSE);

  if (scan->depth == 0 || scan->frames[scan->depth - 1].kind != kind || !may_close)
    return scan_fail (scan, error, kind == FRAME_OBJECT ? _("unexpected “}”") : _("unexpected “]”"));

  frame_clear (&scan->frames[--scan->depth]);
  scan_advance (scan, 1);
  value_done (scan);
  return TRUE;
}

static gboolean
scan_key (Scan    *scan,
          Frame   *frame,
          GError **error)
{
  g_autoptr(GString) key = g_string_new (NULL);

  if (!scan_string (scan, key, error))
    return FALSE;

  if (g_hash_table_contains (frame->keys, key->str))
    {
      /* point the path at the repeated key; the table owns the string */
      g_hash_table_lookup_extended (frame->keys, key->str, (gpointer *) &frame->key, NULL);
      return scan_fail (scan, error, _("the key “%s” appears twice in the same object"), key->str);
    }

  frame->key = g_string_free (g_steal_pointer (&key), FALSE);
  g_hash_table_add (frame->keys, frame->key);
  scan->expect = EXPECT_COLON;
  return TRUE;
}

static gboolean
scan_comma (Scan    *scan,
            GError **error)
{
  Frame *top = &scan->frames[scan->depth - 1];

  if (scan->expect != EXPECT_COMMA_OR_CLOSE)
    return scan_fail (scan, error, _("unexpected “,”"));

  if (top->kind == FRAME_ARRAY)
    {
      top->index++;
      scan->expect = EXPECT_VALUE;
    }
  else
    {
      top->key = NULL;
      scan->expect = EXPECT_KEY;
    }
  scan_advance (scan, 1);
  return TRUE;
}

static gboolean
scan_misplaced (Scan    *scan,
                GError **error)
{
  switch (scan->expect)
    {
    case EXPECT_END:
      return scan_fail (scan, error, _("there is more text after the end of the document"));
    case EXPECT_COLON:
      return scan_fail (scan, error, _("expected “:” after the key"));
    case EXPECT_KEY:
    case EXPECT_KEY_OR_CLOSE:
      return scan_fail (scan, error, _("expected a key in double quotes"));
    case EXPECT_COMMA_OR_CLOSE:
      return scan_fail (scan, error, scan->frames[scan->depth - 1].kind == FRAME_OBJECT
                                     ? _("expected “,” or “}”") : _("expected “,” or “]”"));
    default:
      return scan_literal (scan, error);
    }
}

/* A complete RFC 8259 check, so that whatever json-glib would read leniently
 * (comments, single quotes, trailing text) is refused here with a path. */
/* json-glib spends some 80 bytes on each value: a cap on their number
 * keeps the tree of any file within a few times its size. */
static gboolean
count_value (Scan    *scan,
             GError **error)
{
  if (++scan->values > SB_JSON_MAX_VALUES)
    return scan_fail (scan, error, _("more than %d values"), SB_JSON_MAX_VALUES);
  return TRUE;
}

static gboolean
scan_document (Scan    *scan,
               GError **error)
{
  scan->expect = EXPECT_VALUE;

  while (scan->pos < scan->length)
    {
      char c = scan->data[scan->pos];
      gboolean ok;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          scan_advance (scan, 1);
          continue;
        }

      if ((c == '{' || c == '[') && expecting_value (scan))
        ok = count_value (scan, error) && scan_open (scan, c == '{' ? FRAME_OBJECT : FRAME_ARRAY, error);
      else if (c == '}' || c == ']')
        ok = scan_close (scan, c == '}' ? FRAME_OBJECT : FRAME_ARRAY, error);
      else if (c == ',' && scan->depth > 0)
        ok = scan_comma (scan, error);
      else if (c == ':' && scan->expect == EXPECT_COLON)
        {
          scan_advance (scan, 1);
          scan->expect = EXPECT_VALUE;
          ok = TRUE;
        }
      else if (c == '"' && (scan->expect == EXPECT_KEY || scan->expect == EXPECT_KEY_OR_CLOSE))
        ok = scan_key (scan, &scan->frames[scan->depth - 1], error);
      else if (c == '"' && expecting_value (scan))
        {
          ok = count_value (scan, error) && scan_string (scan, NULL, error);
          value_done (scan);
        }
      else if ((c == '-' || g_ascii_isdigit (c)) && expecting_value (scan))
        {
          ok = count_value (scan, error) && scan_number (scan, error);
          value_done (scan);
        }
      else if (expecting_value (scan) && (c == 't' || c == 'f' || c == 'n'))
        {
          ok = count_value (scan, error) && scan_literal (scan, error);
          value_done (scan);
        }
      else
        ok = scan_misplaced (scan, error);

      if (!ok)
        return FALSE;
    }

  if (scan->expect == EXPECT_VALUE && scan->depth == 0)
    return scan_fail (scan, error, _("the file is empty"));
  if (scan->expect != EXPECT_END)
    return scan_fail (scan, error, _("the document ends before it is complete"));
  return TRUE;
}

static gboolean
check_encoding (const char  *data,
                gsize        length,
                const char  *name,
                GError     **error)
{
  const char *end = NULL;

  if (!g_utf8_validate_len (data, length, &end))
    {
      guint line = 1, column = 1;

      for (const char *p = data; p < end; p++)
        {
          if (*p == '\n')
            line++, column = 1;
          else if (((guchar) *p & 0xC0) != 0x80)
            column++;
        }
      g_set_error (error, SB_ERROR, SB_ERROR_PARSE,
                   *end == '\0'
                   ? _("%s: line %u, column %u: the file contains a NUL byte")
                   : _("%s: line %u, column %u: the file is not valid UTF-8 text"),
                   name, line, column);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
sb_json_parse_bytes (GBytes      *bytes,
                     const char  *display_name,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  Scan scan = { 0 };
  gboolean scanned;

  if (data == NULL || length == 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_PARSE, _("%s: the file is empty"), display_name);
      return NULL;
    }

  if (length > SB_JSON_MAX_BYTES)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_TOO_LARGE,
                   _("%s: the file is %zu bytes; at most %d MiB can be read"),
                   display_name, length, SB_JSON_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!check_encoding (data, length, display_name, error))
    return NULL;

  scan.data = data;
  scan.length = length;
  scan.line = 1;
  scan.column = 1;
  scan.name = display_name;
  scanned = scan_document (&scan, error);
  while (scan.depth > 0)
    frame_clear (&scan.frames[--scan.depth]);
  if (!scanned)
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_PARSE, _("%s: not valid JSON: %s"),
                   display_name, local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_PARSE, _("%s: the file is empty"), display_name);
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

/* Reads at most SB_JSON_MAX_BYTES, whatever the file claims to be, and
 * only a regular file: a FIFO, a device such as /dev/zero or a growing
 * file never blocks and never fills the memory. */
GBytes *
sb_json_read_file (GFile   *file,
                   GError **error)
{
  return sb_file_read (file, SB_JSON_MAX_BYTES, SB_FILE_DEFAULT, error);
}

JsonNode *
sb_json_parse_file (GFile   *file,
                    GError **error)
{
  g_autoptr(GBytes) bytes = sb_json_read_file (file, error);
  g_autofree char *name = g_file_get_parse_name (file);

  if (bytes == NULL)
    return NULL;
  return sb_json_parse_bytes (bytes, name, error);
}

/* SbJsonReader */

gboolean
sb_json_reader_init (SbJsonReader  *reader,
                     JsonNode      *node,
                     const char    *file,
                     const char    *path,
                     SbError        code,
                     GError       **error)
{
  memset (reader, 0, sizeof *reader);
  reader->code = code;
  reader->file = file;
  reader->path = g_strdup (path);
  reader->seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      sb_set_error_at (error, code, file, path,
                       _("expected an object, found %s"), sb_json_node_type_name (node));
      return FALSE;
    }

  reader->object = json_node_get_object (node);
  return TRUE;
}

void
sb_json_reader_clear (SbJsonReader *reader)
{
  g_clear_pointer (&reader->path, g_free);
  g_clear_pointer (&reader->seen, g_hash_table_unref);
  reader->object = NULL;
}

gboolean
sb_json_reader_finish (SbJsonReader  *reader,
                       GError       **error)
{
  g_autoptr(GList) members = json_object_get_members (reader->object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_hash_table_contains (reader->seen, l->data))
        {
          g_autofree char *path = sb_json_reader_path (reader, l->data);

          sb_set_error_at (error, reader->code, reader->file, path,
                           _("unknown key “%s”"), (const char *) l->data);
          return FALSE;
        }
    }
  return TRUE;
}

char *
sb_json_reader_path (SbJsonReader *reader,
                     const char   *member)
{
  return sb_json_path_member (reader->path, member);
}

JsonNode *
sb_json_reader_node (SbJsonReader *reader,
                     const char   *member)
{
  JsonNode *node = json_object_get_member (reader->object, member);

  g_hash_table_add (reader->seen, (gpointer) member);
  return node;
}

gboolean
sb_json_reader_has (SbJsonReader *reader,
                    const char   *member)
{
  return json_object_has_member (reader->object, member);
}

static gboolean
missing (SbJsonReader  *reader,
         const char    *member,
         GError       **error)
{
  sb_set_error_at (error, reader->code, reader->file, reader->path,
                   _("the key “%s” is required"), member);
  return FALSE;
}

static gboolean
wrong_type (SbJsonReader  *reader,
            const char    *member,
            JsonNode      *node,
            const char    *expected,
            GError       **error)
{
  g_autofree char *path = sb_json_reader_path (reader, member);

  sb_set_error_at (error, reader->code, reader->file, path,
                   _("expected %s, found %s"), expected, sb_json_node_type_name (node));
  return FALSE;
}

gboolean
sb_json_reader_string (SbJsonReader  *reader,
                       const char    *member,
                       gboolean       required,
                       char         **out,
                       GError       **error)
{
  JsonNode *node = sb_json_reader_node (reader, member);

  if (node == NULL)
    return required ? missing (reader, member, error) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (reader, member, node, _("a string"), error);

  /* texts of a definition are labels, messages and expressions; a longer
   * one is a broken file, not a call */
  if (reader->code == SB_ERROR_INVALID_CALL && strlen (json_node_get_string (node)) > SB_JSON_MAX_DEFINITION_TEXT)
    {
      g_autofree char *path = sb_json_reader_path (reader, member);

      sb_set_error_at (error, reader->code, reader->file, path, _("the text is longer than %d KiB"),
                       SB_JSON_MAX_DEFINITION_TEXT / 1024);
      return FALSE;
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
sb_json_reader_int (SbJsonReader  *reader,
                    const char    *member,
                    gboolean       required,
                    gint64         min,
                    gint64         max,
                    gint64        *out,
                    GError       **error)
{
  JsonNode *node = sb_json_reader_node (reader, member);
  gint64 value;

  if (node == NULL)
    return required ? missing (reader, member, error) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (reader, member, node, _("an integer"), error);

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *path = sb_json_reader_path (reader, member);

      sb_set_error_at (error, reader->code, reader->file, path,
                       _("%" PRId64 " is outside the allowed range %" PRId64 "–%" PRId64),
                       value, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
sb_json_reader_bool (SbJsonReader  *reader,
                     const char    *member,
                     gboolean      *out,
                     GError       **error)
{
  JsonNode *node = sb_json_reader_node (reader, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (reader, member, node, _("true or false"), error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
sb_json_reader_array (SbJsonReader  *reader,
                      const char    *member,
                      gboolean       required,
                      JsonArray    **out,
                      GError       **error)
{
  JsonNode *node = sb_json_reader_node (reader, member);

  *out = NULL;
  if (node == NULL)
    return required ? missing (reader, member, error) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (reader, member, node, _("an array"), error);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
sb_json_reader_string_array (SbJsonReader  *reader,
                             const char    *member,
                             GStrv         *out,
                             GError       **error)
{
  JsonArray *array = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *path = NULL;

  if (!sb_json_reader_array (reader, member, FALSE, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  path = sb_json_reader_path (reader, member);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *element_path = sb_json_path_index (path, i);

          sb_set_error_at (error, reader->code, reader->file, element_path,
                           _("expected a string, found %s"), sb_json_node_type_name (element));
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}
