// The gateway's side of OpenID Connect, for one BrowserLogin: provider metadata (Discovery 1.0
// §4), the authorization request with PKCE (RFC 7636), the code and refresh grants
// (token-request.ts), ID-token validation (Core §3.1.3.7) against the issuer's key set, and the
// RP-initiated logout URL (RP-Initiated Logout 1.0 §2).
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { KeySet } from '../../authn/key-set.ts';
import { keyFitsAlgorithm } from '../../authn/verification-key.ts';
import type { BrowserLogin } from '../../model/browser-login.ts';
import { fetchDocument } from '../../authn/fetch-jwks.ts';
import { SsoError } from './sso-error.ts';
import { requestTokens, type TokenSet } from './token-request.ts';
import { revokeToken } from './token-revocation.ts';

export type { TokenSet } from './token-request.ts';

export interface ProviderMetadata {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint?: string;
  /** RFC 7009 (advertised as revocation_endpoint, RFC 8414 §2). */
  revocationEndpoint?: string;
}

export interface AuthorizationParameters {
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** After a failed discovery, the next request may try again this much later. */
const DISCOVERY_RETRY_MS = 5000;

export class OidcClient {
  readonly login: BrowserLogin;
  /** Loaded metadata; undefined until the first successful discovery. */
  metadata: ProviderMetadata | undefined;
  readonly #keySet: KeySet;
  readonly #algorithms: string[];
  readonly #clockSkewSeconds: number;
  #discovering: Promise<ProviderMetadata | undefined> | undefined;
  #failedAt = Number.NEGATIVE_INFINITY;

  constructor(login: BrowserLogin, keySet: KeySet, verification: { algorithms: string[]; clockSkewSeconds: number }) {
    this.login = login;
    this.#keySet = keySet;
    this.#algorithms = verification.algorithms.filter((alg) => !alg.startsWith('HS') && alg !== 'none');
    this.#clockSkewSeconds = verification.clockSkewSeconds;
  }

  /** The issuer's key set the ID tokens are verified with (shared with the route's provider). */
  get keySet(): KeySet {
    return this.#keySet;
  }

  /** Loads the metadata once (shared by concurrent callers); resolves undefined when unavailable. */
  discover(): Promise<ProviderMetadata | undefined> {
    if (this.metadata !== undefined) return Promise.resolve(this.metadata);
    if (this.#discovering !== undefined) return this.#discovering;
    if (Date.now() - this.#failedAt < DISCOVERY_RETRY_MS) return Promise.resolve(undefined);
    this.#discovering = this.#loadMetadata()
      .then((metadata) => (this.metadata = metadata))
      .catch(() => {
        this.#failedAt = Date.now();
        return undefined;
      })
      .finally(() => (this.#discovering = undefined));
    return this.#discovering;
  }

  authorizationUrl(metadata: ProviderMetadata, parameters: AuthorizationParameters): string {
    const url = new URL(metadata.authorizationEndpoint);
    const query = url.searchParams;
    query.set('response_type', 'code');
    query.set('client_id', this.login.clientId);
    query.set('redirect_uri', parameters.redirectUri);
    query.set('scope', this.login.scopes.join(' '));
    query.set('state', parameters.state);
    query.set('nonce', parameters.nonce);
    query.set('code_challenge', parameters.codeChallenge);
    query.set('code_challenge_method', 'S256');
    if (this.login.resource !== undefined) query.set('resource', this.login.resource);
    // offline_access needs prompt=consent (Core §11); a first-party client is not asked again.
    if (this.login.scopes.includes('offline_access')) query.set('prompt', 'consent');
    return url.href;
  }

  exchangeCode(metadata: ProviderMetadata, code: string, codeVerifier: string, redirectUri: string, nowSeconds: number): Promise<TokenSet> {
    return requestTokens(this.login, metadata.tokenEndpoint, { grant_type: 'authorization_code', code, code_verifier: codeVerifier, redirect_uri: redirectUri }, nowSeconds);
  }

  refresh(metadata: ProviderMetadata, refreshToken: string, nowSeconds: number): Promise<TokenSet> {
    return requestTokens(this.login, metadata.tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken }, nowSeconds);
  }

  /** RFC 7009; resolves false when the issuer offers no revocation endpoint. */
  async revokeRefreshToken(metadata: ProviderMetadata, refreshToken: string): Promise<boolean> {
    if (metadata.revocationEndpoint === undefined) return false;
    await revokeToken(this.login, metadata.revocationEndpoint, refreshToken, 'refresh_token');
    return true;
  }

  /** Core §3.1.3.7: signature by the issuer's key, iss, aud, azp, exp/iat, and the nonce we sent. */
  async verifyIdToken(idToken: string, nonce: string, nowSeconds: number): Promise<JWTPayload> {
    let alg: string | undefined;
    let kid: string | undefined;
    try {
      ({ alg, kid } = decodeProtectedHeader(idToken));
    } catch {
      throw new SsoError('sso_id_token_invalid', 'ID token is not a JWS');
    }
    if (alg === undefined || !this.#algorithms.includes(alg)) throw new SsoError('sso_id_token_invalid', `ID token algorithm ${String(alg)} is not allowed`);
    const keySet = this.#keySet;
    if (!keySet.isLoaded) await keySet.whenLoaded();
    if (kid !== undefined && !keySet.keys?.some((key) => key.kid === kid)) await keySet.refreshForUnknownKid();
    const candidates = (keySet.keys ?? []).filter((key) => (kid === undefined || key.kid === kid) && keyFitsAlgorithm(key, alg));
    for (const candidate of candidates) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, candidate.key, {
          issuer: this.login.issuer,
          audience: this.login.clientId,
          algorithms: [alg],
          clockTolerance: this.#clockSkewSeconds,
          currentDate: new Date(nowSeconds * 1000),
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch {
        continue;
      }
      // §3.1.3.7 (4, 5): with several audiences, azp must name us.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== this.login.clientId) {
        throw new SsoError('sso_id_token_invalid', 'ID token azp is not this client');
      }
      if (payload.nonce !== nonce) throw new SsoError('sso_id_token_invalid', 'ID token nonce does not match');
      return payload;
    }
    throw new SsoError('sso_id_token_invalid', 'ID token signature, issuer, audience or lifetime is invalid');
  }

  /** RP-Initiated Logout §2; undefined when the issuer offers none. */
  endSessionUrl(metadata: ProviderMetadata, idToken: string | undefined, postLogoutRedirectUri: string): string | undefined {
    if (metadata.endSessionEndpoint === undefined) return undefined;
    const url = new URL(metadata.endSessionEndpoint);
    if (idToken !== undefined) url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('client_id', this.login.clientId);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    return url.href;
  }

  async #loadMetadata(): Promise<ProviderMetadata> {
    const uri = `${this.login.issuer}/.well-known/openid-configuration`;
    let document: Record<string, unknown>;
    try {
      document = JSON.parse((await fetchDocument(globalThis.fetch, uri, this.login.timeoutMs)).text) as Record<string, unknown>;
    } catch (error) {
      throw new SsoError('sso_discovery_failed', `GET ${uri}: ${(error as Error).message}`);
    }
    // Discovery §4.3: the metadata must name exactly the issuer we asked.
    if (document.issuer !== this.login.issuer) throw new SsoError('sso_discovery_failed', `${uri} names issuer ${String(document.issuer)}`);
    const authorizationEndpoint = httpUrl(document.authorization_endpoint);
    const tokenEndpoint = httpUrl(document.token_endpoint);
    if (authorizationEndpoint === undefined || tokenEndpoint === undefined) throw new SsoError('sso_discovery_failed', `${uri} lacks authorization or token endpoint`);
    const methods = document.code_challenge_methods_supported;
    if (Array.isArray(methods) && !methods.includes('S256')) throw new SsoError('sso_discovery_failed', `${uri}: the issuer does not support PKCE S256`);
    const endSessionEndpoint = httpUrl(document.end_session_endpoint);
    const revocationEndpoint = httpUrl(document.revocation_endpoint);
    return {
      authorizationEndpoint,
      tokenEndpoint,
      ...(endSessionEndpoint === undefined ? {} : { endSessionEndpoint }),
      ...(revocationEndpoint === undefined ? {} : { revocationEndpoint }),
    };
  }
}

function httpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value) ? value : undefined;
}
