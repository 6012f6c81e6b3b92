// One-time join tokens: how a new workload proves it may have a certificate for one SPIFFE ID
// before it holds any credential (SPIRE's join token, step-ca's one-time token). The token is
// shown once; the store keeps only its SHA-256. Using it deletes the document, and a delete
// succeeds for exactly one caller, so two requests racing with the same token cannot both win.
import { createHash, randomBytes } from 'node:crypto';
import type { DocumentStore } from '../store/identity-store.ts';
import { validateDnsName } from './dns-name.ts';
import { PkiError } from './pki-error.ts';
import { parseSpiffeId } from './spiffe-id.ts';

export const JOIN_TOKEN_NAMESPACE = 'ca.join-tokens';
export const JOIN_TOKEN_PREFIX = 'gjt_';
export const DEFAULT_JOIN_TOKEN_TTL_SECONDS = 3600;

export interface JoinTokenGrant {
  readonly spiffeId: string;
  readonly dnsNames: readonly string[];
}

export interface CreatedJoinToken extends JoinTokenGrant {
  /** Shown once; never stored. */
  readonly token: string;
  readonly expiresAt: number;
}

function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isJoinToken(text: string): boolean {
  return text.startsWith(JOIN_TOKEN_PREFIX);
}

export async function createJoinToken(
  documents: DocumentStore,
  request: { spiffeId: string; dnsNames?: readonly string[]; ttlSeconds?: number; trustDomain: string },
  now = Math.floor(Date.now() / 1000),
): Promise<CreatedJoinToken> {
  const spiffeId = parseSpiffeId(request.spiffeId);
  if (spiffeId.trustDomain !== request.trustDomain) {
    throw new PkiError('ERR_SPIFFE_TRUST_DOMAIN_MISMATCH', `"${request.spiffeId}" is not in this CA's trust domain "${request.trustDomain}"`);
  }
  const dnsNames = [...new Set((request.dnsNames ?? []).map(validateDnsName))];
  const ttlSeconds = request.ttlSeconds ?? DEFAULT_JOIN_TOKEN_TTL_SECONDS;
  if (!(ttlSeconds > 0)) throw new PkiError('ERR_TTL_INVALID', 'the join token lifetime must be longer than zero');
  await pruneExpired(documents, now);
  const token = `${JOIN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = now + ttlSeconds;
  await documents.put(JOIN_TOKEN_NAMESPACE, tokenKey(token), { spiffeId: spiffeId.uri, dnsNames, expiresAt, createdAt: now });
  return { token, spiffeId: spiffeId.uri, dnsNames, expiresAt };
}

/** Spends the token: returns what it grants, or throws ERR_JOIN_TOKEN_INVALID (unknown, used or expired alike). */
export async function consumeJoinToken(documents: DocumentStore, token: string, now = Math.floor(Date.now() / 1000)): Promise<JoinTokenGrant> {
  const key = tokenKey(token);
  const stored = await documents.get(JOIN_TOKEN_NAMESPACE, key);
  // One answer for every failure: a caller learns nothing about which tokens exist.
  const refused = new PkiError('ERR_JOIN_TOKEN_INVALID', 'the join token is unknown, already used or expired');
  if (stored === undefined) throw refused;
  const spent = await documents.delete(JOIN_TOKEN_NAMESPACE, key);
  if (!spent || (stored.expiresAt as number) <= now) throw refused;
  return { spiffeId: stored.spiffeId as string, dnsNames: stored.dnsNames as string[] };
}

async function pruneExpired(documents: DocumentStore, now: number): Promise<void> {
  for (const { key, value } of await documents.list(JOIN_TOKEN_NAMESPACE)) {
    if ((value.expiresAt as number) <= now) await documents.delete(JOIN_TOKEN_NAMESPACE, key);
  }
}
