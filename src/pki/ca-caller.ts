// Who may get a certificate for which SPIFFE ID, from the Bearer credential of a /ca/v1/sign
// request: a one-time join token (src/pki/join-tokens.ts) grants exactly the ID it was made for;
// a client-credentials access token from this identity service (RFC 9068 JWT, audience = the CA)
// grants the IDs the `ca.clients` configuration lists for its client.
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import type { DocumentStore } from '../store/identity-store.ts';
import { consumeJoinToken, isJoinToken, type JoinTokenGrant } from './join-tokens.ts';
import { PkiError } from './pki-error.ts';

export interface CaClientRule {
  readonly clientId: string;
  /** Exact SPIFFE IDs, or a prefix ending in "/*" (spiffe://td/ns/shop/*). */
  readonly spiffeIds: readonly string[];
  /** DNS SANs the client may ask for, exact. */
  readonly dnsNames: readonly string[];
}

export interface CallerVerification {
  readonly documents: DocumentStore;
  readonly issuer: string;
  /** The audience a client-credentials token must carry to be spent at the CA. */
  readonly audience: string;
  readonly publicJwks: () => { keys: JWK[] } | Promise<{ keys: JWK[] }>;
  readonly clients: readonly CaClientRule[];
}

export interface CertificateRequestIntent {
  readonly spiffeId?: string;
  readonly dnsNames: readonly string[];
}

// RFC 9068 §4: access tokens are signed asymmetrically; never "none", never HMAC.
const ACCESS_TOKEN_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

function refused(message: string): PkiError {
  return new PkiError('ERR_CA_CALLER_NOT_ALLOWED', message);
}

function spiffeIdAllowed(patterns: readonly string[], spiffeId: string): boolean {
  return patterns.some((pattern) => (pattern.endsWith('/*') ? spiffeId.startsWith(pattern.slice(0, -1)) : pattern === spiffeId));
}

async function clientGrant(verification: CallerVerification, token: string, intent: CertificateRequestIntent): Promise<JoinTokenGrant> {
  let clientId: unknown;
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(await verification.publicJwks()), {
      issuer: verification.issuer,
      audience: verification.audience,
      typ: 'at+jwt',
      algorithms: ACCESS_TOKEN_ALGORITHMS,
    });
    // RFC 9068 §2.2: client_id names the client; for client credentials sub is the client too.
    clientId = payload.client_id ?? payload.sub;
  } catch {
    throw new PkiError('ERR_CA_TOKEN_INVALID', `the access token is not valid for ${verification.audience}`);
  }
  const rule = verification.clients.find((candidate) => candidate.clientId === clientId);
  if (rule === undefined) throw refused(`client "${String(clientId)}" may not request certificates`);
  if (intent.spiffeId === undefined) throw new PkiError('ERR_CA_REQUEST_INVALID', 'name the spiffeId to certify');
  if (!spiffeIdAllowed(rule.spiffeIds, intent.spiffeId)) throw refused(`client "${rule.clientId}" may not request ${intent.spiffeId}`);
  const extra = intent.dnsNames.filter((name) => !rule.dnsNames.includes(name.toLowerCase()));
  if (extra.length > 0) throw refused(`client "${rule.clientId}" may not request DNS names ${extra.join(', ')}`);
  return { spiffeId: intent.spiffeId, dnsNames: intent.dnsNames };
}

/** Resolves the caller's proof into the identity it may be certified for; throws a PkiError when refused. */
export async function authorizeCaller(verification: CallerVerification, bearer: string | undefined, intent: CertificateRequestIntent): Promise<JoinTokenGrant> {
  if (bearer === undefined || bearer === '') throw new PkiError('ERR_CA_CREDENTIAL_MISSING', 'send a join token or a client-credentials access token as Bearer');
  if (!isJoinToken(bearer)) return clientGrant(verification, bearer, intent);
  const grant = await consumeJoinToken(verification.documents, bearer);
  // The token names the identity; a request for another one is refused, and the token is spent.
  if (intent.spiffeId !== undefined && intent.spiffeId !== grant.spiffeId) throw refused(`this join token is for ${grant.spiffeId}`);
  const extra = intent.dnsNames.filter((name) => !grant.dnsNames.includes(name.toLowerCase()));
  if (extra.length > 0) throw refused(`this join token does not cover DNS names ${extra.join(', ')}`);
  return intent.dnsNames.length > 0 ? { spiffeId: grant.spiffeId, dnsNames: intent.dnsNames } : grant;
}
