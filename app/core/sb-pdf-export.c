/* sb-pdf-export.c — the printable 申报书 of a draft, as PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-pdf-export.h"
#include "sb-print-template.h"
#include "sb-storage.h"
#include "sb-validator.h"

#define EMPTY "无"

typedef struct {
  SbPdfWriter              *w;
  SbDraft                  *draft;
  SbCall                   *call;
  SbValidator              *validator;
  SbPrintTemplate          *template;
  const SbPdfExportOptions *options;
  GArray                   *part_pages;   /* guint: first page of each part, from the first pass */
  GPtrArray                *notes;
  gint64                    copies;
  gboolean                  final;        /* the second pass */
  gboolean                  probing;      /* trying a block out: no notes, no look-ahead */
  gboolean                  keep_checked; /* a heading's keeping with what follows is seen to */
} Render;

/* Values as printed */

static SbPdfStyle
style (Render    *r,
       SbPdfFace  face,
       const char *role)
{
  SbPdfStyle s = { face, sb_print_template_get_size (r->template, role), 1.6, SB_PDF_ALIGN_JUSTIFY, FALSE, FALSE };

  if (g_str_equal (role, "table"))
    s.leading = 1.45;
  return s;
}

static char *
format_date (SbDate date)
{
  int y, m, d;

  sb_date_to_ymd (date, &y, &m, &d);
  return g_strdup_printf ("%d年%d月%d日", y, m, d);
}

static const char *
option_label (SbField    *field,
              const char *value)
{
  const SbOption *option = sb_field_find_option (field, value);

  return option != NULL ? option->label.zh : value;
}

static char *format_value (SbField *field, const SbValue *value);

static char *
format_record (SbField       *field,
               const SbValue *value)
{
  GPtrArray *children = sb_field_get_children (field);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < children->len; i++)
    {
      SbField *child = g_ptr_array_index (children, i);
      g_autofree char *text = format_value (child, sb_value_record_get (value, sb_field_get_id (child)));

      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, "；");
      g_string_append_printf (out, "%s：%s", sb_field_get_label (child)->zh, text);
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* NULL when the value is empty */
static char *
format_value (SbField       *field,
              const SbValue *value)
{
  if (value == NULL || sb_value_is_empty (value))
    return NULL;
  switch (sb_field_get_field_type (field))
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
      return g_strdup (sb_value_get_string (value));
    case SB_FIELD_MONEY:
      {
        gint64 yuan = 0;
        sb_number_to_int (sb_value_get_number (value), &yuan);
        return sb_field_get_unit (field) == SB_MONEY_UNIT_YUAN ? sb_money_format_yuan (yuan) : sb_money_format_wan (yuan);
      }
    case SB_FIELD_INTEGER:
      return sb_number_format (sb_value_get_number (value), 0);
    case SB_FIELD_DECIMAL:
      return sb_number_format (sb_value_get_number (value), sb_field_get_decimals (field));
    case SB_FIELD_DATE:
      return format_date (sb_value_get_date (value));
    case SB_FIELD_CHOICE:
      return g_strdup (option_label (field, sb_value_get_string (value)));
    case SB_FIELD_MULTI_CHOICE:
      {
        GPtrArray *items = sb_value_get_list (value);
        g_autoptr(GString) out = g_string_new (NULL);

        for (guint i = 0; i < items->len; i++)
          g_string_append_printf (out, "%s%s", i ? "、" : "",
                                  option_label (field, sb_value_get_string (g_ptr_array_index (items, i))));
        return g_string_free (g_steal_pointer (&out), FALSE);
      }
    case SB_FIELD_YESNO:
      return g_strdup (sb_value_get_bool (value) ? "是" : "否");
    case SB_FIELD_DECLARATION:
      return g_strdup (sb_value_get_bool (value) ? "已确认" : "未确认");
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      return format_record (field, value);
    case SB_FIELD_TABLE:
      return g_strdup_printf ("%u", sb_value_get_list (value)->len);
    default:
      return NULL;
    }
}

/* "field" or "field.member" */
static gboolean
lookup_path (Render         *r,
             const char     *path,
             SbField       **field_out,
             const SbValue **value_out)
{
  const char *dot = strchr (path, '.');
  g_autofree char *head = dot ? g_strndup (path, dot - path) : g_strdup (path);
  SbField *field = sb_call_find_field (r->call, head);
  const SbValue *value;

  if (field == NULL)
    return FALSE;
  value = sb_validator_get_value (r->validator, field);
  if (dot != NULL)
    {
      field = sb_field_find_child (field, dot + 1);
      if (field == NULL)
        return FALSE;
      value = value != NULL && sb_value_get_kind (value) == SB_VALUE_RECORD ? sb_value_record_get (value, dot + 1) : NULL;
    }
  *field_out = field;
  *value_out = value;
  return TRUE;
}

static char *
path_text (Render     *r,
           const char *path)
{
  SbField *field;
  const SbValue *value;

  if (!lookup_path (r, path, &field, &value))
    return NULL;
  return format_value (field, value);
}

static char *
fill_placeholders (Render     *r,
                   const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (*p == '{' && strchr (p, '}') != NULL)
        {
          const char *close = strchr (p, '}');
          g_autofree char *name = g_strndup (p + 1, close - p - 1);
          g_autofree char *value = NULL;

          if (g_str_equal (name, "copies"))
            value = g_strdup_printf ("%" PRId64, r->copies);
          else if (g_str_equal (name, "call.title"))
            value = g_strdup (sb_call_get_title (r->call)->zh);
          else if (g_str_equal (name, "call.bureau"))
            value = g_strdup (sb_call_get_bureau (r->call)->zh);
          else if (g_str_equal (name, "call.document_number"))
            value = g_strdup (sb_call_get_document_number (r->call));
          else if (g_str_equal (name, "call.year"))
            value = g_strdup_printf ("%" PRId64, sb_call_get_year (r->call));
          else
            value = path_text (r, name);
          g_string_append (out, value ? value : EMPTY);
          p = close;
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const SbValue *
lookup_for_eval (gpointer field,
                 gpointer user_data)
{
  return sb_validator_get_value (user_data, field);
}

static gboolean
is_relevant (Render *r,
             SbExpr *expr)
{
  SbEvalContext context = { lookup_for_eval, r->validator };
  SbEval result = { 0 };

  if (expr == NULL)
    return TRUE;
  if (!sb_expr_evaluate (expr, &context, &result, NULL))
    return FALSE;
  return result.kind == SB_VALUE_BOOL && result.boolean;
}

static SbPdfAlign
parse_align (const char *align,
             SbPdfAlign  fallback)
{
  if (align == NULL)
    return fallback;
  if (g_str_equal (align, "left"))
    return SB_PDF_ALIGN_LEFT;
  if (g_str_equal (align, "center"))
    return SB_PDF_ALIGN_CENTER;
  if (g_str_equal (align, "right"))
    return SB_PDF_ALIGN_RIGHT;
  return SB_PDF_ALIGN_JUSTIFY;
}

/* Grids built by the exporter */

typedef struct {
  GPtrArray *rows;   /* GArray of SbPdfCell */
} Grid;

static void
cell_array_free (GArray *cells)
{
  for (guint i = 0; i < cells->len; i++)
    sb_pdf_cell_clear (&g_array_index (cells, SbPdfCell, i));
  g_array_unref (cells);
}

static GPtrArray *
grid_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cell_array_free);
}

static GArray *
grid_row (GPtrArray *grid)
{
  GArray *row = g_array_new (FALSE, TRUE, sizeof (SbPdfCell));
  g_ptr_array_add (grid, row);
  return row;
}

static void
grid_cell (GArray           *row,
           char             *text,   /* taken */
           const SbPdfStyle *cell_style,
           double            width_mm,
           gboolean          label,
           const char       *where)
{
  SbPdfCell cell = { 0 };

  cell.text = text;
  cell.style = *cell_style;
  cell.width_mm = width_mm;
  cell.border = TRUE;
  cell.fill = label;
  cell.where = g_strdup (where);
  if (label)
    cell.style.align = SB_PDF_ALIGN_CENTER;
  g_array_append_val (row, cell);
}

static char *
value_or_empty (char *text)
{
  return text ? text : g_strdup (EMPTY);
}

/* Blocks */

/* the gap between blocks that would otherwise touch: half a body line */
static double
gap_height (Render *r)
{
  return sb_print_template_get_size (r->template, "body") * 0.8;
}

static void
gap (Render *r)
{
  if (!sb_pdf_writer_at_top (r->w))
    sb_pdf_writer_skip (r->w, gap_height (r));
}

/* Trying a layout out: laid out, drawn nowhere, and undone by try_end,
 * which also gives back whether the caller was trying out already (a
 * try-out inside another must not end the outer one: notes are added
 * only outside any) */
static gboolean
try_begin (Render    *r,
           SbPdfMark *mark)
{
  gboolean probing = r->probing;

  sb_pdf_writer_probe_begin (r->w, mark);
  r->probing = TRUE;
  return probing;
}

static void
try_end (Render          *r,
         const SbPdfMark *mark,
         gboolean         probing)
{
  r->probing = probing;
  sb_pdf_writer_probe_end (r->w, mark);
}

/* In a try-out, after a heading or caption: the page it ends on, with
 * what is drawn next watched */
static guint
try_watch (Render *r)
{
  sb_pdf_writer_watch (r->w);
  return sb_pdf_writer_get_page (r->w);
}

/* whether what was drawn after try_watch began on another page than the
 * heading's: the heading would be left alone at a page foot */
static gboolean
try_stranded (Render *r,
              guint   page)
{
  guint first = sb_pdf_writer_first_drawn (r->w);

  return first != 0 && first != page;
}

static void
render_heading (Render             *r,
                const SbPrintBlock *block)
{
  SbPdfStyle s = style (r, SB_PDF_FACE_HEADING, block->type == SB_BLOCK_TITLE ? "title" : "heading");
  g_autofree char *text = fill_placeholders (r, block->text.zh);

  if (block->type == SB_BLOCK_HEADING && block->level > 1)
    s.size = MAX (s.size - 2 * (block->level - 1), sb_print_template_get_size (r->template, "body"));
  if (block->size > 0)
    s.size = block->size;
  s.leading = 1.5;
  s.align = parse_align (block->align, block->type == SB_BLOCK_TITLE ? SB_PDF_ALIGN_CENTER : SB_PDF_ALIGN_LEFT);
  /* a heading keeps with what follows it (render_parts tries that out;
   * this is the rule of thumb for headings inside a block) */
  if (!r->keep_checked && sb_pdf_writer_get_page (r->w) > 0 &&
      sb_pdf_writer_space_left (r->w) < s.size * s.leading * 2 + 70)
    sb_pdf_writer_new_page (r->w);
  else
    sb_pdf_writer_skip (r->w, block->type == SB_BLOCK_TITLE ? 12 : 6);
  sb_pdf_writer_paragraph (r->w, text, &s, block->path);
  sb_pdf_writer_skip (r->w, 4);
}

static void
render_text (Render             *r,
             const SbPrintBlock *block)
{
  SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "body");
  g_autofree char *text = fill_placeholders (r, block->text.zh);

  if (block->size > 0)
    s.size = block->size;
  s.align = parse_align (block->align, SB_PDF_ALIGN_JUSTIFY);
  s.indent = block->indent;
  s.grey = block->grey;
  if (block->seal)   /* "box": the text in a frame */
    sb_pdf_writer_box (r->w, text, &s, 0, block->path);
  else
    sb_pdf_writer_paragraph (r->w, text, &s, block->path);
}

typedef struct {
  GPtrArray *grid;
  GArray    *busy;   /* int: rows a span still holds per column */
  GArray    *x;      /* double: left edge of each column, mm */
  GArray    *widths; /* double, mm */
} GridBuild;

/* the text of one cell; item: the row of a repeated row (NULL otherwise) */
static char *
cell_text (Render             *r,
           const SbPrintCell  *cell,
           const SbValue      *item,
           guint               number,
           gboolean            blank,
           gboolean           *grey)
{
  if (cell->label.zh != NULL)
    return g_strdup (cell->label.zh);
  if (blank)
    return g_strdup ("");
  if (cell->row_number)
    return g_strdup_printf ("%u", number);
  if (cell->text != NULL)
    return fill_placeholders (r, cell->text);
  {
    SbField *field;
    const SbValue *value;
    char *text = NULL;

    if (lookup_path (r, cell->field, &field, &value))
      {
        if (item != NULL)
          value = sb_value_record_get (item, sb_field_get_id (field));
        text = format_value (field, value);
      }
    if (text == NULL && cell->hint.zh != NULL)
      {
        *grey = TRUE;
        return g_strdup (cell->hint.zh);
      }
    return text ? text : g_strdup (EMPTY);
  }
}

static void
emit_row (Render             *r,
          const SbPrintBlock *block,
          GridBuild          *b,
          GArray             *cells,
          const SbValue      *item,
          guint               number,
          gboolean            blank,
          const SbText       *span_label,
          int                 span_rows)
{
  GArray *row = grid_row (b->grid);
  guint col = 0;

  if (span_label != NULL)
    {
      SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "table");
      SbPdfCell *made;

      if (block->size > 0)
        s.size = block->size;
      grid_cell (row, g_strdup (span_label->zh), &s, g_array_index (b->widths, double, 0), TRUE, block->path);
      made = &g_array_index (row, SbPdfCell, row->len - 1);
      made->positioned = TRUE;
      made->x_mm = 0;
      made->rowspan = span_rows;
      made->min_height_mm = 9;
      g_array_index (b->busy, int, 0) = span_rows;
    }
  for (guint c = 0; c < cells->len; c++)
    {
      SbPrintCell *cell = &g_array_index (cells, SbPrintCell, c);
      SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "table");
      g_autofree char *where = cell->field ? g_strdup_printf ("%s (%s)", cell->field, block->path) : g_strdup (block->path);
      gboolean label = cell->label.zh != NULL;
      gboolean grey = FALSE;
      char *text;
      double width = 0;
      SbPdfCell *made;

      if (block->size > 0)
        s.size = block->size;
      while (col < b->busy->len && g_array_index (b->busy, int, col) > 0)
        col++;
      if (col + cell->colspan > b->busy->len)
        break;
      for (int k = 0; k < cell->colspan; k++)
        {
          width += g_array_index (b->widths, double, col + k);
          g_array_index (b->busy, int, col + k) = cell->rowspan;
        }
      text = cell_text (r, cell, item, number, blank, &grey);
      s.grey = grey;
      s.align = parse_align (cell->align, label || cell->row_number ? SB_PDF_ALIGN_CENTER : SB_PDF_ALIGN_LEFT);
      grid_cell (row, text, &s, width, label, where);
      made = &g_array_index (row, SbPdfCell, row->len - 1);
      made->style.align = s.align;
      made->positioned = TRUE;
      made->x_mm = g_array_index (b->x, double, col);
      made->rowspan = cell->rowspan;
      made->min_height_mm = cell->min_height_mm > 0 ? cell->min_height_mm : 9;
      col += cell->colspan;
    }
  for (guint k = 0; k < b->busy->len; k++)
    if (g_array_index (b->busy, int, k) > 0)
      g_array_index (b->busy, int, k)--;
}

static void
render_grid (Render             *r,
             const SbPrintBlock *block)
{
  g_autoptr(GPtrArray) grid = grid_new ();
  g_autoptr(GArray) busy = g_array_new (FALSE, TRUE, sizeof (int));
  g_autoptr(GArray) x = g_array_new (FALSE, TRUE, sizeof (double));
  GridBuild b = { grid, busy, x, block->columns_mm };
  double at = 0;

  g_array_set_size (busy, block->columns_mm->len);
  for (guint c = 0; c < block->columns_mm->len; c++)
    {
      g_array_append_val (x, at);
      at += g_array_index (block->columns_mm, double, c);
    }

  for (guint i = 0; i < block->rows->len; i++)
    {
      SbPrintRow *spec = g_ptr_array_index (block->rows, i);
      SbField *table;
      const SbValue *list;
      GPtrArray *items = NULL;
      guint n, shown;
      const SbText *label;

      if (spec->for_each == NULL)
        {
          emit_row (r, block, &b, spec->cells, NULL, 0, FALSE, NULL, 0);
          continue;
        }
      table = sb_call_find_field (r->call, spec->for_each);
      list = sb_validator_get_value (r->validator, table);
      if (list != NULL && sb_value_get_kind (list) == SB_VALUE_LIST)
        items = sb_value_get_list (list);
      n = items ? items->len : 0;
      shown = MAX (n, (guint) spec->min_rows);
      if (shown == 0)
        shown = 1;   /* "无" */
      label = spec->label.zh != NULL ? &spec->label : NULL;
      if (spec->header != NULL && spec->header->len > 0)
        {
          emit_row (r, block, &b, spec->header, NULL, 0, FALSE, label, shown + 1);
          label = NULL;
        }
      for (guint k = 0; k < shown; k++)
        {
          const SbValue *item = k < n ? g_ptr_array_index (items, k) : NULL;
          gboolean blank = k >= n && !(n == 0 && k == 0 && spec->min_rows == 0);

          emit_row (r, block, &b, spec->cells, item, k + 1, blank, label, label ? shown : 0);
          label = NULL;
        }
    }
  sb_pdf_writer_grid (r->w, grid, 0);
}

static void
render_long_text (Render     *r,
                  const char *field_path,
                  const char *label,
                  const char *hint,
                  double      min_height_mm,
                  const char *block_path)
{
  g_autoptr(GPtrArray) grid = grid_new ();
  SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "body");
  SbPdfStyle l = style (r, SB_PDF_FACE_HEADING, "table");
  g_autofree char *text = path_text (r, field_path);
  g_autofree char *where = g_strdup_printf ("%s (%s)", field_path, block_path);
  GArray *row;

  if (label != NULL)
    {
      row = grid_row (grid);
      grid_cell (row, g_strdup (label), &l, 0, TRUE, block_path);
      g_array_index (row, SbPdfCell, 0).style.align = SB_PDF_ALIGN_LEFT;
    }
  s.indent = TRUE;
  if (text == NULL && hint != NULL)
    {
      s.grey = TRUE;
      text = g_strdup (hint);
    }
  row = grid_row (grid);
  grid_cell (row, value_or_empty (g_steal_pointer (&text)), &s, 0, FALSE, where);
  g_array_index (row, SbPdfCell, 0).min_height_mm = min_height_mm;
  sb_pdf_writer_grid (r->w, grid, 0);
}

/* in half-width units: a CJK character counts two */
static double
display_width (const char *text)
{
  double width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

/* the longest run of characters UAX #14 would not break (roughly: not CJK,
 * not a space), in half-width units */
static double
longest_word (const char *text)
{
  double longest = 0, run = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iswide (c) || g_unichar_isspace (c))
        run = 0;
      else
        {
          run++;
          longest = MAX (longest, run);
        }
    }
  return longest;
}

static void
render_table (Render     *r,
              SbField    *table,
              GArray     *columns,   /* SbPrintColumn, may be NULL: all */
              gboolean    numbered,
              double      size,
              const char *block_path)
{
  g_autoptr(GPtrArray) grid = grid_new ();
  GPtrArray *children = sb_field_get_children (table);
  const SbValue *value = sb_validator_get_value (r->validator, table);
  GPtrArray *items = value != NULL && sb_value_get_kind (value) == SB_VALUE_LIST ? sb_value_get_list (value) : NULL;
  SbPdfStyle head = style (r, SB_PDF_FACE_HEADING, "table");
  SbPdfStyle body = style (r, SB_PDF_FACE_BODY, "table");
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (double));
  GArray *row;

  if (size > 0)
    head.size = body.size = size;
  if (columns != NULL)
    for (guint i = 0; i < columns->len; i++)
      {
        SbPrintColumn *column = &g_array_index (columns, SbPrintColumn, i);
        g_ptr_array_add (fields, sb_field_find_child (table, column->column));
        g_array_append_val (widths, column->width_mm);
      }
  else
    {
      /* widths in proportion to what the columns hold (header and the
       * first rows), at least 14 mm */
      double total = 156 - (numbered ? 12 : 0), sum = 0;
      g_autoptr(GArray) weights = g_array_new (FALSE, TRUE, sizeof (double));
      g_autoptr(GArray) words = g_array_new (FALSE, TRUE, sizeof (double));

      for (guint i = 0; i < children->len; i++)
        {
          SbField *child = g_ptr_array_index (children, i);
          /* a long header may wrap; it claims at most 4 characters */
          double header = MIN (display_width (sb_field_get_label (child)->zh), 8);
          double weight = header, word = 2;

          for (guint n = 0; items != NULL && n < MIN (items->len, 50); n++)
            {
              g_autofree char *text = format_value (child, sb_value_record_get (g_ptr_array_index (items, n),
                                                                                 sb_field_get_id (child)));
              if (text != NULL)
                {
                  weight = MAX (weight, display_width (text));
                  word = MAX (word, longest_word (text));
                }
            }
          weight = MIN (weight, 48);
          word = MIN (word, 30);
          g_array_append_val (words, word);
          g_ptr_array_add (fields, child);
          g_array_append_val (weights, weight);
          sum += weight;
        }
      {
        /* each column first gets room for its content up to 16 half-width
         * units (1.85 mm each at 五号, plus padding and a margin) and
         * never less than its longest word or number, which are not split;
         * the rest of the width then goes to the columns with more to hold */
        double mins = 0, hards = 0, extra = 0;

        for (guint i = 0; i < children->len; i++)
          {
            double w = g_array_index (weights, double, i), word = g_array_index (words, double, i);
            mins += MAX (MIN (w, 16), word) * 1.95 + 4.6;
            hards += word * 1.95 + 4.6;
            extra += MAX (0, w - MAX (16, word));
          }
        for (guint i = 0; i < children->len; i++)
          {
            double w = g_array_index (weights, double, i), word = g_array_index (words, double, i);
            double hard = word * 1.95 + 4.6;
            double width = MAX (MIN (w, 16), word) * 1.95 + 4.6;

            if (mins > total && hards < total)
              width = hard + (width - hard) * (total - hards) / (mins - hards);
            else if (mins > total)
              width *= total / mins;
            else if (extra > 0)
              width += (total - mins) * MAX (0, w - MAX (16, word)) / extra;
            else
              width += (total - mins) / children->len;
            g_array_append_val (widths, width);
          }
        (void) sum;
      }
      /* the last column takes what is left: never wider than the block */
      if (widths->len > 0)
        g_array_index (widths, double, widths->len - 1) = 0;
    }

  row = grid_row (grid);
  if (numbered)
    grid_cell (row, g_strdup ("序号"), &head, 12, TRUE, block_path);
  for (guint i = 0; i < fields->len; i++)
    {
      SbPrintColumn *column = columns ? &g_array_index (columns, SbPrintColumn, i) : NULL;
      const char *title = column && column->title.zh ? column->title.zh : sb_field_get_label (g_ptr_array_index (fields, i))->zh;
      grid_cell (row, g_strdup (title), &head, g_array_index (widths, double, i), TRUE, block_path);
    }

  if (items == NULL || items->len == 0)
    {
      row = grid_row (grid);
      grid_cell (row, g_strdup (EMPTY), &body, 0, FALSE, block_path);
      g_array_index (row, SbPdfCell, 0).style.align = SB_PDF_ALIGN_CENTER;
    }
  for (guint n = 0; items != NULL && n < items->len; n++)
    {
      const SbValue *item = g_ptr_array_index (items, n);

      row = grid_row (grid);
      if (numbered)
        {
          grid_cell (row, g_strdup_printf ("%u", n + 1), &body, 12, FALSE, block_path);
          g_array_index (row, SbPdfCell, 0).style.align = SB_PDF_ALIGN_CENTER;
        }
      for (guint i = 0; i < fields->len; i++)
        {
          SbField *child = g_ptr_array_index (fields, i);
          g_autofree char *where = g_strdup_printf ("%s[%u].%s", sb_field_get_id (table), n, sb_field_get_id (child));
          char *text = format_value (child, sb_value_record_get (item, sb_field_get_id (child)));

          body.align = SB_PDF_ALIGN_LEFT;
          grid_cell (row, value_or_empty (text), &body, g_array_index (widths, double, i), FALSE, where);
        }
    }
  sb_pdf_writer_grid (r->w, grid, 1);
}

/* a table under its caption: the caption moves to the next page with the
 * table's header unless the first row fits under them (the writer keeps
 * the header with that row): tried out first */
static void
render_captioned_table (Render     *r,
                        const char *caption,
                        SbField    *table,
                        GArray     *columns,
                        gboolean    numbered,
                        double      size,
                        const char *block_path)
{
  SbPdfStyle s = style (r, SB_PDF_FACE_HEADING, "table");

  s.align = SB_PDF_ALIGN_LEFT;
  gap (r);
  if (!r->probing && !sb_pdf_writer_at_top (r->w))
    {
      SbPdfMark mark;
      gboolean probing = try_begin (r, &mark);
      guint page;
      gboolean stranded;

      sb_pdf_writer_paragraph (r->w, caption, &s, block_path);
      page = try_watch (r);
      render_table (r, table, columns, numbered, size, block_path);
      stranded = try_stranded (r, page);
      try_end (r, &mark, probing);
      if (stranded)
        sb_pdf_writer_new_page (r->w);
    }
  sb_pdf_writer_paragraph (r->w, caption, &s, block_path);
  render_table (r, table, columns, numbered, size, block_path);
}

static void
add_value_row (Render     *r,
               GPtrArray  *grid,
               const char *label,
               char       *text,
               const char *where)
{
  SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "table");
  GArray *row = grid_row (grid);

  grid_cell (row, g_strdup (label), &s, 45, TRUE, where);
  s.align = SB_PDF_ALIGN_LEFT;
  grid_cell (row, value_or_empty (text), &s, 0, FALSE, where);
}

static void
flush_grid (Render     *r,
            GPtrArray **grid)
{
  if ((*grid)->len > 0)
    sb_pdf_writer_grid (r->w, *grid, 0);
  g_ptr_array_unref (*grid);
  *grid = grid_new ();
}

static void
flush_step_grid (Render     *r,
                 GPtrArray **grid,
                 gboolean   *after_table)
{
  if ((*grid)->len > 0 && *after_table)
    {
      gap (r);
      *after_table = FALSE;
    }
  flush_grid (r, grid);
}

static void render_step_fields (Render *r, const SbPrintBlock *block, SbStep *step);

/* Every relevant field of a wizard step, in a generic layout */
static void
render_step (Render             *r,
             const SbPrintBlock *block)
{
  GArray *steps = sb_call_get_steps (r->call);
  SbStep *step = NULL;

  for (guint i = 0; i < steps->len; i++)
    if (g_str_equal (g_array_index (steps, SbStep, i).id, block->step))
      step = &g_array_index (steps, SbStep, i);
  g_assert (step != NULL);

  {
    gboolean any = FALSE;
    for (guint i = 0; i < step->fields->len; i++)
      any |= sb_validator_is_relevant (r->validator, g_ptr_array_index (step->fields, i));
    if (!any)
      return;
  }

  if (block->numbered)   /* "heading": the step's title above its fields, kept with them (tried out) */
    {
      SbPrintBlock heading = { 0 };
      gboolean checked = r->keep_checked;

      heading.type = SB_BLOCK_HEADING;
      heading.level = 2;
      heading.text.zh = step->title.zh;
      heading.path = block->path;
      if (!r->probing && !sb_pdf_writer_at_top (r->w))
        {
          SbPdfMark mark;
          gboolean probing = try_begin (r, &mark);
          guint page;
          gboolean stranded;

          r->keep_checked = TRUE;
          render_heading (r, &heading);
          page = try_watch (r);
          render_step_fields (r, block, step);
          stranded = try_stranded (r, page);
          try_end (r, &mark, probing);
          if (stranded)
            sb_pdf_writer_new_page (r->w);
          r->keep_checked = TRUE;
        }
      render_heading (r, &heading);
      r->keep_checked = checked;
    }
  render_step_fields (r, block, step);
}

static void
render_step_fields (Render             *r,
                    const SbPrintBlock *block,
                    SbStep             *step)
{
  GPtrArray *grid = grid_new ();
  gboolean after_table = FALSE;   /* what follows a table stands apart from it */

  for (guint i = 0; i < step->fields->len; i++)
    {
      SbField *field = g_ptr_array_index (step->fields, i);
      const SbValue *value = sb_validator_get_value (r->validator, field);
      const char *label = sb_field_get_label (field)->zh;
      const char *id = sb_field_get_id (field);

      if (!sb_validator_is_relevant (r->validator, field))
        continue;
      switch (sb_field_get_field_type (field))
        {
        case SB_FIELD_TEXTAREA:
          flush_step_grid (r, &grid, &after_table);
          if (after_table)
            gap (r);
          after_table = FALSE;
          render_long_text (r, id, label, NULL, 20, block->path);
          break;
        case SB_FIELD_TABLE:
          flush_step_grid (r, &grid, &after_table);
          render_captioned_table (r, label, field, NULL, TRUE, 0, block->path);
          after_table = TRUE;
          break;
        case SB_FIELD_PERSON:
        case SB_FIELD_ORGANISATION:
          {
            GPtrArray *children = sb_field_get_children (field);
            for (guint c = 0; c < children->len; c++)
              {
                SbField *child = g_ptr_array_index (children, c);
                const SbValue *part = value ? sb_value_record_get (value, sb_field_get_id (child)) : NULL;
                g_autofree char *both = g_strdup_printf ("%s：%s", label, sb_field_get_label (child)->zh);
                g_autofree char *where = g_strdup_printf ("%s.%s", id, sb_field_get_id (child));

                add_value_row (r, grid, both, format_value (child, part), where);
              }
          }
          break;
        case SB_FIELD_DECLARATION:
          {
            const SbText *text = sb_field_get_text (field);
            g_autofree char *status = format_value (field, value);
            char *both = g_strdup_printf ("%s\n（%s）", text && text->zh ? text->zh : "", status ? status : "未确认");
            add_value_row (r, grid, label, both, id);
          }
          break;
        default:
          add_value_row (r, grid, label, format_value (field, value), id);
          break;
        }
    }
  flush_step_grid (r, &grid, &after_table);
  g_ptr_array_unref (grid);
}

static void
render_team_signatures (Render             *r,
                        const SbPrintBlock *block)
{
  g_autoptr(GPtrArray) grid = grid_new ();
  SbPdfStyle head = style (r, SB_PDF_FACE_HEADING, "table");
  SbPdfStyle body = style (r, SB_PDF_FACE_BODY, "table");
  SbField *person = sb_call_find_field (r->call, block->person);
  SbField *table = sb_call_find_field (r->call, block->field);
  const SbValue *pi = sb_validator_get_value (r->validator, person);
  const SbValue *members = sb_validator_get_value (r->validator, table);
  GArray *row = grid_row (grid);
  guint n = 0;

  grid_cell (row, g_strdup ("序号"), &head, 14, TRUE, block->path);
  grid_cell (row, g_strdup ("姓名"), &head, 36, TRUE, block->path);
  grid_cell (row, g_strdup ("项目中的角色"), &head, 36, TRUE, block->path);
  grid_cell (row, g_strdup ("本人签字"), &head, 0, TRUE, block->path);

  for (int k = -1; ; k++)
    {
      const SbValue *record = NULL;
      const SbValue *name;

      if (k < 0)
        record = pi;
      else if (members != NULL && sb_value_get_kind (members) == SB_VALUE_LIST && (guint) k < sb_value_get_list (members)->len)
        record = g_ptr_array_index (sb_value_get_list (members), k);
      else
        break;
      name = record ? sb_value_record_get (record, "name") : NULL;
      row = grid_row (grid);
      body.align = SB_PDF_ALIGN_CENTER;
      grid_cell (row, g_strdup_printf ("%u", ++n), &body, 14, FALSE, block->path);
      grid_cell (row, g_strdup (name && !sb_value_is_empty (name) ? sb_value_get_string (name) : EMPTY), &body, 36, FALSE,
                 block->path);
      grid_cell (row, g_strdup (k < 0 ? "项目负责人" : "参与人员"), &body, 36, FALSE, block->path);
      grid_cell (row, g_strdup (""), &body, 0, FALSE, block->path);
      g_array_index (row, SbPdfCell, 3).min_height_mm = 11;
    }
  sb_pdf_writer_grid (r->w, grid, 1);
}

static char *
human_size (gint64 size)
{
  if (size < 0)
    return g_strdup ("—");
  if (size < 1024)
    return g_strdup_printf ("%" PRId64 " B", size);
  if (size < 1024 * 1024)
    return g_strdup_printf ("%.1f KB", size / 1024.0);
  return g_strdup_printf ("%.1f MB", size / (1024.0 * 1024.0));
}

static void
render_attachments (Render             *r,
                    const SbPrintBlock *block)
{
  g_autoptr(GPtrArray) grid = grid_new ();
  SbPdfStyle head = style (r, SB_PDF_FACE_HEADING, "table");
  SbPdfStyle body = style (r, SB_PDF_FACE_BODY, "table");
  GArray *specs = sb_call_get_attachments (r->call);
  GArray *row = grid_row (grid);
  guint n = 0;

  body.size = MIN (body.size, 9);
  grid_cell (row, g_strdup ("序号"), &head, 12, TRUE, block->path);
  grid_cell (row, g_strdup ("材料名称"), &head, 46, TRUE, block->path);
  grid_cell (row, g_strdup ("文件"), &head, 38, TRUE, block->path);
  grid_cell (row, g_strdup ("大小"), &head, 18, TRUE, block->path);
  grid_cell (row, g_strdup ("SHA-256"), &head, 0, TRUE, block->path);

  for (guint i = 0; i < specs->len; i++)
    {
      const SbAttachmentSpec *spec = &g_array_index (specs, SbAttachmentSpec, i);
      GPtrArray *refs = sb_draft_get_attachments (r->draft, spec->id);

      if (refs == NULL || refs->len == 0)
        continue;
      for (guint k = 0; k < refs->len; k++)
        {
          SbAttachmentRef *ref = g_ptr_array_index (refs, k);
          g_autofree char *where = g_strdup_printf ("$.attachments.%s[%u]", spec->id, k);

          row = grid_row (grid);
          body.align = SB_PDF_ALIGN_CENTER;
          grid_cell (row, g_strdup_printf ("%u", ++n), &body, 12, FALSE, where);
          body.align = SB_PDF_ALIGN_LEFT;
          grid_cell (row, g_strdup (spec->title.zh), &body, 46, FALSE, where);
          grid_cell (row, g_path_get_basename (ref->file), &body, 38, FALSE, where);
          grid_cell (row, human_size (ref->size), &body, 18, FALSE, where);
          grid_cell (row, g_strdup (ref->sha256 ? ref->sha256 : "—"), &body, 0, FALSE, where);
        }
    }
  if (n == 0)
    {
      row = grid_row (grid);
      grid_cell (row, g_strdup (EMPTY), &body, 0, FALSE, block->path);
    }
  sb_pdf_writer_grid (r->w, grid, 1);
}

static void
render_contents (Render *r)
{
  GPtrArray *parts = sb_print_template_get_parts (r->template);
  SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "body");

  s.size = MAX (s.size, 14);
  for (guint i = 0; i < parts->len; i++)
    {
      SbPrintPart *part = g_ptr_array_index (parts, i);
      guint page = r->part_pages ? g_array_index (r->part_pages, guint, i) : 0;

      if (!part->in_contents || page == 0)
        continue;
      sb_pdf_writer_toc_line (r->w, part->title.zh, page, &s);
    }
}

static void
render_official_text (Render            *r,
                      const SbPrintPart *part)
{
  SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "body");

  if (part->official_text.zh != NULL && part->official_text.zh[0] != '\0')
    {
      s.indent = TRUE;
      sb_pdf_writer_paragraph (r->w, part->official_text.zh, &s, part->id);
      return;
    }
  {
    g_autofree char *notice = g_strdup_printf ("《%s》的正式文本请从主管部门的申报系统打印，"
                                               "签字盖章后装订于此。以下为本申报书中与之对应的填报信息。",
                                               part->title.zh);
    s.grey = TRUE;
    sb_pdf_writer_box (r->w, notice, &s, 0, part->id);
    sb_pdf_writer_skip (r->w, 6);
  }
  if (r->final && !r->probing && r->notes != NULL)
    {
      SbText *note = g_new0 (SbText, 1);
      note->zh = g_strdup_printf ("《%s》的正式文本不在本申报定义中：请从主管部门的申报系统打印。", part->title.zh);
      note->en = g_strdup_printf ("The official text of 《%s》 is not in this call definition: print it from the bureau’s system.",
                                  part->title.zh);
      g_ptr_array_add (r->notes, note);
    }
}

static void
render_qr (Render *r)
{
  g_autoptr(GString) payload = g_string_new ("SHENBAO:1");
  g_autofree char *caption = NULL;

  g_string_append_printf (payload, ";call=%s;version=%" PRId64, sb_call_get_id (r->call), sb_call_get_version (r->call));
  if (r->options->digest != NULL)
    g_string_append_printf (payload, ";digest=%s", r->options->digest);
  if (r->options->key_fingerprint != NULL)
    g_string_append_printf (payload, ";key=%s", r->options->key_fingerprint);
  caption = r->options->digest ? g_strdup_printf ("申报摘要 SHA-256：%.16s…", r->options->digest)
                               : g_strdup ("申报摘要：导出时未计算");
  sb_pdf_writer_qr (r->w, payload->str, 32, caption);
}

static void
render_block (Render             *r,
              const SbPrintPart  *part,
              const SbPrintBlock *block)
{
  switch (block->type)
    {
    case SB_BLOCK_TITLE:
    case SB_BLOCK_HEADING:
      render_heading (r, block);
      break;
    case SB_BLOCK_TEXT:
      render_text (r, block);
      break;
    case SB_BLOCK_GRID:
      render_grid (r, block);
      break;
    case SB_BLOCK_LONG_TEXT:
      render_long_text (r, block->field, block->label.zh, block->hint.zh, block->min_height_mm, block->path);
      break;
    case SB_BLOCK_TABLE:
      if (block->label.zh != NULL)
        render_captioned_table (r, block->label.zh, sb_call_find_field (r->call, block->field), block->columns,
                                block->numbered, block->size, block->path);
      else
        render_table (r, sb_call_find_field (r->call, block->field), block->columns, block->numbered, block->size,
                      block->path);
      break;
    case SB_BLOCK_FIELDS:
      render_step (r, block);
      break;
    case SB_BLOCK_SIGNATURE:
      {
        SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "body");
        sb_pdf_writer_signature (r->w, block->label.zh, block->seal, block->date, &s);
      }
      break;
    case SB_BLOCK_TEAM_SIGNATURES:
      render_team_signatures (r, block);
      break;
    case SB_BLOCK_ATTACHMENTS:
      render_attachments (r, block);
      break;
    case SB_BLOCK_CONTENTS:
      render_contents (r);
      break;
    case SB_BLOCK_OFFICIAL_TEXT:
      render_official_text (r, part);
      break;
    case SB_BLOCK_QR:
      render_qr (r);
      break;
    case SB_BLOCK_PAGE_BREAK:
      sb_pdf_writer_new_page (r->w);
      break;
    case SB_BLOCK_SPACE:
      sb_pdf_writer_skip (r->w, block->space_mm * SB_PT_PER_MM);
      break;
    default:
      break;
    }
}

/* Signatures stay together and never alone: a run of signature lines and
 * seal boxes (with the headings and spaces between them) is a group that is
 * not split across pages and keeps the last two lines (the last row) of the
 * block before it on its page. */

static gboolean
framed (const SbPrintBlock *block)
{
  switch (block->type)
    {
    case SB_BLOCK_GRID:
    case SB_BLOCK_LONG_TEXT:
    case SB_BLOCK_TABLE:
    case SB_BLOCK_FIELDS:
    case SB_BLOCK_TEAM_SIGNATURES:
    case SB_BLOCK_ATTACHMENTS:
      return TRUE;
    case SB_BLOCK_TEXT:
      return block->seal;   /* a box */
    default:
      return FALSE;
    }
}

/* the end (exclusive) of the signature group starting at b, or b */
static guint
group_end (Render            *r,
           const SbPrintPart *part,
           guint              b)
{
  guint end = b;

  for (guint i = b; i < part->blocks->len; i++)
    {
      SbPrintBlock *block = g_ptr_array_index (part->blocks, i);

      if (!is_relevant (r, block->relevant))
        continue;
      if (block->type == SB_BLOCK_SIGNATURE)
        end = i + 1;
      else if (block->type != SB_BLOCK_HEADING && block->type != SB_BLOCK_SPACE)
        break;
    }
  return end;
}

static double
group_height (Render            *r,
              const SbPrintPart *part,
              guint              b,
              guint              end)
{
  double height = 0;

  for (guint i = b; i < end; i++)
    {
      SbPrintBlock *block = g_ptr_array_index (part->blocks, i);
      SbPdfStyle s = style (r, SB_PDF_FACE_BODY, "body");

      if (!is_relevant (r, block->relevant))
        continue;
      if (block->type == SB_BLOCK_SIGNATURE)
        height += sb_pdf_writer_signature_height (r->w, block->label.zh, block->seal, block->date, &s);
      else if (block->type == SB_BLOCK_SPACE)
        height += block->space_mm * SB_PT_PER_MM;
      else
        {
          SbPdfMark mark;
          gboolean probing = try_begin (r, &mark);
          gboolean checked = r->keep_checked;
          double y0;

          /* a heading: tried out at the top of a page */
          r->keep_checked = TRUE;
          sb_pdf_writer_new_page (r->w);
          y0 = sb_pdf_writer_space_left (r->w);
          render_heading (r, block);
          height += y0 - sb_pdf_writer_space_left (r->w);
          r->keep_checked = checked;
          try_end (r, &mark, probing);
        }
    }
  return height;
}

static void render_keeping (Render *r, const SbPrintPart *part, SbPrintBlock *block, double keep);

/* What must stay with the last lines of block b on their page: the
 * signature group after it (and the gap before that), if it fits a page;
 * else 0 */
static double
keep_height (Render            *r,
             const SbPrintPart *part,
             guint              b)
{
  guint next;
  double height;

  for (next = b + 1; next < part->blocks->len; next++)
    if (is_relevant (r, ((SbPrintBlock *) g_ptr_array_index (part->blocks, next))->relevant))
      break;
  if (next >= part->blocks->len || group_end (r, part, next) <= next)
    return 0;
  height = group_height (r, part, next, group_end (r, part, next)) + gap_height (r);
  return height <= sb_pdf_writer_page_height (r->w) ? height : 0;
}

/* the page a heading (and the headings right after it) ends on is the page
 * the next block starts on: tried out */
static gboolean
heading_stranded (Render            *r,
                  const SbPrintPart *part,
                  guint              b)
{
  SbPdfMark mark;
  gboolean probing = try_begin (r, &mark);
  guint page = 0, i;
  gboolean stranded = FALSE;

  r->keep_checked = TRUE;
  for (i = b; i < part->blocks->len; i++)
    {
      SbPrintBlock *block = g_ptr_array_index (part->blocks, i);

      if (!is_relevant (r, block->relevant))
        continue;
      if (block->type != SB_BLOCK_TITLE && block->type != SB_BLOCK_HEADING)
        break;
      render_heading (r, block);
      if (page != 0 && sb_pdf_writer_get_page (r->w) != page)
        stranded = TRUE;
      page = sb_pdf_writer_get_page (r->w);
    }
  r->keep_checked = FALSE;
  if (!stranded && i < part->blocks->len)
    {
      /* what follows, placed as render_blocks will place it: a signature
       * group moves whole to a page it fits; a block before one keeps its
       * last lines with it */
      guint end = group_end (r, part, i);

      page = try_watch (r);
      if (end > i)
        {
          double height = group_height (r, part, i, end);

          gap (r);
          if (height <= sb_pdf_writer_page_height (r->w))
            sb_pdf_writer_need (r->w, height);
          render_block (r, part, g_ptr_array_index (part->blocks, i));
        }
      else if (keep_height (r, part, i) > 0)
        render_keeping (r, part, g_ptr_array_index (part->blocks, i), keep_height (r, part, i));
      else
        render_block (r, part, g_ptr_array_index (part->blocks, i));
      stranded = try_stranded (r, page);
    }
  try_end (r, &mark, probing);
  return stranded;
}

/* block b, whose last lines keep with `keep` pt below them: tried out to
 * find its last drawing call, which the writer then holds to that */
static void
render_keeping (Render            *r,
                const SbPrintPart *part,
                SbPrintBlock      *block,
                double             keep)
{
  SbPdfMark mark;
  gboolean probing = try_begin (r, &mark);
  guint calls;

  render_block (r, part, block);
  calls = sb_pdf_writer_get_calls (r->w) - mark.calls;
  try_end (r, &mark, probing);
  if (calls > 0)
    sb_pdf_writer_keep_after (r->w, mark.calls + calls, keep);
  render_block (r, part, block);
  sb_pdf_writer_keep_after (r->w, 0, 0);
}

static void
render_blocks (Render            *r,
               const SbPrintPart *part)
{
  double page_height = sb_pdf_writer_page_height (r->w);
  const SbPrintBlock *previous = NULL;
  gboolean after_group = FALSE;

  for (guint b = 0; b < part->blocks->len;)
    {
      SbPrintBlock *block = g_ptr_array_index (part->blocks, b);
      guint end, next;

      if (!is_relevant (r, block->relevant))
        {
          b++;
          continue;
        }
      end = group_end (r, part, b);
      if (end > b)
        {
          double height = group_height (r, part, b, end);

          if (previous != NULL)
            gap (r);
          if (height <= page_height)
            sb_pdf_writer_need (r->w, height);
          r->keep_checked = height <= page_height;
          for (guint i = b; i < end; i++)
            {
              SbPrintBlock *member = g_ptr_array_index (part->blocks, i);
              if (is_relevant (r, member->relevant))
                render_block (r, part, member);
            }
          r->keep_checked = FALSE;
          previous = g_ptr_array_index (part->blocks, end - 1);
          after_group = TRUE;
          b = end;
          continue;
        }
      /* blocks that would touch stand apart: a table or a text after a
       * table, anything after signatures (a long text's box continues the
       * form above it) */
      if (previous != NULL &&
          (after_group || (framed (previous) && ((framed (block) && block->type != SB_BLOCK_LONG_TEXT) ||
                                                 block->type == SB_BLOCK_TEXT))))
        gap (r);
      after_group = FALSE;
      for (next = b + 1; next < part->blocks->len; next++)
        if (is_relevant (r, ((SbPrintBlock *) g_ptr_array_index (part->blocks, next))->relevant))
          break;
      if ((block->type == SB_BLOCK_TITLE || block->type == SB_BLOCK_HEADING) && !r->probing)
        {
          if (next < part->blocks->len && !sb_pdf_writer_at_top (r->w) && heading_stranded (r, part, b))
            sb_pdf_writer_new_page (r->w);
          r->keep_checked = next < part->blocks->len;
          render_block (r, part, block);
          r->keep_checked = FALSE;
        }
      else if (!r->probing && keep_height (r, part, b) > 0)
        render_keeping (r, part, block, keep_height (r, part, b));
      else
        render_block (r, part, block);
      previous = block;
      b++;
    }
}

static void
render_parts (Render *r,
              GArray *first_pages)
{
  GPtrArray *parts = sb_print_template_get_parts (r->template);

  for (guint i = 0; i < parts->len; i++)
    {
      SbPrintPart *part = g_ptr_array_index (parts, i);
      guint page = 0;

      if (is_relevant (r, part->relevant))
        {
          sb_pdf_writer_set_part (r->w, part->title.zh);
          if (part->new_page || sb_pdf_writer_get_page (r->w) == 0)
            sb_pdf_writer_new_page (r->w);
          page = sb_pdf_writer_get_page (r->w);
          render_blocks (r, part);
        }
      g_array_append_val (first_pages, page);
    }
}

static gboolean
has_contents (SbPrintTemplate *template)
{
  GPtrArray *parts = sb_print_template_get_parts (template);

  for (guint i = 0; i < parts->len; i++)
    {
      SbPrintPart *part = g_ptr_array_index (parts, i);
      for (guint b = 0; b < part->blocks->len; b++)
        if (((SbPrintBlock *) g_ptr_array_index (part->blocks, b))->type == SB_BLOCK_CONTENTS)
          return TRUE;
    }
  return FALSE;
}

gint64
sb_pdf_export_copies (SbDraft *draft)
{
  SbCall *call = sb_draft_get_call (draft);
  SbValue *programme = sb_draft_get_value (draft, "programme");

  if (programme != NULL && sb_value_get_kind (programme) == SB_VALUE_STRING)
    {
      const SbProgramme *p = sb_call_find_programme (call, sb_value_get_string (programme));
      if (p != NULL && p->paper_copies > 0)
        return p->paper_copies;
    }
  return sb_call_get_paper_copies (call);
}

gboolean
sb_pdf_export_two_sided (SbDraft *draft)
{
  SbPrintTemplate *template = sb_call_get_print_template (sb_draft_get_call (draft));

  return template != NULL && sb_print_template_get_mirror (template);
}

static char *
title_of (Render *r)
{
  g_autofree char *project = path_text (r, "project_name");

  if (project != NULL)
    return g_strdup_printf ("%s — %s", project, sb_call_get_title (r->call)->zh);
  return g_strdup (sb_call_get_title (r->call)->zh);
}

GBytes *
sb_pdf_export_bytes (SbDraft                  *draft,
                     const SbPdfExportOptions *options,
                     GPtrArray                *notes,
                     GError                  **error)
{
  SbCall *call = sb_draft_get_call (draft);
  g_autoptr(SbValidator) validator = sb_validator_new (call);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GArray) first_pages = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GArray) final_pages = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(SbPdfWriter) dry = NULL;
  g_autoptr(SbPdfWriter) writer = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *creator = g_strdup_printf ("Shenbao %s", PACKAGE_VERSION);
  SbPrintTemplate *template = sb_call_get_print_template (call);
  SbPdfMargins margins;
  Render r = { 0 };
  GBytes *bytes = NULL;

  if (template == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the call definition has no print template (“print”)"),
                   sb_call_get_file_name (call));
      return NULL;
    }
  problems = sb_validator_validate (validator, draft, SB_VALIDATE_DEFAULT);
  margins = (SbPdfMargins) { sb_print_template_get_margin (template, 0), sb_print_template_get_margin (template, 1),
                             sb_print_template_get_margin (template, 2), sb_print_template_get_margin (template, 3),
                             sb_print_template_get_mirror (template) };

  r.draft = draft;
  r.call = call;
  r.validator = validator;
  r.template = template;
  r.options = options;
  r.copies = sb_pdf_export_copies (draft);
  r.notes = notes;

  /* first pass: where each part starts, for the contents */
  if (has_contents (template))
    {
      dry = sb_pdf_writer_new (&options->fonts, &margins, TRUE, error);
      if (dry == NULL)
        return NULL;
      r.w = dry;
      render_parts (&r, first_pages);
      if (!sb_pdf_writer_ok (dry, error))
        return NULL;
    }

  writer = sb_pdf_writer_new (&options->fonts, &margins, FALSE, error);
  if (writer == NULL)
    return NULL;
  r.w = writer;
  r.part_pages = first_pages;
  r.final = TRUE;
  render_parts (&r, final_pages);

  title = title_of (&r);
  author = path_text (&r, "applicant.name");
  now = options->time ? g_date_time_ref (options->time) : g_date_time_new_now_utc ();
  sb_pdf_writer_set_metadata (writer, title, author, sb_call_get_title (call)->zh, creator, now);
  if (options->digest != NULL)
    footer = g_strdup_printf ("申报摘要 %.16s", options->digest);
  if (!sb_pdf_writer_finish (writer, footer, &bytes, error))
    return NULL;
  return bytes;
}

gboolean
sb_pdf_export_file (SbDraft                  *draft,
                    const SbPdfExportOptions *options,
                    GFile                    *file,
                    GPtrArray                *notes,
                    GError                  **error)
{
  g_autoptr(SbValidator) validator = sb_validator_new (sb_draft_get_call (draft));
  g_autoptr(GPtrArray) problems = sb_validator_validate (validator, draft, SB_VALIDATE_FILES);
  g_autoptr(GBytes) bytes = NULL;
  guint errors, warnings, infos;

  sb_problems_count (problems, &errors, &warnings, &infos);
  if (errors > 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_DRAFT,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the draft has %u error; correct it before exporting",
                                "%s: the draft has %u errors; correct them before exporting", errors),
                   sb_draft_get_display_name (draft), errors);
      return FALSE;
    }
  bytes = sb_pdf_export_bytes (draft, options, notes, error);
  if (bytes == NULL)
    return FALSE;
  return sb_storage_write_atomic (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}
