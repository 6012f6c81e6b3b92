import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../model/identity.ts';
import type { ReasonCode } from './reasons.ts';

/** Per-request state that flows through the pipeline. Created once per request, never copied. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly startedAt: bigint; // process.hrtime.bigint()
  requestId: string;
  method: string;
  /** Host header without port, lower-case. */
  host: string;
  /** Normalized path (no query). This is what is matched and what goes upstream. */
  path: string;
  /** Raw query string without '?', '' when absent. */
  query: string;
  remoteAddress: string;
  listenerPort: number;
  secure: boolean;
  /** Set by the route stage; its concrete type is owned by src/gateway/stages/route.ts. */
  route?: unknown;
  /** Set by the authenticate stage when a token was verified. */
  identity?: Identity;
  /** Extra request headers to send upstream (identity headers, rewritten headers). */
  upstreamHeaders: Record<string, string>;
  /** Request header names (lower-case) that must not go upstream (e.g. the original token). */
  dropHeaders: string[];
  /** The complete request headers to send upstream, built by the shape stage. */
  outgoingHeaders?: Record<string, string | string[]>;
  /** Set by the body-limit stage for a body of unannounced size: its route's limit in bytes. */
  unsizedBodyLimit?: number;
  /** The counter the body streams through when it goes upstream (see upstreamBody). */
  requestBody?: import('./limits/body-size-limiter.ts').BodySizeLimiter;
  /** Set by the cors stage: CORS headers are on `res` and win over the upstream's (forward). */
  corsHeadersSet?: boolean;
  /** Set by a stage that answered the request itself (e.g. a RequestRedirect): stop the pipeline. */
  responded?: boolean;
  /** Set by the authorize stage: which policy and rule decided (access log at debug, explain). */
  authzDecision?: import('../authz/evaluate.ts').Decision;
  /** Set by the sso-session stage on routes a BrowserLogin covers (errors.ts asks it about 401s). */
  browserLogin?: import('./errors.ts').BrowserLoginHook;
  /** For the access log. */
  authResult?: 'ok' | 'anonymous' | ReasonCode;
  upstream?: string;
}

/** Why a stage stopped the request. How it looks on the wire is decided in errors.ts only. */
export interface Rejection {
  code: ReasonCode;
  /** Overrides the table's message with a more precise one (never containing a token). */
  detail?: string;
  /** For 401s: realm and login URL of the provider that applies. */
  realm?: string;
  loginUrl?: string;
  /** RFC 6750 error code for WWW-Authenticate, e.g. "invalid_token", "insufficient_scope". */
  bearerError?: string;
  /** For `insufficient_scope`: the scopes the resource needs (RFC 6750 §3 `scope` attribute). */
  requiredScope?: string;
  /** A configured status replacing the table's (NGINX rateLimit `rejectCode`). */
  status?: number;
  /** Extra response fields, e.g. Retry-After and RateLimit for `rate_limited`. */
  headers?: Record<string, string>;
}

/**
 * One pipeline stage. `run` returns undefined to continue, a Rejection to stop, or a promise of
 * either when it must wait (cold JWKS fetch). Hot paths stay synchronous: the pipeline only
 * awaits when a stage actually returned a promise.
 */
export interface Stage {
  readonly name: string;
  run(ctx: RequestContext): Rejection | undefined | Promise<Rejection | undefined>;
}
