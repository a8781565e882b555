/* sb-draft.h — an application being prepared
 *
 * A draft is what the applicant typed: the values of the call's fields,
 * the attached files, and the warnings they acknowledged. Calculated values
 * are never stored; they are derived from the call each time. The file
 * format is documented in docs/draft-format.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-call.h"
#include "sb-catalog.h"
#include "sb-value.h"

G_BEGIN_DECLS

#define SB_TYPE_DRAFT (sb_draft_get_type ())

G_DECLARE_FINAL_TYPE (SbDraft, sb_draft, SB, DRAFT, GObject)

#define SB_DRAFT_MAX_ROWS SB_FIELD_MAX_ROWS

typedef struct {
  char   *file;     /* relative to the draft's folder, or absolute */
  char   *sha256;   /* hex, of the file as attached; may be NULL */
  gint64  size;     /* -1 when not recorded */
} SbAttachmentRef;

void        sb_attachment_ref_free      (SbAttachmentRef *ref);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbAttachmentRef, sb_attachment_ref_free)

SbDraft    *sb_draft_new                (SbCall       *call);
SbDraft    *sb_draft_load               (GFile        *file,
                                         SbCatalog    *catalog,
                                         GError      **error);
SbDraft    *sb_draft_load_bytes         (GBytes       *bytes,
                                         const char   *display_name,
                                         SbCatalog    *catalog,
                                         GError      **error);
gboolean    sb_draft_save               (SbDraft      *self,
                                         GFile        *file,
                                         GError      **error);
char       *sb_draft_to_data            (SbDraft      *self,
                                         gsize        *length);
void        sb_draft_touch              (SbDraft      *self);

SbCall     *sb_draft_get_call           (SbDraft      *self);
gint64      sb_draft_get_migrated_from  (SbDraft      *self);
GPtrArray  *sb_draft_get_dropped        (SbDraft      *self);
GFile      *sb_draft_get_file           (SbDraft      *self);
void        sb_draft_set_file           (SbDraft      *self,
                                         GFile        *file);
const char *sb_draft_get_display_name   (SbDraft      *self);
SbValue    *sb_draft_get_values         (SbDraft      *self);
SbValue    *sb_draft_get_value          (SbDraft      *self,
                                         const char   *field_id);
void        sb_draft_set_value          (SbDraft      *self,
                                         const char   *field_id,
                                         SbValue      *value);
GPtrArray  *sb_draft_get_attachments    (SbDraft      *self,
                                         const char   *attachment_id);
GList      *sb_draft_list_attachment_ids (SbDraft     *self);
void        sb_draft_add_attachment     (SbDraft      *self,
                                         const char   *attachment_id,
                                         SbAttachmentRef *ref);
gboolean    sb_draft_is_acknowledged    (SbDraft      *self,
                                         const char   *rule_id);
void        sb_draft_set_acknowledged   (SbDraft      *self,
                                         const char   *rule_id,
                                         gboolean      acknowledged);

G_END_DECLS
