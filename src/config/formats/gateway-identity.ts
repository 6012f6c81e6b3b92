// GatewayIdentity → model.gatewayIdentity, and Backend `spec.internalToken` → the backend's
// internal-token settings. A Backend asking for internal tokens needs the one GatewayIdentity
// that names the issuer, so a forgotten issuer is a config error, not a silent default.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Backend, GatewayIdentity, InternalTokenSettings } from '../../model/gateway-model.ts';
import { parseDurationSeconds } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';

export const INTERNAL_TOKEN_DEFAULTS = {
  header: 'x-gatehouse-token',
  mode: 'alongside',
  lifetimeSeconds: 60,
  /** A service verifying a token minutes old gains nothing over a long-lived one. */
  maxLifetimeSeconds: 600,
} as const;

export function translateGatewayIdentity(resources: Resources, problems: Problems): GatewayIdentity | undefined {
  const [first, ...others] = resources['gatehouse.dev/GatewayIdentity'];
  for (const { source } of others) {
    problems.at(source, 'metadata.name', `only one GatewayIdentity is allowed; "${first.source.name}" is already defined`);
  }
  if (first === undefined) return undefined;
  const { source, resource } = first;
  const lifetime = resource.spec.tokenLifetime === undefined ? INTERNAL_TOKEN_DEFAULTS.lifetimeSeconds : parseDurationSeconds(resource.spec.tokenLifetime);
  if (lifetime < 1 || lifetime > INTERNAL_TOKEN_DEFAULTS.maxLifetimeSeconds) {
    problems.at(source, 'spec.tokenLifetime', `must be between 1s and ${INTERNAL_TOKEN_DEFAULTS.maxLifetimeSeconds}s`);
  }
  let signingKeyFile: string | undefined;
  if (resource.spec.signingKeyFile !== undefined) {
    signingKeyFile = resolve(dirname(source.file), resource.spec.signingKeyFile);
    if (!existsSync(signingKeyFile)) problems.at(source, 'spec.signingKeyFile', `file not found: ${signingKeyFile}`);
  }
  return { issuer: resource.spec.issuer, signingKeyFile, tokenLifetimeSeconds: lifetime };
}

/** Adds Backend `spec.internalToken` (defaults applied) to the translated backends. */
export function withInternalTokens(
  backends: Backend[],
  resources: Resources,
  gatewayIdentity: GatewayIdentity | undefined,
  problems: Problems,
): Backend[] {
  const specs = new Map(resources['gatehouse.dev/Backend'].map(({ source, resource }) => [resource.metadata.name, { source, resource }]));
  return backends.map((backend) => {
    const parsed = specs.get(backend.name);
    const spec = parsed?.resource.spec.internalToken;
    if (parsed === undefined || spec === undefined) return backend;
    if (gatewayIdentity === undefined) {
      problems.at(parsed.source, 'spec.internalToken', 'needs a gatehouse.dev/v1alpha1 GatewayIdentity (the issuer of internal tokens)');
    }
    const internalToken: InternalTokenSettings = {
      audience: spec.audience ?? backend.name,
      header: (spec.header ?? INTERNAL_TOKEN_DEFAULTS.header).toLowerCase(),
      mode: spec.mode ?? INTERNAL_TOKEN_DEFAULTS.mode,
    };
    return { ...backend, internalToken };
  });
}
