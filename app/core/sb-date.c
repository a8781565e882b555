/* sb-date.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-date.h"
#include "sb-error.h"

#define SB_DATE_MIN_YEAR 1900
#define SB_DATE_MAX_YEAR 2200

gboolean
sb_date_from_ymd (int     year,
                  int     month,
                  int     day,
                  SbDate *out)
{
  GDate date;

  if (year < SB_DATE_MIN_YEAR || year > SB_DATE_MAX_YEAR ||
      month < 1 || month > 12 || day < 1 || day > 31 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  *out = g_date_get_julian (&date);
  return TRUE;
}

void
sb_date_to_ymd (SbDate  value,
                int    *year,
                int    *month,
                int    *day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, value);
  *year = g_date_get_year (&date);
  *month = g_date_get_month (&date);
  *day = g_date_get_day (&date);
}

static gboolean
parse_digits (const char *p,
              int         count,
              int        *out)
{
  int value = 0;

  for (int i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      value = value * 10 + (p[i] - '0');
    }
  *out = value;
  return TRUE;
}

/* Only ISO 8601 calendar dates, YYYY-MM-DD; anything looser would let a
 * typo pass as some other day. */
gboolean
sb_date_parse (const char  *text,
               SbDate      *out,
               GError     **error)
{
  int year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      !parse_digits (text, 4, &year) || !parse_digits (text + 5, 2, &month) ||
      !parse_digits (text + 8, 2, &day))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                   _("“%.40s” is not a date of the form YYYY-MM-DD"), text);
      return FALSE;
    }

  if (!sb_date_from_ymd (year, month, day, out))
    {
      if (year < SB_DATE_MIN_YEAR || year > SB_DATE_MAX_YEAR)
        g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                     _("“%s” is outside the years %d–%d"), text, SB_DATE_MIN_YEAR, SB_DATE_MAX_YEAR);
      else
        g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                     _("“%s” is not a day of the calendar"), text);
      return FALSE;
    }
  return TRUE;
}

char *
sb_date_format (SbDate value)
{
  int year, month, day;

  sb_date_to_ymd (value, &year, &month, &day);
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* Whole years from @from to @to, as an age is counted: 2000-03-01 to
 * 2040-02-29 is 39 years. Negative when @to is before @from. */
gint64
sb_date_years_between (SbDate from,
                       SbDate to)
{
  gint64 months = sb_date_months_between (from, to);

  return months >= 0 ? months / 12 : -((-months) / 12);
}

gint64
sb_date_months_between (SbDate from,
                        SbDate to)
{
  int fy, fm, fd, ty, tm, td;
  gint64 months;

  if (to < from)
    return -sb_date_months_between (to, from);

  sb_date_to_ymd (from, &fy, &fm, &fd);
  sb_date_to_ymd (to, &ty, &tm, &td);
  months = (gint64) (ty - fy) * 12 + (tm - fm);
  if (td < fd)
    months--;
  return months;
}

gboolean
sb_date_add_months (SbDate  value,
                    gint64  months,
                    SbDate *out)
{
  int year, month, day;
  gint64 index;

  if (months > 12 * 1000 || months < -12 * 1000)
    return FALSE;

  sb_date_to_ymd (value, &year, &month, &day);
  index = (gint64) year * 12 + (month - 1) + months;
  year = (int) (index / 12);
  month = (int) (index % 12) + 1;
  /* 01-31 plus one month is the last day of February */
  while (day > 28 && !g_date_valid_dmy (day, month, year))
    day--;
  return sb_date_from_ymd (year, month, day, out);
}

gboolean
sb_date_add_days (SbDate  value,
                  gint64  days,
                  SbDate *out)
{
  SbDate first, last;
  gint64 result;

  sb_date_from_ymd (SB_DATE_MIN_YEAR, 1, 1, &first);
  sb_date_from_ymd (SB_DATE_MAX_YEAR, 12, 31, &last);
  if (days > (gint64) last || days < -(gint64) last)
    return FALSE;

  result = (gint64) value + days;
  if (result < first || result > last)
    return FALSE;
  *out = (SbDate) result;
  return TRUE;
}
