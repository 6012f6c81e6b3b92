// The demo's upstream services: seed 001's `coffee` and `tea`, seed 000's `user` and `order`.
// Each answers JSON describing the request it received — above all the identity headers the
// gateway added — so a curl through the gateway shows what a service behind it gets, and that
// it needs no JWT library to know who is calling (seed 000: "Header 읽기만 한다").
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { sendJson } from './http-io.ts';
import { closeServer, listen } from './listen.ts';

/** Fixed, documented ports (docs/demo.md); tests pass 0 for free ports. */
export const DEMO_SERVICE_PORTS = { coffee: 9001, tea: 9002, user: 9003, order: 9004 } as const;
export type DemoServiceName = keyof typeof DEMO_SERVICE_PORTS;

/** Headers worth showing: the identity the gateway forwards and the proxy's own. */
const ECHOED_HEADERS = ['x-user-id', 'x-user-name', 'x-roles', 'x-client-id', 'x-request-id', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto'];

export interface DemoServices {
  /** Base URL per started service, e.g. {coffee: 'http://127.0.0.1:9001', …}. */
  readonly urls: Partial<Record<DemoServiceName, string>>;
  close(): Promise<void>;
}

/** Seed 000's service side: base64url-decode the payload header, no signature check needed. */
function decodePayloadHeader(value: string | string[] | undefined): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return { undecodable: value.length };
  }
}

/** RFC 6265 §4.2.1 `cookie-string`: `a=1; b=2` → ['a', 'b']. */
function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(';').map((pair) => pair.split('=')[0].trim()).filter((name) => name !== '');
}

function describeRequest(service: DemoServiceName, req: IncomingMessage): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://upstream');
  const headers: Record<string, string> = {};
  for (const name of ECHOED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return {
    service,
    method: req.method,
    path: url.pathname,
    query: url.search,
    host: req.headers.host,
    headers,
    jwtPayload: decodePayloadHeader(req.headers['x-jwt-payload']),
    // Whether the original token reached us (Istio forwardOriginalToken, default false): the
    // Authorization header's presence and the cookie names. Never a token or cookie value.
    authorizationForwarded: req.headers.authorization !== undefined,
    cookieNames: cookieNames(req.headers.cookie),
  };
}

export async function startDemoServices(
  // `exclude`: services another part of the demo runs instead (src/demo/mesh.ts serves user and
  // order over mTLS when the CA is on).
  options: { host?: string; ports?: Partial<Record<DemoServiceName, number>>; exclude?: readonly DemoServiceName[] } = {},
): Promise<DemoServices> {
  const host = options.host ?? '127.0.0.1';
  const started: Server[] = [];
  const urls = {} as Record<DemoServiceName, string>;
  try {
    for (const service of Object.keys(DEMO_SERVICE_PORTS) as DemoServiceName[]) {
      if (options.exclude?.includes(service)) continue;
      const server = createServer((req, res) => {
        // Drain the request body so keep-alive connections stay usable.
        req.resume();
        req.on('end', () => sendJson(res, 200, describeRequest(service, req)));
      });
      const port = await listen(server, host, options.ports?.[service] ?? DEMO_SERVICE_PORTS[service], `demo service "${service}"`);
      started.push(server);
      urls[service] = `http://${host}:${port}`;
    }
  } catch (error) {
    await Promise.all(started.map(closeServer));
    throw error;
  }
  return { urls, close: async () => void (await Promise.all(started.map(closeServer))) };
}
