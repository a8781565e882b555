/* sb-json.h — JSON read safely, and read strictly
 *
 * json-glib is the parser. In front of it, a scan rejects what json-glib
 * would crash on or silently get wrong: nesting deep enough to exhaust the
 * stack, duplicate keys (json-glib keeps the last), integers beyond 64 bits
 * (json-glib wraps them), numbers beyond double range, "\u0000" (json-glib
 * truncates the string there), lone surrogates, NUL bytes and invalid UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sb-error.h"

G_BEGIN_DECLS

/* What a real application needs, with room to spare: the longest text a
 * call allows is a few thousand characters, a full draft at every maximum
 * of the largest call about 1 MB. */
#define SB_JSON_MAX_DEPTH 64
#define SB_JSON_MAX_BYTES (8 * 1024 * 1024)
/* Draft texts are bounded by their fields' max_length, which the validator
 * reports with the real count; a string beyond this is a broken or hostile
 * file. */
#define SB_JSON_MAX_STRING_BYTES (1024 * 1024)
/* values (objects, arrays, strings, numbers, literals) in one file: a full
 * draft of the largest call at 1,000 rows a table has under 30,000 */
#define SB_JSON_MAX_VALUES 100000
#define SB_JSON_MAX_DEFINITION_TEXT (64 * 1024)

JsonNode   *sb_json_parse_bytes     (GBytes      *bytes,
                                     const char  *display_name,
                                     GError     **error);
JsonNode   *sb_json_parse_file      (GFile       *file,
                                     GError     **error);
GBytes     *sb_json_read_file       (GFile       *file,
                                     GError     **error);

char       *sb_json_path_member     (const char  *parent,
                                     const char  *member);
char       *sb_json_path_index      (const char  *parent,
                                     guint        index);

const char *sb_json_node_type_name  (JsonNode    *node);

/* Strict reading of one JSON object of a definition or draft: every key the
 * reader does not know is an error, every wrong type is an error, and every
 * error names the file and the JSON path. */
typedef struct {
  JsonObject *object;
  const char *file;
  char       *path;
  GHashTable *seen;
  SbError     code;
} SbJsonReader;

gboolean     sb_json_reader_init          (SbJsonReader  *reader,
                                           JsonNode      *node,
                                           const char    *file,
                                           const char    *path,
                                           SbError        code,
                                           GError       **error);
void         sb_json_reader_clear         (SbJsonReader  *reader);
gboolean     sb_json_reader_finish        (SbJsonReader  *reader,
                                           GError       **error);
char        *sb_json_reader_path          (SbJsonReader  *reader,
                                           const char    *member);
gboolean     sb_json_reader_has           (SbJsonReader  *reader,
                                           const char    *member);
JsonNode    *sb_json_reader_node          (SbJsonReader  *reader,
                                           const char    *member);
gboolean     sb_json_reader_string        (SbJsonReader  *reader,
                                           const char    *member,
                                           gboolean       required,
                                           char         **out,
                                           GError       **error);
gboolean     sb_json_reader_int           (SbJsonReader  *reader,
                                           const char    *member,
                                           gboolean       required,
                                           gint64         min,
                                           gint64         max,
                                           gint64        *out,
                                           GError       **error);
gboolean     sb_json_reader_bool          (SbJsonReader  *reader,
                                           const char    *member,
                                           gboolean      *out,
                                           GError       **error);
gboolean     sb_json_reader_array         (SbJsonReader  *reader,
                                           const char    *member,
                                           gboolean       required,
                                           JsonArray    **out,
                                           GError       **error);
gboolean     sb_json_reader_string_array  (SbJsonReader  *reader,
                                           const char    *member,
                                           GStrv         *out,
                                           GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SbJsonReader, sb_json_reader_clear)

G_END_DECLS
