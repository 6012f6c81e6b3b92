// The browser session: the tokens of one login, sealed into the session cookie. The access
// token is refreshed shortly before it expires, once per refresh token (single flight), and the
// outcome is remembered briefly so a request still carrying the previous cookie does not
// replay a refresh token the issuer has already rotated (that would revoke the whole grant,
// OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
import type { TokenSet } from './oidc-client.ts';

export interface SessionContent {
  /** Access token, presented to the authenticator as a bearer token. */
  at: string;
  /** Its expiry, epoch seconds (from expires_in, else the access token's own exp: token-request.ts). */
  atExp: number;
  rt?: string;
  /** ID token, kept as the id_token_hint for logout. */
  idt?: string;
  sub: string;
  /** When the login happened, epoch seconds; the session ends at start + sessionLifetime. */
  start: number;
}

/** Refresh this long before the access token expires, so it is still valid upstream. */
export const REFRESH_EARLY_SECONDS = 30;
const REMEMBER_REFRESH_MS = 60_000;
const MAX_REMEMBERED = 10_000;

export function sessionFromTokens(tokens: TokenSet, sub: string, start: number, previous?: SessionContent): SessionContent {
  const session: SessionContent = { at: tokens.accessToken, atExp: tokens.accessTokenExpiresAt, sub, start };
  const rt = tokens.refreshToken ?? previous?.rt;
  const idt = tokens.idToken ?? previous?.idt;
  if (rt !== undefined) session.rt = rt;
  if (idt !== undefined) session.idt = idt;
  return session;
}

export function isSessionContent(value: unknown): value is SessionContent {
  const session = value as Partial<SessionContent> | undefined;
  return (
    typeof session?.at === 'string' && typeof session.atExp === 'number' && typeof session.sub === 'string' &&
    typeof session.start === 'number' && (session.rt === undefined || typeof session.rt === 'string') &&
    (session.idt === undefined || typeof session.idt === 'string')
  );
}

/** Single flight per refresh token, with a short memory of finished refreshes. */
export class RefreshFlights {
  readonly #flights = new Map<string, Promise<TokenSet | undefined>>();
  readonly #finished = new Map<string, { tokens: TokenSet | undefined; until: number }>();

  run(refreshToken: string, refresh: () => Promise<TokenSet>, onError: (error: unknown) => void): Promise<TokenSet | undefined> {
    const now = Date.now();
    const finished = this.#finished.get(refreshToken);
    if (finished !== undefined && finished.until > now) return Promise.resolve(finished.tokens);
    let flight = this.#flights.get(refreshToken);
    if (flight === undefined) {
      flight = refresh().then(
        (tokens) => tokens,
        (error: unknown) => {
          onError(error);
          return undefined;
        },
      );
      this.#flights.set(refreshToken, flight);
      void flight.then((tokens) => {
        this.#flights.delete(refreshToken);
        this.#remember(refreshToken, tokens);
      });
    }
    return flight;
  }

  #remember(refreshToken: string, tokens: TokenSet | undefined): void {
    const now = Date.now();
    for (const [key, entry] of this.#finished) {
      if (entry.until > now && this.#finished.size < MAX_REMEMBERED) break;
      this.#finished.delete(key);
    }
    this.#finished.set(refreshToken, { tokens, until: now + REMEMBER_REFRESH_MS });
  }
}
