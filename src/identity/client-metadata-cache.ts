// oidc-provider looks the client up on every token, introspection and revocation request
// (client authentication), and opening its sealed secret (AES-256-GCM, src/identity/secret-box.ts)
// was ~8 % of a token's CPU. The opened secret is kept per client and reused while the stored
// document is the same version. Several instances share one store, so the store is still read on
// every request and an entry holds only for the exact version read: the same updatedAt and the
// same sealed text (each seal has a fresh random IV, so a changed secret never looks the same,
// even when two writes fall within one second of updatedAt). The metadata object itself is
// built fresh from the stored document each time, so nothing else can be stale.
import { LRUCache } from 'lru-cache';
import type { ClientRecord } from '../store/identity-store.ts';
import { providerMetadata, readClientDocument } from './clients.ts';
import { openSecret } from './secret-box.ts';

/** Clients whose opened secret is kept; more active clients than this only cost a decryption. */
const MAX_CLIENTS = 1_000;

interface OpenedSecret {
  readonly updatedAt: number;
  readonly sealed: string;
  readonly secret: string;
}

/** clients.ts `toProviderMetadata` with the KEK bound and opened secrets kept per client version. */
export function createClientMetadata(kek: Buffer): (record: ClientRecord) => Record<string, unknown> {
  const opened = new LRUCache<string, OpenedSecret>({ max: MAX_CLIENTS });
  return (record) => {
    const document = readClientDocument(record);
    const sealed = document.sealedSecret;
    if (sealed === undefined) {
      opened.delete(record.clientId);
      return providerMetadata(document, undefined);
    }
    let entry = opened.get(record.clientId);
    if (entry === undefined || entry.updatedAt !== record.updatedAt || entry.sealed !== sealed) {
      entry = { updatedAt: record.updatedAt, sealed, secret: openSecret(kek, sealed) };
      opened.set(record.clientId, entry);
    }
    return providerMetadata(document, entry.secret);
  };
}
