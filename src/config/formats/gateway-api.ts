// Kubernetes Gateway API: Gateway → listeners; HTTPRoute → one model Route per (rule, match).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { HeaderMatch, Listener, PathMatch, QueryParamMatch, Route, SourceRef, WeightedBackend } from '../../model/gateway-model.ts';
import { DEFAULTS } from '../defaults.ts';
import { parseDurationMs } from '../duration.ts';
import type { Parsed, Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { resolveBackend, resolveGateway, resolveSecretValues } from '../resolve.ts';
import type { GatewayResource } from '../schemas/gateway.ts';
import type { HttpRouteResource, HttpRouteRule } from '../schemas/http-route.ts';
import { translateFrontendValidation } from './frontend-validation.ts';
import { CERTIFICATE_CA_DIR_OPTION, translateListenerCaCertificate } from './listener-ca-certificate.ts';
import { translateFilters } from './route-filters.ts';

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function translateGateways(resources: Resources, problems: Problems): Listener[] {
  return resources['gateway.networking.k8s.io/Gateway'].flatMap((parsed) => gatewayListeners(parsed, resources, problems));
}

function gatewayListeners({ source, resource }: Parsed<GatewayResource>, resources: Resources, problems: Problems): Listener[] {
  const gateway = resource.metadata.name;
  const addresses = resource.spec.addresses ?? [];
  if (addresses.length > 1) problems.warn(source, `only the first of spec.addresses (${addresses[0].value}) is bound`);
  const address = addresses[0]?.value ?? DEFAULTS.listener.address;
  const seen = new Set<string>();
  return resource.spec.listeners.flatMap((spec, index): Listener[] => {
    const path = `spec.listeners[${index}]`;
    if (seen.has(spec.name)) {
      problems.at(source, `${path}.name`, `duplicate listener name "${spec.name}"`);
      return [];
    }
    seen.add(spec.name);
    const listener: Listener = { id: `${gateway}/${spec.name}`, gateway, name: spec.name, address, port: spec.port, protocol: spec.protocol, source };
    if (spec.hostname !== undefined) listener.hostname = spec.hostname.toLowerCase();
    if (spec.protocol === 'HTTP') {
      if (spec.tls) problems.at(source, `${path}.tls`, 'an HTTP listener takes no tls; use protocol HTTPS');
      return [listener];
    }
    if (!spec.tls) {
      problems.at(source, `${path}.tls`, 'an HTTPS listener needs tls.certificateRefs naming a kubernetes.io/tls Secret');
      return [];
    }
    // The certificate: a Secret (certificateRefs), or one the gateway requests from the CA.
    const certificateRefs = spec.tls.certificateRefs ?? [];
    const fromCa = spec.tls.options?.[CERTIFICATE_CA_DIR_OPTION] !== undefined;
    const caCertificate = translateListenerCaCertificate(source, `${path}.tls`, spec.tls.options, problems);
    if (fromCa && certificateRefs.length > 0) {
      problems.at(source, `${path}.tls`, `name certificateRefs or ${CERTIFICATE_CA_DIR_OPTION}, not both`);
      return [];
    }
    if (!fromCa && certificateRefs.length === 0) {
      problems.at(source, `${path}.tls.certificateRefs`, `name a kubernetes.io/tls Secret, or set tls.options["${CERTIFICATE_CA_DIR_OPTION}"]`);
      return [];
    }
    if (fromCa) {
      if (caCertificate === undefined) return [];
      listener.caCertificate = caCertificate;
      const clientValidation = translateFrontendValidation(source, `${path}.tls`, spec.tls, resources, problems);
      if (clientValidation !== undefined) listener.clientValidation = clientValidation;
      return [listener];
    }
    if (certificateRefs.length > 1) problems.warn(source, `${path}.tls: only the first certificateRef is served`);
    const ref = certificateRefs[0];
    const site = { source, path: `${path}.tls.certificateRefs[0]` };
    const pem = resolveSecretValues(resources, problems, site, ref.name, 'kubernetes.io/tls', ['tls.crt', 'tls.key']);
    if (!pem) return [];
    const invalid = tlsPairProblem(pem['tls.crt'], pem['tls.key']);
    if (invalid) {
      problems.at(source, site.path, `Secret "${ref.name}": ${invalid}`);
      return [];
    }
    listener.tls = { certificatePem: pem['tls.crt'], privateKeyPem: pem['tls.key'] };
    const clientValidation = translateFrontendValidation(source, `${path}.tls`, spec.tls, resources, problems);
    if (clientValidation !== undefined) listener.clientValidation = clientValidation;
    return [listener];
  });
}

/** Checked at load time so a bad certificate fails `gatehouse check`, not the listener start. */
function tlsPairProblem(certificatePem: string, privateKeyPem: string): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return 'tls.crt is not a PEM certificate';
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(privateKeyPem))) return 'tls.key does not belong to tls.crt';
  } catch {
    return 'tls.key is not a PEM private key';
  }
  return undefined;
}

export function translateHttpRoutes(resources: Resources, problems: Problems): Route[] {
  return resources['gateway.networking.k8s.io/HTTPRoute'].flatMap((parsed) => httpRouteRoutes(parsed, resources, problems));
}

function httpRouteRoutes({ source, resource }: Parsed<HttpRouteResource>, resources: Resources, problems: Problems): Route[] {
  const { spec, metadata } = resource;
  const parents = (spec.parentRefs ?? []).flatMap((ref, index) => {
    const site = { source, path: `spec.parentRefs[${index}]` };
    const gateway = resolveGateway(resources, problems, site, ref.name, ref.sectionName);
    if (!gateway) return [];
    if (ref.port !== undefined && !gateway.resource.spec.listeners.some((listener) => listener.port === ref.port)) {
      problems.at(source, `${site.path}.port`, `Gateway "${ref.name}" has no listener on port ${ref.port}`);
    }
    return [{ gateway: ref.name, ...(ref.sectionName ? { sectionName: ref.sectionName } : {}), ...(ref.port ? { port: ref.port } : {}) }];
  });
  const hostnames = (spec.hostnames ?? []).map((hostname) => hostname.toLowerCase());
  hostnames.forEach((hostname, index) => {
    if (!HOSTNAME.test(hostname)) problems.at(source, `spec.hostnames[${index}]`, `"${hostname}" is not a hostname (exact "api.example.com" or wildcard "*.example.com")`);
  });
  const rules: HttpRouteRule[] = spec.rules ?? [{}];
  return rules.flatMap((rule, ruleIndex) => {
    const rulePath = `spec.rules[${ruleIndex}]`;
    const backends = ruleBackends(rule, rulePath, source, resources, problems);
    const redirects = (rule.filters ?? []).some((filter) => filter.type === 'RequestRedirect');
    if (backends.length === 0 && !redirects && (rule.backendRefs ?? []).length === 0) {
      problems.at(source, rulePath, 'a rule needs backendRefs or a RequestRedirect filter');
    }
    return (rule.matches ?? [{}]).map((match, matchIndex): Route => {
      const matchPath = `${rulePath}.matches[${matchIndex}]`;
      const path: PathMatch = { type: match.path?.type ?? 'PathPrefix', value: match.path?.value ?? DEFAULTS.route.path.value };
      checkPath(path, `${matchPath}.path`, source, problems);
      const route: Route = {
        id: `${metadata.namespace ?? 'default'}/${metadata.name}/rule-${ruleIndex}/match-${matchIndex}`,
        routeName: metadata.name,
        parents,
        hostnames,
        match: {
          path,
          ...(match.method ? { method: match.method } : {}),
          headers: nameValueMatches(match.headers, `${matchPath}.headers`, source, problems, true),
          queryParams: nameValueMatches(match.queryParams, `${matchPath}.queryParams`, source, problems, false),
        },
        filters: translateFilters(rule.filters ?? [], path, (field, message) => problems.at(source, `${rulePath}.filters${field}`, message)),
        backends: redirects ? [] : backends,
        source,
      };
      if (rule.timeouts?.request !== undefined) route.timeoutMs = parseDurationMs(rule.timeouts.request);
      return route;
    });
  });
}

function ruleBackends(rule: HttpRouteRule, rulePath: string, source: SourceRef, resources: Resources, problems: Problems): WeightedBackend[] {
  return (rule.backendRefs ?? []).flatMap((ref, index) => {
    const site = { source, path: `${rulePath}.backendRefs[${index}]` };
    const gatehouseBackend = ref.group === 'gatehouse.dev' && ref.kind === 'Backend';
    const service = (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';
    if (!gatehouseBackend && !service) {
      problems.at(source, site.path, `backendRef ${ref.group ?? ''}/${ref.kind ?? 'Service'} is not supported; use {group: gatehouse.dev, kind: Backend, name}`);
      return [];
    }
    const backend = resolveBackend(resources, problems, { source, path: `${site.path}.name` }, ref.name, service ? 'Service' : undefined);
    return backend ? [{ backend, weight: ref.weight ?? DEFAULTS.route.backendWeight }] : [];
  });
}

function checkPath(path: PathMatch, field: string, source: SourceRef, problems: Problems): void {
  if (path.type === 'RegularExpression') checkRegex(path.value, `${field}.value`, source, problems);
  else if (!path.value.startsWith('/')) problems.at(source, `${field}.value`, `must start with "/"`);
}

function nameValueMatches<Match extends HeaderMatch | QueryParamMatch>(
  specs: Match[] | undefined, field: string, source: SourceRef, problems: Problems, caseInsensitiveName: boolean,
): Match[] {
  return (specs ?? []).map((spec, index) => {
    if (spec.type === 'RegularExpression') checkRegex(spec.value, `${field}[${index}].value`, source, problems);
    // Header names are case-insensitive (RFC 9110 §5.1); query parameter names are not.
    return caseInsensitiveName ? { ...spec, name: spec.name.toLowerCase() } : spec;
  });
}

function checkRegex(value: string, field: string, source: SourceRef, problems: Problems): void {
  try {
    new RegExp(value);
  } catch (error) {
    problems.at(source, field, `invalid regular expression: ${(error as Error).message}`);
  }
}
