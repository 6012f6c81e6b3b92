// Attacks on the identity service's browser side, over real sockets, one table row per attack:
// login CSRF, user enumeration (also on lockout), password spraying from one address, header
// injection, open redirect after logout, session-cookie tampering and clickjacking of every page.
// The service trusts 127.0.0.1 as a proxy, so each row speaks from its own X-Forwarded-For
// address and lockouts of one row never leak into another.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { createAccounts } from '../../src/identity/accounts.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { authorize, CookieJar, openLoginPage, pkcePair, send } from './authorize-by-hand.ts';
import { basic, ORDERS, PASSWORD, REDIRECT_URI, reservePort, testConfig } from './oidc-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const LOGOUT_TARGET = 'http://127.0.0.1:1/signed-out';
let dir = '';
let identity: IdentityService;
let base = '';
let addressCounter = 10;

/** A fresh client address for a row (TEST-NET-3, RFC 5737). */
function freshAddress(): string {
  addressCounter += 1;
  return `203.0.113.${addressCounter}`;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-login-attacks-'));
  const config = testConfig(await reservePort(), { driver: 'sqlite', path: join(dir, 'identity.db') }, join(dir, 'identity.yaml'));
  identity = await startIdentityService({
    ...config,
    trustedProxies: ['127.0.0.1'],
    lockout: { maxFailures: 3, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600, perIpMaxFailures: 5 },
    clients: [
      ...config.clients,
      {
        clientId: 'third-party', clientSecret: 'third-party-secret-0123', name: 'Third party', public: false, trusted: false,
        redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [LOGOUT_TARGET], grantTypes: ['authorization_code'],
        scopes: ['openid', 'orders:read'], resources: [ORDERS],
      },
    ],
  });
  base = identity.url;
  const accounts = createAccounts({ store: identity.store, throttle: createLoginThrottle(identity.store.throttle, config.lockout) });
  for (const username of ['alice', 'bob', 'carol', 'dave']) {
    await accounts.addUser({ username, password: PASSWORD, roles: ['user'], groups: [] });
  }
});

after(async () => {
  await identity?.close();
  await rm(dir, { recursive: true, force: true });
});

const WEB_LOGIN = { clientId: 'web', scope: 'openid orders:read', resource: ORDERS, codeChallenge: pkcePair().challenge, codeChallengeMethod: 'S256' };

interface Posted {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

async function postLogin(jar: CookieJar, uid: string, fields: Record<string, string>, headers: Record<string, string> = {}, raw?: string): Promise<Posted> {
  const response = await send(jar, `${base}/interaction/${uid}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: raw ?? new URLSearchParams(fields),
  });
  return { status: response.status, location: response.headers.get('location'), body: await response.text(), headers: response.headers };
}

/** A login page with the row's own uid and token blanked: what is left must be identical. */
function normalized(body: string, uid: string, csrf: string): string {
  return body.replaceAll(uid, 'UID').replaceAll(csrf, 'CSRF');
}

describe('login CSRF', () => {
  const rows: Array<{ attack: string; post: (own: { uid: string; csrf: string; jar: CookieJar }, other: { uid: string; csrf: string; jar: CookieJar }) => Promise<Posted>; status: number; text: RegExp }> = [
    { attack: 'no CSRF token', post: (own) => postLogin(own.jar, own.uid, { username: 'alice', password: PASSWORD }), status: 403, text: /could not be verified/ },
    { attack: 'an empty CSRF token', post: (own) => postLogin(own.jar, own.uid, { csrf: '', username: 'alice', password: PASSWORD }), status: 403, text: /could not be verified/ },
    { attack: "the token of another interaction (the attacker's own)", post: (own, other) => postLogin(own.jar, own.uid, { csrf: other.csrf, username: 'alice', password: PASSWORD }), status: 403, text: /could not be verified/ },
    { attack: "the attacker's interaction posted into the victim's browser", post: (own, other) => postLogin(own.jar, other.uid, { csrf: other.csrf, username: 'alice', password: PASSWORD }), status: 400, text: /another sign-in attempt/ },
    { attack: 'the right token, sent cross-site (Sec-Fetch-Site)', post: (own) => postLogin(own.jar, own.uid, { csrf: own.csrf, username: 'alice', password: PASSWORD }, { 'sec-fetch-site': 'cross-site' }), status: 403, text: /could not be verified/ },
    { attack: 'two CSRF fields (one forged)', post: (own) => postLogin(own.jar, own.uid, {}, {}, `csrf=forged&csrf=${encodeURIComponent(own.csrf)}&username=alice&password=${PASSWORD}`), status: 400, text: /could not be read/ },
    { attack: 'a JSON body instead of the form', post: (own) => postLogin(own.jar, own.uid, {}, { 'content-type': 'application/json' }, JSON.stringify({ csrf: own.csrf, username: 'alice', password: PASSWORD })), status: 415, text: /not sent as a web form/ },
  ];
  for (const row of rows) {
    it(`${row.attack}: ${row.status}, nobody signed in`, async () => {
      const own = await openLoginPage(base, WEB_LOGIN);
      const other = await openLoginPage(base, WEB_LOGIN);
      const answer = await row.post(own, other);
      assert.equal(answer.status, row.status, answer.body);
      assert.equal(answer.location, null, 'no redirect onwards');
      assert.match(answer.body, row.text);
      // The interaction is untouched: the honest form still signs in.
      const honest = await postLogin(own.jar, own.uid, { csrf: own.csrf, username: 'alice', password: PASSWORD }, { 'x-forwarded-for': freshAddress() });
      assert.equal(honest.status, 303, honest.body);
    });
  }
});

describe('user enumeration', () => {
  it('the login page answers an unknown user exactly as a wrong password', async () => {
    const address = freshAddress();
    const pages: string[] = [];
    for (const username of ['bob', 'nobody-here']) {
      const page = await openLoginPage(base, WEB_LOGIN);
      const answer = await postLogin(page.jar, page.uid, { csrf: page.csrf, username, password: 'wrong-password-1' }, { 'x-forwarded-for': address });
      assert.equal(answer.status, 200);
      pages.push(normalized(answer.body, page.uid, page.csrf).replace(username, 'USER'));
    }
    assert.equal(pages[0], pages[1]);
  });

  it('HTTP Basic on the account API: the same 401 for an unknown user and a wrong password', async () => {
    const answers = await Promise.all(['carol', 'nobody-here'].map(async (username) => {
      const response = await fetch(`${base}/api/tokens`, { headers: { authorization: basic(username, 'wrong-password-1'), 'x-forwarded-for': freshAddress() } });
      return { status: response.status, body: await response.text(), challenge: response.headers.get('www-authenticate') };
    }));
    assert.equal(answers[0].status, 401);
    assert.deepEqual(answers[0], answers[1]);
  });

  it('a locked account reads the same as a locked unknown name, even with the right password', async () => {
    const seen: Array<{ status: number; body: string; retryAfter: string | null }> = [];
    for (const [username, password] of [['dave', PASSWORD], ['ghost-user', PASSWORD]]) {
      const page = await openLoginPage(base, WEB_LOGIN);
      for (let attempt = 0; attempt < 3; attempt++) {
        await postLogin(page.jar, page.uid, { csrf: page.csrf, username, password: 'wrong-password-1' }, { 'x-forwarded-for': freshAddress() });
      }
      const locked = await postLogin(page.jar, page.uid, { csrf: page.csrf, username, password }, { 'x-forwarded-for': freshAddress() });
      seen.push({ status: locked.status, body: normalized(locked.body, page.uid, page.csrf).replace(username, 'USER'), retryAfter: locked.headers.get('retry-after') });
    }
    assert.equal(seen[0].status, 429);
    assert.match(seen[0].body, /Too many attempts/);
    assert.deepEqual({ ...seen[0], retryAfter: undefined }, { ...seen[1], retryAfter: undefined });
    // Retry-After counts down in whole seconds from each lockout: the two were made a moment
    // apart, so they may straddle a second boundary, never more.
    const [first, second] = seen.map((answer) => Number(answer.retryAfter));
    assert.ok(first > 0 && second > 0, `Retry-After ${first} / ${second}`);
    assert.ok(Math.abs(first - second) <= 1, `Retry-After ${first} vs ${second}`);
  });
});

describe('password spraying', () => {
  it('one address trying one password on many accounts is locked out, even for a right password', async () => {
    const sprayer = freshAddress();
    for (const username of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      const response = await fetch(`${base}/api/tokens`, { headers: { authorization: basic(username, 'Summer2026!'), 'x-forwarded-for': sprayer } });
      assert.equal(response.status, 401, username);
    }
    const rows = [
      { attack: 'the right password of a real user, from the sprayer', forwardedFor: sprayer, status: 429 },
      { attack: 'the sprayer forging a left-most X-Forwarded-For hop', forwardedFor: `198.51.100.7, ${sprayer}`, status: 429 },
      { attack: 'the same user from another address (the account itself is not locked)', forwardedFor: freshAddress(), status: 200 },
    ];
    for (const row of rows) {
      const response = await fetch(`${base}/api/tokens`, { headers: { authorization: basic('alice', PASSWORD), 'x-forwarded-for': row.forwardedFor } });
      assert.equal(response.status, row.status, row.attack);
      if (row.status === 429) assert.ok(Number(response.headers.get('retry-after')) > 0, row.attack);
      await response.arrayBuffer();
    }
  });
});

describe('header injection', () => {
  const injected = ['alice\r\nSet-Cookie: injected=1', 'alice\nLocation: https://evil.example/', '"><script>alert(1)</script>'];
  for (const username of injected) {
    it(`a username of ${JSON.stringify(username)} on the login form: an ordinary failure, nothing injected`, async () => {
      const page = await openLoginPage(base, WEB_LOGIN);
      const answer = await postLogin(page.jar, page.uid, { csrf: page.csrf, username, password: 'wrong-password-1' }, { 'x-forwarded-for': freshAddress() });
      assert.equal(answer.status, 200);
      assert.equal(answer.location, null);
      assert.ok(!answer.headers.getSetCookie().some((line) => line.startsWith('injected=')));
      assert.match(answer.body, /Incorrect username or password/);
      assert.ok(!answer.body.includes('<script>'), 'the echoed username is escaped');
    });
  }

  it('CR/LF in login_hint is never echoed raw', async () => {
    const url = new URL('/auth', base);
    url.search = new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: pkcePair().challenge, code_challenge_method: 'S256', login_hint: 'x"><script>alert(1)</script>\r\nX-Injected: 1' }).toString();
    const jar = new CookieJar();
    const first = await send(jar, url.href);
    const login = await send(jar, new URL(first.headers.get('location') ?? '', base).href);
    assert.equal(login.headers.get('x-injected'), null);
    assert.ok(!(await login.text()).includes('<script>'));
  });

  it('CR/LF in HTTP Basic credentials: 401, not a crash', async () => {
    const raw = `Basic ${Buffer.from('alice\r\nX-Injected: 1:pw').toString('base64')}`;
    const response = await fetch(`${base}/api/tokens`, { headers: { authorization: raw, 'x-forwarded-for': freshAddress() } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('x-injected'), null);
  });
});

describe('open redirect after logout (RP-Initiated Logout §2)', () => {
  const rows = [
    { attack: 'a post_logout_redirect_uri nobody registered', uri: 'https://evil.example/' },
    { attack: 'a registered URI with a path appended', uri: `${LOGOUT_TARGET}/../../evil` },
    { attack: 'a registered URI with a query appended', uri: `${LOGOUT_TARGET}?next=https://evil.example/` },
    { attack: 'the registered URI of another client', uri: REDIRECT_URI },
  ];
  for (const row of rows) {
    it(`${row.attack}: an error page, no redirect`, async () => {
      const url = new URL('/session/end', base);
      url.search = new URLSearchParams({ client_id: 'third-party', post_logout_redirect_uri: row.uri }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 400, row.attack);
      assert.equal(response.headers.get('location'), null);
      assert.match(await response.text(), /post_logout_redirect_uri/);
    });
  }

  it('control: the registered URI is accepted (the confirmation page)', async () => {
    const url = new URL('/session/end', base);
    url.search = new URLSearchParams({ client_id: 'third-party', post_logout_redirect_uri: LOGOUT_TARGET }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  });
});

describe('session cookie tampering', () => {
  it('a tampered _session cookie (value or signature) is a stranger: prompt=none answers login_required', async () => {
    const signedIn = await authorize(base, { ...WEB_LOGIN, password: PASSWORD });
    assert.equal(signedIn.kind, 'redirect');
    const cookies = signedIn.jar.cookies;
    const session = cookies.get('_session');
    assert.ok(session, `no _session cookie: ${[...cookies.keys()].join(', ')}`);
    const flip = (value: string) => value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
    const rows: Array<{ attack: string; cookie: Record<string, string>; error?: string }> = [
      { attack: 'control: the untouched cookies', cookie: {} },
      { attack: 'the session id altered', cookie: { _session: flip(session) }, error: 'login_required' },
      { attack: 'the signature altered', cookie: { '_session.sig': flip(cookies.get('_session.sig') ?? 'x') }, error: 'login_required' },
      { attack: 'the signature removed', cookie: { '_session.sig': '' }, error: 'login_required' },
      { attack: "another browser's session id without its signature", cookie: { _session: 'attacker-chosen-session-id' }, error: 'login_required' },
    ];
    for (const row of rows) {
      const jar = new CookieJar();
      for (const [name, value] of cookies) jar.cookies.set(name, value);
      for (const [name, value] of Object.entries(row.cookie)) {
        if (value === '') jar.cookies.delete(name);
        else jar.cookies.set(name, value);
      }
      const outcome = await authorize(base, { ...WEB_LOGIN, prompt: 'none' }, jar);
      assert.equal(outcome.kind, 'redirect', row.attack);
      assert.ok(outcome.kind === 'redirect');
      assert.equal(outcome.error, row.error, `${row.attack}: ${outcome.url.search}`);
      assert.equal(outcome.code === undefined, row.error !== undefined, row.attack);
    }
  });
});

describe('clickjacking: every HTML page forbids framing', () => {
  async function pages(): Promise<Array<{ page: string; url: string; jar?: CookieJar; status: number }>> {
    const login = await openLoginPage(base, WEB_LOGIN);
    const signedIn = await authorize(base, { ...WEB_LOGIN, password: PASSWORD });
    const formPost = new URL('/auth', base);
    formPost.search = new URLSearchParams({
      client_id: 'web', response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', response_mode: 'form_post', prompt: 'none',
      code_challenge: pkcePair().challenge, code_challenge_method: 'S256',
    }).toString();
    return [
      { page: 'login', url: `${base}/interaction/${login.uid}`, jar: login.jar, status: 200 },
      { page: 'interaction not found', url: `${base}/interaction/no-such-uid`, status: 400 },
      { page: 'unknown path under /interaction', url: `${base}/interaction/a/b/c`, status: 404 },
      { page: 'authorization error (unknown client)', url: `${base}/auth?client_id=nobody&response_type=code&scope=openid`, status: 400 },
      { page: 'logout confirmation (signed in)', url: `${base}/session/end`, jar: signedIn.jar, status: 200 },
      { page: "oidc-provider's auto-submitting logout (no session)", url: `${base}/session/end`, status: 200 },
      { page: "oidc-provider's form_post response", url: formPost.href, jar: signedIn.jar, status: 200 },
      { page: 'signed out', url: `${base}/session/end/success`, status: 200 },
    ];
  }

  it('sends frame-ancestors \'none\' and X-Frame-Options: DENY on each', async () => {
    for (const row of await pages()) {
      const response = await send(row.jar ?? new CookieJar(), row.url);
      assert.equal(response.status, row.status, row.page);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/, row.page);
      assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, row.page);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', row.page);
      await response.arrayBuffer();
    }
  });

  it('the consent page of a third-party client forbids framing', async () => {
    const login = await openLoginPage(base, { clientId: 'third-party', scope: 'openid orders:read', resource: ORDERS, codeChallenge: pkcePair().challenge, codeChallengeMethod: 'S256' });
    const posted = await postLogin(login.jar, login.uid, { csrf: login.csrf, username: 'bob', password: PASSWORD }, { 'x-forwarded-for': freshAddress() });
    assert.equal(posted.status, 303, posted.body);
    let location = posted.location ?? '';
    let response = await send(login.jar, new URL(location, base).href);
    while (response.status >= 300 && response.status < 400) {
      location = response.headers.get('location') ?? '';
      response = await send(login.jar, new URL(location, base).href);
    }
    const body = await response.text();
    assert.match(body, /name="decision"/, 'the consent page');
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
  });

  it('Chromium refuses to show the login page inside another site\'s frame', { skip: existsSync(CHROMIUM) ? false : 'Chromium is not installed' }, async () => {
    const login = await openLoginPage(base, WEB_LOGIN);
    const target = `${base}/interaction/${login.uid}`;
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe id="victim" src="${target}"></iframe>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      // Chromium replaces a frame whose response forbids framing with its error page.
      const refused = page.waitForEvent('framenavigated', { predicate: (frame) => frame !== page.mainFrame() && frame.url() === 'chrome-error://chromewebdata/', timeout: 10_000 });
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const frame = await refused;
      assert.equal(await frame.locator('#password').count(), 0, 'no login form inside the frame');
    } finally {
      await browser.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  });
});
