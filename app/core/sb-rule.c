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
  SbRuleKind   kind;
  SbRuleBasis  basis;
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
  GStrv        blind_fields;        /* blind review: field ids */
  GStrv        blind_attachments;   /* blind review: attachment ids */
  GPtrArray   *identities;          /* blind review: SbIdentity */
};

static void
identity_free (SbIdentity *identity)
{
  g_free (identity->source);
  g_free (identity->path);
  g_clear_pointer (&identity->expr, sb_expr_unref);
  g_free (identity);
}

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
  g_strfreev (self->blind_fields);
  g_strfreev (self->blind_attachments);
  g_ptr_array_unref (self->identities);

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
  self->identities = g_ptr_array_new_with_free_func ((GDestroyNotify) identity_free);
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

static const char *basis_names[] = { "call", "consistency", "format", "ours" };
static const char *identity_kinds[] = { "organisation", "code", "person" };

const char *
sb_rule_basis_to_string (SbRuleBasis basis)
{
  return basis_names[basis];
}

static gboolean
read_enum (SbJsonReader  *reader,
           const char    *member,
           const char   **names,
           guint          n_names,
           guint         *out,
           GError       **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) known = g_string_new (NULL);
  g_autofree char *path = NULL;

  if (!sb_json_reader_string (reader, member, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (text, names[i]))
      {
        *out = i;
        return TRUE;
      }
  path = sb_json_reader_path (reader, member);
  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (known, "%s“%s”", i ? ", " : "", names[i]);
  sb_set_error_at (error, CALL_ERROR, reader->file, path, _("“%s” is not one of %s"), text, known->str);
  return FALSE;
}

static gboolean
read_identities (SbRule        *self,
                 SbJsonReader  *reader,
                 GError       **error)
{
  JsonArray *identities = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "identities");

  if (!sb_json_reader_array (reader, "identities", TRUE, &identities, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (identities); i++)
    {
      g_autofree char *item_path = sb_json_path_index (path, i);
      g_auto(SbJsonReader) inner = { 0 };
      SbIdentity *identity = g_new0 (SbIdentity, 1);
      guint kind = 0;

      g_ptr_array_add (self->identities, identity);
      identity->path = sb_json_path_member (item_path, "value");
      if (!sb_json_reader_init (&inner, json_array_get_element (identities, i), reader->file, item_path,
                                CALL_ERROR, error) ||
          !sb_json_reader_string (&inner, "value", TRUE, &identity->source, error) ||
          !read_enum (&inner, "kind", identity_kinds, G_N_ELEMENTS (identity_kinds), &kind, error) ||
          !sb_json_reader_finish (&inner, error))
        return FALSE;
      identity->kind = kind;
    }
  return TRUE;
}

/* A blind review names the blind fields and attachment slots and the
 * identities that must not appear in them; it has no "check". */
static gboolean
read_blind_review (SbRule        *self,
                   SbJsonReader  *reader,
                   GError       **error)
{
  g_auto(SbJsonReader) inner = { 0 };
  g_autofree char *path = sb_json_reader_path (reader, "blind_review");
  JsonNode *node = sb_json_reader_node (reader, "blind_review");

  if (node == NULL)
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, reader->path,
                       _("a rule of kind “blind_review” needs the key “blind_review”"));
      return FALSE;
    }
  return sb_json_reader_init (&inner, node, reader->file, path, CALL_ERROR, error) &&
         sb_json_reader_string_array (&inner, "fields", &self->blind_fields, error) &&
         sb_json_reader_string_array (&inner, "attachments", &self->blind_attachments, error) &&
         read_identities (self, &inner, error) &&
         sb_json_reader_finish (&inner, error);
}

SbRule *
sb_rule_new_from_json (JsonNode    *node,
                       const char  *file,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(SbRule) self = g_object_new (SB_TYPE_RULE, NULL);
  g_auto(SbJsonReader) reader = { 0 };
  static const char *kinds[] = { "check", "blind_review" };
  guint kind = SB_RULE_KIND_CHECK, basis = SB_RULE_BASIS_CALL;

  self->path = g_strdup (path);
  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &self->id, error) ||
      !sb_check_identifier (self->id, file, path, error) ||
      !read_enum (&reader, "kind", kinds, G_N_ELEMENTS (kinds), &kind, error) ||
      !read_enum (&reader, "basis", basis_names, G_N_ELEMENTS (basis_names), &basis, error) ||
      !read_severity (self, &reader, error))
    return NULL;
  self->kind = kind;
  self->basis = basis;

  if (!sb_json_reader_string (&reader, "when", FALSE, &self->when_source, error) ||
      !sb_json_reader_string (&reader, "check", self->kind == SB_RULE_KIND_CHECK, &self->check_source, error) ||
      (self->kind == SB_RULE_KIND_BLIND_REVIEW && !read_blind_review (self, &reader, error)) ||
      !sb_text_read (&reader, "message", TRUE, &self->message_text, error) ||
      !sb_citation_read (&reader, "citation", self->basis == SB_RULE_BASIS_CALL, &self->citation, error) ||
      !sb_json_reader_string_array (&reader, "fields", &self->field_ids, error) ||
      !sb_json_reader_finish (&reader, error))
    return NULL;

  if (self->kind == SB_RULE_KIND_BLIND_REVIEW && self->check_source != NULL)
    {
      sb_set_error_at (error, CALL_ERROR, file, path, _("a blind review has no “check”"));
      return NULL;
    }
  /* our own plausibility checks never block an export */
  if (self->basis == SB_RULE_BASIS_OURS && self->severity == SB_SEVERITY_ERROR)
    {
      g_autofree char *basis_path = sb_json_path_member (path, "basis");
      sb_set_error_at (error, CALL_ERROR, file, basis_path,
                       _("a check of our own (“ours”) is a warning or info, never an error: only what the call "
                         "states, a self-contradiction or a malformed identifier blocks an export"));
      return NULL;
    }

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
  if (self->field_ids == NULL && self->check == NULL)
    return TRUE;
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

static gboolean
compile_identity (SbIdentity            *identity,
                  const SbExprResolver  *resolver,
                  const char            *file,
                  GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SbExpr) expr = sb_expr_parse (identity->source, &local_error);
  SbExprType type;

  if (expr == NULL || !sb_expr_check (expr, resolver, NULL, &local_error))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, identity->path, "%s", local_error->message);
      return FALSE;
    }
  type = sb_expr_get_result_type (expr);
  if (type != SB_EXPR_STRING && type != (SB_EXPR_STRING | SB_EXPR_LIST))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, identity->path,
                       _("an identity is a text or a column of texts, not %s"), sb_expr_type_to_string (type));
      return FALSE;
    }
  identity->expr = g_steal_pointer (&expr);
  return TRUE;
}

static gboolean
compile_blind_review (SbRule                *self,
                      const SbExprResolver  *resolver,
                      const char            *file,
                      GError               **error)
{
  for (guint i = 0; i < self->identities->len; i++)
    if (!compile_identity (g_ptr_array_index (self->identities, i), resolver, file, error))
      return FALSE;

  /* a problem points at the first blind field, if any */
  for (guint i = 0; self->field_ids == NULL && self->blind_fields != NULL && self->blind_fields[i] != NULL; i++)
    {
      SbExprRef ref = { 0 };
      g_autoptr(GError) local_error = NULL;

      if (!resolver->resolve (self->blind_fields[i], &ref, resolver->user_data, &local_error))
        {
          g_autofree char *list_path = g_strconcat (self->path, ".blind_review.fields", NULL);
          g_autofree char *item_path = sb_json_path_index (list_path, i);
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

  if (self->check_source != NULL &&
      (self->check = compile (self->check_source, file, self->path, "check", resolver, row_table, error)) == NULL)
    return FALSE;

  if (self->kind == SB_RULE_KIND_BLIND_REVIEW && !compile_blind_review (self, resolver, file, error))
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

/* A problem of a rule that is not a condition of the call says what it is. */
void
sb_rule_label_problem (SbRule    *self,
                       SbProblem *problem)
{
  static const char *zh[] = { NULL, "（一致性检查：申报材料自相矛盾）", "（格式检查）",
                              "（本软件的提示，不是申报通知的规定）" };
  static const char *en[] = { NULL, " (consistency check: the application contradicts itself)",
                              " (format check)", " (a hint of Shenbao, not a rule of the call)" };
  char *text;

  if (self->basis == SB_RULE_BASIS_CALL)
    return;
  g_free (problem->basis);
  problem->basis = g_strdup (basis_names[self->basis]);
  text = g_strconcat (problem->message_zh, zh[self->basis], NULL);
  g_free (problem->message_zh);
  problem->message_zh = text;
  text = g_strconcat (problem->message_en, en[self->basis], NULL);
  g_free (problem->message_en);
  problem->message_en = text;
}

SbRuleKind
sb_rule_get_kind (SbRule *self)
{
  return self->kind;
}

SbRuleBasis
sb_rule_get_basis (SbRule *self)
{
  return self->basis;
}

GStrv
sb_rule_get_blind_field_ids (SbRule *self)
{
  return self->blind_fields;
}

GStrv
sb_rule_get_blind_attachment_ids (SbRule *self)
{
  return self->blind_attachments;
}

GPtrArray *
sb_rule_get_identities (SbRule *self)
{
  return self->identities;
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
