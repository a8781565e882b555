/* sb-countdown.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "sb-countdown.h"
#include "sb-problem.h"

#define BEIJING_OFFSET_SECONDS (8 * 60 * 60)

/* The moment a deadline passes. */
GDateTime *
sb_countdown_end (const SbDeadline *deadline)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (BEIJING_OFFSET_SECONDS);
  int year, month, day, hour = 24, minute = 0;

  sb_date_to_ymd (deadline->date, &year, &month, &day);
  if (deadline->time != NULL &&
      (sscanf (deadline->time, "%2d:%2d", &hour, &minute) != 2 ||
       hour < 0 || hour > 24 || minute < 0 || minute > 59))
    hour = 24, minute = 0;
  if (hour == 24)
    {
      g_autoptr(GDateTime) start = g_date_time_new (beijing, year, month, day, 0, 0, 0);
      return g_date_time_add_days (start, 1);
    }
  return g_date_time_new (beijing, year, month, day, hour, minute, 0);
}

/* The call's next deadline as seen at now: the earliest that has not
 * passed, or, when all have, the last one. */
SbCountdownState
sb_countdown_get (SbCall            *call,
                  GDateTime         *now,
                  const SbDeadline **deadline,
                  GTimeSpan         *left)
{
  GArray *deadlines = sb_call_get_deadlines (call);
  const SbDeadline *next = NULL;
  const SbDeadline *last = NULL;
  GTimeSpan next_left = 0, last_left = 0;

  for (guint i = 0; deadlines != NULL && i < deadlines->len; i++)
    {
      const SbDeadline *candidate = &g_array_index (deadlines, SbDeadline, i);
      g_autoptr(GDateTime) end = sb_countdown_end (candidate);
      GTimeSpan span = g_date_time_difference (end, now);

      if (span > 0 && (next == NULL || span < next_left))
        next = candidate, next_left = span;
      if (last == NULL || span > last_left)
        last = candidate, last_left = span;
    }

  if (deadline != NULL)
    *deadline = next != NULL ? next : last;
  if (left != NULL)
    *left = next != NULL ? next_left : last_left;
  if (next != NULL)
    return SB_COUNTDOWN_OPEN;
  return last != NULL ? SB_COUNTDOWN_CLOSED : SB_COUNTDOWN_NO_DEADLINE;
}

/* "3 days 5 hours left", "closed" or "no deadline in the notice". */
char *
sb_countdown_describe (SbCall           *call,
                       GDateTime        *now,
                       SbCountdownState *state)
{
  GTimeSpan left = 0;
  SbCountdownState result = sb_countdown_get (call, now, NULL, &left);
  gint64 hours_total;
  gulong days, hours;

  if (state != NULL)
    *state = result;
  switch (result)
    {
    case SB_COUNTDOWN_NO_DEADLINE:
      return g_strdup (_("no deadline in the notice"));
    case SB_COUNTDOWN_CLOSED:
      return g_strdup (_("closed"));
    case SB_COUNTDOWN_OPEN:
    default:
      break;
    }

  hours_total = left / G_TIME_SPAN_HOUR;
  days = hours_total / 24;
  hours = hours_total % 24;
  if (days == 0 && hours == 0)
    {
      gulong minutes = MAX (left / G_TIME_SPAN_MINUTE, 1);
      /* TRANSLATORS: time left before a deadline */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left",
                                           "%d minutes left", minutes), (int) minutes);
    }
  if (days == 0)
    /* TRANSLATORS: time left before a deadline */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour left",
                                         "%d hours left", hours), (int) hours);
  {
    g_autofree char *day_text =
      /* TRANSLATORS: part of "3 days 5 hours left" */
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day",
                                    "%d days", days), (int) days);
    /* TRANSLATORS: time left before a deadline: "3 days" and the hours */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %d hour left",
                                         "%s %d hours left", hours),
                            day_text, (int) hours);
  }
}
