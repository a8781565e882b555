/* sb-regex.h — regular expressions of call definitions, bounded
 *
 * Patterns come from call files, texts from drafts: a pattern such as
 * ^(a|a)*$ backtracks exponentially on "aaaa…b". GRegex cannot limit that,
 * so PCRE2 is used directly with a match limit (backtracking steps) and a
 * depth limit; a match that hits either is an evaluation error with a
 * clear message, never a hang.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PCRE2's count of backtracking points for one match, and its depth of
 * nested backtracking; far above what a real check of a few thousand
 * characters needs */
#define SB_REGEX_MATCH_LIMIT 10000
#define SB_REGEX_DEPTH_LIMIT 1000

typedef struct _SbRegex SbRegex;

SbRegex  *sb_regex_new    (const char  *pattern,
                           GError     **error);
void      sb_regex_free   (SbRegex     *regex);

/* A search anywhere in @subject (UTF-8); FALSE with SB_ERROR_EVALUATION
 * when the limits are hit. */
gboolean  sb_regex_match  (SbRegex     *regex,
                           const char  *subject,
                           gboolean    *matched,
                           GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbRegex, sb_regex_free)

G_END_DECLS
