/* sb-cli-private.h — what the command files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-catalog.h"
#include "sb-key.h"

G_BEGIN_DECLS

/* Exit status of `shenbao verify` and `extract` when the bundle is intact
 * but re-validation now finds errors. */
#define SB_EXIT_REVALIDATION 3

SbCatalog *sb_cli_build_catalog      (GStrv        forms,
                                      GError     **error);
gboolean   sb_cli_read_passphrase    (const char  *path,
                                      char       **passphrase,
                                      GError     **error);
void       sb_cli_write_utf8         (const char  *text);
/* "COMMAND: message" on stderr, the message escaped (it may quote values
 * and file names). */
void       sb_cli_print_error        (const char   *command,
                                      const GError *error);

int        sb_cli_run_export         (int argc, char **argv);
int        sb_cli_run_verify         (int argc, char **argv);
int        sb_cli_run_extract        (int argc, char **argv);
int        sb_cli_run_key            (int argc, char **argv);

G_END_DECLS
