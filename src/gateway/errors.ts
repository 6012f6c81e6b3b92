// The one place that decides how a Rejection looks on the wire (Oathkeeper's error handlers:
// JSON for APIs, WWW-Authenticate for bearer clients, a redirect for browsers). Every response
// carries the stable reason code; none ever carries a stack trace or a token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rejection } from './context.ts';
import { publicError, REASONS } from './reasons.ts';
import type { ReasonCode } from './reasons.ts';

const DEFAULT_REALM = 'gatehouse';

export interface RejectionTarget {
  req: IncomingMessage;
  res: ServerResponse;
  secure: boolean;
  requestId?: string;
  /** Set on routes a BrowserLogin covers: it may answer a 401 itself (docs/sso.md). */
  browserLogin?: BrowserLoginHook;
}

/** A BrowserLogin's say in a 401: a status when it answered (login redirect), else undefined. */
export interface BrowserLoginHook {
  answerUnauthenticated(target: RejectionTarget, rejection: Rejection): number | undefined;
}

/** Writes the response for a rejection and returns the status sent. */
export function renderRejection(target: RejectionTarget, rejection: Rejection): number {
  const { req, res } = target;
  const reason = REASONS[rejection.code];
  const message = rejection.detail ?? reason.message;
  if (target.requestId !== undefined) res.setHeader('x-request-id', target.requestId);
  if (reason.status === 401 && rejection.status === undefined && target.browserLogin !== undefined) {
    const answered = target.browserLogin.answerUnauthenticated(target, rejection);
    if (answered !== undefined) return answered;
  }
  if (reason.status === 401 && rejection.loginUrl !== undefined && isBrowserNavigation(req)) {
    res.writeHead(302, { location: loginRedirect(rejection.loginUrl, originalUrl(target)), 'cache-control': 'no-store' });
    res.end();
    return 302;
  }
  // 401s always challenge; a 403 does when it names a bearer error (insufficient_scope, §3.1).
  if (reason.status === 401 || rejection.bearerError !== undefined) res.setHeader('www-authenticate', bearerChallenge(rejection, message));
  const body = JSON.stringify({ error: publicError(rejection.code), message });
  const status = rejection.status ?? reason.status;
  if (rejection.headers !== undefined) for (const name in rejection.headers) res.setHeader(name, rejection.headers[name]);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
  return status;
}

/**
 * RFC 6750 §3: `Bearer realm="…"`, plus `error`/`error_description` only when a token was
 * presented — a request without any token gets the bare challenge (§3.1) — and `scope` with
 * the scopes the resource needs when the token lacked them.
 */
export function bearerChallenge(rejection: Rejection, message: string): string {
  const realm = `Bearer realm="${quote(rejection.realm ?? DEFAULT_REALM)}"`;
  if (rejection.code === 'jwt_missing') return realm;
  const scope = rejection.requiredScope === undefined ? '' : `, scope="${quote(rejection.requiredScope)}"`;
  return `${realm}, error="${rejection.bearerError ?? 'invalid_token'}", error_description="${quote(message)}"${scope}`;
}

/** A top-level page load by a browser: GET (or HEAD) asking for HTML. */
function isBrowserNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const accept = req.headers.accept;
  return accept !== undefined && accept.includes('text/html');
}

function originalUrl(target: RejectionTarget): string {
  const host = target.req.headers.host ?? 'localhost';
  return `${target.secure ? 'https' : 'http'}://${host}${target.req.url ?? '/'}`;
}

/** NGINX `login-url` semantics: the user comes back to where they were after logging in. */
export function loginRedirect(loginUrl: string, returnTo: string): string {
  const separator = loginUrl.includes('?') ? '&' : '?';
  return `${loginUrl}${separator}return_to=${encodeURIComponent(returnTo)}`;
}

/** RFC 7230 §3.2.6 quoted-string: escape backslash and double quote. */
function quote(value: string): string {
  return value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ');
}

/**
 * Answers a request Node's HTTP parser refused before it became a request ('clientError'):
 * a raw response on the socket, then close it — the connection state is unknown.
 */
export function clientErrorResponse(code: ReasonCode): string {
  const reason = REASONS[code];
  const body = JSON.stringify({ error: code, message: reason.message });
  return (
    `HTTP/1.1 ${reason.status} ${reason.message}\r\n` +
    `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

/** Which reason a parser error gets; undefined means: just drop the connection. */
export function clientErrorReason(errorCode: string | undefined): ReasonCode | undefined {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return 'header_too_large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'request_timeout';
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    default:
      return 'bad_request';
  }
}
