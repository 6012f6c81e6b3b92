// A real loopback HTTP server around the account API and the admin API on a temp SQLite store,
// for tests that talk to them as clients do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createAccessTokenVerifier } from '../../src/identity/account-credentials.ts';
import { createAccountApi } from '../../src/identity/account-api.ts';
import { createAccounts } from '../../src/identity/accounts.ts';
import { createClientAddressResolver } from '../../src/identity/client-address.ts';
import { createAdminApi } from '../../src/identity/admin-api.ts';
import { createKeyRing, type KeyRing } from '../../src/identity/keys/key-ring.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import type { RevocationRecord } from '../../src/store/identity-store.ts';
import { openTempStore, T0, type TempStore } from './temp-store.ts';

export const ISSUER = 'http://127.0.0.1:9000';
export const ADMIN_TOKEN = 'admin-token-0123456789';

export interface ApiServer {
  url: string;
  temp: TempStore;
  keyRing: KeyRing;
  kek: Buffer;
  accounts: ReturnType<typeof createAccounts>;
  revocations: RevocationRecord[];
  close(): Promise<void>;
}

export async function startApiServer(options: { adminToken?: string; trustedProxies?: string[]; perIpMaxFailures?: number } = {}): Promise<ApiServer> {
  const temp = await openTempStore();
  const kek = randomBytes(32);
  const revocations: RevocationRecord[] = [];
  const onRevoke = async (record: RevocationRecord) => void revocations.push(record);
  const clock = () => temp.clock.now;
  const accounts = createAccounts({
    store: temp.store,
    throttle: createLoginThrottle(temp.store.throttle, { maxFailures: 3, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600, perIpMaxFailures: options.perIpMaxFailures ?? 50 }),
    onRevoke,
    maxAccessTokenSeconds: 600,
    clock,
  });
  const keyRing = createKeyRing({ store: temp.store.signingKeys, kek, algorithm: 'ES256', maxTokenLifetimeSeconds: 3600, rotateEverySeconds: 86_400 });
  await keyRing.ensure(T0);
  const accountApi = createAccountApi({
    store: temp.store,
    accounts,
    clientAddress: createClientAddressResolver(options.trustedProxies ?? []),
    verifyAccessToken: createAccessTokenVerifier({ issuer: ISSUER, keyRing, revocations: temp.store.revocations, clock }),
    allowedScopes: new Set(['orders:read', 'orders:write']),
    onRevoke,
    clock,
  });
  const adminApi = createAdminApi({
    adminToken: 'adminToken' in options ? options.adminToken : ADMIN_TOKEN,
    store: temp.store,
    accounts,
    kek,
    keyRing,
    onRevoke,
    maxAccessTokenSeconds: 600,
    clock,
  });
  const server: Server = createServer((req, res) => {
    (async () => {
      if (await accountApi(req, res)) return;
      if (await adminApi(req, res)) return;
      res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    temp,
    keyRing,
    kek,
    accounts,
    revocations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await temp.cleanup();
    },
  };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
