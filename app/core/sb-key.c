/* sb-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "sb-jcs.h"
#include "sb-json.h"
#include "sb-key.h"
#include "sb-storage.h"

#define ED25519_PUBLIC_LENGTH 32
#define ED25519_SIGNATURE_LENGTH 64
#define MAX_KEY_FILE (64 * 1024)

struct _SbKey
{
  GObject   parent_instance;

  EVP_PKEY *pkey;
  gboolean  has_private;
};

G_DEFINE_FINAL_TYPE (SbKey, sb_key, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)

static void
sb_key_finalize (GObject *object)
{
  SbKey *self = SB_KEY (object);

  g_clear_pointer (&self->pkey, EVP_PKEY_free);
  G_OBJECT_CLASS (sb_key_parent_class)->finalize (object);
}

static void
sb_key_class_init (SbKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_key_finalize;
}

static void
sb_key_init (SbKey *self)
{
}

static SbKey *
wrap (EVP_PKEY *pkey,
      gboolean  has_private)
{
  SbKey *self = g_object_new (SB_TYPE_KEY, NULL);

  self->pkey = pkey;
  self->has_private = has_private;
  return self;
}

/* The first OpenSSL error, for messages; clears the queue. */
static char *
openssl_reason (void)
{
  unsigned long code = ERR_get_error ();
  char buffer[256];

  ERR_clear_error ();
  if (code == 0)
    return g_strdup (_("unknown reason"));
  ERR_error_string_n (code, buffer, sizeof buffer);
  return g_strdup (buffer);
}

/* base64url */

char *
sb_base64url_encode (const void *data,
                     gsize       length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

guint8 *
sb_base64url_decode (const char *text,
                     gsize      *length)
{
  gsize n = strlen (text);
  g_autoptr(GString) standard = g_string_sized_new (n + 3);

  if (n % 4 == 1)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (standard, c);
    }
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');
  return g_base64_decode (standard->str, length);
}

/* Generating, loading, saving */

SbKey *
sb_key_generate (void)
{
  EVP_PKEY *pkey = EVP_PKEY_Q_keygen (NULL, NULL, "ED25519");

  if (pkey == NULL)
    g_error ("Ed25519 key generation failed in OpenSSL");
  return wrap (pkey, TRUE);
}

GFile *
sb_key_get_default_file (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "shenbao", "keys", "ed25519.pem", NULL);
}

static gboolean
is_ed25519 (EVP_PKEY *pkey)
{
  return EVP_PKEY_get_base_id (pkey) == EVP_PKEY_ED25519;
}

typedef struct {
  const char *passphrase;
  gboolean    asked;
} PassphraseRequest;

static int
passphrase_callback (char *buffer,
                     int   size,
                     int   rwflag,
                     void *user_data)
{
  PassphraseRequest *request = user_data;
  size_t length;

  request->asked = TRUE;
  if (request->passphrase == NULL)
    return -1;
  length = strlen (request->passphrase);
  if (length > (size_t) size)
    return -1;
  memcpy (buffer, request->passphrase, length);
  return (int) length;
}

static GBytes *
read_small_file (GFile   *file,
                 GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: cannot be read: %s"), name, local_error->message);
      return NULL;
    }
  if (length > MAX_KEY_FILE)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_TOO_LARGE, _("%s: too large for a key file"), name);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

gboolean
sb_key_check_private_mode (GFile   *file,
                           GError **error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  const char *path = g_file_peek_path (file);
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0)
    return TRUE;  /* reading it reports the problem */
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: the private key can be read by other users (mode %04o); "
                     "make it private with “chmod 600 %s”, and make a new key if others may have copied it"),
                   name, (unsigned) (st.st_mode & 07777), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_key_file_is_encrypted (GFile *file)
{
  g_autoptr(GBytes) bytes = read_small_file (file, NULL);
  const char *data;
  gsize length;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return g_strstr_len (data, length, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL;
}

SbKey *
sb_key_load_private (GFile       *file,
                     const char  *passphrase,
                     gboolean     check_mode,
                     GError     **error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autoptr(EVP_PKEY) pkey = NULL;
  PassphraseRequest request = { passphrase, FALSE };
  gsize length;
  const char *data;

  if (check_mode && !sb_key_check_private_mode (file, error))
    return NULL;
  bytes = read_small_file (file, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);

  bio = BIO_new_mem_buf (data, (int) length);
  pkey = PEM_read_bio_PrivateKey (bio, NULL, passphrase_callback, &request);
  if (pkey == NULL)
    {
      g_autofree char *reason = openssl_reason ();

      if (request.asked && passphrase == NULL)
        g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                     _("%s: the key is protected by a passphrase; give it with --passphrase-file"), name);
      else if (request.asked)
        g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the passphrase is wrong (%s)"), name, reason);
      else
        g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: not a PEM private key (%s)"), name, reason);
      return NULL;
    }
  if (!is_ed25519 (pkey))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: not an Ed25519 key"), name);
      return NULL;
    }
  return wrap (g_steal_pointer (&pkey), TRUE);
}

SbKey *
sb_key_new_from_jwk (JsonNode  *jwk,
                     GError   **error)
{
  JsonObject *object;
  const char *kty, *crv, *x;
  g_autofree guint8 *raw = NULL;
  gsize length = 0;
  EVP_PKEY *pkey;

  if (jwk == NULL || !JSON_NODE_HOLDS_OBJECT (jwk))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s", _("the JWK is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (jwk);
  kty = json_object_get_string_member_with_default (object, "kty", NULL);
  crv = json_object_get_string_member_with_default (object, "crv", NULL);
  x = json_object_get_string_member_with_default (object, "x", NULL);
  if (g_strcmp0 (kty, "OKP") != 0 || g_strcmp0 (crv, "Ed25519") != 0 || x == NULL)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s",
                   _("the JWK is not an Ed25519 public key (kty “OKP”, crv “Ed25519”, x)"));
      return NULL;
    }
  raw = sb_base64url_decode (x, &length);
  if (raw == NULL || length != ED25519_PUBLIC_LENGTH)
    {
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, "%s", _("the JWK’s “x” is not a 32-byte base64url value"));
      return NULL;
    }
  pkey = EVP_PKEY_new_raw_public_key (EVP_PKEY_ED25519, NULL, raw, length);
  if (pkey == NULL)
    {
      g_autofree char *reason = openssl_reason ();
      g_set_error (error, SB_ERROR, SB_ERROR_INVALID_INPUT, _("the JWK is not a valid key: %s"), reason);
      return NULL;
    }
  return wrap (pkey, FALSE);
}

SbKey *
sb_key_load_public (GFile   *file,
                    GError **error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autoptr(GBytes) bytes = read_small_file (file, error);
  g_autoptr(BIO) bio = NULL;
  g_autoptr(EVP_PKEY) pkey = NULL;
  const char *data;
  gsize length;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);

  if (length > 0 && data[0] == '{')
    {
      g_autoptr(JsonNode) node = sb_json_parse_bytes (bytes, name, error);
      SbKey *key;

      if (node == NULL)
        return NULL;
      key = sb_key_new_from_jwk (node, error);
      if (key == NULL)
        g_prefix_error (error, _("%s: "), name);
      return key;
    }

  bio = BIO_new_mem_buf (data, (int) length);
  pkey = PEM_read_bio_PUBKEY (bio, NULL, NULL, NULL);
  if (pkey == NULL)
    {
      PassphraseRequest request = { NULL, FALSE };

      ERR_clear_error ();
      BIO_free (bio);
      bio = BIO_new_mem_buf (data, (int) length);
      pkey = PEM_read_bio_PrivateKey (bio, NULL, passphrase_callback, &request);
    }
  if (pkey == NULL)
    {
      g_autofree char *reason = openssl_reason ();
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                   _("%s: not a public key (PEM or JWK) nor an unencrypted private key (%s)"), name, reason);
      return NULL;
    }
  if (!is_ed25519 (pkey))
    {
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: not an Ed25519 key"), name);
      return NULL;
    }
  return wrap (g_steal_pointer (&pkey), FALSE);
}

gboolean
sb_key_save (SbKey       *self,
             GFile       *file,
             const char  *passphrase,
             GError     **error)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  const char *folder_path = folder ? g_file_peek_path (folder) : NULL;
  char *data = NULL;
  long length;
  int ok;

  g_return_val_if_fail (self->has_private, FALSE);

  if (folder_path != NULL && g_mkdir_with_parents (folder_path, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: the folder cannot be made: %s"),
                   folder_path, g_strerror (saved));
      return FALSE;
    }
  if (passphrase != NULL)
    ok = PEM_write_bio_PKCS8PrivateKey (bio, self->pkey, EVP_aes_256_cbc (), passphrase, (int) strlen (passphrase), NULL, NULL);
  else
    ok = PEM_write_bio_PKCS8PrivateKey (bio, self->pkey, NULL, NULL, 0, NULL, NULL);
  if (!ok)
    {
      g_autofree char *reason = openssl_reason ();
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("the key cannot be written: %s"), reason);
      return FALSE;
    }
  length = BIO_get_mem_data (bio, &data);
  return sb_storage_write_atomic (file, data, length, error);
}

SbKey *
sb_key_load_default (const char  *passphrase,
                     gboolean     create,
                     GError     **error)
{
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autoptr(SbKey) key = NULL;

  if (g_file_query_exists (file, NULL) || !create)
    {
      if (!g_file_query_exists (file, NULL))
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                       _("%s: there is no signing key yet; one is made on the first export, "
                         "or import one with “shenbao key import”"), name);
          return NULL;
        }
      return sb_key_load_private (file, passphrase, TRUE, error);
    }

  key = sb_key_generate ();
  if (!sb_key_save (key, file, passphrase, error))
    return NULL;
  return g_steal_pointer (&key);
}

/* The existing key file, copied beside itself before an import replaces
 * it: ed25519.pem.20261201T201500Z.bak (then …-2.bak, …). */
static GFile *
keep_backup (GFile   *file,
             GError **error)
{
  g_autoptr(GBytes) bytes = read_small_file (file, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *base = g_file_get_basename (file);
  g_autoptr(GFile) folder = g_file_get_parent (file);

  if (bytes == NULL)
    return NULL;
  for (guint n = 1; n < 100; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s.%s.bak", base, stamp)
                                     : g_strdup_printf ("%s.%s-%u.bak", base, stamp, n);
      g_autoptr(GFile) backup = g_file_get_child (folder, name);
      g_autoptr(GError) local_error = NULL;

      if (sb_storage_create_atomic (backup, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &local_error))
        return g_steal_pointer (&backup);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  {
    g_autofree char *name = g_file_get_parse_name (file);
    g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("%s: too many backups of the key today"), name);
  }
  return NULL;
}

SbKey *
sb_key_import (GFile       *source,
               const char  *passphrase,
               gboolean     replace,
               const char  *new_passphrase,
               GFile      **backup,
               GError     **error)
{
  g_autoptr(GFile) file = sb_key_get_default_file ();
  g_autoptr(SbKey) key = sb_key_load_private (source, passphrase, FALSE, error);
  g_autoptr(GFile) kept = NULL;

  if (backup != NULL)
    *backup = NULL;
  if (key == NULL)
    return NULL;
  if (g_file_query_exists (file, NULL))
    {
      if (!replace)
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_set_error (error, SB_ERROR, SB_ERROR_FAILED,
                       _("%s: a signing key exists already; give --replace to replace it "
                         "(bundles signed with it then show a different fingerprint)"), name);
          return NULL;
        }
      kept = keep_backup (file, error);
      if (kept == NULL)
        return NULL;
    }
  if (!sb_key_save (key, file, new_passphrase, error))
    {
      /* the save is atomic: the key in use is still there, unchanged, and
       * a copy of it is not worth keeping */
      if (kept != NULL)
        g_file_delete (kept, NULL, NULL);
      g_prefix_error (error, _("The key was not imported; the key in use is unchanged: "));
      return NULL;
    }
  if (backup != NULL)
    *backup = g_steal_pointer (&kept);
  return g_steal_pointer (&key);
}

GBytes *
sb_key_export_public (SbKey       *self,
                      SbKeyFormat  format)
{
  if (format == SB_KEY_FORMAT_JWK)
    {
      g_autoptr(JsonNode) jwk = sb_key_to_jwk (self);
      g_autofree char *kid = sb_key_get_fingerprint (self);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      char *line;

      json_object_set_string_member (json_node_get_object (jwk), "kid", kid);
      json_generator_set_root (generator, jwk);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      line = g_strconcat (text, "\n", NULL);
      return g_bytes_new_take (line, strlen (line));
    }
  else
    {
      char *pem = sb_key_to_public_pem (self);
      return g_bytes_new_take (pem, strlen (pem));
    }
}

/* Using a key */

gboolean
sb_key_has_private (SbKey *self)
{
  return self->has_private;
}

static void
raw_public (SbKey  *self,
            guint8  out[ED25519_PUBLIC_LENGTH])
{
  size_t length = ED25519_PUBLIC_LENGTH;

  if (!EVP_PKEY_get_raw_public_key (self->pkey, out, &length) || length != ED25519_PUBLIC_LENGTH)
    g_error ("OpenSSL gave no raw Ed25519 public key");
}

JsonNode *
sb_key_to_jwk (SbKey *self)
{
  guint8 raw[ED25519_PUBLIC_LENGTH];
  g_autofree char *x = NULL;
  JsonObject *object = json_object_new ();
  JsonNode *node;

  raw_public (self, raw);
  x = sb_base64url_encode (raw, sizeof raw);
  json_object_set_string_member (object, "crv", "Ed25519");
  json_object_set_string_member (object, "kty", "OKP");
  json_object_set_string_member (object, "x", x);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

char *
sb_key_get_fingerprint (SbKey *self)
{
  g_autoptr(JsonNode) jwk = sb_key_to_jwk (self);
  g_autofree char *canonical = NULL;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  gsize length = 0;

  /* RFC 7638: the required members in lexicographic order, no whitespace:
   * exactly the JCS form of the public JWK */
  canonical = sb_jcs_serialize (jwk, &length, NULL);
  EVP_Digest (canonical, length, digest, &digest_length, EVP_sha256 (), NULL);
  return sb_base64url_encode (digest, digest_length);
}

char *
sb_key_to_public_pem (SbKey *self)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;

  if (!PEM_write_bio_PUBKEY (bio, self->pkey))
    g_error ("OpenSSL could not write a public key");
  length = BIO_get_mem_data (bio, &data);
  return g_strndup (data, length);
}

gboolean
sb_key_equal (SbKey *self,
              SbKey *other)
{
  guint8 a[ED25519_PUBLIC_LENGTH], b[ED25519_PUBLIC_LENGTH];

  raw_public (self, a);
  raw_public (other, b);
  return memcmp (a, b, sizeof a) == 0;
}

GBytes *
sb_key_sign (SbKey       *self,
             const void  *data,
             gsize        length,
             GError     **error)
{
  g_autoptr(EVP_MD_CTX) context = EVP_MD_CTX_new ();
  guint8 signature[ED25519_SIGNATURE_LENGTH];
  size_t signature_length = sizeof signature;

  g_return_val_if_fail (self->has_private, NULL);

  if (context == NULL ||
      EVP_DigestSignInit (context, NULL, NULL, NULL, self->pkey) != 1 ||
      EVP_DigestSign (context, signature, &signature_length, data, length) != 1)
    {
      g_autofree char *reason = openssl_reason ();
      g_set_error (error, SB_ERROR, SB_ERROR_FAILED, _("signing failed: %s"), reason);
      return NULL;
    }
  return g_bytes_new (signature, signature_length);
}

gboolean
sb_key_verify (SbKey       *self,
               const void  *data,
               gsize        length,
               const void  *signature,
               gsize        signature_length)
{
  g_autoptr(EVP_MD_CTX) context = EVP_MD_CTX_new ();
  gboolean ok;

  if (signature_length != ED25519_SIGNATURE_LENGTH || context == NULL)
    return FALSE;
  ok = EVP_DigestVerifyInit (context, NULL, NULL, NULL, self->pkey) == 1 &&
       EVP_DigestVerify (context, signature, signature_length, data, length) == 1;
  ERR_clear_error ();
  return ok;
}
