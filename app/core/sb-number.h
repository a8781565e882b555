/* sb-number.h — exact numbers and money
 *
 * Rules compare money, so no binary floating point is used anywhere: a number
 * is a reduced fraction of two 128-bit integers, and every operation checks
 * for overflow. Money is a whole number of 元 (yuan); it is typed in 万元 with
 * at most 4 decimals (1 元) or in 元.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

__extension__ typedef __int128 SbInt128;

typedef struct {
  SbInt128 num;
  SbInt128 den;   /* always > 0, and gcd (num, den) == 1 */
} SbNumber;

/* Numerators and denominators stay strictly inside ±2^125: the smallest
 * 128-bit value has no positive counterpart, and the headroom means negation
 * and abs can never overflow. Beyond it, an operation is an overflow error. */
#define SB_NUMBER_LIMIT ((SbInt128) 1 << 125)

/* 10^15 元, far above any plausible budget, far below overflow. */
#define SB_MONEY_MAX_YUAN G_GINT64_CONSTANT (999999999999999)

SbNumber  sb_number_from_int        (gint64          value);
gboolean  sb_number_make            (SbInt128        num,
                                     SbInt128        den,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_add             (SbNumber        a,
                                     SbNumber        b,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_sub             (SbNumber        a,
                                     SbNumber        b,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_mul             (SbNumber        a,
                                     SbNumber        b,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_div             (SbNumber        a,
                                     SbNumber        b,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_compare         (SbNumber        a,
                                     SbNumber        b,
                                     int            *out,
                                     GError        **error);
SbNumber  sb_number_negate          (SbNumber        a);
gboolean  sb_number_is_integer      (SbNumber        a);
gboolean  sb_number_to_int          (SbNumber        a,
                                     gint64         *out);
gboolean  sb_number_round           (SbNumber        a,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_floor           (SbNumber        a,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_ceil            (SbNumber        a,
                                     SbNumber       *out,
                                     GError        **error);
gboolean  sb_number_parse_decimal   (const char     *text,
                                     guint           max_decimals,
                                     SbNumber       *out,
                                     GError        **error);
char     *sb_number_format          (SbNumber        a,
                                     guint           max_decimals);

typedef enum {
  SB_MONEY_UNIT_WAN,   /* 万元 */
  SB_MONEY_UNIT_YUAN,  /* 元 */
} SbMoneyUnit;

/* An amount in the money syntax of forms/README.md ("Amounts of money"):
 * blanks around it, an optional ¥/￥, a sign, digits (ASCII or full-width)
 * either ungrouped or grouped by three with "," or "，", decimals after a
 * digit, and a unit 万/万元/元 (else @default_unit). 万元 take at most 4
 * decimals, 元 none: nothing is rounded. */
gboolean  sb_money_parse            (const char     *text,
                                     SbMoneyUnit     default_unit,
                                     gint64         *yuan,
                                     GError        **error);
/* Whether @text is an amount in the money syntax that names its unit
 * (万, 万元 or 元), as a definition's bounds must. */
gboolean  sb_money_has_unit         (const char     *text);
char     *sb_money_format_wan       (gint64          yuan);
char     *sb_money_format_yuan      (gint64          yuan);
char     *sb_money_format_exact     (SbNumber        yuan,
                                     gboolean        in_wan);

G_END_DECLS
