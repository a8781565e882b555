/* sb-start-page.c
 *
 * Signals: "new-draft" (SbCall *call): the applicant chose a call;
 * "open-draft" (const char *id): they chose a saved draft that loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-countdown.h"
#include "sb-problem.h"
#include "sb-start-page.h"

struct _SbStartPage
{
  AdwBin           parent_instance;

  SbDraftStore    *store;
  GDateTime       *now;
  GPtrArray       *calls;       /* SbCall, in the order of calls_list */
  GPtrArray       *entries;     /* SbDraftEntry, in the order of drafts_list */

  AdwToastOverlay *toast_overlay;
  GtkSearchEntry  *search_entry;
  GtkListBox      *calls_list;
  GtkListBox      *drafts_list;
};

G_DEFINE_FINAL_TYPE (SbStartPage, sb_start_page, ADW_TYPE_BIN)

enum {
  NEW_DRAFT,
  OPEN_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static GQuark haystack_quark;

static void
sb_start_page_dispose (GObject *object)
{
  SbStartPage *self = SB_START_PAGE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->calls, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (sb_start_page_parent_class)->dispose (object);
}

/* Search */

static void
set_haystack (GtkWidget  *row,
              GString    *text)
{
  g_object_set_qdata_full (G_OBJECT (row), haystack_quark,
                           g_utf8_casefold (text->str, -1), g_free);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  SbStartPage *self = user_data;
  const char *haystack = g_object_get_qdata (G_OBJECT (row), haystack_quark);
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_auto(GStrv) words = NULL;

  if (query == NULL || query[0] == '\0' || haystack == NULL)
    return TRUE;
  needle = g_utf8_casefold (query, -1);
  words = g_strsplit_set (needle, " \t\u3000", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && strstr (haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
search_changed_cb (SbStartPage *self)
{
  gtk_list_box_invalidate_filter (self->calls_list);
  gtk_list_box_invalidate_filter (self->drafts_list);
}

/* Calls */

#define MAX_PROGRAMMES_SHOWN 3

/* The programmes' titles joined; with limit, at most that many and "and N
 * more" (the search still sees them all). */
static char *
programmes_text (SbCall   *call,
                 gboolean  chinese,
                 guint     limit)
{
  GArray *programmes = sb_call_get_programmes (call);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = programmes != NULL ? programmes->len : 0;

  for (guint i = 0; i < n && (limit == 0 || i < limit); i++)
    {
      const SbProgramme *programme = &g_array_index (programmes, SbProgramme, i);

      if (text->len > 0)
        g_string_append (text, chinese ? "、" : ", ");
      g_string_append (text, sb_text_get (&programme->title, chinese));
    }
  if (limit != 0 && n > limit)
    /* TRANSLATORS: after the first programmes of a call: "A, B, C and 6 more" */
    g_string_append_printf (text, ngettext (" and %u more", " and %u more", n - limit), n - limit);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
new_call_row (SbStartPage *self,
              SbCall      *call,
              guint        index)
{
  gboolean chinese = sb_prefer_chinese ();
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *programmes = programmes_text (call, chinese, MAX_PROGRAMMES_SHOWN);
  g_autofree char *all_programmes = programmes_text (call, chinese, 0);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GString) haystack = g_string_new (NULL);
  g_autofree char *countdown = NULL;
  const SbDeadline *deadline = NULL;
  SbCountdownState state;
  GtkWidget *label;
  GtkWidget *icon;
  g_autoptr(GDateTime) now = self->now ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sb_text_get (sb_call_get_title (call), chinese));
  /* TRANSLATORS: "BUREAU · YEAR" under a call's title */
  g_string_append_printf (subtitle, _("%s · %d"),
                          sb_text_get (sb_call_get_bureau (call), chinese),
                          (int) sb_call_get_year (call));
  if (programmes[0] != '\0')
    {
      g_string_append_c (subtitle, '\n');
      /* TRANSLATORS: the programmes of a call, after its bureau */
      g_string_append_printf (subtitle, _("Programmes: %s"), programmes);
    }

  countdown = sb_countdown_describe (call, now, &state);
  sb_countdown_get (call, now, &deadline, NULL);
  if (deadline != NULL)
    {
      g_autofree char *date = sb_date_format (deadline->date);

      g_string_append_c (subtitle, '\n');
      /* TRANSLATORS: "DEADLINE TITLE: 2024-01-31 17:00 (Beijing time)" */
      g_string_append_printf (subtitle, _("%s: %s%s%s (Beijing time)"),
                              sb_text_get (&deadline->title, chinese), date,
                              deadline->time ? " " : "", deadline->time ? deadline->time : "");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  /* never wrapped: CJK text would break after every character */
  label = gtk_label_new (countdown);
  gtk_widget_add_css_class (label, state == SB_COUNTDOWN_OPEN ? "accent" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Start a draft"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "start.new-draft");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "u", index);

  /* search in both languages: a name, bureau, year or programme */
  g_string_append_printf (haystack, "%s %s %s %s %d %s %s %s",
                          sb_call_get_title (call)->zh, sb_call_get_title (call)->en,
                          sb_call_get_bureau (call)->zh, sb_call_get_bureau (call)->en,
                          (int) sb_call_get_year (call), sb_call_get_id (call),
                          all_programmes, countdown);
  {
    g_autofree char *other = programmes_text (call, !chinese, 0);
    g_string_append_printf (haystack, " %s", other);
  }
  set_haystack (row, haystack);
  return row;
}

static void
remove_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (list, child);
  /* the placeholder may come first */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL; )
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (list, child);
      child = next;
    }
}

static int
compare_calls (gconstpointer a,
               gconstpointer b)
{
  SbCall *x = *(SbCall * const *) a;
  SbCall *y = *(SbCall * const *) b;

  if (sb_call_get_year (x) != sb_call_get_year (y))
    return sb_call_get_year (x) > sb_call_get_year (y) ? -1 : 1;
  return g_strcmp0 (sb_call_get_id (x), sb_call_get_id (y));
}

static void
fill_calls (SbStartPage *self)
{
  SbCatalog *catalog = sb_draft_store_get_catalog (self->store);

  remove_rows (self->calls_list);
  g_clear_pointer (&self->calls, g_ptr_array_unref);
  self->calls = sb_catalog_list_calls (catalog);
  g_ptr_array_sort (self->calls, compare_calls);
  for (guint i = 0; i < self->calls->len; i++)
    gtk_list_box_append (self->calls_list, new_call_row (self, g_ptr_array_index (self->calls, i), i));
}

/* Drafts */

static GtkWidget *
new_count_label (const char *text,
                 const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, style);
  gtk_widget_add_css_class (label, "sb-count");
  return label;
}

static GMenuModel *
draft_menu (const char *id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) duplicate = g_menu_item_new (_("D_uplicate"), NULL);
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Delete"), NULL);

  g_menu_item_set_action_and_target (duplicate, "start.duplicate-draft", "s", id);
  g_menu_item_set_action_and_target (rename, "start.rename-draft", "s", id);
  g_menu_item_set_action_and_target (remove, "start.delete-draft", "s", id);
  g_menu_append_item (menu, duplicate);
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, remove);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
new_draft_row (SbStartPage        *self,
               const SbDraftEntry *entry)
{
  gboolean chinese = sb_prefer_chinese ();
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GString) haystack = g_string_new (entry->title);
  g_autoptr(GDateTime) local = g_date_time_to_local (entry->modified);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autoptr(GMenuModel) menu = draft_menu (entry->id);
  GtkWidget *menu_button;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->title);
  if (entry->call != NULL)
    {
      const char *call_title = sb_text_get (sb_call_get_title (entry->call), chinese);

      if (g_strcmp0 (call_title, entry->title) != 0)
        /* TRANSLATORS: "CALL TITLE · last edited 2024-01-20 09:42" */
        g_string_append_printf (subtitle, _("%s · last edited %s"), call_title, when);
      else
        /* TRANSLATORS: under a draft named after its call */
        g_string_append_printf (subtitle, _("Last edited %s"), when);
      g_string_append_printf (haystack, " %s", call_title);
    }
  else
    {
      /* TRANSLATORS: a saved draft that does not load; %s: the loader's error */
      g_string_append_printf (subtitle, _("Cannot be opened: %s"), entry->broken);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  if (entry->broken != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_count_label (_("cannot be opened"), "error"));
  else if (entry->errors == 0 && entry->warnings == 0)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_count_label (_("no problems"), "success"));
  else
    {
      if (entry->errors > 0)
        {
          g_autofree char *text = g_strdup_printf (ngettext ("%u error", "%u errors", entry->errors),
                                                   entry->errors);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_count_label (text, "error"));
        }
      if (entry->warnings > 0)
        {
          g_autofree char *text = g_strdup_printf (ngettext ("%u warning", "%u warnings", entry->warnings),
                                                   entry->warnings);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_count_label (text, "warning"));
        }
    }

  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Draft Actions"));
  {
    /* TRANSLATORS: the accessible name of a draft's menu button */
    g_autofree char *name = g_strdup_printf (_("Actions for “%s”"), entry->title);
    gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
  }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "start.open-draft");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", entry->id);
  set_haystack (row, haystack);
  return row;
}

static void
fill_drafts (SbStartPage *self)
{
  remove_rows (self->drafts_list);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->entries = sb_draft_store_list (self->store);
  for (guint i = 0; i < self->entries->len; i++)
    gtk_list_box_append (self->drafts_list, new_draft_row (self, g_ptr_array_index (self->entries, i)));
}

static const SbDraftEntry *
find_entry (SbStartPage *self,
            const char  *id)
{
  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    {
      const SbDraftEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->id, id))
        return entry;
    }
  return NULL;
}

static void
show_error (SbStartPage *self,
            const char  *heading,
            const char  *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static void
new_draft_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SbStartPage *self = SB_START_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (self->calls != NULL && index < self->calls->len)
    g_signal_emit (self, signals[NEW_DRAFT], 0, g_ptr_array_index (self->calls, index));
}

static void
open_draft_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbStartPage *self = SB_START_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const SbDraftEntry *entry = find_entry (self, id);

  if (entry != NULL && entry->broken != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (entry->file);
      g_autofree char *body =
        /* TRANSLATORS: %s: why the draft does not load; %s: its folder */
        g_strdup_printf (_("%s\n\nShenbao keeps the file as it is and never writes over it. "
                           "It is in %s."), entry->broken, g_file_peek_path (folder));
      show_error (self, _("This Draft Cannot Be Opened"), body);
      return;
    }
  g_signal_emit (self, signals[OPEN_DRAFT], 0, id);
}

static void
duplicate_draft_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SbStartPage *self = SB_START_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sb_draft_store_duplicate (self->store, g_variant_get_string (parameter, NULL), &error);

  if (id == NULL)
    {
      show_error (self, _("The Draft Could Not Be Duplicated"), error->message);
      return;
    }
  fill_drafts (self);
  sb_start_page_add_toast (self, adw_toast_new (_("Draft duplicated")));
}

typedef struct {
  SbStartPage *page;
  GtkEditable *entry;
  char        *id;
} Rename;

static void
rename_free (Rename *rename)
{
  g_object_unref (rename->page);
  g_free (rename->id);
  g_free (rename);
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Rename           *rename)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "rename"))
    {
      if (!sb_draft_store_rename (rename->page->store, rename->id,
                                  gtk_editable_get_text (rename->entry), &error))
        show_error (rename->page, _("The Draft Could Not Be Renamed"), error->message);
      else
        fill_drafts (rename->page);
    }
}

static void
rename_draft_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbStartPage *self = SB_START_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const SbDraftEntry *entry = find_entry (self, id);
  GtkWidget *dialog;
  GtkWidget *entry_widget;
  Rename *rename;

  if (entry == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Rename Draft"), NULL);
  entry_widget = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry_widget), entry->title);
  gtk_entry_set_activates_default (GTK_ENTRY (entry_widget), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry_widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Title of the draft"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry_widget);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  rename = g_new0 (Rename, 1);
  rename->page = g_object_ref (self);
  rename->entry = GTK_EDITABLE (entry_widget);
  rename->id = g_strdup (id);
  g_signal_connect_data (dialog, "response", G_CALLBACK (rename_response_cb), rename,
                         (GClosureNotify) (void (*) (void)) rename_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_draft_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbStartPage *self = SB_START_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const SbDraftEntry *entry = find_entry (self, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (entry == NULL)
    return;
  title = g_strdup (entry->title);
  if (!sb_draft_store_trash (self->store, id, &error))
    {
      show_error (self, _("The Draft Could Not Be Deleted"), error->message);
      return;
    }
  fill_drafts (self);
  {
    /* TRANSLATORS: a toast after deleting a draft, with an Undo button */
    g_autofree char *text = g_strdup_printf (_("“%s” deleted"), title);
    toast = adw_toast_new (text);
  }
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "start.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  sb_start_page_add_toast (self, toast);
}

static void
undo_delete_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SbStartPage *self = SB_START_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!sb_draft_store_untrash (self->store, g_variant_get_string (parameter, NULL), &error))
    show_error (self, _("The Draft Could Not Be Restored"), error->message);
  fill_drafts (self);
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sb_start_page_focus_search (SB_START_PAGE (widget));
}

static void
sb_start_page_class_init (SbStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_start_page_dispose;
  haystack_quark = g_quark_from_static_string ("sb-start-page-haystack");

  signals[NEW_DRAFT] = g_signal_new ("new-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, SB_TYPE_CALL);
  signals[OPEN_DRAFT] = g_signal_new ("open-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sb-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbStartPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbStartPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbStartPage, calls_list);
  gtk_widget_class_bind_template_child (widget_class, SbStartPage, drafts_list);

  gtk_widget_class_install_action (widget_class, "start.new-draft", "u", new_draft_cb);
  gtk_widget_class_install_action (widget_class, "start.open-draft", "s", open_draft_cb);
  gtk_widget_class_install_action (widget_class, "start.duplicate-draft", "s", duplicate_draft_cb);
  gtk_widget_class_install_action (widget_class, "start.rename-draft", "s", rename_draft_cb);
  gtk_widget_class_install_action (widget_class, "start.delete-draft", "s", delete_draft_cb);
  gtk_widget_class_install_action (widget_class, "start.undo-delete", "s", undo_delete_cb);
  gtk_widget_class_install_action (widget_class, "start.search", NULL, focus_search_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "start.search", NULL);
}

static void
sb_start_page_init (SbStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->calls_list, filter_row, self, NULL);
  gtk_list_box_set_filter_func (self->drafts_list, filter_row, self, NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
}

GtkWidget *
sb_start_page_new (void)
{
  return g_object_new (SB_TYPE_START_PAGE, NULL);
}

void
sb_start_page_set_store (SbStartPage  *self,
                         SbDraftStore *store)
{
  g_return_if_fail (SB_IS_START_PAGE (self));

  if (g_set_object (&self->store, store))
    sb_start_page_reload (self);
}

void
sb_start_page_set_now (SbStartPage *self,
                       GDateTime   *now)
{
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now ? g_date_time_ref (now) : NULL;
  if (self->store != NULL)
    fill_calls (self);
}

void
sb_start_page_reload (SbStartPage *self)
{
  g_return_if_fail (SB_IS_START_PAGE (self));

  if (self->store == NULL)
    return;
  fill_calls (self);
  fill_drafts (self);
}

void
sb_start_page_focus_search (SbStartPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
sb_start_page_add_toast (SbStartPage *self,
                         AdwToast    *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

GtkListBox *
sb_start_page_get_calls_list (SbStartPage *self)
{
  return self->calls_list;
}

GtkListBox *
sb_start_page_get_drafts_list (SbStartPage *self)
{
  return self->drafts_list;
}
