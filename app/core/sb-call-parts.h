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

/* A field of the summary table's header, filled in by the recommending unit */
typedef struct {
  char   *id;
  SbText  title;
} SbSummaryHeaderField;

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

/* Procedure the app cannot check (paper copies, where to submit, quotas
 * the recommending unit applies): shown once, printed where needed. */
typedef enum {
  SB_AUDIENCE_APPLICANT,
  SB_AUDIENCE_RECOMMENDING_UNIT,
} SbAudience;

typedef struct {
  char       *id;
  SbAudience  audience;
  SbText      title;
  SbText      text;
  char       *relevant_source;
  char       *relevant_path;
  SbExpr     *relevant;
  SbCitation  citation;
} SbNotice;

/* How many applications a recommending unit may forward (data for the
 * recommending unit's side; shown to applicants as a notice). */
typedef struct {
  char       *id;
  SbText      unit;
  char       *programme;   /* NULL: the whole call */
  gint64      max;         /* -1: no limit */
  SbCitation  citation;
} SbQuota;

void     sb_notice_clear            (SbNotice          *notice);
gboolean sb_notice_read             (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbNotice          *out,
                                     GError           **error);
void     sb_quota_clear             (SbQuota           *quota);
gboolean sb_quota_read              (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbQuota           *out,
                                     GError           **error);

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
const SbOption *sb_options_find     (GArray            *options,
                                     const char        *value);
gboolean sb_option_read             (JsonNode          *node,
                                     const char        *file,
                                     const char        *path,
                                     SbOption          *out,
                                     GError           **error);

void     sb_deadline_clear          (SbDeadline        *deadline);
/* The moment a deadline passes: its stated hour, or the end of its day, in
 * Beijing time (UTC+8) whatever the machine's time zone. */
GDateTime *sb_deadline_get_close_time (const SbDeadline *deadline);
gboolean sb_deadline_has_passed     (const SbDeadline  *deadline,
                                     GDateTime         *now);
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


void     sb_summary_header_field_clear (SbSummaryHeaderField *field);
gboolean sb_summary_header_field_read  (JsonNode             *node,
                                        const char           *file,
                                        const char           *path,
                                        SbSummaryHeaderField *out,
                                        GError              **error);
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
