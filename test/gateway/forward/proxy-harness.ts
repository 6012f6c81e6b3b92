// Real sockets for forwarding tests: upstream node:http servers, a minimal front server that
// does what the gateway runtime does around Upstreams.forward (build the context, render a
// Rejection as JSON), and a client that reports exactly what a user would see.
import { once } from 'node:events';
import { after } from 'node:test';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestContext } from '../../../src/gateway/request-context.ts';
import type { Upstreams } from '../../../src/gateway/forward/upstreams.ts';
import { REASONS } from '../../../src/gateway/reasons.ts';
import type { HeaderOps } from '../../../src/gateway/routing/header-ops.ts';
import type { Backend } from '../../../src/model/gateway-model.ts';

export interface RunningServer {
  readonly origin: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<RunningServer> {
  const server = http.createServer(handler);
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    server,
    async close() {
      server.closeAllConnections();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An origin on which nothing listens: connecting to it is refused. */
export async function refusedOrigin(): Promise<{ origin: string; port: number }> {
  const probe = await listen(() => {});
  await probe.close();
  return { origin: probe.origin, port: probe.port };
}

export function backend(name: string, origins: string[], options: Partial<Backend> = {}): Backend {
  return {
    name,
    endpoints: origins.map((url) => ({ url })),
    maxConnectFailures: 3,
    ejectionMs: 10_000,
    connectTimeoutMs: 2_000,
    source: { file: 'test.yaml', documentIndex: 0, kind: 'Backend', name },
    ...options,
  };
}

export interface ProxyOptions {
  backend: string | (() => string);
  timeoutMs?: number;
  responseHeaderOps?: HeaderOps;
}

export function startProxy(upstreams: () => Upstreams, options: ProxyOptions): Promise<RunningServer> {
  return listen(async (req, res) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const ctx = createRequestContext(req, res, req.socket.localPort ?? 0, false);
    ctx.requestId = 'test';
    ctx.host = 'gateway.test';
    ctx.path = queryAt === -1 ? url : url.slice(0, queryAt);
    ctx.query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const name = typeof options.backend === 'string' ? options.backend : options.backend();
    const headers = { ...req.headers } as Record<string, string | string[]>;
    const rejection = await upstreams().forward(ctx, name, url, headers, options.timeoutMs, options.responseHeaderOps);
    if (rejection !== undefined && !res.headersSent) {
      res.writeHead(REASONS[rejection.code].status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: rejection.code, message: rejection.detail ?? REASONS[rejection.code].message }));
    }
  });
}

export interface ClientResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Set when the connection broke before the response was complete. */
  error?: string;
}

/** One request on a fresh connection (no agent), so nothing stays open after the test. */
export function send(
  origin: string,
  path: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer | string } = {},
): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = (error?: string) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error });
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done());
      res.on('error', (error) => done(error.message));
      res.on('aborted', () => done('aborted'));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function json(response: ClientResponse): unknown {
  return JSON.parse(response.body.toString('utf8'));
}

/** Everything a test file opens, closed newest first once the file's tests are done. */
export function closeAfterTests(): <T extends { close(): Promise<void> }>(thing: T | Promise<T>) => Promise<T> {
  const opened: { close(): Promise<void> }[] = [];
  after(async () => {
    for (const thing of opened.reverse()) await thing.close();
  });
  return async (thing) => {
    const value = await thing;
    opened.push(value);
    return value;
  };
}
