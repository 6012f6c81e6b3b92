// gatehouse.dev/v1alpha1 IdentityService: the configuration of `gatehouse identity` (the OAuth 2.0 /
// OpenID Connect service). The gateway accepts this kind in its config directory and ignores it;
// src/identity/identity-config.ts resolves it (secrets, paths, defaults) into an IdentityConfig.
import { z } from 'zod';
import { absoluteUrlSchema, resourceSchema } from './common.ts';
import { identityCaSchema } from './identity-ca.ts';
import { parseCidr } from '../../identity/client-address.ts';

/** Durations with days as well ("30d", "14d", "1h30m"): token and key lifetimes run to weeks. */
export const LIFETIME_PATTERN = /^(\d+(d|h|m|s))+$/;
const lifetimeSchema = z.string().regex(LIFETIME_PATTERN, { error: 'must be a duration such as "90s", "10m", "8h" or "14d"' });

/** A secret given inline, from an environment variable, or from a file (relative to the config file). */
export const secretValueSchema = z.union(
  [
    z.strictObject({ value: z.string().min(1) }),
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }) }),
    z.strictObject({ file: z.string().min(1) }),
  ],
  { error: 'must be one of { value: "…" }, { env: "NAME" } or { file: "path" }' },
);
export type SecretValueSpec = z.infer<typeof secretValueSchema>;

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'] as const;

export const identityClientSchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 letters, digits, ".", "_", ":" or "-"' }),
  clientSecret: secretValueSchema.optional().describe('Secret of a confidential client (omit for public clients)'),
  name: z.string().min(1).optional().describe('Shown on the consent page (default: the client id)'),
  public: z.boolean().default(false).describe('A browser or native app without a secret: PKCE S256 required'),
  trusted: z.boolean().default(false).describe('First-party: users are not asked for consent'),
  redirectUris: z.array(absoluteUrlSchema).default([]),
  postLogoutRedirectUris: z.array(absoluteUrlSchema).default([]),
  grantTypes: z.array(z.enum(GRANT_TYPES)).min(1, { error: 'a client needs at least one grant type' }),
  scopes: z.array(z.string().min(1)).default([]).describe('Scopes the client may ask for (openid profile email offline_access roles and resource scopes)'),
  resources: z.array(absoluteUrlSchema).default([]).describe('Audiences (resource indicators, RFC 8707) the client may ask tokens for'),
});
export type IdentityClientSpec = z.infer<typeof identityClientSchema>;

export const identityServiceSpecSchema = z
  .strictObject({
    issuer: absoluteUrlSchema.describe('The issuer URL (`iss`), e.g. "https://id.example.com"; http only on a loopback host'),
    listen: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.int().min(0).max(65535).optional().describe('Default: the port of the issuer URL, else 9000'),
      })
      .optional(),
    storage: z
      .strictObject({
        sqlite: z.strictObject({ path: z.string().min(1).default('./data/identity.db').describe('Relative to this file') }).optional(),
        postgres: z
          .strictObject({
            url: secretValueSchema.describe('postgres://user:password@host:5432/db'),
            schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case SQL identifier' }).optional(),
            maxConnections: z.int().min(1).max(100).optional(),
          })
          .optional(),
      })
      .refine((storage) => !(storage.sqlite && storage.postgres), { error: 'name one of sqlite or postgres, not both' })
      .optional()
      .describe('Where users, clients, tokens and keys live (default: SQLite at ./data/identity.db)'),
    keyEncryptionKey: secretValueSchema.describe('32 bytes as base64 or hex, or a passphrase of 16+ characters; encrypts private keys and client secrets at rest'),
    cookieKeys: z.array(secretValueSchema).min(1).optional().describe('Cookie signing keys, newest first (default: derived from the key-encryption key)'),
    tokens: z
      .strictObject({
        accessToken: lifetimeSchema.default('10m'),
        idToken: lifetimeSchema.default('1h'),
        refreshToken: lifetimeSchema.default('14d'),
        session: lifetimeSchema.default('8h'),
        interaction: lifetimeSchema.default('10m'),
        exchangedToken: lifetimeSchema.default('5m').describe('JWTs minted by the token-exchange grant (phantom tokens)'),
      })
      .optional(),
    keys: z
      .strictObject({
        algorithm: z.enum(['RS256', 'ES256', 'EdDSA']).default('RS256'),
        rotateEvery: lifetimeSchema.default('30d'),
        checkEvery: lifetimeSchema.default('60s').describe('How often an instance looks for keys another instance rotated'),
      })
      .optional(),
    resources: z
      .array(
        z.strictObject({
          identifier: absoluteUrlSchema.describe('The audience (`aud`) of its tokens, e.g. "https://orders.example.com"'),
          name: z.string().min(1).optional(),
          scopes: z.record(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { error: 'must be a scope token (RFC 6749 §3.3)' }), z.string()).describe('scope → text shown on the consent page'),
          accessTokenLifetime: lifetimeSchema.optional(),
        }),
      )
      .default([]),
    clients: z.array(identityClientSchema).default([]).describe('Upserted into the store at start; configuration wins for these client ids'),
    lockout: z
      .strictObject({
        maxFailures: z.int().min(1).default(5),
        window: lifetimeSchema.default('15m'),
        lockout: lifetimeSchema.default('60s').describe('First lockout; doubles with every further failure'),
        maxLockout: lifetimeSchema.default('1h'),
        perIpMaxFailures: z.int().min(1).default(50),
      })
      .optional(),
    trustedProxies: z
      .array(z.string().refine((text) => parseCidr(text) !== undefined, { error: 'must be an IP address or CIDR such as "10.0.0.0/8" or "::1/128"' }))
      .default([])
      .describe('Proxies (CIDRs) in front of the service, e.g. the gateway: from these the login throttle takes the client IP from X-Forwarded-For'),
    adminToken: secretValueSchema.optional().describe('Bearer credential of the /admin API (16+ characters); the API is off without it'),
    revocation: z
      .strictObject({
        redisUrl: z.string().regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' }),
        keyPrefix: z.string().default('gatehouse:'),
      })
      .optional()
      .describe('Broadcast revocations to gateways through Redis'),
    ca: identityCaSchema.optional(),
  })
  .describe('The Gatehouse identity service (gatehouse identity --config FILE)');

export const identityServiceSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'IdentityService', identityServiceSpecSchema);
export type IdentityServiceResource = z.infer<typeof identityServiceSchema>;
