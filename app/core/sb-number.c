/* sb-number.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-error.h"
#include "sb-number.h"

static gboolean
overflow (GError **error)
{
  g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("the number is too large to compute exactly"));
  return FALSE;
}

static SbInt128
abs128 (SbInt128 v)
{
  return v < 0 ? -v : v;
}

static SbInt128
gcd128 (SbInt128 a,
        SbInt128 b)
{
  a = abs128 (a);
  b = abs128 (b);
  while (b != 0)
    {
      SbInt128 t = a % b;
      a = b;
      b = t;
    }
  return a;
}

static gboolean
in_range (SbInt128 v)
{
  return v < SB_NUMBER_LIMIT && v > -SB_NUMBER_LIMIT;
}

SbNumber
sb_number_from_int (gint64 value)
{
  SbNumber n = { value, 1 };
  return n;
}

gboolean
sb_number_make (SbInt128   num,
                SbInt128   den,
                SbNumber  *out,
                GError   **error)
{
  SbInt128 g;

  if (den == 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("division by zero"));
      return FALSE;
    }
  if (!in_range (num) || !in_range (den))
    return overflow (error);
  if (den < 0)
    {
      num = -num;
      den = -den;
    }
  g = gcd128 (num, den);
  if (g > 1)
    {
      num /= g;
      den /= g;
    }
  out->num = num;
  out->den = den;
  return TRUE;
}

gboolean
sb_number_add (SbNumber   a,
               SbNumber   b,
               SbNumber  *out,
               GError   **error)
{
  /* over the least common denominator, so that a sum that fits is never
   * reported as an overflow: a/d + b/d needs no product of denominators */
  SbInt128 g = gcd128 (a.den, b.den);
  SbInt128 x, y, num, den;

  if (__builtin_mul_overflow (a.num, b.den / g, &x) ||
      __builtin_mul_overflow (b.num, a.den / g, &y) ||
      __builtin_add_overflow (x, y, &num) ||
      __builtin_mul_overflow (a.den / g, b.den, &den))
    return overflow (error);
  return sb_number_make (num, den, out, error);
}

SbNumber
sb_number_negate (SbNumber a)
{
  a.num = -a.num;
  return a;
}

gboolean
sb_number_sub (SbNumber   a,
               SbNumber   b,
               SbNumber  *out,
               GError   **error)
{
  return sb_number_add (a, sb_number_negate (b), out, error);
}

gboolean
sb_number_mul (SbNumber   a,
               SbNumber   b,
               SbNumber  *out,
               GError   **error)
{
  SbInt128 g1 = gcd128 (a.num, b.den);
  SbInt128 g2 = gcd128 (b.num, a.den);
  SbInt128 num, den;

  /* cross-reduce first so that exact results stay small */
  if (g1 > 1)
    {
      a.num /= g1;
      b.den /= g1;
    }
  if (g2 > 1)
    {
      b.num /= g2;
      a.den /= g2;
    }
  if (__builtin_mul_overflow (a.num, b.num, &num) ||
      __builtin_mul_overflow (a.den, b.den, &den))
    return overflow (error);
  return sb_number_make (num, den, out, error);
}

gboolean
sb_number_div (SbNumber   a,
               SbNumber   b,
               SbNumber  *out,
               GError   **error)
{
  SbNumber inverse;

  if (b.num == 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("division by zero"));
      return FALSE;
    }
  inverse.num = b.num < 0 ? -b.den : b.den;
  inverse.den = abs128 (b.num);
  return sb_number_mul (a, inverse, out, error);
}

gboolean
sb_number_compare (SbNumber  a,
                   SbNumber  b,
                   int      *out,
                   GError  **error)
{
  SbNumber difference;

  if (!sb_number_sub (a, b, &difference, error))
    return FALSE;
  *out = difference.num < 0 ? -1 : difference.num > 0 ? 1 : 0;
  return TRUE;
}

gboolean
sb_number_is_integer (SbNumber a)
{
  return a.den == 1;
}

gboolean
sb_number_to_int (SbNumber  a,
                  gint64   *out)
{
  if (a.den != 1 || a.num > G_MAXINT64 || a.num < G_MININT64)
    return FALSE;
  *out = (gint64) a.num;
  return TRUE;
}

static SbInt128
floor_div (SbInt128 num,
           SbInt128 den)
{
  SbInt128 q = num / den;

  if ((num % den != 0) && (num < 0))
    q--;
  return q;
}

gboolean
sb_number_floor (SbNumber   a,
                 SbNumber  *out,
                 GError   **error)
{
  return sb_number_make (floor_div (a.num, a.den), 1, out, error);
}

gboolean
sb_number_ceil (SbNumber   a,
                SbNumber  *out,
                GError   **error)
{
  return sb_number_make (-floor_div (-a.num, a.den), 1, out, error);
}

/* Half away from zero, the way amounts are rounded on Chinese forms (四舍五入). */
gboolean
sb_number_round (SbNumber   a,
                 SbNumber  *out,
                 GError   **error)
{
  SbInt128 magnitude = abs128 (a.num);
  SbInt128 q = (2 * magnitude + a.den) / (2 * a.den);

  return sb_number_make (a.num < 0 ? -q : q, 1, out, error);
}

static SbInt128
pow10_128 (guint exponent)
{
  SbInt128 v = 1;

  while (exponent-- > 0)
    v *= 10;
  return v;
}

gboolean
sb_number_parse_decimal (const char  *text,
                         guint        max_decimals,
                         SbNumber    *out,
                         GError     **error)
{
  const char *p = text;
  gboolean negative = FALSE;
  SbInt128 num = 0;
  guint int_digits = 0, decimals = 0;
  gboolean seen_point = FALSE;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  for (; *p != '\0'; p++)
    {
      if (*p == '.' && !seen_point)
        {
          seen_point = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                       _("“%s” is not a number"), text);
          return FALSE;
        }
      if (seen_point)
        decimals++;
      else
        int_digits++;
      if (int_digits + decimals > 30)
        {
          g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                       _("“%.40s” has too many digits"), text);
          return FALSE;
        }
      num = num * 10 + (*p - '0');
    }

  /* "1." and ".5" are typing slips, not numbers */
  if (int_digits == 0 || (seen_point && decimals == 0))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("“%s” is not a number"), text);
      return FALSE;
    }
  if (decimals > 0 && max_decimals == 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("“%s” must be a whole number"), text);
      return FALSE;
    }
  if (decimals > max_decimals)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” has more than %u decimal place",
                                "“%s” has more than %u decimal places", max_decimals),
                   text, max_decimals);
      return FALSE;
    }

  return sb_number_make (negative ? -num : num, pow10_128 (decimals), out, error);
}

static void
append_int128 (GString  *out,
               SbInt128  v)
{
  char digits[48];
  int n = 0;

  if (v == 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  while (v > 0)
    {
      digits[n++] = '0' + (int) (v % 10);
      v /= 10;
    }
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* Exact when the decimal expansion ends within @max_decimals, otherwise
 * rounded half away from zero; trailing zeros are dropped. */
char *
sb_number_format (SbNumber a,
                  guint    max_decimals)
{
  GString *out = g_string_new (NULL);
  SbInt128 scale = pow10_128 (max_decimals);
  SbInt128 magnitude = abs128 (a.num);
  SbInt128 scaled;
  SbInt128 int_part, frac_part;

  /* a huge value cannot be scaled; print its integer part only */
  if (magnitude > SB_NUMBER_LIMIT / scale / 4)
    {
      if (a.num < 0)
        g_string_append_c (out, '-');
      append_int128 (out, magnitude / a.den);
      return g_string_free (out, FALSE);
    }

  scaled = (2 * magnitude * scale + a.den) / (2 * a.den);
  int_part = scaled / scale;
  frac_part = scaled % scale;

  if (a.num < 0 && scaled != 0)
    g_string_append_c (out, '-');
  append_int128 (out, int_part);

  if (frac_part != 0)
    {
      char frac[40];
      int len = (int) max_decimals;

      for (int i = len - 1; i >= 0; i--)
        {
          frac[i] = '0' + (int) (frac_part % 10);
          frac_part /= 10;
        }
      while (len > 0 && frac[len - 1] == '0')
        len--;
      g_string_append_c (out, '.');
      g_string_append_len (out, frac, len);
    }

  return g_string_free (out, FALSE);
}

/* Money as a person types it, and as a definition writes a bound. The
 * syntax (forms/README.md, "Amounts of money") is checked on a mapped copy:
 * full-width digits and punctuation become ASCII, the currency sign "$",
 * 万 "W", 元 "Y", blanks " "; anything else "?", which no amount contains.
 * Circled or other "compatibility" digits are not digits here. */
static char *
map_money_text (const char *text)
{
  GString *out = g_string_new (NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return g_string_free (out, FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xFF10 && c <= 0xFF19)          /* ０–９ */
        c = '0' + (c - 0xFF10);
      else if (c == 0xFF0C)                    /* ， */
        c = ',';
      else if (c == 0xFF0E)                    /* ． */
        c = '.';
      else if (c == 0xFF0B)                    /* ＋ */
        c = '+';
      else if (c == 0xFF0D || c == 0x2212)     /* －, − */
        c = '-';

      if (g_ascii_isdigit (c) || c == ',' || c == '.' || c == '+' || c == '-')
        g_string_append_c (out, (char) c);
      else if (c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0)
        g_string_append_c (out, ' ');
      else if (c == 0xA5 || c == 0xFFE5)       /* ¥ ￥ */
        g_string_append_c (out, '$');
      else if (c == 0x4E07)                    /* 万 */
        g_string_append_c (out, 'W');
      else if (c == 0x5143)                    /* 元 */
        g_string_append_c (out, 'Y');
      else
        g_string_append_c (out, '?');
    }
  return g_string_free (out, FALSE);
}

/* blanks, a currency sign, a sign, digits grouped by three or not at all,
 * decimals after a digit, blanks, a unit, blanks */
#define MONEY_SYNTAX "^ *(?:\\$ *)?([-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\\.[0-9]+)?) *(WY|W|Y)? *$"

static GRegex *
money_syntax (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new (MONEY_SYNTAX, G_REGEX_OPTIMIZE, 0, NULL));
  return regex;
}

gboolean
sb_money_has_unit (const char *text)
{
  g_autofree char *mapped = map_money_text (text);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *unit = NULL;

  if (!g_regex_match (money_syntax (), mapped, 0, &match))
    return FALSE;
  unit = g_match_info_fetch (match, 2);
  return unit != NULL && unit[0] != '\0';
}

gboolean
sb_money_parse (const char   *text,
                SbMoneyUnit   default_unit,
                gint64       *yuan,
                GError      **error)
{
  g_autofree char *mapped = map_money_text (text);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  g_autofree char *unit_text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) digits = NULL;
  SbMoneyUnit unit = default_unit;
  SbNumber amount, result;
  gint64 value;

  if (!g_regex_match (money_syntax (), mapped, 0, &match))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("“%s” is not an amount of money"), text);
      return FALSE;
    }
  number = g_match_info_fetch (match, 1);
  unit_text = g_match_info_fetch (match, 2);
  if (unit_text != NULL && unit_text[0] == 'W')
    unit = SB_MONEY_UNIT_WAN;
  else if (unit_text != NULL && unit_text[0] == 'Y')
    unit = SB_MONEY_UNIT_YUAN;

  /* the grouping commas were checked: drop them */
  digits = g_string_new (number);
  g_string_replace (digits, ",", "", 0);

  if (!sb_number_parse_decimal (digits->str, unit == SB_MONEY_UNIT_WAN ? 4 : 0, &amount, &local_error))
    {
      if (g_error_matches (local_error, SB_ERROR, SB_ERROR_INVALID_INPUT) && strchr (digits->str, '.') != NULL)
        g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                     unit == SB_MONEY_UNIT_WAN
                     ? _("“%s”: amounts in 万元 take at most 4 decimal places (1 元)")
                     : _("“%s”: amounts in 元 are whole numbers"),
                     text);
      else
        g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("“%s” is too large an amount"), text);
      return FALSE;
    }

  if (unit == SB_MONEY_UNIT_WAN &&
      !sb_number_mul (amount, sb_number_from_int (10000), &result, NULL))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("“%s” is too large an amount"), text);
      return FALSE;
    }
  if (unit == SB_MONEY_UNIT_YUAN)
    result = amount;

  if (!sb_number_to_int (result, &value) || value > SB_MONEY_MAX_YUAN || value < -SB_MONEY_MAX_YUAN)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("“%s” is too large an amount"), text);
      return FALSE;
    }

  *yuan = value;
  return TRUE;
}

char *
sb_money_format_wan (gint64 yuan)
{
  g_autofree char *number = NULL;
  SbNumber wan;

  /* cannot fail: |yuan| < 2^63 and 10000 are far inside the 128-bit range */
  sb_number_make (yuan, 10000, &wan, NULL);
  number = sb_number_format (wan, 4);
  return g_strdup_printf ("%s万元", number);
}

char *
sb_money_format_yuan (gint64 yuan)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  GString *out = g_string_new (yuan < 0 ? "-" : "");
  guint64 magnitude = yuan < 0 ? -(guint64) yuan : (guint64) yuan;

  g_string_printf (digits, "%" G_GUINT64_FORMAT, magnitude);
  for (gsize i = 0; i < digits->len; i++)
    {
      if (i > 0 && (digits->len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits->str[i]);
    }
  g_string_append (out, " yuan");
  return g_string_free (out, FALSE);
}

/* An amount computed by a rule (half of 1,600,001 元) need not be whole 元;
 * it is shown as it is — 80.00005万元 or 800,000.5 yuan — never rounded into
 * a figure that seems to contradict the verdict. Whatever its size, an
 * amount keeps its unit. */
char *
sb_money_format_exact (SbNumber yuan,
                       gboolean in_wan)
{
  g_autofree char *whole = NULL;
  g_autofree char *fraction = NULL;
  SbNumber floor_value, rest, wan;
  gint64 integer;

  if (sb_number_to_int (yuan, &integer))
    return in_wan ? sb_money_format_wan (integer) : sb_money_format_yuan (integer);

  if (in_wan && sb_number_div (yuan, sb_number_from_int (10000), &wan, NULL))
    {
      g_autofree char *number = sb_number_format (wan, 8);
      return g_strdup_printf ("%s万元", number);
    }

  /* grouped whole 元, then the decimals of the remainder */
  if (!sb_number_floor (yuan.num < 0 ? sb_number_negate (yuan) : yuan, &floor_value, NULL) ||
      !sb_number_to_int (floor_value, &integer) ||
      !sb_number_sub (yuan.num < 0 ? sb_number_negate (yuan) : yuan, floor_value, &rest, NULL))
    {
      g_autofree char *number = sb_number_format (yuan, 4);
      return g_strdup_printf (in_wan ? "%s元" : "%s yuan", number);
    }

  fraction = sb_number_format (rest, 4);
  if (g_str_equal (fraction, "1"))   /* 0.99995 and up rounds to the next 元 */
    integer++;
  whole = sb_money_format_yuan (integer);
  whole[strlen (whole) - strlen (" yuan")] = '\0';
  return g_strdup_printf ("%s%s%s yuan", yuan.num < 0 ? "-" : "", whole,
                          g_str_has_prefix (fraction, "0.") ? fraction + 1 : "");
}
