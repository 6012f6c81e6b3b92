// A real JWKS server on 127.0.0.1 (port 0) whose keys, Cache-Control and availability a test
// changes while the gateway code under test fetches from it. Also serves OIDC discovery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface JwksServer {
  readonly origin: string;
  readonly jwksUri: string;
  keys: JWK[];
  cacheControl?: string;
  /** When true, every request is answered 503. */
  down: boolean;
  /** Requests seen per path. */
  readonly requests: Map<string, number>;
  requestCount(path?: string): number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[] = []): Promise<JwksServer> {
  const requests = new Map<string, number>();
  let origin = '';
  const state: JwksServer = {
    origin: '',
    jwksUri: '',
    keys,
    down: false,
    requests,
    requestCount: (path = '/jwks.json') => requests.get(path) ?? 0,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (state.down) {
      res.writeHead(503).end('down');
      return;
    }
    if (path === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: origin, jwks_uri: `${origin}/jwks.json` }));
      return;
    }
    if (path !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (state.cacheControl) headers['cache-control'] = state.cacheControl;
    res.writeHead(200, headers).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(state, { origin, jwksUri: `${origin}/jwks.json` });
  return state;
}
