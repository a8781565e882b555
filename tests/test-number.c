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
  g_clear_error (&error);
}

/* The limit of exact numbers, at the limit and one past it, in every path
 * of addition. */
static void
test_number_limits (void)
{
  const SbInt128 largest = SB_NUMBER_LIMIT - 1;
  g_autoptr(GError) error = NULL;
  SbNumber a, b, result;

  /* the largest number is made; one more is an overflow */
  g_assert_true (sb_number_make (largest, 1, &a, NULL));
  g_assert_false (sb_number_make (largest + 1, 1, &b, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);

  /* the same denominator: largest − 1 + 1 fits, largest + 1 does not */
  g_assert_true (sb_number_make (largest - 1, 1, &b, NULL));
  g_assert_true (sb_number_add (b, sb_number_from_int (1), &result, NULL));
  g_assert_true (result.num == largest && result.den == 1);
  g_assert_false (sb_number_add (a, sb_number_from_int (1), &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);

  /* largest/3 + largest/3: the sum of the numerators is past the limit */
  g_assert_true (sb_number_make (largest, 3, &a, NULL));
  g_assert_true (a.den == 3);
  g_assert_false (sb_number_add (a, a, &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);
  /* and largest/3 − largest/3 is exactly zero */
  g_assert_true (sb_number_sub (a, a, &result, NULL));
  g_assert_true (result.num == 0 && result.den == 1);

  /* largest/3 + largest/2: each cross product fits in 128 bits, their sum
   * does not; an error, never a wrapped value */
  g_assert_true (sb_number_make (largest, 2, &b, NULL));
  g_assert_false (sb_number_add (a, b, &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);
  g_assert_false (sb_number_add (b, a, &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);
  /* cross products just below 2^127 whose sum would wrap around 2^128 to a
   * small number: A/3^7 + B/2^10 with A·2^10 and B·3^7 each near 2^127 */
  {
    const SbInt128 max128 = (SbInt128) (~(unsigned __int128) 0 >> 1);
    SbInt128 B = max128 / 2187;

    if (B % 2 == 0)
      B--;
    g_assert_true (sb_number_make (max128 / 1024, 2187, &a, NULL));
    g_assert_true (sb_number_make (B, 1024, &b, NULL));
    g_assert_true (a.den == 2187 && b.den == 1024);
    g_assert_false (sb_number_add (a, b, &result, &error));
    g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
    g_clear_error (&error);
    g_assert_true (sb_number_make (largest, 3, &a, NULL));
  }

  /* products that wrap around 2^128 to a small number: (2^64 + 1)(2^64 − 1)
   * is 2^128 − 1, that is −1 in 128 bits. In a numerator: (2^64 + 1) +
   * 1/(2^64 − 1), both ways round; in the denominator: 1/(2^64 + 1) +
   * 1/(2^64 − 1). Each is an overflow, never a wrong small number. */
  {
    const SbInt128 two64 = (SbInt128) 1 << 64;
    SbNumber whole, small_plus, small_minus;

    g_assert_true (sb_number_make (two64 + 1, 1, &whole, NULL));
    g_assert_true (sb_number_make (1, two64 + 1, &small_plus, NULL));
    g_assert_true (sb_number_make (1, two64 - 1, &small_minus, NULL));
    g_assert_false (sb_number_add (whole, small_minus, &result, &error));
    g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
    g_clear_error (&error);
    g_assert_false (sb_number_add (small_minus, whole, &result, &error));
    g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
    g_clear_error (&error);
    g_assert_false (sb_number_add (small_plus, small_minus, &result, &error));
    g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
    g_clear_error (&error);
  }

  /* a cross product beyond 128 bits: largest/3 + 1/5 */
  g_assert_true (sb_number_make (1, 5, &b, NULL));
  g_assert_false (sb_number_add (a, b, &result, &error));
  g_assert_error (error, SB_ERROR, SB_ERROR_EVALUATION);
  g_clear_error (&error);

  /* denominators that share a factor: 1/2^100 + 1/(3·2^100) = 1/(3·2^98).
   * Multiplying the denominators (2^200) would overflow; the sum fits. */
  g_assert_true (sb_number_make (1, (SbInt128) 1 << 100, &a, NULL));
  g_assert_true (sb_number_make (1, ((SbInt128) 3) << 100, &b, NULL));
  g_assert_true (sb_number_add (a, b, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.num == 1 && result.den == ((SbInt128) 3) << 98);
  /* and the difference: 1/2^100 − 1/(3·2^100) = 1/(3·2^99) */
  g_assert_true (sb_number_sub (a, b, &result, NULL));
  g_assert_true (result.num == 1 && result.den == ((SbInt128) 3) << 99);

  /* the same denominator at the largest value: 1/largest + 1/largest */
  g_assert_true (sb_number_make (1, largest, &a, NULL));
  g_assert_true (sb_number_add (a, a, &result, NULL));
  g_assert_true (result.num == 2 && result.den == largest);
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
  g_test_add_func ("/number/limits", test_number_limits);
  g_test_add_func ("/number/rounding", test_rounding);
  g_test_add_func ("/number/dates", test_dates);
  g_test_add_func ("/number/identifiers", test_identifiers);

  return g_test_run ();
}
