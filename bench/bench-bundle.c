/* bench-bundle.c — export and verify of a bundle with a 100 MB attachment
 *
 * The reference is `openssl dgst -sha256` of the same attachment, timed in
 * the same run (OpenSSL's SHA-256 with the CPU's SHA extensions, about
 * 1 GB/s on current x86). Printed as ratios, with the goals:
 *   - hashing (OpenSSL EVP over 1 MiB chunks, as export and verify hash):
 *     at least 80% of openssl's rate;
 *   - a whole export and a whole verification: each within 4× openssl's time;
 *   - peak memory (RSS) of `shenbao verify`: below 1.5× the bundle's size.
 * CPU times are printed as ratios too: steadier than wall time on a busy
 * machine. Export and verify include validation with the files, which
 * hashes each attachment once more.
 * The call definition is a test-only one that allows a 200 MB attachment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "sb-application-digest.h"
#include "sb-bundle.h"
#include "sb-catalog.h"
#include "sb-key.h"

#define ATTACHMENT_BYTES (100 * 1000 * 1000)
#define REPEAT 3

static const char call_text[] =
  "{\"format\": \"shenbao-call\", \"format_version\": 1, \"id\": \"bench-large\", \"version\": 1,"
  " \"title\": {\"zh\": \"大附件\", \"en\": \"Large attachment\"}, \"bureau\": {\"zh\": \"局\", \"en\": \"Bureau\"},"
  " \"year\": 2024, \"steps\": [{\"id\": \"s\", \"title\": {\"zh\": \"步\", \"en\": \"Step\"}, \"fields\": ["
  "   {\"id\": \"project_name\", \"type\": \"text\", \"label\": {\"zh\": \"项目名称\", \"en\": \"Project\"}}]}],"
  " \"attachments\": [{\"id\": \"scan\", \"title\": {\"zh\": \"扫描件\", \"en\": \"Scan\"}, \"required\": true,"
  "   \"formats\": [\"pdf\"], \"max_size_mb\": 200, \"citation\": {\"clause\": \"bench\"}}]}";

/* CPU seconds (user + system) of this process, or of its waited-for
 * children: steadier than wall time on a shared machine */
static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double openssl_cpu = G_MAXDOUBLE;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static double
time_openssl (const char *path)
{
  const char *argv[] = { "openssl", "dgst", "-sha256", path, NULL };
  double best = G_MAXDOUBLE;

  for (int i = 0; i < REPEAT; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds (RUSAGE_CHILDREN);
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, &out, NULL, &status, &error) || !g_spawn_check_wait_status (status, NULL))
        g_error ("openssl dgst failed: %s", error ? error->message : "exit status");
      best = MIN (best, seconds_since (start));
      openssl_cpu = MIN (openssl_cpu, cpu_seconds (RUSAGE_CHILDREN) - cpu_start);
    }
  return best;
}

static void
write_attachment (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (8785);
  FILE *out = fopen (path, "wb");
  guint32 *block = g_new (guint32, 1024 * 1024 / 4);

  g_assert (out != NULL);
  for (gsize written = 0; written < ATTACHMENT_BYTES; written += 1024 * 1024)
    {
      for (guint i = 0; i < 1024 * 1024 / 4; i++)
        block[i] = g_rand_int (rand);
      if (written == 0)
        memcpy (block, "%PDF-1.7\n", 9);
      fwrite (block, 1, MIN (1024 * 1024, ATTACHMENT_BYTES - written), out);
    }
  fclose (out);
  g_free (block);
}

static glong
verify_peak_rss_kib (const char *bundle)
{
  const char *argv[] = { BUILD_DIR "/app/shenbao", "verify", bundle, NULL };
  GPid pid;
  int status = 0;
  struct rusage usage;
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("shenbao verify: %s", error->message);
  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("shenbao verify did not accept the bundle");
  return usage.ru_maxrss;
}

static const char *
verdict (gboolean ok)
{
  return ok ? "ok" : "OVER";
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("shenbao-bench-bundle-XXXXXX", &error);
  g_autofree char *call_path = g_build_filename (dir, "call.json", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "scan.pdf", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.json", NULL);
  g_autofree char *bundle_path = g_build_filename (dir, "large.shenbao.json", NULL);
  g_autofree char *draft_text = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) call_file = NULL;
  g_autoptr(GFile) draft_file = NULL;
  g_autoptr(GFile) bundle_file = NULL;
  g_autoptr(SbCatalog) catalog = sb_catalog_new ();
  g_autoptr(SbDraft) draft = NULL;
  g_autoptr(SbKey) key = sb_key_generate ();
  double openssl, hashing = G_MAXDOUBLE, export_time = G_MAXDOUBLE, verify_time = G_MAXDOUBLE;
  double export_cpu = G_MAXDOUBLE, verify_cpu = G_MAXDOUBLE;
  gint64 size = 0;
  GStatBuf st;
  glong rss_kib;

  setlocale (LC_ALL, "");
  g_assert_no_error (error);
  g_file_set_contents (call_path, call_text, -1, &error);
  g_assert_no_error (error);
  write_attachment (pdf_path);

  openssl = time_openssl (pdf_path);

  /* hashing as export and verify do it */
  for (int i = 0; i < REPEAT; i++)
    {
      g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&sha256, g_free);
      if (!sb_sha256_file (pdf, &sha256, &size, &error))
        g_error ("%s", error->message);
      hashing = MIN (hashing, seconds_since (start));
    }

  draft_text = g_strdup_printf ("{\"format\": \"shenbao-draft\", \"format_version\": 1,"
                                " \"call\": {\"id\": \"bench-large\", \"version\": 1},"
                                " \"values\": {\"project_name\": \"大附件\"},"
                                " \"attachments\": {\"scan\": [{\"file\": \"scan.pdf\", \"sha256\": \"%s\","
                                " \"size\": %" G_GINT64_FORMAT "}]}}", sha256, size);
  g_file_set_contents (draft_path, draft_text, -1, &error);
  g_assert_no_error (error);
  call_file = g_file_new_for_path (call_path);
  sb_catalog_add_path (catalog, call_file, SB_ORIGIN_COMMAND_LINE, &error);
  g_assert_no_error (error);
  draft_file = g_file_new_for_path (draft_path);
  draft = sb_draft_load (draft_file, catalog, &error);
  g_assert_no_error (error);
  bundle_file = g_file_new_for_path (bundle_path);

  /* whole export: validation (which reads the file), base64 and hashing,
   * signing, an atomic write */
  for (int i = 0; i < REPEAT; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds (RUSAGE_SELF);

      if (!sb_bundle_export (draft, key, bundle_file, NULL, NULL, &error))
        g_error ("%s", error->message);
      export_time = MIN (export_time, seconds_since (start));
      export_cpu = MIN (export_cpu, cpu_seconds (RUSAGE_SELF) - cpu_start);
    }

  /* whole verification: one pass decoding and hashing, then re-validation */
  for (int i = 0; i < REPEAT; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_seconds (RUSAGE_SELF);
      g_autoptr(SbBundleReport) report = sb_bundle_verify (bundle_file, NULL, NULL);

      if (report->integrity != SB_BUNDLE_INTACT || report->errors > 0)
        g_error ("the bundle did not verify: %s", report->reason ? report->reason : "re-validation errors");
      verify_time = MIN (verify_time, seconds_since (start));
      verify_cpu = MIN (verify_cpu, cpu_seconds (RUSAGE_SELF) - cpu_start);
    }

  rss_kib = verify_peak_rss_kib (bundle_path);
  g_stat (bundle_path, &st);

  g_print ("attachment: %.0f MB; bundle: %.0f MB\n", size / 1e6, st.st_size / 1e6);
  g_print ("openssl dgst -sha256 (reference): %.3f s, %.0f MB/s\n", openssl, size / 1e6 / openssl);
  g_print ("hashing (EVP, as export and verify): %.0f MB/s = %.0f%% of openssl's rate (goal >= 80%%: %s)\n",
           size / 1e6 / hashing, 100 * openssl / hashing, verdict (openssl / hashing >= 0.8));
  g_print ("whole export: %.3f s = %.2f x openssl's time (goal <= 4: %s)\n",
           export_time, export_time / openssl, verdict (export_time / openssl <= 4));
  g_print ("whole verify: %.3f s = %.2f x openssl's time (goal <= 4: %s)\n",
           verify_time, verify_time / openssl, verdict (verify_time / openssl <= 4));
  g_print ("CPU time (user + system): openssl %.3f s; export %.2f x, verify %.2f x openssl's\n",
           openssl_cpu, export_cpu / openssl_cpu, verify_cpu / openssl_cpu);
  g_print ("peak RSS of shenbao verify: %.0f MB = %.2f x the bundle's size (goal < 1.5: %s)\n",
           rss_kib / 1024.0 * 1.048576, rss_kib * 1024.0 / st.st_size, verdict (rss_kib * 1024.0 / st.st_size < 1.5));

  if (g_getenv ("SHENBAO_BENCH_KEEP") == NULL)
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}
