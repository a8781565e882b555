/* sb-expr.h — the rule expression language
 *
 * Expressions are parsed once, when a call definition is loaded, then
 * checked: every name resolved to a field, every operation typed. A rule
 * that compares money with a plain number, or names a field that does not
 * exist, never reaches an applicant. Evaluation is exact (see sb-number.h)
 * and treats an unanswered field as unknown: "unknown > 150万" is unknown,
 * and a rule that comes out unknown is not decided.
 *
 * The language is documented in forms/README.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-date.h"
#include "sb-number.h"
#include "sb-value.h"

G_BEGIN_DECLS

#define SB_TYPE_EXPR (sb_expr_get_type ())

#define SB_EXPR_MAX_DEPTH 100        /* parentheses, calls, prefix operators */
#define SB_EXPR_MAX_TREE_DEPTH 1000  /* operations in a chain */
#define SB_EXPR_MAX_ROW_DEPTH 4

/* The evaluation budget: steps (an operation, a function call, an item of
 * a list or a row visited) for all the checks of one draft, whatever the
 * call file asks for. A call whose checks could need more on a draft at
 * its limits (every table at SB_EXPR_MAX_LIST_ITEMS rows) is refused when
 * it is loaded; evaluation counts the steps anyway and stops with a clear
 * error when they run out. */
#define SB_EXPR_MAX_STEPS 10000000
#define SB_EXPR_MAX_LIST_ITEMS 1000   /* rows of a table, items of a list */
#define SB_EXPR_REGEX_STEPS 100       /* one bounded run of a pattern */

typedef enum {
  SB_EXPR_NULL = 0,    /* unknown; only while checking */
  SB_EXPR_BOOL,
  SB_EXPR_NUMBER,
  SB_EXPR_MONEY,
  SB_EXPR_STRING,
  SB_EXPR_DATE,
  SB_EXPR_TABLE,
  SB_EXPR_RECORD,
  SB_EXPR_LIST = 0x100,  /* flag: a list of the base type */
} SbExprType;

#define SB_EXPR_BASE(t) ((SbExprType) ((t) & 0xFF))

typedef enum {
  SB_REF_FIELD,       /* a whole field: project_name */
  SB_REF_MEMBER,      /* a part of a person or organisation: pi.degree */
  SB_REF_COLUMN,      /* a table column as a list: budget.amount */
  SB_REF_ROW_COLUMN,  /* one row's cell, inside all()/any()/count_if()/row rules */
  SB_REF_TABLE,       /* the rows of a table: partners */
} SbRefKind;

typedef struct {
  SbRefKind   kind;
  SbExprType  type;
  gpointer    field;    /* the top-level field; owned by the call */
  char       *member;   /* subfield or column id */
} SbExprRef;

/* The outcome of evaluating an expression. Strings and lists are borrowed
 * from the draft's values, so evaluation allocates nothing. */
typedef struct {
  SbValueKind      kind;     /* NULL means unknown */
  gboolean         boolean;
  SbNumber         number;
  const char      *string;
  glong            length;   /* characters of string */
  SbDate           date;
  const GPtrArray *items;    /* SbValue*; for a column, the rows */
  const char      *column;   /* when items are rows: the cell to take */
} SbEval;

typedef struct {
  gboolean (*resolve)  (const char  *name,
                        SbExprRef   *out,
                        gpointer     user_data,
                        GError     **error);
  gboolean (*deadline) (const char  *id,
                        SbDate      *out,
                        gpointer     user_data,
                        GError     **error);
  /* the options (SbOption) of the choice that a reference names, or NULL:
   * what a message shows for a choice without knowing fields */
  GArray  *(*options)  (const SbExprRef *ref,
                        gpointer         user_data);
  gpointer user_data;
} SbExprResolver;

typedef struct {
  /* the effective value of a top-level field: NULL when unanswered or not
   * relevant; calculated fields computed */
  const SbValue *(*lookup) (gpointer field,
                            gpointer user_data);
  gpointer user_data;
  struct {
    gpointer       table;
    const SbValue *row;
  } rows[SB_EXPR_MAX_ROW_DEPTH + 1];
  guint n_rows;
  /* steps left, shared by the evaluations of one run; NULL: each
   * evaluation gets a budget of its own */
  guint64 *steps_left;
} SbEvalContext;

typedef struct _SbExpr SbExpr;

GType        sb_expr_get_type         (void) G_GNUC_CONST;

SbExpr      *sb_expr_parse            (const char            *source,
                                       GError               **error);
gboolean     sb_expr_check            (SbExpr                *expr,
                                       const SbExprResolver  *resolver,
                                       gpointer               row_table,
                                       GError               **error);
SbExpr      *sb_expr_ref              (SbExpr                *expr);
void         sb_expr_unref            (SbExpr                *expr);

const char  *sb_expr_get_source       (SbExpr                *expr);
SbExprType   sb_expr_get_result_type  (SbExpr                *expr);
guint64      sb_expr_get_cost         (SbExpr                *expr);
void         sb_expr_collect_fields   (SbExpr                *expr,
                                       GPtrArray             *fields);
const SbExprRef *sb_expr_get_root_ref (SbExpr                *expr);

gboolean     sb_expr_evaluate         (SbExpr                *expr,
                                       SbEvalContext         *context,
                                       SbEval                *out,
                                       GError               **error);

const char  *sb_expr_type_to_string   (SbExprType             type);
void         sb_eval_from_value       (const SbValue         *value,
                                       SbEval                *out);
char        *sb_eval_format           (const SbEval          *value,
                                       SbExprType             type,
                                       gboolean               chinese);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbExpr, sb_expr_unref)

G_END_DECLS
