/* test-countdown.c — deadlines in Beijing time, whatever the machine's zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sb-catalog.h"
#include "sb-countdown.h"

static SbCatalog *catalog;

static GDateTime *
instant (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

/* 南通: online deadline 2024-01-31 (no time: the end of that day, Beijing),
 * paper 2024-02-05. 10:30 UTC on the 28th is 18:30 in Beijing: 3 days and
 * 5.5 hours before midnight of the 31st. The same instant seen from New
 * York (05:30 local) gives the same answer. */
static void
test_open (void)
{
  SbCall *call = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 2);
  g_autoptr(GDateTime) utc = instant ("2024-01-28T10:30:00Z");
  g_autoptr(GDateTime) new_york = instant ("2024-01-28T05:30:00-05:00");
  const SbDeadline *deadline = NULL;
  GTimeSpan left = 0;
  SbCountdownState state;
  g_autofree char *text = sb_countdown_describe (call, utc, &state);
  g_autofree char *text_ny = sb_countdown_describe (call, new_york, NULL);

  g_assert_cmpint (state, ==, SB_COUNTDOWN_OPEN);
  g_assert_cmpstr (text, ==, "3 days 5 hours left");
  g_assert_cmpstr (text_ny, ==, text);
  g_assert_cmpint (sb_countdown_get (call, utc, &deadline, &left), ==, SB_COUNTDOWN_OPEN);
  g_assert_cmpstr (deadline->id, ==, "online");
  g_assert_cmpint (left, ==, (3 * 24 + 5) * G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_MINUTE);
}

/* Between the two deadlines the paper one is next; after both, closed. */
static void
test_next_and_closed (void)
{
  SbCall *call = sb_catalog_lookup (catalog, "nantong-2023-qianzhan", 2);
  g_autoptr(GDateTime) between = instant ("2024-02-04T15:59:00Z");  /* 23:59 Beijing */
  g_autoptr(GDateTime) after = instant ("2024-02-05T16:00:00Z");    /* 00:00 on the 6th */
  g_autoptr(GDateTime) just_before = instant ("2024-02-05T15:59:30Z");
  const SbDeadline *deadline = NULL;
  g_autofree char *a = sb_countdown_describe (call, between, NULL);
  g_autofree char *b = NULL;
  g_autofree char *c = sb_countdown_describe (call, just_before, NULL);
  SbCountdownState state;

  g_assert_cmpint (sb_countdown_get (call, between, &deadline, NULL), ==, SB_COUNTDOWN_OPEN);
  g_assert_cmpstr (deadline->id, ==, "paper");
  g_assert_cmpstr (a, ==, "1 day 0 hours left");
  g_assert_cmpstr (c, ==, "1 minute left");
  b = sb_countdown_describe (call, after, &state);
  g_assert_cmpint (state, ==, SB_COUNTDOWN_CLOSED);
  g_assert_cmpstr (b, ==, "closed");
}

/* 衢州 has a time of day: 17:00 Beijing is 09:00 UTC. */
static void
test_time_of_day (void)
{
  SbCall *call = sb_catalog_lookup (catalog, "quzhou-2020-jingzheng", 2);
  GArray *deadlines = sb_call_get_deadlines (call);
  const SbDeadline *timed = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) utc = NULL;

  for (guint i = 0; i < deadlines->len; i++)
    if (g_array_index (deadlines, SbDeadline, i).time != NULL)
      timed = &g_array_index (deadlines, SbDeadline, i);
  g_assert_nonnull (timed);
  g_assert_cmpstr (timed->time, ==, "17:00");
  end = sb_countdown_end (timed);
  utc = g_date_time_to_utc (end);
  g_assert_cmpint (g_date_time_get_hour (utc), ==, 9);
}

/* A call whose notice gives no deadline says so. */
static void
test_no_deadline (void)
{
  const char *json =
    "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"open-ended\", \"version\": 1,"
    " \"title\": {\"zh\": \"常年\", \"en\": \"Open\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
    " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
    "   {\"id\": \"name\", \"type\": \"text\", \"label\": {\"zh\": \"名称\", \"en\": \"Name\"}}]}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = sb_call_new_from_bytes (bytes, "open.json", &error);
  g_autoptr(GDateTime) now = instant ("2024-01-28T10:30:00Z");
  SbCountdownState state;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = sb_countdown_describe (call, now, &state);
  g_assert_cmpint (state, ==, SB_COUNTDOWN_NO_DEADLINE);
  g_assert_cmpstr (text, ==, "no deadline in the notice");
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  catalog = sb_catalog_new ();
  sb_catalog_add_builtin (catalog);
  g_test_add_func ("/countdown/open", test_open);
  g_test_add_func ("/countdown/next-and-closed", test_next_and_closed);
  g_test_add_func ("/countdown/time-of-day", test_time_of_day);
  g_test_add_func ("/countdown/no-deadline", test_no_deadline);
  status = g_test_run ();
  g_object_unref (catalog);
  return status;
}
