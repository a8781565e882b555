/* sb-checks.h — checks of Chinese identifiers and contact data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sb-date.h"

G_BEGIN_DECLS

gboolean sb_check_uscc      (const char *text);
gboolean sb_check_id_card   (const char *text,
                             SbDate     *birth_date);
gboolean sb_check_mobile    (const char *text);
gboolean sb_check_email     (const char *text);

/* A name as compared: NFKC (full-width brackets and letters become
 * half-width), upper case, white space and zero-width characters removed. */
char    *sb_normalise_name  (const char *text);

G_END_DECLS
