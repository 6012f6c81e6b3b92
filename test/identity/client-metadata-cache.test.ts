// The opened client secret is reused only for the exact stored version of the client: another
// instance changing the secret within the same second of updatedAt, a later update, or a client
// turned public are all seen on the next lookup. Real SQLite store, two instances on one file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClientMetadata } from '../../src/identity/client-metadata-cache.ts';
import { readClientDocument, syncConfiguredClients, toProviderMetadata, type ClientSpec } from '../../src/identity/clients.ts';
import type { IdentityStore } from '../../src/store/identity-store.ts';
import { openTempStore, T0, type TempStore } from './temp-store.ts';

const kek = randomBytes(32);
const m2m: ClientSpec = {
  clientId: 'm2m',
  clientSecret: 'first-secret-0123456789',
  name: 'Machine',
  public: false,
  trusted: false,
  redirectUris: [],
  postLogoutRedirectUris: [],
  grantTypes: ['client_credentials'],
  scopes: ['orders:read'],
  resources: ['https://orders.example.com'],
};

let temp: TempStore;
let other: IdentityStore;
before(async () => {
  temp = await openTempStore();
  other = await temp.openAnother();
});
after(() => temp.cleanup());

async function lookup(metadata: ReturnType<typeof createClientMetadata>) {
  const record = await temp.store.clients.find('m2m');
  assert.ok(record);
  return { metadata: metadata(record), expected: toProviderMetadata(readClientDocument(record), kek) };
}

describe('client metadata cache', () => {
  it('returns what toProviderMetadata returns, as a fresh object on every lookup', async () => {
    await syncConfiguredClients(temp.store, [m2m], kek, T0);
    const metadata = createClientMetadata(kek);
    const first = await lookup(metadata);
    const second = await lookup(metadata);
    assert.deepEqual(first.metadata, first.expected);
    assert.equal(first.metadata.client_secret, 'first-secret-0123456789');
    assert.deepEqual(second.metadata, first.metadata);
    assert.notEqual(second.metadata, first.metadata);
  });

  const changes: Array<{ name: string; spec: ClientSpec; at: number; secret: string | undefined }> = [
    { name: 'another instance changes the secret within the same second', spec: { ...m2m, clientSecret: 'second-secret-0123456789' }, at: T0, secret: 'second-secret-0123456789' },
    { name: 'a later update changes the secret', spec: { ...m2m, clientSecret: 'third-secret-0123456789' }, at: T0 + 5, secret: 'third-secret-0123456789' },
    { name: 'the client becomes public', spec: { ...m2m, clientSecret: undefined, public: true }, at: T0 + 6, secret: undefined },
    { name: 'it gets a secret again', spec: { ...m2m, clientSecret: 'fourth-secret-0123456789' }, at: T0 + 6, secret: 'fourth-secret-0123456789' },
  ];
  const metadata = createClientMetadata(kek);
  for (const change of changes) {
    it(`sees the change at once when ${change.name}`, async () => {
      await lookup(metadata); // warm the entry for the version before the change
      await syncConfiguredClients(other, [change.spec], kek, change.at);
      const { metadata: seen, expected } = await lookup(metadata);
      assert.equal(seen.client_secret, change.secret);
      assert.deepEqual(seen, expected);
    });
  }
});
