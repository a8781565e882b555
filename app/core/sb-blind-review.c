/* sb-blind-review.c — identities must not appear in blind fields and files
 *
 * A call such as 衢州 2020 (有关事项 7) has its experts review some
 * documents blind: the applicant's unit, its short forms, its USCC and the
 * names of the team must not appear in them. The rule names the blind
 * fields, the blind attachment slots and the identities; this reads the
 * attached files — PDF through poppler-glib, .docx through libarchive,
 * plain text as it is — and reports every occurrence with file, page and
 * match.
 *
 * The files are read by the core's bounded opener (sb-file.h): only regular
 * files, never more than the slot's max_size_mb + 1 byte, and the libraries
 * parse the bytes in memory (a FIFO or /dev/zero never reaches them). The
 * text taken from one file is capped too: SB_FILE_TEXT_MAX_PAGES pages and
 * SB_FILE_TEXT_MAX_BYTES bytes; beyond that the rest is not searched and a
 * warning says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "sb-blind-review.h"
#include "sb-checks.h"
#include "sb-error.h"
#include "sb-file.h"
#include "sb-json.h"

#define MAX_XML_SIZE (64 * 1024 * 1024)  /* word/document.xml, uncompressed */

G_DEFINE_QUARK (sb-file-text-error-quark, sb_file_text_error)

void
sb_file_text_free (SbFileText *text)
{
  g_ptr_array_unref (text->pages);
  g_free (text);
}

static SbFileText *
file_text_new (gboolean paged)
{
  SbFileText *text = g_new0 (SbFileText, 1);

  text->pages = g_ptr_array_new_with_free_func (g_free);
  text->paged = paged;
  return text;
}

/* Adds a page of text, or marks the text truncated when the caps are
 * reached; takes @page. Returns FALSE once nothing more is taken. */
static gboolean
add_page (SbFileText *text,
          char       *page)
{
  gsize length = strlen (page);

  if (text->pages->len >= SB_FILE_TEXT_MAX_PAGES || text->length >= SB_FILE_TEXT_MAX_BYTES)
    {
      text->truncated = TRUE;
      g_free (page);
      return FALSE;
    }
  if (length > SB_FILE_TEXT_MAX_BYTES - text->length)
    {
      const char *end = NULL;

      /* cut at a character boundary */
      g_utf8_validate_len (page, SB_FILE_TEXT_MAX_BYTES - text->length, &end);
      length = end - page;
      page[length] = '\0';
      text->truncated = TRUE;
    }
  text->length += length;
  g_ptr_array_add (text->pages, page);
  return !text->truncated;
}

static gboolean
has_text (SbFileText *text)
{
  for (guint i = 0; i < text->pages->len; i++)
    {
      const char *page = g_ptr_array_index (text->pages, i);

      for (const char *p = page; *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          return TRUE;
    }
  return FALSE;
}

static SbFileText *
read_pdf (GBytes  *bytes,
          GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GObject) document_object = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  g_autoptr(SbFileText) text = NULL;
  int n;

  if (document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_ENCRYPTED, _("the PDF is encrypted"));
      else
        g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("the PDF cannot be read: %s"), local_error->message);
      return NULL;
    }
  document_object = G_OBJECT (document);

  text = file_text_new (TRUE);
  n = poppler_document_get_n_pages (document);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GObject) page_object = NULL;
      PopplerPage *page = poppler_document_get_page (document, i);
      char *page_text;

      page_object = page ? G_OBJECT (page) : NULL;
      page_text = page != NULL ? poppler_page_get_text (page) : NULL;

      if (!add_page (text, page_text != NULL ? page_text : g_strdup ("")))
        break;
    }
  return g_steal_pointer (&text);
}

/* The text of word/document.xml: every w:t run, a line break per paragraph. */
typedef struct {
  GString  *out;
  gboolean  in_text;
} DocxParse;

static void
docx_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  DocxParse *parse = user_data;

  if (g_str_equal (element, "w:t"))
    parse->in_text = TRUE;
  else if (g_str_equal (element, "w:tab") || g_str_equal (element, "w:br"))
    g_string_append_c (parse->out, ' ');
}

static void
docx_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  DocxParse *parse = user_data;

  if (g_str_equal (element, "w:t"))
    parse->in_text = FALSE;
  else if (g_str_equal (element, "w:p"))
    g_string_append_c (parse->out, '\n');
}

static void
docx_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 length,
           gpointer              user_data,
           GError              **error)
{
  DocxParse *parse = user_data;

  if (parse->in_text)
    g_string_append_len (parse->out, text, length);
}

static GBytes *
read_zip_member (GBytes      *zip,
                 const char  *member,
                 GError     **error)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  GBytes *bytes = NULL;
  gsize zip_length;
  const void *zip_data = g_bytes_get_data (zip, &zip_length);
  int status;

  archive_read_support_format_zip (archive);
  if (archive_read_open_memory (archive, zip_data, zip_length) != ARCHIVE_OK)
    {
      g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("the file is not a readable zip archive: %s"),
                   archive_error_string (archive) ? archive_error_string (archive) : "?");
      archive_read_free (archive);
      return NULL;
    }

  while ((status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      g_autoptr(GByteArray) data = NULL;
      guint8 buffer[64 * 1024];
      la_ssize_t n;

      if (g_strcmp0 (archive_entry_pathname (entry), member) != 0)
        continue;
      data = g_byte_array_new ();
      while ((n = archive_read_data (archive, buffer, sizeof buffer)) > 0)
        {
          if (data->len + (gsize) n > MAX_XML_SIZE)
            {
              g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("%s is larger than %d MiB"), member,
                           MAX_XML_SIZE / (1024 * 1024));
              archive_read_free (archive);
              return NULL;
            }
          g_byte_array_append (data, buffer, n);
        }
      if (n < 0)
        break;
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
      archive_read_free (archive);
      return bytes;
    }

  if (status == ARCHIVE_EOF)
    g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("the archive has no %s: not a Word document"), member);
  else
    g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("the zip archive cannot be read: %s"),
                 archive_error_string (archive) ? archive_error_string (archive) : "?");
  archive_read_free (archive);
  return NULL;
}

static SbFileText *
read_docx (GBytes  *bytes,
           GError **error)
{
  static const GMarkupParser parser = { docx_start, docx_end, docx_text, NULL, NULL };
  g_autoptr(GBytes) xml = read_zip_member (bytes, "word/document.xml", error);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(SbFileText) text = NULL;
  g_autoptr(GError) local_error = NULL;
  GMarkupParseContext *context;
  DocxParse parse = { out, FALSE };
  gsize length;
  const char *data;
  gboolean ok;

  if (xml == NULL)
    return NULL;

  data = g_bytes_get_data (xml, &length);
  /* GMarkup takes no XML declaration: skip it */
  if (length > 5 && strncmp (data, "<?xml", 5) == 0)
    {
      const char *end = memchr (data, '>', length);
      if (end != NULL)
        {
          length -= (end + 1) - data;
          data = end + 1;
        }
    }
  context = g_markup_parse_context_new (&parser, 0, &parse, NULL);
  ok = g_markup_parse_context_parse (context, data, length, &local_error) &&
       g_markup_parse_context_end_parse (context, &local_error);
  g_markup_parse_context_free (context);
  if (!ok)
    {
      g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("word/document.xml cannot be read: %s"), local_error->message);
      return NULL;
    }

  text = file_text_new (FALSE);
  add_page (text, g_string_free (g_steal_pointer (&out), FALSE));
  return g_steal_pointer (&text);
}

static SbFileText *
read_plain (GBytes  *bytes,
            GError **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr(SbFileText) text = NULL;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNREADABLE, _("the text file is not UTF-8 text"));
      return NULL;
    }
  text = file_text_new (FALSE);
  add_page (text, g_strndup (data, length));
  return g_steal_pointer (&text);
}

SbFileText *
sb_file_text_read (GFile   *file,
                   gsize    max_bytes,
                   GError **error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autoptr(SbFileText) text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SbFileText *(*reader) (GBytes *, GError **);

  if (g_str_has_suffix (lower, ".pdf"))
    reader = read_pdf;
  else if (g_str_has_suffix (lower, ".docx"))
    reader = read_docx;
  else if (g_str_has_suffix (lower, ".txt"))
    reader = read_plain;
  else
    {
      g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNSUPPORTED,
                   _("the text of this kind of file cannot be read (only PDF, .docx and plain text)"));
      return NULL;
    }

  /* a regular file only, opened without blocking, at most max_bytes + 1
   * bytes read: a FIFO, a device or a huge file fails here (SB_ERROR) */
  bytes = sb_file_read (file, max_bytes, SB_FILE_DEFAULT, error);
  if (bytes == NULL)
    return NULL;
  text = reader (bytes, error);

  if (text != NULL && !has_text (text))
    {
      g_set_error (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_NO_TEXT, _("the file has no text layer (an image-only scan?)"));
      return NULL;
    }
  return g_steal_pointer (&text);
}

static char *
normalise (const char *text)
{
  return sb_normalise_name (text);
}

gboolean
sb_text_contains_normalised (const char *haystack,
                             const char *needle)
{
  g_autofree char *h = normalise (haystack);
  g_autofree char *n = normalise (needle);

  return n[0] != '\0' && strstr (h, n) != NULL;
}

/* Identities */

typedef struct {
  char           *text;
  char           *normalised;
  SbIdentityKind  kind;
} Identity;

static void
identity_clear (Identity *identity)
{
  g_free (identity->text);
  g_free (identity->normalised);
}

static void
add_identity (GArray         *out,
              const char     *text,
              SbIdentityKind  kind)
{
  Identity identity;
  g_autofree char *trimmed = NULL;

  if (text == NULL)
    return;
  trimmed = g_strstrip (g_strdup (text));
  /* one character matches everywhere: not an identity */
  if (g_utf8_strlen (trimmed, -1) < 2)
    return;
  for (guint i = 0; i < out->len; i++)
    if (g_str_equal (g_array_index (out, Identity, i).text, trimmed))
      return;
  identity.normalised = normalise (trimmed);
  identity.text = g_steal_pointer (&trimmed);
  identity.kind = kind;
  g_array_append_val (out, identity);
}

static GArray *
collect_identities (SbRule        *rule,
                    SbEvalContext *context)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Identity));
  GPtrArray *identities = sb_rule_get_identities (rule);

  g_array_set_clear_func (out, (GDestroyNotify) identity_clear);
  for (guint i = 0; i < identities->len; i++)
    {
      SbIdentity *identity = g_ptr_array_index (identities, i);
      SbEval result;

      if (!sb_expr_evaluate (identity->expr, context, &result, NULL))
        continue;
      if (result.kind == SB_VALUE_STRING)
        add_identity (out, result.string, identity->kind);
      else if (result.kind == SB_VALUE_LIST && result.items != NULL)
        for (guint j = 0; j < result.items->len; j++)
          {
            const SbValue *item = g_ptr_array_index (result.items, j);

            if (result.column != NULL)
              item = sb_value_record_get (item, result.column);
            if (item != NULL && sb_value_get_kind (item) == SB_VALUE_STRING)
              add_identity (out, sb_value_get_string (item), identity->kind);
          }
    }
  return out;
}

static SbSeverity
identity_severity (SbRule         *rule,
                   const Identity *identity)
{
  /* two-character names match too many words to block an export */
  if (identity->kind == SB_IDENTITY_PERSON && g_utf8_strlen (identity->text, -1) < 3)
    return SB_SEVERITY_WARNING;
  return sb_rule_get_severity (rule);
}

static const char *
kind_zh (SbIdentityKind kind)
{
  switch (kind)
    {
    case SB_IDENTITY_ORGANISATION: return "单位名称";
    case SB_IDENTITY_CODE: return "统一社会信用代码";
    default: return "人员姓名";
    }
}

static const char *
kind_en (SbIdentityKind kind)
{
  switch (kind)
    {
    case SB_IDENTITY_ORGANISATION: return "the unit’s name";
    case SB_IDENTITY_CODE: return "the unified social credit code";
    default: return "the name";
    }
}

static void
add (GPtrArray   *problems,
     SbRule      *rule,
     SbSeverity   severity,
     const char  *path,
     const char  *field_id,
     char        *zh,
     char        *en)
{
  SbProblem *problem = sb_problem_new (severity, sb_rule_get_id (rule), path, field_id);
  const SbCitation *citation = sb_rule_get_citation (rule);

  problem->message_zh = zh;
  problem->message_en = en;
  if (citation->clause != NULL)
    {
      problem->clause = g_strdup (citation->clause);
      problem->quote = g_strdup (citation->quote);
    }
  sb_rule_label_problem (rule, problem);
  g_ptr_array_add (problems, problem);
}

/* Reports each identity found in @text. @where_zh/@where_en name the place. */
static void
search (GPtrArray   *problems,
        SbRule      *rule,
        GArray      *identities,
        const char  *text,
        const char  *path,
        const char  *field_id,
        const char  *where_zh,
        const char  *where_en)
{
  g_autofree char *haystack = normalise (text);

  for (guint i = 0; i < identities->len; i++)
    {
      const Identity *identity = &g_array_index (identities, Identity, i);

      if (identity->normalised[0] == '\0' || strstr (haystack, identity->normalised) == NULL)
        continue;
      add (problems, rule, identity_severity (rule, identity), path, field_id,
           g_strdup_printf ("盲审材料须回避申报单位和项目组成员信息：%s出现%s“%s”。",
                            where_zh, kind_zh (identity->kind), identity->text),
           g_strdup_printf ("Blind-review material must not identify the applicant or the team: %s contains %s “%s”.",
                            where_en, kind_en (identity->kind), identity->text));
    }
}

static void
review_fields (SbRule        *rule,
               SbCall        *call,
               SbEvalContext *context,
               GArray        *identities,
               GPtrArray     *problems)
{
  GStrv ids = sb_rule_get_blind_field_ids (rule);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      SbField *field = sb_call_find_field (call, ids[i]);
      const SbValue *value = field ? context->lookup (field, context->user_data) : NULL;
      g_autofree char *path = NULL;
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;

      if (value == NULL || sb_value_get_kind (value) != SB_VALUE_STRING)
        continue;
      path = sb_json_path_member ("$.values", ids[i]);
      zh = g_strdup_printf ("「%s」", sb_field_get_label (field)->zh);
      en = g_strdup_printf ("“%s”", sb_field_get_label (field)->en);
      search (problems, rule, identities, sb_value_get_string (value), path, ids[i], zh, en);
    }
}

static GFile *
resolve (SbDraft    *draft,
         const char *name)
{
  GFile *draft_file = sb_draft_get_file (draft);
  g_autoptr(GFile) folder = NULL;

  if (g_path_is_absolute (name))
    return g_file_new_for_path (name);
  if (draft_file != NULL && (folder = g_file_get_parent (draft_file)) != NULL)
    return g_file_resolve_relative_path (folder, name);
  return g_file_new_for_path (name);
}

static const char *
unreadable_reason (const GError *error,
                   gboolean      chinese)
{
  if (g_error_matches (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_ENCRYPTED))
    return chinese ? "文件已加密" : "the file is encrypted";
  if (g_error_matches (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_NO_TEXT))
    return chinese ? "文件没有文字层，可能是纯图片扫描件" : "the file has no text layer, perhaps an image-only scan";
  if (g_error_matches (error, SB_FILE_TEXT_ERROR, SB_FILE_TEXT_ERROR_UNSUPPORTED))
    return chinese ? "只能读取PDF、.docx和纯文本文件的文字" : "only the text of PDF, .docx and plain text files is read";
  return chinese ? "文件已损坏或与其类型不符" : "the file is damaged or not of its kind";
}

static void
review_file (SbRule                 *rule,
             SbDraft                *draft,
             const SbAttachmentSpec *spec,
             const SbAttachmentRef  *ref,
             const char             *path,
             gboolean                read_files,
             GArray                 *identities,
             GPtrArray              *problems)
{
  g_autoptr(GFile) file = resolve (draft, ref->file);
  g_autofree char *base = g_path_get_basename (ref->file);
  g_autofree char *name_zh = g_strdup_printf ("附件「%s」的文件名 %s", spec->title.zh, base);
  g_autofree char *name_en = g_strdup_printf ("the file name %s of “%s”", base, spec->title.en);
  g_autoptr(SbFileText) text = NULL;
  g_autoptr(GError) error = NULL;

  search (problems, rule, identities, base, path, NULL, name_zh, name_en);
  if (!read_files)
    return;

  text = sb_file_text_read (file, (gsize) spec->max_size_mb * 1024 * 1024, &error);
  /* a file that is missing, not a regular file (a FIFO, a device) or over
   * the slot's size is an error of the attachment checks already */
  if (text == NULL && error->domain == SB_ERROR)
    return;
  if (text == NULL)
    {
      add (problems, rule, SB_SEVERITY_WARNING, path, NULL,
           g_strdup_printf ("附件「%s」的文件 %s 的文字无法读取（%s），未能检查是否回避了申报单位和项目组成员信息，请自行核对。",
                            spec->title.zh, base, unreadable_reason (error, TRUE)),
           g_strdup_printf ("The text of %s (“%s”) cannot be read (%s): whether it avoids naming the applicant "
                            "and the team was not checked; check it yourself.", base, spec->title.en,
                            unreadable_reason (error, FALSE)));
      return;
    }

  for (guint i = 0; i < text->pages->len; i++)
    {
      g_autofree char *zh = text->paged
                            ? g_strdup_printf ("附件「%s」的文件 %s 第%u页", spec->title.zh, base, i + 1)
                            : g_strdup_printf ("附件「%s」的文件 %s", spec->title.zh, base);
      g_autofree char *en = text->paged
                            ? g_strdup_printf ("page %u of %s (“%s”)", i + 1, base, spec->title.en)
                            : g_strdup_printf ("%s (“%s”)", base, spec->title.en);

      search (problems, rule, identities, g_ptr_array_index (text->pages, i), path, NULL, zh, en);
    }

  if (text->truncated)
    add (problems, rule, SB_SEVERITY_WARNING, path, NULL,
         g_strdup_printf ("附件「%s」的文件 %s 只检查了前%u页（文字上限为%u页、%u MiB），其余部分未检查是否回避了申报单位和项目组成员信息，请自行核对。",
                          spec->title.zh, base, text->pages->len, SB_FILE_TEXT_MAX_PAGES,
                          SB_FILE_TEXT_MAX_BYTES / (1024 * 1024)),
         g_strdup_printf ("Only the first %u page(s) of %s (“%s”) were checked (the text read from a file stops at "
                          "%u pages or %u MiB): whether the rest avoids naming the applicant and the team was not "
                          "checked; check it yourself.", text->pages->len, base, spec->title.en,
                          SB_FILE_TEXT_MAX_PAGES, SB_FILE_TEXT_MAX_BYTES / (1024 * 1024)));
}

void
sb_blind_review_run (SbRule        *rule,
                     SbCall        *call,
                     SbDraft       *draft,
                     SbEvalContext *context,
                     gboolean       read_files,
                     GPtrArray     *problems)
{
  g_autoptr(GArray) identities = collect_identities (rule, context);
  GStrv ids = sb_rule_get_blind_attachment_ids (rule);

  if (identities->len == 0)
    return;

  review_fields (rule, call, context, identities, problems);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const SbAttachmentSpec *spec = sb_call_find_attachment (call, ids[i]);
      GPtrArray *refs = sb_draft_get_attachments (draft, ids[i]);
      g_autofree char *path = sb_json_path_member ("$.attachments", ids[i]);

      for (guint j = 0; spec != NULL && refs != NULL && j < refs->len; j++)
        {
          g_autofree char *file_path = sb_json_path_index (path, j);
          review_file (rule, draft, spec, g_ptr_array_index (refs, j), file_path, read_files, identities, problems);
        }
    }
}
