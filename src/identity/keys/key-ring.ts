// The signing keys of this instance: created and rotated in the store (serialized across
// instances by SigningKeyStore.mutate), decrypted into memory, and reloaded when another instance
// changed them. `version` changes with the key set, so the provider is rebuilt exactly then.
import { createHash } from 'node:crypto';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { SigningKeyRecord, SigningKeyStore } from '../../store/identity-store.ts';
import { IdentityError } from '../identity-error.ts';
import type { SigningAlgorithm } from '../identity-config.ts';
import { ensureKeys, hasExpiredRetired, orderForPublication, rotateKeys, rotationDue, dropExpiredRetired, type RotationPolicy } from './key-rotation.ts';
import { generateSigningKey, openPrivateJwk } from './signing-key.ts';

export interface KeyRingOptions {
  store: SigningKeyStore;
  kek: Buffer;
  algorithm: SigningAlgorithm;
  /** The longest-lived token a key signs (access, ID, exchanged): how long a retired key stays published. */
  maxTokenLifetimeSeconds: number;
  rotateEverySeconds: number;
}

interface LoadedKey {
  record: SigningKeyRecord;
  privateJwk: JWK;
}

export interface KeyRing {
  ensure(now: number): Promise<void>;
  rotate(now: number): Promise<void>;
  rotateIfDue(now: number): Promise<boolean>;
  refresh(): Promise<boolean>;
  readonly version: string;
  /** Key records as stored (public parts only matter to callers), active first. */
  records(): SigningKeyRecord[];
  providerJwks(): { keys: JWK[] };
  publicJwks(): { keys: JWK[] };
  activeSigner(): { kid: string; alg: string; privateKey: CryptoKey };
}

function versionOf(records: readonly SigningKeyRecord[]): string {
  const summary = orderForPublication(records).map((record) => `${record.kid}:${record.state}:${record.removeAfter ?? ''}`).join(',');
  return createHash('sha256').update(summary).digest('base64url').slice(0, 16);
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { store, kek, algorithm } = options;
  const policy: RotationPolicy = { maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds, rotateEverySeconds: options.rotateEverySeconds };
  const newKey = (now: number) => generateSigningKey(algorithm, kek, now);
  let loaded: LoadedKey[] = [];
  let signer: { kid: string; alg: string; privateKey: CryptoKey } | undefined;
  let version = '';

  async function load(records: readonly SigningKeyRecord[]): Promise<boolean> {
    const next = versionOf(records);
    if (next === version) return false;
    const ordered = orderForPublication(records);
    const keys = ordered.map((record) => ({ record, privateJwk: openPrivateJwk(record, kek) }));
    const active = keys.find((key) => key.record.state === 'active');
    signer = active
      ? { kid: active.record.kid, alg: active.record.alg, privateKey: (await importJWK(active.privateJwk, active.record.alg)) as CryptoKey }
      : undefined;
    loaded = keys;
    version = next;
    return true;
  }

  return {
    async ensure(now) {
      const current = await store.list();
      const complete = current.some((key) => key.state === 'active') && current.some((key) => key.state === 'next');
      await load(complete ? current : await store.mutate((keys) => ensureKeys(keys, now, newKey)));
    },
    async rotate(now) {
      await load(await store.mutate((keys) => rotateKeys(keys, now, policy, newKey)));
    },
    async rotateIfDue(now) {
      let changed = false;
      // Decide inside mutate: another instance may have rotated since this one last looked.
      const records = await store.mutate(async (keys) => {
        changed = false;
        if (rotationDue(keys, now, policy)) {
          changed = true;
          return rotateKeys(keys, now, policy, newKey);
        }
        if (hasExpiredRetired(keys, now)) {
          changed = true;
          return dropExpiredRetired(keys, now);
        }
        return keys;
      });
      await load(records);
      return changed;
    },
    async refresh() {
      return load(await store.list());
    },
    get version() {
      return version;
    },
    records: () => loaded.map((key) => key.record),
    providerJwks: () => ({ keys: loaded.map((key) => ({ ...key.privateJwk })) }),
    publicJwks: () => ({ keys: loaded.map((key) => ({ ...(key.record.publicJwk as JWK) })) }),
    activeSigner() {
      if (!signer) throw new IdentityError('no_active_key', 'the key ring holds no active signing key (call ensure first)');
      return signer;
    },
  };
}
