// Token attacks at the gateway, end to end: the real identity service issues (and its own key
// forges) the tokens, the gateway guards two APIs — /orders (audience Orders, with a phantom-token
// TokenExchange) and /billing (audience Billing) — and an upstream records what got through.
// One table row per attack: what the attacker sends, and the status and reason they must see
// (RFC 6750 §3, RFC 8725 §2-3, RFC 8707). Nothing refused may reach the upstream.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createAccounts } from '../../src/identity/accounts.ts';
import { createApiToken } from '../../src/identity/api-tokens.ts';
import { generateApiToken } from '../../src/identity/api-token-format.ts';
import { createKeyRing, type KeyRing } from '../../src/identity/keys/key-ring.ts';
import { createLoginThrottle } from '../../src/identity/login-throttle.ts';
import { startIdentityService, type IdentityService } from '../../src/identity/start-identity.ts';
import { basic, BILLING, ORDERS, postForm, reservePort, testConfig } from '../identity/oidc-fixture.ts';
import { startLureJwks, type LureJwks } from '../support/lure-jwks.ts';
import { withLastCharacterChanged } from '../support/mistyped-token.ts';
import { edgeRoutingDocuments, requestAuthenticationDocument, yamlDocuments, signedInOnlyPolicyDocument, opaqueSecretDocument, tokenExchangeDocument } from '../support/gateway-documents.ts';
import { startEchoUpstream, startHarness, type EchoUpstream, type Harness } from './gateway-harness.ts';

const GATEWAY_SECRET = 'gateway-secret-0123456789';
let dir = '';
let identity: IdentityService;
let issuer = '';
let aliceId = '';
let echo: EchoUpstream;
let gateway: Harness;
let signer: ReturnType<KeyRing['activeSigner']>;
let lure: LureJwks;

const now = () => Math.floor(Date.now() / 1000);

function configYaml(): string {
  const routes = [{ name: 'orders', pathPrefix: '/orders', backend: 'echo' }, { name: 'billing', pathPrefix: '/billing', backend: 'echo' }];
  const forRoute = (route: string, document: string) => document.replace('spec:\n', `spec:\n  targetRefs: [{kind: HTTPRoute, name: ${route}}]\n`);
  return yamlDocuments([
    ...edgeRoutingDocuments({ backends: { echo: echo.url }, routes }),
    forRoute('orders', requestAuthenticationDocument('orders-jwt', { issuer, audiences: [ORDERS], jwksUri: `${identity.url}/jwks` })),
    forRoute('billing', requestAuthenticationDocument('billing-jwt', { issuer, audiences: [BILLING], jwksUri: `${identity.url}/jwks` })),
    signedInOnlyPolicyDocument(),
    opaqueSecretDocument('gateway-client', 'secret', GATEWAY_SECRET),
    tokenExchangeDocument('api-tokens', {
      route: 'orders', tokenEndpoint: `${identity.url}/token`, clientId: 'gateway', clientSecret: { name: 'gateway-client', key: 'secret' }, audience: ORDERS,
    }),
  ]);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-token-attacks-'));
  const config = testConfig(await reservePort(), { driver: 'sqlite', path: join(dir, 'identity.db') }, join(dir, 'identity.yaml'));
  issuer = config.issuer;
  identity = await startIdentityService(config);
  const accounts = createAccounts({ store: identity.store, throttle: createLoginThrottle(identity.store.throttle, config.lockout) });
  aliceId = (await accounts.addUser({ username: 'alice', password: 'alice-password', roles: ['user'] })).id;
  const ring = createKeyRing({ store: identity.store.signingKeys, kek: config.keyEncryptionKey, algorithm: 'ES256', maxTokenLifetimeSeconds: 3600, rotateEverySeconds: config.keys.rotateEverySeconds });
  await ring.refresh();
  signer = ring.activeSigner();
  lure = await startLureJwks();
  echo = await startEchoUpstream('api');
  gateway = await startHarness({ configYaml: () => configYaml() });
});

after(async () => {
  await gateway?.close();
  await echo?.close();
  await lure?.close();
  await identity?.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(path: string, token: string): Promise<{ status: number; error?: string; challenge: string | null }> {
  const response = await fetch(`${gateway.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const error = response.status === 200 ? undefined : (JSON.parse(text) as { error?: string }).error;
  return { status: response.status, error, challenge: response.headers.get('www-authenticate') };
}

async function clientCredentials(client: string, resource: string): Promise<string> {
  const answer = await postForm(`${identity.url}/token`, { grant_type: 'client_credentials', resource }, basic(client, 'm2m-secret-0123456789'));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return String(answer.body.access_token);
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function forgedRows(): Promise<Array<{ attack: string; token: string; error: string }>> {
  const t = now();
  const claims = { iss: issuer, aud: BILLING, sub: aliceId, iat: t, exp: t + 300, jti: crypto.randomUUID() };
  const ours = (extra: Record<string, unknown>) => new SignJWT({ ...claims, ...extra }).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'at+jwt' }).sign(signer.privateKey);
  const publicJwk = ((await (await fetch(`${identity.url}/jwks`)).json()) as { keys: object[] }).keys[0];
  const hmacInput = `${part({ alg: 'HS256', kid: signer.kid, typ: 'at+jwt' })}.${part(claims)}`;
  const attacker = await generateKeyPair('ES256', { extractable: true });
  const byAttacker = (header: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims, ...extra }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...header }).sign(attacker.privateKey);
  return [
    { attack: 'alg none', token: `${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims)}.`, error: 'jwt_alg_not_allowed' },
    { attack: 'alg none with the real kid', token: `${part({ alg: 'none', kid: signer.kid })}.${part(claims)}.`, error: 'jwt_alg_not_allowed' },
    { attack: 'HS256 keyed with the published public key (algorithm confusion)', token: `${hmacInput}.${createHmac('sha256', JSON.stringify(publicJwk)).update(hmacInput).digest('base64url')}`, error: 'jwt_alg_not_allowed' },
    { attack: 'kid pointing to no key', token: await byAttacker({ kid: 'no-such-key' }), error: 'jwt_unknown_kid' },
    { attack: 'kid unknown with a jku to the attacker', token: await byAttacker({ kid: 'attacker', jku: lure.url }), error: 'jwt_unknown_kid' },
    { attack: 'kid unknown with an x5u to the attacker', token: await byAttacker({ kid: 'attacker', x5u: lure.url }), error: 'jwt_unknown_kid' },
    { attack: "embedded jwk with the attacker's key", token: await byAttacker({ kid: signer.kid, jwk: await exportJWK(attacker.publicKey) }), error: 'jwt_verification_failed' },
    { attack: 'the real kid, signed by another key', token: await byAttacker({ kid: signer.kid }), error: 'jwt_verification_failed' },
    { attack: 'expired', token: await ours({ iat: t - 7200, exp: t - 3600 }), error: 'jwt_expired' },
    { attack: 'not yet valid (nbf in an hour)', token: await ours({ nbf: t + 3600 }), error: 'jwt_not_yet_valid' },
    { attack: 'issued in an hour', token: await ours({ iat: t + 3600, exp: t + 7200 }), error: 'jwt_iat_in_future' },
    { attack: 'another issuer', token: await ours({ iss: 'https://evil.example' }), error: 'jwt_issuer_not_configured' },
    { attack: 'oversized (over 8 kB)', token: await byAttacker({ kid: signer.kid }, { padding: 'x'.repeat(7_000) }), error: 'jwt_too_large' },
  ];
}

describe('token attacks at the gateway', () => {
  it('control: a real Billing token passes /billing, a real Orders token passes /orders', async () => {
    assert.equal((await call('/billing/1', await clientCredentials('m2m-multi', BILLING))).status, 200);
    assert.equal((await call('/orders/1', await clientCredentials('m2m', ORDERS))).status, 200);
  });

  it('a token for API A at the route of API B: 401 jwt_audience_mismatch, both ways', async () => {
    const seen = echo.received.length;
    const rows = [
      { attack: 'Orders token at /billing', path: '/billing/1', token: await clientCredentials('m2m', ORDERS) },
      { attack: 'Billing token at /orders', path: '/orders/1', token: await clientCredentials('m2m-multi', BILLING) },
    ];
    for (const row of rows) {
      const answer = await call(row.path, row.token);
      assert.equal(answer.status, 401, row.attack);
      assert.equal(answer.error, 'jwt_audience_mismatch', row.attack);
      assert.match(answer.challenge ?? '', /error="invalid_token"/, row.attack);
    }
    assert.equal(echo.received.length, seen, 'nothing reached the upstream');
  });

  it('forged and stale JWTs at /billing and /orders: 401 with the reason, nothing fetched from jku/x5u', async () => {
    const seen = echo.received.length;
    lure.resetHits();
    for (const row of await forgedRows()) {
      for (const path of ['/billing/1', '/orders/1']) {
        const answer = await call(path, row.token);
        assert.equal(answer.status, 401, `${row.attack} at ${path}`);
        // At /orders the audience is checked too; the first failing check names the reason.
        if (path === '/billing/1') assert.equal(answer.error, row.error, row.attack);
      }
    }
    assert.equal(lure.hits, 0, 'jku/x5u were never dereferenced');
    assert.equal(echo.received.length, seen, 'nothing reached the upstream');
  });

  it('a request header beyond the server limit is refused (431), and the gateway keeps serving', async () => {
    const response = await fetch(`${gateway.baseUrl}/billing/1`, { headers: { authorization: `Bearer ${'e'.repeat(70_000)}` } }).catch(() => undefined);
    if (response) assert.equal(response.status, 431);
    assert.equal((await call('/billing/1', await clientCredentials('m2m-multi', BILLING))).status, 200);
  });
});

describe('phantom-token attacks at the gateway (/orders)', () => {
  async function apiToken(disabled: boolean): Promise<string> {
    let userId = aliceId;
    if (disabled) {
      userId = (await identity.store.users.create({ id: crypto.randomUUID(), username: `mallory-${crypto.randomUUID().slice(0, 8)}`, passwordHash: 'x', name: undefined, email: undefined, roles: ['admin'], groups: [], disabled: false }, now())).id;
    }
    const { token } = await createApiToken(identity.store, { userId, name: `t-${crypto.randomUUID()}`, scopes: ['orders:read'] }, now());
    if (disabled) await identity.store.users.update(userId, { disabled: true }, now());
    return token;
  }

  const rows: Array<{ attack: string; token: () => Promise<string>; error: string }> = [
    { attack: 'an API token with a valid checksum but unknown', token: async () => generateApiToken(), error: 'token_exchange_rejected' },
    { attack: 'an API token of a disabled user', token: () => apiToken(true), error: 'token_exchange_rejected' },
    { attack: 'an API token with a broken checksum', token: async () => withLastCharacterChanged(await apiToken(false)), error: 'api_token_malformed' },
    { attack: 'an opaque string', token: async () => 'opaque-attacker-string', error: 'token_exchange_rejected' },
  ];
  for (const row of rows) {
    it(`${row.attack}: 401 ${row.error}, nothing reaches the upstream`, async () => {
      const seen = echo.received.length;
      const answer = await call('/orders/1', await row.token());
      assert.equal(answer.status, 401, row.attack);
      assert.equal(answer.error, row.error);
      assert.match(answer.challenge ?? '', /error="invalid_token"/);
      assert.equal(echo.received.length, seen);
    });
  }

  it('control: a live API token of an enabled user is exchanged and passes', async () => {
    assert.equal((await call('/orders/1', await apiToken(false))).status, 200);
  });

  it('an API token at the route without a TokenExchange (/billing) is not a JWT: 401', async () => {
    const answer = await call('/billing/1', await apiToken(false));
    assert.equal(answer.status, 401);
  });
});
