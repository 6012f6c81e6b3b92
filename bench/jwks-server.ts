// The issuer's JWKS endpoint for a run (RFC 7517 §5): one loopback HTTP server publishing every
// bench signing key, for the peers that fetch keys by URI (express + jwks-rsa, Gatehouse).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchSigningKey } from './tokens.ts';

export interface RunningJwksServer {
  url: string;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly BenchSigningKey[]): Promise<RunningJwksServer> {
  const body = JSON.stringify({ keys: keys.map((key) => key.publicJwk) });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
