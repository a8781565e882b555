/* sb-wizard-private.h — what the wizard's parts share with it
 *
 * The parts (field rows, tables, attachment slots, the review page) hold no
 * state of their own beyond their widgets: values live in the draft, problems
 * come from the core's validator, and the wizard tells each part which
 * problems are its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-validator.h"
#include "sb-wizard.h"

G_BEGIN_DECLS

/* Registers the wizard library's resources (templates) once. */
void         _sb_wizard_ensure_resources  (void);

/* Live checks wait this long after the last keystroke. */
#define SB_WIZARD_CHECK_DELAY_MS 300

SbValidator *_sb_wizard_get_validator     (SbWizard    *self);
GPtrArray   *_sb_wizard_get_problems      (SbWizard    *self);
/* A value of the draft changed: "changed" is emitted, and the live checks
 * run after the delay, or at once (focus left the field, Enter). */
void         _sb_wizard_value_changed     (SbWizard    *self,
                                           gboolean     at_once);
void         _sb_wizard_check_now         (SbWizard    *self);
/* Whether the parts take changes (sb_wizard_new_read_only). */
gboolean     _sb_wizard_read_only         (SbWizard    *self);
/* Read-only: the bundle signer's key fingerprint, or NULL. */
const char  *_sb_wizard_get_signer        (SbWizard    *self);
/* Whether problems of empty fields are shown: after the review step. */
gboolean     _sb_wizard_shows_empty       (SbWizard    *self);

/* The widget that shows the problems of a JSON path and takes the focus
 * for it; problems of deeper paths go to the nearest registered one. */
void         _sb_wizard_register_path     (SbWizard    *self,
                                           const char  *path,
                                           GtkWidget   *widget);
void         _sb_wizard_unregister_path   (SbWizard    *self,
                                           const char  *path,
                                           GtkWidget   *widget);
GtkWidget   *_sb_wizard_lookup_path       (SbWizard    *self,
                                           const char  *path);
GPtrArray   *_sb_wizard_problems_for      (SbWizard    *self,
                                           GtkWidget   *widget);
void         _sb_wizard_set_acknowledged  (SbWizard    *self,
                                           const char  *rule_id,
                                           gboolean     acknowledged);

/* Helpers for the parts */
gboolean     _sb_chinese                  (void);
const char  *_sb_text                     (const SbText *text);
/* Fills box with one label per shown problem; returns the first message
 * (for the accessible description) or NULL. */
const char  *_sb_show_problems            (GtkBox      *box,
                                           GPtrArray   *problems,
                                           SbWizard    *wizard,
                                           SbSeverity  *worst);
gboolean     _sb_problem_is_of_empty      (SbWizard        *wizard,
                                           const SbProblem *problem);
void         _sb_mark_invalid             (GtkWidget   *widget,
                                           const char  *message,
                                           SbSeverity   severity);
/* A value as it is typed (with_unit FALSE: money without its unit, in the
 * field's unit) or shown (money with its unit, choices by their label). */
char        *_sb_format_value             (SbField       *field,
                                           const SbValue *value,
                                           gboolean       with_unit);

G_END_DECLS
