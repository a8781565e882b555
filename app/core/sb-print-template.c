/* sb-print-template.c — a call's printed 申报书, as data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-call.h"
#include "sb-print-template.h"

#define CALL_ERROR SB_ERROR_INVALID_CALL

struct _SbPrintTemplate {
  GPtrArray *parts;          /* SbPrintPart */
  double     margins[4];     /* mm: top, right, bottom, left */
  gboolean   mirror;         /* even pages swap left and right (double-sided) */
  double     size_title, size_heading, size_body, size_table;
  GHashTable *printed;       /* "field" and "field.member" printed somewhere */
  GHashTable *whole_steps;   /* step ids printed by a fields block */
};

typedef struct {
  SbCall     *call;
  const char *file;
  SbPrintTemplate *self;
} Loader;

/* Freeing */

static void
cell_clear (SbPrintCell *cell)
{
  sb_text_clear (&cell->label);
  sb_text_clear (&cell->hint);
  g_clear_pointer (&cell->field, g_free);
  g_clear_pointer (&cell->text, g_free);
  g_clear_pointer (&cell->align, g_free);
}

static void
row_free (SbPrintRow *row)
{
  g_clear_pointer (&row->cells, g_array_unref);
  g_clear_pointer (&row->header, g_array_unref);
  g_free (row->for_each);
  sb_text_clear (&row->label);
  g_free (row);
}

static void
column_clear (SbPrintColumn *column)
{
  g_clear_pointer (&column->column, g_free);
  sb_text_clear (&column->title);
}

static void
block_free (SbPrintBlock *block)
{
  g_free (block->path);
  sb_text_clear (&block->text);
  sb_text_clear (&block->hint);
  sb_text_clear (&block->label);
  g_free (block->field);
  g_free (block->step);
  g_free (block->person);
  g_free (block->align);
  g_free (block->basis);
  g_clear_pointer (&block->columns_mm, g_array_unref);
  g_clear_pointer (&block->rows, g_ptr_array_unref);
  g_clear_pointer (&block->columns, g_array_unref);
  g_free (block->relevant_source);
  g_clear_pointer (&block->relevant, sb_expr_unref);
  g_free (block);
}

static void
part_free (SbPrintPart *part)
{
  g_free (part->id);
  sb_text_clear (&part->title);
  sb_text_clear (&part->official_text);
  g_free (part->relevant_source);
  g_clear_pointer (&part->relevant, sb_expr_unref);
  g_clear_pointer (&part->blocks, g_ptr_array_unref);
  g_free (part);
}

void
sb_print_template_free (SbPrintTemplate *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->parts);
  g_hash_table_unref (self->printed);
  g_hash_table_unref (self->whole_steps);
  g_free (self);
}

/* Reading helpers */

static gboolean
read_number (SbJsonReader *reader,
             const char   *member,
             double        min,
             double        max,
             double       *out,
             GError      **error)
{
  JsonNode *node = sb_json_reader_node (reader, member);
  double value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_autofree char *path = sb_json_reader_path (reader, member);
      sb_set_error_at (error, CALL_ERROR, reader->file, path, _("expected a number, found %s"),
                       sb_json_node_type_name (node));
      return FALSE;
    }
  value = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node) : json_node_get_double (node);
  if (value < min || value > max)
    {
      g_autofree char *path = sb_json_reader_path (reader, member);
      sb_set_error_at (error, CALL_ERROR, reader->file, path, _("the number must be between %g and %g"), min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_choice (SbJsonReader       *reader,
             const char         *member,
             const char * const *allowed,
             char              **out,
             GError            **error)
{
  if (!sb_json_reader_string (reader, member, FALSE, out, error))
    return FALSE;
  if (*out == NULL || g_strv_contains (allowed, *out))
    return TRUE;
  {
    g_autofree char *path = sb_json_reader_path (reader, member);
    g_autofree char *list = g_strjoinv (", ", (GStrv) allowed);
    sb_set_error_at (error, CALL_ERROR, reader->file, path, _("“%s” is not one of: %s"), *out, list);
  }
  return FALSE;
}

static void
mark_printed (Loader     *loader,
              const char *name)
{
  g_hash_table_add (loader->self->printed, g_strdup (name));
}

/* "field" or "field.member": a field of the call */
static SbField *
check_field_path (Loader      *loader,
                  const char  *name,
                  const char  *path,
                  GError     **error)
{
  const char *dot = strchr (name, '.');
  g_autofree char *head = dot ? g_strndup (name, dot - name) : g_strdup (name);
  SbField *field = sb_call_find_field (loader->call, head);

  if (field == NULL)
    {
      sb_set_error_at (error, CALL_ERROR, loader->file, path, _("“%s” is not a field of this call"), head);
      return NULL;
    }
  if (dot != NULL)
    {
      SbField *child = sb_field_find_child (field, dot + 1);

      if (child == NULL)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, path, _("the field “%s” has no part “%s”"), head, dot + 1);
          return NULL;
        }
      field = child;
    }
  mark_printed (loader, name);
  return field;
}

static gboolean
check_placeholders (Loader      *loader,
                    const char  *text,
                    const char  *path,
                    GError     **error)
{
  static const char *const specials[] = {
    "copies", "call.title", "call.bureau", "call.document_number", "call.year", NULL
  };

  for (const char *p = text; p != NULL && *p; p++)
    {
      const char *close;
      g_autofree char *name = NULL;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          p++;
          continue;
        }
      if (*p == '}')
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, path, _("a “}” without its “{”; write “}}” for a brace"));
          return FALSE;
        }
      if (*p != '{')
        continue;
      close = strchr (p, '}');
      if (close == NULL)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, path, _("a “{” without its “}”; write “{{” for a brace"));
          return FALSE;
        }
      name = g_strndup (p + 1, close - p - 1);
      if (!g_strv_contains (specials, name) && check_field_path (loader, name, path, error) == NULL)
        return FALSE;
      p = close;
    }
  return TRUE;
}

static gboolean
read_relevant (Loader        *loader,
               SbJsonReader  *reader,
               char         **source,
               SbExpr       **out,
               GError       **error)
{
  g_autofree char *path = sb_json_reader_path (reader, "relevant");
  g_autoptr(SbExpr) expr = NULL;
  g_autoptr(GError) local = NULL;

  if (!sb_json_reader_string (reader, "relevant", FALSE, source, error))
    return FALSE;
  if (*source == NULL)
    return TRUE;
  expr = sb_expr_parse (*source, &local);
  if (expr == NULL || !sb_expr_check (expr, sb_call_get_resolver (loader->call), NULL, &local))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, loader->file, path, "%s", local->message);
      return FALSE;
    }
  if (sb_expr_get_result_type (expr) != SB_EXPR_BOOL)
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, loader->file, path, _("a condition must be true or false, not %s"),
                       sb_expr_type_to_string (sb_expr_get_result_type (expr)));
      return FALSE;
    }
  *out = g_steal_pointer (&expr);
  return TRUE;
}

/* Blocks */

static const char *const block_types[] = {
  "title", "heading", "text", "grid", "long_text", "table", "fields", "signature",
  "team_signatures", "attachments", "contents", "official_text", "qr", "page_break", "space", NULL
};

static const char *const aligns[] = { "justify", "left", "center", "right", NULL };

static gboolean
read_cell (Loader       *loader,
           JsonNode     *node,
           const char   *path,
           const char   *for_each,
           SbPrintCell  *cell,
           GError      **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  gint64 colspan = 1, rowspan = 1;
  int kinds;

  if (!sb_json_reader_init (&reader, node, loader->file, path, CALL_ERROR, error) ||
      !sb_text_read (&reader, "label", FALSE, &cell->label, error) ||
      !sb_json_reader_string (&reader, "field", FALSE, &cell->field, error) ||
      !sb_json_reader_string (&reader, "text", FALSE, &cell->text, error) ||
      !sb_text_read (&reader, "hint", FALSE, &cell->hint, error) ||
      !sb_json_reader_bool (&reader, "row_number", &cell->row_number, error) ||
      !read_number (&reader, "min_height_mm", 0, 200, &cell->min_height_mm, error) ||
      !sb_json_reader_int (&reader, "colspan", FALSE, 1, 20, &colspan, error) ||
      !sb_json_reader_int (&reader, "rowspan", FALSE, 1, 50, &rowspan, error) ||
      !read_choice (&reader, "align", aligns, &cell->align, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;
  cell->colspan = colspan;
  cell->rowspan = rowspan;
  kinds = (cell->label.zh != NULL) + (cell->field != NULL) + (cell->text != NULL) + cell->row_number;
  if (kinds != 1)
    {
      sb_set_error_at (error, CALL_ERROR, loader->file, path,
                       _("a cell has exactly one of “label”, “field”, “text” and “row_number”"));
      return FALSE;
    }
  if (cell->row_number && for_each == NULL)
    {
      sb_set_error_at (error, CALL_ERROR, loader->file, path, _("“row_number” belongs in the cells of a “for_each” row"));
      return FALSE;
    }
  if (cell->field != NULL)
    {
      g_autofree char *field_path = sb_json_path_member (path, "field");
      SbField *field = check_field_path (loader, cell->field, field_path, error);

      if (field == NULL)
        return FALSE;
      if (for_each != NULL && (!g_str_has_prefix (cell->field, for_each) || cell->field[strlen (for_each)] != '.'))
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, field_path,
                           _("a cell of a row repeated for “%s” shows one of its columns: “%s.…”"), for_each, for_each);
          return FALSE;
        }
      if (sb_field_get_field_type (field) == SB_FIELD_TABLE)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, field_path,
                           _("the table “%s” cannot stand in a cell; print it with a “table” block"), cell->field);
          return FALSE;
        }
    }
  if (cell->text != NULL)
    {
      g_autofree char *text_path = sb_json_path_member (path, "text");
      return check_placeholders (loader, cell->text, text_path, error);
    }
  return TRUE;
}

/* cells of one row; busy: the columns row spans from above still hold */
static GArray *
read_cells (Loader      *loader,
            JsonArray   *array,
            const char  *row_path,
            const char  *for_each,
            GArray      *busy,
            GError     **error)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, TRUE, sizeof (SbPrintCell));
  guint col = 0;

  g_array_set_clear_func (cells, (GDestroyNotify) cell_clear);
  for (guint c = 0; c < json_array_get_length (array); c++)
    {
      g_autofree char *cell_path = sb_json_path_index (row_path, c);
      SbPrintCell cell = { 0 };

      if (!read_cell (loader, json_array_get_element (array, c), cell_path, for_each, &cell, error))
        {
          cell_clear (&cell);
          return NULL;
        }
      if (for_each != NULL && cell.rowspan > 1)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, cell_path, _("cells of a “for_each” row span no rows"));
          cell_clear (&cell);
          return NULL;
        }
      while (col < busy->len && g_array_index (busy, int, col) > 0)
        col++;
      if (col + cell.colspan > busy->len)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, cell_path,
                           _("the row has more cells than the grid has columns (%u)"), busy->len);
          cell_clear (&cell);
          return NULL;
        }
      for (int k = 0; k < cell.colspan; k++)
        g_array_index (busy, int, col + k) = cell.rowspan;
      col += cell.colspan;
      g_array_append_val (cells, cell);
    }
  for (guint k = 0; k < busy->len; k++)
    {
      if (g_array_index (busy, int, k) == 0)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, row_path,
                           _("the row does not fill the grid’s %u columns"), busy->len);
          return NULL;
        }
      g_array_index (busy, int, k)--;
    }
  return g_steal_pointer (&cells);
}

static gboolean
read_repeated_row (Loader      *loader,
                   JsonNode    *node,
                   const char  *path,
                   SbPrintRow  *row,
                   guint        n_columns,
                   GError     **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_autofree char *for_path = NULL;
  g_autofree char *cells_path = NULL;
  g_autofree char *header_path = NULL;
  JsonArray *cells = NULL, *header = NULL;
  g_autoptr(GArray) busy = g_array_new (FALSE, TRUE, sizeof (int));
  SbField *table;

  if (!sb_json_reader_init (&reader, node, loader->file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "for_each", TRUE, &row->for_each, error) ||
      !sb_text_read (&reader, "label", FALSE, &row->label, error) ||
      !sb_json_reader_array (&reader, "header", FALSE, &header, error) ||
      !sb_json_reader_array (&reader, "cells", TRUE, &cells, error) ||
      !sb_json_reader_int (&reader, "min_rows", FALSE, 0, 50, &row->min_rows, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;
  for_path = sb_json_reader_path (&reader, "for_each");
  cells_path = sb_json_reader_path (&reader, "cells");
  header_path = sb_json_reader_path (&reader, "header");
  table = check_field_path (loader, row->for_each, for_path, error);
  if (table == NULL)
    return FALSE;
  if (sb_field_get_field_type (table) != SB_FIELD_TABLE)
    {
      sb_set_error_at (error, CALL_ERROR, loader->file, for_path, _("“%s” is not a table field"), row->for_each);
      return FALSE;
    }
  g_array_set_size (busy, n_columns);
  if (row->label.zh != NULL)
    g_array_index (busy, int, 0) = 1;   /* the label spans the rows */
  if (header != NULL)
    {
      row->header = read_cells (loader, header, header_path, NULL, busy, error);
      if (row->header == NULL)
        return FALSE;
      if (row->label.zh != NULL)
        g_array_index (busy, int, 0) = 1;
    }
  row->cells = read_cells (loader, cells, cells_path, row->for_each, busy, error);
  return row->cells != NULL;
}

static gboolean
read_grid (Loader        *loader,
           SbJsonReader  *reader,
           SbPrintBlock  *block,
           GError       **error)
{
  JsonArray *widths = NULL, *rows = NULL;
  g_autofree char *widths_path = sb_json_reader_path (reader, "columns_mm");
  g_autofree char *rows_path = sb_json_reader_path (reader, "rows");
  double total = 0;

  if (!sb_json_reader_array (reader, "columns_mm", TRUE, &widths, error) ||
      !sb_json_reader_array (reader, "rows", TRUE, &rows, error))
    return FALSE;
  block->columns_mm = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < json_array_get_length (widths); i++)
    {
      JsonNode *node = json_array_get_element (widths, i);
      g_autofree char *path = sb_json_path_index (widths_path, i);
      double width;

      if (!JSON_NODE_HOLDS_VALUE (node) ||
          (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, path, _("expected a width in mm"));
          return FALSE;
        }
      width = json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : json_node_get_double (node);
      if (width < 5 || width > 170)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, path, _("a column is between 5 and 170 mm wide"));
          return FALSE;
        }
      total += width;
      g_array_append_val (block->columns_mm, width);
    }
  if (block->columns_mm->len == 0 || total > 170.01)
    {
      sb_set_error_at (error, CALL_ERROR, loader->file, widths_path,
                       _("the columns must be at least one and together at most 170 mm wide (they are %g mm)"), total);
      return FALSE;
    }

  block->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  {
    /* occupancy of row spans from rows above */
    g_autoptr(GArray) busy = g_array_new (FALSE, TRUE, sizeof (int));
    g_array_set_size (busy, block->columns_mm->len);

    for (guint r = 0; r < json_array_get_length (rows); r++)
      {
        JsonNode *row_node = json_array_get_element (rows, r);
        g_autofree char *row_path = sb_json_path_index (rows_path, r);
        SbPrintRow *row = g_new0 (SbPrintRow, 1);

        g_ptr_array_add (block->rows, row);
        if (JSON_NODE_HOLDS_OBJECT (row_node))
          {
            if (!read_repeated_row (loader, row_node, row_path, row, busy->len, error))
              return FALSE;
            for (guint k = 0; k < busy->len; k++)
              if (g_array_index (busy, int, k) > 0)
                {
                  sb_set_error_at (error, CALL_ERROR, loader->file, row_path,
                                   _("a cell above spans into a “for_each” row"));
                  return FALSE;
                }
            continue;
          }
        if (!JSON_NODE_HOLDS_ARRAY (row_node))
          {
            sb_set_error_at (error, CALL_ERROR, loader->file, row_path,
                             _("a row is an array of cells or a “for_each” object"));
            return FALSE;
          }
        row->cells = read_cells (loader, json_node_get_array (row_node), row_path, NULL, busy, error);
        if (row->cells == NULL)
          return FALSE;
      }
    for (guint k = 0; k < busy->len; k++)
      if (g_array_index (busy, int, k) > 0)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, rows_path, _("a cell spans more rows than the grid has"));
          return FALSE;
        }
  }
  return TRUE;
}

static gboolean
read_table (Loader        *loader,
            SbJsonReader  *reader,
            SbPrintBlock  *block,
            GError       **error)
{
  g_autofree char *field_path = sb_json_reader_path (reader, "field");
  g_autofree char *columns_path = sb_json_reader_path (reader, "columns");
  JsonArray *columns = NULL;
  SbField *field;
  GPtrArray *children;

  if (!sb_json_reader_string (reader, "field", TRUE, &block->field, error) ||
      !sb_json_reader_array (reader, "columns", FALSE, &columns, error) ||
      !sb_json_reader_bool (reader, "numbered", &block->numbered, error))
    return FALSE;
  field = check_field_path (loader, block->field, field_path, error);
  if (field == NULL)
    return FALSE;
  if (sb_field_get_field_type (field) != SB_FIELD_TABLE)
    {
      sb_set_error_at (error, CALL_ERROR, loader->file, field_path, _("“%s” is not a table field"), block->field);
      return FALSE;
    }
  children = sb_field_get_children (field);
  block->columns = g_array_new (FALSE, TRUE, sizeof (SbPrintColumn));
  g_array_set_clear_func (block->columns, (GDestroyNotify) column_clear);
  if (columns == NULL)
    {
      for (guint i = 0; i < children->len; i++)
        {
          SbPrintColumn column = { 0 };
          g_autofree char *name = g_strdup_printf ("%s.%s", block->field, sb_field_get_id (g_ptr_array_index (children, i)));

          column.column = g_strdup (sb_field_get_id (g_ptr_array_index (children, i)));
          mark_printed (loader, name);
          g_array_append_val (block->columns, column);
        }
      return TRUE;
    }
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      g_autofree char *path = sb_json_path_index (columns_path, i);
      g_auto(SbJsonReader) inner = { 0 };
      SbPrintColumn column = { 0 };
      g_autofree char *name = NULL;

      if (!sb_json_reader_init (&inner, json_array_get_element (columns, i), loader->file, path, CALL_ERROR, error) ||
          !sb_json_reader_string (&inner, "column", TRUE, &column.column, error) ||
          !sb_text_read (&inner, "title", FALSE, &column.title, error) ||
          !read_number (&inner, "width_mm", 5, 170, &column.width_mm, error) ||
          !sb_json_reader_finish (&inner, error))
        {
          column_clear (&column);
          return FALSE;
        }
      name = g_strdup_printf ("%s.%s", block->field, column.column);
      g_array_append_val (block->columns, column);
      if (check_field_path (loader, name, path, error) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_block (Loader        *loader,
            JsonNode      *node,
            const char    *path,
            SbPrintBlock **out,
            GError       **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_autofree char *type = NULL;
  SbPrintBlock *block = g_new0 (SbPrintBlock, 1);
  gboolean ok = TRUE;
  gint64 level = 1;

  *out = block;
  block->path = g_strdup (path);
  if (!sb_json_reader_init (&reader, node, loader->file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "type", TRUE, &type, error) ||
      !read_relevant (loader, &reader, &block->relevant_source, &block->relevant, error))
    return FALSE;
  for (guint i = 0; block_types[i] != NULL; i++)
    if (g_str_equal (type, block_types[i]))
      block->type = i;
  if (!g_strv_contains (block_types, type))
    {
      g_autofree char *type_path = sb_json_reader_path (&reader, "type");
      g_autofree char *list = g_strjoinv (", ", (GStrv) block_types);
      sb_set_error_at (error, CALL_ERROR, loader->file, type_path, _("“%s” is not a block type (%s)"), type, list);
      return FALSE;
    }

  switch (block->type)
    {
    case SB_BLOCK_TITLE:
    case SB_BLOCK_HEADING:
      ok = sb_text_read (&reader, "text", TRUE, &block->text, error) &&
           sb_json_reader_int (&reader, "level", FALSE, 1, 3, &level, error) &&
           read_number (&reader, "size", 5, 40, &block->size, error) &&
           read_choice (&reader, "align", aligns, &block->align, error);
      block->level = level;
      if (ok)
        {
          g_autofree char *text_path = sb_json_reader_path (&reader, "text");
          ok = check_placeholders (loader, block->text.zh, text_path, error);
        }
      break;
    case SB_BLOCK_TEXT:
      ok = sb_text_read (&reader, "text", TRUE, &block->text, error) &&
           read_number (&reader, "size", 5, 40, &block->size, error) &&
           read_choice (&reader, "align", aligns, &block->align, error) &&
           sb_json_reader_bool (&reader, "grey", &block->grey, error) &&
           sb_json_reader_bool (&reader, "indent", &block->indent, error) &&
           sb_json_reader_bool (&reader, "box", &block->seal, error);
      if (ok)
        {
          g_autofree char *text_path = sb_json_reader_path (&reader, "text");
          ok = check_placeholders (loader, block->text.zh, text_path, error);
        }
      break;
    case SB_BLOCK_GRID:
      ok = read_number (&reader, "size", 5, 40, &block->size, error) &&
           read_grid (loader, &reader, block, error);
      break;
    case SB_BLOCK_LONG_TEXT:
      {
        g_autofree char *field_path = sb_json_reader_path (&reader, "field");
        ok = sb_json_reader_string (&reader, "field", TRUE, &block->field, error) &&
             sb_text_read (&reader, "label", FALSE, &block->label, error) &&
             sb_text_read (&reader, "hint", FALSE, &block->hint, error) &&
             read_number (&reader, "min_height_mm", 0, 200, &block->min_height_mm, error) &&
             read_number (&reader, "size", 5, 40, &block->size, error) &&
             check_field_path (loader, block->field, field_path, error) != NULL;
      }
      break;
    case SB_BLOCK_TABLE:
      ok = sb_text_read (&reader, "label", FALSE, &block->label, error) &&
           read_number (&reader, "size", 5, 40, &block->size, error) &&
           read_table (loader, &reader, block, error);
      break;
    case SB_BLOCK_FIELDS:
      {
        g_autofree char *step_path = sb_json_reader_path (&reader, "step");
        GArray *steps = sb_call_get_steps (loader->call);
        gboolean found = FALSE;

        ok = sb_json_reader_string (&reader, "step", TRUE, &block->step, error) &&
             sb_json_reader_bool (&reader, "heading", &block->numbered, error);
        for (guint i = 0; ok && i < steps->len; i++)
          if (g_str_equal (g_array_index (steps, SbStep, i).id, block->step))
            found = TRUE;
        if (ok && !found)
          {
            sb_set_error_at (error, CALL_ERROR, loader->file, step_path, _("“%s” is not a step of this call"), block->step);
            ok = FALSE;
          }
        if (ok)
          g_hash_table_add (loader->self->whole_steps, g_strdup (block->step));
      }
      break;
    case SB_BLOCK_SIGNATURE:
      {
        static const char *const bases[] = { "seed", "convention", NULL };
        ok = sb_text_read (&reader, "label", TRUE, &block->label, error) &&
             sb_json_reader_bool (&reader, "seal", &block->seal, error) &&
             sb_json_reader_bool (&reader, "date", &block->date, error) &&
             read_choice (&reader, "basis", bases, &block->basis, error);
        if (ok && block->basis == NULL)
          {
            sb_set_error_at (error, CALL_ERROR, loader->file, path,
                             _("say whether the seed names this signer (“basis”: “seed”) or it is 申报书 convention (“convention”)"));
            ok = FALSE;
          }
      }
      break;
    case SB_BLOCK_TEAM_SIGNATURES:
      {
        static const char *const bases[] = { "seed", "convention", NULL };
        g_autofree char *person_path = sb_json_reader_path (&reader, "person");
        g_autofree char *table_path = sb_json_reader_path (&reader, "field");
        SbField *person = NULL, *table = NULL;

        ok = sb_json_reader_string (&reader, "person", TRUE, &block->person, error) &&
             sb_json_reader_string (&reader, "field", TRUE, &block->field, error) &&
             read_choice (&reader, "basis", bases, &block->basis, error) &&
             (person = check_field_path (loader, block->person, person_path, error)) != NULL &&
             (table = check_field_path (loader, block->field, table_path, error)) != NULL;
        if (ok && (sb_field_get_field_type (person) != SB_FIELD_PERSON || sb_field_get_field_type (table) != SB_FIELD_TABLE ||
                   sb_field_find_child (table, "name") == NULL))
          {
            sb_set_error_at (error, CALL_ERROR, loader->file, path,
                             _("“person” must be a person field and “field” a table with a “name” column"));
            ok = FALSE;
          }
        /* names only: the rest of those fields is printed elsewhere */
        g_hash_table_remove (loader->self->printed, block->person);
        g_hash_table_remove (loader->self->printed, block->field);
      }
      break;
    case SB_BLOCK_ATTACHMENTS:
    case SB_BLOCK_CONTENTS:
    case SB_BLOCK_OFFICIAL_TEXT:
    case SB_BLOCK_QR:
    case SB_BLOCK_PAGE_BREAK:
      break;
    case SB_BLOCK_SPACE:
      ok = read_number (&reader, "mm", 1, 200, &block->space_mm, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (ok && block->align == NULL && !sb_json_reader_has (&reader, "align"))
    block->align = NULL;
  return ok && sb_json_reader_finish (&reader, error);
}

static gboolean
read_part (Loader       *loader,
           JsonNode     *node,
           const char   *path,
           SbPrintPart **out,
           GError      **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  SbPrintPart *part = g_new0 (SbPrintPart, 1);
  JsonArray *blocks = NULL;
  g_autofree char *blocks_path = NULL;
  g_autofree char *official = NULL;

  *out = part;
  part->in_contents = TRUE;
  part->new_page = TRUE;
  part->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  if (!sb_json_reader_init (&reader, node, loader->file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &part->id, error))
    return FALSE;
  {
    g_autofree char *id_path = sb_json_reader_path (&reader, "id");
    if (!sb_check_identifier (part->id, loader->file, id_path, error))
      return FALSE;
  }
  if (!sb_text_read (&reader, "title", TRUE, &part->title, error) ||
      !sb_json_reader_bool (&reader, "contents", &part->in_contents, error) ||
      !sb_json_reader_bool (&reader, "new_page", &part->new_page, error) ||
      !sb_json_reader_string (&reader, "official_text", FALSE, &official, error) ||
      !read_relevant (loader, &reader, &part->relevant_source, &part->relevant, error) ||
      !sb_json_reader_array (&reader, "blocks", TRUE, &blocks, error))
    return FALSE;
  part->has_official_text = official != NULL;
  part->official_text.zh = g_steal_pointer (&official);
  blocks_path = sb_json_reader_path (&reader, "blocks");
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      g_autofree char *block_path = sb_json_path_index (blocks_path, i);
      SbPrintBlock *block = NULL;
      gboolean ok = read_block (loader, json_array_get_element (blocks, i), block_path, &block, error);

      g_ptr_array_add (part->blocks, block);
      if (!ok)
        return FALSE;
      if (block->type == SB_BLOCK_OFFICIAL_TEXT && !part->has_official_text)
        {
          sb_set_error_at (error, CALL_ERROR, loader->file, block_path,
                           _("an “official_text” block needs the part’s “official_text” slot (\"\" while the text is not known)"));
          return FALSE;
        }
    }
  return sb_json_reader_finish (&reader, error);
}

SbPrintTemplate *
sb_print_template_new (JsonNode    *node,
                       SbCall      *call,
                       const char  *file,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(SbPrintTemplate) self = g_new0 (SbPrintTemplate, 1);
  g_auto(SbJsonReader) reader = { 0 };
  Loader loader = { call, file, self };
  JsonArray *parts = NULL;
  JsonNode *margins;
  g_autofree char *parts_path = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  self->printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->whole_steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm */
  self->margins[0] = 37;
  self->margins[1] = 26;
  self->margins[2] = 35;
  self->margins[3] = 28;
  /* GB/T 9704-2012 9.2: 双面印刷, 页码套正: the back sides mirror the fronts */
  self->mirror = TRUE;
  self->size_title = 22;    /* 二号 */
  self->size_heading = 16;  /* 三号 */
  self->size_body = 12;     /* 小四 */
  self->size_table = 10.5;  /* 五号 */

  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error))
    return NULL;
  margins = sb_json_reader_node (&reader, "margins_mm");
  if (margins != NULL)
    {
      g_auto(SbJsonReader) inner = { 0 };
      g_autofree char *margins_path = sb_json_reader_path (&reader, "margins_mm");

      if (!sb_json_reader_init (&inner, margins, file, margins_path, CALL_ERROR, error) ||
          !read_number (&inner, "top", 10, 60, &self->margins[0], error) ||
          !read_number (&inner, "right", 10, 60, &self->margins[1], error) ||
          !read_number (&inner, "bottom", 20, 60, &self->margins[2], error) ||
          !read_number (&inner, "left", 10, 60, &self->margins[3], error) ||
          !sb_json_reader_bool (&inner, "mirror", &self->mirror, error) ||
          !sb_json_reader_finish (&inner, error))
        return NULL;
    }
  {
    JsonNode *sizes = sb_json_reader_node (&reader, "sizes_pt");
    if (sizes != NULL)
      {
        g_auto(SbJsonReader) inner = { 0 };
        g_autofree char *sizes_path = sb_json_reader_path (&reader, "sizes_pt");

        if (!sb_json_reader_init (&inner, sizes, file, sizes_path, CALL_ERROR, error) ||
            !read_number (&inner, "title", 5, 40, &self->size_title, error) ||
            !read_number (&inner, "heading", 5, 40, &self->size_heading, error) ||
            !read_number (&inner, "body", 5, 40, &self->size_body, error) ||
            !read_number (&inner, "table", 5, 40, &self->size_table, error) ||
            !sb_json_reader_finish (&inner, error))
          return NULL;
      }
  }
  if (!sb_json_reader_array (&reader, "parts", TRUE, &parts, error))
    return NULL;
  parts_path = sb_json_reader_path (&reader, "parts");
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      g_autofree char *part_path = sb_json_path_index (parts_path, i);
      SbPrintPart *part = NULL;
      gboolean ok = read_part (&loader, json_array_get_element (parts, i), part_path, &part, error);

      g_ptr_array_add (self->parts, part);
      if (!ok)
        return NULL;
      if (!g_hash_table_add (ids, part->id))
        {
          g_autofree char *id_path = sb_json_path_member (part_path, "id");
          sb_set_error_at (error, CALL_ERROR, file, id_path, _("the part id “%s” is used twice"), part->id);
          return NULL;
        }
    }
  if (self->parts->len == 0)
    {
      sb_set_error_at (error, CALL_ERROR, file, parts_path, _("a print template has at least one part"));
      return NULL;
    }
  if (!sb_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

GPtrArray *
sb_print_template_get_parts (SbPrintTemplate *self)
{
  return self->parts;
}

double
sb_print_template_get_margin (SbPrintTemplate *self,
                              guint            side)
{
  g_return_val_if_fail (side < 4, 0);
  return self->margins[side];
}

gboolean
sb_print_template_get_mirror (SbPrintTemplate *self)
{
  return self->mirror;
}

double
sb_print_template_get_size (SbPrintTemplate *self,
                            const char      *role)
{
  if (g_str_equal (role, "title"))
    return self->size_title;
  if (g_str_equal (role, "heading"))
    return self->size_heading;
  if (g_str_equal (role, "table"))
    return self->size_table;
  return self->size_body;
}

static gboolean
is_printed (SbPrintTemplate *self,
            SbField         *field)
{
  const char *id = sb_field_get_id (field);
  GPtrArray *children = sb_field_get_children (field);
  /* a table is printed when all its columns are */
  if (g_hash_table_contains (self->printed, id) && sb_field_get_field_type (field) != SB_FIELD_TABLE)
    return TRUE;
  if (children == NULL || children->len == 0)
    return FALSE;
  for (guint i = 0; i < children->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", id, sb_field_get_id (g_ptr_array_index (children, i)));
      if (!g_hash_table_contains (self->printed, name))
        return FALSE;
    }
  return TRUE;
}

GStrv
sb_print_template_list_omitted (SbPrintTemplate *self,
                                SbCall          *call)
{
  g_autoptr(GStrvBuilder) omitted = g_strv_builder_new ();
  GArray *steps = sb_call_get_steps (call);

  for (guint s = 0; s < steps->len; s++)
    {
      SbStep *step = &g_array_index (steps, SbStep, s);

      if (g_hash_table_contains (self->whole_steps, step->id))
        continue;
      for (guint i = 0; i < step->fields->len; i++)
        {
          SbField *field = g_ptr_array_index (step->fields, i);

          if (sb_field_get_calculate (field) != NULL || is_printed (self, field))
            continue;
          g_strv_builder_add (omitted, sb_field_get_id (field));
        }
    }
  return g_strv_builder_end (omitted);
}
