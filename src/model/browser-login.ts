// A BrowserLogin as the gateway runs it (docs/sso.md): which routes, which OpenID Provider and
// client, and the session cookie. Secrets are resolved; durations are seconds.
import type { SourceRef, TargetRef } from './gateway-model.ts';

export interface BrowserLogin {
  name: string;
  /** Empty = every route. */
  targets: TargetRef[];
  /** Exact issuer; a RequestAuthentication provider with this issuer verifies the session's tokens. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** RFC 8707 resource indicator sent at authorization, token and refresh requests. */
  resource?: string;
  callbackPath: string;
  logoutPath: string;
  postLogoutPath: string;
  /** Public origin (`https://app.example.com`) the callback and post-logout URLs are built on; default: the request's scheme and Host. */
  externalUrl?: string;
  cookie: {
    /** Undefined = `__Host-gatehouse` when Secure, `gatehouse_session` otherwise. */
    name?: string;
    /** 32-byte keys; the first encrypts, every one decrypts (rotation). */
    keys: Buffer[];
    secure: 'auto' | boolean;
  };
  sessionLifetimeSeconds: number;
  timeoutMs: number;
  source: SourceRef;
}
