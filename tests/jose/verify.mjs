// verify.mjs — checks a Shenbao bundle with an independent JOSE
// implementation (jose) and RFC 8785 implementation (canonicalize),
// without any Shenbao code: node verify.mjs BUNDLE.json
//
// Prints "ok <application digest> <key fingerprint>" and exits 0 when the
// signature, the key id, the definition digest and every file digest and
// size check out; prints "rejected: <reason>" and exits 1 otherwise.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { flattenedVerify, EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
import canonicalize from 'canonicalize';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

async function check (path) {
  const bundle = JSON.parse(readFileSync(path, 'utf8'));
  if (bundle.format !== 'shenbao-bundle' || bundle.format_version !== 1)
    throw new Error('not a version 1 Shenbao bundle');

  // RFC 7797: the payload is the canonical manifest, unencoded and detached
  const payload = canonicalize(bundle.manifest);
  const jws = { ...bundle.signature, payload };
  const header = decodeProtectedHeader(jws);
  if (header.b64 !== false) throw new Error('the payload is not unencoded');
  await flattenedVerify(jws, EmbeddedJWK, { algorithms: ['Ed25519', 'EdDSA'] });

  // the key fingerprint is the RFC 7638 thumbprint of the embedded key
  const thumbprint = await calculateJwkThumbprint(header.jwk, 'sha256');
  if (thumbprint !== header.kid) throw new Error(`kid ${header.kid} is not the key's thumbprint ${thumbprint}`);

  const application = bundle.manifest.application;
  if (sha256(Buffer.from(bundle.definition, 'utf8')) !== application.call.definition_sha256)
    throw new Error('definition digest mismatch');
  for (const attachment of application.attachments) {
    const encoded = bundle.files[attachment.sha256];
    if (encoded === undefined) throw new Error(`${attachment.name} is missing`);
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.toString('base64') !== encoded) throw new Error(`${attachment.name}: not canonical base64`);
    if (sha256(bytes) !== attachment.sha256 || bytes.length !== attachment.size)
      throw new Error(`${attachment.name}: digest or size mismatch`);
  }
  return `ok ${sha256(canonicalize(application))} ${header.kid}`;
}

let failed = false;
for (const path of process.argv.slice(2)) {
  try {
    console.log(await check(path));
  } catch (error) {
    console.log(`rejected: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
