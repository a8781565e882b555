/* test-pdf.c — the printed 申报书, checked with independent tools
 *
 * Every sample draft is exported and then read back by qpdf, pdffonts,
 * pdftotext and mutool (not by our own code): the file is sound, every
 * font is embedded with a Unicode map, every value the applicant entered
 * is in the extracted text exactly, no extracted line starts with a
 * punctuation mark Chinese typesetting forbids there, and no character
 * lies outside its page's text block (mirrored on even pages for
 * double-sided printing). tests/check-pdf-cells.py reads the ruling lines
 * (mutool trace) and every glyph's box (mutool stext) and poppler's words:
 * no glyph crosses a line, every glyph in a grid lies within one cell, the
 * body text of odd pages starts at 28 mm and of even pages at 26 mm.
 * Stress drafts push the layout: a name with
 * 𠮷, 200- and 30-row tables, a 5,000-character section, dense punctuation.
 * Every page is also rendered to PNG under the build folder for a person
 * to look at (pdf-pages/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sb-application-digest.h"
#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-pdf-export.h"
#include "sb-pdf-writer.h"
#include "sb-validator.h"

static const char *forbidden_start = "，。、；：？！）】》”’%";
static const char *forbidden_end = "（【《“‘";

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_tool (Run        *run,
          const char *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) first);
  va_start (ap, first);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
}

static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c) && c != 0x3000)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static SbDraft *
load_draft (const char *path)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SbDraft *draft = sb_draft_load (file, catalog, &error);

  g_assert_no_error (error);
  return draft;
}

/* a sample draft with values replaced: "field" or "field.member" paths */
static SbDraft *
load_modified (const char  *sample,
               JsonNode    *(*modify) (JsonNode *root))
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", sample, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  JsonNode *root;
  SbDraft *draft;
  char *data;
  gsize length;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = modify (json_parser_get_root (parser));
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (data, length);
  draft = sb_draft_load_bytes (bytes, path, catalog, &error);
  g_assert_no_error (error);
  sb_draft_set_file (draft, file);
  return draft;
}

static GBytes *
export (SbDraft  *draft,
        GError  **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = g_date_time_new (utc, 2024, 1, 20, 9, 42, 0);
  SbPdfExportOptions options = { 0 };

  options.digest = "00dd6c2302f601aa2244fa7311b117e7a7add37a73cb6637d4554b4ee1aff7cf";
  options.time = time;
  return sb_pdf_export_bytes (draft, &options, NULL, error);
}

static char *
write_pdf (GBytes     *bytes,
           const char *name)
{
  g_autofree char *dir = g_build_filename (BUILD_DIR, "tests", "pdf-out", NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* The values a draft gives, as the paper shows them */

static void
collect (SbField       *field,
         const SbValue *value,
         GPtrArray     *out)
{
  if (value == NULL || sb_value_is_empty (value))
    return;
  switch (sb_field_get_field_type (field))
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
      g_ptr_array_add (out, g_strdup (sb_value_get_string (value)));
      break;
    case SB_FIELD_MONEY:
      {
        gint64 yuan;
        g_assert_true (sb_number_to_int (sb_value_get_number (value), &yuan));
        g_ptr_array_add (out, sb_field_get_unit (field) == SB_MONEY_UNIT_YUAN ? sb_money_format_yuan (yuan)
                                                                              : sb_money_format_wan (yuan));
      }
      break;
    case SB_FIELD_INTEGER:
      g_ptr_array_add (out, sb_number_format (sb_value_get_number (value), 0));
      break;
    case SB_FIELD_DATE:
      {
        int y, m, d;
        sb_date_to_ymd (sb_value_get_date (value), &y, &m, &d);
        g_ptr_array_add (out, g_strdup_printf ("%d年%d月%d日", y, m, d));
      }
      break;
    case SB_FIELD_CHOICE:
      g_ptr_array_add (out, g_strdup (sb_field_find_option (field, sb_value_get_string (value))->label.zh));
      break;
    case SB_FIELD_MULTI_CHOICE:
      for (guint i = 0; i < sb_value_get_list (value)->len; i++)
        g_ptr_array_add (out, g_strdup (sb_field_find_option (field,
                                          sb_value_get_string (g_ptr_array_index (sb_value_get_list (value), i)))->label.zh));
      break;
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      for (guint i = 0; i < sb_field_get_children (field)->len; i++)
        {
          SbField *child = g_ptr_array_index (sb_field_get_children (field), i);
          collect (child, sb_value_record_get (value, sb_field_get_id (child)), out);
        }
      break;
    case SB_FIELD_TABLE:
      for (guint r = 0; r < sb_value_get_list (value)->len; r++)
        {
          const SbValue *row = g_ptr_array_index (sb_value_get_list (value), r);
          for (guint i = 0; i < sb_field_get_children (field)->len; i++)
            {
              SbField *child = g_ptr_array_index (sb_field_get_children (field), i);
              collect (child, sb_value_record_get (row, sb_field_get_id (child)), out);
            }
        }
      break;
    default:
      break;
    }
}

static GPtrArray *
entered_values (SbDraft *draft)
{
  SbCall *call = sb_draft_get_call (draft);
  g_autoptr(SbValidator) validator = sb_validator_new (call);
  g_ptr_array_unref (sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT));
  GPtrArray *fields = sb_call_get_fields (call);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < fields->len; i++)
    collect (g_ptr_array_index (fields, i), sb_validator_get_value (validator, g_ptr_array_index (fields, i)), out);
  return out;
}

/* The checks */

static void
check_sound (const char *pdf)
{
  g_auto(Run) qpdf = { 0 };
  g_auto(Run) fonts = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_fonts = 0;

  run_tool (&qpdf, "qpdf", "--check", pdf, NULL);
  g_assert_cmpint (qpdf.status, ==, 0);
  g_assert_nonnull (strstr (qpdf.out, "No syntax or stream encoding errors found"));

  run_tool (&fonts, "pdffonts", pdf, NULL);
  g_assert_cmpint (fonts.status, ==, 0);
  g_assert_cmpstr (fonts.err, ==, "");
  lines = g_strsplit (fonts.out, "\n", -1);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = NULL;
      guint n;

      if (lines[i][0] == '\0')
        continue;
      columns = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      /* … emb sub uni object ID: embedded, subset and with a Unicode map */
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      for (guint k = 0; columns[k] != NULL; k++)
        if (columns[k][0] != '\0')
          g_ptr_array_add (words, columns[k]);
      n = words->len;
      g_assert_cmpuint (n, >=, 6);
      g_assert_cmpstr (g_ptr_array_index (words, n - 5), ==, "yes");
      g_assert_cmpstr (g_ptr_array_index (words, n - 4), ==, "yes");
      g_assert_cmpstr (g_ptr_array_index (words, n - 3), ==, "yes");
      n_fonts++;
    }
  g_assert_cmpuint (n_fonts, >=, 1);
}

static char *
extract_pdftotext (const char *pdf)
{
  g_auto(Run) run = { 0 };

  run_tool (&run, "pdftotext", "-enc", "UTF-8", pdf, "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");   /* no warning of any kind */
  return g_steal_pointer (&run.out);
}

static char *
extract_mutool (const char *pdf)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_tool (&run, "mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  /* mutool may say that this build of it lacks ICC colour support: that
   * is about mutool, not the file; anything else is a failure */
  lines = g_strsplit (run.err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && !g_str_equal (lines[i], "warning: ICC support is not available"))
      g_test_fail_printf ("mutool: %s", lines[i]);
  return g_steal_pointer (&run.out);
}

/* the text without page furniture: "— 3 —" and the digest line of every
 * footer, which a value crossing a page break would otherwise enclose */
static char *
body_text (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GRegex) number = g_regex_new ("^\\f?— [0-9]+ —$", 0, 0, NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i][0] == '\f' ? lines[i] + 1 : lines[i];
      if (g_regex_match (number, lines[i], 0, NULL) || g_str_has_prefix (line, "申报摘要 "))
        continue;
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

static void
check_values (const char *name,
              const char *text,
              GPtrArray  *values)
{
  g_autofree char *body = body_text (text);
  g_autofree char *all = squeeze (body);

  for (guint i = 0; i < values->len; i++)
    {
      g_autofree char *value = squeeze (g_ptr_array_index (values, i));

      if (strstr (all, value) == NULL)
        g_test_fail_printf ("%s: “%s” is not in the extracted text", name, (char *) g_ptr_array_index (values, i));
    }
}

static void
check_line_starts (const char *name,
                   const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gunichar previous_end = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = lines[i];

      while (*p == ' ' || *p == '\f')
        p++;
      if (*p != '\0' && g_utf8_strchr (forbidden_start, -1, g_utf8_get_char (p)) != NULL)
        g_test_fail_printf ("%s: a line starts with forbidden punctuation: “%s”", name, lines[i]);
      if (*p != '\0')
        {
          const char *last = g_utf8_prev_char (p + strlen (p));
          gunichar first = g_utf8_get_char (p);

          while (last > p && *last == ' ')
            last = g_utf8_prev_char (last);
          if (g_utf8_strchr (forbidden_end, -1, g_utf8_get_char (last)) != NULL)
            g_test_fail_printf ("%s: a line ends with forbidden punctuation: “%s”", name, lines[i]);
          /* an amount is not parted from its unit: 300万|元, 1.2|亿 */
          if (previous_end != 0 &&
              ((g_unichar_isdigit (previous_end) && g_utf8_strchr ("万亿元%", -1, first) != NULL) ||
               (g_utf8_strchr ("万亿", -1, previous_end) != NULL && first == 0x5143 /* 元 */)))
            g_test_fail_printf ("%s: an amount is broken from its unit: “%s” / “%s”", name, lines[i - 1], lines[i]);
          previous_end = g_utf8_get_char (last);
        }
      else
        previous_end = 0;
    }
}

/* Every character's box, from mutool's structured text, inside the text
 * block horizontally and on the page: the margins are mirrored for
 * double-sided printing, 28 mm binding edge left on odd pages and right on
 * even pages, 26 mm at the outer edge */
static void
check_boxes (const char *name,
             const char *pdf)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GRegex) quad = g_regex_new ("<char quad=\"([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ([-0-9.]+) [-0-9.]+ [-0-9.]+ ([-0-9.]+) ([-0-9.]+)\"",
                                        0, 0, NULL);
  g_auto(GStrv) pages = NULL;
  guint n = 0;

  run_tool (&run, "mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  pages = g_strsplit (run.out, "<page ", -1);
  for (guint page = 1; pages[page] != NULL; page++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      double binding = page % 2 == 1 ? 28 : 26;   /* the left margin, mm */
      double left = binding / 25.4 * 72 - 1, right = 595.276 - (54 - binding) / 25.4 * 72 + 1;

      g_regex_match (quad, pages[page], 0, &match);
      while (g_match_info_matches (match))
        {
          double v[6];

          for (int k = 0; k < 6; k++)
            {
              g_autofree char *s = g_match_info_fetch (match, k + 1);
              v[k] = g_ascii_strtod (s, NULL);
            }
          /* ul.x ul.y ur.x ur.y … lr.x lr.y */
          if (v[0] < left || v[2] > right || v[4] > right || v[1] < 0 || v[5] > 841.89)
            {
              g_test_fail_printf ("%s: a character on page %u lies outside the text block: %g %g – %g %g",
                                  name, page, v[0], v[1], v[4], v[5]);
              return;
            }
          n++;
          g_match_info_next (match, NULL);
        }
    }
  g_assert_cmpuint (n, >, 100);
}

/* GB/T 9704-2012 7.5 page numbers: “— N —” in 4号 (14 pt), odd pages
 * right-aligned one em inside the text block's right edge (26 mm outer
 * margin), even pages left-aligned one em inside its left edge (the outer
 * 26 mm margin too: the even pages' text block is mirrored, 9.2);
 * found in poppler's word boxes, every page numbered in order */
static void
check_page_numbers (const char *name,
                    const char *pdf)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GRegex) number = g_regex_new ("<line xMin=\"([-0-9.]+)\" yMin=\"[-0-9.]+\" xMax=\"([-0-9.]+)\"[^>]*>\\s*"
                                          "<word [^>]*>—</word>\\s*<word [^>]*>([0-9]+)</word>\\s*<word [^>]*>—</word>\\s*</line>",
                                          0, 0, NULL);
  double left = 26 / 25.4 * 72, right = 595.276 - 26 / 25.4 * 72, em = 14;
  g_auto(GStrv) pages = NULL;
  guint n = 0;

  run_tool (&run, "pdftotext", "-bbox-layout", pdf, "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  pages = g_strsplit (run.out, "<page ", -1);
  for (guint i = 1; pages[i] != NULL; i++, n++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *x0s = NULL, *x1s = NULL, *ns = NULL;
      double x0, x1;

      if (!g_regex_match (number, pages[i], 0, &match))
        {
          g_test_fail_printf ("%s: page %u has no page number “— N —”", name, i);
          return;
        }
      x0s = g_match_info_fetch (match, 1);
      x1s = g_match_info_fetch (match, 2);
      ns = g_match_info_fetch (match, 3);
      x0 = g_ascii_strtod (x0s, NULL);
      x1 = g_ascii_strtod (x1s, NULL);
      g_assert_cmpuint (g_ascii_strtoull (ns, NULL, 10), ==, i);
      if (i % 2 == 1 && (x0 < 595.276 / 2 || ABS (x1 - (right - em)) > 1))
        g_test_fail_printf ("%s: odd page %u's number spans %g – %g pt, not right-aligned at %g", name, i, x0, x1, right - em);
      if (i % 2 == 0 && (x1 > 595.276 / 2 || ABS (x0 - (left + em)) > 1))
        g_test_fail_printf ("%s: even page %u's number spans %g – %g pt, not left-aligned at %g", name, i, x0, x1, left + em);
    }
  g_assert_cmpuint (n, >=, 2);
}

/* text inside its cell, lines and glyphs inside each page's (mirrored)
 * text block: tests/check-pdf-cells.py, which reads the PDF with mutool
 * and pdftotext; extra_args such as "--no-mirror" */
static void
check_cells (const char *name,
             const char *pdf,
             const char *extra_arg)
{
  g_auto(Run) run = { 0 };

  run_tool (&run, "python3", SOURCE_DIR "/tests/check-pdf-cells.py", pdf, extra_arg, NULL);
  if (run.status != 0)
    g_test_fail_printf ("%s: tests/check-pdf-cells.py found (exit %d):\n%s%s", name, run.status, run.out, run.err);
}

/* the page breaks and lines a bureau clerk would object to (signatures
 * alone or split, a heading or table header at a page's foot, a widow, a
 * stretched line, blocks that touch): tests/check-pdf-layout.py, which
 * reads the PDF with mutool. Texts that must stand apart from the block
 * above them, per sample: each touched the block above before the gaps
 * between blocks. */
static const struct {
  const char *sample;
  const char *apart[4];
} apart_texts[] = {
  { "nantong-2023-qianzhan", { "企业限报承诺", "联合申报单位", "经费预算明细", NULL } },
  { "quzhou-2020-jingzheng", { "注册所在地", "申报单位简称", NULL } },
  { "jingdezhen-2022-jiebang", { "技术需求单位（加盖单位公章）", NULL } },
};

static void
check_layout (const char *name,
              const char *pdf)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "python3");
  g_ptr_array_add (argv, (char *) SOURCE_DIR "/tests/check-pdf-layout.py");
  for (guint i = 0; i < G_N_ELEMENTS (apart_texts); i++)
    if (g_str_equal (apart_texts[i].sample, name))
      for (guint k = 0; apart_texts[i].apart[k] != NULL; k++)
        {
          g_ptr_array_add (argv, (char *) "--apart");
          g_ptr_array_add (argv, (char *) apart_texts[i].apart[k]);
        }
  g_ptr_array_add (argv, (char *) pdf);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_fail_printf ("%s: tests/check-pdf-layout.py found:\n%s%s", name, out, err);
}

static void
render_pages (const char *name,
              const char *pdf)
{
  g_autofree char *dir = g_build_filename (BUILD_DIR, "tests", "pdf-pages", NULL);
  g_autofree char *prefix = g_build_filename (dir, name, NULL);
  g_auto(Run) run = { 0 };

  g_mkdir_with_parents (dir, 0755);
  run_tool (&run, "pdftoppm", "-r", "60", "-png", pdf, prefix, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

/* The printout speaks to a clerk: a form whose official text the call
 * definition lacks is "to be printed from the bureau's system", never "not
 * in this 申报定义" (a word of ours). */
static void
check_wording (const char *name,
               const char *text)
{
  g_autoptr(GString) flat = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (flat, *p);
  if (strstr (flat->str, "申报定义") != NULL)
    g_test_fail_printf ("%s: the printout says “申报定义”", name);
  if (g_str_equal (name, "nantong-2023-qianzhan") &&
      strstr (flat->str, "《科技项目综合信息表》的正式文本请从主管部门的申报系统打印，签字盖章后装订于此。") == NULL)
    g_test_fail_printf ("%s: the notice for 《科技项目综合信息表》 is not printed as expected:\n%s", name, flat->str);
}

static void
check_pdf (const char *name,
           SbDraft    *draft,
           GBytes     *bytes,
           GPtrArray  *extra_values)
{
  g_autofree char *file = g_strdup_printf ("%s.pdf", name);
  g_autofree char *pdf = write_pdf (bytes, file);
  g_autoptr(GPtrArray) values = entered_values (draft);
  g_autofree char *poppler = NULL;
  g_autofree char *mupdf = NULL;

  for (guint i = 0; extra_values && i < extra_values->len; i++)
    g_ptr_array_add (values, g_strdup (g_ptr_array_index (extra_values, i)));
  g_assert_cmpuint (values->len, >, 5);
  check_sound (pdf);
  poppler = extract_pdftotext (pdf);
  mupdf = extract_mutool (pdf);
  check_values (name, poppler, values);
  check_wording (name, poppler);
  check_values (name, mupdf, values);
  check_line_starts (name, poppler);
  check_boxes (name, pdf);
  check_page_numbers (name, pdf);
  check_cells (name, pdf, NULL);
  check_layout (name, pdf);
  render_pages (name, pdf);
}

static void
test_sample (gconstpointer data)
{
  const char *sample = data;
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", sample, NULL);
  g_autoptr(SbDraft) draft = load_draft (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export (draft, &error);
  g_autofree char *name = g_strndup (sample, strlen (sample) - 5);

  g_assert_no_error (error);
  check_pdf (name, draft, bytes, NULL);
}

/* The contents: an entry that takes two lines has its page number beside
 * its last line, where the dotted leader ends (read with poppler's line
 * boxes); the number is the page the part starts on. */
static void
test_contents (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", "nantong-2023-qianzhan.json", NULL);
  g_autoptr(SbDraft) draft = load_draft (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export (draft, &error);
  g_autofree char *pdf = NULL;
  g_autoptr(GRegex) line = g_regex_new ("<line xMin=\"([-0-9.]+)\" yMin=\"([-0-9.]+)\"[^>]*>\\s*((?:<word [^>]*>[^<]*</word>\\s*)+)</line>",
                                        0, 0, NULL);
  g_autoptr(GRegex) tags = g_regex_new ("<[^>]*>|\\s", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_auto(Run) run = { 0 };
  double entry_end_y = -1, number_y = -1;
  g_autofree char *number = NULL;

  g_assert_no_error (error);
  pdf = write_pdf (bytes, "contents.pdf");
  run_tool (&run, "pdftotext", "-f", "2", "-l", "2", "-bbox-layout", pdf, "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  /* the first entry, 《…诚信承诺及项目形式审查责任书》, is wider than the
   * column: it ends on a second line */
  for (g_regex_match (line, run.out, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *x = g_match_info_fetch (match, 1);
      g_autofree char *y = g_match_info_fetch (match, 2);
      g_autofree char *words = g_match_info_fetch (match, 3);
      g_autofree char *text = g_regex_replace_literal (tags, words, -1, 0, "", 0, NULL);

      if (g_str_has_suffix (text, "形式审查责任书") && !g_str_has_prefix (text, "市财政"))
        entry_end_y = g_ascii_strtod (y, NULL);
      else if (number == NULL && g_ascii_strtod (x, NULL) > 400 && text[0] != '\0' &&
               strspn (text, "0123456789") == strlen (text))
        {
          number = g_strdup (text);
          number_y = g_ascii_strtod (y, NULL);
        }
    }
  g_test_message ("entry's last line at %g pt, its page number %s at %g pt", entry_end_y, number, number_y);
  g_assert_cmpfloat (entry_end_y, >, 0);
  g_assert_nonnull (number);
  g_assert_cmpfloat (ABS (number_y - entry_end_y), <, 1);
  {
    g_auto(Run) page = { 0 };
    g_autofree char *text = NULL;

    run_tool (&page, "pdftotext", "-f", number, "-l", number, pdf, "-", NULL);
    text = squeeze (page.out);
    g_assert_nonnull (strstr (text, "形式审查责任书"));
  }
}

/* One face chosen for body and headings (--font and --heading-font the
 * same file, or a machine where fontconfig finds one Chinese font for
 * both): one font in the PDF, and every value extracts exactly. */
static void
test_one_font_for_all (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", "nantong-2023-qianzhan.json", NULL);
  g_autoptr(SbDraft) draft = load_draft (path);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = g_date_time_new (utc, 2024, 1, 20, 9, 42, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *face = NULL;
  g_auto(Run) match = { 0 };
  g_auto(Run) fonts = { 0 };
  SbPdfExportOptions options = { 0 };

  run_tool (&match, "fc-match", "-f", "%{file}:%{index}", "AR PL UMing CN", NULL);
  g_assert_cmpint (match.status, ==, 0);
  face = g_strdup (match.out);
  options.digest = "00dd6c2302f601aa2244fa7311b117e7a7add37a73cb6637d4554b4ee1aff7cf";
  options.time = time;
  options.fonts.body = face;
  options.fonts.heading = face;
  bytes = sb_pdf_export_bytes (draft, &options, NULL, &error);
  g_assert_no_error (error);
  pdf = write_pdf (bytes, "one-font.pdf");
  run_tool (&fonts, "pdffonts", pdf, NULL);
  g_test_message ("%s", fonts.out);
  {
    g_auto(GStrv) lines = g_strsplit (fonts.out, "\n", -1);
    guint uming = 0;

    for (guint i = 2; lines[i] != NULL; i++)
      uming += strstr (lines[i], "UMing") != NULL;
    g_assert_cmpuint (uming, ==, 1);
  }
  check_pdf ("one-font", draft, bytes, NULL);
}

/* A table whose header is taller than 60 pt, before something that must
 * keep its last row company (a signature group), with a last row that fits
 * a page only without that company: the row once moved to a new page, and
 * again from that one, for ever. It must end, its row drawn once. Run in a
 * subprocess: a hang fails by the time limit, not by hanging the suite. */
static void
tall_header_table (void)
{
  SbPdfFontChoice fonts = { 0 };
  SbPdfMargins margins = { 37, 26, 35, 28, TRUE };
  g_autoptr(GError) error = NULL;
  SbPdfWriter *w = sb_pdf_writer_new (&fonts, &margins, FALSE, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *header = g_array_new (FALSE, TRUE, sizeof (SbPdfCell));
  GArray *row = g_array_new (FALSE, TRUE, sizeof (SbPdfCell));
  SbPdfStyle style = { SB_PDF_FACE_BODY, 12, 1.5, SB_PDF_ALIGN_LEFT, FALSE, FALSE, FALSE };
  g_autoptr(GBytes) pdf = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    {
      /* narrow columns: each header cell takes five lines or more */
      SbPdfCell cell = { (char *) "在研市级软科学项目数（不含本项）", style, 25, FALSE, 0, 1, 1, TRUE, TRUE, 0, NULL };
      g_array_append_val (header, cell);
    }
  {
    SbPdfCell cell = { (char *) "一行", style, 0, FALSE, 0, 6, 1, TRUE, FALSE, 165, NULL };
    g_array_append_val (row, cell);
  }
  g_ptr_array_add (rows, header);
  g_ptr_array_add (rows, row);
  sb_pdf_writer_keep_after (w, sb_pdf_writer_get_calls (w) + 1, 100);
  sb_pdf_writer_grid (w, rows, 1);
  sb_pdf_writer_signature (w, "负责人（签字）：", FALSE, FALSE, &style);
  g_assert_true (sb_pdf_writer_finish (w, "test", &pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sb_pdf_writer_get_page (w), <=, 3);
  sb_pdf_writer_free (w);
}

/* A cell whose minimum height (at most 200 mm, loader-checked) is taller
 * than the text block (the widest margins leave 177 mm): drawn across two
 * pages, once, and the export ends. */
static void
tall_cell (void)
{
  SbPdfFontChoice fonts = { 0 };
  SbPdfMargins margins = { 60, 26, 60, 28, TRUE };
  g_autoptr(GError) error = NULL;
  SbPdfWriter *w = sb_pdf_writer_new (&fonts, &margins, FALSE, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *row = g_array_new (FALSE, TRUE, sizeof (SbPdfCell));
  SbPdfStyle style = { SB_PDF_FACE_BODY, 12, 1.5, SB_PDF_ALIGN_LEFT, FALSE, FALSE, FALSE };
  SbPdfCell cell = { (char *) "本项目无附件。", style, 0, FALSE, 0, 1, 1, TRUE, FALSE, 200, NULL };
  g_autoptr(GBytes) pdf = NULL;

  g_assert_no_error (error);
  g_array_append_val (row, cell);
  g_ptr_array_add (rows, row);
  sb_pdf_writer_grid (w, rows, 0);
  g_assert_true (sb_pdf_writer_finish (w, "test", &pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sb_pdf_writer_get_page (w), ==, 2);
  sb_pdf_writer_free (w);
}

static void
test_tall_cell_ends (void)
{
  if (g_test_subprocess ())
    {
      tall_cell ();
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_tall_header_ends (void)
{
  if (g_test_subprocess ())
    {
      tall_header_table ();
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Stress drafts */

static void
set_member (JsonNode   *root,
            const char *member,
            JsonNode   *value)
{
  json_object_set_member (json_object_get_object_member (json_node_get_object (root), "values"), member, value);
}

static char *
long_text (guint n_chars,
           guint seed)
{
  static const char *pieces[] = {
    "针对新能源汽车主驱逆变器", "，", "研究银烧结低温互连工艺", "、", "氮化硅AMB基板", "；", "功率循环ΔTj=100 K",
    "不少于10万次", "。", "建立模型（含SiC MOSFET）", "：", "结温175 ℃", "？", "“车规级”", "！", "开发双面散热结构",
    "AQG 324考核", "％", "《功率模块》", "2024年3月",
  };
  GString *out = g_string_new ("申报");
  guint32 state = seed;

  while ((guint) g_utf8_strlen (out->str, -1) < n_chars)
    {
      state = state * 1103515245 + 12345;
      g_string_append (out, pieces[(state >> 16) % G_N_ELEMENTS (pieces)]);
    }
  {
    char *end = g_utf8_offset_to_pointer (out->str, n_chars);
    g_string_truncate (out, end - out->str);
  }
  return g_string_free (out, FALSE);
}

static JsonNode *
stress_modify (JsonNode *root)
{
  g_autofree char *para = long_text (500, 7);
  g_autofree char *huge = long_text (5000, 11);
  JsonArray *ip = json_array_new ();
  JsonArray *members = json_array_new ();
  JsonObject *pi = json_object_get_object_member (json_object_get_object_member (json_node_get_object (root), "values"), "pi");

  json_object_set_string_member (pi, "name", "𠮷田吉");
  set_member (root, "research_content", json_node_init_string (json_node_alloc (), huge));
  set_member (root, "tech_indicators", json_node_init_string (json_node_alloc (), para));
  for (guint i = 0; i < 200; i++)
    {
      JsonObject *row = json_object_new ();
      g_autofree char *name = g_strdup_printf ("一种碳化硅功率模块封装结构及其制备方法第%u号", i + 1);
      g_autofree char *number = g_strdup_printf ("ZL2021102%05u.X", i);

      json_object_set_string_member (row, "ip_name", name);
      json_object_set_string_member (row, "ip_kind", i % 2 ? "utility" : "invention");
      json_object_set_string_member (row, "ip_number", number);
      json_object_set_string_member (row, "grant_date", "2023-04-11");
      json_array_add_object_element (ip, row);
    }
  set_member (root, "ip_items", json_node_init_array (json_node_alloc (), ip));
  for (guint i = 0; i < 30; i++)
    {
      JsonObject *row = json_object_new ();
      g_autofree char *name = g_strdup_printf ("成员%u号", i + 1);

      json_object_set_string_member (row, "name", name);
      json_object_set_string_member (row, "title", "高级工程师");
      json_object_set_string_member (row, "employer", "南通芯源半导体科技有限公司 (Nantong Xinyuan Semiconductor Co., Ltd.)");
      json_object_set_string_member (row, "task", "银烧结工艺开发、功率循环试验、AQG 324考核与失效分析");
      json_array_add_object_element (members, row);
    }
  set_member (root, "members", json_node_init_array (json_node_alloc (), members));
  return root;
}

static void
test_stress (void)
{
  g_autoptr(SbDraft) draft = load_modified ("nantong-2023-qianzhan.json", stress_modify);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export (draft, &error);
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autofree char *pdf = NULL;
  g_auto(Run) fonts = { 0 };

  g_assert_no_error (error);
  g_ptr_array_add (extra, "𠮷田吉");
  check_pdf ("stress-nantong", draft, bytes, extra);

  /* 𠮷 needs the Extension B fallback font, embedded too */
  pdf = write_pdf (bytes, "stress-nantong.pdf");
  run_tool (&fonts, "pdffonts", pdf, NULL);
  g_assert_nonnull (strstr (fonts.out, "HanaMin"));
}

/* every free text field filled to the longest text it allows */
static const char *longest_call;

static JsonNode *
longest_modify (JsonNode *root)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  SbCall *call = sb_catalog_lookup (catalog, longest_call, 2);
  GPtrArray *fields = sb_call_get_fields (call);

  for (guint i = 0; i < fields->len; i++)
    {
      SbField *field = g_ptr_array_index (fields, i);
      SbFieldType type = sb_field_get_field_type (field);
      gint64 max = 0;
      g_autofree char *text = NULL;

      if ((type != SB_FIELD_TEXT && type != SB_FIELD_TEXTAREA) || sb_field_get_format (field) != SB_FORMAT_NONE ||
          sb_field_get_pattern (field) != NULL)
        continue;
      /* where the call states no length, the longest a draft keeps without
       * a warning is our technical limit */
      if (!sb_field_get_max_length (field, &max))
        max = type == SB_FIELD_TEXT ? SB_TEXT_LIMIT : SB_TEXTAREA_LIMIT;
      if (max > 20000)
        continue;
      text = long_text (max, i + 1);
      set_member (root, sb_field_get_id (field), json_node_init_string (json_node_alloc (), text));
    }
  return root;
}

static void
test_longest (gconstpointer data)
{
  const char *call = data;
  g_autofree char *sample = g_strdup_printf ("%s.json", call);
  g_autofree char *name = g_strdup_printf ("longest-%s", call);
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  longest_call = call;
  draft = load_modified (sample, longest_modify);
  bytes = export (draft, &error);
  g_assert_no_error (error);
  check_pdf (name, draft, bytes, NULL);
}

static JsonNode *
missing_glyph_modify (JsonNode *root)
{
  /* U+10FFFD: a private character no installed font draws */
  set_member (root, "carrier", json_node_init_string (json_node_alloc (), "省级工程中心\xf4\x8f\xbf\xbd"));
  return root;
}

static void
test_missing_glyph (void)
{
  g_autoptr(SbDraft) draft = load_modified ("nantong-2023-qianzhan.json", missing_glyph_modify);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export (draft, &error);

  g_assert_null (bytes);
  g_assert_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "carrier"));
  g_assert_nonnull (strstr (error->message, "U+10FFFD"));
}

static JsonNode *
empty_boxes_modify (JsonNode *root)
{
  JsonObject *values = json_object_get_object_member (json_node_get_object (root), "values");

  json_object_remove_member (values, "difficulty");
  json_object_remove_member (values, "peers");
  return root;
}

/* an empty box of the 征集表 prints the form's hint (in grey); an empty
 * value elsewhere prints 无 */
static void
test_empty_values (void)
{
  g_autoptr(SbDraft) draft = load_modified ("jingdezhen-2022-jiebang.json", empty_boxes_modify);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export (draft, &error);
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  g_assert_no_error (error);
  pdf = write_pdf (bytes, "empty-jiebang.pdf");
  text = extract_pdftotext (pdf);
  flat = squeeze (text);
  g_assert_nonnull (strstr (flat, "（描述具体技术难题或发展瓶颈，要求内容具体、指向清晰；"));
  g_assert_nonnull (strstr (flat, "的同行企业"));
  g_assert_nonnull (strstr (flat, "单位名称"));
}

static void
test_metadata (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", "nantong-2023-qianzhan.json", NULL);
  g_autoptr(SbDraft) draft = load_draft (path);
  g_autoptr(GBytes) bytes = export (draft, NULL);
  g_autofree char *pdf = write_pdf (bytes, "metadata.pdf");
  g_auto(Run) info = { 0 };

  run_tool (&info, "pdfinfo", pdf, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "Title:           车规级碳化硅功率模块高可靠封装关键技术研发 — 2023年度南通市重点研发计划"));
  g_assert_nonnull (strstr (info.out, "Author:          南通芯源半导体科技有限公司"));
  g_assert_nonnull (strstr (info.out, "Creator:         Shenbao " PACKAGE_VERSION));
  g_assert_nonnull (strstr (info.out, "CreationDate:    Sat Jan 20 09:42:00 2024 UTC"));
  g_assert_nonnull (strstr (info.out, "Page size:       595.276 x 841.89 pts (A4)"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "/Lang (zh-CN)"));
}

static void
test_deterministic (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "resources", "samples", "jingdezhen-2022-jiebang.json", NULL);
  g_autoptr(SbDraft) draft = load_draft (path);
  g_autoptr(GBytes) a = export (draft, NULL);
  g_autoptr(GBytes) b = export (draft, NULL);

  g_assert_nonnull (a);
  g_assert_true (g_bytes_equal (a, b));
}

/* Nothing typed is left off paper */

static void
test_templates_print_every_field (void)
{
  g_autoptr(SbCatalog) catalog = sb_catalog_new_default ();
  g_autoptr(GPtrArray) calls = sb_catalog_list_calls (catalog);

  g_assert_cmpuint (calls->len, >=, 4);
  for (guint i = 0; i < calls->len; i++)
    {
      SbCall *call = g_ptr_array_index (calls, i);
      SbPrintTemplate *template = sb_call_get_print_template (call);
      g_auto(GStrv) omitted = NULL;

      if (template == NULL)
        {
          g_test_fail_printf ("%s has no print template", sb_call_get_id (call));
          continue;
        }
      omitted = sb_print_template_list_omitted (template, call);
      if (omitted[0] != NULL)
        {
          g_autofree char *list = g_strjoinv (", ", omitted);
          g_test_fail_printf ("%s: the print template omits %s", sb_call_get_id (call), list);
        }
    }
}

static char *
definition_text (const char *name)
{
  g_autofree char *path = g_build_filename (SOURCE_DIR, "forms", name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static SbCall *
load_definition (const char  *text,
                 GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  return sb_call_new_from_bytes (bytes, "test.json", error);
}

static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

static void
test_omission_detected (void)
{
  g_autofree char *text = definition_text ("nantong-2023-qianzhan.json");
  g_autofree char *changed = replace_once (text, "{\n            \"type\": \"fields\",\n            \"step\": \"budget\"\n          },", "");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = load_definition (changed, &error);
  g_auto(GStrv) omitted = NULL;

  g_assert_no_error (error);
  omitted = sb_print_template_list_omitted (sb_call_get_print_template (call), call);
  /* total_investment and subsidy are on the information sheet; the
   * budget table and its pledge are nowhere else */
  g_assert_true (g_strv_contains ((const char *const *) omitted, "budget_items"));
  g_assert_true (g_strv_contains ((const char *const *) omitted, "self_funds_declaration"));
  g_assert_false (g_strv_contains ((const char *const *) omitted, "total_investment"));
}

static void
test_calls_reports_omission (void)
{
  g_autofree char *text = definition_text ("nantong-2023-qianzhan.json");
  g_autofree char *changed = replace_once (text, "{\n            \"type\": \"fields\",\n            \"step\": \"budget\"\n          },", "");
  g_autofree char *dir = g_dir_make_tmp ("shenbao-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nantong.json", NULL);
  g_auto(Run) run = { 0 };
  g_auto(Run) clean = { 0 };

  g_assert_true (g_file_set_contents (path, changed, -1, NULL));
  run_tool (&run, BUILD_DIR "/app/shenbao", "calls", "--forms", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "The print template does not print these fields: "));
  g_assert_nonnull (strstr (run.out, "budget_items"));
  /* the built-in definitions print everything */
  run_tool (&clean, BUILD_DIR "/app/shenbao", "calls", NULL);
  g_assert_null (strstr (clean.out, "does not print"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_loader_errors (void)
{
  g_autofree char *text = definition_text ("nantong-2023-qianzhan.json");
  struct { const char *from, *to, *path, *words; } cases[] = {
    { "\"field\": \"online_number\"", "\"field\": \"online_numbr\"", "$.print.parts[0].blocks[4].rows[2][1].field",
      "“online_numbr” is not a field" },
    { "\"field\": \"pi.name\"", "\"field\": \"pi.nickname\"", "$.print.parts[0].blocks[4].rows[5][1].field",
      "has no part" },
    { "\"type\": \"contents\"", "\"type\": \"contnets\"", "$.print.parts[1].blocks[1].type", "not a block type" },
    { "\"columns_mm\": [\n              40,\n              116\n            ]", "\"columns_mm\": [40, 150]",
      "$.print.parts[0].blocks[4].columns_mm", "170 mm" },
    { "\"text\": \"{start_date}至{end_date}\"", "\"text\": \"{start_date}至{end}\"", "$.print.parts[0].blocks[4].rows[7][1].text",
      "“end” is not a field" },
    { "\"print\": {\n", "\"print\": {\"margins_mm\": {\"mirror\": \"yes\"},\n", "$.print.margins_mm.mirror", "true or false" },
    { "\"print\": {\n", "\"print\": {\"margins_mm\": {\"left\": 28, \"mirrored\": true},\n", "$.print.margins_mm.mirrored", "unknown key" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *changed = replace_once (text, cases[i].from, cases[i].to);
      g_autoptr(GError) error = NULL;
      g_autoptr(SbCall) call = load_definition (changed, &error);

      g_assert_null (call);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].path) == NULL || strstr (error->message, cases[i].words) == NULL)
        g_test_fail_printf ("case %u: %s", i, error->message);
    }
}

static void
test_cli_refuses_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-pdf-XXXXXX", NULL);
  g_autofree char *sample = definition_text ("../resources/samples/nantong-2023-qianzhan.json");
  g_autofree char *broken = replace_once (sample, "\"total_investment\": 3200000", "\"total_investment\": 1500000");
  g_autofree char *draft = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_auto(Run) run = { 0 };

  g_assert_true (g_file_set_contents (draft, broken, -1, NULL));
  run_tool (&run, BUILD_DIR "/app/shenbao", "export", draft, "--no-files-check-is-not-an-option", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_tool (&run, BUILD_DIR "/app/shenbao", "export", draft, "--pdf", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "investment_above_150"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_unlink (draft);
  g_rmdir (dir);
}

/* warnings never block; those not acknowledged are listed */
static void
test_cli_lists_warnings (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-pdf-XXXXXX", NULL);
  g_autofree char *sample = definition_text ("../resources/samples/nantong-2023-qianzhan.json");
  g_autofree char *renamed = replace_once (sample, "\"project_name\": \"车规级碳化硅功率模块高可靠封装关键技术研发\"",
                                           "\"project_name\": \"车规级碳化硅功率模块高可靠封装关键技术研究\"");
  g_auto(GStrv) pieces = g_strsplit (renamed, "\"file\": \"attachments/", -1);
  g_autofree char *absolute_prefix = g_strdup_printf ("\"file\": \"%s/resources/samples/attachments/", SOURCE_DIR);
  g_autofree char *absolute = g_strjoinv (absolute_prefix, pieces);
  g_autofree char *draft = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_auto(Run) run = { 0 };

  /* attachments named by absolute paths, so the draft can live anywhere */
  g_assert_cmpuint (g_strv_length (pieces), >, 1);
  g_assert_true (g_file_set_contents (draft, absolute, -1, NULL));
  run_tool (&run, BUILD_DIR "/app/shenbao", "export", draft, "--pdf", out, NULL);
  g_unlink (draft);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "warning (needs acknowledgement)"));
  g_assert_nonnull (strstr (run.err, "name_suffix"));
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
  g_unlink (out);
  g_rmdir (dir);
}

static void
test_cli_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("shenbao-pdf-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out.pdf", NULL);
  g_autofree char *again = g_build_filename (dir, "again.pdf", NULL);
  g_autofree char *a = NULL, *b = NULL;
  gsize a_len, b_len;
  g_auto(Run) run = { 0 };
  g_auto(Run) second = { 0 };

  run_tool (&run, BUILD_DIR "/app/shenbao", "export", SOURCE_DIR "/resources/samples/nantong-2023-qianzhan.json",
            "--pdf", out, "--time", "2024-01-20T09:42:00Z", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "6 paper copies (一式六份)"));
  g_assert_nonnull (strstr (run.out, "Print on both sides, turned on the long edge"));
  run_tool (&second, BUILD_DIR "/app/shenbao", "export", SOURCE_DIR "/resources/samples/nantong-2023-qianzhan.json",
            "--pdf", again, "--time", "2024-01-20T09:42:00Z", NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &a, &a_len, NULL));
  g_assert_true (g_file_get_contents (again, &b, &b_len, NULL));
  g_assert_cmpmem (a, a_len, b, b_len);
  g_unlink (out);
  g_unlink (again);
  g_rmdir (dir);
}

/* a template that says "mirror": false lays every page out like the front
 * sides (single-sided printing): the checker agrees with --no-mirror and
 * finds the text blocks unmirrored without it */
static void
test_single_sided (void)
{
  g_autofree char *text = definition_text ("nantong-2023-qianzhan.json");
  g_autofree char *changed = replace_once (text, "\"print\": {\n", "\"print\": {\"margins_mm\": {\"mirror\": false},\n");
  g_autofree char *dir = g_dir_make_tmp ("shenbao-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nantong.json", NULL);
  g_autofree char *out = g_build_filename (dir, "single-sided.pdf", NULL);
  g_auto(Run) run = { 0 };
  g_auto(Run) mirrored = { 0 };

  g_assert_true (g_file_set_contents (path, changed, -1, NULL));
  run_tool (&run, BUILD_DIR "/app/shenbao", "export", SOURCE_DIR "/resources/samples/nantong-2023-qianzhan.json",
            "--forms", path, "--pdf", out, "--time", "2024-01-20T09:42:00Z", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "both sides"));
  check_cells ("single-sided-nantong", out, "--no-mirror");
  run_tool (&mirrored, "python3", SOURCE_DIR "/tests/check-pdf-cells.py", out, NULL);
  g_assert_cmpint (mirrored.status, ==, 1);
  g_assert_nonnull (strstr (mirrored.out, "page 2: "));
  g_assert_nonnull (strstr (mirrored.out, "is outside the even page's text block"));
  g_unlink (out);
  g_unlink (path);
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *samples = g_build_filename (SOURCE_DIR, "resources", "samples", NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  dir = g_dir_open (samples, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *test = g_strdup_printf ("/pdf/sample/%s", (char *) g_ptr_array_index (names, i));
      g_test_add_data_func (test, g_ptr_array_index (names, i), test_sample);
    }
  g_test_add_func ("/pdf/stress", test_stress);
  g_test_add_data_func ("/pdf/longest/nantong", "nantong-2023-qianzhan", test_longest);
  g_test_add_data_func ("/pdf/longest/jiebang", "jingdezhen-2022-jiebang", test_longest);
  g_test_add_data_func ("/pdf/longest/quzhou", "quzhou-2020-jingzheng", test_longest);
  g_test_add_func ("/pdf/missing-glyph", test_missing_glyph);
  g_test_add_func ("/pdf/deterministic", test_deterministic);
  g_test_add_func ("/pdf/empty-values", test_empty_values);
  g_test_add_func ("/pdf/metadata", test_metadata);
  g_test_add_func ("/pdf/contents", test_contents);
  g_test_add_func ("/pdf/one-font-for-all", test_one_font_for_all);
  g_test_add_func ("/pdf/tall-header-ends", test_tall_header_ends);
  g_test_add_func ("/pdf/tall-cell-ends", test_tall_cell_ends);
  g_test_add_func ("/pdf/template/prints-every-field", test_templates_print_every_field);
  g_test_add_func ("/pdf/template/omission-detected", test_omission_detected);
  g_test_add_func ("/pdf/template/loader-errors", test_loader_errors);
  g_test_add_func ("/pdf/template/calls-reports-omission", test_calls_reports_omission);
  g_test_add_func ("/pdf/cli/refuses-errors", test_cli_refuses_errors);
  g_test_add_func ("/pdf/cli/export", test_cli_export);
  g_test_add_func ("/pdf/single-sided", test_single_sided);
  g_test_add_func ("/pdf/cli/lists-warnings", test_cli_lists_warnings);
  return g_test_run ();
}
