/* sb-field.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-field.h"
#include "sb-rule.h"

#define CALL_ERROR SB_ERROR_INVALID_CALL

struct _SbField
{
  GObject      parent_instance;

  char        *id;
  char        *path;
  SbFieldType  type;
  SbText       label;
  SbText       help;
  SbText       text;          /* the full text of a declaration */
  SbCitation   citation;
  gboolean     required;

  char        *relevant_source;
  SbExpr      *relevant;
  char        *calculate_source;
  SbExpr      *calculate;

  gint64       min_length;    /* -1: no limit */
  gint64       max_length;
  gboolean     has_min;
  gboolean     has_max;
  SbNumber     min;
  SbNumber     max;
  SbFormat     format;
  SbRegex     *pattern;
  SbText       pattern_hint;
  SbMoneyUnit  unit;
  guint        decimals;

  GArray      *options;       /* SbOption */
  char        *options_from;
  gint64       min_choices;
  gint64       max_choices;

  GPtrArray   *children;      /* SbField: a table's columns, a person's parts */
  gint64       min_rows;
  gint64       max_rows;
  GPtrArray   *row_rules;     /* SbRule */

  SbField     *parent;        /* unowned */
  int          index;
  int          step;
};

G_DEFINE_FINAL_TYPE (SbField, sb_field, G_TYPE_OBJECT)

static const char *const type_names[] = {
  [SB_FIELD_TEXT] = "text",
  [SB_FIELD_TEXTAREA] = "textarea",
  [SB_FIELD_MONEY] = "money",
  [SB_FIELD_INTEGER] = "integer",
  [SB_FIELD_DECIMAL] = "decimal",
  [SB_FIELD_DATE] = "date",
  [SB_FIELD_CHOICE] = "choice",
  [SB_FIELD_MULTI_CHOICE] = "multi_choice",
  [SB_FIELD_YESNO] = "yesno",
  [SB_FIELD_DECLARATION] = "declaration",
  [SB_FIELD_PERSON] = "person",
  [SB_FIELD_ORGANISATION] = "organisation",
  [SB_FIELD_TABLE] = "table",
  NULL
};

static const char *const format_names[] = {
  [SB_FORMAT_NONE] = "none",
  [SB_FORMAT_USCC] = "uscc",
  [SB_FORMAT_ID_CARD] = "id_card",
  [SB_FORMAT_MOBILE] = "mobile",
  [SB_FORMAT_EMAIL] = "email",
  NULL
};

/* The parts a person or an organisation can have; a field lists the ones
 * its form asks for. */
typedef struct {
  const char  *id;
  SbFieldType  type;
  SbFormat     format;
  const char  *zh;
  const char  *en;
  const char  *options;   /* "value|中文|English;…" for choices */
} Part;

static const Part person_parts[] = {
  { "name", SB_FIELD_TEXT, SB_FORMAT_NONE, "姓名", "Name", NULL },
  { "gender", SB_FIELD_CHOICE, SB_FORMAT_NONE, "性别", "Gender", "male|男|Male;female|女|Female" },
  { "birth_date", SB_FIELD_DATE, SB_FORMAT_NONE, "出生日期", "Date of birth", NULL },
  { "id_number", SB_FIELD_TEXT, SB_FORMAT_ID_CARD, "身份证号", "ID card number", NULL },
  { "degree", SB_FIELD_CHOICE, SB_FORMAT_NONE, "学历学位", "Highest degree",
    "doctorate|博士研究生|Doctorate;master|硕士研究生|Master;bachelor|大学本科|Bachelor;college|大专|College diploma;other|其他|Other" },
  { "title", SB_FIELD_TEXT, SB_FORMAT_NONE, "职称", "Professional title", NULL },
  { "position", SB_FIELD_TEXT, SB_FORMAT_NONE, "职务", "Position", NULL },
  { "major", SB_FIELD_TEXT, SB_FORMAT_NONE, "所学专业", "Field of study", NULL },
  { "employer", SB_FIELD_TEXT, SB_FORMAT_NONE, "工作单位", "Employer", NULL },
  { "mobile", SB_FIELD_TEXT, SB_FORMAT_MOBILE, "手机", "Mobile phone", NULL },
  { "phone", SB_FIELD_TEXT, SB_FORMAT_NONE, "办公电话", "Office phone", NULL },
  { "email", SB_FIELD_TEXT, SB_FORMAT_EMAIL, "电子邮箱", "E-mail", NULL },
};

static const Part organisation_parts[] = {
  { "name", SB_FIELD_TEXT, SB_FORMAT_NONE, "单位名称", "Name", NULL },
  { "uscc", SB_FIELD_TEXT, SB_FORMAT_USCC, "统一社会信用代码", "Unified social credit code", NULL },
  { "org_type", SB_FIELD_CHOICE, SB_FORMAT_NONE, "单位性质", "Kind of organisation",
    "enterprise|企业|Enterprise;university|高等院校|University;institute|科研院所|Research institute;"
    "hospital|医疗卫生机构|Medical institution;public|其他事业单位|Other public institution;other|其他|Other" },
  { "address", SB_FIELD_TEXT, SB_FORMAT_NONE, "通讯地址", "Address", NULL },
  { "region", SB_FIELD_TEXT, SB_FORMAT_NONE, "所在县（市、区）", "County or district", NULL },
  { "registered_date", SB_FIELD_DATE, SB_FORMAT_NONE, "注册日期", "Date of registration", NULL },
  { "legal_rep", SB_FIELD_TEXT, SB_FORMAT_NONE, "法定代表人", "Legal representative", NULL },
  { "contact", SB_FIELD_TEXT, SB_FORMAT_NONE, "联系人", "Contact person", NULL },
  { "contact_mobile", SB_FIELD_TEXT, SB_FORMAT_MOBILE, "联系人手机", "Contact's mobile phone", NULL },
  { "phone", SB_FIELD_TEXT, SB_FORMAT_NONE, "联系电话", "Phone", NULL },
  { "email", SB_FIELD_TEXT, SB_FORMAT_EMAIL, "电子邮箱", "E-mail", NULL },
  { "country", SB_FIELD_TEXT, SB_FORMAT_NONE, "国别或地区", "Country or region", NULL },
};

static void
sb_field_finalize (GObject *object)
{
  SbField *self = SB_FIELD (object);

  g_free (self->id);
  g_free (self->path);
  sb_text_clear (&self->label);
  sb_text_clear (&self->help);
  sb_text_clear (&self->text);
  sb_citation_clear (&self->citation);
  g_free (self->relevant_source);
  g_clear_pointer (&self->relevant, sb_expr_unref);
  g_free (self->calculate_source);
  g_clear_pointer (&self->calculate, sb_expr_unref);
  g_clear_pointer (&self->pattern, sb_regex_free);
  sb_text_clear (&self->pattern_hint);
  g_clear_pointer (&self->options, g_array_unref);
  g_free (self->options_from);
  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->row_rules, g_ptr_array_unref);

  G_OBJECT_CLASS (sb_field_parent_class)->finalize (object);
}

static void
sb_field_class_init (SbFieldClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_field_finalize;
}

static void
sb_field_init (SbField *self)
{
  self->min_length = -1;
  self->max_length = -1;
  self->min_choices = -1;
  self->max_choices = -1;
  self->min_rows = -1;
  self->max_rows = -1;
  self->index = -1;
  self->step = -1;
  self->decimals = 2;
  self->options = g_array_new (FALSE, TRUE, sizeof (SbOption));
  g_array_set_clear_func (self->options, (GDestroyNotify) sb_option_clear);
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->row_rules = g_ptr_array_new_with_free_func (g_object_unref);
}

const char *
sb_field_type_to_string (SbFieldType type)
{
  return type_names[type];
}

SbExprType
sb_field_type_to_expr_type (SbFieldType type)
{
  switch (type)
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
    case SB_FIELD_CHOICE:
      return SB_EXPR_STRING;
    case SB_FIELD_MONEY:
      return SB_EXPR_MONEY;
    case SB_FIELD_INTEGER:
    case SB_FIELD_DECIMAL:
      return SB_EXPR_NUMBER;
    case SB_FIELD_DATE:
      return SB_EXPR_DATE;
    case SB_FIELD_MULTI_CHOICE:
      return SB_EXPR_LIST | SB_EXPR_STRING;
    case SB_FIELD_YESNO:
    case SB_FIELD_DECLARATION:
      return SB_EXPR_BOOL;
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      return SB_EXPR_RECORD;
    case SB_FIELD_TABLE:
      return SB_EXPR_TABLE;
    }
  g_assert_not_reached ();
}

static void
add_options_from_spec (SbField    *self,
                       const char *spec)
{
  g_auto(GStrv) entries = g_strsplit (spec, ";", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], "|", 3);
      SbOption option = { 0 };

      option.value = g_strdup (parts[0]);
      option.label.zh = g_strdup (parts[1]);
      option.label.en = g_strdup (parts[2]);
      g_array_append_val (self->options, option);
    }
}

static SbField *
field_from_part (const Part *part,
                 SbField    *parent,
                 gboolean    required)
{
  SbField *child = g_object_new (SB_TYPE_FIELD, NULL);

  child->id = g_strdup (part->id);
  child->path = sb_json_path_member (parent->path, part->id);
  child->type = part->type;
  child->format = part->format;
  child->label.zh = g_strdup (part->zh);
  child->label.en = g_strdup (part->en);
  child->required = required;
  child->parent = parent;
  if (part->options != NULL)
    add_options_from_spec (child, part->options);
  return child;
}

static const Part *
find_part (SbFieldType  type,
           const char  *id)
{
  const Part *parts = type == SB_FIELD_PERSON ? person_parts : organisation_parts;
  guint n = type == SB_FIELD_PERSON ? G_N_ELEMENTS (person_parts) : G_N_ELEMENTS (organisation_parts);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (parts[i].id, id))
      return &parts[i];
  return NULL;
}

static char *
known_parts (SbFieldType type)
{
  const Part *parts = type == SB_FIELD_PERSON ? person_parts : organisation_parts;
  guint n = type == SB_FIELD_PERSON ? G_N_ELEMENTS (person_parts) : G_N_ELEMENTS (organisation_parts);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", parts[i].id);
  return g_string_free (out, FALSE);
}

static gboolean
read_parts (SbField       *self,
            SbJsonReader  *reader,
            GError       **error)
{
  g_auto(GStrv) required = NULL;
  g_auto(GStrv) optional = NULL;

  if (!sb_json_reader_string_array (reader, "subfields", &required, error) ||
      !sb_json_reader_string_array (reader, "optional_subfields", &optional, error))
    return FALSE;

  if (required == NULL)
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, reader->path,
                       _("a %s field needs “subfields”: the parts the form asks for"),
                       type_names[self->type]);
      return FALSE;
    }

  for (guint pass = 0; pass < 2; pass++)
    {
      GStrv ids = pass == 0 ? required : optional;
      const char *member = pass == 0 ? "subfields" : "optional_subfields";

      for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
        {
          const Part *part = find_part (self->type, ids[i]);
          g_autofree char *list_path = sb_json_reader_path (reader, member);
          g_autofree char *item_path = sb_json_path_index (list_path, i);

          if (part == NULL)
            {
              g_autofree char *known = known_parts (self->type);

              sb_set_error_at (error, CALL_ERROR, reader->file, item_path,
                               _("a %s has no part “%s”; known parts are %s"),
                               type_names[self->type], ids[i], known);
              return FALSE;
            }
          if (sb_field_find_child (self, ids[i]) != NULL)
            {
              sb_set_error_at (error, CALL_ERROR, reader->file, item_path,
                               _("the part “%s” is listed twice"), ids[i]);
              return FALSE;
            }
          g_ptr_array_add (self->children, field_from_part (part, self, pass == 0));
        }
    }
  return TRUE;
}

static gboolean
read_columns (SbField       *self,
              SbJsonReader  *reader,
              GError       **error)
{
  JsonArray *columns = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "columns");

  if (!sb_json_reader_array (reader, "columns", TRUE, &columns, error))
    return FALSE;

  if (json_array_get_length (columns) == 0)
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, path, _("a table needs at least one column"));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      g_autofree char *column_path = sb_json_path_index (path, i);
      SbField *column = sb_field_new_from_json (json_array_get_element (columns, i), reader->file,
                                                column_path, TRUE, error);

      if (column == NULL)
        return FALSE;
      if (sb_field_find_child (self, column->id) != NULL)
        {
          sb_set_error_at (error, CALL_ERROR, reader->file, column_path,
                           _("the column id “%s” is used twice"), column->id);
          g_object_unref (column);
          return FALSE;
        }
      column->parent = self;
      g_ptr_array_add (self->children, column);
    }
  return TRUE;
}

static gboolean
read_options (SbField       *self,
              SbJsonReader  *reader,
              GError       **error)
{
  JsonArray *options = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "options");

  if (!sb_json_reader_array (reader, "options", FALSE, &options, error) ||
      !sb_json_reader_string (reader, "options_from", FALSE, &self->options_from, error))
    return FALSE;

  if ((options == NULL) == (self->options_from == NULL))
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, reader->path,
                       _("a choice needs either “options” or “options_from”"));
      return FALSE;
    }

  if (self->options_from != NULL &&
      !g_str_equal (self->options_from, "programmes") && !g_str_equal (self->options_from, "guide_codes"))
    {
      g_autofree char *from_path = sb_json_reader_path (reader, "options_from");

      sb_set_error_at (error, CALL_ERROR, reader->file, from_path,
                       _("“options_from” is “programmes” or “guide_codes”, not “%s”"), self->options_from);
      return FALSE;
    }

  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    {
      g_autofree char *option_path = sb_json_path_index (path, i);
      SbOption option = { 0 };

      if (!sb_option_read (json_array_get_element (options, i), reader->file, option_path, &option, error))
        {
          sb_option_clear (&option);
          return FALSE;
        }
      if (sb_field_find_option (self, option.value) != NULL)
        {
          sb_set_error_at (error, CALL_ERROR, reader->file, option_path,
                           _("the option value “%s” is used twice"), option.value);
          sb_option_clear (&option);
          return FALSE;
        }
      g_array_append_val (self->options, option);
    }

  if (options != NULL && self->options->len == 0)
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, path, _("a choice needs at least one option"));
      return FALSE;
    }
  return TRUE;
}

/* A bound is written the way a person writes it: "150万" for money,
 * "2.5" or 3 for numbers. */
static gboolean
read_bound (SbField       *self,
            SbJsonReader  *reader,
            const char    *member,
            gboolean      *has,
            SbNumber      *out,
            GError       **error)
{
  JsonNode *node = sb_json_reader_node (reader, member);
  g_autofree char *path = sb_json_reader_path (reader, member);
  g_autoptr(GError) local_error = NULL;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      self->type != SB_FIELD_MONEY)
    *out = sb_number_from_int (json_node_get_int (node));
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      gint64 yuan;

      if (self->type == SB_FIELD_MONEY)
        {
          if (!sb_money_parse (text, SB_MONEY_UNIT_YUAN, &yuan, &local_error))
            {
              sb_set_error_at (error, CALL_ERROR, reader->file, path, "%s", local_error->message);
              return FALSE;
            }
          if (!sb_money_has_unit (text))
            {
              sb_set_error_at (error, CALL_ERROR, reader->file, path,
                               _("write a money bound with its unit, e.g. \"150万\" or \"1500000元\", not \"%s\""),
                               text);
              return FALSE;
            }
          *out = sb_number_from_int (yuan);
        }
      else if (!sb_number_parse_decimal (text, 12, out, &local_error))
        {
          sb_set_error_at (error, CALL_ERROR, reader->file, path, "%s", local_error->message);
          return FALSE;
        }
    }
  else
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, path,
                       self->type == SB_FIELD_MONEY
                       ? _("write a money bound as a text with its unit, e.g. \"150万\" or \"1500000元\"")
                       : _("expected an integer or a decimal number in quotes, found %s"),
                       sb_json_node_type_name (node));
      return FALSE;
    }

  *has = TRUE;
  return TRUE;
}

static gboolean
read_type (SbField       *self,
           SbJsonReader  *reader,
           gboolean       is_column,
           GError       **error)
{
  g_autofree char *type = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "type");

  if (!sb_json_reader_string (reader, "type", TRUE, &type, error))
    return FALSE;

  for (guint i = 0; type_names[i] != NULL; i++)
    if (g_str_equal (type, type_names[i]))
      {
        self->type = i;
        if (is_column && (i == SB_FIELD_TABLE || i == SB_FIELD_PERSON || i == SB_FIELD_ORGANISATION ||
                          i == SB_FIELD_MULTI_CHOICE || i == SB_FIELD_DECLARATION))
          {
            sb_set_error_at (error, CALL_ERROR, reader->file, path,
                             _("a table column cannot be of type “%s”"), type);
            return FALSE;
          }
        return TRUE;
      }

  {
    g_autofree char *known = g_strjoinv (", ", (char **) type_names);
    sb_set_error_at (error, CALL_ERROR, reader->file, path, _("unknown field type “%s”; known types are %s"),
                     type, known);
  }
  return FALSE;
}

static gboolean
read_format (SbField       *self,
             SbJsonReader  *reader,
             GError       **error)
{
  g_autofree char *format = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *path = sb_json_reader_path (reader, "format");

  if (!sb_json_reader_string (reader, "format", FALSE, &format, error) ||
      !sb_json_reader_string (reader, "pattern", FALSE, &pattern, error) ||
      !sb_text_read (reader, "pattern_hint", pattern != NULL, &self->pattern_hint, error))
    return FALSE;

  if (format != NULL)
    {
      guint i;

      for (i = 1; format_names[i] != NULL; i++)
        if (g_str_equal (format, format_names[i]))
          break;
      if (format_names[i] == NULL)
        {
          sb_set_error_at (error, CALL_ERROR, reader->file, path,
                           _("unknown format “%s”; known are uscc, id_card, mobile, email"), format);
          return FALSE;
        }
      self->format = i;
    }

  if (pattern != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      self->pattern = sb_regex_new (pattern, &local_error);
      if (self->pattern == NULL)
        {
          g_autofree char *pattern_path = sb_json_reader_path (reader, "pattern");
          sb_set_error_at (error, CALL_ERROR, reader->file, pattern_path,
                           _("not a valid regular expression: %s"), local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_unit (SbField       *self,
           SbJsonReader  *reader,
           GError       **error)
{
  g_autofree char *unit = NULL;

  if (!sb_json_reader_string (reader, "unit", FALSE, &unit, error))
    return FALSE;

  if (unit == NULL || g_str_equal (unit, "万元"))
    self->unit = SB_MONEY_UNIT_WAN;
  else if (g_str_equal (unit, "元"))
    self->unit = SB_MONEY_UNIT_YUAN;
  else
    {
      g_autofree char *path = sb_json_reader_path (reader, "unit");
      sb_set_error_at (error, CALL_ERROR, reader->file, path, _("the unit is “万元” or “元”, not “%s”"), unit);
      return FALSE;
    }
  return TRUE;
}

/* Keys that only make sense for some types are refused elsewhere, so a
 * typo such as "max_length" on a money field is not silently ignored. */
static gboolean
check_keys_fit_type (SbField       *self,
                     SbJsonReader  *reader,
                     GError       **error)
{
  static const struct {
    const char *key;
    guint       types;
  } applicable[] = {
#define T(x) (1u << SB_FIELD_##x)
    { "min_length", T (TEXT) | T (TEXTAREA) },
    { "max_length", T (TEXT) | T (TEXTAREA) },
    { "format", T (TEXT) },
    { "pattern", T (TEXT) | T (TEXTAREA) },
    { "pattern_hint", T (TEXT) | T (TEXTAREA) },
    { "min", T (MONEY) | T (INTEGER) | T (DECIMAL) },
    { "max", T (MONEY) | T (INTEGER) | T (DECIMAL) },
    { "unit", T (MONEY) },
    { "decimals", T (DECIMAL) },
    { "options", T (CHOICE) | T (MULTI_CHOICE) },
    { "options_from", T (CHOICE) | T (MULTI_CHOICE) },
    { "min_choices", T (MULTI_CHOICE) },
    { "max_choices", T (MULTI_CHOICE) },
    { "text", T (DECLARATION) },
    { "subfields", T (PERSON) | T (ORGANISATION) },
    { "optional_subfields", T (PERSON) | T (ORGANISATION) },
    { "columns", T (TABLE) },
    { "min_rows", T (TABLE) },
    { "max_rows", T (TABLE) },
    { "row_rules", T (TABLE) },
#undef T
  };

  for (guint i = 0; i < G_N_ELEMENTS (applicable); i++)
    if (sb_json_reader_has (reader, applicable[i].key) && !(applicable[i].types & (1u << self->type)))
      {
        g_autofree char *path = sb_json_reader_path (reader, applicable[i].key);
        sb_set_error_at (error, CALL_ERROR, reader->file, path,
                         _("“%s” does not apply to a %s field"), applicable[i].key, type_names[self->type]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_type_specific (SbField       *self,
                    SbJsonReader  *reader,
                    GError       **error)
{
  gint64 decimals = 2;

  if (!check_keys_fit_type (self, reader, error))
    return FALSE;

  switch (self->type)
    {
    case SB_FIELD_TEXT:
    case SB_FIELD_TEXTAREA:
      return sb_json_reader_int (reader, "min_length", FALSE, 0, SB_FIELD_MAX_LENGTH, &self->min_length, error) &&
             sb_json_reader_int (reader, "max_length", FALSE, 1, SB_FIELD_MAX_LENGTH, &self->max_length, error) &&
             read_format (self, reader, error);
    case SB_FIELD_MONEY:
      /* no typed amount is negative unless a definition says so; a
       * calculated one is held only to the bounds the definition states
       * (the rule that makes it negative speaks for itself) */
      self->has_min = self->calculate_source == NULL;
      self->min = sb_number_from_int (0);
      return read_unit (self, reader, error) &&
             read_bound (self, reader, "min", &self->has_min, &self->min, error) &&
             read_bound (self, reader, "max", &self->has_max, &self->max, error);
    case SB_FIELD_INTEGER:
      return read_bound (self, reader, "min", &self->has_min, &self->min, error) &&
             read_bound (self, reader, "max", &self->has_max, &self->max, error);
    case SB_FIELD_DECIMAL:
      if (!sb_json_reader_int (reader, "decimals", FALSE, 0, 8, &decimals, error))
        return FALSE;
      self->decimals = (guint) decimals;
      return read_bound (self, reader, "min", &self->has_min, &self->min, error) &&
             read_bound (self, reader, "max", &self->has_max, &self->max, error);
    case SB_FIELD_CHOICE:
      return read_options (self, reader, error);
    case SB_FIELD_MULTI_CHOICE:
      return read_options (self, reader, error) &&
             sb_json_reader_int (reader, "min_choices", FALSE, 0, 1000, &self->min_choices, error) &&
             sb_json_reader_int (reader, "max_choices", FALSE, 1, 1000, &self->max_choices, error);
    case SB_FIELD_DECLARATION:
      return sb_text_read (reader, "text", TRUE, &self->text, error);
    case SB_FIELD_PERSON:
    case SB_FIELD_ORGANISATION:
      return read_parts (self, reader, error);
    case SB_FIELD_TABLE:
      return read_columns (self, reader, error) &&
             sb_json_reader_int (reader, "min_rows", FALSE, 0, SB_FIELD_MAX_ROWS, &self->min_rows, error) &&
             sb_json_reader_int (reader, "max_rows", FALSE, 1, SB_FIELD_MAX_ROWS, &self->max_rows, error) &&
             sb_rule_read_array (reader, "row_rules", self->row_rules, error);
    default:
      return TRUE;
    }
}

static gboolean
check_limits (SbField       *self,
              SbJsonReader  *reader,
              GError       **error)
{
  const char *problem = NULL;
  int order = 0;

  if (self->min_length >= 0 && self->max_length >= 0 && self->min_length > self->max_length)
    problem = "min_length > max_length";
  else if (self->min_rows >= 0 && self->max_rows >= 0 && self->min_rows > self->max_rows)
    problem = "min_rows > max_rows";
  else if (self->min_choices >= 0 && self->max_choices >= 0 && self->min_choices > self->max_choices)
    problem = "min_choices > max_choices";
  else if (self->has_min && self->has_max && sb_number_compare (self->min, self->max, &order, NULL) && order > 0)
    problem = "min > max";

  if (problem != NULL)
    {
      sb_set_error_at (error, CALL_ERROR, reader->file, reader->path, _("the limits contradict each other: %s"), problem);
      return FALSE;
    }
  return TRUE;
}

SbField *
sb_field_new_from_json (JsonNode    *node,
                        const char  *file,
                        const char  *path,
                        gboolean     is_column,
                        GError     **error)
{
  g_autoptr(SbField) self = g_object_new (SB_TYPE_FIELD, NULL);
  g_auto(SbJsonReader) reader = { 0 };

  self->path = g_strdup (path);
  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &self->id, error) ||
      !sb_check_identifier (self->id, file, path, error) ||
      !read_type (self, &reader, is_column, error) ||
      !sb_text_read (&reader, "label", TRUE, &self->label, error) ||
      !sb_text_read (&reader, "help", FALSE, &self->help, error) ||
      !sb_citation_read (&reader, "citation", FALSE, &self->citation, error) ||
      !sb_json_reader_bool (&reader, "required", &self->required, error) ||
      !sb_json_reader_string (&reader, "relevant", FALSE, &self->relevant_source, error) ||
      !sb_json_reader_string (&reader, "calculate", FALSE, &self->calculate_source, error) ||
      !read_type_specific (self, &reader, error) ||
      !check_limits (self, &reader, error) ||
      !sb_json_reader_finish (&reader, error))
    return NULL;

  if (is_column && (self->relevant_source != NULL || self->calculate_source != NULL))
    {
      sb_set_error_at (error, CALL_ERROR, file, path,
                       _("a table column cannot have “relevant” or “calculate”; use a row rule"));
      return NULL;
    }

  if (self->calculate_source != NULL &&
      (self->type == SB_FIELD_MULTI_CHOICE || self->type == SB_FIELD_DECLARATION || self->type == SB_FIELD_PERSON ||
       self->type == SB_FIELD_ORGANISATION || self->type == SB_FIELD_TABLE))
    {
      sb_set_error_at (error, CALL_ERROR, file, path, _("a %s field cannot be calculated"), type_names[self->type]);
      return NULL;
    }

  if (self->calculate_source != NULL && self->required)
    {
      sb_set_error_at (error, CALL_ERROR, file, path, _("a calculated field cannot be “required”"));
      return NULL;
    }

  if (self->type == SB_FIELD_DECLARATION && !self->required)
    {
      sb_set_error_at (error, CALL_ERROR, file, path,
                       _("a declaration must be “required”: the applicant has to confirm it"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
compile_expr (const char            *source,
              const char            *file,
              const char            *path,
              const SbExprResolver  *resolver,
              gpointer               row_table,
              SbExprType             expected,
              SbExpr               **out,
              GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SbExpr) expr = NULL;

  if (source == NULL)
    return TRUE;

  expr = sb_expr_parse (source, &local_error);
  if (expr == NULL || !sb_expr_check (expr, resolver, row_table, &local_error))
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, path, "%s", local_error->message);
      return FALSE;
    }

  if (sb_expr_get_result_type (expr) != expected)
    {
      sb_set_error_at (error, SB_ERROR_EXPRESSION, file, path, _("the expression gives %s, but %s is needed"),
                       sb_expr_type_to_string (sb_expr_get_result_type (expr)),
                       sb_expr_type_to_string (expected));
      return FALSE;
    }

  *out = g_steal_pointer (&expr);
  return TRUE;
}

static gboolean
add_derived_options (SbField  *self,
                     GArray   *programmes,
                     GArray   *guide_codes,
                     GError  **error)
{
  if (self->options_from == NULL)
    return TRUE;

  if (g_str_equal (self->options_from, "programmes"))
    {
      for (guint i = 0; i < programmes->len; i++)
        {
          const SbProgramme *programme = &g_array_index (programmes, SbProgramme, i);
          SbOption option = { 0 };

          option.value = g_strdup (programme->id);
          option.label.zh = g_strdup (programme->title.zh);
          option.label.en = g_strdup (programme->title.en);
          g_array_append_val (self->options, option);
        }
    }
  else
    {
      for (guint i = 0; i < guide_codes->len; i++)
        {
          const SbGuideCode *code = &g_array_index (guide_codes, SbGuideCode, i);
          SbOption option = { 0 };

          option.value = g_strdup (code->code);
          option.label.zh = g_strdup_printf ("%s %s", code->code, code->title.zh);
          option.label.en = g_strdup_printf ("%s %s", code->code, code->title.en);
          if (code->programme != NULL)
            {
              option.relevant_source = g_strdup_printf ("programme == \"%s\"", code->programme);
              option.relevant_path = sb_json_path_member (self->path, "options_from");
            }
          g_array_append_val (self->options, option);
        }
    }

  if (self->options->len == 0)
    {
      sb_set_error_at (error, CALL_ERROR, NULL, self->path,
                       _("“options_from”: the call defines no %s"), self->options_from);
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_field_compile (SbField               *self,
                  const SbExprResolver  *resolver,
                  const char            *file,
                  GArray                *programmes,
                  GArray                *guide_codes,
                  GError               **error)
{
  g_autofree char *relevant_path = sb_json_path_member (self->path, "relevant");
  g_autofree char *calculate_path = sb_json_path_member (self->path, "calculate");

  if (!add_derived_options (self, programmes, guide_codes, error))
    {
      sb_prefix_error_at (error, file, NULL);
      return FALSE;
    }

  if (!compile_expr (self->relevant_source, file, relevant_path, resolver, NULL, SB_EXPR_BOOL,
                     &self->relevant, error) ||
      !compile_expr (self->calculate_source, file, calculate_path, resolver, NULL,
                     sb_field_get_expr_type (self), &self->calculate, error))
    return FALSE;

  for (guint i = 0; i < self->options->len; i++)
    {
      SbOption *option = &g_array_index (self->options, SbOption, i);
      if (!compile_expr (option->relevant_source, file, option->relevant_path,
                         resolver, NULL, SB_EXPR_BOOL, &option->relevant, error))
        return FALSE;
    }

  for (guint i = 0; i < self->row_rules->len; i++)
    if (!sb_rule_compile (g_ptr_array_index (self->row_rules, i), resolver, file, self, error))
      return FALSE;

  /* a table's columns get their options too */
  for (guint i = 0; self->type == SB_FIELD_TABLE && i < self->children->len; i++)
    if (!sb_field_compile (g_ptr_array_index (self->children, i), resolver, file, programmes, guide_codes, error))
      return FALSE;

  return TRUE;
}

const char *
sb_field_get_id (SbField *self)
{
  return self->id;
}

const char *
sb_field_get_path (SbField *self)
{
  return self->path;
}

SbFieldType
sb_field_get_field_type (SbField *self)
{
  return self->type;
}

SbExprType
sb_field_get_expr_type (SbField *self)
{
  return sb_field_type_to_expr_type (self->type);
}

const SbText *
sb_field_get_label (SbField *self)
{
  return &self->label;
}

const SbText *
sb_field_get_help (SbField *self)
{
  return &self->help;
}

const SbText *
sb_field_get_text (SbField *self)
{
  return &self->text;
}

const SbCitation *
sb_field_get_citation (SbField *self)
{
  return &self->citation;
}

gboolean
sb_field_get_required (SbField *self)
{
  return self->required;
}

SbExpr *
sb_field_get_relevant (SbField *self)
{
  return self->relevant;
}

SbExpr *
sb_field_get_calculate (SbField *self)
{
  return self->calculate;
}

gboolean
sb_field_get_min_length (SbField *self,
                         gint64  *out)
{
  *out = self->min_length;
  return self->min_length >= 0;
}

gboolean
sb_field_get_max_length (SbField *self,
                         gint64  *out)
{
  *out = self->max_length;
  return self->max_length >= 0;
}

gboolean
sb_field_get_min (SbField  *self,
                  SbNumber *out)
{
  *out = self->min;
  return self->has_min;
}

gboolean
sb_field_get_max (SbField  *self,
                  SbNumber *out)
{
  *out = self->max;
  return self->has_max;
}

SbFormat
sb_field_get_format (SbField *self)
{
  return self->format;
}

SbRegex *
sb_field_get_pattern (SbField *self)
{
  return self->pattern;
}

const SbText *
sb_field_get_pattern_hint (SbField *self)
{
  return &self->pattern_hint;
}

SbMoneyUnit
sb_field_get_unit (SbField *self)
{
  return self->unit;
}

guint
sb_field_get_decimals (SbField *self)
{
  return self->decimals;
}

GArray *
sb_field_get_options (SbField *self)
{
  return self->options;
}

const SbOption *
sb_field_find_option (SbField    *self,
                      const char *value)
{
  return sb_options_find (self->options, value);
}

gboolean
sb_field_get_choice_limits (SbField *self,
                            gint64  *min,
                            gint64  *max)
{
  *min = self->min_choices;
  *max = self->max_choices;
  return self->min_choices >= 0 || self->max_choices >= 0;
}

GPtrArray *
sb_field_get_children (SbField *self)
{
  return self->children;
}

SbField *
sb_field_find_child (SbField    *self,
                     const char *id)
{
  for (guint i = 0; i < self->children->len; i++)
    {
      SbField *child = g_ptr_array_index (self->children, i);

      if (g_str_equal (child->id, id))
        return child;
    }
  return NULL;
}

gboolean
sb_field_get_row_limits (SbField *self,
                         gint64  *min,
                         gint64  *max)
{
  *min = self->min_rows;
  *max = self->max_rows;
  return self->min_rows >= 0 || self->max_rows >= 0;
}

GPtrArray *
sb_field_get_row_rules (SbField *self)
{
  return self->row_rules;
}

SbField *
sb_field_get_parent (SbField *self)
{
  return self->parent;
}

int
sb_field_get_index (SbField *self)
{
  return self->index;
}

void
sb_field_set_index (SbField *self,
                    int      index)
{
  self->index = index;
}

int
sb_field_get_step (SbField *self)
{
  return self->step;
}

void
sb_field_set_step (SbField *self,
                   int      step)
{
  self->step = step;
}
