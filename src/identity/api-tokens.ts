// Personal API tokens: created for a user with scopes and an optional expiry, shown once, stored
// only as a SHA-256 hash, resolved (by the token-exchange grant and the gateway's phantom-token
// exchange) and revoked. Format and checksum live in api-token-format.ts.
import { randomUUID } from 'node:crypto';
import { StoreConflictError, type ApiTokenRecord, type IdentityStore, type RevocationRecord, type UserRecord } from '../store/identity-store.ts';
import { apiTokenDisplayPrefix, apiTokenHash, generateApiToken, isWellFormedApiToken } from './api-token-format.ts';
import { IdentityError } from './identity-error.ts';

export { isWellFormedApiToken } from './api-token-format.ts';

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** lastUsedAt is written at most this often: resolving a token must not be a write per request. */
const TOUCH_INTERVAL_SECONDS = 60;
/** A revoked token without expiry stays on the revocation list this long (beyond any cache of it). */
const REVOCATION_HORIZON_SECONDS = 86_400;

type TokenStore = Pick<IdentityStore, 'apiTokens' | 'users'>;

export interface NewApiToken {
  userId: string;
  name: string;
  scopes: readonly string[];
  expiresInSeconds?: number;
}

export type ResolveError = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'user_disabled';

export function validateScopes(scopes: readonly string[]): void {
  for (const scope of scopes) {
    if (!SCOPE_PATTERN.test(scope)) throw new IdentityError('invalid_token_request', `"${scope}" is not a valid scope`);
  }
}

export async function createApiToken(store: TokenStore, request: NewApiToken, now: number): Promise<{ token: string; record: ApiTokenRecord }> {
  const name = request.name.trim();
  if (name === '' || name.length > 100) throw new IdentityError('invalid_token_request', 'a token name has 1-100 characters');
  validateScopes(request.scopes);
  const expires = request.expiresInSeconds;
  if (expires !== undefined && (!Number.isInteger(expires) || expires <= 0)) {
    throw new IdentityError('invalid_token_request', 'expiry must be a positive number of seconds');
  }
  const token = generateApiToken();
  try {
    const record = await store.apiTokens.create({
      id: randomUUID(),
      userId: request.userId,
      name,
      tokenHash: apiTokenHash(token),
      displayPrefix: apiTokenDisplayPrefix(token),
      scopes: [...new Set(request.scopes)],
      createdAt: now,
      expiresAt: expires === undefined ? undefined : now + expires,
    });
    return { token, record };
  } catch (error) {
    if (error instanceof StoreConflictError) throw new IdentityError('token_name_taken', `a token named "${name}" exists already`);
    throw error;
  }
}

export async function resolveApiToken(
  store: TokenStore,
  token: string,
  now: number,
): Promise<{ record: ApiTokenRecord; user: UserRecord } | { error: ResolveError }> {
  if (!isWellFormedApiToken(token)) return { error: 'malformed' };
  const record = await store.apiTokens.findByHash(apiTokenHash(token));
  if (!record) return { error: 'unknown' };
  if (record.revokedAt !== undefined) return { error: 'revoked' };
  if (record.expiresAt !== undefined && record.expiresAt <= now) return { error: 'expired' };
  const user = await store.users.findById(record.userId);
  if (!user || user.disabled) return { error: 'user_disabled' };
  if (record.lastUsedAt === undefined || now - record.lastUsedAt >= TOUCH_INTERVAL_SECONDS) {
    await store.apiTokens.touch(record.id, now);
    return { record: { ...record, lastUsedAt: now }, user };
  }
  return { record, user };
}

/** False when the id is unknown or the token was revoked already. */
export async function revokeApiToken(
  store: Pick<IdentityStore, 'apiTokens'>,
  id: string,
  now: number,
  onRevoke?: (record: RevocationRecord) => Promise<void>,
): Promise<boolean> {
  const record = await store.apiTokens.findById(id);
  if (!record || !(await store.apiTokens.revoke(id, now))) return false;
  const horizon = now + REVOCATION_HORIZON_SECONDS;
  const expiresAt = record.expiresAt === undefined ? horizon : Math.min(record.expiresAt, horizon);
  if (onRevoke && expiresAt > now) await onRevoke({ kind: 'token-hash', value: record.tokenHash, revokedAt: now, expiresAt });
  return true;
}

/** A token as lists show it: never the hash. */
export function publicApiToken(record: ApiTokenRecord) {
  const { tokenHash: _hash, ...visible } = record;
  return visible;
}
