// Where the token is: the first configured location (header with optional prefix, query
// parameter, cookie) that carries one. Like Envoy's jwt_authn extractor, a token that is
// present but oversized (here) or not in compact JWS form (assertCompactJws) is refused
// before any parsing.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenLocation } from '../model/gateway-model.ts';
import { AuthnError } from './errors.ts';

/** Default for tokens refused unparsed (GatewayOptions limits.maxTokenBytes; Envoy's default header limit is far larger). */
export const MAX_TOKEN_BYTES = 8 * 1024;

export interface ExtractedToken<L extends TokenLocation = TokenLocation> {
  token: string;
  location: L;
}

/** Returns the first token found, undefined when no location carries one; throws AuthnError when one is oversized. */
export function extractToken<L extends TokenLocation>(
  locations: readonly L[], headers: IncomingHttpHeaders, query: string, maxTokenBytes = MAX_TOKEN_BYTES,
): ExtractedToken<L> | undefined {
  for (let i = 0; i < locations.length; i++) {
    const location = locations[i];
    const raw = readLocation(location, headers, query);
    if (raw === undefined) continue;
    if (raw.length > maxTokenBytes) throw new AuthnError('jwt_too_large');
    return { token: raw, location };
  }
  return undefined;
}

function readLocation(location: TokenLocation, headers: IncomingHttpHeaders, query: string): string | undefined {
  if (location.kind === 'header') {
    const header = headers[location.name];
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined) return undefined;
    const prefix = location.prefix;
    if (!prefix) return value.trim();
    // "Bearer" is case-insensitive (RFC 7235 §2.1); another scheme (e.g. Basic) is simply not a token here.
    if (!startsWithIgnoringCase(value, prefix)) return undefined;
    return value.slice(prefix.length).trim();
  }
  if (location.kind === 'query') return readQueryParameter(query, location.name);
  return readCookie(headers.cookie, location.name);
}

function startsWithIgnoringCase(value: string, prefix: string): boolean {
  if (value.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = value.charCodeAt(i) | 0x20;
    const b = prefix.charCodeAt(i) | 0x20;
    if (a !== b) return false;
  }
  return true;
}

function readQueryParameter(query: string, name: string): string | undefined {
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end - start > name.length && query.charCodeAt(start + name.length) === 0x3d /* = */ && query.startsWith(name, start)) {
      return decodeComponent(query.slice(start + name.length + 1, end));
    }
    start = end + 1;
  }
  return undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  // RFC 6265 §5.4: cookie-pairs are separated by "; ".
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    if (pair.slice(0, eq).trim() === name) return decodeComponent(pair.slice(eq + 1).trim());
  }
  return undefined;
}

function decodeComponent(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AuthnError('jwt_malformed', 'token is not validly percent-encoded');
  }
}

// RFC 7515 §7.1: BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature). Header and
// payload must be non-empty; an empty signature is left to the alg check ("none").
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Refuse a token that is not in compact JWS form, before any decoding. Called only on a
 * verified-token-cache miss: a cached token already passed it, so hits skip the scan.
 */
export function assertCompactJws(token: string): void {
  if (!COMPACT_JWS.test(token)) throw new AuthnError('jwt_malformed');
}

/** A JWT rather than an opaque token (the phantom-token exchange takes the others). */
export function isCompactJws(token: string): boolean {
  return COMPACT_JWS.test(token);
}
