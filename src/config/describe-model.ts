// The human summary `gatehouse check` prints: what the gateway would serve, in match order.
// Secrets never appear: HMAC secrets are counted, inline key sets summarised by key count.
import type { Authentication, Backend, GatewayModel, JwtProvider, KeySource, Listener, Route, TokenLocation } from '../model/gateway-model.ts';
import { describeRateLimit } from './describe-rate-limit.ts';
import { describeBrowserLogin } from './describe-browser-logins.ts';
import { describeRevocationFeed, describeTokenExchanges } from './describe-token-handling.ts';

export function describeModel(model: GatewayModel): string {
  const lines: string[] = [];
  section(lines, 'Listeners', model.listeners.map(describeListener));
  section(lines, 'Routes', model.routes.map(describeRoute), ', in match order');
  section(lines, 'Backends', model.backends.map(describeBackend));
  section(lines, 'JWT providers', model.providers.map(describeProvider));
  section(lines, 'Authentications', model.authentications.map(describeAuthentication));
  section(lines, 'Policies', model.policies.map((policy) => {
    const action = (policy.spec as { action?: string } | null)?.action ?? 'ALLOW';
    return `${policy.kind}/${policy.name} ${action}  (${policy.source.file})`;
  }));
  if (model.rateLimits.length > 0) section(lines, 'Rate limits', model.rateLimits.map(describeRateLimit));
  if (model.tokenExchanges !== undefined) section(lines, 'Token exchanges', describeTokenExchanges(model));
  if (model.revocationFeed !== undefined) section(lines, 'Revocation feed', describeRevocationFeed(model));
  if (model.browserLogins !== undefined) section(lines, 'Browser logins', model.browserLogins.map(describeBrowserLogin));
  section(lines, 'Warnings', model.warnings);
  return `${lines.join('\n')}\n`;
}

function section(lines: string[], title: string, items: string[], note = ''): void {
  lines.push(`${title} (${items.length}${note})`);
  for (const item of items) lines.push(`  ${item}`);
  if (items.length === 0) lines.push('  (none)');
}

function describeListener(listener: Listener): string {
  const host = listener.hostname ? ` host ${listener.hostname}` : '';
  const tls = listener.tls ? ' TLS' : '';
  return `${listener.id}  ${listener.protocol}${tls} ${listener.address}:${listener.port}${host}`;
}

function describeRoute(route: Route): string {
  const { path, method, headers, queryParams } = route.match;
  const parts = [
    route.id,
    route.hostnames.length > 0 ? `hosts ${route.hostnames.join(',')}` : 'any host',
    `${path.type} ${path.value}`,
  ];
  if (method) parts.push(`method ${method}`);
  if (headers.length > 0) parts.push(`headers ${headers.map((h) => `${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`).join(',')}`);
  if (queryParams.length > 0) parts.push(`query ${queryParams.map((q) => `${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`).join(',')}`);
  if (route.parents.length > 0) parts.push(`via ${route.parents.map((p) => p.gateway + (p.sectionName ? `/${p.sectionName}` : '')).join(',')}`);
  if (route.filters.length > 0) parts.push(`filters ${route.filters.map((filter) => filter.type).join(',')}`);
  if (route.timeoutMs !== undefined) parts.push(`timeout ${route.timeoutMs}ms`);
  const target = route.backends.length > 0
    ? route.backends.map((backend) => `${backend.backend} (weight ${backend.weight})`).join(', ')
    : 'redirect';
  return `${parts.join('  ')}  -> ${target}`;
}

function describeBackend(backend: Backend): string {
  const endpoints = backend.endpoints.map((endpoint) => endpoint.url).join(', ');
  return `${backend.name}  ${endpoints}  (eject after ${backend.maxConnectFailures} connect failures for ${backend.ejectionMs / 1000}s, connect timeout ${backend.connectTimeoutMs}ms)`;
}

function describeProvider(provider: JwtProvider): string {
  const details = [
    `issuer ${provider.issuer === '*' ? '* (any)' : provider.issuer}`,
    `keys ${describeKeys(provider.keys)}`,
    `audiences ${provider.audiences.length > 0 ? provider.audiences.join(',') : '(not checked)'}`,
    `algorithms ${provider.algorithms.join(',')}`,
    `token from ${provider.locations.map(describeLocation).join(', ')}`,
    `realm "${provider.realm}"`,
    `clock skew ${provider.clockSkewSeconds}s${provider.requireExp ? ', exp required' : ''}`,
  ];
  if (provider.hmacSecrets.length > 0) details.push(`HMAC secrets: ${provider.hmacSecrets.length} configured`);
  if (provider.requiredClaims.length > 0) details.push(`required claims ${provider.requiredClaims.join(',')}`);
  if (provider.maxTokenLifetimeSeconds !== undefined) details.push(`max lifetime ${provider.maxTokenLifetimeSeconds}s`);
  if (provider.loginUrl) details.push(`login ${provider.loginUrl}`);
  if (provider.outputPayloadToHeader) details.push(`payload -> ${provider.outputPayloadToHeader}`);
  for (const output of provider.outputClaimToHeaders) details.push(`claim ${output.claim} -> ${output.header}`);
  details.push(provider.forwardOriginalToken ? 'token forwarded' : 'token removed before forwarding');
  return `${provider.id}\n      ${details.join('\n      ')}`;
}

function describeKeys(keys: KeySource): string {
  switch (keys.kind) {
    case 'remote':
      return `remote ${keys.uri} (timeout ${keys.timeoutMs}ms)`;
    case 'discovery':
      return `discovery ${keys.issuer.replace(/\/$/, '')}/.well-known/openid-configuration (timeout ${keys.timeoutMs}ms)`;
    case 'file':
      return `file ${keys.path}`;
    case 'inline': {
      const count = (JSON.parse(keys.jwks) as { keys: unknown[] }).keys.length;
      return `inline JWKS (${count} key${count === 1 ? '' : 's'})`;
    }
  }
}

function describeLocation(location: TokenLocation): string {
  if (location.kind === 'header') return `header ${location.name}${location.prefix ? ` "${location.prefix}"` : ''}`;
  return `${location.kind} ${location.name}`;
}

function describeAuthentication(authentication: Authentication): string {
  const targets = authentication.targets.length > 0
    ? authentication.targets.map((target) => `${target.kind}/${target.name}`).join(', ')
    : 'every route';
  const token = authentication.requireToken ? 'token required' : 'token optional (policy decides)';
  return `${authentication.name}  providers ${authentication.providerIds.join(', ') || '(none)'}  on ${targets}  ${token}`;
}
