// What a started login must remember until the issuer sends the browser back: state (CSRF,
// RFC 6749 §10.12), nonce (replay, OIDC Core §3.1.2.1), the PKCE verifier (RFC 7636 §4.1) and
// the same-origin path to return to. Kept in a short-lived sealed cookie; a few logins may be
// pending at once (several tabs), the oldest is dropped beyond MAX_PENDING_LOGINS.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnPath: string;
}

export interface LoginStateContent {
  pending: PendingLogin[];
}

export const LOGIN_STATE_SECONDS = 600;
export const MAX_PENDING_LOGINS = 3;

export function newPendingLogin(returnPath: string): PendingLogin {
  return { state: random(), nonce: random(), verifier: random(), returnPath };
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Adds a login, keeping only the newest MAX_PENDING_LOGINS. */
export function withPendingLogin(previous: readonly PendingLogin[], login: PendingLogin): PendingLogin[] {
  return [...previous, login].slice(-MAX_PENDING_LOGINS);
}

/** The pending login whose state equals `state` (compared in constant time). */
export function findPendingLogin(pending: readonly PendingLogin[], state: string | null): PendingLogin | undefined {
  if (state === null || state === '') return undefined;
  const wanted = Buffer.from(state);
  return pending.find((login) => {
    const candidate = Buffer.from(login.state);
    return candidate.length === wanted.length && timingSafeEqual(candidate, wanted);
  });
}

/** Pending logins read from a cookie's content, keeping only well-formed entries. */
export function pendingLoginsOf(content: unknown): PendingLogin[] {
  const pending = (content as Partial<LoginStateContent> | undefined)?.pending;
  if (!Array.isArray(pending)) return [];
  return (pending as unknown[]).filter(
    (login): login is PendingLogin =>
      typeof login === 'object' && login !== null &&
      ['state', 'nonce', 'verifier', 'returnPath'].every((field) => typeof (login as Record<string, unknown>)[field] === 'string'),
  );
}

/** 256 bits from the CSPRNG, base64url (43 characters; a valid PKCE verifier, RFC 7636 §4.1). */
function random(): string {
  return randomBytes(32).toString('base64url');
}
