// A browser sign-in through the gateway's BrowserLogin, done over plain HTTP: navigate to a
// protected path (sent exactly as written, with navigation Fetch Metadata), follow the redirects
// to the identity service, post its real login (and consent) forms, and stop at the gateway's
// callback — so a test can tamper with what comes back.
import { request } from 'node:http';

/** Cookies across the gateway and the identity service (both on 127.0.0.1). */
export class SsoCookieJar {
  readonly cookies = new Map<string, string>();
  storeLines(lines: readonly string[]): void {
    for (const line of lines) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, not fetch: the request target goes out byte for byte, and no CORS headers are added. */
export function rawRequest(origin: string, target: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/`, { path: target, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const NAVIGATION = { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

/** Signs `username` in starting from `target` (a raw request target); returns the callback URL, not yet requested. */
export async function signInUpToCallback(jar: SsoCookieJar, gatewayUrl: string, issuer: string, target: string, username: string, password: string, callbackPath = '/_gatehouse/callback'): Promise<URL> {
  let next: { origin: string; target: string } = { origin: gatewayUrl, target };
  for (let step = 0; step < 12; step++) {
    const url = new URL(next.target.startsWith('/') ? next.target : '/', next.origin);
    if (next.origin === gatewayUrl && url.pathname === callbackPath) return new URL(next.target, gatewayUrl);
    const response = await rawRequest(next.origin, next.target, { ...NAVIGATION, cookie: jar.header() });
    jar.storeLines(([] as string[]).concat(response.headers['set-cookie'] ?? []));
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(String(response.headers.location ?? ''), `${next.origin}${url.pathname}`);
      next = { origin: location.origin, target: `${location.pathname}${location.search}` };
      continue;
    }
    const csrf = /name="csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (response.status !== 200 || next.origin !== issuer || csrf === undefined) {
      throw new Error(`unexpected ${response.status} at ${next.origin}${next.target}`);
    }
    const isLogin = response.body.includes('name="password"');
    const form = new URLSearchParams({ csrf, ...(isLogin ? { username, password } : { decision: 'allow' }) });
    const posted = await rawRequest(issuer, `${url.pathname}/${isLogin ? 'login' : 'consent'}`, {
      cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', origin: issuer,
    }, 'POST', form.toString());
    jar.storeLines(([] as string[]).concat(posted.headers['set-cookie'] ?? []));
    const location = new URL(String(posted.headers.location ?? ''), issuer);
    next = { origin: location.origin, target: `${location.pathname}${location.search}` };
  }
  throw new Error('the sign-in did not come back to the gateway callback');
}
