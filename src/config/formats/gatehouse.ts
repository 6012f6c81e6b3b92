// Gatehouse's own kinds: Backend → model backends; JWTIssuer → per-issuer settings that the Istio
// translator merges into the jwtRules with the same issuer; AccessPolicy → model policies.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Backend, ExtAuthzProvider, JwtProvider, KeySource, PolicyResource, SourceRef } from '../../model/gateway-model.ts';
import { DEFAULTS, HMAC_ALGORITHMS } from '../defaults.ts';
import { parseDurationMs, parseDurationSeconds } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveSecretValues, resolveTargetRefs } from '../resolve.ts';
import { translateBackendTls } from './backend-tls.ts';
import type { JwtIssuerResource } from '../schemas/jwt-issuer.ts';

export function translateBackends(resources: Resources, problems: Problems): Backend[] {
  return resources['gatehouse.dev/Backend'].map(({ source, resource }) => ({
    name: resource.metadata.name,
    endpoints: resource.spec.endpoints.map((endpoint) => ({ url: endpoint.url })),
    maxConnectFailures: resource.spec.healthCheck?.maxConnectFailures ?? DEFAULTS.backend.maxConnectFailures,
    ejectionMs: (resource.spec.healthCheck?.ejectionSeconds ?? DEFAULTS.backend.ejectionSeconds) * 1000,
    connectTimeoutMs: resource.spec.connectTimeout ? parseDurationMs(resource.spec.connectTimeout) : DEFAULTS.backend.connectTimeoutMs,
    tls: resource.spec.tls && translateBackendTls(source, resource.spec.tls, resource.spec.endpoints, resources, problems),
    source,
  }));
}

/** What a JWTIssuer contributes to a provider; unset fields keep the provider's defaults. */
export interface IssuerSettings {
  source: SourceRef;
  provider: Partial<Pick<JwtProvider,
    'realm' | 'loginUrl' | 'clockSkewSeconds' | 'algorithms' | 'requiredClaims' | 'maxTokenLifetimeSeconds' | 'requireExp' | 'jwksRefresh'>>;
  hmacSecrets: string[];
  /** Key source chosen by the JWTIssuer (local file or discovery), if any. */
  keys?: { kind: 'file'; path: string } | { kind: 'discovery' };
  /** `discovery: false`: a jwtRule without jwksUri/jwks is then an error instead of discovery. */
  discoveryDisabled: boolean;
}

export function translateJwtIssuers(resources: Resources, problems: Problems): Map<string, IssuerSettings> {
  const byIssuer = new Map<string, IssuerSettings>();
  for (const { source, resource } of resources['gatehouse.dev/JWTIssuer']) {
    const other = byIssuer.get(resource.spec.issuer);
    if (other) {
      problems.at(source, 'spec.issuer', `issuer "${resource.spec.issuer}" is already configured by JWTIssuer "${other.source.name}"`);
      continue;
    }
    byIssuer.set(resource.spec.issuer, issuerSettings(source, resource, resources, problems));
  }
  return byIssuer;
}

function issuerSettings(source: SourceRef, resource: JwtIssuerResource, resources: Resources, problems: Problems): IssuerSettings {
  const spec = resource.spec;
  const hmacSecrets: string[] = [];
  if (spec.hmacSecretEnv !== undefined) {
    const value = process.env[spec.hmacSecretEnv];
    // Only the variable's name is ever reported, never its value.
    if (value) hmacSecrets.push(value);
    else problems.at(source, 'spec.hmacSecretEnv', `environment variable ${spec.hmacSecretEnv} is not set or empty`);
  }
  if (spec.hmacSecretRef !== undefined) {
    const key = spec.hmacSecretRef.key ?? DEFAULTS.secret.hmacKey;
    const values = resolveSecretValues(resources, problems, { source, path: 'spec.hmacSecretRef' }, spec.hmacSecretRef.name, 'Opaque', [key]);
    if (values) hmacSecrets.push(values[key]);
  }
  const pinnedHmac = spec.algorithms?.filter((algorithm) => (HMAC_ALGORITHMS as readonly string[]).includes(algorithm)) ?? [];
  if (pinnedHmac.length > 0 && spec.hmacSecretEnv === undefined && spec.hmacSecretRef === undefined) {
    problems.at(source, 'spec.algorithms', `${pinnedHmac.join(', ')} needs a shared secret: set hmacSecretEnv or hmacSecretRef`);
  }

  let keys: IssuerSettings['keys'];
  if (spec.jwksFile !== undefined && spec.discovery === true) {
    problems.at(source, 'spec.jwksFile', 'jwksFile and discovery: true are exclusive; choose one key source');
  } else if (spec.jwksFile !== undefined) {
    const path = resolve(dirname(source.file), spec.jwksFile);
    if (!existsSync(path)) problems.at(source, 'spec.jwksFile', `file not found: ${path}`);
    keys = { kind: 'file', path };
  } else if (spec.discovery === true) {
    keys = { kind: 'discovery' };
  }

  const refresh = DEFAULTS.jwt.jwksRefresh;
  const jwksRefresh = spec.jwksRefresh && {
    minSeconds: spec.jwksRefresh.min ? parseDurationSeconds(spec.jwksRefresh.min) : refresh.minSeconds,
    maxSeconds: spec.jwksRefresh.max ? parseDurationSeconds(spec.jwksRefresh.max) : refresh.maxSeconds,
    unknownKidCooldownSeconds: spec.jwksRefresh.unknownKidCooldown
      ? parseDurationSeconds(spec.jwksRefresh.unknownKidCooldown)
      : refresh.unknownKidCooldownSeconds,
  };
  if (jwksRefresh && jwksRefresh.minSeconds > jwksRefresh.maxSeconds) {
    problems.at(source, 'spec.jwksRefresh', `min (${jwksRefresh.minSeconds}s) must not exceed max (${jwksRefresh.maxSeconds}s)`);
  }

  return {
    source,
    provider: {
      realm: spec.realm,
      loginUrl: spec.loginUrl,
      clockSkewSeconds: spec.clockSkew === undefined ? undefined : parseDurationSeconds(spec.clockSkew),
      algorithms: spec.algorithms,
      requiredClaims: spec.requiredClaims,
      maxTokenLifetimeSeconds: spec.maxTokenLifetime === undefined ? undefined : parseDurationSeconds(spec.maxTokenLifetime),
      requireExp: spec.requireExp,
      jwksRefresh,
    },
    hmacSecrets,
    keys,
    discoveryDisabled: spec.discovery === false,
  };
}

/** Turns a JWTIssuer's key choice into a model KeySource. */
export function issuerKeySource(keys: NonNullable<IssuerSettings['keys']>, issuer: string, timeoutMs: number): KeySource {
  return keys.kind === 'file' ? { kind: 'file', path: keys.path } : { kind: 'discovery', issuer, timeoutMs };
}

/** ExtAuthzProvider documents → the services CUSTOM policies call. */
export function translateExtAuthzProviders(resources: Resources): ExtAuthzProvider[] {
  return resources['gatehouse.dev/ExtAuthzProvider'].map(({ resource }) => ({
    name: resource.metadata.name,
    url: resource.spec.url,
    timeoutMs: resource.spec.timeout ? parseDurationMs(resource.spec.timeout) : DEFAULTS.extAuthz.timeoutMs,
    includeRequestHeadersInCheck: (resource.spec.includeRequestHeadersInCheck ?? DEFAULTS.extAuthz.includeRequestHeadersInCheck).map((h) => h.toLowerCase()),
    headersToUpstreamOnAllow: (resource.spec.headersToUpstreamOnAllow ?? []).map((h) => h.toLowerCase()),
    failOpen: resource.spec.failOpen ?? false,
  }));
}

/** AccessPolicy documents go to the authorization stage as they are, like AuthorizationPolicy. */
export function translateAccessPolicies(resources: Resources, problems: Problems): PolicyResource[] {
  return resources['gatehouse.dev/AccessPolicy'].map(({ source, resource }) => {
    resolveTargetRefs(resources, problems, { source, path: 'spec.targetRefs' }, resource.spec.targetRefs ?? []);
    return { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.metadata.name, spec: resource.spec, source };
  });
}
