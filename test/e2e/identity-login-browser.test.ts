// A real Chromium signs in through the real identity service: authorization code + PKCE (S256)
// for a third-party public client with consent, a trusted client without it, JavaScript off,
// lockout, and RP-initiated logout. Every page the service shows is checked for a strict CSP
// and no script.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { authorizationUrl, createPkce, ORDERS_API, startPagesService, type PagesService } from './support/identity-pages-service.ts';

const skip = existsSync('/usr/bin/chromium') ? false : 'Debian chromium is not installed (.ci/run installs it)';

describe('identity sign-in in a real browser', { skip }, () => {
  let pages: PagesService;
  let browser: Browser;
  /** Every HTML document the identity service served, with its CSP and body. */
  const served: Array<{ url: string; status: number; csp: string | undefined; body: string }> = [];

  before(async () => {
    pages = await startPagesService();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
  });

  async function newContext(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('response', async (response) => {
      const type = response.headers()['content-type'] ?? '';
      // Redirects carry a tiny HTML body no browser renders; pages are what users see.
      if (!response.url().startsWith(pages.issuer) || !type.startsWith('text/html') || response.status() >= 300 && response.status() < 400) return;
      served.push({ url: response.url(), status: response.status(), csp: response.headers()['content-security-policy'], body: await response.text().catch(() => '') });
    });
    return { context, page };
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function lastCallback(): Promise<URLSearchParams> {
    const received = pages.callback.received.at(-1);
    assert.ok(received, 'the browser reached the client redirect_uri');
    return received;
  }

  it('authorization code + PKCE: wrong password, then sign-in, consent, code, and tokens', async () => {
    const { context, page } = await newContext();
    const pkce = createPkce();
    await page.goto(authorizationUrl(pages, 'petshop', pkce, { prompt: 'consent', state: 'state-123' }));
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');
    assert.match(await page.locator('.lead').textContent() ?? '', /Pet Shop/);

    await signIn(page, 'alice', 'not-her-password');
    const alert = page.getByRole('alert');
    assert.match(await alert.textContent() ?? '', /Incorrect username or password\./);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id), 'error-summary', 'focus moves to the error summary');
    const text = await page.locator('main').textContent() ?? '';
    assert.doesNotMatch(text, /unknown user|no such user|wrong password|password is incorrect|does not exist/i, 'no hint which part was wrong');
    assert.equal(await page.getByLabel('Username').inputValue(), 'alice');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is never echoed back');

    await signIn(page, 'alice', 'alice-password');
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    assert.match(await page.locator('.lead').textContent() ?? '', /Pet Shop wants to:/);
    const items = await page.getByRole('list', { name: 'Requested permissions' }).getByRole('listitem').allTextContents();
    assert.ok(items.some((item) => /Read your orders \(Order service\)/.test(item)), items.join(' | '));
    assert.ok(items.includes('See your name and username'), items.join(' | '));
    assert.ok(items.includes('Keep this access when you are not using the app'), items.join(' | '));

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${pages.callback.url}/callback**`);
    const back = await lastCallback();
    assert.equal(back.get('state'), 'state-123');
    assert.equal(back.get('iss'), pages.issuer, 'RFC 9207 issuer identification');
    const code = back.get('code');
    assert.ok(code);

    const response = await fetch(`${pages.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${pages.callback.url}/callback`, code_verifier: pkce.verifier, client_id: 'petshop' }),
    });
    const tokens = (await response.json()) as Record<string, string>;
    assert.equal(response.status, 200, JSON.stringify(tokens));
    assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt', 'RFC 9068 access token');
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.aud, ORDERS_API);
    assert.equal(claims.iss, pages.issuer);
    assert.match(String(claims.scope), /orders:read/);
    assert.equal(claims.client_id, 'petshop');
    assert.equal(decodeJwt(tokens.id_token).aud, 'petshop');
    assert.ok(tokens.refresh_token, 'a refresh token');
    await context.close();
  });

  it('a trusted first-party client skips the consent page', async () => {
    const { context, page } = await newContext();
    await page.goto(authorizationUrl(pages, 'portal', createPkce(), { state: 'portal-state' }));
    await signIn(page, 'alice', 'alice-password');
    await page.waitForURL(`${pages.callback.url}/callback**`);
    const back = await lastCallback();
    assert.equal(back.get('state'), 'portal-state');
    assert.ok(back.get('code'));
    assert.equal(served.some((entry) => entry.body.includes('Company Portal</strong> wants to')), false, 'no consent page was shown');
    await context.close();
  });

  it('signs in and consents with JavaScript disabled', async () => {
    const { context, page } = await newContext({ javaScriptEnabled: false });
    await page.goto(authorizationUrl(pages, 'petshop', createPkce(), { state: 'nojs' }));
    await signIn(page, 'alice', 'alice-password');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${pages.callback.url}/callback**`);
    const back = await lastCallback();
    assert.equal(back.get('state'), 'nojs');
    assert.ok(back.get('code'));
    await context.close();
  });

  it('locks the account after repeated failures: the right password then shows the lockout text', async () => {
    const { context, page } = await newContext();
    await page.goto(authorizationUrl(pages, 'petshop', createPkce()));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await signIn(page, 'mallory', `guess-${attempt}`);
      await page.getByRole('alert').waitFor();
    }
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.url().endsWith('/login')), signIn(page, 'mallory', 'mallory-password')]);
    assert.equal(response.status(), 429);
    assert.match(await page.getByRole('alert').textContent() ?? '', /Too many attempts\. Try again in 2 minutes\./);
    await context.close();
  });

  it('RP-initiated logout shows our confirmation page and ends the session', async () => {
    const { context, page } = await newContext();
    await page.goto(authorizationUrl(pages, 'portal', createPkce()));
    await signIn(page, 'alice', 'alice-password');
    await page.waitForURL(`${pages.callback.url}/callback**`);

    const logout = new URLSearchParams({ client_id: 'portal', post_logout_redirect_uri: `${pages.callback.url}/signed-out`, state: 'bye' });
    await page.goto(`${pages.issuer}/session/end?${logout}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign out?');
    assert.match(await page.locator('.lead').textContent() ?? '', /Company Portal asked to sign you out/);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${pages.callback.url}/signed-out**`);
    assert.equal(new URL(page.url()).searchParams.get('state'), 'bye');
    assert.equal((await context.cookies(pages.issuer)).some((cookie) => cookie.name === '_session'), false, 'session cookie removed');

    // The session is gone: the next authorization asks for a password again.
    await page.goto(authorizationUrl(pages, 'portal', createPkce()));
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');

    // Without a post_logout_redirect_uri the service shows its own signed-out page.
    await signIn(page, 'alice', 'alice-password');
    await page.waitForURL(`${pages.callback.url}/callback**`);
    await page.goto(`${pages.issuer}/session/end?client_id=portal`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    await context.close();
  });

  it('served every page with a strict CSP and without script', () => {
    assert.ok(served.length >= 10, `saw ${served.length} pages`);
    for (const entry of served) {
      assert.ok(entry.csp, `CSP on ${entry.url}`);
      assert.doesNotMatch(entry.csp, /unsafe-inline|unsafe-eval/, entry.url);
      assert.match(entry.csp, /default-src 'none'/, entry.url);
      assert.doesNotMatch(entry.body, /<script/i, entry.url);
    }
  });
});
