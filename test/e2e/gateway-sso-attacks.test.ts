// Attacks on the gateway's browser login (BrowserLogin), end to end with the real identity
// service: open redirects through the return path (RFC 9700 §4.11), CR/LF in it (header
// injection), tampered and forged session cookies, cross-site logout, and framing of the pages
// the gateway renders. One table row per attack: what the attacker sends, what they must see.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCookieSealer } from '../../src/gateway/sso/cookie-seal.ts';
import { createAccounts } from '../../src/identity/accounts.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { ORDERS, reservePort, testConfig } from '../identity/oidc-fixture.ts';
import { browserLoginDocument, edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments, signedInOnlyPolicyDocument, opaqueSecretDocument } from '../support/gateway-documents.ts';
import { startEchoUpstream, startHarness, type EchoUpstream, type Harness } from './gateway-harness.ts';
import { rawRequest, signInUpToCallback, SsoCookieJar } from './support/sso-login.ts';

const PASSWORD = 'alice-password';
const CLIENT_SECRET = 'gateway-web-secret-0123456789';
const COOKIE_KEY = randomBytes(32);
const SESSION = 'gatehouse_session';
const LOGIN_STATE = 'gatehouse_session-login';
let dir = '';
let identity: IdentityService;
let echo: EchoUpstream;
let gateway: Harness;
let gatewayUrl = '';
let aliceId = '';

function configYaml(issuer: string): string {
  return yamlDocuments([
    ...edgeRoutingDocuments({ backends: { app: echo.url }, routes: [{ name: 'app', pathPrefix: '/', backend: 'app' }] }),
    requestAuthenticationDocument('identity', { issuer, audiences: [ORDERS], jwksUri: `${issuer}/jwks`, extra: ['outputClaimToHeaders: [{header: x-user-sub, claim: sub}]'] }),
    signedInOnlyPolicyDocument(),
    opaqueSecretDocument('gateway-web', 'clientSecret', CLIENT_SECRET),
    browserLoginDocument('web', {
      route: 'app', issuer, clientId: 'gateway-web', clientSecret: { name: 'gateway-web', key: 'clientSecret' },
      scopes: ['openid', 'orders:read'], resource: ORDERS, cookieKey: COOKIE_KEY.toString('base64'),
    }),
  ]);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-sso-attacks-'));
  const gatewayPort = await reservePort();
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const base = testConfig(await reservePort(), { driver: 'sqlite', path: join(dir, 'identity.db') }, join(dir, 'identity.yaml'));
  identity = await startIdentityService({
    ...base,
    clients: [...base.clients, {
      clientId: 'gateway-web', clientSecret: CLIENT_SECRET, name: 'Gateway web login', public: false, trusted: true,
      redirectUris: [`${gatewayUrl}/_gatehouse/callback`], postLogoutRedirectUris: [`${gatewayUrl}/`],
      grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'orders:read'], resources: [ORDERS],
    }],
  });
  const accounts = createAccounts({ store: identity.store, throttle: createLoginThrottle(identity.store.throttle, base.lockout) });
  aliceId = (await accounts.addUser({ username: 'alice', password: PASSWORD, roles: ['user'] })).id;
  echo = await startEchoUpstream('app');
  gateway = await startHarness({ configYaml: () => configYaml(base.issuer), gatewayOptions: { listenerOverrides: { port: gatewayPort, address: '127.0.0.1' } } });
});

after(async () => {
  await gateway?.close();
  await echo?.close();
  await identity?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Signs in from `target` and requests the callback: its answer and the cookies it left. */
async function signInFrom(target: string): Promise<{ status: number; location: string | undefined; jar: SsoCookieJar; raw: string[] }> {
  const jar = new SsoCookieJar();
  const callback = await signInUpToCallback(jar, gatewayUrl, identity.url, target, 'alice', PASSWORD);
  const answer = await rawRequest(gatewayUrl, `${callback.pathname}${callback.search}`, { cookie: jar.header(), accept: 'text/html' });
  const setCookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
  jar.storeLines(setCookies);
  const location = answer.headers.location === undefined ? undefined : String(answer.headers.location);
  return { status: answer.status, location, jar, raw: Object.keys(answer.headers) };
}

describe('open redirect through the return path', () => {
  const rows: Array<{ attack: string; target: string; location: string }> = [
    { attack: 'control: an ordinary path and query', target: '/orders/7?view=full', location: '/orders/7?view=full' },
    { attack: 'protocol-relative //host', target: '//evil.example/steal', location: '/' },
    { attack: 'protocol-relative after dot segments /.//host', target: '/.//evil.example/steal', location: '/' },
    { attack: 'absolute-form request target (proxy style)', target: 'http://evil.example/steal', location: '/steal' },
    { attack: 'absolute-form with userinfo', target: 'http://gatehouse@evil.example//evil.example/x', location: '/' },
  ];
  for (const row of rows) {
    it(`${row.attack}: back to ${row.location} on the gateway`, async () => {
      const answer = await signInFrom(row.target);
      assert.equal(answer.status, 302, row.attack);
      assert.equal(answer.location, row.location, row.attack);
      assert.ok(answer.jar.cookies.has(SESSION), 'signed in');
    });
  }

  // The normalize stage refuses these before any login starts: no state, no redirect at all.
  const refused = [
    { attack: 'backslash /\\host', target: '/\\evil.example/steal' },
    { attack: 'encoded slashes /%2F%2Fhost', target: '/%2F%2Fevil.example' },
    { attack: 'encoded backslash /%5Chost', target: '/%5Cevil.example' },
    { attack: 'encoded CR/LF (header injection)', target: '/orders%0d%0aSet-Cookie:%20injected=1' },
  ];
  for (const row of refused) {
    it(`${row.attack}: 400 path_invalid, no login started`, async () => {
      const answer = await rawRequest(gatewayUrl, row.target, { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' });
      assert.equal(answer.status, 400, row.attack);
      assert.equal(answer.headers.location, undefined);
      assert.equal(answer.headers['set-cookie'], undefined, 'no state cookie, no injected cookie');
      assert.match(answer.body, /path_invalid|Path is not allowed/);
    });
  }

  it('raw CR/LF or a tab in the request line never reaches a response header', async () => {
    // Written on a socket byte for byte: HTTP clients refuse to send such a request line at all.
    for (const target of ['/orders\r\nSet-Cookie: injected=1', '/orders\tx', '/orders\nLocation: //evil.example']) {
      const answer = await rawExchange(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nSec-Fetch-Mode: navigate\r\nConnection: close\r\n\r\n`);
      // The parser either refuses the line (400) or reads what follows the CR/LF as a request
      // header; either way it never becomes a response header, and any redirect is the login's.
      const lines = answer.split('\r\n\r\n')[0].split('\r\n');
      assert.match(lines[0], /^HTTP\/1\.1 (400|302) /, JSON.stringify(target));
      assert.ok(!lines.some((line) => /^set-cookie: injected/i.test(line)), JSON.stringify(target));
      const location = lines.find((line) => /^location:/i.test(line));
      if (location !== undefined) assert.ok(location.slice('location: '.length).startsWith(`${identity.url}/auth?`), location);
    }
  });
});

/** One request on a fresh socket, the whole answer as text. */
function rawExchange(text: string): Promise<string> {
  const { port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('session cookie tampering', () => {
  it('a tampered, swapped or forged session cookie gets 401 (API) and nothing reaches the upstream', async () => {
    const { jar } = await signInFrom('/orders/1');
    const session = jar.cookies.get(SESSION);
    assert.ok(session, 'signed in');
    const sealer = createCookieSealer([COOKIE_KEY]);
    const attackerSealer = createCookieSealer([randomBytes(32)]);
    const now = Math.floor(Date.now() / 1000);
    const real = await sealer.unseal<Record<string, unknown>>('session', session, now);
    const noneToken = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: identity.url, aud: ORDERS, sub: 'admin', exp: now + 300 })).toString('base64url')}.`;
    const flip = (value: string) => value.slice(0, -3) + (value.endsWith('AAA') ? 'BBB' : 'AAA');
    const rows: Array<{ attack: string; cookie: string; status: number }> = [
      { attack: 'control: the cookie as set', cookie: session, status: 200 },
      { attack: 'the ciphertext altered', cookie: flip(session), status: 401 },
      { attack: 'truncated', cookie: session.slice(0, Math.floor(session.length / 2)), status: 401 },
      { attack: 'the login-state cookie presented as the session', cookie: jar.cookies.get(LOGIN_STATE) ?? (await sealer.seal('login-state', { state: 'x' }, now + 300)), status: 401 },
      { attack: 'sealed by the attacker with their own key', cookie: await attackerSealer.seal('session', real, now + 3600), status: 401 },
      { attack: 'the right key (leaked), expired', cookie: await sealer.seal('session', real, now - 1), status: 401 },
      { attack: 'the right key (leaked), an alg:none access token inside', cookie: await sealer.seal('session', { ...real, at: noneToken, sub: 'admin', rt: undefined }, now + 3600), status: 401 },
      { attack: 'a JWS instead of a JWE', cookie: noneToken, status: 401 },
    ];
    for (const row of rows) {
      const seen = echo.received.length;
      const response = await fetch(`${gatewayUrl}/orders/2`, { headers: { cookie: `${SESSION}=${row.cookie}`, accept: 'application/json' }, redirect: 'manual' });
      assert.equal(response.status, row.status, row.attack);
      const body = (await response.json()) as { headers?: Record<string, string> };
      if (row.status === 200) assert.equal(body.headers?.['x-user-sub'], aliceId);
      else assert.equal(echo.received.length, seen, `${row.attack}: nothing reached the upstream`);
    }
  });

  it('a tampered session cookie on a navigation goes back to the login, never into the app', async () => {
    const response = await rawRequest(gatewayUrl, '/orders/3', { cookie: `${SESSION}=${'A'.repeat(200)}`, accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' });
    assert.equal(response.status, 302);
    assert.ok(String(response.headers.location).startsWith(`${identity.url}/auth?`), String(response.headers.location));
  });
});

describe('pages and logout', () => {
  it('a forged Host header cannot send the code elsewhere: the issuer refuses the unregistered redirect_uri', async () => {
    const start = await rawRequest(gatewayUrl, '/orders/1', { host: 'evil.example', accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' });
    assert.equal(start.status, 302);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.origin, identity.url, 'the login still goes to the configured issuer');
    const answer = await fetch(authorize, { redirect: 'manual' });
    assert.equal(answer.status, 400, `redirect_uri ${authorize.searchParams.get('redirect_uri')} was accepted`);
    assert.equal(answer.headers.get('location'), null);
    await answer.arrayBuffer();
  });

  it('a cross-site logout is refused (403), and the session survives', async () => {
    const { jar } = await signInFrom('/orders/1');
    const answer = await rawRequest(gatewayUrl, '/_gatehouse/logout', { cookie: jar.header(), accept: 'text/html', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' });
    assert.equal(answer.status, 403);
    assert.equal((answer.headers['set-cookie'] ?? []).length, 0, 'no cookie deleted');
    const still = await fetch(`${gatewayUrl}/orders/2`, { headers: { cookie: jar.header(), accept: 'application/json' } });
    assert.equal(still.status, 200);
  });

  it("every page the gateway renders forbids framing (frame-ancestors 'none', X-Frame-Options DENY)", async () => {
    const rows: Array<{ page: string; target: string; headers: Record<string, string>; status: number }> = [
      { page: 'callback without state', target: '/_gatehouse/callback?code=x&state=y', headers: {}, status: 400 },
      { page: 'callback with an error from the issuer', target: '/_gatehouse/callback?error=access_denied&state=y', headers: {}, status: 400 },
      { page: 'cross-site logout refused', target: '/_gatehouse/logout', headers: { 'sec-fetch-site': 'cross-site' }, status: 403 },
    ];
    for (const row of rows) {
      const answer = await rawRequest(gatewayUrl, row.target, { accept: 'text/html', ...row.headers });
      assert.equal(answer.status, row.status, row.page);
      assert.match(String(answer.headers['content-type']), /text\/html/, row.page);
      assert.match(String(answer.headers['content-security-policy']), /frame-ancestors 'none'/, row.page);
      assert.equal(answer.headers['x-frame-options'], 'DENY', row.page);
    }
  });
});
