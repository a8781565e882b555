/* sb-output.h — text for a terminal or a file: honest and UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything Shenbao prints goes through here, for two reasons:
 *
 * - Text from a draft, a call definition or a file name is not trusted. An
 *   escape sequence, a carriage return, a newline or a bidi override in it
 *   could recolour the terminal, overwrite a line or print a fake "No
 *   errors" line. sb_output_escape() turns every such character into a
 *   visible escape (\n, \r, \t, \u001B, \u202E; \xFF for a byte that is not
 *   UTF-8), so one value stays on its line and reads as it is.
 *
 * - g_print() and g_printerr() convert to the locale's charset and print
 *   "?" for every character it lacks (all of Chinese under LANG=C).
 *   Shenbao's output is UTF-8 whatever the locale: sb_output_install()
 *   routes g_print()/g_printerr() — and GOption's --help — to
 *   sb_output_write(), which writes the UTF-8 bytes as they are.
 *
 * Use: escape each untrusted piece with sb_output_escape() (a value, a
 * path, a message that embeds them), then print with g_print() or
 * sb_output_print(). As a safety net sb_output_write() also escapes every
 * control and bidi character except '\n', so a forgotten escape can at
 * worst break a line, never rewrite the screen.
 *
 * The escapes are valid JSON string escapes (\u202E), so JSON passed
 * through sb_output_write() stays the same JSON document.
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Whether @c would change what the terminal shows beyond printing itself:
 * C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks,
 * line and paragraph separators, and other invisible format characters. */
gboolean    sb_output_is_unsafe_char  (gunichar     c);

/* @text (@length bytes, or -1 for NUL-terminated) with every unsafe
 * character, and every byte that is not UTF-8, replaced by a visible
 * escape. The result is valid UTF-8 and holds no control character. */
char       *sb_output_escape          (const char  *text,
                                       gssize       length);

/* sb_output_escape() of @text, kept alive by @keep (a GPtrArray freeing
 * with g_free): for printing several untrusted strings in one call. */
const char *sb_output_escape_kept     (GPtrArray   *keep,
                                       const char  *text);

/* Writes UTF-8 @text to @stream without any charset conversion, escaping
 * unsafe characters other than '\n'. */
void        sb_output_write           (FILE        *stream,
                                       const char  *text);

void        sb_output_print           (const char  *format,
                                       ...) G_GNUC_PRINTF (1, 2);
void        sb_output_printerr        (const char  *format,
                                       ...) G_GNUC_PRINTF (1, 2);

/* Routes g_print() and g_printerr() through sb_output_write(). Call once
 * at start-up, before anything is printed. */
void        sb_output_install         (void);

G_END_DECLS
