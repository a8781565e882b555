/* sb-error.h — the Shenbao error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_ERROR (sb_error_quark ())

typedef enum {
  SB_ERROR_FAILED,
  SB_ERROR_PARSE,           /* not well-formed JSON, bad UTF-8, too deep, too large */
  SB_ERROR_INVALID_CALL,    /* a call definition breaks the schema */
  SB_ERROR_EXPRESSION,      /* an expression does not parse or type-check */
  SB_ERROR_INVALID_DRAFT,   /* a draft breaks its format */
  SB_ERROR_UNKNOWN_CALL,    /* a draft names a call we do not have */
  SB_ERROR_CALL_VERSION,    /* a draft names a version of a call we do not have */
  SB_ERROR_EVALUATION,      /* division by zero, overflow, regex limits */
  SB_ERROR_INVALID_INPUT,   /* a value typed by the user does not parse */
  SB_ERROR_TOO_LARGE,
} SbError;

GQuark sb_error_quark (void);

void sb_set_error_at (GError     **error,
                      SbError      code,
                      const char  *file,
                      const char  *json_path,
                      const char  *format,
                      ...) G_GNUC_PRINTF (5, 6);

void sb_prefix_error_at (GError    **error,
                         const char *file,
                         const char *json_path);

G_END_DECLS
