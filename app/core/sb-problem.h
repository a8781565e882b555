/* sb-problem.h — one thing wrong with a draft
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SB_TYPE_PROBLEM (sb_problem_get_type ())

typedef enum {
  SB_SEVERITY_ERROR,    /* blocks export */
  SB_SEVERITY_WARNING,  /* export needs an acknowledgement */
  SB_SEVERITY_INFO,
} SbSeverity;

/* A problem carries its message in both languages, whatever the language
 * of the interface: the printed 申报书 and the signed bundle need the
 * Chinese one, a reviewer reading English the other. */
typedef struct {
  SbSeverity  severity;
  char       *code;          /* the rule id, or a built-in check: "required", "max_length", … */
  char       *path;          /* JSON path into the draft: $.values.pi.degree */
  char       *field_id;      /* the top-level field, for the wizard to focus; may be NULL */
  char       *message_zh;
  char       *message_en;
  char       *clause;        /* the guide clause it enforces; may be NULL */
  char       *quote;
  gboolean    acknowledged;
  char       *basis;         /* NULL: a rule of the call; "consistency", "format" or "ours" */
} SbProblem;

GType        sb_problem_get_type        (void) G_GNUC_CONST;
SbProblem   *sb_problem_new             (SbSeverity        severity,
                                         const char       *code,
                                         const char       *path,
                                         const char       *field_id);
SbProblem   *sb_problem_copy            (const SbProblem  *problem);
void         sb_problem_free            (SbProblem        *problem);
const char  *sb_problem_get_message     (const SbProblem  *problem,
                                         gboolean          chinese);

const char  *sb_severity_to_string      (SbSeverity        severity);
gboolean     sb_severity_from_string    (const char       *text,
                                         SbSeverity       *out);

/* Whether messages should be Chinese: the first language gettext would use. */
gboolean     sb_prefer_chinese          (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbProblem, sb_problem_free)

G_END_DECLS
