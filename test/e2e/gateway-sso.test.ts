// Browser single sign-on through the gateway, end to end with real parts only: the identity
// service (oidc-provider, SQLite store in a temp dir), the gateway with a BrowserLogin, an echo
// upstream, and Chromium. A browser opening a protected URL signs in at the identity service
// and lands back on that URL with the upstream seeing the user's identity headers.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startGateway, type RunningGateway } from '../../src/gateway/start-gateway.ts';
import { createCookieSealer } from '../../src/gateway/sso/cookie-seal.ts';
import { createAccounts } from '../../src/identity/accounts.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { ORDERS, basic, postForm, reservePort, testConfig } from '../identity/oidc-fixture.ts';
import { rawGet, startEchoUpstream, type EchoUpstream } from './gateway-harness.ts';
import { browserLoginDocument, edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments, signedInOnlyPolicyDocument, opaqueSecretDocument } from '../support/gateway-documents.ts';
import { SsoCookieJar } from './support/sso-login.ts';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'alice-password';
const CLIENT_SECRET = 'gateway-web-secret-0123456789';
/** An API whose access tokens live 30 s: every request of a session refreshes (REFRESH_EARLY_SECONDS). */
const FAST = 'https://fast.gatehouse.test';
const COOKIE_KEY = randomBytes(32);

function gatewayConfig(issuer: string, jwksUri: string, upstream: string): string {
  const login = { issuer, clientId: 'gateway-web', clientSecret: { name: 'gateway-web', key: 'clientSecret' }, cookieKey: COOKIE_KEY.toString('base64') };
  return yamlDocuments([
    ...edgeRoutingDocuments({
      backends: { app: upstream },
      routes: [{ name: 'app', pathPrefix: '/', backend: 'app' }, { name: 'fast', pathPrefix: '/fast', backend: 'app' }],
    }),
    requestAuthenticationDocument('identity', {
      issuer, jwksUri, audiences: [ORDERS, FAST],
      extra: ['outputClaimToHeaders:', '- {header: x-user-sub, claim: sub}', '- {header: x-user-roles, claim: roles}'],
    }),
    signedInOnlyPolicyDocument(),
    opaqueSecretDocument('gateway-web', 'clientSecret', CLIENT_SECRET),
    browserLoginDocument('web', { ...login, route: 'app', scopes: ['openid', 'profile', 'roles', 'offline_access', 'orders:read'], resource: ORDERS }),
    browserLoginDocument('fast', {
      ...login, route: 'fast', scopes: ['openid', 'fast:read'], resource: FAST, cookieName: 'fast_session',
      extra: ['callbackPath: /_gatehouse/fast/callback', 'logoutPath: /_gatehouse/fast/logout'],
    }),
  ]);
}


/**
 * One character changed in the middle of a segment, where every bit is data: changing the last
 * characters of a base64url segment can touch only padding bits and decode to the same bytes.
 */
function tamper(value: string): string {
  let at = Math.floor(value.length / 2);
  while (value[at] === '.' || value[at + 1] === '.') at += 1;
  return `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
}
describe('browser SSO through the gateway (identity service + gateway + upstream + Chromium)', { skip: existsSync(CHROMIUM) ? false : 'Chromium is not installed' }, () => {
  let dir = '';
  let identity: IdentityService;
  let gateway: RunningGateway;
  let echo: EchoUpstream;
  let browser: Browser;
  let gatewayUrl = '';
  let aliceId = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-sso-'));
    const gatewayPort = await reservePort();
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const base = testConfig(await reservePort(), { driver: 'sqlite', path: join(dir, 'identity.db') }, join(dir, 'identity.yaml'));
    identity = await startIdentityService({
      ...base,
      resources: [...base.resources, { identifier: FAST, name: 'Fast', scopes: { 'fast:read': 'Read fast things' }, accessTokenSeconds: 30 }],
      clients: [
        ...base.clients,
        {
          clientId: 'gateway-web', clientSecret: CLIENT_SECRET, name: 'Gateway web login', public: false, trusted: true,
          redirectUris: [`${gatewayUrl}/_gatehouse/callback`, `${gatewayUrl}/_gatehouse/fast/callback`], postLogoutRedirectUris: [`${gatewayUrl}/`],
          grantTypes: ['authorization_code', 'refresh_token'],
          scopes: ['openid', 'profile', 'roles', 'offline_access', 'orders:read', 'fast:read'], resources: [ORDERS, FAST],
        },
      ],
    });
    const accounts = createAccounts({ store: identity.store, throttle: createLoginThrottle(identity.store.throttle, base.lockout) });
    aliceId = (await accounts.addUser({ username: 'alice', password: PASSWORD, roles: ['user'], groups: ['staff'] })).id;
    const discovery = (await (await fetch(`${base.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    echo = await startEchoUpstream('app');
    const configPath = join(dir, 'gateway.yaml');
    await writeFile(configPath, gatewayConfig(base.issuer, discovery.jwks_uri, echo.url));
    gateway = await startGateway({
      configPath,
      adminAddress: '127.0.0.1:0',
      logDestination: join(dir, 'gateway.log'),
      watch: false,
      listenerOverrides: { port: gatewayPort, address: '127.0.0.1' },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    await gateway?.close();
    await identity?.close();
    await echo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in at the identity service, comes back to the original URL, then stays signed in until logout', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const issuer = identity.url;

      // 1. A protected URL sends the browser to the identity service's login page.
      await page.goto(`${gatewayUrl}/orders/42?view=full`);
      assert.ok(page.url().startsWith(`${issuer}/interaction/`), `on the login page, not ${page.url()}`);
      await page.fill('#username', 'alice');
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(`${gatewayUrl}/orders/42?view=full`), page.click('button[type=submit].primary')]);

      // 2. Back on the original URL: the upstream answered with the user's identity.
      const first = JSON.parse((await page.textContent('body')) ?? '{}') as { url: string; headers: Record<string, string> };
      assert.equal(first.url, '/orders/42?view=full');
      assert.equal(first.headers['x-user-sub'], aliceId);
      assert.match(first.headers['x-user-roles'], /user/);
      assert.equal(first.headers.authorization, undefined, 'the token is not forwarded (forwardOriginalToken false)');
      assert.doesNotMatch(first.headers.cookie ?? '', /gatehouse/, 'the session cookie never reaches the upstream');
      const session = (await context.cookies(gatewayUrl)).find((cookie) => cookie.name === 'gatehouse_session');
      assert.ok(session, 'session cookie set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');

      // 3. A second navigation needs no login at all.
      const second = await page.goto(`${gatewayUrl}/orders/43`);
      assert.equal(second?.status(), 200);
      assert.equal(second?.request().redirectedFrom(), null, 'no redirect on the way');
      assert.equal((JSON.parse((await page.textContent('body')) ?? '{}') as { headers: Record<string, string> }).headers['x-user-sub'], aliceId);

      // 4. fetch() from the page without credentials gets a 401 it can act on, never a redirect.
      const api = await page.evaluate(async () => {
        const response = await fetch('/orders/44', { credentials: 'omit' });
        return { status: response.status, redirected: response.redirected, challenge: response.headers.get('www-authenticate') };
      });
      assert.deepEqual(api, { status: 401, redirected: false, challenge: 'Bearer realm="gatehouse"' });
      const withSession = await page.evaluate(async () => (await fetch('/orders/45')).status);
      assert.equal(withSession, 200, 'a same-origin fetch with the session cookie is authenticated');

      // 5. A tampered session cookie is refused: the browser goes through the login again.
      const tampered = tamper(session.value);
      await context.addCookies([{ ...session, value: tampered }]);
      const relogin = await page.goto(`${gatewayUrl}/orders/46`);
      assert.ok(redirectChain(relogin?.request()).some((url) => url.startsWith(`${issuer}/auth`)), 'went back through the authorization endpoint');
      assert.equal(page.url(), `${gatewayUrl}/orders/46`, 'the identity session signed the browser in again without a form');

      // 6. Logout ends both sessions: the protected URL asks for the password again.
      const sealer = createCookieSealer([COOKIE_KEY]);
      const lastSession = (await context.cookies(gatewayUrl)).find((cookie) => cookie.name === 'gatehouse_session');
      const { rt } = await sealer.unseal<{ rt: string }>('session', lastSession?.value ?? '', Math.floor(Date.now() / 1000));
      await page.goto(`${gatewayUrl}/_gatehouse/logout`);
      assert.ok(page.url().startsWith(issuer), `at the identity service's logout, not ${page.url()}`);
      // RFC 7009: the gateway revoked the session's refresh token before leaving for end_session.
      const reuse = await postForm(`${identity.url}/token`, { grant_type: 'refresh_token', refresh_token: rt }, basic('gateway-web', CLIENT_SECRET));
      assert.equal(reuse.status, 400, `the refresh token still works after logout (${String(reuse.body.error)})`);
      assert.equal(reuse.body.error, 'invalid_grant');
      await Promise.all([page.waitForURL((url) => url.href.startsWith(`${issuer}/interaction/`)), page.click('button[name=logout]')]);
      assert.equal((await context.cookies(gatewayUrl)).some((cookie) => cookie.name === 'gatehouse_session'), false);
      await page.goto(`${gatewayUrl}/orders/47`);
      assert.ok(page.url().startsWith(`${issuer}/interaction/`), 'login form again after logout');
      assert.equal(await page.locator('#password').count(), 1);
    } finally {
      await context.close();
    }
  });

  it('an API client with a bearer token uses the same route, and gets 401 (not a redirect) without one', async () => {
    const token = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', scope: 'orders:read', resource: ORDERS }, basic('m2m', 'm2m-secret-0123456789'));
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const withToken = await fetch(`${gatewayUrl}/orders/1`, { headers: { authorization: `Bearer ${String(token.body.access_token)}`, accept: 'application/json' } });
    assert.equal(withToken.status, 200);
    assert.equal(((await withToken.json()) as { headers: Record<string, string> }).headers['x-user-sub'], 'm2m');
    const withoutToken = await fetch(`${gatewayUrl}/orders/1`, { redirect: 'manual', headers: { accept: 'application/json' } });
    assert.equal(withoutToken.status, 401);
    assert.equal(withoutToken.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
  });

  it('the callback accepts only the state this browser was given, and never exchanges a code for another', async () => {
    const jar = new CookieJar();
    const { callback, stateCookie } = await loginOverHttp(jar, gatewayUrl, identity.url, '/orders/7');
    const state = callback.searchParams.get('state') ?? '';
    const wrongState = new URL(callback);
    wrongState.searchParams.set('state', randomBytes(32).toString('base64url'));
    const attempts: { name: string; url: string; cookie: string }[] = [
      { name: 'no state cookie', url: callback.href, cookie: '' },
      { name: 'forged state cookie', url: callback.href, cookie: `gatehouse_session-login=${tamper(stateCookie)}` },
      { name: 'another state', url: wrongState.href, cookie: `gatehouse_session-login=${stateCookie}` },
      { name: 'no state parameter', url: callback.href.replace(`state=${encodeURIComponent(state)}`, ''), cookie: `gatehouse_session-login=${stateCookie}` },
    ];
    for (const attempt of attempts) {
      const response = await fetch(attempt.url, { redirect: 'manual', headers: { cookie: attempt.cookie } });
      assert.equal(response.status, 400, attempt.name);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await response.text(), /Sign-in could not be completed/);
      assert.equal(response.headers.getSetCookie().some((line) => line.startsWith('gatehouse_session=')), false, `${attempt.name}: no session`);
    }
    // The code is still unused: none of the refused attempts reached the token endpoint.
    const accepted = await fetch(callback.href, { redirect: 'manual', headers: { cookie: `gatehouse_session-login=${stateCookie}` } });
    assert.equal(accepted.status, 302);
    assert.equal(accepted.headers.get('location'), '/orders/7');
    assert.ok(accepted.headers.getSetCookie().some((line) => /^gatehouse_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/.test(line)));
  });

  it('a login started from a path that looks like another origin returns to "/" (no open redirect)', async () => {
    for (const path of ['//evil.example/steal', '/\\evil.example/steal']) {
      const jar = new CookieJar();
      const { callback, stateCookie } = await loginOverHttp(jar, gatewayUrl, identity.url, path);
      const response = await fetch(callback.href, { redirect: 'manual', headers: { cookie: `gatehouse_session-login=${stateCookie}` } });
      assert.equal(response.status, 302, path);
      assert.equal(response.headers.get('location'), '/', path);
    }
  });

  it('refreshes an expiring access token once per refresh token, and sends the browser to login when the refresh fails', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${gatewayUrl}/fast/1`);
      await page.fill('#username', 'alice');
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL(`${gatewayUrl}/fast/1`), page.click('button[type=submit].primary')]);
      const first = await sessionCookie(context, 'fast_session');

      // Access tokens of FAST live 30 s, so this request refreshes: a new cookie, the same user.
      const second = await page.goto(`${gatewayUrl}/fast/2`);
      assert.equal(second?.status(), 200);
      assert.equal((JSON.parse((await page.textContent('body')) ?? '{}') as { headers: Record<string, string> }).headers['x-user-sub'], aliceId);
      const refreshed = await sessionCookie(context, 'fast_session');
      assert.notEqual(refreshed.value, first.value);
      const sealer = createCookieSealer([COOKIE_KEY]);
      const now = Math.floor(Date.now() / 1000);
      const before = await sealer.unseal<{ rt: string; at: string }>('session', first.value, now);
      const after = await sealer.unseal<{ rt: string; at: string }>('session', refreshed.value, now);
      assert.notEqual(after.at, before.at, 'a new access token');
      assert.notEqual(after.rt, before.rt, 'the refresh token was rotated');

      // Concurrent requests with one cookie refresh once: the rotated refresh token is never
      // replayed (a replay would revoke the grant, and the next request would need a login).
      const statuses = await page.evaluate(async () => Promise.all([1, 2, 3, 4, 5].map(async (n) => (await fetch(`/fast/c${n}`)).status)));
      assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
      const afterBurst = await page.goto(`${gatewayUrl}/fast/3`);
      assert.equal(afterBurst?.status(), 200);
      assert.equal(afterBurst?.request().redirectedFrom(), null, 'still signed in: the grant was not revoked');

      // Revoke the session's refresh token at the issuer: the next API call gets 401 and the
      // cookie is deleted; the next navigation goes through the login again.
      const current = await sealer.unseal<{ rt: string }>('session', (await sessionCookie(context, 'fast_session')).value, Math.floor(Date.now() / 1000));
      const revoked = await postForm(`${identity.url}/token/revocation`, { token: current.rt, token_type_hint: 'refresh_token' }, basic('gateway-web', CLIENT_SECRET));
      assert.equal(revoked.status, 200);
      const api = await page.evaluate(async () => {
        const response = await fetch('/fast/4');
        return { status: response.status, redirected: response.redirected };
      });
      assert.deepEqual(api, { status: 401, redirected: false });
      assert.equal((await context.cookies(gatewayUrl)).some((cookie) => cookie.name === 'fast_session'), false, 'session cookie deleted');
      const relogin = await page.goto(`${gatewayUrl}/fast/5`);
      assert.ok(redirectChain(relogin?.request()).some((url) => url.startsWith(`${identity.url}/auth`)));
      assert.equal(page.url(), `${gatewayUrl}/fast/5`);
    } finally {
      await context.close();
    }
  });
});

function redirectChain(request: import('playwright-core').Request | null | undefined): string[] {
  const urls: string[] = [];
  for (let current = request ?? null; current !== null; current = current.redirectedFrom()) urls.push(current.url());
  return urls;
}

async function sessionCookie(context: import('playwright-core').BrowserContext, name: string): Promise<import('playwright-core').Cookie> {
  const cookie = (await context.cookies()).find((candidate) => candidate.name === name);
  assert.ok(cookie, `cookie ${name} is set`);
  return cookie;
}

/** The shared jar (both servers on 127.0.0.1: browsers share cookies across ports), fed from fetch answers. */
class CookieJar extends SsoCookieJar {
  store(response: Response): void {
    this.storeLines(response.headers.getSetCookie());
  }
}

/**
 * A navigation to `path` followed by hand up to the gateway's callback: the login and consent
 * forms of the identity service are posted like a browser would. Returns the callback URL
 * (not yet requested) and the sealed state cookie the gateway set.
 */
async function loginOverHttp(jar: CookieJar, gatewayUrl: string, issuer: string, path: string): Promise<{ callback: URL; stateCookie: string }> {
  let url = `${gatewayUrl}${path}`;
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(`${gatewayUrl}/_gatehouse/callback`)) {
      const stateCookie = jar.cookies.get('gatehouse_session-login');
      assert.ok(stateCookie, 'the gateway set its state cookie');
      return { callback: new URL(url), stateCookie };
    }
    // node:http, not fetch: fetch sends Sec-Fetch-Mode: cors, and only navigations are sent to login.
    const target = new URL(url);
    const response = await rawGet(target.origin, `${target.pathname}${target.search}`, {
      cookie: jar.header(), accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document',
    });
    jar.storeLines(([] as string[]).concat(response.headers['set-cookie'] ?? []));
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.location ?? '', url).href;
      continue;
    }
    const page = response.body;
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(response.status === 200 && url.startsWith(`${issuer}/interaction/`) && csrf, `unexpected ${response.status} at ${url}`);
    const isLogin = page.includes('name="password"');
    const form = new URLSearchParams({ csrf });
    if (isLogin) {
      form.set('username', 'alice');
      form.set('password', PASSWORD);
    } else form.set('decision', 'allow');
    const posted = await fetch(`${new URL(url).origin}${new URL(url).pathname}/${isLogin ? 'login' : 'consent'}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', origin: issuer },
      body: form,
    });
    jar.store(posted);
    url = new URL(posted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the login did not come back to the gateway callback');
}
