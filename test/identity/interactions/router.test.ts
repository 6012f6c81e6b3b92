// The interaction routes against a real oidc-provider: login, consent, abort, CSRF, lockout,
// trusted clients, and the provider's own pages through our hooks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PAGE_CSP } from '../../../src/identity/interactions/security-headers.ts';
import { authorizeUrl, CookieClient, csrfFrom, REDIRECT_URI, startHarness, type Harness, type Reply } from './interaction-harness.ts';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

/** Starts an authorization request and returns the client sitting on the login page. */
async function atLogin(clientId: string, extra: Record<string, string> = {}): Promise<{ browser: CookieClient; uid: string; page: Reply }> {
  const browser = new CookieClient(harness.url);
  const start = await browser.request(authorizeUrl(clientId, extra));
  assert.equal(start.status, 303);
  const uid = /\/interaction\/([^/?]+)$/.exec(start.location ?? '')?.[1];
  assert.ok(uid, `redirected to the interaction page, got ${start.location}`);
  const page = await browser.request(start.location!);
  return { browser, uid, page };
}

/** Follows redirects on the provider's origin; stops at the first one leaving it. */
async function follow(browser: CookieClient, reply: Reply): Promise<Reply> {
  let current = reply;
  while (current.location?.startsWith(harness.url)) current = await browser.request(current.location);
  return current;
}

function assertPageHeaders(reply: Reply): void {
  assert.equal(reply.headers.get('content-security-policy'), PAGE_CSP);
  assert.equal(reply.headers.get('x-frame-options'), 'DENY');
  assert.equal(reply.headers.get('cache-control'), 'no-store');
  assert.doesNotMatch(reply.body, /<script|style=/i);
}

describe('interaction routes', () => {
  it('shows the login page with security headers and a CSRF field', async () => {
    const { page } = await atLogin('shop', { login_hint: 'al"ice' });
    assert.equal(page.status, 200);
    assertPageHeaders(page);
    assert.match(page.body, /<label for="username">Username<\/label>/);
    assert.match(page.body, /value="al&quot;ice"/, 'login_hint prefilled, escaped');
    assert.match(page.body, /Shop &lt;b&gt;&amp;&lt;\/b&gt; &quot;Co&quot;/, 'client name escaped');
    assert.ok(csrfFrom(page.body).length > 20);
  });

  it('refuses a login POST without, with a wrong, or with a cross-site CSRF token, and logs nobody in', async () => {
    const { browser, uid, page } = await atLogin('shop');
    const cases: Array<{ form: Record<string, string>; headers?: Record<string, string>; code: string }> = [
      { form: { username: 'alice', password: 'alice-password' }, code: 'csrf_invalid' },
      { form: { username: 'alice', password: 'alice-password', csrf: 'A'.repeat(43) }, code: 'csrf_invalid' },
      { form: { username: 'alice', password: 'alice-password', csrf: csrfFrom(page.body) }, headers: { 'sec-fetch-site': 'cross-site' }, code: 'cross_site_request' },
    ];
    for (const { form, headers, code } of cases) {
      const reply = await browser.request(`/interaction/${uid}/login`, { form, headers });
      assert.equal(reply.status, 403, code);
      assert.match(reply.body, new RegExp(code));
      assertPageHeaders(reply);
    }
    // The interaction is still at the login prompt: nothing was accepted.
    const again = await browser.request(`/interaction/${uid}`);
    assert.match(again.body, /Sign in/);
  });

  it('says only "incorrect username or password" for a wrong password or an unknown user', async () => {
    const { browser, uid, page } = await atLogin('shop');
    const csrf = csrfFrom(page.body);
    for (const [username, password] of [['alice', 'wrong-password'], ['nobody', 'alice-password']]) {
      const reply = await browser.request(`/interaction/${uid}/login`, { form: { username, password, csrf } });
      assert.equal(reply.status, 200);
      assert.match(reply.body, /role="alert"/);
      assert.match(reply.body, /Incorrect username or password\./);
      assert.match(reply.body, /aria-invalid="true"/);
    }
  });

  it('logs in, asks consent with the resource scope text, and returns a code on Allow', async () => {
    const { browser, uid, page } = await atLogin('shop');
    const login = await browser.request(`/interaction/${uid}/login`, { form: { username: 'alice', password: 'alice-password', csrf: csrfFrom(page.body) } });
    assert.equal(login.status, 303);
    const consent = await follow(browser, login);
    assert.equal(consent.status, 200);
    assertPageHeaders(consent);
    assert.match(consent.body, /wants to:/);
    assert.match(consent.body, /Read your orders <span class="resource">\(Order service\)<\/span>/);
    assert.match(consent.body, /See your name and username/);
    assert.match(consent.body, /Signed in as <strong>alice<\/strong>/);
    const consentUid = /action="\/interaction\/([^/]+)\/consent"/.exec(consent.body)?.[1];
    assert.ok(consentUid);
    const allowed = await browser.request(`/interaction/${consentUid}/consent`, { form: { csrf: csrfFrom(consent.body), decision: 'allow' } });
    const back = await follow(browser, allowed);
    assert.ok(back.location?.startsWith(REDIRECT_URI), back.location);
    const returned = new URL(back.location!);
    assert.ok(returned.searchParams.get('code'));
    assert.equal(returned.searchParams.get('state'), 'xyz');
  });

  it('sends access_denied to the client on Deny', async () => {
    const { browser, uid, page } = await atLogin('shop');
    const login = await browser.request(`/interaction/${uid}/login`, { form: { username: 'alice', password: 'alice-password', csrf: csrfFrom(page.body) } });
    const consent = await follow(browser, login);
    const consentUid = /action="\/interaction\/([^/]+)\/consent"/.exec(consent.body)?.[1];
    const denied = await browser.request(`/interaction/${consentUid}/abort`, { form: { csrf: csrfFrom(consent.body) } });
    const back = await follow(browser, denied);
    assert.equal(new URL(back.location!).searchParams.get('error'), 'access_denied');
  });

  it('skips consent for a trusted client even when the provider prompts for it', async () => {
    const { browser, uid, page } = await atLogin('portal');
    const login = await browser.request(`/interaction/${uid}/login`, { form: { username: 'alice', password: 'alice-password', csrf: csrfFrom(page.body) } });
    const back = await follow(browser, login);
    assert.ok(new URL(back.location!).searchParams.get('code'), back.location);
  });

  it('locks the account after repeated failures, even against the right password (429)', async () => {
    const { browser, uid, page } = await atLogin('shop');
    const csrf = csrfFrom(page.body);
    await harness.store.users.create(
      { id: 'u-locked', username: 'mallory', passwordHash: (await harness.store.users.findByUsername('alice'))!.passwordHash, name: undefined, email: undefined, roles: [], groups: [], disabled: false },
      Math.floor(Date.now() / 1000),
    );
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await browser.request(`/interaction/${uid}/login`, { form: { username: 'mallory', password: 'nope', csrf } });
    }
    const locked = await browser.request(`/interaction/${uid}/login`, { form: { username: 'mallory', password: 'alice-password', csrf } });
    assert.equal(locked.status, 429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter > 60 && retryAfter <= 120, `Retry-After ${retryAfter}: the 120 s lockout, minus any second that passed`);
    assert.match(locked.body, /Too many attempts\. Try again in 2 minutes\./);
    // A username that does not exist locks the same way: lockouts tell nothing about which names are real.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await browser.request(`/interaction/${uid}/login`, { form: { username: 'ghost', password: 'nope', csrf } });
    }
    const ghost = await browser.request(`/interaction/${uid}/login`, { form: { username: 'ghost', password: 'nope', csrf } });
    assert.equal(ghost.status, 429);
    assert.match(ghost.body, /Too many attempts\. Try again in 2 minutes\./);
  });

  it('answers an unknown or expired interaction with an error page, not a stack trace', async () => {
    const browser = new CookieClient(harness.url);
    const reply = await browser.request('/interaction/doesnotexist');
    assert.equal(reply.status, 400);
    assert.match(reply.body, /session_not_found/);
    assertPageHeaders(reply);
    assert.equal((await browser.request('/interaction/x/y/z')).status, 404);
    assert.equal((await browser.request('/interaction/abc/login')).status, 405);
  });

  it('renders the provider errors with our page and escaping', async () => {
    const browser = new CookieClient(harness.url);
    const reply = await browser.request('/auth?client_id=%3Cscript%3E&response_type=code');
    assert.equal(reply.status, 400);
    assertPageHeaders(reply);
    assert.match(reply.body, /invalid_client/);
  });

  it('serves the stylesheet', async () => {
    const browser = new CookieClient(harness.url);
    const css = await browser.request('/assets/gatehouse.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(css.body, /--gh-accent/);
    const cached = await browser.request('/assets/gatehouse.css', { headers: { 'if-none-match': css.headers.get('etag')! } });
    assert.equal(cached.status, 304);
  });
});
