// The IdentityService YAML the identity benchmark starts the service with: one API, a
// client-credentials client for it, a confidential web client for the refresh token that the
// introspection runs look up, and an admin token to create the one user. Secrets are random per
// run and written inline into a private temp dir that the run removes.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export type IdentityStoreKind = 'sqlite' | 'postgres';
export type IdentitySigningAlgorithm = 'RS256' | 'ES256';

export const BENCH_RESOURCE = 'https://orders.bench.gatehouse.test';
export const BENCH_REDIRECT_URI = 'http://127.0.0.1:1/callback';

export interface IdentityBenchService {
  readonly configFile: string;
  readonly port: number;
  readonly adminToken: string;
  readonly m2m: { readonly clientId: string; readonly clientSecret: string };
  readonly web: { readonly clientId: string; readonly clientSecret: string };
}

export interface IdentityBenchServiceOptions {
  readonly dir: string;
  readonly port: number;
  readonly store: IdentityStoreKind;
  readonly algorithm: IdentitySigningAlgorithm;
  /** For `postgres`: the server URL and the (unique, dropped after) schema. */
  readonly postgres?: { readonly url: string; readonly schema: string };
}

const secret = () => randomBytes(24).toString('base64url');

export function writeIdentityBenchConfig(options: IdentityBenchServiceOptions): IdentityBenchService {
  const service = {
    configFile: join(options.dir, `identity-${options.store}-${options.algorithm}.yaml`),
    port: options.port,
    adminToken: secret(),
    m2m: { clientId: 'bench-m2m', clientSecret: secret() },
    web: { clientId: 'bench-web', clientSecret: secret() },
  };
  const storage = options.store === 'postgres'
    ? { postgres: { url: { value: requirePostgres(options).url }, schema: requirePostgres(options).schema } }
    : { sqlite: { path: join(options.dir, `identity-${options.algorithm}.db`) } };
  const document = {
    apiVersion: 'gatehouse.dev/v1alpha1',
    kind: 'IdentityService',
    metadata: { name: 'bench-identity' },
    spec: {
      issuer: `http://127.0.0.1:${options.port}`,
      listen: { host: '127.0.0.1', port: options.port },
      storage,
      keyEncryptionKey: { value: randomBytes(32).toString('hex') },
      keys: { algorithm: options.algorithm },
      resources: [{ identifier: BENCH_RESOURCE, name: 'Orders', scopes: { 'orders:read': 'Read your orders' } }],
      clients: [
        {
          clientId: service.m2m.clientId,
          clientSecret: { value: service.m2m.clientSecret },
          grantTypes: ['client_credentials'],
          scopes: ['orders:read'],
          resources: [BENCH_RESOURCE],
        },
        {
          clientId: service.web.clientId,
          clientSecret: { value: service.web.clientSecret },
          name: 'Bench web app',
          trusted: true,
          redirectUris: [BENCH_REDIRECT_URI],
          grantTypes: ['authorization_code', 'refresh_token'],
          scopes: ['openid', 'offline_access', 'orders:read'],
          resources: [BENCH_RESOURCE],
        },
      ],
      adminToken: { value: service.adminToken },
    },
  };
  writeFileSync(service.configFile, stringify(document), { mode: 0o600 });
  return service;
}

function requirePostgres(options: IdentityBenchServiceOptions): { url: string; schema: string } {
  if (!options.postgres) throw new Error('the postgres store needs a url and a schema');
  return options.postgres;
}

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded, then sent as HTTP Basic. */
export function basicAuthorization(client: { clientId: string; clientSecret: string }): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
}
