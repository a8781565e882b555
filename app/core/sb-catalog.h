/* sb-catalog.h — every call this Shenbao knows
 *
 * Built-in definitions come from the GResource; more come from the user's
 * data folder ($XDG_DATA_HOME/shenbao/forms) and from paths given on the
 * command line. A definition that fails to load is kept as an error, never
 * silently dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-call.h"

G_BEGIN_DECLS

#define SB_TYPE_CATALOG (sb_catalog_get_type ())

/* call definitions read from one folder */
#define SB_CATALOG_MAX_FILES 100

G_DECLARE_FINAL_TYPE (SbCatalog, sb_catalog, SB, CATALOG, GObject)

/* Higher wins when two places define the same id and version. */
typedef enum {
  SB_ORIGIN_BUILTIN,
  SB_ORIGIN_USER,
  SB_ORIGIN_COMMAND_LINE,
} SbOrigin;

SbCatalog  *sb_catalog_new              (void);
SbCatalog  *sb_catalog_new_default      (void);
void        sb_catalog_add_builtin      (SbCatalog   *self);
void        sb_catalog_add_directory    (SbCatalog   *self,
                                         GFile       *directory,
                                         SbOrigin     origin);
gboolean    sb_catalog_add_path         (SbCatalog   *self,
                                         GFile       *path,
                                         SbOrigin     origin,
                                         GError     **error);
gboolean    sb_catalog_add_call         (SbCatalog   *self,
                                         SbCall      *call,
                                         SbOrigin     origin,
                                         GError     **error);
SbCall     *sb_catalog_lookup           (SbCatalog   *self,
                                         const char  *id,
                                         gint64       version);
GPtrArray  *sb_catalog_list_calls       (SbCatalog   *self);
char       *sb_catalog_list_versions    (SbCatalog   *self,
                                         const char  *id);
SbOrigin    sb_catalog_get_origin       (SbCatalog   *self,
                                         SbCall      *call);
/* The built-in definition of the same id and version that @call (from the
 * user folder or the command line) replaces, or NULL. */
SbCall     *sb_catalog_get_overridden   (SbCatalog   *self,
                                         SbCall      *call);
GPtrArray  *sb_catalog_get_errors       (SbCatalog   *self);

GFile      *sb_catalog_get_user_directory (void);

G_END_DECLS
