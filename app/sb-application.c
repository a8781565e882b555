/* sb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-application.h"
#include "sb-bundle-view.h"
#include "sb-cli.h"
#include "sb-key-dialog.h"
#include "sb-output.h"
#include "sb-window.h"
#include "sb-work-folder.h"

struct _SbApplication
{
  AdwApplication  parent_instance;

  SbCatalog      *catalog;
  SbDraftStore   *store;
  GSettings      *settings;
  gboolean        restored;     /* the last open draft was reopened */
};

G_DEFINE_FINAL_TYPE (SbApplication, sb_application, ADW_TYPE_APPLICATION)

/* The calls are read while GTK starts (sb_application_main), so the start
 * page has them sooner; startup takes them over. */
static GThread *catalog_thread;

static gpointer
load_catalog (gpointer data)
{
  return sb_catalog_new_default ();
}

static void
sb_application_dispose (GObject *object)
{
  SbApplication *self = SB_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_application_parent_class)->dispose (object);
}

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "Shenbao contributors", NULL };
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (app));
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Shenbao"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APP_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("Prepare applications to science and technology funding calls "
                                   "offline, with every formal rule of the call checked as you type."));
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), _("Shenbao contributors"));
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  adw_about_window_set_copyright (ADW_ABOUT_WINDOW (about), "© 2026 Shenbao contributors");
  /* TRANSLATORS: put your name here */
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* closing saves the open draft */
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }
}

static void
signing_key_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (sb_key_dialog_new (parent)));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_cb },
  { .name = "signing-key", .activate = signing_key_cb },
  { .name = "quit", .activate = quit_cb },
};

static GSettings *
find_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

/* The private folders of bundles opened, or verified, by a Shenbao that
 * was killed or lost its power; in a worker, to keep the start quick. */
static void
sweep_work_folders (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *tmp = g_get_tmp_dir ();
  guint removed = sb_work_folder_sweep (tmp, SB_BUNDLE_VIEW_PREFIX) +
                  sb_work_folder_sweep (tmp, SB_BUNDLE_VERIFY_PREFIX);

  g_task_return_int (task, removed);
}

static void
sb_application_startup (GApplication *application)
{
  SbApplication *self = SB_APPLICATION (application);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *help_accels[] = { "<Primary>question", NULL };
  g_autoptr(GFile) directory = sb_draft_store_get_default_directory ();
  g_autoptr(GTask) sweep = g_task_new (NULL, NULL, NULL, NULL);

  g_task_run_in_thread (sweep, sweep_work_folders);
  G_APPLICATION_CLASS (sb_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_accels);

  self->settings = find_settings ();
  if (catalog_thread != NULL)
    self->catalog = g_thread_join (g_steal_pointer (&catalog_thread));
  else
    self->catalog = sb_catalog_new_default ();
  self->store = sb_draft_store_new (directory, self->catalog);
  sb_draft_store_empty_trash (self->store);
}

static void
show_catalog_errors (SbApplication *self,
                     GtkWindow     *window)
{
  GPtrArray *errors = sb_catalog_get_errors (self->catalog);
  g_autoptr(GString) body = NULL;
  GtkWidget *dialog;

  if (errors == NULL || errors->len == 0)
    return;
  body = g_string_new (_("These call files in your calls folder were not loaded:"));
  for (guint i = 0; i < errors->len; i++)
    g_string_append_printf (body, "\n\n%s", ((GError *) g_ptr_array_index (errors, i))->message);
  dialog = adw_message_dialog_new (window, _("Some Calls Could Not Be Loaded"), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static SbWindow *
ensure_window (SbApplication *self,
               gboolean      *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    {
      window = GTK_WINDOW (sb_window_new (self));
      /* the hidden test option of sb-window.c */
      if (g_getenv ("SHENBAO_TEST_REPORT") != NULL)
        {
          fprintf (stdout, "window\n");
          fflush (stdout);
        }
    }
  return SB_WINDOW (window);
}

static void
sb_application_activate (GApplication *application)
{
  SbApplication *self = SB_APPLICATION (application);
  gboolean created;
  SbWindow *window = ensure_window (self, &created);

  gtk_window_present (GTK_WINDOW (window));
  if (created)
    show_catalog_errors (self, GTK_WINDOW (window));

  /* the draft that was open when Shenbao last stopped, cleanly or not */
  if (created && !self->restored && self->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-draft");

      self->restored = TRUE;
      if (last[0] != '\0')
        sb_window_open_draft (window, last, NULL);
    }
}

static void
sb_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  SbApplication *self = SB_APPLICATION (application);
  gboolean created;
  SbWindow *window = ensure_window (self, &created);

  self->restored = TRUE;
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < n_files; i++)
    sb_window_open_file (window, files[i]);
}

static void
sb_application_class_init (SbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sb_application_dispose;
  app_class->startup = sb_application_startup;
  app_class->activate = sb_application_activate;
  app_class->open = sb_application_open;
}

static void
sb_application_init (SbApplication *self)
{
}

SbApplication *
sb_application_new (void)
{
  return g_object_new (SB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

SbDraftStore *
sb_application_get_store (SbApplication *self)
{
  return self->store;
}

GSettings *
sb_application_get_settings (SbApplication *self)
{
  return self->settings;
}

/* `shenbao COMMAND …` is the command line, decided before GTK starts and
 * never needing a display; `shenbao` and `shenbao FILE` open the window;
 * anything else is a command-line error (exit 2). */
int
sb_application_main (int    argc,
                     char **argv)
{
  g_autoptr(SbApplication) app = NULL;
  int status;

  if (sb_cli_handles (argc, argv))
    return sb_cli_run (argc, argv);
  if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
    return sb_cli_run (argc, argv);
  if (argc == 2 && !g_file_test (argv[1], G_FILE_TEST_IS_REGULAR))
    {
      if (strchr (argv[1], '/') != NULL || g_str_has_suffix (argv[1], ".json"))
        {
          g_autofree char *shown = sb_output_escape (argv[1], -1);

          /* TRANSLATORS: %s: a file named on the command line */
          g_printerr (_("shenbao: %s: no such file\n"), shown);
          return SB_EXIT_UNREADABLE;
        }
      return sb_cli_run (argc, argv);
    }

  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("shenbao: no display: the window needs a graphical session "
                            "(the command line works without one: shenbao --help)"));
      return SB_EXIT_UNREADABLE;
    }
  /* the calls load while the window is built; only after gtk_init_check(),
   * whose setlocale() must not race with the loader's gettext and locale
   * queries (seen as a spurious "no display" about one start in three) */
  catalog_thread = g_thread_new ("sb-catalog", load_catalog, NULL);

  app = sb_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  /* a second launch hands its files over without a startup of its own */
  if (catalog_thread != NULL)
    g_object_unref (g_thread_join (g_steal_pointer (&catalog_thread)));
  return status;
}
