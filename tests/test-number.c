/* test-number.c — exact numbers, money as typed, dates, identifiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-checks.h"
#include "sb-date.h"
#include "sb-error.h"
#include "sb-number.h"

static gint64
parse_money (const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 yuan = -1;

  g_assert_true (sb_money_parse (text, SB_MONEY_UNIT_WAN, &yuan, &error));
  g_assert_no_error (error);
  return yuan;
}

static void
test_money_units (void)
{
  /* 150 万元 and 1,500,000 元 are the same amount */
  g_assert_cmpint (parse_money ("150"), ==, 1500000);
  g_assert_cmpint (parse_money ("150万"), ==, 1500000);
  g_assert_cmpint (parse_money ("150万元"), ==, 1500000);
  g_assert_cmpint (parse_money ("1,500,000元"), ==, 1500000);
  g_assert_cmpint (parse_money ("1500000 元"), ==, 1500000);
  g_assert_cmpint (parse_money ("￥1,500,000元"), ==, 1500000);
  g_assert_cmpint (parse_money ("１５０万元"), ==, 1500000);
  g_assert_cmpint (parse_money ("150.0001万"), ==, 1500001);
  g_assert_cmpint (parse_money ("0.0001"), ==, 1);
  g_assert_cmpint (parse_money ("-3.5万"), ==, -35000);
  /* blanks around an amount are trimmed on both sides */
  g_assert_cmpint (parse_money (" 150万"), ==, 1500000);
  g_assert_cmpint (parse_money ("150万 "), ==, 1500000);
  g_assert_cmpint (parse_money ("\u3000150万元\t"), ==, 1500000);
  /* grouping by three, with ASCII or full-width commas */
  g_assert_cmpint (parse_money ("1，500，000元"), ==, 1500000);
  g_assert_cmpint (parse_money ("1,500.5万"), ==, 15005000);
  g_assert_cmpint (parse_money ("１５０．５万"), ==, 1505000);
  g_assert_true (sb_money_has_unit (" 150万 "));
  g_assert_true (sb_money_has_unit ("1,500,000元"));
  g_assert_false (sb_money_has_unit ("150"));
  g_assert_false (sb_money_has_unit ("1,5万"));
}

static void
test_money_rejects (void)
{
  const char *bad[] = { "150.00001万", "1500000.5元", "", "万元", "abc", "1.2.3", "1e5", "12万3",
                        "99999999999999999万", "NaN", "--1",
                        /* separators only between groups of three */
                        "1,5万", "15,00万", "1,5000,000元", ",150万", "150,万", "1,,500元", "1 500 000元",
                        /* digits on both sides of a point */
                        "1.", ".5", "1.万", "．５万",
                        /* compatibility digits are not digits */
                        "①万", "⑴万", "²万", "１⁵万",
                        /* one unit, at the end */
                        "万150", "150元万", "150 万 元",
                        /* invalid UTF-8 */
                        "150\xff万" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 yuan = 42;

      g_assert_false (sb_money_parse (bad[i], SB_MONEY_UNIT_WAN, &yuan, &error));
      g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT);
      g_assert_cmpint (yuan, ==, 42);
    }

  {
    g_autoptr(GError) error = NULL;
    gint64 yuan;

    sb_money_parse ("150.00001万", SB_MONEY_UNIT_WAN, &yuan, &error);
    g_assert_nonnull (strstr (error->message, "4"));
  }
}

static void
test_money_format (void)
{
  g_autofree char *a = sb_money_format_wan (1500000);
  g_autofree char *b = sb_money_format_wan (1500001);
  g_autofree char *c = sb_money_format_wan (-35000);
  g_autofree char *d = sb_money_format_yuan (1500001);
  g_autofree char *e = sb_money_format_yuan (0);
  g_autofree char *f = sb_money_format_yuan (-999);

  g_assert_cmpstr (a, ==, "150万元");
  g_assert_cmpstr (b, ==, "150.0001万元");
  g_assert_cmpstr (c, ==, "-3.5万元");
  g_assert_cmpstr (d, ==, "1,500,001 yuan");
  g_assert_cmpstr (e, ==, "0 yuan");
  g_assert_cmpstr (f, ==, "-999 yuan");
}

static void
test_money_format_exact (void)
{
  g_autofree char *a = sb_money_format_exact ((SbNumber) { 1600001, 2 }, TRUE);
  g_autofree char *b = sb_money_format_exact ((SbNumber) { 1600001, 2 }, FALSE);
  g_autofree char *c = sb_money_format_exact ((SbNumber) { -1600001, 2 }, FALSE);
  g_autofree char *d = sb_money_format_exact ((SbNumber) { 1500000, 1 }, TRUE);
  g_autofree char *e = sb_money_format_exact ((SbNumber) { 1, 3 }, FALSE);

  g_assert_cmpstr (a, ==, "80.00005万元");
  g_assert_cmpstr (b, ==, "800,000.5 yuan");
  g_assert_cmpstr (c, ==, "-800,000.5 yuan");
  g_assert_cmpstr (d, ==, "150万元");
  g_assert_cmpstr (e, ==, "0.3333 yuan");

  /* beyond any gint64 an amount still says what it is */
  {
    SbNumber huge = { (SbInt128) G_MAXINT64 * 1000 + 1, 2 };
    g_autofree char *zh = sb_money_format_exact (huge, TRUE);
    g_autofree char *en = sb_money_format_exact (huge, FALSE);

    g_assert_true (g_str_has_suffix (zh, "元"));
    g_assert_true (g_str_has_suffix (en, " yuan"));
  }
}

static SbNumber
number (const char *text)
{
  SbNumber n;

  g_assert_true (sb_number_parse_decimal (text, 12, &n, NULL));
  return n;
}

static void
test_number_exact (void)
{
  SbNumber third, sum, product;
  int order;
  g_autofree char *text = NULL;

  /* 0.1 + 0.2 == 0.3 exactly, unlike binary floating point */
  g_assert_true (sb_number_add (number ("0.1"), number ("0.2"), &sum, NULL));
  g_assert_true (sb_number_compare (sum, number ("0.3"), &order, NULL));
  g_assert_cmpint (order, ==, 0);

  /* (1/3) × 3 == 1 */
  g_assert_true (sb_number_div (number ("1"), number ("3"), &third, NULL));
  g_assert_true (sb_number_mul (third, number ("3"), &product, NULL));
  g_assert_true (sb_number_is_integer (product));

  text = sb_number_format (third, 4);
  g_assert_cmpstr (text, ==, "0.3333");
}

static void
test_number_errors (void)
{
  g_autoptr(GError) error = NULL;
  SbNumber result, big;

  g_assert_false (sb_number_div (number ("1"), number ("0"), &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);

  /* squaring repeatedly overflows: an error, never a wrapped value */
  big = number ("999999999999999999999999999999");
  g_assert_false (sb_number_mul (big, big, &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
}

static void
test_rounding (void)
{
  SbNumber r;
  gint64 v;

  g_assert_true (sb_number_round (number ("2.5"), &r, NULL));
  g_assert_true (sb_number_to_int (r, &v));
  g_assert_cmpint (v, ==, 3);
  g_assert_true (sb_number_round (number ("-2.5"), &r, NULL));
  g_assert_true (sb_number_to_int (r, &v));
  g_assert_cmpint (v, ==, -3);
  g_assert_true (sb_number_floor (number ("-2.1"), &r, NULL));
  g_assert_true (sb_number_to_int (r, &v));
  g_assert_cmpint (v, ==, -3);
  g_assert_true (sb_number_ceil (number ("2.1"), &r, NULL));
  g_assert_true (sb_number_to_int (r, &v));
  g_assert_cmpint (v, ==, 3);
}

static void
test_dates (void)
{
  g_autoptr(GError) error = NULL;
  SbDate a, b, c;

  g_assert_false (sb_date_parse ("2023-02-30", &a, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (sb_date_parse ("2023-2-3", &a, &error));
  g_clear_error (&error);
  g_assert_false (sb_date_parse ("2023-02-29", &a, &error));
  g_clear_error (&error);
  g_assert_true (sb_date_parse ("2024-02-29", &a, NULL));

  /* ages: the day before a birthday is still the younger age */
  g_assert_true (sb_date_parse ("1983-02-01", &a, NULL));
  g_assert_true (sb_date_parse ("2024-01-31", &b, NULL));
  g_assert_cmpint (sb_date_years_between (a, b), ==, 40);
  g_assert_true (sb_date_parse ("1983-01-31", &a, NULL));
  g_assert_cmpint (sb_date_years_between (a, b), ==, 41);
  g_assert_cmpint (sb_date_years_between (b, a), ==, -41);

  /* 01-31 plus one month is the end of February */
  g_assert_true (sb_date_add_months (b, 1, &c));
  {
    g_autofree char *text = sb_date_format (c);
    g_assert_cmpstr (text, ==, "2024-02-29");
  }
  g_assert_false (sb_date_add_days (b, 1000000, &c));
}

static void
test_identifiers (void)
{
  g_assert_true (sb_check_uscc ("91320600MA1X2B3C4U"));
  g_assert_true (sb_check_uscc ("123200004660073523"));
  g_assert_false (sb_check_uscc ("91320600MA1X2B3C4V"));   /* V is not in the alphabet */
  g_assert_false (sb_check_uscc ("91320600MA1X2B3C40"));   /* wrong check character */
  g_assert_false (sb_check_uscc ("91320600MA1X2B3C4"));    /* 17 characters */
  g_assert_false (sb_check_uscc ("91AB0600MA1X2B3C4U"));   /* division code not digits */

  g_assert_true (sb_check_id_card ("32060219880314251X", NULL));
  g_assert_true (sb_check_id_card ("32060219880314251x", NULL));
  g_assert_false (sb_check_id_card ("320602198803142510", NULL));
  g_assert_false (sb_check_id_card ("320602198802302517", NULL)); /* 1988-02-30 */

  g_assert_true (sb_check_mobile ("13812345678"));
  g_assert_true (sb_check_mobile ("+86 138-1234-5678"));
  g_assert_false (sb_check_mobile ("12812345678"));
  g_assert_false (sb_check_mobile ("1381234567"));
  g_assert_false (sb_check_mobile ("0513-55018902"));

  g_assert_true (sb_check_email ("rd@ntxinyuan.example.cn"));
  g_assert_false (sb_check_email ("rd@localhost"));
  g_assert_false (sb_check_email ("rd..x@a.cn"));
  g_assert_false (sb_check_email ("a@b@c.cn"));
  g_assert_false (sb_check_email ("张三@a.cn"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/number/money-units", test_money_units);
  g_test_add_func ("/number/money-rejects", test_money_rejects);
  g_test_add_func ("/number/money-format", test_money_format);
  g_test_add_func ("/number/money-format-exact", test_money_format_exact);
  g_test_add_func ("/number/exact", test_number_exact);
  g_test_add_func ("/number/errors", test_number_errors);
  g_test_add_func ("/number/rounding", test_rounding);
  g_test_add_func ("/number/dates", test_dates);
  g_test_add_func ("/number/identifiers", test_identifiers);

  return g_test_run ();
}
