// The client IP the login throttle counts failures against. Behind the gateway (or any reverse
// proxy) every socket comes from the proxy, so all users would share one per-IP lockout. When the
// socket peer is a configured trusted proxy, the address comes from X-Forwarded-For instead: the
// right-most entry that is not itself a trusted proxy — everything left of it was written by the
// client and can be forged (MDN X-Forwarded-For, "Selecting an IP address").
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type ClientAddressResolver = (req: IncomingMessage) => string;

/** "10.0.0.0/8", "fd00::/8" or a single address; undefined when malformed. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) → "10.0.0.1"; other text unchanged. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** The socket address, or for a trusted proxy the right-most untrusted X-Forwarded-For entry. */
export function createClientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const cidr = parseCidr(entry);
    if (cidr === undefined) throw new Error(`not a CIDR: "${entry}"`);
    trusted.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  const isTrusted = (address: string): boolean => {
    const version = isIP(address);
    return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };

  return (req) => {
    const peer = plainAddress(req.socket.remoteAddress ?? 'unknown');
    if (trustedProxies.length === 0 || !isTrusted(peer)) return peer;
    // Node joins repeated X-Forwarded-For headers with ", " (RFC 9110 §5.3: one list).
    const header = req.headers['x-forwarded-for'];
    const hops = (typeof header === 'string' ? header.split(',') : []).map((hop) => plainAddress(hop.trim()));
    let client = peer;
    for (let index = hops.length - 1; index >= 0; index--) {
      // A hop that is not an address came from no proxy we trust: the nearest trusted hop is the client.
      if (isIP(hops[index]) === 0) return client;
      client = hops[index];
      if (!isTrusted(client)) return client;
    }
    // Every hop is a trusted proxy: the left-most is as close to the client as we can know.
    return client;
  };
}
