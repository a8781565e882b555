/* sb-test-util.h — helpers the tests share: the main loop and scratch folders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the default main context for @ms milliseconds, then until idle. */
void sb_test_spin        (guint       ms);
/* Removes a folder and everything below it (symbolic links are not followed). */
void sb_test_remove_tree (const char *path);

G_END_DECLS
