// loadIdentityConfig: defaults, secret references (value, env, file), paths relative to the
// config file, and problems that name file, document and field. Also: the gateway's config
// loader accepts an IdentityService document in its directory and ignores it silently.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildModel } from '../../src/config/build-model.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadIdentityConfig } from '../../src/identity/identity-config.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-identity-config-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const MINIMAL = `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: { name: identity }
spec:
  issuer: http://127.0.0.1:9000
  keyEncryptionKey: { env: KEK }
`;

let fileCounter = 0;
async function write(text: string): Promise<string> {
  const file = join(dir, `identity-${++fileCounter}.yaml`);
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string, env: NodeJS.ProcessEnv = { KEK: 'k'.repeat(20) }): Promise<string[]> {
  const file = await write(text);
  try {
    await loadIdentityConfig(file, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((problem) => `${problem.file === file ? 'FILE' : problem.file}#${problem.documentIndex} ${problem.path}: ${problem.message.replaceAll(dir, 'DIR')}`);
  }
  assert.fail('expected a ConfigError');
}

describe('loadIdentityConfig', () => {
  it('applies the documented defaults', async () => {
    const file = await write(MINIMAL);
    const config = await loadIdentityConfig(file, { KEK: 'a passphrase that is long enough' });
    assert.equal(config.sourceFile, file);
    assert.equal(config.issuer, 'http://127.0.0.1:9000');
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(config.storage, { driver: 'sqlite', path: join(dir, 'data', 'identity.db') });
    assert.equal(config.keyEncryptionKey.length, 32);
    assert.equal(config.cookieKeys.length, 1);
    assert.equal(config.secureCookies, false);
    assert.deepEqual(config.tokens, { accessTokenSeconds: 600, idTokenSeconds: 3600, refreshTokenSeconds: 14 * 86_400, sessionSeconds: 8 * 3600, interactionSeconds: 600, exchangedTokenSeconds: 300 });
    assert.deepEqual(config.keys, { algorithm: 'RS256', rotateEverySeconds: 30 * 86_400, checkEverySeconds: 60 });
    assert.deepEqual(config.lockout, { maxFailures: 5, windowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600, perIpMaxFailures: 50 });
    assert.deepEqual([config.resources, config.clients, config.adminToken, config.revocation], [[], [], undefined, undefined]);
    // The same passphrase derives the same KEK and cookie keys on every instance.
    const again = await loadIdentityConfig(file, { KEK: 'a passphrase that is long enough' });
    assert.deepEqual(again.keyEncryptionKey, config.keyEncryptionKey);
    assert.deepEqual(again.cookieKeys, config.cookieKeys);
  });

  it('reads every field, secrets from value, env and file, and hex or base64 KEKs', async () => {
    await writeFile(join(dir, 'client-secret.txt'), 'file-secret-0123456789\n');
    const kekHex = 'ab'.repeat(32);
    const file = await write(`apiVersion: gatehouse.dev/v1alpha1
kind: IdentityService
metadata: { name: identity }
spec:
  issuer: https://id.example.com
  listen: { host: 0.0.0.0, port: 8443 }
  storage:
    postgres: { url: { env: DATABASE_URL }, schema: identity, maxConnections: 5 }
  keyEncryptionKey: { value: "${kekHex}" }
  cookieKeys: [{ value: cookie-key-1 }, { env: COOKIE_OLD }]
  tokens: { accessToken: 5m, refreshToken: 30d, exchangedToken: 90s }
  keys: { algorithm: EdDSA, rotateEvery: 7d, checkEvery: 30s }
  resources:
    - identifier: https://orders.example.com
      name: Orders
      scopes: { "orders:read": Read your orders, "orders:write": Place orders }
      accessTokenLifetime: 2m
  clients:
    - clientId: web
      clientSecret: { file: client-secret.txt }
      trusted: true
      redirectUris: [https://app.example.com/callback]
      grantTypes: [authorization_code, refresh_token]
      scopes: [openid, profile, offline_access, "orders:read"]
      resources: [https://orders.example.com]
    - clientId: spa
      public: true
      redirectUris: [https://spa.example.com/cb]
      scopes: [openid]
      grantTypes: [authorization_code]
  lockout: { maxFailures: 3, window: 10m, lockout: 30s, maxLockout: 2h, perIpMaxFailures: 20 }
  adminToken: { env: ADMIN_TOKEN }
  revocation: { redisUrl: "redis://127.0.0.1:6379" }
`);
    const config = await loadIdentityConfig(file, { DATABASE_URL: 'postgres://postgres@127.0.0.1/test', COOKIE_OLD: 'cookie-key-0', ADMIN_TOKEN: 'admin-token-0123456789' });
    assert.deepEqual(config.storage, { driver: 'postgres', url: 'postgres://postgres@127.0.0.1/test', schema: 'identity', maxConnections: 5 });
    assert.deepEqual(config.keyEncryptionKey, Buffer.from(kekHex, 'hex'));
    assert.deepEqual(config.cookieKeys, ['cookie-key-1', 'cookie-key-0']);
    assert.equal(config.secureCookies, true);
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: 8443 });
    assert.equal(config.tokens.accessTokenSeconds, 300);
    assert.equal(config.tokens.refreshTokenSeconds, 30 * 86_400);
    assert.equal(config.tokens.exchangedTokenSeconds, 90);
    assert.equal(config.tokens.idTokenSeconds, 3600);
    assert.deepEqual(config.keys, { algorithm: 'EdDSA', rotateEverySeconds: 7 * 86_400, checkEverySeconds: 30 });
    assert.deepEqual(config.resources, [
      { identifier: 'https://orders.example.com', name: 'Orders', scopes: { 'orders:read': 'Read your orders', 'orders:write': 'Place orders' }, accessTokenSeconds: 120 },
    ]);
    assert.equal(config.clients[0].clientSecret, 'file-secret-0123456789');
    assert.equal(config.clients[0].name, 'web');
    assert.equal(config.clients[0].trusted, true);
    assert.deepEqual(config.clients[1], {
      clientId: 'spa', name: 'spa', public: true, trusted: false, redirectUris: ['https://spa.example.com/cb'], postLogoutRedirectUris: [], grantTypes: ['authorization_code'], scopes: ['openid'], resources: [],
    });
    assert.deepEqual(config.lockout, { maxFailures: 3, windowSeconds: 600, lockoutSeconds: 30, maxLockoutSeconds: 7200, perIpMaxFailures: 20 });
    assert.equal(config.adminToken, 'admin-token-0123456789');
    assert.deepEqual(config.revocation, { redisUrl: 'redis://127.0.0.1:6379', keyPrefix: 'gatehouse:' });
    const base64 = await write(MINIMAL);
    const key = Buffer.alloc(32, 7);
    assert.deepEqual((await loadIdentityConfig(base64, { KEK: key.toString('base64') })).keyEncryptionKey, key);
  });

  const problemCases: Array<{ name: string; yaml: string; env?: NodeJS.ProcessEnv; expected: string[] }> = [
    { name: 'an unset KEK variable', yaml: MINIMAL, env: {}, expected: ['FILE#0 spec.keyEncryptionKey: environment variable KEK is not set'] },
    { name: 'a short passphrase', yaml: MINIMAL, env: { KEK: 'short' }, expected: ['FILE#0 spec.keyEncryptionKey: must be 32 bytes as hex or base64, or a passphrase of at least 16 characters'] },
    { name: 'plain http on a public host', yaml: MINIMAL.replace('http://127.0.0.1:9000', 'http://id.example.com'), expected: ['FILE#0 spec.issuer: must be https:// unless the host is 127.0.0.1, localhost or [::1]'] },
    { name: 'a trailing slash on the issuer', yaml: MINIMAL.replace('9000', '9000/'), expected: ['FILE#0 spec.issuer: must have no trailing slash, query or fragment (OpenID Connect Discovery §2)'] },
    { name: 'a misspelt field', yaml: `${MINIMAL}  adminTokn: { value: x }\n`, expected: ['FILE#0 spec.adminTokn: unknown field (did you mean "adminToken"?)'] },
    { name: 'a short admin token', yaml: `${MINIMAL}  adminToken: { value: short }\n`, expected: ['FILE#0 spec.adminToken: must have at least 16 characters'] },
    { name: 'a secret written as a plain string', yaml: `${MINIMAL}  adminToken: plain-text-token\n`, expected: ['FILE#0 spec.adminToken: must be one of { value: "…" }, { env: "NAME" } or { file: "path" }'] },
    { name: 'a bad duration', yaml: `${MINIMAL}  tokens: { accessToken: 10 minutes }\n`, expected: ['FILE#0 spec.tokens.accessToken: must be a duration such as "90s", "10m", "8h" or "14d"'] },
    {
      name: 'inconsistent clients',
      yaml: `${MINIMAL}  clients:
    - clientId: m2m
      grantTypes: [client_credentials]
      scopes: [orders:read]
      resources: [https://orders.example.com]
    - clientId: spa
      public: true
      grantTypes: [client_credentials, authorization_code]
      clientSecret: { value: spa-secret-0123456789 }
`,
      expected: [
        'FILE#0 spec.clients[0].clientSecret: is required for a confidential client (or set public: true)',
        'FILE#0 spec.clients[0].scopes[0]: unknown scope "orders:read": not a standard scope nor one of spec.resources[].scopes',
        'FILE#0 spec.clients[0].resources[0]: unknown resource "https://orders.example.com": declare it under spec.resources',
        'FILE#0 spec.clients[1].clientSecret: a public client has no secret',
        'FILE#0 spec.clients[1].grantTypes: client_credentials needs a confidential client (RFC 6749 §4.4)',
        'FILE#0 spec.clients[1].redirectUris: authorization_code needs at least one redirect URI',
        'FILE#0 spec.clients[1].scopes: a client needs at least one scope (e.g. openid to sign users in, or a resource scope)',
      ],
    },
    {
      name: 'a trusted proxy that is not a CIDR',
      yaml: `${MINIMAL}  trustedProxies: [10.0.0.0/8, gateway]\n`,
      expected: ['FILE#0 spec.trustedProxies[1]: must be an IP address or CIDR such as "10.0.0.0/8" or "::1/128"'],
    },
    { name: 'a missing secret file', yaml: `${MINIMAL}  adminToken: { file: nope.txt }\n`, expected: ['FILE#0 spec.adminToken: cannot read DIR/nope.txt: ENOENT'] },
    { name: 'no IdentityService document', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n', expected: ['FILE#0 : holds no IdentityService document (apiVersion: gatehouse.dev/v1alpha1, kind: IdentityService)'] },
    { name: 'YAML syntax errors', yaml: 'spec: [unclosed\n', expected: ['FILE#0 : YAML syntax error at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]'] },
  ];
  for (const { name, yaml, env, expected } of problemCases) {
    it(`names file, document and field: ${name}`, async () => {
      assert.deepEqual(await problemsOf(yaml, env), expected);
    });
  }

  it('reads trustedProxies (default: none)', async () => {
    assert.deepEqual((await loadIdentityConfig(await write(MINIMAL), { KEK: 'k'.repeat(20) })).trustedProxies, []);
    const config = await loadIdentityConfig(await write(`${MINIMAL}  trustedProxies: [10.0.0.0/8, "::1"]\n`), { KEK: 'k'.repeat(20) });
    assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '::1']);
  });

  it('counts documents: the IdentityService may follow other documents in the file', async () => {
    const problems = await problemsOf(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n---\n${MINIMAL}  keys: { algorithm: HS256 }\n`);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^FILE#1 spec\.keys\.algorithm: /);
  });
});

describe('the gateway config loader and IdentityService', () => {
  it('accepts the document and ignores it without a warning', () => {
    const model = buildModel([{ file: 'all.yaml', documentIndex: 0, content: { apiVersion: 'gatehouse.dev/v1alpha1', kind: 'IdentityService', metadata: { name: 'identity' }, spec: { issuer: 'http://127.0.0.1:9000', keyEncryptionKey: { env: 'KEK' } } } }]);
    assert.deepEqual(model.warnings, []);
    assert.deepEqual(model.routes, []);
  });
});
