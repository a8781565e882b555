/* sb-cli.h — the command line: works without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of `shenbao validate` */
#define SB_EXIT_OK          0
#define SB_EXIT_PROBLEMS    1
#define SB_EXIT_UNREADABLE  2

gboolean sb_cli_handles (int    argc,
                         char **argv);
int      sb_cli_run     (int    argc,
                         char **argv);

G_END_DECLS
