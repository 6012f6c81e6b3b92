// The forward stage's view of every backend of one config generation: endpoint pools, load
// balancing and passive health. Pools of unchanged endpoints pass from one generation to the
// next, so a reload neither drops keep-alive connections nor forgets ejections.
import type { Backend, BackendTls } from '../../model/gateway-model.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import type { RequestContext, Rejection } from '../context.ts';
import { upstreamBody } from '../limits/body-size-limiter.ts';
import type { HeaderOps } from '../routing/header-ops.ts';
import { BackendBalancer } from './backend-balancer.ts';
import { endToEndRequestHeaders } from './hop-by-hop.ts';
import { ProxyExchange } from './proxy-exchange.ts';
import { upstreamTlsKey } from './upstream-connector.ts';
import { endpointKey, UpstreamEndpoint } from './upstream-endpoint.ts';

const DEFAULT_TIMEOUT_MS = 15_000;
const NO_HEALTHY_UPSTREAM: Rejection = { code: 'no_healthy_upstream' };

export interface UpstreamsOptions {
  /** The generation being replaced: its pools for unchanged endpoints are reused. */
  previous?: Upstreams;
  /** Request timeout when a route sets none (Gateway API timeouts.request). */
  defaultTimeoutMs?: number;
  /** Where upstream client-certificate renewals are reported. */
  logger?: GatewayLogger;
}

/** A message body is present iff Content-Length or Transfer-Encoding is (RFC 9112 §6.1). */
function hasBody(ctx: RequestContext): boolean {
  const headers = ctx.req.headers;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

export class Upstreams {
  readonly #balancers = new Map<string, BackendBalancer>();
  readonly #endpoints = new Map<string, UpstreamEndpoint>();
  readonly #defaultTimeoutMs: number;

  constructor(backends: Backend[], options: UpstreamsOptions = {}) {
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (const backend of backends) {
      const endpoints = backend.endpoints.map((e) => this.#endpointFor(new URL(e.url).origin, backend.connectTimeoutMs, backend.tls, options));
      this.#balancers.set(backend.name, new BackendBalancer(backend, endpoints));
    }
  }

  #endpointFor(origin: string, connectTimeoutMs: number, tls: BackendTls | undefined, { previous, logger }: UpstreamsOptions): UpstreamEndpoint {
    const key = endpointKey(origin, connectTimeoutMs, upstreamTlsKey(tls));
    const known = this.#endpoints.get(key);
    if (known !== undefined) return known;
    const inherited = previous === undefined ? undefined : previous.#endpoints.get(key);
    const endpoint = inherited !== undefined && !inherited.closed ? inherited : new UpstreamEndpoint(origin, connectTimeoutMs, tls, logger);
    this.#endpoints.set(key, endpoint.retain());
    return endpoint;
  }

  /**
   * Proxies ctx.req to the backend and streams the response to ctx.res; resolves when the
   * response is finished. Resolves a Rejection only while nothing has been written to ctx.res.
   * timeoutMs: the route's timeouts.request (undefined = the default, 0 = none).
   */
  forward(
    ctx: RequestContext,
    backendName: string,
    upstreamPath: string,
    requestHeaders: Record<string, string | string[]>,
    timeoutMs: number | undefined,
    responseHeaderOps?: HeaderOps,
  ): Promise<Rejection | undefined> {
    const balancer = this.#balancers.get(backendName);
    const endpoint = balancer?.pick(Date.now());
    if (balancer === undefined || endpoint === undefined) {
      return Promise.resolve(balancer === undefined ? { code: 'no_healthy_upstream', detail: `Unknown backend ${backendName}` } : NO_HEALTHY_UPSTREAM);
    }
    const { promise, resolve } = Promise.withResolvers<Rejection | undefined>();
    const request = {
      method: ctx.method,
      path: upstreamPath,
      headers: endToEndRequestHeaders(requestHeaders),
      body: hasBody(ctx) ? upstreamBody(ctx) : null,
      responseHeaderOps,
    };
    new ProxyExchange(ctx, balancer, request, timeoutMs ?? this.#defaultTimeoutMs, resolve).send(endpoint);
    return promise;
  }

  /**
   * Lets go of this generation's endpoints: a pool closes (after its in-flight requests) once no
   * generation holds it, so closing an old generation — or a discarded candidate — never cuts a
   * pool a live generation still uses.
   */
  async close(): Promise<void> {
    const endpoints = [...this.#endpoints.values()];
    this.#endpoints.clear();
    await Promise.all(endpoints.map((endpoint) => endpoint.release()));
  }
}
