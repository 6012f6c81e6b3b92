// One upstream origin: its keep-alive connection pool and its passive health. Like NGINX's
// max_fails/fail_timeout, consecutive connect failures eject the endpoint; once the ejection
// time has passed it is tried again, and a single further failure ejects it again.
// Several config generations may hold the same endpoint (reloads reuse it), so the pool is
// reference-counted and closes when the last generation lets go.
import { Pool } from 'undici';
import type { BackendTls } from '../../model/gateway-model.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import { UpstreamConnector } from './upstream-connector.ts';

export class UpstreamEndpoint {
  readonly origin: string;
  readonly connectTimeoutMs: number;
  readonly pool: Pool;
  readonly #connector: UpstreamConnector;
  #consecutiveFailures = 0;
  #ejectedUntil = 0;
  #holders = 0;

  constructor(origin: string, connectTimeoutMs: number, tls?: BackendTls, logger?: GatewayLogger) {
    this.origin = origin;
    this.connectTimeoutMs = connectTimeoutMs;
    this.#connector = new UpstreamConnector(origin.startsWith('https:') ? tls : undefined, connectTimeoutMs, logger);
    // pipelining 1: HTTP/1.1 pipelining breaks on many servers and hides head-of-line stalls.
    this.pool = new Pool(origin, { pipelining: 1, connect: this.#connector.connect });
  }

  get closed(): boolean {
    return this.pool.closed || this.pool.destroyed;
  }

  retain(): this {
    this.#holders++;
    return this;
  }

  /** Closes the pool (letting in-flight requests finish) when no generation holds it any more. */
  async release(): Promise<void> {
    if (--this.#holders !== 0) return;
    this.#connector.close();
    await this.pool.close();
  }

  isAvailable(now: number): boolean {
    return this.#ejectedUntil <= now;
  }

  recordConnectFailure(maxConnectFailures: number, ejectionMs: number, now: number): void {
    this.#consecutiveFailures++;
    if (this.#consecutiveFailures >= maxConnectFailures) this.#ejectedUntil = now + ejectionMs;
  }

  recordConnected(): void {
    this.#consecutiveFailures = 0;
    this.#ejectedUntil = 0;
  }
}

/** Endpoints are shared across reloads by origin, connect timeout and TLS settings (the pool's identity). */
export function endpointKey(origin: string, connectTimeoutMs: number, tlsKey: string): string {
  return `${origin}|${connectTimeoutMs}|${tlsKey}`;
}
