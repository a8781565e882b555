/* test-output.c — text made safe for a terminal, written as UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sb-output.h"

static void
assert_escaped (const char *text,
                gssize      length,
                const char *expected)
{
  g_autofree char *escaped = sb_output_escape (text, length);

  g_assert_cmpstr (escaped, ==, expected);
  g_assert_true (g_utf8_validate (escaped, -1, NULL));
}

static void
test_escape (void)
{
  /* plain text, Chinese and all, is left alone */
  assert_escaped ("南通 2023：150万元 ✓ 😀", -1, "南通 2023：150万元 ✓ 😀");
  assert_escaped ("", -1, "");
  assert_escaped (NULL, -1, "");
  /* what moves the cursor, recolours or rewrites a line */
  assert_escaped ("a\033[2Jb", -1, "a\\u001B[2Jb");
  assert_escaped ("ok\rNo errors\n", -1, "ok\\rNo errors\\n");
  assert_escaped ("\t\a\b\v\f\177", -1, "\\t\\u0007\\u0008\\u000B\\u000C\\u007F");
  /* C1 controls, as UTF-8: U+0085 (next line), U+009B (CSI) */
  assert_escaped ("\302\205\302\233", -1, "\\u0085\\u009B");
  /* bidi: overrides, embeddings, isolates, marks; separators; invisibles */
  assert_escaped ("report\342\200\256fdp.exe", -1, "report\\u202Efdp.exe");
  assert_escaped ("\342\200\252\342\200\253\342\200\254\342\200\255\342\201\246\342\201\247\342\201\250\342\201\251"
                  "\342\200\216\342\200\217\330\234", -1,
                  "\\u202A\\u202B\\u202C\\u202D\\u2066\\u2067\\u2068\\u2069\\u200E\\u200F\\u061C");
  assert_escaped ("\342\200\250\342\200\251\342\200\213\357\273\277", -1, "\\u2028\\u2029\\u200B\\uFEFF");
  /* bytes that are not UTF-8, and a NUL inside the given length */
  assert_escaped ("a\377b\300\200c", -1, "a\\xFFb\\xC0\\x80c");
  assert_escaped ("a\0b", 3, "a\\u0000b");
  /* a cut character at the end */
  assert_escaped ("研", 2, "\\xE7\\xA0");
  /* a backslash stays one: it cannot start anything on a terminal */
  assert_escaped ("C:\\n", -1, "C:\\n");
}

static void
test_unsafe_chars (void)
{
  for (gunichar c = 0; c < 0x20; c++)
    g_assert_true (sb_output_is_unsafe_char (c));
  for (gunichar c = 0x7F; c < 0xA0; c++)
    g_assert_true (sb_output_is_unsafe_char (c));
  for (gunichar c = 0x202A; c <= 0x202E; c++)
    g_assert_true (sb_output_is_unsafe_char (c));
  for (gunichar c = 0x2066; c <= 0x2069; c++)
    g_assert_true (sb_output_is_unsafe_char (c));
  g_assert_false (sb_output_is_unsafe_char (' '));
  g_assert_false (sb_output_is_unsafe_char (0x4E07));   /* 万 */
  g_assert_false (sb_output_is_unsafe_char (0x3000));   /* ideographic space */
  g_assert_false (sb_output_is_unsafe_char (0x201C));   /* “ */
}

/* Written as UTF-8 bytes in the C locale, newlines kept, the rest escaped. */
static void
test_write (void)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  int fd = g_file_open_tmp ("shenbao-output-XXXXXX", &path, NULL);
  FILE *stream = fdopen (fd, "w");

  g_assert_nonnull (setlocale (LC_ALL, "C"));
  sb_output_write (stream, "草稿：a\033[31m\n第二行\342\200\256\n");
  fclose (stream);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "草稿：a\\u001B[31m\n第二行\\u202E\n");
  unlink (path);
  setlocale (LC_ALL, "");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/output/escape", test_escape);
  g_test_add_func ("/output/unsafe-chars", test_unsafe_chars);
  g_test_add_func ("/output/write", test_write);

  return g_test_run ();
}
