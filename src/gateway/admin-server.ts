// The admin listener, apart from traffic so it can stay on loopback: liveness, readiness (every
// JWKS of the served generation has keys), Prometheus metrics, and a secret-free view of what is
// being served.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Generation } from './generation.ts';

/** What the admin listener reports; one process answers for itself, a cluster primary for its workers. */
export interface AdminSource {
  /** Ready once every JWKS of the served generation has loaded keys. */
  readiness(): Promise<{ ready: boolean; generation: number }>;
  /** Prometheus text exposition. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** describeGeneration() of the served generation. */
  config(): Promise<object>;
  /** Public keys of the internal tokens this gateway signs (RFC 7517 JWK Set). */
  jwks(): Promise<{ keys: object[] }>;
}

export interface AdminServerOptions {
  /** `host:port`, e.g. `127.0.0.1:9901`; port 0 picks a free one. */
  address: string;
  source: AdminSource;
}

export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { host, port } = parseAddress(options.address);
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 10_000 }, (req, res) => {
    answer(options, req, res).catch(() => sendJson(res, 500, { error: 'internal_error' }));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(options: AdminServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' });
  const path = (req.url ?? '/').split('?')[0];
  const source = options.source;
  switch (path) {
    case '/healthz':
      return sendJson(res, 200, { status: 'ok' });
    case '/readyz': {
      const { ready, generation } = await source.readiness();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'loading keys', generation });
    }
    case '/metrics': {
      const { contentType, body } = await source.metrics();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return;
    }
    case '/config':
      return sendJson(res, 200, await source.config());
    // Services verifying internal tokens fetch this (docs/internal-tokens.md); public keys only.
    case '/.well-known/jwks.json':
      return sendJson(res, 200, await source.jwks(), 'public, max-age=60');
    default:
      return sendJson(res, 404, { error: 'not_found' });
  }
}

/** What is being served, by id — never key material, shared secrets or certificates. */
export function describeGeneration(generation: Generation): object {
  const model = generation.model;
  return {
    generation: generation.number,
    listeners: model.listeners.map((l) => ({ id: l.id, address: l.address, port: l.port, protocol: l.protocol, hostname: l.hostname })),
    routes: model.routes.map((r) => ({ id: r.id, hostnames: r.hostnames, path: r.match.path, backends: r.backends })),
    backends: model.backends.map((b) => ({ name: b.name, endpoints: b.endpoints.length })),
    providers: model.providers.map((p) => ({ id: p.id, issuer: p.issuer, audiences: p.audiences, keys: p.keys.kind })),
    authentications: model.authentications.map((a) => ({ name: a.name, providers: a.providerIds, targets: a.targets, requireToken: a.requireToken })),
  };
}

function sendJson(res: ServerResponse, status: number, body: object, cacheControl = 'no-store'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': cacheControl });
  res.end(text);
}

/** `127.0.0.1:9901`, `[::1]:9901` or `:9901` (loopback). */
export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid admin address: ${address}`);
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port };
}
