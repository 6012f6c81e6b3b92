// A fetch for service-to-service calls over mutual TLS: it presents the workload certificate,
// accepts only a server whose certificate chains to the trust bundle, is not on the CRL and
// carries the expected SPIFFE ID, and attaches a client-credentials token for the callee's
// audience. Built on node:https (the SDK depends on jose only, and Node's global fetch takes no
// TLS options); it returns a standard Response. TLS refusals reject with Node's error codes
// (CERT_REVOKED, CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT_LOCALLY) or PEER_IDENTITY_MISMATCH.
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ClientCredentials } from '../client-credentials.ts';
import { TlsAgents } from './tls-agents.ts';
import type { WorkloadIdentity } from './workload-material.ts';

export interface MtlsFetchOptions {
  identity: WorkloadIdentity;
  /** The SPIFFE ID the server must present: one for every URL, or chosen per URL. */
  serverSpiffeId: string | ((url: URL) => string);
  /** Attach `Authorization: Bearer` from these client credentials… */
  credentials?: ClientCredentials;
  /** …for this audience (the callee's; one per service), or chosen per URL. */
  audience?: string | ((url: URL) => string);
  scope?: string;
  /** Whole-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
}

export interface MtlsRequestInit {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: string | Uint8Array | URLSearchParams | null;
  signal?: AbortSignal;
}

export type MtlsFetch = ((input: string | URL, init?: MtlsRequestInit) => Promise<Response>) & { close(): void };

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function bodyBytes(body: MtlsRequestInit['body'], headers: Headers): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return Buffer.from(body);
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString());
  }
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('mtlsFetch bodies are strings, Uint8Arrays or URLSearchParams');
}

function toResponse(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (let index = 0; index < res.rawHeaders.length; index += 2) headers.append(res.rawHeaders[index], res.rawHeaders[index + 1]);
  const status = res.statusCode ?? 502;
  const empty = method === 'HEAD' || NULL_BODY_STATUS.has(status);
  if (empty) res.resume();
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage, headers });
}

export function mtlsFetch(options: MtlsFetchOptions): MtlsFetch {
  const agents = new TlsAgents(options.identity);
  const pick = <T>(choice: T | ((url: URL) => T), url: URL): T => (typeof choice === 'function' ? (choice as (url: URL) => T)(url) : choice);

  const call = async (input: string | URL, init: MtlsRequestInit = {}): Promise<Response> => {
    const url = new URL(input);
    if (url.protocol !== 'https:') throw new TypeError(`mtlsFetch calls https:// URLs only (got ${url.protocol})`);
    const headers = new Headers(init.headers);
    if (options.credentials !== undefined) {
      const audience = options.audience === undefined ? undefined : pick(options.audience, url);
      headers.set('authorization', `Bearer ${await options.credentials.token({ audience, scope: options.scope })}`);
    }
    const body = bodyBytes(init.body, headers);
    if (body !== undefined) headers.set('content-length', String(body.length));
    const method = (init.method ?? 'GET').toUpperCase();
    const agent = agents.agentFor(pick(options.serverSpiffeId, url));
    const signal = init.signal ?? AbortSignal.timeout(options.timeoutMs ?? 30_000);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: Object.fromEntries(headers), agent, signal }, (res) => resolve(toResponse(res, method)));
      req.on('error', reject);
      req.end(body);
    });
  };
  return Object.assign(call, { close: () => agents.close() });
}
