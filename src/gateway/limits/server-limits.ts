// GatewayOptions limits → node:http server settings. Node enforces them before a request reaches
// the pipeline: an oversized header block → 431 and a trickled one (slowloris) → 408 and close,
// both through the server's 'clientError' (listener-set.ts); excess connections are dropped.
import type http from 'node:http';
import type { GatewayLimits } from '../../model/gateway-options.ts';

export interface ServerLimits {
  maxHeaderSize: number;
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  /** How often Node checks headersTimeout/requestTimeout (default 30 s — far too coarse for a
   * headersTimeout of a few seconds). */
  connectionsCheckingInterval: number;
  maxConnections: number;
}

export function serverLimits(limits: GatewayLimits): ServerLimits {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    maxConnections: limits.maxConnections,
  };
}

/** A reload's new limits on an open server (Node reads these properties at each check). */
export function applyServerLimits(server: http.Server, limits: GatewayLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
