// The attacker's JWKS endpoint for jku / x5u attacks: an empty key set on loopback that counts
// every request, so a test can assert that nothing ever dereferenced the URL a token named.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LureJwks {
  readonly url: string;
  /** Requests received since the last reset. */
  readonly hits: number;
  resetHits(): void;
  close(): Promise<void>;
}

export async function startLureJwks(): Promise<LureJwks> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    get hits() {
      return hits;
    },
    resetHits() {
      hits = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
