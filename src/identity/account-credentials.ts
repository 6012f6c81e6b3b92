// Who is calling the account API: HTTP Basic username:password (RFC 7617) checked through the
// login throttle, or a Bearer JWT access token (RFC 6750) this service issued for the account
// API's audience. API tokens are not accepted here: one token must not mint others.
import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { RevocationSet } from '../authn/revocation-set.ts';
import type { IdentityStore, RevocationRecord, RevocationStore, UserRecord } from '../store/identity-store.ts';
import type { Accounts } from './accounts.ts';
import type { ClientAddressResolver } from './client-address.ts';
import type { KeyRing } from './keys/key-ring.ts';

export type CallerResult =
  | { ok: true; user: UserRecord }
  | { ok: false; status: 401; code: 'invalid_credentials' | 'invalid_token' | 'missing_credentials' }
  | { ok: false; status: 429; code: 'locked'; retryAfterSeconds: number };

/** Verifies a JWT access token; resolves to its subject, or undefined when it is not acceptable. */
export type AccessTokenVerifier = (token: string) => Promise<string | undefined>;

/** The audience a Bearer token must carry to manage API tokens (declare it under spec.resources). */
export function accountApiAudience(issuer: string): string {
  return `${issuer}/api`;
}

/**
 * Whether a revocation covers a verified token: its `jti`, or every token of its subject or client
 * issued (`iat`) at or before the cutoff — judged by the gateways' own RevocationSet, so the
 * account API and the gateways cannot come to disagree on the rules.
 */
function isRevoked(payload: JWTPayload, revocations: readonly RevocationRecord[], now: number): boolean {
  if (revocations.length === 0) return false;
  const set = new RevocationSet();
  for (const record of revocations) set.apply(record, now);
  return set.revokesClaims(payload);
}

export function createAccessTokenVerifier(options: {
  issuer: string;
  keyRing: Pick<KeyRing, 'publicJwks' | 'version'>;
  /** Revoked tokens are refused here as at the gateways (e.g. DELETE /admin/access-tokens/:jti). */
  revocations: Pick<RevocationStore, 'active'>;
  audience?: string;
  clock?: () => number;
}): AccessTokenVerifier {
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  let cached: { version: string; jwks: ReturnType<typeof createLocalJWKSet> } | undefined;
  return async (token) => {
    if (cached?.version !== options.keyRing.version) cached = { version: options.keyRing.version, jwks: createLocalJWKSet(options.keyRing.publicJwks()) };
    try {
      // RFC 9068 §4: typ at+jwt, issuer and audience checked, signature from our own keys only.
      const { payload } = await jwtVerify(token, cached.jwks, {
        issuer: options.issuer,
        audience: options.audience ?? accountApiAudience(options.issuer),
        typ: 'at+jwt',
        algorithms: ['RS256', 'ES256', 'EdDSA'],
      });
      if (typeof payload.sub !== 'string') return undefined;
      const now = clock();
      return isRevoked(payload, await options.revocations.active(now), now) ? undefined : payload.sub;
    } catch {
      return undefined;
    }
  };
}

export interface CredentialDeps {
  store: Pick<IdentityStore, 'users'>;
  accounts: Pick<Accounts, 'authenticate'>;
  verifyAccessToken?: AccessTokenVerifier;
  /** The IP the throttle counts against (default: the socket address). */
  clientAddress?: ClientAddressResolver;
  clock: () => number;
}

export async function identifyCaller(req: IncomingMessage, deps: CredentialDeps): Promise<CallerResult> {
  const header = req.headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header.toLowerCase() : header.slice(0, space).toLowerCase();
  const credentials = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic' && credentials !== '') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { ok: false, status: 401, code: 'invalid_credentials' };
    const ip = deps.clientAddress ? deps.clientAddress(req) : (req.socket.remoteAddress ?? 'unknown');
    const result = await deps.accounts.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1), ip, deps.clock());
    if (result.ok) return { ok: true, user: result.user };
    if (result.reason === 'locked') return { ok: false, status: 429, code: 'locked', retryAfterSeconds: result.retryAfterSeconds ?? 60 };
    return { ok: false, status: 401, code: 'invalid_credentials' };
  }
  if (scheme === 'bearer' && credentials !== '' && deps.verifyAccessToken) {
    const sub = await deps.verifyAccessToken(credentials);
    const user = sub === undefined ? undefined : await deps.store.users.findById(sub);
    if (!user || user.disabled) return { ok: false, status: 401, code: 'invalid_token' };
    return { ok: true, user };
  }
  return { ok: false, status: 401, code: 'missing_credentials' };
}
