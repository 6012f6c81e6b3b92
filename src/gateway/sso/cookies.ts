// Reading and writing the gateway's own cookies. Browsers keep at most ~4096 bytes per cookie
// (RFC 6265 §6.1 asks for at least that), so a sealed value longer than MAX_COOKIE_VALUE_BYTES
// is split into `name.0`, `name.1`, … (as oauth2-proxy does) and joined again on read.
import type { ServerResponse } from 'node:http';

export const MAX_COOKIE_VALUE_BYTES = 3800;
const MAX_CHUNKS = 8;

export interface CookieAttributes {
  secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  maxAgeSeconds: number;
}

/** RFC 6265 §4.2.1 cookie-string → name → value (the first of duplicate names wins, §5.4). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
  }
  return cookies;
}

/** The value under `name`, or the concatenation of `name.0`, `name.1`, …; undefined when absent. */
export function readChunkedCookie(cookies: ReadonlyMap<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole !== undefined) return whole;
  let joined: string | undefined;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const chunk = cookies.get(`${name}.${i}`);
    if (chunk === undefined) break;
    joined = (joined ?? '') + chunk;
  }
  return joined;
}

/** HttpOnly, Path=/ and no Domain (what the `__Host-` prefix demands), SameSite=Lax (docs/sso.md). */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const secure = attributes.secure ? '; Secure' : '';
  return `${name}=${value}; Path=/; HttpOnly${secure}; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(attributes.maxAgeSeconds))}`;
}

/**
 * Set-Cookie lines storing `value` under `name` (split when long), and deleting whatever the
 * request still holds under that name that the new value does not overwrite.
 */
export function chunkedSetCookies(name: string, value: string, attributes: CookieAttributes, present: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  const chunks: string[] = [];
  for (let start = 0; start < value.length; start += MAX_COOKIE_VALUE_BYTES) chunks.push(value.slice(start, start + MAX_COOKIE_VALUE_BYTES));
  if (chunks.length > MAX_CHUNKS) throw new Error(`session of ${value.length} bytes exceeds ${MAX_CHUNKS} cookies`);
  if (chunks.length <= 1) lines.push(serializeCookie(name, value, attributes));
  else chunks.forEach((chunk, index) => lines.push(serializeCookie(`${name}.${index}`, chunk, attributes)));
  const written = new Set(chunks.length <= 1 ? [name] : chunks.map((_, index) => `${name}.${index}`));
  return [...lines, ...deleteCookies(name, attributes.secure, present, written)];
}

/** Set-Cookie lines deleting `name` and its chunks, as far as the request holds them. */
export function deleteCookies(name: string, secure: boolean, present: ReadonlyMap<string, string>, keep: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  for (const candidate of [name, ...Array.from({ length: MAX_CHUNKS }, (_, i) => `${name}.${i}`)]) {
    if (present.has(candidate) && !keep.has(candidate)) lines.push(serializeCookie(candidate, '', { secure, maxAgeSeconds: 0 }));
  }
  return lines;
}

/** Is `cookieName` one of ours: `name` itself or one of its chunks? */
export function isCookieOf(cookieName: string, name: string): boolean {
  return cookieName === name || (cookieName.startsWith(`${name}.`) && /^\d$/.test(cookieName.slice(name.length + 1)));
}

/** Adds Set-Cookie lines to the response, keeping those already set. */
export function appendSetCookies(res: ServerResponse, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const existing = res.getHeader('set-cookie');
  const previous = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...previous, ...lines]);
}

/**
 * The upstream's Set-Cookie lines after those the gateway set on this response (a refreshed
 * session): `writeHead` would otherwise replace the gateway's with the upstream's.
 */
export function withGatewayCookies(res: ServerResponse, upstream: string | string[] | undefined): string | string[] | undefined {
  const own = res.getHeader('set-cookie');
  if (own === undefined) return upstream;
  const ownLines = Array.isArray(own) ? own : [String(own)];
  return upstream === undefined ? ownLines : [...ownLines, ...(Array.isArray(upstream) ? upstream : [upstream])];
}
