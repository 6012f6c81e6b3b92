// One authorization-code flow (RFC 6749 §4.1 + PKCE, RFC 7636) without a browser, to obtain a
// refresh token for the introspection runs: follow the redirects by hand, keep the cookies, post
// the real login form. The client is `trusted`, so there is no consent page (offline_access
// still needs prompt=consent, OIDC Core §11, which a trusted client passes without a page).
import { createHash, randomBytes } from 'node:crypto';
import { BENCH_REDIRECT_URI, basicAuthorization } from './service-config.ts';

export interface CodeFlowInput {
  readonly base: string;
  readonly client: { readonly clientId: string; readonly clientSecret: string };
  readonly username: string;
  readonly password: string;
  readonly scope: string;
  readonly resource: string;
}

export async function obtainRefreshToken(input: CodeFlowInput): Promise<string> {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    return response;
  };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/auth', input.base);
  authorize.search = new URLSearchParams({
    client_id: input.client.clientId,
    response_type: 'code',
    redirect_uri: BENCH_REDIRECT_URI,
    scope: input.scope,
    resource: input.resource,
    prompt: 'consent',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  let location = authorize.href;
  for (let step = 0; step < 10; step++) {
    const url = new URL(location, input.base);
    if (url.href.startsWith(BENCH_REDIRECT_URI)) return exchangeCode(input, url, verifier);
    const response = await go(url.href);
    if (response.status >= 300 && response.status < 400) {
      location = response.headers.get('location') ?? '';
      continue;
    }
    const page = await response.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || csrf === undefined) throw new Error(`code flow: unexpected ${response.status} at ${url.pathname}`);
    const isLogin = page.includes('name="password"');
    const form = new URLSearchParams(isLogin ? { csrf, username: input.username, password: input.password } : { csrf, decision: 'allow' });
    const posted = await go(new URL(`${url.pathname}/${isLogin ? 'login' : 'consent'}`, input.base).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    if (posted.status < 300 || posted.status >= 400) throw new Error(`code flow: the ${isLogin ? 'login' : 'consent'} form answered ${posted.status}`);
    location = posted.headers.get('location') ?? '';
  }
  throw new Error('code flow: never reached the redirect URI');
}

async function exchangeCode(input: CodeFlowInput, callback: URL, verifier: string): Promise<string> {
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`code flow: no code in the callback (${callback.searchParams.get('error') ?? 'no error'})`);
  const response = await fetch(new URL('/token', input.base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(input.client) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_REDIRECT_URI, code_verifier: verifier, resource: input.resource }),
  });
  const body = (await response.json()) as { refresh_token?: string; error?: string };
  if (response.status !== 200 || typeof body.refresh_token !== 'string') throw new Error(`code flow: token endpoint answered ${response.status} ${body.error ?? 'without a refresh token'}`);
  return body.refresh_token;
}
