/* sb-test-gtk.h — helpers the widget tests share: finding widgets, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-test-util.h"

G_BEGIN_DECLS

/* The first widget of @type in @widget's tree (depth first), @widget included. */
GtkWidget *sb_test_find_descendant    (GtkWidget  *widget,
                                       GType       type);
/* The first button whose action is @action in @widget's tree. */
GtkWidget *sb_test_find_action_button (GtkWidget  *widget,
                                       const char *action);
/* Saves @window as $SHENBAO_SCREENSHOTS/{en,zh_CN}/@name once it is laid
 * out, drawn and settled; does nothing when the variable is unset. */
void       sb_test_save_screenshot    (GtkWidget  *window,
                                       const char *name);
/* The message dialog shown now (an error, a confirmation), or NULL. */
AdwMessageDialog *sb_test_find_message_dialog (void);
/* Saves @widget as a PNG at @path, as it is drawn now. */
void       sb_test_save_png           (GtkWidget  *widget,
                                       const char *path);

G_END_DECLS
