/* sb-work-folder.h — private working folders that never outlive a crash
 *
 * A signed bundle is verified and extracted in a private folder (0700)
 * that holds the applicant's attachments for a while. Removing it at the
 * end is not enough: a process that is killed, or a machine that loses
 * power, leaves it behind. So a working folder is marked in use for as
 * long as its process lives: the process holds an flock(2) on the
 * folder's own descriptor, and the kernel drops it when the process dies,
 * however it dies. sb_work_folder_sweep() removes the folders that no
 * living process holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SbWorkFolder SbWorkFolder;

/* Makes a new private folder PARENT/PREFIXxxxxxx (six random letters or
 * digits, mode 0700) and marks it in use until sb_work_folder_free(). On
 * a file system without locks the folder is made all the same, unmarked:
 * no sweep removes it then. */
SbWorkFolder *sb_work_folder_new      (const char   *parent,
                                       const char   *prefix,
                                       GError      **error);
const char   *sb_work_folder_get_path (SbWorkFolder *self);
/* Removes the folder and everything in it (never following a symbolic
 * link out of it), then drops the mark. */
void          sb_work_folder_free     (SbWorkFolder *self);

/* Removes every folder PARENT/PREFIXxxxxxx of the current user that no
 * living process holds, with its contents; returns how many. Anything
 * else is left alone: other names, symbolic links (never followed),
 * files, other users' folders, folders in use. Never blocks: a folder
 * another sweep is removing is skipped, one that vanishes is fine. */
guint         sb_work_folder_sweep    (const char   *parent,
                                       const char   *prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbWorkFolder, sb_work_folder_free)

G_END_DECLS
