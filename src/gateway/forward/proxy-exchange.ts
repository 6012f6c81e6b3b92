// One proxied request: an undici dispatch handler that streams the upstream response straight
// into the client response (backpressure both ways, no buffering), retries a connect failure
// once on another endpoint when there is no body to replay, and turns every failure into a
// Rejection while nothing has been written — or a destroyed client socket once it has.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RequestContext, Rejection } from '../context.ts';
import { tooLarge } from '../stages/body-limit.ts';
import { preferGatewayCorsHeaders } from '../cors/prefer-gateway-cors-headers.ts';
import { applyHeaderOps, type HeaderOps } from '../routing/header-ops.ts';
import type { BackendBalancer } from './backend-balancer.ts';
import { endToEndResponseHeaders } from './hop-by-hop.ts';
import { isTlsHandshakeFailure } from './tls-failure.ts';
import { withGatewayCookies } from '../sso/cookies.ts';
import type { UpstreamEndpoint } from './upstream-endpoint.ts';

/** Errors that mean "no connection was made": they count toward ejection and allow a retry. */
const CONNECT_ERROR_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET',
]);

const CONNECT_FAILED: Rejection = { code: 'upstream_connect_failed' };
const RESET: Rejection = { code: 'upstream_reset' };
const TLS_FAILED: Rejection = { code: 'upstream_tls_failed' };
const TIMED_OUT: Rejection = { code: 'upstream_timeout' };

class ExchangeAbortedError extends Error {
  readonly code = 'GATEHOUSE_EXCHANGE_ABORTED';
}

export interface ExchangeRequest {
  readonly method: string;
  readonly path: string;
  /** Flat undici header list, hop-by-hop fields already removed. */
  readonly headers: string[];
  /** The client request (or the body-limit stage's counter over it) when it carries a body
   * (streamed, so it cannot be replayed). */
  readonly body: Readable | null;
  readonly responseHeaderOps: HeaderOps | undefined;
}

function onExchangeTimeout(exchange: ProxyExchange): void {
  exchange.timeout();
}

export class ProxyExchange implements Dispatcher.DispatchHandler {
  readonly #ctx: RequestContext;
  readonly #balancer: BackendBalancer;
  readonly #request: ExchangeRequest;
  readonly #resolve: (result: Rejection | undefined) => void;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #onClientClose = (): void => this.#clientClosed();
  #onClientDrain: (() => void) | undefined;
  #endpoint: UpstreamEndpoint | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #started = false;
  #responding = false;
  #settled = false;
  #retried = false;

  constructor(
    ctx: RequestContext,
    balancer: BackendBalancer,
    request: ExchangeRequest,
    timeoutMs: number,
    resolve: (result: Rejection | undefined) => void,
  ) {
    this.#ctx = ctx;
    this.#balancer = balancer;
    this.#request = request;
    this.#resolve = resolve;
    // Gateway API: a zero timeouts.request ("0s") disables the timeout.
    this.#timer = timeoutMs > 0 ? setTimeout(onExchangeTimeout, timeoutMs, this) : undefined;
    ctx.res.once('close', this.#onClientClose);
  }

  send(endpoint: UpstreamEndpoint): void {
    this.#endpoint = endpoint;
    this.#started = false;
    const request = this.#request;
    // Gateway API timeouts.request bounds the whole exchange: our timer owns it, not undici's.
    endpoint.pool.dispatch(
      { path: request.path, method: request.method, headers: request.headers, body: request.body, headersTimeout: 0, bodyTimeout: 0 },
      this,
    );
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    this.#started = true;
    (this.#endpoint as UpstreamEndpoint).recordConnected();
    if (this.#settled) controller.abort(new ExchangeAbortedError('request already answered'));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (this.#settled || statusCode < 200) return; // 1xx are hop-by-hop (RFC 9110 §15.2)
    const outgoing = endToEndResponseHeaders(headers);
    if (this.#ctx.corsHeadersSet === true) preferGatewayCorsHeaders(this.#ctx.res, outgoing);
    if (this.#request.responseHeaderOps !== undefined) applyHeaderOps(this.#request.responseHeaderOps, outgoing);
    // A refreshed browser session set its cookie on this response; writeHead would drop it.
    if (this.#ctx.browserLogin !== undefined) {
      const cookies = withGatewayCookies(this.#ctx.res, outgoing['set-cookie']);
      if (cookies !== undefined) outgoing['set-cookie'] = cookies;
    }
    try {
      this.#ctx.res.writeHead(statusCode, outgoing);
    } catch {
      this.#settle(RESET);
      controller.abort(new ExchangeAbortedError('upstream response headers rejected'));
      return;
    }
    this.#responding = true;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    if (!this.#ctx.res.write(chunk)) {
      controller.pause();
      this.#ctx.res.once('drain', (this.#onClientDrain ??= () => this.#controller?.resume()));
    }
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#ctx.res.end();
    this.#settle(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const now = Date.now();
    // A refused handshake counts like a refused connection (Envoy's outlier detection does the same).
    const tlsFailed = !this.#started && isTlsHandshakeFailure(error);
    const connectFailed = tlsFailed || (!this.#started && CONNECT_ERROR_CODES.has((error as NodeJS.ErrnoException).code ?? ''));
    if (connectFailed) this.#balancer.recordConnectFailure(this.#endpoint as UpstreamEndpoint, now);
    if (this.#settled) {
      if (this.#responding) this.#ctx.res.destroy();
      return;
    }
    if (this.#responding) {
      // Status and headers are on the wire: the only honest signal left is a cut connection.
      this.#ctx.res.destroy();
      this.#settle(undefined);
      return;
    }
    if (this.#ctx.requestBody?.exceeded === true) {
      this.#settle(tooLarge(this.#ctx));
      return;
    }
    if (connectFailed) {
      const next = this.#request.body === null && !this.#retried ? this.#balancer.pick(now, this.#endpoint) : undefined;
      if (next !== undefined) {
        this.#retried = true;
        this.send(next);
        return;
      }
      this.#settle(tlsFailed ? TLS_FAILED : CONNECT_FAILED);
      return;
    }
    this.#settle(RESET);
  }

  timeout(): void {
    if (this.#settled) return;
    // Settle first: aborting re-enters onResponseError, which must see the request answered.
    if (this.#responding) {
      this.#settle(undefined);
      this.#ctx.res.destroy();
    } else {
      this.#settle(TIMED_OUT);
    }
    this.#controller?.abort(new ExchangeAbortedError('upstream request timeout'));
  }

  #clientClosed(): void {
    if (this.#settled) return;
    this.#settle(undefined);
    this.#controller?.abort(new ExchangeAbortedError('client closed the connection'));
  }

  #settle(result: Rejection | undefined): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#ctx.res.removeListener('close', this.#onClientClose);
    if (this.#onClientDrain !== undefined) this.#ctx.res.removeListener('drain', this.#onClientDrain);
    this.#resolve(result);
  }
}
