/* sb-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-call.h"
#include "sb-file.h"
#include "sb-print-template.h"

#define CALL_ERROR SB_ERROR_INVALID_CALL
#define FORMAT_NAME "shenbao-call"
#define FORMAT_VERSION 1

struct _SbCall
{
  GObject     parent_instance;

  char       *file;
  char       *id;
  gint64      version;
  SbText      title;
  SbText      bureau;
  gint64      year;
  char       *document_number;
  char       *source;
  GBytes     *bytes;             /* the definition exactly as read */
  gint64      paper_copies;
  GArray     *deadlines;         /* SbDeadline */
  GArray     *programmes;        /* SbProgramme */
  GArray     *guide_codes;       /* SbGuideCode */
  GArray     *steps;             /* SbStep */
  GPtrArray  *fields;            /* SbField, in the order of the steps */
  GHashTable *fields_by_id;
  GPtrArray  *order;             /* SbField, dependencies first */
  GPtrArray  *rules;             /* SbRule */
  guint64     cost;              /* evaluation steps at most, see check_budget() */
  GArray     *attachments;       /* SbAttachmentSpec */
  char       *source_title;
  char       *source_date;
  GArray     *notices;           /* SbNotice */
  GArray     *quotas;            /* SbQuota */
  GArray     *summary_header;    /* SbSummaryHeaderField: the summary table's header fields */
  JsonNode   *print_node;        /* while loading */
  SbPrintTemplate *print;
  SbText      summary_title;
  GArray     *summary_columns;   /* SbSummaryColumn */
  SbExprResolver resolver;
};

G_DEFINE_FINAL_TYPE (SbCall, sb_call, G_TYPE_OBJECT)

static void
step_clear (SbStep *step)
{
  g_clear_pointer (&step->id, g_free);
  sb_text_clear (&step->title);
  sb_text_clear (&step->description);
  g_clear_pointer (&step->relevant_source, g_free);
  g_clear_pointer (&step->relevant_path, g_free);
  g_clear_pointer (&step->relevant, sb_expr_unref);
  g_clear_pointer (&step->fields, g_ptr_array_unref);
}

static GArray *
struct_array (gsize          size,
              GDestroyNotify clear)
{
  GArray *array = g_array_new (FALSE, TRUE, size);

  g_array_set_clear_func (array, clear);
  return array;
}

static void
sb_call_finalize (GObject *object)
{
  SbCall *self = SB_CALL (object);

  g_free (self->file);
  g_free (self->id);
  sb_text_clear (&self->title);
  sb_text_clear (&self->bureau);
  g_free (self->document_number);
  g_free (self->source);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_array_unref (self->deadlines);
  g_array_unref (self->programmes);
  g_array_unref (self->guide_codes);
  g_array_unref (self->steps);
  g_ptr_array_unref (self->fields);
  g_hash_table_unref (self->fields_by_id);
  g_ptr_array_unref (self->order);
  g_ptr_array_unref (self->rules);
  g_array_unref (self->attachments);
  g_free (self->source_title);
  g_free (self->source_date);
  g_array_unref (self->notices);
  g_array_unref (self->quotas);
  g_array_unref (self->summary_header);
  g_clear_pointer (&self->print, sb_print_template_free);
  g_clear_pointer (&self->print_node, json_node_unref);
  sb_text_clear (&self->summary_title);
  g_array_unref (self->summary_columns);

  G_OBJECT_CLASS (sb_call_parent_class)->finalize (object);
}

static void
sb_call_class_init (SbCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_call_finalize;
}

static void
sb_call_init (SbCall *self)
{
  self->deadlines = struct_array (sizeof (SbDeadline), (GDestroyNotify) sb_deadline_clear);
  self->programmes = struct_array (sizeof (SbProgramme), (GDestroyNotify) sb_programme_clear);
  self->guide_codes = struct_array (sizeof (SbGuideCode), (GDestroyNotify) sb_guide_code_clear);
  self->steps = struct_array (sizeof (SbStep), (GDestroyNotify) step_clear);
  self->attachments = struct_array (sizeof (SbAttachmentSpec), (GDestroyNotify) sb_attachment_spec_clear);
  self->notices = struct_array (sizeof (SbNotice), (GDestroyNotify) sb_notice_clear);
  self->quotas = struct_array (sizeof (SbQuota), (GDestroyNotify) sb_quota_clear);
  self->summary_header = struct_array (sizeof (SbSummaryHeaderField), (GDestroyNotify) sb_summary_header_field_clear);
  self->summary_columns = struct_array (sizeof (SbSummaryColumn), (GDestroyNotify) sb_summary_column_clear);
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
  self->fields_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->order = g_ptr_array_new ();
  self->rules = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean resolve_name (const char *name, SbExprRef *out, gpointer user_data, GError **error);
static gboolean resolve_deadline (const char *id, SbDate *out, gpointer user_data, GError **error);
static GArray *resolve_options (const SbExprRef *ref, gpointer user_data);

/* Reading */

typedef gboolean (*ReadElement) (JsonNode    *node,
                                 const char  *file,
                                 const char  *path,
                                 gpointer     out,
                                 GError     **error);

/* Reads an array of plain structs; @id_offset locates the id that must be
 * unique among them. */
static gboolean
read_struct_array (SbJsonReader  *reader,
                   const char    *member,
                   gboolean       required,
                   GArray        *out,
                   ReadElement    read,
                   GDestroyNotify clear,
                   gsize          id_offset,
                   GError       **error)
{
  JsonArray *array = NULL;
  g_autofree char *path = sb_json_reader_path (reader, member);
  gsize size = g_array_get_element_size (out);

  if (!sb_json_reader_array (reader, member, required, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *element_path = sb_json_path_index (path, i);
      g_autofree guint8 *element = g_malloc0 (size);
      const char *id;

      if (!read (json_array_get_element (array, i), reader->file, element_path, element, error))
        {
          clear (element);
          return FALSE;
        }

      id = *(const char **) (element + id_offset);
      for (guint j = 0; j < out->len; j++)
        if (g_str_equal (id, *(const char **) (out->data + j * size + id_offset)))
          {
            sb_set_error_at (error, CALL_ERROR, reader->file, element_path,
                             _("the id “%s” is used twice in “%s”"), id, member);
            clear (element);
            return FALSE;
          }
      g_array_append_vals (out, element, 1);
    }
  return TRUE;
}

static gboolean
add_field (SbCall       *self,
           SbField      *field,
           int           step,
           GError      **error)
{
  SbField *existing = g_hash_table_lookup (self->fields_by_id, sb_field_get_id (field));

  if (existing != NULL)
    {
      sb_set_error_at (error, CALL_ERROR, self->file, sb_field_get_path (field),
                       _("the field id “%s” is already used at %s"),
                       sb_field_get_id (field), sb_field_get_path (existing));
      return FALSE;
    }

  sb_field_set_index (field, self->fields->len);
  sb_field_set_step (field, step);
  g_ptr_array_add (self->fields, g_object_ref (field));
  g_hash_table_insert (self->fields_by_id, (gpointer) sb_field_get_id (field), field);
  return TRUE;
}

static gboolean
read_step (SbCall      *self,
           JsonNode    *node,
           const char  *path,
           int          index,
           SbStep      *step,
           GError     **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  JsonArray *fields = NULL;
  g_autofree char *fields_path = NULL;

  step->fields = g_ptr_array_new_with_free_func (g_object_unref);
  if (!sb_json_reader_init (&reader, node, self->file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &step->id, error) ||
      !sb_check_identifier (step->id, self->file, path, error) ||
      !sb_text_read (&reader, "title", TRUE, &step->title, error) ||
      !sb_text_read (&reader, "description", FALSE, &step->description, error) ||
      !sb_json_reader_string (&reader, "relevant", FALSE, &step->relevant_source, error) ||
      !sb_json_reader_array (&reader, "fields", TRUE, &fields, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  step->relevant_path = sb_json_reader_path (&reader, "relevant");
  fields_path = sb_json_reader_path (&reader, "fields");

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      g_autofree char *field_path = sb_json_path_index (fields_path, i);
      g_autoptr(SbField) field = sb_field_new_from_json (json_array_get_element (fields, i), self->file,
                                                         field_path, FALSE, error);

      if (field == NULL || !add_field (self, field, index, error))
        return FALSE;
      g_ptr_array_add (step->fields, g_steal_pointer (&field));
    }
  return TRUE;
}

static gboolean
read_steps (SbCall        *self,
            SbJsonReader  *reader,
            GError       **error)
{
  JsonArray *steps = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "steps");

  if (!sb_json_reader_array (reader, "steps", TRUE, &steps, error))
    return FALSE;

  if (json_array_get_length (steps) == 0)
    {
      sb_set_error_at (error, CALL_ERROR, self->file, path, _("a call needs at least one step"));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      g_autofree char *step_path = sb_json_path_index (path, i);
      SbStep step = { 0 };

      if (!read_step (self, json_array_get_element (steps, i), step_path, i, &step, error))
        {
          step_clear (&step);
          return FALSE;
        }
      for (guint j = 0; j < self->steps->len; j++)
        if (g_str_equal (g_array_index (self->steps, SbStep, j).id, step.id))
          {
            sb_set_error_at (error, CALL_ERROR, self->file, step_path,
                             _("the step id “%s” is used twice"), step.id);
            step_clear (&step);
            return FALSE;
          }
      g_array_append_val (self->steps, step);
    }
  return TRUE;
}

static gboolean
read_print (SbCall        *self,
            SbJsonReader  *reader,
            GError       **error)
{
  /* checked once the fields are compiled: the template names them; a
   * reference of its own, as the definition's tree is freed before that */
  JsonNode *node = sb_json_reader_node (reader, "print");

  self->print_node = node != NULL ? json_node_ref (node) : NULL;
  return TRUE;
}

static gboolean
compile_print (SbCall  *self,
               GError **error)
{
  if (self->print_node == NULL)
    return TRUE;
  self->print = sb_print_template_new (self->print_node, self, self->file, "$.print", error);
  g_clear_pointer (&self->print_node, json_node_unref);
  return self->print != NULL;
}

static gboolean
read_summary (SbCall        *self,
              SbJsonReader  *reader,
              GError       **error)
{
  g_auto(SbJsonReader) inner = { 0 };
  g_autofree char *path = sb_json_reader_path (reader, "summary_table");
  JsonNode *node = sb_json_reader_node (reader, "summary_table");

  if (node == NULL)
    return TRUE;

  return sb_json_reader_init (&inner, node, self->file, path, CALL_ERROR, error) &&
         sb_text_read (&inner, "title", TRUE, &self->summary_title, error) &&
         read_struct_array (&inner, "header", FALSE, self->summary_header,
                            (ReadElement) sb_summary_header_field_read, (GDestroyNotify) sb_summary_header_field_clear,
                            G_STRUCT_OFFSET (SbSummaryHeaderField, id), error) &&
         read_struct_array (&inner, "columns", TRUE, self->summary_columns,
                            (ReadElement) sb_summary_column_read, (GDestroyNotify) sb_summary_column_clear,
                            G_STRUCT_OFFSET (SbSummaryColumn, id), error) &&
         sb_json_reader_finish (&inner, error);
}

static gboolean
read_format (SbCall        *self,
             SbJsonReader  *reader,
             GError       **error)
{
  g_autofree char *format = NULL;
  gint64 version = 0;

  if (!sb_json_reader_string (reader, "format", TRUE, &format, error))
    return FALSE;
  if (!g_str_equal (format, FORMAT_NAME))
    {
      g_autofree char *path = sb_json_reader_path (reader, "format");
      sb_set_error_at (error, CALL_ERROR, self->file, path,
                       _("this is not a call definition: “format” is “%s”, expected “%s”"), format, FORMAT_NAME);
      return FALSE;
    }
  if (!sb_json_reader_int (reader, "format_version", TRUE, 1, G_MAXINT32, &version, error))
    return FALSE;
  if (version != FORMAT_VERSION)
    {
      g_autofree char *path = sb_json_reader_path (reader, "format_version");
      sb_set_error_at (error, CALL_ERROR, self->file, path,
                       _("format version %" PRId64 " is not supported; this Shenbao reads version %d"),
                       version, FORMAT_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_call_id (SbCall  *self,
               GError **error)
{
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,63}$", self->id, 0, 0))
    {
      sb_set_error_at (error, CALL_ERROR, self->file, "$.id",
                       _("“%s” is not a valid call id: use lower-case letters, digits and “-”"), self->id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_definition (SbCall    *self,
                 JsonNode  *root,
                 GError   **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  return sb_json_reader_init (&reader, root, self->file, "$", CALL_ERROR, error) &&
         read_format (self, &reader, error) &&
         sb_json_reader_string (&reader, "id", TRUE, &self->id, error) &&
         check_call_id (self, error) &&
         sb_json_reader_int (&reader, "version", TRUE, 1, G_MAXINT32, &self->version, error) &&
         sb_text_read (&reader, "title", TRUE, &self->title, error) &&
         sb_text_read (&reader, "bureau", TRUE, &self->bureau, error) &&
         sb_json_reader_int (&reader, "year", TRUE, 1990, 2200, &self->year, error) &&
         sb_json_reader_string (&reader, "document_number", FALSE, &self->document_number, error) &&
         sb_json_reader_string (&reader, "source", FALSE, &self->source, error) &&
         sb_json_reader_string (&reader, "source_title", FALSE, &self->source_title, error) &&
         sb_json_reader_string (&reader, "source_date", FALSE, &self->source_date, error) &&
         sb_json_reader_int (&reader, "paper_copies", FALSE, 0, 100, &self->paper_copies, error) &&
         read_struct_array (&reader, "deadlines", FALSE, self->deadlines,
                            (ReadElement) sb_deadline_read, (GDestroyNotify) sb_deadline_clear,
                            G_STRUCT_OFFSET (SbDeadline, id), error) &&
         read_struct_array (&reader, "programmes", FALSE, self->programmes,
                            (ReadElement) sb_programme_read, (GDestroyNotify) sb_programme_clear,
                            G_STRUCT_OFFSET (SbProgramme, id), error) &&
         read_struct_array (&reader, "guide_codes", FALSE, self->guide_codes,
                            (ReadElement) sb_guide_code_read, (GDestroyNotify) sb_guide_code_clear,
                            G_STRUCT_OFFSET (SbGuideCode, code), error) &&
         read_steps (self, &reader, error) &&
         read_struct_array (&reader, "attachments", FALSE, self->attachments,
                            (ReadElement) sb_attachment_spec_read, (GDestroyNotify) sb_attachment_spec_clear,
                            G_STRUCT_OFFSET (SbAttachmentSpec, id), error) &&
         sb_rule_read_array (&reader, "rules", self->rules, error) &&
         read_struct_array (&reader, "notices", FALSE, self->notices,
                            (ReadElement) sb_notice_read, (GDestroyNotify) sb_notice_clear,
                            G_STRUCT_OFFSET (SbNotice, id), error) &&
         read_struct_array (&reader, "quotas", FALSE, self->quotas,
                            (ReadElement) sb_quota_read, (GDestroyNotify) sb_quota_clear,
                            G_STRUCT_OFFSET (SbQuota, id), error) &&
         read_summary (self, &reader, error) &&
         read_print (self, &reader, error) &&
         sb_json_reader_finish (&reader, error);
}

/* Names in expressions */

static char *
child_ids (SbField *field)
{
  GPtrArray *children = sb_field_get_children (field);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < children->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", sb_field_get_id (g_ptr_array_index (children, i)));
  return g_string_free (out, FALSE);
}

static GArray *
resolve_options (const SbExprRef *ref,
                 gpointer         user_data)
{
  SbField *field = ref->member != NULL ? sb_field_find_child (ref->field, ref->member) : ref->field;
  SbFieldType type;

  if (field == NULL)
    return NULL;
  type = sb_field_get_field_type (field);
  return type == SB_FIELD_CHOICE || type == SB_FIELD_MULTI_CHOICE ? sb_field_get_options (field) : NULL;
}

static gboolean
resolve_name (const char  *name,
              SbExprRef   *out,
              gpointer     user_data,
              GError     **error)
{
  SbCall *self = user_data;
  const char *dot = strchr (name, '.');
  g_autofree char *head = dot ? g_strndup (name, dot - name) : g_strdup (name);
  SbField *field = g_hash_table_lookup (self->fields_by_id, head);
  SbFieldType type;
  SbField *child;

  memset (out, 0, sizeof *out);
  if (field == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("there is no field “%s”"), head);
      return FALSE;
    }

  out->field = field;
  type = sb_field_get_field_type (field);

  if (dot == NULL)
    {
      out->kind = type == SB_FIELD_TABLE ? SB_REF_TABLE : SB_REF_FIELD;
      out->type = sb_field_get_expr_type (field);
      return TRUE;
    }

  if (type != SB_FIELD_TABLE && type != SB_FIELD_PERSON && type != SB_FIELD_ORGANISATION)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("the field “%s” has no parts; “%s” names nothing"),
                   head, name);
      return FALSE;
    }

  child = strchr (dot + 1, '.') == NULL ? sb_field_find_child (field, dot + 1) : NULL;
  if (child == NULL)
    {
      g_autofree char *known = child_ids (field);

      g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("“%s” has no part “%s”; it has %s"),
                   head, dot + 1, known);
      return FALSE;
    }

  out->member = g_strdup (sb_field_get_id (child));
  if (type == SB_FIELD_TABLE)
    {
      out->kind = SB_REF_COLUMN;
      out->type = SB_EXPR_LIST | sb_field_get_expr_type (child);
    }
  else
    {
      out->kind = SB_REF_MEMBER;
      out->type = sb_field_get_expr_type (child);
    }
  return TRUE;
}

static gboolean
resolve_deadline (const char  *id,
                  SbDate      *out,
                  gpointer     user_data,
                  GError     **error)
{
  SbCall *self = user_data;
  const SbDeadline *deadline = sb_call_find_deadline (self, id);

  if (deadline == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_EXPRESSION, _("the call has no deadline “%s”"), id);
      return FALSE;
    }
  *out = deadline->date;
  return TRUE;
}

static gboolean
compile_bool (SbCall                *self,
              const char            *source,
              const char            *path,
              const SbExprResolver  *resolver,
              SbExpr               **out,
              GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SbExpr) expr = NULL;

  if (source == NULL)
    return TRUE;

  expr = sb_expr_parse (source, &local_error);
  if (expr == NULL || !sb_expr_check (expr, resolver, NULL, &local_error))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, self->file, path, "%s", local_error->message);
      return FALSE;
    }
  if (out == NULL)
    return TRUE;
  if (sb_expr_get_result_type (expr) != SB_EXPR_BOOL)
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, self->file, path,
                       _("the condition gives %s, not a yes/no value"),
                       sb_expr_type_to_string (sb_expr_get_result_type (expr)));
      return FALSE;
    }
  *out = g_steal_pointer (&expr);
  return TRUE;
}

static gboolean
add_rule_id (SbCall      *self,
             GHashTable  *seen,
             SbRule      *rule,
             GError     **error)
{
  if (g_hash_table_add (seen, (gpointer) sb_rule_get_id (rule)))
    return TRUE;

  sb_set_error_at (error, CALL_ERROR, self->file, sb_rule_get_path (rule),
                   _("the rule id “%s” is used twice"), sb_rule_get_id (rule));
  return FALSE;
}

/* Rule ids are what a draft acknowledges, so they are unique in the call. */
static gboolean
check_rule_ids (SbCall  *self,
                GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->fields->len; i++)
    {
      GPtrArray *row_rules = sb_field_get_row_rules (g_ptr_array_index (self->fields, i));

      for (guint j = 0; j < row_rules->len; j++)
        if (!add_rule_id (self, seen, g_ptr_array_index (row_rules, j), error))
          return FALSE;
    }

  for (guint i = 0; i < self->rules->len; i++)
    if (!add_rule_id (self, seen, g_ptr_array_index (self->rules, i), error))
      return FALSE;
  return TRUE;
}

/* A guide code tied to a programme is offered only with that programme
 * chosen, which needs the programme to exist and a "programme" choice. */
static gboolean
check_guide_programmes (SbCall  *self,
                        GError **error)
{
  SbField *chooser = sb_call_find_field (self, "programme");

  for (guint i = 0; i < self->guide_codes->len; i++)
    {
      const SbGuideCode *code = &g_array_index (self->guide_codes, SbGuideCode, i);
      g_autofree char *element = NULL;
      g_autofree char *path = NULL;

      if (code->programme == NULL)
        continue;
      element = sb_json_path_index ("$.guide_codes", i);
      path = sb_json_path_member (element, "programme");
      if (sb_call_find_programme (self, code->programme) == NULL)
        {
          sb_set_error_at (error, CALL_ERROR, self->file, path,
                           _("the call has no programme “%s”"), code->programme);
          return FALSE;
        }
      if (chooser == NULL || sb_field_get_field_type (chooser) != SB_FIELD_CHOICE)
        {
          sb_set_error_at (error, CALL_ERROR, self->file, path,
                           _("a guide code tied to a programme needs a choice field with the id “programme”"));
          return FALSE;
        }
    }
  return TRUE;
}

/* A blind review's attachment slots are attachments of the call. */
static gboolean
check_blind_attachments (SbCall  *self,
                         SbRule  *rule,
                         GError **error)
{
  GStrv ids = sb_rule_get_blind_attachment_ids (rule);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (sb_call_find_attachment (self, ids[i]) == NULL)
      {
        g_autofree char *list = g_strconcat (sb_rule_get_path (rule), ".blind_review.attachments", NULL);
        g_autofree char *path = sb_json_path_index (list, i);
        sb_set_error_at (error, CALL_ERROR, self->file, path, _("the call has no attachment “%s”"), ids[i]);
        return FALSE;
      }
  return TRUE;
}

/* The evaluation budget, checked once on load: what all of the call's
 * checks can cost together on a draft at its limits stays within what one
 * validation may spend, so no draft can make the checks run out. */
static guint64
sum_cost (guint64 a,
          guint64 b)
{
  return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

static guint64
expr_cost (SbExpr *expr)
{
  return expr != NULL ? sb_expr_get_cost (expr) : 0;
}

static guint64
rule_cost (SbRule *rule)
{
  return sum_cost (sum_cost (expr_cost (sb_rule_get_when (rule)), expr_cost (sb_rule_get_check (rule))),
                   sum_cost (sb_template_get_cost (sb_rule_get_message (rule, TRUE)),
                             sb_template_get_cost (sb_rule_get_message (rule, FALSE))));
}

static gboolean
check_budget (SbCall  *self,
              GError **error)
{
  guint64 total = 0, most = 0;
  const char *most_path = "$";

  for (guint i = 0; i < self->fields->len; i++)
    {
      SbField *field = g_ptr_array_index (self->fields, i);
      GPtrArray *row_rules = sb_field_get_row_rules (field);

      GPtrArray *children = sb_field_get_children (field);
      guint64 times = sb_field_get_field_type (field) == SB_FIELD_TABLE ? SB_EXPR_MAX_LIST_ITEMS : 1;

      total = sum_cost (total, sum_cost (expr_cost (sb_field_get_relevant (field)),
                                         expr_cost (sb_field_get_calculate (field))));
      /* a text's pattern runs once per value: per row in a table */
      if (sb_field_get_pattern (field) != NULL)
        total = sum_cost (total, SB_EXPR_REGEX_STEPS);
      for (guint j = 0; children != NULL && j < children->len; j++)
        if (sb_field_get_pattern (g_ptr_array_index (children, j)) != NULL)
          total = sum_cost (total, times * SB_EXPR_REGEX_STEPS);
      for (guint j = 0; j < row_rules->len; j++)
        {
          SbRule *rule = g_ptr_array_index (row_rules, j);
          guint64 cost = rule_cost (rule);

          /* once per row */
          cost = cost > G_MAXUINT64 / SB_EXPR_MAX_LIST_ITEMS ? G_MAXUINT64 : cost * SB_EXPR_MAX_LIST_ITEMS;
          total = sum_cost (total, cost);
          if (cost > most)
            most = cost, most_path = sb_rule_get_path (rule);
        }
    }
  for (guint i = 0; i < self->steps->len; i++)
    total = sum_cost (total, expr_cost (g_array_index (self->steps, SbStep, i).relevant));
  for (guint i = 0; i < self->attachments->len; i++)
    total = sum_cost (total, expr_cost (g_array_index (self->attachments, SbAttachmentSpec, i).relevant));
  for (guint i = 0; i < self->rules->len; i++)
    {
      SbRule *rule = g_ptr_array_index (self->rules, i);
      guint64 cost = rule_cost (rule);

      total = sum_cost (total, cost);
      if (cost > most)
        most = cost, most_path = sb_rule_get_path (rule);
    }

  self->cost = total;
  if (total <= SB_EXPR_MAX_STEPS)
    return TRUE;

  sb_set_error_at (error, CALL_ERROR, self->file, most_path,
                   _("the checks of this call could need %" PRIu64 " steps of evaluation on a draft with "
                     "tables of %d rows, more than the %d a draft may take; this rule needs the most"),
                   total, SB_EXPR_MAX_LIST_ITEMS, SB_EXPR_MAX_STEPS);
  return FALSE;
}

guint64
sb_call_get_cost (SbCall *self)
{
  return self->cost;
}

static gboolean
compile_all (SbCall  *self,
             GError **error)
{
  SbExprResolver resolver = self->resolver;

  if (sb_call_count_rules (self) > SB_CALL_MAX_RULES)
    {
      sb_set_error_at (error, CALL_ERROR, self->file, "$.rules", _("the call has %u rules; at most %d are allowed"),
                       sb_call_count_rules (self), SB_CALL_MAX_RULES);
      return FALSE;
    }

  if (!check_guide_programmes (self, error))
    return FALSE;

  for (guint i = 0; i < self->fields->len; i++)
    if (!sb_field_compile (g_ptr_array_index (self->fields, i), &resolver, self->file,
                           self->programmes, self->guide_codes, error))
      return FALSE;

  for (guint i = 0; i < self->steps->len; i++)
    {
      SbStep *step = &g_array_index (self->steps, SbStep, i);

      if (!compile_bool (self, step->relevant_source, step->relevant_path, &resolver, &step->relevant, error))
        return FALSE;
    }

  for (guint i = 0; i < self->attachments->len; i++)
    {
      SbAttachmentSpec *spec = &g_array_index (self->attachments, SbAttachmentSpec, i);

      if (!compile_bool (self, spec->relevant_source, spec->relevant_path, &resolver, &spec->relevant, error))
        return FALSE;
    }

  for (guint i = 0; i < self->rules->len; i++)
    if (!sb_rule_compile (g_ptr_array_index (self->rules, i), &resolver, self->file, NULL, error) ||
        !check_blind_attachments (self, g_ptr_array_index (self->rules, i), error))
      return FALSE;

  for (guint i = 0; i < self->notices->len; i++)
    {
      SbNotice *notice = &g_array_index (self->notices, SbNotice, i);

      if (!compile_bool (self, notice->relevant_source, notice->relevant_path, &resolver, &notice->relevant, error))
        return FALSE;
    }

  for (guint i = 0; i < self->quotas->len; i++)
    {
      const SbQuota *quota = &g_array_index (self->quotas, SbQuota, i);

      if (quota->programme != NULL && sb_call_find_programme (self, quota->programme) == NULL)
        {
          g_autofree char *element = sb_json_path_index ("$.quotas", i);
          g_autofree char *path = sb_json_path_member (element, "programme");
          sb_set_error_at (error, CALL_ERROR, self->file, path, _("the call has no programme “%s”"), quota->programme);
          return FALSE;
        }
    }

  for (guint i = 0; i < self->summary_columns->len; i++)
    {
      SbSummaryColumn *column = &g_array_index (self->summary_columns, SbSummaryColumn, i);
      g_autoptr(GError) local_error = NULL;

      if (column->value_source == NULL)
        continue;
      column->value = sb_expr_parse (column->value_source, &local_error);
      if (column->value == NULL || !sb_expr_check (column->value, &resolver, NULL, &local_error))
        {
          sb_set_error_at (error, SB_ERROR_EXPRESSION, self->file, column->value_path, "%s", local_error->message);
          return FALSE;
        }
    }

  return check_rule_ids (self, error) && check_budget (self, error);
}

/* Evaluation order: a field's relevance and calculation read other fields,
 * which must be known first. A cycle has no order and is refused. */

typedef enum { UNVISITED, VISITING, DONE } Mark;

static GPtrArray *
field_dependencies (SbCall  *self,
                    SbField *field)
{
  GPtrArray *out = g_ptr_array_new ();
  int step = sb_field_get_step (field);

  if (sb_field_get_relevant (field) != NULL)
    sb_expr_collect_fields (sb_field_get_relevant (field), out);
  if (sb_field_get_calculate (field) != NULL)
    sb_expr_collect_fields (sb_field_get_calculate (field), out);
  if (step >= 0 && g_array_index (self->steps, SbStep, step).relevant != NULL)
    sb_expr_collect_fields (g_array_index (self->steps, SbStep, step).relevant, out);
  return out;
}

static gboolean
report_cycle (SbCall     *self,
              GPtrArray  *stack,
              SbField    *field,
              GError    **error)
{
  g_autoptr(GString) cycle = g_string_new (NULL);
  guint start = 0;

  g_ptr_array_find (stack, field, &start);
  for (guint i = start; i < stack->len; i++)
    g_string_append_printf (cycle, "%s → ", sb_field_get_id (g_ptr_array_index (stack, i)));
  g_string_append (cycle, sb_field_get_id (field));
  sb_set_error_at (error, CALL_ERROR, self->file, sb_field_get_path (field),
                   _("the fields depend on each other in a cycle (through “relevant” or “calculate”): %s"),
                   cycle->str);
  return FALSE;
}

/* Depth-first, with an explicit stack: a definition of 100,000 chained
 * fields must not exhaust the C stack. */
static gboolean
compute_order (SbCall  *self,
               GError **error)
{
  guint n = self->fields->len;
  g_autofree Mark *marks = g_new0 (Mark, n);
  g_autofree guint *next = g_new0 (guint, n);
  g_autoptr(GPtrArray) dependencies = g_ptr_array_new_full (n, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (dependencies, field_dependencies (self, g_ptr_array_index (self->fields, i)));

  for (guint root = 0; root < n; root++)
    {
      if (marks[root] != UNVISITED)
        continue;
      marks[root] = VISITING;
      g_ptr_array_add (stack, g_ptr_array_index (self->fields, root));

      while (stack->len > 0)
        {
          SbField *field = g_ptr_array_index (stack, stack->len - 1);
          int index = sb_field_get_index (field);
          GPtrArray *deps = g_ptr_array_index (dependencies, index);

          if (next[index] < deps->len)
            {
              SbField *dependency = g_ptr_array_index (deps, next[index]++);
              int d = sb_field_get_index (dependency);

              if (marks[d] == VISITING)
                return report_cycle (self, stack, dependency, error);
              if (marks[d] == UNVISITED)
                {
                  marks[d] = VISITING;
                  g_ptr_array_add (stack, dependency);
                }
              continue;
            }

          marks[index] = DONE;
          g_ptr_array_add (self->order, field);
          g_ptr_array_remove_index (stack, stack->len - 1);
        }
    }
  return TRUE;
}

SbCall *
sb_call_new_from_bytes (GBytes      *bytes,
                        const char  *display_name,
                        GError     **error)
{
  g_autoptr(SbCall) self = g_object_new (SB_TYPE_CALL, NULL);
  g_autoptr(JsonNode) root = NULL;

  self->file = g_strdup (display_name);
  self->resolver = (SbExprResolver) {
    .resolve = resolve_name,
    .deadline = resolve_deadline,
    .options = resolve_options,
    .user_data = self,
  };
  if (g_bytes_get_size (bytes) > SB_CALL_MAX_FILE_BYTES)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_TOO_LARGE, _("%s: the file is larger than %u MiB"),
                   display_name, (guint) (SB_CALL_MAX_FILE_BYTES / (1024 * 1024)));
      return NULL;
    }
  root = sb_json_parse_bytes (bytes, display_name, error);
  if (root == NULL)
    return NULL;

  if (!read_definition (self, root, error))
    return NULL;
  /* everything is copied out of the tree: free it before compiling, so
   * that the two are never in memory together (issue 10: ~10× the input) */
  g_clear_pointer (&root, json_node_unref);
  if (!compile_all (self, error) || !compute_order (self, error) || !compile_print (self, error))
    return NULL;

  self->bytes = g_bytes_ref (bytes);
  return g_steal_pointer (&self);
}

SbCall *
sb_call_new_from_file (GFile   *file,
                       GError **error)
{
  g_autoptr(GBytes) bytes = sb_file_read (file, SB_CALL_MAX_FILE_BYTES, SB_FILE_DEFAULT, error);
  g_autofree char *name = g_file_get_parse_name (file);

  if (bytes == NULL)
    return NULL;
  return sb_call_new_from_bytes (bytes, name, error);
}

const char *
sb_call_get_id (SbCall *self)
{
  return self->id;
}

gint64
sb_call_get_version (SbCall *self)
{
  return self->version;
}

const SbText *
sb_call_get_title (SbCall *self)
{
  return &self->title;
}

const SbText *
sb_call_get_bureau (SbCall *self)
{
  return &self->bureau;
}

gint64
sb_call_get_year (SbCall *self)
{
  return self->year;
}

const char *
sb_call_get_document_number (SbCall *self)
{
  return self->document_number;
}

/* The exact bytes the definition was read from: what a signed bundle
 * embeds and digests. */
GBytes *
sb_call_get_bytes (SbCall *self)
{
  return self->bytes;
}

const char *
sb_call_get_source (SbCall *self)
{
  return self->source;
}

const char *
sb_call_get_file_name (SbCall *self)
{
  return self->file;
}

gint64
sb_call_get_paper_copies (SbCall *self)
{
  return self->paper_copies;
}

GArray *
sb_call_get_deadlines (SbCall *self)
{
  return self->deadlines;
}

const SbDeadline *
sb_call_find_deadline (SbCall     *self,
                       const char *id)
{
  for (guint i = 0; i < self->deadlines->len; i++)
    if (g_str_equal (g_array_index (self->deadlines, SbDeadline, i).id, id))
      return &g_array_index (self->deadlines, SbDeadline, i);
  return NULL;
}

GArray *
sb_call_get_programmes (SbCall *self)
{
  return self->programmes;
}

const SbProgramme *
sb_call_find_programme (SbCall     *self,
                        const char *id)
{
  for (guint i = 0; i < self->programmes->len; i++)
    if (g_str_equal (g_array_index (self->programmes, SbProgramme, i).id, id))
      return &g_array_index (self->programmes, SbProgramme, i);
  return NULL;
}

GArray *
sb_call_get_guide_codes (SbCall *self)
{
  return self->guide_codes;
}

GArray *
sb_call_get_steps (SbCall *self)
{
  return self->steps;
}

GPtrArray *
sb_call_get_fields (SbCall *self)
{
  return self->fields;
}

SbField *
sb_call_find_field (SbCall     *self,
                    const char *id)
{
  return g_hash_table_lookup (self->fields_by_id, id);
}

GPtrArray *
sb_call_get_evaluation_order (SbCall *self)
{
  return self->order;
}

GPtrArray *
sb_call_get_rules (SbCall *self)
{
  return self->rules;
}

const char *
sb_call_get_source_title (SbCall *self)
{
  return self->source_title;
}

const char *
sb_call_get_source_date (SbCall *self)
{
  return self->source_date;
}

GArray *
sb_call_get_notices (SbCall *self)
{
  return self->notices;
}

GArray *
sb_call_get_quotas (SbCall *self)
{
  return self->quotas;
}

GArray *
sb_call_get_summary_header (SbCall *self)
{
  return self->summary_header;
}

GArray *
sb_call_get_attachments (SbCall *self)
{
  return self->attachments;
}

const SbAttachmentSpec *
sb_call_find_attachment (SbCall     *self,
                         const char *id)
{
  for (guint i = 0; i < self->attachments->len; i++)
    if (g_str_equal (g_array_index (self->attachments, SbAttachmentSpec, i).id, id))
      return &g_array_index (self->attachments, SbAttachmentSpec, i);
  return NULL;
}

SbPrintTemplate *
sb_call_get_print_template (SbCall *self)
{
  return self->print;
}

const SbText *
sb_call_get_summary_title (SbCall *self)
{
  return &self->summary_title;
}

GArray *
sb_call_get_summary_columns (SbCall *self)
{
  return self->summary_columns;
}

guint
sb_call_count_rules (SbCall *self)
{
  guint count = self->rules->len;

  for (guint i = 0; i < self->fields->len; i++)
    count += sb_field_get_row_rules (g_ptr_array_index (self->fields, i))->len;
  return count;
}

SbRule *
sb_call_find_rule (SbCall     *self,
                   const char *id)
{
  for (guint i = 0; i < self->rules->len; i++)
    if (g_str_equal (sb_rule_get_id (g_ptr_array_index (self->rules, i)), id))
      return g_ptr_array_index (self->rules, i);

  for (guint i = 0; i < self->fields->len; i++)
    {
      GPtrArray *row_rules = sb_field_get_row_rules (g_ptr_array_index (self->fields, i));

      for (guint j = 0; j < row_rules->len; j++)
        if (g_str_equal (sb_rule_get_id (g_ptr_array_index (row_rules, j)), id))
          return g_ptr_array_index (row_rules, j);
    }
  return NULL;
}

/* How names in expressions are found in this call: for tools that compile
 * expressions of their own against it. */
const SbExprResolver *
sb_call_get_resolver (SbCall *self)
{
  return &self->resolver;
}
