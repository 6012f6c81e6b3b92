// Instance-wide settings of the model (from the optional gatehouse.dev GatewayOptions kind),
// with every default already applied: readers never decide a default themselves.
import type { SourceRef } from './gateway-model.ts';
import type { PathNormalization } from './path-normalization.ts';

export interface GatewayLimits {
  maxHeaderBytes: number;
  maxHeaderCount: number;
  maxTokenBytes: number;
  maxRequestBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Per listener socket (Node's server.maxConnections). */
  maxConnections: number;
  /** Per gateway process. */
  maxConcurrentRequests: number;
}

export interface GatewayOptions {
  limits: GatewayLimits;
  shutdown: { drainTimeoutMs: number };
  /** Before routing and authorization (src/gateway/stages/normalize-path.ts). */
  pathNormalization: PathNormalization;
  /** Route name (Route.routeName) → request body limit that overrides limits.maxRequestBodyBytes. */
  routeBodyLimits: { routeName: string; maxRequestBodyBytes: number }[];
  /** The GatewayOptions document, when the config has one. */
  source?: SourceRef;
}
