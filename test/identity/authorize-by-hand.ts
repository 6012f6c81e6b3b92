// The front half of the authorization-code flow, with every parameter under the test's control
// (an attacker's client is just a script): send /auth with chosen PKCE and redirect_uri values,
// sign in on our real login page, consent, and stop at the redirect back to the client — so a
// test can redeem (or replay, or steal) the code itself. code-flow.ts does the honest flow.
import { createHash, randomBytes } from 'node:crypto';
import { REDIRECT_URI } from './oidc-fixture.ts';

/** Cookies of one browser, as oidc-provider and our pages set them. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export async function send(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cookie', jar.header());
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeRequest {
  readonly clientId: string;
  readonly scope: string;
  readonly resource?: string;
  readonly redirectUri?: string;
  /** Sent as given; omit a key to leave the parameter out. */
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: string;
  readonly username?: string;
  readonly password?: string;
  readonly prompt?: string;
}

export type AuthorizeOutcome =
  /** The provider redirected to the client: a code, or an error (RFC 6749 §4.1.2.1). */
  | { kind: 'redirect'; url: URL; code: string | undefined; error: string | undefined; jar: CookieJar }
  /** The provider refused to redirect (unknown client / redirect_uri): an HTML page. */
  | { kind: 'page'; status: number; body: string; headers: Headers; jar: CookieJar };

export function authorizeUrl(base: string, request: AuthorizeRequest): URL {
  const url = new URL('/auth', base);
  const params: Record<string, string> = {
    client_id: request.clientId,
    response_type: 'code',
    redirect_uri: request.redirectUri ?? REDIRECT_URI,
    scope: request.scope,
    state: randomBytes(8).toString('hex'),
  };
  if (request.codeChallenge !== undefined) params.code_challenge = request.codeChallenge;
  if (request.codeChallengeMethod !== undefined) params.code_challenge_method = request.codeChallengeMethod;
  if (request.resource !== undefined) params.resource = request.resource;
  if (request.prompt !== undefined) params.prompt = request.prompt;
  url.search = new URLSearchParams(params).toString();
  return url;
}

/** Follows /auth through login and consent (posting the real forms) up to the client's redirect. */
export async function authorize(base: string, request: AuthorizeRequest, jar = new CookieJar()): Promise<AuthorizeOutcome> {
  const redirectUri = request.redirectUri ?? REDIRECT_URI;
  let location = authorizeUrl(base, request).href;
  for (let step = 0; step < 10; step += 1) {
    const url = new URL(location, base);
    if (url.href.startsWith(redirectUri) && url.origin !== new URL(base).origin) {
      return { kind: 'redirect', url, code: url.searchParams.get('code') ?? undefined, error: url.searchParams.get('error') ?? undefined, jar };
    }
    const response = await send(jar, url.href);
    if (response.status >= 300 && response.status < 400) {
      location = response.headers.get('location') ?? '';
      continue;
    }
    const body = await response.text();
    if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) {
      return { kind: 'page', status: response.status, body, headers: response.headers, jar };
    }
    const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const isLogin = body.includes('name="password"');
    const form = new URLSearchParams({ csrf });
    if (isLogin) {
      form.set('username', request.username ?? 'alice');
      form.set('password', request.password ?? '');
    } else {
      form.set('decision', 'allow');
    }
    const posted = await send(jar, `${base}${url.pathname}/${isLogin ? 'login' : 'consent'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    if (posted.status < 300 || posted.status >= 400) {
      return { kind: 'page', status: posted.status, body: await posted.text(), headers: posted.headers, jar };
    }
    location = posted.headers.get('location') ?? '';
  }
  throw new Error('the authorization request did not come back to the client');
}

/** An interaction started and its login page read: the uid and its CSRF token. */
export async function openLoginPage(base: string, request: AuthorizeRequest, jar = new CookieJar()): Promise<{ uid: string; csrf: string; jar: CookieJar; page: Response }> {
  let location = authorizeUrl(base, request).href;
  for (let step = 0; step < 5; step += 1) {
    const response = await send(jar, new URL(location, base).href);
    if (response.status >= 300 && response.status < 400) {
      location = response.headers.get('location') ?? '';
      continue;
    }
    const body = await response.clone().text();
    const uid = /\/interaction\/([A-Za-z0-9_-]+)/.exec(new URL(location, base).pathname)?.[1];
    const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
    if (!uid || !csrf) throw new Error(`no login page (${response.status})`);
    return { uid, csrf, jar, page: response };
  }
  throw new Error('no login page');
}
