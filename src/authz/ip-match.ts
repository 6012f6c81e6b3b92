// CIDR matching for ipBlocks / remoteIpBlocks and the source.ip / remote.ip / destination.ip
// conditions. node:net's BlockList does the address arithmetic for IPv4 and IPv6 alike.
import { BlockList, isIP } from 'node:net';

export type IpPredicate = (address: string | undefined) => boolean;

export function compileIpBlocks(blocks: readonly string[]): IpPredicate {
  const list = new BlockList();
  for (const block of blocks) {
    const [address, prefixText] = block.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`"${block}" is not an IP address or CIDR block`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixText);
    const max = family === 6 ? 128 : 32;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`"${block}" has an invalid prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return (address) => {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
