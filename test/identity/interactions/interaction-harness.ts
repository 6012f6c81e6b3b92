// A real oidc-provider (its in-memory adapter) wired to our interaction routes and page hooks,
// with real accounts over a real SQLite store in a temp dir, on a loopback port.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { createAccounts } from '../../../src/identity/accounts.ts';
import { createClientAddressResolver } from '../../../src/identity/client-address.ts';
import { pageHooks } from '../../../src/identity/interactions/page-hooks.ts';
import { createInteractionRoutes } from '../../../src/identity/interactions/router.ts';
import { createLoginThrottle } from '../../../src/identity/login-throttle.ts';
import type { IdentityStore } from '../../../src/store/identity-store.ts';
import { openSqliteStore } from '../../../src/store/open-store.ts';

export { CookieClient, type Reply } from './cookie-client.ts';

export const ORDERS_API = 'https://orders.example.test';
export const REDIRECT_URI = 'http://127.0.0.1:1/callback';
export const COOKIE_KEYS = ['test-cookie-key-0123456789abcdef'];

export interface Harness {
  readonly url: string;
  readonly provider: Provider;
  readonly store: IdentityStore;
  close(): Promise<void>;
}

export async function startHarness(options: { trustedProxies?: string[]; perIpMaxFailures?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pages-'));
  const store = await openSqliteStore(join(dir, 'identity.db'));
  const throttle = createLoginThrottle(store.throttle, { maxFailures: 3, windowSeconds: 900, lockoutSeconds: 120, maxLockoutSeconds: 3600, perIpMaxFailures: options.perIpMaxFailures ?? 50 });
  const accounts = createAccounts({ store, throttle });
  await accounts.addUser({ username: 'alice', password: 'alice-password', name: 'Alice Liddell' });

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (id: string, name: string, trusted: boolean) => ({
    client_id: id,
    client_name: name,
    token_endpoint_auth_method: 'none' as const,
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code' as const],
    scope: 'openid profile offline_access orders:read',
    gatehouse_trusted: trusted,
    gatehouse_resources: [ORDERS_API],
  });
  const provider = new Provider(url, {
    clients: [client('shop', 'Shop <b>&</b> "Co"', false), client('portal', 'Portal', true)],
    extraClientMetadata: { properties: ['gatehouse_trusted', 'gatehouse_resources'] },
    findAccount: accounts.findAccount as never,
    cookies: { keys: COOKIE_KEYS },
    scopes: ['openid', 'profile', 'offline_access', 'orders:read'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: pageHooks.renderError,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: pageHooks.logoutSource, postLogoutSuccessSource: pageHooks.postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => ORDERS_API,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({ scope: 'orders:read', audience: ORDERS_API, accessTokenFormat: 'opaque' }),
      },
    },
  });
  const routes = createInteractionRoutes({
    getProvider: () => provider,
    accounts,
    clientAddress: createClientAddressResolver(options.trustedProxies ?? []),
    config: { cookieKeys: COOKIE_KEYS, resources: [{ identifier: ORDERS_API, name: 'Order service', scopes: { 'orders:read': 'Read your orders' } }] },
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    routes(req, res).then((handled) => (handled ? undefined : callback(req, res)));
  });
  return {
    url,
    provider,
    store,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function authorizeUrl(clientId: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile orders:read',
    resource: ORDERS_API,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state: 'xyz',
    ...extra,
  });
  return `/auth?${params}`;
}

export function csrfFrom(page: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('no csrf field in the page');
  return match[1];
}
