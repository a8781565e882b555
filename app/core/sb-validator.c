/* sb-validator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sb-blind-review.h"
#include "sb-checks.h"
#include "sb-file.h"
#include "sb-json.h"
#include "sb-validator.h"

typedef enum { STEP_UNKNOWN = -1, STEP_HIDDEN = 0, STEP_SHOWN = 1 } StepState;

struct _SbValidator
{
  GObject          parent_instance;

  SbCall          *call;
  SbDraft         *draft;          /* during a run */
  GPtrArray       *problems;       /* during a run */
  SbValidateFlags  flags;

  guint            n_fields;
  const SbValue  **effective;      /* by field index; NULL when empty or not relevant */
  gboolean        *relevant;
  SbValue        **computed;       /* owned values of calculated fields */
  StepState       *steps;
  SbValue         *no_rows;        /* an empty table, for tables never filled in */
  guint64          steps_left;     /* the evaluation budget of a run */
  gboolean         budget_spent;   /* and its end reported */
  GHashTable      *seen;           /* local path → SeenFile: what SB_VALIDATE_FILES read */
};

/* An attached file as validation read it, whole. */
typedef struct {
  gint64  size;
  char   *sha256;
} SeenFile;

static void
seen_file_free (SeenFile *seen)
{
  g_free (seen->sha256);
  g_free (seen);
}

G_DEFINE_FINAL_TYPE (SbValidator, sb_validator, G_TYPE_OBJECT)

static void
clear_run (SbValidator *self)
{
  for (guint i = 0; i < self->n_fields; i++)
    {
      g_clear_pointer (&self->computed[i], sb_value_unref);
      self->effective[i] = NULL;
      self->relevant[i] = FALSE;
    }
  for (guint i = 0; i < sb_call_get_steps (self->call)->len; i++)
    self->steps[i] = STEP_UNKNOWN;
  g_hash_table_remove_all (self->seen);
  g_clear_object (&self->draft);
}

static void
sb_validator_finalize (GObject *object)
{
  SbValidator *self = SB_VALIDATOR (object);

  clear_run (self);
  g_free (self->effective);
  g_free (self->relevant);
  g_free (self->computed);
  g_free (self->steps);
  g_clear_pointer (&self->no_rows, sb_value_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_object (&self->call);

  G_OBJECT_CLASS (sb_validator_parent_class)->finalize (object);
}

static void
sb_validator_class_init (SbValidatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_validator_finalize;
}

static void
sb_validator_init (SbValidator *self)
{
}

SbValidator *
sb_validator_new (SbCall *call)
{
  SbValidator *self = g_object_new (SB_TYPE_VALIDATOR, NULL);

  self->call = g_object_ref (call);
  self->n_fields = sb_call_get_fields (call)->len;
  self->effective = g_new0 (const SbValue *, self->n_fields);
  self->relevant = g_new0 (gboolean, self->n_fields);
  self->computed = g_new0 (SbValue *, self->n_fields);
  self->steps = g_new0 (StepState, sb_call_get_steps (call)->len);
  self->no_rows = sb_value_new_list ();
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) seen_file_free);
  return self;
}

static const SbValue *
lookup_field (gpointer field,
              gpointer user_data)
{
  SbValidator *self = user_data;

  return self->effective[sb_field_get_index (field)];
}

static void
init_context (SbValidator   *self,
              SbEvalContext *context)
{
  memset (context, 0, sizeof *context);
  context->lookup = lookup_field;
  context->user_data = self;
  context->steps_left = &self->steps_left;
}

/* Problems */

static SbProblem *
add_problem (SbValidator      *self,
             SbSeverity        severity,
             const char       *code,
             const char       *path,
             SbField          *field,
             const SbCitation *citation,
             char             *message_zh,
             char             *message_en)
{
  SbProblem *problem = sb_problem_new (severity, code, path, field ? sb_field_get_id (field) : NULL);

  problem->message_zh = message_zh;
  problem->message_en = message_en;
  if (citation != NULL && citation->clause != NULL)
    {
      problem->clause = g_strdup (citation->clause);
      problem->quote = g_strdup (citation->quote);
    }
  g_ptr_array_add (self->problems, problem);
  return problem;
}

static void
add_evaluation_problem (SbValidator  *self,
                        const char   *what,
                        const char   *definition_path,
                        const char   *path,
                        SbField      *field,
                        const GError *error)
{
  /* once the budget is spent, every evaluation fails the same way: said once */
  if (self->steps_left == 0)
    {
      if (self->budget_spent)
        return;
      self->budget_spent = TRUE;
    }
  add_problem (self, SB_SEVERITY_ERROR, "evaluation", path, field, NULL,
               g_strdup_printf ("无法计算%s（定义 %s）：%s；在能够计算之前不能导出。", what, definition_path, error->message),
               g_strdup_printf ("%s could not be computed (definition %s): %s; export is blocked until it can be.",
                                what, definition_path, error->message));
}

/* Relevance and calculated values */

typedef enum { VERDICT_FALSE, VERDICT_TRUE, VERDICT_UNKNOWN } Verdict;

static Verdict
evaluate_verdict (SbValidator *self,
                  SbExpr      *condition,
                  const char  *what,
                  const char  *definition_path,
                  const char  *problem_path,
                  SbField     *field)
{
  g_autoptr(GError) error = NULL;
  SbEvalContext context;
  SbEval result;

  if (condition == NULL)
    return VERDICT_TRUE;

  init_context (self, &context);
  if (!sb_expr_evaluate (condition, &context, &result, &error))
    {
      add_evaluation_problem (self, what, definition_path, problem_path, field, error);
      return VERDICT_UNKNOWN;
    }
  if (result.kind != SB_VALUE_BOOL)
    return VERDICT_UNKNOWN;
  return result.boolean ? VERDICT_TRUE : VERDICT_FALSE;
}

/* Unknown counts as not relevant, the way a form hides a question until the
 * answer it depends on is given. */
static gboolean
evaluate_condition (SbValidator *self,
                    SbExpr      *condition,
                    const char  *what,
                    const char  *definition_path,
                    const char  *problem_path,
                    SbField     *field)
{
  return evaluate_verdict (self, condition, what, definition_path, problem_path, field) == VERDICT_TRUE;
}

static gboolean
step_is_shown (SbValidator *self,
               int          index)
{
  SbStep *step;

  if (index < 0)
    return TRUE;

  if (self->steps[index] == STEP_UNKNOWN)
    {
      step = &g_array_index (sb_call_get_steps (self->call), SbStep, index);
      self->steps[index] = evaluate_condition (self, step->relevant, step->id, step->relevant_path, "$", NULL)
                           ? STEP_SHOWN : STEP_HIDDEN;
    }
  return self->steps[index] == STEP_SHOWN;
}

static SbValue *
calculate (SbValidator *self,
           SbField     *field)
{
  g_autoptr(GError) error = NULL;
  SbEvalContext context;
  SbEval result;
  SbNumber rounded;

  init_context (self, &context);
  if (!sb_expr_evaluate (sb_field_get_calculate (field), &context, &result, &error))
    {
      g_autofree char *path = sb_json_path_member ("$.values", sb_field_get_id (field));
      g_autofree char *definition_path = sb_json_path_member (sb_field_get_path (field), "calculate");

      add_evaluation_problem (self, sb_field_get_id (field), definition_path, path, field, error);
      return NULL;
    }

  switch (result.kind)
    {
    case SB_VALUE_NUMBER:
      /* money is whole 元, rounded half away from zero (四舍五入) */
      if (sb_field_get_field_type (field) == SB_FIELD_DECIMAL ||
          !sb_number_round (result.number, &rounded, NULL))
        rounded = result.number;
      return sb_value_new_number (rounded);
    case SB_VALUE_BOOL:
      return sb_value_new_bool (result.boolean);
    case SB_VALUE_STRING:
      return sb_value_new_string (result.string);
    case SB_VALUE_DATE:
      return sb_value_new_date (result.date);
    default:
      return NULL;
    }
}

static void
compute_effective_values (SbValidator *self)
{
  GPtrArray *order = sb_call_get_evaluation_order (self->call);

  for (guint i = 0; i < order->len; i++)
    {
      SbField *field = g_ptr_array_index (order, i);
      int index = sb_field_get_index (field);
      g_autofree char *definition_path = sb_json_path_member (sb_field_get_path (field), "relevant");
      g_autofree char *what = g_strdup_printf ("relevant(%s)", sb_field_get_id (field));
      g_autofree char *path = sb_json_path_member ("$.values", sb_field_get_id (field));

      self->relevant[index] = step_is_shown (self, sb_field_get_step (field)) &&
                              evaluate_condition (self, sb_field_get_relevant (field), what,
                                                  definition_path, path, field);
      if (!self->relevant[index])
        continue;

      if (sb_field_get_calculate (field) != NULL)
        {
          self->computed[index] = calculate (self, field);
          self->effective[index] = self->computed[index];
        }
      else
        self->effective[index] = sb_draft_get_value (self->draft, sb_field_get_id (field));
    }
}

/* Built-in checks of each value against its field */

typedef struct {
  const char *path;
  char       *zh;    /* how the value is named: 「项目负责人」的「学历学位」 */
  char       *en;
  SbField    *top;
} Where;

static void
where_clear (Where *where)
{
  g_free (where->zh);
  g_free (where->en);
}

static char *
format_value (const SbValue *value,
              SbExprType     type,
              gboolean       chinese)
{
  SbEval eval;

  sb_eval_from_value (value, &eval);
  return sb_eval_format (&eval, type, chinese);
}

static char *
format_number (SbNumber   number,
               SbField   *field,
               gboolean   chinese)
{
  SbEval eval = { .kind = SB_VALUE_NUMBER, .number = number };

  return sb_eval_format (&eval, sb_field_get_expr_type (field), chinese);
}

static void
field_problem (SbValidator  *self,
               Where        *where,
               SbField      *field,
               const char   *code,
               char         *zh,
               char         *en)
{
  const SbCitation *citation = sb_field_get_citation (field);

  /* a cell of a table, a part of a person: the clause of the field that
   * holds them, unless the column or part cites its own */
  if ((citation == NULL || citation->clause == NULL) && where->top != NULL)
    citation = sb_field_get_citation (where->top);
  add_problem (self, SB_SEVERITY_ERROR, code, where->path, where->top, citation, zh, en);
}

static void check_value (SbValidator *self, SbField *field, const SbValue *value, Where *where);

static void
check_text (SbValidator   *self,
            SbField       *field,
            const SbValue *value,
            Where         *where)
{
  const char *text = sb_value_get_string (value);
  glong length = sb_value_get_length (value);
  gint64 limit;
  SbRegex *pattern = sb_field_get_pattern (field);
  g_autoptr(GError) regex_error = NULL;
  gboolean matched = TRUE;
  g_autofree char *shown = NULL;

  if (sb_field_get_min_length (field, &limit) && length < limit)
    field_problem (self, where, field, "min_length",
                   g_strdup_printf ("%s至少需要%" G_GINT64_FORMAT "个字，现有%ld个字。", where->zh, limit, length),
                   g_strdup_printf ("%s needs at least %" G_GINT64_FORMAT " characters; it has %ld.",
                                    where->en, limit, length));

  if (sb_field_get_max_length (field, &limit) && length > limit)
    field_problem (self, where, field, "max_length",
                   g_strdup_printf ("%s最多%" G_GINT64_FORMAT "个字，现有%ld个字，超出%" G_GINT64_FORMAT "个字。",
                                    where->zh, limit, length, (gint64) length - limit),
                   g_strdup_printf ("%s takes at most %" G_GINT64_FORMAT " characters; it has %ld, %"
                                    G_GINT64_FORMAT " too many.", where->en, limit, length, (gint64) length - limit));
  else if (!sb_field_get_max_length (field, &limit) &&
           length > (limit = sb_field_get_field_type (field) == SB_FIELD_TEXT ? SB_TEXT_LIMIT : SB_TEXTAREA_LIMIT))
    add_problem (self, SB_SEVERITY_WARNING, "technical_limit", where->path, where->top, NULL,
                 g_strdup_printf ("%s有%ld个字，超过本软件为此类文字设定的%" G_GINT64_FORMAT "字上限（本软件的技术限制，不是申报通知的规定），"
                                  "打印时可能显示不全。", where->zh, length, limit),
                 g_strdup_printf ("%s has %ld characters, more than the %" G_GINT64_FORMAT " Shenbao allows for this kind of "
                                  "text (a technical limit of Shenbao, not a rule of the call); it may not print in full.",
                                  where->en, length, limit));

  shown = format_value (value, SB_EXPR_STRING, TRUE);
  switch (sb_field_get_format (field))
    {
    case SB_FORMAT_USCC:
      if (!sb_check_uscc (text))
        field_problem (self, where, field, "format_uscc",
                       g_strdup_printf ("%s“%s”不是有效的统一社会信用代码（18位，末位校验码须符合GB 32100-2015）。",
                                        where->zh, shown),
                       g_strdup_printf ("%s “%s” is not a valid unified social credit code (18 characters, "
                                        "check character per GB 32100-2015).", where->en, shown));
      break;
    case SB_FORMAT_ID_CARD:
      if (!sb_check_id_card (text, NULL))
        field_problem (self, where, field, "format_id_card",
                       g_strdup_printf ("%s“%s”不是有效的居民身份证号码（18位，出生日期与末位校验码须正确）。",
                                        where->zh, shown),
                       g_strdup_printf ("%s “%s” is not a valid resident ID number (18 characters with a valid "
                                        "birth date and check character).", where->en, shown));
      break;
    case SB_FORMAT_MOBILE:
      if (!sb_check_mobile (text))
        field_problem (self, where, field, "format_mobile",
                       g_strdup_printf ("%s“%s”不是有效的手机号码（11位，以1开头）。", where->zh, shown),
                       g_strdup_printf ("%s “%s” is not a valid mobile number (11 digits starting with 1).",
                                        where->en, shown));
      break;
    case SB_FORMAT_EMAIL:
      if (!sb_check_email (text))
        field_problem (self, where, field, "format_email",
                       g_strdup_printf ("%s“%s”不是有效的电子邮箱地址。", where->zh, shown),
                       g_strdup_printf ("%s “%s” is not a valid e-mail address.", where->en, shown));
      break;
    default:
      break;
    }

  /* one run of the pattern, bounded by PCRE2 and counted in the budget */
  if (pattern != NULL && self->steps_left < SB_EXPR_REGEX_STEPS)
    {
      self->steps_left = 0;
      g_set_error (&regex_error, SB_ERROR, SB_ERROR_EVALUATION,
                   _("the checks need more than %d steps of evaluation, the most a draft may take"), SB_EXPR_MAX_STEPS);
    }
  else if (pattern != NULL)
    self->steps_left -= SB_EXPR_REGEX_STEPS;

  if (regex_error != NULL || (pattern != NULL && !sb_regex_match (pattern, text, &matched, &regex_error)))
    field_problem (self, where, field, "evaluation",
                   g_strdup_printf ("%s无法按格式要求检查：%s", where->zh, regex_error->message),
                   g_strdup_printf ("%s could not be checked against its pattern: %s", where->en, regex_error->message));
  else if (!matched)
    field_problem (self, where, field, "pattern",
                   g_strdup_printf ("%s“%s”格式不符：%s", where->zh, shown, sb_field_get_pattern_hint (field)->zh),
                   g_strdup_printf ("%s “%s” does not have the expected form: %s", where->en, shown,
                                    sb_field_get_pattern_hint (field)->en));
}

static void
check_number (SbValidator   *self,
              SbField       *field,
              const SbValue *value,
              Where         *where)
{
  SbNumber number = sb_value_get_number (value), bound;
  int order;

  if (sb_field_get_min (field, &bound) && sb_number_compare (number, bound, &order, NULL) && order < 0)
    {
      g_autofree char *zh_bound = format_number (bound, field, TRUE);
      g_autofree char *en_bound = format_number (bound, field, FALSE);
      g_autofree char *zh_value = format_number (number, field, TRUE);
      g_autofree char *en_value = format_number (number, field, FALSE);

      field_problem (self, where, field, "min",
                     g_strdup_printf ("%s不得小于%s，现为%s。", where->zh, zh_bound, zh_value),
                     g_strdup_printf ("%s must be at least %s; it is %s.", where->en, en_bound, en_value));
    }

  if (sb_field_get_max (field, &bound) && sb_number_compare (number, bound, &order, NULL) && order > 0)
    {
      g_autofree char *zh_bound = format_number (bound, field, TRUE);
      g_autofree char *en_bound = format_number (bound, field, FALSE);
      g_autofree char *zh_value = format_number (number, field, TRUE);
      g_autofree char *en_value = format_number (number, field, FALSE);

      field_problem (self, where, field, "max",
                     g_strdup_printf ("%s不得超过%s，现为%s。", where->zh, zh_bound, zh_value),
                     g_strdup_printf ("%s must be at most %s; it is %s.", where->en, en_bound, en_value));
    }
}

static void
check_choice (SbValidator *self,
              SbField     *field,
              const char  *chosen,
              Where       *where)
{
  const SbOption *option = sb_field_find_option (field, chosen);

  if (option == NULL)
    {
      field_problem (self, where, field, "choice",
                     g_strdup_printf ("%s的“%s”不是可选的选项。", where->zh, chosen),
                     g_strdup_printf ("%s: “%s” is not one of the options.", where->en, chosen));
      return;
    }

  /* refused only when the answers it depends on rule it out, not while
   * they are still missing */
  if (option->relevant != NULL &&
      evaluate_verdict (self, option->relevant, chosen, option->relevant_path, where->path, where->top) == VERDICT_FALSE)
    field_problem (self, where, field, "choice_unavailable",
                   g_strdup_printf ("%s的“%s”与已填写的其他内容不符，不能选择。", where->zh, option->label.zh),
                   g_strdup_printf ("%s: “%s” cannot be chosen with the other answers given.",
                                    where->en, option->label.en));
}

static void
check_choices (SbValidator   *self,
               SbField       *field,
               const SbValue *value,
               Where         *where)
{
  GPtrArray *items = sb_value_get_list (value);
  gint64 min, max;

  for (guint i = 0; i < items->len; i++)
    check_choice (self, field, sb_value_get_string (g_ptr_array_index (items, i)), where);

  sb_field_get_choice_limits (field, &min, &max);
  if (min >= 0 && items->len < min)
    field_problem (self, where, field, "min_choices",
                   g_strdup_printf ("%s至少选择%" G_GINT64_FORMAT "项，现选%u项。", where->zh, min, items->len),
                   g_strdup_printf ("%s needs at least %" G_GINT64_FORMAT " choices; %u are chosen.",
                                    where->en, min, items->len));
  if (max >= 0 && items->len > max)
    field_problem (self, where, field, "max_choices",
                   g_strdup_printf ("%s最多选择%" G_GINT64_FORMAT "项，现选%u项。", where->zh, max, items->len),
                   g_strdup_printf ("%s takes at most %" G_GINT64_FORMAT " choices; %u are chosen.",
                                    where->en, max, items->len));
}

static void
check_children (SbValidator   *self,
                SbField       *field,
                const SbValue *record,
                Where         *where,
                const char    *zh_joiner,
                const char    *en_joiner)
{
  GPtrArray *children = sb_field_get_children (field);

  for (guint i = 0; i < children->len; i++)
    {
      SbField *child = g_ptr_array_index (children, i);
      g_autofree char *path = sb_json_path_member (where->path, sb_field_get_id (child));
      Where inner = {
        path,
        g_strdup_printf ("%s%s「%s」", where->zh, zh_joiner, sb_field_get_label (child)->zh),
        g_strdup_printf ("%s%s“%s”", where->en, en_joiner, sb_field_get_label (child)->en),
        where->top,
      };
      const SbValue *value = sb_value_record_get (record, sb_field_get_id (child));

      if (sb_value_is_empty (value))
        {
          if (sb_field_get_required (child))
            field_problem (self, &inner, child, "required",
                           g_strdup_printf ("%s必填，尚未填写。", inner.zh),
                           g_strdup_printf ("%s is required but empty.", inner.en));
        }
      else
        check_value (self, child, value, &inner);
      where_clear (&inner);
    }
}

static void
check_row_rules (SbValidator   *self,
                 SbField       *table,
                 const SbValue *row,
                 guint          index,
                 const char    *row_path);

static void
check_table (SbValidator   *self,
             SbField       *field,
             const SbValue *value,
             Where         *where)
{
  GPtrArray *rows = sb_value_get_list (value);
  gint64 min, max;

  sb_field_get_row_limits (field, &min, &max);
  if (min >= 0 && rows->len < min)
    field_problem (self, where, field, "min_rows",
                   g_strdup_printf ("%s至少需要%" G_GINT64_FORMAT "行，现有%u行。", where->zh, min, rows->len),
                   g_strdup_printf ("%s needs at least %" G_GINT64_FORMAT " rows; it has %u.", where->en, min, rows->len));
  if (max >= 0 && rows->len > max)
    field_problem (self, where, field, "max_rows",
                   g_strdup_printf ("%s最多%" G_GINT64_FORMAT "行，现有%u行。", where->zh, max, rows->len),
                   g_strdup_printf ("%s takes at most %" G_GINT64_FORMAT " rows; it has %u.", where->en, max, rows->len));

  for (guint i = 0; i < rows->len; i++)
    {
      const SbValue *row = g_ptr_array_index (rows, i);
      g_autofree char *row_path = sb_json_path_index (where->path, i);
      g_autofree char *zh_row = g_strdup_printf ("第%u行", i + 1);
      g_autofree char *en_row = g_strdup_printf (", row %u,", i + 1);
      Where inner = { row_path, g_strconcat (where->zh, zh_row, NULL), g_strconcat (where->en, en_row, NULL), where->top };

      check_children (self, field, row, &inner, "", " ");
      check_row_rules (self, field, row, i, row_path);
      where_clear (&inner);
    }
}

static void
check_value (SbValidator   *self,
             SbField       *field,
             const SbValue *value,
             Where         *where)
{
  switch (sb_field_get_field_type (field))
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
      check_text (self, field, value, where);
      break;
    case SB_FIELD_MONEY:
    case SB_FIELD_INTEGER:
    case SB_FIELD_DECIMAL:
      check_number (self, field, value, where);
      break;
    case SB_FIELD_CHOICE:
      check_choice (self, field, sb_value_get_string (value), where);
      break;
    case SB_FIELD_MULTI_CHOICE:
      check_choices (self, field, value, where);
      break;
    case SB_FIELD_DECLARATION:
      if (!sb_value_get_bool (value))
        field_problem (self, where, field, "declaration",
                       g_strdup_printf ("须确认声明%s。", where->zh),
                       g_strdup_printf ("The declaration %s must be confirmed.", where->en));
      break;
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      check_children (self, field, value, where, "的", "’s ");
      break;
    case SB_FIELD_TABLE:
      check_table (self, field, value, where);
      break;
    default:
      break;
    }
}

static void
check_fields (SbValidator *self)
{
  GPtrArray *fields = sb_call_get_fields (self->call);

  for (guint i = 0; i < fields->len; i++)
    {
      SbField *field = g_ptr_array_index (fields, i);
      const SbValue *value = self->effective[i];
      g_autofree char *path = NULL;
      Where where;

      if (!self->relevant[i])
        continue;

      path = sb_json_path_member ("$.values", sb_field_get_id (field));
      where.path = path;
      where.zh = g_strdup_printf ("「%s」", sb_field_get_label (field)->zh);
      where.en = g_strdup_printf ("“%s”", sb_field_get_label (field)->en);
      where.top = field;

      /* a calculated value is held to its field's bounds too: self-raised
       * funds below zero mean the subsidy exceeds the total */
      if (sb_field_get_calculate (field) != NULL)
        {
          if (value != NULL)
            check_value (self, field, value, &where);
        }
      else if (sb_value_is_empty (value))
        {
          if (sb_field_get_field_type (field) == SB_FIELD_DECLARATION)
            field_problem (self, &where, field, "declaration",
                           g_strdup_printf ("须确认声明%s。", where.zh),
                           g_strdup_printf ("The declaration %s must be confirmed.", where.en));
          else if (sb_field_get_required (field))
            field_problem (self, &where, field, "required",
                           g_strdup_printf ("%s必填，尚未填写。", where.zh),
                           g_strdup_printf ("%s is required but empty.", where.en));
          else if (sb_field_get_field_type (field) == SB_FIELD_TABLE ||
                   sb_field_get_field_type (field) == SB_FIELD_MULTI_CHOICE)
            check_value (self, field, self->no_rows, &where);
        }
      else
        check_value (self, field, value, &where);
      where_clear (&where);
    }
}

/* A draft of an older version of its call was moved to this one on load:
 * say so once, with what was dropped. */
static void
report_migration (SbValidator *self)
{
  GPtrArray *dropped = sb_draft_get_dropped (self->draft);
  g_autoptr(GString) list = g_string_new (NULL);

  if (sb_draft_get_migrated_from (self->draft) == 0)
    return;
  for (guint i = 0; i < dropped->len; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (dropped, i));
  add_problem (self, SB_SEVERITY_INFO, "draft_migrated", "$.call", NULL, NULL,
               dropped->len > 0
               ? g_strdup_printf ("草稿由申报通知定义第%" G_GINT64_FORMAT "版转为第%" G_GINT64_FORMAT "版，新版不再有的内容已删除：%s。保存时原文件另存为备份。",
                                  sb_draft_get_migrated_from (self->draft), sb_call_get_version (self->call), list->str)
               : g_strdup_printf ("草稿由申报通知定义第%" G_GINT64_FORMAT "版转为第%" G_GINT64_FORMAT "版，内容全部保留。保存时原文件另存为备份。",
                                  sb_draft_get_migrated_from (self->draft), sb_call_get_version (self->call)),
               dropped->len > 0
               ? g_strdup_printf ("The draft was made with version %" G_GINT64_FORMAT " of the call and moved to version %"
                                  G_GINT64_FORMAT "; what the new version no longer has was dropped: %s. The original file "
                                  "is kept as a backup when the draft is saved.",
                                  sb_draft_get_migrated_from (self->draft), sb_call_get_version (self->call), list->str)
               : g_strdup_printf ("The draft was made with version %" G_GINT64_FORMAT " of the call and moved to version %"
                                  G_GINT64_FORMAT " with nothing dropped. The original file is kept as a backup when the "
                                  "draft is saved.", sb_draft_get_migrated_from (self->draft), sb_call_get_version (self->call)));
}

/* Rules */

static void
run_rule (SbValidator   *self,
          SbRule        *rule,
          SbEvalContext *context,
          const char    *row_path,
          guint          row)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = sb_rule_get_fields (rule);
  SbField *first = fields->len > 0 ? g_ptr_array_index (fields, 0) : NULL;
  g_autofree char *path = row_path ? g_strdup (row_path)
                          : first ? sb_json_path_member ("$.values", sb_field_get_id (first)) : g_strdup ("$");
  SbEval verdict;
  SbProblem *problem;

  if (sb_rule_get_when (rule) != NULL)
    {
      if (!sb_expr_evaluate (sb_rule_get_when (rule), context, &verdict, &error))
        goto failed;
      if (verdict.kind != SB_VALUE_BOOL || !verdict.boolean)
        return;
    }

  if (sb_rule_get_kind (rule) == SB_RULE_KIND_BLIND_REVIEW)
    {
      sb_blind_review_run (rule, self->call, self->draft, context,
                           (self->flags & SB_VALIDATE_FILES) != 0, self->problems);
      return;
    }

  if (!sb_expr_evaluate (sb_rule_get_check (rule), context, &verdict, &error))
    goto failed;

  /* unknown: the values it needs are not given yet, and their own checks
   * ("required") say so; nothing is decided */
  if (verdict.kind != SB_VALUE_BOOL || verdict.boolean)
    return;

  problem = add_problem (self, sb_rule_get_severity (rule), sb_rule_get_id (rule), path, first,
                         sb_rule_get_citation (rule),
                         sb_template_render (sb_rule_get_message (rule, TRUE), context, TRUE),
                         sb_template_render (sb_rule_get_message (rule, FALSE), context, FALSE));
  sb_rule_label_problem (rule, problem);
  if (row_path != NULL)
    {
      char *zh = g_strdup_printf ("第%u行：%s", row + 1, problem->message_zh);
      char *en = g_strdup_printf ("Row %u: %s", row + 1, problem->message_en);

      g_free (problem->message_zh);
      g_free (problem->message_en);
      problem->message_zh = zh;
      problem->message_en = en;
    }
  return;

failed:
  {
    g_autofree char *what = g_strdup_printf ("rule %s", sb_rule_get_id (rule));
    const SbCitation *citation = sb_rule_get_citation (rule);

    add_evaluation_problem (self, what, sb_rule_get_path (rule), path, first, error);
    if (citation != NULL && citation->clause != NULL)
      {
        problem = g_ptr_array_index (self->problems, self->problems->len - 1);
        problem->clause = g_strdup (citation->clause);
        problem->quote = g_strdup (citation->quote);
      }
  }
}

static void
check_row_rules (SbValidator   *self,
                 SbField       *table,
                 const SbValue *row,
                 guint          index,
                 const char    *row_path)
{
  GPtrArray *rules = sb_field_get_row_rules (table);
  SbEvalContext context;

  init_context (self, &context);
  context.rows[0].table = table;
  context.rows[0].row = row;
  context.n_rows = 1;

  for (guint i = 0; i < rules->len; i++)
    run_rule (self, g_ptr_array_index (rules, i), &context, row_path, index);
}

static void
check_rules (SbValidator *self)
{
  GPtrArray *rules = sb_call_get_rules (self->call);
  SbEvalContext context;

  init_context (self, &context);
  for (guint i = 0; i < rules->len; i++)
    run_rule (self, g_ptr_array_index (rules, i), &context, NULL, 0);
}

/* Attachments */

static const struct {
  const char *format;
  const char *magic;
  gsize       length;
} signatures[] = {
  { "pdf", "%PDF-", 5 },
  { "jpg", "\xFF\xD8\xFF", 3 },
  { "png", "\x89PNG\r\n\x1A\n", 8 },
  { "ofd", "PK\x03\x04", 4 },
  { "zip", "PK\x03\x04", 4 },
  { "docx", "PK\x03\x04", 4 },
  { "doc", "\xD0\xCF\x11\xE0", 4 },
};

static char *
format_of_name (const char *name)
{
  const char *dot = strrchr (name, '.');
  char *lower = g_ascii_strdown (dot ? dot + 1 : "", -1);

  if (g_str_equal (lower, "jpeg"))
    {
      g_free (lower);
      return g_strdup ("jpg");
    }
  return lower;
}

static gboolean
content_matches (const char   *format,
                 const guint8 *head,
                 gsize         length)
{
  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    if (g_str_equal (signatures[i].format, format))
      return length >= signatures[i].length && memcmp (head, signatures[i].magic, signatures[i].length) == 0;
  return TRUE;
}

static GFile *
resolve_attachment (SbValidator *self,
                    const char  *name)
{
  GFile *draft_file = sb_draft_get_file (self->draft);
  g_autoptr(GFile) folder = NULL;

  if (g_path_is_absolute (name))
    return g_file_new_for_path (name);
  if (draft_file != NULL && (folder = g_file_get_parent (draft_file)) != NULL)
    return g_file_resolve_relative_path (folder, name);
  return g_file_new_for_path (name);
}

/* Why a file could not be read, in both languages: the problem's texts
 * must not depend on the locale the command runs in. */
static void
describe_unreadable (const char  *local,
                     const char **zh,
                     const char **en)
{
  GStatBuf st;

  if (local == NULL)
    *zh = "只能读取本机文件", *en = "only local files can be read";
  else if (g_stat (local, &st) != 0 && errno == ENOENT)
    *zh = "文件不存在", *en = "the file does not exist";
  else if (g_stat (local, &st) != 0)
    *zh = "无权读取或路径无效", *en = "it cannot be opened (no permission or an invalid path)";
  else if (S_ISDIR (st.st_mode))
    *zh = "这是一个文件夹，不是文件", *en = "it is a folder, not a file";
  else if (!S_ISREG (st.st_mode))
    *zh = "不是普通文件（设备、管道或套接字），只读取普通文件",
    *en = "it is not a regular file (a device, a pipe or a socket); only regular files are read";
  else if (g_access (local, R_OK) != 0)
    *zh = "没有读取权限", *en = "permission denied";
  else
    *zh = "文件在读取时发生变化或读取出错", *en = "the file changed while it was read, or a read failed";
}

static void
check_attachment_file (SbValidator            *self,
                       const SbAttachmentSpec *spec,
                       const SbAttachmentRef  *ref,
                       const char             *path)
{
  g_autoptr(GFile) file = resolve_attachment (self, ref->file);
  g_autofree char *shown = g_file_get_parse_name (file);
  g_autofree char *local = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *format = format_of_name (ref->file);
  gint64 limit = spec->max_size_mb * 1024 * 1024;
  g_auto(SbFileDigest) digest = { 0 };

  if (!g_strv_contains ((const char *const *) spec->formats, format))
    {
      g_autofree char *formats = g_strjoinv ("、", spec->formats);
      g_autofree char *formats_en = g_strjoinv (", ", spec->formats);

      add_problem (self, SB_SEVERITY_ERROR, "attachment_format", path, NULL, &spec->citation,
                   g_strdup_printf ("附件「%s」的文件 %s 格式不符，应为 %s。", spec->title.zh, shown, formats),
                   g_strdup_printf ("The file %s for “%s” is not in an accepted format (%s).",
                                    shown, spec->title.en, formats_en));
      return;
    }

  /* only a regular file is read, and never more than its limit + 1 byte */
  if (local == NULL || !sb_file_digest (local, limit, &digest, &error))
    {
      const char *zh, *en;

      describe_unreadable (local, &zh, &en);
      add_problem (self, SB_SEVERITY_ERROR, "attachment_missing_file", path, NULL, &spec->citation,
                   g_strdup_printf ("附件「%s」的文件 %s 无法读取：%s", spec->title.zh, shown, zh),
                   g_strdup_printf ("The file %s for “%s” cannot be read: %s", shown, spec->title.en, en));
      return;
    }

  if (digest.sha256 != NULL)
    {
      SeenFile *seen = g_new0 (SeenFile, 1);

      seen->size = digest.size;
      seen->sha256 = g_strdup (digest.sha256);
      g_hash_table_replace (self->seen, g_strdup (local), seen);
    }

  if (digest.size == 0)
    add_problem (self, SB_SEVERITY_ERROR, "attachment_empty", path, NULL, &spec->citation,
                 g_strdup_printf ("附件「%s」的文件 %s 是空文件。", spec->title.zh, shown),
                 g_strdup_printf ("The file %s for “%s” is empty.", shown, spec->title.en));
  else if (digest.too_large)
    {
      /* tenths of a MiB rounded up, so that a file over the limit never
       * reads as the limit; digits only, the same in every locale */
      gint64 tenths = ((gint64) digest.size * 10 + 1048575) / 1048576;
      g_autofree char *mb = g_strdup_printf ("%" G_GINT64_FORMAT ".%d", tenths / 10, (int) (tenths % 10));

      add_problem (self, SB_SEVERITY_ERROR, "attachment_too_large", path, NULL, &spec->citation,
                   g_strdup_printf ("附件「%s」的文件 %s 为 %s MB，超过 %" G_GINT64_FORMAT " MB 的上限。",
                                    spec->title.zh, shown, mb, spec->max_size_mb),
                   g_strdup_printf ("The file %s for “%s” is %s MB, over the limit of %" G_GINT64_FORMAT " MB.",
                                    shown, spec->title.en, mb, spec->max_size_mb));
    }
  else if (!content_matches (format, digest.head, digest.head_length))
    add_problem (self, SB_SEVERITY_ERROR, "attachment_content", path, NULL, &spec->citation,
                 g_strdup_printf ("附件「%s」的文件 %s 的内容不是 %s 文件（可能已损坏或扩展名有误）。",
                                  spec->title.zh, shown, format),
                 g_strdup_printf ("The file %s for “%s” does not contain %s data (damaged, or a wrong extension).",
                                  shown, spec->title.en, format));

  if ((ref->sha256 != NULL && digest.sha256 != NULL && !g_str_equal (ref->sha256, digest.sha256)) ||
      (ref->size >= 0 && ref->size != digest.size))
    add_problem (self, SB_SEVERITY_ERROR, "attachment_changed", path, NULL, &spec->citation,
                 g_strdup_printf ("附件「%s」的文件 %s 在添加后已被修改（大小或 SHA-256 不一致），请重新添加。",
                                  spec->title.zh, shown),
                 g_strdup_printf ("The file %s for “%s” has changed since it was attached (its size or SHA-256 differs); "
                                  "attach it again.", shown, spec->title.en));
}

static void
check_attachments (SbValidator *self)
{
  GArray *specs = sb_call_get_attachments (self->call);

  for (guint i = 0; i < specs->len; i++)
    {
      const SbAttachmentSpec *spec = &g_array_index (specs, SbAttachmentSpec, i);
      GPtrArray *refs = sb_draft_get_attachments (self->draft, spec->id);
      g_autofree char *path = sb_json_path_member ("$.attachments", spec->id);
      g_autofree char *what = g_strdup_printf ("relevant(%s)", spec->id);
      guint count = refs ? refs->len : 0;

      if (!evaluate_condition (self, spec->relevant, what, spec->relevant_path, path, NULL))
        {
          if (count > 0)
            add_problem (self, SB_SEVERITY_INFO, "attachment_not_needed", path, NULL, &spec->citation,
                         g_strdup_printf ("附件「%s」按目前填写的内容不需要，不会随申报材料提交。", spec->title.zh),
                         g_strdup_printf ("“%s” is not needed with the answers given and will not be submitted.",
                                          spec->title.en));
          continue;
        }

      if (count == 0 && spec->required)
        add_problem (self, SB_SEVERITY_ERROR, "attachment_required", path, NULL, &spec->citation,
                     g_strdup_printf ("缺少附件「%s」。", spec->title.zh),
                     g_strdup_printf ("The attachment “%s” is missing.", spec->title.en));

      if (count > 1 && !spec->multiple)
        add_problem (self, SB_SEVERITY_ERROR, "attachment_multiple", path, NULL, &spec->citation,
                     g_strdup_printf ("附件「%s」只能有一个文件，现有%u个。", spec->title.zh, count),
                     g_strdup_printf ("“%s” takes one file; %u are attached.", spec->title.en, count));

      for (guint j = 0; (self->flags & SB_VALIDATE_FILES) && j < count; j++)
        {
          g_autofree char *file_path = sb_json_path_index (path, j);
          check_attachment_file (self, spec, g_ptr_array_index (refs, j), file_path);
        }
    }
}

static void
mark_acknowledged (SbValidator *self)
{
  for (guint i = 0; i < self->problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (self->problems, i);

      if (problem->severity == SB_SEVERITY_WARNING && sb_draft_is_acknowledged (self->draft, problem->code))
        problem->acknowledged = TRUE;
    }
}

static int
compare_severity (gconstpointer a,
                  gconstpointer b)
{
  const SbProblem *pa = *(const SbProblem **) a, *pb = *(const SbProblem **) b;

  return (int) pa->severity - (int) pb->severity;
}

GPtrArray *
sb_validator_validate (SbValidator     *self,
                       SbDraft         *draft,
                       SbValidateFlags  flags)
{
  GPtrArray *problems;

  g_return_val_if_fail (sb_draft_get_call (draft) == self->call, NULL);

  clear_run (self);
  self->draft = g_object_ref (draft);
  self->flags = flags;
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_problem_free);
  self->steps_left = SB_EXPR_MAX_STEPS;
  self->budget_spent = FALSE;

  compute_effective_values (self);
  report_migration (self);
  check_fields (self);
  check_rules (self);
  check_attachments (self);
  mark_acknowledged (self);

  /* errors first, each severity in the order of the form; the sort is stable */
  g_ptr_array_sort (self->problems, compare_severity);

  problems = g_steal_pointer (&self->problems);
  return problems;
}

const SbValue *
sb_validator_get_value (SbValidator *self,
                        SbField     *field)
{
  return self->effective[sb_field_get_index (field)];
}

gboolean
sb_validator_get_file_digest (SbValidator  *self,
                              GFile        *file,
                              gint64       *size,
                              const char  **sha256)
{
  const char *path = g_file_peek_path (file);
  SeenFile *seen = path != NULL ? g_hash_table_lookup (self->seen, path) : NULL;

  if (seen == NULL)
    return FALSE;
  if (size != NULL)
    *size = seen->size;
  if (sha256 != NULL)
    *sha256 = seen->sha256;
  return TRUE;
}

guint64
sb_validator_get_steps (SbValidator *self)
{
  return SB_EXPR_MAX_STEPS - self->steps_left;
}

/* A notice whose relevance cannot be computed is shown: telling a step of
 * the procedure too often costs less than hiding it. */
GPtrArray *
sb_validator_get_notices (SbValidator *self,
                          SbAudience   audience)
{
  GArray *notices = sb_call_get_notices (self->call);
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (self->draft != NULL, out);

  for (guint i = 0; notices != NULL && i < notices->len; i++)
    {
      const SbNotice *notice = &g_array_index (notices, SbNotice, i);
      g_autoptr(GError) error = NULL;
      SbEvalContext context;
      SbEval result;

      if (notice->audience != audience)
        continue;
      if (notice->relevant != NULL)
        {
          init_context (self, &context);
          if (sb_expr_evaluate (notice->relevant, &context, &result, &error) &&
              result.kind == SB_VALUE_BOOL && !result.boolean)
            continue;
        }
      g_ptr_array_add (out, (gpointer) notice);
    }
  return out;
}

gboolean
sb_validator_is_relevant (SbValidator *self,
                          SbField     *field)
{
  return self->relevant[sb_field_get_index (field)];
}

/* Conditions evaluated over the draft of the last run, for the wizard: which
 * steps it shows and which options it offers. An expression that cannot be
 * computed gives unknown_result; its problem was reported by the run. */
static Verdict
evaluate_quietly (SbValidator *self,
                  SbExpr      *condition)
{
  g_autoptr(GPtrArray) discarded = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_problem_free);
  GPtrArray *saved = self->problems;
  Verdict verdict;

  self->problems = discarded;
  verdict = evaluate_verdict (self, condition, "", "", "$", NULL);
  self->problems = saved;
  return verdict;
}

gboolean
sb_validator_is_step_shown (SbValidator *self,
                            guint        step_index)
{
  g_autoptr(GPtrArray) discarded = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_problem_free);
  GPtrArray *saved = self->problems;
  gboolean shown;

  g_return_val_if_fail (step_index < sb_call_get_steps (self->call)->len, FALSE);
  if (self->draft == NULL)
    return FALSE;
  self->problems = discarded;
  shown = step_is_shown (self, (int) step_index);
  self->problems = saved;
  return shown;
}

gboolean
sb_validator_check_condition (SbValidator *self,
                              SbExpr      *condition,
                              gboolean     unknown_result)
{
  if (condition == NULL)
    return TRUE;
  if (self->draft == NULL)
    return unknown_result;
  switch (evaluate_quietly (self, condition))
    {
    case VERDICT_TRUE:
      return TRUE;
    case VERDICT_FALSE:
      return FALSE;
    default:
      return unknown_result;
    }
}

void
sb_problems_count (GPtrArray *problems,
                   guint     *errors,
                   guint     *warnings,
                   guint     *infos)
{
  *errors = *warnings = *infos = 0;
  for (guint i = 0; i < problems->len; i++)
    {
      SbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == SB_SEVERITY_ERROR)
        (*errors)++;
      else if (problem->severity == SB_SEVERITY_WARNING)
        (*warnings)++;
      else
        (*infos)++;
    }
}
