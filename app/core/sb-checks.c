/* sb-checks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-checks.h"

/* GB 32100-2015: 18 characters from 31 symbols (no I, O, Z, S, V); the
 * last is a check character over the first 17, modulo 31. Positions 3–8
 * are the administrative division code, digits only. */
gboolean
sb_check_uscc (const char *text)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
  int sum = 0, check;

  if (text == NULL || strlen (text) != 18)
    return FALSE;

  for (int i = 0; i < 18; i++)
    {
      const char *at = strchr (alphabet, text[i]);

      if (text[i] == '\0' || at == NULL)
        return FALSE;
      if (i >= 2 && i <= 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
      if (i < 17)
        sum += (int) (at - alphabet) * weights[i];
    }

  check = (31 - sum % 31) % 31;
  return text[17] == alphabet[check];
}

/* GB 11643-1999: 17 digits, the birth date at positions 7–14, and an
 * ISO 7064 MOD 11-2 check character (0–9 or X). */
gboolean
sb_check_id_card (const char *text,
                  SbDate     *birth_date)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  int sum = 0, year, month, day;
  SbDate date;

  if (text == NULL || strlen (text) != 18)
    return FALSE;

  for (int i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      sum += (text[i] - '0') * weights[i];
    }

  if (g_ascii_toupper (text[17]) != checks[sum % 11])
    return FALSE;

  year = (text[6] - '0') * 1000 + (text[7] - '0') * 100 + (text[8] - '0') * 10 + (text[9] - '0');
  month = (text[10] - '0') * 10 + (text[11] - '0');
  day = (text[12] - '0') * 10 + (text[13] - '0');
  if (!sb_date_from_ymd (year, month, day, &date))
    return FALSE;

  if (birth_date != NULL)
    *birth_date = date;
  return TRUE;
}

/* Mainland mobile numbers: 11 digits starting 13–19, optionally written with
 * +86, spaces or hyphens. */
gboolean
sb_check_mobile (const char *text)
{
  char digits[16];
  gsize n = 0;
  const char *p = text;

  if (text == NULL)
    return FALSE;
  if (g_str_has_prefix (p, "+86"))
    p += 3;

  for (; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isdigit (*p) || n >= sizeof digits - 1)
        return FALSE;
      digits[n++] = *p;
    }
  digits[n] = '\0';

  return n == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

static gboolean
valid_label (const char *label,
             gsize       length)
{
  if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-')
      return FALSE;
  return TRUE;
}

/* An address a person can be written to: local@domain.tld in ASCII, the
 * way Chinese government forms accept it. */
gboolean
sb_check_email (const char *text)
{
  const char *at, *label;
  gsize length;
  int labels = 0;

  if (text == NULL || (length = strlen (text)) > 254)
    return FALSE;

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || at - text > 64)
    return FALSE;

  for (const char *p = text; p < at; p++)
    if (!(g_ascii_isalnum (*p) || strchr ("._%+-", *p) != NULL) ||
        (*p == '.' && (p == text || p + 1 == at || p[1] == '.')))
      return FALSE;

  label = at + 1;
  for (const char *p = at + 1; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (!valid_label (label, p - label))
            return FALSE;
          labels++;
          if (*p == '\0')
            break;
          label = p + 1;
        }
    }

  return labels >= 2;
}

char *
sb_normalise_name (const char *text)
{
  g_autofree char *folded = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  GString *out = g_string_new (NULL);

  if (folded == NULL)
    return g_string_free (out, FALSE);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x200B || c == 0xFEFF || c == 0x3000)
        continue;
      g_string_append_unichar (out, g_unichar_toupper (c));
    }
  return g_string_free (out, FALSE);
}
