// The revocation wire shared by the identity service (publisher) and every gateway (feed): one
// Redis sorted set holding the active revocations (score = expiresAt, so expired ones are cut by
// score) and one Pub/Sub channel of the same name carrying each new revocation as it happens.
// A gateway that starts late reads the set; a running one hears the channel.
import type { RevocationKind, RevocationRecord } from '../identity-store.ts';

/** Default prefix of the key and channel (`gatehouse:revocations`). */
export const DEFAULT_REVOCATION_PREFIX = 'gatehouse:';

const KINDS: ReadonlySet<string> = new Set<RevocationKind>(['jti', 'token-hash', 'client', 'subject']);

/** The sorted set of active revocations. */
export function revocationKey(prefix: string): string {
  return `${prefix}revocations`;
}

/** The Pub/Sub channel new revocations are announced on (Pub/Sub names do not clash with keys). */
export function revocationChannel(prefix: string): string {
  return `${prefix}revocations`;
}

/** A sorted-set member and a channel message: JSON with the four fields in a fixed order, so
 * the same record always encodes to the same member (ZADD stays idempotent). */
export function encodeRevocation(record: RevocationRecord): string {
  return JSON.stringify({ kind: record.kind, value: record.value, revokedAt: record.revokedAt, expiresAt: record.expiresAt });
}

/** The record in a member or message, or undefined for anything that is not one (never throws). */
export function decodeRevocation(text: string): RevocationRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { kind, value, revokedAt, expiresAt } = parsed as Record<string, unknown>;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (!Number.isSafeInteger(revokedAt) || !Number.isSafeInteger(expiresAt)) return undefined;
  return { kind: kind as RevocationKind, value, revokedAt: revokedAt as number, expiresAt: expiresAt as number };
}
