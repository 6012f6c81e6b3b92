// The key set's life cycle as pure functions over the stored records (applied inside
// SigningKeyStore.mutate, so concurrent instances serialize): there is always one ACTIVE key
// that signs and one NEXT key already published in the JWKS, so relying parties have cached it
// before it signs anything; a rotated-out key stays RETIRED (published, verifying) until every
// token it signed has expired, then leaves.
import type { SigningKeyRecord } from '../../store/identity-store.ts';

export interface RotationPolicy {
  readonly maxTokenLifetimeSeconds: number;
  readonly rotateEverySeconds: number;
}

/** Margin for clock skew between this service and the relying parties. */
const CLOCK_SKEW_SECONDS = 60;

export type NewKey = (now: number) => Promise<SigningKeyRecord>;

export function dropExpiredRetired(keys: readonly SigningKeyRecord[], now: number): SigningKeyRecord[] {
  return keys.filter((key) => key.state !== 'retired' || (key.removeAfter ?? 0) > now);
}

/** First start (or a damaged set): make sure an active and a next key exist. */
export async function ensureKeys(current: readonly SigningKeyRecord[], now: number, newKey: NewKey): Promise<readonly SigningKeyRecord[]> {
  let keys = dropExpiredRetired(current, now);
  if (!keys.some((key) => key.state === 'active')) {
    const next = keys.find((key) => key.state === 'next');
    const active = next ?? (await newKey(now));
    keys = [...keys.filter((key) => key !== next), { ...active, state: 'active', activatedAt: now }];
  }
  if (!keys.some((key) => key.state === 'next')) keys = [...keys, await newKey(now)];
  return keys;
}

/** next → active, active → retired, a fresh next; retired keys past removeAfter are dropped. */
export async function rotateKeys(current: readonly SigningKeyRecord[], now: number, policy: RotationPolicy, newKey: NewKey): Promise<readonly SigningKeyRecord[]> {
  // Nothing signs yet: bringing the set up is the rotation (retiring a key just made is pointless).
  if (!current.some((key) => key.state === 'active')) return ensureKeys(current, now, newKey);
  const keys = await ensureKeys(current, now, newKey);
  const removeAfter = now + policy.maxTokenLifetimeSeconds + CLOCK_SKEW_SECONDS;
  const rotated = keys.map((key): SigningKeyRecord => {
    if (key.state === 'active') return { ...key, state: 'retired', retiredAt: now, removeAfter };
    if (key.state === 'next') return { ...key, state: 'active', activatedAt: now };
    return key;
  });
  return [...rotated, await newKey(now)];
}

export function rotationDue(keys: readonly SigningKeyRecord[], now: number, policy: RotationPolicy): boolean {
  const active = keys.find((key) => key.state === 'active');
  return !active || (active.activatedAt ?? active.createdAt) + policy.rotateEverySeconds <= now;
}

export function hasExpiredRetired(keys: readonly SigningKeyRecord[], now: number): boolean {
  return keys.length !== dropExpiredRetired(keys, now).length;
}

/** Sign with ACTIVE, then announce NEXT, then keep RETIRED for verification. */
export function orderForPublication(keys: readonly SigningKeyRecord[]): SigningKeyRecord[] {
  const rank = { active: 0, next: 1, retired: 2 } as const;
  return [...keys].sort((a, b) => rank[a.state] - rank[b.state] || b.createdAt - a.createdAt);
}

