/* sb-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-call-parts.h"
#include "sb-error.h"
#include "sb-template.h"

typedef struct {
  char   *text;     /* literal text, or NULL */
  SbExpr *expr;     /* or a placeholder */
  GArray *options;  /* SbOption of the choice it names, unowned; or NULL */
  guint   column;
} Piece;

struct _SbTemplate {
  char   *source;
  GArray *pieces;
};

static void
piece_clear (Piece *piece)
{
  g_clear_pointer (&piece->text, g_free);
  g_clear_pointer (&piece->expr, sb_expr_unref);
}

void
sb_template_free (SbTemplate *self)
{
  g_free (self->source);
  g_array_unref (self->pieces);
  g_free (self);
}

/* the most steps rendering can take (see sb_expr_get_cost) */
guint64
sb_template_get_cost (SbTemplate *self)
{
  guint64 cost = 0;

  for (guint i = 0; i < self->pieces->len; i++)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, i);
      guint64 piece_cost = piece->expr != NULL ? sb_expr_get_cost (piece->expr) : 0;

      cost = cost > G_MAXUINT64 - piece_cost ? G_MAXUINT64 : cost + piece_cost;
    }
  return cost;
}

const char *
sb_template_get_text (SbTemplate *self)
{
  return self->source;
}

static void
flush_text (SbTemplate *self,
            GString    *text)
{
  Piece piece = { 0 };

  if (text->len == 0)
    return;
  piece.text = g_strdup (text->str);
  g_array_append_val (self->pieces, piece);
  g_string_truncate (text, 0);
}

/* The "}" that closes a placeholder: one outside any quoted text, so that
 * {ends_with(x, "}")} works. */
static const char *
placeholder_end (const char *p)
{
  gunichar quote = 0;

  for (p = g_utf8_next_char (p); *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (quote != 0)
        {
          if (c == '\\' && quote != 0x201D && p[1] != '\0')
            p++;
          else if (c == quote)
            quote = 0;
        }
      else if (c == '"' || c == '\'')
        quote = c;
      else if (c == 0x201C)
        quote = 0x201D;
      else if (c == '}')
        return p;
    }
  return NULL;
}

SbTemplate *
sb_template_parse (const char  *source,
                   GError     **error)
{
  g_autoptr(SbTemplate) self = g_new0 (SbTemplate, 1);
  g_autoptr(GString) text = g_string_new (NULL);
  guint column = 1;

  self->source = g_strdup (source);
  self->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_array_set_clear_func (self->pieces, (GDestroyNotify) piece_clear);

  for (const char *p = source; *p != '\0'; p = g_utf8_next_char (p), column++)
    {
      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (text, *p);
          p++;
          column++;
          continue;
        }
      if (*p == '}')
        {
          g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION,
                       _("column %u: “}” without “{”; write “}}” for a brace"), column);
          return NULL;
        }
      if (*p == '{')
        {
          const char *end = placeholder_end (p);
          g_autofree char *inner = NULL;
          g_autoptr(GError) local_error = NULL;
          Piece piece = { 0 };

          if (end == NULL)
            {
              g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION,
                           _("column %u: “{” is not closed with “}”"), column);
              return NULL;
            }
          inner = g_strndup (p + 1, end - p - 1);
          piece.expr = sb_expr_parse (inner, &local_error);
          if (piece.expr == NULL)
            {
              g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION,
                           _("column %u: in “{%s}”: %s"), column, inner, local_error->message);
              return NULL;
            }
          flush_text (self, text);
          piece.column = column;
          g_array_append_val (self->pieces, piece);
          column += g_utf8_strlen (p, end - p);
          p = end;
          continue;
        }
      g_string_append_len (text, p, g_utf8_next_char (p) - p);
    }
  flush_text (self, text);

  return g_steal_pointer (&self);
}

gboolean
sb_template_check (SbTemplate            *self,
                   const SbExprResolver  *resolver,
                   gpointer               row_table,
                   GError               **error)
{
  for (guint i = 0; i < self->pieces->len; i++)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, i);
      g_autoptr(GError) local_error = NULL;

      if (piece->expr == NULL)
        continue;
      if (!sb_expr_check (piece->expr, resolver, row_table, &local_error))
        {
          g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("column %u: in “{%s}”: %s"),
                       piece->column, sb_expr_get_source (piece->expr), local_error->message);
          return FALSE;
        }
      /* a choice is shown through its option's label (“柯城区”), not its
       * stored value (“kecheng”): the resolver names the options */
      if (resolver->options != NULL && sb_expr_get_root_ref (piece->expr) != NULL)
        piece->options = resolver->options (sb_expr_get_root_ref (piece->expr), resolver->user_data);
    }
  return TRUE;
}

static const char *
option_label (GArray     *options,
              const char *value,
              gboolean    chinese)
{
  const SbOption *option = sb_options_find (options, value);

  return option != NULL ? sb_text_get (&option->label, chinese) : value;
}

static void
append_labels (GString      *out,
               GArray       *options,
               const SbEval *value,
               gboolean      chinese)
{
  if (value->kind == SB_VALUE_STRING)
    {
      g_string_append (out, option_label (options, value->string, chinese));
      return;
    }

  for (guint i = 0; value->items != NULL && i < value->items->len; i++)
    {
      const SbValue *item = g_ptr_array_index (value->items, i);

      if (value->column != NULL)
        item = sb_value_record_get (item, value->column);
      if (sb_value_get_kind (item) != SB_VALUE_STRING)
        continue;
      if (out->len > 0 && i > 0)
        g_string_append (out, chinese ? "、" : ", ");
      g_string_append (out, option_label (options, sb_value_get_string (item), chinese));
    }
}

char *
sb_template_render (SbTemplate    *self,
                    SbEvalContext *context,
                    gboolean       chinese)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->pieces->len; i++)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, i);
      g_autofree char *value_text = NULL;
      SbEval value;

      if (piece->expr == NULL)
        {
          g_string_append (out, piece->text);
          continue;
        }
      /* a value that cannot be computed is shown as such, never invented */
      if (!sb_expr_evaluate (piece->expr, context, &value, NULL))
        g_string_append (out, "?");
      else if (value.kind != SB_VALUE_NULL && piece->options != NULL)
        {
          g_autoptr(GString) labels = g_string_new (NULL);

          append_labels (labels, piece->options, &value, chinese);
          g_string_append (out, labels->str);
        }
      else
        {
          value_text = sb_eval_format (&value, sb_expr_get_result_type (piece->expr), chinese);
          g_string_append (out, value_text);
        }
    }

  return g_string_free (out, FALSE);
}
