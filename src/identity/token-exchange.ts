// OAuth 2.0 Token Exchange (RFC 8693) for the phantom-token pattern (seed 003): a gateway (a
// client allowed this grant) trades an opaque credential the outside world holds — a personal
// API token `gat_…` or an opaque access token of ours — for a short-lived JWT access token
// (RFC 9068) for exactly one API, which it forwards instead.
import { randomUUID } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
import { errors } from 'oidc-provider';
import type { Provider, TokenEndpointGrantContext } from 'oidc-provider';
import type { IdentityStore, UserRecord } from '../store/identity-store.ts';
import { isWellFormedApiToken, resolveApiToken } from './api-tokens.ts';
import type { IdentityConfig } from './identity-config.ts';
import type { IssuedTokens } from './issued-tokens.ts';
import { clientResources } from './provider-resources.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: token type identifiers. */
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const PARAMETERS = ['subject_token', 'subject_token_type', 'requested_token_type', 'resource', 'audience', 'scope'] as const;

export interface ExchangeSigner {
  activeSigner(): { kid: string; alg: string; privateKey: webcrypto.CryptoKey };
}

export interface TokenExchangeDependencies {
  readonly config: IdentityConfig;
  readonly store: IdentityStore;
  readonly keys: ExchangeSigner;
  readonly issuedTokens: IssuedTokens;
  readonly now?: () => number;
}

/** Who the subject token speaks for, and within which limits. */
interface Subject {
  readonly user: UserRecord;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number | undefined;
  readonly grantId: string | undefined;
}

type ExchangeParams = Record<(typeof PARAMETERS)[number], string | undefined>;

export function registerTokenExchange(provider: Provider, deps: TokenExchangeDependencies): void {
  provider.registerGrantType<ExchangeParams>(TOKEN_EXCHANGE_GRANT, (ctx) => exchange(ctx, deps), PARAMETERS);
}

async function exchange(ctx: TokenEndpointGrantContext<ExchangeParams>, deps: TokenExchangeDependencies): Promise<void> {
  const { params, client, provider } = ctx.oidc;
  const now = deps.now?.() ?? Math.floor(Date.now() / 1000);
  if (!params.subject_token) throw new errors.InvalidRequest('missing required parameter subject_token');
  if (params.subject_token_type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
  }
  const requested = params.requested_token_type;
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE && requested !== JWT_TOKEN_TYPE) {
    throw new errors.InvalidRequest('requested_token_type must be an access token or a JWT');
  }

  const target = params.resource ?? params.audience;
  if (Array.isArray(target)) throw new errors.InvalidTarget('only one resource or audience may be requested');
  const audience = chooseAudience(target, clientResources(client));
  const resource = deps.config.resources.find((candidate) => candidate.identifier === audience);
  if (!resource) throw new errors.InvalidTarget('unknown resource');

  const subject = await resolveSubject(params.subject_token, provider, deps.store, now);
  if (subject.expiresAt !== undefined && subject.expiresAt <= now) throw new errors.InvalidGrant('subject token is expired');

  const wanted = params.scope ? new Set(params.scope.split(' ')) : undefined;
  const scopes = subject.scopes.filter((scope) => Object.hasOwn(resource.scopes, scope) && (!wanted || wanted.has(scope)));
  const lifetime = Math.min(deps.config.tokens.exchangedTokenSeconds, (subject.expiresAt ?? Infinity) - now);
  const signer = deps.keys.activeSigner();
  const jti = randomUUID();
  const exp = now + lifetime;
  const accessToken = await new SignJWT({
    client_id: subject.clientId,
    scope: scopes.join(' ') || undefined,
    preferred_username: subject.user.username,
    roles: [...subject.user.roles],
    groups: [...subject.user.groups],
  })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'at+jwt' })
    .setIssuer(provider.issuer)
    .setSubject(subject.user.id)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(signer.privateKey);
  await deps.issuedTokens.record({ jti, grantId: subject.grantId, clientId: subject.clientId, accountId: subject.user.id, expiresAt: exp });

  ctx.body = {
    access_token: accessToken,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: lifetime,
    scope: scopes.join(' ') || undefined,
  };
}

/** RFC 8693 §2.1: `resource`/`audience` name the target; RFC 8707 — exactly one, and one the client is registered for. */
function chooseAudience(requested: string | undefined, registered: readonly string[]): string {
  if (requested === undefined) {
    if (registered.length === 1) return registered[0];
    throw new errors.InvalidTarget('resource is required: name the API this token is for');
  }
  if (!registered.includes(requested)) throw new errors.InvalidTarget('client is not registered for this resource');
  return requested;
}

async function resolveSubject(token: string, provider: Provider, store: IdentityStore, now: number): Promise<Subject> {
  if (isWellFormedApiToken(token)) {
    const resolved = await resolveApiToken(store, token, now);
    if ('error' in resolved) throw new errors.InvalidGrant(`subject token is ${subjectProblem(resolved.error)}`);
    const { record, user } = resolved;
    return { user, clientId: `api-token:${record.id}`, scopes: record.scopes, expiresAt: record.expiresAt, grantId: undefined };
  }
  const accessToken = await provider.AccessToken.find(token);
  if (!accessToken?.isValid || !accessToken.accountId) throw new errors.InvalidGrant('subject token is not valid');
  // A sender-constrained token (DPoP, mTLS) must not be laundered into a bearer one.
  if (accessToken.jkt || accessToken['x5t#S256']) throw new errors.InvalidGrant('subject token is sender-constrained');
  if (accessToken.grantId && !(await provider.Grant.find(accessToken.grantId))) {
    throw new errors.InvalidGrant('subject token is not valid');
  }
  const user = await store.users.findById(accessToken.accountId);
  if (!user || user.disabled) throw new errors.InvalidGrant('subject token is not valid');
  return {
    user,
    clientId: accessToken.clientId ?? 'unknown',
    scopes: [...accessToken.scopes],
    expiresAt: accessToken.exp,
    grantId: accessToken.grantId,
  };
}

/** Revoked and expired are the caller's to know; anything else is simply not valid. */
function subjectProblem(error: string): string {
  return error === 'revoked' || error === 'expired' ? error : 'not valid';
}
