/* fuzz-expr.c — the expression parser, checker and evaluator
 *
 * Each input is one expression, compiled against a call with fields of
 * every type and evaluated over a filled-in draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-call.h"
#include "sb-catalog.h"
#include "sb-draft.h"
#include "sb-template.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char definition[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"fuzz\", \"version\": 1,"
  " \"title\": {\"zh\": \"模糊\", \"en\": \"Fuzz\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"}, \"year\": 2024,"
  " \"deadlines\": [{\"id\": \"online\", \"title\": {\"zh\": \"截止\", \"en\": \"Deadline\"}, \"date\": \"2024-01-31\","
  "                  \"citation\": {\"clause\": \"一\"}}],"
  " \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "   {\"id\": \"a\", \"type\": \"money\", \"label\": {\"zh\": \"甲\", \"en\": \"A\"}},"
  "   {\"id\": \"b\", \"type\": \"money\", \"label\": {\"zh\": \"乙\", \"en\": \"B\"}},"
  "   {\"id\": \"e\", \"type\": \"money\", \"label\": {\"zh\": \"空\", \"en\": \"E\"}},"
  "   {\"id\": \"n\", \"type\": \"integer\", \"label\": {\"zh\": \"数\", \"en\": \"N\"}},"
  "   {\"id\": \"z\", \"type\": \"integer\", \"label\": {\"zh\": \"零\", \"en\": \"Z\"}},"
  "   {\"id\": \"r\", \"type\": \"decimal\", \"label\": {\"zh\": \"比\", \"en\": \"R\"}},"
  "   {\"id\": \"d\", \"type\": \"date\", \"label\": {\"zh\": \"日\", \"en\": \"D\"}},"
  "   {\"id\": \"s\", \"type\": \"text\", \"label\": {\"zh\": \"文\", \"en\": \"S\"}},"
  "   {\"id\": \"f\", \"type\": \"yesno\", \"label\": {\"zh\": \"是否\", \"en\": \"F\"}},"
  "   {\"id\": \"m\", \"type\": \"multi_choice\", \"label\": {\"zh\": \"多\", \"en\": \"M\"}, \"options\": ["
  "     {\"value\": \"x\", \"label\": {\"zh\": \"X\", \"en\": \"X\"}}]},"
  "   {\"id\": \"p\", \"type\": \"person\", \"label\": {\"zh\": \"人\", \"en\": \"P\"}, \"subfields\": [\"name\", \"id_number\", \"birth_date\"]},"
  "   {\"id\": \"t\", \"type\": \"table\", \"label\": {\"zh\": \"表\", \"en\": \"T\"}, \"columns\": ["
  "     {\"id\": \"v\", \"type\": \"money\", \"label\": {\"zh\": \"值\", \"en\": \"V\"}},"
  "     {\"id\": \"w\", \"type\": \"text\", \"label\": {\"zh\": \"文\", \"en\": \"W\"}}]}"
  " ]}]}";

static const char draft_text[] =
  "{\"format\": \"shenbao-draft\", \"format_version\": 1, \"call\": {\"id\": \"fuzz\", \"version\": 1},"
  " \"values\": {\"a\": 1500000, \"b\": 750001, \"n\": 4, \"z\": 0, \"r\": \"0.25\", \"d\": \"2019-02-28\","
  "   \"s\": \"碳化硅研发\", \"f\": true, \"m\": [\"x\"],"
  "   \"p\": {\"name\": \"沈嘉豪\", \"id_number\": \"32060219880314251X\", \"birth_date\": \"1988-03-14\"},"
  "   \"t\": [{\"v\": 100000, \"w\": \"甲\"}, {\"v\": 250000}, {\"w\": \"丙\"}]}}";

static SbCall *call;
static SbDraft *draft;

static const SbValue *
lookup (gpointer field,
        gpointer user_data)
{
  return sb_draft_get_value (draft, sb_field_get_id (field));
}

static void
setup (void)
{
  g_autoptr(GBytes) definition_bytes = g_bytes_new_static (definition, strlen (definition));
  g_autoptr(GBytes) draft_bytes = g_bytes_new_static (draft_text, strlen (draft_text));
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();

  call = sb_call_new_from_bytes (definition_bytes, "fuzz.json", NULL);
  g_assert_nonnull (call);
  sb_catalog_add_call (catalog, call, SB_ORIGIN_BUILTIN, NULL);
  draft = sb_draft_load_bytes (draft_bytes, "fuzz-draft.json", catalog, NULL);
  g_assert_nonnull (draft);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *source = NULL;
  g_autoptr(SbExpr) expr = NULL;
  g_autoptr(SbTemplate) message = NULL;
  g_autoptr(GError) error = NULL;
  SbEvalContext context = { lookup, NULL };
  SbEval value;

  if (call == NULL)
    setup ();

  /* expressions come from JSON strings: valid UTF-8 without NUL */
  if (!g_utf8_validate_len ((const char *) data, size, NULL))
    return 0;
  source = g_strndup ((const char *) data, size);

  expr = sb_expr_parse (source, &error);
  if (expr != NULL && sb_expr_check (expr, sb_call_get_resolver (call), NULL, &error))
    {
      if (sb_expr_evaluate (expr, &context, &value, NULL))
        g_free (sb_eval_format (&value, sb_expr_get_result_type (expr), TRUE));
    }
  g_clear_error (&error);

  message = sb_template_parse (source, NULL);
  if (message != NULL && sb_template_check (message, sb_call_get_resolver (call), NULL, NULL))
    g_free (sb_template_render (message, &context, FALSE));
  return 0;
}
