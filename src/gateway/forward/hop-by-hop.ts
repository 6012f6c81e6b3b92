// Hop-by-hop fields describe one connection, not the message, so a proxy must not forward them
// (RFC 9110 §7.6.1), including any field the Connection header names. `proxy-*` covers
// Proxy-Connection and Proxy-Authenticate/-Authorization (RFC 2616 §13.5.1); `expect` is handled
// by our own server (it answers 100-continue) and undici refuses to forward it.
import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);

function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-');
}

/** Lower-case names listed in a Connection header (`Connection: close, x-private`). */
function connectionListed(connection: string | string[] | undefined): Set<string> | undefined {
  // What nearly every keep-alive upstream sends names only a field that is hop-by-hop already.
  if (connection === undefined || connection === 'keep-alive' || connection === 'Keep-Alive') return undefined;
  const listed = new Set<string>();
  for (const token of (Array.isArray(connection) ? connection.join(',') : connection).split(',')) {
    const name = token.trim().toLowerCase();
    if (name !== '') listed.add(name);
  }
  return listed;
}

/** Request headers as undici's flat [name, value, …] list, without hop-by-hop fields. */
export function endToEndRequestHeaders(headers: Record<string, string | string[] | undefined>): string[] {
  const listed = connectionListed(headers.connection);
  const flat: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || isHopByHop(name) || listed?.has(name)) continue;
    if (typeof value === 'string') flat.push(name, value);
    else for (let i = 0; i < value.length; i++) flat.push(name, value[i]);
  }
  return flat;
}

/** Response headers (lower-case, as undici parses them) without hop-by-hop fields. */
export function endToEndResponseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const listed = connectionListed(headers.connection);
  const kept: Record<string, string | string[] | undefined> = {};
  for (const name in headers) {
    if (isHopByHop(name) || listed?.has(name)) continue;
    kept[name] = headers[name];
  }
  return kept;
}
