/* sb-call-parts.h — the plain-data parts of a call definition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-date.h"
#include "sb-expr.h"
#include "sb-json.h"

G_BEGIN_DECLS

/* Every text a person reads exists in Chinese and in English. */
typedef struct {
  char *zh;
  char *en;
} SbText;

/* The clause of the guide a field or rule enforces. */
typedef struct {
  char *clause;
  char *quote;
} SbCitation;

typedef struct {
  char   *value;
  SbText  label;
  char   *relevant_source;
  char   *relevant_path;
  SbExpr *relevant;
} SbOption;

typedef struct {
  char       *id;
  SbText      title;
  SbDate      date;
  char       *time;
  SbCitation  citation;
} SbDeadline;

typedef struct {
  char   *id;
  SbText  title;
  SbText  description;
  gint64  paper_copies;   /* 0: the call's number */
  SbText  office;
} SbProgramme;

typedef struct {
  char   *code;
  SbText  title;
  SbText  group;
  char   *programme;
} SbGuideCode;

typedef struct {
  char   *id;
  SbText  title;
  char   *value_source;
  char   *value_path;
  SbExpr *value;        /* NULL: filled in by the recommending unit */
} SbSummaryColumn;

typedef struct {
  char       *id;
  SbText      title;
  SbText      description;
  gboolean    required;
  gboolean    multiple;
  char       *relevant_source;
  char       *relevant_path;
  SbExpr     *relevant;
  GStrv       formats;
  gint64      max_size_mb;
  SbCitation  citation;
  char       *path;
} SbAttachmentSpec;

void     sb_text_clear              (SbText            *text);
gboolean sb_text_read               (SbJsonReader      *reader,
                                     const char        *member,
                                     gboolean           required,
                                     SbText            *out,
                                     GError           **error);
const char *sb_text_get             (const SbText      *text,
                                     gboolean           chinese);

void     sb_citation_clear          (SbCitation        *citation);
gboolean sb_citation_read           (SbJsonReader      *reader,
                                     const char        *member,
                                     gboolean           required,
                                     SbCitation        *out,
                                     GError           **error);

void     sb_option_clear            (SbOption          *option);
gboolean sb_option_read             (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbOption          *out,
                                     GError           **error);

void     sb_deadline_clear          (SbDeadline        *deadline);
gboolean sb_deadline_read           (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbDeadline        *out,
                                     GError           **error);

void     sb_programme_clear         (SbProgramme       *programme);
gboolean sb_programme_read          (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbProgramme       *out,
                                     GError           **error);

void     sb_guide_code_clear        (SbGuideCode       *code);
gboolean sb_guide_code_read         (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbGuideCode       *out,
                                     GError           **error);


void     sb_summary_column_clear    (SbSummaryColumn   *column);
gboolean sb_summary_column_read     (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbSummaryColumn   *out,
                                     GError           **error);

void     sb_attachment_spec_clear   (SbAttachmentSpec  *spec);
gboolean sb_attachment_spec_read    (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbAttachmentSpec  *out,
                                     GError           **error);

gboolean sb_check_identifier        (const char        *id,
                                     const char        *file,
                                     const char        *element_path,
                                     GError           **error);

G_END_DECLS
