/* sb-key.h — the applicant's Ed25519 signing key
 *
 * One key per user, generated on first export and kept in
 * $XDG_DATA_HOME/shenbao/keys/ (under the Flatpak, the app's own data
 * folder): the folder 0700, the key a PKCS#8 PEM file 0600, unencrypted
 * unless a passphrase is given (then encrypted PKCS#8, AES-256-CBC). A key
 * file that others can read is refused. OpenSSL 3 libcrypto does all the
 * cryptography.
 *
 * The key fingerprint, shown everywhere, is the RFC 7638 JWK thumbprint of
 * the public key: base64url (no padding) of the SHA-256 of
 * {"crv":"Ed25519","kty":"OKP","x":"…"}. It is also the bundle
 * signature's `kid`.
 *
 * Nothing here prints; failures are GErrors in SB_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-error.h"

G_BEGIN_DECLS

#define SB_TYPE_KEY (sb_key_get_type ())

G_DECLARE_FINAL_TYPE (SbKey, sb_key, SB, KEY, GObject)

/* A fresh key pair. */
SbKey      *sb_key_generate              (void);

/* $XDG_DATA_HOME/shenbao/keys/ed25519.pem */
GFile      *sb_key_get_default_file      (void);

/* The user's key; with @create, a new one is generated and saved (with
 * @passphrase, encrypted) when there is none yet. */
SbKey      *sb_key_load_default          (const char  *passphrase,
                                          gboolean     create,
                                          GError     **error);

/* Refuses (SB_ERROR_FAILED, saying how to fix it) a private key file
 * that group or others can read; TRUE if it cannot be checked. */
gboolean    sb_key_check_private_mode    (GFile       *file,
                                          GError     **error);

/* Whether @file (a PEM private key) is encrypted, so that the app asks for
 * the passphrase before loading it; FALSE when it cannot be read. */
gboolean    sb_key_file_is_encrypted     (GFile       *file);

/* A PKCS#8 PEM private key (encrypted ones need @passphrase). With
 * @check_mode, a file that group or others can read is refused. */
SbKey      *sb_key_load_private          (GFile       *file,
                                          const char  *passphrase,
                                          gboolean     check_mode,
                                          GError     **error);

/* A public key to check signatures with: a PEM public key (SPKI), a PEM
 * private key, or a JWK (JSON object with kty OKP, crv Ed25519, x). */
SbKey      *sb_key_load_public           (GFile       *file,
                                          GError     **error);
SbKey      *sb_key_new_from_jwk          (JsonNode    *jwk,
                                          GError     **error);

/* Writes the private key atomically, mode 0600, creating the folder 0700. */
gboolean    sb_key_save                  (SbKey       *self,
                                          GFile       *file,
                                          const char  *passphrase,
                                          GError     **error);

/* Copies a PKCS#8 key into the user's key folder; refuses to replace an
 * existing key unless @replace. A replaced key file is kept beside it as
 * ed25519.pem.YYYYMMDDTHHMMSSZ.bak (mode 0600), returned in @backup; the
 * key file itself is replaced atomically. */
SbKey      *sb_key_import                (GFile       *source,
                                          const char  *passphrase,
                                          gboolean     replace,
                                          const char  *new_passphrase,
                                          GFile      **backup,
                                          GError     **error);

typedef enum {
  SB_KEY_FORMAT_JWK,
  SB_KEY_FORMAT_PEM,
} SbKeyFormat;

/* The public key exactly as `shenbao key export --format jwk|pem` writes
 * it: the public JWK with the fingerprint as "kid", indented JSON and a
 * newline; or a PEM SubjectPublicKeyInfo. */
GBytes     *sb_key_export_public         (SbKey       *self,
                                          SbKeyFormat  format);

gboolean    sb_key_has_private           (SbKey       *self);
char       *sb_key_get_fingerprint       (SbKey       *self);
JsonNode   *sb_key_to_jwk                (SbKey       *self);
char       *sb_key_to_public_pem         (SbKey       *self);
gboolean    sb_key_equal                 (SbKey       *self,
                                          SbKey       *other);

/* Ed25519 (pure, RFC 8032) over @data. */
GBytes     *sb_key_sign                  (SbKey       *self,
                                          const void  *data,
                                          gsize        length,
                                          GError     **error);
gboolean    sb_key_verify                (SbKey       *self,
                                          const void  *data,
                                          gsize        length,
                                          const void  *signature,
                                          gsize        signature_length);

/* base64url without padding (RFC 7515 section 2) */
char       *sb_base64url_encode          (const void  *data,
                                          gsize        length);
guint8     *sb_base64url_decode          (const char  *text,
                                          gsize       *length);

G_END_DECLS
