/* sb-countdown.h — how long a call stays open, in Beijing time
 *
 * Deadlines in the notices are Beijing times (UTC+8), whatever zone the
 * applicant's machine is set to. A deadline without a time ends at the end
 * of its day.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-call.h"

G_BEGIN_DECLS

typedef enum {
  SB_COUNTDOWN_NO_DEADLINE,
  SB_COUNTDOWN_OPEN,
  SB_COUNTDOWN_CLOSED,
} SbCountdownState;

SbCountdownState  sb_countdown_get       (SbCall            *call,
                                          GDateTime         *now,
                                          const SbDeadline **deadline,
                                          GTimeSpan         *left);
GDateTime        *sb_countdown_end       (const SbDeadline  *deadline);
char             *sb_countdown_describe  (SbCall            *call,
                                          GDateTime         *now,
                                          SbCountdownState  *state);

G_END_DECLS
