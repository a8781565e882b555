/* sb-test-gtk.c — helpers the widget tests share: finding widgets, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-test-gtk.h"

#include "sb-problem.h"

GtkWidget *
sb_test_find_descendant (GtkWidget *widget,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sb_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
sb_test_find_action_button (GtkWidget  *widget,
                            const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sb_test_find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GskRenderNode *
draw_node (GtkWidget *widget,
           int       *width,
           int       *height)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  if (*width <= 0 || *height <= 0)
    return NULL;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  return gtk_snapshot_free_to_node (snapshot);
}

static void
write_png (GtkWidget     *widget,
           GskRenderNode *node,
           int            width,
           int            height,
           const char    *path)
{
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

void
sb_test_save_png (GtkWidget  *widget,
                  const char *path)
{
  g_autoptr(GskRenderNode) node = NULL;
  int width, height;

  node = draw_node (widget, &width, &height);
  g_assert_nonnull (node);
  write_png (widget, node, width, height, path);
}

void
sb_test_save_screenshot (GtkWidget  *window,
                         const char *name)
{
  const char *base = g_getenv ("SHENBAO_SCREENSHOTS");
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  int width = 0, height = 0;

  if (base == NULL)
    return;
  folder = g_build_filename (base, sb_prefer_chinese () ? "zh_CN" : "en", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  path = g_build_filename (folder, name, NULL);
  /* a window just mapped may not be laid out yet, and libadwaita's header
   * titles cross-fade in for a few hundred milliseconds */
  sb_test_spin (600);
  for (guint i = 0; i < 100 && node == NULL; i++)
    {
      sb_test_spin (20);
      gtk_test_widget_wait_for_draw (window);
      node = draw_node (window, &width, &height);
    }
  g_assert_nonnull (node);
  write_png (window, node, width, height, path);
  g_test_message ("saved %s", path);
}

AdwMessageDialog *
sb_test_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}
