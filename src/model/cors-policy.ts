// The Gateway API HTTPRoute CORS filter (HTTPCORSFilter, GEP-1767) as the model keeps it.

export interface CorsPolicy {
  /** `*`, or origins `scheme://host[:port]` where the host may start with `*.` (any subdomain). */
  allowOrigins: string[];
  /** Methods, or `*`; empty = the CORS-safelisted methods only. */
  allowMethods: string[];
  /** Request header names (lower-case), or `*`. */
  allowHeaders: string[];
  /** Response header names (lower-case), or `*`. */
  exposeHeaders: string[];
  allowCredentials: boolean;
  /** Access-Control-Max-Age: how long a browser may cache the preflight answer. */
  maxAgeSeconds: number;
}
