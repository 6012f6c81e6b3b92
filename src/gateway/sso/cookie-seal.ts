// Sealed cookies: the JSON content encrypted and authenticated as a compact JWE (RFC 7516) with
// `dir` + A256GCM under a 32-byte key, so a browser can hold tokens it can neither read nor
// alter. Several keys allow rotation: the first seals, every one unseals (`kid` picks it fast).
// The purpose and an expiry are inside the ciphertext, so a state cookie never passes for a
// session, and a cookie a browser kept past its Max-Age is still refused.
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { SsoError } from './sso-error.ts';

export type SealPurpose = 'session' | 'login-state';

interface SealKey {
  kid: string;
  key: KeyObject;
}

export interface CookieSealer {
  seal(purpose: SealPurpose, content: object, expiresAt: number): Promise<string>;
  /** The content, or throws SsoError 'sso_cookie_invalid' / 'sso_cookie_expired'. */
  unseal<T>(purpose: SealPurpose, sealed: string, nowSeconds: number): Promise<T>;
}

const DECRYPT_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] };

export function createCookieSealer(keys: readonly Buffer[]): CookieSealer {
  if (keys.length === 0 || keys.some((key) => key.length !== 32)) throw new Error('cookie keys must be 32 bytes each');
  const sealKeys: SealKey[] = keys.map((key) => ({
    // A short public label of the key (not the key): lets unseal try the right key first.
    kid: createHash('sha256').update('gatehouse-cookie-kid').update(key).digest('base64url').slice(0, 8),
    key: createSecretKey(key),
  }));
  return {
    async seal(purpose, content, expiresAt) {
      const plaintext = new TextEncoder().encode(JSON.stringify({ ...content, purpose, exp: expiresAt }));
      return new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: sealKeys[0].kid }).encrypt(sealKeys[0].key);
    },
    async unseal<T>(purpose: SealPurpose, sealed: string, nowSeconds: number): Promise<T> {
      const kid = headerKid(sealed);
      const ordered = [...sealKeys.filter((k) => k.kid === kid), ...sealKeys.filter((k) => k.kid !== kid)];
      for (const { key } of ordered) {
        let plaintext: Uint8Array;
        try {
          ({ plaintext } = await compactDecrypt(sealed, key, DECRYPT_OPTIONS));
        } catch {
          continue;
        }
        const content = parseObject(plaintext);
        if (content === undefined || content.purpose !== purpose) throw new SsoError('sso_cookie_invalid', 'sealed cookie has another purpose');
        if (typeof content.exp !== 'number' || content.exp <= nowSeconds) throw new SsoError('sso_cookie_expired', 'sealed cookie expired');
        return content as T;
      }
      throw new SsoError('sso_cookie_invalid', 'sealed cookie does not decrypt with any key');
    },
  };
}

function headerKid(sealed: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(sealed);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

function parseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
