// Round-robin over one backend's endpoints, skipping ejected ones.
import type { Backend } from '../../model/gateway-model.ts';
import type { UpstreamEndpoint } from './upstream-endpoint.ts';

export class BackendBalancer {
  readonly name: string;
  readonly maxConnectFailures: number;
  readonly ejectionMs: number;
  readonly endpoints: readonly UpstreamEndpoint[];
  #cursor = 0;

  constructor(backend: Backend, endpoints: readonly UpstreamEndpoint[]) {
    this.name = backend.name;
    this.maxConnectFailures = backend.maxConnectFailures;
    this.ejectionMs = backend.ejectionMs;
    this.endpoints = endpoints;
  }

  /** Next available endpoint after the cursor, other than `exclude`; undefined if none is. */
  pick(now: number, exclude?: UpstreamEndpoint): UpstreamEndpoint | undefined {
    const count = this.endpoints.length;
    for (let tried = 0; tried < count; tried++) {
      const endpoint = this.endpoints[this.#cursor];
      this.#cursor = this.#cursor + 1 === count ? 0 : this.#cursor + 1;
      if (endpoint !== exclude && endpoint.isAvailable(now)) return endpoint;
    }
    return undefined;
  }

  recordConnectFailure(endpoint: UpstreamEndpoint, now: number): void {
    endpoint.recordConnectFailure(this.maxConnectFailures, this.ejectionMs, now);
  }
}
