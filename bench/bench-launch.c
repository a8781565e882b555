/* bench-launch.c — from launch to the start page on screen, against
 * gtk4-widget-factory launched the same way
 *
 * Both programs are started as fresh processes on the same X display; the
 * clock stops when the X server maps their first top-level window (GTK maps
 * a window once its first frame is laid out and ready to draw). The figure
 * is the ratio of the medians, so it means the same on any machine. Needs a
 * display: bench/run starts Xvfb when there is none. Target: ≤ 1.0×.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <stdio.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <X11/Xlib.h>

#define RUNS 11
#define TIMEOUT_SECONDS 30

static Display *display;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Milliseconds from spawning argv to the map of its first top-level. */
static double
launch_once (const char * const *argv,
             char              **envp)
{
  g_autoptr(GError) error = NULL;
  GPid pid;
  gint64 start, end = 0;
  XEvent event;

  /* forget windows of earlier runs */
  XSync (display, True);
  start = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("%s: %s", argv[0], error->message);

  while (end == 0)
    {
      if (g_get_monotonic_time () - start > TIMEOUT_SECONDS * G_USEC_PER_SEC)
        g_error ("%s: no window after %d s", argv[0], TIMEOUT_SECONDS);
      if (!XPending (display))
        {
          g_usleep (200);
          continue;
        }
      XNextEvent (display, &event);
      if (event.type == MapNotify && event.xmap.event == DefaultRootWindow (display) &&
          !event.xmap.override_redirect)
        end = g_get_monotonic_time ();
    }

  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  return (end - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

int
main (int    argc,
      char **argv)
{
  const char *factory = g_find_program_in_path ("gtk4-widget-factory");
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *shenbao_argv[] = { BUILD_DIR "/app/shenbao", NULL };
  const char *factory_argv[] = { factory, NULL };
  double ours[RUNS], reference[RUNS];
  double ours_median, reference_median;

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      printf ("launch: no display (run through bench/run, which starts Xvfb)\n");
      return 77;
    }
  if (factory == NULL)
    {
      printf ("launch: gtk4-widget-factory (package gtk-4-examples) is not installed\n");
      return 77;
    }
  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);

  root = g_dir_make_tmp ("shenbao-bench-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (root, "data", NULL);
  config = g_build_filename (root, "config", NULL);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", BUILD_DIR "/data", TRUE);
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", FALSE);
  envp = g_environ_setenv (envp, "SHENBAO_LOCALEDIR", BUILD_DIR "/po", TRUE);

  /* warm the page cache for both, then alternate */
  launch_once (shenbao_argv, envp);
  launch_once (factory_argv, envp);
  for (guint i = 0; i < RUNS; i++)
    {
      ours[i] = launch_once (shenbao_argv, envp);
      reference[i] = launch_once (factory_argv, envp);
    }
  ours_median = median (ours, RUNS);
  reference_median = median (reference, RUNS);

  printf ("launch to the start page on screen: %.0f ms (median of %d)\n", ours_median, RUNS);
  printf ("gtk4-widget-factory, same way:      %.0f ms\n", reference_median);
  printf ("ratio: %.2f× (target ≤ 1.0×)\n", ours_median / reference_median);

  XCloseDisplay (display);
  remove_tree (root);
  return 0;
}
