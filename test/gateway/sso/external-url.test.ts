// BrowserLogin.externalUrl: with TLS terminated in front of the gateway, the gateway sees plain
// HTTP and an inner Host; the redirect_uri sent to the issuer, the post-logout URL and the
// cookies' Secure attribute follow the public origin instead.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { KeySet } from '../../../src/authn/key-set.ts';
import { BrowserLoginRuntime } from '../../../src/gateway/sso/browser-login-runtime.ts';
import { createCookieSealer } from '../../../src/gateway/sso/cookie-seal.ts';
import { handleLogout } from '../../../src/gateway/sso/logout.ts';
import { OidcClient } from '../../../src/gateway/sso/oidc-client.ts';
import type { BrowserLogin } from '../../../src/model/browser-login.ts';

const key = randomBytes(32);
const base: BrowserLogin = {
  name: 'web', targets: [], issuer: 'https://issuer.test', clientId: 'gateway-web', clientSecret: 'secret',
  scopes: ['openid'], callbackPath: '/_gatehouse/callback', logoutPath: '/_gatehouse/logout', postLogoutPath: '/bye',
  cookie: { keys: [key], secure: 'auto' }, sessionLifetimeSeconds: 3600, timeoutMs: 1000,
  source: { file: 'test.yaml', documentIndex: 0, kind: 'BrowserLogin', name: 'web' },
};

function runtimeFor(login: BrowserLogin): BrowserLoginRuntime {
  const keySet = new KeySet({
    source: { kind: 'inline', jwks: '{"keys":[]}' },
    refresh: { minSeconds: 30, maxSeconds: 3600, unknownKidCooldownSeconds: 30 },
    label: login.issuer, fetch: globalThis.fetch, logger: pino({ level: 'silent' }),
  });
  const client = new OidcClient(login, keySet, { algorithms: ['ES256'], clockSkewSeconds: 60 });
  client.metadata = { authorizationEndpoint: 'https://issuer.test/auth', tokenEndpoint: 'https://issuer.test/token', endSessionEndpoint: 'https://issuer.test/session/end' };
  return new BrowserLoginRuntime(login, client, createCookieSealer([key]), pino({ level: 'silent' }));
}

const runtimes = { external: runtimeFor({ ...base, externalUrl: 'https://app.example.com' }), plain: runtimeFor(base) };
const server = createServer((req, res) => {
  const runtime = req.headers['x-runtime'] === 'external' ? runtimes.external : runtimes.plain;
  const ssoRequest = { req, res, secure: false, host: '127.0.0.1' };
  if (req.url === '/_gatehouse/logout') {
    void handleLogout(runtime, ssoRequest);
    return;
  }
  if (runtime.answerUnauthenticated(ssoRequest as never, { code: 'jwt_missing' }) === undefined) res.writeHead(401).end();
});
let origin = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const NAVIGATION = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html' };

function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the callback URL is built from externalUrl, not from the Host header', async () => {
  const external = await get('/orders/1', { ...NAVIGATION, 'x-runtime': 'external', host: 'gateway.internal:8080' });
  assert.equal(external.status, 302);
  assert.equal(new URL(external.headers.location ?? '').searchParams.get('redirect_uri'), 'https://app.example.com/_gatehouse/callback');
  const plain = await get('/orders/1', { ...NAVIGATION, 'x-runtime': 'plain', host: 'gateway.internal:8080' });
  assert.equal(new URL(plain.headers.location ?? '').searchParams.get('redirect_uri'), 'http://gateway.internal:8080/_gatehouse/callback', 'without it: the Host header');
});

test('an https externalUrl makes the cookies Secure (auto), even on a loopback Host over plain HTTP', async () => {
  const external = await get('/orders/1', { ...NAVIGATION, 'x-runtime': 'external' });
  const stateCookie = (external.headers['set-cookie'] ?? [])[0] ?? '';
  assert.match(stateCookie, /^__Host-gatehouse-login=.*; Secure/);
  const plain = await get('/orders/1', { ...NAVIGATION, 'x-runtime': 'plain' });
  assert.match((plain.headers['set-cookie'] ?? [])[0] ?? '', /^gatehouse_session-login=/);
  assert.doesNotMatch((plain.headers['set-cookie'] ?? [])[0] ?? '', /Secure/);
});

test('the post-logout URL is built from externalUrl', async () => {
  const now = Math.floor(Date.now() / 1000);
  const sealed = await createCookieSealer([key]).seal('session', { at: 'a', atExp: now + 600, idt: 'id-token', sub: 'alice', start: now }, now + 600);
  const response = await get('/_gatehouse/logout', { 'x-runtime': 'external', cookie: `__Host-gatehouse=${sealed}` });
  assert.equal(response.status, 302);
  const location = new URL(response.headers.location ?? '');
  assert.equal(`${location.origin}${location.pathname}`, 'https://issuer.test/session/end');
  assert.equal(location.searchParams.get('post_logout_redirect_uri'), 'https://app.example.com/bye');
});
