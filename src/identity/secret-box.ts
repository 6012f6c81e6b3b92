// Secrets at rest (client secrets, private signing keys) are sealed with the key-encryption key
// (KEK) from the identity config, so a copy of the database alone reveals none of them.
// Format: "v1.<iv>.<ciphertext>.<tag>" (base64url parts), AES-256-GCM with a random 96-bit IV
// (NIST SP 800-38D §8.2.2); the version prefix leaves room for another algorithm later.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  readonly code = 'secret_unreadable';

  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function assertKek(kek: Buffer): void {
  if (kek.length !== 32) throw new SecretBoxError(`the key-encryption key must be 32 bytes (got ${kek.length})`);
}

export function sealSecret(kek: Buffer, plaintext: string): string {
  assertKek(kek);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Throws SecretBoxError when the text was not sealed by this KEK, or was altered. */
export function openSecret(kek: Buffer, sealed: string): string {
  assertKek(kek);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed secret of a known version');
  const [iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed sealed secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM authentication failed: a different KEK, or the row was tampered with.
    throw new SecretBoxError('the sealed secret cannot be opened with this key-encryption key');
  }
}
