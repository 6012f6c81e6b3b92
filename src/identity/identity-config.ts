// Loads the IdentityService document into the IdentityConfig every identity module reads:
// secrets resolved, paths made absolute, durations in seconds, defaults applied. Every problem
// is collected and thrown as one ConfigError naming file, document and field, as for the gateway.
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import { Problems } from '../config/problems.ts';
import { listConfigFiles, readDocuments, type RawDocument } from '../config/read-documents.ts';
import { identityServiceSchema, type IdentityServiceResource } from '../config/schemas/identity-service.ts';
import { reportZodIssues } from '../config/zod-problems.ts';
import type { SourceRef } from '../model/gateway-model.ts';
import type { CaServiceSettings } from '../pki/ca-routes.ts';
import { resolveCaServiceSettings } from '../pki/ca-service-config.ts';
import type { StoreConfig } from '../store/identity-store.ts';
import type { ClientSpec } from './clients.ts';
import { deriveCookieKeys, deriveKeyEncryptionKey, resolveSecretValue } from './config-secrets.ts';
import { resolveClients } from './identity-config-clients.ts';
import type { LockoutConfig } from './login-throttle.ts';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface IdentityResource {
  identifier: string;
  name?: string;
  /** scope → consent text */
  scopes: Record<string, string>;
  accessTokenSeconds?: number;
}

export interface IdentityConfig {
  sourceFile: string;
  issuer: string;
  listen: { host: string; port: number };
  storage: StoreConfig;
  keyEncryptionKey: Buffer;
  cookieKeys: string[];
  secureCookies: boolean;
  tokens: {
    accessTokenSeconds: number;
    idTokenSeconds: number;
    refreshTokenSeconds: number;
    sessionSeconds: number;
    interactionSeconds: number;
    exchangedTokenSeconds: number;
  };
  keys: { algorithm: SigningAlgorithm; rotateEverySeconds: number; checkEverySeconds: number };
  resources: IdentityResource[];
  clients: ClientSpec[];
  lockout: LockoutConfig;
  adminToken: string | undefined;
  /** CIDRs whose X-Forwarded-For is believed (src/identity/client-address.ts); empty = none. */
  trustedProxies?: string[];
  revocation: { redisUrl: string; keyPrefix: string } | undefined;
  /** The /ca/v1 endpoints (src/pki/ca-routes.ts); undefined = not served. */
  ca?: CaServiceSettings;
}

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

/** "14d", "1h30m" → seconds (the schema has checked the pattern). */
export function lifetimeSeconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(d|h|m|s)/g)) total += Number(amount) * UNIT_SECONDS[unit];
  return total;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The longest an access token of this service lives: what revocations must outlive. */
export function maxAccessTokenSeconds(config: IdentityConfig): number {
  const perResource = config.resources.map((resource) => resource.accessTokenSeconds ?? 0);
  return Math.max(config.tokens.accessTokenSeconds, config.tokens.exchangedTokenSeconds, ...perResource);
}

export async function loadIdentityConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<IdentityConfig> {
  const problems = new Problems();
  const documents: RawDocument[] = [];
  try {
    for (const file of listConfigFiles(path)) documents.push(...readDocuments(file, problems));
  } catch (error) {
    throw new ConfigError([{ file: path, documentIndex: 0, path: '', message: `cannot read the config: ${(error as Error).message}` }]);
  }
  const candidates = documents.filter((document) => {
    const content = document.content as { kind?: unknown } | null;
    return typeof content === 'object' && content !== null && content.kind === 'IdentityService';
  });
  if (candidates.length !== 1 && problems.empty) {
    const message = candidates.length === 0 ? 'holds no IdentityService document (apiVersion: gatehouse.dev/v1alpha1, kind: IdentityService)' : 'holds more than one IdentityService document';
    problems.add({ file: path, documentIndex: candidates[1]?.documentIndex ?? 0, path: '', message });
  }
  const document = candidates[0];
  if (!problems.empty || !document) throw new ConfigError(problems.list);
  const name = (document.content as { metadata?: { name?: unknown } }).metadata?.name;
  const source: SourceRef = { file: document.file, documentIndex: document.documentIndex, kind: 'IdentityService', name: typeof name === 'string' ? name : '' };
  const parsed = identityServiceSchema.safeParse(document.content);
  if (!parsed.success) {
    reportZodIssues(parsed.error, identityServiceSchema, source, problems);
    throw new ConfigError(problems.list);
  }
  const config = resolveIdentityService(parsed.data, source, problems, env);
  if (!problems.empty || !config) throw new ConfigError(problems.list);
  return config;
}

function resolveIdentityService(resource: IdentityServiceResource, source: SourceRef, problems: Problems, env: NodeJS.ProcessEnv): IdentityConfig | undefined {
  const spec = resource.spec;
  const baseDirectory = dirname(resolve(source.file));
  const secret = (value: Parameters<typeof resolveSecretValue>[0], field: string): string | undefined => {
    const result = resolveSecretValue(value, baseDirectory, env);
    if (!result.ok) problems.at(source, field, result.message);
    return result.ok ? result.value : undefined;
  };

  const issuerUrl = new URL(spec.issuer);
  if (spec.issuer.endsWith('/') || issuerUrl.search !== '' || issuerUrl.hash !== '') {
    problems.at(source, 'spec.issuer', 'must have no trailing slash, query or fragment (OpenID Connect Discovery §2)');
  }
  const secureCookies = issuerUrl.protocol === 'https:';
  if (!secureCookies && !LOOPBACK_HOSTS.has(issuerUrl.hostname)) {
    problems.at(source, 'spec.issuer', 'must be https:// unless the host is 127.0.0.1, localhost or [::1]');
  }

  const kekText = secret(spec.keyEncryptionKey, 'spec.keyEncryptionKey');
  const kek = kekText === undefined ? undefined : deriveKeyEncryptionKey(kekText);
  if (kek && !kek.ok) problems.at(source, 'spec.keyEncryptionKey', kek.message);
  const cookieKeys = spec.cookieKeys?.map((value, index) => secret(value, `spec.cookieKeys[${index}]`) ?? '');

  let storage: StoreConfig;
  if (spec.storage?.postgres) {
    const { url, schema, maxConnections } = spec.storage.postgres;
    storage = { driver: 'postgres', url: secret(url, 'spec.storage.postgres.url') ?? '', ...(schema ? { schema } : {}), ...(maxConnections ? { maxConnections } : {}) };
  } else {
    const file = spec.storage?.sqlite?.path ?? './data/identity.db';
    storage = { driver: 'sqlite', path: isAbsolute(file) ? file : resolve(baseDirectory, file) };
  }

  const adminToken = spec.adminToken === undefined ? undefined : secret(spec.adminToken, 'spec.adminToken');
  if (adminToken !== undefined && adminToken.length < 16) problems.at(source, 'spec.adminToken', 'must have at least 16 characters');

  const resources = spec.resources.map((entry) => ({
    identifier: entry.identifier,
    ...(entry.name === undefined ? {} : { name: entry.name }),
    scopes: entry.scopes,
    ...(entry.accessTokenLifetime === undefined ? {} : { accessTokenSeconds: lifetimeSeconds(entry.accessTokenLifetime) }),
  }));
  resources.forEach((entry, index) => {
    if (resources.findIndex((other) => other.identifier === entry.identifier) !== index) problems.at(source, `spec.resources[${index}].identifier`, 'duplicate resource');
  });
  const clients = resolveClients(spec.clients, resources, (value, field) => secret(value, field), (field, message) => problems.at(source, field, message));

  const tokens = spec.tokens ?? identityServiceSchema.shape.spec.shape.tokens.unwrap().parse({});
  const keys = spec.keys ?? identityServiceSchema.shape.spec.shape.keys.unwrap().parse({});
  const lockout = spec.lockout ?? identityServiceSchema.shape.spec.shape.lockout.unwrap().parse({});
  if (!problems.empty || !kek?.ok) return undefined;
  return {
    sourceFile: resolve(source.file),
    issuer: spec.issuer,
    listen: { host: spec.listen?.host ?? '127.0.0.1', port: spec.listen?.port ?? (issuerUrl.port === '' ? 9000 : Number(issuerUrl.port)) },
    storage,
    keyEncryptionKey: kek.key,
    cookieKeys: cookieKeys ?? deriveCookieKeys(kek.key),
    secureCookies,
    tokens: {
      accessTokenSeconds: lifetimeSeconds(tokens.accessToken),
      idTokenSeconds: lifetimeSeconds(tokens.idToken),
      refreshTokenSeconds: lifetimeSeconds(tokens.refreshToken),
      sessionSeconds: lifetimeSeconds(tokens.session),
      interactionSeconds: lifetimeSeconds(tokens.interaction),
      exchangedTokenSeconds: lifetimeSeconds(tokens.exchangedToken),
    },
    keys: { algorithm: keys.algorithm, rotateEverySeconds: lifetimeSeconds(keys.rotateEvery), checkEverySeconds: lifetimeSeconds(keys.checkEvery) },
    resources,
    clients,
    lockout: {
      maxFailures: lockout.maxFailures,
      windowSeconds: lifetimeSeconds(lockout.window),
      lockoutSeconds: lifetimeSeconds(lockout.lockout),
      maxLockoutSeconds: lifetimeSeconds(lockout.maxLockout),
      perIpMaxFailures: lockout.perIpMaxFailures,
    },
    adminToken,
    trustedProxies: spec.trustedProxies,
    revocation: spec.revocation ? { redisUrl: spec.revocation.redisUrl, keyPrefix: spec.revocation.keyPrefix } : undefined,
    ca: resolveCaServiceSettings(spec.ca, spec.issuer),
  };
}
