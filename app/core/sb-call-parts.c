/* sb-call-parts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sb-call-parts.h"

#define CALL_ERROR SB_ERROR_INVALID_CALL

/* Ids appear in expressions and in drafts, so they are plain ASCII names. */
gboolean
sb_check_identifier (const char  *id,
                     const char  *file,
                     const char  *element_path,
                     GError     **error)
{
  g_autofree char *path = sb_json_path_member (element_path, "id");
  gboolean ok = id[0] != '\0' && (g_ascii_isalpha (id[0]) || id[0] == '_') && strlen (id) <= 64;

  for (const char *p = id; ok && *p; p++)
    ok = g_ascii_isalnum (*p) || *p == '_';

  if (!ok || g_strv_contains ((const char *const[]) { "and", "or", "not", "true", "false", NULL }, id))
    {
      sb_set_error_at (error, CALL_ERROR, file, path,
                       _("“%s” is not a valid id: use at most 64 letters, digits and “_”, not starting with a digit, "
                         "and not one of and, or, not, true, false"), id);
      return FALSE;
    }
  return TRUE;
}

void
sb_text_clear (SbText *text)
{
  g_clear_pointer (&text->zh, g_free);
  g_clear_pointer (&text->en, g_free);
}

const char *
sb_text_get (const SbText *text,
             gboolean      chinese)
{
  if (chinese || text->en == NULL)
    return text->zh;
  return text->en;
}

/* A text is {"zh": …, "en": …}; both are needed, since the English UI must
 * never show an empty label. */
gboolean
sb_text_read (SbJsonReader  *reader,
              const char    *member,
              gboolean       required,
              SbText        *out,
              GError       **error)
{
  g_auto(SbJsonReader) inner = { 0 };
  g_autofree char *path = sb_json_reader_path (reader, member);
  JsonNode *node = sb_json_reader_node (reader, member);

  if (node == NULL)
    {
      if (required)
        {
          sb_set_error_at (error, CALL_ERROR, reader->file, reader->path,
                           _("the key “%s” is required"), member);
          return FALSE;
        }
      return TRUE;
    }

  if (!sb_json_reader_init (&inner, node, reader->file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&inner, "zh", TRUE, &out->zh, error) ||
      !sb_json_reader_string (&inner, "en", TRUE, &out->en, error) ||
      !sb_json_reader_finish (&inner, error))
    return FALSE;

  if (*out->zh == '\0' || *out->en == '\0')
    {
      g_autofree char *empty_path = sb_json_path_member (path, *out->zh == '\0' ? "zh" : "en");
      sb_set_error_at (error, CALL_ERROR, reader->file, empty_path, _("the text is empty"));
      return FALSE;
    }
  return TRUE;
}

void
sb_citation_clear (SbCitation *citation)
{
  g_clear_pointer (&citation->clause, g_free);
  g_clear_pointer (&citation->quote, g_free);
}

gboolean
sb_citation_read (SbJsonReader  *reader,
                  const char    *member,
                  gboolean       required,
                  SbCitation    *out,
                  GError       **error)
{
  g_auto(SbJsonReader) inner = { 0 };
  g_autofree char *path = sb_json_reader_path (reader, member);
  JsonNode *node = sb_json_reader_node (reader, member);

  if (node == NULL)
    {
      if (required)
        {
          sb_set_error_at (error, CALL_ERROR, reader->file, reader->path,
                           _("the key “%s” is required: name the clause of the guide"), member);
          return FALSE;
        }
      return TRUE;
    }

  return sb_json_reader_init (&inner, node, reader->file, path, CALL_ERROR, error) &&
         sb_json_reader_string (&inner, "clause", TRUE, &out->clause, error) &&
         sb_json_reader_string (&inner, "quote", FALSE, &out->quote, error) &&
         sb_json_reader_finish (&inner, error);
}

/* The option of @options (SbOption) with the stored value @value. */
const SbOption *
sb_options_find (GArray     *options,
                 const char *value)
{
  for (guint i = 0; options != NULL && i < options->len; i++)
    {
      const SbOption *option = &g_array_index (options, SbOption, i);

      if (g_str_equal (option->value, value))
        return option;
    }
  return NULL;
}

void
sb_option_clear (SbOption *option)
{
  g_clear_pointer (&option->value, g_free);
  sb_text_clear (&option->label);
  g_clear_pointer (&option->relevant_source, g_free);
  g_clear_pointer (&option->relevant_path, g_free);
  g_clear_pointer (&option->relevant, sb_expr_unref);
}

gboolean
sb_option_read (JsonNode    *node,
                const char  *file,
                const char  *path,
                SbOption    *out,
                GError     **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "value", TRUE, &out->value, error) ||
      !sb_text_read (&reader, "label", TRUE, &out->label, error) ||
      !sb_json_reader_string (&reader, "relevant", FALSE, &out->relevant_source, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  out->relevant_path = sb_json_reader_path (&reader, "relevant");
  return TRUE;
}

void
sb_deadline_clear (SbDeadline *deadline)
{
  g_clear_pointer (&deadline->id, g_free);
  sb_text_clear (&deadline->title);
  g_clear_pointer (&deadline->time, g_free);
  sb_citation_clear (&deadline->citation);
}

GDateTime *
sb_deadline_get_close_time (const SbDeadline *deadline)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;
  int hour = 24, minute = 0;

  sb_date_to_ymd (deadline->date, &year, &month, &mday);
  if (deadline->time != NULL)
    {
      hour = (deadline->time[0] - '0') * 10 + (deadline->time[1] - '0');
      minute = (deadline->time[3] - '0') * 10 + (deadline->time[4] - '0');
    }
  day = g_date_time_new (beijing, year, month, mday, 0, 0, 0);
  return g_date_time_add_minutes (day, hour * 60 + minute);
}

gboolean
sb_deadline_has_passed (const SbDeadline *deadline,
                        GDateTime        *now)
{
  g_autoptr(GDateTime) close = sb_deadline_get_close_time (deadline);

  return g_date_time_compare (now, close) >= 0;
}

gboolean
sb_deadline_read (JsonNode    *node,
                  const char  *file,
                  const char  *path,
                  SbDeadline  *out,
                  GError     **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_autofree char *date = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &out->id, error) ||
      !sb_text_read (&reader, "title", TRUE, &out->title, error) ||
      !sb_json_reader_string (&reader, "date", TRUE, &date, error) ||
      !sb_json_reader_string (&reader, "time", FALSE, &out->time, error) ||
      !sb_citation_read (&reader, "citation", TRUE, &out->citation, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  if (!sb_check_identifier (out->id, file, path, error))
    return FALSE;

  if (!sb_date_parse (date, &out->date, &local_error))
    {
      g_autofree char *date_path = sb_json_path_member (path, "date");
      sb_set_error_at (error, CALL_ERROR, file, date_path, "%s", local_error->message);
      return FALSE;
    }

  if (out->time != NULL && !g_regex_match_simple ("^([01][0-9]|2[0-3]):[0-5][0-9]$", out->time, 0, 0))
    {
      g_autofree char *time_path = sb_json_path_member (path, "time");
      sb_set_error_at (error, CALL_ERROR, file, time_path, _("“%s” is not a time of the form HH:MM"), out->time);
      return FALSE;
    }
  return TRUE;
}

void
sb_programme_clear (SbProgramme *programme)
{
  g_clear_pointer (&programme->id, g_free);
  sb_text_clear (&programme->title);
  sb_text_clear (&programme->description);
  sb_text_clear (&programme->office);
}

gboolean
sb_programme_read (JsonNode     *node,
                   const char   *file,
                   const char   *path,
                   SbProgramme  *out,
                   GError      **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  return sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) &&
         sb_json_reader_string (&reader, "id", TRUE, &out->id, error) &&
         sb_check_identifier (out->id, file, path, error) &&
         sb_text_read (&reader, "title", TRUE, &out->title, error) &&
         sb_text_read (&reader, "description", FALSE, &out->description, error) &&
         sb_text_read (&reader, "office", FALSE, &out->office, error) &&
         sb_json_reader_int (&reader, "paper_copies", FALSE, 0, 100, &out->paper_copies, error) &&
         sb_json_reader_finish (&reader, error);
}

void
sb_guide_code_clear (SbGuideCode *code)
{
  g_clear_pointer (&code->code, g_free);
  sb_text_clear (&code->title);
  sb_text_clear (&code->group);
  g_clear_pointer (&code->programme, g_free);
}

gboolean
sb_guide_code_read (JsonNode     *node,
                    const char   *file,
                    const char   *path,
                    SbGuideCode  *out,
                    GError      **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  return sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) &&
         sb_json_reader_string (&reader, "code", TRUE, &out->code, error) &&
         sb_text_read (&reader, "title", TRUE, &out->title, error) &&
         sb_text_read (&reader, "group", FALSE, &out->group, error) &&
         sb_json_reader_string (&reader, "programme", FALSE, &out->programme, error) &&
         sb_json_reader_finish (&reader, error);
}

void
sb_summary_header_field_clear (SbSummaryHeaderField *field)
{
  g_clear_pointer (&field->id, g_free);
  sb_text_clear (&field->title);
}

gboolean
sb_summary_header_field_read (JsonNode              *node,
                              const char            *file,
                              const char            *path,
                              SbSummaryHeaderField  *out,
                              GError               **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  return sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) &&
         sb_json_reader_string (&reader, "id", TRUE, &out->id, error) &&
         sb_check_identifier (out->id, file, path, error) &&
         sb_text_read (&reader, "title", TRUE, &out->title, error) &&
         sb_json_reader_finish (&reader, error);
}

void
sb_summary_column_clear (SbSummaryColumn *column)
{
  g_clear_pointer (&column->id, g_free);
  sb_text_clear (&column->title);
  g_clear_pointer (&column->value_source, g_free);
  g_clear_pointer (&column->value_path, g_free);
  g_clear_pointer (&column->value, sb_expr_unref);
}

gboolean
sb_summary_column_read (JsonNode         *node,
                        const char       *file,
                        const char       *path,
                        SbSummaryColumn  *out,
                        GError          **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &out->id, error) ||
      !sb_check_identifier (out->id, file, path, error) ||
      !sb_text_read (&reader, "title", TRUE, &out->title, error) ||
      !sb_json_reader_string (&reader, "value", FALSE, &out->value_source, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  out->value_path = sb_json_reader_path (&reader, "value");
  return TRUE;
}

void
sb_attachment_spec_clear (SbAttachmentSpec *spec)
{
  g_clear_pointer (&spec->id, g_free);
  sb_text_clear (&spec->title);
  sb_text_clear (&spec->description);
  g_clear_pointer (&spec->relevant_source, g_free);
  g_clear_pointer (&spec->relevant_path, g_free);
  g_clear_pointer (&spec->relevant, sb_expr_unref);
  g_clear_pointer (&spec->formats, g_strfreev);
  sb_citation_clear (&spec->citation);
  g_clear_pointer (&spec->path, g_free);
}

static const char *const known_formats[] = { "pdf", "jpg", "png", "ofd", "doc", "docx", "zip", NULL };

gboolean
sb_attachment_spec_read (JsonNode          *node,
                         const char        *file,
                         const char        *path,
                         SbAttachmentSpec  *out,
                         GError           **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  out->max_size_mb = 20;
  out->path = g_strdup (path);
  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &out->id, error) ||
      !sb_check_identifier (out->id, file, path, error) ||
      !sb_text_read (&reader, "title", TRUE, &out->title, error) ||
      !sb_text_read (&reader, "description", FALSE, &out->description, error) ||
      !sb_json_reader_bool (&reader, "required", &out->required, error) ||
      !sb_json_reader_bool (&reader, "multiple", &out->multiple, error) ||
      !sb_json_reader_string (&reader, "relevant", FALSE, &out->relevant_source, error) ||
      !sb_json_reader_string_array (&reader, "formats", &out->formats, error) ||
      !sb_json_reader_int (&reader, "max_size_mb", FALSE, 1, 200, &out->max_size_mb, error) ||
      !sb_citation_read (&reader, "citation", TRUE, &out->citation, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  out->relevant_path = sb_json_reader_path (&reader, "relevant");

  if (out->formats == NULL)
    out->formats = g_strdupv ((char **) (const char *const[]) { "pdf", "jpg", "png", NULL });
  for (guint i = 0; out->formats[i] != NULL; i++)
    if (!g_strv_contains (known_formats, out->formats[i]))
      {
        g_autofree char *formats_path = sb_json_path_member (path, "formats");
        g_autofree char *known = g_strjoinv (", ", (char **) known_formats);

        sb_set_error_at (error, CALL_ERROR, file, formats_path,
                         _("unknown file format “%s”; known are %s"), out->formats[i], known);
        return FALSE;
      }
  return TRUE;
}

void
sb_notice_clear (SbNotice *notice)
{
  g_clear_pointer (&notice->id, g_free);
  sb_text_clear (&notice->title);
  sb_text_clear (&notice->text);
  g_clear_pointer (&notice->relevant_source, g_free);
  g_clear_pointer (&notice->relevant_path, g_free);
  g_clear_pointer (&notice->relevant, sb_expr_unref);
  sb_citation_clear (&notice->citation);
}

gboolean
sb_notice_read (JsonNode    *node,
                const char  *file,
                const char  *path,
                SbNotice    *out,
                GError     **error)
{
  g_auto(SbJsonReader) reader = { 0 };
  g_autofree char *audience = NULL;

  out->relevant_path = sb_json_path_member (path, "relevant");
  if (!sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) ||
      !sb_json_reader_string (&reader, "id", TRUE, &out->id, error) ||
      !sb_check_identifier (out->id, file, path, error) ||
      !sb_json_reader_string (&reader, "audience", FALSE, &audience, error) ||
      !sb_text_read (&reader, "title", TRUE, &out->title, error) ||
      !sb_text_read (&reader, "text", TRUE, &out->text, error) ||
      !sb_json_reader_string (&reader, "relevant", FALSE, &out->relevant_source, error) ||
      !sb_citation_read (&reader, "citation", TRUE, &out->citation, error) ||
      !sb_json_reader_finish (&reader, error))
    return FALSE;

  if (audience == NULL || g_str_equal (audience, "applicant"))
    out->audience = SB_AUDIENCE_APPLICANT;
  else if (g_str_equal (audience, "recommending_unit"))
    out->audience = SB_AUDIENCE_RECOMMENDING_UNIT;
  else
    {
      g_autofree char *audience_path = sb_json_path_member (path, "audience");
      sb_set_error_at (error, CALL_ERROR, file, audience_path,
                       _("the audience is “applicant” or “recommending_unit”, not “%s”"), audience);
      return FALSE;
    }
  return TRUE;
}

void
sb_quota_clear (SbQuota *quota)
{
  g_clear_pointer (&quota->id, g_free);
  sb_text_clear (&quota->unit);
  g_clear_pointer (&quota->programme, g_free);
  sb_citation_clear (&quota->citation);
}

gboolean
sb_quota_read (JsonNode    *node,
               const char  *file,
               const char  *path,
               SbQuota     *out,
               GError     **error)
{
  g_auto(SbJsonReader) reader = { 0 };

  out->max = -1;
  return sb_json_reader_init (&reader, node, file, path, CALL_ERROR, error) &&
         sb_json_reader_string (&reader, "id", TRUE, &out->id, error) &&
         sb_check_identifier (out->id, file, path, error) &&
         sb_text_read (&reader, "unit", TRUE, &out->unit, error) &&
         sb_json_reader_string (&reader, "programme", FALSE, &out->programme, error) &&
         sb_json_reader_int (&reader, "max", FALSE, 0, 100000, &out->max, error) &&
         sb_citation_read (&reader, "citation", TRUE, &out->citation, error) &&
         sb_json_reader_finish (&reader, error);
}
