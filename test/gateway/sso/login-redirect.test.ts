// What a 401 on a covered route looks like from a browser: the redirect to the issuer's
// authorization endpoint (RFC 6749 §4.1.1 + PKCE + nonce + resource) with the sealed state
// cookie, a plain 401 for scripts, and no loop when a brand-new session is refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { KeySet } from '../../../src/authn/key-set.ts';
import { BrowserLoginRuntime } from '../../../src/gateway/sso/browser-login-runtime.ts';
import { createCookieSealer } from '../../../src/gateway/sso/cookie-seal.ts';
import { codeChallengeOf, type PendingLogin } from '../../../src/gateway/sso/login-state.ts';
import { OidcClient } from '../../../src/gateway/sso/oidc-client.ts';
import type { BrowserLogin } from '../../../src/model/browser-login.ts';

const key = randomBytes(32);
const login: BrowserLogin = {
  name: 'web', targets: [], issuer: 'https://issuer.test', clientId: 'gateway-web', clientSecret: 'secret',
  scopes: ['openid', 'offline_access', 'orders:read'], resource: 'https://orders.test',
  callbackPath: '/_gatehouse/callback', logoutPath: '/_gatehouse/logout', postLogoutPath: '/',
  cookie: { keys: [key], secure: 'auto' }, sessionLifetimeSeconds: 3600, timeoutMs: 1000,
  source: { file: 'test.yaml', documentIndex: 0, kind: 'BrowserLogin', name: 'web' },
};
const keySet = new KeySet({
  source: { kind: 'inline', jwks: '{"keys":[]}' },
  refresh: { minSeconds: 30, maxSeconds: 3600, unknownKidCooldownSeconds: 30 },
  label: login.issuer, fetch: globalThis.fetch, logger: pino({ level: 'silent' }),
});
const client = new OidcClient(login, keySet, { algorithms: ['ES256'], clockSkewSeconds: 60 });
client.metadata = { authorizationEndpoint: 'https://issuer.test/auth?tenant=a', tokenEndpoint: 'https://issuer.test/token' };
const runtime = new BrowserLoginRuntime(login, client, createCookieSealer([key]), pino({ level: 'silent' }));

const server = createServer((req, res) => {
  if (req.headers['x-fresh-session'] !== undefined) runtime.markFresh(req);
  const status = runtime.answerUnauthenticated({ req, res, secure: false, host: '127.0.0.1' } as never, { code: 'jwt_audience_mismatch' });
  if (status === undefined) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="gatehouse"' });
    res.end();
  }
});
let origin = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const NAVIGATION = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html' };

function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/`, { path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function pendingOf(setCookies: string[] | undefined): Promise<PendingLogin[]> {
  const line = (setCookies ?? []).find((cookie) => cookie.startsWith('gatehouse_session-login='));
  assert.ok(line, 'state cookie set');
  assert.match(line, /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
  const sealed = line.slice('gatehouse_session-login='.length, line.indexOf(';'));
  return (await createCookieSealer([key]).unseal<{ pending: PendingLogin[] }>('login-state', sealed, Math.floor(Date.now() / 1000))).pending;
}

test('a navigation is sent to the authorization endpoint with state, nonce, PKCE S256 and the resource', async () => {
  const response = await get('/orders/42?view=full', NAVIGATION);
  assert.equal(response.status, 302);
  assert.equal(response.headers['cache-control'], 'no-store');
  const location = new URL(response.headers.location ?? '');
  assert.equal(`${location.origin}${location.pathname}`, 'https://issuer.test/auth');
  const query = Object.fromEntries(location.searchParams);
  const [pending] = await pendingOf(response.headers['set-cookie']);
  assert.deepEqual(query, {
    tenant: 'a',
    response_type: 'code',
    client_id: 'gateway-web',
    redirect_uri: `${origin}/_gatehouse/callback`,
    scope: 'openid offline_access orders:read',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: codeChallengeOf(pending.verifier),
    code_challenge_method: 'S256',
    resource: 'https://orders.test',
    prompt: 'consent',
  });
  assert.equal(pending.returnPath, '/orders/42?view=full');
  assert.doesNotMatch(location.href, new RegExp(pending.verifier), 'the verifier stays with the gateway');
});

test('a refused session cookie is deleted on the way to login; pending logins of other tabs are kept', async () => {
  const first = await get('/a', NAVIGATION);
  const stateCookie = (first.headers['set-cookie'] ?? [])[0].split(';')[0];
  const second = await get('/b', { ...NAVIGATION, cookie: `${stateCookie}; gatehouse_session=garbage` });
  assert.ok(second.headers['set-cookie']?.includes('gatehouse_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0'));
  assert.deepEqual((await pendingOf(second.headers['set-cookie'])).map((login) => login.returnPath), ['/a', '/b']);
});

test('a path that looks like another origin is not kept as the return path', async () => {
  for (const path of ['//evil.example/x', '/\\evil.example/x']) {
    const response = await get(path, NAVIGATION);
    assert.equal(response.status, 302);
    assert.equal((await pendingOf(response.headers['set-cookie']))[0].returnPath, '/', path);
  }
});

test('scripts and API clients get the 401, not a redirect', async () => {
  const clients: Record<string, string>[] = [{ 'sec-fetch-mode': 'cors', accept: 'text/html' }, { accept: 'application/json' }];
  for (const headers of clients) {
    const response = await get('/orders/1', headers);
    assert.equal(response.status, 401);
    assert.equal(response.headers.location, undefined);
    assert.equal(response.headers['set-cookie'], undefined);
  }
});

test('a session refused right after its login shows a page instead of looping through the issuer', async () => {
  const response = await get('/orders/1', { ...NAVIGATION, 'x-fresh-session': '1' });
  assert.equal(response.status, 401);
  assert.equal(response.headers.location, undefined);
  assert.match(response.body, /Signed in, but access was refused/);
  assert.match(response.body, /jwt_audience_mismatch/);
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
});

test('without the issuer metadata the browser sees a 503 page', async () => {
  const metadata = client.metadata;
  client.metadata = undefined;
  try {
    const response = await get('/orders/1', NAVIGATION);
    assert.equal(response.status, 503);
    assert.match(response.body, /Sign-in unavailable/);
  } finally {
    client.metadata = metadata;
  }
});
