// One BrowserLogin at run time: its OIDC client, cookie sealer and refresh flights, and the
// three things the pipeline asks of it — turn a session cookie into a bearer token, send an
// unauthenticated navigation to the issuer's login, and say how its cookies are named on a
// request (docs/sso.md).
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { BrowserLogin } from '../../model/browser-login.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import type { Rejection } from '../context.ts';
import type { BrowserLoginHook, RejectionTarget } from '../errors.ts';
import type { CookieSealer } from './cookie-seal.ts';
import { MAX_COOKIE_VALUE_BYTES, appendSetCookies, chunkedSetCookies, deleteCookies, parseCookieHeader, readChunkedCookie, serializeCookie } from './cookies.ts';
import { LOGIN_STATE_SECONDS, codeChallengeOf, newPendingLogin, pendingLoginsOf, withPendingLogin, type PendingLogin } from './login-state.ts';
import { isBrowserNavigation, isLoopbackHost } from './navigation.ts';
import type { OidcClient } from './oidc-client.ts';
import { requestPathOf, safeReturnPath } from './return-path.ts';
import { REFRESH_EARLY_SECONDS, RefreshFlights, isSessionContent, sessionFromTokens, type SessionContent } from './session.ts';
import { renderSsoPage } from './sso-pages.ts';
import { SsoError } from './sso-error.ts';

/** A session this young that is refused means the route refuses the issuer's tokens. */
export const FRESH_SESSION_SECONDS = 10;

export interface CookieNames {
  session: string;
  loginState: string;
  secure: boolean;
}

/** The request facts the runtime needs (a RequestContext has them all). */
export interface SsoRequest {
  req: { method?: string; headers: IncomingHttpHeaders; url?: string };
  res: ServerResponse;
  secure: boolean;
  host: string;
  requestId?: string;
}

export type SessionOutcome =
  | { kind: 'none' }
  | { kind: 'active'; accessToken: string; setCookies: string[]; startedAt: number }
  | { kind: 'ended'; setCookies: string[] };

export class BrowserLoginRuntime implements BrowserLoginHook {
  readonly login: BrowserLogin;
  readonly client: OidcClient;
  readonly sealer: CookieSealer;
  readonly logger: GatewayLogger;
  readonly #flights = new RefreshFlights();
  /** Requests carrying a session that began moments ago (see answerUnauthenticated). */
  readonly #freshSessions = new WeakSet<object>();

  constructor(login: BrowserLogin, client: OidcClient, sealer: CookieSealer, logger: GatewayLogger) {
    this.login = login;
    this.client = client;
    this.sealer = sealer;
    this.logger = logger;
  }

  /** Secure unless configured off, or (auto) plain HTTP on a loopback host; behind externalUrl, as its scheme says. */
  cookieNames(request: { secure: boolean; host: string }): CookieNames {
    const setting = this.login.cookie.secure;
    const external = this.login.externalUrl;
    // externalUrl says what the browser sees; without it a non-loopback host is taken to be behind TLS.
    const automatic = external !== undefined ? external.startsWith('https:') : request.secure || !isLoopbackHost(request.host);
    const secure = setting === 'auto' ? automatic : setting;
    const session = this.login.cookie.name ?? (secure ? '__Host-gatehouse' : 'gatehouse_session');
    return { session, loginState: `${session}-login`, secure };
  }

  /** `https://host:port` the browser sees, for redirect_uri and post_logout_redirect_uri. */
  origin(request: SsoRequest): string {
    return this.login.externalUrl ?? `${request.secure ? 'https' : 'http'}://${request.req.headers.host ?? request.host}`;
  }

  /** The session cookie's access token (refreshed when due), or why there is none. */
  async readSession(request: SsoRequest, nowSeconds: number): Promise<SessionOutcome> {
    const names = this.cookieNames(request);
    const cookies = parseCookieHeader(request.req.headers.cookie);
    const sealed = readChunkedCookie(cookies, names.session);
    if (sealed === undefined) return { kind: 'none' };
    const ended = (): SessionOutcome => ({ kind: 'ended', setCookies: deleteCookies(names.session, names.secure, cookies) });
    let session: SessionContent;
    try {
      const content = await this.sealer.unseal<unknown>('session', sealed, nowSeconds);
      if (!isSessionContent(content)) throw new SsoError('sso_cookie_invalid', 'session cookie content is malformed');
      session = content;
    } catch (error) {
      this.warn(request, error, 'session cookie refused');
      return ended();
    }
    if (session.atExp - REFRESH_EARLY_SECONDS > nowSeconds) return { kind: 'active', accessToken: session.at, setCookies: [], startedAt: session.start };
    if (session.rt === undefined) return ended();
    const metadata = await this.client.discover();
    if (metadata === undefined) return ended();
    const refreshToken = session.rt;
    const tokens = await this.#flights.run(
      refreshToken,
      () => this.client.refresh(metadata, refreshToken, nowSeconds),
      (error) => this.warn(request, error, 'session refresh failed'),
    );
    if (tokens === undefined) return ended();
    const refreshed = sessionFromTokens(tokens, session.sub, session.start, session);
    return { kind: 'active', accessToken: refreshed.at, setCookies: await this.sessionSetCookies(refreshed, names, cookies), startedAt: session.start };
  }

  /** Set-Cookie lines storing `session` (chunked when long) until the session's end. */
  async sessionSetCookies(session: SessionContent, names: CookieNames, present: ReadonlyMap<string, string>): Promise<string[]> {
    const expiresAt = session.start + this.login.sessionLifetimeSeconds;
    const sealed = await this.sealer.seal('session', session, expiresAt);
    const maxAgeSeconds = expiresAt - Math.floor(Date.now() / 1000);
    return chunkedSetCookies(names.session, sealed, { secure: names.secure, maxAgeSeconds }, present);
  }

  /**
   * errors.ts asks this for every 401 on a covered route. A browser navigation is sent to the
   * issuer (302); anything else gets the usual 401 + WWW-Authenticate (undefined here).
   */
  answerUnauthenticated(target: RejectionTarget, rejection: Rejection): number | undefined {
    const request = target as RejectionTarget & SsoRequest;
    if (!isBrowserNavigation(request.req.method, request.req.headers)) return undefined;
    // Refused right after a login: another login would only loop through the issuer (which signs
    // the browser in again at once). The route does not accept this issuer's tokens; say so.
    if (this.#freshSessions.has(request.req)) {
      this.warn(request, new Error(`the route refused the new session's access token: ${rejection.code}`), 'login loop stopped');
      return renderSsoPage(request.res, {
        status: 401,
        title: 'Signed in, but access was refused',
        message: `This site did not accept the sign-in (${rejection.code}). Please contact its operators.`,
      });
    }
    const metadata = this.client.metadata;
    if (metadata === undefined) {
      return renderSsoPage(request.res, { status: 503, title: 'Sign-in unavailable', message: 'The sign-in service cannot be reached right now.', retryPath: '/' });
    }
    const names = this.cookieNames(request);
    const cookies = parseCookieHeader(request.req.headers.cookie);
    const pending = newPendingLogin(safeReturnPath(requestPathOf(request.req.url)));
    const location = this.client.authorizationUrl(metadata, {
      redirectUri: `${this.origin(request)}${this.login.callbackPath}`,
      state: pending.state,
      nonce: pending.nonce,
      codeChallenge: codeChallengeOf(pending.verifier),
    });
    // Sealing is asynchronous (WebCrypto); the status is already decided, so the response
    // completes as soon as the state cookie is sealed.
    void this.#loginStateCookie(names, cookies, pending).then(
      (stateCookie) => {
        appendSetCookies(request.res, [stateCookie, ...deleteCookies(names.session, names.secure, cookies)]);
        request.res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0 });
        request.res.end();
      },
      (error: unknown) => {
        this.warn(request, error, 'could not start the login');
        request.res.destroy();
      },
    );
    return 302;
  }

  async #loginStateCookie(names: CookieNames, cookies: ReadonlyMap<string, string>, login: PendingLogin): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    let pending = withPendingLogin(await this.readPendingLogins(names, cookies, now), login);
    let sealed = await this.sealer.seal('login-state', { pending }, now + LOGIN_STATE_SECONDS);
    // One cookie, never chunked: older pending logins give way to the new one.
    while (sealed.length > MAX_COOKIE_VALUE_BYTES && pending.length > 1) {
      pending = pending.slice(1);
      sealed = await this.sealer.seal('login-state', { pending }, now + LOGIN_STATE_SECONDS);
    }
    return serializeCookie(names.loginState, sealed, { secure: names.secure, maxAgeSeconds: LOGIN_STATE_SECONDS });
  }

  /** The logins pending in the request's state cookie; none when absent, expired or forged. */
  async readPendingLogins(names: CookieNames, cookies: ReadonlyMap<string, string>, nowSeconds: number): Promise<PendingLogin[]> {
    const sealed = cookies.get(names.loginState);
    if (sealed === undefined) return [];
    try {
      return pendingLoginsOf(await this.sealer.unseal<unknown>('login-state', sealed, nowSeconds));
    } catch {
      return [];
    }
  }

  /** The session on this request began within FRESH_SESSION_SECONDS. */
  markFresh(request: object): void {
    this.#freshSessions.add(request);
  }

  warn(request: SsoRequest, error: unknown, message: string): void {
    const code = error instanceof SsoError ? error.code : 'internal_error';
    const detail = error instanceof Error ? error.message : String(error);
    // An ended session is routine; a forged or undecryptable cookie is worth a warning.
    const level = code === 'sso_cookie_expired' ? 'debug' : 'warn';
    this.logger[level]({ requestId: request.requestId, browserLogin: this.login.name, code, detail }, message);
  }
}
