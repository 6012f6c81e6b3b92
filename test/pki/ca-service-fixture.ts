// A running CA service for tests: createCaRoutes on a loopback HTTP server over a real identity
// store (SQLite in a temporary directory), with a CA initialized in it.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCaRoutes, type CaServiceSettings } from '../../src/pki/ca-routes.ts';
import { initCertificateAuthority } from '../../src/pki/create-ca.ts';
import { DocumentCaStore } from '../../src/pki/document-ca-store.ts';
import { createJoinToken } from '../../src/pki/join-tokens.ts';
import { caPassphraseFromKek } from '../../src/pki/store-passphrase.ts';
import { openTestStore, type TestStore } from './store-fixture.ts';

export interface TestCaService {
  readonly url: string;
  readonly ca: DocumentCaStore;
  readonly passphrase: string;
  readonly testStore: TestStore;
  joinToken(name: string, dnsNames?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startTestCaService(settings: Partial<CaServiceSettings> = {}, trustDomain = 'example.org'): Promise<TestCaService> {
  const testStore = await openTestStore('sqlite');
  const kek = randomBytes(32);
  const ca = new DocumentCaStore(testStore.store.documents);
  const passphrase = caPassphraseFromKek(kek);
  await initCertificateAuthority(ca, { trustDomain, passphrase });
  const routes = createCaRoutes({
    documents: testStore.store.documents,
    keyEncryptionKey: kek,
    issuer: 'http://127.0.0.1:1',
    publicJwks: () => ({ keys: [] }),
    settings: { audience: 'http://127.0.0.1:1/ca', clients: [], maxTtlSeconds: 86_400, ...settings },
  });
  const server = createServer((req, res) => {
    void routes(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca,
    passphrase,
    testStore,
    joinToken: async (name, dnsNames = ['localhost']) =>
      (await createJoinToken(testStore.store.documents, { spiffeId: `spiffe://${trustDomain}/ns/test/sa/${name}`, dnsNames, trustDomain })).token,
    async close() {
      server.closeAllConnections();
      server.close();
      await testStore.close();
    },
  };
}
