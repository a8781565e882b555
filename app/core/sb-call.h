/* sb-call.h — one call for applications, loaded from its definition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-call-parts.h"
#include "sb-field.h"
#include "sb-print-template.h"
#include "sb-rule.h"

G_BEGIN_DECLS

#define SB_TYPE_CALL (sb_call_get_type ())

/* a call definition file; the largest real one is about 150 KB */
#define SB_CALL_MAX_FILE_BYTES (1024 * 1024)
/* rules of a call, counted over its top-level and row rules */
#define SB_CALL_MAX_RULES 2000

G_DECLARE_FINAL_TYPE (SbCall, sb_call, SB, CALL, GObject)

typedef struct {
  char       *id;
  SbText      title;
  SbText      description;
  char       *relevant_source;
  char       *relevant_path;
  SbExpr     *relevant;
  GPtrArray  *fields;   /* SbField */
} SbStep;

SbCall            *sb_call_new_from_bytes         (GBytes      *bytes,
                                                   const char  *display_name,
                                                   GError     **error);
SbCall            *sb_call_new_from_file          (GFile       *file,
                                                   GError     **error);

const char        *sb_call_get_id                 (SbCall      *self);
gint64             sb_call_get_version            (SbCall      *self);
const SbText      *sb_call_get_title              (SbCall      *self);
const SbText      *sb_call_get_bureau             (SbCall      *self);
gint64             sb_call_get_year               (SbCall      *self);
const char        *sb_call_get_document_number    (SbCall      *self);
const char        *sb_call_get_source             (SbCall      *self);
const char        *sb_call_get_source_title       (SbCall      *self);
const char        *sb_call_get_source_date        (SbCall      *self);
GBytes            *sb_call_get_bytes              (SbCall      *self);
const char        *sb_call_get_file_name          (SbCall      *self);
gint64             sb_call_get_paper_copies       (SbCall      *self);
GArray            *sb_call_get_deadlines          (SbCall      *self);
const SbDeadline  *sb_call_find_deadline          (SbCall      *self,
                                                   const char  *id);
GArray            *sb_call_get_programmes         (SbCall      *self);
const SbProgramme *sb_call_find_programme         (SbCall      *self,
                                                   const char  *id);
GArray            *sb_call_get_guide_codes        (SbCall      *self);
GArray            *sb_call_get_steps              (SbCall      *self);
GPtrArray         *sb_call_get_fields             (SbCall      *self);
SbField           *sb_call_find_field             (SbCall      *self,
                                                   const char  *id);
GPtrArray         *sb_call_get_evaluation_order   (SbCall      *self);
GPtrArray         *sb_call_get_rules              (SbCall      *self);
GArray            *sb_call_get_attachments        (SbCall      *self);
const SbAttachmentSpec *sb_call_find_attachment   (SbCall      *self,
                                                   const char  *id);
GArray            *sb_call_get_notices            (SbCall      *self);  /* SbNotice */
GArray            *sb_call_get_quotas             (SbCall      *self);  /* SbQuota */
GArray            *sb_call_get_summary_header     (SbCall      *self);  /* SbSummaryHeaderField */
SbPrintTemplate   *sb_call_get_print_template     (SbCall      *self);
const SbText      *sb_call_get_summary_title      (SbCall      *self);
GArray            *sb_call_get_summary_columns    (SbCall      *self);
guint              sb_call_count_rules            (SbCall      *self);
guint64            sb_call_get_cost               (SbCall      *self);
SbRule            *sb_call_find_rule              (SbCall      *self,
                                                   const char  *id);
const SbExprResolver *sb_call_get_resolver        (SbCall      *self);

G_END_DECLS
