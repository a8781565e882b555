/* sb-pdf-writer.c — Chinese text laid out on A4 pages with libharu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <glib/gi18n.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <pango/pango.h>
#include <qrencode.h>

#include "sb-error.h"
#include "sb-pdf-font.h"
#include "sb-pdf-writer.h"

#define PAGE_W 595.276
#define PAGE_H 841.89
#define PAD 6.0           /* cell padding, pt: the texts of adjacent cells stay 12 pt apart, so text extractors keep them apart */
#define MAX_STRETCH 0.12 /* em between two characters of a justified line */
#define N_FONTS 4         /* body, heading, fallback A, fallback B */

struct _SbPdfWriter {
  gboolean      dry_run;
  HPDF_Doc      doc;
  HPDF_Page     page;
  GPtrArray    *pages;        /* HPDF_Page */
  GPtrArray    *page_parts;   /* char*: the part each page belongs to */
  guint         n_pages;
  double        top, right, bottom, left;   /* pt; left and right: the current page's */
  double        binding, outside;           /* pt: odd pages' left and right margins */
  gboolean      mirror;                     /* even pages swap them */
  double        y;            /* from the page top, pt */
  SbPdfFont    *fonts[N_FONTS];
  gboolean      attached[N_FONTS];
  gboolean      shared[N_FONTS];   /* the same face as an earlier slot: that slot's font */
  char         *part;
  GError       *error;
  PangoLanguage *language;
  guint         calls;        /* drawing calls so far (paragraph, grid, signature…) */
  guint         keep_call;    /* this call keeps its last lines with keep_after below them */
  double        keep_after;   /* pt */
  guint         first_drawn;  /* the page of the first line or cell drawn since sb_pdf_writer_watch() */
};

/* Fonts */

static char *
fontconfig_find (FcConfig   *config,
                 const char *family,
                 int        *index)
{
  FcPattern *pattern = FcPatternCreate ();
  FcObjectSet *objects = FcObjectSetBuild (FC_FILE, FC_INDEX, FC_FONTFORMAT, NULL);
  FcFontSet *set;
  char *found = NULL;

  FcPatternAddString (pattern, FC_FAMILY, (const FcChar8 *) family);
  set = FcFontList (config, pattern, objects);
  for (int i = 0; set != NULL && i < set->nfont && found == NULL; i++)
    {
      FcChar8 *file = NULL, *format = NULL;
      int face = 0;

      if (FcPatternGetString (set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
        continue;
      if (FcPatternGetString (set->fonts[i], FC_FONTFORMAT, 0, &format) == FcResultMatch &&
          g_strcmp0 ((const char *) format, "TrueType") != 0)
        continue;
      FcPatternGetInteger (set->fonts[i], FC_INDEX, 0, &face);
      found = g_strdup ((const char *) file);
      *index = face;
    }
  if (set != NULL)
    FcFontSetDestroy (set);
  FcObjectSetDestroy (objects);
  FcPatternDestroy (pattern);
  return found;
}

static SbPdfFont *
open_font (FcConfig   **config,
           const char  *choice,
           const char  *family,
           const char  *package,
           GError     **error)
{
  g_autofree char *path = NULL;
  int index = 0;

  if (choice != NULL)
    {
      const char *colon = strrchr (choice, ':');

      if (colon != NULL && colon[1] != '\0' && strspn (colon + 1, "0123456789") == strlen (colon + 1))
        {
          path = g_strndup (choice, colon - choice);
          index = atoi (colon + 1);
        }
      else
        path = g_strdup (choice);
    }
  else
    {
      /* a configuration of our own, destroyed after use: the library's
       * global default would stay allocated for the life of the process */
      if (*config == NULL)
        *config = FcInitLoadConfigAndFonts ();
      path = fontconfig_find (*config, family, &index);
    }
  if (path == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("The font “%s” is not installed (Debian package %s); it is needed to print Chinese text"),
                   family, package);
      return NULL;
    }
  return sb_pdf_font_open (path, index, error);
}

SbPdfWriter *
sb_pdf_writer_new (const SbPdfFontChoice *fonts,
                   const SbPdfMargins    *margins,
                   gboolean               dry_run,
                   GError               **error)
{
  g_autoptr(SbPdfWriter) self = g_new0 (SbPdfWriter, 1);
  FcConfig *config = NULL;
  static const struct { const char *family, *package; } faces[N_FONTS] = {
    { "AR PL UMing CN", "fonts-arphic-uming" },
    { "WenQuanYi Zen Hei", "fonts-wqy-zenhei" },
    { "HanaMinA", "fonts-hanazono" },
    { "HanaMinB", "fonts-hanazono" },
  };

  self->dry_run = dry_run;
  self->pages = g_ptr_array_new ();
  self->page_parts = g_ptr_array_new_with_free_func (g_free);
  self->top = margins->top_mm * SB_PT_PER_MM;
  self->bottom = margins->bottom_mm * SB_PT_PER_MM;
  self->binding = margins->left_mm * SB_PT_PER_MM;
  self->outside = margins->right_mm * SB_PT_PER_MM;
  self->mirror = margins->mirror;
  self->left = self->binding;
  self->right = self->outside;
  self->language = pango_language_from_string ("zh-cn");

  for (guint i = 0; i < N_FONTS; i++)
    {
      const char *choice = i == 0 ? fonts->body : i == 1 ? fonts->heading : NULL;

      self->fonts[i] = open_font (&config, choice, faces[i].family, faces[i].package, error);
      if (self->fonts[i] == NULL)
        {
          g_clear_pointer (&config, FcConfigDestroy);
          return NULL;
        }
    }
  g_clear_pointer (&config, FcConfigDestroy);
  /* one face chosen for two slots (body and headings, say) is one font of
   * the document: libharu would hand both slots one font object, whose
   * CIDs and maps two SbPdfFonts would then write over each other */
  for (guint i = 1; i < N_FONTS; i++)
    for (guint j = 0; j < i; j++)
      if (!self->shared[j] && sb_pdf_font_is_same (self->fonts[i], self->fonts[j]))
        {
          sb_pdf_font_free (self->fonts[i]);
          self->fonts[i] = self->fonts[j];
          self->shared[i] = TRUE;
          break;
        }

  if (!dry_run)
    {
      self->doc = HPDF_New (NULL, NULL);
      if (self->doc == NULL)
        {
          g_set_error_literal (error, SB_ERROR, SB_ERROR_FAILED, _("The PDF library could not start"));
          return NULL;
        }
      HPDF_SetCompressionMode (self->doc, HPDF_COMP_ALL);
      HPDF_UseUTFEncodings (self->doc);
      HPDF_SetCurrentEncoder (self->doc, "UTF-8");
    }
  return g_steal_pointer (&self);
}

void
sb_pdf_writer_free (SbPdfWriter *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < N_FONTS; i++)
    if (!self->shared[i])
      sb_pdf_font_free (self->fonts[i]);
  if (self->doc != NULL)
    HPDF_Free (self->doc);
  g_ptr_array_unref (self->pages);
  g_ptr_array_unref (self->page_parts);
  g_clear_error (&self->error);
  g_free (self->part);
  g_free (self);
}

gboolean
sb_pdf_writer_ok (SbPdfWriter  *self,
                  GError      **error)
{
  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  return TRUE;
}

static HPDF_Font
use_font (SbPdfWriter *self,
          guint        index)
{
  for (guint j = 0; self->shared[index] && j < index; j++)
    if (self->fonts[j] == self->fonts[index])
      index = j;
  if (!self->attached[index])
    {
      g_autoptr(GError) error = NULL;

      self->attached[index] = TRUE;
      if (!sb_pdf_font_attach (self->fonts[index], self->doc, &error) && self->error == NULL)
        self->error = g_steal_pointer (&error);
    }
  return NULL;
}

/* Pages */

static double
page_bottom (SbPdfWriter *self)
{
  return PAGE_H - self->bottom;
}

/* the left edge of page n's text block (1-based): mirrored on even pages */
static double
page_left (SbPdfWriter *self,
           guint        n)
{
  return self->mirror && n % 2 == 0 ? self->outside : self->binding;
}

void
sb_pdf_writer_new_page (SbPdfWriter *self)
{
  self->n_pages++;
  self->y = self->top;
  self->left = page_left (self, self->n_pages);
  self->right = self->binding + self->outside - self->left;
  g_ptr_array_add (self->page_parts, g_strdup (self->part ? self->part : ""));
  if (self->dry_run)
    return;
  self->page = HPDF_AddPage (self->doc);
  HPDF_Page_SetWidth (self->page, PAGE_W);
  HPDF_Page_SetHeight (self->page, PAGE_H);
  g_ptr_array_add (self->pages, self->page);
}

guint
sb_pdf_writer_get_page (SbPdfWriter *self)
{
  return self->n_pages;
}

void
sb_pdf_writer_set_part (SbPdfWriter *self,
                        const char  *title)
{
  g_free (self->part);
  self->part = g_strdup (title);
}

double
sb_pdf_writer_text_width (SbPdfWriter *self)
{
  return PAGE_W - self->left - self->right;
}

double
sb_pdf_writer_space_left (SbPdfWriter *self)
{
  return self->n_pages == 0 ? 0 : page_bottom (self) - self->y;
}

static void
ensure_page (SbPdfWriter *self)
{
  if (self->n_pages == 0)
    sb_pdf_writer_new_page (self);
}

void
sb_pdf_writer_skip (SbPdfWriter *self,
                    double       pt)
{
  /* space that does not fit ends the page: what comes next starts the
   * next one (a heading's space below it stays with the heading) */
  ensure_page (self);
  self->y = MIN (self->y + pt, page_bottom (self));
}

gboolean
sb_pdf_writer_at_top (SbPdfWriter *self)
{
  return self->n_pages == 0 || self->y <= self->top + 0.01;
}

void
sb_pdf_writer_need (SbPdfWriter *self,
                    double       pt)
{
  ensure_page (self);
  if (self->y + pt > page_bottom (self) + 0.01 && !sb_pdf_writer_at_top (self))
    sb_pdf_writer_new_page (self);
}

double
sb_pdf_writer_page_height (SbPdfWriter *self)
{
  return page_bottom (self) - self->top;
}

void
sb_pdf_writer_probe_begin (SbPdfWriter *self,
                           SbPdfMark   *mark)
{
  mark->n_pages = self->n_pages;
  mark->n_parts = self->page_parts->len;
  mark->calls = self->calls;
  mark->y = self->y;
  mark->left = self->left;
  mark->right = self->right;
  mark->dry_run = self->dry_run;
  mark->keep_call = self->keep_call;
  mark->keep_after = self->keep_after;
  mark->first_drawn = self->first_drawn;
  self->dry_run = TRUE;
}

void
sb_pdf_writer_probe_end (SbPdfWriter     *self,
                         const SbPdfMark *mark)
{
  self->n_pages = mark->n_pages;
  g_ptr_array_set_size (self->page_parts, mark->n_parts);
  self->calls = mark->calls;
  self->y = mark->y;
  self->left = mark->left;
  self->right = mark->right;
  self->dry_run = mark->dry_run;
  self->keep_call = mark->keep_call;
  self->keep_after = mark->keep_after;
  self->first_drawn = mark->first_drawn;
}

guint
sb_pdf_writer_get_calls (SbPdfWriter *self)
{
  return self->calls;
}

void
sb_pdf_writer_keep_after (SbPdfWriter *self,
                          guint        call,
                          double       pt)
{
  self->keep_call = call;
  self->keep_after = pt;
}

void
sb_pdf_writer_watch (SbPdfWriter *self)
{
  self->first_drawn = 0;
}

guint
sb_pdf_writer_first_drawn (SbPdfWriter *self)
{
  return self->first_drawn;
}

/* a new drawing call; returns what must stay below its last lines on
 * their page (0: nothing) */
static double
begin_call (SbPdfWriter *self)
{
  self->calls++;
  return self->calls == self->keep_call ? self->keep_after : 0;
}

/* Text: characters, fonts, break opportunities */

typedef struct {
  guint    start, end;   /* characters [start, end) */
  double   width;        /* pt, without trailing spaces */
  double   indent;
  gboolean last;         /* of its paragraph: not justified */
} Line;

typedef struct {
  GArray     *chars;     /* gunichar */
  GArray     *font;      /* guint8 */
  GArray     *advance;   /* double, pt */
  GArray     *lines;     /* Line */
  SbPdfStyle  style;
  double      line_height;
  double      width;
} Block;

static void
block_free (Block *block)
{
  if (block == NULL)
    return;
  g_array_unref (block->chars);
  g_array_unref (block->font);
  g_array_unref (block->advance);
  g_array_unref (block->lines);
  g_free (block);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Block, block_free)

static gboolean
no_line_start (gunichar c)
{
  return c != 0 && g_utf8_strchr ("，。、；：？！）】》”’%％·…～」』〕〉｝］,.;:?!)]}", -1, c) != NULL;
}

static gboolean
no_line_end (gunichar c)
{
  return c != 0 && g_utf8_strchr ("（【《“‘「『〔〈｛［([{", -1, c) != NULL;
}

/* An amount stays with its unit: no break between a digit and the
 * character after it when that is a Han character (150万, 3项, 2023年) or a
 * per cent sign, nor inside 万元 and 亿元 — UAX #14 allows both. */
static gboolean
keeps_with_previous (gunichar previous,
                     gunichar c)
{
  gboolean digit = g_unichar_isdigit (previous) && previous < 0x10000;

  if (digit && (c == '%' || c == 0xFF05 || g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN))
    return TRUE;
  return c == 0x5143 /* 元 */ && (previous == 0x4E07 /* 万 */ || previous == 0x4EBF /* 亿 */);
}

static int
font_for (SbPdfWriter *self,
          SbPdfFace    face,
          gunichar     c)
{
  static const int order[2][N_FONTS] = { { 0, 2, 3, 1 }, { 1, 0, 2, 3 } };

  for (guint i = 0; i < N_FONTS; i++)
    if (sb_pdf_font_has_glyph (self->fonts[order[face][i]], c))
      return order[face][i];
  return -1;
}

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == 0x3000;
}

static double
line_width (const Block *block,
            const Line  *line)
{
  const gunichar *chars = (gunichar *) (void *) block->chars->data;
  const double *adv = (double *) (void *) block->advance->data;
  double width = line->indent;
  guint e = line->end;

  while (e > line->start && is_space (chars[e - 1]))
    e--;
  for (guint k = line->start; k < e; k++)
    width += adv[k];
  return width;
}

/* No widow: a paragraph's last line holding a single character (or one
 * and closing punctuation) takes one more from the line before — two when
 * the one would start the line with punctuation — if that line keeps two
 * characters, no line starts or ends against the rules above, the break
 * is an allowed one and the last line still fits. Else it stays. */
static void
fix_widow (Block              *block,
           guint               first_line,
           guint               first,
           const PangoLogAttr *attrs)
{
  const gunichar *chars = (gunichar *) (void *) block->chars->data;
  const double *adv = (double *) (void *) block->advance->data;
  Line *prev, *last;
  guint n_chars = 0;

  if (block->lines->len < first_line + 2)
    return;
  prev = &g_array_index (block->lines, Line, block->lines->len - 2);
  last = &g_array_index (block->lines, Line, block->lines->len - 1);
  if (prev->end != last->start)
    return;   /* a space between them: Latin text */
  for (guint k = last->start; k < last->end; k++)
    {
      if (is_space (chars[k]))
        return;
      if (!no_line_start (chars[k]))
        n_chars++;
    }
  if (n_chars != 1 || no_line_start (chars[last->start]))
    return;
  for (guint pull = 1; pull <= 2; pull++)
    {
      guint end = prev->end - pull;
      double width = 0;

      if (prev->end < prev->start + pull + 2)
        return;
      if (no_line_start (chars[end]) || no_line_end (chars[end - 1]) || is_space (chars[end]) ||
          is_space (chars[end - 1]) || !attrs[end - first].is_line_break)
        continue;
      for (guint k = end; k < last->end; k++)
        width += adv[k];
      if (width > block->width + 0.01)
        return;
      prev->end = end;
      last->start = end;
      prev->width = line_width (block, prev);
      last->width = line_width (block, last);
      return;
    }
}

static void
break_paragraph (SbPdfWriter *self,
                 Block       *block,
                 guint        first,
                 guint        last,
                 const char  *utf8,
                 gsize        utf8_len)
{
  guint n = last - first;
  g_autofree PangoLogAttr *attrs = g_new0 (PangoLogAttr, n + 1);
  const gunichar *chars = (gunichar *) (void *) block->chars->data;
  const double *adv = (double *) (void *) block->advance->data;
  double indent = block->style.indent ? MIN (2 * block->style.size, block->width / 4) : 0;
  guint start = first;
  guint first_line = block->lines->len;

  pango_get_log_attrs (utf8, utf8_len, -1, self->language, attrs, n + 1);
  for (guint i = first + 1; i < last; i++)
    if (keeps_with_previous (chars[i - 1], chars[i]))
      attrs[i - first].is_line_break = FALSE;

  if (n == 0)
    {
      Line line = { first, first, 0, indent, TRUE };
      g_array_append_val (block->lines, line);
      return;
    }

  while (start < last)
    {
      double width = indent, avail = block->width;
      guint i = start, best = 0;
      Line line = { start, last, 0, indent, TRUE };

      for (; i < last; i++)
        {
          if (i > start && attrs[i - first].is_line_break && !no_line_start (chars[i]) && !no_line_end (chars[i - 1]))
            best = i;
          if (width + adv[i] > avail + 0.01 && !is_space (chars[i]) && i > start)
            break;
          width += adv[i];
        }
      if (i < last)
        {
          /* i does not fit: break at the last opportunity, else force */
          guint end = best > start ? best : i;

          if (best <= start)
            {
              /* no allowed break: keep forbidden punctuation with the
               * character before it rather than overflow */
              end = i;
              while (end > start + 1 && no_line_start (chars[end]))
                end--;
            }
          line.end = end;
          line.last = FALSE;
        }
      line.width = indent;
      {
        guint e = line.end;
        while (e > line.start && is_space (chars[e - 1]))
          e--;
        for (guint k = line.start; k < e; k++)
          line.width += adv[k];
      }
      g_array_append_val (block->lines, line);
      start = line.end;
      while (start < last && is_space (chars[start]) && !line.last)
        start++;
      indent = 0;
    }
  fix_widow (block, first_line, first, attrs);
}

static Block *
layout (SbPdfWriter      *self,
        const char       *text,
        const SbPdfStyle *style,
        double            width,
        const char       *where)
{
  Block *block = g_new0 (Block, 1);
  const char *p = text ? text : "";

  block->chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  block->font = g_array_new (FALSE, FALSE, sizeof (guint8));
  block->advance = g_array_new (FALSE, FALSE, sizeof (double));
  block->lines = g_array_new (FALSE, FALSE, sizeof (Line));
  block->style = *style;
  /* a box narrower than one full-width character gets smaller type rather
   * than text drawn outside it */
  block->width = MAX (width, 1);
  if (block->style.size > block->width)
    block->style.size = block->width;
  block->line_height = block->style.size * block->style.leading;

  for (;;)
    {
      const char *end = strchr (p, '\n');
      gsize len = end ? (gsize) (end - p) : strlen (p);
      g_autoptr(GString) para = g_string_new_len (p, len);
      guint first = block->chars->len;

      if (para->len > 0 && para->str[para->len - 1] == '\r')
        g_string_truncate (para, para->len - 1);
      for (const char *q = para->str; *q; q = g_utf8_next_char (q))
        {
          gunichar c = g_utf8_get_char (q);
          int font;
          guint8 f;
          double a;

          if (c == '\t')
            c = ' ';
          if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFEFF || c == 0x200B)
            c = ' ';
          font = font_for (self, style->face, c);
          if (font < 0)
            {
              if (self->error == NULL)
                {
                  char utf8[8] = { 0 };
                  g_unichar_to_utf8 (c, utf8);
                  g_set_error (&self->error, SB_ERROR, SB_ERROR_INVALID_INPUT,
                               _("%s: the character “%s” (U+%04X) is in none of the fonts available for printing"),
                               where ? where : _("text"), utf8, c);
                }
              font = 0;
            }
          f = font;
          a = sb_pdf_font_advance (self->fonts[font], c) * block->style.size / 1000.0;
          g_array_append_val (block->chars, c);
          g_array_append_val (block->font, f);
          g_array_append_val (block->advance, a);
        }
      {
        /* Pango needs the text as it is broken: rebuild it from chars */
        g_autofree char *utf8 = block->chars->len > first
                                ? g_ucs4_to_utf8 ((gunichar *) (void *) block->chars->data + first,
                                                  block->chars->len - first, NULL, NULL, NULL)
                                : NULL;
        break_paragraph (self, block, first, block->chars->len, utf8 ? utf8 : "", utf8 ? strlen (utf8) : 0);
      }
      if (end == NULL)
        break;
      p = end + 1;
    }
  return block;
}

static void
draw_line (SbPdfWriter *self,
           Block       *block,
           guint        index,
           double       x,
           double       top)
{
  const Line *line = &g_array_index (block->lines, Line, index);
  const gunichar *chars = (gunichar *) (void *) block->chars->data;
  const guint8 *font = (guint8 *) (void *) block->font->data;
  const double *adv = (double *) (void *) block->advance->data;
  double size = block->style.size;
  double baseline = top + (block->line_height - size) / 2 + size * 0.86;
  double char_space = 0;
  guint end = line->end;

  if (self->first_drawn == 0)
    self->first_drawn = self->n_pages;
  if (self->dry_run)
    return;
  while (end > line->start && is_space (chars[end - 1]))
    end--;
  if (end == line->start)
    return;

  switch (block->style.align)
    {
    case SB_PDF_ALIGN_JUSTIFY:
      if (!line->last && end - line->start > 1)
        {
          double extra = (block->width - line->width) / (end - line->start - 1);
          /* a line stretched more than this (a long number or word went
           * to the next line) is set flush left instead */
          if (extra > 0 && extra <= size * MAX_STRETCH)
            char_space = extra;
        }
      break;
    case SB_PDF_ALIGN_CENTER:
      x += MAX (0, (block->width - line->width) / 2);
      break;
    case SB_PDF_ALIGN_RIGHT:
      x += MAX (0, block->width - line->width);
      break;
    default:
      break;
    }
  x += line->indent;

  if (block->style.grey)
    HPDF_Page_SetRGBFill (self->page, 0.45, 0.45, 0.45);
  for (guint i = line->start; i < end;)
    {
      guint j = i;
      double run = 0;

      while (j < end && font[j] == font[i])
        run += adv[j++] + char_space;
      use_font (self, font[i]);
      if (self->error == NULL)
        sb_pdf_font_show (self->fonts[font[i]], self->page, x, PAGE_H - baseline, size, char_space,
                          chars + i, j - i);
      x += run;
      i = j;
    }
  if (block->style.grey)
    HPDF_Page_SetRGBFill (self->page, 0, 0, 0);
}

/* keep: what must follow the last two lines on their page */
static void
paragraph (SbPdfWriter      *self,
           const char       *text,
           const SbPdfStyle *style,
           const char       *where,
           double            keep)
{
  g_autoptr(Block) block = NULL;
  guint n;

  ensure_page (self);
  block = layout (self, text, style, sb_pdf_writer_text_width (self), where);
  n = block->lines->len;
  for (guint i = 0; i < n; i++)
    {
      double need = block->line_height;

      /* the last two lines keep with what follows; a short paragraph
       * (three lines or fewer) keeps whole */
      if (keep > 0 && i == (n > 3 ? n - 2 : 0) && !sb_pdf_writer_at_top (self))
        need = (n - i) * block->line_height + keep;
      if (self->y + need > page_bottom (self) + 0.01)
        sb_pdf_writer_new_page (self);
      draw_line (self, block, i, self->left, self->y);
      self->y += block->line_height;
    }
}

void
sb_pdf_writer_paragraph (SbPdfWriter      *self,
                         const char       *text,
                         const SbPdfStyle *style,
                         const char       *where)
{
  double keep = begin_call (self);

  paragraph (self, text, style, where, keep);
}

double
sb_pdf_writer_paragraph_height (SbPdfWriter      *self,
                                const char       *text,
                                const SbPdfStyle *style)
{
  g_autoptr(Block) block = layout (self, text, style, sb_pdf_writer_text_width (self), NULL);

  return block->lines->len * block->line_height;
}

/* Cells, grids, tables */

typedef struct {
  SbPdfCell *cell;
  guint      row, col;
  guint      colspan, rowspan;
  double     x, width;
  Block     *block;
  guint      next_line;   /* while a row splits across pages */
  double     drawn;       /* pt of the cell drawn on earlier pages, against its minimum height */
} Placed;

static void
placed_free (Placed *placed)
{
  block_free (placed->block);
  g_free (placed);
}

static double
cell_need (Placed *p)
{
  double need = 2 * PAD + (p->block->lines->len - p->next_line) * p->block->line_height;

  /* a minimum height taller than a page is met across pages, not on each */
  return MAX (need, p->cell->min_height_mm * SB_PT_PER_MM - p->drawn);
}

static void
rect (SbPdfWriter *self,
      double       x,
      double       top,
      double       width,
      double       height,
      gboolean     fill,
      gboolean     stroke)
{
  if (self->dry_run || height <= 0 || (!fill && !stroke))
    return;
  if (fill)
    {
      HPDF_Page_SetRGBFill (self->page, 0.94, 0.94, 0.94);
      HPDF_Page_Rectangle (self->page, x, PAGE_H - top - height, width, height);
      HPDF_Page_Fill (self->page);
      HPDF_Page_SetRGBFill (self->page, 0, 0, 0);
    }
  if (stroke)
    {
      HPDF_Page_SetLineWidth (self->page, 0.6);
      HPDF_Page_Rectangle (self->page, x, PAGE_H - top - height, width, height);
      HPDF_Page_Stroke (self->page);
    }
}

/* Draws the lines of p that fit in height, from top; returns lines drawn */
static void
draw_cell (SbPdfWriter *self,
           Placed      *p,
           double       top,
           double       height)
{
  guint fit = (guint) MAX (0, floor ((height - 2 * PAD + 0.01) / p->block->line_height));
  guint end = MIN (p->block->lines->len, p->next_line + fit);

  /* p->x is from the text block's left edge, which moves with the page
   * when margins are mirrored: a row split across pages (and the header
   * rows repeated there) follows each page's text block */
  double x = self->left + p->x;

  if (self->first_drawn == 0)
    self->first_drawn = self->n_pages;
  double offset = 0;

  /* a cell's text that is all drawn here may sit at its bottom */
  if (p->cell->style.bottom && p->next_line == 0 && end == p->block->lines->len)
    offset = MAX (0, height - 2 * PAD - end * p->block->line_height);
  rect (self, x, top, p->width, height, p->cell->fill, FALSE);
  for (guint i = p->next_line; i < end; i++)
    draw_line (self, p->block, i, x + PAD, top + PAD + offset + (i - p->next_line) * p->block->line_height);
  p->next_line = end;
  p->drawn += height;
  rect (self, x, top, p->width, height, FALSE, p->cell->border);
}

static void draw_headers (SbPdfWriter *self, GPtrArray *headers);

/* Draws one row of cells (no row spans), splitting it across pages */
static void
draw_row (SbPdfWriter *self,
          GPtrArray   *cells,
          GPtrArray   *headers,
          double       keep)   /* pt that must follow the row's last two lines on their page */
{
  /* a page this loop has just begun (with the repeated header): the row
   * never moves on from it again, or a row too tall for it would add pages
   * for ever; it is split, at least one line at a time */
  gboolean fresh = FALSE;

  for (;;)
    {
      double need = 0, space, min_line = 0, tallest_line = 0;
      guint most_lines = 0;

      for (guint i = 0; i < cells->len; i++)
        {
          Placed *p = g_ptr_array_index (cells, i);
          need = MAX (need, cell_need (p));
          if (p->next_line < p->block->lines->len)
            {
              min_line = MAX (min_line, 2 * PAD + p->block->line_height);
              tallest_line = MAX (tallest_line, p->block->line_height);
              most_lines = MAX (most_lines, p->block->lines->len - p->next_line);
            }
        }
      space = page_bottom (self) - self->y;
      if (keep > 0 && !fresh && need <= space + 0.01 && need + keep > space + 0.01 && self->y > self->top + 1)
        {
          double slice = need - 2 * tallest_line;

          if (need + keep <= page_bottom (self) - self->top - 40 && (headers == NULL || self->y > self->top + 60))
            {
              /* the row moves to the next page with what follows it */
              sb_pdf_writer_new_page (self);
              draw_headers (self, headers);
              fresh = TRUE;
              continue;
            }
          /* a long row: its last two lines go to the next page with what follows */
          if (most_lines >= 3 && slice >= min_line && slice <= space + 0.01)
            {
              for (guint i = 0; i < cells->len; i++)
                draw_cell (self, g_ptr_array_index (cells, i), self->y, slice);
              sb_pdf_writer_new_page (self);
              draw_headers (self, headers);
              fresh = TRUE;
              continue;
            }
        }
      if (need <= space + 0.01)
        {
          for (guint i = 0; i < cells->len; i++)
            draw_cell (self, g_ptr_array_index (cells, i), self->y, need);
          self->y += need;
          return;
        }
      if (!fresh && (space < MAX (min_line, 2 * PAD + 1) ||
                     (need <= page_bottom (self) - self->top - 40 && self->y > self->top + 1 &&
                      (headers == NULL || self->y > self->top + 60))))
        {
          /* keep a row that fits a page together; never draw an empty slice */
          sb_pdf_writer_new_page (self);
          draw_headers (self, headers);
          fresh = TRUE;
          continue;
        }
      /* on a page begun for it, at least one line, even below the bottom */
      space = MAX (space, min_line);
      for (guint i = 0; i < cells->len; i++)
        draw_cell (self, g_ptr_array_index (cells, i), self->y, space);
      sb_pdf_writer_new_page (self);
      draw_headers (self, headers);
      fresh = TRUE;
    }
}

static void
draw_headers (SbPdfWriter *self,
              GPtrArray   *headers)
{
  if (headers == NULL)
    return;
  for (guint r = 0; r < headers->len; r++)
    {
      GPtrArray *cells = g_ptr_array_index (headers, r);
      double need = 0;

      for (guint i = 0; i < cells->len; i++)
        {
          Placed *p = g_ptr_array_index (cells, i);
          p->next_line = 0;
          p->drawn = 0;
          need = MAX (need, cell_need (p));
        }
      for (guint i = 0; i < cells->len; i++)
        draw_cell (self, g_ptr_array_index (cells, i), self->y, need);
      self->y += need;
    }
}

/* Rows joined by row spans are drawn together: kept on one page when they
 * fit one, else drawn row by row (a spanning cell then grows its first row) */
static void
draw_group (SbPdfWriter *self,
            GPtrArray   *placed_rows,
            guint        first,
            guint        last,
            GPtrArray   *headers,
            double       keep)
{
  g_autofree double *heights = g_new0 (double, last - first + 1);
  double total = 0;

  for (guint r = first; r <= last; r++)
    {
      GPtrArray *cells = g_ptr_array_index (placed_rows, r);
      heights[r - first] = 2 * PAD + 1;
      for (guint i = 0; i < cells->len; i++)
        {
          Placed *p = g_ptr_array_index (cells, i);
          if (p->rowspan <= 1)
            heights[r - first] = MAX (heights[r - first], cell_need (p));
        }
    }
  for (guint r = first; r <= last; r++)
    {
      GPtrArray *cells = g_ptr_array_index (placed_rows, r);
      for (guint i = 0; i < cells->len; i++)
        {
          Placed *p = g_ptr_array_index (cells, i);
          guint end = MIN (last, r + p->rowspan - 1);
          double sum = 0;

          if (p->rowspan <= 1)
            continue;
          for (guint k = r; k <= end; k++)
            sum += heights[k - first];
          if (cell_need (p) > sum)
            heights[end - first] += cell_need (p) - sum;
        }
    }
  for (guint r = first; r <= last; r++)
    total += heights[r - first];

  if ((total > page_bottom (self) - self->y + 0.01 && total <= page_bottom (self) - self->top - 60) ||
      (keep > 0 && total + keep > page_bottom (self) - self->y + 0.01 && total + keep <= page_bottom (self) - self->top - 60 &&
       self->y > self->top + 60))
    {
      sb_pdf_writer_new_page (self);
      draw_headers (self, headers);
    }
  if (total > page_bottom (self) - self->y + 0.01)
    {
      for (guint r = first; r <= last; r++)
        draw_row (self, g_ptr_array_index (placed_rows, r), headers, r == last ? keep : 0);
      return;
    }
  {
    double top = self->y;
    for (guint r = first; r <= last; r++)
      {
        GPtrArray *cells = g_ptr_array_index (placed_rows, r);
        for (guint i = 0; i < cells->len; i++)
          {
            Placed *p = g_ptr_array_index (cells, i);
            guint end = MIN (last, r + MAX (p->rowspan, 1) - 1);
            double height = 0;

            for (guint k = r; k <= end; k++)
              height += heights[k - first];
            draw_cell (self, p, top, height);
          }
        top += heights[r - first];
      }
    self->y = top;
  }
}

static double
header_height (GPtrArray *headers)
{
  double height = 0;

  for (guint r = 0; r < headers->len; r++)
    {
      GPtrArray *cells = g_ptr_array_index (headers, r);
      double need = 0;

      for (guint i = 0; i < cells->len; i++)
        need = MAX (need, cell_need (g_ptr_array_index (cells, i)));
      height += need;
    }
  return height;
}

/* the first data row, or its first line when it is longer than a page */
static double
first_row_height (SbPdfWriter *self,
                  GPtrArray   *placed_rows,
                  guint        n_header_rows)
{
  GPtrArray *cells;
  double need = 0, line = 0;

  if (placed_rows->len <= n_header_rows)
    return 0;
  cells = g_ptr_array_index (placed_rows, n_header_rows);
  for (guint i = 0; i < cells->len; i++)
    {
      Placed *p = g_ptr_array_index (cells, i);

      line = MAX (line, 2 * PAD + p->block->line_height);
      if (p->rowspan <= 1)
        need = MAX (need, cell_need (p));
    }
  need = MAX (need, line);
  return need > page_bottom (self) - self->top - 80 ? line : need;
}

static gboolean
only_labels (GPtrArray *cells)
{
  for (guint i = 0; i < cells->len; i++)
    if (!((Placed *) g_ptr_array_index (cells, i))->cell->fill)
      return FALSE;
  return cells->len > 0;
}

void
sb_pdf_writer_grid (SbPdfWriter *self,
                    GPtrArray   *rows,
                    guint        n_header_rows)
{
  g_autoptr(GPtrArray) placed_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) headers = NULL;
  double total = sb_pdf_writer_text_width (self);
  double keep = begin_call (self);

  ensure_page (self);
  /* lay out every cell; a cell's width is its width_mm (0: the rest of the row) */
  for (guint r = 0; r < rows->len; r++)
    {
      GArray *row = g_ptr_array_index (rows, r);
      GPtrArray *cells = g_ptr_array_new_with_free_func ((GDestroyNotify) placed_free);
      double fixed = 0, x = 0;   /* from the text block's left edge */
      guint n_free = 0;

      for (guint c = 0; c < row->len; c++)
        {
          SbPdfCell *cell = &g_array_index (row, SbPdfCell, c);
          if (cell->width_mm > 0)
            fixed += cell->width_mm * SB_PT_PER_MM;
          else
            n_free++;
        }
      for (guint c = 0; c < row->len; c++)
        {
          SbPdfCell *cell = &g_array_index (row, SbPdfCell, c);
          Placed *p = g_new0 (Placed, 1);
          double width = cell->width_mm > 0 ? cell->width_mm * SB_PT_PER_MM
                                            : MAX (20, (total - fixed) / MAX (n_free, 1));

          if (cell->positioned)
            x = cell->x_mm * SB_PT_PER_MM;
          if (x + width > total + 0.01)
            width = MAX (10, total - x);
          p->cell = cell;
          p->row = r;
          p->col = c;
          p->rowspan = MAX (cell->rowspan, 1);
          p->x = x;
          p->width = width;
          p->block = layout (self, cell->text, &cell->style, width - 2 * PAD, cell->where);
          x += width;
          g_ptr_array_add (cells, p);
        }
      g_ptr_array_add (placed_rows, cells);
    }

  if (n_header_rows > 0)
    {
      headers = g_ptr_array_new ();
      for (guint r = 0; r < MIN (n_header_rows, placed_rows->len); r++)
        g_ptr_array_add (headers, g_ptr_array_index (placed_rows, r));
      /* a header never stands alone at a page's foot: it moves to the next
       * page unless the first row below it fits with it (or, for a row
       * longer than a page, that row's first line) */
      if (!sb_pdf_writer_at_top (self) &&
          header_height (headers) + first_row_height (self, placed_rows, n_header_rows) > page_bottom (self) - self->y + 0.01)
        sb_pdf_writer_new_page (self);
      draw_headers (self, headers);
    }
  for (guint r = n_header_rows; r < placed_rows->len;)
    {
      guint last = r;

      for (guint k = r; k <= last && k < placed_rows->len; k++)
        {
          GPtrArray *cells = g_ptr_array_index (placed_rows, k);
          for (guint i = 0; i < cells->len; i++)
            last = MAX (last, k + ((Placed *) g_ptr_array_index (cells, i))->rowspan - 1);
        }
      last = MIN (last, placed_rows->len - 1);
      if (last == r && r + 1 < placed_rows->len && only_labels (g_ptr_array_index (placed_rows, r)))
        {
          /* a label row keeps with the first line of the row it labels */
          double need = 0, next = 0;
          GPtrArray *cells = g_ptr_array_index (placed_rows, r);
          GPtrArray *following = g_ptr_array_index (placed_rows, r + 1);

          for (guint i = 0; i < cells->len; i++)
            need = MAX (need, cell_need (g_ptr_array_index (cells, i)));
          /* the row below moves whole to a new page when it fits one
           * (draw_row), else it starts here with one line */
          for (guint i = 0; i < following->len; i++)
            next = MAX (next, cell_need (g_ptr_array_index (following, i)));
          if (next > page_bottom (self) - self->top - 40)
            {
              next = 0;
              for (guint i = 0; i < following->len; i++)
                next = MAX (next, 2 * PAD + ((Placed *) g_ptr_array_index (following, i))->block->line_height);
            }
          if (need + next > page_bottom (self) - self->y && need + next <= page_bottom (self) - self->top - 60)
            {
              sb_pdf_writer_new_page (self);
              draw_headers (self, headers);
            }
        }
      if (last == r)
        draw_row (self, g_ptr_array_index (placed_rows, r), headers, last + 1 == placed_rows->len ? keep : 0);
      else
        draw_group (self, placed_rows, r, last, headers, last + 1 == placed_rows->len ? keep : 0);
      r = last + 1;
    }
}

void
sb_pdf_writer_box (SbPdfWriter      *self,
                   const char       *text,
                   const SbPdfStyle *style,
                   double            min_height_mm,
                   const char       *where)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *row = g_array_new (FALSE, TRUE, sizeof (SbPdfCell));
  SbPdfCell cell = { 0 };

  cell.text = (char *) text;
  cell.style = *style;
  cell.border = TRUE;
  cell.min_height_mm = min_height_mm;
  cell.where = (char *) where;
  g_array_append_val (row, cell);
  g_ptr_array_add (rows, row);
  sb_pdf_writer_grid (self, rows, 0);
}

void
sb_pdf_cell_clear (SbPdfCell *cell)
{
  g_clear_pointer (&cell->text, g_free);
  g_clear_pointer (&cell->where, g_free);
}

/* Signatures, QR, contents */

void
sb_pdf_writer_signature (SbPdfWriter      *self,
                         const char       *label,
                         gboolean          seal,
                         gboolean          date,
                         const SbPdfStyle *style)
{
  SbPdfStyle right = *style;
  double need = sb_pdf_writer_signature_height (self, label, seal, date, style);
  g_autofree char *line = seal ? g_strdup (label) : g_strdup_printf ("%s＿＿＿＿＿＿＿＿", label);
  double keep = begin_call (self);

  ensure_page (self);
  if (self->y + need + keep > page_bottom (self) + 0.01 && !sb_pdf_writer_at_top (self))
    sb_pdf_writer_new_page (self);
  right.align = SB_PDF_ALIGN_RIGHT;
  right.indent = FALSE;
  if (seal)
    {
      double side = 30 * SB_PT_PER_MM;
      double x = self->left + sb_pdf_writer_text_width (self) - side - 8;

      if (!self->dry_run)
        {
          HPDF_Page_SetDash (self->page, (const HPDF_UINT16[]) { 3, 3 }, 2, 0);
          HPDF_Page_SetRGBStroke (self->page, 0.6, 0.6, 0.6);
          rect (self, x, self->y + 2, side, side, FALSE, TRUE);
          HPDF_Page_SetDash (self->page, NULL, 0, 0);
          HPDF_Page_SetRGBStroke (self->page, 0, 0, 0);
        }
      self->y += side + 4;
    }
  else
    self->y += 10;
  paragraph (self, line, &right, NULL, 0);
  if (date)
    paragraph (self, "年　　月　　日", &right, NULL, 0);
}

double
sb_pdf_writer_signature_height (SbPdfWriter      *self,
                                const char       *label,
                                gboolean          seal,
                                gboolean          date,
                                const SbPdfStyle *style)
{
  SbPdfStyle right = *style;
  g_autofree char *line = seal ? g_strdup (label) : g_strdup_printf ("%s＿＿＿＿＿＿＿＿", label);

  right.align = SB_PDF_ALIGN_RIGHT;
  right.indent = FALSE;
  return (seal ? 30 * SB_PT_PER_MM + 4 : 10) + sb_pdf_writer_paragraph_height (self, line, &right) +
         (date ? style->size * style->leading : 0);
}

void
sb_pdf_writer_qr (SbPdfWriter *self,
                  const char  *payload,
                  double       size_mm,
                  const char  *caption)
{
  QRcode *code;
  double side = size_mm * SB_PT_PER_MM;
  double x;
  double module;

  ensure_page (self);
  code = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    return;
  module = side / (code->width + 8);
  if (self->y + side > page_bottom (self))
    sb_pdf_writer_new_page (self);
  x = self->left + sb_pdf_writer_text_width (self) - side;
  if (!self->dry_run)
    {
      for (int r = 0; r < code->width; r++)
        for (int c = 0; c < code->width; c++)
          if (code->data[r * code->width + c] & 1)
            HPDF_Page_Rectangle (self->page, x + (c + 4) * module, PAGE_H - (self->y + (r + 5) * module),
                                 module + 0.02, module + 0.02);
      HPDF_Page_Fill (self->page);
    }
  QRcode_free (code);
  self->y += side;
  if (caption != NULL)
    {
      SbPdfStyle small = { SB_PDF_FACE_BODY, 7.5, 1.3, SB_PDF_ALIGN_RIGHT, FALSE, TRUE };
      paragraph (self, caption, &small, NULL, 0);
    }
}

void
sb_pdf_writer_toc_line (SbPdfWriter      *self,
                        const char       *title,
                        guint             page,
                        const SbPdfStyle *style)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *row = g_array_new (FALSE, TRUE, sizeof (SbPdfCell));
  g_autofree char *number = g_strdup_printf ("%u", page);
  SbPdfCell cells[2] = { 0 };

  cells[0].text = (char *) title;
  cells[0].style = *style;
  cells[0].style.align = SB_PDF_ALIGN_LEFT;
  cells[1].text = number;
  cells[1].style = *style;
  cells[1].style.align = SB_PDF_ALIGN_RIGHT;
  cells[1].style.bottom = TRUE;   /* beside the entry's last line, where the leader ends */
  cells[1].width_mm = 20;
  g_array_append_vals (row, cells, 2);
  g_ptr_array_add (rows, row);
  sb_pdf_writer_grid (self, rows, 0);
  if (!self->dry_run)
    {
      /* dotted leader under the entry */
      HPDF_Page_SetDash (self->page, (const HPDF_UINT16[]) { 1, 2 }, 2, 0);
      HPDF_Page_SetLineWidth (self->page, 0.5);
      HPDF_Page_MoveTo (self->page, self->left + PAD, PAGE_H - self->y + 4);
      HPDF_Page_LineTo (self->page, self->left + sb_pdf_writer_text_width (self) - PAD, PAGE_H - self->y + 4);
      HPDF_Page_Stroke (self->page);
      HPDF_Page_SetDash (self->page, NULL, 0, 0);
    }
}

/* Metadata and saving */

static void
set_info_text (SbPdfWriter *self,
               const char  *key,
               const char  *value)
{
  g_autofree gunichar2 *utf16 = NULL;
  glong n = 0;
  g_autofree guint8 *bytes = NULL;

  if (value == NULL)
    return;
  utf16 = g_utf8_to_utf16 (value, -1, NULL, &n, NULL);
  if (utf16 == NULL)
    return;
  bytes = g_malloc (2 * n + 2);
  bytes[0] = 0xFE;
  bytes[1] = 0xFF;
  for (glong i = 0; i < n; i++)
    {
      bytes[2 + 2 * i] = utf16[i] >> 8;
      bytes[3 + 2 * i] = utf16[i] & 0xFF;
    }
  HPDF_Dict_Add (self->doc->info, key, HPDF_Binary_New (self->doc->mmgr, bytes, 2 * n + 2));
}

void
sb_pdf_writer_set_metadata (SbPdfWriter *self,
                            const char  *title,
                            const char  *author,
                            const char  *subject,
                            const char  *creator,
                            GDateTime   *time)
{
  HPDF_Date date = { 0 };
  g_autoptr(GDateTime) utc = NULL;

  if (self->dry_run)
    return;
  HPDF_SetInfoAttr (self->doc, HPDF_INFO_CREATOR, creator);
  HPDF_SetInfoAttr (self->doc, HPDF_INFO_PRODUCER, creator);
  if (time != NULL)
    {
      utc = g_date_time_to_utc (time);
      date.year = g_date_time_get_year (utc);
      date.month = g_date_time_get_month (utc);
      date.day = g_date_time_get_day_of_month (utc);
      date.hour = g_date_time_get_hour (utc);
      date.minutes = g_date_time_get_minute (utc);
      date.seconds = g_date_time_get_second (utc);
      date.ind = 'Z';
      HPDF_SetInfoDateAttr (self->doc, HPDF_INFO_CREATION_DATE, date);
      HPDF_SetInfoDateAttr (self->doc, HPDF_INFO_MOD_DATE, date);
    }
  if (self->doc->info != NULL)
    {
      set_info_text (self, "Title", title);
      set_info_text (self, "Author", author);
      set_info_text (self, "Subject", subject);
    }
  HPDF_Dict_Add (self->doc->catalog, "Lang", HPDF_String_New (self->doc->mmgr, "zh-CN", NULL));
}

static void
draw_footers (SbPdfWriter *self,
              const char  *prefix)
{
  /* GB/T 9704-2012 7.5: 4号 (14 pt) 半角宋体 digits between dashes, at the
   * outer edge for double-sided printing: odd pages right, even pages left,
   * each one character (one 4号 em) inside the edge of that page's text
   * block (mirrored on even pages when the margins are) */
  const double em = 14;
  SbPdfStyle odd = { SB_PDF_FACE_BODY, em, 1.2, SB_PDF_ALIGN_RIGHT, FALSE, FALSE };
  SbPdfStyle even = { SB_PDF_FACE_BODY, em, 1.2, SB_PDF_ALIGN_LEFT, FALSE, FALSE };
  SbPdfStyle small = { SB_PDF_FACE_BODY, 8, 1.2, SB_PDF_ALIGN_CENTER, FALSE, TRUE };
  double width = sb_pdf_writer_text_width (self);

  for (guint i = 0; i < self->pages->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("— %u —", i + 1);
      const char *part = g_ptr_array_index (self->page_parts, i);
      g_autofree char *line = prefix ? g_strdup_printf ("%s · %s", prefix, part) : g_strdup (part);
      gboolean is_odd = (i % 2) == 0;
      double left = page_left (self, i + 1);
      g_autoptr(Block) a = layout (self, text, is_odd ? &odd : &even, width - em, NULL);
      g_autoptr(Block) b = layout (self, line, &small, width, NULL);
      double top = page_bottom (self) + 7 * SB_PT_PER_MM - (a->line_height - em) / 2;

      self->page = g_ptr_array_index (self->pages, i);
      draw_line (self, a, 0, is_odd ? left : left + em, top);
      for (guint l = 0; l < b->lines->len; l++)
        draw_line (self, b, l, left, top + a->line_height + 2 + l * b->line_height);
    }
}

gboolean
sb_pdf_writer_finish (SbPdfWriter  *self,
                      const char   *footer_prefix,
                      GBytes      **out,
                      GError      **error)
{
  g_autofree guint8 *data = NULL;
  HPDF_UINT32 size;

  if (self->dry_run)
    return sb_pdf_writer_ok (self, error);
  draw_footers (self, footer_prefix);
  if (!sb_pdf_writer_ok (self, error))
    return FALSE;
  for (guint i = 0; i < N_FONTS; i++)
    if (self->attached[i] && !self->shared[i] && !sb_pdf_font_finish (self->fonts[i], error))
      return FALSE;
  if (HPDF_SaveToStream (self->doc) != HPDF_OK)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("The PDF library could not write the document (error 0x%04lX)"),
                   (unsigned long) HPDF_GetError (self->doc));
      return FALSE;
    }
  size = HPDF_GetStreamSize (self->doc);
  data = g_malloc (MAX (size, 1));
  {
    HPDF_UINT32 got = size;
    HPDF_ResetStream (self->doc);
    if (HPDF_ReadFromStream (self->doc, data, &got) != HPDF_OK && got != size)
      {
        /* HPDF_ReadFromStream reports the end of the stream as an error */
        if (got != size)
          {
            g_set_error_literal (error, SB_ERROR, SB_ERROR_FAILED, _("The PDF library could not hand over the document"));
            return FALSE;
          }
      }
  }
  *out = g_bytes_new_take (g_steal_pointer (&data), size);
  return TRUE;
}
