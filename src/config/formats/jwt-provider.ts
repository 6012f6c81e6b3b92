// One place that fills a JwtProvider with the documented defaults (defaults.ts); each format
// passes what its resource says, and JWTIssuer settings / annotations override in that order.
import type { JwtProvider, KeySource, SourceRef, TokenLocation } from '../../model/gateway-model.ts';
import { ANNOTATIONS, ASYMMETRIC_ALGORITHMS, DEFAULTS, HMAC_ALGORITHMS } from '../defaults.ts';
import type { IssuerSettings } from './gatehouse.ts';

export interface ProviderBasics {
  id: string;
  issuer: string;
  audiences: string[];
  keys: KeySource;
  locations: TokenLocation[];
  outputPayloadToHeader?: string;
  outputClaimToHeaders: { header: string; claim: string }[];
  forwardOriginalToken: boolean;
  source: SourceRef;
}

/** Per-resource overrides (annotations), applied last. */
export interface ResourceOverrides {
  realm?: string;
  loginUrl?: string;
  jwksRefresh?: JwtProvider['jwksRefresh'];
  requireExp?: boolean;
}

export function createJwtProvider(basics: ProviderBasics, issuer: IssuerSettings | undefined, overrides: ResourceOverrides): JwtProvider {
  const extras = issuer?.provider ?? {};
  const hmacSecrets = issuer?.hmacSecrets ?? [];
  // HS* only when this issuer has an explicit shared secret (RFC 8725 §3.1: pin algorithms).
  const defaultAlgorithms = hmacSecrets.length > 0 ? [...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS] : [...ASYMMETRIC_ALGORITHMS];
  const provider: JwtProvider = {
    ...basics,
    hmacSecrets,
    algorithms: extras.algorithms ?? defaultAlgorithms,
    realm: overrides.realm ?? extras.realm ?? DEFAULTS.jwt.realm,
    clockSkewSeconds: extras.clockSkewSeconds ?? DEFAULTS.jwt.clockSkewSeconds,
    requireExp: overrides.requireExp ?? extras.requireExp ?? DEFAULTS.jwt.requireExp,
    requiredClaims: extras.requiredClaims ?? [],
    jwksRefresh: overrides.jwksRefresh ?? extras.jwksRefresh ?? { ...DEFAULTS.jwt.jwksRefresh },
  };
  const loginUrl = overrides.loginUrl ?? extras.loginUrl;
  if (loginUrl !== undefined) provider.loginUrl = loginUrl;
  if (extras.maxTokenLifetimeSeconds !== undefined) provider.maxTokenLifetimeSeconds = extras.maxTokenLifetimeSeconds;
  if (provider.outputPayloadToHeader === undefined) delete provider.outputPayloadToHeader;
  return provider;
}

/** Annotation values as overrides; a login URL must be an absolute http(s) URL. */
export function annotationOverrides(
  annotations: Record<string, string> | undefined, names: { realm?: string; loginUrl: string[] },
  report: (path: string, message: string) => void,
): ResourceOverrides {
  const overrides: ResourceOverrides = {};
  if (names.realm && annotations?.[names.realm]) overrides.realm = annotations[names.realm];
  const requireExp = annotations?.[ANNOTATIONS.requireExp];
  if (requireExp === 'true' || requireExp === 'false') overrides.requireExp = requireExp === 'true';
  else if (requireExp !== undefined) report(`metadata.annotations["${ANNOTATIONS.requireExp}"]`, 'must be "true" or "false"');
  for (const name of names.loginUrl) {
    const value = annotations?.[name];
    if (value === undefined) continue;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      report(`metadata.annotations["${name}"]`, 'must be an absolute http(s) URL');
    } else overrides.loginUrl = value;
    break;
  }
  return overrides;
}
