// Turns the secret references of an IdentityService ({ value } | { env } | { file }) into values,
// and derives the keys that come from the key-encryption key (KEK).
import { hkdfSync, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { SecretValueSpec } from '../config/schemas/identity-service.ts';

export type SecretResult = { ok: true; value: string } | { ok: false; message: string };

/** `{ file }` paths are relative to the directory of the config file. Values read from files lose a final newline. */
export function resolveSecretValue(spec: SecretValueSpec, baseDirectory: string, env: NodeJS.ProcessEnv): SecretResult {
  if ('value' in spec) return { ok: true, value: spec.value };
  if ('env' in spec) {
    const value = env[spec.env];
    return value === undefined || value === '' ? { ok: false, message: `environment variable ${spec.env} is not set` } : { ok: true, value };
  }
  const path = isAbsolute(spec.file) ? spec.file : join(baseDirectory, spec.file);
  try {
    const value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    return value === '' ? { ok: false, message: `${path} is empty` } : { ok: true, value };
  } catch (error) {
    return { ok: false, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

const MIN_PASSPHRASE_LENGTH = 16;

/**
 * A KEK is 32 random bytes written as hex or base64, or a passphrase stretched with scrypt
 * (RFC 7914) under a fixed, purpose-bound salt so every instance derives the same key.
 */
export function deriveKeyEncryptionKey(text: string): { ok: true; key: Buffer } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return { ok: true, key: Buffer.from(trimmed, 'hex') };
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return { ok: true, key };
  }
  if (trimmed.length < MIN_PASSPHRASE_LENGTH) {
    return { ok: false, message: `must be 32 bytes as hex or base64, or a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters` };
  }
  return { ok: true, key: scryptSync(trimmed, 'gatehouse-identity-kek', 32) };
}

/** Cookie signing keys derived from the KEK (HKDF, RFC 5869), so one secret configures both. */
export function deriveCookieKeys(kek: Buffer): string[] {
  return [Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'gatehouse-identity-cookie-key-v1', 32)).toString('base64url')];
}
