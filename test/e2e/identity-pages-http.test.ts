// The sign-in pages of the real identity service over HTTP: CSRF refusals that log nobody in,
// security headers, and the cookie flags (Secure only off on a loopback http issuer).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CookieClient, type Reply } from '../identity/interactions/cookie-client.ts';
import { authorizationUrl, createPkce, startPagesService, type PagesService } from './support/identity-pages-service.ts';

function csrfFrom(page: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page);
  assert.ok(match, 'the page has a csrf field');
  return match[1];
}

/** GET /auth → the login page; returns the browser (cookies), the interaction uid and the page. */
async function openLogin(pages: PagesService, clientId = 'petshop'): Promise<{ browser: CookieClient; uid: string; start: Reply; page: Reply }> {
  const browser = new CookieClient(pages.service.url);
  const start = await browser.request(authorizationUrl(pages, clientId, createPkce()).replace(pages.issuer, pages.service.url));
  assert.equal(start.status, 303, start.body);
  const uid = /\/interaction\/([^/?]+)$/.exec(new URL(start.location!).pathname)?.[1];
  assert.ok(uid);
  const page = await browser.request(`/interaction/${uid}`);
  assert.equal(page.status, 200);
  return { browser, uid, start, page };
}

function cookieLine(reply: Reply, name: string): string {
  const line = reply.headers.getSetCookie().find((candidate) => candidate.startsWith(`${name}=`));
  assert.ok(line, `Set-Cookie ${name} in ${reply.headers.getSetCookie().join(' | ')}`);
  return line;
}

describe('identity sign-in pages over HTTP (loopback http issuer)', () => {
  let pages: PagesService;
  before(async () => {
    pages = await startPagesService();
  });
  after(async () => {
    await pages.close();
  });

  it('refuses a login POST without or with a wrong CSRF token (403), and nobody is logged in', async () => {
    const { browser, uid } = await openLogin(pages);
    const forms: Array<Record<string, string>> = [
      { username: 'alice', password: 'alice-password' },
      { username: 'alice', password: 'alice-password', csrf: 'forged-token-value' },
    ];
    for (const form of forms) {
      const reply = await browser.request(`/interaction/${uid}/login`, { form });
      assert.equal(reply.status, 403);
      assert.equal(reply.location, undefined, 'no redirect back to the authorization');
      assert.match(reply.body, /csrf_invalid/);
      assert.equal(reply.headers.getSetCookie().some((line) => line.startsWith('_session=')), false, 'no session cookie');
    }
    const still = await browser.request(`/interaction/${uid}`);
    assert.match(still.body, /<h1 id="page-title">Sign in<\/h1>/, 'the interaction still waits for a login');
  });

  it('refuses a cross-site POST even with the right token', async () => {
    const { browser, uid, page } = await openLogin(pages);
    const reply = await browser.request(`/interaction/${uid}/login`, {
      form: { username: 'alice', password: 'alice-password', csrf: csrfFrom(page.body) },
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    assert.equal(reply.status, 403);
    assert.match(reply.body, /cross_site_request/);
  });

  it('serves pages with a strict CSP, no script, and no caching', async () => {
    const { page } = await openLogin(pages);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(page.body, /<script/i);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  });

  it('sets HttpOnly, SameSite=Lax cookies without Secure on a loopback http issuer', async () => {
    const { browser, uid, start, page } = await openLogin(pages, 'portal');
    const interaction = cookieLine(start, '_interaction');
    assert.match(interaction, /; httponly/i);
    assert.match(interaction, /; samesite=lax/i);
    assert.match(interaction, new RegExp(`; path=/interaction/${uid}`, 'i'));
    assert.doesNotMatch(interaction, /; secure/i);
    const login = await browser.request(`/interaction/${uid}/login`, { form: { username: 'alice', password: 'alice-password', csrf: csrfFrom(page.body) } });
    assert.equal(login.status, 303);
    const resumed = await browser.request(login.location!);
    const session = cookieLine(resumed, '_session');
    assert.match(session, /; httponly/i);
    assert.match(session, /; samesite=lax/i);
    assert.doesNotMatch(session, /; secure/i);
  });
});

describe('identity sign-in pages behind TLS (https issuer)', () => {
  let pages: PagesService;
  before(async () => {
    pages = await startPagesService({ issuerScheme: 'https' });
  });
  after(async () => {
    await pages.close();
  });

  it('marks every cookie Secure', async () => {
    const browser = new CookieClient(pages.service.url);
    const tls = { 'x-forwarded-proto': 'https' };
    const start = await browser.request(authorizationUrl(pages, 'petshop', createPkce()).replace(pages.issuer, pages.service.url), { headers: tls });
    assert.equal(start.status, 303, start.body);
    const lines = start.headers.getSetCookie();
    assert.ok(lines.length >= 2, lines.join(' | '));
    for (const line of lines) {
      assert.match(line, /; secure/i, line);
      assert.match(line, /; httponly/i, line);
      assert.match(line, /; samesite=lax/i, line);
    }
  });
});
