// Documents → GatewayModel: validate every document, translate each format, resolve references,
// sort routes. All problems of all documents are collected and thrown as one ConfigError.
import type { GatewayModel, Route, SourceRef } from '../model/gateway-model.ts';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { withBackendTlsPolicies } from './formats/backend-tls-policy.ts';
import { translateGateways, translateHttpRoutes } from './formats/gateway-api.ts';
import { translateGatewayOptions } from './formats/gateway-options.ts';
import { translateAccessPolicies, translateBackends, translateExtAuthzProviders, translateJwtIssuers } from './formats/gatehouse.ts';
import { validatePolicies } from './validate-policies.ts';
import { translateGatewayIdentity, withInternalTokens } from './formats/gateway-identity.ts';
import { translateIstio } from './formats/istio.ts';
import { translateBrowserLogins } from './formats/browser-login.ts';
import { translateNginx } from './formats/nginx.ts';
import { translateRateLimitPolicies } from './formats/rate-limit-policy.ts';
import { translateRevocationFeed } from './formats/revocation-feed.ts';
import { translateTokenExchanges, validateTokenExchanges } from './formats/token-exchange.ts';
import { parseResources, type Resources } from './parse-resources.ts';
import { Problems } from './problems.ts';
import type { RawDocument } from './read-documents.ts';
import { sortRoutes } from './sort-routes.ts';

/** `problems` may already hold problems (e.g. YAML syntax errors) from reading the documents. */
export function buildModel(documents: RawDocument[], problems: Problems = new Problems()): GatewayModel {
  const resources = parseResources(documents, problems);
  const issuers = translateJwtIssuers(resources, problems);
  const istio = translateIstio(resources, issuers, problems);
  const nginx = translateNginx(resources, problems);
  const gatewayIdentity = translateGatewayIdentity(resources, problems);
  const routes = sortRoutes([...translateHttpRoutes(resources, problems), ...nginx.routes], creationTimes(resources));
  const model: GatewayModel = {
    listeners: translateGateways(resources, problems),
    routes,
    backends: withInternalTokens(withBackendTlsPolicies(translateBackends(resources, problems), resources, problems), resources, gatewayIdentity, problems),
    providers: [...istio.providers, ...nginx.providers],
    authentications: [...istio.authentications, ...nginx.authentications],
    policies: [...istio.policies, ...translateAccessPolicies(resources, problems)],
    extAuthzProviders: translateExtAuthzProviders(resources),
    rateLimits: [...translateRateLimitPolicies(resources, problems), ...nginx.rateLimits],
    options: translateGatewayOptions(resources, routes, problems),
    warnings: problems.warnings,
    ...(gatewayIdentity === undefined ? {} : { gatewayIdentity }),
  };
  const browserLogins = translateBrowserLogins(resources, problems, model);
  if (browserLogins.length > 0) model.browserLogins = browserLogins;
  const tokenExchanges = translateTokenExchanges(resources, problems);
  if (tokenExchanges.length > 0) model.tokenExchanges = tokenExchanges;
  const revocationFeed = translateRevocationFeed(resources, problems);
  if (revocationFeed !== undefined) model.revocationFeed = revocationFeed;
  validateTokenExchanges(model, problems);
  validatePolicies(model, problems);
  for (const [issuer, settings] of issuers) {
    if (!model.providers.some((provider) => provider.issuer === issuer)) {
      problems.warn(settings.source, `no RequestAuthentication jwtRule has issuer "${issuer}"; this JWTIssuer has no effect`);
    }
  }
  for (const { source } of resources['k8s.nginx.org/Policy']) {
    const limits = model.rateLimits.some((limit) => limit.source === source);
    if (!limits && !model.authentications.some((authentication) => authentication.providerIds.some((id) => id === `Policy/${source.name}#0`))) {
      problems.warn(source, 'no VirtualServer references this Policy; it protects nothing');
    }
  }
  if (!problems.empty) throw new ConfigError(inDocumentOrder(problems.list));
  return model;
}

/** Problems are found phase by phase; users read them file by file, document by document. */
function inDocumentOrder(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.documentIndex - b.documentIndex));
}

function creationTimes(resources: Resources): (route: Route) => number | undefined {
  const key = (source: SourceRef) => `${source.file}#${source.documentIndex}`;
  const times = new Map<string, number>();
  for (const { source, resource } of resources['gateway.networking.k8s.io/HTTPRoute']) {
    const time = Date.parse(resource.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(time)) times.set(key(source), time);
  }
  return (route) => times.get(key(route.source));
}
