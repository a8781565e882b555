/* sb-draft-store.h — the applicant's drafts in the user data folder
 *
 * Every draft has a folder of its own, $XDG_DATA_HOME/shenbao/drafts/<id>/,
 * holding draft.json, its attachments (attachments/…) and draft.ini (the
 * title the applicant gave it). A draft that no longer loads is listed with
 * the reason and never written. Deleted drafts wait in drafts/.trash/ until
 * the trash is emptied, so a deletion can be undone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-catalog.h"
#include "sb-draft.h"

G_BEGIN_DECLS

#define SB_TYPE_DRAFT_STORE (sb_draft_store_get_type ())

G_DECLARE_FINAL_TYPE (SbDraftStore, sb_draft_store, SB, DRAFT_STORE, GObject)

#define SB_DRAFT_STORE_FILE_NAME "draft.json"
/* Present while a draft is open in Shenbao (the autosaver's crash marker). */
#define SB_DRAFT_STORE_MARKER_NAME "open-in-shenbao"

typedef struct {
  char      *id;
  GFile     *file;          /* <id>/draft.json */
  char      *title;         /* the applicant's title, else the call's */
  SbCall    *call;          /* NULL when the draft does not load */
  GDateTime *modified;      /* of draft.json, local time */
  guint      errors;
  guint      warnings;
  char      *broken;        /* why the draft does not load; NULL when it does */
  gboolean   unclosed;      /* open when Shenbao last stopped: a crash */
} SbDraftEntry;

void          sb_draft_entry_free             (SbDraftEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbDraftEntry, sb_draft_entry_free)

GFile        *sb_draft_store_get_default_directory (void);

SbDraftStore *sb_draft_store_new              (GFile         *directory,
                                               SbCatalog     *catalog);
GFile        *sb_draft_store_get_directory    (SbDraftStore  *self);
SbCatalog    *sb_draft_store_get_catalog      (SbDraftStore  *self);

GPtrArray    *sb_draft_store_list             (SbDraftStore  *self);
SbDraftEntry *sb_draft_store_get_entry        (SbDraftStore  *self,
                                               const char    *id);
char         *sb_draft_store_id_for_file      (SbDraftStore  *self,
                                               GFile         *file);
/* The title shown for @draft: the one given in its folder, else one made
 * from its values. Needs no store: it reads the draft's own folder. */
char         *sb_draft_store_get_title        (SbDraft       *draft);

SbDraft      *sb_draft_store_create           (SbDraftStore  *self,
                                               SbCall        *call,
                                               GError       **error);
SbDraft      *sb_draft_store_load             (SbDraftStore  *self,
                                               const char    *id,
                                               GError       **error);
SbDraft      *sb_draft_store_import           (SbDraftStore  *self,
                                               GFile         *file,
                                               GPtrArray    **missing,
                                               GError       **error);
char         *sb_draft_store_duplicate        (SbDraftStore  *self,
                                               const char    *id,
                                               GError       **error);
gboolean      sb_draft_store_rename           (SbDraftStore  *self,
                                               const char    *id,
                                               const char    *title,
                                               GError       **error);
gboolean      sb_draft_store_trash            (SbDraftStore  *self,
                                               const char    *id,
                                               GError       **error);
gboolean      sb_draft_store_untrash          (SbDraftStore  *self,
                                               const char    *id,
                                               GError       **error);
void          sb_draft_store_empty_trash      (SbDraftStore  *self);

G_END_DECLS
