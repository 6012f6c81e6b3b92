import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from '../model/identity.ts';

/** What an authorization decision may read about a request (Istio's attribute vocabulary). */
export interface AuthzRequest {
  method: string;
  /** Host header without port, lower-case. */
  host: string;
  /** Normalized path without the query string. */
  path: string;
  /** The listener port the request arrived on (destination.port). */
  port: number;
  headers: IncomingHttpHeaders;
  /** The direct peer address (source.ip). */
  sourceIp: string;
  /** The original client address (remote.ip): the direct peer unless trusted proxies say otherwise. */
  remoteIp: string;
  /** TLS server name the client asked for (connection.sni), if any. */
  sni?: string;
  identity?: Identity;
  /** The verified client certificate's SPIFFE ID without `spiffe://` (source.principal), if any. */
  peerPrincipal?: string;
  /** Its `/ns/<namespace>/` segment (source.namespace). */
  peerNamespace?: string;
}
