// The real identity service (startIdentityService, SQLite in a temp dir) for the sign-in page
// tests, with a third-party public client ("Pet Shop"), a trusted first-party one ("Company
// Portal"), a loopback redirect_uri server that records what the browser brings back, and
// helpers for PKCE and the token endpoint.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccounts } from '../../../src/identity/accounts.ts';
import type { IdentityConfig } from '../../../src/identity/identity-config.ts';
import { createLoginThrottle } from '../../../src/identity/login-throttle.ts';
import { startIdentityService, type IdentityService } from '../../../src/identity/start-identity.ts';

export const ORDERS_API = 'https://orders.example.test';
export const LOCKOUT = { maxFailures: 3, windowSeconds: 900, lockoutSeconds: 120, maxLockoutSeconds: 3600, perIpMaxFailures: 1000 };

/** A free loopback port: the issuer URL must name the port before the service listens on it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The client application's redirect_uri: answers 200 and remembers each request's query. */
export interface CallbackServer {
  readonly url: string;
  readonly received: URLSearchParams[];
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const received: URLSearchParams[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://callback');
    if (url.pathname !== '/favicon.ico') received.push(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the client application');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface PagesService {
  readonly issuer: string;
  readonly service: IdentityService;
  readonly callback: CallbackServer;
  close(): Promise<void>;
}

/** `issuerScheme: 'https'` plays a TLS-terminating proxy in front (X-Forwarded-Proto). */
export async function startPagesService(options: { issuerScheme?: 'http' | 'https' } = {}): Promise<PagesService> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-identity-pages-'));
  const callback = await startCallbackServer();
  const port = await freePort();
  const issuer = `${options.issuerScheme ?? 'http'}://127.0.0.1:${port}`;
  const client = (clientId: string, name: string, trusted: boolean) => ({
    clientId,
    name,
    public: true,
    trusted,
    redirectUris: [`${callback.url}/callback`],
    postLogoutRedirectUris: [`${callback.url}/signed-out`],
    grantTypes: ['authorization_code' as const, 'refresh_token' as const],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'orders:read'],
    resources: [ORDERS_API],
  });
  const config: IdentityConfig = {
    sourceFile: join(dir, 'identity.yaml'),
    issuer,
    listen: { host: '127.0.0.1', port },
    storage: { driver: 'sqlite', path: join(dir, 'identity.db') },
    keyEncryptionKey: randomBytes(32),
    cookieKeys: [randomBytes(32).toString('base64url')],
    secureCookies: issuer.startsWith('https:'),
    tokens: { accessTokenSeconds: 600, idTokenSeconds: 3600, refreshTokenSeconds: 14 * 86_400, sessionSeconds: 8 * 3600, interactionSeconds: 600, exchangedTokenSeconds: 300 },
    keys: { algorithm: 'ES256', rotateEverySeconds: 30 * 86_400, checkEverySeconds: 60 },
    resources: [{ identifier: ORDERS_API, name: 'Order service', scopes: { 'orders:read': 'Read your orders', 'orders:write': 'Place orders for you' } }],
    clients: [client('petshop', 'Pet Shop', false), client('portal', 'Company Portal', true)],
    lockout: LOCKOUT,
    adminToken: undefined,
    revocation: undefined,
  };
  const service = await startIdentityService(config);
  const accounts = createAccounts({ store: service.store, throttle: createLoginThrottle(service.store.throttle, LOCKOUT) });
  await accounts.addUser({ username: 'alice', password: 'alice-password', name: 'Alice Liddell', roles: ['user'] });
  await accounts.addUser({ username: 'mallory', password: 'mallory-password' });
  return {
    issuer,
    service,
    callback,
    async close() {
      await service.close();
      await callback.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

/** RFC 7636 §4.1–4.2: a random verifier and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizationUrl(pages: PagesService, clientId: string, pkce: Pkce, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: `${pages.callback.url}/callback`,
    scope: 'openid profile offline_access orders:read',
    resource: ORDERS_API,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    ...extra,
  });
  return `${pages.issuer}/auth?${params}`;
}
