/* test-key-dialog.c — the signing key window, on a real (headless) display
 *
 * Runs under Xvfb and a session bus (tests/meson.build), with an
 * XDG_DATA_HOME of its own. The window is driven through its widget
 * actions and the functions its file choosers lead to (the choosers are
 * the portal's); the passphrase and confirmation dialogs are answered as a
 * person would. What it shows and writes is checked against the `shenbao
 * key` command run as a subprocess and against the openssl tool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sb-key-dialog.h"
#include "sb-passphrase-dialog.h"
#include "sb-test-gtk.h"

static char *home;

static char *
in_home (const char *name)
{
  return g_build_filename (home, name, NULL);
}

static char *
key_path (void)
{
  return g_build_filename (home, "shenbao", "keys", "ed25519.pem", NULL);
}

static void
remove_key (void)
{
  g_autofree char *folder = g_build_filename (home, "shenbao", NULL);

  sb_test_remove_tree (folder);
}

/* A command's exit status and output; stdin from @input if given. */
static int
run (const char  *input,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0),
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out_text, &err_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out != NULL)
    *out = g_steal_pointer (&out_text);
  if (err != NULL)
    *err = g_steal_pointer (&err_text);
  return g_subprocess_get_exit_status (process);
}

/* The fingerprint `shenbao key show` prints. */
static char *
cli_fingerprint (const char *passphrase_file)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *line;
  int status;

  if (passphrase_file != NULL)
    status = run (NULL, &out, &err, BUILD_DIR "/app/shenbao", "key", "show", "--passphrase-file", passphrase_file, NULL);
  else
    status = run (NULL, &out, &err, BUILD_DIR "/app/shenbao", "key", "show", NULL);
  g_assert_cmpint (status, ==, 0);
  line = strstr (out, "Key fingerprint: ");
  g_assert_nonnull (line);
  line += strlen ("Key fingerprint: ");
  return g_strndup (line, strcspn (line, "\n"));
}

static void
wait_idle (SbKeyDialog *dialog)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  sb_test_spin (0);
  while (sb_key_dialog_get_busy (dialog))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  sb_test_spin (0);
}

static SbKeyDialog *
open_dialog (void)
{
  SbKeyDialog *dialog = SB_KEY_DIALOG (sb_key_dialog_new (NULL));

  gtk_window_present (GTK_WINDOW (dialog));
  while (!gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    g_main_context_iteration (NULL, TRUE);
  wait_idle (dialog);
  return dialog;
}

static void
close_dialog (SbKeyDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  sb_test_spin (0);
}

static void
fill_entries (GtkWidget  *widget,
              const char *text)
{
  if (GTK_IS_ENTRY (widget))
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    fill_entries (child, text);
}

/* The message dialog shown that offers @response, or NULL. */
static AdwMessageDialog *
shown_dialog (const char *response)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  sb_test_spin (0);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (window), response))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Answers the dialog that offers @response, with @text typed into its
 * entries first if given; @body receives what it said. */
static void
respond (const char  *response,
         const char  *text,
         char       **body)
{
  AdwMessageDialog *dialog = shown_dialog (response);

  g_assert_nonnull (dialog);
  if (body != NULL)
    *body = g_strdup (adw_message_dialog_get_body (dialog));
  if (text != NULL)
    fill_entries (adw_message_dialog_get_extra_child (dialog), text);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  sb_test_spin (0);
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the control a person uses for @action can be used. */
static gboolean
action_enabled (SbKeyDialog *dialog,
                const char  *action)
{
  GtkWidget *control = find_actionable (GTK_WIDGET (dialog), action);

  g_assert_nonnull (control);
  return gtk_widget_get_sensitive (control) && gtk_widget_is_drawable (control);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

/* No key yet: the window says so and makes one, 0600 in a 0700 folder,
 * the one `shenbao key show` then shows. */
static void
test_create (void)
{
  SbKeyDialog *dialog;
  g_autofree char *path = key_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *shown = NULL;
  g_autofree char *cli = NULL;

  remove_key ();
  dialog = open_dialog ();
  g_assert_null (sb_key_dialog_get_fingerprint (dialog));
  g_assert_null (sb_key_dialog_get_problem (dialog));
  g_assert_true (action_enabled (dialog, "key.create"));
  g_assert_false (action_enabled (dialog, "key.export-jwk"));
  g_assert_false (action_enabled (dialog, "key.copy-fingerprint"));
  sb_test_save_screenshot (GTK_WIDGET (dialog), "key-dialog-none.png");

  /* cancelled: still none */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.create", NULL);
  respond ("cancel", NULL, NULL);
  wait_idle (dialog);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* two passphrases that differ cannot be accepted */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.create", NULL);
  {
    AdwMessageDialog *ask = shown_dialog ("create");

    g_assert_nonnull (ask);
    g_assert_true (SB_IS_PASSPHRASE_DIALOG (ask));
    fill_entries (adw_message_dialog_get_extra_child (ask), "one");
    gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_last_child (adw_message_dialog_get_extra_child (ask))), "two");
    g_assert_false (adw_message_dialog_get_response_enabled (ask, "create"));
    g_assert_false (sb_passphrase_dialog_get_matches (SB_PASSPHRASE_DIALOG (ask)));
    /* Enter in the first entry goes on to the second, not to an answer */
    g_signal_emit_by_name (gtk_widget_get_first_child (adw_message_dialog_get_extra_child (ask)), "activate");
    g_assert_true (gtk_window_get_focus (GTK_WINDOW (ask)) ==
                   gtk_widget_get_last_child (adw_message_dialog_get_extra_child (ask)) ||
                   gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (ask)),
                                           gtk_widget_get_last_child (adw_message_dialog_get_extra_child (ask))));
    g_assert_true (shown_dialog ("create") == ask);
  }
  /* without a passphrase */
  respond ("create", "", NULL);
  wait_idle (dialog);

  shown = g_strdup (sb_key_dialog_get_fingerprint (dialog));
  g_assert_nonnull (shown);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (folder), ==, 0700);
  cli = cli_fingerprint (NULL);
  g_assert_cmpstr (shown, ==, cli);
  g_assert_false (action_enabled (dialog, "key.create"));
  g_assert_true (action_enabled (dialog, "key.export-pem"));
  close_dialog (dialog);
}

/* A key made by the command line: the window shows its fingerprint; the
 * copy button puts it on the clipboard. */
static void
test_show (void)
{
  g_autofree char *cli = NULL;
  g_autofree char *copied = NULL;
  SbKeyDialog *dialog;
  GdkClipboard *clipboard;

  remove_key ();
  {
    /* `shenbao key show` makes none; an export would: make it with the
     * core function the export uses */
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  cli = cli_fingerprint (NULL);
  dialog = open_dialog ();
  g_assert_cmpstr (sb_key_dialog_get_fingerprint (dialog), ==, cli);
  g_assert_false (action_enabled (dialog, "key.unlock"));
  sb_test_save_screenshot (GTK_WIDGET (dialog), "key-dialog.png");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.copy-fingerprint", NULL);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (dialog));
  {
    GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
    g_auto(GValue) value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    copied = g_value_dup_string (&value);
  }
  g_assert_cmpstr (copied, ==, cli);
  close_dialog (dialog);
}

/* The public key saved: the bytes of `shenbao key export`; openssl reads
 * the PEM. */
static void
test_export (void)
{
  g_autofree char *jwk_path = in_home ("public.jwk");
  g_autofree char *pem_path = in_home ("public.pem");
  g_autofree char *cli_jwk = NULL;
  g_autofree char *cli_pem = NULL;
  g_autofree char *openssl_out = NULL;
  g_autoptr(GBytes) jwk = NULL;
  g_autoptr(GBytes) pem = NULL;
  g_autoptr(GFile) pem_file = g_file_new_for_path (pem_path);
  SbKeyDialog *dialog;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  dialog = open_dialog ();
  g_assert_nonnull (sb_key_dialog_get_fingerprint (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.export-jwk", "s", jwk_path);
  wait_idle (dialog);
  sb_key_dialog_export_public (dialog, SB_KEY_FORMAT_PEM, pem_file);
  wait_idle (dialog);
#if !GTK_CHECK_VERSION (4, 10, 0)
  /* without a path: GTK 4.8's file chooser (no portal here), offering a
   * name with the fingerprint's start; cancelled, nothing is written */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.export-pem", "s", "");
  sb_test_spin (50);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *chooser = NULL;
    g_autofree char *expected = g_strdup_printf ("shenbao-public-key-%.8s.pem", sb_key_dialog_get_fingerprint (dialog));
    g_autofree char *offered = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (GTK_IS_FILE_CHOOSER (item) && GTK_IS_DIALOG (item))
          chooser = GTK_WIDGET (item);
      }
    g_assert_nonnull (chooser);
    offered = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_assert_cmpstr (offered, ==, expected);
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
    sb_test_spin (50);
    g_assert_false (sb_key_dialog_get_busy (dialog));
  }
#endif
  close_dialog (dialog);

  g_assert_cmpint (run (NULL, &cli_jwk, NULL, BUILD_DIR "/app/shenbao", "key", "export", "--format", "jwk", NULL), ==, 0);
  g_assert_cmpint (run (NULL, &cli_pem, NULL, BUILD_DIR "/app/shenbao", "key", "export", "--format", "pem", NULL), ==, 0);
  jwk = read_bytes (jwk_path);
  pem = read_bytes (pem_path);
  g_assert_cmpmem (g_bytes_get_data (jwk, NULL), g_bytes_get_size (jwk), cli_jwk, strlen (cli_jwk));
  g_assert_cmpmem (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem), cli_pem, strlen (cli_pem));
  g_assert_nonnull (strstr (cli_jwk, "\"kid\""));

  /* openssl accepts it as an Ed25519 public key and writes it back the same */
  g_assert_cmpint (run (NULL, &openssl_out, NULL, "openssl", "pkey", "-pubin", "-in", pem_path, NULL), ==, 0);
  g_assert_cmpstr (openssl_out, ==, cli_pem);
}

/* An encrypted PKCS#8 key made by openssl: the wrong passphrase is
 * refused and the old key stays; the right one imports it, after a
 * confirmation, keeping the old key as a backup. */
static void
test_import (void)
{
  g_autofree char *plain_path = in_home ("openssl-plain.pem");
  g_autofree char *source_path = in_home ("openssl-encrypted.pem");
  g_autofree char *public_path = in_home ("openssl-public.pem");
  g_autofree char *passphrase_path = in_home ("passphrase.txt");
  g_autofree char *path = key_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after_wrong = NULL;
  g_autofree char *old_fingerprint = NULL;
  g_autofree char *openssl_fingerprint = NULL;
  g_autofree char *body = NULL;
  g_autofree char *confirm = NULL;
  g_autofree char *cli = NULL;
  g_autofree char *backup_path = NULL;
  SbKeyDialog *dialog;

  g_assert_cmpint (run (NULL, NULL, NULL, "openssl", "genpkey", "-algorithm", "ed25519", "-out", plain_path, NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain_path,
                        "-out", source_path, "-passout", "pass:密码 correct horse", NULL), ==, 0);
  g_assert_cmpint (run (NULL, NULL, NULL, "openssl", "pkey", "-in", source_path, "-passin", "pass:密码 correct horse",
                        "-pubout", "-out", public_path, NULL), ==, 0);
  {
    g_autoptr(GFile) public_file = g_file_new_for_path (public_path);
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) public_key = sb_key_load_public (public_file, &error);

    g_assert_no_error (error);
    openssl_fingerprint = sb_key_get_fingerprint (public_key);
  }

  remove_key ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  before = read_bytes (path);
  dialog = open_dialog ();
  old_fingerprint = g_strdup (sb_key_dialog_get_fingerprint (dialog));
  g_assert_nonnull (old_fingerprint);
  g_assert_cmpstr (old_fingerprint, !=, openssl_fingerprint);

  /* the wrong passphrase: refused, naming the file; nothing changes */
  sb_key_dialog_import (dialog, source);
  wait_idle (dialog);
  respond ("unlock", "wrong", NULL);
  wait_idle (dialog);
  respond ("close", NULL, &body);
  g_assert_nonnull (strstr (body, source_path));
  g_assert_nonnull (strstr (body, "passphrase is wrong"));
  g_assert_cmpstr (sb_key_dialog_get_fingerprint (dialog), ==, old_fingerprint);
  after_wrong = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after_wrong));

  /* the right one, then cancelled at the confirmation: nothing changes */
  sb_key_dialog_import (dialog, source);
  wait_idle (dialog);
  respond ("unlock", "密码 correct horse", NULL);
  wait_idle (dialog);
  respond ("cancel", NULL, &confirm);
  wait_idle (dialog);
  g_assert_nonnull (strstr (confirm, old_fingerprint));
  g_assert_nonnull (strstr (confirm, openssl_fingerprint));
  g_assert_nonnull (strstr (confirm, "keep verifying"));
  g_assert_cmpstr (sb_key_dialog_get_fingerprint (dialog), ==, old_fingerprint);

  /* and confirmed */
  sb_key_dialog_import (dialog, source);
  wait_idle (dialog);
  respond ("unlock", "密码 correct horse", NULL);
  wait_idle (dialog);
  sb_test_save_screenshot (GTK_WIDGET (shown_dialog ("replace")), "key-dialog-replace.png");
  respond ("replace", NULL, NULL);
  wait_idle (dialog);
  g_assert_cmpstr (sb_key_dialog_get_fingerprint (dialog), ==, openssl_fingerprint);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  close_dialog (dialog);

  /* kept under the same passphrase; the command line agrees */
  write_text (passphrase_path, "密码 correct horse\n");
  cli = cli_fingerprint (passphrase_path);
  g_assert_cmpstr (cli, ==, openssl_fingerprint);

  /* the replaced key, kept beside it, 0600 */
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "ed25519.pem.") && g_str_has_suffix (name, ".bak"))
        backup_path = g_build_filename (folder, name, NULL);
  }
  g_assert_nonnull (backup_path);
  g_assert_cmpuint (file_mode (backup_path), ==, 0600);
  {
    g_autoptr(GBytes) backup = read_bytes (backup_path);

    g_assert_true (g_bytes_equal (backup, before));
  }

  /* now encrypted: the window shows it locked until unlocked */
  dialog = open_dialog ();
  g_assert_null (sb_key_dialog_get_fingerprint (dialog));
  g_assert_null (sb_key_dialog_get_problem (dialog));
  g_assert_true (action_enabled (dialog, "key.unlock"));
  g_assert_false (action_enabled (dialog, "key.export-pem"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.unlock", NULL);
  respond ("unlock", "wrong", NULL);
  wait_idle (dialog);
  g_clear_pointer (&body, g_free);
  respond ("close", NULL, &body);
  g_assert_nonnull (strstr (body, "passphrase is wrong"));
  g_assert_null (sb_key_dialog_get_fingerprint (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "key.unlock", NULL);
  respond ("unlock", "密码 correct horse", NULL);
  wait_idle (dialog);
  g_assert_cmpstr (sb_key_dialog_get_fingerprint (dialog), ==, openssl_fingerprint);
  close_dialog (dialog);
}

/* Keys that cannot be imported: each error names the file and what is
 * wrong with it; the user's key stays. */
static void
test_import_errors (void)
{
  g_autofree char *ec_path = in_home ("openssl-p256.pem");
  g_autofree char *missing_path = in_home ("no-such-key.pem");
  g_autoptr(GFile) ec = g_file_new_for_path (ec_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autofree char *fingerprint = NULL;
  SbKeyDialog *dialog;
  struct {
    GFile      *file;
    const char *path;
    const char *says;
  } cases[] = {
    { ec, ec_path, "not an Ed25519 key" },
    { missing, missing_path, "cannot be read" },
  };

  g_assert_cmpint (run (NULL, NULL, NULL, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-out", ec_path, NULL), ==, 0);
  remove_key ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  dialog = open_dialog ();
  fingerprint = g_strdup (sb_key_dialog_get_fingerprint (dialog));
  g_assert_nonnull (fingerprint);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = NULL;

      sb_key_dialog_import (dialog, cases[i].file);
      wait_idle (dialog);
      respond ("close", NULL, &body);
      g_assert_nonnull (strstr (body, cases[i].path));
      g_assert_nonnull (strstr (body, cases[i].says));
      g_assert_cmpstr (sb_key_dialog_get_fingerprint (dialog), ==, fingerprint);
    }
  close_dialog (dialog);
}

/* A key file others can read is refused, saying how to fix it. */
static void
test_refused (void)
{
  g_autofree char *path = key_path ();
  SbKeyDialog *dialog;
  const char *problem;

  remove_key ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  dialog = open_dialog ();
  problem = sb_key_dialog_get_problem (dialog);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, path));
  g_assert_nonnull (strstr (problem, "chmod 600"));
  g_assert_null (sb_key_dialog_get_fingerprint (dialog));
  g_assert_false (action_enabled (dialog, "key.export-jwk"));
  g_assert_true (action_enabled (dialog, "key.import"));
  sb_test_save_screenshot (GTK_WIDGET (dialog), "key-dialog-refused.png");
  close_dialog (dialog);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

/* The screenshots alone (for the Chinese run): no key, a key, a refused
 * key, an import's error. */
static void
test_screenshots (void)
{
  g_autofree char *path = key_path ();
  g_autofree char *bad_path = in_home ("not-a-key.pem");
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  SbKeyDialog *dialog;

  remove_key ();
  dialog = open_dialog ();
  sb_test_save_screenshot (GTK_WIDGET (dialog), "key-dialog-none.png");
  close_dialog (dialog);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbKey) key = sb_key_load_default (NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  dialog = open_dialog ();
  g_assert_nonnull (sb_key_dialog_get_fingerprint (dialog));
  sb_test_save_screenshot (GTK_WIDGET (dialog), "key-dialog.png");

  write_text (bad_path, "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
  sb_key_dialog_import (dialog, bad);
  wait_idle (dialog);
  {
    AdwMessageDialog *error = shown_dialog ("close");

    g_assert_nonnull (error);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (error), bad_path));
    sb_test_save_screenshot (GTK_WIDGET (error), "key-dialog-import-error.png");
  }
  respond ("close", NULL, NULL);
  close_dialog (dialog);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  dialog = open_dialog ();
  g_assert_nonnull (sb_key_dialog_get_problem (dialog));
  sb_test_save_screenshot (GTK_WIDGET (dialog), "key-dialog-refused.png");
  close_dialog (dialog);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SHENBAO_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* a key folder of this run's own; `shenbao key` inherits it */
  home = g_dir_make_tmp ("shenbao-key-dialog-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("XDG_DATA_HOME", home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/key-dialog/create", test_create);
  g_test_add_func ("/key-dialog/show", test_show);
  g_test_add_func ("/key-dialog/export", test_export);
  g_test_add_func ("/key-dialog/import", test_import);
  g_test_add_func ("/key-dialog/import-errors", test_import_errors);
  g_test_add_func ("/key-dialog/refused", test_refused);
  g_test_add_func ("/key-dialog/screenshots", test_screenshots);
  status = g_test_run ();
  sb_test_remove_tree (home);
  return status;
}
