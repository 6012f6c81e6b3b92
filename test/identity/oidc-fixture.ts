// A real identity service on loopback for the OIDC tests: an IdentityConfig with a few clients
// and two APIs, a store (SQLite in a temp dir, or a PostgreSQL schema), and the small HTTP
// helpers the tests share (form POSTs with client authentication, a cookie jar, a browserless
// authorization-code flow that posts the real login form).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '../../src/store/identity-store.ts';
import { createAccounts } from '../../src/identity/accounts.ts';
import type { IdentityConfig } from '../../src/identity/identity-config.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import { startIdentityService } from '../../src/identity/start-identity.ts';
import type { IdentityService } from '../../src/identity/start-identity.ts';

export const ORDERS = 'https://orders.gatehouse.test';
export const BILLING = 'https://billing.gatehouse.test';
export const REDIRECT_URI = 'http://127.0.0.1:1/callback';
export const PASSWORD = 'alice-password';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A loopback port the OS hands out (port 0), released for the service to bind. */
export async function reservePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function testConfig(port: number, storage: StoreConfig, sourceFile: string): IdentityConfig {
  return {
    sourceFile,
    issuer: `http://127.0.0.1:${port}`,
    listen: { host: '127.0.0.1', port },
    storage,
    keyEncryptionKey: Buffer.alloc(32, 7),
    cookieKeys: ['test-cookie-key-0123456789abcdef'],
    secureCookies: false,
    tokens: {
      accessTokenSeconds: 600,
      idTokenSeconds: 3600,
      refreshTokenSeconds: 14 * 86_400,
      sessionSeconds: 8 * 3600,
      interactionSeconds: 600,
      exchangedTokenSeconds: 300,
    },
    keys: { algorithm: 'ES256', rotateEverySeconds: 30 * 86_400, checkEverySeconds: 60 },
    resources: [
      { identifier: ORDERS, name: 'Orders', scopes: { 'orders:read': 'Read your orders', 'orders:write': 'Change your orders' } },
      { identifier: BILLING, name: 'Billing', scopes: { 'billing:read': 'Read your invoices' }, accessTokenSeconds: 120 },
    ],
    clients: [
      {
        clientId: 'm2m', clientSecret: 'm2m-secret-0123456789', name: 'Order sync', public: false, trusted: false,
        redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'],
        scopes: ['orders:read'], resources: [ORDERS],
      },
      {
        clientId: 'm2m-multi', clientSecret: 'm2m-secret-0123456789', name: 'Reports', public: false, trusted: false,
        redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'],
        scopes: ['orders:read', 'billing:read'], resources: [ORDERS, BILLING],
      },
      {
        clientId: 'web', clientSecret: 'web-secret-0123456789', name: 'Web app', public: false, trusted: true,
        redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [], grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['openid', 'profile', 'roles', 'offline_access', 'orders:read', 'orders:write'], resources: [ORDERS],
      },
      {
        clientId: 'spa', name: 'Single-page app', public: true, trusted: true,
        redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [], grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['openid', 'orders:read'], resources: [ORDERS],
      },
      {
        clientId: 'gateway', clientSecret: 'gateway-secret-0123456789', name: 'Gateway', public: false, trusted: false,
        redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['urn:ietf:params:oauth:grant-type:token-exchange'],
        scopes: ['orders:read'], resources: [ORDERS, BILLING],
      },
    ],
    lockout: { maxFailures: 5, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600, perIpMaxFailures: 50 },
    adminToken: ADMIN_TOKEN,
    revocation: undefined,
  };
}

export interface TestIdentity {
  readonly service: IdentityService;
  readonly config: IdentityConfig;
  readonly url: string;
  /** The id of user alice (roles user, groups staff). */
  readonly aliceId: string;
  close(): Promise<void>;
}

export interface TestIdentityOptions {
  /** Default: SQLite in a fresh temp dir. */
  readonly storage?: StoreConfig;
  /** Create user alice (default); false: she exists in the shared store already. */
  readonly addAlice?: boolean;
  /** Instances behind one name share the issuer (default: this instance's URL). */
  readonly issuer?: string;
  readonly checkKeysEverySeconds?: number;
  /** Broadcast revocations on Redis (default: store only). */
  readonly revocation?: IdentityConfig['revocation'];
}

/** Starts a service with user alice. */
export async function startTestIdentity(options: TestIdentityOptions = {}): Promise<TestIdentity> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-oidc-'));
  const storage = options.storage ?? { driver: 'sqlite', path: join(dir, 'identity.db') };
  const base = testConfig(await reservePort(), storage, join(dir, 'identity.yaml'));
  const config: IdentityConfig = {
    ...base,
    issuer: options.issuer ?? base.issuer,
    keys: { ...base.keys, checkEverySeconds: options.checkKeysEverySeconds ?? base.keys.checkEverySeconds },
    revocation: options.revocation ?? base.revocation,
  };
  const service = await startIdentityService(config);
  let aliceId = '';
  const accounts = createAccounts({ store: service.store, throttle: createLoginThrottle(service.store.throttle, config.lockout) });
  if (options.addAlice ?? true) {
    const alice = await accounts.addUser({ username: 'alice', password: PASSWORD, roles: ['user'], groups: ['staff'] });
    aliceId = alice.id;
  } else {
    aliceId = (await service.store.users.findByUsername('alice'))?.id ?? '';
  }
  return {
    service,
    config,
    url: service.url,
    aliceId,
    async close() {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

export function basic(clientId: string, secret: string): string {
  // RFC 6749 §2.3.1: form-urlencode, then base64.
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function postForm(url: string, fields: Record<string, string | string[]>, authorization?: string): Promise<TokenResponse> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The claims of a JWT, without verifying it (tests verify separately where it matters). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  };
}
