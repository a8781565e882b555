/* sb-rule.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-rule.h"

#define CALL_ERROR SB_ERROR_INVALID_CALL

struct _SbRule
{
  GObject      parent_instance;

  char        *id;
  char        *path;
  SbSeverity   severity;
  char        *when_source;
  SbExpr      *when;
  char        *check_source;
  SbExpr      *check;
  SbText       message_text;
  SbTemplate  *message_zh;
  SbTemplate  *message_en;
  SbCitation   citation;
  GStrv        field_ids;
  GPtrArray   *fields;        /* fields (SbField), unowned: the ones a problem points at */
};

G_DEFINE_FINAL_TYPE (SbRule, sb_rule, G_TYPE_OBJECT)

static void
sb_rule_finalize (GObject *object)
{
  SbRule *self = SB_RULE (object);

  g_free (self->id);
  g_free (self->path);
  g_free (self->when_source);
  g_clear_pointer (&self->when, sb_expr_unref);
  g_free (self->check_source);
  g_clear_pointer (&self->check, sb_expr_unref);
  sb_text_clear (&self->message_text);
  g_clear_pointer (&self->message_zh, sb_template_free);
  g_clear_pointer (&self->message_en, sb_template_free);
  sb_citation_clear (&self->citation);
  g_strfreev (self->field_ids);
  g_ptr_array_unref (self->fields);

  G_OBJECT_CLASS (sb_rule_parent_class)->finalize (object);
}

static void
sb_rule_class_init (SbRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_rule_finalize;
}

static void
sb_rule_init (SbRule *self)
{
  self->fields = g_ptr_array_new ();
}

static gboolean
read_severity (SbRule        *self,
               SbJsonReader  *reader,
               GError       **error)
{
  g_autofree char *severity = NULL;

  if (!sb_json_reader_string (reader, "severity", TRUE, &severity, error))
    return FALSE;

  if (!sb_severity_from_string (severity, &self->severity))
    {
      g_autofree char *path = sb_json_reader_path (reader, "severity");
      sb_set_error_at (error, CALL_ERROR, reader->file, path,
                       _("the severity is “error”, “warning” or “info”, not “%s”"), severity);
      return FALSE;
    }
  return TRUE;
}

SbRule *
sb_rule_new_from_json (JsonNode    *node,
                       const char  *file,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(SbRule) self = g_object_new (SB_TYPE_RULE, NULL);
  g_auto(SbJsonReader) reader = { 0 };

  self->path = g_strdup (path);
  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &self->id, error) ||
      !sb_check_identifier (self->id, file, path, error) ||
      !read_severity (self, &reader, error) ||
      !sb_json_reader_string (&reader, "when", FALSE, &self->when_source, error) ||
      !sb_json_reader_string (&reader, "check", TRUE, &self->check_source, error) ||
      !sb_text_read (&reader, "message", TRUE, &self->message_text, error) ||
      !sb_citation_read (&reader, "citation", TRUE, &self->citation, error) ||
      !sb_json_reader_string_array (&reader, "fields", &self->field_ids, error) ||
      !sb_json_reader_finish (&reader, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Reads the array of rules at @member of @reader, if there is one. */
gboolean
sb_rule_read_array (SbJsonReader  *reader,
                    const char    *member,
                    GPtrArray     *out,
                    GError       **error)
{
  JsonArray *rules = NULL;
  g_autofree char *path = sb_json_reader_path (reader, member);

  if (!sb_json_reader_array (reader, member, FALSE, &rules, error))
    return FALSE;

  for (guint i = 0; rules != NULL && i < json_array_get_length (rules); i++)
    {
      g_autofree char *rule_path = sb_json_path_index (path, i);
      SbRule *rule = sb_rule_new_from_json (json_array_get_element (rules, i), reader->file, rule_path, error);

      if (rule == NULL)
        return FALSE;
      g_ptr_array_add (out, rule);
    }
  return TRUE;
}

static SbExpr *
compile (const char            *source,
         const char            *file,
         const char            *path,
         const char            *member,
         const SbExprResolver  *resolver,
         gpointer               row_table,
         GError               **error)
{
  g_autofree char *member_path = sb_json_path_member (path, member);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SbExpr) expr = sb_expr_parse (source, &local_error);

  if (expr == NULL || !sb_expr_check (expr, resolver, row_table, &local_error))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, member_path, "%s", local_error->message);
      return NULL;
    }
  if (sb_expr_get_result_type (expr) != SB_EXPR_BOOL)
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, member_path,
                       _("a rule’s “%s” must give a yes/no value, not %s"), member,
                       sb_expr_type_to_string (sb_expr_get_result_type (expr)));
      return NULL;
    }
  return g_steal_pointer (&expr);
}

static SbTemplate *
compile_message (const char            *text,
                 const char            *file,
                 const char            *path,
                 const char            *language,
                 const SbExprResolver  *resolver,
                 gpointer               row_table,
                 GError               **error)
{
  g_autofree char *message_path = sb_json_path_member (path, "message");
  g_autofree char *language_path = sb_json_path_member (message_path, language);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SbTemplate) message = sb_template_parse (text, &local_error);

  if (message == NULL || !sb_template_check (message, resolver, row_table, &local_error))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, language_path, "%s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&message);
}

static gboolean
resolve_fields (SbRule                *self,
                const SbExprResolver  *resolver,
                const char            *file,
                GError               **error)
{
  g_autofree char *fields_path = sb_json_path_member (self->path, "fields");

  /* by default a problem points at what the check reads; the condition
   * under which it applies only when the check reads no field */
  if (self->field_ids == NULL)
    {
      sb_expr_collect_fields (self->check, self->fields);
      if (self->fields->len == 0 && self->when != NULL)
        sb_expr_collect_fields (self->when, self->fields);
      return TRUE;
    }

  for (guint i = 0; self->field_ids[i] != NULL; i++)
    {
      SbExprRef ref = { 0 };
      g_autoptr(GError) local_error = NULL;

      if (!resolver->resolve (self->field_ids[i], &ref, resolver->user_data, &local_error))
        {
          g_autofree char *item_path = sb_json_path_index (fields_path, i);
          sb_set_error_at (error, CALL_ERROR, file, item_path, "%s", local_error->message);
          return FALSE;
        }
      g_free (ref.member);
      if (!g_ptr_array_find (self->fields, ref.field, NULL))
        g_ptr_array_add (self->fields, ref.field);
    }
  return TRUE;
}

gboolean
sb_rule_compile (SbRule                *self,
                 const SbExprResolver  *resolver,
                 const char            *file,
                 gpointer               row_table,
                 GError               **error)
{
  if (self->when_source != NULL &&
      (self->when = compile (self->when_source, file, self->path, "when", resolver, row_table, error)) == NULL)
    return FALSE;

  if ((self->check = compile (self->check_source, file, self->path, "check", resolver, row_table, error)) == NULL)
    return FALSE;

  if ((self->message_zh = compile_message (self->message_text.zh, file, self->path, "zh",
                                           resolver, row_table, error)) == NULL ||
      (self->message_en = compile_message (self->message_text.en, file, self->path, "en",
                                           resolver, row_table, error)) == NULL)
    return FALSE;

  return resolve_fields (self, resolver, file, error);
}

const char *
sb_rule_get_id (SbRule *self)
{
  return self->id;
}

const char *
sb_rule_get_path (SbRule *self)
{
  return self->path;
}

SbSeverity
sb_rule_get_severity (SbRule *self)
{
  return self->severity;
}

SbExpr *
sb_rule_get_when (SbRule *self)
{
  return self->when;
}

SbExpr *
sb_rule_get_check (SbRule *self)
{
  return self->check;
}

SbTemplate *
sb_rule_get_message (SbRule   *self,
                     gboolean  chinese)
{
  return chinese ? self->message_zh : self->message_en;
}

const SbCitation *
sb_rule_get_citation (SbRule *self)
{
  return &self->citation;
}

GPtrArray *
sb_rule_get_fields (SbRule *self)
{
  return self->fields;
}
