// The authorization-code flow (RFC 6749 §4.1 + PKCE, RFC 7636) without a browser: follow the
// redirects by hand, keep the cookies, and post the real login (and consent) forms of our pages.
import { createHash, randomBytes } from 'node:crypto';
import { basic, postForm, REDIRECT_URI } from './oidc-fixture.ts';
import type { TokenResponse } from './oidc-fixture.ts';

class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface CodeFlowOptions {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly scope: string;
  readonly resource?: string;
  readonly username: string;
  readonly password: string;
}

async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cookie', jar.header());
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field on the page');
  return match[1];
}

/** Runs the flow up to the token endpoint and returns its answer (access, refresh, ID token). */
export async function authorizationCodeFlow(base: string, options: CodeFlowOptions): Promise<TokenResponse> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/auth', base);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: options.scope,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    // OIDC Core §11: offline_access is honoured with prompt=consent.
    ...(options.scope.includes('offline_access') ? { prompt: 'consent' } : {}),
    ...(options.resource ? { resource: options.resource } : {}),
  }).toString();

  let location = authorize.href;
  for (let step = 0; step < 10; step += 1) {
    const url = new URL(location, base);
    if (url.href.startsWith(REDIRECT_URI)) return exchangeCode(base, url, verifier, options);
    const response = await request(jar, url.href);
    if (response.status >= 300 && response.status < 400) {
      location = response.headers.get('location') ?? '';
      continue;
    }
    if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) {
      throw new Error(`unexpected ${response.status} at ${url.pathname}: ${await response.text()}`);
    }
    const page = await response.text();
    const isLogin = page.includes('name="password"');
    const form = new URLSearchParams({ csrf: csrfOf(page) });
    if (isLogin) {
      form.set('username', options.username);
      form.set('password', options.password);
    } else {
      form.set('decision', 'allow');
    }
    const posted = await request(jar, `${url.pathname}/${isLogin ? 'login' : 'consent'}`.replace(/^/, base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    if (posted.status < 300 || posted.status >= 400) throw new Error(`form post answered ${posted.status}: ${await posted.text()}`);
    location = posted.headers.get('location') ?? '';
  }
  throw new Error('authorization flow did not reach the redirect URI');
}

async function exchangeCode(base: string, callback: URL, verifier: string, options: CodeFlowOptions): Promise<TokenResponse> {
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in the callback: ${callback.search}`);
  const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
  if (options.resource) fields.resource = options.resource;
  if (options.clientSecret) return postForm(`${base}/token`, fields, basic(options.clientId, options.clientSecret));
  return postForm(`${base}/token`, { ...fields, client_id: options.clientId });
}
