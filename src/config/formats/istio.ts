// Istio security resources: RequestAuthentication → JWT providers + an Authentication scoping
// them; AuthorizationPolicy → passed through to the authorization stage.
import type { Authentication, JwtProvider, KeySource, PolicyResource, TokenLocation } from '../../model/gateway-model.ts';
import { ANNOTATIONS, DEFAULTS } from '../defaults.ts';
import { parseDurationMs } from '../duration.ts';
import type { Parsed, Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveTargetRefs } from '../resolve.ts';
import type { JwtRule, RequestAuthenticationResource } from '../schemas/request-authentication.ts';
import { type IssuerSettings, issuerKeySource } from './gatehouse.ts';
import { annotationOverrides, createJwtProvider } from './jwt-provider.ts';

export interface IstioTranslation {
  providers: JwtProvider[];
  authentications: Authentication[];
  policies: PolicyResource[];
}

export function translateIstio(resources: Resources, issuers: Map<string, IssuerSettings>, problems: Problems): IstioTranslation {
  const translation: IstioTranslation = { providers: [], authentications: [], policies: [] };
  for (const parsed of resources['security.istio.io/RequestAuthentication']) {
    translateRequestAuthentication(parsed, resources, issuers, problems, translation);
  }
  for (const { source, resource } of resources['security.istio.io/AuthorizationPolicy']) {
    const refs = resource.spec.targetRefs ?? (resource.spec.targetRef ? [resource.spec.targetRef] : []);
    resolveTargetRefs(resources, problems, { source, path: resource.spec.targetRefs ? 'spec.targetRefs' : 'spec.targetRef' }, refs);
    translation.policies.push({ apiVersion: resource.apiVersion, kind: resource.kind, name: resource.metadata.name, spec: resource.spec, source });
  }
  return translation;
}

function translateRequestAuthentication(
  { source, resource }: Parsed<RequestAuthenticationResource>, resources: Resources,
  issuers: Map<string, IssuerSettings>, problems: Problems, translation: IstioTranslation,
): void {
  const { spec, metadata } = resource;
  if (spec.selector) problems.warn(source, 'spec.selector is ignored: workload selectors mean nothing at an edge gateway; use targetRefs');
  if (spec.targetRef && spec.targetRefs) problems.at(source, 'spec.targetRef', 'set targetRef or targetRefs, not both');
  const refs = spec.targetRefs ?? (spec.targetRef ? [spec.targetRef] : []);
  const targets = resolveTargetRefs(resources, problems, { source, path: spec.targetRefs ? 'spec.targetRefs' : 'spec.targetRef' }, refs);
  const overrides = annotationOverrides(
    metadata.annotations, { realm: ANNOTATIONS.realm, loginUrl: [ANNOTATIONS.loginUrl] }, (path, message) => problems.at(source, path, message),
  );

  const providerIds: string[] = [];
  spec.jwtRules.forEach((rule, index) => {
    const path = `spec.jwtRules[${index}]`;
    const issuer = issuers.get(rule.issuer);
    const keys = ruleKeySource(rule, issuer, (field, message) => problems.at(source, `${path}${field}`, message));
    if (!keys) return;
    const id = `RequestAuthentication/${metadata.name}#${index}`;
    const provider = createJwtProvider(
      {
        id,
        issuer: rule.issuer,
        audiences: rule.audiences ?? [],
        keys,
        locations: ruleLocations(rule),
        outputPayloadToHeader: rule.outputPayloadToHeader?.toLowerCase(),
        outputClaimToHeaders: (rule.outputClaimToHeaders ?? []).map(({ header, claim }) => ({ header: header.toLowerCase(), claim })),
        forwardOriginalToken: rule.forwardOriginalToken ?? false,
        source,
      },
      issuer,
      overrides,
    );
    translation.providers.push(provider);
    providerIds.push(id);
  });
  // Istio: a RequestAuthentication never rejects a request for carrying no token; policy decides.
  translation.authentications.push({ name: metadata.name, providerIds, targets, requireToken: false, source });
}

/** Istio keys: `jwks` inline or `jwksUri`; with neither, the JWTIssuer's choice, else discovery. */
function ruleKeySource(rule: JwtRule, issuer: IssuerSettings | undefined, report: (field: string, message: string) => void): KeySource | undefined {
  const timeoutMs = rule.timeout ? parseDurationMs(rule.timeout) : DEFAULTS.jwt.jwksFetchTimeoutMs;
  if (rule.jwks !== undefined && rule.jwksUri !== undefined) {
    report('.jwks', 'set jwks or jwksUri, not both');
    return undefined;
  }
  if ((rule.jwks !== undefined || rule.jwksUri !== undefined) && issuer?.keys) {
    report(rule.jwks !== undefined ? '.jwks' : '.jwksUri', `JWTIssuer "${issuer.source.name}" also sets a key source (${issuer.keys.kind}); keep one`);
    return undefined;
  }
  if (rule.jwks !== undefined) {
    const invalid = jwksProblem(rule.jwks);
    if (invalid) {
      report('.jwks', invalid);
      return undefined;
    }
    return { kind: 'inline', jwks: rule.jwks };
  }
  if (rule.jwksUri !== undefined) return { kind: 'remote', uri: rule.jwksUri, timeoutMs };
  if (issuer?.keys) return issuerKeySource(issuer.keys, rule.issuer, timeoutMs);
  if (issuer?.discoveryDisabled) {
    report('', `no key source: set jwksUri or jwks, or jwksFile on JWTIssuer "${issuer.source.name}" (its discovery is false)`);
    return undefined;
  }
  if (!URL.canParse(rule.issuer)) {
    report('.issuer', 'OIDC discovery needs an http(s) URL issuer; otherwise set jwksUri or jwks');
    return undefined;
  }
  return { kind: 'discovery', issuer: rule.issuer, timeoutMs };
}

/** A JWK set (RFC 7517 §5): a JSON object with a `keys` array. */
export function jwksProblem(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const keys = (parsed as { keys?: unknown } | null)?.keys;
    return Array.isArray(keys) ? undefined : 'must be a JWK set: a JSON object with a "keys" array';
  } catch {
    return 'must be a JWK set in JSON (it does not parse as JSON)';
  }
}

/** Istio order: fromHeaders, fromParams, fromCookies; with none, the documented defaults. */
function ruleLocations(rule: JwtRule): TokenLocation[] {
  const locations: TokenLocation[] = [
    ...(rule.fromHeaders ?? []).map(({ name, prefix }): TokenLocation => ({ kind: 'header', name: name.toLowerCase(), ...(prefix ? { prefix } : {}) })),
    ...(rule.fromParams ?? []).map((name): TokenLocation => ({ kind: 'query', name })),
    ...(rule.fromCookies ?? []).map((name): TokenLocation => ({ kind: 'cookie', name })),
  ];
  return locations.length > 0 ? locations : DEFAULTS.jwt.istioLocations.map((location) => ({ ...location }));
}
