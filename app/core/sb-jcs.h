/* sb-jcs.h — RFC 8785 JSON Canonicalization Scheme (JCS)
 *
 * The canonical form of a JSON value: no whitespace, object members sorted
 * by the UTF-16 code units of their names, strings with the minimal JSON
 * escaping (\b \t \n \f \r \" \\ and \u00xx for the other control
 * characters, everything else as UTF-8), literals as such.
 *
 * Numbers: Shenbao's signed data holds integers only (money in whole 元),
 * which keeps the canonical form exact. An integer is written in decimal;
 * one beyond ±2^53 (where an ECMAScript number, which JCS is defined by,
 * is no longer exact) and any non-integer number are refused with
 * SB_ERROR_INVALID_INPUT rather than written in a form other JCS
 * implementations might not reproduce.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sb-error.h"

G_BEGIN_DECLS

#define SB_JCS_MAX_SAFE_INTEGER G_GINT64_CONSTANT (9007199254740991)  /* 2^53 - 1 */

/* The canonical UTF-8 text of @node (no terminating newline); NULL and
 * @error set when @node holds a number JCS cannot write exactly. The
 * returned text is NUL-terminated; @length (may be NULL) excludes the NUL. */
char     *sb_jcs_serialize       (JsonNode    *node,
                                  gsize       *length,
                                  GError     **error);

/* Appends the canonical form of @node to @out. */
gboolean  sb_jcs_append          (GString     *out,
                                  JsonNode    *node,
                                  GError     **error);

/* Compares two member names by their UTF-16 code units, as JCS sorts them.
 * Both must be valid UTF-8. */
int       sb_jcs_compare_names   (const char  *a,
                                  const char  *b);

G_END_DECLS
