/* sb-date.h — calendar dates as day numbers
 *
 * A date is its Julian day number (GDate's), so comparisons are integer
 * comparisons and 2023-02-30 cannot exist.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef guint32 SbDate;

gboolean  sb_date_parse          (const char  *text,
                                  SbDate      *out,
                                  GError     **error);
char     *sb_date_format         (SbDate       date);
gboolean  sb_date_from_ymd       (int          year,
                                  int          month,
                                  int          day,
                                  SbDate      *out);
void      sb_date_to_ymd         (SbDate       date,
                                  int         *year,
                                  int         *month,
                                  int         *day);
gint64    sb_date_years_between  (SbDate       from,
                                  SbDate       to);
gint64    sb_date_months_between (SbDate       from,
                                  SbDate       to);
gboolean  sb_date_add_months     (SbDate       date,
                                  gint64       months,
                                  SbDate      *out);
gboolean  sb_date_add_days       (SbDate       date,
                                  gint64       days,
                                  SbDate      *out);

G_END_DECLS
