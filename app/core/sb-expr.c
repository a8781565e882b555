/* sb-expr.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-checks.h"
#include "sb-error.h"
#include "sb-expr.h"
#include "sb-regex.h"

#define SB_EXPR_MAX_SOURCE (64 * 1024)

/* Lexer */

typedef enum {
  TOK_END,
  TOK_NUMBER,
  TOK_MONEY,
  TOK_STRING,
  TOK_IDENT,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
  TOK_PLUS,
  TOK_MINUS,
  TOK_STAR,
  TOK_SLASH,
  TOK_EQ,
  TOK_NE,
  TOK_LT,
  TOK_LE,
  TOK_GT,
  TOK_GE,
  TOK_AND,
  TOK_OR,
  TOK_NOT,
  TOK_TRUE,
  TOK_FALSE,
} TokenKind;

typedef struct {
  TokenKind kind;
  guint     line;
  guint     column;
  char     *text;     /* identifier or decoded string */
  SbNumber  number;   /* numbers; money in 元 */
} Token;

typedef struct {
  const char *source;
  const char *p;
  guint       line;
  guint       column;
  Token       token;
  guint       depth;
} Parser;

/* AST */

typedef enum {
  NODE_LITERAL,
  NODE_REF,
  NODE_NEGATE,
  NODE_NOT,
  NODE_BINARY,
  NODE_AND,
  NODE_OR,
  NODE_CALL,
} NodeKind;

typedef enum {
  FN_IF, FN_COALESCE, FN_PRESENT, FN_MIN, FN_MAX, FN_SUM, FN_COUNT, FN_COUNT_IF,
  FN_ALL, FN_ANY, FN_LEN, FN_MATCHES, FN_STARTS_WITH, FN_ENDS_WITH, FN_CONTAINS,
  FN_YEARS_BETWEEN, FN_MONTHS_BETWEEN, FN_DAYS_BETWEEN, FN_ADD_YEARS, FN_ADD_MONTHS,
  FN_ADD_DAYS, FN_YEAR, FN_DATE, FN_DEADLINE, FN_USCC, FN_ID_CARD, FN_MOBILE, FN_EMAIL,
  FN_BIRTH_DATE, FN_ROUND, FN_FLOOR, FN_CEIL, FN_ABS, FN_SAME_NAME,
} Function;

typedef struct {
  const char *name;
  Function    id;
  guint       min_args;
  guint       max_args;
} Builtin;

static const Builtin builtins[] = {
  { "if", FN_IF, 3, 3 },
  { "coalesce", FN_COALESCE, 2, 8 },
  { "present", FN_PRESENT, 1, 1 },
  { "min", FN_MIN, 1, 16 },
  { "max", FN_MAX, 1, 16 },
  { "sum", FN_SUM, 1, 1 },
  { "count", FN_COUNT, 1, 1 },
  { "count_if", FN_COUNT_IF, 2, 2 },
  { "all", FN_ALL, 2, 2 },
  { "any", FN_ANY, 2, 2 },
  { "len", FN_LEN, 1, 1 },
  { "matches", FN_MATCHES, 2, 2 },
  { "starts_with", FN_STARTS_WITH, 2, 2 },
  { "ends_with", FN_ENDS_WITH, 2, 2 },
  { "contains", FN_CONTAINS, 2, 2 },
  { "same_name", FN_SAME_NAME, 2, 2 },
  { "years_between", FN_YEARS_BETWEEN, 2, 2 },
  { "months_between", FN_MONTHS_BETWEEN, 2, 2 },
  { "days_between", FN_DAYS_BETWEEN, 2, 2 },
  { "add_years", FN_ADD_YEARS, 2, 2 },
  { "add_months", FN_ADD_MONTHS, 2, 2 },
  { "add_days", FN_ADD_DAYS, 2, 2 },
  { "year", FN_YEAR, 1, 1 },
  { "date", FN_DATE, 1, 1 },
  { "deadline", FN_DEADLINE, 1, 1 },
  { "uscc", FN_USCC, 1, 1 },
  { "id_card", FN_ID_CARD, 1, 1 },
  { "mobile", FN_MOBILE, 1, 1 },
  { "email", FN_EMAIL, 1, 1 },
  { "birth_date", FN_BIRTH_DATE, 1, 1 },
  { "round", FN_ROUND, 1, 1 },
  { "floor", FN_FLOOR, 1, 1 },
  { "ceil", FN_CEIL, 1, 1 },
  { "abs", FN_ABS, 1, 1 },
};

typedef struct _Node Node;

struct _Node {
  NodeKind   kind;
  guint      line;
  guint      column;
  guint      depth;
  SbExprType type;
  union {
    struct {
      SbEval value;
      char  *text;
    } literal;
    struct {
      char      *name;
      SbExprRef  ref;
    } ref;
    struct {
      TokenKind op;
      Node     *left;
      Node     *right;
    } binary;
    Node *operand;
    struct {
      const Builtin *builtin;
      GPtrArray     *args;
      SbRegex       *regex;
    } call;
  };
};

struct _SbExpr {
  char       *source;
  Node       *root;
  gboolean    checked;
  guint64     cost;      /* steps at most, on a draft at its limits */
};

G_DEFINE_BOXED_TYPE (SbExpr, sb_expr, sb_expr_ref, sb_expr_unref)

static void
node_free (Node *node)
{
  if (node == NULL)
    return;

  switch (node->kind)
    {
    case NODE_LITERAL:
      g_free (node->literal.text);
      break;
    case NODE_REF:
      g_free (node->ref.name);
      g_free (node->ref.ref.member);
      break;
    case NODE_NEGATE:
    case NODE_NOT:
      node_free (node->operand);
      break;
    case NODE_BINARY:
    case NODE_AND:
    case NODE_OR:
      node_free (node->binary.left);
      node_free (node->binary.right);
      break;
    case NODE_CALL:
      g_clear_pointer (&node->call.args, g_ptr_array_unref);
      g_clear_pointer (&node->call.regex, sb_regex_free);
      break;
    }
  g_free (node);
}

static Node *
node_new (NodeKind kind,
          guint    line,
          guint    column)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->line = line;
  node->column = column;
  node->depth = 0;   /* operations below it */
  return node;
}

/* Errors carry the position inside the expression; the loader adds the
 * file and JSON path in front. */
static gboolean
fail_at (GError     **error,
         guint        line,
         guint        column,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (GError     **error,
         guint        line,
         guint        column,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("line %u, column %u: %s"), line, column, message);
  return FALSE;
}

const char *
sb_expr_type_to_string (SbExprType type)
{
  if (type & SB_EXPR_LIST)
    {
      switch (SB_EXPR_BASE (type))
        {
        case SB_EXPR_MONEY: return _("a list of amounts");
        case SB_EXPR_NUMBER: return _("a list of numbers");
        case SB_EXPR_STRING: return _("a list of texts");
        case SB_EXPR_DATE: return _("a list of dates");
        case SB_EXPR_BOOL: return _("a list of yes/no answers");
        default: return _("a list");
        }
    }

  switch (type)
    {
    case SB_EXPR_NULL: return _("no value");
    case SB_EXPR_BOOL: return _("a yes/no value");
    case SB_EXPR_NUMBER: return _("a plain number");
    case SB_EXPR_MONEY: return _("an amount of money");
    case SB_EXPR_STRING: return _("a text");
    case SB_EXPR_DATE: return _("a date");
    case SB_EXPR_TABLE: return _("a table");
    case SB_EXPR_RECORD: return _("a person or organisation (name one of its parts)");
    default: return _("a list");
    }
}

/* Lexing */

static gunichar
peek_char (Parser *parser)
{
  return g_utf8_get_char (parser->p);
}

static void
next_char (Parser *parser)
{
  if (*parser->p == '\n')
    {
      parser->line++;
      parser->column = 1;
    }
  else
    parser->column++;
  parser->p = g_utf8_next_char (parser->p);
}

static gboolean
is_ident_start (gunichar c)
{
  return (c < 128 && (g_ascii_isalpha (c) || c == '_'));
}

static gboolean
is_ident_char (gunichar c)
{
  return (c < 128 && (g_ascii_isalnum (c) || c == '_' || c == '.'));
}

static gboolean
lex_number (Parser  *parser,
            GError **error)
{
  const char *start = parser->p;
  g_autofree char *digits = NULL;
  g_autoptr(GError) local_error = NULL;
  guint max_decimals = 12;
  SbNumber value;

  while (g_ascii_isdigit (*parser->p) || *parser->p == '.')
    next_char (parser);
  digits = g_strndup (start, parser->p - start);

  if (g_str_has_prefix (parser->p, "万"))
    {
      parser->token.kind = TOK_MONEY;
      next_char (parser);
      if (g_str_has_prefix (parser->p, "元"))
        next_char (parser);
      max_decimals = 4;
    }
  else if (g_str_has_prefix (parser->p, "元"))
    {
      parser->token.kind = TOK_MONEY;
      next_char (parser);
      max_decimals = 0;
    }
  else
    parser->token.kind = TOK_NUMBER;

  /* "1." is a typing slip, not a number (forms/README.md, numbers) */
  if (g_str_has_suffix (digits, "."))
    return fail_at (error, parser->token.line, parser->token.column,
                    _("“%s” needs a digit after the decimal point"), digits);
  if (!sb_number_parse_decimal (digits, max_decimals, &value, &local_error))
    {
      if (parser->token.kind == TOK_MONEY && max_decimals == 4)
        return fail_at (error, parser->token.line, parser->token.column,
                        _("“%s万” has more than 4 decimal places; amounts in 万元 are exact to 1 元"), digits);
      if (parser->token.kind == TOK_MONEY)
        return fail_at (error, parser->token.line, parser->token.column,
                        _("“%s元” is not a whole number of 元"), digits);
      return fail_at (error, parser->token.line, parser->token.column, "%s", local_error->message);
    }

  if (max_decimals == 4 && !sb_number_mul (value, sb_number_from_int (10000), &value, error))
    return FALSE;
  parser->token.number = value;
  return TRUE;
}

static gboolean
lex_string (Parser  *parser,
            GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gunichar quote = peek_char (parser);
  gunichar close = quote == 0x201C ? 0x201D : quote;

  next_char (parser);
  while (*parser->p != '\0')
    {
      gunichar c = peek_char (parser);

      if (c == close)
        {
          next_char (parser);
          parser->token.kind = TOK_STRING;
          parser->token.text = g_string_free (g_steal_pointer (&text), FALSE);
          return TRUE;
        }
      if (c == '\\' && close != 0x201D)
        {
          next_char (parser);
          c = peek_char (parser);
          if (c == '\0')
            break;
          if (c == 'n')
            c = '\n';
          else if (c == 't')
            c = '\t';
        }
      g_string_append_unichar (text, c);
      next_char (parser);
    }

  return fail_at (error, parser->token.line, parser->token.column, _("the text is not closed with a quote"));
}

static gboolean
lex_word (Parser *parser)
{
  const char *start = parser->p;
  g_autofree char *word = NULL;

  while (is_ident_char (peek_char (parser)))
    next_char (parser);
  word = g_strndup (start, parser->p - start);

  if (g_str_equal (word, "and"))
    parser->token.kind = TOK_AND;
  else if (g_str_equal (word, "or"))
    parser->token.kind = TOK_OR;
  else if (g_str_equal (word, "not"))
    parser->token.kind = TOK_NOT;
  else if (g_str_equal (word, "true"))
    parser->token.kind = TOK_TRUE;
  else if (g_str_equal (word, "false"))
    parser->token.kind = TOK_FALSE;
  else
    {
      parser->token.kind = TOK_IDENT;
      parser->token.text = g_steal_pointer (&word);
    }
  return TRUE;
}

static gboolean
lex_symbol (Parser  *parser,
            GError **error)
{
  gunichar c = peek_char (parser);
  gunichar n;

  next_char (parser);
  n = peek_char (parser);

  switch (c)
    {
    case '(': parser->token.kind = TOK_LPAREN; return TRUE;
    case ')': parser->token.kind = TOK_RPAREN; return TRUE;
    case ',': parser->token.kind = TOK_COMMA; return TRUE;
    case '+': parser->token.kind = TOK_PLUS; return TRUE;
    case '-': case 0x2212: parser->token.kind = TOK_MINUS; return TRUE;
    case '*': case 0xD7: parser->token.kind = TOK_STAR; return TRUE;
    case '/': case 0xF7: parser->token.kind = TOK_SLASH; return TRUE;
    case 0x2264: parser->token.kind = TOK_LE; return TRUE;
    case 0x2265: parser->token.kind = TOK_GE; return TRUE;
    case 0x2260: parser->token.kind = TOK_NE; return TRUE;
    case '<':
      parser->token.kind = n == '=' ? TOK_LE : TOK_LT;
      break;
    case '>':
      parser->token.kind = n == '=' ? TOK_GE : TOK_GT;
      break;
    case '!':
      parser->token.kind = n == '=' ? TOK_NE : TOK_NOT;
      break;
    case '=':
      if (n != '=')
        return fail_at (error, parser->token.line, parser->token.column, _("write “==” to compare"));
      parser->token.kind = TOK_EQ;
      break;
    case '&':
      if (n != '&')
        return fail_at (error, parser->token.line, parser->token.column, _("write “and” or “&&”"));
      parser->token.kind = TOK_AND;
      break;
    case '|':
      if (n != '|')
        return fail_at (error, parser->token.line, parser->token.column, _("write “or” or “||”"));
      parser->token.kind = TOK_OR;
      break;
    default:
      {
        char text[8] = { 0 };

        g_unichar_to_utf8 (c, text);
        return fail_at (error, parser->token.line, parser->token.column,
                        _("unexpected character “%s”"), text);
      }
    }

  if (parser->token.kind == TOK_LE || parser->token.kind == TOK_GE ||
      parser->token.kind == TOK_NE || parser->token.kind == TOK_EQ ||
      parser->token.kind == TOK_AND || parser->token.kind == TOK_OR)
    next_char (parser);
  return TRUE;
}

static gboolean
advance (Parser  *parser,
         GError **error)
{
  gunichar c;

  g_clear_pointer (&parser->token.text, g_free);

  while (g_unichar_isspace (peek_char (parser)))
    next_char (parser);

  parser->token.line = parser->line;
  parser->token.column = parser->column;
  c = peek_char (parser);

  if (c == '\0')
    {
      parser->token.kind = TOK_END;
      return TRUE;
    }
  if (g_ascii_isdigit (c))
    return lex_number (parser, error);
  if (c == '"' || c == '\'' || c == 0x201C)
    return lex_string (parser, error);
  if (is_ident_start (c))
    return lex_word (parser);
  return lex_symbol (parser, error);
}

/* Parsing: precedence climbing, lowest first: or, and, not, comparison,
 * + −, × ÷, unary minus. */

static Node *parse_or (Parser *parser, GError **error);

/* Nesting is counted in parentheses, function calls and prefix operators;
 * each costs the parser a few stack frames. */
static gboolean
enter (Parser  *parser,
       GError **error)
{
  if (++parser->depth > SB_EXPR_MAX_DEPTH)
    return fail_at (error, parser->token.line, parser->token.column,
                    _("the expression is nested more than %d levels deep"), SB_EXPR_MAX_DEPTH);
  return TRUE;
}

/* A long chain such as a + b + c + … is a deep tree, which evaluation walks
 * recursively; its length is bounded separately. */

static Node *
set_depth (Node    *node,
           GError **error)
{
  guint depth = 0;

  switch (node->kind)
    {
    case NODE_NEGATE:
    case NODE_NOT:
      depth = node->operand->depth;
      break;
    case NODE_BINARY:
    case NODE_AND:
    case NODE_OR:
      depth = MAX (node->binary.left->depth, node->binary.right->depth);
      break;
    case NODE_CALL:
      for (guint i = 0; i < node->call.args->len; i++)
        depth = MAX (depth, ((Node *) g_ptr_array_index (node->call.args, i))->depth);
      break;
    default:
      break;
    }

  node->depth = depth + 1;
  if (node->depth > SB_EXPR_MAX_TREE_DEPTH)
    {
      fail_at (error, node->line, node->column,
               _("the expression is too long: more than %d operations in a row"), SB_EXPR_MAX_TREE_DEPTH);
      node_free (node);
      return NULL;
    }
  return node;
}

static const Builtin *
find_builtin (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_str_equal (builtins[i].name, name))
      return &builtins[i];
  return NULL;
}

static Node *
parse_call (Parser  *parser,
            char    *take_name,
            guint    line,
            guint    column,
            GError **error)
{
  g_autofree char *name = take_name;
  const Builtin *builtin = find_builtin (name);
  Node *node;

  if (builtin == NULL)
    {
      fail_at (error, line, column, _("there is no function “%s”"), name);
      return NULL;
    }

  node = node_new (NODE_CALL, line, column);
  node->call.builtin = builtin;
  node->call.args = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);

  if (!enter (parser, error) || !advance (parser, error))
    goto fail;

  if (parser->token.kind != TOK_RPAREN)
    {
      for (;;)
        {
          Node *arg = parse_or (parser, error);

          if (arg == NULL)
            goto fail;
          g_ptr_array_add (node->call.args, arg);
          if (parser->token.kind == TOK_COMMA)
            {
              if (!advance (parser, error))
                goto fail;
              continue;
            }
          if (parser->token.kind == TOK_RPAREN)
            break;
          fail_at (error, parser->token.line, parser->token.column,
                   _("expected “,” or “)” in the arguments of %s()"), name);
          goto fail;
        }
    }

  parser->depth--;
  if (!advance (parser, error))
    goto fail;

  if (node->call.args->len < builtin->min_args || node->call.args->len > builtin->max_args)
    {
      if (builtin->min_args == builtin->max_args)
        fail_at (error, line, column,
                 g_dngettext (GETTEXT_PACKAGE, "%s() takes %u argument, not %u",
                              "%s() takes %u arguments, not %u", builtin->min_args),
                 name, builtin->min_args, node->call.args->len);
      else
        fail_at (error, line, column, _("%s() takes %u to %u arguments, not %u"),
                 name, builtin->min_args, builtin->max_args, node->call.args->len);
      goto fail;
    }

  return set_depth (node, error);

fail:
  node_free (node);
  return NULL;
}

static Node *
parse_primary (Parser  *parser,
               GError **error)
{
  guint line = parser->token.line, column = parser->token.column;
  Node *node;

  switch (parser->token.kind)
    {
    case TOK_NUMBER:
    case TOK_MONEY:
      node = node_new (NODE_LITERAL, line, column);
      node->type = parser->token.kind == TOK_MONEY ? SB_EXPR_MONEY : SB_EXPR_NUMBER;
      node->literal.value.kind = SB_VALUE_NUMBER;
      node->literal.value.number = parser->token.number;
      break;
    case TOK_STRING:
      node = node_new (NODE_LITERAL, line, column);
      node->type = SB_EXPR_STRING;
      node->literal.text = g_steal_pointer (&parser->token.text);
      node->literal.value.kind = SB_VALUE_STRING;
      node->literal.value.string = node->literal.text;
      node->literal.value.length = g_utf8_strlen (node->literal.text, -1);
      break;
    case TOK_TRUE:
    case TOK_FALSE:
      node = node_new (NODE_LITERAL, line, column);
      node->type = SB_EXPR_BOOL;
      node->literal.value.kind = SB_VALUE_BOOL;
      node->literal.value.boolean = parser->token.kind == TOK_TRUE;
      break;
    case TOK_LPAREN:
      if (!enter (parser, error) || !advance (parser, error))
        return NULL;
      node = parse_or (parser, error);
      parser->depth--;
      if (node == NULL)
        return NULL;
      if (parser->token.kind != TOK_RPAREN)
        {
          fail_at (error, parser->token.line, parser->token.column, _("expected “)”"));
          node_free (node);
          return NULL;
        }
      break;
    case TOK_IDENT:
      {
        char *name = g_steal_pointer (&parser->token.text);

        if (!advance (parser, error))
          {
            g_free (name);
            return NULL;
          }
        if (parser->token.kind == TOK_LPAREN)
          return parse_call (parser, name, line, column, error);

        node = node_new (NODE_REF, line, column);
        node->ref.name = name;
        return node;
      }
    case TOK_END:
      fail_at (error, line, column, _("the expression ends too early"));
      return NULL;
    default:
      fail_at (error, line, column, _("expected a value, a field or a function"));
      return NULL;
    }

  if (!advance (parser, error))
    {
      node_free (node);
      return NULL;
    }
  return node;
}

typedef Node *(*ParseFunc) (Parser *parser, GError **error);

/* "-x", "not x": the operator, then its operand at the same level. */
static Node *
parse_prefix (Parser    *parser,
              NodeKind   kind,
              ParseFunc  operand,
              GError   **error)
{
  Node *node = node_new (kind, parser->token.line, parser->token.column);

  if (!enter (parser, error) || !advance (parser, error) ||
      (node->operand = operand (parser, error)) == NULL)
    {
      node_free (node);
      return NULL;
    }
  parser->depth--;
  return set_depth (node, error);
}

static Node *
parse_unary (Parser  *parser,
             GError **error)
{
  if (parser->token.kind == TOK_MINUS)
    return parse_prefix (parser, NODE_NEGATE, parse_unary, error);
  return parse_primary (parser, error);
}

static Node *
parse_binary_level (Parser          *parser,
                    ParseFunc        operand,
                    const TokenKind *ops,
                    guint            n_ops,
                    NodeKind         kind,
                    gboolean         chain,
                    GError         **error)
{
  Node *left = operand (parser, error);

  while (left != NULL)
    {
      TokenKind op = parser->token.kind;
      gboolean matched = FALSE;
      Node *node;

      for (guint i = 0; i < n_ops; i++)
        matched |= op == ops[i];
      if (!matched)
        break;

      node = node_new (kind, parser->token.line, parser->token.column);
      node->binary.op = op;
      node->binary.left = left;
      if (!advance (parser, error) || (node->binary.right = operand (parser, error)) == NULL)
        {
          node_free (node);
          return NULL;
        }
      left = set_depth (node, error);
      if (!chain && left != NULL)
        {
          for (guint i = 0; i < n_ops; i++)
            if (parser->token.kind == ops[i])
              {
                fail_at (error, parser->token.line, parser->token.column,
                         _("comparisons cannot be chained; join them with “and”"));
                node_free (left);
                return NULL;
              }
          break;
        }
    }
  return left;
}

static Node *
parse_multiplicative (Parser  *parser,
                      GError **error)
{
  static const TokenKind ops[] = { TOK_STAR, TOK_SLASH };
  return parse_binary_level (parser, parse_unary, ops, 2, NODE_BINARY, TRUE, error);
}

static Node *
parse_additive (Parser  *parser,
                GError **error)
{
  static const TokenKind ops[] = { TOK_PLUS, TOK_MINUS };
  return parse_binary_level (parser, parse_multiplicative, ops, 2, NODE_BINARY, TRUE, error);
}

static Node *
parse_comparison (Parser  *parser,
                  GError **error)
{
  static const TokenKind ops[] = { TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE };
  return parse_binary_level (parser, parse_additive, ops, 6, NODE_BINARY, FALSE, error);
}

static Node *
parse_not (Parser  *parser,
           GError **error)
{
  if (parser->token.kind == TOK_NOT)
    return parse_prefix (parser, NODE_NOT, parse_not, error);
  return parse_comparison (parser, error);
}

static Node *
parse_and (Parser  *parser,
           GError **error)
{
  static const TokenKind ops[] = { TOK_AND };
  return parse_binary_level (parser, parse_not, ops, 1, NODE_AND, TRUE, error);
}

static Node *
parse_or (Parser  *parser,
          GError **error)
{
  static const TokenKind ops[] = { TOK_OR };

  return parse_binary_level (parser, parse_and, ops, 1, NODE_OR, TRUE, error);
}

SbExpr *
sb_expr_parse (const char  *source,
               GError     **error)
{
  Parser parser = { 0 };
  Node *root;
  SbExpr *expr;

  if (strlen (source) > SB_EXPR_MAX_SOURCE)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION,
                   _("the expression is longer than %d KiB"), SB_EXPR_MAX_SOURCE / 1024);
      return NULL;
    }

  parser.source = source;
  parser.p = source;
  parser.line = 1;
  parser.column = 1;

  if (!advance (&parser, error))
    return NULL;

  if (parser.token.kind == TOK_END)
    {
      fail_at (error, 1, 1, _("the expression is empty"));
      return NULL;
    }

  root = parse_or (&parser, error);
  if (root != NULL && parser.token.kind != TOK_END)
    {
      fail_at (error, parser.token.line, parser.token.column,
               _("unexpected text after the end of the expression"));
      g_clear_pointer (&root, node_free);
    }
  g_clear_pointer (&parser.token.text, g_free);
  if (root == NULL)
    return NULL;

  expr = g_atomic_rc_box_new0 (SbExpr);
  expr->source = g_strdup (source);
  expr->root = root;
  return expr;
}

static void
sb_expr_clear (SbExpr *expr)
{
  g_free (expr->source);
  node_free (expr->root);
}

SbExpr *
sb_expr_ref (SbExpr *expr)
{
  return g_atomic_rc_box_acquire (expr);
}

void
sb_expr_unref (SbExpr *expr)
{
  g_atomic_rc_box_release_full (expr, (GDestroyNotify) sb_expr_clear);
}

const char *
sb_expr_get_source (SbExpr *expr)
{
  return expr->source;
}

SbExprType
sb_expr_get_result_type (SbExpr *expr)
{
  return expr->root->type;
}

/* Checking: resolve names, compute types */

typedef struct {
  const SbExprResolver *resolver;
  gpointer              rows[SB_EXPR_MAX_ROW_DEPTH + 1];
  guint                 n_rows;
} Checker;

static gboolean check_node (Checker *checker, Node *node, GError **error);

static gboolean
expect_type (Node        *node,
             SbExprType   type,
             const char  *what,
             GError     **error)
{
  if (node->type == type)
    return TRUE;
  return fail_at (error, node->line, node->column, _("%s needs %s here, not %s"),
                  what, sb_expr_type_to_string (type), sb_expr_type_to_string (node->type));
}

static gboolean
is_numeric (SbExprType type)
{
  return type == SB_EXPR_NUMBER || type == SB_EXPR_MONEY;
}

static gboolean
check_ref (Checker  *checker,
           Node     *node,
           GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!checker->resolver->resolve (node->ref.name, &node->ref.ref, checker->resolver->user_data, &local_error))
    return fail_at (error, node->line, node->column, "%s", local_error->message);

  if (node->ref.ref.kind == SB_REF_COLUMN)
    {
      for (guint i = 0; i < checker->n_rows; i++)
        if (checker->rows[i] == node->ref.ref.field)
          {
            node->ref.ref.kind = SB_REF_ROW_COLUMN;
            node->ref.ref.type = SB_EXPR_BASE (node->ref.ref.type);
          }
    }

  node->type = node->ref.ref.type;
  return TRUE;
}

static const char *
binary_symbol (TokenKind op)
{
  switch (op)
    {
    case TOK_PLUS: return "+";
    case TOK_MINUS: return "−";
    case TOK_STAR: return "×";
    case TOK_SLASH: return "÷";
    case TOK_EQ: return "==";
    case TOK_NE: return "!=";
    case TOK_LT: return "<";
    case TOK_LE: return "<=";
    case TOK_GT: return ">";
    case TOK_GE: return ">=";
    default: return "?";
    }
}

static gboolean
check_binary (Node     *node,
              GError  **error)
{
  SbExprType l = node->binary.left->type, r = node->binary.right->type;
  TokenKind op = node->binary.op;

  switch (op)
    {
    case TOK_PLUS:
    case TOK_MINUS:
      if (l == r && is_numeric (l))
        {
          node->type = l;
          return TRUE;
        }
      break;
    case TOK_STAR:
      if (l == SB_EXPR_NUMBER && is_numeric (r))
        node->type = r;
      else if (l == SB_EXPR_MONEY && r == SB_EXPR_NUMBER)
        node->type = SB_EXPR_MONEY;
      else
        break;
      return TRUE;
    case TOK_SLASH:
      if (l == SB_EXPR_MONEY && r == SB_EXPR_NUMBER)
        node->type = SB_EXPR_MONEY;
      else if (l == r && is_numeric (l))
        node->type = SB_EXPR_NUMBER;
      else
        break;
      return TRUE;
    case TOK_EQ:
    case TOK_NE:
      if (l == r && (is_numeric (l) || l == SB_EXPR_DATE || l == SB_EXPR_STRING || l == SB_EXPR_BOOL))
        {
          node->type = SB_EXPR_BOOL;
          return TRUE;
        }
      break;
    default:
      if (l == r && (is_numeric (l) || l == SB_EXPR_DATE))
        {
          node->type = SB_EXPR_BOOL;
          return TRUE;
        }
      break;
    }

  if ((l == SB_EXPR_MONEY && r == SB_EXPR_NUMBER) || (l == SB_EXPR_NUMBER && r == SB_EXPR_MONEY))
    return fail_at (error, node->line, node->column,
                    _("“%s” mixes an amount of money with a plain number; write the amount with its unit, e.g. 150万 or 1500000元"),
                    binary_symbol (op));

  return fail_at (error, node->line, node->column, _("“%s” cannot combine %s with %s"),
                  binary_symbol (op), sb_expr_type_to_string (l), sb_expr_type_to_string (r));
}

static Node *
arg (Node  *node,
     guint  i)
{
  return g_ptr_array_index (node->call.args, i);
}

static gboolean
fold_to_date (Checker  *checker,
              Node     *node,
              GError  **error)
{
  Node *text = arg (node, 0);
  g_autoptr(GError) local_error = NULL;
  SbDate date;
  gboolean ok;

  if (text->kind != NODE_LITERAL || text->type != SB_EXPR_STRING)
    return fail_at (error, node->line, node->column, _("%s() takes a text in quotes"), node->call.builtin->name);

  if (node->call.builtin->id == FN_DATE)
    ok = sb_date_parse (text->literal.text, &date, &local_error);
  else
    ok = checker->resolver->deadline (text->literal.text, &date, checker->resolver->user_data, &local_error);
  if (!ok)
    return fail_at (error, text->line, text->column, "%s", local_error->message);

  g_clear_pointer (&node->call.args, g_ptr_array_unref);
  node->kind = NODE_LITERAL;
  node->literal.text = NULL;
  memset (&node->literal.value, 0, sizeof node->literal.value);
  node->literal.value.kind = SB_VALUE_DATE;
  node->literal.value.date = date;
  node->type = SB_EXPR_DATE;
  return TRUE;
}

static gboolean
check_row_function (Checker  *checker,
                    Node     *node,
                    GError  **error)
{
  Node *table = arg (node, 0);
  Node *condition = arg (node, 1);
  gboolean ok;

  if (!check_node (checker, table, error))
    return FALSE;
  if (table->kind != NODE_REF || table->ref.ref.kind != SB_REF_TABLE)
    return fail_at (error, table->line, table->column, _("%s() takes a table as its first argument"),
                    node->call.builtin->name);
  if (checker->n_rows >= SB_EXPR_MAX_ROW_DEPTH)
    return fail_at (error, node->line, node->column, _("row functions are nested too deeply"));

  checker->rows[checker->n_rows++] = table->ref.ref.field;
  ok = check_node (checker, condition, error);
  checker->n_rows--;
  if (!ok || !expect_type (condition, SB_EXPR_BOOL, node->call.builtin->name, error))
    return FALSE;

  node->type = node->call.builtin->id == FN_COUNT_IF ? SB_EXPR_NUMBER : SB_EXPR_BOOL;
  return TRUE;
}

static gboolean
check_min_max (Node     *node,
               GError  **error)
{
  Node *first = arg (node, 0);
  SbExprType type = first->type;

  if (node->call.args->len == 1)
    {
      SbExprType base = SB_EXPR_BASE (type);

      if (!(type & SB_EXPR_LIST) || !(is_numeric (base) || base == SB_EXPR_DATE))
        return fail_at (error, first->line, first->column,
                        _("%s() of one argument takes a column of numbers, amounts or dates"),
                        node->call.builtin->name);
      node->type = base;
      return TRUE;
    }

  for (guint i = 0; i < node->call.args->len; i++)
    {
      Node *a = arg (node, i);

      if (a->type != type || !(is_numeric (type) || type == SB_EXPR_DATE))
        {
          if ((a->type == SB_EXPR_MONEY && type == SB_EXPR_NUMBER) ||
              (a->type == SB_EXPR_NUMBER && type == SB_EXPR_MONEY))
            return fail_at (error, a->line, a->column,
                            _("%s() mixes amounts of money with plain numbers; write amounts with their unit, e.g. 100万"),
                            node->call.builtin->name);
          return fail_at (error, a->line, a->column,
                          _("%s() takes numbers, amounts or dates of one kind, not %s"),
                          node->call.builtin->name, sb_expr_type_to_string (a->type));
        }
    }
  node->type = type;
  return TRUE;
}

static gboolean
check_call (Checker  *checker,
            Node     *node,
            GError  **error)
{
  const char *name = node->call.builtin->name;
  Function fn = node->call.builtin->id;

  if (fn == FN_ALL || fn == FN_ANY || fn == FN_COUNT_IF)
    return check_row_function (checker, node, error);

  for (guint i = 0; i < node->call.args->len; i++)
    if (!check_node (checker, arg (node, i), error))
      return FALSE;

  switch (fn)
    {
    case FN_IF:
      if (!expect_type (arg (node, 0), SB_EXPR_BOOL, name, error))
        return FALSE;
      if (arg (node, 1)->type != arg (node, 2)->type)
        return fail_at (error, node->line, node->column,
                        _("both branches of if() must have one type, not %s and %s"),
                        sb_expr_type_to_string (arg (node, 1)->type), sb_expr_type_to_string (arg (node, 2)->type));
      node->type = arg (node, 1)->type;
      return TRUE;

    case FN_COALESCE:
      for (guint i = 1; i < node->call.args->len; i++)
        if (!expect_type (arg (node, i), arg (node, 0)->type, name, error))
          return FALSE;
      node->type = arg (node, 0)->type;
      return TRUE;

    case FN_PRESENT:
      node->type = SB_EXPR_BOOL;
      return TRUE;

    case FN_MIN:
    case FN_MAX:
      return check_min_max (node, error);

    case FN_SUM:
      if (!(arg (node, 0)->type & SB_EXPR_LIST) || !is_numeric (SB_EXPR_BASE (arg (node, 0)->type)))
        return fail_at (error, node->line, node->column, _("sum() takes a column of numbers or amounts"));
      node->type = SB_EXPR_BASE (arg (node, 0)->type);
      return TRUE;

    case FN_COUNT:
      if (!(arg (node, 0)->type & SB_EXPR_LIST) && arg (node, 0)->type != SB_EXPR_TABLE)
        return fail_at (error, node->line, node->column, _("count() takes a table, a column or a multiple choice"));
      node->type = SB_EXPR_NUMBER;
      return TRUE;

    case FN_LEN:
      if (!expect_type (arg (node, 0), SB_EXPR_STRING, name, error))
        return FALSE;
      node->type = SB_EXPR_NUMBER;
      return TRUE;

    case FN_MATCHES:
      {
        Node *pattern = arg (node, 1);
        g_autoptr(GError) local_error = NULL;

        if (!expect_type (arg (node, 0), SB_EXPR_STRING, name, error))
          return FALSE;
        if (pattern->kind != NODE_LITERAL || pattern->type != SB_EXPR_STRING)
          return fail_at (error, pattern->line, pattern->column, _("matches() takes its pattern as a text in quotes"));
        node->call.regex = sb_regex_new (pattern->literal.text, &local_error);
        if (node->call.regex == NULL)
          return fail_at (error, pattern->line, pattern->column, _("the pattern is not a valid regular expression: %s"),
                          local_error->message);
        node->type = SB_EXPR_BOOL;
        return TRUE;
      }

    case FN_STARTS_WITH:
    case FN_ENDS_WITH:
    case FN_SAME_NAME:
      if (!expect_type (arg (node, 0), SB_EXPR_STRING, name, error) ||
          !expect_type (arg (node, 1), SB_EXPR_STRING, name, error))
        return FALSE;
      node->type = SB_EXPR_BOOL;
      return TRUE;

    case FN_CONTAINS:
      if (arg (node, 0)->type != SB_EXPR_STRING && arg (node, 0)->type != (SB_EXPR_LIST | SB_EXPR_STRING))
        return fail_at (error, node->line, node->column, _("contains() takes a text or a multiple choice first"));
      if (!expect_type (arg (node, 1), SB_EXPR_STRING, name, error))
        return FALSE;
      node->type = SB_EXPR_BOOL;
      return TRUE;

    case FN_YEARS_BETWEEN:
    case FN_MONTHS_BETWEEN:
    case FN_DAYS_BETWEEN:
      if (!expect_type (arg (node, 0), SB_EXPR_DATE, name, error) ||
          !expect_type (arg (node, 1), SB_EXPR_DATE, name, error))
        return FALSE;
      node->type = SB_EXPR_NUMBER;
      return TRUE;

    case FN_ADD_YEARS:
    case FN_ADD_MONTHS:
    case FN_ADD_DAYS:
      if (!expect_type (arg (node, 0), SB_EXPR_DATE, name, error) ||
          !expect_type (arg (node, 1), SB_EXPR_NUMBER, name, error))
        return FALSE;
      node->type = SB_EXPR_DATE;
      return TRUE;

    case FN_YEAR:
      if (!expect_type (arg (node, 0), SB_EXPR_DATE, name, error))
        return FALSE;
      node->type = SB_EXPR_NUMBER;
      return TRUE;

    case FN_DATE:
    case FN_DEADLINE:
      return fold_to_date (checker, node, error);

    case FN_USCC:
    case FN_ID_CARD:
    case FN_MOBILE:
    case FN_EMAIL:
      if (!expect_type (arg (node, 0), SB_EXPR_STRING, name, error))
        return FALSE;
      node->type = SB_EXPR_BOOL;
      return TRUE;

    case FN_BIRTH_DATE:
      if (!expect_type (arg (node, 0), SB_EXPR_STRING, name, error))
        return FALSE;
      node->type = SB_EXPR_DATE;
      return TRUE;

    case FN_ROUND:
    case FN_FLOOR:
    case FN_CEIL:
    case FN_ABS:
      if (!is_numeric (arg (node, 0)->type))
        return fail_at (error, node->line, node->column, _("%s() takes a number or an amount"), name);
      node->type = arg (node, 0)->type;
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_node (Checker  *checker,
            Node     *node,
            GError  **error)
{
  switch (node->kind)
    {
    case NODE_LITERAL:
      return TRUE;

    case NODE_REF:
      return check_ref (checker, node, error);

    case NODE_NEGATE:
      if (!check_node (checker, node->operand, error))
        return FALSE;
      if (!is_numeric (node->operand->type))
        return fail_at (error, node->line, node->column, _("“−” takes a number or an amount, not %s"),
                        sb_expr_type_to_string (node->operand->type));
      node->type = node->operand->type;
      return TRUE;

    case NODE_NOT:
      if (!check_node (checker, node->operand, error) ||
          !expect_type (node->operand, SB_EXPR_BOOL, "not", error))
        return FALSE;
      node->type = SB_EXPR_BOOL;
      return TRUE;

    case NODE_AND:
    case NODE_OR:
      if (!check_node (checker, node->binary.left, error) ||
          !check_node (checker, node->binary.right, error) ||
          !expect_type (node->binary.left, SB_EXPR_BOOL, node->kind == NODE_AND ? "and" : "or", error) ||
          !expect_type (node->binary.right, SB_EXPR_BOOL, node->kind == NODE_AND ? "and" : "or", error))
        return FALSE;
      node->type = SB_EXPR_BOOL;
      return TRUE;

    case NODE_BINARY:
      if (!check_node (checker, node->binary.left, error) ||
          !check_node (checker, node->binary.right, error))
        return FALSE;
      return check_binary (node, error);

    case NODE_CALL:
      return check_call (checker, node, error);
    }

  g_assert_not_reached ();
}

/* The most steps an evaluation can take, counted as eval_node() and
 * spend() count them, with every list at SB_EXPR_MAX_LIST_ITEMS items.
 * Saturates rather than wraps. */
static guint64
add_cost (guint64 a,
          guint64 b)
{
  return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

static guint64
times_cost (guint64 a,
            guint64 b)
{
  return b != 0 && a > G_MAXUINT64 / b ? G_MAXUINT64 : a * b;
}

static guint64
node_cost (Node *node)
{
  guint64 cost = 1;

  switch (node->kind)
    {
    case NODE_LITERAL:
    case NODE_REF:
      return cost;
    case NODE_NEGATE:
    case NODE_NOT:
      return add_cost (cost, node_cost (node->operand));
    case NODE_BINARY:
    case NODE_AND:
    case NODE_OR:
      return add_cost (cost, add_cost (node_cost (node->binary.left), node_cost (node->binary.right)));
    case NODE_CALL:
      break;
    }

  switch (node->call.builtin->id)
    {
    case FN_ALL:
    case FN_ANY:
    case FN_COUNT_IF:
      /* the table, then the condition once per row */
      cost = add_cost (cost, add_cost (node_cost (arg (node, 0)), SB_EXPR_MAX_LIST_ITEMS));
      return add_cost (cost, times_cost (node_cost (arg (node, 1)), SB_EXPR_MAX_LIST_ITEMS));
    case FN_SUM:
    case FN_COUNT:
    case FN_MIN:
    case FN_MAX:
    case FN_CONTAINS:
      if ((arg (node, 0)->type & SB_EXPR_LIST) || arg (node, 0)->type == SB_EXPR_TABLE)
        cost = add_cost (cost, SB_EXPR_MAX_LIST_ITEMS);
      break;
    case FN_MATCHES:
      cost = add_cost (cost, SB_EXPR_REGEX_STEPS);
      break;
    default:
      break;
    }
  for (guint i = 0; i < node->call.args->len; i++)
    cost = add_cost (cost, node_cost (arg (node, i)));
  return cost;
}

gboolean
sb_expr_check (SbExpr                *expr,
               const SbExprResolver  *resolver,
               gpointer               row_table,
               GError               **error)
{
  Checker checker = { resolver, { 0 }, 0 };

  if (row_table != NULL)
    checker.rows[checker.n_rows++] = row_table;

  if (!check_node (&checker, expr->root, error))
    return FALSE;

  if (expr->root->type == SB_EXPR_TABLE || expr->root->type == SB_EXPR_RECORD)
    return fail_at (error, expr->root->line, expr->root->column, _("%s cannot be used as a whole here"),
                    sb_expr_type_to_string (expr->root->type));

  expr->cost = node_cost (expr->root);
  if (expr->cost > SB_EXPR_MAX_STEPS)
    return fail_at (error, expr->root->line, expr->root->column,
                    _("the expression could need more than %d steps of evaluation on tables of %d rows "
                      "(row functions nested in row functions?)"), SB_EXPR_MAX_STEPS, SB_EXPR_MAX_LIST_ITEMS);

  expr->checked = TRUE;
  return TRUE;
}

guint64
sb_expr_get_cost (SbExpr *expr)
{
  g_return_val_if_fail (expr->checked, G_MAXUINT64);
  return expr->cost;
}

static void
collect_node (Node      *node,
              GPtrArray *fields)
{
  switch (node->kind)
    {
    case NODE_REF:
      if (!g_ptr_array_find (fields, node->ref.ref.field, NULL))
        g_ptr_array_add (fields, node->ref.ref.field);
      break;
    case NODE_NEGATE:
    case NODE_NOT:
      collect_node (node->operand, fields);
      break;
    case NODE_BINARY:
    case NODE_AND:
    case NODE_OR:
      collect_node (node->binary.left, fields);
      collect_node (node->binary.right, fields);
      break;
    case NODE_CALL:
      for (guint i = 0; i < node->call.args->len; i++)
        collect_node (arg (node, i), fields);
      break;
    default:
      break;
    }
}

void
sb_expr_collect_fields (SbExpr    *expr,
                        GPtrArray *fields)
{
  g_return_if_fail (expr->checked);
  collect_node (expr->root, fields);
}

/* The name the whole expression is, when it is just a name. */
const SbExprRef *
sb_expr_get_root_ref (SbExpr *expr)
{
  g_return_val_if_fail (expr->checked, NULL);
  return expr->root->kind == NODE_REF ? &expr->root->ref.ref : NULL;
}

/* Evaluation */

void
sb_eval_from_value (const SbValue *value,
                    SbEval        *out)
{
  memset (out, 0, sizeof *out);
  out->kind = sb_value_get_kind (value);

  switch (out->kind)
    {
    case SB_VALUE_BOOL:
      out->boolean = sb_value_get_bool (value);
      break;
    case SB_VALUE_NUMBER:
      out->number = sb_value_get_number (value);
      break;
    case SB_VALUE_STRING:
      out->string = sb_value_get_string (value);
      out->length = sb_value_get_length (value);
      break;
    case SB_VALUE_DATE:
      out->date = sb_value_get_date (value);
      break;
    case SB_VALUE_LIST:
      out->items = sb_value_get_list (value);
      break;
    case SB_VALUE_RECORD:
      /* a record is never a result; only its members are */
      out->kind = SB_VALUE_NULL;
      break;
    default:
      break;
    }
}

static void
list_item (const SbEval *list,
           guint         i,
           SbEval       *out)
{
  const SbValue *item = g_ptr_array_index (list->items, i);

  if (list->column != NULL)
    item = sb_value_record_get (item, list->column);
  sb_eval_from_value (item, out);
}

static guint
list_length (const SbEval *list)
{
  return list->kind == SB_VALUE_LIST && list->items != NULL ? list->items->len : 0;
}

static void
set_null (SbEval *out)
{
  memset (out, 0, sizeof *out);
  out->kind = SB_VALUE_NULL;
}

static void
set_bool (SbEval   *out,
          gboolean  value)
{
  memset (out, 0, sizeof *out);
  out->kind = SB_VALUE_BOOL;
  out->boolean = !!value;
}

static void
set_number (SbEval   *out,
            SbNumber  value)
{
  memset (out, 0, sizeof *out);
  out->kind = SB_VALUE_NUMBER;
  out->number = value;
}

static gboolean
set_date_or_fail (SbEval    *out,
                  gboolean   ok,
                  SbDate     value,
                  GError   **error)
{
  if (!ok)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("the date falls outside the years 1900–2200"));
      return FALSE;
    }
  memset (out, 0, sizeof *out);
  out->kind = SB_VALUE_DATE;
  out->date = value;
  return TRUE;
}

static gboolean eval_node (Node *node, SbEvalContext *context, SbEval *out, GError **error);
static gboolean eval_present (const SbEval *value);

static gboolean
spend (SbEvalContext  *context,
       guint64         steps,
       GError        **error)
{
  if (*context->steps_left < steps)
    {
      *context->steps_left = 0;
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION,
                   _("the checks need more than %d steps of evaluation, the most a draft may take"),
                   SB_EXPR_MAX_STEPS);
      return FALSE;
    }
  *context->steps_left -= steps;
  return TRUE;
}

static gboolean
eval_ref (Node           *node,
          SbEvalContext  *context,
          SbEval         *out,
          GError        **error)
{
  const SbExprRef *ref = &node->ref.ref;
  const SbValue *value;

  if (ref->kind == SB_REF_ROW_COLUMN)
    {
      for (guint i = context->n_rows; i > 0; i--)
        if (context->rows[i - 1].table == ref->field)
          {
            sb_eval_from_value (sb_value_record_get (context->rows[i - 1].row, ref->member), out);
            return TRUE;
          }
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("“%s” is used outside its table"), node->ref.name);
      return FALSE;
    }

  value = context->lookup (ref->field, context->user_data);

  switch (ref->kind)
    {
    case SB_REF_FIELD:
      sb_eval_from_value (value, out);
      break;
    case SB_REF_MEMBER:
      sb_eval_from_value (sb_value_record_get (value, ref->member), out);
      break;
    case SB_REF_TABLE:
    case SB_REF_COLUMN:
      set_null (out);
      out->kind = SB_VALUE_LIST;
      out->items = sb_value_get_kind (value) == SB_VALUE_LIST ? sb_value_get_list (value) : NULL;
      out->column = ref->kind == SB_REF_COLUMN ? ref->member : NULL;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
compare (const SbEval  *a,
         const SbEval  *b,
         int           *out,
         GError       **error)
{
  switch (a->kind)
    {
    case SB_VALUE_NUMBER:
      return sb_number_compare (a->number, b->number, out, error);
    case SB_VALUE_DATE:
      *out = a->date < b->date ? -1 : a->date > b->date ? 1 : 0;
      return TRUE;
    case SB_VALUE_STRING:
      *out = strcmp (a->string, b->string);
      return TRUE;
    case SB_VALUE_BOOL:
      *out = (int) a->boolean - (int) b->boolean;
      return TRUE;
    default:
      *out = 0;
      return TRUE;
    }
}

static gboolean
eval_binary (Node           *node,
             SbEvalContext  *context,
             SbEval         *out,
             GError        **error)
{
  SbEval l, r;
  SbNumber result;
  int order;

  if (!eval_node (node->binary.left, context, &l, error) ||
      !eval_node (node->binary.right, context, &r, error))
    return FALSE;

  if (l.kind == SB_VALUE_NULL || r.kind == SB_VALUE_NULL)
    {
      set_null (out);
      return TRUE;
    }

  switch (node->binary.op)
    {
    case TOK_PLUS:
      if (!sb_number_add (l.number, r.number, &result, error))
        return FALSE;
      set_number (out, result);
      return TRUE;
    case TOK_MINUS:
      if (!sb_number_sub (l.number, r.number, &result, error))
        return FALSE;
      set_number (out, result);
      return TRUE;
    case TOK_STAR:
      if (!sb_number_mul (l.number, r.number, &result, error))
        return FALSE;
      set_number (out, result);
      return TRUE;
    case TOK_SLASH:
      if (!sb_number_div (l.number, r.number, &result, error))
        return FALSE;
      set_number (out, result);
      return TRUE;
    default:
      break;
    }

  if (!compare (&l, &r, &order, error))
    return FALSE;

  switch (node->binary.op)
    {
    case TOK_EQ: set_bool (out, order == 0); break;
    case TOK_NE: set_bool (out, order != 0); break;
    case TOK_LT: set_bool (out, order < 0); break;
    case TOK_LE: set_bool (out, order <= 0); break;
    case TOK_GT: set_bool (out, order > 0); break;
    case TOK_GE: set_bool (out, order >= 0); break;
    default: g_assert_not_reached ();
    }
  return TRUE;
}

/* Three-valued logic: false and unknown is false, true and unknown is
 * unknown. The right side is not evaluated once the left decides. */
static gboolean
eval_logic (Node           *node,
            SbEvalContext  *context,
            SbEval         *out,
            GError        **error)
{
  gboolean deciding = node->kind == NODE_OR;
  SbEval l, r;

  if (!eval_node (node->binary.left, context, &l, error))
    return FALSE;
  if (l.kind == SB_VALUE_BOOL && l.boolean == deciding)
    {
      set_bool (out, deciding);
      return TRUE;
    }
  if (!eval_node (node->binary.right, context, &r, error))
    return FALSE;
  if (r.kind == SB_VALUE_BOOL && r.boolean == deciding)
    set_bool (out, deciding);
  else if (l.kind == SB_VALUE_NULL || r.kind == SB_VALUE_NULL)
    set_null (out);
  else
    set_bool (out, !deciding);
  return TRUE;
}

static gboolean
eval_rows (Node           *node,
           SbEvalContext  *context,
           SbEval         *out,
           GError        **error)
{
  Function fn = node->call.builtin->id;
  SbEval table;
  gboolean saw_unknown = FALSE;
  gint64 count = 0;
  guint n;

  if (!eval_node (arg (node, 0), context, &table, error))
    return FALSE;
  n = list_length (&table);

  if (context->n_rows >= SB_EXPR_MAX_ROW_DEPTH)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("row functions are nested too deeply"));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      SbEval verdict;
      gboolean ok;

      /* a step for each row visited; all() and any() stop early */
      if (!spend (context, 1, error))
        return FALSE;
      context->rows[context->n_rows].table = arg (node, 0)->ref.ref.field;
      context->rows[context->n_rows].row = g_ptr_array_index (table.items, i);
      context->n_rows++;
      ok = eval_node (arg (node, 1), context, &verdict, error);
      context->n_rows--;
      if (!ok)
        return FALSE;

      if (verdict.kind == SB_VALUE_NULL)
        saw_unknown = TRUE;
      else if (verdict.boolean)
        count++;
      else if (fn == FN_ALL)
        {
          set_bool (out, FALSE);
          return TRUE;
        }
      if (fn == FN_ANY && count > 0)
        {
          set_bool (out, TRUE);
          return TRUE;
        }
    }

  /* a row whose condition is unknown makes the count unknown too */
  if (saw_unknown)
    set_null (out);
  else if (fn == FN_COUNT_IF)
    set_number (out, sb_number_from_int (count));
  else
    set_bool (out, fn == FN_ALL);
  return TRUE;
}

static gboolean
eval_extreme (Node           *node,
              SbEvalContext  *context,
              SbEval         *out,
              GError        **error)
{
  gboolean want_max = node->call.builtin->id == FN_MAX;
  SbEval best = { .kind = SB_VALUE_NULL };

  if (node->call.args->len == 1)
    {
      SbEval list;

      if (!eval_node (arg (node, 0), context, &list, error) || !spend (context, list_length (&list), error))
        return FALSE;
      for (guint i = 0; i < list_length (&list); i++)
        {
          SbEval item;
          int order;

          list_item (&list, i, &item);
          if (item.kind == SB_VALUE_NULL)
            continue;
          if (best.kind == SB_VALUE_NULL)
            best = item;
          else if (!compare (&item, &best, &order, error))
            return FALSE;
          else if (want_max ? order > 0 : order < 0)
            best = item;
        }
      *out = best;
      return TRUE;
    }

  for (guint i = 0; i < node->call.args->len; i++)
    {
      SbEval item;
      int order;

      if (!eval_node (arg (node, i), context, &item, error))
        return FALSE;
      if (item.kind == SB_VALUE_NULL)
        {
          set_null (out);
          return TRUE;
        }
      if (i == 0)
        best = item;
      else if (!compare (&item, &best, &order, error))
        return FALSE;
      else if (want_max ? order > 0 : order < 0)
        best = item;
    }
  *out = best;
  return TRUE;
}

static gboolean
eval_sum_count (Node           *node,
                SbEvalContext  *context,
                SbEval         *out,
                GError        **error)
{
  SbEval list;
  SbNumber total = sb_number_from_int (0);
  gint64 count = 0;

  if (!eval_node (arg (node, 0), context, &list, error) || !spend (context, list_length (&list), error))
    return FALSE;

  if (node->call.builtin->id == FN_COUNT && arg (node, 0)->type == SB_EXPR_TABLE)
    {
      set_number (out, sb_number_from_int (list_length (&list)));
      return TRUE;
    }

  for (guint i = 0; i < list_length (&list); i++)
    {
      SbEval item;

      list_item (&list, i, &item);
      if (!eval_present (&item))
        continue;
      count++;
      if (node->call.builtin->id == FN_SUM && !sb_number_add (total, item.number, &total, error))
        return FALSE;
    }

  set_number (out, node->call.builtin->id == FN_SUM ? total : sb_number_from_int (count));
  return TRUE;
}

static gboolean
eval_present (const SbEval *value)
{
  switch (value->kind)
    {
    case SB_VALUE_NULL:
      return FALSE;
    case SB_VALUE_STRING:
      for (const char *p = value->string; *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          return TRUE;
      return FALSE;
    case SB_VALUE_LIST:
      return list_length (value) > 0;
    default:
      return TRUE;
    }
}

static gboolean
eval_contains (const SbEval *haystack,
               const SbEval *needle)
{
  if (haystack->kind == SB_VALUE_STRING)
    return strstr (haystack->string, needle->string) != NULL;

  for (guint i = 0; i < list_length (haystack); i++)
    {
      SbEval item;

      list_item (haystack, i, &item);
      if (item.kind == SB_VALUE_STRING && g_str_equal (item.string, needle->string))
        return TRUE;
    }
  return FALSE;
}

static gboolean
number_to_count (const SbEval  *value,
                 gint64        *out,
                 GError       **error)
{
  if (!sb_number_to_int (value->number, out))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EVALUATION, _("a whole number is needed to count years, months or days"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
eval_rounding (Function   fn,
               SbEval    *value,
               SbEval    *out,
               GError   **error)
{
  SbNumber result;
  gboolean ok;

  switch (fn)
    {
    case FN_ROUND: ok = sb_number_round (value->number, &result, error); break;
    case FN_FLOOR: ok = sb_number_floor (value->number, &result, error); break;
    case FN_CEIL: ok = sb_number_ceil (value->number, &result, error); break;
    default:
      result = value->number.num < 0 ? sb_number_negate (value->number) : value->number;
      ok = TRUE;
      break;
    }
  if (ok)
    set_number (out, result);
  return ok;
}

/* if, coalesce, present: they decide themselves what an unknown argument
 * means */
static gboolean
eval_control (Node           *node,
              SbEvalContext  *context,
              SbEval         *out,
              GError        **error)
{
  SbEval condition;

  switch (node->call.builtin->id)
    {
    case FN_IF:
      if (!eval_node (arg (node, 0), context, &condition, error))
        return FALSE;
      if (condition.kind == SB_VALUE_NULL)
        {
          set_null (out);
          return TRUE;
        }
      return eval_node (arg (node, condition.boolean ? 1 : 2), context, out, error);
    case FN_COALESCE:
      for (guint i = 0; i < node->call.args->len; i++)
        {
          if (!eval_node (arg (node, i), context, out, error))
            return FALSE;
          if (eval_present (out))
            return TRUE;
        }
      set_null (out);
      return TRUE;
    case FN_PRESENT:
      /* a person or organisation is present when any of its parts is */
      if (arg (node, 0)->type == SB_EXPR_RECORD)
        {
          const SbExprRef *ref = &arg (node, 0)->ref.ref;
          set_bool (out, !sb_value_is_empty (context->lookup (ref->field, context->user_data)));
          return TRUE;
        }
      if (!eval_node (arg (node, 0), context, &condition, error))
        return FALSE;
      set_bool (out, eval_present (&condition));
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
eval_text (Function       fn,
           SbRegex       *regex,
           const SbEval  *a,
           const SbEval  *b,
           SbEvalContext *context,
           SbEval        *out,
           GError       **error)
{
  gboolean matched;

  switch (fn)
    {
    case FN_LEN:
      set_number (out, sb_number_from_int (a->length));
      return TRUE;
    case FN_MATCHES:
      /* PCRE2 bounds the match itself; the budget counts the runs */
      if (!spend (context, SB_EXPR_REGEX_STEPS, error) || !sb_regex_match (regex, a->string, &matched, error))
        return FALSE;
      set_bool (out, matched);
      return TRUE;
    case FN_STARTS_WITH:
      set_bool (out, g_str_has_prefix (a->string, b->string));
      return TRUE;
    case FN_ENDS_WITH:
      set_bool (out, g_str_has_suffix (a->string, b->string));
      return TRUE;
    case FN_CONTAINS:
      if (a->kind == SB_VALUE_LIST && !spend (context, list_length (a), error))
        return FALSE;
      set_bool (out, eval_contains (a, b));
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
eval_date_function (Function       fn,
                    const SbEval  *a,
                    const SbEval  *b,
                    SbEval        *out,
                    GError       **error)
{
  SbDate date = 0;
  gint64 count;
  gboolean ok;
  int year, month, day;

  switch (fn)
    {
    case FN_YEARS_BETWEEN:
      set_number (out, sb_number_from_int (sb_date_years_between (a->date, b->date)));
      return TRUE;
    case FN_MONTHS_BETWEEN:
      set_number (out, sb_number_from_int (sb_date_months_between (a->date, b->date)));
      return TRUE;
    case FN_DAYS_BETWEEN:
      set_number (out, sb_number_from_int ((gint64) b->date - (gint64) a->date));
      return TRUE;
    case FN_ADD_YEARS:
    case FN_ADD_MONTHS:
      if (!number_to_count (b, &count, error))
        return FALSE;
      ok = (fn == FN_ADD_MONTHS || (count <= 1000 && count >= -1000)) &&
           sb_date_add_months (a->date, fn == FN_ADD_YEARS ? count * 12 : count, &date);
      return set_date_or_fail (out, ok, date, error);
    case FN_ADD_DAYS:
      if (!number_to_count (b, &count, error))
        return FALSE;
      ok = sb_date_add_days (a->date, count, &date);
      return set_date_or_fail (out, ok, date, error);
    case FN_YEAR:
      sb_date_to_ymd (a->date, &year, &month, &day);
      set_number (out, sb_number_from_int (year));
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* uscc, id_card, mobile, email, birth_date */
static gboolean
eval_identifier (Function       fn,
                 const SbEval  *a,
                 SbEval        *out,
                 GError       **error)
{
  SbDate date = 0;

  switch (fn)
    {
    case FN_USCC:
      set_bool (out, sb_check_uscc (a->string));
      return TRUE;
    case FN_ID_CARD:
      set_bool (out, sb_check_id_card (a->string, NULL));
      return TRUE;
    case FN_MOBILE:
      set_bool (out, sb_check_mobile (a->string));
      return TRUE;
    case FN_EMAIL:
      set_bool (out, sb_check_email (a->string));
      return TRUE;
    case FN_BIRTH_DATE:
      if (sb_check_id_card (a->string, &date))
        return set_date_or_fail (out, TRUE, date, error);
      set_null (out);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* The remaining functions are strict: an unknown argument gives unknown. */
static gboolean
eval_strict (Node           *node,
             SbEvalContext  *context,
             SbEval         *out,
             GError        **error)
{
  Function fn = node->call.builtin->id;
  SbEval a = { 0 }, b = { 0 };

  if (!eval_node (arg (node, 0), context, &a, error))
    return FALSE;
  if (node->call.args->len > 1 && !eval_node (arg (node, 1), context, &b, error))
    return FALSE;
  if (a.kind == SB_VALUE_NULL || (node->call.args->len > 1 && b.kind == SB_VALUE_NULL))
    {
      set_null (out);
      return TRUE;
    }

  switch (fn)
    {
    case FN_LEN:
    case FN_MATCHES:
    case FN_STARTS_WITH:
    case FN_ENDS_WITH:
    case FN_CONTAINS:
      return eval_text (fn, node->call.regex, &a, &b, context, out, error);
    case FN_SAME_NAME:
      {
        g_autofree char *x = sb_normalise_name (a.string);
        g_autofree char *y = sb_normalise_name (b.string);

        set_bool (out, g_str_equal (x, y));
        return TRUE;
      }
    case FN_YEARS_BETWEEN:
    case FN_MONTHS_BETWEEN:
    case FN_DAYS_BETWEEN:
    case FN_ADD_YEARS:
    case FN_ADD_MONTHS:
    case FN_ADD_DAYS:
    case FN_YEAR:
      return eval_date_function (fn, &a, &b, out, error);
    case FN_USCC:
    case FN_ID_CARD:
    case FN_MOBILE:
    case FN_EMAIL:
    case FN_BIRTH_DATE:
      return eval_identifier (fn, &a, out, error);
    case FN_ROUND:
    case FN_FLOOR:
    case FN_CEIL:
    case FN_ABS:
      return eval_rounding (fn, &a, out, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
eval_call (Node           *node,
           SbEvalContext  *context,
           SbEval         *out,
           GError        **error)
{
  switch (node->call.builtin->id)
    {
    case FN_ALL:
    case FN_ANY:
    case FN_COUNT_IF:
      return eval_rows (node, context, out, error);
    case FN_MIN:
    case FN_MAX:
      return eval_extreme (node, context, out, error);
    case FN_SUM:
    case FN_COUNT:
      return eval_sum_count (node, context, out, error);
    case FN_IF:
    case FN_COALESCE:
    case FN_PRESENT:
      return eval_control (node, context, out, error);
    default:
      return eval_strict (node, context, out, error);
    }
}

static gboolean
eval_node (Node           *node,
           SbEvalContext  *context,
           SbEval         *out,
           GError        **error)
{
  if (!spend (context, 1, error))
    return FALSE;

  switch (node->kind)
    {
    case NODE_LITERAL:
      *out = node->literal.value;
      return TRUE;
    case NODE_REF:
      return eval_ref (node, context, out, error);
    case NODE_NEGATE:
      if (!eval_node (node->operand, context, out, error))
        return FALSE;
      if (out->kind == SB_VALUE_NUMBER)
        out->number = sb_number_negate (out->number);
      return TRUE;
    case NODE_NOT:
      if (!eval_node (node->operand, context, out, error))
        return FALSE;
      if (out->kind == SB_VALUE_BOOL)
        out->boolean = !out->boolean;
      return TRUE;
    case NODE_AND:
    case NODE_OR:
      return eval_logic (node, context, out, error);
    case NODE_BINARY:
      return eval_binary (node, context, out, error);
    case NODE_CALL:
      return eval_call (node, context, out, error);
    }
  g_assert_not_reached ();
}

gboolean
sb_expr_evaluate (SbExpr         *expr,
                  SbEvalContext  *context,
                  SbEval         *out,
                  GError        **error)
{
  guint64 own_budget = SB_EXPR_MAX_STEPS;
  gboolean ok;

  g_return_val_if_fail (expr->checked, FALSE);

  if (context->steps_left != NULL)
    return eval_node (expr->root, context, out, error);

  context->steps_left = &own_budget;
  ok = eval_node (expr->root, context, out, error);
  context->steps_left = NULL;
  return ok;
}

/* Values as people read them: money in 万元 (Chinese) or grouped 元
 * (English), numbers exact to 4 decimals, dates as YYYY-MM-DD. */
char *
sb_eval_format (const SbEval *value,
                SbExprType    type,
                gboolean      chinese)
{
  switch (value->kind)
    {
    case SB_VALUE_NULL:
      return g_strdup (chinese ? "（未填写）" : "(not filled in)");
    case SB_VALUE_BOOL:
      return g_strdup (value->boolean ? (chinese ? "是" : "yes") : (chinese ? "否" : "no"));
    case SB_VALUE_NUMBER:
      if (type == SB_EXPR_MONEY)
        return sb_money_format_exact (value->number, chinese);
      return sb_number_format (value->number, 4);
    case SB_VALUE_STRING:
      if (value->length > 60)
        {
          const char *cut = g_utf8_offset_to_pointer (value->string, 57);
          return g_strdup_printf ("%.*s…", (int) (cut - value->string), value->string);
        }
      return g_strdup (value->string);
    case SB_VALUE_DATE:
      return sb_date_format (value->date);
    case SB_VALUE_LIST:
      {
        g_autoptr(GString) joined = g_string_new (NULL);

        for (guint i = 0; i < list_length (value) && i < 10; i++)
          {
            g_autofree char *item_text = NULL;
            SbEval item;

            list_item (value, i, &item);
            item_text = sb_eval_format (&item, SB_EXPR_BASE (type), chinese);
            if (i > 0)
              g_string_append (joined, chinese ? "、" : ", ");
            g_string_append (joined, item_text);
          }
        if (list_length (value) > 10)
          g_string_append (joined, "…");
        return g_string_free (g_steal_pointer (&joined), FALSE);
      }
    default:
      return g_strdup ("");
    }
}
